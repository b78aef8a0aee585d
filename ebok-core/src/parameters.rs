//! Premises parameters over time (parametry lokalu): area, heated area, registered persons,
//! share in the common property, meters, charge basis. Each is a dated value, in effect from
//! its date until the next value of the same kind (`parameters.csv`).
//!
//! ```
//! use ebok_core::parameters::{ParameterBook, ParameterKind, ParameterValue};
//! use ebok_core::premises::PremisesId;
//! use time::macros::date;
//! let mut book = ParameterBook::default();
//! let flat = PremisesId::new("0756555")?;
//! book.set(&flat, ParameterKind::RegisteredPersons, date!(2025 - 01 - 01), ParameterValue::parse(ParameterKind::RegisteredPersons, "3")?)?;
//! book.set(&flat, ParameterKind::RegisteredPersons, date!(2026 - 04 - 01), ParameterValue::parse(ParameterKind::RegisteredPersons, "2")?)?;
//! assert_eq!(book.value_on(&flat, ParameterKind::RegisteredPersons, date!(2026 - 03 - 31)).unwrap().to_string(), "3");
//! assert_eq!(book.value_on(&flat, ParameterKind::RegisteredPersons, date!(2026 - 04 - 01)).unwrap().to_string(), "2");
//! assert_eq!(book.history(&flat).len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::holders::Intervals;
use crate::premises::{Area, PremisesId};

/// Why a parameter was refused.
///
/// ```
/// use ebok_core::parameters::{ParameterError, ParameterKind, ParameterValue};
/// assert!(matches!(ParameterValue::parse(ParameterKind::RegisteredPersons, "2,5"), Err(ParameterError::InvalidValue { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParameterError {
    /// Not a known kind of parameter.
    #[error(
        "{value:?} is not a kind of parameter (area, heated_area, persons, common_share, cold_water_meters, hot_water_meters, heat_meters, heat_cost_allocators, charge_basis)"
    )]
    InvalidKind {
        /// The refused text (at most 64 characters).
        value: String,
    },
    /// A value that does not fit its kind.
    #[error("{value:?} is not a value of {kind}: {reason}")]
    InvalidValue {
        /// The kind.
        kind: ParameterKind,
        /// The refused text (at most 64 characters).
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// The same premises, kind and date already hold another value.
    #[error("premises {premises}: {kind} from {from} is already {existing}")]
    Conflict {
        /// The premises.
        premises: String,
        /// The kind.
        kind: ParameterKind,
        /// The date.
        from: Date,
        /// The value held.
        existing: String,
    },
}

/// A kind of premises parameter.
///
/// ```
/// use ebok_core::parameters::ParameterKind;
/// assert_eq!("heated_area".parse::<ParameterKind>()?, ParameterKind::HeatedArea);
/// assert_eq!(ParameterKind::RegisteredPersons.polish_name(), "liczba osób zameldowanych");
/// # Ok::<(), ebok_core::parameters::ParameterError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ParameterKind {
    /// Usable area (powierzchnia użytkowa), m².
    #[serde(rename = "area")]
    UsableArea,
    /// Heated area (powierzchnia ogrzewana), m².
    HeatedArea,
    /// Registered persons (liczba osób zameldowanych / zgłoszonych).
    #[serde(rename = "persons")]
    RegisteredPersons,
    /// Share in the common property (udział w nieruchomości wspólnej), a fraction.
    CommonShare,
    /// Cold water meters fitted.
    ColdWaterMeters,
    /// Hot water meters fitted.
    HotWaterMeters,
    /// Heat meters fitted.
    HeatMeters,
    /// Heat cost allocators fitted.
    HeatCostAllocators,
    /// The basis of charges (podstawa naliczeń), as the cooperative words it.
    ChargeBasis,
}

impl ParameterKind {
    /// Every kind, in code order.
    pub const ALL: [ParameterKind; 9] = [
        ParameterKind::UsableArea,
        ParameterKind::HeatedArea,
        ParameterKind::RegisteredPersons,
        ParameterKind::CommonShare,
        ParameterKind::ColdWaterMeters,
        ParameterKind::HotWaterMeters,
        ParameterKind::HeatMeters,
        ParameterKind::HeatCostAllocators,
        ParameterKind::ChargeBasis,
    ];

