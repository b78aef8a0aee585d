//! The premises account: worked examples and properties.

use std::collections::BTreeSet;

use ebok_core::calendar::YearMonth;
use ebok_core::ledger::{
    EntryField, EntryId, EntryKind, InsertMode, Ledger, LedgerChange, LedgerEntry, Outcome, Problem,
};
use ebok_core::money::Money;
use ebok_core::premises::PremisesId;
use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn pid(s: &str) -> PremisesId {
    PremisesId::new(s).unwrap()
}

/// domain.md §9.5: the monthly charge build-up of a 48.60 m² flat for 3 persons is 772.15;
/// the MT940 fixture's payment of 772.15 credited 2025-05-12 settles it.
#[test]
fn worked_example_monthly_charges_and_the_mt940_payment() {
    let components = [
        ("eksploatacja", "114.21"),
        ("fundusz remontowy", "87.48"),
        ("woda i ścieki", "148.50"),
        ("podgrzanie wody", "136.80"),
        ("c.o.", "150.66"),
        ("odpady komunalne", "108.00"),
        ("domofon", "4.00"),
        ("antena", "6.00"),
        ("dźwig", "16.50"),
    ];
    let mut ledger = Ledger::new();
    for (i, (c, amount)) in components.iter().enumerate() {
        ledger
            .insert(
                LedgerEntry::charge(
                    &format!("N-2025-05-{i}"),
                    "42/17",
                    c,
                    m(amount),
                    date!(2025 - 05 - 01),
                    date!(2025 - 05 - 10),
                )
                .unwrap()
                .posted(date!(2025 - 05 - 01)),
            )
            .unwrap();
    }
    // 2025-05-10 is a Saturday; the money arrives on Monday 12 May and is posted on the 13th.
    ledger
        .insert(
            LedgerEntry::payment("WB-250512-1", "42/17", m("772.15"), date!(2025 - 05 - 12))
                .unwrap()
                .posted(date!(2025 - 05 - 13))
                .with_document("MT940 00042")
                .unwrap(),
        )
        .unwrap();
    let flat = pid("42/17");
    let may = YearMonth::new(2025, 5).unwrap();
    let s = ledger.statement(&flat, may, None);
    assert_eq!(s.charges_total, m("772.15"));
    assert_eq!(s.charges.len(), 9);
    assert_eq!(s.charges[&"c.o.".parse().unwrap()], m("150.66"));
    assert_eq!(s.payments, m("772.15"));
    assert!(s.closing.is_settled());
    // What the portal showed on 12 May: the payment had arrived but was not posted yet.
    let on_12th = ledger
        .balance(&flat, date!(2025 - 05 - 12), Some(date!(2025 - 05 - 12)))
        .unwrap();
    assert_eq!(on_12th.owed(), m("772.15"));
    assert_eq!(
        ledger.pending(&flat, Some(date!(2025 - 05 - 12)))[0]
            .id
            .as_str(),
        "WB-250512-1"
    );
    assert_eq!(
        ledger
            .statement(&flat, may, Some(date!(2025 - 05 - 12)))
            .payments,
        Money::ZERO
    );
}

#[test]
fn sign_rule_for_every_kind() {
    let mut ledger = Ledger::new();
    let d = date!(2025 - 01 - 15);
    let rows = [
        (EntryKind::Charge, "100.00", "100.00"),
        (EntryKind::Payment, "30.00", "-30.00"),
        (EntryKind::Payment, "-10.00", "10.00"), // returned payment
        (EntryKind::Correction, "-5.00", "-5.00"), // storno
        (EntryKind::Interest, "1.50", "1.50"),
        (EntryKind::Settlement, "-43.86", "-43.86"), // water overpayment
        (EntryKind::Refund, "20.00", "20.00"),
        (EntryKind::OpeningBalance, "-7.00", "-7.00"),
    ];
    let mut expected = Money::ZERO;
    for (i, (kind, amount, effect)) in rows.iter().enumerate() {
        let mut e = LedgerEntry::new(&format!("E{i}"), "1", *kind, m(amount), d)
            .unwrap()
            .posted(d);
        if *kind == EntryKind::Charge {
            e = e.with_component("eksploatacja").unwrap().with_due_date(d);
        }
        assert_eq!(e.effect(), m(effect), "{kind}");
        expected = expected.checked_add(m(effect)).unwrap();
        ledger.insert(e).unwrap();
    }
    let b = ledger.balance(&pid("1"), d, None).unwrap();
    assert_eq!(b.amount(), expected);
    assert_eq!(b.owed(), m("45.64"));
    assert_eq!(b.overpaid(), Money::ZERO);
}

