//! SigV4 request signing (header form), written over `ring`'s SHA-256 and HMAC.
//!
//! The settings match botocore's signer for non-S3 services, so a request signs to the
//! same `Authorization` header botocore produces for the same bytes:
//! - the wire path (already percent-encoded) is encoded once more for the canonical URI
//!   (`%3A` becomes `%253A`), and dot segments are normalized;
//! - no `x-amz-content-sha256` header of its own; a request that carries one is signed
//!   with its value as the payload hash (how [`AuthScheme::SigV4UnsignedPayload`] sends
//!   `UNSIGNED-PAYLOAD`);
//! - the session token is signed (`x-amz-security-token`);
//! - headers a proxy or the transport may add or change (`content-length`, `user-agent`,
//!   `amz-sdk-*`, `expect`, `transfer-encoding`, `x-amzn-trace-id`) are not signed.
//!
//! The derived signing key depends only on the secret, the day, the region and the
//! service, so [`SigningKeyCache`] keeps the last one and a client derives it once a day
//! instead of once per request.

use std::fmt;
use std::sync::Mutex;
use std::time::SystemTime;

use bytes::Bytes;
use http::header::{AUTHORIZATION, HOST, HeaderName};
use http::{HeaderValue, Uri};
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use ring::{digest, hmac};

use crate::credentials::Credentials;
use crate::error::BoxError;

/// Headers a request may carry that are never part of the signature.
const UNSIGNED_HEADERS: [&str; 9] = [
    "authorization",
    "content-length",
    "user-agent",
    "x-amz-user-agent",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "expect",
    "transfer-encoding",
    "x-amzn-trace-id",
];

const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
/// The payload hash a request declares; when present it is signed in place of the body's hash.
pub const X_AMZ_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");
/// The payload hash of a request whose body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// What SigV4 percent-encodes in query names and values: everything but RFC 3986's
/// unreserved characters (as the AWS SDKs and botocore do).
const QUERY_SET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'/')
    .add(b':')
    .add(b',')
    .add(b'?')
    .add(b'#')
    .add(b'[')
    .add(b']')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'@')
    .add(b'!')
    .add(b'$')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*')
    .add(b'+')
    .add(b';')
    .add(b'=')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'"')
    .add(b'^')
    .add(b'`')
    .add(b'\\');
/// The same for a path, whose `/` separators stay.
const PATH_SET: &AsciiSet = &QUERY_SET.remove(b'/');

/// How an operation's requests are authenticated, as its model says (`auth`, `authtype`,
/// or the service's default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthScheme {
    /// SigV4 over the headers and the SHA-256 of the body.
    #[default]
    SigV4,
    /// SigV4 with `UNSIGNED-PAYLOAD` in place of the body's hash, declared in
    /// `x-amz-content-sha256` (`authtype: v4-unsigned-body`, `unsignedPayload`).
    SigV4UnsignedPayload,
    /// Not signed, and no credentials needed (`smithy.api#noAuth`, `authtype: none`).
    NoAuth,
    /// `Authorization: Bearer <token>` with the configured bearer token
    /// (`smithy.api#httpBearerAuth`); no SigV4 credentials needed.
    Bearer,
}

/// How the canonical URI is derived from the request path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PathEncoding {
    /// Encode the (already encoded) wire path once more: botocore's non-S3 behaviour.
    #[default]
    Double,
    /// Use the wire path as it is.
    Single,
}

/// What a signature is made with.
#[derive(Clone, Copy, Debug)]
pub struct SigningParams<'a> {
    /// The credentials to sign with.
    pub credentials: &'a Credentials,
    /// The signing region, e.g. `us-east-1`.
    pub region: &'a str,
    /// The signing name of the service, e.g. `ivschat`.
    pub service: &'a str,
    /// The signing time (`x-amz-date`).
    pub time: SystemTime,
    /// How the canonical URI is derived.
    pub path_encoding: PathEncoding,
}

/// A request could not be signed.
#[derive(Debug)]
pub struct SigningError {
    message: &'static str,
    source: Option<BoxError>,
}

impl SigningError {
    fn new(message: &'static str) -> Self {
        Self {
            message,
            source: None,
        }
    }

