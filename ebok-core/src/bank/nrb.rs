//! Polish account numbers (NRB, numer rachunku bankowego) and virtual accounts per premises.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why an account number or a scheme was refused.
///
/// ```
/// use ebok_core::bank::{Nrb, NrbError};
/// assert!(matches!("12 3456".parse::<Nrb>(), Err(NrbError::Length { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NrbError {
    /// Not 26 digits (after removing spaces and an optional `PL`).
    #[error("account {value:?} has {digits} digits; an NRB has 26")]
    Length {
        /// The value given (at most 40 characters).
        value: String,
        /// How many digits it has.
        digits: usize,
    },
    /// A character that is not a digit (spaces and a leading `PL` are allowed).
    #[error("account {value:?} holds a character that is not a digit")]
    NotDigits {
        /// The value given (at most 40 characters).
        value: String,
    },
    /// The check digits do not match (ISO 7064 MOD 97-10).
    #[error("account {value:?} has wrong check digits (MOD 97-10)")]
    CheckDigits {
        /// The value given.
        value: String,
    },
    /// A virtual-account scheme that cannot make 26-digit numbers, or a premises number that
    /// does not fit it.
    #[error("virtual account scheme: {reason}")]
    Scheme {
        /// What is wrong.
        reason: String,
    },
}

/// A Polish account number (NRB): 2 check digits, an 8-digit sort code, a 16-digit account.
/// Parsed from `51 1020 3378 …` or the IBAN form `PL51…`, checked with MOD 97-10; printed in
/// groups of four (`51 1020 3378 0000 …`).
///
/// ```
/// use ebok_core::bank::Nrb;
/// let n: Nrb = "PL29 1140 1081 0000 2670 0200 1002".parse()?;
/// assert_eq!(n.to_string(), "29 1140 1081 0000 2670 0200 1002");
/// assert_eq!(n.iban(), "PL29114010810000267002001002");
/// assert!("PL44102055610000380209739045".parse::<Nrb>().is_err());
/// # Ok::<(), ebok_core::bank::NrbError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nrb([u8; 26]);

/// `digits` mod 97, digit by digit.
fn mod97(digits: impl Iterator<Item = u8>) -> u32 {
    digits.fold(0u32, |acc, d| (acc * 10 + u32::from(d)) % 97)
}

/// The digits of `PL` in IBAN arithmetic (P = 25, L = 21).
const PL: [u8; 4] = [2, 5, 2, 1];

impl Nrb {
    /// Parses 26 digits, with spaces anywhere and an optional `PL` in front; the check digits
    /// must be right.
    ///
    /// ```
    /// use ebok_core::bank::Nrb;
    /// assert!(Nrb::parse("29114010810000267002001002").is_ok());
    /// assert!(Nrb::parse("2911401081000026700200100").is_err()); // 25 digits
    /// ```
    pub fn parse(text: &str) -> Result<Nrb, NrbError> {
        let n = Self::parse_unchecked(text)?;
        if n.check_digits_ok() {
            Ok(n)
        } else {
            Err(NrbError::CheckDigits {
                value: text.chars().take(40).collect(),
            })
        }
    }

    /// Parses 26 digits without checking the check digits (anonymised test data carries
    /// invalid numbers: keep them, and flag them with [`Nrb::check_digits_ok`]).
    ///
    /// ```
    /// use ebok_core::bank::Nrb;
    /// let n = Nrb::parse_unchecked("PL44102055610000380209739045")?;
    /// assert!(!n.check_digits_ok());
    /// # Ok::<(), ebok_core::bank::NrbError>(())
    /// ```
    pub fn parse_unchecked(text: &str) -> Result<Nrb, NrbError> {
        let t = text.trim();
        let t = t
            .strip_prefix("PL")
            .or_else(|| t.strip_prefix("pl"))
            .unwrap_or(t);
        let mut out = [0u8; 26];
        let mut n = 0usize;
        let not_digits = || NrbError::NotDigits {
            value: text.chars().take(40).collect(),
        };
        let mut push = |d: u8| {
            if n < 26 {
                out[n] = d;
            }
            n += 1;
        };
        if t.is_ascii() {
            // Byte by byte: statements check two numbers per entry.
            for &b in t.as_bytes() {
                match b {
                    b'0'..=b'9' => push(b - b'0'),
                    // The ASCII characters `char::is_whitespace` accepts.
                    b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' => {}
                    _ => return Err(not_digits()),
                }
            }
        } else {
            for c in t.chars() {
                match c.to_digit(10) {
                    Some(d) => push(d as u8),
                    None if c.is_whitespace() => {}
                    None => return Err(not_digits()),
                }
            }
        }
        if n != 26 {
            return Err(NrbError::Length {
                value: text.chars().take(40).collect(),
                digits: n,
            });
        }
        Ok(Nrb(out))
    }

