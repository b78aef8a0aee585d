//! Ledger entries as an Arrow record batch, and back.

use std::sync::{Arc, OnceLock};

use arrow_array::builder::{
    Date32Builder, Decimal128Builder, StringBuilder, StringDictionaryBuilder,
};
use arrow_array::types::{Int8Type, Int32Type, UInt16Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use super::{
    ColumnarError, Decoded, MoneyColumn, Texts, date32, dates, decimals, from_date32, required,
};
use crate::calendar::DateError;
use crate::ledger::{
    BatchError, Component, DocumentRef, EntryField, EntryId, EntryKind, FieldError, InsertMode,
    Ledger, LedgerEntry, Problem, RowError,
};
use crate::money::{Money, MoneyError};
use crate::premises::PremisesId;

/// The schema of [`entries_to_arrow`]: `id` utf8, `premises` dictionary(int32, utf8), `kind`
/// dictionary(int8, utf8) (the codes of [`EntryKind::code`]), `amount` decimal128(18, 2) as
/// recorded (the sign rule applies to it as to any entry), `component` dictionary(uint16,
/// utf8), `operation_date`, `posted_on`, `due_date` date32, `document` utf8. Nullable where
/// the entry's field is optional.
///
/// ```
/// let s = ebok_core::columnar::ledger_schema();
/// assert_eq!(s.field_with_name("amount")?.data_type(), &arrow_schema::DataType::Decimal128(18, 2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ledger_schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    Arc::clone(SCHEMA.get_or_init(|| {
        let dict = |k: DataType| DataType::Dictionary(Box::new(k), Box::new(DataType::Utf8));
        Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("premises", dict(DataType::Int32), false),
            Field::new("kind", dict(DataType::Int8), false),
            Field::new("amount", DataType::Decimal128(18, 2), false),
            Field::new("component", dict(DataType::UInt16), true),
            Field::new("operation_date", DataType::Date32, false),
            Field::new("posted_on", DataType::Date32, true),
            Field::new("due_date", DataType::Date32, true),
            Field::new("document", DataType::Utf8, true),
        ]))
    }))
}

/// Every entry of the ledger as one record batch ([`ledger_schema`]), premises by premises.
///
/// ```
/// let batch = ebok_core::columnar::entries_to_arrow(&ebok_core::ledger::Ledger::new());
/// assert_eq!((batch.num_rows(), batch.num_columns()), (0, 9));
/// ```
pub fn entries_to_arrow(ledger: &Ledger) -> RecordBatch {
    let n = ledger.len();
    let mut id = StringBuilder::with_capacity(n, n * 16);
    let mut premises = StringDictionaryBuilder::<Int32Type>::new();
    let mut kind = StringDictionaryBuilder::<Int8Type>::new();
    let mut amount = Decimal128Builder::with_capacity(n);
    // uint16 keys: the ledger holds fewer than 65 535 components (int16 would hold 32 767).
    let mut component = StringDictionaryBuilder::<UInt16Type>::new();
    let mut operation = Date32Builder::with_capacity(n);
    let mut posted = Date32Builder::with_capacity(n);
    let mut due = Date32Builder::with_capacity(n);
    let mut document = StringBuilder::new();
    for e in ledger.iter() {
        id.append_value(e.id.as_str());
        // A dictionary of 2^31 premises, 7 kinds and 65 535 components (the ledger's own
        // limits) cannot overflow its keys.
        let _ = premises.append(e.premises.as_str());
        let _ = kind.append(e.kind.code());
        amount.append_value(i128::from(e.amount.grosze()));
        match &e.component {
            Some(c) => {
                let _ = component.append(c.as_str());
            }
            None => component.append_null(),
        }
        operation.append_value(date32(e.operation_date));
        posted.append_option(e.posted_on.map(date32));
        due.append_option(e.due_date.map(date32));
        document.append_option(e.document.as_ref().map(DocumentRef::as_str));
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(premises.finish()),
        Arc::new(kind.finish()),
        Arc::new(decimals(amount.finish(), 18, 2)),
        Arc::new(component.finish()),
        Arc::new(operation.finish()),
        Arc::new(posted.finish()),
        Arc::new(due.finish()),
        Arc::new(document.finish()),
    ];
    RecordBatch::try_new(ledger_schema(), columns).unwrap_or_else(|_| {
        // The columns are built to the schema above, row for row.
        RecordBatch::new_empty(ledger_schema())
    })
}

