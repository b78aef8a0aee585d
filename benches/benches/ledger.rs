//! Ledger benchmarks (issue: foundation). Run with
//! `cargo bench -p ebok-benches --bench ledger`; the size comes from `EBOK_BENCH_PREMISES`
//! and `EBOK_BENCH_MONTHS` (default 40 000 × 240 → 19.2 M entries).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ebok_benches::{cooperative, naive_balances, naive_entries, size_from_env};
use ebok_core::calendar::{YearMonth, add_days};

fn ledger_benches(c: &mut Criterion) {
    let (premises, months) = size_from_env();
    let started = std::time::Instant::now();
    let coop = cooperative(premises, months);
    let ledger = &coop.ledger;
    let n = ledger.len();
    eprintln!(
        "generated {n} entries for {premises} premises in {:.1} s; heap {:.1} bytes/entry",
        started.elapsed().as_secs_f64(),
        ledger.heap_bytes() as f64 / n as f64
    );
    let (naive, naive_premises) = naive_entries(ledger);
    let today = coop.config.end;
    let known = Some(add_days(today, -3));

    // Both agree to the grosz before anything is timed.
    let fast = ledger.balances(today, known);
    let slow = naive_balances(&naive, naive_premises, today, known);
    assert_eq!(fast.len(), slow.len());
    for (f, s) in fast.iter().zip(&slow) {
        assert_eq!(f.balance.amount().to_decimal(), *s);
    }

    let mut g = c.benchmark_group("balances_all_premises");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.bench_function(BenchmarkId::new("columnar_grosze", n), |b| {
        b.iter(|| black_box(ledger.balances(black_box(today), black_box(known))))
    });
    // The worst case for the zone map: what was known a year into the history, so that
    // nearly every block holds entries posted later and must be scanned entry by entry.
    let early = Some(add_days(today, -i64::from(months) * 30 + 365));
    g.bench_function(
        BenchmarkId::new("columnar_grosze_scan_every_block", n),
        |b| b.iter(|| black_box(ledger.balances(black_box(today), black_box(early)))),
    );
    g.bench_function(BenchmarkId::new("naive_struct_decimal", n), |b| {
        b.iter(|| {
            black_box(naive_balances(
                &naive,
                naive_premises,
                black_box(today),
                black_box(known),
            ))
        })
    });
    g.finish();
    drop(naive);

    let flat = coop
        .registry
        .iter()
        .next()
        .map(|p| p.id.clone())
        .unwrap_or_else(|| unreachable!());
    let last = YearMonth::of(today);
    let mut g = c.benchmark_group("one_premises");
    g.bench_function("balance", |b| {
        b.iter(|| black_box(ledger.balance(&flat, black_box(today), known).unwrap()))
    });
    g.bench_function("statements_12_months", |b| {
        b.iter(|| black_box(ledger.statements(&flat, last.plus_months(-11), last, known)))
    });
    g.bench_function("account_lines_12_months", |b| {
        b.iter(|| {
            black_box(ledger.account_lines(
                &flat,
                Some(last.plus_months(-11).first_day()),
                today,
                known,
            ))
        })
    });
    g.bench_function("payment_history", |b| {
        b.iter(|| black_box(ledger.payment_history(&flat, known)))
    });
    g.finish();
}

criterion_group!(benches, ledger_benches);
criterion_main!(benches);
