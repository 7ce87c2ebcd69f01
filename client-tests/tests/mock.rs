//! The test double: a client whose calls are answered by typed handlers, with
//! the typed inputs recorded and no network.

use std::sync::Arc;

use ivschat::operation::create_room::{CreateRoomError, CreateRoomInput, CreateRoomOutput};
use ivschat::operation::get_room::{GetRoomInput, GetRoomOutput};
use ivschat::testing::Mock;
use ivschat::types::error::ValidationException;

/// Code under test: creates a room and returns its id.
async fn open_lobby(client: &ivschat::Client) -> Result<String, ivschat::Error> {
    let room = client.create_room().name("lobby").send().await?;
    Ok(room.id.unwrap_or_default())
}

#[tokio::test]
async fn handlers_answer_and_inputs_are_recorded() {
    let mock = Arc::new(
        Mock::new()
            .on(|input: &CreateRoomInput| {
                Ok(CreateRoomOutput {
                    id: Some(format!("id-of-{}", input.name.as_deref().unwrap_or(""))),
                    ..Default::default()
                })
            })
            .on(|input: &GetRoomInput| {
                Ok(GetRoomOutput {
                    id: input.identifier.clone(),
                    ..Default::default()
                })
            }),
    );
    let client = ivschat::Client::from_mock(mock.clone());
    assert_eq!(open_lobby(&client).await.unwrap(), "id-of-lobby");
    let room = client.get_room().identifier("r1").send().await.unwrap();
    assert_eq!(room.id.as_deref(), Some("r1"));

    let created = mock.requests::<CreateRoomInput>();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].name.as_deref(), Some("lobby"));
    assert_eq!(
        mock.requests::<GetRoomInput>()[0].identifier.as_deref(),
        Some("r1")
    );
    assert_eq!(mock.call_count(), 2);
}

#[tokio::test]
async fn handlers_return_typed_errors() {
    let mock = Arc::new(Mock::new().on(|_: &CreateRoomInput| {
        Err(CreateRoomError::ValidationException(ValidationException {
            message: Some("name taken".to_owned()),
            ..Default::default()
        }))
    }));
    let client = ivschat::Client::from_mock(mock);
    let error = open_lobby(&client).await.unwrap_err();
    assert!(matches!(error, ivschat::Error::ValidationException(_)));
    assert_eq!(error.to_string(), "ValidationException: name taken");
}

#[tokio::test]
async fn invalid_inputs_fail_as_they_would_for_real_and_missing_handlers_say_so() {
    let client = ivschat::Client::from_mock(Arc::new(Mock::new()));
    let invalid = client.get_room().send().await.unwrap_err();
    assert!(
        invalid
            .to_string()
            .contains("missing required member `identifier`"),
        "{invalid}"
    );
    let unhandled = client.get_room().identifier("r1").send().await.unwrap_err();
    assert!(
        unhandled
            .to_string()
            .contains("the mock has no handler for `GetRoom`"),
        "{unhandled}"
    );
}
