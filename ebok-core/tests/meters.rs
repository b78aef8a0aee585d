//! Water meters: the worked examples of domain.md §9.6 and properties.

use ebok_core::calendar::YearMonth;
use ebok_core::messages::Language;
use ebok_core::meters::{
    Legalization, Meter, MeterBook, MeterKind, Quantity, Reading, ReadingSource, ReadingWindow,
    Rejection, StateBasis, ValidationOptions, Verdict, Warning, estimate_from_average,
};
use ebok_core::premises::PremisesId;
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};

fn q(s: &str) -> Quantity {
    Quantity::parse(s).unwrap()
}

fn flat() -> PremisesId {
    PremisesId::new("0756555").unwrap()
}

fn reading(serial: &str, d: Date, v: &str) -> Reading {
    Reading::new(serial, d, q(v), ReadingSource::Inspector).unwrap()
}

#[test]
fn simple_consumption_8_333() {
    let mut b = MeterBook::new();
    b.add_meter(
        Meter::new(
            "ZW-1",
            MeterKind::ColdWater,
            flat(),
            date!(2020 - 01 - 01),
            q("100.000"),
        )
        .unwrap(),
    )
    .unwrap();
    b.add_reading(reading("ZW-1", date!(2025 - 01 - 01), "123.456"))
        .unwrap();
    b.add_reading(reading("ZW-1", date!(2025 - 07 - 01), "131.789"))
        .unwrap();
    let c = b.consumption(
        &flat(),
        MeterKind::ColdWater,
        date!(2025 - 01 - 01),
        date!(2025 - 07 - 01),
    );
    assert_eq!(c.total, q("8.333"));
    assert!(!c.is_estimated());
}

fn replacement_book() -> MeterBook {
    let mut b = MeterBook::new();
    b.add_meter(
        Meter::new(
            "OLD",
            MeterKind::ColdWater,
            flat(),
            date!(2019 - 05 - 01),
            q("0"),
        )
        .unwrap()
        .with_location("kuchnia")
        .with_legalization(Legalization::Year(2019)),
    )
    .unwrap();
    b.add_reading(reading("OLD", date!(2025 - 01 - 01), "240.000"))
        .unwrap();
    let new = Meter::new(
        "NEW",
        MeterKind::ColdWater,
        flat(),
        date!(2025 - 03 - 14),
        q("0.015"),
    )
    .unwrap()
    .with_location("kuchnia")
    .with_legalization(Legalization::MMark(2024));
    b.replace_meter(
        &"OLD".parse().unwrap(),
        date!(2025 - 03 - 14),
        q("245.120"),
        new,
    )
    .unwrap();
    b.add_reading(reading("NEW", date!(2025 - 07 - 01), "3.456"))
        .unwrap();
    b
}

#[test]
fn consumption_across_a_replacement_8_561() {
    let b = replacement_book();
    let c = b.consumption(
        &flat(),
        MeterKind::ColdWater,
        date!(2025 - 01 - 01),
        date!(2025 - 07 - 01),
    );
    assert_eq!(c.total, q("8.561"));
    let parts: Vec<(&str, Quantity)> = c
        .parts
        .iter()
        .map(|p| (p.meter.as_str(), p.amount))
        .collect();
    assert_eq!(parts, vec![("OLD", q("5.120")), ("NEW", q("3.441"))]);
    assert!(!c.is_estimated());
    // Split at the replacement day: the same total.
    let a = b.consumption(
        &flat(),
        MeterKind::ColdWater,
        date!(2025 - 01 - 01),
        date!(2025 - 03 - 14),
    );
    let z = b.consumption(
        &flat(),
        MeterKind::ColdWater,
        date!(2025 - 03 - 14),
        date!(2025 - 07 - 01),
    );
    assert_eq!(a.total.checked_add(z.total), Some(q("8.561")));
}

