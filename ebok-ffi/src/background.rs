//! Long calls as `suspend` (Kotlin) and `async` (Swift) functions: the work runs on a thread of
//! its own, so that the caller's thread (an app's main thread) is never held by an argon2id
//! evaluation or a snapshot import. No async runtime: a thread and a one-value channel that wakes
//! the waiting future.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use crate::error::EbokError;

/// The result, once the thread has it, and who to wake.
struct Slot<T> {
    value: Option<Result<T, EbokError>>,
    waker: Option<Waker>,
}

/// Waits for the worker's result.
struct Pending<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

impl<T> Future for Pending<T> {
    type Output = Result<T, EbokError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        match slot.value.take() {
            Some(v) => Poll::Ready(v),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Runs `work` on a new thread and completes with its result. A panic in `work` (a bug) comes
/// back as [`EbokError::Internal`], never across the boundary; so does a thread that cannot
/// start.
pub(crate) fn off_thread<T, F>(work: F) -> impl Future<Output = Result<T, EbokError>> + Send
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, EbokError> + Send + 'static,
{
    let slot = Arc::new(Mutex::new(Slot {
        value: None,
        waker: None,
    }));
    let theirs = Arc::clone(&slot);
    let spawned = std::thread::Builder::new()
        .name("ebok-work".to_owned())
        .spawn(move || {
            let value = std::panic::catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| {
                Err(EbokError::Internal {
                    reason: "the work stopped on an internal error".to_owned(),
                })
            });
            let mut s = theirs.lock().unwrap_or_else(PoisonError::into_inner);
            s.value = Some(value);
            if let Some(w) = s.waker.take() {
                w.wake();
            }
        });
    if let Err(e) = spawned {
        slot.lock().unwrap_or_else(PoisonError::into_inner).value =
            Some(Err(EbokError::Internal {
                reason: format!("no thread for the work: {e}"),
            }));
    }
    Pending { slot }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Polls a future to completion on this thread (what a foreign executor does).
    fn block_on<F: Future>(f: F) -> F::Output {
        struct ThreadWaker(std::thread::Thread);
        impl std::task::Wake for ThreadWaker {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        let mut f = std::pin::pin!(f);
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
            std::thread::park();
        }
    }

    #[test]
    fn the_work_runs_on_another_thread_and_its_result_comes_back() {
        let caller = std::thread::current().id();
        let out = block_on(off_thread(
            move || Ok(std::thread::current().id() != caller),
        ));
        assert_eq!(out, Ok(true));
        let err = block_on(off_thread(|| -> Result<(), EbokError> {
            Err(EbokError::NotFound { what: "x".into() })
        }));
        assert_eq!(err, Err(EbokError::NotFound { what: "x".into() }));
    }

    #[test]
    fn a_panic_in_the_work_is_a_typed_error() {
        let out = block_on(off_thread(|| -> Result<(), EbokError> { panic!("a bug") }));
        assert!(matches!(out, Err(EbokError::Internal { .. })), "{out:?}");
    }
}
