//! Work split over two cores: a bulk load, Arrow input and a cooperative's open items run in
//! two halves. A thread that cannot be started is not an error: the work then runs on the
//! calling thread.

/// Runs `a` on another thread and `b` on this one, and returns both results; `a` runs here
/// after `b` where no thread can be started (a target without threads, a process at its
/// limit). A panic in `a` is resumed here.
pub(crate) fn in_parallel<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB,
    RA: Send,
{
    let a = std::sync::Mutex::new(Some(a));
    let take = || a.lock().ok().and_then(|mut a| a.take());
    std::thread::scope(|s| {
        let other = std::thread::Builder::new()
            .name("ebok-second-core".into())
            .spawn_scoped(s, || take().map(|a| a()));
        let rb = b();
        let ra = match other {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        };
        match ra.or_else(|| take().map(|a| a())) {
            Some(ra) => (ra, rb),
            None => unreachable!("`a` runs exactly once, on the other thread or here"),
        }
    })
}
