//! Names stage: the only place model names become Rust names.
//!
//! Model names are free-form (`type`, `1080p`, `UserID`, a shape named
//! `String`); Rust names must be identifiers that do not clash with keywords or
//! with the names generated code relies on.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{Kind, Placement, Service};

/// Rust keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Names in scope in every generated file without an import: Rust 2024's
/// prelude (types, traits, variants, derive macros) and `Self`.
const PRELUDE_NAMES: &[&str] = &[
    "Copy",
    "Send",
    "Sized",
    "Sync",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Box",
    "ToOwned",
    "Clone",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Default",
    "Iterator",
    "Extend",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "ToString",
    "Vec",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Future",
    "IntoFuture",
    "Debug",
    "Hash",
    "Self",
];

/// Every item a generated file may import unqualified (`use brisk_runtime::...::Item`,
/// `use std::...::Item`, `use serde::Item`). The emitters import nothing else
/// (checked by `Uses::add`), so a shape named like one of these cannot collide.
pub const IMPORTED_NAMES: &[&str] = &[
    // brisk_runtime and its re-exports
    "Acceptor",
    "AcceptorState",
    "AuthScheme",
    "Blob",
    "BuildError",
    "ByteStream",
    "Bytes",
    "DateTime",
    "EpochSeconds",
    "ErrorCode",
    "HttpDate",
    "Iso8601",
    "ErrorMetadata",
    "Handle",
    "In",
    "Items",
    "MapAccess",
    "Matcher",
    "Method",
    "Operation",
    "Out",
    "Pages",
    "ParseError",
    "Redacted",
    "Request",
    "RequestBuilder",
    "Response",
    "Schedule",
    "SdkError",
    "StreamingOutput",
    "TokenAccess",
    "Union",
    "Validate",
    "Validator",
    "WaiterError",
    "deserialize_string_enum",
    "deserialize_union",
    "format_blob",
    "format_epoch_seconds",
    "format_float",
    "format_http_date",
    "format_iso8601",
    "format_json_value",
    "header",
    "idempotency_token",
    "join_header_list",
    "json_body",
    "parse_blob",
    "parse_epoch_seconds",
    "parse_f64",
    "parse_http_date",
    "parse_iso8601",
    "parse_json_value",
    "parse_text",
    "prefixed_headers",
    "send",
    "send_streaming",
    "serialize_union_member",
    "split_header_list",
    "split_http_date_list",
    "unknown_union_member",
    "wait",
    // std and serde
    "Duration",
    "HashMap",
    "self",
    "Deserialize",
    "Deserializer",
    "Serialize",
    "Serializer",
];

/// Names the generated crate gives its own items at its root or in every
/// `types` module (`crate::Client`, `crate::Error`, `crate::Config`, `types::error`).
const CRATE_NAMES: &[&str] = &["Client", "Config", "Credentials", "Error"];

/// Whether a shape's type would clash with a name generated code relies on.
fn is_reserved_type_name(name: &str) -> bool {
    PRELUDE_NAMES.contains(&name) || IMPORTED_NAMES.contains(&name) || CRATE_NAMES.contains(&name)
}

/// Fluent-builder methods that are not member setters.
const BUILDER_METHODS: &[&str] = &["new", "as_input", "send", "into_paginator"];

/// Type name for a shape or operation: `UpperCamelCase`, never a reserved name.
pub fn type_name(model_name: &str) -> String {
    let name = upper_camel(model_name);
    if is_reserved_type_name(&name) {
        format!("{name}Value")
    } else {
        name
    }
}

/// Variant names for a string enum's values, in order. Values that differ only
/// in case or punctuation (`invalid_request`, `INVALID_REQUEST`) keep the first
/// spelling's name; later ones take a number (`InvalidRequest2`).
pub fn enum_variant_names(values: &[String]) -> Vec<String> {
    let mut taken = std::collections::BTreeSet::new();
    values
        .iter()
        .map(|value| {
            let base = variant_name(value);
            let name = (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}{n}")
                    }
                })
                .find(|candidate| !taken.contains(candidate))
                .unwrap_or(base);
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// The builder method that sets a member (`field_name` of it), clear of the
/// builder's own methods (`send` -> `send_value`).
pub fn builder_method_name(field: &str) -> String {
    if BUILDER_METHODS.contains(&field) || field.starts_with("wait_until_") {
        format!("{field}_value")
    } else {
        field.to_owned()
    }
}

/// The builder method that sets or clears a member.
pub fn builder_setter_name(field: &str) -> String {
    format!("set_{}", field.trim_start_matches('_'))
}

/// Variant name for an enum value or a union member.
pub fn variant_name(model_name: &str) -> String {
    let name = upper_camel(model_name);
    if name == "Unknown" || name == "Self" {
        format!("{name}Value")
    } else {
        name
    }
}

/// Field name for a member: `snake_case`; keywords are handled by [`ident`].
pub fn field_name(model_name: &str) -> String {
    let name = ascii_identifier(&model_name.to_snake_case());
    if name.is_empty() {
        return "value".to_owned();
    }
    if starts_with_digit(&name) {
        format!("_{name}")
    } else {
        name
    }
}

/// Module name for an operation or shape file: `snake_case`.
pub fn module_name(model_name: &str) -> String {
    field_name(model_name)
}

