//! Polish statutory public holidays (dni ustawowo wolne od pracy) and working days.
//!
//! The list follows the act of 18 January 1951 on days free from work (ustawa o dniach
//! wolnych od pracy) as amended, **from 1990-01-01 on**:
//! Sundays; 1 January; 6 January from 2011 (act of 24 September 2010); Easter Sunday and
//! Monday; 1 May; 3 May (restored by the act of 6 April 1990); Pentecost Sunday; Corpus
//! Christi; 15 August; 1 and 11 November; 25 and 26 December; 24 December from 2025 (act of
//! 6 December 2024); and the one-off holiday of 12 November 2018 (act of 25 October 2018,
//! the centenary of independence). Moving feasts are computed from Easter.
//!
//! Before 1990 the list differed (22 July was a holiday and 3 May was not; 15 August and
//! 11 November return only in 1989): a date before [`FIRST_DAY`] is refused with
//! [`SettlementError::OutsideHolidayCalendar`], never answered with today's list. Dates after
//! today are answered with the statutes in force now. The calendar is checked day by day from
//! 1990-01-01 to 2035-12-31 against the independent `holidays` package (country PL) in the
//! Python tests (`ebok-py/tests/test_holidays.py`).
//!
//! ```
//! use ebok_core::settlement::holidays::{easter_sunday, is_public_holiday};
//! use time::macros::date;
//! assert_eq!(easter_sunday(2025), date!(2025 - 04 - 20));
//! assert!(is_public_holiday(date!(2025 - 06 - 19))?); // Corpus Christi 2025
//! assert!(is_public_holiday(date!(2025 - 12 - 24))?);
//! assert!(!is_public_holiday(date!(2024 - 12 - 24))?);
//! assert!(is_public_holiday(date!(2018 - 11 - 12))?); // one-off, act of 25 October 2018
//! assert!(is_public_holiday(date!(1985 - 07 - 22)).is_err()); // before the supported calendar
//! # Ok::<(), ebok_core::settlement::SettlementError>(())
//! ```

use time::{Date, Duration, Month, Weekday};

use super::SettlementError;
use crate::calendar::{MAX_DATE, MIN_DATE};

/// The first day the holiday calendar answers for (1990-01-01).
pub const FIRST_DAY: Date = time::macros::date!(1990 - 01 - 01);

/// One-off public holidays set by their own acts.
const ONE_OFF: [Date; 1] = [
    // Ustawa z dnia 25 października 2018 r. o ustanowieniu Narodowego Święta Niepodległości
    // w 2018 r. (Dz.U. 2018 poz. 2024).
    time::macros::date!(2018 - 11 - 12),
];

fn check_supported(date: Date) -> Result<(), SettlementError> {
    if date < FIRST_DAY || date > MAX_DATE {
        Err(SettlementError::OutsideHolidayCalendar { date })
    } else {
        Ok(())
    }
}

/// Easter Sunday of a year (Gregorian computus, Meeus/Jones/Butcher).
///
/// ```
/// use ebok_core::settlement::holidays::easter_sunday;
/// use time::macros::date;
/// assert_eq!(easter_sunday(2026), date!(2026 - 04 - 05));
/// assert_eq!(easter_sunday(2024), date!(2024 - 03 - 31));
/// ```
pub fn easter_sunday(year: i32) -> Date {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    let month = if month == 3 {
        Month::March
    } else {
        Month::April
    };
    Date::from_calendar_date(year, month, u8::try_from(day).unwrap_or(1)).unwrap_or(MIN_DATE)
}

/// Whether a date is a statutory public holiday in Poland (Sundays included).
///
/// ```
/// use ebok_core::settlement::holidays::is_public_holiday;
/// use time::macros::date;
/// assert!(is_public_holiday(date!(2024 - 11 - 11))?);
/// assert!(is_public_holiday(date!(2026 - 05 - 24))?); // Pentecost Sunday 2026
/// assert!(!is_public_holiday(date!(2025 - 05 - 10))?); // a Saturday is not a holiday
/// assert!(!is_public_holiday(date!(2010 - 01 - 06))?); // Epiphany only from 2011
/// # Ok::<(), ebok_core::settlement::SettlementError>(())
/// ```
pub fn is_public_holiday(date: Date) -> Result<bool, SettlementError> {
    check_supported(date)?;
    if date.weekday() == Weekday::Sunday {
        return Ok(true);
    }
    let year = date.year();
    let fixed = match (date.month(), date.day()) {
        (Month::January, 1)
        | (Month::May, 1 | 3)
        | (Month::August, 15)
        | (Month::November, 1 | 11)
        | (Month::December, 25 | 26) => true,
        (Month::January, 6) => year >= 2011,
        (Month::December, 24) => year >= 2025,
        _ => false,
    };
    if fixed || ONE_OFF.contains(&date) {
        return Ok(true);
    }
    let easter = easter_sunday(year);
    let offset = (date - easter).whole_days();
    // Easter Sunday, Easter Monday, Pentecost Sunday (+49), Corpus Christi (+60).
    Ok(matches!(offset, 0 | 1 | 49 | 60))
}

/// Whether a date is a working day for KC art. 115: neither a Saturday nor a public holiday.
///
/// ```
/// use ebok_core::settlement::holidays::is_working_day;
/// use time::macros::date;
/// assert!(is_working_day(date!(2025 - 05 - 12))?);
/// assert!(!is_working_day(date!(2025 - 05 - 10))?);
/// # Ok::<(), ebok_core::settlement::SettlementError>(())
/// ```
pub fn is_working_day(date: Date) -> Result<bool, SettlementError> {
    Ok(date.weekday() != Weekday::Saturday && !is_public_holiday(date)?)
}

/// The first working day on or after `date` (never earlier than `date`).
///
/// ```
/// use ebok_core::settlement::holidays::next_working_day;
/// use time::macros::date;
/// assert_eq!(next_working_day(date!(2025 - 12 - 24))?, date!(2025 - 12 - 29));
/// assert_eq!(next_working_day(date!(2018 - 11 - 10))?, date!(2018 - 11 - 13));
/// # Ok::<(), ebok_core::settlement::SettlementError>(())
/// ```
pub fn next_working_day(date: Date) -> Result<Date, SettlementError> {
    let mut d = date;
    // At most a handful of steps (the longest run of non-working days is under a week).
    for _ in 0..14 {
        if is_working_day(d)? || d >= MAX_DATE {
            return Ok(d);
        }
        d += Duration::days(1);
    }
    Ok(d)
}
