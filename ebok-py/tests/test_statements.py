"""Bank statements from Python: reading every format, the differential test against the PyPI
package ``mt-940``, DataFrames, matching and pending payments in a cooperative."""

from __future__ import annotations

import datetime
import pathlib
import shutil
import subprocess
import sys
from decimal import Decimal

import mt940
import pytest
import yaml

import ebok

DATA = pathlib.Path(__file__).resolve().parents[2] / "ebok-core" / "tests" / "data" / "bank"
SAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data" / "sample-snapshot"

MT940_FILES = [
    ("mbank-wolph/mt940.sta", "utf-8"),
    ("mbank-wolph/mt942.sta", "utf-8"),
    ("mbank-wolph/with_newline_in_tnr.sta", "utf-8"),
    ("own/ing-cp852.sta", "cp852"),
    ("own/pko-cp1250.sta", "cp1250"),
    ("own/pekao-utf8.sta", "utf-8"),
]


@pytest.mark.parametrize(("name", "encoding"), MT940_FILES)
def test_same_entries_as_the_mt940_package(name: str, encoding: str) -> None:
    """Differential: amounts, dates, references and details agree with ``mt-940`` on each file."""
    ours = ebok.read_statement(DATA / name)
    assert ours.encoding == encoding
    theirs = mt940.parse((DATA / name).read_text(encoding=encoding))
    assert len(ours.entries) == len(theirs) > 0
    for e, t in zip(ours.entries, theirs, strict=True):
        d = t.data
        if e.reversal:
            # Known difference: SWIFT's RC (reversal of a credit) is money out, RD money in;
            # mt-940 negates only "D" and leaves both reversals positive.
            assert abs(e.signed_amount) == abs(d["amount"].amount), name
            assert (e.side, d["status"]) in {("D", "RC"), ("C", "RD")}
        else:
            assert e.signed_amount == d["amount"].amount, name
        assert e.currency == d["amount"].currency
        assert e.value_date == datetime.date(d["date"].year, d["date"].month, d["date"].day)
        if d.get("entry_date") is not None:
            assert e.booking_date == datetime.date(d["entry_date"].year, d["entry_date"].month, d["entry_date"].day)
        assert e.bank_reference == d.get("bank_reference")
        assert e.customer_reference == d.get("customer_reference")
        assert e.raw_details == d.get("transaction_details")
        assert e.transaction_code == d.get("id")


def test_mbank_values_as_the_yml_expects() -> None:
    """The ``.yml`` beside each mBank file is the parsed result wolph/mt940 expects."""
    for name in ["mt940", "with_newline_in_tnr"]:
        expected = yaml.unsafe_load((DATA / "mbank-wolph" / f"{name}.yml").read_text())
        ours = ebok.read_statement(DATA / "mbank-wolph" / f"{name}.sta")
        s = ours.statements[0]
        data = expected.data
        assert s.account == data["account_identification"]
        assert s.number == data["statement_number"]
        assert s.opening is not None and s.opening.amount == data["final_opening_balance"].amount.amount
        assert s.closing is not None and s.closing.amount == data["final_closing_balance"].amount.amount
        refs = [t.data["bank_reference"] for t in expected]
        assert [e.bank_reference for e in s.entries] == refs


def test_errors_name_the_line_or_the_xml_path() -> None:
    with pytest.raises(ebok.StatementFormatError) as e:
        ebok.read_statement(DATA / "mt940-special-svenstaro" / "february_30.sta")
    assert e.value.line == 6 and isinstance(e.value, ValueError)
    with pytest.raises(ebok.StatementFormatError) as e:
        ebok.read_statement(DATA / "camt-genkgo" / "camt053.v2.wrong.xml")
    assert e.value.path == "Document/BkToCstmrStmt"
    with pytest.raises(ebok.StatementFormatError) as e:
        ebok.read_statement((DATA / "mt940-special-svenstaro" / "invalid_utf8.sta").read_bytes(), encoding="utf-8")
    assert e.value.line == 7
    with pytest.raises(ebok.InvalidValueError):
        ebok.read_statement(b":20:X", dialect="santander")
    with pytest.raises(TypeError):
        ebok.read_statement(12)  # type: ignore[arg-type]


