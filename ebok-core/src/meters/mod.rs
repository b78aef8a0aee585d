//! Water meters (wodomierze), heat meters and heat cost allocators, their readings, and
//! consumption across meter replacements.
//!
//! Volumes are held as integer thousandths (litres for m³); a reading with more than three
//! decimals is refused. Consumption over a period is the difference of each meter's state at
//! the period's ends, summed over the meters of the premises; where a meter has no reading
//! on a boundary day its state is interpolated between readings, or extrapolated from its
//! average daily use, and the result says so.
//!
//! ```
//! use ebok_core::meters::{Meter, MeterBook, MeterKind, Quantity, Reading, ReadingSource};
//! use ebok_core::premises::PremisesId;
//! use time::macros::date;
//!
//! let flat = PremisesId::new("0756555")?;
//! let mut book = MeterBook::new();
//! book.add_meter(Meter::new("ZW-1", MeterKind::ColdWater, flat.clone(), date!(2020 - 01 - 15), Quantity::parse("100.000")?)?)?;
//! book.add_reading(Reading::new("ZW-1", date!(2025 - 01 - 01), Quantity::parse("123.456")?, ReadingSource::Inspector)?)?;
//! book.add_reading(Reading::new("ZW-1", date!(2025 - 07 - 01), Quantity::parse("131.789")?, ReadingSource::Remote)?)?;
//! let c = book.consumption(&flat, MeterKind::ColdWater, date!(2025 - 01 - 01), date!(2025 - 07 - 01));
//! assert_eq!(c.total.to_string(), "8.333");
//! assert!(!c.is_estimated());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod consumption;
mod legalization;
mod reading_batch;
mod validation;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar;
use crate::premises::PremisesId;

pub use consumption::{Consumption, ConsumptionPart, StateBasis, estimate_from_average};
pub use legalization::Legalization;
pub use validation::{ReadingWindow, Rejection, ValidationOptions, Verdict, Warning};

