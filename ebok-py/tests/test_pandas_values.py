"""Values a pandas or numpy user passes (issue 18): Timestamps of a day, numpy integers, Series."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import ebok

FLAT = "0756555"


def ledger() -> ebok.Ledger:
    book = ebok.Ledger()
    book.insert(("N1", FLAT, "charge", Decimal("500.00"), pd.Timestamp("2025-01-01"), "eksploatacja",
                 pd.Timestamp("2025-01-01"), dt.date(2025, 1, 10)))
    book.insert(("W1", FLAT, "payment", Decimal("120.00"), dt.date(2025, 1, 9), None, dt.date(2025, 1, 10)))
    return book


def test_a_pandas_timestamp_of_a_day_is_a_date() -> None:
    book = ledger()
    assert book.balance(FLAT, pd.Timestamp("2025-01-31")) == book.balance(FLAT, dt.date(2025, 1, 31)) == Decimal("380.00")
    # A naive datetime at midnight is the same day.
    assert book.balance(FLAT, dt.datetime(2025, 1, 31)) == Decimal("380.00")


def test_a_timestamp_with_a_time_of_day_or_a_time_zone_is_refused_clearly() -> None:
    book = ledger()
    with pytest.raises(ebok.InvalidValueError, match="time of day"):
        book.balance(FLAT, pd.Timestamp("2025-01-31 10:30"))
    with pytest.raises(ebok.InvalidValueError, match="time of day"):
        book.balance(FLAT, pd.Timestamp("2025-01-31") + pd.Timedelta(1, "ns"))
    with pytest.raises(TypeError, match="time zone"):
        book.balance(FLAT, pd.Timestamp("2025-01-31", tz="Europe/Warsaw"))


def test_numpy_integers_are_integers_and_balances_make_a_series() -> None:
    book = ledger()
    coop_balances = book.balances(pd.Timestamp("2025-01-31"))
    series = pd.Series(coop_balances)
    assert list(series.index) == [FLAT]
    assert series[FLAT] == Decimal("380.00")
    assert ebok.late_interest(Decimal("500.00"), dt.date(2025, 1, 10), dt.date(2025, 3, 20)) is not None
    # numpy integers where an int is expected.
    days = np.int64(10)
    coop, _ = ebok.import_snapshot(__import__("pathlib").Path(__file__).resolve().parents[2] / "examples" / "data" / "sample-snapshot")
    flat = coop.premises()[0]["id"]
    assert coop.pending_payments(flat, window_days=days) == coop.pending_payments(flat, window_days=10)
    assert coop.resident_slice(coop.premises()[0]["logins"][0], pd.Timestamp("2026-11-20"), months=np.int32(3))["premises"]
