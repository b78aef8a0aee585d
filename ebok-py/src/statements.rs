//! Bank statements for Python: `ebok.read_statement` (MT940/MT942/camt), matching against a
//! cooperative's register, the bank book and pending payments. Converts and delegates to
//! `ebok_core::bank`.

use std::path::PathBuf;

use ebok_core::bank::statement::{
    BalanceLine, Dialect, Format, ReadOptions, Statement, StatementEntry, StatementError,
    StatementFile, TextEncoding, read_statements,
};
use ebok_core::bank::{
    BankBook, BankImportError, BankImportReport, BankRecord, Lookup, MatchOutcome,
    PendingPayment as CorePending, PendingPolicy, VirtualAccount, VirtualAccountRegister,
};
use ebok_core::ledger::Ledger;
use ebok_core::premises::{PremisesId, PremisesRegistry};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use rust_decimal::Decimal;
use time::Date;

use crate::convert::{InvalidValueError, NotFoundError, date, invalid, opt_date, text, value_err};
use crate::record;

pyo3::import_exception!(ebok.errors, StatementFormatError);
pyo3::import_exception!(ebok.errors, BankConflictError);

/// The largest statement file read from a path: the core's limit.
const MAX_BYTES: u64 = ebok_core::bank::statement::MAX_FILE_BYTES as u64;

record! {
    /// One entry of a bank statement.
    BankEntry {
        account: String,
        value_date: Date,
        booking_date: Option<Date>,
        side: String,
        reversal: bool,
        amount: Decimal,
        signed_amount: Decimal,
        currency: String,
        booked: bool,
        transaction_code: Option<String>,
        operation_code: Option<String>,
        bank_reference: Option<String>,
        customer_reference: Option<String>,
        counterparty_name: Option<String>,
        counterparty_account: Option<String>,
        title: Option<String>,
        virtual_account: Option<String>,
        payer_id: Option<String>,
        tnr: Option<String>,
        raw_details: String,
        counterparty_check: Option<String>,
        virtual_account_check: Option<String>,
    }
}

fn side(e: &StatementEntry) -> String {
    e.side.code().to_owned()
}

fn check(c: Option<ebok_core::bank::statement::AccountCheck>) -> Option<String> {
    c.map(|c| c.code().to_owned())
}

impl BankEntry {
    fn from_core(account: &str, e: &StatementEntry) -> BankEntry {
        BankEntry {
            account: account.to_owned(),
            value_date: e.value_date,
            booking_date: e.booking_date,
            side: side(e),
            reversal: e.reversal,
            amount: e.amount.to_decimal(),
            signed_amount: e.signed_amount().to_decimal(),
            currency: e.currency.to_string(),
            booked: e.booked,
            transaction_code: e.transaction_code.as_ref().map(ToString::to_string),
            operation_code: e.operation_code.as_ref().map(ToString::to_string),
            bank_reference: e.bank_reference.as_ref().map(ToString::to_string),
            customer_reference: e.customer_reference.as_ref().map(ToString::to_string),
            counterparty_name: e.counterparty_name.as_ref().map(ToString::to_string),
            counterparty_account: e.counterparty_account.as_ref().map(ToString::to_string),
            title: e.title.as_ref().map(ToString::to_string),
            virtual_account: e.virtual_account.as_ref().map(ToString::to_string),
            payer_id: e.payer_id.as_ref().map(ToString::to_string),
            tnr: e.tnr.as_ref().map(ToString::to_string),
            raw_details: e.raw_details.clone(),
            counterparty_check: check(e.counterparty_check),
            virtual_account_check: check(e.virtual_account_check),
        }
    }
}

record! {
    /// A balance line: signed amount (credit positive), date and currency.
    BankBalance {
        amount: Decimal,
        date: Date,
        currency: String,
    }
}

fn balance(b: &Option<BalanceLine>) -> Option<BankBalance> {
    b.as_ref().map(|b| BankBalance {
        amount: b.signed().to_decimal(),
        date: b.date,
        currency: b.currency.clone(),
    })
}

