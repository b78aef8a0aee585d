//! Balances as an Arrow record batch.

use std::sync::Arc;

use arrow_array::builder::{Decimal128Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};

use crate::ledger::PremisesBalance;

/// Balances (of [`crate::ledger::Ledger::balances`]) as a record batch: `premises` utf8,
/// `balance` decimal128(18, 2) (positive: owed; negative: overpaid).
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry, InsertMode};
/// use ebok_core::money::Money;
/// use time::macros::date;
/// use arrow_array::Array;
/// let mut l = Ledger::new();
/// l.insert_batch(vec![LedgerEntry::payment("P1", "0756555", Money::parse("500.00")?, date!(2025 - 01 - 12))?.posted(date!(2025 - 01 - 13))], InsertMode::Strict)?;
/// let b = ebok_core::columnar::balances_to_arrow(&l.balances(date!(2025 - 01 - 31), None));
/// let col = b.column(1).as_any().downcast_ref::<arrow_array::Decimal128Array>().unwrap();
/// assert_eq!(col.value_as_string(0), "-500.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn balances_to_arrow(balances: &[PremisesBalance]) -> RecordBatch {
    let mut premises = StringBuilder::with_capacity(balances.len(), balances.len() * 8);
    let mut balance = Decimal128Builder::with_capacity(balances.len());
    for b in balances {
        premises.append_value(b.premises.as_str());
        balance.append_value(i128::from(b.balance.amount().grosze()));
    }
    let schema = Arc::new(Schema::new(vec![
        Field::new("premises", DataType::Utf8, false),
        Field::new("balance", DataType::Decimal128(18, 2), false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(premises.finish()),
        Arc::new(super::decimals(balance.finish(), 18, 2)),
    ];
    RecordBatch::try_new(Arc::clone(&schema), columns)
        .unwrap_or_else(|_| RecordBatch::new_empty(schema))
}
