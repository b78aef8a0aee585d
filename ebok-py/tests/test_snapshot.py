"""The accounting system's snapshot in one call."""

from __future__ import annotations

import datetime as dt
import pathlib
import shutil

import pytest

import ebok

SAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data" / "sample-snapshot"


def test_the_sample_snapshot_loads_in_one_call() -> None:
    coop, report = ebok.import_snapshot(SAMPLE)
    assert coop.name.startswith("SM Przykładowa")
    assert coop.current_as_of == dt.datetime(2026, 11, 21, 17, 0, tzinfo=dt.timezone.utc)
    assert report["counts"]["ledger"]["added"] == len(coop.ledger)
    assert all(c["matches"] for c in report["controls"])
    flat = coop.premises()[0]["id"]
    assert coop.ledger.balance(flat, dt.date(2026, 11, 21)) == report["controls"][0]["expected"]
    assert coop.premises_of(coop.premises()[0]["logins"][0])


def test_a_broken_snapshot_names_every_problem(tmp_path: pathlib.Path) -> None:
    broken = tmp_path / "snap"
    shutil.copytree(SAMPLE, broken)
    ledger = broken / "ledger.csv"
    text = ledger.read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace("2024", "2024-13", 1)
    ledger.write_text("\r\n".join(text) + "\r\n", encoding="utf-8")
    with pytest.raises(ebok.SnapshotError) as err:
        ebok.import_snapshot(broken)
    assert isinstance(err.value, ValueError)
    issue = err.value.issues[0]
    assert (issue["file"], issue["line"]) == ("ledger.csv", 4)
