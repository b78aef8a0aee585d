//! A change to the ledger applied as one (zmiana księgi): entries upserted and removed,
//! allocations and designations set or cleared, every part checked against the state the whole
//! change would produce, and only then applied, with nothing left that can fail.
//!
//! Nothing stored is dropped silently: a stored allocation line or designation that would
//! point at an entry the change removes, or at one it turns into something else (a debt into a
//! credit, another premises), refuses the change, naming the credit and the debt, unless the
//! same change replaces that allocation. An allocation still valid against the new content of
//! its entries is kept.

use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The upserts of a change by id (foldhash: ids are not chosen by an adversary who sees the
/// hash seed, and a full import puts millions through it).
type UpsertIndex<'a> =
    hashbrown::HashMap<&'a str, (usize, &'a LedgerEntry), foldhash::fast::FixedState>;

use super::{
    Allocation, AllocationError, BatchError, EntryField, EntryId, FieldError, InsertMode, Ledger,
    LedgerEntry, Problem, RowError,
};
use crate::money::Money;

/// What to change, as one.
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerChange, LedgerEntry};
/// use ebok_core::money::Money;
/// use time::macros::date;
/// let mut l = Ledger::new();
/// let change = LedgerChange {
///     upserts: vec![LedgerEntry::payment("P1", "1", Money::parse("10")?, date!(2025 - 01 - 09))?],
///     ..LedgerChange::default()
/// };
/// assert_eq!(l.apply_change(change)?.inserted, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerChange {
    /// Entries to add, or to replace by id.
    pub upserts: Vec<LedgerEntry>,
    /// Entries to remove (an id the ledger does not hold is skipped).
    pub removals: Vec<EntryId>,
    /// Allocations to store, by credit; an empty list clears the credit's allocation.
    pub allocations: BTreeMap<EntryId, Vec<Allocation>>,
    /// Designations, by credit: `Some(debt)` sets, `None` clears.
    pub designations: BTreeMap<EntryId, Option<EntryId>>,
}

/// What a change did.
///
/// ```
/// use ebok_core::ledger::ChangeReport;
/// assert_eq!(ChangeReport::default().removed, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeReport {
    /// New entries.
    pub inserted: usize,
    /// Entries replaced by different content.
    pub replaced: usize,
    /// Entries already present as they are.
    pub unchanged: usize,
    /// Entries removed.
    pub removed: usize,
    /// Credits whose allocation was stored (new or different).
    pub allocations_set: usize,
    /// Credits whose allocation was cleared (explicitly, or with their credit entry).
    pub allocations_cleared: usize,
    /// Designations stored (new or different).
    pub designations_set: usize,
    /// Designations cleared (explicitly, or with their credit entry).
    pub designations_cleared: usize,
}

/// One reason a change was refused.
///
/// ```
/// use ebok_core::ledger::{ChangeProblem, EntryId};
/// let p = ChangeProblem::UpsertedAndRemoved { id: EntryId::new("P1")? };
/// assert!(p.to_string().contains("P1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChangeProblem {
    /// An entry to upsert is refused.
    #[error("{0}")]
    Entry(RowError),
    /// The same id is both upserted and removed.
    #[error("entry {id} is both upserted and removed")]
    UpsertedAndRemoved {
        /// The id.
        id: EntryId,
    },
    /// An allocation or designation the change sets is refused.
    #[error("{0}")]
    Allocation(AllocationError),
    /// A stored allocation line or designation would point at an entry the change removes or
    /// makes unfit, and the change does not replace it.
    #[error(
        "the stored {what} of credit {credit} names {debt}, which this change {reason}; send the {what} again or delete it"
    )]
    Orphaned {
        /// `allocation` or `designation`.
        what: &'static str,
        /// The credit.
        credit: EntryId,
        /// The debt it names.
        debt: EntryId,
        /// What the change does to it.
        reason: &'static str,
        /// The upsert that causes it, if one does: its row and id.
        culprit: Option<(usize, EntryId)>,
    },
}

