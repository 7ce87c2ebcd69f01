//! `cargo xtask paginator-report --botocore <data dir>`: how often the
//! paginator inference agrees with the paginators that botocore's models declare.
//!
//! For every service that ships a `paginators-1.json`, each operation is
//! classified: declared and inferred alike (same tokens and items), declared
//! but inferred differently, declared but not inferred, inferred but not
//! declared, or neither.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use brisk_codegen::botocore::{self, PaginatorsFile, ServiceModel, Source};
use brisk_codegen::companions::infer_paginator;
use brisk_codegen::ir;

use crate::codegen::Error;

/// Arguments of `cargo xtask paginator-report`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// botocore's `data` directory (holding `<service>/<api-version>/`).
    #[arg(long)]
    pub botocore: PathBuf,
}

/// Counts over every operation of every service that declares paginators.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub services: usize,
    /// Services whose model could not be loaded, with the reason.
    pub skipped: Vec<(String, String)>,
    pub agree_paged: usize,
    pub differ: usize,
    pub missed: usize,
    pub extra: usize,
    pub agree_unpaged: usize,
}

impl Report {
    fn operations(&self) -> usize {
        self.agree_paged + self.differ + self.missed + self.extra + self.agree_unpaged
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.operations();
        let percent = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
        let declared = self.agree_paged + self.differ + self.missed;
        let inferred = self.agree_paged + self.differ + self.extra;
        writeln!(
            f,
            "{} services with paginators ({} could not be loaded), {total} operations",
            self.services,
            self.skipped.len()
        )?;
        for (service, reason) in &self.skipped {
            writeln!(f, "  not loaded: {service}: {reason}")?;
        }
        writeln!(
            f,
            "agree, paged:        {:6} ({:.1}%)",
            self.agree_paged,
            percent(self.agree_paged)
        )?;
        writeln!(
            f,
            "agree, not paged:    {:6} ({:.1}%)",
            self.agree_unpaged,
            percent(self.agree_unpaged)
        )?;
        writeln!(
            f,
            "paged, other tokens: {:6} ({:.1}%)",
            self.differ,
            percent(self.differ)
        )?;
        writeln!(
            f,
            "declared, not found: {:6} ({:.1}%)",
            self.missed,
            percent(self.missed)
        )?;
        writeln!(
            f,
            "inferred, undeclared:{:6} ({:.1}%)",
            self.extra,
            percent(self.extra)
        )?;
        writeln!(
            f,
            "recall {:.1}% of {declared} declared; precision {:.1}% of {inferred} inferred",
            100.0 * self.agree_paged as f64 / declared.max(1) as f64,
            100.0 * self.agree_paged as f64 / inferred.max(1) as f64
        )
    }
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let report = report(&args.botocore)?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}

/// A model file's text; the wheel ships some gzipped (`service-2.json.gz`).
fn read_model(path: &Path) -> Result<String, String> {
    if let Ok(text) = fs::read_to_string(path) {
        return Ok(text);
    }
    let gzipped = path.with_extension("json.gz");
    let bytes = fs::read(&gzipped).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes.as_slice())
        .read_to_string(&mut text)
        .map_err(|e| format!("{}: {e}", gzipped.display()))?;
    Ok(text)
}

fn exists(path: &Path) -> bool {
    path.is_file() || path.with_extension("json.gz").is_file()
}

/// Builds the report over a botocore data directory.
pub fn report(data_dir: &Path) -> Result<Report, Error> {
    let mut report = Report::default();
    for version_dir in service_versions(data_dir)? {
        let paginators = version_dir.join("paginators-1.json");
        if !exists(&paginators) {
            continue;
        }
        report.services += 1;
        match classify_service(&version_dir.join("service-2.json"), &paginators) {
            Ok(counts) => add(&mut report, &counts),
            Err(reason) => {
                let service = version_dir.strip_prefix(data_dir).unwrap_or(&version_dir);
                report.skipped.push((service.display().to_string(), reason));
            }
        }
    }
    if report.services == 0 {
        return Err(Error::Layout(format!(
            "{}: no <service>/<api-version>/paginators-1.json found; give botocore's data directory",
            data_dir.display()
        )));
    }
    Ok(report)
}

fn add(report: &mut Report, counts: &Report) {
    report.agree_paged += counts.agree_paged;
    report.differ += counts.differ;
    report.missed += counts.missed;
    report.extra += counts.extra;
    report.agree_unpaged += counts.agree_unpaged;
}

/// The newest API-version directory of every service.
fn service_versions(data_dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let read = |dir: &Path| fs::read_dir(dir).map_err(|e| Error::Io(dir.to_path_buf(), e));
    let mut found = Vec::new();
    for service in read(data_dir)?.filter_map(Result::ok) {
        let mut versions: Vec<PathBuf> = read(&service.path())
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        versions.retain(|v| exists(&v.join("service-2.json")));
        versions.sort();
        found.extend(versions.pop());
    }
    found.sort();
    Ok(found)
}

/// Counts for one service; the first problem when its model cannot be lowered.
fn classify_service(service_path: &Path, paginators_path: &Path) -> Result<Report, String> {
    let source =
        |path: &Path| read_model(path).map(|text| Source::new(path.display().to_string(), text));
    let mut model: ServiceModel =
        botocore::parse(&source(service_path)?).map_err(|d| d.to_string())?;
    // Inference reads shapes only; the protocol does not matter here.
    model.metadata.protocol = "rest-json".to_owned();
    let service = ir::lower(&service_path.display().to_string(), &model)
        .map_err(|d| d.0.first().map(ToString::to_string).unwrap_or_default())?;
    let declared: PaginatorsFile =
        botocore::parse(&source(paginators_path)?).map_err(|d| d.to_string())?;
    let mut counts = Report::default();
    for op in &service.operations {
        let inferred = infer_paginator(&service, op);
        match (declared.pagination.get(&op.name), inferred) {
            (Some(declared), Some(inferred)) => {
                let same = declared.input_token.names() == [inferred.input_token.as_str()]
                    && declared.output_token.names() == [inferred.output_token.as_str()]
                    && declared
                        .result_key
                        .as_ref()
                        .and_then(|keys| keys.names().first().map(|key| vec![key.to_string()]))
                        == inferred.items;
                if same {
                    counts.agree_paged += 1;
                } else {
                    counts.differ += 1;
                }
            }
            (Some(_), None) => counts.missed += 1,
            (None, Some(_)) => counts.extra += 1,
            (None, None) => counts.agree_unpaged += 1,
        }
    }
    Ok(counts)
}
