//! The reference allocator of payments to debts under KC art. 451.
//!
//! - § 1: a payment the debtor designated for a debt settles that debt: its interest first
//!   (if the creditor's order takes interest), then its principal;
//! - § 3: an undesignated payment settles matured debts, the one that matured earliest first
//!   ("najdawniej wymagalny"). A debt is matured (wymagalny) on its **nominal** due date, even
//!   when KC art. 115 moves the last day to pay it to the next working day: a payment made on
//!   Saturday the 19th settles a debt due that Saturday. Interest still starts only after the
//!   effective (shifted) day;
//! - what is left is credit (nadpłata), which settles later debts as they fall due.
//!
//! The accounting system's own allocation, when exported, is stored in the ledger and wins
//! (see [`crate::ledger::Ledger::set_allocations`]); this allocator serves everything else.
//!
//! ```
//! use ebok_core::ledger::EntryId;
//! use ebok_core::money::Money;
//! use ebok_core::settlement::allocation::{AllocationOrder, Debt, allocate_payment};
//! use time::macros::date;
//!
//! // domain.md §9.4 case B: the debtor pays 5000 and designates debt 1.
//! let m = |s: &str| Money::parse(s).unwrap();
//! let mut debts = vec![
//!     Debt::new(EntryId::new("D1")?, date!(2014 - 01 - 10), m("5000"), m("1000"))?,
//!     Debt::new(EntryId::new("D2")?, date!(2014 - 02 - 10), m("7000"), m("2000"))?,
//! ];
//! let r = allocate_payment(&mut debts, &EntryId::new("P")?, m("5000"), date!(2014 - 09 - 01),
//!     Some(&EntryId::new("D1")?), AllocationOrder::InterestFirst);
//! assert_eq!((debts[0].principal, debts[0].interest), (m("1000"), m("0")));
//! assert_eq!((debts[1].principal, debts[1].interest), (m("7000"), m("2000")));
//! assert_eq!(r.credit_left, Money::ZERO);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};
use time::Date;

use super::SettlementError;
use super::due::effective_due_date;
use crate::ledger::{Allocation, EntryId, Part};
use crate::money::Money;

/// The creditor's order within a debt.
///
/// ```
/// use ebok_core::settlement::allocation::AllocationOrder;
/// assert_eq!(AllocationOrder::default(), AllocationOrder::PrincipalOnly);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllocationOrder {
    /// Payments settle principal only; accrued interest is shown, not collected from payments.
    /// The default: open items then reconcile exactly with the ledger balance.
    #[default]
    PrincipalOnly,
    /// Within each debt, accrued interest first, then principal (KC art. 451 § 1).
    InterestFirst,
}

/// A debt as the allocator sees it: what is still outstanding.
///
/// ```
/// use ebok_core::ledger::EntryId;
/// use ebok_core::money::Money;
/// use ebok_core::settlement::allocation::Debt;
/// use time::macros::date;
/// // Due Saturday 19 July 2025: matured that Saturday, interest only after Monday the 21st.
/// let d = Debt::new(EntryId::new("N1")?, date!(2025 - 07 - 19), Money::parse("500")?, Money::ZERO)?;
/// assert!(d.is_matured_on(date!(2025 - 07 - 19)));
/// assert_eq!(d.effective_due, date!(2025 - 07 - 21));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debt {
    /// The debt's entry id.
    pub id: EntryId,
    /// The nominal due date (termin płatności as set): the debt is matured from this day.
    pub due: Date,
    /// The effective due date (after the KC art. 115 shift): interest starts the day after.
    pub effective_due: Date,
    /// Outstanding principal.
    pub principal: Money,
    /// Outstanding accrued interest.
    pub interest: Money,
}

impl Debt {
    /// A debt due (nominally) on `due`; its effective due date follows from KC art. 115.
    /// A due date outside the holiday calendar (before 1990) is refused.
    ///
    /// ```
    /// use ebok_core::ledger::EntryId;
    /// use ebok_core::money::Money;
    /// use ebok_core::settlement::allocation::Debt;
    /// use time::macros::date;
    /// let d = Debt::new(EntryId::new("N1")?, date!(2025 - 01 - 10), Money::parse("500")?, Money::parse("10.63")?)?;
    /// assert_eq!(d.interest, Money::parse("10.63")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        id: EntryId,
        due: Date,
        principal: Money,
        interest: Money,
    ) -> Result<Debt, SettlementError> {
        Ok(Debt {
            id,
            due,
            effective_due: effective_due_date(due)?,
            principal,
            interest,
        })
    }

    /// Whether the debt is matured (wymagalny) on a day: its nominal due date has come.
    ///
    /// ```
    /// use ebok_core::ledger::EntryId;
    /// use ebok_core::money::Money;
    /// use ebok_core::settlement::allocation::Debt;
    /// use time::macros::date;
    /// let d = Debt::new(EntryId::new("N1")?, date!(2025 - 01 - 10), Money::parse("500")?, Money::ZERO)?;
    /// assert!(!d.is_matured_on(date!(2025 - 01 - 09)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_matured_on(&self, day: Date) -> bool {
        self.due <= day
    }
}

