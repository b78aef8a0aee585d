//! Reading CSV tables as Polish accounting exports write them: encoding, delimiter, header.

use std::borrow::Cow;

use super::{ImportIssue, TextEncoding};

/// The CSV dialect of one file.
///
/// ```
/// use ebok_core::interchange::Dialect;
/// assert_eq!(Dialect::detect(b"id;premises;amount\r\n").delimiter, b';');
/// assert_eq!(Dialect::detect(b"id,premises,\"amount;x\"\n").delimiter, b',');
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// The field delimiter: `;`, `,` or tab.
    pub delimiter: u8,
}

impl Dialect {
    /// Detects the delimiter from the header line: the most frequent of `;`, `,` and tab
    /// outside quotes (`;` on a tie, as Polish spreadsheets write it).
    ///
    /// ```
    /// use ebok_core::interchange::Dialect;
    /// assert_eq!(Dialect::detect(b"a\tb\tc").delimiter, b'\t');
    /// ```
    pub fn detect(bytes: &[u8]) -> Dialect {
        let mut counts = [0usize; 3];
        let mut quoted = false;
        for &b in bytes.iter().take_while(|&&b| b != b'\n') {
            match b {
                b'"' => quoted = !quoted,
                b';' if !quoted => counts[0] += 1,
                b',' if !quoted => counts[1] += 1,
                b'\t' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
        let delimiter = if counts[2] > counts[0] && counts[2] > counts[1] {
            b'\t'
        } else if counts[1] > counts[0] {
            b','
        } else {
            b';'
        };
        Dialect { delimiter }
    }
}

pub(crate) fn decode_cp1250(bytes: &[u8]) -> Option<String> {
    encoding_rs::WINDOWS_1250
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(Cow::into_owned)
}

/// Decodes a file to UTF-8 text: a UTF-8 byte-order mark is dropped; with
/// [`TextEncoding::Auto`], bytes that are not valid UTF-8 are read as CP1250.
///
/// ```
/// use ebok_core::interchange::{TextEncoding, decode};
/// let cp1250 = b"Ma\xb3gorzata"; // "Małgorzata" in CP1250
/// assert_eq!(decode(cp1250, TextEncoding::Auto, "x.csv")?, "Małgorzata");
/// assert!(decode(cp1250, TextEncoding::Utf8, "x.csv").is_err());
/// # Ok::<(), ebok_core::interchange::ImportIssue>(())
/// ```
pub fn decode<'a>(
    bytes: &'a [u8],
    encoding: TextEncoding,
    file: &str,
) -> Result<Cow<'a, str>, ImportIssue> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let not_utf8 = |e: std::str::Utf8Error| {
        let at = e.valid_up_to();
        let line = body[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        ImportIssue::new(
            file,
            line,
            None,
            &format!("byte {at}"),
            "the file is not valid UTF-8 (declare encoding = cp1250 in the manifest for Windows-1250 files)",
        )
    };
    match encoding {
        TextEncoding::Utf8 => std::str::from_utf8(body)
            .map(Cow::Borrowed)
            .map_err(not_utf8),
        TextEncoding::Auto => match std::str::from_utf8(body) {
            Ok(s) => Ok(Cow::Borrowed(s)),
            Err(_) => decode_cp1250(bytes).map(Cow::Owned).ok_or_else(|| {
                ImportIssue::new(file, 0, None, "", "the file is neither UTF-8 nor CP1250")
            }),
        },
        // Valid UTF-8 with non-ASCII text declared as CP1250 would turn every Polish letter
        // into two wrong ones (and mark every record changed): refused, not guessed.
        TextEncoding::Cp1250 if !body.is_ascii() && std::str::from_utf8(body).is_ok() => {
            Err(ImportIssue::new(
                file,
                0,
                None,
                "",
                "the manifest declares cp1250, but the file is UTF-8 (Polish letters would be garbled): declare encoding = utf-8",
            ))
        }
        TextEncoding::Cp1250 => decode_cp1250(bytes).map(Cow::Owned).ok_or_else(|| {
            ImportIssue::new(
                file,
                0,
                None,
                "",
                "the file holds bytes undefined in CP1250",
            )
        }),
    }
}

