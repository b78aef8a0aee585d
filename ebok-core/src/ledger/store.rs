//! The columnar storage behind [`crate::ledger::Ledger`].
//!
//! Each premises has a *book*: parallel columns, one element per entry, sorted by
//! (operation day, entry id). Amounts are stored as their signed effect in grosze
//! (`i64`), dates as day numbers (`i32`). Entry ids live in one byte arena; a hash
//! table of arena offsets finds them. Components are interned to `u16`, document
//! references to arena offsets. About 31 bytes per entry in columns, plus the id's
//! bytes and ~6 bytes of hash table: well under 64 bytes per entry.

use hashbrown::HashTable;

/// Posting day of an entry that is not posted yet: greater than any known-at day.
pub(crate) const NOT_POSTED: i32 = i32::MAX;
/// "Known at" meaning everything posted so far.
pub(crate) const KNOW_ALL: i32 = i32::MAX - 1;
/// Due day of an entry that has none.
pub(crate) const NO_DUE: i32 = i32::MIN;

/// Entries per block of the zone map.
pub(crate) const BLOCK: usize = 64;

/// A zone-map block summary: the sum of a block's effects, its latest posting day (unposted =
/// [`NOT_POSTED`]) and its last operation day. A balance takes a whole block's sum in one
/// step when the block lies entirely within `as_of` and `known_at`, and scans it otherwise.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BlockSummary {
    pub(crate) sum: i64,
    pub(crate) max_post: i32,
    pub(crate) last_op: i32,
}

/// One premises' entries, as parallel columns sorted by (op, id), with a zone map.
#[derive(Debug, Default, Clone)]
pub(crate) struct Book {
    /// One summary per [`BLOCK`] entries; rebuilt whenever the columns change.
    pub(crate) blocks: Vec<BlockSummary>,
    /// The latest posting day of the book (`None`: nothing posted); rebuilt with the blocks.
    pub(crate) max_posted: Option<i32>,
    pub(crate) effect: Vec<i64>,
    pub(crate) op: Vec<i32>,
    pub(crate) post: Vec<i32>,
    pub(crate) due: Vec<i32>,
    pub(crate) kind: Vec<u8>,
    /// 0 = none, otherwise 1 + index into the component table.
    pub(crate) component: Vec<u16>,
    /// 0 = none, otherwise 1 + offset into the document arena.
    pub(crate) document: Vec<u32>,
    /// Offset of the entry id's record in the id arena.
    pub(crate) id: Vec<u32>,
}

/// One entry's stored fields (a row of a book).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) effect: i64,
    pub(crate) op: i32,
    pub(crate) post: i32,
    pub(crate) due: i32,
    pub(crate) kind: u8,
    pub(crate) component: u16,
    pub(crate) document: u32,
    pub(crate) id: u32,
}

/// A row's own fields, before its component, document and id are interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoredFields {
    /// Signed effect in grosze.
    pub(crate) effect: i64,
    /// Operation day.
    pub(crate) op: i32,
    /// Posting day, [`NOT_POSTED`] if none.
    pub(crate) post: i32,
    /// Due day, [`NO_DUE`] if none.
    pub(crate) due: i32,
    /// [`super::EntryKind`] as `u8`.
    pub(crate) kind: u8,
}

impl StoredFields {
    /// An entry's effect, days and kind.
    pub(crate) fn of(entry: &super::LedgerEntry) -> StoredFields {
        use crate::calendar::day_number;
        StoredFields {
            effect: entry.effect().grosze(),
            op: day_number(entry.operation_date),
            post: entry.posted_on.map_or(NOT_POSTED, day_number),
            due: entry.due_date.map_or(NO_DUE, day_number),
            kind: entry.kind as u8,
        }
    }
}

impl Book {
    pub(crate) fn len(&self) -> usize {
        self.effect.len()
    }

    pub(crate) fn row(&self, i: usize) -> Row {
        Row {
            effect: self.effect[i],
            op: self.op[i],
            post: self.post[i],
            due: self.due[i],
            kind: self.kind[i],
            component: self.component[i],
            document: self.document[i],
            id: self.id[i],
        }
    }

    pub(crate) fn push(&mut self, r: Row) {
        self.effect.push(r.effect);
        self.op.push(r.op);
        self.post.push(r.post);
        self.due.push(r.due);
        self.kind.push(r.kind);
        self.component.push(r.component);
        self.document.push(r.document);
        self.id.push(r.id);
    }

