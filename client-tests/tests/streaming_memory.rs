//! Bodies far larger than the memory they may use go through the real client: a server
//! on loopback makes and checks the bytes on the fly, never holding a body, and the
//! process's peak resident memory must barely move while hundreds of MiB go each way.
//!
//! Its own test binary, so that nothing else running in the process moves the peak.
//! `BRISK_STREAM_TEST_MIB` sets the size of each body (default 256); run with
//! `--nocapture` to see the figures.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use brisk_runtime::bytes::Bytes;
use brisk_runtime::config::TimeoutConfig;
use brisk_runtime::{ByteStream, Config, Credentials};
use fixture_streaming::Client;
use futures_core::Stream;

const MIB: u64 = 1024 * 1024;
const DEFAULT_MIB: u64 = 256;
/// What the server and the body sources read or write at a time.
const PIECE: usize = 64 * 1024;
/// The most the peak resident memory may grow: far below any body held whole.
const GROWTH_BOUND: u64 = 64 * MIB;
/// Byte `i` of every body is `i % PATTERN_PERIOD`.
const PATTERN_PERIOD: usize = 251;

/// The pattern from offset 0, long enough that any piece starting anywhere in a
/// period is one slice of it.
fn pattern() -> Vec<u8> {
    (0..PIECE + PATTERN_PERIOD)
        .map(|i| (i % PATTERN_PERIOD) as u8)
        .collect()
}

/// The pattern's bytes from body offset `offset` on, `len` of them (`len <= PIECE`).
fn pattern_at(pattern: &[u8], offset: u64, len: usize) -> &[u8] {
    let start = (offset % PATTERN_PERIOD as u64) as usize;
    &pattern[start..start + len]
}

/// Checks bytes against the pattern a slice of at most `PIECE` at a time; the first
/// wrong byte is an error naming its offset.
struct Checker {
    pattern: Vec<u8>,
    offset: u64,
}

impl Checker {
    fn new() -> Self {
        Self {
            pattern: pattern(),
            offset: 0,
        }
    }

    fn check(&mut self, bytes: &[u8]) -> Result<(), String> {
        for piece in bytes.chunks(PIECE) {
            let want = pattern_at(&self.pattern, self.offset, piece.len());
            // Compared whole first: a slice comparison is fast even unoptimized.
            if piece != want {
                let i = first_difference(piece, want);
                return Err(format!(
                    "byte {} is {}, expected {}",
                    self.offset + i as u64,
                    piece[i],
                    want[i]
                ));
            }
            self.offset += piece.len() as u64;
        }
        Ok(())
    }
}

/// Where two slices of the same length first differ.
fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// A one-shot stream of `len` pattern bytes, made as they are asked for.
struct PatternStream {
    pattern: Vec<u8>,
    offset: u64,
    len: u64,
}

impl Stream for PatternStream {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let left = self.len - self.offset;
        if left == 0 {
            return Poll::Ready(None);
        }
        let take = left.min(PIECE as u64) as usize;
        let chunk = Bytes::copy_from_slice(pattern_at(&self.pattern, self.offset, take));
        self.offset += take as u64;
        Poll::Ready(Some(Ok(chunk)))
    }
}

/// The process's peak resident memory so far (`VmHWM`), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("no VmHWM in /proc/self/status");
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kib * 1024
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / MIB as f64)
}

/// A server on its own threads (blocking I/O, outside the client's runtime): a `PUT`
/// body is checked against the pattern and counted, the answer giving the count as
/// `Size` (or a 400 naming the first wrong byte); `GET /objects/<n>` answers `n`
/// pattern bytes.
fn start_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for connection in listener.incoming() {
            let Ok(connection) = connection else { return };
            std::thread::spawn(move || serve(connection));
        }
    });
    addr
}

/// Serves requests on one connection until the client closes it.
fn serve(connection: TcpStream) {
    connection.set_nodelay(true).unwrap();
    let mut writer = connection.try_clone().unwrap();
    let mut reader = BufReader::with_capacity(PIECE, connection);
    while let Some(head) = read_head(&mut reader) {
        let outcome = match head.method.as_str() {
            "PUT" => consume_body(&mut reader, &head.headers).map(|size| {
                let body = format!("{{\"Size\":{size}}}");
                write_head(&mut writer, 200, "application/json", body.len() as u64);
                writer.write_all(body.as_bytes())
            }),
            "GET" => match head.target.rsplit('/').next().and_then(|n| n.parse().ok()) {
                Some(len) => {
                    write_head(&mut writer, 200, "application/octet-stream", len);
                    Ok(write_pattern(&mut writer, len))
                }
                None => Err(format!("no size in `{}`", head.target)),
            },
            other => Err(format!("unexpected method {other}")),
        };
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return,
            Err(problem) => {
                // The rest of the request is unread: answer, then close.
                let body = format!("{{\"message\":\"{problem}\"}}");
                write_head(&mut writer, 400, "application/json", body.len() as u64);
                let _ = writer.write_all(body.as_bytes());
                return;
            }
        }
    }
}

/// The head of a request.
struct Head {
    method: String,
    target: String,
    /// Names lower-cased.
    headers: Vec<(String, String)>,
}

/// The head of the next request; `None` once the connection is closed.
fn read_head(reader: &mut impl BufRead) -> Option<Head> {
    let first = read_line(reader)?;
    let mut parts = first.split(' ');
    let (method, target) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            return Some(Head {
                method,
                target,
                headers,
            });
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
}