#[test]
fn estimate_25_008_and_estimated_parts_are_marked() {
    assert_eq!(estimate_from_average(q("24.600"), 181, 184), q("25.008"));
    // A meter read on 1 Jan and 1 Jul (24.600 m³ over 181 days), not read on 1 Jan next year (184 days).
    let mut b = MeterBook::new();
    b.add_meter(
        Meter::new(
            "ZW-2",
            MeterKind::ColdWater,
            flat(),
            date!(2024 - 12 - 01),
            q("0"),
        )
        .unwrap(),
    )
    .unwrap();
    b.add_reading(reading("ZW-2", date!(2025 - 01 - 01), "100.000"))
        .unwrap();
    b.add_reading(reading("ZW-2", date!(2025 - 07 - 01), "124.600"))
        .unwrap();
    let c = b.consumption(
        &flat(),
        MeterKind::ColdWater,
        date!(2025 - 07 - 01),
        date!(2026 - 01 - 01),
    );
    assert_eq!(c.total, q("25.008"));
    assert!(c.is_estimated());
    assert_eq!(c.parts[0].end_basis, StateBasis::Extrapolated);
    assert_eq!(c.estimated(), q("25.008"));
}

#[test]
fn sewage_is_cold_plus_hot_and_months_add_up() {
    let mut b = replacement_book();
    b.add_meter(
        Meter::new(
            "CW-1",
            MeterKind::HotWater,
            flat(),
            date!(2019 - 05 - 01),
            q("0"),
        )
        .unwrap(),
    )
    .unwrap();
    b.add_reading(reading("CW-1", date!(2025 - 01 - 01), "80.000"))
        .unwrap();
    b.add_reading(reading("CW-1", date!(2025 - 07 - 01), "83.250"))
        .unwrap();
    let s = b.sewage(&flat(), date!(2025 - 01 - 01), date!(2025 - 07 - 01));
    assert_eq!(s.total, q("11.811"));
    let months = b.monthly_consumption(
        &flat(),
        MeterKind::HotWater,
        YearMonth::new(2025, 1).unwrap(),
        YearMonth::new(2025, 6).unwrap(),
    );
    assert_eq!(months.len(), 6);
    let sum = months
        .iter()
        .map(|(_, c)| c.total.thousandths())
        .sum::<i64>();
    // From 31 Dec to 30 Jun, interpolated: a day short of the 3.250 between the two readings.
    let direct = b.consumption(
        &flat(),
        MeterKind::HotWater,
        date!(2024 - 12 - 31),
        date!(2025 - 06 - 30),
    );
    assert_eq!(sum, direct.total.thousandths());
    assert!(months.iter().all(|(_, c)| c.is_estimated()));
}

#[test]
fn legalization_fixtures() {
    assert_eq!(
        Legalization::Year(2021).valid_through(),
        date!(2026 - 12 - 31)
    );
    assert_eq!(
        Legalization::MMark(2021).valid_through(),
        date!(2026 - 11 - 30)
    );
    assert_eq!(
        "M21".parse::<Legalization>().unwrap(),
        Legalization::MMark(2021)
    );
    assert_eq!(
        "M 2021".parse::<Legalization>().unwrap(),
        Legalization::MMark(2021)
    );
    assert_eq!(
        "2021".parse::<Legalization>().unwrap(),
        Legalization::Year(2021)
    );
    assert!("21".parse::<Legalization>().is_err());
}

fn validation_book() -> MeterBook {
    let mut b = MeterBook::new();
    b.add_meter(
        Meter::new(
            "ZW-1",
            MeterKind::ColdWater,
            flat(),
            date!(2023 - 01 - 01),
            q("100.000"),
        )
        .unwrap()
        .with_legalization(Legalization::Year(2018)),
    )
    .unwrap();
    // 0.1 m³ a day for two years.
    b.add_reading(reading("ZW-1", date!(2024 - 01 - 01), "136.500"))
        .unwrap();
    b.add_reading(reading("ZW-1", date!(2025 - 01 - 01), "173.100"))
        .unwrap();
    b.add_meter(
        Meter::new(
            "ZW-OTHER",
            MeterKind::ColdWater,
            PremisesId::new("0756556").unwrap(),
            date!(2023 - 01 - 01),
            q("0"),
        )
        .unwrap(),
    )
    .unwrap();
    b
}

fn rejected(v: &Verdict) -> Vec<Rejection> {
    match v {
        Verdict::Rejected { reasons } => reasons.clone(),
        Verdict::Accepted { .. } | Verdict::NeedsConfirmation { .. } => vec![],
    }
}

