//! Loading a batch into a ledger that holds no entries (wczytanie całej księgi): the first
//! import of a cooperative, a reload, `Ledger.from_arrow`.
//!
//! The per-entry path ([`Ledger::insert_batch`] on a ledger with entries) probes the id
//! index once per entry in the batch's order: at millions of entries each probe is a cache
//! miss. Here the work is arranged so that memory is walked in order:
//!
//! 1. one pass in row order validates each entry and resolves its premises slot (the
//!    previous row's premises first, so a file grouped by premises never looks it up), while
//!    a second core hashes the ids;
//! 2. the rows are put in the order of their hash's bucket in the final index (a counting
//!    sort by the high bits of the bucket position), and inserted in that order: the index
//!    fills from its first bucket to its last, and a duplicate id within the batch meets its
//!    first occurrence there (rows of one bucket region keep their batch order, so the first
//!    occurrence wins, as in the per-entry path). A batch clean so far is stored at the same
//!    time on the other core (each book's columns at their exact size, the ids appended to
//!    the arena in row order);
//! 3. on any bad row the batch is refused with every bad row, and what step 2 stored is
//!    undone (a repeated id found only by the index is the one case that needs it);
//! 4. the index's row numbers are rewritten to arena offsets while the other core sorts the
//!    books (only those whose rows did not come sorted).
//!
//! Where no thread can be started, the two halves of each step run one after the other.
//!
//! The outcome is the one [`Ledger::insert_batch`] gives entry by entry: the same report, the
//! same errors, the same stored rows (`bulk_load_equals_entry_by_entry` checks it on random
//! batches).

use std::collections::{HashMap, HashSet};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use super::entry::{
    Component, EntryField, FieldError, LedgerEntry, MAX_ENTRIES_PER_PREMISES, Problem,
};
use super::store::{self, Book, DocArena, IdArena, NOT_POSTED, StoredFields};
use super::{BatchReport, Ledger, RowError};
use crate::parallel::in_parallel;
use crate::premises::PremisesId;

/// `slot_of` value of a row that is not stored (invalid, or a repeat of an earlier row).
const DROPPED: u32 = u32::MAX;

/// Bucket regions of the index the rows are ordered by: 4 096 regions keep each region's
/// buckets within the cache while the index fills.
const REGION_BITS: u32 = 12;

/// What the first pass found.
struct Checked {
    /// Each row's premises slot, [`DROPPED`] for a row that is not stored.
    slot_of: Vec<u32>,
    /// Premises met for the first time, in the order they were met (their slots follow the known ones).
    new_premises: Vec<PremisesId>,
    errors: Vec<RowError>,
    /// Rows to store, before repeats are taken out.
    valid: usize,
    id_bytes: usize,
}

/// What filling the index found: the index of row numbers, and the rows that repeat an earlier
/// row's id (with that row).
struct Indexed {
    index: HashTable<u32>,
    repeats: Vec<(usize, usize)>,
}

/// The parts of a ledger with no entries that storing a batch changes, kept to undo it.
struct Undo {
    books: usize,
    components: usize,
    docs: DocArena,
    ids: IdArena,
}

fn row_error(row: usize, id: &str, error: FieldError) -> RowError {
    RowError {
        row,
        entry_id: id.to_owned(),
        error,
    }
}

/// A batch as the bulk load reads it, row by row: entries, or the columns a file was parsed
/// into (`interchange::LedgerRows`), so that a file loads without an entry per row.
pub(crate) trait BulkRows: Sync {
    /// The number of rows.
    fn count(&self) -> usize;
    /// Row `row`'s entry id.
    fn id(&self, row: usize) -> &str;
    /// Row `row`'s premises.
    fn premises(&self, row: usize) -> &PremisesId;
    /// Row `row`'s component of charges.
    fn component(&self, row: usize) -> Option<&Component>;
    /// Row `row`'s document reference.
    fn document(&self, row: usize) -> Option<&str>;
    /// Row `row`'s stored effect, days and kind.
    fn fields(&self, row: usize) -> StoredFields;
    /// [`LedgerEntry::validate`] of row `row`.
    fn validate(&self, row: usize) -> Result<(), Vec<FieldError>>;
    /// Whether rows `a` and `b` are the same entry in every field.
    fn same(&self, a: usize, b: usize) -> bool;
}

