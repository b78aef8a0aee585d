//! The records an app shows, mirrored from the core's types (the core stays free of uniffi).
//! Enumerations cross as stable codes (the same codes as the snapshot format and `ebok-py`).

use ebok_core::ledger as core_ledger;
use ebok_core::messages::Language as CoreLanguage;
use ebok_core::meters as core_meters;
use ebok_core::portal as core_portal;
use ebok_core::settlement as core_settlement;

use crate::kinds::{EntryKind, PremisesKind, ReadingSource, RecordType, SnapshotKind};
use crate::types::{CalendarDate, Measure, Money, money};

/// The language of resident-facing messages (język komunikatów).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Language {
    /// Polish, the residents' language.
    Polish,
    /// English.
    English,
}

impl From<Language> for CoreLanguage {
    fn from(l: Language) -> Self {
        match l {
            Language::Polish => CoreLanguage::Polish,
            Language::English => CoreLanguage::English,
        }
    }
}

/// A premises (lokal) as the app shows it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PremisesInfo {
    /// The identifier (numer lokalu w systemie).
    pub id: String,
    /// The kind of premises.
    pub kind: PremisesKind,
    /// The kind in Polish (mieszkanie, garaż, …).
    pub kind_pl: String,
    /// Usable area in m².
    pub usable_area: Measure,
    /// The legal title's code, if known.
    pub legal_title: Option<String>,
    /// The address, if known.
    pub address: Option<String>,
}

impl From<&ebok_core::premises::Premises> for PremisesInfo {
    fn from(p: &ebok_core::premises::Premises) -> Self {
        PremisesInfo {
            id: p.id.to_string(),
            kind: p.kind.into(),
            kind_pl: p.kind.polish_name().to_owned(),
            usable_area: Measure(p.usable_area.to_decimal()),
            legal_title: p.legal_title.map(|t| t.code().to_owned()),
            address: p.address.clone(),
        }
    }
}

/// Whether the resident owes, has overpaid or is settled (saldo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum BalanceState {
    /// The resident owes (zaległość / do zapłaty).
    Owed,
    /// The resident has paid in advance (nadpłata).
    Overpaid,
    /// Nothing either way.
    Settled,
}

/// A balance (saldo): the signed amount (positive = owed), its state and its words.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BalanceInfo {
    /// Positive = owed, negative = overpaid.
    pub amount: Money,
    /// The state.
    pub state: BalanceState,
    /// The balance in words in the requested language ("Do zapłaty: 1 234,56 zł").
    pub text: String,
}

pub(crate) fn balance(b: core_ledger::Balance, language: Language) -> BalanceInfo {
    BalanceInfo {
        amount: money(b.amount()),
        state: match b.state() {
            core_ledger::BalanceState::Owed(_) => BalanceState::Owed,
            core_ledger::BalanceState::Overpaid(_) => BalanceState::Overpaid,
            core_ledger::BalanceState::Settled => BalanceState::Settled,
        },
        text: match language {
            Language::Polish => b.polish().to_string(),
            Language::English => b.english().to_string(),
        },
    }
}

/// One entry of the premises account (zapis na koncie lokalu).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Entry {
    /// The identifier.
    pub id: String,
    /// The kind of entry.
    pub kind: EntryKind,
    /// The amount as given (positive).
    pub amount: Money,
    /// Its effect on the balance (positive = increases what is owed).
    pub effect: Money,
    /// The charge component, if any.
    pub component: Option<String>,
    /// The operation date (data operacji).
    pub operation_date: CalendarDate,
    /// The posting date (data księgowania); none while pending.
    pub posted_on: Option<CalendarDate>,
    /// The due date (termin płatności), for charges.
    pub due_date: Option<CalendarDate>,
    /// The document reference.
    pub document: Option<String>,
}

impl From<&core_ledger::LedgerEntry> for Entry {
    fn from(e: &core_ledger::LedgerEntry) -> Self {
        Entry {
            id: e.id.to_string(),
            kind: e.kind.into(),
            amount: money(e.amount),
            effect: money(e.effect()),
            component: e.component.as_ref().map(ToString::to_string),
            operation_date: e.operation_date,
            posted_on: e.posted_on,
            due_date: e.due_date,
            document: e.document.as_ref().map(ToString::to_string),
        }
    }
}

