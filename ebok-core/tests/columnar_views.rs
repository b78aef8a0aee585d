//! What the resident and the accountant read, as Arrow: statements, account lines, open
//! items, meter readings and bank entries. Every column is checked against the values it
//! comes from, and against an independent figure where there is one (the ledger's balances);
//! readings also come back in, all or nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, Date32Array, Decimal128Array, Float64Array, MapArray, RecordBatch, StringArray,
};
use arrow_schema::DataType;
use ebok_core::bank::statement::{ReadOptions, read_statements};
use ebok_core::calendar::YearMonth;
use ebok_core::columnar::{
    ColumnarError, account_lines_to_arrow, add_readings_from_arrow, bank_entries_to_arrow,
    open_items_to_arrow, readings_from_arrow, readings_to_arrow, statements_to_arrow,
};
use ebok_core::ledger::EntryKind;
use ebok_core::meters::MeterBook;
use ebok_core::money::Money;
use ebok_core::settlement::{SettlementPolicy, open_items};
use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
use time::Date;
use time::macros::date;

fn coop() -> SyntheticCooperative {
    SyntheticCooperative::generate(&CooperativeConfig {
        premises: 30,
        months: 24,
        ..CooperativeConfig::default()
    })
}

fn col<'a>(b: &'a RecordBatch, name: &str) -> &'a ArrayRef {
    b.column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"))
}

/// A column as text, whatever its layout (dictionaries are decoded).
fn strs(b: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let a = arrow_cast::cast(col(b, name), &DataType::Utf8).expect("cast to utf8");
    let a = a.as_any().downcast_ref::<StringArray>().expect("utf8");
    (0..a.len())
        .map(|i| (!a.is_null(i)).then(|| a.value(i).to_owned()))
        .collect()
}

/// A decimal(18, 2) column as money.
fn money(b: &RecordBatch, name: &str) -> Vec<Money> {
    let a = col(b, name)
        .as_any()
        .downcast_ref::<Decimal128Array>()
        .expect("decimal128");
    assert_eq!(a.data_type(), &DataType::Decimal128(18, 2), "{name}");
    (0..a.len())
        .map(|i| Money::from_grosze(i64::try_from(a.value(i)).expect("fits")))
        .collect()
}

fn days(b: &RecordBatch, name: &str) -> Vec<Option<Date>> {
    let a = col(b, name)
        .as_any()
        .downcast_ref::<Date32Array>()
        .expect("date32");
    // date32 counts days from 1970-01-01, Julian day 2 440 588.
    (0..a.len())
        .map(|i| {
            (!a.is_null(i)).then(|| Date::from_julian_day(a.value(i) + 2_440_588).expect("a day"))
        })
        .collect()
}

#[test]
fn statements_as_arrow_follow_the_statements_row_by_row_and_add_up() {
    let c = coop();
    let (first, last) = (
        YearMonth::new(2024, 12).unwrap(),
        YearMonth::new(2026, 11).unwrap(),
    );
    for known_at in [None, Some(date!(2025 - 06 - 03))] {
        let all: Vec<_> = c
            .ledger
            .premises()
            .flat_map(|p| c.ledger.statements(p, first, last, known_at))
            .collect();
        let t = statements_to_arrow(&all);
        assert_eq!(t.num_rows(), all.len());
        assert!(t.num_rows() >= 30 * 24);
        let premises = strs(&t, "premises");
        let month = days(&t, "month");
        let known = days(&t, "known_at");
        let (opening, total, payments, closing) = (
            money(&t, "opening"),
            money(&t, "charges_total"),
            money(&t, "payments"),
            money(&t, "closing"),
        );
        let kinds = [
            "correction",
            "interest",
            "settlement",
            "refund",
            "opening_balance",
        ];
        let others: Vec<Vec<Money>> = kinds.iter().map(|k| money(&t, k)).collect();
        let charges = col(&t, "charges")
            .as_any()
            .downcast_ref::<MapArray>()
            .expect("map");
        let mut some_other = false;
        for (i, s) in all.iter().enumerate() {
            assert_eq!(premises[i].as_deref(), Some(s.premises.as_str()));
            assert_eq!(month[i], Some(s.month.first_day()));
            assert_eq!(known[i], s.known_at);
            assert_eq!(opening[i], s.opening.amount());
            assert_eq!(total[i], s.charges_total);
            assert_eq!(payments[i], s.payments);
            assert_eq!(closing[i], s.closing.amount());
            for (k, column) in kinds.iter().zip(&others) {
                let kind: EntryKind = k.parse().unwrap();
                assert_eq!(
                    column[i],
                    s.other.get(&kind).copied().unwrap_or(Money::ZERO),
                    "{k}"
                );
                some_other |= column[i] != Money::ZERO;
            }
            // The row adds up on its own: closing = opening + charges − payments + others.
            let sum = others.iter().fold(
                opening[i]
                    .checked_add(total[i])
                    .unwrap()
                    .checked_sub(payments[i])
                    .unwrap(),
                |acc, o| acc.checked_add(o[i]).unwrap(),
            );
            assert_eq!(sum, closing[i], "row {i}");
            let m = charges.value(i);
            let keys = m.column(0).as_any().downcast_ref::<StringArray>().unwrap();
            let vals = m
                .column(1)
                .as_any()
                .downcast_ref::<Decimal128Array>()
                .unwrap();
            let by_component: BTreeMap<String, Money> = (0..m.len())
                .map(|j| {
                    (
                        keys.value(j).to_owned(),
                        Money::from_grosze(vals.value(j) as i64),
                    )
                })
                .collect();
            let expected: BTreeMap<String, Money> = s
                .charges
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), *v))
                .collect();
            assert_eq!(by_component, expected);
        }
        assert!(
            some_other,
            "the synthetic data has corrections or interest to compare"
        );
    }
}