#[test]
fn batch_reports_every_bad_row_and_changes_nothing() {
    let d = date!(2025 - 02 - 01);
    let mut ledger = Ledger::new();
    ledger
        .insert(LedgerEntry::payment("P0", "1", m("1"), d).unwrap())
        .unwrap();
    let good = LedgerEntry::payment("P1", "1", m("10"), d).unwrap();
    let mut no_component = LedgerEntry::new("N1", "1", EntryKind::Charge, m("10"), d).unwrap();
    no_component.due_date = Some(d);
    // Posting before the operation date is allowed (issue 12.1); an absurd amount is not.
    let mut too_large = LedgerEntry::payment("P2", "2", m("10"), d).unwrap();
    too_large.amount = m("20000000000");
    let conflicting = LedgerEntry::payment("P0", "1", m("2"), d).unwrap();
    let mut dup_in_batch = good.clone();
    dup_in_batch.amount = m("11");
    let err = ledger
        .insert_batch(
            vec![
                good.clone(),
                no_component,
                too_large,
                conflicting,
                dup_in_batch,
            ],
            InsertMode::Strict,
        )
        .unwrap_err();
    let got: Vec<(usize, EntryField)> = err.rows.iter().map(|r| (r.row, r.error.field)).collect();
    assert_eq!(
        got,
        vec![
            (1, EntryField::Component),
            (2, EntryField::Amount),
            (3, EntryField::Id),
            (4, EntryField::Id)
        ]
    );
    assert_eq!(err.rows[2].error.problem, Problem::ConflictingId);
    assert!(err.rows[1].to_string().contains("20000000000"));
    assert_eq!(ledger.len(), 1, "nothing changed");
    assert!(ledger.get(&good.id).is_none());
}

#[test]
fn replacement_may_move_an_entry_to_another_premises() {
    let d = date!(2025 - 02 - 01);
    let mut ledger = Ledger::new();
    let e = LedgerEntry::payment("P1", "1", m("10"), d)
        .unwrap()
        .posted(d);
    ledger.insert(e.clone()).unwrap();
    let mut moved = e.clone();
    moved.premises = pid("2");
    assert_eq!(ledger.replace(moved.clone()).unwrap(), Outcome::Replaced);
    assert!(ledger.balance(&pid("1"), d, None).unwrap().is_settled());
    assert_eq!(
        ledger.balance(&pid("2"), d, None).unwrap().overpaid(),
        m("10")
    );
    assert_eq!(ledger.get(&e.id), Some(moved));
    assert_eq!(ledger.len(), 1);
}

#[test]
fn posting_lag_comes_from_the_data() {
    let coop = SyntheticCooperative::generate(&CooperativeConfig {
        premises: 100,
        ..CooperativeConfig::default()
    });
    let end = coop.config.end;
    let lag = coop.ledger.posting_lag(end, 90).unwrap();
    // The generator posts payments 1–4 days after they arrive, moved to a working day.
    assert!((1..=6).contains(&lag.p95_days), "{lag:?}");
    assert!(lag.median_days <= lag.p95_days && lag.p95_days <= lag.max_days);
    assert!(lag.sample_size > 100);
    assert!(coop.ledger.freshness(None).unwrap() <= end);
}

#[test]
fn heap_stays_under_64_bytes_per_entry() {
    let coop = SyntheticCooperative::generate(&CooperativeConfig::benchmark(400, 240));
    let per_entry = coop.ledger.heap_bytes() as f64 / coop.ledger.len() as f64;
    assert_eq!(coop.ledger.len(), 400 * 240 * 2);
    assert!(per_entry <= 64.0, "{per_entry} bytes per entry");
}