record! {
    /// One statement (or interim report) of one account.
    BankStatement {
        format: String,
        reference: String,
        id: Option<String>,
        account: String,
        number: Option<String>,
        sequence: Option<String>,
        currency: String,
        opening: Option<BankBalance>,
        closing: Option<BankBalance>,
        available: Option<BankBalance>,
        information: Option<String>,
        entries: Vec<BankEntry>,
        warnings: Vec<String>,
    }
}

impl From<&Statement> for BankStatement {
    fn from(s: &Statement) -> Self {
        BankStatement {
            format: s.format.code().to_owned(),
            reference: s.reference.clone(),
            id: s.id.clone(),
            account: s.account.clone(),
            number: s.number.clone(),
            sequence: s.sequence.clone(),
            currency: s.currency.clone(),
            opening: balance(&s.opening),
            closing: balance(&s.closing),
            available: balance(&s.available),
            information: s.information.clone(),
            entries: s
                .entries
                .iter()
                .map(|e| BankEntry::from_core(&s.account, e))
                .collect(),
            warnings: s.warnings.iter().map(ToString::to_string).collect(),
        }
    }
}

/// `ebok.StatementFile`: what one bank file held. `entries` flattens every statement;
/// `to_columns()` gives a dict of equal-length lists for `pandas.DataFrame` / `polars.DataFrame`.
#[pyclass(frozen, module = "ebok", name = "StatementFile")]
pub(crate) struct PyStatementFile {
    pub(crate) inner: StatementFile,
}

const COLUMNS: [&str; 22] = [
    "account",
    "value_date",
    "booking_date",
    "side",
    "reversal",
    "amount",
    "signed_amount",
    "currency",
    "booked",
    "transaction_code",
    "operation_code",
    "bank_reference",
    "customer_reference",
    "counterparty_name",
    "counterparty_account",
    "title",
    "virtual_account",
    "payer_id",
    "tnr",
    "raw_details",
    "counterparty_check",
    "virtual_account_check",
];

#[pymethods]
impl PyStatementFile {
    /// `mt940`, `mt942`, `camt.053` or `camt.054`.
    #[getter]
    fn format(&self) -> &'static str {
        self.inner.format.code()
    }

    /// `utf-8`, `cp1250` or `cp852`.
    #[getter]
    fn encoding(&self) -> &'static str {
        self.inner.encoding.name()
    }

    /// The `:86:` dialect (`mbank`, `ing`, `pko`, `pekao`, `generic`), or None for camt.
    #[getter]
    fn dialect(&self) -> Option<&'static str> {
        self.inner.dialect.map(Dialect::name)
    }

    /// The statements.
    #[getter]
    fn statements(&self) -> Vec<BankStatement> {
        self.inner
            .statements
            .iter()
            .map(BankStatement::from)
            .collect()
    }

    /// Every entry of every statement, in file order.
    #[getter]
    fn entries(&self) -> Vec<BankEntry> {
        self.inner
            .statements
            .iter()
            .flat_map(|s| {
                s.entries
                    .iter()
                    .map(|e| BankEntry::from_core(&s.account, e))
            })
            .collect()
    }

    /// The entries as columns: a dict of equal-length lists (amounts `Decimal`, dates `date`).
    fn to_columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let entries = self.entries();
        let d = PyDict::new(py);
        for name in COLUMNS {
            d.set_item(name, PyList::empty(py))?;
        }
        for e in &entries {
            let row = e.to_dict(py)?;
            for name in COLUMNS {
                let col = d.get_item(name)?.ok_or_else(|| value_err(name))?;
                col.cast::<PyList>()?.append(row.get_item(name)?)?;
            }
        }
        Ok(d)
    }

    fn __len__(&self) -> usize {
        self.inner.statements.iter().map(|s| s.entries.len()).sum()
    }

    fn __repr__(&self) -> String {
        format!(
            "StatementFile(format='{}', encoding='{}', dialect={}, statements={}, entries={})",
            self.format(),
            self.encoding(),
            self.dialect()
                .map_or("None".to_owned(), |d| format!("'{d}'")),
            self.inner.statements.len(),
            self.__len__()
        )
    }
}