/// The data records of a file as the reader counts them: non-blank records after the header.
/// Works on the raw bytes (delimiters and line breaks are ASCII in every supported encoding).
pub(crate) fn count_records(bytes: &[u8]) -> u64 {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if plain(body) {
        return body
            .split(|&b| b == b'\n')
            .skip(1)
            .filter(|l| !trim_bytes(l).is_empty())
            .count() as u64;
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(Dialect::detect(body).delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(body);
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    while let Ok(true) = reader.read_byte_record(&mut record) {
        if !record.iter().all(|f| trim_bytes(f).is_empty()) {
            n += 1;
        }
    }
    n
}

/// One record: from the `csv` crate, or split in place by the fast path.
pub(crate) enum Record<'a> {
    /// Parsed by `csv` (quoted fields and all).
    Csv(&'a csv::ByteRecord),
    /// An unquoted line and the bounds of its fields.
    Plain(&'a [u8], &'a [(usize, usize)]),
}

impl Record<'_> {
    fn is_blank(&self) -> bool {
        match self {
            Record::Csv(r) => r.iter().all(|f| trim_bytes(f).is_empty()),
            Record::Plain(line, _) => trim_bytes(line).is_empty(),
        }
    }
}

/// The positions of a table's columns, found by header name (case-insensitive, any order).
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    pub(crate) index: Vec<Option<usize>>,
}

impl Columns {
    pub(crate) fn get<'r>(&self, record: &Record<'r>, col: usize) -> &'r [u8]
    where
        Self: 'r,
    {
        let field: Option<&'r [u8]> = match (record, self.index.get(col).copied().flatten()) {
            (Record::Csv(r), Some(i)) => r.get(i),
            (Record::Plain(line, bounds), Some(i)) => bounds.get(i).map(|&(a, b)| &line[a..b]),
            _ => None,
        };
        field.map_or(&[][..], trim_bytes)
    }
}

pub(crate) fn trim_bytes(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end.max(start)]
}

pub(crate) fn as_str(b: &[u8]) -> &str {
    // The text was decoded to UTF-8 before splitting, and fields split at ASCII bytes.
    std::str::from_utf8(b).unwrap_or("")
}

/// Whether a file can be split without the `csv` state machine: no quotes anywhere, and
/// every `\r` ends a CRLF pair.
fn plain(bytes: &[u8]) -> bool {
    memchr::memchr(b'"', bytes).is_none()
        && memchr::memchr_iter(b'\r', bytes).all(|i| bytes.get(i + 1) == Some(&b'\n'))
}

fn header_index(names: &[String], columns: &[&str]) -> Vec<Option<usize>> {
    columns
        .iter()
        .map(|c| names.iter().position(|n| n == c))
        .collect()
}

/// Where a large plain file (see [`plain`]) splits into two parts of about equal size at a
/// line break, for two cores: the byte offset where the second part starts and the line it
/// starts on. `None` for a small file, or one that needs the `csv` state machine.
pub(crate) fn split_in_two(text: &str) -> Option<(usize, u64)> {
    const TWO_CORES_FROM: usize = 1 << 22;
    let bytes = text.as_bytes();
    if bytes.len() < TWO_CORES_FROM || !plain(bytes) {
        return None;
    }
    let body = memchr::memchr(b'\n', bytes)? + 1;
    let mid = body + (bytes.len() - body) / 2;
    let split = mid + memchr::memchr(b'\n', &bytes[mid..])? + 1;
    let lines_before = memchr::memchr_iter(b'\n', &bytes[body..split]).count();
    Some((split, 2 + lines_before as u64))
}

