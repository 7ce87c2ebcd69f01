//! Host prefixes and auth schemes of the `hostauth` fixture, checked on the bytes a
//! loopback server receives: the `Host` the request is addressed to (with the
//! operation's prefix in front of the endpoint's host), unsigned operations sent
//! without credentials, and a signature over `UNSIGNED-PAYLOAD` recomputed
//! independently.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use brisk_runtime::credentials::{CredentialsError, CredentialsFuture};
use brisk_runtime::http::header::HOST;
use brisk_runtime::http::{HeaderValue, Request, Uri};
use brisk_runtime::transport::TransportFuture;
use brisk_runtime::{
    ByteStream, Config, HttpTransport, HyperTransport, ProvideCredentials, SdkError,
};
use common::{assert_signed, body_json, config, empty, expected_authorization, json};
use fixture_hostauth::Client;
use fixture_hostauth::types::Tier;
use loopback::{Received, TestServer};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Connects to the loopback server whatever host the request's URI names, and
/// sends that host in the `Host` header: the server sees where the client
/// addressed the request without any name resolution.
#[derive(Debug)]
struct ToLoopback {
    server: SocketAddr,
    inner: HyperTransport,
}

impl ToLoopback {
    fn new(server: &TestServer) -> Self {
        Self {
            server: server.addr,
            inner: HyperTransport::new(Duration::from_secs(2)).unwrap(),
        }
    }
}

impl HttpTransport for ToLoopback {
    fn send(&self, mut request: Request<ByteStream>) -> TransportFuture<'_> {
        if let Some(authority) = request.uri().authority() {
            let host = HeaderValue::from_str(authority.as_str()).unwrap();
            request.headers_mut().insert(HOST, host);
        }
        let path_and_query = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
        *request.uri_mut() =
            Uri::try_from(format!("http://{}{path_and_query}", self.server)).unwrap();
        self.inner.send(request)
    }
}

/// A client that addresses `http://localhost:<port>` and reaches `server`.
fn prefixing_client(server: &TestServer, disable_host_prefix_injection: bool) -> Client {
    let config = config(server)
        .to_builder()
        .endpoint_url(format!("http://localhost:{}", server.addr.port()))
        .disable_host_prefix_injection(disable_host_prefix_injection)
        .transport(ToLoopback::new(server))
        .build();
    Client::from_conf(config).unwrap()
}

fn only_request(server: &TestServer) -> Received {
    let mut requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

#[tokio::test]
async fn a_static_host_prefix_is_the_host_on_the_wire() {
    let server = TestServer::start(vec![json(200, json!({"status": "up"}))]).await;
    let output = prefixing_client(&server, false)
        .get_status()
        .send()
        .await
        .unwrap();
    assert_eq!(output.status.as_deref(), Some("up"));
    let request = only_request(&server);
    let port = server.addr.port();
    assert_eq!(
        request.header("host"),
        Some(format!("data.localhost:{port}").as_str())
    );
    assert_eq!(request.target, "/status");
    // The signature covers the prefixed host the server received.
    assert_signed(&request, "hostauth");
}

#[tokio::test]
async fn host_labels_fill_the_prefix_from_the_input() {
    let server = TestServer::start(vec![json(200, json!({"rows": ["a"]}))]).await;
    let output = prefixing_client(&server, false)
        .query_graph()
        .graph_id("g-7.eu")
        .tier(Tier::Gold)
        .query("MATCH (n) RETURN n")
        .send()
        .await
        .unwrap();
    assert_eq!(output.rows, Some(vec!["a".to_owned()]));
    let request = only_request(&server);
    let port = server.addr.port();
    assert_eq!(
        request.header("host"),
        Some(format!("g-7.eu.gold-graph.localhost:{port}").as_str())
    );
    // A host label stays a member where the model binds it too.
    assert_eq!(
        body_json(&request),
        json!({"graphId": "g-7.eu", "query": "MATCH (n) RETURN n"})
    );
    assert_eq!(request.header("x-tier"), Some("gold"));
    assert_signed(&request, "hostauth");
}

#[tokio::test]
async fn a_host_label_that_makes_no_host_is_a_construction_error_naming_the_member() {
    let server = TestServer::start(vec![json(200, json!({}))]).await;
    let client = prefixing_client(&server, false);
    for bad in ["a/b", "a..b", "evil.com#", ""] {
        let error = client
            .query_graph()
            .graph_id(bad)
            .tier(Tier::Silver)
            .query("q")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(error, SdkError::ConstructionFailure(_)),
            "{bad}: {error:?}"
        );
        let message = error.to_string();
        assert!(message.contains("member `graphId`"), "{bad}: {message}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn host_prefix_injection_can_be_turned_off() {
    let server = TestServer::start(vec![json(200, json!({}))]).await;
    prefixing_client(&server, true)
        .get_status()
        .send()
        .await
        .unwrap();
    let request = only_request(&server);
    let port = server.addr.port();
    assert_eq!(
        request.header("host"),
        Some(format!("localhost:{port}").as_str())
    );
    assert_signed(&request, "hostauth");
}

/// A provider that counts its calls and never has credentials.
#[derive(Debug, Default, Clone)]
struct FailingProvider {
    calls: Arc<AtomicUsize>,
}

impl ProvideCredentials for FailingProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Err(CredentialsError::invalid("no credentials here")) })
    }
}

