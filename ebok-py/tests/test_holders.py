"""Who sees what, and when (issue 16): holders over time, scoped slices, the new snapshot files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pathlib
import shutil
from typing import Any

import jsonschema
import pytest

import ebok

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "data" / "sample-snapshot"
SCHEMA = json.loads((ROOT / "docs" / "resident-slice.schema.json").read_text(encoding="utf-8"))
SALE = dt.date(2026, 10, 15)
TODAY = dt.date(2026, 11, 20)


def reseal(folder: pathlib.Path) -> None:
    """Writes each file's row count and SHA-256 into the manifest, as `SnapshotFiles::seal` does."""
    manifest = folder / "manifest.txt"
    kept = [
        line
        for line in manifest.read_text(encoding="utf-8").splitlines()
        if not line.split("=")[0].strip().lower().startswith(("rows.", "sha256."))
    ]
    for f in sorted(folder.glob("*.csv")):
        data = f.read_bytes()
        rows = max(0, len([x for x in data.split(b"\n") if x.strip()]) - 1)
        kept.append(f"rows.{f.name} = {rows}")
        kept.append(f"sha256.{f.name} = {hashlib.sha256(data).hexdigest()}")
    manifest.write_text("\n".join(kept) + "\n", encoding="utf-8")


def sold() -> tuple[ebok.Cooperative, str, str]:
    coop, _ = ebok.import_snapshot(SAMPLE)
    premises = coop.premises()[0]
    seller, flat = premises["logins"][0], premises["id"]
    out = coop.change_holder(flat, SALE, [("0799999", "owner")])
    assert out["new_logins"] == ["0799999"]
    assert out["closing"][0]["login"] == seller
    assert out["closing"][0]["last_day"] == "2026-10-14"
    return coop, seller, flat


def entry_ids(coop: ebok.Cooperative, flat: str) -> dict[str, dt.date]:
    return {e.id: e.operation_date for e in coop.ledger.entries(flat)}


def test_the_buyers_slice_follows_the_schema_and_holds_nothing_of_the_seller() -> None:
    coop, seller, flat = sold()
    s = coop.resident_slice("0799999", TODAY)
    jsonschema.validate(s, SCHEMA)
    [p] = s["premises"]
    assert p["premises"]["id"] == flat
    assert p["relations"][0]["interval"] == {"from": "2026-10-15", "to": None}
    assert all(line["operation_date"] >= "2026-10-15" for line in p["account_lines"])
    assert p["account_lines"], "the buyer's own charges are shown"
    text = coop.resident_slice_json("0799999", TODAY)
    for entry, day in entry_ids(coop, flat).items():
        if day < SALE:
            assert f'"{entry}"' not in text, f"{entry} of {day} leaked"
    assert seller not in text
    # The seller's access ended on the sale date, without staff action.
    assert flat not in coop.premises_of(seller, on=TODAY)
    assert flat in coop.premises_of(seller, on=dt.date(2026, 10, 14))
    assert all(x["premises"]["id"] != flat for x in coop.resident_slice(seller, TODAY)["premises"])


def test_the_binary_slice_is_smaller_and_bad_arguments_are_refused() -> None:
    coop, _, _ = sold()
    cbor = coop.resident_slice_cbor("0799999", TODAY)
    assert isinstance(cbor, bytes) and 0 < len(cbor) < len(coop.resident_slice_json("0799999", TODAY))
    assert cbor[0] >> 5 == 5  # a CBOR map
    with pytest.raises(ebok.InvalidValueError):
        coop.resident_slice("0799999", TODAY, months=0)
    with pytest.raises(ebok.InvalidValueError):
        coop.resident_slice("not a login", TODAY)
    with pytest.raises(TypeError):
        coop.resident_slice("0799999", 20261120)  # type: ignore[arg-type]
    # An unknown login gets an empty slice, exactly like a login that holds nothing.
    assert coop.resident_slice("0000001", TODAY)["premises"] == []


def with_files(tmp: pathlib.Path, files: dict[str, str]) -> pathlib.Path:
    folder = tmp / "snap"
    shutil.copytree(SAMPLE, folder)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    reseal(folder)
    return folder


def test_holders_parameters_and_documents_files_scope_what_each_login_sees(tmp_path: pathlib.Path) -> None:
    coop, _ = ebok.import_snapshot(SAMPLE)
    flat = coop.premises()[0]["id"]
    sha = "ab" * 32
    folder = with_files(
        tmp_path,
        {
            "holders.csv": "login;premises;role;from;to;share;scope\r\n"
            f"0756000;{flat};owner;;;;\r\n"
            f"0788888;{flat};proxy;2026-11-01;2027-05-01;;view_account|pay\r\n",
            "parameters.csv": "premises;kind;from;value\r\n"
            f"{flat};persons;2020-01-01;3\r\n{flat};area;2020-01-01;70,40\r\n",
            "documents.csv": "id;kind;title;date;audience;sha256;reference;effective_from;cause\r\n"
            f"Z-1;fee_change_notice;Zmiana opłat;2026-08-31;everyone;{sha};z1.pdf;2026-12-01;cooperative\r\n",
        },
    )
    coop, report = ebok.import_snapshot(folder)
    assert report["counts"]["holders"]["added"] == 2
    owner = coop.resident_slice("0756000", TODAY)["premises"][0]
    assert [p["kind"] for p in owner["parameters"]] == ["area", "persons"]
    assert [d["id"] for d in owner["documents"]] == ["Z-1"]
    proxy = coop.resident_slice("0788888", TODAY)
    jsonschema.validate(proxy, SCHEMA)
    [p] = proxy["premises"]
    # The power of attorney covers the account and payments only, and starts on 1 November.
    assert p["view"] is not None and p["documents"] == [] and p["parameters"] == [] and p["meters"] == []
    assert all(line["operation_date"] >= "2026-11-01" for line in p["account_lines"])
    relations: list[dict[str, Any]] = coop.relations("0788888", flat)
    assert relations[0]["capabilities"] == ["view_account", "pay"]
    # After the proxy's end, nothing.
    assert coop.resident_slice("0788888", dt.date(2027, 5, 1))["premises"] == []


def test_a_bad_holders_row_is_named_and_nothing_loads(tmp_path: pathlib.Path) -> None:
    folder = with_files(
        tmp_path,
        {"holders.csv": "login;premises;role;from;to;share;scope\r\n0756000;0700000;landlord;;;;\r\n"},
    )
    with pytest.raises(ebok.SnapshotError) as err:
        ebok.import_snapshot(folder)
    assert ("holders.csv", 2) in [(i["file"], i["line"]) for i in err.value.issues]
