//! Matching bank credits to premises, the bank book, and pending payments superseded by the
//! accounting system's postings.

use ebok_core::bank::statement::{ReadOptions, Statement, StatementWarning, read_statements};
use ebok_core::bank::{
    AmbiguityReason, BankImportError, MatchOutcome, MatchedBy, PendingPolicy, UnmatchedReason,
    VirtualAccount, VirtualAccountRegister,
};
use ebok_core::cooperative::Cooperative;
use ebok_core::interchange::{ImportOptions, Integrity};
use ebok_core::ledger::LedgerEntry;
use ebok_core::money::Money;
use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind};
use proptest::prelude::*;
use time::Date;
use time::macros::date;

const ING_V1: &str = "53105000997612340000756555";
const ING_V2: &str = "26105000997612340000756556";
const PKO_V1: &str = "76102010260000999900756555";

fn id(s: &str) -> PremisesId {
    PremisesId::new(s).expect("id")
}

fn money(s: &str) -> Money {
    s.parse().expect("money")
}

fn statements(path: &str) -> Vec<Statement> {
    let full = format!("{}/tests/data/bank/{path}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&full).expect("fixture");
    read_statements(&bytes, &ReadOptions::default())
        .expect("reads")
        .statements
}

fn cooperative(register: Vec<VirtualAccount>) -> Cooperative {
    let mut c = Cooperative::default();
    for p in ["0756555", "0756556", "G0012"] {
        let kind = if p.starts_with('G') {
            PremisesKind::Garage
        } else {
            PremisesKind::Flat
        };
        c.registry
            .upsert(Premises::new(id(p), kind, Area::parse("40").expect("area")));
        c.ledger.open_account(id(p));
    }
    c.virtual_accounts = VirtualAccountRegister::from_rows(register).expect("register");
    c
}

fn row(account: &str, p: &str, from: Date, to: Option<Date>) -> VirtualAccount {
    VirtualAccount::new(account, id(p), from, to).expect("row")
}

fn standard() -> Cooperative {
    cooperative(vec![
        row(ING_V1, "0756555", date!(2020 - 01 - 01), None),
        row(ING_V2, "0756556", date!(2020 - 01 - 01), None),
        row(PKO_V1, "0756555", date!(2020 - 01 - 01), None),
    ])
}

#[test]
fn each_credit_is_matched_ambiguous_unmatched_or_not_incoming() {
    let mut c = standard();
    let report = c
        .import_bank_statements(&statements("own/ing-cp852.sta"), date!(2026 - 12 - 04))
        .expect("imports");
    let outcomes: Vec<MatchOutcome> = c.bank.records().map(|r| r.outcome.clone()).collect();
    assert_eq!(
        outcomes,
        [
            MatchOutcome::Matched {
                premises: id("0756555"),
                by: MatchedBy::VirtualAccount
            },
            MatchOutcome::Matched {
                premises: id("0756556"),
                by: MatchedBy::TitleReference
            },
            MatchOutcome::NotIncoming,
            MatchOutcome::Ambiguous {
                candidates: vec![id("0756555"), id("0756556")],
                reason: AmbiguityReason::TitleNamesSeveral
            },
            MatchOutcome::Unmatched {
                reason: UnmatchedReason::UnknownVirtualAccount {
                    account: "76105000997612340000999999".into()
                }
            },
        ]
    );
    assert_eq!(
        (
            report.added,
            report.matched,
            report.ambiguous,
            report.unmatched,
            report.not_incoming
        ),
        (5, 2, 1, 1, 1)
    );
    assert_eq!(c.bank.unresolved().count(), 2);
}

#[test]
fn an_account_reassigned_after_a_sale_is_ambiguous_after_its_end() {
    let mut c = cooperative(vec![row(
        ING_V1,
        "0756555",
        date!(2020 - 01 - 01),
        Some(date!(2026 - 12 - 01)),
    )]);
    c.import_bank_statements(&statements("own/ing-cp852.sta"), date!(2026 - 12 - 04))
        .expect("imports");
    let first = c.bank.records().next().expect("record");
    assert_eq!(
        first.outcome,
        MatchOutcome::Ambiguous {
            candidates: vec![id("0756555")],
            reason: AmbiguityReason::AccountNotValidOnValueDate
        }
    );
    // The new holder's period makes it match again, to the new premises.
    let mut c = cooperative(vec![
        row(
            ING_V1,
            "0756555",
            date!(2020 - 01 - 01),
            Some(date!(2026 - 12 - 01)),
        ),
        row(ING_V1, "G0012", date!(2026 - 12 - 01), None),
    ]);
    c.import_bank_statements(&statements("own/ing-cp852.sta"), date!(2026 - 12 - 04))
        .expect("imports");
    assert_eq!(
        c.bank.records().next().expect("record").outcome.premises(),
        Some(&id("G0012"))
    );
}

#[test]
fn mbank_iph_payer_ids_match_through_the_register() {
    let mut c = cooperative(vec![
        row(ING_V1, "0756555", date!(2010 - 01 - 01), None).with_payer_id("XX000000000001"),
        row(ING_V2, "0756556", date!(2010 - 01 - 01), None).with_payer_id("XX000000000002"),
    ]);
    c.import_bank_statements(&statements("mbank-wolph/mt940.sta"), date!(2017 - 01 - 20))
        .expect("imports");
    let got: Vec<Option<&PremisesId>> = c.bank.records().map(|r| r.outcome.premises()).collect();
    assert_eq!(got, [Some(&id("0756555")), Some(&id("0756556")), None]);
    assert!(matches!(
        c.bank.records().next().map(|r| &r.outcome),
        Some(MatchOutcome::Matched {
            by: MatchedBy::IphId,
            ..
        })
    ));
}

#[test]
fn pending_until_posted_then_superseded_never_twice() {
    let mut c = standard();
    let p = id("0756555");
    c.ledger
        .insert(
            LedgerEntry::charge(
                "N1",
                "0756555",
                "eksploatacja",
                money("772.15"),
                date!(2026 - 12 - 01),
                date!(2026 - 12 - 10),
            )
            .expect("charge")
            .posted(date!(2026 - 11 - 20)),
        )
        .expect("insert");
    c.import_bank_statements(&statements("own/ing-cp852.sta"), date!(2026 - 12 - 04))
        .expect("imports");
    let policy = PendingPolicy::default();
    let pending = c.pending_payments(&p, None, &policy);
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].amount, pending[0].credited_on),
        (money("500.00"), date!(2026 - 12 - 03))
    );
    assert!(
        pending[0]
            .describe(ebok_core::messages::Language::Polish)
            .contains("500,00 zł z 3 grudnia 2026 r. — w drodze do księgowości")
    );
    // Before the statement was imported the e-BOK did not know it.
    assert!(
        c.pending_payments(&p, Some(date!(2026 - 12 - 03)), &policy)
            .is_empty()
    );
    let projected = |c: &Cooperative, known: Option<Date>| {
        c.bank
            .projected_balance(&p, &c.ledger, date!(2026 - 12 - 05), known, &policy)
    };
    assert_eq!(projected(&c, None), Some(money("272.15")));
    // The accounting system posts the payment (credit date one day later, posted on 8 December).
    c.ledger
        .insert(
            LedgerEntry::payment("W1", "0756555", money("500.00"), date!(2026 - 12 - 04))
                .expect("payment")
                .posted(date!(2026 - 12 - 08)),
        )
        .expect("insert");
    assert!(c.pending_payments(&p, None, &policy).is_empty());
    assert_eq!(projected(&c, None), Some(money("272.15")), "counted once");
    // As known on 6 December the posting was not there yet: still pending, still once.
    assert_eq!(
        c.pending_payments(&p, Some(date!(2026 - 12 - 06)), &policy)
            .len(),
        1
    );
    assert_eq!(
        projected(&c, Some(date!(2026 - 12 - 06))),
        Some(money("272.15"))
    );
    // A posting outside the window does not supersede it.
    let narrow = PendingPolicy {
        window_days: 0,
        ..policy
    };
    assert_eq!(c.pending_payments(&p, None, &narrow).len(), 1);
}

