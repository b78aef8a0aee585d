"""ebok from Python against Rust and against pure Python (issue: ebok-py, performance).

    python ebok-py/bench/bench_python.py --quick   # a few seconds; run by the test command
    python ebok-py/bench/bench_python.py           # full: 2 100 premises x 240 months x 2 = 1 008 000 entries

Measures, on a generated cooperative of the benchmark shape (one charge and one payment per
premises per month, the last days' payments unposted):
  * loading entries from Python tuples (entries/s), best and median of several runs;
  * all-premises balances at (as_of, known_at) from Python vs the same core call timed in Rust;
  * the same balances with a pure-Python Decimal loop.
The machine is shared and noisy: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from decimal import Decimal

import ebok


def rows_for(premises: int, months: int) -> list[tuple[object, ...]]:
    start = dt.date(2026, 11, 1)
    firsts = []
    y, m = start.year, start.month
    for _ in range(months):
        firsts.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    firsts.reverse()
    rows: list[tuple[object, ...]] = []
    for p in range(premises):
        pid = f"{700000 + p:07d}"
        amount = Decimal(f"{400 + p % 300}.{p % 100:02d}")
        for i, first in enumerate(firsts):
            base = p * 100_000 + i * 2
            rows.append((f"{base:012d}", pid, "charge", amount, first, "opłaty eksploatacyjne", first, first.replace(day=10), "NAL"))
            paid = first.replace(day=1 + (p + i) % 20)
            posted = paid + dt.timedelta(days=1 + (p + i) % 4)
            rows.append((f"{base + 1:012d}", pid, "payment", amount, paid, None, posted if posted <= dt.date(2026, 11, 21) else None, None, "WB"))
    return rows


def pure_python_balances(rows: list[tuple[object, ...]], as_of: dt.date, known_at: dt.date) -> dict[str, Decimal]:
    acc: dict[str, Decimal] = {}
    for r in rows:
        op, posted = r[4], r[6]
        if op <= as_of and posted is not None and posted <= known_at:  # type: ignore[operator]
            amount = r[3]
            effect = -amount if r[2] == "payment" else amount  # type: ignore[operator]
            acc[r[1]] = acc.get(r[1], Decimal(0)) + effect  # type: ignore[index,arg-type]
    return acc


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small data, loose checks (the test command)")
    args = ap.parse_args()
    premises, months = (200, 60) if args.quick else (2100, 240)
    rows = rows_for(premises, months)
    n = len(rows)
    as_of, known_at = dt.date(2026, 11, 21), dt.date(2026, 11, 18)

    loads = timed(lambda: ebok.Ledger.from_entries(rows), 3 if args.quick else 5)
    ledger = ebok.Ledger.from_entries(rows)
    assert len(ledger) == n

    py_calls = timed(lambda: ledger.balances(as_of, known_at), 50)
    rust_calls = ledger._bench_balances_rust(as_of, known_at, 50)
    dict_calls = timed(lambda: ledger.balances(as_of, known_at).to_dict(), 10)
    pure_calls = timed(lambda: pure_python_balances(rows, as_of, known_at), 1 if args.quick else 2)

    # Same answer everywhere.
    expected = pure_python_balances(rows, as_of, known_at)
    got = ledger.balances(as_of, known_at).to_dict()
    assert {k: v for k, v in got.items() if k in expected} == {k: v.quantize(Decimal("0.01")) for k, v in expected.items()}

    med = statistics.median
    py, rust, to_dict, pure = med(py_calls), med(rust_calls), med(dict_calls), med(pure_calls)
    print(f"entries: {n:,} ({premises} premises x {months} months x 2)")
    print(f"load from tuples: best {n / min(loads) / 1e6:.2f} M entries/s, median {n / med(loads) / 1e6:.2f} M entries/s")
    print(f"balances, Rust core call:        {rust * 1e3:8.3f} ms  ({n / rust / 1e6:,.0f} M entries/s)")
    print(f"balances, from Python:           {py * 1e3:8.3f} ms  -> {py / rust:.2f}x the Rust call")
    print(f"balances + to_dict() (Decimals): {to_dict * 1e3:8.3f} ms  -> {to_dict / rust:.2f}x the Rust call")
    print(f"pure-Python Decimal loop:        {pure * 1e3:8.1f} ms  -> ebok from Python is {pure / py:,.0f}x faster ({pure / to_dict:,.0f}x with to_dict)")
    if args.quick:
        # Loose, so that a noisy shared machine does not fail the build; the full run records the figures.
        assert pure / py >= 20, "ebok from Python should beat pure Python by far"
        assert py / rust <= 5, "the binding should add little to the Rust call"
    return 0


if __name__ == "__main__":
    sys.exit(main())
