//! Generated types read and write the model's wire JSON: wire names, wire
//! formats, unions, enums, and only body members.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use ivschat::operation::create_chat_token::CreateChatTokenInput;
use ivschat::operation::create_logging_configuration::CreateLoggingConfigurationInput;
use ivschat::operation::get_room::GetRoomOutput;
use ivschat::operation::list_rooms::ListRoomsOutput;
use ivschat::operation::list_tags_for_resource::ListTagsForResourceInput;
use ivschat::operation::untag_resource::UntagResourceInput;
use ivschat::primitives::DateTime;
use ivschat::types::error::ValidationException;
use ivschat::types::{
    ChatTokenCapability, DestinationConfiguration, FallbackResult, S3DestinationConfiguration,
    ValidationExceptionReason,
};

/// Reads `wire` as `T`, writes it back, and checks the JSON is the same.
fn round_trip<T: Serialize + DeserializeOwned>(wire: Value) -> T {
    let value: T = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(serde_json::to_value(&value).unwrap(), wire);
    value
}

#[test]
fn get_room_output_round_trips_with_iso8601_times() {
    let output: GetRoomOutput = round_trip(json!({
        "arn": "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6",
        "id": "g1H2I3j4k5L6",
        "name": "lobby",
        "createTime": "2024-03-01T12:34:56.789Z",
        "updateTime": "2024-03-02T00:00:00Z",
        "maximumMessageRatePerSecond": 10,
        "maximumMessageLength": 500,
        "messageReviewHandler": {
            "uri": "arn:aws:lambda:us-west-2:123456789012:function:review",
            "fallbackResult": "ALLOW"
        },
        "tags": {"team": "chat"},
        "loggingConfigurationIdentifiers": ["arn:aws:ivschat:us-west-2:123456789012:logging-configuration/abc"]
    }));
    assert_eq!(output.name.as_deref(), Some("lobby"));
    assert_eq!(output.maximum_message_rate_per_second, Some(10));
    let created = output.create_time.unwrap();
    assert_eq!(created.unix_timestamp(), 1_709_296_496);
    assert_eq!(created.millisecond(), 789);
    let handler = output.message_review_handler.unwrap();
    assert_eq!(handler.fallback_result, Some(FallbackResult::Allow));
}

#[test]
fn timestamps_with_offsets_read_as_the_same_instant() {
    let output: GetRoomOutput =
        serde_json::from_value(json!({"createTime": "2019-12-16T22:48:18-01:00"})).unwrap();
    let expected = DateTime::from_unix_timestamp(1_576_540_098).unwrap();
    assert_eq!(output.create_time, Some(expected));
    assert_eq!(
        serde_json::to_value(&output).unwrap(),
        json!({"createTime": "2019-12-16T23:48:18Z"})
    );
    let bad = serde_json::from_value::<GetRoomOutput>(json!({"createTime": "soon"}));
    assert!(
        bad.unwrap_err()
            .to_string()
            .contains("`soon` is not an ISO 8601 date-time")
    );
}

#[test]
fn list_rooms_page_round_trips() {
    let rooms: Vec<Value> = (0..3)
        .map(|i| {
            json!({
                "arn": format!("arn:aws:ivschat:us-west-2:123456789012:room/r{i}"),
                "id": format!("r{i}"),
                "name": format!("room-{i}"),
                "createTime": "2024-01-01T00:00:00Z",
                "updateTime": "2024-01-01T00:00:00Z",
                "loggingConfigurationIdentifiers": [],
                "tags": {}
            })
        })
        .collect();
    let page: ListRoomsOutput = round_trip(json!({"rooms": rooms, "nextToken": "t2"}));
    assert_eq!(page.rooms.unwrap().len(), 3);
    assert_eq!(page.next_token.as_deref(), Some("t2"));
}

#[test]
fn unions_are_objects_with_one_member() {
    let input: CreateLoggingConfigurationInput = round_trip(json!({
        "name": "logs",
        "destinationConfiguration": {"s3": {"bucketName": "chat-logs"}},
        "tags": {"a": "b"}
    }));
    assert_eq!(
        input.destination_configuration,
        Some(DestinationConfiguration::S3(S3DestinationConfiguration {
            bucket_name: Some("chat-logs".to_owned()),
        }))
    );
}

