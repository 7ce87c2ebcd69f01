//! The `use` block of a generated file: only what the file refers to.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

/// What a file refers to, collected while its items are emitted.
#[derive(Debug, Default)]
pub struct Uses {
    /// Rust names of `crate::types` items.
    pub types: BTreeSet<String>,
    /// Rust names of `crate::types::error` items.
    pub errors: BTreeSet<String>,
    /// Items by module: `("brisk_runtime::codec", "Blob")`, `("std::fmt", "self")`.
    items: BTreeMap<&'static str, BTreeSet<&'static str>>,
}

impl Uses {
    /// Records that the file uses `item` of `module` (`self` for the module itself).
    pub fn add(&mut self, module: &'static str, item: &'static str) {
        debug_assert!(
            crate::names::IMPORTED_NAMES.contains(&item),
            "generator bug: `{item}` is imported but not in names::IMPORTED_NAMES"
        );
        self.items.entry(module).or_default().insert(item);
    }

    /// Records several items of one module.
    pub fn add_all(&mut self, module: &'static str, items: &[&'static str]) {
        for item in items {
            self.add(module, item);
        }
    }

    /// The `use` items: std, then other crates, then this crate (whose root
    /// path is `root`), each sorted.
    pub fn tokens(&self, root: &str) -> TokenStream {
        let (std, external): (Vec<_>, Vec<_>) = self
            .items
            .iter()
            .partition(|(module, _)| module.starts_with("std"));
        let mut lines: Vec<String> = std
            .into_iter()
            .chain(external)
            .map(|(module, items)| use_line(module, items.iter().copied()))
            .collect();
        if !self.errors.is_empty() {
            let module = format!("{root}::types::error");
            lines.push(use_line(&module, self.errors.iter().map(String::as_str)));
        }
        if !self.types.is_empty() {
            let module = format!("{root}::types");
            lines.push(use_line(&module, self.types.iter().map(String::as_str)));
        }
        let items = lines.iter().map(|line| {
            line.parse::<TokenStream>()
                .unwrap_or_else(|e| panic!("generator bug: `{line}` is not Rust: {e}"))
        });
        quote!(#(#items)*)
    }
}

fn use_line<'a>(module: &str, items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    match items.as_slice() {
        ["self"] => format!("use {module};"),
        [item] => format!("use {module}::{item};"),
        _ => format!("use {module}::{{{}}};", items.join(", ")),
    }
}
