//! Rust expressions that build typed values from JSON test-case values.
//!
//! botocore's protocol test cases give inputs, outputs and errors as JSON keyed
//! by member name, with their own conventions: timestamps are epoch seconds,
//! blobs are UTF-8 text, special floats are the strings `"NaN"`, `"Infinity"`
//! and `"-Infinity"`. [`Literals`] turns such a value into the expression that
//! builds the generated type, e.g. `Foo { bar: Some(String::from("x")), ..Default::default() }`.

use std::fmt;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::Options;
use crate::companions::Companions;
use crate::emit::Ctx;
use crate::ir::{Kind, Member, Placement, Service, Structure};
use crate::names::{field_name, ident, type_name, variant_name};

/// A JSON value that does not fit its shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralError {
    /// Where in the value, e.g. `nested.items[2]`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for LiteralError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for LiteralError {}

type Result<T> = std::result::Result<T, LiteralError>;

/// Builds expressions for the types of a service generated with `options`.
pub struct Literals<'a> {
    service: &'a Service,
    options: &'a Options,
    /// Literals need no paginators or waiters; emit's context wants some.
    companions: Companions,
}

impl<'a> Literals<'a> {
    /// Literals for `service` as generated with `options` (its `root_path` prefixes every type).
    pub fn new(service: &'a Service, options: &'a Options) -> Self {
        Literals {
            service,
            options,
            companions: Companions::default(),
        }
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx::new(self.service, &self.companions, self.options)
    }

    /// An operation's input or output: the structure `shape` (or an empty one
    /// when the operation has none) as the type at `rust_type`.
    pub fn operation_structure(
        &self,
        shape: Option<&str>,
        rust_type: &TokenStream,
        value: &Value,
    ) -> Result<TokenStream> {
        let empty = Structure::default();
        let (owner, structure) = match shape.map(|s| (s, &self.service.shape(s).kind)) {
            Some((name, Kind::Structure(s))) => (name, s),
            Some((name, _)) => return Err(error("", format!("`{name}` is not a structure"))),
            None => ("", &empty),
        };
        self.structure(owner, structure, rust_type, value, "")
    }

    /// A value of shape `shape`.
    pub fn value(&self, shape: &str, value: &Value) -> Result<TokenStream> {
        self.at(shape, value, "")
    }

