//! Lower stage for the files beside `service-2.json`: paginators (declared in
//! `paginators-1.json`, or inferred where an operation clearly pages) and
//! waiters (`waiters-2.json`).

use serde_json::Value;

use crate::botocore::{self, PaginatorsFile, Source, WaitersFile};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{Kind, Location, Member, Operation, Service, Structure};

/// Paginators and waiters of a service.
#[derive(Debug, Clone, Default)]
pub struct Companions {
    /// In operation order.
    pub paginators: Vec<Paginator>,
    /// In file order.
    pub waiters: Vec<Waiter>,
    /// Waiters left out because the generator cannot express them, as warnings.
    pub left_out: Vec<Diagnostic>,
}

impl Companions {
    /// The paginator of `operation`, if it pages.
    pub fn paginator(&self, operation: &str) -> Option<&Paginator> {
        self.paginators.iter().find(|p| p.operation == operation)
    }

    /// The waiters polling `operation`.
    pub fn waiters_of<'a>(&'a self, operation: &'a str) -> impl Iterator<Item = &'a Waiter> {
        self.waiters
            .iter()
            .filter(move |w| w.operation == operation)
    }
}

/// How an operation pages: member names of its input and output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paginator {
    pub operation: String,
    /// The input member that takes the token.
    pub input_token: String,
    /// The output member that carries the next token.
    pub output_token: String,
    /// The input member that sets the page size.
    pub limit_key: Option<String>,
    /// The path of output members to the list holding the items
    /// (`["ResourceCollection", "CloudFormation", "StackNames"]`).
    pub items: Option<Vec<String>>,
    /// The shape of one item, when `items` leads to a list.
    pub item_shape: Option<String>,
    /// Inferred from the shapes; the model declares no paginator.
    pub inferred: bool,
}

/// A waiter: poll an operation until an acceptor decides.
#[derive(Debug, Clone)]
pub struct Waiter {
    pub name: String,
    pub operation: String,
    /// Seconds between attempts.
    pub delay: u32,
    pub max_attempts: u32,
    pub acceptors: Vec<Acceptor>,
    pub description: Option<String>,
}

/// One acceptor of a waiter, checked in order.
#[derive(Debug, Clone)]
pub struct Acceptor {
    pub state: AcceptorState,
    pub matcher: Matcher,
}

/// What an acceptor decides when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

/// What an acceptor matches.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// The HTTP status of the response.
    Status(u16),
    /// An error with this code; `None` matches any error (`expected: true`),
    /// and `NoError` matches a success (`expected: false`).
    Error(Option<String>),
    NoError,
    /// A path into the output equals `expected`.
    Path {
        path: String,
        expected: Value,
    },
    /// Every value the path projects equals `expected`.
    PathAll {
        path: String,
        expected: Value,
    },
    /// Some value the path projects equals `expected`.
    PathAny {
        path: String,
        expected: Value,
    },
}

/// Loads paginators and waiters for `service`, inferring paginators the file
/// leaves out.
pub fn lower(
    service: &Service,
    paginators: Option<&Source>,
    waiters: Option<&Source>,
) -> Result<Companions, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let declared = match paginators {
        Some(source) => declared_paginators(service, source, &mut diagnostics)?,
        None => Vec::new(),
    };
    let paginators = service
        .operations
        .iter()
        .filter_map(|op| {
            declared
                .iter()
                .find(|p| p.operation == op.name)
                .cloned()
                .or_else(|| infer_paginator(service, op))
        })
        .collect();
    let mut left_out = Vec::new();
    let waiters = match waiters {
        Some(source) => lower_waiters(service, source, &mut diagnostics, &mut left_out)?,
        None => Vec::new(),
    };
    diagnostics.into_result(Companions {
        paginators,
        waiters,
        left_out,
    })
}