#[test]
fn a_charge_booked_before_its_month_is_upcoming_not_owed_nor_pending() {
    // The accounting system books December's charge on 25 November.
    let dec = LedgerEntry::charge(
        "N-2025-12",
        "0756555",
        "eksploatacja",
        m("412.50"),
        date!(2025 - 12 - 01),
        date!(2025 - 12 - 10),
    )
    .unwrap()
    .posted(date!(2025 - 11 - 25));
    // A payment recorded on the day it was announced, before the money arrived.
    let pay = LedgerEntry::payment("W-1", "0756555", m("100"), date!(2025 - 11 - 28))
        .unwrap()
        .posted(date!(2025 - 11 - 27));
    assert!(dec.validate().is_ok() && pay.validate().is_ok());
    let mut l = Ledger::new();
    let report = l
        .insert_batch(vec![dec.clone(), pay], InsertMode::Strict)
        .unwrap();
    assert_eq!(report.inserted, 2);
    let p = pid("0756555");
    let today = date!(2025 - 11 - 27);
    assert!(l.balance(&p, today, None).unwrap().is_settled());
    assert_eq!(
        l.upcoming(&p, today, None)
            .iter()
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>(),
        vec!["W-1", "N-2025-12"]
    );
    assert!(
        l.pending(&p, Some(today)).is_empty(),
        "known, so not pending"
    );
    // On 1 December it is owed (less the payment credited on the 28th).
    assert_eq!(
        l.balance(&p, date!(2025 - 12 - 01), None).unwrap().owed(),
        m("312.50")
    );
    // What the accounting system knew on 24 November: nothing yet.
    assert!(
        l.upcoming(&p, date!(2025 - 11 - 24), Some(date!(2025 - 11 - 24)))
            .is_empty()
    );
    // The resident's view lists it as upcoming, not in today's balance.
    let premises = ebok_core::premises::Premises::new(
        p.clone(),
        ebok_core::premises::PremisesKind::Flat,
        ebok_core::premises::Area::parse("48.2").unwrap(),
    );
    let view = ebok_core::portal::ResidentView::build(
        &l,
        &premises,
        today,
        None,
        &ebok_core::portal::ViewOptions::default(),
    )
    .unwrap();
    assert!(view.balance.is_settled());
    assert!(view.upcoming.iter().any(|e| e.id == dec.id));
    assert!(view.pending.is_empty());
}

#[test]
fn an_unknown_premises_is_an_error_not_a_zero() {
    let mut l = Ledger::new();
    l.insert(
        LedgerEntry::payment("W-1", "1", m("10"), date!(2025 - 01 - 09))
            .unwrap()
            .posted(date!(2025 - 01 - 09)),
    )
    .unwrap();
    let err = l
        .balance(&pid("NO-SUCH"), date!(2025 - 05 - 31), None)
        .unwrap_err();
    assert_eq!(err.premises, pid("NO-SUCH"));
    assert!(err.to_string().contains("NO-SUCH"));
    l.open_account(pid("2"));
    assert!(
        l.balance(&pid("2"), date!(2025 - 05 - 31), None)
            .unwrap()
            .is_settled()
    );
}

// ---- properties ----

const PREMISES: [&str; 3] = ["0756555", "0756556", "G-12"];

fn entry_strategy() -> impl Strategy<Value = (usize, u8, i64, i64, Option<i64>)> {
    (
        0..PREMISES.len(),
        0..7u8,
        -500_000i64..500_000,
        0i64..120,
        // Posting lag in days: negative = booked before the operation date (next month's
        // charge posted before the 1st), 0 = the same day, positive = the usual delay.
        prop::option::weighted(0.8, -15i64..20),
    )
}

