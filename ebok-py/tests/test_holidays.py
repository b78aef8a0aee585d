"""The holiday calendar against an independent source: the `holidays` package (country PL),
day by day from 1990-01-01 to 2035-12-31 (issue 12.2). Every difference is a bug or is listed
here with its legal source."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

import ebok

# Differences from the `holidays` package that the statutes justify: none today. A day listed
# here must cite its act.
DOCUMENTED_DIFFERENCES: dict[dt.date, str] = {}


def test_every_day_from_1990_to_2035_agrees_with_the_holidays_package() -> None:
    pl = holidays.country_holidays("PL", years=range(1990, 2036))
    day = dt.date(1990, 1, 1)
    differences = []
    while day <= dt.date(2035, 12, 31):
        independent = day in pl or day.weekday() == 6  # ebok counts Sundays as holidays
        if ebok.is_public_holiday(day) != independent and day not in DOCUMENTED_DIFFERENCES:
            differences.append((day, pl.get(day)))
        day += dt.timedelta(days=1)
    assert differences == []


def test_one_off_holiday_of_12_november_2018_shifts_a_due_date() -> None:
    assert ebok.is_public_holiday(dt.date(2018, 11, 12))
    # Due Saturday 10 November 2018: Sunday, the 11th and the one-off 12th follow; pay by the 13th.
    assert ebok.effective_due_date(dt.date(2018, 11, 10)) == dt.date(2018, 11, 13)


@pytest.mark.parametrize("day", [dt.date(1985, 7, 22), dt.date(1989, 12, 31), dt.date(1900, 1, 1)])
def test_days_before_1990_are_refused_not_answered_with_todays_list(day: dt.date) -> None:
    with pytest.raises(ebok.InvalidValueError, match="holiday calendar"):
        ebok.is_public_holiday(day)
    with pytest.raises(ebok.InvalidValueError):
        ebok.effective_due_date(day)
