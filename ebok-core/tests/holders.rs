//! People, roles and ownership over time (issue 16): what each login sees, and when.
//!
//! - the role × capability matrix, table-driven against the documented default;
//! - the worked example of `docs/holders.md` (a sale on 15 March: seller and buyer on 1 April);
//! - a property test over random ownership histories (sales, inheritance, proxies, co-owners,
//!   tenants, overlapping roles) against an independent model of intervals: no query and no
//!   slice ever returns an entry, reading, document or parameter dated outside the login's
//!   intervals, or of a premises it does not hold; balances equal a naive sum of what it may see.

use std::collections::BTreeSet;

use ebok_core::cooperative::Cooperative;
use ebok_core::documents::{Audience, Document, DocumentKind};
use ebok_core::holders::{Capabilities, Capability, CapabilityTable, Holding, Interval, Role};
use ebok_core::ledger::LedgerEntry;
use ebok_core::meters::{Meter, MeterKind, Quantity, Reading, ReadingSource};
use ebok_core::money::Money;
use ebok_core::parameters::{ParameterKind, ParameterValue};
use ebok_core::portal::{ResidentSlice, ScopeError, SellerBalance, ViewOptions};
use ebok_core::premises::{Area, LoginId, Premises, PremisesId, PremisesKind};
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};

use Capability::*;

/// The documented default (docs/holders.md), written out independently of the code.
fn documented(role: Role) -> &'static [Capability] {
    match role {
        Role::Owner | Role::CoOwner | Role::Tenant => &[
            ViewAccount,
            ViewParameters,
            ViewReadings,
            SubmitReading,
            ViewDocuments,
            Pay,
            ReceiveNotices,
        ],
        Role::Member => &[ViewDocuments, ReceiveNotices],
        Role::Proxy => &[
            ViewAccount,
            ViewParameters,
            ViewReadings,
            SubmitReading,
            ViewDocuments,
            Pay,
        ],
        Role::Heir => &[
            ViewAccount,
            ViewParameters,
            ViewReadings,
            ViewDocuments,
            Pay,
            ReceiveNotices,
        ],
        _ => &[],
    }
}

#[test]
fn the_default_role_capability_matrix_is_the_documented_one() {
    let table = CapabilityTable::default();
    for role in Role::ALL {
        for cap in Capability::ALL {
            assert_eq!(
                table.grants(role, cap),
                documented(role).contains(&cap),
                "{role} × {cap}"
            );
        }
    }
    // The table round-trips through its text form, and a cooperative's override applies.
    assert_eq!(CapabilityTable::parse(&table.to_text()).unwrap(), table);
    let ours = CapabilityTable::parse("tenant;view_readings|submit_reading\n").unwrap();
    assert!(!ours.grants(Role::Tenant, ViewAccount));
    assert!(ours.grants(Role::Tenant, SubmitReading));
    assert!(ours.grants(Role::Owner, ViewAccount));
}

#[test]
fn a_proxy_scope_narrows_the_role_and_never_widens_it() {
    let cases: [(&str, &[Capability]); 3] = [
        ("view_account", &[ViewAccount]),
        ("view_account|receive_notices", &[ViewAccount]),
        ("all", documented(Role::Proxy)),
    ];
    let table = CapabilityTable::default();
    for (scope, expected) in cases {
        let h = Holding::new(
            LoginId::new("1234").unwrap(),
            PremisesId::new("1").unwrap(),
            Role::Proxy,
            Interval::new(None, Some(date!(2027 - 01 - 01))).unwrap(),
        )
        .with_scope(scope.parse().unwrap());
        assert_eq!(
            h.capabilities(&table),
            Capabilities::of(expected),
            "{scope}"
        );
    }
}

fn login(n: u32) -> LoginId {
    LoginId::new(&format!("{:04}", 1000 + n)).unwrap()
}

fn charge(id: &str, p: &str, amount: &str, on: Date) -> LedgerEntry {
    LedgerEntry::charge(
        id,
        p,
        "eksploatacja",
        Money::parse(amount).unwrap(),
        on,
        on + Duration::days(9),
    )
    .unwrap()
    .posted(on)
}

fn payment(id: &str, p: &str, amount: &str, on: Date) -> LedgerEntry {
    LedgerEntry::payment(id, p, Money::parse(amount).unwrap(), on)
        .unwrap()
        .posted(on + Duration::days(2))
}

