//! A botocore service model for one operation of a suite.

use serde_json::{Map, Value, json};

use super::suites::Suite;

/// `service-2.json` text with the suite's metadata and shapes and the one
/// operation `given`; the service names the protocol tests do not carry are
/// made up, and so is the HTTP binding legacy output cases leave out (parsing
/// a response does not depend on it).
pub fn service_model(suite: &Suite, given: &Map<String, Value>, operation: &str) -> String {
    let mut given = given.clone();
    given
        .entry("http")
        .or_insert_with(|| json!({"method": "POST", "requestUri": "/"}));
    let mut metadata = suite.metadata.clone();
    metadata
        .entry("apiVersion")
        .or_insert_with(|| json!("2000-01-01"));
    metadata.insert("endpointPrefix".to_owned(), json!("conformance"));
    metadata.insert("serviceId".to_owned(), json!("Conformance"));
    let model = json!({
        "metadata": metadata,
        "operations": { operation: given },
        "shapes": suite.shapes,
    });
    model.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_has_the_suite_shapes_and_one_operation() {
        let suite: Suite = serde_json::from_value(json!({
            "description": "d",
            "metadata": {"protocol": "rest-json"},
            "shapes": {"S": {"type": "string"}},
            "cases": []
        }))
        .unwrap();
        let given = json!({"name": "Op", "http": {"method": "GET", "requestUri": "/"}});
        let text = service_model(&suite, given.as_object().unwrap(), "Op");
        let model: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            model,
            json!({
                "metadata": {
                    "protocol": "rest-json",
                    "apiVersion": "2000-01-01",
                    "endpointPrefix": "conformance",
                    "serviceId": "Conformance"
                },
                "operations": {"Op": given},
                "shapes": {"S": {"type": "string"}}
            })
        );
    }
}
