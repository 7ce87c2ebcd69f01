//! `cargo xtask update-model`: copy a service's model out of botocore.
//!
//! Reads a botocore wheel (`.whl`), source distribution (`.tar.gz`) or an
//! unpacked directory, and writes `model/<service>/<api-version>/*.json`
//! (decompressed, otherwise byte for byte), `model/partitions.json`, and the
//! botocore version to `model/BOTOCORE_VERSION`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use flate2::read::GzDecoder;

use crate::codegen::Error;
use crate::paths::absolute;
use crate::workspace_root;

/// The model files of one service version, without `.gz`.
pub const MODEL_FILES: &[&str] = &[
    "service-2.json",
    "paginators-1.json",
    "waiters-2.json",
    "endpoint-rule-set-1.json",
];

/// Arguments of `cargo xtask update-model`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// A botocore wheel, source distribution, or unpacked directory.
    #[arg(long)]
    pub from: PathBuf,
    /// The service to copy.
    #[arg(long, default_value = "ivschat")]
    pub service: String,
    /// Where the models live [default: model/ in the workspace].
    #[arg(long)]
    pub model_dir: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let model_dir = args
        .model_dir
        .as_deref()
        .map(absolute)
        .unwrap_or_else(|| workspace_root().join("model"));
    let botocore = read_botocore(&absolute(&args.from))?;
    let written = install(&botocore, &args.service, &model_dir)?;
    for path in &written {
        println!("wrote {}", path.display());
    }
    println!(
        "model of {} updated from botocore {}; now run `cargo xtask codegen`",
        args.service, botocore.version
    );
    Ok(ExitCode::SUCCESS)
}

/// The parts of a botocore distribution the project uses.
#[derive(Debug, Default)]
pub struct Botocore {
    /// `__version__` of the package, or `unknown`.
    pub version: String,
    /// Files under `botocore/data/`, decompressed, keyed by their path there
    /// without `.gz`.
    pub data: BTreeMap<String, Vec<u8>>,
}

/// Reads a wheel, a source distribution, or a directory.
pub fn read_botocore(from: &Path) -> Result<Botocore, Error> {
    let name = from.to_string_lossy();
    let mut botocore = Botocore::default();
    let mut add =
        |path: &str, bytes: Vec<u8>| -> io::Result<()> { add_entry(&mut botocore, path, bytes) };
    let io_error = |e| Error::Io(from.to_path_buf(), e);
    if !from.exists() {
        return Err(Error::Layout(format!("{name}: no such file or directory")));
    }
    if from.is_dir() {
        walk_dir(from, from, &mut add).map_err(io_error)?;
    } else if name.ends_with(".whl") || name.ends_with(".zip") {
        read_zip(from, &mut add).map_err(io_error)?;
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        read_tar_gz(from, &mut add).map_err(io_error)?;
    } else {
        return Err(Error::Layout(format!(
            "{name}: expected a botocore .whl, .tar.gz or directory"
        )));
    }
    if botocore.data.is_empty() {
        return Err(Error::Layout(format!("{name}: no botocore/data found")));
    }
    Ok(botocore)
}

/// Records `path` when it is botocore's data or version file.
fn add_entry(botocore: &mut Botocore, path: &str, bytes: Vec<u8>) -> io::Result<()> {
    if path.ends_with("botocore/__init__.py") {
        botocore.version = version_of(&String::from_utf8_lossy(&bytes));
        return Ok(());
    }
    let Some((_, data_path)) = path.split_once("botocore/data/") else {
        return Ok(());
    };
    let (data_path, bytes) = match data_path.strip_suffix(".gz") {
        Some(plain) => (plain, gunzip(&bytes)?),
        None => (data_path, bytes),
    };
    botocore.data.insert(data_path.to_owned(), bytes);
    Ok(())
}

