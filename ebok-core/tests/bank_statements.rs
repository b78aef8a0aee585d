//! Bank statements read from public files (with the values their upstream libraries expect)
//! and from ebok's own fixtures for each Polish dialect and encoding.

use ebok_core::bank::statement::{
    AccountCheck, Dialect, Format, ReadOptions, Side, StatementError, StatementFile,
    StatementWarning, TextEncoding, read_statements,
};
use ebok_core::money::Money;
use proptest::prelude::*;
use time::macros::date;

fn data(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/data/bank/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn read(path: &str) -> StatementFile {
    read_statements(&data(path), &ReadOptions::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn money(s: &str) -> Money {
    s.parse().expect("money")
}

/// The values wolph/mt940 expects (its `.yml`): every `bank_reference:`, every Decimal amount
/// (balances first, alphabetically: available, closing, opening; then the transactions) and
/// every `transaction_details:` text.
struct Yml {
    references: Vec<String>,
    amounts: Vec<String>,
    details: Vec<String>,
}

fn yml(path: &str) -> Yml {
    let text = String::from_utf8(data(path)).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    let mut y = Yml {
        references: vec![],
        amounts: vec![],
        details: vec![],
    };
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if let Some(r) = t.strip_prefix("bank_reference: ") {
            y.references.push(r.to_owned());
        }
        if t == "amount: !!python/object/apply:decimal.Decimal" {
            y.amounts.push(
                lines[i + 1]
                    .trim()
                    .trim_start_matches("- ")
                    .trim_matches('\'')
                    .to_owned(),
            );
        }
        if let Some(start) = t.strip_prefix("transaction_details: '") {
            // A single-quoted YAML scalar: a blank line is a newline, other breaks are spaces.
            let mut value = start.to_owned();
            let mut j = i + 1;
            while !value.ends_with('\'') {
                let next = lines[j].trim();
                if next.is_empty() {
                    value.push('\n');
                } else {
                    if !value.ends_with('\n') {
                        value.push(' ');
                    }
                    value.push_str(next);
                }
                j += 1;
            }
            y.details.push(value.trim_end_matches('\'').to_owned());
        }
    }
    y
}

#[test]
fn mbank_mt940_matches_the_values_wolph_mt940_expects() {
    for name in ["mt940", "with_newline_in_tnr"] {
        let file = read(&format!("mbank-wolph/{name}.sta"));
        let expected = yml(&format!("mbank-wolph/{name}.yml"));
        assert_eq!(file.format, Format::Mt940);
        assert_eq!(file.dialect, Some(Dialect::Mbank));
        let s = &file.statements[0];
        assert_eq!(s.account, "PL29114010810000267002001002");
        assert_eq!(AccountCheck::of(&s.account), AccountCheck::Valid);
        let ours: Vec<String> = [&s.available, &s.closing, &s.opening]
            .iter()
            .map(|b| b.as_ref().expect("balance").amount.to_string())
            .chain(s.entries.iter().map(|e| e.amount.to_string()))
            .collect();
        let theirs: Vec<String> = expected
            .amounts
            .iter()
            .map(|a| money(a).to_string())
            .collect();
        assert_eq!(ours, theirs, "{name}");
        let refs: Vec<String> = s
            .entries
            .iter()
            .filter_map(|e| e.bank_reference.as_ref().map(ToString::to_string))
            .collect();
        assert_eq!(refs, expected.references, "{name}");
        let details: Vec<&str> = s.entries.iter().map(|e| e.raw_details.as_str()).collect();
        assert_eq!(details, expected.details, "{name}");
        for e in &s.entries {
            assert_eq!(
                (e.side, e.reversal, e.currency.as_str()),
                (Side::Credit, false, "PLN")
            );
            assert_eq!(e.transaction_code.as_deref(), Some("NTRF"));
            assert_eq!(e.customer_reference.as_deref(), Some("NONREF"));
            assert_eq!(e.operation_code.as_deref(), Some("911"));
        }
    }
}

#[test]
fn mbank_labels_as_wolph_mt940_processors_read_them() {
    // test_processors.py: transaction_code 911, iph_id, tnr (also split across lines).
    let f = read("mbank-wolph/mt942.sta");
    assert_eq!(f.format, Format::Mt942);
    let e = &f.statements[0].entries[0];
    assert_eq!(e.payer_id.as_deref(), Some("XX000000000001"));
    assert_eq!(e.tnr.as_deref(), Some("179171073864111.010001"));
    assert_eq!(
        e.counterparty_account.as_deref(),
        Some("56114010810000267002001001")
    );
    assert_eq!(
        e.counterparty_name.as_deref(),
        Some("JAN NOWAK UL. NIJAKA 1 M 2 31-234 KRAKOW")
    );
    assert_eq!(e.title.as_deref(), Some("PRZELEW SRODKOW"));
    assert_eq!(f.statements[0].currency, "PLN");
    assert!(f.statements[0].opening.is_none());

    let f = read("mbank-wolph/with_newline_in_tnr.sta");
    let s = &f.statements[0];
    let tnrs: Vec<_> = s.entries.iter().map(|e| e.tnr.as_deref()).collect();
    assert_eq!(
        tnrs,
        [
            Some("179301073837502.000001"),
            Some("179301073844398.000001")
        ]
    );
    // An all-zero payer account means "none", not an error.
    assert!(s.entries.iter().all(|e| e.counterparty_account.is_none()));
    assert_eq!(
        s.warnings,
        [StatementWarning::BalanceMismatch {
            opening: money("0.46"),
            entries: money("89.00"),
            closing: money("860.17"),
        }]
    );
    assert_eq!(s.entries[0].value_date, date!(2017 - 02 - 01));
    assert_eq!(s.number.as_deref(), Some("3"));
    assert_eq!(s.sequence.as_deref(), Some("1"));
}

#[test]
fn malformed_files_give_typed_errors_naming_the_line() {
    let err = |path: &str| read_statements(&data(path), &ReadOptions::default()).unwrap_err();
    let e = err("mt940-special-svenstaro/february_30.sta");
    assert!(
        matches!(&e, StatementError::InvalidField { line: 6, tag, reason, .. } if tag == "61" && reason.contains("day 30")),
        "{e}"
    );
    let e = err("mt940-special-svenstaro/incomplete_tag_61.sta");
    assert!(
        matches!(&e, StatementError::InvalidField { line: 5, reason, .. } if reason.contains("cut")),
        "{e}"
    );
    let e = err("mt940-special-svenstaro/invalid_statement.sta");
    assert!(
        matches!(e, StatementError::NotAStatement { line: 1, .. }),
        "{e}"
    );
    let e = err("mt940-special-svenstaro/overly_long_details.sta");
    assert!(
        matches!(
            e,
            StatementError::DetailsTooLong {
                line: 6,
                lines: 9,
                max_lines: 6,
                ..
            }
        ),
        "{e}"
    );
    let e = err("mt940-special-svenstaro/unexpected_tag.sta");
    assert!(
        matches!(&e, StatementError::UnknownTag { line: 8, tag } if tag == "12"),
        "{e}"
    );
    let e = read_statements(
        &data("mt940-special-svenstaro/invalid_utf8.sta"),
        &ReadOptions {
            encoding: Some(TextEncoding::Utf8),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(e, StatementError::InvalidText { line: 7, .. }),
        "{e}"
    );
    let e = err("camt-genkgo/camt053.v2.wrong.xml");
    assert!(
        matches!(&e, StatementError::Xml { path, .. } if path == "Document/BkToCstmrStmt"),
        "{e}"
    );
    assert!(e.to_string().contains("Stmt"));
}

fn json(path: &str) -> serde_json::Value {
    serde_json::from_slice(&data(path)).expect("json")
}

/// genkgo's money in minor units of the currency.
fn minor(v: &serde_json::Value) -> (i64, String) {
    let units: i64 = v["getAmount"]
        .as_str()
        .expect("amount")
        .parse()
        .expect("int");
    let currency = v["getCurrency"]["getCode"]
        .as_str()
        .expect("ccy")
        .to_owned();
    (units, currency)
}

fn our_minor(m: Money, currency: &str) -> i64 {
    if currency == "JPY" {
        m.grosze() / 100
    } else {
        m.grosze()
    }
}

#[test]
fn camt_files_match_the_values_genkgo_camt_expects() {
    for name in [
        "camt053.v2.minimal",
        "camt053.v2.multi.statement",
        "camt053.v2.all-balance-types",
        "camt053.v2.five.decimals",
        "camt054.v2",
    ] {
        let file = read(&format!("camt-genkgo/{name}.xml"));
        let expected = json(&format!("camt-genkgo/{name}.json"));
        let records = expected["getRecords"].as_array().expect("records").len();
        assert_eq!(file.statements.len(), records, "{name}");
        for e in expected["getEntries"].as_array().expect("entries") {
            let (units, currency) = minor(&e["getAmount"]);
            let side = match e["getCreditDebitIndicator"].as_str() {
                Some("CRDT") => Side::Credit,
                _ => Side::Debit,
            };
            let day = |k: &str| e[k]["0"].as_str().map(|s| s[..10].to_owned());
            let record = &e["getRecord"];
            let account = record["getAccount"]["getIdentification"]
                .as_str()
                .expect("acct");
            let found = file.statements.iter().any(|s| {
                let balances_ok = record["getBalances"].as_array().is_none_or(|bs| {
                    bs.iter().all(|b| {
                        let (u, c) = minor(&b["getAmount"]);
                        let ours = match b["getType"].as_str() {
                            Some("opening") => s.opening.as_ref(),
                            Some("closing") => s.closing.as_ref(),
                            Some("closing_available") => s.available.as_ref(),
                            Some("forward_available") => s.forward_available.as_ref(),
                            _ => return true,
                        };
                        // genkgo lists both OPBD and PRCD as "opening"; ebok takes OPBD.
                        ours.is_some_and(|o| o.currency == c)
                            && (ours.is_some_and(|o| our_minor(o.signed(), &c) == u)
                                || b["getType"] == "opening")
                    })
                });
                s.account == account
                    && balances_ok
                    && s.entries.iter().any(|x| {
                        x.side == side
                            && x.currency == currency
                            && our_minor(x.amount, &currency) == units.abs()
                            && Some(x.value_date.to_string()) == day("getValueDate")
                            && x.booking_date.map(|d| d.to_string()) == day("getBookingDate")
                            && x.reversal == (e["getReversalIndicator"] == true)
                            && (e["getAccountServicerReference"].is_null()
                                || x.bank_reference.as_deref()
                                    == e["getAccountServicerReference"].as_str())
                    })
            });
            assert!(found, "{name}: entry {e:#}");
        }
    }
    let all = read("camt-genkgo/camt053.v2.all-balance-types.xml");
    let s = &all.statements[0];
    assert_eq!(
        s.opening.as_ref().map(|b| b.amount),
        Some(money("1.01")),
        "OPBD, not PRCD"
    );
    assert_eq!(s.closing.as_ref().map(|b| b.amount), Some(money("4.04")));
    assert_eq!(s.available.as_ref().map(|b| b.amount), Some(money("5.05")));
    assert_eq!(
        s.forward_available.as_ref().map(|b| b.amount),
        Some(money("6.06"))
    );
    let minimal = read("camt-genkgo/camt053.v2.minimal.xml");
    let e = &minimal.statements[0].entries[0];
    assert_eq!(e.counterparty_name.as_deref(), Some("NAME NAME"));
    assert_eq!(
        e.counterparty_account.as_deref(),
        Some("NL56AGDH9619008421")
    );
    assert_eq!(e.title.as_deref(), Some("4654654654654654"));
    assert_eq!(e.transaction_code.as_deref(), Some("544"));
    assert!(matches!(
        minimal.statements[0].warnings[..],
        [StatementWarning::MixedCurrencies { .. }]
    ));
}

#[test]
fn ing_in_cp852_is_detected_and_reads_polish() {
    let f = read("own/ing-cp852.sta");
    assert_eq!(
        (f.encoding, f.dialect),
        (TextEncoding::Cp852, Some(Dialect::Ing))
    );
    let s = &f.statements[0];
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(s.entries.len(), 5);
    let e = &s.entries[0];
    assert_eq!(e.title.as_deref(), Some("CZYNSZ 12/2026 0756555"));
    assert_eq!(e.counterparty_name.as_deref(), Some("JAN KOWALSKI"));
    assert_eq!(
        e.counterparty_account.as_deref(),
        Some("PL61109010140000071219812874")
    );
    assert_eq!(e.counterparty_check, Some(AccountCheck::Valid));
    assert_eq!(
        e.virtual_account.as_deref(),
        Some("53105000997612340000756555")
    );
    assert_eq!(e.virtual_account_check, Some(AccountCheck::Valid));
    assert_eq!(e.booking_date, Some(date!(2026 - 12 - 03)));
    assert_eq!(
        s.entries[1].title.as_deref(),
        Some("Opłata za lokal 0756556 grudzień")
    );
    assert!(s.entries[2].raw_details.contains("Płatność kartą"));
    assert_eq!(
        (s.entries[2].side, s.entries[2].amount),
        (Side::Debit, money("12.00"))
    );
    assert_eq!(
        s.entries[4].counterparty_name.as_deref(),
        Some("ŻANETA ŁĄCKA")
    );
    // Read as CP1250 on request, the same bytes give no Polish letters: the override is honoured.
    let forced = read_statements(
        &data("own/ing-cp852.sta"),
        &ReadOptions {
            encoding: Some(TextEncoding::Cp1250),
            ..Default::default()
        },
    )
    .expect("reads");
    assert_eq!(forced.encoding, TextEncoding::Cp1250);
    assert!(
        !forced.statements[0].entries[2]
            .raw_details
            .contains("Płatność")
    );
}

#[test]
fn pko_bp_in_cp1250_with_a_returned_transfer() {
    let f = read("own/pko-cp1250.sta");
    assert_eq!(
        (f.encoding, f.dialect),
        (TextEncoding::Cp1250, Some(Dialect::Pko))
    );
    let s = &f.statements[0];
    assert_eq!(s.account, "/PL49102010260000120201234567");
    assert_eq!(
        (s.number.as_deref(), s.sequence.as_deref()),
        (Some("00212"), Some("001"))
    );
    let (pay, ret) = (&s.entries[0], &s.entries[1]);
    assert_eq!(pay.title.as_deref(), Some("CZYNSZ 12/2026"));
    assert_eq!(pay.counterparty_name.as_deref(), Some("ŁUKASZ GÓRSKI"));
    assert_eq!(
        pay.virtual_account.as_deref(),
        Some("76102010260000999900756555")
    );
    assert_eq!(pay.booking_date, Some(date!(2026 - 12 - 04)));
    assert!(pay.is_incoming());
    assert_eq!((ret.side, ret.reversal), (Side::Debit, true));
    assert!(!ret.is_incoming());
    assert!(s.warnings.is_empty());
    // The dialect can be overridden: read as generic, the `~` subfields stay raw text.
    let generic = read_statements(
        &data("own/pko-cp1250.sta"),
        &ReadOptions {
            dialect: Some(Dialect::Generic),
            ..Default::default()
        },
    );
    assert!(matches!(
        generic,
        Err(StatementError::DetailsTooLong { .. })
    ));
}

#[test]
fn pekao_caret_subfields() {
    let f = read("own/pekao-utf8.sta");
    assert_eq!(
        (f.encoding, f.dialect),
        (TextEncoding::Utf8, Some(Dialect::Pekao))
    );
    let s = &f.statements[0];
    assert_eq!(
        s.opening.as_ref().map(|b| b.signed()),
        Some(money("-10.00"))
    );
    assert_eq!(s.entries[0].title.as_deref(), Some("G0012 OPŁATA GARAŻ"));
    assert_eq!(
        s.entries[0].counterparty_name.as_deref(),
        Some("MAREK ŻÓŁW")
    );
    assert!(s.warnings.is_empty());
}

#[test]
fn camt_version_08_statement_and_notification() {
    let f = read("own/pko-camt053-v08.xml");
    assert_eq!(f.format, Format::Camt053);
    let s = &f.statements[0];
    assert_eq!(s.account, "PL49102010260000120201234567");
    assert_eq!(s.number.as_deref(), Some("213"));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let e = &s.entries[0];
    assert_eq!(
        e.virtual_account.as_deref(),
        Some("PL76102010260000999900756555")
    );
    assert_eq!(e.counterparty_name.as_deref(), Some("Łukasz Górski"));
    assert_eq!(e.transaction_code.as_deref(), Some("PMNT/RCDT/DMCT"));
    assert_eq!(e.bank_reference.as_deref(), Some("PKO-C-0001"));
    let n = read("own/pko-camt054-v08.xml");
    assert_eq!(n.format, Format::Camt054);
    assert_eq!(n.statements[0].entries.len(), 2);
    // A camt.054 is not a final statement: no continuity check.
    assert!(n.statements[0].warnings.is_empty());
    // Asking for the wrong camt is refused.
    let e = read_statements(
        &data("own/pko-camt054-v08.xml"),
        &ReadOptions {
            format: Some(Format::Camt053),
            ..Default::default()
        },
    );
    assert!(matches!(e, Err(StatementError::UnsupportedCamt { .. })));
    let other = br#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"/>"#;
    assert!(matches!(
        read_statements(other, &ReadOptions::default()),
        Err(StatementError::UnsupportedCamt { .. })
    ));
}

#[test]
fn a_bad_camt_amount_names_its_xml_path() {
    let text = String::from_utf8(data("own/pko-camt053-v08.xml")).expect("utf-8");
    let bad = text.replacen("500.00", "500.001", 1);
    let e = read_statements(bad.as_bytes(), &ReadOptions::default()).unwrap_err();
    assert!(
        matches!(&e, StatementError::Xml { path, .. } if path == "Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt"),
        "{e}"
    );
    let bad = text.replacen("<Dt>2026-12-03</Dt>", "<Dt>2026-02-30</Dt>", 1);
    let e = read_statements(bad.as_bytes(), &ReadOptions::default()).unwrap_err();
    assert!(
        matches!(&e, StatementError::Xml { path, .. } if path.ends_with("Bal[2]/Dt")),
        "{e}"
    );
    let cut = &text[..text.len() / 2];
    assert!(matches!(
        read_statements(cut.as_bytes(), &ReadOptions::default()),
        Err(StatementError::Xml { .. })
    ));
}

/// The account check agrees with the NRB type's own checks, whatever the notation.
fn nrb_notations() -> impl Strategy<Value = (String, bool)> {
    ("[0-9]{24}", any::<bool>(), any::<bool>(), 0u8..3).prop_map(|(bban, fix, spaced, prefix)| {
        let nrb = if fix {
            ebok_core::bank::Nrb::from_bban(&bban)
                .expect("24 digits")
                .digits()
        } else {
            format!("{:02}{bban}", bban.len() % 97)
        };
        let body = if spaced {
            let (a, b) = nrb.split_at(2);
            let groups: Vec<&str> = b
                .as_bytes()
                .chunks(4)
                .map(|c| std::str::from_utf8(c).expect("digits"))
                .collect();
            format!("{a} {}", groups.join(" "))
        } else {
            nrb.clone()
        };
        let text = match prefix {
            0 => body,
            1 => format!("PL{body}"),
            _ => format!("pl{body}"),
        };
        (text, fix)
    })
}

proptest! {
    #[test]
    fn account_check_agrees_with_the_nrb_checks((text, _) in nrb_notations()) {
        let n = ebok_core::bank::Nrb::parse_unchecked(&text.to_uppercase()).expect("26 digits");
        let expected = if !n.check_digits_ok() {
            AccountCheck::WrongCheckDigits
        } else if !n.sort_code_check_ok() {
            AccountCheck::WrongSortCodeDigit
        } else {
            AccountCheck::Valid
        };
        prop_assert_eq!(AccountCheck::of(&text), expected, "{}", text);
    }
}

fn fixtures() -> Vec<Vec<u8>> {
    [
        "mbank-wolph/mt940.sta",
        "mbank-wolph/mt942.sta",
        "own/ing-cp852.sta",
        "own/pko-cp1250.sta",
        "own/pekao-utf8.sta",
        "own/pko-camt053-v08.xml",
        "camt-genkgo/camt054.v2.xml",
    ]
    .iter()
    .map(|p| data(p))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    /// Any corruption of a real file gives a statement or a typed error, never a panic.
    #[test]
    fn corrupted_files_never_panic(which in 0usize..7, edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)) {
        let mut bytes = fixtures()[which].clone();
        for (at, byte, op) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.truncate(i),
            }
        }
        let _ = read_statements(&bytes, &ReadOptions::default());
    }
}

