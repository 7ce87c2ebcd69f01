//! Every ivschat operation end to end against a real HTTP server on loopback:
//! the request the model implies (method, path, query, headers, JSON body,
//! and a signature recomputed independently over the received bytes), and a
//! realistic response parsed into the typed output.

mod common;

use common::{assert_signed, body_json, client, empty, json, path_and_query};
use ivschat::types::{
    ChatTokenCapability, CreateLoggingConfigurationState, DestinationConfiguration, FallbackResult,
    LoggingConfigurationState, MessageReviewHandler, S3DestinationConfiguration,
    UpdateLoggingConfigurationState,
};
use loopback::{Action, Received, TestServer};
use serde_json::{Value, json};

const ROOM_ARN: &str = "arn:aws:ivschat:us-east-1:123456789012:room/g1H2I3j4k5L6";
const LOGGING_ARN: &str =
    "arn:aws:ivschat:us-east-1:123456789012:logging-configuration/ABcdef34ghIJ";

/// Serves `answer` to one call and returns what the server received.
async fn serve(answer: Action) -> TestServer {
    TestServer::start(vec![answer]).await
}

fn only_request(server: &TestServer) -> Received {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "exactly one attempt");
    let request = requests.into_iter().next().unwrap();
    assert_signed(&request, "ivschat");
    request
}

/// Method, path, sorted query, and JSON body (`Null` for none).
fn assert_wire(request: &Received, method: &str, path: &str, query: &[&str], body: Value) {
    assert_eq!(request.method, method);
    let (got_path, got_query) = path_and_query(request);
    assert_eq!(got_path, path);
    assert_eq!(got_query, query);
    assert_eq!(body_json(request), body);
    if body.is_null() {
        assert_eq!(request.header("content-type"), None);
        assert!(request.body.is_empty());
    } else {
        assert_eq!(request.header("content-type"), Some("application/json"));
    }
}

fn room_json() -> Value {
    json!({
        "arn": ROOM_ARN,
        "id": "g1H2I3j4k5L6",
        "name": "lobby",
        "createTime": "2024-03-01T12:34:56.789Z",
        "updateTime": "2024-03-02T00:00:00Z",
        "maximumMessageRatePerSecond": 10,
        "maximumMessageLength": 500,
        "messageReviewHandler": {"uri": "arn:aws:lambda:us-east-1:123456789012:function:review", "fallbackResult": "DENY"},
        "tags": {"team": "chat"},
        "loggingConfigurationIdentifiers": [LOGGING_ARN]
    })
}

fn logging_json(state: &str) -> Value {
    json!({
        "arn": LOGGING_ARN,
        "id": "ABcdef34ghIJ",
        "name": "logs",
        "createTime": "2024-03-01T12:34:56Z",
        "updateTime": "2024-03-01T12:34:56Z",
        "destinationConfiguration": {"s3": {"bucketName": "chat-logs"}},
        "state": state,
        "tags": {}
    })
}

fn s3(bucket: &str) -> DestinationConfiguration {
    DestinationConfiguration::S3(S3DestinationConfiguration {
        bucket_name: Some(bucket.to_owned()),
    })
}

#[tokio::test]
async fn create_chat_token() {
    let server = serve(json(
        200,
        json!({
            "token": "ACEGmb3...",
            "tokenExpirationTime": "2024-03-01T13:34:56Z",
            "sessionExpirationTime": "2024-03-01T14:34:56Z"
        }),
    ))
    .await;
    let output = client(&server)
        .create_chat_token()
        .room_identifier(ROOM_ARN)
        .user_id("user-42")
        .capabilities(ChatTokenCapability::SendMessage)
        .capabilities("DELETE_MESSAGE")
        .session_duration_in_minutes(30)
        .attributes("displayName", "Ada")
        .send()
        .await
        .unwrap();
    assert_eq!(output.token.as_deref(), Some("ACEGmb3..."));
    assert_eq!(
        output.session_expiration_time.unwrap().unix_timestamp(),
        1_709_303_696
    );
    assert_wire(
        &only_request(&server),
        "POST",
        "/CreateChatToken",
        &[],
        json!({
            "roomIdentifier": ROOM_ARN,
            "userId": "user-42",
            "capabilities": ["SEND_MESSAGE", "DELETE_MESSAGE"],
            "sessionDurationInMinutes": 30,
            "attributes": {"displayName": "Ada"}
        }),
    );
}

#[tokio::test]
async fn create_logging_configuration() {
    let server = serve(json(200, logging_json("ACTIVE"))).await;
    let output = client(&server)
        .create_logging_configuration()
        .name("logs")
        .destination_configuration(s3("chat-logs"))
        .tags("env", "test")
        .send()
        .await
        .unwrap();
    assert_eq!(output.state, Some(CreateLoggingConfigurationState::Active));
    assert_eq!(output.destination_configuration, Some(s3("chat-logs")));
    assert_wire(
        &only_request(&server),
        "POST",
        "/CreateLoggingConfiguration",
        &[],
        json!({
            "name": "logs",
            "destinationConfiguration": {"s3": {"bucketName": "chat-logs"}},
            "tags": {"env": "test"}
        }),
    );
}

