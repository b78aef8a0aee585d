//! Open items (nierozliczone należności), arrears, credit, and late interest to a date.
//!
//! For one premises, as of a day and as known on a day (like balances), the ledger's entries
//! are replayed in time: debts (entries raising what is owed) fall due on their effective due
//! date; credits (payments and entries lowering it) are allocated when they arrive — by the
//! accounting system's stored allocation if it exported one, otherwise by the art. 451
//! reference allocator. Credit left over settles later debts as they fall due. Interest
//! accrues on each debt's outstanding principal from the day after its effective due date.
//!
//! Interest accrues on charges and settlements that have a due date; interest notes,
//! corrections, refunds, opening balances and returned payments do not bear further
//! statutory interest here (no interest on interest, KC art. 482).

use serde::{Deserialize, Serialize};
use time::Date;

use super::allocation::{AllocationOrder, take};
use super::due::effective_due_date;
use super::interest::{exact_interest, round_grosze};
use super::{SettlementError, SettlementPolicy};
use crate::calendar::{date_of_day, day_number};
use crate::ledger::{Allocation, Component, EntryId, EntryKind, Ledger, LedgerEntry, Part};
use crate::money::Money;
use crate::premises::PremisesId;

/// One unpaid (or partly paid) debt.
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use ebok_core::settlement::{SettlementPolicy, open_items};
/// use time::macros::date;
/// let mut l = Ledger::new();
/// l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", Money::parse("500")?, date!(2025 - 05 - 01), date!(2025 - 05 - 10))?.posted(date!(2025 - 05 - 01)))?;
/// let items = open_items(&l, &PremisesId::new("1")?, date!(2025 - 05 - 13), None, &SettlementPolicy::default())?;
/// let item = &items.items[0];
/// assert_eq!(item.effective_due, date!(2025 - 05 - 12)); // the 10th was a Saturday
/// assert_eq!(item.overdue_since, Some(date!(2025 - 05 - 13)));
/// assert_eq!(item.days_overdue, 1);
/// assert_eq!(item.interest, Money::parse("0.15")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenItem {
    /// The debt's entry id.
    pub id: EntryId,
    /// Its kind.
    pub kind: EntryKind,
    /// Its component, for charges.
    pub component: Option<Component>,
    /// Its operation date.
    pub operation_date: Date,
    /// The nominal due date as recorded.
    pub due_date: Option<Date>,
    /// The effective due date (after the KC art. 115 shift; the operation date when it has none).
    pub effective_due: Date,
    /// The original amount.
    pub original: Money,
    /// Principal still outstanding.
    pub outstanding: Money,
    /// The first day of delay (the day after the effective due date), when overdue.
    pub overdue_since: Option<Date>,
    /// Days overdue as of the evaluation day.
    pub days_overdue: u32,
    /// Late interest accrued and not yet paid, to the evaluation day.
    pub interest: Money,
}

