//! The sans-IO hot path of one call, each step on its own: serialize a CreateRoom
//! request, sign it, parse a GetRoom response and a ListRooms page of 50 rooms,
//! resolve the endpoint; and a whole GetRoom call through a transport that answers
//! from memory (everything a call costs except the network).

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, SystemTime};

use brisk_runtime::endpoint::{BuiltIns, EndpointResolver};
use brisk_runtime::operation::{Operation, parse};
use brisk_runtime::signing::{PathEncoding, SigningParams, sign_request};
use brisk_runtime::transport::{HttpTransport, TransportFuture};
use brisk_runtime::{ByteStream, Config, Credentials};
use bytes::Bytes;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ivschat::operation::create_room::CreateRoomInput;
use ivschat::operation::get_room::GetRoomInput;
use ivschat::operation::list_rooms::ListRoomsInput;
use ivschat::types::{FallbackResult, MessageReviewHandler};

const RULES: &str = include_str!("../../../generated/ivschat/src/endpoint-rule-set-1.json");
const PARTITIONS: &str = include_str!("../../../generated/ivschat/src/partitions.json");

fn create_room_input() -> CreateRoomInput {
    CreateRoomInput {
        name: Some("lobby".to_owned()),
        maximum_message_rate_per_second: Some(10),
        maximum_message_length: Some(500),
        message_review_handler: Some(MessageReviewHandler {
            uri: Some("arn:aws:lambda:us-west-2:123456789012:function:chat-review".to_owned()),
            fallback_result: Some(FallbackResult::Allow),
        }),
        tags: Some(HashMap::from([
            ("team".to_owned(), "chat".to_owned()),
            ("stage".to_owned(), "prod".to_owned()),
        ])),
        logging_configuration_identifiers: Some(vec![
            "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/ABcdef34ghIJ".to_owned(),
        ]),
    }
}

/// The CreateRoom request as the handle signs it: absolute URI, user agent.
fn absolute_request() -> http::Request<Bytes> {
    let relative = create_room_input().to_request().expect("valid input");
    let (mut parts, body) = relative.into_parts();
    parts.uri = "https://ivschat.us-west-2.amazonaws.com/CreateRoom"
        .parse()
        .expect("uri");
    parts
        .headers
        .insert("user-agent", http::HeaderValue::from_static("brisk/0.1"));
    http::Request::from_parts(parts, body)
}

fn json_response(body: String) -> http::Response<Bytes> {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .header("x-amzn-requestid", "8f1c2a4e-5b6d-4e7f-9a0b-000000000001")
        .body(Bytes::from(body))
        .expect("response")
}

fn serialize(c: &mut Criterion) {
    let input = create_room_input();
    c.bench_function("serialize CreateRoom (to_request)", |b| {
        b.iter(|| black_box(&input).to_request().expect("valid input"))
    });
}

fn sign(c: &mut Criterion) {
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        None,
    );
    let params = SigningParams {
        credentials: &credentials,
        region: "us-west-2",
        service: "ivschat",
        time: SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_636_800),
        path_encoding: PathEncoding::Double,
    };
    c.bench_function("sign CreateRoom (SigV4)", |b| {
        b.iter_batched_ref(
            absolute_request,
            |request| sign_request(request, &params).expect("signed"),
            BatchSize::SmallInput,
        )
    });
}

fn parse_responses(c: &mut Criterion) {
    let get_room = bench_server::get_room_body();
    c.bench_function("parse GetRoom response", |b| {
        b.iter_batched(
            || json_response(get_room.clone()),
            |response| parse::<GetRoomInput>(response).expect("parsed"),
            BatchSize::SmallInput,
        )
    });
    let list_rooms = bench_server::list_rooms_body(50);
    c.bench_function("parse ListRooms page (50 rooms)", |b| {
        b.iter_batched(
            || json_response(list_rooms.clone()),
            |response| parse::<ListRoomsInput>(response).expect("parsed"),
            BatchSize::SmallInput,
        )
    });
}

fn resolve_endpoint(c: &mut Criterion) {
    let resolver = EndpointResolver::new(RULES, PARTITIONS).expect("rules");
    let built_ins = BuiltIns {
        region: Some("us-west-2".to_owned()),
        ..BuiltIns::default()
    };
    c.bench_function("resolve endpoint (us-west-2)", |b| {
        b.iter(|| {
            resolver
                .resolve_built_ins(black_box(&built_ins))
                .expect("endpoint")
        })
    });
    c.bench_function("load endpoint rules and partitions", |b| {
        b.iter(|| EndpointResolver::new(black_box(RULES), PARTITIONS).expect("rules"))
    });
}

/// Answers every request with the same GetRoom response, without I/O.
#[derive(Debug)]
struct InMemory(Bytes);

impl HttpTransport for InMemory {
    fn send(&self, _request: http::Request<ByteStream>) -> TransportFuture<'_> {
        let response = json_response(String::new()).map(|_| ByteStream::from(self.0.clone()));
        Box::pin(std::future::ready(Ok(response)))
    }
}

fn whole_call(c: &mut Criterion) {
    let config = Config::builder()
        .region("us-west-2")
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None))
        .transport(InMemory(bench_server::get_room_body().into()))
        .build();
    let client = ivschat::Client::from_conf(config).expect("client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    c.bench_function("GetRoom call, in-memory transport", |b| {
        b.iter(|| {
            runtime
                .block_on(client.get_room().identifier(bench_server::ROOM_ARN).send())
                .expect("GetRoom")
        })
    });
}

criterion_group!(
    hot_path,
    serialize,
    sign,
    parse_responses,
    resolve_endpoint,
    whole_call
);
criterion_main!(hot_path);
