//! The password policy (NIST SP 800-63B-4 §3.1.1.2, OWASP ASVS 5.0 V6): length after NFC in
//! code points, no composition rules, a whole-password blocklist with context words, and a
//! typed reason for every rejection.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::AccessError;
use super::secret::Plain;
use crate::messages::Language;

/// Common and Polish passwords refused whole (compared case-insensitively after NFC).
const BLOCKLIST: &[&str] = &[
    "password",
    "password1",
    "password123",
    "passw0rd",
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "1234567890",
    "12345678901",
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789012345",
    "1234567890123456",
    "111111111111111",
    "000000000000000",
    "qwerty",
    "qwerty123",
    "qwertyuiop",
    "qwertyuiopasdfg",
    "qwertyuiopasdfgh",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz2wsx",
    "1qaz2wsx3edc",
    "1qaz2wsx3edc4rfv",
    "zaq12wsx",
    "zaq1@wsx",
    "zaq12wsxcde3",
    "zaq12wsxcde34rfv",
    "iloveyou",
    "abc123",
    "abcdefghijklmno",
    "letmein",
    "welcome",
    "welcome123",
    "admin",
    "admin123",
    "monkey",
    "dragon",
    "football",
    "haslo",
    "haslo1",
    "haslo123",
    "hasło",
    "hasło123",
    "haslohaslohaslo",
    "mojehaslo",
    "mojehaslo123",
    "tajnehaslo",
    "noweshaslo",
    "nowehaslo123",
    "polska",
    "polska1",
    "polska123",
    "polska12345",
    "kochamcie",
    "kochamcie123",
    "misiek",
    "misiek123",
    "marcin",
    "marcin123",
    "agnieszka",
    "mateusz",
    "kasia123",
    "bartek",
    "michal",
    "slonecznik",
    "kwiatek",
    "zaqwsxcde",
    "spoldzielnia",
    "spółdzielnia",
    "spoldzielniamieszkaniowa",
    "mieszkanie",
    "mieszkanie123",
    "czynsz",
    "czynsz123",
    "ebok",
    "e-bok",
    "ebok123",
    "e-bok123",
    "ebokebokebok",
    "internet",
    "komputer",
    "warszawa",
    "krakow",
    "lublin",
    "olawa",
    "wroclaw",
    "gdansk",
    "poznan",
];

/// A reason a new password was refused.
///
/// ```
/// use ebok_core::access::PasswordRejection;
/// use ebok_core::messages::Language;
/// let r = PasswordRejection::TooShort { min: 15 };
/// assert_eq!(r.message(Language::Polish), "Hasło musi mieć co najmniej 15 znaków.");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PasswordRejection {
    /// Fewer code points than the minimum (counted after NFC).
    #[error("shorter than {min} characters")]
    TooShort {
        /// The minimum.
        min: u16,
    },
    /// More code points than the maximum.
    #[error("longer than {max} characters")]
    TooLong {
        /// The maximum.
        max: u16,
    },
    /// More raw bytes than accepted, refused before normalisation.
    #[error("longer than {max} bytes")]
    TooManyBytes {
        /// The maximum.
        max: u16,
    },
    /// A control character.
    #[error("contains a control character")]
    ControlCharacter,
    /// A code point not assigned in the Unicode version in use.
    #[error("contains a character not assigned in Unicode")]
    UnassignedCodePoint,
    /// A common or context-specific password (the identifier, "e-BOK", the cooperative's name …).
    #[error("is a common or easily guessed password")]
    Blocklisted,
    /// The same as the one-time password it replaces.
    #[error("is the one-time password")]
    SameAsOtp,
    /// The same as the current password.
    #[error("is the current password")]
    SameAsCurrent,
    /// Has the form of a one-time code (16 code symbols): it would be checked as a code, never
    /// as a password.
    #[error("has the form of a one-time code")]
    LooksLikeCode,
    /// A trivial pattern at any length: one character repeated, a digit or alphabet sequence, a
    /// keyboard row, a common password repeated or with digits appended.
    #[error("is a trivial pattern (a repeated character, a sequence, a keyboard row)")]
    TrivialPattern,
    /// On the host's list of breached passwords ([`Blocklist`]).
    #[error("appears in a list of breached passwords")]
    Breached,
}

