//! Who holds which premises, in which role, from when to when.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use super::{Capabilities, Capability, CapabilityTable, HolderError, Role};
use crate::premises::{LoginId, PremisesId};

/// A half-open interval of days `[from, to)`: from `from` (none: since always) up to, not
/// including, `to` (none: open). A sale on 15 March ends the seller's interval at 15 March and
/// starts the buyer's there: the day belongs to the buyer.
///
/// ```
/// use ebok_core::holders::Interval;
/// use time::macros::date;
/// let seller = Interval::new(None, Some(date!(2026 - 03 - 15)))?;
/// let buyer = Interval::since(date!(2026 - 03 - 15));
/// assert!(seller.contains(date!(2026 - 03 - 14)) && !seller.contains(date!(2026 - 03 - 15)));
/// assert!(buyer.contains(date!(2026 - 03 - 15)));
/// assert!(Interval::new(Some(date!(2026 - 03 - 15)), Some(date!(2026 - 03 - 15))).is_err());
/// # Ok::<(), ebok_core::holders::HolderError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Interval {
    /// The first day, or none for "since always" (an undated `logins.csv` link).
    pub from: Option<Date>,
    /// The first day no longer covered, or none while open.
    pub to: Option<Date>,
}

impl Interval {
    /// Every day.
    pub const ALWAYS: Interval = Interval {
        from: None,
        to: None,
    };

    /// An interval; `to` must come after `from`.
    ///
    /// ```
    /// # use ebok_core::holders::Interval;
    /// assert!(Interval::new(None, None).is_ok());
    /// ```
    pub fn new(from: Option<Date>, to: Option<Date>) -> Result<Interval, HolderError> {
        if let (Some(f), Some(t)) = (from, to)
            && t <= f
        {
            return Err(HolderError::EmptyInterval { from: f, to: t });
        }
        Ok(Interval { from, to })
    }

    /// From `from`, open.
    ///
    /// ```
    /// # use ebok_core::holders::Interval;
    /// let i = Interval::since(time::macros::date!(2026 - 01 - 01));
    /// assert!(i.to.is_none());
    /// ```
    pub fn since(from: Date) -> Interval {
        Interval {
            from: Some(from),
            to: None,
        }
    }

    /// Whether `day` lies within.
    ///
    /// ```
    /// # use ebok_core::holders::Interval;
    /// assert!(Interval::ALWAYS.contains(time::macros::date!(1990 - 01 - 01)));
    /// ```
    pub fn contains(&self, day: Date) -> bool {
        self.from.is_none_or(|f| f <= day) && self.to.is_none_or(|t| day < t)
    }

    /// The last day within, if the interval is closed.
    ///
    /// ```
    /// # use ebok_core::holders::Interval;
    /// # use time::macros::date;
    /// assert_eq!(Interval::new(None, Some(date!(2026 - 03 - 15)))?.last_day(), Some(date!(2026 - 03 - 14)));
    /// # Ok::<(), ebok_core::holders::HolderError>(())
    /// ```
    pub fn last_day(&self) -> Option<Date> {
        self.to.and_then(Date::previous_day)
    }

    /// Whether the two intervals share a day or touch (so that they can be merged).
    fn meets(&self, other: &Interval) -> bool {
        self.from.is_none_or(|f| other.to.is_none_or(|t| f <= t))
            && other.from.is_none_or(|f| self.to.is_none_or(|t| f <= t))
    }

