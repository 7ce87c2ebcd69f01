//! The tour against a loopback server that plays IVS Chat.

use std::time::Duration;

use ivschat::config::TimeoutConfig;
use ivschat::{Client, Config, Credentials};
use loopback::{Action, Received, TestServer};
use serde_json::{Value, json};

const ARN: &str = "arn:aws:ivschat:us-east-1:123456789012:room/tour";

fn answer(body: Value) -> Action {
    Action::Reply {
        status: 200,
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: body.to_string().into_bytes(),
    }
}

/// IVS Chat, as far as the tour needs it; the room list comes in two pages.
fn ivs_chat(request: &Received, _: usize) -> Action {
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    match request.target.as_str() {
        "/CreateRoom" => answer(json!({"arn": ARN, "id": "tour", "name": body["name"]})),
        "/CreateChatToken" => answer(json!({"token": "secret-token"})),
        "/ListRooms" if body["nextToken"].is_null() => {
            answer(json!({"rooms": [{"arn": "other"}], "nextToken": "page2"}))
        }
        "/ListRooms" => answer(json!({"rooms": [{"arn": ARN}]})),
        "/DeleteRoom" => Action::Reply {
            status: 204,
            headers: vec![],
            body: vec![],
        },
        _ => Action::Reply {
            status: 404,
            headers: vec![],
            body: vec![],
        },
    }
}

#[tokio::test]
async fn the_tour_creates_lists_and_deletes() {
    let server = TestServer::with_handler(ivs_chat).await;
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None))
        .endpoint_url(server.url())
        .timeouts(TimeoutConfig {
            connect: Duration::from_secs(2),
            attempt: Duration::from_secs(2),
            operation: Duration::from_secs(5),
        })
        .build();
    let client = Client::from_conf(config).unwrap();
    let tour = rooms_example::tour(&client, "lobby").await.unwrap();
    assert_eq!(
        tour,
        rooms_example::Tour {
            room_arn: ARN.to_owned(),
            rooms_listed: 2,
            got_token: true
        }
    );
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/CreateRoom",
            "/CreateChatToken",
            "/ListRooms",
            "/ListRooms",
            "/DeleteRoom"
        ]
    );
}
