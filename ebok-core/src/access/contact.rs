//! Contacts on file: where one-time passwords may be delivered.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::AccessError;

/// A phone number, normalised to `+48…` digits (Polish numbers may be given without the prefix).
///
/// ```
/// use ebok_core::access::PhoneNumber;
/// let a = PhoneNumber::new("+48 531-46-45-44")?;
/// let b = PhoneNumber::new("531464544")?;
/// assert_eq!(a, b);
/// assert_eq!(a.as_str(), "+48531464544");
/// assert!(PhoneNumber::new("12").is_err());
/// # Ok::<(), ebok_core::access::AccessError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Normalises a phone number: drops spaces, hyphens, dots and brackets; `0048` or `48`
    /// before nine digits becomes `+48`; nine digits alone are Polish.
    ///
    /// ```
    /// use ebok_core::access::PhoneNumber;
    /// assert_eq!(PhoneNumber::new("0048 81 532 80 81")?.as_str(), "+48815328081");
    /// # Ok::<(), ebok_core::access::AccessError>(())
    /// ```
    pub fn new(text: &str) -> Result<PhoneNumber, AccessError> {
        let err = || AccessError::InvalidContact {
            value: text.chars().take(32).collect(),
            reason: "not a phone number",
        };
        let mut digits = String::new();
        let mut plus = false;
        for (i, c) in text.trim().chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => plus = true,
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(err()),
            }
        }
        let normalized = if plus {
            format!("+{digits}")
        } else if let Some(rest) = digits.strip_prefix("00") {
            format!("+{rest}")
        } else if digits.len() == 9 {
            format!("+48{digits}")
        } else if digits.len() == 11 && digits.starts_with("48") {
            format!("+{digits}")
        } else {
            return Err(err());
        };
        if !(9..=16).contains(&(normalized.len() - 1)) {
            return Err(err());
        }
        Ok(PhoneNumber(normalized))
    }

    /// The normalised number.
    ///
    /// ```
    /// use ebok_core::access::PhoneNumber;
    /// assert!(PhoneNumber::new("531464544")?.as_str().starts_with("+48"));
    /// # Ok::<(), ebok_core::access::AccessError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = AccessError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PhoneNumber::new(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Personal data: show only the last three digits.
        let tail: String = self
            .0
            .chars()
            .rev()
            .take(3)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        write!(f, "PhoneNumber(…{tail})")
    }
}

/// An e-mail address, trimmed and compared case-insensitively.
///
/// ```
/// use ebok_core::access::EmailAddress;
/// assert_eq!(EmailAddress::new(" Jan.Kowalski@Example.PL ")?.as_str(), "jan.kowalski@example.pl");
/// assert!(EmailAddress::new("no-at-sign").is_err());
/// # Ok::<(), ebok_core::access::AccessError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Validates an address: one `@`, something on both sides, no spaces, at most 254 bytes.
    ///
    /// ```
    /// use ebok_core::access::EmailAddress;
    /// assert!(EmailAddress::new("a@b").is_ok());
    /// ```
    pub fn new(text: &str) -> Result<EmailAddress, AccessError> {
        let t = text.trim().to_lowercase();
        let ok = t.len() <= 254
            && !t.contains(char::is_whitespace)
            && t.split('@').count() == 2
            && t.split('@').all(|p| !p.is_empty());
        if ok {
            Ok(EmailAddress(t))
        } else {
            Err(AccessError::InvalidContact {
                value: text.chars().take(32).collect(),
                reason: "not an e-mail address",
            })
        }
    }

    /// The address.
    ///
    /// ```
    /// use ebok_core::access::EmailAddress;
    /// assert_eq!(EmailAddress::new("a@b")?.as_str(), "a@b");
    /// # Ok::<(), ebok_core::access::AccessError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = AccessError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        EmailAddress::new(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let domain = self.0.split('@').nth(1).unwrap_or("");
        write!(f, "EmailAddress(…@{domain})")
    }
}

/// The resident's verified contacts on file: the only places a one-time password may go.
///
/// ```
/// use ebok_core::access::{Contacts, PhoneNumber};
/// let c = Contacts { phone: Some(PhoneNumber::new("531464544")?), ..Contacts::default() };
/// assert!(c.email.is_none());
/// # Ok::<(), ebok_core::access::AccessError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contacts {
    /// Mobile phone for SMS.
    pub phone: Option<PhoneNumber>,
    /// E-mail.
    pub email: Option<EmailAddress>,
    /// Postal address for letters.
    pub postal: Option<String>,
}

/// Where a one-time password is to be delivered: always a contact on file, never one taken from a request.
///
/// ```
/// use ebok_core::access::DeliveryTarget;
/// assert_eq!(DeliveryTarget::Office, DeliveryTarget::Office);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", content = "contact", rename_all = "snake_case")]
pub enum DeliveryTarget {
    /// SMS to this number.
    Phone(PhoneNumber),
    /// E-mail to this address.
    Email(EmailAddress),
    /// A letter to this address.
    Post(String),
    /// Handed over at the office.
    Office,
}
