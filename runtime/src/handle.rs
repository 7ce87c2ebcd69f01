//! The entry point generated clients call: [`Handle::send`] joins a request with the
//! resolved endpoint (its host prefix in front of the endpoint's host), signs each
//! attempt afresh as the operation's auth scheme says, sends it with timeouts and
//! retries, and returns the final response.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{AUTHORIZATION, HeaderName, HeaderValue, USER_AGENT};
use http::{HeaderMap, Method, Uri};
use tracing::{Instrument, field};

use crate::body::ByteStream;
use crate::config::Config;
use crate::credentials::{ChainProvider, Credentials, CredentialsError, SharedCredentialsProvider};
use crate::endpoint::{BuiltIns, Endpoint, EndpointError, EndpointResolver};
use crate::env::Env;
use crate::error::{BoxError, SdkError, TimeoutKind, request_id};
use crate::operation::HostPrefix;
use crate::retry::{RetryKind, RetryQuota, classify_response};
use crate::signing::{
    AuthScheme, PathEncoding, SigningKeyCache, SigningParams, UNSIGNED_PAYLOAD,
    X_AMZ_CONTENT_SHA256, sign_request_cached,
};
use crate::transport::{HyperTransport, SharedTransport, TransportError, TransportErrorKind};

/// Credentials are refreshed this long before they expire.
const CREDENTIALS_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// The `user-agent` sent when the request has none.
const DEFAULT_USER_AGENT: &str = concat!("brisk-runtime/", env!("CARGO_PKG_VERSION"));

/// What the runtime needs to know about a service; generated crates provide it as a constant.
#[derive(Clone, Copy, Debug)]
pub struct ServiceMeta {
    /// The service id used in logs, e.g. `ivschat`.
    pub service_id: &'static str,
    /// The SigV4 signing name, e.g. `ivschat`.
    pub signing_name: &'static str,
    /// The model's `endpoint-rule-set-1.json`.
    pub endpoint_rules: &'static str,
    /// The `partitions.json` the rules' `aws.partition` reads.
    pub partitions: &'static str,
}

