//! Streaming bodies of the `streaming` fixture, checked on the bytes that cross a
//! loopback connection: uploads from memory, a file and a one-shot stream (length,
//! framing, the hash they are signed over, whether they are retried), and downloads
//! handed over at the response head and read piece by piece, including one cut short.

mod common;

use std::collections::VecDeque;
use std::io::Write;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use brisk_runtime::bytes::Bytes;
use brisk_runtime::{ByteStream, SdkError};
use common::{AMZ_DATE, assert_signed, config, error, expected_authorization};
use fixture_streaming::Client;
use fixture_streaming::operation::get_object::GetObjectError;
use futures_core::Stream;
use loopback::{Action, Received, TestServer};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const SERVICE: &str = "streaming";
/// How long a read of a downloaded body may take before the test calls it a hang.
const READ_LIMIT: Duration = Duration::from_secs(5);

fn client(server: &TestServer) -> Client {
    Client::from_conf(config(server)).unwrap()
}

/// A client aimed at a server of the test's own at `addr`, with the settings
/// `common::config` gives a loopback server.
fn client_at(addr: SocketAddr) -> Client {
    let target = TestServer {
        addr,
        received: Default::default(),
        connections: Default::default(),
    };
    client(&target)
}

/// A `PutObject` answer: the size the server counted and an ETag.
fn stored(size: usize) -> Action {
    Action::Reply {
        status: 200,
        headers: vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("etag".to_owned(), "\"e-1\"".to_owned()),
        ],
        body: json!({ "Size": size }).to_string().into_bytes(),
    }
}

fn internal_error() -> Action {
    error(500, "InternalFailure", json!({"message": "try again"}))
}

/// `len` bytes that differ from one run to the next, so nothing passes by luck.
fn random_bytes(len: usize) -> Vec<u8> {
    std::iter::repeat_with(|| fastrand::u8(..))
        .take(len)
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn signed_headers(request: &Received) -> Vec<&str> {
    request
        .header("authorization")
        .and_then(|a| a.split("SignedHeaders=").nth(1))
        .and_then(|rest| rest.split(',').next())
        .map(|names| names.split(';').collect())
        .unwrap_or_default()
}

/// Checks the `Authorization` header against SigV4 recomputed with `payload_hash`.
fn assert_signed_over(request: &Received, payload_hash: &str) {
    let (expected, canonical_request) = expected_authorization(request, SERVICE, payload_hash);
    assert_eq!(
        request.header("authorization"),
        Some(expected.as_str()),
        "canonical request:\n{canonical_request}"
    );
}

/// A one-shot stream of the given chunks, with no length known ahead.
struct Chunks(VecDeque<Result<Bytes, std::io::Error>>);

impl Chunks {
    fn new<const N: usize>(chunks: [&'static [u8]; N]) -> Self {
        Self(chunks.into_iter().map(|c| Ok(Bytes::from(c))).collect())
    }
}

impl Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.pop_front())
    }
}

#[tokio::test]
async fn a_body_from_memory_goes_out_whole_with_its_length_and_is_signed_over_its_hash() {
    let body = random_bytes(100_000);
    let server = TestServer::start(vec![stored(body.len())]).await;
    let output = client(&server)
        .put_object()
        .key("in memory")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(output.size, Some(100_000));
    assert_eq!(output.e_tag.as_deref(), Some("\"e-1\""));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "PUT");
    assert_eq!(request.target, "/objects/in%20memory");
    assert!(request.body == body, "the body arrived altered");
    assert_eq!(request.header("content-length"), Some("100000"));
    assert_eq!(request.header("transfer-encoding"), None);
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    // As botocore: the hash is signed but not sent in a header of its own.
    assert_eq!(request.header("x-amz-content-sha256"), None);
    assert_signed_over(request, &sha256_hex(&body));
}

