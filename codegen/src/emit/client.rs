//! `src/client.rs`: the `Client`, one method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::operation::{OperationParts, summary};
use super::{Ctx, doc_attrs, name};
use crate::names::module_name;

/// The name of the file the endpoint rules are copied to, next to `client.rs`.
pub const ENDPOINT_RULES_FILE: &str = "endpoint-rule-set-1.json";
/// The name of the file `partitions.json` is copied to, next to `client.rs`.
pub const PARTITIONS_FILE: &str = "partitions.json";

/// The client file.
pub fn client_file(ctx: &Ctx<'_>) -> TokenStream {
    let info = &ctx.service.info;
    let service_id = &info.service_id;
    let signing_name = &info.signing_name;
    let rules = if ctx.service.endpoint_rules.is_some() {
        quote!(include_str!(#ENDPOINT_RULES_FILE))
    } else {
        quote!("")
    };
    let partitions = if ctx.service.partitions.is_some() {
        quote!(include_str!(#PARTITIONS_FILE))
    } else {
        quote!("")
    };
    let doc = format!(" A client for {}.", info.full_name);
    let methods = ctx.service.operations.iter().map(|op| {
        let parts = OperationParts::new(ctx, op);
        let method = name(&module_name(&op.name));
        let module = method.clone();
        let builder = name(&parts.builder_name);
        let docs = doc_attrs(&summary(&op.docs));
        let root = ctx.root();
        quote! {
            #docs
            pub fn #method(&self) -> #root::operation::#module::#builder {
                #root::operation::#module::#builder::new(self.handle.clone())
            }
        }
    });
    quote! {
        use brisk_runtime::{Config, ConfigError, Handle, ServiceMeta};

        /// What the runtime needs to know about this service.
        const SERVICE: ServiceMeta = ServiceMeta {
            service_id: #service_id,
            signing_name: #signing_name,
            endpoint_rules: #rules,
            partitions: #partitions,
        };

        #[doc = #doc]
        ///
        /// Cheap to clone: clones share one connection pool, endpoint and retry quota.
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: Handle,
        }

        impl Client {
            /// A client with `config`; fails when no region is set or the endpoint
            /// cannot be resolved.
            pub fn from_conf(config: Config) -> Result<Self, ConfigError> {
                Ok(Self {
                    handle: Handle::new(SERVICE, config)?,
                })
            }

            /// A client configured from the environment and the shared AWS
            /// config and credentials files.
            pub fn from_env() -> Result<Self, ConfigError> {
                Self::from_conf(Config::from_env().build())
            }

            /// A client whose calls are answered by `mock`'s typed handlers, with
            /// no network; the inputs it receives are recorded in `mock`.
            #[cfg(feature = "test-util")]
            pub fn from_mock(mock: std::sync::Arc<brisk_runtime::mock::Mock>) -> Self {
                Self {
                    handle: Handle::with_mock(SERVICE, mock),
                }
            }

            /// The configuration this client was built with.
            pub fn config(&self) -> &Config {
                self.handle.config()
            }

            #(#methods)*
        }
    }
}