/// An amount under a name: a charge component or an entry kind.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NamedAmount {
    /// The component (eksploatacja, fundusz remontowy, …) or the kind code.
    pub name: String,
    /// The amount.
    pub amount: Money,
}

/// A monthly statement (zestawienie miesięczne).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Statement {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// The balance at the start of the month.
    pub opening: Money,
    /// Charges by component.
    pub charges: Vec<NamedAmount>,
    /// All charges.
    pub charges_total: Money,
    /// Payments credited in the month.
    pub payments: Money,
    /// Other entries (corrections, interest, …) by kind, as effects on the balance.
    pub other: Vec<NamedAmount>,
    /// The balance at the end of the month.
    pub closing: Money,
}

impl From<&core_ledger::MonthlyStatement> for Statement {
    fn from(s: &core_ledger::MonthlyStatement) -> Self {
        Statement {
            month: s.month.to_string(),
            opening: money(s.opening.amount()),
            charges: s
                .charges
                .iter()
                .map(|(c, m)| NamedAmount {
                    name: c.to_string(),
                    amount: money(*m),
                })
                .collect(),
            charges_total: money(s.charges_total),
            payments: money(s.payments),
            other: s
                .other
                .iter()
                .map(|(k, m)| NamedAmount {
                    name: k.code().to_owned(),
                    amount: money(*m),
                })
                .collect(),
            closing: money(s.closing.amount()),
        }
    }
}

/// A line of the premises account with the running balance after it (kartoteka).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AccountLine {
    /// The entry.
    pub entry: Entry,
    /// The balance after this line.
    pub running_balance: Money,
}

impl From<&core_ledger::AccountLine> for AccountLine {
    fn from(l: &core_ledger::AccountLine) -> Self {
        AccountLine {
            entry: Entry {
                id: l.id.to_string(),
                kind: l.kind.into(),
                amount: money(l.amount),
                effect: money(l.effect),
                component: l.component.as_ref().map(ToString::to_string),
                operation_date: l.operation_date,
                posted_on: l.posted_on,
                due_date: l.due_date,
                document: l.document.as_ref().map(ToString::to_string),
            },
            running_balance: money(l.running_balance.amount()),
        }
    }
}

/// A payment of the payment history (historia wpłat).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Payment {
    /// The identifier.
    pub id: String,
    /// The day the money was credited (data wpływu).
    pub credited_on: CalendarDate,
    /// The day it was posted.
    pub posted_on: Option<CalendarDate>,
    /// The amount.
    pub amount: Money,
    /// The document reference.
    pub document: Option<String>,
}

impl From<&core_ledger::PaymentRecord> for Payment {
    fn from(p: &core_ledger::PaymentRecord) -> Self {
        Payment {
            id: p.id.to_string(),
            credited_on: p.credited_on,
            posted_on: p.posted_on,
            amount: money(p.amount),
            document: p.document.as_ref().map(ToString::to_string),
        }
    }
}

/// How current the balance is and what may be missing from it (stan księgowań).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Freshness {
    /// The latest posting date the data hold.
    pub posted_through: Option<CalendarDate>,
    /// The 95th percentile of the payment posting lag, in days, when there is evidence.
    pub lag_days: Option<i32>,
    /// How many payments the estimate rests on.
    pub sample_size: i64,
    /// The estimation window in days.
    pub window_days: i32,
    /// How many entries of this premises await posting.
    pub pending: i64,
    /// The note in the requested language.
    pub note: String,
}

/// An open item: a debt not yet fully paid (pozycja nierozliczona).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct OpenItem {
    /// The entry.
    pub id: String,
    /// Its kind code.
    pub kind: EntryKind,
    /// The component, for a charge.
    pub component: Option<String>,
    /// The due date after the KC art. 115 shift.
    pub effective_due: CalendarDate,
    /// The original amount.
    pub original: Money,
    /// What is still owed.
    pub outstanding: Money,
    /// The first day of delay, if overdue.
    pub overdue_since: Option<CalendarDate>,
    /// Days overdue.
    pub days_overdue: i32,
    /// Statutory late interest accrued (odsetki ustawowe za opóźnienie).
    pub interest: Money,
}

