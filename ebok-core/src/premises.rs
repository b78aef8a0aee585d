//! Premises (lokale) and the login identifiers that reach them.
//!
//! A premises is any unit with its own account: a flat, a garage, a parking space, a
//! commercial unit or a storage room. The cooperative identifies it by its own
//! identifier (e.g. `0756555`; leading zeros are kept). One login identifier may reach
//! several premises (a flat and a garage): [`PremisesRegistry`] keeps those links, and
//! the access module builds on them.
//!
//! ```
//! use ebok_core::premises::{Area, LoginId, Premises, PremisesId, PremisesKind, PremisesRegistry};
//!
//! let mut registry = PremisesRegistry::new();
//! let flat = Premises::new(PremisesId::new("0756555")?, PremisesKind::Flat, Area::parse("48.60")?);
//! let garage = Premises::new(PremisesId::new("G-0012")?, PremisesKind::Garage, Area::parse("18")?);
//! registry.add(flat)?;
//! registry.add(garage)?;
//! let login = LoginId::new("0756555")?;
//! registry.link(&login, &PremisesId::new("0756555")?)?;
//! registry.link(&login, &PremisesId::new("G-0012")?)?;
//! assert_eq!(registry.premises_of(&login).len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Why an identifier, an area or a registry change was refused.
///
/// ```
/// use ebok_core::premises::{PremisesError, PremisesId};
/// assert!(matches!(PremisesId::new(" 12"), Err(PremisesError::InvalidPremisesId { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PremisesError {
    /// Not a valid premises identifier.
    #[error("{value:?} is not a premises identifier: {reason}")]
    InvalidPremisesId {
        /// The refused text (at most 64 characters of it).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Not a valid login identifier.
    #[error("{value:?} is not a login identifier: {reason}")]
    InvalidLoginId {
        /// The refused text (at most 64 characters of it).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Not a valid usable area.
    #[error("{value:?} is not a usable area in m²: {reason}")]
    InvalidArea {
        /// The refused value.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Not a known kind of premises.
    #[error(
        "{value:?} is not a kind of premises (flat, garage, parking_space, commercial, storage_room)"
    )]
    InvalidKind {
        /// The refused text.
        value: String,
    },
    /// Not a known legal title.
    #[error(
        "{value:?} is not a legal title (coop_tenancy, coop_ownership, separate_ownership, lease, no_legal_title)"
    )]
    InvalidTitle {
        /// The refused text.
        value: String,
    },
    /// The premises is already registered with different data.
    #[error("premises {id} is already registered with different data")]
    Conflict {
        /// The premises.
        id: String,
    },
    /// The premises is not registered.
    #[error("premises {id} is not registered")]
    UnknownPremises {
        /// The premises.
        id: String,
    },
}

fn clip(text: &str) -> String {
    text.chars().take(64).collect()
}

/// The cooperative's identifier of a premises (identyfikator lokalu), e.g. `0756555` or `G-0012`.
///
/// 1 to 32 characters: ASCII letters, digits, `-`, `/` and `.`, starting with a letter or
/// a digit. Kept exactly as given, so leading zeros survive; cheap to clone.
///
/// ```
/// use ebok_core::premises::PremisesId;
/// assert_eq!(PremisesId::new("0756555")?.as_str(), "0756555");
/// assert!(PremisesId::new("").is_err());
/// assert!(PremisesId::new("12 3").is_err());
/// # Ok::<(), ebok_core::premises::PremisesError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PremisesId(Arc<str>);

impl PremisesId {
    /// The longest identifier accepted.
    pub const MAX_LEN: usize = 32;

    /// Validates and wraps an identifier.
    ///
    /// ```
    /// # use ebok_core::premises::PremisesId;
    /// assert!(PremisesId::new("03-03-201-001-0").is_ok());
    /// assert!(PremisesId::new("-12").is_err());
    /// ```
    pub fn new(text: &str) -> Result<PremisesId, PremisesError> {
        let err = |reason| PremisesError::InvalidPremisesId {
            value: clip(text),
            reason,
        };
        if text.is_empty() {
            return Err(err("empty"));
        }
        if text.len() > Self::MAX_LEN {
            return Err(err("longer than 32 characters"));
        }
        if !text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'/' | b'.'))
        {
            return Err(err(
                "only ASCII letters, digits, '-', '/' and '.' are allowed",
            ));
        }
        if !text.as_bytes()[0].is_ascii_alphanumeric() {
            return Err(err("must start with a letter or a digit"));
        }
        Ok(PremisesId(Arc::from(text)))
    }

    /// The identifier as text.
    ///
    /// ```
    /// # use ebok_core::premises::PremisesId;
    /// assert_eq!(PremisesId::new("42/17").unwrap().as_str(), "42/17");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A resident's login identifier (identyfikator, "nr identyfikacyjny"), constant for the account's life.