    fn with_source(message: &'static str, source: impl Into<BoxError>) -> Self {
        Self {
            message,
            source: Some(source.into()),
        }
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for SigningError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

/// The last signing key derived, reused while secret, day, region and service match.
#[derive(Default)]
pub struct SigningKeyCache {
    last: Mutex<Option<CachedKey>>,
}

struct CachedKey {
    secret: String,
    scope: String,
    key: hmac::Key,
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKeyCache")
    }
}

impl SigningKeyCache {
    /// The key for `scope`, derived only when the cached one is for another scope or secret.
    fn key(&self, secret: &str, scope: &Scope<'_>) -> hmac::Key {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(cached) = last.as_ref()
            && cached.secret == secret
            && cached.scope == scope.text
        {
            return cached.key.clone();
        }
        let key = scope.derive_key(secret);
        *last = Some(CachedKey {
            secret: secret.to_owned(),
            scope: scope.text.clone(),
            key: key.clone(),
        });
        key
    }
}

/// A request body the signer can hash without reading anything.
pub trait SignableBody {
    /// The hex SHA-256 of the whole body, when it is at hand.
    fn sha256_hex(&self) -> Option<String>;
}

impl SignableBody for Bytes {
    fn sha256_hex(&self) -> Option<String> {
        Some(hex(digest::digest(&digest::SHA256, self).as_ref()))
    }
}

impl SignableBody for crate::body::ByteStream {
    fn sha256_hex(&self) -> Option<String> {
        self.known_sha256_hex()
    }
}

/// Signs `request` in place: sets `x-amz-date`, `authorization` and, for temporary
/// credentials, `x-amz-security-token`. The URI must be absolute (it gives the host).
/// A body whose hash is not at hand (a stream) must come with `x-amz-content-sha256`.
pub fn sign_request<B: SignableBody>(
    request: &mut http::Request<B>,
    params: &SigningParams<'_>,
) -> Result<(), SigningError> {
    sign(request, params, None)
}

/// [`sign_request`], reusing the signing key kept in `cache` when it still applies.
pub fn sign_request_cached<B: SignableBody>(
    request: &mut http::Request<B>,
    params: &SigningParams<'_>,
    cache: &SigningKeyCache,
) -> Result<(), SigningError> {
    sign(request, params, Some(cache))
}

fn sign<B: SignableBody>(
    request: &mut http::Request<B>,
    params: &SigningParams<'_>,
    cache: Option<&SigningKeyCache>,
) -> Result<(), SigningError> {
    let host = host_of(request)?;
    let date_time = AmzDate::new(params.time);
    set_signer_headers(request, &date_time, params.credentials)?;
    let (canonical, signed_headers) = canonical_request(request, &host, params.path_encoding)?;
    let scope = Scope::new(&date_time, params.region, params.service);
    // Names only: header values (the session token among them) never reach the logs.
    tracing::trace!(scope = %scope.text, %signed_headers, "signing request");
    let secret = params.credentials.secret_access_key();
    let key = match cache {
        Some(cache) => cache.key(secret, &scope),
        None => scope.derive_key(secret),
    };
    let string_to_sign = format!(
        "{ALGORITHM}\n{}\n{}\n{}",
        date_time.full,
        scope.text,
        hex(digest::digest(&digest::SHA256, canonical.as_bytes()).as_ref())
    );
    let signature = hex(hmac::sign(&key, string_to_sign.as_bytes()).as_ref());
    let authorization = format!(
        "{ALGORITHM} Credential={}/{}, SignedHeaders={signed_headers}, Signature={signature}",
        params.credentials.access_key_id(),
        scope.text,
    );
    let mut value = HeaderValue::try_from(authorization)
        .map_err(|e| SigningError::with_source("signature header is not a valid value", e))?;
    value.set_sensitive(true);
    request.headers_mut().insert(AUTHORIZATION, value);
    Ok(())
}

/// The `host` the signature covers: a `Host` header, else the URI's authority
/// without a scheme's default port.
fn host_of<B>(request: &http::Request<B>) -> Result<String, SigningError> {
    if let Some(host) = request.headers().get(HOST) {
        let host = host
            .to_str()
            .map_err(|e| SigningError::with_source("header value is not visible ASCII", e))?;
        return Ok(host.to_owned());
    }
    let uri = request.uri();
    let host = uri
        .host()
        .ok_or_else(|| SigningError::new("request URI has no host"))?;
    let authority = uri.authority().map_or(host, |a| a.as_str());
    Ok(if has_default_port(uri) {
        host
    } else {
        authority
    }
    .to_owned())
}

fn has_default_port(uri: &Uri) -> bool {
    matches!(
        (uri.scheme_str(), uri.port_u16()),
        (Some("http"), Some(80)) | (Some("https"), Some(443))
    )
}

/// Replaces any earlier attempt's `x-amz-date`, token and `authorization`.
fn set_signer_headers<B>(
    request: &mut http::Request<B>,
    date_time: &AmzDate,
    credentials: &Credentials,
) -> Result<(), SigningError> {
    let headers = request.headers_mut();
    headers.remove(AUTHORIZATION);
    headers.remove(&X_AMZ_SECURITY_TOKEN);
    let date = HeaderValue::try_from(date_time.full.as_str())
        .map_err(|e| SigningError::with_source("signature header is not a valid value", e))?;
    headers.insert(X_AMZ_DATE, date);
    if let Some(token) = credentials.session_token() {
        let mut token = HeaderValue::try_from(token)
            .map_err(|e| SigningError::with_source("signature header is not a valid value", e))?;
        token.set_sensitive(true);
        headers.insert(X_AMZ_SECURITY_TOKEN, token);
    }
    Ok(())
}

/// The canonical request and its signed-headers list.
fn canonical_request<B: SignableBody>(
    request: &http::Request<B>,
    host: &str,
    path_encoding: PathEncoding,
) -> Result<(String, String), SigningError> {
    let headers = canonical_headers(request, host)?;
    let signed_headers = headers
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(";");
    let mut text = String::with_capacity(512);
    text.push_str(request.method().as_str());
    text.push('\n');
    text.push_str(&canonical_path(request.uri().path(), path_encoding));
    text.push('\n');
    text.push_str(&canonical_query(request.uri().query().unwrap_or("")));
    text.push('\n');
    for (name, value) in &headers {
        text.push_str(name);
        text.push(':');
        text.push_str(value);
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&signed_headers);
    text.push('\n');
    text.push_str(&payload_hash(request)?);
    Ok((text, signed_headers))
}

/// The `x-amz-content-sha256` the request declares (as botocore signs it), else the
/// SHA-256 of the body.
fn payload_hash<B: SignableBody>(request: &http::Request<B>) -> Result<String, SigningError> {
    match request.headers().get(&X_AMZ_CONTENT_SHA256) {
        Some(declared) => declared
            .to_str()
            .map(str::to_owned)
            .map_err(|e| SigningError::with_source("header value is not visible ASCII", e)),
        None => request.body().sha256_hex().ok_or_else(|| {
            SigningError::new("the body's hash is not at hand and no x-amz-content-sha256 is set")
        }),
    }
}

/// Signed header names (lower-case, sorted) with their values: trimmed, inner runs of
/// spaces collapsed, repeated headers joined by `,`.
fn canonical_headers<'a, B>(
    request: &'a http::Request<B>,
    host: &'a str,
) -> Result<Vec<(&'a str, String)>, SigningError> {
    let mut headers = Vec::with_capacity(request.headers().keys_len() + 1);
    if !request.headers().contains_key(HOST) {
        headers.push((HOST.as_str(), host.to_owned()));
    }
    for name in request.headers().keys() {
        if UNSIGNED_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let mut joined = String::new();
        for value in request.headers().get_all(name) {
            let value = value
                .to_str()
                .map_err(|e| SigningError::with_source("header value is not visible ASCII", e))?;
            if !joined.is_empty() {
                joined.push(',');
            }
            push_trimmed(&mut joined, value);
        }
        headers.push((name.as_str(), joined));
    }
    headers.sort_unstable_by(|a, b| a.0.cmp(b.0));
    Ok(headers)
}