fn warnings(v: &Verdict) -> Vec<Warning> {
    match v {
        Verdict::Accepted { warnings } | Verdict::NeedsConfirmation { warnings } => {
            warnings.clone()
        }
        Verdict::Rejected { .. } => panic!("rejected: {v:?}"),
    }
}

#[test]
fn an_impossible_reading_is_refused_and_an_unusual_one_needs_confirmation() {
    let mut b = validation_book();
    let before = b.clone();
    let opts = ValidationOptions::new(date!(2025 - 02 - 01));
    // 999 999,999 m³ in 31 days: a DN15 meter passes at most 3.125 m³/h × 24 h × 31 days.
    let v = b.submit_reading(&flat(), "ZW-1", date!(2025 - 02 - 01), "999 999,999", &opts);
    assert_eq!(
        rejected(&v),
        vec![Rejection::ExceedsMeterCapacity {
            consumption: q("999826.899"),
            max_possible: q("2325.000"),
            days: 31,
        }]
    );
    let Verdict::Rejected { reasons } = &v else {
        panic!("{v:?}")
    };
    assert!(reasons[0].message(Language::Polish).contains("fizycznie"));
    assert!(reasons[0].message(Language::English).contains("physically"));
    assert_eq!(b, before, "nothing stored");
    // Possible (30 m³ in a month) but far above the usual 0.1 m³ a day: held for confirmation.
    let held = b.submit_reading(&flat(), "ZW-1", date!(2025 - 02 - 01), "203.100", &opts);
    assert!(
        matches!(&held, Verdict::NeedsConfirmation { warnings } if matches!(warnings[0], Warning::ImplausibleJump { .. })),
        "{held:?}"
    );
    assert!(!held.is_accepted());
    assert_eq!(b, before, "a reading awaiting confirmation is not stored");
    // Confirmed by the resident: stored, with the same warnings.
    let confirmed = ValidationOptions {
        confirmed: true,
        ..opts
    };
    let ok = b.submit_reading(
        &flat(),
        "ZW-1",
        date!(2025 - 02 - 01),
        "203.100",
        &confirmed,
    );
    assert!(ok.is_accepted(), "{ok:?}");
    assert_eq!(
        b.readings_of(&"ZW-1".parse().unwrap())
            .last()
            .unwrap()
            .value,
        q("203.100")
    );
    // A meter's own maximum flow replaces its kind's default.
    assert_eq!(MeterKind::HotWater.default_max_flow(), Some(q("3.125")));
}

#[test]
fn resident_readings_are_rejected_with_a_reason_and_nothing_is_stored() {
    let mut b = validation_book();
    let before = b.clone();
    let opts = ValidationOptions::new(date!(2025 - 02 - 01));
    let cases: Vec<(&str, Date, &str, Rejection)> = vec![
        (
            "NOPE",
            date!(2025 - 01 - 31),
            "176.000",
            Rejection::UnknownMeter,
        ),
        (
            "ZW-OTHER",
            date!(2025 - 01 - 31),
            "1.000",
            Rejection::NotThisPremises,
        ),
        (
            "ZW-1",
            date!(2025 - 01 - 31),
            "170.000",
            Rejection::LowerThanPrevious {
                previous: q("173.100"),
                on: date!(2025 - 01 - 01),
            },
        ),
        (
            "ZW-1",
            date!(2025 - 01 - 31),
            "176.1234",
            Rejection::TooManyDecimals,
        ),
        ("ZW-1", date!(2025 - 01 - 31), "17a", Rejection::NotANumber),
        (
            "ZW-1",
            date!(2025 - 02 - 02),
            "176.000",
            Rejection::DateInFuture {
                today: date!(2025 - 02 - 01),
            },
        ),
        (
            "ZW-1",
            date!(2022 - 12 - 31),
            "100.000",
            Rejection::BeforeInstallation {
                installed_on: date!(2023 - 01 - 01),
            },
        ),
        (
            "ZW-1",
            date!(2024 - 06 - 01),
            "180.000",
            Rejection::HigherThanNext {
                next: q("173.100"),
                on: date!(2025 - 01 - 01),
            },
        ),
    ];
    for (serial, d, value, expected) in cases {
        let v = b.submit_reading(&flat(), serial, d, value, &opts);
        assert_eq!(rejected(&v), vec![expected], "{serial} {d} {value}");
        assert!(
            !rejected(&v)[0]
                .message(ebok_core::messages::Language::Polish)
                .is_empty()
        );
    }
    assert_eq!(b, before, "a rejected reading stores nothing");
}