/// A host's own list of refused passwords (e.g. a breached-password corpus), consulted with the
/// NFC, lower-cased password.
///
/// ```
/// use ebok_core::access::{Blocklist, PasswordPolicy, PasswordRejection};
/// struct Breached(Vec<&'static str>);
/// impl Blocklist for Breached {
///     fn contains(&self, password: &str) -> bool { self.0.contains(&password) }
/// }
/// let list = Breached(vec!["zielone jabłka na wiosnę"]);
/// let p = PasswordPolicy::default();
/// assert_eq!(p.check_with("Zielone jabłka na wiosnę", "0756555", &list).unwrap_err(), vec![PasswordRejection::Breached]);
/// ```
pub trait Blocklist {
    /// Whether the (NFC, lower-case) password is on the list.
    fn contains(&self, password: &str) -> bool;
}

/// No list: nothing is on it.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoBlocklist;

impl Blocklist for NoBlocklist {
    fn contains(&self, _: &str) -> bool {
        false
    }
}

/// Walks that make a trivial password at any length: sequences of digits and letters and the
/// keyboard's rows and columns (each is also refused backwards, and wraps around).
const WALKS: &[&str] = &[
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qwertyuiopasdfghjklzxcvbnm",
    "1234567890qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "zaq1xsw2cde3vfr4bgt5nhy6mju7ki8lo9p0",
    "qazwsxedcrfvtgbyhnujmikolp",
];

/// Whether `s` (lower case, no spaces) is a piece of a walk, forwards or backwards, wrapping.
fn is_walk(s: &str) -> bool {
    let n = s.chars().count();
    n >= 3
        && WALKS.iter().any(|w| {
            let forward: String = w.chars().cycle().take(w.len() + n).collect();
            let backward: String = w.chars().rev().cycle().take(w.len() + n).collect();
            forward.contains(s) || backward.contains(s)
        })
}

/// `s` as `unit` repeated, when it is one: the shortest unit that repeats to `s`.
fn repeated_unit(s: &str) -> &str {
    let n = s.len();
    (1..=n / 2)
        .filter(|&k| n.is_multiple_of(k) && s.is_char_boundary(k))
        .find(|&k| s.as_bytes().chunks(k).all(|c| c == &s.as_bytes()[..k]))
        .map_or(s, |k| &s[..k])
}

impl PasswordRejection {
    /// The stable code (the serde tag), for bindings and logs.
    ///
    /// ```
    /// use ebok_core::access::PasswordRejection;
    /// assert_eq!(PasswordRejection::TooShort { min: 15 }.code(), "too_short");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            PasswordRejection::TooShort { .. } => "too_short",
            PasswordRejection::TooLong { .. } => "too_long",
            PasswordRejection::TooManyBytes { .. } => "too_many_bytes",
            PasswordRejection::ControlCharacter => "control_character",
            PasswordRejection::UnassignedCodePoint => "unassigned_code_point",
            PasswordRejection::Blocklisted => "blocklisted",
            PasswordRejection::SameAsOtp => "same_as_otp",
            PasswordRejection::SameAsCurrent => "same_as_current",
            PasswordRejection::LooksLikeCode => "looks_like_code",
            PasswordRejection::TrivialPattern => "trivial_pattern",
            PasswordRejection::Breached => "breached",
        }
    }
    /// A message for the resident.
    ///
    /// ```
    /// use ebok_core::access::PasswordRejection;
    /// use ebok_core::messages::Language;
    /// assert!(PasswordRejection::Blocklisted.message(Language::English).contains("common"));
    /// ```
    pub fn message(&self, language: Language) -> String {
        let pl = language == Language::Polish;
        match self {
            PasswordRejection::TooShort { min } => {
                if pl {
                    format!("Hasło musi mieć co najmniej {min} znaków.")
                } else {
                    format!("The password must have at least {min} characters.")
                }
            }
            PasswordRejection::TooLong { max } | PasswordRejection::TooManyBytes { max } => {
                if pl {
                    format!("Hasło może mieć najwyżej {max} znaków.")
                } else {
                    format!("The password may have at most {max} characters.")
                }
            }
            PasswordRejection::ControlCharacter | PasswordRejection::UnassignedCodePoint => {
                if pl {
                    "Hasło zawiera niedozwolony znak.".to_owned()
                } else {
                    "The password contains a character that is not allowed.".to_owned()
                }
            }
            PasswordRejection::Blocklisted => {
                if pl {
                    "To hasło jest zbyt popularne lub łatwe do odgadnięcia (np. identyfikator, nazwa e-BOK). Wybierz inne.".to_owned()
                } else {
                    "This password is too common or easy to guess (e.g. your identifier, the portal's name). Choose another.".to_owned()
                }
            }
            PasswordRejection::SameAsOtp => {
                if pl {
                    "Nowe hasło musi różnić się od hasła jednorazowego.".to_owned()
                } else {
                    "The new password must differ from the one-time password.".to_owned()
                }
            }
            PasswordRejection::SameAsCurrent => {
                if pl {
                    "Nowe hasło musi różnić się od obecnego.".to_owned()
                } else {
                    "The new password must differ from the current one.".to_owned()
                }
            }
            PasswordRejection::LooksLikeCode => {
                if pl {
                    "Hasło nie może wyglądać jak hasło jednorazowe (16 znaków kodu).".to_owned()
                } else {
                    "The password must not look like a one-time code (16 code symbols).".to_owned()
                }
            }
            PasswordRejection::TrivialPattern => {
                if pl {
                    "Hasło jest zbyt przewidywalne (powtórzony znak, ciąg kolejnych znaków, rząd klawiatury). Wybierz inne.".to_owned()
                } else {
                    "The password is too predictable (a repeated character, a sequence, a keyboard row). Choose another.".to_owned()
                }
            }
            PasswordRejection::Breached => {
                if pl {
                    "To hasło wyciekło w znanych naruszeniach danych. Wybierz inne.".to_owned()
                } else {
                    "This password appears in known data breaches. Choose another.".to_owned()
                }
            }
        }
    }
}

