//! One entry of a premises account (zapis na koncie lokalu) and its validation.
//!
//! # The sign rule
//!
//! An entry's `amount` is recorded as the accounting system gives it. Its **effect** on
//! what the resident owes is:
//! - a [`EntryKind::Payment`] lowers what is owed by its amount (a negative payment is a
//!   returned payment and raises it again);
//! - every other kind raises what is owed by its signed amount, so a negative correction,
//!   an overpayment settlement or a reversal (storno) lowers it.
//!
//! A balance is the sum of effects: positive when the resident owes (zaległość,
//! niedopłata), negative on overpayment (nadpłata).
//!
//! ```
//! use ebok_core::ledger::{EntryKind, LedgerEntry};
//! use ebok_core::money::Money;
//! use time::macros::date;
//!
//! let pay = LedgerEntry::payment("P1", "0756555", Money::parse("500.00")?, date!(2025 - 01 - 12))?;
//! assert_eq!(pay.effect(), Money::parse("-500.00")?);
//! let storno = LedgerEntry::new("K1", "0756555", EntryKind::Correction, Money::parse("-20")?, date!(2025 - 01 - 31))?;
//! assert_eq!(storno.effect(), Money::parse("-20")?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use smol_str::SmolStr;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::{self, DateError};
use crate::money::{Money, MoneyError};
use crate::premises::{PremisesError, PremisesId};

/// The largest magnitude of one entry: 10 000 000 000.00 zł.
///
/// With at most [`MAX_ENTRIES_PER_PREMISES`] entries, a premises' balance can never
/// overflow 64-bit grosze, so balances are summed without checks in the hot loop.
pub const MAX_ENTRY_AMOUNT: Money = Money::from_grosze(1_000_000_000_000);

/// The most entries one premises account may hold (2²³ ≈ 8.4 million).
pub const MAX_ENTRIES_PER_PREMISES: usize = 1 << 23;

/// The kind of an entry (rodzaj zapisu).
///
/// ```
/// use ebok_core::ledger::EntryKind;
/// assert_eq!("wpłata".parse::<EntryKind>()?, EntryKind::Payment);
/// assert_eq!(EntryKind::Charge.polish_name(), "naliczenie");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum EntryKind {
    /// A charge (naliczenie, obciążenie): one component of the monthly fees, with a due date.
    Charge = 0,
    /// A payment (wpłata); its operation date is the day the money reached the cooperative's account.
    Payment = 1,
    /// A correction (korekta), e.g. a storno of a charge.
    Correction = 2,
    /// Interest (odsetki) charged for late payment.
    Interest = 3,
    /// The result of a periodic settlement (rozliczenie) of water, heating, …: positive for an underpayment, negative for an overpayment.
    Settlement = 4,
    /// A refund of an overpayment to the resident (zwrot nadpłaty).
    Refund = 5,
    /// The opening balance (bilans otwarcia) carried over from an earlier system.
    OpeningBalance = 6,
}

impl EntryKind {
    /// Every kind, in code order.
    pub const ALL: [EntryKind; 7] = [
        EntryKind::Charge,
        EntryKind::Payment,
        EntryKind::Correction,
        EntryKind::Interest,
        EntryKind::Settlement,
        EntryKind::Refund,
        EntryKind::OpeningBalance,
    ];

