//! The 204 botocore ivschat cases: each request, sent through `Handle::send` with the
//! same bytes, time and keys, carries exactly botocore's `Authorization` header.

mod common;

use brisk_runtime::signing::AuthScheme;
use brisk_runtime::{Config, Handle, TimeSource};
use bytes::Bytes;
use common::{IVSCHAT, RecordingTransport, case_time, example_credentials};
use serde_json::Value;

const CASES: &str = include_str!("../../conformance/ivschat/botocore-cases-n12-seed42.jsonl");
const ENDPOINT: &str = "https://ivschat.us-east-1.amazonaws.com";

fn request_for(case: &Value) -> http::Request<Bytes> {
    let expected = &case["expected_request"];
    let url = expected["url"].as_str().unwrap();
    let relative = url.strip_prefix(ENDPOINT).unwrap();
    let mut builder = http::Request::builder()
        .method(expected["method"].as_str().unwrap())
        .uri(relative);
    for (name, value) in expected["headers"].as_object().unwrap() {
        builder = builder.header(name.as_str(), value.as_str().unwrap());
    }
    let body = expected["body_raw"].as_str().unwrap().to_owned();
    builder.body(Bytes::from(body)).unwrap()
}

#[tokio::test]
async fn every_case_signs_like_botocore() {
    let transport = RecordingTransport::default();
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(example_credentials())
        .time_source(TimeSource::fixed(case_time()))
        .transport(transport.clone())
        .build();
    let handle = Handle::new(IVSCHAT, config).unwrap();
    assert_eq!(handle.endpoint().url, ENDPOINT);
    let cases: Vec<Value> = CASES
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(cases.len(), 204);
    let mut mismatches = Vec::new();
    for case in &cases {
        let response = handle
            .send::<(), _>("Op", AuthScheme::SigV4, request_for(case))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let sent = transport.requests.lock().unwrap().pop().unwrap();
        let expected_url = case["expected_request"]["url"].as_str().unwrap();
        assert_eq!(sent.uri().to_string(), expected_url);
        let signature = &case["expected_signature"];
        let authorization = sent.headers()["authorization"].to_str().unwrap();
        if authorization != signature["authorization"].as_str().unwrap() {
            mismatches.push(case["case_id"].as_str().unwrap().to_owned());
        }
        assert_eq!(sent.headers()["x-amz-date"], "20261125T200000Z");
    }
    assert!(
        mismatches.is_empty(),
        "mismatched signatures: {mismatches:?}"
    );
    println!(
        "ivschat signatures: {} of {} match",
        cases.len() - mismatches.len(),
        cases.len()
    );
}
