//! Helpers shared by the end-to-end tests: a client aimed at a loopback
//! server, and an independent SigV4 check of the requests it received.
#![allow(dead_code)]

use std::time::{Duration, UNIX_EPOCH};

use brisk_runtime::config::{TimeSource, TimeoutConfig};
use brisk_runtime::{Config, Credentials, RetryConfig};
use hmac::{Hmac, KeyInit, Mac};
use loopback::{Action, Received, TestServer};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
pub const REGION: &str = "us-east-1";
/// 2026-11-25T20:00:00Z.
pub const EPOCH_SECONDS: u64 = 1_795_636_800;
pub const AMZ_DATE: &str = "20261125T200000Z";

/// A config aimed at `server`, with fixed keys and clock and fast retries.
pub fn config(server: &TestServer) -> Config {
    Config::builder()
        .region(REGION)
        .credentials_provider(Credentials::new(ACCESS_KEY, SECRET, None))
        .endpoint_url(server.url())
        .time_source(TimeSource::fixed(
            UNIX_EPOCH + Duration::from_secs(EPOCH_SECONDS),
        ))
        .retry(
            RetryConfig::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .timeouts(TimeoutConfig {
            connect: Duration::from_secs(2),
            attempt: Duration::from_secs(2),
            operation: Duration::from_secs(5),
        })
        .build()
}

/// An ivschat client aimed at `server`.
pub fn client(server: &TestServer) -> ivschat::Client {
    ivschat::Client::from_conf(config(server)).unwrap()
}

/// A JSON answer with a request id.
pub fn json(status: u16, body: Value) -> Action {
    Action::Reply {
        status,
        headers: vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("x-amzn-requestid".to_owned(), "req-1234".to_owned()),
        ],
        body: body.to_string().into_bytes(),
    }
}

/// An error answer as AWS sends it: the code in `x-amzn-ErrorType` and the body.
pub fn error(status: u16, code: &str, body: Value) -> Action {
    Action::Reply {
        status,
        headers: vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("x-amzn-requestid".to_owned(), "req-err-1".to_owned()),
            (
                "x-amzn-errortype".to_owned(),
                format!("{code}:http://internal.amazon.com/coral/"),
            ),
        ],
        body: body.to_string().into_bytes(),
    }
}

/// An empty answer (`204 No Content` and the like).
pub fn empty(status: u16) -> Action {
    Action::Reply {
        status,
        headers: vec![("x-amzn-requestid".to_owned(), "req-empty".to_owned())],
        body: Vec::new(),
    }
}

/// The received body as JSON (`Null` when empty).
pub fn body_json(request: &Received) -> Value {
    if request.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&request.body).unwrap()
    }
}

/// Path and query of the request target, the query as sorted `k=v` pieces.
pub fn path_and_query(request: &Received) -> (String, Vec<String>) {
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((&request.target, ""));
    (path.to_owned(), query_multiset(query))
}

/// The `k=v` pieces of a query string, sorted: a multiset.
pub fn query_multiset(query: &str) -> Vec<String> {
    let mut pieces: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    pieces.sort();
    pieces
}

/// Recomputes SigV4 over the bytes received and checks the `Authorization`
/// header: the request on the wire is exactly what was signed, for the
/// service `service` at the fixed time.
pub fn assert_signed(request: &Received, service: &str) {
    let payload_hash = hex::encode(Sha256::digest(&request.body));
    let (expected, canonical_request) = expected_authorization(request, service, &payload_hash);
    assert_eq!(
        request.header("authorization"),
        Some(expected.as_str()),
        "canonical request:\n{canonical_request}"
    );
}

/// The `Authorization` header SigV4 gives the request received, signed with
/// `payload_hash` for its body, and the canonical request it signs.
pub fn expected_authorization(
    request: &Received,
    service: &str,
    payload_hash: &str,
) -> (String, String) {
    let authorization = request
        .header("authorization")
        .expect("no Authorization header");
    let signed_headers = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("no SignedHeaders");
    assert_eq!(request.header("x-amz-date"), Some(AMZ_DATE));
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((&request.target, ""));
    let canonical_headers: String = signed_headers
        .split(';')
        .map(|name| {
            format!(
                "{name}:{}\n",
                request.header(name).unwrap_or_default().trim()
            )
        })
        .collect();
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        request.method,
        encode_path(path),
        canonical_query(query),
    );
    let scope = format!("{}/{REGION}/{service}/aws4_request", &AMZ_DATE[..8]);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{AMZ_DATE}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let mut key = format!("AWS4{SECRET}").into_bytes();
    for part in [&AMZ_DATE[..8], REGION, service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let signature = hex::encode(hmac(&key, string_to_sign.as_bytes()));
    let expected = format!(
        "AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    );
    (expected, canonical_request)
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The wire path encoded once more, as SigV4 does for every service but S3.
fn encode_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Query pieces sorted by key, then value (both already encoded on the wire).
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}