/// The worked example of docs/holders.md.
fn sale_example(policy: SellerBalance) -> (Cooperative, LoginId, LoginId, PremisesId) {
    let mut c = Cooperative::default();
    let flat = PremisesId::new("0756555").unwrap();
    c.registry
        .add(
            Premises::new(
                flat.clone(),
                PremisesKind::Flat,
                Area::parse("48.60").unwrap(),
            )
            .with_building("B-1"),
        )
        .unwrap();
    let (anna, piotr) = (login(1), login(2));
    c.holders
        .add(Holding::new(
            anna.clone(),
            flat.clone(),
            Role::Owner,
            Interval::since(date!(2019 - 05 - 01)),
        ))
        .unwrap();
    c.holder_policy.seller_balance = policy;
    let f = flat.as_str();
    for e in [
        charge("N-2026-02", f, "450,00", date!(2026 - 02 - 01)),
        payment("W-2026-02", f, "450,00", date!(2026 - 02 - 08)),
        charge("N-2026-03", f, "450,00", date!(2026 - 03 - 01)),
        // Anna leaves March unpaid and sells on 15 March.
        charge("N-2026-04", f, "470,00", date!(2026 - 04 - 01)),
        payment("W-2026-04", f, "470,00", date!(2026 - 04 - 01)),
    ] {
        c.ledger.insert(e).unwrap();
    }
    c.parameters
        .set(
            &flat,
            ParameterKind::RegisteredPersons,
            date!(2019 - 05 - 01),
            ParameterValue::Count(3),
        )
        .unwrap();
    c.parameters
        .set(
            &flat,
            ParameterKind::RegisteredPersons,
            date!(2026 - 03 - 20),
            ParameterValue::Count(1),
        )
        .unwrap();
    let sha = "0".repeat(64);
    for (id, day) in [
        ("U-2026-01", date!(2026 - 01 - 15)),
        ("U-2026-03", date!(2026 - 03 - 25)),
    ] {
        c.documents
            .add(
                Document::new(
                    id,
                    DocumentKind::Resolution,
                    "Uchwała",
                    day,
                    Audience::Building("B-1".into()),
                    &sha,
                    "x.pdf",
                )
                .unwrap(),
            )
            .unwrap();
    }
    let out = c
        .change_holder(
            &flat,
            date!(2026 - 03 - 15),
            vec![Holding::new(
                piotr.clone(),
                flat.clone(),
                Role::Owner,
                Interval::since(date!(2026 - 03 - 15)),
            )],
            None,
        )
        .unwrap();
    assert_eq!(out.new_logins, vec![piotr.clone()]);
    assert_eq!(out.closing.len(), 1);
    assert_eq!(out.closing[0].login, anna);
    assert_eq!(out.closing[0].last_day, date!(2026 - 03 - 14));
    assert_eq!(
        out.closing[0].balance.amount(),
        Money::parse("450").unwrap()
    );
    (c, anna, piotr, flat)
}

#[test]
fn a_sale_on_15_march_seen_by_seller_and_buyer_on_1_april() {
    let (c, anna, piotr, flat) = sale_example(SellerBalance::Hidden);
    let o = ViewOptions::default();
    let day = date!(2026 - 04 - 01);
    // The seller's access ended on 15 March, without staff action; her slice is empty.
    assert_eq!(
        c.resident_view(&anna, &flat, day, None, &o),
        Err(ScopeError::NotFound)
    );
    assert!(
        c.resident_slice(&anna, day, None, &o)
            .unwrap()
            .premises
            .is_empty()
    );
    // On 14 March she still saw everything of hers.
    let v = c
        .resident_view(&anna, &flat, date!(2026 - 03 - 14), None, &o)
        .unwrap();
    assert_eq!(v.balance.amount(), Money::parse("450").unwrap());
    // The buyer sees April only: his balance starts at zero on 15 March.
    let v = c.resident_view(&piotr, &flat, day, None, &o).unwrap();
    assert!(v.balance.is_settled());
    let lines = c.account_lines_for(&piotr, &flat, None, day, None).unwrap();
    let ids: Vec<&str> = lines.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["N-2026-04", "W-2026-04"]);
    assert!(
        v.statements
            .iter()
            .all(|s| s.month.last_day() >= date!(2026 - 03 - 15))
    );
    // Parameters from his first day; the January resolution predates him.
    let params = c.parameters_for(&piotr, &flat, day).unwrap();
    assert_eq!(
        (params[0].from, params[0].to),
        (date!(2026 - 03 - 15), Some(date!(2026 - 03 - 20)))
    );
    assert_eq!(params[1].value, ParameterValue::Count(1));
    let docs: Vec<&str> = c
        .documents_for(&piotr, &flat, day)
        .unwrap()
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(docs, ["U-2026-03"]);
    // The slice holds none of the seller's data.
    let json = c.resident_slice(&piotr, day, None, &o).unwrap().to_json();
    for theirs in [
        "N-2026-02",
        "W-2026-02",
        "N-2026-03",
        "U-2026-01",
        anna.as_str(),
    ] {
        assert!(
            !json.contains(theirs),
            "{theirs} leaked into the buyer's slice"
        );
    }
}