fn declared_paginators(
    service: &Service,
    source: &Source,
    diagnostics: &mut Diagnostics,
) -> Result<Vec<Paginator>, Diagnostic> {
    let file: PaginatorsFile = botocore::parse(source)?;
    let mut paginators = Vec::new();
    for (name, declared) in &file.pagination {
        let path = format!("pagination.{name}");
        let mut report = |field: &str, message: String| {
            let at = if field.is_empty() {
                path.clone()
            } else {
                format!("{path}.{field}")
            };
            diagnostics.push(Diagnostic::new(&source.name, at, message));
        };
        let Some(op) = service.operations.iter().find(|op| &op.name == name) else {
            if !service.is_left_out(name) {
                report("", format!("operation `{name}` does not exist"));
            }
            continue;
        };
        let (input, output) = (input_of(service, op), output_of(service, op));
        let single =
            |field: &str, names: Vec<&str>, report: &mut dyn FnMut(&str, String)| match names
                .as_slice()
            {
                [one] if !one.contains(['.', '[', '|']) => Some((*one).to_owned()),
                _ => {
                    report(
                        field,
                        format!(
                            "`{}`: only a single top-level member is supported",
                            names.join(", ")
                        ),
                    );
                    None
                }
            };
        let input_token = single("input_token", declared.input_token.names(), &mut report);
        let output_token = single("output_token", declared.output_token.names(), &mut report);
        // With several result keys, the first is the items' list.
        let items = declared
            .result_key
            .as_ref()
            .and_then(|keys| keys.names().first().map(|key| key.to_string()))
            .and_then(|key| member_path(&key, &mut report));
        let (Some(input_token), Some(output_token)) = (input_token, output_token) else {
            continue;
        };
        check_member(input, &input_token, "input_token", &mut report);
        check_member(output, &output_token, "output_token", &mut report);
        if let Some(limit) = &declared.limit_key {
            check_member(input, limit, "limit_key", &mut report);
        }
        let item_shape = items.as_deref().and_then(|path| {
            list_item_at(service, output, path)
                .map_err(|message| report("result_key", message))
                .ok()
                .flatten()
        });
        paginators.push(Paginator {
            operation: name.clone(),
            input_token,
            output_token,
            limit_key: declared.limit_key.clone(),
            items,
            item_shape,
            inferred: false,
        });
    }
    Ok(paginators)
}

fn check_member(
    structure: Option<&Structure>,
    member: &str,
    field: &str,
    report: &mut dyn FnMut(&str, String),
) {
    if !structure.is_some_and(|s| s.members.iter().any(|m| m.name == member)) {
        report(field, format!("`{member}` is not a member"));
    }
}

/// A result key's member names: `a.b.c` -> `[a, b, c]`.
fn member_path(key: &str, report: &mut dyn FnMut(&str, String)) -> Option<Vec<String>> {
    let segments: Vec<String> = key.split('.').map(str::to_owned).collect();
    let plain =
        |s: &String| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if segments.iter().all(plain) {
        Some(segments)
    } else {
        report(
            "result_key",
            format!("`{key}`: only member names joined by `.` are supported"),
        );
        None
    }
}

/// Follows `path` through the output's structure members: the item shape when it
/// ends at a list, `None` when it ends elsewhere, an error when a segment is no member.
fn list_item_at(
    service: &Service,
    output: Option<&Structure>,
    path: &[String],
) -> Result<Option<String>, String> {
    let mut structure = output;
    let mut kind = None;
    for (i, segment) in path.iter().enumerate() {
        let member = structure
            .and_then(|s| s.members.iter().find(|m| &m.name == segment))
            .ok_or_else(|| format!("`{}` is not a member", path[..=i].join(".")))?;
        let target = &service.shape(&member.target).kind;
        structure = match target {
            Kind::Structure(s) => Some(s),
            _ => None,
        };
        kind = Some(target);
    }
    Ok(match kind {
        Some(Kind::List(item)) => Some(item.shape.clone()),
        _ => None,
    })
}

fn input_of<'a>(service: &'a Service, op: &Operation) -> Option<&'a Structure> {
    structure(service, op.input.as_deref()?)
}

fn output_of<'a>(service: &'a Service, op: &Operation) -> Option<&'a Structure> {
    structure(service, op.output.as_deref()?)
}

fn structure<'a>(service: &'a Service, shape: &str) -> Option<&'a Structure> {
    match &service.shape(shape).kind {
        Kind::Structure(s) => Some(s),
        _ => None,
    }
}

/// The paginator an operation implies when the model declares none: its input
/// and output both have a string member of the same name that holds a token
/// (`nextToken`, `NextMarker`, ...) and its output has exactly one list member.
/// A page-size member (`maxResults`, `MaxItems`, `limit`, ...) becomes the limit key.
pub fn infer_paginator(service: &Service, op: &Operation) -> Option<Paginator> {
    let (input, output) = (input_of(service, op)?, output_of(service, op)?);
    let is_string = |m: &&Member| matches!(service.shape(&m.target).kind, Kind::String);
    let token = input.members.iter().filter(is_string).find(|m| {
        is_token_name(&m.name)
            && output
                .members
                .iter()
                .filter(is_string)
                .any(|o| o.name == m.name)
    })?;
    let mut lists = output.members.iter().filter(|m| {
        matches!(service.shape(&m.target).kind, Kind::List(_))
            && matches!(m.location, Location::Body { .. })
    });
    let items = lists.next()?;
    if lists.next().is_some() {
        return None;
    }
    let Kind::List(item) = &service.shape(&items.target).kind else {
        return None;
    };
    let limit = input.members.iter().find(|m| {
        matches!(service.shape(&m.target).kind, Kind::Integer | Kind::Long)
            && is_limit_name(&m.name)
    });
    Some(Paginator {
        operation: op.name.clone(),
        input_token: token.name.clone(),
        output_token: token.name.clone(),
        limit_key: limit.map(|m| m.name.clone()),
        items: Some(vec![items.name.clone()]),
        item_shape: Some(item.shape.clone()),
        inferred: true,
    })
}