/// The one place a statement error becomes a Python exception: `StatementFormatError`
/// (a `ValueError`) with `line` or `path`.
fn statement_error(py: Python<'_>, e: StatementError) -> PyErr {
    let (line, path) = (e.line(), e.xml_path().map(str::to_owned));
    match StatementFormatError::type_object(py).call1((e.to_string(), line, path)) {
        Ok(instance) => PyErr::from_value(instance),
        Err(err) => err,
    }
}

use pyo3::PyTypeInfo;

/// Reads a bank statement file: bytes, or a path (`str` / `os.PathLike`). `dialect`
/// (`mbank`, `ing`, `pko`, `pekao`, `generic`), `encoding` (`utf-8`, `cp1250`, `cp852`) and
/// `format` (`mt940`, `mt942`, `camt.053`, `camt.054`) are detected when None. The entries
/// of a large MT940 file are built on `threads` threads (None: every core; 1: this thread
/// only); the result is the same for any number. Raises
/// `StatementFormatError` naming the line or the XML path.
#[pyfunction]
#[pyo3(signature = (source, dialect=None, encoding=None, format=None, threads=None))]
pub(crate) fn read_statement(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    dialect: Option<&str>,
    encoding: Option<&str>,
    format: Option<&str>,
    threads: Option<usize>,
) -> PyResult<PyStatementFile> {
    let options = ReadOptions {
        dialect: dialect
            .map(|d| {
                d.parse::<Dialect>()
                    .map_err(|e| invalid("dialect", None, d, e))
            })
            .transpose()?,
        encoding: encoding
            .map(|d| {
                d.parse::<TextEncoding>()
                    .map_err(|e| invalid("encoding", None, d, e))
            })
            .transpose()?,
        format: format.map(parse_format).transpose()?,
        // A reconciliation script reads big files: every core of the machine (the GIL is
        // released while the core reads).
        threads: threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        }),
    };
    // Bytes are read in place (Python `bytes` are immutable); a path is read here, not in the core.
    let owned: Vec<u8>;
    let bytes: &[u8] = if let Ok(b) = source.cast::<PyBytes>() {
        b.as_bytes()
    } else {
        let path: PathBuf = source.extract().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err("source: expected bytes or a path")
        })?;
        let meta = std::fs::metadata(&path)
            .map_err(|e| NotFoundError::new_err(format!("{}: {e}", path.display())))?;
        if !meta.is_file() || meta.len() > MAX_BYTES {
            return Err(InvalidValueError::new_err(format!(
                "{}: not a regular file of at most {MAX_BYTES} bytes",
                path.display()
            )));
        }
        owned = std::fs::read(&path)
            .map_err(|e| NotFoundError::new_err(format!("{}: {e}", path.display())))?;
        &owned
    };
    let inner = py
        .detach(|| read_statements(bytes, &options))
        .map_err(|e| statement_error(py, e))?;
    Ok(PyStatementFile { inner })
}

fn parse_format(f: &str) -> PyResult<Format> {
    match f.to_ascii_lowercase().as_str() {
        "mt940" => Ok(Format::Mt940),
        "mt942" => Ok(Format::Mt942),
        "camt.053" | "camt053" => Ok(Format::Camt053),
        "camt.054" | "camt054" => Ok(Format::Camt054),
        _ => Err(invalid(
            "format",
            None,
            f,
            "expected mt940, mt942, camt.053 or camt.054",
        )),
    }
}

record! {
    /// One entry of the bank book with its match: `outcome` is `matched`, `ambiguous`,
    /// `unmatched` or `not_incoming`; `premises` and `matched_by` for a match, `candidates` and
    /// `reason` (Polish) otherwise.
    BankMatch {
        key: String,
        entry: BankEntry,
        outcome: String,
        premises: Option<String>,
        matched_by: Option<String>,
        candidates: Vec<String>,
        reason: Option<String>,
        is_final: bool,
        imported_on: Option<Date>,
        returned_by: Option<String>,
        returns: Option<String>,
    }
}

