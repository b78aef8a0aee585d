//! A snapshot imported end to end, once each way: a full snapshot into an empty cooperative,
//! the same snapshot again, and an incremental snapshot of 1 000 changed entries. Beside them,
//! in the same run, a baseline: the same files merely read by the `csv` crate (every record
//! as a `ByteRecord`, nothing converted or checked), so that the figures can be compared
//! across runs on a machine whose speed varies.
//!
//! `cargo run --release -p ebok-benches --example snapshot_import` (`EBOK_INCREMENTAL_ROUNDS`:
//! how many times the incremental snapshot is imported, default 3)

use std::time::Instant;

use ebok_benches::{cooperative, incremental_snapshot, size_from_env};
use ebok_core::cooperative::Cooperative;
use ebok_core::interchange::{ImportOptions, SnapshotFiles, export_snapshot};

fn main() {
    let (premises, months) = size_from_env();
    let t = Instant::now();
    let coop: Cooperative = cooperative(premises, months).into();
    let files = export_snapshot(&coop, time::macros::datetime!(2026-11-21 18:00 +1));
    let bytes: usize = files.files.values().map(Vec::len).sum();
    let rows = coop.ledger.len();
    eprintln!(
        "exported {rows} entries, {:.0} MB, in {:.1} s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let rounds: usize = std::env::var("EBOK_INCREMENTAL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    // Each round changes the same 1 000 entries again, to a new amount.
    let deltas: Vec<_> = (0..rounds as i64)
        .map(|round| incremental_snapshot(&coop, 1_000, round))
        .collect();
    drop(coop);
    // The baseline: reading every record of every file with the csv crate, nothing more.
    let baseline = |files: &SnapshotFiles| {
        let t = Instant::now();
        let mut records = 0usize;
        for bytes in files.files.values() {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(b';')
                .flexible(true)
                .from_reader(bytes.as_slice());
            let mut record = csv::ByteRecord::new();
            while let Ok(true) = reader.read_byte_record(&mut record) {
                records += record.len().min(1);
            }
        }
        (t.elapsed().as_secs_f64(), records)
    };
    let (base, records) = baseline(&files);
    println!(
        "baseline, the csv crate reading every record ({records}): {base:.2} s = {:.1} MB/s",
        bytes as f64 / base / 1e6
    );
    let mut fresh = Cooperative::default();
    let mut import = |files: &SnapshotFiles| {
        let t = Instant::now();
        let report = fresh
            .import(files, &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{e}: {:?}", e.issues.first()));
        (t.elapsed().as_secs_f64(), report.counts("ledger"))
    };
    let (s, counts) = import(&files);
    println!(
        "full import into an empty cooperative: {s:.2} s = {:.1} MB/s ({} added) = {:.2}x the baseline",
        bytes as f64 / s / 1e6,
        counts.added,
        s / base
    );
    let (s, counts) = import(&files);
    println!(
        "the same snapshot again: {s:.2} s = {:.1} MB/s ({} unchanged) = {:.2}x the baseline",
        bytes as f64 / s / 1e6,
        counts.unchanged,
        s / base
    );
    for delta in &deltas {
        let (s, counts) = import(delta);
        println!(
            "incremental snapshot of 1 000 changed entries: {:.1} ms ({} changed)",
            s * 1e3,
            counts.changed
        );
    }
}
