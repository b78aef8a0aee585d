//! Documents a resident may read in the e-BOK (dokumenty): fee-change notices, annual
//! settlements, resolutions, letters. ebok keeps their metadata (`documents.csv`): kind,
//! title, date, who may see them, a SHA-256 of the content and a reference the host resolves
//! to a file. It also says whether a fee-change notice was given in time (USM art. 4 ust. 7
//! and 7¹, see [`check_fee_notice`]).
//!
//! ```
//! use ebok_core::documents::{Audience, Document, DocumentBook, DocumentKind};
//! use ebok_core::holders::{Interval, Intervals};
//! use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind};
//! use time::macros::date;
//! let mut book = DocumentBook::default();
//! let sha = "a".repeat(64);
//! book.add(Document::new("D1", DocumentKind::Resolution, "Uchwała 12/2026", date!(2026 - 02 - 01), Audience::Everyone, &sha, "docs/u12.pdf")?)?;
//! book.add(Document::new("D2", DocumentKind::Letter, "Pismo", date!(2026 - 04 - 02), Audience::Premises(PremisesId::new("7")?), &sha, "docs/p.pdf")?)?;
//! let flat = Premises::new(PremisesId::new("7")?, PremisesKind::Flat, Area::parse("48")?);
//! let buyer = Intervals::merge([Interval::since(date!(2026 - 03 - 15))]);
//! let seen: Vec<_> = book.visible(&flat, &buyer).iter().map(|d| d.id.as_str()).collect();
//! assert_eq!(seen, ["D2"]); // the resolution predates the buyer
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::{YearMonth, add_days};
use crate::holders::Intervals;
use crate::premises::{Premises, PremisesId};

/// Why a document was refused.
///
/// ```
/// use ebok_core::documents::{DocumentError, DocumentKind};
/// assert!(matches!("memo".parse::<DocumentKind>(), Err(DocumentError::InvalidKind { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// Not a known kind of document.
    #[error(
        "{value:?} is not a kind of document (fee_change_notice, annual_settlement, resolution, letter, other)"
    )]
    InvalidKind {
        /// The refused text (at most 64 characters).
        value: String,
    },
    /// A field that breaks its rule.
    #[error("document field {field}: {value:?} {reason}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// The refused text (at most 64 characters).
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// The same id already names another document.
    #[error("document {id} is already registered with different data")]
    Conflict {
        /// The id.
        id: String,
    },
}

/// The kind of a document.
///
/// ```
/// use ebok_core::documents::DocumentKind;
/// assert_eq!(DocumentKind::FeeChangeNotice.polish_name(), "zawiadomienie o zmianie opłat");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DocumentKind {
    /// A notice of a change of fees (zawiadomienie o zmianie wysokości opłat).
    FeeChangeNotice,
    /// An annual settlement (rozliczenie roczne) of water, heating …
    AnnualSettlement,
    /// A resolution (uchwała) of the board or the general meeting.
    Resolution,
    /// A letter (pismo).
    Letter,
    /// Anything else.
    Other,
}

impl DocumentKind {
    /// Every kind, in code order.
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::FeeChangeNotice,
        DocumentKind::AnnualSettlement,
        DocumentKind::Resolution,
        DocumentKind::Letter,
        DocumentKind::Other,
    ];

    /// The stable code.
    ///
    /// ```
    /// # use ebok_core::documents::DocumentKind;
    /// assert_eq!(DocumentKind::AnnualSettlement.code(), "annual_settlement");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::FeeChangeNotice => "fee_change_notice",
            DocumentKind::AnnualSettlement => "annual_settlement",
            DocumentKind::Resolution => "resolution",
            DocumentKind::Letter => "letter",
            DocumentKind::Other => "other",
        }
    }

    /// The Polish name.
    ///
    /// ```
    /// # use ebok_core::documents::DocumentKind;
    /// assert_eq!(DocumentKind::Resolution.polish_name(), "uchwała");
    /// ```
    pub fn polish_name(self) -> &'static str {
        match self {
            DocumentKind::FeeChangeNotice => "zawiadomienie o zmianie opłat",
            DocumentKind::AnnualSettlement => "rozliczenie roczne",
            DocumentKind::Resolution => "uchwała",
            DocumentKind::Letter => "pismo",
            DocumentKind::Other => "inny dokument",
        }
    }
}

