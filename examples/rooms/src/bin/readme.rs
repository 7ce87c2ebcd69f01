//! The example of the README, kept compiling.

use ivschat::Client;
use ivschat::types::ChatTokenCapability;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), ivschat::Error> {
    // Region, credentials and endpoint from the environment and ~/.aws, as the AWS SDKs do.
    let client = Client::from_env()?;
    let room = client.create_room().name("lobby").send().await?;
    let token = client
        .create_chat_token()
        .room_identifier(room.arn.as_deref().unwrap_or_default())
        .user_id("user-42")
        .capabilities(ChatTokenCapability::SendMessage)
        .send()
        .await?;
    let rooms = client
        .list_rooms()
        .into_paginator()
        .items()
        .try_collect()
        .await?;
    println!(
        "{} rooms; token expires {:?}",
        rooms.len(),
        token.token_expiration_time
    );
    Ok(())
}
