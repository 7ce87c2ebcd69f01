//! `cargo xtask conformance`: the committed cases match the suites, and every
//! case of every suite file is in the registry.

use std::fs;

use xtask::codegen;
use xtask::conformance::{self, SUITE_FILES};
use xtask::workspace_root;

#[test]
fn conformance_cases_are_up_to_date() {
    let files = conformance::generate().unwrap();
    let drift = codegen::drift(&conformance::cases_dir(), &files).unwrap();
    assert!(
        drift.is_clean(),
        "conformance-tests/src/cases is out of date; run `cargo xtask conformance`:\n{drift}"
    );
}

#[test]
fn every_case_of_every_file_is_registered() {
    let files = conformance::generate().unwrap();
    let registry = &files["mod.rs"];
    for file in SUITE_FILES {
        let text = fs::read_to_string(workspace_root().join(file.path)).unwrap();
        let suites: serde_json::Value = serde_json::from_str(&text).unwrap();
        let cases: usize = suites
            .as_array()
            .unwrap()
            .iter()
            .map(|suite| suite["cases"].as_array().unwrap().len())
            .sum();
        let registered = registry
            .matches(&format!("file: \"{}\"", file.name))
            .count();
        assert_eq!(registered, cases, "{}", file.name);
    }
}
