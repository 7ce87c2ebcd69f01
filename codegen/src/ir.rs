//! Lower stage: a validated, protocol-aware view of a model.
//!
//! Every shape reference is resolved, HTTP bindings become [`Location`]s,
//! documentation becomes Markdown lines, and every problem is collected as a
//! diagnostic with its JSON path, so one run reports all of them.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;

use crate::botocore::{self, ServiceModel, ShapeRef};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::docs::to_markdown;

/// Protocols this generator can produce clients for.
pub const SUPPORTED_PROTOCOLS: &[&str] = &["rest-json"];

/// Schemes of `auth` lists this generator supports, as models spell them.
const SUPPORTED_AUTH_SCHEMES: &[&str] = &[
    "aws.auth#sigv4",
    "smithy.api#httpBearerAuth",
    "smithy.api#noAuth",
];

/// A lowered service model.
#[derive(Debug, Clone)]
pub struct Service {
    /// The service model file's name, for diagnostics.
    pub file: String,
    pub info: ServiceInfo,
    /// Every shape, sorted by model name.
    pub shapes: BTreeMap<String, Shape>,
    /// Operations in model order.
    pub operations: Vec<Operation>,
    /// Where each shape's Rust type lives.
    pub placements: BTreeMap<String, Placement>,
    /// The text of `endpoint-rule-set-1.json`, when the service has one.
    pub endpoint_rules: Option<String>,
    /// The text of `partitions.json`, when given.
    pub partitions: Option<String>,
    /// Operations left out because they need a feature the generator does
    /// not support, each as a warning naming the operation and the reason.
    pub left_out: Vec<Diagnostic>,
}

/// Service-wide metadata.
#[derive(Debug, Clone)]
pub struct ServiceInfo {
    pub service_id: String,
    pub full_name: String,
    pub api_version: String,
    pub signing_name: String,
    pub endpoint_prefix: String,
    pub protocol: String,
    pub docs: Vec<String>,
}

/// A shape with its model name.
#[derive(Debug, Clone)]
pub struct Shape {
    pub name: String,
    pub kind: Kind,
    pub docs: Vec<String>,
    pub sensitive: bool,
    pub deprecated: bool,
    pub min: Option<f64>,
    /// An event stream (`eventstream`): a union whose members arrive as a
    /// sequence of messages.
    pub event_stream: bool,
    /// A blob or string sent or read as a stream (`streaming`).
    pub streaming: bool,
}

/// What a shape is.
#[derive(Debug, Clone)]
pub enum Kind {
    Structure(Structure),
    Union(Structure),
    Enum(Vec<String>),
    String,
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    Timestamp(Option<TimestampFormat>),
    Blob,
    Document,
    List(Target),
    Map { key: Target, value: Target },
}

/// A list member or a map key or value.
#[derive(Debug, Clone)]
pub struct Target {
    pub shape: String,
    pub sensitive: bool,
    pub location_name: Option<String>,
}

/// A structure's (or union's) members and traits.
#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub members: Vec<Member>,
    pub error: Option<ErrorInfo>,
    /// The member bound to the whole HTTP body, if any.
    pub payload: Option<String>,
}

/// A modeled exception.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The error code the service sends.
    pub code: String,
    pub http_status: Option<u16>,
    /// Whether the service, not the caller, is at fault.
    pub server_fault: bool,
}

/// A member of a structure or union.
#[derive(Debug, Clone)]
pub struct Member {
    /// The member's name in the model.
    pub name: String,
    pub target: String,
    pub location: Location,
    pub required: bool,
    pub sensitive: bool,
    pub docs: Vec<String>,
    pub timestamp_format: Option<TimestampFormat>,
    pub idempotency_token: bool,
    /// A header carrying JSON text (`jsonvalue`).
    pub json_value: bool,
    pub host_label: bool,
    pub deprecated: bool,
}