    /// The stable code (`parameters.csv`, serialized data).
    ///
    /// ```
    /// # use ebok_core::parameters::ParameterKind;
    /// assert_eq!(ParameterKind::UsableArea.code(), "area");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            ParameterKind::UsableArea => "area",
            ParameterKind::HeatedArea => "heated_area",
            ParameterKind::RegisteredPersons => "persons",
            ParameterKind::CommonShare => "common_share",
            ParameterKind::ColdWaterMeters => "cold_water_meters",
            ParameterKind::HotWaterMeters => "hot_water_meters",
            ParameterKind::HeatMeters => "heat_meters",
            ParameterKind::HeatCostAllocators => "heat_cost_allocators",
            ParameterKind::ChargeBasis => "charge_basis",
        }
    }

    /// The Polish name shown to residents.
    ///
    /// ```
    /// # use ebok_core::parameters::ParameterKind;
    /// assert_eq!(ParameterKind::CommonShare.polish_name(), "udział w nieruchomości wspólnej");
    /// ```
    pub fn polish_name(self) -> &'static str {
        match self {
            ParameterKind::UsableArea => "powierzchnia użytkowa",
            ParameterKind::HeatedArea => "powierzchnia ogrzewana",
            ParameterKind::RegisteredPersons => "liczba osób zameldowanych",
            ParameterKind::CommonShare => "udział w nieruchomości wspólnej",
            ParameterKind::ColdWaterMeters => "wodomierze zimnej wody",
            ParameterKind::HotWaterMeters => "wodomierze ciepłej wody",
            ParameterKind::HeatMeters => "ciepłomierze",
            ParameterKind::HeatCostAllocators => "podzielniki kosztów ogrzewania",
            ParameterKind::ChargeBasis => "podstawa naliczeń",
        }
    }

    /// The English name.
    ///
    /// ```
    /// # use ebok_core::parameters::ParameterKind;
    /// assert_eq!(ParameterKind::HeatedArea.english_name(), "heated area");
    /// ```
    pub fn english_name(self) -> &'static str {
        match self {
            ParameterKind::UsableArea => "usable area",
            ParameterKind::HeatedArea => "heated area",
            ParameterKind::RegisteredPersons => "registered persons",
            ParameterKind::CommonShare => "share in the common property",
            ParameterKind::ColdWaterMeters => "cold water meters",
            ParameterKind::HotWaterMeters => "hot water meters",
            ParameterKind::HeatMeters => "heat meters",
            ParameterKind::HeatCostAllocators => "heat cost allocators",
            ParameterKind::ChargeBasis => "charge basis",
        }
    }
}

impl FromStr for ParameterKind {
    type Err = ParameterError;
    fn from_str(s: &str) -> Result<ParameterKind, ParameterError> {
        let lower = s.trim().to_lowercase();
        ParameterKind::ALL
            .into_iter()
            .find(|k| k.code() == lower)
            .ok_or_else(|| ParameterError::InvalidKind {
                value: s.chars().take(64).collect(),
            })
    }
}

impl fmt::Display for ParameterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The value of a parameter; its form follows the kind.
///
/// ```
/// use ebok_core::parameters::{ParameterKind, ParameterValue};
/// let a = ParameterValue::parse(ParameterKind::UsableArea, "70,40")?;
/// assert_eq!(a.polish(), "70,40 m²");
/// let s = ParameterValue::parse(ParameterKind::CommonShare, "4860/523000")?;
/// assert_eq!(s.to_string(), "0.0092925430");
/// # Ok::<(), ebok_core::parameters::ParameterError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum ParameterValue {
    /// An area in m².
    Area(Area),
    /// A count (persons, meters).
    Count(u32),
    /// A fraction in (0, 1], to 10 decimal places.
    Fraction(Decimal),
    /// Text (at most 200 characters, no control characters).
    Text(String),
}