    fn at(&self, shape: &str, value: &Value, path: &str) -> Result<TokenStream> {
        let kind = &self.service.shape(shape).kind;
        match kind {
            Kind::Structure(s) => self.structure(shape, s, &self.type_path(shape), value, path),
            Kind::Union(s) => self.union(shape, s, value, path),
            Kind::Enum(_) => {
                let text = expect_str(value, path)?;
                let ty = self.type_path(shape);
                Ok(quote!(#ty::from(#text)))
            }
            Kind::String => Ok(string(expect_str(value, path)?)),
            Kind::Boolean => match value {
                Value::Bool(b) => Ok(quote!(#b)),
                _ => Err(error(path, format!("expected a boolean, found {value}"))),
            },
            Kind::Byte | Kind::Short | Kind::Integer | Kind::Long => integer(kind, value, path),
            Kind::Float | Kind::Double => float(kind, value, path),
            Kind::Timestamp(_) => timestamp(value, path),
            Kind::Blob if self.service.shape(shape).streaming => {
                let text = expect_str(value, path)?;
                Ok(quote!(brisk_runtime::ByteStream::from(#text)))
            }
            Kind::Blob => {
                let text = expect_str(value, path)?;
                Ok(quote!(brisk_runtime::codec::Blob::from(#text)))
            }
            Kind::Document => {
                let json = document(value);
                Ok(quote!(serde_json::json!(#json)))
            }
            Kind::List(item) => {
                let Value::Array(items) = value else {
                    return Err(error(path, format!("expected a list, found {value}")));
                };
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.at(&item.shape, v, &format!("{path}[{i}]")))
                    .collect::<Result<Vec<_>>>()?;
                Ok(quote!(vec![#(#items),*]))
            }
            Kind::Map { key, value: target } => {
                let Value::Object(entries) = value else {
                    return Err(error(path, format!("expected a map, found {value}")));
                };
                // A null entry stands for "no value"; generated maps hold no such entries.
                let entries = entries
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| {
                        let key = self.at(&key.shape, &Value::String(k.clone()), path)?;
                        let value = self.at(&target.shape, v, &join(path, k))?;
                        Ok(quote!((#key, #value)))
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(quote!(std::collections::HashMap::from([#(#entries),*])))
            }
        }
    }

    fn structure(
        &self,
        owner: &str,
        s: &Structure,
        rust_type: &TokenStream,
        value: &Value,
        path: &str,
    ) -> Result<TokenStream> {
        let Value::Object(members) = value else {
            return Err(error(path, format!("expected a structure, found {value}")));
        };
        let mut fields = Vec::new();
        for (name, value) in members.iter().filter(|(_, v)| !v.is_null()) {
            let member = find_member(s, name, path)?;
            let field = ident(&field_name(&member.name));
            let inner = self.member_value(owner, member, value, &join(path, name))?;
            fields.push(quote!(#field: Some(#inner),));
        }
        if fields.is_empty() {
            return Ok(quote!(#rust_type::default()));
        }
        if fields.len() == s.members.len() {
            return Ok(quote!(#rust_type { #(#fields)* }));
        }
        Ok(quote!(#rust_type { #(#fields)* ..Default::default() }))
    }

    /// A member's value, boxed where the generated type boxes it.
    fn member_value(
        &self,
        owner: &str,
        member: &Member,
        value: &Value,
        path: &str,
    ) -> Result<TokenStream> {
        let inner = if member.json_value && !value.is_string() {
            // A `jsonvalue` member holds JSON text; test cases give the JSON itself.
            string(&value.to_string())
        } else {
            self.at(&member.target, value, path)?
        };
        if self.ctx().is_recursive(owner, member) {
            Ok(quote!(Box::new(#inner)))
        } else {
            Ok(inner)
        }
    }

    fn union(&self, shape: &str, s: &Structure, value: &Value, path: &str) -> Result<TokenStream> {
        let ty = self.type_path(shape);
        let set: Vec<(&String, &Value)> = match value {
            Value::Object(members) => members.iter().filter(|(_, v)| !v.is_null()).collect(),
            _ => return Err(error(path, format!("expected a union, found {value}"))),
        };
        let [(name, value)] = set.as_slice() else {
            return Err(error(path, "a union value sets exactly one member"));
        };
        if name.as_str() == "SDK_UNKNOWN_MEMBER" {
            let unknown = value.get("name").and_then(Value::as_str).ok_or_else(|| {
                error(path, "SDK_UNKNOWN_MEMBER needs a `name` string".to_owned())
            })?;
            return Ok(quote!(#ty::Unknown(#unknown.to_owned())));
        }
        let member = find_member(s, name, path)?;
        let variant = ident(&variant_name(&member.name));
        let inner = self.member_value(shape, member, value, &join(path, name))?;
        Ok(quote!(#ty::#variant(#inner)))
    }

    /// The path of a named type: `<root>::types::X` or `<root>::types::error::X`.
    fn type_path(&self, shape: &str) -> TokenStream {
        let root = self.ctx().root();
        let name = ident(&type_name(shape));
        match self.service.placement(shape) {
            Placement::Error => quote!(#root::types::error::#name),
            _ => quote!(#root::types::#name),
        }
    }
}

fn find_member<'s>(s: &'s Structure, name: &str, path: &str) -> Result<&'s Member> {
    s.members
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| error(path, format!("`{name}` is not a member")))
}

fn string(text: &str) -> TokenStream {
    quote!(String::from(#text))
}

fn integer(kind: &Kind, value: &Value, path: &str) -> Result<TokenStream> {
    let n = value
        .as_i64()
        .ok_or_else(|| error(path, format!("expected an integer, found {value}")))?;
    let out_of_range = || error(path, format!("{n} is out of range"));
    let literal = match kind {
        Kind::Byte => Literal::i8_suffixed(i8::try_from(n).map_err(|_| out_of_range())?),
        Kind::Short => Literal::i16_suffixed(i16::try_from(n).map_err(|_| out_of_range())?),
        Kind::Integer => Literal::i32_suffixed(i32::try_from(n).map_err(|_| out_of_range())?),
        _ => Literal::i64_suffixed(n),
    };
    Ok(quote!(#literal))
}

fn float(kind: &Kind, value: &Value, path: &str) -> Result<TokenStream> {
    let ty = match kind {
        Kind::Float => quote!(f32),
        _ => quote!(f64),
    };
    match value {
        Value::String(s) if s == "NaN" => Ok(quote!(#ty::NAN)),
        Value::String(s) if s == "Infinity" => Ok(quote!(#ty::INFINITY)),
        Value::String(s) if s == "-Infinity" => Ok(quote!(#ty::NEG_INFINITY)),
        Value::Number(n) => {
            let n = n
                .as_f64()
                .ok_or_else(|| error(path, format!("{n} is not a float")))?;
            let literal = match kind {
                Kind::Float => Literal::f32_suffixed(n as f32),
                _ => Literal::f64_suffixed(n),
            };
            Ok(quote!(#literal))
        }
        _ => Err(error(path, format!("expected a float, found {value}"))),
    }
}

/// Epoch seconds, whole or fractional (kept to the millisecond, as services send them).
fn timestamp(value: &Value, path: &str) -> Result<TokenStream> {
    if let Some(seconds) = value.as_i64() {
        return Ok(quote! {
            brisk_runtime::codec::DateTime::from_unix_timestamp(#seconds).expect("timestamp in range")
        });
    }
    let seconds = value
        .as_f64()
        .ok_or_else(|| error(path, format!("expected epoch seconds, found {value}")))?;
    let nanos = (seconds * 1000.0).round() as i128 * 1_000_000;
    Ok(quote! {
        brisk_runtime::codec::DateTime::from_unix_timestamp_nanos(#nanos).expect("timestamp in range")
    })
}

/// The tokens of `value` as `serde_json::json!` reads them.
fn document(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => {
            let literal = if let Some(i) = n.as_i64() {
                Literal::i64_unsuffixed(i)
            } else if let Some(u) = n.as_u64() {
                Literal::u64_unsuffixed(u)
            } else {
                Literal::f64_unsuffixed(n.as_f64().unwrap_or_default())
            };
            quote!(#literal)
        }
        Value::String(s) => quote!(#s),
        Value::Array(items) => {
            let items = items.iter().map(document);
            quote!([#(#items),*])
        }
        Value::Object(members) => {
            let members = members.iter().map(|(k, v)| {
                let v = document(v);
                quote!(#k: #v)
            });
            quote!({#(#members),*})
        }
    }
}

fn expect_str<'v>(value: &'v Value, path: &str) -> Result<&'v str> {
    value
        .as_str()
        .ok_or_else(|| error(path, format!("expected a string, found {value}")))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn error(path: &str, message: impl Into<String>) -> LiteralError {
    LiteralError {
        path: path.to_owned(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ModelSources;
    use crate::botocore::Source;

    fn service() -> Service {
        let model = json!({
            "metadata": {"apiVersion": "2024-01-01", "protocol": "rest-json", "endpointPrefix": "t"},
            "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"},
                                  "input": {"shape": "Input"}, "errors": [{"shape": "Oops"}]}},
            "shapes": {
                "Input": {"type": "structure", "members": {
                    "name": {"shape": "String"},
                    "count": {"shape": "Byte"},
                    "ratio": {"shape": "Float"},
                    "at": {"shape": "Timestamp"},
                    "data": {"shape": "Blob"},
                    "doc": {"shape": "Doc"},
                    "kinds": {"shape": "KindMap"},
                    "node": {"shape": "Node"},
                    "choice": {"shape": "Choice"},
                    "attr": {"shape": "String", "jsonvalue": true, "location": "header", "locationName": "X-Attr"}
                }},
                "Node": {"type": "structure", "members": {
                    "value": {"shape": "String"},
                    "next": {"shape": "Node"}
                }},
                "Choice": {"type": "structure", "union": true, "members": {
                    "text": {"shape": "String"},
                    "items": {"shape": "Items"}
                }},
                "Oops": {"type": "structure", "exception": true, "members": {"message": {"shape": "String"}}},
                "Items": {"type": "list", "member": {"shape": "Double"}},
                "KindMap": {"type": "map", "key": {"shape": "Kind"}, "value": {"shape": "Items"}},
                "Kind": {"type": "string", "enum": ["a", "b"]},
                "String": {"type": "string"},
                "Byte": {"type": "byte"},
                "Float": {"type": "float"},
                "Double": {"type": "double"},
                "Timestamp": {"type": "timestamp"},
                "Blob": {"type": "blob"},
                "Doc": {"type": "structure", "document": true}
            }
        });
        let sources = ModelSources {
            service: Source::new("test.json", model.to_string()),
            paginators: None,
            waiters: None,
            endpoint_rules: None,
            partitions: None,
        };
        crate::load(&sources).unwrap()
    }

    fn options() -> Options {
        Options {
            crate_name: "t".to_owned(),
            runtime_dependency: String::new(),
            header: String::new(),
            root_path: "crate::sdk".to_owned(),
        }
    }

    fn input(value: Value) -> Result<String> {
        let (service, options) = (service(), options());
        let literals = Literals::new(&service, &options);
        let ty = quote!(OpInput);
        literals
            .operation_structure(Some("Input"), &ty, &value)
            .map(|t| t.to_string())
    }

    #[test]
    fn scalars_follow_the_test_conventions() {
        let text = input(json!({
            "name": "x", "count": 7, "ratio": "-Infinity", "at": 946845296.123, "data": "hi"
        }))
        .unwrap();
        for expected in [
            "name : Some (String :: from (\"x\"))",
            "count : Some (7i8)",
            "ratio : Some (f32 :: NEG_INFINITY)",
            "from_unix_timestamp_nanos (946845296123000000i128)",
            "brisk_runtime :: codec :: Blob :: from (\"hi\")",
            ".. Default :: default ()",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
    }

    #[test]
    fn nested_values_use_the_generated_types() {
        let text = input(json!({
            "node": {"value": "a", "next": {"value": "b"}},
            "choice": {"items": [1, 2.5]},
            "kinds": {"a": [0.5], "b": null},
            "doc": {"k": [1, null, "s"]},
            "attr": {"Foo": "Bar"}
        }))
        .unwrap();
        for expected in [
            "node : Some (crate :: sdk :: types :: Node { next : Some (Box :: new (crate :: sdk :: types :: Node { value : Some (String :: from (\"b\")) , .. Default :: default () })) , value : Some (String :: from (\"a\")) , })",
            "crate :: sdk :: types :: Choice :: Items (vec ! [1f64 , 2.5f64])",
            "HashMap :: from ([(crate :: sdk :: types :: Kind :: from (\"a\") , vec ! [0.5f64])])",
            "serde_json :: json ! ({ \"k\" : [1 , null , \"s\"] })",
            "attr : Some (String :: from (\"{\\\"Foo\\\":\\\"Bar\\\"}\"))",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
    }

    #[test]
    fn empty_inputs_and_errors_and_unknown_union_members() {
        assert_eq!(
            input(json!({"name": null})).unwrap(),
            "OpInput :: default ()"
        );
        let (service, options) = (service(), options());
        let literals = Literals::new(&service, &options);
        let oops = literals.value("Oops", &json!({"message": "m"})).unwrap();
        assert_eq!(
            oops.to_string(),
            "crate :: sdk :: types :: error :: Oops { message : Some (String :: from (\"m\")) , }"
        );
        let unknown = literals
            .value("Choice", &json!({"SDK_UNKNOWN_MEMBER": {"name": "new"}}))
            .unwrap();
        assert_eq!(
            unknown.to_string(),
            "crate :: sdk :: types :: Choice :: Unknown (\"new\" . to_owned ())"
        );
    }

    #[test]
    fn values_that_do_not_fit_are_errors_with_their_path() {
        let error = input(json!({"node": {"next": {"value": 3}}})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "at `node.next.value`: expected a string, found 3"
        );
        let error = input(json!({"count": 300})).unwrap_err();
        assert_eq!(error.to_string(), "at `count`: 300 is out of range");
        let error = input(json!({"nope": 1})).unwrap_err();
        assert_eq!(error.to_string(), "`nope` is not a member");
        let error = input(json!({"choice": {"text": "a", "items": []}})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "at `choice`: a union value sets exactly one member"
        );
    }
}
