"""No panic crosses into Python at any edge (issue 13.14): every public entry point is driven with
edge instants, dates, amounts and strings. A Rust panic would surface as pyo3's PanicException,
which derives from BaseException and so escapes ``except Exception``: catching only Exception
here makes any panic fail the test."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any, Callable

import ebok

UTC = dt.timezone.utc
DATES = [dt.date.min, dt.date(1899, 12, 31), dt.date(1900, 1, 1), dt.date(1989, 12, 31), dt.date(2025, 5, 10), dt.date(2199, 12, 31), dt.date(2200, 1, 1), dt.date.max]
INSTANTS = [
    dt.datetime.min.replace(tzinfo=UTC),
    dt.datetime(1970, 1, 1, tzinfo=UTC),
    dt.datetime(2025, 5, 12, 10, tzinfo=UTC),
    dt.datetime(9999, 12, 31, 23, 0, tzinfo=UTC),
    dt.datetime.max.replace(tzinfo=UTC),
    dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-23))),
]
AMOUNTS: list[Any] = [Decimal("0"), Decimal("-1"), Decimal("1E+30"), Decimal("-1E-30"), Decimal("NaN"), Decimal("Infinity"), "1.000", "", "x" * 10_000, 10**30, -(10**30), "9" * 400]
TEXTS = ["", " ", "\x00", "0756555", "ą" * 5000, "NO-SUCH", "../../etc/passwd", "\u202e\u0000\ud7ff"]


def survive(call: Callable[[], Any]) -> None:
    try:
        call()
    except Exception:  # a typed error is an answer; a PanicException is not an Exception
        pass


def test_settlement_and_calendar_functions_at_every_edge() -> None:
    for a, d1, d2 in itertools.product(AMOUNTS, DATES, DATES):
        survive(lambda: ebok.late_interest(a, d1, d2))
    for d in DATES:
        survive(lambda: ebok.effective_due_date(d))
        survive(lambda: ebok.is_public_holiday(d))
    for debt_due, paid in itertools.product(DATES, DATES):
        survive(lambda: ebok.allocate_payment([("D", debt_due, Decimal("1"), Decimal("0"))], "P", Decimal("1"), paid))


def test_the_ledger_at_every_edge() -> None:
    for a, d1, d2 in itertools.product(AMOUNTS, DATES, DATES):
        survive(lambda: ebok.Ledger.from_entries([("E", "1", "charge", a, d1, "c", d2, d2)]))
    ledger = ebok.Ledger.from_entries([("E", "1", "payment", Decimal("1"), dt.date(2025, 1, 1), None, dt.date(2025, 1, 1))])
    for text, d1, d2 in itertools.product(TEXTS, DATES, DATES):
        survive(lambda: ledger.balance(text, d1, d2))
        survive(lambda: ledger.open_items(text, d1, d2))
        survive(lambda: ledger.project_interest(text, d1, d2))
        survive(lambda: ledger.statements(text, "2025-01", "2025-12", d2))
        survive(lambda: ledger.account_lines(text, d1, d2))
        survive(lambda: ledger.posting_lag(d1, 2**31))
    for d in DATES:
        survive(lambda: ledger.balances(d, d))


def test_meters_and_access_at_every_edge() -> None:
    book = ebok.MeterBook()
    book.add_meter("ZW-1", "ZW", "1", dt.date(2020, 1, 1), "0")
    for text, d in itertools.product(TEXTS + ["999 999 999 999,999", "1e308", "-5"], DATES):
        survive(lambda: book.submit_reading("1", "ZW-1", d, text, d))
        survive(lambda: book.submit_reading(text, text, d, "1", d, confirmed=True))
    a = ebok.Authenticator(insecure_fast_hashing=True, seed=1)
    for now, text in itertools.product(INSTANTS, TEXTS):
        survive(lambda: a.create_account("0756555", now, by=text))
        survive(lambda: a.create_account(text, now, activation=now, by="anna.k"))
        created = None
        try:
            created = a.create_account("0756555", INSTANTS[2], by="anna.k")
        except Exception:
            pass
        assert created is not None and created.account is not None
        acc = created.account
        survive(lambda: a.login(acc, text, text, now))
        survive(lambda: a.change_password(acc, text, text, now))
        survive(lambda: a.issue_otp(acc, now, by=text))
        survive(lambda: a.admin_block(acc, text, now))
        survive(lambda: a.close(acc, now, by=text))
        survive(lambda: a.activate(acc, now, by=text))
        survive(lambda: acc.status(now))
        survive(lambda: a.handle_unblock_request(acc, {"sms": text}, now))
        survive(lambda: ebok.parse_unblock_sms(text * 3))


def test_the_bank_side_and_snapshots_at_every_edge(tmp_path: Any) -> None:
    ledger = ebok.Ledger.from_entries([("E", "1", "payment", Decimal("1"), dt.date(2025, 1, 1), None, dt.date(2025, 1, 1))])
    for text, amount in itertools.product(TEXTS + ["29114010810000267002001002", "9" * 26, "PL" + "0" * 26], AMOUNTS):
        survive(lambda: ebok.format_nrb(text))
        survive(lambda: ebok.payment_code(text, text, text, amount, text))
        survive(lambda: ebok.parse_payment_code(text + "|" * 8, strict=False))
        survive(lambda: ebok.qr_svg(text))
        survive(lambda: ebok.VirtualAccountScheme(text[:8], text[:8], 8).account_for(text))
    for d, text in itertools.product(DATES, TEXTS):
        survive(lambda: ebok.transfer(ledger, "1", d, "29114010810000267002001002", text, known_at=d, title_template=text * 3))
    for path in [tmp_path, tmp_path / "missing", "/dev/null", "\x00"]:
        survive(lambda: ebok.import_snapshot(path))
