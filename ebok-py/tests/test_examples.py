"""The accountant's reconciliation script and the benchmark script run as shipped."""

from __future__ import annotations

import importlib.util
import pathlib
import subprocess
import sys
from decimal import Decimal

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load(path: pathlib.Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
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


def test_the_benchmark_script_runs_in_quick_mode() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "ebok-py" / "bench" / "bench_python.py"), "--quick"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "x the Rust call" in out.stdout and "faster" in out.stdout