#[test]
fn a_carried_seller_balance_is_one_opening_line() {
    let (c, _, piotr, flat) = sale_example(SellerBalance::Carried);
    let day = date!(2026 - 04 - 01);
    let lines = c.account_lines_for(&piotr, &flat, None, day, None).unwrap();
    assert_eq!(lines[0].kind, ebok_core::ledger::EntryKind::OpeningBalance);
    assert_eq!(lines[0].operation_date, date!(2026 - 03 - 15));
    assert_eq!(lines[0].amount, Money::parse("450").unwrap());
    let v = c
        .resident_view(&piotr, &flat, day, None, &ViewOptions::default())
        .unwrap();
    assert_eq!(v.balance.amount(), Money::parse("450").unwrap());
    assert!(!lines.iter().any(|l| l.id.as_str().starts_with("N-2026-03")));
}

#[test]
fn the_slice_round_trips_in_json_and_cbor_and_cbor_is_smaller() {
    let (c, _, piotr, _) = sale_example(SellerBalance::Hidden);
    let s = c
        .resident_slice(&piotr, date!(2026 - 04 - 01), None, &ViewOptions::default())
        .unwrap();
    assert_eq!(ResidentSlice::from_json(&s.to_json()).unwrap(), s);
    let cbor = s.to_cbor();
    assert_eq!(ResidentSlice::from_cbor(&cbor).unwrap(), s);
    assert!(cbor.len() < s.to_json().len());
    let future = s.to_json().replacen("\"format\":1", "\"format\":2", 1);
    assert!(ResidentSlice::from_json(&future).is_err());
}

// ---------------------------------------------------------------------------------------------
// Random ownership histories against an independent model.

const PREMISES: [&str; 3] = ["P1", "P2", "P3"];
const LOGINS: u32 = 8;

#[derive(Debug, Clone)]
enum Event {
    Sale { to: u32 },
    Inherit { heirs: (u32, u32) },
    CoOwners { a: u32, b: u32 },
    Proxy { who: u32, days: i64, scope: u8 },
    Tenant { who: u32, days: Option<i64> },
    Member { who: u32 },
}

fn event() -> impl Strategy<Value = Event> {
    let l = 0..LOGINS;
    prop_oneof![
        l.clone().prop_map(|to| Event::Sale { to }),
        (l.clone(), l.clone()).prop_map(|heirs| Event::Inherit { heirs }),
        (l.clone(), l.clone()).prop_map(|(a, b)| Event::CoOwners { a, b }),
        (l.clone(), 1..400i64, 1..128u8).prop_map(|(who, days, scope)| Event::Proxy {
            who,
            days,
            scope
        }),
        (l.clone(), proptest::option::of(1..400i64))
            .prop_map(|(who, days)| Event::Tenant { who, days }),
        l.prop_map(|who| Event::Member { who }),
    ]
}

/// One premises' history: the first owner and the dated events.
type PremisesHistory = (Option<u32>, Vec<(i64, Event)>);

#[derive(Debug, Clone)]
struct History {
    /// Per premises: the first owner (none: an undated `logins.csv` link of login 0) and its
    /// events, each on a day offset from 2024-01-01.
    per_premises: Vec<PremisesHistory>,
    entries: Vec<(usize, i64, bool, u32)>,
    readings: Vec<(usize, i64)>,
    parameters: Vec<(usize, i64, u32)>,
    documents: Vec<(i64, u8)>,
    checks: Vec<(i64, Option<i64>)>,
}

fn history() -> impl Strategy<Value = History> {
    let one = (
        proptest::option::of(0..LOGINS),
        proptest::collection::vec((0..1000i64, event()), 0..5),
    );
    (
        proptest::collection::vec(one, 3),
        proptest::collection::vec((0..3usize, 0..1095i64, any::<bool>(), 1..50_000u32), 0..60),
        proptest::collection::vec((0..3usize, 0..1095i64), 0..20),
        proptest::collection::vec((0..3usize, 0..1095i64, 0..6u32), 0..10),
        proptest::collection::vec((0..1095i64, 0..5u8), 0..10),
        proptest::collection::vec((0..1100i64, proptest::option::of(0..1100i64)), 1..4),
    )
        .prop_map(
            |(per_premises, entries, readings, parameters, documents, checks)| History {
                per_premises,
                entries,
                readings,
                parameters,
                documents,
                checks,
            },
        )
}

