//! Client-side validation as botocore does it: required members, and `min`
//! lengths and values, checked before anything is sent. `max`, `pattern` and
//! enum membership are left to the service.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, Uses, name};
use crate::ir::{Kind, Member, Shape};
use crate::names::{field_name, variant_name};

/// Whether values of `shape` carry any constraint, however deeply nested.
pub fn needs_validation(ctx: &Ctx<'_>, shape: &Shape) -> bool {
    needs_validation_inner(ctx, shape, &mut BTreeSet::new())
}

fn needs_validation_inner<'a>(
    ctx: &Ctx<'a>,
    shape: &'a Shape,
    seen: &mut BTreeSet<&'a str>,
) -> bool {
    if !seen.insert(&shape.name) {
        return false;
    }
    let nested = |target: &str, seen: &mut BTreeSet<&'a str>| {
        needs_validation_inner(ctx, ctx.service.shape(target), seen)
    };
    match &shape.kind {
        Kind::Structure(s) | Kind::Union(s) => s
            .members
            .iter()
            .any(|m| m.required || min_of(ctx, m).is_some() || nested(&m.target, seen)),
        Kind::List(item) => nested(&item.shape, seen),
        Kind::Map { value, .. } => nested(&value.shape, seen),
        _ => false,
    }
}

/// The `min` of a member's target, when it constrains anything.
fn min_of(ctx: &Ctx<'_>, member: &Member) -> Option<f64> {
    let target = ctx.service.shape(&member.target);
    let constrained = !matches!(
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
            let arms = s.members.iter().filter_map(|m| {
                let target = ctx.service.shape(&m.target);
                needs_validation(ctx, target).then(|| {
                    let variant = name(&variant_name(&m.name));
                    let member = &m.name;
                    quote!(Self::#variant(value) => validator.nested(#member, value),)
                })
            });
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

fn member_checks(ctx: &Ctx<'_>, member: &Member) -> Vec<TokenStream> {
    let field = name(&field_name(&member.name));
    let wire = &member.name;
    let mut checks = Vec::new();
    if member.required {
        checks.push(quote!(validator.required(#wire, self.#field.is_some());));
    }
    if let Some(min) = min_of(ctx, member) {
        checks.push(min_check(ctx, member, &field, min));
    }
    if needs_validation(ctx, ctx.service.shape(&member.target)) {
        checks.push(quote!(validator.nested(#wire, &self.#field);));
    }
    checks
}

fn min_check(ctx: &Ctx<'_>, member: &Member, field: &proc_macro2::Ident, min: f64) -> TokenStream {
    let wire = &member.name;
    let len = match &ctx.service.shape(&member.target).kind {
        Kind::String => quote!(|v| v.chars().count()),
        Kind::Blob => quote!(|v| v.as_bytes().len()),
        Kind::List(_) | Kind::Map { .. } => quote!(|v| v.len()),
        _ => {
            let min = proc_macro2::Literal::f64_unsuffixed(min);
            return quote!(validator.min_value(#wire, self.#field.map(|v| v as f64), #min););
        }
    };
    // Lengths are whole numbers in every model.
    let min = proc_macro2::Literal::usize_unsuffixed(min as usize);
    quote!(validator.min_len(#wire, self.#field.as_ref().map(#len), #min);)
}
