//! Criterion benches only; see `benches/hot_path.rs`.