/// Where a member travels in the HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A key of the JSON body.
    Body {
        name: String,
    },
    /// A `{label}` or greedy `{label+}` of the request URI.
    Uri {
        name: String,
    },
    Query {
        name: String,
    },
    Header {
        name: String,
    },
    /// Every header starting with `prefix` (a map).
    Headers {
        prefix: String,
    },
    StatusCode,
    /// The whole body (`payload` of the structure).
    Payload,
}

/// A timestamp wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimestampFormat {
    EpochSeconds,
    Iso8601,
    HttpDate,
}

/// An operation.
#[derive(Debug, Clone)]
pub struct Operation {
    pub name: String,
    pub method: String,
    pub request_uri: String,
    pub response_code: u16,
    pub input: Option<String>,
    pub output: Option<String>,
    pub errors: Vec<String>,
    pub docs: Vec<String>,
    pub idempotent: bool,
    pub deprecated: bool,
    /// `endpoint.hostPrefix`: text put in front of the endpoint's host, where each
    /// `{Member}` is the value of an input member marked `hostLabel`.
    pub host_prefix: Option<String>,
    /// How requests are authenticated.
    pub auth: Auth,
    /// Why none of the operation's auth schemes is supported, when none is; such an
    /// operation is left out rather than signed wrongly.
    pub unsupported_auth: Option<String>,
}

/// How an operation's requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// SigV4, the body's hash signed.
    SigV4,
    /// SigV4 with `UNSIGNED-PAYLOAD` for the body's hash (`v4-unsigned-body`, `unsignedPayload`).
    SigV4UnsignedPayload,
    /// Not signed (`smithy.api#noAuth`, `authtype: none`).
    None,
    /// A bearer token in `Authorization` (`smithy.api#httpBearerAuth`,
    /// `signatureVersion: bearer`).
    Bearer,
}

/// Where a shape's Rust type lives in the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// `types::<Name>`: structures, unions and enums that members refer to.
    Type,
    /// `types::error::<Name>`: modeled exceptions.
    Error,
    /// Only an operation's input or output; emitted in the operation's module.
    Operation,
    /// Mapped to a Rust or runtime type (`String`, `i32`, `Vec<T>`, `DateTime`).
    Primitive,
}

impl Service {
    /// Where `shape`'s Rust type lives.
    pub fn placement(&self, shape: &str) -> Placement {
        self.placements[shape]
    }

    fn compute_placements(&self) -> BTreeMap<String, Placement> {
        let operation_shapes = self.operation_shapes();
        let member_targets = self.member_targets();
        let place = |shape: &Shape| match &shape.kind {
            Kind::Structure(s) if s.error.is_some() => Placement::Error,
            Kind::Structure(_)
                if operation_shapes.contains(shape.name.as_str())
                    && !member_targets.contains(shape.name.as_str()) =>
            {
                Placement::Operation
            }
            Kind::Structure(_) | Kind::Union(_) | Kind::Enum(_) => Placement::Type,
            _ => Placement::Primitive,
        };
        self.shapes
            .values()
            .map(|shape| (shape.name.clone(), place(shape)))
            .collect()
    }

    /// Lists and maps that reach themselves through lists and maps alone.
    fn containers_holding_themselves(&self) -> Vec<&str> {
        let elements = |shape: &str| -> Vec<&str> {
            match self.shapes.get(shape).map(|s| &s.kind) {
                Some(Kind::List(t)) => vec![t.shape.as_str()],
                Some(Kind::Map { key, value }) => vec![key.shape.as_str(), value.shape.as_str()],
                _ => Vec::new(),
            }
        };
        let reaches_itself = |start: &str| {
            let mut stack = elements(start);
            let mut seen = BTreeSet::new();
            while let Some(shape) = stack.pop() {
                if shape == start {
                    return true;
                }
                if seen.insert(shape) {
                    stack.extend(elements(shape));
                }
            }
            false
        };
        self.shapes
            .keys()
            .map(String::as_str)
            .filter(|shape| reaches_itself(shape))
            .collect()
    }

    /// The shape named `name`; lowering guarantees every reference resolves.
    pub fn shape(&self, name: &str) -> &Shape {
        &self.shapes[name]
    }