#[test]
fn a_reference_on_both_sides_must_agree_when_the_policy_says_so() {
    let mut c = standard();
    let p = id("0756555");
    c.import_bank_statements(&statements("own/ing-cp852.sta"), date!(2026 - 12 - 04))
        .expect("imports");
    c.ledger
        .insert(
            LedgerEntry::payment("W1", "0756555", money("500.00"), date!(2026 - 12 - 03))
                .expect("payment")
                .posted(date!(2026 - 12 - 05))
                .with_document("INNY-PRZELEW")
                .expect("doc"),
        )
        .expect("insert");
    let strict = PendingPolicy {
        require_reference: true,
        ..PendingPolicy::default()
    };
    assert_eq!(c.pending_payments(&p, None, &strict).len(), 1);
    // By default the document (often the accounting system's own statement number) does not
    // have to be the bank's reference.
    assert!(
        c.pending_payments(&p, None, &PendingPolicy::default())
            .is_empty()
    );
    c.ledger
        .insert(
            LedgerEntry::payment("W2", "0756555", money("500.00"), date!(2026 - 12 - 03))
                .expect("payment")
                .posted(date!(2026 - 12 - 05))
                .with_document("ING26120300001")
                .expect("doc"),
        )
        .expect("insert");
    assert!(c.pending_payments(&p, None, &strict).is_empty());
}

