// The body of the `snapshot_reader` fuzz target; also replayed over the corpus by
// `ebok-core/tests/fuzz_corpus.rs`.

/// Any bytes, cut at 0xFF into a manifest and the record files, import without a panic; a
/// snapshot that imports imports again as all-unchanged (idempotency).
pub(crate) fn check(data: &[u8]) {
    const NAMES: [&str; 10] = [
        "premises.csv",
        "logins.csv",
        "ledger.csv",
        "allocations.csv",
        "designations.csv",
        "meters.csv",
        "readings.csv",
        "deletions.csv",
        "controls.csv",
        "virtual_accounts.csv",
    ];
    let mut parts = data.split(|&b| b == 0xFF);
    let mut files = ebok_core::interchange::SnapshotFiles::new(parts.next().unwrap_or_default().to_vec());
    for (name, part) in NAMES.iter().zip(parts) {
        if !part.is_empty() {
            files.insert(name, part.to_vec());
        }
    }
    let _ = ebok_core::interchange::parse_ledger_csv(files.file("ledger.csv").unwrap_or_default(), "ledger.csv");
    let mut coop = ebok_core::cooperative::Cooperative::default();
    // Unsealed snapshots are read too, so that the fuzzer reaches the parsers and the apply step.
    let options = ebok_core::interchange::ImportOptions {
        integrity: ebok_core::interchange::Integrity::IfPresent,
        ..ebok_core::interchange::ImportOptions::default()
    };
    if coop.import(&files, &options).is_ok() {
        let again = coop.import(&files, &options).expect("the same snapshot imports again");
        for counts in again.counts.values() {
            assert_eq!(counts.added + counts.changed + counts.removed, 0, "{again:?}");
        }
    }
}
