//! The `use` block of a generated file: only what the file refers to.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::name;

/// What a file refers to, collected while its items are emitted.
#[derive(Debug, Default)]
pub struct Uses {
    /// Rust names of `crate::types` items.
    pub types: BTreeSet<String>,
    pub hash_map: bool,
    pub date_time: bool,
    pub blob: bool,
    pub fmt: bool,
    /// Names from `serde` (`Serialize`, `Deserializer`, ...).
    pub serde: BTreeSet<&'static str>,
    /// Names from `brisk_runtime::codec`.
    pub codec: BTreeSet<&'static str>,
}

impl Uses {
    /// The `use` items, in a fixed order.
    pub fn tokens(&self) -> TokenStream {
        let mut items = Vec::new();
        if self.hash_map {
            items.push(quote!(
                use std::collections::HashMap;
            ));
        }
        if self.fmt {
            items.push(quote!(
                use std::fmt;
            ));
        }
        let mut codec: BTreeSet<&str> = self.codec.clone();
        if self.blob {
            codec.insert("Blob");
        }
        if self.date_time {
            codec.insert("DateTime");
        }
        if !codec.is_empty() {
            let names = codec.iter().map(|n| name(n));
            items.push(quote!(use brisk_runtime::codec::{#(#names),*};));
        }
        if !self.serde.is_empty() {
            let names = self.serde.iter().map(|n| name(n));
            items.push(quote!(use serde::{#(#names),*};));
        }
        if !self.types.is_empty() {
            let names = self.types.iter().map(|n| name(n));
            items.push(quote!(use crate::types::{#(#names),*};));
        }
        quote!(#(#items)*)
    }
}
