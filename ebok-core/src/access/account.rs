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

/// A stored hash of a credential, with when it was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Credential {
    phc: String,
    #[serde(with = "time::serde::rfc3339")]
    set_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Ticket {
    /// SHA-256 of the ticket text, hex.
    digest: String,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
    /// The redeemed one-time password's hash, to refuse it as the new password.
    otp_phc: String,
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
    /// No usable credential (e.g. the one-time password expired): a new one must be issued.
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
/// let created = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Manual, now, &mut rng)?;
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
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?.account.unwrap();
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
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?.account.unwrap();
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
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?.account.unwrap();
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
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?.account.unwrap();
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
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?.account.unwrap();
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
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?.account.unwrap();
    /// assert!(a.holds_secrets());
    /// let closed = auth.close(&a, now).account.unwrap();
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
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?.account.unwrap();
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
                (None, _) => AccountStatus::AwaitingActivation,
                (Some(a), _) if t < a => AccountStatus::AwaitingActivation,
                (Some(_), Some(e)) if t >= e => AccountStatus::NoCredential,
                _ => AccountStatus::AwaitingFirstLogin,
            }
        } else if l.ticket.is_some() {
            AccountStatus::AwaitingNewPassword
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
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Manual, visit, &mut rng)?.account.unwrap();
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
pub enum PasswordChangeError {
    /// The ticket or current password is wrong, expired or the account cannot change it (one generic answer).
    #[error("the password cannot be changed with these credentials")]
    NotAllowed,
    /// The new password breaks the policy; the ticket stays usable.
    #[error("the new password was refused: {0:?}")]
    Rejected(Vec<PasswordRejection>),
    /// Hashing failed.
    #[error(transparent)]
    Access(#[from] AccessError),
}

/// The account service: policy, hashing function and the dummy hash used where there is
/// nothing real to verify. Every method is a pure transition.
#[derive(Debug, Clone)]
pub struct Authenticator<K> {
    policy: AccessPolicy,
    kdf: K,
    dummy_phc: String,
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
        attempted_identifier: attempted.map(|a| a.chars().take(32).collect()),
        kind,
        reason,
        unblock_skip: None,
        at,
    })
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
        })
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
    ) -> OtpRecord {
        let activated_at = match activation {
            Activation::Immediate => Some(t),
            Activation::Manual => None,
            Activation::At(at) => Some(at.max(t)),
        };
        let due = t + self.policy.otp.activation_within;
        OtpRecord {
            phc,
            channel,
            issued_at: t,
            activated_at,
            activation_due: activated_at.map_or(due, |a| a.min(due).max(t)),
            expires_at: activated_at.map(|a| expiry(&self.policy, channel, t, a)),
        }
    }

    /// Creates access at the office: a new account for `login`, with a one-time password to
    /// deliver through `channel` to the contact on file (or to hand over in person).
    ///
    /// ```
    /// use ebok_core::access::*;
    /// use ebok_core::premises::LoginId;
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// let policy = AccessPolicy::insecure_for_tests();
    /// let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let t = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Manual, now, &mut rng)?;
    /// let code = t.otp().unwrap().expose().to_owned();
    /// assert_eq!(code.len(), 19); // XXXX-XXXX-XXXX-XXXX
    /// assert!(auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::Sms, Activation::Manual, now, &mut rng).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_account<R: rand_core::CryptoRng + ?Sized>(
        &self,
        login: LoginId,
        contacts: Contacts,
        channel: Channel,
        activation: Activation,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Result<Transition<()>, AccessError> {
        let target = Self::target(&contacts, channel)?;
        let (code, phc) = self.new_otp(rng)?;
        let live = Live {
            contacts,
            password: None,
            otp: Some(self.otp_record(phc, channel, now, activation)),
            ticket: None,
            failures: 0,
            locked: false,
            temporary_lockouts: 0,
            locked_until: None,
            last_failure_at: None,
            admin_block: None,
            recent_issuances: vec![OffsetDateTimeSer(now)],
            high_water: now,
        };
        let account = Account {
            login: login.clone(),
            version: 1,
            generation: 1,
            state: State::Live(Box::new(live)),
        };
        Ok(Transition {
            account: Some(account),
            outcome: (),
            effects: vec![
                Effect::Deliver {
                    channel,
                    target,
                    otp: code,
                },
                notice(&login, Notice::OtpIssued, now),
                audit(Some(&login), None, AuditKind::Created, None, now),
            ],
        })
    }

    /// Activates access issued with [`Activation::Manual`] (a no-op when already active).
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Manual, now, &mut rng)?.account.unwrap();
    /// let later = now + time::Duration::hours(20);
    /// let a = auth.activate(&a, later)?.account.unwrap();
    /// assert_eq!(a.status(later), AccountStatus::AwaitingFirstLogin);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn activate(
        &self,
        account: &Account,
        now: OffsetDateTime,
    ) -> Result<Transition<()>, AccessError> {
        let Some(live) = account.live() else {
            return Err(AccessError::Closed);
        };
        let t = now.max(live.high_water);
        let Some(o) = live.otp.as_ref().filter(|o| o.activated_at.is_none()) else {
            return Ok(Transition {
                account: None,
                outcome: (),
                effects: vec![],
            });
        };
        let mut next = live.clone();
        if let Some(otp) = next.otp.as_mut() {
            otp.activated_at = Some(t);
            otp.expires_at = Some(expiry(&self.policy, o.channel, o.issued_at, t));
        }
        next.high_water = t;
        Ok(Transition {
            account: Some(account.with(next)),
            outcome: (),
            effects: vec![audit(
                Some(&account.login),
                None,
                AuditKind::Activated,
                None,
                t,
            )],
        })
    }

    /// A login attempt. `account` is what the host found for the identifier typed (`None`
    /// when there is none); `attempted` is that identifier, for the audit log. Every path
    /// runs exactly one verification by the hashing function, and every failure looks the
    /// same to the caller: [`LoginOutcome::Failure`]. The reason goes only to the audit event.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let created = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?;
    /// let code = created.otp().unwrap().expose().to_lowercase(); // case does not matter
    /// let account = created.account.unwrap();
    /// let t = auth.login(Some(&account), "0756555", &code, now, &mut rng);
    /// assert!(matches!(t.outcome, LoginOutcome::MustChangePassword(_)));
    /// // The code cannot be used twice.
    /// let again = auth.login(t.account.as_ref(), "0756555", &code, now, &mut rng);
    /// assert_eq!(again.outcome, LoginOutcome::Failure);
    /// assert_eq!(auth.login(None, "9999999", &code, now, &mut rng).outcome, LoginOutcome::Failure);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn login<R: rand_core::CryptoRng + ?Sized>(
        &self,
        account: Option<&Account>,
        attempted: &str,
        secret: &str,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Transition<LoginOutcome> {
        let fail_quietly = |reason: FailureReason, login: Option<&LoginId>| {
            let _ = self.kdf.verify(secret.as_bytes(), &self.dummy_phc);
            Transition {
                account: None,
                outcome: LoginOutcome::Failure,
                effects: vec![audit(
                    login,
                    Some(attempted),
                    AuditKind::LoginFailed,
                    Some(reason),
                    now,
                )],
            }
        };
        let Some(account) = account else {
            return fail_quietly(FailureReason::UnknownId, None);
        };
        let login = &account.login;
        let Some(live) = account.live() else {
            return fail_quietly(FailureReason::Closed, Some(login));
        };
        let t = now.max(live.high_water);
        if live.admin_block.is_some() {
            return fail_quietly(FailureReason::AdminBlocked, Some(login));
        }
        if live.locked {
            return fail_quietly(FailureReason::Locked, Some(login));
        }
        if live.locked_until.is_some_and(|u| t < u) {
            return fail_quietly(FailureReason::TemporarilyLocked, Some(login));
        }
        let symbols = usize::from(self.policy.otp.symbols);
        let as_otp = otp::normalize(secret, symbols);
        let otp_record = live
            .otp
            .as_ref()
            .filter(|_| as_otp.is_some() || live.password.is_none());
        if let Some(o) = otp_record {
            let activated = o.activated_at.is_some_and(|a| t >= a);
            if !activated {
                return fail_quietly(FailureReason::NotActive, Some(login));
            }
            let code = as_otp.as_ref().map_or(secret.as_bytes(), |c| c.as_bytes());
            let matched = self.kdf.verify(code, &o.phc);
            let expired = o.expires_at.is_none_or(|e| t >= e);
            if expired {
                // An expired code is discarded once seen, so no backward clock can revive it.
                return self.failed(
                    account,
                    live,
                    t,
                    FailureReason::Expired { matched },
                    attempted,
                    !matched,
                    true,
                );
            }
            if !matched {
                return self.failed(
                    account,
                    live,
                    t,
                    FailureReason::WrongSecret,
                    attempted,
                    true,
                    false,
                );
            }
            // Redeemed: the code is consumed in the same transition, and it ends any old password.
            let mut ticket_bytes = [0u8; 16];
            rng.fill_bytes(&mut ticket_bytes);
            let ticket_text = otp::grouped(&base32(&ticket_bytes));
            let mut next = live.clone();
            next.ticket = Some(Ticket {
                digest: ticket_digest(ticket_text.expose()),
                expires_at: t + self.policy.otp.change_ticket_ttl,
                otp_phc: o.phc.clone(),
            });
            next.otp = None;
            next.password = None;
            next.failures = 0;
            next.temporary_lockouts = 0;
            next.locked_until = None;
            next.last_failure_at = None;
            next.high_water = t;
            return Transition {
                account: Some(account.with(next)),
                outcome: LoginOutcome::MustChangePassword(ChangeTicket(ticket_text)),
                effects: vec![audit(
                    Some(login),
                    Some(attempted),
                    AuditKind::OtpRedeemed,
                    None,
                    t,
                )],
            };
        }
        let Some(pw) = live.password.as_ref() else {
            // Nothing to verify against (the code was used and no password was set yet).
            let _ = self.kdf.verify(secret.as_bytes(), &self.dummy_phc);
            return self.failed(
                account,
                live,
                t,
                FailureReason::NoCredential,
                attempted,
                true,
                false,
            );
        };
        let normalized = match self.policy.password.normalize(secret) {
            Ok(n) => n,
            Err(_) => {
                let _ = self.kdf.verify(secret.as_bytes(), &self.dummy_phc);
                return self.failed(
                    account,
                    live,
                    t,
                    FailureReason::WrongSecret,
                    attempted,
                    true,
                    false,
                );
            }
        };
        if !self.kdf.verify(normalized.as_bytes(), &pw.phc) {
            return self.failed(
                account,
                live,
                t,
                FailureReason::WrongSecret,
                attempted,
                true,
                false,
            );
        }
        let mut next = live.clone();
        let had_failures = next.failures > 0 || next.temporary_lockouts > 0;
        next.failures = 0;
        next.temporary_lockouts = 0;
        next.locked_until = None;
        next.last_failure_at = None;
        let mut effects = vec![audit(
            Some(login),
            Some(attempted),
            AuditKind::LoginSucceeded,
            None,
            t,
        )];
        let mut changed = had_failures || t > live.high_water;
        if self.kdf.needs_rehash(&pw.phc)
            && let Ok(phc) = self.kdf.hash(normalized.as_bytes(), rng)
        {
            next.password = Some(Credential {
                phc,
                set_at: pw.set_at,
            });
            effects.push(audit(Some(login), None, AuditKind::Rehashed, None, t));
            changed = true;
        }
        next.high_water = t;
        Transition {
            account: changed.then(|| account.with(next)),
            outcome: LoginOutcome::Success,
            effects,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn failed(
        &self,
        account: &Account,
        live: &Live,
        t: OffsetDateTime,
        reason: FailureReason,
        attempted: &str,
        count: bool,
        drop_otp: bool,
    ) -> Transition<LoginOutcome> {
        let login = &account.login;
        let mut effects = vec![audit(
            Some(login),
            Some(attempted),
            AuditKind::LoginFailed,
            Some(reason),
            t,
        )];
        if !count && !drop_otp {
            return Transition {
                account: None,
                outcome: LoginOutcome::Failure,
                effects,
            };
        }
        let mut next = live.clone();
        if drop_otp {
            next.otp = None;
        }
        if !count {
            next.high_water = t;
            return Transition {
                account: Some(account.with(next)),
                outcome: LoginOutcome::Failure,
                effects,
            };
        }
        match self.policy.lockout {
            LockoutPolicy::Cooperative { threshold } => {
                next.failures = next.failures.saturating_add(1).min(threshold);
                if next.failures >= threshold {
                    next.locked = true;
                }
            }
            LockoutPolicy::Progressive {
                max_failures,
                strategy,
                wait_increment,
                max_wait,
                failure_reset,
                max_temporary_lockouts,
                quick_login_within,
                quick_login_wait,
            } => {
                if next.last_failure_at.is_some_and(|l| t - l > failure_reset) {
                    next.failures = 0;
                }
                next.failures = next.failures.saturating_add(1).min(HARD_FAILURE_CAP);
                let n = i32::from(next.failures);
                let max = i32::from(max_failures);
                let mut wait = match strategy {
                    WaitStrategy::Multiple => wait_increment * (n / max),
                    WaitStrategy::Linear if n >= max => wait_increment * (1 + n - max),
                    WaitStrategy::Linear => Duration::ZERO,
                };
                if wait > max_wait {
                    wait = max_wait;
                }
                if wait.is_zero()
                    && next
                        .last_failure_at
                        .is_some_and(|l| t - l < quick_login_within)
                {
                    wait = quick_login_wait;
                }
                if next.failures >= HARD_FAILURE_CAP {
                    next.locked = true;
                } else if wait.is_positive() {
                    next.temporary_lockouts = next.temporary_lockouts.saturating_add(1);
                    if max_temporary_lockouts > 0
                        && next.temporary_lockouts > max_temporary_lockouts
                    {
                        next.locked = true;
                    } else {
                        next.locked_until = Some(t + wait);
                    }
                }
                next.last_failure_at = Some(t);
            }
        }
        if next.locked && !live.locked {
            effects.push(notice(login, Notice::Blocked, t));
            effects.push(audit(Some(login), None, AuditKind::Locked, None, t));
        }
        next.high_water = t;
        Transition {
            account: Some(account.with(next)),
            outcome: LoginOutcome::Failure,
            effects,
        }
    }

    /// Sets the first password after a one-time-password login, with the restricted ticket.
    /// A password refused by the policy leaves the ticket usable until it expires.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let created = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?;
    /// let code = created.otp().unwrap().expose().to_owned();
    /// let t = auth.login(created.account.as_ref(), "0756555", &code, now, &mut rng);
    /// let LoginOutcome::MustChangePassword(ticket) = t.outcome else { panic!() };
    /// let account = t.account.unwrap();
    /// assert!(auth.set_new_password(&account, ticket.expose(), "short", now, &mut rng).is_err());
    /// let set = auth.set_new_password(&account, ticket.expose(), "zielone jabłka na wiosnę", now, &mut rng)?;
    /// let account = set.account.unwrap();
    /// assert_eq!(auth.login(Some(&account), "0756555", "zielone jabłka na wiosnę", now, &mut rng).outcome, LoginOutcome::Success);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_new_password<R: rand_core::CryptoRng + ?Sized>(
        &self,
        account: &Account,
        ticket: &str,
        new_password: &str,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Result<Transition<()>, PasswordChangeError> {
        let live = account.live().ok_or(PasswordChangeError::NotAllowed)?;
        let t = now.max(live.high_water);
        let stored = live
            .ticket
            .as_ref()
            .ok_or(PasswordChangeError::NotAllowed)?;
        let digest_ok: bool = ticket_digest(ticket)
            .as_bytes()
            .ct_eq(stored.digest.as_bytes())
            .into();
        if !digest_ok || t >= stored.expires_at || live.admin_block.is_some() || live.locked {
            return Err(PasswordChangeError::NotAllowed);
        }
        let nfc = self
            .policy
            .password
            .check(new_password, account.login.as_str())
            .map_err(PasswordChangeError::Rejected)?;
        if self.kdf.verify(nfc.as_bytes(), &stored.otp_phc)
            || otp::normalize(&nfc, usize::from(self.policy.otp.symbols))
                .is_some_and(|c| self.kdf.verify(c.as_bytes(), &stored.otp_phc))
        {
            return Err(PasswordChangeError::Rejected(vec![
                PasswordRejection::SameAsOtp,
            ]));
        }
        let mut next = live.clone();
        next.ticket = None;
        self.with_new_password(account, next, &nfc, t, AuditKind::PasswordSet, rng)
    }

    /// Changes the password of a logged-in resident, who gives the current one.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// # let created = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?;
    /// # let code = created.otp().unwrap().expose().to_owned();
    /// # let t = auth.login(created.account.as_ref(), "0756555", &code, now, &mut rng);
    /// # let LoginOutcome::MustChangePassword(ticket) = t.outcome else { panic!() };
    /// # let account = auth.set_new_password(t.account.as_ref().unwrap(), ticket.expose(), "zielone jabłka na wiosnę", now, &mut rng)?.account.unwrap();
    /// let same = auth.change_password(&account, "zielone jabłka na wiosnę", "zielone jabłka na wiosnę", now, &mut rng);
    /// assert_eq!(same.unwrap_err(), PasswordChangeError::Rejected(vec![PasswordRejection::SameAsCurrent]));
    /// assert!(auth.change_password(&account, "zielone jabłka na wiosnę", "czerwone gruszki latem", now, &mut rng).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn change_password<R: rand_core::CryptoRng + ?Sized>(
        &self,
        account: &Account,
        current: &str,
        new_password: &str,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Result<Transition<()>, PasswordChangeError> {
        let live = account.live().ok_or(PasswordChangeError::NotAllowed)?;
        let t = now.max(live.high_water);
        let blocked = live.admin_block.is_some() || live.locked;
        let current_nfc = self
            .policy
            .password
            .normalize(current)
            .map_err(|_| PasswordChangeError::NotAllowed)?;
        let ok = match &live.password {
            Some(pw) => self.kdf.verify(current_nfc.as_bytes(), &pw.phc),
            None => {
                let _ = self.kdf.verify(current_nfc.as_bytes(), &self.dummy_phc);
                false
            }
        };
        if !ok || blocked {
            return Err(PasswordChangeError::NotAllowed);
        }
        let nfc = self
            .policy
            .password
            .check(new_password, account.login.as_str())
            .map_err(PasswordChangeError::Rejected)?;
        if *nfc == *current_nfc {
            return Err(PasswordChangeError::Rejected(vec![
                PasswordRejection::SameAsCurrent,
            ]));
        }
        self.with_new_password(
            account,
            live.clone(),
            &nfc,
            t,
            AuditKind::PasswordChanged,
            rng,
        )
    }

    /// The account with `next` given a new password (`nfc`, already checked) at `t`: the
    /// resident is told, other sessions end, and the change is audited as `kind`.
    fn with_new_password<R: rand_core::CryptoRng + ?Sized>(
        &self,
        account: &Account,
        mut next: Live,
        nfc: &str,
        t: OffsetDateTime,
        kind: AuditKind,
        rng: &mut R,
    ) -> Result<Transition<()>, PasswordChangeError> {
        let phc = self.kdf.hash(nfc.as_bytes(), rng)?;
        next.password = Some(Credential { phc, set_at: t });
        next.high_water = t;
        Ok(Transition {
            account: Some(account.with(next)),
            outcome: (),
            effects: vec![
                notice(&account.login, Notice::PasswordChanged, t),
                Effect::RevokeSessions(RevokeScope::Others),
                audit(Some(&account.login), None, kind, None, t),
            ],
        })
    }

    /// Issues a new one-time password (re-issue): cancels the previous code, lifts a lockout,
    /// and — with [`ReissueEffect::InvalidateImmediately`] — ends the current password.
    /// Refused for a closed account and for one blocked for misuse (lift that block first).
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let first = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?;
    /// let old = first.otp().unwrap().expose().to_owned();
    /// let again = auth.issue_otp(first.account.as_ref().unwrap(), Channel::InPerson, ReissueEffect::InvalidateImmediately, now, &mut rng)?;
    /// assert_eq!(again.account.as_ref().unwrap().generation(), 2);
    /// assert_eq!(auth.login(again.account.as_ref(), "0756555", &old, now, &mut rng).outcome, LoginOutcome::Failure);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn issue_otp<R: rand_core::CryptoRng + ?Sized>(
        &self,
        account: &Account,
        channel: Channel,
        effect: ReissueEffect,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Result<Transition<()>, AccessError> {
        let live = account.live().ok_or(AccessError::Closed)?;
        if live.admin_block.is_some() {
            return Err(AccessError::AdminBlocked);
        }
        let t = now.max(live.high_water);
        let target = Self::target(&live.contacts, channel)?;
        let (code, phc) = self.new_otp(rng)?;
        let mut next = live.clone();
        let was_locked = next.locked;
        next.otp = Some(self.otp_record(phc, channel, t, Activation::Immediate));
        next.ticket = None;
        next.failures = 0;
        next.locked = false;
        next.temporary_lockouts = 0;
        next.locked_until = None;
        next.last_failure_at = None;
        if effect == ReissueEffect::InvalidateImmediately {
            next.password = None;
        }
        next.recent_issuances
            .retain(|i| t - i.0 < Duration::hours(24));
        next.recent_issuances.push(OffsetDateTimeSer(t));
        next.high_water = t;
        let mut updated = account.with(next);
        updated.generation = account.generation.saturating_add(1);
        let mut effects = vec![
            Effect::Deliver {
                channel,
                target,
                otp: code,
            },
            notice(&account.login, Notice::OtpIssued, t),
        ];
        if was_locked {
            effects.push(notice(&account.login, Notice::Unblocked, t));
        }
        effects.push(Effect::RevokeSessions(match effect {
            ReissueEffect::InvalidateImmediately => RevokeScope::All,
            ReissueEffect::KeepPasswordUntilRedeemed => RevokeScope::Others,
        }));
        effects.push(audit(
            Some(&account.login),
            None,
            AuditKind::OtpIssued,
            None,
            t,
        ));
        Ok(Transition {
            account: Some(updated),
            outcome: (),
            effects,
        })
    }

    /// Blocks the account for misuse (seed rule 3). Only [`Authenticator::lift_admin_block`] lifts it.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?.account.unwrap();
    /// let a = auth.admin_block(&a, "staff-17", now)?.account.unwrap();
    /// assert_eq!(a.status(now), AccountStatus::AdminBlocked);
    /// assert!(auth.issue_otp(&a, Channel::InPerson, ReissueEffect::InvalidateImmediately, now, &mut rng).is_err());
    /// let a = auth.lift_admin_block(&a, "staff-17", now)?.account.unwrap();
    /// assert_ne!(a.status(now), AccountStatus::AdminBlocked);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn admin_block(
        &self,
        account: &Account,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Transition<()>, AccessError> {
        let live = account.live().ok_or(AccessError::Closed)?;
        if live.admin_block.is_some() {
            return Ok(Transition {
                account: None,
                outcome: (),
                effects: vec![],
            });
        }
        let t = now.max(live.high_water);
        let mut next = live.clone();
        next.admin_block = Some(AdminBlock {
            by: by.chars().take(64).collect(),
            at: t,
        });
        next.ticket = None;
        next.high_water = t;
        Ok(Transition {
            account: Some(account.with(next)),
            outcome: (),
            effects: vec![
                notice(&account.login, Notice::AdminBlocked, t),
                Effect::RevokeSessions(RevokeScope::All),
                audit(Some(&account.login), None, AuditKind::AdminBlocked, None, t),
            ],
        })
    }

    /// Lifts a block for misuse.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?.account.unwrap();
    /// assert!(auth.lift_admin_block(&a, "staff", now)?.account.is_none()); // nothing to lift
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lift_admin_block(
        &self,
        account: &Account,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Transition<()>, AccessError> {
        let live = account.live().ok_or(AccessError::Closed)?;
        if live.admin_block.is_none() {
            return Ok(Transition {
                account: None,
                outcome: (),
                effects: vec![],
            });
        }
        let t = now.max(live.high_water);
        let mut next = live.clone();
        next.admin_block = None;
        next.high_water = t;
        let _ = by;
        Ok(Transition {
            account: Some(account.with(next)),
            outcome: (),
            effects: vec![
                notice(&account.login, Notice::Unblocked, t),
                audit(
                    Some(&account.login),
                    None,
                    AuditKind::AdminUnblocked,
                    None,
                    t,
                ),
            ],
        })
    }

    /// Closes the account at the owner's written request (seed rule 2): hashes, contacts and
    /// counters are erased, a tombstone is kept, and nothing can reopen it.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, now, &mut rng)?.account.unwrap();
    /// let closed = auth.close(&a, now);
    /// assert!(closed.effects.iter().any(|e| matches!(e, Effect::EraseData)));
    /// let closed = closed.account.unwrap();
    /// assert_eq!(closed.status(now), AccountStatus::Closed);
    /// assert!(auth.issue_otp(&closed, Channel::InPerson, ReissueEffect::InvalidateImmediately, now, &mut rng).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(&self, account: &Account, now: OffsetDateTime) -> Transition<()> {
        let Some(live) = account.live() else {
            return Transition {
                account: None,
                outcome: (),
                effects: vec![],
            };
        };
        let t = now.max(live.high_water);
        Transition {
            account: Some(Account {
                login: account.login.clone(),
                version: account.version + 1,
                generation: account.generation,
                state: State::Closed { at: t },
            }),
            outcome: (),
            effects: vec![
                Effect::RevokeSessions(RevokeScope::All),
                Effect::EraseData,
                audit(Some(&account.login), None, AuditKind::Closed, None, t),
            ],
        }
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
    fn with(&self, live: Live) -> Account {
        Account {
            login: self.login.clone(),
            version: self.version + 1,
            generation: self.generation,
            state: State::Live(Box::new(live)),
        }
    }
}

/// When a code issued at `issued` through `channel` and activated at `activated` expires.
fn expiry(
    policy: &AccessPolicy,
    channel: Channel,
    issued: OffsetDateTime,
    activated: OffsetDateTime,
) -> OffsetDateTime {
    match channel {
        Channel::InPerson => activated + policy.otp.ttl(channel),
        _ => issued.max(activated) + policy.otp.ttl(channel),
    }
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
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
/// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Manual, visit, &mut rng)?.account.unwrap();
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
