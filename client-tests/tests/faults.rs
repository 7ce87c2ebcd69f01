//! What a caller of the generated client gets when the network or the service
//! misbehaves, and how many attempts reach the wire. Nothing panics, nothing
//! hangs, and every error keeps what the caller needs to act on it.

mod common;

use std::time::{Duration, Instant};

use brisk_runtime::SdkError;
use common::{client, config, error, json};
use ivschat::operation::get_room::GetRoomError;
use loopback::{Action, TestServer};
use serde_json::json;

const ROOM: &str = "arn:aws:ivschat:us-east-1:123456789012:room/g1H2I3j4k5L6";

async fn get_room(
    server: &TestServer,
) -> Result<ivschat::operation::get_room::GetRoomOutput, SdkError<GetRoomError>> {
    client(server).get_room().identifier(ROOM).send().await
}

fn raw(status: u16, content_type: &str, body: &[u8]) -> Action {
    Action::Reply {
        status,
        headers: vec![
            ("content-type".to_owned(), content_type.to_owned()),
            ("x-amzn-requestid".to_owned(), "req-raw".to_owned()),
        ],
        body: body.to_vec(),
    }
}

fn ok_room() -> Action {
    json(200, json!({"id": "g1H2I3j4k5L6", "name": "lobby"}))
}

