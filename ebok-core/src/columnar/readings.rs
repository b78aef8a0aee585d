//! Meter readings as an Arrow record batch, and back.

use std::sync::Arc;

use arrow_array::types::{Int8Type, Int32Type};
use arrow_array::{Array, Decimal128Array, RecordBatch};

use super::{
    ColumnarError, MoneyColumn, ValueError, batch, coded, dates, days, decimals, from_date32,
    required, strings, text,
};
use crate::calendar;
use crate::meters::{MeterBook, MeterError, MeterSerial, Quantity, Reading, ReadingSource};

/// Every reading of the book as a record batch, meter by meter and oldest first: `meter`
/// utf8, `premises` dictionary(int32, utf8) and `kind` dictionary(int8, utf8) (the meter's),
/// `date` date32, `value` decimal128(15, 3) (the counter, in m³ or the meter's unit),
/// `source` dictionary(int8, utf8) (the codes of [`ReadingSource::code`]).
///
/// ```
/// use ebok_core::meters::{Meter, MeterBook, MeterKind, Quantity, Reading, ReadingSource};
/// use ebok_core::premises::PremisesId;
/// use arrow_array::{Array, Decimal128Array};
/// use time::macros::date;
/// let mut b = MeterBook::new();
/// b.add_meter(Meter::new("ZW-1", MeterKind::ColdWater, PremisesId::new("12")?, date!(2021 - 03 - 01), Quantity::ZERO)?)?;
/// b.add_reading(Reading::new("ZW-1", date!(2025 - 06 - 30), Quantity::parse("131.789")?, ReadingSource::Inspector)?)?;
/// let t = ebok_core::columnar::readings_to_arrow(&b);
/// let v = t.column_by_name("value").unwrap().as_any().downcast_ref::<Decimal128Array>().unwrap();
/// assert_eq!(v.value_as_string(0), "131.789");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn readings_to_arrow(book: &MeterBook) -> RecordBatch {
    let rows: Vec<_> = book
        .meters()
        .flat_map(|m| book.readings_of(&m.serial).iter().map(move |r| (m, r)))
        .collect();
    let values: Decimal128Array = rows
        .iter()
        .map(|(_, r)| Some(i128::from(r.value.thousandths())))
        .collect();
    batch(vec![
        (
            "meter",
            text(rows.iter().map(|(m, _)| Some(m.serial.as_str()))),
            false,
        ),
        (
            "premises",
            coded::<Int32Type>(rows.iter().map(|(m, _)| Some(m.premises.as_str()))),
            false,
        ),
        (
            "kind",
            coded::<Int8Type>(rows.iter().map(|(m, _)| Some(m.kind.code()))),
            false,
        ),
        ("date", days(rows.iter().map(|(_, r)| Some(r.date))), false),
        ("value", Arc::new(decimals(values, 15, 3)), false),
        (
            "source",
            coded::<Int8Type>(rows.iter().map(|(_, r)| Some(r.source.code()))),
            false,
        ),
    ])
}