#[tokio::test]
async fn create_room() {
    let server = serve(json(200, room_json())).await;
    let output = client(&server)
        .create_room()
        .name("lobby")
        .maximum_message_rate_per_second(10)
        .maximum_message_length(500)
        .message_review_handler(MessageReviewHandler {
            uri: Some("arn:aws:lambda:us-east-1:123456789012:function:review".to_owned()),
            fallback_result: Some(FallbackResult::Deny),
        })
        .logging_configuration_identifiers(LOGGING_ARN)
        .tags("team", "chat")
        .send()
        .await
        .unwrap();
    assert_eq!(output.arn.as_deref(), Some(ROOM_ARN));
    assert_eq!(output.create_time.unwrap().millisecond(), 789);
    assert_eq!(
        output.message_review_handler.unwrap().fallback_result,
        Some(FallbackResult::Deny)
    );
    assert_wire(
        &only_request(&server),
        "POST",
        "/CreateRoom",
        &[],
        json!({
            "name": "lobby",
            "maximumMessageRatePerSecond": 10,
            "maximumMessageLength": 500,
            "messageReviewHandler": {"uri": "arn:aws:lambda:us-east-1:123456789012:function:review", "fallbackResult": "DENY"},
            "tags": {"team": "chat"},
            "loggingConfigurationIdentifiers": [LOGGING_ARN]
        }),
    );
}

#[tokio::test]
async fn create_room_with_nothing_set_sends_an_empty_object() {
    let server = serve(json(200, room_json())).await;
    client(&server).create_room().send().await.unwrap();
    assert_wire(
        &only_request(&server),
        "POST",
        "/CreateRoom",
        &[],
        json!({}),
    );
}

#[tokio::test]
async fn delete_logging_configuration() {
    let server = serve(empty(204)).await;
    client(&server)
        .delete_logging_configuration()
        .identifier(LOGGING_ARN)
        .send()
        .await
        .unwrap();
    assert_wire(
        &only_request(&server),
        "POST",
        "/DeleteLoggingConfiguration",
        &[],
        json!({"identifier": LOGGING_ARN}),
    );
}

#[tokio::test]
async fn delete_message() {
    let server = serve(json(200, json!({"id": "ABC123def456"}))).await;
    let output = client(&server)
        .delete_message()
        .room_identifier(ROOM_ARN)
        .id("ABC123def456")
        .reason("spam")
        .send()
        .await
        .unwrap();
    assert_eq!(output.id.as_deref(), Some("ABC123def456"));
    assert_wire(
        &only_request(&server),
        "POST",
        "/DeleteMessage",
        &[],
        json!({"roomIdentifier": ROOM_ARN, "id": "ABC123def456", "reason": "spam"}),
    );
}

#[tokio::test]
async fn delete_room() {
    let server = serve(empty(204)).await;
    client(&server)
        .delete_room()
        .identifier(ROOM_ARN)
        .send()
        .await
        .unwrap();
    assert_wire(
        &only_request(&server),
        "POST",
        "/DeleteRoom",
        &[],
        json!({"identifier": ROOM_ARN}),
    );
}

#[tokio::test]
async fn disconnect_user() {
    let server = serve(json(200, json!({}))).await;
    client(&server)
        .disconnect_user()
        .room_identifier(ROOM_ARN)
        .user_id("user-42")
        .reason("bye")
        .send()
        .await
        .unwrap();
    assert_wire(
        &only_request(&server),
        "POST",
        "/DisconnectUser",
        &[],
        json!({"roomIdentifier": ROOM_ARN, "userId": "user-42", "reason": "bye"}),
    );
}

#[tokio::test]
async fn get_logging_configuration() {
    let server = serve(json(200, logging_json("ACTIVE"))).await;
    let output = client(&server)
        .get_logging_configuration()
        .identifier(LOGGING_ARN)
        .send()
        .await
        .unwrap();
    assert_eq!(output.state, Some(LoggingConfigurationState::Active));
    assert_eq!(output.name.as_deref(), Some("logs"));
    assert_wire(
        &only_request(&server),
        "POST",
        "/GetLoggingConfiguration",
        &[],
        json!({"identifier": LOGGING_ARN}),
    );
}

#[tokio::test]
async fn get_room() {
    let server = serve(json(200, room_json())).await;
    let output = client(&server)
        .get_room()
        .identifier(ROOM_ARN)
        .send()
        .await
        .unwrap();
    assert_eq!(output.id.as_deref(), Some("g1H2I3j4k5L6"));
    assert_eq!(output.maximum_message_length, Some(500));
    assert_eq!(output.tags.unwrap()["team"], "chat");
    assert_wire(
        &only_request(&server),
        "POST",
        "/GetRoom",
        &[],
        json!({"identifier": ROOM_ARN}),
    );
}

