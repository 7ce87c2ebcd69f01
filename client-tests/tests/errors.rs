//! Every modeled error of every ivschat operation comes back as its typed
//! variant with its fields; an unknown code is kept as unhandled, not lost.

mod common;

use common::{client, error};
use ivschat::Client;
use loopback::TestServer;
use serde_json::{Map, Value, json};

const MODEL: &str = include_str!("../../model/ivschat/2020-07-14/service-2.json");
const ROOM: &str = "arn:aws:ivschat:us-east-1:123456789012:room/g1H2I3j4k5L6";

/// Calls `operation` with its required members set.
async fn call(client: &Client, operation: &str) -> Result<(), ivschat::Error> {
    match operation {
        "CreateChatToken" => {
            let call = client
                .create_chat_token()
                .room_identifier(ROOM)
                .user_id("u");
            call.send().await.map(drop).map_err(Into::into)
        }
        "CreateLoggingConfiguration" => {
            let destination = ivschat::types::DestinationConfiguration::S3(
                ivschat::types::S3DestinationConfiguration {
                    bucket_name: Some("chat-logs".to_owned()),
                },
            );
            let call = client
                .create_logging_configuration()
                .destination_configuration(destination);
            call.send().await.map(drop).map_err(Into::into)
        }
        "CreateRoom" => client
            .create_room()
            .send()
            .await
            .map(drop)
            .map_err(Into::into),
        "DeleteLoggingConfiguration" => {
            let call = client.delete_logging_configuration().identifier("lc");
            call.send().await.map(drop).map_err(Into::into)
        }
        "DeleteMessage" => {
            let call = client
                .delete_message()
                .room_identifier(ROOM)
                .id("ABC123def456");
            call.send().await.map(drop).map_err(Into::into)
        }
        "DeleteRoom" => {
            let call = client.delete_room().identifier(ROOM);
            call.send().await.map(drop).map_err(Into::into)
        }
        "DisconnectUser" => {
            let call = client.disconnect_user().room_identifier(ROOM).user_id("u");
            call.send().await.map(drop).map_err(Into::into)
        }
        "GetLoggingConfiguration" => {
            let call = client.get_logging_configuration().identifier("lc");
            call.send().await.map(drop).map_err(Into::into)
        }
        "GetRoom" => {
            let call = client.get_room().identifier(ROOM);
            call.send().await.map(drop).map_err(Into::into)
        }
        "ListLoggingConfigurations" => {
            let call = client.list_logging_configurations();
            call.send().await.map(drop).map_err(Into::into)
        }
        "ListRooms" => client
            .list_rooms()
            .send()
            .await
            .map(drop)
            .map_err(Into::into),
        "ListTagsForResource" => {
            let call = client.list_tags_for_resource().resource_arn(ROOM);
            call.send().await.map(drop).map_err(Into::into)
        }
        "SendEvent" => {
            let call = client.send_event().room_identifier(ROOM).event_name("e");
            call.send().await.map(drop).map_err(Into::into)
        }
        "TagResource" => {
            let call = client.tag_resource().resource_arn(ROOM).tags("k", "v");
            call.send().await.map(drop).map_err(Into::into)
        }
        "UntagResource" => {
            let call = client.untag_resource().resource_arn(ROOM).tag_keys("k");
            call.send().await.map(drop).map_err(Into::into)
        }
        "UpdateLoggingConfiguration" => {
            let call = client.update_logging_configuration().identifier("lc");
            call.send().await.map(drop).map_err(Into::into)
        }
        "UpdateRoom" => {
            let call = client.update_room().identifier(ROOM);
            call.send().await.map(drop).map_err(Into::into)
        }
        other => panic!("no call for {other}"),
    }
}