/// The second part of a file [`split_in_two`] split: its records, numbered from `first_line`,
/// read under the file's header (whose problems the first part reports).
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_table_rest(
    file: &str,
    text: &str,
    split: usize,
    first_line: u64,
    columns: &[&str],
    required: usize,
    row: impl FnMut(u64, &Record<'_>, &Columns, &mut Vec<ImportIssue>),
) -> Vec<ImportIssue> {
    let bytes = text.as_bytes();
    let header = bytes[..memchr::memchr(b'\n', bytes).unwrap_or(bytes.len())].as_ref();
    let mut issues = Vec::new();
    let delimiter = Dialect::detect(bytes).delimiter;
    let body = bytes.get(split..).unwrap_or_default();
    read_plain(
        file,
        header,
        body,
        first_line,
        delimiter,
        columns,
        required,
        &mut issues,
        row,
    );
    issues.retain(|i| i.line != 1);
    issues
}

/// Reads the records of a plain file's `body` (its lines numbered from `first_line`) under
/// `header`.
#[allow(clippy::too_many_arguments)]
fn read_plain(
    file: &str,
    header: &[u8],
    body: &[u8],
    first_line: u64,
    delimiter: u8,
    columns: &[&str],
    required: usize,
    issues: &mut Vec<ImportIssue>,
    mut row: impl FnMut(u64, &Record<'_>, &Columns, &mut Vec<ImportIssue>),
) {
    let header = header.strip_suffix(b"\r").unwrap_or(header);
    let names: Vec<String> = header
        .split(|&b| b == delimiter)
        .map(|h| as_str(trim_bytes(h)).to_lowercase())
        .collect();
    let Some(cols) = check_header(file, names, columns, required, issues) else {
        return;
    };
    let mut bounds: Vec<(usize, usize)> = Vec::with_capacity(columns.len() + 4);
    for (n, line) in body.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        bounds.clear();
        // Lines are short: a plain loop beats calling memchr per field.
        let mut start = 0;
        for (d, &b) in line.iter().enumerate() {
            if b == delimiter {
                bounds.push((start, d));
                start = d + 1;
            }
        }
        bounds.push((start, line.len()));
        let record = Record::Plain(line, &bounds);
        if record.is_blank() {
            continue;
        }
        row(n as u64 + first_line, &record, &cols, issues);
    }
}

/// The columns of a header row, or an issue for each required column it lacks.
fn check_header(
    file: &str,
    names: Vec<String>,
    columns: &[&str],
    required: usize,
    issues: &mut Vec<ImportIssue>,
) -> Option<Columns> {
    let index = header_index(&names, columns);
    let mut missing = false;
    for (c, i) in columns.iter().zip(&index).take(required) {
        if i.is_none() {
            issues.push(ImportIssue::new(
                file,
                1,
                Some(c),
                &names.join(";"),
                "required column is missing from the header",
            ));
            missing = true;
        }
    }
    (!missing).then_some(Columns { index })
}

/// Reads a table: the header row maps `columns` (the first `required` of them must be
/// present); every following non-empty record goes to `row` with its 1-based line.
///
/// Files without quotes are split in place with `memchr` (several times faster); anything
/// else goes through the `csv` crate, which handles quoting, embedded delimiters and breaks.
pub(crate) fn read_table(
    file: &str,
    text: &str,
    columns: &[&str],
    required: usize,
    issues: &mut Vec<ImportIssue>,
    mut row: impl FnMut(u64, &Record<'_>, &Columns, &mut Vec<ImportIssue>),
) {
    let bytes = text.as_bytes();
    let dialect = Dialect::detect(bytes);
    let empty_file = || {
        ImportIssue::new(
            file,
            1,
            None,
            "",
            "the file is empty: a header row is required",
        )
    };
    if trim_bytes(bytes).is_empty() {
        issues.push(empty_file());
        return;
    }
    if plain(bytes) {
        let (header, body) = match memchr::memchr(b'\n', bytes) {
            Some(end) => (&bytes[..end], &bytes[end + 1..]),
            None => (bytes, &[][..]),
        };
        read_plain(
            file,
            header,
            body,
            2,
            dialect.delimiter,
            columns,
            required,
            issues,
            row,
        );
        return;
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            issues.push(empty_file());
            return;
        }
        Err(e) => {
            issues.push(ImportIssue::new(
                file,
                1,
                None,
                "",
                format!("unreadable header: {e}"),
            ));
            return;
        }
    }
    let names: Vec<String> = record
        .iter()
        .map(|h| as_str(trim_bytes(h)).to_lowercase())
        .collect();
    let Some(cols) = check_header(file, names, columns, required, issues) else {
        return;
    };
    // The physical line where a record starts. csv counts a line when it reads `\n`; after a
    // CRLF-terminated record that `\n` is still ahead, so such a record starts on the next line.
    let line_at = |p: Option<&csv::Position>| {
        p.map_or(0, |p| {
            let at = usize::try_from(p.byte()).unwrap_or(usize::MAX);
            p.line() + u64::from(bytes.get(at) == Some(&b'\n'))
        })
    };
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                let r = Record::Csv(&record);
                if r.is_blank() {
                    continue;
                }
                row(line_at(record.position()), &r, &cols, issues);
            }
            Ok(false) => break,
            Err(e) => {
                issues.push(ImportIssue::new(
                    file,
                    line_at(e.position()),
                    None,
                    "",
                    format!("unreadable CSV: {e}"),
                ));
                break;
            }
        }
    }
}