impl From<&core_settlement::OpenItem> for OpenItem {
    fn from(i: &core_settlement::OpenItem) -> Self {
        OpenItem {
            id: i.id.to_string(),
            kind: i.kind.into(),
            component: i.component.as_ref().map(ToString::to_string),
            effective_due: i.effective_due,
            original: money(i.original),
            outstanding: money(i.outstanding),
            overdue_since: i.overdue_since,
            days_overdue: days(i.days_overdue),
            interest: money(i.interest),
        }
    }
}

/// Arrears and interest of a premises (zaległości i odsetki).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Arrears {
    /// What is overdue.
    pub arrears: Money,
    /// What is owed but not yet due.
    pub not_yet_due: Money,
    /// Credit not used against any debt.
    pub unused_credit: Money,
    /// Late interest accrued to the day of the view.
    pub interest_total: Money,
    /// The effective due date of the oldest overdue item.
    pub oldest_overdue: Option<CalendarDate>,
    /// The open items.
    pub items: Vec<OpenItem>,
}

impl From<&core_settlement::OpenItems> for Arrears {
    fn from(o: &core_settlement::OpenItems) -> Self {
        Arrears {
            arrears: money(o.arrears),
            not_yet_due: money(o.not_yet_due),
            unused_credit: money(o.unused_credit),
            interest_total: money(o.interest_total),
            oldest_overdue: o.oldest_overdue,
            items: o.items.iter().map(OpenItem::from).collect(),
        }
    }
}

/// The kind of a meter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum MeterKind {
    /// Cold water (ZW), m³.
    ColdWater,
    /// Hot water (CW), m³.
    HotWater,
    /// Heat meter (ciepłomierz), GJ.
    HeatMeter,
    /// Heat cost allocator (podzielnik), units.
    HeatCostAllocator,
}

impl From<MeterKind> for core_meters::MeterKind {
    fn from(k: MeterKind) -> Self {
        match k {
            MeterKind::ColdWater => core_meters::MeterKind::ColdWater,
            MeterKind::HotWater => core_meters::MeterKind::HotWater,
            MeterKind::HeatMeter => core_meters::MeterKind::HeatMeter,
            MeterKind::HeatCostAllocator => core_meters::MeterKind::HeatCostAllocator,
        }
    }
}

impl From<core_meters::MeterKind> for MeterKind {
    fn from(k: core_meters::MeterKind) -> Self {
        match k {
            core_meters::MeterKind::ColdWater => MeterKind::ColdWater,
            core_meters::MeterKind::HotWater => MeterKind::HotWater,
            core_meters::MeterKind::HeatMeter => MeterKind::HeatMeter,
            core_meters::MeterKind::HeatCostAllocator => MeterKind::HeatCostAllocator,
        }
    }
}

/// A reading (odczyt).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Reading {
    /// The meter's serial number.
    pub serial: String,
    /// The day of the reading.
    pub date: CalendarDate,
    /// The state.
    pub value: Measure,
    /// Who read it.
    pub source: ReadingSource,
}

impl From<&core_meters::Reading> for Reading {
    fn from(r: &core_meters::Reading) -> Self {
        Reading {
            serial: r.meter.to_string(),
            date: r.date,
            value: Measure(r.value.to_decimal()),
            source: r.source.into(),
        }
    }
}

/// A meter with its last readings and legalization (wodomierz).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MeterInfo {
    /// The serial number.
    pub serial: String,
    /// The kind.
    pub kind: MeterKind,
    /// Where it is (łazienka, kuchnia), if known.
    pub location: Option<String>,
    /// The day it was installed.
    pub installed_on: CalendarDate,
    /// The day it was removed, if replaced.
    pub removed_on: Option<CalendarDate>,
    /// The last readings, newest first.
    pub last_readings: Vec<Reading>,
    /// The last day its legalization is valid, if known.
    pub legalization_valid_through: Option<CalendarDate>,
    /// Whether the legalization has expired by the day of the view.
    pub legalization_expired: bool,
}

