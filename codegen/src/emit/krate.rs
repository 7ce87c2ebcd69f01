//! Crate-level files: `Cargo.toml` and `src/lib.rs`.

use std::collections::BTreeMap;

use quote::quote;

use super::client::{ENDPOINT_RULES_FILE, PARTITIONS_FILE, client_file};
use super::operation::service_error_file;
use super::{Ctx, FileContent, inner_doc_attrs};

/// Versions the generated crate depends on; the workspace pins the same.
const SERDE_VERSION: &str = "1.0.228";
const SERDE_JSON_VERSION: &str = "1.0.145";

/// Emits `Cargo.toml`, `src/lib.rs`, the client, the errors and the endpoint data.
pub fn emit(ctx: &Ctx<'_>, files: &mut BTreeMap<String, FileContent>) {
    files.insert("Cargo.toml".to_owned(), FileContent::Text(cargo_toml(ctx)));
    files.insert("src/lib.rs".to_owned(), FileContent::Rust(lib_rs(ctx)));
    files.insert(
        "src/client.rs".to_owned(),
        FileContent::Rust(client_file(ctx)),
    );
    files.insert(
        "src/error.rs".to_owned(),
        FileContent::Rust(service_error_file(ctx)),
    );
    let data = [
        (ENDPOINT_RULES_FILE, &ctx.service.endpoint_rules),
        (PARTITIONS_FILE, &ctx.service.partitions),
    ];
    for (file, text) in data {
        if let Some(text) = text {
            files.insert(format!("src/{file}"), FileContent::Text(text.clone()));
        }
    }
}

fn cargo_toml(ctx: &Ctx<'_>) -> String {
    let info = &ctx.service.info;
    let options = ctx.options;
    format!(
        r#"# {header}

[package]
name = "{name}"
version = "0.1.0"
description = "Client for {full_name} ({service_id} {api_version}), generated from its botocore model."
edition = "2024"
rust-version = "1.95"
license = "Apache-2.0"
publish = false

[lib]
doctest = false

[features]
# `Client::from_mock`: typed handlers per operation instead of the network.
test-util = ["brisk-runtime/test-util"]

[dependencies]
brisk-runtime = {runtime}
serde = {{ version = "{SERDE_VERSION}", features = ["derive"] }}
serde_json = {{ version = "{SERDE_JSON_VERSION}", features = ["float_roundtrip"] }}
"#,
        header = options.header,
        name = options.crate_name,
        full_name = info.full_name,
        service_id = info.service_id,
        api_version = info.api_version,
        runtime = options.runtime_dependency,
    )
}

fn lib_rs(ctx: &Ctx<'_>) -> proc_macro2::TokenStream {
    let info = &ctx.service.info;
    let title = format!(" # {}", info.full_name);
    let version = format!(
        " Generated from the `{}` model, API version `{}`.",
        info.service_id, info.api_version
    );
    let docs = inner_doc_attrs(&info.docs);
    quote! {
        #![doc = #title]
        #![doc = ""]
        #docs
        #![doc = ""]
        #![doc = #version]

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod error;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod types;

        pub use brisk_runtime::{Config, Credentials};
        pub use client::Client;
        pub use error::Error;

        /// Client configuration: region, credentials, endpoint, retries, timeouts, transport.
        #[rustfmt::skip]
        pub mod config {
            pub use brisk_runtime::config::{ConfigBuilder, ConfigLoader, TimeSource, TimeoutConfig};
            pub use brisk_runtime::credentials::{Credentials, ProvideCredentials};
            pub use brisk_runtime::retry::{RetryConfig, RetryMode};
            pub use brisk_runtime::transport::{HttpTransport, HyperTransport};
            pub use brisk_runtime::Config;
        }

        /// A test double: [`Client::from_mock`] answers calls from typed handlers.
        #[cfg(feature = "test-util")]
        pub mod testing {
            pub use brisk_runtime::mock::Mock;
        }

        /// Value types that members use: timestamps and binary data.
        #[rustfmt::skip]
        pub mod primitives {
            pub use brisk_runtime::codec::{Blob, DateTime};
        }
    }
}