fn bank_match(account: &str, entry: &StatementEntry, outcome: &MatchOutcome) -> BankMatch {
    let (premises, matched_by, candidates, reason) = match outcome {
        MatchOutcome::Matched { premises, by } => (
            Some(premises.to_string()),
            Some(by.code().to_owned()),
            vec![],
            None,
        ),
        MatchOutcome::Ambiguous { candidates, reason } => (
            None,
            None,
            candidates.iter().map(ToString::to_string).collect(),
            Some(reason.message_pl().to_owned()),
        ),
        MatchOutcome::Unmatched { reason } => {
            (None, None, vec![], Some(reason.message_pl().to_owned()))
        }
        _ => (None, None, vec![], None),
    };
    BankMatch {
        key: String::new(),
        entry: BankEntry::from_core(account, entry),
        outcome: outcome.code().to_owned(),
        premises,
        matched_by,
        candidates,
        reason,
        is_final: true,
        imported_on: None,
        returned_by: None,
        returns: None,
    }
}

pub(crate) fn record_of(r: &BankRecord) -> BankMatch {
    BankMatch {
        key: r.key.to_string(),
        is_final: r.is_final,
        imported_on: Some(r.imported_on),
        returned_by: r.returned_by.as_ref().map(ToString::to_string),
        returns: r.returns.as_ref().map(ToString::to_string),
        ..bank_match(&r.key.account, &r.entry, &r.outcome)
    }
}

/// Matches every entry of `files` without recording anything.
pub(crate) fn match_files(
    register: &VirtualAccountRegister,
    registry: &PremisesRegistry,
    files: &[PyRef<'_, PyStatementFile>],
) -> Vec<BankMatch> {
    let ids: Vec<PremisesId> = registry.iter().map(|p| p.id.clone()).collect();
    let matcher = ebok_core::bank::Matcher::new(register, ids.iter());
    files
        .iter()
        .flat_map(|f| f.inner.statements.iter())
        .flat_map(|s| {
            s.entries
                .iter()
                .map(|e| bank_match(&s.account, e, &matcher.match_entry(e)))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `files`: one `StatementFile` or a list of them.
pub(crate) fn statement_files<'py>(
    files: &Bound<'py, PyAny>,
) -> PyResult<Vec<PyRef<'py, PyStatementFile>>> {
    if let Ok(one) = files.extract::<PyRef<'py, PyStatementFile>>() {
        return Ok(vec![one]);
    }
    files
        .try_iter()?
        .map(|f| {
            f?.extract::<PyRef<'py, PyStatementFile>>()
                .map_err(Into::into)
        })
        .collect()
}

/// Imports into the book; the report as a dict.
pub(crate) fn import_into<'py>(
    py: Python<'py>,
    book: &mut BankBook,
    register: &VirtualAccountRegister,
    registry: &PremisesRegistry,
    files: &[PyRef<'_, PyStatementFile>],
    imported_on: Date,
) -> PyResult<Bound<'py, PyDict>> {
    let statements: Vec<Statement> = files
        .iter()
        .flat_map(|f| f.inner.statements.iter().cloned())
        .collect();
    let ids: Vec<PremisesId> = registry.iter().map(|p| p.id.clone()).collect();
    let matcher = ebok_core::bank::Matcher::new(register, ids.iter());
    let report: BankImportReport =
        book.import(&statements, &matcher, imported_on)
            .map_err(|e| {
                let BankImportError::Conflict { key, field } = &e else {
                    return value_err(&e);
                };
                match BankConflictError::type_object(py).call1((
                    e.to_string(),
                    key.to_string(),
                    field.clone(),
                )) {
                    Ok(instance) => PyErr::from_value(instance),
                    Err(err) => err,
                }
            })?;
    let d = PyDict::new(py);
    d.set_item("added", report.added)?;
    d.set_item("replaced_interim", report.replaced_interim)?;
    d.set_item("unchanged", report.unchanged)?;
    d.set_item("matched", report.matched)?;
    d.set_item("ambiguous", report.ambiguous)?;
    d.set_item("unmatched", report.unmatched)?;
    d.set_item("not_incoming", report.not_incoming)?;
    d.set_item("returns_linked", report.returns_linked)?;
    d.set_item(
        "warnings",
        report
            .warnings
            .iter()
            .map(|(s, w)| format!("{s}: {w}"))
            .collect::<Vec<_>>(),
    )?;
    Ok(d)
}