/// Why a meter, a reading or a quantity was refused.
///
/// ```
/// use ebok_core::meters::{MeterError, Quantity};
/// assert!(matches!(Quantity::parse("1.2345"), Err(MeterError::TooManyDecimals { .. })));
/// assert!(matches!(Quantity::parse("-1"), Err(MeterError::InvalidQuantity { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MeterError {
    /// Not a quantity with at most 3 decimals.
    #[error("{value:?} is not a meter reading: {reason}")]
    InvalidQuantity {
        /// The refused value.
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// A value with more than 3 decimal places.
    #[error("{value:?} has more than 3 decimal places")]
    TooManyDecimals {
        /// The refused value.
        value: String,
    },
    /// Not a valid serial number.
    #[error("{value:?} is not a meter serial number: {reason}")]
    InvalidSerial {
        /// The refused value.
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// Not a legalization mark.
    #[error("{value:?} is not a legalization mark (a year such as 2021, or M21 / M2021)")]
    InvalidLegalization {
        /// The refused value.
        value: String,
    },
    /// Not a known kind or source.
    #[error("{value:?} is not a known {what}")]
    UnknownCode {
        /// What was expected.
        what: &'static str,
        /// The refused value.
        value: String,
    },
    /// The meter is already registered with different data.
    #[error("meter {serial} is already registered with different data")]
    Conflict {
        /// The serial.
        serial: String,
    },
    /// The meter is not registered.
    #[error("meter {serial} is not registered")]
    UnknownMeter {
        /// The serial.
        serial: String,
    },
    /// Dates that contradict each other.
    #[error("meter {serial}: {reason}")]
    InvalidDates {
        /// The serial.
        serial: String,
        /// Why.
        reason: &'static str,
    },
    /// A stored reading was refused by validation.
    #[error("reading of meter {serial} on {date} refused: {rejections:?}")]
    Rejected {
        /// The serial.
        serial: String,
        /// The reading day.
        date: Date,
        /// Every reason.
        rejections: Vec<Rejection>,
    },
    /// A date outside the accepted range.
    #[error("{0}")]
    Date(#[from] calendar::DateError),
}

/// A meter quantity in thousandths: m³ with 3 decimals (litres), GJ with 3 decimals, or
/// allocator units. Never more than 3 decimals; never negative.
///
/// ```
/// use ebok_core::meters::Quantity;
/// let q = Quantity::parse("131,789")?;
/// assert_eq!(q.thousandths(), 131_789);
/// assert_eq!(q.to_string(), "131.789");
/// # Ok::<(), ebok_core::meters::MeterError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(i64);

/// The largest quantity accepted: 10⁹ units.
const MAX_THOUSANDTHS: i64 = 1_000_000_000_000;

/// The whole part of a number typed with digit groups of three separated by spaces
/// (`999 999,999`), without the spaces; anything else is returned as it is.
fn ungroup(text: &str) -> std::borrow::Cow<'_, str> {
    let is_space = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}');
    let whole_end = text.find(['.', ',']).unwrap_or(text.len());
    let (whole, rest) = text.split_at(whole_end);
    if !whole.contains(is_space) || rest.contains(is_space) {
        return std::borrow::Cow::Borrowed(text);
    }
    let groups: Vec<&str> = whole.split(is_space).collect();
    let grouped = groups.iter().enumerate().all(|(i, g)| {
        g.bytes().all(|b| b.is_ascii_digit())
            && if i == 0 {
                (1..=3).contains(&g.len())
            } else {
                g.len() == 3
            }
    });
    if grouped {
        std::borrow::Cow::Owned(format!("{}{rest}", groups.concat()))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

impl Quantity {
    /// Zero.
    pub const ZERO: Quantity = Quantity(0);

    /// A quantity from thousandths (litres for m³); `None` when negative or above 10⁹ units.
    ///
    /// ```
    /// use ebok_core::meters::Quantity;
    /// assert_eq!(Quantity::from_thousandths(8_561).unwrap().to_string(), "8.561");
    /// assert!(Quantity::from_thousandths(-1).is_none());
    /// ```
    pub fn from_thousandths(t: i64) -> Option<Quantity> {
        (0..=MAX_THOUSANDTHS).contains(&t).then_some(Quantity(t))
    }

    /// The quantity in thousandths.
    ///
    /// ```
    /// use ebok_core::meters::Quantity;
    /// assert_eq!(Quantity::parse("0.015")?.thousandths(), 15);
    /// # Ok::<(), ebok_core::meters::MeterError>(())
    /// ```
    pub fn thousandths(self) -> i64 {
        self.0
    }

    /// The quantity as a `Decimal` with 3 decimals.
    ///
    /// ```
    /// use ebok_core::meters::Quantity;
    /// assert_eq!(Quantity::parse("8.5")?.to_decimal().to_string(), "8.500");
    /// # Ok::<(), ebok_core::meters::MeterError>(())
    /// ```
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 3)
    }

    /// A quantity from a `Decimal`; more than 3 non-zero decimals, negative values or values
    /// above 10⁹ are refused.
    ///
    /// ```
    /// use ebok_core::meters::Quantity;
    /// use rust_decimal::Decimal;
    /// assert!(Quantity::from_decimal(Decimal::new(12345, 4)).is_err());
    /// ```
    pub fn from_decimal(d: Decimal) -> Result<Quantity, MeterError> {
        let err = |reason| MeterError::InvalidQuantity {
            value: d.to_string(),
            reason,
        };
        let n = d.normalize();
        if n.scale() > 3 {
            return Err(MeterError::TooManyDecimals {
                value: d.to_string(),
            });
        }
        if n.is_sign_negative() && !n.is_zero() {
            return Err(err("negative"));
        }
        let t = n.mantissa().checked_mul(10i128.pow(3 - n.scale()));
        t.and_then(|t| i64::try_from(t).ok())
            .and_then(Quantity::from_thousandths)
            .ok_or_else(|| err("too large"))
    }

    /// Parses `131.789` or `131,789` (at most 3 decimals); the whole part may be grouped in
    /// threes by spaces (`1 234,5`).
    ///
    /// ```
    /// use ebok_core::meters::Quantity;
    /// assert!(Quantity::parse("12.3456").is_err());
    /// assert!(Quantity::parse("abc").is_err());
    /// assert_eq!(Quantity::parse("999 999,999")?.to_string(), "999999.999");
    /// assert!(Quantity::parse("99 99,9").is_err());
    /// # Ok::<(), ebok_core::meters::MeterError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Quantity, MeterError> {
        let t = ungroup(text.trim()).replace(',', ".");
        if t.is_empty()
            || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            || t.matches('.').count() > 1
        {
            return Err(MeterError::InvalidQuantity {
                value: text.chars().take(64).collect(),
                reason: "not a number",
            });
        }
        let d = Decimal::from_str_exact(&t).map_err(|_| MeterError::InvalidQuantity {
            value: text.chars().take(64).collect(),
            reason: "not a number",
        })?;
        Quantity::from_decimal(d)
    }

    /// Subtracts, or `None` if the result would be negative.
    ///
    /// ```
    /// use ebok_core::meters::Quantity;
    /// let a = Quantity::parse("245.120")?;
    /// assert_eq!(a.checked_sub(Quantity::parse("240")?).unwrap().to_string(), "5.120");
    /// # Ok::<(), ebok_core::meters::MeterError>(())
    /// ```
    pub fn checked_sub(self, other: Quantity) -> Option<Quantity> {
        Quantity::from_thousandths(self.0 - other.0)
    }

    /// Adds, or `None` above 10⁹ units.
    ///
    /// ```
    /// use ebok_core::meters::Quantity;
    /// assert_eq!(Quantity::parse("5.120")?.checked_add(Quantity::parse("3.441")?).unwrap().to_string(), "8.561");
    /// # Ok::<(), ebok_core::meters::MeterError>(())
    /// ```
    pub fn checked_add(self, other: Quantity) -> Option<Quantity> {
        Quantity::from_thousandths(self.0 + other.0)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("{}.{:03}", self.0 / 1000, self.0 % 1000))
    }
}

