//! A tour of the ivschat client: create a room, issue a chat token for it,
//! find it by listing every room with the paginator, and delete it.

use ivschat::Client;
use ivschat::types::ChatTokenCapability;

/// What the tour did.
#[derive(Debug, PartialEq, Eq)]
pub struct Tour {
    /// The ARN of the room created (and deleted again).
    pub room_arn: String,
    /// How many rooms the listing returned, the new one included.
    pub rooms_listed: usize,
    /// Whether a chat token came back (its value is never printed).
    pub got_token: bool,
}

/// Runs the tour with `client`, naming the room `name`.
pub async fn tour(client: &Client, name: &str) -> Result<Tour, ivschat::Error> {
    let room = client
        .create_room()
        .name(name)
        .maximum_message_length(500)
        .tags("created-by", "rooms-example")
        .send()
        .await?;
    let room_arn = room.arn.unwrap_or_default();

    let token = client
        .create_chat_token()
        .room_identifier(&room_arn)
        .user_id("example-user")
        .capabilities(ChatTokenCapability::SendMessage)
        .session_duration_in_minutes(30)
        .send()
        .await?;

    let rooms = client
        .list_rooms()
        .into_paginator()
        .page_size(50)
        .items()
        .try_collect()
        .await?;

    client.delete_room().identifier(&room_arn).send().await?;
    Ok(Tour {
        rooms_listed: rooms.len(),
        got_token: token.token.is_some(),
        room_arn,
    })
}