impl ParameterValue {
    /// Reads a value of `kind` as written in `parameters.csv` (a decimal comma is accepted).
    ///
    /// ```
    /// # use ebok_core::parameters::{ParameterKind, ParameterValue};
    /// assert!(ParameterValue::parse(ParameterKind::HotWaterMeters, "2").is_ok());
    /// assert!(ParameterValue::parse(ParameterKind::CommonShare, "1,5").is_err());
    /// ```
    pub fn parse(kind: ParameterKind, text: &str) -> Result<ParameterValue, ParameterError> {
        let bad = |reason: &'static str| ParameterError::InvalidValue {
            kind,
            value: text.chars().take(64).collect(),
            reason,
        };
        let t = text.trim();
        match kind {
            ParameterKind::UsableArea | ParameterKind::HeatedArea => Area::parse(t)
                .map(ParameterValue::Area)
                .map_err(|_| bad("not an area in m² (at most 2 decimal places)")),
            ParameterKind::RegisteredPersons
            | ParameterKind::ColdWaterMeters
            | ParameterKind::HotWaterMeters
            | ParameterKind::HeatMeters
            | ParameterKind::HeatCostAllocators => {
                if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 4 {
                    return Err(bad("not a whole number from 0 to 9999"));
                }
                t.parse()
                    .map(ParameterValue::Count)
                    .map_err(|_| bad("not a whole number"))
            }
            ParameterKind::CommonShare => {
                let num = |s: &str| -> Result<Decimal, ParameterError> {
                    let s = s.trim().replace(',', ".");
                    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                        return Err(bad("not a fraction"));
                    }
                    s.parse().map_err(|_| bad("not a fraction"))
                };
                let value = match t.split_once('/') {
                    Some((n, d)) => {
                        let d = num(d)?;
                        if d.is_zero() {
                            return Err(bad("the denominator is 0"));
                        }
                        num(n)?.checked_div(d).ok_or_else(|| bad("out of range"))?
                    }
                    None => num(t)?,
                };
                if value <= Decimal::ZERO || value > Decimal::ONE {
                    return Err(bad("must be more than 0 and at most 1"));
                }
                Ok(ParameterValue::Fraction(value.round_dp(10)))
            }
            ParameterKind::ChargeBasis => {
                if t.is_empty() || t.chars().count() > 200 || t.chars().any(char::is_control) {
                    return Err(bad(
                        "empty, longer than 200 characters or with control characters",
                    ));
                }
                Ok(ParameterValue::Text(t.to_owned()))
            }
        }
    }

    fn fits(&self, kind: ParameterKind) -> bool {
        matches!(
            (kind, self),
            (
                ParameterKind::UsableArea | ParameterKind::HeatedArea,
                ParameterValue::Area(_)
            ) | (
                ParameterKind::RegisteredPersons
                    | ParameterKind::ColdWaterMeters
                    | ParameterKind::HotWaterMeters
                    | ParameterKind::HeatMeters
                    | ParameterKind::HeatCostAllocators,
                ParameterValue::Count(_)
            ) | (ParameterKind::CommonShare, ParameterValue::Fraction(_))
                | (ParameterKind::ChargeBasis, ParameterValue::Text(_))
        )
    }

    /// The value as a Polish reader writes it: a decimal comma, `m²` after an area.
    ///
    /// ```
    /// # use ebok_core::parameters::{ParameterKind, ParameterValue};
    /// assert_eq!(ParameterValue::parse(ParameterKind::CommonShare, "0.5")?.polish(), "0,5");
    /// # Ok::<(), ebok_core::parameters::ParameterError>(())
    /// ```
    pub fn polish(&self) -> String {
        match self {
            ParameterValue::Area(a) => format!("{} m²", a.to_string().replace('.', ",")),
            ParameterValue::Fraction(d) => d.normalize().to_string().replace('.', ","),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for ParameterValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParameterValue::Area(a) => write!(f, "{a}"),
            ParameterValue::Count(n) => write!(f, "{n}"),
            ParameterValue::Fraction(d) => write!(f, "{d}"),
            ParameterValue::Text(t) => f.write_str(t),
        }
    }
}

/// One value of one parameter and the days it was in effect `[from, to)`.
///
/// ```
/// use ebok_core::parameters::DatedValue;
/// assert!(std::mem::size_of::<DatedValue>() > 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedValue {
    /// The kind.
    pub kind: ParameterKind,
    /// The value.
    pub value: ParameterValue,
    /// The first day in effect.
    pub from: Date,
    /// The first day no longer in effect (the next value's date), or none while current.
    pub to: Option<Date>,
}

