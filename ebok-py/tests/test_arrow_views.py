"""What the resident and the accountant read, as Arrow tables (issue 17, point 1): statements,
account lines, open items, meter readings (both ways) and bank entries. Each table is checked
against the objects the row-by-row API returns, and pyarrow, polars and DuckDB read it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pytest

import ebok
from ebok.errors import BatchError, FloatNotAllowedError

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 11, 21)
KNOWN = dt.date(2026, 7, 3)


@pytest.fixture(scope="module")
def coop() -> ebok.Cooperative:
    c, _ = ebok.import_snapshot(ROOT / "examples" / "data" / "sample-snapshot")
    return c


def test_statements_table_equals_the_statements(coop: ebok.Cooperative) -> None:
    ledger = coop.ledger
    t = pa.table(ledger.statements_to_arrow("2025-01", "2026-11", KNOWN))
    premises = ledger.premises()
    assert t.num_rows == len(premises) * 23
    assert t.schema.field("closing").type == pa.decimal128(18, 2)
    assert t.schema.field("month").type == pa.date32()
    rows = t.to_pylist()
    i = 0
    for p in premises:
        for s in ledger.statements(p, "2025-01", "2026-11", KNOWN):
            r = rows[i]
            i += 1
            assert (r["premises"], r["month"].strftime("%Y-%m"), r["month"].day, r["known_at"]) == (p, s.month, 1, KNOWN)
            assert (r["opening"], r["charges_total"], r["payments"], r["closing"]) == (s.opening, s.charges_total, s.payments, s.closing)
            assert dict(r["charges"]) == s.charges
            others = r["correction"] + r["interest"] + r["settlement"] + r["refund"] + r["opening_balance"]
            assert r["opening"] + r["charges_total"] - r["payments"] + others == r["closing"]
    # One premises only, as a str or a list.
    one = premises[0]
    assert pa.table(ledger.statements_to_arrow("2025-01", "2025-03", premises=one)).num_rows == 3
    assert pa.table(ledger.statements_to_arrow("2025-01", "2025-03", premises=[one, premises[1]])).num_rows == 6
    with pytest.raises(TypeError):
        ledger.statements_to_arrow("2025-01", "2025-03", premises=7)  # type: ignore[arg-type]


def test_account_lines_end_at_the_balances_in_polars(coop: ebok.Cooperative) -> None:
    ledger = coop.ledger
    df = pl.DataFrame(ledger.account_lines_to_arrow(DAY, known_at=KNOWN))
    assert df.schema["running_balance"] == pl.Decimal(18, 2)
    first = ledger.premises()[0]
    ours = [l.running_balance for l in ledger.account_lines(first, DAY, known_at=KNOWN)]
    assert df.filter(pl.col("premises") == first)["running_balance"].to_list() == ours
    last = df.group_by("premises", maintain_order=True).agg(pl.col("running_balance").last())
    balances = ledger.balances(DAY, KNOWN)
    for p, b in last.iter_rows():
        assert b == balances[p]


def test_open_items_reconcile_with_the_balances_in_duckdb(coop: ebok.Cooperative) -> None:
    ledger = coop.ledger
    items = ledger.open_items_to_arrow(DAY)
    owed = dict(duckdb.sql("select premises::varchar, sum(outstanding) from items group by all").fetchall())
    balances = ledger.balances(DAY)
    assert owed, "the sample has open items"
    for p in ledger.premises():
        o = ledger.open_items(p, DAY)
        assert owed.get(p, Decimal(0)) == sum((i.outstanding for i in o.items), Decimal(0))
        assert owed.get(p, Decimal(0)) - o.unused_credit == balances[p]
    [(interest,)] = duckdb.sql("select sum(interest) from items").fetchall()
    assert interest == sum((i.interest for p in ledger.premises() for i in ledger.open_items(p, DAY).items), Decimal(0))


def test_readings_round_trip_and_bad_readings_change_nothing(coop: ebok.Cooperative) -> None:
    book = coop.meters
    t = pa.table(book.readings_to_arrow())
    assert t.schema.field("value").type == pa.decimal128(15, 3)
    serial = t.column("meter")[0].as_py()
    assert [r.value for r in book.readings(serial)] == [
        v for m, v in zip(t.column("meter").to_pylist(), t.column("value").to_pylist()) if m == serial
    ]
    # Back into a book that has the meters: the same readings (here, the same book again: a
    # reading of the same meter and day replaces itself).
    before = book.readings(serial)
    assert book.add_readings_from_arrow(pl.DataFrame(t)) == t.num_rows
    assert book.readings(serial) == before
    last = before[-1]
    bad = pa.table(
        {
            "meter": [serial, "NO-SUCH-METER", serial, None],
            "date": pa.array([last.date + dt.timedelta(days=30)] * 4, pa.date32()),
            "value": pa.array([last.value + 1, Decimal(1), last.value - 10, Decimal(1)], pa.decimal128(15, 3)),
            "source": ["inspector", "inspector", "remote", "inspector"],
        }
    )
    with pytest.raises(BatchError) as e:
        book.add_readings_from_arrow(bad)
    rows = e.value.rows  # type: ignore[attr-defined]
    assert [(r["row"], r["field"]) for r in rows] == [(3, "meter")]
    with pytest.raises(BatchError) as e:
        book.add_readings_from_arrow(bad.slice(0, 3))
    assert [(r["row"], r["field"], r["entry_id"]) for r in e.value.rows] == [(1, "meter", "NO-SUCH-METER"), (2, "value", serial)]  # type: ignore[attr-defined]
    assert book.readings(serial) == before, "nothing stored"
    with pytest.raises(FloatNotAllowedError, match="value"):
        book.add_readings_from_arrow(bad.set_column(2, "value", pa.array([1.5, 1.0, 2.0, 3.0])))


def test_bank_entries_as_arrow() -> None:
    f = ebok.read_statement(ROOT / "examples" / "data" / "sample-bank" / "ing-2026-11.sta")
    t = pa.table(f)
    assert t.num_rows == len(f.entries)
    assert t.schema.field("signed_amount").type == pa.decimal128(18, 2)
    assert t.column("amount").to_pylist() == [e.amount for e in f.entries]
    assert t.column("bank_reference").to_pylist() == [e.bank_reference for e in f.entries]
    [(total,)] = duckdb.sql("select sum(signed_amount) from t").fetchall()
    assert total == sum((e.signed_amount for e in f.entries), Decimal(0))
    assert {"C", "D"} == set(t.column("side").to_pylist())
    # Every field of an entry is a column, with the same values.
    rows = t.to_pylist()
    for e, r in zip(f.entries, rows):
        assert {k: r[k] for k in e.to_dict()} == e.to_dict()
    assert pl.DataFrame(f.to_arrow()).height == len(f.entries)


def test_bank_records_as_arrow(coop: ebok.Cooperative) -> None:
    c, _ = ebok.import_snapshot(ROOT / "examples" / "data" / "sample-snapshot")
    f = ebok.read_statement(ROOT / "examples" / "data" / "sample-bank" / "ing-2026-11.sta")
    c.import_bank_statements(f, DAY)
    t = pa.table(c.bank_records_to_arrow())
    records = c.bank_records()
    assert t.num_rows == len(records) > 0
    assert t.column("outcome").to_pylist() == [r.outcome for r in records]
    assert t.column("premises").to_pylist() == [r.premises for r in records]
