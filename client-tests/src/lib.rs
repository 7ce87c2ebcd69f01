//! Hand-written tests of the generated crates (their tests live in `tests/`),
//! and the fuzz targets' bodies, shared by `fuzz/` and the bounded run in
//! `tests/fuzz_bounded.rs`.

pub mod fuzz;
