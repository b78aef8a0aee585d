"""Reconcile the e-BOK ledger with the accounting system's closing balances.

What a cooperative's accountant runs after each export (seed rule 6: in case of a discrepancy,
contact the office): load the snapshot, compute every premises' balance as of the export day,
compare with the accounting system's closing balances, and print the discrepancies.

    python examples/reconcile.py [SNAPSHOT_DIR] [CLOSING_BALANCES_CSV]

Without arguments it uses the shipped sample snapshot and its `controls.csv` (premises;closing_balance),
with one figure deliberately changed to show a discrepancy.
"""

from __future__ import annotations

import csv
import io
import pathlib
import sys
from decimal import Decimal

import ebok

HERE = pathlib.Path(__file__).resolve().parent


def read_closing_balances(text: str) -> dict[str, Decimal]:
    """premises;closing_balance rows (Polish decimal comma accepted); RAZEM/TOTAL rows skipped."""
    rows = csv.reader(io.StringIO(text), delimiter=";")
    header = next(rows)
    assert [h.strip().lower() for h in header[:2]] == ["premises", "closing_balance"], header
    out: dict[str, Decimal] = {}
    for row in rows:
        if not row or row[0].strip().upper() in {"RAZEM", "TOTAL", "*"}:
            continue
        out[row[0].strip()] = Decimal(row[1].strip().replace(" ", "").replace(",", "."))
    return out


def reconcile(snapshot: pathlib.Path, theirs: dict[str, Decimal]) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    coop, report = ebok.import_snapshot(snapshot, report_control_mismatches=True)
    assert coop.current_as_of is not None
    day = coop.current_as_of.date()
    ours = coop.ledger.balances(day, known_at=day).to_dict()
    discrepancies = []
    for premises in sorted(set(ours) | set(theirs)):
        mine = ours.get(premises, Decimal("0.00"))
        other = theirs.get(premises, Decimal("0.00"))
        if mine != other:
            discrepancies.append((premises, mine, other, mine - other))
    print(f"{coop.name}: {len(ours)} premises, balances as of {day} as posted by then")
    return discrepancies


def main() -> int:
    snapshot = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "data" / "sample-snapshot"
    if len(sys.argv) > 2:
        theirs = read_closing_balances(pathlib.Path(sys.argv[2]).read_text(encoding="utf-8"))
    else:
        theirs = read_closing_balances((snapshot / "controls.csv").read_text(encoding="utf-8"))
        first = sorted(theirs)[0]
        theirs[first] += Decimal("12.50")  # what a mistyped figure in the accounting system looks like
    found = reconcile(snapshot, theirs)
    if not found:
        print("No discrepancies.")
        return 0
    print(f"{'premises':<12}{'ledger':>14}{'theirs':>14}{'difference':>14}")
    for premises, mine, other, diff in found:
        print(f"{premises:<12}{mine:>14}{other:>14}{diff:>14}")
    print(f"{len(found)} discrepancies: check them with the rent office (dział czynszów) before answering residents.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
