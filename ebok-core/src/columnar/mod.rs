//! Data in columns: Apache Arrow record batches (feature `arrow`), so that pandas, polars,
//! pyarrow, DuckDB, DataFusion or Spark take ebok's data and give it back without a
//! row-by-row toll.
//!
//! - Out: ledger entries, balances, the register of premises, monthly statements, account
//!   lines, open items, meter readings, bank statement entries and the bank book's records.
//! - In: ledger entries ([`ledger_from_arrow`]) and meter readings
//!   ([`add_readings_from_arrow`]), the two tables the accounting system and the meter
//!   readers produce. The others are computed by ebok from those (a statement read back
//!   would only repeat the ledger), and bank entries come from the bank's own files.
//!
//! Money crosses as `decimal128(18, 2)` (exact grosze, never a float), meter counters as
//! `decimal128(15, 3)`, days as `date32`, kinds, premises and components as
//! dictionary-encoded strings. On the way in, any string layout (`utf8`, `large_utf8`,
//! `utf8_view`, dictionaries of them) is accepted, and a decimal of any scale whose values
//! have no more decimals than the field holds; floats, timestamps, too many decimals and
//! nulls where a value is required are refused with typed errors naming the row, the column
//! and the value ([`crate::ledger::BatchError`] for entries, [`ValueError`]s for readings),
//! all or nothing.
//!
//! ```
//! use ebok_core::ledger::{Ledger, LedgerEntry, InsertMode};
//! use ebok_core::money::Money;
//! use time::macros::date;
//! let mut l = Ledger::new();
//! l.insert_batch(vec![LedgerEntry::payment("P1", "0756555", Money::parse("500.00")?, date!(2025 - 01 - 12))?], InsertMode::Strict)?;
//! let batch = ebok_core::columnar::entries_to_arrow(&l);
//! assert_eq!(batch.num_rows(), 1);
//! let back = ebok_core::columnar::ledger_from_arrow(&[batch])?;
//! assert_eq!(back.iter().collect::<Vec<_>>(), l.iter().collect::<Vec<_>>());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod balances;
mod bank;
mod entries;
mod open_items;
mod premises;
mod readings;
mod statements;

pub use balances::balances_to_arrow;
pub use bank::{bank_entries_to_arrow, bank_records_to_arrow};
pub use entries::{entries_from_arrow, entries_to_arrow, ledger_from_arrow, ledger_schema};
pub use open_items::open_items_to_arrow;
pub use premises::premises_to_arrow;
pub use readings::{add_readings_from_arrow, readings_from_arrow, readings_to_arrow};
pub use statements::{account_lines_to_arrow, statements_to_arrow};

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::ArrowDictionaryKeyType;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Decimal128Array, DictionaryArray, RecordBatch,
    StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use time::Date;

use crate::ledger::BatchError;
use crate::money::Money;

/// Why columns were refused. Nothing was changed.
///
/// ```
/// use ebok_core::columnar::ColumnarError;
/// let e = ColumnarError::MissingColumn { column: "amount".into() };
/// assert_eq!(e.to_string(), "column amount is missing");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ColumnarError {
    /// A required column is not there.
    #[error("column {column} is missing")]
    MissingColumn {
        /// The column's name.
        column: String,
    },
    /// A column has a type that cannot carry its values exactly.
    #[error("column {column}: {found} is not accepted; expected {expected}")]
    WrongType {
        /// The column's name.
        column: String,
        /// The Arrow type found.
        found: String,
        /// What is accepted.
        expected: String,
    },
    /// Values of rows were refused (every bad row listed, as for any batch).
    #[error(transparent)]
    Rows(#[from] BatchError),
    /// Values of rows of a table other than ledger entries (readings) were refused: every bad
    /// value of every row, at most [`BatchError::MAX_LISTED`], with a count of the rest.
    #[error("{} bad values; nothing was changed", rows.len() + omitted)]
    Values {
        /// The bad values, in row order.
        rows: Vec<ValueError>,
        /// How many more were found and not listed.
        omitted: usize,
    },
}