/// The open items of a premises as of a day, as known on a day.
///
/// **Credit and a charge not yet due.** Credit is never left idle beside a debt of the same
/// premises: a payment that arrives before a charge falls due is held as credit and *reserved*
/// for that charge, so the charge is shown as covered (`outstanding` 0, not in `items`, not in
/// `not_yet_due`) and `unused_credit` is only what is left after every known debt, due or not.
/// The figure the resident sees as overpayment (nadpłata) is therefore `unused_credit`, and it
/// always reconciles with the balance: Σ `outstanding` − `unused_credit` = the ledger balance
/// for the same (`as_of`, `known_at`). The charge is settled formally (the allocation line
/// with credit id `credit`) on the day it matures.
///
/// Worked example: a charge of 129.41 zł booked on 1 April and due on 15 April; a payment of
/// 844.06 zł on 7 April. On 10 April the charge is not yet due, the payment covers it, and
/// 714.65 zł is credit:
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use ebok_core::settlement::{SettlementPolicy, open_items};
/// use time::macros::date;
/// let m = |s: &str| Money::parse(s).unwrap();
/// let mut l = Ledger::new();
/// l.insert(LedgerEntry::charge("N04", "1", "eksploatacja", m("129.41"), date!(2026 - 04 - 01), date!(2026 - 04 - 15))?.posted(date!(2026 - 04 - 01)))?;
/// l.insert(LedgerEntry::payment("P1", "1", m("844.06"), date!(2026 - 04 - 07))?.posted(date!(2026 - 04 - 08)))?;
/// let p = PremisesId::new("1")?;
/// let items = open_items(&l, &p, date!(2026 - 04 - 10), None, &SettlementPolicy::default())?;
/// assert!(items.items.is_empty());                 // the April charge is covered
/// assert_eq!(items.not_yet_due, Money::ZERO);      // nothing left to pay on the 15th
/// assert_eq!(items.unused_credit, m("714.65"));    // what the resident sees as nadpłata
/// assert_eq!(l.balance(&p, date!(2026 - 04 - 10), None)?.amount(), m("-714.65"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// ```
/// use ebok_core::ledger::Ledger;
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use ebok_core::settlement::{SettlementPolicy, open_items};
/// use time::macros::date;
/// let items = open_items(&Ledger::new(), &PremisesId::new("1")?, date!(2025 - 05 - 13), None, &SettlementPolicy::default())?;
/// assert!(items.items.is_empty());
/// assert_eq!(items.arrears, Money::ZERO);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenItems {
    /// The premises.
    pub premises: PremisesId,
    /// The evaluation day.
    pub as_of: Date,
    /// What the accounting system knew (`None`: all posted).
    pub known_at: Option<Date>,
    /// Debts with principal still unpaid, oldest effective due date first.
    pub items: Vec<OpenItem>,
    /// Arrears (zaległość): outstanding principal of overdue items.
    pub arrears: Money,
    /// Outstanding principal not yet due (after reserved credit: a charge that credit already
    /// covers is not counted here).
    pub not_yet_due: Money,
    /// The effective due date of the oldest overdue item.
    pub oldest_overdue: Option<Date>,
    /// Credit (nadpłata) left after every known debt, due or not yet due, took its share: the
    /// overpayment the resident sees.
    pub unused_credit: Money,
    /// Late interest accrued and unpaid to the evaluation day, on open items and on debts whose
    /// principal was paid late (their interest is still owed unless it was collected).
    pub interest_total: Money,
    /// Every allocation made, stored or computed, in time order.
    pub allocations: Vec<Allocation>,
}

/// "If you pay on this day, the interest will be …": the amounts to settle every open item.
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use ebok_core::settlement::{SettlementPolicy, project_interest};
/// use time::macros::date;
/// let mut l = Ledger::new();
/// l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", Money::parse("500")?, date!(2025 - 01 - 01), date!(2025 - 01 - 10))?.posted(date!(2025 - 01 - 01)))?;
/// let p = project_interest(&l, &PremisesId::new("1")?, date!(2025 - 02 - 01), None, date!(2025 - 03 - 20), &SettlementPolicy::default())?;
/// assert_eq!(p.interest, Money::parse("10.63")?);
/// assert_eq!(p.total, Money::parse("510.63")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterestProjection {
    /// The day of the hypothetical payment.
    pub pay_on: Date,
    /// Outstanding principal of all items.
    pub principal: Money,
    /// Interest on all items to `pay_on`.
    pub interest: Money,
    /// Principal + interest − unused credit, never below zero.
    pub total: Money,
    /// Per item: (debt id, outstanding principal, interest to `pay_on`).
    pub items: Vec<(EntryId, Money, Money)>,
}

struct DebtState {
    entry: LedgerEntry,
    effective_due: i32,
    /// The nominal due day (the operation day when it has none): art. 451 order.
    nominal_due: i32,
    /// When the pool may settle it: the later of the due day and the operation day.
    matures: i32,
    accrues: bool,
    principal: Money,
    /// Exact interest accrued, over `interest::DENOMINATOR` grosze.
    accrued: i128,
    /// The last day interest has been accrued through.
    accrued_through: i32,
    interest_paid: Money,
}

impl DebtState {
    fn accrue_to(&mut self, day: i32, policy: &SettlementPolicy) -> Result<(), SettlementError> {
        if !self.accrues {
            return Ok(());
        }
        let first = self.accrued_through.max(self.effective_due) + 1;
        if day >= first {
            self.accrued += exact_interest(
                self.principal.grosze(),
                first,
                day,
                &policy.rates,
                policy.basis,
                |_, _, _, _| {},
            )?;
            self.accrued_through = day;
        }
        Ok(())
    }

    fn interest_due(&self) -> Money {
        Money::from_grosze(round_grosze(self.accrued))
            .checked_sub(self.interest_paid)
            .unwrap_or(Money::ZERO)
            .max(Money::ZERO)
    }
}

