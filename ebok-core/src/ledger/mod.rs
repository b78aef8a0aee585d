//! The premises account (konto lokalu, rozrachunki): entries, balances with posting lag,
//! monthly statements, account lines, payment history and pending entries.
//!
//! # Posting lag, bitemporally
//!
//! Every query takes `as_of` (which operations count: operation date ≤ `as_of`) and
//! `known_at` (what the accounting system had posted by then: posting date ≤ `known_at`;
//! `None` = everything posted so far). So one ledger answers both "what do I owe today"
//! and "what did the portal show on day K" (seed rule 4: the balance for a day may miss
//! the last few days' operations; rule 6: the office must reproduce what the resident saw).
//! Unposted entries never count in a balance; they are listed as pending. An entry may be
//! posted before its operation date (next month's charge booked before the 1st): it is then
//! known but future-dated, listed as upcoming ([`Ledger::upcoming`]) until `as_of` reaches it.
//!
//! ```
//! use ebok_core::ledger::{Ledger, LedgerEntry};
//! use ebok_core::money::Money;
//! use ebok_core::premises::PremisesId;
//! use time::macros::date;
//!
//! let mut ledger = Ledger::new();
//! ledger.insert(LedgerEntry::charge("N1", "0756555", "eksploatacja", Money::parse("500")?, date!(2025 - 01 - 01), date!(2025 - 01 - 10))?.posted(date!(2025 - 01 - 01)))?;
//! ledger.insert(LedgerEntry::payment("P1", "0756555", Money::parse("500")?, date!(2025 - 01 - 09))?.posted(date!(2025 - 01 - 13)))?;
//! let flat = PremisesId::new("0756555")?;
//! // On 10 January the payment had arrived but was not posted yet:
//! assert_eq!(ledger.balance(&flat, date!(2025 - 01 - 10), Some(date!(2025 - 01 - 10)))?.owed(), Money::parse("500")?);
//! // Known today, it is paid:
//! assert!(ledger.balance(&flat, date!(2025 - 01 - 10), None)?.is_settled());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod allocation;
mod balance;
mod bulk;
mod change;
mod entry;
mod lag;
mod scope;
mod statement;
pub(crate) mod store;

use std::collections::{BTreeMap, HashMap};

use time::Date;

use crate::calendar::{date_of_day, day_number};
use crate::money::Money;
use crate::premises::PremisesId;

pub use allocation::{Allocation, AllocationError, Part};
pub use balance::{Balance, BalanceState, PremisesBalance};
pub use change::{ChangeError, ChangeProblem, ChangeReport, LedgerChange};
pub use entry::{
    Component, DocumentRef, EntryDraft, EntryField, EntryId, EntryKind, FieldError, LedgerEntry,
    MAX_ENTRIES_PER_PREMISES, MAX_ENTRY_AMOUNT, Problem,
};
pub use lag::PostingLag;
pub use statement::{AccountLine, MonthlyStatement, PaymentRecord};

pub(crate) use bulk::BulkRows;
use store::{Book, DocArena, IdArena, KNOW_ALL, NO_DUE, Row};
pub(crate) use store::{NOT_POSTED, StoredFields};

/// A refused row of a batch: its index in the batch, the entry id when readable, and the field error.
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry, InsertMode};
/// use ebok_core::money::Money;
/// use time::macros::date;
/// let mut bad = LedgerEntry::payment("P1", "1", Money::parse("1")?, date!(2025 - 01 - 09))?;
/// bad.amount = Money::parse("20000000000")?;
/// let err = Ledger::new().insert_batch(vec![bad], InsertMode::Strict).unwrap_err();
/// assert_eq!(err.rows[0].row, 0);
/// assert_eq!(err.rows[0].to_string(), "row 0 (id \"P1\"): field amount: value \"20000000000.00\" exceeds the largest entry amount, 10 000 000 000.00 zł");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("row {row} (id {entry_id:?}): {error}")]
pub struct RowError {
    /// The row's index in the batch (0-based).
    pub row: usize,
    /// The row's entry id.
    pub entry_id: String,
    /// What is wrong.
    pub error: FieldError,
}

