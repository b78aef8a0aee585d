//! `Portal`: one cooperative's data in the app, and the calls that read and change it.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::SystemTime;

use ebok_core::cooperative::Cooperative;
use ebok_core::interchange::{ImportOptions, SnapshotFiles};
use ebok_core::ledger::{Component, DocumentRef, EntryId, InsertMode, LedgerEntry};
use ebok_core::meters::{Legalization, Meter, Quantity, ValidationOptions};
use ebok_core::portal::ViewOptions;
use ebok_core::premises::{Area, LoginId, Premises, PremisesId};

use crate::error::{EbokError, RowProblem};
use crate::kinds::{EntryKind, PremisesKind, ReadingSource};
use crate::records::{
    AccountLine, Consumption, Entry, Freshness, ImportReport, Language, MeterKind, PremisesInfo,
    ReadingVerdict, ResidentView, balance, verdict,
};
use crate::types::{CalendarDate, Measure, Money, core_money};

/// A premises to register (lokal).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PremisesInput {
    /// The identifier.
    pub id: String,
    /// The kind of premises.
    pub kind: PremisesKind,
    /// Usable area in m².
    pub usable_area: Measure,
    /// The address.
    pub address: Option<String>,
}

/// An entry to post to a premises account (zapis).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EntryInput {
    /// A unique identifier (from the accounting system).
    pub id: String,
    /// The premises.
    pub premises: String,
    /// The kind of entry.
    pub kind: EntryKind,
    /// The amount, positive.
    pub amount: Money,
    /// The operation date.
    pub operation_date: CalendarDate,
    /// The charge component (for charges).
    pub component: Option<String>,
    /// The posting date; none while pending.
    pub posted_on: Option<CalendarDate>,
    /// The due date (for charges).
    pub due_date: Option<CalendarDate>,
    /// The document reference.
    pub document: Option<String>,
}

/// What a batch of entries did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct PostSummary {
    /// New entries.
    pub inserted: i64,
    /// Entries that were already there, identical.
    pub unchanged: i64,
}

/// A meter to register.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MeterInput {
    /// The serial number.
    pub serial: String,
    /// The kind.
    pub kind: MeterKind,
    /// The premises.
    pub premises: String,
    /// The day it was installed.
    pub installed_on: CalendarDate,
    /// Its state on that day.
    pub initial_reading: Measure,
    /// The legalization year or mark (`2021`, `M21`).
    pub legalization: Option<String>,
    /// Where it is.
    pub location: Option<String>,
}

/// What to pay by transfer for a premises on a day (dane do przelewu), with its payment code.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TransferInfo {
    /// The account, in groups of four.
    pub account: String,
    /// The recipient.
    pub recipient: String,
    /// The title.
    pub title: String,
    /// The amount due now, or none (nothing due, or in credit).
    pub amount: Option<Money>,
    /// Why there is no amount (nothing due, the credit), in English.
    pub notes: Vec<String>,
    /// The ZBP 2D payment code: its text and QR picture.
    pub code: crate::bank::PaymentCodeOut,
}

/// A snapshot import's outcome.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ImportSummary {
    /// The cooperative's name.
    pub cooperative: String,
    /// The instant the data are current as of.
    pub current_as_of: Option<SystemTime>,
    /// How many premises, entries, meters and readings the portal now holds.
    pub premises: i64,
    /// Entries.
    pub entries: i64,
    /// What the import did, record type by record type (the core's report).
    pub report: ImportReport,
}

/// One cooperative's data as the app holds them, with the resident's calls. Thread-safe.
#[derive(Debug, uniffi::Object)]
pub struct Portal {
    coop: RwLock<Cooperative>,
}

