//! Conversions at the Python boundary, and the one place core errors become Python exceptions.

use std::str::FromStr;

use ebok_core::money::{Money, MoneyError};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyType};
use pyo3::{IntoPyObjectExt, intern};
use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

pyo3::import_exception!(ebok.errors, EbokError);
pyo3::import_exception!(ebok.errors, InvalidValueError);
pyo3::import_exception!(ebok.errors, FloatNotAllowedError);
pyo3::import_exception!(ebok.errors, NaiveDatetimeError);
pyo3::import_exception!(ebok.errors, BatchError);
pyo3::import_exception!(ebok.errors, SnapshotError);
pyo3::import_exception!(ebok.errors, NotFoundError);
pyo3::import_exception!(ebok.errors, AccessDeniedError);
pyo3::import_exception!(ebok.errors, PasswordRejectedError);
pyo3::import_exception!(ebok.errors, PolicyError);

/// Where a value came from, for messages: "field amount (row 3)".
pub(crate) fn at(field: &str, row: Option<usize>) -> String {
    match row {
        Some(r) => format!("field {field} (row {r})"),
        None => format!("field {field}"),
    }
}

pub(crate) fn invalid(
    field: &str,
    row: Option<usize>,
    value: impl std::fmt::Display,
    reason: impl std::fmt::Display,
) -> PyErr {
    InvalidValueError::new_err(format!("{}: value {value}: {reason}", at(field, row)))
}

fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DECIMAL.import(py, "decimal", "Decimal")
}

fn date_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DATE.import(py, "datetime", "date")
}

/// Money from a `decimal.Decimal`, an `int` (whole złoty) or a `str` ("1 234,56"); a float is refused.
pub(crate) fn money(ob: &Bound<'_, PyAny>, field: &str, row: Option<usize>) -> PyResult<Money> {
    // The common case first: exactly a decimal.Decimal.
    if ob.get_type().is(decimal_type(ob.py())?) {
        let printed = ob.str()?;
        let text = printed.to_str()?;
        return match Money::parse(text) {
            Ok(m) => Ok(m),
            Err(first) => Decimal::from_str(text)
                .map_err(|_| invalid(field, row, text, &first))
                .and_then(|d| Money::from_decimal(d).map_err(|e| invalid(field, row, text, e))),
        };
    }
    if ob.is_instance_of::<PyFloat>() {
        return Err(FloatNotAllowedError::new_err(format!(
            "{}: value {} is a float, which cannot hold an exact amount; use decimal.Decimal",
            at(field, row),
            ob.repr()?
        )));
    }
    if ob.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!(
            "{}: a bool is not an amount",
            at(field, row)
        )));
    }
    if ob.is_instance_of::<PyInt>() {
        let whole: i64 = ob.extract().map_err(|_| {
            invalid(
                field,
                row,
                ob.repr().map(|r| r.to_string()).unwrap_or_default(),
                "out of range",
            )
        })?;
        return Money::from_grosze(0)
            .checked_add(Money::from_grosze(whole))
            .and_then(|m| m.checked_mul_int(100))
            .ok_or_else(|| invalid(field, row, whole, "out of range"));
    }
    let printed;
    let is_text = ob.is_instance_of::<PyString>();
    let text: &str = if let Ok(s) = ob.cast::<PyString>() {
        s.to_str()?
    } else if ob.is_instance(decimal_type(ob.py())?)? {
        printed = ob.str()?;
        printed.to_str()?
    } else {
        return Err(PyTypeError::new_err(format!(
            "{}: expected decimal.Decimal, int or str, got {}",
            at(field, row),
            ob.get_type().name()?
        )));
    };
    match Money::parse(text) {
        Ok(m) => Ok(m),
        // Text a person typed: "1.000" may be a thousand, so it is not read as a Decimal.
        Err(first @ MoneyError::Ambiguous { .. }) if is_text => {
            Err(invalid(field, row, text, &first))
        }
        // Decimal may print in exponent form ("1E+3"): read it exactly, then check the scale.
        Err(first) => Decimal::from_str(text)
            .map_err(|_| invalid(field, row, text, &first))
            .and_then(|d| Money::from_decimal(d).map_err(|e| invalid(field, row, text, e))),
    }
}

/// A `Decimal` for Python.
pub(crate) fn py_money<'py>(py: Python<'py>, m: Money) -> PyResult<Bound<'py, PyAny>> {
    m.to_decimal().into_bound_py_any(py)
}

/// The Julian day of 0001-01-01 minus one: `date.toordinal()` + this = Julian day.
const ORDINAL_TO_JULIAN: i32 = 1_721_425;