/// A refused change: every problem. Nothing was changed.
///
/// ```
/// use ebok_core::ledger::ChangeError;
/// assert_eq!(ChangeError { problems: vec![] }.to_string(), "change refused: 0 problems; nothing was changed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("change refused: {} problems; nothing was changed", problems.len())]
pub struct ChangeError {
    /// Every problem found.
    pub problems: Vec<ChangeProblem>,
}

impl ChangeError {
    /// The same problems as a batch error (for [`Ledger::insert_batch`] in replace mode): an
    /// orphaned allocation is charged to the upsert row that causes it.
    pub(crate) fn into_batch_error(self) -> BatchError {
        let rows = self
            .problems
            .into_iter()
            .filter_map(|p| match p {
                ChangeProblem::Entry(r) => Some(r),
                ChangeProblem::Orphaned {
                    credit, culprit, ..
                } => culprit.map(|(row, id)| RowError {
                    row,
                    entry_id: id.to_string(),
                    error: FieldError::new(
                        EntryField::Id,
                        id.as_str(),
                        Problem::BreaksAllocation {
                            credit: credit.to_string(),
                        },
                    ),
                }),
                _ => None,
            })
            .collect();
        BatchError::new(rows)
    }
}

/// The ledger as the change would leave it, for lookups.
struct WouldBe<'a> {
    ledger: &'a Ledger,
    upserts: UpsertIndex<'a>,
    removed: &'a HashSet<&'a str>,
}

impl WouldBe<'_> {
    fn get(&self, id: &EntryId) -> Option<LedgerEntry> {
        if let Some((_, e)) = self.upserts.get(id.as_str()) {
            return Some((*e).clone());
        }
        if self.removed.contains(id.as_str()) {
            return None;
        }
        self.ledger.get(id)
    }

    /// The upsert of an id, as (row, id), if the change has one.
    fn culprit(&self, id: &EntryId) -> Option<(usize, EntryId)> {
        self.upserts.get(id.as_str()).map(|(r, _)| (*r, id.clone()))
    }

    /// Why `debt` can no longer be a debt of `credit`'s premises, and the upsert to blame.
    fn unfit_debt(
        &self,
        credit: &LedgerEntry,
        debt: &EntryId,
    ) -> Option<(&'static str, Option<(usize, EntryId)>)> {
        match self.get(debt) {
            None => Some(("removes", None)),
            Some(d) if d.premises != credit.premises || !d.effect().is_positive() => Some((
                "turns into something other than a debt of the same premises",
                self.culprit(debt),
            )),
            Some(_) => None,
        }
    }
}