#[tokio::test]
async fn list_logging_configurations() {
    let server = serve(json(
        200,
        json!({"loggingConfigurations": [logging_json("ACTIVE")], "nextToken": "t2"}),
    ))
    .await;
    let output = client(&server)
        .list_logging_configurations()
        .max_results(5)
        .send()
        .await
        .unwrap();
    assert_eq!(output.logging_configurations.unwrap().len(), 1);
    assert_eq!(output.next_token.as_deref(), Some("t2"));
    assert_wire(
        &only_request(&server),
        "POST",
        "/ListLoggingConfigurations",
        &[],
        json!({"maxResults": 5}),
    );
}

#[tokio::test]
async fn list_rooms() {
    let server = serve(json(200, json!({"rooms": [room_json()]}))).await;
    let output = client(&server)
        .list_rooms()
        .name("lobby")
        .max_results(50)
        .message_review_handler_uri("arn:aws:lambda:us-east-1:123456789012:function:review")
        .logging_configuration_identifier(LOGGING_ARN)
        .send()
        .await
        .unwrap();
    assert_eq!(output.rooms.unwrap()[0].name.as_deref(), Some("lobby"));
    assert_eq!(output.next_token, None);
    assert_wire(
        &only_request(&server),
        "POST",
        "/ListRooms",
        &[],
        json!({
            "name": "lobby",
            "maxResults": 50,
            "messageReviewHandlerUri": "arn:aws:lambda:us-east-1:123456789012:function:review",
            "loggingConfigurationIdentifier": LOGGING_ARN
        }),
    );
}

#[tokio::test]
async fn list_tags_for_resource() {
    let server = serve(json(200, json!({"tags": {"team": "chat"}}))).await;
    let output = client(&server)
        .list_tags_for_resource()
        .resource_arn(ROOM_ARN)
        .send()
        .await
        .unwrap();
    assert_eq!(output.tags.unwrap()["team"], "chat");
    assert_wire(
        &only_request(&server),
        "GET",
        "/tags/arn%3Aaws%3Aivschat%3Aus-east-1%3A123456789012%3Aroom%2Fg1H2I3j4k5L6",
        &[],
        Value::Null,
    );
}

#[tokio::test]
async fn send_event() {
    let server = serve(json(200, json!({"id": "evt-1"}))).await;
    let output = client(&server)
        .send_event()
        .room_identifier(ROOM_ARN)
        .event_name("app:confetti")
        .attributes("color", "gold")
        .send()
        .await
        .unwrap();
    assert_eq!(output.id.as_deref(), Some("evt-1"));
    assert_wire(
        &only_request(&server),
        "POST",
        "/SendEvent",
        &[],
        json!({"roomIdentifier": ROOM_ARN, "eventName": "app:confetti", "attributes": {"color": "gold"}}),
    );
}

#[tokio::test]
async fn tag_resource() {
    let server = serve(json(200, json!({}))).await;
    client(&server)
        .tag_resource()
        .resource_arn(ROOM_ARN)
        .tags("team", "chat")
        .send()
        .await
        .unwrap();
    assert_wire(
        &only_request(&server),
        "POST",
        "/tags/arn%3Aaws%3Aivschat%3Aus-east-1%3A123456789012%3Aroom%2Fg1H2I3j4k5L6",
        &[],
        json!({"tags": {"team": "chat"}}),
    );
}

#[tokio::test]
async fn untag_resource() {
    let server = serve(json(200, json!({}))).await;
    client(&server)
        .untag_resource()
        .resource_arn(ROOM_ARN)
        .tag_keys("team")
        .tag_keys("env stage")
        .send()
        .await
        .unwrap();
    assert_wire(
        &only_request(&server),
        "DELETE",
        "/tags/arn%3Aaws%3Aivschat%3Aus-east-1%3A123456789012%3Aroom%2Fg1H2I3j4k5L6",
        &["tagKeys=env%20stage", "tagKeys=team"],
        Value::Null,
    );
}

#[tokio::test]
async fn update_logging_configuration() {
    let server = serve(json(200, logging_json("ACTIVE"))).await;
    let output = client(&server)
        .update_logging_configuration()
        .identifier(LOGGING_ARN)
        .name("logs")
        .destination_configuration(s3("chat-logs"))
        .send()
        .await
        .unwrap();
    assert_eq!(output.state, Some(UpdateLoggingConfigurationState::Active));
    assert_wire(
        &only_request(&server),
        "POST",
        "/UpdateLoggingConfiguration",
        &[],
        json!({
            "identifier": LOGGING_ARN,
            "name": "logs",
            "destinationConfiguration": {"s3": {"bucketName": "chat-logs"}}
        }),
    );
}

#[tokio::test]
async fn update_room() {
    let server = serve(json(200, room_json())).await;
    let output = client(&server)
        .update_room()
        .identifier(ROOM_ARN)
        .name("lobby")
        .maximum_message_length(500)
        .logging_configuration_identifiers(LOGGING_ARN)
        .send()
        .await
        .unwrap();
    assert_eq!(output.name.as_deref(), Some("lobby"));
    assert_wire(
        &only_request(&server),
        "POST",
        "/UpdateRoom",
        &[],
        json!({
            "identifier": ROOM_ARN,
            "name": "lobby",
            "maximumMessageLength": 500,
            "loggingConfigurationIdentifiers": [LOGGING_ARN]
        }),
    );
}
