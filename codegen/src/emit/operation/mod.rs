//! One file per operation: input, output, error enum, the sans-IO request and
//! response code, and the fluent builder.

mod builder;
mod errors;
mod paging;
mod request;
mod response;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::shapes::{structure, with_uses};
use super::validate::validate_impl;
use super::{Ctx, FileContent, Uses, doc_attrs, inner_doc_attrs, name};
use crate::ir::{Kind, Operation, Shape, Structure};
use crate::names::{module_name, type_name};

pub use errors::service_error_file;
pub use response::from_response_impl;

/// Emits `src/operation/<op>.rs` for every operation and the module index.
pub fn emit(ctx: &Ctx<'_>, files: &mut BTreeMap<String, FileContent>) {
    for op in &ctx.service.operations {
        files.insert(
            format!("src/operation/{}.rs", module_name(&op.name)),
            FileContent::Rust(operation_file(ctx, op)),
        );
    }
    let mut operations: Vec<_> = ctx.service.operations.iter().collect();
    operations.sort_by_key(|op| module_name(&op.name));
    let modules = operations.iter().map(|op| {
        let docs = doc_attrs(&summary(&op.docs));
        let module = name(&module_name(&op.name));
        quote!(#docs pub mod #module;)
    });
    let doc = format!(
        " The operations of {}, one module each.",
        ctx.service.info.full_name
    );
    files.insert(
        "src/operation/mod.rs".to_owned(),
        FileContent::Rust(quote! {
            #![doc = #doc]
            #(#modules)*
        }),
    );
}

/// The first paragraph of some docs.
pub fn summary(docs: &[String]) -> Vec<String> {
    docs.iter().take_while(|l| !l.is_empty()).cloned().collect()
}

/// An operation with its input and output as structures (empty ones where the
/// model has none) and the names of its types.
pub struct OperationParts<'a> {
    pub op: &'a Operation,
    pub input: Shape,
    pub output: Shape,
    pub input_name: String,
    pub output_name: String,
    pub error_name: String,
    pub builder_name: String,
}

impl<'a> OperationParts<'a> {
    pub fn new(ctx: &Ctx<'_>, op: &'a Operation) -> Self {
        let base = type_name(&op.name);
        // A model may name a shape like a type generated per operation (ivs has a
        // `BatchStartViewerSessionRevocationError` structure); the operation's own
        // types then take an `Operation` infix.
        let taken = ["Input", "Output", "Error", "FluentBuilder", "Paginator"]
            .iter()
            .any(|suffix| ctx.type_names.contains(&format!("{base}{suffix}")));
        let base = if taken {
            format!("{base}Operation")
        } else {
            base
        };
        let input_name = format!("{base}Input");
        let output_name = format!("{base}Output");
        OperationParts {
            op,
            input: io_shape(ctx, op.input.as_deref(), &input_name, "input", op),
            output: io_shape(ctx, op.output.as_deref(), &output_name, "output", op),
            input_name,
            output_name,
            error_name: format!("{base}Error"),
            builder_name: format!("{base}FluentBuilder"),
        }
    }

    pub fn input_struct(&self) -> &Structure {
        structure_of(&self.input)
    }

    pub fn output_struct(&self) -> &Structure {
        structure_of(&self.output)
    }
}

fn structure_of(shape: &Shape) -> &Structure {
    match &shape.kind {
        Kind::Structure(s) => s,
        _ => unreachable!("operation inputs and outputs are lowered to structures"),
    }
}