impl FromStr for DocumentKind {
    type Err = DocumentError;
    fn from_str(s: &str) -> Result<DocumentKind, DocumentError> {
        let lower = s.trim().to_lowercase();
        DocumentKind::ALL
            .into_iter()
            .find(|k| k.code() == lower)
            .ok_or_else(|| DocumentError::InvalidKind {
                value: s.chars().take(64).collect(),
            })
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Who may see a document (within the days their relation to a premises covers).
///
/// ```
/// use ebok_core::documents::Audience;
/// assert_eq!("building:B-12".parse::<Audience>()?, Audience::Building("B-12".into()));
/// assert_eq!(Audience::Everyone.to_string(), "everyone");
/// # Ok::<(), ebok_core::documents::DocumentError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Audience {
    /// The holders of one premises: `premises:0756555`.
    Premises(PremisesId),
    /// The holders of every premises of a building (`Premises::building`): `building:B-12`.
    Building(String),
    /// Every holder: `everyone`.
    Everyone,
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Audience::Premises(p) => write!(f, "premises:{p}"),
            Audience::Building(b) => write!(f, "building:{b}"),
            Audience::Everyone => f.write_str("everyone"),
        }
    }
}

impl FromStr for Audience {
    type Err = DocumentError;
    fn from_str(s: &str) -> Result<Audience, DocumentError> {
        let bad = |reason| DocumentError::InvalidField {
            field: "audience",
            value: s.chars().take(64).collect(),
            reason,
        };
        let t = s.trim();
        if t.eq_ignore_ascii_case("everyone") {
            return Ok(Audience::Everyone);
        }
        match t.split_once(':') {
            Some(("premises", p)) => PremisesId::new(p)
                .map(Audience::Premises)
                .map_err(|_| bad("does not name a valid premises")),
            Some(("building", b)) if valid_building(b) => Ok(Audience::Building(b.to_owned())),
            Some(("building", _)) => Err(bad("does not name a valid building")),
            _ => Err(bad("is not everyone, premises:ID or building:ID")),
        }
    }
}

/// A building identifier: 1 to 32 ASCII letters, digits, `-`, `/`, `.`.
pub(crate) fn valid_building(b: &str) -> bool {
    (1..=32).contains(&b.len())
        && b.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'/' | b'.'))
}

serde_as_text!(Audience);

/// Why fees change: the cooperative's own costs, or costs independent of it (energy, gas,
/// water, sewage, waste: USM art. 4 ust. 7¹), which allow a shorter notice.
///
/// ```
/// use ebok_core::documents::FeeChangeCause;
/// assert_ne!(FeeChangeCause::Cooperative, FeeChangeCause::Independent);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeChangeCause {
    /// Costs that depend on the cooperative: three months' notice, to a month's end.
    Cooperative,
    /// Costs independent of the cooperative: 14 days before the payment deadline, and no later
    /// than the last day of the month before.
    Independent,
}

/// Whether a fee-change notice was given in time (USM art. 4 ust. 7 and 7¹, as paraphrased in
/// `domain.md` §3.2).
///
/// ```
/// use ebok_core::documents::{check_fee_notice, FeeChangeCause};
/// use time::macros::date;
/// // Three months, to the end of a calendar month: given on 31 March, in time for 1 July.
/// let c = check_fee_notice(date!(2026 - 03 - 31), date!(2026 - 07 - 01), FeeChangeCause::Cooperative, 10);
/// assert!(c.in_time);
/// let c = check_fee_notice(date!(2026 - 04 - 01), date!(2026 - 07 - 01), FeeChangeCause::Cooperative, 10);
/// assert!(!c.in_time);
/// assert_eq!(c.earliest_effective, date!(2026 - 08 - 01));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeCheck {
    /// The day the notice was given.
    pub given_on: Date,
    /// The day the change takes effect.
    pub effective_from: Date,
    /// Why fees change.
    pub cause: FeeChangeCause,
    /// The earliest day a change could take effect after a notice given that day.
    pub earliest_effective: Date,
    /// The last day a notice for `effective_from` could be given.
    pub latest_notice: Date,
    /// Whether the notice was given in time.
    pub in_time: bool,
}