fn len(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn premises_id(p: &str) -> Result<PremisesId, EbokError> {
    PremisesId::new(p).map_err(|e| EbokError::invalid("premises", p, e))
}

fn row_problem(row: usize, field: &str, value: &str, reason: impl ToString) -> RowProblem {
    RowProblem {
        row: i64::try_from(row).unwrap_or(i64::MAX),
        field: field.to_owned(),
        value: value.chars().take(64).collect(),
        reason: reason.to_string(),
    }
}

fn entry(row: usize, e: EntryInput) -> Result<LedgerEntry, RowProblem> {
    let field =
        |f: ebok_core::ledger::FieldError| row_problem(row, f.field.name(), &f.value, &f.problem);
    Ok(LedgerEntry {
        id: EntryId::new(&e.id).map_err(field)?,
        premises: PremisesId::new(&e.premises)
            .map_err(|x| row_problem(row, "premises", &e.premises, x))?,
        kind: e.kind.into(),
        amount: core_money("amount", e.amount)
            .map_err(|x| row_problem(row, "amount", &e.amount.to_string(), x))?,
        component: e
            .component
            .as_deref()
            .map(Component::new)
            .transpose()
            .map_err(field)?,
        operation_date: e.operation_date,
        posted_on: e.posted_on,
        due_date: e.due_date,
        document: e
            .document
            .as_deref()
            .map(DocumentRef::new)
            .transpose()
            .map_err(field)?,
    })
}

impl Portal {
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Cooperative> {
        self.coop.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Cooperative> {
        self.coop.write().unwrap_or_else(PoisonError::into_inner)
    }
}

#[uniffi::export]
impl Portal {
    /// An empty portal for a cooperative.
    #[uniffi::constructor]
    pub fn new(name: String) -> Arc<Portal> {
        Arc::new(Portal {
            coop: RwLock::new(Cooperative {
                name,
                ..Cooperative::default()
            }),
        })
    }

    /// A portal loaded from a full snapshot of the accounting system: file name
    /// (`manifest.txt`, `premises.csv`, …) → bytes. All or nothing; every problem is listed.
    #[uniffi::constructor]
    pub fn from_snapshot(files: HashMap<String, Vec<u8>>) -> Result<Arc<Portal>, EbokError> {
        let portal = Portal {
            coop: RwLock::new(Cooperative::default()),
        };
        portal.import_snapshot(files)?;
        Ok(Arc::new(portal))
    }

    /// Applies a further snapshot, full or incremental (the nightly increment onto yesterday's
    /// state), and returns the core's report. All or nothing: a refused snapshot changes nothing.
    pub fn import_snapshot(
        &self,
        files: HashMap<String, Vec<u8>>,
    ) -> Result<ImportSummary, EbokError> {
        let mut files = files;
        let manifest = files
            .remove("manifest.txt")
            .ok_or_else(|| EbokError::SnapshotRefused {
                problems: vec![crate::error::SnapshotProblem {
                    file: "manifest.txt".to_owned(),
                    line: 0,
                    column: None,
                    value: String::new(),
                    reason: "is missing".to_owned(),
                }],
            })?;
        let mut snapshot = SnapshotFiles::new(manifest);
        for (name, bytes) in files {
            snapshot.insert(&name, bytes);
        }
        let mut coop = self.write();
        // Atomic in the core: a refused snapshot changes nothing.
        let report = coop.import(&snapshot, &ImportOptions::default())?;
        Ok(ImportSummary {
            cooperative: coop.name.clone(),
            current_as_of: coop.current_as_of.map(SystemTime::from),
            premises: len(coop.registry.len()),
            entries: len(coop.ledger.len()),
            report: (&report).into(),
        })
    }

    /// The cooperative's name.
    pub fn name(&self) -> String {
        self.read().name.clone()
    }

    /// Registers a premises.
    pub fn add_premises(&self, premises: PremisesInput) -> Result<(), EbokError> {
        let kind = premises.kind.into();
        let area = Area::new(premises.usable_area.0).map_err(|e| {
            EbokError::invalid("usable_area", &premises.usable_area.0.to_string(), e)
        })?;
        let mut p = Premises::new(premises_id(&premises.id)?, kind, area);
        p.address = premises.address;
        self.write().registry.add(p)?;
        Ok(())
    }

    /// Gives a login identifier access to a premises.
    pub fn link_login(&self, login: String, premises: String) -> Result<(), EbokError> {
        let l = LoginId::new(&login).map_err(|e| EbokError::invalid("login", &login, e))?;
        let p = premises_id(&premises)?;
        self.write().registry.link(&l, &p)?;
        Ok(())
    }

    /// The premises a login holds on `on`, in any role (its flats, garages …).
    pub fn premises_of_login(&self, login: String, on: CalendarDate) -> Vec<PremisesInfo> {
        let Ok(l) = LoginId::new(&login) else {
            return Vec::new();
        };
        let coop = self.read();
        coop.accesses(&l, on)
            .iter()
            .filter_map(|a| coop.registry.get(&a.premises))
            .map(PremisesInfo::from)
            .collect()
    }

    /// Posts entries to premises accounts, all or nothing; every bad row is reported. The
    /// identical entry again is a no-op; the same id with different content is refused.
    pub fn post_entries(&self, entries: Vec<EntryInput>) -> Result<PostSummary, EbokError> {
        let mut batch = Vec::with_capacity(entries.len());
        let mut problems = Vec::new();
        for (row, e) in entries.into_iter().enumerate() {
            match entry(row, e) {
                Ok(e) => batch.push(e),
                Err(p) => problems.push(p),
            }
        }
        if !problems.is_empty() {
            return Err(EbokError::BatchRefused { problems });
        }
        let r = self
            .write()
            .ledger
            .insert_batch(batch, InsertMode::Strict)?;
        Ok(PostSummary {
            inserted: len(r.inserted),
            unchanged: len(r.unchanged),
        })
    }

    /// Registers a meter.
    pub fn add_meter(&self, meter: MeterInput) -> Result<(), EbokError> {
        let initial = Quantity::from_decimal(meter.initial_reading.0)?;
        let mut m = Meter::new(
            &meter.serial,
            meter.kind.into(),
            premises_id(&meter.premises)?,
            meter.installed_on,
            initial,
        )?;
        m.location = meter.location;
        m.legalization = meter
            .legalization
            .map(|l| l.parse::<Legalization>())
            .transpose()?;
        self.write().meters.add_meter(m)?;
        Ok(())
    }

    /// Replaces a meter: the old one is removed on `on` with its final state and the new one
    /// installed with its initial state (same kind, premises and location).
    pub fn replace_meter(
        &self,
        old_serial: String,
        on: CalendarDate,
        final_reading: Measure,
        new_serial: String,
        new_initial_reading: Measure,
        legalization: Option<String>,
    ) -> Result<(), EbokError> {
        let mut coop = self.write();
        let serial: ebok_core::meters::MeterSerial = old_serial.parse()?;
        let old = coop
            .meters
            .meter(&serial)
            .cloned()
            .ok_or_else(|| EbokError::not_found(format!("meter {old_serial:?}")))?;
        let mut new = old.successor(
            &new_serial,
            on,
            Quantity::from_decimal(new_initial_reading.0)?,
        )?;
        new.legalization = legalization
            .map(|l| l.parse::<Legalization>())
            .transpose()?;
        coop.meters
            .replace_meter(&serial, on, Quantity::from_decimal(final_reading.0)?, new)?;
        Ok(())
    }

    /// Stores a reading from the cooperative's own sources (inspector, remote, estimated, norm).
    pub fn add_reading(
        &self,
        serial: String,
        date: CalendarDate,
        value: Measure,
        source: ReadingSource,
    ) -> Result<(), EbokError> {
        let r = ebok_core::meters::Reading::new(
            &serial,
            date,
            Quantity::from_decimal(value.0)?,
            source.into(),
        )?;
        self.write().meters.add_reading(r)?;
        Ok(())
    }

    /// The resident's view of one premises the login reaches, for `today`, as the accounting
    /// system knew it at `known_at` (none: everything posted so far), with `months` monthly
    /// statements and messages in `language`.
    pub fn resident_view(
        &self,
        login: String,
        premises: String,
        today: CalendarDate,
        known_at: Option<CalendarDate>,
        months: i32,
        language: Language,
    ) -> Result<ResidentView, EbokError> {
        if !(1..=120).contains(&months) {
            return Err(EbokError::invalid(
                "months",
                &months.to_string(),
                "must be 1 to 120",
            ));
        }
        let coop = self.read();
        let (l, p) = crate::holders::ids(&login, &premises)?;
        let options = ViewOptions {
            months: months.unsigned_abs(),
            ..ViewOptions::default()
        };
        let v = coop.resident_view(&l, &p, today, known_at, &options)?;
        let lines = coop.account_lines_for(&l, &p, Some(v.period_start()), today, known_at)?;
        Ok(view_record(&v, &lines, language))
    }

    /// What the resident can pay by transfer for a premises on `today`, to `account` (its
    /// virtual account or the cooperative's), with the ZBP 2D payment code and its QR picture:
    /// the amount due now, or none (nothing due, or in credit: see `notes`).
    #[allow(clippy::too_many_arguments)]
    pub fn transfer(
        &self,
        login: String,
        premises: String,
        today: CalendarDate,
        account: String,
        recipient: String,
        nip: Option<String>,
    ) -> Result<TransferInfo, EbokError> {
        let coop = self.read();
        let p = crate::holders::reachable(
            &coop,
            &login,
            &premises,
            ebok_core::holders::Capability::Pay,
            &[today],
        )?;
        let t = ebok_core::bank::TransferData::for_premises(
            &coop.ledger,
            &p.id,
            today,
            None,
            crate::bank::nrb(&account)?,
            &ebok_core::bank::TransferPolicy::new(&recipient),
            &ebok_core::settlement::SettlementPolicy::default(),
        )?;
        let code = crate::bank::code_out(&t, nip.as_deref())?;
        Ok(TransferInfo {
            account: t.account.to_string(),
            recipient: t.recipient_name.clone(),
            title: t.title.clone(),
            amount: t.amount.map(crate::types::money),
            notes: t.warnings.iter().map(ToString::to_string).collect(),
            code,
        })
    }

    /// Consumption of one kind over a period, across meter replacements.
    pub fn consumption(
        &self,
        login: String,
        premises: String,
        kind: MeterKind,
        from: CalendarDate,
        to: CalendarDate,
    ) -> Result<Consumption, EbokError> {
        if to < from {
            return Err(EbokError::invalid("to", &to.to_string(), "is before from"));
        }
        let coop = self.read();
        // Both ends within the login's days: a buyer does not measure the seller's use.
        let p = crate::holders::reachable(
            &coop,
            &login,
            &premises,
            ebok_core::holders::Capability::ViewReadings,
            &[from, to],
        )?;
        Ok((&coop.meters.consumption(&p.id, kind.into(), from, to)).into())
    }

    /// A reading the resident typed in (as typed: `131,789` or `131.789`): validated, and
    /// stored when accepted. The verdict says why not, in `language`. A reading above what the
    /// meter can pass is refused; one far above the usual use needs `confirmed` (the verdict's
    /// `needs_confirmation` says so).
    #[allow(clippy::too_many_arguments)]
    #[uniffi::method(default(confirmed = false))]
    pub fn submit_reading(
        &self,
        login: String,
        premises: String,
        serial: String,
        date: CalendarDate,
        value: String,
        today: CalendarDate,
        language: Language,
        confirmed: bool,
    ) -> Result<ReadingVerdict, EbokError> {
        // The core's gate: the login must hold the premises with the right to submit today
        // and on the reading's date.
        let (l, p) = crate::holders::ids(&login, &premises)?;
        let v = self.write().submit_reading(
            &l,
            &p,
            &serial,
            date,
            &value,
            &ValidationOptions {
                confirmed,
                ..ValidationOptions::new(today)
            },
        )?;
        Ok(verdict(&v, language))
    }
}

/// The app's record of a resident view (the core's view and its account lines).
pub(crate) fn view_record(
    v: &ebok_core::portal::ResidentView,
    lines: &[ebok_core::ledger::AccountLine],
    language: Language,
) -> ResidentView {
    let l = language.into();
    ResidentView {
        premises: PremisesInfo::from(&v.premises),
        today: v.today,
        known_at: v.known_at,
        balance: balance(v.balance, language),
        freshness: Freshness {
            posted_through: v.freshness.freshness,
            lag_days: v.freshness.lag_days.map(crate::records::days),
            sample_size: len(v.freshness.sample_size),
            window_days: crate::records::days(v.freshness.window_days),
            pending: len(v.freshness.pending),
            note: v.freshness.message(l),
        },
        arrears: (&v.settlement).into(),
        statements: v.statements.iter().map(Into::into).collect(),
        account_lines: lines.iter().map(AccountLine::from).collect(),
        payments: v.payments.iter().map(Into::into).collect(),
        pending: v.pending.iter().map(Entry::from).collect(),
        upcoming: v.upcoming.iter().map(Entry::from).collect(),
        meters: v.meters.iter().map(Into::into).collect(),
        water: v.water.iter().map(Into::into).collect(),
        notice: v.notice(l).to_owned(),
        bank_pending: v
            .bank_pending
            .iter()
            .map(|p| crate::statements::pending(p, l))
            .collect(),
        projected_balance: v.projected_balance.map(|b| balance(b, language)),
    }
}

/// The long calls, as `suspend` functions in Kotlin and `async` ones in Swift: each runs on a
/// thread of its own.
#[uniffi::export]
impl Portal {
    /// [`Portal::import_snapshot`] off the caller's thread (a snapshot of a large cooperative
    /// takes seconds).
    pub async fn import_snapshot_async(
        self: Arc<Self>,
        files: HashMap<String, Vec<u8>>,
    ) -> Result<ImportSummary, EbokError> {
        crate::background::off_thread(move || self.import_snapshot(files)).await
    }
}

/// [`Portal::from_snapshot`] off the caller's thread.
#[uniffi::export]
pub async fn portal_from_snapshot_async(
    files: HashMap<String, Vec<u8>>,
) -> Result<Arc<Portal>, EbokError> {
    crate::background::off_thread(move || Portal::from_snapshot(files)).await
}
