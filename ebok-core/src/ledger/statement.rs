//! What the resident sees of a premises account: monthly statements, account lines with a
//! running balance, payment history and pending entries. All of them honour `known_at`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use super::store::{Book, NOT_POSTED};
use super::{Balance, Component, DocumentRef, EntryId, EntryKind, Ledger, LedgerEntry, known};
use crate::calendar::{YearMonth, date_of_day, day_number};
use crate::money::Money;
use crate::premises::PremisesId;

/// A monthly statement (zestawienie miesięczne): opening balance, charges by component,
/// payments, other entries, closing balance. A month's opening equals the previous month's closing.
///
/// Invariant: `closing = opening + charges_total − payments + Σ other`.
///
/// ```
/// use ebok_core::calendar::YearMonth;
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use time::macros::date;
/// let mut l = Ledger::new();
/// l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", Money::parse("114.21")?, date!(2025 - 05 - 01), date!(2025 - 05 - 10))?.posted(date!(2025 - 05 - 01)))?;
/// l.insert(LedgerEntry::payment("P1", "1", Money::parse("100")?, date!(2025 - 05 - 12))?.posted(date!(2025 - 05 - 13)))?;
/// let s = l.statement(&PremisesId::new("1")?, YearMonth::new(2025, 5)?, None);
/// assert_eq!(s.charges_total, Money::parse("114.21")?);
/// assert_eq!(s.payments, Money::parse("100")?);
/// assert_eq!(s.closing.amount(), Money::parse("14.21")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyStatement {
    /// The premises.
    pub premises: PremisesId,
    /// The month.
    pub month: YearMonth,
    /// What the accounting system knew: entries posted on or before this day (`None`: all posted).
    pub known_at: Option<Date>,
    /// The balance at the end of the previous month (saldo początkowe).
    pub opening: Balance,
    /// Charges of the month by component (naliczenia wg składników).
    pub charges: BTreeMap<Component, Money>,
    /// The sum of the month's charges.
    pub charges_total: Money,
    /// The sum of the month's payments (wpłaty), as paid (positive).
    pub payments: Money,
    /// Effects of other entries by kind (corrections, interest, settlements, refunds, opening balance).
    pub other: BTreeMap<EntryKind, Money>,
    /// The balance at the end of the month (saldo końcowe).
    pub closing: Balance,
}

/// One line of a premises account with the running balance after it (kartoteka).
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use time::macros::date;
/// let mut l = Ledger::new();
/// l.insert(LedgerEntry::charge("N1", "1", "c.o.", Money::parse("150.66")?, date!(2025 - 05 - 01), date!(2025 - 05 - 10))?.posted(date!(2025 - 05 - 01)))?;
/// let lines = l.account_lines(&PremisesId::new("1")?, None, date!(2025 - 12 - 31), None);
/// assert_eq!(lines[0].running_balance.amount(), Money::parse("150.66")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLine {
    /// Entry id.
    pub id: EntryId,
    /// Kind.
    pub kind: EntryKind,
    /// Operation date.
    pub operation_date: Date,
    /// Posting date.
    pub posted_on: Option<Date>,
    /// Due date.
    pub due_date: Option<Date>,
    /// Component.
    pub component: Option<Component>,
    /// Document.
    pub document: Option<DocumentRef>,
    /// Amount as recorded.
    pub amount: Money,
    /// Effect on what is owed (sign rule).
    pub effect: Money,
    /// The balance after this line.
    pub running_balance: Balance,
}

/// One payment of the payment history (historia wpłat).
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use time::macros::date;
/// let mut l = Ledger::new();
/// l.insert(LedgerEntry::payment("P1", "1", Money::parse("772.15")?, date!(2025 - 05 - 12))?.posted(date!(2025 - 05 - 13)))?;
/// let h = l.payment_history(&PremisesId::new("1")?, None);
/// assert_eq!(h[0].credited_on, date!(2025 - 05 - 12));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRecord {
    /// Entry id.
    pub id: EntryId,
    /// The day the money reached the cooperative's account (data wpływu).
    pub credited_on: Date,
    /// The posting date.
    pub posted_on: Option<Date>,
    /// The amount paid (negative for a returned payment).
    pub amount: Money,
    /// Document.
    pub document: Option<DocumentRef>,
}