/// What allocating one payment did.
///
/// ```
/// use ebok_core::money::Money;
/// use ebok_core::settlement::allocation::PaymentAllocation;
/// let a = PaymentAllocation { lines: vec![], credit_left: Money::ZERO };
/// assert!(a.lines.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentAllocation {
    /// The amounts allocated, in order.
    pub lines: Vec<Allocation>,
    /// What is left as credit (nadpłata).
    pub credit_left: Money,
}

/// Takes up to `left` from `outstanding`, recording a line.
pub(crate) fn take(
    left: &mut Money,
    outstanding: &mut Money,
    credit: &EntryId,
    debt: &EntryId,
    part: Part,
    lines: &mut Vec<Allocation>,
) {
    let amount = (*left).min(*outstanding);
    if amount.is_positive() {
        *left = left.checked_sub(amount).unwrap_or(Money::ZERO);
        *outstanding = outstanding.checked_sub(amount).unwrap_or(Money::ZERO);
        lines.push(Allocation {
            credit: credit.clone(),
            debt: debt.clone(),
            part,
            amount,
        });
    }
}

fn settle(
    debt: &mut Debt,
    left: &mut Money,
    credit: &EntryId,
    order: AllocationOrder,
    lines: &mut Vec<Allocation>,
) {
    if order == AllocationOrder::InterestFirst {
        take(
            left,
            &mut debt.interest,
            credit,
            &debt.id,
            Part::Interest,
            lines,
        );
    }
    take(
        left,
        &mut debt.principal,
        credit,
        &debt.id,
        Part::Principal,
        lines,
    );
}

/// Allocates one payment of `amount` made on `paid_on` to `debts` (changing them), under
/// KC art. 451: the designated debt first, then matured debts oldest first (by nominal due
/// date, then in the given order); the rest is credit. Conserves money:
/// Σ lines + `credit_left` = `amount`.
///
/// ```
/// use ebok_core::ledger::EntryId;
/// use ebok_core::money::Money;
/// use ebok_core::settlement::allocation::{AllocationOrder, Debt, allocate_payment};
/// use time::macros::date;
/// // domain.md §9.4 case A, principal-only variant: Feb still owes 400.00.
/// let m = |s: &str| Money::parse(s).unwrap();
/// let mut debts = vec![
///     Debt::new(EntryId::new("JAN")?, date!(2025 - 01 - 10), m("500"), m("10.63"))?,
///     Debt::new(EntryId::new("FEB")?, date!(2025 - 02 - 10), m("500"), m("5.86"))?,
/// ];
/// allocate_payment(&mut debts, &EntryId::new("P")?, m("600"), date!(2025 - 03 - 20), None, AllocationOrder::PrincipalOnly);
/// assert_eq!(debts[1].principal, m("400.00"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn allocate_payment(
    debts: &mut [Debt],
    credit: &EntryId,
    amount: Money,
    paid_on: Date,
    designated: Option<&EntryId>,
    order: AllocationOrder,
) -> PaymentAllocation {
    let mut left = amount.max(Money::ZERO);
    let mut lines = Vec::new();
    if let Some(target) = designated
        && let Some(debt) = debts.iter_mut().find(|d| d.id == *target)
    {
        settle(debt, &mut left, credit, order, &mut lines);
    }
    let mut matured: Vec<usize> = (0..debts.len())
        .filter(|&i| debts[i].is_matured_on(paid_on))
        .collect();
    matured.sort_by_key(|&i| (debts[i].due, i));
    for i in matured {
        if !left.is_positive() {
            break;
        }
        settle(&mut debts[i], &mut left, credit, order, &mut lines);
    }
    PaymentAllocation {
        lines,
        credit_left: left,
    }
}