    /// The stable code used in serialized data.
    ///
    /// ```
    /// # use ebok_core::ledger::EntryKind;
    /// assert_eq!(EntryKind::OpeningBalance.code(), "opening_balance");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Charge => "charge",
            EntryKind::Payment => "payment",
            EntryKind::Correction => "correction",
            EntryKind::Interest => "interest",
            EntryKind::Settlement => "settlement",
            EntryKind::Refund => "refund",
            EntryKind::OpeningBalance => "opening_balance",
        }
    }

    /// The Polish name shown to residents.
    ///
    /// ```
    /// # use ebok_core::ledger::EntryKind;
    /// assert_eq!(EntryKind::Payment.polish_name(), "wpłata");
    /// ```
    pub fn polish_name(self) -> &'static str {
        match self {
            EntryKind::Charge => "naliczenie",
            EntryKind::Payment => "wpłata",
            EntryKind::Correction => "korekta",
            EntryKind::Interest => "odsetki",
            EntryKind::Settlement => "rozliczenie",
            EntryKind::Refund => "zwrot nadpłaty",
            EntryKind::OpeningBalance => "bilans otwarcia",
        }
    }

    /// The name shown to residents in `language`.
    ///
    /// ```
    /// # use ebok_core::ledger::EntryKind;
    /// use ebok_core::messages::Language;
    /// assert_eq!(EntryKind::Refund.name(Language::English), "refund of overpayment");
    /// assert_eq!(EntryKind::Refund.name(Language::Polish), "zwrot nadpłaty");
    /// ```
    pub fn name(self, language: crate::messages::Language) -> &'static str {
        match language {
            crate::messages::Language::Polish => self.polish_name(),
            crate::messages::Language::English => match self {
                EntryKind::Charge => "charge",
                EntryKind::Payment => "payment",
                EntryKind::Correction => "correction",
                EntryKind::Interest => "interest",
                EntryKind::Settlement => "settlement",
                EntryKind::Refund => "refund of overpayment",
                EntryKind::OpeningBalance => "opening balance",
            },
        }
    }

    /// The effect of an amount of this kind on what the resident owes (see the sign rule).
    ///
    /// ```
    /// # use ebok_core::ledger::EntryKind;
    /// # use ebok_core::money::Money;
    /// assert_eq!(EntryKind::Payment.effect_of(Money::from_grosze(100)), Money::from_grosze(-100));
    /// assert_eq!(EntryKind::Refund.effect_of(Money::from_grosze(100)), Money::from_grosze(100));
    /// ```
    pub fn effect_of(self, amount: Money) -> Money {
        match self {
            EntryKind::Payment => Money::from_grosze(-amount.grosze()),
            _ => amount,
        }
    }

    pub(crate) fn from_u8(v: u8) -> EntryKind {
        EntryKind::ALL
            .get(usize::from(v))
            .copied()
            .unwrap_or(EntryKind::Correction)
    }
}

impl FromStr for EntryKind {
    type Err = FieldError;

