//! Render stage: token streams to formatted source with the generated-file header.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::emit::FileContent;

/// Renders every file; Rust files are parsed and pretty-printed.
pub fn render(
    files: BTreeMap<String, FileContent>,
    header: &str,
) -> Result<BTreeMap<String, String>, Diagnostic> {
    files
        .into_iter()
        .map(|(path, content)| {
            let text = match content {
                FileContent::Text(text) => text,
                FileContent::Rust(tokens) => rust_file(&path, tokens, header)?,
            };
            Ok((path, text))
        })
        .collect()
}

fn rust_file(
    path: &str,
    tokens: proc_macro2::TokenStream,
    header: &str,
) -> Result<String, Diagnostic> {
    let file: syn::File = syn::parse2(tokens).map_err(|error| {
        Diagnostic::new(
            path,
            "",
            format!("generated code does not parse (a generator bug): {error}"),
        )
    })?;
    let source = space_items(&prettyplease::unparse(&file));
    Ok(format!("// {header}\n\n{source}"))
}

/// Puts a blank line after the module docs, after the `use` block, and between
/// items that follow a closing brace, as hand-written Rust has them.
fn space_items(source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let mut use_group = None;
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("use ") {
            let group = use_group_of(line);
            if use_group.is_some_and(|previous| previous != group) {
                out.push('\n');
            }
            use_group = Some(group);
        }
        out.push_str(line);
        out.push('\n');
        if let Some(next) = lines.get(i + 1)
            && needs_blank_between(line, next)
        {
            out.push('\n');
        }
    }
    out
}

/// `use` groups as rustfmt keeps them apart: std, other crates, this crate.
fn use_group_of(line: &str) -> u8 {
    if line.starts_with("use std::") {
        0
    } else if line.starts_with("use crate::") {
        2
    } else {
        1
    }
}

fn needs_blank_between(line: &str, next: &str) -> bool {
    if next.trim().is_empty() {
        return false;
    }
    const ITEM_STARTS: &[&str] = &[
        "pub ",
        "fn ",
        "impl",
        "#[",
        "///",
        "mod ",
        "const ",
        "struct ",
        "enum ",
        "type ",
        "brisk_runtime::",
    ];
    let indent = |l: &str| l.len() - l.trim_start().len();
    let next_starts_item = ITEM_STARTS.iter().any(|s| next.trim_start().starts_with(s));
    let ends_block = (matches!(line.trim(), "}" | "};") || line.ends_with(" {}"))
        && indent(line) == indent(next);
    let docs_end = line.starts_with("//!") && !next.starts_with("//!");
    let in_use_block = next.starts_with("use ") || next.starts_with(' ');
    let uses_end =
        (line.starts_with("use ") && line.ends_with(';') || line == "};") && !in_use_block;
    let ends_nested_item = line.ends_with(';')
        && indent(line) == indent(next)
        && (next.trim_start().starts_with("///")
            || indent(line) > 0
                && ["pub fn ", "fn "]
                    .iter()
                    .any(|s| next.trim_start().starts_with(s)));
    docs_end || uses_end || (ends_block && next_starts_item) || ends_nested_item
}
