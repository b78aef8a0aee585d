// The body of the `unblock_sms` fuzz target; also replayed over the corpus by
// `ebok-core/tests/fuzz_corpus.rs`.

/// Parsing any text never panics; an accepted text yields a valid identifier that is in it.
pub(crate) fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(id) = ebok_core::access::parse_unblock_sms(text) {
        assert!((4..=16).contains(&id.as_str().len()));
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        assert!(digits.contains(id.as_str()));
    }
}
