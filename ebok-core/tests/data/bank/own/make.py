"""Writes ebok's own bank-statement fixtures (run: python3 make.py). Every value is known by
construction; ebok-core/tests/bank_statements.rs and ebok-py/tests/test_statements.py assert it.

Cooperative main accounts and virtual accounts per premises (flat 0756555, 0756556, garage G0012).
"""
from pathlib import Path


def nrb(sort_code: str, account: str) -> str:
    check = 98 - int(sort_code + account + "252100") % 97
    return f"{check:02d}{sort_code}{account}"


ING_MAIN = nrb("10500099", "7600000000000001")
ING_V1 = nrb("10500099", "7612340000756555")  # flat 0756555
ING_V2 = nrb("10500099", "7612340000756556")  # flat 0756556
ING_VX = nrb("10500099", "7612340000999999")  # not in the register
PAYER = "61109010140000071219812874"
PKO_MAIN = nrb("10201026", "0000120201234567")
PKO_V1 = nrb("10201026", "0000999900756555")
PEKAO_MAIN = nrb("12401053", "0000000000001234")
PEKAO_V1 = nrb("12401053", "4000000000756555")

def grouped(n: str) -> str:
    return n[:2] + " " + " ".join(n[i:i + 4] for i in range(2, 26, 4))


ing = f"""\x01
:20:MT940
:25:PL{ING_MAIN}
:28C:341
:60F:C261202PLN1000,00
:61:2612031203CN500,00NTRFNONREF//ING26120300001
:86:020~00VE02Przelew przychodzący~20CZYNSZ 12/2026 0756555
~27JAN KOWALSKI~28UL. LIPOWA 1~29LUBLIN
~3010901014~310000071219812874~32JAN KOWALSKI~34020
~38PL{PAYER}
~60{grouped(ING_V1)}
:61:2612031203CN320,15NTRFNONREF//ING26120300002
:86:020~00VE02Przelew przychodzący~20Opłata za lokal 0756556 grudzień
~32ANNA NOWAK~38PL{PAYER}
:61:2612031203DN12,00NCHGNONREF//ING26120300003
:86:073~00KP01Płatność kartą~20Opłata za kartę
:61:2612031203CN100,00NTRFNONREF//ING26120300004
:86:020~00VE02Przelew przychodzący~20CZYNSZ 0756555 I 0756556
~32ZOFIA WIŚNIEWSKA~38PL{PAYER}
:61:2612031203CN50,00NTRFNONREF//ING26120300005
:86:020~00VE02Przelew przychodzący~20WPŁATA~32ŻANETA ŁĄCKA
~60{ING_VX}
:62F:C261203PLN1958,15
:64:C261203PLN1958,15
-\x03
"""
Path("ing-cp852.sta").write_bytes(ing.replace("\n", "\r\n").encode("cp852"))

pko = f""":20:MT940
:25:/PL{PKO_MAIN}
:28C:00212/001
:60F:C261202PLN0,00
:61:2612031204CN772,15NTRFNONREF//PKO0000000001
:86:020~00PRZELEW PRZYCHODZĄCY
~20CZYNSZ 12/2026
~21˙
~22˙
~27ŁUKASZ GÓRSKI
~29˙
~38PL{PAYER}
~63{PKO_V1}
:61:2612041204RCN772,15NTRFNONREF//PKO0000000002
:86:020~00ZWROT PRZELEWU
~20ZWROT: CZYNSZ 12/2026
~38PL{PAYER}
~63{PKO_V1}
:62F:C261204PLN0,00
-
"""
Path("pko-cp1250.sta").write_bytes(pko.replace("\n", "\r\n").encode("cp1250"))

pekao = f""":20:940
:25:PL{PEKAO_MAIN}
:28C:77
:60F:D261130PLN10,00
:61:2612011201CN250,00NTRFNONREF//PEK001
:86:020^00PRZELEW^20G0012 OPŁATA GARAŻ^32MAREK ŻÓŁW
^38PL{PAYER}
:61:2612011201DN2,50NCHGNONREF//PEK002
:86:073^00OPŁATA^20PROWIZJA
:62F:C261201PLN237,50
-
"""
Path("pekao-utf8.sta").write_text(pekao, encoding="utf-8")

camt = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>PKO-2026-12-03</MsgId><CreDtTm>2026-12-03T20:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>PKO-STMT-213</Id>
      <ElctrncSeqNb>213</ElctrncSeqNb>
      <Acct><Id><IBAN>PL{PKO_MAIN}</IBAN></Id><Ccy>PLN</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="PLN">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-02</Dt></Dt></Bal>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="PLN">1272.15</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-03</Dt></Dt></Bal>
      <Ntry>
        <Amt Ccy="PLN">772.15</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>false</RvslInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-12-03</Dt></BookgDt><ValDt><Dt>2026-12-03</Dt></ValDt>
        <AcctSvcrRef>PKO-C-0001</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties>
            <Dbtr><Pty><Nm>Łukasz Górski</Nm></Pty></Dbtr>
            <DbtrAcct><Id><IBAN>PL{PAYER}</IBAN></Id></DbtrAcct>
            <Cdtr><Pty><Nm>SM Spółdzielca</Nm></Pty></Cdtr>
            <CdtrAcct><Id><IBAN>PL{PKO_V1}</IBAN></Id></CdtrAcct>
          </RltdPties>
          <RmtInf><Ustrd>CZYNSZ 12/2026</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="PLN">500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-12-03</Dt></BookgDt><ValDt><Dt>2026-12-03</Dt></ValDt>
        <AcctSvcrRef>PKO-C-0002</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Pty><Nm>Anna Nowak</Nm></Pty></Dbtr></RltdPties>
          <RmtInf><Ustrd>OPŁATA 0756556</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"""
Path("pko-camt053-v08.xml").write_text(camt, encoding="utf-8")

camt054 = camt.replace("camt.053.001.08", "camt.054.001.08").replace("BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn").replace("<Stmt>", "<Ntfctn>").replace("</Stmt>", "</Ntfctn>")
Path("pko-camt054-v08.xml").write_text(camt054, encoding="utf-8")

print("ING", ING_MAIN, ING_V1, ING_V2, ING_VX)
print("PKO", PKO_MAIN, PKO_V1)
print("PEKAO", PEKAO_MAIN)
