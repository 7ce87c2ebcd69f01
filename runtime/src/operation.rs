//! What generated operations share: the call itself ([`send`]), building a
//! rest-json request ([`RequestBuilder`]), checking an input the way botocore
//! does ([`Validator`]), and reading a response ([`json_body`], headers).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, Method};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::body::ByteStream;
use crate::error::{ErrorMetadata, SdkError};
use crate::handle::Handle;
use crate::rest_json;
use crate::signing::AuthScheme;

/// One operation of a generated client, implemented by its input type.
pub trait Operation: Sized + Send + Clone + 'static {
    /// The operation's name in the model, e.g. `GetRoom`.
    const NAME: &'static str;
    /// How its requests are authenticated.
    const AUTH: AuthScheme = AuthScheme::SigV4;
    /// The parsed output.
    type Output;
    /// The operation's typed error.
    type Error;

    /// Fills members the SDK supplies when the caller leaves them unset
    /// (idempotency tokens).
    fn with_defaults(self) -> Self {
        self
    }

    /// The HTTP request for this input, relative to the endpoint, after validation.
    fn to_request(&self) -> Result<http::Request<Bytes>, BuildError>;

    /// The body of an operation whose input payload is a stream; the request from
    /// [`to_request`](Self::to_request) then carries its other parts and no body.
    fn streaming_payload(&self) -> Option<ByteStream> {
        None
    }

    /// Parses a successful response.
    fn parse_output(response: &http::Response<Bytes>) -> Result<Self::Output, ParseError>;

    /// Parses an error response whose code and message are in `meta`.
    fn parse_error(
        meta: ErrorMetadata,
        response: &http::Response<Bytes>,
    ) -> Result<Self::Error, ParseError>;
}

/// Validates, sends and parses one call.
pub async fn send<O: Operation>(
    handle: &Handle,
    input: O,
) -> Result<O::Output, SdkError<O::Error>> {
    #[cfg(feature = "test-util")]
    if let Some(mock) = handle.mock() {
        return mock.call(input);
    }
    let request = streamed_request(input)?;
    let response = handle.send(O::NAME, O::AUTH, request).await?;
    parse::<O>(response)
}

/// An operation whose output's payload is a stream: the body is handed over unread.
pub trait StreamingOutput: Operation {
    /// Puts the response body into the output's payload member.
    fn set_payload(output: &mut Self::Output, body: ByteStream);
}

/// [`send`] for an operation whose output is a stream: the output comes back once the
/// response's head has arrived, its payload member reading the body as it comes.
pub async fn send_streaming<O: StreamingOutput>(
    handle: &Handle,
    input: O,
) -> Result<O::Output, SdkError<O::Error>> {
    #[cfg(feature = "test-util")]
    if let Some(mock) = handle.mock() {
        return mock.call(input);
    }
    let request = streamed_request(input)?;
    let response = handle.send_streaming(O::NAME, O::AUTH, request).await?;
    if !response.status().is_success() {
        // Not 2xx: the handle has read the body whole.
        return parse::<O>(response.map(|body| body.bytes().cloned().unwrap_or_default()));
    }
    let (parts, body) = response.into_parts();
    let head = http::Response::from_parts(parts, Bytes::new());
    let mut output =
        O::parse_output(&head).map_err(|e| SdkError::response_error(e, head.clone()))?;
    O::set_payload(&mut output, body);
    Ok(output)
}

/// The request for `input` (defaults filled, validated), with its streaming payload
/// as the body when it has one.
fn streamed_request<O: Operation>(
    input: O,
) -> Result<http::Request<ByteStream>, SdkError<O::Error>> {
    let input = input.with_defaults();
    let request = input.to_request().map_err(SdkError::construction_failure)?;
    Ok(match input.streaming_payload() {
        Some(payload) => request.map(|_| payload),
        None => request.map(ByteStream::from),
    })
}

/// Turns a response into the operation's output or typed error.
pub fn parse<O: Operation>(
    response: http::Response<Bytes>,
) -> Result<O::Output, SdkError<O::Error>> {
    if response.status().is_success() {
        return O::parse_output(&response).map_err(|e| SdkError::response_error(e, response));
    }
    let meta = rest_json::error_metadata(&response);
    match O::parse_error(meta, &response) {
        Ok(error) => Err(SdkError::service_error(error, response)),
        Err(e) => Err(SdkError::response_error(e, response)),
    }
}