/// The typed error's code and its fields as wire JSON.
fn code_and_fields(error: &ivschat::Error) -> (&'static str, Value) {
    use ivschat::Error as E;
    let fields = |v: Result<Value, serde_json::Error>| v.unwrap();
    match error {
        E::AccessDeniedException(e) => ("AccessDeniedException", fields(serde_json::to_value(e))),
        E::ConflictException(e) => ("ConflictException", fields(serde_json::to_value(e))),
        E::InternalServerException(e) => {
            ("InternalServerException", fields(serde_json::to_value(e)))
        }
        E::PendingVerification(e) => ("PendingVerification", fields(serde_json::to_value(e))),
        E::ResourceNotFoundException(e) => {
            ("ResourceNotFoundException", fields(serde_json::to_value(e)))
        }
        E::ServiceQuotaExceededException(e) => (
            "ServiceQuotaExceededException",
            fields(serde_json::to_value(e)),
        ),
        E::ThrottlingException(e) => ("ThrottlingException", fields(serde_json::to_value(e))),
        E::ValidationException(e) => ("ValidationException", fields(serde_json::to_value(e))),
        other => panic!("not a modeled error: {other:?}"),
    }
}

/// A body with every member of the exception set, as the service would send it.
fn error_body(model: &Value, shape: &str) -> Value {
    let members = model["shapes"][shape]["members"].as_object().unwrap();
    let mut body = Map::new();
    for name in members.keys() {
        let value = match name.as_str() {
            "message" => json!(format!("{shape} happened")),
            "resourceId" => json!("g1H2I3j4k5L6"),
            "resourceType" => json!("ROOM"),
            "limit" => json!(50),
            "reason" => json!("FIELD_VALIDATION_FAILED"),
            "fieldList" => json!([{"name": "name", "message": "too long"}]),
            other => panic!("unexpected member {other} of {shape}"),
        };
        body.insert(name.clone(), value);
    }
    Value::Object(body)
}

#[tokio::test]
async fn every_modeled_error_of_every_operation_is_typed_with_its_fields() {
    let model: Value = serde_json::from_str(MODEL).unwrap();
    let operations = model["operations"].as_object().unwrap();
    let mut checked = 0;
    for (operation, definition) in operations {
        for error_ref in definition["errors"].as_array().unwrap() {
            let shape = error_ref["shape"].as_str().unwrap();
            let status = model["shapes"][shape]["error"]["httpStatusCode"]
                .as_u64()
                .unwrap() as u16;
            let body = error_body(&model, shape);
            let server = TestServer::start(vec![error(status, shape, body.clone())]).await;
            let failure = call(&client(&server), operation)
                .await
                .expect_err("the server answered with an error");
            let (code, fields) = code_and_fields(&failure);
            assert_eq!(code, shape, "{operation}");
            assert_eq!(fields, body, "{operation} {shape}");
            assert_eq!(failure.code(), Some(shape));
            checked += 1;
        }
    }
    assert_eq!(checked, 69, "every (operation, error) pair of the model");
}

#[tokio::test]
async fn an_unknown_code_is_unhandled_with_its_metadata() {
    let body = json!({"message": "new failure mode"});
    let server = TestServer::start(vec![error(400, "BrandNewException", body)]).await;
    let failure = client(&server)
        .get_room()
        .identifier(ROOM)
        .send()
        .await
        .unwrap_err();
    assert_eq!(failure.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(failure.request_id(), Some("req-err-1"));
    let typed = failure.into_service_error().unwrap();
    let ivschat::operation::get_room::GetRoomError::Unhandled(meta) = typed else {
        panic!("expected unhandled, got {typed:?}");
    };
    assert_eq!(meta.code(), Some("BrandNewException"));
    assert_eq!(meta.message(), Some("new failure mode"));
}

#[tokio::test]
async fn the_error_code_may_come_from_the_body() {
    let body = json!({"__type": "com.amazonaws.ivschat#AccessDeniedException", "message": "no"});
    let action = loopback::Action::Reply {
        status: 403,
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: body.to_string().into_bytes(),
    };
    let server = TestServer::start(vec![action]).await;
    let failure = client(&server)
        .get_room()
        .identifier(ROOM)
        .send()
        .await
        .unwrap_err();
    let error = ivschat::Error::from(failure);
    assert_eq!(error.code(), Some("AccessDeniedException"));
    assert_eq!(error.to_string(), "AccessDeniedException: no");
}
