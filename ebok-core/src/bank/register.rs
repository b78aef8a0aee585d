//! The register of virtual accounts (rejestr rachunków wirtualnych): which premises each
//! virtual account number belongs to, and since when. An account reassigned after a sale has
//! one row per holder period.

/// A hash map with a fixed seed: the core reads no OS randomness.
type HashMap<K, V> = hashbrown::HashMap<K, V, foldhash::fast::FixedState>;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::premises::PremisesId;

use super::statement::compact_account;

/// One row of the register: `account` belongs to `premises` from `from` (inclusive) until `to`
/// (exclusive; `None` = still valid).
///
/// ```
/// use ebok_core::bank::VirtualAccount;
/// use ebok_core::premises::PremisesId;
/// use time::macros::date;
/// let v = VirtualAccount::new("53105000997612340000756555", PremisesId::new("0756555")?, date!(2020 - 01 - 01), None)?;
/// assert!(v.covers(date!(2026 - 12 - 03)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualAccount {
    /// The account's 26 digits (an NRB; `PL` and spaces removed).
    pub account: String,
    /// The premises it belongs to.
    pub premises: PremisesId,
    /// The first day it belongs to it.
    pub from: Date,
    /// The first day it no longer does (`None`: still does).
    pub to: Option<Date>,
    /// A mass-payment service's payer identifier for the same premises (mBank `ID IPH:`), if any.
    pub payer_id: Option<String>,
}

impl VirtualAccount {
    /// A row; the account must be 26 digits (an NRB, `PL` allowed), `to` after `from`.
    ///
    /// ```
    /// # use ebok_core::bank::VirtualAccount;
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// assert!(VirtualAccount::new("123", PremisesId::new("1")?, date!(2020 - 01 - 01), None).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        account: &str,
        premises: PremisesId,
        from: Date,
        to: Option<Date>,
    ) -> Result<VirtualAccount, RegisterError> {
        let compact = compact_account(account);
        if compact.len() != 26 || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RegisterError::NotAnAccount {
                account: account.chars().take(40).collect(),
            });
        }
        if to.is_some_and(|t| t <= from) {
            return Err(RegisterError::EmptyPeriod {
                account: compact,
                from,
            });
        }
        Ok(VirtualAccount {
            account: compact,
            premises,
            from,
            to,
            payer_id: None,
        })
    }

    /// The same row with a payer identifier.
    ///
    /// ```
    /// # use ebok_core::bank::VirtualAccount;
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let v = VirtualAccount::new("53105000997612340000756555", PremisesId::new("1")?, date!(2020 - 01 - 01), None)?.with_payer_id("XX0756555");
    /// assert_eq!(v.payer_id.as_deref(), Some("XX0756555"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_payer_id(mut self, id: &str) -> VirtualAccount {
        let id = id.trim();
        self.payer_id = (!id.is_empty()).then(|| id.to_owned());
        self
    }

    /// Whether the row is valid on `day`.
    ///
    /// ```
    /// # use ebok_core::bank::VirtualAccount;
    /// # use ebok_core::premises::PremisesId;
    /// # use time::macros::date;
    /// let v = VirtualAccount::new("53105000997612340000756555", PremisesId::new("1")?, date!(2020 - 01 - 01), Some(date!(2026 - 03 - 15)))?;
    /// assert!(v.covers(date!(2026 - 03 - 14)) && !v.covers(date!(2026 - 03 - 15)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn covers(&self, day: Date) -> bool {
        self.from <= day && self.to.is_none_or(|t| day < t)
    }
}

/// Why the register refused a row.
///
/// ```
/// use ebok_core::bank::RegisterError;
/// let e = RegisterError::NotAnAccount { account: "12".into() };
/// assert!(e.to_string().contains("26 digits"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegisterError {
    /// Not 26 digits.
    #[error("virtual account {account:?} is not an account number of 26 digits")]
    NotAnAccount {
        /// The value given.
        account: String,
    },
    /// `to` is not after `from`.
    #[error("virtual account {account}: the period starting {from} ends before it starts")]
    EmptyPeriod {
        /// The account.
        account: String,
        /// The start.
        from: Date,
    },
    /// Two periods of one account overlap.
    #[error("virtual account {account} belongs to {first} and to {second} at once from {from}")]
    Overlap {
        /// The account.
        account: String,
        /// One premises.
        first: PremisesId,
        /// The other.
        second: PremisesId,
        /// The first day both hold.
        from: Date,
    },
}

/// What the register says of an account on a day.
///
/// ```
/// use ebok_core::bank::{Lookup, VirtualAccount, VirtualAccountRegister};
/// use ebok_core::premises::PremisesId;
/// use time::macros::date;
/// let p = PremisesId::new("0756555")?;
/// let reg = VirtualAccountRegister::from_rows(vec![
///     VirtualAccount::new("53105000997612340000756555", p.clone(), date!(2020 - 01 - 01), None)?,
/// ]).map_err(|e| e[0].clone())?;
/// assert_eq!(reg.lookup("PL53105000997612340000756555", date!(2026 - 12 - 03)), Lookup::Valid(&p));
/// assert_eq!(reg.lookup("53105000997612340000756555", date!(2019 - 12 - 31)), Lookup::Outside(vec![&p]));
/// assert_eq!(reg.lookup("26105000997612340000756556", date!(2026 - 12 - 03)), Lookup::Unknown);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// Valid on that day for this premises.
    Valid(&'a PremisesId),
    /// Registered, but no row is valid on that day: the premises it belonged to (or will).
    Outside(Vec<&'a PremisesId>),
    /// Not registered.
    Unknown,
}

/// The register: rows by account number and by payer id.
///
/// ```
/// use ebok_core::bank::VirtualAccountRegister;
/// assert!(VirtualAccountRegister::default().is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualAccountRegister {
    rows: Vec<VirtualAccount>,
    #[serde(skip)]
    by_account: HashMap<String, Vec<usize>>,
    #[serde(skip)]
    by_payer: HashMap<String, Vec<usize>>,
}

