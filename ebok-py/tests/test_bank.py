"""The bank side through Python: account numbers, virtual accounts, the ZBP 2D code and its QR."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest

import ebok

D = dt.date
EXAMPLE = "1234567890|PL|92124012340001567890123456|001200|Odbiorca 1|FV 1234/34/2012|||"


def test_account_numbers_and_virtual_accounts() -> None:
    assert ebok.format_nrb("PL29114010810000267002001002") == "29 1140 1081 0000 2670 0200 1002"
    with pytest.raises(ebok.InvalidValueError):
        ebok.format_nrb("PL44102055610000380209739045")
    scheme = ebok.VirtualAccountScheme("10203378", "00001234", 8)
    account = scheme.account_for("756555")
    assert ebok.format_nrb(account).startswith(account[:2])
    assert scheme.premises_of(account) == "00756555"


def test_the_recommendations_example_reads_back_leniently_and_strictly_not() -> None:
    code = ebok.parse_payment_code(EXAMPLE, strict=False)
    assert (code.nip, code.amount, code.title) == ("1234567890", Decimal("12.00"), "FV 1234/34/2012")
    with pytest.raises(ebok.InvalidValueError):
        ebok.parse_payment_code(EXAMPLE)


def test_payment_code_never_carries_a_wrong_amount() -> None:
    text, warnings = ebok.payment_code("29114010810000267002001002", "Spółdzielnia Mieszkaniowa Przykładowa", "CZYNSZ 05/2025 L0001", Decimal("12345.67"))
    assert text == "|PL|29114010810000267002001002|000000|Spółdzielnia Mieszka|CZYNSZ 05/2025 L0001|||"
    assert any("9 999,99" in w for w in warnings)
    text, _ = ebok.payment_code("29114010810000267002001002", "SM", "CZYNSZ", Decimal("772.15"), nip="5214349636")
    assert ebok.parse_payment_code(text).amount == Decimal("772.15")


def test_transfer_for_a_premises_and_its_qr() -> None:
    ledger = ebok.Ledger.from_entries(
        [("N05", "0756555", "charge", Decimal("772.15"), D(2025, 5, 1), "eksploatacja", D(2025, 4, 25), D(2025, 5, 10))]
    )
    t = ebok.transfer(ledger, "0756555", D(2025, 5, 13), "29114010810000267002001002", "SM Przykładowa")
    assert t.amount == Decimal("772.15") and t.title == "CZYNSZ 05/2025 0756555"
    assert t.code == "|PL|29114010810000267002001002|077215|SM Przykładowa|CZYNSZ 05/2025 0756555|||"
    svg = ebok.qr_svg(t.code)
    assert svg.startswith("<?xml") and "<svg" in svg
    # Decoded by an independent reader where the system has one (zbar).
    if shutil.which("zbarimg") and shutil.which("rsvg-convert"):
        png = subprocess.run(["rsvg-convert", "-f", "png"], input=svg.encode(), capture_output=True, check=True).stdout
        out = subprocess.run(["zbarimg", "--raw", "-q", "-"], input=png, capture_output=True, check=True).stdout.decode().strip()
        assert out == t.code
    with pytest.raises(KeyError):
        ebok.transfer(ledger, "NO-SUCH", D(2025, 5, 13), "29114010810000267002001002", "SM")