impl BulkRows for [LedgerEntry] {
    fn count(&self) -> usize {
        self.len()
    }
    fn id(&self, row: usize) -> &str {
        self[row].id.as_str()
    }
    fn premises(&self, row: usize) -> &PremisesId {
        &self[row].premises
    }
    fn component(&self, row: usize) -> Option<&Component> {
        self[row].component.as_ref()
    }
    fn document(&self, row: usize) -> Option<&str> {
        self[row].document.as_ref().map(|d| d.as_str())
    }
    fn fields(&self, row: usize) -> StoredFields {
        StoredFields::of(&self[row])
    }
    fn validate(&self, row: usize) -> Result<(), Vec<FieldError>> {
        self[row].validate()
    }
    fn same(&self, a: usize, b: usize) -> bool {
        self[a] == self[b]
    }
}

impl Ledger {
    /// Inserts a batch into this ledger, which holds no entries, in bulk (strict mode). On any
    /// bad row nothing changes and every bad row is returned, in row order.
    /// `entries` (a batch owned, or rows borrowed) is taken by value and freed on the second
    /// core while the first sorts the books.
    pub(crate) fn bulk_load<R>(&mut self, entries: R) -> Result<BatchReport, Vec<RowError>>
    where
        R: std::ops::Deref + Send + Sync,
        R::Target: BulkRows,
    {
        debug_assert_eq!(self.len, 0);
        // 1. Hashes on one core while the other validates and resolves slots.
        let (hashes, checked) = in_parallel(
            || {
                (0..entries.count())
                    .map(|i| store::hash_id(entries.id(i)))
                    .collect::<Vec<u64>>()
            },
            || self.check_rows(&*entries),
        );
        let Checked {
            mut slot_of,
            new_premises,
            mut errors,
            valid,
            id_bytes,
        } = checked;
        if !self.ids.has_room_for(id_bytes) {
            errors.push(RowError::id_arena_full());
        }
        // 2. The index; a clean batch is stored at the same time on the other core, to be
        // undone if the index finds a repeated id.
        let clean = errors.is_empty();
        let undo = clean.then(|| Undo {
            books: self.books.len(),
            components: self.components.len(),
            docs: self.docs.clone(),
            ids: std::mem::take(&mut self.ids),
        });
        let (indexed, stored) = in_parallel(
            || index_rows(&hashes, &slot_of, &*entries, valid),
            || clean.then(|| self.store_rows(&*entries, &slot_of, new_premises.clone(), id_bytes)),
        );
        drop(hashes);
        let Indexed { index, repeats } = indexed;
        let mut unchanged = 0;
        for &(row, first) in &repeats {
            slot_of[row] = DROPPED;
            if entries.same(row, first) {
                unchanged += 1;
            } else {
                let id = entries.id(row);
                let e = FieldError::new(EntryField::Id, id, Problem::ConflictingId);
                errors.push(row_error(row, id, e));
            }
        }
        let offsets = match (stored, undo) {
            (Some(offsets), Some(_)) if repeats.is_empty() => offsets,
            (stored, undo) => {
                if let (Some(_), Some(undo)) = (stored, undo) {
                    self.undo_rows(undo, &new_premises);
                }
                // 3. All or nothing.
                if !errors.is_empty() {
                    errors.sort_by_key(|e| e.row);
                    return Err(errors);
                }
                self.store_rows(&*entries, &slot_of, new_premises, id_bytes)
            }
        };
        let inserted = valid - repeats.len();
        self.len = inserted;
        // 4. Row numbers to arena offsets on one core (then the batch is freed there); the
        // books sorted on the other.
        let (index, ()) = in_parallel(
            move || {
                let mut index = index;
                for o in index.iter_mut() {
                    *o = offsets[*o as usize];
                }
                drop(entries);
                index
            },
            || {
                for book in &mut self.books {
                    book.sort(&self.ids);
                }
            },
        );
        self.ids.install_index(index);
        Ok(BatchReport {
            inserted,
            unchanged,
            replaced: 0,
        })
    }

