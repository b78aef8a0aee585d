//! Parsing each record file into typed records, collecting every problem with its line.

use std::collections::BTreeSet;

use hashbrown::HashMap;

use super::table::{Columns, Record, as_str, read_table};
use super::{ImportError, ImportIssue, Manifest, RecordType, SnapshotFiles, SnapshotKind};
use crate::calendar::{date_of_day, day_number, parse_date};
use crate::ledger::{
    Allocation, Component, DocumentRef, EntryDraft, EntryId, EntryKind, FieldError, LedgerEntry,
    MAX_ENTRY_AMOUNT, Part,
};
use crate::meters::{Legalization, Meter, MeterKind, Quantity, Reading, ReadingSource};
use crate::money::Money;
use crate::premises::{Area, LegalTitle, LoginId, Premises, PremisesId, PremisesKind};

/// Ledger rows parsed and validated, held in columns (ids in one arena, repeated texts
/// interned) so that parsing allocates per distinct value, not per field.
///
/// ```
/// use ebok_core::interchange::parse_ledger_csv;
/// let csv = "id;premises;kind;amount;operation_date;component;posted_on;due_date;document\n\
///            N1;0756555;charge;114,21;2025-05-01;eksploatacja;2025-05-01;2025-05-10;NAL 05/2025\n\
///            P1;0756555;payment;114.21;12.05.2025;;2025-05-13;;WB 12/2025\n";
/// let rows = parse_ledger_csv(csv.as_bytes(), "ledger.csv").unwrap();
/// assert_eq!(rows.len(), 2);
/// assert_eq!(rows.entry(1).amount.to_string(), "114.21");
/// ```
#[derive(Debug, Clone, Default)]
pub struct LedgerRows {
    lines: Vec<u32>,
    id_bytes: Vec<u8>,
    id_ends: Vec<u32>,
    premises_idx: Vec<u32>,
    premises: Vec<PremisesId>,
    kind: Vec<u8>,
    grosze: Vec<i64>,
    component_idx: Vec<u32>,
    components: Vec<Component>,
    op: Vec<i32>,
    post: Vec<i32>,
    due: Vec<i32>,
    document_idx: Vec<u32>,
    documents: Vec<DocumentRef>,
    /// Row numbers by id (hashed with [`id_hash`]), kept from [`LedgerRows::check_unique_ids`]
    /// so that the import finds a row by its id without a map of its own.
    index: Option<hashbrown::HashTable<u32>>,
}

const NONE: i32 = i32::MIN;

/// The hash of an id in [`LedgerRows`]'s index.
fn id_hash(b: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(5).hash_one(b)
}

/// Interns byte strings to indices (1-based; 0 is "none"). A small direct-mapped cache in
/// front of the hash map serves the few values that alternate from row to row (a month's
/// charge document and a day's bank statement, say) without hashing.
struct Interner<T> {
    map: HashMap<Vec<u8>, u32, foldhash::fast::FixedState>,
    cache: [(Vec<u8>, u32); 8],
    values: Vec<T>,
}

impl<T> Interner<T> {
    fn new() -> Self {
        Interner {
            map: HashMap::with_hasher(foldhash::fast::FixedState::with_seed(3)),
            cache: Default::default(),
            values: Vec::new(),
        }
    }

    /// The index of `bytes`, creating the value with `make` (`None` refuses it).
    fn get(&mut self, bytes: &[u8], make: impl FnOnce(&str) -> Option<T>) -> Option<u32> {
        let slot = (bytes.len()
            ^ usize::from(bytes.last().copied().unwrap_or(0))
            ^ usize::from(bytes.get(bytes.len() / 2).copied().unwrap_or(0)))
            & 7;
        let (key, i) = &self.cache[slot];
        if *i != 0 && key.as_slice() == bytes {
            return Some(*i);
        }
        let i = match self.map.get(bytes) {
            Some(&i) => i,
            None => {
                let v = make(as_str(bytes))?;
                self.values.push(v);
                let i = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
                self.map.insert(bytes.to_vec(), i);
                i
            }
        };
        let entry = &mut self.cache[slot];
        entry.0.clear();
        entry.0.extend_from_slice(bytes);
        entry.1 = i;
        Some(i)
    }
}

fn text_ok(b: &[u8], max: usize) -> bool {
    if !b.is_empty() && b.len() <= max && b.iter().all(|&c| (0x21..0x7f).contains(&c) || c == b' ')
    {
        // Printable ASCII: only the ends may still be spaces.
        return b[0] != b' ' && b[b.len() - 1] != b' ';
    }
    !b.is_empty()
        && b.len() <= max
        && !b.iter().any(|&c| c < 0x20 || c == 0x7f)
        && !b
            .windows(2)
            .any(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1]))
        && !b[0].is_ascii_whitespace()
        && !b[b.len() - 1].is_ascii_whitespace()
}

fn digits(b: &[u8]) -> Option<i32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i32, |a, &d| a * 10 + i32::from(d - b'0')))
}

/// Days from 1970-01-01 to a civil date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i32, m: i32, d: i32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// `YYYY-MM-DD` or `DD.MM.YYYY` to a day number, within the accepted range.
fn fast_day(b: &[u8]) -> Option<i32> {
    if b.len() != 10 {
        return None;
    }
    let (y, m, d) = if b[4] == b'-' && b[7] == b'-' {
        (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?)
    } else if b[2] == b'.' && b[5] == b'.' {
        (digits(&b[6..10])?, digits(&b[3..5])?, digits(&b[0..2])?)
    } else {
        return None;
    };
    if !(1900..=2199).contains(&y) || !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days_in_month = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (d <= days_in_month).then(|| days_from_civil(y, m, d) + UNIX_EPOCH_JULIAN_DAY)
}

/// `-1234.56`, `1234,5`, `12`: grosze, or `None` for anything else (spaces, `zł` … go the slow way).
fn fast_grosze(b: &[u8]) -> Option<i64> {
    let (neg, body) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    let sep = body.iter().position(|&c| c == b'.' || c == b',');
    let (whole, frac) = match sep {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, &[][..]),
    };
    if whole.is_empty() || whole.len() > 13 || frac.len() > 2 || (sep.is_some() && frac.is_empty())
    {
        return None;
    }
    if !whole.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    let mut g: i64 = 0;
    for &d in whole {
        g = g * 10 + i64::from(d - b'0');
    }
    let mut f = 0i64;
    for i in 0..2 {
        f = f * 10 + frac.get(i).map_or(0, |&d| i64::from(d - b'0'));
    }
    let g = g * 100 + f;
    Some(if neg { -g } else { g })
}

fn fast_kind(b: &[u8]) -> Option<EntryKind> {
    // Dispatch on the length first: no string comparison for the common codes' neighbours.
    let is = |code: &[u8]| b.eq_ignore_ascii_case(code);
    Some(match b.len() {
        6 if is(b"charge") => EntryKind::Charge,
        7 if is(b"payment") => EntryKind::Payment,
        6 if is(b"wplata") => EntryKind::Payment,
        10 if is(b"naliczenie") => EntryKind::Charge,
        10 if is(b"correction") => EntryKind::Correction,
        7 if is(b"korekta") => EntryKind::Correction,
        8 if is(b"interest") => EntryKind::Interest,
        7 if is(b"odsetki") => EntryKind::Interest,
        10 if is(b"settlement") => EntryKind::Settlement,
        11 if is(b"rozliczenie") => EntryKind::Settlement,
        6 if is(b"refund") => EntryKind::Refund,
        5 if is(b"zwrot") => EntryKind::Refund,
        15 if is(b"opening_balance") => EntryKind::OpeningBalance,
        _ => return None,
    })
}