/// An input that cannot become a request.
#[derive(Debug)]
pub enum BuildError {
    /// The input breaks the model's constraints; one line per problem.
    Invalid(InvalidInput),
    /// A member cannot be written where the model puts it.
    Member {
        /// The member's name in the model.
        member: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// The body could not be serialized.
    Body(serde_json::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(invalid) => invalid.fmt(f),
            Self::Member { member, problem } => write!(f, "member `{member}`: {problem}"),
            Self::Body(e) => write!(f, "cannot serialize the request body: {e}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Invalid(e) => Some(e),
            Self::Body(e) => Some(e),
            Self::Member { .. } => None,
        }
    }
}

impl From<InvalidInput> for BuildError {
    fn from(invalid: InvalidInput) -> Self {
        Self::Invalid(invalid)
    }
}

/// Characters a non-greedy URI label keeps: RFC 3986's unreserved ones.
const LABEL: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// A greedy label (`{key+}`) keeps `/` too.
const GREEDY_LABEL: &AsciiSet = &LABEL.remove(b'/');

/// Text an operation puts in front of the endpoint's host (its `endpoint.hostPrefix`,
/// host labels filled in), carried as an extension of the request it builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPrefix(pub String);

/// Whether `value` may stand in a host prefix, as botocore checks host labels (only
/// ASCII letters, digits, `-` and `.`), and has no empty `.`-separated part, which no
/// host has.
fn is_valid_host_label(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && value.split('.').all(|part| !part.is_empty())
}

/// Builds a rest-json request: path and labels, query, headers, body.
#[derive(Debug)]
pub struct RequestBuilder {
    method: Method,
    path: String,
    query: String,
    headers: HeaderMap,
    body: Bytes,
    host_prefix: String,
}

impl RequestBuilder {
    /// A request with `method` and an empty path.
    pub fn new(method: Method) -> Self {
        Self {
            method,
            path: String::with_capacity(64),
            query: String::new(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            host_prefix: String::new(),
        }
    }

    /// Appends literal text of the host prefix (`data.`).
    pub fn host_prefix(&mut self, literal: &str) {
        self.host_prefix.push_str(literal);
    }

    /// Appends a host label's value to the host prefix; a value that cannot be part of
    /// a host name is an error naming the member.
    pub fn host_label(&mut self, member: &'static str, value: &str) -> Result<(), BuildError> {
        if !is_valid_host_label(value) {
            return Err(BuildError::Member {
                member,
                problem: "a host label must be alphanumeric characters, hyphens and periods, \
                          with no empty part between periods"
                    .to_owned(),
            });
        }
        self.host_prefix.push_str(value);
        Ok(())
    }

    /// Appends literal path text from the request URI.
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a URI label's value, percent-encoded; an empty value is an error.
    pub fn label(
        &mut self,
        member: &'static str,
        value: &str,
        greedy: bool,
    ) -> Result<(), BuildError> {
        if value.is_empty() {
            return Err(BuildError::Member {
                member,
                problem: "a URI label cannot be empty".to_owned(),
            });
        }
        let set = if greedy { GREEDY_LABEL } else { LABEL };
        self.path.extend(utf8_percent_encode(value, set));
        Ok(())
    }

    /// Appends literal query text from the request URI (`mode=full`).
    pub fn query_literal(&mut self, literal: &str) {
        self.separate_query();
        self.query.push_str(literal);
    }

    /// Appends `name=value`, both percent-encoded.
    pub fn query(&mut self, name: &str, value: &str) {
        self.separate_query();
        self.query.extend(utf8_percent_encode(name, LABEL));
        self.query.push('=');
        self.query.extend(utf8_percent_encode(value, LABEL));
    }

    fn separate_query(&mut self) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
    }

    /// Sets a header; a value HTTP cannot carry is an error naming the member.
    pub fn header(
        &mut self,
        member: &'static str,
        name: &str,
        value: &str,
    ) -> Result<(), BuildError> {
        let problem = |problem: &str| BuildError::Member {
            member,
            problem: problem.to_owned(),
        };
        let name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| problem("invalid header name"))?;
        let value = HeaderValue::from_str(value).map_err(|_| problem("invalid header value"))?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// The JSON body `value`, with `Content-Type: application/json`.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BuildError> {
        let body = serde_json::to_vec(value).map_err(BuildError::Body)?;
        self.raw_body("application/json", body);
        Ok(())
    }

    /// A body of raw bytes with its content type (unless a member already set one).
    pub fn raw_body(&mut self, content_type: &'static str, body: impl Into<Bytes>) {
        self.headers
            .entry(CONTENT_TYPE)
            .or_insert(HeaderValue::from_static(content_type));
        self.body = body.into();
    }