impl NoticeCheck {
    /// The verdict in words.
    ///
    /// ```
    /// # use ebok_core::documents::{check_fee_notice, FeeChangeCause};
    /// # use ebok_core::messages::Language;
    /// # use time::macros::date;
    /// let c = check_fee_notice(date!(2026 - 03 - 31), date!(2026 - 07 - 01), FeeChangeCause::Cooperative, 10);
    /// assert_eq!(c.message(Language::Polish), "Zawiadomienie z 31.03.2026 o zmianie opłat od 01.07.2026 złożono w terminie (najpóźniej 31.03.2026).");
    /// ```
    pub fn message(&self, language: crate::messages::Language) -> String {
        let d = |x: Date| language.date(x);
        match (language, self.in_time) {
            (crate::messages::Language::Polish, true) => format!(
                "Zawiadomienie z {} o zmianie opłat od {} złożono w terminie (najpóźniej {}).",
                d(self.given_on),
                d(self.effective_from),
                d(self.latest_notice)
            ),
            (crate::messages::Language::Polish, false) => format!(
                "Zawiadomienie z {} o zmianie opłat od {} złożono po terminie (najpóźniej {}); zmiana może obowiązywać najwcześniej od {}.",
                d(self.given_on),
                d(self.effective_from),
                d(self.latest_notice),
                d(self.earliest_effective)
            ),
            (crate::messages::Language::English, true) => format!(
                "The notice of {} of a fee change from {} was given in time (at the latest {}).",
                d(self.given_on),
                d(self.effective_from),
                d(self.latest_notice)
            ),
            (crate::messages::Language::English, false) => format!(
                "The notice of {} of a fee change from {} was given late (at the latest {}); the change can take effect from {} at the earliest.",
                d(self.given_on),
                d(self.effective_from),
                d(self.latest_notice),
                d(self.earliest_effective)
            ),
        }
    }
}

/// Checks a fee-change notice given on `given_on` for a change from `effective_from`.
///
/// - Cooperative costs (art. 4 ust. 7): at least three months ahead, to the end of a calendar
///   month. A notice given in month M allows a change from the first day of month M + 4 (given
///   any day of March: from 1 July), and a change must start on the first of a month.
/// - Independent costs (ust. 7¹): at least 14 days before the payment deadline of the first
///   month the change applies to (day `due_day` of it, nominal), and no later than the last day
///   of the month before.
///
/// ```
/// use ebok_core::documents::{check_fee_notice, FeeChangeCause};
/// use time::macros::date;
/// // Water price from 1 February, fees due by the 10th: notice by 27 January … but no later
/// // than 31 January anyway; 14 days before 10 February is 27 January.
/// let c = check_fee_notice(date!(2026 - 01 - 27), date!(2026 - 02 - 01), FeeChangeCause::Independent, 10);
/// assert!(c.in_time);
/// assert_eq!(c.latest_notice, date!(2026 - 01 - 27));
/// assert!(!check_fee_notice(date!(2026 - 01 - 28), date!(2026 - 02 - 01), FeeChangeCause::Independent, 10).in_time);
/// ```
pub fn check_fee_notice(
    given_on: Date,
    effective_from: Date,
    cause: FeeChangeCause,
    due_day: u8,
) -> NoticeCheck {
    let month = YearMonth::of(effective_from);
    let (earliest_effective, latest_notice) = match cause {
        FeeChangeCause::Cooperative => (
            YearMonth::of(given_on).plus_months(4).first_day(),
            // The last day of month (effective month − 4) … only when the change starts a month.
            month
                .plus_months(-3)
                .first_day()
                .previous_day()
                .unwrap_or(given_on),
        ),
        FeeChangeCause::Independent => {
            let due = |m: YearMonth| {
                m.first_day()
                    .replace_day(due_day.clamp(1, 28))
                    .unwrap_or(m.first_day())
            };
            let latest = add_days(due(month), -14).min(month.previous().last_day());
            // The first month after the notice's whose deadline is at least 14 days away.
            let mut m = YearMonth::of(given_on).plus_months(1);
            while add_days(due(m), -14) < given_on {
                m = m.plus_months(1);
            }
            (m.first_day(), latest)
        }
    };
    let starts_month = effective_from.day() == 1 || cause == FeeChangeCause::Independent;
    NoticeCheck {
        given_on,
        effective_from,
        cause,
        earliest_effective,
        latest_notice,
        in_time: given_on <= latest_notice && effective_from >= earliest_effective && starts_month,
    }
}

/// A document's identifier in the accounting system: 1 to 64 characters without control
/// characters or surrounding spaces.
///
/// ```
/// use ebok_core::documents::DocumentId;
/// assert!(DocumentId::new("ZAW/2026/03").is_ok() && DocumentId::new(" x").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocumentId(String);