impl ColumnarError {
    /// The error of a list of bad values, listing at most [`BatchError::MAX_LISTED`].
    ///
    /// ```
    /// use ebok_core::columnar::{ColumnarError, ValueError};
    /// let bad = ValueError { row: 3, key: "ZW-1".into(), column: "value".into(), value: "1.0001".into(), problem: "has more than 3 decimals".into() };
    /// assert_eq!(ColumnarError::values(vec![bad]).to_string(), "1 bad values; nothing was changed");
    /// ```
    pub fn values(mut rows: Vec<ValueError>) -> ColumnarError {
        let omitted = crate::ledger::cap_listed(&mut rows, BatchError::MAX_LISTED);
        ColumnarError::Values { rows, omitted }
    }
}

/// One bad value of a row: which row (from 0, across the batches), the row's key (a meter
/// serial, …), the column, the value as text and what is wrong with it.
///
/// ```
/// use ebok_core::columnar::ValueError;
/// let e = ValueError { row: 0, key: "ZW-1".into(), column: "source".into(), value: "guess".into(), problem: "is not a reading source".into() };
/// assert_eq!(e.to_string(), "row 0 (ZW-1): source = \"guess\" is not a reading source");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("row {row} ({key}): {column} = {value:?} {problem}")]
pub struct ValueError {
    /// The row, from 0 across the batches.
    pub row: usize,
    /// The row's key as given (empty when it is the missing value).
    pub key: String,
    /// The column.
    pub column: String,
    /// The value as text (at most 80 characters; empty when missing).
    pub value: String,
    /// What is wrong.
    pub problem: String,
}

/// A record batch of named columns; the schema follows the arrays' types.
fn batch(columns: Vec<(&str, ArrayRef, bool)>) -> RecordBatch {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(name, a, nullable)| Field::new(*name, a.data_type().clone(), *nullable))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let arrays = columns.into_iter().map(|(_, a, _)| a).collect();
    // The columns are built row for row from one slice: their lengths agree.
    RecordBatch::try_new(Arc::clone(&schema), arrays)
        .unwrap_or_else(|_| RecordBatch::new_empty(schema))
}

/// Money as `decimal128(18, 2)`.
fn money(values: impl IntoIterator<Item = Money>) -> ArrayRef {
    let a: Decimal128Array = values.into_iter().map(|m| i128::from(m.grosze())).collect();
    Arc::new(decimals(a, 18, 2))
}

/// Days as `date32`.
fn days(values: impl IntoIterator<Item = Option<Date>>) -> ArrayRef {
    Arc::new(
        values
            .into_iter()
            .map(|d| d.map(date32))
            .collect::<Date32Array>(),
    )
}

/// Text as `utf8`.
fn text<'a>(values: impl IntoIterator<Item = Option<&'a str>>) -> ArrayRef {
    Arc::new(values.into_iter().collect::<StringArray>())
}

/// Text as a dictionary with keys `K`: only for values with fewer distinct values than `K`
/// holds (a closed set of codes with `Int8`; premises, components with `Int32`).
fn coded<'a, K: ArrowDictionaryKeyType>(
    values: impl IntoIterator<Item = Option<&'a str>>,
) -> ArrayRef {
    Arc::new(values.into_iter().collect::<DictionaryArray<K>>())
}

/// Flags as `bool`.
fn flags(values: impl IntoIterator<Item = bool>) -> ArrayRef {
    Arc::new(values.into_iter().map(Some).collect::<BooleanArray>())
}

/// Decimal values as `decimal128(precision, scale)`. The precisions and scales used here are
/// valid for decimal128, so the values come back typed; were one not, they would keep the
/// builder's default type and the batch's schema would refuse them.
fn decimals(
    values: arrow_array::Decimal128Array,
    precision: u8,
    scale: i8,
) -> arrow_array::Decimal128Array {
    values
        .clone()
        .with_precision_and_scale(precision, scale)
        .unwrap_or(values)
}

/// Days since 1970-01-01 (Arrow's `date32`).
pub(crate) fn date32(d: Date) -> i32 {
    d.to_julian_day() - UNIX_EPOCH_JULIAN_DAY
}

/// The day of a `date32` value, when it is one `time` can hold.
pub(crate) fn from_date32(days: i32) -> Option<Date> {
    days.checked_add(UNIX_EPOCH_JULIAN_DAY)
        .and_then(|j| Date::from_julian_day(j).ok())
}

const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

