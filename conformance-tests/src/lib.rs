//! botocore's rest-json protocol test suites, run through the generator.
//!
//! `cargo xtask conformance` turns every case's shapes and operation into a
//! generated client module under [`cases`] (one per suite and operation) with
//! one function per case that builds the request or parses the response and
//! compares it with what botocore expects ([`check`]). Cases listed in
//! `ignore.json` are generated where the generator accepts them, but their
//! tests are `#[ignore]`d with the listed reason.
//!
//! `cargo test -p conformance-tests summary -- --nocapture` prints the counts
//! per file.

pub mod check;

#[rustfmt::skip]
pub mod cases;

#[cfg(test)]
mod summary;

/// One case of a suite file.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// The suite file, e.g. `input/rest-json`.
    pub file: &'static str,
    /// The suite's description.
    pub suite: &'static str,
    /// The case id; `#n` (1-based) for legacy cases, which have none.
    pub id: &'static str,
    /// Why the case is not expected to pass, when `ignore.json` lists it.
    pub ignored: Option<&'static str>,
    /// The case's check; `None` when the generator cannot produce it (it is then ignored).
    pub run: Option<fn() -> Result<(), String>>,
}
