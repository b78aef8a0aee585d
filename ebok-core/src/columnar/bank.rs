//! Bank statement entries, and the bank book's matched records, as Arrow record batches.

use arrow_array::ArrayRef;
use arrow_array::RecordBatch;
use arrow_array::types::{Int8Type, Int32Type};

use super::{batch, coded, days, flags, money, text};
use crate::bank::BankRecord;
use crate::bank::statement::{AccountCheck, Statement, StatementEntry};

/// Every entry of bank statements as a record batch, in the bank's order, one row per entry:
///
/// - of its statement: `format` dictionary(int8, utf8) (`mt940`, `mt942`, `camt053`,
///   `camt054`), `account` and `statement` utf8 (the statement's number, or its reference);
/// - of the entry: `value_date`, `booking_date` date32; `side` dictionary(int8, utf8)
///   (`C`, `D`); `reversal`, `booked` bool; `amount` decimal128(18, 2) as the bank
///   gave it (positive) and `signed_amount` (credits positive); `currency`; the codes and
///   references (`transaction_code`, `operation_code`, `bank_reference`,
///   `customer_reference`, `tnr`), the counterparty (`counterparty_name`,
///   `counterparty_account`), `title`, `virtual_account`, `payer_id` and `raw_details`
///   utf8; `counterparty_check`, `virtual_account_check` dictionary(int8, utf8) (the codes
///   of [`AccountCheck::code`]).
///
/// ```
/// use ebok_core::bank::statement::{read_statements, ReadOptions};
/// use arrow_array::{Array, Decimal128Array};
/// let read = read_statements(b":20:X\n:25:1\n:28C:1\n:60F:C250101PLN0,00\n:61:250101C2,00NMSCREF\n:61:250101D0,50NMSCREF\n:62F:C250101PLN1,50\n-", &ReadOptions::default())?;
/// let t = ebok_core::columnar::bank_entries_to_arrow(&read.statements);
/// let signed = t.column_by_name("signed_amount").unwrap().as_any().downcast_ref::<Decimal128Array>().unwrap();
/// assert_eq!((signed.value_as_string(0), signed.value_as_string(1)), ("2.00".to_owned(), "-0.50".to_owned()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn bank_entries_to_arrow(statements: &[Statement]) -> RecordBatch {
    let rows: Vec<(&Statement, &StatementEntry)> = statements
        .iter()
        .flat_map(|s| s.entries.iter().map(move |e| (s, e)))
        .collect();
    let names: Vec<String> = rows.iter().map(|(s, _)| s.name()).collect();
    let mut columns: Vec<(&str, ArrayRef, bool)> = vec![
        (
            "format",
            coded::<Int8Type>(rows.iter().map(|(s, _)| Some(s.format.code()))),
            false,
        ),
        (
            "account",
            text(rows.iter().map(|(s, _)| Some(s.account.as_str()))),
            false,
        ),
        (
            "statement",
            text(names.iter().map(|n| Some(n.as_str()))),
            false,
        ),
    ];
    columns.extend(entry_columns(rows.iter().map(|(_, e)| *e).collect()));
    batch(columns)
}

