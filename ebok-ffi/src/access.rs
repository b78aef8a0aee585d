//! Resident access for an app: the login state machine with `now`, its state as a typed
//! [`StoredAccount`] for the host's store, and the effects the host carries out as typed values. Secrets cross only as [`SecretText`]
//! objects, which never print their content.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use ebok_core::access::{
    AccessPolicy, Account, Activation, Argon2Kdf, Authenticator as CoreAuthenticator, Channel,
    Contacts, Effect, EmailAddress, HashPolicy, LockoutPolicy, LoginOutcome, PasswordChangeError,
    PhoneNumber, ReissueEffect, Secret, Transition,
};
use ebok_core::messages::Language as CoreLanguage;
use ebok_core::premises::LoginId;
use rand::SeedableRng;
use rand::rngs::StdRng;
use time::OffsetDateTime;

use crate::error::EbokError;
use crate::kinds::{AuditKind, NoticeKind};

/// A secret to hand over (a one-time password or a password-change ticket). Its `toString`
/// and `Debug` never show it; read it with `expose()` only to deliver it.
#[derive(uniffi::Object)]
pub struct SecretText(Secret);

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretText([REDACTED])")
    }
}

#[uniffi::export]
impl SecretText {
    /// The plaintext, for delivery to the resident.
    pub fn expose(&self) -> String {
        self.0.expose().to_owned()
    }
}

/// The status of an account at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AccountStatus {
    /// Issued, waiting to be activated by the office.
    AwaitingActivation,
    /// Active, the one-time password not yet used.
    AwaitingFirstLogin,
    /// The one-time password was used; a new password must be set.
    AwaitingNewPassword,
    /// In use.
    Active,
    /// Locked after too many failed logins (the office unblocks).
    Locked,
    /// Locked for a while (progressive policy).
    TemporarilyLocked,
    /// Blocked by the cooperative for misuse.
    AdminBlocked,
    /// Closed at the owner's request.
    Closed,
    /// No usable password (the one-time password expired).
    NoCredential,
}

impl From<ebok_core::access::AccountStatus> for AccountStatus {
    fn from(s: ebok_core::access::AccountStatus) -> Self {
        use ebok_core::access::AccountStatus as S;
        match s {
            S::AwaitingActivation => AccountStatus::AwaitingActivation,
            S::AwaitingFirstLogin => AccountStatus::AwaitingFirstLogin,
            S::AwaitingNewPassword => AccountStatus::AwaitingNewPassword,
            S::Active => AccountStatus::Active,
            S::Locked => AccountStatus::Locked,
            S::TemporarilyLocked => AccountStatus::TemporarilyLocked,
            S::AdminBlocked => AccountStatus::AdminBlocked,
            S::Closed => AccountStatus::Closed,
            S::NoCredential => AccountStatus::NoCredential,
        }
    }
}

/// What a login attempt ended with. A failure looks the same for every reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LoginResult {
    /// Logged in.
    Success,
    /// Logged in with the one-time password: set a new password with the ticket.
    MustChangePassword,
    /// Refused.
    Failure,
    /// Not a login (another operation).
    NotALogin,
}

/// How a secret reaches the resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DeliveryChannel {
    /// Text message.
    Sms,
    /// E-mail.
    Email,
    /// Letter.
    Post,
    /// At the office.
    InPerson,
}

impl From<Channel> for DeliveryChannel {
    fn from(c: Channel) -> Self {
        match c {
            Channel::Sms => DeliveryChannel::Sms,
            Channel::Email => DeliveryChannel::Email,
            Channel::Post => DeliveryChannel::Post,
            Channel::InPerson => DeliveryChannel::InPerson,
        }
    }
}

impl From<DeliveryChannel> for Channel {
    fn from(c: DeliveryChannel) -> Self {
        match c {
            DeliveryChannel::Sms => Channel::Sms,
            DeliveryChannel::Email => Channel::Email,
            DeliveryChannel::Post => Channel::Post,
            DeliveryChannel::InPerson => Channel::InPerson,
        }
    }
}

/// Where a one-time password goes: the contact on file.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum DeliveryTarget {
    /// A mobile phone number (SMS).
    Phone {
        /// The number, normalised (`+48…`).
        number: String,
    },
    /// An e-mail address.
    Email {
        /// The address.
        address: String,
    },
    /// A postal address.
    Post {
        /// The address as one text.
        address: String,
    },
    /// Handed over at the office.
    Office,
}

