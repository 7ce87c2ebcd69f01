//! botocore's endpoint test cases for ivschat, ivs and ivs-realtime, evaluated by the
//! rules interpreter: URLs compared exactly, errors compared as exact messages.

mod common;

use std::collections::BTreeMap;

use brisk_runtime::endpoint::{BuiltIns, EndpointResolver, Value};
use common::{IVSCHAT_RULES, PARTITIONS};

const IVS_RULES: &str = include_str!("data/endpoint-rules/ivs.json");
const IVS_REALTIME_RULES: &str = include_str!("data/endpoint-rules/ivs-realtime.json");
const IVSCHAT_CASES: &str =
    include_str!("../../conformance/endpoints/ivschat/endpoint-tests-1.json");
const IVS_CASES: &str = include_str!("../../conformance/endpoints/ivs/endpoint-tests-1.json");
const IVS_REALTIME_CASES: &str =
    include_str!("../../conformance/endpoints/ivs-realtime/endpoint-tests-1.json");

/// Runs every case; returns how many passed.
fn run_cases(rules: &str, cases: &str) -> usize {
    let resolver = EndpointResolver::new(rules, PARTITIONS).unwrap();
    let doc: serde_json::Value = serde_json::from_str(cases).unwrap();
    let cases = doc["testCases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let params: BTreeMap<String, Value> = case
            .get("params")
            .and_then(|p| p.as_object())
            .map(|p| {
                p.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v).unwrap()))
                    .collect()
            })
            .unwrap_or_default();
        let actual = match resolver.resolve(&params) {
            Ok(endpoint) => format!("url {}", endpoint.url),
            Err(e) => format!("error {e}"),
        };
        let expect = &case["expect"];
        let expected = match expect.get("error") {
            Some(message) => format!("error {}", message.as_str().unwrap()),
            None => format!("url {}", expect["endpoint"]["url"].as_str().unwrap()),
        };
        if actual != expected {
            failures.push(format!(
                "{}: expected {expected}, got {actual}",
                case["documentation"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    cases.len()
}

#[test]
fn ivschat_cases() {
    assert_eq!(run_cases(IVSCHAT_RULES, IVSCHAT_CASES), 23);
}

#[test]
fn ivs_cases() {
    assert_eq!(run_cases(IVS_RULES, IVS_CASES), 27);
}

#[test]
fn ivs_realtime_cases() {
    assert_eq!(run_cases(IVS_REALTIME_RULES, IVS_REALTIME_CASES), 21);
}

#[test]
fn built_ins_map_to_parameters() {
    let resolver = EndpointResolver::new(IVSCHAT_RULES, PARTITIONS).unwrap();
    let resolve = |b: BuiltIns| resolver.resolve_built_ins(&b).map(|e| e.url);
    let region = |r: &str| BuiltIns {
        region: Some(r.to_owned()),
        ..BuiltIns::default()
    };
    assert_eq!(
        resolve(BuiltIns {
            use_fips: true,
            use_dual_stack: true,
            ..region("us-gov-west-1")
        })
        .unwrap(),
        "https://ivschat-fips.us-gov-west-1.api.aws"
    );
    assert_eq!(
        resolve(region("cn-north-1")).unwrap(),
        "https://ivschat.cn-north-1.amazonaws.com.cn"
    );
    // A region no partition lists or matches falls back to the aws partition.
    assert_eq!(
        resolve(region("mars-1")).unwrap(),
        "https://ivschat.mars-1.amazonaws.com"
    );
    assert_eq!(
        resolve(BuiltIns::default()).unwrap_err().to_string(),
        "Invalid Configuration: Missing Region"
    );
}

#[test]
fn malformed_documents_are_errors_not_panics() {
    assert!(EndpointResolver::new("{", PARTITIONS).is_err());
    assert!(EndpointResolver::new(IVSCHAT_RULES, "[]").is_err());
    assert!(
        EndpointResolver::new(
            r#"{"parameters":{},"rules":[{"type":"x","conditions":[]}]}"#,
            PARTITIONS
        )
        .is_err()
    );
}
