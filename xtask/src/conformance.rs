//! `cargo xtask conformance`: botocore's rest-json protocol test suites,
//! generated into `conformance-tests/src/cases/`.
//!
//! Every suite's cases are grouped by operation; each group becomes a module
//! `cases/<module>/` holding the generated client (`sdk/`, the generated crate
//! mounted as a module) and one function per case that checks it
//! (`mod.rs`). `cases/mod.rs` lists every case for the summary test.
//! `conformance-tests/ignore.json` says, per case, why it is not expected to
//! pass; such cases are still generated where the generator accepts them.

mod emit;
mod model;
mod suites;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use brisk_codegen::botocore::Source;
use brisk_codegen::emit::FileContent;
use brisk_codegen::literal::{LiteralError, Literals};
use brisk_codegen::names::{ident, module_name};
use brisk_codegen::{ModelSources, Options};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::codegen::{self, Drift};
use crate::paths::display_from;
use crate::workspace_root;

pub use suites::{Direction, IgnoreList, SUITE_FILES, SuiteFile};

use emit::{CaseContext, function_name, input_case, output_case};
use suites::{Case, Suite, ignore_key};

const REGENERATE: &str = "cargo xtask conformance";

/// Arguments of `cargo xtask conformance`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Write nothing; exit 1 listing stale, missing and extra files.
    #[arg(long)]
    pub check: bool,
}