/// The readings of record batches with the columns `meter`, `date`, `value` and `source` of
/// [`readings_to_arrow`] (by name; others, such as `premises` and `kind`, are ignored: a
/// reading belongs to its meter). `value` is a decimal with at most three decimals (floats
/// are refused), `source` a code of [`ReadingSource`]. Every bad value of every row is
/// reported (rows numbered from 0 across the batches); nothing is returned unless all are good.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{Date32Array, Decimal128Array, RecordBatch, StringArray};
/// use ebok_core::columnar::{readings_from_arrow, ColumnarError};
/// let value = Decimal128Array::from(vec![131_7891_i128]).with_precision_and_scale(15, 4)?;
/// let t = RecordBatch::try_from_iter([
///     ("meter", Arc::new(StringArray::from(vec!["ZW-1"])) as _),
///     ("date", Arc::new(Date32Array::from(vec![20_269])) as _),
///     ("value", Arc::new(value) as _),
///     ("source", Arc::new(StringArray::from(vec!["guess"])) as _),
/// ])?;
/// let Err(ColumnarError::Values { rows, .. }) = readings_from_arrow(&[t]) else { panic!() };
/// assert_eq!(rows.iter().map(|r| r.column.as_str()).collect::<Vec<_>>(), ["value", "source"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn readings_from_arrow(batches: &[RecordBatch]) -> Result<Vec<Reading>, ColumnarError> {
    let mut out = Vec::with_capacity(batches.iter().map(RecordBatch::num_rows).sum());
    let mut bad = Vec::new();
    let mut first_row = 0;
    for b in batches {
        let meter = required(strings(b, "meter")?, "meter")?;
        let date = required(dates(b, "date")?, "date")?;
        let value = MoneyColumn::scaled(b, "value", 3)?;
        let source = required(strings(b, "source")?, "source")?;
        for i in 0..b.num_rows() {
            let row = first_row + i;
            // The row's key, written out only for a row that fails.
            let mut fail = |column: &str, value: String, problem: String| {
                bad.push(ValueError {
                    row,
                    key: if meter.is_null(i) {
                        String::new()
                    } else {
                        meter.value(i).chars().take(80).collect()
                    },
                    column: column.to_owned(),
                    value: value.chars().take(80).collect(),
                    problem,
                });
            };
            let missing = || "is required".to_owned();
            let day = if date.is_null(i) {
                fail("date", String::new(), missing());
                None
            } else {
                match from_date32(date.value(i)) {
                    Some(d) => match calendar::check_date(d) {
                        Ok(d) => Some(d),
                        Err(e) => {
                            fail("date", d.to_string(), e.to_string());
                            None
                        }
                    },
                    None => {
                        fail(
                            "date",
                            format!("{} days from 1970-01-01", date.value(i)),
                            "is not a day ebok can hold".to_owned(),
                        );
                        None
                    }
                }
            };
            let quantity = match value.grosze(i) {
                None => {
                    fail("value", String::new(), missing());
                    None
                }
                Some(Err(v)) => {
                    fail(
                        "value",
                        v,
                        "has more than 3 decimals or does not fit".to_owned(),
                    );
                    None
                }
                Some(Ok(t)) => {
                    let q = Quantity::from_thousandths(t);
                    if q.is_none() {
                        fail(
                            "value",
                            value.values.value_as_string(i),
                            "is negative or above 10⁹".to_owned(),
                        );
                    }
                    q
                }
            };
            let source_v = if source.is_null(i) {
                fail("source", String::new(), missing());
                None
            } else {
                let s = source.value(i);
                match s.parse::<ReadingSource>() {
                    Ok(s) => Some(s),
                    Err(e) => {
                        fail("source", s.to_owned(), e.to_string());
                        None
                    }
                }
            };
            let serial = if meter.is_null(i) {
                fail("meter", String::new(), missing());
                None
            } else {
                let m = meter.value(i);
                match MeterSerial::new(m) {
                    Ok(serial) => Some(serial),
                    Err(e) => {
                        fail("meter", m.to_owned(), e.to_string());
                        None
                    }
                }
            };
            // Every field checked above, as `Reading::new` would check them.
            if let (Some(meter), Some(date), Some(value), Some(source)) =
                (serial, day, quantity, source_v)
            {
                out.push(Reading {
                    meter,
                    date,
                    value,
                    source,
                });
            }
        }
        first_row += b.num_rows();
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(ColumnarError::values(bad))
    }
}

/// Stores the readings of record batches (see [`readings_from_arrow`]) in the book, all or
/// nothing ([`MeterBook::add_readings`]): a reading of an unknown meter, or one the hard
/// checks refuse (a counter going back, a day outside the meter's life), is reported with
/// its row. Returns how many were stored.
///
/// ```
/// use ebok_core::meters::{Meter, MeterBook, MeterKind, Quantity, Reading, ReadingSource};
/// use ebok_core::premises::PremisesId;
/// use time::macros::date;
/// let mut from = MeterBook::new();
/// from.add_meter(Meter::new("ZW-1", MeterKind::ColdWater, PremisesId::new("12")?, date!(2021 - 03 - 01), Quantity::ZERO)?)?;
/// from.add_reading(Reading::new("ZW-1", date!(2025 - 06 - 30), Quantity::parse("131.789")?, ReadingSource::Inspector)?)?;
/// let t = ebok_core::columnar::readings_to_arrow(&from);
/// let mut to = MeterBook::new();
/// assert!(ebok_core::columnar::add_readings_from_arrow(&mut to, &[t.clone()]).is_err()); // no meter ZW-1
/// to.add_meter(from.meters().next().unwrap().clone())?;
/// assert_eq!(ebok_core::columnar::add_readings_from_arrow(&mut to, &[t])?, 1);
/// assert_eq!(to, from);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn add_readings_from_arrow(
    book: &mut MeterBook,
    batches: &[RecordBatch],
) -> Result<usize, ColumnarError> {
    let readings = readings_from_arrow(batches)?;
    // The batch is kept to name a refused reading; a reading's clone copies no id text.
    book.add_readings(readings.iter().cloned())
        .map_err(|refused| {
            ColumnarError::values(
                refused
                    .into_iter()
                    .map(|(row, e)| {
                        let r = readings.get(row);
                        let key = r.map(|r| r.meter.to_string()).unwrap_or_default();
                        let (column, value) = match e {
                            MeterError::UnknownMeter { .. } => ("meter", key.clone()),
                            _ => ("value", r.map(|r| r.value.to_string()).unwrap_or_default()),
                        };
                        ValueError {
                            row,
                            key,
                            column: column.to_owned(),
                            value,
                            problem: e.to_string(),
                        }
                    })
                    .collect(),
            )
        })
}