impl Ledger {
    /// The statement of one month.
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// # use ebok_core::ledger::Ledger;
    /// # use ebok_core::premises::PremisesId;
    /// let s = Ledger::new().statement(&PremisesId::new("1")?, YearMonth::new(2025, 1)?, None);
    /// assert!(s.closing.is_settled());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn statement(
        &self,
        premises: &PremisesId,
        month: YearMonth,
        known_at: Option<Date>,
    ) -> MonthlyStatement {
        self.statements(premises, month, month, known_at)
            .pop()
            .unwrap_or_else(|| empty_statement(premises, month, known_at))
    }

    /// The statements of every month from `from` to `to` inclusive; each month opens with the previous closing.
    ///
    /// ```
    /// # use ebok_core::calendar::YearMonth;
    /// # use ebok_core::ledger::Ledger;
    /// # use ebok_core::premises::PremisesId;
    /// let s = Ledger::new().statements(&PremisesId::new("1")?, YearMonth::new(2025, 1)?, YearMonth::new(2025, 12)?, None);
    /// assert_eq!(s.len(), 12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn statements(
        &self,
        premises: &PremisesId,
        from: YearMonth,
        to: YearMonth,
        known_at: Option<Date>,
    ) -> Vec<MonthlyStatement> {
        let k = known(known_at);
        let book = self.book(premises).map(|(_, b)| b);
        let mut out = Vec::new();
        let mut month = from;
        let mut start = book.map_or(0, |b| {
            b.op.partition_point(|&d| d < day_number(from.first_day()))
        });
        let mut running = book.map_or(0, |b| b.sum_known(0..start, k));
        while month <= to {
            let end = book.map_or(0, |b| b.end_of_day(day_number(month.last_day())));
            let mut s = empty_statement(premises, month, known_at);
            s.opening = Balance::new(Money::from_grosze(running));
            if let Some(b) = book {
                self.fill_statement(&mut s, b, start..end, k);
                running = running.wrapping_add(b.sum_known(start..end, k));
            }
            s.closing = Balance::new(Money::from_grosze(running));
            out.push(s);
            start = end;
            month = month.next();
        }
        out
    }

    fn fill_statement(
        &self,
        s: &mut MonthlyStatement,
        b: &Book,
        range: std::ops::Range<usize>,
        k: i32,
    ) {
        let mut by_component: BTreeMap<u16, i64> = BTreeMap::new();
        let mut other: BTreeMap<EntryKind, i64> = BTreeMap::new();
        let (mut charges, mut payments) = (0i64, 0i64);
        for i in range {
            if b.post[i] > k {
                continue;
            }
            let e = b.effect[i];
            match EntryKind::from_u8(b.kind[i]) {
                EntryKind::Charge => {
                    charges = charges.wrapping_add(e);
                    *by_component.entry(b.component[i]).or_default() += e;
                }
                EntryKind::Payment => payments = payments.wrapping_sub(e),
                kind => *other.entry(kind).or_default() += e,
            }
        }
        s.charges = by_component
            .into_iter()
            .filter_map(|(c, v)| {
                let name = self.components.get(usize::from(c).checked_sub(1)?)?;
                Some((name.clone(), Money::from_grosze(v)))
            })
            .collect();
        s.charges_total = Money::from_grosze(charges);
        s.payments = Money::from_grosze(payments);
        s.other = other
            .into_iter()
            .map(|(kind, v)| (kind, Money::from_grosze(v)))
            .collect();
    }

    /// Account lines with a running balance: posted entries (as known at `known_at`) with
    /// operation date from `from` (`None`: the beginning) to `to`, in order. The running
    /// balance includes everything before `from`.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// assert!(Ledger::new().account_lines(&PremisesId::new("1")?, None, date!(2025 - 12 - 31), None).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn account_lines(
        &self,
        premises: &PremisesId,
        from: Option<Date>,
        to: Date,
        known_at: Option<Date>,
    ) -> Vec<AccountLine> {
        let k = known(known_at);
        let Some((slot, b)) = self.book(premises) else {
            return Vec::new();
        };
        let start = from.map_or(0, |f| b.op.partition_point(|&d| d < day_number(f)));
        let end = b.end_of_day(day_number(to));
        let mut running = b.sum_known(0..start, k);
        let mut lines = Vec::new();
        for i in start..end.max(start) {
            if b.post[i] > k {
                continue;
            }
            running = running.wrapping_add(b.effect[i]);
            let e = self.entry_at(slot, i);
            lines.push(AccountLine {
                effect: e.effect(),
                id: e.id,
                kind: e.kind,
                operation_date: e.operation_date,
                posted_on: e.posted_on,
                due_date: e.due_date,
                component: e.component,
                document: e.document,
                amount: e.amount,
                running_balance: Balance::new(Money::from_grosze(running)),
            });
        }
        lines
    }

    /// The payments of a premises posted by `known_at`, oldest first.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// # use ebok_core::premises::PremisesId;
    /// assert!(Ledger::new().payment_history(&PremisesId::new("1")?, None).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn payment_history(
        &self,
        premises: &PremisesId,
        known_at: Option<Date>,
    ) -> Vec<PaymentRecord> {
        let k = known(known_at);
        let Some((slot, b)) = self.book(premises) else {
            return Vec::new();
        };
        (0..b.len())
            .filter(|&i| b.kind[i] == EntryKind::Payment as u8 && b.post[i] <= k)
            .map(|i| {
                let e = self.entry_at(slot, i);
                PaymentRecord {
                    id: e.id,
                    credited_on: e.operation_date,
                    posted_on: e.posted_on,
                    amount: e.amount,
                    document: e.document,
                }
            })
            .collect()
    }

    /// Pending entries (w trakcie księgowania): operations that had happened by `known_at`
    /// but were not posted by then (`None`: every entry not posted yet). Never in a balance.
    ///
    /// ```
    /// # use ebok_core::ledger::{Ledger, LedgerEntry};
    /// # use ebok_core::money::Money;
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let mut l = Ledger::new();
    /// l.insert(LedgerEntry::payment("P1", "1", Money::parse("10")?, date!(2025 - 05 - 12))?)?;
    /// assert_eq!(l.pending(&PremisesId::new("1")?, None).len(), 1);
    /// assert!(l.balance(&PremisesId::new("1")?, date!(2025 - 05 - 31), None)?.is_settled());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pending(&self, premises: &PremisesId, known_at: Option<Date>) -> Vec<LedgerEntry> {
        let Some((slot, b)) = self.book(premises) else {
            return Vec::new();
        };
        match known_at {
            None => (0..b.len())
                .filter(|&i| b.post[i] == NOT_POSTED)
                .map(|i| self.entry_at(slot, i))
                .collect(),
            Some(k) => {
                let k = day_number(k);
                (0..b.end_of_day(k))
                    .filter(|&i| b.post[i] > k)
                    .map(|i| self.entry_at(slot, i))
                    .collect()
            }
        }
    }

    /// Upcoming entries (zaksięgowane z datą przyszłą): entries already posted by `known_at`
    /// (`None`: everything posted so far) whose operation date is after `today`, oldest first.
    /// An accounting system books next month's charge before the 1st; until its operation
    /// date it is known but not yet owed, so it is not in `today`'s balance and not pending.
    ///
    /// ```
    /// # use ebok_core::ledger::{Ledger, LedgerEntry};
    /// # use ebok_core::money::Money;
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let mut l = Ledger::new();
    /// // December's charge, booked on 25 November.
    /// l.insert(LedgerEntry::charge("N12", "1", "eksploatacja", Money::parse("500")?, date!(2025 - 12 - 01), date!(2025 - 12 - 10))?.posted(date!(2025 - 11 - 25)))?;
    /// let p = PremisesId::new("1")?;
    /// assert_eq!(l.upcoming(&p, date!(2025 - 11 - 28), None).len(), 1);
    /// assert!(l.pending(&p, Some(date!(2025 - 11 - 28))).is_empty());
    /// assert!(l.balance(&p, date!(2025 - 11 - 28), None)?.is_settled());
    /// assert!(l.upcoming(&p, date!(2025 - 11 - 24), Some(date!(2025 - 11 - 24))).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn upcoming(
        &self,
        premises: &PremisesId,
        today: Date,
        known_at: Option<Date>,
    ) -> Vec<LedgerEntry> {
        let Some((slot, b)) = self.book(premises) else {
            return Vec::new();
        };
        let k = known(known_at);
        (b.end_of_day(day_number(today))..b.len())
            .filter(|&i| b.post[i] <= k)
            .map(|i| self.entry_at(slot, i))
            .collect()
    }

    /// The latest operation date among a premises' entries, if any.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// # use ebok_core::premises::PremisesId;
    /// assert_eq!(Ledger::new().last_operation(&PremisesId::new("1")?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn last_operation(&self, premises: &PremisesId) -> Option<Date> {
        let (_, b) = self.book(premises)?;
        b.op.last().map(|&d| date_of_day(d))
    }
}

fn empty_statement(
    premises: &PremisesId,
    month: YearMonth,
    known_at: Option<Date>,
) -> MonthlyStatement {
    MonthlyStatement {
        premises: premises.clone(),
        month,
        known_at,
        opening: Balance::default(),
        charges: BTreeMap::new(),
        charges_total: Money::ZERO,
        payments: Money::ZERO,
        other: BTreeMap::new(),
        closing: Balance::default(),
    }
}
