//! Roles (tytuł do lokalu, rola) and what each may do in the e-BOK (capabilities).
//!
//! The table of roles × capabilities is data: [`CapabilityTable::default`] is ebok's default,
//! documented in `docs/holders.md`; a cooperative whose statute or regulations say otherwise
//! replaces rows with [`CapabilityTable::set`] or reads its own table with
//! [`CapabilityTable::parse`].

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The relation of a person (a login) to a premises.
///
/// ```
/// use ebok_core::holders::Role;
/// assert_eq!("najemca".parse::<Role>()?, Role::Tenant);
/// assert_eq!(Role::Proxy.code(), "proxy");
/// assert_eq!(Role::CoOwner.polish_name(), "współwłaściciel");
/// # Ok::<(), ebok_core::holders::HolderError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Role {
    /// The owner (właściciel), or the holder of the cooperative right to the premises.
    Owner,
    /// A co-owner (współwłaściciel), with a share.
    CoOwner,
    /// A member of the cooperative (członek spółdzielni) attached to the premises.
    Member,
    /// A tenant (najemca) who pays the charges to the cooperative.
    Tenant,
    /// A proxy (pełnomocnik): acts for a holder, within a scope and until an end date.
    Proxy,
    /// An heir (spadkobierca) before the estate is divided.
    Heir,
}

impl Role {
    /// Every role, in code order.
    pub const ALL: [Role; 6] = [
        Role::Owner,
        Role::CoOwner,
        Role::Member,
        Role::Tenant,
        Role::Proxy,
        Role::Heir,
    ];

    /// The stable code used in files and serialized data.
    ///
    /// ```
    /// # use ebok_core::holders::Role;
    /// assert_eq!(Role::CoOwner.code(), "co_owner");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::CoOwner => "co_owner",
            Role::Member => "member",
            Role::Tenant => "tenant",
            Role::Proxy => "proxy",
            Role::Heir => "heir",
        }
    }

    /// The Polish name shown to residents.
    ///
    /// ```
    /// # use ebok_core::holders::Role;
    /// assert_eq!(Role::Heir.polish_name(), "spadkobierca");
    /// ```
    pub fn polish_name(self) -> &'static str {
        match self {
            Role::Owner => "właściciel",
            Role::CoOwner => "współwłaściciel",
            Role::Member => "członek spółdzielni",
            Role::Tenant => "najemca",
            Role::Proxy => "pełnomocnik",
            Role::Heir => "spadkobierca",
        }
    }

    /// The English name.
    ///
    /// ```
    /// # use ebok_core::holders::Role;
    /// assert_eq!(Role::Proxy.english_name(), "proxy");
    /// ```
    pub fn english_name(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::CoOwner => "co-owner",
            Role::Member => "member of the cooperative",
            Role::Tenant => "tenant",
            Role::Proxy => "proxy",
            Role::Heir => "heir",
        }
    }
}

impl FromStr for Role {
    type Err = super::HolderError;
    fn from_str(s: &str) -> Result<Role, super::HolderError> {
        let lower = s.trim().to_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.code() == lower || r.polish_name() == lower)
            .ok_or_else(|| super::HolderError::InvalidRole {
                value: s.chars().take(64).collect(),
            })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a relation to a premises lets its holder do in the e-BOK.
///
/// ```
/// use ebok_core::holders::Capability;
/// assert_eq!("submit_reading".parse::<Capability>()?, Capability::SubmitReading);
/// # Ok::<(), ebok_core::holders::HolderError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Capability {
    /// See the balance, the premises account, statements, payments and open items.
    ViewAccount,
    /// See the premises' parameters (area, persons, shares, meters, charge basis).
    ViewParameters,
    /// See meters and their readings.
    ViewReadings,
    /// Submit a meter reading.
    SubmitReading,
    /// See documents (notices, settlements, resolutions, letters).
    ViewDocuments,
    /// Get the transfer data and the payment code.
    Pay,
    /// Receive notices (fee changes, settlements) by the channels on file.
    ReceiveNotices,
}

impl Capability {
    /// Every capability, in code order.
    pub const ALL: [Capability; 7] = [
        Capability::ViewAccount,
        Capability::ViewParameters,
        Capability::ViewReadings,
        Capability::SubmitReading,
        Capability::ViewDocuments,
        Capability::Pay,
        Capability::ReceiveNotices,
    ];