impl From<ebok_core::access::DeliveryTarget> for DeliveryTarget {
    fn from(t: ebok_core::access::DeliveryTarget) -> Self {
        use ebok_core::access::DeliveryTarget as T;
        match t {
            T::Phone(p) => DeliveryTarget::Phone {
                number: p.as_str().to_owned(),
            },
            T::Email(e) => DeliveryTarget::Email {
                address: e.as_str().to_owned(),
            },
            T::Post(a) => DeliveryTarget::Post { address: a },
            T::Office => DeliveryTarget::Office,
        }
    }
}

/// An audit event: who, what, when, and why it failed. Never holds a password, a code or a
/// ticket.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AuditRecord {
    /// What happened.
    pub kind: AuditKind,
    /// The account concerned, when there is one.
    pub login: Option<String>,
    /// The identifier typed at a login attempt (only when it has the form of an identifier).
    pub attempted_identifier: Option<String>,
    /// The staff member who acted, for staff actions.
    pub actor: Option<String>,
    /// Why it failed (`wrong_secret`, `locked`, `expired`, …), for failures.
    pub reason: Option<String>,
    /// Why an unblock request was not acted on (`unknown_id`, `rate_limited`, …).
    pub unblock_skip: Option<String>,
    /// When.
    pub at: SystemTime,
}

/// The serde code of a unit-like core enum (its tag), for the few reasons kept as codes.
fn code_of<T: serde::Serialize>(value: &T, tag: &str) -> Option<String> {
    match serde_json::to_value(value).ok()? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Object(m) => m.get(tag).and_then(|v| v.as_str()).map(str::to_owned),
        _ => None,
    }
}

impl From<ebok_core::access::AuditEvent> for AuditRecord {
    fn from(a: ebok_core::access::AuditEvent) -> Self {
        AuditRecord {
            kind: a.kind.into(),
            login: a.login.map(|l| l.to_string()),
            attempted_identifier: a.attempted_identifier,
            actor: a.actor,
            reason: a.reason.and_then(|r| code_of(&r, "reason")),
            unblock_skip: a.unblock_skip.and_then(|u| code_of(&u, "")),
            at: a.at.into(),
        }
    }
}

/// Something the host must do after an operation.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum AccessEffect {
    /// Deliver the transition's `otp` by this channel to this target.
    Deliver {
        /// The channel.
        channel: DeliveryChannel,
        /// The contact on file.
        target: DeliveryTarget,
    },
    /// Tell the resident (e-mail or SMS): what happened, in Polish and English.
    Notify {
        /// The login.
        login: String,
        /// What happened.
        event: NoticeKind,
        /// The message in Polish.
        message_pl: String,
        /// The message in English.
        message_en: String,
    },
    /// End sessions: all of them, or all but the current one.
    RevokeSessions {
        /// All of them.
        all: bool,
    },
    /// Erase the resident's access data (closing at the owner's request).
    EraseData,
    /// Record an audit event.
    Audit {
        /// The event.
        event: AuditRecord,
    },
}

/// An account as the host stores it: the typed columns it indexes and shows (`login`, `version`
/// for compare-and-swap, `status`, `failures`, `generation`) and `state`, the sealed state to
/// store as it is and pass back (argon2id PHC hashes, never a plaintext secret). The columns are
/// checked against the state when it comes back: a mismatch is refused, never trusted.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct StoredAccount {
    /// The constant identifier.
    pub login: String,
    /// The state's version: store with compare-and-swap on the previous one.
    pub version: i64,
    /// The status at the operation's instant (call `status` for a later one).
    pub status: AccountStatus,
    /// Failed logins since the last success (7 lock the account).
    pub failures: i32,
    /// How many one-time passwords have been issued.
    pub generation: i64,
    /// The sealed state.
    pub state: String,
}

