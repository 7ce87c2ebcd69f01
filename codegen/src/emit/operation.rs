//! One file per operation: its input and output.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::shapes::{structure, with_uses};
use super::{Ctx, FileContent, Uses, doc_attrs, inner_doc_attrs, name};
use crate::ir::{Kind, Operation, Shape, Structure};
use crate::names::{module_name, type_name};

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
fn summary(docs: &[String]) -> Vec<String> {
    docs.iter().take_while(|l| !l.is_empty()).cloned().collect()
}

fn operation_file(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let mut uses = Uses::default();
    let op_doc = format!(" {}", op.name);
    let docs = inner_doc_attrs(&op.docs);
    let input_name = format!("{}Input", type_name(&op.name));
    let output_name = format!("{}Output", type_name(&op.name));
    let input = io_struct(
        ctx,
        op.input.as_deref(),
        &input_name,
        "input",
        op,
        &mut uses,
    );
    let output = io_struct(
        ctx,
        op.output.as_deref(),
        &output_name,
        "output",
        op,
        &mut uses,
    );
    let inner_docs = quote! {
        #![doc = #op_doc]
        #![doc = ""]
        #docs
    };
    with_uses(uses, "", inner_docs, quote!(#input #output))
}

/// The input or output structure; an empty one when the model has none.
fn io_struct(
    ctx: &Ctx<'_>,
    shape: Option<&str>,
    rust_name: &str,
    role: &str,
    op: &Operation,
    uses: &mut Uses,
) -> TokenStream {
    let own_docs = vec![format!("The {role} of `{}`.", op.name)];
    let (shape, members) = match shape.map(|s| ctx.service.shape(s)) {
        Some(
            shape @ Shape {
                kind: Kind::Structure(s),
                ..
            },
        ) => (shape.clone(), s.clone()),
        _ => (
            Shape {
                name: rust_name.to_owned(),
                kind: Kind::Structure(Structure::default()),
                docs: Vec::new(),
                sensitive: false,
                deprecated: false,
                min: None,
            },
            Structure::default(),
        ),
    };
    let mut docs = own_docs;
    if !shape.docs.is_empty() {
        docs.push(String::new());
        docs.extend(shape.docs.iter().cloned());
    }
    let shape = Shape { docs, ..shape };
    structure(ctx, &shape, rust_name, &members, uses)
}