    /// The NRB of a 24-digit BBAN (sort code + account), with its check digits computed:
    /// `98 − (BBAN ‖ "2521" ‖ "00") mod 97`.
    ///
    /// ```
    /// use ebok_core::bank::Nrb;
    /// assert_eq!(Nrb::from_bban("114010810000267002001002")?.to_string(), "29 1140 1081 0000 2670 0200 1002");
    /// # Ok::<(), ebok_core::bank::NrbError>(())
    /// ```
    pub fn from_bban(bban: &str) -> Result<Nrb, NrbError> {
        let digits: Vec<u8> = bban
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_digit(10).map(|d| d as u8))
            .collect::<Option<_>>()
            .ok_or_else(|| NrbError::NotDigits {
                value: bban.chars().take(40).collect(),
            })?;
        if digits.len() != 24 {
            return Err(NrbError::Length {
                value: bban.chars().take(40).collect(),
                digits: digits.len() + 2,
            });
        }
        let check = 98 - mod97(digits.iter().copied().chain(PL).chain([0, 0]));
        let mut out = [0u8; 26];
        out[0] = (check / 10) as u8;
        out[1] = (check % 10) as u8;
        out[2..].copy_from_slice(&digits);
        Ok(Nrb(out))
    }

    /// Whether the check digits are right (ISO 7064 MOD 97-10 over BBAN ‖ PL ‖ check digits).
    ///
    /// ```
    /// use ebok_core::bank::Nrb;
    /// assert!(Nrb::parse_unchecked("29114010810000267002001002")?.check_digits_ok());
    /// # Ok::<(), ebok_core::bank::NrbError>(())
    /// ```
    pub fn check_digits_ok(&self) -> bool {
        // BBAN (24 digits) ‖ PL (25 21) ‖ check digits, in chunks of at most 12 digits: three
        // divisions instead of one per digit (statements check two numbers per entry).
        let num = |r: std::ops::Range<usize>| {
            self.0[r]
                .iter()
                .fold(0u64, |acc, &d| acc * 10 + u64::from(d))
        };
        let rem = num(2..14) % 97;
        let rem = (rem * 1_000_000_000_000 + num(14..26)) % 97;
        (rem * 1_000_000 + 252_100 + num(0..2)) % 97 == 1
    }

    /// Whether the sort code's own check digit is right (weights 3, 9, 7, 1, 3, 9, 7 over its
    /// first seven digits). Some real and sample numbers fail it: a warning at most.
    ///
    /// ```
    /// use ebok_core::bank::Nrb;
    /// assert!(Nrb::parse("29114010810000267002001002")?.sort_code_check_ok());
    /// assert!(!Nrb::parse_unchecked("92124012340001567890123456")?.sort_code_check_ok());
    /// # Ok::<(), ebok_core::bank::NrbError>(())
    /// ```
    pub fn sort_code_check_ok(&self) -> bool {
        const W: [u32; 7] = [3, 9, 7, 1, 3, 9, 7];
        let sum: u32 = self.0[2..9]
            .iter()
            .zip(W)
            .map(|(&d, w)| u32::from(d) * w)
            .sum();
        (10 - sum % 10) % 10 == u32::from(self.0[9])
    }

    /// The 26 digits, without spaces.
    ///
    /// ```
    /// use ebok_core::bank::Nrb;
    /// assert_eq!(Nrb::parse("PL29114010810000267002001002")?.digits(), "29114010810000267002001002");
    /// # Ok::<(), ebok_core::bank::NrbError>(())
    /// ```
    pub fn digits(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// The IBAN form, `PL` and the 26 digits.
    ///
    /// ```
    /// use ebok_core::bank::Nrb;
    /// assert!(Nrb::parse("29114010810000267002001002")?.iban().starts_with("PL29"));
    /// # Ok::<(), ebok_core::bank::NrbError>(())
    /// ```
    pub fn iban(&self) -> String {
        format!("PL{}", self.digits())
    }

    /// The 8-digit sort code (numer rozliczeniowy banku).
    ///
    /// ```
    /// use ebok_core::bank::Nrb;
    /// assert_eq!(Nrb::parse("29114010810000267002001002")?.sort_code(), "11401081");
    /// # Ok::<(), ebok_core::bank::NrbError>(())
    /// ```
    pub fn sort_code(&self) -> String {
        self.digits()[2..10].to_owned()
    }
}