#[test]
fn a_removed_meter_refuses_readings() {
    let mut b = replacement_book();
    let v = b.submit_reading(
        &flat(),
        "OLD",
        date!(2025 - 05 - 01),
        "250",
        &ValidationOptions::new(date!(2025 - 06 - 01)),
    );
    assert_eq!(
        rejected(&v),
        vec![Rejection::MeterRemoved {
            removed_on: date!(2025 - 03 - 14)
        }]
    );
}

#[test]
fn accepted_readings_carry_their_warnings() {
    let b = validation_book();
    let opts = ValidationOptions::new(date!(2025 - 02 - 01));
    // Plausible: 3.1 m³ in 31 days; the 2018 legalization expired on 2023-12-31.
    let ok = b.validate_reading(&flat(), "ZW-1", date!(2025 - 02 - 01), "176.200", &opts);
    assert_eq!(
        warnings(&ok),
        vec![Warning::LegalizationExpired {
            valid_through: date!(2023 - 12 - 31)
        }]
    );
    // The decimal point slipped: 1762.00 instead of 176.200.
    let slip = b.validate_reading(&flat(), "ZW-1", date!(2025 - 02 - 01), "1762,00", &opts);
    assert!(warnings(&slip).contains(&Warning::LikelyDecimalSlip { factor: 10 }));
    // A leak, or a typo: 30 m³ in a month against 0.1 m³ a day.
    let jump = b.validate_reading(&flat(), "ZW-1", date!(2025 - 02 - 01), "203.100", &opts);
    assert!(
        matches!(warnings(&jump)[0], Warning::ImplausibleJump { .. }),
        "{jump:?}"
    );
    // Outside the reading window: kept, with a warning.
    let window = ReadingWindow {
        from: date!(2025 - 03 - 25),
        to: date!(2025 - 03 - 31),
    };
    let late = b.validate_reading(
        &flat(),
        "ZW-1",
        date!(2025 - 02 - 01),
        "176.200",
        &ValidationOptions {
            window: Some(window),
            ..opts
        },
    );
    assert!(warnings(&late).contains(&Warning::OutsideReadingWindow { window }));
}

#[test]
fn rollover_is_an_explicit_option() {
    let mut b = MeterBook::new();
    b.add_meter(
        Meter::new(
            "R-1",
            MeterKind::ColdWater,
            flat(),
            date!(2020 - 01 - 01),
            q("99990.000"),
        )
        .unwrap()
        .with_rollover(q("100000")),
    )
    .unwrap();
    let opts = ValidationOptions::new(date!(2020 - 06 - 01));
    let v = b.submit_reading(&flat(), "R-1", date!(2020 - 06 - 01), "5.000", &opts);
    assert!(warnings(&v).contains(&Warning::Rollover {
        modulus: q("100000")
    }));
    let c = b.consumption(
        &flat(),
        MeterKind::ColdWater,
        date!(2020 - 01 - 01),
        date!(2020 - 06 - 01),
    );
    assert_eq!(c.total, q("15.000"));
}

// ---- properties ----

