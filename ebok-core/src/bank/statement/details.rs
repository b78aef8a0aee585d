//! The `:86:` details of MT940/MT942 entries, in the dialects of Polish banks.
//!
//! - **mBank**: labelled text (`ID IPH:`, `Z RACH.:`, `OD:`, `TYT.:`, `TNR:`) wrapped at a fixed
//!   width, even in the middle of a label, so lines are joined without a separator.
//! - **ING**, **PKO BP**, **Pekao**: the ZBP subfield layout, a 3-digit operation code followed by
//!   numbered subfields (`~NN` at ING and PKO BP, `^NN` at Pekao): `00` the operation,
//!   `20`–`26` the title, `27`–`29` and `32`–`33` the counterparty's name and address, `30` its
//!   sort code and `31` its account, `34` the transaction code, `38` its IBAN, `60`–`63`
//!   additional text. PKO BP writes `˙` for an empty subfield.
//! - **Generic**: German-style `?NN` subfields when present (same numbering), otherwise the
//!   raw text as the title.
//!
//! A 26-digit number anywhere in the details whose sort code is the statement account's (the
//! cooperative's own bank) and which is not the counterparty's account is taken as the virtual
//! account the money was paid to.

use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

/// The `:86:` dialect of an MT940/MT942 file.
///
/// ```
/// use ebok_core::bank::statement::Dialect;
/// assert_eq!("pko".parse::<Dialect>(), Ok(Dialect::Pko));
/// assert_eq!(Dialect::Mbank.name(), "mbank");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Dialect {
    /// mBank: labelled text.
    Mbank,
    /// ING Bank Śląski: `~NN` subfields.
    Ing,
    /// PKO BP: `~NN` subfields, `˙` for empty ones, `:25:/PL…`.
    Pko,
    /// Bank Pekao: `^NN` subfields.
    Pekao,
    /// Any other bank: `?NN` subfields when present, else the raw text.
    Generic,
}

impl Dialect {
    /// The name used in options.
    ///
    /// ```
    /// # use ebok_core::bank::statement::Dialect;
    /// assert_eq!(Dialect::Generic.name(), "generic");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Mbank => "mbank",
            Dialect::Ing => "ing",
            Dialect::Pko => "pko",
            Dialect::Pekao => "pekao",
            Dialect::Generic => "generic",
        }
    }

    /// The most `:86:` lines (of 65 characters) an entry may have: SWIFT's 6 for mBank and the
    /// generic dialect; the Polish subfield dialects put one subfield per line and allow 25.
    ///
    /// ```
    /// # use ebok_core::bank::statement::Dialect;
    /// assert_eq!(Dialect::Generic.max_detail_lines(), 6);
    /// ```
    pub fn max_detail_lines(self) -> usize {
        match self {
            Dialect::Mbank | Dialect::Generic => 6,
            Dialect::Ing | Dialect::Pko | Dialect::Pekao => 25,
        }
    }

    fn separator(self) -> char {
        match self {
            Dialect::Ing | Dialect::Pko => '~',
            Dialect::Pekao => '^',
            Dialect::Mbank | Dialect::Generic => '?',
        }
    }
}

impl std::str::FromStr for Dialect {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "mbank" => Ok(Dialect::Mbank),
            "ing" => Ok(Dialect::Ing),
            "pko" | "pkobp" | "pko bp" => Ok(Dialect::Pko),
            "pekao" => Ok(Dialect::Pekao),
            "generic" => Ok(Dialect::Generic),
            _ => Err(format!(
                "unknown dialect {s:?}; expected mbank, ing, pko, pekao or generic"
            )),
        }
    }
}

const MBANK_LABELS: [&str; 5] = ["ID IPH:", "Z RACH.:", "OD:", "TYT.:", "TNR:"];