/// The password policy. Defaults: at least 15 characters (NIST's SHALL for single-factor
/// passwords), at most 128 characters and 1024 bytes, NFC, no composition rules.
///
/// ```
/// use ebok_core::access::PasswordPolicy;
/// let p = PasswordPolicy::default();
/// assert_eq!((p.min_chars, p.max_chars, p.max_bytes), (15, 128, 1024));
/// assert!(PasswordPolicy { min_chars: 7, ..p.clone() }.validate().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    /// Minimum length in code points after NFC (never below 8).
    pub min_chars: u16,
    /// Maximum length in code points.
    pub max_chars: u16,
    /// Maximum raw bytes, checked before normalising.
    pub max_bytes: u16,
    /// Extra context words refused whole, with their derivations (e.g. the cooperative's name).
    pub context_words: Vec<String>,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_chars: 15,
            max_chars: 128,
            max_bytes: 1024,
            context_words: Vec::new(),
        }
    }
}

impl PasswordPolicy {
    /// Checks the policy itself: a minimum of at least 8, and a maximum of at least 64 and the minimum.
    ///
    /// ```
    /// use ebok_core::access::PasswordPolicy;
    /// assert!(PasswordPolicy::default().validate().is_ok());
    /// ```
    pub fn validate(&self) -> Result<(), AccessError> {
        if self.min_chars < 8 {
            return Err(AccessError::InvalidPolicy {
                reason: "password minimum below 8 characters".into(),
            });
        }
        if self.max_chars < 64
            || self.max_chars < self.min_chars
            || usize::from(self.max_bytes) < usize::from(self.max_chars)
        {
            return Err(AccessError::InvalidPolicy {
                reason: "password maximum below 64 characters or below the minimum".into(),
            });
        }
        Ok(())
    }

    /// Normalises a password to NFC after the raw-byte cap; the only change ever made to it.
    pub(crate) fn normalize(&self, raw: &str) -> Result<Plain, PasswordRejection> {
        if raw.len() > usize::from(self.max_bytes) {
            return Err(PasswordRejection::TooManyBytes {
                max: self.max_bytes,
            });
        }
        // Allocated once, large enough (NFC at most triples UTF-8 length), so that no
        // reallocation leaves a plaintext copy behind in freed memory.
        let mut out = Plain::new(String::with_capacity(raw.len().saturating_mul(3) + 4));
        out.extend(raw.nfc());
        Ok(out)
    }

    /// Checks a new password; `identifier` is the resident's login identifier (a context word).
    /// Returns the NFC form to hash, or every reason it is refused.
    ///
    /// ```
    /// use ebok_core::access::{PasswordPolicy, PasswordRejection};
    /// let p = PasswordPolicy::default();
    /// assert!(p.check("zielone jabłka na wiosnę", "0756555").is_ok());
    /// assert_eq!(p.check("krótkie", "0756555").unwrap_err(), vec![PasswordRejection::TooShort { min: 15 }]);
    /// assert_eq!(p.check("075655507565550756555", "0756555").unwrap_err(), vec![PasswordRejection::Blocklisted]);
    /// ```
    pub fn check(
        &self,
        raw: &str,
        identifier: &str,
    ) -> Result<zeroize::Zeroizing<String>, Vec<PasswordRejection>> {
        self.check_with(raw, identifier, &NoBlocklist)
    }