    /// Sets `Content-Type` (unless a member set it) for a body that
    /// [`Operation::streaming_payload`] supplies.
    pub fn stream_body(&mut self, content_type: &'static str) {
        self.headers
            .entry(CONTENT_TYPE)
            .or_insert(HeaderValue::from_static(content_type));
    }

    /// The request; its URI is the path and query relative to the endpoint.
    pub fn build(self) -> Result<http::Request<Bytes>, BuildError> {
        let uri = if self.query.is_empty() {
            self.path
        } else {
            format!("{}?{}", self.path, self.query)
        };
        let mut request = http::Request::new(self.body);
        *request.method_mut() = self.method;
        *request.uri_mut() =
            uri.parse()
                .map_err(|e: http::uri::InvalidUri| BuildError::Member {
                    member: "(uri)",
                    problem: e.to_string(),
                })?;
        *request.headers_mut() = self.headers;
        if !self.host_prefix.is_empty() {
            request
                .extensions_mut()
                .insert(HostPrefix(self.host_prefix));
        }
        Ok(request)
    }
}

/// Text of a float as AWS protocols write it in URIs and headers: in its own width (`1.1f32` is `1.1`), with
/// `NaN`, `Infinity` and `-Infinity` for the special values.
pub fn format_float<F: Into<f64> + fmt::Display + Copy>(value: F) -> String {
    let wide: f64 = value.into();
    if wide.is_nan() {
        "NaN".to_owned()
    } else if wide.is_infinite() {
        if wide > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        value.to_string()
    }
}

/// A JSON value carried in a header (`jsonvalue`): base64 of its text.
pub fn format_json_value(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// A blob in a header or query string: base64.
pub fn format_blob(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A list in a header: items joined with `,`; with `quote_items`, items holding
/// commas or quotes are quoted (HTTP dates, which hold a comma, never are).
pub fn join_header_list(
    items: impl IntoIterator<Item = impl AsRef<str>>,
    quote_items: bool,
) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        let item = item.as_ref();
        if i > 0 {
            out.push(',');
        }
        if quote_items && item.contains([',', '"']) {
            out.push('"');
            out.push_str(&item.replace('\\', "\\\\").replace('"', "\\\""));
            out.push('"');
        } else {
            out.push_str(item);
        }
    }
    out
}

/// A new idempotency token: a random UUID (version 4).
pub fn idempotency_token() -> String {
    let mut bytes: [u8; 16] = fastrand::u128(..).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Inputs that break the model's constraints, found before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    /// The input type, e.g. `CreateRoomInput`.
    pub input: &'static str,
    /// One line per problem, naming the member path.
    pub problems: Vec<String>,
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.input, self.problems.join("; "))
    }
}

impl std::error::Error for InvalidInput {}

/// Collects constraint problems, as botocore's parameter validation does:
/// required members and `min` lengths and values; never `max`, `pattern` or
/// enum membership, so a service that relaxes a limit keeps working.
#[derive(Debug)]
pub struct Validator {
    path: Vec<Cow<'static, str>>,
    problems: Vec<String>,
}

impl Default for Validator {
    fn default() -> Self {
        Self::new()
    }
}

impl Validator {
    /// An empty report.
    pub fn new() -> Self {
        Self {
            path: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn at(&self, member: &str) -> String {
        let mut path = self.path.join("");
        if !path.is_empty() && !member.starts_with('[') {
            path.push('.');
        }
        path.push_str(member);
        path
    }

    /// A required member must be set.
    pub fn required(&mut self, member: &'static str, is_set: bool) {
        if !is_set {
            let path = self.at(member);
            self.problems
                .push(format!("missing required member `{path}`"));
        }
    }

    /// A length (characters of a string, items of a list or map, bytes of a blob) of at least `min`.
    pub fn min_len(&mut self, member: &'static str, len: Option<usize>, min: usize) {
        if let Some(len) = len.filter(|len| *len < min) {
            let path = self.at(member);
            self.problems.push(format!(
                "member `{path}` has length {len}, below the minimum of {min}"
            ));
        }
    }

    /// A number of at least `min`.
    pub fn min_value(&mut self, member: &'static str, value: Option<f64>, min: f64) {
        if let Some(value) = value.filter(|value| *value < min) {
            let path = self.at(member);
            self.problems.push(format!(
                "member `{path}` is {value}, below the minimum of {min}"
            ));
        }
    }

    /// Checks a nested value under `member`.
    pub fn nested<T: Validate + ?Sized>(&mut self, member: &'static str, value: &T) {
        let segment = if self.path.is_empty() {
            Cow::Borrowed(member)
        } else {
            Cow::Owned(format!(".{member}"))
        };
        self.path.push(segment);
        value.validate(self);
        self.path.pop();
    }

    fn item<T: Validate + ?Sized>(&mut self, segment: String, value: &T) {
        self.path.push(Cow::Owned(segment));
        value.validate(self);
        self.path.pop();
    }

    /// `Ok` when nothing was found.
    pub fn finish(self, input: &'static str) -> Result<(), InvalidInput> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(InvalidInput {
                input,
                problems: self.problems,
            })
        }
    }
}

