//! Calls GetRoom once with the generated client, at the endpoint in `BENCH_ENDPOINT`.

fn main() {
    let endpoint = std::env::var("BENCH_ENDPOINT").unwrap_or("http://127.0.0.1:8099".into());
    let config = brisk_runtime::Config::builder()
        .region("us-west-2")
        .credentials_provider(brisk_runtime::Credentials::new("AKID", "SECRET", None))
        .endpoint_url(endpoint)
        .build();
    let client = ivschat::Client::from_conf(config).expect("client config");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let room = runtime.block_on(client.get_room().identifier("g1H2I3j4k5L6").send());
    println!("{:?}", room.map(|r| r.arn));
}
