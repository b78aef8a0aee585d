//! Allocations (zarachowania) reported by the accounting system, and payment designations.
//!
//! When the export says which charges a payment settled, that allocation is stored here and
//! wins over the library's reference allocator (`crate::settlement`). A designation records
//! the debtor's own indication of which debt a payment is for (KC art. 451 § 1).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{EntryId, Ledger};
use crate::money::Money;

/// Which part of a debt an allocated amount settles.
///
/// ```
/// use ebok_core::ledger::Part;
/// assert_ne!(Part::Principal, Part::Interest);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The principal (należność główna).
    Principal,
    /// The accrued late interest (odsetki).
    Interest,
}

/// One allocated amount: credit (a payment or another credit entry) → debt, part, amount.
///
/// ```
/// use ebok_core::ledger::{Allocation, EntryId, Part};
/// use ebok_core::money::Money;
/// let a = Allocation { credit: EntryId::new("P1")?, debt: EntryId::new("N1")?, part: Part::Principal, amount: Money::parse("500")? };
/// assert_eq!(a.part, Part::Principal);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// The credit entry (usually a payment).
    pub credit: EntryId,
    /// The debt entry (usually a charge).
    pub debt: EntryId,
    /// Principal or interest.
    pub part: Part,
    /// The amount, positive.
    pub amount: Money,
}

/// Why an allocation was refused.
///
/// ```
/// use ebok_core::ledger::AllocationError;
/// let e = AllocationError::NotPositive { credit: "P1".into(), amount: "0.00".into() };
/// assert!(e.to_string().contains("P1"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AllocationError {
    /// The amount is zero or negative.
    #[error("allocation of credit {credit}: amount {amount} is not positive")]
    NotPositive {
        /// The credit entry.
        credit: String,
        /// The amount.
        amount: String,
    },
    /// A credit's allocations exceed the credit.
    #[error("allocations of credit {credit} add up to {allocated}, more than its {available}")]
    ExceedsCredit {
        /// The credit entry.
        credit: String,
        /// The allocated total.
        allocated: String,
        /// The credit's amount.
        available: String,
    },
    /// The credit entry is not in the ledger or is not a credit.
    #[error("allocation names credit {credit}, which is not a credit entry of the ledger")]
    UnknownCredit {
        /// The credit entry.
        credit: String,
    },
    /// The debt entry is not in the ledger, not a debt, or of another premises.
    #[error(
        "allocation of credit {credit} names debt {debt}, which is not a debt of the same premises"
    )]
    UnknownDebt {
        /// The credit entry.
        credit: String,
        /// The debt entry.
        debt: String,
    },
}

/// Stored allocations and designations, by credit id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AllocationBook {
    pub(crate) stored: BTreeMap<EntryId, Vec<Allocation>>,
    pub(crate) designations: BTreeMap<EntryId, EntryId>,
}

impl Ledger {
    /// The credit (an entry that lowers the balance) with this id, or `UnknownCredit`.
    fn credit_entry(&self, credit: &EntryId) -> Result<super::LedgerEntry, AllocationError> {
        self.get(credit)
            .filter(|e| e.effect().is_negative())
            .ok_or_else(|| AllocationError::UnknownCredit {
                credit: credit.to_string(),
            })
    }