fn premises_ok(b: &[u8]) -> bool {
    !b.is_empty()
        && b.len() <= PremisesId::MAX_LEN
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'/' | b'.'))
}

impl LedgerRows {
    /// The number of rows.
    ///
    /// ```
    /// use ebok_core::interchange::LedgerRows;
    /// assert_eq!(LedgerRows::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether there are no rows.
    ///
    /// ```
    /// use ebok_core::interchange::LedgerRows;
    /// assert!(LedgerRows::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub(crate) fn id_of(&self, i: usize) -> &str {
        self.id(i)
    }

    /// The row holding `id`, if any (rows are unique by id once
    /// [`LedgerRows::check_unique_ids`] has passed; before, the first such row).
    pub(crate) fn find(&self, id: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index
                .find(id_hash(id.as_bytes()), |&j| {
                    self.id_raw(j as usize) == id.as_bytes()
                })
                .map(|&j| j as usize),
            None => (0..self.len()).find(|&i| self.id_raw(i) == id.as_bytes()),
        }
    }

    /// The distinct premises of the rows, in the order first met.
    pub(crate) fn premises_list(&self) -> &[PremisesId] {
        &self.premises
    }

    /// Row `i`'s position in [`LedgerRows::premises_list`].
    pub(crate) fn premises_index(&self, i: usize) -> usize {
        self.premises_idx[i] as usize - 1
    }

    /// Row `i`'s effect in grosze ([`LedgerEntry::effect`]).
    pub(crate) fn effect(&self, i: usize) -> i64 {
        EntryKind::ALL[usize::from(self.kind[i]).min(6)]
            .effect_of(Money::from_grosze(self.grosze[i]))
            .grosze()
    }

    /// Whether row `i` counts in a balance as of `as_of` known at `as_of` (day numbers).
    pub(crate) fn counts_at(&self, i: usize, as_of: i32) -> bool {
        self.op[i] <= as_of && self.post[i] != NONE && self.post[i] <= as_of
    }

    fn id(&self, i: usize) -> &str {
        as_str(self.id_raw(i))
    }

    fn id_raw(&self, i: usize) -> &[u8] {
        let start = if i == 0 {
            0
        } else {
            self.id_ends[i - 1] as usize
        };
        &self.id_bytes[start..self.id_ends[i] as usize]
    }

    fn reserve(&mut self, rows: usize) {
        self.lines.reserve(rows);
        self.id_bytes.reserve(rows * 12);
        self.id_ends.reserve(rows);
        self.premises_idx.reserve(rows);
        self.kind.reserve(rows);
        self.grosze.reserve(rows);
        self.component_idx.reserve(rows);
        self.op.reserve(rows);
        self.post.reserve(rows);
        self.due.reserve(rows);
        self.document_idx.reserve(rows);
    }

    /// The line of row `i` in its file.
    ///
    /// ```
    /// use ebok_core::interchange::parse_ledger_csv;
    /// let rows = parse_ledger_csv(b"id;premises;kind;amount;operation_date\nP1;1;payment;5;2025-01-01\n", "l.csv").unwrap();
    /// assert_eq!(rows.line(0), 2);
    /// ```
    pub fn line(&self, i: usize) -> u64 {
        u64::from(self.lines[i])
    }

    /// Row `i` as an entry.
    ///
    /// ```
    /// use ebok_core::interchange::parse_ledger_csv;
    /// let rows = parse_ledger_csv(b"id;premises;kind;amount;operation_date\nP1;1;wp\xc5\x82ata;5;2025-01-01\n", "l.csv").unwrap();
    /// assert_eq!(rows.entry(0).id.as_str(), "P1");
    /// ```
    pub fn entry(&self, i: usize) -> LedgerEntry {
        let kind = EntryKind::ALL[usize::from(self.kind[i]).min(6)];
        let pick = |idx: u32| idx.checked_sub(1).map(|k| k as usize);
        LedgerEntry {
            id: EntryId::trusted(self.id(i)),
            premises: self.premises[self.premises_idx[i] as usize - 1].clone(),
            kind,
            amount: Money::from_grosze(self.grosze[i]),
            component: pick(self.component_idx[i]).map(|k| self.components[k].clone()),
            operation_date: date_of_day(self.op[i]),
            posted_on: (self.post[i] != NONE).then(|| date_of_day(self.post[i])),
            due_date: (self.due[i] != NONE).then(|| date_of_day(self.due[i])),
            document: pick(self.document_idx[i]).map(|k| self.documents[k].clone()),
        }
    }

    /// Every row as entries.
    ///
    /// ```
    /// use ebok_core::interchange::LedgerRows;
    /// assert!(LedgerRows::default().entries().is_empty());
    /// ```
    pub fn entries(&self) -> Vec<LedgerEntry> {
        (0..self.len()).map(|i| self.entry(i)).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        line: u64,
        id: &[u8],
        premises: u32,
        kind: EntryKind,
        grosze: i64,
        component: u32,
        op: i32,
        post: i32,
        due: i32,
        document: u32,
    ) {
        self.lines.push(u32::try_from(line).unwrap_or(u32::MAX));
        self.id_bytes.extend_from_slice(id);
        self.id_ends
            .push(u32::try_from(self.id_bytes.len()).unwrap_or(u32::MAX));
        self.premises_idx.push(premises);
        self.kind.push(kind as u8);
        self.grosze.push(grosze);
        self.component_idx.push(component);
        self.op.push(op);
        self.post.push(post);
        self.due.push(due);
        self.document_idx.push(document);
    }
}

fn field_issue(file: &str, line: u64, e: &FieldError) -> ImportIssue {
    ImportIssue::new(file, line, Some(e.field.name()), &e.value, &e.problem)
}

/// Parses and validates a ledger file (decoded to UTF-8 or raw UTF-8 bytes), reporting every
/// bad row. Uniqueness of ids across rows is a separate check, [`LedgerRows::check_unique_ids`]
/// (the import runs both). The hot path reads bytes in place; anything unusual (spaces in amounts, diacritics
/// in kinds …) goes through [`EntryDraft`], so both paths accept exactly the same rows.
///
/// ```
/// use ebok_core::interchange::parse_ledger_csv;
/// let bad = "id;premises;kind;amount;operation_date\nP1;0756555;payment;1.234;2025-01-01\nP2;0756555;payment;5;2025-02-30\n";
/// let issues = parse_ledger_csv(bad.as_bytes(), "ledger.csv").unwrap_err();
/// assert_eq!(issues.len(), 2);
/// assert_eq!((issues[0].line, issues[0].column.as_deref()), (2, Some("amount")));
/// assert_eq!((issues[1].line, issues[1].column.as_deref()), (3, Some("operation_date")));
/// ```
pub fn parse_ledger_csv(text: &[u8], file: &str) -> Result<LedgerRows, Vec<ImportIssue>> {
    let (rows, issues) = parse_ledger_rows(text, file);
    if issues.is_empty() {
        Ok(rows)
    } else {
        Err(issues)
    }
}

