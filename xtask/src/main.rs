//! The project's command line.
//!
//! - `cargo xtask codegen [--check]`: regenerate (or check) a client crate from its model.
//! - `cargo xtask update-model --from <botocore wheel, sdist or data dir>`: refresh `model/`.
//! - `cargo xtask snapshots [--check]`: regenerate (or check) the fixture snapshot crates.
//! - `cargo xtask conformance [--check]`: regenerate (or check) the protocol conformance cases.
//! - `cargo xtask corpus --botocore <wheel, sdist or dir> [--build]`: every service of a release.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{codegen, conformance, corpus, paginator_report, snapshots, update_model};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Generate and maintain the AWS client crates"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate from a botocore model.
    Codegen(codegen::Args),
    /// Copy a service's model files (and partitions.json) out of botocore.
    UpdateModel(update_model::Args),
    /// Regenerate (or check) the snapshot crates of the generator's fixture models.
    Snapshots(snapshots::Args),
    /// Regenerate (or check) the rest-json protocol conformance cases.
    Conformance(conformance::Args),
    /// Compare inferred paginators with those botocore's models declare.
    PaginatorReport(paginator_report::Args),
    /// Generate (and with --build, compile) every service of a botocore release; write CORPUS.md.
    Corpus(corpus::Args),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Codegen(args) => codegen::run(&args),
        Command::UpdateModel(args) => update_model::run(&args),
        Command::Snapshots(args) => snapshots::run(&args),
        Command::Conformance(args) => Ok(conformance::main(&args)),
        Command::PaginatorReport(args) => paginator_report::run(&args),
        Command::Corpus(args) => corpus::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
