//! `Debug` never prints sensitive values, however deeply they are nested.

use std::collections::HashMap;

use ivschat::operation::create_chat_token::{CreateChatTokenInput, CreateChatTokenOutput};

const REDACTED: &str = "*** Sensitive Data Redacted ***";

fn assert_hidden(debug: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!debug.contains(secret), "{secret} leaked in {debug}");
    }
    assert!(debug.contains(REDACTED), "{debug}");
}

#[test]
fn chat_token_input_hides_user_id_and_attributes() {
    let input = CreateChatTokenInput {
        room_identifier: Some("arn:aws:ivschat:us-west-2:123456789012:room/abc".to_owned()),
        user_id: Some("user-secret-42".to_owned()),
        attributes: Some(HashMap::from([(
            "attr-key-secret".to_owned(),
            "attr-value-secret".to_owned(),
        )])),
        ..Default::default()
    };
    let debug = format!("{input:?}");
    assert_hidden(
        &debug,
        &["user-secret-42", "attr-key-secret", "attr-value-secret"],
    );
    assert!(
        debug.contains("room/abc"),
        "non-sensitive members still print: {debug}"
    );
}

#[test]
fn chat_token_output_hides_the_token() {
    let output = CreateChatTokenOutput {
        token: Some("token-secret-xyz".to_owned()),
        ..Default::default()
    };
    assert_hidden(&format!("{output:?}"), &["token-secret-xyz"]);
    assert_hidden(&format!("{output:#?}"), &["token-secret-xyz"]);
}

#[test]
fn nested_sensitive_data_of_the_fixture_is_hidden() {
    use fixture_sensitive::operation::login::{LoginInput, LoginOutput};
    use fixture_sensitive::types::{Credential, Proof, Session, Vault};
    let input = LoginInput {
        user: Some("alice".to_owned()),
        password: Some("s1-password".to_owned()),
        pin: Some("s2-pin".to_owned()),
        passwords: Some(vec!["s3-in-list".to_owned()]),
        secrets_by_name: Some(HashMap::from([("k".to_owned(), "s4-in-map".to_owned())])),
        nested_secrets: Some(vec![vec!["s5-in-nested-list".to_owned()]]),
        credentials: Some(vec![Credential {
            id: Some("cred-1".to_owned()),
            secret: Some("s6-in-struct-in-list".to_owned()),
        }]),
        vault: Some(Vault {
            contents: Some("s7-sensitive-structure".to_owned()),
        }),
        proof: Some(Proof::Otp("s8-union-member".to_owned())),
    };
    let debug = format!("{input:?}");
    assert_hidden(
        &debug,
        &[
            "s1-password",
            "s2-pin",
            "s3-in-list",
            "s4-in-map",
            "s5-in-nested-list",
            "s6-in-struct-in-list",
            "s7-sensitive-structure",
            "s8-union-member",
        ],
    );
    assert!(
        debug.contains("alice") && debug.contains("cred-1"),
        "{debug}"
    );
    let hint = format!("{:?}", Proof::Hint("not-secret".to_owned()));
    assert!(hint.contains("not-secret"), "{hint}");

    let output = LoginOutput {
        session: Some(Session {
            token: Some("s9-output-token".to_owned()),
            expires_at: None,
        }),
        note: Some("visible".to_owned()),
    };
    let debug = format!("{output:?}");
    assert_hidden(&debug, &["s9-output-token"]);
    assert!(debug.contains("visible"), "{debug}");
}