///
/// 4 to 16 ASCII digits, leading zeros kept (seed: "nr identyfikacyjny np. 0756555").
///
/// ```
/// use ebok_core::premises::LoginId;
/// assert_eq!(LoginId::new("0756555")?.as_str(), "0756555");
/// assert!(LoginId::new("07565a5").is_err());
/// # Ok::<(), ebok_core::premises::PremisesError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LoginId(Arc<str>);

impl LoginId {
    /// Validates and wraps a login identifier.
    ///
    /// ```
    /// # use ebok_core::premises::LoginId;
    /// assert!(LoginId::new("123").is_err());
    /// ```
    pub fn new(text: &str) -> Result<LoginId, PremisesError> {
        let err = |reason| PremisesError::InvalidLoginId {
            value: clip(text),
            reason,
        };
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("only digits are allowed"));
        }
        if !(4..=16).contains(&text.len()) {
            return Err(err("must have 4 to 16 digits"));
        }
        Ok(LoginId(Arc::from(text)))
    }

    /// The identifier as text.
    ///
    /// ```
    /// # use ebok_core::premises::LoginId;
    /// assert_eq!(LoginId::new("0001").unwrap().as_str(), "0001");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_id_impls {
    ($t:ident) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($t), &*self.0)
            }
        }
        impl $t {
            /// Wraps text known to be valid (generated or stored after validation).
            #[allow(dead_code)]
            pub(crate) fn trusted(text: &str) -> Self {
                $t(Arc::from(text))
            }
        }
        impl FromStr for $t {
            type Err = PremisesError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $t::new(s)
            }
        }
        serde_as_text!($t);
    };
}
string_id_impls!(PremisesId);
string_id_impls!(LoginId);

/// The kind of a premises (rodzaj lokalu).
///
/// ```
/// use ebok_core::premises::PremisesKind;
/// assert_eq!("garaz".parse::<PremisesKind>()?, PremisesKind::Garage);
/// assert_eq!(PremisesKind::ParkingSpace.polish_name(), "miejsce postojowe");
/// # Ok::<(), ebok_core::premises::PremisesError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PremisesKind {
    /// A flat (lokal mieszkalny).
    Flat,
    /// A garage (garaż).
    Garage,
    /// A parking space (miejsce postojowe / parkingowe).
    ParkingSpace,
    /// A commercial unit (lokal użytkowy).
    Commercial,
    /// A storage room (komórka, piwnica).
    StorageRoom,
}

impl PremisesKind {
    /// Every kind, in declaration order.
    pub const ALL: [PremisesKind; 5] = [
        PremisesKind::Flat,
        PremisesKind::Garage,
        PremisesKind::ParkingSpace,
        PremisesKind::Commercial,
        PremisesKind::StorageRoom,
    ];

