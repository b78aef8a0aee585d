//! Loading the ledger (issue 17): `Ledger::insert_batch` of the whole benchmark ledger into an
//! empty ledger (the bulk load), beside a baseline in the same run: the same entries put in a
//! `HashMap` by id, as a straightforward program would hold them (no validation, no columns).
//!
//! `cargo bench -p ebok-benches --bench load` (size from `EBOK_BENCH_PREMISES` and
//! `EBOK_BENCH_MONTHS`, default 19.2 M entries). Each sample loads a fresh copy of the
//! entries; the copy is made, and what was loaded is freed, outside the timing.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ebok_benches::{cooperative, size_from_env};
use ebok_core::ledger::{EntryId, InsertMode, Ledger, LedgerEntry};

fn load_benches(c: &mut Criterion) {
    let (premises, months) = size_from_env();
    let entries: Vec<LedgerEntry> = cooperative(premises, months).ledger.iter().collect();
    let n = entries.len();

    // The bulk load holds what it was given before anything is timed.
    let mut check = Ledger::new();
    let report = check
        .insert_batch(entries.clone(), InsertMode::Strict)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.inserted, n);
    for e in entries.iter().step_by((n / 1000).max(1)) {
        assert_eq!(check.get(&e.id).as_ref(), Some(e));
    }
    eprintln!(
        "loaded {n} entries: heap {:.1} bytes/entry",
        check.heap_bytes() as f64 / n as f64
    );
    drop(check);

    let mut g = c.benchmark_group("load_ledger");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(30));
    g.bench_function(BenchmarkId::new("insert_batch_bulk", n), |b| {
        b.iter_batched(
            || entries.clone(),
            |batch| {
                let mut l = Ledger::new();
                let report = l.insert_batch(batch, InsertMode::Strict);
                black_box((report.is_ok(), l.len()));
                l
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function(BenchmarkId::new("baseline_hashmap_by_id", n), |b| {
        b.iter_batched(
            || entries.clone(),
            |batch| {
                let mut map: HashMap<EntryId, LedgerEntry> = HashMap::with_capacity(batch.len());
                for e in batch {
                    map.insert(e.id.clone(), e);
                }
                black_box(map.len());
                map
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, load_benches);
criterion_main!(benches);
