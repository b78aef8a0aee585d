//! Ledger entries and balances through Arrow: round trips, every accepted layout, and the
//! refusals (float money, a third decimal, nulls, timestamps, missing columns), all or nothing.

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, Date32Array, Decimal128Array, DictionaryArray, Float64Array, LargeStringArray,
    RecordBatch, StringArray, StringViewArray, TimestampMillisecondArray,
};
use ebok_core::columnar::{
    ColumnarError, balances_to_arrow, entries_from_arrow, entries_to_arrow, ledger_from_arrow,
};
use ebok_core::ledger::{EntryField, InsertMode, Ledger, LedgerEntry, Problem};
use ebok_core::money::Money;
use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
use proptest::prelude::*;
use time::macros::date;

/// The `amount` column of a batch of [`entries_to_arrow`].
fn amount_column(batch: &RecordBatch) -> &Decimal128Array {
    batch
        .column_by_name("amount")
        .and_then(|a| a.as_any().downcast_ref::<Decimal128Array>())
        .expect("a decimal amount column")
}

/// The batches read back as exactly the ledger's entries, in its order, and load (through
/// the columns) into a ledger with the same entries and balances.
fn assert_reads_as(batches: &[RecordBatch], ledger: &Ledger) {
    assert_eq!(
        entries_from_arrow(batches).unwrap(),
        ledger.iter().collect::<Vec<_>>()
    );
    let loaded = ledger_from_arrow(batches).unwrap();
    assert_eq!(
        loaded.iter().collect::<Vec<_>>(),
        ledger.iter().collect::<Vec<_>>()
    );
    for known in [None, Some(date!(2030 - 01 - 01))] {
        assert_eq!(
            loaded.balances(date!(2031 - 01 - 01), known),
            ledger.balances(date!(2031 - 01 - 01), known)
        );
    }
}

fn coop() -> SyntheticCooperative {
    SyntheticCooperative::generate(&CooperativeConfig::benchmark(60, 24))
}

#[test]
fn a_ledger_round_trips_through_arrow_with_the_same_entries_and_balances() {
    let c = coop();
    let batch = entries_to_arrow(&c.ledger);
    assert_eq!(batch.num_rows(), c.ledger.len());
    let back = ledger_from_arrow(std::slice::from_ref(&batch)).expect("reads back");
    assert_eq!(
        back.iter().collect::<Vec<_>>(),
        c.ledger.iter().collect::<Vec<_>>()
    );
    for (as_of, known) in [
        (date!(2026 - 06 - 30), None),
        (date!(2025 - 03 - 31), Some(date!(2025 - 04 - 05))),
    ] {
        assert_eq!(back.balances(as_of, known), c.ledger.balances(as_of, known));
    }
    // Split into several batches: rows numbered across them, same entries.
    let (a, b) = (
        batch.slice(0, 1000),
        batch.slice(1000, batch.num_rows() - 1000),
    );
    assert_reads_as(&[a, b], &c.ledger);
    // The money column is exact decimal(18, 2): its text is the entry's amount.
    let amounts = amount_column(&batch);
    let first = c.ledger.iter().next().unwrap();
    assert_eq!(
        amounts.value_as_string(0),
        first.amount.to_string().replace(' ', "").replace(',', ".")
    );
}

#[test]
fn balances_as_arrow_equal_the_ledger_s_to_the_grosz() {
    let c = coop();
    let balances = c.ledger.balances(date!(2026 - 06 - 30), None);
    let batch = balances_to_arrow(&balances);
    let premises = batch
        .column(0)
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap();
    let amounts = batch
        .column(1)
        .as_any()
        .downcast_ref::<Decimal128Array>()
        .unwrap();
    assert_eq!(batch.num_rows(), balances.len());
    for (i, b) in balances.iter().enumerate() {
        assert_eq!(premises.value(i), b.premises.as_str());
        assert_eq!(amounts.value(i), i128::from(b.balance.amount().grosze()));
    }
}

/// A batch built by hand: the columns a polars or pandas frame gives.
fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(columns).unwrap()
}

fn minimal(amount: ArrayRef) -> RecordBatch {
    batch(vec![
        (
            "id",
            Arc::new(StringArray::from(vec!["P1", "P2"])) as ArrayRef,
        ),
        (
            "premises",
            Arc::new(StringArray::from(vec!["0756555", "0756555"])),
        ),
        (
            "kind",
            Arc::new(StringArray::from(vec!["payment", "payment"])),
        ),
        ("amount", amount),
        (
            "operation_date",
            Arc::new(Date32Array::from(vec![20_100, 20_101])),
        ),
    ])
}

