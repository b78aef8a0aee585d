"""Arrow in and out (issue 17): pyarrow, polars and DuckDB take ebok's ledger and balances
through the Arrow PyCapsule interface; `Ledger.from_arrow` takes them back; bad columns are
refused as every other entry point refuses them; DuckDB over Parquet agrees with ebok's
balances to the grosz."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import ebok
from ebok.errors import BatchError, FloatNotAllowedError, InvalidValueError

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def coop() -> ebok.Cooperative:
    c, _ = ebok.import_snapshot(ROOT / "examples" / "data" / "sample-snapshot")
    return c


def test_the_ledger_crosses_as_typed_columns(coop: ebok.Cooperative) -> None:
    t = pa.table(coop.ledger)
    assert t.num_rows == len(coop.ledger)
    assert t.schema.field("amount").type == pa.decimal128(18, 2)
    assert t.schema.field("operation_date").type == pa.date32()
    assert pa.types.is_dictionary(t.schema.field("kind").type)
    assert pa.types.is_dictionary(t.schema.field("premises").type)
    # Exact money: the column's sum is the ledger's sum of amounts, as Decimal.
    total = sum((Decimal(e["amount"]) for e in (coop.ledger.get(i).to_dict() for i in t.column("id").to_pylist()[:50])), Decimal(0))
    assert sum(t.column("amount").to_pylist()[:50], Decimal(0)) == total
    # polars takes the same stream (pl.DataFrame(x) and pl.from_arrow(x)).
    df = pl.DataFrame(coop.ledger)
    assert df.height == t.num_rows
    assert df.schema["amount"] == pl.Decimal(18, 2)
    assert pl.DataFrame(coop.ledger.to_arrow()).height == t.num_rows


def test_round_trips_through_pyarrow_and_polars(coop: ebok.Cooperative) -> None:
    b = coop.ledger.balances(DAY)
    for data in (pa.table(coop.ledger), pl.DataFrame(coop.ledger), coop.ledger.to_arrow()):
        back = ebok.Ledger.from_arrow(data)
        assert len(back) == len(coop.ledger)
        assert back.balances(DAY) == b
        assert back.balances(dt.date(2025, 6, 30), dt.date(2025, 7, 3)) == coop.ledger.balances(dt.date(2025, 6, 30), dt.date(2025, 7, 3))


def test_balances_as_columns(coop: ebok.Cooperative) -> None:
    b = coop.ledger.balances(DAY)
    t = pa.table(b)
    assert t.column_names == ["premises", "balance"]
    assert dict(zip(t.column("premises").to_pylist(), t.column("balance").to_pylist())) == b.to_dict()
    # Balances is a Mapping, so pl.DataFrame(b) reads it as a dict; its table is the frame.
    assert pl.DataFrame(b.to_arrow())["balance"].sum() == b.total()
    rows = duckdb.sql("select premises, balance from b where balance > 0 order by premises").fetchall()
    assert rows == [(k, v) for k, v in b.items() if v > 0]


def frame(**overrides: object) -> pa.Table:
    cols: dict[str, object] = {
        "id": pa.array(["P1", "P2"]),
        "premises": pa.array(["0756555", "0756555"]),
        "kind": pa.array(["payment", "payment"]),
        "amount": pa.array([Decimal("500.00"), Decimal("12.34")], pa.decimal128(18, 2)),
        "operation_date": pa.array([dt.date(2025, 1, 12), dt.date(2025, 1, 13)], pa.date32()),
        "posted_on": pa.array([dt.date(2025, 1, 13), None], pa.date32()),
    }
    cols.update(overrides)
    return pa.table(cols)


def test_accepted_layouts() -> None:
    ok = ebok.Ledger.from_arrow(frame())
    assert ok.balances(dt.date(2025, 1, 31))["0756555"] == Decimal("-500.00")
    # Large strings, a decimal of scale 4 with no third decimal, dictionary kinds.
    wide = frame(
        id=pa.array(["P1", "P2"], pa.large_string()),
        kind=pa.array(["payment", "payment"]).dictionary_encode(),
        amount=pa.array([Decimal("500.0000"), Decimal("12.3400")], pa.decimal128(20, 4)),
    )
    assert ebok.Ledger.from_arrow(wide).balances(dt.date(2025, 1, 31)) == ok.balances(dt.date(2025, 1, 31))


def test_floats_are_refused() -> None:
    with pytest.raises(FloatNotAllowedError, match="amount"):
        ebok.Ledger.from_arrow(frame(amount=pa.array([500.0, 12.34])))
    with pytest.raises(FloatNotAllowedError):
        ebok.Ledger.from_arrow(pl.DataFrame({"id": ["P1"], "premises": ["1"], "kind": ["payment"], "amount": [0.1], "operation_date": [dt.date(2025, 1, 1)]}))


def test_wrong_types_and_missing_columns_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="operation_date.*date32"):
        ebok.Ledger.from_arrow(frame(operation_date=pa.array([dt.datetime(2025, 1, 12), dt.datetime(2025, 1, 13)])))
    with pytest.raises(InvalidValueError, match="column kind is missing"):
        ebok.Ledger.from_arrow(frame().drop_columns(["kind"]))
    with pytest.raises(TypeError):
        ebok.Ledger.from_arrow([("P1", "1")])


def test_bad_rows_are_all_reported_and_nothing_is_built() -> None:
    bad = frame(
        id=pa.array(["P1", None]),
        amount=pa.array([Decimal("500.005"), Decimal("12.34")], pa.decimal128(18, 3)),
    )
    with pytest.raises(BatchError) as e:
        ebok.Ledger.from_arrow(bad)
    rows = e.value.rows  # type: ignore[attr-defined]
    assert [(r["row"], r["field"]) for r in rows] == [(0, "amount"), (1, "id")]
    assert rows[0]["value"] == "500.005"
    assert "2 decimal places" in rows[0]["reason"]


def test_duckdb_over_parquet_agrees_with_ebok_to_the_grosz(coop: ebok.Cooperative, tmp_path: Path) -> None:
    """The path to an existing engine: the cooperative's entries as Parquet, read by DuckDB,
    summed by premises with the sign rule and the (as_of, known_at) filter."""
    path = tmp_path / "entries.parquet"
    pq.write_table(pa.table(coop.ledger), path)
    for as_of, known_at in [(DAY, None), (dt.date(2025, 6, 30), dt.date(2025, 7, 3)), (dt.date(2026, 1, 31), dt.date(2026, 1, 31))]:
        known = known_at or dt.date(9999, 12, 31)
        sql = f"""
            select premises::varchar as premises,
                   sum(case when kind = 'payment' then -amount else amount end) as balance
            from read_parquet('{path}')
            where operation_date <= DATE '{as_of}' and posted_on is not null and posted_on <= DATE '{known}'
            group by premises order by premises"""
        duck = {p: Decimal(b) for p, b in duckdb.sql(sql).fetchall()}
        ours = coop.ledger.balances(as_of, known_at).to_dict()
        # Premises with no entry counting yet have 0.00 in ebok and no group in DuckDB.
        assert {p: v for p, v in ours.items() if p in duck or v != 0} == duck, (as_of, known_at)
        assert sum(duck.values(), Decimal(0)) == coop.ledger.balances(as_of, known_at).total()
    # The register beside the entries: DuckDB joins them (balances by kind of premises).
    premises = tmp_path / "premises.parquet"
    pq.write_table(pa.table(coop.premises_to_arrow()), premises)
    by_kind = dict(
        duckdb.sql(f"""
            select p.kind::varchar, sum(case when e.kind = 'payment' then -e.amount else e.amount end)
            from read_parquet('{path}') e join read_parquet('{premises}') p on p.premises = e.premises::varchar
            where e.operation_date <= DATE '{DAY}' and e.posted_on is not null
            group by all""").fetchall()
    )
    ours: dict[str, Decimal] = {}
    balances = coop.ledger.balances(DAY)
    for p in coop.premises():
        ours[p["kind"]] = ours.get(p["kind"], Decimal(0)) + balances.get(p["id"], Decimal(0))
    assert {k: v for k, v in ours.items() if k in by_kind} == by_kind
    assert len(pa.table(coop.premises_to_arrow())) == len(coop.premises())
