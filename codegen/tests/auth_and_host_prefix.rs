//! Auth schemes and host prefixes of operations: which scheme the generator
//! picks (as botocore does), and the models it refuses rather than generate a
//! client that authenticates or addresses requests wrongly.

use brisk_codegen::botocore::Source;
use brisk_codegen::ir::{Auth, Service};
use brisk_codegen::{Diagnostics, ModelSources, load};
use serde_json::{Value, json};

const FILE: &str = "model/test/2024-01-01/service-2.json";

/// A model whose operations are `operations` (each `POST /<name>` with no input
/// unless it says otherwise) and whose metadata has `metadata` added.
fn model(metadata: Value, operations: Value) -> Value {
    let mut model = json!({
        "metadata": {
            "apiVersion": "2024-01-01",
            "endpointPrefix": "test",
            "protocol": "rest-json",
            "serviceId": "Test"
        },
        "operations": {},
        "shapes": {
            "LabelledRequest": {
                "type": "structure",
                "members": {
                    "Name": {"shape": "String", "hostLabel": true},
                    "Tier": {"shape": "Tier", "hostLabel": true},
                    "Count": {"shape": "Integer", "hostLabel": true},
                    "Plain": {"shape": "String"}
                }
            },
            "String": {"type": "string"},
            "Tier": {"type": "string", "enum": ["gold"]},
            "Integer": {"type": "integer"}
        }
    });
    for (key, value) in metadata.as_object().into_iter().flatten() {
        model["metadata"][key] = value.clone();
    }
    for (name, extra) in operations.as_object().into_iter().flatten() {
        let mut operation = json!({
            "name": name,
            "http": {"method": "POST", "requestUri": format!("/{name}")}
        });
        for (key, value) in extra.as_object().into_iter().flatten() {
            operation[key] = value.clone();
        }
        model["operations"][name] = operation;
    }
    model
}

fn lowered(model: &Value) -> Result<Service, Diagnostics> {
    load(&ModelSources {
        service: Source::new(FILE, model.to_string()),
        paginators: None,
        waiters: None,
        endpoint_rules: None,
        partitions: None,
    })
}

/// Each operation's name and auth, by name.
fn auths(model: &Value) -> Vec<(String, Auth)> {
    let service = lowered(model).unwrap_or_else(|d| panic!("{d}"));
    let mut auths: Vec<(String, Auth)> = service
        .operations
        .iter()
        .map(|op| (op.name.clone(), op.auth))
        .collect();
    auths.sort_by(|a, b| a.0.cmp(&b.0));
    auths
}

/// The diagnostics, sorted.
fn diagnostics(model: &Value) -> Vec<String> {
    let mut found: Vec<String> = match lowered(model) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics.0.iter().map(ToString::to_string).collect(),
    };
    found.sort();
    found
}

