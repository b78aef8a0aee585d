//! Polish statutory public holidays (dni ustawowo wolne od pracy) and working days.
//!
//! Sundays; 1 and 6 January; Easter Sunday and Monday; 1 and 3 May; Pentecost Sunday;
//! Corpus Christi; 15 August; 1 and 11 November; 25 and 26 December; and 24 December from
//! 2025 on (law of 6 December 2024). Moving feasts are computed from Easter.
//!
//! ```
//! use ebok_core::settlement::holidays::{easter_sunday, is_public_holiday};
//! use time::macros::date;
//! assert_eq!(easter_sunday(2025), date!(2025 - 04 - 20));
//! assert!(is_public_holiday(date!(2025 - 06 - 19))); // Corpus Christi 2025
//! assert!(is_public_holiday(date!(2025 - 12 - 24)));
//! assert!(!is_public_holiday(date!(2024 - 12 - 24)));
//! ```

use time::{Date, Duration, Month, Weekday};

use crate::calendar::{MAX_DATE, MIN_DATE};

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
/// assert!(is_public_holiday(date!(2024 - 11 - 11)));
/// assert!(is_public_holiday(date!(2026 - 05 - 24))); // Pentecost Sunday 2026
/// assert!(!is_public_holiday(date!(2025 - 05 - 10))); // a Saturday is not a holiday
/// ```
pub fn is_public_holiday(date: Date) -> bool {
    if date.weekday() == Weekday::Sunday {
        return true;
    }
    let fixed = matches!(
        (date.month(), date.day()),
        (Month::January, 1 | 6)
            | (Month::May, 1 | 3)
            | (Month::August, 15)
            | (Month::November, 1 | 11)
            | (Month::December, 25 | 26)
    );
    if fixed || (date.month() == Month::December && date.day() == 24 && date.year() >= 2025) {
        return true;
    }
    let easter = easter_sunday(date.year());
    let offset = (date - easter).whole_days();
    // Easter Sunday, Easter Monday, Pentecost Sunday (+49), Corpus Christi (+60).
    matches!(offset, 0 | 1 | 49 | 60)
}

/// Whether a date is a working day for KC art. 115: neither a Saturday nor a public holiday.
///
/// ```
/// use ebok_core::settlement::holidays::is_working_day;
/// use time::macros::date;
/// assert!(is_working_day(date!(2025 - 05 - 12)));
/// assert!(!is_working_day(date!(2025 - 05 - 10)));
/// ```
pub fn is_working_day(date: Date) -> bool {
    date.weekday() != Weekday::Saturday && !is_public_holiday(date)
}

/// The first working day on or after `date` (never earlier than `date`).
///
/// ```
/// use ebok_core::settlement::holidays::next_working_day;
/// use time::macros::date;
/// assert_eq!(next_working_day(date!(2025 - 12 - 24)), date!(2025 - 12 - 29));
/// ```
pub fn next_working_day(date: Date) -> Date {
    let mut d = date;
    // At most a handful of steps (the longest run of non-working days is under a week).
    for _ in 0..14 {
        if is_working_day(d) || d >= MAX_DATE {
            return d;
        }
        d += Duration::days(1);
    }
    d
}
