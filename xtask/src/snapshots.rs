//! `cargo xtask snapshots`: the generator's fixture models, each generated into
//! a snapshot crate that the workspace compiles.
//!
//! Fixtures live in `codegen/tests/fixtures/<name>/<api-version>/`; their crates
//! in `codegen/tests/snapshots/<name>/`, package `fixture-<name>`.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::codegen::{self, Error};
use crate::workspace_root;

/// Arguments of `cargo xtask snapshots`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Write nothing; exit 1 if any snapshot differs from what its fixture generates.
    #[arg(long)]
    pub check: bool,
}

/// The fixture models' directory.
pub fn fixtures_dir() -> PathBuf {
    workspace_root().join("codegen/tests/fixtures")
}

/// The fixture names, sorted.
pub fn fixture_names() -> Result<Vec<String>, Error> {
    let dir = fixtures_dir();
    let entries = fs::read_dir(&dir).map_err(|e| Error::Io(dir.clone(), e))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names)
}

/// The codegen arguments that generate fixture `name` into its snapshot crate.
pub fn fixture_args(name: &str, check: bool) -> codegen::Args {
    codegen::Args {
        check,
        model_dir: Some(fixtures_dir()),
        service: name.to_owned(),
        out: Some(workspace_root().join("codegen/tests/snapshots").join(name)),
        crate_name: Some(format!("fixture-{name}")),
    }
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let mut clean = true;
    for name in fixture_names()? {
        clean &= codegen::sync(&fixture_args(&name, args.check), "cargo xtask snapshots")?;
    }
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
