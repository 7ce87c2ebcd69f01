//! Error metadata for the rest-json protocol (awsRestJson1).
//!
//! The error code comes from the `X-Amzn-ErrorType` header, else from the body's
//! `__type` or `code` member; in both, text after the first `:` and a namespace
//! before `#` are dropped. The message comes from the body's `message`, `Message`
//! or `errorMessage` member, else from the `x-amzn-errormessage` header.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

use crate::error::{ErrorMetadata, request_id};

const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";
const ERROR_MESSAGE_HEADER: &str = "x-amzn-errormessage";
const CODE_KEYS: [&str; 2] = ["__type", "code"];
const MESSAGE_KEYS: [&str; 3] = ["message", "Message", "errorMessage"];

/// Reads code, message, request id and status from a rest-json error response.
pub fn error_metadata(response: &http::Response<Bytes>) -> ErrorMetadata {
    error_metadata_parts(response.status(), response.headers(), response.body())
}

/// [`error_metadata`] over the response's parts.
pub fn error_metadata_parts(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ErrorMetadata {
    let object = parse_object(body);
    let code = header_str(headers, ERROR_TYPE_HEADER)
        .or_else(|| first_string(object.as_ref(), &CODE_KEYS))
        .map(|code| sanitize_error_code(&code))
        .filter(|code| !code.is_empty());
    let message = first_string(object.as_ref(), &MESSAGE_KEYS)
        .or_else(|| header_str(headers, ERROR_MESSAGE_HEADER));
    ErrorMetadata {
        code,
        message,
        request_id: request_id(headers).map(str::to_owned),
        status: Some(status.as_u16()),
    }
}

/// Strips what follows `:` and a namespace before `#`: `aws.ivs#Throttled:http://..` → `Throttled`.
pub fn sanitize_error_code(raw: &str) -> String {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    let after_hash = before_colon.rsplit('#').next().unwrap_or(before_colon);
    after_hash.trim().to_owned()
}

/// Parses a body as a JSON object; anything else (empty, HTML, an array) yields `None`.
fn parse_object(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(body).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

fn first_string(object: Option<&Map<String, Value>>, keys: &[&str]) -> Option<String> {
    let object = object?;
    keys.iter()
        .find_map(|key| object.get(*key)?.as_str().map(str::to_owned))
}

fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)], body: &str) -> http::Response<Bytes> {
        let mut builder = http::Response::builder().status(400);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from(body.to_owned())).unwrap()
    }

    #[test]
    fn header_code_wins_and_is_cut_at_colon() {
        let meta = error_metadata(&response(
            &[
                ("X-Amzn-ErrorType", "ValidationException:http://internal/"),
                ("x-amzn-RequestId", "rid-1"),
            ],
            r#"{"__type":"Other","message":"bad"}"#,
        ));
        assert_eq!(meta.code(), Some("ValidationException"));
        assert_eq!(meta.message(), Some("bad"));
        assert_eq!(meta.request_id(), Some("rid-1"));
        assert_eq!(meta.status, Some(400));
    }

    #[test]
    fn body_type_namespace_is_stripped() {
        let meta = error_metadata(&response(
            &[],
            r#"{"__type":"com.amazonaws.ivschat#ThrottlingException","Message":"slow"}"#,
        ));
        assert_eq!(meta.code(), Some("ThrottlingException"));
        assert_eq!(meta.message(), Some("slow"));
    }

    #[test]
    fn body_code_and_header_message() {
        let meta = error_metadata(&response(
            &[("x-amzn-errormessage", "from header")],
            r#"{"code":"AccessDeniedException"}"#,
        ));
        assert_eq!(meta.code(), Some("AccessDeniedException"));
        assert_eq!(meta.message(), Some("from header"));
    }

    #[test]
    fn error_message_key_and_non_json_body() {
        let meta = error_metadata(&response(&[], r#"{"errorMessage":"m"}"#));
        assert_eq!((meta.code(), meta.message()), (None, Some("m")));
        let meta = error_metadata(&response(&[], "<html>"));
        assert_eq!((meta.code(), meta.message()), (None, None));
    }
}
