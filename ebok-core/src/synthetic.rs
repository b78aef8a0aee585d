//! A deterministic generator of a synthetic cooperative (feature `synthetic`).
//!
//! A dev/test tool shared by the example, the benches and the tests; not part of the
//! library's domain API. The same seed always gives the same cooperative:
//! premises of every kind, realistic Polish charge components (rates in the range of
//! published cooperative tables), residents who pay on time, late, irregularly or in
//! advance, returned payments, corrections, water settlements, interest notes, and a few
//! payments not yet posted at the end. In the itemized shape, as real accounting systems do,
//! each month's charges are booked 12 days before the 1st, so next month's charges are
//! already posted (upcoming) at the end.
//!
//! ```
//! use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
//! use time::macros::date;
//!
//! let config = CooperativeConfig { premises: 20, months: 24, end: date!(2025 - 11 - 21), ..CooperativeConfig::default() };
//! let a = SyntheticCooperative::generate(&config);
//! let b = SyntheticCooperative::generate(&config);
//! assert_eq!(a.ledger.len(), b.ledger.len());
//! assert_eq!(a.registry.len(), 20);
//! ```

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use time::{Date, Duration, Weekday};

use crate::calendar::{YearMonth, add_days};
use crate::ledger::{Component, EntryKind, InsertMode, Ledger, LedgerEntry};
use crate::meters::{Legalization, Meter, MeterBook, MeterKind, Quantity, Reading, ReadingSource};
use crate::money::Money;
use crate::premises::{
    Area, LegalTitle, LoginId, Premises, PremisesId, PremisesKind, PremisesRegistry,
};

/// What to generate.
///
/// ```
/// use ebok_core::synthetic::CooperativeConfig;
/// let c = CooperativeConfig::default();
/// assert!(c.itemized);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CooperativeConfig {
    /// The seed: the same seed gives the same cooperative.
    pub seed: u64,
    /// How many premises.
    pub premises: usize,
    /// How many months of history, ending with the month of `end`.
    pub months: u32,
    /// "Today": nothing happens after this day; the last few days' payments are not posted yet.
    pub end: Date,
    /// The due day of the month (default 10).
    pub due_day: u8,
    /// One charge per component (`true`) or one combined monthly charge (`false`, the benchmark shape:
    /// exactly one charge and one payment per premises per month).
    pub itemized: bool,
}

impl Default for CooperativeConfig {
    fn default() -> Self {
        CooperativeConfig {
            seed: 2018,
            premises: 200,
            months: 36,
            end: time::macros::date!(2026 - 11 - 21),
            due_day: 10,
            itemized: true,
        }
    }
}

impl CooperativeConfig {
    /// The benchmark shape: `premises` × `months` × (one charge + one payment), no extras.
    ///
    /// ```
    /// use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
    /// let c = CooperativeConfig::benchmark(10, 12);
    /// assert_eq!(SyntheticCooperative::generate(&c).ledger.len(), 10 * 12 * 2);
    /// ```
    pub fn benchmark(premises: usize, months: u32) -> CooperativeConfig {
        CooperativeConfig {
            premises,
            months,
            itemized: false,
            ..CooperativeConfig::default()
        }
    }
}

/// How a resident pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Habit {
    OnTime,
    Late,
    Irregular,
    InAdvance,
}

/// A generated cooperative.
///
/// ```
/// use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
/// let coop = SyntheticCooperative::generate(&CooperativeConfig { premises: 5, ..CooperativeConfig::default() });
/// assert!(coop.ledger.len() > 5 * 36);
/// assert!(!coop.logins.is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct SyntheticCooperative {
    /// The configuration it was made from.
    pub config: CooperativeConfig,
    /// Premises and login links.
    pub registry: PremisesRegistry,
    /// The ledger.
    pub ledger: Ledger,
    /// Every login identifier, in order.
    pub logins: Vec<LoginId>,
    /// Water meters of the flats and their readings (itemized configurations only).
    pub meters: MeterBook,
}