/// The rows that parsed, and the problems of those that did not.
pub(crate) fn parse_ledger_rows(text: &[u8], file: &str) -> (LedgerRows, Vec<ImportIssue>) {
    let text = match std::str::from_utf8(text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text)) {
        Ok(t) => t,
        Err(_) => {
            return (
                LedgerRows::default(),
                vec![ImportIssue::new(
                    file,
                    0,
                    None,
                    "",
                    "the file is not UTF-8; decode it first",
                )],
            );
        }
    };
    let columns = RecordType::Ledger.columns();
    // A generous guess of the row count saves regrowing the columns.
    let whole = |part: &str| {
        let mut parser = LedgerParser::new(file, part.len() / 48);
        let mut issues = Vec::new();
        read_table(
            file,
            part,
            columns,
            5,
            &mut issues,
            |line, rec, cols, issues| parser.row(line, rec, cols, issues),
        );
        (parser.finish(), issues)
    };
    // A large file is read in two halves on two cores, then joined.
    let (rows, mut issues) = match super::table::split_in_two(text) {
        None => whole(text),
        Some((split, first_line)) => {
            let ((mut rows, mut issues), (rest, rest_issues)) = crate::parallel::in_parallel(
                || whole(&text[..split]),
                || {
                    let mut parser = LedgerParser::new(file, (text.len() - split) / 48);
                    let issues = super::table::read_table_rest(
                        file,
                        text,
                        split,
                        first_line,
                        columns,
                        5,
                        |line, rec, cols, issues| parser.row(line, rec, cols, issues),
                    );
                    (parser.finish(), issues)
                },
            );
            rows.append(rest);
            issues.extend(rest_issues);
            (rows, issues)
        }
    };
    issues.sort_by_key(|i| i.line);
    (rows, issues)
}

/// Reads ledger rows into columns, interning repeated texts.
struct LedgerParser<'f> {
    file: &'f str,
    rows: LedgerRows,
    premises: Interner<PremisesId>,
    components: Interner<Component>,
    documents: Interner<DocumentRef>,
}

impl<'f> LedgerParser<'f> {
    fn new(file: &'f str, capacity: usize) -> Self {
        let mut rows = LedgerRows::default();
        rows.reserve(capacity);
        LedgerParser {
            file,
            rows,
            premises: Interner::new(),
            components: Interner::new(),
            documents: Interner::new(),
        }
    }

    /// Reads one record: in place when it is plain, through [`EntryDraft`] otherwise.
    fn row(&mut self, line: u64, rec: &Record<'_>, cols: &Columns, issues: &mut Vec<ImportIssue>) {
        let f = |i: usize| cols.get(rec, i);
        let fast = (|| {
            let id = f(0);
            if !text_ok(id, EntryId::MAX_LEN) {
                return None;
            }
            let p = f(1);
            if !premises_ok(p) {
                return None;
            }
            let kind = fast_kind(f(2))?;
            let g = fast_grosze(f(3))?;
            if g.abs() > MAX_ENTRY_AMOUNT.grosze() {
                return None;
            }
            let op = fast_day(f(4))?;
            let (c, post, due, d) = (f(5), f(6), f(7), f(8));
            let post = if post.is_empty() {
                NONE
            } else {
                fast_day(post)?
            };
            let due = if due.is_empty() { NONE } else { fast_day(due)? };
            if (post != NONE && post < op)
                || (kind == EntryKind::Charge && (c.is_empty() || due == NONE))
            {
                return None;
            }
            if (!c.is_empty() && !text_ok(c, Component::MAX_LEN))
                || (!d.is_empty() && !text_ok(d, DocumentRef::MAX_LEN))
            {
                return None;
            }
            let pi = self.premises.get(p, |s| Some(PremisesId::trusted(s)))?;
            let ci = if c.is_empty() {
                0
            } else {
                self.components.get(c, |s| Some(Component::trusted(s)))?
            };
            let di = if d.is_empty() {
                0
            } else {
                self.documents.get(d, |s| Some(DocumentRef::trusted(s)))?
            };
            Some((id, pi, kind, g, ci, op, post, due, di))
        })();
        if let Some((id, pi, kind, g, ci, op, post, due, di)) = fast {
            self.rows.push(line, id, pi, kind, g, ci, op, post, due, di);
            return;
        }
        let s = |i: usize| as_str(f(i));
        let draft = EntryDraft {
            id: s(0),
            premises: s(1),
            kind: s(2),
            amount: s(3),
            operation_date: s(4),
            component: s(5),
            posted_on: s(6),
            due_date: s(7),
            document: s(8),
        };
        match draft.build() {
            Ok(e) => {
                let pi = self
                    .premises
                    .get(e.premises.as_str().as_bytes(), |_| Some(e.premises.clone()))
                    .unwrap_or(0);
                let ci = e.component.as_ref().map_or(0, |c| {
                    self.components
                        .get(c.as_str().as_bytes(), |_| Some(c.clone()))
                        .unwrap_or(0)
                });
                let di = e.document.as_ref().map_or(0, |d| {
                    self.documents
                        .get(d.as_str().as_bytes(), |_| Some(d.clone()))
                        .unwrap_or(0)
                });
                self.rows.push(
                    line,
                    e.id.as_str().as_bytes(),
                    pi,
                    e.kind,
                    e.amount.grosze(),
                    ci,
                    day_number(e.operation_date),
                    e.posted_on.map_or(NONE, day_number),
                    e.due_date.map_or(NONE, day_number),
                    di,
                );
            }
            Err(errors) => issues.extend(errors.iter().map(|e| field_issue(self.file, line, e))),
        }
    }

    fn finish(self) -> LedgerRows {
        let mut rows = self.rows;
        rows.premises = self.premises.values;
        rows.components = self.components.values;
        rows.documents = self.documents.values;
        rows
    }
}

