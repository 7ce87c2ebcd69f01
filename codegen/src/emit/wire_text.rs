//! Scalars as text in URIs, query strings and headers, and back.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, Uses};
use crate::ir::{Kind, Member, TimestampFormat};

const CODEC: &str = "brisk_runtime::codec";
const OPERATION: &str = "brisk_runtime::operation";

/// How a scalar member is written as text.
#[derive(Debug, Clone, Copy)]
pub struct TextFormat {
    pub timestamp: TimestampFormat,
    /// A header carrying JSON text, base64-encoded (`jsonvalue`).
    pub json_value: bool,
}

impl TextFormat {
    /// The format of `member` at its location.
    pub fn of(ctx: &Ctx<'_>, member: &Member) -> Self {
        Self {
            timestamp: ctx.service.timestamp_format(member),
            json_value: member.json_value,
        }
    }
}

/// The text of a value: an expression of type `&str` or `String`.
pub struct Text {
    expr: TokenStream,
    borrowed: bool,
}

impl Text {
    /// The text as a `&str` argument.
    pub fn as_arg(&self) -> TokenStream {
        let expr = &self.expr;
        if self.borrowed {
            quote!(#expr)
        } else {
            quote!(&#expr)
        }
    }

    /// The expression itself (`&str` or `String`).
    pub fn expr(&self) -> &TokenStream {
        &self.expr
    }
}

/// The text of `value`, an expression of type `&T` for a scalar shape `shape`.
pub fn to_text(
    ctx: &Ctx<'_>,
    shape: &str,
    format: TextFormat,
    value: TokenStream,
    uses: &mut Uses,
) -> Text {
    let borrowed =
        matches!(ctx.service.shape(shape).kind, Kind::String | Kind::Enum(_)) && !format.json_value;
    let expr = owned_or_borrowed_text(ctx, shape, format, value, uses);
    Text { expr, borrowed }
}

fn owned_or_borrowed_text(
    ctx: &Ctx<'_>,
    shape: &str,
    format: TextFormat,
    value: TokenStream,
    uses: &mut Uses,
) -> TokenStream {
    match &ctx.service.shape(shape).kind {
        Kind::String if format.json_value => {
            uses.add(OPERATION, "format_json_value");
            quote!(format_json_value(#value))
        }
        Kind::String | Kind::Enum(_) => quote!(#value.as_str()),
        // Each in its own width, so `1.1f32` is written `1.1`.
        Kind::Float => {
            uses.add(OPERATION, "format_float");
            quote!(format_float(*#value))
        }
        Kind::Double => {
            uses.add(OPERATION, "format_float");
            quote!(format_float(*#value))
        }
        Kind::Timestamp(_) => {
            let function = match format.timestamp {
                TimestampFormat::Iso8601 => "format_iso8601",
                TimestampFormat::HttpDate => "format_http_date",
                TimestampFormat::EpochSeconds => "format_epoch_seconds",
            };
            uses.add(CODEC, function);
            let function = super::name(function);
            quote!(#function(#value))
        }
        Kind::Blob => {
            uses.add(OPERATION, "format_blob");
            quote!(format_blob(#value.as_bytes()))
        }
        _ => quote!(#value.to_string()),
    }
}

/// An expression of type `Result<T, ParseError>` reading `text` (a `&str`) as
/// a scalar of shape `shape`; `name` names the header in errors.
pub fn from_text(
    ctx: &Ctx<'_>,
    shape: &str,
    format: TextFormat,
    name: &str,
    text: TokenStream,
    uses: &mut Uses,
) -> TokenStream {
    uses.add(OPERATION, "ParseError");
    match &ctx.service.shape(shape).kind {
        Kind::String if format.json_value => {
            uses.add(OPERATION, "parse_json_value");
            quote!(parse_json_value(#name, #text))
        }
        Kind::String => quote!(Ok::<_, ParseError>(#text.to_owned())),
        Kind::Enum(_) => {
            let ty = ctx.rust_type(shape, uses);
            quote!(Ok::<_, ParseError>(#ty::from(#text)))
        }
        Kind::Float => {
            uses.add(OPERATION, "parse_f64");
            quote!(parse_f64(#name, #text).map(|v| v as f32))
        }
        Kind::Double => {
            uses.add(OPERATION, "parse_f64");
            quote!(parse_f64(#name, #text))
        }
        Kind::Timestamp(_) => {
            let function = match format.timestamp {
                TimestampFormat::Iso8601 => "parse_iso8601",
                TimestampFormat::HttpDate => "parse_http_date",
                TimestampFormat::EpochSeconds => "parse_epoch_seconds",
            };
            uses.add(CODEC, function);
            let function = super::name(function);
            quote!(#function(#text).map_err(ParseError::from))
        }
        Kind::Blob => {
            uses.add(OPERATION, "parse_blob");
            quote!(parse_blob(#name, #text))
        }
        _ => {
            uses.add(OPERATION, "parse_text");
            let ty = ctx.rust_type(shape, uses);
            quote!(parse_text::<#ty>(#name, #text))
        }
    }
}
