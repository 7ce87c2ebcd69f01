//! The one error type every generated operation returns, and the error metadata
//! (code, message, request id, status) read from a failed response.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::transport::TransportError;

/// A boxed error that can cross threads.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The header AWS services use to return the request id.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-amzn-requestid", "x-amz-request-id"];

/// A response as received, kept on errors so callers can inspect what the service said.
///
/// Boxed inside, so that errors stay small on the happy path's `Result`.
#[derive(Clone)]
pub struct RawResponse {
    inner: Box<RawParts>,
}

#[derive(Clone)]
struct RawParts {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    /// Takes ownership of a fully read response.
    pub fn new(response: http::Response<Bytes>) -> Self {
        let (parts, body) = response.into_parts();
        Self {
            inner: Box::new(RawParts {
                status: parts.status,
                headers: parts.headers,
                body,
            }),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// The response body bytes.
    pub fn body(&self) -> &Bytes {
        &self.inner.body
    }

    /// The request id (`x-amzn-RequestId`, else `x-amz-request-id`), if any.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.inner.headers)
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.inner.status)
            .field("headers", &self.inner.headers)
            .field("body", &String::from_utf8_lossy(&self.inner.body))
            .finish()
    }
}

impl From<http::Response<Bytes>> for RawResponse {
    fn from(response: http::Response<Bytes>) -> Self {
        Self::new(response)
    }
}

/// Reads the request id from response headers.
pub fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
}

/// What a failed response says about itself: error code, message, request id, status.
///
/// Generated clients use it as the payload of their "unmodeled" error variant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    /// The error code, e.g. `ResourceNotFoundException`, namespace stripped.
    pub code: Option<String>,
    /// The human-readable message, if the service sent one.
    pub message: Option<String>,
    /// The request id, if the service sent one.
    pub request_id: Option<String>,
    /// The HTTP status code.
    pub status: Option<u16>,
}

impl ErrorMetadata {
    /// The error code, if any.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The message, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_deref().unwrap_or("unknown error"))?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        write_context(f, self.status, self.request_id.as_deref())
    }
}

impl StdError for ErrorMetadata {}

/// Writes ` (HTTP 404, request id abc)` with whichever parts are known.
fn write_context(
    f: &mut fmt::Formatter<'_>,
    status: Option<u16>,
    request_id: Option<&str>,
) -> fmt::Result {
    match (status, request_id) {
        (Some(status), Some(id)) => write!(f, " (HTTP {status}, request id {id})"),
        (Some(status), None) => write!(f, " (HTTP {status})"),
        (None, Some(id)) => write!(f, " (request id {id})"),
        (None, None) => Ok(()),
    }
}

/// Which time budget ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// A single attempt (sending the request and reading the whole response).
    Attempt,
    /// The whole operation, all attempts and backoff included.
    Operation,
}

/// An attempt or the whole operation took longer than its configured timeout.
#[derive(Debug)]
pub struct TimeoutError {
    kind: TimeoutKind,
    limit: Duration,
}

impl TimeoutError {
    /// A timeout of `kind` after `limit`.
    pub fn new(kind: TimeoutKind, limit: Duration) -> Self {
        Self { kind, limit }
    }

    /// Which timeout fired.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured limit that was exceeded.
    pub fn limit(&self) -> Duration {
        self.limit
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Attempt => "attempt",
            TimeoutKind::Operation => "operation",
        };
        write!(f, "{what} timed out after {:?}", self.limit)
    }
}

impl StdError for TimeoutError {}

/// The service answered with an error that the operation's error type describes.
#[derive(Debug)]
pub struct ServiceError<E> {
    source: E,
    meta: ErrorMetadata,
    raw: RawResponse,
}

impl<E> ServiceError<E> {
    /// The typed error.
    pub fn err(&self) -> &E {
        &self.source
    }

    /// Consumes self, returning the typed error.
    pub fn into_err(self) -> E {
        self.source
    }

    /// Code, message, request id and status read from the response.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The raw response.
    pub fn raw(&self) -> &RawResponse {
        &self.raw
    }
}

