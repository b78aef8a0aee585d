//! Import benchmark (issue: interchange). Parse and validate a ledger CSV on one core:
//! `ebok_core::interchange::parse_ledger_csv` against a `csv` + serde + `Decimal` baseline.
//! Run with `cargo bench -p ebok-benches --bench import`; the size comes from
//! `EBOK_BENCH_IMPORT_PREMISES` (default 10 000) × `EBOK_BENCH_MONTHS` (default 240) × 2 rows.

use std::hint::black_box;
use std::str::FromStr;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ebok_core::cooperative::Cooperative;
use ebok_core::interchange::{export_snapshot, parse_ledger_csv};
use rust_decimal::Decimal;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Row<'a> {
    id: &'a str,
    premises: &'a str,
    kind: &'a str,
    amount: &'a str,
    operation_date: &'a str,
    component: &'a str,
    posted_on: &'a str,
    due_date: &'a str,
    document: &'a str,
}

/// The baseline: serde rows, `Decimal::from_str` with a scale check, dates parsed, same rules.
fn baseline(csv_text: &[u8]) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv_text);
    let headers = reader.byte_headers().cloned().unwrap_or_default();
    let mut record = csv::ByteRecord::new();
    let mut ok = 0usize;
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        let Ok(row) = record.deserialize::<Row>(Some(&headers)) else {
            continue;
        };
        let amount = Decimal::from_str(&row.amount.replace(',', "."))
            .ok()
            .filter(|d| d.normalize().scale() <= 2);
        let date = |s: &str| {
            (!s.is_empty())
                .then(|| ebok_core::calendar::parse_date(s).ok())
                .flatten()
        };
        let op = date(row.operation_date);
        let valid = !row.id.is_empty()
            && ebok_core::premises::PremisesId::new(row.premises).is_ok()
            && ebok_core::ledger::EntryKind::from_str(row.kind).is_ok()
            && amount.is_some()
            && op.is_some()
            && (row.posted_on.is_empty() || date(row.posted_on) >= op)
            && (row.due_date.is_empty() || date(row.due_date).is_some())
            && row.component.len() <= 64
            && row.document.len() <= 64;
        ok += usize::from(valid);
    }
    ok
}

fn import_benches(c: &mut Criterion) {
    let premises = std::env::var("EBOK_BENCH_IMPORT_PREMISES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let (_, months) = ebok_benches::size_from_env();
    let coop: Cooperative = ebok_benches::cooperative(premises, months).into();
    let files = export_snapshot(&coop, time::macros::datetime!(2026-11-21 18:00 +1));
    let ledger = files.file("ledger.csv").unwrap_or_default().to_vec();
    drop(files);
    let rows = coop.ledger.len();
    drop(coop);
    eprintln!(
        "ledger.csv: {rows} rows, {:.1} MB, {:.1} bytes/row",
        ledger.len() as f64 / 1e6,
        ledger.len() as f64 / rows as f64
    );
    let parsed = parse_ledger_csv(&ledger, "ledger.csv")
        .map(|r| r.len())
        .unwrap_or(0);
    assert_eq!(parsed, rows);
    assert_eq!(baseline(&ledger), rows);

    let mut g = c.benchmark_group("parse_validate_ledger_csv");
    g.throughput(Throughput::Bytes(ledger.len() as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(15));
    g.bench_function(BenchmarkId::new("ebok_parse_ledger_csv", rows), |b| {
        b.iter(|| black_box(parse_ledger_csv(black_box(&ledger), "ledger.csv").map(|r| r.len())))
    });
    g.bench_function(
        BenchmarkId::new("ebok_parse_and_check_unique_ids", rows),
        |b| {
            b.iter(|| {
                let mut r = parse_ledger_csv(black_box(&ledger), "ledger.csv").unwrap_or_default();
                black_box(r.check_unique_ids("ledger.csv").map(|()| r.len()))
            })
        },
    );
    g.bench_function(BenchmarkId::new("csv_serde_decimal_baseline", rows), |b| {
        b.iter(|| black_box(baseline(black_box(&ledger))))
    });
    g.finish();
}

criterion_group!(benches, import_benches);
criterion_main!(benches);