/// A premises with a cold-water meter replaced once, read at random days with random increments.
fn random_book(increments: &[(u16, u32)], replace_after: usize) -> MeterBook {
    let mut b = MeterBook::new();
    b.add_meter(
        Meter::new(
            "A",
            MeterKind::ColdWater,
            flat(),
            date!(2020 - 01 - 01),
            q("10"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut day = date!(2020 - 01 - 01);
    let mut value = 10_000i64;
    let mut serial = "A";
    for (i, &(gap, inc)) in increments.iter().enumerate() {
        day += Duration::days(i64::from(gap) + 1);
        value += i64::from(inc);
        if i == replace_after {
            let new = Meter::new(
                "B",
                MeterKind::ColdWater,
                flat(),
                day,
                Quantity::from_thousandths(7).unwrap(),
            )
            .unwrap();
            b.replace_meter(
                &"A".parse().unwrap(),
                day,
                Quantity::from_thousandths(value).unwrap(),
                new,
            )
            .unwrap();
            serial = "B";
            value = 7;
            continue;
        }
        b.add_reading(
            Reading::new(
                serial,
                day,
                Quantity::from_thousandths(value).unwrap(),
                ReadingSource::Remote,
            )
            .unwrap(),
        )
        .unwrap();
    }
    b
}

fn increments() -> impl Strategy<Value = Vec<(u16, u32)>> {
    prop::collection::vec((0u16..60, 0u32..20_000), 1..25)
}

proptest! {
    #[test]
    fn consumption_is_additive_over_adjacent_periods(incs in increments(), replace in 0usize..30, a in 0i64..900, b in 0i64..900, c in 0i64..900) {
        let book = random_book(&incs, replace);
        let mut days = [a, b, c];
        days.sort_unstable();
        let d = |n: i64| date!(2020 - 01 - 01) + Duration::days(n);
        let whole = book.consumption(&flat(), MeterKind::ColdWater, d(days[0]), d(days[2])).total;
        let left = book.consumption(&flat(), MeterKind::ColdWater, d(days[0]), d(days[1])).total;
        let right = book.consumption(&flat(), MeterKind::ColdWater, d(days[1]), d(days[2])).total;
        prop_assert_eq!(left.checked_add(right), Some(whole));
    }

    #[test]
    fn splitting_at_the_replacement_gives_the_same_total(incs in increments(), replace in 0usize..25, a in 0i64..200, extra in 0i64..900) {
        let book = random_book(&incs, replace);
        let Some(new) = book.meter(&"B".parse().unwrap()) else { return Ok(()); };
        let r = new.installed_on;
        let start = date!(2020 - 01 - 01) + Duration::days(a);
        let end = r + Duration::days(extra);
        prop_assume!(start <= r);
        let whole = book.consumption(&flat(), MeterKind::ColdWater, start, end).total;
        let split = book.consumption(&flat(), MeterKind::ColdWater, start, r).total
            .checked_add(book.consumption(&flat(), MeterKind::ColdWater, r, end).total);
        prop_assert_eq!(split, Some(whole));
    }

    #[test]
    fn accepted_readings_never_give_negative_consumption(
        submissions in prop::collection::vec((0i64..400, 0u32..400_000), 1..20),
    ) {
        let mut book = MeterBook::new();
        book.add_meter(Meter::new("ZW", MeterKind::ColdWater, flat(), date!(2024 - 01 - 01), q("50")).unwrap()).unwrap();
        let today = date!(2025 - 12 - 31);
        for (day, value) in submissions {
            let d = date!(2024 - 01 - 01) + Duration::days(day);
            let v = Quantity::from_thousandths(i64::from(value)).unwrap().to_string();
            let _ = book.submit_reading(&flat(), "ZW", d, &v, &ValidationOptions::new(today));
        }
        let readings = book.readings_of(&"ZW".parse().unwrap());
        for w in readings.windows(2) {
            prop_assert!(w[0].value <= w[1].value);
        }
        for m in 0..24 {
            let from = date!(2024 - 01 - 01) + Duration::days(m * 17);
            let c = book.consumption(&flat(), MeterKind::ColdWater, from, from + Duration::days(30));
            prop_assert!(c.total.thousandths() >= 0);
            prop_assert!(c.parts.iter().all(|p| p.amount.thousandths() >= 0));
        }
    }

    #[test]
    fn validation_never_panics(serial in ".{0,12}", value in ".{0,16}", day in -1000i64..1000) {
        let mut book = validation_book();
        let d = date!(2025 - 01 - 01) + Duration::days(day);
        let before = book.clone();
        let v = book.submit_reading(&flat(), &serial, d, &value, &ValidationOptions::new(date!(2025 - 06 - 01)));
        if !v.is_accepted() {
            prop_assert_eq!(book, before);
        }
    }
}
