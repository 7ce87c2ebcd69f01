//! The sans-IO request: validation, method and path with labels, query,
//! headers and body, as the rest-json protocol binds them, and the host prefix;
//! and how the operation is authenticated.

use proc_macro2::TokenStream;
use quote::quote;

use super::OperationParts;
use crate::emit::validate::needs_validation;
use crate::emit::wire_text::{TextFormat, to_text};
use crate::emit::{Ctx, Uses, name};
use crate::ir::{Auth, Kind, Location, Member, Operation, UriPiece, uri_pieces};
use crate::names::field_name;

const OPERATION: &str = "brisk_runtime::operation";

/// The body of `to_request`.
pub fn to_request_body(ctx: &Ctx<'_>, parts: &OperationParts<'_>, uses: &mut Uses) -> TokenStream {
    uses.add(OPERATION, "RequestBuilder");
    uses.add("brisk_runtime::http", "Method");
    let input = parts.input_struct();
    let validation = if needs_validation(ctx, &parts.input) {
        uses.add_all(OPERATION, &["Validate", "Validator"]);
        let input_name = &parts.input_name;
        quote! {
            let mut validator = Validator::new();
            self.validate(&mut validator);
            validator.finish(#input_name)?;
        }
    } else {
        quote!()
    };
    let method = name(&parts.op.method.to_ascii_uppercase());
    let (path, query) = split_request_uri(&parts.op.request_uri);
    let path = path_pieces(ctx, path, &input.members, uses);
    let query_literal = query
        .filter(|q| !q.is_empty())
        .map(|q| quote!(request.query_literal(#q);));
    let named_query = named_query_keys(&input.members);
    let members: Vec<TokenStream> = input
        .members
        .iter()
        .filter_map(|m| member_binding(ctx, m, &named_query, uses))
        .collect();
    let body = body(ctx, &input.members, uses);
    let host_prefix = host_prefix_pieces(ctx, parts.op, &input.members, uses);
    quote! {
        #validation
        let mut request = RequestBuilder::new(Method::#method);
        #(#host_prefix)*
        #(#path)*
        #query_literal
        #(#members)*
        #body
        request.build()
    }
}

/// `const AUTH` of the `Operation` impl, when the operation is not plain SigV4 (the
/// trait's default).
pub fn auth_const(op: &Operation, uses: &mut Uses) -> TokenStream {
    let scheme = match op.auth {
        Auth::SigV4 => return quote!(),
        Auth::SigV4UnsignedPayload => quote!(SigV4UnsignedPayload),
        Auth::None => quote!(NoAuth),
        Auth::Bearer => quote!(Bearer),
    };
    uses.add("brisk_runtime::signing", "AuthScheme");
    quote!(const AUTH: AuthScheme = AuthScheme::#scheme;)
}

/// `request.host_prefix("..")` and `request.host_label(..)` calls for the
/// operation's host prefix, if it has one.
fn host_prefix_pieces(
    ctx: &Ctx<'_>,
    op: &Operation,
    members: &[Member],
    uses: &mut Uses,
) -> Vec<TokenStream> {
    let Some(prefix) = &op.host_prefix else {
        return Vec::new();
    };
    uri_pieces(prefix)
        .into_iter()
        .filter_map(|piece| match piece {
            UriPiece::Literal(literal) => Some(quote!(request.host_prefix(#literal);)),
            UriPiece::Label { name, .. } => members
                .iter()
                .find(|m| m.name == name)
                .map(|member| host_label_call(ctx, member, uses)),
        })
        .collect()
}

/// A host label from a string or enum member; lowering admits no other kind.
fn host_label_call(ctx: &Ctx<'_>, member: &Member, uses: &mut Uses) -> TokenStream {
    let field = name(&field_name(&member.name));
    let member_name = &member.name;
    if matches!(ctx.service.shape(&member.target).kind, Kind::String) {
        return quote! {
            request.host_label(#member_name, self.#field.as_deref().unwrap_or_default())?;
        };
    }
    let text = to_text(
        ctx,
        &member.target,
        TextFormat::of(ctx, member),
        quote!(v),
        uses,
    )
    .as_arg();
    quote! {
        match &self.#field {
            Some(v) => request.host_label(#member_name, #text)?,
            None => request.host_label(#member_name, "")?,
        }
    }
}

/// Fills idempotency tokens the caller left unset.
pub fn with_defaults(ctx: &Ctx<'_>, parts: &OperationParts<'_>, uses: &mut Uses) -> TokenStream {
    let tokens: Vec<TokenStream> = parts
        .input_struct()
        .members
        .iter()
        .filter(|m| {
            m.idempotency_token && matches!(ctx.service.shape(&m.target).kind, Kind::String)
        })
        .map(|m| {
            let field = name(&field_name(&m.name));
            quote! {
                if self.#field.is_none() {
                    self.#field = Some(idempotency_token());
                }
            }
        })
        .collect();
    if tokens.is_empty() {
        return quote!();
    }
    uses.add(OPERATION, "idempotency_token");
    quote! {
        fn with_defaults(mut self) -> Self {
            #(#tokens)*
            self
        }
    }
}

/// The request URI's path and its constant query (after `?`).
fn split_request_uri(uri: &str) -> (&str, Option<&str>) {
    match uri.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (uri, None),
    }
}

/// `request.path("..")` and `request.label(..)` calls for the path template.
fn path_pieces(
    ctx: &Ctx<'_>,
    template: &str,
    members: &[Member],
    uses: &mut Uses,
) -> Vec<TokenStream> {
    uri_pieces(template)
        .into_iter()
        .filter_map(|piece| match piece {
            UriPiece::Literal(literal) => Some(quote!(request.path(#literal);)),
            UriPiece::Label { name, greedy } => members
                .iter()
                .find(|m| matches!(&m.location, Location::Uri { name: bound } if bound == name))
                .map(|member| label_call(ctx, member, greedy, uses)),
        })
        .collect()
}

fn label_call(ctx: &Ctx<'_>, member: &Member, greedy: bool, uses: &mut Uses) -> TokenStream {
    let field = name(&field_name(&member.name));
    let member_name = &member.name;
    if matches!(ctx.service.shape(&member.target).kind, Kind::String) && !member.json_value {
        return quote! {
            request.label(#member_name, self.#field.as_deref().unwrap_or_default(), #greedy)?;
        };
    }
    let text = to_text(
        ctx,
        &member.target,
        TextFormat::of(ctx, member),
        quote!(v),
        uses,
    );
    let expr = text.expr();
    quote! {
        let text = match &self.#field {
            Some(v) => #expr,
            None => Default::default(),
        };
        request.label(#member_name, &text, #greedy)?;
    }
}

/// The keys of the query parameters bound to members of their own.
fn named_query_keys(members: &[Member]) -> Vec<&str> {
    members
        .iter()
        .filter_map(|m| match &m.location {
            Location::Query { name } => Some(name.as_str()),
            _ => None,
        })
        .collect()
}

/// Query string and header bindings of one member; `named_query` are the keys
/// that members bind by name, which a query map member does not repeat.
fn member_binding(
    ctx: &Ctx<'_>,
    member: &Member,
    named_query: &[&str],
    uses: &mut Uses,
) -> Option<TokenStream> {
    let field = name(&field_name(&member.name));
    let member_name = &member.name;
    let format = TextFormat::of(ctx, member);
    let binding = match &member.location {
        Location::Query { name: key } => match &ctx.service.shape(&member.target).kind {
            Kind::List(item) => {
                let text = to_text(ctx, &item.shape, format, quote!(v), uses).as_arg();
                quote! {
                    for v in self.#field.iter().flatten() {
                        request.query(#key, #text);
                    }
                }
            }
            Kind::Map { value, .. } => {
                query_map(ctx, &field, &value.shape, format, named_query, uses)
            }
            _ => {
                let text = to_text(ctx, &member.target, format, quote!(v), uses).as_arg();
                quote! {
                    if let Some(v) = &self.#field {
                        request.query(#key, #text);
                    }
                }
            }
        },
        Location::Header { name: header } => {
            let text = header_text(ctx, member, format, uses);
            quote! {
                if let Some(v) = &self.#field {
                    request.header(#member_name, #header, #text)?;
                }
            }
        }
        Location::Headers { prefix } => {
            quote! {
                for (k, v) in self.#field.iter().flatten() {
                    request.header(#member_name, &format!("{}{k}", #prefix), v)?;
                }
            }
        }
        _ => return None,
    };
    Some(binding)
}

/// A query-string map: each key is a parameter name; list values repeat it.
/// Keys that a member binds by name (`named_query`) are left to that member.
fn query_map(
    ctx: &Ctx<'_>,
    field: &proc_macro2::Ident,
    value_shape: &str,
    format: TextFormat,
    named_query: &[&str],
    uses: &mut Uses,
) -> TokenStream {
    let entries = if named_query.is_empty() {
        quote!(self.#field.iter().flatten())
    } else {
        quote! {
            self.#field.iter().flatten().filter(|(k, _)| ![#(#named_query),*].contains(&k.as_str()))
        }
    };
    match &ctx.service.shape(value_shape).kind {
        Kind::List(item) => {
            let text = to_text(ctx, &item.shape, format, quote!(v), uses).as_arg();
            quote! {
                for (k, values) in #entries {
                    for v in values {
                        request.query(k, #text);
                    }
                }
            }
        }
        _ => {
            let text = to_text(ctx, value_shape, format, quote!(v), uses).as_arg();
            quote! {
                for (k, v) in #entries {
                    request.query(k, #text);
                }
            }
        }
    }
}

/// A header's text as a `&str` argument: scalars as text, lists joined with commas.
fn header_text(ctx: &Ctx<'_>, member: &Member, format: TextFormat, uses: &mut Uses) -> TokenStream {
    match &ctx.service.shape(&member.target).kind {
        Kind::List(item) => {
            uses.add(OPERATION, "join_header_list");
            let text = to_text(ctx, &item.shape, format, quote!(item), uses);
            let expr = text.expr();
            // HTTP dates contain a comma of their own and are never quoted.
            let quote_items = !matches!(ctx.service.shape(&item.shape).kind, Kind::Timestamp(_));
            // A loop, not `map(|item| f(item))`, which clippy wants written `map(f)`.
            quote!(&join_header_list(
                {
                    let mut items = Vec::with_capacity(v.len());
                    for item in v {
                        items.push(#expr);
                    }
                    items
                },
                #quote_items
            ))
        }
        _ => to_text(ctx, &member.target, format, quote!(v), uses).as_arg(),
    }
}

/// The body: the payload member alone, or the JSON object of the body members
/// (`{}` when none is set), or nothing when the input has no body members.
fn body(ctx: &Ctx<'_>, members: &[Member], uses: &mut Uses) -> TokenStream {
    if let Some(payload) = members.iter().find(|m| m.location == Location::Payload) {
        return payload_body(ctx, payload, uses);
    }
    if members
        .iter()
        .any(|m| matches!(m.location, Location::Body { .. }))
    {
        quote!(request.json_body(self)?;)
    } else {
        quote!()
    }
}

fn payload_body(ctx: &Ctx<'_>, payload: &Member, _uses: &mut Uses) -> TokenStream {
    let field = name(&field_name(&payload.name));
    let target = ctx.service.shape(&payload.target);
    match &target.kind {
        // The body itself comes from `streaming_payload`.
        Kind::Blob if target.streaming => quote! {
            if self.#field.is_some() {
                request.stream_body("application/octet-stream");
            }
        },
        Kind::Blob => quote! {
            if let Some(v) = &self.#field {
                request.raw_body("application/octet-stream", v.as_bytes().to_vec());
            }
        },
        Kind::String | Kind::Enum(_) => quote! {
            if let Some(v) = &self.#field {
                request.raw_body("text/plain", v.as_str().as_bytes().to_vec());
            }
        },
        // An unset union sends no body; an unset structure sends `{}`.
        Kind::Union(_) => quote! {
            if let Some(v) = &self.#field {
                request.json_body(v)?;
            }
        },
        _ => quote! {
            match &self.#field {
                Some(v) => request.json_body(v)?,
                None => request.raw_body("application/json", &b"{}"[..]),
            }
        },
    }
}

/// `streaming_payload()`, for an input whose payload is a stream.
pub fn streaming_payload(
    ctx: &Ctx<'_>,
    parts: &OperationParts<'_>,
    uses: &mut Uses,
) -> TokenStream {
    let Some(payload) = parts
        .op
        .input
        .as_deref()
        .and_then(|s| ctx.service.streaming_payload(s))
    else {
        return quote!();
    };
    uses.add("brisk_runtime::body", "ByteStream");
    let field = name(&field_name(&payload.name));
    quote! {
        fn streaming_payload(&self) -> Option<ByteStream> {
            self.#field.clone()
        }
    }
}