#[test]
fn every_string_layout_and_any_exact_decimal_scale_is_accepted() {
    let dict: DictionaryArray<Int32Type> = vec!["0756555", "0756555"].into_iter().collect();
    let b = batch(vec![
        (
            "id",
            Arc::new(StringViewArray::from(vec!["P1", "P2"])) as ArrayRef,
        ),
        ("premises", Arc::new(dict)),
        (
            "kind",
            Arc::new(LargeStringArray::from(vec!["payment", "payment"])),
        ),
        // Scale 3 with no third decimal: 500.000 and 12.340.
        (
            "amount",
            Arc::new(
                Decimal128Array::from(vec![500_000, 12_340])
                    .with_precision_and_scale(20, 3)
                    .unwrap(),
            ),
        ),
        (
            "operation_date",
            Arc::new(Date32Array::from(vec![20_100, 20_101])),
        ),
        ("extra column", Arc::new(Float64Array::from(vec![1.0, 2.0]))),
        (
            "document",
            Arc::new(LargeStringArray::from(vec![Some("WB 1/25"), None])),
        ),
    ]);
    let e = entries_from_arrow(&[b]).expect("accepted");
    // Ids as polars gives them (utf8_view) and documents as large strings, read in place.
    assert_eq!((e[0].id.as_str(), e[1].id.as_str()), ("P1", "P2"));
    assert_eq!(
        e.iter()
            .map(|e| e.document.as_ref().map(|d| d.as_str()))
            .collect::<Vec<_>>(),
        [Some("WB 1/25"), None]
    );
    assert_eq!(e[0].amount, Money::parse("500.00").unwrap());
    assert_eq!(e[1].amount, Money::parse("12.34").unwrap());
    assert_eq!(e[0].operation_date, date!(2025 - 01 - 12));
    // Scale 0: whole złoty.
    let z = minimal(Arc::new(
        Decimal128Array::from(vec![7, -3])
            .with_precision_and_scale(10, 0)
            .unwrap(),
    ));
    assert_eq!(
        entries_from_arrow(&[z]).unwrap()[1].amount,
        Money::parse("-3").unwrap()
    );
}

#[test]
fn floats_timestamps_and_missing_columns_are_refused_by_type() {
    let floats = minimal(Arc::new(Float64Array::from(vec![0.1, 0.2])));
    match entries_from_arrow(&[floats]) {
        Err(ColumnarError::WrongType { column, found, .. }) => {
            assert_eq!((column.as_str(), found.as_str()), ("amount", "Float64"))
        }
        other => panic!("{other:?}"),
    }
    let mut cols: Vec<(&str, ArrayRef)> = vec![
        ("id", Arc::new(StringArray::from(vec!["P1"]))),
        ("premises", Arc::new(StringArray::from(vec!["1"]))),
        ("kind", Arc::new(StringArray::from(vec!["payment"]))),
        (
            "amount",
            Arc::new(
                Decimal128Array::from(vec![100])
                    .with_precision_and_scale(18, 2)
                    .unwrap(),
            ),
        ),
        (
            "operation_date",
            Arc::new(TimestampMillisecondArray::from(vec![0])),
        ),
    ];
    let e = entries_from_arrow(&[batch(cols.clone())]).unwrap_err();
    assert!(
        matches!(&e, ColumnarError::WrongType { column, .. } if column == "operation_date"),
        "{e}"
    );
    assert!(e.to_string().contains("date32"), "{e}");
    cols.remove(2);
    assert_eq!(
        entries_from_arrow(&[batch(cols)]).unwrap_err(),
        ColumnarError::MissingColumn {
            column: "kind".into()
        }
    );
}

