//! Shared helpers of the ebok benchmarks: the generated cooperative and the naive baselines
//! the figures in `BENCHMARKS.md` are measured against.

use ebok_core::calendar::day_number;
use ebok_core::ledger::Ledger;
use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
use rust_decimal::Decimal;
use time::Date;

/// The benchmark's size: `EBOK_BENCH_PREMISES` premises (default 40 000) × `EBOK_BENCH_MONTHS`
/// months (default 240) × (charge + payment) — 19.2 M entries by default.
pub fn size_from_env() -> (usize, u32) {
    let premises = std::env::var("EBOK_BENCH_PREMISES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40_000);
    let months = std::env::var("EBOK_BENCH_MONTHS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(240);
    (premises, months)
}

/// Generates the benchmark cooperative.
pub fn cooperative(premises: usize, months: u32) -> SyntheticCooperative {
    SyntheticCooperative::generate(&CooperativeConfig::benchmark(premises, months))
}

/// One entry as a straightforward program would hold it: a struct with a `Decimal` amount.
#[derive(Debug, Clone, Copy)]
pub struct NaiveEntry {
    /// Index of the premises.
    pub premises: u32,
    /// Signed effect on what is owed.
    pub effect: Decimal,
    /// Operation day number.
    pub op: i32,
    /// Posting day number, `None` while unposted.
    pub post: Option<i32>,
}

/// The naive baseline: a `Vec` of structs with `Decimal` amounts, in the ledger's order.
pub fn naive_entries(ledger: &Ledger) -> (Vec<NaiveEntry>, usize) {
    let mut index = std::collections::BTreeMap::new();
    let entries = ledger
        .iter()
        .map(|e| {
            let n = index.len() as u32;
            let premises = *index.entry(e.premises.clone()).or_insert(n);
            NaiveEntry {
                premises,
                effect: e.effect().to_decimal(),
                op: day_number(e.operation_date),
                post: e.posted_on.map(day_number),
            }
        })
        .collect();
    (entries, index.len())
}

/// The naive all-premises balance: one pass, `Decimal` accumulators in a `Vec`.
pub fn naive_balances(
    entries: &[NaiveEntry],
    premises: usize,
    as_of: Date,
    known_at: Option<Date>,
) -> Vec<Decimal> {
    let a = day_number(as_of);
    let k = known_at.map_or(i32::MAX - 1, day_number);
    let mut acc = vec![Decimal::ZERO; premises];
    for e in entries {
        if e.op <= a && e.post.is_some_and(|p| p <= k) {
            acc[e.premises as usize] += e.effect;
        }
    }
    acc
}

/// A generated bank month for the bank benchmarks: an ING-style MT940 file, the same entries
/// as camt.053.001.02, and the register of `premises` virtual accounts they are paid to.
#[derive(Debug)]
pub struct BankMonth {
    /// The MT940 file (UTF-8).
    pub mt940: Vec<u8>,
    /// The camt.053 file.
    pub camt053: Vec<u8>,
    /// The register: one virtual account per premises.
    pub register: ebok_core::bank::VirtualAccountRegister,
    /// The premises numbers.
    pub premises: Vec<ebok_core::premises::PremisesId>,
}

fn nrb(sort_code: &str, account: &str) -> String {
    ebok_core::bank::Nrb::from_bban(&format!("{sort_code}{account}"))
        .map(|n| n.digits())
        .unwrap_or_default()
}

/// `credits` credits spread over `premises` premises; one in 50 names its premises only in the
/// title, one in 200 has no reference at all.
pub fn bank_month(premises: usize, credits: usize) -> BankMonth {
    use std::fmt::Write;
    let ids: Vec<String> = (0..premises)
        .map(|i| format!("{:07}", 700_000 + i))
        .collect();
    let virtual_of = |p: &str| nrb("10500099", &format!("76123400{:0>8}", p));
    let main = nrb("10500099", "7600000000000001");
    let mut mt = format!(":20:MT940\r\n:25:PL{main}\r\n:28C:1\r\n:60F:C261130PLN0,00\r\n");
    let mut camt = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><GrpHdr><MsgId>B</MsgId></GrpHdr><Stmt><Id>S</Id>",
    );
    let _ = write!(
        camt,
        "<Acct><Id><IBAN>PL{main}</IBAN></Id></Acct><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"PLN\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-30</Dt></Dt></Bal>"
    );
    let mut total: u64 = 0;
    let mut entries = String::new();
    for n in 0..credits {
        let p = &ids[(n * 7919) % premises];
        let grosze = 10_000 + (n as u64 * 37) % 90_000;
        total += grosze;
        let amount = format!("{},{:02}", grosze / 100, grosze % 100);
        let day = 1 + n % 28;
        let title = if n % 200 == 0 {
            "WPLATA".to_owned()
        } else {
            format!("CZYNSZ 12/2026 {p}")
        };
        let va = if n % 50 == 0 {
            String::new()
        } else {
            format!("\r\n~60{}", virtual_of(p))
        };
        let _ = write!(
            mt,
            ":61:2612{day:02}12{day:02}CN{amount}NTRFNONREF//ING{n:010}\r\n:86:020~00VE02PRZELEW~20{title}\r\n~32JAN KOWALSKI~38PL61109010140000071219812874{va}\r\n"
        );
        let cdtr = if va.is_empty() {
            String::new()
        } else {
            format!(
                "<CdtrAcct><Id><IBAN>PL{}</IBAN></Id></CdtrAcct>",
                virtual_of(p)
            )
        };
        let _ = writeln!(
            entries,
            "<Ntry><Amt Ccy=\"PLN\">{}.{:02}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-12-{day:02}</Dt></BookgDt><ValDt><Dt>2026-12-{day:02}</Dt></ValDt><AcctSvcrRef>ING{n:010}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>JAN KOWALSKI</Nm></Dbtr><DbtrAcct><Id><IBAN>PL61109010140000071219812874</IBAN></Id></DbtrAcct>{cdtr}</RltdPties><RmtInf><Ustrd>{title}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>",
            grosze / 100,
            grosze % 100
        );
    }
    let closing = format!("{},{:02}", total / 100, total % 100);
    let _ = write!(mt, ":62F:C261231PLN{closing}\r\n-\r\n");
    let _ = writeln!(
        camt,
        "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"PLN\">{}.{:02}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-31</Dt></Dt></Bal>{entries}</Stmt></BkToCstmrStmt></Document>",
        total / 100,
        total % 100
    );
    let from = time::macros::date!(2020 - 01 - 01);
    let rows = ids
        .iter()
        .filter_map(|p| {
            let id = ebok_core::premises::PremisesId::new(p).ok()?;
            ebok_core::bank::VirtualAccount::new(&virtual_of(p), id, from, None).ok()
        })
        .collect();
    BankMonth {
        mt940: mt.into_bytes(),
        camt053: camt.into_bytes(),
        register: ebok_core::bank::VirtualAccountRegister::from_rows(rows).unwrap_or_default(),
        premises: ids
            .iter()
            .filter_map(|p| ebok_core::premises::PremisesId::new(p).ok())
            .collect(),
    }
}

/// An incremental snapshot that changes the amount of `n` entries spread over the cooperative
/// (every `len / n`-th entry, `round + 1` grosze more), as the accounting system sends after
/// corrections.
/// Written by `export_snapshot` (its `ledger.csv` only), with the manifest's kind made
/// incremental and its instant an hour later.
pub fn incremental_snapshot(
    coop: &ebok_core::cooperative::Cooperative,
    n: usize,
    round: i64,
) -> ebok_core::interchange::SnapshotFiles {
    use ebok_core::cooperative::Cooperative;
    use ebok_core::interchange::{Manifest, SnapshotFiles, SnapshotKind, export_snapshot};
    use ebok_core::ledger::InsertMode;
    use ebok_core::money::Money;
    let step = (coop.ledger.len() / n.max(1)).max(1);
    let changed: Vec<_> = coop
        .ledger
        .iter()
        .step_by(step)
        .take(n)
        .map(|mut e| {
            e.amount = e
                .amount
                .checked_add(Money::from_grosze(round + 1))
                .unwrap_or(e.amount);
            e
        })
        .collect();
    let mut delta = Cooperative {
        name: coop.name.clone(),
        ..Cooperative::default()
    };
    if let Err(e) = delta.ledger.insert_batch(changed, InsertMode::Strict) {
        panic!("the changed entries of a valid ledger are valid: {e}");
    }
    let exported = export_snapshot(&delta, time::macros::datetime!(2026-11-21 19:00 +1));
    let mut manifest = Manifest::parse(&exported.manifest).unwrap_or_else(|e| panic!("{e}"));
    manifest.kind = SnapshotKind::Incremental;
    // Only the ledger goes: the other files' checks go with them.
    manifest.checks.retain(|file, _| file == "ledger.csv");
    let mut files = SnapshotFiles::new(manifest.render().into_bytes());
    if let Some(ledger) = exported.file("ledger.csv") {
        files.insert("ledger.csv", ledger.to_vec());
    }
    files
}
