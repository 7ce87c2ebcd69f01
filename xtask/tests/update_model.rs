//! `cargo xtask update-model`: the same model files from a wheel, a source
//! distribution and a directory, decompressed and otherwise byte for byte.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use flate2::Compression;
use flate2::write::GzEncoder;

const SERVICE: &[u8] = br#"{"version":"2.0","metadata":{},"operations":{},"shapes":{}}"#;
const PAGINATORS: &[u8] = b"{\n  \"pagination\": {}\n}\n";
const PARTITIONS: &[u8] = b"{\"partitions\": []}\n";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// The entries of a botocore distribution as (path inside it, bytes): the
/// service model gzipped, as the wheel ships it, and two API versions.
fn entries(prefix: &str) -> Vec<(String, Vec<u8>)> {
    vec![
        (
            format!("{prefix}botocore/__init__.py"),
            b"__version__ = '9.9.9'\n".to_vec(),
        ),
        (
            format!("{prefix}botocore/data/demo/2020-01-01/service-2.json"),
            b"{}".to_vec(),
        ),
        (
            format!("{prefix}botocore/data/demo/2024-05-01/service-2.json.gz"),
            gzip(SERVICE),
        ),
        (
            format!("{prefix}botocore/data/demo/2024-05-01/paginators-1.json"),
            PAGINATORS.to_vec(),
        ),
        (
            format!("{prefix}botocore/data/other/2024-05-01/service-2.json"),
            b"{}".to_vec(),
        ),
        (
            format!("{prefix}botocore/data/partitions.json"),
            PARTITIONS.to_vec(),
        ),
    ]
}

fn write_wheel(path: &Path) {
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    for (name, bytes) in entries("") {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn write_sdist(path: &Path) {
    let encoder = GzEncoder::new(fs::File::create(path).unwrap(), Compression::default());
    let mut tar = tar::Builder::new(encoder);
    for (name, bytes) in entries("botocore-9.9.9/") {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
}

fn write_dir(path: &Path) {
    for (name, bytes) in entries("") {
        let target = path.join(name);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, bytes).unwrap();
    }
}

fn update(from: &Path, model_dir: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["update-model", "--service", "demo", "--from"])
        .arg(from)
        .arg("--model-dir")
        .arg(model_dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn assert_model(model_dir: &Path) {
    let version_dir = model_dir.join("demo/2024-05-01");
    assert_eq!(
        fs::read(version_dir.join("service-2.json")).unwrap(),
        SERVICE
    );
    assert_eq!(
        fs::read(version_dir.join("paginators-1.json")).unwrap(),
        PAGINATORS
    );
    assert!(!version_dir.join("waiters-2.json").exists());
    assert!(
        !model_dir.join("demo/2020-01-01").exists(),
        "only the newest API version"
    );
    assert!(
        !model_dir.join("demo/2019-01-01").exists(),
        "older versions are removed"
    );
    assert_eq!(
        fs::read(model_dir.join("partitions.json")).unwrap(),
        PARTITIONS
    );
    assert_eq!(
        fs::read_to_string(model_dir.join("BOTOCORE_VERSION")).unwrap(),
        "9.9.9\n"
    );
}

#[test]
fn wheel_sdist_and_directory_give_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = dir.path().join("botocore-9.9.9-py3-none-any.whl");
    let sdist = dir.path().join("botocore-9.9.9.tar.gz");
    let unpacked = dir.path().join("unpacked");
    write_wheel(&wheel);
    write_sdist(&sdist);
    write_dir(&unpacked);
    for (i, from) in [&wheel, &sdist, &unpacked].into_iter().enumerate() {
        let model_dir = dir.path().join(format!("model{i}"));
        fs::create_dir_all(model_dir.join("demo/2019-01-01")).unwrap();
        fs::create_dir_all(model_dir.join("demo/2024-05-01")).unwrap();
        fs::write(model_dir.join("demo/2024-05-01/waiters-2.json"), "stale").unwrap();
        update(from, &model_dir);
        assert_model(&model_dir);
    }
}

#[test]
fn a_missing_service_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let unpacked = dir.path().join("unpacked");
    write_dir(&unpacked);
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["update-model", "--service", "absent", "--from"])
        .arg(&unpacked)
        .arg("--model-dir")
        .arg(dir.path().join("model"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("botocore has no model for service `absent`"),
        "{stderr}"
    );
}