fn read_line(reader: &mut impl BufRead) -> Option<String> {
    let mut line = String::new();
    match reader.read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_owned()),
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Reads a `content-length` or chunked body through the checker; its length.
fn consume_body(reader: &mut impl BufRead, headers: &[(String, String)]) -> Result<u64, String> {
    let mut checker = Checker::new();
    if header(headers, "transfer-encoding") == Some("chunked") {
        loop {
            let line = read_line(reader).ok_or("closed in a chunk size")?;
            let size_text = line.split(';').next().unwrap_or_default();
            let size = u64::from_str_radix(size_text.trim(), 16)
                .map_err(|_| format!("bad chunk size `{line}`"))?;
            if size == 0 {
                while !read_line(reader).ok_or("closed in the trailer")?.is_empty() {}
                return Ok(checker.offset);
            }
            consume(reader, size, &mut checker)?;
            if read_line(reader).as_deref() != Some("") {
                return Err("a chunk does not end with CRLF".to_owned());
            }
        }
    }
    let len = header(headers, "content-length")
        .and_then(|v| v.parse().ok())
        .ok_or("no length and not chunked")?;
    consume(reader, len, &mut checker)?;
    Ok(checker.offset)
}

/// Reads `len` bytes through the checker, at most `PIECE` at a time.
fn consume(reader: &mut impl Read, len: u64, checker: &mut Checker) -> Result<(), String> {
    let mut buffer = vec![0; PIECE];
    let mut left = len;
    while left > 0 {
        let want = left.min(PIECE as u64) as usize;
        let n = reader
            .read(&mut buffer[..want])
            .map_err(|e| e.to_string())?;
        if n == 0 {
            return Err(format!("closed {left} bytes short"));
        }
        checker.check(&buffer[..n])?;
        left -= n as u64;
    }
    Ok(())
}

fn write_head(writer: &mut impl Write, status: u16, content_type: &str, len: u64) {
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {len}\r\n\r\n"
    );
    // A failed write shows when the body is written.
    let _ = writer.write_all(head.as_bytes());
}

/// Writes `len` pattern bytes, `PIECE` at a time.
fn write_pattern(writer: &mut impl Write, len: u64) -> std::io::Result<()> {
    let pattern = pattern();
    let mut offset = 0;
    while offset < len {
        let take = (len - offset).min(PIECE as u64) as usize;
        writer.write_all(pattern_at(&pattern, offset, take))?;
        offset += take as u64;
    }
    Ok(())
}

/// Writes `len` pattern bytes to a new temporary file.
fn pattern_file(len: u64) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    write_pattern(&mut file, len).unwrap();
    file.flush().unwrap();
    file
}

fn client(addr: SocketAddr, size: u64) -> Client {
    // Generous for a debug build: about 1 s per 8 MiB on a slow machine, and then some.
    let limit = Duration::from_secs(60 + size / (8 * MIB));
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None))
        .endpoint_url(format!("http://{addr}"))
        .timeouts(TimeoutConfig {
            connect: Duration::from_secs(2),
            attempt: limit,
            operation: limit,
        })
        .build();
    Client::from_conf(config).unwrap()
}

fn body_size() -> u64 {
    let text = std::env::var("BRISK_STREAM_TEST_MIB").unwrap_or_default();
    let mebibytes = if text.is_empty() {
        DEFAULT_MIB
    } else {
        text.parse()
            .expect("BRISK_STREAM_TEST_MIB is a whole number of MiB")
    };
    mebibytes * MIB
}

/// Runs `step`, then prints what it did, how long it took and the peak so far.
async fn measured<F: Future<Output = ()>>(what: &str, size: u64, step: F) {
    let start = Instant::now();
    step.await;
    println!(
        "{what}: {} in {:.1} s; peak RSS now {}",
        mib(size),
        start.elapsed().as_secs_f64(),
        mib(peak_rss())
    );
}

#[tokio::test]
async fn bodies_of_hundreds_of_mib_stream_through_in_little_memory() {
    let size = body_size();
    let addr = start_server();
    let client = client(addr, size);
    let before = peak_rss();
    println!("peak RSS before: {}", mib(before));

    measured("upload from a stream (chunked)", size, async {
        let stream = PatternStream {
            pattern: pattern(),
            offset: 0,
            len: size,
        };
        let output = client
            .put_object()
            .key("from-stream")
            .body(ByteStream::from_stream(stream, None))
            .send()
            .await
            .unwrap();
        assert_eq!(output.size, Some(size as i64));
    })
    .await;

    let file = pattern_file(size);
    measured("upload from a file (hashed, then sent)", size, async {
        let output = client
            .put_object()
            .key("from-file")
            .body(ByteStream::from_path(file.path()).unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(output.size, Some(size as i64));
    })
    .await;
    drop(file);

    measured("download, read chunk by chunk", size, async {
        let output = client
            .get_object()
            .key(size.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(output.content_length, Some(size as i64));
        let mut body = output.body.expect("no body");
        let mut checker = Checker::new();
        while let Some(chunk) = body.next().await {
            checker.check(&chunk.unwrap()).unwrap();
        }
        assert_eq!(checker.offset, size);
    })
    .await;

    let after = peak_rss();
    let growth = after.saturating_sub(before);
    println!(
        "peak RSS after: {} (grew {}, bound {})",
        mib(after),
        mib(growth),
        mib(GROWTH_BOUND)
    );
    assert!(
        growth < GROWTH_BOUND,
        "peak RSS grew by {} moving {} each way",
        mib(growth),
        mib(size)
    );
}