/// The bank book's records (of [`crate::bank::BankBook::records`]) as a record batch: the
/// columns of [`bank_entries_to_arrow`] for the entry (`account` is the statement's, compact;
/// there is no `format` or `statement`), then `reference` utf8 (the record's key within its
/// account), `final` bool (from a final statement, not an interim report), `imported_on`
/// date32 (from then on the e-BOK knows it), `outcome` dictionary(int8, utf8) (`matched`,
/// `ambiguous`, `unmatched`, `not_incoming`), `premises` dictionary(int32, utf8) (when
/// matched), `returned_by` and `returns` utf8 (the keys of a return and of the credit it
/// returns).
///
/// ```
/// use ebok_core::bank::statement::{read_statements, ReadOptions};
/// use ebok_core::cooperative::Cooperative;
/// use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
/// use arrow_array::{Array, StringArray};
/// let mut coop: Cooperative = SyntheticCooperative::generate(&CooperativeConfig { premises: 3, ..CooperativeConfig::default() }).into();
/// let id = coop.registry.iter().next().unwrap().id.clone();
/// let mt940 = format!(":20:X\n:25:1\n:28C:1\n:60F:C261122PLN0,00\n:61:261122C500,00NTRFNONREF//R1\n:86:CZYNSZ {id}\n:62F:C261122PLN500,00\n-");
/// coop.import_bank_statements(&read_statements(mt940.as_bytes(), &ReadOptions::default())?.statements, time::macros::date!(2026 - 11 - 23))?;
/// let t = ebok_core::columnar::bank_records_to_arrow(coop.bank.records());
/// let premises = arrow_cast::cast(t.column_by_name("premises").unwrap(), &arrow_schema::DataType::Utf8)?;
/// assert_eq!(premises.as_any().downcast_ref::<StringArray>().unwrap().value(0), id.as_str());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn bank_records_to_arrow<'a>(records: impl IntoIterator<Item = &'a BankRecord>) -> RecordBatch {
    let rows: Vec<&BankRecord> = records.into_iter().collect();
    let keys = |k: Option<&crate::bank::EntryKey>| k.map(ToString::to_string);
    let returned_by: Vec<Option<String>> =
        rows.iter().map(|r| keys(r.returned_by.as_ref())).collect();
    let returns: Vec<Option<String>> = rows.iter().map(|r| keys(r.returns.as_ref())).collect();
    let mut columns: Vec<(&str, ArrayRef, bool)> = vec![(
        "account",
        text(rows.iter().map(|r| Some(r.key.account.as_str()))),
        false,
    )];
    columns.extend(entry_columns(rows.iter().map(|r| &r.entry).collect()));
    columns.extend([
        (
            "reference",
            text(rows.iter().map(|r| Some(r.key.reference.as_str()))),
            false,
        ),
        ("final", flags(rows.iter().map(|r| r.is_final)), false),
        (
            "imported_on",
            days(rows.iter().map(|r| Some(r.imported_on))),
            false,
        ),
        (
            "outcome",
            coded::<Int8Type>(rows.iter().map(|r| Some(r.outcome.code()))),
            false,
        ),
        (
            "premises",
            coded::<Int32Type>(
                rows.iter()
                    .map(|r| r.outcome.premises().map(|p| p.as_str())),
            ),
            true,
        ),
        (
            "returned_by",
            text(returned_by.iter().map(Option::as_deref)),
            true,
        ),
        ("returns", text(returns.iter().map(Option::as_deref)), true),
    ]);
    batch(columns)
}

/// The columns of the entries themselves, shared by both tables.
fn entry_columns(entries: Vec<&StatementEntry>) -> Vec<(&'static str, ArrayRef, bool)> {
    let opt = |f: fn(&StatementEntry) -> Option<&str>| text(entries.iter().map(|e| f(e)));
    let check = |f: fn(&StatementEntry) -> Option<AccountCheck>| {
        coded::<Int8Type>(entries.iter().map(|e| f(e).map(AccountCheck::code)))
    };
    vec![
        (
            "value_date",
            days(entries.iter().map(|e| Some(e.value_date))),
            false,
        ),
        (
            "booking_date",
            days(entries.iter().map(|e| e.booking_date)),
            true,
        ),
        (
            "side",
            coded::<Int8Type>(entries.iter().map(|e| Some(e.side.code()))),
            false,
        ),
        ("reversal", flags(entries.iter().map(|e| e.reversal)), false),
        ("amount", money(entries.iter().map(|e| e.amount)), false),
        (
            "signed_amount",
            money(entries.iter().map(|e| e.signed_amount())),
            false,
        ),
        (
            "currency",
            text(entries.iter().map(|e| Some(e.currency.as_str()))),
            false,
        ),
        ("booked", flags(entries.iter().map(|e| e.booked)), false),
        (
            "transaction_code",
            opt(|e| e.transaction_code.as_deref()),
            true,
        ),
        ("operation_code", opt(|e| e.operation_code.as_deref()), true),
        ("bank_reference", opt(|e| e.bank_reference.as_deref()), true),
        (
            "customer_reference",
            opt(|e| e.customer_reference.as_deref()),
            true,
        ),
        ("tnr", opt(|e| e.tnr.as_deref()), true),
        (
            "counterparty_name",
            opt(|e| e.counterparty_name.as_deref()),
            true,
        ),
        (
            "counterparty_account",
            opt(|e| e.counterparty_account.as_deref()),
            true,
        ),
        ("title", opt(|e| e.title.as_deref()), true),
        (
            "virtual_account",
            opt(|e| e.virtual_account.as_deref()),
            true,
        ),
        ("payer_id", opt(|e| e.payer_id.as_deref()), true),
        (
            "raw_details",
            text(entries.iter().map(|e| Some(e.raw_details.as_str()))),
            false,
        ),
        ("counterparty_check", check(|e| e.counterparty_check), true),
        (
            "virtual_account_check",
            check(|e| e.virtual_account_check),
            true,
        ),
    ]
}