    /// The stable code used in serialized data (`flat`, `garage`, `parking_space`, `commercial`, `storage_room`).
    ///
    /// ```
    /// # use ebok_core::premises::PremisesKind;
    /// assert_eq!(PremisesKind::StorageRoom.code(), "storage_room");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            PremisesKind::Flat => "flat",
            PremisesKind::Garage => "garage",
            PremisesKind::ParkingSpace => "parking_space",
            PremisesKind::Commercial => "commercial",
            PremisesKind::StorageRoom => "storage_room",
        }
    }

    /// The Polish name.
    ///
    /// ```
    /// # use ebok_core::premises::PremisesKind;
    /// assert_eq!(PremisesKind::Flat.polish_name(), "mieszkanie");
    /// ```
    pub fn polish_name(self) -> &'static str {
        match self {
            PremisesKind::Flat => "mieszkanie",
            PremisesKind::Garage => "garaż",
            PremisesKind::ParkingSpace => "miejsce postojowe",
            PremisesKind::Commercial => "lokal użytkowy",
            PremisesKind::StorageRoom => "komórka lokatorska",
        }
    }

    /// The name in `language`.
    ///
    /// ```
    /// # use ebok_core::premises::PremisesKind;
    /// use ebok_core::messages::Language;
    /// assert_eq!(PremisesKind::Garage.name(Language::English), "garage");
    /// assert_eq!(PremisesKind::Garage.name(Language::Polish), "garaż");
    /// ```
    pub fn name(self, language: crate::messages::Language) -> &'static str {
        match language {
            crate::messages::Language::Polish => self.polish_name(),
            crate::messages::Language::English => match self {
                PremisesKind::Flat => "flat",
                PremisesKind::Garage => "garage",
                PremisesKind::ParkingSpace => "parking space",
                PremisesKind::Commercial => "commercial unit",
                PremisesKind::StorageRoom => "storage room",
            },
        }
    }
}

impl FromStr for PremisesKind {
    type Err = PremisesError;

    /// Accepts the codes and common Polish names, with or without diacritics.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k = s.trim().to_lowercase();
        Ok(match k.as_str() {
            "flat" | "apartment" | "mieszkanie" | "lokal mieszkalny" | "m" => PremisesKind::Flat,
            "garage" | "garaż" | "garaz" | "g" => PremisesKind::Garage,
            "parking_space" | "parking" | "miejsce postojowe" | "miejsce parkingowe" | "mp" => {
                PremisesKind::ParkingSpace
            }
            "commercial" | "lokal użytkowy" | "lokal uzytkowy" | "u" => PremisesKind::Commercial,
            "storage_room" | "storage" | "komórka" | "komorka" | "piwnica" | "k" => {
                PremisesKind::StorageRoom
            }
            _ => return Err(PremisesError::InvalidKind { value: clip(s) }),
        })
    }
}

impl fmt::Display for PremisesKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The legal title to a premises (tytuł prawny).
///
/// ```
/// use ebok_core::premises::LegalTitle;
/// assert_eq!("separate_ownership".parse::<LegalTitle>()?, LegalTitle::SeparateOwnership);
/// # Ok::<(), ebok_core::premises::PremisesError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalTitle {
    /// Cooperative tenancy right (spółdzielcze lokatorskie prawo do lokalu).
    CoopTenancy,
    /// Cooperative ownership right (spółdzielcze własnościowe prawo do lokalu).
    CoopOwnership,
    /// Separate ownership (odrębna własność lokalu).
    SeparateOwnership,
    /// Lease (najem).
    Lease,
    /// Occupant without legal title (bez tytułu prawnego).
    NoLegalTitle,
}

impl LegalTitle {
    /// The stable code used in serialized data.
    ///
    /// ```
    /// # use ebok_core::premises::LegalTitle;
    /// assert_eq!(LegalTitle::CoopTenancy.code(), "coop_tenancy");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            LegalTitle::CoopTenancy => "coop_tenancy",
            LegalTitle::CoopOwnership => "coop_ownership",
            LegalTitle::SeparateOwnership => "separate_ownership",
            LegalTitle::Lease => "lease",
            LegalTitle::NoLegalTitle => "no_legal_title",
        }
    }

    /// The Polish name.
    ///
    /// ```
    /// # use ebok_core::premises::LegalTitle;
    /// assert_eq!(LegalTitle::Lease.polish_name(), "najem");
    /// ```
    pub fn polish_name(self) -> &'static str {
        match self {
            LegalTitle::CoopTenancy => "spółdzielcze lokatorskie prawo do lokalu",
            LegalTitle::CoopOwnership => "spółdzielcze własnościowe prawo do lokalu",
            LegalTitle::SeparateOwnership => "odrębna własność lokalu",
            LegalTitle::Lease => "najem",
            LegalTitle::NoLegalTitle => "bez tytułu prawnego",
        }
    }
}

impl FromStr for LegalTitle {
    type Err = PremisesError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            LegalTitle::CoopTenancy,
            LegalTitle::CoopOwnership,
            LegalTitle::SeparateOwnership,
            LegalTitle::Lease,
            LegalTitle::NoLegalTitle,
        ]
        .into_iter()
        .find(|t| t.code() == s.trim())
        .ok_or_else(|| PremisesError::InvalidTitle { value: clip(s) })
    }
}

