//! Settlements: the worked examples of domain.md §9.2–§9.4 and properties.

use ebok_core::ledger::{Allocation, EntryId, Ledger, LedgerEntry, Part};
use ebok_core::money::Money;
use ebok_core::premises::PremisesId;
use ebok_core::settlement::allocation::{AllocationOrder, Debt, allocate_payment};
use ebok_core::settlement::holidays::{easter_sunday, is_working_day};
use ebok_core::settlement::interest::{DayBasis, RateTable, late_interest};
use ebok_core::settlement::{
    DueDay, SettlementError, SettlementPolicy, effective_due_date, open_items, project_interest,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::macros::date;
use time::{Date, Duration};

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn id(s: &str) -> EntryId {
    EntryId::new(s).unwrap()
}

// ---- §9.2 late interest ----

#[test]
fn late_interest_fixtures() {
    let t = RateTable::statutory();
    let cases = [
        (
            "500.00",
            date!(2025 - 01 - 10),
            date!(2025 - 03 - 20),
            69,
            1,
            "10.63",
        ),
        (
            "1000.00",
            date!(2025 - 04 - 10),
            date!(2025 - 07 - 15),
            96,
            3,
            "28.55",
        ),
        (
            "450.00",
            date!(2022 - 06 - 10),
            date!(2022 - 09 - 30),
            112,
            3,
            "16.47",
        ),
        (
            "300.00",
            date!(2024 - 01 - 10),
            date!(2024 - 03 - 11),
            61,
            1,
            "5.64",
        ),
    ];
    for (principal, due, paid, days, segments, expected) in cases {
        let i = late_interest(m(principal), due, paid, &t, DayBasis::Days365).unwrap();
        assert_eq!(i.days, days, "{principal} {due}");
        assert_eq!(i.segments.len(), segments, "{principal} {due}");
        assert_eq!(i.total, m(expected), "{principal} {due}");
    }
}

#[test]
fn interest_segments_follow_the_rate_changes() {
    let i = late_interest(
        m("1000.00"),
        date!(2025 - 04 - 10),
        date!(2025 - 07 - 15),
        &RateTable::statutory(),
        DayBasis::Days365,
    )
    .unwrap();
    let got: Vec<(Date, Date, u32, Decimal)> = i
        .segments
        .iter()
        .map(|s| (s.first_day, s.last_day, s.days, s.rate_percent))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                date!(2025 - 04 - 11),
                date!(2025 - 05 - 07),
                27,
                Decimal::new(1125, 2)
            ),
            (
                date!(2025 - 05 - 08),
                date!(2025 - 07 - 02),
                56,
                Decimal::new(1075, 2)
            ),
            (
                date!(2025 - 07 - 03),
                date!(2025 - 07 - 15),
                13,
                Decimal::new(1050, 2)
            ),
        ]
    );
    // Kept exact per segment (8.321918…, 16.493150…, 3.739726…), rounded once: 28.55.
    assert_eq!(i.segments[0].exact.round_dp(6), Decimal::new(8_321_918, 6));
    assert_eq!(i.segments[1].exact.round_dp(6), Decimal::new(16_493_151, 6));
    assert_eq!(i.segments[2].exact.round_dp(6), Decimal::new(3_739_726, 6));
}

#[test]
fn leap_year_basis_is_a_policy() {
    let t = RateTable::statutory();
    let (p, due, paid) = (m("300.00"), date!(2024 - 01 - 10), date!(2024 - 03 - 11));
    assert_eq!(
        late_interest(p, due, paid, &t, DayBasis::Days365)
            .unwrap()
            .total,
        m("5.64")
    );
    assert_eq!(
        late_interest(p, due, paid, &t, DayBasis::Actual)
            .unwrap()
            .total,
        m("5.63")
    );
}

