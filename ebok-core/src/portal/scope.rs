//! Who may see what, and when: a login's [`Access`] to a premises, and the queries that answer
//! only within it.
//!
//! Every resident-facing query takes the login and the day. It answers only when a relation of
//! the login to the premises covers that day with the capability the query needs, and then only
//! with what is dated within the days the login's relations cover: entries by operation date,
//! readings, parameters and documents by their dates, bank payments by their credit date. An
//! unknown premises and a premises the login does not (or no longer) hold give the same
//! [`ScopeError::NotFound`].

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{ResidentView, ViewOptions};
use crate::access::{AccessError, Activation, Authenticator, Channel, Contacts, Kdf, Transition};
use crate::bank::PendingPolicy;
use crate::cooperative::Cooperative;
use crate::documents::Document;
use crate::holders::{
    Capabilities, Capability, HolderChange, HolderError, Holding, Interval, Intervals, Role, Share,
};
use crate::ledger::{AccountLine, Balance, Ledger};
use crate::parameters::DatedValue;
use crate::premises::{LoginId, Premises, PremisesId};
use crate::settlement::SettlementError;

/// What a new holder sees of the balance the previous holder left at the change date.
///
/// ```
/// use ebok_core::portal::SellerBalance;
/// assert_eq!(SellerBalance::default(), SellerBalance::Hidden);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SellerBalance {
    /// Nothing: the new holder's account starts at zero on the change date (the default). When
    /// the accounting system does transfer a balance, it posts its own opening-balance entry
    /// dated within the new holder's interval, and that entry shows like any other.
    #[default]
    Hidden,
    /// One opening-balance line (bilans otwarcia) on the new holder's first day, with the
    /// amount owed (or overpaid) the day before; none of the previous holder's entries.
    Carried,
}

/// How a change of holder shows in the new holder's account.
///
/// ```
/// use ebok_core::portal::{HolderPolicy, SellerBalance};
/// assert_eq!(HolderPolicy::default().seller_balance, SellerBalance::Hidden);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderPolicy {
    /// What the new holder sees of the previous holder's balance.
    pub seller_balance: SellerBalance,
}

/// One relation of a login to a premises, with what it allows.
///
/// ```
/// use ebok_core::portal::Relation;
/// assert!(std::mem::size_of::<Relation>() > 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// The role.
    pub role: Role,
    /// The days it holds.
    pub interval: Interval,
    /// What it allows (the role's capabilities, narrowed by a proxy's scope).
    pub capabilities: Capabilities,
    /// A co-owner's share.
    #[serde(default)]
    pub share: Option<Share>,
}

/// What one login may do with one premises, and on which days.
///
/// ```
/// use ebok_core::cooperative::Cooperative;
/// use ebok_core::holders::{Capability, Holding, Interval, Role};
/// use ebok_core::premises::{Area, LoginId, Premises, PremisesId, PremisesKind};
/// use time::macros::date;
/// let mut c = Cooperative::default();
/// let p = PremisesId::new("12")?;
/// c.registry.add(Premises::new(p.clone(), PremisesKind::Flat, Area::parse("48")?))?;
/// let tenant = LoginId::new("5555")?;
/// c.holders.add(Holding::new(tenant.clone(), p.clone(), Role::Tenant, Interval::since(date!(2026 - 01 - 01))))?;
/// let a = c.access(&tenant, &p).unwrap();
/// assert!(a.can(Capability::SubmitReading, date!(2026 - 02 - 01)));
/// assert!(!a.can(Capability::SubmitReading, date!(2025 - 12 - 31)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// The login.
    pub login: LoginId,
    /// The premises.
    pub premises: PremisesId,
    /// Its relations to the premises, at any time.
    pub relations: Vec<Relation>,
}