/// Detects the dialect from the `:86:` texts of a file (lines joined; the first 100 are enough)
/// and its `:25:` accounts.
pub(super) fn detect<'a>(details: impl Iterator<Item = &'a str>, accounts: &[String]) -> Dialect {
    let mut tilde = false;
    let mut caret = false;
    let mut pko_marks = accounts.iter().any(|a| a.starts_with("/PL"));
    for joined in details.take(100) {
        if MBANK_LABELS[..2]
            .iter()
            .chain(&MBANK_LABELS[3..])
            .any(|l| joined.contains(l))
        {
            return Dialect::Mbank;
        }
        tilde |= has_subfield(joined, '~');
        caret |= has_subfield(joined, '^');
        pko_marks |= joined.contains('˙');
    }
    match (tilde, caret) {
        (true, _) if pko_marks => Dialect::Pko,
        (true, _) => Dialect::Ing,
        (false, true) => Dialect::Pekao,
        _ => Dialect::Generic,
    }
}

/// Whether `text` holds `sep` followed by two digits (an ASCII separator).
fn has_subfield(text: &str, sep: char) -> bool {
    subfield_markers(text.as_bytes(), sep as u8)
        .next()
        .is_some()
}

/// The positions of `sep` followed by two digits.
fn subfield_markers(b: &[u8], sep: u8) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(sep, b).filter(move |&i| {
        b.len() >= i + 3 && b[i + 1].is_ascii_digit() && b[i + 2].is_ascii_digit()
    })
}

/// What the details say, by field.
#[derive(Debug, Default)]
pub(super) struct Parsed {
    pub operation_code: Option<SmolStr>,
    pub counterparty_name: Option<SmolStr>,
    pub counterparty_account: Option<SmolStr>,
    pub title: Option<SmolStr>,
    pub virtual_account: Option<SmolStr>,
    pub payer_id: Option<SmolStr>,
    pub tnr: Option<SmolStr>,
}

/// The statement's own account, for recognising virtual accounts at the same bank.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct OwnAccount {
    digits: Option<[u8; 26]>,
}

impl OwnAccount {
    pub(super) fn of(account: &str) -> OwnAccount {
        OwnAccount {
            digits: nrb_digits(account),
        }
    }
}

/// The 26 digits of an NRB written with spaces, a leading `/` or `PL`; None otherwise. ASCII
/// bytes in place (not `Nrb::parse_unchecked`, which would cost a parse per entry).
fn nrb_digits(text: &str) -> Option<[u8; 26]> {
    let t = text.trim_start_matches('/');
    let t = t.strip_prefix("PL").unwrap_or(t);
    let mut out = [0u8; 26];
    let mut n = 0;
    for &c in t.as_bytes() {
        match c {
            b'0'..=b'9' if n < 26 => {
                out[n] = c;
                n += 1;
            }
            b' ' => {}
            _ => return None,
        }
    }
    (n == 26).then_some(out)
}

/// Reads the details (`lines` as written, trailing spaces kept) in `dialect`.
/// `scratch` is a buffer the caller keeps between entries, so that joining the lines allocates
/// once per statement, not once per entry.
pub(super) fn parse(
    dialect: Dialect,
    lines: &[&str],
    own: &OwnAccount,
    scratch: &mut String,
) -> Parsed {
    let joined: &str = match lines {
        [one] => one,
        _ => {
            scratch.clear();
            for l in lines {
                scratch.push_str(l);
            }
            scratch
        }
    };
    let mut parsed = match dialect {
        Dialect::Mbank => parse_mbank(joined),
        Dialect::Generic if has_subfield(joined, '?') => parse_subfields(joined, b'?', false),
        Dialect::Generic => Parsed {
            title: non_empty(lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")),
            ..Parsed::default()
        },
        d => parse_subfields(joined, d.separator() as u8, d == Dialect::Pko),
    };
    if let Some(own) = &own.digits {
        let counterparty = parsed.counterparty_account.as_deref();
        let sep = match dialect {
            Dialect::Mbank => None,
            Dialect::Generic => Some(b'?'),
            d => Some(d.separator() as u8),
        };
        parsed.virtual_account = find_virtual_account(joined, own, counterparty, sep);
    }
    parsed
}

fn non_empty(s: String) -> Option<SmolStr> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else if t.len() == s.len() {
        Some(SmolStr::from(s))
    } else {
        Some(SmolStr::new(t))
    }
}

