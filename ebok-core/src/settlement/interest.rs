//! Statutory late-payment interest (odsetki ustawowe za opóźnienie, KC art. 481).
//!
//! interest = principal × annual rate × days / 365, for each day from the day after the
//! effective (shifted) due date up to and including the payment date, split into segments
//! where the rate changes, rounded half-up to grosze **once**, at the end. A 366-day basis
//! for days of leap years is an option ([`DayBasis::Actual`]).
//!
//! The rate table ships as data (`data/late_interest_rates.csv`) and can be replaced or
//! extended at run time.
//!
//! ```
//! use ebok_core::money::Money;
//! use ebok_core::settlement::interest::{DayBasis, RateTable, late_interest};
//! use time::macros::date;
//!
//! let table = RateTable::statutory();
//! let i = late_interest(Money::parse("1000.00")?, date!(2025 - 04 - 10), date!(2025 - 07 - 15), &table, DayBasis::Days365)?;
//! assert_eq!(i.total, Money::parse("28.55")?);
//! assert_eq!(i.segments.len(), 3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use super::SettlementError;
use crate::calendar::{add_days, check_date, day_number, parse_date};
use crate::money::Money;

/// The statutory rate table as shipped.
const STATUTORY_RATES: &str = include_str!("../../data/late_interest_rates.csv");

/// Rates are held in millionths of a percent-point fraction: 1 % = 10 000 units.
const RATE_UNITS_PER_PERCENT: i128 = 10_000;

/// A dated table of annual interest rates: each rate applies from its date until the next one.
///
/// ```
/// use ebok_core::settlement::interest::RateTable;
/// use rust_decimal::Decimal;
/// use time::macros::date;
/// let t = RateTable::statutory();
/// assert_eq!(t.rate_on(date!(2025 - 05 - 08)), Some(Decimal::new(1075, 2)));
/// assert_eq!(t.rate_on(date!(2015 - 12 - 31)), Some(Decimal::new(8, 0)));
/// assert_eq!(t.rate_on(date!(1993 - 04 - 30)), None);
/// let extended = t.with_rate(date!(2026 - 12 - 01), Decimal::new(900, 2))?;
/// assert_eq!(extended.rate_on(date!(2027 - 01 - 01)), Some(Decimal::new(9, 0)));
/// # Ok::<(), ebok_core::settlement::SettlementError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RateTable {
    /// Effective-from day number → rate in units of 1/10 000 of a percent.
    rates: BTreeMap<i32, i64>,
}

impl RateTable {
    /// The statutory late-interest table shipped with the library (NBP reference + 5.5 pp).
    ///
    /// ```
    /// use ebok_core::settlement::interest::RateTable;
    /// let t = RateTable::statutory();
    /// assert!(t.len() >= 39);
    /// assert_eq!(t.rows()[0].0, time::macros::date!(1993 - 05 - 01));
    /// ```
    pub fn statutory() -> RateTable {
        // The shipped data is checked by a test; an empty table would only mean no interest.
        RateTable::parse(STATUTORY_RATES).unwrap_or_default()
    }