impl FromStr for Quantity {
    type Err = MeterError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

serde_as_text!(Quantity);

/// A meter's serial number (numer fabryczny), 1–32 printable ASCII characters, no spaces at the ends.
///
/// ```
/// use ebok_core::meters::MeterSerial;
/// assert!(MeterSerial::new("ZW-2021/000123").is_ok());
/// assert!(MeterSerial::new("").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MeterSerial(Arc<str>);

impl MeterSerial {
    /// Validates and wraps a serial number.
    ///
    /// ```
    /// use ebok_core::meters::MeterSerial;
    /// assert_eq!(MeterSerial::new("123")?.as_str(), "123");
    /// # Ok::<(), ebok_core::meters::MeterError>(())
    /// ```
    pub fn new(text: &str) -> Result<MeterSerial, MeterError> {
        let err = |reason| MeterError::InvalidSerial {
            value: text.chars().take(64).collect(),
            reason,
        };
        if text.is_empty() || text.len() > 32 {
            return Err(err("must have 1 to 32 characters"));
        }
        if !text.bytes().all(|b| b.is_ascii_graphic() || b == b' ') || text.trim() != text {
            return Err(err("printable ASCII only, no spaces at the ends"));
        }
        Ok(MeterSerial(Arc::from(text)))
    }

    /// The serial as text.
    ///
    /// ```
    /// use ebok_core::meters::MeterSerial;
    /// assert_eq!(MeterSerial::new("A1")?.as_str(), "A1");
    /// # Ok::<(), ebok_core::meters::MeterError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MeterSerial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl fmt::Debug for MeterSerial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", &*self.0)
    }
}

impl FromStr for MeterSerial {
    type Err = MeterError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MeterSerial::new(s)
    }
}

serde_as_text!(MeterSerial);

/// The kind of a meter.
///
/// ```
/// use ebok_core::meters::MeterKind;
/// assert_eq!("ZW".parse::<MeterKind>()?, MeterKind::ColdWater);
/// assert_eq!(MeterKind::HotWater.unit(), "m³");
/// assert_eq!(MeterKind::HeatCostAllocator.unit(), "j.");
/// # Ok::<(), ebok_core::meters::MeterError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeterKind {
    /// Cold water meter (wodomierz zimnej wody, ZW), m³.
    ColdWater,
    /// Hot water meter (wodomierz ciepłej wody, CW), m³.
    HotWater,
    /// Heat meter (ciepłomierz), GJ.
    HeatMeter,
    /// Heat cost allocator (podzielnik kosztów ogrzewania), units.
    HeatCostAllocator,
}

impl MeterKind {
    /// The default largest flow per hour, in the kind's unit, that no reading may exceed:
    /// - water meters: 3.125 m³/h, the overload flow Q4 = 1.25 × Q3 of a DN15 residential meter
    ///   with Q3 = 2.5 m³/h (EN ISO 4064-1, MID annex MI-001), the size fitted in flats;
    /// - heat meters: 0.2 GJ/h (≈ 55 kW, several times a flat's heating load);
    /// - heat cost allocators: `None`, their units have no physical limit.
    ///
    /// A meter with another size sets [`Meter::max_flow`].
    ///
    /// ```
    /// use ebok_core::meters::MeterKind;
    /// assert_eq!(MeterKind::ColdWater.default_max_flow().unwrap().to_string(), "3.125");
    /// assert!(MeterKind::HeatCostAllocator.default_max_flow().is_none());
    /// ```
    pub fn default_max_flow(self) -> Option<Quantity> {
        match self {
            MeterKind::ColdWater | MeterKind::HotWater => Some(Quantity(3_125)),
            MeterKind::HeatMeter => Some(Quantity(200)),
            MeterKind::HeatCostAllocator => None,
        }
    }

