//! A full CreateChatToken call at the most verbose tracing level: the output
//! names the call, and never a secret key, session token, chat token, user id
//! or token attribute. `Debug` of the values involved hides them too.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use brisk_runtime::Credentials;
use common::json;
use loopback::TestServer;
use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

const SECRET_KEY: &str = "SecretKeyNeverLogged/abc+123";
const SESSION_TOKEN: &str = "SessionTokenNeverLogged==";
const CHAT_TOKEN: &str = "ChatTokenNeverLogged.xyz";
const USER_ID: &str = "user-id-never-logged";
const ATTRIBUTE: &str = "attribute-never-logged";

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

fn assert_no_secret(text: &str) {
    for secret in [SECRET_KEY, SESSION_TOKEN, CHAT_TOKEN, USER_ID, ATTRIBUTE] {
        assert!(!text.contains(secret), "`{secret}` appears in:\n{text}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_traced_call_logs_no_secret() {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let answer = json(
        200,
        json!({"token": CHAT_TOKEN, "tokenExpirationTime": "2026-11-25T21:00:00Z"}),
    );
    let server = TestServer::start(vec![
        common::error(503, "ServiceUnavailable", json!({})),
        answer,
    ])
    .await;
    let config = common::config(&server)
        .to_builder()
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            SECRET_KEY,
            Some(SESSION_TOKEN.into()),
        ))
        .build();
    let client = ivschat::Client::from_conf(config).unwrap();
    let call = client
        .create_chat_token()
        .room_identifier("arn:aws:ivschat:us-east-1:1:room/r")
        .user_id(USER_ID)
        .attributes("color", ATTRIBUTE);
    assert_no_secret(&format!("{call:?}"));
    let output = call.send().await.unwrap();
    assert_no_secret(&format!("{output:?} {client:?}"));
    assert_eq!(output.token.as_deref(), Some(CHAT_TOKEN));

    let logged = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("CreateChatToken"),
        "the call is named:\n{logged}"
    );
    assert!(
        logged.contains("req-1234"),
        "the request id is logged:\n{logged}"
    );
    assert_no_secret(&logged);
    assert_eq!(server.requests().len(), 2);
    assert!(server.requests()[1].header("x-amz-security-token") == Some(SESSION_TOKEN));
}
