//! Generates a Rust client crate from a botocore service model.
//!
//! Pure: model texts in, a sorted map of file paths to file texts out; the
//! caller does all file I/O. The stages, each a module: [`botocore`] (load),
//! [`ir`] (lower), [`names`], [`emit`] and [`render`].

pub mod botocore;
pub mod companions;
pub mod diagnostic;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod literal;
pub mod names;
pub mod render;

use std::collections::BTreeMap;

use botocore::{ServiceModel, Source};
pub use diagnostic::{Diagnostic, Diagnostics};

/// The model files of one service version.
#[derive(Debug, Clone)]
pub struct ModelSources {
    /// `service-2.json`.
    pub service: Source,
    /// `paginators-1.json`, when the service has one.
    pub paginators: Option<Source>,
    /// `waiters-2.json`, when the service has one.
    pub waiters: Option<Source>,
    /// `endpoint-rule-set-1.json`, when the service has one.
    pub endpoint_rules: Option<Source>,
    /// botocore's `partitions.json`.
    pub partitions: Option<Source>,
}

/// How to write the generated crate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The package and library name, e.g. `ivschat`.
    pub crate_name: String,
    /// The TOML value of the runtime dependency, e.g. `{ path = "../../runtime" }`.
    pub runtime_dependency: String,
    /// The first line of every file: that it is generated, and how.
    pub header: String,
    /// The Rust path of the generated crate's root: `crate`, or a module path
    /// such as `crate::cases::c1` when the files are mounted as a module.
    pub root_path: String,
}

/// A generated crate: its files, and what of the model it leaves out.
#[derive(Debug, Clone)]
pub struct Generated {
    /// File texts keyed by path relative to the crate root.
    pub files: BTreeMap<String, String>,
    /// Parts of the model left out (an operation that needs an unsupported
    /// feature, a waiter the generator cannot express), each with the reason.
    pub warnings: Vec<Diagnostic>,
}

/// Generates the crate's files and the warnings for what it leaves out.
pub fn generate(sources: &ModelSources, options: &Options) -> Result<Generated, Diagnostics> {
    let service = load(sources)?;
    let companions = companions::lower(
        &service,
        sources.paginators.as_ref(),
        sources.waiters.as_ref(),
    )?;
    let mut warnings = service.left_out.clone();
    warnings.extend(companions.left_out.iter().cloned());
    warnings.sort();
    let files = emit::emit(&service, &companions, options);
    Ok(Generated {
        files: render::render(files, &options.header)?,
        warnings,
    })
}

/// Loads, lowers and checks a service model and its endpoint data: everything
/// before emitting code, except paginators and waiters ([`companions::lower`]).
pub fn load(sources: &ModelSources) -> Result<ir::Service, Diagnostics> {
    let model: ServiceModel = botocore::parse(&sources.service)?;
    for source in [&sources.endpoint_rules, &sources.partitions]
        .into_iter()
        .flatten()
    {
        botocore::parse::<serde_json::Value>(source)?;
    }
    let mut service = ir::lower(&sources.service.name, &model)?;
    service.endpoint_rules = sources.endpoint_rules.as_ref().map(|s| s.text.clone());
    service.partitions = sources.partitions.as_ref().map(|s| s.text.clone());
    names::resolve_type_collisions(&mut service);
    names::check_collisions(&service)?;
    Ok(service)
}
