//! The corpus report: one row per service, totals per protocol, as `CORPUS.md`.
//!
//! Pure: rows in, Markdown out, so the format is tested on small data.

use std::collections::BTreeMap;
use std::fmt::Write;

use brisk_codegen::ir::SUPPORTED_PROTOCOLS;

/// Everything one corpus run found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corpus {
    /// botocore's `__version__`.
    pub botocore_version: String,
    /// One row per service, sorted by service name.
    pub services: Vec<ServiceRow>,
    /// Whether the generated crates were compiled (`--build`).
    pub built: bool,
}

/// One service of the release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRow {
    /// The directory name under `botocore/data`, e.g. `ivschat`.
    pub service: String,
    /// The newest API version, the one generated.
    pub api_version: String,
    /// `metadata.protocol`, or `?` when the model could not be read.
    pub protocol: String,
    /// Operations in the model.
    pub operations: usize,
    /// Shapes in the model.
    pub shapes: usize,
    /// What the generator made of it.
    pub generation: Generation,
    /// How the crate compiled; `None` when it was not built.
    pub build: Option<BuildOutcome>,
}

/// The generator's result for one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Generation {
    /// A crate was generated.
    Generated {
        /// Lines of Rust in its `.rs` files.
        lines: usize,
        /// Operations and waiters left out, sorted.
        left_out: Vec<LeftOut>,
    },
    /// The service did not generate; the problems, as messages.
    Failed(Vec<String>),
}

/// An operation or waiter the generated crate leaves out.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LeftOut {
    pub kind: LeftOutKind,
    /// The operation's or waiter's model name.
    pub name: String,
    /// Why, in a few words.
    pub reason: String,
}

/// What was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LeftOutKind {
    Operation,
    Waiter,
}

/// How one generated crate compiled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildOutcome {
    /// Whether its library was built.
    pub compiled: bool,
    pub warnings: usize,
    pub errors: usize,
    /// The first few diagnostics, rendered as rustc prints them (for stdout, not the report).
    pub first_messages: Vec<String>,
}

impl BuildOutcome {
    /// Compiled, with no warnings.
    pub fn is_clean(&self) -> bool {
        self.compiled && self.warnings == 0 && self.errors == 0
    }
}

impl ServiceRow {
    /// Whether the generator claims this service's protocol.
    pub fn is_supported(&self) -> bool {
        SUPPORTED_PROTOCOLS.contains(&self.protocol.as_str())
    }

    /// Whether a crate was generated.
    pub fn is_generated(&self) -> bool {
        matches!(self.generation, Generation::Generated { .. })
    }

    /// Operations left out of the generated crate.
    pub fn operations_left_out(&self) -> usize {
        self.left_out()
            .iter()
            .filter(|l| l.kind == LeftOutKind::Operation)
            .count()
    }

    /// Operations and waiters left out (none when nothing was generated).
    pub fn left_out(&self) -> &[LeftOut] {
        match &self.generation {
            Generation::Generated { left_out, .. } => left_out,
            Generation::Failed(_) => &[],
        }
    }

    /// Whether this row makes the run fail: a supported service that did not
    /// generate, or (when built) did not compile clean.
    pub fn is_failure(&self) -> bool {
        if !self.is_supported() {
            return false;
        }
        let built_clean = self.build.as_ref().is_none_or(BuildOutcome::is_clean);
        !self.is_generated() || !built_clean
    }
}

/// Sums over the services of one protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub services: usize,
    pub generated: usize,
    /// Compiled with no warnings or errors.
    pub compiled_clean: usize,
    pub operations_left_out: usize,
    pub waiters_left_out: usize,
}

impl Totals {
    fn add(&mut self, row: &ServiceRow) {
        self.services += 1;
        self.generated += usize::from(row.is_generated());
        self.compiled_clean += usize::from(row.build.as_ref().is_some_and(BuildOutcome::is_clean));
        self.operations_left_out += row.operations_left_out();
        self.waiters_left_out += row.left_out().len() - row.operations_left_out();
    }
}

impl Corpus {
    /// Totals per protocol, sorted by protocol.
    pub fn totals_per_protocol(&self) -> BTreeMap<&str, Totals> {
        let mut totals: BTreeMap<&str, Totals> = BTreeMap::new();
        for row in &self.services {
            totals.entry(&row.protocol).or_default().add(row);
        }
        totals
    }

    /// Totals over every service.
    pub fn totals(&self) -> Totals {
        let mut totals = Totals::default();
        for row in &self.services {
            totals.add(row);
        }
        totals
    }