    /// Keeps the rows whose `keep` flag is set, in order; returns how many were dropped.
    pub(crate) fn retain_rows(&mut self, keep: &[bool]) -> usize {
        fn retain<T>(v: &mut Vec<T>, keep: &[bool]) {
            let mut i = 0;
            v.retain(|_| {
                let k = keep.get(i).copied().unwrap_or(true);
                i += 1;
                k
            });
        }
        let before = self.len();
        retain(&mut self.effect, keep);
        retain(&mut self.op, keep);
        retain(&mut self.post, keep);
        retain(&mut self.due, keep);
        retain(&mut self.kind, keep);
        retain(&mut self.component, keep);
        retain(&mut self.document, keep);
        retain(&mut self.id, keep);
        before - self.len()
    }

    pub(crate) fn position_of_id(&self, id_offset: u32) -> Option<usize> {
        self.id.iter().position(|&o| o == id_offset)
    }

    /// Rebuilds the zone map from the columns.
    pub(crate) fn rebuild_blocks(&mut self) {
        self.max_posted = self.post.iter().copied().filter(|&p| p != NOT_POSTED).max();
        self.blocks.clear();
        for lo in (0..self.len()).step_by(BLOCK) {
            let hi = (lo + BLOCK).min(self.len());
            self.blocks.push(BlockSummary {
                sum: sum_known(&self.effect[lo..hi], &self.post[lo..hi], NOT_POSTED),
                max_post: self.post[lo..hi].iter().copied().max().unwrap_or(i32::MIN),
                last_op: self.op[hi - 1],
            });
        }
        self.blocks.shrink_to_fit();
    }

    /// Σ effect of entries with op ≤ `as_of` posted on or before `known`, using the zone map.
    pub(crate) fn balance(&self, as_of: i32, known: i32) -> i64 {
        let mut acc = 0i64;
        for (b, s) in self.blocks.iter().enumerate() {
            let lo = b * BLOCK;
            let hi = (lo + BLOCK).min(self.len());
            if s.last_op <= as_of {
                if s.max_post <= known {
                    acc = acc.wrapping_add(s.sum);
                } else {
                    acc = acc.wrapping_add(self.sum_known(lo..hi, known));
                }
            } else {
                // Sorted by op: this block is the last one with anything on or before `as_of`.
                let end = lo + self.op[lo..hi].partition_point(|&d| d <= as_of);
                acc = acc.wrapping_add(self.sum_known(lo..end, known));
                break;
            }
        }
        acc
    }

    /// Reorders the columns by (op, id text) and rebuilds the zone map.
    pub(crate) fn sort(&mut self, ids: &IdArena) {
        // The id text is read only to break ties of the operation day.
        let cmp = |a: usize, b: usize| {
            self.op[a]
                .cmp(&self.op[b])
                .then_with(|| ids.raw(self.id[a]).cmp(ids.raw(self.id[b])))
        };
        // Rows come sorted, or sorted with a few appended: only the unsorted tail is sorted,
        // then merged with the sorted head, so a change costs its rows and one pass over the book.
        let head = (1..self.len())
            .find(|&i| cmp(i - 1, i) == std::cmp::Ordering::Greater)
            .unwrap_or(self.len());
        if head == self.len() {
            self.rebuild_blocks();
            return;
        }
        let mut tail: Vec<usize> = (head..self.len()).collect();
        tail.sort_by(|&a, &b| cmp(a, b));
        let mut perm: Vec<usize> = Vec::with_capacity(self.len());
        let (mut i, mut t) = (0, 0);
        while i < head || t < tail.len() {
            let take_head =
                t == tail.len() || (i < head && cmp(i, tail[t]) != std::cmp::Ordering::Greater);
            if take_head {
                perm.push(i);
                i += 1;
            } else {
                perm.push(tail[t]);
                t += 1;
            }
        }
        fn gather<T: Copy>(v: &mut Vec<T>, perm: &[usize]) {
            let sorted: Vec<T> = perm.iter().map(|&i| v[i]).collect();
            *v = sorted;
        }
        gather(&mut self.effect, &perm);
        gather(&mut self.op, &perm);
        gather(&mut self.post, &perm);
        gather(&mut self.due, &perm);
        gather(&mut self.kind, &perm);
        gather(&mut self.component, &perm);
        gather(&mut self.document, &perm);
        gather(&mut self.id, &perm);
        self.rebuild_blocks();
    }

