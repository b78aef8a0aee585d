"""The main job (ebok-demo) reads as Polish in Polish mode and entirely as English in English mode
(issue 18): amounts, areas, meter states, dates and code words in the language's own forms."""

from __future__ import annotations

import pathlib
import re
import subprocess
from decimal import Decimal

ROOT = pathlib.Path(__file__).resolve().parents[2]
NBSP = "\u00a0"


def demo(*args: str) -> str:
    """The resident's part of the demo's output (from its page header on), QR picture left out."""
    out = subprocess.run(
        ["cargo", "run", "--release", "--quiet", "-p", "ebok-examples", "--example", "ebok-demo", "--", *args],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    page = out[out.index("══ e-BOK"):]
    return "\n".join(line for line in page.splitlines() if not set(line) & set("█▀▄"))


def pl_amount(text: str) -> Decimal:
    return Decimal(text.replace(NBSP, "").replace(",", ".").removesuffix(" zł"))


def test_polish_mode_uses_polish_forms() -> None:
    page = demo()
    # Every amount: groups of three joined by a no-break space, a decimal comma, "zł".
    amounts = re.findall(r"-?\d[\d\u00a0]*,\d\d zł", page)
    assert len(amounts) > 50
    for a in amounts:
        assert re.fullmatch(r"-?\d{1,3}(\u00a0\d{3})*,\d\d zł", a), a
    assert not re.search(r"\d \d{3},\d\d zł", page), "thousands grouped by a plain space"
    # Areas and meter states with a decimal comma and the unit after a no-break space.
    assert re.search(r"\d+,\d\d\u00a0m²", page)
    states = re.findall(r"\d+[,.]\d{3}\u00a0?m³", page)
    assert states and all("," in s for s in states), states
    # Dates as 21.11.2026 or "21 listopada 2026 r.", never ISO.
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page)
    assert re.search(r"\d{2}\.\d{2}\.\d{4}", page)
    assert re.search(r"Saldo na dzień \d{1,2} [a-ząćęłńóśźż]+ \d{4} r\.:", page)
    # The data instant in words, and the code words in Polish.
    assert re.search(r"z dnia \d{1,2} [a-ząćęłńóśźż]+ \d{4} r\., godz\. \d{2}:\d{2}", page)
    assert "(odczyt zdalny)" in page and "(remote)" not in page
    for english in ["remote", "overpaid", "field recipient", "PLN"]:
        assert english not in page, english
    # The sign convention is explained under the statement table.
    assert "ujemne (ze znakiem minus) — nadpłatę" in page


def test_interest_beside_an_overpayment_is_reconciled_in_figures() -> None:
    page = demo()
    credit = pl_amount(re.search(r"Nadpłata do wykorzystania: (.+ zł)", page).group(1))  # type: ignore[union-attr]
    interest = pl_amount(re.search(r"naliczone do dziś \(informacyjnie\): (.+ zł)", page).group(1))  # type: ignore[union-attr]
    assert credit > 0 and interest > 0, "the sample flat is overpaid and has interest"
    line = re.search(r"nadpłata (.+ zł) − odsetki (.+ zł) = nadpłata (.+ zł)", page)
    assert line is not None
    a, b, c = (pl_amount(g) for g in line.groups())
    assert (a, b) == (credit, interest) and c == credit - interest


def test_english_mode_is_entirely_english() -> None:
    page = demo("--lang", "en")
    assert "Balance on " in page and "Water meters" in page
    # No Polish words of the page itself (data such as addresses, the recipient's name, titles
    # and the accounting system's component names stay as the cooperative wrote them).
    for polish in ["Saldo", " zł", "wpłata", "nadpłata", "odczyt", "Zestawienia", "brak", "legalizacja",
                   "lokal ", "Identyfikator", "wodomierz", "naliczenie", "zaksięgowan", "Uwaga", "Kwota",
                   "sprzedający", "kupujący", "godz.", " r."]:
        assert polish not in page, polish
    amounts = re.findall(r"-?PLN [\d,]+\.\d\d", page)
    assert len(amounts) > 50
    assert re.search(r"\d+\.\d\d\u00a0m²", page)
    assert re.search(r"\d+\.\d{3}\u00a0m³", page)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page)
    assert re.search(r"as of \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}", page)
    assert "negative one (with a minus sign) is an overpayment" in page
