//! `cargo xtask paginator-report`: each operation of a service that declares
//! paginators is counted where the inference agrees or differs.

use std::fs;

use serde_json::json;
use xtask::paginator_report::{Report, report};

#[test]
fn declared_and_inferred_paginators_are_compared_per_operation() {
    let dir = tempfile::tempdir().unwrap();
    let version_dir = dir.path().join("demo/2024-01-01");
    fs::create_dir_all(&version_dir).unwrap();
    let page = |list: &str| {
        json!({
            "type": "structure",
            "members": {list: {"shape": "Names"}, "NextToken": {"shape": "String"}}
        })
    };
    let request = json!({
        "type": "structure",
        "members": {"NextToken": {"shape": "String"}, "MaxResults": {"shape": "Integer"}}
    });
    let operation = |name: &str| {
        json!({
            "name": name,
            "http": {"method": "POST", "requestUri": format!("/{name}")},
            "input": {"shape": "PageRequest"},
            "output": {"shape": format!("{name}Response")}
        })
    };
    let model = json!({
        "metadata": {"apiVersion": "2024-01-01", "protocol": "json", "serviceId": "Demo"},
        "operations": {
            "ListAgreed": operation("ListAgreed"),
            "ListUndeclared": operation("ListUndeclared"),
            "ListOther": operation("ListOther"),
            "Describe": {
                "name": "Describe",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "PageRequest"}
            }
        },
        "shapes": {
            "PageRequest": request,
            "ListAgreedResponse": page("Items"),
            "ListUndeclaredResponse": page("Items"),
            "ListOtherResponse": page("Items"),
            "Names": {"type": "list", "member": {"shape": "String"}},
            "String": {"type": "string"},
            "Integer": {"type": "integer"}
        }
    });
    let paginators = json!({"pagination": {
        "ListAgreed": {"input_token": "NextToken", "output_token": "NextToken", "result_key": "Items"},
        "ListOther": {"input_token": "NextToken", "output_token": "NextToken", "result_key": "Other"},
        "Describe": {"input_token": "NextToken", "output_token": "NextToken"}
    }});
    fs::write(version_dir.join("service-2.json"), model.to_string()).unwrap();
    fs::write(
        version_dir.join("paginators-1.json"),
        paginators.to_string(),
    )
    .unwrap();

    assert_eq!(
        report(dir.path()).unwrap(),
        Report {
            services: 1,
            skipped: Vec::new(),
            agree_paged: 1,
            differ: 1,
            missed: 1,
            extra: 1,
            agree_unpaged: 0,
        }
    );
}

#[test]
fn a_directory_without_models_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = report(dir.path()).unwrap_err().to_string();
    assert!(
        error.contains("no <service>/<api-version>/paginators-1.json found"),
        "{error}"
    );
}
