//! Data in columns: ledger entries and balances to and from Apache Arrow record batches
//! (feature `arrow`), so that pandas, polars, pyarrow, DuckDB, DataFusion or Spark take ebok's
//! data and give it back without a row-by-row toll.
//!
//! Money crosses as `decimal128(18, 2)` (exact grosze, never a float), days as `date32`,
//! kinds and premises as dictionary-encoded strings. On the way in, any string layout
//! (`utf8`, `large_utf8`, `utf8_view`, dictionaries of them) is accepted, and a decimal of
//! any scale whose values have at most two decimals; floats, timestamps, a third decimal and
//! nulls where a value is required are refused with the same typed, row-naming errors as
//! every other entry point ([`crate::ledger::BatchError`]), all or nothing.
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
mod entries;
mod premises;

pub use balances::balances_to_arrow;
pub use entries::{entries_from_arrow, entries_to_arrow, ledger_from_arrow, ledger_schema};
pub use premises::premises_to_arrow;

use arrow_array::{Array, ArrayRef, Date32Array, Decimal128Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use time::Date;

use crate::ledger::BatchError;

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
    let Some(a) = column(batch, name) else {
        return Ok(None);
    };
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
    let cast = arrow_cast::cast(a, &DataType::Utf8)
        .map_err(|e| wrong_type(name, a.data_type(), &e.to_string()))?;
    Ok(cast.as_any().downcast_ref::<StringArray>().cloned())
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

/// Money: a decimal column, as grosze; `Err(())` per value with more than two decimals.
struct MoneyColumn {
    values: Decimal128Array,
    /// 10^(scale − 2) when the scale is above 2 (the divisor to grosze), else 1.
    down: i128,
    /// 10^(2 − scale) when the scale is below 2 (the multiplier to grosze), else 1.
    up: i128,
}

impl MoneyColumn {
    fn of(batch: &RecordBatch, name: &str) -> Result<MoneyColumn, ColumnarError> {
        let a = column(batch, name).ok_or_else(|| ColumnarError::MissingColumn {
            column: name.to_owned(),
        })?;
        let expected =
            "decimal128 (exact money; floats are refused: 0.1 + 0.2 is not 0.3 in binary)";
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
            down: if scale > 2 { pow(scale - 2) } else { 1 },
            up: if scale < 2 { pow(2 - scale) } else { 1 },
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
