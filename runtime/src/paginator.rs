//! Paginators: every page of a listing operation as a [`Stream`], or every item.
//!
//! A stream ends after the last page (no next token), after an error, or when
//! the service repeats the token it was just sent, which would otherwise loop
//! forever.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

pub use futures_core::Stream;

use crate::error::SdkError;
use crate::handle::Handle;
use crate::operation::{Operation, send};

type PageFuture<O> = Pin<
    Box<
        dyn Future<Output = Result<<O as Operation>::Output, SdkError<<O as Operation>::Error>>>
            + Send,
    >,
>;

/// Where an operation keeps its page token.
pub struct TokenAccess<O: Operation> {
    /// Puts the token into the next request.
    pub set: fn(&mut O, Option<String>),
    /// Reads the next token from a page.
    pub get: fn(&O::Output) -> Option<String>,
}

/// Every page of a listing, fetched one at a time as the stream is polled.
pub struct Pages<O: Operation> {
    handle: Handle,
    next_input: Option<O>,
    token: TokenAccess<O>,
    sent_token: Option<String>,
    in_flight: Option<PageFuture<O>>,
}

impl<O> Pages<O>
where
    O: Operation + Clone + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// Pages of `input`, starting from its token (usually none).
    pub fn new(handle: Handle, input: O, token: TokenAccess<O>) -> Self {
        Self {
            handle,
            next_input: Some(input),
            token,
            sent_token: None,
            in_flight: None,
        }
    }

    /// The next page; `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<O::Output, SdkError<O::Error>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O::Output>, SdkError<O::Error>> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    /// The items of every page, using `items` to take them out of a page.
    pub fn items<T>(self, items: fn(O::Output) -> Vec<T>) -> Items<O, T> {
        Items {
            pages: self,
            items,
            buffer: VecDeque::new(),
        }
    }

    fn start(&mut self, input: O) {
        let handle = self.handle.clone();
        self.in_flight = Some(Box::pin(async move { send(&handle, input).await }));
    }

    /// Prepares the request for the page after `page`, unless `page` was the last.
    fn advance(&mut self, page: &O::Output, input: O) {
        let next = (self.token.get)(page).filter(|t| !t.is_empty());
        match next {
            Some(token) if Some(&token) != self.sent_token.as_ref() => {
                let mut input = input;
                (self.token.set)(&mut input, Some(token.clone()));
                self.sent_token = Some(token);
                self.next_input = Some(input);
            }
            _ => self.next_input = None,
        }
    }
}

impl<O> Unpin for Pages<O> where O: Operation {}

impl<O> Stream for Pages<O>
where
    O: Operation + Clone + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    type Item = Result<O::Output, SdkError<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.in_flight.is_none() {
            let Some(input) = this.next_input.clone() else {
                return Poll::Ready(None);
            };
            this.start(input);
        }
        let Some(in_flight) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = ready!(in_flight.as_mut().poll(cx));
        this.in_flight = None;
        match (&result, this.next_input.take()) {
            (Ok(page), Some(input)) => this.advance(page, input),
            _ => this.next_input = None,
        }
        Poll::Ready(Some(result))
    }
}

/// Every item of every page.
pub struct Items<O: Operation, T> {
    pages: Pages<O>,
    items: fn(O::Output) -> Vec<T>,
    buffer: VecDeque<T>,
}

impl<O, T> Items<O, T>
where
    O: Operation + Clone + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// The next item; `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<T, SdkError<O::Error>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, SdkError<O::Error>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<O: Operation, T> Unpin for Items<O, T> {}

impl<O, T> Stream for Items<O, T>
where
    O: Operation + Clone + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    type Item = Result<T, SdkError<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.buffer.extend((this.items)(page)),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => return Poll::Ready(None),
            }
        }
    }
}