impl LedgerRows {
    /// Appends `other`'s rows (read from the same file after these), re-indexing its
    /// interned texts into this table's, each value kept once. The index of ids is dropped:
    /// uniqueness is checked afterwards.
    fn append(&mut self, other: LedgerRows) {
        fn remap<T: Clone + Eq + std::hash::Hash>(mine: &mut Vec<T>, theirs: Vec<T>) -> Vec<u32> {
            let mut at: HashMap<T, u32, foldhash::fast::FixedState> =
                HashMap::with_hasher(foldhash::fast::FixedState::with_seed(9));
            at.extend(mine.iter().cloned().zip(1u32..));
            // Index 0 (none) stays 0.
            let mut map = vec![0u32];
            for v in theirs {
                let next = u32::try_from(mine.len() + 1).unwrap_or(u32::MAX);
                let i = *at.entry(v.clone()).or_insert_with(|| {
                    mine.push(v);
                    next
                });
                map.push(i);
            }
            map
        }
        let premises = remap(&mut self.premises, other.premises);
        let components = remap(&mut self.components, other.components);
        let documents = remap(&mut self.documents, other.documents);
        let at = |map: &[u32], k: u32| map.get(k as usize).copied().unwrap_or(0);
        let base = u32::try_from(self.id_bytes.len()).unwrap_or(u32::MAX);
        self.lines.extend(other.lines);
        self.id_bytes.extend(other.id_bytes);
        self.id_ends
            .extend(other.id_ends.iter().map(|e| e.saturating_add(base)));
        self.premises_idx
            .extend(other.premises_idx.iter().map(|&k| at(&premises, k)));
        self.kind.extend(other.kind);
        self.grosze.extend(other.grosze);
        self.component_idx
            .extend(other.component_idx.iter().map(|&k| at(&components, k)));
        self.op.extend(other.op);
        self.post.extend(other.post);
        self.due.extend(other.due);
        self.document_idx
            .extend(other.document_idx.iter().map(|&k| at(&documents, k)));
        self.index = None;
    }
}

impl LedgerRows {
    /// Checks that ids are unique: the same id twice with identical content counts once (the
    /// repeat is dropped); with different content it is an error naming both lines.
    ///
    /// ```
    /// use ebok_core::interchange::parse_ledger_csv;
    /// let csv = "id;premises;kind;amount;operation_date\nP1;1;payment;5;2025-01-01\nP1;1;payment;5;2025-01-01\nP1;1;payment;6;2025-01-01\n";
    /// let mut rows = parse_ledger_csv(csv.as_bytes(), "ledger.csv").unwrap();
    /// let issues = rows.check_unique_ids("ledger.csv").unwrap_err();
    /// assert_eq!((issues.len(), issues[0].line), (1, 4));
    /// ```
    pub fn check_unique_ids(&mut self, file: &str) -> Result<(), Vec<ImportIssue>> {
        // A table of row indices (4 bytes a slot) keeps this cheap for millions of rows.
        let hash = id_hash;
        let rows = &*self;
        let mut issues = Vec::new();
        let mut seen: hashbrown::HashTable<u32> = hashbrown::HashTable::with_capacity(rows.len());
        let mut duplicates = Vec::new();
        for i in 0..rows.len() {
            let h = hash(rows.id_raw(i));
            match seen.find(h, |&j| rows.id_raw(j as usize) == rows.id_raw(i)) {
                Some(&first) if rows.entry(first as usize) != rows.entry(i) => {
                    issues.push(ImportIssue::new(
                        file,
                        rows.line(i),
                        Some("id"),
                        rows.id(i),
                        format!(
                            "the same id as line {} with different content",
                            rows.line(first as usize)
                        ),
                    ))
                }
                Some(_) => duplicates.push(i),
                None => {
                    seen.insert_unique(h, u32::try_from(i).unwrap_or(u32::MAX), |&j| {
                        hash(rows.id_raw(j as usize))
                    });
                }
            }
        }
        if !issues.is_empty() {
            return Err(issues);
        }
        if duplicates.is_empty() {
            self.index = Some(seen);
            return Ok(());
        }
        drop(seen);
        let mut keep = vec![true; self.len()];
        for d in duplicates {
            keep[d] = false;
        }
        let mut kept = LedgerRows {
            premises: self.premises.clone(),
            components: self.components.clone(),
            documents: self.documents.clone(),
            ..LedgerRows::default()
        };
        for i in (0..self.len()).filter(|&i| keep[i]) {
            kept.push(
                self.line(i),
                self.id_raw(i),
                self.premises_idx[i],
                EntryKind::ALL[usize::from(self.kind[i]).min(6)],
                self.grosze[i],
                self.component_idx[i],
                self.op[i],
                self.post[i],
                self.due[i],
                self.document_idx[i],
            );
        }
        *self = kept;
        // Now free of repeats: the check passes again and keeps its index of the rows.
        self.check_unique_ids(file)
    }
}

/// Parsed rows load into a ledger with no entries in bulk, with no entry made per row.
impl crate::ledger::BulkRows for LedgerRows {
    fn count(&self) -> usize {
        self.len()
    }
    fn id(&self, row: usize) -> &str {
        LedgerRows::id(self, row)
    }
    fn premises(&self, row: usize) -> &PremisesId {
        &self.premises[self.premises_index(row)]
    }
    fn component(&self, row: usize) -> Option<&Component> {
        let c = self.component_idx[row].checked_sub(1)?;
        self.components.get(c as usize)
    }
    fn document(&self, row: usize) -> Option<&str> {
        let d = self.document_idx[row].checked_sub(1)?;
        self.documents.get(d as usize).map(DocumentRef::as_str)
    }
    fn fields(&self, row: usize) -> crate::ledger::StoredFields {
        crate::ledger::StoredFields {
            effect: self.effect(row),
            op: self.op[row],
            post: match self.post[row] {
                NONE => crate::ledger::NOT_POSTED,
                day => day,
            },
            // Both use i32::MIN for none.
            due: self.due[row],
            kind: self.kind[row],
        }
    }
    fn validate(&self, _row: usize) -> Result<(), Vec<FieldError>> {
        // Every row was validated as it was parsed: the fast path by the same rules as
        // `LedgerEntry::validate`, anything else by `EntryDraft::build`.
        Ok(())
    }
    fn same(&self, a: usize, b: usize) -> bool {
        // Texts are interned: equal indices are equal values.
        self.id_raw(a) == self.id_raw(b)
            && self.premises_idx[a] == self.premises_idx[b]
            && self.kind[a] == self.kind[b]
            && self.grosze[a] == self.grosze[b]
            && self.component_idx[a] == self.component_idx[b]
            && self.op[a] == self.op[b]
            && self.post[a] == self.post[b]
            && self.due[a] == self.due[b]
            && self.document_idx[a] == self.document_idx[b]
    }
}

/// Everything a snapshot holds, parsed.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) present: BTreeSet<RecordType>,
    pub(crate) premises: Vec<(u64, Premises)>,
    pub(crate) logins: Vec<(u64, LoginId, PremisesId)>,
    pub(crate) ledger: LedgerRows,
    pub(crate) allocations: Vec<(u64, Allocation)>,
    pub(crate) designations: Vec<(u64, EntryId, EntryId)>,
    pub(crate) meters: Vec<(u64, Meter)>,
    pub(crate) readings: Vec<(u64, Reading)>,
    pub(crate) virtual_accounts: Vec<(u64, crate::bank::VirtualAccount)>,
    pub(crate) holders: Vec<(u64, crate::holders::Holding)>,
    pub(crate) parameters: Vec<(u64, super::holdings::ParameterRow)>,
    pub(crate) documents: Vec<(u64, crate::documents::Document)>,
    pub(crate) deletions: Vec<(u64, RecordType, String)>,
    pub(crate) controls: Vec<(u64, Option<PremisesId>, Money)>,
}