impl fmt::Display for LegalTitle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A usable floor area in m² (powierzchnia użytkowa), with at most 2 decimals, 0..=1 000 000.
///
/// ```
/// use ebok_core::premises::Area;
/// assert_eq!(Area::parse("48,60")?.to_string(), "48.60");
/// assert!(Area::parse("48.605").is_err());
/// assert!(Area::parse("-1").is_err());
/// # Ok::<(), ebok_core::premises::PremisesError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Area(u64);

impl Area {
    /// Zero m².
    pub const ZERO: Area = Area(0);

    /// An area from a `Decimal` in m².
    ///
    /// ```
    /// # use ebok_core::premises::Area;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Area::new(Decimal::new(4860, 2))?.to_decimal(), Decimal::new(4860, 2));
    /// # Ok::<(), ebok_core::premises::PremisesError>(())
    /// ```
    pub fn new(m2: Decimal) -> Result<Area, PremisesError> {
        let err = |reason| PremisesError::InvalidArea {
            value: m2.to_string(),
            reason,
        };
        let n = m2.normalize();
        if n.scale() > 2 {
            return Err(err("more than 2 decimal places"));
        }
        if n.is_sign_negative() && !n.is_zero() {
            return Err(err("negative"));
        }
        let hundredths = n.mantissa() * 10i128.pow(2 - n.scale());
        if hundredths > 100_000_000 {
            return Err(err("larger than 1 000 000 m²"));
        }
        Ok(Area(u64::try_from(hundredths).unwrap_or(0)))
    }

    /// Parses `48.60` or `48,60`.
    ///
    /// ```
    /// # use ebok_core::premises::Area;
    /// assert!(Area::parse("18").is_ok());
    /// ```
    pub fn parse(text: &str) -> Result<Area, PremisesError> {
        let t = text.trim().replace(',', ".");
        let d = Decimal::from_str_exact(&t).map_err(|_| PremisesError::InvalidArea {
            value: clip(text),
            reason: "not a number",
        })?;
        Area::new(d)
    }

    /// The area in m² as a `Decimal` with two decimals.
    ///
    /// ```
    /// # use ebok_core::premises::Area;
    /// assert_eq!(Area::parse("7.5")?.to_decimal().to_string(), "7.50");
    /// # Ok::<(), ebok_core::premises::PremisesError>(())
    /// ```
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(i64::try_from(self.0).unwrap_or(i64::MAX), 2)
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl FromStr for Area {
    type Err = PremisesError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Area::parse(s)
    }
}

serde_as_text!(Area);

/// A premises (lokal): the unit that has its own account.
///
/// ```
/// use ebok_core::premises::{Area, LegalTitle, Premises, PremisesId, PremisesKind};
/// let p = Premises::new(PremisesId::new("0756555")?, PremisesKind::Flat, Area::parse("48.60")?)
///     .with_title(LegalTitle::CoopOwnership);
/// assert_eq!(p.legal_title, Some(LegalTitle::CoopOwnership));
/// # Ok::<(), ebok_core::premises::PremisesError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Premises {
    /// The cooperative's identifier.
    pub id: PremisesId,
    /// The kind.
    pub kind: PremisesKind,
    /// Usable floor area.
    pub usable_area: Area,
    /// The legal title, when known.
    #[serde(default)]
    pub legal_title: Option<LegalTitle>,
    /// A postal address or description (e.g. "ul. Przykładowa 1 m. 17"), when known.
    #[serde(default)]
    pub address: Option<String>,
    /// The building (budynek) the premises belongs to, when known: documents addressed to a
    /// building reach its premises' holders.
    #[serde(default)]
    pub building: Option<String>,
}

impl Premises {
    /// A premises with no legal title or address.
    ///
    /// ```
    /// # use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind};
    /// let p = Premises::new(PremisesId::new("1")?, PremisesKind::Garage, Area::parse("18")?);
    /// assert_eq!(p.legal_title, None);
    /// # Ok::<(), ebok_core::premises::PremisesError>(())
    /// ```
    pub fn new(id: PremisesId, kind: PremisesKind, usable_area: Area) -> Premises {
        Premises {
            id,
            kind,
            usable_area,
            legal_title: None,
            address: None,
            building: None,
        }
    }

