//! How a case's result is compared with botocore's expectation.
//!
//! Requests follow the comparison rules of the suites' README: method and path
//! exactly; the query as an ordered list of values per key with the
//! percent-encoding kept; headers case-insensitively (list separators `", "`
//! and `","` are the same, and a `Content-Type` other than `application/json`
//! is not checked, as botocore does); forbidden headers absent; the body as a
//! JSON value when the expected body is JSON, else byte for byte.
//! When the suite names a `clientEndpoint`, the request is addressed there as
//! the runtime addresses it ([`brisk_runtime::handle::request_uri`]: the
//! operation's host prefix in front of the host, the endpoint's path in front
//! of the request's), and `host` is compared with the network location, as
//! botocore does. `requireHeaders` (always `Content-Length`, set by the
//! transport) is not checked.
//!
//! Responses are parsed with [`brisk_runtime::operation::parse`] and compared
//! with the typed value the case describes.

use std::collections::BTreeMap;
use std::fmt::Debug;

use brisk_runtime::SdkError;
use brisk_runtime::bytes::Bytes;
use brisk_runtime::handle::request_uri;
use brisk_runtime::http;
use brisk_runtime::operation::Operation;
use serde_json::Value;

/// The idempotency token the suites expect when the client fills one in.
pub const FIXED_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// Runs a case's check; a failure names the file, suite and case.
pub fn run(file: &str, suite: &str, id: &str, case: fn() -> Result<(), String>) {
    if let Err(problem) = case() {
        panic!("{file}: {suite} / {id}:\n{problem}");
    }
}

/// The request a case expects.
#[derive(Debug, Clone, Copy)]
pub struct ExpectedRequest<'a> {
    /// Absent in some legacy cases.
    pub method: Option<&'a str>,
    /// Path and query.
    pub uri: &'a str,
    /// `None`: not checked.
    pub body: Option<&'a str>,
    pub headers: &'a [(&'a str, &'a str)],
    pub forbid_headers: &'a [&'a str],
    /// The suite's `clientEndpoint`; `None`: the request stays relative.
    pub endpoint: Option<&'a str>,
    /// The expected network location at `endpoint`; `None`: not checked.
    pub host: Option<&'a str>,
}

/// Compares a built request with `expected`, listing every difference.
pub fn request<O: Operation>(input: &O, expected: &ExpectedRequest<'_>) -> Result<(), String> {
    sent_request(built_request(input)?, expected)
}

/// Checks a built request against what the case expects.
fn sent_request(
    request: http::Request<Bytes>,
    expected: &ExpectedRequest<'_>,
) -> Result<(), String> {
    let uri = addressed_uri(&request, expected)?;
    let mut problems = Vec::new();
    if let Some(method) = expected.method
        && request.method().as_str() != method
    {
        problems.push(format!("method {} (expected {method})", request.method()));
    }
    if let Some(host) = expected.host {
        let actual = uri.authority().map_or("", |a| a.as_str());
        if actual != host {
            problems.push(format!("host {actual} (expected {host})"));
        }
    }
    let (path, query) = split_uri(expected.uri);
    if uri.path() != path {
        problems.push(format!("path {} (expected {path})", uri.path()));
    }
    let actual_query = uri.query().unwrap_or_default();
    if query_values(actual_query) != query_values(query) {
        problems.push(format!("query `{actual_query}` (expected `{query}`)"));
    }
    problems.extend(header_problems(request.headers(), expected));
    if let Some(body) = expected.body
        && let Some(problem) = body_problem(request.body(), body)
    {
        problems.push(problem);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// The request's URI at the case's endpoint, or as built when the case has none.
fn addressed_uri(
    request: &http::Request<Bytes>,
    expected: &ExpectedRequest<'_>,
) -> Result<http::Uri, String> {
    match (expected.endpoint, expected.host) {
        (Some(endpoint), _) => request_uri(endpoint, request)
            .map_err(|e| format!("the request cannot be addressed to {endpoint}: {e}")),
        (None, Some(host)) => Err(format!(
            "host {host} is expected, but the suite names no endpoint"
        )),
        (None, None) => Ok(request.uri().clone()),
    }
}

fn split_uri(uri: &str) -> (&str, &str) {
    uri.split_once('?').unwrap_or((uri, ""))
}

/// `k=v` pieces per key, encoding kept, in order within a key.
fn query_values(query: &str) -> BTreeMap<&str, Vec<&str>> {
    let mut values: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for piece in query.split('&').filter(|p| !p.is_empty()) {
        let key = piece.split_once('=').map_or(piece, |(key, _)| key);
        values.entry(key).or_default().push(piece);
    }
    values
}

fn header_problems(headers: &http::HeaderMap, expected: &ExpectedRequest<'_>) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, value) in expected.headers {
        let content_type = name.eq_ignore_ascii_case("content-type");
        if content_type && *value != "application/json" {
            continue;
        }
        match header_text(headers, name) {
            None => problems.push(format!("header {name} is missing (expected `{value}`)")),
            Some(actual) if same_list(&actual, value) => {}
            Some(actual) => {
                problems.push(format!("header {name}: `{actual}` (expected `{value}`)"))
            }
        }
    }
    for name in expected.forbid_headers {
        if let Some(actual) = header_text(headers, name) {
            problems.push(format!("header {name} must be absent, found `{actual}`"));
        }
    }
    problems
}

/// Every value of header `name`, joined with `,`.
fn header_text(headers: &http::HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// botocore joins header lists with `,` where the suites write `", "`.
fn same_list(actual: &str, expected: &str) -> bool {
    actual.replace(", ", ",") == expected.replace(", ", ",")
}

fn body_problem(actual: &[u8], expected: &str) -> Option<String> {
    let shown = String::from_utf8_lossy(actual);
    match serde_json::from_str::<Value>(expected) {
        Ok(expected_json) if !expected.is_empty() => {
            match serde_json::from_slice::<Value>(actual) {
                Ok(actual_json) if json_equal(&actual_json, &expected_json) => None,
                _ => Some(format!("body `{shown}` (expected JSON `{expected_json}`)")),
            }
        }
        _ if actual == expected.as_bytes() => None,
        _ => Some(format!("body `{shown}` (expected `{expected}`)")),
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .all(|(k, x)| ys.get(k).is_some_and(|y| json_equal(x, y)))
        }
        _ => a == b,
    }
}

/// An HTTP response with `status`, `headers` and `body`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Bytes> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(Bytes::from(body.to_owned()))
        .expect("the suite's response is valid HTTP")
}