fn column<'a>(batch: &'a RecordBatch, name: &str) -> Option<&'a ArrayRef> {
    batch.column_by_name(name)
}

fn wrong_type(column: &str, found: &DataType, expected: &str) -> ColumnarError {
    ColumnarError::WrongType {
        column: column.to_owned(),
        found: found.to_string(),
        expected: expected.to_owned(),
    }
}

/// A string column in any layout, as `utf8` (dictionaries, large and view strings are cast).
fn strings(batch: &RecordBatch, name: &str) -> Result<Option<StringArray>, ColumnarError> {
    column(batch, name).map(|a| strings_of(a, name)).transpose()
}

/// A text column whose values are converted once per distinct value: a dictionary column's
/// values once each (the rows refer to them by key), a plain column's once per row. Row `i`
/// is `values[rows[i]]`, or null.
pub(crate) struct Decoded<T> {
    values: Vec<T>,
    rows: Vec<Option<u32>>,
}

impl<T> Decoded<T> {
    /// The column `name` decoded with `convert` (given the text); `None` when absent.
    fn of(
        batch: &RecordBatch,
        name: &str,
        convert: impl Fn(&str) -> T,
    ) -> Result<Option<Decoded<T>>, ColumnarError> {
        let Some(a) = column(batch, name) else {
            return Ok(None);
        };
        let nulls = a.logical_nulls();
        let is_null = |i: usize| nulls.as_ref().is_some_and(|n| n.is_null(i));
        if let Some(d) = a.as_any_dictionary_opt() {
            let values = strings_of(d.values(), name)?;
            if values.is_empty() {
                // No values (every key null, or no rows): `normalized_keys` would panic.
                return Ok(Some(Decoded {
                    values: Vec::new(),
                    rows: vec![None; a.len()],
                }));
            }
            // Dictionaries are small (a few kinds, premises, components): each value once.
            let decoded: Vec<T> = (0..values.len())
                .map(|v| {
                    convert(if values.is_null(v) {
                        ""
                    } else {
                        values.value(v)
                    })
                })
                .collect();
            let rows = d
                .normalized_keys()
                .into_iter()
                .enumerate()
                .map(|(i, k)| (!is_null(i)).then(|| u32::try_from(k).ok()).flatten())
                .collect();
            return Ok(Some(Decoded {
                values: decoded,
                rows,
            }));
        }
        let values = strings_of(a, name)?;
        let mut decoded = Vec::with_capacity(values.len());
        let mut rows = Vec::with_capacity(values.len());
        for i in 0..values.len() {
            if is_null(i) || values.is_null(i) {
                rows.push(None);
            } else {
                rows.push(u32::try_from(decoded.len()).ok());
                decoded.push(convert(values.value(i)));
            }
        }
        Ok(Some(Decoded {
            values: decoded,
            rows,
        }))
    }

    /// Row `i`'s value, or `None` when null.
    fn at(&self, i: usize) -> Option<&T> {
        self.rows
            .get(i)
            .copied()
            .flatten()
            .and_then(|v| self.values.get(v as usize))
    }
}

/// A text column read where it lies: `utf8`, `large_utf8` and `utf8_view` (polars' strings)
/// without a copy, anything else accepted by [`strings`] cast to `utf8`. For columns of
/// mostly distinct values (ids, documents), where a cast would copy every string.
pub(crate) enum Texts {
    Utf8(StringArray),
    Large(arrow_array::LargeStringArray),
    View(arrow_array::StringViewArray),
}

impl Texts {
    fn of(batch: &RecordBatch, name: &str) -> Result<Option<Texts>, ColumnarError> {
        let Some(a) = column(batch, name) else {
            return Ok(None);
        };
        Ok(Some(match a.data_type() {
            DataType::LargeUtf8 => Texts::Large(a.as_string::<i64>().clone()),
            DataType::Utf8View => Texts::View(a.as_string_view().clone()),
            _ => Texts::Utf8(strings_of(a, name)?),
        }))
    }

    /// Row `i`'s text, or `None` when null.
    fn at(&self, i: usize) -> Option<&str> {
        match self {
            Texts::Utf8(a) => (!a.is_null(i)).then(|| a.value(i)),
            Texts::Large(a) => (!a.is_null(i)).then(|| a.value(i)),
            Texts::View(a) => (!a.is_null(i)).then(|| a.value(i)),
        }
    }
}