fn non_empty_str(s: &str) -> Option<SmolStr> {
    let t = s.trim();
    (!t.is_empty()).then(|| SmolStr::new(t))
}

/// The leading 3-digit operation code, if the text starts with one.
fn operation_code(text: &str) -> Option<SmolStr> {
    let b = text.as_bytes();
    (b.len() >= 3
        && b[..3].iter().all(u8::is_ascii_digit)
        && b.get(3).is_none_or(|c| !c.is_ascii_digit()))
    .then(|| SmolStr::new(&text[..3]))
}

fn parse_mbank(joined: &str) -> Parsed {
    // Each label's value runs to the next label (searched in the bank's order) and loses its
    // padding and the closing `;`.
    let mut found: Vec<(usize, usize, &str)> = Vec::new(); // (label start, value start, label)
    let mut from = 0;
    for label in MBANK_LABELS {
        if let Some(at) = find_label(joined, label, from) {
            found.push((at, at + label.len(), label));
            from = at + label.len();
        }
    }
    let mut p = Parsed {
        operation_code: operation_code(joined),
        ..Parsed::default()
    };
    for (i, &(_, start, label)) in found.iter().enumerate() {
        let end = found.get(i + 1).map_or(joined.len(), |n| n.0);
        let value = non_empty_str(joined[start..end].trim().trim_end_matches(';'));
        match label {
            "ID IPH:" => p.payer_id = value,
            "Z RACH.:" => p.counterparty_account = value,
            "OD:" => p.counterparty_name = value.map(|v| squeeze_spaces(&v)),
            "TYT.:" => p.title = value,
            _ => p.tnr = value.map(|v| v.split_whitespace().collect::<String>().into()),
        }
    }
    p
}

/// The position of `label` at or after `from`, at the start or after `; `/`;`.
fn find_label(text: &str, label: &str, from: usize) -> Option<usize> {
    let mut start = from;
    while let Some(rel) = text.get(start..)?.find(label) {
        let at = start + rel;
        let before = text[..at].trim_end_matches(' ');
        if before.is_empty() || before.ends_with(';') {
            return Some(at);
        }
        start = at + label.len();
    }
    None
}

