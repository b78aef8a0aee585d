"""The ledger through Python: loading, balances with posting lag, statements, errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import ebok

D = dt.date
FLAT = "0756555"

# domain.md §9.5: the monthly charges of a 48.60 m² flat for 3 persons add up to 772.15.
COMPONENTS = [
    ("eksploatacja", "114.21"),
    ("fundusz remontowy", "87.48"),
    ("woda i ścieki", "148.50"),
    ("podgrzanie wody", "136.80"),
    ("c.o.", "150.66"),
    ("odpady komunalne", "108.00"),
    ("domofon", "4.00"),
    ("antena", "6.00"),
    ("dźwig", "16.50"),
]


def may_ledger() -> ebok.Ledger:
    rows: list[tuple[object, ...]] = [
        (f"N-{i}", FLAT, "charge", Decimal(a), D(2025, 5, 1), c, D(2025, 5, 1), D(2025, 5, 10), "NAL 05/2025")
        for i, (c, a) in enumerate(COMPONENTS)
    ]
    # The MT940 fixture's payment: credited Monday 12 May, posted on the 13th.
    rows.append(("WB-1", FLAT, "payment", Decimal("772.15"), D(2025, 5, 12), None, D(2025, 5, 13), None, "WB 12/2025"))
    return ebok.Ledger.from_entries(rows)


def test_worked_example_charges_and_payment() -> None:
    ledger = may_ledger()
    assert len(ledger) == 10
    s = ledger.statement(FLAT, "2025-05")
    assert s.charges_total == Decimal("772.15")
    assert s.charges["c.o."] == Decimal("150.66")
    assert s.payments == Decimal("772.15")
    assert s.closing == Decimal("0.00")
    # What the portal showed on 12 May: the payment had arrived but was not posted yet.
    assert ledger.balance(FLAT, D(2025, 5, 12), known_at=D(2025, 5, 12)) == Decimal("772.15")
    assert [e.id for e in ledger.pending(FLAT, known_at=D(2025, 5, 12))] == ["WB-1"]
    assert ledger.balance(FLAT, D(2025, 5, 31)) == Decimal("0.00")


def test_dicts_and_tuples_load_in_one_call() -> None:
    ledger = ebok.Ledger.from_entries(
        [
            {"id": "P1", "premises": FLAT, "kind": "wpłata", "amount": Decimal("100"), "operation_date": D(2025, 1, 9), "posted_on": D(2025, 1, 10)},
            ("P2", FLAT, "payment", "1 234,56", D(2025, 1, 20)),
            ("K1", FLAT, "korekta", 5, D(2025, 1, 21), None, D(2025, 1, 21)),
        ]
    )
    assert ledger.balance(FLAT, D(2025, 1, 31)) == Decimal("-95.00")
    assert [e.kind for e in ledger.entries(FLAT)] == ["payment", "payment", "correction"]
    report = ledger.insert_many([("P1", FLAT, "payment", Decimal("100"), D(2025, 1, 9), None, D(2025, 1, 10))])
    assert report == {"inserted": 0, "replaced": 0, "unchanged": 1}


def test_balances_mapping_and_total() -> None:
    ledger = may_ledger()
    ledger.insert(("G-1", "G-12", "charge", Decimal("45"), D(2025, 5, 1), "eksploatacja", D(2025, 5, 1), D(2025, 5, 10)))
    b = ledger.balances(D(2025, 5, 31))
    assert len(b) == 2 and FLAT in b and "nope" not in b
    assert b.to_dict() == {"0756555": Decimal("0.00"), "G-12": Decimal("45.00")}
    assert b["G-12"] == Decimal("45.00")
    assert b.to_grosze() == {"0756555": 0, "G-12": 4500}
    assert list(b) == ["0756555", "G-12"]
    assert b.total() == ledger.total(D(2025, 5, 31)) == Decimal("45.00")
    with pytest.raises(ebok.NotFoundError):
        b["nope"]
    with pytest.raises(KeyError):
        b["nope"]


def test_statements_chain_and_account_lines() -> None:
    ledger = may_ledger()
    statements = ledger.statements(FLAT, "2025-04", (2025, 6))
    assert [s.month for s in statements] == ["2025-04", "2025-05", "2025-06"]
    for a, b in zip(statements, statements[1:]):
        assert a.closing == b.opening
    lines = ledger.account_lines(FLAT, D(2025, 12, 31))
    assert lines[-1].running_balance == Decimal("0.00")
    assert lines[0].running_balance == lines[0].effect
    history = ledger.payment_history(FLAT)
    assert [(p.credited_on, p.amount) for p in history] == [(D(2025, 5, 12), Decimal("772.15"))]
    assert ledger.freshness() == D(2025, 5, 13)
    lag = ledger.posting_lag(D(2025, 5, 31))
    assert lag is not None and lag.p95_days == 1 and lag.sample_size == 1


def test_records_repr_eq_and_to_dict() -> None:
    ledger = may_ledger()
    e = ledger.get("WB-1")
    assert e is not None
    assert e == ledger.get("WB-1")
    assert "WB-1" in repr(e) and "Decimal('772.15')" in repr(e)
    assert e.to_dict()["effect"] == Decimal("-772.15")
    assert e.to_dict()["posted_on"] == D(2025, 5, 13)


def test_floats_are_refused() -> None:
    ledger = ebok.Ledger()
    with pytest.raises(ebok.FloatNotAllowedError) as err:
        ledger.insert(("P1", FLAT, "payment", 12.5, D(2025, 1, 1)))
    assert isinstance(err.value, TypeError) and isinstance(err.value, ebok.EbokError)
    assert "amount" in str(err.value) and "12.5" in str(err.value)
    assert len(ledger) == 0


def test_a_bad_batch_reports_every_row_and_changes_nothing() -> None:
    ledger = may_ledger()
    with pytest.raises(ebok.BatchError) as err:
        ledger.insert_many(
            [
                ("OK", FLAT, "payment", Decimal("1"), D(2025, 6, 1)),
                ("X1", FLAT, "payment", Decimal("1.234"), D(2025, 6, 1)),
                ("X2", "bad id", "payment", Decimal("1"), D(2025, 6, 1)),
                ("X3", FLAT, "nonsense", Decimal("1"), D(2025, 6, 1)),
            ]
        )
    assert isinstance(err.value, ValueError)
    assert len(err.value.rows) == 3
    assert "row 1" in str(err.value) and "1.234" in str(err.value)
    assert len(ledger) == 10
    # A conflicting id is caught by the core and named, with the row and field.
    with pytest.raises(ebok.BatchError) as err2:
        ledger.insert(("WB-1", FLAT, "payment", Decimal("1"), D(2025, 5, 12)))
    assert err2.value.rows[0]["field"] == "id" and err2.value.rows[0]["entry_id"] == "WB-1"
    assert ledger.insert(("WB-1", FLAT, "payment", Decimal("1"), D(2025, 5, 12)), replace=True) == {"inserted": 0, "replaced": 1, "unchanged": 0}


def test_dates_must_be_dates() -> None:
    ledger = ebok.Ledger()
    with pytest.raises(TypeError):
        ledger.insert(("P1", FLAT, "payment", Decimal("1"), dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)))
    with pytest.raises(TypeError):
        ledger.balance(FLAT, "2025-01-01")  # type: ignore[arg-type]


def test_every_error_is_an_ebok_error_with_the_fitting_builtin() -> None:
    assert issubclass(ebok.InvalidValueError, ValueError)
    assert issubclass(ebok.NotFoundError, KeyError)
    assert issubclass(ebok.AccessDeniedError, PermissionError)
    assert issubclass(ebok.NaiveDatetimeError, TypeError)
    assert issubclass(ebok.SnapshotError, ValueError)
    for cls in (ebok.InvalidValueError, ebok.NotFoundError, ebok.AccessDeniedError, ebok.BatchError, ebok.PasswordRejectedError):
        assert issubclass(cls, ebok.EbokError)
    with pytest.raises(ebok.InvalidValueError):
        ebok.Ledger().balance("bad id!", D(2025, 1, 1))


def test_entries_posted_before_their_operation_date_load_and_count_from_it() -> None:
    # December's charge booked on 25 November; a payment recorded the day before it is credited.
    ledger = ebok.Ledger.from_entries(
        [
            ("N12", FLAT, "charge", Decimal("412.50"), D(2025, 12, 1), "eksploatacja", D(2025, 11, 25), D(2025, 12, 10)),
            ("W1", FLAT, "payment", Decimal("100"), D(2025, 11, 28), None, D(2025, 11, 27)),
        ]
    )
    assert ledger.balance(FLAT, D(2025, 11, 27)) == Decimal("0.00")
    assert ledger.pending(FLAT, known_at=D(2025, 11, 27)) == []
    assert [e.id for e in ledger.upcoming(FLAT, D(2025, 11, 27))] == ["W1", "N12"]
    assert ledger.balance(FLAT, D(2025, 12, 1)) == Decimal("312.50")


def test_an_unknown_premises_is_a_key_error_not_a_zero() -> None:
    ledger = may_ledger()
    with pytest.raises(KeyError, match="NO-SUCH"):
        ledger.balance("NO-SUCH", D(2025, 5, 31))
    with pytest.raises(ebok.NotFoundError):
        ledger.balance("NO-SUCH", D(2025, 5, 31))


@pytest.mark.parametrize("text", ["1.000", "1.230", "1,000", "12.500 zł"])
def test_ambiguous_amount_text_is_refused(text: str) -> None:
    with pytest.raises(ebok.BatchError, match="ambiguous"):
        ebok.Ledger.from_entries([("P1", FLAT, "payment", text, D(2025, 1, 9))])
    with pytest.raises(ebok.InvalidValueError, match="ambiguous"):
        ebok.late_interest(text, D(2025, 1, 9), D(2025, 2, 9))


@pytest.mark.parametrize(("amount", "expected"), [("1.5", "1.50"), ("1.50", "1.50"), ("1 000,00", "1000.00"), ("1000.00", "1000.00"), (Decimal("1.000"), "1.00")])
def test_unambiguous_amounts_are_read(amount: object, expected: str) -> None:
    ledger = ebok.Ledger.from_entries([("P1", FLAT, "payment", amount, D(2025, 1, 9), None, D(2025, 1, 9))])
    assert ledger.balance(FLAT, D(2025, 1, 9)) == -Decimal(expected)
