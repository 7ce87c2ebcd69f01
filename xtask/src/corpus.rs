//! `cargo xtask corpus`: every service model of a botocore release through the
//! generator (and, with `--build`, through the compiler), reported in `CORPUS.md`.
//!
//! The crates go into a scratch workspace (default: `corpus/` in the target
//! directory), each depending on this repository's `runtime/` by path, listed
//! by one `[workspace]` manifest. Only `--build` compiles them; without it the
//! report's `compiled` column says `not built`. The report is deterministic;
//! timings go to stdout only.

mod build;
mod generate;
mod report;

use std::fs;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

pub use build::{Compile, Tally};
pub use generate::{Destination, newest_versions};
pub use report::{BuildOutcome, Corpus, Generation, LeftOut, LeftOutKind, ServiceRow, Totals};

use crate::codegen::Error;
use crate::paths::{absolute, display_from};
use crate::update_model::{Botocore, read_botocore};
use crate::workspace_root;

/// Arguments of `cargo xtask corpus`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// A botocore wheel, source distribution, or unpacked directory.
    #[arg(long)]
    pub botocore: PathBuf,
    /// Also compile every generated crate; any error or warning fails the run.
    #[arg(long)]
    pub build: bool,
    /// Only these services (comma-separated); the report then goes to
    /// `<out>/CORPUS.md` instead of the repository's.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// The scratch workspace [default: corpus/ in the target directory].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let botocore = timed("read botocore", || read_botocore(&absolute(&args.botocore)))?;
    let out = args
        .out
        .as_deref()
        .map(absolute)
        .unwrap_or_else(default_out);
    let destination = Destination {
        dir: &out,
        write: true,
    };
    let mut corpus = timed("generate", || generate(&botocore, &args.only, destination))?;
    println!("wrote the crates to {}", out.display());
    if args.build {
        let others = timed("build", || build(&mut corpus, &out, Compile::Build))?;
        for message in others {
            println!("{message}");
        }
    }
    let report_path = if args.only.is_empty() {
        workspace_root().join("CORPUS.md")
    } else {
        out.join("CORPUS.md")
    };
    fs::write(&report_path, corpus.to_markdown()).map_err(|e| Error::Io(report_path.clone(), e))?;
    print_summary(&corpus);
    println!(
        "wrote {} ({:.1}s in all)",
        display_from(&workspace_root(), &report_path),
        started.elapsed().as_secs_f64()
    );
    Ok(if corpus.failures().next().is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The default scratch workspace: `corpus/` in the target directory.
pub fn default_out() -> PathBuf {
    target_dir().join("corpus")
}

/// The cargo target directory this program was built in (the nearest ancestor
/// of the executable that cargo tagged), else `target/` in the workspace.
pub fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .find(|dir| dir.join("CACHEDIR.TAG").is_file())
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Generates the newest API version of every service of the release (or of
/// those in `only`), writing the crates and the workspace manifest when
/// `destination.write`.
pub fn generate(
    botocore: &Botocore,
    only: &[String],
    destination: Destination<'_>,
) -> Result<Corpus, Error> {
    let services = select(botocore, only)?;
    let rows = parallel_map(&services, |(service, version)| {
        generate_guarded(botocore, service, version, destination)
    });
    let services: Vec<ServiceRow> = rows.into_iter().collect::<Result<_, _>>()?;
    if destination.write {
        let members: Vec<&str> = services
            .iter()
            .filter(|row| row.is_generated())
            .map(|row| row.service.as_str())
            .collect();
        generate::write_workspace(destination.dir, &botocore.version, &members)?;
    }
    // An unpacked data directory carries no `__init__.py` to read the version from.
    let version = if botocore.version.is_empty() {
        "unknown"
    } else {
        &botocore.version
    };
    Ok(Corpus {
        botocore_version: version.to_owned(),
        services,
        built: false,
    })
}

/// Compiles the generated crates of `corpus` in the workspace at `dir` and
/// records each outcome; returns the diagnostics of other packages (the runtime).
pub fn build(corpus: &mut Corpus, dir: &Path, compile: Compile) -> Result<Vec<String>, Error> {
    let members: Vec<&str> = corpus
        .services
        .iter()
        .filter(|row| row.is_generated())
        .map(|row| row.service.as_str())
        .collect();
    let (mut outcomes, others) = build::compile(dir, &members, compile)?;
    for row in corpus.services.iter_mut().filter(|row| row.is_generated()) {
        row.build = Some(outcomes.remove(&row.service).unwrap_or_default());
    }
    corpus.built = true;
    Ok(others)
}

/// The services to generate, with their newest API version.
fn select(botocore: &Botocore, only: &[String]) -> Result<Vec<(String, String)>, Error> {
    let mut versions = newest_versions(botocore);
    if only.is_empty() {
        return Ok(versions.into_iter().collect());
    }
    let mut selected = Vec::new();
    for service in only {
        let version = versions.remove(service).ok_or_else(|| {
            Error::Layout(format!(
                "botocore {} has no service `{service}`",
                botocore.version
            ))
        })?;
        selected.push((service.clone(), version));
    }
    selected.sort();
    Ok(selected)
}

/// One service; a panic in the generator becomes that service's failure, so
/// the rest of the corpus still runs.
fn generate_guarded(
    botocore: &Botocore,
    service: &str,
    version: &str,
    destination: Destination<'_>,
) -> Result<ServiceRow, Error> {
    let attempt = panic::catch_unwind(AssertUnwindSafe(|| {
        generate::generate_service(botocore, service, version, destination)
    }));
    attempt.unwrap_or_else(|payload| {
        let reason = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("no message");
        Ok(ServiceRow {
            service: service.to_owned(),
            api_version: version.to_owned(),
            protocol: "?".to_owned(),
            operations: 0,
            shapes: 0,
            generation: Generation::Failed(vec![format!("the generator panicked: {reason}")]),
            build: None,
        })
    })
}

/// `f` over `items` on every available core, results in the order of `items`.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, f(item)));
        }
    };
    let mut indexed: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| panic::resume_unwind(p)))
            .collect()
    });
    indexed.sort_by_key(|(index, _)| *index);
    indexed.into_iter().map(|(_, result)| result).collect()
}

