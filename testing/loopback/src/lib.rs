//! A scripted HTTP/1.1 server on loopback for tests: each incoming request gets
//! the next action of a script, or whatever a handler decides for it. Request bodies
//! may come with `content-length` or chunked; either way the body is recorded decoded.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Action {
    /// Answer with status, extra headers and body.
    Respond(u16, Vec<(&'static str, &'static str)>, &'static str),
    /// Answer with owned status, headers and body.
    Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Read the request and never answer.
    Stall,
    /// Read the request and close the connection without answering.
    Close,
    /// Promise a longer body than is sent, then close.
    Truncate,
}

/// A request as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub target: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    /// The value of header `name` (lower-case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Decides the answer to each request, given the request and its index.
type Handler = dyn Fn(&Received, usize) -> Action + Send + Sync;

/// A server running on a loopback port until the test's runtime ends.
pub struct TestServer {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
    pub connections: Arc<Mutex<usize>>,
}

impl TestServer {
    /// Starts serving; after the script runs out, its last action repeats.
    pub async fn start(script: Vec<Action>) -> Self {
        Self::with_handler(move |_, index| {
            script
                .get(index)
                .or(script.last())
                .cloned()
                .unwrap_or(Action::Close)
        })
        .await
    }

    /// Starts serving; `handler` gets each request and its index (from 0).
    pub async fn with_handler(
        handler: impl Fn(&Received, usize) -> Action + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(Mutex::new(0));
        let script: Arc<Handler> = Arc::new(handler);
        let (rec, conns) = (received.clone(), connections.clone());
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                *conns.lock().unwrap() += 1;
                stream.set_nodelay(true).unwrap();
                tokio::spawn(serve(stream, script.clone(), rec.clone()));
            }
        });
        Self {
            addr,
            received,
            connections,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, handler: Arc<Handler>, received: Arc<Mutex<Vec<Received>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let index = {
            let mut all = received.lock().unwrap();
            all.push(request.clone());
            all.len() - 1
        };
        match handler(&request, index) {
            Action::Respond(status, headers, body) => {
                let headers = headers
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()));
                let answer = response_bytes(status, headers, body.as_bytes());
                if stream.write_all(&answer).await.is_err() {
                    return;
                }
            }
            Action::Reply {
                status,
                headers,
                body,
            } => {
                let answer = response_bytes(status, headers.into_iter(), &body);
                if stream.write_all(&answer).await.is_err() {
                    return;
                }
            }
            Action::Stall => {
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                return;
            }
            Action::Close => return,
            Action::Truncate => {
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"partial")
                    .await;
                return;
            }
        }
    }
}

fn response_bytes(
    status: u16,
    headers: impl Iterator<Item = (String, String)>,
    body: &[u8],
) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Reads one request (head plus a `content-length` or chunked body); `None` at end of
/// stream or on a malformed request.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Received> {
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        read_more(stream, buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    buffer.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let request = Received {
        method,
        target,
        headers,
        body: Vec::new(),
    };
    let body = if request
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        read_chunked_body(stream, buffer).await?
    } else {
        let length = request
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        fill(stream, buffer, length).await?;
        buffer.drain(..length).collect()
    };
    Some(Received { body, ..request })
}

/// Decodes a chunked body (RFC 9112 section 7.1), skipping extensions and trailers.
async fn read_chunked_body(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(stream, buffer).await?;
        let size_text = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        if size == 0 {
            while !read_line(stream, buffer).await?.is_empty() {}
            return Some(body);
        }
        fill(stream, buffer, size + 2).await?;
        if &buffer[size..size + 2] != b"\r\n" {
            return None;
        }
        body.extend(buffer.drain(..size));
        buffer.drain(..2);
    }
}

/// The next line without its CRLF, taken off the buffer.
async fn read_line(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<String> {
    loop {
        if let Some(i) = buffer.windows(2).position(|w| w == b"\r\n") {
            let line = String::from_utf8_lossy(&buffer[..i]).into_owned();
            buffer.drain(..i + 2);
            return Some(line);
        }
        read_more(stream, buffer).await?;
    }
}

/// Reads until the buffer holds at least `len` bytes.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>, len: usize) -> Option<()> {
    while buffer.len() < len {
        read_more(stream, buffer).await?;
    }
    Some(())
}

/// Appends what the peer sends next; `None` at end of stream or on an error.
async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 4096];
    let n = stream.read(&mut chunk).await.ok()?;
    if n == 0 {
        return None;
    }
    buffer.extend_from_slice(&chunk[..n]);
    Some(())
}
