//! How far behind the accounting system runs: a posting-lag estimate from the data itself.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{EntryKind, Ledger};
use crate::calendar::{add_days, day_number};

/// Lags longer than this are corrections of old periods, not the posting delay of payments.
const MAX_LAG_CONSIDERED: i32 = 366;

/// An estimate of the posting lag (opóźnienie księgowania) of payments: how many days pass
/// between the money reaching the cooperative's account and the accounting system posting it,
/// measured over the payments posted in a recent window.
///
/// A view can then say "payments from the last N days may not be included yet" from evidence
/// instead of a fixed disclaimer (seed rule 4).
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use time::macros::date;
/// let mut l = Ledger::new();
/// for d in 1..=20u8 {
///     let credited = time::Date::from_calendar_date(2025, time::Month::May, d)?;
///     let lag = if d % 10 == 0 { 4 } else { 2 };
///     l.insert(LedgerEntry::payment(&format!("P{d}"), "1", Money::parse("10")?, credited)?
///         .posted(credited + time::Duration::days(lag)))?;
/// }
/// let lag = l.posting_lag(date!(2025 - 05 - 31), 90).unwrap();
/// assert_eq!(lag.sample_size, 20);
/// assert_eq!(lag.median_days, 2);
/// assert_eq!(lag.p95_days, 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingLag {
    /// The first posting day of the window.
    pub window_start: Date,
    /// The last posting day of the window (the `known_at` day).
    pub window_end: Date,
    /// How many payments the estimate rests on.
    pub sample_size: usize,
    /// The median lag in days.
    pub median_days: u32,
    /// The 95th percentile (nearest rank) of the lag in days.
    pub p95_days: u32,
    /// The largest lag seen in days.
    pub max_days: u32,
}

impl Ledger {
    /// Estimates the posting lag from payments posted in the `window_days` days up to and
    /// including `known_at`. `None` when no payment was posted in the window.
    ///
    /// Only the recent end of each account is read, so this is cheap even on a large ledger.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// # use time::macros::date;
    /// assert!(Ledger::new().posting_lag(date!(2025 - 05 - 31), 90).is_none());
    /// ```
    pub fn posting_lag(&self, known_at: Date, window_days: u32) -> Option<PostingLag> {
        let k = day_number(known_at);
        let window = i32::try_from(window_days.max(1))
            .unwrap_or(i32::MAX)
            .min(3660);
        let first_post = k - window + 1;
        let first_op = first_post - MAX_LAG_CONSIDERED;
        let payment = EntryKind::Payment as u8;
        let mut lags: Vec<u32> = Vec::new();
        for b in &self.books {
            let start = b.op.partition_point(|&d| d < first_op);
            let end = b.end_of_day(k);
            for i in start..end.max(start) {
                let (post, op) = (b.post[i], b.op[i]);
                if b.kind[i] == payment
                    && (first_post..=k).contains(&post)
                    && post - op <= MAX_LAG_CONSIDERED
                {
                    lags.push(u32::try_from(post - op).unwrap_or(0));
                }
            }
        }
        if lags.is_empty() {
            return None;
        }
        lags.sort_unstable();
        let rank = |p: usize| lags[(lags.len() * p).div_ceil(100).clamp(1, lags.len()) - 1];
        Some(PostingLag {
            window_start: add_days(known_at, i64::from(1 - window)),
            window_end: known_at,
            sample_size: lags.len(),
            median_days: rank(50),
            p95_days: rank(95),
            max_days: lags[lags.len() - 1],
        })
    }
}