fn squeeze_spaces(s: &SmolStr) -> SmolStr {
    let b = s.as_bytes();
    let doubled = b.windows(2).any(|w| w[0] == b' ' && w[1] == b' ');
    if !doubled && b.first() != Some(&b' ') && b.last() != Some(&b' ') {
        return s.clone();
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ").into()
}

fn parse_subfields(joined: &str, sep: u8, pko_empty: bool) -> Parsed {
    let b = joined.as_bytes();
    // (number, value range) of each subfield, in order: at most 32 (the ZBP layout has about
    // 20), on the stack; the details are at most 25 lines of 65 characters, so a range fits u16.
    let mut fields = [(0u8, 0u16, 0u16); 32];
    let mut count = 0;
    let mut head_end = b.len();
    let mut last: Option<(u8, usize)> = None;
    let mut record = |n: u8, start: usize, end: usize| {
        if let (true, Ok(s), Ok(e)) = (
            count < fields.len(),
            u16::try_from(start),
            u16::try_from(end),
        ) {
            fields[count] = (n, s, e);
            count += 1;
        }
    };
    for at in subfield_markers(b, sep) {
        match last {
            Some((n, start)) => record(n, start, at),
            None => head_end = at,
        }
        last = Some(((b[at + 1] - b'0') * 10 + (b[at + 2] - b'0'), at + 3));
    }
    if let Some((n, start)) = last {
        record(n, start, b.len());
    }
    let fields = &fields[..count];
    let value = |s: u16, e: u16| {
        joined
            .get(usize::from(s)..usize::from(e))
            .unwrap_or_default()
    };
    // The values of subfields `range`, joined (lines wrap at a fixed width: no separator).
    let join = |range: std::ops::RangeInclusive<u8>| -> Option<SmolStr> {
        let mut parts = fields.iter().filter(|(n, _, _)| range.contains(n));
        let first = parts.next()?;
        let v = value(first.1, first.2);
        let mut rest = parts.peekable();
        if rest.peek().is_none() && !(pko_empty && v.contains('˙')) {
            return non_empty_str(v);
        }
        let mut out = String::new();
        for &(_, s, e) in std::iter::once(first).chain(rest) {
            let v = value(s, e);
            if pko_empty && v.contains('˙') {
                out.push_str(&v.replace('˙', ""));
            } else {
                out.push_str(v);
            }
        }
        non_empty(out)
    };
    let name = join(32..=33).or_else(|| join(27..=29));
    let account = join(38..=38).or_else(|| {
        let sort_code = join(30..=30).unwrap_or_default();
        let number = join(31..=31).unwrap_or_default();
        if sort_code.len() == 8 && number.len() == 16 {
            crate::bank::Nrb::from_bban(&format!("{sort_code}{number}"))
                .ok()
                .map(|n| SmolStr::from(n.digits()))
        } else {
            non_empty(format!("{sort_code}{number}"))
        }
    });
    Parsed {
        operation_code: operation_code(joined[..head_end].trim()),
        counterparty_name: name.map(|n| squeeze_spaces(&n)),
        counterparty_account: account,
        title: join(20..=26),
        ..Parsed::default()
    }
}

/// The position of the first ASCII digit, eight bytes at a time.
fn first_digit(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = 0;
    let mut chunks = b.chunks_exact(8);
    for chunk in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        // A byte is a digit when `byte ^ 0x30` is below 10 (exact "has a byte below n").
        let x = u64::from_le_bytes(w) ^ (0x30 * ONES);
        if x.wrapping_sub(10 * ONES) & !x & HIGH != 0 {
            return chunk.iter().position(u8::is_ascii_digit).map(|p| at + p);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(u8::is_ascii_digit)
        .map(|p| at + p)
}

/// How many ASCII digits `b` starts with, eight bytes at a time.
fn digit_run(b: &[u8]) -> usize {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = 0;
    let mut chunks = b.chunks_exact(8);
    for chunk in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        // `t` is below 10 exactly for a digit; the high bit of each byte of `not_digit` is set
        // when `t` is 10 or more (no carry crosses a byte: `t & 0x7f` + 0x76 ≤ 0xf5).
        let t = u64::from_le_bytes(w) ^ 0x3030_3030_3030_3030;
        let not_digit = (((t & LOW) + 0x7676_7676_7676_7676) | t) & HIGH;
        if not_digit != 0 {
            return at + (not_digit.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + chunks
        .remainder()
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

/// Whether two 26-byte numbers are equal (two overlapping 16-byte words, no library call).
fn same26(a: &[u8; 26], b: &[u8; 26]) -> bool {
    let word = |x: &[u8; 26], at: usize| {
        let mut w = [0u8; 16];
        w.copy_from_slice(&x[at..at + 16]);
        u128::from_le_bytes(w)
    };
    word(a, 0) == word(b, 0) && word(a, 10) == word(b, 10)
}

/// A 26-digit number (optionally `PL`-prefixed, single spaces between digits allowed) with the
/// statement account's sort code, other than the counterparty's account and the statement's own.
/// A subfield's number (`~60`) is not part of the number that follows it.
fn find_virtual_account(
    text: &str,
    own: &[u8; 26],
    counterparty_text: Option<&str>,
    sep: Option<u8>,
) -> Option<SmolStr> {
    // The counterparty's digits only when a number at our bank is found (rare).
    let counterparty = std::cell::OnceCell::new();
    let counterparty_digits =
        || *counterparty.get_or_init(|| counterparty_text.and_then(nrb_digits));
    let b = text.as_bytes();
    let mut i = 0;
    // From the start of one run of digits to the next (a run never starts mid-run).
    while let Some(skip) = b.get(i..).and_then(first_digit) {
        i += skip;
        let marker = i > 0 && sep == Some(b[i - 1]) && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        let start = if marker { i + 2 } else { i };
        // Most numbers are written without spaces: then the run of digits is the number, and
        // only a run of exactly 26 digits with our sort code is looked at (no copy).
        let run = digit_run(b.get(start..).unwrap_or_default());
        let spaced = b.get(start + run) == Some(&b' ')
            && b.get(start + run + 1).is_some_and(u8::is_ascii_digit);
        if !spaced {
            if run == 26
                && b.get(start + 2..start + 10) == Some(&own[2..10])
                && let Some(t) = text.get(start..start + 26)
            {
                let mut d = [0u8; 26];
                d.copy_from_slice(t.as_bytes());
                if counterparty_digits().is_none_or(|c| !same26(&d, &c)) && !same26(&d, own) {
                    return Some(SmolStr::new(t));
                }
            }
            i = (start + run).max(i + 1);
            continue;
        }
        let mut digits = [0u8; 27];
        let mut n = 0;
        let mut j = start;
        while j < b.len() && n < 27 {
            if b[j].is_ascii_digit() {
                digits[n] = b[j];
                n += 1;
                // Another bank's sort code: not ours, stop reading this number.
                if n == 10 && digits[2..10] != own[2..10] {
                    break;
                }
            } else if b[j] != b' ' || !b.get(j + 1).is_some_and(u8::is_ascii_digit) {
                break;
            }
            j += 1;
        }
        if n == 26 {
            let mut d = [0u8; 26];
            d.copy_from_slice(&digits[..26]);
            let sort =
                |x: &[u8; 26]| u64::from_le_bytes([x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9]]);
            if sort(&d) == sort(own)
                && counterparty_digits().is_none_or(|c| !same26(&d, &c))
                && !same26(&d, own)
            {
                // Written without spaces, the number is the text itself (no copy to check).
                return match text.get(i + usize::from(marker) * 2..j) {
                    Some(t) if t.len() == 26 => Some(SmolStr::new(t)),
                    _ => std::str::from_utf8(&d).ok().map(SmolStr::new),
                };
            }
        }
        i = j.max(i + 1);
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mbank_labels_wrapped_mid_label_are_read() {
        let lines = [
            "911 TRANSAKCJA COLLECT; ID IPH: XX000000000001; Z RA",
            "CH.: 56114010810000267002001001; OD: JAN NOWAK  ",
            "UL. NIJAKA 1; TYT.: CZYNSZ 05/2025   ; TN",
            "R: 179171073864111.0",
            "10001",
        ];
        let p = parse(
            Dialect::Mbank,
            &lines,
            &OwnAccount::of("PL29114010810000267002001002"),
            &mut String::new(),
        );
        assert_eq!(p.operation_code.as_deref(), Some("911"));
        assert_eq!(p.payer_id.as_deref(), Some("XX000000000001"));
        assert_eq!(
            p.counterparty_account.as_deref(),
            Some("56114010810000267002001001")
        );
        assert_eq!(
            p.counterparty_name.as_deref(),
            Some("JAN NOWAK UL. NIJAKA 1")
        );
        assert_eq!(p.title.as_deref(), Some("CZYNSZ 05/2025"));
        assert_eq!(p.tnr.as_deref(), Some("179171073864111.010001"));
    }

    #[test]
    fn pko_empty_marks_and_sort_code_account() {
        let lines = [
            "020~00PRZELEW PRZYCHODZĄCY",
            "~20CZYNSZ 0756555",
            "~21˙",
            "~30˙",
            "~3110203378˙",
            "~32JAN KOWALSKI",
            "~38PL61109010140000071219812874",
        ];
        let p = parse(
            Dialect::Pko,
            &lines,
            &OwnAccount::of("/PL27102033780000000000012345"),
            &mut String::new(),
        );
        assert_eq!(p.title.as_deref(), Some("CZYNSZ 0756555"));
        assert_eq!(p.counterparty_name.as_deref(), Some("JAN KOWALSKI"));
        assert_eq!(
            p.counterparty_account.as_deref(),
            Some("PL61109010140000071219812874")
        );
        assert_eq!(p.operation_code.as_deref(), Some("020"));
    }

    #[test]
    fn detection() {
        let accounts = vec!["PL29114010810000267002001002".to_string()];
        assert_eq!(detect(["020~00X~20Y"].into_iter(), &accounts), Dialect::Ing);
        assert_eq!(
            detect(["020^00X^20Y"].into_iter(), &accounts),
            Dialect::Pekao
        );
        assert_eq!(detect(["020~00X~21˙"].into_iter(), &accounts), Dialect::Pko);
        assert_eq!(
            detect(["911 X; TNR: 1"].into_iter(), &accounts),
            Dialect::Mbank
        );
        assert_eq!(
            detect(["805?00X?20Y"].into_iter(), &accounts),
            Dialect::Generic
        );
        assert_eq!(
            detect(["free text"].into_iter(), &accounts),
            Dialect::Generic
        );
    }

    #[test]
    fn digit_run_counts_leading_digits_at_every_length() {
        for text in [
            "",
            "1",
            "12345678",
            "123456789x",
            "1234567890123456789012345678",
            "x1",
            "99 9",
            "0/1",
        ] {
            for cut in 0..=text.len() {
                let t = &text.as_bytes()[cut..];
                let slow = t.iter().take_while(|c| c.is_ascii_digit()).count();
                assert_eq!(digit_run(t), slow, "{:?}", std::str::from_utf8(t));
            }
        }
        // Every byte value next to digits: only '0'..='9' count.
        for byte in 0..=255u8 {
            let t = [b'1', b'2', b'3', byte, b'5', b'6', b'7', b'8', b'9'];
            let slow = t.iter().take_while(|c| c.is_ascii_digit()).count();
            assert_eq!(digit_run(&t), slow, "byte {byte}");
        }
    }

    #[test]
    fn first_digit_finds_the_first_digit_anywhere() {
        for text in [
            "",
            "abc",
            "abcdefgh",
            "abcdefghi",
            "ab1",
            "abcdefgh9",
            "0",
            "~~~~~~~~~~~~~~~~~5x",
            "ŻÓŁW 7",
            "/:;<=>?@ 8",
        ] {
            assert_eq!(
                first_digit(text.as_bytes()),
                text.bytes().position(|c| c.is_ascii_digit()),
                "{text}"
            );
        }
    }

    #[test]
    fn virtual_account_shares_the_statement_sort_code() {
        let lines =
            ["020~20CZYNSZ~6047 1020 3378 0000 1234 5607 5655~38PL61109010140000071219812874"];
        let own = "92102033780000000000000001";
        let p = parse(
            Dialect::Ing,
            &lines,
            &OwnAccount::of(own),
            &mut String::new(),
        );
        assert_eq!(
            p.virtual_account.as_deref(),
            Some("47102033780000123456075655")
        );
        assert_eq!(
            p.counterparty_account.as_deref(),
            Some("PL61109010140000071219812874")
        );
        // Another bank's number is not a virtual account of ours.
        let lines = ["020~20CZYNSZ~6047 1090 3378 0000 1234 5607 5655"];
        assert_eq!(
            parse(
                Dialect::Ing,
                &lines,
                &OwnAccount::of(own),
                &mut String::new()
            )
            .virtual_account,
            None
        );
    }
}
