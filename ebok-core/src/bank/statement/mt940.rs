//! SWIFT MT940 (statement) and MT942 (interim report) as Polish banks write them.

use smol_str::SmolStr;
use time::{Date, Month};

use super::details::{self, Dialect};
use super::{
    BalanceLine, Format, ReadOptions, Side, Statement, StatementEntry, StatementError,
    StatementFile, TextEncoding, clip, swift_amount,
};

/// One tag and its value lines.
#[derive(Clone, Copy)]
struct Field<'a> {
    tag: &'a str,
    kind: Tag,
    line: usize,
    lines: &'a [&'a str],
}

/// The tags this reader knows, by meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Reference,
    Related,
    Account,
    Number,
    Opening,
    Entry,
    Closing,
    Available,
    Forward,
    Details,
    FloorLimit,
    Interim,
    NonSwift,
}

fn known_tag(tag: &str) -> Option<Tag> {
    let b = tag.as_bytes();
    let suffix = b.get(2).copied();
    Some(match (b.first().copied()?, b.get(1).copied()?, suffix) {
        (b'2', b'0', None) => Tag::Reference,
        (b'2', b'1', None) => Tag::Related,
        (b'2', b'5', None | Some(b'P')) => Tag::Account,
        (b'2', b'8', None | Some(b'C')) => Tag::Number,
        (b'6', b'0', Some(b'F' | b'M')) => Tag::Opening,
        (b'6', b'1', None) => Tag::Entry,
        (b'6', b'2', Some(b'F' | b'M')) => Tag::Closing,
        (b'6', b'4', None) => Tag::Available,
        (b'6', b'5', None) => Tag::Forward,
        (b'8', b'6', None) => Tag::Details,
        (b'3', b'4', Some(b'F')) => Tag::FloorLimit,
        (b'1', b'3', None | Some(b'D')) | (b'9', b'0', Some(b'D' | b'C')) => Tag::Interim,
        (b'N', b'S', None) => Tag::NonSwift,
        _ => return None,
    })
}

/// The lines of a file cut into fields: every value line in one vector, each field a range of
/// it, each message a range of fields (no allocation per field).
struct Split<'a> {
    values: Vec<&'a str>,
    /// (tag, kind, line number, first value, end of values)
    fields: Vec<(&'a str, Tag, usize, usize, usize)>,
    /// Ranges of `fields`.
    messages: Vec<(usize, usize)>,
}

impl<'a> Split<'a> {
    /// The fields of message `m`, as views (no allocation).
    fn message(&'a self, m: (usize, usize)) -> impl Iterator<Item = Field<'a>> + Clone + 'a {
        self.fields[m.0..m.1]
            .iter()
            .map(|&(tag, kind, line, a, b)| Field {
                tag,
                kind,
                line,
                lines: &self.values[a..b],
            })
    }

    /// Every field of every message.
    fn all(&'a self) -> impl Iterator<Item = Field<'a>> + 'a {
        self.messages.iter().flat_map(|&m| self.message(m))
    }
}

