// The body of the `mt940_reader` fuzz target; also replayed over the corpus by
// `ebok-core/tests/fuzz_corpus.rs`.

/// Any bytes read as MT940/MT942, detected and under every forced encoding and dialect: a
/// statement or a typed error, never a panic; reading is deterministic; what reads imports into
/// a bank book and imports again as all-unchanged.
pub(crate) fn check(data: &[u8]) {
    use ebok_core::bank::statement::{Dialect, Format, ReadOptions, TextEncoding, read_statements};
    let detected = read_statements(data, &ReadOptions { format: Some(Format::Mt940), ..ReadOptions::default() });
    assert_eq!(
        detected,
        read_statements(data, &ReadOptions { format: Some(Format::Mt940), ..ReadOptions::default() }),
        "deterministic"
    );
    for encoding in [TextEncoding::Utf8, TextEncoding::Cp1250, TextEncoding::Cp852] {
        for dialect in [Dialect::Mbank, Dialect::Ing, Dialect::Pko, Dialect::Pekao, Dialect::Generic] {
            let _ = read_statements(
                data,
                &ReadOptions { encoding: Some(encoding), dialect: Some(dialect), format: None, threads: 1 },
            );
        }
    }
    if let Ok(file) = detected {
        for s in &file.statements {
            for e in &s.entries {
                assert!(e.amount >= ebok_core::money::Money::ZERO, "{e:?}");
            }
        }
        let register = ebok_core::bank::VirtualAccountRegister::default();
        let matcher = ebok_core::bank::Matcher::new(&register, std::iter::empty());
        let mut book = ebok_core::bank::BankBook::default();
        let day = ebok_core::calendar::parse_date("2026-12-02").expect("a date");
        if book.import(&file.statements, &matcher, day).is_ok() {
            let again = book.import(&file.statements, &matcher, day).expect("imports again");
            assert_eq!(again.added + again.replaced_interim, 0, "{again:?}");
        }
    }
}
