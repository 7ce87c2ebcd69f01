//! `cargo xtask codegen`: all the file I/O around the pure generator.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use brisk_codegen::botocore::Source;
use brisk_codegen::{Diagnostics, Generated, ModelSources, Options};

use crate::paths::{absolute, display_from, relative};
use crate::workspace_root;

/// Arguments of `cargo xtask codegen`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Write nothing; exit 1 listing stale, missing and extra files.
    #[arg(long)]
    pub check: bool,
    /// Directory with `<service>/<api-version>/service-2.json` and `partitions.json`
    /// [default: model/ in the workspace].
    #[arg(long)]
    pub model_dir: Option<PathBuf>,
    /// The service directory name under the model directory.
    #[arg(long, default_value = "ivschat")]
    pub service: String,
    /// The crate directory to write [default: generated/<service> in the workspace].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The generated package's name [default: the service name].
    #[arg(long)]
    pub crate_name: Option<String>,
}

impl Args {
    /// The defaults for `service`: workspace model, `generated/<service>`.
    pub fn for_service(service: &str) -> Self {
        Args {
            check: false,
            model_dir: None,
            service: service.to_owned(),
            out: None,
            crate_name: None,
        }
    }

    fn model_dir(&self) -> PathBuf {
        self.model_dir
            .as_deref()
            .map(absolute)
            .unwrap_or_else(|| workspace_root().join("model"))
    }

    fn out(&self) -> PathBuf {
        self.out
            .as_deref()
            .map(absolute)
            .unwrap_or_else(|| workspace_root().join("generated").join(&self.service))
    }
}

/// Why a run failed.
#[derive(Debug)]
pub enum Error {
    /// The model has problems; nothing was written.
    Model(Diagnostics),
    /// A file could not be read or written.
    Io(PathBuf, io::Error),
    /// The model directory does not hold the service.
    Layout(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Model(diagnostics) => {
                write!(f, "{diagnostics}; nothing was written")
            }
            Error::Io(path, error) => write!(f, "error: {}: {error}", path.display()),
            Error::Layout(message) => write!(f, "error: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// How the files on disk differ from what the generator produces.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Present with other contents.
    pub stale: Vec<String>,
    /// Not present.
    pub missing: Vec<String>,
    /// Present, but no longer generated.
    pub extra: Vec<String>,
}

impl Drift {
    /// Whether disk and generator agree.
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (label, paths) in [
            ("stale", &self.stale),
            ("missing", &self.missing),
            ("extra", &self.extra),
        ] {
            for path in paths {
                writeln!(f, "  {label}: {path}")?;
            }
        }
        Ok(())
    }
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let clean = sync(args, "cargo xtask codegen")?;
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Generates and then writes (or, with `--check`, compares) one crate; returns
/// whether the run succeeded. `regenerate` is the command a failed check names.
pub fn sync(args: &Args, regenerate: &str) -> Result<bool, Error> {
    let out = args.out();
    let generated = generate(args)?;
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    let files = generated.files;
    let drift = drift(&out, &files)?;
    let shown = display_from(&workspace_root(), &out);
    if args.check {
        if drift.is_clean() {
            println!("{shown} is up to date ({} files)", files.len());
            return Ok(true);
        }
        eprint!("{shown} does not match the model:\n{drift}");
        eprintln!("run `{regenerate}` to regenerate it");
        return Ok(false);
    }
    write(&out, &files, &drift)?;
    let changed = drift.stale.len() + drift.missing.len() + drift.extra.len();
    println!("wrote {shown}: {} files, {changed} changed", files.len());
    Ok(true)
}

/// Generates the crate's files in memory, with what the model leaves out.
pub fn generate(args: &Args) -> Result<Generated, Error> {
    let root = workspace_root();
    let model_dir = args.model_dir();
    let version_dir = api_version_dir(&model_dir, &args.service)?;
    let sources = load_sources(&root, &model_dir, &version_dir)?;
    let out = args.out();
    let runtime = relative(&out, &root.join("runtime"));
    let options = Options {
        crate_name: args
            .crate_name
            .clone()
            .unwrap_or_else(|| args.service.clone()),
        runtime_dependency: format!("{{ path = \"{runtime}\" }}"),
        header: format!(
            "Generated by `cargo xtask codegen` from {}. Do not edit.",
            display_from(&root, &version_dir)
        ),
        root_path: "crate".to_owned(),
    };
    brisk_codegen::generate(&sources, &options).map_err(Error::Model)
}

/// The one API-version directory of `service` (the newest when there are several).
fn api_version_dir(model_dir: &Path, service: &str) -> Result<PathBuf, Error> {
    let service_dir = model_dir.join(service);
    let entries = fs::read_dir(&service_dir).map_err(|e| Error::Io(service_dir.clone(), e))?;
    let mut versions: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("service-2.json").is_file())
        .collect();
    versions.sort();
    versions.pop().ok_or_else(|| {
        Error::Layout(format!(
            "{} has no <api-version>/service-2.json",
            service_dir.display()
        ))
    })
}

fn load_sources(root: &Path, model_dir: &Path, version_dir: &Path) -> Result<ModelSources, Error> {
    let required = |path: PathBuf| read_source(root, &path);
    let optional = |path: PathBuf| {
        if path.is_file() {
            read_source(root, &path).map(Some)
        } else {
            Ok(None)
        }
    };
    Ok(ModelSources {
        service: required(version_dir.join("service-2.json"))?,
        paginators: optional(version_dir.join("paginators-1.json"))?,
        waiters: optional(version_dir.join("waiters-2.json"))?,
        endpoint_rules: optional(version_dir.join("endpoint-rule-set-1.json"))?,
        partitions: optional(model_dir.join("partitions.json"))?,
    })
}

fn read_source(root: &Path, path: &Path) -> Result<Source, Error> {
    let text = fs::read_to_string(path).map_err(|e| Error::Io(path.to_path_buf(), e))?;
    Ok(Source::new(display_from(root, path), text))
}

/// Compares `files` with the tree under `out`.
pub fn drift(out: &Path, files: &BTreeMap<String, String>) -> Result<Drift, Error> {
    let mut drift = Drift::default();
    for (path, text) in files {
        match fs::read(out.join(path)) {
            Ok(existing) if existing == text.as_bytes() => {}
            Ok(_) => drift.stale.push(path.clone()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => drift.missing.push(path.clone()),
            Err(e) => return Err(Error::Io(out.join(path), e)),
        }
    }
    for path in files_under(out)? {
        if !files.contains_key(&path) {
            drift.extra.push(path);
        }
    }
    Ok(drift)
}

/// Every file under `dir`, relative, with `/` separators, sorted.
fn files_under(dir: &Path) -> Result<Vec<String>, Error> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::Io(current, e)),
        };
        for entry in entries {
            let path = entry.map_err(|e| Error::Io(current.clone(), e))?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(display_from(dir, &path));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Writes stale and missing files and deletes extra ones (and folders left empty).
pub fn write(out: &Path, files: &BTreeMap<String, String>, drift: &Drift) -> Result<(), Error> {
    for path in drift.stale.iter().chain(&drift.missing) {
        let target = out.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::Io(parent.to_path_buf(), e))?;
        }
        fs::write(&target, &files[path]).map_err(|e| Error::Io(target.clone(), e))?;
    }
    for path in &drift.extra {
        let target = out.join(path);
        fs::remove_file(&target).map_err(|e| Error::Io(target.clone(), e))?;
        remove_empty_parents(out, &target);
    }
    Ok(())
}

fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == out || fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}
