//! `cargo run -p rooms-example -- [--endpoint-url URL] [--region REGION]`
//!
//! Without `--endpoint-url` it calls Amazon IVS Chat itself, with credentials
//! and region from the environment or the shared AWS config files; the room it
//! creates is deleted again.

use std::process::ExitCode;

use ivschat::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let config = match config_from_args(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::FAILURE;
        }
    };
    let client = match Client::from_conf(config) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    match rooms_example::tour(&client, "rooms-example").await {
        Ok(tour) => {
            println!("created and deleted {}", tour.room_arn);
            println!("chat token issued: {}", tour.got_token);
            println!("rooms listed: {}", tour.rooms_listed);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The environment's configuration, with `--endpoint-url` and `--region` applied.
fn config_from_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
    let mut builder = Config::from_env();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"));
        builder = match flag.as_str() {
            "--endpoint-url" => builder.endpoint_url(value?),
            "--region" => builder.region(value?),
            _ => {
                return Err(
                    "usage: rooms-example [--endpoint-url URL] [--region REGION]".to_owned(),
                );
            }
        };
    }
    Ok(builder.build())
}
