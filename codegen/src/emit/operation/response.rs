//! Reading a response into an output or exception structure: the JSON body
//! (or payload), header-bound members and the status code.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::wire_text::{TextFormat, from_text};
use crate::emit::{Ctx, Uses, name};
use crate::ir::{Kind, Location, Member, Structure};
use crate::names::field_name;

const OPERATION: &str = "brisk_runtime::operation";

/// What of a response an output or exception structure reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Nothing: the structure has no members a response carries.
    Nothing,
    /// The JSON body alone.
    Body,
    /// Headers, status code or payload too: read by a `from_response` of its own.
    Full,
}

impl Reading {
    /// How `s` is read.
    pub fn of(s: &Structure) -> Self {
        let body = s
            .members
            .iter()
            .any(|m| matches!(m.location, Location::Body { .. }));
        let other = s.members.iter().any(|m| {
            matches!(
                m.location,
                Location::Header { .. }
                    | Location::Headers { .. }
                    | Location::StatusCode
                    | Location::Payload
            )
        });
        match (body, other) {
            (_, true) => Reading::Full,
            (true, false) => Reading::Body,
            (false, false) => Reading::Nothing,
        }
    }
}

/// An expression of type `Result<T, ParseError>` reading the structure `s`
/// (Rust type `ty`) from `response`.
pub fn read_expr(s: &Structure, ty: &TokenStream, uses: &mut Uses) -> TokenStream {
    match Reading::of(s) {
        Reading::Nothing => quote!(Ok(#ty::default())),
        Reading::Body => {
            uses.add(OPERATION, "json_body");
            quote!(json_body(response.body()))
        }
        Reading::Full => quote!(#ty::from_response(response)),
    }
}

/// An expression of type `T` reading the structure `s` (Rust type `ty`) from
/// `response`, returning early with `?` on a parse error.
pub fn read_value(s: &Structure, ty: &TokenStream, uses: &mut Uses) -> TokenStream {
    match Reading::of(s) {
        Reading::Nothing => quote!(#ty::default()),
        _ => {
            let read = read_expr(s, ty, uses);
            quote!(#read?)
        }
    }
}

/// `impl <Type> { fn from_response(..) }` for an output or exception structure
/// that reads more than its JSON body.
pub fn from_response_impl(
    ctx: &Ctx<'_>,
    rust_name: &str,
    s: &Structure,
    uses: &mut Uses,
) -> TokenStream {
    if Reading::of(s) != Reading::Full {
        return quote!();
    }
    uses.add_all("brisk_runtime::http", &["Response"]);
    uses.add("brisk_runtime::bytes", "Bytes");
    uses.add(OPERATION, "ParseError");
    let ident = name(rust_name);
    let reads_body = s
        .members
        .iter()
        .any(|m| matches!(m.location, Location::Body { .. }));
    let bindings: Vec<TokenStream> = s
        .members
        .iter()
        .filter_map(|m| member_binding(ctx, m, uses))
        .collect();
    let start = if reads_body {
        uses.add(OPERATION, "json_body");
        quote!(json_body(response.body())?)
    } else {
        // Not `Self::default()`, which clippy wants folded into the assignments below.
        quote!(Self {
            ..Default::default()
        })
    };
    let binding = if bindings.is_empty() {
        quote!(let output)
    } else {
        quote!(let mut output)
    };
    quote! {
        impl #ident {
            /// Reads this structure from a response.
            pub(crate) fn from_response(response: &Response<Bytes>) -> Result<Self, ParseError> {
                #binding: Self = #start;
                #(#bindings)*
                Ok(output)
            }
        }
    }
}

fn member_binding(ctx: &Ctx<'_>, member: &Member, uses: &mut Uses) -> Option<TokenStream> {
    let field = name(&field_name(&member.name));
    let binding = match &member.location {
        Location::Header { name: header } => {
            uses.add(OPERATION, "header");
            let value = header_value(ctx, member, header, uses);
            quote! {
                if let Some(text) = header(response, #header)? {
                    output.#field = Some(#value?);
                }
            }
        }
        Location::Headers { prefix } => {
            uses.add(OPERATION, "prefixed_headers");
            quote!(output.#field = prefixed_headers(response, #prefix)?;)
        }
        Location::StatusCode => {
            quote!(output.#field = Some(response.status().as_u16().into());)
        }
        Location::Payload => payload(ctx, member, &field, uses),
        _ => return None,
    };
    Some(binding)
}

/// A header's value: a scalar, or a comma-separated list.
fn header_value(ctx: &Ctx<'_>, member: &Member, header: &str, uses: &mut Uses) -> TokenStream {
    let format = TextFormat::of(ctx, member);
    match &ctx.service.shape(&member.target).kind {
        Kind::List(item) => {
            let split = if matches!(ctx.service.shape(&item.shape).kind, Kind::Timestamp(_))
                && format.timestamp == crate::ir::TimestampFormat::HttpDate
            {
                uses.add(OPERATION, "split_http_date_list");
                quote!(split_http_date_list(text))
            } else {
                uses.add(OPERATION, "split_header_list");
                quote!(split_header_list(text))
            };
            let item = from_text(
                ctx,
                &item.shape,
                format,
                header,
                quote!(item.as_str()),
                uses,
            );
            quote!(#split.iter().map(|item| #item).collect::<Result<Vec<_>, ParseError>>())
        }
        _ => from_text(ctx, &member.target, format, header, quote!(text), uses),
    }
}

/// The payload member: the whole body, when there is one.
fn payload(
    ctx: &Ctx<'_>,
    member: &Member,
    field: &proc_macro2::Ident,
    uses: &mut Uses,
) -> TokenStream {
    let target = ctx.service.shape(&member.target);
    let value = match &target.kind {
        Kind::Blob if target.streaming => {
            uses.add("brisk_runtime::body", "ByteStream");
            quote!(ByteStream::from(response.body().clone()))
        }
        Kind::Blob => {
            uses.add("brisk_runtime::codec", "Blob");
            quote!(Blob::from(response.body().to_vec()))
        }
        Kind::String => quote! {
            String::from_utf8(response.body().to_vec())
                .map_err(|_| ParseError::new("the body is not UTF-8 text"))?
        },
        Kind::Enum(_) => {
            let ty = ctx.rust_type(&member.target, uses);
            quote! {
                #ty::from(
                    std::str::from_utf8(response.body())
                        .map_err(|_| ParseError::new("the body is not UTF-8 text"))?,
                )
            }
        }
        _ => {
            uses.add(OPERATION, "json_body");
            quote!(json_body(response.body())?)
        }
    };
    quote! {
        if !response.body().is_empty() {
            output.#field = Some(#value);
        }
    }
}
