//! Structures, unions, string enums and exceptions, and the `types` module files.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::operation::from_response_impl;
use super::serde_attrs::{RenameAll, field_attr};
use super::validate::validate_impl;
use super::{Ctx, FileContent, Uses, doc_attrs, name};
use crate::ir::{Kind, Member, Placement, Shape, Structure, TimestampFormat};
use crate::names::{enum_variant_names, field_name, type_module_name, type_name, variant_name};

/// Emits `src/types/**` for every shape placed there.
pub fn emit(ctx: &Ctx<'_>, files: &mut BTreeMap<String, FileContent>) {
    let mut types = Vec::new();
    let mut errors = Vec::new();
    for shape in ctx.service.shapes.values() {
        let module = type_module_name(&shape.name);
        match ctx.service.placement(&shape.name) {
            Placement::Type => {
                files.insert(
                    format!("src/types/{module}.rs"),
                    FileContent::Rust(type_file(ctx, shape)),
                );
                types.push(shape.name.as_str());
            }
            Placement::Error => {
                files.insert(
                    format!("src/types/error/{module}.rs"),
                    FileContent::Rust(error_file(ctx, shape)),
                );
                errors.push(shape.name.as_str());
            }
            Placement::Operation | Placement::Primitive => {}
        }
    }
    let service = &ctx.service.info.full_name;
    let types_doc = format!(" Data types of {service}.");
    let types_mod = module_index(&types);
    files.insert(
        "src/types/mod.rs".to_owned(),
        FileContent::Rust(quote! {
            #![doc = #types_doc]
            #types_mod
            pub mod error;
        }),
    );
    let errors_doc = format!(" The exceptions {service} models.");
    let errors_mod = module_index(&errors);
    files.insert(
        "src/types/error/mod.rs".to_owned(),
        FileContent::Rust(quote! {
            #![doc = #errors_doc]
            #errors_mod
        }),
    );
}