    /// Accepts the codes and the Polish names, with or without diacritics.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The codes as written by ebok itself (every row of a large import): no allocation.
        if let Some(k) = EntryKind::ALL.into_iter().find(|k| k.code() == s) {
            return Ok(k);
        }
        let k = s.trim().to_lowercase();
        Ok(match k.as_str() {
            "charge" | "naliczenie" | "obciążenie" | "obciazenie" => EntryKind::Charge,
            "payment" | "wpłata" | "wplata" => EntryKind::Payment,
            "correction" | "korekta" | "storno" => EntryKind::Correction,
            "interest" | "odsetki" => EntryKind::Interest,
            "settlement" | "rozliczenie" => EntryKind::Settlement,
            "refund" | "zwrot" | "zwrot nadpłaty" | "zwrot nadplaty" => EntryKind::Refund,
            "opening_balance" | "bilans otwarcia" | "bo" => EntryKind::OpeningBalance,
            _ => {
                return Err(FieldError::new(EntryField::Kind, s, Problem::UnknownKind));
            }
        })
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

// Short texts (up to 23 bytes: most ids, components and documents) live inline in a
// `SmolStr`, so loading millions of entries allocates no string per field.
macro_rules! text_newtype {
    ($(#[$doc:meta])* $t:ident, $field:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $t(SmolStr);

        impl $t {
            /// The longest text accepted, in bytes.
            pub const MAX_LEN: usize = $max;

            /// Validates and wraps the text: non-empty, at most `MAX_LEN` bytes, no control
            /// characters, no leading or trailing white space.
            pub fn new(text: &str) -> Result<Self, FieldError> {
                check_text($field, text, $max)?;
                Ok($t(SmolStr::new(text)))
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Wraps text that was validated when it was stored.
            #[allow(dead_code)]
            pub(crate) fn trusted(text: &str) -> Self {
                $t(SmolStr::new(text))
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}", &*self.0)
            }
        }

        impl FromStr for $t {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $t::new(s)
            }
        }

        serde_as_text!($t);
    };
}

text_newtype!(
    /// The accounting system's unique identifier of an entry (e.g. `NAL/2025/05/0756555/1`).
    ///
    /// ```
    /// use ebok_core::ledger::EntryId;
    /// assert!(EntryId::new("WB-2025-05-12-17").is_ok());
    /// assert!(EntryId::new("").is_err());
    /// assert!(EntryId::new(" x").is_err());
    /// ```
    EntryId,
    EntryField::Id,
    64
);

text_newtype!(
    /// A charge component (składnik opłaty): an open set, e.g. `eksploatacja`, `fundusz remontowy`,
    /// `woda i ścieki`, `c.o.`, `odpady`. Compared exactly as given.
    ///
    /// ```
    /// use ebok_core::ledger::Component;
    /// let c = Component::new("fundusz remontowy")?;
    /// assert_eq!(c.as_str(), Component::REPAIR_FUND);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Component,
    EntryField::Component,
    64
);

text_newtype!(
    /// A reference to the accounting document behind an entry (e.g. `WB 123/2025`, `NAL 05/2025`).
    ///
    /// ```
    /// use ebok_core::ledger::DocumentRef;
    /// assert!(DocumentRef::new("WB 123/2025").is_ok());
    /// ```
    DocumentRef,
    EntryField::Document,
    64
);

impl Component {
    /// Maintenance (eksploatacja).
    pub const MAINTENANCE: &'static str = "eksploatacja";
    /// Repair fund (fundusz remontowy).
    pub const REPAIR_FUND: &'static str = "fundusz remontowy";
    /// Cold water and sewage advance (woda i ścieki).
    pub const WATER_SEWAGE: &'static str = "woda i ścieki";
    /// Hot-water heating advance (podgrzanie wody).
    pub const HOT_WATER_HEATING: &'static str = "podgrzanie wody";
    /// Central heating advance (c.o.).
    pub const CENTRAL_HEATING: &'static str = "c.o.";
    /// Municipal waste fee (odpady komunalne).
    pub const MUNICIPAL_WASTE: &'static str = "odpady komunalne";
    /// Intercom (domofon).
    pub const INTERCOM: &'static str = "domofon";
    /// Collective antenna (antena).
    pub const ANTENNA: &'static str = "antena";
    /// Lift (dźwig).
    pub const LIFT: &'static str = "dźwig";
    /// Property tax pass-through (podatek od nieruchomości).
    pub const PROPERTY_TAX: &'static str = "podatek od nieruchomości";
}

fn check_text(field: EntryField, text: &str, max: usize) -> Result<(), FieldError> {
    let problem = if text.is_empty() {
        Some(Problem::Empty)
    } else if text.len() > max {
        Some(Problem::TooLong { max })
    } else if text.chars().any(char::is_control) {
        Some(Problem::ControlCharacter)
    } else if text.trim() != text {
        Some(Problem::SurroundingWhitespace)
    } else {
        None
    };
    match problem {
        Some(p) => Err(FieldError::new(field, text, p)),
        None => Ok(()),
    }
}

/// A field of an entry, named in errors.
///
/// ```
/// use ebok_core::ledger::EntryField;
/// assert_eq!(EntryField::PostedOn.to_string(), "posted_on");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryField {
    /// `id`
    Id,
    /// `premises`
    Premises,
    /// `kind`
    Kind,
    /// `amount`
    Amount,
    /// `component`
    Component,
    /// `operation_date`
    OperationDate,
    /// `posted_on`
    PostedOn,
    /// `due_date`
    DueDate,
    /// `document`
    Document,
}

impl EntryField {
    /// The field's name as in serialized data.
    ///
    /// ```
    /// # use ebok_core::ledger::EntryField;
    /// assert_eq!(EntryField::OperationDate.name(), "operation_date");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            EntryField::Id => "id",
            EntryField::Premises => "premises",
            EntryField::Kind => "kind",
            EntryField::Amount => "amount",
            EntryField::Component => "component",
            EntryField::OperationDate => "operation_date",
            EntryField::PostedOn => "posted_on",
            EntryField::DueDate => "due_date",
            EntryField::Document => "document",
        }
    }
}