fn build(spec: &[(usize, u8, i64, i64, Option<i64>)]) -> Vec<LedgerEntry> {
    let start = date!(2025 - 01 - 01);
    spec.iter()
        .enumerate()
        .map(|(i, &(p, kind, grosze, day, lag))| {
            let kind = EntryKind::ALL[usize::from(kind)];
            let op = start + Duration::days(day);
            let mut e = LedgerEntry::new(
                &format!("E{i:04}"),
                PREMISES[p],
                kind,
                Money::from_grosze(grosze),
                op,
            )
            .unwrap();
            e.posted_on = lag.map(|l| op + Duration::days(l));
            if kind == EntryKind::Charge {
                e = e
                    .with_component(["eksploatacja", "c.o.", "woda i ścieki"][i % 3])
                    .unwrap()
                    .with_due_date(op + Duration::days(9));
            }
            e
        })
        .collect()
}

fn ledger_of(entries: &[LedgerEntry]) -> Ledger {
    let mut l = Ledger::new();
    l.insert_batch(entries.to_vec(), InsertMode::Strict)
        .unwrap();
    l
}

fn days() -> impl Strategy<Value = Date> {
    (0i64..160).prop_map(|d| date!(2025 - 01 - 01) + Duration::days(d))
}

proptest! {
    #[test]
    fn balance_does_not_depend_on_insertion_order(
        spec in prop::collection::vec(entry_strategy(), 0..60),
        seed in any::<u64>(),
        as_of in days(),
        known in prop::option::of(days()),
    ) {
        let entries = build(&spec);
        let mut shuffled = entries.clone();
        // A deterministic shuffle from the seed.
        let n = shuffled.len();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let (a, b) = (ledger_of(&entries), ledger_of(&shuffled));
        for p in PREMISES {
            prop_assert_eq!(a.balance(&pid(p), as_of, known), b.balance(&pid(p), as_of, known));
            prop_assert_eq!(a.entries(&pid(p)), b.entries(&pid(p)));
        }
    }

    #[test]
    fn reinserting_is_idempotent(spec in prop::collection::vec(entry_strategy(), 0..60)) {
        let entries = build(&spec);
        let mut l = ledger_of(&entries);
        let before: Vec<LedgerEntry> = l.iter().collect();
        let report = l.insert_batch(entries.clone(), InsertMode::Strict).unwrap();
        prop_assert_eq!(report.unchanged, entries.len());
        prop_assert_eq!(report.inserted, 0);
        let after: Vec<LedgerEntry> = l.iter().collect();
        prop_assert_eq!(before, after);
        for e in entries {
            prop_assert_eq!(l.insert(e).unwrap(), Outcome::Unchanged);
        }
    }

    #[test]
    fn months_chain_and_close_with_their_movements(
        spec in prop::collection::vec(entry_strategy(), 0..60),
        known in prop::option::of(days()),
    ) {
        let l = ledger_of(&build(&spec));
        for p in PREMISES {
            let statements = l.statements(&pid(p), YearMonth::new(2024, 12).unwrap(), YearMonth::new(2025, 6).unwrap(), known);
            prop_assert_eq!(statements[0].opening.amount(), Money::ZERO);
            for w in statements.windows(2) {
                prop_assert_eq!(w[0].closing, w[1].opening);
            }
            for s in &statements {
                let by_component = Money::checked_sum(s.charges.values().copied()).unwrap();
                prop_assert_eq!(by_component, s.charges_total);
                let other = Money::checked_sum(s.other.values().copied()).unwrap();
                let expected = s.opening.amount()
                    .checked_add(s.charges_total).unwrap()
                    .checked_sub(s.payments).unwrap()
                    .checked_add(other).unwrap();
                prop_assert_eq!(s.closing.amount(), expected);
                prop_assert_eq!(s.closing, l.balance(&pid(p), s.month.last_day(), known).unwrap_or_default());
            }
        }
    }

    #[test]
    fn what_is_known_at_k1_is_a_subset_of_what_is_known_at_k2(
        spec in prop::collection::vec(entry_strategy(), 0..60),
        k1 in days(),
        extra in 0i64..60,
    ) {
        let l = ledger_of(&build(&spec));
        let k2 = k1 + Duration::days(extra);
        let end = date!(2025 - 12 - 31);
        for p in PREMISES {
            let ids = |k| l.account_lines(&pid(p), None, end, Some(k)).into_iter().map(|a| a.id).collect::<BTreeSet<_>>();
            let (s1, s2) = (ids(k1), ids(k2));
            prop_assert!(s1.is_subset(&s2));
            let pays = |k| l.payment_history(&pid(p), Some(k)).into_iter().map(|a| a.id).collect::<BTreeSet<_>>();
            prop_assert!(pays(k1).is_subset(&pays(k2)));
            // Everything known at K is either posted by K or pending at K; never both.
            let pending: BTreeSet<_> = l.pending(&pid(p), Some(k1)).into_iter().map(|e| e.id).collect();
            prop_assert!(pending.is_disjoint(&s1));
        }
    }

    #[test]
    fn balances_equal_a_naive_filter_and_sum_with_posting_before_on_and_after_the_operation_date(
        spec in prop::collection::vec(entry_strategy(), 0..400),
        as_of in days(),
        known in prop::option::of(days()),
    ) {
        let entries = build(&spec);
        let l = ledger_of(&entries);
        for p in PREMISES {
            let mine: Vec<&LedgerEntry> = entries.iter().filter(|e| e.premises.as_str() == p).collect();
            // The naive model: operation day ≤ as_of and posted by known_at.
            let naive = Money::checked_sum(
                mine.iter()
                    .filter(|e| e.operation_date <= as_of && e.posted_on.is_some_and(|d| known.is_none_or(|k| d <= k)))
                    .map(|e| e.effect()),
            ).unwrap();
            match l.balance(&pid(p), as_of, known) {
                Ok(b) => prop_assert_eq!(b.amount(), naive),
                Err(_) => prop_assert!(mine.is_empty()),
            }
            // Upcoming: posted by known_at (or at all) with the operation date after as_of.
            let upcoming: BTreeSet<String> = l.upcoming(&pid(p), as_of, known).into_iter().map(|e| e.id.to_string()).collect();
            let naive_upcoming: BTreeSet<String> = mine.iter()
                .filter(|e| e.operation_date > as_of && e.posted_on.is_some_and(|d| known.is_none_or(|k| d <= k)))
                .map(|e| e.id.to_string())
                .collect();
            prop_assert_eq!(upcoming, naive_upcoming);
        }
    }

    #[test]
    fn all_balances_add_up_to_the_signed_sum_of_posted_entries(
        // Up to ~130 entries per premises: several zone-map blocks per account.
        spec in prop::collection::vec(entry_strategy(), 0..400),
        as_of in days(),
        known in prop::option::of(days()),
    ) {
        let entries = build(&spec);
        let l = ledger_of(&entries);
        let expected = Money::checked_sum(
            entries.iter()
                .filter(|e| e.operation_date <= as_of && e.is_posted_by(known))
                .map(LedgerEntry::effect),
        ).unwrap();
        let balances = l.balances(as_of, known);
        let sum = Money::checked_sum(balances.iter().map(|b| b.balance.amount())).unwrap();
        prop_assert_eq!(sum, expected);
        prop_assert_eq!(l.total(as_of, known), Some(expected));
        for b in balances {
            prop_assert_eq!(b.balance, l.balance(&b.premises, as_of, known).unwrap());
        }
    }

    #[test]
    fn removing_then_reinserting_restores_the_ledger(
        spec in prop::collection::vec(entry_strategy(), 1..40),
        pick in any::<prop::sample::Index>(),
    ) {
        let entries = build(&spec);
        let mut l = ledger_of(&entries);
        let victim = pick.get(&entries).clone();
        prop_assert_eq!(l.remove(&victim.id), Some(victim.clone()));
        prop_assert!(l.get(&victim.id).is_none());
        l.insert(victim).unwrap();
        let fresh = ledger_of(&entries);
        prop_assert_eq!(l.iter().collect::<Vec<_>>(), fresh.iter().collect::<Vec<_>>());
        prop_assert_eq!(l.freshness(None), fresh.freshness(None));
    }
}

