//! Calendar days and months as the library uses them.
//!
//! Dates are [`time::Date`]. The ledger stores them as day numbers (Julian days), and
//! accepts only dates within [`MIN_DATE`]..=[`MAX_DATE`], far wider than any cooperative's
//! records, so that day arithmetic can never overflow.
//!
//! ```
//! use ebok_core::calendar::YearMonth;
//! use time::macros::date;
//!
//! let m = YearMonth::of(date!(2025 - 05 - 12));
//! assert_eq!(m.to_string(), "2025-05");
//! assert_eq!(m.first_day(), date!(2025 - 05 - 01));
//! assert_eq!(m.last_day(), date!(2025 - 05 - 31));
//! assert_eq!(m.next().to_string(), "2025-06");
//! assert_eq!(m.polish_name(), "maj 2025");
//! ```

use std::fmt;
use std::str::FromStr;

use time::{Date, Month};

/// The earliest date the library accepts (1900-01-01).
pub const MIN_DATE: Date = time::macros::date!(1900 - 01 - 01);
/// The latest date the library accepts (2199-12-31).
pub const MAX_DATE: Date = time::macros::date!(2199 - 12 - 31);

/// A date outside [`MIN_DATE`]..=[`MAX_DATE`], or text that is not an ISO date.
///
/// ```
/// use ebok_core::calendar::parse_date;
/// assert!(parse_date("2025-02-30").is_err());
/// assert!(parse_date("1899-12-31").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// The text is not a date in the form `YYYY-MM-DD` (or `DD.MM.YYYY`).
    #[error("{value:?} is not a date in the form YYYY-MM-DD or DD.MM.YYYY")]
    Invalid {
        /// The refused text (at most 64 characters of it).
        value: String,
    },
    /// The date lies outside the range the library accepts.
    #[error("date {value} is outside 1900-01-01..=2199-12-31")]
    OutOfRange {
        /// The refused date.
        value: String,
    },
}

/// Checks that a date lies within [`MIN_DATE`]..=[`MAX_DATE`].
///
/// ```
/// use ebok_core::calendar::check_date;
/// use time::macros::date;
/// assert!(check_date(date!(2025 - 01 - 10)).is_ok());
/// assert!(check_date(date!(2300 - 01 - 01)).is_err());
/// ```
pub fn check_date(date: Date) -> Result<Date, DateError> {
    if (MIN_DATE..=MAX_DATE).contains(&date) {
        Ok(date)
    } else {
        Err(DateError::OutOfRange {
            value: date.to_string(),
        })
    }
}

/// Parses a date within the accepted range: ISO `YYYY-MM-DD`, or the Polish `DD.MM.YYYY`.
///
/// ```
/// use ebok_core::calendar::parse_date;
/// use time::macros::date;
/// assert_eq!(parse_date("2025-05-12")?, date!(2025 - 05 - 12));
/// assert_eq!(parse_date("12.05.2025")?, date!(2025 - 05 - 12));
/// # Ok::<(), ebok_core::calendar::DateError>(())
/// ```
pub fn parse_date(text: &str) -> Result<Date, DateError> {
    let invalid = || DateError::Invalid {
        value: text.chars().take(64).collect(),
    };
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = &b[r];
        s.iter()
            .all(u8::is_ascii_digit)
            .then(|| s.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
    };
    let parts = if b.len() != 10 {
        None
    } else if b[4] == b'-' && b[7] == b'-' {
        Some((num(0..4), num(5..7), num(8..10)))
    } else if b[2] == b'.' && b[5] == b'.' {
        // The Polish form DD.MM.YYYY, common in accounting exports.
        Some((num(6..10), num(3..5), num(0..2)))
    } else {
        None
    };
    let Some((Some(y), Some(m), Some(d))) = parts else {
        return Err(invalid());
    };
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(invalid)?;
    let day = u8::try_from(d).map_err(|_| invalid())?;
    let year = i32::try_from(y).map_err(|_| invalid())?;
    let date = Date::from_calendar_date(year, month, day).map_err(|_| invalid())?;
    check_date(date)
}

/// The day number (Julian day) of a date: consecutive days have consecutive numbers.
///
/// ```
/// use ebok_core::calendar::day_number;
/// use time::macros::date;
/// assert_eq!(day_number(date!(2025 - 03 - 20)) - day_number(date!(2025 - 01 - 10)), 69);
/// ```
pub fn day_number(date: Date) -> i32 {
    date.to_julian_day()
}

/// The date of a day number, clamped into [`MIN_DATE`]..=[`MAX_DATE`].
///
/// ```
/// use ebok_core::calendar::{date_of_day, day_number};
/// use time::macros::date;
/// assert_eq!(date_of_day(day_number(date!(2025 - 05 - 12))), date!(2025 - 05 - 12));
/// ```
pub fn date_of_day(day: i32) -> Date {
    let day = day.clamp(day_number(MIN_DATE), day_number(MAX_DATE));
    Date::from_julian_day(day).unwrap_or(MIN_DATE)
}

/// The date `days` days after `date` (before, if negative), clamped into the accepted range.
///
/// ```
/// use ebok_core::calendar::add_days;
/// use time::macros::date;
/// assert_eq!(add_days(date!(2025 - 12 - 31), 1), date!(2026 - 01 - 01));
/// ```
pub fn add_days(date: Date, days: i64) -> Date {
    let d = i64::from(day_number(date)).saturating_add(days);
    date_of_day(i32::try_from(d).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX }))
}