#[tokio::test]
async fn a_file_body_is_signed_over_the_file_hash_and_sent_whole_again_on_retry() {
    // A few MiB and not a multiple of the read size.
    let contents = random_bytes(3 * 1024 * 1024 + 12_345);
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&contents).unwrap();
    file.flush().unwrap();
    let server = TestServer::start(vec![internal_error(), stored(contents.len())]).await;

    let output = client(&server)
        .put_object()
        .key("from-file")
        .body(ByteStream::from_path(file.path()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(output.size, Some(contents.len() as i64));

    let requests = server.requests();
    assert_eq!(
        requests.len(),
        2,
        "a 500 is retried with the file read again"
    );
    let file_hash = sha256_hex(&contents);
    let length = contents.len().to_string();
    for request in &requests {
        assert!(request.body == contents, "the file arrived altered");
        assert_eq!(request.header("content-length"), Some(length.as_str()));
        assert_eq!(request.header("transfer-encoding"), None);
        assert_eq!(request.header("x-amz-content-sha256"), None);
        assert_signed_over(request, &file_hash);
    }
}

#[tokio::test]
async fn a_file_gone_before_sending_is_a_construction_error() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let body = ByteStream::from_path(file.path()).unwrap();
    file.close().unwrap();
    let server = TestServer::start(vec![stored(0)]).await;
    let error = client(&server)
        .put_object()
        .key("gone")
        .body(body)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, SdkError::ConstructionFailure(_)),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("cannot read the body"),
        "{error}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_stream_without_a_length_goes_out_chunked_unsigned_and_is_not_retried() {
    let server = TestServer::start(vec![internal_error(), stored(0)]).await;
    let stream = Chunks::new([b"first chunk, ", b"second chunk, ", b"", b"the last one"]);
    let error = client(&server)
        .put_object()
        .key("streamed")
        .body(ByteStream::from_stream(stream, None))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::ServiceError(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));

    let requests = server.requests();
    assert_eq!(requests.len(), 1, "a stream is sent once: {requests:?}");
    let request = &requests[0];
    assert_eq!(request.body, b"first chunk, second chunk, the last one");
    assert_eq!(request.header("transfer-encoding"), Some("chunked"));
    assert_eq!(request.header("content-length"), None);
    assert_eq!(
        request.header("x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    assert!(signed_headers(request).contains(&"x-amz-content-sha256"));
    assert_signed_over(request, "UNSIGNED-PAYLOAD");
}

#[tokio::test]
async fn a_stream_with_a_length_goes_out_with_content_length() {
    let server = TestServer::start(vec![stored(11)]).await;
    let stream = Chunks::new([b"hello", b" ", b"world"]);
    client(&server)
        .put_object()
        .key("sized")
        .body(ByteStream::from_stream(stream, Some(11)))
        .send()
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.body, b"hello world");
    assert_eq!(request.header("content-length"), Some("11"));
    assert_eq!(request.header("transfer-encoding"), None);
    assert_eq!(
        request.header("x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    assert_signed_over(request, "UNSIGNED-PAYLOAD");
}

#[tokio::test]
async fn a_stream_that_fails_fails_the_call_without_a_retry() {
    let server = TestServer::start(vec![stored(0)]).await;
    let mut chunks = Chunks::new([b"a good start"]);
    chunks
        .0
        .push_back(Err(std::io::Error::other("the source broke")));
    let error = client(&server)
        .put_object()
        .key("broken")
        .body(ByteStream::from_stream(chunks, None))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::DispatchFailure(_)), "{error:?}");
    let chain: Vec<String> =
        std::iter::successors(Some(&error as &(dyn std::error::Error + 'static)), |e| {
            e.source()
        })
        .map(ToString::to_string)
        .collect();
    assert!(
        chain.iter().any(|m| m.contains("the source broke")),
        "{chain:?}"
    );
    // The server never saw a complete request, so recorded none.
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_unsigned_body_operation_signs_unsigned_payload_even_for_bytes() {
    let server = TestServer::start(vec![stored(5)]).await;
    client(&server)
        .put_unsigned_object()
        .key("u")
        .body("bytes")
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.target, "/unsigned/u");
    assert_eq!(request.body, b"bytes");
    assert_eq!(request.header("content-length"), Some("5"));
    assert_eq!(
        request.header("x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    assert!(signed_headers(request).contains(&"x-amz-content-sha256"));
    assert_signed_over(request, "UNSIGNED-PAYLOAD");
}

/// A one-connection server for downloads: it answers the first request with `head`,
/// then writes each piece of body the test hands it, and closes the connection when
/// the test drops its sender. Returns the request it received once it closes.
struct PacedServer {
    addr: SocketAddr,
    pieces: mpsc::UnboundedSender<Vec<u8>>,
    request: tokio::task::JoinHandle<Received>,
}

impl PacedServer {
    async fn start(head: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (pieces, mut to_send) = mpsc::unbounded_channel::<Vec<u8>>();
        let request = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let request = read_request_head(&mut socket).await;
            socket.write_all(head.as_bytes()).await.unwrap();
            while let Some(piece) = to_send.recv().await {
                socket.write_all(&piece).await.unwrap();
            }
            request
        });
        Self {
            addr,
            pieces,
            request,
        }
    }
}

/// Reads a request without a body (a `GET`) off `socket`.
async fn read_request_head(socket: &mut tokio::net::TcpStream) -> Received {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8; 1];
        assert_eq!(socket.read(&mut byte).await.unwrap(), 1, "closed mid-head");
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let mut lines = head.trim_end().split("\r\n");
    let mut first = lines.next().unwrap().split(' ');
    let (method, target) = (first.next().unwrap(), first.next().unwrap());
    Received {
        method: method.to_owned(),
        target: target.to_owned(),
        headers: lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect(),
        body: Vec::new(),
    }
}