// ---- a change is checked whole: nothing stored is dropped silently (issue 13) ----

fn allocation_ledger(links: &[(usize, usize, i64)]) -> Ledger {
    let mut l = Ledger::new();
    let d = date!(2025 - 03 - 01);
    for i in 0..6 {
        let premises = if i % 2 == 0 { "A" } else { "B" };
        l.insert(
            LedgerEntry::charge(&format!("D{i}"), premises, "eksploatacja", m("100"), d, d)
                .unwrap()
                .posted(d),
        )
        .unwrap();
    }
    for i in 0..4 {
        let premises = if i % 2 == 0 { "A" } else { "B" };
        l.insert(
            LedgerEntry::payment(&format!("P{i}"), premises, m("150"), d)
                .unwrap()
                .posted(d),
        )
        .unwrap();
    }
    let mut by_credit: std::collections::BTreeMap<usize, Vec<ebok_core::ledger::Allocation>> =
        Default::default();
    for &(credit, debt, grosze) in links {
        // Same premises: credit parity = debt parity.
        let debt = debt - debt % 2 + credit % 2;
        by_credit
            .entry(credit)
            .or_default()
            .push(ebok_core::ledger::Allocation {
                credit: format!("P{credit}").parse().unwrap(),
                debt: format!("D{debt}").parse().unwrap(),
                part: ebok_core::ledger::Part::Principal,
                amount: Money::from_grosze(grosze),
            });
    }
    for (credit, lines) in by_credit {
        l.set_allocations(&format!("P{credit}").parse().unwrap(), lines)
            .unwrap();
    }
    l
}

