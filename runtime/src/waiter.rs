//! Waiters: poll an operation until one of its acceptors says success or
//! failure, with the model's delay between attempts, within a time limit.

use std::fmt;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use crate::error::SdkError;
use crate::handle::Handle;
use crate::operation::{Operation, send};

/// What an acceptor decides when it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

/// What an acceptor matches.
#[derive(Clone, Copy, Debug)]
pub enum Matcher {
    /// The HTTP status of the response (success or error).
    Status(u16),
    /// An error with this code.
    ErrorCode(&'static str),
    /// Any error.
    AnyError,
    /// Any success.
    NoError,
    /// The value at a path of the output (JSON) equals `expected` (JSON text).
    Path {
        path: &'static str,
        expected: &'static str,
    },
    /// Every value the path projects equals `expected`; false when there are none.
    PathAll {
        path: &'static str,
        expected: &'static str,
    },
    /// Some value the path projects equals `expected`.
    PathAny {
        path: &'static str,
        expected: &'static str,
    },
}

/// One acceptor: when `matcher` matches, the waiter enters `state`.
#[derive(Clone, Copy, Debug)]
pub struct Acceptor {
    pub state: AcceptorState,
    pub matcher: Matcher,
}

/// The model's polling schedule.
#[derive(Clone, Copy, Debug)]
pub struct Schedule {
    /// Delay between attempts.
    pub delay: Duration,
    /// Attempts before giving up.
    pub max_attempts: u32,
}

/// Why a waiter stopped without success.
#[derive(Debug)]
pub enum WaiterError<E> {
    /// A failure acceptor matched this response.
    Failure(Box<Outcome<E>>),
    /// No acceptor matched an error; the waiter cannot continue.
    Unexpected(SdkError<E>),
    /// The attempts or the time allowed ran out.
    Exhausted { attempts: u32, elapsed: Duration },
}

/// What the last attempt returned.
pub type Outcome<E> = Result<Value, SdkError<E>>;

impl<E: fmt::Debug + fmt::Display> fmt::Display for WaiterError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Failure(outcome) => match outcome.as_ref() {
                Ok(output) => write!(f, "the waiter reached a failure state: {output}"),
                Err(e) => write!(f, "the waiter reached a failure state: {e}"),
            },
            Self::Unexpected(e) => write!(f, "the waiter stopped on an unexpected error: {e}"),
            Self::Exhausted { attempts, elapsed } => {
                write!(
                    f,
                    "the waiter gave up after {attempts} attempts in {elapsed:?}"
                )
            }
        }
    }
}

impl<E: fmt::Debug + fmt::Display + std::error::Error + 'static> std::error::Error
    for WaiterError<E>
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Unexpected(e) => Some(e),
            _ => None,
        }
    }
}

/// Polls `input` until an acceptor decides, at most `max_wait`.
pub async fn wait<O>(
    handle: &Handle,
    input: O,
    schedule: Schedule,
    acceptors: &[Acceptor],
    max_wait: Duration,
) -> Result<O::Output, WaiterError<O::Error>>
where
    O: Operation + Clone,
    O::Output: Serialize,
    O::Error: ErrorCode,
{
    let started = Instant::now();
    for attempt in 1..=schedule.max_attempts {
        let result = send(handle, input.clone()).await;
        match decide(&result, acceptors) {
            Some(AcceptorState::Success) => {
                return result.map_err(WaiterError::Unexpected);
            }
            Some(AcceptorState::Failure) => {
                let outcome = result.map(|output| to_json(&output));
                return Err(WaiterError::Failure(Box::new(outcome)));
            }
            Some(AcceptorState::Retry) => {}
            None => {
                if let Err(e) = result {
                    return Err(WaiterError::Unexpected(e));
                }
            }
        }
        let elapsed = started.elapsed();
        if attempt == schedule.max_attempts || elapsed + schedule.delay > max_wait {
            return Err(WaiterError::Exhausted {
                attempts: attempt,
                elapsed,
            });
        }
        tokio::time::sleep(schedule.delay).await;
    }
    Err(WaiterError::Exhausted {
        attempts: schedule.max_attempts,
        elapsed: started.elapsed(),
    })
}

/// The error code of an operation's typed error.
pub trait ErrorCode {
    /// The code the service sent, if any.
    fn code(&self) -> Option<&str>;
}

/// The state of the first acceptor that matches.
fn decide<T: Serialize, E: ErrorCode>(
    result: &Result<T, SdkError<E>>,
    acceptors: &[Acceptor],
) -> Option<AcceptorState> {
    let output = result.as_ref().ok().map(to_json);
    acceptors
        .iter()
        .find(|a| matches(&a.matcher, result, output.as_ref()))
        .map(|a| a.state)
}