impl Access {
    /// The days on which the login may use `capability`.
    ///
    /// ```
    /// # use ebok_core::portal::Access;
    /// # use ebok_core::holders::Capability;
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// let a = Access { login: LoginId::new("1234")?, premises: PremisesId::new("1")?, relations: vec![] };
    /// assert!(a.intervals(Capability::ViewAccount).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn intervals(&self, capability: Capability) -> Intervals {
        Intervals::merge(
            self.relations
                .iter()
                .filter(|r| r.capabilities.contains(capability))
                .map(|r| r.interval),
        )
    }

    /// Whether the login may use `capability` on `day`.
    ///
    /// ```
    /// # use ebok_core::portal::Access;
    /// # use ebok_core::holders::Capability;
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// let a = Access { login: LoginId::new("1234")?, premises: PremisesId::new("1")?, relations: vec![] };
    /// assert!(!a.can(Capability::Pay, time::macros::date!(2026 - 01 - 01)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn can(&self, capability: Capability, day: Date) -> bool {
        self.relations
            .iter()
            .any(|r| r.capabilities.contains(capability) && r.interval.contains(day))
    }

    /// Whether any relation holds on `day`.
    ///
    /// ```
    /// # use ebok_core::portal::Access;
    /// # use ebok_core::premises::{LoginId, PremisesId};
    /// let a = Access { login: LoginId::new("1234")?, premises: PremisesId::new("1")?, relations: vec![] };
    /// assert!(!a.holds_on(time::macros::date!(2026 - 01 - 01)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holds_on(&self, day: Date) -> bool {
        self.relations.iter().any(|r| r.interval.contains(day))
    }
}

/// Why a scoped query gave nothing.
///
/// ```
/// use ebok_core::portal::ScopeError;
/// assert_eq!(ScopeError::NotFound.to_string(), "no such premises for this login");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScopeError {
    /// The premises is unknown, or the login does not hold it that day with the capability the
    /// query needs (one answer: nothing tells one from the other).
    #[error("no such premises for this login")]
    NotFound,
    /// The settlement could not be computed honestly.
    #[error(transparent)]
    Settlement(#[from] SettlementError),
    /// A change of holder was refused.
    #[error(transparent)]
    Holder(#[from] HolderError),
    /// A staff operation named a premises the registry does not hold.
    #[error("premises {premises} is not registered")]
    UnknownPremises {
        /// The premises.
        premises: String,
    },
}

/// The statement a previous holder gets at a change of holder: their balance on their last
/// day and the lines of their last month, from their own entries only.
///
/// ```
/// use ebok_core::portal::ClosingStatement;
/// assert!(std::mem::size_of::<ClosingStatement>() > 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingStatement {
    /// The previous holder.
    pub login: LoginId,
    /// The premises.
    pub premises: PremisesId,
    /// Their last day.
    pub last_day: Date,
    /// Their balance at the end of it.
    pub balance: Balance,
    /// Their account lines from the first of that month to their last day.
    pub lines: Vec<AccountLine>,
}

/// What [`Cooperative::change_holder`] did: the register's change, a closing statement for
/// each previous holder who could see the account, and the logins that hold nothing else
/// and need access created ([`HolderChangeOutcome::create_access`]).
///
/// ```
/// use ebok_core::portal::HolderChangeOutcome;
/// assert!(std::mem::size_of::<HolderChangeOutcome>() > 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderChangeOutcome {
    /// The relations ended and added.
    pub change: HolderChange,
    /// One per previous holder who could see the account.
    pub closing: Vec<ClosingStatement>,
    /// New logins (none of their relations existed before the change).
    pub new_logins: Vec<LoginId>,
}

/// Access created for a new holder: the access module's transition (the account, the
/// one-time password to deliver, the audit) and the deadline for activating it (seed 000:
/// within 48 hours of the visit).
#[derive(Debug)]
pub struct NewHolderAccess {
    /// The new login.
    pub login: LoginId,
    /// The account's creation, from [`Authenticator::create_account`].
    pub transition: Transition<()>,
    /// Activate by then ([`Authenticator::activate`]).
    pub activate_by: OffsetDateTime,
}

