//! Shared helpers of the ebok benchmarks: the generated cooperative and the naive baselines
//! the figures in `BENCHMARKS.md` are measured against.

use ebok_core::calendar::day_number;
use ebok_core::ledger::Ledger;
use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
use rust_decimal::Decimal;
use time::Date;

/// The benchmark's size: `EBOK_BENCH_PREMISES` premises (default 40 000) × `EBOK_BENCH_MONTHS`
/// months (default 240) × (charge + payment) — 19.2 M entries by default.
pub fn size_from_env() -> (usize, u32) {
    let premises = std::env::var("EBOK_BENCH_PREMISES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40_000);
    let months = std::env::var("EBOK_BENCH_MONTHS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(240);
    (premises, months)
}

/// Generates the benchmark cooperative.
pub fn cooperative(premises: usize, months: u32) -> SyntheticCooperative {
    SyntheticCooperative::generate(&CooperativeConfig::benchmark(premises, months))
}

/// One entry as a straightforward program would hold it: a struct with a `Decimal` amount.
#[derive(Debug, Clone, Copy)]
pub struct NaiveEntry {
    /// Index of the premises.
    pub premises: u32,
    /// Signed effect on what is owed.
    pub effect: Decimal,
    /// Operation day number.
    pub op: i32,
    /// Posting day number, `None` while unposted.
    pub post: Option<i32>,
}

/// The naive baseline: a `Vec` of structs with `Decimal` amounts, in the ledger's order.
pub fn naive_entries(ledger: &Ledger) -> (Vec<NaiveEntry>, usize) {
    let mut index = std::collections::BTreeMap::new();
    let entries = ledger
        .iter()
        .map(|e| {
            let n = index.len() as u32;
            let premises = *index.entry(e.premises.clone()).or_insert(n);
            NaiveEntry {
                premises,
                effect: e.effect().to_decimal(),
                op: day_number(e.operation_date),
                post: e.posted_on.map(day_number),
            }
        })
        .collect();
    (entries, index.len())
}

/// The naive all-premises balance: one pass, `Decimal` accumulators in a `Vec`.
pub fn naive_balances(
    entries: &[NaiveEntry],
    premises: usize,
    as_of: Date,
    known_at: Option<Date>,
) -> Vec<Decimal> {
    let a = day_number(as_of);
    let k = known_at.map_or(i32::MAX - 1, day_number);
    let mut acc = vec![Decimal::ZERO; premises];
    for e in entries {
        if e.op <= a && e.post.is_some_and(|p| p <= k) {
            acc[e.premises as usize] += e.effect;
        }
    }
    acc
}