    /// The unit of its readings.
    ///
    /// ```
    /// use ebok_core::meters::MeterKind;
    /// assert_eq!(MeterKind::HeatMeter.unit(), "GJ");
    /// ```
    pub fn unit(self) -> &'static str {
        match self {
            MeterKind::ColdWater | MeterKind::HotWater => "m³",
            MeterKind::HeatMeter => "GJ",
            MeterKind::HeatCostAllocator => "j.",
        }
    }

    /// The stable code.
    ///
    /// ```
    /// use ebok_core::meters::MeterKind;
    /// assert_eq!(MeterKind::ColdWater.code(), "cold_water");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            MeterKind::ColdWater => "cold_water",
            MeterKind::HotWater => "hot_water",
            MeterKind::HeatMeter => "heat_meter",
            MeterKind::HeatCostAllocator => "heat_cost_allocator",
        }
    }

    /// The Polish name.
    ///
    /// ```
    /// use ebok_core::meters::MeterKind;
    /// assert_eq!(MeterKind::ColdWater.polish_name(), "wodomierz zimnej wody (ZW)");
    /// ```
    pub fn polish_name(self) -> &'static str {
        match self {
            MeterKind::ColdWater => "wodomierz zimnej wody (ZW)",
            MeterKind::HotWater => "wodomierz ciepłej wody (CW)",
            MeterKind::HeatMeter => "ciepłomierz",
            MeterKind::HeatCostAllocator => "podzielnik kosztów ogrzewania",
        }
    }

    /// The name in `language`.
    ///
    /// ```
    /// use ebok_core::meters::MeterKind;
    /// use ebok_core::messages::Language;
    /// assert_eq!(MeterKind::HotWater.name(Language::English), "hot water meter");
    /// ```
    pub fn name(self, language: crate::messages::Language) -> &'static str {
        match language {
            crate::messages::Language::Polish => self.polish_name(),
            crate::messages::Language::English => match self {
                MeterKind::ColdWater => "cold water meter",
                MeterKind::HotWater => "hot water meter",
                MeterKind::HeatMeter => "heat meter",
                MeterKind::HeatCostAllocator => "heat cost allocator",
            },
        }
    }

    /// Whether it measures water (whose sum is the sewage volume).
    ///
    /// ```
    /// use ebok_core::meters::MeterKind;
    /// assert!(MeterKind::HotWater.is_water());
    /// ```
    pub fn is_water(self) -> bool {
        matches!(self, MeterKind::ColdWater | MeterKind::HotWater)
    }
}

impl FromStr for MeterKind {
    type Err = MeterError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_lowercase().as_str() {
            "cold_water" | "zw" | "zimna" => MeterKind::ColdWater,
            "hot_water" | "cw" | "ciepła" | "ciepla" | "cwu" => MeterKind::HotWater,
            "heat_meter" | "ciepłomierz" | "cieplomierz" => MeterKind::HeatMeter,
            "heat_cost_allocator" | "podzielnik" => MeterKind::HeatCostAllocator,
            _ => {
                return Err(MeterError::UnknownCode {
                    what: "meter kind (cold_water/ZW, hot_water/CW, heat_meter, heat_cost_allocator)",
                    value: s.chars().take(64).collect(),
                });
            }
        })
    }
}

/// Who or what produced a reading.
///
/// ```
/// use ebok_core::meters::ReadingSource;
/// assert_eq!("samoodczyt".parse::<ReadingSource>()?, ReadingSource::SelfReported);
/// # Ok::<(), ebok_core::meters::MeterError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadingSource {
    /// Read by the cooperative's inspector (inkasent).
    Inspector,
    /// Read remotely (radio).
    Remote,
    /// Submitted by the resident (samoodczyt).
    SelfReported,
    /// Estimated from average use (odczyt szacunkowy).
    Estimated,
    /// Set from the flat-rate norm (ryczałt / norma).
    Norm,
}

impl ReadingSource {
    /// The source as a resident reads it.
    ///
    /// ```
    /// use ebok_core::meters::ReadingSource;
    /// use ebok_core::messages::Language;
    /// assert_eq!(ReadingSource::Remote.name(Language::Polish), "odczyt zdalny");
    /// assert_eq!(ReadingSource::SelfReported.name(Language::English), "your reading");
    /// ```
    pub fn name(self, language: crate::messages::Language) -> &'static str {
        use crate::messages::Language::{English, Polish};
        match (self, language) {
            (ReadingSource::Inspector, Polish) => "odczyt inkasenta",
            (ReadingSource::Remote, Polish) => "odczyt zdalny",
            (ReadingSource::SelfReported, Polish) => "samoodczyt",
            (ReadingSource::Estimated, Polish) => "szacunek",
            (ReadingSource::Norm, Polish) => "ryczałt",
            (ReadingSource::Inspector, English) => "inspector's reading",
            (ReadingSource::Remote, English) => "remote reading",
            (ReadingSource::SelfReported, English) => "your reading",
            (ReadingSource::Estimated, English) => "estimate",
            (ReadingSource::Norm, English) => "flat-rate norm",
        }
    }
}