    /// The same premises with a legal title.
    ///
    /// ```
    /// # use ebok_core::premises::{Area, LegalTitle, Premises, PremisesId, PremisesKind};
    /// let p = Premises::new(PremisesId::new("1")?, PremisesKind::Flat, Area::parse("40")?).with_title(LegalTitle::Lease);
    /// assert_eq!(p.legal_title, Some(LegalTitle::Lease));
    /// # Ok::<(), ebok_core::premises::PremisesError>(())
    /// ```
    pub fn with_title(mut self, title: LegalTitle) -> Premises {
        self.legal_title = Some(title);
        self
    }

    /// The same premises with an address.
    ///
    /// ```
    /// # use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind};
    /// let p = Premises::new(PremisesId::new("1")?, PremisesKind::Flat, Area::parse("40")?).with_address("ul. Lipowa 1 m. 2");
    /// assert_eq!(p.address.as_deref(), Some("ul. Lipowa 1 m. 2"));
    /// # Ok::<(), ebok_core::premises::PremisesError>(())
    /// ```
    pub fn with_address(mut self, address: impl Into<String>) -> Premises {
        self.address = Some(address.into());
        self
    }

    /// With the building it belongs to (1 to 32 ASCII letters, digits, `-`, `/`, `.`).
    ///
    /// ```
    /// # use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind};
    /// let p = Premises::new(PremisesId::new("1")?, PremisesKind::Flat, Area::parse("40")?).with_building("B-12");
    /// assert_eq!(p.building.as_deref(), Some("B-12"));
    /// # Ok::<(), ebok_core::premises::PremisesError>(())
    /// ```
    pub fn with_building(mut self, building: impl Into<String>) -> Premises {
        self.building = Some(building.into());
        self
    }
}

/// The cooperative's premises and the login identifiers that reach them.
///
/// Deterministic: every listing is in identifier order.
///
/// ```
/// use ebok_core::premises::{Area, LoginId, Premises, PremisesId, PremisesKind, PremisesRegistry};
/// let mut r = PremisesRegistry::new();
/// let id = PremisesId::new("0756555")?;
/// r.add(Premises::new(id.clone(), PremisesKind::Flat, Area::parse("48.6")?))?;
/// let login = LoginId::new("0756555")?;
/// r.link(&login, &id)?;
/// assert_eq!(r.logins_of(&id), vec![login.clone()]);
/// assert!(r.unlink(&login, &id));
/// assert!(r.premises_of(&login).is_empty());
/// # Ok::<(), ebok_core::premises::PremisesError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PremisesRegistry {
    premises: BTreeMap<PremisesId, Premises>,
    links: BTreeMap<LoginId, BTreeSet<PremisesId>>,
}

/// What adding a premises did.
///
/// ```
/// use ebok_core::premises::AddOutcome;
/// assert_ne!(AddOutcome::Added, AddOutcome::Unchanged);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOutcome {
    /// It was new.
    Added,
    /// The identical premises was already registered.
    Unchanged,
    /// It replaced different data (only from [`PremisesRegistry::upsert`]).
    Replaced,
}

impl PremisesRegistry {
    /// An empty registry.
    ///
    /// ```
    /// # use ebok_core::premises::PremisesRegistry;
    /// assert!(PremisesRegistry::new().is_empty());
    /// ```
    pub fn new() -> PremisesRegistry {
        PremisesRegistry::default()
    }

