//! The resident's account and its state machine: every transition takes `now` and returns
//! the new state and its effects; the host stores the state (compare-and-swap on
//! [`Account::version`]) and performs the effects.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};

use super::contact::{Contacts, DeliveryTarget};
use super::kdf::Kdf;
use super::otp;
use super::password::PasswordRejection;
use super::policy::{
    AccessPolicy, Channel, HARD_FAILURE_CAP, LockoutPolicy, ReissueEffect, WaitStrategy,
};
use super::secret::Secret;
use super::{
    AccessError, AuditEvent, AuditKind, Effect, FailureReason, LoginOutcome, Notice, RevokeScope,
};
use crate::premises::LoginId;

mod issuance;
mod login;
mod password_change;
mod staff;

/// A stored hash of a credential, with when it was set.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Credential {
    phc: String,
    #[serde(with = "time::serde::rfc3339")]
    set_at: OffsetDateTime,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
struct OtpRecord {
    phc: String,
    channel: Channel,
    #[serde(with = "time::serde::rfc3339")]
    issued_at: OffsetDateTime,
    /// `None` until access is activated.
    #[serde(with = "time::serde::rfc3339::option")]
    activated_at: Option<OffsetDateTime>,
    /// Activation is due by then (seed: within 48 hours of the visit).
    #[serde(with = "time::serde::rfc3339")]
    activation_due: OffsetDateTime,
    /// Set when the code becomes usable (issuance, or activation for codes handed over in person).
    #[serde(with = "time::serde::rfc3339::option")]
    expires_at: Option<OffsetDateTime>,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Ticket {
    /// SHA-256 of the ticket text, hex.
    digest: String,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
    /// The redeemed one-time password's hash, to refuse it as the new password.
    otp_phc: String,
}

// `Debug` of an account never prints a hash or a ticket digest: they are redacted here.
impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("phc", &"[REDACTED]")
            .field("set_at", &self.set_at)
            .finish()
    }
}

impl std::fmt::Debug for OtpRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtpRecord")
            .field("phc", &"[REDACTED]")
            .field("channel", &self.channel)
            .field("issued_at", &self.issued_at)
            .field("activated_at", &self.activated_at)
            .field("activation_due", &self.activation_due)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl std::fmt::Debug for Ticket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ticket")
            .field("digest", &"[REDACTED]")
            .field("expires_at", &self.expires_at)
            .field("otp_phc", &"[REDACTED]")
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct AdminBlock {
    by: String,
    #[serde(with = "time::serde::rfc3339")]
    at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Live {
    contacts: Contacts,
    password: Option<Credential>,
    otp: Option<OtpRecord>,
    ticket: Option<Ticket>,
    failures: u8,
    locked: bool,
    temporary_lockouts: u8,
    #[serde(with = "time::serde::rfc3339::option")]
    locked_until: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    last_failure_at: Option<OffsetDateTime>,
    admin_block: Option<AdminBlock>,
    /// Issuance times within the last 24 hours (rate limit of unblock requests).
    #[serde(default)]
    recent_issuances: Vec<OffsetDateTimeSer>,
    /// The latest `now` seen: a clock running backwards never shortens a wait or revives a code.
    #[serde(with = "time::serde::rfc3339")]
    high_water: OffsetDateTime,
}

/// An instant serialised as RFC 3339 inside a `Vec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
struct OffsetDateTimeSer(#[serde(with = "time::serde::rfc3339")] OffsetDateTime);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum State {
    Live(Box<Live>),
    /// Closed at the owner's request: a tombstone with no hash, contact or counter.
    Closed {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

/// The state of an account as the cooperative's staff see it.
///
/// ```
/// use ebok_core::access::AccountStatus;
/// assert_ne!(AccountStatus::Active, AccountStatus::Locked);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// A one-time password was issued; access is not activated yet.
    AwaitingActivation,
    /// Activated; the one-time password has not been used yet.
    AwaitingFirstLogin,
    /// The one-time password was used; a new password has not been set yet.
    AwaitingNewPassword,
    /// A password is set.
    Active,
    /// Blocked after too many failed logins, until a new one-time password is issued.
    Locked,
    /// Waiting out a temporary lockout (progressive policy).
    TemporarilyLocked,
    /// Blocked by the cooperative for misuse.
    AdminBlocked,
    /// Closed at the owner's request.
    Closed,
    /// No usable credential (the one-time password expired or was not activated within 48 hours,
    /// or the password-change ticket expired unused): staff must issue a new one-time password.
    NoCredential,
}

impl AccountStatus {
    /// The stable code (the serde tag), for bindings and logs.
    ///
    /// ```
    /// use ebok_core::access::AccountStatus;
    /// assert_eq!(AccountStatus::TemporarilyLocked.code(), "temporarily_locked");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            AccountStatus::AwaitingActivation => "awaiting_activation",
            AccountStatus::AwaitingFirstLogin => "awaiting_first_login",
            AccountStatus::AwaitingNewPassword => "awaiting_new_password",
            AccountStatus::Active => "active",
            AccountStatus::Locked => "locked",
            AccountStatus::TemporarilyLocked => "temporarily_locked",
            AccountStatus::AdminBlocked => "admin_blocked",
            AccountStatus::Closed => "closed",
            AccountStatus::NoCredential => "no_credential",
        }
    }
}