pub(super) fn opt<T, E: std::fmt::Display>(
    file: &str,
    line: u64,
    column: &str,
    raw: &str,
    issues: &mut Vec<ImportIssue>,
    f: impl FnOnce(&str) -> Result<T, E>,
) -> Option<Option<T>> {
    if raw.is_empty() {
        return Some(None);
    }
    match f(raw) {
        Ok(v) => Some(Some(v)),
        Err(e) => {
            issues.push(ImportIssue::new(file, line, Some(column), raw, e));
            None
        }
    }
}

pub(super) fn req<T, E: std::fmt::Display>(
    file: &str,
    line: u64,
    column: &str,
    raw: &str,
    issues: &mut Vec<ImportIssue>,
    f: impl FnOnce(&str) -> Result<T, E>,
) -> Option<T> {
    if raw.is_empty() {
        issues.push(ImportIssue::new(
            file,
            line,
            Some(column),
            raw,
            "is required",
        ));
        return None;
    }
    opt(file, line, column, raw, issues, f).flatten()
}

/// Parses every file of a snapshot.
pub(crate) fn parse_snapshot(
    files: &SnapshotFiles,
    integrity: super::Integrity,
) -> Result<(Manifest, Parsed), ImportError> {
    let manifest = Manifest::parse(&files.manifest)?;
    // The files' checksums and row counts on one core while the other parses them.
    let (mut issues, (parsed, parse_issues)) = crate::parallel::in_parallel(
        || {
            let mut issues = Vec::new();
            check_files(files, &manifest, integrity, &mut issues);
            issues
        },
        || parse_files(files, &manifest),
    );
    issues.extend(parse_issues);
    if issues.is_empty() {
        Ok((manifest, parsed))
    } else {
        Err(ImportError::new(issues))
    }
}

/// Decodes and parses every file of a snapshot; returns what parsed and every problem.
fn parse_files(files: &SnapshotFiles, manifest: &Manifest) -> (Parsed, Vec<ImportIssue>) {
    let mut issues: Vec<ImportIssue> = Vec::new();
    let mut parsed = Parsed::default();
    let mut texts: Vec<(&str, std::borrow::Cow<'_, str>)> = Vec::new();
    for (name, bytes) in &files.files {
        match super::decode(bytes, manifest.encoding, name) {
            Ok(t) => texts.push((name.as_str(), t)),
            Err(e) => issues.push(e),
        }
    }
    let known: Vec<&str> = RecordType::ALL
        .iter()
        .map(|t| t.file_name())
        .chain(["deletions.csv", "controls.csv"])
        .collect();
    for (name, _) in &texts {
        if !known.contains(name) {
            issues.push(ImportIssue::new(
                name,
                0,
                None,
                name,
                "unknown file in the snapshot",
            ));
        }
    }
    if manifest.kind == SnapshotKind::Full {
        for t in RecordType::ALL.into_iter().filter(|t| t.required()) {
            if !files.files.contains_key(t.file_name()) {
                issues.push(ImportIssue::new(
                    t.file_name(),
                    0,
                    None,
                    "",
                    "a full snapshot must contain every record file",
                ));
            }
        }
        if files.files.contains_key("deletions.csv") {
            issues.push(ImportIssue::new(
                "deletions.csv",
                0,
                None,
                "",
                "deletions belong to incremental snapshots",
            ));
        }
    }
    for (name, text) in &texts {
        let name: &str = name;
        let Some(t) = RecordType::ALL.into_iter().find(|t| t.file_name() == name) else {
            match name {
                "deletions.csv" => parse_deletions(text, &mut parsed, &mut issues),
                "controls.csv" => parse_controls(text, &mut parsed, &mut issues),
                _ => {}
            }
            continue;
        };
        parsed.present.insert(t);
        match t {
            RecordType::Ledger => {
                let (mut rows, mut problems) = parse_ledger_rows(text.as_bytes(), name);
                if let Err(e) = rows.check_unique_ids(name) {
                    problems.extend(e);
                    problems.sort_by_key(|i| i.line);
                }
                issues.extend(problems);
                parsed.ledger = rows;
            }
            RecordType::Premises => parse_premises(text, &mut parsed, &mut issues),
            RecordType::Logins => parse_logins(text, &mut parsed, &mut issues),
            RecordType::Allocations => parse_allocations(text, &mut parsed, &mut issues),
            RecordType::Designations => parse_designations(text, &mut parsed, &mut issues),
            RecordType::Meters => parse_meters(text, &mut parsed, &mut issues),
            RecordType::Readings => parse_readings(text, &mut parsed, &mut issues),
            RecordType::VirtualAccounts => parse_virtual_accounts(text, &mut parsed, &mut issues),
            RecordType::Holders => super::holdings::parse_holders(text, &mut parsed, &mut issues),
            RecordType::Parameters => {
                super::holdings::parse_parameters(text, &mut parsed, &mut issues)
            }
            RecordType::Documents => {
                super::holdings::parse_documents(text, &mut parsed, &mut issues)
            }
        }
    }
    (parsed, issues)
}

fn parse_premises(text: &str, parsed: &mut Parsed, issues: &mut Vec<ImportIssue>) {
    const F: &str = "premises.csv";
    read_table(
        F,
        text,
        RecordType::Premises.columns(),
        3,
        issues,
        |line, rec, cols, issues| {
            let s = |i| as_str(cols.get(rec, i));
            let id = req(F, line, "id", s(0), issues, PremisesId::new);
            let kind = req(F, line, "kind", s(1), issues, str::parse::<PremisesKind>);
            let area = req(F, line, "area", s(2), issues, Area::parse);
            let title = opt(F, line, "title", s(3), issues, str::parse::<LegalTitle>);
            let address = free_text(F, line, "address", s(4), issues);
            let building = opt(F, line, "building", s(5), issues, |b| {
                if crate::documents::valid_building(b) {
                    Ok(b.to_owned())
                } else {
                    Err(
                        "is not a building identifier (1 to 32 ASCII letters, digits, '-', '/', '.')",
                    )
                }
            });
            if let (Some(id), Some(kind), Some(area), Some(title), Some(building)) =
                (id, kind, area, title, building)
            {
                let mut p = Premises::new(id, kind, area);
                p.legal_title = title;
                p.address = address;
                p.building = building;
                parsed.premises.push((line, p));
            }
        },
    );
    duplicates(F, &mut parsed.premises, |p| p.id.to_string(), issues);
}

fn parse_logins(text: &str, parsed: &mut Parsed, issues: &mut Vec<ImportIssue>) {
    const F: &str = "logins.csv";
    read_table(
        F,
        text,
        RecordType::Logins.columns(),
        2,
        issues,
        |line, rec, cols, issues| {
            let s = |i| as_str(cols.get(rec, i));
            let login = req(F, line, "login", s(0), issues, LoginId::new);
            let premises = req(F, line, "premises", s(1), issues, PremisesId::new);
            if let (Some(l), Some(p)) = (login, premises) {
                parsed.logins.push((line, l, p));
            }
        },
    );
    // An identical line twice links once, and is counted once.
    let mut seen = std::collections::HashSet::new();
    parsed
        .logins
        .retain(|(_, l, p)| seen.insert((l.clone(), p.clone())));
}

fn parse_part(s: &str) -> Result<Part, &'static str> {
    match s.to_lowercase().as_str() {
        "principal" | "należność" | "naleznosc" | "kapitał" | "kapital" => Ok(Part::Principal),
        "interest" | "odsetki" => Ok(Part::Interest),
        _ => Err("expected principal or interest"),
    }
}