/// Runs `step`, printing how long it took.
fn timed<T>(step: &str, step_fn: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = step_fn();
    println!("{step}: {:.1}s", started.elapsed().as_secs_f64());
    result
}

fn print_summary(corpus: &Corpus) {
    let supported: Vec<&ServiceRow> = corpus
        .services
        .iter()
        .filter(|r| r.is_supported())
        .collect();
    let generated = |rows: &[&ServiceRow]| rows.iter().filter(|r| r.is_generated()).count();
    let others: Vec<&ServiceRow> = corpus
        .services
        .iter()
        .filter(|r| !r.is_supported())
        .collect();
    let totals = corpus.totals();
    println!(
        "botocore {}: {} services; generated {} of {} of a supported protocol, {} of {} others; \
         left out {} operations and {} waiters",
        corpus.botocore_version,
        corpus.services.len(),
        generated(&supported),
        supported.len(),
        generated(&others),
        others.len(),
        totals.operations_left_out,
        totals.waiters_left_out
    );
    if corpus.built {
        println!(
            "compiled clean: {} of {} generated crates",
            totals.compiled_clean, totals.generated
        );
    }
    for row in corpus.failures() {
        print_failure(row);
    }
}

fn print_failure(row: &ServiceRow) {
    match (&row.generation, &row.build) {
        (Generation::Failed(problems), _) => {
            println!("FAILED {}: did not generate:", row.service);
            for problem in problems {
                println!("  {problem}");
            }
        }
        (Generation::Generated { .. }, Some(build)) => {
            println!(
                "FAILED {}: compiled: {}, {} errors, {} warnings; first:",
                row.service, build.compiled, build.errors, build.warnings
            );
            for message in &build.first_messages {
                println!("{message}");
            }
        }
        (Generation::Generated { .. }, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_map_keeps_the_order() {
        let items: Vec<usize> = (0..50).collect();
        assert_eq!(
            parallel_map(&items, |n| n * 2),
            (0..100).step_by(2).collect::<Vec<_>>()
        );
        assert!(parallel_map(&[] as &[usize], |n| *n).is_empty());
    }
}