struct Simulation {
    debts: Vec<DebtState>,
    pool: Money,
    allocations: Vec<Allocation>,
}

fn accrues_interest(e: &LedgerEntry) -> bool {
    matches!(e.kind, EntryKind::Charge | EntryKind::Settlement) && e.due_date.is_some()
}

fn simulate(
    ledger: &Ledger,
    premises: &PremisesId,
    as_of: Date,
    known_at: Option<Date>,
    policy: &SettlementPolicy,
) -> Result<Simulation, SettlementError> {
    let entries: Vec<LedgerEntry> = ledger
        .entries(premises)
        .into_iter()
        .filter(|e| e.operation_date <= as_of && e.is_posted_by(known_at))
        .collect();
    let mut debts: Vec<DebtState> = Vec::new();
    let mut credits: Vec<(i32, LedgerEntry)> = Vec::new();
    for e in entries {
        let effect = e.effect();
        if effect.is_positive() {
            // Matured (wymagalny) on its nominal due date, KC art. 451 § 3; interest only after
            // the effective date, shifted under art. 115.
            let nominal = e.due_date.unwrap_or(e.operation_date);
            let due = day_number(match e.due_date {
                Some(d) => effective_due_date(d)?,
                None => e.operation_date,
            });
            let op = day_number(e.operation_date);
            debts.push(DebtState {
                effective_due: due,
                nominal_due: day_number(nominal),
                matures: day_number(nominal).max(op),
                accrues: accrues_interest(&e),
                principal: effect,
                accrued: 0,
                accrued_through: due,
                interest_paid: Money::ZERO,
                entry: e,
            });
        } else if effect.is_negative() {
            credits.push((day_number(e.operation_date), e));
        }
    }
    debts.sort_by(|a, b| {
        (a.nominal_due, a.entry.operation_date, &a.entry.id).cmp(&(
            b.nominal_due,
            b.entry.operation_date,
            &b.entry.id,
        ))
    });
    credits.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));

    let mut sim = Simulation {
        debts,
        pool: Money::ZERO,
        allocations: Vec::new(),
    };
    let mut next_maturity = 0usize; // debts are sorted by effective due; maturity order by `matures`
    let mut maturity_order: Vec<usize> = (0..sim.debts.len()).collect();
    maturity_order.sort_by_key(|&i| (sim.debts[i].matures, i));
    let pool_id = EntryId::trusted("credit");
    for (day, credit) in credits {
        // Debts maturing up to and including the credit's day first take the pool.
        while next_maturity < maturity_order.len()
            && sim.debts[maturity_order[next_maturity]].matures <= day
        {
            let i = maturity_order[next_maturity];
            apply_pool(&mut sim, i, &pool_id, policy)?;
            next_maturity += 1;
        }
        let mut left = credit.effect().abs();
        let stored = ledger.allocations_of(&credit.id);
        if !stored.is_empty() {
            for line in stored {
                if let Some(d) = sim.debts.iter_mut().find(|d| d.entry.id == line.debt) {
                    d.accrue_to(day, policy)?;
                    let mut amount = line.amount.min(left);
                    let before = amount;
                    match line.part {
                        Part::Principal => take(
                            &mut amount,
                            &mut d.principal,
                            &credit.id,
                            &d.entry.id,
                            Part::Principal,
                            &mut sim.allocations,
                        ),
                        Part::Interest => {
                            let mut due = d.interest_due();
                            take(
                                &mut amount,
                                &mut due,
                                &credit.id,
                                &d.entry.id,
                                Part::Interest,
                                &mut sim.allocations,
                            );
                            d.interest_paid = d
                                .interest_paid
                                .checked_add(before.checked_sub(amount).unwrap_or_default())
                                .unwrap_or(d.interest_paid);
                        }
                    }
                    left = left
                        .checked_sub(before.checked_sub(amount).unwrap_or_default())
                        .unwrap_or_default();
                }
            }
        } else {
            let designated = ledger.designation_of(&credit.id).cloned();
            if let Some(target) = designated
                && let Some(i) = sim.debts.iter().position(|d| d.entry.id == target)
            {
                settle(&mut sim, i, &mut left, &credit.id, day, policy)?;
            }
            let mut matured: Vec<usize> = (0..sim.debts.len())
                .filter(|&i| sim.debts[i].matures <= day)
                .collect();
            matured.sort_by_key(|&i| (sim.debts[i].nominal_due, i));
            for i in matured {
                if !left.is_positive() {
                    break;
                }
                settle(&mut sim, i, &mut left, &credit.id, day, policy)?;
            }
        }
        sim.pool = sim.pool.checked_add(left).unwrap_or(sim.pool);
    }
    // Debts maturing after the last credit, up to the evaluation day, take what is left.
    let end = day_number(as_of);
    while next_maturity < maturity_order.len()
        && sim.debts[maturity_order[next_maturity]].matures <= end
    {
        let i = maturity_order[next_maturity];
        apply_pool(&mut sim, i, &pool_id, policy)?;
        next_maturity += 1;
    }
    // Credit is reserved for debts not yet due, which it will settle when they fall due.
    while next_maturity < maturity_order.len() {
        let i = maturity_order[next_maturity];
        apply_pool(&mut sim, i, &pool_id, policy)?;
        next_maturity += 1;
    }
    for d in &mut sim.debts {
        d.accrue_to(end, policy)?;
    }
    Ok(sim)
}