/// The entries of record batches with the columns of [`ledger_schema`] (by name; other
/// columns are ignored; `component`, `posted_on`, `due_date` and `document` may be absent).
/// Rows are numbered across the batches from 0. Every bad value of every row is reported
/// (at most [`BatchError::MAX_LISTED`], with a count of the rest); the rules between fields
/// are the ledger's, checked when the entries are inserted.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{Float64Array, RecordBatch, StringArray};
/// use ebok_core::columnar::{entries_from_arrow, ColumnarError};
/// let floats = RecordBatch::try_from_iter([
///     ("id", Arc::new(StringArray::from(vec!["P1"])) as _),
///     ("premises", Arc::new(StringArray::from(vec!["1"])) as _),
///     ("kind", Arc::new(StringArray::from(vec!["payment"])) as _),
///     ("amount", Arc::new(Float64Array::from(vec![0.1])) as _),
/// ])?;
/// assert!(matches!(entries_from_arrow(&[floats]), Err(ColumnarError::WrongType { column, .. }) if column == "amount"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn entries_from_arrow(batches: &[RecordBatch]) -> Result<Vec<LedgerEntry>, ColumnarError> {
    let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
    // Below this, a second thread costs more than it saves.
    const TWO_CORES_FROM: usize = 1 << 16;
    // The rows in two halves (slices share the columns: nothing is copied), each read on
    // its own core; the first half's entries and errors come first, as read in one pass.
    let half = if total >= TWO_CORES_FROM {
        total / 2
    } else {
        total
    };
    let (mut first, mut second) = (Vec::new(), Vec::new());
    let mut row = 0;
    for b in batches {
        let n = b.num_rows();
        if row + n <= half {
            first.push((b.clone(), row));
        } else if row >= half {
            second.push((b.clone(), row));
        } else {
            let k = half - row;
            first.push((b.slice(0, k), row));
            second.push((b.slice(k, n - k), half));
        }
        row += n;
    }
    let read = |pieces: &[(RecordBatch, usize)], capacity: usize| {
        let mut out = Vec::with_capacity(capacity);
        let mut bad = Vec::new();
        for (batch, first_row) in pieces {
            read_batch(batch, *first_row, &mut out, &mut bad)?;
        }
        Ok::<_, ColumnarError>((out, bad))
    };
    let (later, earlier) = if second.is_empty() {
        (Ok((Vec::new(), Vec::new())), read(&first, total))
    } else {
        crate::parallel::in_parallel(|| read(&second, total - half), || read(&first, total))
    };
    let (mut out, mut bad) = earlier?;
    let (rest, rest_bad) = later?;
    bad.extend(rest_bad);
    if bad.is_empty() {
        out.extend(rest);
        Ok(out)
    } else {
        Err(ColumnarError::Rows(BatchError::new(bad)))
    }
}

/// A new ledger holding the entries of the batches (all or nothing: every bad row is
/// reported, as for [`Ledger::insert_batch`]).
///
/// ```
/// let empty = ebok_core::columnar::entries_to_arrow(&ebok_core::ledger::Ledger::new());
/// assert!(ebok_core::columnar::ledger_from_arrow(&[empty])?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ledger_from_arrow(batches: &[RecordBatch]) -> Result<Ledger, ColumnarError> {
    let entries = entries_from_arrow(batches)?;
    let mut ledger = Ledger::new();
    ledger.insert_batch(entries, InsertMode::Strict)?;
    Ok(ledger)
}