fn assert_unsigned(request: &Received) {
    for name in [
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-content-sha256",
    ] {
        assert_eq!(request.header(name), None, "{name} was sent");
    }
}

#[tokio::test]
async fn no_auth_operations_go_unsigned_and_never_ask_for_credentials() {
    let server =
        TestServer::start(vec![json(200, json!({"accessToken": "tok-1"})), empty(200)]).await;
    let provider = FailingProvider::default();
    let client_config = config(&server)
        .to_builder()
        .credentials_provider(provider.clone())
        .build();
    let client = Client::from_conf(client_config).unwrap();
    // `authtype: none`.
    let output = client
        .create_token()
        .client_id("app")
        .client_secret("shh")
        .send()
        .await
        .unwrap();
    assert_eq!(output.access_token.as_deref(), Some("tok-1"));
    // `auth: [smithy.api#noAuth]`.
    client.logout().access_token("tok-1").send().await.unwrap();
    assert_eq!(provider.calls.load(Ordering::SeqCst), 0);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        body_json(&requests[0]),
        json!({"clientId": "app", "clientSecret": "shh"})
    );
    assert_eq!(requests[1].header("x-amz-sso_bearer_token"), Some("tok-1"));
    for request in &requests {
        assert_unsigned(request);
    }

    // The same provider fails a signed operation: it is the one that was skipped.
    let error = client
        .put_block()
        .block_index(1)
        .block_data("b")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, SdkError::ConstructionFailure(_)),
        "{error:?}"
    );
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn no_auth_operations_work_with_no_credentials_configured() {
    let server = TestServer::start(vec![empty(200)]).await;
    let unconfigured = Config::builder()
        .region(common::REGION)
        .endpoint_url(server.url())
        .build();
    let client = Client::from_conf(unconfigured).unwrap();
    client.logout().access_token("tok-2").send().await.unwrap();
    assert_unsigned(&only_request(&server));
}

#[tokio::test]
async fn unsigned_bodies_are_signed_as_unsigned_payload() {
    let server = TestServer::start(vec![loopback::Action::Reply {
        status: 201,
        headers: vec![("x-amz-checksum".to_owned(), "c-1".to_owned())],
        body: Vec::new(),
    }])
    .await;
    let client = Client::from_conf(config(&server)).unwrap();
    let output = client
        .put_block()
        .block_index(3)
        .checksum("c-1")
        .block_data(&b"\x00block bytes\xff"[..])
        .send()
        .await
        .unwrap();
    assert_eq!(output.checksum.as_deref(), Some("c-1"));
    let request = only_request(&server);
    assert_eq!(request.target, "/blocks/3");
    assert_eq!(request.body, b"\x00block bytes\xff");
    assert_eq!(
        request.header("x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.contains(
            "SignedHeaders=content-type;host;x-amz-checksum;x-amz-content-sha256;x-amz-date,"
        ),
        "{authorization}"
    );
    let (unsigned_payload, canonical) =
        expected_authorization(&request, "hostauth", "UNSIGNED-PAYLOAD");
    assert_eq!(authorization, unsigned_payload, "{canonical}");
    // Not a signature over the body's hash.
    let body_hash = hex::encode(Sha256::digest(&request.body));
    let (hashed_payload, _) = expected_authorization(&request, "hostauth", &body_hash);
    assert_ne!(authorization, hashed_payload);
}

#[tokio::test]
async fn a_bearer_operation_sends_the_token_and_no_signature() {
    let server = TestServer::start(vec![json(200, json!({"status": "up"}))]).await;
    let config = config(&server)
        .to_builder()
        .bearer_token("tok-1")
        .credentials_provider(FailingProvider::default())
        .build();
    let output = Client::from_conf(config)
        .unwrap()
        .get_profile()
        .send()
        .await
        .unwrap();
    assert_eq!(output.status.as_deref(), Some("up"));
    let request = only_request(&server);
    assert_eq!(request.header("authorization"), Some("Bearer tok-1"));
    assert_eq!(request.header("x-amz-date"), None);
}

#[tokio::test]
async fn a_bearer_token_comes_from_the_environment_by_signing_name() {
    use brisk_runtime::config::ConfigLoader;
    use brisk_runtime::env::Env;
    let server = TestServer::start(vec![json(200, json!({}))]).await;
    let env = Env::from_pairs([
        ("AWS_REGION", "us-east-1"),
        ("AWS_BEARER_TOKEN_HOSTAUTH", "from-env"),
    ]);
    let config = ConfigLoader::new(env)
        .load()
        .endpoint_url(server.url())
        .build();
    Client::from_conf(config)
        .unwrap()
        .get_profile()
        .send()
        .await
        .unwrap();
    assert_eq!(
        only_request(&server).header("authorization"),
        Some("Bearer from-env")
    );
}

#[tokio::test]
async fn a_bearer_operation_without_a_token_fails_before_sending() {
    let server = TestServer::start(vec![json(200, json!({}))]).await;
    let error = Client::from_conf(config(&server))
        .unwrap()
        .get_profile()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, SdkError::ConstructionFailure(_)),
        "{error:?}"
    );
    let text = format!("{error:#}");
    assert!(text.contains("AWS_BEARER_TOKEN_HOSTAUTH"), "{text}");
    assert!(server.requests().is_empty());
}