record! {
    /// A payment the bank credited and the books have not posted yet.
    PendingPayment {
        premises: String,
        amount: Decimal,
        credited_on: Date,
        known_on: Date,
        bank_reference: Option<String>,
        title: Option<String>,
        payer: Option<String>,
        note_pl: String,
        note_en: String,
    }
}

impl From<&CorePending> for PendingPayment {
    fn from(p: &CorePending) -> Self {
        PendingPayment {
            premises: p.premises.to_string(),
            amount: p.amount.to_decimal(),
            credited_on: p.credited_on,
            known_on: p.known_on,
            bank_reference: p.bank_reference.clone(),
            title: p.title.clone(),
            payer: p.payer.clone(),
            note_pl: p.describe(ebok_core::messages::Language::Polish),
            note_en: p.describe(ebok_core::messages::Language::English),
        }
    }
}

/// A premises identifier the cooperative has registered (else `NotFoundError`).
pub(crate) fn registered_premises(
    registry: &PremisesRegistry,
    premises: &str,
) -> PyResult<PremisesId> {
    let id = crate::convert::premises_id(premises)?;
    if registry.get(&id).is_none() {
        return Err(NotFoundError::new_err(format!("no premises {premises}")));
    }
    Ok(id)
}

pub(crate) fn pending(
    book: &BankBook,
    ledger: &Ledger,
    id: &PremisesId,
    known_at: Option<Date>,
    window_days: u32,
) -> Vec<PendingPayment> {
    book.pending(
        id,
        ledger,
        known_at,
        &PendingPolicy {
            window_days,
            ..PendingPolicy::default()
        },
    )
    .iter()
    .map(PendingPayment::from)
    .collect()
}

/// The register from rows `(account, premises, valid_from, valid_to, payer_id)`; all or nothing.
pub(crate) fn register_from(
    registry: &PremisesRegistry,
    rows: &Bound<'_, PyAny>,
) -> PyResult<VirtualAccountRegister> {
    let mut out = Vec::new();
    for (i, row) in rows.try_iter()?.enumerate() {
        let row = row?;
        let n = row.len()?;
        if !(3..=5).contains(&n) {
            return Err(invalid(
                "row",
                Some(i),
                n,
                "expected (account, premises, valid_from[, valid_to[, payer_id]])",
            ));
        }
        let account: String = row.get_item(0)?.extract()?;
        let premises_raw = row.get_item(1)?;
        let premises = registered_premises(registry, text(&premises_raw, "premises", Some(i))?)?;
        let from = date(&row.get_item(2)?, "valid_from", Some(i))?;
        let to = if n > 3 {
            opt_date(Some(&row.get_item(3)?), "valid_to", Some(i))?
        } else {
            None
        };
        let payer: Option<String> = if n > 4 {
            row.get_item(4)?.extract()?
        } else {
            None
        };
        let v = VirtualAccount::new(&account, premises, from, to)
            .map_err(|e| invalid("account", Some(i), &account, e))?;
        out.push(v.with_payer_id(payer.as_deref().unwrap_or("")));
    }
    VirtualAccountRegister::from_rows(out).map_err(|errors| {
        value_err(
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

/// What the register says of an account on a day: the premises, or None.
pub(crate) fn lookup(
    register: &VirtualAccountRegister,
    account: &str,
    day: Date,
) -> Option<String> {
    match register.lookup(account, day) {
        Lookup::Valid(p) => Some(p.to_string()),
        _ => None,
    }
}
