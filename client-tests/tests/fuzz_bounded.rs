//! A bounded run of the fuzz targets (`fuzz/`): seeds plus deterministic
//! mutations of them. The long runs happen with `cargo fuzz`; this keeps every
//! crash they found, and the seeds, in the test command.

use std::fs;
use std::path::Path;

use client_tests::fuzz;

/// Mutations per seed.
const RESPONSE_MUTATIONS: usize = 300;
const MODEL_MUTATIONS: usize = 40;

fn workspace_file(path: &str) -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
}

/// Every file of a corpus folder under `fuzz/`, if it exists (crash reproducers included).
fn corpus(folder: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz")
        .join(folder);
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    files.iter().filter_map(|p| fs::read(p).ok()).collect()
}

/// One random edit: flip, insert, delete, duplicate or truncate.
fn mutate(rng: &mut fastrand::Rng, data: &mut Vec<u8>) {
    const INTERESTING: &[&[u8]] = &[
        b"{", b"}", b"[", b"\"", b"null", b"-1", b"1e309", b"\\u0000", b":", b",",
    ];
    let len = data.len();
    match rng.u8(0..5) {
        0 if len > 0 => {
            let i = rng.usize(0..len);
            data[i] ^= 1 << rng.u8(0..8);
        }
        1 => {
            let token = INTERESTING[rng.usize(0..INTERESTING.len())];
            let at = rng.usize(0..=len);
            data.splice(at..at, token.iter().copied());
        }
        2 if len > 0 => {
            let start = rng.usize(0..len);
            let end = (start + rng.usize(1..=16)).min(len);
            data.drain(start..end);
        }
        3 if len > 0 => {
            let start = rng.usize(0..len);
            let end = (start + rng.usize(1..=32)).min(len);
            let chunk = data[start..end].to_vec();
            let at = rng.usize(0..=data.len());
            data.splice(at..at, chunk);
        }
        _ => data.truncate(rng.usize(0..=len)),
    }
}

fn run(target: fn(&[u8]), seeds: &[Vec<u8>], mutations: usize, seed: u64) -> usize {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut runs = 0;
    for original in seeds {
        target(original);
        let mut data = original.clone();
        for i in 0..mutations {
            if i % 8 == 0 {
                data.clone_from(original);
            }
            mutate(&mut rng, &mut data);
            target(&data);
            runs += 1;
        }
    }
    runs
}

#[test]
fn response_parsing_survives_mutated_responses() {
    let mut seeds: Vec<Vec<u8>> = [
        &b"\x00{\"arn\":\"arn:aws:ivschat:us-east-1:1:room/a\",\"id\":\"a\",\"createTime\":\"2024-03-01T12:34:56.789Z\",\"maximumMessageLength\":500,\"tags\":{\"k\":\"v\"},\"messageReviewHandler\":{\"uri\":\"u\",\"fallbackResult\":\"ALLOW\"}}"[..],
        b"\x00{\"rooms\":[{\"id\":\"a\",\"loggingConfigurationIdentifiers\":[\"x\"]}],\"nextToken\":\"t\"}",
        b"\x00{\"destinationConfiguration\":{\"s3\":{\"bucketName\":\"b\"}},\"state\":\"ACTIVE\"}",
        b"\x02{\"__type\":\"ValidationException\",\"message\":\"m\",\"reason\":\"OTHER\",\"fieldList\":[{\"name\":\"n\",\"message\":\"m\"}]}",
        b"\x06{\"code\":\"ThrottlingException\",\"resourceId\":\"r\",\"resourceType\":\"ROOM\",\"limit\":5}",
        b"\x07<html><body>Bad Gateway</body></html>",
        b"\x01",
    ]
    .iter()
    .map(|s| s.to_vec())
    .collect();
    seeds.extend(corpus("corpus/response"));
    seeds.extend(corpus("artifacts/response"));
    let runs = run(fuzz::response, &seeds, RESPONSE_MUTATIONS, 7);
    assert!(runs >= 7 * RESPONSE_MUTATIONS);
}

#[test]
fn model_loading_survives_mutated_models() {
    let mut seeds = vec![
        workspace_file("model/ivschat/2020-07-14/service-2.json"),
        workspace_file("codegen/tests/fixtures/obstacle/2024-01-01/service-2.json"),
        workspace_file("codegen/tests/fixtures/locations/2024-01-01/service-2.json"),
    ];
    seeds.extend(corpus("artifacts/model"));
    let runs = run(fuzz::model, &seeds, MODEL_MUTATIONS, 11);
    assert!(runs >= 3 * MODEL_MUTATIONS);
}
