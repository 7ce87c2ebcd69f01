//! Bodies that are read or sent as a stream: the payload of a `streaming` blob
//! member, and every body the transport carries.
//!
//! A [`ByteStream`] holds bytes in memory, a file (read in chunks, from the start
//! again on every attempt) or any stream of chunks (sent once: a call with such a body
//! is not retried once its body has gone out).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use ring::digest;
use tokio::io::AsyncRead;

use crate::error::BoxError;
use crate::signing::hex;

/// How much of a file is read at a time.
const FILE_CHUNK: usize = 64 * 1024;

/// A stream of chunks, as a [`ByteStream`] holds it.
pub type BoxByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A body read or sent in chunks, never held whole unless it was given whole.
///
/// Cloning is cheap. A clone of a body built from a stream shares that stream: whichever
/// clone reads it first gets the chunks, and the other finds it already read.
#[derive(Clone)]
pub struct ByteStream {
    source: Source,
}

#[derive(Clone)]
enum Source {
    Memory(Bytes),
    File {
        path: PathBuf,
        len: u64,
        /// The hex SHA-256, once hashed; shared by clones.
        sha256: Arc<OnceLock<String>>,
    },
    Stream(Arc<Mutex<Option<BoxByteStream>>>, Option<u64>),
    /// A clone being read: its own file handle or its share of the stream.
    Reading(Arc<Mutex<Reader>>),
}

enum Reader {
    File(tokio::fs::File),
    Opening(PathBuf),
    Stream(BoxByteStream),
    Done,
}

/// Reading a body failed, or a one-shot stream was read twice.
#[derive(Debug)]
pub struct ByteStreamError {
    source: BoxError,
}

impl ByteStreamError {
    fn new(source: impl Into<BoxError>) -> Self {
        Self {
            source: source.into(),
        }
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read the body: {}", self.source)
    }
}

impl std::error::Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

impl ByteStream {
    /// An empty body.
    pub fn new() -> Self {
        Self::from(Bytes::new())
    }

    /// The file at `path`, read in chunks when sent (from its start on each attempt).
    /// Its length is taken now and sent as `Content-Length`.
    pub fn from_path(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref().to_owned();
        let len = std::fs::metadata(&path)?.len();
        Ok(Self {
            source: Source::File {
                path,
                len,
                sha256: Arc::default(),
            },
        })
    }

    /// Any stream of chunks; sent as it comes, once. With `len`, the request carries
    /// `Content-Length`; without, it is sent chunked.
    pub fn from_stream<S, E>(stream: S, len: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let stream: BoxByteStream = Box::pin(MapErr(Box::pin(stream)));
        Self {
            source: Source::Stream(Arc::new(Mutex::new(Some(stream))), len),
        }
    }

    /// The body's length, when known before reading it.
    pub fn content_length(&self) -> Option<u64> {
        match &self.source {
            Source::Memory(bytes) => Some(bytes.len() as u64),
            Source::File { len, .. } => Some(*len),
            Source::Stream(_, len) => *len,
            Source::Reading(_) => None,
        }
    }

    /// The whole body, when it is held in memory.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.source {
            Source::Memory(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// Whether every clone reads the whole body (memory and files), so a request with
    /// this body can be sent again.
    pub fn is_replayable(&self) -> bool {
        matches!(self.source, Source::Memory(_) | Source::File { .. })
    }

    /// Hashes a file body ahead of signing (off the async threads), so that
    /// [`known_sha256_hex`](Self::known_sha256_hex) has its hash; other bodies need nothing.
    pub async fn prepare_sha256(&self) -> Result<(), ByteStreamError> {
        let Source::File { path, sha256, .. } = &self.source else {
            return Ok(());
        };
        if sha256.get().is_some() {
            return Ok(());
        }
        let path = path.clone();
        let hash = tokio::task::spawn_blocking(move || hash_file(&path))
            .await
            .map_err(ByteStreamError::new)?
            .map_err(ByteStreamError::new)?;
        let _ = sha256.set(hash);
        Ok(())
    }

    /// The hex SHA-256 of the body when it is at hand: in memory, or a file hashed by
    /// [`prepare_sha256`](Self::prepare_sha256). A stream's is never known: it is read once.
    pub fn known_sha256_hex(&self) -> Option<String> {
        match &self.source {
            Source::Memory(bytes) => Some(hex(digest::digest(&digest::SHA256, bytes).as_ref())),
            Source::File { sha256, .. } => sha256.get().cloned(),
            _ => None,
        }
    }

    /// The next chunk, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> Result<Bytes, ByteStreamError> {
        if let Source::Memory(bytes) = &self.source {
            return Ok(bytes.clone());
        }
        let mut whole = BytesMut::new();
        while let Some(chunk) = self.next().await {
            whole.extend_from_slice(&chunk?);
        }
        Ok(whole.freeze())
    }

