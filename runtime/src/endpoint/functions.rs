//! The standard library of the endpoint rules language. Each function returns `None`
//! when its result is unset (which makes a condition fail).

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::value::Value;

/// Every character but the unreserved ones (`A-Za-z0-9-_.~`) is encoded.
const URI_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `getAttr` paths: `a.b[2]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PathSegment {
    Key(String),
    Index(usize),
}

/// Parses a `getAttr` path; `None` when malformed.
pub(crate) fn parse_path(path: &str) -> Option<Vec<PathSegment>> {
    let mut segments = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            segments.push(PathSegment::Key(key.to_owned()));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            segments.push(PathSegment::Index(inner[..end].parse().ok()?));
            rest = &inner[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(segments)
}

/// `getAttr(value, path)`.
pub(crate) fn get_attr(value: &Value, path: &[PathSegment]) -> Option<Value> {
    let mut current = value;
    for segment in path {
        current = match (segment, current) {
            (PathSegment::Key(k), Value::Object(map)) => map.get(k)?,
            (PathSegment::Index(i), Value::Array(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(current.clone())
}

/// `substring(input, start, stop, reverse)`: ASCII input only, `start < stop <= len`.
pub(crate) fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    let len = input.len();
    if !input.is_ascii() || start >= stop || stop > len {
        return None;
    }
    let range = if reverse {
        len - stop..len - start
    } else {
        start..stop
    };
    input.get(range).map(str::to_owned)
}

/// `uriEncode(value)`: percent-encode all but unreserved characters.
pub(crate) fn uri_encode(value: &str) -> String {
    utf8_percent_encode(value, URI_ENCODE_SET).to_string()
}

/// `isValidHostLabel(value, allowSubDomains)`.
pub(crate) fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        value.split('.').all(is_single_host_label)
    } else {
        is_single_host_label(value)
    }
}

fn is_single_host_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`.
pub(crate) fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    if value.parse::<Ipv4Addr>().is_ok() || value.len() < 3 || value.len() > 63 {
        return false;
    }
    let lowercase = value
        .bytes()
        .all(|b| !b.is_ascii_uppercase() && (b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
    let ends_ok = value.ends_with(|c: char| c.is_ascii_alphanumeric());
    lowercase
        && ends_ok
        && if allow_sub_domains {
            value.split('.').all(is_single_host_label)
        } else {
            is_single_host_label(value)
        }
}

/// `parseURL(url)`: scheme, authority, path, normalizedPath, isIp; `None` for URLs
/// with a query, a fragment, no authority, or a scheme other than http(s).
pub(crate) fn parse_url(url: &str) -> Option<Value> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") || rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return None;
    }
    let normalized = normalize_path(path);
    let fields = [
        ("scheme", Value::from(scheme)),
        ("authority", Value::from(authority)),
        ("path", Value::from(path)),
        ("normalizedPath", Value::from(normalized)),
        ("isIp", Value::Bool(is_ip_authority(authority))),
    ];
    Some(Value::Object(
        fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
    ))
}

/// A path that starts and ends with `/`.
fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        out.push('/');
    }
    out.push_str(path);
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

fn is_ip_authority(authority: &str) -> bool {
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(inner) = host.strip_prefix('[') {
        let addr = inner.split_once(']').map_or(inner, |(a, _)| a);
        return addr.parse::<Ipv6Addr>().is_ok();
    }
    let host = host.split_once(':').map_or(host, |(h, _)| h);
    host.parse::<Ipv4Addr>().is_ok()
}

/// `aws.parseArn(value)`: partition, service, region, accountId and resourceId (the
/// resource split on `:` and `/`).
pub(crate) fn parse_arn(value: &str) -> Option<Value> {
    let mut parts = value.splitn(6, ':');
    let (arn, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource.split([':', '/']).map(Value::from).collect();
    let fields: BTreeMap<String, Value> = [
        ("partition", Value::from(partition)),
        ("service", Value::from(service)),
        ("region", Value::from(region)),
        ("accountId", Value::from(account)),
        ("resourceId", Value::Array(resource_id)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    Some(Value::Object(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(v: &Value, key: &str) -> Value {
        get_attr(v, &parse_path(key).unwrap()).unwrap()
    }

    #[test]
    fn paths_and_get_attr() {
        let arn = parse_arn("arn:aws:s3:us-east-1:123:bucket/key:v").unwrap();
        assert_eq!(field(&arn, "resourceId[2]"), Value::from("v"));
        assert_eq!(field(&arn, "accountId"), Value::from("123"));
        assert_eq!(get_attr(&arn, &parse_path("resourceId[9]").unwrap()), None);
        assert_eq!(parse_path("a[x]"), None);
        assert_eq!(parse_arn("arn:aws:s3:::"), None);
        assert_eq!(parse_arn("nope:aws:s3:r:a:res"), None);
    }

    #[test]
    fn url_parsing() {
        let url = parse_url("https://example.com:8443/base").unwrap();
        assert_eq!(field(&url, "authority"), Value::from("example.com:8443"));
        assert_eq!(field(&url, "normalizedPath"), Value::from("/base/"));
        assert_eq!(field(&url, "isIp"), Value::Bool(false));
        let ip = parse_url("http://127.0.0.1:80").unwrap();
        assert_eq!(field(&ip, "isIp"), Value::Bool(true));
        assert_eq!(field(&ip, "normalizedPath"), Value::from("/"));
        assert_eq!(
            field(&parse_url("http://[::1]/").unwrap(), "isIp"),
            Value::Bool(true)
        );
        assert_eq!(parse_url("https://example.com/?q=1"), None);
        assert_eq!(parse_url("ftp://example.com"), None);
        assert_eq!(parse_url("example.com"), None);
    }

    #[test]
    fn string_functions() {
        assert_eq!(substring("abcdef", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdef", 0, 4, true).as_deref(), Some("cdef"));
        assert_eq!(substring("abc", 1, 4, false), None);
        assert_eq!(substring("ab\u{e9}", 0, 1, false), None);
        assert_eq!(uri_encode("a b/c~"), "a%20b%2Fc~");
        assert!(is_valid_host_label("us-east-1", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("-a", false));
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("My-Bucket", false));
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.0.1", true));
    }
}