#[test]
fn unknown_union_members_are_kept_by_name_and_not_sent() {
    let input: CreateLoggingConfigurationInput = serde_json::from_value(json!({
        "destinationConfiguration": {"kafka": {"topic": "t"}}
    }))
    .unwrap();
    assert_eq!(
        input.destination_configuration,
        Some(DestinationConfiguration::Unknown("kafka".to_owned()))
    );
    let error = serde_json::to_value(&input).unwrap_err().to_string();
    assert!(error.contains("cannot send member `kafka`"), "{error}");
}

#[test]
fn unions_reject_no_member_and_two_members_but_ignore_type() {
    let read = |v: Value| serde_json::from_value::<DestinationConfiguration>(v);
    assert!(
        read(json!({}))
            .unwrap_err()
            .to_string()
            .contains("no member set")
    );
    let two = json!({"s3": {"bucketName": "a"}, "firehose": {"deliveryStreamName": "b"}});
    assert!(
        read(two)
            .unwrap_err()
            .to_string()
            .contains("more than one member")
    );
    let typed = json!({"__type": "x#Dest", "s3": {"bucketName": "a"}});
    assert!(matches!(
        read(typed).unwrap(),
        DestinationConfiguration::S3(_)
    ));
}

#[test]
fn enums_keep_unknown_values() {
    let input: CreateChatTokenInput = round_trip(json!({
        "roomIdentifier": "arn:aws:ivschat:us-west-2:123456789012:room/abc",
        "userId": "u1",
        "capabilities": ["SEND_MESSAGE", "FLY"],
        "sessionDurationInMinutes": 60,
        "attributes": {"color": "blue"}
    }));
    let capabilities = input.capabilities.unwrap();
    assert_eq!(capabilities[0], ChatTokenCapability::SendMessage);
    assert_eq!(
        capabilities[1],
        ChatTokenCapability::Unknown("FLY".to_owned())
    );
    assert_eq!(capabilities[1].as_str(), "FLY");
    assert_eq!(
        ChatTokenCapability::VALUES,
        ["SEND_MESSAGE", "DISCONNECT_USER", "DELETE_MESSAGE"]
    );
    assert_eq!(
        "DELETE_MESSAGE".parse::<ChatTokenCapability>().unwrap(),
        ChatTokenCapability::DeleteMessage
    );
    assert_eq!(
        ChatTokenCapability::DisconnectUser.to_string(),
        "DISCONNECT_USER"
    );
}

#[test]
fn exceptions_carry_their_fields_and_display_code_and_message() {
    let error: ValidationException = round_trip(json!({
        "message": "bad name",
        "reason": "FIELD_VALIDATION_FAILED",
        "fieldList": [{"name": "name", "message": "too long"}]
    }));
    assert_eq!(
        error.reason,
        Some(ValidationExceptionReason::FieldValidationFailed)
    );
    assert_eq!(
        error.field_list.as_ref().unwrap()[0].name.as_deref(),
        Some("name")
    );
    assert_eq!(error.to_string(), "ValidationException: bad name");
    assert_eq!(ValidationException::CODE, "ValidationException");
}

#[test]
fn unknown_fields_are_ignored() {
    let output: GetRoomOutput =
        serde_json::from_value(json!({"id": "r1", "shinyNewField": {"x": 1}})).unwrap();
    assert_eq!(output.id.as_deref(), Some("r1"));
}

#[test]
fn only_body_members_are_in_the_json() {
    let input = ListTagsForResourceInput {
        resource_arn: Some("arn:aws:ivschat:us-west-2:123456789012:room/abc".to_owned()),
    };
    assert_eq!(serde_json::to_value(&input).unwrap(), json!({}));
    let input = UntagResourceInput {
        resource_arn: Some("arn".to_owned()),
        tag_keys: Some(vec!["a".to_owned()]),
    };
    assert_eq!(serde_json::to_value(&input).unwrap(), json!({}));
}

#[test]
fn every_wire_format_of_the_locations_fixture() {
    use fixture_locations::operation::put_thing::PutThingInput;
    let input: PutThingInput = round_trip(json!({
        "clientToken": "t",
        "flag": true,
        "small": -8,
        "medium": 300,
        "count": 7,
        "total": 9_007_199_254_740_993_i64,
        "ratio": 0.5,
        "score": 1.25,
        "createdAt": 1_576_540_098,
        "isoAt": "2019-12-16T23:48:18Z",
        "httpAt": "Mon, 16 Dec 2019 23:48:18 GMT",
        "history": [1, 2.5],
        "data": "aGVsbG8=",
        "document": {"any": ["json", 1, null]},
        "kind": "extra-large",
        "kindCounts": {"small": 1, "LARGE": 2},
        "renamed_on_wire": "r"
    }));
    assert_eq!(input.data.unwrap().as_bytes(), b"hello");
    assert_eq!(input.http_at, input.iso_at);
    assert_eq!(input.created_at, input.iso_at);
    assert_eq!(input.history.unwrap()[1].millisecond(), 500);
    assert_eq!(input.renamed_member.as_deref(), Some("r"));
    assert_eq!(input.total, Some(9_007_199_254_740_993));
}