    /// Moves operations that need an unsupported feature from `operations` to
    /// `left_out`, so the rest of the service still generates.
    fn leave_out_unsupported_operations(&mut self) {
        let (kept, left_out): (Vec<_>, Vec<_>) = std::mem::take(&mut self.operations)
            .into_iter()
            .map(|op| {
                let reason = self.unsupported_feature(&op);
                (op, reason)
            })
            .partition(|(_, reason)| reason.is_none());
        self.operations = kept.into_iter().map(|(op, _)| op).collect();
        self.left_out = left_out
            .into_iter()
            .filter_map(|(op, reason)| {
                let path = format!("operations.{}", op.name);
                Some(Diagnostic::new(
                    &self.file,
                    path,
                    format!("left out: {}", reason?),
                ))
            })
            .collect();
    }

    /// Gives shape `from` the model name `to`, in the shape and every reference
    /// to it. Only Rust names derive from a shape's name (the wire uses member
    /// names and error codes, fixed at lowering), so the wire is unchanged.
    pub fn rename_shape(&mut self, from: &str, to: &str) {
        let rename = |name: &mut String| {
            if name == from {
                *name = to.to_owned();
            }
        };
        if let Some(mut shape) = self.shapes.remove(from) {
            shape.name = to.to_owned();
            self.shapes.insert(to.to_owned(), shape);
        }
        if let Some(placement) = self.placements.remove(from) {
            self.placements.insert(to.to_owned(), placement);
        }
        for shape in self.shapes.values_mut() {
            match &mut shape.kind {
                Kind::Structure(s) | Kind::Union(s) => {
                    s.members.iter_mut().for_each(|m| rename(&mut m.target));
                }
                Kind::List(t) => rename(&mut t.shape),
                Kind::Map { key, value } => {
                    rename(&mut key.shape);
                    rename(&mut value.shape);
                }
                _ => {}
            }
        }
        for op in &mut self.operations {
            op.input.iter_mut().for_each(rename);
            op.output.iter_mut().for_each(rename);
            op.errors.iter_mut().for_each(rename);
        }
    }

    /// Whether the model has an operation `name` that was left out.
    pub fn is_left_out(&self, name: &str) -> bool {
        let path = format!("operations.{name}");
        self.left_out.iter().any(|d| d.path == path)
    }

    /// Why `op` cannot be generated, if it cannot.
    fn unsupported_feature(&self, op: &Operation) -> Option<String> {
        if let Some(reason) = &op.unsupported_auth {
            return Some(format!("its auth: {reason}"));
        }
        let (role, shape) = [("input", &op.input), ("output", &op.output)]
            .into_iter()
            .filter_map(|(role, shape)| Some((role, shape.as_deref()?)))
            .find_map(|(role, shape)| {
                let payload = self.streaming_payload(shape).map(|m| m.target.as_str());
                let found = self.reachable_from([shape]).into_iter().find(|s| {
                    let shape = self.shape(s);
                    shape.event_stream || (shape.streaming && Some(s.as_str()) != payload)
                })?;
                Some((role, found))
            })?;
        let what = if self.shape(&shape).event_stream {
            "an event stream"
        } else {
            "a streaming member that is not its payload"
        };
        Some(format!(
            "its {role} has {what} (`{shape}`), which this generator does not support yet"
        ))
    }

    /// The payload member of structure `shape` when it is a streaming blob: the
    /// whole body, sent or read as a stream.
    pub fn streaming_payload(&self, shape: &str) -> Option<&Member> {
        let Kind::Structure(s) = &self.shapes.get(shape)?.kind else {
            return None;
        };
        s.members
            .iter()
            .find(|m| m.location == Location::Payload && self.shape(&m.target).streaming)
    }

    /// Drops shapes that no operation reaches through its input, output or errors.
    fn keep_reachable_shapes(&mut self) {
        let roots: Vec<&str> = self
            .operations
            .iter()
            .flat_map(|op| op.input.iter().chain(&op.output).chain(&op.errors))
            .map(String::as_str)
            .collect();
        let reachable = self.reachable_from(roots);
        self.shapes.retain(|name, _| reachable.contains(name));
    }