impl HolderChangeOutcome {
    /// Creates access for every new login: an account with a one-time password delivered
    /// through the channel and contacts `contact_of` gives, awaiting activation by staff within
    /// the policy's 48 hours.
    ///
    /// ```
    /// use ebok_core::access::{AccessPolicy, Argon2Kdf, Authenticator, Channel, Contacts};
    /// use ebok_core::cooperative::Cooperative;
    /// use ebok_core::holders::{Holding, Interval, Role};
    /// use ebok_core::premises::{Area, LoginId, Premises, PremisesId, PremisesKind};
    /// use rand::SeedableRng;
    /// use time::macros::{date, datetime};
    /// let mut c = Cooperative::default();
    /// let p = PremisesId::new("12")?;
    /// c.registry.add(Premises::new(p.clone(), PremisesKind::Flat, Area::parse("48")?))?;
    /// c.registry.link(&LoginId::new("1111")?, &p)?;
    /// let buyer = LoginId::new("2222")?;
    /// let out = c.change_holder(&p, date!(2026 - 03 - 15), vec![Holding::new(buyer.clone(), p.clone(), Role::Owner, Interval::since(date!(2026 - 03 - 15)))], None)?;
    /// assert_eq!(out.new_logins, vec![buyer.clone()]);
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    /// let policy = AccessPolicy::insecure_for_tests();
    /// let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// let now = datetime!(2026-03-16 09:00 UTC);
    /// let created = out.create_access(&auth, |_| (Contacts::default(), Channel::InPerson), "office", now, &mut rng)?;
    /// assert_eq!(created[0].login, buyer);
    /// assert!(created[0].transition.otp().is_some());
    /// assert_eq!(created[0].activate_by, datetime!(2026-03-18 09:00 UTC));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_access<K: Kdf, R: rand_core::CryptoRng + ?Sized>(
        &self,
        auth: &Authenticator<K>,
        contact_of: impl Fn(&LoginId) -> (Contacts, Channel),
        by: &str,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Result<Vec<NewHolderAccess>, AccessError> {
        let mut out = Vec::with_capacity(self.new_logins.len());
        for login in &self.new_logins {
            let (contacts, channel) = contact_of(login);
            let transition = auth.create_account(
                login.clone(),
                contacts,
                channel,
                Activation::Manual,
                by,
                now,
                rng,
            )?;
            out.push(NewHolderAccess {
                login: login.clone(),
                transition,
                activate_by: now + auth.policy().otp.activation_within,
            });
        }
        Ok(out)
    }
}

