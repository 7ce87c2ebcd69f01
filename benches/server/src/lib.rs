//! Realistic ivschat responses, shared by the loopback server and the micro-benchmarks.

use serde_json::{Value, json};

/// The room every response describes.
pub const ROOM_ARN: &str = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";

/// A room as ivschat describes it in GetRoom, CreateRoom and UpdateRoom.
pub fn room(index: usize) -> Value {
    json!({
        "arn": format!("arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k{index:03}"),
        "id": format!("g1H2I3j4k{index:03}"),
        "name": format!("room-{index}"),
        "createTime": "2024-03-01T12:34:56.789Z",
        "updateTime": "2024-03-02T08:15:00.123Z",
        "maximumMessageRatePerSecond": 10,
        "maximumMessageLength": 500,
        "messageReviewHandler": {
            "uri": "arn:aws:lambda:us-west-2:123456789012:function:chat-review",
            "fallbackResult": "ALLOW"
        },
        "tags": {"team": "chat", "stage": "prod"},
        "loggingConfigurationIdentifiers": [
            "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/ABcdef34ghIJ"
        ]
    })
}

/// The GetRoom response body.
pub fn get_room_body() -> String {
    room(0).to_string()
}

/// A ListRooms page of `count` room summaries, with a next token.
pub fn list_rooms_body(count: usize) -> String {
    let rooms: Vec<Value> = (0..count)
        .map(|i| {
            let mut summary = room(i);
            let object = summary.as_object_mut().expect("a room is an object");
            object.remove("maximumMessageRatePerSecond");
            object.remove("maximumMessageLength");
            summary
        })
        .collect();
    json!({ "rooms": rooms, "nextToken": "AQICAHhNextTokenExample0123456789" }).to_string()
}

/// The error body ivschat sends with `x-amzn-ErrorType: ResourceNotFoundException`.
pub fn not_found_body() -> String {
    json!({
        "message": "Room not found",
        "resourceId": "g1H2I3j4k5L6",
        "resourceType": "ROOM"
    })
    .to_string()
}