impl From<&core_portal::MeterView> for MeterInfo {
    fn from(m: &core_portal::MeterView) -> Self {
        MeterInfo {
            serial: m.meter.serial.to_string(),
            kind: m.meter.kind.into(),
            location: m.meter.location.clone(),
            installed_on: m.meter.installed_on,
            removed_on: m.meter.removed_on,
            last_readings: m.last_readings.iter().map(Reading::from).collect(),
            legalization_valid_through: m.legalization_valid_through,
            legalization_expired: m.legalization_expired,
        }
    }
}

/// One meter's share of a consumption.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ConsumptionPart {
    /// The meter.
    pub serial: String,
    /// From this day.
    pub from: CalendarDate,
    /// To this day.
    pub to: CalendarDate,
    /// How much.
    pub amount: Measure,
    /// Whether either end is an estimate.
    pub estimated: bool,
}

/// Consumption over a period, across meter replacements (zużycie).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Consumption {
    /// From this day.
    pub from: CalendarDate,
    /// To this day.
    pub to: CalendarDate,
    /// The total.
    pub total: Measure,
    /// Whether any part is estimated.
    pub estimated: bool,
    /// The parts, one per meter.
    pub parts: Vec<ConsumptionPart>,
}

impl From<&core_meters::Consumption> for Consumption {
    fn from(c: &core_meters::Consumption) -> Self {
        Consumption {
            from: c.from,
            to: c.to,
            total: Measure(c.total.to_decimal()),
            estimated: c.is_estimated(),
            parts: c
                .parts
                .iter()
                .map(|p| ConsumptionPart {
                    serial: p.meter.to_string(),
                    from: p.from,
                    to: p.to,
                    amount: Measure(p.amount.to_decimal()),
                    estimated: p.is_estimated(),
                })
                .collect(),
        }
    }
}

/// Water used in one month (zużycie wody w miesiącu).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WaterMonth {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Cold water, m³.
    pub cold: Measure,
    /// Hot water, m³.
    pub hot: Measure,
    /// Sewage (cold + hot), m³.
    pub sewage: Measure,
    /// Whether any part is estimated.
    pub estimated: bool,
}

impl From<&core_portal::WaterMonth> for WaterMonth {
    fn from(w: &core_portal::WaterMonth) -> Self {
        WaterMonth {
            month: w.month.to_string(),
            cold: Measure(w.cold.total.to_decimal()),
            hot: Measure(w.hot.total.to_decimal()),
            sewage: Measure(w.sewage.total.to_decimal()),
            estimated: w.sewage.is_estimated(),
        }
    }
}

/// The verdict on a reading a resident typed in (wynik weryfikacji odczytu).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReadingVerdict {
    /// Whether it was accepted (and stored).
    pub accepted: bool,
    /// Possible but far above the usual use (or a likely misplaced decimal point): not stored;
    /// submit again with `confirmed` to store it. The warnings say why.
    pub needs_confirmation: bool,
    /// Codes of the reasons it was refused.
    pub reasons: Vec<String>,
    /// Codes of the warnings it was accepted with.
    pub warnings: Vec<String>,
    /// The reasons or warnings for the resident, in the requested language.
    pub messages: Vec<String>,
}

pub(crate) fn verdict(v: &core_meters::Verdict, language: Language) -> ReadingVerdict {
    let l = language.into();
    match v {
        core_meters::Verdict::Rejected { reasons } => ReadingVerdict {
            accepted: false,
            needs_confirmation: false,
            reasons: reasons.iter().map(|r| r.code().to_owned()).collect(),
            warnings: vec![],
            messages: reasons.iter().map(|r| r.message(l)).collect(),
        },
        core_meters::Verdict::Accepted { warnings } => ReadingVerdict {
            accepted: true,
            needs_confirmation: false,
            reasons: vec![],
            warnings: warnings.iter().map(|w| w.code().to_owned()).collect(),
            messages: warnings.iter().map(|w| w.message(l)).collect(),
        },
        core_meters::Verdict::NeedsConfirmation { warnings } => ReadingVerdict {
            accepted: false,
            needs_confirmation: true,
            reasons: vec![],
            warnings: warnings.iter().map(|w| w.code().to_owned()).collect(),
            messages: warnings.iter().map(|w| w.message(l)).collect(),
        },
    }
}