/// A refused batch: the bad rows in row order, at most [`BatchError::MAX_LISTED`] of them with
/// a count of the rest. Nothing was changed.
///
/// ```
/// use ebok_core::ledger::BatchError;
/// let e = BatchError::new(vec![]);
/// assert_eq!(e.to_string(), "batch refused: 0 bad rows; nothing was changed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("batch refused: {} bad rows; nothing was changed", rows.len() + omitted)]
pub struct BatchError {
    /// The problems found (the first [`BatchError::MAX_LISTED`]).
    pub rows: Vec<RowError>,
    /// How many more problems there were beyond those listed.
    pub omitted: usize,
}

impl BatchError {
    /// The most problems an error lists; the rest are counted in `omitted`.
    pub const MAX_LISTED: usize = 1_000;

    /// An error listing at most [`BatchError::MAX_LISTED`] problems and counting the rest.
    ///
    /// ```
    /// use ebok_core::ledger::{BatchError, EntryField, FieldError, Problem, RowError};
    /// let rows = (0..1_500).map(|row| RowError { row, entry_id: String::new(), error: FieldError::new(EntryField::Id, "", Problem::Missing) }).collect();
    /// assert_eq!(BatchError::new(rows).omitted, 500);
    /// ```
    pub fn new(mut rows: Vec<RowError>) -> BatchError {
        let omitted = cap_listed(&mut rows, Self::MAX_LISTED);
        BatchError { rows, omitted }
    }
}

impl RowError {
    /// The batch's ids would not fit the id arena (offsets are `u32`): reported once, on row 0.
    pub(crate) fn id_arena_full() -> RowError {
        RowError {
            row: 0,
            entry_id: String::new(),
            error: FieldError::new(
                EntryField::Id,
                "",
                Problem::TooLong {
                    max: u32::MAX as usize,
                },
            ),
        }
    }
}

/// Keeps the first `max` problems of a list and returns how many were left out.
pub(crate) fn cap_listed<T>(problems: &mut Vec<T>, max: usize) -> usize {
    let omitted = problems.len().saturating_sub(max);
    problems.truncate(max);
    problems.shrink_to_fit();
    omitted
}

/// A premises the ledger (or the cooperative) does not know (nieznany lokal).
///
/// ```
/// use ebok_core::ledger::UnknownPremises;
/// use ebok_core::premises::PremisesId;
/// let e = UnknownPremises { premises: PremisesId::new("NO-SUCH")? };
/// assert_eq!(e.to_string(), "unknown premises \"NO-SUCH\"");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown premises {:?}", premises.as_str())]
pub struct UnknownPremises {
    /// The identifier asked for.
    pub premises: PremisesId,
}

/// How inserting treats an id that the ledger already holds with different content.
///
/// ```
/// use ebok_core::ledger::InsertMode;
/// assert_ne!(InsertMode::Strict, InsertMode::Replace);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertMode {
    /// Different content under a known id is an error.
    Strict,
    /// Different content under a known id replaces the old entry.
    Replace,
}

/// What inserting one entry did.
///
/// ```
/// use ebok_core::ledger::Outcome;
/// assert_ne!(Outcome::Inserted, Outcome::Unchanged);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new entry.
    Inserted,
    /// The identical entry was already there: nothing changed.
    Unchanged,
    /// An entry with the same id and different content was replaced.
    Replaced,
}

/// Counts of what a batch did.
///
/// ```
/// use ebok_core::ledger::BatchReport;
/// assert_eq!(BatchReport::default().inserted, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchReport {
    /// New entries.
    pub inserted: usize,
    /// Entries already present unchanged.
    pub unchanged: usize,
    /// Entries replaced.
    pub replaced: usize,
}

/// All premises accounts of a cooperative, stored for fast balances.
///
/// Entries are unique by id. Inserting the identical entry again is a no-op; the same id
/// with different content is an error unless applied as a replacement. Batches are
/// all-or-nothing and report every bad row.
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry, Outcome};
/// use ebok_core::money::Money;
/// use time::macros::date;
/// let mut l = Ledger::new();
/// let e = LedgerEntry::payment("P1", "1", Money::parse("10")?, date!(2025 - 01 - 09))?;
/// assert_eq!(l.insert(e.clone())?, Outcome::Inserted);
/// assert_eq!(l.insert(e.clone())?, Outcome::Unchanged);
/// let mut changed = e.clone();
/// changed.amount = Money::parse("11")?;
/// assert!(l.insert(changed.clone()).is_err());
/// assert_eq!(l.replace(changed)?, Outcome::Replaced);
/// assert_eq!(l.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    books: Vec<Book>,
    slot_ids: Vec<PremisesId>,
    slots: BTreeMap<PremisesId, u32>,
    ids: IdArena,
    docs: DocArena,
    components: Vec<Component>,
    component_index: HashMap<Component, u16>,
    len: usize,
    max_posted: Option<i32>,
    allocations: allocation::AllocationBook,
    /// Loading caches: the last premises slot and component used.
    last_slot: Option<u32>,
    last_component: Option<(Component, u16)>,
}

