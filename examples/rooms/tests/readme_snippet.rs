//! The README's first Rust example is `src/bin/readme.rs`, which the workspace
//! compiles: the two must not drift apart.

#[test]
fn the_readme_shows_the_compiled_example() {
    let readme = include_str!("../../../README.md");
    let source = include_str!("../src/bin/readme.rs");
    let start = readme
        .find("```rust\n")
        .expect("a Rust block in the README")
        + "```rust\n".len();
    let end = start + readme[start..].find("```").expect("the block ends");
    let code = source
        .split_once("\n\n")
        .expect("a doc line, then the code")
        .1;
    assert_eq!(&readme[start..end], code);
}