impl Ledger {
    /// Applies a change as one: checks every upsert (as [`Ledger::insert_batch`] in replace
    /// mode does), every removal, and every allocation and designation the change sets *or
    /// keeps*, against the ledger the change would produce; on any problem nothing changes and
    /// the error lists them all. Then it applies, and nothing in that step can fail.
    ///
    /// ```
    /// use ebok_core::ledger::{Allocation, ChangeProblem, Ledger, LedgerChange, LedgerEntry, Part};
    /// use ebok_core::money::Money;
    /// use time::macros::date;
    /// let m = |s: &str| Money::parse(s).unwrap();
    /// let mut l = Ledger::new();
    /// l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", m("500"), date!(2025 - 01 - 01), date!(2025 - 01 - 10))?)?;
    /// l.insert(LedgerEntry::payment("P1", "1", m("300"), date!(2025 - 01 - 09))?)?;
    /// let line = Allocation { credit: "P1".parse()?, debt: "N1".parse()?, part: Part::Principal, amount: m("300") };
    /// l.set_allocations(&"P1".parse()?, vec![line.clone()])?;
    /// // Removing the charge would orphan the allocation: refused, naming it.
    /// let err = l.apply_change(LedgerChange { removals: vec!["N1".parse()?], ..LedgerChange::default() }).unwrap_err();
    /// assert!(matches!(&err.problems[0], ChangeProblem::Orphaned { credit, .. } if credit.as_str() == "P1"));
    /// // A corrected document number keeps it.
    /// let corrected = LedgerEntry::charge("N1", "1", "eksploatacja", m("500"), date!(2025 - 01 - 01), date!(2025 - 01 - 10))?.with_document("NAL 01/2025 K")?;
    /// assert_eq!(l.apply_change(LedgerChange { upserts: vec![corrected], ..LedgerChange::default() })?.replaced, 1);
    /// assert_eq!(l.allocations_of(&"P1".parse()?), &[line]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_change(&mut self, change: LedgerChange) -> Result<ChangeReport, ChangeError> {
        let mut problems: Vec<ChangeProblem> = Vec::new();
        // Into a ledger with no entries the upserts are loaded in bulk, which checks them itself.
        let bulk = self.len == 0;
        let plan = if bulk {
            None
        } else {
            match self.check_entries(&change.upserts, InsertMode::Replace) {
                Ok(plan) => Some(plan),
                Err(rows) => {
                    problems.extend(rows.into_iter().map(ChangeProblem::Entry));
                    None
                }
            }
        };
        let upserted: UpsertIndex<'_> = change
            .upserts
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), (i, e)))
            .collect();
        let mut removed: HashSet<&str> = HashSet::new();
        for id in &change.removals {
            if upserted.contains_key(id.as_str()) {
                problems.push(ChangeProblem::UpsertedAndRemoved { id: id.clone() });
            } else if self.ids.find(id.as_str()).is_some() {
                removed.insert(id.as_str());
            }
        }
        let would_be = WouldBe {
            ledger: self,
            upserts: upserted,
            removed: &removed,
        };
        // Which credits to look at again: those the change names, those whose own entry it
        // touches, and those whose lines or designation name an entry it touches.
        let touched = |id: &EntryId| {
            would_be.upserts.contains_key(id.as_str()) || would_be.removed.contains(id.as_str())
        };
        let mut credits: BTreeSet<EntryId> = change
            .allocations
            .keys()
            .chain(change.designations.keys())
            .cloned()
            .collect();
        for (credit, lines) in &self.allocations.stored {
            if touched(credit) || lines.iter().any(|l| touched(&l.debt)) {
                credits.insert(credit.clone());
            }
        }
        for (credit, debt) in &self.allocations.designations {
            if touched(credit) || touched(debt) {
                credits.insert(credit.clone());
            }
        }
        // The final allocation and designation of every credit looked at, checked.
        let mut final_allocations: Vec<(EntryId, Vec<Allocation>)> = Vec::new();
        let mut final_designations: Vec<(EntryId, Option<EntryId>)> = Vec::new();
        for credit in &credits {
            let sent = change.allocations.get(credit);
            let stored = self.allocations_of(credit);
            let lines: Vec<Allocation> = sent.cloned().unwrap_or_else(|| stored.to_vec());
            let designation = match change.designations.get(credit) {
                Some(d) => d.clone(),
                None => self.designation_of(credit).cloned(),
            };
            let credit_entry = would_be.get(credit).filter(|e| e.effect().is_negative());
            let Some(c) = credit_entry else {
                // The credit is removed, or would no longer be a credit: what the change sends
                // for it is refused. What was stored goes with a removed credit (counted in the
                // report); it is never dropped from a credit that stays as something else.
                if sent.is_some_and(|l| !l.is_empty())
                    || change.designations.get(credit).is_some_and(Option::is_some)
                {
                    problems.push(ChangeProblem::Allocation(AllocationError::UnknownCredit {
                        credit: credit.to_string(),
                    }));
                } else if let Some(debt) = (sent.is_none())
                    .then(|| lines.first().map(|l| l.debt.clone()))
                    .flatten()
                    .or(designation
                        .clone()
                        .filter(|_| !change.designations.contains_key(credit)))
                    .filter(|_| would_be.get(credit).is_some())
                {
                    problems.push(ChangeProblem::Orphaned {
                        what: "allocation",
                        credit: credit.clone(),
                        debt,
                        reason: "keeps, but no longer as a credit",
                        culprit: would_be.culprit(credit),
                    });
                }
                final_allocations.push((credit.clone(), Vec::new()));
                final_designations.push((credit.clone(), None));
                continue;
            };
            let mut total = Money::ZERO;
            for line in &lines {
                if sent.is_none() {
                    if let Some((reason, culprit)) = would_be.unfit_debt(&c, &line.debt) {
                        problems.push(ChangeProblem::Orphaned {
                            what: "allocation",
                            credit: credit.clone(),
                            debt: line.debt.clone(),
                            reason,
                            culprit,
                        });
                    }
                } else if line.credit != *credit {
                    problems.push(ChangeProblem::Allocation(AllocationError::UnknownCredit {
                        credit: line.credit.to_string(),
                    }));
                } else if !line.amount.is_positive() {
                    problems.push(ChangeProblem::Allocation(AllocationError::NotPositive {
                        credit: credit.to_string(),
                        amount: line.amount.to_string(),
                    }));
                } else if would_be.unfit_debt(&c, &line.debt).is_some() {
                    problems.push(ChangeProblem::Allocation(AllocationError::UnknownDebt {
                        credit: credit.to_string(),
                        debt: line.debt.to_string(),
                    }));
                }
                total = total.checked_add(line.amount).unwrap_or(Money::MAX);
            }
            if total > c.effect().abs() {
                problems.push(ChangeProblem::Allocation(AllocationError::ExceedsCredit {
                    credit: credit.to_string(),
                    allocated: total.to_string(),
                    available: c.effect().abs().to_string(),
                }));
            }
            if let Some(debt) = &designation
                && let Some((reason, culprit)) = would_be.unfit_debt(&c, debt)
            {
                if change.designations.contains_key(credit) {
                    problems.push(ChangeProblem::Allocation(AllocationError::UnknownDebt {
                        credit: credit.to_string(),
                        debt: debt.to_string(),
                    }));
                } else {
                    problems.push(ChangeProblem::Orphaned {
                        what: "designation",
                        credit: credit.clone(),
                        debt: debt.clone(),
                        reason,
                        culprit,
                    });
                }
            }
            final_allocations.push((credit.clone(), lines));
            final_designations.push((credit.clone(), designation));
        }
        let removals: Vec<EntryId> = change
            .removals
            .iter()
            .filter(|id| would_be.removed.contains(id.as_str()))
            .cloned()
            .collect();
        drop(would_be);
        if bulk && !problems.is_empty() {
            // The rows' own problems first, as the checked path lists them.
            if let Err(rows) = self.check_entries(&change.upserts, InsertMode::Replace) {
                problems.splice(0..0, rows.into_iter().map(ChangeProblem::Entry));
            }
        }
        if !problems.is_empty() {
            return Err(ChangeError { problems });
        }

        // Apply: nothing below can fail (the bulk load checks its rows before changing anything).
        let (removed, entries) = match plan {
            Some(plan) => {
                let removed = self.remove_rows(&removals);
                let entries = self.apply_entries(change.upserts, plan);
                (removed, entries)
            }
            None => match self.bulk_load(change.upserts) {
                // A ledger with no entries has nothing to remove.
                Ok(entries) => (0, entries),
                Err(rows) => {
                    return Err(ChangeError {
                        problems: rows.into_iter().map(ChangeProblem::Entry).collect(),
                    });
                }
            },
        };
        let mut report = ChangeReport {
            removed,
            ..ChangeReport::default()
        };
        report.inserted = entries.inserted;
        report.replaced = entries.replaced;
        report.unchanged = entries.unchanged;
        for (credit, lines) in final_allocations {
            let old = self.allocations.stored.get(&credit);
            if lines.is_empty() {
                if old.is_some() {
                    report.allocations_cleared += 1;
                    self.allocations.stored.remove(&credit);
                }
            } else if old != Some(&lines) {
                report.allocations_set += 1;
                self.allocations.stored.insert(credit, lines);
            }
        }
        for (credit, debt) in final_designations {
            let old = self.allocations.designations.get(&credit);
            match debt {
                None if old.is_some() => {
                    report.designations_cleared += 1;
                    self.allocations.designations.remove(&credit);
                }
                Some(d) if old != Some(&d) => {
                    report.designations_set += 1;
                    self.allocations.designations.insert(credit, d);
                }
                _ => {}
            }
        }
        Ok(report)
    }
}