    /// Starts reading: a memory body is its one chunk; a file is opened; a stream is
    /// taken from the clones that share it.
    fn start(&mut self) -> Result<(), ByteStreamError> {
        let reader = match &self.source {
            Source::Memory(_) | Source::Reading(_) => return Ok(()),
            Source::File { path, .. } => Reader::Opening(path.clone()),
            Source::Stream(shared, _) => {
                let taken = shared.lock().unwrap_or_else(|p| p.into_inner()).take();
                Reader::Stream(taken.ok_or_else(|| {
                    ByteStreamError::new("the body is a stream that was already sent once")
                })?)
            }
        };
        self.source = Source::Reading(Arc::new(Mutex::new(reader)));
        Ok(())
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        Self::new()
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Source::Memory(bytes) = &mut self.source {
            let chunk = std::mem::take(bytes);
            self.source = Source::Reading(Arc::new(Mutex::new(Reader::Done)));
            return Poll::Ready((!chunk.is_empty()).then_some(Ok(chunk)));
        }
        if let Err(e) = self.start() {
            return Poll::Ready(Some(Err(e)));
        }
        let Source::Reading(reader) = &self.source else {
            return Poll::Ready(None);
        };
        let mut reader = reader.lock().unwrap_or_else(|p| p.into_inner());
        reader.poll_chunk(cx)
    }
}

impl Reader {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        loop {
            match self {
                Reader::Done => return Poll::Ready(None),
                Reader::Opening(path) => {
                    // Opening is a quick metadata call; reading is what streams.
                    match std::fs::File::open(&*path) {
                        Ok(file) => *self = Reader::File(tokio::fs::File::from_std(file)),
                        Err(e) => {
                            *self = Reader::Done;
                            return Poll::Ready(Some(Err(ByteStreamError::new(e))));
                        }
                    }
                }
                Reader::File(file) => {
                    let mut chunk = vec![0; FILE_CHUNK];
                    let mut buf = tokio::io::ReadBuf::new(&mut chunk);
                    return match Pin::new(file).poll_read(cx, &mut buf) {
                        Poll::Pending => Poll::Pending,
                        Poll::Ready(Err(e)) => Poll::Ready(Some(Err(ByteStreamError::new(e)))),
                        Poll::Ready(Ok(())) if buf.filled().is_empty() => {
                            *self = Reader::Done;
                            Poll::Ready(None)
                        }
                        Poll::Ready(Ok(())) => {
                            let filled = buf.filled().len();
                            chunk.truncate(filled);
                            Poll::Ready(Some(Ok(Bytes::from(chunk))))
                        }
                    };
                }
                Reader::Stream(stream) => {
                    return stream
                        .as_mut()
                        .poll_next(cx)
                        .map(|item| item.map(|chunk| chunk.map_err(ByteStreamError::new)));
                }
            }
        }
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        Self {
            source: Source::Memory(bytes),
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from(Bytes::from_static(bytes))
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        Self::from(Bytes::from_static(text.as_bytes()))
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        Self::from(Bytes::from(text))
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Memory(bytes) => write!(f, "ByteStream({} bytes)", bytes.len()),
            Source::File { path, len, .. } => {
                write!(f, "ByteStream(file {}, {len} bytes)", path.display())
            }
            Source::Stream(..) | Source::Reading(_) => f.write_str("ByteStream(stream)"),
        }
    }
}

/// Bodies held in memory compare by content; any other body only equals its clones.
impl PartialEq for ByteStream {
    fn eq(&self, other: &Self) -> bool {
        match (&self.source, &other.source) {
            (Source::Memory(a), Source::Memory(b)) => a == b,
            (Source::File { path: a, .. }, Source::File { path: b, .. }) => a == b,
            (Source::Stream(a, _), Source::Stream(b, _)) => Arc::ptr_eq(a, b),
            (Source::Reading(a), Source::Reading(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// A stream whose errors become [`BoxError`]s.
struct MapErr<S>(Pin<Box<S>>);

impl<S, E> Stream for MapErr<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map_err(Into::into)))
    }
}

fn hash_file(path: &Path) -> io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut context = digest::Context::new(&digest::SHA256);
    let mut chunk = vec![0; FILE_CHUNK];
    loop {
        let read = file.read(&mut chunk)?;
        if read == 0 {
            return Ok(hex(context.finish().as_ref()));
        }
        context.update(&chunk[..read]);
    }
}