/// An NRB with its check digits (ISO 7064 MOD 97-10).
fn nrb(sort_code: &str, account: &str) -> String {
    let digits = format!("{sort_code}{account}252100");
    let rem = digits
        .bytes()
        .fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
    format!("{:02}{sort_code}{account}", 98 - rem)
}

/// An ING-style month of `n` credits to virtual accounts (the shape of the benchmark).
fn ing_month(n: usize) -> String {
    let mut t = format!(
        ":20:MT940\n:25:/PL{}\n:28C:1\n:60F:C261130PLN0,00\n",
        nrb("10500099", "7600000000000001")
    );
    let mut total = 0i64;
    for i in 0..n {
        let grosze = 10_000 + (i as i64 * 37) % 90_000;
        total += grosze;
        let day = 1 + i % 28;
        let p = 700_000 + (i * 7919) % 40_000;
        t.push_str(&format!(
            ":61:2612{day:02}12{day:02}CN{},{:02}NTRFNONREF//ING{i:010}\n:86:020~00VE02PRZELEW~20CZYNSZ 12/2026 {p}\n~32JAN KOWALSKI~38PL61109010140000071219812874\n~60{}\n",
            grosze / 100,
            grosze % 100,
            nrb("10500099", &format!("76123400{p:0>8}")),
        ));
    }
    t.push_str(&format!(
        ":62F:C261231PLN{},{:02}\n-\n",
        total / 100,
        total % 100
    ));
    t
}