    /// Makes room for exactly `n` more rows.
    pub(crate) fn reserve_exact(&mut self, n: usize) {
        self.effect.reserve_exact(n);
        self.op.reserve_exact(n);
        self.post.reserve_exact(n);
        self.due.reserve_exact(n);
        self.kind.reserve_exact(n);
        self.component.reserve_exact(n);
        self.document.reserve_exact(n);
        self.id.reserve_exact(n);
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.effect.shrink_to_fit();
        self.op.shrink_to_fit();
        self.post.shrink_to_fit();
        self.due.shrink_to_fit();
        self.kind.shrink_to_fit();
        self.component.shrink_to_fit();
        self.document.shrink_to_fit();
        self.id.shrink_to_fit();
    }

    /// Index of the first entry with operation day greater than `day`.
    pub(crate) fn end_of_day(&self, day: i32) -> usize {
        self.op.partition_point(|&d| d <= day)
    }

    /// The sum of effects over `range` of entries posted on or before `known` (branch-free).
    pub(crate) fn sum_known(&self, range: std::ops::Range<usize>, known: i32) -> i64 {
        sum_known(&self.effect[range.clone()], &self.post[range], known)
    }

    pub(crate) fn bytes(&self) -> usize {
        self.effect.capacity() * 8
            + self.op.capacity() * 4
            + self.post.capacity() * 4
            + self.due.capacity() * 4
            + self.kind.capacity()
            + self.component.capacity() * 2
            + self.document.capacity() * 4
            + self.id.capacity() * 4
            + self.blocks.capacity() * std::mem::size_of::<BlockSummary>()
    }
}

/// The hot loop of every balance: Σ effect where post ≤ known.
///
/// Wrapping addition is exact here: entry amounts are bounded by `MAX_ENTRY_AMOUNT` and a
/// book by `MAX_ENTRIES_PER_PREMISES`, so the true sum always fits in `i64`. Four
/// independent accumulators let the compiler vectorise.
#[inline]
pub(crate) fn sum_known(effect: &[i64], post: &[i32], known: i32) -> i64 {
    let mut acc = [0i64; 4];
    let mut e_chunks = effect.chunks_exact(4);
    let mut p_chunks = post.chunks_exact(4);
    for (e, p) in (&mut e_chunks).zip(&mut p_chunks) {
        for k in 0..4 {
            let mask = -i64::from(p[k] <= known);
            acc[k] = acc[k].wrapping_add(e[k] & mask);
        }
    }
    let mut total = acc[0]
        .wrapping_add(acc[1])
        .wrapping_add(acc[2])
        .wrapping_add(acc[3]);
    for (e, p) in e_chunks.remainder().iter().zip(p_chunks.remainder()) {
        total = total.wrapping_add(e & -i64::from(*p <= known));
    }
    total
}

/// The hash the id arena uses for an id.
pub(crate) fn hash_id(id: &str) -> u64 {
    hash_bytes(id.as_bytes())
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x65_62_6f_6b).hash_one(bytes)
}

/// Bits of an id offset that address a byte within its chunk.
const CHUNK_BITS: u32 = 20;
/// Bytes a chunk of the id arena holds: a little under 1 MiB, so that a chunk and its
/// allocator header fit in 256 pages.
const CHUNK_FILL: usize = (1 << CHUNK_BITS) - 64;

/// Entry ids: records `[premises slot: u32 LE][len: u8][bytes]` in fixed-size chunks, found
/// through a hash table of offsets (`chunk << 20 | position`). A chunk never grows once full
/// and is never moved: adding ids costs the ids added, never a copy of the arena (a record
/// that does not fit in the last chunk starts the next one). Removed records stay as garbage
/// (slot `u32::MAX`) until compaction.
#[derive(Default, Clone)]
pub(crate) struct IdArena {
    chunks: Vec<Vec<u8>>,
    index: HashTable<u32>,
    live: usize,
    dead_bytes: usize,
}

impl std::fmt::Debug for IdArena {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdArena")
            .field("live", &self.live)
            .field("chunks", &self.chunks.len())
            .finish()
    }
}

pub(crate) const DEAD_SLOT: u32 = u32::MAX;

/// The record at `offset`: its 4 slot bytes, then the id's bytes.
fn record(chunks: &[Vec<u8>], offset: u32) -> (&[u8], &[u8]) {
    let chunk = &chunks[(offset >> CHUNK_BITS) as usize];
    let o = (offset & ((1 << CHUNK_BITS) - 1)) as usize;
    let len = usize::from(chunk[o + 4]);
    (&chunk[o..o + 4], &chunk[o + 5..o + 5 + len])
}

