//! The 204 ivschat requests botocore built (`conformance/ivschat/*.jsonl`):
//! the generated client builds the same method, path, query (as a multiset),
//! `Content-Type` and JSON body from the same parameters.

mod common;

use std::collections::HashMap;

use brisk_runtime::bytes::Bytes;
use brisk_runtime::http::Request;
use brisk_runtime::operation::Operation;
use common::query_multiset;
use ivschat::operation::*;
use serde::de::DeserializeOwned;
use serde_json::Value;

const CASES: &str = include_str!("../../conformance/ivschat/botocore-cases-n12-seed42.jsonl");

/// Parameters as the input type: body members through serde (their wire
/// names are the member names), then the URI and query members by hand.
fn input<I: DeserializeOwned>(params: &Value) -> I {
    serde_json::from_value(params.clone()).unwrap()
}

fn string_param(params: &Value, name: &str) -> Option<String> {
    params[name].as_str().map(str::to_owned)
}

fn request_for(operation: &str, params: &Value) -> Request<Bytes> {
    let request = match operation {
        "CreateChatToken" => input::<create_chat_token::CreateChatTokenInput>(params).to_request(),
        "CreateLoggingConfiguration" => {
            input::<create_logging_configuration::CreateLoggingConfigurationInput>(params)
                .to_request()
        }
        "CreateRoom" => input::<create_room::CreateRoomInput>(params).to_request(),
        "DeleteLoggingConfiguration" => {
            input::<delete_logging_configuration::DeleteLoggingConfigurationInput>(params)
                .to_request()
        }
        "DeleteMessage" => input::<delete_message::DeleteMessageInput>(params).to_request(),
        "DeleteRoom" => input::<delete_room::DeleteRoomInput>(params).to_request(),
        "DisconnectUser" => input::<disconnect_user::DisconnectUserInput>(params).to_request(),
        "GetLoggingConfiguration" => {
            input::<get_logging_configuration::GetLoggingConfigurationInput>(params).to_request()
        }
        "GetRoom" => input::<get_room::GetRoomInput>(params).to_request(),
        "ListLoggingConfigurations" => {
            input::<list_logging_configurations::ListLoggingConfigurationsInput>(params)
                .to_request()
        }
        "ListRooms" => input::<list_rooms::ListRoomsInput>(params).to_request(),
        "ListTagsForResource" => list_tags_for_resource::ListTagsForResourceInput {
            resource_arn: string_param(params, "resourceArn"),
        }
        .to_request(),
        "SendEvent" => input::<send_event::SendEventInput>(params).to_request(),
        "TagResource" => tag_resource::TagResourceInput {
            resource_arn: string_param(params, "resourceArn"),
            ..input(params)
        }
        .to_request(),
        "UntagResource" => untag_resource::UntagResourceInput {
            resource_arn: string_param(params, "resourceArn"),
            tag_keys: serde_json::from_value(params["tagKeys"].clone()).unwrap(),
        }
        .to_request(),
        "UpdateLoggingConfiguration" => {
            input::<update_logging_configuration::UpdateLoggingConfigurationInput>(params)
                .to_request()
        }
        "UpdateRoom" => input::<update_room::UpdateRoomInput>(params).to_request(),
        other => panic!("unknown operation {other}"),
    };
    request.unwrap_or_else(|e| panic!("{operation}: {e}"))
}

fn check_case(case: &Value) -> Result<(), String> {
    let id = case["case_id"].as_str().unwrap_or("?");
    let expected = &case["expected_request"];
    let request = request_for(case["operation"].as_str().unwrap(), &case["params"]);
    let mismatch = |what: &str, ours: String, theirs: String| {
        Err(format!(
            "{id}: {what} differs:\n  ours:     {ours}\n  botocore: {theirs}"
        ))
    };
    if request.method().as_str() != expected["method"] {
        return mismatch(
            "method",
            request.method().to_string(),
            expected["method"].to_string(),
        );
    }
    if request.uri().path() != expected["path"] {
        return mismatch(
            "path",
            request.uri().path().to_owned(),
            expected["path"].to_string(),
        );
    }
    let ours = query_multiset(request.uri().query().unwrap_or_default());
    let theirs = query_multiset(expected["query"].as_str().unwrap_or_default());
    if ours != theirs {
        return mismatch("query", format!("{ours:?}"), format!("{theirs:?}"));
    }
    let headers: HashMap<String, String> =
        serde_json::from_value(expected["headers"].clone()).unwrap_or_default();
    let content_type = request
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    if content_type != headers.get("Content-Type").cloned() {
        return mismatch(
            "Content-Type",
            format!("{content_type:?}"),
            format!("{:?}", headers.get("Content-Type")),
        );
    }
    let ours: Value = if request.body().is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(request.body()).unwrap()
    };
    if ours != expected["body_json"] {
        return mismatch("body", ours.to_string(), expected["body_json"].to_string());
    }
    Ok(())
}

#[test]
fn all_204_botocore_requests_match() {
    let cases: Vec<Value> = CASES
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(cases.len(), 204);
    let failures: Vec<String> = cases.iter().filter_map(|c| check_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of 204 differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let operations: std::collections::BTreeSet<&str> = cases
        .iter()
        .map(|c| c["operation"].as_str().unwrap())
        .collect();
    assert_eq!(operations.len(), 17);
}