#[test]
fn account_lines_as_arrow_end_at_each_premises_balance() {
    let c = coop();
    let to = date!(2026 - 06 - 30);
    let known_at = Some(date!(2026 - 07 - 02));
    let ids: Vec<_> = c.ledger.premises().cloned().collect();
    let lines: Vec<_> = ids
        .iter()
        .map(|p| c.ledger.account_lines(p, None, to, known_at))
        .collect();
    let t = account_lines_to_arrow(ids.iter().zip(lines.iter().map(Vec::as_slice)));
    let flat: Vec<_> = lines.iter().flatten().collect();
    assert_eq!(t.num_rows(), flat.len());
    let (id, kind, component) = (strs(&t, "id"), strs(&t, "kind"), strs(&t, "component"));
    let (amount, effect, running) = (
        money(&t, "amount"),
        money(&t, "effect"),
        money(&t, "running_balance"),
    );
    let (operation, posted, due) = (
        days(&t, "operation_date"),
        days(&t, "posted_on"),
        days(&t, "due_date"),
    );
    for (i, l) in flat.iter().enumerate() {
        assert_eq!(id[i].as_deref(), Some(l.id.as_str()));
        assert_eq!(kind[i].as_deref(), Some(l.kind.code()));
        assert_eq!(
            component[i].as_deref(),
            l.component.as_ref().map(|c| c.as_str())
        );
        assert_eq!(
            (amount[i], effect[i], running[i]),
            (l.amount, l.effect, l.running_balance.amount())
        );
        assert_eq!(
            (operation[i], posted[i], due[i]),
            (Some(l.operation_date), l.posted_on, l.due_date)
        );
    }
    // The last line of each premises is its balance, as the ledger computes it separately.
    let premises = strs(&t, "premises");
    let mut last: BTreeMap<String, Money> = BTreeMap::new();
    for (p, r) in premises.iter().zip(&running) {
        last.insert(p.clone().unwrap(), *r);
    }
    for b in c.ledger.balances(to, known_at) {
        assert_eq!(
            last.get(b.premises.as_str())
                .copied()
                .unwrap_or(Money::ZERO),
            b.balance.amount(),
            "{}",
            b.premises
        );
    }
}