/// Splits the text into messages of fields. Block markers (SOH/ETX), SWIFT envelopes
/// (`{1:…}{4:`) and blank lines are skipped; a line `-` (or `-}`) ends a message.
fn split(text: &str) -> Result<Split<'_>, StatementError> {
    let mut out = Split {
        values: Vec::with_capacity(text.len() / 40),
        fields: Vec::with_capacity(text.len() / 80),
        messages: Vec::new(),
    };
    let mut message_start = 0;
    let mut has_20 = false;
    let close = |out: &mut Split<'_>, start: &mut usize| {
        if let Some(f) = out.fields.last_mut() {
            f.4 = out.values.len();
        }
        if out.fields.len() > *start {
            out.messages.push((*start, out.fields.len()));
        }
        *start = out.fields.len();
    };
    let bytes = text.as_bytes();
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for (i, end) in ends.enumerate() {
        // `\n` is ASCII: both ends are on character boundaries.
        let raw = text.get(start..end).unwrap_or_default();
        start = end + 1;
        let line_no = i + 1;
        // Without the CR of CRLF and the SOH/ETX block markers (ASCII: byte-wise slicing is safe).
        let mut line = raw.strip_suffix('\r').unwrap_or(raw);
        while let Some(rest) = line.strip_prefix(['\u{1}', '\u{3}']) {
            line = rest;
        }
        while let Some(rest) = line.strip_suffix(['\u{1}', '\u{3}', '\r']) {
            line = rest;
        }
        // A SWIFT envelope `{1:…}{2:…}{4:` before the first tag.
        if line.starts_with('{') {
            match line.find("{4:") {
                Some(at) => line = &line[at + 3..],
                None => continue,
            }
        }
        // Blank lines are skipped; `-` (or `-}`) ends a message. Checked on bytes: a line
        // almost always starts with `:` or text, so this stops at its first byte.
        if line.bytes().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        if line.len() <= 8 && matches!(line.trim(), "-" | "-}") {
            close(&mut out, &mut message_start);
            has_20 = false;
            continue;
        }
        if let Some((tag, value)) = tag_of(line) {
            let Some(kind) = known_tag(tag) else {
                return Err(StatementError::UnknownTag {
                    line: line_no,
                    tag: clip(tag, 10),
                });
            };
            if kind == Tag::Reference {
                if has_20 {
                    close(&mut out, &mut message_start);
                }
                has_20 = true;
            }
            if let Some(f) = out.fields.last_mut() {
                f.4 = out.values.len();
            }
            out.fields
                .push((tag, kind, line_no, out.values.len(), out.values.len() + 1));
            out.values.push(value);
        } else if out.fields.len() > message_start {
            out.values.push(line);
        } else {
            return Err(StatementError::NotAStatement {
                line: line_no,
                reason: "an MT940/MT942 file starts with a tag such as :20:".into(),
            });
        }
    }
    close(&mut out, &mut message_start);
    if out.messages.is_empty() {
        return Err(StatementError::NotAStatement {
            line: 1,
            reason: "no MT940/MT942 tags found".into(),
        });
    }
    Ok(out)
}

/// `:TAG:value` → (TAG, value), for tags of 2 digits and an optional letter (or `NS`).
fn tag_of(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix(':')?;
    // A tag is 2 or 3 characters: the closing colon is the third or fourth byte.
    let end = rest.as_bytes().iter().take(4).position(|&b| b == b':')?;
    let tag = &rest[..end];
    let b = tag.as_bytes();
    let well_formed = (b.len() == 2 || b.len() == 3)
        && b[..2].iter().all(|c| c.is_ascii_alphanumeric())
        && b[2..].iter().all(u8::is_ascii_uppercase);
    well_formed.then(|| (tag, &rest[end + 1..]))
}

fn invalid(f: &Field<'_>, value: &str, reason: impl Into<String>) -> StatementError {
    StatementError::InvalidField {
        line: f.line,
        tag: f.tag.to_owned(),
        value: clip(value, 80),
        reason: reason.into(),
    }
}

/// YYMMDD: years 80–99 are 19YY, the rest 20YY.
fn yymmdd(f: &Field<'_>, s: &str) -> Result<Date, StatementError> {
    let b = s.as_bytes();
    if b.len() < 6 || !b[..6].iter().all(u8::is_ascii_digit) {
        return Err(invalid(f, s, "expected a date YYMMDD"));
    }
    let n = |i: usize| i32::from(b[i] - b'0') * 10 + i32::from(b[i + 1] - b'0');
    let year = if n(0) >= 80 { 1900 + n(0) } else { 2000 + n(0) };
    ymd(f, s, year, n(2), n(4))
}

fn ymd(f: &Field<'_>, s: &str, year: i32, month: i32, day: i32) -> Result<Date, StatementError> {
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| invalid(f, s, format!("there is no month {month}")))?;
    let day_u8 = u8::try_from(day).unwrap_or(0);
    Date::from_calendar_date(year, month, day_u8)
        .map_err(|_| invalid(f, s, format!("there is no day {day} in {month} {year}")))
}

