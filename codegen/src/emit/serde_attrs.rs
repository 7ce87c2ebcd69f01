//! serde attributes that make a structure's serde form its JSON wire form.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::ir::{Kind, Location, Member, Shape, TimestampFormat};
use crate::names::{field_name, ident, serde_camel_case, serde_pascal_case};

/// The `rename_all` that spells the most body members right without `rename`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameAll {
    None,
    CamelCase,
    PascalCase,
}

impl RenameAll {
    fn spell(self, field: &str) -> String {
        match self {
            RenameAll::None => field.to_owned(),
            RenameAll::CamelCase => serde_camel_case(field),
            RenameAll::PascalCase => serde_pascal_case(field),
        }
    }

    /// Picks the spelling that needs the fewest per-field renames.
    pub fn choose(members: &[Member]) -> RenameAll {
        let body: Vec<(String, &str)> = members
            .iter()
            .filter_map(|m| match &m.location {
                Location::Body { name } => Some((serde_field_name(&m.name), name.as_str())),
                _ => None,
            })
            .collect();
        let matches = |rule: RenameAll| {
            body.iter()
                .filter(|(field, wire)| rule.spell(field) == *wire)
                .count()
        };
        let mut best = RenameAll::None;
        for rule in [RenameAll::CamelCase, RenameAll::PascalCase] {
            if matches(rule) > matches(best) {
                best = rule;
            }
        }
        best
    }

    /// The container attribute, if any.
    pub fn container_attr(self) -> TokenStream {
        match self {
            RenameAll::None => quote!(),
            RenameAll::CamelCase => quote!(#[serde(rename_all = "camelCase")]),
            RenameAll::PascalCase => quote!(#[serde(rename_all = "PascalCase")]),
        }
    }
}

/// The field attribute of `member`: skipped unless it is a body member; renamed
/// where `rename_all` spells it wrong; timestamps in their wire format.
pub fn field_attr(ctx: &Ctx<'_>, member: &Member, rename_all: RenameAll) -> TokenStream {
    let Location::Body { name: wire } = &member.location else {
        return quote!(#[serde(skip)]);
    };
    let mut parts = Vec::new();
    if rename_all.spell(&serde_field_name(&member.name)) != *wire {
        parts.push(quote!(rename = #wire));
    }
    if let Some(format) = timestamp_format(ctx, member) {
        let with = format!("brisk_runtime::codec::{}", codec_module(format));
        parts.push(quote!(default, with = #with));
    } else if holds_floats(ctx, member) {
        // JSON has no NaN or infinities; AWS protocols send them as strings,
        // in lists and maps too (whose `null` values it drops, as `dense_map` does).
        parts.push(quote!(
            default,
            with = "brisk_runtime::codec::special_float"
        ));
    } else if matches!(ctx.service.shape(&member.target).kind, Kind::Map { .. }) {
        // A map entry whose value is `null` is dropped, as AWS SDKs do for dense maps.
        parts.push(quote!(
            default,
            deserialize_with = "brisk_runtime::codec::dense_map"
        ));
    }
    parts.push(quote!(skip_serializing_if = "Option::is_none"));
    quote!(#[serde(#(#parts),*)])
}

/// The field's name as serde sees it: the identifier without `r#`.
fn serde_field_name(member: &str) -> String {
    let ident = ident(&field_name(member)).to_string();
    ident.trim_start_matches("r#").to_owned()
}

/// The wire format of the timestamps a member holds, directly or in lists and maps.
fn timestamp_format(ctx: &Ctx<'_>, member: &Member) -> Option<TimestampFormat> {
    let shape = innermost_shape(ctx, &member.target);
    let Kind::Timestamp(shape_format) = &shape.kind else {
        return None;
    };
    let direct = shape.name == member.target;
    let member_format = member.timestamp_format.filter(|_| direct);
    Some(
        member_format
            .or(*shape_format)
            .unwrap_or(TimestampFormat::EpochSeconds),
    )
}

/// Whether a member holds floats, directly or in lists and maps.
fn holds_floats(ctx: &Ctx<'_>, member: &Member) -> bool {
    matches!(
        innermost_shape(ctx, &member.target).kind,
        Kind::Float | Kind::Double
    )
}

/// The shape of the values in `target` once its lists and maps are looked through.
fn innermost_shape<'a>(ctx: &Ctx<'a>, target: &str) -> &'a Shape {
    let mut shape = ctx.service.shape(target);
    loop {
        match &shape.kind {
            Kind::List(t) => shape = ctx.service.shape(&t.shape),
            Kind::Map { value, .. } => shape = ctx.service.shape(&value.shape),
            _ => return shape,
        }
    }
}

fn codec_module(format: TimestampFormat) -> &'static str {
    match format {
        TimestampFormat::EpochSeconds => "epoch_seconds",
        TimestampFormat::Iso8601 => "iso8601",
        TimestampFormat::HttpDate => "http_date",
    }
}
