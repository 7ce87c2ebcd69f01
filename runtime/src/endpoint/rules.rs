//! Parsing and evaluation of an endpoint rule set (`endpoint-rule-set-1.json`).

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value as Json};

use super::functions::{self, PathSegment};
use super::partition::Partitions;
use super::value::Value;
use super::{Endpoint, EndpointError};

/// Names bound while evaluating: parameters plus condition `assign`s.
type Scope = HashMap<String, Value>;

/// A declared rule-set parameter.
#[derive(Debug, Clone)]
pub(crate) struct ParamSpec {
    pub(crate) name: String,
    pub(crate) built_in: Option<String>,
    pub(crate) required: bool,
    pub(crate) default: Option<Value>,
}

/// An expression: a literal (strings are templates), a reference or a function call.
#[derive(Debug, Clone)]
enum Expr {
    Template(Vec<TemplatePart>),
    Bool(bool),
    Int(i64),
    Array(Vec<Expr>),
    Object(Vec<(String, Expr)>),
    Ref(String),
    Call(Call),
}

#[derive(Debug, Clone)]
enum TemplatePart {
    Literal(String),
    Ref(String),
    Attr(String, Vec<PathSegment>),
}

#[derive(Debug, Clone)]
struct Call {
    name: String,
    args: Vec<Expr>,
}

#[derive(Debug, Clone)]
struct Condition {
    call: Call,
    assign: Option<String>,
}

#[derive(Debug, Clone)]
struct Rule {
    conditions: Vec<Condition>,
    kind: RuleKind,
}

#[derive(Debug, Clone)]
enum RuleKind {
    Endpoint(EndpointSpec),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug, Clone)]
struct EndpointSpec {
    url: Expr,
    headers: Vec<(String, Vec<Expr>)>,
    properties: Option<Expr>,
}

/// A parsed rule set, ready to evaluate.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub(crate) params: Vec<ParamSpec>,
    rules: Vec<Rule>,
}

impl RuleSet {
    /// Parses an `endpoint-rule-set-1.json` document.
    pub fn parse(json: &str) -> Result<Self, EndpointError> {
        let doc: Json = serde_json::from_str(json)
            .map_err(|e| EndpointError::invalid(format!("rule set JSON: {e}")))?;
        let params = object(&doc, "parameters")?
            .iter()
            .map(|(name, spec)| parse_param(name, spec))
            .collect::<Result<_, _>>()?;
        let rules = parse_rules(array(&doc, "rules")?)?;
        Ok(Self { params, rules })
    }

    /// Evaluates the rules with `params` (parameter name → value); missing parameters
    /// take their declared default.
    pub fn evaluate(
        &self,
        params: &BTreeMap<String, Value>,
        partitions: &Partitions,
    ) -> Result<Endpoint, EndpointError> {
        let mut scope = Scope::new();
        for spec in &self.params {
            let value = params.get(&spec.name).cloned().or(spec.default.clone());
            match value {
                Some(value) => {
                    scope.insert(spec.name.clone(), value);
                }
                None if spec.required => {
                    return Err(EndpointError::new(format!(
                        "Missing required parameter: {}",
                        spec.name
                    )));
                }
                None => {}
            }
        }
        let eval = Evaluator { partitions };
        eval.rules(&self.rules, &scope)?
            .ok_or_else(|| EndpointError::new("No endpoint rule matched"))
    }
}

// ---- parsing ----

fn object<'a>(json: &'a Json, key: &str) -> Result<&'a Map<String, Json>, EndpointError> {
    json.get(key)
        .and_then(Json::as_object)
        .ok_or_else(|| EndpointError::invalid(format!("expected object `{key}`")))
}

fn array<'a>(json: &'a Json, key: &str) -> Result<&'a Vec<Json>, EndpointError> {
    json.get(key)
        .and_then(Json::as_array)
        .ok_or_else(|| EndpointError::invalid(format!("expected array `{key}`")))
}