/// `mod x; pub use self::x::X;` for each shape.
fn module_index(shapes: &[&str]) -> TokenStream {
    let items = shapes.iter().map(|shape| {
        let module = name(&type_module_name(shape));
        let ty = name(&type_name(shape));
        quote! {
            mod #module;
            pub use self::#module::#ty;
        }
    });
    quote!(#(#items)*)
}

fn type_file(ctx: &Ctx<'_>, shape: &Shape) -> TokenStream {
    let mut uses = Uses::default();
    let rust_name = type_name(&shape.name);
    let validate = validate_impl(ctx, shape, &rust_name, &mut uses);
    let item = match &shape.kind {
        Kind::Structure(s) => structure(ctx, shape, &rust_name, s, &mut uses),
        Kind::Union(s) => union(ctx, shape, &rust_name, s, &mut uses),
        Kind::Enum(values) => string_enum(shape, &rust_name, values, &mut uses),
        _ => quote!(),
    };
    with_uses(ctx, uses, &rust_name, quote!(), quote!(#item #validate))
}

fn error_file(ctx: &Ctx<'_>, shape: &Shape) -> TokenStream {
    let mut uses = Uses::default();
    let rust_name = type_name(&shape.name);
    let item = match &shape.kind {
        Kind::Structure(s) => {
            let exception = exception(ctx, shape, &rust_name, s, &mut uses);
            let from_response = from_response_impl(ctx, &rust_name, s, &mut uses);
            quote!(#exception #from_response)
        }
        _ => quote!(),
    };
    with_uses(ctx, uses, &rust_name, quote!(), item)
}

/// A file: inner attributes, its `use` block, then its items. A type never imports itself.
pub fn with_uses(
    ctx: &Ctx<'_>,
    mut uses: Uses,
    own_name: &str,
    inner_attrs: TokenStream,
    items: TokenStream,
) -> TokenStream {
    uses.types.remove(own_name);
    let uses = uses.tokens(&ctx.options.root_path);
    quote!(#inner_attrs #uses #items)
}

/// A structure with public optional fields whose serde form is its JSON body.
pub fn structure(
    ctx: &Ctx<'_>,
    shape: &Shape,
    rust_name: &str,
    s: &Structure,
    uses: &mut Uses,
) -> TokenStream {
    let docs = doc_attrs(&shape.docs);
    let ident = name(rust_name);
    let rename_all = RenameAll::choose(&s.members);
    let container_attr = rename_all.container_attr();
    let fields: Vec<TokenStream> = s
        .members
        .iter()
        .map(|m| field(ctx, &shape.name, m, rename_all, uses))
        .collect();
    let redact = shape.sensitive || s.members.iter().any(|m| ctx.is_sensitive(m));
    let derive_debug = if redact { quote!() } else { quote!(Debug,) };
    let debug_impl = if redact {
        redacting_debug(ctx, shape, rust_name, s, uses)
    } else {
        quote!()
    };
    uses.add_all("serde", &["Deserialize", "Serialize"]);
    quote! {
        #docs
        #[derive(Clone, #derive_debug Default, PartialEq, Serialize, Deserialize)]
        #container_attr
        pub struct #ident {
            #(#fields)*
        }
        #debug_impl
    }
}

fn field(
    ctx: &Ctx<'_>,
    owner: &str,
    member: &Member,
    rename_all: RenameAll,
    uses: &mut Uses,
) -> TokenStream {
    let mut doc_lines = member.docs.clone();
    if member.required {
        if !doc_lines.is_empty() {
            doc_lines.push(String::new());
        }
        doc_lines.push("Required.".to_owned());
    }
    let docs = doc_attrs(&doc_lines);
    let attr = field_attr(ctx, member, rename_all);
    let ident = name(&field_name(&member.name));
    let ty = ctx.member_type(owner, member, uses);
    quote! {
        #docs
        #attr
        pub #ident: #ty,
    }
}

/// `Debug` that prints sensitive members (or the whole value) as redacted.
fn redacting_debug(
    ctx: &Ctx<'_>,
    shape: &Shape,
    rust_name: &str,
    s: &Structure,
    uses: &mut Uses,
) -> TokenStream {
    uses.add("std::fmt", "self");
    uses.add("brisk_runtime::codec", "Redacted");
    let ident = name(rust_name);
    let body = if shape.sensitive {
        quote!(f.debug_tuple(#rust_name).field(&Redacted).finish())
    } else {
        let fields = s.members.iter().map(|m| {
            let field = field_name(&m.name);
            let ident = name(&field);
            if ctx.is_sensitive(m) {
                quote!(.field(#field, &Redacted))
            } else {
                quote!(.field(#field, &self.#ident))
            }
        });
        quote!(f.debug_struct(#rust_name) #(#fields)* .finish())
    };
    quote! {
        impl fmt::Debug for #ident {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                #body
            }
        }
    }
}

/// A modeled exception: a structure that is also an `Error`.
fn exception(
    ctx: &Ctx<'_>,
    shape: &Shape,
    rust_name: &str,
    s: &Structure,
    uses: &mut Uses,
) -> TokenStream {
    let item = structure(ctx, shape, rust_name, s, uses);
    let ident = name(rust_name);
    let code = s
        .error
        .as_ref()
        .map_or(shape.name.as_str(), |e| e.code.as_str());
    let message = s.members.iter().find(|m| {
        m.name.eq_ignore_ascii_case("message")
            && matches!(ctx.service.shape(&m.target).kind, Kind::String)
            && !ctx.is_sensitive(m)
    });
    let write_message = message.map(|m| {
        let field = name(&field_name(&m.name));
        quote! {
            if let Some(message) = &self.#field {
                write!(f, ": {message}")?;
            }
        }
    });
    uses.add("std::fmt", "self");
    quote! {
        #item

        impl #ident {
            /// The error code the service sends for this exception.
            pub const CODE: &'static str = #code;
        }

        impl fmt::Display for #ident {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(Self::CODE)?;
                #write_message
                Ok(())
            }
        }

        impl std::error::Error for #ident {}
    }
}

/// A union: one variant per member plus `Unknown`, which keeps the name of a
/// member this version does not know.
fn union(
    ctx: &Ctx<'_>,
    shape: &Shape,
    rust_name: &str,
    s: &Structure,
    uses: &mut Uses,
) -> TokenStream {
    let docs = doc_attrs(&shape.docs);
    let ident = name(rust_name);
    let variants: Vec<UnionVariant> = s
        .members
        .iter()
        .map(|m| UnionVariant::new(ctx, &shape.name, m, uses))
        .collect();
    let declarations = variants.iter().map(|v| {
        let (docs, ident, ty) = (doc_attrs(&v.member.docs), &v.ident, &v.ty);
        quote!(#docs #ident(#ty),)
    });
    let serialize_arms = variants.iter().map(|v| v.serialize_arm());
    let read_arms = variants.iter().map(|v| v.read_arm());
    let redact = shape.sensitive || s.members.iter().any(|m| ctx.is_sensitive(m));
    let derive_debug = if redact { quote!() } else { quote!(Debug,) };
    let debug_impl = if redact {
        union_debug(ctx, rust_name, &variants, shape.sensitive, uses)
    } else {
        quote!()
    };
    uses.add_all(
        "serde",
        &["Deserialize", "Deserializer", "Serialize", "Serializer"],
    );
    uses.add_all(
        "brisk_runtime::codec",
        &[
            "MapAccess",
            "Union",
            "deserialize_union",
            "serialize_union_member",
            "unknown_union_member",
        ],
    );
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, #derive_debug PartialEq)]
        pub enum #ident {
            #(#declarations)*
            /// A member this version of the crate does not know; holds the member's name.
            Unknown(String),
        }

        impl Serialize for #ident {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::Unknown(member) => unknown_union_member::<S>(Self::NAME, member),
                }
            }
        }

        impl<'de> Deserialize<'de> for #ident {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize_union(d)
            }
        }

        impl Union for #ident {
            const NAME: &'static str = #rust_name;

            fn read_member<'de, A: MapAccess<'de>>(
                member: &str,
                map: &mut A,
            ) -> Result<Option<Self>, A::Error> {
                let value = match member {
                    #(#read_arms)*
                    _ => return Ok(None),
                };
                Ok(Some(value))
            }

            fn unknown(member: String) -> Self {
                Self::Unknown(member)
            }
        }

        #debug_impl
    }
}

