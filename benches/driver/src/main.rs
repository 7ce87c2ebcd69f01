//! `bench-driver --client ours|sdk --port N --concurrency C --calls M`: calls GetRoom
//! M times from C concurrent tasks against the bench server and prints one JSON line:
//! calls per second, p50 and p99 latency, and this process's CPU time per call
//! (getrusage, so the server's CPU in its own process is not counted).

use std::time::{Duration, Instant};

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const REGION: &str = "us-west-2";
const ROOM_ARN: &str = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";

struct Args {
    client: String,
    port: u16,
    concurrency: usize,
    calls: usize,
    warmup: usize,
    threads: usize,
}

fn main() {
    let args = parse_args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let report = runtime.block_on(run(&args));
    println!("{report}");
}

fn parse_args() -> Args {
    let mut args = Args {
        client: String::new(),
        port: 8099,
        concurrency: 1,
        calls: 20_000,
        warmup: 1_000,
        threads: std::thread::available_parallelism().map_or(2, usize::from),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| usage());
        let number = || value.parse::<usize>().unwrap_or_else(|_| usage());
        match flag.as_str() {
            "--client" => args.client = value.clone(),
            "--port" => args.port = u16::try_from(number()).unwrap_or_else(|_| usage()),
            "--concurrency" => args.concurrency = number().max(1),
            "--calls" => args.calls = number(),
            "--warmup" => args.warmup = number(),
            "--threads" => args.threads = number().max(1),
            _ => usage(),
        }
    }
    if !matches!(args.client.as_str(), "ours" | "sdk") {
        usage();
    }
    args
}

fn usage() -> ! {
    eprintln!(
        "usage: bench-driver --client ours|sdk [--port N] [--concurrency C] [--calls M] [--warmup W] [--threads T]"
    );
    std::process::exit(2)
}

/// One of the two clients under test.
#[derive(Clone)]
enum Client {
    Ours(ivschat::Client),
    Sdk(aws_sdk_ivschat::Client),
}

impl Client {
    fn new(kind: &str, url: &str) -> Self {
        match kind {
            "ours" => Self::Ours(ours(url)),
            _ => Self::Sdk(sdk(url)),
        }
    }

    async fn get_room(&self) {
        match self {
            Self::Ours(c) => {
                let room = c.get_room().identifier(ROOM_ARN).send().await;
                assert!(room.expect("GetRoom").arn.is_some());
            }
            Self::Sdk(c) => {
                let room = c.get_room().identifier(ROOM_ARN).send().await;
                assert!(room.expect("GetRoom").arn.is_some());
            }
        }
    }
}

fn ours(url: &str) -> ivschat::Client {
    let config = brisk_runtime::Config::builder()
        .region(REGION)
        .credentials_provider(brisk_runtime::Credentials::new(
            ACCESS_KEY, SECRET_KEY, None,
        ))
        .endpoint_url(url)
        .build();
    ivschat::Client::from_conf(config).expect("client config")
}

fn sdk(url: &str) -> aws_sdk_ivschat::Client {
    use aws_sdk_ivschat::config::{BehaviorVersion, Credentials, Region};
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let config = aws_sdk_ivschat::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "bench",
        ))
        .endpoint_url(url)
        .http_client(http_client)
        .build();
    aws_sdk_ivschat::Client::from_conf(config)
}

async fn run(args: &Args) -> String {
    let client = Client::new(&args.client, &format!("http://127.0.0.1:{}", args.port));
    load(&client, args.concurrency, args.warmup).await;
    let cpu_before = cpu_time();
    let started = Instant::now();
    let mut latencies = load(&client, args.concurrency, args.calls).await;
    let wall = started.elapsed();
    let cpu = cpu_time() - cpu_before;
    latencies.sort_unstable();
    let calls = latencies.len();
    format!(
        "{{\"client\":\"{}\",\"concurrency\":{},\"calls\":{},\"seconds\":{:.3},\"calls_per_sec\":{:.0},\"p50_us\":{:.1},\"p99_us\":{:.1},\"cpu_us_per_call\":{:.2}}}",
        args.client,
        args.concurrency,
        calls,
        wall.as_secs_f64(),
        calls as f64 / wall.as_secs_f64(),
        micros(percentile(&latencies, 0.50)),
        micros(percentile(&latencies, 0.99)),
        micros(cpu) / calls as f64,
    )
}

/// Runs `calls` GetRoom calls split over `concurrency` tasks; returns every latency.
async fn load(client: &Client, concurrency: usize, calls: usize) -> Vec<Duration> {
    let tasks: Vec<_> = (0..concurrency)
        .map(|task| {
            let client = client.clone();
            let share = calls / concurrency + usize::from(task < calls % concurrency);
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(share);
                for _ in 0..share {
                    let started = Instant::now();
                    client.get_room().await;
                    latencies.push(started.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::with_capacity(calls);
    for task in tasks {
        all.extend(task.await.expect("load task"));
    }
    all
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// User plus system CPU time of this whole process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage writes into the zeroed struct we pass and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let timeval = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    timeval(usage.ru_utime) + timeval(usage.ru_stime)
}