impl DocumentId {
    /// Validates an identifier.
    ///
    /// ```
    /// # use ebok_core::documents::DocumentId;
    /// assert_eq!(DocumentId::new("D1")?.as_str(), "D1");
    /// # Ok::<(), ebok_core::documents::DocumentError>(())
    /// ```
    pub fn new(text: &str) -> Result<DocumentId, DocumentError> {
        if text.is_empty()
            || text.len() > 64
            || text.trim() != text
            || text.chars().any(char::is_control)
        {
            return Err(DocumentError::InvalidField {
                field: "id",
                value: text.chars().take(64).collect(),
                reason: "must be 1 to 64 characters, no control characters or surrounding spaces",
            });
        }
        Ok(DocumentId(text.to_owned()))
    }

    /// The identifier.
    ///
    /// ```
    /// # use ebok_core::documents::DocumentId;
    /// assert_eq!(DocumentId::new("D1")?.as_str(), "D1");
    /// # Ok::<(), ebok_core::documents::DocumentError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for DocumentId {
    type Err = DocumentError;
    fn from_str(s: &str) -> Result<DocumentId, DocumentError> {
        DocumentId::new(s)
    }
}

serde_as_text!(DocumentId);

/// The metadata of one document.
///
/// ```
/// use ebok_core::documents::{Audience, Document, DocumentKind, FeeChangeCause};
/// use time::macros::date;
/// let d = Document::new("Z1", DocumentKind::FeeChangeNotice, "Zmiana opłat", date!(2026 - 03 - 20), Audience::Everyone, &"0".repeat(64), "z1.pdf")?
///     .with_fee_change(date!(2026 - 07 - 01), FeeChangeCause::Cooperative);
/// assert!(d.notice_check(10).unwrap().in_time);
/// # Ok::<(), ebok_core::documents::DocumentError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The identifier.
    pub id: DocumentId,
    /// The kind.
    pub kind: DocumentKind,
    /// The title.
    pub title: String,
    /// The document's date (for a notice, the day it was given).
    pub date: Date,
    /// Who may see it.
    pub audience: Audience,
    /// SHA-256 of the content, 64 lowercase hex digits.
    pub sha256: String,
    /// Where the host finds the file (a path, a key in its store).
    pub reference: String,
    /// For a fee-change notice: the day the change takes effect.
    #[serde(default)]
    pub effective_from: Option<Date>,
    /// For a fee-change notice: why fees change.
    #[serde(default)]
    pub cause: Option<FeeChangeCause>,
}

impl Document {
    /// A document, its fields checked.
    ///
    /// ```
    /// # use ebok_core::documents::{Audience, Document, DocumentKind};
    /// # use time::macros::date;
    /// assert!(Document::new("D", DocumentKind::Letter, "", date!(2026 - 01 - 01), Audience::Everyone, &"0".repeat(64), "x").is_err());
    /// assert!(Document::new("D", DocumentKind::Letter, "T", date!(2026 - 01 - 01), Audience::Everyone, "abc", "x").is_err());
    /// ```
    pub fn new(
        id: &str,
        kind: DocumentKind,
        title: &str,
        date: Date,
        audience: Audience,
        sha256: &str,
        reference: &str,
    ) -> Result<Document, DocumentError> {
        let d = Document {
            id: DocumentId::new(id)?,
            kind,
            title: title.to_owned(),
            date,
            audience,
            sha256: sha256.to_ascii_lowercase(),
            reference: reference.to_owned(),
            effective_from: None,
            cause: None,
        };
        d.check_fields()?;
        Ok(d)
    }

    /// With the date a fee change takes effect and its cause.
    ///
    /// ```
    /// # use ebok_core::documents::{Audience, Document, DocumentKind, FeeChangeCause};
    /// # use time::macros::date;
    /// let d = Document::new("Z1", DocumentKind::FeeChangeNotice, "Zmiana", date!(2026 - 01 - 20), Audience::Everyone, &"0".repeat(64), "z")?
    ///     .with_fee_change(date!(2026 - 02 - 01), FeeChangeCause::Cooperative);
    /// assert!(!d.notice_check(10).unwrap().in_time);
    /// # Ok::<(), ebok_core::documents::DocumentError>(())
    /// ```
    pub fn with_fee_change(mut self, effective_from: Date, cause: FeeChangeCause) -> Document {
        self.effective_from = Some(effective_from);
        self.cause = Some(cause);
        self
    }