    /// `roots` and every shape their members, items, keys and values lead to.
    pub fn reachable_from<'a>(&self, roots: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        let mut reached = BTreeSet::new();
        let mut stack: Vec<String> = roots.into_iter().map(str::to_owned).collect();
        while let Some(name) = stack.pop() {
            let Some(shape) = self.shapes.get(&name) else {
                continue;
            };
            if reached.contains(&name) {
                continue;
            }
            match &shape.kind {
                Kind::Structure(s) | Kind::Union(s) => {
                    stack.extend(s.members.iter().map(|m| m.target.clone()));
                }
                Kind::List(t) => stack.push(t.shape.clone()),
                Kind::Map { key, value } => {
                    stack.extend([key.shape.clone(), value.shape.clone()]);
                }
                _ => {}
            }
            reached.insert(name);
        }
        reached
    }

    /// Shapes used as an operation's input or output.
    pub fn operation_shapes(&self) -> BTreeSet<&str> {
        self.operations
            .iter()
            .flat_map(|op| op.input.iter().chain(op.output.iter()))
            .map(String::as_str)
            .collect()
    }

    /// Shapes referenced by a member, list member, or map key or value.
    pub fn member_targets(&self) -> BTreeSet<&str> {
        let mut targets = BTreeSet::new();
        for shape in self.shapes.values() {
            match &shape.kind {
                Kind::Structure(s) | Kind::Union(s) => {
                    targets.extend(s.members.iter().map(|m| m.target.as_str()));
                }
                Kind::List(t) => {
                    targets.insert(t.shape.as_str());
                }
                Kind::Map { key, value } => {
                    targets.insert(key.shape.as_str());
                    targets.insert(value.shape.as_str());
                }
                _ => {}
            }
        }
        targets
    }

    /// The timestamp format of `member` (member trait, then shape trait, then the
    /// protocol's default for its location).
    pub fn timestamp_format(&self, member: &Member) -> TimestampFormat {
        let shape_format = match &self.shape(&member.target).kind {
            Kind::Timestamp(format) => *format,
            _ => None,
        };
        member
            .timestamp_format
            .or(shape_format)
            .unwrap_or(match member.location {
                Location::Header { .. } | Location::Headers { .. } => TimestampFormat::HttpDate,
                Location::Uri { .. } | Location::Query { .. } => TimestampFormat::Iso8601,
                _ => TimestampFormat::EpochSeconds,
            })
    }
}

/// Lowers a parsed model; `file` names it in diagnostics.
pub fn lower(file: &str, model: &ServiceModel) -> Result<Service, Diagnostics> {
    let mut lowering = Lowering {
        file,
        model,
        diagnostics: Diagnostics::default(),
    };
    let info = lowering.service_info();
    let shapes = model
        .shapes
        .iter()
        .filter_map(|(name, shape)| Some((name.clone(), lowering.shape(name, shape)?)))
        .collect();
    let operations = model
        .operations
        .iter()
        .map(|(name, op)| lowering.operation(name, op))
        .collect();
    let mut service = Service {
        file: file.to_owned(),
        info,
        shapes,
        operations,
        placements: BTreeMap::new(),
        endpoint_rules: None,
        partitions: None,
        left_out: Vec::new(),
    };
    service.leave_out_unsupported_operations();
    service.keep_reachable_shapes();
    service.placements = service.compute_placements();
    for shape in service.containers_holding_themselves() {
        lowering.error(
            format!("shapes.{shape}"),
            "a list or map that holds itself with no structure in between has no finite type",
        );
    }
    lowering.diagnostics.into_result(service)
}

struct Lowering<'a> {
    file: &'a str,
    model: &'a ServiceModel,
    diagnostics: Diagnostics,
}