fn download_head(len: usize) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-length: {len}\r\ncontent-type: application/x-test\r\n\
         x-amzn-requestid: req-dl\r\n\r\n"
    )
}

/// Reads from `body` until it has yielded `len` more bytes (never more) and returns them.
async fn read_exactly(body: &mut ByteStream, len: usize) -> Vec<u8> {
    let mut got = Vec::new();
    while got.len() < len {
        let chunk = tokio::time::timeout(READ_LIMIT, body.next())
            .await
            .expect("the body did not come in time")
            .expect("the body ended early")
            .expect("reading the body failed");
        got.extend_from_slice(&chunk);
    }
    assert_eq!(got.len(), len, "read past the piece the server sent");
    got
}

#[tokio::test]
async fn a_download_is_returned_at_its_head_and_read_as_the_pieces_arrive() {
    let pieces: Vec<Vec<u8>> = [1, 1000, 70_000, 5].map(random_bytes).to_vec();
    let total: usize = pieces.iter().map(Vec::len).sum();
    let server = PacedServer::start(download_head(total)).await;

    // Nothing of the body has been sent yet: the output comes from the head alone.
    let output = tokio::time::timeout(
        READ_LIMIT,
        client_at(server.addr).get_object().key("k").send(),
    )
    .await
    .expect("the output waited for the body")
    .unwrap();
    assert_eq!(output.content_length, Some(total as i64));
    assert_eq!(output.content_type.as_deref(), Some("application/x-test"));
    let mut body = output.body.expect("no body");

    for piece in &pieces {
        server.pieces.send(piece.clone()).unwrap();
        let got = read_exactly(&mut body, piece.len()).await;
        assert!(&got == piece, "a piece arrived altered");
    }
    let end = tokio::time::timeout(READ_LIMIT, body.next()).await.unwrap();
    assert!(end.is_none(), "the body goes on past its length");

    drop(server.pieces);
    let request = server.request.await.unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/objects/k");
    assert_eq!(request.header("x-amz-date"), Some(AMZ_DATE));
    assert_signed(&request, SERVICE);
}

#[tokio::test]
async fn a_download_of_a_missing_key_is_the_modeled_error_with_its_message() {
    let server = TestServer::start(vec![error(
        404,
        "NoSuchKey",
        json!({"Message": "no object under `nope`"}),
    )])
    .await;
    let error = client(&server)
        .get_object()
        .key("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.request_id(), Some("req-err-1"));
    match error.into_service_error() {
        Some(GetObjectError::NoSuchKey(e)) => {
            assert_eq!(e.message.as_deref(), Some("no object under `nope`"));
        }
        other => panic!("expected NoSuchKey, got {other:?}"),
    }
    // A 404 is not retried.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_download_cut_short_is_an_error_when_read_never_a_hang() {
    let server = PacedServer::start(download_head(1000)).await;
    let output = client_at(server.addr)
        .get_object()
        .key("short")
        .send()
        .await
        .unwrap();
    assert_eq!(output.content_length, Some(1000));
    let mut body = output.body.expect("no body");
    let sent = random_bytes(300);
    server.pieces.send(sent.clone()).unwrap();
    assert!(read_exactly(&mut body, 300).await == sent);
    // The server closes the connection 700 bytes short of its promise.
    drop(server.pieces);
    server.request.await.unwrap();
    let end = tokio::time::timeout(READ_LIMIT, body.next())
        .await
        .expect("reading a truncated body hung");
    let error = match end {
        Some(Err(e)) => e,
        other => panic!("expected an error, got {other:?}"),
    };
    assert!(
        error.to_string().starts_with("cannot read the body"),
        "{error}"
    );
}