#[test]
fn saturday_due_date_shifts_interest() {
    let t = RateTable::statutory();
    let effective = effective_due_date(date!(2025 - 05 - 10)).unwrap();
    assert_eq!(effective, date!(2025 - 05 - 12));
    let one_day = late_interest(
        m("500.00"),
        effective,
        date!(2025 - 05 - 13),
        &t,
        DayBasis::Days365,
    )
    .unwrap();
    assert_eq!((one_day.days, one_day.total), (1, m("0.15")));
    let on_time = late_interest(
        m("500.00"),
        effective,
        date!(2025 - 05 - 12),
        &t,
        DayBasis::Days365,
    )
    .unwrap();
    assert_eq!(on_time.total, Money::ZERO);
}

#[test]
fn the_rate_table_is_data_and_can_be_replaced_at_run_time() {
    let flat = RateTable::parse("2020-01-01;10").unwrap();
    let i = late_interest(
        m("365.00"),
        date!(2025 - 01 - 01),
        date!(2025 - 01 - 11),
        &flat,
        DayBasis::Days365,
    )
    .unwrap();
    assert_eq!(i.total, m("1.00")); // 365 × 10 % × 10 / 365
    let extended = flat
        .with_rate(date!(2025 - 01 - 06), Decimal::new(20, 0))
        .unwrap();
    let i = late_interest(
        m("365.00"),
        date!(2025 - 01 - 01),
        date!(2025 - 01 - 11),
        &extended,
        DayBasis::Days365,
    )
    .unwrap();
    assert_eq!(i.total, m("1.60")); // 2–5 Jan: 4 days @ 10 % + 6–11 Jan: 6 days @ 20 %
    let err = RateTable::parse("2020-01-01;10\n2021-13-01;9").unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
}

// ---- §9.3 due-date shift ----

#[test]
fn due_date_shift_fixtures() {
    let cases = [
        (date!(2025 - 05 - 10), date!(2025 - 05 - 12)),
        (date!(2026 - 01 - 10), date!(2026 - 01 - 12)),
        (date!(2024 - 11 - 10), date!(2024 - 11 - 12)),
        (date!(2025 - 12 - 24), date!(2025 - 12 - 29)),
        (date!(2024 - 12 - 24), date!(2024 - 12 - 24)),
        (date!(2026 - 05 - 03), date!(2026 - 05 - 04)),
        (date!(2025 - 01 - 10), date!(2025 - 01 - 10)),
    ];
    for (nominal, effective) in cases {
        assert_eq!(effective_due_date(nominal).unwrap(), effective, "{nominal}");
    }
    assert_eq!(easter_sunday(2025), date!(2025 - 04 - 20));
    assert_eq!(easter_sunday(2026), date!(2026 - 04 - 05));
    assert!(!is_working_day(date!(2025 - 06 - 19)).unwrap()); // Corpus Christi 2025
    assert!(!is_working_day(date!(2026 - 06 - 04)).unwrap()); // Corpus Christi 2026
    assert!(!is_working_day(date!(2025 - 04 - 21)).unwrap()); // Easter Monday 2025
}

#[test]
fn due_day_is_configuration() {
    let may = ebok_core::calendar::YearMonth::new(2025, 5).unwrap();
    assert_eq!(DueDay::Day(15).nominal(may), date!(2025 - 05 - 15));
    assert_eq!(
        DueDay::LastDay.effective(may).unwrap(),
        date!(2025 - 06 - 02)
    ); // 31 May is a Saturday
    assert_eq!(
        DueDay::Day(17).effective(may).unwrap(),
        date!(2025 - 05 - 19)
    ); // 17 May is a Saturday
}

// ---- §9.4 allocation ----

fn case_a_ledger() -> Ledger {
    let mut l = Ledger::new();
    for (i, (month, due)) in [(1u8, date!(2025 - 01 - 10)), (2, date!(2025 - 02 - 10))]
        .into_iter()
        .enumerate()
    {
        let op = Date::from_calendar_date(2025, time::Month::try_from(month).unwrap(), 1).unwrap();
        l.insert(
            LedgerEntry::charge(
                ["JAN", "FEB"][i],
                "A1",
                "eksploatacja",
                m("500.00"),
                op,
                due,
            )
            .unwrap()
            .posted(op),
        )
        .unwrap();
    }
    l.insert(
        LedgerEntry::payment("P600", "A1", m("600.00"), date!(2025 - 03 - 20))
            .unwrap()
            .posted(date!(2025 - 03 - 21)),
    )
    .unwrap();
    l
}