/// One member of a union, as a variant.
struct UnionVariant<'a> {
    member: &'a Member,
    ident: proc_macro2::Ident,
    ty: TokenStream,
    /// The timestamp format when the member is a timestamp.
    timestamp: Option<TimestampFormat>,
}

impl<'a> UnionVariant<'a> {
    fn new(ctx: &Ctx<'_>, owner: &str, member: &'a Member, uses: &mut Uses) -> Self {
        let ty = ctx.rust_type(&member.target, uses);
        let ty = if ctx.is_recursive(owner, member) {
            quote!(Box<#ty>)
        } else {
            ty
        };
        let timestamp = matches!(ctx.service.shape(&member.target).kind, Kind::Timestamp(_))
            .then(|| ctx.service.timestamp_format(member));
        if timestamp.is_some() {
            uses.add_all(
                "brisk_runtime::codec",
                &["In", "Out", timestamp_codec(timestamp)],
            );
        }
        UnionVariant {
            member,
            ident: name(&variant_name(&member.name)),
            ty,
            timestamp,
        }
    }

    fn wire_name(&self) -> &str {
        match &self.member.location {
            crate::ir::Location::Body { name } => name,
            _ => &self.member.name,
        }
    }

    fn serialize_arm(&self) -> TokenStream {
        let (ident, wire) = (&self.ident, self.wire_name());
        match self.timestamp {
            Some(format) => {
                let format = name(timestamp_codec(Some(format)));
                quote!(Self::#ident(v) => serialize_union_member(s, #wire, &Out::<#format, _>::new(v)),)
            }
            None => quote!(Self::#ident(v) => serialize_union_member(s, #wire, v),),
        }
    }

    fn read_arm(&self) -> TokenStream {
        let (ident, wire) = (&self.ident, self.wire_name());
        match self.timestamp {
            Some(format) => {
                let format = name(timestamp_codec(Some(format)));
                quote!(#wire => Self::#ident(map.next_value::<In<#format, _>>()?.into_inner()),)
            }
            None => quote!(#wire => Self::#ident(map.next_value()?),),
        }
    }
}

fn timestamp_codec(format: Option<TimestampFormat>) -> &'static str {
    match format {
        Some(TimestampFormat::Iso8601) => "Iso8601",
        Some(TimestampFormat::HttpDate) => "HttpDate",
        _ => "EpochSeconds",
    }
}

fn union_debug(
    ctx: &Ctx<'_>,
    rust_name: &str,
    variants: &[UnionVariant<'_>],
    whole: bool,
    uses: &mut Uses,
) -> TokenStream {
    uses.add("std::fmt", "self");
    uses.add("brisk_runtime::codec", "Redacted");
    let ident = name(rust_name);
    let arms = variants.iter().map(|v| {
        let variant = &v.ident;
        let label = variant.to_string();
        if whole || ctx.is_sensitive(v.member) {
            quote!(Self::#variant(_) => f.debug_tuple(#label).field(&Redacted).finish(),)
        } else {
            quote!(Self::#variant(v) => f.debug_tuple(#label).field(v).finish(),)
        }
    });
    quote! {
        impl fmt::Debug for #ident {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    #(#arms)*
                    Self::Unknown(member) => f.debug_tuple("Unknown").field(member).finish(),
                }
            }
        }
    }
}

/// A string enum: known values as variants, anything else kept in `Unknown`.
fn string_enum(shape: &Shape, rust_name: &str, values: &[String], uses: &mut Uses) -> TokenStream {
    let docs = doc_attrs(&shape.docs);
    let ident = name(rust_name);
    let variants: Vec<_> = enum_variant_names(values).iter().map(|v| name(v)).collect();
    let variant_docs = values.iter().map(|v| format!(" `{v}`"));
    uses.add("std::fmt", "self");
    uses.add_all(
        "serde",
        &["Deserialize", "Deserializer", "Serialize", "Serializer"],
    );
    uses.add("brisk_runtime::codec", "deserialize_string_enum");
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum #ident {
            #(#[doc = #variant_docs] #variants,)*
            /// A value this version of the crate does not know, kept as received.
            Unknown(String),
        }

        impl #ident {
            /// Every value the model defines, in model order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl std::str::FromStr for #ident {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for #ident {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl fmt::Display for #ident {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #ident {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #ident {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize_string_enum(d)
            }
        }
    }
}
