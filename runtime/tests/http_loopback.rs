//! The whole call path against a real HTTP server on loopback: retries counted on the
//! wire, throttling, exhausted retries, backoff bounds, retry quota, timeouts,
//! connection failures, endpoint base paths.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, UNIX_EPOCH};

use brisk_runtime::error::{ErrorMetadata, SdkError, TimeoutKind};
use brisk_runtime::rest_json;
use brisk_runtime::signing::AuthScheme;
use brisk_runtime::transport::TransportErrorKind;
use brisk_runtime::{Config, Handle, RetryConfig, TimeSource, TimeoutConfig};
use bytes::Bytes;
use common::{IVSCHAT, example_credentials};
use loopback::{Action, TestServer};

type Result<T> = std::result::Result<T, SdkError<ErrorMetadata>>;

fn fast_retry(max_attempts: u32) -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(max_attempts)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn timeouts(attempt_ms: u64, operation_ms: u64) -> TimeoutConfig {
    TimeoutConfig {
        connect: Duration::from_millis(300),
        attempt: Duration::from_millis(attempt_ms),
        operation: Duration::from_millis(operation_ms),
    }
}

fn handle(url: &str, retry: RetryConfig, timeouts: TimeoutConfig) -> Handle {
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(example_credentials())
        .endpoint_url(url)
        .retry(retry)
        .timeouts(timeouts)
        .build();
    Handle::new(IVSCHAT, config).unwrap()
}