/// `C170119PLN0,40` → balance.
fn balance(f: &Field<'_>) -> Result<BalanceLine, StatementError> {
    let v = f.lines.concat();
    let v = v.trim();
    let side = match v.as_bytes().first() {
        Some(b'C') => Side::Credit,
        Some(b'D') => Side::Debit,
        _ => return Err(invalid(f, v, "a balance starts with C or D")),
    };
    let date = yymmdd(f, &v[1..])?;
    let currency = v.get(7..10).unwrap_or("");
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(invalid(f, v, "expected a 3-letter currency after the date"));
    }
    let amount = swift_amount(&v[10..]).map_err(|r| invalid(f, v, r))?;
    Ok(BalanceLine {
        side,
        amount,
        date,
        currency: currency.to_owned(),
    })
}

/// The parts of a `:61:` line.
struct Line61 {
    value_date: Date,
    booking_date: Option<Date>,
    side: Side,
    reversal: bool,
    amount: super::Money,
    transaction_code: SmolStr,
    customer_reference: SmolStr,
    bank_reference: Option<SmolStr>,
}

fn line61(f: &Field<'_>) -> Result<Line61, StatementError> {
    let first = f.lines[0].trim_end();
    let cut = |what: &str| invalid(f, first, format!("the field is cut: no {what}"));
    let value_date = yymmdd(f, first)?;
    let mut rest = &first[6..];
    let mut booking_date = None;
    let b = rest.as_bytes();
    if b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit) {
        let m = i32::from(b[0] - b'0') * 10 + i32::from(b[1] - b'0');
        let d = i32::from(b[2] - b'0') * 10 + i32::from(b[3] - b'0');
        let vm = i32::from(u8::from(value_date.month()));
        let year = match (vm, m) {
            (1, 12) => value_date.year() - 1,
            (12, 1) => value_date.year() + 1,
            _ => value_date.year(),
        };
        booking_date = Some(ymd(f, first, year, m, d)?);
        rest = &rest[4..];
    }
    let (side, reversal, used) = match rest.as_bytes() {
        [b'R', b'C', ..] => (Side::Debit, true, 2),
        [b'R', b'D', ..] => (Side::Credit, true, 2),
        [b'C', ..] => (Side::Credit, false, 1),
        [b'D', ..] => (Side::Debit, false, 1),
        _ => return Err(cut("debit/credit mark (C, D, RC, RD)")),
    };
    rest = &rest[used..];
    // An optional funds code: the third letter of the currency.
    if rest.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        rest = &rest[1..];
    }
    let amount_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b',')
        .count();
    if amount_len == 0 {
        return Err(cut("amount"));
    }
    let amount = swift_amount(&rest[..amount_len]).map_err(|r| invalid(f, first, r))?;
    rest = &rest[amount_len..];
    let code_ok = rest.len() >= 4
        && rest.as_bytes()[0].is_ascii_uppercase()
        && rest.as_bytes()[1..4].iter().all(u8::is_ascii_alphanumeric);
    if !code_ok {
        return Err(cut("transaction type (such as NTRF)"));
    }
    let transaction_code = SmolStr::new(&rest[..4]);
    rest = &rest[4..];
    let (customer, bank) = match rest.find("//") {
        Some(at) => (&rest[..at], Some(&rest[at + 2..])),
        None => (rest, None),
    };
    if customer.trim().is_empty() {
        return Err(cut("customer reference (NONREF when there is none)"));
    }
    let longer = |t: &str, max: usize| t.len() > max && t.chars().count() > max;
    if longer(customer, 16) || bank.is_some_and(|b| longer(b, 23)) {
        return Err(invalid(
            f,
            first,
            "a reference is longer than SWIFT allows (16, bank 23)",
        ));
    }
    Ok(Line61 {
        value_date,
        booking_date,
        side,
        reversal,
        amount,
        transaction_code,
        customer_reference: SmolStr::new(customer.trim()),
        bank_reference: bank
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(SmolStr::new),
    })
}

