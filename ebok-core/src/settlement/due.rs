//! Due dates (termin płatności): the cooperative's due day and the KC art. 115 shift.
//!
//! Charges are paid monthly in advance by the 10th (USM art. 4; UWL art. 15 for
//! communities); a statute may set another day, e.g. the 15th or the last day of the month.
//! A deadline that falls on a Saturday or a public holiday moves to the next working day
//! (KC art. 115), and interest can only start after that day.
//!
//! ```
//! use ebok_core::calendar::YearMonth;
//! use ebok_core::settlement::due::{DueDay, effective_due_date};
//! use time::macros::date;
//!
//! assert_eq!(effective_due_date(date!(2025 - 05 - 10))?, date!(2025 - 05 - 12));
//! let may = YearMonth::new(2025, 5)?;
//! assert_eq!(DueDay::default().nominal(may), date!(2025 - 05 - 10));
//! assert_eq!(DueDay::default().effective(may)?, date!(2025 - 05 - 12));
//! assert_eq!(DueDay::LastDay.nominal(may), date!(2025 - 05 - 31));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::Date;

use super::holidays::next_working_day;
use crate::calendar::YearMonth;

/// The effective due date of a nominal one: moved to the next working day when it falls on
/// a Saturday, a Sunday or a public holiday (KC art. 115). Never earlier than the nominal date.
/// A date outside the holiday calendar (before 1990) is refused.
///
/// ```
/// use ebok_core::settlement::due::effective_due_date;
/// use time::macros::date;
/// assert_eq!(effective_due_date(date!(2024 - 11 - 10))?, date!(2024 - 11 - 12));
/// assert_eq!(effective_due_date(date!(2024 - 12 - 24))?, date!(2024 - 12 - 24));
/// assert_eq!(effective_due_date(date!(2018 - 11 - 10))?, date!(2018 - 11 - 13));
/// assert!(effective_due_date(date!(1985 - 05 - 10)).is_err());
/// # Ok::<(), ebok_core::settlement::SettlementError>(())
/// ```
pub fn effective_due_date(nominal: Date) -> Result<Date, super::SettlementError> {
    next_working_day(nominal)
}

/// The cooperative's due day of the month (configuration; default the 10th).
///
/// ```
/// use ebok_core::settlement::due::DueDay;
/// assert_eq!("15".parse::<DueDay>()?, DueDay::Day(15));
/// assert_eq!("last".parse::<DueDay>()?, DueDay::LastDay);
/// assert!("32".parse::<DueDay>().is_err());
/// # Ok::<(), ebok_core::settlement::SettlementError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueDay {
    /// A day of the month, 1..=31; in shorter months, the month's last day.
    Day(u8),
    /// The last day of the month.
    LastDay,
}

impl Default for DueDay {
    fn default() -> Self {
        DueDay::Day(10)
    }
}

impl DueDay {
    /// A day of the month, 1..=31.
    ///
    /// ```
    /// use ebok_core::settlement::due::DueDay;
    /// assert!(DueDay::day(0).is_err());
    /// assert_eq!(DueDay::day(15)?, DueDay::Day(15));
    /// # Ok::<(), ebok_core::settlement::SettlementError>(())
    /// ```
    pub fn day(day: u8) -> Result<DueDay, super::SettlementError> {
        if (1..=31).contains(&day) {
            Ok(DueDay::Day(day))
        } else {
            Err(super::SettlementError::InvalidDueDay {
                value: day.to_string(),
            })
        }
    }

    /// The nominal due date in a month.
    ///
    /// ```
    /// use ebok_core::calendar::YearMonth;
    /// use ebok_core::settlement::due::DueDay;
    /// use time::macros::date;
    /// assert_eq!(DueDay::Day(31).nominal(YearMonth::new(2025, 2)?), date!(2025 - 02 - 28));
    /// # Ok::<(), ebok_core::calendar::DateError>(())
    /// ```
    pub fn nominal(self, month: YearMonth) -> Date {
        match self {
            DueDay::Day(d) => month.day_clamped(d),
            DueDay::LastDay => month.last_day(),
        }
    }

    /// The effective due date in a month, after the KC art. 115 shift.
    ///
    /// ```
    /// use ebok_core::calendar::YearMonth;
    /// use ebok_core::settlement::due::DueDay;
    /// use time::macros::date;
    /// assert_eq!(DueDay::default().effective(YearMonth::new(2026, 1)?)?, date!(2026 - 01 - 12));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn effective(self, month: YearMonth) -> Result<Date, super::SettlementError> {
        effective_due_date(self.nominal(month))
    }
}

impl fmt::Display for DueDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DueDay::Day(d) => write!(f, "{d}"),
            DueDay::LastDay => f.write_str("last"),
        }
    }
}

impl FromStr for DueDay {
    type Err = super::SettlementError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if matches!(t.to_lowercase().as_str(), "last" | "ostatni") {
            return Ok(DueDay::LastDay);
        }
        t.parse::<u8>()
            .ok()
            .and_then(|d| DueDay::day(d).ok())
            .ok_or_else(|| super::SettlementError::InvalidDueDay {
                value: t.chars().take(32).collect(),
            })
    }
}
