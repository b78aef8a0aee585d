//! Arrow in and out through the Arrow PyCapsule interface (`__arrow_c_stream__`): the core's
//! `columnar` builds and reads the record batches; this file only hands them across (no copy
//! row by row) and maps the core's errors to Python's.

use arrow_array::RecordBatch;
use ebok_core::columnar::ColumnarError;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use pyo3_arrow::PyTable;

use crate::convert::{FloatNotAllowedError, InvalidValueError};

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

/// The one place a columnar error becomes a Python exception: a float money column is a
/// `FloatNotAllowedError` (a `TypeError`), another wrong type or a missing column an
/// `InvalidValueError`, bad rows a `BatchError` listing them.
pub(crate) fn columnar_error(py: Python<'_>, e: ColumnarError) -> PyErr {
    match e {
        ColumnarError::Rows(b) => crate::ledger::batch_error(py, &b),
        ColumnarError::WrongType { ref found, .. } if found.starts_with("Float") => {
            FloatNotAllowedError::new_err(e.to_string())
        }
        other => InvalidValueError::new_err(other.to_string()),
    }
}