fn parse_allocations(text: &str, parsed: &mut Parsed, issues: &mut Vec<ImportIssue>) {
    const F: &str = "allocations.csv";
    read_table(
        F,
        text,
        RecordType::Allocations.columns(),
        4,
        issues,
        |line, rec, cols, issues| {
            let s = |i| as_str(cols.get(rec, i));
            let credit = req(F, line, "credit", s(0), issues, EntryId::new);
            let debt = req(F, line, "debt", s(1), issues, EntryId::new);
            let part = req(F, line, "part", s(2), issues, parse_part);
            let amount = req(F, line, "amount", s(3), issues, |t| {
                Money::parse(t).map_err(|e| e.to_string()).and_then(|m| {
                    if m.is_positive() {
                        Ok(m)
                    } else {
                        Err("must be positive".to_owned())
                    }
                })
            });
            if let (Some(credit), Some(debt), Some(part), Some(amount)) =
                (credit, debt, part, amount)
            {
                parsed.allocations.push((
                    line,
                    Allocation {
                        credit,
                        debt,
                        part,
                        amount,
                    },
                ));
            }
        },
    );
}

fn parse_designations(text: &str, parsed: &mut Parsed, issues: &mut Vec<ImportIssue>) {
    const F: &str = "designations.csv";
    read_table(
        F,
        text,
        RecordType::Designations.columns(),
        2,
        issues,
        |line, rec, cols, issues| {
            let s = |i| as_str(cols.get(rec, i));
            let credit = req(F, line, "credit", s(0), issues, EntryId::new);
            let debt = req(F, line, "debt", s(1), issues, EntryId::new);
            if let (Some(c), Some(d)) = (credit, debt) {
                parsed.designations.push((line, c, d));
            }
        },
    );
    let mut seen: std::collections::HashMap<&EntryId, (u64, &EntryId)> =
        std::collections::HashMap::new();
    for (line, credit, debt) in &parsed.designations {
        match seen.get(credit) {
            Some((first, d)) if *d != debt => issues.push(ImportIssue::new(
                F,
                *line,
                Some("credit"),
                credit.as_str(),
                format!("designated differently on line {first}"),
            )),
            Some(_) => {}
            None => {
                seen.insert(credit, (*line, debt));
            }
        }
    }
    // An identical designation twice is one designation.
    let mut once = std::collections::HashSet::new();
    parsed
        .designations
        .retain(|(_, c, d)| once.insert((c.clone(), d.clone())));
}

fn parse_meters(text: &str, parsed: &mut Parsed, issues: &mut Vec<ImportIssue>) {
    const F: &str = "meters.csv";
    read_table(
        F,
        text,
        RecordType::Meters.columns(),
        5,
        issues,
        |line, rec, cols, issues| {
            let s = |i| as_str(cols.get(rec, i));
            let serial = s(0);
            let kind = req(F, line, "kind", s(1), issues, str::parse::<MeterKind>);
            let premises = req(F, line, "premises", s(2), issues, PremisesId::new);
            let installed = req(F, line, "installed_on", s(3), issues, parse_date);
            let initial = req(F, line, "initial_reading", s(4), issues, Quantity::parse);
            let removed = opt(F, line, "removed_on", s(6), issues, parse_date);
            let fin = opt(F, line, "final_reading", s(7), issues, Quantity::parse);
            let legal = opt(
                F,
                line,
                "legalization",
                s(8),
                issues,
                str::parse::<Legalization>,
            );
            let rollover = opt(F, line, "rollover_at", s(9), issues, Quantity::parse);
            let (
                Some(kind),
                Some(premises),
                Some(installed),
                Some(initial),
                Some(removed),
                Some(fin),
                Some(legal),
                Some(rollover),
            ) = (
                kind, premises, installed, initial, removed, fin, legal, rollover,
            )
            else {
                return;
            };
            match Meter::new(serial, kind, premises, installed, initial) {
                Ok(mut m) => {
                    m.location = free_text(F, line, "location", s(5), issues);
                    m.removed_on = removed;
                    m.final_reading = fin;
                    m.legalization = legal;
                    m.rollover_at = rollover;
                    parsed.meters.push((line, m));
                }
                Err(e) => issues.push(ImportIssue::new(F, line, Some("serial"), serial, e)),
            }
        },
    );
    duplicates(F, &mut parsed.meters, |m| m.serial.to_string(), issues);
}

fn parse_readings(text: &str, parsed: &mut Parsed, issues: &mut Vec<ImportIssue>) {
    const F: &str = "readings.csv";
    read_table(
        F,
        text,
        RecordType::Readings.columns(),
        3,
        issues,
        |line, rec, cols, issues| {
            let s = |i| as_str(cols.get(rec, i));
            let date = req(F, line, "date", s(1), issues, parse_date);
            let value = req(F, line, "value", s(2), issues, Quantity::parse);
            let source = opt(F, line, "source", s(3), issues, str::parse::<ReadingSource>);
            if let (Some(date), Some(value), Some(source)) = (date, value, source) {
                match Reading::new(
                    s(0),
                    date,
                    value,
                    source.unwrap_or(ReadingSource::Inspector),
                ) {
                    Ok(r) => parsed.readings.push((line, r)),
                    Err(e) => issues.push(ImportIssue::new(F, line, Some("meter"), s(0), e)),
                }
            }
        },
    );
    duplicates(
        F,
        &mut parsed.readings,
        |r| format!("{}/{}", r.meter, r.date),
        issues,
    );
}

fn parse_virtual_accounts(text: &str, parsed: &mut Parsed, issues: &mut Vec<ImportIssue>) {
    const F: &str = "virtual_accounts.csv";
    read_table(
        F,
        text,
        RecordType::VirtualAccounts.columns(),
        3,
        issues,
        |line, rec, cols, issues| {
            let s = |i| as_str(cols.get(rec, i));
            let premises = req(F, line, "premises", s(1), issues, PremisesId::new);
            let from = req(F, line, "valid_from", s(2), issues, parse_date);
            let to = opt(F, line, "valid_to", s(3), issues, parse_date);
            let payer = free_text(F, line, "payer_id", s(4), issues);
            if let (Some(p), Some(from), Some(to)) = (premises, from, to) {
                match crate::bank::VirtualAccount::new(s(0), p, from, to) {
                    Ok(v) => parsed
                        .virtual_accounts
                        .push((line, v.with_payer_id(payer.as_deref().unwrap_or("")))),
                    Err(e) => issues.push(ImportIssue::new(F, line, Some("account"), s(0), e)),
                }
            }
        },
    );
    duplicates(
        F,
        &mut parsed.virtual_accounts,
        |v| format!("{}/{}", v.account, v.from),
        issues,
    );
}

