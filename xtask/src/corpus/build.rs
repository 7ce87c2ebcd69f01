//! Compiling the scratch workspace: one `cargo` run over every generated crate,
//! its JSON messages tallied per crate.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use super::report::BuildOutcome;
use crate::codegen::Error;

/// How far to compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compile {
    /// `cargo build`: type-check and generate code.
    Build,
    /// `cargo check`: type-check only (the same errors and warnings, faster).
    Check,
}

/// Diagnostics kept per crate for the summary on stdout.
const MESSAGES_KEPT: usize = 3;

/// Compiles every member of the workspace at `dir` (one shared target
/// directory, `<dir>/target`; `--keep-going`, so one broken crate does not stop
/// the others) and returns the outcome of each crate in `members`, by name.
/// Messages of other packages (the runtime) come back under their package id.
pub fn compile(
    dir: &Path,
    members: &[&str],
    compile: Compile,
) -> Result<(BTreeMap<String, BuildOutcome>, Vec<String>), Error> {
    let dir = dir
        .canonicalize()
        .map_err(|e| Error::Io(dir.to_path_buf(), e))?;
    let mut tally = Tally::new(
        members
            .iter()
            .map(|member| (dir.join(member).join("Cargo.toml"), (*member).to_owned())),
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let subcommand = match compile {
        Compile::Build => "build",
        Compile::Check => "check",
    };
    let mut command = Command::new(cargo);
    without_package_env(&mut command);
    let mut child = command
        .arg(subcommand)
        .args(["--workspace", "--all-features", "--keep-going"])
        .args(["--message-format", "json"])
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(dir.join("target"))
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Io(PathBuf::from("cargo"), e))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| Error::Layout("cargo's output could not be read".to_owned()))?;
    for line in BufReader::new(stdout).lines() {
        tally.line(&line.map_err(|e| Error::Io(PathBuf::from("cargo"), e))?);
    }
    // The exit status says nothing the tally does not: a failure is a crate that did not build.
    child
        .wait()
        .map_err(|e| Error::Io(PathBuf::from("cargo"), e))?;
    Ok((tally.outcomes, tally.others))
}

/// Removes the variables cargo sets for the package it runs (this one, under
/// `cargo xtask` or `cargo test`): build scripts such as ring's watch some of
/// them, so they would rebuild whenever the caller changes.
fn without_package_env(command: &mut Command) {
    for (name, _) in std::env::vars_os() {
        let name_text = name.to_string_lossy();
        let set_by_cargo = name_text.starts_with("CARGO_PKG_")
            || name_text.starts_with("CARGO_MANIFEST_")
            || [
                "CARGO_CRATE_NAME",
                "CARGO_BIN_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_TARGET_DIR",
                "OUT_DIR",
            ]
            .contains(&name_text.as_ref());
        if set_by_cargo {
            command.env_remove(&name);
        }
    }
}

/// Outcomes per crate, built from cargo's `--message-format json` lines.
#[derive(Debug, Default)]
pub struct Tally {
    /// Crate name by its manifest path, as cargo reports it.
    members: BTreeMap<PathBuf, String>,
    /// Outcome per crate name.
    pub outcomes: BTreeMap<String, BuildOutcome>,
    /// Rendered diagnostics of packages that are not members (the runtime).
    pub others: Vec<String>,
}

impl Tally {
    /// A tally for the crates at these manifest paths, none compiled yet.
    pub fn new(members: impl IntoIterator<Item = (PathBuf, String)>) -> Self {
        let members: BTreeMap<PathBuf, String> = members.into_iter().collect();
        let outcomes = members
            .values()
            .map(|name| (name.clone(), BuildOutcome::default()))
            .collect();
        Tally {
            members,
            outcomes,
            others: Vec::new(),
        }
    }