    /// Checks the rules between fields: a non-empty title of at most 200 characters and a
    /// reference of at most 500, neither with control characters; a SHA-256 of 64 hex digits;
    /// an effective date (after the document's date) and a cause exactly on fee-change notices.
    ///
    /// ```
    /// # use ebok_core::documents::{Audience, Document, DocumentKind};
    /// # use time::macros::date;
    /// let mut d = Document::new("D", DocumentKind::FeeChangeNotice, "T", date!(2026 - 01 - 01), Audience::Everyone, &"0".repeat(64), "x")?;
    /// assert!(d.validate().is_err()); // a notice without its effective date
    /// d = d.with_fee_change(date!(2026 - 05 - 01), ebok_core::documents::FeeChangeCause::Cooperative);
    /// assert!(d.validate().is_ok());
    /// d.title = "a\u{0}b".into();
    /// assert!(d.validate().is_err());
    /// # Ok::<(), ebok_core::documents::DocumentError>(())
    /// ```
    pub fn validate(&self) -> Result<(), DocumentError> {
        self.check_fields()?;
        let bad = |field, value: &str, reason| DocumentError::InvalidField {
            field,
            value: value.chars().take(64).collect(),
            reason,
        };
        let notice = self.kind == DocumentKind::FeeChangeNotice;
        match (notice, self.effective_from, self.cause) {
            (true, Some(e), Some(_)) if e <= self.date => Err(bad(
                "effective_from",
                &e.to_string(),
                "must come after the notice's date",
            )),
            (true, Some(_), Some(_)) | (false, None, None) => Ok(()),
            (true, _, _) => Err(bad(
                "effective_from",
                "",
                "a fee-change notice needs effective_from and cause",
            )),
            (false, _, _) => Err(bad(
                "effective_from",
                "",
                "only a fee-change notice has effective_from and cause",
            )),
        }
    }

    /// The rules of each field alone (a fee-change notice's date and cause come later).
    fn check_fields(&self) -> Result<(), DocumentError> {
        let bad = |field, value: &str, reason| DocumentError::InvalidField {
            field,
            value: value.chars().take(64).collect(),
            reason,
        };
        let text_ok = |t: &str, max: usize| {
            !t.trim().is_empty() && t.chars().count() <= max && !t.chars().any(char::is_control)
        };
        if !text_ok(&self.title, 200) {
            return Err(bad(
                "title",
                &self.title,
                "must be 1 to 200 characters without control characters",
            ));
        }
        if !text_ok(&self.reference, 500) {
            return Err(bad(
                "reference",
                &self.reference,
                "must be 1 to 500 characters without control characters",
            ));
        }
        if self.sha256.len() != 64
            || !self
                .sha256
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(bad("sha256", &self.sha256, "is not 64 hexadecimal digits"));
        }
        if let Audience::Building(b) = &self.audience
            && !valid_building(b)
        {
            return Err(bad("audience", b, "does not name a valid building"));
        }
        Ok(())
    }

    /// For a fee-change notice, whether it was given in time (fees due on `due_day`).
    ///
    /// ```
    /// # use ebok_core::documents::{Audience, Document, DocumentKind};
    /// # use time::macros::date;
    /// let d = Document::new("D", DocumentKind::Letter, "T", date!(2026 - 01 - 01), Audience::Everyone, &"0".repeat(64), "x")?;
    /// assert!(d.notice_check(10).is_none());
    /// # Ok::<(), ebok_core::documents::DocumentError>(())
    /// ```
    pub fn notice_check(&self, due_day: u8) -> Option<NoticeCheck> {
        Some(check_fee_notice(
            self.date,
            self.effective_from?,
            self.cause?,
            due_day,
        ))
    }

    /// Whether the holders of `premises` see it: the audience names the premises, its
    /// building or everyone, and the document's date lies within `visible`.
    ///
    /// ```
    /// # use ebok_core::documents::{Audience, Document, DocumentKind};
    /// # use ebok_core::holders::{Interval, Intervals};
    /// # use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind};
    /// # use time::macros::date;
    /// let d = Document::new("D", DocumentKind::Letter, "T", date!(2026 - 01 - 01), Audience::Building("B1".into()), &"0".repeat(64), "x")?;
    /// let p = Premises::new(PremisesId::new("1")?, PremisesKind::Flat, Area::parse("40")?).with_building("B1");
    /// assert!(d.visible_to(&p, &Intervals::merge([Interval::ALWAYS])));
    /// assert!(!d.visible_to(&p, &Intervals::default()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn visible_to(&self, premises: &Premises, visible: &Intervals) -> bool {
        let audience = match &self.audience {
            Audience::Everyone => true,
            Audience::Premises(p) => *p == premises.id,
            Audience::Building(b) => premises.building.as_deref() == Some(b.as_str()),
        };
        audience && visible.contains(self.date)
    }
}