#[test]
fn case_a_interest_first_leaves_416_49_of_february() {
    let l = case_a_ledger();
    let policy = SettlementPolicy {
        order: AllocationOrder::InterestFirst,
        ..SettlementPolicy::default()
    };
    let items = open_items(
        &l,
        &PremisesId::new("A1").unwrap(),
        date!(2025 - 03 - 20),
        None,
        &policy,
    )
    .unwrap();
    let lines: Vec<(&str, Part, Money)> = items
        .allocations
        .iter()
        .map(|a| (a.debt.as_str(), a.part, a.amount))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("JAN", Part::Interest, m("10.63")),
            ("JAN", Part::Principal, m("500.00")),
            ("FEB", Part::Interest, m("5.86")),
            ("FEB", Part::Principal, m("83.51")),
        ]
    );
    assert_eq!(items.items.len(), 1);
    assert_eq!(items.items[0].id.as_str(), "FEB");
    assert_eq!(items.items[0].outstanding, m("416.49"));
    assert_eq!(items.unused_credit, Money::ZERO);
}

#[test]
fn case_a_principal_only_leaves_400_of_february() {
    let l = case_a_ledger();
    let items = open_items(
        &l,
        &PremisesId::new("A1").unwrap(),
        date!(2025 - 03 - 20),
        None,
        &SettlementPolicy::default(),
    )
    .unwrap();
    assert_eq!(items.items.len(), 1);
    assert_eq!(items.items[0].outstanding, m("400.00"));
    assert_eq!(items.arrears, m("400.00"));
    assert_eq!(items.oldest_overdue, Some(date!(2025 - 02 - 10)));
    // Interest is shown, not collected: Jan's 10.63 stays owed, Feb's accrued 5.86.
    assert_eq!(items.interest_total, m("16.49"));
    // And the sum reconciles with the balance.
    let balance = l
        .balance(&PremisesId::new("A1").unwrap(), date!(2025 - 03 - 20), None)
        .unwrap();
    assert_eq!(balance.owed(), m("400.00"));
}

#[test]
fn case_a_with_the_plain_allocator() {
    let mut debts = vec![
        Debt::new(id("JAN"), date!(2025 - 01 - 10), m("500"), m("10.63")).unwrap(),
        Debt::new(id("FEB"), date!(2025 - 02 - 10), m("500"), m("5.86")).unwrap(),
    ];
    let r = allocate_payment(
        &mut debts,
        &id("P"),
        m("600"),
        date!(2025 - 03 - 20),
        None,
        AllocationOrder::InterestFirst,
    );
    assert_eq!(debts[1].principal, m("416.49"));
    assert_eq!(r.credit_left, Money::ZERO);
}

#[test]
fn case_b_a_designated_payment_settles_its_debt_only() {
    let mut debts = vec![
        Debt::new(id("D1"), date!(2014 - 01 - 10), m("5000"), m("1000")).unwrap(),
        Debt::new(id("D2"), date!(2014 - 02 - 10), m("7000"), m("2000")).unwrap(),
    ];
    let r = allocate_payment(
        &mut debts,
        &id("P"),
        m("5000"),
        date!(2014 - 09 - 01),
        Some(&id("D1")),
        AllocationOrder::InterestFirst,
    );
    assert_eq!(
        (debts[0].principal, debts[0].interest),
        (m("1000"), Money::ZERO)
    );
    // The creditor's wrong practice (all interest first) would leave debt 1 owing 3000.
    assert_ne!(debts[0].principal, m("3000"));
    assert_eq!(
        (debts[1].principal, debts[1].interest),
        (m("7000"), m("2000"))
    );
    assert_eq!(
        r.lines
            .iter()
            .map(|a| (a.debt.as_str(), a.part, a.amount))
            .collect::<Vec<_>>(),
        vec![
            ("D1", Part::Interest, m("1000")),
            ("D1", Part::Principal, m("4000"))
        ]
    );
}

