//! Each operation's error enum, and the service-wide `Error` that every one of
//! them converts into.

use proc_macro2::TokenStream;
use quote::quote;

use super::{OperationParts, response};
use crate::emit::{Ctx, Uses, doc_attrs, name};
use crate::ir::{Kind, Placement};
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
    uses.add("brisk_runtime", "ErrorMetadata");
    let variants: Vec<_> = variants.iter().map(|v| name(v)).collect();
    let docs = parts
        .op
        .errors
        .iter()
        .map(|e| doc_attrs(&super::summary(&ctx.service.shape(e).docs)));
    quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #ident {
            #(#docs #variants(#variants),)*
            /// An error the model does not list here; keeps its code, message, request id and status.
            Unhandled(ErrorMetadata),
        }

        brisk_runtime::impl_operation_error!(#ident #(, #variants)*);
    }
}

fn variant_names(errors: &[String]) -> Vec<String> {
    errors.iter().map(|e| type_name(e)).collect()
}

/// The service-wide error enum: every modeled exception, `Unhandled`, and `Sdk`
/// for calls that failed without a service error; with `code()`, `Display` and `Error`.
fn service_error_enum(ctx: &Ctx<'_>, errors: &[String], uses: &mut Uses) -> TokenStream {
    uses.add("std::fmt", "self");
    let doc = format!(" Any error of {}.", ctx.service.info.full_name);
    let variants: Vec<_> = variant_names(errors).iter().map(|v| name(v)).collect();
    let docs = errors
        .iter()
        .map(|e| doc_attrs(&super::summary(&ctx.service.shape(e).docs)));
    quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum Error {
            #(#docs #variants(#variants),)*
            /// An error the model does not list; keeps its code, message, request id and status.
            Unhandled(ErrorMetadata),
            /// The call failed without a service error: the request could not be
            /// built or sent, it timed out, or the response could not be read.
            Sdk(Box<SdkError<Error>>),
        }

        impl Error {
            /// The error code the service sent.
            pub fn code(&self) -> Option<&str> {
                match self {
                    #(Self::#variants(_) => Some(#variants::CODE),)*
                    Self::Unhandled(meta) => meta.code(),
                    Self::Sdk(_) => None,
                }
            }
        }

        impl fmt::Display for Error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    #(Self::#variants(e) => e.fmt(f),)*
                    Self::Unhandled(meta) => meta.fmt(f),
                    Self::Sdk(e) => e.fmt(f),
                }
            }
        }

        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #(Self::#variants(e) => Some(e),)*
                    Self::Unhandled(meta) => Some(meta),
                    Self::Sdk(e) => e.source(),
                }
            }
        }
    }
}

/// The body of `parse_error`: the modeled exception whose code matches, else `Unhandled`.
pub fn parse_error_body(ctx: &Ctx<'_>, parts: &OperationParts<'_>, uses: &mut Uses) -> TokenStream {
    let arms: Vec<TokenStream> = parts
        .op
        .errors
        .iter()
        .filter_map(|error| {
            let Kind::Structure(s) = &ctx.service.shape(error).kind else {
                return None;
            };
            let variant = name(&type_name(error));
            let read = response::read_value(s, &quote!(#variant), uses);
            Some(quote!(Some(#variant::CODE) => Self::Error::#variant(#read),))
        })
        .collect();
    let reads_response = parts.op.errors.iter().any(|error| {
        matches!(&ctx.service.shape(error).kind,
            Kind::Structure(s) if response::Reading::of(s) != response::Reading::Nothing)
    });
    let ignore_response = (!reads_response).then(|| quote!(let _ = response;));
    if arms.is_empty() {
        return quote! {
            #ignore_response
            Ok(Self::Error::Unhandled(meta))
        };
    }
    quote! {
        #ignore_response
        let error = match meta.code() {
            #(#arms)*
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
    let error_enum = service_error_enum(ctx, &errors, &mut uses);
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