/// Expected names and auths, by name.
fn pairs(expected: &[(&str, Auth)]) -> Vec<(String, Auth)> {
    let mut pairs: Vec<(String, Auth)> = expected
        .iter()
        .map(|(name, auth)| ((*name).to_owned(), *auth))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

#[test]
fn the_first_supported_scheme_of_an_auth_list_wins() {
    let model = model(
        json!({"auth": ["aws.auth#sigv4"]}),
        json!({
            "Bearer": {"auth": ["smithy.api#httpBearerAuth", "aws.auth#sigv4"]},
            "Sigv4a": {"auth": ["aws.auth#sigv4a", "smithy.api#noAuth"]},
            "Anonymous": {"auth": ["smithy.api#noAuth", "aws.auth#sigv4"]},
            // botocore reads `authtype` only when there is no `auth` list.
            "ListWins": {"auth": ["aws.auth#sigv4"], "authtype": "v4-unsigned-body"},
            "UnsignedPayload": {"auth": ["aws.auth#sigv4"], "unsignedPayload": true},
            "Default": {}
        }),
    );
    assert_eq!(
        auths(&model),
        pairs(&[
            ("Bearer", Auth::Bearer),
            ("Sigv4a", Auth::None),
            ("Anonymous", Auth::None),
            ("ListWins", Auth::SigV4),
            ("UnsignedPayload", Auth::SigV4UnsignedPayload),
            ("Default", Auth::SigV4),
        ])
    );
}

#[test]
fn authtype_applies_without_an_auth_list() {
    let model = model(
        json!({"signatureVersion": "v4"}),
        json!({
            "None": {"authtype": "none"},
            "UnsignedBody": {"authtype": "v4-unsigned-body"},
            "V4": {"authtype": "v4"},
            "UnsignedPayload": {"unsignedPayload": true},
            "NoAuthUnsignedPayload": {"authtype": "none", "unsignedPayload": true}
        }),
    );
    assert_eq!(
        auths(&model),
        pairs(&[
            ("None", Auth::None),
            ("UnsignedBody", Auth::SigV4UnsignedPayload),
            ("V4", Auth::SigV4),
            ("UnsignedPayload", Auth::SigV4UnsignedPayload),
            ("NoAuthUnsignedPayload", Auth::None),
        ])
    );
}

#[test]
fn the_service_default_comes_from_metadata() {
    let no_auth_service = model(json!({"auth": ["smithy.api#noAuth"]}), json!({"Op": {}}));
    assert_eq!(auths(&no_auth_service), pairs(&[("Op", Auth::None)]));
    let unsaid = model(json!({}), json!({"Op": {}}));
    assert_eq!(auths(&unsaid), pairs(&[("Op", Auth::SigV4)]));
    let bearer_default = model(json!({"signatureVersion": "bearer"}), json!({"Op": {}}));
    assert_eq!(auths(&bearer_default), pairs(&[("Op", Auth::Bearer)]));
    // An unsupported default is no problem when every operation says its own.
    let bearer_service = model(
        json!({"auth": ["aws.auth#sigv4a"], "signatureVersion": "v2"}),
        json!({"Op": {"auth": ["aws.auth#sigv4"]}}),
    );
    assert_eq!(auths(&bearer_service), pairs(&[("Op", Auth::SigV4)]));
}

/// The operations left out, one warning line each.
fn left_out(model: &Value) -> Vec<String> {
    let service = lowered(model).unwrap_or_else(|d| panic!("{d}"));
    service.left_out.iter().map(ToString::to_string).collect()
}

#[test]
fn operations_with_unsupported_auth_are_left_out_not_signed_wrongly() {
    let model = model(
        json!({}),
        json!({
            "SigV4aOnly": {"auth": ["aws.auth#sigv4a"]},
            "Custom": {"authtype": "custom"},
            "Signed": {}
        }),
    );
    assert_eq!(
        left_out(&model),
        [
            format!(
                "{FILE}: at `operations.Custom`: left out: its auth: authtype `custom` is not \
                 supported (supported: v4, v4-unsigned-body, none)"
            ),
            format!(
                "{FILE}: at `operations.SigV4aOnly`: left out: its auth: no supported auth \
                 scheme in [aws.auth#sigv4a] (supported: aws.auth#sigv4, \
                 smithy.api#httpBearerAuth, smithy.api#noAuth)"
            ),
        ]
    );
    assert_eq!(auths(&model), pairs(&[("Signed", Auth::SigV4)]));
}

#[test]
fn an_unsupported_service_default_leaves_out_the_operations_that_rely_on_it() {
    let model = model(
        json!({"signatureVersion": "v2"}),
        json!({"One": {}, "Own": {"authtype": "v4"}}),
    );
    assert_eq!(
        left_out(&model),
        [format!(
            "{FILE}: at `operations.One`: left out: its auth: signature version `v2` is not \
             supported (supported: v4, bearer)"
        )]
    );
    assert_eq!(auths(&model), pairs(&[("Own", Auth::SigV4)]));
}

#[test]
fn host_prefixes_are_lowered_with_their_labels() {
    let model = model(
        json!({}),
        json!({
            "Static": {"endpoint": {"hostPrefix": "data."}},
            "Labelled": {
                "input": {"shape": "LabelledRequest"},
                "endpoint": {"hostPrefix": "{Name}.{Tier}-x."}
            },
            "Plain": {}
        }),
    );
    let service = lowered(&model).unwrap_or_else(|d| panic!("{d}"));
    let mut prefixes: Vec<(&str, Option<&str>)> = service
        .operations
        .iter()
        .map(|op| (op.name.as_str(), op.host_prefix.as_deref()))
        .collect();
    prefixes.sort();
    assert_eq!(
        prefixes,
        [
            ("Labelled", Some("{Name}.{Tier}-x.")),
            ("Plain", None),
            ("Static", Some("data.")),
        ]
    );
}

#[test]
fn host_prefixes_that_cannot_make_a_host_are_diagnostics() {
    let model = model(
        json!({}),
        json!({
            "Broken": {
                "input": {"shape": "LabelledRequest"},
                "endpoint": {"hostPrefix": "{Missing}.{Plain}.{Count}.{Name+}.a_b."}
            },
            "NoInput": {"endpoint": {"hostPrefix": "{Name}."}}
        }),
    );
    let path = |op: &str| format!("{FILE}: at `operations.{op}.endpoint.hostPrefix`");
    let mut expected = vec![
        format!(
            "{}: label `{{Missing}}` is not an input member",
            path("Broken")
        ),
        format!(
            "{}: label `{{Plain}}` names a member without `hostLabel`",
            path("Broken")
        ),
        format!(
            "{}: label `{{Count}}` names a member that is not a string",
            path("Broken")
        ),
        format!(
            "{}: label `{{Name+}}`: a host label cannot be greedy",
            path("Broken")
        ),
        format!(
            "{}: `.a_b.` is not host-name text (letters, digits, `-`, `.`)",
            path("Broken")
        ),
        format!(
            "{}: label `{{Name}}` is not an input member",
            path("NoInput")
        ),
    ];
    expected.sort();
    assert_eq!(diagnostics(&model), expected);
}

#[test]
fn unknown_endpoint_keys_are_diagnostics() {
    let model = model(
        json!({}),
        json!({"Op": {"endpoint": {"hostPrefix": "a.", "hostSuffix": ".b"}}}),
    );
    let found = diagnostics(&model);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(&format!(
            "{FILE}: at `operations.Op.endpoint.hostSuffix`: unknown field `hostSuffix`"
        )),
        "{found:?}"
    );
}
