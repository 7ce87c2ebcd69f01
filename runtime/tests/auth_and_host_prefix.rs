//! What an operation's auth scheme and host prefix do to the request the transport
//! gets: unsigned requests never ask for credentials, unsigned payloads are declared
//! and signed as `UNSIGNED-PAYLOAD`, and host prefixes go in front of the endpoint's
//! host unless the configuration turns them off.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use brisk_runtime::config::ConfigLoader;
use brisk_runtime::credentials::{CredentialsError, CredentialsFuture, ProvideCredentials};
use brisk_runtime::env::Env;
use brisk_runtime::operation::HostPrefix;
use brisk_runtime::signing::AuthScheme;
use brisk_runtime::{Config, ConfigBuilder, Handle, SdkError};
use bytes::Bytes;
use common::{IVSCHAT, RecordingTransport, case_time, example_credentials};

/// A provider that counts its calls and never has credentials.
#[derive(Debug, Default, Clone)]
struct FailingProvider {
    calls: Arc<AtomicUsize>,
}

impl ProvideCredentials for FailingProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Err(CredentialsError::invalid("no credentials in this test")) })
    }
}

fn base_config() -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url("http://localhost:4566/base")
        .time_source(brisk_runtime::TimeSource::fixed(case_time()))
}

fn request(host_prefix: Option<&str>) -> http::Request<Bytes> {
    let mut request = http::Request::builder()
        .method("PUT")
        .uri("/blocks/1")
        .body(Bytes::from_static(b"block bytes"))
        .unwrap();
    if let Some(prefix) = host_prefix {
        request
            .extensions_mut()
            .insert(HostPrefix(prefix.to_owned()));
    }
    request
}

async fn send_one(
    config: ConfigBuilder,
    auth: AuthScheme,
    host_prefix: Option<&str>,
) -> (
    Result<http::Response<Bytes>, SdkError<()>>,
    Vec<http::Request<Bytes>>,
) {
    let transport = RecordingTransport::default();
    let handle = Handle::new(IVSCHAT, config.transport(transport.clone()).build()).unwrap();
    let result = handle.send::<(), _>("Op", auth, request(host_prefix)).await;
    let sent = std::mem::take(&mut *transport.requests.lock().unwrap());
    (result, sent)
}

#[tokio::test]
async fn no_auth_requests_go_unsigned_without_asking_for_credentials() {
    let provider = FailingProvider::default();
    let config = base_config().credentials_provider(provider.clone());
    let (result, sent) = send_one(config, AuthScheme::NoAuth, None).await;
    assert_eq!(result.unwrap().status(), 200);
    assert_eq!(provider.calls.load(Ordering::SeqCst), 0);
    let headers = sent[0].headers();
    for name in [
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-content-sha256",
    ] {
        assert!(!headers.contains_key(name), "{name} was sent");
    }
}

#[tokio::test]
async fn signed_requests_still_need_credentials() {
    let provider = FailingProvider::default();
    let config = base_config().credentials_provider(provider.clone());
    let (result, sent) = send_one(config, AuthScheme::SigV4, None).await;
    let error = result.unwrap_err();
    assert!(
        matches!(error, SdkError::ConstructionFailure(_)),
        "{error:?}"
    );
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    assert!(sent.is_empty());
}

#[tokio::test]
async fn unsigned_payloads_are_declared_and_signed() {
    let config = base_config().credentials_provider(example_credentials());
    let (result, sent) = send_one(config, AuthScheme::SigV4UnsignedPayload, None).await;
    result.unwrap();
    let headers = sent[0].headers();
    assert_eq!(headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
    let authorization = headers["authorization"].to_str().unwrap();
    assert!(
        authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,"),
        "{authorization}"
    );
    // Plain SigV4 declares nothing: the body's hash is signed.
    let config = base_config().credentials_provider(example_credentials());
    let (_, sent) = send_one(config, AuthScheme::SigV4, None).await;
    assert!(!sent[0].headers().contains_key("x-amz-content-sha256"));
}

#[tokio::test]
async fn host_prefixes_go_in_front_of_an_explicit_endpoint() {
    let config = base_config().credentials_provider(example_credentials());
    let (result, sent) = send_one(config, AuthScheme::SigV4, Some("data.")).await;
    result.unwrap();
    assert_eq!(
        sent[0].uri().to_string(),
        "http://data.localhost:4566/base/blocks/1"
    );
}

#[tokio::test]
async fn host_prefix_injection_can_be_disabled() {
    let config = base_config()
        .credentials_provider(example_credentials())
        .disable_host_prefix_injection(true);
    let (_, sent) = send_one(config, AuthScheme::SigV4, Some("data.")).await;
    assert_eq!(
        sent[0].uri().to_string(),
        "http://localhost:4566/base/blocks/1"
    );
}

#[tokio::test]
async fn a_host_prefix_on_an_ip_address_is_a_construction_error() {
    let config = base_config()
        .credentials_provider(example_credentials())
        .endpoint_url("http://127.0.0.1:4566");
    let (result, sent) = send_one(config, AuthScheme::SigV4, Some("data.")).await;
    let error = result.unwrap_err();
    assert!(
        matches!(error, SdkError::ConstructionFailure(_)),
        "{error:?}"
    );
    assert!(sent.is_empty());
}

#[test]
fn the_environment_and_profile_can_disable_host_prefix_injection() {
    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("config");
    std::fs::write(
        &config_file,
        "[default]\ndisable_host_prefix_injection = true\n",
    )
    .unwrap();
    let base = [
        ("HOME", "/nonexistent-home"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent-credentials"),
    ];
    let loaded = |extra: &[(&str, &str)]| {
        let pairs = base
            .iter()
            .chain(extra)
            .map(|(k, v)| (k.to_string(), v.to_string()));
        ConfigLoader::new(Env::from_pairs(pairs)).load().build()
    };
    assert!(!loaded(&[]).disable_host_prefix_injection());
    assert!(
        loaded(&[("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")]).disable_host_prefix_injection()
    );
    let config_path = config_file.to_str().unwrap();
    assert!(loaded(&[("AWS_CONFIG_FILE", config_path)]).disable_host_prefix_injection());
    assert!(
        !loaded(&[
            ("AWS_CONFIG_FILE", config_path),
            ("AWS_DISABLE_HOST_PREFIX_INJECTION", "false")
        ])
        .disable_host_prefix_injection()
    );
}