fn apply_pool(
    sim: &mut Simulation,
    i: usize,
    pool_id: &EntryId,
    policy: &SettlementPolicy,
) -> Result<(), SettlementError> {
    if !sim.pool.is_positive() {
        return Ok(());
    }
    let d = &mut sim.debts[i];
    d.accrue_to(d.matures, policy)?;
    take(
        &mut sim.pool,
        &mut d.principal,
        pool_id,
        &d.entry.id,
        Part::Principal,
        &mut sim.allocations,
    );
    Ok(())
}

fn settle(
    sim: &mut Simulation,
    i: usize,
    left: &mut Money,
    credit: &EntryId,
    day: i32,
    policy: &SettlementPolicy,
) -> Result<(), SettlementError> {
    let d = &mut sim.debts[i];
    // Interest runs on the principal as it was until this day.
    d.accrue_to(day, policy)?;
    if policy.order == AllocationOrder::InterestFirst {
        let mut due = d.interest_due();
        let before = *left;
        take(
            left,
            &mut due,
            credit,
            &d.entry.id,
            Part::Interest,
            &mut sim.allocations,
        );
        let paid = before.checked_sub(*left).unwrap_or_default();
        d.interest_paid = d.interest_paid.checked_add(paid).unwrap_or(d.interest_paid);
    }
    take(
        left,
        &mut d.principal,
        credit,
        &d.entry.id,
        Part::Principal,
        &mut sim.allocations,
    );
    Ok(())
}

/// The open items of a premises as of `as_of`, as known at `known_at`, under a policy.
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use ebok_core::settlement::{SettlementPolicy, open_items};
/// use time::macros::date;
/// let mut l = Ledger::new();
/// l.insert(LedgerEntry::payment("P1", "1", Money::parse("100")?, date!(2025 - 04 - 28))?.posted(date!(2025 - 04 - 29)))?;
/// l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", Money::parse("80")?, date!(2025 - 05 - 01), date!(2025 - 05 - 10))?.posted(date!(2025 - 05 - 01)))?;
/// let items = open_items(&l, &PremisesId::new("1")?, date!(2025 - 05 - 20), None, &SettlementPolicy::default())?;
/// assert!(items.items.is_empty());
/// assert_eq!(items.unused_credit, Money::parse("20")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn open_items(
    ledger: &Ledger,
    premises: &PremisesId,
    as_of: Date,
    known_at: Option<Date>,
    policy: &SettlementPolicy,
) -> Result<OpenItems, SettlementError> {
    let sim = simulate(ledger, premises, as_of, known_at, policy)?;
    let end = day_number(as_of);
    let mut items = Vec::new();
    let (mut arrears, mut not_yet_due, mut interest_total) =
        (Money::ZERO, Money::ZERO, Money::ZERO);
    let mut oldest_overdue: Option<Date> = None;
    for d in &sim.debts {
        let interest = d.interest_due();
        interest_total = interest_total
            .checked_add(interest)
            .unwrap_or(interest_total);
        if !d.principal.is_positive() {
            continue;
        }
        let overdue = d.effective_due < end;
        if overdue && d.principal.is_positive() {
            arrears = arrears.checked_add(d.principal).unwrap_or(arrears);
            let due = date_of_day(d.effective_due);
            oldest_overdue = Some(oldest_overdue.map_or(due, |o| o.min(due)));
        } else if !overdue {
            not_yet_due = not_yet_due.checked_add(d.principal).unwrap_or(not_yet_due);
        }
        items.push(OpenItem {
            id: d.entry.id.clone(),
            kind: d.entry.kind,
            component: d.entry.component.clone(),
            operation_date: d.entry.operation_date,
            due_date: d.entry.due_date,
            effective_due: date_of_day(d.effective_due),
            original: d.entry.effect(),
            outstanding: d.principal,
            overdue_since: overdue.then(|| date_of_day(d.effective_due + 1)),
            days_overdue: u32::try_from((end - d.effective_due).max(0)).unwrap_or(0),
            interest,
        });
    }
    Ok(OpenItems {
        premises: premises.clone(),
        as_of,
        known_at,
        items,
        arrears,
        not_yet_due,
        oldest_overdue,
        unused_credit: sim.pool,
        interest_total,
        allocations: sim.allocations,
    })
}