    /// The number of premises.
    ///
    /// ```
    /// # use ebok_core::premises::PremisesRegistry;
    /// assert_eq!(PremisesRegistry::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.premises.len()
    }

    /// Whether there are no premises.
    ///
    /// ```
    /// # use ebok_core::premises::PremisesRegistry;
    /// assert!(PremisesRegistry::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.premises.is_empty()
    }

    /// Registers a premises; the identical one again is a no-op, different data for the same id an error.
    ///
    /// ```
    /// # use ebok_core::premises::*;
    /// let mut r = PremisesRegistry::new();
    /// let p = Premises::new(PremisesId::new("1")?, PremisesKind::Flat, Area::parse("40")?);
    /// assert_eq!(r.add(p.clone())?, AddOutcome::Added);
    /// assert_eq!(r.add(p.clone())?, AddOutcome::Unchanged);
    /// assert!(r.add(p.with_title(LegalTitle::Lease)).is_err());
    /// # Ok::<(), PremisesError>(())
    /// ```
    pub fn add(&mut self, premises: Premises) -> Result<AddOutcome, PremisesError> {
        match self.premises.get(&premises.id) {
            Some(existing) if *existing == premises => Ok(AddOutcome::Unchanged),
            Some(_) => Err(PremisesError::Conflict {
                id: premises.id.to_string(),
            }),
            None => {
                self.premises.insert(premises.id.clone(), premises);
                Ok(AddOutcome::Added)
            }
        }
    }

    /// Registers or replaces a premises.
    ///
    /// ```
    /// # use ebok_core::premises::*;
    /// let mut r = PremisesRegistry::new();
    /// let p = Premises::new(PremisesId::new("1")?, PremisesKind::Flat, Area::parse("40")?);
    /// r.add(p.clone())?;
    /// assert_eq!(r.upsert(p.with_title(LegalTitle::Lease)), AddOutcome::Replaced);
    /// # Ok::<(), PremisesError>(())
    /// ```
    pub fn upsert(&mut self, premises: Premises) -> AddOutcome {
        match self.premises.insert(premises.id.clone(), premises.clone()) {
            None => AddOutcome::Added,
            Some(old) if old == premises => AddOutcome::Unchanged,
            Some(_) => AddOutcome::Replaced,
        }
    }

    /// Removes a premises and every login link to it.
    ///
    /// ```
    /// # use ebok_core::premises::*;
    /// let mut r = PremisesRegistry::new();
    /// let id = PremisesId::new("1")?;
    /// r.add(Premises::new(id.clone(), PremisesKind::Flat, Area::parse("40")?))?;
    /// assert!(r.remove(&id).is_some());
    /// assert!(r.get(&id).is_none());
    /// # Ok::<(), PremisesError>(())
    /// ```
    pub fn remove(&mut self, id: &PremisesId) -> Option<Premises> {
        let removed = self.premises.remove(id)?;
        for set in self.links.values_mut() {
            set.remove(id);
        }
        self.links.retain(|_, set| !set.is_empty());
        Some(removed)
    }

    /// A premises by identifier.
    ///
    /// ```
    /// # use ebok_core::premises::*;
    /// assert!(PremisesRegistry::new().get(&PremisesId::new("1")?).is_none());
    /// # Ok::<(), PremisesError>(())
    /// ```
    pub fn get(&self, id: &PremisesId) -> Option<&Premises> {
        self.premises.get(id)
    }

    /// Every premises, in identifier order.
    ///
    /// ```
    /// # use ebok_core::premises::*;
    /// assert_eq!(PremisesRegistry::new().iter().count(), 0);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &Premises> {
        self.premises.values()
    }

    /// Links a login identifier to a registered premises (idempotent).
    ///
    /// ```
    /// # use ebok_core::premises::*;
    /// let mut r = PremisesRegistry::new();
    /// let err = r.link(&LoginId::new("0001")?, &PremisesId::new("9")?);
    /// assert!(matches!(err, Err(PremisesError::UnknownPremises { .. })));
    /// # Ok::<(), PremisesError>(())
    /// ```
    pub fn link(&mut self, login: &LoginId, premises: &PremisesId) -> Result<bool, PremisesError> {
        if !self.premises.contains_key(premises) {
            return Err(PremisesError::UnknownPremises {
                id: premises.to_string(),
            });
        }
        Ok(self
            .links
            .entry(login.clone())
            .or_default()
            .insert(premises.clone()))
    }

    /// Removes a link; returns whether it existed.
    ///
    /// ```
    /// # use ebok_core::premises::*;
    /// let mut r = PremisesRegistry::new();
    /// assert!(!r.unlink(&LoginId::new("0001")?, &PremisesId::new("9")?));
    /// # Ok::<(), PremisesError>(())
    /// ```
    pub fn unlink(&mut self, login: &LoginId, premises: &PremisesId) -> bool {
        let Some(set) = self.links.get_mut(login) else {
            return false;
        };
        let removed = set.remove(premises);
        if set.is_empty() {
            self.links.remove(login);
        }
        removed
    }

    /// The premises a login identifier reaches, in identifier order.
    ///
    /// ```
    /// # use ebok_core::premises::*;
    /// assert!(PremisesRegistry::new().premises_of(&LoginId::new("0001")?).is_empty());
    /// # Ok::<(), PremisesError>(())
    /// ```
    pub fn premises_of(&self, login: &LoginId) -> Vec<&Premises> {
        self.links
            .get(login)
            .into_iter()
            .flatten()
            .filter_map(|id| self.premises.get(id))
            .collect()
    }

    /// Whether a login identifier reaches a premises: the check before showing any of its data.
    ///
    /// ```
    /// # use ebok_core::premises::*;
    /// assert!(!PremisesRegistry::new().reaches(&LoginId::new("0001")?, &PremisesId::new("1")?));
    /// # Ok::<(), PremisesError>(())
    /// ```
    pub fn reaches(&self, login: &LoginId, premises: &PremisesId) -> bool {
        self.links
            .get(login)
            .is_some_and(|set| set.contains(premises))
    }

    /// The login identifiers that reach a premises.
    ///
    /// ```
    /// # use ebok_core::premises::*;
    /// assert!(PremisesRegistry::new().logins_of(&PremisesId::new("1")?).is_empty());
    /// # Ok::<(), PremisesError>(())
    /// ```
    pub fn logins_of(&self, premises: &PremisesId) -> Vec<LoginId> {
        self.links
            .iter()
            .filter(|(_, set)| set.contains(premises))
            .map(|(login, _)| login.clone())
            .collect()
    }

    /// Every link (login → premises), in order.
    ///
    /// ```
    /// # use ebok_core::premises::*;
    /// assert_eq!(PremisesRegistry::new().links().count(), 0);
    /// ```
    pub fn links(&self) -> impl Iterator<Item = (&LoginId, &PremisesId)> {
        self.links
            .iter()
            .flat_map(|(l, set)| set.iter().map(move |p| (l, p)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_keep_leading_zeros_and_refuse_junk() {
        let id = PremisesId::new("0756555").unwrap();
        assert_eq!(id.to_string(), "0756555");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"0756555\"");
        assert!(serde_json::from_str::<PremisesId>("\"a b\"").is_err());
        for bad in ["", " 1", "1 ", "ą1", "/1", &"9".repeat(33)] {
            assert!(PremisesId::new(bad).is_err(), "{bad:?}");
        }
        assert!(LoginId::new("0756555").is_ok());
        assert!(LoginId::new("075655512345678901").is_err());
    }

    #[test]
    fn kinds_parse_from_codes_and_polish_names() {
        for k in PremisesKind::ALL {
            assert_eq!(k.code().parse::<PremisesKind>().unwrap(), k);
        }
        assert_eq!(
            "Miejsce postojowe".parse::<PremisesKind>().unwrap(),
            PremisesKind::ParkingSpace
        );
        assert!("villa".parse::<PremisesKind>().is_err());
    }

    #[test]
    fn one_login_reaches_a_flat_and_a_garage() {
        let mut r = PremisesRegistry::new();
        let flat = PremisesId::new("0756555").unwrap();
        let garage = PremisesId::new("G-0012").unwrap();
        r.add(Premises::new(
            flat.clone(),
            PremisesKind::Flat,
            Area::parse("48.60").unwrap(),
        ))
        .unwrap();
        r.add(Premises::new(
            garage.clone(),
            PremisesKind::Garage,
            Area::parse("18").unwrap(),
        ))
        .unwrap();
        let login = LoginId::new("0756555").unwrap();
        assert!(r.link(&login, &flat).unwrap());
        assert!(r.link(&login, &garage).unwrap());
        assert!(!r.link(&login, &garage).unwrap());
        let reached: Vec<_> = r.premises_of(&login).iter().map(|p| p.kind).collect();
        assert_eq!(reached, vec![PremisesKind::Flat, PremisesKind::Garage]);
        assert!(r.reaches(&login, &garage));
        r.remove(&garage);
        assert!(!r.reaches(&login, &garage));
        assert_eq!(r.premises_of(&login).len(), 1);
    }
}
