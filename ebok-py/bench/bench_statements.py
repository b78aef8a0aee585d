"""Reading bank statements: ebok against the PyPI package ``mt-940`` in the same run (issue 14).

    python ebok-py/bench/bench_statements.py --quick   # a few seconds; run by the test command
    python ebok-py/bench/bench_statements.py           # full: 100 000 credits (about 20 MB)

Generates one ING-style MT940 file of N credits to virtual accounts (the format the cooperative's
bank sends every day) and times, on the same text:
  * ``ebok.read_statement(bytes)`` (decode, detect, parse every ``:61:``/``:86:``, read the ING
    subfields, check the account numbers, check continuity);
  * ``mt940.parse(text)`` (``mt-940``: tags and ``:86:`` text, no subfields, no checks);
and the same entries as camt.053 read by ebok beside the standard library's ElementTree walking
the same elements (``xml.etree.ElementTree.fromstring`` + a find per field).
Then matching the credits of the file to 40 000 premises from Python: ``Cooperative.match_statement``
beside a pure-Python dict lookup of each credit's virtual account.
Best of several runs; the machine is shared and noisy, so compare ratios within one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable

import mt940

import ebok


def nrb(sort_code: str, account: str) -> str:
    check = 98 - int(sort_code + account + "252100") % 97
    return f"{check:02d}{sort_code}{account}"


def virtual(p: str) -> str:
    return nrb("10500099", "76123400" + p.rjust(8, "0"))


def month(credits: int, premises: int) -> tuple[bytes, bytes]:
    main = nrb("10500099", "7600000000000001")
    mt = [":20:MT940", f":25:PL{main}", ":28C:1", ":60F:C261130PLN0,00"]
    camt = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>B</MsgId></GrpHdr>',
        f"<Stmt><Id>S</Id><Acct><Id><IBAN>PL{main}</IBAN></Id></Acct>",
    ]
    total = 0
    for n in range(credits):
        p = f"{700000 + (n * 7919) % premises:07d}"
        grosze = 10_000 + (n * 37) % 90_000
        total += grosze
        day = 1 + n % 28
        mt.append(f":61:2612{day:02d}12{day:02d}CN{grosze // 100},{grosze % 100:02d}NTRFNONREF//ING{n:010d}")
        mt.append(f":86:020~00VE02PRZELEW~20CZYNSZ 12/2026 {p}")
        mt.append("~32JAN KOWALSKI~38PL61109010140000071219812874")
        mt.append(f"~60{virtual(p)}")
        camt.append(
            f'<Ntry><Amt Ccy="PLN">{grosze // 100}.{grosze % 100:02d}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
            f"<BookgDt><Dt>2026-12-{day:02d}</Dt></BookgDt><ValDt><Dt>2026-12-{day:02d}</Dt></ValDt>"
            f"<AcctSvcrRef>ING{n:010d}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>JAN KOWALSKI</Nm></Dbtr>"
            f"<CdtrAcct><Id><IBAN>PL{virtual(p)}</IBAN></Id></CdtrAcct></RltdPties>"
            f"<RmtInf><Ustrd>CZYNSZ 12/2026 {p}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        )
    mt.append(f":62F:C261231PLN{total // 100},{total % 100:02d}")
    mt.append("-")
    camt.append("</Stmt></BkToCstmrStmt></Document>")
    return "\r\n".join(mt).encode(), "\n".join(camt).encode()


def best(f: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The best time of `runs` calls; the previous result is freed before the clock starts."""
    times, result = [], None
    for _ in range(runs):
        result = None
        t0 = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - t0)
    return min(times), result


NS = "{urn:iso:std:iso:20022:tech:xsd:camt.053.001.02}"