fn string<'a>(json: &'a Json, key: &str) -> Result<&'a str, EndpointError> {
    json.get(key)
        .and_then(Json::as_str)
        .ok_or_else(|| EndpointError::invalid(format!("expected string `{key}`")))
}

fn parse_param(name: &str, spec: &Json) -> Result<ParamSpec, EndpointError> {
    Ok(ParamSpec {
        name: name.to_owned(),
        built_in: spec
            .get("builtIn")
            .and_then(Json::as_str)
            .map(str::to_owned),
        required: spec
            .get("required")
            .and_then(Json::as_bool)
            .unwrap_or(false),
        default: spec.get("default").and_then(Value::from_json),
    })
}

fn parse_rules(rules: &[Json]) -> Result<Vec<Rule>, EndpointError> {
    rules.iter().map(parse_rule).collect()
}

fn parse_rule(rule: &Json) -> Result<Rule, EndpointError> {
    let conditions = array(rule, "conditions")?
        .iter()
        .map(parse_condition)
        .collect::<Result<_, _>>()?;
    let kind = match string(rule, "type")? {
        "endpoint" => {
            RuleKind::Endpoint(parse_endpoint(rule.get("endpoint").ok_or_else(|| {
                EndpointError::invalid("endpoint rule without `endpoint`")
            })?)?)
        }
        "error" => RuleKind::Error(parse_expr(
            rule.get("error")
                .ok_or_else(|| EndpointError::invalid("error rule without `error`"))?,
        )?),
        "tree" => RuleKind::Tree(parse_rules(array(rule, "rules")?)?),
        other => {
            return Err(EndpointError::invalid(format!(
                "unknown rule type `{other}`"
            )));
        }
    };
    Ok(Rule { conditions, kind })
}

fn parse_condition(json: &Json) -> Result<Condition, EndpointError> {
    Ok(Condition {
        call: parse_call(json)?,
        assign: json.get("assign").and_then(Json::as_str).map(str::to_owned),
    })
}

/// The library functions this evaluator implements.
const FUNCTIONS: [&str; 12] = [
    "isSet",
    "not",
    "booleanEquals",
    "stringEquals",
    "getAttr",
    "substring",
    "uriEncode",
    "parseURL",
    "isValidHostLabel",
    "aws.partition",
    "aws.parseArn",
    "aws.isVirtualHostableS3Bucket",
];

fn parse_call(json: &Json) -> Result<Call, EndpointError> {
    let name = string(json, "fn")?;
    if !FUNCTIONS.contains(&name) {
        return Err(EndpointError::invalid(format!(
            "unsupported function `{name}`"
        )));
    }
    Ok(Call {
        name: name.to_owned(),
        args: array(json, "argv")?
            .iter()
            .map(parse_expr)
            .collect::<Result<_, _>>()?,
    })
}

fn parse_endpoint(json: &Json) -> Result<EndpointSpec, EndpointError> {
    let url = parse_expr(
        json.get("url")
            .ok_or_else(|| EndpointError::invalid("endpoint without `url`"))?,
    )?;
    let headers = match json.get("headers").and_then(Json::as_object) {
        Some(map) => map
            .iter()
            .map(|(name, values)| {
                let values = values
                    .as_array()
                    .ok_or_else(|| EndpointError::invalid("header values must be an array"))?;
                Ok((
                    name.clone(),
                    values.iter().map(parse_expr).collect::<Result<_, _>>()?,
                ))
            })
            .collect::<Result<_, EndpointError>>()?,
        None => Vec::new(),
    };
    let properties = json.get("properties").map(parse_expr).transpose()?;
    Ok(EndpointSpec {
        url,
        headers,
        properties,
    })
}

fn parse_expr(json: &Json) -> Result<Expr, EndpointError> {
    Ok(match json {
        Json::String(s) => Expr::Template(parse_template(s)?),
        Json::Bool(b) => Expr::Bool(*b),
        Json::Number(n) => Expr::Int(
            n.as_i64()
                .ok_or_else(|| EndpointError::invalid("non-integer number in rule set"))?,
        ),
        Json::Array(items) => Expr::Array(items.iter().map(parse_expr).collect::<Result<_, _>>()?),
        Json::Object(map) if map.contains_key("ref") => Expr::Ref(string(json, "ref")?.to_owned()),
        Json::Object(map) if map.contains_key("fn") => Expr::Call(parse_call(json)?),
        Json::Object(map) => Expr::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), parse_expr(v)?)))
                .collect::<Result<_, EndpointError>>()?,
        ),
        Json::Null => return Err(EndpointError::invalid("null in rule set")),
    })
}