/// What phase 1 of a batch decided, for phase 2.
struct EntryPlan {
    hashes: Vec<u64>,
    keep: Vec<bool>,
    replacing: Vec<bool>,
    id_bytes: usize,
    report: BatchReport,
}

impl Ledger {
    /// An empty ledger.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// assert!(Ledger::new().is_empty());
    /// ```
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// The number of entries.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// assert_eq!(Ledger::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the ledger holds no entries.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// assert!(Ledger::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The premises that have (or had) entries, in identifier order.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// assert_eq!(Ledger::new().premises().count(), 0);
    /// ```
    pub fn premises(&self) -> impl Iterator<Item = &PremisesId> {
        self.slots.keys()
    }

    /// Approximate heap bytes held, for the memory budget (≤ 64 bytes per entry).
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// assert!(Ledger::new().heap_bytes() < 1024);
    /// ```
    pub fn heap_bytes(&self) -> usize {
        self.books.iter().map(Book::bytes).sum::<usize>()
            + self.books.capacity() * std::mem::size_of::<Book>()
            + self.slot_ids.capacity() * 16
            + self.slots.len() * 48
            + self.ids.bytes()
            + self.docs.bytes()
            + self.components.len() * 64
    }

    /// Inserts one entry (strict mode).
    ///
    /// ```
    /// # use ebok_core::ledger::{Ledger, LedgerEntry};
    /// # use ebok_core::money::Money;
    /// # use time::macros::date;
    /// let mut l = Ledger::new();
    /// l.insert(LedgerEntry::payment("P1", "1", Money::parse("10")?, date!(2025 - 01 - 09))?)?;
    /// assert_eq!(l.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert(&mut self, entry: LedgerEntry) -> Result<Outcome, BatchError> {
        self.apply_one(entry, InsertMode::Strict)
    }

    /// Inserts one entry, replacing an entry with the same id and different content.
    ///
    /// ```
    /// # use ebok_core::ledger::{Ledger, LedgerEntry, Outcome};
    /// # use ebok_core::money::Money;
    /// # use time::macros::date;
    /// let mut l = Ledger::new();
    /// assert_eq!(l.replace(LedgerEntry::payment("P1", "1", Money::parse("10")?, date!(2025 - 01 - 09))?)?, Outcome::Inserted);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replace(&mut self, entry: LedgerEntry) -> Result<Outcome, BatchError> {
        self.apply_one(entry, InsertMode::Replace)
    }

    fn apply_one(&mut self, entry: LedgerEntry, mode: InsertMode) -> Result<Outcome, BatchError> {
        let report = self.insert_batch(vec![entry], mode)?;
        Ok(if report.inserted == 1 {
            Outcome::Inserted
        } else if report.replaced == 1 {
            Outcome::Replaced
        } else {
            Outcome::Unchanged
        })
    }

    /// Inserts a batch, all or nothing: on any bad row nothing changes and the error lists every bad row.
    ///
    /// Within a batch, the same id twice with identical content counts once; with different
    /// content it is an error in either mode.
    ///
    /// ```
    /// use ebok_core::ledger::{EntryField, InsertMode, Ledger, LedgerEntry};
    /// use ebok_core::money::Money;
    /// use time::macros::date;
    /// let ok = LedgerEntry::payment("P1", "1", Money::parse("10")?, date!(2025 - 01 - 09))?;
    /// let mut bad = LedgerEntry::payment("P2", "1", Money::parse("10")?, date!(2025 - 01 - 09))?;
    /// bad.amount = Money::parse("20000000000")?;
    /// let mut l = Ledger::new();
    /// let err = l.insert_batch(vec![ok.clone(), bad], InsertMode::Strict).unwrap_err();
    /// assert_eq!(err.rows.len(), 1);
    /// assert_eq!(err.rows[0].error.field, EntryField::Amount);
    /// assert!(l.is_empty());
    /// assert_eq!(l.insert_batch(vec![ok.clone(), ok], InsertMode::Strict)?.inserted, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert_batch(
        &mut self,
        entries: Vec<LedgerEntry>,
        mode: InsertMode,
    ) -> Result<BatchReport, BatchError> {
        if mode == InsertMode::Replace {
            // A replacement may touch stored allocations and designations: checked as a change.
            return self
                .apply_change(change::LedgerChange {
                    upserts: entries,
                    ..change::LedgerChange::default()
                })
                .map(|r| BatchReport {
                    inserted: r.inserted,
                    unchanged: r.unchanged,
                    replaced: r.replaced,
                })
                .map_err(change::ChangeError::into_batch_error);
        }
        if self.len == 0 {
            return self.bulk_load(entries).map_err(BatchError::new);
        }
        let plan = self
            .check_entries(&entries, mode)
            .map_err(BatchError::new)?;
        Ok(self.apply_entries(entries, plan))
    }

    /// Phase 1 of a batch: checks every entry against the ledger and the batch itself and
    /// changes nothing. The plan says which rows to store and which replace an entry.
    fn check_entries(
        &self,
        entries: &[LedgerEntry],
        mode: InsertMode,
    ) -> Result<EntryPlan, Vec<RowError>> {
        let mut errors: Vec<RowError> = Vec::new();
        let mut report = BatchReport::default();
        // Within-batch duplicates: a table of row indices, hashed as the id arena hashes, so
        // that each id is hashed once for both checks and for storing.
        let hashes: Vec<u64> = entries
            .iter()
            .map(|e| store::hash_id(e.id.as_str()))
            .collect();
        let mut seen: hashbrown::HashTable<u32> =
            hashbrown::HashTable::with_capacity(entries.len());
        let mut keep = vec![false; entries.len()];
        let mut replacing = vec![false; entries.len()];
        let mut new_components: Vec<&Component> = Vec::new();
        let mut growth: HashMap<&PremisesId, usize> = HashMap::new();
        let largest = self.books.iter().map(Book::len).max().unwrap_or(0);
        let might_fill = largest + entries.len() >= MAX_ENTRIES_PER_PREMISES;
        let mut id_bytes = 0usize;
        for (row, entry) in entries.iter().enumerate() {
            let fail = |errors: &mut Vec<RowError>, error: FieldError| {
                errors.push(RowError {
                    row,
                    entry_id: entry.id.to_string(),
                    error,
                })
            };
            if let Err(field_errors) = entry.validate() {
                for e in field_errors {
                    fail(&mut errors, e);
                }
                continue;
            }
            let h = hashes[row];
            if let Some(&first) = seen.find(h, |&j| entries[j as usize].id == entry.id) {
                if entries[first as usize] != *entry {
                    fail(
                        &mut errors,
                        FieldError::new(EntryField::Id, entry.id.as_str(), Problem::ConflictingId),
                    );
                } else {
                    report.unchanged += 1;
                }
                continue;
            }
            seen.insert_unique(h, u32::try_from(row).unwrap_or(u32::MAX), |&j| {
                hashes[j as usize]
            });
            let mut same_place = false;
            let known = self.ids.find_hashed(h, entry.id.as_str()).is_some();
            if let Some(existing) = known.then(|| self.get(&entry.id)).flatten() {
                if existing == *entry {
                    report.unchanged += 1;
                    continue;
                }
                if mode == InsertMode::Strict {
                    fail(
                        &mut errors,
                        FieldError::new(EntryField::Id, entry.id.as_str(), Problem::ConflictingId),
                    );
                    continue;
                }
                replacing[row] = true;
                // A replacement within the same premises frees the place it takes.
                same_place = existing.premises == entry.premises;
            }
            // Only a batch large enough to fill a premises account needs counting per premises.
            if !same_place && might_fill {
                let current = self
                    .slots
                    .get(&entry.premises)
                    .map_or(0, |&s| self.books[s as usize].len());
                let added = growth.entry(&entry.premises).or_insert(0);
                if current + *added >= MAX_ENTRIES_PER_PREMISES {
                    fail(
                        &mut errors,
                        FieldError::new(
                            EntryField::Premises,
                            entry.premises.as_str(),
                            Problem::PremisesFull,
                        ),
                    );
                    continue;
                }
                *added += 1;
            }
            if let Some(c) = &entry.component
                && !self.component_index.contains_key(c)
                && !new_components.contains(&c)
            {
                if self.components.len() + new_components.len() >= usize::from(u16::MAX) {
                    fail(
                        &mut errors,
                        FieldError::new(
                            EntryField::Component,
                            c.as_str(),
                            Problem::TooManyComponents,
                        ),
                    );
                    continue;
                }
                new_components.push(c);
            }
            id_bytes += entry.id.as_str().len() + 5;
            keep[row] = true;
        }
        if !self.ids.has_room_for(id_bytes) {
            errors.push(RowError::id_arena_full());
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.row);
            return Err(errors);
        }
        Ok(EntryPlan {
            hashes,
            keep,
            replacing,
            id_bytes,
            report,
        })
    }

    /// Phase 2 of a batch: stores the planned rows; nothing here can fail. Replaced entries
    /// leave their rows only: their allocations and designations are the caller's to keep.
    fn apply_entries(&mut self, entries: Vec<LedgerEntry>, plan: EntryPlan) -> BatchReport {
        let EntryPlan {
            hashes,
            keep,
            replacing,
            id_bytes,
            mut report,
        } = plan;
        let replaced: Vec<EntryId> = entries
            .iter()
            .zip(&replacing)
            .filter(|(_, r)| **r)
            .map(|(e, _)| e.id.clone())
            .collect();
        report.replaced = self.remove_rows(&replaced);
        let mut touched: Vec<u32> = Vec::new();
        self.ids.reserve(report_capacity(&keep), id_bytes);
        for (row, entry) in entries.iter().enumerate() {
            if !keep[row] {
                continue;
            }
            if !replacing[row] {
                report.inserted += 1;
            }
            let slot = self.store(entry, hashes[row]);
            touched.push(slot);
        }
        touched.sort_unstable();
        touched.dedup();
        for slot in touched {
            let book = &mut self.books[slot as usize];
            book.sort(&self.ids);
        }
        report
    }

    /// Removes the rows of these entries (ids not in the ledger are skipped) in one pass per
    /// book, leaving allocations and designations alone; returns how many were removed.
    fn remove_rows(&mut self, ids: &[EntryId]) -> usize {
        let mut by_slot: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for id in ids {
            if let Some(offset) = self.ids.find(id.as_str()) {
                by_slot
                    .entry(self.ids.slot(offset))
                    .or_default()
                    .push(offset);
            }
        }
        let mut removed = 0;
        let mut max_touched = false;
        for (slot, offsets) in by_slot {
            let Some(book) = self.books.get_mut(slot as usize) else {
                continue;
            };
            // Usually one or a few rows per book: a sorted list, searched without hashing.
            let mut gone = offsets.clone();
            gone.sort_unstable();
            let keep: Vec<bool> = book
                .id
                .iter()
                .map(|o| gone.binary_search(o).is_err())
                .collect();
            max_touched |= keep
                .iter()
                .zip(&book.post)
                .any(|(k, &p)| !k && Some(p) == self.max_posted);
            removed += book.retain_rows(&keep);
            book.rebuild_blocks();
            for o in offsets {
                self.ids.remove(o);
            }
        }
        self.len -= removed;
        if max_touched {
            // Each book knows its own latest posting: one step per book, not per entry.
            self.max_posted = self.books.iter().filter_map(|b| b.max_posted).max();
        }
        if removed > 0 && self.ids.should_compact() {
            self.compact_ids();
        }
        removed
    }

    fn intern_component(&mut self, c: &Component) -> u16 {
        // Entries come in runs of the same component: check the last one first.
        if let Some((last, i)) = &self.last_component
            && last == c
        {
            return *i;
        }
        if let Some(&i) = self.component_index.get(c) {
            self.last_component = Some((c.clone(), i + 1));
            return i + 1;
        }
        let i = u16::try_from(self.components.len()).unwrap_or(u16::MAX - 1);
        self.components.push(c.clone());
        self.component_index.insert(c.clone(), i);
        i + 1
    }

    /// An entry's stored row (its id offset left 0), interning its component and document.
    fn row_of(&mut self, entry: &LedgerEntry) -> Row {
        self.intern_parts(
            StoredFields::of(entry),
            entry.component.as_ref(),
            entry.document.as_ref().map(DocumentRef::as_str),
        )
    }

    /// `fields` with its component and document interned.
    fn intern_parts(
        &mut self,
        fields: StoredFields,
        component: Option<&Component>,
        document: Option<&str>,
    ) -> Row {
        Row {
            effect: fields.effect,
            op: fields.op,
            post: fields.post,
            due: fields.due,
            kind: fields.kind,
            component: component.map_or(0, |c| self.intern_component(c)),
            document: document.map_or(0, |d| self.docs.intern(d) + 1),
            id: 0,
        }
    }

    /// Appends an entry's row to its premises' book (unsorted) and indexes its id.
    fn store(&mut self, entry: &LedgerEntry, hash: u64) -> u32 {
        let mut row = self.row_of(entry);
        let cached = self
            .last_slot
            .filter(|&s| self.slot_ids.get(s as usize) == Some(&entry.premises));
        let slot = match cached.or_else(|| self.slots.get(&entry.premises).copied()) {
            Some(s) => s,
            None => {
                let s = u32::try_from(self.books.len()).unwrap_or(u32::MAX);
                self.open_account(entry.premises.clone());
                s
            }
        };
        self.last_slot = Some(slot);
        row.id = self.ids.add_hashed(entry.id.as_str(), slot, hash);
        if row.post != NOT_POSTED {
            self.max_posted = Some(self.max_posted.map_or(row.post, |m| m.max(row.post)));
        }
        self.books[slot as usize].push(row);
        self.len += 1;
        slot
    }

    /// Removes an entry by id; returns it if it was there. Its own stored allocation and
    /// designation go with it, and so do allocation lines and designations that name it as
    /// their debt. To remove entries while checking what points at them, use
    /// [`Ledger::apply_change`], which refuses rather than drops.
    ///
    /// ```
    /// # use ebok_core::ledger::{Ledger, LedgerEntry};
    /// # use ebok_core::money::Money;
    /// # use time::macros::date;
    /// let mut l = Ledger::new();
    /// let e = LedgerEntry::payment("P1", "1", Money::parse("10")?, date!(2025 - 01 - 09))?;
    /// l.insert(e.clone())?;
    /// assert_eq!(l.remove(&e.id), Some(e));
    /// assert!(l.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove(&mut self, id: &EntryId) -> Option<LedgerEntry> {
        let entry = self.get(id)?;
        self.remove_rows(std::slice::from_ref(id));
        self.allocations.stored.remove(id);
        self.allocations.designations.remove(id);
        for lines in self.allocations.stored.values_mut() {
            lines.retain(|a| a.debt != *id);
        }
        self.allocations.stored.retain(|_, lines| !lines.is_empty());
        self.allocations.designations.retain(|_, debt| debt != id);
        Some(entry)
    }

    fn compact_ids(&mut self) {
        let map = self.ids.compact();
        for book in &mut self.books {
            for o in &mut book.id {
                if let Some(&n) = map.get(o) {
                    *o = n;
                }
            }
        }
    }

    /// Releases spare capacity after a large load.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// let mut l = Ledger::new();
    /// l.shrink_to_fit();
    /// ```
    pub fn shrink_to_fit(&mut self) {
        for b in &mut self.books {
            b.shrink_to_fit();
        }
        self.ids.shrink_to_fit();
        self.docs.shrink_to_fit();
    }

    /// An entry by id.
    ///
    /// ```
    /// # use ebok_core::ledger::{EntryId, Ledger};
    /// assert!(Ledger::new().get(&EntryId::new("x")?).is_none());
    /// # Ok::<(), ebok_core::ledger::FieldError>(())
    /// ```
    pub fn get(&self, id: &EntryId) -> Option<LedgerEntry> {
        let offset = self.ids.find(id.as_str())?;
        let slot = self.ids.slot(offset);
        let pos = self.books.get(slot as usize)?.position_of_id(offset)?;
        Some(self.entry_at(slot, pos))
    }

    /// Whether the ledger holds row `row` of `rows` as it is: `None` if no entry has its id,
    /// otherwise whether the stored entry equals the row in every field. Reads the stored
    /// columns in place (an import classifies millions of rows with it). `hint` is where
    /// the previous row was found: rows in the order of the books are found right after it,
    /// without a search of the book.
    pub(crate) fn compare_stored(
        &self,
        rows: &impl BulkRows,
        row: usize,
        hint: &mut Option<(u32, usize)>,
    ) -> Option<bool> {
        let offset = self.ids.find(rows.id(row))?;
        let slot = self.ids.slot(offset);
        let book = self.books.get(slot as usize)?;
        let next = hint
            .filter(|&(s, _)| s == slot)
            .map(|(_, p)| p + 1)
            .filter(|&p| book.id.get(p) == Some(&offset));
        let pos = match next {
            Some(p) => p,
            None => book.position_of_id(offset)?,
        };
        *hint = Some((slot, pos));
        let r = book.row(pos);
        let f = rows.fields(row);
        let component = match (r.component, rows.component(row)) {
            (0, None) => true,
            (k, Some(c)) if k > 0 => self.components.get(usize::from(k - 1)) == Some(c),
            _ => false,
        };
        let document = match (r.document, rows.document(row)) {
            (0, None) => true,
            (k, Some(d)) if k > 0 => self.docs.text(k - 1) == d,
            _ => false,
        };
        Some(
            (r.effect, r.op, r.post, r.due, r.kind) == (f.effect, f.op, f.post, f.due, f.kind)
                && component
                && document
                && self.slot_ids.get(slot as usize) == Some(rows.premises(row)),
        )
    }

    pub(crate) fn entry_at(&self, slot: u32, pos: usize) -> LedgerEntry {
        let book = &self.books[slot as usize];
        let r = book.row(pos);
        let kind = EntryKind::from_u8(r.kind);
        let effect = Money::from_grosze(r.effect);
        LedgerEntry {
            id: EntryId::trusted(self.ids.text(r.id)),
            premises: self.slot_ids[slot as usize].clone(),
            kind,
            amount: kind.effect_of(effect),
            component: (r.component > 0)
                .then(|| self.components.get(usize::from(r.component - 1)).cloned())
                .flatten(),
            operation_date: date_of_day(r.op),
            posted_on: (r.post != NOT_POSTED).then(|| date_of_day(r.post)),
            due_date: (r.due != NO_DUE).then(|| date_of_day(r.due)),
            document: (r.document > 0)
                .then(|| DocumentRef::trusted(self.docs.text(r.document - 1))),
        }
    }

    pub(crate) fn book(&self, premises: &PremisesId) -> Option<(u32, &Book)> {
        let slot = *self.slots.get(premises)?;
        Some((slot, &self.books[slot as usize]))
    }

    /// Every entry of a premises, sorted by operation date (then id), posted or not.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// # use ebok_core::premises::PremisesId;
    /// assert!(Ledger::new().entries(&PremisesId::new("1")?).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entries(&self, premises: &PremisesId) -> Vec<LedgerEntry> {
        match self.book(premises) {
            Some((slot, book)) => (0..book.len()).map(|i| self.entry_at(slot, i)).collect(),
            None => Vec::new(),
        }
    }

    /// Every entry id, premises by premises (cheap: no entry is rebuilt).
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// assert_eq!(Ledger::new().ids().count(), 0);
    /// ```
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.slots.values().flat_map(move |&slot| {
            self.books[slot as usize]
                .id
                .iter()
                .map(move |&o| self.ids.text(o))
        })
    }

    /// Every entry of the ledger, premises by premises.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// assert_eq!(Ledger::new().iter().count(), 0);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = LedgerEntry> + '_ {
        self.slots.values().flat_map(move |&slot| {
            (0..self.books[slot as usize].len()).map(move |i| self.entry_at(slot, i))
        })
    }

    /// The balance of a premises: entries with operation date ≤ `as_of` posted on or before
    /// `known_at` (`None`: everything posted so far). A premises the ledger knows with no
    /// entry counting yet has a zero balance; one it does not know at all is an error, never a
    /// silent zero (a mistyped identifier must not look like a settled account).
    ///
    /// ```
    /// # use ebok_core::ledger::{Ledger, UnknownPremises};
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let mut l = Ledger::new();
    /// let p = PremisesId::new("1")?;
    /// assert_eq!(l.balance(&p, date!(2025 - 01 - 01), None), Err(UnknownPremises { premises: p.clone() }));
    /// l.open_account(p.clone());
    /// assert!(l.balance(&p, date!(2025 - 01 - 01), None)?.is_settled());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn balance(
        &self,
        premises: &PremisesId,
        as_of: Date,
        known_at: Option<Date>,
    ) -> Result<Balance, UnknownPremises> {
        let (_, book) = self.book(premises).ok_or_else(|| UnknownPremises {
            premises: premises.clone(),
        })?;
        Ok(Balance::new(Money::from_grosze(book_balance(
            book,
            day_number(as_of),
            known(known_at),
        ))))
    }

    /// Whether the ledger knows a premises: it has (or had) entries, or its account was opened.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// # use ebok_core::premises::PremisesId;
    /// let mut l = Ledger::new();
    /// assert!(!l.knows(&PremisesId::new("1")?));
    /// l.open_account(PremisesId::new("1")?);
    /// assert!(l.knows(&PremisesId::new("1")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn knows(&self, premises: &PremisesId) -> bool {
        self.slots.contains_key(premises)
    }

    /// Opens the (empty) account of a premises, so that the ledger knows it before its first
    /// entry: its balance is then 0.00 rather than [`UnknownPremises`]. Returns whether it was new.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// # use ebok_core::premises::PremisesId;
    /// let mut l = Ledger::new();
    /// assert!(l.open_account(PremisesId::new("1")?));
    /// assert!(!l.open_account(PremisesId::new("1")?));
    /// assert!(l.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_account(&mut self, premises: PremisesId) -> bool {
        if self.slots.contains_key(&premises) {
            return false;
        }
        let s = u32::try_from(self.books.len()).unwrap_or(u32::MAX);
        self.books.push(Book::default());
        self.slot_ids.push(premises.clone());
        self.slots.insert(premises, s);
        true
    }

    /// The balances of every premises at (`as_of`, `known_at`), in identifier order.
    ///
    /// This is the hot path of reconciliation: one branch-free pass over integer columns.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// # use time::macros::date;
    /// assert!(Ledger::new().balances(date!(2025 - 01 - 01), None).is_empty());
    /// ```
    pub fn balances(&self, as_of: Date, known_at: Option<Date>) -> Vec<PremisesBalance> {
        let (a, k) = (day_number(as_of), known(known_at));
        self.slots
            .iter()
            .map(|(id, &slot)| PremisesBalance {
                premises: id.clone(),
                balance: Balance::new(Money::from_grosze(book_balance(
                    &self.books[slot as usize],
                    a,
                    k,
                ))),
            })
            .collect()
    }

    /// The sum of all premises' balances at (`as_of`, `known_at`), or `None` if it overflows.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// # use ebok_core::money::Money;
    /// # use time::macros::date;
    /// assert_eq!(Ledger::new().total(date!(2025 - 01 - 01), None), Some(Money::ZERO));
    /// ```
    pub fn total(&self, as_of: Date, known_at: Option<Date>) -> Option<Money> {
        let (a, k) = (day_number(as_of), known(known_at));
        let sum: i128 = self
            .books
            .iter()
            .map(|b| i128::from(book_balance(b, a, k)))
            .sum();
        i64::try_from(sum)
            .ok()
            .filter(|g| *g != i64::MIN)
            .map(Money::from_grosze)
    }

    /// Data freshness: the latest posting date the ledger holds, no later than `known_at`.
    ///
    /// ```
    /// # use ebok_core::ledger::{Ledger, LedgerEntry};
    /// # use ebok_core::money::Money;
    /// # use time::macros::date;
    /// let mut l = Ledger::new();
    /// l.insert(LedgerEntry::payment("P1", "1", Money::parse("1")?, date!(2025 - 01 - 09))?.posted(date!(2025 - 01 - 13)))?;
    /// assert_eq!(l.freshness(None), Some(date!(2025 - 01 - 13)));
    /// assert_eq!(l.freshness(Some(date!(2025 - 01 - 12))), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn freshness(&self, known_at: Option<Date>) -> Option<Date> {
        let k = known(known_at);
        let max = self.max_posted?;
        if max <= k {
            return Some(date_of_day(max));
        }
        self.books
            .iter()
            .flat_map(|b| b.post.iter().copied().filter(|&p| p <= k).max())
            .max()
            .map(date_of_day)
    }
}

fn report_capacity(keep: &[bool]) -> usize {
    keep.iter().filter(|k| **k).count()
}

pub(crate) fn known(known_at: Option<Date>) -> i32 {
    known_at.map_or(KNOW_ALL, day_number)
}

pub(crate) fn book_balance(book: &Book, as_of: i32, known: i32) -> i64 {
    book.balance(as_of, known)
}