#[test]
fn a_designation_in_the_ledger_wins_over_oldest_first() {
    let mut l = case_a_ledger();
    l.designate(&id("P600"), &id("FEB")).unwrap();
    let items = open_items(
        &l,
        &PremisesId::new("A1").unwrap(),
        date!(2025 - 03 - 20),
        None,
        &SettlementPolicy::default(),
    )
    .unwrap();
    // Feb paid in full first, the remaining 100 to January.
    let outstanding: Vec<(&str, Money)> = items
        .items
        .iter()
        .map(|i| (i.id.as_str(), i.outstanding))
        .collect();
    assert_eq!(outstanding, vec![("JAN", m("400.00"))]);
}

#[test]
fn a_stored_allocation_wins() {
    let mut l = case_a_ledger();
    l.set_allocations(
        &id("P600"),
        vec![
            Allocation {
                credit: id("P600"),
                debt: id("FEB"),
                part: Part::Principal,
                amount: m("500.00"),
            },
            Allocation {
                credit: id("P600"),
                debt: id("JAN"),
                part: Part::Principal,
                amount: m("50.00"),
            },
        ],
    )
    .unwrap();
    let items = open_items(
        &l,
        &PremisesId::new("A1").unwrap(),
        date!(2025 - 03 - 20),
        None,
        &SettlementPolicy::default(),
    )
    .unwrap();
    assert_eq!(items.items.len(), 1);
    assert_eq!(items.items[0].outstanding, m("450.00"));
    // The 50.00 the export left unallocated stays credit, as the accounting system reported it.
    assert_eq!(items.unused_credit, m("50.00"));
    let balance = l
        .balance(&PremisesId::new("A1").unwrap(), date!(2025 - 03 - 20), None)
        .unwrap();
    assert_eq!(balance.owed(), m("400.00"));
    assert!(
        l.set_allocations(
            &id("P600"),
            vec![Allocation {
                credit: id("P600"),
                debt: id("JAN"),
                part: Part::Principal,
                amount: m("700")
            }]
        )
        .is_err()
    );
}

#[test]
fn overpayment_is_credit_that_settles_later_charges_as_they_fall_due() {
    let mut l = Ledger::new();
    l.insert(
        LedgerEntry::payment("P", "C1", m("1000"), date!(2025 - 01 - 05))
            .unwrap()
            .posted(date!(2025 - 01 - 06)),
    )
    .unwrap();
    for (i, month) in [1u8, 2, 3].into_iter().enumerate() {
        let op = Date::from_calendar_date(2025, time::Month::try_from(month).unwrap(), 1).unwrap();
        let due =
            Date::from_calendar_date(2025, time::Month::try_from(month).unwrap(), 10).unwrap();
        l.insert(
            LedgerEntry::charge(&format!("N{i}"), "C1", "eksploatacja", m("400"), op, due)
                .unwrap()
                .posted(op),
        )
        .unwrap();
    }
    let p = PremisesId::new("C1").unwrap();
    let jan = open_items(
        &l,
        &p,
        date!(2025 - 01 - 31),
        None,
        &SettlementPolicy::default(),
    )
    .unwrap();
    assert_eq!(jan.unused_credit, m("600"));
    let mar = open_items(
        &l,
        &p,
        date!(2025 - 03 - 31),
        None,
        &SettlementPolicy::default(),
    )
    .unwrap();
    assert_eq!(mar.items.len(), 1);
    assert_eq!(mar.items[0].outstanding, m("200"));
    // Paid by credit on its due date: Feb's charge accrued no interest; March's 200 accrues from 11 March.
    assert_eq!(mar.items[0].id.as_str(), "N2");
    assert!(mar.interest_total.is_positive());
    let projected = project_interest(
        &l,
        &p,
        date!(2025 - 03 - 31),
        None,
        date!(2025 - 04 - 30),
        &SettlementPolicy::default(),
    )
    .unwrap();
    assert!(projected.interest > mar.interest_total);
    assert_eq!(projected.principal, m("200"));
    assert_eq!(
        projected.total,
        projected.principal.checked_add(projected.interest).unwrap()
    );
}

