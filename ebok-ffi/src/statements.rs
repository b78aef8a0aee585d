//! Bank statements for Kotlin and Swift: reading MT940/MT942/camt files as typed records, and
//! the portal's bank book (the register of virtual accounts, importing statements, the credits
//! no premises could be matched to). Converts and delegates to `ebok_core::bank`.

use ebok_core::bank::statement::{
    self as core, BalanceLine, ReadOptions, StatementEntry, read_statements,
};
use ebok_core::bank::{
    BankRecord, MatchOutcome, PendingPayment, VirtualAccount, VirtualAccountRegister,
};
use ebok_core::premises::PremisesId;

use crate::error::EbokError;
use crate::portal::Portal;
use crate::types::{CalendarDate, Money, money};

/// The format of a statement file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum StatementFormat {
    /// SWIFT MT940, the end-of-day statement.
    Mt940,
    /// SWIFT MT942, an interim report.
    Mt942,
    /// ISO 20022 camt.053.
    Camt053,
    /// ISO 20022 camt.054.
    Camt054,
}

/// The text encoding of a statement file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum StatementEncoding {
    /// UTF-8.
    Utf8,
    /// Windows-1250.
    Cp1250,
    /// DOS code page 852 (ING).
    Cp852,
}

/// The `:86:` dialect of an MT940/MT942 file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum StatementDialect {
    /// mBank: labelled text.
    Mbank,
    /// ING: `~NN` subfields.
    Ing,
    /// PKO BP: `~NN` subfields, `˙` for empty ones.
    Pko,
    /// Pekao: `^NN` subfields.
    Pekao,
    /// Any other bank.
    Generic,
}

/// Credit (money in) or debit (money out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum EntrySide {
    /// Money in (uznanie).
    Credit,
    /// Money out (obciążenie).
    Debit,
}

/// A statement balance: signed (credit positive), with its date and currency.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BankBalance {
    /// The signed amount.
    pub amount: Money,
    /// The day.
    pub date: CalendarDate,
    /// The currency.
    pub currency: String,
}

/// One entry of a bank statement.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BankEntry {
    /// The value date: the day the account was credited or debited.
    pub value_date: CalendarDate,
    /// The booking date, when given.
    pub booking_date: Option<CalendarDate>,
    /// Credit or debit.
    pub side: EntrySide,
    /// Whether it reverses an earlier entry (storno).
    pub reversal: bool,
    /// The amount, never negative.
    pub amount: Money,
    /// The currency.
    pub currency: String,
    /// The bank's reference.
    pub bank_reference: Option<String>,
    /// The counterparty's name.
    pub counterparty_name: Option<String>,
    /// The counterparty's account.
    pub counterparty_account: Option<String>,
    /// The transfer's title.
    pub title: Option<String>,
    /// The cooperative's virtual account it was paid to.
    pub virtual_account: Option<String>,
    /// A payer identifier (mBank IPH).
    pub payer_id: Option<String>,
    /// The details as the bank wrote them.
    pub raw_details: String,
}

/// One statement of one account.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BankStatement {
    /// The format.
    pub format: StatementFormat,
    /// The message reference.
    pub reference: String,
    /// The account.
    pub account: String,
    /// The statement number.
    pub number: Option<String>,
    /// The currency.
    pub currency: String,
    /// The opening balance.
    pub opening: Option<BankBalance>,
    /// The closing balance.
    pub closing: Option<BankBalance>,
    /// The entries.
    pub entries: Vec<BankEntry>,
    /// Continuity warnings (balances that do not add up).
    pub warnings: Vec<String>,
}

/// What a statement file held.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct StatementFile {
    /// The format.
    pub format: StatementFormat,
    /// The encoding (detected or given).
    pub encoding: StatementEncoding,
    /// The dialect (MT940/942 only).
    pub dialect: Option<StatementDialect>,
    /// The statements.
    pub statements: Vec<BankStatement>,
}

fn format_of(f: core::Format) -> StatementFormat {
    match f {
        core::Format::Mt940 => StatementFormat::Mt940,
        core::Format::Mt942 => StatementFormat::Mt942,
        core::Format::Camt053 => StatementFormat::Camt053,
        _ => StatementFormat::Camt054,
    }
}