    /// Pass 1: validates every row and resolves its premises slot; changes nothing.
    fn check_rows(&self, entries: &(impl BulkRows + ?Sized)) -> Checked {
        let mut errors: Vec<RowError> = Vec::new();
        let mut slot_of: Vec<u32> = Vec::with_capacity(entries.count());
        let mut new_premises: Vec<PremisesId> = Vec::new();
        let mut new_slots: HashMap<PremisesId, u32, foldhash::fast::FixedState> =
            HashMap::with_hasher(foldhash::fast::FixedState::default());
        let mut last: Option<(&PremisesId, u32)> = None;
        let mut new_components: HashSet<&Component> = HashSet::new();
        let mut last_component: Option<&Component> = None;
        let known_slots = u32::try_from(self.books.len()).unwrap_or(u32::MAX);
        let mut valid = 0usize;
        let mut id_bytes = 0usize;
        let mut counts: Vec<usize> = vec![0; self.books.len()];
        for row in 0..entries.count() {
            if let Err(field_errors) = entries.validate(row) {
                let id = entries.id(row);
                errors.extend(field_errors.into_iter().map(|e| row_error(row, id, e)));
                slot_of.push(DROPPED);
                continue;
            }
            let premises = entries.premises(row);
            if let Some(c) = entries.component(row)
                && last_component != Some(c)
            {
                if !self.component_index.contains_key(c) && !new_components.contains(c) {
                    if self.components.len() + new_components.len() >= usize::from(u16::MAX) {
                        let e = FieldError::new(
                            EntryField::Component,
                            c.as_str(),
                            Problem::TooManyComponents,
                        );
                        errors.push(row_error(row, entries.id(row), e));
                        slot_of.push(DROPPED);
                        continue;
                    }
                    new_components.insert(c);
                }
                last_component = Some(c);
            }
            let slot = match last {
                Some((p, s)) if p == premises => s,
                _ => {
                    let s = match self.slots.get(premises) {
                        Some(&s) => s,
                        None => *new_slots.entry(premises.clone()).or_insert_with(|| {
                            new_premises.push(premises.clone());
                            counts.push(0);
                            known_slots.saturating_add(
                                u32::try_from(new_premises.len() - 1).unwrap_or(u32::MAX),
                            )
                        }),
                    };
                    last = Some((premises, s));
                    s
                }
            };
            // A book holds at most MAX_ENTRIES_PER_PREMISES: the rows beyond are refused.
            // (Counted before repeated ids are taken out, which only a refused batch can have.)
            counts[slot as usize] += 1;
            if counts[slot as usize] > MAX_ENTRIES_PER_PREMISES {
                let e = FieldError::new(
                    EntryField::Premises,
                    premises.as_str(),
                    Problem::PremisesFull,
                );
                errors.push(row_error(row, entries.id(row), e));
                slot_of.push(DROPPED);
                continue;
            }
            slot_of.push(slot);
            valid += 1;
            id_bytes += entries.id(row).len() + 5;
        }
        Checked {
            slot_of,
            new_premises,
            errors,
            valid,
            id_bytes,
        }
    }

    /// Stores the rows whose slot is not [`DROPPED`]: opens the new accounts, sizes each book
    /// exactly, appends rows and ids in row order; returns each row's id offset. The index
    /// is left to the caller.
    fn store_rows(
        &mut self,
        entries: &(impl BulkRows + ?Sized),
        slot_of: &[u32],
        new_premises: Vec<PremisesId>,
        id_bytes: usize,
    ) -> Vec<u32> {
        for p in new_premises {
            self.open_account(p);
        }
        let mut counts = vec![0usize; self.books.len()];
        for &s in slot_of {
            if s != DROPPED {
                counts[s as usize] += 1;
            }
        }
        for (book, &count) in self.books.iter_mut().zip(&counts) {
            book.reserve_exact(count);
        }
        drop(counts);
        // The ledger holds no entries: its arena holds at most removed ids, dropped here.
        self.ids = IdArena::with_capacity(id_bytes);
        let mut offsets = vec![0u32; entries.count()];
        let mut max_posted = self.max_posted;
        for (i, (&slot, offset)) in slot_of.iter().zip(&mut offsets).enumerate() {
            if slot == DROPPED {
                continue;
            }
            let mut row =
                self.intern_parts(entries.fields(i), entries.component(i), entries.document(i));
            row.id = self.ids.push_record(entries.id(i), slot);
            *offset = row.id;
            if row.post != NOT_POSTED {
                max_posted = Some(max_posted.map_or(row.post, |m| m.max(row.post)));
            }
            self.books[slot as usize].push(row);
        }
        self.max_posted = max_posted;
        self.last_slot = None;
        offsets
    }