    /// The days within both, if any.
    ///
    /// ```
    /// # use ebok_core::holders::Interval;
    /// # use time::macros::date;
    /// let a = Interval::new(Some(date!(2026 - 01 - 01)), Some(date!(2026 - 03 - 01)))?;
    /// let b = Interval::since(date!(2026 - 02 - 01));
    /// assert_eq!(a.intersection(&b), Some(Interval::new(Some(date!(2026 - 02 - 01)), Some(date!(2026 - 03 - 01)))?));
    /// # Ok::<(), ebok_core::holders::HolderError>(())
    /// ```
    pub fn intersection(&self, other: &Interval) -> Option<Interval> {
        let from = match (self.from, other.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let to = match (self.to, other.to) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Interval::new(from, to).ok()
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.from {
            Some(d) => write!(f, "[{d}, ")?,
            None => f.write_str("(…, ")?,
        }
        match self.to {
            Some(d) => write!(f, "{d})"),
            None => f.write_str("…)"),
        }
    }
}

/// The days of a set of intervals, merged: what a login may see of one premises for one
/// capability. Sorted, disjoint, not touching.
///
/// ```
/// use ebok_core::holders::{Interval, Intervals};
/// use time::macros::date;
/// let i = Intervals::merge([
///     Interval::new(Some(date!(2026 - 01 - 01)), Some(date!(2026 - 02 - 01)))?,
///     Interval::new(Some(date!(2026 - 02 - 01)), Some(date!(2026 - 03 - 01)))?,
/// ]);
/// assert_eq!(i.as_slice().len(), 1);
/// assert!(i.contains(date!(2026 - 02 - 28)) && !i.contains(date!(2026 - 03 - 01)));
/// # Ok::<(), ebok_core::holders::HolderError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intervals(Vec<Interval>);

impl Intervals {
    /// The union of `intervals`.
    ///
    /// ```
    /// # use ebok_core::holders::{Interval, Intervals};
    /// assert!(Intervals::merge([]).is_empty());
    /// ```
    pub fn merge(intervals: impl IntoIterator<Item = Interval>) -> Intervals {
        let mut all: Vec<Interval> = intervals.into_iter().collect();
        // `None` (since always) sorts first, as it should.
        all.sort();
        let mut out: Vec<Interval> = Vec::with_capacity(all.len());
        for i in all {
            match out.last_mut() {
                Some(last) if last.meets(&i) => {
                    last.to = match (last.to, i.to) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                }
                _ => out.push(i),
            }
        }
        Intervals(out)
    }

    /// Whether `day` is covered.
    ///
    /// ```
    /// # use ebok_core::holders::{Interval, Intervals};
    /// assert!(Intervals::merge([Interval::ALWAYS]).contains(time::macros::date!(2000 - 01 - 01)));
    /// ```
    pub fn contains(&self, day: Date) -> bool {
        self.0.iter().any(|i| i.contains(day))
    }

    /// Whether no day is covered.
    ///
    /// ```
    /// # use ebok_core::holders::Intervals;
    /// assert!(Intervals::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The intervals, oldest first.
    ///
    /// ```
    /// # use ebok_core::holders::{Interval, Intervals};
    /// assert_eq!(Intervals::merge([Interval::ALWAYS]).as_slice(), &[Interval::ALWAYS]);
    /// ```
    pub fn as_slice(&self) -> &[Interval] {
        &self.0
    }

    /// The first covered day (none: since always, or nothing covered).
    ///
    /// ```
    /// # use ebok_core::holders::{Interval, Intervals};
    /// # use time::macros::date;
    /// assert_eq!(Intervals::merge([Interval::since(date!(2026 - 03 - 15))]).first_day(), Some(date!(2026 - 03 - 15)));
    /// ```
    pub fn first_day(&self) -> Option<Date> {
        self.0.first().and_then(|i| i.from)
    }

    /// The covered days up to and including `day`.
    ///
    /// ```
    /// # use ebok_core::holders::{Interval, Intervals};
    /// # use time::macros::date;
    /// let i = Intervals::merge([Interval::since(date!(2026 - 03 - 15))]).until(date!(2026 - 03 - 31));
    /// assert!(i.contains(date!(2026 - 03 - 31)) && !i.contains(date!(2026 - 04 - 01)));
    /// ```
    pub fn until(&self, day: Date) -> Intervals {
        let window = Interval {
            from: None,
            to: day.next_day(),
        };
        Intervals(
            self.0
                .iter()
                .filter_map(|i| i.intersection(&window))
                .collect(),
        )
    }

    /// The covered days within `[from, to]` (both inclusive), as intervals.
    ///
    /// ```
    /// # use ebok_core::holders::{Interval, Intervals};
    /// # use time::macros::date;
    /// let i = Intervals::merge([Interval::since(date!(2026 - 03 - 15))]);
    /// let within = i.within(date!(2026 - 03 - 01), date!(2026 - 03 - 31));
    /// assert_eq!(within[0].from, Some(date!(2026 - 03 - 15)));
    /// ```
    pub fn within(&self, from: Date, to: Date) -> Vec<Interval> {
        let window = Interval {
            from: Some(from),
            to: to.next_day(),
        };
        self.0
            .iter()
            .filter_map(|i| i.intersection(&window))
            .collect()
    }
}

/// A co-owner's share (udział), a fraction in (0, 1], written `1/2` or `0.5`.
///
/// ```
/// use ebok_core::holders::Share;
/// assert_eq!("1/3".parse::<Share>()?.to_string(), "1/3");
/// assert!("0".parse::<Share>().is_err() && "3/2".parse::<Share>().is_err());
/// # Ok::<(), ebok_core::holders::HolderError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Share {
    numerator: u64,
    denominator: u64,
}