/// One resident's access account (konto e-BOK): serialisable state with a version number
/// for compare-and-swap. Created and changed only through an [`super::Authenticator`].
///
/// ```
/// use ebok_core::access::{AccessPolicy, AccountStatus, Activation, Argon2Kdf, Authenticator, Channel, Contacts};
/// use ebok_core::premises::LoginId;
/// use rand::SeedableRng;
/// use time::macros::datetime;
/// let mut rng = rand::rngs::StdRng::seed_from_u64(7);
/// let policy = AccessPolicy::insecure_for_tests();
/// let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
/// let now = datetime!(2025-05-12 10:00 UTC);
/// let created = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Manual, "office", now, &mut rng)?;
/// assert_eq!(created.account.as_ref().unwrap().status(now), AccountStatus::AwaitingActivation);
/// let json = serde_json::to_string(&created.account).unwrap();
/// assert!(!json.contains(created.otp().unwrap().expose()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    login: LoginId,
    version: u64,
    generation: u32,
    state: State,
}

/// When access becomes active after a one-time password is issued at the office.
///
/// ```
/// use ebok_core::access::Activation;
/// assert_ne!(Activation::Immediate, Activation::Manual);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "activation", content = "at", rename_all = "snake_case")]
pub enum Activation {
    /// At once.
    Immediate,
    /// When staff (or a scheduled job) call [`super::Authenticator::activate`]; due within
    /// the policy's `activation_within` (48 hours).
    Manual,
    /// At this instant.
    #[serde(with = "time::serde::rfc3339")]
    At(OffsetDateTime),
}

