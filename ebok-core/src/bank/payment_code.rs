//! The ZBP "Standard 2D" payment code (Rekomendacja ZBP, 2013-12-03) that Polish banking apps
//! scan: nine fields separated by `|`, at most 160 characters, shown as a QR code.

use serde::{Deserialize, Serialize};

use super::nrb::Nrb;
use super::transfer::TransferData;

/// The longest recipient name, title and reserved fields, in characters.
const RECIPIENT_MAX: usize = 20;
const TITLE_MAX: usize = 32;
const RESERVED_MAX: [usize; 3] = [20, 12, 24];
/// The largest amount the six amount digits hold: 9 999,99 zł.
pub const MAX_AMOUNT_GROSZE: u32 = 999_999;

/// How strictly a code is checked.
///
/// ```
/// use ebok_core::bank::CodeMode;
/// assert_ne!(CodeMode::Strict, CodeMode::Lenient);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeMode {
    /// The NIP's checksum and the account's check digits (26 digits, MOD 97-10) must be right.
    Strict,
    /// Digits of the right kind only: reproduces the recommendation's own examples, whose NIP
    /// `1234567890` has no valid checksum.
    Lenient,
}

/// Why a payment code was refused.
///
/// ```
/// use ebok_core::bank::{CodeMode, PaymentCode};
/// assert!(PaymentCode::parse("a|b", CodeMode::Lenient).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodeError {
    /// Not nine `|`-separated fields.
    #[error("a payment code has 9 fields separated by |, this has {fields}")]
    Fields {
        /// How many there are.
        fields: usize,
    },
    /// Longer than 160 characters.
    #[error("a payment code has at most 160 characters, this has {chars}")]
    TooLong {
        /// How many there are.
        chars: usize,
    },
    /// A field of the wrong form.
    #[error("field {field}: {value:?} {reason}")]
    Field {
        /// The field.
        field: &'static str,
        /// The value (at most 40 characters).
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
}

/// Something the code could not carry as given (the code is still valid).
///
/// ```
/// use ebok_core::bank::CodeWarning;
/// let w = CodeWarning::AmountNotEncodable { grosze: 1_234_567 };
/// assert!(w.to_string().contains("9 999,99"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "warning", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CodeWarning {
    /// The amount is above 9 999,99 zł: the code says `000000` and the payer types the amount.
    #[error(
        "the amount {grosze} grosze is above 9 999,99 zł: the code leaves it for the payer to type"
    )]
    AmountNotEncodable {
        /// The amount in grosze.
        grosze: i64,
    },
    /// A text was cut to the field's length.
    #[error("field {field} was cut to {max} characters")]
    Truncated {
        /// The field.
        field: &'static str,
        /// Its length.
        max: usize,
    },
    /// `|` or control characters were removed from a text.
    #[error("field {field}: separators or control characters were removed")]
    CharactersRemoved {
        /// The field.
        field: &'static str,
    },
}

impl CodeWarning {
    /// The warning as a payer reads it, in `language`.
    ///
    /// ```
    /// use ebok_core::bank::CodeWarning;
    /// use ebok_core::messages::Language;
    /// let w = CodeWarning::Truncated { field: "recipient", max: 20 };
    /// assert_eq!(w.message(Language::Polish), "nazwa odbiorcy skrócona do 20 znaków");
    /// assert_eq!(w.message(Language::English), "the recipient's name was cut to 20 characters");
    /// ```
    pub fn message(&self, language: crate::messages::Language) -> String {
        use crate::messages::Language::{English, Polish};
        let field = |f: &str| match (f, language) {
            ("recipient", Polish) => "nazwa odbiorcy",
            ("recipient", English) => "the recipient's name",
            ("title", Polish) => "tytuł",
            ("title", English) => "the title",
            (_, Polish) => "pole",
            (_, English) => "a field",
        };
        match (self, language) {
            (CodeWarning::AmountNotEncodable { grosze }, _) => {
                let amount = language.money(crate::money::Money::from_grosze(*grosze));
                match language {
                    Polish => {
                        format!("kwota {amount} przekracza 9\u{a0}999,99 zł: wpisz ją w banku")
                    }
                    English => {
                        format!("the amount {amount} is above PLN 9,999.99: type it in your bank")
                    }
                }
            }
            (CodeWarning::Truncated { field: f, max }, Polish) => format!(
                "{} skrócona do {max} znaków",
                field(f)
            )
            .replacen("tytuł skrócona", "tytuł skrócony", 1),
            (CodeWarning::Truncated { field: f, max }, English) => {
                format!("{} was cut to {max} characters", field(f))
            }
            (CodeWarning::CharactersRemoved { field: f }, Polish) => {
                format!("{}: usunięto znaki „|” i znaki sterujące", field(f))
            }
            (CodeWarning::CharactersRemoved { field: f }, English) => {
                format!(
                    "{}: separators and control characters were removed",
                    field(f)
                )
            }
        }
    }
}

