//! Loading the benchmark ledger once, with its memory: time, bytes per entry and the load
//! peak (a counting allocator: the most bytes held during the load beyond its input).
//!
//! `cargo run --release -p ebok-benches --example ledger_load` (size from `EBOK_BENCH_PREMISES`
//! and `EBOK_BENCH_MONTHS`, as the criterion benches).

use std::time::Instant;

use ebok_benches::{cooperative, size_from_env};
use ebok_core::ledger::{InsertMode, Ledger, LedgerEntry};
use peak_alloc::PeakAlloc;

/// The system allocator, counting the bytes held now and their peak.
#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

fn held() -> usize {
    ALLOCATOR.current_usage()
}

fn main() {
    let (premises, months) = size_from_env();
    let t = Instant::now();
    let coop = cooperative(premises, months);
    let entries: Vec<LedgerEntry> = coop.ledger.iter().collect();
    drop(coop);
    let n = entries.len();
    eprintln!(
        "generated {n} entries in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let rounds: usize = std::env::var("EBOK_LOAD_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    for round in 0..rounds {
        let batch = entries.clone();
        let batch_bytes = batch.capacity() * std::mem::size_of::<LedgerEntry>();
        let before = held();
        ALLOCATOR.reset_peak_usage();
        let t = Instant::now();
        let mut ledger = Ledger::new();
        let report = ledger
            .insert_batch(batch, InsertMode::Strict)
            .unwrap_or_else(|e| panic!("{e}"));
        ledger.shrink_to_fit();
        let secs = t.elapsed().as_secs_f64();
        // The batch (counted in `before`) is consumed by the load: the peak above `before`
        // is what loading needs beyond its input.
        let peak = ALLOCATOR.peak_usage().saturating_sub(before);
        let heap = ledger.heap_bytes();
        let after = (held() + batch_bytes).saturating_sub(before);
        println!(
            "round {round}: insert_batch {n} entries in {secs:.2} s = {:.2} M entries/s; inserted {}; heap {:.1} B/entry; allocated {:.1} B/entry; peak above the input {:.1} B/entry = {:.2}x the ledger",
            n as f64 / secs / 1e6,
            report.inserted,
            heap as f64 / n as f64,
            after as f64 / n as f64,
            peak as f64 / n as f64,
            peak as f64 / heap as f64,
        );
    }
}
