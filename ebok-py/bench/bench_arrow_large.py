"""`Ledger.from_arrow` of the issue-17 cooperative from Python, beside the same core call in Rust.

    python ebok-py/bench/bench_arrow_large.py            # 40 000 premises x 240 months x 2 = 19 200 000 entries
    python ebok-py/bench/bench_arrow_large.py --premises 2000   # smaller

The table is built with numpy and pyarrow (no Python object per row): ids as text, premises,
kinds and components dictionary-encoded (as `Ledger.to_arrow()` and a polars Categorical give
them), money as decimal128(18, 2), days as date32; the last payments unposted. Times, medians
of `--repeat` runs: `Ledger.from_arrow(pyarrow table)`, `Ledger.from_arrow(polars frame)` and
the core's `ledger_from_arrow` timed in Rust (`_bench_arrow_rust`) on the ledger's own batch.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

import ebok

EPOCH = dt.date(1970, 1, 1)


def table(premises: int, months: int) -> pa.Table:
    n = premises * months * 2
    row = np.arange(n, dtype=np.int64)
    p = (row // (months * 2)).astype(np.int32)
    m = (row // 2) % months
    is_payment = (row % 2).astype(np.int8)
    # Month m's first day, the last month being 2026-11.
    nov_2026 = 2026 * 12 + 10  # months since year 0, January = 0
    first = np.array(
        [(dt.date((nov_2026 - k) // 12, (nov_2026 - k) % 12 + 1, 1) - EPOCH).days for k in reversed(range(months))],
        dtype=np.int32,
    )
    op = first[m] + np.where(is_payment == 1, (p + m) % 20, 0).astype(np.int32)
    posted = op + np.where(is_payment == 1, 1 + (p + m) % 4, 0).astype(np.int32)
    end = (dt.date(2026, 11, 21) - EPOCH).days
    grosze = (40_000 + (p % 300) * 100 + p % 100).astype(np.int64)
    money = np.zeros((n, 2), dtype=np.int64)
    money[:, 0] = grosze
    amount = pa.Array.from_buffers(pa.decimal128(18, 2), n, [None, pa.py_buffer(money.tobytes())])
    ids = pc.cast(pa.array(row), pa.string())
    names = pa.array([f"{700000 + i:07d}" for i in range(premises)])
    return pa.table(
        {
            "id": ids,
            "premises": pa.DictionaryArray.from_arrays(pa.array(p), names),
            "kind": pa.DictionaryArray.from_arrays(pa.array(is_payment), pa.array(["charge", "payment"])),
            "amount": amount,
            "component": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(n, dtype=np.int8), mask=is_payment == 1), pa.array(["opłaty eksploatacyjne"])
            ),
            "operation_date": pa.array(op, pa.date32()),
            "posted_on": pa.array(posted, pa.date32(), mask=posted > end),
            "due_date": pa.array(first[m] + 9, pa.date32(), mask=is_payment == 1),
        }
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--premises", type=int, default=40_000)
    ap.add_argument("--months", type=int, default=240)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    t = table(args.premises, args.months)
    n = t.num_rows
    frame = pl.DataFrame(t)
    med = statistics.median

    def timed(fn) -> float:  # type: ignore[no-untyped-def]
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - start)
        return med(runs)

    py = timed(lambda: ebok.Ledger.from_arrow(t))
    pl_ = timed(lambda: ebok.Ledger.from_arrow(frame))
    ledger = ebok.Ledger.from_arrow(t)
    assert len(ledger) == n
    as_of = dt.date(2026, 11, 21)
    _, rust_in, _ = (med(x) for x in ledger._bench_arrow_rust(as_of, None, args.repeat))
    print(f"entries: {n:,} ({args.premises} premises x {args.months} months x 2)")
    print(f"Rust ledger_from_arrow (own batch):   {rust_in:6.2f} s  ({n / rust_in / 1e6:5.2f} M entries/s)")
    print(f"Ledger.from_arrow(pyarrow table):     {py:6.2f} s  ({n / py / 1e6:5.2f} M entries/s) -> {py / rust_in:.2f}x")
    print(f"Ledger.from_arrow(polars frame):      {pl_:6.2f} s  ({n / pl_ / 1e6:5.2f} M entries/s) -> {pl_ / rust_in:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
