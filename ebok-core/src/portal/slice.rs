//! The resident's slice: everything one login may see, in one self-contained document that a
//! host sends to a mobile app for offline use (JSON, schema in
//! `docs/resident-slice.schema.json`, or compact CBOR).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{MeterView, Relation, ResidentView, ScopeError, ViewOptions, WaterMonth};
use crate::cooperative::Cooperative;
use crate::documents::Document;
use crate::holders::Capability;
use crate::ledger::AccountLine;
use crate::messages::Language;
use crate::parameters::DatedValue;
use crate::premises::{LoginId, Premises};

/// A text in Polish and English.
///
/// ```
/// use ebok_core::portal::LocalizedText;
/// let t = LocalizedText { pl: "Saldo".into(), en: "Balance".into() };
/// assert_eq!(t.get(ebok_core::messages::Language::English), "Balance");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    /// Polish.
    pub pl: String,
    /// English.
    pub en: String,
}

impl LocalizedText {
    /// The text in `language`.
    ///
    /// ```
    /// # use ebok_core::portal::LocalizedText;
    /// let t = LocalizedText { pl: "a".into(), en: "b".into() };
    /// assert_eq!(t.get(ebok_core::messages::Language::Polish), "a");
    /// ```
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Polish => &self.pl,
            Language::English => &self.en,
        }
    }
}

/// What one login may see of one premises.
///
/// ```
/// use ebok_core::portal::PremisesSlice;
/// assert!(std::mem::size_of::<PremisesSlice>() > 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PremisesSlice {
    /// The premises.
    pub premises: Premises,
    /// The login's relations to it and what they allow.
    pub relations: Vec<Relation>,
    /// Balance, statements, payments, pending and upcoming entries, open items, bank payments
    /// on their way and the projected balance (when the login may see the account).
    pub view: Option<ResidentView>,
    /// The account lines of the view's period (when the login may see the account).
    pub account_lines: Vec<AccountLine>,
    /// The freshness note of the balance, in both languages (when the login may see the
    /// account).
    pub freshness_note: Option<LocalizedText>,
    /// Meters and their last readings (when the login may see readings).
    pub meters: Vec<MeterView>,
    /// Water used per month (when the login may see readings).
    pub water: Vec<WaterMonth>,
    /// Parameters over the login's days (when the login may see parameters).
    pub parameters: Vec<DatedValue>,
    /// Documents (when the login may see documents).
    pub documents: Vec<Document>,
}

/// Everything one login may see on a day: its premises and intervals, balances, statements,
/// account lines, pending payments, open items, readings, parameters, documents and the
/// freshness note. No other login's data is ever in it.
///
/// ```
/// use ebok_core::cooperative::Cooperative;
/// use ebok_core::portal::{ResidentSlice, ViewOptions};
/// use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
/// let coop: Cooperative = SyntheticCooperative::generate(&CooperativeConfig { premises: 3, ..CooperativeConfig::default() }).into();
/// let (login, _) = coop.registry.links().next().unwrap();
/// let today = coop.ledger.freshness(None).unwrap();
/// let slice = coop.resident_slice(login, today, None, &ViewOptions::default())?;
/// assert!(!slice.premises.is_empty());
/// let json = slice.to_json();
/// assert_eq!(ResidentSlice::from_json(&json)?, slice);
/// assert_eq!(ResidentSlice::from_cbor(&slice.to_cbor())?, slice);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentSlice {
    /// The format's version (1).
    pub format: u32,
    /// The cooperative's name.
    pub cooperative: String,
    /// The login.
    pub login: LoginId,
    /// The day the slice is for.
    pub as_of: Date,
    /// What the accounting system knew (none: everything posted so far).
    pub known_at: Option<Date>,
    /// The instant the last snapshot was current as of.
    #[serde(with = "time::serde::rfc3339::option")]
    pub data_current_as_of: Option<OffsetDateTime>,
    /// The premises the login holds on `as_of`, in identifier order.
    pub premises: Vec<PremisesSlice>,
}

