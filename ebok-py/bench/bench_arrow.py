"""Arrow in and out from Python against the same core calls timed in Rust (issue 17).

    python ebok-py/bench/bench_arrow.py --quick   # a few seconds; run by the test command
    python ebok-py/bench/bench_arrow.py           # full: 2 100 premises x 240 months x 2 = 1 008 000 entries

On the cooperative of bench_python.py, in one run:
  * the ledger out: `pyarrow.table(ledger)` (the PyCapsule stream) and `ledger.to_arrow()`
    against the core's `entries_to_arrow` timed in Rust;
  * the ledger in: `Ledger.from_arrow(pyarrow table)` and `(polars frame)` against the core's
    `ledger_from_arrow` timed in Rust, in entries per second;
  * balances out: `pyarrow.table(ledger.balances(...))` against `balances` + `balances_to_arrow`
    in Rust;
  * the columnar results (statements of the last 12 months, account lines, open items of
    every premises): `pyarrow.table(ledger.…_to_arrow(...))` against the same work timed in
    Rust (issue 17, point 5: ≤ 1.2x).
Medians; the machine is shared and noisy: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import polars as pl
import pyarrow as pa

import ebok

sys.path.insert(0, str(Path(__file__).parent))
from bench_python import rows_for  # noqa: E402


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    premises, months, repeat = (200, 60, 3) if args.quick else (2100, 240, 7)
    ledger = ebok.Ledger.from_entries(rows_for(premises, months))
    n = len(ledger)
    as_of, known_at = dt.date(2026, 11, 21), dt.date(2026, 11, 18)
    med = statistics.median

    rust_out, rust_in, rust_bal = (med(x) for x in ledger._bench_arrow_rust(as_of, known_at, repeat))
    py_table = med(timed(lambda: pa.table(ledger), repeat))
    py_to_arrow = med(timed(lambda: ledger.to_arrow(), repeat))
    table = pa.table(ledger)
    frame = pl.DataFrame(table)
    py_in = med(timed(lambda: ebok.Ledger.from_arrow(table), repeat))
    pl_in = med(timed(lambda: ebok.Ledger.from_arrow(frame), repeat))
    py_bal = med(timed(lambda: pa.table(ledger.balances(as_of, known_at)), repeat * 3))
    rust_bal_only = med(ledger._bench_balances_rust(as_of, known_at, repeat * 3))

    first, last = "2025-12", "2026-11"
    views_rust = ledger._bench_views_rust(first, last, as_of, known_at, repeat)
    views_py = (
        timed(lambda: pa.table(ledger.statements_to_arrow(first, last, known_at)), repeat),
        timed(lambda: pa.table(ledger.account_lines_to_arrow(as_of, known_at=known_at)), repeat),
        timed(lambda: pa.table(ledger.open_items_to_arrow(as_of, known_at)), repeat),
    )
    v_stm, v_lines, v_open = (med(x) for x in views_rust)
    p_stm, p_lines, p_open = (med(x) for x in views_py)

    assert ebok.Ledger.from_arrow(table).balances(as_of, known_at) == ledger.balances(as_of, known_at)
    print(f"entries: {n:,}")
    print(f"out, Rust entries_to_arrow:          {rust_out * 1e3:8.1f} ms  ({n / rust_out / 1e6:5.1f} M entries/s)")
    print(f"out, pyarrow.table(ledger):          {py_table * 1e3:8.1f} ms  -> {py_table / rust_out:.2f}x the Rust call")
    print(f"out, ledger.to_arrow():              {py_to_arrow * 1e3:8.1f} ms  -> {py_to_arrow / rust_out:.2f}x")
    print(f"in,  Rust ledger_from_arrow:         {rust_in * 1e3:8.1f} ms  ({n / rust_in / 1e6:5.2f} M entries/s)")
    print(f"in,  Ledger.from_arrow(pyarrow):     {py_in * 1e3:8.1f} ms  ({n / py_in / 1e6:5.2f} M entries/s) -> {py_in / rust_in:.2f}x")
    print(f"in,  Ledger.from_arrow(polars):      {pl_in * 1e3:8.1f} ms  ({n / pl_in / 1e6:5.2f} M entries/s) -> {pl_in / rust_in:.2f}x")
    print(f"balances, Rust balances only:        {rust_bal_only * 1e3:8.3f} ms")
    print(f"balances, Rust + balances_to_arrow:  {rust_bal * 1e3:8.3f} ms")
    print(f"balances, pyarrow.table(balances()): {py_bal * 1e3:8.3f} ms  -> {py_bal / rust_bal:.2f}x the Rust call")
    for name, rust, py in [
        ("statements, 12 months", v_stm, p_stm),
        ("account lines", v_lines, p_lines),
        ("open items", v_open, p_open),
    ]:
        print(f"{name + ', Rust:':36s} {rust * 1e3:8.1f} ms;  pyarrow.table(...) from Python {py * 1e3:8.1f} ms -> {py / rust:.2f}x")
    if args.quick:
        # Loose, so that a noisy shared machine does not fail the build; the full run records the figures.
        # The fastest run of each: a pause of the shared machine lengthens runs, never shortens them.
        worst = max(min(p) / min(r) for p, r in zip(views_py, views_rust))
        assert worst <= 3, f"the columnar results should cost little more than the Rust call ({worst:.2f}x)"
    return 0


if __name__ == "__main__":
    sys.exit(main())