impl Cooperative {
    /// The relations of `login` to `premises` and what they allow, or none when it never held
    /// it. A premises the holder register does not name falls back to the undated links of
    /// `logins.csv` (an owner since always).
    ///
    /// ```
    /// use ebok_core::cooperative::Cooperative;
    /// use ebok_core::premises::{LoginId, PremisesId};
    /// assert!(Cooperative::default().access(&LoginId::new("1234")?, &PremisesId::new("1")?).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn access(&self, login: &LoginId, premises: &PremisesId) -> Option<Access> {
        let relations: Vec<Relation> = if self.holders.names(premises) {
            self.holders
                .holdings(login, premises)
                .map(|h| Relation {
                    role: h.role,
                    interval: h.interval,
                    capabilities: h.capabilities(&self.capabilities),
                    share: h.share,
                })
                .collect()
        } else if self.registry.reaches(login, premises) {
            vec![Relation {
                role: Role::Owner,
                interval: Interval::ALWAYS,
                capabilities: self.capabilities.of(Role::Owner),
                share: None,
            }]
        } else {
            Vec::new()
        };
        (!relations.is_empty()).then(|| Access {
            login: login.clone(),
            premises: premises.clone(),
            relations,
        })
    }

    /// Every premises `login` holds on `day` (in any role), with its access, in identifier order.
    ///
    /// ```
    /// use ebok_core::cooperative::Cooperative;
    /// use ebok_core::premises::LoginId;
    /// assert!(Cooperative::default().accesses(&LoginId::new("1234")?, time::macros::date!(2026 - 01 - 01)).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn accesses(&self, login: &LoginId, day: Date) -> Vec<Access> {
        let ids: BTreeSet<&PremisesId> = self
            .holders
            .premises_of(login)
            .chain(self.registry.premises_of(login).into_iter().map(|p| &p.id))
            .collect();
        ids.into_iter()
            .filter(|p| self.registry.get(p).is_some())
            .filter_map(|p| self.access(login, p))
            .filter(|a| a.holds_on(day))
            .collect()
    }

    /// The premises, the login's access and the days it may use `capability`, when it may use
    /// it on `day`.
    pub(crate) fn gate(
        &self,
        login: &LoginId,
        premises: &PremisesId,
        capability: Capability,
        day: Date,
    ) -> Result<(&Premises, Access, Intervals), ScopeError> {
        let p = self.registry.get(premises).ok_or(ScopeError::NotFound)?;
        let access = self
            .access(login, premises)
            .filter(|a| a.can(capability, day))
            .ok_or(ScopeError::NotFound)?;
        let visible = access.intervals(capability);
        Ok((p, access, visible))
    }

    /// The premises account as someone who may see the days of `visible` sees it, under the
    /// cooperative's [`HolderPolicy`].
    pub(crate) fn visible_ledger(
        &self,
        premises: &PremisesId,
        visible: &Intervals,
        known_at: Option<Date>,
    ) -> Ledger {
        let opening = match self.holder_policy.seller_balance {
            SellerBalance::Hidden => None,
            SellerBalance::Carried => visible.first_day().and_then(|first| {
                let before = first.previous_day()?;
                let b = self.ledger.balance(premises, before, known_at).ok()?;
                Some((first, b.amount()))
            }),
        };
        self.ledger
            .restricted(premises, |d| visible.contains(d), opening)
    }

    /// The e-BOK view of `premises` for `login` on `today`, as the accounting system knew it at
    /// `known_at`: only what the login's relations allow, dated within their days (entries,
    /// statements, payments, open items, bank payments on their way; meters and readings when
    /// the login may see readings). A new holder's account starts on their first day (see
    /// [`SellerBalance`]); a previous holder gets [`ScopeError::NotFound`] from the change date.
    ///
    /// ```
    /// use ebok_core::cooperative::Cooperative;
    /// use ebok_core::holders::{Holding, Interval, Role};
    /// use ebok_core::ledger::LedgerEntry;
    /// use ebok_core::money::Money;
    /// use ebok_core::portal::{ScopeError, ViewOptions};
    /// use ebok_core::premises::{Area, LoginId, Premises, PremisesId, PremisesKind};
    /// use time::macros::date;
    /// let mut c = Cooperative::default();
    /// let p = PremisesId::new("12")?;
    /// c.registry.add(Premises::new(p.clone(), PremisesKind::Flat, Area::parse("48")?))?;
    /// let (seller, buyer) = (LoginId::new("1111")?, LoginId::new("2222")?);
    /// c.registry.link(&seller, &p)?;
    /// c.ledger.insert(LedgerEntry::charge("N03", "12", "eksploatacja", Money::parse("400")?, date!(2026 - 03 - 01), date!(2026 - 03 - 10))?.posted(date!(2026 - 03 - 01)))?;
    /// c.ledger.insert(LedgerEntry::charge("N04", "12", "eksploatacja", Money::parse("410")?, date!(2026 - 04 - 01), date!(2026 - 04 - 10))?.posted(date!(2026 - 04 - 01)))?;
    /// c.change_holder(&p, date!(2026 - 03 - 15), vec![Holding::new(buyer.clone(), p.clone(), Role::Owner, Interval::since(date!(2026 - 03 - 15)))], None)?;
    /// let o = ViewOptions::default();
    /// let v = c.resident_view(&buyer, &p, date!(2026 - 04 - 01), None, &o)?;
    /// assert_eq!(v.balance.amount(), Money::parse("410")?); // not the seller's March charge
    /// assert_eq!(c.resident_view(&seller, &p, date!(2026 - 04 - 01), None, &o), Err(ScopeError::NotFound));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resident_view(
        &self,
        login: &LoginId,
        premises: &PremisesId,
        today: Date,
        known_at: Option<Date>,
        options: &ViewOptions,
    ) -> Result<ResidentView, ScopeError> {
        let (p, access, visible) = self.gate(login, premises, Capability::ViewAccount, today)?;
        let ledger = self.visible_ledger(premises, &visible, known_at);
        let mut view = ResidentView::build_on(&self.ledger, &ledger, p, today, known_at, options)?;
        if let Some(first) = visible.first_day() {
            view.statements.retain(|s| s.month.last_day() >= first);
        }
        view = view.with_bank_within(&self.bank, &self.ledger, &PendingPolicy::default(), |d| {
            visible.contains(d)
        });
        if access.can(Capability::ViewReadings, today) {
            view =
                view.with_meters_within(&self.meters, &access.intervals(Capability::ViewReadings));
        }
        Ok(view)
    }

    /// The account lines of `premises` from `from` to `today` that `login` may see.
    ///
    /// ```
    /// use ebok_core::cooperative::Cooperative;
    /// use ebok_core::premises::{LoginId, PremisesId};
    /// let c = Cooperative::default();
    /// assert!(c.account_lines_for(&LoginId::new("1234")?, &PremisesId::new("1")?, None, time::macros::date!(2026 - 01 - 01), None).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn account_lines_for(
        &self,
        login: &LoginId,
        premises: &PremisesId,
        from: Option<Date>,
        today: Date,
        known_at: Option<Date>,
    ) -> Result<Vec<AccountLine>, ScopeError> {
        let (_, _, visible) = self.gate(login, premises, Capability::ViewAccount, today)?;
        let from = match (from, visible.first_day()) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        Ok(self
            .visible_ledger(premises, &visible, known_at)
            .account_lines(premises, from, today, known_at))
    }

    /// The documents of `premises` that `login` may see on `today`, oldest first.
    ///
    /// ```
    /// use ebok_core::cooperative::Cooperative;
    /// use ebok_core::premises::{LoginId, PremisesId};
    /// let c = Cooperative::default();
    /// assert!(c.documents_for(&LoginId::new("1234")?, &PremisesId::new("1")?, time::macros::date!(2026 - 01 - 01)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn documents_for(
        &self,
        login: &LoginId,
        premises: &PremisesId,
        today: Date,
    ) -> Result<Vec<&Document>, ScopeError> {
        let (p, _, visible) = self.gate(login, premises, Capability::ViewDocuments, today)?;
        let visible = visible.until(today);
        Ok(self.documents.visible(p, &visible))
    }

    /// The parameters of `premises` that `login` may see on `today`: their history cut to the
    /// login's days (the current values are those with no end).
    ///
    /// ```
    /// use ebok_core::cooperative::Cooperative;
    /// use ebok_core::premises::{LoginId, PremisesId};
    /// let c = Cooperative::default();
    /// assert!(c.parameters_for(&LoginId::new("1234")?, &PremisesId::new("1")?, time::macros::date!(2026 - 01 - 01)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parameters_for(
        &self,
        login: &LoginId,
        premises: &PremisesId,
        today: Date,
    ) -> Result<Vec<DatedValue>, ScopeError> {
        let (_, _, visible) = self.gate(login, premises, Capability::ViewParameters, today)?;
        Ok(self
            .parameters
            .history_within(premises, &visible.until(today)))
    }

    /// A reading `login` typed in for a meter of `premises`, validated and stored when accepted
    /// ([`crate::meters::MeterBook::submit_reading`]), when a relation of the login allows
    /// [`Capability::SubmitReading`] on `options.today` and on the reading's date. Anyone
    /// else gets [`ScopeError::NotFound`] and nothing is stored.
    ///
    /// ```
    /// use ebok_core::cooperative::Cooperative;
    /// use ebok_core::meters::{Meter, MeterKind, Quantity, ValidationOptions};
    /// use ebok_core::portal::ScopeError;
    /// use ebok_core::premises::{Area, LoginId, Premises, PremisesId, PremisesKind};
    /// use time::macros::date;
    /// let mut c = Cooperative::default();
    /// let p = PremisesId::new("12")?;
    /// c.registry.add(Premises::new(p.clone(), PremisesKind::Flat, Area::parse("48")?))?;
    /// c.registry.link(&LoginId::new("1111")?, &p)?;
    /// c.meters.add_meter(Meter::new("ZW-1", MeterKind::ColdWater, p.clone(), date!(2024 - 01 - 01), Quantity::parse("100")?)?)?;
    /// let o = ValidationOptions::new(date!(2025 - 01 - 02));
    /// let v = c.submit_reading(&LoginId::new("1111")?, &p, "ZW-1", date!(2025 - 01 - 01), "131,789", &o)?;
    /// assert!(v.is_accepted());
    /// let other = c.submit_reading(&LoginId::new("2222")?, &p, "ZW-1", date!(2025 - 01 - 02), "132", &o);
    /// assert_eq!(other, Err(ScopeError::NotFound));
    /// assert_eq!(c.meters.readings_of(&"ZW-1".parse()?).len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn submit_reading(
        &mut self,
        login: &LoginId,
        premises: &PremisesId,
        serial: &str,
        date: Date,
        value: &str,
        options: &crate::meters::ValidationOptions,
    ) -> Result<crate::meters::Verdict, ScopeError> {
        let (_, access, _) =
            self.gate(login, premises, Capability::SubmitReading, options.today)?;
        if !access.can(Capability::SubmitReading, date) {
            return Err(ScopeError::NotFound);
        }
        Ok(self
            .meters
            .submit_reading(premises, serial, date, value, options))
    }

    /// Changes the holder of `premises` on `on` ([`crate::holders::HolderRegister::change_holder`]):
    /// the relations holding on `on` end there (undated `logins.csv` links of the premises first
    /// become an owner's relation since always, then end too), `new` relations start. Returns a
    /// closing statement at the change date for each previous holder who could see the
    /// account, as known at `known_at`, and the logins that need access created. All or
    /// nothing.
    ///
    /// ```
    /// # use ebok_core::cooperative::Cooperative;
    /// # use ebok_core::holders::{Holding, Interval, Role};
    /// # use ebok_core::premises::{Area, LoginId, Premises, PremisesId, PremisesKind};
    /// # use time::macros::date;
    /// let mut c = Cooperative::default();
    /// let p = PremisesId::new("12")?;
    /// c.registry.add(Premises::new(p.clone(), PremisesKind::Flat, Area::parse("48")?))?;
    /// c.registry.link(&LoginId::new("1111")?, &p)?;
    /// let out = c.change_holder(&p, date!(2026 - 03 - 15), vec![], None)?;
    /// assert_eq!(out.closing[0].last_day, date!(2026 - 03 - 14));
    /// assert!(c.accesses(&LoginId::new("1111")?, date!(2026 - 03 - 15)).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn change_holder(
        &mut self,
        premises: &PremisesId,
        on: Date,
        new: Vec<Holding>,
        known_at: Option<Date>,
    ) -> Result<HolderChangeOutcome, ScopeError> {
        if self.registry.get(premises).is_none() {
            return Err(ScopeError::UnknownPremises {
                premises: premises.to_string(),
            });
        }
        let mut holders = self.holders.clone();
        let legacy = if holders.names(premises) {
            Vec::new()
        } else {
            self.registry.logins_of(premises)
        };
        for login in &legacy {
            holders.add(Holding::new(
                login.clone(),
                premises.clone(),
                Role::Owner,
                Interval::ALWAYS,
            ))?;
        }
        let known_before = |l: &LoginId| {
            self.holders.premises_of(l).next().is_some() || !self.registry.premises_of(l).is_empty()
        };
        let change = holders.change_holder(premises, on, new)?;
        let mut new_logins: Vec<LoginId> = change
            .added
            .iter()
            .map(|h| h.login.clone())
            .filter(|l| !known_before(l))
            .collect();
        new_logins.sort();
        new_logins.dedup();
        // Applied: from here nothing can fail.
        self.holders = holders;
        for login in &legacy {
            self.registry.unlink(login, premises);
        }
        let mut closing = Vec::new();
        let mut seen = BTreeSet::new();
        for ended in &change.ended {
            let Some(last_day) = ended.interval.last_day() else {
                continue;
            };
            if ended.interval.to != Some(on)
                || !ended
                    .capabilities(&self.capabilities)
                    .contains(Capability::ViewAccount)
                || !seen.insert(ended.login.clone())
            {
                continue;
            }
            let Some(access) = self.access(&ended.login, premises) else {
                continue;
            };
            let visible = access.intervals(Capability::ViewAccount);
            let ledger = self.visible_ledger(premises, &visible, known_at);
            let month_start = crate::calendar::YearMonth::of(last_day).first_day();
            let from = visible
                .first_day()
                .map_or(month_start, |f| f.max(month_start));
            closing.push(ClosingStatement {
                login: ended.login.clone(),
                premises: premises.clone(),
                last_day,
                balance: ledger
                    .balance(premises, last_day, known_at)
                    .unwrap_or_default(),
                lines: ledger.account_lines(premises, Some(from), last_day, known_at),
            });
        }
        Ok(HolderChangeOutcome {
            change,
            closing,
            new_logins,
        })
    }
}