/// Reads MT940/MT942 text.
pub(super) fn read(
    text: &str,
    encoding: TextEncoding,
    options: &ReadOptions,
) -> Result<StatementFile, StatementError> {
    let split = split(text)?;
    let accounts: Vec<String> = split
        .all()
        .filter(|f| f.kind == Tag::Account)
        .map(|f| f.lines.concat().trim().to_owned())
        .collect();
    let dialect = options.dialect.unwrap_or_else(|| {
        let details: Vec<String> = split
            .all()
            .filter(|f| f.kind == Tag::Details)
            .take(100)
            .map(|f| f.lines.concat())
            .collect();
        details::detect(details.iter().map(String::as_str), &accounts)
    });
    let mut statements = Vec::with_capacity(split.messages.len());
    for &m in &split.messages {
        statements.push(statement(
            split.message(m),
            dialect,
            options.format,
            options.threads,
        )?);
    }
    let format = options.format.unwrap_or(statements[0].format);
    Ok(StatementFile {
        format,
        encoding,
        dialect: Some(dialect),
        statements,
    })
}

fn statement<'a>(
    fields: impl Iterator<Item = Field<'a>> + Clone,
    dialect: Dialect,
    format: Option<Format>,
    threads: usize,
) -> Result<Statement, StatementError> {
    let end_line = fields
        .clone()
        .last()
        .map_or(1, |f| f.line + f.lines.len() - 1);
    let mut s = Statement {
        format: Format::Mt940,
        reference: String::new(),
        id: None,
        account: String::new(),
        number: None,
        sequence: None,
        currency: String::new(),
        opening: None,
        closing: None,
        available: None,
        forward_available: None,
        entries: Vec::new(),
        information: None,
        warnings: Vec::new(),
    };
    let mut interim_marks = false;
    let mut last_was_61 = false;
    let mut seen_25 = false;
    let mut own = details::OwnAccount::default();
    let mut entry_currency = SmolStr::default();
    let mut saw_reference = false;
    // The entries are built after this pass (on `threads` threads when asked): here each
    // `:61:` is noted with its `:86:` and what it takes from the fields before it.
    let mut pending: Vec<PendingEntry<'a>> =
        Vec::with_capacity(fields.clone().filter(|f| f.kind == Tag::Entry).count());
    let mut contexts = Vec::new();
    let mut failed = None;
    for f in fields {
        if let Err(e) = header_field(
            &f,
            &mut s,
            (&mut pending, &mut contexts),
            (&mut own, &mut entry_currency),
            (&mut interim_marks, &mut seen_25, &mut saw_reference),
            last_was_61,
            dialect,
        ) {
            failed = Some(e);
            break;
        }
        last_was_61 = f.kind == Tag::Entry;
    }
    // Every entry noted lies before a field that failed: its error comes first.
    s.entries = build_entries(&pending, &contexts, dialect, threads)?;
    if let Some(e) = failed {
        return Err(e);
    }
    finish(
        s,
        format,
        entry_currency,
        end_line,
        saw_reference,
        seen_25,
        interim_marks,
    )
}

/// A `:61:` field (its line number and lines) with the lines of the `:86:` after it (none:
/// empty), and the index of the currency and own account known then (they change at most a
/// few times a statement, so they are kept once in a list).
struct PendingEntry<'a> {
    line: usize,
    lines: &'a [&'a str],
    details: &'a [&'a str],
    context: usize,
}

/// The currency of the entries and the statement's own account, as of an entry.
type EntryContext = (SmolStr, details::OwnAccount);

