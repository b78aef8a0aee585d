//! Legalization (legalizacja) of water meters: valid 5 years, counted from 1 January of the
//! year after the legalization year, or from 1 December of the year in an "M" conformity mark.

use std::fmt;
use std::str::FromStr;

use time::{Date, Month};

use super::MeterError;
use crate::calendar::MAX_DATE;

/// A meter's legalization mark.
///
/// ```
/// use ebok_core::meters::Legalization;
/// use time::macros::date;
/// assert_eq!(Legalization::Year(2021).valid_through(), date!(2026 - 12 - 31));
/// assert_eq!("M21".parse::<Legalization>()?.valid_through(), date!(2026 - 11 - 30));
/// assert_eq!(Legalization::MMark(2021).expires_on(), date!(2026 - 12 - 01));
/// # Ok::<(), ebok_core::meters::MeterError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Legalization {
    /// Legalized during this year; valid 5 years from 1 January of the next year.
    Year(i32),
    /// A conformity mark "M" with this year; re-legalize 5 years from 1 December of that year.
    MMark(i32),
}

/// Validity in years.
const VALID_YEARS: i32 = 5;

impl Legalization {
    /// The first day the legalization is no longer valid.
    ///
    /// ```
    /// use ebok_core::meters::Legalization;
    /// use time::macros::date;
    /// assert_eq!(Legalization::Year(2021).expires_on(), date!(2027 - 01 - 01));
    /// ```
    pub fn expires_on(self) -> Date {
        let (year, month) = match self {
            Legalization::Year(y) => (y + 1 + VALID_YEARS, Month::January),
            Legalization::MMark(y) => (y + VALID_YEARS, Month::December),
        };
        Date::from_calendar_date(year, month, 1).unwrap_or(MAX_DATE)
    }

    /// The last day the legalization is valid.
    ///
    /// ```
    /// use ebok_core::meters::Legalization;
    /// use time::macros::date;
    /// assert_eq!(Legalization::MMark(2021).valid_through(), date!(2026 - 11 - 30));
    /// ```
    pub fn valid_through(self) -> Date {
        self.expires_on().previous_day().unwrap_or(MAX_DATE)
    }

    /// Whether it is valid on a day.
    ///
    /// ```
    /// use ebok_core::meters::Legalization;
    /// use time::macros::date;
    /// assert!(Legalization::Year(2021).is_valid_on(date!(2026 - 12 - 31)));
    /// assert!(!Legalization::Year(2021).is_valid_on(date!(2027 - 01 - 01)));
    /// ```
    pub fn is_valid_on(self, day: Date) -> bool {
        day < self.expires_on()
    }
}

impl fmt::Display for Legalization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Legalization::Year(y) => write!(f, "{y}"),
            Legalization::MMark(y) => write!(f, "M{y}"),
        }
    }
}

impl FromStr for Legalization {
    type Err = MeterError;

    /// `2021`, `M21`, `M 21` or `M2021`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || MeterError::InvalidLegalization {
            value: t.chars().take(32).collect(),
        };
        let (mark, digits) = match t.strip_prefix(['M', 'm']) {
            Some(rest) => (true, rest.trim_start()),
            None => (false, t),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let n: i32 = digits.parse().map_err(|_| err())?;
        let year = match digits.len() {
            2 if mark => 2000 + n,
            4 => n,
            _ => return Err(err()),
        };
        if !(1950..=2150).contains(&year) {
            return Err(err());
        }
        Ok(if mark {
            Legalization::MMark(year)
        } else {
            Legalization::Year(year)
        })
    }
}

serde_as_text!(Legalization);