fn read_batch(
    batch: &RecordBatch,
    first_row: usize,
    out: &mut Vec<LedgerEntry>,
    bad: &mut Vec<RowError>,
) -> Result<(), ColumnarError> {
    let id = required(Texts::of(batch, "id")?, "id")?;
    // Premises, kinds and components repeat: a dictionary's values are checked once each.
    let premises = Decoded::of(batch, "premises", |p| {
        PremisesId::new(p).map_err(|e| FieldError::new(EntryField::Premises, p, e))
    });
    let premises = required(premises?, "premises")?;
    let kind = Decoded::of(batch, "kind", |k| {
        k.parse::<EntryKind>()
            .map_err(|_| FieldError::new(EntryField::Kind, k, Problem::UnknownKind))
    });
    let kind = required(kind?, "kind")?;
    let amount = MoneyColumn::of(batch, "amount")?;
    let component = Decoded::of(batch, "component", Component::new)?;
    let operation = required(dates(batch, "operation_date")?, "operation_date")?;
    let posted = dates(batch, "posted_on")?;
    let due = dates(batch, "due_date")?;
    let document = Texts::of(batch, "document")?;
    for i in 0..batch.num_rows() {
        let row = first_row + i;
        let mut fail = |error: FieldError| {
            bad.push(RowError {
                row,
                entry_id: id
                    .at(i)
                    .map(|t| t.chars().take(80).collect())
                    .unwrap_or_default(),
                error,
            });
        };
        let day = |field: EntryField,
                   a: &arrow_array::Date32Array|
         -> Result<Option<time::Date>, FieldError> {
            if a.is_null(i) {
                return Ok(None);
            }
            let days = a.value(i);
            from_date32(days).map(Some).ok_or_else(|| {
                FieldError::new(
                    field,
                    days.to_string(),
                    DateError::OutOfRange {
                        value: format!("{days} days from 1970-01-01"),
                    },
                )
            })
        };
        let id_v = present(EntryField::Id, id.at(i)).and_then(EntryId::new);
        let premises_v = premises.at(i).map_or_else(
            || Err(FieldError::new(EntryField::Premises, "", Problem::Missing)),
            Clone::clone,
        );
        let kind_v = kind.at(i).map_or_else(
            || Err(FieldError::new(EntryField::Kind, "", Problem::Missing)),
            Clone::clone,
        );
        let amount_v = match amount.grosze(i) {
            None => Err(FieldError::new(EntryField::Amount, "", Problem::Missing)),
            Some(Err(value)) => Err(FieldError::new(
                EntryField::Amount,
                &value,
                MoneyError::TooManyDecimals {
                    value: value.clone(),
                },
            )),
            Some(Ok(g)) => Ok(Money::from_grosze(g)),
        };
        let operation_v = day(EntryField::OperationDate, &operation).and_then(|d| {
            d.ok_or_else(|| FieldError::new(EntryField::OperationDate, "", Problem::Missing))
        });
        let component_v = component
            .as_ref()
            .and_then(|a| a.at(i))
            .cloned()
            .transpose();
        let document_v = document
            .as_ref()
            .and_then(|a| a.at(i))
            .map(DocumentRef::new)
            .transpose();
        let posted_v = posted
            .as_ref()
            .map_or(Ok(None), |a| day(EntryField::PostedOn, a));
        let due_v = due
            .as_ref()
            .map_or(Ok(None), |a| day(EntryField::DueDate, a));
        match (
            id_v,
            premises_v,
            kind_v,
            amount_v,
            operation_v,
            component_v,
            document_v,
            posted_v,
            due_v,
        ) {
            (
                Ok(id),
                Ok(premises),
                Ok(kind),
                Ok(amount),
                Ok(operation_date),
                Ok(component),
                Ok(document),
                Ok(posted_on),
                Ok(due_date),
            ) => {
                out.push(LedgerEntry {
                    id,
                    premises,
                    kind,
                    amount,
                    component,
                    operation_date,
                    posted_on,
                    due_date,
                    document,
                });
            }
            (a, b, c, d, e, f, g, h, j) => {
                for error in [
                    a.err(),
                    b.err(),
                    c.err(),
                    d.err(),
                    e.err(),
                    f.err(),
                    g.err(),
                    h.err(),
                    j.err(),
                ]
                .into_iter()
                .flatten()
                {
                    fail(error);
                }
            }
        }
    }
    Ok(())
}

fn present(field: EntryField, v: Option<&str>) -> Result<&str, FieldError> {
    v.ok_or_else(|| FieldError::new(field, "", Problem::Missing))
}