impl Account {
    /// The login identifier (constant for the account's life).
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?.account.unwrap();
    /// assert_eq!(a.login().as_str(), "0756555");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn login(&self) -> &LoginId {
        &self.login
    }

    /// The version: +1 on every change, unchanged on a no-op; store with compare-and-swap.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?.account.unwrap();
    /// assert_eq!(a.version(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn version(&self) -> u64 {
        self.version
    }

    /// How many one-time passwords have been issued.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?.account.unwrap();
    /// assert_eq!(a.generation(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn generation(&self) -> u32 {
        self.generation
    }

    fn live(&self) -> Option<&Live> {
        match &self.state {
            State::Live(l) => Some(l),
            State::Closed { .. } => None,
        }
    }

    /// Consecutive failed logins.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?.account.unwrap();
    /// assert_eq!(a.failures(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn failures(&self) -> u8 {
        self.live().map_or(0, |l| l.failures)
    }

    /// The contacts on file (none once closed).
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?.account.unwrap();
    /// assert!(a.contacts().unwrap().phone.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contacts(&self) -> Option<&Contacts> {
        self.live().map(|l| &l.contacts)
    }

    /// Whether any hash, contact, code or counter is held (false once closed).
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?.account.unwrap();
    /// assert!(a.holds_secrets());
    /// let closed = auth.close(&a, "office", now)?.account.unwrap();
    /// assert!(!closed.holds_secrets());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holds_secrets(&self) -> bool {
        self.live().is_some()
    }

    /// The status at `now` (a clock running backwards is treated as standing still).
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?.account.unwrap();
    /// assert_eq!(a.status(now), AccountStatus::AwaitingFirstLogin);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn status(&self, now: OffsetDateTime) -> AccountStatus {
        let Some(l) = self.live() else {
            return AccountStatus::Closed;
        };
        let t = now.max(l.high_water);
        if l.admin_block.is_some() {
            AccountStatus::AdminBlocked
        } else if l.locked {
            AccountStatus::Locked
        } else if l.locked_until.is_some_and(|u| t < u) {
            AccountStatus::TemporarilyLocked
        } else if let Some(o) = l.otp.as_ref().filter(|_| l.password.is_none()) {
            match (o.activated_at, o.expires_at) {
                // Not activated within the 48 hours: staff must issue a new code.
                (None, _) if t > o.activation_due => AccountStatus::NoCredential,
                (None, _) => AccountStatus::AwaitingActivation,
                (Some(a), _) if t < a => AccountStatus::AwaitingActivation,
                (Some(_), Some(e)) if t >= e => AccountStatus::NoCredential,
                _ => AccountStatus::AwaitingFirstLogin,
            }
        } else if let Some(ticket) = &l.ticket {
            // After the 15-minute ticket expires nothing is left to log in with: issue a new code.
            if t >= ticket.expires_at {
                AccountStatus::NoCredential
            } else {
                AccountStatus::AwaitingNewPassword
            }
        } else if l.password.is_some() {
            AccountStatus::Active
        } else {
            AccountStatus::NoCredential
        }
    }

    /// Whether activation is overdue: issued at the office, not activated, and past its due time.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// let visit = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Manual, "office", visit, &mut rng)?.account.unwrap();
    /// assert!(!a.activation_overdue(visit + time::Duration::hours(47)));
    /// assert!(a.activation_overdue(visit + time::Duration::hours(49)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn activation_overdue(&self, now: OffsetDateTime) -> bool {
        self.live()
            .and_then(|l| l.otp.as_ref())
            .is_some_and(|o| o.activated_at.is_none() && now > o.activation_due)
    }
}

/// The result of a transition: the new state (if it changed), the public outcome, the effects.
///
/// ```
/// use ebok_core::access::{LoginOutcome, Transition};
/// let t: Transition<LoginOutcome> = Transition { account: None, outcome: LoginOutcome::Failure, effects: vec![] };
/// assert!(t.account.is_none());
/// ```
#[derive(Debug)]
pub struct Transition<T> {
    /// The new state to store (compare-and-swap on the old version); `None`: nothing changed.
    pub account: Option<Account>,
    /// What the caller learns.
    pub outcome: T,
    /// What the host must do.
    pub effects: Vec<Effect>,
}

impl<T> Transition<T> {
    /// The one-time password to deliver, if this transition issued one.
    ///
    /// ```
    /// use ebok_core::access::{LoginOutcome, Transition};
    /// let t: Transition<LoginOutcome> = Transition { account: None, outcome: LoginOutcome::Failure, effects: vec![] };
    /// assert!(t.otp().is_none());
    /// ```
    pub fn otp(&self) -> Option<&Secret> {
        self.effects.iter().find_map(|e| match e {
            Effect::Deliver { otp, .. } => Some(otp),
            _ => None,
        })
    }

    /// The audit events of this transition.
    ///
    /// ```
    /// use ebok_core::access::{LoginOutcome, Transition};
    /// let t: Transition<LoginOutcome> = Transition { account: None, outcome: LoginOutcome::Failure, effects: vec![] };
    /// assert_eq!(t.audit().count(), 0);
    /// ```
    pub fn audit(&self) -> impl Iterator<Item = &AuditEvent> {
        self.effects.iter().filter_map(|e| match e {
            Effect::Audit(a) => Some(a),
            _ => None,
        })
    }
}

/// Why setting a new password failed.
///
/// ```
/// use ebok_core::access::{PasswordChangeError, PasswordRejection};
/// let e = PasswordChangeError::Rejected(vec![PasswordRejection::TooShort { min: 15 }]);
/// assert!(e.to_string().contains("15"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordChangeError {
    /// The ticket or current password is wrong, expired or the account cannot change it (one generic answer).
    #[error("the password cannot be changed with these credentials")]
    NotAllowed,
    /// The new password breaks the policy; the ticket stays usable.
    #[error("the new password was refused: {0:?}")]
    Rejected(Vec<PasswordRejection>),
    /// The current password given was wrong (counted like a failed login).
    #[error("the current password is wrong")]
    WrongCurrent,
    /// Hashing failed.
    #[error(transparent)]
    Access(#[from] AccessError),
}