impl std::fmt::Debug for StoredAccount {
    /// The sealed state (hashes) is not printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredAccount")
            .field("login", &self.login)
            .field("version", &self.version)
            .field("status", &self.status)
            .field("failures", &self.failures)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl StoredAccount {
    fn of(a: &Account, now: OffsetDateTime) -> Result<StoredAccount, EbokError> {
        Ok(StoredAccount {
            login: a.login().to_string(),
            version: i64::try_from(a.version()).unwrap_or(i64::MAX),
            status: a.status(now).into(),
            failures: i32::from(a.failures()),
            generation: i64::from(a.generation()),
            state: serde_json::to_string(a).map_err(|e| EbokError::AccessRefused {
                reason: e.to_string(),
            })?,
        })
    }
}

/// What an access operation did. `account` is the new state to store (compare-and-swap on the
/// old version), or none when nothing changed.
#[derive(Debug, uniffi::Record)]
pub struct AccessTransition {
    /// The new state, to store (none when nothing changed).
    pub account: Option<StoredAccount>,
    /// For a login: its result.
    pub login: LoginResult,
    /// The message for the resident in Polish (for a login).
    pub message_pl: String,
    /// The message in English.
    pub message_en: String,
    /// After a one-time-password login: the ticket that allows only setting a password.
    pub ticket: Option<Arc<SecretText>>,
    /// A one-time password this operation issued, to deliver as the effects say.
    pub otp: Option<Arc<SecretText>>,
    /// What the host must do.
    pub effects: Vec<AccessEffect>,
}

/// How the authenticator is set up.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AccessSettings {
    /// Failed logins before the account locks (the cooperatives' rule: 7).
    pub lockout_threshold: i32,
    /// Tiny argon2 parameters: tests only.
    pub insecure_fast_hashing: bool,
    /// A fixed random seed: tests only (none: the operating system's generator).
    pub seed: Option<i64>,
}

/// The access state machine with its policy, argon2id and a random source.
#[derive(uniffi::Object)]
pub struct Authenticator {
    inner: CoreAuthenticator<Argon2Kdf>,
    rng: Mutex<StdRng>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Authenticator({:?})", self.inner.policy().lockout)
    }
}

/// An instant from the platform, or a typed error for one the library cannot represent
/// (before year −9999 or after 9999), never a panic.
fn instant(t: SystemTime) -> Result<OffsetDateTime, EbokError> {
    let out_of_range =
        || EbokError::invalid("now", "", "is outside the years the library supports");
    let nanos: i128 = match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i128::try_from(d.as_nanos()).map_err(|_| out_of_range())?,
        Err(e) => -i128::try_from(e.duration().as_nanos()).map_err(|_| out_of_range())?,
    };
    OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|_| out_of_range())
}

/// The account a stored record holds; its typed columns must agree with its sealed state.
fn account(stored: &StoredAccount) -> Result<Account, EbokError> {
    let a: Account = serde_json::from_str(&stored.state)
        .map_err(|e| EbokError::invalid("account.state", "…", e))?;
    let agrees = a.login().as_str() == stored.login
        && i64::try_from(a.version()).ok() == Some(stored.version)
        && i32::from(a.failures()) == stored.failures
        && i64::from(a.generation()) == stored.generation;
    if !agrees {
        return Err(EbokError::invalid(
            "account",
            &stored.login,
            "its columns do not agree with its sealed state (a changed or mixed-up record)",
        ));
    }
    Ok(a)
}

fn transition<T>(
    t: Transition<T>,
    now: OffsetDateTime,
    login: LoginResult,
    ticket: Option<Secret>,
    messages: (&str, &str),
) -> Result<AccessTransition, EbokError> {
    let mut otp = None;
    let mut effects = Vec::with_capacity(t.effects.len());
    for e in t.effects {
        effects.push(match e {
            Effect::Deliver {
                channel,
                target,
                otp: secret,
            } => {
                otp = Some(Arc::new(SecretText(secret)));
                AccessEffect::Deliver {
                    channel: channel.into(),
                    target: target.into(),
                }
            }
            Effect::Notify { login, event, .. } => AccessEffect::Notify {
                login: login.to_string(),
                event: event.into(),
                message_pl: event.message(CoreLanguage::Polish).to_owned(),
                message_en: event.message(CoreLanguage::English).to_owned(),
            },
            Effect::RevokeSessions(scope) => AccessEffect::RevokeSessions {
                all: matches!(scope, ebok_core::access::RevokeScope::All),
            },
            Effect::EraseData => AccessEffect::EraseData,
            Effect::Audit(a) => AccessEffect::Audit { event: a.into() },
        });
    }
    Ok(AccessTransition {
        account: t
            .account
            .as_ref()
            .map(|a| StoredAccount::of(a, now))
            .transpose()?,
        login,
        message_pl: messages.0.to_owned(),
        message_en: messages.1.to_owned(),
        ticket: ticket.map(|t| Arc::new(SecretText(t))),
        otp,
        effects,
    })
}