impl Share {
    /// The share as a decimal (rounded to 10 places for thirds and the like).
    ///
    /// ```
    /// # use ebok_core::holders::Share;
    /// assert_eq!("1/4".parse::<Share>()?.to_decimal().to_string(), "0.25");
    /// # Ok::<(), ebok_core::holders::HolderError>(())
    /// ```
    pub fn to_decimal(self) -> Decimal {
        (Decimal::from(self.numerator) / Decimal::from(self.denominator))
            .round_dp(10)
            .normalize()
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

impl std::str::FromStr for Share {
    type Err = HolderError;
    fn from_str(s: &str) -> Result<Share, HolderError> {
        let bad = |reason: &'static str| HolderError::InvalidShare {
            value: s.chars().take(64).collect(),
            reason,
        };
        let t = s.trim();
        let (n, d) = match t.split_once('/') {
            Some((n, d)) => (
                n.trim().parse::<u64>().map_err(|_| bad("not a fraction"))?,
                d.trim().parse::<u64>().map_err(|_| bad("not a fraction"))?,
            ),
            None => {
                let dec: Decimal = t
                    .replace(',', ".")
                    .parse()
                    .map_err(|_| bad("not a number"))?;
                if dec.scale() > 6 {
                    return Err(bad("more than 6 decimal places"));
                }
                let scale = 10u64.pow(dec.scale());
                let n = (dec * Decimal::from(scale)).trunc();
                (u64::try_from(n).map_err(|_| bad("out of range"))?, scale)
            }
        };
        if d == 0 || n == 0 {
            return Err(bad("must be more than 0"));
        }
        if n > d {
            return Err(bad("more than the whole"));
        }
        let g = gcd(n, d);
        Ok(Share {
            numerator: n / g,
            denominator: d / g,
        })
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

serde_as_text!(Share);

/// One relation: `login` holds `premises` in `role` during `interval`.
///
/// A co-owner has a share; a proxy has a scope (what the power of attorney covers) and an end.
///
/// ```
/// use ebok_core::holders::{Capabilities, Capability, Holding, Interval, Role};
/// use ebok_core::premises::{LoginId, PremisesId};
/// use time::macros::date;
/// let h = Holding::new(LoginId::new("0756555")?, PremisesId::new("0756555")?, Role::Proxy,
///     Interval::new(Some(date!(2026 - 01 - 01)), Some(date!(2026 - 07 - 01)))?)
///     .with_scope(Capabilities::of(&[Capability::ViewAccount]));
/// assert!(h.validate().is_ok());
/// let open_proxy = Holding { interval: Interval::since(date!(2026 - 01 - 01)), ..h.clone() };
/// assert!(open_proxy.validate().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holding {
    /// The person's login identifier.
    pub login: LoginId,
    /// The premises.
    pub premises: PremisesId,
    /// The role.
    pub role: Role,
    /// The days the relation holds.
    pub interval: Interval,
    /// A co-owner's share.
    #[serde(default)]
    pub share: Option<Share>,
    /// A proxy's scope: what the power of attorney covers (within what the role grants).
    #[serde(default)]
    pub scope: Option<Capabilities>,
}

impl Holding {
    /// A relation without share or scope.
    ///
    /// ```
    /// # use ebok_core::holders::{Holding, Interval, Role};
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// let h = Holding::new(LoginId::new("1234")?, PremisesId::new("1")?, Role::Owner, Interval::ALWAYS);
    /// assert!(h.validate().is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(login: LoginId, premises: PremisesId, role: Role, interval: Interval) -> Holding {
        Holding {
            login,
            premises,
            role,
            interval,
            share: None,
            scope: None,
        }
    }

    /// With a co-owner's share.
    ///
    /// ```
    /// # use ebok_core::holders::{Holding, Interval, Role};
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// let h = Holding::new(LoginId::new("1234")?, PremisesId::new("1")?, Role::CoOwner, Interval::ALWAYS).with_share("1/2".parse()?);
    /// assert!(h.validate().is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_share(mut self, share: Share) -> Holding {
        self.share = Some(share);
        self
    }