#[test]
fn a_returned_transfer_reverses_the_credit_it_returns() {
    let mut c = standard();
    let report = c
        .import_bank_statements(&statements("own/pko-cp1250.sta"), date!(2026 - 12 - 05))
        .expect("imports");
    assert_eq!(report.returns_linked, 1);
    let records: Vec<_> = c.bank.records().collect();
    assert_eq!(records[0].returned_by.as_ref(), Some(&records[1].key));
    assert_eq!(records[1].returns.as_ref(), Some(&records[0].key));
    assert!(
        c.pending_payments(&id("0756555"), None, &PendingPolicy::default())
            .is_empty()
    );
}

#[test]
fn importing_again_changes_nothing_and_a_conflict_changes_nothing() {
    let mut c = standard();
    let s = statements("own/ing-cp852.sta");
    c.import_bank_statements(&s, date!(2026 - 12 - 04))
        .expect("imports");
    let before = c.bank.clone();
    let again = c
        .import_bank_statements(&s, date!(2026 - 12 - 05))
        .expect("imports");
    assert_eq!((again.added, again.unchanged), (0, 5));
    assert_eq!(c.bank, before);
    let mut changed = s.clone();
    changed[0].entries[1].amount = money("320.16");
    let e = c
        .import_bank_statements(&changed, date!(2026 - 12 - 05))
        .unwrap_err();
    assert!(
        matches!(&e, BankImportError::Conflict { key, field } if key.reference == "ING26120300002" && field == "amount"),
        "{e}"
    );
    assert_eq!(c.bank, before, "all or nothing");
}

#[test]
fn interim_entries_are_replaced_by_the_final_statement() {
    let mut c = cooperative(vec![]);
    let interim = c
        .import_bank_statements(&statements("mbank-wolph/mt942.sta"), date!(2017 - 01 - 19))
        .expect("imports");
    assert_eq!(interim.added, 3);
    assert!(c.bank.records().all(|r| !r.is_final));
    let fin = c
        .import_bank_statements(&statements("mbank-wolph/mt940.sta"), date!(2017 - 01 - 20))
        .expect("imports");
    assert_eq!((fin.added, fin.replaced_interim), (0, 3));
    assert!(c.bank.records().all(|r| r.is_final));
    // An interim report after the final one changes nothing.
    let late = c
        .import_bank_statements(&statements("mbank-wolph/mt942.sta"), date!(2017 - 01 - 21))
        .expect("imports");
    assert_eq!((late.added, late.unchanged), (0, 3));
}

#[test]
fn a_statement_not_continuing_the_previous_one_is_kept_with_a_warning() {
    let mut c = cooperative(vec![]);
    c.import_bank_statements(&statements("mbank-wolph/mt940.sta"), date!(2017 - 01 - 20))
        .expect("imports");
    // Closing 0,43 on 19 January; the next statement opens with 0,46.
    let r = c
        .import_bank_statements(
            &statements("mbank-wolph/with_newline_in_tnr.sta"),
            date!(2017 - 02 - 02),
        )
        .expect("kept");
    assert!(r.warnings.iter().any(|(_, w)| matches!(w, StatementWarning::ChainBreak { previous_closing, opening, .. } if *previous_closing == money("0.43") && *opening == money("0.46"))));
    assert!(
        r.warnings
            .iter()
            .any(|(_, w)| matches!(w, StatementWarning::BalanceMismatch { .. }))
    );
    assert_eq!(c.bank.len(), 5);
}

