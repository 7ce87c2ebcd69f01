//! Endpoint resolution: an interpreter of the Smithy endpoint rules language.
//!
//! The runtime evaluates the model's `endpoint-rule-set-1.json` (with the partition
//! data) instead of having the generator compile rules into Rust: the interpreter is
//! service-agnostic, it is verified directly against the published endpoint test
//! vectors, and it runs once per client (the result is cached in the client handle), so
//! it adds no per-call cost.

mod functions;
mod partition;
mod rules;
mod value;

use std::collections::BTreeMap;
use std::fmt;

pub use partition::Partitions;
pub use rules::RuleSet;
pub use value::Value;

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// The endpoint URL, e.g. `https://ivschat.us-east-1.amazonaws.com`.
    pub url: String,
    /// Headers the rules ask every request to carry.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Rule-defined properties (e.g. `authSchemes`), as JSON; `null` when none.
    pub properties: serde_json::Value,
}

/// Endpoint resolution failed; `Display` is the rule set's exact message
/// (e.g. `Invalid Configuration: Missing Region`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl EndpointError {
    /// An error with `message`, as produced by an error rule.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// A malformed rule set or partition document.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(format!("invalid endpoint rules: {}", message.into()))
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}

/// The client settings that rule-set parameters bind to through their `builtIn`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuiltIns {
    /// `AWS::Region`.
    pub region: Option<String>,
    /// `AWS::UseFIPS`.
    pub use_fips: bool,
    /// `AWS::UseDualStack`.
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`: an endpoint URL override.
    pub endpoint: Option<String>,
}

impl BuiltIns {
    fn value(&self, built_in: &str) -> Option<Value> {
        match built_in {
            "AWS::Region" => self.region.clone().map(Value::String),
            "AWS::UseFIPS" => Some(Value::Bool(self.use_fips)),
            "AWS::UseDualStack" => Some(Value::Bool(self.use_dual_stack)),
            "SDK::Endpoint" => self.endpoint.clone().map(Value::String),
            _ => None,
        }
    }
}

/// A rule set together with the partition data it needs.
#[derive(Debug)]
pub struct EndpointResolver {
    rules: RuleSet,
    partitions: Partitions,
}

impl EndpointResolver {
    /// Parses both JSON documents.
    pub fn new(rules_json: &str, partitions_json: &str) -> Result<Self, EndpointError> {
        Ok(Self {
            rules: RuleSet::parse(rules_json)?,
            partitions: Partitions::parse(partitions_json)?,
        })
    }

    /// Resolves with explicit parameters (name → value), as the test vectors give them.
    pub fn resolve(&self, params: &BTreeMap<String, Value>) -> Result<Endpoint, EndpointError> {
        self.rules.evaluate(params, &self.partitions)
    }

    /// Resolves with parameters taken from client settings via their `builtIn`.
    pub fn resolve_built_ins(&self, built_ins: &BuiltIns) -> Result<Endpoint, EndpointError> {
        let params = self
            .rules
            .params
            .iter()
            .filter_map(|p| Some((p.name.clone(), built_ins.value(p.built_in.as_deref()?)?)))
            .collect();
        self.resolve(&params)
    }
}
