//! Monthly statements and account lines as Arrow record batches.

use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_array::builder::{Decimal128Builder, MapBuilder, StringBuilder};
use arrow_array::types::{Int8Type, Int32Type};
use arrow_schema::DataType;

use super::{batch, coded, days, money, text};
use crate::ledger::{AccountLine, DocumentRef, EntryKind, MonthlyStatement};
use crate::premises::PremisesId;

/// Monthly statements (of [`crate::ledger::Ledger::statements`], of one premises or many) as
/// a record batch, one row per premises and month:
///
/// - `premises` dictionary(int32, utf8); `month` date32 (its first day); `known_at` date32
///   (null: everything posted);
/// - `opening`, `charges_total`, `payments`, `closing` decimal128(18, 2) (balances: positive
///   owed, negative overpaid; payments as paid);
/// - `charges`: map(utf8 → decimal128(18, 2)), the month's charges by component;
/// - one decimal128(18, 2) column per other kind of entry, named by its code
///   (`correction`, `interest`, `settlement`, `refund`, `opening_balance`): its effect on what
///   is owed, 0 when there was none; so `closing = opening + charges_total − payments + Σ`
///   of them, row by row.
///
/// ```
/// use ebok_core::calendar::YearMonth;
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use arrow_array::{Array, Decimal128Array};
/// use time::macros::date;
/// let mut l = Ledger::new();
/// l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", Money::parse("114.21")?, date!(2025 - 05 - 01), date!(2025 - 05 - 10))?.posted(date!(2025 - 05 - 01)))?;
/// let s = l.statements(&PremisesId::new("1")?, YearMonth::new(2025, 5)?, YearMonth::new(2025, 6)?, None);
/// let b = ebok_core::columnar::statements_to_arrow(&s);
/// let closing = b.column_by_name("closing").unwrap().as_any().downcast_ref::<Decimal128Array>().unwrap();
/// assert_eq!((b.num_rows(), closing.value_as_string(1)), (2, "114.21".to_owned()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn statements_to_arrow(statements: &[MonthlyStatement]) -> arrow_array::RecordBatch {
    let amount = Decimal128Builder::new().with_data_type(DataType::Decimal128(18, 2));
    let mut charges = MapBuilder::new(None, StringBuilder::new(), amount);
    for s in statements {
        for (component, m) in &s.charges {
            charges.keys().append_value(component.as_str());
            charges.values().append_value(i128::from(m.grosze()));
        }
        // Keys and values were appended in pairs: the entry cannot be refused.
        let _ = charges.append(true);
    }
    let others = EntryKind::ALL
        .into_iter()
        .filter(|k| !matches!(k, EntryKind::Charge | EntryKind::Payment));
    let mut columns: Vec<(&str, ArrayRef, bool)> = vec![
        (
            "premises",
            coded::<Int32Type>(statements.iter().map(|s| Some(s.premises.as_str()))),
            false,
        ),
        (
            "month",
            days(statements.iter().map(|s| Some(s.month.first_day()))),
            false,
        ),
        (
            "known_at",
            days(statements.iter().map(|s| s.known_at)),
            true,
        ),
        (
            "opening",
            money(statements.iter().map(|s| s.opening.amount())),
            false,
        ),
        ("charges", Arc::new(charges.finish()), false),
        (
            "charges_total",
            money(statements.iter().map(|s| s.charges_total)),
            false,
        ),
        (
            "payments",
            money(statements.iter().map(|s| s.payments)),
            false,
        ),
    ];
    for kind in others {
        columns.push((
            kind.code(),
            money(statements.iter().map(|s| {
                s.other
                    .get(&kind)
                    .copied()
                    .unwrap_or(crate::money::Money::ZERO)
            })),
            false,
        ));
    }
    columns.push((
        "closing",
        money(statements.iter().map(|s| s.closing.amount())),
        false,
    ));
    batch(columns)
}

/// Account lines (of [`crate::ledger::Ledger::account_lines`]) of one premises or many, as a
/// record batch: `premises` dictionary(int32, utf8), `id` utf8, `kind` dictionary(int8,
/// utf8), `operation_date`, `posted_on`, `due_date` date32, `component` dictionary(int32,
/// utf8), `document` utf8, `amount` (as recorded), `effect` (on what is owed) and
/// `running_balance` (after the line) decimal128(18, 2).
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use arrow_array::{Array, Decimal128Array};
/// use time::macros::date;
/// let mut l = Ledger::new();
/// l.insert(LedgerEntry::charge("N1", "1", "c.o.", Money::parse("150.66")?, date!(2025 - 05 - 01), date!(2025 - 05 - 10))?.posted(date!(2025 - 05 - 01)))?;
/// l.insert(LedgerEntry::payment("P1", "1", Money::parse("100")?, date!(2025 - 05 - 12))?.posted(date!(2025 - 05 - 13)))?;
/// let one = PremisesId::new("1")?;
/// let lines = l.account_lines(&one, None, date!(2025 - 12 - 31), None);
/// let b = ebok_core::columnar::account_lines_to_arrow([(&one, lines.as_slice())]);
/// let running = b.column_by_name("running_balance").unwrap().as_any().downcast_ref::<Decimal128Array>().unwrap();
/// assert_eq!(running.value_as_string(1), "50.66");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn account_lines_to_arrow<'a>(
    lines: impl IntoIterator<Item = (&'a PremisesId, &'a [AccountLine])>,
) -> arrow_array::RecordBatch {
    let rows: Vec<(&PremisesId, &AccountLine)> = lines
        .into_iter()
        .flat_map(|(p, ls)| ls.iter().map(move |l| (p, l)))
        .collect();
    batch(vec![
        (
            "premises",
            coded::<Int32Type>(rows.iter().map(|(p, _)| Some(p.as_str()))),
            false,
        ),
        (
            "id",
            text(rows.iter().map(|(_, l)| Some(l.id.as_str()))),
            false,
        ),
        (
            "kind",
            coded::<Int8Type>(rows.iter().map(|(_, l)| Some(l.kind.code()))),
            false,
        ),
        (
            "operation_date",
            days(rows.iter().map(|(_, l)| Some(l.operation_date))),
            false,
        ),
        (
            "posted_on",
            days(rows.iter().map(|(_, l)| l.posted_on)),
            true,
        ),
        ("due_date", days(rows.iter().map(|(_, l)| l.due_date)), true),
        (
            "component",
            coded::<Int32Type>(
                rows.iter()
                    .map(|(_, l)| l.component.as_ref().map(|c| c.as_str())),
            ),
            true,
        ),
        (
            "document",
            text(
                rows.iter()
                    .map(|(_, l)| l.document.as_ref().map(DocumentRef::as_str)),
            ),
            true,
        ),
        ("amount", money(rows.iter().map(|(_, l)| l.amount)), false),
        ("effect", money(rows.iter().map(|(_, l)| l.effect)), false),
        (
            "running_balance",
            money(rows.iter().map(|(_, l)| l.running_balance.amount())),
            false,
        ),
    ])
}