    /// The stable code.
    ///
    /// ```
    /// # use ebok_core::holders::Capability;
    /// assert_eq!(Capability::ViewAccount.code(), "view_account");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Capability::ViewAccount => "view_account",
            Capability::ViewParameters => "view_parameters",
            Capability::ViewReadings => "view_readings",
            Capability::SubmitReading => "submit_reading",
            Capability::ViewDocuments => "view_documents",
            Capability::Pay => "pay",
            Capability::ReceiveNotices => "receive_notices",
        }
    }

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl FromStr for Capability {
    type Err = super::HolderError;
    fn from_str(s: &str) -> Result<Capability, super::HolderError> {
        let lower = s.trim().to_lowercase();
        Capability::ALL
            .into_iter()
            .find(|c| c.code() == lower)
            .ok_or_else(|| super::HolderError::InvalidCapability {
                value: s.chars().take(64).collect(),
            })
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A set of capabilities (a bit set; serialized as a list of codes).
///
/// ```
/// use ebok_core::holders::{Capabilities, Capability};
/// let c = Capabilities::of(&[Capability::ViewAccount, Capability::Pay]);
/// assert!(c.contains(Capability::Pay) && !c.contains(Capability::SubmitReading));
/// assert_eq!(c.to_string(), "view_account|pay");
/// assert_eq!("view_account|pay".parse::<Capabilities>()?, c);
/// # Ok::<(), ebok_core::holders::HolderError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Capabilities(u8);

impl Capabilities {
    /// No capability.
    pub const NONE: Capabilities = Capabilities(0);
    /// Every capability.
    pub const ALL: Capabilities = Capabilities((1 << Capability::ALL.len()) - 1);

    /// The set of the given capabilities.
    ///
    /// ```
    /// # use ebok_core::holders::{Capabilities, Capability};
    /// assert!(Capabilities::of(&[Capability::Pay]).contains(Capability::Pay));
    /// ```
    pub fn of(items: &[Capability]) -> Capabilities {
        Capabilities(items.iter().fold(0, |a, c| a | c.bit()))
    }

    /// Whether the set holds `c`.
    ///
    /// ```
    /// # use ebok_core::holders::{Capabilities, Capability};
    /// assert!(Capabilities::ALL.contains(Capability::ViewDocuments));
    /// ```
    pub fn contains(self, c: Capability) -> bool {
        self.0 & c.bit() != 0
    }

    /// The capabilities in both sets.
    ///
    /// ```
    /// # use ebok_core::holders::{Capabilities, Capability};
    /// let a = Capabilities::of(&[Capability::Pay, Capability::ViewAccount]);
    /// assert_eq!(a.intersection(Capabilities::of(&[Capability::Pay])), Capabilities::of(&[Capability::Pay]));
    /// ```
    pub fn intersection(self, other: Capabilities) -> Capabilities {
        Capabilities(self.0 & other.0)
    }

    /// Whether the set is empty.
    ///
    /// ```
    /// # use ebok_core::holders::Capabilities;
    /// assert!(Capabilities::NONE.is_empty());
    /// ```
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The capabilities, in code order.
    ///
    /// ```
    /// # use ebok_core::holders::{Capabilities, Capability};
    /// assert_eq!(Capabilities::ALL.iter().count(), Capability::ALL.len());
    /// ```
    pub fn iter(self) -> impl Iterator<Item = Capability> {
        Capability::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }
}

impl fmt::Display for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for c in self.iter() {
            if !first {
                f.write_str("|")?;
            }
            first = false;
            f.write_str(c.code())?;
        }
        Ok(())
    }
}

impl fmt::Debug for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Capabilities({self})")
    }
}

impl FromStr for Capabilities {
    type Err = super::HolderError;
    /// `|`-separated codes; an empty text is the empty set; `all` is every capability.
    fn from_str(s: &str) -> Result<Capabilities, super::HolderError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(Capabilities::NONE);
        }
        if s.eq_ignore_ascii_case("all") {
            return Ok(Capabilities::ALL);
        }
        s.split('|')
            .map(str::parse::<Capability>)
            .try_fold(Capabilities::NONE, |a, c| Ok(Capabilities(a.0 | c?.bit())))
    }
}

impl Serialize for Capabilities {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Capabilities {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<Capability>::deserialize(deserializer)?;
        Ok(Capabilities::of(&items))
    }
}