/// Keeps only what a Rust identifier may hold (ASCII letters, digits, `_`);
/// names that then coincide are reported by [`check_collisions`].
fn ascii_identifier(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

fn upper_camel(model_name: &str) -> String {
    let name = ascii_identifier(&model_name.to_upper_camel_case());
    if name.is_empty() {
        "Value".to_owned()
    } else if starts_with_digit(&name) {
        // `1080p` -> `_1080p`: identifiers cannot start with a digit.
        format!("_{name}")
    } else {
        name
    }
}

fn starts_with_digit(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// The identifier for `name`: raw for keywords (`r#type`), `self_` where raw is not allowed.
pub fn ident(name: &str) -> Ident {
    if RAW_KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else if NON_RAW_KEYWORDS.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// How serde's `rename_all = "camelCase"` spells a `snake_case` field.
pub fn serde_camel_case(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper_next = false;
    for c in field.chars() {
        if c == '_' {
            upper_next = true;
        } else if upper_next {
            out.extend(c.to_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// How serde's `rename_all = "PascalCase"` spells a `snake_case` field.
pub fn serde_pascal_case(field: &str) -> String {
    let camel = serde_camel_case(field);
    let mut chars = camel.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => camel,
    }
}

/// Module (file) name of a shape in `types`, from its Rust type name.
pub fn type_module_name(model_name: &str) -> String {
    module_name(&type_name(model_name))
}

/// Renames shapes whose types would share a Rust name with an earlier shape
/// (`Foo_Bar` and `FooBar` both become `FooBar`): the later one, in model-name
/// order, takes a number (`FooBar2`). Types and errors count as one scope,
/// since an operation's file imports both.
pub fn resolve_type_collisions(service: &mut Service) {
    let mut taken = std::collections::BTreeSet::new();
    let mut renames = Vec::new();
    for name in service.shapes.keys() {
        if !matches!(service.placement(name), Placement::Type | Placement::Error) {
            continue;
        }
        let module = type_module_name(name);
        if taken.insert(module) {
            continue;
        }
        let renamed = (2..)
            .map(|n| format!("{name}{n}"))
            .find(|candidate| {
                !service.shapes.contains_key(candidate)
                    && !taken.contains(&type_module_name(candidate))
            })
            .unwrap_or_else(|| name.clone());
        taken.insert(type_module_name(&renamed));
        renames.push((name.clone(), renamed));
    }
    for (from, to) in renames {
        service.rename_shape(&from, &to);
    }
}

/// Checks that no two model names map to one Rust name where they share a scope.
pub fn check_collisions(service: &Service) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut report = |path: String, message: String| {
        diagnostics.push(Diagnostic::new(&service.file, path, message));
    };
    let operations = service
        .operations
        .iter()
        .map(|op| (op.name.as_str(), module_name(&op.name)));
    for (first, second, rust) in collisions(operations) {
        report(
            format!("operations.{second}"),
            format!("operation `{second}` and operation `{first}` both become `{rust}`"),
        );
    }
    for shape in service.shapes.values() {
        let path = format!("shapes.{}", shape.name);
        let members: Vec<(&str, String)> = match &shape.kind {
            Kind::Structure(s) => s
                .members
                .iter()
                .map(|m| (m.name.as_str(), field_name(&m.name)))
                .collect(),
            Kind::Union(s) => s
                .members
                .iter()
                .map(|m| (m.name.as_str(), variant_name(&m.name)))
                .collect(),
            _ => continue,
        };
        for (first, second, rust) in collisions(members.into_iter()) {
            report(
                format!("{path}.members.{second}"),
                format!("`{second}` and `{first}` both become `{rust}`"),
            );
        }
    }
    diagnostics.into_result(())
}

/// Pairs of model names (first seen, later one) that map to the same Rust name.
fn collisions<'a>(
    names: impl Iterator<Item = (&'a str, String)>,
) -> Vec<(&'a str, &'a str, String)> {
    let mut seen: BTreeMap<String, &'a str> = BTreeMap::new();
    let mut found = Vec::new();
    for (model, rust) in names {
        match seen.get(&rust) {
            Some(first) => found.push((*first, model, rust)),
            None => {
                seen.insert(rust, model);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rule = fn(&str) -> String;

    #[test]
    fn naming_table() {
        let cases: &[(&str, Rule, &str)] = &[
            ("CreateRoomRequest", type_name, "CreateRoomRequest"),
            ("UserID", type_name, "UserId"),
            ("ID", type_name, "Id"),
            ("String", type_name, "StringValue"),
            ("Result", type_name, "ResultValue"),
            ("s3", variant_name, "S3"),
            ("SEND_MESSAGE", variant_name, "SendMessage"),
            ("1080p", variant_name, "_1080p"),
            ("application/json", variant_name, "ApplicationJson"),
            ("UNKNOWN", variant_name, "UnknownValue"),
            ("roomIdentifier", field_name, "room_identifier"),
            ("ID", field_name, "id"),
            ("UserID", field_name, "user_id"),
            ("type", field_name, "type"),
            ("2fa", field_name, "_2fa"),
            ("emoji😀name", field_name, "emoji_name"),
            ("😀", field_name, "value"),
            ("a.b/c", variant_name, "ABC"),
            ("CreateChatToken", module_name, "create_chat_token"),
            ("ListTagsForResource", module_name, "list_tags_for_resource"),
        ];
        for (input, f, expected) in cases {
            assert_eq!(f(input), *expected, "{input}");
        }
    }

    #[test]
    fn keywords_become_raw_or_suffixed_identifiers() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("match").to_string(), "r#match");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("crate").to_string(), "crate_");
        assert_eq!(ident("room_id").to_string(), "room_id");
    }

    #[test]
    fn serde_spellings_match_rename_all() {
        assert_eq!(serde_camel_case("room_identifier"), "roomIdentifier");
        assert_eq!(serde_pascal_case("room_identifier"), "RoomIdentifier");
        assert_eq!(serde_camel_case("s3"), "s3");
    }
}