impl fmt::Display for EntryField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What is wrong with a field's value.
///
/// ```
/// use ebok_core::ledger::Problem;
/// assert_eq!(Problem::Missing.to_string(), "is required");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The value is empty.
    #[error("is empty")]
    Empty,
    /// The value is required for this kind of entry.
    #[error("is required")]
    Missing,
    /// The text is too long.
    #[error("is longer than {max} bytes")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// The text contains a control character.
    #[error("contains a control character")]
    ControlCharacter,
    /// The text starts or ends with white space.
    #[error("starts or ends with white space")]
    SurroundingWhitespace,
    /// Not a known kind of entry.
    #[error(
        "is not a kind of entry (charge, payment, correction, interest, settlement, refund, opening_balance)"
    )]
    UnknownKind,
    /// Not a valid amount.
    #[error("{0}")]
    Money(#[from] MoneyError),
    /// Not a valid date.
    #[error("{0}")]
    Date(#[from] DateError),
    /// Not a valid premises identifier.
    #[error("{0}")]
    Premises(#[from] PremisesError),
    /// The amount exceeds [`MAX_ENTRY_AMOUNT`].
    #[error("exceeds the largest entry amount, 10 000 000 000.00 zł")]
    AmountTooLarge,
    /// Replacing this entry would break the stored allocation (or designation) of a credit.
    #[error(
        "would leave the stored allocation of credit {credit} pointing at an entry that is gone or no longer a debt of its premises (send the allocation again or delete it)"
    )]
    BreaksAllocation {
        /// The credit whose allocation would break.
        credit: String,
    },
    /// The entry id is already used by an entry with different content.
    #[error("is already used by a different entry (apply it as a replacement to change it)")]
    ConflictingId,
    /// The premises account is full.
    #[error("premises account already holds the maximum number of entries")]
    PremisesFull,
    /// The ledger already holds the maximum number of distinct components.
    #[error("too many distinct components in one ledger (at most 65 535)")]
    TooManyComponents,
}

/// A refused value of one field: which field, the value as given, and why.
///
/// ```
/// use ebok_core::ledger::{EntryField, EntryId};
/// let err = EntryId::new("").unwrap_err();
/// assert_eq!(err.field, EntryField::Id);
/// assert_eq!(err.to_string(), "field id: value \"\" is empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field {field}: value {value:?} {problem}")]
pub struct FieldError {
    /// The field.
    pub field: EntryField,
    /// The refused value as given (at most 80 characters of it).
    pub value: String,
    /// Why it was refused.
    pub problem: Problem,
}

impl FieldError {
    /// A field error; the value is clipped to 80 characters.
    ///
    /// ```
    /// use ebok_core::ledger::{EntryField, FieldError, Problem};
    /// let e = FieldError::new(EntryField::Amount, "x".repeat(100), Problem::Empty);
    /// assert_eq!(e.value.chars().count(), 80);
    /// ```
    pub fn new(
        field: EntryField,
        value: impl AsRef<str>,
        problem: impl Into<Problem>,
    ) -> FieldError {
        FieldError {
            field,
            value: value.as_ref().chars().take(80).collect(),
            problem: problem.into(),
        }
    }
}

/// One entry of a premises account.
///
/// Build it with [`LedgerEntry::new`] (or the shortcuts [`LedgerEntry::charge`] and
/// [`LedgerEntry::payment`]) and the `with_*` methods; [`LedgerEntry::validate`] checks the
/// rules between fields, and the ledger checks them again on insertion, so an entry with
/// public fields changed by hand cannot slip in.
///
/// ```
/// use ebok_core::ledger::LedgerEntry;
/// use ebok_core::money::Money;
/// use time::macros::date;
///
/// let e = LedgerEntry::charge("N1", "0756555", "eksploatacja", Money::parse("114.21")?, date!(2025 - 05 - 01), date!(2025 - 05 - 10))?
///     .posted(date!(2025 - 05 - 01))
///     .with_document("NAL 05/2025")?;
/// assert!(e.validate().is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// The accounting system's unique id.
    pub id: EntryId,
    /// The premises whose account it belongs to.
    pub premises: PremisesId,
    /// The kind.
    pub kind: EntryKind,
    /// The amount as recorded; its effect on the balance follows the sign rule.
    pub amount: Money,
    /// The charge component (required for charges, optional otherwise).
    #[serde(default)]
    pub component: Option<Component>,
    /// The operation date; for a payment, the day the money reached the cooperative's account (data wpływu).
    pub operation_date: Date,
    /// The posting date in the accounting system (data księgowania); `None` while not yet posted.
    #[serde(default)]
    pub posted_on: Option<Date>,
    /// The due date (termin płatności); required for charges.
    #[serde(default)]
    pub due_date: Option<Date>,
    /// The accounting document.
    #[serde(default)]
    pub document: Option<DocumentRef>,
}

