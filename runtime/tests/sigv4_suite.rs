//! The AWS SigV4 test suite (`conformance/sigv4/aws4_testsuite`): every case but the
//! ones botocore also skips (listed with reasons in `tests/data/sigv4-ignore.json`)
//! must sign to exactly the expected `Authorization` header.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use brisk_runtime::Credentials;
use brisk_runtime::signing::{PathEncoding, SigningParams, sign_request};
use bytes::Bytes;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

const SUITE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../conformance/sigv4/aws4_testsuite"
);
const IGNORE: &str = include_str!("data/sigv4-ignore.json");
/// 2015-08-30T12:36:00Z.
const SUITE_TIME: u64 = 1_440_938_160;

/// Bytes a raw request line may hold that a URI may not.
const URI_UNSAFE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');

/// Case directories: those holding `<dir name>.req`.
fn case_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let name = dir.file_name().unwrap().to_str().unwrap();
    if dir.join(format!("{name}.req")).exists() {
        out.push(dir.to_owned());
    }
    let mut children: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    children.sort();
    for child in children {
        case_dirs(&child, out);
    }
}

fn read(dir: &Path, ext: &str) -> String {
    let name = dir.file_name().unwrap().to_str().unwrap();
    std::fs::read_to_string(dir.join(format!("{name}.{ext}")))
        .unwrap()
        .replace('\r', "")
}

/// Parses a raw `.req`: request line, headers (folded lines joined), body.
fn parse_request(raw: &str) -> (String, String, Vec<(String, String)>, String) {
    let (head, body) = raw.split_once("\n\n").unwrap_or((raw, ""));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let (method, rest) = request_line.split_once(' ').unwrap();
    let target = rest.rsplit_once(' ').unwrap().0;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().unwrap();
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    (
        method.to_owned(),
        target.to_owned(),
        headers,
        body.to_owned(),
    )
}

/// The session token a case signs with: the `x-amz-security-token` line of `.creq`.
fn session_token(creq: &str) -> Option<String> {
    creq.lines()
        .find_map(|l| l.strip_prefix("x-amz-security-token:"))
        .map(str::to_owned)
}

fn sign_case(dir: &Path) -> String {
    let (method, target, headers, body) = parse_request(&read(dir, "req"));
    let host = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        .unwrap()
        .1
        .clone();
    // The suite's paths are unencoded and are encoded once for the canonical URI, which
    // is what double-encoding mode does to a wire path. Paths a URI cannot carry as is
    // (non-ASCII) are encoded here first and then taken as they are.
    let (target, path_encoding) = if target.is_ascii() && !target.contains(' ') {
        (target, PathEncoding::Double)
    } else {
        let encoded = utf8_percent_encode(&target, URI_UNSAFE).to_string();
        (encoded.replace("%3F", "?"), PathEncoding::Single)
    };
    let mut builder = http::Request::builder()
        .method(method.as_str())
        .uri(format!("https://{host}{target}"));
    for (name, value) in &headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let mut request = builder.body(Bytes::from(body)).unwrap();
    let creds = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        session_token(&read(dir, "creq")),
    );
    let params = SigningParams {
        credentials: &creds,
        region: "us-east-1",
        service: "service",
        time: UNIX_EPOCH + Duration::from_secs(SUITE_TIME),
        path_encoding,
    };
    sign_request(&mut request, &params).unwrap();
    let date = request.headers()["x-amz-date"].to_str().unwrap();
    assert_eq!(date, "20150830T123600Z");
    request.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_owned()
}

/// An entry of `sigv4-ignore.json`.
#[derive(serde::Deserialize)]
struct Ignored {
    botocore: String,
    skip: bool,
}

fn ignore_list() -> BTreeMap<String, Ignored> {
    let mut doc: BTreeMap<String, serde_json::Value> = serde_json::from_str(IGNORE).unwrap();
    doc.remove("_comment");
    doc.into_iter()
        .map(|(k, v)| (k, serde_json::from_value(v).unwrap()))
        .collect()
}

#[test]
fn aws4_test_suite() {
    let ignore = ignore_list();
    let root = Path::new(SUITE);
    let mut dirs = Vec::new();
    case_dirs(root, &mut dirs);
    let ids: Vec<String> = dirs
        .iter()
        .map(|d| d.strip_prefix(root).unwrap().to_str().unwrap().to_owned())
        .collect();
    for (id, entry) in &ignore {
        assert!(ids.contains(id), "listed case {id} exists");
        assert!(!entry.botocore.is_empty(), "{id} has a reason");
    }
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    for (id, dir) in ids.iter().zip(&dirs) {
        if ignore.get(id).is_some_and(|e| e.skip) {
            skipped += 1;
            continue;
        }
        let expected = read(dir, "authz");
        let actual = sign_case(dir);
        if actual == expected.trim_end() {
            passed += 1;
        } else {
            failures.push(format!("{id}:\n  expected {expected}\n  actual   {actual}"));
        }
    }
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
    assert_eq!((passed, skipped), (34, 0));
    println!("aws4 suite: {passed} passed, {skipped} skipped");
}

#[test]
fn signing_time_and_token_are_applied() {
    let creds = Credentials::new("AK", "SK", Some("TOKEN".into()));
    let mut request = http::Request::builder()
        .uri("https://example.amazonaws.com/")
        .header("x-amz-date", "stale")
        .header("authorization", "stale")
        .body(Bytes::new())
        .unwrap();
    let params = SigningParams {
        credentials: &creds,
        region: "us-east-1",
        service: "service",
        time: SystemTime::UNIX_EPOCH + Duration::from_secs(SUITE_TIME),
        path_encoding: PathEncoding::Double,
    };
    sign_request(&mut request, &params).unwrap();
    let h = request.headers();
    assert_eq!(h["x-amz-date"], "20150830T123600Z");
    assert_eq!(h["x-amz-security-token"], "TOKEN");
    assert!(h["authorization"].is_sensitive());
    assert!(
        h["authorization"]
            .to_str()
            .unwrap()
            .contains("SignedHeaders=host;x-amz-date;x-amz-security-token,")
    );
    assert_eq!(h.get_all("authorization").iter().count(), 1);
}

#[test]
fn relative_uri_is_rejected_not_panicking() {
    let creds = Credentials::new("AK", "SK", None);
    let mut request = http::Request::builder()
        .uri("/relative")
        .body(Bytes::new())
        .unwrap();
    let params = SigningParams {
        credentials: &creds,
        region: "us-east-1",
        service: "service",
        time: SystemTime::now(),
        path_encoding: PathEncoding::Double,
    };
    assert!(sign_request(&mut request, &params).is_err());
}