impl Lowering<'_> {
    fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(self.file, path, message));
    }

    fn service_info(&mut self) -> ServiceInfo {
        let metadata = &self.model.metadata;
        if !SUPPORTED_PROTOCOLS.contains(&metadata.protocol.as_str()) {
            self.error(
                "metadata.protocol",
                format!(
                    "protocol `{}` is not supported (supported: {})",
                    metadata.protocol,
                    SUPPORTED_PROTOCOLS.join(", ")
                ),
            );
        }
        let endpoint_prefix = metadata.endpoint_prefix.clone().unwrap_or_default();
        let service_id = metadata
            .service_id
            .clone()
            .unwrap_or_else(|| endpoint_prefix.clone());
        ServiceInfo {
            full_name: metadata
                .service_full_name
                .clone()
                .unwrap_or_else(|| service_id.clone()),
            signing_name: metadata
                .signing_name
                .clone()
                .unwrap_or_else(|| endpoint_prefix.clone()),
            service_id,
            endpoint_prefix,
            api_version: metadata.api_version.clone(),
            protocol: metadata.protocol.clone(),
            docs: docs(self.model.documentation.as_deref()),
        }
    }

    fn shape(&mut self, name: &str, shape: &botocore::Shape) -> Option<Shape> {
        let path = format!("shapes.{name}");
        let kind = self.kind(&path, shape)?;
        Some(Shape {
            name: name.to_owned(),
            kind,
            docs: docs(shape.documentation.as_deref()),
            sensitive: shape.sensitive == Some(true),
            deprecated: shape.deprecated == Some(true),
            min: shape.min,
            event_stream: shape.eventstream == Some(true),
            streaming: shape.streaming == Some(true),
        })
    }

    fn kind(&mut self, path: &str, shape: &botocore::Shape) -> Option<Kind> {
        let kind = match shape.kind.as_str() {
            "structure" if shape.document == Some(true) => Kind::Document,
            "structure" if shape.union == Some(true) => Kind::Union(self.structure(path, shape)),
            "structure" => Kind::Structure(self.structure(path, shape)),
            "string" => match &shape.enum_values {
                Some(values) => Kind::Enum(values.clone()),
                None => Kind::String,
            },
            "boolean" => Kind::Boolean,
            "byte" => Kind::Byte,
            "short" => Kind::Short,
            "integer" => Kind::Integer,
            "long" => Kind::Long,
            "float" => Kind::Float,
            "double" => Kind::Double,
            "timestamp" => Kind::Timestamp(self.timestamp_format(
                &format!("{path}.timestampFormat"),
                shape.timestamp_format.as_deref(),
            )),
            "blob" => Kind::Blob,
            "list" => Kind::List(self.target(&format!("{path}.member"), shape.member.as_ref())?),
            "map" => Kind::Map {
                key: self.target(&format!("{path}.key"), shape.key.as_ref())?,
                value: self.target(&format!("{path}.value"), shape.value.as_ref())?,
            },
            other => {
                self.error(
                    format!("{path}.type"),
                    format!("unknown shape type `{other}`"),
                );
                return None;
            }
        };
        Some(kind)
    }

    fn structure(&mut self, path: &str, shape: &botocore::Shape) -> Structure {
        for required in &shape.required {
            if !shape.members.contains_key(required) {
                self.error(
                    format!("{path}.required"),
                    format!("required member `{required}` is not a member"),
                );
            }
        }
        if let Some(payload) = &shape.payload
            && !shape.members.contains_key(payload)
        {
            self.error(
                format!("{path}.payload"),
                format!("payload `{payload}` is not a member"),
            );
        }
        let members = shape
            .members
            .iter()
            .filter_map(|(name, member)| {
                let member_path = format!("{path}.members.{name}");
                let is_payload = shape.payload.as_deref() == Some(name.as_str());
                let required = shape.required.contains(name);
                self.member(&member_path, name, member, required, is_payload)
            })
            .collect();
        Structure {
            members,
            error: self.error_info(path, shape),
            payload: shape.payload.clone(),
        }
    }

    fn error_info(&mut self, path: &str, shape: &botocore::Shape) -> Option<ErrorInfo> {
        if shape.exception != Some(true) && shape.error.is_none() {
            return None;
        }
        let name = path.rsplit('.').next().unwrap_or(path);
        let error = shape.error.as_ref();
        Some(ErrorInfo {
            code: error
                .and_then(|e| e.code.clone())
                .unwrap_or_else(|| name.to_owned()),
            http_status: error.and_then(|e| e.http_status_code),
            server_fault: shape.fault == Some(true)
                || error.and_then(|e| e.sender_fault) == Some(false),
        })
    }

    fn member(
        &mut self,
        path: &str,
        name: &str,
        member: &ShapeRef,
        required: bool,
        is_payload: bool,
    ) -> Option<Member> {
        self.resolve(&format!("{path}.shape"), &member.shape)?;
        let location = self.location(path, name, member, is_payload)?;
        Some(Member {
            name: name.to_owned(),
            target: member.shape.clone(),
            location,
            required,
            sensitive: member.sensitive == Some(true),
            docs: docs(member.documentation.as_deref()),
            timestamp_format: self.timestamp_format(
                &format!("{path}.timestampFormat"),
                member.timestamp_format.as_deref(),
            ),
            idempotency_token: member.idempotency_token == Some(true),
            json_value: member.jsonvalue == Some(true),
            host_label: member.host_label == Some(true),
            deprecated: member.deprecated == Some(true),
        })
    }

    fn location(
        &mut self,
        path: &str,
        name: &str,
        member: &ShapeRef,
        is_payload: bool,
    ) -> Option<Location> {
        let wire = member
            .location_name
            .clone()
            .unwrap_or_else(|| name.to_owned());
        let location = match member.location.as_deref() {
            None if is_payload => Location::Payload,
            None => Location::Body { name: wire },
            Some("uri") => Location::Uri { name: wire },
            Some("querystring") => Location::Query { name: wire },
            Some("header") => Location::Header { name: wire },
            // Without a `locationName`, the map takes every header.
            Some("headers") => Location::Headers {
                prefix: member.location_name.clone().unwrap_or_default(),
            },
            Some("statusCode") => Location::StatusCode,
            Some(other) => {
                self.error(
                    format!("{path}.location"),
                    format!("unknown member location `{other}`"),
                );
                return None;
            }
        };
        Some(location)
    }

    fn target(&mut self, path: &str, target: Option<&ShapeRef>) -> Option<Target> {
        let Some(target) = target else {
            self.error(path, "missing");
            return None;
        };
        self.resolve(&format!("{path}.shape"), &target.shape)?;
        Some(Target {
            shape: target.shape.clone(),
            sensitive: target.sensitive == Some(true),
            location_name: target.location_name.clone(),
        })
    }

    fn resolve(&mut self, path: &str, shape: &str) -> Option<()> {
        if self.model.shapes.contains_key(shape) {
            Some(())
        } else {
            self.error(
                path,
                format!("refers to shape `{shape}`, which does not exist"),
            );
            None
        }
    }

    fn timestamp_format(&mut self, path: &str, format: Option<&str>) -> Option<TimestampFormat> {
        match format? {
            "iso8601" => Some(TimestampFormat::Iso8601),
            "unixTimestamp" => Some(TimestampFormat::EpochSeconds),
            "rfc822" => Some(TimestampFormat::HttpDate),
            other => {
                self.error(path, format!("unknown timestamp format `{other}`"));
                None
            }
        }
    }

    fn operation(&mut self, name: &str, op: &botocore::Operation) -> Operation {
        // The key names the operation; `name` may differ (CloudFront suffixes
        // its API version) and is not used.
        let path = format!("operations.{name}");
        let input = self.operation_shape(&format!("{path}.input"), op.input.as_ref());
        let output = self.operation_shape(&format!("{path}.output"), op.output.as_ref());
        let mut errors: Vec<String> = Vec::new();
        for (i, error) in op.errors.iter().enumerate() {
            // A model may list an exception twice; it is one error all the same.
            if let Some(shape) = self.error_shape(&format!("{path}.errors[{i}]"), &error.shape)
                && !errors.contains(&shape)
            {
                errors.push(shape);
            }
        }
        if op.input.is_none() || input.is_some() {
            self.check_uri_labels(&path, op, input.as_deref());
        }
        let host_prefix = op.endpoint.as_ref().and_then(|e| e.host_prefix.clone());
        if let Some(prefix) = &host_prefix {
            self.check_host_prefix(
                &format!("{path}.endpoint.hostPrefix"),
                prefix,
                input.as_deref(),
            );
        }
        let (auth, unsupported_auth) = match self.operation_auth(op) {
            Ok(auth) => (auth, None),
            Err(reason) => (Auth::SigV4, Some(reason)),
        };
        Operation {
            name: name.to_owned(),
            method: op.http.method.clone(),
            request_uri: op.http.request_uri.clone(),
            response_code: op.http.response_code.unwrap_or(200),
            input,
            output,
            errors,
            docs: docs(op.documentation.as_deref()),
            idempotent: op.idempotent == Some(true),
            deprecated: op.deprecated == Some(true),
            host_prefix,
            auth,
            unsupported_auth,
        }
    }

    /// Literal text of a host prefix is host-name text, and every `{label}` is a
    /// string input member marked `hostLabel`.
    fn check_host_prefix(&mut self, path: &str, prefix: &str, input: Option<&str>) {
        let members = input
            .and_then(|name| self.model.shapes.get(name))
            .map(|shape| &shape.members);
        for piece in uri_pieces(prefix) {
            let problem = match piece {
                UriPiece::Literal(text) => text
                    .contains(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
                    .then(|| format!("`{text}` is not host-name text (letters, digits, `-`, `.`)")),
                UriPiece::Label { name, greedy: true } => Some(format!(
                    "label `{{{name}+}}`: a host label cannot be greedy"
                )),
                UriPiece::Label { name, .. } => match members.and_then(|m| m.get(name)) {
                    None => Some(format!("label `{{{name}}}` is not an input member")),
                    Some(member) if member.host_label != Some(true) => Some(format!(
                        "label `{{{name}}}` names a member without `hostLabel`"
                    )),
                    Some(member)
                        if self
                            .model
                            .shapes
                            .get(&member.shape)
                            .map(|s| s.kind.as_str())
                            != Some("string") =>
                    {
                        Some(format!(
                            "label `{{{name}}}` names a member that is not a string"
                        ))
                    }
                    Some(_) => None,
                },
            };
            if let Some(problem) = problem {
                self.error(path, problem);
            }
        }
    }

    /// The operation's auth, as botocore picks it: the first supported scheme of its
    /// `auth` list, else its `authtype`, else the service's default; `unsignedPayload`
    /// leaves the body unsigned.
    fn operation_auth(&self, op: &botocore::Operation) -> Result<Auth, String> {
        let auth = if let Some(schemes) = &op.auth {
            first_supported_scheme(schemes).ok_or_else(|| unsupported_schemes(schemes))?
        } else if let Some(authtype) = &op.authtype {
            auth_of_authtype(authtype).ok_or_else(|| {
                format!(
                    "authtype `{authtype}` is not supported (supported: v4, v4-unsigned-body, none)"
                )
            })?
        } else {
            self.service_auth()?
        };
        Ok(
            if auth == Auth::SigV4 && op.unsigned_payload == Some(true) {
                Auth::SigV4UnsignedPayload
            } else {
                auth
            },
        )
    }

    /// The service's default: the first supported scheme of `metadata.auth`, else
    /// `metadata.signatureVersion`, else SigV4.
    fn service_auth(&self) -> Result<Auth, String> {
        let metadata = &self.model.metadata;
        if let Some(schemes) = &metadata.auth {
            first_supported_scheme(schemes).ok_or_else(|| unsupported_schemes(schemes))
        } else {
            match metadata.signature_version.as_deref() {
                None | Some("v4") => Ok(Auth::SigV4),
                Some("bearer") => Ok(Auth::Bearer),
                Some(other) => Err(format!(
                    "signature version `{other}` is not supported (supported: v4, bearer)"
                )),
            }
        }
    }

    fn operation_shape(&mut self, path: &str, shape: Option<&ShapeRef>) -> Option<String> {
        let shape = shape?;
        self.resolve(&format!("{path}.shape"), &shape.shape)?;
        if self.model.shapes[&shape.shape].kind != "structure" {
            self.error(
                format!("{path}.shape"),
                format!("`{}` is not a structure", shape.shape),
            );
            return None;
        }
        Some(shape.shape.clone())
    }

    fn error_shape(&mut self, path: &str, shape: &str) -> Option<String> {
        self.resolve(&format!("{path}.shape"), shape)?;
        let target = &self.model.shapes[shape];
        if target.kind != "structure" || (target.exception != Some(true) && target.error.is_none())
        {
            self.error(
                format!("{path}.shape"),
                format!("`{shape}` is not an exception structure"),
            );
            return None;
        }
        Some(shape.to_owned())
    }

    /// Every `{label}` in the request URI is an input member bound to `uri`.
    fn check_uri_labels(&mut self, path: &str, op: &botocore::Operation, input: Option<&str>) {
        let members: IndexMap<&str, &ShapeRef> = input
            .and_then(|name| self.model.shapes.get(name))
            .map(|shape| {
                shape
                    .members
                    .iter()
                    .filter(|(_, m)| m.location.as_deref() == Some("uri"))
                    .map(|(n, m)| (m.location_name.as_deref().unwrap_or(n), m))
                    .collect()
            })
            .unwrap_or_default();
        for piece in uri_pieces(&op.http.request_uri) {
            if let UriPiece::Label { name, .. } = piece
                && !members.contains_key(name)
            {
                self.error(
                    format!("{path}.http.requestUri"),
                    format!("label `{{{name}}}` has no input member bound to it"),
                );
            }
        }
    }
}