fn operation_file(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let parts = OperationParts::new(ctx, op);
    let mut uses = Uses::default();
    let op_doc = format!(" {}", op.name);
    let docs = inner_doc_attrs(&op.docs);
    let input = structure(
        ctx,
        &parts.input,
        &parts.input_name,
        parts.input_struct(),
        &mut uses,
    );
    let output = structure(
        ctx,
        &parts.output,
        &parts.output_name,
        parts.output_struct(),
        &mut uses,
    );
    let validate = validate_impl(ctx, &parts.input, &parts.input_name, &mut uses);
    let error_enum = errors::error_enum(ctx, &parts, &mut uses);
    let operation_impl = operation_impl(ctx, &parts, &mut uses);
    let streaming_output = streaming_output_impl(ctx, &parts, &mut uses);
    let from_response =
        response::from_response_impl(ctx, &parts.output_name, parts.output_struct(), &mut uses);
    let builder = builder::fluent_builder(ctx, &parts, &mut uses);
    let paginator = paging::paginator(ctx, &parts, &mut uses);
    let waiters = paging::waiters(ctx, &parts, &mut uses);
    let inner_docs = quote! {
        #![doc = #op_doc]
        #![doc = ""]
        #docs
    };
    with_uses(
        ctx,
        uses,
        "",
        inner_docs,
        quote!(#input #output #error_enum #builder #paginator #waiters #operation_impl #streaming_output #from_response #validate),
    )
}

/// `impl Operation for <Op>Input`: the request, the output and the error.
fn operation_impl(ctx: &Ctx<'_>, parts: &OperationParts<'_>, uses: &mut Uses) -> TokenStream {
    uses.add_all(
        "brisk_runtime::operation",
        &["BuildError", "Operation", "ParseError"],
    );
    uses.add_all("brisk_runtime::http", &["Request", "Response"]);
    uses.add("brisk_runtime::bytes", "Bytes");
    uses.add("brisk_runtime", "ErrorMetadata");
    let input = name(&parts.input_name);
    let output = name(&parts.output_name);
    let error = name(&parts.error_name);
    let op_name = &parts.op.name;
    let to_request = request::to_request_body(ctx, parts, uses);
    let with_defaults = request::with_defaults(ctx, parts, uses);
    let streaming_payload = request::streaming_payload(ctx, parts, uses);
    let auth = request::auth_const(parts.op, uses);
    let parse_error = errors::parse_error_body(ctx, parts, uses);
    let read_output = response::read_expr(parts.output_struct(), &quote!(#output), uses);
    let response = if response::Reading::of(parts.output_struct()) == response::Reading::Nothing {
        quote!(_)
    } else {
        quote!(response)
    };
    quote! {
        impl Operation for #input {
            const NAME: &'static str = #op_name;
            #auth
            type Output = #output;
            type Error = #error;

            #with_defaults

            #streaming_payload

            fn to_request(&self) -> Result<Request<Bytes>, BuildError> {
                #to_request
            }

            fn parse_output(#response: &Response<Bytes>) -> Result<#output, ParseError> {
                #read_output
            }

            fn parse_error(
                meta: ErrorMetadata,
                response: &Response<Bytes>,
            ) -> Result<#error, ParseError> {
                #parse_error
            }
        }
    }
}

/// `impl StreamingOutput`, for an operation whose output payload is a stream.
fn streaming_output_impl(
    ctx: &Ctx<'_>,
    parts: &OperationParts<'_>,
    uses: &mut Uses,
) -> TokenStream {
    let Some(payload) = streaming_output(ctx, parts.op) else {
        return quote!();
    };
    uses.add("brisk_runtime::operation", "StreamingOutput");
    uses.add("brisk_runtime::body", "ByteStream");
    let input = name(&parts.input_name);
    let output = name(&parts.output_name);
    let field = name(&crate::names::field_name(&payload.name));
    quote! {
        impl StreamingOutput for #input {
            fn set_payload(output: &mut #output, body: ByteStream) {
                output.#field = Some(body);
            }
        }
    }
}

/// The output's payload member, when it is a stream.
pub fn streaming_output<'a>(ctx: &Ctx<'a>, op: &Operation) -> Option<&'a crate::ir::Member> {
    op.output
        .as_deref()
        .and_then(|shape| ctx.service.streaming_payload(shape))
}

/// The input or output shape; an empty structure when the model has none.
fn io_shape(
    ctx: &Ctx<'_>,
    shape: Option<&str>,
    rust_name: &str,
    role: &str,
    op: &Operation,
) -> Shape {
    let mut docs = vec![format!("The {role} of `{}`.", op.name)];
    match shape.map(|s| ctx.service.shape(s)) {
        Some(
            shape @ Shape {
                kind: Kind::Structure(_),
                ..
            },
        ) => {
            if !shape.docs.is_empty() {
                docs.push(String::new());
                docs.extend(shape.docs.iter().cloned());
            }
            Shape {
                docs,
                ..shape.clone()
            }
        }
        _ => Shape {
            name: rust_name.to_owned(),
            kind: Kind::Structure(Structure::default()),
            docs,
            sensitive: false,
            deprecated: false,
            min: None,
            event_stream: false,
            streaming: false,
        },
    }
}
