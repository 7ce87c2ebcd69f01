//! The HTTP transport: a small trait so users and tests can substitute their own, and
//! the default implementation over hyper 1 (hyper-util's pooling client) with rustls.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::body::{ByteStream, ByteStreamError};
use crate::error::BoxError;

/// How long an idle pooled connection is kept for reuse.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// The future a transport returns: the response once its head has arrived, with its
/// body still to be read.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<ByteStream>, TransportError>> + Send + 'a>>;

/// Sends one HTTP request and returns the response as soon as its head arrives.
///
/// Implementations send the request body as they read it (with `Content-Length` when
/// [`ByteStream::content_length`] knows it) and hand back the response body unread; the
/// runtime reads it whole, or passes it on to the caller of a streaming operation.
/// They should not retry or time out on their own beyond connecting: the runtime
/// applies per-attempt and per-operation timeouts and retries around them.
pub trait HttpTransport: fmt::Debug + Send + Sync {
    /// Sends `request` (absolute URI) and returns the response with its body unread.
    fn send(&self, request: http::Request<ByteStream>) -> TransportFuture<'_>;
}

/// A shareable transport.
pub type SharedTransport = Arc<dyn HttpTransport>;

/// What kind of transport failure happened; decides whether it is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established (refused, DNS, TLS handshake).
    Connect,
    /// Establishing the connection took longer than the connect timeout.
    ConnectTimeout,
    /// The connection failed while the request or response was in flight (reset,
    /// closed early, truncated body).
    Io,
    /// Anything else, such as a request the transport cannot send; not retried.
    Other,
}

/// A transport-level failure.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: BoxError,
}

impl TransportError {
    /// A failure of `kind` caused by `source`.
    pub fn new(kind: TransportErrorKind, source: impl Into<BoxError>) -> Self {
        Self {
            kind,
            source: source.into(),
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether another attempt may succeed.
    pub fn is_retryable(&self) -> bool {
        self.kind != TransportErrorKind::Other
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::ConnectTimeout => "connect timed out",
            TransportErrorKind::Io => "connection error during the request",
            TransportErrorKind::Other => "request could not be sent",
        };
        write!(f, "{what}: {}", self.source)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// The default transport: HTTP/1.1 over TCP or TLS (rustls, `ring` provider, Mozilla
/// roots from `webpki-roots`), with connection pooling. Plain `http://` is allowed for
/// endpoint overrides such as local test servers.
#[derive(Clone)]
pub struct HyperTransport {
    client: Client<HttpsConnector<HttpConnector>, RequestBody>,
}

impl HyperTransport {
    /// A transport whose connections time out after `connect_timeout`.
    pub fn new(connect_timeout: Duration) -> Result<Self, TransportError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(connect_timeout));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e))?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .build(https);
        Ok(Self { client })
    }

    async fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
    ) -> Result<http::Response<ByteStream>, TransportError> {
        let response = self
            .client
            .request(request.map(RequestBody::new))
            .await
            .map_err(classify_client_error)?;
        Ok(response.map(|body| ByteStream::from_stream(body.into_data_stream(), None)))
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HyperTransport")
    }
}

impl HttpTransport for HyperTransport {
    fn send(&self, request: http::Request<ByteStream>) -> TransportFuture<'_> {
        Box::pin(self.send_streaming(request))
    }
}

/// A [`ByteStream`] as hyper sends it: chunk by chunk, with its exact length when known.
pub struct RequestBody {
    stream: ByteStream,
    len: Option<u64>,
}

impl RequestBody {
    fn new(stream: ByteStream) -> Self {
        let len = stream.content_length();
        Self { stream, len }
    }
}

impl Body for RequestBody {
    type Data = Bytes;
    type Error = ByteStreamError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, ByteStreamError>>> {
        use futures_core::Stream;
        Pin::new(&mut self.stream)
            .poll_next(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(Frame::data)))
    }

    fn size_hint(&self) -> SizeHint {
        match self.len {
            Some(len) => SizeHint::with_exact(len),
            None => SizeHint::default(),
        }
    }
}

/// Sorts a hyper-util client error into a [`TransportErrorKind`].
fn classify_client_error(error: hyper_util::client::legacy::Error) -> TransportError {
    let kind = if error.is_connect() {
        if has_timed_out_io(&error) {
            TransportErrorKind::ConnectTimeout
        } else {
            TransportErrorKind::Connect
        }
    } else if find_hyper_error(&error).is_some_and(hyper::Error::is_user) {
        TransportErrorKind::Other
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, error)
}

fn sources<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(error), |e| e.source())
}

fn has_timed_out_io(error: &(dyn std::error::Error + 'static)) -> bool {
    sources(error).any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
    })
}

fn find_hyper_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a hyper::Error> {
    sources(error).find_map(|e| e.downcast_ref::<hyper::Error>())
}