    /// [`PasswordPolicy::check`] with the host's own list of refused passwords as well.
    ///
    /// ```
    /// use ebok_core::access::{NoBlocklist, PasswordPolicy, PasswordRejection};
    /// let p = PasswordPolicy::default();
    /// for trivial in ["1111111111111111", "aaaaaaaaaaaaaaaa", "qwertyuiopasdfghjkl", "12345678901234567", "zyxwvutsrqponmlk"] {
    ///     assert_eq!(p.check_with(trivial, "0756555", &NoBlocklist).unwrap_err(), vec![PasswordRejection::TrivialPattern], "{trivial}");
    /// }
    /// for common in ["password password", "passwordpassword", "qwertyqwertyqwerty", "password12345678"] {
    ///     assert!(p.check_with(common, "0756555", &NoBlocklist).is_err(), "{common}");
    /// }
    /// assert!(p.check_with("zielone jabłka na wiosnę", "0756555", &NoBlocklist).is_ok());
    /// ```
    pub fn check_with(
        &self,
        raw: &str,
        identifier: &str,
        blocklist: &dyn Blocklist,
    ) -> Result<zeroize::Zeroizing<String>, Vec<PasswordRejection>> {
        let nfc = self.normalize(raw).map_err(|r| vec![r])?;
        let mut reasons = Vec::new();
        let chars = nfc.chars().count();
        if chars < usize::from(self.min_chars) {
            reasons.push(PasswordRejection::TooShort {
                min: self.min_chars,
            });
        }
        if chars > usize::from(self.max_chars) {
            reasons.push(PasswordRejection::TooLong {
                max: self.max_chars,
            });
        }
        if nfc.chars().any(char::is_control) {
            reasons.push(PasswordRejection::ControlCharacter);
        }
        if nfc
            .chars()
            .any(|c| !unicode_normalization::char::is_public_assigned(c))
        {
            reasons.push(PasswordRejection::UnassignedCodePoint);
        }
        let mut lower = Plain::new(String::with_capacity(nfc.len().saturating_mul(3) + 4));
        lower.extend(nfc.chars().flat_map(char::to_lowercase));
        if self.is_blocklisted(&lower, identifier) {
            reasons.push(PasswordRejection::Blocklisted);
        } else if self.is_trivial(&lower, identifier) {
            reasons.push(PasswordRejection::TrivialPattern);
        } else if blocklist.contains(&lower) {
            reasons.push(PasswordRejection::Breached);
        }
        if reasons.is_empty() {
            Ok(nfc)
        } else {
            Err(reasons)
        }
    }

    /// A trivial pattern at any length: without white space and trailing digits, one character
    /// repeated, a walk (sequence, keyboard row), or a blocklisted or context word repeated.
    fn is_trivial(&self, lower: &str, identifier: &str) -> bool {
        let mut compact = Plain::new(String::with_capacity(lower.len()));
        compact.extend(lower.chars().filter(|c| !c.is_whitespace()));
        if is_walk(&compact) || repeated_unit(&compact).chars().count() == 1 {
            return true;
        }
        let stem = compact.trim_end_matches(|c: char| c.is_ascii_digit());
        let stem = if stem.is_empty() {
            compact.as_str()
        } else {
            stem
        };
        let unit = repeated_unit(stem);
        unit.chars().count() == 1
            || is_walk(unit)
            || BLOCKLIST.contains(&unit)
            || self.is_blocklisted(unit, identifier)
    }

    fn is_blocklisted(&self, lower: &str, identifier: &str) -> bool {
        if BLOCKLIST.contains(&lower) {
            return true;
        }
        let mut bases: Vec<String> = vec![identifier.to_lowercase(), "ebok".into(), "e-bok".into()];
        bases.extend(
            self.context_words
                .iter()
                .map(|w| w.nfc().collect::<String>().to_lowercase()),
        );
        bases.iter().filter(|b| !b.is_empty()).any(|b| {
            let derived = [
                b.clone(),
                b.repeat(2),
                b.repeat(3),
                b.repeat(4),
                format!("ebok{b}"),
                format!("{b}ebok"),
                format!("e-bok{b}"),
                format!("{b}e-bok"),
                format!("ebok{b}ebok"),
                format!("{b}123"),
                format!("{b}1234"),
                format!("{b}12345"),
                format!("haslo{b}"),
                format!("hasło{b}"),
                format!("{b}haslo"),
                format!("{b}!"),
            ];
            derived.iter().any(|d| d == lower)
        })
    }
}