/// Everything the app shows for one premises, in one call (widok lokalu w e-BOK).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ResidentView {
    /// The premises.
    pub premises: PremisesInfo,
    /// The day of the view.
    pub today: CalendarDate,
    /// What the accounting system knew (none: everything posted so far).
    pub known_at: Option<CalendarDate>,
    /// The balance as of `today`.
    pub balance: BalanceInfo,
    /// How current it is.
    pub freshness: Freshness,
    /// Arrears, open items and late interest to `today`.
    pub arrears: Arrears,
    /// Monthly statements, oldest first, ending with the current month.
    pub statements: Vec<Statement>,
    /// The account lines of the statement period, with running balances.
    pub account_lines: Vec<AccountLine>,
    /// Payments of the statement period, oldest first.
    pub payments: Vec<Payment>,
    /// Entries awaiting posting (not in the balance).
    pub pending: Vec<Entry>,
    /// Entries already booked with an operation date after `today` (next month's charge
    /// posted before the 1st): upcoming, not in the balance.
    pub upcoming: Vec<Entry>,
    /// The premises' meters.
    pub meters: Vec<MeterInfo>,
    /// Water per month of the statement period.
    pub water: Vec<WaterMonth>,
    /// The informational notice: the data are for information; whom to contact.
    pub notice: String,
    /// Payments the bank credited and the books have not posted yet.
    pub bank_pending: Vec<crate::statements::BankPendingPayment>,
    /// The balance projected with them (beside the posted `balance`).
    pub projected_balance: Option<BalanceInfo>,
}

/// The rules of using the e-BOK (zasady korzystania) in the resident's words, to show at
/// activation and on request.
#[uniffi::export]
pub fn terms_of_use(language: Language) -> Vec<String> {
    ebok_core::messages::terms_of_use(language.into())
        .iter()
        .map(|r| (*r).to_owned())
        .collect()
}

/// What one record type of a snapshot import did (liczniki importu).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecordCounts {
    /// The record type (one snapshot file).
    pub record_type: RecordType,
    /// New records.
    pub added: i64,
    /// Records with changed content.
    pub changed: i64,
    /// Records removed.
    pub removed: i64,
    /// Records already present as they are.
    pub unchanged: i64,
    /// The keys of the removed records.
    pub removed_keys: Vec<String>,
}

/// A control total checked after an import (saldo kontrolne).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ControlTotal {
    /// The premises; none for the grand total.
    pub premises: Option<String>,
    /// The accounting system's figure.
    pub expected: Money,
    /// The e-BOK's figure after the import.
    pub actual: Money,
    /// Whether they agree.
    pub matches: bool,
}

/// The report of a snapshot import, as the core gives it (raport importu).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ImportReport {
    /// Full or incremental (none when the report has no manifest kind).
    pub kind: Option<SnapshotKind>,
    /// Counts per record type, in the core's order.
    pub counts: Vec<RecordCounts>,
    /// Every control total checked.
    pub controls: Vec<ControlTotal>,
}

impl From<&ebok_core::interchange::ImportReport> for ImportReport {
    fn from(r: &ebok_core::interchange::ImportReport) -> Self {
        let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
        ImportReport {
            kind: r.kind.map(Into::into),
            counts: r
                .counts
                .iter()
                .map(|(t, c)| RecordCounts {
                    record_type: (*t).into(),
                    added: n(c.added),
                    changed: n(c.changed),
                    removed: n(c.removed),
                    unchanged: n(c.unchanged),
                    removed_keys: r.removed.get(t).cloned().unwrap_or_default(),
                })
                .collect(),
            controls: r
                .controls
                .iter()
                .map(|c| ControlTotal {
                    premises: c.premises.clone(),
                    expected: money(c.expected),
                    actual: money(c.actual),
                    matches: c.matches(),
                })
                .collect(),
        }
    }
}

/// A count of days for Kotlin and Swift (signed: no `UInt` in their API); never more than
/// `i32::MAX`.
pub(crate) fn days(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