fn hash_record(chunks: &[Vec<u8>], offset: u32) -> u64 {
    hash_bytes(record(chunks, offset).1)
}

impl IdArena {
    pub(crate) fn text(&self, offset: u32) -> &str {
        std::str::from_utf8(self.raw(offset)).unwrap_or("")
    }

    /// The id's bytes (UTF-8; byte order is the text's order).
    pub(crate) fn raw(&self, offset: u32) -> &[u8] {
        record(&self.chunks, offset).1
    }

    /// Makes room in the index for `count` more ids.
    pub(crate) fn reserve(&mut self, count: usize, _bytes: usize) {
        let chunks = &self.chunks;
        self.index.reserve(count, |&o| hash_record(chunks, o));
    }

    pub(crate) fn slot(&self, offset: u32) -> u32 {
        let s = record(&self.chunks, offset).0;
        u32::from_le_bytes([s[0], s[1], s[2], s[3]])
    }

    pub(crate) fn set_slot(&mut self, offset: u32, slot: u32) {
        let chunk = &mut self.chunks[(offset >> CHUNK_BITS) as usize];
        let o = (offset & ((1 << CHUNK_BITS) - 1)) as usize;
        chunk[o..o + 4].copy_from_slice(&slot.to_le_bytes());
    }

    pub(crate) fn find(&self, id: &str) -> Option<u32> {
        self.find_hashed(hash_bytes(id.as_bytes()), id)
    }

    /// [`IdArena::find`] with the id's hash already computed ([`hash_id`]).
    pub(crate) fn find_hashed(&self, hash: u64, id: &str) -> Option<u32> {
        self.index
            .find(hash, |&o| self.raw(o) == id.as_bytes())
            .copied()
    }

    /// Whether the arena can take ids of `extra_bytes` bytes of records in all without its
    /// offsets overflowing `u32` (counting the chunk ends a record may not straddle).
    pub(crate) fn has_room_for(&self, extra_bytes: usize) -> bool {
        let chunks_needed = self.chunks.len() + extra_bytes / (CHUNK_FILL - 260) + 2;
        chunks_needed <= (u32::MAX >> CHUNK_BITS) as usize
    }

    /// Adds an id (which must not be present) and returns its offset.
    pub(crate) fn add(&mut self, id: &str, slot: u32) -> u32 {
        self.add_hashed(id, slot, hash_bytes(id.as_bytes()))
    }

    /// [`IdArena::add`] with the id's hash already computed ([`hash_id`]).
    pub(crate) fn add_hashed(&mut self, id: &str, slot: u32, h: u64) -> u32 {
        let offset = self.push_record(id, slot);
        let chunks = &self.chunks;
        self.index
            .insert_unique(h, offset, |&o| hash_record(chunks, o));
        self.live += 1;
        offset
    }

    /// Appends an id's record without indexing it (a bulk load indexes all at once with
    /// [`IdArena::install_index`]); returns its offset.
    pub(crate) fn push_record(&mut self, id: &str, slot: u32) -> u32 {
        let id = &id.as_bytes()[..id.len().min(usize::from(u8::MAX))];
        let size = 5 + id.len();
        if self
            .chunks
            .last()
            .is_none_or(|c| c.len() + size > CHUNK_FILL)
        {
            self.chunks.push(Vec::with_capacity(CHUNK_FILL));
        }
        let c = self.chunks.len() - 1;
        let chunk = &mut self.chunks[c];
        let position = chunk.len();
        chunk.extend_from_slice(&slot.to_le_bytes());
        chunk.push(u8::try_from(id.len()).unwrap_or(u8::MAX));
        chunk.extend_from_slice(id);
        u32::try_from(c << CHUNK_BITS | position).unwrap_or(u32::MAX)
    }

    /// Takes an index built elsewhere over the records [`IdArena::push_record`] appended: a
    /// table of their offsets, hashed by [`hash_id`], one per live record.
    pub(crate) fn install_index(&mut self, index: HashTable<u32>) {
        self.live = index.len();
        self.index = index;
    }

    /// An empty arena with room for `bytes` bytes of records.
    pub(crate) fn with_capacity(bytes: usize) -> IdArena {
        IdArena {
            chunks: Vec::with_capacity(bytes / (CHUNK_FILL - 260) + 1),
            ..IdArena::default()
        }
    }