/// A slice that could not be read back.
///
/// ```
/// use ebok_core::portal::ResidentSlice;
/// assert!(ResidentSlice::from_json("{}").is_err());
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SliceError {
    /// Not a slice in JSON.
    #[error("not a resident slice (JSON): {0}")]
    Json(#[from] serde_json::Error),
    /// Not a slice in CBOR.
    #[error("not a resident slice (CBOR): {0}")]
    Cbor(String),
    /// A format this version cannot read.
    #[error("resident slice format {0} is not supported (this version reads format 1)")]
    Format(u32),
}

impl ResidentSlice {
    /// The current format.
    pub const FORMAT: u32 = 1;

    /// The slice as JSON (the schema is `docs/resident-slice.schema.json`).
    ///
    /// ```
    /// # use ebok_core::portal::ResidentSlice;
    /// let s = ResidentSlice { format: 1, cooperative: "SM".into(), login: ebok_core::premises::LoginId::new("1234")?, as_of: time::macros::date!(2026 - 01 - 01), known_at: None, data_current_as_of: None, premises: vec![] };
    /// assert!(s.to_json().starts_with("{\"format\":1,"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a slice from JSON.
    ///
    /// ```
    /// # use ebok_core::portal::ResidentSlice;
    /// assert!(ResidentSlice::from_json("[]").is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<ResidentSlice, SliceError> {
        let s: ResidentSlice = serde_json::from_str(text)?;
        s.checked()
    }

    /// The slice as CBOR (RFC 8949): the same data, about half the size of the JSON.
    ///
    /// ```
    /// # use ebok_core::portal::ResidentSlice;
    /// let s = ResidentSlice { format: 1, cooperative: "SM".into(), login: ebok_core::premises::LoginId::new("1234")?, as_of: time::macros::date!(2026 - 01 - 01), known_at: None, data_current_as_of: None, premises: vec![] };
    /// assert!(!s.to_cbor().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_cbor(&self) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing to a Vec cannot fail.
        let _written = ciborium::into_writer(self, &mut out).is_ok();
        out
    }

    /// Reads a slice from CBOR.
    ///
    /// ```
    /// # use ebok_core::portal::ResidentSlice;
    /// assert!(ResidentSlice::from_cbor(b"\xff").is_err());
    /// ```
    pub fn from_cbor(bytes: &[u8]) -> Result<ResidentSlice, SliceError> {
        let s: ResidentSlice =
            ciborium::from_reader(bytes).map_err(|e| SliceError::Cbor(e.to_string()))?;
        s.checked()
    }

    fn checked(self) -> Result<ResidentSlice, SliceError> {
        if self.format != Self::FORMAT {
            return Err(SliceError::Format(self.format));
        }
        Ok(self)
    }
}

/// A query the login may not make (it lacks the capability) gives nothing, not an error.
fn allowed<T>(result: Result<T, ScopeError>) -> Result<Option<T>, ScopeError> {
    match result {
        Err(ScopeError::NotFound) => Ok(None),
        other => other.map(Some),
    }
}

impl Cooperative {
    /// Everything `login` may see on `as_of`, as the accounting system knew it at `known_at`,
    /// for every premises it holds that day, each within its relations' days and capabilities
    /// ([`Cooperative::resident_view`], [`Cooperative::account_lines_for`],
    /// [`Cooperative::parameters_for`], [`Cooperative::documents_for`]). A login that holds
    /// nothing that day gets an empty slice (the same as an unknown login).
    ///
    /// ```
    /// use ebok_core::cooperative::Cooperative;
    /// use ebok_core::portal::ViewOptions;
    /// use ebok_core::premises::LoginId;
    /// let s = Cooperative::default().resident_slice(&LoginId::new("1234")?, time::macros::date!(2026 - 01 - 01), None, &ViewOptions::default())?;
    /// assert!(s.premises.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resident_slice(
        &self,
        login: &LoginId,
        as_of: Date,
        known_at: Option<Date>,
        options: &ViewOptions,
    ) -> Result<ResidentSlice, ScopeError> {
        let mut premises = Vec::new();
        for access in self.accesses(login, as_of) {
            let id = &access.premises;
            let Some(p) = self.registry.get(id) else {
                continue;
            };
            let view = allowed(self.resident_view(login, id, as_of, known_at, options))?;
            let account_lines = match &view {
                Some(v) => {
                    self.account_lines_for(login, id, Some(v.period_start()), as_of, known_at)?
                }
                None => Vec::new(),
            };
            let (meters, water) = match (&view, access.can(Capability::ViewReadings, as_of)) {
                (Some(v), true) => (v.meters.clone(), v.water.clone()),
                (None, true) => {
                    let v = ResidentView::build_on(
                        &self.ledger,
                        &crate::ledger::Ledger::new(),
                        p,
                        as_of,
                        known_at,
                        options,
                    )?
                    .with_meters_within(&self.meters, &access.intervals(Capability::ViewReadings));
                    (v.meters, v.water)
                }
                _ => (Vec::new(), Vec::new()),
            };
            let view = view.map(|mut v| {
                v.meters.clear();
                v.water.clear();
                v
            });
            premises.push(PremisesSlice {
                freshness_note: view.as_ref().map(|v| LocalizedText {
                    pl: v.freshness.message(Language::Polish),
                    en: v.freshness.message(Language::English),
                }),
                premises: p.clone(),
                relations: access.relations.clone(),
                view,
                account_lines,
                meters,
                water,
                parameters: allowed(self.parameters_for(login, id, as_of))?.unwrap_or_default(),
                documents: allowed(self.documents_for(login, id, as_of))?
                    .unwrap_or_default()
                    .into_iter()
                    .cloned()
                    .collect(),
            });
        }
        Ok(ResidentSlice {
            format: ResidentSlice::FORMAT,
            cooperative: self.name.clone(),
            login: login.clone(),
            as_of,
            known_at,
            data_current_as_of: self.current_as_of,
            premises,
        })
    }
}