/// A piece of a request URI's path: literal text, or a `{name}` / `{name+}` label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriPiece<'a> {
    Literal(&'a str),
    Label { name: &'a str, greedy: bool },
}

/// The pieces of a request URI path, in order.
pub fn uri_pieces(path: &str) -> Vec<UriPiece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            pieces.push(UriPiece::Literal(&rest[..start]));
        }
        let inner = &rest[start + 1..start + len];
        pieces.push(match inner.strip_suffix('+') {
            Some(name) => UriPiece::Label { name, greedy: true },
            None => UriPiece::Label {
                name: inner,
                greedy: false,
            },
        });
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push(UriPiece::Literal(rest));
    }
    pieces
}

/// The first scheme of an `auth` list this generator supports; botocore picks the
/// same (`aws.auth#sigv4a` needs its optional CRT signer, which it skips without).
fn first_supported_scheme(schemes: &[String]) -> Option<Auth> {
    schemes.iter().find_map(|scheme| match scheme.as_str() {
        "aws.auth#sigv4" => Some(Auth::SigV4),
        "smithy.api#noAuth" => Some(Auth::None),
        "smithy.api#httpBearerAuth" => Some(Auth::Bearer),
        _ => None,
    })
}

fn unsupported_schemes(schemes: &[String]) -> String {
    format!(
        "no supported auth scheme in [{}] (supported: {})",
        schemes.join(", "),
        SUPPORTED_AUTH_SCHEMES.join(", ")
    )
}

/// The auth an operation's `authtype` names, when supported.
fn auth_of_authtype(authtype: &str) -> Option<Auth> {
    match authtype {
        "v4" => Some(Auth::SigV4),
        "v4-unsigned-body" => Some(Auth::SigV4UnsignedPayload),
        "none" => Some(Auth::None),
        _ => None,
    }
}

fn docs(html: Option<&str>) -> Vec<String> {
    html.map(to_markdown).unwrap_or_default()
}