    /// Stores the accounting system's allocation of one credit, replacing any earlier one.
    /// Every line must name this credit, a debt entry of the same premises, and a positive
    /// amount, and the lines may not add up to more than the credit.
    ///
    /// ```
    /// use ebok_core::ledger::{Allocation, Ledger, LedgerEntry, Part};
    /// use ebok_core::money::Money;
    /// use time::macros::date;
    /// let mut l = Ledger::new();
    /// l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", Money::parse("500")?, date!(2025 - 01 - 01), date!(2025 - 01 - 10))?.posted(date!(2025 - 01 - 01)))?;
    /// l.insert(LedgerEntry::payment("P1", "1", Money::parse("300")?, date!(2025 - 01 - 09))?.posted(date!(2025 - 01 - 10)))?;
    /// let line = Allocation { credit: "P1".parse()?, debt: "N1".parse()?, part: Part::Principal, amount: Money::parse("300")? };
    /// l.set_allocations(&"P1".parse()?, vec![line.clone()])?;
    /// assert_eq!(l.allocations_of(&"P1".parse()?), &[line]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_allocations(
        &mut self,
        credit: &EntryId,
        lines: Vec<Allocation>,
    ) -> Result<(), AllocationError> {
        let c = self.credit_entry(credit)?;
        let available = c.effect().abs();
        let mut total = Money::ZERO;
        for line in &lines {
            if line.credit != *credit {
                return Err(AllocationError::UnknownCredit {
                    credit: line.credit.to_string(),
                });
            }
            if !line.amount.is_positive() {
                return Err(AllocationError::NotPositive {
                    credit: credit.to_string(),
                    amount: line.amount.to_string(),
                });
            }
            let debt_ok = self
                .get(&line.debt)
                .is_some_and(|d| d.premises == c.premises && d.effect().is_positive());
            if !debt_ok {
                return Err(AllocationError::UnknownDebt {
                    credit: credit.to_string(),
                    debt: line.debt.to_string(),
                });
            }
            total = total.checked_add(line.amount).unwrap_or(Money::MAX);
        }
        if total > available {
            return Err(AllocationError::ExceedsCredit {
                credit: credit.to_string(),
                allocated: total.to_string(),
                available: available.to_string(),
            });
        }
        if lines.is_empty() {
            self.allocations.stored.remove(credit);
        } else {
            self.allocations.stored.insert(credit.clone(), lines);
        }
        Ok(())
    }

    /// The stored allocation of a credit (empty if none).
    ///
    /// ```
    /// use ebok_core::ledger::{EntryId, Ledger};
    /// assert!(Ledger::new().allocations_of(&EntryId::new("P1")?).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn allocations_of(&self, credit: &EntryId) -> &[Allocation] {
        self.allocations
            .stored
            .get(credit)
            .map_or(&[], Vec::as_slice)
    }

    /// Every stored allocation, by credit id.
    ///
    /// ```
    /// use ebok_core::ledger::Ledger;
    /// assert_eq!(Ledger::new().allocations().count(), 0);
    /// ```
    pub fn allocations(&self) -> impl Iterator<Item = &Allocation> {
        self.allocations.stored.values().flatten()
    }

    /// Records the debtor's designation: `credit` was paid for `debt` (KC art. 451 § 1).
    ///
    /// ```
    /// use ebok_core::ledger::{Ledger, LedgerEntry};
    /// use ebok_core::money::Money;
    /// use time::macros::date;
    /// let mut l = Ledger::new();
    /// l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", Money::parse("500")?, date!(2025 - 01 - 01), date!(2025 - 01 - 10))?)?;
    /// l.insert(LedgerEntry::payment("P1", "1", Money::parse("300")?, date!(2025 - 01 - 09))?)?;
    /// l.designate(&"P1".parse()?, &"N1".parse()?)?;
    /// assert_eq!(l.designation_of(&"P1".parse()?).map(|d| d.as_str()), Some("N1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn designate(&mut self, credit: &EntryId, debt: &EntryId) -> Result<(), AllocationError> {
        let c = self.credit_entry(credit)?;
        if !self
            .get(debt)
            .is_some_and(|d| d.premises == c.premises && d.effect().is_positive())
        {
            return Err(AllocationError::UnknownDebt {
                credit: credit.to_string(),
                debt: debt.to_string(),
            });
        }
        self.allocations
            .designations
            .insert(credit.clone(), debt.clone());
        Ok(())
    }

    /// The debt a credit was designated for, if any.
    ///
    /// ```
    /// use ebok_core::ledger::{EntryId, Ledger};
    /// assert!(Ledger::new().designation_of(&EntryId::new("P1")?).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn designation_of(&self, credit: &EntryId) -> Option<&EntryId> {
        self.allocations.designations.get(credit)
    }
}