fn encoding_of(e: core::TextEncoding) -> StatementEncoding {
    match e {
        core::TextEncoding::Utf8 => StatementEncoding::Utf8,
        core::TextEncoding::Cp1250 => StatementEncoding::Cp1250,
        core::TextEncoding::Cp852 => StatementEncoding::Cp852,
    }
}

fn dialect_of(d: core::Dialect) -> StatementDialect {
    match d {
        core::Dialect::Mbank => StatementDialect::Mbank,
        core::Dialect::Ing => StatementDialect::Ing,
        core::Dialect::Pko => StatementDialect::Pko,
        core::Dialect::Pekao => StatementDialect::Pekao,
        _ => StatementDialect::Generic,
    }
}

fn balance(b: &Option<BalanceLine>) -> Option<BankBalance> {
    b.as_ref().map(|b| BankBalance {
        amount: money(b.signed()),
        date: b.date,
        currency: b.currency.clone(),
    })
}

pub(crate) fn entry(e: &StatementEntry) -> BankEntry {
    BankEntry {
        value_date: e.value_date,
        booking_date: e.booking_date,
        side: match e.side {
            core::Side::Credit => EntrySide::Credit,
            core::Side::Debit => EntrySide::Debit,
        },
        reversal: e.reversal,
        amount: money(e.amount),
        currency: e.currency.to_string(),
        bank_reference: e.bank_reference.as_ref().map(ToString::to_string),
        counterparty_name: e.counterparty_name.as_ref().map(ToString::to_string),
        counterparty_account: e.counterparty_account.as_ref().map(ToString::to_string),
        title: e.title.as_ref().map(ToString::to_string),
        virtual_account: e.virtual_account.as_ref().map(ToString::to_string),
        payer_id: e.payer_id.as_ref().map(ToString::to_string),
        raw_details: e.raw_details.clone(),
    }
}

fn file_of(f: &core::StatementFile) -> StatementFile {
    StatementFile {
        format: format_of(f.format),
        encoding: encoding_of(f.encoding),
        dialect: f.dialect.map(dialect_of),
        statements: f
            .statements
            .iter()
            .map(|s| BankStatement {
                format: format_of(s.format),
                reference: s.reference.clone(),
                account: s.account.clone(),
                number: s.number.clone(),
                currency: s.currency.clone(),
                opening: balance(&s.opening),
                closing: balance(&s.closing),
                entries: s.entries.iter().map(entry).collect(),
                warnings: s.warnings.iter().map(ToString::to_string).collect(),
            })
            .collect(),
    }
}

fn options(dialect: Option<StatementDialect>, encoding: Option<StatementEncoding>) -> ReadOptions {
    ReadOptions {
        dialect: dialect.map(|d| match d {
            StatementDialect::Mbank => core::Dialect::Mbank,
            StatementDialect::Ing => core::Dialect::Ing,
            StatementDialect::Pko => core::Dialect::Pko,
            StatementDialect::Pekao => core::Dialect::Pekao,
            StatementDialect::Generic => core::Dialect::Generic,
        }),
        encoding: encoding.map(|e| match e {
            StatementEncoding::Utf8 => core::TextEncoding::Utf8,
            StatementEncoding::Cp1250 => core::TextEncoding::Cp1250,
            StatementEncoding::Cp852 => core::TextEncoding::Cp852,
        }),
        format: None,
        // An app reads a statement now and then: on the calling thread.
        threads: 1,
    }
}

/// Reads a bank statement file (MT940, MT942, camt.053, camt.054); the dialect and the encoding
/// are detected when none.
#[uniffi::export(default(dialect = None, encoding = None))]
pub fn read_statement(
    bytes: Vec<u8>,
    dialect: Option<StatementDialect>,
    encoding: Option<StatementEncoding>,
) -> Result<StatementFile, EbokError> {
    let f = read_statements(&bytes, &options(dialect, encoding))?;
    Ok(file_of(&f))
}

/// A row of the register of virtual accounts.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct VirtualAccountInput {
    /// The account (26 digits, `PL` and spaces allowed).
    pub account: String,
    /// The premises.
    pub premises: String,
    /// The first day it belongs to the premises.
    pub valid_from: CalendarDate,
    /// The first day it no longer does (none: still does).
    pub valid_to: Option<CalendarDate>,
}

