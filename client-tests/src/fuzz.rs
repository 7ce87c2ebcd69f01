//! Fuzz target bodies: each takes arbitrary bytes and must never panic.

use brisk_codegen::botocore::Source;
use brisk_codegen::{ModelSources, Options};
use brisk_runtime::bytes::Bytes;
use brisk_runtime::http::Response;
use brisk_runtime::operation::{Operation, parse};
use ivschat::operation::*;

/// Parses `data` as a response to each of the 17 ivschat operations.
///
/// The first byte picks a status (success or one of the error statuses the
/// model uses); the rest is the body. Every outcome is a value or an error.
pub fn response(data: &[u8]) {
    const STATUSES: [u16; 8] = [200, 204, 400, 403, 404, 409, 429, 500];
    let (status, body) = match data.split_first() {
        Some((first, rest)) => (STATUSES[usize::from(*first) % STATUSES.len()], rest),
        None => (200, data),
    };
    let body = Bytes::copy_from_slice(body);
    parse_as::<create_chat_token::CreateChatTokenInput>(status, &body);
    parse_as::<create_logging_configuration::CreateLoggingConfigurationInput>(status, &body);
    parse_as::<create_room::CreateRoomInput>(status, &body);
    parse_as::<delete_logging_configuration::DeleteLoggingConfigurationInput>(status, &body);
    parse_as::<delete_message::DeleteMessageInput>(status, &body);
    parse_as::<delete_room::DeleteRoomInput>(status, &body);
    parse_as::<disconnect_user::DisconnectUserInput>(status, &body);
    parse_as::<get_logging_configuration::GetLoggingConfigurationInput>(status, &body);
    parse_as::<get_room::GetRoomInput>(status, &body);
    parse_as::<list_logging_configurations::ListLoggingConfigurationsInput>(status, &body);
    parse_as::<list_rooms::ListRoomsInput>(status, &body);
    parse_as::<list_tags_for_resource::ListTagsForResourceInput>(status, &body);
    parse_as::<send_event::SendEventInput>(status, &body);
    parse_as::<tag_resource::TagResourceInput>(status, &body);
    parse_as::<untag_resource::UntagResourceInput>(status, &body);
    parse_as::<update_logging_configuration::UpdateLoggingConfigurationInput>(status, &body);
    parse_as::<update_room::UpdateRoomInput>(status, &body);
}

fn parse_as<O: Operation>(status: u16, body: &Bytes) {
    let response = Response::builder()
        .status(status)
        .header("x-amzn-requestid", "fuzz")
        .body(body.clone())
        .unwrap_or_default();
    let _ = parse::<O>(response);
}

/// Generates a crate from `data` as a `service-2.json`: diagnostics or files, never a panic.
pub fn model(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sources = ModelSources {
        service: Source::new("fuzz/service-2.json", text),
        paginators: None,
        waiters: None,
        endpoint_rules: None,
        partitions: None,
    };
    let options = Options {
        crate_name: "fuzz".to_owned(),
        runtime_dependency: "{ path = \"../runtime\" }".to_owned(),
        header: "fuzz".to_owned(),
        root_path: "crate".to_owned(),
    };
    let _ = brisk_codegen::generate(&sources, &options);
}