    /// Undoes [`Ledger::store_rows`] on a ledger that held no entries.
    fn undo_rows(&mut self, undo: Undo, new_premises: &[PremisesId]) {
        for p in new_premises {
            self.slots.remove(p);
        }
        self.books.truncate(undo.books);
        self.slot_ids.truncate(undo.books);
        for book in &mut self.books {
            *book = Book::default();
        }
        for c in self.components.drain(undo.components..) {
            self.component_index.remove(&c);
        }
        self.docs = undo.docs;
        self.ids = undo.ids;
        self.max_posted = None;
        self.last_component = None;
    }
}

/// Fills the index with the rows to store, in bucket order; a row whose id an earlier row
/// has is not indexed but listed with that row.
fn index_rows(
    hashes: &[u64],
    slot_of: &[u32],
    entries: &(impl BulkRows + ?Sized),
    valid: usize,
) -> Indexed {
    let mut index: HashTable<u32> = HashTable::with_capacity(valid);
    let mut repeats = Vec::new();
    for (h, r) in bucket_order(hashes, slot_of, index.capacity()) {
        let r = r as usize;
        let same = |&j: &u32| hashes[j as usize] == h && entries.id(j as usize) == entries.id(r);
        match index.entry(h, same, |&j| hashes[j as usize]) {
            Entry::Occupied(first) => repeats.push((r, *first.get() as usize)),
            Entry::Vacant(place) => {
                place.insert(u32::try_from(r).unwrap_or(u32::MAX));
            }
        }
    }
    Indexed { index, repeats }
}