/// A ZBP 2D payment code: recipient NIP (10 digits, empty for a person), country, account,
/// amount in grosze (`0`: the payer types it), recipient name, title, three reserved fields.
///
/// ```
/// use ebok_core::bank::{CodeMode, PaymentCode};
/// // The recommendation's example, type 1 with an amount.
/// let s = "1234567890|PL|92124012340001567890123456|001200|Odbiorca 1|FV 1234/34/2012|||";
/// let code = PaymentCode::parse(s, CodeMode::Lenient)?;
/// assert_eq!(code.amount_grosze, 1200);
/// assert_eq!(code.encode(), s);
/// assert!(PaymentCode::parse(s, CodeMode::Strict).is_err()); // its NIP has no valid checksum
/// # Ok::<(), ebok_core::bank::CodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentCode {
    /// The recipient's NIP, 10 digits, or empty.
    pub nip: String,
    /// The country, `PL`.
    pub country: String,
    /// The account's digits (26 for an NRB).
    pub account: String,
    /// The amount in grosze, 0..=999 999; 0 lets the payer type it.
    pub amount_grosze: u32,
    /// The recipient's name, at most 20 characters.
    pub recipient: String,
    /// The title, at most 32 characters.
    pub title: String,
    /// The three reserved fields (direct-debit id, Invoobill id, reserved).
    pub reserved: [String; 3],
}

