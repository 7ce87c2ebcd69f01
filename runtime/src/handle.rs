//! The entry point generated clients call: [`Handle::send`] joins a request with the
//! resolved endpoint, signs each attempt afresh, sends it with timeouts and retries, and
//! returns the final response.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, USER_AGENT};
use http::{HeaderMap, Method, Uri};
use tracing::{Instrument, field};

use crate::config::Config;
use crate::credentials::{ChainProvider, Credentials, CredentialsError, SharedCredentialsProvider};
use crate::endpoint::{BuiltIns, Endpoint, EndpointError, EndpointResolver};
use crate::env::Env;
use crate::error::{SdkError, TimeoutKind, request_id};
use crate::retry::{RetryKind, RetryQuota, classify_response};
use crate::signing::{PathEncoding, SigningKeyCache, SigningParams, sign_request_cached};
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
    body: Bytes,
}

impl RequestTemplate {
    fn build(&self) -> Result<http::Request<Bytes>, http::Error> {
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
    Final(Result<http::Response<Bytes>, AttemptError>),
    /// A failure another attempt may fix.
    Retryable(RetryKind, Result<http::Response<Bytes>, AttemptError>),
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
    /// `/tags/arn%3Aaws%3A...?tagKeys=a`), already percent-encoded. Throttling and
    /// transient failures are retried (each attempt signed afresh) while attempts and
    /// retry quota last; the last response is returned even when it is an error, so the
    /// caller can parse it into its typed error with [`SdkError::service_error`].
    pub async fn send<E>(
        &self,
        operation: &'static str,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, SdkError<E>> {
        let span = tracing::info_span!(
            "operation",
            service = self.inner.meta.service_id,
            operation,
            attempts = field::Empty,
            status = field::Empty,
            request_id = field::Empty,
        );
        let limit = self.inner.config.timeouts.operation;
        let result = tokio::time::timeout(limit, self.send_with_retries(request))
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
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, AttemptError> {
        let template = self.template(request)?;
        let retry = &self.inner.config.retry;
        let mut retry_cost: Option<u32> = None;
        let mut attempt = 1u32;
        loop {
            tracing::Span::current().record("attempts", attempt);
            let (kind, result) = match self.attempt(&template, attempt).await {
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

    /// Joins the request with the endpoint and adds the endpoint's and default headers.
    fn template(&self, request: http::Request<Bytes>) -> Result<RequestTemplate, AttemptError> {
        let (parts, body) = request.into_parts();
        let uri = self
            .inner
            .base
            .join(&parts.uri)
            .map_err(|e| AttemptError::Construction(e.into()))?;
        let mut headers = parts.headers;
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
        })
    }

    /// One signed attempt under the per-attempt timeout, classified for retry.
    async fn attempt(&self, template: &RequestTemplate, attempt: u32) -> Attempt {
        let span = tracing::debug_span!(
            "attempt",
            attempt,
            status = field::Empty,
            request_id = field::Empty
        );
        let outcome = self.signed_attempt(template).instrument(span.clone()).await;
        if let Attempt::Final(Ok(r)) | Attempt::Retryable(_, Ok(r)) = &outcome {
            record_response(&span, r);
        }
        outcome
    }

    async fn signed_attempt(&self, template: &RequestTemplate) -> Attempt {
        let request = match self.signed_request(template).await {
            Ok(request) => request,
            Err(e) => return Attempt::Final(Err(e)),
        };
        let limit = self.inner.config.timeouts.attempt;
        tracing::debug!("sending request");
        match tokio::time::timeout(limit, self.inner.transport.send(request)).await {
            Err(_) => Attempt::Retryable(RetryKind::Timeout, Err(AttemptError::Timeout(limit))),
            Ok(Err(e)) => classify_transport_error(e),
            Ok(Ok(response)) => classify(response),
        }
    }

    async fn signed_request(
        &self,
        template: &RequestTemplate,
    ) -> Result<http::Request<Bytes>, AttemptError> {
        let credentials = self
            .credentials()
            .await
            .map_err(AttemptError::Credentials)?;
        let mut request = template
            .build()
            .map_err(|e| AttemptError::Construction(e.into()))?;
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

/// Decides from status and rest-json error code whether a response is worth retrying.
fn classify(response: http::Response<Bytes>) -> Attempt {
    if response.status().is_success() {
        return Attempt::Final(Ok(response));
    }
    let meta = crate::rest_json::error_metadata(&response);
    match classify_response(response.status(), meta.code()) {
        Some(kind) => Attempt::Retryable(kind, Ok(response)),
        None => Attempt::Final(Ok(response)),
    }
}

fn record_response(span: &tracing::Span, response: &http::Response<Bytes>) {
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

    /// `base path + request path (+ ?query)`, without a doubled `/`.
    fn join(&self, relative: &Uri) -> Result<Uri, http::Error> {
        let path_and_query = relative.path_and_query().map_or("/", |pq| pq.as_str());
        let separator = if path_and_query.starts_with('/') {
            ""
        } else {
            "/"
        };
        let uri = format!(
            "{}://{}{}{}{}",
            self.scheme, self.authority, self.path, separator, path_and_query
        );
        Ok(Uri::try_from(uri)?)
    }
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
            let joined = base.join(&rel.parse().unwrap()).unwrap();
            assert_eq!(joined.to_string(), want);
        }
        assert!(BaseUrl::parse("ftp://h").is_none());
        assert!(BaseUrl::parse("https://h/?q").is_none());
        assert!(BaseUrl::parse("not a url").is_none());
    }
}
