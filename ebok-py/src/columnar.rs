//! Arrow in and out through the Arrow PyCapsule interface (`__arrow_c_stream__`): the core's
//! `columnar` builds and reads the record batches; this file only hands them across (no copy
//! row by row), maps the core's errors to Python's, and gives the ledger, the meter book, a
//! bank file and the cooperative their whole-table methods (`…_to_arrow`).

use arrow_array::RecordBatch;
use ebok_core::columnar::ColumnarError;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use pyo3_arrow::PyTable;

use ebok_core::premises::PremisesId;

use crate::convert::{
    FloatNotAllowedError, InvalidValueError, date, opt_date, premises_id, value_err,
};
use crate::ledger::{PyLedger, month};
use crate::meters::PyMeterBook;
use crate::settlement::{PySettlementPolicy, policy_or_default};
use crate::snapshot::PyCooperative;
use crate::statements::PyStatementFile;

/// An arro3 `Table` (it has `__arrow_c_stream__`, so pyarrow, polars and DuckDB take it).
pub(crate) fn table(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyAny>> {
    let schema = batch.schema();
    let t = PyTable::try_new(vec![batch], schema)?;
    Ok(Bound::new(py, t)?.into_any())
}

/// The Arrow C stream of one batch, for `__arrow_c_stream__`.
pub(crate) fn stream<'py>(
    py: Python<'py>,
    batch: RecordBatch,
    requested_schema: Option<Bound<'py, PyCapsule>>,
) -> PyResult<Bound<'py, PyAny>> {
    table(py, batch)?.call_method1("__arrow_c_stream__", (requested_schema,))
}

/// The record batches of anything with `__arrow_c_stream__` (a pyarrow Table or
/// RecordBatchReader, a polars DataFrame, an arro3 Table, a DuckDB relation's arrow()).
pub(crate) fn batches(data: &Bound<'_, PyAny>) -> PyResult<Vec<RecordBatch>> {
    let t: PyTable = data.extract().map_err(|e| {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "expected Arrow data (an object with __arrow_c_stream__: a pyarrow Table, a polars DataFrame, …): {e}"
        ))
    })?;
    Ok(t.into_inner().0)
}

/// Bad values of a table other than ledger entries, as the `BatchError` of a batch of
/// entries (`entry_id` is the row's key, such as a meter serial; `field` the column).
fn values_error(py: Python<'_>, rows: &[ebok_core::columnar::ValueError], omitted: usize) -> PyErr {
    let first: Vec<String> = rows.iter().take(5).map(ToString::to_string).collect();
    crate::convert::rows_refused(
        py,
        format!(
            "batch refused: {} bad values; nothing was changed: {}",
            rows.len() + omitted,
            first.join("; ")
        ),
        rows.iter().map(|r| crate::convert::RefusedRow {
            row: r.row,
            key: &r.key,
            field: &r.column,
            value: &r.value,
            reason: r.problem.clone(),
        }),
    )
}

/// The one place a columnar error becomes a Python exception: a float money column is a
/// `FloatNotAllowedError` (a `TypeError`), another wrong type or a missing column an
/// `InvalidValueError`, bad rows a `BatchError` listing them.
pub(crate) fn columnar_error(py: Python<'_>, e: ColumnarError) -> PyErr {
    match e {
        ColumnarError::Rows(b) => crate::ledger::batch_error(py, &b),
        ColumnarError::Values { rows, omitted } => values_error(py, &rows, omitted),
        ColumnarError::WrongType { ref found, .. } if found.starts_with("Float") => {
            FloatNotAllowedError::new_err(e.to_string())
        }
        other => InvalidValueError::new_err(other.to_string()),
    }
}

/// The premises a whole-ledger table covers: every premises with entries when `None`, else
/// the listed ones (a single `str` is one premises).
fn selected(
    ledger: &ebok_core::ledger::Ledger,
    premises: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<PremisesId>> {
    let Some(p) = premises.filter(|p| !p.is_none()) else {
        return Ok(ledger.premises().cloned().collect());
    };
    if let Ok(one) = p.extract::<String>() {
        return Ok(vec![premises_id(&one)?]);
    }
    let many: Vec<String> = p.extract().map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err("premises: expected None, a str or a list of str")
    })?;
    many.iter().map(|p| premises_id(p)).collect()
}

