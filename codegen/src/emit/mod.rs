//! Emit stage: IR and names in, token streams out, one per generated file.
//!
//! Emitters are small pure functions composed with `quote!`. The only strings
//! they build are doc text and literals; everything else is tokens.

mod client;
mod krate;
mod operation;
mod serde_attrs;
mod shapes;
mod uses;
mod validate;
mod wire_text;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::Options;
use crate::companions::Companions;
use crate::ir::{Kind, Member, Placement, Service};
use crate::names::{ident, type_name};

pub use uses::Uses;

/// A generated file before rendering.
pub enum FileContent {
    /// Rust source, rendered by `prettyplease`.
    Rust(TokenStream),
    /// Any other text (`Cargo.toml`), written as is.
    Text(String),
}

/// Every file of the generated crate, keyed by path relative to its root.
pub fn emit(
    service: &Service,
    companions: &Companions,
    options: &Options,
) -> BTreeMap<String, FileContent> {
    let ctx = Ctx::new(service, companions, options);
    let mut files = BTreeMap::new();
    krate::emit(&ctx, &mut files);
    shapes::emit(&ctx, &mut files);
    operation::emit(&ctx, &mut files);
    files
}

/// What every emitter reads.
pub struct Ctx<'a> {
    pub service: &'a Service,
    pub companions: &'a Companions,
    pub options: &'a Options,
    /// Shapes that can appear in a request: operation inputs and all they hold.
    pub sent_shapes: BTreeSet<String>,
    /// Shapes whose values carry constraints to check before sending.
    pub validated: BTreeSet<String>,
    /// Rust names of the types in `types` and `types::error`.
    pub type_names: BTreeSet<String>,
}

impl<'a> Ctx<'a> {
    /// The context for emitting `service`.
    pub fn new(service: &'a Service, companions: &'a Companions, options: &'a Options) -> Self {
        Ctx {
            service,
            companions,
            options,
            validated: validate::validated_shapes(service),
            sent_shapes: service.reachable_from(
                service
                    .operations
                    .iter()
                    .filter_map(|op| op.input.as_deref()),
            ),
            type_names: service
                .shapes
                .keys()
                .filter(|s| matches!(service.placement(s), Placement::Type | Placement::Error))
                .map(|s| type_name(s))
                .collect(),
        }
    }

    /// The generated crate's root as a path: `crate` unless mounted as a module.
    pub fn root(&self) -> TokenStream {
        self.options
            .root_path
            .parse()
            .unwrap_or_else(|_| quote!(crate))
    }

    /// The Rust type of a value of shape `shape`, recording what it needs imported.
    pub fn rust_type(&self, shape: &str, uses: &mut Uses) -> TokenStream {
        match &self.service.shape(shape).kind {
            Kind::Structure(_) | Kind::Union(_) | Kind::Enum(_) => {
                let name = type_name(shape);
                let ty = ident(&name);
                uses.types.insert(name);
                quote!(#ty)
            }
            Kind::String => quote!(String),
            Kind::Boolean => quote!(bool),
            Kind::Byte => quote!(i8),
            Kind::Short => quote!(i16),
            Kind::Integer => quote!(i32),
            Kind::Long => quote!(i64),
            Kind::Float => quote!(f32),
            Kind::Double => quote!(f64),
            Kind::Timestamp(_) => {
                uses.add("brisk_runtime::codec", "DateTime");
                quote!(DateTime)
            }
            Kind::Blob if self.service.shape(shape).streaming => {
                uses.add("brisk_runtime::body", "ByteStream");
                quote!(ByteStream)
            }
            Kind::Blob => {
                uses.add("brisk_runtime::codec", "Blob");
                quote!(Blob)
            }
            Kind::Document => quote!(serde_json::Value),
            Kind::List(member) => {
                let member = self.rust_type(&member.shape, uses);
                quote!(Vec<#member>)
            }
            Kind::Map { key, value } => {
                uses.add("std::collections", "HashMap");
                let key = self.rust_type(&key.shape, uses);
                let value = self.rust_type(&value.shape, uses);
                quote!(HashMap<#key, #value>)
            }
        }
    }

    /// The type of a member's field: optional, boxed when the member leads back
    /// to its own structure.
    pub fn member_type(&self, owner: &str, member: &Member, uses: &mut Uses) -> TokenStream {
        let ty = self.rust_type(&member.target, uses);
        if self.is_recursive(owner, member) {
            quote!(Option<Box<#ty>>)
        } else {
            quote!(Option<#ty>)
        }
    }

    /// Whether `member` of `owner` leads back to `owner` through structures and
    /// unions alone (lists and maps already give the indirection a type needs).
    pub fn is_recursive(&self, owner: &str, member: &Member) -> bool {
        let mut stack = vec![member.target.as_str()];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(shape) = stack.pop() {
            if shape == owner {
                return true;
            }
            if !seen.insert(shape) {
                continue;
            }
            if let Kind::Structure(s) | Kind::Union(s) = &self.service.shape(shape).kind {
                stack.extend(s.members.iter().map(|m| m.target.as_str()));
            }
        }
        false
    }

    /// Whether `Debug` must hide a member's value: the member, its shape, or
    /// anything a list or map of it holds is sensitive.
    pub fn is_sensitive(&self, member: &Member) -> bool {
        member.sensitive || self.is_sensitive_shape(&member.target)
    }

    fn is_sensitive_shape(&self, shape: &str) -> bool {
        let shape = self.service.shape(shape);
        shape.sensitive
            || match &shape.kind {
                Kind::List(t) => t.sensitive || self.is_sensitive_shape(&t.shape),
                Kind::Map { key, value } => {
                    key.sensitive
                        || value.sensitive
                        || self.is_sensitive_shape(&key.shape)
                        || self.is_sensitive_shape(&value.shape)
                }
                _ => false,
            }
    }
}

/// `#[doc]` attributes, one per Markdown line.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| doc_text(line));
    quote!(#(#[doc = #lines])*)
}

/// `#![doc]` attributes, one per Markdown line, for a module's own docs.
pub fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| doc_text(line));
    quote!(#(#![doc = #lines])*)
}

/// A doc line as `///` renders it: one space after the slashes.
fn doc_text(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

/// An identifier for a Rust name made by the names stage.
pub fn name(rust_name: &str) -> Ident {
    ident(rust_name)
}
