//! Holders over time and the resident's slice in the app: who holds which premises, and
//! everything one login may see, as typed records (readable offline from JSON or CBOR).

use std::time::SystemTime;

use ebok_core::cooperative::Cooperative;
use ebok_core::holders::{Capabilities, Holding, Interval};
use ebok_core::portal::ViewOptions;
use ebok_core::premises::{LoginId, Premises, PremisesId};

use crate::error::EbokError;
use crate::kinds::{DocumentKind, ParameterKind};
use crate::portal::{Portal, view_record};
use crate::records::{Language, MeterInfo, PremisesInfo, ResidentView, WaterMonth};
use crate::types::CalendarDate;

/// The relation of a person to a premises (rola).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Role {
    /// Owner (właściciel).
    Owner,
    /// Co-owner (współwłaściciel), with a share.
    CoOwner,
    /// Member of the cooperative (członek spółdzielni).
    Member,
    /// Tenant (najemca).
    Tenant,
    /// Proxy (pełnomocnik), with a scope and an end.
    Proxy,
    /// Heir (spadkobierca).
    Heir,
}

impl From<Role> for ebok_core::holders::Role {
    fn from(r: Role) -> Self {
        use ebok_core::holders::Role as R;
        match r {
            Role::Owner => R::Owner,
            Role::CoOwner => R::CoOwner,
            Role::Member => R::Member,
            Role::Tenant => R::Tenant,
            Role::Proxy => R::Proxy,
            Role::Heir => R::Heir,
        }
    }
}

impl From<ebok_core::holders::Role> for Role {
    fn from(r: ebok_core::holders::Role) -> Self {
        use ebok_core::holders::Role as R;
        match r {
            R::Owner => Role::Owner,
            R::CoOwner => Role::CoOwner,
            R::Member => Role::Member,
            R::Tenant => Role::Tenant,
            R::Proxy => Role::Proxy,
            // Roles added later read as the narrowest.
            _ => Role::Heir,
        }
    }
}

/// What a relation lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Capability {
    /// Balance, account, statements, payments, open items.
    ViewAccount,
    /// Parameters of the premises.
    ViewParameters,
    /// Meters and readings.
    ViewReadings,
    /// Submit a reading.
    SubmitReading,
    /// Documents.
    ViewDocuments,
    /// Transfer data and the payment code.
    Pay,
    /// Notices.
    ReceiveNotices,
}

impl From<Capability> for ebok_core::holders::Capability {
    fn from(c: Capability) -> Self {
        use ebok_core::holders::Capability as C;
        match c {
            Capability::ViewAccount => C::ViewAccount,
            Capability::ViewParameters => C::ViewParameters,
            Capability::ViewReadings => C::ViewReadings,
            Capability::SubmitReading => C::SubmitReading,
            Capability::ViewDocuments => C::ViewDocuments,
            Capability::Pay => C::Pay,
            Capability::ReceiveNotices => C::ReceiveNotices,
        }
    }
}

fn capability(c: ebok_core::holders::Capability) -> Option<Capability> {
    use ebok_core::holders::Capability as C;
    Some(match c {
        C::ViewAccount => Capability::ViewAccount,
        C::ViewParameters => Capability::ViewParameters,
        C::ViewReadings => Capability::ViewReadings,
        C::SubmitReading => Capability::SubmitReading,
        C::ViewDocuments => Capability::ViewDocuments,
        C::Pay => Capability::Pay,
        C::ReceiveNotices => Capability::ReceiveNotices,
        _ => return None,
    })
}

/// One relation of a login to a premises.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RelationInfo {
    /// The role.
    pub role: Role,
    /// The first day (none: since always).
    pub from: Option<CalendarDate>,
    /// The first day no longer covered (none: open).
    pub to: Option<CalendarDate>,
    /// What it allows.
    pub capabilities: Vec<Capability>,
    /// A co-owner's share (`1/2`).
    pub share: Option<String>,
}

