//! Broken models: every problem is a diagnostic naming the file and the JSON
//! path, and nothing panics.

use brisk_codegen::botocore::Source;
use brisk_codegen::{ModelSources, Options, generate};
use serde_json::{Value, json};

const FILE: &str = "model/test/2024-01-01/service-2.json";

fn options() -> Options {
    Options {
        crate_name: "test".to_owned(),
        runtime_dependency: "{ path = \"../runtime\" }".to_owned(),
        header: "test".to_owned(),
        root_path: "crate".to_owned(),
    }
}

fn sources(service: &str) -> ModelSources {
    ModelSources {
        service: Source::new(FILE, service),
        paginators: None,
        waiters: None,
        endpoint_rules: None,
        partitions: None,
    }
}

/// A valid model to break: one operation, a few shapes.
fn model() -> Value {
    json!({
        "version": "2.0",
        "metadata": {
            "apiVersion": "2024-01-01",
            "endpointPrefix": "test",
            "protocol": "rest-json",
            "serviceId": "Test",
            "signatureVersion": "v4"
        },
        "operations": {
            "GetThing": {
                "name": "GetThing",
                "http": {"method": "GET", "requestUri": "/things/{id}"},
                "input": {"shape": "GetThingRequest"},
                "output": {"shape": "GetThingResponse"}
            }
        },
        "shapes": {
            "GetThingRequest": {
                "type": "structure",
                "required": ["id"],
                "members": {"id": {"shape": "String", "location": "uri", "locationName": "id"}}
            },
            "GetThingResponse": {
                "type": "structure",
                "members": {"name": {"shape": "String"}, "tags": {"shape": "Tags"}}
            },
            "Tags": {"type": "list", "member": {"shape": "String"}},
            "String": {"type": "string"}
        }
    })
}

/// The diagnostics of a model, one line each.
fn diagnostics(model: &Value) -> Vec<String> {
    match generate(&sources(&model.to_string()), &options()) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics.0.iter().map(ToString::to_string).collect(),
    }
}

fn broken(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut model = model();
    edit(&mut model);
    diagnostics(&model)
}

#[test]
fn the_unbroken_model_generates() {
    let files = generate(&sources(&model().to_string()), &options())
        .unwrap()
        .files;
    assert!(files.contains_key("src/operation/get_thing.rs"));
    assert!(files.contains_key("Cargo.toml"));
}

#[test]
fn truncated_json_names_the_file() {
    let text = model().to_string();
    let truncated = &text[..text.len() / 2];
    let found = generate(&sources(truncated), &options()).unwrap_err();
    assert_eq!(found.0.len(), 1);
    let message = found.0[0].to_string();
    assert!(message.starts_with(FILE), "{message}");
    assert!(message.contains("EOF while parsing"), "{message}");
}

#[test]
fn unknown_keys_are_reported_with_their_path() {
    let found =
        broken(|m| m["shapes"]["GetThingResponse"]["members"]["name"]["flavour"] = json!(1));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with(&format!(
            "{FILE}: at `shapes.GetThingResponse.members.name.flavour`: unknown field `flavour`"
        )),
        "{found:?}"
    );
}

#[test]
fn wrong_value_types_are_reported_with_their_path() {
    let found = broken(|m| m["shapes"]["GetThingRequest"]["required"] = json!("id"));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with(&format!(
            "{FILE}: at `shapes.GetThingRequest.required`: invalid type"
        )),
        "{found:?}"
    );
}

#[test]
fn dangling_references_are_all_reported() {
    let found = broken(|m| {
        m["shapes"]["GetThingResponse"]["members"]["name"]["shape"] = json!("Missing");
        m["shapes"]["Tags"]["member"]["shape"] = json!("AlsoMissing");
        m["operations"]["GetThing"]["output"]["shape"] = json!("NoOutput");
    });
    assert_eq!(
        found,
        [
            format!(
                "{FILE}: at `operations.GetThing.output.shape`: refers to shape `NoOutput`, which does not exist"
            ),
            format!(
                "{FILE}: at `shapes.GetThingResponse.members.name.shape`: refers to shape `Missing`, which does not exist"
            ),
            format!(
                "{FILE}: at `shapes.Tags.member.shape`: refers to shape `AlsoMissing`, which does not exist"
            ),
        ]
    );
}

#[test]
fn unknown_shape_types_and_locations() {
    let found = broken(|m| {
        m["shapes"]["Tags"]["type"] = json!("set");
        m["shapes"]["GetThingRequest"]["members"]["id"]["location"] = json!("cookie");
    });
    assert_eq!(
        found,
        [
            format!(
                "{FILE}: at `operations.GetThing.http.requestUri`: label `{{id}}` has no input member bound to it"
            ),
            format!(
                "{FILE}: at `shapes.GetThingRequest.members.id.location`: unknown member location `cookie`"
            ),
            format!("{FILE}: at `shapes.Tags.type`: unknown shape type `set`"),
        ]
    );
}