/// The parsed output of a successful response.
pub fn output<O, E: Debug>(parsed: Result<O, SdkError<E>>) -> Result<O, String> {
    parsed.map_err(|e| format!("expected an output, got {e:?}"))
}

/// The typed error of an error response, after checking its code and message.
pub fn service_error<O: Debug, E: Debug>(
    parsed: Result<O, SdkError<E>>,
    code: &str,
    message: &str,
) -> Result<E, String> {
    let error = match parsed {
        Ok(output) => return Err(format!("expected error {code}, got output {output:?}")),
        Err(SdkError::ServiceError(error)) => error,
        Err(other) => return Err(format!("expected service error {code}, got {other:?}")),
    };
    let meta = error.meta();
    if meta.code() != Some(code) {
        return Err(format!("error code {:?} (expected {code})", meta.code()));
    }
    let actual_message = meta.message().unwrap_or_default();
    if actual_message != message {
        return Err(format!(
            "error message `{actual_message}` (expected `{message}`)"
        ));
    }
    Ok(error.into_err())
}

/// `actual == expected`. NaN is not equal to itself, so values that print the
/// same and hold a NaN are equal too.
pub fn equal<T: PartialEq + Debug>(actual: &T, expected: &T) -> Result<(), String> {
    if actual == expected {
        return Ok(());
    }
    let (actual, expected) = (format!("{actual:?}"), format!("{expected:?}"));
    if actual == expected && expected.contains("NaN") {
        return Ok(());
    }
    Err(format!("parsed\n  {actual}\nexpected\n  {expected}"))
}

/// Checks that `with_defaults` filled an idempotency token (a version-4 UUID)
/// and swaps in [`FIXED_TOKEN`], the token the suites expect.
pub fn auto_filled_token(slot: &mut Option<String>) -> Result<(), String> {
    let token = slot
        .as_deref()
        .ok_or("with_defaults left the idempotency token unset")?;
    if !is_uuid_v4(token) {
        return Err(format!(
            "idempotency token `{token}` is not a version-4 UUID"
        ));
    }
    *slot = Some(FIXED_TOKEN.to_owned());
    Ok(())
}

fn is_uuid_v4(token: &str) -> bool {
    let groups: Vec<&str> = token.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    lengths == [8, 4, 4, 4, 12]
        && token.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && groups[2].starts_with('4')
        && groups[3].starts_with(['8', '9', 'a', 'b'])
}

/// The request `input` builds, with its streaming payload (held in memory in every
/// case) as the body.
fn built_request<O: Operation>(input: &O) -> Result<http::Request<Bytes>, String> {
    let request = input
        .to_request()
        .map_err(|e| format!("the request could not be built: {e}"))?;
    Ok(match input.streaming_payload() {
        Some(payload) => {
            let body = payload
                .bytes()
                .cloned()
                .ok_or("the streaming payload is not held in memory")?;
            request.map(|_| body)
        }
        None => request,
    })
}

