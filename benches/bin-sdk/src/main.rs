//! Calls GetRoom once with the lean aws-sdk-ivschat, at the endpoint in `BENCH_ENDPOINT`.

use aws_sdk_ivschat::config::{BehaviorVersion, Credentials, Region};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};

fn main() {
    let endpoint = std::env::var("BENCH_ENDPOINT").unwrap_or("http://127.0.0.1:8099".into());
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let config = aws_sdk_ivschat::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "bench"))
        .endpoint_url(endpoint)
        .http_client(http_client)
        .build();
    let client = aws_sdk_ivschat::Client::from_conf(config);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let room = runtime.block_on(client.get_room().identifier("g1H2I3j4k5L6").send());
    println!("{:?}", room.map(|r| r.arn));
}