    /// Rows that make the run fail.
    pub fn failures(&self) -> impl Iterator<Item = &ServiceRow> {
        self.services.iter().filter(|row| row.is_failure())
    }

    /// The report as Markdown: deterministic, with no timings.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        self.write_intro(&mut out);
        self.write_totals(&mut out);
        self.write_services(&mut out);
        out
    }

    fn write_intro(&self, out: &mut String) {
        let built = if self.built {
            "Every generated crate was compiled (`--build`, debug, all features); \
             `compiled` says whether it built, `warnings` counts rustc's warnings."
        } else {
            "The crates were not compiled in this run (`--build` compiles them and \
             fills the `compiled` and `warnings` columns)."
        };
        let _ = writeln!(out, "# Corpus\n");
        let _ = writeln!(
            out,
            "Every service model of botocore {} (the newest API version of each), \
             generated by `cargo xtask corpus`. {built} Supported protocols: {}.\n",
            self.botocore_version,
            SUPPORTED_PROTOCOLS.join(", ")
        );
        let _ = writeln!(
            out,
            "`operations` is generated / in the model; `shapes` counts the model's \
             shapes; `lines` the generated Rust. Left out: operations that need a feature \
             the generator does not support yet (event streams today), and waiters it \
             cannot express.\n"
        );
    }

    fn write_totals(&self, out: &mut String) {
        let _ = writeln!(out, "## Totals per protocol\n");
        let _ = writeln!(
            out,
            "| protocol | services | generated | compiled clean | operations left out | waiters left out |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
        let totals = self.totals_per_protocol();
        let all = self.totals();
        for (protocol, totals) in totals.iter().map(|(p, t)| (*p, t)).chain([("all", &all)]) {
            let clean = if self.built {
                totals.compiled_clean.to_string()
            } else {
                "not built".to_owned()
            };
            let _ = writeln!(
                out,
                "| {protocol} | {} | {} | {clean} | {} | {} |",
                totals.services,
                totals.generated,
                totals.operations_left_out,
                totals.waiters_left_out
            );
        }
        out.push('\n');
    }

    fn write_services(&self, out: &mut String) {
        let _ = writeln!(out, "## Services\n");
        let _ = writeln!(
            out,
            "| service | protocol | operations | shapes | lines | left out | generated | compiled | warnings |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---:|---|---|---|---:|");
        for row in &self.services {
            let _ = writeln!(out, "{}", service_line(row));
        }
    }
}

/// One table row of the services table.
fn service_line(row: &ServiceRow) -> String {
    let (operations, lines, generated) = match &row.generation {
        Generation::Generated { lines, .. } => (
            row.operations - row.operations_left_out(),
            lines.to_string(),
            "yes".to_owned(),
        ),
        Generation::Failed(problems) => (0, "—".to_owned(), failure_cell(problems)),
    };
    let (compiled, warnings) = build_cells(row);
    format!(
        "| {} {} | {} | {operations} / {} | {} | {lines} | {} | {generated} | {compiled} | {warnings} |",
        row.service,
        row.api_version,
        cell(&row.protocol),
        row.operations,
        row.shapes,
        left_out_cell(row.left_out()),
    )
}

fn build_cells(row: &ServiceRow) -> (String, String) {
    match &row.build {
        _ if !row.is_generated() => ("—".to_owned(), "—".to_owned()),
        None => ("not built".to_owned(), "—".to_owned()),
        Some(build) if build.compiled => ("yes".to_owned(), build.warnings.to_string()),
        Some(build) => (
            format!("no ({} errors)", build.errors),
            build.warnings.to_string(),
        ),
    }
}

fn left_out_cell(left_out: &[LeftOut]) -> String {
    if left_out.is_empty() {
        return "—".to_owned();
    }
    let parts: Vec<String> = left_out
        .iter()
        .map(|l| match l.kind {
            LeftOutKind::Operation => format!("`{}` ({})", l.name, l.reason),
            LeftOutKind::Waiter => format!("waiter `{}` ({})", l.name, l.reason),
        })
        .collect();
    cell(&parts.join(", "))
}

/// The first problem, and how many more there are.
fn failure_cell(problems: &[String]) -> String {
    let first = problems.first().map(String::as_str).unwrap_or("failed");
    match problems.len() {
        0 | 1 => cell(first),
        n => cell(&format!("{first} (and {} more)", n - 1)),
    }
}