#[test]
fn bad_values_are_reported_for_every_row_and_nothing_is_built() {
    let b = batch(vec![
        (
            "id",
            Arc::new(StringArray::from(vec![
                Some("P1"),
                None,
                Some("P3"),
                Some("P4"),
            ])) as ArrayRef,
        ),
        (
            "premises",
            Arc::new(StringArray::from(vec![
                "0756555", "0756555", "0756555", " 1",
            ])),
        ),
        (
            "kind",
            Arc::new(StringArray::from(vec![
                "payment", "payment", "gift", "payment",
            ])),
        ),
        // 1.005 has a third decimal.
        (
            "amount",
            Arc::new(
                Decimal128Array::from(vec![Some(1_005), Some(2_000), Some(3_000), None])
                    .with_precision_and_scale(18, 3)
                    .unwrap(),
            ),
        ),
        (
            "operation_date",
            Arc::new(Date32Array::from(vec![20_100, 20_100, 20_100, 20_100])),
        ),
    ]);
    let Err(ColumnarError::Rows(e)) = entries_from_arrow(&[b]) else {
        panic!("refused by row")
    };
    let found: Vec<(usize, EntryField)> = e.rows.iter().map(|r| (r.row, r.error.field)).collect();
    assert_eq!(
        found,
        [
            (0, EntryField::Amount),
            (1, EntryField::Id),
            (2, EntryField::Kind),
            (3, EntryField::Premises),
            (3, EntryField::Amount)
        ]
    );
    assert_eq!(e.rows[0].error.value, "1.005");
    assert!(
        e.rows[0].to_string().contains("more than 2 decimal places"),
        "{}",
        e.rows[0]
    );
    assert_eq!(e.rows[1].error.problem, Problem::Missing);
    assert_eq!(e.rows[0].entry_id, "P1");
}

#[test]
fn the_ledger_s_own_rules_hold_for_arrow_input() {
    // A charge without its component and due date, and an id used twice with different content.
    let mut l = Ledger::new();
    l.insert_batch(
        vec![
            LedgerEntry::payment("P1", "1", Money::parse("5").unwrap(), date!(2025 - 01 - 02))
                .unwrap(),
        ],
        InsertMode::Strict,
    )
    .unwrap();
    let b = batch(vec![
        (
            "id",
            Arc::new(StringArray::from(vec!["N1", "P1", "P1"])) as ArrayRef,
        ),
        ("premises", Arc::new(StringArray::from(vec!["1", "1", "1"]))),
        (
            "kind",
            Arc::new(StringArray::from(vec!["charge", "payment", "payment"])),
        ),
        (
            "amount",
            Arc::new(
                Decimal128Array::from(vec![100, 500, 600])
                    .with_precision_and_scale(18, 2)
                    .unwrap(),
            ),
        ),
        (
            "operation_date",
            Arc::new(Date32Array::from(vec![20_100, 20_100, 20_100])),
        ),
    ]);
    let Err(ColumnarError::Rows(e)) = ledger_from_arrow(&[b]) else {
        panic!("refused")
    };
    assert!(e.rows.iter().any(|r| r.row == 0), "{e:?}");
    assert!(e.rows.iter().any(|r| r.row == 2), "{e:?}");
}