    /// Parses a table: one row per line, `YYYY-MM-DD;rate` (more `;`-separated columns are
    /// ignored; `,` works too, and a decimal comma in the rate); `#` starts a comment line.
    ///
    /// ```
    /// use ebok_core::settlement::interest::RateTable;
    /// let t = RateTable::parse("2024-01-01;11,25\n# comment\n2025-01-01;10.5;ignored")?;
    /// assert_eq!(t.len(), 2);
    /// assert!(RateTable::parse("2024-01-01;x").is_err());
    /// # Ok::<(), ebok_core::settlement::SettlementError>(())
    /// ```
    pub fn parse(text: &str) -> Result<RateTable, SettlementError> {
        let mut table = RateTable::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split(';');
            let (Some(date), Some(rate)) = (cols.next(), cols.next()) else {
                return Err(SettlementError::InvalidRateRow {
                    line: n + 1,
                    value: line.chars().take(64).collect(),
                    reason: "expected `YYYY-MM-DD;rate`",
                });
            };
            let bad = |reason| SettlementError::InvalidRateRow {
                line: n + 1,
                value: line.chars().take(64).collect(),
                reason,
            };
            let date = parse_date(date.trim()).map_err(|_| bad("not a date YYYY-MM-DD"))?;
            let rate = Decimal::from_str_exact(&rate.trim().replace(',', "."))
                .map_err(|_| bad("not a rate in percent"))?;
            table = table
                .with_rate(date, rate)
                .map_err(|_| bad("rate out of range"))?;
        }
        Ok(table)
    }

    /// The same table with one more rate from `from` (replacing a rate from the same day).
    /// The rate is in percent per year, 0..=1000, with at most 4 decimals.
    ///
    /// ```
    /// use ebok_core::settlement::interest::RateTable;
    /// use rust_decimal::Decimal;
    /// use time::macros::date;
    /// assert!(RateTable::default().with_rate(date!(2025 - 01 - 01), Decimal::new(-1, 0)).is_err());
    /// ```
    pub fn with_rate(mut self, from: Date, percent: Decimal) -> Result<RateTable, SettlementError> {
        let err = || SettlementError::InvalidRate {
            value: percent.to_string(),
        };
        check_date(from).map_err(|_| err())?;
        let n = percent.normalize();
        if n.scale() > 4 || n.is_sign_negative() || n > Decimal::from(1000) {
            return Err(err());
        }
        let units = n.mantissa() * 10i128.pow(4 - n.scale());
        self.rates
            .insert(day_number(from), i64::try_from(units).map_err(|_| err())?);
        Ok(self)
    }

    /// The number of rates.
    ///
    /// ```
    /// use ebok_core::settlement::interest::RateTable;
    /// assert_eq!(RateTable::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.rates.len()
    }

    /// Whether the table is empty.
    ///
    /// ```
    /// use ebok_core::settlement::interest::RateTable;
    /// assert!(RateTable::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.rates.is_empty()
    }

    /// The rate (percent per year) in force on a day; `None` before the first row.
    ///
    /// ```
    /// use ebok_core::settlement::interest::RateTable;
    /// use rust_decimal::Decimal;
    /// use time::macros::date;
    /// assert_eq!(RateTable::statutory().rate_on(date!(2022 - 07 - 08)), Some(Decimal::new(12, 0)));
    /// ```
    pub fn rate_on(&self, date: Date) -> Option<Decimal> {
        self.units_on(day_number(date))
            .map(|u| Decimal::new(u, 4).normalize())
    }

    fn units_on(&self, day: i32) -> Option<i64> {
        self.rates.range(..=day).next_back().map(|(_, &u)| u)
    }

    /// Every row: effective-from date and rate in percent, in date order.
    ///
    /// ```
    /// use ebok_core::settlement::interest::RateTable;
    /// let rows = RateTable::statutory().rows();
    /// assert_eq!(rows[0].1.to_string(), "54");
    /// ```
    pub fn rows(&self) -> Vec<(Date, Decimal)> {
        self.rates
            .iter()
            .map(|(&d, &u)| {
                (
                    crate::calendar::date_of_day(d),
                    Decimal::new(u, 4).normalize(),
                )
            })
            .collect()
    }

    /// Constant-rate segments covering days `first..=last` (day numbers); a day before the
    /// first row is an error, never a 0 % segment.
    fn segments(&self, first: i32, last: i32) -> Result<Vec<(i32, i32, i64)>, SettlementError> {
        let mut out = Vec::new();
        let mut start = first;
        while start <= last {
            let rate = self
                .units_on(start)
                .ok_or_else(|| SettlementError::NoRate {
                    day: crate::calendar::date_of_day(start),
                    first: self
                        .rates
                        .keys()
                        .next()
                        .map(|&d| crate::calendar::date_of_day(d)),
                })?;
            let next_change = self
                .rates
                .range(start + 1..)
                .next()
                .map_or(i32::MAX, |(&d, _)| d);
            let end = last.min(next_change.saturating_sub(1));
            out.push((start, end, rate));
            start = end + 1;
        }
        Ok(out)
    }
}

/// How a year's days are counted.
///
/// ```
/// use ebok_core::settlement::interest::DayBasis;
/// assert_eq!(DayBasis::default(), DayBasis::Days365);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayBasis {
    /// Every year counts 365 days (the common practice; the default).
    #[default]
    Days365,
    /// Days of leap years count 1/366 of the annual rate, others 1/365.
    Actual,
}