/// The open items of many premises (of a whole cooperative, for a report of arrears), each as
/// [`open_items`] gives it, in the order given. From 64 premises on, the two halves are
/// computed on two cores. The first error in that order is returned.
///
/// ```
/// use ebok_core::settlement::{SettlementPolicy, open_items, open_items_of_many};
/// use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
/// use time::macros::date;
/// let c = SyntheticCooperative::generate(&CooperativeConfig { premises: 5, ..CooperativeConfig::default() });
/// let ids: Vec<_> = c.ledger.premises().cloned().collect();
/// let many = open_items_of_many(&c.ledger, &ids, date!(2026 - 11 - 20), None, &SettlementPolicy::default())?;
/// assert_eq!(many[2], open_items(&c.ledger, &ids[2], date!(2026 - 11 - 20), None, &SettlementPolicy::default())?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn open_items_of_many(
    ledger: &Ledger,
    premises: &[PremisesId],
    as_of: Date,
    known_at: Option<Date>,
    policy: &SettlementPolicy,
) -> Result<Vec<OpenItems>, SettlementError> {
    let each = |ids: &[PremisesId]| {
        ids.iter()
            .map(|p| open_items(ledger, p, as_of, known_at, policy))
            .collect::<Result<Vec<_>, _>>()
    };
    if premises.len() < 64 {
        return each(premises);
    }
    let (first, second) = premises.split_at(premises.len() / 2);
    let (later, earlier) = crate::parallel::in_parallel(|| each(second), || each(first));
    let mut all = earlier?;
    all.extend(later?);
    Ok(all)
}

/// What settling every open item would cost if paid on `pay_on` (≥ `as_of`): the state as of
/// `as_of` (as known at `known_at`), with interest accrued on the outstanding principal to `pay_on`.
///
/// ```
/// use ebok_core::ledger::Ledger;
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use ebok_core::settlement::{SettlementPolicy, project_interest};
/// use time::macros::date;
/// let p = project_interest(&Ledger::new(), &PremisesId::new("1")?, date!(2025 - 05 - 01), None, date!(2025 - 06 - 01), &SettlementPolicy::default())?;
/// assert_eq!(p.total, Money::ZERO);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn project_interest(
    ledger: &Ledger,
    premises: &PremisesId,
    as_of: Date,
    known_at: Option<Date>,
    pay_on: Date,
    policy: &SettlementPolicy,
) -> Result<InterestProjection, SettlementError> {
    let mut sim = simulate(ledger, premises, as_of, known_at, policy)?;
    let pay_day = day_number(pay_on.max(as_of));
    let (mut principal, mut interest) = (Money::ZERO, Money::ZERO);
    let mut items = Vec::new();
    for d in &mut sim.debts {
        d.accrue_to(pay_day, policy)?;
        let i = d.interest_due();
        if d.principal.is_positive() || i.is_positive() {
            principal = principal.checked_add(d.principal).unwrap_or(principal);
            interest = interest.checked_add(i).unwrap_or(interest);
            items.push((d.entry.id.clone(), d.principal, i));
        }
    }
    let total = principal
        .checked_add(interest)
        .and_then(|t| t.checked_sub(sim.pool))
        .unwrap_or(Money::ZERO)
        .max(Money::ZERO);
    Ok(InterestProjection {
        pay_on: date_of_day(pay_day),
        principal,
        interest,
        total,
        items,
    })
}
