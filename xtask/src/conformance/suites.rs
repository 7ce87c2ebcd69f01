//! botocore's protocol test files and the ignore list, as data.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Map, Value};

/// Whether a file's cases serialize requests or parse responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Input,
    Output,
}

/// One protocol test file.
#[derive(Debug, Clone, Copy)]
pub struct SuiteFile {
    /// How the ignore list and the summary name it, e.g. `input/rest-json`.
    pub name: &'static str,
    /// The file, relative to the workspace.
    pub path: &'static str,
    pub direction: Direction,
    /// The prefix of its modules' names.
    pub module_prefix: &'static str,
    /// Whether modules are named after suites rather than operations (legacy
    /// suites call every operation `OperationName`).
    pub modules_named_after_suites: bool,
}

/// The files that run through the generator.
pub const SUITE_FILES: [SuiteFile; 4] = [
    SuiteFile {
        name: "input/rest-json",
        path: "conformance/protocols/input/rest-json.json",
        direction: Direction::Input,
        module_prefix: "input",
        modules_named_after_suites: false,
    },
    SuiteFile {
        name: "output/rest-json",
        path: "conformance/protocols/output/rest-json.json",
        direction: Direction::Output,
        module_prefix: "output",
        modules_named_after_suites: false,
    },
    SuiteFile {
        name: "legacy/input/rest-json",
        path: "conformance/protocols/legacy/input/rest-json.json",
        direction: Direction::Input,
        module_prefix: "legacy_input",
        modules_named_after_suites: true,
    },
    SuiteFile {
        name: "legacy/output/rest-json",
        path: "conformance/protocols/legacy/output/rest-json.json",
        direction: Direction::Output,
        module_prefix: "legacy_output",
        modules_named_after_suites: true,
    },
];

/// A suite: shapes, and cases that each name one operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Suite {
    pub description: String,
    pub metadata: Map<String, Value>,
    pub shapes: Map<String, Value>,
    /// The endpoint the cases' requests are sent to, for their `host`.
    pub client_endpoint: Option<String>,
    pub cases: Vec<Case>,
}

/// An input or output case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Case {
    pub id: Option<String>,
    pub description: Option<String>,
    /// The operation, as in `service-2.json`.
    pub given: Map<String, Value>,
    pub params: Option<Value>,
    pub serialized: Option<Serialized>,
    pub response: Option<Response>,
    pub result: Option<Value>,
    pub error: Option<Value>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

impl Case {
    /// The case's id; legacy cases have none and are `#n`, 1-based within the suite.
    pub fn id(&self, index: usize) -> String {
        self.id.clone().unwrap_or_else(|| format!("#{}", index + 1))
    }

    /// The operation's name.
    pub fn operation_name(&self) -> &str {
        self.given
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("Operation")
    }
}

/// The request an input case expects.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Serialized {
    pub method: Option<String>,
    pub uri: String,
    pub body: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub forbid_headers: Vec<String>,
    /// Always `Content-Length`, which the transport sets; botocore does not check it either.
    #[serde(rename = "requireHeaders")]
    pub _require_headers: Option<IgnoredAny>,
    /// The host (network location) the request goes to at the suite's `clientEndpoint`.
    pub host: Option<String>,
}

/// The response an output case parses.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    pub status_code: u16,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    pub body: Option<String>,
}

/// `ignore.json`: per suite file, case key (id, or `<suite description> #n`) to reason.
pub type IgnoreList = BTreeMap<String, BTreeMap<String, String>>;

/// The key of a case in the ignore list.
pub fn ignore_key(suite: &Suite, case: &Case, index: usize) -> String {
    match &case.id {
        Some(id) => id.clone(),
        None => format!("{} #{}", suite.description, index + 1),
    }
}