/// What importing a statement did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BankImportSummary {
    /// New entries.
    pub added: i64,
    /// Entries already in the book.
    pub unchanged: i64,
    /// Interim entries replaced by the final statement's.
    pub replaced_interim: i64,
    /// New credits matched to a premises.
    pub matched: i64,
    /// New credits for the clerk (no premises, or several).
    pub unresolved: i64,
    /// Continuity warnings.
    pub warnings: Vec<String>,
}

/// A credit the bank book could not give to exactly one premises.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct UnresolvedPayment {
    /// The entry.
    pub entry: BankEntry,
    /// The premises it could be for (empty: none found).
    pub candidates: Vec<String>,
    /// Why, in Polish.
    pub reason: String,
}

/// A payment the bank credited and the books have not posted yet.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BankPendingPayment {
    /// The amount.
    pub amount: Money,
    /// The bank's value date.
    pub credited_on: CalendarDate,
    /// The title.
    pub title: Option<String>,
    /// The line for the resident ("wpłata 500,00 zł z 3 grudnia 2026 r. — w drodze do księgowości").
    pub note: String,
}

pub(crate) fn pending(
    p: &PendingPayment,
    language: ebok_core::messages::Language,
) -> BankPendingPayment {
    BankPendingPayment {
        amount: money(p.amount),
        credited_on: p.credited_on,
        title: p.title.clone(),
        note: p.describe(language),
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn unresolved(r: &BankRecord) -> Option<UnresolvedPayment> {
    let (candidates, reason) = match &r.outcome {
        MatchOutcome::Ambiguous { candidates, reason } => (
            candidates.iter().map(ToString::to_string).collect(),
            reason.message_pl().to_owned(),
        ),
        MatchOutcome::Unmatched { reason } => (Vec::new(), reason.message_pl().to_owned()),
        _ => return None,
    };
    Some(UnresolvedPayment {
        entry: entry(&r.entry),
        candidates,
        reason,
    })
}

#[uniffi::export]
impl Portal {
    /// Replaces the register of virtual accounts; all or nothing (overlapping periods of one
    /// account and unknown premises are refused).
    pub fn set_virtual_accounts(&self, rows: Vec<VirtualAccountInput>) -> Result<(), EbokError> {
        let mut coop = self.write();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let p = PremisesId::new(&r.premises)
                .map_err(|e| EbokError::invalid("premises", &r.premises, e))?;
            if coop.registry.get(&p).is_none() {
                return Err(EbokError::not_found(format!("premises {}", r.premises)));
            }
            out.push(
                VirtualAccount::new(&r.account, p, r.valid_from, r.valid_to)
                    .map_err(|e| EbokError::invalid("account", &r.account, e))?,
            );
        }
        coop.virtual_accounts = VirtualAccountRegister::from_rows(out).map_err(|errors| {
            EbokError::invalid(
                "valid_from",
                "",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        Ok(())
    }

    /// Reads a statement file and imports it into the bank book on `imported_on`, all or
    /// nothing: each credit is matched once; the same file again changes nothing.
    pub fn import_bank_statement(
        &self,
        bytes: Vec<u8>,
        imported_on: CalendarDate,
    ) -> Result<BankImportSummary, EbokError> {
        let file = read_statements(&bytes, &ReadOptions::default())?;
        let report = self
            .write()
            .import_bank_statements(&file.statements, imported_on)?;
        Ok(BankImportSummary {
            added: count(report.added),
            unchanged: count(report.unchanged),
            replaced_interim: count(report.replaced_interim),
            matched: count(report.matched),
            unresolved: count(report.ambiguous + report.unmatched),
            warnings: report
                .warnings
                .iter()
                .map(|(s, w)| format!("{s}: {w}"))
                .collect(),
        })
    }

    /// The credits matched to no premises or to several: the clerk's queue.
    pub fn unresolved_payments(&self) -> Vec<UnresolvedPayment> {
        self.read()
            .bank
            .unresolved()
            .filter_map(unresolved)
            .collect()
    }
}