/// Appends `value` without leading or trailing spaces and with runs of spaces as one.
fn push_trimmed(out: &mut String, value: &str) {
    let mut previous_space = false;
    for c in value.trim_matches(' ').chars() {
        if c == ' ' && previous_space {
            continue;
        }
        previous_space = c == ' ';
        out.push(c);
    }
}

/// The path with dot segments and empty segments removed, encoded once more for
/// [`PathEncoding::Double`].
fn canonical_path(path: &str, encoding: PathEncoding) -> String {
    let normalized = normalize_path(path);
    match encoding {
        PathEncoding::Double => utf8_percent_encode(&normalized, PATH_SET).to_string(),
        PathEncoding::Single => normalized,
    }
}

fn normalize_path(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    if !(path.contains('.') || path.contains("//")) && path.starts_with('/') {
        return path.to_owned();
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut normalized = format!("/{}", segments.join("/"));
    let ends_with_slash = ["/", "/.", "/./", "/..", "/../"]
        .iter()
        .any(|s| path.ends_with(s));
    if ends_with_slash && !normalized.ends_with('/') {
        normalized.push('/');
    }
    normalized
}

/// Query pairs decoded as `application/x-www-form-urlencoded`, re-encoded, sorted by
/// name then value, joined by `&`.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (reencode(name), reencode(value))
        })
        .collect();
    pairs.sort_unstable();
    let mut out = String::with_capacity(query.len() + 8);
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&name);
        out.push('=');
        out.push_str(&value);
    }
    out
}