fn parse_deletions(text: &str, parsed: &mut Parsed, issues: &mut Vec<ImportIssue>) {
    const F: &str = "deletions.csv";
    read_table(
        F,
        text,
        &["type", "key"],
        2,
        issues,
        |line, rec, cols, issues| {
            let s = |i| as_str(cols.get(rec, i));
            let t = req(F, line, "type", s(0), issues, |t| {
                RecordType::from_name(t).ok_or("expected premises, logins, ledger, allocations, designations, meters, readings, virtual_accounts, holders, parameters or documents")
            });
            let key = req(F, line, "key", s(1), issues, |k| {
                Ok::<_, &str>(k.to_owned())
            });
            if let (Some(t), Some(k)) = (t, key) {
                parsed.deletions.push((line, t, k));
            }
        },
    );
}

fn parse_controls(text: &str, parsed: &mut Parsed, issues: &mut Vec<ImportIssue>) {
    const F: &str = "controls.csv";
    read_table(
        F,
        text,
        &["premises", "closing_balance"],
        2,
        issues,
        |line, rec, cols, issues| {
            let s = |i| as_str(cols.get(rec, i));
            let premises = match s(0) {
                "*" | "TOTAL" | "total" | "RAZEM" | "razem" => Some(None),
                p => req(F, line, "premises", p, issues, PremisesId::new).map(Some),
            };
            let amount = req(F, line, "closing_balance", s(1), issues, Money::parse);
            if let (Some(p), Some(a)) = (premises, amount) {
                parsed.controls.push((line, p, a));
            }
        },
    );
}

/// Reports records whose key appears twice with different content.
/// The manifest's per-file checks against the files: every file a check names is there, its
/// SHA-256 and row count agree; a full snapshot under [`super::Integrity::Required`] has both
/// checks for every file it holds.
fn check_files(
    files: &SnapshotFiles,
    manifest: &Manifest,
    integrity: super::Integrity,
    issues: &mut Vec<ImportIssue>,
) {
    for (name, check) in &manifest.checks {
        let Some(bytes) = files.file(name) else {
            issues.push(ImportIssue::new(
                "manifest",
                0,
                Some(&format!("sha256.{name}")),
                name,
                "the manifest lists this file, but the snapshot does not hold it",
            ));
            continue;
        };
        if let Some(expected) = &check.sha256 {
            let actual = super::sha256_hex(bytes);
            if actual != *expected {
                issues.push(ImportIssue::new(
                    name,
                    0,
                    None,
                    &actual,
                    format!("the SHA-256 does not match the manifest's {expected}: the file was cut or changed after the export"),
                ));
            }
        }
        if let Some(rows) = check.rows {
            let actual = super::table::count_records(bytes);
            if actual != rows {
                issues.push(ImportIssue::new(
                    name,
                    0,
                    None,
                    &actual.to_string(),
                    format!("holds {actual} rows, the manifest says {rows}: the file was cut or changed after the export"),
                ));
            }
        }
    }
    if manifest.kind == SnapshotKind::Full && integrity == super::Integrity::Required {
        for name in files.files.keys() {
            let check = manifest.checks.get(name);
            if check.is_none_or(|c| c.rows.is_none() || c.sha256.is_none()) {
                issues.push(ImportIssue::new(
                    "manifest",
                    0,
                    Some(&format!("sha256.{name}")),
                    name,
                    "a full snapshot must be sealed: rows.FILE and sha256.FILE for every file (format 1.1; ImportOptions::integrity = IfPresent reads an unsealed one knowingly)",
                ));
            }
        }
    }
}

/// The same key twice: with different content an issue; an identical line is kept once, so
/// that the report counts it once.
pub(super) fn duplicates<T: PartialEq>(
    file: &str,
    rows: &mut Vec<(u64, T)>,
    key: impl Fn(&T) -> String,
    issues: &mut Vec<ImportIssue>,
) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut keep = vec![true; rows.len()];
    for (i, (line, r)) in rows.iter().enumerate() {
        let k = key(r);
        match seen.get(&k) {
            Some(&first) if rows[first].1 != *r => issues.push(ImportIssue::new(
                file,
                *line,
                None,
                &k,
                format!(
                    "the same key as line {} with different content",
                    rows[first].0
                ),
            )),
            Some(_) => keep[i] = false,
            None => {
                seen.insert(k, i);
            }
        }
    }
    let mut i = 0;
    rows.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// The longest free text (an address, a meter's location) a snapshot may carry, in characters.
pub(crate) const MAX_FREE_TEXT: usize = 200;

