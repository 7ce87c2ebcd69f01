//! Floats and epoch-seconds timestamps over loopback HTTP (the `numbers`
//! fixture): every digit the wire carries survives a round trip, and NaN and
//! the infinities travel as strings alone and inside lists and maps.

mod common;

use std::collections::HashMap;

use common::{assert_signed, config, path_and_query};
use fixture_numbers::primitives::DateTime;
use fixture_numbers::types::{Readings, Sample};
use loopback::{Action, TestServer};
use serde_json::{Value, json};

/// A double that a reader one unit in the last place off gets wrong.
const DOUBLE: f64 = 982609.3605063795;
/// 1700000000.123456 seconds: microseconds that milliseconds would lose.
const MICROS_TEXT: &str = "1700000000.123456";

fn micros_time() -> DateTime {
    DateTime::from_unix_timestamp_nanos(1_700_000_000_123_456_000).unwrap()
}

fn numbers_client(server: &TestServer) -> fixture_numbers::Client {
    fixture_numbers::Client::from_conf(config(server)).unwrap()
}

/// The answer of the server, byte for byte as written here.
fn reply(body: &str) -> Action {
    Action::Reply {
        status: 200,
        headers: vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("x-measured-at".to_owned(), MICROS_TEXT.to_owned()),
        ],
        body: body.as_bytes().to_vec(),
    }
}

const RESPONSE_BODY: &str = r#"{"readings": {
    "value": 982609.3605063795,
    "ratio": "-Infinity",
    "at": 1700000000.123456,
    "values": [1.5, "Infinity", "-Infinity", "NaN"],
    "grid": [[0.1, "NaN"], [], ["-Infinity"]],
    "gauges": {"a": 1.5, "b": "Infinity", "c": "-Infinity", "d": "NaN", "gone": null},
    "series": {"s": [1.5, "Infinity", "-Infinity", "NaN"]},
    "times": [1700000000.123456, 1.1, 0.000000001, -1.5],
    "samples": [{"values": ["NaN", 2.25]}]
}}"#;

/// `[1.5, Infinity, -Infinity, NaN]`, the sequence on the wire.
fn assert_specials<F: Into<f64> + Copy>(values: &[F]) {
    let values: Vec<f64> = values.iter().map(|v| (*v).into()).collect();
    assert_eq!(values.len(), 4, "{values:?}");
    assert_eq!(values[..3], [1.5, f64::INFINITY, f64::NEG_INFINITY]);
    assert!(values[3].is_nan(), "{values:?}");
}

#[tokio::test]
async fn a_response_keeps_every_digit_and_special_float() {
    let server = TestServer::start(vec![reply(RESPONSE_BODY)]).await;
    let output = numbers_client(&server).measure().send().await.unwrap();
    assert_eq!(output.measured_at, Some(micros_time()));
    let readings = output.readings.unwrap();
    assert_eq!(readings.value.map(f64::to_bits), Some(DOUBLE.to_bits()));
    assert_eq!(readings.ratio, Some(f32::NEG_INFINITY));
    assert_eq!(readings.at, Some(micros_time()));
    assert_specials(readings.values.as_deref().unwrap());

    let grid = readings.grid.unwrap();
    assert_eq!(grid.len(), 3);
    assert_eq!(grid[0][0], 0.1);
    assert!(grid[0][1].is_nan());
    assert!(grid[1].is_empty());
    assert_eq!(grid[2], [f64::NEG_INFINITY]);

    let gauges = readings.gauges.unwrap();
    let mut keys: Vec<&str> = gauges.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["a", "b", "c", "d"], "the null entry is dropped");
    assert_specials(&[gauges["a"], gauges["b"], gauges["c"], gauges["d"]]);
    assert_specials(&readings.series.unwrap()["s"]);

    let nanos: Vec<i128> = readings
        .times
        .unwrap()
        .iter()
        .map(|t| t.unix_timestamp_nanos())
        .collect();
    assert_eq!(
        nanos,
        [1_700_000_000_123_456_000, 1_100_000_000, 1, -1_500_000_000]
    );
    let samples = readings.samples.unwrap();
    let sample = samples[0].values.as_deref().unwrap();
    assert!(sample[0].is_nan());
    assert_eq!(sample[1], 2.25);
}

#[tokio::test]
async fn a_special_float_of_another_spelling_is_an_error_not_a_panic() {
    let body = r#"{"readings": {"values": [1.5, "Inf"]}}"#;
    let server = TestServer::start(vec![reply(body)]).await;
    let error = numbers_client(&server).measure().send().await.unwrap_err();
    let message = format!("{error:?}");
    assert!(message.contains("Inf"), "{message}");
}

fn request_readings() -> Readings {
    let specials = vec![1.5, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
    Readings {
        value: Some(DOUBLE),
        ratio: Some(f32::NAN),
        at: Some(micros_time()),
        values: Some(specials.clone()),
        grid: Some(vec![vec![0.1, f64::NAN], vec![f64::NEG_INFINITY]]),
        gauges: Some(HashMap::from([("b".to_owned(), f32::INFINITY)])),
        series: Some(HashMap::from([("s".to_owned(), specials)])),
        times: Some(vec![
            micros_time(),
            DateTime::from_unix_timestamp_nanos(-1_500_000_000).unwrap(),
        ]),
        samples: Some(vec![Sample {
            values: Some(vec![f32::NEG_INFINITY, 2.25]),
        }]),
    }
}

#[tokio::test]
async fn a_request_writes_every_digit_and_special_float() {
    let server = TestServer::start(vec![reply("{}")]).await;
    numbers_client(&server)
        .measure()
        .since(micros_time())
        .taken_at(DateTime::from_unix_timestamp_nanos(1_700_000_000_000_000_001).unwrap())
        .readings(request_readings())
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    let request = &requests[0];
    assert_signed(request, "numbers");
    let (path, query) = path_and_query(request);
    assert_eq!(path, "/measure");
    assert_eq!(query, [format!("since={MICROS_TEXT}")]);
    assert_eq!(request.header("x-taken-at"), Some("1700000000.000000001"));

    let text = String::from_utf8(request.body.clone()).unwrap();
    assert!(text.contains(r#""value":982609.3605063795"#), "{text}");
    assert!(text.contains(&format!(r#""at":{MICROS_TEXT}"#)), "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        body,
        json!({"readings": {
            "value": DOUBLE,
            "ratio": "NaN",
            "at": 1700000000.123456,
            "values": [1.5, "Infinity", "-Infinity", "NaN"],
            "grid": [[0.1, "NaN"], ["-Infinity"]],
            "gauges": {"b": "Infinity"},
            "series": {"s": [1.5, "Infinity", "-Infinity", "NaN"]},
            "times": [1700000000.123456, -1.5],
            "samples": [{"values": ["-Infinity", 2.25]}]
        }})
    );
}