impl LedgerEntry {
    /// An unposted entry with no component, due date or document.
    ///
    /// ```
    /// use ebok_core::ledger::{EntryKind, LedgerEntry};
    /// use ebok_core::money::Money;
    /// use time::macros::date;
    /// let e = LedgerEntry::new("O1", "0756555", EntryKind::Interest, Money::parse("10.63")?, date!(2025 - 03 - 20))?;
    /// assert_eq!(e.posted_on, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        id: &str,
        premises: &str,
        kind: EntryKind,
        amount: Money,
        operation_date: Date,
    ) -> Result<LedgerEntry, FieldError> {
        Ok(LedgerEntry {
            id: EntryId::new(id)?,
            premises: PremisesId::new(premises)
                .map_err(|e| FieldError::new(EntryField::Premises, premises, e))?,
            kind,
            amount,
            component: None,
            operation_date,
            posted_on: None,
            due_date: None,
            document: None,
        })
    }

    /// A charge of a component with its due date.
    ///
    /// ```
    /// use ebok_core::ledger::{EntryKind, LedgerEntry};
    /// use ebok_core::money::Money;
    /// use time::macros::date;
    /// let e = LedgerEntry::charge("N1", "1", "c.o.", Money::parse("150.66")?, date!(2025 - 05 - 01), date!(2025 - 05 - 10))?;
    /// assert_eq!(e.kind, EntryKind::Charge);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn charge(
        id: &str,
        premises: &str,
        component: &str,
        amount: Money,
        operation_date: Date,
        due_date: Date,
    ) -> Result<LedgerEntry, FieldError> {
        let mut e = LedgerEntry::new(id, premises, EntryKind::Charge, amount, operation_date)?;
        e.component = Some(Component::new(component)?);
        e.due_date = Some(due_date);
        Ok(e)
    }

    /// A payment credited on `credited_on` (the day the money reached the cooperative's account).
    ///
    /// ```
    /// use ebok_core::ledger::{EntryKind, LedgerEntry};
    /// use ebok_core::money::Money;
    /// use time::macros::date;
    /// let e = LedgerEntry::payment("P1", "1", Money::parse("772.15")?, date!(2025 - 05 - 12))?;
    /// assert_eq!(e.kind, EntryKind::Payment);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn payment(
        id: &str,
        premises: &str,
        amount: Money,
        credited_on: Date,
    ) -> Result<LedgerEntry, FieldError> {
        LedgerEntry::new(id, premises, EntryKind::Payment, amount, credited_on)
    }

    /// The same entry, posted on `date`.
    ///
    /// ```
    /// # use ebok_core::ledger::LedgerEntry;
    /// # use ebok_core::money::Money;
    /// # use time::macros::date;
    /// let e = LedgerEntry::payment("P1", "1", Money::parse("1")?, date!(2025 - 05 - 12))?.posted(date!(2025 - 05 - 14));
    /// assert_eq!(e.posted_on, Some(date!(2025 - 05 - 14)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn posted(mut self, date: Date) -> LedgerEntry {
        self.posted_on = Some(date);
        self
    }

    /// The same entry with a due date.
    ///
    /// ```
    /// # use ebok_core::ledger::{EntryKind, LedgerEntry};
    /// # use ebok_core::money::Money;
    /// # use time::macros::date;
    /// let e = LedgerEntry::new("S1", "1", EntryKind::Settlement, Money::parse("43.86")?, date!(2025 - 07 - 01))?
    ///     .with_due_date(date!(2025 - 07 - 31));
    /// assert_eq!(e.due_date, Some(date!(2025 - 07 - 31)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_due_date(mut self, date: Date) -> LedgerEntry {
        self.due_date = Some(date);
        self
    }

    /// The same entry with a component.
    ///
    /// ```
    /// # use ebok_core::ledger::{EntryKind, LedgerEntry};
    /// # use ebok_core::money::Money;
    /// # use time::macros::date;
    /// let e = LedgerEntry::new("K1", "1", EntryKind::Correction, Money::parse("-5")?, date!(2025 - 07 - 01))?
    ///     .with_component("eksploatacja")?;
    /// assert_eq!(e.component.unwrap().as_str(), "eksploatacja");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_component(mut self, component: &str) -> Result<LedgerEntry, FieldError> {
        self.component = Some(Component::new(component)?);
        Ok(self)
    }

    /// The same entry with a document reference.
    ///
    /// ```
    /// # use ebok_core::ledger::LedgerEntry;
    /// # use ebok_core::money::Money;
    /// # use time::macros::date;
    /// let e = LedgerEntry::payment("P1", "1", Money::parse("1")?, date!(2025 - 05 - 12))?.with_document("WB 12/2025")?;
    /// assert_eq!(e.document.unwrap().as_str(), "WB 12/2025");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_document(mut self, document: &str) -> Result<LedgerEntry, FieldError> {
        self.document = Some(DocumentRef::new(document)?);
        Ok(self)
    }

    /// The entry's effect on what the resident owes (see the sign rule in the module docs).
    ///
    /// ```
    /// # use ebok_core::ledger::LedgerEntry;
    /// # use ebok_core::money::Money;
    /// # use time::macros::date;
    /// let returned = LedgerEntry::payment("P2", "1", Money::parse("-100")?, date!(2025 - 05 - 20))?;
    /// assert_eq!(returned.effect(), Money::parse("100")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn effect(&self) -> Money {
        self.kind.effect_of(self.amount)
    }

    /// Whether the entry is posted on or before `known_at` (`None`: posted at all).
    ///
    /// ```
    /// # use ebok_core::ledger::LedgerEntry;
    /// # use ebok_core::money::Money;
    /// # use time::macros::date;
    /// let e = LedgerEntry::payment("P1", "1", Money::parse("1")?, date!(2025 - 05 - 12))?.posted(date!(2025 - 05 - 14));
    /// assert!(!e.is_posted_by(Some(date!(2025 - 05 - 13))));
    /// assert!(e.is_posted_by(None));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_posted_by(&self, known_at: Option<Date>) -> bool {
        match (self.posted_on, known_at) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(p), Some(k)) => p <= k,
        }
    }

    /// Checks every rule between and within fields; returns every problem found.
    ///
    /// Rules: dates within 1900..=2199; |amount| ≤ [`MAX_ENTRY_AMOUNT`]; a charge has a
    /// component and a due date. A posting date may precede the operation date: accounting
    /// systems book next month's charges before the 1st, and may record a payment the day it
    /// is announced. Such an entry is known (posted) but future-dated: it counts in a balance
    /// only once `as_of` reaches its operation date ([`crate::ledger::Ledger::upcoming`]).
    ///
    /// ```
    /// use ebok_core::ledger::{EntryField, EntryKind, LedgerEntry};
    /// use ebok_core::money::Money;
    /// use time::macros::date;
    /// let mut e = LedgerEntry::new("N1", "1", EntryKind::Charge, Money::parse("10")?, date!(2025 - 05 - 01))?;
    /// e.posted_on = Some(date!(2025 - 04 - 25)); // booked before the 1st: accepted
    /// let fields: Vec<_> = e.validate().unwrap_err().into_iter().map(|f| f.field).collect();
    /// assert_eq!(fields, vec![EntryField::Component, EntryField::DueDate]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.amount.abs() > MAX_ENTRY_AMOUNT {
            errors.push(FieldError::new(
                EntryField::Amount,
                self.amount.to_string(),
                Problem::AmountTooLarge,
            ));
        }
        if self.kind == EntryKind::Charge && self.component.is_none() {
            errors.push(FieldError::new(EntryField::Component, "", Problem::Missing));
        }
        let dates = [
            (EntryField::OperationDate, Some(self.operation_date)),
            (EntryField::PostedOn, self.posted_on),
            (EntryField::DueDate, self.due_date),
        ];
        for (field, date) in dates {
            if let Some(d) = date
                && let Err(e) = calendar::check_date(d)
            {
                errors.push(FieldError::new(field, d.to_string(), e));
            }
        }
        if self.kind == EntryKind::Charge && self.due_date.is_none() {
            errors.push(FieldError::new(EntryField::DueDate, "", Problem::Missing));
        }
        // Ordered by field so that callers see a stable report.
        errors.sort_by_key(|e| e.field as u8);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// An entry given as text, as it comes from a file or another program; [`EntryDraft::build`]
