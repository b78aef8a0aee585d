//! Issue 15: account numbers, virtual accounts, transfer data and the ZBP 2D payment code,
//! against the recommendation's own examples (via IonBazan/pl-qr-payment's tests, in
//! `../shared/reference/fixtures/bank/zbp2d-ionbazan/`) and properties; the QR picture is
//! decoded back with an independent decoder (rqrr).

use ebok_core::bank::*;
use ebok_core::ledger::{Ledger, LedgerEntry};
use ebok_core::money::Money;
use ebok_core::premises::PremisesId;
use ebok_core::settlement::{SettlementPolicy, open_items};
use proptest::prelude::*;
use time::macros::date;

// ---- NRB ----

#[test]
fn nrb_check_digits_follow_mod_97_10() {
    // domain.md §9.1 and the bank fixtures' README.
    let n = Nrb::parse("PL29114010810000267002001002").unwrap();
    assert_eq!(n.to_string(), "29 1140 1081 0000 2670 0200 1002");
    assert_eq!(Nrb::parse("29 1140 1081 0000 2670 0200 1002").unwrap(), n);
    assert!(matches!(
        Nrb::parse("PL44102055610000380209739045"),
        Err(NrbError::CheckDigits { .. })
    ));
    assert!(matches!(
        Nrb::parse("2911401081000026700200100"),
        Err(NrbError::Length { digits: 25, .. })
    ));
    assert!(matches!(
        Nrb::parse("29114010810000267002001O02"),
        Err(NrbError::NotDigits { .. })
    ));
    // The ZBP example account passes MOD 97-10 but not the sort code's own check digit.
    let zbp = Nrb::parse("92124012340001567890123456").unwrap();
    assert!(!zbp.sort_code_check_ok());
}

proptest! {
    #[test]
    fn an_nrb_made_from_any_bban_checks_and_any_one_digit_error_is_caught(
        bban in "[0-9]{24}",
        at in 0usize..26,
        delta in 1u8..10,
    ) {
        let n = Nrb::from_bban(&bban).unwrap();
        prop_assert!(n.check_digits_ok());
        prop_assert_eq!(Nrb::parse(&n.iban()).unwrap(), n);
        let mut digits: Vec<u8> = n.digits().into_bytes();
        digits[at] = b'0' + (digits[at] - b'0' + delta) % 10;
        let changed = String::from_utf8(digits).unwrap();
        prop_assert!(Nrb::parse(&changed).is_err(), "{changed}");
    }

    #[test]
    fn a_virtual_account_scheme_round_trips(number in 0u64..100_000_000, prefix in "[0-9]{8}") {
        let scheme = VirtualAccountScheme::new("10203378", &prefix, 8).unwrap();
        let n = scheme.account_for(&number.to_string()).unwrap();
        prop_assert!(n.check_digits_ok());
        prop_assert_eq!(scheme.premises_of(&n), Some(format!("{number:08}")));
    }
}

// ---- the ZBP 2D string ----

