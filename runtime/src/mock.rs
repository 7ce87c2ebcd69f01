//! A test double for code that uses a generated client: typed handlers answer
//! each operation instead of the network, and every input is recorded.
//!
//! ```ignore
//! let mock = Arc::new(Mock::new().on(|input: &GetRoomInput| {
//!     Ok(GetRoomOutput { name: input.identifier.clone(), ..Default::default() })
//! }));
//! let client = ivschat::Client::from_mock(mock.clone());
//! // ... code under test calls client.get_room() ...
//! assert_eq!(mock.requests::<GetRoomInput>().len(), 1);
//! ```

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;

use crate::error::SdkError;
use crate::operation::Operation;
use crate::transport::{HttpTransport, TransportError, TransportErrorKind, TransportFuture};

type Handler<O> =
    dyn Fn(&O) -> Result<<O as Operation>::Output, <O as Operation>::Error> + Send + Sync;

/// Typed handlers by operation, and the inputs received.
#[derive(Default)]
pub struct Mock {
    handlers: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    requests: Mutex<Vec<(TypeId, Box<dyn Any + Send>)>>,
}

impl Mock {
    /// A mock with no handlers: every call fails until one is added.
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers operation `O` (named by its input type) with `handler`, which
    /// returns a typed output or a typed error.
    pub fn on<O: Operation>(
        mut self,
        handler: impl Fn(&O) -> Result<O::Output, O::Error> + Send + Sync + 'static,
    ) -> Self {
        let handler: Arc<Handler<O>> = Arc::new(handler);
        self.handlers.insert(TypeId::of::<O>(), Box::new(handler));
        self
    }

    /// The inputs of operation `O` received so far, in order.
    pub fn requests<O: Operation>(&self) -> Vec<O> {
        self.recorded()
            .iter()
            .filter(|(id, _)| *id == TypeId::of::<O>())
            .filter_map(|(_, input)| input.downcast_ref::<O>().cloned())
            .collect()
    }

    /// How many calls of any operation were made.
    pub fn call_count(&self) -> usize {
        self.recorded().len()
    }

    fn recorded(&self) -> MutexGuard<'_, Vec<(TypeId, Box<dyn Any + Send>)>> {
        self.requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs a call: validates and builds the request as the real client would,
    /// records the input, and answers from the handler.
    pub(crate) fn call<O: Operation>(&self, input: O) -> Result<O::Output, SdkError<O::Error>> {
        let input = input.with_defaults();
        input.to_request().map_err(SdkError::construction_failure)?;
        self.recorded()
            .push((TypeId::of::<O>(), Box::new(input.clone())));
        let handler = self
            .handlers
            .get(&TypeId::of::<O>())
            .and_then(|h| h.downcast_ref::<Arc<Handler<O>>>())
            .ok_or_else(|| SdkError::construction_failure(NoHandler(O::NAME)))?;
        handler(&input).map_err(|error| {
            let raw = http::Response::builder()
                .status(400)
                .body(Bytes::new())
                .unwrap_or_default();
            SdkError::service_error(error, raw)
        })
    }
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mock")
            .field("handlers", &self.handlers.len())
            .field("calls", &self.call_count())
            .finish()
    }
}

/// The transport of a mock client: never used, since calls stop at the handlers.
#[derive(Debug)]
pub(crate) struct NoNetwork;

impl HttpTransport for NoNetwork {
    fn send(&self, _: http::Request<crate::body::ByteStream>) -> TransportFuture<'_> {
        Box::pin(async {
            Err(TransportError::new(
                TransportErrorKind::Other,
                "a mock client has no network",
            ))
        })
    }
}

/// A call reached a mock without a handler for its operation.
#[derive(Debug)]
pub struct NoHandler(&'static str);

impl fmt::Display for NoHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the mock has no handler for `{}`", self.0)
    }
}

impl std::error::Error for NoHandler {}