def elementtree_camt(data: bytes) -> int:
    root = ET.fromstring(data)
    n = 0
    for e in root.iter(f"{NS}Ntry"):
        amt = e.find(f"{NS}Amt")
        day = e.find(f"{NS}ValDt/{NS}Dt")
        ref = e.find(f"{NS}AcctSvcrRef")
        acct = e.find(f".//{NS}CdtrAcct/{NS}Id/{NS}IBAN")
        if amt is not None and day is not None and ref is not None and acct is not None:
            n += 1
    return n


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    credits, premises, runs = (5_000, 2_000, 3) if args.quick else (100_000, 40_000, 5)
    mt_bytes, camt_bytes = month(credits, premises)
    text = mt_bytes.decode()
    mb = len(mt_bytes) / 1e6

    # Interleaved, so that a slow moment of the shared machine falls on both.
    t_ebok, t_one, t_mt940 = float("inf"), float("inf"), float("inf")
    for _ in range(runs):
        t, f = best(lambda: ebok.read_statement(mt_bytes), 1)
        t_ebok = min(t_ebok, t)
        t, f1 = best(lambda: ebok.read_statement(mt_bytes, threads=1), 1)
        t_one = min(t_one, t)
        t, parsed = best(lambda: mt940.parse(text), 1)
        t_mt940 = min(t_mt940, t)
    assert len(f.entries) == len(f1.entries) == len(parsed) == credits
    assert [e.signed_amount for e in f.entries[:50]] == [t.data["amount"].amount for t in list(parsed)[:50]]
    print(f"MT940, {credits} credits, {mb:.1f} MB")
    print(f"  ebok.read_statement   {t_ebok * 1e3:9.1f} ms  {mb / t_ebok:8.1f} MB/s  (every core)")
    print(f"  ... threads=1         {t_one * 1e3:9.1f} ms  {mb / t_one:8.1f} MB/s")
    print(f"  mt940.parse           {t_mt940 * 1e3:9.1f} ms  {mb / t_mt940:8.1f} MB/s")
    print(f"  ebok is {t_mt940 / t_ebok:.0f}x faster than mt-940 ({t_mt940 / t_one:.0f}x on one thread)")

    cmb = len(camt_bytes) / 1e6
    t_camt, g = best(lambda: ebok.read_statement(camt_bytes), runs)
    t_et, n = best(lambda: elementtree_camt(camt_bytes), runs)
    assert len(g.entries) == n == credits
    print(f"camt.053, {credits} credits, {cmb:.1f} MB")
    print(f"  ebok.read_statement   {t_camt * 1e3:9.1f} ms  {cmb / t_camt:8.1f} MB/s")
    print(f"  ElementTree + find    {t_et * 1e3:9.1f} ms  {cmb / t_et:8.1f} MB/s")
    print(f"  ebok is {t_et / t_camt:.1f}x faster than ElementTree")

    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp)
        lines = ["id;kind;area;title;address"] + [f"{700000 + i:07d};flat;50.00;;" for i in range(premises)]
        (snap / "premises.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
        for name, header in [
            ("logins.csv", "login;premises"),
            ("ledger.csv", "id;premises;kind;amount;operation_date;component;posted_on;due_date;document"),
            ("allocations.csv", "credit;debt;part;amount"),
            ("designations.csv", "credit;debt"),
            ("meters.csv", "serial;kind;premises;installed_on;initial_reading;location;removed_on;final_reading;legalization;rollover_at"),
            ("readings.csv", "meter;date;value;source"),
        ]:
            (snap / name).write_text(header + "\r\n", encoding="utf-8")
        (snap / "manifest.txt").write_text(
            "format = ebok-snapshot\nversion = 1.0\ncooperative = Bench\ncurrent_as_of = 2026-12-01T06:00:00+01:00\nkind = full\n",
            encoding="utf-8",
        )
        coop, _ = ebok.import_snapshot(snap, accept_unsealed=True)
        shutil.rmtree(snap, ignore_errors=True)
    coop.set_virtual_accounts([(virtual(f"{700000 + i:07d}"), f"{700000 + i:07d}", dt.date(2020, 1, 1)) for i in range(premises)])
    register = {virtual(f"{700000 + i:07d}"): f"{700000 + i:07d}" for i in range(premises)}
    t_match, matches = best(lambda: coop.match_statement(f), runs)
    entries = f.entries
    t_dict, hits = best(lambda: sum(1 for e in entries if e.virtual_account in register), runs)
    assert sum(1 for m in matches if m.outcome == "matched") == hits == credits
    print(f"matching {credits} credits against {premises} premises from Python")
    print(f"  Cooperative.match_statement  {t_match * 1e3:9.1f} ms  {credits / t_match / 1e6:6.2f} M credits/s")
    print(f"  pure-Python dict lookup      {t_dict * 1e3:9.1f} ms  (the virtual account only; no title, no dates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