/// A client could not be set up from its configuration.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region is configured; signing needs one.
    MissingRegion,
    /// The endpoint rules rejected the configuration or are malformed.
    Endpoint(EndpointError),
    /// The endpoint URL is not an absolute `http(s)://host[/path]` URL without a query.
    InvalidEndpointUrl(String),
    /// The default transport could not be built.
    Transport(TransportError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingRegion => f.write_str(
                "no region configured (set AWS_REGION or call `region(..)` on the config builder)",
            ),
            Self::Endpoint(e) => write!(f, "cannot resolve the endpoint: {e}"),
            Self::InvalidEndpointUrl(url) => write!(f, "invalid endpoint URL `{url}`"),
            Self::Transport(e) => write!(f, "cannot build the HTTP transport: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Endpoint(e) => Some(e),
            Self::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// A cheap-to-clone handle shared by a generated client and all its calls.
#[derive(Clone, Debug)]
pub struct Handle {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    meta: ServiceMeta,
    config: Config,
    region: String,
    endpoint: Endpoint,
    base: BaseUrl,
    transport: SharedTransport,
    credentials: SharedCredentialsProvider,
    cached_credentials: Mutex<Option<Arc<Credentials>>>,
    signing_keys: SigningKeyCache,
    quota: RetryQuota,
    #[cfg(feature = "test-util")]
    mock: Option<Arc<crate::mock::Mock>>,
}

/// The endpoint URL split into the parts requests are joined with.
#[derive(Debug)]
struct BaseUrl {
    scheme: String,
    authority: String,
    /// The endpoint's path without a trailing `/` (empty for none).
    path: String,
}

/// The parts of a request, kept so that every attempt can be rebuilt and re-signed.
struct RequestTemplate {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: ByteStream,
    auth: AuthScheme,
}

/// How much of a 2xx response an attempt reads before it is returned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// The whole body, within the attempt timeout.
    Whole,
    /// The head only: the body goes to the caller unread. Error bodies are read whole.
    Head,
}

impl RequestTemplate {
    fn build(&self) -> Result<http::Request<ByteStream>, http::Error> {
        let mut request = http::Request::builder()
            .method(self.method.clone())
            .uri(self.uri.clone())
            .body(self.body.clone())?;
        *request.headers_mut() = self.headers.clone();
        Ok(request)
    }
}

/// The outcome of one attempt.
enum Attempt {
    /// A 2xx response, or a failure that must not be retried.
    Final(Result<http::Response<ByteStream>, AttemptError>),
    /// A failure another attempt may fix.
    Retryable(RetryKind, Result<http::Response<ByteStream>, AttemptError>),
}

/// Why an attempt produced no response.
enum AttemptError {
    Credentials(CredentialsError),
    Construction(crate::error::BoxError),
    Timeout(Duration),
    Dispatch(TransportError),
}

impl AttemptError {
    fn into_sdk<E>(self) -> SdkError<E> {
        match self {
            Self::Credentials(e) => SdkError::construction_failure(e),
            Self::Construction(e) => SdkError::construction_failure(e),
            Self::Timeout(limit) => SdkError::timeout_error(TimeoutKind::Attempt, limit),
            Self::Dispatch(e) => SdkError::dispatch_failure(e),
        }
    }
}

impl Handle {
    /// Resolves the endpoint once (explicit `endpoint_url`, else `AWS_ENDPOINT_URL_<SERVICE>`,
    /// `AWS_ENDPOINT_URL` or the profile's `endpoint_url` when the config was loaded from
    /// the environment, else the rule set) and sets up transport and retry state.
    ///
    /// Without a configured credentials provider, the default chain over the process
    /// environment and profile files is used.
    pub fn new(meta: ServiceMeta, config: Config) -> Result<Self, ConfigError> {
        let region = config.region.clone().ok_or(ConfigError::MissingRegion)?;
        let endpoint = resolve_endpoint(&meta, &config).map_err(ConfigError::Endpoint)?;
        let base = BaseUrl::parse(&endpoint.url)
            .ok_or_else(|| ConfigError::InvalidEndpointUrl(endpoint.url.clone()))?;
        let transport = match &config.transport {
            Some(t) => t.clone(),
            None => Arc::new(
                HyperTransport::new(config.timeouts.connect).map_err(ConfigError::Transport)?,
            ),
        };
        let credentials = config
            .credentials
            .clone()
            .unwrap_or_else(|| Arc::new(ChainProvider::default_chain(&Env::process())));
        Ok(Self {
            inner: Arc::new(Inner {
                meta,
                config,
                region,
                endpoint,
                base,
                transport,
                credentials,
                cached_credentials: Mutex::new(None),
                signing_keys: SigningKeyCache::default(),
                quota: RetryQuota::new(),
                #[cfg(feature = "test-util")]
                mock: None,
            }),
        })
    }

    /// A handle whose calls go to `mock`'s handlers, never to the network.
    #[cfg(feature = "test-util")]
    pub fn with_mock(meta: ServiceMeta, mock: Arc<crate::mock::Mock>) -> Self {
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url("http://mock.invalid")
            .credentials_provider(Credentials::new("mock", "mock", None))
            .build();
        let endpoint = Endpoint {
            url: "http://mock.invalid".to_owned(),
            headers: Default::default(),
            properties: serde_json::Value::Null,
        };
        Self {
            inner: Arc::new(Inner {
                meta,
                region: "us-east-1".to_owned(),
                base: BaseUrl {
                    scheme: "http".to_owned(),
                    authority: "mock.invalid".to_owned(),
                    path: String::new(),
                },
                endpoint,
                transport: Arc::new(crate::mock::NoNetwork),
                credentials: Arc::new(Credentials::new("mock", "mock", None)),
                config,
                cached_credentials: Mutex::new(None),
                signing_keys: SigningKeyCache::default(),
                quota: RetryQuota::new(),
                mock: Some(mock),
            }),
        }
    }

    /// The mock answering this handle's calls, if any.
    #[cfg(feature = "test-util")]
    pub(crate) fn mock(&self) -> Option<&crate::mock::Mock> {
        self.inner.mock.as_deref()
    }

    /// The configuration this handle was built from.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The endpoint resolved at construction.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The service description.
    pub fn meta(&self) -> &ServiceMeta {
        &self.inner.meta
    }

    /// Tokens left in the retry quota shared by this handle's calls.
    pub fn retry_quota_available(&self) -> u32 {
        self.inner.quota.available()
    }

    /// Sends `request` and returns the final response, 2xx or not.
    ///
    /// `request`'s URI is a path and query relative to the endpoint (e.g.
    /// `/tags/arn%3Aaws%3A...?tagKeys=a`), already percent-encoded; a [`HostPrefix`]
    /// extension goes in front of the endpoint's host unless the config disables host
    /// prefix injection. `auth` says how each attempt is signed; with
    /// [`AuthScheme::NoAuth`] the credentials provider is never called. Throttling and
    /// transient failures are retried (each attempt signed afresh) while attempts and
    /// retry quota last; the last response is returned even when it is an error, so the
    /// caller can parse it into its typed error with [`SdkError::service_error`].
    pub async fn send<E, B: Into<ByteStream>>(
        &self,
        operation: &'static str,
        auth: AuthScheme,
        request: http::Request<B>,
    ) -> Result<http::Response<Bytes>, SdkError<E>> {
        let response = self
            .dispatch(operation, auth, request.map(Into::into), Reading::Whole)
            .await?;
        Ok(response.map(|body| body.bytes().cloned().unwrap_or_default()))
    }

    /// [`send`](Self::send) for an operation whose output is a stream: a 2xx response
    /// comes back as soon as its head arrives, its body unread; the operation timeout
    /// covers the wait for the head. Other responses are read whole, as by `send`.
    pub async fn send_streaming<E>(
        &self,
        operation: &'static str,
        auth: AuthScheme,
        request: http::Request<ByteStream>,
    ) -> Result<http::Response<ByteStream>, SdkError<E>> {
        self.dispatch(operation, auth, request, Reading::Head).await
    }

    async fn dispatch<E>(
        &self,
        operation: &'static str,
        auth: AuthScheme,
        request: http::Request<ByteStream>,
        reading: Reading,
    ) -> Result<http::Response<ByteStream>, SdkError<E>> {
        let span = tracing::info_span!(
            "operation",
            service = self.inner.meta.service_id,
            operation,
            attempts = field::Empty,
            status = field::Empty,
            request_id = field::Empty,
        );
        let limit = self.inner.config.timeouts.operation;
        let result = tokio::time::timeout(limit, self.send_with_retries(auth, request, reading))
            .instrument(span.clone())
            .await;
        match result {
            Ok(Ok(response)) => {
                record_response(&span, &response);
                Ok(response)
            }
            Ok(Err(e)) => Err(e.into_sdk()),
            Err(_) => {
                tracing::debug!(parent: &span, ?limit, "operation timed out");
                Err(SdkError::timeout_error(TimeoutKind::Operation, limit))
            }
        }
    }

    async fn send_with_retries(
        &self,
        auth: AuthScheme,
        request: http::Request<ByteStream>,
        reading: Reading,
    ) -> Result<http::Response<ByteStream>, AttemptError> {
        let template = self.template(auth, request)?;
        if auth == AuthScheme::SigV4 {
            template
                .body
                .prepare_sha256()
                .await
                .map_err(|e| AttemptError::Construction(e.into()))?;
        }
        let retry = &self.inner.config.retry;
        let mut retry_cost: Option<u32> = None;
        let mut attempt = 1u32;
        loop {
            tracing::Span::current().record("attempts", attempt);
            let (kind, result) = match self.attempt(&template, attempt, reading).await {
                Attempt::Final(result) => {
                    if result.as_ref().is_ok_and(|r| r.status().is_success()) {
                        self.refund(retry_cost);
                    }
                    return result;
                }
                Attempt::Retryable(kind, result) => (kind, result),
            };
            if attempt >= retry.max_attempts {
                tracing::debug!(attempt, "attempts exhausted");
                return result;
            }
            if !template.body.is_replayable() {
                tracing::debug!("the request body was a stream, sent once; not retried");
                return result;
            }
            match self.acquire_retry(kind) {
                Some(cost) => retry_cost = Some(cost),
                None => {
                    tracing::debug!("retry quota exhausted");
                    return result;
                }
            }
            let delay = retry.backoff(attempt);
            tracing::debug!(?kind, ?delay, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    fn acquire_retry(&self, kind: RetryKind) -> Option<u32> {
        if self.inner.config.retry.quota_enabled {
            self.inner.quota.acquire(kind)
        } else {
            Some(0)
        }
    }

    fn refund(&self, retry_cost: Option<u32>) {
        if self.inner.config.retry.quota_enabled {
            self.inner
                .quota
                .release(retry_cost.unwrap_or(RetryQuota::NO_RETRY_INCREMENT));
        }
    }

    /// Joins the request with the endpoint (behind its host prefix, unless disabled) and
    /// adds the endpoint's, the auth scheme's and default headers.
    fn template(
        &self,
        auth: AuthScheme,
        request: http::Request<ByteStream>,
    ) -> Result<RequestTemplate, AttemptError> {
        let (parts, body) = request.into_parts();
        let host_prefix = parts
            .extensions
            .get::<HostPrefix>()
            .filter(|_| !self.inner.config.disable_host_prefix_injection)
            .map(|prefix| prefix.0.as_str());
        let uri = self
            .inner
            .base
            .join(&parts.uri, host_prefix)
            .map_err(AttemptError::Construction)?;
        let mut headers = parts.headers;
        // A stream is read once, as it is sent: its hash cannot be signed ahead.
        let unsigned_stream = auth == AuthScheme::SigV4 && !body.is_replayable();
        if auth == AuthScheme::SigV4UnsignedPayload || unsigned_stream {
            headers.insert(
                X_AMZ_CONTENT_SHA256,
                HeaderValue::from_static(UNSIGNED_PAYLOAD),
            );
        }
        for (name, values) in &self.inner.endpoint.headers {
            add_endpoint_header(&mut headers, name, values)
                .map_err(|e| AttemptError::Construction(e.into()))?;
        }
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, HeaderValue::from_static(DEFAULT_USER_AGENT));
        }
        Ok(RequestTemplate {
            method: parts.method,
            uri,
            headers,
            body,
            auth,
        })
    }

    /// One signed attempt under the per-attempt timeout, classified for retry.
    async fn attempt(&self, template: &RequestTemplate, attempt: u32, reading: Reading) -> Attempt {
        let span = tracing::debug_span!(
            "attempt",
            attempt,
            status = field::Empty,
            request_id = field::Empty
        );
        let outcome = self
            .signed_attempt(template, reading)
            .instrument(span.clone())
            .await;
        if let Attempt::Final(Ok(r)) | Attempt::Retryable(_, Ok(r)) = &outcome {
            record_response(&span, r);
        }
        outcome
    }

    async fn signed_attempt(&self, template: &RequestTemplate, reading: Reading) -> Attempt {
        let request = match self.signed_request(template).await {
            Ok(request) => request,
            Err(e) => return Attempt::Final(Err(e)),
        };
        let limit = self.inner.config.timeouts.attempt;
        tracing::debug!("sending request");
        let exchange = async {
            let response = self.inner.transport.send(request).await?;
            read_response(response, reading).await
        };
        match tokio::time::timeout(limit, exchange).await {
            Err(_) => Attempt::Retryable(RetryKind::Timeout, Err(AttemptError::Timeout(limit))),
            Ok(Err(e)) => classify_transport_error(e),
            Ok(Ok(response)) => classify(response),
        }
    }

    /// The attempt's request, signed unless the operation needs no auth.
    async fn signed_request(
        &self,
        template: &RequestTemplate,
    ) -> Result<http::Request<ByteStream>, AttemptError> {
        let mut request = template
            .build()
            .map_err(|e| AttemptError::Construction(e.into()))?;
        match template.auth {
            AuthScheme::NoAuth => return Ok(request),
            AuthScheme::Bearer => {
                let token = self.bearer_authorization()?;
                request.headers_mut().insert(AUTHORIZATION, token);
                return Ok(request);
            }
            AuthScheme::SigV4 | AuthScheme::SigV4UnsignedPayload => {}
        }
        let credentials = self
            .credentials()
            .await
            .map_err(AttemptError::Credentials)?;
        let params = SigningParams {
            credentials: &credentials,
            region: &self.inner.region,
            service: self.inner.meta.signing_name,
            time: self.inner.config.time_source.now(),
            path_encoding: PathEncoding::Double,
        };
        sign_request_cached(&mut request, &params, &self.inner.signing_keys)
            .map_err(|e| AttemptError::Construction(e.into()))?;
        Ok(request)
    }

    /// `Bearer <token>` for the service, marked sensitive so it never reaches logs.
    fn bearer_authorization(&self) -> Result<HeaderValue, AttemptError> {
        let signing_name = self.inner.meta.signing_name;
        let token = self
            .inner
            .config
            .bearer_token_for(signing_name)
            .ok_or_else(|| {
                AttemptError::Construction(
                    format!(
                        "the operation is authenticated by bearer token and none is configured: \
                     set `Config::builder().bearer_token(..)` or `AWS_BEARER_TOKEN_{}`",
                        crate::env::service_env_name(signing_name)
                    )
                    .into(),
                )
            })?;
        let mut value = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
            AttemptError::Construction("the bearer token is not header text".into())
        })?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// Cached credentials while fresh, else a new fetch from the provider.
    async fn credentials(&self) -> Result<Arc<Credentials>, CredentialsError> {
        if let Some(creds) = self.fresh_cached_credentials() {
            return Ok(creds);
        }
        let creds = Arc::new(self.inner.credentials.provide_credentials().await?);
        *self
            .inner
            .cached_credentials
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(Arc::clone(&creds));
        Ok(creds)
    }

    fn fresh_cached_credentials(&self) -> Option<Arc<Credentials>> {
        let cached = self
            .inner
            .cached_credentials
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()?;
        let fresh = cached
            .expiry()
            .is_none_or(|expiry| SystemTime::now() + CREDENTIALS_REFRESH_MARGIN < expiry);
        fresh.then_some(cached)
    }
}

fn resolve_endpoint(meta: &ServiceMeta, config: &Config) -> Result<Endpoint, EndpointError> {
    let endpoint = config.endpoint_url.clone().or_else(|| {
        config
            .configured_endpoints
            .as_ref()?
            .endpoint_for(&crate::env::service_env_name(meta.service_id))
    });
    // A model without endpoint rules can only be reached at an explicit endpoint.
    if meta.endpoint_rules.is_empty()
        && let Some(url) = endpoint.clone()
    {
        return Ok(Endpoint {
            url,
            headers: Default::default(),
            properties: serde_json::Value::Null,
        });
    }
    let resolver = EndpointResolver::new(meta.endpoint_rules, meta.partitions)?;
    resolver.resolve_built_ins(&BuiltIns {
        region: config.region.clone(),
        use_fips: config.use_fips,
        use_dual_stack: config.use_dual_stack,
        endpoint,
    })
}

fn add_endpoint_header(
    headers: &mut HeaderMap,
    name: &str,
    values: &[String],
) -> Result<(), http::Error> {
    let name = HeaderName::try_from(name)?;
    if headers.contains_key(&name) {
        return Ok(());
    }
    for value in values {
        headers.append(name.clone(), HeaderValue::try_from(value.as_str())?);
    }
    Ok(())
}

fn classify_transport_error(error: TransportError) -> Attempt {
    tracing::debug!(error = %error, "transport error");
    let kind = match error.kind() {
        TransportErrorKind::ConnectTimeout => Some(RetryKind::Timeout),
        TransportErrorKind::Connect | TransportErrorKind::Io => Some(RetryKind::Transient),
        _ => None,
    };
    let result = Err(AttemptError::Dispatch(error));
    match kind {
        Some(kind) => Attempt::Retryable(kind, result),
        None => Attempt::Final(result),
    }
}

/// The response with its body read whole, unless it is a 2xx response whose body the
/// caller reads as a stream.
async fn read_response(
    response: http::Response<ByteStream>,
    reading: Reading,
) -> Result<http::Response<ByteStream>, TransportError> {
    if reading == Reading::Head && response.status().is_success() {
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|e| TransportError::new(TransportErrorKind::Io, e))?;
    Ok(http::Response::from_parts(parts, ByteStream::from(body)))
}

/// Decides from status and rest-json error code whether a response is worth retrying.
/// A response that is not 2xx has been read whole.
fn classify(response: http::Response<ByteStream>) -> Attempt {
    if response.status().is_success() {
        return Attempt::Final(Ok(response));
    }
    let body = response.body().bytes().map_or(&[][..], |b| &b[..]);
    let meta = crate::rest_json::error_metadata_parts(response.status(), response.headers(), body);
    match classify_response(response.status(), meta.code()) {
        Some(kind) => Attempt::Retryable(kind, Ok(response)),
        None => Attempt::Final(Ok(response)),
    }
}

fn record_response<B>(span: &tracing::Span, response: &http::Response<B>) {
    span.record("status", response.status().as_u16());
    if let Some(id) = request_id(response.headers()) {
        span.record("request_id", id);
    }
}

impl BaseUrl {
    /// Splits an absolute `http(s)` URL without a query.
    fn parse(url: &str) -> Option<Self> {
        let uri: Uri = url.parse().ok()?;
        let scheme = uri
            .scheme_str()
            .filter(|s| matches!(*s, "http" | "https"))?;
        if uri.query().is_some() {
            return None;
        }
        Some(Self {
            scheme: scheme.to_owned(),
            authority: uri.authority()?.to_string(),
            path: uri.path().trim_end_matches('/').to_owned(),
        })
    }

    /// `host_prefix + authority`, `base path + request path (+ ?query)`, without a
    /// doubled `/`. The prefix goes in front of the host, after any user information,
    /// as botocore puts it in front of the endpoint's network location.
    fn join(&self, relative: &Uri, host_prefix: Option<&str>) -> Result<Uri, BoxError> {
        let path_and_query = relative.path_and_query().map_or("/", |pq| pq.as_str());
        let separator = if path_and_query.starts_with('/') {
            ""
        } else {
            "/"
        };
        let authority = match host_prefix {
            Some(prefix) => self.prefixed_authority(prefix)?,
            None => self.authority.clone(),
        };
        let uri = format!(
            "{}://{authority}{}{separator}{path_and_query}",
            self.scheme, self.path
        );
        Ok(Uri::try_from(uri)?)
    }

    /// The authority with `prefix` in front of its host. An IP address takes no prefix:
    /// `data.127.0.0.1` names no host.
    fn prefixed_authority(&self, prefix: &str) -> Result<String, BoxError> {
        let authority: http::uri::Authority = self.authority.parse()?;
        let host = authority.host();
        if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
            return Err(format!(
                "the operation's host prefix `{prefix}` cannot go in front of the endpoint's \
                 IP address `{host}`; use a host name, or disable host prefix injection"
            )
            .into());
        }
        Ok(match self.authority.rsplit_once('@') {
            Some((user_info, host_and_port)) => format!("{user_info}@{prefix}{host_and_port}"),
            None => format!("{prefix}{}", self.authority),
        })
    }
}