/// The parameters of every premises over time.
///
/// ```
/// use ebok_core::parameters::ParameterBook;
/// assert!(ParameterBook::default().is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterBook {
    values: BTreeMap<PremisesId, BTreeMap<ParameterKind, BTreeMap<Date, ParameterValue>>>,
}

impl ParameterBook {
    /// How many dated values are held.
    ///
    /// ```
    /// # use ebok_core::parameters::ParameterBook;
    /// assert_eq!(ParameterBook::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.values
            .values()
            .flat_map(BTreeMap::values)
            .map(BTreeMap::len)
            .sum()
    }

    /// Whether no value is held.
    ///
    /// ```
    /// # use ebok_core::parameters::ParameterBook;
    /// assert!(ParameterBook::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Sets `kind` of `premises` to `value` from `from`. The same value again is a no-op
    /// (`false`); another value for the same date is a [`ParameterError::Conflict`] (replace
    /// it with [`ParameterBook::remove`] first).
    ///
    /// ```
    /// # use ebok_core::parameters::{ParameterBook, ParameterKind, ParameterValue};
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let mut b = ParameterBook::default();
    /// let p = PremisesId::new("1")?;
    /// assert!(b.set(&p, ParameterKind::HeatMeters, date!(2025 - 01 - 01), ParameterValue::Count(1))?);
    /// assert!(!b.set(&p, ParameterKind::HeatMeters, date!(2025 - 01 - 01), ParameterValue::Count(1))?);
    /// assert!(b.set(&p, ParameterKind::HeatMeters, date!(2025 - 01 - 01), ParameterValue::Count(2)).is_err());
    /// assert!(b.set(&p, ParameterKind::HeatMeters, date!(2025 - 01 - 01), ParameterValue::Text("x".into())).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set(
        &mut self,
        premises: &PremisesId,
        kind: ParameterKind,
        from: Date,
        value: ParameterValue,
    ) -> Result<bool, ParameterError> {
        if !value.fits(kind) {
            return Err(ParameterError::InvalidValue {
                kind,
                value: value.to_string().chars().take(64).collect(),
                reason: "the value's form does not fit the kind",
            });
        }
        if let ParameterValue::Text(t) = &value {
            // Checked as read from a file.
            ParameterValue::parse(kind, t)?;
        }
        let dates = self
            .values
            .entry(premises.clone())
            .or_default()
            .entry(kind)
            .or_default();
        match dates.get(&from) {
            Some(v) if *v == value => Ok(false),
            Some(v) => Err(ParameterError::Conflict {
                premises: premises.to_string(),
                kind,
                from,
                existing: v.to_string(),
            }),
            None => {
                dates.insert(from, value);
                Ok(true)
            }
        }
    }

    /// Removes the value of `kind` set from `from`; `false` when there is none.
    ///
    /// ```
    /// # use ebok_core::parameters::{ParameterBook, ParameterKind, ParameterValue};
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let mut b = ParameterBook::default();
    /// let p = PremisesId::new("1")?;
    /// b.set(&p, ParameterKind::HeatMeters, date!(2025 - 01 - 01), ParameterValue::Count(1))?;
    /// assert!(b.remove(&p, ParameterKind::HeatMeters, date!(2025 - 01 - 01)) && b.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove(&mut self, premises: &PremisesId, kind: ParameterKind, from: Date) -> bool {
        let Some(kinds) = self.values.get_mut(premises) else {
            return false;
        };
        let removed = kinds
            .get_mut(&kind)
            .is_some_and(|d| d.remove(&from).is_some());
        kinds.retain(|_, d| !d.is_empty());
        if kinds.is_empty() {
            self.values.remove(premises);
        }
        removed
    }

    /// The value of `kind` in effect on `day`.
    ///
    /// ```
    /// # use ebok_core::parameters::{ParameterBook, ParameterKind};
    /// # use ebok_core::premises::PremisesId;
    /// assert!(ParameterBook::default().value_on(&PremisesId::new("1")?, ParameterKind::UsableArea, time::macros::date!(2026 - 01 - 01)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn value_on(
        &self,
        premises: &PremisesId,
        kind: ParameterKind,
        day: Date,
    ) -> Option<&ParameterValue> {
        self.values
            .get(premises)?
            .get(&kind)?
            .range(..=day)
            .next_back()
            .map(|(_, v)| v)
    }

    /// Every parameter in effect on `day`, with the day its value took effect.
    ///
    /// ```
    /// # use ebok_core::parameters::{ParameterBook, ParameterKind, ParameterValue};
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let mut b = ParameterBook::default();
    /// let p = PremisesId::new("1")?;
    /// b.set(&p, ParameterKind::RegisteredPersons, date!(2025 - 01 - 01), ParameterValue::Count(4))?;
    /// assert_eq!(b.on(&p, date!(2026 - 01 - 01))[0].from, date!(2025 - 01 - 01));
    /// assert!(b.on(&p, date!(2024 - 12 - 31)).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on(&self, premises: &PremisesId, day: Date) -> Vec<DatedValue> {
        self.history(premises)
            .into_iter()
            .filter(|d| d.from <= day && d.to.is_none_or(|t| day < t))
            .collect()
    }

    /// The whole history of `premises`, by kind, oldest first.
    ///
    /// ```
    /// # use ebok_core::parameters::ParameterBook;
    /// # use ebok_core::premises::PremisesId;
    /// assert!(ParameterBook::default().history(&PremisesId::new("1")?).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn history(&self, premises: &PremisesId) -> Vec<DatedValue> {
        let mut out = Vec::new();
        for (kind, dates) in self.values.get(premises).into_iter().flatten() {
            let mut it = dates.iter().peekable();
            while let Some((from, value)) = it.next() {
                out.push(DatedValue {
                    kind: *kind,
                    value: value.clone(),
                    from: *from,
                    to: it.peek().map(|(d, _)| **d),
                });
            }
        }
        out
    }

    /// The history as seen by someone who may see only the days of `visible`: each value cut to
    /// those days (a value set before a buyer's first day is shown from that day), values
    /// entirely outside left out.
    ///
    /// ```
    /// # use ebok_core::holders::{Interval, Intervals};
    /// # use ebok_core::parameters::{ParameterBook, ParameterKind, ParameterValue};
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let mut b = ParameterBook::default();
    /// let p = PremisesId::new("1")?;
    /// b.set(&p, ParameterKind::RegisteredPersons, date!(2020 - 01 - 01), ParameterValue::Count(4))?;
    /// b.set(&p, ParameterKind::RegisteredPersons, date!(2026 - 05 - 01), ParameterValue::Count(2))?;
    /// let buyer = Intervals::merge([Interval::since(date!(2026 - 03 - 15))]);
    /// let seen = b.history_within(&p, &buyer);
    /// assert_eq!((seen[0].from, seen[0].to), (date!(2026 - 03 - 15), Some(date!(2026 - 05 - 01))));
    /// assert_eq!(seen.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn history_within(&self, premises: &PremisesId, visible: &Intervals) -> Vec<DatedValue> {
        let mut out = Vec::new();
        for d in self.history(premises) {
            let span = crate::holders::Interval {
                from: Some(d.from),
                to: d.to,
            };
            for v in visible.as_slice() {
                if let Some(i) = span.intersection(v)
                    && let Some(from) = i.from
                {
                    out.push(DatedValue {
                        from,
                        to: i.to,
                        ..d.clone()
                    });
                }
            }
        }
        out
    }

    /// Every dated value, as `(premises, kind, from, value)` rows in order.
    ///
    /// ```
    /// # use ebok_core::parameters::ParameterBook;
    /// assert_eq!(ParameterBook::default().rows().count(), 0);
    /// ```
    pub fn rows(
        &self,
    ) -> impl Iterator<Item = (&PremisesId, ParameterKind, Date, &ParameterValue)> {
        self.values.iter().flat_map(|(p, kinds)| {
            kinds
                .iter()
                .flat_map(move |(k, dates)| dates.iter().map(move |(d, v)| (p, *k, *d, v)))
        })
    }
}