fn snapshot_of(l: &Ledger) -> (Vec<LedgerEntry>, Vec<ebok_core::ledger::Allocation>) {
    (l.iter().collect(), l.allocations().cloned().collect())
}

proptest! {
    #[test]
    fn a_change_keeps_every_allocation_valid_or_is_refused_whole(
        links in prop::collection::vec((0usize..4, 0usize..6, 1i64..3_000), 0..6),
        mutations in prop::collection::vec((0usize..10, 0u8..4), 0..5),
        removals in prop::collection::vec(0usize..10, 0..3),
    ) {
        let mut l = allocation_ledger(&links);
        let before = snapshot_of(&l);
        let id_of = |i: usize| if i < 6 { format!("D{i}") } else { format!("P{}", i - 6) };
        let mut upserts = Vec::new();
        for &(i, how) in &mutations {
            let mut e = l.get(&id_of(i).parse().unwrap()).unwrap();
            match how {
                0 => e.document = Some(ebok_core::ledger::DocumentRef::new("KOREKTA").unwrap()),
                1 => e.premises = pid(if e.premises.as_str() == "A" { "B" } else { "A" }),
                2 => e.amount = m("1"),
                _ => {
                    e.kind = if e.kind == EntryKind::Payment { EntryKind::Correction } else { EntryKind::Payment };
                    e.component = None;
                    e.due_date = None;
                }
            }
            if !upserts.iter().any(|u: &LedgerEntry| u.id == e.id) {
                upserts.push(e);
            }
        }
        let removals: Vec<EntryId> = removals.iter().map(|&i| id_of(i).parse().unwrap()).collect();
        let result = l.apply_change(LedgerChange { upserts, removals: removals.clone(), ..LedgerChange::default() });
        match result {
            Err(_) => prop_assert_eq!(snapshot_of(&l), before, "a refused change changes nothing"),
            Ok(_) => {
                // Every stored allocation is valid against the ledger as it now is…
                let mut totals: std::collections::BTreeMap<String, Money> = Default::default();
                for a in l.allocations() {
                    let c = l.get(&a.credit).unwrap();
                    let d = l.get(&a.debt).unwrap();
                    prop_assert!(c.effect().is_negative() && d.effect().is_positive());
                    prop_assert_eq!(&c.premises, &d.premises);
                    let t = totals.entry(a.credit.to_string()).or_insert(Money::ZERO);
                    *t = t.checked_add(a.amount).unwrap();
                    prop_assert!(*t <= c.effect().abs());
                }
                // …and none was dropped but with its own removed credit.
                for a in &before.1 {
                    if !removals.contains(&a.credit) {
                        prop_assert!(l.allocations().any(|b| b == a), "dropped {:?}", a);
                    }
                }
            }
        }
    }
}
