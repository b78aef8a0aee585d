//! Due dates and statutory late interest as plain functions.

use ebok_core::settlement::{DayBasis, RateTable};

use crate::error::EbokError;
use crate::types::{CalendarDate, Money, core_money, money};

/// One stretch of days at one rate.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct InterestSegment {
    /// The first day.
    pub first_day: CalendarDate,
    /// The last day.
    pub last_day: CalendarDate,
    /// Days.
    pub days: i32,
    /// The annual rate in percent, e.g. `11.25`.
    pub rate_percent: String,
}

/// Statutory late interest on one principal (odsetki ustawowe za opóźnienie, KC art. 481).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct LateInterest {
    /// Days of delay.
    pub days: i32,
    /// The stretches at each rate.
    pub segments: Vec<InterestSegment>,
    /// The interest, rounded half-up to grosze.
    pub total: Money,
}

/// The effective due date of a nominal one (KC art. 115: a Saturday, Sunday or holiday moves
/// it to the next working day). A date before 1990, when the holiday statutes differed, is
/// refused.
#[uniffi::export]
pub fn effective_due_date(nominal: CalendarDate) -> Result<CalendarDate, EbokError> {
    Ok(ebok_core::settlement::effective_due_date(nominal)?)
}

/// Late interest on `principal` due on `effective_due` and paid on `paid_on`, at the statutory
/// rates, actual days over 365 (or over the year's actual length when `actual_year_length`).
#[uniffi::export]
pub fn late_interest(
    principal: Money,
    effective_due: CalendarDate,
    paid_on: CalendarDate,
    actual_year_length: bool,
) -> Result<LateInterest, EbokError> {
    let basis = if actual_year_length {
        DayBasis::Actual
    } else {
        DayBasis::Days365
    };
    let i = ebok_core::settlement::late_interest(
        core_money("principal", principal)?,
        effective_due,
        paid_on,
        &RateTable::statutory(),
        basis,
    )?;
    Ok(LateInterest {
        days: crate::records::days(i.days),
        segments: i
            .segments
            .iter()
            .map(|s| InterestSegment {
                first_day: s.first_day,
                last_day: s.last_day,
                days: crate::records::days(s.days),
                rate_percent: s.rate_percent.to_string(),
            })
            .collect(),
        total: money(i.total),
    })
}
