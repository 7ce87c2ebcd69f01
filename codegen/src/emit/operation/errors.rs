//! Each operation's error enum, and the service-wide `Error` that every one of
//! them converts into.

use proc_macro2::TokenStream;
use quote::quote;

use super::OperationParts;
use crate::emit::{Ctx, Uses, doc_attrs, name};
use crate::ir::Placement;
use crate::names::type_name;

/// The operation's error enum: one variant per modeled exception, plus
/// `Unhandled` for any other code.
pub fn error_enum(ctx: &Ctx<'_>, parts: &OperationParts<'_>, uses: &mut Uses) -> TokenStream {
    let ident = name(&parts.error_name);
    let doc = format!(" An error of `{}`.", parts.op.name);
    let variants = variant_names(&parts.op.errors);
    for variant in &variants {
        uses.errors.insert(variant.clone());
    }
    enum_with_impls(ctx, &ident, &doc, &parts.op.errors, false, uses)
}

fn variant_names(errors: &[String]) -> Vec<String> {
    errors.iter().map(|e| type_name(e)).collect()
}

/// An error enum over `errors` with `Display`, `Error` and `code()`; with
/// `sdk`, also a variant for calls that failed without a service error.
fn enum_with_impls(
    ctx: &Ctx<'_>,
    ident: &proc_macro2::Ident,
    doc: &str,
    errors: &[String],
    sdk: bool,
    uses: &mut Uses,
) -> TokenStream {
    uses.add("std::fmt", "self");
    uses.add("brisk_runtime", "ErrorMetadata");
    let variants: Vec<_> = variant_names(errors).iter().map(|v| name(v)).collect();
    let docs = errors
        .iter()
        .map(|e| doc_attrs(&super::summary(&ctx.service.shape(e).docs)));
    let sdk_variant = sdk.then(|| {
        quote! {
            /// The call failed without a service error: the request could not be
            /// built or sent, it timed out, or the response could not be read.
            Sdk(Box<SdkError<#ident>>),
        }
    });
    let sdk_arm = |arm: TokenStream| sdk.then_some(arm);
    let code_arm = sdk_arm(quote!(Self::Sdk(_) => None,));
    let display_arm = sdk_arm(quote!(Self::Sdk(e) => e.fmt(f),));
    let source_arm = sdk_arm(quote!(Self::Sdk(e) => Some(e.as_ref()),));
    quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #ident {
            #(#docs #variants(#variants),)*
            /// An error the model does not list here; keeps its code, message, request id and status.
            Unhandled(ErrorMetadata),
            #sdk_variant
        }

        impl #ident {
            /// The error code the service sent.
            pub fn code(&self) -> Option<&str> {
                match self {
                    #(Self::#variants(_) => Some(#variants::CODE),)*
                    Self::Unhandled(meta) => meta.code(),
                    #code_arm
                }
            }
        }

        impl fmt::Display for #ident {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    #(Self::#variants(e) => e.fmt(f),)*
                    Self::Unhandled(meta) => meta.fmt(f),
                    #display_arm
                }
            }
        }

        impl std::error::Error for #ident {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #(Self::#variants(e) => Some(e),)*
                    Self::Unhandled(meta) => Some(meta),
                    #source_arm
                }
            }
        }
    }
}

/// The body of `parse_error`: the modeled exception whose code matches, else `Unhandled`.
pub fn parse_error_body(
    _ctx: &Ctx<'_>,
    parts: &OperationParts<'_>,
    _uses: &mut Uses,
) -> TokenStream {
    let variants: Vec<_> = variant_names(&parts.op.errors)
        .iter()
        .map(|v| name(v))
        .collect();
    if variants.is_empty() {
        return quote! {
            let _ = response;
            Ok(Self::Error::Unhandled(meta))
        };
    }
    quote! {
        let error = match meta.code() {
            #(Some(#variants::CODE) => Self::Error::#variants(#variants::from_response(response)?),)*
            _ => Self::Error::Unhandled(meta),
        };
        Ok(error)
    }
}

/// `src/error.rs`: the runtime's error types and the service-wide `Error`.
pub fn service_error_file(ctx: &Ctx<'_>) -> TokenStream {
    let mut uses = Uses::default();
    let errors: Vec<String> = ctx
        .service
        .shapes
        .keys()
        .filter(|s| ctx.service.placement(s) == Placement::Error)
        .cloned()
        .collect();
    for error in &errors {
        uses.errors.insert(type_name(error));
    }
    let ident = name("Error");
    let doc = format!(" Any error of {}.", ctx.service.info.full_name);
    let error_enum = enum_with_impls(ctx, &ident, &doc, &errors, true, &mut uses);
    uses.remove("brisk_runtime", "ErrorMetadata");
    let conversions = ctx.service.operations.iter().map(|op| {
        let parts = OperationParts::new(ctx, op);
        let op_error = name(&parts.error_name);
        let module = name(&crate::names::module_name(&op.name));
        let variants: Vec<_> = variant_names(&op.errors).iter().map(|v| name(v)).collect();
        let root = ctx.root();
        quote! {
            impl From<#root::operation::#module::#op_error> for Error {
                fn from(error: #root::operation::#module::#op_error) -> Self {
                    use #root::operation::#module::#op_error as E;
                    match error {
                        #(E::#variants(e) => Self::#variants(e),)*
                        E::Unhandled(meta) => Self::Unhandled(meta),
                    }
                }
            }
        }
    });
    let uses = uses.tokens(&ctx.options.root_path);
    quote! {
        #![doc = " Errors: the runtime's error types and the service-wide [`Error`]."]
        #uses
        pub use brisk_runtime::error::{RawResponse, ServiceError, TimeoutKind};
        pub use brisk_runtime::operation::{BuildError, InvalidInput, ParseError};
        pub use brisk_runtime::{ConfigError, ErrorMetadata, SdkError};

        #error_enum

        #(#conversions)*

        /// A client that could not be set up (no region, no endpoint).
        impl From<ConfigError> for Error {
            fn from(error: ConfigError) -> Self {
                Self::Sdk(Box::new(SdkError::construction_failure(error)))
            }
        }

        /// A failed call: the service's error when it sent one, else the
        /// request, timeout, transport or response failure.
        impl<E: Into<Error>> From<SdkError<E>> for Error {
            fn from(error: SdkError<E>) -> Self {
                match error {
                    SdkError::ServiceError(e) => e.into_err().into(),
                    other => Self::Sdk(Box::new(other.map_service_error(Into::into))),
                }
            }
        }
    }
}