#[test]
fn open_items_as_arrow_reconcile_with_the_balances() {
    let c = coop();
    let policy = SettlementPolicy::default();
    for (as_of, known_at) in [
        (date!(2026 - 11 - 20), None),
        (date!(2025 - 09 - 15), Some(date!(2025 - 09 - 10))),
    ] {
        let all: Vec<_> = c
            .ledger
            .premises()
            .map(|p| open_items(&c.ledger, p, as_of, known_at, &policy).expect("open items"))
            .collect();
        let t = open_items_to_arrow(&all);
        assert_eq!(
            t.num_rows(),
            all.iter().map(|o| o.items.len()).sum::<usize>()
        );
        assert!(t.num_rows() > 0);
        let premises = strs(&t, "premises");
        let outstanding = money(&t, "outstanding");
        let interest = money(&t, "interest");
        let overdue = col(&t, "days_overdue")
            .as_any()
            .downcast_ref::<arrow_array::UInt32Array>()
            .unwrap();
        assert!(days(&t, "as_of").iter().all(|d| *d == Some(as_of)));
        assert!(days(&t, "known_at").iter().all(|d| *d == known_at));
        let flat: Vec<_> = all.iter().flat_map(|o| &o.items).collect();
        for (i, item) in flat.iter().enumerate() {
            assert_eq!(
                (outstanding[i], interest[i], overdue.value(i)),
                (item.outstanding, item.interest, item.days_overdue)
            );
        }
        // Σ outstanding − credit not used = the ledger's balance, premises by premises.
        let mut owed: BTreeMap<String, Money> = BTreeMap::new();
        for (p, o) in premises.iter().zip(&outstanding) {
            let e = owed.entry(p.clone().unwrap()).or_insert(Money::ZERO);
            *e = e.checked_add(*o).unwrap();
        }
        for (o, b) in all.iter().zip(c.ledger.balances(as_of, known_at)) {
            assert_eq!(o.premises, b.premises);
            let from_table = owed
                .get(o.premises.as_str())
                .copied()
                .unwrap_or(Money::ZERO);
            assert_eq!(
                from_table.checked_sub(o.unused_credit).unwrap(),
                b.balance.amount(),
                "{}",
                o.premises
            );
        }
    }
}

fn meters_only(book: &MeterBook) -> MeterBook {
    let mut b = MeterBook::new();
    for m in book.meters() {
        b.add_meter(m.clone()).expect("meter");
    }
    b
}

#[test]
fn readings_round_trip_through_arrow() {
    let c = coop();
    let t = readings_to_arrow(&c.meters);
    assert_eq!(t.num_rows(), c.meters.readings().count());
    assert!(t.num_rows() > 0);
    assert_eq!(col(&t, "value").data_type(), &DataType::Decimal128(15, 3));
    let mut back = meters_only(&c.meters);
    assert_eq!(
        add_readings_from_arrow(&mut back, std::slice::from_ref(&t)),
        Ok(t.num_rows())
    );
    assert_eq!(back, c.meters);
    // The premises and kind columns are the meter's.
    let (meter, premises) = (strs(&t, "meter"), strs(&t, "premises"));
    for (m, p) in meter.iter().zip(&premises) {
        let m = c
            .meters
            .meter(&m.as_deref().unwrap().parse().unwrap())
            .unwrap();
        assert_eq!(p.as_deref(), Some(m.premises.as_str()));
    }
}

fn readings_batch(
    value: ArrayRef,
    meter: Vec<Option<&str>>,
    source: Vec<Option<&str>>,
    date: Vec<Option<i32>>,
) -> RecordBatch {
    RecordBatch::try_from_iter([
        ("meter", Arc::new(StringArray::from(meter)) as ArrayRef),
        ("date", Arc::new(Date32Array::from(date)) as ArrayRef),
        ("value", value),
        ("source", Arc::new(StringArray::from(source)) as ArrayRef),
    ])
    .unwrap()
}