/// The account service: policy, hashing function and the dummy hash used where there is
/// nothing real to verify. Every method is a pure transition.
#[derive(Clone)]
pub struct Authenticator<K> {
    policy: AccessPolicy,
    kdf: K,
    dummy_phc: String,
    blocklist: Option<std::sync::Arc<dyn super::Blocklist + Send + Sync>>,
}

impl<K: std::fmt::Debug> std::fmt::Debug for Authenticator<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("policy", &self.policy)
            .field("kdf", &self.kdf)
            .field("blocklist", &self.blocklist.is_some())
            .finish_non_exhaustive()
    }
}

fn audit(
    login: Option<&LoginId>,
    attempted: Option<&str>,
    kind: AuditKind,
    reason: Option<FailureReason>,
    at: OffsetDateTime,
) -> Effect {
    Effect::Audit(AuditEvent {
        login: login.cloned(),
        attempted_identifier: attempted.map(attempted_identifier),
        actor: None,
        kind,
        reason,
        unblock_skip: None,
        at,
    })
}

/// A staff action's audit event, naming who took it (a checked [`StaffName`], or the system
/// acting on an unblock request).
fn staff_audit(login: &LoginId, kind: AuditKind, actor: &str, at: OffsetDateTime) -> Effect {
    Effect::Audit(AuditEvent {
        login: Some(login.clone()),
        attempted_identifier: None,
        actor: Some(actor.to_owned()),
        kind,
        reason: None,
        unblock_skip: None,
        at,
    })
}

/// What the audit log keeps of a typed identifier: the identifier when it has the form of one,
/// otherwise a fixed marker, so that a password typed into the identifier field is never logged.
pub(crate) fn attempted_identifier(typed: &str) -> String {
    match LoginId::new(typed.trim()) {
        Ok(id) if id.as_str().chars().count() <= 32 => id.to_string(),
        _ => "(not an identifier)".to_owned(),
    }
}

/// A staff member's name for the audit log: not blank, at most 64 characters, no control
/// characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StaffName(String);

impl StaffName {
    pub(crate) fn new(by: &str) -> Result<StaffName, AccessError> {
        let t = by.trim();
        if t.is_empty() || t.chars().count() > 64 || t.chars().any(char::is_control) {
            Err(AccessError::NoStaff)
        } else {
            Ok(StaffName(t.to_owned()))
        }
    }
}

/// `t + d`, or a typed error instead of a panic past the year 9999.
pub(crate) fn later(t: OffsetDateTime, d: Duration) -> Result<OffsetDateTime, AccessError> {
    t.checked_add(d)
        .ok_or_else(|| AccessError::TimeOutOfRange { at: t.to_string() })
}

fn notice(login: &LoginId, event: Notice, at: OffsetDateTime) -> Effect {
    Effect::Notify {
        login: login.clone(),
        event,
        at,
    }
}