#[test]
fn dictionaries_are_checked_once_per_value_and_an_empty_one_reads_as_nulls() {
    let amount: ArrayRef = Arc::new(
        Decimal128Array::from(vec![50_000, 1_234])
            .with_precision_and_scale(18, 2)
            .unwrap(),
    );
    let with = |name: &str, column: ArrayRef| {
        let b = minimal(Arc::clone(&amount));
        let schema = b.schema();
        batch(
            schema
                .fields()
                .iter()
                .zip(b.columns())
                .map(|(f, c)| {
                    let c = if f.name() == name {
                        Arc::clone(&column)
                    } else {
                        Arc::clone(c)
                    };
                    (f.name().as_str(), c)
                })
                .collect(),
        )
    };
    // A dictionary with no values: every key is null; the rows lack a premises (no panic).
    let empty = DictionaryArray::<Int32Type>::try_new(
        arrow_array::Int32Array::from(vec![None, None]),
        Arc::new(StringArray::from(Vec::<&str>::new())),
    )
    .unwrap();
    let Err(ColumnarError::Rows(e)) = entries_from_arrow(&[with("premises", Arc::new(empty))])
    else {
        panic!("refused")
    };
    assert_eq!(
        e.rows
            .iter()
            .map(|r| (r.row, r.error.field, r.error.problem.clone()))
            .collect::<Vec<_>>(),
        [
            (0, EntryField::Premises, Problem::Missing),
            (1, EntryField::Premises, Problem::Missing)
        ]
    );
    // A bad dictionary value is reported on every row that uses it, with its text.
    let kinds = DictionaryArray::<Int32Type>::try_new(
        arrow_array::Int32Array::from(vec![0, 0]),
        Arc::new(StringArray::from(vec!["wplata?"])),
    )
    .unwrap();
    let Err(ColumnarError::Rows(e)) = entries_from_arrow(&[with("kind", Arc::new(kinds))]) else {
        panic!("refused")
    };
    assert_eq!(
        e.rows
            .iter()
            .map(|r| (r.row, r.error.value.as_str()))
            .collect::<Vec<_>>(),
        [(0, "wplata?"), (1, "wplata?")]
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn random_entries_round_trip(rows in proptest::collection::vec((0u8..7, -9_999_999i64..9_999_999, 0i32..3000, proptest::option::of(0i32..40), 0u8..5), 0..60)) {
        let mut entries = Vec::new();
        for (n, (kind, grosze, day, posted, premises)) in rows.into_iter().enumerate() {
            let d = date!(2020 - 01 - 01) + time::Duration::days(i64::from(day));
            let amount = Money::from_grosze(grosze);
            let id = format!("E{n}");
            let p = format!("07{premises}");
            let e = match kind {
                0 => LedgerEntry::charge(&id, &p, "eksploatacja", amount, d, d + time::Duration::days(10)).unwrap().with_document("NAL").unwrap(),
                1 => LedgerEntry::payment(&id, &p, amount, d).unwrap(),
                k => LedgerEntry::new(&id, &p, ebok_core::ledger::EntryKind::ALL[usize::from(k)], amount, d).unwrap(),
            };
            entries.push(match posted { Some(lag) => e.posted(d + time::Duration::days(i64::from(lag))), None => e });
        }
        let mut l = Ledger::new();
        if l.insert_batch(entries, InsertMode::Strict).is_ok() {
            let back = ledger_from_arrow(&[entries_to_arrow(&l)]).unwrap();
            prop_assert_eq!(back.iter().collect::<Vec<_>>(), l.iter().collect::<Vec<_>>());
            prop_assert_eq!(back.balances(date!(2028 - 01 - 01), Some(date!(2027 - 01 - 01))), l.balances(date!(2028 - 01 - 01), Some(date!(2027 - 01 - 01))));
        }
    }
}

#[test]
fn a_large_input_read_on_two_cores_equals_one_pass_and_reports_rows_in_order() {
    let c = SyntheticCooperative::generate(&CooperativeConfig::benchmark(150, 240));
    let batch = entries_to_arrow(&c.ledger);
    let n = batch.num_rows();
    assert!(n >= 1 << 16, "large enough for two cores: {n}");
    // Three batches, the middle one straddling the half.
    let parts = [
        batch.slice(0, 10_000),
        batch.slice(10_000, 40_000),
        batch.slice(50_000, n - 50_000),
    ];
    assert_reads_as(&parts, &c.ledger);
    // A third decimal on rows before, at and after the half: every one reported, in order.
    let amounts = amount_column(&batch);
    let bad_rows = [5, n / 2 - 1, n / 2, n - 3];
    let scaled: Decimal128Array = (0..n)
        .map(|i| Some(amounts.value(i) * 10 + i128::from(bad_rows.contains(&i))))
        .collect::<Decimal128Array>()
        .with_precision_and_scale(19, 3)
        .unwrap();
    let schema = batch.schema();
    let columns: Vec<(&str, ArrayRef)> = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(f, col)| {
            let col = if f.name() == "amount" {
                Arc::new(scaled.clone()) as ArrayRef
            } else {
                Arc::clone(col)
            };
            (f.name().as_str(), col)
        })
        .collect();
    let bad = RecordBatch::try_from_iter(columns).unwrap();
    let Err(ColumnarError::Rows(e)) =
        entries_from_arrow(&[bad.slice(0, 1000), bad.slice(1000, n - 1000)])
    else {
        panic!("refused")
    };
    assert_eq!(
        e.rows
            .iter()
            .map(|r| (r.row, r.error.field))
            .collect::<Vec<_>>(),
        bad_rows.map(|r| (r, EntryField::Amount))
    );
    assert_eq!(
        e.rows[2].entry_id,
        c.ledger.iter().nth(n / 2).unwrap().id.as_str()
    );
}

#[test]
fn a_ledger_with_more_components_than_int16_holds_goes_out_whole() {
    // 40 000 distinct components (the ledger allows up to 65 534): every entry is exported.
    let entries: Vec<LedgerEntry> = (0..40_000)
        .map(|i| {
            LedgerEntry::charge(
                &format!("N{i}"),
                "1",
                &format!("składnik {i}"),
                Money::from_grosze(100),
                date!(2025 - 01 - 01),
                date!(2025 - 01 - 10),
            )
            .unwrap()
        })
        .collect();
    let mut l = Ledger::new();
    l.insert_batch(entries, InsertMode::Strict).unwrap();
    let batch = entries_to_arrow(&l);
    assert_eq!(batch.num_rows(), 40_000);
    assert_reads_as(&[batch], &l);
}
