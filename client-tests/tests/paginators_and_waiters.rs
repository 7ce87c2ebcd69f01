//! Paginators (ivschat's inferred ones) and waiters (the paging fixture) end
//! to end against a loopback server.

mod common;

use std::time::Duration;

use brisk_runtime::paginator::Stream;
use common::{body_json, client, config, json};
use loopback::{Action, Received, TestServer};
use serde_json::{Value, json};

fn room(id: &str) -> Value {
    json!({"arn": format!("arn:aws:ivschat:us-east-1:1:room/{id}"), "id": id, "name": id})
}

/// Answers ListRooms in three pages: no token -> t1 -> t2 -> end.
fn three_pages(request: &Received, _: usize) -> Action {
    let token = body_json(request)["nextToken"].as_str().map(str::to_owned);
    match token.as_deref() {
        None => json(
            200,
            json!({"rooms": [room("a"), room("b")], "nextToken": "t1"}),
        ),
        Some("t1") => json(200, json!({"rooms": [room("c")], "nextToken": "t2"})),
        Some("t2") => json(200, json!({"rooms": [room("d")]})),
        Some(other) => json(400, json!({"message": format!("bad token {other}")})),
    }
}

#[tokio::test]
async fn pages_follow_the_token_until_the_last_page() {
    let server = TestServer::with_handler(three_pages).await;
    let mut pages = client(&server)
        .list_rooms()
        .into_paginator()
        .page_size(2)
        .send();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().rooms.unwrap().len());
    }
    assert_eq!(sizes, [2, 1, 1]);
    let sent: Vec<Value> = server.requests().iter().map(body_json).collect();
    assert_eq!(
        sent,
        [
            json!({"maxResults": 2}),
            json!({"maxResults": 2, "nextToken": "t1"}),
            json!({"maxResults": 2, "nextToken": "t2"}),
        ]
    );
}

#[tokio::test]
async fn items_flatten_every_page() {
    let server = TestServer::with_handler(three_pages).await;
    let rooms = client(&server)
        .list_rooms()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = rooms.into_iter().map(|r| r.id.unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
}

#[tokio::test]
async fn pages_are_a_stream() {
    let server = TestServer::with_handler(three_pages).await;
    let mut pages = client(&server).list_rooms().into_paginator().send();
    let mut count = 0;
    while let Some(page) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut pages).poll_next(cx)).await
    {
        page.unwrap();
        count += 1;
    }
    assert_eq!(count, 3);
}

#[tokio::test]
async fn a_repeated_token_ends_the_stream() {
    let server = TestServer::start(vec![json(
        200,
        json!({"rooms": [room("a")], "nextToken": "same"}),
    )])
    .await;
    let pages = client(&server)
        .list_logging_configurations()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    // The first page asks for `same`; the second repeats it, so paging stops.
    assert_eq!(pages.len(), 2);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_reporting_it() {
    let server = TestServer::start(vec![
        json(200, json!({"rooms": [room("a")], "nextToken": "t1"})),
        common::error(400, "ValidationException", json!({"message": "bad token"})),
    ])
    .await;
    let mut pages = client(&server).list_rooms().into_paginator().send();
    assert!(pages.next().await.unwrap().is_ok());
    let error = pages.next().await.unwrap().unwrap_err();
    assert_eq!(
        error.as_service_error().and_then(|e| e.code()),
        Some("ValidationException")
    );
    assert!(pages.next().await.is_none());
}

fn paging_client(server: &TestServer) -> fixture_paging::Client {
    fixture_paging::Client::from_conf(config(server)).unwrap()
}

#[tokio::test]
async fn a_waiter_polls_until_success() {
    let server = TestServer::start(vec![
        common::error(404, "ItemNotFound", json!({"message": "not yet"})),
        json(200, json!({"id": "i1", "state": "PENDING"})),
        json(200, json!({"id": "i1", "state": "READY"})),
    ])
    .await;
    let item = paging_client(&server)
        .get_item()
        .id("i1")
        .wait_until_item_ready(Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(item.state, Some(fixture_paging::types::ItemState::Ready));
    assert_eq!(server.requests().len(), 3);
    assert!(server.requests().iter().all(|r| r.target == "/items/i1"));
}

#[tokio::test]
async fn a_waiter_stops_at_a_failure_state() {
    let server = TestServer::start(vec![json(200, json!({"id": "i1", "state": "FAILED"}))]).await;
    let error = paging_client(&server)
        .get_item()
        .id("i1")
        .wait_until_item_ready(Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(
        matches!(error, brisk_runtime::waiter::WaiterError::Failure(_)),
        "{error}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_waiter_gives_up_within_its_time() {
    let server = TestServer::start(vec![json(200, json!({"id": "i1", "state": "PENDING"}))]).await;
    let error = paging_client(&server)
        .get_item()
        .id("i1")
        .wait_until_item_ready(Duration::from_secs(3))
        .await
        .unwrap_err();
    // The model's delay is 2 s: one more attempt would pass the 3 s limit.
    let brisk_runtime::waiter::WaiterError::Exhausted { attempts, .. } = error else {
        panic!("expected exhaustion, got {error}");
    };
    assert_eq!(attempts, 2);
}

/// Answers ListGroups: the names sit two structures deep; a page may leave out
/// the structures that hold them.
fn nested_pages(request: &Received, _: usize) -> Action {
    let page = |names: Value, token: Option<&str>| {
        let mut body = json!({"Collection": {"Stacks": {"Names": names}, "Tags": ["t"]}});
        if let Some(token) = token {
            body["NextToken"] = json!(token);
        }
        json(200, body)
    };
    match request.target.split_once("NextToken=").map(|(_, t)| t) {
        None => page(json!(["a", "b"]), Some("p2")),
        Some("p2") => json(
            200,
            json!({"Collection": {"Tags": ["t"]}, "NextToken": "p3"}),
        ),
        Some("p3") => page(json!(["c"]), None),
        Some(other) => json(400, json!({"message": format!("bad token {other}")})),
    }
}

#[tokio::test]
async fn items_follow_a_nested_result_key() {
    let server = TestServer::with_handler(nested_pages).await;
    let names = paging_client(&server)
        .list_groups()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a", "b", "c"]);
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        ["/groups", "/groups?NextToken=p2", "/groups?NextToken=p3"]
    );
}