impl From<&ebok_core::portal::Relation> for RelationInfo {
    fn from(r: &ebok_core::portal::Relation) -> Self {
        RelationInfo {
            role: r.role.into(),
            from: r.interval.from,
            to: r.interval.to,
            capabilities: r.capabilities.iter().filter_map(capability).collect(),
            share: r.share.map(|s| s.to_string()),
        }
    }
}

/// A relation to register (`holders.csv` row).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct HolderInput {
    /// The login identifier.
    pub login: String,
    /// The premises.
    pub premises: String,
    /// The role.
    pub role: Role,
    /// The first day (none: since always).
    pub from: Option<CalendarDate>,
    /// The first day no longer covered (none: open; required for a proxy).
    pub to: Option<CalendarDate>,
    /// A co-owner's share (`1/2`, `0.5`).
    pub share: Option<String>,
    /// A proxy's scope.
    pub scope: Option<Vec<Capability>>,
}

fn holding(h: HolderInput) -> Result<Holding, EbokError> {
    let login = LoginId::new(&h.login).map_err(|e| EbokError::invalid("login", &h.login, e))?;
    let premises =
        PremisesId::new(&h.premises).map_err(|e| EbokError::invalid("premises", &h.premises, e))?;
    let mut out = Holding::new(login, premises, h.role.into(), Interval::new(h.from, h.to)?);
    if let Some(share) = h.share {
        out = out.with_share(
            share
                .parse()
                .map_err(|e| EbokError::invalid("share", &share, e))?,
        );
    }
    if let Some(scope) = h.scope {
        let caps: Vec<ebok_core::holders::Capability> = scope.into_iter().map(Into::into).collect();
        out = out.with_scope(Capabilities::of(&caps));
    }
    out.validate()?;
    Ok(out)
}

/// One parameter value over the days it was in effect, in the resident's language.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ParameterInfo {
    /// The kind of parameter.
    pub kind: ParameterKind,
    /// Its name.
    pub name: String,
    /// The value as a reader writes it (`70,40 m²` in Polish).
    pub value: String,
    /// The first day in effect (within the login's days).
    pub from: CalendarDate,
    /// The first day no longer in effect, if any.
    pub to: Option<CalendarDate>,
}

fn parameter(d: &ebok_core::parameters::DatedValue, language: Language) -> ParameterInfo {
    let polish = matches!(language, Language::Polish);
    ParameterInfo {
        kind: d.kind.into(),
        name: if polish {
            d.kind.polish_name()
        } else {
            d.kind.english_name()
        }
        .to_owned(),
        value: if polish {
            d.value.polish()
        } else {
            d.value.to_string()
        },
        from: d.from,
        to: d.to,
    }
}

/// A document the resident may read.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DocumentInfo {
    /// The identifier.
    pub id: String,
    /// The kind of document.
    pub kind: DocumentKind,
    /// The title.
    pub title: String,
    /// The document's date.
    pub date: CalendarDate,
    /// SHA-256 of the content.
    pub sha256: String,
    /// Where the host finds the file.
    pub reference: String,
    /// For a fee-change notice: the day the change takes effect.
    pub effective_from: Option<CalendarDate>,
    /// For a fee-change notice: whether it was given in time (USM art. 4 ust. 7), in words.
    pub notice_verdict: Option<String>,
}

fn document(d: &ebok_core::documents::Document, language: Language) -> DocumentInfo {
    DocumentInfo {
        id: d.id.to_string(),
        kind: d.kind.into(),
        title: d.title.clone(),
        date: d.date,
        sha256: d.sha256.clone(),
        reference: d.reference.clone(),
        effective_from: d.effective_from,
        notice_verdict: d.notice_check(10).map(|c| c.message(language.into())),
    }
}

