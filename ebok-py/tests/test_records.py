"""Every report is a TypedDict of ``ebok.records`` naming exactly the keys the library returns, every
record's ``to_dict()`` has its own, and every item of the stub has its docstring (issue 18)."""

from __future__ import annotations

import ast
import datetime
import pathlib
from decimal import Decimal

import ebok
import ebok._ebok as native
from ebok import records

ROOT = pathlib.Path(__file__).resolve().parents[2]
STUB = ROOT / "ebok-py" / "python" / "ebok" / "_ebok.pyi"


def keys(td: type) -> set[str]:
    return set(td.__annotations__)


def test_every_record_dict_names_the_records_fields() -> None:
    names = [n for n in records.__all__ if n.endswith("Dict")]
    assert len(names) >= 20
    for name in names:
        cls = getattr(native, name.removesuffix("Dict"))
        fields = {n for n, v in vars(cls).items() if type(v).__name__ == "getset_descriptor" and not n.startswith("_")}
        assert keys(getattr(records, name)) == fields, name


def test_reports_have_exactly_the_keys_of_their_typed_dicts() -> None:
    coop, report = ebok.import_snapshot(ROOT / "examples" / "data" / "sample-snapshot")
    assert set(report) == keys(records.ImportReport)
    assert set(report["counts"]["ledger"]) == keys(records.TableCounts)
    assert set(report["controls"][0]) == keys(records.ControlTotal)

    premises = coop.premises()[0]
    assert set(premises) == keys(records.PremisesInfo)
    relation = coop.relations(premises["logins"][0], premises["id"])[0]
    assert set(relation) == keys(records.Relation)
    assert set(relation["interval"]) == {"from", "to"} == set(records.Interval.__annotations__)

    change = coop.change_holder(premises["id"], datetime.date(2026, 10, 15), [("0799999", "owner")])
    assert set(change) == keys(records.HolderChangeReport)
    assert set(change["change"]) == keys(records.HolderChange)
    assert set(change["change"]["added"][0]) == keys(records.Holding)
    assert set(change["closing"][0]) == keys(records.ClosingStatement)
    assert set(change["closing"][0]["lines"][0]) == keys(records.ClosingLine)

    ledger = ebok.Ledger()
    counts = ledger.insert_many([("N1", "0756555", "charge", Decimal("1.00"), datetime.date(2025, 5, 1), "eksploatacja", None, datetime.date(2025, 5, 10))])
    assert set(counts) == keys(records.InsertCounts)

    files = [ebok.read_statement(ROOT / "examples" / "data" / "sample-bank" / "ing-2026-11.sta")]
    bank = coop.import_bank_statements(files, datetime.date(2026, 11, 21))
    assert set(bank) == keys(records.BankImportReport)

    allocation = ebok.allocate_payment(
        [("D", datetime.date(2025, 5, 10), Decimal("10"), Decimal("0"))], "P", Decimal("12"), datetime.date(2025, 5, 9)
    )
    assert set(allocation) == keys(records.Allocation)

    a = ebok.Authenticator(insecure_fast_hashing=True, seed=7)
    created = a.create_account("0756555", datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC), channel="sms",
                               phone="+48 531 464 544", by="anna.k")
    effects = created.effects
    assert effects
    for e in effects:
        assert set(e) <= keys(records.Effect) and "type" in e


def test_every_class_and_function_of_the_stub_has_a_docstring() -> None:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    missing: list[str] = []
    for node in tree.body:
        items: list[ast.ClassDef | ast.FunctionDef] = []
        if isinstance(node, ast.ClassDef):
            items = [node, *(n for n in node.body if isinstance(n, ast.FunctionDef))]
        elif isinstance(node, ast.FunctionDef):
            items = [node]
        missing += [i.name for i in items if not ast.get_docstring(i)]
    assert missing == []