#[test]
fn open_items_honour_known_at() {
    let l = case_a_ledger();
    let p = PremisesId::new("A1").unwrap();
    // On 20 March the payment had arrived but was posted on the 21st.
    let seen = open_items(
        &l,
        &p,
        date!(2025 - 03 - 20),
        Some(date!(2025 - 03 - 20)),
        &SettlementPolicy::default(),
    )
    .unwrap();
    assert_eq!(seen.arrears, m("1000.00"));
    let later = open_items(
        &l,
        &p,
        date!(2025 - 03 - 20),
        Some(date!(2025 - 03 - 21)),
        &SettlementPolicy::default(),
    )
    .unwrap();
    assert_eq!(later.arrears, m("400.00"));
}

#[test]
fn a_payment_on_the_saturday_a_debt_is_nominally_due_settles_it() {
    // Due Saturday 19 July 2025 (effective Monday 21st), paid that Saturday.
    let mut debts =
        vec![Debt::new(id("N07"), date!(2025 - 07 - 19), m("300"), Money::ZERO).unwrap()];
    assert_eq!(debts[0].effective_due, date!(2025 - 07 - 21));
    let r = allocate_payment(
        &mut debts,
        &id("P"),
        m("300"),
        date!(2025 - 07 - 19),
        None,
        AllocationOrder::PrincipalOnly,
    );
    assert_eq!(r.credit_left, Money::ZERO);
    assert_eq!(debts[0].principal, Money::ZERO);
    // The ledger's open items agree: allocated to the payment on the day it was made, no interest.
    let mut l = Ledger::new();
    l.insert(
        LedgerEntry::charge(
            "N07",
            "X",
            "eksploatacja",
            m("300"),
            date!(2025 - 07 - 01),
            date!(2025 - 07 - 19),
        )
        .unwrap()
        .posted(date!(2025 - 07 - 01)),
    )
    .unwrap();
    l.insert(
        LedgerEntry::payment("P", "X", m("300"), date!(2025 - 07 - 19))
            .unwrap()
            .posted(date!(2025 - 07 - 21)),
    )
    .unwrap();
    let items = open_items(
        &l,
        &PremisesId::new("X").unwrap(),
        date!(2025 - 07 - 19),
        None,
        &SettlementPolicy::default(),
    )
    .unwrap();
    assert_eq!(items.allocations.len(), 1);
    assert_eq!(items.allocations[0].credit.as_str(), "P");
    assert!(items.items.is_empty());
    assert_eq!(items.interest_total, Money::ZERO);
    // Paid on the Monday (the effective day): still no interest, which starts after it.
    let later = open_items(
        &l,
        &PremisesId::new("X").unwrap(),
        date!(2025 - 07 - 22),
        None,
        &SettlementPolicy::default(),
    )
    .unwrap();
    assert_eq!(later.interest_total, Money::ZERO);
}

#[test]
fn holidays_follow_the_statutes_including_one_off_days_and_refuse_before_1990() {
    // 12 November 2018: one-off holiday (act of 25 October 2018).
    assert!(ebok_core::settlement::holidays::is_public_holiday(date!(2018 - 11 - 12)).unwrap());
    assert_eq!(
        effective_due_date(date!(2018 - 11 - 10)).unwrap(),
        date!(2018 - 11 - 13)
    );
    // Epiphany only from 2011; Christmas Eve only from 2025.
    assert!(is_working_day(date!(2010 - 01 - 06)).unwrap());
    assert!(!is_working_day(date!(2011 - 01 - 06)).unwrap());
    // Before 1990 the statutes differed: refused, never answered with today's list.
    let err = effective_due_date(date!(1985 - 07 - 22)).unwrap_err();
    assert_eq!(
        err,
        SettlementError::OutsideHolidayCalendar {
            date: date!(1985 - 07 - 22)
        }
    );
    assert!(is_working_day(date!(1989 - 12 - 31)).is_err());
}