/// Text made safe for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(service: &str, protocol: &str, generation: Generation) -> ServiceRow {
        ServiceRow {
            service: service.to_owned(),
            api_version: "2024-01-01".to_owned(),
            protocol: protocol.to_owned(),
            operations: 3,
            shapes: 10,
            generation,
            build: None,
        }
    }

    fn generated(left_out: Vec<LeftOut>) -> Generation {
        Generation::Generated {
            lines: 1200,
            left_out,
        }
    }

    fn streaming(name: &str) -> LeftOut {
        LeftOut {
            kind: LeftOutKind::Operation,
            name: name.to_owned(),
            reason: "event stream".to_owned(),
        }
    }

    fn waiter(name: &str) -> LeftOut {
        LeftOut {
            kind: LeftOutKind::Waiter,
            name: name.to_owned(),
            reason: "path `a|b`".to_owned(),
        }
    }

    fn corpus(services: Vec<ServiceRow>, built: bool) -> Corpus {
        Corpus {
            botocore_version: "1.2.3".to_owned(),
            services,
            built,
        }
    }

    #[test]
    fn a_generated_row_counts_operations_left_out() {
        let row = row(
            "demo",
            "rest-json",
            generated(vec![streaming("Watch"), waiter("Ready")]),
        );
        assert_eq!(
            service_line(&row),
            "| demo 2024-01-01 | rest-json | 2 / 3 | 10 | 1200 | `Watch` (event stream), \
             waiter `Ready` (path `a\\|b`) | yes | not built | — |"
        );
    }

    #[test]
    fn a_failed_row_shows_the_first_problem_and_the_count() {
        let problems = vec![
            "protocol `json` is not supported".to_owned(),
            "other".to_owned(),
        ];
        let row = row("old", "json", Generation::Failed(problems));
        assert_eq!(
            service_line(&row),
            "| old 2024-01-01 | json | 0 / 3 | 10 | — | — | protocol `json` is not supported \
             (and 1 more) | — | — |"
        );
    }

    #[test]
    fn built_rows_show_compilation_and_warnings() {
        let mut ok = row("ok", "rest-json", generated(Vec::new()));
        ok.build = Some(BuildOutcome {
            compiled: true,
            warnings: 2,
            ..BuildOutcome::default()
        });
        assert!(
            service_line(&ok).ends_with("| yes | 2 |"),
            "{}",
            service_line(&ok)
        );
        let mut broken = row("broken", "rest-json", generated(Vec::new()));
        broken.build = Some(BuildOutcome {
            compiled: false,
            warnings: 1,
            errors: 4,
            ..BuildOutcome::default()
        });
        assert!(service_line(&broken).ends_with("| no (4 errors) | 1 |"));
    }

    #[test]
    fn totals_are_per_protocol_then_over_all() {
        let mut clean = row(
            "a",
            "rest-json",
            generated(vec![streaming("X"), waiter("W")]),
        );
        clean.build = Some(BuildOutcome {
            compiled: true,
            ..BuildOutcome::default()
        });
        let mut warned = row("b", "rest-json", generated(vec![streaming("Y")]));
        warned.build = Some(BuildOutcome {
            compiled: true,
            warnings: 1,
            ..BuildOutcome::default()
        });
        let failed = row("c", "json", Generation::Failed(vec!["no".to_owned()]));
        let report = corpus(vec![clean, warned, failed], true).to_markdown();
        let totals: Vec<&str> = report
            .lines()
            .skip_while(|line| !line.starts_with("| protocol"))
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .collect();
        assert_eq!(
            totals,
            [
                "| json | 1 | 0 | 0 | 0 | 0 |",
                "| rest-json | 2 | 2 | 1 | 2 | 1 |",
                "| all | 3 | 2 | 1 | 2 | 1 |",
            ]
        );
    }

    #[test]
    fn unbuilt_totals_say_so() {
        let report =
            corpus(vec![row("a", "rest-json", generated(Vec::new()))], false).to_markdown();
        assert!(
            report.contains("| rest-json | 1 | 1 | not built | 0 | 0 |"),
            "{report}"
        );
        assert!(report.contains("botocore 1.2.3"));
    }

    #[test]
    fn only_supported_services_fail_the_run() {
        let unsupported = row("x", "json", Generation::Failed(vec!["no".to_owned()]));
        let failed = row("y", "rest-json", Generation::Failed(vec!["no".to_owned()]));
        let mut warned = row("z", "rest-json", generated(Vec::new()));
        warned.build = Some(BuildOutcome {
            compiled: true,
            warnings: 1,
            ..BuildOutcome::default()
        });
        let unbuilt = row("w", "rest-json", generated(Vec::new()));
        let corpus = corpus(vec![unsupported, failed, warned, unbuilt], true);
        let failures: Vec<&str> = corpus.failures().map(|r| r.service.as_str()).collect();
        assert_eq!(failures, ["y", "z"]);
    }
}