fn matches<T, E: ErrorCode>(
    matcher: &Matcher,
    result: &Result<T, SdkError<E>>,
    output: Option<&Value>,
) -> bool {
    match (*matcher, result) {
        (Matcher::Status(status), Ok(_)) => (200..300).contains(&status),
        (Matcher::Status(status), Err(e)) => e.status().is_some_and(|s| s.as_u16() == status),
        (Matcher::ErrorCode(code), Err(e)) => error_code(e) == Some(code),
        (Matcher::AnyError, Err(_)) | (Matcher::NoError, Ok(_)) => true,
        (Matcher::Path { path, expected }, Ok(_)) => output.is_some_and(|o| {
            search(o, path).is_some_and(|found| found == expected_value(expected))
        }),
        (Matcher::PathAll { path, expected }, Ok(_)) => output.is_some_and(|o| {
            let found = projected(o, path);
            !found.is_empty() && found.iter().all(|v| *v == expected_value(expected))
        }),
        (Matcher::PathAny { path, expected }, Ok(_)) => output.is_some_and(|o| {
            projected(o, path)
                .iter()
                .any(|v| *v == expected_value(expected))
        }),
        _ => false,
    }
}

fn error_code<E: ErrorCode>(error: &SdkError<E>) -> Option<&str> {
    match error {
        SdkError::ServiceError(e) => e.err().code(),
        _ => None,
    }
}

fn to_json<T: Serialize>(output: &T) -> Value {
    serde_json::to_value(output).unwrap_or(Value::Null)
}

fn expected_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Evaluates a waiter path: member names joined by `.`, `name[]` projecting
/// over a list, and `length(path)`.
pub fn search(value: &Value, path: &str) -> Option<Value> {
    if let Some(inner) = path
        .strip_prefix("length(")
        .and_then(|p| p.strip_suffix(')'))
    {
        return Some(match search(value, inner)? {
            Value::Array(items) => Value::from(items.len()),
            Value::String(text) => Value::from(text.chars().count()),
            Value::Object(map) => Value::from(map.len()),
            _ => return None,
        });
    }
    let mut current = vec![value.clone()];
    let mut projected = false;
    for segment in path.split('.') {
        let (name, flatten) = match segment.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (segment, false),
        };
        let mut next = Vec::new();
        for item in &current {
            match item.get(name) {
                Some(Value::Array(items)) if flatten => next.extend(items.iter().cloned()),
                Some(found) if !flatten => next.push(found.clone()),
                _ => {}
            }
        }
        projected |= flatten;
        current = next;
    }
    if projected {
        Some(Value::Array(current))
    } else {
        current.into_iter().next()
    }
}

/// The values a path projects (a single value counts as one).
fn projected(value: &Value, path: &str) -> Vec<Value> {
    match search(value, path) {
        Some(Value::Array(items)) => items,
        Some(other) => vec![other],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_select_project_and_count() {
        let output = json!({
            "state": "READY",
            "table": {"status": "ACTIVE"},
            "items": [{"state": "A"}, {"state": "B"}]
        });
        assert_eq!(search(&output, "state"), Some(json!("READY")));
        assert_eq!(search(&output, "table.status"), Some(json!("ACTIVE")));
        assert_eq!(search(&output, "items[].state"), Some(json!(["A", "B"])));
        assert_eq!(search(&output, "length(items[])"), Some(json!(2)));
        assert_eq!(search(&output, "missing"), None);
        assert_eq!(
            projected(&output, "items[].state"),
            [json!("A"), json!("B")]
        );
    }

    struct Code(&'static str);

    impl ErrorCode for Code {
        fn code(&self) -> Option<&str> {
            Some(self.0)
        }
    }

    #[test]
    fn first_matching_acceptor_decides() {
        let acceptors = [
            Acceptor {
                state: AcceptorState::Success,
                matcher: Matcher::Path {
                    path: "state",
                    expected: "\"READY\"",
                },
            },
            Acceptor {
                state: AcceptorState::Failure,
                matcher: Matcher::PathAny {
                    path: "items[].state",
                    expected: "\"FAILED\"",
                },
            },
        ];
        let ready: Result<Value, SdkError<Code>> = Ok(json!({"state": "READY"}));
        assert_eq!(decide(&ready, &acceptors), Some(AcceptorState::Success));
        let failed: Result<Value, SdkError<Code>> =
            Ok(json!({"state": "PENDING", "items": [{"state": "FAILED"}]}));
        assert_eq!(decide(&failed, &acceptors), Some(AcceptorState::Failure));
        let pending: Result<Value, SdkError<Code>> = Ok(json!({"state": "PENDING"}));
        assert_eq!(decide(&pending, &acceptors), None);
    }
}
