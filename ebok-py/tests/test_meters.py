"""Meters through Python: domain.md §9.6 and reading validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ebok

D = dt.date
FLAT = "0756555"


def book() -> ebok.MeterBook:
    b = ebok.MeterBook()
    b.add_meter("OLD", "ZW", FLAT, D(2019, 5, 1), "0", location="kuchnia", legalization="2019")
    b.add_reading("OLD", D(2025, 1, 1), Decimal("240.000"))
    b.replace_meter("OLD", D(2025, 3, 14), Decimal("245.120"), "NEW", Decimal("0.015"), legalization="M24")
    b.add_reading("NEW", D(2025, 7, 1), "3,456", source="remote")
    return b


def test_consumption_across_a_replacement() -> None:
    c = book().consumption(FLAT, "cold_water", D(2025, 1, 1), D(2025, 7, 1))
    assert c.total == Decimal("8.561")
    assert [(p.meter, p.amount) for p in c.parts] == [("OLD", Decimal("5.120")), ("NEW", Decimal("3.441"))]
    assert not c.is_estimated


def test_simple_consumption_sewage_and_months() -> None:
    b = ebok.MeterBook()
    b.add_meter("ZW-1", "cold_water", FLAT, D(2020, 1, 1), "100")
    b.add_meter("CW-1", "hot_water", FLAT, D(2020, 1, 1), "50")
    for serial, start, end in [("ZW-1", "123.456", "131.789"), ("CW-1", "60.000", "63.250")]:
        b.add_reading(serial, D(2025, 1, 1), start)
        b.add_reading(serial, D(2025, 7, 1), end)
    assert b.consumption(FLAT, "ZW", D(2025, 1, 1), D(2025, 7, 1)).total == Decimal("8.333")
    assert b.sewage(FLAT, D(2025, 1, 1), D(2025, 7, 1)).total == Decimal("11.583")
    months = b.monthly_consumption(FLAT, "hot_water", "2025-01", "2025-06")
    assert [m for m, _ in months] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]


def test_estimate_and_legalization() -> None:
    assert ebok.estimate_from_average(Decimal("24.600"), 181, 184) == Decimal("25.008")
    assert ebok.legalization_valid_through("2021") == D(2026, 12, 31)
    assert ebok.legalization_valid_through("M21") == D(2026, 11, 30)
    meters = book().meters(FLAT)
    assert meters[0].legalization_valid_through == D(2024, 12, 31)
    assert meters[1].legalization == "M2024"


def test_resident_readings_get_a_verdict_and_rejected_ones_store_nothing() -> None:
    b = book()
    rejected = b.submit_reading(FLAT, "NEW", D(2025, 7, 15), "3.000", today=D(2025, 7, 20))
    assert not rejected.accepted and rejected.reasons == ["lower_than_previous"]
    assert "niższy" in rejected.messages_pl[0]
    assert len(b.readings("NEW")) == 1
    assert b.validate_reading(FLAT, "NOPE", D(2025, 7, 15), "4", today=D(2025, 7, 20)).reasons == ["unknown_meter"]
    assert b.validate_reading(FLAT, "NEW", D(2025, 7, 15), "4.1234", today=D(2025, 7, 20)).reasons == ["too_many_decimals"]
    assert b.validate_reading(FLAT, "OLD", D(2025, 7, 15), "250", today=D(2025, 7, 20)).reasons == ["meter_removed"]
    future = b.validate_reading(FLAT, "NEW", D(2025, 7, 25), "4", today=D(2025, 7, 20))
    assert future.reasons == ["date_in_future"]
    window = (D(2025, 6, 25), D(2025, 6, 30))
    ok = b.submit_reading(FLAT, "NEW", D(2025, 7, 15), "3.700", today=D(2025, 7, 20), window=window)
    assert ok.accepted and "outside_reading_window" in ok.warnings
    assert len(b.readings("NEW")) == 2
    slip = b.validate_reading(FLAT, "NEW", D(2025, 8, 15), "70,800", today=D(2025, 8, 20))  # ~10x the expected 7.08
    # Possible but unusual: held for the resident's confirmation, not accepted outright.
    assert not slip.accepted and slip.needs_confirmation and "likely_decimal_slip" in slip.warnings
    confirmed = b.validate_reading(FLAT, "NEW", D(2025, 8, 15), "70,800", today=D(2025, 8, 20), confirmed=True)
    assert confirmed.accepted and "likely_decimal_slip" in confirmed.warnings


def test_an_impossible_reading_is_refused_and_an_unusual_one_is_stored_only_when_confirmed() -> None:
    b = book()
    before = b.readings("NEW")
    impossible = b.submit_reading(FLAT, "NEW", D(2025, 7, 15), "999 999,999", today=D(2025, 7, 20))
    assert not impossible.accepted and impossible.reasons == ["exceeds_meter_capacity"]
    assert "fizycznie" in impossible.messages_pl[0] and "physically" in impossible.messages_en[0]
    held = b.submit_reading(FLAT, "NEW", D(2025, 8, 15), "70,800", today=D(2025, 8, 20))
    assert held.needs_confirmation and not held.accepted
    assert b.readings("NEW") == before, "nothing stored until confirmed"
    stored = b.submit_reading(FLAT, "NEW", D(2025, 8, 15), "70,800", today=D(2025, 8, 20), confirmed=True)
    assert stored.accepted
    assert len(b.readings("NEW")) == len(before) + 1