/// A calendar date from a `datetime.date`, or from a naive `datetime` at midnight (a pandas
/// `Timestamp` of a day, as `pd.to_datetime("2026-11-20")` gives). A naive `datetime` with a
/// time of day is refused (`InvalidValueError`: which day is meant is not guessed), and so is an
/// aware one (`TypeError`: an instant is a day only in some time zone; pass `.date()`).
pub(crate) fn date(ob: &Bound<'_, PyAny>, field: &str, row: Option<usize>) -> PyResult<Date> {
    // The common case first: exactly a datetime.date (one pointer comparison, where the
    // checks below cost an isinstance each).
    if !ob.get_type().is(date_type(ob.py())?) && ob.is_instance_of::<PyDateTime>() {
        let py = ob.py();
        if !ob.getattr(intern!(py, "tzinfo"))?.is_none() {
            return Err(PyTypeError::new_err(format!(
                "{}: expected a date, got a timezone-aware {} (an instant is a day only in some time zone; pass its .date())",
                at(field, row),
                ob.get_type().name()?
            )));
        }
        let mut time_of_day: u64 = 0;
        for part in ["hour", "minute", "second", "microsecond", "nanosecond"] {
            if let Ok(v) = ob.getattr(part) {
                time_of_day += v.extract::<u64>().unwrap_or(1);
            }
        }
        if time_of_day != 0 {
            return Err(invalid(
                field,
                row,
                ob.str()?,
                "is a moment with a time of day, not a day; pass a date (or the timestamp's .normalize()/.date())",
            ));
        }
        let d = ob.call_method0(intern!(py, "date"))?;
        return date(&d, field, row);
    }
    if !ob.get_type().is(date_type(ob.py())?) && !ob.is_instance_of::<PyDate>() {
        return Err(PyTypeError::new_err(format!(
            "{}: expected datetime.date, got {}",
            at(field, row),
            ob.get_type().name()?
        )));
    }
    let ordinal: i32 = ob.call_method0(intern!(ob.py(), "toordinal"))?.extract()?;
    let d = Date::from_julian_day(ordinal + ORDINAL_TO_JULIAN)
        .map_err(|e| invalid(field, row, ordinal, e))?;
    ebok_core::calendar::check_date(d).map_err(|e| invalid(field, row, d, e))
}

pub(crate) fn opt_date(
    ob: Option<&Bound<'_, PyAny>>,
    field: &str,
    row: Option<usize>,
) -> PyResult<Option<Date>> {
    match ob {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => date(o, field, row).map(Some),
    }
}

/// An instant from a timezone-aware `datetime`; a naive one is refused.
pub(crate) fn instant(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<OffsetDateTime> {
    if !ob.is_instance_of::<PyDateTime>() {
        return Err(PyTypeError::new_err(format!(
            "field {field}: expected a timezone-aware datetime.datetime"
        )));
    }
    if ob.getattr(intern!(ob.py(), "tzinfo"))?.is_none()
        || ob.call_method0(intern!(ob.py(), "utcoffset"))?.is_none()
    {
        return Err(NaiveDatetimeError::new_err(format!(
            "field {field}: {} has no time zone; pass an aware datetime (e.g. tzinfo=datetime.timezone.utc)",
            ob.repr()?
        )));
    }
    ob.extract::<OffsetDateTime>()
}

/// A required string.
pub(crate) fn text<'a>(
    ob: &'a Bound<'_, PyAny>,
    field: &str,
    row: Option<usize>,
) -> PyResult<&'a str> {
    ob.cast::<PyString>()
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "{}: expected str, got {}",
                at(field, row),
                ob.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?
        .to_str()
}

pub(crate) fn opt_text<'a>(
    ob: Option<&'a Bound<'_, PyAny>>,
    field: &str,
    row: Option<usize>,
) -> PyResult<Option<&'a str>> {
    match ob {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => text(o, field, row).map(|t| if t.is_empty() { None } else { Some(t) }),
    }
}

/// A premises identifier, checked.
pub(crate) fn premises_id(p: &str) -> PyResult<ebok_core::premises::PremisesId> {
    ebok_core::premises::PremisesId::new(p).map_err(|e| invalid("premises", None, p, e))
}

/// Any displayable core error as `InvalidValueError`.
pub(crate) fn value_err(e: impl std::fmt::Display) -> PyErr {
    InvalidValueError::new_err(e.to_string())
}

/// A list of dicts for an exception attribute.
pub(crate) fn dict_list<'py>(
    py: Python<'py>,
    rows: Vec<Vec<(&str, Bound<'py, PyAny>)>>,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for row in rows {
        let d = PyDict::new(py);
        for (k, v) in row {
            d.set_item(k, v)?;
        }
        list.append(d)?;
    }
    Ok(list)
}

/// Raises an exception class that takes (message, extra).
pub(crate) fn raise_with<'py, E: pyo3::PyTypeInfo>(
    py: Python<'py>,
    message: String,
    extra: Bound<'py, PyAny>,
) -> PyErr {
    match E::type_object(py).call1((message.clone(), extra)) {
        Ok(instance) => PyErr::from_value(instance),
        Err(e) => e,
    }
}

/// One refused row of a batch, as `BatchError.rows` lists it.
pub(crate) struct RefusedRow<'a> {
    pub(crate) row: usize,
    /// The row's key: an entry id, a meter serial.
    pub(crate) key: &'a str,
    pub(crate) field: &'a str,
    pub(crate) value: &'a str,
    pub(crate) reason: String,
}

/// A `BatchError` with `message` and its `rows` as dicts: `row`, `entry_id`, `field`,
/// `value`, `reason`.
pub(crate) fn rows_refused<'a>(
    py: Python<'_>,
    message: String,
    rows: impl Iterator<Item = RefusedRow<'a>>,
) -> PyErr {
    let rows: Vec<Vec<(&str, Bound<'_, PyAny>)>> = rows
        .map(|r| {
            vec![
                (
                    "row",
                    r.row
                        .into_bound_py_any(py)
                        .unwrap_or_else(|_| py.None().into_bound(py)),
                ),
                ("entry_id", PyString::new(py, r.key).into_any()),
                ("field", PyString::new(py, r.field).into_any()),
                ("value", PyString::new(py, r.value).into_any()),
                ("reason", PyString::new(py, &r.reason).into_any()),
            ]
        })
        .collect();
    match dict_list(py, rows) {
        Ok(list) => raise_with::<BatchError>(py, message, list.into_any()),
        Err(err) => err,
    }
}