/// One of the recommendation's examples: (string, nip, account, amount in grosze, recipient,
/// title, reserved).
type Example = (
    &'static str,
    &'static str,
    &'static str,
    u32,
    &'static str,
    &'static str,
    [&'static str; 3],
);

const EXAMPLES: [Example; 5] = [
    (
        "1234567890|PL|92124012340001567890123456|001200|Odbiorca 1|FV 1234/34/2012|||",
        "1234567890",
        "92124012340001567890123456",
        1200,
        "Odbiorca 1",
        "FV 1234/34/2012",
        ["", "", ""],
    ),
    (
        "1234567890|PL|92124012340001567890123456|000000|Odbiorca 1|FV 1234/34/2012|||",
        "1234567890",
        "92124012340001567890123456",
        0,
        "Odbiorca 1",
        "FV 1234/34/2012",
        ["", "", ""],
    ),
    (
        "|PL|92124012340001567890123456|001200|Odbiorca 1|Przelew ekspress|||",
        "",
        "92124012340001567890123456",
        1200,
        "Odbiorca 1",
        "Przelew ekspress",
        ["", "", ""],
    ),
    (
        "5214349636|PL|4249000050026313017364142|012345|Testowy odbiorca|Tytuł płatności|11223344|990066|reserved",
        "5214349636",
        "4249000050026313017364142",
        12345,
        "Testowy odbiorca",
        "Tytuł płatności",
        ["11223344", "990066", "reserved"],
    ),
    (
        "5214349636|PL|24160000035175530643314956|012345|Testowy odbiorca|Tytuł płatności|11223344|990066|reserved",
        "5214349636",
        "24160000035175530643314956",
        12345,
        "Testowy odbiorca",
        "Tytuł płatności",
        ["11223344", "990066", "reserved"],
    ),
];

fn example(e: &Example) -> PaymentCode {
    PaymentCode {
        nip: e.1.into(),
        country: "PL".into(),
        account: e.2.into(),
        amount_grosze: e.3,
        recipient: e.4.into(),
        title: e.5.into(),
        reserved: e.6.map(str::to_owned),
    }
}

#[test]
fn the_recommendations_examples_are_reproduced_exactly_in_lenient_mode() {
    for e in &EXAMPLES {
        let code = example(e);
        assert_eq!(code.encode(), e.0);
        assert_eq!(PaymentCode::parse(e.0, CodeMode::Lenient).unwrap(), code);
    }
    // Strict mode refuses their NIP 1234567890 (no valid checksum) and the 25-digit account.
    for e in &EXAMPLES[..2] {
        assert!(matches!(
            PaymentCode::parse(e.0, CodeMode::Strict),
            Err(CodeError::Field { field: "nip", .. })
        ));
    }
    assert!(matches!(
        PaymentCode::parse(EXAMPLES[3].0, CodeMode::Strict),
        Err(CodeError::Field {
            field: "account",
            ..
        })
    ));
    assert!(PaymentCode::parse(EXAMPLES[2].0, CodeMode::Strict).is_ok());
    assert!(nip_checksum_ok("5214349636"));
}

#[test]
fn own_cases_truncation_large_amounts_and_bad_accounts() {
    let account = Nrb::parse("29114010810000267002001002").unwrap();
    let t = TransferData {
        account,
        recipient_name: "Spółdzielnia Mieszkaniowa Przykładowa".into(),
        title: "CZYNSZ | 05/2025 0756555".into(),
        amount: Some(Money::parse("12 345,67").unwrap()),
        warnings: vec![],
    };
    let (code, warnings) = PaymentCode::for_transfer(&t, Some("5214349636"));
    assert_eq!(code.recipient, "Spółdzielnia Mieszka");
    assert_eq!(code.recipient.chars().count(), 20);
    assert_eq!(code.title, "CZYNSZ  05/2025 0756555");
    assert_eq!(code.amount_grosze, 0, "never a wrong amount");
    assert!(warnings.contains(&CodeWarning::AmountNotEncodable { grosze: 1_234_567 }));
    assert!(warnings.contains(&CodeWarning::Truncated {
        field: "recipient",
        max: 20
    }));
    assert!(warnings.contains(&CodeWarning::CharactersRemoved { field: "title" }));
    let s = code.encode();
    assert!(s.starts_with("5214349636|PL|29114010810000267002001002|000000|"));
    assert_eq!(PaymentCode::parse(&s, CodeMode::Strict).unwrap(), code);
    // 9 999,99 zł is the largest amount the code carries.
    let fits = TransferData {
        amount: Some(Money::parse("9999.99").unwrap()),
        ..t.clone()
    };
    assert_eq!(
        PaymentCode::for_transfer(&fits, None).0.amount_grosze,
        999_999
    );
    // A 25-digit account, and a wrong check digit, are refused in strict mode.
    let mut bad = code.clone();
    bad.account.pop();
    assert!(bad.check(CodeMode::Strict).is_err());
    bad.account = "29114010810000267002001003".into();
    assert!(bad.check(CodeMode::Strict).is_err());
    assert!(bad.check(CodeMode::Lenient).is_ok());
    assert!(matches!(
        PaymentCode::parse("|PL|1|1|a|b|||", CodeMode::Lenient),
        Err(CodeError::Field {
            field: "amount",
            ..
        })
    ));
    assert!(matches!(
        PaymentCode::parse(&"x|".repeat(100), CodeMode::Lenient),
        Err(CodeError::TooLong { .. })
    ));
}

proptest! {
    #[test]
    fn any_transfer_round_trips_through_the_string(
        recipient in "\\PC{0,40}",
        title in "\\PC{0,60}",
        grosze in 0i64..2_000_000,
        bban in "[0-9]{24}",
        with_nip in any::<bool>(),
    ) {
        let t = TransferData {
            account: Nrb::from_bban(&bban).unwrap(),
            recipient_name: recipient,
            title,
            amount: (grosze > 0).then(|| Money::from_grosze(grosze)),
            warnings: vec![],
        };
        let (code, _) = PaymentCode::for_transfer(&t, with_nip.then_some("5214349636"));
        let s = code.encode();
        prop_assert!(s.chars().count() <= 160);
        prop_assert_eq!(PaymentCode::parse(&s, CodeMode::Strict).unwrap(), code.clone());
        // Never a wrong amount: exactly the amount, or none.
        prop_assert!(code.amount_grosze == 0 || i64::from(code.amount_grosze) == grosze);
    }
}

// ---- the picture ----

/// Decodes a QR code drawn from its modules with rqrr, an independent decoder.
fn decode(text: &str) -> String {
    let (width, modules) = qr_modules(text).unwrap();
    let scale = 4;
    let quiet = 4;
    let size = (width + 2 * quiet) * scale;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        if mx < quiet || my < quiet || mx >= width + quiet || my >= width + quiet {
            255
        } else if modules[(my - quiet) * width + (mx - quiet)] {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, content) = grids[0].decode().unwrap();
    content
}

#[test]
fn the_qr_code_decodes_back_to_the_same_string() {
    for e in &EXAMPLES {
        assert_eq!(decode(e.0), e.0);
    }
    let account = VirtualAccountScheme::new("10203378", "00001234", 8)
        .unwrap()
        .account_for("756555")
        .unwrap();
    let (code, _) = PaymentCode::for_transfer(
        &TransferData {
            account,
            recipient_name: "SM „Spółdzielca” Lublin".into(),
            title: "CZYNSZ 05/2025 0756555 źdźbło".into(),
            amount: Some(Money::parse("772,15").unwrap()),
            warnings: vec![],
        },
        None,
    );
    let s = code.encode();
    assert_eq!(decode(&s), s);
    let svg = qr_svg(&s).unwrap();
    assert!(svg.contains("<svg") && svg.contains("</svg>"));
    assert!(qr_text(&s).unwrap().lines().count() > 10);
}

// ---- transfer data for a premises on a day ----

#[test]
fn transfer_data_follows_the_policy_and_never_proposes_to_pay_a_credit() {
    let m = |s: &str| Money::parse(s).unwrap();
    let p = PremisesId::new("0756555").unwrap();
    let account = Nrb::parse("29114010810000267002001002").unwrap();
    let mut l = Ledger::new();
    l.insert(
        LedgerEntry::charge(
            "N04",
            "0756555",
            "eksploatacja",
            m("772.15"),
            date!(2025 - 04 - 01),
            date!(2025 - 04 - 10),
        )
        .unwrap()
        .posted(date!(2025 - 03 - 25)),
    )
    .unwrap();
    l.insert(
        LedgerEntry::charge(
            "N05",
            "0756555",
            "eksploatacja",
            m("772.15"),
            date!(2025 - 05 - 01),
            date!(2025 - 05 - 10),
        )
        .unwrap()
        .posted(date!(2025 - 04 - 25)),
    )
    .unwrap();
    let transfer = |day, policy: &TransferPolicy, l: &Ledger| {
        let items = open_items(l, &p, day, None, &SettlementPolicy::default()).unwrap();
        TransferData::new(
            &p,
            day,
            l.balance(&p, day, None).unwrap(),
            &items,
            account,
            policy,
        )
    };
    let due_now = TransferPolicy::new("SM Przykładowa");
    // On 5 May only April's charge is due; the whole balance holds May's too.
    let t = transfer(date!(2025 - 05 - 05), &due_now, &l);
    assert_eq!(t.amount, Some(m("772.15")));
    assert_eq!(t.title, "CZYNSZ 05/2025 0756555");
    let whole = TransferPolicy {
        amount: AmountPolicy::WholeBalance,
        ..due_now.clone()
    };
    assert_eq!(
        transfer(date!(2025 - 05 - 05), &whole, &l).amount,
        Some(m("1544.30"))
    );
    let none = TransferPolicy {
        amount: AmountPolicy::NoAmount,
        ..due_now.clone()
    };
    assert_eq!(transfer(date!(2025 - 05 - 05), &none, &l).amount, None);
    // Paid with 100 zł too much: no amount, and the credit noted.
    l.insert(
        LedgerEntry::payment("W1", "0756555", m("1644.30"), date!(2025 - 05 - 06))
            .unwrap()
            .posted(date!(2025 - 05 - 07)),
    )
    .unwrap();
    let t = transfer(date!(2025 - 05 - 20), &whole, &l);
    assert_eq!(t.amount, None);
    assert_eq!(
        t.warnings,
        vec![TransferNote::Credit {
            amount: m("100.00")
        }]
    );
    // Nothing at all: nothing due.
    let empty = Ledger::new();
    let t = TransferData::new(
        &p,
        date!(2025 - 05 - 20),
        Default::default(),
        &open_items(
            &empty,
            &p,
            date!(2025 - 05 - 20),
            None,
            &SettlementPolicy::default(),
        )
        .unwrap(),
        account,
        &due_now,
    );
    assert_eq!(
        (t.amount, t.warnings),
        (None, vec![TransferNote::NothingDue])
    );
}