impl FromStr for ReadingSource {
    type Err = MeterError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_lowercase().as_str() {
            "inspector" | "inkasent" => ReadingSource::Inspector,
            "remote" | "radio" | "zdalny" => ReadingSource::Remote,
            "self_reported" | "samoodczyt" | "resident" => ReadingSource::SelfReported,
            "estimated" | "szacunkowy" => ReadingSource::Estimated,
            "norm" | "ryczałt" | "ryczalt" => ReadingSource::Norm,
            _ => {
                return Err(MeterError::UnknownCode {
                    what: "reading source (inspector, remote, self_reported, estimated, norm)",
                    value: s.chars().take(64).collect(),
                });
            }
        })
    }
}

impl ReadingSource {
    /// The stable code.
    ///
    /// ```
    /// use ebok_core::meters::ReadingSource;
    /// assert_eq!(ReadingSource::Remote.code(), "remote");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            ReadingSource::Inspector => "inspector",
            ReadingSource::Remote => "remote",
            ReadingSource::SelfReported => "self_reported",
            ReadingSource::Estimated => "estimated",
            ReadingSource::Norm => "norm",
        }
    }
}

/// A meter installed in a premises.
///
/// ```
/// use ebok_core::meters::{Legalization, Meter, MeterKind, Quantity};
/// use ebok_core::premises::PremisesId;
/// use time::macros::date;
/// let m = Meter::new("CW-7", MeterKind::HotWater, PremisesId::new("1")?, date!(2021 - 03 - 01), Quantity::ZERO)?
///     .with_location("łazienka")
///     .with_legalization(Legalization::Year(2021));
/// assert_eq!(m.legalization.unwrap().valid_through().to_string(), "2026-12-31");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meter {
    /// Serial number.
    pub serial: MeterSerial,
    /// Kind.
    pub kind: MeterKind,
    /// The premises it measures.
    pub premises: PremisesId,
    /// Where it is (kuchnia, łazienka …).
    #[serde(default)]
    pub location: Option<String>,
    /// Installation day.
    pub installed_on: Date,
    /// The reading at installation.
    pub initial_reading: Quantity,
    /// Removal day, once replaced or removed.
    #[serde(default)]
    pub removed_on: Option<Date>,
    /// The reading at removal.
    #[serde(default)]
    pub final_reading: Option<Quantity>,
    /// The legalization mark.
    #[serde(default)]
    pub legalization: Option<Legalization>,
    /// The counter's modulus when it may wrap (e.g. 100000.000 for a 5-digit counter); `None`:
    /// a lower reading is never a rollover.
    #[serde(default)]
    pub rollover_at: Option<Quantity>,
    /// The most the meter can pass in an hour, in its unit (for a water meter its overload
    /// flow Q4); `None`: the default of its kind ([`MeterKind::default_max_flow`]).
    #[serde(default)]
    pub max_flow: Option<Quantity>,
}

