//! Runs every case and prints passed / ignored / failed per suite file.

use std::collections::BTreeMap;
use std::panic;

use crate::Case;
use crate::cases::CASES;

#[derive(Debug, Default)]
struct Counts {
    passed: usize,
    ignored: usize,
    failed: Vec<String>,
    /// Ignored cases that pass: their `ignore.json` entry is stale.
    stale_ignores: Vec<String>,
}

fn passes(case: &Case) -> Result<(), String> {
    let Some(run) = case.run else {
        return Err("not generated".to_owned());
    };
    match panic::catch_unwind(run) {
        Ok(result) => result,
        Err(_) => Err("panicked".to_owned()),
    }
}

#[test]
fn summary() {
    let mut files: BTreeMap<&str, Counts> = BTreeMap::new();
    for case in CASES {
        let counts = files.entry(case.file).or_default();
        let name = format!("{} / {}", case.suite, case.id);
        match (passes(case), case.ignored) {
            (Ok(()), None) => counts.passed += 1,
            (Ok(()), Some(_)) => counts.stale_ignores.push(name),
            (Err(_), Some(_)) => counts.ignored += 1,
            (Err(problem), None) => counts.failed.push(format!("{name}: {problem}")),
        }
    }
    println!(
        "{:<30} {:>7} {:>8} {:>7}",
        "file", "passed", "ignored", "failed"
    );
    for (file, counts) in &files {
        println!(
            "{file:<30} {:>7} {:>8} {:>7}",
            counts.passed,
            counts.ignored,
            counts.failed.len()
        );
    }
    assert!(files.len() >= 2, "the suite files are generated: {files:?}");
    for (file, counts) in &files {
        assert!(counts.failed.is_empty(), "{file}: {:#?}", counts.failed);
        assert!(
            counts.stale_ignores.is_empty(),
            "{file}: these ignored cases pass; remove them from ignore.json: {:#?}",
            counts.stale_ignores
        );
    }
}