/// A value whose members carry constraints to check before sending.
pub trait Validate {
    /// Records every problem of `self` in `validator`.
    fn validate(&self, validator: &mut Validator);
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, validator: &mut Validator) {
        if let Some(value) = self {
            value.validate(validator);
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, validator: &mut Validator) {
        (**self).validate(validator);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, validator: &mut Validator) {
        for (i, item) in self.iter().enumerate() {
            validator.item(format!("[{i}]"), item);
        }
    }
}

impl<K: fmt::Display, V: Validate> Validate for HashMap<K, V> {
    fn validate(&self, validator: &mut Validator) {
        for (key, value) in self {
            validator.item(format!("[{key}]"), value);
        }
    }
}

/// The body as `T`; an empty body reads as `{}`.
pub fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ParseError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| ParseError::new(format!("malformed JSON body: {e}")))
}

/// A header's value as text, if present.
pub fn header<'a>(
    response: &'a http::Response<Bytes>,
    name: &str,
) -> Result<Option<&'a str>, ParseError> {
    match response.headers().get(name) {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .map(Some)
            .map_err(|_| ParseError::new(format!("header `{name}` is not text"))),
    }
}

/// Every header starting with `prefix` (case-insensitive), keyed by the rest of its name.
pub fn prefixed_headers(
    response: &http::Response<Bytes>,
    prefix: &str,
) -> Result<Option<HashMap<String, String>>, ParseError> {
    let prefix = prefix.to_ascii_lowercase();
    let mut found = HashMap::new();
    for (name, value) in response.headers() {
        if let Some(key) = name.as_str().strip_prefix(&prefix) {
            let value = value
                .to_str()
                .map_err(|_| ParseError::new(format!("header `{name}` is not text")))?;
            found.insert(key.to_owned(), value.to_owned());
        }
    }
    Ok((!found.is_empty()).then_some(found))
}

/// Splits a list header on commas, honouring double-quoted items.
pub fn split_header_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => current.extend(chars.next()),
            ',' if !quoted => items.push(std::mem::take(&mut current).trim().to_owned()),
            _ => current.push(c),
        }
    }
    items.push(current.trim().to_owned());
    items
}

/// A list header of HTTP dates, whose items themselves contain a comma.
pub fn split_http_date_list(text: &str) -> Vec<String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    parts.chunks(2).map(|pair| pair.join(", ")).collect()
}

/// Parses header text as `T`.
pub fn parse_text<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, ParseError>
where
    T::Err: fmt::Display,
{
    text.trim()
        .parse()
        .map_err(|e| ParseError::new(format!("header `{name}`: `{text}`: {e}")))
}

/// Parses a float header, accepting `NaN`, `Infinity` and `-Infinity`.
pub fn parse_f64(name: &str, text: &str) -> Result<f64, ParseError> {
    match text.trim() {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        other => parse_text(name, other),
    }
}

/// Decodes a `jsonvalue` header (base64 of JSON text).
pub fn parse_json_value(name: &str, text: &str) -> Result<String, ParseError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|e| ParseError::new(format!("header `{name}` is not base64: {e}")))?;
    String::from_utf8(bytes)
        .map_err(|_| ParseError::new(format!("header `{name}` is not UTF-8 JSON")))
}

/// Decodes a base64 blob from a header.
pub fn parse_blob(name: &str, text: &str) -> Result<crate::codec::Blob, ParseError> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map(crate::codec::Blob::from)
        .map_err(|e| ParseError::new(format!("header `{name}` is not base64: {e}")))
}

/// A response that does not match the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    message: String,
}

