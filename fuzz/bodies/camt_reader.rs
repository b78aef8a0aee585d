// The body of the `camt_reader` fuzz target; also replayed over the corpus by
// `ebok-core/tests/fuzz_corpus.rs`.

/// Any bytes read as camt.053/054 (and detected): a statement or a typed error naming an XML
/// path, never a panic; a camt statement's entries are never negative.
pub(crate) fn check(data: &[u8]) {
    use ebok_core::bank::statement::{Format, ReadOptions, read_statements};
    for format in [None, Some(Format::Camt053), Some(Format::Camt054)] {
        if let Ok(file) = read_statements(data, &ReadOptions { format, ..ReadOptions::default() }) {
            for s in &file.statements {
                for e in &s.entries {
                    assert!(e.amount >= ebok_core::money::Money::ZERO, "{e:?}");
                }
            }
        }
    }
}