/// Removes `|` and control characters and cuts to `max` characters, noting what it did.
fn clean(field: &'static str, text: &str, max: usize, warnings: &mut Vec<CodeWarning>) -> String {
    let kept: String = text
        .chars()
        .filter(|c| *c != '|' && !c.is_control())
        .collect();
    if kept.chars().count() != text.chars().count() {
        warnings.push(CodeWarning::CharactersRemoved { field });
    }
    let trimmed = kept.trim();
    if trimmed.chars().count() > max {
        warnings.push(CodeWarning::Truncated { field, max });
        trimmed
            .chars()
            .take(max)
            .collect::<String>()
            .trim_end()
            .to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Whether a NIP's check digit is right (weights 6, 5, 7, 2, 3, 4, 5, 6, 7; mod 11).
///
/// ```
/// use ebok_core::bank::nip_checksum_ok;
/// assert!(nip_checksum_ok("5214349636"));
/// assert!(!nip_checksum_ok("1234567890"));
/// ```
pub fn nip_checksum_ok(nip: &str) -> bool {
    const W: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];
    let d: Vec<u32> = nip.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 10 || nip.chars().count() != 10 {
        return false;
    }
    let sum: u32 = d[..9].iter().zip(W).map(|(a, w)| a * w).sum();
    sum % 11 != 10 && sum % 11 == d[9]
}

impl PaymentCode {
    /// The code for a transfer: the amount when it fits in six digits (otherwise `000000` and a
    /// warning, never a wrong amount), texts cleaned of `|` and cut to their fields, Polish
    /// letters kept.
    ///
    /// ```
    /// use ebok_core::bank::{CodeWarning, Nrb, PaymentCode, TransferData};
    /// use ebok_core::money::Money;
    /// let t = TransferData {
    ///     account: Nrb::parse("29114010810000267002001002")?,
    ///     recipient_name: "Spółdzielnia Mieszkaniowa Przykładowa".into(),
    ///     title: "CZYNSZ 05/2025 0756555".into(),
    ///     amount: Some(Money::parse("12 345,67")?),
    ///     warnings: vec![],
    /// };
    /// let (code, warnings) = PaymentCode::for_transfer(&t, None);
    /// assert_eq!(code.recipient, "Spółdzielnia Mieszka");
    /// assert_eq!(code.amount_grosze, 0);
    /// assert!(warnings.contains(&CodeWarning::AmountNotEncodable { grosze: 1_234_567 }));
    /// assert_eq!(code.encode(), "|PL|29114010810000267002001002|000000|Spółdzielnia Mieszka|CZYNSZ 05/2025 0756555|||");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_transfer(t: &TransferData, nip: Option<&str>) -> (PaymentCode, Vec<CodeWarning>) {
        let mut warnings = Vec::new();
        let amount_grosze = match t.amount.map(crate::money::Money::grosze) {
            Some(g) if (1..=i64::from(MAX_AMOUNT_GROSZE)).contains(&g) => {
                u32::try_from(g).unwrap_or(0)
            }
            Some(g) if g > 0 => {
                warnings.push(CodeWarning::AmountNotEncodable { grosze: g });
                0
            }
            _ => 0,
        };
        let code = PaymentCode {
            nip: nip
                .map(|n| n.chars().filter(char::is_ascii_digit).collect())
                .unwrap_or_default(),
            country: "PL".to_owned(),
            account: t.account.digits(),
            amount_grosze,
            recipient: clean("recipient", &t.recipient_name, RECIPIENT_MAX, &mut warnings),
            title: clean("title", &t.title, TITLE_MAX, &mut warnings),
            reserved: Default::default(),
        };
        (code, warnings)
    }

    /// The code as the string a QR code carries.
    ///
    /// ```
    /// use ebok_core::bank::{CodeMode, PaymentCode};
    /// let s = "|PL|92124012340001567890123456|001200|Odbiorca 1|Przelew ekspress|||";
    /// assert_eq!(PaymentCode::parse(s, CodeMode::Lenient)?.encode(), s);
    /// # Ok::<(), ebok_core::bank::CodeError>(())
    /// ```
    pub fn encode(&self) -> String {
        format!(
            "{}|{}|{}|{:06}|{}|{}|{}|{}|{}",
            self.nip,
            self.country,
            self.account,
            self.amount_grosze.min(MAX_AMOUNT_GROSZE),
            self.recipient,
            self.title,
            self.reserved[0],
            self.reserved[1],
            self.reserved[2]
        )
    }

    /// Reads a code back, checking every field (and, in [`CodeMode::Strict`], the NIP checksum
    /// and the account's check digits).
    ///
    /// ```
    /// use ebok_core::bank::{CodeMode, PaymentCode};
    /// let s = "5214349636|PL|4249000050026313017364142|012345|Testowy odbiorca|Tytuł płatności|11223344|990066|reserved";
    /// let code = PaymentCode::parse(s, CodeMode::Lenient)?;
    /// assert_eq!(code.title, "Tytuł płatności");
    /// assert!(PaymentCode::parse(s, CodeMode::Strict).is_err()); // a 25-digit account
    /// # Ok::<(), ebok_core::bank::CodeError>(())
    /// ```
    pub fn parse(text: &str, mode: CodeMode) -> Result<PaymentCode, CodeError> {
        let chars = text.chars().count();
        if chars > 160 {
            return Err(CodeError::TooLong { chars });
        }
        let fields: Vec<&str> = text.split('|').collect();
        let [nip, country, account, amount, recipient, title, r1, r2, r3] = fields[..] else {
            return Err(CodeError::Fields {
                fields: fields.len(),
            });
        };
        let code = PaymentCode {
            nip: nip.to_owned(),
            country: country.to_owned(),
            account: account.to_owned(),
            amount_grosze: if amount.len() == 6 && amount.bytes().all(|b| b.is_ascii_digit()) {
                amount.parse().unwrap_or(0)
            } else {
                return Err(CodeError::Field {
                    field: "amount",
                    value: amount.chars().take(40).collect(),
                    reason: "is not six digits of grosze",
                });
            },
            recipient: recipient.to_owned(),
            title: title.to_owned(),
            reserved: [r1.to_owned(), r2.to_owned(), r3.to_owned()],
        };
        code.check(mode)?;
        Ok(code)
    }

    /// Checks every field of a code.
    ///
    /// ```
    /// use ebok_core::bank::{CodeMode, PaymentCode};
    /// let mut code = PaymentCode::parse("|PL|29114010810000267002001002|000100|SM|CZYNSZ|||", CodeMode::Strict)?;
    /// code.account.pop();
    /// assert!(code.check(CodeMode::Lenient).is_ok());
    /// assert!(code.check(CodeMode::Strict).is_err());
    /// # Ok::<(), ebok_core::bank::CodeError>(())
    /// ```
    pub fn check(&self, mode: CodeMode) -> Result<(), CodeError> {
        let bad = |field: &'static str, value: &str, reason: &'static str| {
            Err(CodeError::Field {
                field,
                value: value.chars().take(40).collect(),
                reason,
            })
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !self.nip.is_empty() && (self.nip.len() != 10 || !digits(&self.nip)) {
            return bad("nip", &self.nip, "is not 10 digits");
        }
        if mode == CodeMode::Strict && !self.nip.is_empty() && !nip_checksum_ok(&self.nip) {
            return bad("nip", &self.nip, "has a wrong check digit");
        }
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            return bad("country", &self.country, "is not a two-letter country code");
        }
        if self.account.is_empty() || self.account.len() > 26 || !digits(&self.account) {
            return bad(
                "account",
                &self.account,
                "is not an account number of up to 26 digits",
            );
        }
        if mode == CodeMode::Strict && Nrb::parse(&self.account).is_err() {
            return bad(
                "account",
                &self.account,
                "is not a valid NRB (26 digits, MOD 97-10)",
            );
        }
        if self.amount_grosze > MAX_AMOUNT_GROSZE {
            return bad(
                "amount",
                &self.amount_grosze.to_string(),
                "is above 9 999,99 zł",
            );
        }
        let texts = [
            ("recipient", &self.recipient, RECIPIENT_MAX),
            ("title", &self.title, TITLE_MAX),
            ("reserved_1", &self.reserved[0], RESERVED_MAX[0]),
            ("reserved_2", &self.reserved[1], RESERVED_MAX[1]),
            ("reserved_3", &self.reserved[2], RESERVED_MAX[2]),
        ];
        for (field, text, max) in texts {
            if text.chars().count() > max {
                return bad(field, text, "is longer than its field");
            }
            if text.chars().any(|c| c == '|' || c.is_control()) {
                return bad(field, text, "holds a separator or a control character");
            }
        }
        Ok(())
    }
}
