//! Bank benchmarks (issue 14): reading MT940 and camt.053 in MB/s beside the floor of each
//! format (splitting the MT940 text into lines; walking the camt XML's events with quick-xml),
//! and matching 1 000 000 credits against 40 000 premises beside a bare hash lookup of the
//! virtual account. The comparison with the PyPI `mt-940` package is in
//! `ebok-py/bench/bench_statements.py`. Run with `cargo bench -p ebok-benches --bench bank`;
//! sizes from `EBOK_BENCH_BANK_CREDITS` (default 1 000 000) and `EBOK_BENCH_PREMISES`
//! (default 40 000).

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ebok_benches::bank_month;
use ebok_core::bank::statement::{ReadOptions, StatementEntry, read_statements};
use ebok_core::bank::{BankBook, Matcher};

fn credits_from_env() -> usize {
    std::env::var("EBOK_BENCH_BANK_CREDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn bank_benches(c: &mut Criterion) {
    let (premises, _) = ebok_benches::size_from_env();
    let credits = credits_from_env();
    let month = bank_month(premises, credits);
    let parse_n = (credits / 5).max(1);
    let small = bank_month(premises, parse_n);
    eprintln!(
        "bank: {credits} credits, {premises} premises; parse files of {parse_n} entries: MT940 {:.1} MB, camt.053 {:.1} MB",
        small.mt940.len() as f64 / 1e6,
        small.camt053.len() as f64 / 1e6
    );

    let mut g = c.benchmark_group("bank_read");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Bytes(small.mt940.len() as u64));
    g.bench_function("mt940/ebok read_statements", |b| {
        b.iter(|| {
            read_statements(black_box(&small.mt940), &ReadOptions::default())
                .map(|f| f.statements[0].entries.len())
        })
    });
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    g.bench_function("mt940/ebok read_statements, entries on every core", |b| {
        let options = ReadOptions {
            threads,
            ..ReadOptions::default()
        };
        b.iter(|| read_statements(black_box(&small.mt940), &options).expect("reads"));
    });
    g.bench_function("mt940/floor: UTF-8 check + split lines", |b| {
        b.iter(|| {
            let text = std::str::from_utf8(black_box(&small.mt940)).unwrap_or_default();
            text.split('\n').filter(|l| l.starts_with(":61:")).count()
        })
    });
    g.throughput(Throughput::Bytes(small.camt053.len() as u64));
    g.bench_function("camt053/ebok read_statements", |b| {
        b.iter(|| {
            read_statements(black_box(&small.camt053), &ReadOptions::default())
                .map(|f| f.statements[0].entries.len())
        })
    });
    g.bench_function("camt053/floor: quick-xml events", |b| {
        b.iter(|| {
            let mut r = quick_xml::Reader::from_reader(black_box(&small.camt053[..]));
            let mut buf = Vec::new();
            let mut n = 0usize;
            loop {
                match r.read_event_into(&mut buf) {
                    Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                    Ok(_) => n += 1,
                }
                buf.clear();
            }
            n
        })
    });
    g.finish();

    let file =
        read_statements(&month.mt940, &ReadOptions::default()).expect("the generated MT940 reads");
    let entries: Vec<StatementEntry> = file
        .statements
        .into_iter()
        .flat_map(|s| s.entries)
        .collect();
    let matcher = Matcher::new(&month.register, month.premises.iter());
    let by_account: HashMap<String, &ebok_core::premises::PremisesId> = month
        .register
        .rows()
        .map(|r| (r.account.clone(), &r.premises))
        .collect();
    let mut g = c.benchmark_group("bank_match");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(entries.len() as u64));
    g.bench_function("ebok Matcher::match_entry, all credits", |b| {
        b.iter(|| {
            entries
                .iter()
                .filter(|e| matcher.match_entry(e).premises().is_some())
                .count()
        })
    });
    g.bench_function("floor: hash lookup of the virtual account only", |b| {
        b.iter(|| {
            entries
                .iter()
                .filter(|e| {
                    e.virtual_account
                        .as_ref()
                        .is_some_and(|v| by_account.contains_key(v.as_str()))
                })
                .count()
        })
    });
    let statement = ebok_core::bank::statement::Statement {
        entries: entries.clone(),
        ..read_statements(
            b":20:X\n:25:PL47105000997600000000000001\n:28C:1\n:34F:PLN0\n-",
            &ReadOptions::default(),
        )
        .expect("reads")
        .statements
        .remove(0)
    };
    let statements = [statement];
    g.bench_function("ebok BankBook::import (match + record), all credits", |b| {
        b.iter_batched(
            BankBook::default,
            |mut book| {
                book.import(&statements, &matcher, time::macros::date!(2026 - 12 - 31))
                    .map(|r| r.matched)
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bank_benches);
criterion_main!(benches);