/// What one login may see of one premises.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PremisesSlice {
    /// The premises.
    pub premises: PremisesInfo,
    /// The login's relations to it.
    pub relations: Vec<RelationInfo>,
    /// Balance, statements, account lines, payments, open items (when it may see the account).
    pub view: Option<ResidentView>,
    /// Meters and their readings (when it may see readings).
    pub meters: Vec<MeterInfo>,
    /// Water per month (when it may see readings).
    pub water: Vec<WaterMonth>,
    /// Parameters over its days (when it may see them).
    pub parameters: Vec<ParameterInfo>,
    /// Documents (when it may see them).
    pub documents: Vec<DocumentInfo>,
}

/// Everything one login may see on a day, for offline use.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ResidentSlice {
    /// The cooperative.
    pub cooperative: String,
    /// The login.
    pub login: String,
    /// The day it is for.
    pub as_of: CalendarDate,
    /// What the accounting system knew (none: everything posted so far).
    pub known_at: Option<CalendarDate>,
    /// The instant the data were current as of.
    pub data_current_as_of: Option<SystemTime>,
    /// The premises it holds that day.
    pub premises: Vec<PremisesSlice>,
}

fn slice_record(s: &ebok_core::portal::ResidentSlice, language: Language) -> ResidentSlice {
    ResidentSlice {
        cooperative: s.cooperative.clone(),
        login: s.login.to_string(),
        as_of: s.as_of,
        known_at: s.known_at,
        data_current_as_of: s.data_current_as_of.map(SystemTime::from),
        premises: s
            .premises
            .iter()
            .map(|p| PremisesSlice {
                premises: PremisesInfo::from(&p.premises),
                relations: p.relations.iter().map(RelationInfo::from).collect(),
                view: p
                    .view
                    .as_ref()
                    .map(|v| view_record(v, &p.account_lines, language)),
                meters: p.meters.iter().map(Into::into).collect(),
                water: p.water.iter().map(Into::into).collect(),
                parameters: p
                    .parameters
                    .iter()
                    .map(|d| parameter(d, language))
                    .collect(),
                documents: p.documents.iter().map(|d| document(d, language)).collect(),
            })
            .collect(),
    }
}

/// Reads a slice the host sent as JSON (`docs/resident-slice.schema.json`) into typed records.
#[uniffi::export]
pub fn read_resident_slice_json(
    json: String,
    language: Language,
) -> Result<ResidentSlice, EbokError> {
    let s = ebok_core::portal::ResidentSlice::from_json(&json)
        .map_err(|e| EbokError::invalid("slice", "", e))?;
    Ok(slice_record(&s, language))
}

/// Reads a slice the host sent as CBOR into typed records.
#[uniffi::export]
pub fn read_resident_slice_cbor(
    bytes: Vec<u8>,
    language: Language,
) -> Result<ResidentSlice, EbokError> {
    let s = ebok_core::portal::ResidentSlice::from_cbor(&bytes)
        .map_err(|e| EbokError::invalid("slice", "", e))?;
    Ok(slice_record(&s, language))
}

/// What a change of holder did.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct HolderChangeSummary {
    /// The previous holders whose relation ended.
    pub ended: Vec<String>,
    /// The logins that need access created (identifier and one-time password at the office,
    /// activated within 48 hours).
    pub new_logins: Vec<String>,
}

/// The login and premises of a call, as the core's identifiers; a malformed one is NotFound,
/// like any premises the login does not hold (nothing tells them apart).
pub(crate) fn ids(login: &str, premises: &str) -> Result<(LoginId, PremisesId), EbokError> {
    let not_found = || EbokError::not_found(format!("premises {premises:?} for this login"));
    Ok((
        LoginId::new(login).map_err(|_| not_found())?,
        PremisesId::new(premises).map_err(|_| not_found())?,
    ))
}

/// The premises, when `login` may use `capability` for it on every day of `days`.
pub(crate) fn reachable(
    coop: &Cooperative,
    login: &str,
    premises: &str,
    capability: ebok_core::holders::Capability,
    days: &[CalendarDate],
) -> Result<Premises, EbokError> {
    let not_found = || EbokError::not_found(format!("premises {premises:?} for this login"));
    let (l, p) = ids(login, premises)?;
    let access = coop.access(&l, &p).ok_or_else(not_found)?;
    if !days.iter().all(|d| access.can(capability, *d)) {
        return Err(not_found());
    }
    coop.registry.get(&p).cloned().ok_or_else(not_found)
}