impl SyntheticCooperative {
    /// Generates the cooperative.
    ///
    /// ```
    /// use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
    /// let coop = SyntheticCooperative::generate(&CooperativeConfig::benchmark(3, 2));
    /// assert_eq!(coop.registry.len(), 3);
    /// ```
    pub fn generate(config: &CooperativeConfig) -> SyntheticCooperative {
        let mut registry = PremisesRegistry::new();
        let mut ledger = Ledger::new();
        let mut logins = Vec::new();
        let mut meters = MeterBook::new();
        let mut last_flat_login: Option<LoginId> = None;
        for i in 0..config.premises {
            let premises = premises_of(config, i);
            let id = premises.id.clone();
            let kind = premises.kind;
            let _ = registry.add(premises.clone());
            // A flat has its own login; most garages and storage rooms belong to the previous flat's owner.
            let login = match (kind, &last_flat_login) {
                (
                    PremisesKind::Garage | PremisesKind::StorageRoom | PremisesKind::ParkingSpace,
                    Some(l),
                ) if i % 3 != 0 => l.clone(),
                _ => {
                    let l = login_of(i);
                    logins.push(l.clone());
                    l
                }
            };
            if kind == PremisesKind::Flat {
                last_flat_login = Some(login.clone());
            }
            let _ = registry.link(&login, &id);
            if config.itemized && kind == PremisesKind::Flat {
                meters_for(config, i, &id, &mut meters);
            }
            let entries = entries_for(config, i, &premises);
            // Generated entries are valid by construction; a failure here is a generator bug.
            if let Err(e) = ledger.insert_batch(entries, InsertMode::Strict) {
                debug_assert!(false, "generator produced an invalid entry: {e:?}");
            }
        }
        ledger.shrink_to_fit();
        SyntheticCooperative {
            config: config.clone(),
            registry,
            ledger,
            logins,
            meters,
        }
    }

    /// The first premises of a kind, for examples.
    ///
    /// ```
    /// use ebok_core::premises::PremisesKind;
    /// use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
    /// let coop = SyntheticCooperative::generate(&CooperativeConfig::default());
    /// assert!(coop.first_of(PremisesKind::Garage).is_some());
    /// ```
    pub fn first_of(&self, kind: PremisesKind) -> Option<&Premises> {
        self.registry.iter().find(|p| p.kind == kind)
    }
}