#[test]
fn the_register_loads_from_the_snapshot_file() {
    let mut c = standard();
    c.virtual_accounts = VirtualAccountRegister::default();
    let mut files =
        ebok_core::interchange::export_snapshot(&c, time::macros::datetime!(2026-12-01 06:00 UTC));
    files.insert(
        "virtual_accounts.csv",
        format!(
            "account;premises;valid_from;valid_to;payer_id\r\nPL{ING_V1};0756555;2020-01-01;2026-12-01;\r\n{ING_V1};G0012;2026-12-01;;XX12\r\n"
        )
        .into_bytes(),
    );
    files.seal();
    let mut fresh = Cooperative::default();
    let options = ImportOptions {
        now: Some(time::macros::datetime!(2026-12-01 07:00 UTC)),
        integrity: Integrity::Required,
        ..ImportOptions::default()
    };
    let report = fresh.import(&files, &options).expect("imports");
    assert_eq!(
        report.counts[&ebok_core::interchange::RecordType::VirtualAccounts].added,
        2
    );
    assert_eq!(fresh.virtual_accounts.len(), 2);
    // Round trip: exported and imported again, unchanged.
    let again = ebok_core::interchange::export_snapshot(
        &fresh,
        time::macros::datetime!(2026-12-01 08:00 UTC),
    );
    let mut copy = fresh.clone();
    let options = ImportOptions {
        now: Some(time::macros::datetime!(2026-12-01 09:00 UTC)),
        ..options
    };
    let r = copy.import(&again, &options).expect("imports");
    assert_eq!(
        r.counts[&ebok_core::interchange::RecordType::VirtualAccounts].unchanged,
        2
    );
    assert_eq!(copy.virtual_accounts, fresh.virtual_accounts);
    // Overlapping periods and unknown premises are refused, naming the line.
    let mut bad = files.clone();
    bad.insert(
        "virtual_accounts.csv",
        format!("account;premises;valid_from;valid_to\r\n{ING_V1};0756555;2020-01-01;\r\n{ING_V1};G0012;2026-12-01;\r\n{ING_V2};NOPE;2020-01-01;\r\n").into_bytes(),
    );
    bad.seal();
    let e = Cooperative::default().import(&bad, &options).unwrap_err();
    let text = format!("{e:?}");
    assert!(
        text.contains("virtual_accounts.csv") && text.contains("NOPE") && text.contains("at once"),
        "{text}"
    );
}

fn ledger_payment(n: usize, day: Date, amount: Money) -> LedgerEntry {
    LedgerEntry::payment(&format!("W{n}"), "0756555", amount, day)
        .expect("payment")
        .posted(day)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Random credits, some posted by the accounting system with a shifted credit date within
    /// the window: every credit counts exactly once in the projected balance, and the pending
    /// payments are exactly the ones not posted.
    #[test]
    fn every_credit_counts_once(credits in proptest::collection::vec((0i64..60, 1usize..4, proptest::option::of(-5i64..=5)), 0..25)) {
        let base = date!(2026 - 10 - 01);
        let mut c = standard();
        let mut mt940 = String::from(":20:P\n:25:PL47105000997600000000000001\n:28C:1\n:60F:C261001PLN0,00\n");
        let mut total = Money::ZERO;
        let mut posted = 0usize;
        for (n, (day, amount, post)) in credits.iter().enumerate() {
            let d = base + time::Duration::days(*day);
            let amount = Money::from_grosze(10_000 * *amount as i64);
            total = total.checked_add(amount).expect("sum");
            let yymmdd = format!("{:02}{:02}{:02}", d.year() % 100, u8::from(d.month()), d.day());
            let amount_text = amount.to_string().replace('.', ",");
            mt940.push_str(&format!(
                ":61:{yymmdd}C{amount_text}NTRFNONREF//R{n}\n:86:020~20WPLATA~60{ING_V1}\n"
            ));
            if let Some(shift) = post {
                c.ledger.insert(ledger_payment(n, d + time::Duration::days(*shift), amount)).expect("insert");
                posted += 1;
            }
        }
        mt940.push_str(&format!(":62F:C261231PLN{}\n-", total.to_string().replace('.', ",")));
        let s = read_statements(mt940.as_bytes(), &ReadOptions::default()).expect("reads").statements;
        c.import_bank_statements(&s, date!(2026 - 12 - 31)).expect("imports");
        let policy = PendingPolicy { window_days: 5, ..PendingPolicy::default() };
        let pending = c.pending_payments(&id("0756555"), None, &policy);
        prop_assert_eq!(pending.len(), credits.len() - posted);
        let projected = c.bank.projected_balance(&id("0756555"), &c.ledger, date!(2026 - 12 - 31), None, &policy);
        prop_assert_eq!(projected, total.checked_neg());
    }
}
