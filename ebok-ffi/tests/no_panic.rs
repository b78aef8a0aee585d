//! Whatever an app passes, the surface answers with a value or an `EbokError`, never a panic
//! (uniffi would turn one into an `InternalException`).

use std::collections::HashMap;

use std::time::{Duration as StdDuration, SystemTime};

use ebok_ffi::{
    AccessSettings, Authenticator, DeliveryChannel, EntryInput, Language, Measure, Portal,
    PremisesInput, effective_due_date, format_nrb, late_interest, parse_payment_code, payment_code,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::{Date, Duration};

fn day(offset: i64) -> Date {
    // 1900-01-01 .. beyond 2199: the core's calendar range and past it.
    Date::from_calendar_date(1900, time::Month::January, 1).unwrap() + Duration::days(offset)
}

fn portal() -> std::sync::Arc<Portal> {
    let p = Portal::new("SM".into());
    p.add_premises(PremisesInput {
        id: "1".into(),
        kind: ebok_ffi::PremisesKind::Flat,
        usable_area: Measure(Decimal::new(4860, 2)),
        address: None,
    })
    .unwrap();
    p.link_login("0756555".into(), "1".into()).unwrap();
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn interest_and_due_dates_never_panic(
        grosze in -10_i64.pow(15)..10_i64.pow(15),
        due in 0_i64..120_000,
        paid in 0_i64..120_000,
        actual in any::<bool>(),
    ) {
        let _ = effective_due_date(day(due));
        let r = late_interest(Decimal::new(grosze, 2), day(due), day(paid), actual);
        if let Ok(i) = r {
            prop_assert!(i.total >= Decimal::ZERO);
        }
    }

    #[test]
    fn views_of_any_data_never_panic(
        amounts in proptest::collection::vec((1_i64..10_i64.pow(12), 0_i64..120_000, proptest::option::of(0_i64..200), any::<bool>()), 0..20),
        today in 0_i64..120_000,
        known in proptest::option::of(0_i64..120_000),
        months in -5_i32..200,
    ) {
        let p = portal();
        let entries: Vec<EntryInput> = amounts.iter().enumerate().map(|(i, (g, op, lag, pay))| EntryInput {
            id: format!("E{i}"),
            premises: "1".into(),
            kind: if *pay { ebok_ffi::EntryKind::Payment } else { ebok_ffi::EntryKind::Charge },
            amount: Decimal::new(*g, 2),
            operation_date: day(*op),
            component: (!*pay).then(|| "eksploatacja".into()),
            posted_on: lag.map(|l| day(op + l)),
            due_date: (!*pay).then(|| day(op + 9)),
            document: None,
        }).collect();
        let before = p.resident_view("0756555".into(), "1".into(), day(today), known.map(day), 12, Language::Polish);
        match p.post_entries(entries) {
            Ok(_) => {}
            // A refused batch changes nothing.
            Err(_) => prop_assert_eq!(
                p.resident_view("0756555".into(), "1".into(), day(today), known.map(day), 12, Language::Polish).ok(),
                before.ok()
            ),
        }
        let _ = p.resident_view("0756555".into(), "1".into(), day(today), known.map(day), months, Language::English);
        let _ = p.submit_reading("0756555".into(), "1".into(), "ZW-1".into(), day(today), "1,5".into(), day(today), Language::Polish, false);
    }

    #[test]
    fn snapshots_of_any_bytes_never_panic(manifest in proptest::collection::vec(any::<u8>(), 0..200), ledger in "[a-z0-9;,.\\-\\n]{0,200}") {
        let mut files = HashMap::new();
        files.insert("manifest.txt".to_owned(), manifest);
        files.insert("ledger.csv".to_owned(), ledger.into_bytes());
        prop_assert!(Portal::from_snapshot(files).is_err());
    }

    #[test]
    fn access_at_any_instant_never_panics(
        seconds in prop_oneof![
            -70_000_000_000_i64..70_000_000_000,          // years −250 .. 2250
            253_402_300_000_i64..253_402_400_000,          // around the end of 9999
            Just(i64::MAX / 2),
            Just(-(i64::MAX / 2)),
        ],
        later in 0_u64..10_000_000_000,
        identifier in "\\PC{0,40}",
        secret in "\\PC{0,40}",
        staff in "\\PC{0,10}",
    ) {
        let t = |s: i64| {
            if s >= 0 {
                SystemTime::UNIX_EPOCH.checked_add(StdDuration::from_secs(s.unsigned_abs()))
            } else {
                SystemTime::UNIX_EPOCH.checked_sub(StdDuration::from_secs(s.unsigned_abs()))
            }
        };
        let (Some(now), Some(then)) = (t(seconds), t(seconds.saturating_add(i64::try_from(later).unwrap_or(0)))) else {
            return Ok(());
        };
        let a = Authenticator::new(AccessSettings { lockout_threshold: 7, insecure_fast_hashing: true, seed: Some(1) }).unwrap();
        let _ = a.create_account(identifier.clone(), now, DeliveryChannel::InPerson, true, None, None, staff.clone());
        if let Ok(created) = a.create_account("0756555".into(), now, DeliveryChannel::InPerson, false, None, None, "anna.k".into()) {
            let acc = created.account.unwrap();
            let _ = a.login(Some(acc.clone()), identifier.clone(), secret.clone(), then);
            let _ = a.activate(acc.clone(), staff.clone(), then);
            let _ = a.change_password(acc.clone(), secret.clone(), secret.clone(), then);
            let _ = a.issue_otp(acc.clone(), DeliveryChannel::InPerson, staff.clone(), then);
            let _ = a.status(acc.clone(), then);
            let _ = a.close(acc, staff.clone(), then);
        }
        let _ = a.login(None, identifier, secret, now);
    }

    #[test]
    fn the_bank_side_never_panics(
        text in "\\PC{0,60}",
        grosze in proptest::option::of(-10_i64.pow(15)..10_i64.pow(15)),
        strict in any::<bool>(),
        today in 0_i64..120_000,
    ) {
        let _ = format_nrb(text.clone());
        let _ = payment_code(text.clone(), text.clone(), text.clone(), grosze.map(|g| Decimal::new(g, 2)), Some(text.clone()));
        let _ = payment_code("29114010810000267002001002".into(), text.clone(), text.clone(), grosze.map(|g| Decimal::new(g, 2)), None);
        let _ = parse_payment_code(format!("{text}|PL|29114010810000267002001002|000100|{text}|{text}|||"), strict);
        let p = portal();
        let _ = p.transfer("0756555".into(), "1".into(), day(today), text.clone(), text.clone(), None);
        let _ = p.transfer("0756555".into(), "1".into(), day(today), "29114010810000267002001002".into(), text, None);
    }
}

/// Signed numbers cross to Kotlin and Swift (no `UInt`): values a `u8` or a month count cannot
/// hold are refused with a typed error, never wrapped or panicked on.
#[test]
fn signed_inputs_out_of_range_are_refused() {
    for threshold in [0, -1, 256, i32::MAX] {
        let r = Authenticator::new(AccessSettings {
            lockout_threshold: threshold,
            insecure_fast_hashing: true,
            seed: Some(-1),
        });
        assert!(
            matches!(r, Err(ebok_ffi::EbokError::InvalidInput { .. })),
            "threshold {threshold}"
        );
    }
    assert!(
        Authenticator::new(AccessSettings {
            lockout_threshold: 7,
            insecure_fast_hashing: true,
            seed: Some(i64::MIN)
        })
        .is_ok()
    );
}