/// One field of a statement other than an entry's own work: headers, balances, the
/// statement's information; a `:61:` and its `:86:` are noted in `pending`.
fn header_field<'a>(
    f: &Field<'a>,
    s: &mut Statement,
    (pending, contexts): (&mut Vec<PendingEntry<'a>>, &mut Vec<EntryContext>),
    (own, entry_currency): (&mut details::OwnAccount, &mut SmolStr),
    (interim_marks, seen_25, saw_reference): (&mut bool, &mut bool, &mut bool),
    last_was_61: bool,
    dialect: Dialect,
) -> Result<(), StatementError> {
    *saw_reference |= f.kind == Tag::Reference;
    let value: std::borrow::Cow<'_, str> = match f.lines[..] {
        [one] => one.into(),
        _ if matches!(f.kind, Tag::Details | Tag::Entry) => f.lines[0].into(),
        _ => f.lines.concat().into(),
    };
    let value = value.trim();
    match f.kind {
        Tag::Reference => s.reference = clip(value, 35),
        Tag::Account => {
            *seen_25 = true;
            s.account = clip(value, 60);
            *own = details::OwnAccount::of(&s.account);
        }
        Tag::Number => {
            let (n, q) = value.split_once('/').unwrap_or((value, ""));
            s.number = Some(clip(n, 10));
            s.sequence = (!q.is_empty()).then(|| clip(q, 10));
        }
        Tag::Opening => {
            let b = balance(f)?;
            *entry_currency = SmolStr::new(&b.currency);
            s.opening = Some(b);
        }
        Tag::Closing => s.closing = Some(balance(f)?),
        Tag::Available => s.available = Some(balance(f)?),
        Tag::Forward => s.forward_available = Some(balance(f)?),
        Tag::FloorLimit => {
            *interim_marks = true;
            let cur = value.get(..3).unwrap_or("");
            if cur.len() == 3 && cur.bytes().all(|b| b.is_ascii_uppercase()) {
                s.currency = cur.to_owned();
                *entry_currency = SmolStr::new(cur);
            }
        }
        Tag::Interim => *interim_marks = true,
        Tag::Entry => {
            if contexts
                .last()
                .is_none_or(|(c, o): &EntryContext| c != entry_currency || o != own)
            {
                contexts.push((entry_currency.clone(), *own));
            }
            pending.push(PendingEntry {
                line: f.line,
                lines: f.lines,
                details: &[],
                context: contexts.len() - 1,
            });
        }
        Tag::Details => {
            let max = dialect.max_detail_lines();
            let too_wide = |l: &&str| l.len() > 65 && l.chars().count() > 65;
            if f.lines.len() > max || f.lines.iter().any(too_wide) {
                let chars: usize = f.lines.iter().map(|l| l.chars().count()).sum();
                return Err(StatementError::DetailsTooLong {
                    line: f.line,
                    lines: f.lines.len(),
                    chars,
                    max_lines: max,
                });
            }
            match pending.last_mut() {
                Some(p) if last_was_61 => p.details = f.lines,
                _ => s.information = Some(raw_details(f.lines)),
            }
        }
        _ => {}
    }
    Ok(())
}

/// The raw `:86:` text: its lines without trailing blanks, joined by `\n`.
fn raw_details(lines: &[&str]) -> String {
    let mut raw = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            raw.push('\n');
        }
        raw.push_str(l.trim_end());
    }
    raw
}

/// Fewer entries than this are built on the calling thread whatever `threads` says.
const ENTRIES_PER_THREAD: usize = 4096;

/// Builds the noted entries in order, on up to `threads` threads (scoped: none outlives the
/// call; a thread that cannot be started leaves its share to the calling thread). The error
/// is the first in file order, as on one thread.
fn build_entries(
    pending: &[PendingEntry<'_>],
    contexts: &[EntryContext],
    dialect: Dialect,
    threads: usize,
) -> Result<Vec<StatementEntry>, StatementError> {
    // Into a vector sized once (a growing vector would copy its entries at every doubling).
    let run = |chunk: &[PendingEntry<'_>], out: &mut Vec<StatementEntry>| {
        let mut scratch = String::new();
        for p in chunk {
            out.push(build_entry(p, contexts, dialect, &mut scratch)?);
        }
        Ok::<(), StatementError>(())
    };
    let mut out = Vec::with_capacity(pending.len());
    let threads = threads.min(pending.len() / ENTRIES_PER_THREAD).max(1);
    if threads == 1 {
        run(pending, &mut out)?;
        return Ok(out);
    }
    let size = pending.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let mut chunks = pending.chunks(size);
        let first = chunks.next().unwrap_or_default();
        let handles: Vec<_> = chunks
            .map(|chunk| {
                let spawned = std::thread::Builder::new()
                    .name("ebok-mt940".into())
                    .spawn_scoped(scope, move || {
                        let mut part = Vec::with_capacity(chunk.len());
                        run(chunk, &mut part).map(|()| part)
                    });
                (chunk, spawned.ok())
            })
            .collect();
        // The first share is built here, straight into the result.
        run(first, &mut out)?;
        for (chunk, handle) in handles {
            match handle {
                Some(h) => {
                    let part = h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?;
                    out.extend(part);
                }
                None => run(chunk, &mut out)?,
            }
        }
        Ok(out)
    })
}