/// turns it into a [`LedgerEntry`], reporting every bad field at once.
///
/// Amounts take plain or Polish notation; dates are ISO `YYYY-MM-DD`; empty optional
/// fields are absent.
///
/// ```
/// use ebok_core::ledger::{EntryDraft, EntryField};
/// let draft = EntryDraft {
///     id: "P1", premises: "0756555", kind: "wpłata", amount: "1 234,56",
///     operation_date: "2025-05-12", posted_on: "2025-05-14", ..EntryDraft::default()
/// };
/// assert_eq!(draft.build()?.amount.to_string(), "1234.56");
///
/// let bad = EntryDraft { id: "", amount: "1.234", operation_date: "2025-02-30", ..draft };
/// let fields: Vec<_> = bad.build().unwrap_err().into_iter().map(|e| e.field).collect();
/// assert_eq!(fields, vec![EntryField::Id, EntryField::Amount, EntryField::OperationDate]);
/// # Ok::<(), Vec<ebok_core::ledger::FieldError>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EntryDraft<'a> {
    /// Entry id.
    pub id: &'a str,
    /// Premises identifier.
    pub premises: &'a str,
    /// Kind: a code or a Polish name.
    pub kind: &'a str,
    /// Amount.
    pub amount: &'a str,
    /// Component; empty for none.
    pub component: &'a str,
    /// Operation date.
    pub operation_date: &'a str,
    /// Posting date; empty while unposted.
    pub posted_on: &'a str,
    /// Due date; empty for none.
    pub due_date: &'a str,
    /// Document reference; empty for none.
    pub document: &'a str,
}