    /// With a proxy's scope.
    ///
    /// ```
    /// # use ebok_core::holders::{Capabilities, Holding, Interval, Role};
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// let h = Holding::new(LoginId::new("1234")?, PremisesId::new("1")?, Role::Proxy, Interval::ALWAYS).with_scope(Capabilities::ALL);
    /// assert!(h.validate().is_err()); // a proxy needs an end
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_scope(mut self, scope: Capabilities) -> Holding {
        self.scope = Some(scope);
        self
    }

    /// Checks the rules between fields: a co-owner has a share and only a co-owner has one; a
    /// proxy has a scope and an end, and only a proxy has a scope.
    ///
    /// ```
    /// # use ebok_core::holders::{Holding, Interval, Role};
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// let h = Holding::new(LoginId::new("1234")?, PremisesId::new("1")?, Role::CoOwner, Interval::ALWAYS);
    /// assert!(h.validate().is_err()); // no share
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<(), HolderError> {
        let bad = |reason: &'static str| HolderError::InvalidHolding {
            login: self.login.to_string(),
            premises: self.premises.to_string(),
            reason,
        };
        match (self.role, self.share.is_some()) {
            (Role::CoOwner, false) => return Err(bad("a co-owner needs a share")),
            (r, true) if r != Role::CoOwner => return Err(bad("only a co-owner has a share")),
            _ => {}
        }
        match (self.role, self.scope.is_some()) {
            (Role::Proxy, false) => return Err(bad("a proxy needs a scope")),
            (Role::Proxy, true) if self.interval.to.is_none() => {
                return Err(bad("a proxy needs an end date"));
            }
            (r, true) if r != Role::Proxy => return Err(bad("only a proxy has a scope")),
            _ => {}
        }
        Ok(())
    }

    /// What this relation lets its holder do, under `table`.
    ///
    /// ```
    /// # use ebok_core::holders::{Capabilities, Capability, CapabilityTable, Holding, Interval, Role};
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// # use time::macros::date;
    /// let h = Holding::new(LoginId::new("1234")?, PremisesId::new("1")?, Role::Proxy, Interval::new(None, Some(date!(2027 - 01 - 01)))?)
    ///     .with_scope(Capabilities::of(&[Capability::ViewAccount, Capability::ReceiveNotices]));
    /// // The default table gives a proxy no notices: the scope cannot widen the role.
    /// assert_eq!(h.capabilities(&CapabilityTable::default()), Capabilities::of(&[Capability::ViewAccount]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn capabilities(&self, table: &CapabilityTable) -> Capabilities {
        let role = table.of(self.role);
        self.scope.map_or(role, |s| role.intersection(s))
    }
}

/// The holders of every premises over time (`holders.csv`).
///
/// Listings are deterministic (by premises, then login, role and start).
///
/// ```
/// use ebok_core::holders::{Capability, CapabilityTable, HolderRegister, Holding, Interval, Role};
/// use ebok_core::premises::{LoginId, PremisesId};
/// use time::macros::date;
/// let mut r = HolderRegister::default();
/// let (seller, buyer, flat) = (LoginId::new("1111")?, LoginId::new("2222")?, PremisesId::new("12")?);
/// r.add(Holding::new(seller.clone(), flat.clone(), Role::Owner, Interval::ALWAYS))?;
/// let change = r.change_holder(&flat, date!(2026 - 03 - 15), vec![Holding::new(buyer.clone(), flat.clone(), Role::Owner, Interval::since(date!(2026 - 03 - 15)))])?;
/// assert_eq!(change.ended[0].login, seller);
/// let t = CapabilityTable::default();
/// assert!(!r.intervals(&seller, &flat, Capability::ViewAccount, &t).contains(date!(2026 - 03 - 15)));
/// assert!(r.intervals(&buyer, &flat, Capability::ViewAccount, &t).contains(date!(2026 - 03 - 15)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderRegister {
    by_premises: BTreeMap<PremisesId, Vec<Holding>>,
    by_login: BTreeMap<LoginId, BTreeSet<PremisesId>>,
}