impl ParseError {
    /// A parse error saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

impl From<crate::codec::TimestampError> for ParseError {
    fn from(error: crate::codec::TimestampError) -> Self {
        Self::new(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_percent_encoded() {
        let mut request = RequestBuilder::new(Method::GET);
        request.path("/tags/");
        request
            .label("resourceArn", "arn:aws:ivschat:us-west-2:1:room/a b", false)
            .unwrap();
        request.path("/files/");
        request.label("path", "a/b c~", true).unwrap();
        request.query_literal("mode=full");
        request.query("tagKeys", "a&b");
        request.query("tagKeys", "");
        let request = request.build().unwrap();
        assert_eq!(
            request.uri().to_string(),
            "/tags/arn%3Aaws%3Aivschat%3Aus-west-2%3A1%3Aroom%2Fa%20b/files/a/b%20c~?mode=full&tagKeys=a%26b&tagKeys="
        );
    }

    #[test]
    fn floats_are_written_in_their_own_width() {
        assert_eq!(format_float(1.1f32), "1.1");
        assert_eq!(format_float(5.1f64), "5.1");
        assert_eq!(format_float(f32::NAN), "NaN");
        assert_eq!(format_float(f64::INFINITY), "Infinity");
        assert_eq!(format_float(f32::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn empty_labels_are_errors() {
        let mut request = RequestBuilder::new(Method::GET);
        let error = request.label("id", "", false).unwrap_err();
        assert_eq!(
            error.to_string(),
            "member `id`: a URI label cannot be empty"
        );
    }

    #[test]
    fn host_prefixes_travel_as_an_extension() {
        let mut request = RequestBuilder::new(Method::POST);
        request.path("/");
        request.host_prefix("foo-");
        request.host_label("Name", "my-name.v2").unwrap();
        request.host_prefix(".");
        let request = request.build().unwrap();
        assert_eq!(
            request.extensions().get::<HostPrefix>(),
            Some(&HostPrefix("foo-my-name.v2.".to_owned()))
        );
        let mut plain = RequestBuilder::new(Method::POST);
        plain.path("/");
        assert_eq!(
            plain.build().unwrap().extensions().get::<HostPrefix>(),
            None
        );
    }

    #[test]
    fn host_labels_that_make_no_host_are_errors() {
        for bad in [
            "",
            "a/b",
            "a b",
            "a..b",
            ".a",
            "a.",
            "caf\u{e9}",
            "a:80",
            "a@b",
        ] {
            let mut request = RequestBuilder::new(Method::POST);
            let error = request.host_label("Name", bad).unwrap_err();
            assert!(
                error.to_string().starts_with("member `Name`: "),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn header_lists_quote_items_with_commas() {
        let joined = join_header_list(["a", "b,c", "d\"e"], true);
        assert_eq!(joined, r#"a,"b,c","d\"e""#);
        assert_eq!(split_header_list(&joined), ["a", "b,c", "d\"e"]);
        assert_eq!(
            split_http_date_list("Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT"),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Mon, 16 Dec 2019 23:48:18 GMT"
            ]
        );
    }

    #[test]
    fn validator_names_nested_paths() {
        struct Leaf(Option<String>);
        impl Validate for Leaf {
            fn validate(&self, v: &mut Validator) {
                v.required("name", self.0.is_some());
                v.min_len("name", self.0.as_deref().map(|s| s.chars().count()), 3);
            }
        }
        let mut v = Validator::new();
        v.required("top", false);
        v.nested("leaves", &vec![Leaf(None), Leaf(Some("ab".to_owned()))]);
        v.min_value("count", Some(0.0), 1.0);
        let error = v.finish("DemoInput").unwrap_err();
        assert_eq!(
            error.problems,
            [
                "missing required member `top`",
                "missing required member `leaves[0].name`",
                "member `leaves[1].name` has length 2, below the minimum of 3",
                "member `count` is 0, below the minimum of 1",
            ]
        );
    }

    #[test]
    fn idempotency_tokens_are_uuid_v4() {
        let token = idempotency_token();
        assert_eq!(token.len(), 36);
        assert_eq!(&token[14..15], "4");
        assert!(matches!(&token[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(token, idempotency_token());
    }

    #[test]
    fn empty_bodies_read_as_empty_objects() {
        let value: HashMap<String, String> = json_body(b"").unwrap();
        assert!(value.is_empty());
        let error = json_body::<HashMap<String, String>>(b"<html>").unwrap_err();
        assert!(
            error.to_string().starts_with("malformed JSON body"),
            "{error}"
        );
    }
}