/// A free-text field: at most [`MAX_FREE_TEXT`] characters, no control characters; empty is none.
pub(super) fn free_text(
    file: &str,
    line: u64,
    column: &str,
    raw: &str,
    issues: &mut Vec<ImportIssue>,
) -> Option<String> {
    if raw.chars().count() > MAX_FREE_TEXT {
        issues.push(ImportIssue::new(
            file,
            line,
            Some(column),
            raw,
            format!("is longer than {MAX_FREE_TEXT} characters"),
        ));
        None
    } else if raw.chars().any(char::is_control) {
        issues.push(ImportIssue::new(
            file,
            line,
            Some(column),
            raw,
            "contains a control character",
        ));
        None
    } else {
        (!raw.is_empty()).then(|| raw.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ledger file of `entries`, as `export_snapshot` writes it.
    fn ledger_csv(entries: &[LedgerEntry]) -> String {
        String::from_utf8(super::super::export::ledger_csv(entries.iter().cloned()))
            .unwrap_or_default()
    }

    /// Entries of a few premises, some with their fields changed one at a time.
    fn entries_and_variants()
    -> impl proptest::strategy::Strategy<Value = (Vec<LedgerEntry>, Vec<LedgerEntry>)> {
        use proptest::prelude::*;
        let entry = (
            0u8..3,
            0u8..4,
            1i64..50_000,
            0i32..60,
            prop::option::of(0i64..5),
            0u8..3,
        );
        (
            prop::collection::vec(entry, 1..30),
            prop::collection::vec((any::<prop::sample::Index>(), 0u8..10), 0..40),
        )
            .prop_map(|(specs, changes)| {
                let day = |d: i64| {
                    time::Date::from_julian_day(2_460_000 + d as i32).unwrap_or(time::Date::MIN)
                };
                let entries: Vec<LedgerEntry> = specs
                    .iter()
                    .enumerate()
                    .map(|(i, &(p, k, g, op, lag, doc))| {
                        let kind = [
                            EntryKind::Charge,
                            EntryKind::Payment,
                            EntryKind::Correction,
                            EntryKind::Interest,
                        ][usize::from(k)];
                        let op = day(i64::from(op));
                        let mut e = LedgerEntry::new(
                            &format!("E{i}"),
                            &format!("P{p}"),
                            kind,
                            Money::from_grosze(g),
                            op,
                        )
                        .unwrap_or_else(|e| panic!("{e}"));
                        if kind == EntryKind::Charge {
                            e.component = Component::new("eksploatacja").ok();
                            e.due_date = Some(op);
                        }
                        e.posted_on = lag.map(|l| op.saturating_add(time::Duration::days(l)));
                        e.document = (doc > 0)
                            .then(|| DocumentRef::new(&format!("NAL {doc}")).ok())
                            .flatten();
                        e
                    })
                    .collect();
                let mut variants: Vec<LedgerEntry> = Vec::new();
                for (pick, what) in changes {
                    let mut e = entries[pick.index(entries.len())].clone();
                    match what {
                        0 => e.premises = PremisesId::trusted("P9"),
                        1 => e.amount = Money::from_grosze(e.amount.grosze() + 1),
                        2 if e.kind != EntryKind::Charge => e.kind = EntryKind::Refund,
                        3 => {
                            e.operation_date =
                                e.operation_date.saturating_add(time::Duration::days(1))
                        }
                        4 => e.posted_on = e.posted_on.map_or(Some(e.operation_date), |_| None),
                        5 => {
                            e.due_date = e
                                .due_date
                                .map(|d| d.saturating_add(time::Duration::days(1)))
                        }
                        6 => e.document = Some(DocumentRef::trusted("NAL 7")),
                        7 => e.document = None,
                        8 => e.component = Some(Component::trusted("woda")),
                        _ => e.id = EntryId::trusted(&format!("{}-new", e.id)),
                    }
                    if !variants.iter().any(|v| v.id == e.id) {
                        variants.push(e);
                    }
                }
                (entries, variants)
            })
    }

    #[test]
    fn a_large_file_read_in_two_halves_gives_every_row_and_every_line_number() {
        // Over 4 MiB, so that it is read on two cores; CRLF and LF, with bad rows near the
        // start, around the middle and at the end.
        for crlf in [false, true] {
            let day = |d: i64| {
                time::Date::from_julian_day(2_460_000 + (d % 300) as i32).unwrap_or(time::Date::MIN)
            };
            let entries: Vec<LedgerEntry> = (0..70_000i64)
                .map(|i| {
                    let e = LedgerEntry::payment(
                        &format!("P{i:09}"),
                        &format!("{:07}", 700_000 + i / 97),
                        Money::from_grosze(100 + i),
                        day(i),
                    )
                    .unwrap_or_else(|e| panic!("{e}"))
                    .posted(day(i + 2));
                    match i % 3 {
                        0 => e
                            .with_document(&format!("WB {}", i % 40))
                            .unwrap_or_else(|e| panic!("{e}")),
                        _ => e,
                    }
                })
                .collect();
            let mut lines: Vec<String> = ledger_csv(&entries).lines().map(str::to_owned).collect();
            // Line numbers are 1-based with the header on line 1: entry k is on line k + 2.
            let bad = [3usize, 35_001, 35_002, 35_500, 70_001];
            for &line in &bad {
                lines[line - 1] = lines[line - 1].replace(";payment;", ";payment?;");
            }
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            assert!(text.len() > 1 << 22, "{} bytes", text.len());
            assert!(super::super::table::split_in_two(&text).is_some());
            let issues = parse_ledger_csv(text.as_bytes(), "ledger.csv").unwrap_err();
            assert_eq!(
                issues.iter().map(|i| i.line).collect::<Vec<_>>(),
                bad.map(|l| l as u64)
            );
            assert!(issues.iter().all(|i| i.column.as_deref() == Some("kind")));
            let good = lines
                .iter()
                .map(|l| l.replace(";payment?;", ";payment;"))
                .collect::<Vec<_>>()
                .join(if crlf { "\r\n" } else { "\n" });
            let rows =
                parse_ledger_csv(good.as_bytes(), "ledger.csv").unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(rows.entries(), entries);
            assert_eq!((rows.line(0), rows.line(69_999)), (2, 70_001));
            // Premises and documents met in both halves are held once.
            assert_eq!(rows.premises.len(), 70_000 / 97 + 1);
            assert_eq!(rows.documents.len(), 40);
        }
    }

    proptest::proptest! {
        /// Parsed rows classify against the stored columns as a comparison of whole entries
        /// does, and load in bulk into the ledger the entries would give.
        #[test]
        fn parsed_rows_compare_and_load_as_their_entries((entries, variants) in entries_and_variants()) {
            use crate::ledger::{InsertMode, Ledger};
            let mut ledger = Ledger::new();
            ledger.insert_batch(entries.clone(), InsertMode::Strict).unwrap_or_else(|e| panic!("{e}"));
            let mut rows = parse_ledger_csv(ledger_csv(&variants).as_bytes(), "ledger.csv")
                .unwrap_or_else(|e| panic!("{e:?}"));
            rows.check_unique_ids("ledger.csv").unwrap_or_else(|e| panic!("{e:?}"));
            proptest::prop_assert_eq!(rows.len(), variants.len());
            let mut hint = None;
            for (i, variant) in variants.iter().enumerate() {
                let row = rows.entry(i);
                proptest::prop_assert_eq!(&row, variant);
                let expected = ledger.get(&row.id).map(|stored| stored == row);
                proptest::prop_assert_eq!(ledger.compare_stored(&rows, i, &mut hint), expected, "row {:?}", row);
                proptest::prop_assert_eq!(rows.find(row.id.as_str()), Some(i));
            }
            let mut from_rows = Ledger::new();
            let mut from_entries = Ledger::new();
            let a = from_rows.bulk_load(&rows);
            let b = from_entries.insert_batch(rows.entries(), InsertMode::Strict);
            proptest::prop_assert_eq!(a.ok(), b.ok());
            proptest::prop_assert_eq!(from_rows.iter().collect::<Vec<_>>(), from_entries.iter().collect::<Vec<_>>());
            for known in [None, Some(time::Date::from_julian_day(2_460_030).unwrap_or(time::Date::MIN))] {
                let day = time::Date::from_julian_day(2_460_045).unwrap_or(time::Date::MIN);
                proptest::prop_assert_eq!(from_rows.balances(day, known), from_entries.balances(day, known));
            }
        }
    }

    #[test]
    fn the_fast_day_count_agrees_with_time_for_every_day() {
        let mut d = crate::calendar::MIN_DATE;
        while d <= crate::calendar::MAX_DATE {
            let s = d.to_string();
            assert_eq!(fast_day(s.as_bytes()), Some(day_number(d)), "{s}");
            d = d.next_day().unwrap_or(crate::calendar::MAX_DATE);
            if d == crate::calendar::MAX_DATE {
                break;
            }
        }
    }

    #[test]
    fn fast_parsers_agree_with_the_reference_parsers() {
        for s in [
            "0",
            "-0",
            "12",
            "-12,5",
            "1234.56",
            "0.05",
            "9999999999999",
            "1,",
            ",5",
            "1.234",
            "+1",
            "1 234",
        ] {
            let fast = fast_grosze(s.as_bytes());
            let slow = Money::parse(s).ok().map(Money::grosze);
            if let Some(f) = fast {
                assert_eq!(Some(f), slow, "{s}");
            }
        }
        for s in [
            "2025-05-12",
            "12.05.2025",
            "2024-02-29",
            "2023-02-29",
            "31.04.2025",
            "1899-12-31",
            "2025-5-12",
            "1900-01-01",
            "2199-12-31",
            "2200-01-01",
            "2000-02-29",
            "2100-02-29",
            "00.01.2025",
            "2025-00-10",
            "2025-13-01",
        ] {
            let fast = fast_day(s.as_bytes());
            let slow = parse_date(s).ok().map(day_number);
            assert_eq!(fast, slow, "{s}");
        }
    }
}