/// What a change of holder did: the relations it ended (each with its new end) and the ones it
/// added. The host sends each previous holder a closing statement at the change date
/// ([`crate::cooperative::Cooperative::change_holder`] builds them) and creates access for each
/// new login.
///
/// ```
/// use ebok_core::holders::HolderChange;
/// assert!(HolderChange::default().ended.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderChange {
    /// The relations ended at the change date, with their new end.
    pub ended: Vec<Holding>,
    /// The relations added.
    pub added: Vec<Holding>,
}

impl HolderRegister {
    /// How many relations are held.
    ///
    /// ```
    /// # use ebok_core::holders::HolderRegister;
    /// assert_eq!(HolderRegister::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.by_premises.values().map(Vec::len).sum()
    }

    /// Whether no relation is held.
    ///
    /// ```
    /// # use ebok_core::holders::HolderRegister;
    /// assert!(HolderRegister::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.by_premises.is_empty()
    }

    /// Adds a relation after checking it; the identical relation again is a no-op (`false`).
    ///
    /// ```
    /// # use ebok_core::holders::{HolderRegister, Holding, Interval, Role};
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// let mut r = HolderRegister::default();
    /// let h = Holding::new(LoginId::new("1234")?, PremisesId::new("1")?, Role::Owner, Interval::ALWAYS);
    /// assert!(r.add(h.clone())?);
    /// assert!(!r.add(h)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add(&mut self, holding: Holding) -> Result<bool, HolderError> {
        holding.validate()?;
        let list = self
            .by_premises
            .entry(holding.premises.clone())
            .or_default();
        if list.contains(&holding) {
            return Ok(false);
        }
        self.by_login
            .entry(holding.login.clone())
            .or_default()
            .insert(holding.premises.clone());
        let at = list
            .binary_search_by(|h| order(h).cmp(&order(&holding)))
            .unwrap_or_else(|e| e);
        list.insert(at, holding);
        Ok(true)
    }

    /// Removes a relation (exactly as held); `false` when it was not held.
    ///
    /// ```
    /// # use ebok_core::holders::{HolderRegister, Holding, Interval, Role};
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// let mut r = HolderRegister::default();
    /// let h = Holding::new(LoginId::new("1234")?, PremisesId::new("1")?, Role::Owner, Interval::ALWAYS);
    /// r.add(h.clone())?;
    /// assert!(r.remove(&h) && r.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove(&mut self, holding: &Holding) -> bool {
        let Some(list) = self.by_premises.get_mut(&holding.premises) else {
            return false;
        };
        let Some(at) = list.iter().position(|h| h == holding) else {
            return false;
        };
        list.remove(at);
        let still = list.iter().any(|h| h.login == holding.login);
        if list.is_empty() {
            self.by_premises.remove(&holding.premises);
        }
        if !still && let Some(set) = self.by_login.get_mut(&holding.login) {
            set.remove(&holding.premises);
            if set.is_empty() {
                self.by_login.remove(&holding.login);
            }
        }
        true
    }

    /// Every relation, by premises.
    ///
    /// ```
    /// # use ebok_core::holders::HolderRegister;
    /// assert_eq!(HolderRegister::default().iter().count(), 0);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &Holding> {
        self.by_premises.values().flatten()
    }

    /// The relations to one premises, at any time.
    ///
    /// ```
    /// # use ebok_core::holders::HolderRegister;
    /// # use ebok_core::premises::PremisesId;
    /// assert!(HolderRegister::default().of_premises(&PremisesId::new("1")?).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of_premises(&self, premises: &PremisesId) -> &[Holding] {
        self.by_premises.get(premises).map_or(&[], Vec::as_slice)
    }

    /// Whether the register names the premises (then it, not `logins.csv`, says who holds it).
    ///
    /// ```
    /// # use ebok_core::holders::HolderRegister;
    /// # use ebok_core::premises::PremisesId;
    /// assert!(!HolderRegister::default().names(&PremisesId::new("1")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn names(&self, premises: &PremisesId) -> bool {
        self.by_premises.contains_key(premises)
    }

    /// The premises a login has held at any time, in identifier order.
    ///
    /// ```
    /// # use ebok_core::holders::HolderRegister;
    /// # use ebok_core::premises::LoginId;
    /// assert_eq!(HolderRegister::default().premises_of(&LoginId::new("1234")?).count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn premises_of(&self, login: &LoginId) -> impl Iterator<Item = &PremisesId> {
        self.by_login.get(login).into_iter().flatten()
    }

    /// The relations of `login` to `premises`.
    ///
    /// ```
    /// # use ebok_core::holders::HolderRegister;
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// assert_eq!(HolderRegister::default().holdings(&LoginId::new("1234")?, &PremisesId::new("1")?).count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holdings<'a>(
        &'a self,
        login: &'a LoginId,
        premises: &PremisesId,
    ) -> impl Iterator<Item = &'a Holding> + 'a {
        self.of_premises(premises)
            .iter()
            .filter(move |h| &h.login == login)
    }

    /// The days on which `login` may use `capability` for `premises`.
    ///
    /// ```
    /// # use ebok_core::holders::{Capability, CapabilityTable, HolderRegister, Holding, Interval, Role};
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// let mut r = HolderRegister::default();
    /// let (l, p) = (LoginId::new("1234")?, PremisesId::new("1")?);
    /// r.add(Holding::new(l.clone(), p.clone(), Role::Member, Interval::ALWAYS))?;
    /// let t = CapabilityTable::default();
    /// assert!(r.intervals(&l, &p, Capability::ViewAccount, &t).is_empty());
    /// assert!(!r.intervals(&l, &p, Capability::ViewDocuments, &t).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn intervals(
        &self,
        login: &LoginId,
        premises: &PremisesId,
        capability: Capability,
        table: &CapabilityTable,
    ) -> Intervals {
        Intervals::merge(
            self.holdings(login, premises)
                .filter(|h| h.capabilities(table).contains(capability))
                .map(|h| h.interval),
        )
    }

    /// Changes the holder of `premises` on `on` (a sale, an inheritance, a new tenancy): every
    /// relation to it still holding on `on` ends there (the day belongs to the new holders), and
    /// `new` relations are added. All or nothing: a bad new relation changes nothing.
    ///
    /// ```
    /// # use ebok_core::holders::{HolderRegister, Holding, Interval, Role};
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// # use time::macros::date;
    /// let mut r = HolderRegister::default();
    /// let p = PremisesId::new("1")?;
    /// r.add(Holding::new(LoginId::new("1111")?, p.clone(), Role::Owner, Interval::ALWAYS))?;
    /// let wrong = Holding::new(LoginId::new("2222")?, PremisesId::new("2")?, Role::Owner, Interval::since(date!(2026 - 03 - 15)));
    /// assert!(r.change_holder(&p, date!(2026 - 03 - 15), vec![wrong]).is_err());
    /// assert_eq!(r.of_premises(&p)[0].interval, Interval::ALWAYS);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn change_holder(
        &mut self,
        premises: &PremisesId,
        on: Date,
        new: Vec<Holding>,
    ) -> Result<HolderChange, HolderError> {
        for h in &new {
            h.validate()?;
            if &h.premises != premises {
                return Err(HolderError::InvalidHolding {
                    login: h.login.to_string(),
                    premises: h.premises.to_string(),
                    reason: "a change of holder adds relations to the changed premises only",
                });
            }
            if h.interval.from.is_none_or(|f| f < on) {
                return Err(HolderError::InvalidHolding {
                    login: h.login.to_string(),
                    premises: h.premises.to_string(),
                    reason: "a new holder's relation starts on or after the change date",
                });
            }
        }
        let mut next = self.clone();
        let mut change = HolderChange::default();
        let current: Vec<Holding> = self
            .of_premises(premises)
            .iter()
            .filter(|h| h.interval.contains(on))
            .cloned()
            .collect();
        for old in current {
            next.remove(&old);
            let mut ended = old.clone();
            // The relation started before `on` (it holds on `on`); one starting on `on` is
            // simply replaced.
            if old.interval.from.is_none_or(|f| f < on) {
                ended.interval.to = Some(on);
                next.add(ended.clone())?;
            }
            change.ended.push(ended);
        }
        for h in new {
            if next.add(h.clone())? {
                change.added.push(h);
            }
        }
        *self = next;
        Ok(change)
    }
}

fn order(h: &Holding) -> (&LoginId, Role, Interval) {
    (&h.login, h.role, h.interval)
}
