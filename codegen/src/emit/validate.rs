//! Client-side validation as botocore does it: required members, and `min`
//! lengths and values, checked before anything is sent. `max`, `pattern` and
//! enum membership are left to the service.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, Uses, name};
use crate::ir::{Kind, Member, Service, Shape};
use crate::names::{field_name, variant_name};

/// Every shape whose values carry a constraint, however deeply nested: the
/// least fixpoint of [`checks_itself`], so recursive shapes settle.
pub fn validated_shapes(service: &Service) -> BTreeSet<String> {
    let mut validated = BTreeSet::new();
    loop {
        let grown: Vec<&String> = service
            .shapes
            .iter()
            .filter(|(name, shape)| {
                !validated.contains(name.as_str()) && checks_itself(service, &validated, shape)
            })
            .map(|(name, _)| name)
            .collect();
        if grown.is_empty() {
            return validated;
        }
        validated.extend(grown.into_iter().cloned());
    }
}

/// Whether `shape` has a check of its own or holds a shape in `validated`.
fn checks_itself(service: &Service, validated: &BTreeSet<String>, shape: &Shape) -> bool {
    let nested = |target: &str| validated.contains(target);
    match &shape.kind {
        Kind::Structure(s) => s
            .members
            .iter()
            .any(|m| m.required || min_of(service, m).is_some() || nested(&m.target)),
        Kind::Union(s) => s
            .members
            .iter()
            .any(|m| min_of(service, m).is_some() || nested(&m.target)),
        Kind::List(item) => nested(&item.shape),
        Kind::Map { value, .. } => nested(&value.shape),
        _ => false,
    }
}

/// Whether values of `shape` carry any constraint, however deeply nested.
pub fn needs_validation(ctx: &Ctx<'_>, shape: &Shape) -> bool {
    checks_itself(ctx.service, &ctx.validated, shape)
}

/// The `min` of a member's target, when it constrains anything.
fn min_of(service: &Service, member: &Member) -> Option<f64> {
    let target = service.shape(&member.target);
    // A stream's length is not known before it is sent.
    let constrained = !target.streaming
        && !matches!(
            target.kind,
            Kind::Enum(_) | Kind::Boolean | Kind::Timestamp(_)
        );
    target.min.filter(|min| *min > 0.0 && constrained)
}

/// `impl Validate` for a structure or union whose values carry constraints.
pub fn validate_impl(
    ctx: &Ctx<'_>,
    shape: &Shape,
    rust_name: &str,
    uses: &mut Uses,
) -> TokenStream {
    if !ctx.sent_shapes.contains(&shape.name) || !needs_validation(ctx, shape) {
        return quote!();
    }
    uses.add_all("brisk_runtime::operation", &["Validate", "Validator"]);
    let ident = name(rust_name);
    let body = match &shape.kind {
        Kind::Structure(s) => {
            let checks = s.members.iter().flat_map(|m| member_checks(ctx, m));
            quote!(#(#checks)*)
        }
        Kind::Union(s) => {
            let arms = s.members.iter().filter_map(|m| union_arm(ctx, m));
            quote! {
                match self {
                    #(#arms)*
                    _ => {}
                }
            }
        }
        _ => return quote!(),
    };
    quote! {
        impl Validate for #ident {
            fn validate(&self, validator: &mut Validator) {
                #body
            }
        }
    }
}

/// The checks of one union member's value, if it has any.
fn union_arm(ctx: &Ctx<'_>, member: &Member) -> Option<TokenStream> {
    let variant = name(&variant_name(&member.name));
    let wire = &member.name;
    let check = if let Some(min) = min_of(ctx.service, member) {
        min_check(ctx, member, min, Access::UnionValue)
    } else if ctx.validated.contains(&member.target) {
        quote!(validator.nested(#wire, value))
    } else {
        return None;
    };
    Some(quote!(Self::#variant(value) => #check,))
}

fn member_checks(ctx: &Ctx<'_>, member: &Member) -> Vec<TokenStream> {
    let field = name(&field_name(&member.name));
    let wire = &member.name;
    let mut checks = Vec::new();
    if member.required {
        checks.push(quote!(validator.required(#wire, self.#field.is_some());));
    }
    if let Some(min) = min_of(ctx.service, member) {
        let check = min_check(ctx, member, min, Access::Field(&field));
        checks.push(quote!(#check;));
    }
    if ctx.validated.contains(&member.target) {
        checks.push(quote!(validator.nested(#wire, &self.#field);));
    }
    checks
}

/// Where a checked value is: a structure's optional field, or the `value`
/// bound by a union's match arm.
enum Access<'a> {
    Field(&'a proc_macro2::Ident),
    UnionValue,
}

/// A `min` check of a member's value (a length, or a number), as an expression.
fn min_check(ctx: &Ctx<'_>, member: &Member, min: f64, access: Access<'_>) -> TokenStream {
    let wire = &member.name;
    let len = match &ctx.service.shape(&member.target).kind {
        Kind::String => quote!(|v| v.chars().count()),
        Kind::Blob => quote!(|v| v.as_bytes().len()),
        Kind::List(_) | Kind::Map { .. } => quote!(|v| v.len()),
        _ => {
            let min = proc_macro2::Literal::f64_unsuffixed(min);
            let value = match access {
                Access::Field(field) => quote!(self.#field.map(|v| v as f64)),
                Access::UnionValue => quote!(Some(*value as f64)),
            };
            return quote!(validator.min_value(#wire, #value, #min));
        }
    };
    let len = match access {
        Access::Field(field) => quote!(self.#field.as_ref().map(#len)),
        Access::UnionValue => quote!(Some(value).map(#len)),
    };
    // Lengths are whole numbers in every model.
    let min = proc_macro2::Literal::usize_unsuffixed(min as usize);
    quote!(validator.min_len(#wire, #len, #min))
}