    /// Removes an id from the index and marks its record dead.
    pub(crate) fn remove(&mut self, offset: u32) {
        let id_len = self.raw(offset).len();
        let h = hash_bytes(self.raw(offset));
        if let Ok(entry) = self.index.find_entry(h, |&o| o == offset) {
            entry.remove();
            self.live -= 1;
            self.dead_bytes += 5 + id_len;
        }
        self.set_slot(offset, DEAD_SLOT);
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        // Full chunks are exactly their size; only the last one may have room to give back.
        if let Some(last) = self.chunks.last_mut() {
            last.shrink_to_fit();
        }
        self.chunks.shrink_to_fit();
        let chunks = &self.chunks;
        self.index.shrink_to_fit(|&o| hash_record(chunks, o));
    }

    pub(crate) fn should_compact(&self) -> bool {
        let used: usize = self.chunks.iter().map(Vec::len).sum();
        self.dead_bytes > 1 << 20 && self.dead_bytes > used / 2
    }

    /// Rebuilds the arena without dead records; returns old offset → new offset.
    pub(crate) fn compact(&mut self) -> hashbrown::HashMap<u32, u32, foldhash::fast::FixedState> {
        let mut map = hashbrown::HashMap::with_hasher(foldhash::fast::FixedState::with_seed(7));
        let old = std::mem::take(self);
        for (c, chunk) in old.chunks.iter().enumerate() {
            let mut o = 0usize;
            while o < chunk.len() {
                let len = usize::from(chunk[o + 4]);
                let off = u32::try_from(c << CHUNK_BITS | o).unwrap_or(u32::MAX);
                let slot = old.slot(off);
                if slot != DEAD_SLOT {
                    let new = self.add(old.text(off), slot);
                    map.insert(off, new);
                }
                o += 5 + len;
            }
        }
        map
    }

    pub(crate) fn bytes(&self) -> usize {
        self.chunks.iter().map(Vec::capacity).sum::<usize>()
            + self.chunks.capacity() * std::mem::size_of::<Vec<u8>>()
            + self.index.capacity() * (4 + 1)
    }
}

/// Document references, deduplicated: records `[len: u8][bytes]`.
#[derive(Default, Clone)]
pub(crate) struct DocArena {
    bytes: Vec<u8>,
    index: HashTable<u32>,
}

