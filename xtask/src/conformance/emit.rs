//! The test code of a case: build the input and compare the request, or parse
//! the response and compare the output or error.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use serde_json::{Value, json};

use brisk_codegen::ir::{self, Kind, Service};
use brisk_codegen::literal::{LiteralError, Literals};
use brisk_codegen::names::{field_name, ident, module_name, type_name};

use super::suites::{Case, Response, Serialized};

/// What a case's test code needs to know about the generated module.
pub struct CaseContext<'a> {
    pub service: &'a Service,
    pub literals: &'a Literals<'a>,
    /// The generated module's root path, e.g. `crate::cases::input_x::sdk`.
    pub root: TokenStream,
    /// The suite's `clientEndpoint`.
    pub client_endpoint: Option<&'a str>,
}

impl CaseContext<'_> {
    fn operation(&self) -> Result<&ir::Operation, LiteralError> {
        self.service
            .operations
            .first()
            .ok_or_else(|| problem("the model has no operation"))
    }

    /// `<root>::operation::<op>::<Op><suffix>`.
    fn operation_type(&self, op: &ir::Operation, suffix: &str) -> TokenStream {
        let root = &self.root;
        let module = ident(&module_name(&op.name));
        let ty = ident(&format!("{}{suffix}", type_name(&op.name)));
        quote!(#root::operation::#module::#ty)
    }
}

/// The name of a case's function: its id in snake case (`case_<n>` for `#n`).
pub fn function_name(id: &str) -> Ident {
    match id.strip_prefix('#') {
        Some(n) => ident(&format!("case_{n}")),
        None => ident(&field_name(id)),
    }
}

/// `pub fn <case>() -> Result<(), String>` for an input case.
pub fn input_case(
    cx: &CaseContext<'_>,
    case: &Case,
    function: &Ident,
) -> Result<TokenStream, LiteralError> {
    let op = cx.operation()?;
    let serialized = case
        .serialized
        .as_ref()
        .ok_or_else(|| problem("an input case needs `serialized`"))?;
    let params = case.params.clone().unwrap_or_else(|| json!({}));
    let input_type = cx.operation_type(op, "Input");
    let input = cx
        .literals
        .operation_structure(op.input.as_deref(), &input_type, &params)?;
    let tokens = auto_filled_tokens(cx, op, &params);
    let binding = if tokens.is_empty() {
        quote!(let input)
    } else {
        quote!(let mut input)
    };
    let expected = expected_request(serialized, cx.client_endpoint);
    let docs = case_docs(case);
    Ok(quote! {
        #docs
        pub fn #function() -> Result<(), String> {
            #binding = #input.with_defaults();
            #(#tokens)*
            check::request(&input, &#expected)
        }
    })
}