impl EntryDraft<'_> {
    /// Parses and validates every field; on failure, returns every problem found.
    ///
    /// ```
    /// use ebok_core::ledger::EntryDraft;
    /// assert!(EntryDraft::default().build().is_err());
    /// ```
    pub fn build(&self) -> Result<LedgerEntry, Vec<FieldError>> {
        let mut errors = Vec::new();
        macro_rules! keep {
            ($e:expr $(,)?) => {
                keep_ok(&mut errors, $e)
            };
        }
        let id = keep!(EntryId::new(self.id));
        let premises = keep!(PremisesId::new(self.premises).map_err(|e| FieldError::new(
            EntryField::Premises,
            self.premises,
            e
        )),);
        let kind = keep!(self.kind.parse::<EntryKind>());
        let amount = keep!(Money::parse(self.amount).map_err(|e| FieldError::new(
            EntryField::Amount,
            self.amount,
            e
        )),);
        let component = keep!(opt(self.component, Component::new));
        let date = |field, text: &str| {
            calendar::parse_date(text).map_err(|e| FieldError::new(field, text, e))
        };
        let operation_date = keep!(date(EntryField::OperationDate, self.operation_date));
        let posted_on = keep!(opt(self.posted_on, |t| date(EntryField::PostedOn, t)));
        let due_date = keep!(opt(self.due_date, |t| date(EntryField::DueDate, t)));
        let document = keep!(opt(self.document, DocumentRef::new));
        if let (
            Some(id),
            Some(premises),
            Some(kind),
            Some(amount),
            Some(component),
            Some(operation_date),
            Some(posted_on),
            Some(due_date),
            Some(document),
        ) = (
            id,
            premises,
            kind,
            amount,
            component,
            operation_date,
            posted_on,
            due_date,
            document,
        ) {
            let entry = LedgerEntry {
                id,
                premises,
                kind,
                amount,
                component,
                operation_date,
                posted_on,
                due_date,
                document,
            };
            return match entry.validate() {
                Ok(()) => Ok(entry),
                Err(errs) => Err(errs),
            };
        }
        Err(errors)
    }
}

fn keep_ok<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

fn opt<T>(
    text: &str,
    f: impl FnOnce(&str) -> Result<T, FieldError>,
) -> Result<Option<T>, FieldError> {
    if text.is_empty() {
        Ok(None)
    } else {
        f(text).map(Some)
    }
}