/// The documents of a cooperative, by identifier.
///
/// ```
/// use ebok_core::documents::DocumentBook;
/// assert!(DocumentBook::default().is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentBook {
    documents: BTreeMap<DocumentId, Document>,
}

impl DocumentBook {
    /// How many documents are held.
    ///
    /// ```
    /// # use ebok_core::documents::DocumentBook;
    /// assert_eq!(DocumentBook::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Whether no document is held.
    ///
    /// ```
    /// # use ebok_core::documents::DocumentBook;
    /// assert!(DocumentBook::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Adds a document after checking it; the identical one again is a no-op (`false`), another
    /// with the same id a [`DocumentError::Conflict`].
    ///
    /// ```
    /// # use ebok_core::documents::{Audience, Document, DocumentBook, DocumentKind};
    /// # use time::macros::date;
    /// let mut b = DocumentBook::default();
    /// let d = Document::new("D", DocumentKind::Letter, "T", date!(2026 - 01 - 01), Audience::Everyone, &"0".repeat(64), "x")?;
    /// assert!(b.add(d.clone())?);
    /// assert!(!b.add(d.clone())?);
    /// assert!(b.add(Document { title: "U".into(), ..d }).is_err());
    /// # Ok::<(), ebok_core::documents::DocumentError>(())
    /// ```
    pub fn add(&mut self, document: Document) -> Result<bool, DocumentError> {
        document.validate()?;
        match self.documents.get(&document.id) {
            Some(d) if *d == document => Ok(false),
            Some(_) => Err(DocumentError::Conflict {
                id: document.id.to_string(),
            }),
            None => {
                self.documents.insert(document.id.clone(), document);
                Ok(true)
            }
        }
    }

    /// Adds or replaces a document.
    ///
    /// ```
    /// # use ebok_core::documents::{Audience, Document, DocumentBook, DocumentKind};
    /// # use time::macros::date;
    /// let mut b = DocumentBook::default();
    /// let d = Document::new("D", DocumentKind::Letter, "T", date!(2026 - 01 - 01), Audience::Everyone, &"0".repeat(64), "x")?;
    /// b.upsert(d.clone())?;
    /// b.upsert(Document { title: "U".into(), ..d })?;
    /// assert_eq!(b.iter().next().unwrap().title, "U");
    /// # Ok::<(), ebok_core::documents::DocumentError>(())
    /// ```
    pub fn upsert(&mut self, document: Document) -> Result<(), DocumentError> {
        document.validate()?;
        self.documents.insert(document.id.clone(), document);
        Ok(())
    }

    /// Removes a document.
    ///
    /// ```
    /// # use ebok_core::documents::{DocumentBook, DocumentId};
    /// assert!(DocumentBook::default().remove(&DocumentId::new("D")?).is_none());
    /// # Ok::<(), ebok_core::documents::DocumentError>(())
    /// ```
    pub fn remove(&mut self, id: &DocumentId) -> Option<Document> {
        self.documents.remove(id)
    }

    /// A document by id.
    ///
    /// ```
    /// # use ebok_core::documents::{DocumentBook, DocumentId};
    /// assert!(DocumentBook::default().get(&DocumentId::new("D")?).is_none());
    /// # Ok::<(), ebok_core::documents::DocumentError>(())
    /// ```
    pub fn get(&self, id: &DocumentId) -> Option<&Document> {
        self.documents.get(id)
    }

    /// Every document, by id.
    ///
    /// ```
    /// # use ebok_core::documents::DocumentBook;
    /// assert_eq!(DocumentBook::default().iter().count(), 0);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &Document> {
        self.documents.values()
    }

    /// The documents the holders of `premises` see within `visible`, oldest first.
    ///
    /// ```
    /// # use ebok_core::documents::DocumentBook;
    /// # use ebok_core::holders::{Interval, Intervals};
    /// # use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind};
    /// let p = Premises::new(PremisesId::new("1")?, PremisesKind::Flat, Area::parse("40")?);
    /// assert!(DocumentBook::default().visible(&p, &Intervals::merge([Interval::ALWAYS])).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn visible(&self, premises: &Premises, visible: &Intervals) -> Vec<&Document> {
        let mut docs: Vec<&Document> = self
            .documents
            .values()
            .filter(|d| d.visible_to(premises, visible))
            .collect();
        docs.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        docs
    }
}
