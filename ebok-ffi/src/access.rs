//! Resident access for an app: the login state machine with `now`, its state as JSON for the
//! host's store, and the effects the host carries out. Secrets cross only as [`SecretText`]
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

/// Something the host must do after an operation.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum AccessEffect {
    /// Deliver the transition's `otp` by this channel to this target (JSON).
    Deliver {
        /// The channel.
        channel: DeliveryChannel,
        /// The target as JSON (phone, e-mail, postal address or the office).
        target: String,
    },
    /// Tell the resident (e-mail or SMS): what happened, in Polish and English.
    Notify {
        /// The login.
        login: String,
        /// The event code.
        event: String,
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
    /// Record an audit event (JSON; never a secret).
    Audit {
        /// The event.
        event: String,
    },
}

/// What an access operation did. `account` is the new state to store (compare-and-swap on the
/// old version), or none when nothing changed.
#[derive(Debug, uniffi::Record)]
pub struct AccessTransition {
    /// The new state as JSON, to store.
    pub account: Option<String>,
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

fn account(json: &str) -> Result<Account, EbokError> {
    serde_json::from_str(json).map_err(|e| EbokError::invalid("account", "…", e))
}

fn transition<T>(
    t: Transition<T>,
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
                    target: serde_json::to_string(&target).unwrap_or_default(),
                }
            }
            Effect::Notify { login, event, .. } => AccessEffect::Notify {
                login: login.to_string(),
                event: event.code().to_owned(),
                message_pl: event.message(CoreLanguage::Polish).to_owned(),
                message_en: event.message(CoreLanguage::English).to_owned(),
            },
            Effect::RevokeSessions(scope) => AccessEffect::RevokeSessions {
                all: matches!(scope, ebok_core::access::RevokeScope::All),
            },
            Effect::EraseData => AccessEffect::EraseData,
            Effect::Audit(a) => AccessEffect::Audit {
                event: serde_json::to_string(&a).unwrap_or_default(),
            },
        });
    }
    Ok(AccessTransition {
        account: t
            .account
            .map(|a| serde_json::to_string(&a))
            .transpose()
            .map_err(|e| EbokError::AccessRefused {
                reason: e.to_string(),
            })?,
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
            instant(now)?,
            &mut *self.rng(),
        )?;
        transition(t, LoginResult::NotALogin, None, ("", ""))
    }

    /// Activates access issued with manual activation (within 48 hours of issuing it).
    pub fn activate(
        &self,
        account: String,
        staff: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let t = self
            .inner
            .activate(&self::account(&account)?, &staff, instant(now)?)?;
        transition(t, LoginResult::NotALogin, None, ("", ""))
    }

    /// A login attempt. `account` is the stored state found for the typed identifier (none if
    /// there is none): the outcome and the time taken are the same either way.
    pub fn login(
        &self,
        account: Option<String>,
        attempted: String,
        secret: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let acc = account.as_deref().map(self::account).transpose()?;
        let secret = zeroize::Zeroizing::new(secret);
        let t = self.inner.login(
            acc.as_ref(),
            &attempted,
            &secret,
            instant(now)?,
            &mut *self.rng(),
        );
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
        transition(t, result, ticket, messages)
    }

    /// Sets the first password with the ticket of a one-time-password login.
    pub fn set_new_password(
        &self,
        account: String,
        ticket: String,
        new_password: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let (ticket, new_password) = (
            zeroize::Zeroizing::new(ticket),
            zeroize::Zeroizing::new(new_password),
        );
        let t = self.inner.set_new_password(
            &self::account(&account)?,
            &ticket,
            &new_password,
            instant(now)?,
            &mut *self.rng(),
        )?;
        transition(t, LoginResult::NotALogin, None, ("", ""))
    }

    /// Changes the password of a logged-in resident. A wrong current password is counted like a
    /// failed login: the transition's `login` is `Failure` and its `account` must be stored.
    pub fn change_password(
        &self,
        account: String,
        current: String,
        new_password: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let (current, new_password) = (
            zeroize::Zeroizing::new(current),
            zeroize::Zeroizing::new(new_password),
        );
        let t = self.inner.change_password(
            &self::account(&account)?,
            &current,
            &new_password,
            instant(now)?,
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
        transition(t, result, None, messages)
    }

    /// Issues a new one-time password (the old one stops working; a lockout is lifted).
    /// `staff`: who issues it, for the audit log.
    pub fn issue_otp(
        &self,
        account: String,
        channel: DeliveryChannel,
        staff: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let t = self.inner.issue_otp(
            &self::account(&account)?,
            channel.into(),
            ReissueEffect::InvalidateImmediately,
            &staff,
            instant(now)?,
            &mut *self.rng(),
        )?;
        transition(t, LoginResult::NotALogin, None, ("", ""))
    }

    /// Closes the account at the owner's request: nothing can reopen it. `staff`: who closes it.
    pub fn close(
        &self,
        account: String,
        staff: String,
        now: SystemTime,
    ) -> Result<AccessTransition, EbokError> {
        let t = self
            .inner
            .close(&self::account(&account)?, &staff, instant(now)?)?;
        transition(t, LoginResult::NotALogin, None, ("", ""))
    }

    /// The status of a stored account at `now`.
    pub fn status(&self, account: String, now: SystemTime) -> Result<AccountStatus, EbokError> {
        Ok(self::account(&account)?.status(instant(now)?).into())
    }

    /// Failed logins since the last success.
    pub fn failures(&self, account: String) -> Result<i32, EbokError> {
        Ok(i32::from(self::account(&account)?.failures()))
    }
}