/// The rows to index (`slot_of` not [`DROPPED`]) with their hashes, ordered by the region of
/// the bucket their hash starts probing at in an index of `capacity` items; rows of one
/// region keep their order. The hash travels with the row so that the index is filled
/// without reading `hashes` out of order.
fn bucket_order(hashes: &[u64], slot_of: &[u32], capacity: usize) -> Vec<(u64, u32)> {
    // hashbrown keeps 7 of every 8 buckets usable: `capacity` items mean capacity / 7 × 8
    // buckets (a power of two), and an item's first probe is its hash masked to that.
    let buckets = (capacity / 7 * 8).max(1).next_power_of_two();
    let bits = buckets.trailing_zeros();
    let shift = bits.saturating_sub(REGION_BITS);
    let mask = buckets - 1;
    let region = |h: u64| ((h as usize) & mask) >> shift;
    let mut starts = vec![0usize; (1usize << bits.min(REGION_BITS)) + 1];
    for (h, &s) in hashes.iter().zip(slot_of) {
        if s != DROPPED {
            starts[region(*h) + 1] += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut order = vec![(0u64, 0u32); starts[starts.len() - 1]];
    for (r, (h, &s)) in hashes.iter().zip(slot_of).enumerate() {
        if s != DROPPED {
            let place = &mut starts[region(*h)];
            order[*place] = (*h, u32::try_from(r).unwrap_or(u32::MAX));
            *place += 1;
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::Date;

    use super::*;
    use crate::ledger::BatchError;
    use crate::ledger::{EntryKind, InsertMode};
    use crate::money::Money;

    /// The per-entry path, which a ledger with entries takes.
    fn entry_by_entry(entries: Vec<LedgerEntry>) -> (Ledger, Result<BatchReport, BatchError>) {
        let mut l = Ledger::new();
        let result = l
            .check_entries(&entries, InsertMode::Strict)
            .map_err(BatchError::new)
            .map(|plan| l.apply_entries(entries, plan));
        (l, result)
    }

    /// A batch with repeated ids (some identical, some conflicting), invalid rows, shared
    /// premises, components and documents, in no particular order.
    fn batch() -> impl Strategy<Value = Vec<LedgerEntry>> {
        let entry = (
            0u8..40,
            0u8..6,
            0u8..4,
            -50_000i64..50_000,
            0i32..90,
            prop::option::of(0i32..10),
            0u8..3,
            any::<bool>(),
        )
            .prop_map(|(id, premises, kind, grosze, day, lag, doc, huge)| {
                let op = Date::from_julian_day(2_460_000 + day).unwrap_or(Date::MIN);
                let kind = [
                    EntryKind::Charge,
                    EntryKind::Payment,
                    EntryKind::Correction,
                    EntryKind::Interest,
                ][usize::from(kind)];
                let mut e = LedgerEntry::new(
                    &format!("E{id}"),
                    &format!("P{premises}"),
                    kind,
                    Money::from_grosze(grosze),
                    op,
                )
                .unwrap_or_else(|e| panic!("{e}"));
                if kind == EntryKind::Charge {
                    e.component =
                        Component::new(["eksploatacja", "woda"][usize::from(doc % 2)]).ok();
                    e.due_date = Some(op);
                }
                e.posted_on = lag.and_then(|l| op.checked_add(time::Duration::days(l.into())));
                e.document = (doc > 0)
                    .then(|| crate::ledger::DocumentRef::new(&format!("NAL {doc}")).ok())
                    .flatten();
                if huge && grosze % 7 == 0 {
                    e.amount = Money::from_grosze(2_000_000_000_000); // above MAX_ENTRY_AMOUNT
                }
                e
            });
        prop::collection::vec(entry, 0..80)
    }

    fn errors(r: &Result<BatchReport, BatchError>) -> Vec<(usize, String, EntryField, Problem)> {
        match r {
            Ok(_) => Vec::new(),
            Err(e) => e
                .rows
                .iter()
                .map(|r| {
                    (
                        r.row,
                        r.entry_id.clone(),
                        r.error.field,
                        r.error.problem.clone(),
                    )
                })
                .collect(),
        }
    }

    proptest! {
        #[test]
        fn bulk_load_equals_entry_by_entry(entries in batch()) {
            let (expected, expected_result) = entry_by_entry(entries.clone());
            let mut bulk = Ledger::new();
            let result = bulk.insert_batch(entries.clone(), InsertMode::Strict);
            prop_assert_eq!(result.as_ref().ok(), expected_result.as_ref().ok());
            prop_assert_eq!(errors(&result), errors(&expected_result));
            prop_assert_eq!(bulk.len(), expected.len());
            let mut a: Vec<LedgerEntry> = bulk.iter().collect();
            let mut b: Vec<LedgerEntry> = expected.iter().collect();
            a.sort_by(|x, y| x.id.cmp(&y.id));
            b.sort_by(|x, y| x.id.cmp(&y.id));
            prop_assert_eq!(&a, &b);
            for e in &entries {
                prop_assert_eq!(bulk.get(&e.id), expected.get(&e.id));
            }
            for p in expected.premises() {
                let books = (bulk.book(p).map(|(_, b)| b.clone()), expected.book(p).map(|(_, b)| b.clone()));
                prop_assert_eq!(books.0.map(|b| (b.op, b.effect, b.blocks)), books.1.map(|b| (b.op, b.effect, b.blocks)));
            }
            let day = Date::from_julian_day(2_460_045).unwrap_or(Date::MIN);
            prop_assert_eq!(bulk.balances(day, Some(day)), expected.balances(day, Some(day)));
            prop_assert_eq!(bulk.freshness(None), expected.freshness(None));
            if result.is_err() {
                prop_assert!(bulk.is_empty());
                prop_assert_eq!(bulk.premises().count(), 0);
            }
        }
    }

    #[test]
    fn a_refused_bulk_load_leaves_an_emptied_ledger_as_it_was() {
        let day = Date::from_julian_day(2_460_000).unwrap_or(Date::MIN);
        let mut l = Ledger::new();
        let first = LedgerEntry::payment("A", "P1", Money::from_grosze(100), day)
            .unwrap_or_else(|e| panic!("{e}"));
        l.insert(first.clone()).unwrap_or_else(|e| panic!("{e}"));
        l.remove(&first.id);
        let before = format!("{:?}", (l.premises().collect::<Vec<_>>(), l.len()));
        // Clean in pass 1, refused by the index: the stored rows are undone.
        let a = LedgerEntry::payment("X", "P2", Money::from_grosze(1), day)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut b = a.clone();
        b.amount = Money::from_grosze(2);
        let err = l
            .insert_batch(vec![a.clone(), b], InsertMode::Strict)
            .unwrap_err();
        assert_eq!(err.rows.len(), 1);
        assert_eq!(err.rows[0].row, 1);
        assert_eq!(err.rows[0].error.problem, Problem::ConflictingId);
        assert_eq!(
            format!("{:?}", (l.premises().collect::<Vec<_>>(), l.len())),
            before
        );
        assert!(l.get(&a.id).is_none());
        // Then a good batch loads, with the identical repeat counted once.
        let report = l
            .insert_batch(
                vec![a.clone(), a.clone(), first.clone()],
                InsertMode::Strict,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((report.inserted, report.unchanged), (2, 1));
        assert_eq!(l.get(&a.id), Some(a));
        assert_eq!(l.get(&first.id), Some(first));
    }
}
