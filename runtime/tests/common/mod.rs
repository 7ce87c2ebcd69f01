//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use brisk_runtime::transport::{HttpTransport, TransportFuture};
use brisk_runtime::{ByteStream, Credentials, ServiceMeta};
use bytes::Bytes;

pub const IVSCHAT_RULES: &str =
    include_str!("../../../model/ivschat/2020-07-14/endpoint-rule-set-1.json");
pub const PARTITIONS: &str = include_str!("../../../model/partitions.json");

/// The ivschat service as a generated crate would describe it.
pub const IVSCHAT: ServiceMeta = ServiceMeta {
    service_id: "ivschat",
    signing_name: "ivschat",
    endpoint_rules: IVSCHAT_RULES,
    partitions: PARTITIONS,
};

pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// The keys botocore signed the ivschat cases with.
pub fn example_credentials() -> Credentials {
    Credentials::new("AKIDEXAMPLE", SECRET, None)
}

/// 2026-11-25T20:00:00Z, the time of the ivschat cases.
pub fn case_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_795_636_800)
}

/// A transport that records requests and answers each with a canned 200.
#[derive(Debug, Clone, Default)]
pub struct RecordingTransport {
    pub requests: Arc<Mutex<Vec<http::Request<Bytes>>>>,
}

impl HttpTransport for RecordingTransport {
    fn send(&self, request: http::Request<ByteStream>) -> TransportFuture<'_> {
        Box::pin(async {
            let (parts, body) = request.into_parts();
            let body = body.collect().await.unwrap();
            self.requests
                .lock()
                .unwrap()
                .push(http::Request::from_parts(parts, body));
            Ok(http::Response::builder()
                .status(200)
                .body(ByteStream::from(Bytes::from_static(b"{}")))
                .unwrap())
        })
    }
}
