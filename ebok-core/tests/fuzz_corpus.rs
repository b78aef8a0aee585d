//! Replays the fuzz targets' seed corpus (and any crash reproducers added to it) as an
//! ordinary test, with the very bodies the fuzz targets run.

use std::path::Path;

mod money_parse {
    include!("../../fuzz/bodies/money_parse.rs");
}

mod entry_validation {
    include!("../../fuzz/bodies/entry_validation.rs");
}

mod unblock_sms {
    include!("../../fuzz/bodies/unblock_sms.rs");
}

mod snapshot_reader {
    include!("../../fuzz/bodies/snapshot_reader.rs");
}

mod mt940_reader {
    include!("../../fuzz/bodies/mt940_reader.rs");
}

mod camt_reader {
    include!("../../fuzz/bodies/camt_reader.rs");
}

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        check(&std::fs::read(&path).unwrap());
        n += 1;
    }
    n
}

#[test]
fn money_parse_corpus() {
    assert!(replay("money_parse", money_parse::check) >= 10);
}

#[test]
fn entry_validation_corpus() {
    assert!(replay("entry_validation", entry_validation::check) >= 7);
}

#[test]
fn unblock_sms_corpus() {
    assert!(replay("unblock_sms", unblock_sms::check) >= 8);
}

#[test]
fn snapshot_reader_corpus() {
    assert!(replay("snapshot_reader", snapshot_reader::check) >= 7);
}

#[test]
fn mt940_reader_corpus() {
    assert!(replay("mt940_reader", mt940_reader::check) >= 12);
}

#[test]
fn camt_reader_corpus() {
    assert!(replay("camt_reader", camt_reader::check) >= 8);
}