impl std::fmt::Debug for DocArena {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocArena")
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl DocArena {
    fn raw(bytes: &[u8], o: u32) -> &[u8] {
        let o = o as usize;
        let len = usize::from(bytes[o]);
        &bytes[o + 1..o + 1 + len]
    }

    pub(crate) fn text(&self, offset: u32) -> &str {
        std::str::from_utf8(Self::raw(&self.bytes, offset)).unwrap_or("")
    }

    pub(crate) fn find(&self, doc: &str) -> Option<u32> {
        let h = hash_bytes(doc.as_bytes());
        self.index
            .find(h, |&o| Self::raw(&self.bytes, o) == doc.as_bytes())
            .copied()
    }

    pub(crate) fn intern(&mut self, doc: &str) -> u32 {
        if let Some(o) = self.find(doc) {
            return o;
        }
        let offset = u32::try_from(self.bytes.len()).unwrap_or(u32::MAX);
        self.bytes.push(u8::try_from(doc.len()).unwrap_or(u8::MAX));
        self.bytes.extend_from_slice(doc.as_bytes());
        let bytes = &self.bytes;
        self.index
            .insert_unique(hash_bytes(doc.as_bytes()), offset, |&o| {
                hash_bytes(Self::raw(bytes, o))
            });
        offset
    }

    pub(crate) fn bytes(&self) -> usize {
        self.bytes.capacity() + self.index.capacity() * 5
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        let bytes = &self.bytes;
        self.index
            .shrink_to_fit(|&o| hash_bytes(Self::raw(bytes, o)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_known_matches_a_plain_loop() {
        let effect: Vec<i64> = (0..37).map(|i| i * 100 - 1700).collect();
        let post: Vec<i32> = (0..37).map(|i| (i * 7) % 11).collect();
        for known in -1..12 {
            let plain: i64 = effect
                .iter()
                .zip(&post)
                .filter(|(_, p)| **p <= known)
                .map(|(e, _)| e)
                .sum();
            assert_eq!(sum_known(&effect, &post, known), plain, "known {known}");
        }
    }

    #[test]
    fn zone_map_balance_matches_a_plain_scan_on_long_books() {
        // A deterministic pseudo-random book of 1000 entries sorted by op, with late and missing posts.
        let mut book = Book::default();
        let mut x: u64 = 12345;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as i64
        };
        let mut op = 1000;
        for i in 0..1000u32 {
            op += (next() % 3) as i32;
            let post = match next() % 10 {
                0 => NOT_POSTED,
                1 => op + 400,
                _ => op + (next() % 5) as i32,
            };
            book.push(Row {
                effect: next() % 200_000 - 100_000,
                op,
                post,
                due: NO_DUE,
                kind: 0,
                component: 0,
                document: 0,
                id: i,
            });
        }
        book.rebuild_blocks();
        assert_eq!(book.blocks.len(), 16);
        for as_of in (990..op + 10).step_by(37) {
            for known in [i32::MIN, 1100, 1500, op, op + 500, KNOW_ALL] {
                let plain: i64 = (0..book.len())
                    .filter(|&i| book.op[i] <= as_of && book.post[i] <= known)
                    .map(|i| book.effect[i])
                    .sum();
                assert_eq!(
                    book.balance(as_of, known),
                    plain,
                    "as_of {as_of} known {known}"
                );
            }
        }
    }

    #[test]
    fn id_arena_finds_removes_and_compacts() {
        let mut a = IdArena::default();
        let x = a.add("alpha", 3);
        let y = a.add("beta", 4);
        assert_eq!(a.find("alpha"), Some(x));
        assert_eq!(a.slot(y), 4);
        a.remove(x);
        assert_eq!(a.find("alpha"), None);
        let map = a.compact();
        let y2 = map[&y];
        assert_eq!(a.find("beta"), Some(y2));
        assert_eq!(a.text(y2), "beta");
        assert!(!map.contains_key(&x));
    }

    #[test]
    fn id_arena_spans_chunks_without_moving_records() {
        let mut a = IdArena::default();
        let ids: Vec<String> = (0..150_000u32)
            .map(|i| format!("{:0width$}", i, width = 5 + (i % 40) as usize))
            .collect();
        let offsets: Vec<u32> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| a.add(id, i as u32))
            .collect();
        assert!(a.chunks.len() >= 4, "{} chunks", a.chunks.len());
        assert!(
            a.chunks.iter().all(|c| c.capacity() == CHUNK_FILL),
            "a chunk grew or moved"
        );
        for (i, (id, &o)) in ids.iter().zip(&offsets).enumerate() {
            assert_eq!(a.find(id), Some(o));
            assert_eq!(a.text(o), id);
            assert_eq!(a.slot(o), i as u32);
        }
        for &o in offsets.iter().step_by(2) {
            a.remove(o);
        }
        let map = a.compact();
        for (i, id) in ids.iter().enumerate() {
            match i % 2 {
                0 => assert_eq!(a.find(id), None),
                _ => {
                    let o = map[&offsets[i]];
                    assert_eq!(a.find(id), Some(o));
                    assert_eq!(a.slot(o), i as u32);
                }
            }
        }
    }

    #[test]
    fn sort_merges_an_unsorted_tail_into_a_sorted_head() {
        let mut x: u64 = 99;
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        for case in 0..200 {
            let mut ids = IdArena::default();
            let mut book = Book::default();
            let n = next(60) as usize;
            let head = next(n as u64 + 1) as usize;
            let mut rows: Vec<(i32, String)> = (0..n)
                .map(|i| (next(20) as i32, format!("id{case}-{i}-{}", next(1000))))
                .collect();
            rows[..head].sort();
            for (k, (op, id)) in rows.iter().enumerate() {
                let offset = ids.add(id, 0);
                book.push(Row {
                    effect: k as i64,
                    op: *op,
                    post: *op,
                    due: NO_DUE,
                    kind: 0,
                    component: 0,
                    document: 0,
                    id: offset,
                });
            }
            book.sort(&ids);
            let got: Vec<(i32, String)> = (0..book.len())
                .map(|i| (book.op[i], ids.text(book.id[i]).to_owned()))
                .collect();
            let mut want = rows.clone();
            want.sort();
            assert_eq!(got, want, "case {case}");
            // The other columns moved with their rows.
            for i in 0..book.len() {
                assert_eq!(rows[book.effect[i] as usize].1, ids.text(book.id[i]));
            }
        }
    }

    #[test]
    fn doc_arena_deduplicates() {
        let mut d = DocArena::default();
        let a = d.intern("WB 1/2025");
        let b = d.intern("WB 1/2025");
        let c = d.intern("WB 2/2025");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(d.text(c), "WB 2/2025");
    }
}