fn create_room() -> http::Request<Bytes> {
    http::Request::builder()
        .method("POST")
        .uri("/CreateRoom")
        .header("content-type", "application/json")
        .body(Bytes::from_static(br#"{"name":"lobby"}"#))
        .unwrap()
}

/// What a generated operation does with the final response.
async fn call(handle: &Handle) -> Result<http::Response<Bytes>> {
    let response = handle
        .send("CreateRoom", AuthScheme::SigV4, create_room())
        .await?;
    if response.status().is_success() {
        Ok(response)
    } else {
        let meta = rest_json::error_metadata(&response);
        Err(SdkError::service_error(meta, response))
    }
}

const OK: Action = Action::Respond(200, vec![], "{}");

fn status(code: u16) -> Action {
    Action::Respond(code, vec![("x-amzn-requestid", "req-1")], "{}")
}

#[tokio::test]
async fn transient_errors_are_retried_and_each_attempt_is_signed_afresh() {
    let server = TestServer::start(vec![status(503), status(503), OK]).await;
    let ticks = Arc::new(AtomicU64::new(0));
    let clock = ticks.clone();
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(example_credentials())
        .endpoint_url(server.url())
        .retry(fast_retry(3))
        .time_source(TimeSource::custom(move || {
            UNIX_EPOCH + Duration::from_secs(1_795_636_800 + clock.fetch_add(1, Ordering::SeqCst))
        }))
        .build();
    let handle = Handle::new(IVSCHAT, config).unwrap();
    let response = call(&handle).await.unwrap();
    assert_eq!(response.status(), 200);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let dates: Vec<_> = requests
        .iter()
        .map(|r| r.header("x-amz-date").unwrap())
        .collect();
    assert_eq!(
        dates,
        ["20261125T200000Z", "20261125T200001Z", "20261125T200002Z"]
    );
    let auths: Vec<_> = requests
        .iter()
        .map(|r| r.header("authorization").unwrap())
        .collect();
    assert!(auths[0] != auths[1] && auths[1] != auths[2]);
    for r in &requests {
        assert_eq!(
            (r.method.as_str(), r.target.as_str()),
            ("POST", "/CreateRoom")
        );
        assert_eq!(r.body, br#"{"name":"lobby"}"#);
        assert!(
            r.header("authorization")
                .unwrap()
                .contains("/us-east-1/ivschat/aws4_request")
        );
    }
    // Keep-alive: the three attempts reuse one pooled connection.
    assert_eq!(*server.connections.lock().unwrap(), 1);
}

#[tokio::test]
async fn throttling_is_retried() {
    let throttled = Action::Respond(
        429,
        vec![],
        r#"{"__type":"com.amazonaws#ThrottlingException","message":"slow down"}"#,
    );
    let server = TestServer::start(vec![throttled, OK]).await;
    let handle = handle(&server.url(), fast_retry(3), timeouts(2000, 5000));
    assert_eq!(call(&handle).await.unwrap().status(), 200);
    assert_eq!(server.requests().len(), 2);
    let code_only = Action::Respond(400, vec![("x-amzn-errortype", "ThrottlingException:x")], "");
    let server = TestServer::start(vec![code_only, OK]).await;
    let handle = self::handle(&server.url(), fast_retry(3), timeouts(2000, 5000));
    assert_eq!(call(&handle).await.unwrap().status(), 200);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn exhausted_retries_return_the_service_error() {
    let failing = Action::Respond(
        500,
        vec![("x-amzn-RequestId", "rid-500")],
        r#"{"__type":"InternalServerException","message":"boom"}"#,
    );
    let server = TestServer::start(vec![failing]).await;
    let handle = handle(&server.url(), fast_retry(3), timeouts(2000, 5000));
    let err = call(&handle).await.unwrap_err();
    assert_eq!(server.requests().len(), 3);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.request_id(), Some("rid-500"));
    assert_eq!(
        err.raw_response().unwrap().body().as_ref(),
        br#"{"__type":"InternalServerException","message":"boom"}"#
    );
    let meta = err.as_service_error().unwrap();
    assert_eq!(meta.code(), Some("InternalServerException"));
    let shown = err.to_string();
    for part in ["InternalServerException", "boom", "rid-500", "500"] {
        assert!(shown.contains(part), "{shown} mentions {part}");
    }
    let source = std::error::Error::source(&err).unwrap().to_string();
    assert!(source.contains("boom"));
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let invalid = Action::Respond(
        400,
        vec![],
        r#"{"__type":"ValidationException","message":"no"}"#,
    );
    let server = TestServer::start(vec![invalid]).await;
    let handle = handle(&server.url(), fast_retry(3), timeouts(2000, 5000));
    let err = call(&handle).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert_eq!(
        err.as_service_error().unwrap().code(),
        Some("ValidationException")
    );
}

#[tokio::test]
async fn backoff_stays_within_its_bound() {
    let server = TestServer::start(vec![status(503)]).await;
    let retry = RetryConfig::default()
        .with_max_attempts(4)
        .with_backoff(Duration::from_millis(40), Duration::from_millis(60));
    let handle = handle(&server.url(), retry, timeouts(2000, 5000));
    let started = Instant::now();
    call(&handle).await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(server.requests().len(), 4);
    // Three sleeps of at most 40, 60 and 60 ms (jittered), plus loopback round trips.
    assert!(elapsed < Duration::from_millis(160 + 500), "{elapsed:?}");
}

#[tokio::test]
async fn retry_quota_stops_retries_and_refills_on_success() {
    let mut script = vec![status(503); 151];
    script.push(OK);
    let server = TestServer::start(script).await;
    let retry = RetryConfig::default()
        .with_max_attempts(3)
        .with_backoff(Duration::ZERO, Duration::ZERO);
    let handle = handle(&server.url(), retry, timeouts(2000, 10_000));
    assert_eq!(handle.retry_quota_available(), 500);
    // Each failing call retries twice at 5 tokens each: 50 calls empty the bucket.
    for _ in 0..50 {
        call(&handle).await.unwrap_err();
    }
    assert_eq!(handle.retry_quota_available(), 0);
    assert_eq!(server.requests().len(), 150);
    call(&handle).await.unwrap_err();
    assert_eq!(server.requests().len(), 151, "no retry without quota");
    // A first-attempt success returns one token.
    assert_eq!(call(&handle).await.unwrap().status(), 200);
    assert_eq!(handle.retry_quota_available(), 1);

    let fresh = Handle::new(IVSCHAT, handle.config().clone()).unwrap();
    assert_eq!(fresh.retry_quota_available(), 500, "quota is per handle");
}

#[tokio::test]
async fn attempt_timeout_fires_and_is_retried() {
    let server = TestServer::start(vec![Action::Stall]).await;
    let handle = handle(&server.url(), fast_retry(2), timeouts(150, 5000));
    let started = Instant::now();
    let err = call(&handle).await.unwrap_err();
    let elapsed = started.elapsed();
    match &err {
        SdkError::TimeoutError(t) => assert_eq!(t.kind(), TimeoutKind::Attempt),
        other => panic!("expected an attempt timeout, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 2);
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_millis(1500),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn operation_timeout_bounds_the_whole_call() {
    let server = TestServer::start(vec![Action::Stall]).await;
    let handle = handle(&server.url(), fast_retry(3), timeouts(10_000, 200));
    let started = Instant::now();
    let err = call(&handle).await.unwrap_err();
    let elapsed = started.elapsed();
    match &err {
        SdkError::TimeoutError(t) => {
            assert_eq!(t.kind(), TimeoutKind::Operation);
            assert_eq!(t.limit(), Duration::from_millis(200));
        }
        other => panic!("expected an operation timeout, got {other:?}"),
    }
    assert!(err.to_string().contains("operation timed out"));
    assert!(
        elapsed >= Duration::from_millis(200) && elapsed < Duration::from_millis(1000),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn closed_and_truncated_responses_are_retried_dispatch_failures() {
    let server = TestServer::start(vec![Action::Close, Action::Truncate, OK]).await;
    let handle = handle(&server.url(), fast_retry(3), timeouts(2000, 5000));
    assert_eq!(call(&handle).await.unwrap().status(), 200);
    assert_eq!(server.requests().len(), 3);

    let server = TestServer::start(vec![Action::Close]).await;
    let handle = self::handle(&server.url(), fast_retry(2), timeouts(2000, 5000));
    match call(&handle).await.unwrap_err() {
        SdkError::DispatchFailure(e) => assert_eq!(e.kind(), TransportErrorKind::Io),
        other => panic!("expected a dispatch failure, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn refused_connections_are_retried_dispatch_failures() {
    // Bind then drop a listener: its port now refuses connections.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let handle = handle(
        &format!("http://{addr}"),
        fast_retry(2),
        timeouts(2000, 5000),
    );
    match call(&handle).await.unwrap_err() {
        SdkError::DispatchFailure(e) => assert_eq!(e.kind(), TransportErrorKind::Connect),
        other => panic!("expected a dispatch failure, got {other:?}"),
    }
}

#[tokio::test]
async fn connect_timeout_fires() {
    // A listener that never accepts, with its accept queue filled: further SYNs are
    // dropped, so connecting hangs until the connect timeout.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        let connect = tokio::net::TcpStream::connect(addr);
        if let Ok(Ok(stream)) = tokio::time::timeout(Duration::from_millis(100), connect).await {
            fillers.push(stream);
        }
    }
    let handle = handle(
        &format!("http://{addr}"),
        fast_retry(1),
        timeouts(5000, 8000),
    );
    let started = Instant::now();
    let err = call(&handle).await.unwrap_err();
    let elapsed = started.elapsed();
    match err {
        SdkError::DispatchFailure(e) => assert_eq!(e.kind(), TransportErrorKind::ConnectTimeout),
        other => panic!("expected a connect timeout, got {other:?}"),
    }
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_millis(2000),
        "{elapsed:?}"
    );
    drop(listener);
}

#[tokio::test]
async fn endpoint_base_path_is_joined_without_double_slashes() {
    let server = TestServer::start(vec![OK]).await;
    let handle = handle(
        &format!("{}/base/", server.url()),
        fast_retry(1),
        timeouts(2000, 5000),
    );
    let request = http::Request::builder()
        .method("DELETE")
        .uri("/tags/arn%3Aaws%3Aivschat%3Aus-east-1%3A1%3Aroom%2Fx?tagKeys=a&tagKeys=b")
        .body(Bytes::new())
        .unwrap();
    handle
        .send::<(), _>("UntagResource", AuthScheme::SigV4, request)
        .await
        .unwrap();
    let sent = &server.requests()[0];
    assert_eq!(
        sent.target,
        "/base/tags/arn%3Aaws%3Aivschat%3Aus-east-1%3A1%3Aroom%2Fx?tagKeys=a&tagKeys=b"
    );
    assert_eq!(sent.header("host"), Some(server.addr.to_string().as_str()));
    assert!(
        sent.header("user-agent")
            .unwrap()
            .starts_with("brisk-runtime/")
    );
}

#[test]
fn send_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let handle = handle("http://127.0.0.1:9", fast_retry(1), timeouts(10, 10));
    let future = handle.send::<ErrorMetadata, _>("CreateRoom", AuthScheme::SigV4, create_room());
    assert_send(&future);
    fn assert_handle<T: Clone + Send + Sync + 'static>() {}
    assert_handle::<Handle>();
}
