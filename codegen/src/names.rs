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

/// Type names that generated code uses unqualified; a shape with one of these
/// names gets the suffix `Value` (`String` -> `StringValue`).
const RESERVED_TYPE_NAMES: &[&str] = &[
    "String",
    "Option",
    "Result",
    "Vec",
    "Box",
    "HashMap",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Blob",
    "DateTime",
    "Client",
    "Config",
    "Error",
    "Self",
];

/// Type name for a shape or operation: `UpperCamelCase`, never a reserved name.
pub fn type_name(model_name: &str) -> String {
    let name = upper_camel(model_name);
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        format!("{name}Value")
    } else {
        name
    }
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

/// Checks that no two model names map to one Rust name where they share a scope.
pub fn check_collisions(service: &Service) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut report = |path: String, message: String| {
        diagnostics.push(Diagnostic::new(&service.file, path, message));
    };
    for placement in [Placement::Type, Placement::Error] {
        let shapes = service
            .shapes
            .keys()
            .filter(|name| service.placement(name) == placement);
        for (first, second, rust) in collisions(shapes.map(|n| (n.as_str(), type_module_name(n)))) {
            report(
                format!("shapes.{second}"),
                format!("shape `{second}` and shape `{first}` both become `{rust}`"),
            );
        }
    }
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
            Kind::Enum(values) => values
                .iter()
                .map(|v| (v.as_str(), variant_name(v)))
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
