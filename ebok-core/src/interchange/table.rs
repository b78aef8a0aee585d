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
pub fn decode<'a>(bytes: &'a [u8], encoding: TextEncoding, file: &str) -> Result<Cow<'a, str>, ImportIssue> {
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
        TextEncoding::Utf8 => std::str::from_utf8(body).map(Cow::Borrowed).map_err(not_utf8),
        TextEncoding::Auto => match std::str::from_utf8(body) {
            Ok(s) => Ok(Cow::Borrowed(s)),
            Err(_) => decode_cp1250(bytes)
                .map(Cow::Owned)
                .ok_or_else(|| ImportIssue::new(file, 0, None, "", "the file is neither UTF-8 nor CP1250")),
        },
        TextEncoding::Cp1250 => decode_cp1250(bytes)
            .map(Cow::Owned)
            .ok_or_else(|| ImportIssue::new(file, 0, None, "", "the file holds bytes undefined in CP1250")),
    }
}

/// The positions of a table's columns, found by header name (case-insensitive, any order).
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    pub(crate) index: Vec<Option<usize>>,
}

impl Columns {
    pub(crate) fn get<'r>(&self, record: &'r csv::ByteRecord, col: usize) -> &'r [u8] {
        self.index
            .get(col)
            .copied()
            .flatten()
            .and_then(|i| record.get(i))
            .map_or(&[][..], trim_bytes)
    }
}

pub(crate) fn trim_bytes(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(start, |e| e + 1);
    &b[start..end.max(start)]
}

pub(crate) fn as_str(b: &[u8]) -> &str {
    // The text was decoded to UTF-8 before splitting, and fields split at ASCII bytes.
    std::str::from_utf8(b).unwrap_or("")
}

/// Reads a table: the header row maps `columns` (the first `required` of them must be
/// present); every following non-empty record goes to `row` with its 1-based line.
pub(crate) fn read_table(
    file: &str,
    text: &str,
    columns: &[&str],
    required: usize,
    issues: &mut Vec<ImportIssue>,
    mut row: impl FnMut(u64, &csv::ByteRecord, &Columns, &mut Vec<ImportIssue>),
) {
    let dialect = Dialect::detect(text.as_bytes());
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            issues.push(ImportIssue::new(file, 1, None, "", "the file is empty: a header row is required"));
            return;
        }
        Err(e) => {
            issues.push(ImportIssue::new(file, 1, None, "", format!("unreadable header: {e}")));
            return;
        }
    }
    let names: Vec<String> = record.iter().map(|h| as_str(trim_bytes(h)).to_lowercase()).collect();
    let index: Vec<Option<usize>> = columns.iter().map(|c| names.iter().position(|n| n == c)).collect();
    let mut missing = false;
    for (c, i) in columns.iter().zip(&index).take(required) {
        if i.is_none() {
            issues.push(ImportIssue::new(file, 1, Some(c), &names.join(";"), "required column is missing from the header"));
            missing = true;
        }
    }
    if missing {
        return;
    }
    let cols = Columns { index };
    // Line numbers are counted from byte offsets: the physical line where a record starts.
    let bytes = text.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1u64);
    let mut line_at = |offset: usize| {
        // A record may "start" on the line break that ended the previous one.
        let mut offset = offset.min(bytes.len());
        while offset < bytes.len() && matches!(bytes[offset], b'\r' | b'\n') {
            offset += 1;
        }
        if offset > counted_to {
            line += bytes[counted_to..offset].iter().filter(|&&b| b == b'\n').count() as u64;
            counted_to = offset;
        }
        line
    };
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                if record.iter().all(|f| trim_bytes(f).is_empty()) {
                    continue;
                }
                let start = record.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
                row(line_at(start), &record, &cols, issues);
            }
            Ok(false) => break,
            Err(e) => {
                let start = e.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
                issues.push(ImportIssue::new(file, line_at(start), None, "", format!("unreadable CSV: {e}")));
                break;
            }
        }
    }
}