fn rng_for(config: &CooperativeConfig, i: usize) -> StdRng {
    StdRng::seed_from_u64(config.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

fn premises_id(i: usize) -> PremisesId {
    PremisesId::trusted(&format!("{:07}", 700_000 + i))
}

fn login_of(i: usize) -> LoginId {
    LoginId::trusted(&format!("{:07}", 756_000 + i * 7 % 1_000_000))
}

/// The i-th premises of the cooperative.
fn premises_of(config: &CooperativeConfig, i: usize) -> Premises {
    let mut rng = rng_for(config, i);
    let roll = rng.random_range(0..100u32);
    let (kind, area_hundredths) = match roll {
        0..=79 => (PremisesKind::Flat, rng.random_range(2_500..9_000u32)),
        80..=87 => (PremisesKind::Garage, rng.random_range(1_400..2_200u32)),
        88..=92 => (
            PremisesKind::ParkingSpace,
            rng.random_range(1_200..1_500u32),
        ),
        93..=96 => (PremisesKind::StorageRoom, rng.random_range(300..900u32)),
        _ => (PremisesKind::Commercial, rng.random_range(4_000..25_000u32)),
    };
    let area =
        Area::new(rust_decimal::Decimal::new(i64::from(area_hundredths), 2)).unwrap_or(Area::ZERO);
    let title = match rng.random_range(0..10u32) {
        0..=4 => LegalTitle::CoopOwnership,
        5..=7 => LegalTitle::SeparateOwnership,
        8 => LegalTitle::CoopTenancy,
        _ => LegalTitle::Lease,
    };
    Premises::new(premises_id(i), kind, area)
        .with_title(title)
        .with_address(format!("ul. Oławska {} m. {}", 1 + i / 60, 1 + i % 60))
}

/// area (m² × 100) × rate (grosze per m²) rounded half-up to grosze.
fn per_area(area_hundredths: i64, rate_grosze: i64) -> i64 {
    (area_hundredths * rate_grosze + 50) / 100
}

/// The monthly charge components of a premises, in grosze.
fn components(kind: PremisesKind, area: i64, persons: i64) -> Vec<(&'static str, i64)> {
    match kind {
        PremisesKind::Flat => vec![
            (Component::MAINTENANCE, per_area(area, 235)),
            (Component::REPAIR_FUND, per_area(area, 180)),
            (Component::WATER_SEWAGE, 3 * persons * 1650),
            (Component::HOT_WATER_HEATING, persons * 12 * 3800 / 10),
            (Component::CENTRAL_HEATING, per_area(area, 310)),
            (Component::MUNICIPAL_WASTE, persons * 3600),
            (Component::INTERCOM, 400),
            (Component::ANTENNA, 600),
            (Component::LIFT, persons * 550),
        ],
        PremisesKind::Garage => vec![
            (Component::MAINTENANCE, per_area(area, 150) * 123 / 100),
            (Component::REPAIR_FUND, per_area(area, 80)),
        ],
        PremisesKind::ParkingSpace => {
            vec![(Component::MAINTENANCE, per_area(area, 120) * 123 / 100)]
        }
        PremisesKind::StorageRoom => vec![(Component::MAINTENANCE, per_area(area, 100))],
        PremisesKind::Commercial => vec![
            (Component::MAINTENANCE, per_area(area, 420) * 123 / 100),
            (Component::REPAIR_FUND, per_area(area, 180)),
            (Component::CENTRAL_HEATING, per_area(area, 310)),
            (Component::PROPERTY_TAX, per_area(area, 110)),
        ],
    }
}

/// The next working day on or after `d` (weekends only; enough for posting dates).
fn working_day(mut d: Date) -> Date {
    while matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
        d += Duration::days(1);
    }
    d
}

struct Sink<'a> {
    premises: &'a str,
    index: usize,
    seq: usize,
    out: Vec<LedgerEntry>,
    end: Date,
}

impl Sink<'_> {
    fn next_id(&mut self) -> String {
        self.seq += 1;
        format!("{:012}", self.index as u64 * 100_000 + self.seq as u64)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: EntryKind,
        grosze: i64,
        component: Option<&str>,
        op: Date,
        post: Option<Date>,
        due: Option<Date>,
        document: String,
    ) {
        // Nothing happens after the end, except what was already booked by then.
        if op > self.end && post.is_none_or(|p| p > self.end) {
            return;
        }
        let id = self.next_id();
        let Ok(mut e) = LedgerEntry::new(&id, self.premises, kind, Money::from_grosze(grosze), op)
        else {
            return;
        };
        e.component = component.and_then(|c| Component::new(c).ok());
        e.posted_on = post.filter(|p| *p <= self.end);
        e.due_date = due;
        e.document = crate::ledger::DocumentRef::new(&document).ok();
        self.out.push(e);
    }
}