impl Authenticator {
    fn rng(&self) -> std::sync::MutexGuard<'_, StdRng> {
        self.rng.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[uniffi::export]
impl Authenticator {
    /// An authenticator with the cooperative's policy: lockout after `lockout_threshold`
    /// failed logins, argon2id, passwords of at least 15 characters.
    #[uniffi::constructor]
    pub fn new(settings: AccessSettings) -> Result<Arc<Authenticator>, EbokError> {
        let mut policy = AccessPolicy {
            lockout: LockoutPolicy::Cooperative {
                threshold: u8::try_from(settings.lockout_threshold)
                    .ok()
                    .filter(|t| *t > 0)
                    .ok_or_else(|| {
                        EbokError::invalid(
                            "lockout_threshold",
                            &settings.lockout_threshold.to_string(),
                            "must be 1 to 255",
                        )
                    })?,
            },
            ..AccessPolicy::default()
        };
        if settings.insecure_fast_hashing {
            policy.hash = HashPolicy::insecure_for_tests();
            policy.insecure_fast_hashing = true;
        }
        let mut rng = match settings.seed {
            Some(s) => StdRng::seed_from_u64(s.cast_unsigned()),
            None => StdRng::try_from_rng(&mut rand::rngs::SysRng).map_err(|e| {
                EbokError::AccessRefused {
                    reason: format!("no randomness from the operating system: {e}"),
                }
            })?,
        };
        let kdf = Argon2Kdf::new(policy.hash)?;
        let inner = CoreAuthenticator::new(policy, kdf, &mut rng)?;
        Ok(Arc::new(Authenticator {
            inner,
            rng: Mutex::new(rng),
        }))
    }

    /// Issues access at the office: the constant identifier `login` and a one-time password
    /// (the transition's `otp`), to be delivered by `channel`. `manual_activation`: the office
    /// activates it later (within 48 hours). `staff`: who issues it, for the audit log.
    #[allow(clippy::too_many_arguments)]
    pub fn create_account(
        &self,
        login: String,
        now: SystemTime,
        channel: DeliveryChannel,
        manual_activation: bool,
        phone: Option<String>,
        email: Option<String>,
        staff: String,
    ) -> Result<AccessTransition, EbokError> {
        let now = instant(now)?;
        let id = LoginId::new(&login).map_err(|e| EbokError::invalid("login", &login, e))?;
        let contacts = Contacts {
            phone: phone.as_deref().map(PhoneNumber::new).transpose()?,
            email: email.as_deref().map(EmailAddress::new).transpose()?,
            postal: None,
        };
        let activation = if manual_activation {
            Activation::Manual
        } else {
            Activation::Immediate
        };
        let t = self.inner.create_account(
            id,
            contacts,
            channel.into(),
            activation,
            &staff,
            now,
            &mut *self.rng(),
        )?;
        transition(t, now, LoginResult::NotALogin, None, ("", ""))
    }

    /// Activates access issued with manual activation (within 48 hours of issuing it).
    pub fn activate(
        &self,
        account: StoredAccount,
        staff: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let now = instant(now)?;
        let t = self
            .inner
            .activate(&self::account(&account)?, &staff, now)?;
        transition(t, now, LoginResult::NotALogin, None, ("", ""))
    }

    /// A login attempt. `account` is the stored state found for the typed identifier (none if
    /// there is none): the outcome and the time taken are the same either way.
    pub fn login(
        &self,
        account: Option<StoredAccount>,
        attempted: String,
        secret: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let now = instant(now)?;
        let acc = account.as_ref().map(self::account).transpose()?;
        let secret = zeroize::Zeroizing::new(secret);
        let t = self
            .inner
            .login(acc.as_ref(), &attempted, &secret, now, &mut *self.rng());
        let messages = (
            t.outcome.message(CoreLanguage::Polish),
            t.outcome.message(CoreLanguage::English),
        );
        let (result, ticket) = match &t.outcome {
            LoginOutcome::Success => (LoginResult::Success, None),
            LoginOutcome::MustChangePassword(ticket) => (
                LoginResult::MustChangePassword,
                Some(Secret::new(ticket.expose().to_owned())),
            ),
            LoginOutcome::Failure => (LoginResult::Failure, None),
        };
        let t = Transition {
            account: t.account,
            outcome: (),
            effects: t.effects,
        };
        transition(t, now, result, ticket, messages)
    }

    /// Sets the first password with the ticket of a one-time-password login.
    pub fn set_new_password(
        &self,
        account: StoredAccount,
        ticket: String,
        new_password: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let now = instant(now)?;
        let (ticket, new_password) = (
            zeroize::Zeroizing::new(ticket),
            zeroize::Zeroizing::new(new_password),
        );
        let t = self.inner.set_new_password(
            &self::account(&account)?,
            &ticket,
            &new_password,
            now,
            &mut *self.rng(),
        )?;
        transition(t, now, LoginResult::NotALogin, None, ("", ""))
    }