/// Arrow tables of what the resident and the accountant read: one call for the whole
/// cooperative (or the listed premises), computed without the GIL, handed over without a copy.
#[pymethods]
impl PyLedger {
    /// Monthly statements of every premises (or the listed ones) from `first` to `last`, as
    /// an Arrow table: `premises`, `month` (its first day), `known_at`, `opening`, `charges`
    /// (a map component → amount), `charges_total`, `payments`, one column per other kind
    /// (`correction`, `interest`, `settlement`, `refund`, `opening_balance`) and `closing`,
    /// money as decimal128(18, 2).
    #[pyo3(signature = (first, last, known_at=None, premises=None))]
    fn statements_to_arrow<'py>(
        &self,
        py: Python<'py>,
        first: &Bound<'py, PyAny>,
        last: &Bound<'py, PyAny>,
        known_at: Option<&Bound<'py, PyAny>>,
        premises: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (f, l) = (month(first, "first")?, month(last, "last")?);
        let known_at = opt_date(known_at, "known_at", None)?;
        let ids = selected(&self.inner, premises)?;
        let ledger = &self.inner;
        let batch = py.detach(|| statements_batch(ledger, &ids, f, l, known_at));
        table(py, batch)
    }

    /// Account lines with their running balance, of every premises (or the listed ones),
    /// operation date from `start` (None: the beginning) to `end`, as an Arrow table:
    /// `premises`, `id`, `kind`, `operation_date`, `posted_on`, `due_date`, `component`,
    /// `document`, `amount`, `effect`, `running_balance`.
    #[pyo3(signature = (end, start=None, known_at=None, premises=None))]
    fn account_lines_to_arrow<'py>(
        &self,
        py: Python<'py>,
        end: &Bound<'py, PyAny>,
        start: Option<&Bound<'py, PyAny>>,
        known_at: Option<&Bound<'py, PyAny>>,
        premises: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let end = date(end, "end", None)?;
        let start = opt_date(start, "start", None)?;
        let known_at = opt_date(known_at, "known_at", None)?;
        let ids = selected(&self.inner, premises)?;
        let ledger = &self.inner;
        let batch = py.detach(|| account_lines_batch(ledger, &ids, start, end, known_at));
        table(py, batch)
    }

    /// The open items of every premises (or the listed ones) as of a day, as known on a day,
    /// under a policy, as an Arrow table: `premises`, `as_of`, `known_at`, `id`, `kind`,
    /// `component`, `operation_date`, `due_date`, `effective_due`, `original`,
    /// `outstanding`, `overdue_since`, `days_overdue`, `interest`.
    #[pyo3(signature = (as_of, known_at=None, policy=None, premises=None))]
    fn open_items_to_arrow<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
        known_at: Option<&Bound<'py, PyAny>>,
        policy: Option<PyRef<'py, PySettlementPolicy>>,
        premises: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let as_of = date(as_of, "as_of", None)?;
        let known_at = opt_date(known_at, "known_at", None)?;
        let policy = policy_or_default(policy.map(|p| (*p).clone()));
        let ids = selected(&self.inner, premises)?;
        let ledger = &self.inner;
        let batch = py
            .detach(|| open_items_batch(ledger, &ids, as_of, known_at, &policy))
            .map_err(value_err)?;
        table(py, batch)
    }

    /// Benchmark hook: times, in Rust, `repeat` runs each of the work behind
    /// `statements_to_arrow(first, last, known_at)`, `account_lines_to_arrow(as_of,
    /// known_at=known_at)` and `open_items_to_arrow(as_of, known_at)` for every premises; the
    /// seconds of each run, for comparison with the same calls from Python.
    #[pyo3(signature = (first, last, as_of, known_at=None, repeat=5))]
    fn _bench_views_rust(
        &self,
        py: Python<'_>,
        first: &Bound<'_, PyAny>,
        last: &Bound<'_, PyAny>,
        as_of: &Bound<'_, PyAny>,
        known_at: Option<&Bound<'_, PyAny>>,
        repeat: usize,
    ) -> PyResult<(Vec<f64>, Vec<f64>, Vec<f64>)> {
        let (f, l) = (month(first, "first")?, month(last, "last")?);
        let as_of = date(as_of, "as_of", None)?;
        let known_at = opt_date(known_at, "known_at", None)?;
        let ledger = &self.inner;
        let ids = selected(ledger, None)?;
        let policy = policy_or_default(None);
        py.detach(|| {
            let time = |f: &mut dyn FnMut()| -> Vec<f64> {
                (0..repeat)
                    .map(|_| {
                        let t = std::time::Instant::now();
                        f();
                        t.elapsed().as_secs_f64()
                    })
                    .collect()
            };
            let statements = time(&mut || {
                std::hint::black_box(statements_batch(ledger, &ids, f, l, known_at));
            });
            let lines = time(&mut || {
                std::hint::black_box(account_lines_batch(ledger, &ids, None, as_of, known_at));
            });
            let mut failed = None;
            let open = time(&mut || {
                if let Err(e) = open_items_batch(ledger, &ids, as_of, known_at, &policy) {
                    failed = Some(e);
                }
            });
            match failed {
                Some(e) => Err(value_err(e)),
                None => Ok((statements, lines, open)),
            }
        })
    }
}

