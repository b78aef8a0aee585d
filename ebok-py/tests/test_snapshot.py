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
    places = [(i["file"], i["line"]) for i in err.value.issues]
    assert ("ledger.csv", 4) in places
    # The seal catches the change itself: the file no longer matches the manifest's SHA-256.
    assert any("SHA-256" in i["reason"] for i in err.value.issues)


def incremental(tmp_path: pathlib.Path, name: str, as_of: str, ledger_rows: list[str]) -> pathlib.Path:
    d = tmp_path / name
    d.mkdir()
    (d / "manifest.txt").write_text(
        "format = ebok-snapshot\nversion = 1.0\ncooperative = SM Przykładowa w Oławie (dane syntetyczne)\n"
        f"current_as_of = {as_of}\nkind = incremental\n",
        encoding="utf-8",
    )
    header = "id;premises;kind;amount;operation_date;component;posted_on;due_date;document"
    (d / "ledger.csv").write_text("\r\n".join([header, *ledger_rows]) + "\r\n", encoding="utf-8")
    return d


def test_the_nightly_incremental_snapshot_applies_to_yesterdays_state(tmp_path: pathlib.Path) -> None:
    coop, _ = ebok.import_snapshot(SAMPLE)
    flat = coop.premises()[0]["id"]
    entries = len(coop.ledger)
    before = coop.ledger.balance(flat, dt.date(2026, 11, 22))
    night = incremental(tmp_path, "night", "2026-11-22T18:00:00+01:00", [f"INC-1;{flat};wpłata;100,00;22.11.2026;;22.11.2026;;WB INC"])
    report = coop.import_snapshot(night)
    assert report["kind"] == "incremental"
    assert report["counts"]["ledger"] == {"added": 1, "changed": 0, "removed": 0, "unchanged": 0}
    assert len(coop.ledger) == entries + 1
    assert coop.ledger.balance(flat, dt.date(2026, 11, 22)) == before - 100
    assert coop.current_as_of == dt.datetime(2026, 11, 22, 17, 0, tzinfo=dt.timezone.utc)
    # A bad increment changes nothing: not the ledger, not the freshness instant.
    bad = incremental(tmp_path, "bad", "2026-11-23T18:00:00+01:00", ["INC-2;NO-SUCH;wpłata;5,00;23.11.2026;;;;"])
    with pytest.raises(ebok.SnapshotError) as err:
        coop.import_snapshot(bad)
    assert err.value.issues[0]["column"] == "premises"
    assert len(coop.ledger) == entries + 1
    assert coop.current_as_of == dt.datetime(2026, 11, 22, 17, 0, tzinfo=dt.timezone.utc)


def test_the_directory_reader_matches_names_case_insensitively_and_lists_what_it_did_not_read(tmp_path: pathlib.Path) -> None:
    snap = tmp_path / "snap"
    shutil.copytree(SAMPLE, snap)
    (snap / "ledger.csv").rename(snap / "LEDGER.CSV")
    (snap / "README.txt").write_text("not data", encoding="utf-8")
    coop, report = ebok.import_snapshot(snap)
    assert report["counts"]["ledger"]["added"] == len(coop.ledger) > 0
    assert report["files_not_read"] == [("README.txt", "not a snapshot file")]


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "directory"])
def test_non_regular_files_are_refused_never_read(tmp_path: pathlib.Path, kind: str) -> None:
    import os

    snap = tmp_path / "snap"
    shutil.copytree(SAMPLE, snap)
    (snap / "readings.csv").unlink()
    if kind == "fifo":
        os.mkfifo(snap / "readings.csv")
    elif kind == "dev_zero":
        (snap / "readings.csv").symlink_to("/dev/zero")
    else:
        (snap / "readings.csv").mkdir()
    with pytest.raises(ebok.SnapshotError) as err:
        ebok.import_snapshot(snap)
    assert [i["file"] for i in err.value.issues] == ["readings.csv"]
    assert "not a regular file" in err.value.issues[0]["reason"]


def test_an_unsealed_full_snapshot_needs_an_explicit_option(tmp_path: pathlib.Path) -> None:
    snap = tmp_path / "snap"
    shutil.copytree(SAMPLE, snap)
    manifest = snap / "manifest.txt"
    lines = [l for l in manifest.read_text(encoding="utf-8").splitlines() if not l.startswith(("rows.", "sha256."))]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ebok.SnapshotError, match="must be sealed"):
        ebok.import_snapshot(snap)
    coop, _ = ebok.import_snapshot(snap, accept_unsealed=True)
    assert len(coop.ledger) > 0