#[cfg(test)]
mod tests {
    use brisk_runtime::operation::HostPrefix;
    use serde_json::json;

    use super::*;

    fn built(uri: &str, headers: &[(&str, &str)], body: &str) -> http::Request<Bytes> {
        let mut builder = http::Request::builder().method("POST").uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from(body.to_owned())).unwrap()
    }

    fn expected<'a>(uri: &'a str, headers: &'a [(&'a str, &'a str)]) -> ExpectedRequest<'a> {
        ExpectedRequest {
            method: Some("POST"),
            uri,
            body: Some("{\"a\": 1.0, \"b\": [true]}"),
            headers,
            forbid_headers: &["X-Gone"],
            endpoint: None,
            host: None,
        }
    }

    #[test]
    fn matching_requests_pass_with_the_documented_relaxations() {
        let sent = built(
            "/p/a%2Fb?k=2&j=x&k=3",
            &[("x-list", "a,b"), ("content-type", "text/plain")],
            r#"{"b":[true],"a":1}"#,
        );
        let headers = [("X-List", "a, b"), ("Content-Type", "image/jpg")];
        assert_eq!(
            sent_request(sent, &expected("/p/a%2Fb?j=x&k=2&k=3", &headers)),
            Ok(())
        );
    }

    #[test]
    fn every_difference_is_reported() {
        let sent = built(
            "/p/a/b?k=3&k=2",
            &[("x-gone", "1"), ("content-type", "text/plain")],
            "{}",
        );
        let headers = [("X-List", "a"), ("Content-Type", "application/json")];
        let problems = sent_request(sent, &expected("/p/a%2Fb?k=2&k=3", &headers)).unwrap_err();
        let lines: Vec<&str> = problems.lines().collect();
        assert_eq!(
            lines,
            [
                "path /p/a/b (expected /p/a%2Fb)",
                "query `k=3&k=2` (expected `k=2&k=3`)",
                "header X-List is missing (expected `a`)",
                "header Content-Type: `text/plain` (expected `application/json`)",
                "header X-Gone must be absent, found `1`",
                "body `{}` (expected JSON `{\"a\":1.0,\"b\":[true]}`)",
            ]
        );
    }

    #[test]
    fn hosts_are_compared_where_the_runtime_addresses_the_request() {
        let prefixed = || {
            let mut request = built("/op?a=1", &[], "");
            request
                .extensions_mut()
                .insert(HostPrefix("foo.bar.".to_owned()));
            request
        };
        let at = |endpoint, host| ExpectedRequest {
            method: Some("POST"),
            uri: "/base/op?a=1",
            body: None,
            headers: &[],
            forbid_headers: &[],
            endpoint: Some(endpoint),
            host: Some(host),
        };
        assert_eq!(
            sent_request(
                prefixed(),
                &at("https://example.com/base", "foo.bar.example.com")
            ),
            Ok(())
        );
        assert_eq!(
            sent_request(prefixed(), &at("https://example.com/base", "example.com")),
            Err("host foo.bar.example.com (expected example.com)".to_owned())
        );
        let without_endpoint = ExpectedRequest {
            endpoint: None,
            ..at("https://example.com", "example.com")
        };
        assert!(sent_request(prefixed(), &without_endpoint).is_err());
    }

    #[test]
    fn bodies_that_are_not_json_compare_as_bytes() {
        assert_eq!(body_problem(b"", ""), None);
        assert_eq!(body_problem(b"blob", "blob"), None);
        assert!(body_problem(b"{}", "").is_some());
        assert!(json_equal(&json!({"a": [1]}), &json!({"a": [1.0]})));
        assert!(!json_equal(&json!({"a": 1}), &json!({"a": 1, "b": null})));
    }

    #[test]
    fn nan_values_equal_themselves() {
        assert_eq!(equal(&Some(f64::NAN), &Some(f64::NAN)), Ok(()));
        assert!(equal(&Some(1.0), &Some(f64::NAN)).is_err());
    }

    #[test]
    fn auto_filled_tokens_are_checked_then_fixed() {
        let mut slot = Some(brisk_runtime::operation::idempotency_token());
        assert_eq!(auto_filled_token(&mut slot), Ok(()));
        assert_eq!(slot.as_deref(), Some(FIXED_TOKEN));
        assert!(auto_filled_token(&mut None).is_err());
        assert!(auto_filled_token(&mut Some("abc".to_owned())).is_err());
    }
}
