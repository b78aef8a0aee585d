"""Writes the sample bank data for the shipped sample snapshot (run: python3 make.py):

- virtual_accounts.csv: each premises' virtual account at the cooperative's bank (ING, sort code
  10500099, client prefix 76123400, the premises number in the last 8 digits);
- ing-2026-11.sta: the ING MT940 statement (CP852, as ING exports) of 1–21 November 2026: every
  payment the snapshot holds for November, plus what a real month brings: three credits the
  accounting system has not posted yet, one credit whose amount differs from the posted one by
  10 groszy, one transfer without any reference, a returned transfer and a bank fee. One posted
  payment (cash at the office) is not in the bank.
"""
import csv
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE.parent / "sample-snapshot"


def nrb(sort_code: str, account: str) -> str:
    check = 98 - int(sort_code + account + "252100") % 97
    return f"{check:02d}{sort_code}{account}"


MAIN = nrb("10500099", "7600000000000001")
PAYER = "61109010140000071219812874"


def virtual(premises: str) -> str:
    return nrb("10500099", "76123400" + premises.rjust(8, "0"))


rows = list(csv.DictReader((SNAPSHOT / "ledger.csv").open(encoding="utf-8"), delimiter=";"))
premises = [r["id"] for r in csv.DictReader((SNAPSHOT / "premises.csv").open(encoding="utf-8"), delimiter=";")]
with (HERE / "virtual_accounts.csv").open("w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, delimiter=";", lineterminator="\r\n")
    w.writerow(["account", "premises", "valid_from", "valid_to", "payer_id"])
    for p in premises:
        w.writerow([virtual(p), p, "2020-01-01", "", ""])

payments = sorted(
    (r for r in rows if r["kind"] == "payment" and r["operation_date"].startswith("2026-11")),
    key=lambda r: (r["operation_date"], r["id"]),
)
cash = payments[0]  # paid at the office: in the ledger, not in the bank
entries = []  # (value date, C/D/RC, amount, reference, details lines)


def amount(text: str) -> Decimal:
    return Decimal(text.replace(" ", "").replace(",", "."))


for n, r in enumerate(payments):
    if r is cash:
        continue
    a = amount(r["amount"])
    if n == 3:
        a += Decimal("0.10")  # the bank says 10 groszy more than the books
    entries.append((r["operation_date"], "C", a, f"ING2611{n:05d}", [
        f"020~00VE02Przelew przychodzący~20OPŁATA {r['premises']}",
        "~32WŁAŚCICIEL LOKALU",
        f"~38PL{PAYER}",
        f"~60{virtual(r['premises'])}",
    ]))
extra = [
    ("2026-11-20", premises[1], "412,50", "ING261190001"),
    ("2026-11-21", premises[2], "300,00", "ING261190002"),
    ("2026-11-21", premises[5], "1 010,00", "ING261190003"),
]
for day, p, a, ref in extra:  # not posted yet: pending
    entries.append((day, "C", amount(a), ref, [
        f"020~00VE02Przelew przychodzący~20CZYNSZ 11/2026 {p}",
        "~32JAN KOWALSKI",
        f"~38PL{PAYER}",
        f"~60{virtual(p)}",
    ]))
entries.append(("2026-11-18", "C", Decimal("150.00"), "ING261190004", [
    "020~00VE02Przelew przychodzący~20DOPŁATA", "~32ŻANETA ŁĄCKA", f"~38PL{PAYER}",
]))
entries.append(("2026-11-19", "C", Decimal("75.00"), "ING261190005", [
    f"020~00VE02Przelew przychodzący~20OPŁATA {premises[7]}", "~32PIOTR GÓRA", f"~38PL{PAYER}",
    f"~60{virtual(premises[7])}",
]))
entries.append(("2026-11-20", "RC", Decimal("75.00"), "ING261190006", [
    "020~00VE02Zwrot przelewu~20ZWROT: BŁĘDNY RACHUNEK", f"~38PL{PAYER}", f"~60{virtual(premises[7])}",
]))
entries.append(("2026-11-21", "D", Decimal("12.00"), "ING261190007", ["073~00KP01Opłata za prowadzenie rachunku"]))
entries.sort(key=lambda e: (e[0], e[3]))

balance = Decimal("25000.00")
lines = ["\x01", ":20:MT940", f":25:PL{MAIN}", ":28C:311", f":60F:C261031PLN{str(balance).replace('.', ',')}"]
for day, mark, a, ref, details in entries:
    yymmdd = day[2:4] + day[5:7] + day[8:10]
    lines.append(f":61:{yymmdd}{yymmdd[2:]}{mark}N{str(a).replace('.', ',')}NTRFNONREF//{ref}")
    lines.append(":86:" + details[0])
    lines.extend(details[1:])
    balance += a if mark == "C" else -a
closing = str(balance).replace(".", ",")
lines += [f":62F:C261121PLN{closing}", f":64:C261121PLN{closing}", "-\x03", ""]
(HERE / "ing-2026-11.sta").write_bytes("\r\n".join(lines).encode("cp852"))
print(len(entries), "entries; closing", balance)