/// The entries of the i-th premises.
fn entries_for(config: &CooperativeConfig, i: usize, premises: &Premises) -> Vec<LedgerEntry> {
    let mut rng = rng_for(config, i ^ 0x5555);
    let habit = match rng.random_range(0..100u32) {
        0..=69 => Habit::OnTime,
        70..=84 => Habit::Late,
        85..=93 => Habit::Irregular,
        _ => Habit::InAdvance,
    };
    let persons = rng.random_range(1..=5i64);
    let area = i64::try_from(premises.usable_area.to_decimal().mantissa()).unwrap_or(5_000);
    let comps = components(premises.kind, area, persons);
    let monthly: i64 = comps.iter().map(|(_, g)| g).sum();
    let id = premises.id.as_str().to_owned();
    let mut sink = Sink {
        premises: &id,
        index: i,
        seq: 0,
        out: Vec::new(),
        end: config.end,
    };
    let last = YearMonth::of(config.end);
    let first = last.plus_months(1 - i32::try_from(config.months.max(1)).unwrap_or(1));
    let mut unpaid: i64 = 0;
    let mut month = first;
    // Itemized charges are booked ahead, before the 1st of their month.
    let push_charges = |sink: &mut Sink<'_>, month: YearMonth| {
        let charge_day = month.first_day();
        for (name, g) in &comps {
            sink.push(
                EntryKind::Charge,
                *g,
                Some(name),
                charge_day,
                Some(add_days(charge_day, -CHARGES_BOOKED_AHEAD_DAYS)),
                Some(month.day_clamped(config.due_day)),
                format!("NAL {:02}/{}", month.month(), month.year()),
            );
        }
    };
    while month <= last {
        let charge_day = month.first_day();
        let due = month.day_clamped(config.due_day);
        let doc = format!("NAL {:02}/{}", month.month(), month.year());
        if config.itemized {
            push_charges(&mut sink, month);
        } else {
            sink.push(
                EntryKind::Charge,
                monthly,
                Some("opłaty eksploatacyjne"),
                charge_day,
                Some(charge_day),
                Some(due),
                doc.clone(),
            );
        }
        unpaid += monthly;
        // The payment of the month.
        let (pay_day, amount) = match habit {
            Habit::OnTime => (
                month.day_clamped(rng.random_range(1..=config.due_day.max(1))),
                monthly,
            ),
            Habit::Late => (add_days(due, rng.random_range(3..45)), monthly),
            Habit::Irregular => {
                if rng.random_range(0..3u32) == 0 {
                    (add_days(due, rng.random_range(0..20)), 0)
                } else {
                    (add_days(due, rng.random_range(-5..25)), unpaid.max(monthly))
                }
            }
            Habit::InAdvance => (month.day_clamped(rng.random_range(1..=5)), monthly + 5_000),
        };
        if amount > 0 || !config.itemized {
            // The benchmark shape has exactly one payment a month, the last one possibly unposted.
            let (pay_day, amount) = if config.itemized {
                (pay_day, amount)
            } else {
                (
                    pay_day.min(config.end),
                    if amount == 0 { monthly } else { amount },
                )
            };
            let lag = rng.random_range(1..=4);
            let posted = working_day(add_days(pay_day, lag));
            sink.push(
                EntryKind::Payment,
                amount,
                None,
                pay_day,
                Some(posted),
                None,
                format!("WB {}/{}", pay_day.ordinal(), pay_day.year()),
            );
            unpaid -= amount;
        }
        if config.itemized {
            // Half-yearly water settlement, with its own due date.
            if month.month() == 7 || month.month() == 1 {
                let result = rng.random_range(-9_000..6_000i64);
                let op = month.day_clamped(15);
                sink.push(
                    EntryKind::Settlement,
                    result,
                    Some(Component::WATER_SEWAGE),
                    op,
                    Some(op),
                    Some(month.next().day_clamped(config.due_day)),
                    format!("ROZL-W {}/{}", month.month(), month.year()),
                );
                unpaid += result;
            }
            // Now and then a correction (storno) of part of a charge.
            if rng.random_range(0..40u32) == 0 {
                let op = month.day_clamped(20);
                sink.push(
                    EntryKind::Correction,
                    -rng.random_range(100..3_000i64),
                    Some(Component::MAINTENANCE),
                    op,
                    Some(op),
                    None,
                    format!("KOR {}/{}", month.month(), month.year()),
                );
            }
            // Interest notes for late payers at the end of a quarter.
            if habit == Habit::Late && month.month().is_multiple_of(3) {
                let op = month.last_day();
                sink.push(
                    EntryKind::Interest,
                    rng.random_range(50..900i64),
                    None,
                    op,
                    Some(working_day(add_days(op, 1))),
                    None,
                    format!("NO {}/{}", month.month(), month.year()),
                );
            }
            // A returned payment once in a long while.
            if rng.random_range(0..150u32) == 0 {
                let op = month.day_clamped(25);
                sink.push(
                    EntryKind::Payment,
                    -monthly,
                    None,
                    op,
                    Some(working_day(add_days(op, 1))),
                    None,
                    format!("ZW {}/{}", op.ordinal(), op.year()),
                );
            }
        }
        month = month.next();
    }
    if config.itemized && config.months > 12 {
        // The oldest account was carried over from the previous system.
        let op = first.first_day();
        sink.push(
            EntryKind::OpeningBalance,
            rng.random_range(-5_000..20_000i64),
            None,
            op,
            Some(op),
            None,
            "BO".to_owned(),
        );
    }
    if config.itemized {
        // Next month's charges, when the end is past their booking day.
        push_charges(&mut sink, last.next());
    }
    sink.out
}