impl fmt::Display for Nrb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        f.write_str(&d[..2])?;
        for chunk in d.as_bytes()[2..].chunks(4) {
            f.write_str(" ")?;
            f.write_str(std::str::from_utf8(chunk).unwrap_or_default())?;
        }
        Ok(())
    }
}

impl FromStr for Nrb {
    type Err = NrbError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Nrb::parse(s)
    }
}

impl Serialize for Nrb {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.digits())
    }
}

impl<'de> Deserialize<'de> for Nrb {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Nrb::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// How a cooperative's bank derives each premises' own account number (rachunek wirtualny):
/// the bank's sort code, the cooperative's client prefix, and the premises number padded with
/// zeros to `width` digits; together 24 digits, with the check digits computed.
///
/// ```
/// use ebok_core::bank::VirtualAccountScheme;
/// let s = VirtualAccountScheme::new("10203378", "00001234", 8)?;
/// let n = s.account_for("756555")?;
/// assert_eq!(n.to_string()[3..], *"1020 3378 0000 1234 0075 6555");
/// assert!(n.check_digits_ok());
/// assert_eq!(s.premises_of(&n).as_deref(), Some("00756555"));
/// # Ok::<(), ebok_core::bank::NrbError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualAccountScheme {
    sort_code: String,
    client_prefix: String,
    width: u8,
}

impl VirtualAccountScheme {
    /// A scheme: 8 sort-code digits, then the client prefix and `width` digits of the premises
    /// number, 16 digits together.
    ///
    /// ```
    /// use ebok_core::bank::VirtualAccountScheme;
    /// assert!(VirtualAccountScheme::new("10203378", "0001", 8).is_err()); // 4 + 8 ≠ 16
    /// ```
    pub fn new(
        sort_code: &str,
        client_prefix: &str,
        width: u8,
    ) -> Result<VirtualAccountScheme, NrbError> {
        let bad = |reason: String| Err(NrbError::Scheme { reason });
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if sort_code.len() != 8 || !digits(sort_code) {
            return bad(format!("sort code {sort_code:?} is not 8 digits"));
        }
        if !client_prefix.is_empty() && !digits(client_prefix) {
            return bad(format!("client prefix {client_prefix:?} is not digits"));
        }
        if client_prefix.len() + usize::from(width) != 16 || width == 0 {
            return bad(format!(
                "client prefix ({} digits) and premises width ({width}) must make 16 digits",
                client_prefix.len()
            ));
        }
        Ok(VirtualAccountScheme {
            sort_code: sort_code.to_owned(),
            client_prefix: client_prefix.to_owned(),
            width,
        })
    }

    /// The account of a premises by its number (digits, at most `width` of them).
    ///
    /// ```
    /// use ebok_core::bank::VirtualAccountScheme;
    /// let s = VirtualAccountScheme::new("10203378", "00001234", 8)?;
    /// assert!(s.account_for("L0001").is_err());
    /// assert!(s.account_for("123456789").is_err());
    /// # Ok::<(), ebok_core::bank::NrbError>(())
    /// ```
    pub fn account_for(&self, premises_number: &str) -> Result<Nrb, NrbError> {
        let p = premises_number.trim();
        if p.is_empty()
            || !p.bytes().all(|b| b.is_ascii_digit())
            || p.len() > usize::from(self.width)
        {
            return Err(NrbError::Scheme {
                reason: format!(
                    "premises number {:?} is not at most {} digits",
                    p.chars().take(40).collect::<String>(),
                    self.width
                ),
            });
        }
        Nrb::from_bban(&format!(
            "{}{}{:0>w$}",
            self.sort_code,
            self.client_prefix,
            p,
            w = usize::from(self.width)
        ))
    }

    /// The premises number an account belongs to under this scheme (`width` digits), or `None`
    /// when the account is not one of the scheme's.
    ///
    /// ```
    /// use ebok_core::bank::{Nrb, VirtualAccountScheme};
    /// let s = VirtualAccountScheme::new("10203378", "00001234", 8)?;
    /// assert_eq!(s.premises_of(&Nrb::parse("29114010810000267002001002")?), None);
    /// # Ok::<(), ebok_core::bank::NrbError>(())
    /// ```
    pub fn premises_of(&self, account: &Nrb) -> Option<String> {
        let d = account.digits();
        let rest = d[2..].strip_prefix(&self.sort_code)?;
        let number = rest.strip_prefix(&self.client_prefix)?;
        Some(number.to_owned())
    }
}
