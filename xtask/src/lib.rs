//! The project's tasks, as a library so tests can run them in-process.

pub mod codegen;
pub mod conformance;
pub mod corpus;
pub mod paginator_report;
pub mod paths;
pub mod snapshots;
pub mod update_model;

use std::path::PathBuf;

/// The workspace root: the parent of this crate's directory.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