/// An array of text in any layout as `utf8` (see [`strings`]).
fn strings_of(a: &ArrayRef, name: &str) -> Result<StringArray, ColumnarError> {
    let is_text =
        |t: &DataType| matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
    let ok = match a.data_type() {
        DataType::Dictionary(_, v) => is_text(v),
        DataType::Null => true,
        t => is_text(t),
    };
    if !ok {
        return Err(wrong_type(
            name,
            a.data_type(),
            "a string column (utf8, large_utf8, utf8_view or a dictionary of them)",
        ));
    }
    if let Some(s) = a.as_any().downcast_ref::<StringArray>() {
        return Ok(s.clone());
    }
    let cast = arrow_cast::cast(a, &DataType::Utf8)
        .map_err(|e| wrong_type(name, a.data_type(), &e.to_string()))?;
    cast.as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(|| wrong_type(name, a.data_type(), "utf8"))
}

/// A `date32` column (a timestamp is refused: a day is not an instant).
fn dates(batch: &RecordBatch, name: &str) -> Result<Option<Date32Array>, ColumnarError> {
    let Some(a) = column(batch, name) else {
        return Ok(None);
    };
    match a.data_type() {
        DataType::Date32 | DataType::Null => {
            let cast = arrow_cast::cast(a, &DataType::Date32)
                .map_err(|e| wrong_type(name, a.data_type(), &e.to_string()))?;
            Ok(cast.as_any().downcast_ref::<Date32Array>().cloned())
        }
        t => Err(wrong_type(
            name,
            t,
            "date32 (a calendar day; timestamps and strings are not days)",
        )),
    }
}

/// A column that must be there.
fn required<T>(column: Option<T>, name: &str) -> Result<T, ColumnarError> {
    column.ok_or_else(|| ColumnarError::MissingColumn {
        column: name.to_owned(),
    })
}

/// Money (or another exact quantity): a decimal column, as integer units of `10^-target`
/// (grosze for money); `Err` per value with more decimals than the target scale.
struct MoneyColumn {
    values: Decimal128Array,
    /// 10^(scale − target) when the scale is above the target (the divisor), else 1.
    down: i128,
    /// 10^(target − scale) when the scale is below the target (the multiplier), else 1.
    up: i128,
}

impl MoneyColumn {
    fn of(batch: &RecordBatch, name: &str) -> Result<MoneyColumn, ColumnarError> {
        MoneyColumn::scaled(batch, name, 2)
    }

    fn scaled(batch: &RecordBatch, name: &str, target: i32) -> Result<MoneyColumn, ColumnarError> {
        let a = column(batch, name).ok_or_else(|| ColumnarError::MissingColumn {
            column: name.to_owned(),
        })?;
        let expected = "decimal128 (exact; floats are refused: 0.1 + 0.2 is not 0.3 in binary)";
        let DataType::Decimal128(_, scale) = a.data_type() else {
            return Err(wrong_type(name, a.data_type(), expected));
        };
        let scale = i32::from(*scale);
        if !(-18..=18).contains(&scale) {
            return Err(wrong_type(name, a.data_type(), expected));
        }
        let values = a
            .as_any()
            .downcast_ref::<Decimal128Array>()
            .cloned()
            .ok_or_else(|| wrong_type(name, a.data_type(), expected))?;
        let pow = |n: i32| 10i128.pow(n.unsigned_abs());
        Ok(MoneyColumn {
            values,
            down: if scale > target {
                pow(scale - target)
            } else {
                1
            },
            up: if scale < target {
                pow(target - scale)
            } else {
                1
            },
        })
    }

    /// Row `i` in grosze: `None` when null; `Err` with the value's text when it has a third
    /// decimal or does not fit.
    fn grosze(&self, i: usize) -> Option<Result<i64, String>> {
        if self.values.is_null(i) {
            return None;
        }
        let v = self.values.value(i);
        let text = || self.values.value_as_string(i);
        if v % self.down != 0 {
            return Some(Err(text()));
        }
        Some(
            (v / self.down)
                .checked_mul(self.up)
                .and_then(|g| i64::try_from(g).ok())
                .ok_or_else(text),
        )
    }
}