impl Meter {
    /// A meter installed on `installed_on` with its initial reading.
    ///
    /// ```
    /// use ebok_core::meters::{Meter, MeterKind, Quantity};
    /// use ebok_core::premises::PremisesId;
    /// use time::macros::date;
    /// assert!(Meter::new("", MeterKind::ColdWater, PremisesId::new("1")?, date!(2021 - 03 - 01), Quantity::ZERO).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        serial: &str,
        kind: MeterKind,
        premises: PremisesId,
        installed_on: Date,
        initial_reading: Quantity,
    ) -> Result<Meter, MeterError> {
        Ok(Meter {
            serial: MeterSerial::new(serial)?,
            kind,
            premises,
            location: None,
            installed_on: calendar::check_date(installed_on)?,
            initial_reading,
            removed_on: None,
            final_reading: None,
            legalization: None,
            rollover_at: None,
            max_flow: None,
        })
    }

    /// The meter that replaces this one: the same kind, premises and location, a new serial
    /// number, installed on `installed_on` with `initial_reading` (legalization not carried
    /// over). Pass it to [`MeterBook::replace_meter`].
    ///
    /// ```
    /// # use ebok_core::meters::{Meter, MeterKind, Quantity};
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let old = Meter::new("ZW-1", MeterKind::ColdWater, PremisesId::new("1")?, date!(2021 - 03 - 01), Quantity::ZERO)?.with_location("kuchnia");
    /// let new = old.successor("ZW-2", date!(2025 - 03 - 01), Quantity::parse("0.015")?)?;
    /// assert_eq!((new.kind, &new.premises, new.location.as_deref()), (old.kind, &old.premises, Some("kuchnia")));
    /// assert_eq!(new.serial.as_str(), "ZW-2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn successor(
        &self,
        serial: &str,
        installed_on: Date,
        initial_reading: Quantity,
    ) -> Result<Meter, MeterError> {
        let mut next = Meter::new(
            serial,
            self.kind,
            self.premises.clone(),
            installed_on,
            initial_reading,
        )?;
        next.location.clone_from(&self.location);
        Ok(next)
    }

    /// The same meter with a location.
    ///
    /// ```
    /// # use ebok_core::meters::{Meter, MeterKind, Quantity};
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let m = Meter::new("1", MeterKind::ColdWater, PremisesId::new("1")?, date!(2021 - 03 - 01), Quantity::ZERO)?.with_location("kuchnia");
    /// assert_eq!(m.location.as_deref(), Some("kuchnia"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_location(mut self, location: &str) -> Meter {
        self.location = Some(location.to_owned());
        self
    }

    /// The same meter with a legalization mark.
    ///
    /// ```
    /// # use ebok_core::meters::{Legalization, Meter, MeterKind, Quantity};
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let m = Meter::new("1", MeterKind::ColdWater, PremisesId::new("1")?, date!(2021 - 03 - 01), Quantity::ZERO)?.with_legalization(Legalization::MMark(2021));
    /// assert_eq!(m.legalization, Some(Legalization::MMark(2021)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_legalization(mut self, legalization: Legalization) -> Meter {
        self.legalization = Some(legalization);
        self
    }

    /// The same meter with a counter that wraps at `modulus`.
    ///
    /// ```
    /// # use ebok_core::meters::{Meter, MeterKind, Quantity};
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let m = Meter::new("1", MeterKind::ColdWater, PremisesId::new("1")?, date!(2021 - 03 - 01), Quantity::ZERO)?
    ///     .with_rollover(Quantity::parse("100000")?);
    /// assert!(m.rollover_at.is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_rollover(mut self, modulus: Quantity) -> Meter {
        self.rollover_at = Some(modulus);
        self
    }

    /// Whether the meter was installed and not yet removed on a day (a removal day still counts).
    ///
    /// ```
    /// # use ebok_core::meters::{Meter, MeterKind, Quantity};
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let m = Meter::new("1", MeterKind::ColdWater, PremisesId::new("1")?, date!(2021 - 03 - 01), Quantity::ZERO)?;
    /// assert!(m.is_installed_on(date!(2025 - 01 - 01)));
    /// assert!(!m.is_installed_on(date!(2021 - 02 - 28)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_installed_on(&self, day: Date) -> bool {
        day >= self.installed_on && self.removed_on.is_none_or(|r| day <= r)
    }
}

/// One reading of a meter.
///
/// ```
/// use ebok_core::meters::{Quantity, Reading, ReadingSource};
/// use time::macros::date;
/// let r = Reading::new("ZW-1", date!(2025 - 06 - 30), Quantity::parse("131.789")?, ReadingSource::SelfReported)?;
/// assert_eq!(r.value.to_string(), "131.789");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    /// The meter.
    pub meter: MeterSerial,
    /// The day read.
    pub date: Date,
    /// The counter's value.
    pub value: Quantity,
    /// Who or what read it.
    pub source: ReadingSource,
}

impl Reading {
    /// A reading.
    ///
    /// ```
    /// # use ebok_core::meters::{Quantity, Reading, ReadingSource};
    /// # use time::macros::date;
    /// assert!(Reading::new(" bad", date!(2025 - 06 - 30), Quantity::ZERO, ReadingSource::Inspector).is_err());
    /// ```
    pub fn new(
        meter: &str,
        date: Date,
        value: Quantity,
        source: ReadingSource,
    ) -> Result<Reading, MeterError> {
        Ok(Reading {
            meter: MeterSerial::new(meter)?,
            date: calendar::check_date(date)?,
            value,
            source,
        })
    }
}

/// The cooperative's meters and their readings.
///
/// ```
/// use ebok_core::meters::MeterBook;
/// assert!(MeterBook::new().is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterBook {
    meters: BTreeMap<MeterSerial, Meter>,
    /// Readings per meter, sorted by date; at most one per day.
    readings: BTreeMap<MeterSerial, Vec<Reading>>,
}

impl MeterBook {
    /// An empty book.
    ///
    /// ```
    /// use ebok_core::meters::MeterBook;
    /// assert_eq!(MeterBook::new().meters().count(), 0);
    /// ```
    pub fn new() -> MeterBook {
        MeterBook::default()
    }

