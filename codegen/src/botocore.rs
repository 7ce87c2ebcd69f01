//! Load stage: a serde mirror of botocore's model files.
//!
//! Every struct denies unknown keys, so a key the generator has never seen is a
//! diagnostic rather than a feature silently dropped. Keys that only carry
//! information for other protocols or tools are accepted here and judged by the
//! lowering stage.

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostic::Diagnostic;

/// The text of one model file and the name diagnostics use for it.
#[derive(Debug, Clone)]
pub struct Source {
    /// How diagnostics name the file, e.g. `model/ivschat/2020-07-14/service-2.json`.
    pub name: String,
    /// The file's JSON text.
    pub text: String,
}

impl Source {
    /// A named source text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// Parses `source` as `T`; an error names the file and the JSON path.
pub fn parse<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    let deserializer = &mut serde_json::Deserializer::from_str(&source.text);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let path = if path == "." { String::new() } else { path };
        Diagnostic::new(&source.name, path, error.into_inner().to_string())
    })
}

/// `service-2.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceModel {
    pub version: Option<String>,
    pub metadata: Metadata,
    pub operations: IndexMap<String, Operation>,
    pub shapes: IndexMap<String, Shape>,
    pub documentation: Option<String>,
    pub client_context_params: Option<Value>,
    pub examples: Option<Value>,
    pub deprecated: Option<bool>,
    pub deprecated_message: Option<String>,
}

/// `metadata` of `service-2.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Metadata {
    pub api_version: String,
    pub endpoint_prefix: Option<String>,
    pub json_version: Option<String>,
    pub protocol: String,
    pub protocols: Option<Vec<String>>,
    pub service_abbreviation: Option<String>,
    pub service_full_name: Option<String>,
    pub service_id: Option<String>,
    pub signature_version: Option<String>,
    pub signing_name: Option<String>,
    pub uid: Option<String>,
    pub auth: Option<Vec<String>>,
    pub target_prefix: Option<String>,
    pub xml_namespace: Option<String>,
    pub protocol_settings: Option<Value>,
    pub checksum_format: Option<String>,
    pub aws_query_compatible: Option<Value>,
    pub rip_service_name: Option<String>,
    pub global_endpoint: Option<String>,
}

/// One operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Operation {
    pub name: String,
    pub http: Http,
    pub input: Option<ShapeRef>,
    pub output: Option<ShapeRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    pub documentation: Option<String>,
    pub documentation_url: Option<String>,
    pub idempotent: Option<bool>,
    pub readonly: Option<bool>,
    pub endpoint: Option<OperationEndpoint>,
    pub http_checksum_required: Option<bool>,
    pub http_checksum: Option<Value>,
    pub static_context_params: Option<Value>,
    pub operation_context_params: Option<Value>,
    pub deprecated: Option<bool>,
    pub deprecated_message: Option<String>,
    pub deprecated_since: Option<String>,
    pub endpointdiscovery: Option<Value>,
    pub endpointoperation: Option<bool>,
    pub authtype: Option<String>,
    pub auth: Option<Vec<String>>,
    pub unsigned_payload: Option<bool>,
    pub requestcompression: Option<Value>,
    pub alias: Option<String>,
}

/// `endpoint` of an operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OperationEndpoint {
    /// Text put in front of the endpoint's host, with `{Member}` host labels.
    pub host_prefix: Option<String>,
}

/// `http` of an operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Http {
    pub method: String,
    pub request_uri: String,
    pub response_code: Option<u16>,
}

/// A reference to a shape: a member, an operation's input/output/error, a list member.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ShapeRef {
    pub shape: String,
    pub documentation: Option<String>,
    pub location: Option<String>,
    pub location_name: Option<String>,
    pub query_name: Option<String>,
    pub idempotency_token: Option<bool>,
    #[serde(rename = "box")]
    pub boxed: Option<bool>,
    pub deprecated: Option<bool>,
    pub deprecated_message: Option<String>,
    pub deprecated_since: Option<String>,
    pub result_wrapper: Option<String>,
    pub wrapper: Option<bool>,
    pub context_param: Option<Value>,
    pub host_label: Option<bool>,
    pub xml_namespace: Option<Value>,
    pub xml_attribute: Option<bool>,
    pub jsonvalue: Option<bool>,
    pub eventpayload: Option<bool>,
    pub flattened: Option<bool>,
    pub streaming: Option<bool>,
    pub timestamp_format: Option<String>,
    pub sensitive: Option<bool>,
    pub exception: Option<bool>,
    pub error: Option<Value>,
    pub fault: Option<bool>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
}

/// One shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub members: IndexMap<String, ShapeRef>,
    #[serde(default)]
    pub required: Vec<String>,
    pub member: Option<ShapeRef>,
    pub key: Option<ShapeRef>,
    pub value: Option<ShapeRef>,
    pub documentation: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    pub error: Option<ErrorTrait>,
    pub exception: Option<bool>,
    pub fault: Option<bool>,
    pub retryable: Option<Value>,
    pub union: Option<bool>,
    pub timestamp_format: Option<String>,
    pub sensitive: Option<bool>,
    #[serde(rename = "box")]
    pub boxed: Option<bool>,
    pub document: Option<bool>,
    pub synthetic: Option<bool>,
    pub wrapper: Option<bool>,
    pub payload: Option<String>,
    pub location_name: Option<String>,
    pub flattened: Option<bool>,
    pub deprecated: Option<bool>,
    pub deprecated_message: Option<String>,
    pub deprecated_since: Option<String>,
    pub event: Option<bool>,
    pub eventstream: Option<bool>,
    pub streaming: Option<bool>,
    pub sparse: Option<bool>,
    pub xml_order: Option<Vec<String>>,
    pub requires_length: Option<bool>,
    pub xml_namespace: Option<Value>,
}

/// `error` of an exception shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ErrorTrait {
    pub code: Option<String>,
    pub http_status_code: Option<u16>,
    pub sender_fault: Option<bool>,
    pub fault: Option<bool>,
}

/// `paginators-1.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginatorsFile {
    pub pagination: IndexMap<String, Paginator>,
}

/// One paginator. Tokens and keys are single names or lists of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Paginator {
    pub input_token: OneOrMany,
    pub output_token: OneOrMany,
    pub limit_key: Option<String>,
    pub result_key: Option<OneOrMany>,
    pub more_results: Option<String>,
    pub non_aggregate_keys: Option<Vec<String>>,
}

/// A name or a list of names.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    /// The names, in order.
    pub fn names(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(name) => vec![name.as_str()],
            OneOrMany::Many(names) => names.iter().map(String::as_str).collect(),
        }
    }
}

/// `waiters-2.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitersFile {
    pub version: u32,
    pub waiters: IndexMap<String, Waiter>,
}

/// One waiter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Waiter {
    pub operation: String,
    pub delay: u32,
    pub max_attempts: u32,
    pub acceptors: Vec<Acceptor>,
    pub description: Option<String>,
}

/// One acceptor of a waiter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Acceptor {
    pub state: String,
    pub matcher: String,
    pub expected: Value,
    pub argument: Option<String>,
}