fn ticket_digest(ticket: &str) -> String {
    let d = Sha256::digest(ticket.trim().as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

impl<K: Kdf> Authenticator<K> {
    /// An authenticator; validates the policy and makes the dummy hash with the current parameters.
    ///
    /// ```
    /// use ebok_core::access::{AccessPolicy, Argon2Kdf, Authenticator, LockoutPolicy};
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    /// let mut policy = AccessPolicy::insecure_for_tests();
    /// policy.lockout = LockoutPolicy::Cooperative { threshold: 0 };
    /// assert!(Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng).is_err());
    /// # Ok::<(), ebok_core::access::AccessError>(())
    /// ```
    pub fn new<R: rand_core::CryptoRng + ?Sized>(
        policy: AccessPolicy,
        kdf: K,
        rng: &mut R,
    ) -> Result<Self, AccessError> {
        policy.validate()?;
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        let dummy_phc = kdf.hash(&seed, rng)?;
        Ok(Authenticator {
            policy,
            kdf,
            dummy_phc,
            blocklist: None,
        })
    }

    /// The same authenticator refusing, as new passwords, those on the host's list (e.g. a
    /// breached-password corpus).
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// struct Breached;
    /// impl Blocklist for Breached { fn contains(&self, p: &str) -> bool { p == "zielone jabłka na wiosnę" } }
    /// let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?.with_blocklist(std::sync::Arc::new(Breached));
    /// assert_eq!(auth.check_new_password("zielone jabłka na wiosnę", "0756555").unwrap_err(), vec![PasswordRejection::Breached]);
    /// # Ok::<(), ebok_core::access::AccessError>(())
    /// ```
    pub fn with_blocklist(
        mut self,
        blocklist: std::sync::Arc<dyn super::Blocklist + Send + Sync>,
    ) -> Self {
        self.blocklist = Some(blocklist);
        self
    }

    /// Checks a new password as the transitions do: the policy, the host's list, and not in the
    /// form of a one-time code. Returns its NFC form, or every reason it is refused.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// assert_eq!(auth.check_new_password("ABCD-EFGH-JKMN-PQRS", "0756555").unwrap_err(), vec![PasswordRejection::LooksLikeCode]);
    /// # Ok::<(), ebok_core::access::AccessError>(())
    /// ```
    pub fn check_new_password(
        &self,
        new_password: &str,
        identifier: &str,
    ) -> Result<zeroize::Zeroizing<String>, Vec<PasswordRejection>> {
        let nfc = match &self.blocklist {
            Some(list) => self
                .policy
                .password
                .check_with(new_password, identifier, list.as_ref()),
            None => self.policy.password.check(new_password, identifier),
        }?;
        if otp::normalize(&nfc, usize::from(self.policy.otp.symbols)).is_some() {
            return Err(vec![PasswordRejection::LooksLikeCode]);
        }
        Ok(nfc)
    }

    /// The policy.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// assert_eq!(auth.policy(), &policy);
    /// # Ok::<(), ebok_core::access::AccessError>(())
    /// ```
    pub fn policy(&self) -> &AccessPolicy {
        &self.policy
    }

    /// The dummy PHC string (made with the current parameters; holds no secret of anyone).
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// assert!(auth.dummy_phc().starts_with("$argon2id$v=19$m=8,t=1,p=1$"));
    /// # Ok::<(), ebok_core::access::AccessError>(())
    /// ```
    pub fn dummy_phc(&self) -> &str {
        &self.dummy_phc
    }

    fn new_otp<R: rand_core::CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
    ) -> Result<(Secret, String), AccessError> {
        let code = otp::draw(rng, otp::ALPHABET, usize::from(self.policy.otp.symbols));
        let phc = self.kdf.hash(code.as_bytes(), rng)?;
        Ok((otp::grouped(&code), phc))
    }

    fn target(contacts: &Contacts, channel: Channel) -> Result<DeliveryTarget, AccessError> {
        let missing = || AccessError::NoContactForChannel { channel };
        Ok(match channel {
            Channel::Sms => DeliveryTarget::Phone(contacts.phone.clone().ok_or_else(missing)?),
            Channel::Email => DeliveryTarget::Email(contacts.email.clone().ok_or_else(missing)?),
            Channel::Post => DeliveryTarget::Post(contacts.postal.clone().ok_or_else(missing)?),
            Channel::InPerson => DeliveryTarget::Office,
        })
    }

    fn otp_record(
        &self,
        phc: String,
        channel: Channel,
        t: OffsetDateTime,
        activation: Activation,
    ) -> Result<OtpRecord, AccessError> {
        let activated_at = match activation {
            Activation::Immediate => Some(t),
            Activation::Manual => None,
            Activation::At(at) => Some(at.max(t)),
        };
        let due = later(t, self.policy.otp.activation_within)?;
        Ok(OtpRecord {
            phc,
            channel,
            issued_at: t,
            activated_at,
            activation_due: activated_at.map_or(due, |a| a.min(due).max(t)),
            expires_at: activated_at
                .map(|a| expiry(&self.policy, channel, t, a))
                .transpose()?,
        })
    }

    /// The hashing function (tests wrap it to count evaluations).
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// assert_eq!(auth.kdf().policy(), policy.hash);
    /// # Ok::<(), ebok_core::access::AccessError>(())
    /// ```
    pub fn kdf(&self) -> &K {
        &self.kdf
    }

    pub(crate) fn recent_issuances(account: &Account, t: OffsetDateTime) -> usize {
        account.live().map_or(0, |l| {
            l.recent_issuances
                .iter()
                .filter(|i| t - i.0 < Duration::hours(24))
                .count()
        })
    }

    pub(crate) fn high_water(account: &Account) -> Option<OffsetDateTime> {
        account.live().map(|l| l.high_water)
    }
}

impl Account {
    /// The same account with new live state and the next version.
    /// The same account with new live state and the next version (a stored `u64::MAX` is
    /// refused, never wrapped).
    fn with(&self, live: Live) -> Result<Account, AccessError> {
        Ok(Account {
            login: self.login.clone(),
            version: self.next_version()?,
            generation: self.generation,
            state: State::Live(Box::new(live)),
        })
    }

    fn next_version(&self) -> Result<u64, AccessError> {
        self.version
            .checked_add(1)
            .ok_or_else(|| AccessError::InvalidPolicy {
                reason: format!("account {} has no next version", self.login),
            })
    }
}

/// When a code issued at `issued` through `channel` and activated at `activated` expires.
fn expiry(
    policy: &AccessPolicy,
    channel: Channel,
    issued: OffsetDateTime,
    activated: OffsetDateTime,
) -> Result<OffsetDateTime, AccessError> {
    match channel {
        Channel::InPerson => later(activated, policy.otp.ttl(channel)),
        _ => later(issued.max(activated), policy.otp.ttl(channel)),
    }
}

fn base32(bytes: &[u8]) -> super::secret::Plain {
    // Allocated once for the whole text: no reallocation leaves a copy behind.
    let mut out = super::secret::Plain::new(String::with_capacity(bytes.len() * 8 / 5 + 2));
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(otp::ALPHABET[((acc >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(
            otp::ALPHABET[((acc << (5 - bits)) & 31) as usize],
        ));
    }
    out
}

/// The restricted ticket a one-time-password login grants: it allows only setting a new password.
///
/// ```
/// use ebok_core::access::{ChangeTicket, Secret};
/// let t = ChangeTicket::from_secret(Secret::new("ABCD".into()));
/// assert_eq!(format!("{t:?}"), "ChangeTicket([REDACTED])");
/// ```
pub struct ChangeTicket(Secret);

impl ChangeTicket {
    /// Wraps a ticket text (hosts restoring one from their session store).
    ///
    /// ```
    /// use ebok_core::access::{ChangeTicket, Secret};
    /// assert_eq!(ChangeTicket::from_secret(Secret::new("X".into())).expose(), "X");
    /// ```
    pub fn from_secret(secret: Secret) -> ChangeTicket {
        ChangeTicket(secret)
    }

    /// The ticket text, to keep in the resident's restricted session.
    ///
    /// ```
    /// use ebok_core::access::{ChangeTicket, Secret};
    /// assert_eq!(ChangeTicket::from_secret(Secret::new("X".into())).expose(), "X");
    /// ```
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl std::fmt::Debug for ChangeTicket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangeTicket([REDACTED])")
    }
}

impl PartialEq for ChangeTicket {
    fn eq(&self, other: &Self) -> bool {
        self.0
            .expose()
            .as_bytes()
            .ct_eq(other.0.expose().as_bytes())
            .into()
    }
}

impl Eq for ChangeTicket {}

/// Lists the accounts whose activation is overdue (issued at the office, not activated within 48 hours).
///
/// ```
/// use ebok_core::access::*;
/// use ebok_core::premises::LoginId;
/// use rand::SeedableRng;
/// let mut rng = rand::rngs::StdRng::seed_from_u64(3);
/// let policy = AccessPolicy::insecure_for_tests();
/// let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
/// let visit = time::macros::datetime!(2025-05-12 10:00 UTC);
/// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Manual, "office", visit, &mut rng)?.account.unwrap();
/// let overdue = overdue_activations([&a], visit + time::Duration::days(3));
/// assert_eq!(overdue, vec![a.login()]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn overdue_activations<'a>(
    accounts: impl IntoIterator<Item = &'a Account>,
    now: OffsetDateTime,
) -> Vec<&'a LoginId> {
    accounts
        .into_iter()
        .filter(|a| a.activation_overdue(now))
        .map(Account::login)
        .collect()
}