fn is_token_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with("token") || lower.ends_with("marker")
}

fn is_limit_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "maxresults",
        "maxitems",
        "maxrecords",
        "limit",
        "pagesize",
        "maxpagesize",
    ]
    .contains(&lower.as_str())
}

fn lower_waiters(
    service: &Service,
    source: &Source,
    diagnostics: &mut Diagnostics,
    left_out: &mut Vec<Diagnostic>,
) -> Result<Vec<Waiter>, Diagnostic> {
    let file: WaitersFile = botocore::parse(source)?;
    let mut waiters = Vec::new();
    for (name, waiter) in &file.waiters {
        let path = format!("waiters.{name}");
        if !service
            .operations
            .iter()
            .any(|op| op.name == waiter.operation)
        {
            if !service.is_left_out(&waiter.operation) {
                diagnostics.push(Diagnostic::new(
                    &source.name,
                    format!("{path}.operation"),
                    format!("operation `{}` does not exist", waiter.operation),
                ));
            }
            continue;
        }
        let acceptors: Result<Vec<Acceptor>, (usize, String)> = waiter
            .acceptors
            .iter()
            .enumerate()
            .map(|(i, acceptor)| lower_acceptor(acceptor).map_err(|message| (i, message)))
            .collect();
        // A waiter with an acceptor the runtime cannot evaluate would decide
        // wrongly; it is left out whole, and the operation still generates.
        let acceptors = match acceptors {
            Ok(acceptors) => acceptors,
            Err((i, message)) => {
                left_out.push(Diagnostic::new(
                    &source.name,
                    format!("{path}.acceptors[{i}]"),
                    format!("left out waiter `{name}`: {message}"),
                ));
                continue;
            }
        };
        waiters.push(Waiter {
            name: name.clone(),
            operation: waiter.operation.clone(),
            delay: waiter.delay,
            max_attempts: waiter.max_attempts,
            acceptors,
            description: waiter.description.clone(),
        });
    }
    Ok(waiters)
}

fn lower_acceptor(acceptor: &botocore::Acceptor) -> Result<Acceptor, String> {
    let state = match acceptor.state.as_str() {
        "success" => AcceptorState::Success,
        "failure" => AcceptorState::Failure,
        "retry" => AcceptorState::Retry,
        other => return Err(format!("unknown acceptor state `{other}`")),
    };
    let expected = acceptor.expected.clone();
    let path = || -> Result<String, String> {
        let path = acceptor
            .argument
            .clone()
            .ok_or("a path matcher needs an `argument`")?;
        check_path(&path)?;
        Ok(path)
    };
    let matcher = match acceptor.matcher.as_str() {
        "status" => Matcher::Status(
            expected
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .ok_or("a status matcher expects an HTTP status")?,
        ),
        "error" => match expected {
            Value::String(code) => Matcher::Error(Some(code)),
            Value::Bool(true) => Matcher::Error(None),
            Value::Bool(false) => Matcher::NoError,
            _ => return Err("an error matcher expects a code or a boolean".to_owned()),
        },
        "path" => Matcher::Path {
            path: path()?,
            expected,
        },
        "pathAll" => Matcher::PathAll {
            path: path()?,
            expected,
        },
        "pathAny" => Matcher::PathAny {
            path: path()?,
            expected,
        },
        other => return Err(format!("unknown matcher `{other}`")),
    };
    Ok(Acceptor { state, matcher })
}

/// Waiter paths the runtime evaluates: member names joined by `.`, each
/// optionally followed by `[]` to project over a list, or `length(<path>)`.
fn check_path(path: &str) -> Result<(), String> {
    let inner = path
        .strip_prefix("length(")
        .and_then(|p| p.strip_suffix(')'))
        .unwrap_or(path);
    let valid = !inner.is_empty()
        && inner.split('.').all(|segment| {
            let name = segment.strip_suffix("[]").unwrap_or(segment);
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "waiter path `{path}` is not supported (member names, `[]` projections and `length(..)` are)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supported_waiter_paths() {
        for path in [
            "state",
            "Table.TableStatus",
            "Items[].State",
            "length(Items[]) ",
        ] {
            let result = check_path(path.trim());
            assert!(result.is_ok(), "{path}: {result:?}");
        }
        for path in ["Items[0].State", "a || b", "contains(x, 'y')", ""] {
            assert!(check_path(path).is_err(), "{path}");
        }
    }
}