fn with_threads(threads: usize) -> ReadOptions {
    ReadOptions {
        threads,
        ..ReadOptions::default()
    }
}

#[test]
fn entries_built_on_several_threads_equal_those_built_on_one() {
    let text = ing_month(20_000);
    let one = read_statements(text.as_bytes(), &with_threads(1)).expect("reads");
    assert_eq!(one.statements[0].entries.len(), 20_000);
    assert!(
        one.statements[0].warnings.is_empty(),
        "{:?}",
        one.statements[0].warnings
    );
    assert!(one.statements[0].entries[19_999].virtual_account.is_some());
    for threads in [2, 3, 8] {
        assert_eq!(
            read_statements(text.as_bytes(), &with_threads(threads)).expect("reads"),
            one,
            "{threads} threads"
        );
    }
    // The public files too (small: one thread whatever is asked).
    for path in ["own/ing-cp852.sta", "own/pko-cp1250.sta"] {
        let bytes = data(path);
        assert_eq!(
            read_statements(&bytes, &with_threads(4)),
            read_statements(&bytes, &with_threads(1)),
            "{path}"
        );
    }
}

#[test]
fn on_several_threads_the_first_error_in_the_file_is_reported() {
    let text = ing_month(20_000);
    let lines: Vec<&str> = text.lines().collect();
    // A cut :61: late in the file (another thread's share), a wrong balance after it, and a
    // 30 February in the first share: the first of them in the file is the error, as on one thread.
    let mut broken: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    let late = broken.iter().rposition(|l| l.starts_with(":61:")).unwrap() - 4 * 100;
    let late = (late..).find(|&i| broken[i].starts_with(":61:")).unwrap();
    broken[late] = ":61:261212".to_owned();
    let n = broken.len();
    broken[n - 2] = ":62F:X261231PLN1,00".to_owned();
    let file = broken.join("\n");
    for threads in [1, 2, 4] {
        let e = read_statements(file.as_bytes(), &with_threads(threads)).unwrap_err();
        assert_eq!(e.line(), Some(late + 1), "{threads} threads: {e}");
    }
    let early = (1000..).find(|&i| broken[i].starts_with(":61:")).unwrap();
    broken[early] = broken[early]
        .replacen(":61:261201", ":61:260230", 1)
        .replacen(":61:2612", ":61:2602", 1);
    broken[early] = format!(":61:260230{}", &broken[early][10..]);
    let file = broken.join("\n");
    for threads in [1, 2, 4] {
        let e = read_statements(file.as_bytes(), &with_threads(threads)).unwrap_err();
        assert_eq!(e.line(), Some(early + 1), "{threads} threads: {e}");
        assert!(e.to_string().contains("30"), "{e}");
    }
}