#[test]
fn interest_before_2016_uses_the_statutory_rate_and_a_day_without_one_is_refused() {
    let t = RateTable::statutory();
    // 1 000.00 due 2015-12-10, paid 2016-01-31: 21 days at 8 % + 31 days at 7 %.
    let i = late_interest(
        m("1000.00"),
        date!(2015 - 12 - 10),
        date!(2016 - 01 - 31),
        &t,
        DayBasis::Days365,
    )
    .unwrap();
    assert_eq!(
        i.segments
            .iter()
            .map(|s| (s.days, s.rate_percent.to_string()))
            .collect::<Vec<_>>(),
        vec![(21, "8".to_owned()), (31, "7".to_owned())]
    );
    assert_eq!(i.total, m("10.55"));
    // Each pre-2016 rate is in the table with its regulation; 2003 is covered throughout.
    assert_eq!(t.rate_on(date!(2003 - 01 - 15)), Some(Decimal::new(16, 0)));
    assert_eq!(
        t.rate_on(date!(2003 - 09 - 25)),
        Some(Decimal::new(1225, 2))
    );
    assert_eq!(t.rate_on(date!(2008 - 12 - 15)), Some(Decimal::new(13, 0)));
    // Before the table: a typed error naming the day, never 0 %.
    let err = late_interest(
        m("100"),
        date!(1993 - 04 - 01),
        date!(1993 - 06 - 01),
        &t,
        DayBasis::Days365,
    )
    .unwrap_err();
    assert_eq!(
        err,
        SettlementError::NoRate {
            day: date!(1993 - 04 - 02),
            first: Some(date!(1993 - 05 - 01))
        }
    );
    let empty = RateTable::default();
    assert!(
        late_interest(
            m("100"),
            date!(2025 - 01 - 01),
            date!(2025 - 02 - 01),
            &empty,
            DayBasis::Days365
        )
        .is_err()
    );
    // Open items refuse too, rather than show a figure at 0 %.
    let mut l = Ledger::new();
    l.insert(
        LedgerEntry::charge(
            "N1",
            "X",
            "eksploatacja",
            m("100"),
            date!(2025 - 01 - 01),
            date!(2025 - 01 - 10),
        )
        .unwrap()
        .posted(date!(2025 - 01 - 01)),
    )
    .unwrap();
    let policy = SettlementPolicy {
        rates: RateTable::parse("2025-02-01;10").unwrap(),
        ..SettlementPolicy::default()
    };
    assert!(matches!(
        open_items(
            &l,
            &PremisesId::new("X").unwrap(),
            date!(2025 - 03 - 01),
            None,
            &policy
        ),
        Err(SettlementError::NoRate { .. })
    ));
}

// ---- properties ----

fn debts_strategy() -> impl Strategy<Value = Vec<(i64, i64, i64)>> {
    prop::collection::vec((0i64..200, 1i64..100_000, 0i64..5_000), 0..12)
}

