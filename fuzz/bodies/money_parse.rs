// The body of the `money_parse` fuzz target; also replayed over the corpus by
// `ebok-core/tests/fuzz_corpus.rs`.

/// Parsing any text never panics; whatever parses displays and re-parses to the same amount.
pub(crate) fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(m) = ebok_core::money::Money::parse(text) {
        assert_eq!(ebok_core::money::Money::parse(&m.to_string()), Ok(m));
        assert_eq!(ebok_core::money::Money::parse(&m.polish().to_string()), Ok(m));
        assert_eq!(ebok_core::money::Money::from_decimal(m.to_decimal()), Ok(m));
    }
}