/// A calendar month of a year (miesiąc rozliczeniowy), the period of a monthly statement.
///
/// Orders chronologically; displays and parses as `YYYY-MM`.
///
/// ```
/// use ebok_core::calendar::YearMonth;
/// let m: YearMonth = "2024-12".parse()?;
/// assert_eq!(m.next().to_string(), "2025-01");
/// assert_eq!(m.previous().to_string(), "2024-11");
/// # Ok::<(), ebok_core::calendar::DateError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u8,
}

impl YearMonth {
    /// The month containing a date.
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// # use time::macros::date;
    /// assert_eq!(YearMonth::of(date!(2026 - 02 - 28)).to_string(), "2026-02");
    /// ```
    pub fn of(date: Date) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: u8::from(date.month()),
        }
    }

    /// A month from a year and a month number 1..=12, within the accepted date range.
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// assert!(YearMonth::new(2025, 13).is_err());
    /// assert_eq!(YearMonth::new(2025, 1)?.to_string(), "2025-01");
    /// # Ok::<(), ebok_core::calendar::DateError>(())
    /// ```
    pub fn new(year: i32, month: u8) -> Result<YearMonth, DateError> {
        let m = Month::try_from(month).map_err(|_| DateError::Invalid {
            value: format!("{year:04}-{month:02}"),
        })?;
        let first = Date::from_calendar_date(year, m, 1).map_err(|_| DateError::Invalid {
            value: format!("{year:04}-{month:02}"),
        })?;
        check_date(first)?;
        Ok(YearMonth { year, month })
    }

    /// The year.
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// assert_eq!(YearMonth::new(2025, 5).unwrap().year(), 2025);
    /// ```
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month number, 1..=12.
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// assert_eq!(YearMonth::new(2025, 5).unwrap().month(), 5);
    /// ```
    pub fn month(self) -> u8 {
        self.month
    }

    fn time_month(self) -> Month {
        Month::try_from(self.month).unwrap_or(Month::January)
    }

    /// The first day of the month.
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// # use time::macros::date;
    /// assert_eq!(YearMonth::new(2024, 2).unwrap().first_day(), date!(2024 - 02 - 01));
    /// ```
    pub fn first_day(self) -> Date {
        Date::from_calendar_date(self.year, self.time_month(), 1).unwrap_or(MIN_DATE)
    }

    /// The last day of the month.
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// # use time::macros::date;
    /// assert_eq!(YearMonth::new(2024, 2).unwrap().last_day(), date!(2024 - 02 - 29));
    /// ```
    pub fn last_day(self) -> Date {
        let days = self.time_month().length(self.year);
        Date::from_calendar_date(self.year, self.time_month(), days).unwrap_or(MAX_DATE)
    }

    /// The day `day` of this month, clamped to the month's last day (31 in February is the 28th or 29th).
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// # use time::macros::date;
    /// assert_eq!(YearMonth::new(2025, 2).unwrap().day_clamped(31), date!(2025 - 02 - 28));
    /// ```
    pub fn day_clamped(self, day: u8) -> Date {
        let last = self.time_month().length(self.year);
        Date::from_calendar_date(self.year, self.time_month(), day.clamp(1, last))
            .unwrap_or_else(|_| self.first_day())
    }

    /// The following month.
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// assert_eq!(YearMonth::new(2025, 12).unwrap().next().to_string(), "2026-01");
    /// ```
    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The preceding month.
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// assert_eq!(YearMonth::new(2025, 1).unwrap().previous().to_string(), "2024-12");
    /// ```
    pub fn previous(self) -> YearMonth {
        if self.month == 1 {
            YearMonth {
                year: self.year - 1,
                month: 12,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The month `n` months later (earlier if negative).
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// assert_eq!(YearMonth::new(2025, 5).unwrap().plus_months(-11).to_string(), "2024-06");
    /// ```
    pub fn plus_months(self, n: i32) -> YearMonth {
        let index = self.year * 12 + i32::from(self.month) - 1 + n;
        YearMonth {
            year: index.div_euclid(12),
            month: u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1),
        }
    }

    /// The month's name in Polish with the year, e.g. `maj 2025`.
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// assert_eq!(YearMonth::new(2025, 12).unwrap().polish_name(), "grudzień 2025");
    /// ```
    pub fn polish_name(self) -> String {
        crate::messages::Language::Polish.month(self)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || DateError::Invalid {
            value: s.chars().take(64).collect(),
        };
        let (y, m) = s.split_once('-').ok_or_else(invalid)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(invalid());
        }
        let year: i32 = y.parse().map_err(|_| invalid())?;
        let month: u8 = m.parse().map_err(|_| invalid())?;
        YearMonth::new(year, month)
    }
}

serde_as_text!(YearMonth);

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn parses_iso_dates_strictly() {
        assert_eq!(parse_date("2024-02-29"), Ok(date!(2024 - 02 - 29)));
        for bad in [
            "2023-02-29",
            "2025-1-01",
            "20250101",
            "2025-13-01",
            "abcd-ef-gh",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            parse_date("2200-01-01"),
            Err(DateError::OutOfRange { .. })
        ));
    }

    #[test]
    fn months_step_across_years() {
        let m = YearMonth::new(2025, 1).unwrap();
        assert_eq!(m.plus_months(-1), m.previous());
        assert_eq!(m.plus_months(12).to_string(), "2026-01");
        assert_eq!(m.previous().next(), m);
        assert!("2025-5".parse::<YearMonth>().is_err());
    }
}