    /// Changes the password of a logged-in resident. A wrong current password is counted like a
    /// failed login: the transition's `login` is `Failure` and its `account` must be stored.
    pub fn change_password(
        &self,
        account: StoredAccount,
        current: String,
        new_password: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let now = instant(now)?;
        let (current, new_password) = (
            zeroize::Zeroizing::new(current),
            zeroize::Zeroizing::new(new_password),
        );
        let t = self.inner.change_password(
            &self::account(&account)?,
            &current,
            &new_password,
            now,
            &mut *self.rng(),
        );
        let (result, messages) = match t.outcome {
            Ok(()) => (LoginResult::NotALogin, ("", "")),
            Err(PasswordChangeError::WrongCurrent) => (
                LoginResult::Failure,
                (
                    "Obecne hasło jest błędne.",
                    "The current password is wrong.",
                ),
            ),
            Err(e) => return Err(e.into()),
        };
        let t = Transition {
            account: t.account,
            outcome: (),
            effects: t.effects,
        };
        transition(t, now, result, None, messages)
    }

    /// Issues a new one-time password (the old one stops working; a lockout is lifted).
    /// `staff`: who issues it, for the audit log.
    pub fn issue_otp(
        &self,
        account: StoredAccount,
        channel: DeliveryChannel,
        staff: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let now = instant(now)?;
        let t = self.inner.issue_otp(
            &self::account(&account)?,
            channel.into(),
            ReissueEffect::InvalidateImmediately,
            &staff,
            now,
            &mut *self.rng(),
        )?;
        transition(t, now, LoginResult::NotALogin, None, ("", ""))
    }

    /// Closes the account at the owner's request: nothing can reopen it. `staff`: who closes it.
    pub fn close(
        &self,
        account: StoredAccount,
        staff: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let now = instant(now)?;
        let t = self.inner.close(&self::account(&account)?, &staff, now)?;
        transition(t, now, LoginResult::NotALogin, None, ("", ""))
    }

    /// The status of a stored account at `now`.
    pub fn status(
        &self,
        account: StoredAccount,
        now: SystemTime,
    ) -> Result<AccountStatus, EbokError> {
        Ok(self::account(&account)?.status(instant(now)?).into())
    }

    /// Failed logins since the last success.
    pub fn failures(&self, account: StoredAccount) -> Result<i32, EbokError> {
        Ok(i32::from(self::account(&account)?.failures()))
    }
}

/// The long calls, as `suspend` functions in Kotlin and `async` ones in Swift: each runs on a
/// thread of its own (one argon2id evaluation takes tens of milliseconds).
#[uniffi::export]
impl Authenticator {
    /// [`Authenticator::login`] off the caller's thread.
    pub async fn login_async(
        self: Arc<Self>,
        account: Option<StoredAccount>,
        attempted: String,
        secret: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        // Zeroized if the work never runs; moved (not copied) into `login`, which zeroizes it.
        let mut secret = zeroize::Zeroizing::new(secret);
        crate::background::off_thread(move || {
            self.login(account, attempted, std::mem::take(&mut *secret), now)
        })
        .await
    }

    /// [`Authenticator::set_new_password`] off the caller's thread.
    pub async fn set_new_password_async(
        self: Arc<Self>,
        account: StoredAccount,
        ticket: String,
        new_password: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let (mut ticket, mut new_password) = (
            zeroize::Zeroizing::new(ticket),
            zeroize::Zeroizing::new(new_password),
        );
        crate::background::off_thread(move || {
            let (t, p) = (
                std::mem::take(&mut *ticket),
                std::mem::take(&mut *new_password),
            );
            self.set_new_password(account, t, p, now)
        })
        .await
    }

    /// [`Authenticator::change_password`] off the caller's thread.
    pub async fn change_password_async(
        self: Arc<Self>,
        account: StoredAccount,
        current: String,
        new_password: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let (mut current, mut new_password) = (
            zeroize::Zeroizing::new(current),
            zeroize::Zeroizing::new(new_password),
        );
        crate::background::off_thread(move || {
            let (c, p) = (
                std::mem::take(&mut *current),
                std::mem::take(&mut *new_password),
            );
            self.change_password(account, c, p, now)
        })
        .await
    }
}