/// The absolute URI `request` goes to when sent to `endpoint_url`, exactly as
/// [`Handle::send`] addresses it with host prefix injection on: the endpoint's scheme,
/// its host behind the request's [`HostPrefix`], and its path joined with the request's
/// path and query.
pub fn request_uri<B>(endpoint_url: &str, request: &http::Request<B>) -> Result<Uri, BoxError> {
    let base = BaseUrl::parse(endpoint_url)
        .ok_or_else(|| ConfigError::InvalidEndpointUrl(endpoint_url.to_owned()))?;
    let host_prefix = request.extensions().get::<HostPrefix>();
    base.join(request.uri(), host_prefix.map(|prefix| prefix.0.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_never_doubles_slashes() {
        let cases = [
            ("https://h", "/CreateRoom", "https://h/CreateRoom"),
            ("https://h/", "/CreateRoom", "https://h/CreateRoom"),
            ("https://h/base", "/x?a=b", "https://h/base/x?a=b"),
            ("https://h/base/", "/x", "https://h/base/x"),
            (
                "http://127.0.0.1:8080/a/b",
                "/tags/arn%3Aaws",
                "http://127.0.0.1:8080/a/b/tags/arn%3Aaws",
            ),
        ];
        for (base, rel, want) in cases {
            let base = BaseUrl::parse(base).unwrap();
            let joined = base.join(&rel.parse().unwrap(), None).unwrap();
            assert_eq!(joined.to_string(), want);
        }
        assert!(BaseUrl::parse("ftp://h").is_none());
        assert!(BaseUrl::parse("https://h/?q").is_none());
        assert!(BaseUrl::parse("not a url").is_none());
    }

    #[test]
    fn host_prefixes_go_in_front_of_the_host() {
        let cases = [
            ("https://example.com", "foo.", "https://foo.example.com/x"),
            (
                "http://localhost:8080/base",
                "data.",
                "http://data.localhost:8080/base/x",
            ),
            (
                "https://user@example.com",
                "api.",
                "https://user@api.example.com/x",
            ),
        ];
        for (base, prefix, want) in cases {
            let base = BaseUrl::parse(base).unwrap();
            let joined = base.join(&"/x".parse().unwrap(), Some(prefix)).unwrap();
            assert_eq!(joined.to_string(), want);
        }
        for (base, host) in [
            ("http://[::1]:8080", "[::1]"),
            ("http://127.0.0.1:8080", "127.0.0.1"),
        ] {
            let base = BaseUrl::parse(base).unwrap();
            let error = base
                .join(&"/x".parse().unwrap(), Some("data."))
                .unwrap_err();
            assert!(
                error.to_string().starts_with(&format!(
                    "the operation's host prefix `data.` cannot go in front of the endpoint's IP address `{host}`"
                )),
                "{error}"
            );
        }
    }

    #[test]
    fn request_uri_applies_the_request_host_prefix() {
        let mut request = http::Request::new(Bytes::new());
        *request.uri_mut() = "/EndpointOperation?a=b".parse().unwrap();
        request
            .extensions_mut()
            .insert(HostPrefix("foo.bar.".to_owned()));
        let uri = request_uri("https://example.com/base/", &request).unwrap();
        assert_eq!(
            uri.to_string(),
            "https://foo.bar.example.com/base/EndpointOperation?a=b"
        );
        assert!(request_uri("ftp://example.com", &request).is_err());
    }
}