    /// Counts one line of cargo's output; lines that are not JSON are ignored.
    pub fn line(&mut self, line: &str) {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            return;
        };
        let manifest = Path::new(message["manifest_path"].as_str().unwrap_or_default());
        let member = self.members.get(manifest).cloned();
        match (message["reason"].as_str(), member) {
            (Some("compiler-artifact"), Some(member)) if is_library(&message) => {
                self.outcome(&member).compiled = true;
            }
            (Some("compiler-message"), Some(member)) => {
                self.diagnostic(&member, &message["message"]);
            }
            (Some("compiler-message"), None) => {
                let level = message["message"]["level"].as_str().unwrap_or_default();
                if (level == "warning" || level.starts_with("error"))
                    && !is_summary(&message["message"])
                {
                    let id = message["package_id"].as_str().unwrap_or("?");
                    self.others
                        .push(format!("{id}: {}", rendered(&message["message"])));
                }
            }
            _ => {}
        }
    }

    fn outcome(&mut self, member: &str) -> &mut BuildOutcome {
        self.outcomes.entry(member.to_owned()).or_default()
    }

    fn diagnostic(&mut self, member: &str, diagnostic: &Value) {
        if is_summary(diagnostic) {
            return;
        }
        let outcome = self.outcome(member);
        match diagnostic["level"].as_str() {
            Some("warning") => outcome.warnings += 1,
            Some(level) if level.starts_with("error") => outcome.errors += 1,
            _ => return,
        }
        if outcome.first_messages.len() < MESSAGES_KEPT {
            outcome.first_messages.push(rendered(diagnostic));
        }
    }
}

fn is_library(message: &Value) -> bool {
    message["target"]["kind"]
        .as_array()
        .is_some_and(|kinds| kinds.iter().any(|k| k == "lib" || k == "rlib"))
}

/// rustc's closing lines (`2 warnings emitted`, `aborting due to ...`), which
/// count nothing new.
fn is_summary(diagnostic: &Value) -> bool {
    let text = diagnostic["message"].as_str().unwrap_or_default();
    let no_spans = diagnostic["spans"].as_array().is_none_or(Vec::is_empty);
    no_spans
        && (text.starts_with("aborting due to")
            || text.ends_with("warning emitted")
            || text.ends_with("warnings emitted"))
}

fn rendered(diagnostic: &Value) -> String {
    diagnostic["rendered"]
        .as_str()
        .or(diagnostic["message"].as_str())
        .unwrap_or_default()
        .trim_end()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn tally() -> Tally {
        Tally::new([
            (PathBuf::from("/w/good/Cargo.toml"), "good".to_owned()),
            (PathBuf::from("/w/bad/Cargo.toml"), "bad".to_owned()),
        ])
    }

    fn message(manifest: &str, level: &str, text: &str, spans: usize) -> String {
        json!({
            "reason": "compiler-message",
            "package_id": "path+file:///x#runtime@0.1.0",
            "manifest_path": manifest,
            "message": {
                "level": level,
                "message": text,
                "rendered": format!("{level}: {text}\n"),
                "spans": vec![json!({}); spans],
            }
        })
        .to_string()
    }

    fn artifact(manifest: &str, kind: &str) -> String {
        json!({
            "reason": "compiler-artifact",
            "manifest_path": manifest,
            "target": {"kind": [kind]},
        })
        .to_string()
    }

    #[test]
    fn messages_are_counted_per_crate_without_summaries() {
        let mut tally = tally();
        for line in [
            "   Compiling good v0.1.0".to_owned(),
            message("/w/good/Cargo.toml", "warning", "unused import", 1),
            message("/w/good/Cargo.toml", "warning", "1 warning emitted", 0),
            artifact("/w/good/Cargo.toml", "lib"),
            message("/w/bad/Cargo.toml", "error", "mismatched types", 1),
            message("/w/bad/Cargo.toml", "warning", "unused variable", 1),
            message(
                "/w/bad/Cargo.toml",
                "error",
                "aborting due to 1 previous error",
                0,
            ),
            message(
                "/w/bad/Cargo.toml",
                "failure-note",
                "For more information",
                0,
            ),
            message("/w/runtime/Cargo.toml", "warning", "dead code", 1),
            json!({"reason": "build-finished", "success": false}).to_string(),
        ] {
            tally.line(&line);
        }
        assert_eq!(
            tally.outcomes["good"],
            BuildOutcome {
                compiled: true,
                warnings: 1,
                errors: 0,
                first_messages: vec!["warning: unused import".to_owned()],
            }
        );
        let bad = &tally.outcomes["bad"];
        assert!(!bad.compiled);
        assert_eq!((bad.warnings, bad.errors), (1, 1));
        assert_eq!(
            tally.others,
            ["path+file:///x#runtime@0.1.0: warning: dead code"]
        );
    }

    #[test]
    fn a_crate_without_a_library_artifact_did_not_compile() {
        let mut tally = tally();
        tally.line(&artifact("/w/good/Cargo.toml", "custom-build"));
        assert!(!tally.outcomes["good"].compiled);
        assert!(!tally.outcomes["bad"].compiled);
    }
}