fn day(offset: i64) -> Date {
    date!(2024 - 01 - 01) + Duration::days(offset)
}

/// The model: (login, premises index, role, from, to, scope) — changes applied by hand.
type ModelHolding = (u32, usize, Role, Option<Date>, Option<Date>, Option<u8>);

fn scope_caps(bits: u8) -> Capabilities {
    Capabilities::of(
        &Capability::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, c)| c)
            .collect::<Vec<_>>(),
    )
}

fn model_can(h: &ModelHolding, cap: Capability) -> bool {
    documented(h.2).contains(&cap) && h.5.is_none_or(|s| scope_caps(s).contains(cap))
}

fn within(h: &ModelHolding, d: Date) -> bool {
    h.3.is_none_or(|f| f <= d) && h.4.is_none_or(|t| d < t)
}

fn build(h: &History) -> (Cooperative, Vec<ModelHolding>) {
    let mut c = Cooperative::default();
    let mut model: Vec<ModelHolding> = Vec::new();
    for (i, id) in PREMISES.iter().enumerate() {
        let p = Premises::new(
            PremisesId::new(id).unwrap(),
            PremisesKind::Flat,
            Area::parse("50").unwrap(),
        )
        .with_building(if i < 2 { "B1" } else { "B2" });
        c.registry.add(p).unwrap();
        let m = Meter::new(
            &format!("ZW-{id}"),
            MeterKind::ColdWater,
            PremisesId::new(id).unwrap(),
            date!(2023 - 12 - 01),
            Quantity::parse("0").unwrap(),
        )
        .unwrap();
        c.meters.add_meter(m).unwrap();
    }
    for (i, (first, events)) in h.per_premises.iter().enumerate() {
        let pid = PremisesId::new(PREMISES[i]).unwrap();
        match first {
            None => {
                c.registry.link(&login(0), &pid).unwrap();
                model.push((0, i, Role::Owner, None, None, None));
            }
            Some(l) => {
                c.holders
                    .add(Holding::new(
                        login(*l),
                        pid.clone(),
                        Role::Owner,
                        Interval::ALWAYS,
                    ))
                    .unwrap();
                model.push((*l, i, Role::Owner, None, None, None));
            }
        }
        let mut events = events.clone();
        events.sort_by_key(|(d, _)| *d);
        let mut last = -1;
        for (offset, ev) in events {
            if offset <= last {
                continue;
            }
            last = offset;
            let on = day(offset);
            let new_holding = |l: u32, role: Role, to: Option<Date>| {
                Holding::new(
                    login(l),
                    pid.clone(),
                    role,
                    Interval::new(Some(on), to).unwrap(),
                )
            };
            let mut added: Vec<(Holding, Option<u8>)> = Vec::new();
            let change = match &ev {
                Event::Sale { to } => {
                    added.push((new_holding(*to, Role::Owner, None), None));
                    true
                }
                Event::Inherit { heirs } => {
                    added.push((new_holding(heirs.0, Role::Heir, None), None));
                    if heirs.1 != heirs.0 {
                        added.push((new_holding(heirs.1, Role::Heir, None), None));
                    }
                    true
                }
                Event::CoOwners { a, b } if a != b => {
                    added.push((
                        new_holding(*a, Role::CoOwner, None).with_share("1/2".parse().unwrap()),
                        None,
                    ));
                    added.push((
                        new_holding(*b, Role::CoOwner, None).with_share("1/2".parse().unwrap()),
                        None,
                    ));
                    true
                }
                Event::CoOwners { a, .. } => {
                    added.push((new_holding(*a, Role::Owner, None), None));
                    true
                }
                Event::Proxy { who, days, scope } => {
                    let h = new_holding(*who, Role::Proxy, Some(on + Duration::days(*days)))
                        .with_scope(scope_caps(*scope));
                    added.push((h, Some(*scope)));
                    false
                }
                Event::Tenant { who, days } => {
                    added.push((
                        new_holding(*who, Role::Tenant, days.map(|d| on + Duration::days(d))),
                        None,
                    ));
                    false
                }
                Event::Member { who } => {
                    added.push((new_holding(*who, Role::Member, None), None));
                    false
                }
            };
            if change {
                c.change_holder(
                    &pid,
                    on,
                    added.iter().map(|(h, _)| h.clone()).collect(),
                    None,
                )
                .unwrap();
                // The model: every relation holding on `on` ends there.
                let mut next = Vec::new();
                for m in model.drain(..) {
                    if m.1 == i && within(&m, on) {
                        if m.3.is_none_or(|f| f < on) {
                            next.push((m.0, m.1, m.2, m.3, Some(on), m.5));
                        }
                    } else {
                        next.push(m);
                    }
                }
                model = next;
            } else {
                for (h, _) in &added {
                    // An undated link must become a dated relation before others join it.
                    if !c.holders.names(&pid) {
                        for l in c.registry.logins_of(&pid) {
                            c.holders
                                .add(Holding::new(
                                    l.clone(),
                                    pid.clone(),
                                    Role::Owner,
                                    Interval::ALWAYS,
                                ))
                                .unwrap();
                            c.registry.unlink(&l, &pid);
                        }
                    }
                    c.holders.add(h.clone()).unwrap();
                }
            }
            for (h, scope) in added {
                let m = (
                    h.login.as_str().parse::<u32>().unwrap() - 1000,
                    i,
                    h.role,
                    h.interval.from,
                    h.interval.to,
                    scope,
                );
                if !model.contains(&m) {
                    model.push(m);
                }
            }
        }
    }
    for (n, (p, offset, is_charge, grosze)) in h.entries.iter().enumerate() {
        let amount = format!("{}.{:02}", grosze / 100, grosze % 100);
        let e = if *is_charge {
            charge(&format!("E{n}"), PREMISES[*p], &amount, day(*offset))
        } else {
            payment(&format!("E{n}"), PREMISES[*p], &amount, day(*offset))
        };
        c.ledger.insert(e).unwrap();
    }
    let mut readings: Vec<(usize, i64)> = h.readings.clone();
    readings.sort_by_key(|r| r.1);
    readings.dedup_by_key(|r| (r.0, r.1));
    let mut state = [0u32; 3];
    for (p, offset) in readings {
        state[p] += 1;
        let r = Reading::new(
            &format!("ZW-{}", PREMISES[p]),
            day(offset),
            Quantity::parse(&format!("{}", state[p])).unwrap(),
            ReadingSource::Inspector,
        )
        .unwrap();
        let _ = c.meters.add_reading(r);
    }
    for (p, offset, persons) in &h.parameters {
        let _ = c.parameters.set(
            &PremisesId::new(PREMISES[*p]).unwrap(),
            ParameterKind::RegisteredPersons,
            day(*offset),
            ParameterValue::Count(*persons),
        );
    }
    for (n, (offset, audience)) in h.documents.iter().enumerate() {
        let audience = match audience {
            0 => Audience::Everyone,
            1 => Audience::Building("B1".into()),
            2 => Audience::Building("B2".into()),
            k => Audience::Premises(PremisesId::new(PREMISES[usize::from(*k) - 3]).unwrap()),
        };
        c.documents
            .add(
                Document::new(
                    &format!("D{n}"),
                    DocumentKind::Letter,
                    "Pismo",
                    day(*offset),
                    audience,
                    &"0".repeat(64),
                    "x",
                )
                .unwrap(),
            )
            .unwrap();
    }
    (c, model)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_query_and_no_slice_shows_anything_outside_the_logins_intervals(h in history()) {
        let (c, model) = build(&h);
        let o = ViewOptions { months: 36, ..ViewOptions::default() };
        for &(as_of, known) in &h.checks {
            let as_of = day(as_of);
            let known_at = known.map(day);
            for l in 0..LOGINS {
                let who = login(l);
                let slice = c.resident_slice(&who, as_of, known_at, &o).unwrap();
                let held: BTreeSet<usize> = model.iter().filter(|m| m.0 == l && within(m, as_of)).map(|m| m.1).collect();
                let shown: BTreeSet<usize> = slice.premises.iter().map(|p| PREMISES.iter().position(|x| *x == p.premises.id.as_str()).unwrap()).collect();
                prop_assert_eq!(&shown, &held, "premises of login {} on {}", l, as_of);
                for ps in &slice.premises {
                    let i = PREMISES.iter().position(|x| *x == ps.premises.id.as_str()).unwrap();
                    let mine: Vec<&ModelHolding> = model.iter().filter(|m| m.0 == l && m.1 == i).collect();
                    let may = |cap: Capability, d: Date| mine.iter().any(|m| model_can(m, cap) && within(m, d));
                    let may_now = |cap: Capability| may(cap, as_of);
                    prop_assert_eq!(ps.view.is_some(), may_now(ViewAccount));
                    if let Some(v) = &ps.view {
                        for line in &ps.account_lines {
                            prop_assert!(may(ViewAccount, line.operation_date), "line {} on {}", line.id, line.operation_date);
                        }
                        for p in &v.payments {
                            prop_assert!(may(ViewAccount, p.credited_on));
                        }
                        for e in v.pending.iter().chain(&v.upcoming) {
                            prop_assert!(may(ViewAccount, e.operation_date));
                        }
                        for item in &v.settlement.items {
                            prop_assert!(may(ViewAccount, item.operation_date));
                        }
                        // The balance is the naive sum of the visible entries.
                        let expected: i64 = c.ledger.entries(&ps.premises.id).iter()
                            .filter(|e| e.operation_date <= as_of && e.is_posted_by(known_at) && may(ViewAccount, e.operation_date))
                            .map(|e| e.effect().grosze())
                            .sum();
                        prop_assert_eq!(v.balance.amount().grosze(), expected);
                    } else {
                        prop_assert!(ps.account_lines.is_empty());
                    }
                    prop_assert_eq!(!ps.meters.is_empty(), may_now(ViewReadings));
                    for m in &ps.meters {
                        for r in &m.last_readings {
                            prop_assert!(may(ViewReadings, r.date), "reading of {}", r.date);
                        }
                    }
                    for p in &ps.parameters {
                        prop_assert!(may(ViewParameters, p.from));
                        prop_assert!(p.from <= as_of);
                        if let Some(to) = p.to {
                            prop_assert!(may(ViewParameters, to.previous_day().unwrap()));
                        }
                    }
                    for d in &ps.documents {
                        prop_assert!(may(ViewDocuments, d.date) && d.date <= as_of);
                        let ok = match &d.audience {
                            Audience::Everyone => true,
                            Audience::Building(b) => ps.premises.building.as_deref() == Some(b.as_str()),
                            Audience::Premises(p) => *p == ps.premises.id,
                        };
                        prop_assert!(ok);
                    }
                    // Nothing of another premises, nothing of an entry out of reach, in the serialized slice.
                    let json = serde_json::to_string(ps).unwrap();
                    for e in c.ledger.iter() {
                        let visible = e.premises == ps.premises.id && may(ViewAccount, e.operation_date);
                        if !visible {
                            prop_assert!(!json.contains(&format!("\"{}\"", e.id)), "{} leaked", e.id);
                        }
                    }
                }
                // Each scoped query refuses a premises the login does not hold today.
                for (i, id) in PREMISES.iter().enumerate() {
                    let pid = PremisesId::new(id).unwrap();
                    let may_view = model.iter().any(|m| m.0 == l && m.1 == i && model_can(m, ViewAccount) && within(m, as_of));
                    prop_assert_eq!(c.resident_view(&who, &pid, as_of, known_at, &o).is_ok(), may_view);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// holders.csv, parameters.csv, documents.csv in the snapshot.

use ebok_core::interchange::{ImportOptions, SnapshotFiles, export_snapshot};

fn options() -> ImportOptions {
    ImportOptions {
        now: Some(time::macros::datetime!(2026-04-02 12:00 UTC)),
        ..ImportOptions::default()
    }
}

fn exported() -> (Cooperative, SnapshotFiles) {
    let (mut c, ..) = sale_example(SellerBalance::Hidden);
    c.holders
        .add(
            Holding::new(
                login(3),
                PremisesId::new("0756555").unwrap(),
                Role::Proxy,
                Interval::new(Some(date!(2026 - 03 - 20)), Some(date!(2026 - 09 - 01))).unwrap(),
            )
            .with_scope("view_account|pay".parse().unwrap()),
        )
        .unwrap();
    c.documents
        .add(
            Document::new(
                "Z-2026-1",
                DocumentKind::FeeChangeNotice,
                "Zmiana opłat; od lipca",
                date!(2026 - 03 - 31),
                Audience::Everyone,
                &"ab".repeat(32),
                "zaw/2026-1.pdf",
            )
            .unwrap()
            .with_fee_change(
                date!(2026 - 07 - 01),
                ebok_core::documents::FeeChangeCause::Cooperative,
            ),
        )
        .unwrap();
    c.name = "SM Test".into();
    let files = export_snapshot(&c, time::macros::datetime!(2026-04-01 18:00 UTC));
    (c, files)
}

#[test]
fn holders_parameters_and_documents_round_trip_through_the_snapshot() {
    let (c, files) = exported();
    let mut copy = Cooperative::default();
    let report = copy.import(&files, &options()).unwrap();
    assert_eq!(copy.holders, c.holders);
    assert_eq!(copy.parameters, c.parameters);
    assert_eq!(copy.documents, c.documents);
    assert_eq!(
        copy.registry.iter().next().unwrap().building.as_deref(),
        Some("B-1")
    );
    assert_eq!(report.counts("holders").added, c.holders.len());
    assert_eq!(report.counts("documents").added, 3);
    // The same snapshot again changes nothing.
    let again = copy.import(&files, &options()).unwrap();
    assert_eq!(again.counts("holders").unchanged, c.holders.len());
    assert_eq!(
        again.counts("parameters").added + again.counts("parameters").changed,
        0
    );
    // Exported again, byte for byte the same files.
    let files2 = export_snapshot(&copy, time::macros::datetime!(2026-04-01 18:00 UTC));
    for name in [
        "holders.csv",
        "parameters.csv",
        "documents.csv",
        "premises.csv",
    ] {
        assert_eq!(files.file(name), files2.file(name), "{name}");
    }
    // The fee-change notice was given in time for 1 July.
    let notice = copy
        .documents
        .iter()
        .find(|d| d.kind == DocumentKind::FeeChangeNotice)
        .unwrap();
    assert!(notice.notice_check(10).unwrap().in_time);
}

#[test]
fn bad_rows_of_the_new_files_are_each_named_and_nothing_changes() {
    let (_, mut files) = exported();
    files.insert(
        "holders.csv",
        b"login;premises;role;from;to;share;scope\r\n\
1001;0756555;landlord;2019-05-01;;;\r\n\
1002;0756555;proxy;2026-03-15;;;view_account\r\n\
1003;0756555;owner;2026-03-15;2026-03-01;;\r\n\
1004;9999999;owner;2026-03-15;;;\r\n\
1005;0756555;co_owner;2026-03-15;;3/2;\r\n"
            .to_vec(),
    );
    files.insert(
        "parameters.csv",
        b"premises;kind;from;value\r\n0756555;persons;2026-01-01;2,5\r\n0756555;colour;2026-01-01;red\r\n".to_vec(),
    );
    files.insert(
        "documents.csv",
        b"id;kind;title;date;audience;sha256;reference;effective_from;cause\r\n\
D1;letter;Pismo;2026-01-01;flat:1;0000;x;;\r\n\
D2;fee_change_notice;Zmiana;2026-01-01;everyone;0000000000000000000000000000000000000000000000000000000000000000;x;;\r\n"
            .to_vec(),
    );
    files.seal();
    let mut c = Cooperative::default();
    let err = c.import(&files, &options()).unwrap_err();
    let at: Vec<(String, u64)> = err
        .issues
        .iter()
        .map(|i| (i.file.clone(), i.line))
        .collect();
    for (file, line) in [
        ("holders.csv", 2),
        ("holders.csv", 3),
        ("holders.csv", 4),
        ("holders.csv", 6),
        ("parameters.csv", 2),
        ("parameters.csv", 3),
        ("documents.csv", 2),
        ("documents.csv", 3),
    ] {
        assert!(
            at.contains(&(file.to_owned(), line)),
            "{file}:{line} not reported in {at:?}"
        );
    }
    assert!(c.registry.is_empty() && c.holders.is_empty() && c.ledger.is_empty());
    // The unknown premises is reported once the rows parse (a second pass over a corrected file).
    let (_, mut files) = exported();
    files.insert(
        "holders.csv",
        b"login;premises;role;from;to;share;scope\r\n1004;9999999;owner;2026-03-15;;;\r\n".to_vec(),
    );
    files.seal();
    let err = Cooperative::default()
        .import(&files, &options())
        .unwrap_err();
    assert!(
        err.issues.iter().any(|i| i.file == "holders.csv"
            && i.line == 2
            && i.reason.contains("no such premises"))
    );
}

#[test]
fn an_old_snapshot_with_undated_logins_still_loads_as_an_open_interval() {
    let (_, mut files) = exported();
    for name in ["holders.csv", "parameters.csv", "documents.csv"] {
        files.files.remove(name);
    }
    files.insert("logins.csv", b"login;premises\r\n1001;0756555\r\n".to_vec());
    files.insert(
        "premises.csv",
        b"id;kind;area;title;address\r\n0756555;flat;48,60;;\r\n".to_vec(),
    );
    files.seal();
    let mut c = Cooperative::default();
    c.import(&files, &options()).unwrap();
    let a = c
        .access(&login(1), &PremisesId::new("0756555").unwrap())
        .unwrap();
    assert_eq!(a.relations[0].interval, Interval::ALWAYS);
    assert_eq!(a.relations[0].role, Role::Owner);
    let v = c
        .resident_view(
            &login(1),
            &PremisesId::new("0756555").unwrap(),
            date!(2026 - 04 - 01),
            None,
            &ViewOptions::default(),
        )
        .unwrap();
    assert_eq!(v.balance.amount(), Money::parse("450").unwrap());
}

#[test]
fn an_incremental_snapshot_upserts_and_deletes_holders() {
    let (_, files) = exported();
    let mut c = Cooperative::default();
    c.import(&files, &options()).unwrap();
    let manifest = String::from_utf8(files.manifest.clone())
        .unwrap()
        .replace("kind = full", "kind = incremental");
    let mut inc = SnapshotFiles::new(manifest.into_bytes());
    inc.insert("holders.csv", b"login;premises;role;from;to;share;scope\r\n1004;0756555;tenant;2026-04-01;2027-04-01;;\r\n".to_vec());
    inc.insert(
        "deletions.csv",
        b"type;key\r\nholders;1003/0756555/proxy/2026-03-20\r\n".to_vec(),
    );
    inc.seal();
    let r = c.import(&inc, &options()).unwrap();
    assert_eq!(r.counts("holders").added, 1);
    assert_eq!(r.counts("holders").removed, 1);
    let p = PremisesId::new("0756555").unwrap();
    assert!(c.access(&login(3), &p).is_none());
    assert!(
        c.access(&login(4), &p)
            .unwrap()
            .can(SubmitReading, date!(2026 - 04 - 02))
    );
}

#[test]
fn fee_change_notices_in_time_and_late() {
    use ebok_core::documents::{FeeChangeCause::*, check_fee_notice};
    // (given on, effective from, cause, in time, earliest effective, latest notice)
    let cases = [
        // Three months to the end of a month: any day of March → 1 July.
        (
            date!(2026 - 03 - 01),
            date!(2026 - 07 - 01),
            Cooperative,
            true,
            date!(2026 - 07 - 01),
            date!(2026 - 03 - 31),
        ),
        (
            date!(2026 - 03 - 31),
            date!(2026 - 07 - 01),
            Cooperative,
            true,
            date!(2026 - 07 - 01),
            date!(2026 - 03 - 31),
        ),
        (
            date!(2026 - 04 - 01),
            date!(2026 - 07 - 01),
            Cooperative,
            false,
            date!(2026 - 08 - 01),
            date!(2026 - 03 - 31),
        ),
        // Across a year end, and a change that does not start a month.
        (
            date!(2026 - 10 - 15),
            date!(2027 - 02 - 01),
            Cooperative,
            true,
            date!(2027 - 02 - 01),
            date!(2026 - 10 - 31),
        ),
        (
            date!(2026 - 03 - 01),
            date!(2026 - 07 - 15),
            Cooperative,
            false,
            date!(2026 - 07 - 01),
            date!(2026 - 03 - 31),
        ),
        // Independent costs: 14 days before the 10th, and within the month before.
        (
            date!(2026 - 01 - 27),
            date!(2026 - 02 - 01),
            Independent,
            true,
            date!(2026 - 02 - 01),
            date!(2026 - 01 - 27),
        ),
        (
            date!(2026 - 01 - 28),
            date!(2026 - 02 - 01),
            Independent,
            false,
            date!(2026 - 03 - 01),
            date!(2026 - 01 - 27),
        ),
        (
            date!(2026 - 02 - 25),
            date!(2026 - 03 - 01),
            Independent,
            false,
            date!(2026 - 04 - 01),
            date!(2026 - 02 - 24),
        ),
        (
            date!(2026 - 02 - 24),
            date!(2026 - 03 - 01),
            Independent,
            true,
            date!(2026 - 03 - 01),
            date!(2026 - 02 - 24),
        ),
    ];
    for (given, effective, cause, in_time, earliest, latest) in cases {
        let c = check_fee_notice(given, effective, cause, 10);
        assert_eq!(
            (c.in_time, c.earliest_effective, c.latest_notice),
            (in_time, earliest, latest),
            "{given} → {effective} ({cause:?})"
        );
    }
}