impl VirtualAccountRegister {
    /// A register of `rows`, all or nothing: every overlap is reported.
    ///
    /// ```
    /// use ebok_core::bank::{VirtualAccount, VirtualAccountRegister};
    /// use ebok_core::premises::PremisesId;
    /// use time::macros::date;
    /// let a = "53105000997612340000756555";
    /// let seller = VirtualAccount::new(a, PremisesId::new("1")?, date!(2020 - 01 - 01), Some(date!(2026 - 03 - 15)))?;
    /// let buyer = VirtualAccount::new(a, PremisesId::new("2")?, date!(2026 - 03 - 15), None)?;
    /// assert!(VirtualAccountRegister::from_rows(vec![seller.clone(), buyer]).is_ok());
    /// let clash = VirtualAccount::new(a, PremisesId::new("3")?, date!(2026 - 01 - 01), None)?;
    /// assert_eq!(VirtualAccountRegister::from_rows(vec![seller, clash]).unwrap_err().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_rows(
        rows: Vec<VirtualAccount>,
    ) -> Result<VirtualAccountRegister, Vec<RegisterError>> {
        let mut reg = VirtualAccountRegister {
            rows,
            ..Default::default()
        };
        reg.rows
            .sort_by(|a, b| (&a.account, a.from).cmp(&(&b.account, b.from)));
        reg.rows.dedup();
        let mut errors = Vec::new();
        for w in reg.rows.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if a.account == b.account && a.to.is_none_or(|t| t > b.from) {
                errors.push(RegisterError::Overlap {
                    account: a.account.clone(),
                    first: a.premises.clone(),
                    second: b.premises.clone(),
                    from: b.from,
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        reg.reindex();
        Ok(reg)
    }

    fn reindex(&mut self) {
        self.by_account.clear();
        self.by_payer.clear();
        for (i, r) in self.rows.iter().enumerate() {
            self.by_account
                .entry(r.account.clone())
                .or_default()
                .push(i);
            if let Some(p) = &r.payer_id {
                self.by_payer.entry(p.clone()).or_default().push(i);
            }
        }
    }

    /// How many rows.
    ///
    /// ```
    /// # use ebok_core::bank::VirtualAccountRegister;
    /// assert_eq!(VirtualAccountRegister::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    ///
    /// ```
    /// # use ebok_core::bank::VirtualAccountRegister;
    /// assert!(VirtualAccountRegister::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows, by account and start.
    ///
    /// ```
    /// # use ebok_core::bank::VirtualAccountRegister;
    /// assert_eq!(VirtualAccountRegister::default().rows().count(), 0);
    /// ```
    pub fn rows(&self) -> impl Iterator<Item = &VirtualAccount> {
        self.rows.iter()
    }

    /// What the register says of `account` on `day`.
    ///
    /// ```
    /// # use ebok_core::bank::{Lookup, VirtualAccountRegister};
    /// assert_eq!(VirtualAccountRegister::default().lookup("1", time::macros::date!(2026 - 01 - 01)), Lookup::Unknown);
    /// ```
    pub fn lookup(&self, account: &str, day: Date) -> Lookup<'_> {
        let key = compact_account(account);
        self.find(self.by_account.get(&key), day)
    }

    /// What the register says of a payer identifier on `day`.
    ///
    /// ```
    /// # use ebok_core::bank::{Lookup, VirtualAccountRegister};
    /// assert_eq!(VirtualAccountRegister::default().lookup_payer("XX1", time::macros::date!(2026 - 01 - 01)), Lookup::Unknown);
    /// ```
    pub fn lookup_payer(&self, payer_id: &str, day: Date) -> Lookup<'_> {
        self.find(self.by_payer.get(payer_id.trim()), day)
    }

    fn find(&self, rows: Option<&Vec<usize>>, day: Date) -> Lookup<'_> {
        let Some(rows) = rows else {
            return Lookup::Unknown;
        };
        let rows = rows.iter().filter_map(|&i| self.rows.get(i));
        let mut outside = Vec::new();
        for r in rows {
            if r.covers(day) {
                return Lookup::Valid(&r.premises);
            }
            if !outside.contains(&&r.premises) {
                outside.push(&r.premises);
            }
        }
        Lookup::Outside(outside)
    }

    /// The register after deserialization (serde skips the indexes): rebuilds them.
    ///
    /// ```
    /// # use ebok_core::bank::VirtualAccountRegister;
    /// let r: VirtualAccountRegister = serde_json::from_str(r#"{"rows":[]}"#)?;
    /// assert!(r.reindexed().is_empty());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn reindexed(mut self) -> VirtualAccountRegister {
        self.reindex();
        self
    }
}