/// How many days before the 1st the itemized shape books a month's charges.
const CHARGES_BOOKED_AHEAD_DAYS: i64 = 12;

/// Cold- and hot-water meters of the i-th premises (a flat), read by the inspector twice a
/// year (1 January and 1 July) and, for about a third of the flats, remotely every month;
/// about one meter in four was replaced along the way.
fn meters_for(config: &CooperativeConfig, i: usize, premises: &PremisesId, book: &mut MeterBook) {
    let mut rng = rng_for(config, i ^ 0xAAAA);
    let remote = rng.random_range(0..3u32) == 0;
    let persons = rng.random_range(1..=5i64);
    let last = YearMonth::of(config.end);
    let first = last.plus_months(1 - i32::try_from(config.months.max(1)).unwrap_or(1));
    let installed = first.first_day();
    for (kind, tag, litres_per_person_day, location) in [
        (MeterKind::ColdWater, "ZW", 70i64, "kuchnia"),
        (MeterKind::HotWater, "CW", 35i64, "łazienka"),
    ] {
        let mut serial = format!("{tag}-{:07}", 300_000 + i);
        let initial = rng.random_range(0..400_000i64);
        let legal = Legalization::Year(installed.year());
        let Ok(meter) = Meter::new(
            &serial,
            kind,
            premises.clone(),
            installed,
            Quantity::from_thousandths(initial).unwrap_or(Quantity::ZERO),
        ) else {
            continue;
        };
        if book
            .add_meter(meter.with_location(location).with_legalization(legal))
            .is_err()
        {
            continue;
        }
        let months = i32::try_from(config.months).unwrap_or(i32::MAX);
        let replace_at = (months > 8 && rng.random_range(0..4u32) == 0)
            .then(|| first.plus_months(rng.random_range(6..months - 1)));
        let mut value = initial;
        let mut month = first;
        while month <= last {
            let read_on = month.previous().last_day();
            let days = i64::from(month.previous().last_day().day());
            value += persons * litres_per_person_day * days * rng.random_range(70..130i64) / 100;
            if Some(month) == replace_at {
                let on = month.day_clamped(14);
                let new_serial = format!("{tag}-{:07}N", 300_000 + i);
                let new = Meter::new(
                    &new_serial,
                    kind,
                    premises.clone(),
                    on,
                    Quantity::from_thousandths(12).unwrap_or(Quantity::ZERO),
                )
                .map(|m| {
                    m.with_location(location)
                        .with_legalization(Legalization::MMark(on.year() - 1))
                });
                if let (Ok(new), Some(fin), Ok(old)) = (
                    new,
                    Quantity::from_thousandths(value),
                    serial.parse::<crate::meters::MeterSerial>(),
                ) && book.replace_meter(&old, on, fin, new).is_ok()
                {
                    serial = new_serial;
                    value = 12 + persons * litres_per_person_day * 17;
                }
            }
            let inspected = month.month() == 1 || month.month() == 7;
            if (remote || inspected) && read_on <= config.end && read_on > installed {
                let source = if remote {
                    ReadingSource::Remote
                } else {
                    ReadingSource::Inspector
                };
                if let Some(v) = Quantity::from_thousandths(value)
                    && let Ok(reading) = Reading::new(&serial, read_on, v, source)
                {
                    let _ = book.add_reading(reading);
                }
            }
            month = month.next();
        }
    }
}