fn reencode(component: &str) -> String {
    let plus_as_space = component.replace('+', " ");
    let decoded = percent_decode_str(&plus_as_space).decode_utf8_lossy();
    utf8_percent_encode(&decoded, QUERY_SET).to_string()
}

/// The signing time as `20150830T123600Z`, and its day.
struct AmzDate {
    full: String,
}

impl AmzDate {
    fn new(time: SystemTime) -> Self {
        let t = time::OffsetDateTime::from(time);
        let full = format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        Self { full }
    }

    fn day(&self) -> &str {
        &self.full[..8]
    }
}

/// `20150830/us-east-1/service/aws4_request`, and its parts.
struct Scope<'a> {
    text: String,
    day: String,
    region: &'a str,
    service: &'a str,
}

impl<'a> Scope<'a> {
    fn new(date_time: &AmzDate, region: &'a str, service: &'a str) -> Self {
        let day = date_time.day().to_owned();
        Self {
            text: format!("{day}/{region}/{service}/aws4_request"),
            day,
            region,
            service,
        }
    }

    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`.
    fn derive_key(&self, secret: &str) -> hmac::Key {
        let secret = format!("AWS4{secret}");
        let mut key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
        for part in [self.day.as_str(), self.region, self.service, "aws4_request"] {
            let tag = hmac::sign(&key, part.as_bytes());
            key = hmac::Key::new(hmac::HMAC_SHA256, tag.as_ref());
        }
        key
    }
}

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_and_empty_segments_are_normalized() {
        let cases = [
            ("", "/"),
            ("/", "/"),
            ("/a/./b", "/a/b"),
            ("/a/../b", "/b"),
            ("/a//b/", "/a/b/"),
            ("/a/b/..", "/a/"),
            ("/../..", "/"),
        ];
        for (path, want) in cases {
            assert_eq!(normalize_path(path), want, "{path}");
        }
    }

    #[test]
    fn query_is_decoded_reencoded_and_sorted() {
        assert_eq!(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(canonical_query("k=a+b&e&x=%7e"), "e=&k=a%20b&x=~");
        assert_eq!(canonical_query(""), "");
    }

    #[test]
    fn header_values_are_trimmed() {
        let mut out = String::new();
        push_trimmed(&mut out, "  a   b  c ");
        assert_eq!(out, "a b c");
    }

    #[test]
    fn a_declared_payload_hash_is_signed_in_place_of_the_body_hash() {
        let declared = http::Request::builder()
            .method("PUT")
            .uri("https://h/x")
            .header(X_AMZ_CONTENT_SHA256, UNSIGNED_PAYLOAD)
            .body(Bytes::from_static(b"body"))
            .unwrap();
        let (canonical, signed) = canonical_request(&declared, "h", PathEncoding::Double).unwrap();
        assert!(canonical.ends_with("\nUNSIGNED-PAYLOAD"), "{canonical}");
        assert_eq!(signed, "host;x-amz-content-sha256");
        let hashed = http::Request::builder()
            .method("PUT")
            .uri("https://h/x")
            .body(Bytes::from_static(b"body"))
            .unwrap();
        let (canonical, _) = canonical_request(&hashed, "h", PathEncoding::Double).unwrap();
        let body_hash = hex(digest::digest(&digest::SHA256, b"body").as_ref());
        assert!(
            canonical.ends_with(&format!("\n{body_hash}")),
            "{canonical}"
        );
    }

    #[test]
    fn cached_key_matches_a_fresh_one() {
        let cache = SigningKeyCache::default();
        let date = AmzDate::new(SystemTime::UNIX_EPOCH);
        let scope = Scope::new(&date, "us-east-1", "ivschat");
        let sign = |key: &hmac::Key| hmac::sign(key, b"x").as_ref().to_vec();
        let fresh = sign(&scope.derive_key("secret"));
        assert_eq!(sign(&cache.key("secret", &scope)), fresh);
        assert_eq!(sign(&cache.key("secret", &scope)), fresh);
        assert_ne!(sign(&cache.key("other", &scope)), fresh);
    }
}