#[test]
fn unsupported_protocols_are_diagnostics() {
    let found = broken(|m| m["metadata"]["protocol"] = json!("ec2"));
    assert_eq!(
        found,
        [format!(
            "{FILE}: at `metadata.protocol`: protocol `ec2` is not supported (supported: rest-json)"
        )]
    );
}

#[test]
fn name_collisions_are_diagnostics() {
    let found = broken(|m| {
        m["shapes"]["GetThingResponse"]["members"]["Name"] = json!({"shape": "String"});
        m["shapes"]["Color"] = json!({"type": "string", "enum": ["RED", "red"]});
        m["shapes"]["GetThingResponse"]["members"]["color"] = json!({"shape": "Color"});
    });
    assert_eq!(
        found,
        [format!(
            "{FILE}: at `shapes.GetThingResponse.members.name`: `name` and `Name` both become `name`"
        )]
    );
}

#[test]
fn colliding_shapes_and_enum_values_are_numbered() {
    let mut model = model();
    model["shapes"]["Thing"] = json!({"type": "structure", "members": {}});
    model["shapes"]["THING"] = json!({"type": "structure", "members": {}});
    model["shapes"]["Color"] = json!({"type": "string", "enum": ["RED", "red"]});
    let members = &mut model["shapes"]["GetThingResponse"]["members"];
    members["a"] = json!({"shape": "Thing"});
    members["b"] = json!({"shape": "THING"});
    members["color"] = json!({"shape": "Color"});
    let files = generate(&sources(&model.to_string()), &options())
        .unwrap()
        .files;
    // Model-name order decides: `THING` sorts first and keeps `Thing`.
    assert!(files["src/types/thing.rs"].contains("pub struct Thing {"));
    assert!(files["src/types/thing2.rs"].contains("pub struct Thing2 {"));
    let color = &files["src/types/color.rs"];
    assert!(color.contains("Self::Red => \"RED\""), "{color}");
    assert!(color.contains("Self::Red2 => \"red\""), "{color}");
}

#[test]
fn structural_mistakes_are_diagnostics() {
    let found = broken(|m| {
        m["shapes"]["GetThingResponse"]["required"] = json!(["absent"]);
        m["operations"]["GetThing"]["errors"] = json!([{"shape": "String"}]);
        m["operations"]["GetThing"]["input"]["shape"] = json!("Tags");
    });
    assert_eq!(
        found,
        [
            format!(
                "{FILE}: at `operations.GetThing.errors[0].shape`: `String` is not an exception structure"
            ),
            format!("{FILE}: at `operations.GetThing.input.shape`: `Tags` is not a structure"),
            format!(
                "{FILE}: at `shapes.GetThingResponse.required`: required member `absent` is not a member"
            ),
        ]
    );
}

#[test]
fn companion_files_name_real_operations() {
    let mut sources = sources(&model().to_string());
    sources.paginators = Some(Source::new(
        "paginators-1.json",
        r#"{"pagination": {"ListThings": {"input_token": "a", "output_token": "b"}}}"#,
    ));
    sources.waiters = Some(Source::new(
        "waiters-2.json",
        r#"{"version": 2, "waiters": {"Ready": {"operation": "GetThing", "delay": 1, "maxAttempts": 2, "acceptors": [], "bogus": 1}}}"#,
    ));
    let found = generate(&sources, &options()).unwrap_err();
    let found: Vec<String> = found.0.iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("waiters-2.json: at `waiters.Ready.bogus`: unknown field `bogus`"),
        "{found:?}"
    );

    sources.waiters = None;
    let found = generate(&sources, &options()).unwrap_err();
    assert_eq!(
        found.0[0].to_string(),
        "paginators-1.json: at `pagination.ListThings`: operation `ListThings` does not exist"
    );
}

#[test]
fn recursive_shapes_generate() {
    let mut model = model();
    model["shapes"]["Node"] = json!({
        "type": "structure",
        "members": {"next": {"shape": "Node"}, "children": {"shape": "Nodes"}}
    });
    model["shapes"]["Nodes"] = json!({"type": "list", "member": {"shape": "Node"}});
    model["shapes"]["GetThingResponse"]["members"]["node"] = json!({"shape": "Node"});
    let files = generate(&sources(&model.to_string()), &options())
        .unwrap()
        .files;
    let node = &files["src/types/node.rs"];
    assert!(node.contains("pub next: Option<Box<Node>>"), "{node}");
    assert!(node.contains("pub children: Option<Vec<Node>>"), "{node}");
}

#[test]
fn a_list_holding_itself_is_a_diagnostic_not_a_stack_overflow() {
    let found = broken(|m| {
        m["shapes"]["Loop"] = json!({"type": "list", "member": {"shape": "Loop"}});
        m["shapes"]["GetThingResponse"]["members"]["loop"] = json!({"shape": "Loop"});
    });
    assert_eq!(
        found,
        [format!(
            "{FILE}: at `shapes.Loop`: a list or map that holds itself with no structure in between has no finite type"
        )]
    );
}
