//! `cargo run -p rooms-example -- [--endpoint-url URL] [--region REGION]`
//!
//! Without `--endpoint-url` it calls Amazon IVS Chat itself, with credentials
//! and region from the environment or the shared AWS config files; the room it
//! creates is deleted again.

use std::error::Error;
use std::process::ExitCode;

use ivschat::{Client, Config};

const USAGE: &str = "usage: rooms-example [--endpoint-url URL] [--region REGION]";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let config = match config_from_args(args.into_iter()) {
        Ok(config) => config,
        Err(problem) => {
            eprintln!("{problem}\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let client = match Client::from_conf(config) {
        Ok(client) => client,
        Err(error) => return report(&error),
    };
    match rooms_example::tour(&client, "rooms-example").await {
        Ok(tour) => {
            println!("created and deleted {}", tour.room_arn);
            println!("chat token issued: {}", tour.got_token);
            println!("rooms listed: {}", tour.rooms_listed);
            ExitCode::SUCCESS
        }
        Err(error) => report(&error),
    }
}

/// Prints an error with the causes its message does not already include.
fn report(error: &dyn Error) -> ExitCode {
    let mut shown = error.to_string();
    eprintln!("error: {shown}");
    let mut cause = error.source();
    while let Some(inner) = cause {
        let text = inner.to_string();
        if !shown.contains(&text) {
            eprintln!("  caused by: {text}");
            shown = text;
        }
        cause = inner.source();
    }
    ExitCode::FAILURE
}

/// The environment's configuration, with `--endpoint-url` and `--region` applied.
fn config_from_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
    let mut builder = Config::from_env();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"));
        builder = match flag.as_str() {
            "--endpoint-url" => builder.endpoint_url(value?),
            "--region" => builder.region(value?),
            other => return Err(format!("unknown argument `{other}`")),
        };
    }
    Ok(builder.build())
}
