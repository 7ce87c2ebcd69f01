//! Everything logged at TRACE level during a call (the runtime's spans and events and
//! those of its dependencies) names the operation, attempts, status and request id, and
//! never a secret key or session token.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use brisk_runtime::signing::AuthScheme;
use brisk_runtime::{Config, Credentials, Handle, RetryConfig};
use bytes::Bytes;
use common::IVSCHAT;
use loopback::{Action, TestServer};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

const SECRET: &str = "SecretKeyThatMustNeverBeLogged/abc+123";
const TOKEN: &str = "SessionTokenThatMustNeverBeLogged==";

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn trace_output_names_the_call_but_no_secret() {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let ok = Action::Respond(200, vec![("x-amzn-requestid", "rid-ok-7")], "{}");
    let server = TestServer::start(vec![Action::Respond(503, vec![], ""), ok]).await;
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKIDLOGGED", SECRET, Some(TOKEN.into())))
        .endpoint_url(server.url())
        .retry(
            RetryConfig::default().with_backoff(Duration::from_millis(1), Duration::from_millis(1)),
        )
        .build();
    let handle = Handle::new(IVSCHAT, config).unwrap();
    let request = http::Request::builder()
        .method("POST")
        .uri("/CreateRoom")
        .body(Bytes::from_static(b"{}"))
        .unwrap();
    handle
        .send::<(), _>("CreateRoom", AuthScheme::SigV4, request)
        .await
        .unwrap();
    assert_eq!(
        server.requests()[1].header("x-amz-security-token"),
        Some(TOKEN)
    );

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "CreateRoom",
        "attempt=2",
        "status=200",
        "rid-ok-7",
        "retrying",
        "signing request",
    ] {
        assert!(logs.contains(expected), "logs mention {expected}:\n{logs}");
    }
    assert!(!logs.contains(SECRET), "secret key logged:\n{logs}");
    assert!(!logs.contains(TOKEN), "session token logged:\n{logs}");
}
