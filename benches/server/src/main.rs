//! `bench-server --port N [--threads T]`: answers ivschat's GetRoom, ListRooms and
//! CreateRoom on 127.0.0.1 over HTTP/1.1 keep-alive, as ivschat would.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};

use bench_server::{get_room_body, list_rooms_body, not_found_body};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// Response bodies, rendered once.
struct Bodies {
    get_room: Bytes,
    list_rooms: Bytes,
    not_found: Bytes,
}

static REQUESTS: AtomicU64 = AtomicU64::new(0);

fn main() {
    let args = Args::parse();
    let runtime = match args.threads {
        1 => tokio::runtime::Builder::new_current_thread(),
        _ => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder.worker_threads(args.threads);
            builder
        }
    }
    .enable_all()
    .build()
    .expect("tokio runtime");
    runtime.block_on(serve(args.port));
}

struct Args {
    port: u16,
    threads: usize,
}

impl Args {
    fn parse() -> Self {
        let mut args = Self {
            port: 8099,
            threads: 1,
        };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let value = it.next().unwrap_or_else(|| usage());
            match flag.as_str() {
                "--port" => args.port = value.parse().unwrap_or_else(|_| usage()),
                "--threads" => args.threads = value.parse().unwrap_or_else(|_| usage()),
                _ => usage(),
            }
        }
        args
    }
}

fn usage() -> ! {
    eprintln!("usage: bench-server [--port N] [--threads T]");
    std::process::exit(2)
}

async fn serve(port: u16) {
    let bodies: &'static Bodies = Box::leak(Box::new(Bodies {
        get_room: get_room_body().into(),
        list_rooms: list_rooms_body(50).into(),
        not_found: not_found_body().into(),
    }));
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
        .expect("bind");
    println!(
        "listening on http://{}",
        listener.local_addr().expect("addr")
    );
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let service = service_fn(move |request| answer(bodies, request));
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    bodies: &'static Bodies,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = request.uri().path().to_owned();
    // Read the whole request body, as a real server does before answering.
    let _ = request.into_body().collect().await;
    let n = REQUESTS.fetch_add(1, Ordering::Relaxed);
    let (status, body, error_type) = match path.as_str() {
        "/GetRoom" | "/CreateRoom" | "/UpdateRoom" => (200, &bodies.get_room, None),
        "/ListRooms" => (200, &bodies.list_rooms, None),
        _ => (404, &bodies.not_found, Some("ResourceNotFoundException")),
    };
    let mut response = Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-amzn-requestid", request_id(n));
    if let Some(code) = error_type {
        response = response.header("x-amzn-errortype", code);
    }
    Ok(response
        .body(Full::new(body.clone()))
        .expect("valid response"))
}

/// A UUID-shaped request id, unique per request.
fn request_id(n: u64) -> String {
    format!("8f1c2a4e-5b6d-4e7f-9a0b-{n:012x}")
}