/// One constant-rate stretch of an interest computation.
///
/// ```
/// use ebok_core::money::Money;
/// use ebok_core::settlement::interest::{DayBasis, RateTable, late_interest};
/// use time::macros::date;
/// let i = late_interest(Money::parse("500")?, date!(2025 - 01 - 10), date!(2025 - 03 - 20), &RateTable::statutory(), DayBasis::Days365)?;
/// assert_eq!(i.segments[0].days, 69);
/// assert_eq!(i.segments[0].first_day, date!(2025 - 01 - 11));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterestSegment {
    /// The first day counted.
    pub first_day: Date,
    /// The last day counted.
    pub last_day: Date,
    /// How many days.
    pub days: u32,
    /// The annual rate in percent.
    pub rate_percent: Decimal,
    /// The segment's exact interest (not rounded), in złoty.
    pub exact: Decimal,
}

/// The result of an interest computation.
///
/// ```
/// use ebok_core::money::Money;
/// use ebok_core::settlement::interest::{DayBasis, RateTable, late_interest};
/// use time::macros::date;
/// let i = late_interest(Money::parse("500")?, date!(2025 - 05 - 12), date!(2025 - 05 - 12), &RateTable::statutory(), DayBasis::Days365)?;
/// assert_eq!(i.total, Money::ZERO);
/// assert_eq!(i.days, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interest {
    /// The principal.
    pub principal: Money,
    /// The effective due date (interest starts the day after).
    pub effective_due: Date,
    /// The payment date (counted).
    pub paid_on: Date,
    /// Days counted.
    pub days: u32,
    /// Constant-rate segments.
    pub segments: Vec<InterestSegment>,
    /// The interest, rounded half-up to grosze once.
    pub total: Money,
}

/// Exact interest as a fraction: numerator over [`DENOMINATOR`] grosze.
pub(crate) const DENOMINATOR: i128 = 365 * 366 * 100 * RATE_UNITS_PER_PERCENT;

fn is_leap(year: i32) -> bool {
    time::util::is_leap_year(year)
}

/// The exact interest numerator (over [`DENOMINATOR`] grosze) on `principal_grosze` for the days
/// `first..=last` (day numbers), split where the rate or (with [`DayBasis::Actual`]) the year
/// changes. A day the table has no rate for is [`SettlementError::NoRate`].
pub(crate) fn exact_interest(
    principal_grosze: i64,
    first: i32,
    last: i32,
    table: &RateTable,
    basis: DayBasis,
    mut on_segment: impl FnMut(i32, i32, i64, i128),
) -> Result<i128, SettlementError> {
    let mut total: i128 = 0;
    if first > last || principal_grosze <= 0 {
        return Ok(0);
    }
    for (s, e, rate) in table.segments(first, last)? {
        // Split at year boundaries so each piece has one day basis.
        let mut start = s;
        while start <= e {
            let year = crate::calendar::date_of_day(start).year();
            let year_end = day_number(
                Date::from_calendar_date(year, time::Month::December, 31)
                    .unwrap_or(crate::calendar::MAX_DATE),
            );
            let end = match basis {
                DayBasis::Days365 => e,
                DayBasis::Actual => e.min(year_end),
            };
            let days = i128::from(end - start + 1);
            let per_year = match basis {
                DayBasis::Days365 => 365,
                DayBasis::Actual if is_leap(year) => 366,
                DayBasis::Actual => 365,
            };
            // principal × rate/100 × days / per_year, over DENOMINATOR = 365·366·100·10⁴.
            let num =
                i128::from(principal_grosze) * i128::from(rate) * days * (365 * 366 / per_year);
            on_segment(start, end, rate, num);
            total += num;
            start = end + 1;
        }
    }
    Ok(total)
}

/// Rounds an exact interest numerator half-up to grosze.
pub(crate) fn round_grosze(numerator: i128) -> i64 {
    let q = (numerator + DENOMINATOR / 2).div_euclid(DENOMINATOR);
    i64::try_from(q).unwrap_or(i64::MAX)
}