/// One entry: its `:61:` line, its supplementary line, and its `:86:` read in the dialect.
fn build_entry(
    p: &PendingEntry<'_>,
    contexts: &[EntryContext],
    dialect: Dialect,
    scratch: &mut String,
) -> Result<StatementEntry, StatementError> {
    let f = &Field {
        tag: "61",
        kind: Tag::Entry,
        line: p.line,
        lines: p.lines,
    };
    let (currency, own) = &contexts[p.context];
    let l = line61(f)?;
    let supplementary = f.lines.get(1).map(|l| l.trim());
    if f.lines.len() > 2 || supplementary.is_some_and(|x| x.chars().count() > 34) {
        return Err(invalid(
            f,
            f.lines[0].trim(),
            "after the entry line only one line of supplementary details (34 characters) may follow",
        ));
    }
    let mut e = StatementEntry {
        transaction_code: Some(l.transaction_code),
        bank_reference: l.bank_reference,
        customer_reference: Some(l.customer_reference),
        ..StatementEntry::movement(
            l.value_date,
            l.booking_date,
            l.side,
            l.reversal,
            l.amount,
            currency.clone(),
        )
    };
    if !p.details.is_empty() {
        let parsed = details::parse(dialect, p.details, own, scratch);
        e.operation_code = parsed.operation_code;
        e.counterparty_account = parsed.counterparty_account;
        e.counterparty_name = parsed.counterparty_name;
        e.title = parsed.title;
        e.virtual_account = parsed.virtual_account;
        e.payer_id = parsed.payer_id;
        e.tnr = parsed.tnr;
        e.raw_details = raw_details(p.details);
        e.check_accounts();
    }
    Ok(e)
}

/// The rest of a statement once its fields are read: required fields, format, currency.
fn finish(
    mut s: Statement,
    format: Option<Format>,
    entry_currency: SmolStr,
    end_line: usize,
    saw_reference: bool,
    seen_25: bool,
    interim_marks: bool,
) -> Result<Statement, StatementError> {
    let missing = |field: &str| StatementError::MissingField {
        line: end_line,
        reference: s.reference.clone(),
        field: field.to_owned(),
    };
    if s.reference.is_empty() && !saw_reference {
        return Err(missing(":20: (transaction reference)"));
    }
    if !seen_25 {
        return Err(missing(":25: (account)"));
    }
    let has_balances = s.opening.is_some() || s.closing.is_some();
    s.format = match format {
        Some(f @ (Format::Mt940 | Format::Mt942)) => f,
        _ if interim_marks && !has_balances => Format::Mt942,
        _ => Format::Mt940,
    };
    if s.format == Format::Mt940 {
        if s.opening.is_none() {
            return Err(missing(":60F: (opening balance)"));
        }
        if s.closing.is_none() {
            return Err(missing(":62F: (closing balance)"));
        }
    }
    if let Some(b) = s.opening.as_ref().or(s.closing.as_ref()) {
        s.currency = b.currency.clone();
    }
    // Entries read before the currency was known (a balance after them) get it now.
    if entry_currency != s.currency {
        let currency = SmolStr::new(&s.currency);
        for e in &mut s.entries {
            e.currency.clone_from(&currency);
        }
    }
    Ok(s)
}