/// Splits `"https://svc.{Region}.{PartitionResult#dnsSuffix}"` into parts; `{{` and
/// `}}` are literal braces.
fn parse_template(text: &str) -> Result<Vec<TemplatePart>, EndpointError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        literal.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            literal.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        let end = tail
            .find('}')
            .filter(|_| tail.starts_with('{'))
            .ok_or_else(|| EndpointError::invalid(format!("unbalanced braces in `{text}`")))?;
        if !literal.is_empty() {
            parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
        }
        parts.push(template_reference(&tail[1..end], text)?);
        rest = &tail[end + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() || parts.is_empty() {
        parts.push(TemplatePart::Literal(literal));
    }
    Ok(parts)
}

fn template_reference(inner: &str, text: &str) -> Result<TemplatePart, EndpointError> {
    match inner.split_once('#') {
        Some((name, path)) => functions::parse_path(path)
            .map(|p| TemplatePart::Attr(name.to_owned(), p))
            .ok_or_else(|| EndpointError::invalid(format!("bad attribute path in `{text}`"))),
        None => Ok(TemplatePart::Ref(inner.to_owned())),
    }
}

// ---- evaluation ----

struct Evaluator<'a> {
    partitions: &'a Partitions,
}

impl Evaluator<'_> {
    /// The first matching rule's outcome; `Ok(None)` when no rule matches.
    fn rules(&self, rules: &[Rule], scope: &Scope) -> Result<Option<Endpoint>, EndpointError> {
        for rule in rules {
            let mut scope = scope.clone();
            if !self.conditions_hold(&rule.conditions, &mut scope) {
                continue;
            }
            return match &rule.kind {
                RuleKind::Endpoint(spec) => self.endpoint(spec, &scope).map(Some),
                RuleKind::Error(message) => Err(EndpointError::new(
                    self.expr(message, &scope)
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_else(|| "endpoint rule error".to_owned()),
                )),
                // A tree whose conditions matched is terminal: its rules must match.
                RuleKind::Tree(children) => {
                    self.rules(children, &scope)?.map(Some).ok_or_else(|| {
                        EndpointError::new("No endpoint rule matched in a matching tree rule")
                    })
                }
            };
        }
        Ok(None)
    }

    /// Evaluates conditions in order, binding `assign`s; false on the first unset/false.
    fn conditions_hold(&self, conditions: &[Condition], scope: &mut Scope) -> bool {
        conditions.iter().all(|condition| {
            let value = self.call(&condition.call, scope);
            let holds = !matches!(value, None | Some(Value::Bool(false)));
            if let (true, Some(name), Some(value)) = (holds, &condition.assign, value) {
                scope.insert(name.clone(), value);
            }
            holds
        })
    }

    fn endpoint(&self, spec: &EndpointSpec, scope: &Scope) -> Result<Endpoint, EndpointError> {
        let url = self
            .expr(&spec.url, scope)
            .and_then(|v| v.as_str().map(str::to_owned))
            .ok_or_else(|| EndpointError::new("endpoint URL did not evaluate to a string"))?;
        let headers = spec
            .headers
            .iter()
            .map(|(name, values)| {
                let values = values
                    .iter()
                    .filter_map(|v| self.expr(v, scope)?.as_str().map(str::to_owned))
                    .collect();
                (name.clone(), values)
            })
            .collect();
        let properties = spec
            .properties
            .as_ref()
            .and_then(|p| self.expr(p, scope))
            .map_or(serde_json::Value::Null, |v| v.to_json());
        Ok(Endpoint {
            url,
            headers,
            properties,
        })
    }

    fn expr(&self, expr: &Expr, scope: &Scope) -> Option<Value> {
        match expr {
            Expr::Template(parts) => self.template(parts, scope).map(Value::String),
            Expr::Bool(b) => Some(Value::Bool(*b)),
            Expr::Int(i) => Some(Value::Int(*i)),
            Expr::Array(items) => Some(Value::Array(
                items.iter().filter_map(|e| self.expr(e, scope)).collect(),
            )),
            Expr::Object(fields) => Some(Value::Object(
                fields
                    .iter()
                    .filter_map(|(k, e)| Some((k.clone(), self.expr(e, scope)?)))
                    .collect(),
            )),
            Expr::Ref(name) => scope.get(name).cloned(),
            Expr::Call(call) => self.call(call, scope),
        }
    }

    fn template(&self, parts: &[TemplatePart], scope: &Scope) -> Option<String> {
        let mut out = String::new();
        for part in parts {
            match part {
                TemplatePart::Literal(text) => out.push_str(text),
                TemplatePart::Ref(name) => out.push_str(scope.get(name)?.as_str()?),
                TemplatePart::Attr(name, path) => {
                    let value = functions::get_attr(scope.get(name)?, path)?;
                    out.push_str(value.as_str()?);
                }
            }
        }
        Some(out)
    }

    /// Calls a library function; `None` is the unset result.
    fn call(&self, call: &Call, scope: &Scope) -> Option<Value> {
        let args: Vec<Option<Value>> = call.args.iter().map(|a| self.expr(a, scope)).collect();
        let str_arg = |i: usize| args.get(i)?.as_ref()?.as_str().map(str::to_owned);
        let bool_arg = |i: usize| args.get(i)?.as_ref()?.as_bool();
        let int_arg = |i: usize| match args.get(i)?.as_ref()? {
            Value::Int(n) => Some(*n),
            _ => None,
        };
        match call.name.as_str() {
            "isSet" => Some(Value::Bool(matches!(args.first(), Some(Some(_))))),
            "not" => Some(Value::Bool(!bool_arg(0)?)),
            "booleanEquals" => Some(Value::Bool(bool_arg(0)? == bool_arg(1)?)),
            "stringEquals" => Some(Value::Bool(str_arg(0)? == str_arg(1)?)),
            "getAttr" => {
                let path = functions::parse_path(&str_arg(1)?)?;
                functions::get_attr(args.first()?.as_ref()?, &path)
            }
            "substring" => {
                functions::substring(&str_arg(0)?, int_arg(1)?, int_arg(2)?, bool_arg(3)?)
                    .map(Value::String)
            }
            "uriEncode" => Some(Value::String(functions::uri_encode(&str_arg(0)?))),
            "parseURL" => functions::parse_url(&str_arg(0)?),
            "isValidHostLabel" => Some(Value::Bool(functions::is_valid_host_label(
                &str_arg(0)?,
                bool_arg(1)?,
            ))),
            "aws.partition" => self.partitions.resolve(&str_arg(0)?),
            "aws.parseArn" => functions::parse_arn(&str_arg(0)?),
            "aws.isVirtualHostableS3Bucket" => Some(Value::Bool(
                functions::is_virtual_hostable_s3_bucket(&str_arg(0)?, bool_arg(1)?),
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_and_escape() {
        let parts = parse_template("a{{b}}{Region}.{P#dns[0]}").unwrap();
        assert!(matches!(&parts[0], TemplatePart::Literal(s) if s == "a{b}"));
        assert!(matches!(&parts[1], TemplatePart::Ref(s) if s == "Region"));
        assert!(matches!(&parts[3], TemplatePart::Attr(s, p) if s == "P" && p.len() == 2));
        assert!(parse_template("a{b").is_err());
    }

    #[test]
    fn unknown_function_is_rejected_at_parse_time() {
        let json = r#"{"version":"1.0","parameters":{},"rules":[
            {"conditions":[{"fn":"noSuchFn","argv":[]}],"type":"error","error":"x"}]}"#;
        assert!(RuleSet::parse(json).is_err());
    }
}