proptest! {
    #[test]
    fn allocation_conserves_money(
        spec in debts_strategy(),
        amount in 0i64..2_000_000,
        paid in 0i64..250,
        designate in prop::option::of(0usize..12),
        interest_first in any::<bool>(),
    ) {
        let start = date!(2025 - 01 - 01);
        let mut debts: Vec<Debt> = spec.iter().enumerate().map(|(i, &(due, p, int))| {
            Debt::new(EntryId::new(&format!("D{i}")).unwrap(), start + Duration::days(due), Money::from_grosze(p), Money::from_grosze(int)).unwrap()
        }).collect();
        let before = Money::checked_sum(debts.iter().flat_map(|d| [d.principal, d.interest])).unwrap();
        let target = designate.and_then(|i| debts.get(i).map(|d| d.id.clone()));
        let order = if interest_first { AllocationOrder::InterestFirst } else { AllocationOrder::PrincipalOnly };
        let r = allocate_payment(&mut debts, &EntryId::new("P").unwrap(), Money::from_grosze(amount), start + Duration::days(paid), target.as_ref(), order);
        let allocated = Money::checked_sum(r.lines.iter().map(|l| l.amount)).unwrap();
        prop_assert_eq!(allocated.checked_add(r.credit_left).unwrap(), Money::from_grosze(amount));
        let after = Money::checked_sum(debts.iter().flat_map(|d| [d.principal, d.interest])).unwrap();
        prop_assert_eq!(before.checked_sub(after).unwrap(), allocated);
        prop_assert!(debts.iter().all(|d| !d.principal.is_negative() && !d.interest.is_negative()));
        prop_assert!(r.lines.iter().all(|l| l.amount.is_positive()));
    }

    #[test]
    fn without_designations_open_items_add_up_to_the_positive_part_of_the_balance(
        charges in prop::collection::vec((0i64..150, 1i64..80_000), 0..15),
        credits in prop::collection::vec((0i64..200, 1i64..120_000), 0..10),
        as_of in 0i64..260,
    ) {
        let start = date!(2025 - 01 - 01);
        let mut l = Ledger::new();
        for (i, &(day, g)) in charges.iter().enumerate() {
            let op = start + Duration::days(day);
            l.insert(LedgerEntry::charge(&format!("N{i}"), "X", "eksploatacja", Money::from_grosze(g), op, op + Duration::days(9)).unwrap().posted(op)).unwrap();
        }
        for (i, &(day, g)) in credits.iter().enumerate() {
            let op = start + Duration::days(day);
            l.insert(LedgerEntry::payment(&format!("P{i}"), "X", Money::from_grosze(g), op).unwrap().posted(op)).unwrap();
        }
        let p = PremisesId::new("X").unwrap();
        let as_of = start + Duration::days(as_of);
        let items = open_items(&l, &p, as_of, None, &SettlementPolicy::default()).unwrap();
        let open = Money::checked_sum(items.items.iter().map(|i| i.outstanding)).unwrap();
        let balance = l.balance(&p, as_of, None).unwrap_or_default();
        prop_assert_eq!(open, balance.owed());
        prop_assert_eq!(items.unused_credit, balance.overpaid());
        prop_assert_eq!(items.arrears.checked_add(items.not_yet_due).unwrap(), open);
    }

    #[test]
    fn open_items_and_the_plain_allocator_agree(
        charges in prop::collection::vec((0i64..150, 0i64..20, 1i64..80_000), 1..10),
        pay_day in 0i64..200,
        amount in 1i64..300_000,
    ) {
        // Due dates fall on every weekday, Saturdays and holidays included.
        let start = date!(2025 - 04 - 01);
        let mut l = Ledger::new();
        let mut debts: Vec<(Date, Date, String, Money)> = Vec::new();
        for (i, &(op, due, g)) in charges.iter().enumerate() {
            let op = start + Duration::days(op);
            let due = op + Duration::days(due);
            let id = format!("N{i}");
            l.insert(LedgerEntry::charge(&id, "X", "eksploatacja", Money::from_grosze(g), op, due).unwrap().posted(op)).unwrap();
            debts.push((due, op, id, Money::from_grosze(g)));
        }
        let paid_on = start + Duration::days(pay_day);
        l.insert(LedgerEntry::payment("P", "X", Money::from_grosze(amount), paid_on).unwrap().posted(paid_on)).unwrap();
        let items = open_items(&l, &PremisesId::new("X").unwrap(), paid_on, None, &SettlementPolicy::default()).unwrap();
        let from_items: Vec<(String, Part, Money)> = items.allocations.iter()
            .filter(|a| a.credit.as_str() == "P")
            .map(|a| (a.debt.to_string(), a.part, a.amount))
            .collect();
        // The same debts, as known on the payment day, oldest (nominal) due date first.
        debts.retain(|d| d.1 <= paid_on);
        debts.sort();
        let mut plain: Vec<Debt> = debts.iter().map(|(due, _, id, g)| Debt::new(EntryId::new(id).unwrap(), *due, *g, Money::ZERO).unwrap()).collect();
        let r = allocate_payment(&mut plain, &EntryId::new("P").unwrap(), Money::from_grosze(amount), paid_on, None, AllocationOrder::PrincipalOnly);
        let from_plain: Vec<(String, Part, Money)> = r.lines.iter().map(|a| (a.debt.to_string(), a.part, a.amount)).collect();
        prop_assert_eq!(&from_items, &from_plain);
        // A debt is matured on its nominal due date: nothing nominally due by the payment day
        // is left owing while credit is left over.
        if r.credit_left.is_positive() {
            prop_assert!(plain.iter().filter(|d| d.due <= paid_on).all(|d| d.principal.is_zero()));
        }
    }

    #[test]
    fn interest_is_zero_by_the_due_date_and_monotone(
        principal in 0i64..100_000_000,
        extra in 0i64..100_000,
        due_offset in 0i64..3_000,
        days in 0u32..1_500,
        more in 0u32..400,
        early in 0i64..60,
    ) {
        let t = RateTable::statutory();
        let due = effective_due_date(date!(2016 - 01 - 01) + Duration::days(due_offset)).unwrap();
        let p = Money::from_grosze(principal);
        let on_time = late_interest(p, due, due - Duration::days(early), &t, DayBasis::Days365).unwrap();
        prop_assert_eq!(on_time.total, Money::ZERO);
        let a = late_interest(p, due, due + Duration::days(i64::from(days)), &t, DayBasis::Days365).unwrap();
        let b = late_interest(p, due, due + Duration::days(i64::from(days + more)), &t, DayBasis::Days365).unwrap();
        prop_assert!(b.total >= a.total);
        let bigger = late_interest(Money::from_grosze(principal + extra), due, due + Duration::days(i64::from(days)), &t, DayBasis::Days365).unwrap();
        prop_assert!(bigger.total >= a.total);
        prop_assert!(!a.total.is_negative());
    }

    #[test]
    fn the_due_date_shift_lands_on_a_working_day_and_never_moves_backwards(offset in 0i64..40_000) {
        let nominal = date!(1990 - 01 - 01) + Duration::days(offset);
        let effective = effective_due_date(nominal).unwrap();
        prop_assert!(effective >= nominal);
        prop_assert!(is_working_day(effective).unwrap());
        prop_assert!((effective - nominal).whole_days() <= 6);
        // Every day skipped was a Saturday, a Sunday or a holiday.
        let mut d = nominal;
        while d < effective {
            prop_assert!(!is_working_day(d).unwrap());
            d += Duration::days(1);
        }
    }
}

#[test]
fn open_items_of_many_premises_on_two_cores_equal_each_premises_alone() {
    let c = ebok_core::synthetic::SyntheticCooperative::generate(
        &ebok_core::synthetic::CooperativeConfig::default(),
    );
    let ids: Vec<_> = c.ledger.premises().cloned().collect();
    assert!(
        ids.len() >= 64,
        "enough premises for two cores: {}",
        ids.len()
    );
    let policy = ebok_core::settlement::SettlementPolicy::default();
    for (as_of, known_at) in [
        (time::macros::date!(2026 - 11 - 20), None),
        (
            time::macros::date!(2025 - 09 - 15),
            Some(time::macros::date!(2025 - 09 - 10)),
        ),
    ] {
        let many =
            ebok_core::settlement::open_items_of_many(&c.ledger, &ids, as_of, known_at, &policy)
                .expect("open items");
        let each: Vec<_> = ids
            .iter()
            .map(|p| {
                ebok_core::settlement::open_items(&c.ledger, p, as_of, known_at, &policy).unwrap()
            })
            .collect();
        assert_eq!(many, each);
    }
}