#[tokio::test]
async fn throttling_then_success_is_retried() {
    let throttled = error(429, "ThrottlingException", json!({"message": "slow down"}));
    let server = TestServer::start(vec![throttled, ok_room()]).await;
    let room = get_room(&server).await.unwrap();
    assert_eq!(room.name.as_deref(), Some("lobby"));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn server_errors_then_success_are_retried() {
    let server = TestServer::start(vec![
        error(500, "InternalServerException", json!({"message": "oops"})),
        raw(503, "text/plain", b"Service Unavailable"),
        ok_room(),
    ])
    .await;
    get_room(&server).await.unwrap();
    assert_eq!(server.requests().len(), 3);
    let dates: std::collections::BTreeSet<_> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(
        dates.len(),
        1,
        "same clock, same bytes, same signature on every attempt"
    );
}

#[tokio::test]
async fn exhausted_retries_return_the_last_error_with_status_request_id_and_body() {
    let server = TestServer::start(vec![error(
        503,
        "ServiceUnavailable",
        json!({"message": "down"}),
    )])
    .await;
    let failure = get_room(&server).await.unwrap_err();
    assert_eq!(server.requests().len(), 3, "the default 3 attempts");
    assert_eq!(failure.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(failure.request_id(), Some("req-err-1"));
    assert_eq!(
        failure.raw_response().unwrap().body().as_ref(),
        br#"{"message":"down"}"#
    );
    let message = failure.to_string();
    for part in ["ServiceUnavailable", "down", "req-err-1", "503"] {
        assert!(message.contains(part), "{message}");
    }
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = TestServer::start(vec![error(
        400,
        "ValidationException",
        json!({"message": "bad"}),
    )])
    .await;
    let failure = get_room(&server).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert!(matches!(
        failure.into_service_error(),
        Some(GetRoomError::ValidationException(_))
    ));
}

#[tokio::test]
async fn a_connection_closed_mid_response_is_retried() {
    let server = TestServer::start(vec![Action::Close, Action::Truncate, ok_room()]).await;
    get_room(&server).await.unwrap();
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_connection_always_closed_is_a_dispatch_failure() {
    let server = TestServer::start(vec![Action::Truncate]).await;
    let failure = get_room(&server).await.unwrap_err();
    assert!(
        matches!(failure, SdkError::DispatchFailure(_)),
        "{failure:?}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_its_bound() {
    let server = TestServer::start(vec![Action::Stall]).await;
    let mut config = config(&server).to_builder();
    config = config.timeouts(brisk_runtime::TimeoutConfig {
        connect: Duration::from_secs(1),
        attempt: Duration::from_millis(200),
        operation: Duration::from_millis(700),
    });
    let client = ivschat::Client::from_conf(config.build()).unwrap();
    let started = Instant::now();
    let failure = client.get_room().identifier(ROOM).send().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(failure, SdkError::TimeoutError(_)), "{failure:?}");
    assert!(elapsed < Duration::from_millis(1500), "took {elapsed:?}");
    assert!(failure.to_string().contains("timed out"), "{failure}");
}

fn assert_unparseable(failure: &SdkError<GetRoomError>, status: u16, body: &[u8]) {
    assert!(matches!(failure, SdkError::ResponseError(_)), "{failure:?}");
    let raw = failure.raw_response().expect("the raw response is kept");
    assert_eq!(raw.status().as_u16(), status);
    assert_eq!(raw.body().as_ref(), body);
    assert_eq!(failure.request_id(), Some("req-raw"));
}

#[tokio::test]
async fn a_malformed_json_body_is_a_response_error_with_the_raw_body() {
    let body = br#"{"id": "g1H2"#;
    let server = TestServer::start(vec![raw(200, "application/json", body)]).await;
    let failure = get_room(&server).await.unwrap_err();
    assert_unparseable(&failure, 200, body);
    assert!(
        failure.to_string().contains("malformed JSON body"),
        "{failure}"
    );
    assert_eq!(server.requests().len(), 1, "a parse failure is not retried");
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_response_error() {
    let body = br#"{"maximumMessageLength": "long"}"#;
    let server = TestServer::start(vec![raw(200, "application/json", body)]).await;
    let failure = get_room(&server).await.unwrap_err();
    assert_unparseable(&failure, 200, body);
}

#[tokio::test]
async fn an_html_error_page_from_a_proxy_keeps_status_and_body() {
    let body = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = TestServer::start(vec![raw(502, "text/html", body)]).await;
    let failure = get_room(&server).await.unwrap_err();
    assert_eq!(server.requests().len(), 3, "502 is retried");
    let raw = failure.raw_response().unwrap();
    assert_eq!(raw.status().as_u16(), 502);
    assert_eq!(raw.body().as_ref(), body);
    let GetRoomError::Unhandled(meta) = failure.into_service_error().unwrap() else {
        panic!("an HTML page has no modeled error");
    };
    assert_eq!(meta.code(), None);
    assert_eq!(meta.status, Some(502));
}

#[tokio::test]
async fn an_empty_5xx_body_is_an_unhandled_error_with_its_status() {
    let server = TestServer::start(vec![raw(500, "application/json", b"")]).await;
    let failure = get_room(&server).await.unwrap_err();
    assert_eq!(server.requests().len(), 3);
    assert_eq!(failure.status().map(|s| s.as_u16()), Some(500));
    assert!(failure.to_string().contains("500"), "{failure}");
}

#[tokio::test]
async fn a_ten_megabyte_response_is_read_whole() {
    let name = "x".repeat(10 * 1024 * 1024);
    let server = TestServer::start(vec![json(200, json!({"name": name}))]).await;
    let room = get_room(&server).await.unwrap();
    assert_eq!(room.name.unwrap().len(), 10 * 1024 * 1024);
}

#[tokio::test]
async fn forward_compatible_responses_parse() {
    let body = json!({
        "id": "g1",
        "messageReviewHandler": {"uri": "arn", "fallbackResult": "ESCALATE"},
        "aFieldFromTheFuture": {"nested": [1, 2, 3]}
    });
    let server = TestServer::start(vec![json(200, body)]).await;
    let room = get_room(&server).await.unwrap();
    let fallback = room
        .message_review_handler
        .unwrap()
        .fallback_result
        .unwrap();
    assert_eq!(fallback.as_str(), "ESCALATE");

    let logging = json!({
        "id": "lc", "state": "ARCHIVED",
        "destinationConfiguration": {"kafka": {"topic": "t"}}
    });
    let server = TestServer::start(vec![json(200, logging)]).await;
    let output = client(&server)
        .get_logging_configuration()
        .identifier("lc")
        .send()
        .await
        .unwrap();
    assert_eq!(output.state.unwrap().as_str(), "ARCHIVED");
    assert_eq!(
        output.destination_configuration,
        Some(ivschat::types::DestinationConfiguration::Unknown(
            "kafka".to_owned()
        ))
    );
}