fn options(months: i32) -> Result<ViewOptions, EbokError> {
    if !(1..=120).contains(&months) {
        return Err(EbokError::invalid(
            "months",
            &months.to_string(),
            "must be 1 to 120",
        ));
    }
    Ok(ViewOptions {
        months: months.unsigned_abs(),
        ..ViewOptions::default()
    })
}

#[uniffi::export]
impl Portal {
    /// Registers a relation of a login to a premises (a tenant, a proxy, a co-owner …).
    pub fn add_holder(&self, holder: HolderInput) -> Result<(), EbokError> {
        let h = holding(holder)?;
        let mut coop = self.write();
        if coop.registry.get(&h.premises).is_none() {
            return Err(EbokError::not_found(format!(
                "premises {:?}",
                h.premises.as_str()
            )));
        }
        coop.holders.add(h)?;
        Ok(())
    }

    /// Changes the holder of `premises` on `on` (a sale, an inheritance): every relation holding
    /// that day ends there, `holders` start there. All or nothing.
    pub fn change_holder(
        &self,
        premises: String,
        on: CalendarDate,
        holders: Vec<HolderInput>,
    ) -> Result<HolderChangeSummary, EbokError> {
        let p =
            PremisesId::new(&premises).map_err(|e| EbokError::invalid("premises", &premises, e))?;
        let new = holders
            .into_iter()
            .map(holding)
            .collect::<Result<Vec<_>, _>>()?;
        let out = self.write().change_holder(&p, on, new, None)?;
        Ok(HolderChangeSummary {
            ended: out
                .change
                .ended
                .iter()
                .map(|h| h.login.to_string())
                .collect(),
            new_logins: out.new_logins.iter().map(ToString::to_string).collect(),
        })
    }

    /// The relations of `login` to `premises`, at any time.
    pub fn relations(&self, login: String, premises: String) -> Vec<RelationInfo> {
        let Ok((l, p)) = ids(&login, &premises) else {
            return Vec::new();
        };
        self.read()
            .access(&l, &p)
            .map(|a| a.relations.iter().map(RelationInfo::from).collect())
            .unwrap_or_default()
    }

    /// Everything `login` may see on `as_of`, as typed records.
    pub fn resident_slice(
        &self,
        login: String,
        as_of: CalendarDate,
        known_at: Option<CalendarDate>,
        months: i32,
        language: Language,
    ) -> Result<ResidentSlice, EbokError> {
        let s = self.core_slice(&login, as_of, known_at, months)?;
        Ok(slice_record(&s, language))
    }

    /// The same slice as JSON, for a host to send to an app.
    pub fn resident_slice_json(
        &self,
        login: String,
        as_of: CalendarDate,
        known_at: Option<CalendarDate>,
        months: i32,
    ) -> Result<String, EbokError> {
        Ok(self.core_slice(&login, as_of, known_at, months)?.to_json())
    }

    /// The same slice as CBOR (about half the size of the JSON).
    pub fn resident_slice_cbor(
        &self,
        login: String,
        as_of: CalendarDate,
        known_at: Option<CalendarDate>,
        months: i32,
    ) -> Result<Vec<u8>, EbokError> {
        Ok(self.core_slice(&login, as_of, known_at, months)?.to_cbor())
    }
}

impl Portal {
    fn core_slice(
        &self,
        login: &str,
        as_of: CalendarDate,
        known_at: Option<CalendarDate>,
        months: i32,
    ) -> Result<ebok_core::portal::ResidentSlice, EbokError> {
        let options = options(months)?;
        let l = LoginId::new(login).map_err(|e| EbokError::invalid("login", login, e))?;
        Ok(self.read().resident_slice(&l, as_of, known_at, &options)?)
    }
}