/// A response that could not be parsed (for example a malformed 2xx body).
#[derive(Debug)]
pub struct ResponseError {
    source: BoxError,
    raw: RawResponse,
}

impl ResponseError {
    /// The raw response.
    pub fn raw(&self) -> &RawResponse {
        &self.raw
    }
}

/// The error returned by every operation of a generated client.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built (invalid input, missing region or credentials, bad endpoint).
    ConstructionFailure(BoxError),
    /// An attempt or the whole operation ran out of time.
    TimeoutError(TimeoutError),
    /// The request could not be sent or the response not received (I/O, TLS, connect).
    DispatchFailure(TransportError),
    /// A response arrived but could not be understood.
    ResponseError(ResponseError),
    /// The service returned an error.
    ServiceError(ServiceError<E>),
}

impl<E> SdkError<E> {
    /// The request could not be built.
    pub fn construction_failure(source: impl Into<BoxError>) -> Self {
        Self::ConstructionFailure(source.into())
    }

    /// A timeout of `kind` after `limit`.
    pub fn timeout_error(kind: TimeoutKind, limit: Duration) -> Self {
        Self::TimeoutError(TimeoutError::new(kind, limit))
    }

    /// Sending failed at the transport level.
    pub fn dispatch_failure(source: TransportError) -> Self {
        Self::DispatchFailure(source)
    }

    /// The response could not be parsed; keeps the raw response.
    pub fn response_error(source: impl Into<BoxError>, raw: impl Into<RawResponse>) -> Self {
        Self::ResponseError(ResponseError {
            source: source.into(),
            raw: raw.into(),
        })
    }

    /// The service returned `err`; code and message are read from `raw` with the
    /// rest-json rules of [`crate::rest_json::error_metadata`].
    pub fn service_error(err: E, raw: impl Into<RawResponse>) -> Self {
        let raw = raw.into();
        let meta = crate::rest_json::error_metadata_parts(raw.status(), raw.headers(), raw.body());
        Self::ServiceError(ServiceError {
            source: err,
            meta,
            raw,
        })
    }

    /// The typed service error, if this is one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Self::ServiceError(e) => Some(&e.source),
            _ => None,
        }
    }

    /// Consumes self, returning the typed service error if this is one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            Self::ServiceError(e) => Some(e.source),
            _ => None,
        }
    }

    /// The raw response, for service and response errors.
    pub fn raw_response(&self) -> Option<&RawResponse> {
        match self {
            Self::ServiceError(e) => Some(&e.raw),
            Self::ResponseError(e) => Some(&e.raw),
            _ => None,
        }
    }

    /// The request id, when a response was received and carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.raw_response()?.request_id()
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        self.raw_response().map(RawResponse::status)
    }

    /// Converts the service error type, keeping every other variant as is.
    pub fn map_service_error<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            Self::ConstructionFailure(e) => SdkError::ConstructionFailure(e),
            Self::TimeoutError(e) => SdkError::TimeoutError(e),
            Self::DispatchFailure(e) => SdkError::DispatchFailure(e),
            Self::ResponseError(e) => SdkError::ResponseError(e),
            Self::ServiceError(e) => SdkError::ServiceError(ServiceError {
                source: f(e.source),
                meta: e.meta,
                raw: e.raw,
            }),
        }
    }
}

impl<E> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConstructionFailure(e) => write!(f, "failed to construct request: {e}"),
            Self::TimeoutError(e) => e.fmt(f),
            Self::DispatchFailure(e) => write!(f, "failed to send request: {e}"),
            Self::ResponseError(e) => {
                write!(f, "unparseable response: {}", e.source)?;
                let raw = &e.raw;
                write_context(f, Some(raw.status().as_u16()), raw.request_id())
            }
            Self::ServiceError(e) => write!(f, "service error: {}", e.meta),
        }
    }
}

impl<E> StdError for SdkError<E>
where
    E: StdError + 'static,
{
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::ConstructionFailure(e) => Some(e.as_ref()),
            Self::TimeoutError(e) => Some(e),
            Self::DispatchFailure(e) => Some(e),
            Self::ResponseError(e) => Some(e.source.as_ref()),
            Self::ServiceError(e) => Some(&e.source),
        }
    }
}