/// Which capabilities each role grants: data, with ebok's default and a cooperative's overrides.
///
/// The default (see `docs/holders.md`):
///
/// | role | account | parameters | readings | submit reading | documents | pay | notices |
/// |---|---|---|---|---|---|---|---|
/// | owner, co-owner | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
/// | member | | | | | ✓ | | ✓ |
/// | tenant | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
/// | proxy | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | |
/// | heir | ✓ | ✓ | ✓ | | ✓ | ✓ | ✓ |
///
/// A proxy's holding narrows this further with its own scope.
///
/// ```
/// use ebok_core::holders::{Capabilities, Capability, CapabilityTable, Role};
/// let mut t = CapabilityTable::default();
/// assert!(!t.grants(Role::Heir, Capability::SubmitReading));
/// t.set(Role::Heir, Capabilities::ALL);
/// assert!(t.grants(Role::Heir, Capability::SubmitReading));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapabilityTable(BTreeMap<Role, Capabilities>);

impl Default for CapabilityTable {
    fn default() -> Self {
        use Capability::*;
        let all = Capabilities::ALL;
        CapabilityTable(BTreeMap::from([
            (Role::Owner, all),
            (Role::CoOwner, all),
            (
                Role::Member,
                Capabilities::of(&[ViewDocuments, ReceiveNotices]),
            ),
            (Role::Tenant, all),
            (
                Role::Proxy,
                Capabilities::of(&[
                    ViewAccount,
                    ViewParameters,
                    ViewReadings,
                    SubmitReading,
                    ViewDocuments,
                    Pay,
                ]),
            ),
            (
                Role::Heir,
                Capabilities::of(&[
                    ViewAccount,
                    ViewParameters,
                    ViewReadings,
                    ViewDocuments,
                    Pay,
                    ReceiveNotices,
                ]),
            ),
        ]))
    }
}

impl CapabilityTable {
    /// What `role` grants.
    ///
    /// ```
    /// # use ebok_core::holders::{Capability, CapabilityTable, Role};
    /// assert!(CapabilityTable::default().of(Role::Member).contains(Capability::ViewDocuments));
    /// ```
    pub fn of(&self, role: Role) -> Capabilities {
        self.0.get(&role).copied().unwrap_or(Capabilities::NONE)
    }

    /// Whether `role` grants `capability`.
    ///
    /// ```
    /// # use ebok_core::holders::{Capability, CapabilityTable, Role};
    /// assert!(!CapabilityTable::default().grants(Role::Member, Capability::ViewAccount));
    /// ```
    pub fn grants(&self, role: Role, capability: Capability) -> bool {
        self.of(role).contains(capability)
    }

    /// Replaces what `role` grants.
    ///
    /// ```
    /// # use ebok_core::holders::{Capabilities, Capability, CapabilityTable, Role};
    /// let mut t = CapabilityTable::default();
    /// t.set(Role::Tenant, Capabilities::of(&[Capability::ViewReadings]));
    /// assert!(!t.grants(Role::Tenant, Capability::ViewAccount));
    /// ```
    pub fn set(&mut self, role: Role, capabilities: Capabilities) {
        self.0.insert(role, capabilities);
    }

    /// Reads a cooperative's table: one `role;capabilities` line per role it changes (codes
    /// separated by `|`, `all`, or empty for none); `#` starts a comment. Roles not named keep
    /// the default.
    ///
    /// ```
    /// use ebok_core::holders::{Capability, CapabilityTable, Role};
    /// let t = CapabilityTable::parse("# our statute\ntenant;view_readings|submit_reading\nheir;all\n")?;
    /// assert!(!t.grants(Role::Tenant, Capability::ViewAccount));
    /// assert!(t.grants(Role::Heir, Capability::SubmitReading));
    /// assert!(CapabilityTable::parse("landlord;all").is_err());
    /// # Ok::<(), ebok_core::holders::HolderError>(())
    /// ```
    pub fn parse(text: &str) -> Result<CapabilityTable, super::HolderError> {
        let mut table = CapabilityTable::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let at = |e: super::HolderError| super::HolderError::InTable {
                line: n + 1,
                reason: e.to_string(),
            };
            let (role, caps) = line
                .split_once(';')
                .ok_or_else(|| super::HolderError::InTable {
                    line: n + 1,
                    reason: "expected role;capabilities".to_owned(),
                })?;
            table.set(role.parse().map_err(at)?, caps.parse().map_err(at)?);
        }
        Ok(table)
    }

    /// The table as [`CapabilityTable::parse`] reads it.
    ///
    /// ```
    /// # use ebok_core::holders::CapabilityTable;
    /// let t = CapabilityTable::default();
    /// assert_eq!(CapabilityTable::parse(&t.to_text())?, t);
    /// # Ok::<(), ebok_core::holders::HolderError>(())
    /// ```
    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|(r, c)| format!("{};{}\n", r.code(), c))
            .collect()
    }
}