/// Statutory late interest on `principal` due on `effective_due` (already shifted under
/// KC art. 115) and paid on `paid_on`: days from the day after the due date to the payment
/// date inclusive; zero when paid on or before the due date. A day the table has no rate
/// for is refused with [`SettlementError::NoRate`] naming the day.
///
/// ```
/// use ebok_core::money::Money;
/// use ebok_core::settlement::SettlementError;
/// use ebok_core::settlement::interest::{DayBasis, RateTable, late_interest};
/// use time::macros::date;
/// // Across 2016-01-01: 21 days at 8 % (Dz.U. 2014 poz. 1858), then 31 days at 7 %.
/// let i = late_interest(Money::parse("1000.00")?, date!(2015 - 12 - 10), date!(2016 - 01 - 31), &RateTable::statutory(), DayBasis::Days365)?;
/// assert_eq!(i.total, Money::parse("10.55")?);
/// let err = late_interest(Money::parse("1000.00")?, date!(1993 - 04 - 20), date!(1993 - 05 - 10), &RateTable::statutory(), DayBasis::Days365).unwrap_err();
/// assert_eq!(err, SettlementError::NoRate { day: date!(1993 - 04 - 21), first: Some(date!(1993 - 05 - 01)) });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// ```
/// use ebok_core::money::Money;
/// use ebok_core::settlement::interest::{DayBasis, RateTable, late_interest};
/// use time::macros::date;
/// let t = RateTable::statutory();
/// let i = late_interest(Money::parse("300.00")?, date!(2024 - 01 - 10), date!(2024 - 03 - 11), &t, DayBasis::Days365)?;
/// assert_eq!(i.total, Money::parse("5.64")?);
/// let i = late_interest(Money::parse("300.00")?, date!(2024 - 01 - 10), date!(2024 - 03 - 11), &t, DayBasis::Actual)?;
/// assert_eq!(i.total, Money::parse("5.63")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn late_interest(
    principal: Money,
    effective_due: Date,
    paid_on: Date,
    table: &RateTable,
    basis: DayBasis,
) -> Result<Interest, SettlementError> {
    if principal.is_negative() {
        return Err(SettlementError::NegativePrincipal {
            value: principal.to_string(),
        });
    }
    if principal.abs() > crate::ledger::MAX_ENTRY_AMOUNT {
        return Err(SettlementError::PrincipalTooLarge {
            value: principal.to_string(),
        });
    }
    check_date(effective_due).map_err(|e| SettlementError::Date(e.to_string()))?;
    check_date(paid_on).map_err(|e| SettlementError::Date(e.to_string()))?;
    let (first, last) = (day_number(effective_due) + 1, day_number(paid_on));
    let mut segments: Vec<InterestSegment> = Vec::new();
    let total = exact_interest(
        principal.grosze(),
        first,
        last,
        table,
        basis,
        |s, e, rate, num| {
            let rate_percent = Decimal::new(rate, 4).normalize();
            let exact = Decimal::from_i128_with_scale(num, 0)
                .checked_div(Decimal::from_i128_with_scale(DENOMINATOR, 0))
                .unwrap_or_default()
                .checked_div(Decimal::ONE_HUNDRED)
                .unwrap_or_default();
            segments.push(InterestSegment {
                first_day: crate::calendar::date_of_day(s),
                last_day: crate::calendar::date_of_day(e),
                days: u32::try_from(e - s + 1).unwrap_or(0),
                rate_percent,
                exact,
            });
        },
    )?;
    Ok(Interest {
        principal,
        effective_due,
        paid_on,
        days: u32::try_from((last - first + 1).max(0)).unwrap_or(0),
        segments,
        total: Money::from_grosze(round_grosze(total)),
    })
}

/// The same as [`late_interest`] with `add_days` convenience: interest for `days` days after the due date.
///
/// ```
/// use ebok_core::money::Money;
/// use ebok_core::settlement::interest::{DayBasis, RateTable, interest_for_days};
/// use time::macros::date;
/// let i = interest_for_days(Money::parse("500")?, date!(2025 - 05 - 12), 1, &RateTable::statutory(), DayBasis::Days365)?;
/// assert_eq!(i.total, Money::parse("0.15")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn interest_for_days(
    principal: Money,
    effective_due: Date,
    days: u32,
    table: &RateTable,
    basis: DayBasis,
) -> Result<Interest, SettlementError> {
    late_interest(
        principal,
        effective_due,
        add_days(effective_due, i64::from(days)),
        table,
        basis,
    )
}