/// Idempotency-token members the case leaves for the client to fill.
fn auto_filled_tokens(
    cx: &CaseContext<'_>,
    op: &ir::Operation,
    params: &Value,
) -> Vec<TokenStream> {
    let Some(Kind::Structure(input)) = op.input.as_deref().map(|s| &cx.service.shape(s).kind)
    else {
        return Vec::new();
    };
    input
        .members
        .iter()
        .filter(|m| m.idempotency_token && params.get(&m.name).is_none_or(Value::is_null))
        .map(|m| {
            let field = ident(&field_name(&m.name));
            quote!(check::auto_filled_token(&mut input.#field)?;)
        })
        .collect()
}

fn expected_request(serialized: &Serialized, client_endpoint: Option<&str>) -> TokenStream {
    let method = option_str(serialized.method.as_deref());
    let endpoint = option_str(client_endpoint);
    let host = option_str(serialized.host.as_deref());
    let uri = &serialized.uri;
    let body = option_str(serialized.body.as_deref());
    let headers = pairs(serialized.headers.iter());
    let forbid = &serialized.forbid_headers;
    quote! {
        check::ExpectedRequest {
            method: #method,
            uri: #uri,
            body: #body,
            headers: #headers,
            forbid_headers: &[#(#forbid),*],
            endpoint: #endpoint,
            host: #host,
        }
    }
}

/// `pub fn <case>() -> Result<(), String>` for an output case.
pub fn output_case(
    cx: &CaseContext<'_>,
    case: &Case,
    function: &Ident,
) -> Result<TokenStream, LiteralError> {
    let op = cx.operation()?;
    let response = case
        .response
        .as_ref()
        .ok_or_else(|| problem("an output case needs `response`"))?;
    let response = response_tokens(response);
    let input_type = cx.operation_type(op, "Input");
    let compare = match &case.error_code {
        Some(code) => compare_error(cx, op, case, code)?,
        None => compare_output(cx, op, case)?,
    };
    let docs = case_docs(case);
    Ok(quote! {
        #docs
        pub fn #function() -> Result<(), String> {
            let response = #response;
            let parsed = brisk_runtime::operation::parse::<#input_type>(response);
            #compare
        }
    })
}

fn response_tokens(response: &Response) -> TokenStream {
    let status = response.status_code;
    let headers = pairs(response.headers.iter());
    let body = response.body.as_deref().unwrap_or_default();
    quote!(check::response(#status, #headers, #body))
}

fn compare_output(
    cx: &CaseContext<'_>,
    op: &ir::Operation,
    case: &Case,
) -> Result<TokenStream, LiteralError> {
    let result = case.result.clone().unwrap_or_else(|| json!({}));
    let output_type = cx.operation_type(op, "Output");
    let expected = cx
        .literals
        .operation_structure(op.output.as_deref(), &output_type, &result)?;
    Ok(quote! {
        let expected = #expected;
        check::equal(&check::output(parsed)?, &expected)
    })
}

/// Checks code and message, then the variant the code selects and its members.
fn compare_error(
    cx: &CaseContext<'_>,
    op: &ir::Operation,
    case: &Case,
    code: &str,
) -> Result<TokenStream, LiteralError> {
    let message = case.error_message.as_deref().unwrap_or_default();
    let error_type = cx.operation_type(op, "Error");
    let modeled = op
        .errors
        .iter()
        .find(|shape| error_code(cx.service, shape) == code);
    let (arm, expected_variant) = match modeled {
        Some(shape) => {
            let members = case.error.clone().unwrap_or_else(|| json!({}));
            let expected = cx.literals.value(shape, &members)?;
            let variant = ident(&type_name(shape));
            let arm = quote!(#error_type::#variant(actual) => check::equal(&actual, &#expected),);
            (arm, type_name(shape))
        }
        None => (
            quote!(#error_type::Unhandled(_) => Ok(()),),
            "Unhandled".to_owned(),
        ),
    };
    // With no modeled errors the enum has one variant and the fallback arm would be unreachable.
    let fallback = (!op.errors.is_empty()).then(
        || quote!(other => Err(format!("expected variant {}, got {other:?}", #expected_variant)),),
    );
    Ok(quote! {
        let error = check::service_error(parsed, #code, #message)?;
        match error {
            #arm
            #fallback
        }
    })
}

fn error_code(service: &Service, shape: &str) -> String {
    match &service.shape(shape).kind {
        Kind::Structure(s) => s
            .error
            .as_ref()
            .map_or_else(|| shape.to_owned(), |e| e.code.clone()),
        _ => shape.to_owned(),
    }
}

/// The case's description as its function's doc.
fn case_docs(case: &Case) -> TokenStream {
    match &case.description {
        Some(description) => {
            let doc = format!(" {description}");
            quote!(#[doc = #doc])
        }
        None => quote!(),
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

fn pairs<'a>(pairs: impl Iterator<Item = (&'a String, &'a String)>) -> TokenStream {
    let pairs = pairs.map(|(k, v)| quote!((#k, #v)));
    quote!(&[#(#pairs),*])
}

fn problem(message: &str) -> LiteralError {
    LiteralError {
        path: String::new(),
        message: message.to_owned(),
    }
}
