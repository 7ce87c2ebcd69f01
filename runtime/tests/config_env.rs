//! The environment and profile-file loaders, on temporary files and an injected
//! environment (the process environment is never touched).

mod common;

use std::path::Path;

use brisk_runtime::config::ConfigLoader;
use brisk_runtime::credentials::{ChainProvider, ProfileProvider, ProvideCredentials};
use brisk_runtime::env::{Env, ProfileFiles};
use brisk_runtime::{Config, ConfigError, Handle, RetryMode};
use common::{IVSCHAT, RecordingTransport};

const CONFIG: &str = "\
[default]
region = eu-west-1
[profile dev]
region = ap-south-1
max_attempts = 7
retry_mode = adaptive
endpoint_url = https://profile.example.com
use_fips_endpoint = true
";

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret
[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = dev-secret
aws_session_token = dev-token
";

fn write_files(dir: &Path) -> (String, String) {
    let config = dir.join("config");
    let credentials = dir.join("credentials");
    std::fs::write(&config, CONFIG).unwrap();
    std::fs::write(&credentials, CREDENTIALS).unwrap();
    (
        config.to_str().unwrap().to_owned(),
        credentials.to_str().unwrap().to_owned(),
    )
}

fn env_with(dir: &Path, extra: &[(&str, &str)]) -> Env {
    let (config, credentials) = write_files(dir);
    let mut pairs = vec![
        ("AWS_CONFIG_FILE".to_owned(), config),
        ("AWS_SHARED_CREDENTIALS_FILE".to_owned(), credentials),
        ("HOME".to_owned(), "/nonexistent-home".to_owned()),
    ];
    pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_pairs(pairs)
}

fn handle_for(builder: brisk_runtime::ConfigBuilder) -> Result<Handle, ConfigError> {
    Handle::new(
        IVSCHAT,
        builder.transport(RecordingTransport::default()).build(),
    )
}

#[tokio::test]
async fn profile_supplies_region_retry_endpoint_and_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let env = env_with(dir.path(), &[("AWS_PROFILE", "dev")]);
    let builder = ConfigLoader::new(env).load();
    let config = builder.clone().build();
    assert_eq!(config.region(), Some("ap-south-1"));
    assert_eq!(config.retry().max_attempts, 7);
    assert_eq!(config.retry().mode, RetryMode::Adaptive);
    assert!(config.use_fips());
    // FIPS with a custom endpoint is rejected by the rules, with their exact message.
    let err = handle_for(builder.clone()).unwrap_err();
    assert!(
        err.to_string()
            .contains("FIPS and custom endpoint are not supported"),
        "{err}"
    );
    let handle = handle_for(builder.use_fips(false)).unwrap();
    assert_eq!(handle.endpoint().url, "https://profile.example.com");
    let creds = ChainProvider::default_chain(&env_with(dir.path(), &[("AWS_PROFILE", "dev")]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKIDDEV");
    assert_eq!(creds.session_token(), Some("dev-token"));
}

#[tokio::test]
async fn environment_wins_over_profile() {
    let dir = tempfile::tempdir().unwrap();
    let env = env_with(
        dir.path(),
        &[
            ("AWS_REGION", "us-west-2"),
            ("AWS_DEFAULT_REGION", "ignored-1"),
            ("AWS_MAX_ATTEMPTS", "2"),
            ("AWS_RETRY_MODE", "legacy"),
            ("AWS_ENDPOINT_URL", "http://generic.example.com"),
            (
                "AWS_ENDPOINT_URL_IVSCHAT",
                "http://ivschat.example.com/base",
            ),
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ],
    );
    let builder = ConfigLoader::new(env.clone()).load();
    let config = builder.clone().build();
    assert_eq!(config.region(), Some("us-west-2"));
    assert_eq!(config.retry().max_attempts, 2);
    assert_eq!(config.retry().mode, RetryMode::Legacy);
    assert!(!config.use_fips());
    let handle = handle_for(builder.clone()).unwrap();
    assert_eq!(handle.endpoint().url, "http://ivschat.example.com/base");
    // An explicit endpoint wins over the environment.
    let handle = handle_for(builder.endpoint_url("http://explicit.example.com")).unwrap();
    assert_eq!(handle.endpoint().url, "http://explicit.example.com");
    let creds = ChainProvider::default_chain(&env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKIDENV");
}

#[test]
fn generic_endpoint_default_region_and_ignore_flag() {
    let dir = tempfile::tempdir().unwrap();
    let env = env_with(
        dir.path(),
        &[
            ("AWS_DEFAULT_REGION", "ca-central-1"),
            ("AWS_ENDPOINT_URL", "http://generic.example.com"),
        ],
    );
    let builder = ConfigLoader::new(env).load();
    assert_eq!(builder.clone().build().region(), Some("ca-central-1"));
    assert_eq!(
        handle_for(builder).unwrap().endpoint().url,
        "http://generic.example.com"
    );

    let env = env_with(
        dir.path(),
        &[
            ("AWS_ENDPOINT_URL", "http://generic.example.com"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ],
    );
    let handle = handle_for(ConfigLoader::new(env).load()).unwrap();
    assert_eq!(
        handle.endpoint().url,
        "https://ivschat.eu-west-1.amazonaws.com"
    );
}

#[test]
fn unparseable_retry_settings_keep_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let env = env_with(
        dir.path(),
        &[("AWS_MAX_ATTEMPTS", "many"), ("AWS_RETRY_MODE", "turbo")],
    );
    let config = ConfigLoader::new(env).load().build();
    assert_eq!(config.retry().max_attempts, 3);
    assert_eq!(config.retry().mode, RetryMode::Standard);
}

#[tokio::test]
async fn explicit_profile_files_and_missing_ones() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path());
    let files = ProfileFiles {
        config: Some(dir.path().join("config")),
        credentials: Some(dir.path().join("credentials")),
    };
    let creds = ProfileProvider::new(files.clone(), "default")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.secret_access_key(), "default-secret");
    let none = ProfileFiles {
        config: Some(dir.path().join("missing-config")),
        credentials: Some(dir.path().join("missing-credentials")),
    };
    let env = Env::from_pairs([("AWS_REGION", "us-east-1")]);
    let config = ConfigLoader::new(env)
        .profile_files(none.clone())
        .load()
        .build();
    assert_eq!(config.region(), Some("us-east-1"));
    assert!(
        ProfileProvider::new(none, "default")
            .provide_credentials()
            .await
            .is_err()
    );
}

#[test]
fn missing_region_is_a_config_error() {
    let err = handle_for(Config::builder()).unwrap_err();
    assert!(matches!(err, ConfigError::MissingRegion), "{err}");
}