fn version_of(init_py: &str) -> String {
    init_py
        .lines()
        .find_map(|line| line.strip_prefix("__version__ = "))
        .map(|v| v.trim().trim_matches(['\'', '"']).to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn gunzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// Whether an archive entry may matter: skips most of botocore's 400 services early.
fn wanted(path: &str) -> bool {
    path.ends_with("botocore/__init__.py") || path.contains("botocore/data/")
}

fn walk_dir(
    root: &Path,
    dir: &Path,
    add: &mut impl FnMut(&str, Vec<u8>) -> io::Result<()>,
) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk_dir(root, &path, add)?;
            continue;
        }
        // A bare data directory (holding partitions.json) reads as botocore/data.
        let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy();
        let relative = if root.join("partitions.json").is_file() {
            format!("botocore/data/{relative}")
        } else {
            relative.into_owned()
        };
        if wanted(&relative) {
            add(&relative, fs::read(&path)?)?;
        }
    }
    Ok(())
}

fn read_zip(path: &Path, add: &mut impl FnMut(&str, Vec<u8>) -> io::Result<()>) -> io::Result<()> {
    let mut archive = zip::ZipArchive::new(fs::File::open(path)?).map_err(io::Error::other)?;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(io::Error::other)?;
        let name = entry.name().map_err(io::Error::other)?.into_owned();
        if entry.is_file() && wanted(&name) {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes)?;
            add(&name, bytes)?;
        }
    }
    Ok(())
}

fn read_tar_gz(
    path: &Path,
    add: &mut impl FnMut(&str, Vec<u8>) -> io::Result<()>,
) -> io::Result<()> {
    let mut archive = tar::Archive::new(GzDecoder::new(fs::File::open(path)?));
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        if entry.header().entry_type().is_file() && wanted(&name) {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes)?;
            add(&name, bytes)?;
        }
    }
    Ok(())
}

/// Writes the newest API version of `service` and `partitions.json` into
/// `model_dir`, removing files and versions botocore no longer has.
pub fn install(
    botocore: &Botocore,
    service: &str,
    model_dir: &Path,
) -> Result<Vec<PathBuf>, Error> {
    let version = newest_api_version(botocore, service)?;
    let service_dir = model_dir.join(service);
    let version_dir = service_dir.join(&version);
    remove_other_versions(&service_dir, &version)?;
    let mut written = Vec::new();
    for file in MODEL_FILES {
        let target = version_dir.join(file);
        match botocore.data.get(&format!("{service}/{version}/{file}")) {
            Some(bytes) => {
                write_file(&target, bytes)?;
                written.push(target);
            }
            None if target.is_file() => {
                fs::remove_file(&target).map_err(|e| Error::Io(target.clone(), e))?;
            }
            None => {}
        }
    }
    let partitions = botocore
        .data
        .get("partitions.json")
        .ok_or_else(|| Error::Layout("botocore/data/partitions.json is missing".to_owned()))?;
    let partitions_path = model_dir.join("partitions.json");
    write_file(&partitions_path, partitions)?;
    written.push(partitions_path);
    let version_path = model_dir.join("BOTOCORE_VERSION");
    write_file(&version_path, format!("{}\n", botocore.version).as_bytes())?;
    written.push(version_path);
    Ok(written)
}

fn newest_api_version(botocore: &Botocore, service: &str) -> Result<String, Error> {
    let prefix = format!("{service}/");
    botocore
        .data
        .keys()
        .filter_map(|path| path.strip_prefix(&prefix)?.strip_suffix("/service-2.json"))
        .max()
        .map(str::to_owned)
        .ok_or_else(|| Error::Layout(format!("botocore has no model for service `{service}`")))
}

fn remove_other_versions(service_dir: &Path, keep: &str) -> Result<(), Error> {
    let Ok(entries) = fs::read_dir(service_dir) else {
        return Ok(());
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() && entry.file_name() != keep {
            fs::remove_dir_all(&path).map_err(|e| Error::Io(path.clone(), e))?;
        }
    }
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::Io(parent.to_path_buf(), e))?;
    }
    fs::write(path, bytes).map_err(|e| Error::Io(path.to_path_buf(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_read_from_init_py() {
        assert_eq!(version_of("import os\n__version__ = '1.44.8'\n"), "1.44.8");
        assert_eq!(version_of("nothing"), "unknown");
    }
}
