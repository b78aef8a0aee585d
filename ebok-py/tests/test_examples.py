"""The accountant's reconciliation script and the benchmark script run as shipped."""

from __future__ import annotations

import importlib.util
import io
import pathlib
import subprocess
import sys
from decimal import Decimal

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load(path: pathlib.Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_reconciliation_finds_exactly_the_changed_figure() -> None:
    reconcile = load(ROOT / "examples" / "reconcile.py")
    snapshot = ROOT / "examples" / "data" / "sample-snapshot"
    theirs = reconcile.read_closing_balances((snapshot / "controls.csv").read_text(encoding="utf-8"))
    assert reconcile.reconcile(snapshot, theirs) == []
    first = sorted(theirs)[0]
    theirs[first] += Decimal("12.50")
    found = reconcile.reconcile(snapshot, theirs)
    assert [(p, d) for p, _, _, d in found] == [(first, Decimal("-12.50"))]


def test_the_reconciliation_script_runs() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "reconcile.py")], capture_output=True, text=True, check=False)
    assert out.returncode == 1, out.stderr
    assert "1 discrepancies" in out.stdout and "-12.50" in out.stdout
    assert "w banku, niezaksięgowana        3 pozycji" in out.stdout


def test_bank_reconciliation_finds_what_the_sample_month_holds() -> None:
    """The sample statement (examples/data/sample-bank/make.py) holds, beside every posted November
    payment: three credits not posted yet, one 10 groszy off, one without reference, a returned
    transfer and a fee; one posted payment (cash) is not in the bank."""
    import datetime

    import ebok

    reconcile = load(ROOT / "examples" / "reconcile.py")
    coop, _ = ebok.import_snapshot(ROOT / "examples" / "data" / "sample-snapshot")
    coop.set_virtual_accounts(reconcile.read_register(ROOT / "examples" / "data" / "sample-bank" / "virtual_accounts.csv"))
    files = [ebok.read_statement(ROOT / "examples" / "data" / "sample-bank" / "ing-2026-11.sta")]
    found = reconcile.bank_reconciliation(coop, files, datetime.date(2026, 11, 21))
    by_kind: dict[str, list[tuple[str, Decimal | None, Decimal | None]]] = {}
    for f in found:
        by_kind.setdefault(f.kind, []).append((f.premises, f.bank_amount, f.ledger_amount))
    assert by_kind["not_posted"] == [
        ("0700001", Decimal("412.50"), None),
        ("0700002", Decimal("300.00"), None),
        ("0700005", Decimal("1010.00"), None),
    ]
    assert len(by_kind["not_in_bank"]) == 1
    [(p, bank, books)] = by_kind["amount_differs"]
    assert bank is not None and books is not None and bank - books == Decimal("0.10")
    assert by_kind["unmatched"] == [("", Decimal("150.00"), None)]
    assert "ambiguous" not in by_kind
    # The same credits are what the resident sees as pending ("w drodze do księgowości").
    for premises, amount, _ in by_kind["not_posted"]:
        assert [x.amount for x in coop.pending_payments(premises)] == [amount]
    # The returned transfer of 75,00 zł is neither pending nor a finding.
    assert all(f.bank_amount != Decimal("75.00") for f in found)
    out = io.StringIO()
    reconcile.write_csv(found, out)
    assert out.getvalue().splitlines()[0].startswith("kind;premises;bank_date")
    assert len(out.getvalue().splitlines()) == len(found) + 1


def test_the_benchmark_script_runs_in_quick_mode() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "ebok-py" / "bench" / "bench_python.py"), "--quick"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "x the Rust call" in out.stdout and "faster" in out.stdout


def test_the_arrow_benchmark_script_runs_in_quick_mode() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "ebok-py" / "bench" / "bench_arrow.py"), "--quick"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "Ledger.from_arrow(polars)" in out.stdout and "x the Rust call" in out.stdout