def test_camt_and_overrides() -> None:
    f = ebok.read_statement((DATA / "own" / "pko-camt053-v08.xml").read_bytes())
    assert (f.format, f.dialect) == ("camt.053", None)
    assert f.entries[0].virtual_account == "PL76102010260000999900756555"
    forced = ebok.read_statement(DATA / "own" / "ing-cp852.sta", encoding="cp1250", dialect="generic")
    assert (forced.encoding, forced.dialect) == ("cp1250", "generic")


def test_entries_become_a_dataframe() -> None:
    pl = pytest.importorskip("polars")
    pd = pytest.importorskip("pandas")
    f = ebok.read_statement(DATA / "own" / "ing-cp852.sta")
    cols = f.to_columns()
    assert {len(v) for v in cols.values()} == {5}
    df = pl.DataFrame(cols)
    assert df.height == 5
    assert df.filter(pl.col("side") == "C")["amount"].sum() == Decimal("970.15")
    pdf = pd.DataFrame(cols)
    assert pdf["signed_amount"].sum() == Decimal("958.15")


def _cooperative(tmp_path: pathlib.Path) -> ebok.Cooperative:
    copy = tmp_path / "snap"
    shutil.copytree(SAMPLE, copy)
    coop, _ = ebok.import_snapshot(copy)
    return coop


def test_matching_pending_and_supersession(tmp_path: pathlib.Path) -> None:
    coop = _cooperative(tmp_path)
    premises = sorted(p["id"] for p in coop.premises())
    first = premises[0]
    bank = "47105000997600000000000001"
    virtual = "53105000997612340000756555"
    coop.set_virtual_accounts([(virtual, first, datetime.date(2020, 1, 1))])
    assert coop.virtual_account_owner("PL" + virtual, datetime.date(2026, 12, 3)) == first
    mt940_text = (
        f":20:X\n:25:PL{bank}\n:28C:1\n:60F:C261202PLN0,00\n"
        f":61:2612031203CN123,45NTRFNONREF//R1\n:86:020~20WPLATA~60{virtual}\n"
        f":61:2612031203CN10,00NTRFNONREF//R2\n:86:020~20BEZ TYTULU\n"
        f":62F:C261203PLN133,45\n-"
    ).encode()
    f = ebok.read_statement(mt940_text)
    preview = coop.match_statement(f)
    assert [m.outcome for m in preview] == ["matched", "unmatched"]
    assert preview[0].matched_by == "virtual_account" and preview[0].premises == first
    assert coop.bank_records() == []  # matching alone records nothing
    report = coop.import_bank_statements(f, datetime.date(2026, 12, 4))
    assert (report["added"], report["matched"], report["unmatched"]) == (2, 1, 1)
    assert coop.import_bank_statements([f], datetime.date(2026, 12, 5))["unchanged"] == 2
    assert [m.entry.bank_reference for m in coop.unresolved_payments()] == ["R2"]
    pending = coop.pending_payments(first)
    assert [(p.amount, p.credited_on) for p in pending] == [(Decimal("123.45"), datetime.date(2026, 12, 3))]
    assert "w drodze do księgowości" in pending[0].note_pl
    assert coop.pending_payments(first, known_at=datetime.date(2026, 12, 3)) == []
    as_of = datetime.date(2026, 12, 5)
    posted = coop.ledger.balance(first, as_of)
    assert coop.projected_balance(first, as_of) == posted - Decimal("123.45")
    changed = ebok.read_statement(mt940_text.replace(b"123,45", b"123,46").replace(b"133,45", b"133,46"))
    with pytest.raises(ebok.BankConflictError) as e:
        coop.import_bank_statements(changed, datetime.date(2026, 12, 5))
    assert e.value.field == "amount" and e.value.key.endswith("/R1")
    assert len(coop.bank_records()) == 2
    with pytest.raises(ebok.NotFoundError):
        coop.pending_payments("NO-SUCH")


def test_the_statement_benchmark_runs_in_quick_mode() -> None:
    """The benchmark script (BENCHMARKS.md) runs, and ebok reads MT940 faster than mt-940."""
    script = pathlib.Path(__file__).resolve().parents[1] / "bench" / "bench_statements.py"
    out = subprocess.run([sys.executable, str(script), "--quick"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if "faster than mt-940" in x)
    assert int(line.split("ebok is ")[1].split("x")[0]) >= 5, out.stdout
