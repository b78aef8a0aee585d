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

use super::compact_account;

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

/// Detects the dialect from all `:86:` texts of a file (lines joined) and its `:25:` accounts.
pub(super) fn detect<'a>(details: impl Iterator<Item = &'a str>, accounts: &[String]) -> Dialect {
    let mut tilde = false;
    let mut caret = false;
    let mut pko_marks = accounts.iter().any(|a| a.starts_with("/PL"));
    for d in details {
        let joined: String = d.split('\n').collect();
        if MBANK_LABELS[..2]
            .iter()
            .chain(&MBANK_LABELS[3..])
            .any(|l| joined.contains(l))
        {
            return Dialect::Mbank;
        }
        tilde |= has_subfield(&joined, '~');
        caret |= has_subfield(&joined, '^');
        pko_marks |= joined.contains('˙');
    }
    match (tilde, caret) {
        (true, _) if pko_marks => Dialect::Pko,
        (true, _) => Dialect::Ing,
        (false, true) => Dialect::Pekao,
        _ => Dialect::Generic,
    }
}

fn has_subfield(text: &str, sep: char) -> bool {
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c == sep {
            let b = text.as_bytes();
            if b.len() >= i + 3 && b[i + 1].is_ascii_digit() && b[i + 2].is_ascii_digit() {
                return true;
            }
        }
    }
    false
}

/// What the details say, by field.
#[derive(Debug, Default)]
pub(super) struct Parsed {
    pub operation_code: Option<String>,
    pub counterparty_name: Option<String>,
    pub counterparty_account: Option<String>,
    pub title: Option<String>,
    pub virtual_account: Option<String>,
    pub payer_id: Option<String>,
    pub tnr: Option<String>,
}

/// Reads the details (`lines` as written, trailing spaces kept) in `dialect`.
pub(super) fn parse(dialect: Dialect, lines: &[&str], statement_account: &str) -> Parsed {
    let mut parsed = match dialect {
        Dialect::Mbank => parse_mbank(&lines.concat()),
        Dialect::Generic => {
            let joined = lines.concat();
            if has_subfield(&joined, '?') {
                parse_subfields(&joined, '?', false)
            } else {
                Parsed {
                    title: non_empty(lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")),
                    ..Parsed::default()
                }
            }
        }
        d => parse_subfields(&lines.concat(), d.separator(), d == Dialect::Pko),
    };
    parsed.counterparty_account = parsed
        .counterparty_account
        .take()
        .filter(|a| !a.bytes().all(|b| b == b'0' || b == b' '));
    let sep = match dialect {
        Dialect::Mbank => None,
        d => Some(d.separator()),
    };
    parsed.virtual_account = find_virtual_account(
        &unmark(&lines.concat(), sep),
        statement_account,
        parsed.counterparty_account.as_deref(),
    );
    parsed
}

/// The text with subfield markers (`~NN`) replaced by a bar, so numbers do not run into them.
fn unmark(text: &str, sep: Option<char>) -> String {
    let Some(sep) = sep else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let b = rest.as_bytes();
        if c == sep && b.len() >= 3 && b[1].is_ascii_digit() && b[2].is_ascii_digit() {
            out.push('|');
            rest = &rest[3..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The leading 3-digit operation code, if the text starts with one.
fn operation_code(text: &str) -> Option<String> {
    let b = text.as_bytes();
    (b.len() >= 3
        && b[..3].iter().all(u8::is_ascii_digit)
        && b.get(3).is_none_or(|c| !c.is_ascii_digit()))
    .then(|| text[..3].to_owned())
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
        let value = joined[start..end]
            .trim()
            .trim_end_matches(';')
            .trim()
            .to_owned();
        let value = non_empty(value);
        match label {
            "ID IPH:" => p.payer_id = value,
            "Z RACH.:" => p.counterparty_account = value,
            "OD:" => p.counterparty_name = value.map(|v| squeeze_spaces(&v)),
            "TYT.:" => p.title = value,
            _ => p.tnr = value.map(|v| v.split_whitespace().collect()),
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

fn squeeze_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parse_subfields(joined: &str, sep: char, pko_empty: bool) -> Parsed {
    let mut fields: Vec<(u8, String)> = Vec::new();
    let mut head = String::new();
    let mut rest = joined;
    let mut current: Option<(u8, String)> = None;
    while let Some(c) = rest.chars().next() {
        let b = rest.as_bytes();
        if c == sep && b.len() >= 3 && b[1].is_ascii_digit() && b[2].is_ascii_digit() {
            if let Some(f) = current.take() {
                fields.push(f);
            }
            current = Some(((b[1] - b'0') * 10 + (b[2] - b'0'), String::new()));
            rest = &rest[3..];
            continue;
        }
        match &mut current {
            Some((_, v)) => v.push(c),
            None => head.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    fields.extend(current);
    let value = |n: u8| -> String {
        fields
            .iter()
            .filter(|(k, _)| *k == n)
            .map(|(_, v)| {
                if pko_empty {
                    v.replace('˙', "")
                } else {
                    v.clone()
                }
            })
            .collect()
    };
    let join = |range: std::ops::RangeInclusive<u8>| -> Option<String> {
        non_empty(range.map(value).collect::<Vec<_>>().concat())
    };
    let name = join(32..=33).or_else(|| join(27..=29));
    let iban = non_empty(value(38));
    let sort_code = value(30);
    let number = value(31);
    let account = iban.or_else(|| {
        let (s, n) = (sort_code.trim(), number.trim());
        if s.len() == 8 && n.len() == 16 {
            crate::bank::Nrb::from_bban(&format!("{s}{n}"))
                .ok()
                .map(|n| n.digits())
        } else {
            non_empty(format!("{s}{n}"))
        }
    });
    Parsed {
        operation_code: operation_code(head.trim()),
        counterparty_name: name.map(|n| squeeze_spaces(&n)),
        counterparty_account: account,
        title: join(20..=26).map(|t| t.trim().to_owned()),
        ..Parsed::default()
    }
}

/// A 26-digit number (optionally `PL`-prefixed, spaces allowed only in groups of 4) with the
/// statement account's sort code, other than the counterparty's account.
fn find_virtual_account(
    text: &str,
    statement_account: &str,
    counterparty: Option<&str>,
) -> Option<String> {
    let own = compact_account(statement_account);
    if own.len() != 26 || !own.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sort_code = &own[2..10];
    let counterparty = counterparty.map(compact_account);
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let mut digits = String::with_capacity(26);
        let mut j = i;
        while j < b.len() && digits.len() < 27 {
            if b[j].is_ascii_digit() {
                digits.push(char::from(b[j]));
            } else if b[j] != b' ' || !b.get(j + 1).is_some_and(u8::is_ascii_digit) {
                break;
            }
            j += 1;
        }
        if digits.len() == 26
            && &digits[2..10] == sort_code
            && Some(&digits) != counterparty.as_ref()
            && digits != own
        {
            return Some(digits);
        }
        i = j.max(i + 1);
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
        let p = parse(Dialect::Mbank, &lines, "PL29114010810000267002001002");
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
        let p = parse(Dialect::Pko, &lines, "/PL27102033780000000000012345");
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
    fn virtual_account_shares_the_statement_sort_code() {
        let lines =
            ["020~20CZYNSZ~6047 1020 3378 0000 1234 5607 5655~38PL61109010140000071219812874"];
        let own = "92102033780000000000000001";
        let p = parse(Dialect::Ing, &lines, own);
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
        assert_eq!(parse(Dialect::Ing, &lines, own).virtual_account, None);
    }
}
