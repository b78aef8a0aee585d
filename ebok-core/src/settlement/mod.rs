//! Settlements (rozrachunki): due dates under KC art. 115, payment allocation under KC
//! art. 451, statutory late interest under KC art. 481, open items and arrears.
//!
//! | module | rule |
//! |---|---|
//! | [`holidays`] | Polish statutory holidays, working days |
//! | [`due`] | the cooperative's due day and the art. 115 shift |
//! | [`interest`] | the rate table and the interest computation |
//! | [`allocation`] | the art. 451 reference allocator |
//! | [`open_items`](mod@open_items) | open items, arrears, credit, interest to a date and the "pay on D" projection |
//!
//! ```
//! use ebok_core::ledger::{Ledger, LedgerEntry};
//! use ebok_core::money::Money;
//! use ebok_core::premises::PremisesId;
//! use ebok_core::settlement::{SettlementPolicy, open_items};
//! use time::macros::date;
//!
//! let mut l = Ledger::new();
//! l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", Money::parse("500")?, date!(2025 - 01 - 01), date!(2025 - 01 - 10))?.posted(date!(2025 - 01 - 01)))?;
//! let items = open_items(&l, &PremisesId::new("1")?, date!(2025 - 03 - 20), None, &SettlementPolicy::default())?;
//! assert_eq!(items.arrears, Money::parse("500")?);
//! assert_eq!(items.interest_total, Money::parse("10.63")?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod allocation;
pub mod due;
pub mod holidays;
pub mod interest;
pub mod open_items;

use serde::{Deserialize, Serialize};
use time::Date;

pub use allocation::AllocationOrder;
pub use due::{DueDay, effective_due_date};
pub use interest::{DayBasis, RateTable, late_interest};
pub use open_items::{
    InterestProjection, OpenItem, OpenItems, open_items, open_items_of_many, project_interest,
};

/// Why a settlement input was refused.
///
/// ```
/// use ebok_core::settlement::SettlementError;
/// let e = SettlementError::InvalidDueDay { value: "0".into() };
/// assert_eq!(e.to_string(), "\"0\" is not a due day (1..=31 or \"last\")");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettlementError {
    /// Not a due day.
    #[error("{value:?} is not a due day (1..=31 or \"last\")")]
    InvalidDueDay {
        /// The refused value.
        value: String,
    },
    /// A row of a rate table is not `date;rate`.
    #[error("rate table line {line} {value:?}: {reason}")]
    InvalidRateRow {
        /// The line number (1-based).
        line: usize,
        /// The line.
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// A rate outside 0..=1000 % or with more than 4 decimals.
    #[error("rate {value} is not a percentage in 0..=1000 with at most 4 decimals")]
    InvalidRate {
        /// The refused rate.
        value: String,
    },
    /// A negative principal.
    #[error("principal {value} is negative")]
    NegativePrincipal {
        /// The refused principal.
        value: String,
    },
    /// A principal above the largest entry amount.
    #[error("principal {value} exceeds the largest entry amount")]
    PrincipalTooLarge {
        /// The refused principal.
        value: String,
    },
    /// A date outside the accepted range.
    #[error("{0}")]
    Date(String),
    /// A day the public-holiday calendar does not cover (before 1990-01-01, when the statutes
    /// differed, or after 2199-12-31).
    #[error("day {date} is outside the public-holiday calendar (1990-01-01..=2199-12-31)")]
    OutsideHolidayCalendar {
        /// The day asked for.
        date: Date,
    },
    /// A day the late-interest rate table has no rate for: no figure is computed rather than
    /// one that silently assumes 0 %.
    #[error("no late-interest rate for day {day} (the table starts on {first:?})")]
    NoRate {
        /// The first day without a rate.
        day: Date,
        /// The table's first day, if it has any row.
        first: Option<Date>,
    },
}

/// How a cooperative settles: its due day, the allocation order and the interest rules.
///
/// ```
/// use ebok_core::settlement::{AllocationOrder, DayBasis, DueDay, SettlementPolicy};
/// let p = SettlementPolicy::default();
/// assert_eq!(p.due_day, DueDay::Day(10));
/// assert_eq!(p.order, AllocationOrder::PrincipalOnly);
/// assert_eq!(p.basis, DayBasis::Days365);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementPolicy {
    /// The due day of monthly charges (default the 10th).
    pub due_day: DueDay,
    /// Interest first or principal only, within a debt.
    pub order: AllocationOrder,
    /// The day-count basis of interest.
    pub basis: DayBasis,
    /// The late-interest rate table.
    pub rates: RateTable,
}

impl Default for SettlementPolicy {
    fn default() -> Self {
        SettlementPolicy {
            due_day: DueDay::default(),
            order: AllocationOrder::default(),
            basis: DayBasis::default(),
            rates: RateTable::statutory(),
        }
    }
}