    /// Whether there are no meters.
    ///
    /// ```
    /// use ebok_core::meters::MeterBook;
    /// assert!(MeterBook::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.meters.is_empty()
    }

    /// Registers a meter; the identical meter again is a no-op, different data an error.
    ///
    /// ```
    /// use ebok_core::meters::{Meter, MeterBook, MeterKind, Quantity};
    /// use ebok_core::premises::PremisesId;
    /// use time::macros::date;
    /// let mut b = MeterBook::new();
    /// let m = Meter::new("1", MeterKind::ColdWater, PremisesId::new("1")?, date!(2021 - 03 - 01), Quantity::ZERO)?;
    /// b.add_meter(m.clone())?;
    /// b.add_meter(m.clone())?;
    /// assert!(b.add_meter(m.with_location("kuchnia")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_meter(&mut self, meter: Meter) -> Result<(), MeterError> {
        check_meter(&meter)?;
        match self.meters.get(&meter.serial) {
            Some(existing) if *existing == meter => Ok(()),
            Some(_) => Err(MeterError::Conflict {
                serial: meter.serial.to_string(),
            }),
            None => {
                self.meters.insert(meter.serial.clone(), meter);
                Ok(())
            }
        }
    }

    /// Registers or replaces a meter's data (e.g. an updated legalization or removal).
    ///
    /// ```
    /// use ebok_core::meters::{Meter, MeterBook, MeterKind, Quantity};
    /// use ebok_core::premises::PremisesId;
    /// use time::macros::date;
    /// let mut b = MeterBook::new();
    /// let m = Meter::new("1", MeterKind::ColdWater, PremisesId::new("1")?, date!(2021 - 03 - 01), Quantity::ZERO)?;
    /// b.upsert_meter(m.clone().with_location("kuchnia"))?;
    /// assert_eq!(b.meter(&"1".parse()?).unwrap().location.as_deref(), Some("kuchnia"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn upsert_meter(&mut self, meter: Meter) -> Result<(), MeterError> {
        check_meter(&meter)?;
        self.meters.insert(meter.serial.clone(), meter);
        Ok(())
    }

    /// Replaces a meter (wymiana wodomierza): the old one is removed on `on` with its final
    /// reading, and the new one is installed the same day.
    ///
    /// ```
    /// use ebok_core::meters::{Meter, MeterBook, MeterKind, Quantity};
    /// use ebok_core::premises::PremisesId;
    /// use time::macros::date;
    /// let p = PremisesId::new("1")?;
    /// let mut b = MeterBook::new();
    /// b.add_meter(Meter::new("OLD", MeterKind::ColdWater, p.clone(), date!(2019 - 01 - 01), Quantity::ZERO)?)?;
    /// let new = Meter::new("NEW", MeterKind::ColdWater, p.clone(), date!(2025 - 03 - 01), Quantity::parse("0.015")?)?;
    /// b.replace_meter(&"OLD".parse()?, date!(2025 - 03 - 01), Quantity::parse("245.120")?, new)?;
    /// assert_eq!(b.meter(&"OLD".parse()?).unwrap().removed_on, Some(date!(2025 - 03 - 01)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replace_meter(
        &mut self,
        old: &MeterSerial,
        on: Date,
        final_reading: Quantity,
        new: Meter,
    ) -> Result<(), MeterError> {
        let mut removed =
            self.meters
                .get(old)
                .cloned()
                .ok_or_else(|| MeterError::UnknownMeter {
                    serial: old.to_string(),
                })?;
        removed.removed_on = Some(on);
        removed.final_reading = Some(final_reading);
        check_meter(&removed)?;
        check_meter(&new)?;
        if let Some(last) = self.readings_of(old).last()
            && (last.date > on || (last.value > final_reading && removed.rollover_at.is_none()))
        {
            return Err(MeterError::InvalidDates {
                serial: old.to_string(),
                reason: "the final reading is earlier or lower than a stored reading",
            });
        }
        if self.meters.contains_key(&new.serial) {
            return Err(MeterError::Conflict {
                serial: new.serial.to_string(),
            });
        }
        self.meters.insert(old.clone(), removed);
        self.meters.insert(new.serial.clone(), new);
        Ok(())
    }

    /// A meter by serial.
    ///
    /// ```
    /// use ebok_core::meters::MeterBook;
    /// assert!(MeterBook::new().meter(&"1".parse()?).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn meter(&self, serial: &MeterSerial) -> Option<&Meter> {
        self.meters.get(serial)
    }

    /// Every meter, in serial order.
    ///
    /// ```
    /// use ebok_core::meters::MeterBook;
    /// assert_eq!(MeterBook::new().meters().count(), 0);
    /// ```
    pub fn meters(&self) -> impl Iterator<Item = &Meter> {
        self.meters.values()
    }

    /// The meters of a premises (current and removed), by installation day.
    ///
    /// ```
    /// use ebok_core::meters::MeterBook;
    /// use ebok_core::premises::PremisesId;
    /// assert!(MeterBook::new().meters_of(&PremisesId::new("1")?).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn meters_of(&self, premises: &PremisesId) -> Vec<&Meter> {
        let mut v: Vec<&Meter> = self
            .meters
            .values()
            .filter(|m| m.premises == *premises)
            .collect();
        v.sort_by(|a, b| (a.installed_on, &a.serial).cmp(&(b.installed_on, &b.serial)));
        v
    }

    /// The readings of a meter, oldest first.
    ///
    /// ```
    /// use ebok_core::meters::MeterBook;
    /// assert!(MeterBook::new().readings_of(&"1".parse()?).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn readings_of(&self, serial: &MeterSerial) -> &[Reading] {
        self.readings.get(serial).map_or(&[], Vec::as_slice)
    }

    /// Stores a reading from the cooperative's own sources (inspector, remote, estimate, norm)
    /// after the same hard checks as a resident's reading; warnings do not stop it. A reading
    /// of the same meter on the same day replaces the earlier one.
    ///
    /// ```
    /// use ebok_core::meters::{Meter, MeterBook, MeterKind, Quantity, Reading, ReadingSource};
    /// use ebok_core::premises::PremisesId;
    /// use time::macros::date;
    /// let mut b = MeterBook::new();
    /// b.add_meter(Meter::new("1", MeterKind::ColdWater, PremisesId::new("1")?, date!(2021 - 03 - 01), Quantity::ZERO)?)?;
    /// b.add_reading(Reading::new("1", date!(2022 - 01 - 01), Quantity::parse("50")?, ReadingSource::Inspector)?)?;
    /// assert!(b.add_reading(Reading::new("1", date!(2022 - 06 - 01), Quantity::parse("40")?, ReadingSource::Inspector)?).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_reading(&mut self, reading: Reading) -> Result<(), MeterError> {
        let meter = self
            .meters
            .get(&reading.meter)
            .ok_or_else(|| MeterError::UnknownMeter {
                serial: reading.meter.to_string(),
            })?;
        let rejections = validation::hard_checks(self, meter, reading.date, reading.value, None);
        if !rejections.is_empty() {
            return Err(MeterError::Rejected {
                serial: reading.meter.to_string(),
                date: reading.date,
                rejections,
            });
        }
        self.store_reading(reading);
        Ok(())
    }

    pub(crate) fn store_reading(&mut self, reading: Reading) {
        let list = self.readings.entry(reading.meter.clone()).or_default();
        match list.binary_search_by_key(&reading.date, |r| r.date) {
            Ok(i) => list[i] = reading,
            Err(i) => list.insert(i, reading),
        }
    }

    /// Removes one reading; returns whether it was there.
    ///
    /// ```
    /// use ebok_core::meters::MeterBook;
    /// assert!(!MeterBook::new().remove_reading(&"1".parse()?, time::macros::date!(2025 - 01 - 01)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove_reading(&mut self, serial: &MeterSerial, date: Date) -> bool {
        let Some(list) = self.readings.get_mut(serial) else {
            return false;
        };
        let before = list.len();
        list.retain(|r| r.date != date);
        before != list.len()
    }

    /// Every reading, meter by meter, oldest first.
    ///
    /// ```
    /// use ebok_core::meters::MeterBook;
    /// assert_eq!(MeterBook::new().readings().count(), 0);
    /// ```
    pub fn readings(&self) -> impl Iterator<Item = &Reading> {
        self.readings.values().flatten()
    }

    /// Removes a meter and its readings.
    ///
    /// ```
    /// use ebok_core::meters::MeterBook;
    /// assert!(MeterBook::new().remove_meter(&"1".parse()?).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove_meter(&mut self, serial: &MeterSerial) -> Option<Meter> {
        self.readings.remove(serial);
        self.meters.remove(serial)
    }
}

fn check_meter(m: &Meter) -> Result<(), MeterError> {
    let bad = |reason| MeterError::InvalidDates {
        serial: m.serial.to_string(),
        reason,
    };
    calendar::check_date(m.installed_on)?;
    match (m.removed_on, m.final_reading) {
        (Some(r), Some(f)) => {
            calendar::check_date(r)?;
            if r < m.installed_on {
                return Err(bad("removed before it was installed"));
            }
            if f < m.initial_reading && m.rollover_at.is_none() {
                return Err(bad("final reading below the initial reading"));
            }
        }
        (None, None) => {}
        _ => return Err(bad("a removal needs both the day and the final reading")),
    }
    if let Some(modulus) = m.rollover_at
        && (modulus <= m.initial_reading || modulus.thousandths() < 1000)
    {
        return Err(bad("the rollover modulus must exceed the initial reading"));
    }
    Ok(())
}