/// Why a run failed.
#[derive(Debug)]
pub enum Error {
    /// Reading the suites or the tree, or writing it.
    Codegen(codegen::Error),
    /// A suite file or the ignore list is malformed.
    Data(PathBuf, String),
    /// Cases that neither generate nor are ignored, or ignore entries that name no case.
    Cases(Vec<String>),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Codegen(error) => writeln!(f, "{error}"),
            Error::Data(path, message) => writeln!(f, "error: {}: {message}", path.display()),
            Error::Cases(problems) => {
                writeln!(f, "error: {} conformance case problems:", problems.len())?;
                for problem in problems {
                    writeln!(f, "  {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<codegen::Error> for Error {
    fn from(error: codegen::Error) -> Self {
        Error::Codegen(error)
    }
}

/// The conformance test crate.
pub fn crate_dir() -> PathBuf {
    workspace_root().join("conformance-tests")
}

/// The generated part of it.
pub fn cases_dir() -> PathBuf {
    crate_dir().join("src/cases")
}

/// Runs the command, printing any error.
pub fn main(args: &Args) -> ExitCode {
    run(args).unwrap_or_else(|error| {
        eprint!("{error}");
        ExitCode::FAILURE
    })
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let files = generate()?;
    let out = cases_dir();
    let drift = codegen::drift(&out, &files)?;
    let shown = display_from(&workspace_root(), &out);
    if args.check {
        if drift.is_clean() {
            println!("{shown} is up to date ({} files)", files.len());
            return Ok(ExitCode::SUCCESS);
        }
        eprint!("{shown} does not match the suites:\n{drift}");
        eprintln!("run `{REGENERATE}` to regenerate it");
        return Ok(ExitCode::FAILURE);
    }
    write(&out, &files, &drift)?;
    let changed = drift.stale.len() + drift.missing.len() + drift.extra.len();
    println!("wrote {shown}: {} files, {changed} changed", files.len());
    Ok(ExitCode::SUCCESS)
}

/// Every file of `conformance-tests/src/cases/`, keyed by path relative to it.
pub fn generate() -> Result<BTreeMap<String, String>, Error> {
    let root = workspace_root();
    let ignores = read_ignore_list(&crate_dir().join("ignore.json"))?;
    let mut generation = Generation::new(ignores);
    for file in SUITE_FILES {
        let suites = read_suites(&root.join(file.path))?;
        for suite in &suites {
            for group in group_by_operation(suite) {
                generation.module(file, suite, &group);
            }
        }
    }
    generation.finish()
}

fn read_ignore_list(path: &Path) -> Result<IgnoreList, Error> {
    let text = read(path)?;
    let list: IgnoreList =
        serde_json::from_str(&text).map_err(|e| Error::Data(path.to_path_buf(), e.to_string()))?;
    let unexplained: Vec<String> = list
        .iter()
        .flat_map(|(file, cases)| cases.iter().map(move |(key, reason)| (file, key, reason)))
        .filter(|(_, _, reason)| reason.trim().is_empty())
        .map(|(file, key, _)| format!("ignore.json: {file}: {key}: give the reason"))
        .collect();
    if unexplained.is_empty() {
        Ok(list)
    } else {
        Err(Error::Cases(unexplained))
    }
}

fn read_suites(path: &Path) -> Result<Vec<Suite>, Error> {
    let text = read(path)?;
    serde_json::from_str(&text).map_err(|e| Error::Data(path.to_path_buf(), e.to_string()))
}

fn read(path: &Path) -> Result<String, Error> {
    fs::read_to_string(path).map_err(|e| Error::Codegen(codegen::Error::Io(path.to_path_buf(), e)))
}

/// A suite's cases (with their index in the suite) that share one operation, in order.
fn group_by_operation(suite: &Suite) -> Vec<Vec<(usize, &Case)>> {
    let mut groups: Vec<Vec<(usize, &Case)>> = Vec::new();
    for (index, case) in suite.cases.iter().enumerate() {
        match groups.iter_mut().find(|g| g[0].1.given == case.given) {
            Some(group) => group.push((index, case)),
            None => groups.push(vec![(index, case)]),
        }
    }
    groups
}

/// One case as the registry lists it.
struct Entry {
    file: &'static str,
    suite: String,
    id: String,
    ignored: Option<String>,
    /// `module::function`, when generated.
    run: Option<TokenStream>,
}

/// The files generated so far, the registry, and the problems found.
struct Generation {
    ignores: IgnoreList,
    /// Ignore entries not yet matched to a case, as `(file, key)`.
    unmatched_ignores: BTreeSet<(String, String)>,
    files: BTreeMap<String, String>,
    modules: Vec<Ident>,
    entries: Vec<Entry>,
    problems: Vec<String>,
}

impl Generation {
    fn new(ignores: IgnoreList) -> Self {
        let unmatched_ignores = ignores
            .iter()
            .flat_map(|(file, cases)| cases.keys().map(|key| (file.clone(), key.clone())))
            .collect();
        Generation {
            ignores,
            unmatched_ignores,
            files: BTreeMap::new(),
            modules: Vec::new(),
            entries: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn ignored(&mut self, file: SuiteFile, key: &str) -> Option<String> {
        self.unmatched_ignores
            .remove(&(file.name.to_owned(), key.to_owned()));
        self.ignores.get(file.name)?.get(key).cloned()
    }

    /// A free module name for the cases of `operation` of `suite` in `file`.
    fn module_name(&self, file: SuiteFile, suite: &str, operation: &str) -> Ident {
        let name = if file.modules_named_after_suites {
            let words: Vec<&str> = suite.split_whitespace().take(5).collect();
            module_name(&words.join(" "))
        } else {
            module_name(operation)
        };
        let base = format!("{}_{name}", file.module_prefix);
        let taken = |name: &str| self.modules.iter().any(|m| m == name);
        let name = (1..)
            .map(|n| {
                if n == 1 {
                    base.clone()
                } else {
                    format!("{base}_{n}")
                }
            })
            .find(|name| !taken(name))
            .unwrap_or(base);
        ident(&name)
    }

    /// Generates the module of one operation's cases, or records why it cannot.
    fn module(&mut self, file: SuiteFile, suite: &Suite, group: &[(usize, &Case)]) {
        let Some(&(_, first)) = group.first() else {
            return;
        };
        let operation = first.operation_name().to_owned();
        let module = self.module_name(file, &suite.description, &operation);
        let root_path = format!("crate::cases::{module}::sdk");
        let header = format!(
            "Generated by `{REGENERATE}` from {}. Do not edit.",
            file.path
        );
        let options = Options {
            crate_name: module.to_string(),
            runtime_dependency: String::new(),
            header: header.clone(),
            root_path,
        };
        let model = model::service_model(suite, &first.given, &operation);
        let source_name = format!("{} ({} / {operation})", file.path, suite.description);
        let sources = ModelSources {
            service: Source::new(source_name, model),
            paginators: None,
            waiters: None,
            endpoint_rules: None,
            partitions: None,
        };
        let generated = brisk_codegen::load(&sources)
            .and_then(|service| Ok((service, brisk_codegen::generate(&sources, &options)?)));
        let (service, sdk_files) = match generated {
            Ok((_, generated)) if !generated.warnings.is_empty() => {
                let warnings: Vec<String> =
                    generated.warnings.iter().map(|w| w.to_string()).collect();
                let reason = format!("the generator leaves it out: {}", warnings.join("; "));
                for &(index, case) in group {
                    self.not_generated(file, suite, case, index, &reason);
                }
                return;
            }
            Ok((service, generated)) => (service, generated.files),
            Err(diagnostics) => {
                let reason = format!("the generator rejects the model: {diagnostics}");
                for &(index, case) in group {
                    self.not_generated(file, suite, case, index, &reason);
                }
                return;
            }
        };
        let literals = Literals::new(&service, &options);
        let cx = CaseContext {
            service: &service,
            literals: &literals,
            root: quote!(crate::cases::#module::sdk),
            client_endpoint: suite.client_endpoint.as_deref(),
        };
        let mut functions = Vec::new();
        let mut tests = Vec::new();
        for &(index, case) in group {
            let id = case.id(index);
            let function = function_name(&id);
            match case_function(&cx, file, case, &function) {
                Ok(tokens) => {
                    let ignored = self.ignored(file, &ignore_key(suite, case, index));
                    tests.push(test_function(&function, &id, ignored.as_deref()));
                    functions.push(tokens);
                    self.entries.push(Entry {
                        file: file.name,
                        suite: suite.description.clone(),
                        id,
                        ignored,
                        run: Some(quote!(#module::#function)),
                    });
                }
                Err(error) => self.not_generated(file, suite, case, index, &error.to_string()),
            }
        }
        let test_module = module_file(file, suite, &operation, &functions, &tests);
        self.add_rust(&format!("{module}/mod.rs"), test_module, &header);
        for (path, text) in sdk_files {
            if let Some(path) = sdk_path(&path) {
                self.files.insert(format!("{module}/{path}"), text);
            }
        }
        self.modules.push(module);
    }

    /// Records a case that cannot be generated: fine when ignored, a problem otherwise.
    fn not_generated(
        &mut self,
        file: SuiteFile,
        suite: &Suite,
        case: &Case,
        index: usize,
        reason: &str,
    ) {
        let key = ignore_key(suite, case, index);
        let ignored = self.ignored(file, &key);
        if ignored.is_none() {
            self.problems
                .push(format!("{}: {key}: {reason}", file.name));
        }
        self.entries.push(Entry {
            file: file.name,
            suite: suite.description.clone(),
            id: case.id(index),
            ignored,
            run: None,
        });
    }

    fn add_rust(&mut self, path: &str, tokens: TokenStream, header: &str) {
        let files = BTreeMap::from([(path.to_owned(), FileContent::Rust(tokens))]);
        match brisk_codegen::render::render(files, header) {
            Ok(rendered) => self.files.extend(rendered),
            Err(diagnostic) => self.problems.push(diagnostic.to_string()),
        }
    }

    fn finish(mut self) -> Result<BTreeMap<String, String>, Error> {
        for (file, key) in &self.unmatched_ignores {
            self.problems
                .push(format!("ignore.json: {file}: {key}: no such case"));
        }
        let registry = registry_file(&self.modules, &self.entries);
        let header = format!("Generated by `{REGENERATE}`. Do not edit.");
        self.add_rust("mod.rs", registry, &header);
        if self.problems.is_empty() {
            Ok(self.files)
        } else {
            Err(Error::Cases(self.problems))
        }
    }
}

fn case_function(
    cx: &CaseContext<'_>,
    file: SuiteFile,
    case: &Case,
    function: &Ident,
) -> Result<TokenStream, LiteralError> {
    match file.direction {
        Direction::Input => input_case(cx, case, function),
        Direction::Output => output_case(cx, case, function),
    }
}

/// Where a file of the generated crate goes in its module: `src/lib.rs` is the
/// module's `sdk/mod.rs`; `Cargo.toml` is not needed.
fn sdk_path(path: &str) -> Option<String> {
    match path.strip_prefix("src/")? {
        "lib.rs" => Some("sdk/mod.rs".to_owned()),
        rest => Some(format!("sdk/{rest}")),
    }
}

/// `#[test] fn <case>()`, ignored with its reason when the ignore list names it.
fn test_function(function: &Ident, id: &str, ignored: Option<&str>) -> TokenStream {
    let ignore = ignored.map(|reason| quote!(#[ignore = #reason]));
    quote! {
        #[test]
        #ignore
        fn #function() {
            crate::check::run(super::FILE, super::SUITE, #id, super::#function);
        }
    }
}

/// A module's `mod.rs`: the generated client, the case functions and their tests.
fn module_file(
    file: SuiteFile,
    suite: &Suite,
    operation: &str,
    functions: &[TokenStream],
    tests: &[TokenStream],
) -> TokenStream {
    let doc = format!(" `{operation}`: {} ({}).", suite.description, file.path);
    let file_name = file.name;
    let suite_name = &suite.description;
    let uses = (!functions.is_empty()).then(|| {
        let operation_trait = (file.direction == Direction::Input).then(|| {
            quote!(
                use brisk_runtime::operation::Operation;
            )
        });
        quote! {
            #operation_trait
            use crate::check;
        }
    });
    quote! {
        #![doc = #doc]

        #[rustfmt::skip]
        pub mod sdk;

        #uses

        /// The suite file.
        pub const FILE: &str = #file_name;
        /// The suite.
        pub const SUITE: &str = #suite_name;

        #(#functions)*

        #[cfg(test)]
        mod tests {
            #(#tests)*
        }
    }
}

/// `cases/mod.rs`: the modules and the list of every case.
fn registry_file(modules: &[Ident], entries: &[Entry]) -> TokenStream {
    let cases = entries.iter().map(|entry| {
        let (file, suite, id) = (entry.file, &entry.suite, &entry.id);
        let ignored = match &entry.ignored {
            Some(reason) => quote!(Some(#reason)),
            None => quote!(None),
        };
        let run = match &entry.run {
            Some(path) => quote!(Some(#path)),
            None => quote!(None),
        };
        quote! {
            Case { file: #file, suite: #suite, id: #id, ignored: #ignored, run: #run },
        }
    });
    quote! {
        #![doc = " Every case of the rest-json protocol test suites, one module per suite and operation."]

        use crate::Case;

        #(
            #[rustfmt::skip]
            pub mod #modules;
        )*

        /// Every case, in file and suite order.
        pub const CASES: &[Case] = &[#(#cases)*];
    }
}

/// Writes stale and missing files and deletes extra ones (and folders left empty).
fn write(out: &Path, files: &BTreeMap<String, String>, drift: &Drift) -> Result<(), Error> {
    let io_error = |path: &Path, e: io::Error| Error::Codegen(codegen::Error::Io(path.into(), e));
    for path in drift.stale.iter().chain(&drift.missing) {
        let target = out.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        fs::write(&target, &files[path]).map_err(|e| io_error(&target, e))?;
    }
    for path in &drift.extra {
        let target = out.join(path);
        fs::remove_file(&target).map_err(|e| io_error(&target, e))?;
        let mut dir = target.parent();
        while let Some(current) = dir.filter(|d| *d != out) {
            if fs::remove_dir(current).is_err() {
                break;
            }
            dir = current.parent();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_crate_files_map_into_the_module() {
        assert_eq!(sdk_path("src/lib.rs").as_deref(), Some("sdk/mod.rs"));
        assert_eq!(
            sdk_path("src/operation/get.rs").as_deref(),
            Some("sdk/operation/get.rs")
        );
        assert_eq!(sdk_path("Cargo.toml"), None);
    }

    #[test]
    fn legacy_ids_become_case_numbers() {
        assert_eq!(function_name("#3").to_string(), "case_3");
        assert_eq!(
            function_name("RestJsonHttpPrefixHeadersArePresent").to_string(),
            "rest_json_http_prefix_headers_are_present"
        );
    }

    #[test]
    fn module_names_are_unique_per_file_and_operation() {
        let mut generation = Generation::new(IgnoreList::new());
        let file = SUITE_FILES[1];
        let first = generation.module_name(file, "Errors", "GreetingWithErrors");
        generation.modules.push(first.clone());
        let second = generation.module_name(file, "Errors", "GreetingWithErrors");
        assert_eq!(first.to_string(), "output_greeting_with_errors");
        assert_eq!(second.to_string(), "output_greeting_with_errors_2");
        let legacy = generation.module_name(SUITE_FILES[3], "Lists with structure member", "Op");
        assert_eq!(
            legacy.to_string(),
            "legacy_output_lists_with_structure_member"
        );
    }
}
