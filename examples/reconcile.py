"""Reconcile the bank with the books, and the books with the accounting system.

What a cooperative's accountant runs after each bank statement and each export (seed rule 6: in
case of a discrepancy, contact the office):

1. **Bank ↔ ledger.** Read the bank statements (MT940/MT942/camt, any Polish bank), match each
   credit to a premises by its virtual account, payer id or title, and compare with the payments
   the ledger snapshot holds for the same days. Per premises it lists payments in the bank not yet
   posted, posted payments not in the bank, amounts that differ, and the credits no premises (or
   several) could be matched to, with the reason. Written as a CSV report and a readable summary.
2. **Closing balances.** Compare every premises' ledger balance with the accounting system's
   closing balances (``controls.csv``).

    python examples/reconcile.py [--snapshot DIR] [--register CSV] [--csv OUT] [STATEMENT ...]

Without arguments it uses the shipped sample snapshot, its bank register and the ING statement
of November 2026 (examples/data/sample-bank/), and a closing-balance file with one figure changed.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime
import io
import pathlib
import sys
from collections import defaultdict
from decimal import Decimal

import ebok

HERE = pathlib.Path(__file__).resolve().parent
SAMPLE_SNAPSHOT = HERE / "data" / "sample-snapshot"
SAMPLE_BANK = HERE / "data" / "sample-bank"


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
    """The closing-balance check: (premises, ledger, theirs, difference) for each that differs."""
    coop, _ = ebok.import_snapshot(snapshot, report_control_mismatches=True)
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


@dataclasses.dataclass(frozen=True)
class Finding:
    """One line of the bank reconciliation."""

    kind: str  # not_posted, not_in_bank, amount_differs, unmatched, ambiguous
    premises: str
    bank_date: datetime.date | None
    bank_amount: Decimal | None
    ledger_date: datetime.date | None
    ledger_amount: Decimal | None
    reference: str
    note: str


KIND_PL = {
    "not_posted": "w banku, niezaksięgowana",
    "not_in_bank": "zaksięgowana, brak w banku",
    "amount_differs": "różna kwota",
    "unmatched": "wpłata nieprzypisana",
    "ambiguous": "wpłata niejednoznaczna",
}


def read_register(path: pathlib.Path) -> list[tuple[str, str, datetime.date, datetime.date | None, str | None]]:
    """virtual_accounts.csv rows (the snapshot file's format, docs/interchange-format.md)."""
    out = []
    for r in csv.DictReader(path.open(encoding="utf-8"), delimiter=";"):
        to = datetime.date.fromisoformat(r["valid_to"]) if r.get("valid_to") else None
        out.append((r["account"], r["premises"], datetime.date.fromisoformat(r["valid_from"]), to, r.get("payer_id") or None))
    return out


def bank_reconciliation(
    coop: ebok.Cooperative, files: list[ebok.StatementFile], imported_on: datetime.date, window_days: int = 10
) -> list[Finding]:
    """Imports the statements into the cooperative's bank book and compares, per premises, the
    matched credits with the ledger's posted payments of the statements' days (± the window)."""
    report = coop.import_bank_statements(files, imported_on)
    for w in report["warnings"]:
        print(f"statement warning: {w}")
    entries = [e for f in files for e in f.entries]
    if not entries:
        return []
    first = min(e.value_date for e in entries)
    last = max(e.value_date for e in entries)
    window = datetime.timedelta(days=window_days)
    credits: dict[str, list[ebok.BankMatch]] = defaultdict(list)
    findings: list[Finding] = []
    for m in coop.bank_records():
        if m.returned_by is not None or not (first <= m.entry.value_date <= last):
            continue
        if m.outcome == "matched" and m.premises is not None:
            credits[m.premises].append(m)
        elif m.outcome in ("unmatched", "ambiguous"):
            findings.append(
                Finding(m.outcome, "/".join(m.candidates), m.entry.value_date, m.entry.amount, None, None,
                        m.entry.bank_reference or "", f"{m.reason}; tytuł: {m.entry.title or '—'}")
            )
    for p in sorted({p["id"] for p in coop.premises()}):
        bank = sorted(credits.get(p, []), key=lambda m: m.entry.value_date)
        books = [
            x for x in coop.ledger.payment_history(p)
            if x.amount > 0 and first <= x.credited_on <= last
        ]
        used: set[int] = set()
        left_bank = []
        for m in bank:  # the same amount within the window: reconciled (earliest first)
            hit = next(
                (i for i, x in sorted(enumerate(books), key=lambda t: t[1].credited_on)
                 if i not in used and x.amount == m.entry.amount and abs(x.credited_on - m.entry.value_date) <= window),
                None,
            )
            if hit is None:
                left_bank.append(m)
            else:
                used.add(hit)
        left_books = [x for i, x in enumerate(books) if i not in used]
        for m in left_bank:  # a different amount near the same day: the amounts differ
            near = min(
                (x for x in left_books if abs(x.credited_on - m.entry.value_date) <= window),
                key=lambda x: abs(x.credited_on - m.entry.value_date),
                default=None,
            )
            e = m.entry
            if near is not None:
                left_books.remove(near)
                findings.append(Finding("amount_differs", p, e.value_date, e.amount, near.credited_on, near.amount,
                                        e.bank_reference or "", f"różnica {e.amount - near.amount}"))
            else:
                findings.append(Finding("not_posted", p, e.value_date, e.amount, None, None,
                                        e.bank_reference or "", "w drodze do księgowości"))
        for x in left_books:
            findings.append(Finding("not_in_bank", p, None, None, x.credited_on, x.amount, x.document or x.id,
                                    "np. wpłata w kasie lub na inny rachunek"))
    order = list(KIND_PL)
    return sorted(findings, key=lambda f: (order.index(f.kind), f.premises, f.bank_date or f.ledger_date or first))


def write_csv(findings: list[Finding], out: io.TextIOBase | io.StringIO) -> None:
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(["kind", "premises", "bank_date", "bank_amount", "ledger_date", "ledger_amount", "reference", "note"])
    for f in findings:
        w.writerow([f.kind, f.premises, f.bank_date or "", f.bank_amount if f.bank_amount is not None else "",
                    f.ledger_date or "", f.ledger_amount if f.ledger_amount is not None else "", f.reference, f.note])


def summary(findings: list[Finding]) -> str:
    lines = []
    for kind, label in KIND_PL.items():
        group = [f for f in findings if f.kind == kind]
        if not group:
            continue
        total = sum((f.bank_amount if f.bank_amount is not None else f.ledger_amount or Decimal(0)) for f in group)
        lines.append(f"{label:<28}{len(group):>5} pozycji {total:>14} zł")
        for f in group:
            day = f.bank_date or f.ledger_date
            amount = f.bank_amount if f.bank_amount is not None else f.ledger_amount
            lines.append(f"    {f.premises or '?':<12}{day!s:<12}{amount!s:>12}  {f.reference:<16}{f.note}")
    return "\n".join(lines) if lines else "Bank i księgi zgodne."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("statements", nargs="*", type=pathlib.Path)
    parser.add_argument("--snapshot", type=pathlib.Path, default=SAMPLE_SNAPSHOT)
    parser.add_argument("--register", type=pathlib.Path, default=SAMPLE_BANK / "virtual_accounts.csv")
    parser.add_argument("--balances", type=pathlib.Path, help="closing balances (premises;closing_balance)")
    parser.add_argument("--csv", type=pathlib.Path, help="write the bank reconciliation here")
    args = parser.parse_args(argv)
    statements = args.statements or [SAMPLE_BANK / "ing-2026-11.sta"]

    coop, _ = ebok.import_snapshot(args.snapshot)
    assert coop.current_as_of is not None
    if args.register.exists():
        coop.set_virtual_accounts(read_register(args.register))
    files = [ebok.read_statement(s) for s in statements]
    findings = bank_reconciliation(coop, files, coop.current_as_of.date())
    print("== Bank ↔ księgi ==")
    print(summary(findings))
    if args.csv:
        with args.csv.open("w", encoding="utf-8", newline="") as out:
            write_csv(findings, out)
        print(f"report: {args.csv}")

    if args.balances:
        theirs = read_closing_balances(args.balances.read_text(encoding="utf-8"))
    else:
        theirs = read_closing_balances((args.snapshot / "controls.csv").read_text(encoding="utf-8"))
        if not args.statements:
            first = sorted(theirs)[0]
            theirs[first] += Decimal("12.50")  # what a mistyped figure in the accounting system looks like
    print("\n== Salda zamknięcia ==")
    found = reconcile(args.snapshot, theirs)
    if not found:
        print("No discrepancies.")
    else:
        print(f"{'premises':<12}{'ledger':>14}{'theirs':>14}{'difference':>14}")
        for premises, mine, other, diff in found:
            print(f"{premises:<12}{mine:>14}{other:>14}{diff:>14}")
        print(f"{len(found)} discrepancies: check them with the rent office (dział czynszów) before answering residents.")
    return 1 if found or findings else 0


if __name__ == "__main__":
    sys.exit(main())