/// The work behind `Ledger.statements_to_arrow` (shared with its benchmark hook).
fn statements_batch(
    ledger: &ebok_core::ledger::Ledger,
    ids: &[PremisesId],
    first: ebok_core::calendar::YearMonth,
    last: ebok_core::calendar::YearMonth,
    known_at: Option<time::Date>,
) -> RecordBatch {
    let all: Vec<_> = ids
        .iter()
        .flat_map(|p| ledger.statements(p, first, last, known_at))
        .collect();
    ebok_core::columnar::statements_to_arrow(&all)
}

/// The work behind `Ledger.account_lines_to_arrow`.
fn account_lines_batch(
    ledger: &ebok_core::ledger::Ledger,
    ids: &[PremisesId],
    start: Option<time::Date>,
    end: time::Date,
    known_at: Option<time::Date>,
) -> RecordBatch {
    let lines: Vec<_> = ids
        .iter()
        .map(|p| ledger.account_lines(p, start, end, known_at))
        .collect();
    ebok_core::columnar::account_lines_to_arrow(ids.iter().zip(lines.iter().map(Vec::as_slice)))
}

/// The work behind `Ledger.open_items_to_arrow`.
fn open_items_batch(
    ledger: &ebok_core::ledger::Ledger,
    ids: &[PremisesId],
    as_of: time::Date,
    known_at: Option<time::Date>,
    policy: &ebok_core::settlement::SettlementPolicy,
) -> Result<RecordBatch, ebok_core::settlement::SettlementError> {
    let all = ebok_core::settlement::open_items_of_many(ledger, ids, as_of, known_at, policy)?;
    Ok(ebok_core::columnar::open_items_to_arrow(&all))
}

#[pymethods]
impl PyMeterBook {
    /// Every reading as an Arrow table: `meter`, `premises`, `kind`, `date`, `value`
    /// (decimal128(15, 3)), `source`.
    fn readings_to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let book = &self.inner;
        let batch = py.detach(|| ebok_core::columnar::readings_to_arrow(book));
        table(py, batch)
    }

    /// Stores the readings of Arrow data (columns `meter`, `date`, `value` as a decimal with
    /// at most three decimals, `source`), all or nothing; returns how many were stored. A bad
    /// value, an unknown meter or a reading the hard checks refuse raises `BatchError` listing
    /// every row (`entry_id` is the meter's serial).
    fn add_readings_from_arrow(
        &mut self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
    ) -> PyResult<usize> {
        let batches = batches(data)?;
        let book = &mut self.inner;
        py.detach(|| ebok_core::columnar::add_readings_from_arrow(book, &batches))
            .map_err(|e| columnar_error(py, e))
    }
}

#[pymethods]
impl PyStatementFile {
    /// Every entry of every statement of the file as an Arrow table (`format`, `account`,
    /// `statement`, the entry's dates, side, amounts, references, counterparty, title and
    /// account checks).
    fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        table(
            py,
            ebok_core::columnar::bank_entries_to_arrow(&self.inner.statements),
        )
    }

    /// The Arrow PyCapsule stream of the entries (see `to_arrow`).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        stream(
            py,
            ebok_core::columnar::bank_entries_to_arrow(&self.inner.statements),
            requested_schema,
        )
    }
}

#[pymethods]
impl PyCooperative {
    /// The bank book's records with their match, as an Arrow table (the entry's columns,
    /// then `reference`, `final`, `imported_on`, `outcome`, `premises`, `returned_by`,
    /// `returns`).
    fn bank_records_to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        table(
            py,
            ebok_core::columnar::bank_records_to_arrow(self.core.bank.records()),
        )
    }
}
