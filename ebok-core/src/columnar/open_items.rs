//! Open items (rozrachunki) as an Arrow record batch.

use arrow_array::RecordBatch;
use arrow_array::types::{Int8Type, Int32Type};

use super::{batch, coded, days, money, text};
use crate::settlement::OpenItems;

/// The open items of one premises or many (of [`crate::settlement::open_items()`]) as a record
/// batch, one row per debt with principal still unpaid:
///
/// - `premises` dictionary(int32, utf8); `as_of`, `known_at` date32 (the evaluation day and
///   what the accounting system knew; null: everything posted);
/// - `id` utf8, `kind` dictionary(int8, utf8), `component` dictionary(int32, utf8);
/// - `operation_date`, `due_date` (as recorded), `effective_due` (after the KC art. 115
///   shift), `overdue_since` date32;
/// - `original`, `outstanding`, `interest` decimal128(18, 2); `days_overdue` uint32.
///
/// What belongs to a premises rather than to one debt (arrears, credit not used, interest
/// on debts already paid) stays in [`OpenItems`].
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use ebok_core::settlement::{SettlementPolicy, open_items};
/// use arrow_array::{Array, Decimal128Array};
/// use time::macros::date;
/// let mut l = Ledger::new();
/// l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", Money::parse("500")?, date!(2025 - 05 - 01), date!(2025 - 05 - 10))?.posted(date!(2025 - 05 - 01)))?;
/// let items = open_items(&l, &PremisesId::new("1")?, date!(2025 - 05 - 13), None, &SettlementPolicy::default())?;
/// let b = ebok_core::columnar::open_items_to_arrow(std::slice::from_ref(&items));
/// let interest = b.column_by_name("interest").unwrap().as_any().downcast_ref::<Decimal128Array>().unwrap();
/// assert_eq!(interest.value_as_string(0), "0.15");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn open_items_to_arrow(open: &[OpenItems]) -> RecordBatch {
    let rows: Vec<_> = open
        .iter()
        .flat_map(|o| o.items.iter().map(move |i| (o, i)))
        .collect();
    let days_overdue: arrow_array::UInt32Array =
        rows.iter().map(|(_, i)| Some(i.days_overdue)).collect();
    batch(vec![
        (
            "premises",
            coded::<Int32Type>(rows.iter().map(|(o, _)| Some(o.premises.as_str()))),
            false,
        ),
        (
            "as_of",
            days(rows.iter().map(|(o, _)| Some(o.as_of))),
            false,
        ),
        ("known_at", days(rows.iter().map(|(o, _)| o.known_at)), true),
        (
            "id",
            text(rows.iter().map(|(_, i)| Some(i.id.as_str()))),
            false,
        ),
        (
            "kind",
            coded::<Int8Type>(rows.iter().map(|(_, i)| Some(i.kind.code()))),
            false,
        ),
        (
            "component",
            coded::<Int32Type>(
                rows.iter()
                    .map(|(_, i)| i.component.as_ref().map(|c| c.as_str())),
            ),
            true,
        ),
        (
            "operation_date",
            days(rows.iter().map(|(_, i)| Some(i.operation_date))),
            false,
        ),
        ("due_date", days(rows.iter().map(|(_, i)| i.due_date)), true),
        (
            "effective_due",
            days(rows.iter().map(|(_, i)| Some(i.effective_due))),
            false,
        ),
        (
            "original",
            money(rows.iter().map(|(_, i)| i.original)),
            false,
        ),
        (
            "outstanding",
            money(rows.iter().map(|(_, i)| i.outstanding)),
            false,
        ),
        (
            "overdue_since",
            days(rows.iter().map(|(_, i)| i.overdue_since)),
            true,
        ),
        ("days_overdue", std::sync::Arc::new(days_overdue), false),
        (
            "interest",
            money(rows.iter().map(|(_, i)| i.interest)),
            false,
        ),
    ])
}
