"""Settlements through Python: domain.md §9.2–§9.4."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import ebok

D = dt.date


@pytest.mark.parametrize(
    ("principal", "due", "paid", "days", "segments", "expected"),
    [
        ("500.00", D(2025, 1, 10), D(2025, 3, 20), 69, 1, "10.63"),
        ("1000.00", D(2025, 4, 10), D(2025, 7, 15), 96, 3, "28.55"),
        ("450.00", D(2022, 6, 10), D(2022, 9, 30), 112, 3, "16.47"),
        ("300.00", D(2024, 1, 10), D(2024, 3, 11), 61, 1, "5.64"),
    ],
)
def test_late_interest_fixtures(principal: str, due: dt.date, paid: dt.date, days: int, segments: int, expected: str) -> None:
    i = ebok.late_interest(Decimal(principal), due, paid)
    assert (i.days, len(i.segments), i.total) == (days, segments, Decimal(expected))


def test_leap_year_basis_and_saturday_shift() -> None:
    assert ebok.late_interest(Decimal("300.00"), D(2024, 1, 10), D(2024, 3, 11), basis="actual").total == Decimal("5.63")
    effective = ebok.effective_due_date(D(2025, 5, 10))
    assert effective == D(2025, 5, 12)
    assert ebok.late_interest(Decimal("500"), effective, D(2025, 5, 13)).total == Decimal("0.15")
    assert ebok.late_interest(Decimal("500"), effective, D(2025, 5, 12)).total == Decimal("0.00")


@pytest.mark.parametrize(
    ("nominal", "effective"),
    [
        (D(2025, 5, 10), D(2025, 5, 12)),
        (D(2026, 1, 10), D(2026, 1, 12)),
        (D(2024, 11, 10), D(2024, 11, 12)),
        (D(2025, 12, 24), D(2025, 12, 29)),
        (D(2024, 12, 24), D(2024, 12, 24)),
        (D(2026, 5, 3), D(2026, 5, 4)),
    ],
)
def test_due_date_shift(nominal: dt.date, effective: dt.date) -> None:
    assert ebok.effective_due_date(nominal) == effective


def test_holidays_and_policy_due_dates() -> None:
    assert ebok.is_public_holiday(D(2025, 6, 19))  # Corpus Christi 2025
    assert ebok.SettlementPolicy().due_date(2025, 5) == D(2025, 5, 12)
    assert ebok.SettlementPolicy(due_day="last").due_date(2025, 5) == D(2025, 6, 2)
    with pytest.raises(ebok.PolicyError):
        ebok.SettlementPolicy(due_day=32)


def test_the_rate_table_is_replaceable() -> None:
    t = ebok.RateTable.statutory()
    assert t.rate_on(D(2025, 5, 8)) == Decimal("10.75")
    flat = ebok.RateTable.from_rows([(D(2020, 1, 1), Decimal("10"))])
    assert ebok.late_interest(Decimal("365"), D(2025, 1, 1), D(2025, 1, 11), rates=flat).total == Decimal("1.00")
    more = flat.with_rate(D(2025, 1, 6), "20")
    assert ebok.late_interest(Decimal("365"), D(2025, 1, 1), D(2025, 1, 11), rates=more).total == Decimal("1.60")
    assert len(ebok.RateTable.parse("2024-01-01;11,25\n2025-01-01;10.5")) == 2
    with pytest.raises(ebok.FloatNotAllowedError):
        flat.with_rate(D(2025, 1, 1), 9.5)


def case_a() -> ebok.Ledger:
    return ebok.Ledger.from_entries(
        [
            ("JAN", "A1", "charge", Decimal("500"), D(2025, 1, 1), "eksploatacja", D(2025, 1, 1), D(2025, 1, 10)),
            ("FEB", "A1", "charge", Decimal("500"), D(2025, 2, 1), "eksploatacja", D(2025, 2, 1), D(2025, 2, 10)),
            ("P600", "A1", "payment", Decimal("600"), D(2025, 3, 20), None, D(2025, 3, 21)),
        ]
    )


def test_case_a_interest_first_and_principal_only() -> None:
    ledger = case_a()
    first = ledger.open_items("A1", D(2025, 3, 20), policy=ebok.SettlementPolicy(order="interest_first"))
    assert [(i.id, i.outstanding) for i in first.items] == [("FEB", Decimal("416.49"))]
    only = ledger.open_items("A1", D(2025, 3, 20))
    assert [(i.id, i.outstanding) for i in only.items] == [("FEB", Decimal("400.00"))]
    assert only.arrears == Decimal("400.00") and only.oldest_overdue == D(2025, 2, 10)
    assert only.interest_total == Decimal("16.49")
    # As the portal knew it on the 20th (the payment posted on the 21st), nothing was paid.
    assert ledger.open_items("A1", D(2025, 3, 20), known_at=D(2025, 3, 20)).arrears == Decimal("1000.00")


def test_case_a_with_the_plain_allocator_and_case_b() -> None:
    r = ebok.allocate_payment(
        [("JAN", D(2025, 1, 10), Decimal("500"), Decimal("10.63")), ("FEB", D(2025, 2, 10), Decimal("500"), Decimal("5.86"))],
        "P",
        Decimal("600"),
        D(2025, 3, 20),
        order="interest_first",
    )
    assert r["owed"]["FEB"] == (Decimal("416.49"), Decimal("0.00"))
    b = ebok.allocate_payment(
        [("D1", D(2014, 1, 10), Decimal("5000"), Decimal("1000")), ("D2", D(2014, 2, 10), Decimal("7000"), Decimal("2000"))],
        "P",
        Decimal("5000"),
        D(2014, 9, 1),
        designated="D1",
        order="interest_first",
    )
    assert b["owed"] == {"D1": (Decimal("1000.00"), Decimal("0.00")), "D2": (Decimal("7000.00"), Decimal("2000.00"))}
    assert b["lines"] == [("D1", "interest", Decimal("1000.00")), ("D1", "principal", Decimal("4000.00"))]
    assert b["credit_left"] == Decimal("0.00")


def test_stored_allocations_and_designations_win() -> None:
    ledger = case_a()
    ledger.designate("P600", "FEB")
    assert [(i.id, i.outstanding) for i in ledger.open_items("A1", D(2025, 3, 20)).items] == [("JAN", Decimal("400.00"))]
    ledger.set_allocations("P600", [("JAN", "principal", Decimal("500")), ("FEB", "principal", "100")])
    assert ledger.allocations() == [("P600", "JAN", "principal", Decimal("500.00")), ("P600", "FEB", "principal", Decimal("100.00"))]
    assert [(i.id, i.outstanding) for i in ledger.open_items("A1", D(2025, 3, 20)).items] == [("FEB", Decimal("400.00"))]
    with pytest.raises(ebok.InvalidValueError):
        ledger.set_allocations("P600", [("JAN", "principal", Decimal("700"))])


def test_pay_on_projection() -> None:
    ledger = ebok.Ledger.from_entries([("N1", "1", "charge", Decimal("500"), D(2025, 1, 1), "eksploatacja", D(2025, 1, 1), D(2025, 1, 10))])
    p = ledger.project_interest("1", D(2025, 2, 1), D(2025, 3, 20))
    assert (p.principal, p.interest, p.total) == (Decimal("500.00"), Decimal("10.63"), Decimal("510.63"))
    assert p.to_dict()["pay_on"] == D(2025, 3, 20)


def test_interest_before_2016_uses_the_statutory_rate_never_zero() -> None:
    # 1 000.00 due 2015-12-10 paid 2016-01-31: 21 days at 8 % (Dz.U. 2014 poz. 1858) + 31 at 7 %.
    i = ebok.late_interest(Decimal("1000.00"), D(2015, 12, 10), D(2016, 1, 31))
    assert [(s.days, s.rate_percent) for s in i.segments] == [(21, Decimal("8")), (31, Decimal("7"))]
    assert i.total == Decimal("10.55")
    with pytest.raises(ebok.InvalidValueError, match="no late-interest rate for day 1993-04-02"):
        ebok.late_interest(Decimal("100"), D(1993, 4, 1), D(1993, 6, 1))


def test_a_debt_is_matured_on_its_nominal_due_date() -> None:
    # Due Saturday 19 July 2025 (effective Monday 21st); paid that Saturday: settled, no credit left.
    r = ebok.allocate_payment([("N07", D(2025, 7, 19), Decimal("300"), Decimal("0"))], "P", Decimal("300"), D(2025, 7, 19))
    assert r["credit_left"] == Decimal("0")
    assert r["owed"]["N07"] == (Decimal("0"), Decimal("0"))


def test_credit_before_a_charge_falls_due_is_reserved_for_it() -> None:
    ledger = ebok.Ledger.from_entries(
        [
            ("N04", "1", "charge", Decimal("129.41"), D(2026, 4, 1), "eksploatacja", D(2026, 4, 1), D(2026, 4, 15)),
            ("P1", "1", "payment", Decimal("844.06"), D(2026, 4, 7), None, D(2026, 4, 8)),
        ]
    )
    items = ledger.open_items("1", D(2026, 4, 10))
    assert items.items == [] and items.not_yet_due == Decimal("0.00")
    assert items.unused_credit == Decimal("714.65")
    assert ledger.balance("1", D(2026, 4, 10)) == -items.unused_credit