#[test]
fn keywords_and_recursion_in_the_obstacle_fixture() {
    use fixture_obstacle::operation::r#type::TypeInput;
    use fixture_obstacle::types::{Choice, Tree};
    let input: TypeInput = round_trip(json!({
        "type": "keyword",
        "self": "me",
        "crate": "c",
        "async": 1,
        "2fa": true,
        "ID": "id-1",
        "Option": "1080p",
        "tree": {
            "children": [{"children": []}],
            "parent": {"parent": {}},
            "choice": {"at": 1_576_540_098}
        },
        "choice": {"tree": {"choice": {"self": "s"}}}
    }));
    assert_eq!(input.r#type.as_deref(), Some("keyword"));
    assert_eq!(input.self_.as_deref(), Some("me"));
    assert_eq!(input._2fa, Some(true));
    let tree: Tree = input.tree.unwrap();
    assert!(tree.parent.unwrap().parent.is_some());
    assert!(matches!(tree.choice.as_deref(), Some(Choice::At(_))));
    let Some(Choice::Tree(inner)) = input.choice else {
        panic!("expected a tree");
    };
    assert_eq!(
        inner.choice,
        Some(Box::new(Choice::SelfValue("s".to_owned())))
    );
}

#[test]
fn a_shape_named_like_an_operation_type_keeps_its_name() {
    use fixture_obstacle::operation::clash::{ClashOperationError, ClashOperationOutput};
    use fixture_obstacle::types::ClashError;
    let output: ClashOperationOutput =
        round_trip(json!({"errors": [{"id": "a", "reason": "busy"}]}));
    let first: &ClashError = &output.errors.as_ref().unwrap()[0];
    assert_eq!(first.reason.as_deref(), Some("busy"));
    let unhandled = ClashOperationError::Unhandled(Default::default());
    assert_eq!(unhandled.code(), None);
}

#[test]
fn names_that_collide_after_conversion_keep_their_wire_names() {
    use fixture_obstacle::operation::collide::CollideInput;
    use fixture_obstacle::types::{FooBar, FooBar2, MethodValue, ValidatorValue};
    let input: CollideInput = round_trip(json!({
        "send": "s",
        "validator": {"name": "v"},
        "method": "INVALID_REQUEST",
        "fooBar": {"one": "1"},
        "fooBarToo": {"two": "2"},
        "filter": {"prefix": "p"}
    }));
    assert_eq!(input.send.as_deref(), Some("s"));
    assert_eq!(input.method, Some(MethodValue::InvalidRequest2));
    assert_eq!(
        MethodValue::from("invalid_request"),
        MethodValue::InvalidRequest
    );
    assert_eq!(MethodValue::InvalidRequest3.as_str(), "Invalid-Request");
    let validator: Option<ValidatorValue> = input.validator;
    assert_eq!(validator.and_then(|v| v.name).as_deref(), Some("v"));
    let (one, two): (Option<FooBar2>, Option<FooBar>) = (input.foo_bar, input.foo_bar_too);
    assert_eq!(one.and_then(|v| v.one).as_deref(), Some("1"));
    assert_eq!(two.and_then(|v| v.two).as_deref(), Some("2"));
}

#[test]
fn union_members_are_checked_like_structure_members() {
    use brisk_runtime::operation::Operation;
    use fixture_obstacle::operation::collide::CollideInput;
    use fixture_obstacle::types::{Filter, Pick, ValidatorValue};
    let input = |filter: Filter, pick: Pick| CollideInput {
        filter: Some(filter),
        choices: Some(vec![pick]),
        ..Default::default()
    };
    let valid = input(Filter::Prefix("p".into()), Pick::Name("n".into()));
    assert!(valid.to_request().is_ok());
    let invalid = input(
        Filter::Suffix(String::new()),
        Pick::Validator(ValidatorValue::default()),
    );
    let problems = invalid.to_request().unwrap_err().to_string();
    assert!(problems.contains("filter.suffix"), "{problems}");
    assert!(problems.contains("choices[0].validator.name"), "{problems}");
}