#[test]
fn bad_readings_are_reported_by_row_and_column_and_change_nothing() {
    let c = coop();
    let serial = c.meters.meters().next().unwrap().serial.as_str().to_owned();
    let last = c
        .meters
        .readings_of(&serial.parse().unwrap())
        .last()
        .unwrap()
        .clone();
    let day = (last.date - date!(1970 - 01 - 01)).whole_days() as i32;
    // Floats are refused as a type.
    let floats = readings_batch(
        Arc::new(Float64Array::from(vec![1.5])),
        vec![Some(&serial)],
        vec![Some("inspector")],
        vec![Some(day + 30)],
    );
    assert!(
        matches!(readings_from_arrow(&[floats]), Err(ColumnarError::WrongType { column, .. }) if column == "value")
    );
    // Every bad value of every row, with its row and column.
    let values = Decimal128Array::from(vec![
        Some(1_0001),
        Some(5_0000),
        None,
        Some(7_0000),
        Some(-1_0000),
    ])
    .with_precision_and_scale(15, 4)
    .unwrap();
    let bad = readings_batch(
        Arc::new(values),
        vec![
            Some(&serial),
            None,
            Some(&serial),
            Some(&serial),
            Some(" x"),
        ],
        vec![
            Some("inspector"),
            Some("inspector"),
            Some("guess"),
            None,
            Some("remote"),
        ],
        vec![
            Some(day + 1),
            Some(day + 2),
            Some(day + 3),
            None,
            Some(day + 5),
        ],
    );
    let Err(ColumnarError::Values { rows, omitted: 0 }) = readings_from_arrow(&[bad]) else {
        panic!("refused by value")
    };
    let found: Vec<(usize, &str)> = rows.iter().map(|r| (r.row, r.column.as_str())).collect();
    assert_eq!(
        found,
        [
            (0, "value"),
            (1, "meter"),
            (2, "value"),
            (2, "source"),
            (3, "date"),
            (3, "source"),
            (4, "value"),
            (4, "meter")
        ]
    );
    assert_eq!(rows[0].value, "1.0001");
    assert_eq!(rows[0].key, serial);
    // Readable rows the book refuses: an unknown meter, a counter going back. The good row
    // before them is not stored either.
    let thousandths = last.value.thousandths() as i128;
    let values = Decimal128Array::from(vec![thousandths + 1000, thousandths, thousandths - 1])
        .with_precision_and_scale(15, 3)
        .unwrap();
    let refused = readings_batch(
        Arc::new(values),
        vec![Some(&serial), Some("NO-SUCH-METER"), Some(&serial)],
        vec![Some("inspector"); 3],
        vec![Some(day + 10), Some(day + 11), Some(day + 20)],
    );
    let mut book = c.meters.clone();
    let Err(ColumnarError::Values { rows, .. }) = add_readings_from_arrow(&mut book, &[refused])
    else {
        panic!("refused by the book")
    };
    assert_eq!(
        rows.iter()
            .map(|r| (r.row, r.column.as_str()))
            .collect::<Vec<_>>(),
        [(1, "meter"), (2, "value")]
    );
    assert_eq!(book, c.meters, "nothing stored");
}

#[test]
fn bank_entries_as_arrow_carry_every_entry_and_sum_per_statement() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bank");
    let mut files = 0;
    for sub in ["mbank-wolph", "camt-genkgo"] {
        for f in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = f.unwrap().path();
            if !matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("sta" | "xml")
            ) {
                continue;
            }
            let Ok(read) = read_statements(&std::fs::read(&path).unwrap(), &ReadOptions::default())
            else {
                continue; // a file the fixtures mark as wrong
            };
            files += 1;
            let t = bank_entries_to_arrow(&read.statements);
            let entries: Vec<_> = read.statements.iter().flat_map(|s| &s.entries).collect();
            assert_eq!(t.num_rows(), entries.len(), "{}", path.display());
            let (signed, amount) = (money(&t, "signed_amount"), money(&t, "amount"));
            let (side, reference, title) = (
                strs(&t, "side"),
                strs(&t, "bank_reference"),
                strs(&t, "title"),
            );
            let statement = strs(&t, "statement");
            for (i, e) in entries.iter().enumerate() {
                assert_eq!((amount[i], signed[i]), (e.amount, e.signed_amount()));
                assert_eq!(side[i].as_deref(), Some(e.side.code()));
                assert_eq!(reference[i].as_deref(), e.bank_reference.as_deref());
                assert_eq!(title[i].as_deref(), e.title.as_deref());
            }
            // Σ signed amounts per statement = the statement's own total.
            for s in &read.statements {
                let sum = statement
                    .iter()
                    .zip(&signed)
                    .filter(|(n, _)| n.as_deref() == Some(s.name().as_str()))
                    .try_fold(Money::ZERO, |acc, (_, m)| acc.checked_add(*m))
                    .unwrap();
                if read
                    .statements
                    .iter()
                    .filter(|o| o.name() == s.name())
                    .count()
                    == 1
                {
                    assert_eq!(Some(sum), s.entries_total(), "{}", path.display());
                }
            }
        }
    }
    assert!(files >= 6, "read {files} fixture files");
}
