//! Resident access (dostęp do e-BOK): a constant identifier and a one-time password issued by
//! the cooperative, activation, a forced change at first login, lockout after 7 failed logins,
//! re-issue, block for misuse, and closing at the owner's request.
//!
//! The seeds' rules hold: the cooperative never knows or can recover a password (only
//! argon2id hashes are stored; a plaintext is returned once, in a [`Secret`], for delivery);
//! a lost password or a lockout is solved only by a new random one-time password, which ends
//! the previous access. Where the seeds conflict with NIST SP 800-63B-4 and OWASP ASVS 5.0,
//! the seeds' rule is the default and the safer option is a policy setting
//! (`ReissueEffect::KeepPasswordUntilRedeemed` for remote requests, progressive lockout).
//!
//! **Lockout abuse.** With guessable identifiers, anyone can block an account with seven
//! wrong guesses, and in the cooperative mode only a new one-time password unblocks it. The
//! mitigations offered: [`LockoutPolicy::Progressive`] (temporary, growing waits), unblock
//! requests answered automatically when the sender matches the contact on file, and
//! re-issues that keep the working password until the new code is used.
//!
//! **No enumeration.** Unknown identifier, wrong password, blocked, not yet active, expired
//! and closed all give the same [`LoginOutcome::Failure`], after exactly one argon2
//! evaluation (a dummy hash with the current parameters where nothing real is checked). The
//! reason goes only to an [`AuditEvent`], which never holds a secret.
//!
//! ```
//! use ebok_core::access::*;
//! use ebok_core::premises::LoginId;
//! use rand::SeedableRng;
//! use time::macros::datetime;
//!
//! let mut rng = rand::rngs::StdRng::seed_from_u64(42);
//! let policy = AccessPolicy::insecure_for_tests(); // real deployments: AccessPolicy::default()
//! let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
//! let now = datetime!(2025-05-12 10:00 UTC);
//! let issued = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?;
//! let code = issued.otp().unwrap().expose().to_owned();
//! let mut account = issued.account.unwrap();
//! for _ in 0..7 {
//!     let t = auth.login(Some(&account), "0756555", "wrong", now, &mut rng);
//!     assert_eq!(t.outcome, LoginOutcome::Failure);
//!     account = t.account.unwrap_or(account);
//! }
//! assert_eq!(account.status(now), AccountStatus::Locked);
//! // Locked: even the right code fails, the same way as any other failure.
//! assert_eq!(auth.login(Some(&account), "0756555", &code, now, &mut rng).outcome, LoginOutcome::Failure);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod account;
mod contact;
mod kdf;
mod otp;
mod password;
mod policy;
mod secret;
mod unblock;

use serde::{Deserialize, Serialize, Serializer};
use time::OffsetDateTime;

pub use account::{
    Account, AccountStatus, Activation, Authenticator, ChangeTicket, PasswordChangeError,
    Transition, overdue_activations,
};
pub use contact::{Contacts, DeliveryTarget, EmailAddress, PhoneNumber};
pub use kdf::{Argon2Kdf, HashPolicy, Kdf};
pub use password::{Blocklist, NoBlocklist, PasswordPolicy, PasswordRejection};
pub use policy::{
    AccessPolicy, Channel, HARD_FAILURE_CAP, LockoutPolicy, OtpPolicy, ReissueEffect, WaitStrategy,
};
pub use secret::Secret;
pub use unblock::{Ack, SmsParseError, UnblockEvidence, parse_unblock_sms};

use crate::messages::Language;
use crate::premises::LoginId;

/// Why an access operation (not a login) was refused. Login failures never come here:
/// they are the single public [`LoginOutcome::Failure`].
///
/// ```
/// use ebok_core::access::AccessError;
/// assert_eq!(AccessError::Closed.to_string(), "the account is closed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessError {
    /// A policy setting is out of bounds.
    #[error("invalid access policy: {reason}")]
    InvalidPolicy {
        /// What is wrong.
        reason: String,
    },
    /// Hashing failed.
    #[error("hashing failed: {reason}")]
    Hashing {
        /// The hashing library's message.
        reason: String,
    },
    /// A contact is malformed.
    #[error("{value:?} is {reason}")]
    InvalidContact {
        /// The refused text (at most 32 characters).
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// There is no contact on file for the delivery channel.
    #[error("no contact on file for delivery by {channel:?}")]
    NoContactForChannel {
        /// The channel.
        channel: Channel,
    },
    /// The account is closed; nothing can change it.
    #[error("the account is closed")]
    Closed,
    /// The account is blocked for misuse; lift the block first.
    #[error("the account is blocked for misuse; lift the block first")]
    AdminBlocked,
    /// A staff action without a staff member: every staff action names who took it (ASVS 16.2.1).
    #[error(
        "a staff action needs the staff member's name (not blank, at most 64 characters, no control characters)"
    )]
    NoStaff,
    /// An instant or duration beyond what the library computes with (years after 9999).
    #[error("the time {at} is out of range")]
    TimeOutOfRange {
        /// The instant given.
        at: String,
    },
    /// Activation requested outside the 48-hour rule (seed 000): too late, or set too far ahead.
    #[error("activation is due by {due}; staff must issue a new one-time password")]
    ActivationOverdue {
        /// When activation was due.
        due: String,
    },
}

/// The public outcome of a login: exactly three values, whatever happened inside.
///
/// ```
/// use ebok_core::access::LoginOutcome;
/// use ebok_core::messages::Language;
/// assert_eq!(serde_json::to_string(&LoginOutcome::Failure).unwrap(), "\"failure\"");
/// assert!(LoginOutcome::Failure.message(Language::Polish).starts_with("Błędny identyfikator lub hasło"));
/// ```
#[derive(Debug, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Logged in.
    Success,
    /// Logged in with the one-time password: only setting a new password is allowed, with this ticket.
    MustChangePassword(ChangeTicket),
    /// Not logged in (unknown identifier, wrong secret, blocked, not active, expired or closed: one answer).
    Failure,
}

impl LoginOutcome {
    /// A message for the resident; the failure text is the same for everyone and says how to unblock.
    ///
    /// ```
    /// use ebok_core::access::LoginOutcome;
    /// use ebok_core::messages::Language;
    /// assert_eq!(LoginOutcome::Success.message(Language::English), "You are logged in.");
    /// ```
    pub fn message(&self, language: Language) -> &'static str {
        match (self, language) {
            (LoginOutcome::Success, Language::Polish) => "Zalogowano.",
            (LoginOutcome::Success, Language::English) => "You are logged in.",
            (LoginOutcome::MustChangePassword(_), Language::Polish) => {
                "Zalogowano hasłem jednorazowym. Ustal teraz własne hasło, aby korzystać z e-BOK."
            }
            (LoginOutcome::MustChangePassword(_), Language::English) => {
                "You logged in with a one-time password. Set your own password now to use the e-BOK."
            }
            (LoginOutcome::Failure, Language::Polish) => {
                "Błędny identyfikator lub hasło. Po 7 nieudanych próbach dostęp zostaje zablokowany — aby go odblokować, wyślij SMS „odblokowanie e-BOK nr identyfikacyjny …”, zadzwoń do Spółdzielni lub zgłoś się do biura."
            }
            (LoginOutcome::Failure, Language::English) => {
                "Wrong identifier or password. After 7 failed attempts access is blocked; to unblock it, send the text \"odblokowanie e-BOK nr identyfikacyjny …\", call the cooperative or visit the office."
            }
        }
    }
}

impl Serialize for LoginOutcome {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(match self {
            LoginOutcome::Success => "success",
            LoginOutcome::MustChangePassword(_) => "must_change_password",
            LoginOutcome::Failure => "failure",
        })
    }
}

/// The precise reason of a failed login: for the audit log only, never for the caller.
///
/// ```
/// use ebok_core::access::FailureReason;
/// assert_ne!(FailureReason::UnknownId, FailureReason::WrongSecret);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum FailureReason {
    /// No account for the identifier.
    UnknownId,
    /// Wrong password or code.
    WrongSecret,
    /// Blocked after too many failures.
    Locked,
    /// In a temporary lockout.
    TemporarilyLocked,
    /// Blocked for misuse.
    AdminBlocked,
    /// Access not activated yet.
    NotActive,
    /// The one-time password expired; `matched` tells whether the expired code was the right one.
    Expired {
        /// Whether the presented code matched the expired one.
        matched: bool,
    },
    /// No usable credential (code used, new password not set).
    NoCredential,
    /// The account is closed.
    Closed,
}

/// What an audit event records.
///
/// ```
/// use ebok_core::access::AuditKind;
/// assert_ne!(AuditKind::LoginFailed, AuditKind::LoginSucceeded);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// Access created at the office.
    Created,
    /// Access activated.
    Activated,
    /// A successful password login.
    LoginSucceeded,
    /// A failed login.
    LoginFailed,
    /// A one-time password was redeemed.
    OtpRedeemed,
    /// The stored hash was upgraded to the current parameters.
    Rehashed,
    /// The first password was set.
    PasswordSet,
    /// The password was changed.
    PasswordChanged,
    /// A one-time password was issued.
    OtpIssued,
    /// Locked after too many failures.
    Locked,
    /// Blocked for misuse.
    AdminBlocked,
    /// The block for misuse was lifted.
    AdminUnblocked,
    /// Closed at the owner's request.
    Closed,
    /// An unblock request was received; `reason` says whether it was acted on.
    UnblockRequest,
    /// A logged-in resident's password change failed on the current password (counted like a
    /// failed login).
    PasswordChangeFailed,
    /// The office recorded new contacts.
    ContactsChanged,
}

/// An audit event. Never holds a password, a code or a ticket.
///
/// ```
/// use ebok_core::access::{AuditEvent, AuditKind};
/// let e = AuditEvent { login: None, attempted_identifier: Some("0756555".into()), actor: None, kind: AuditKind::LoginFailed, reason: None, unblock_skip: None, at: time::macros::datetime!(2025-05-12 10:00 UTC) };
/// assert!(serde_json::to_string(&e).unwrap().contains("login_failed"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// The account concerned, when there is one.
    pub login: Option<LoginId>,
    /// The identifier that was typed, for login attempts, only when it has the form of an
    /// identifier; anything else (a password typed in the wrong field) is recorded as
    /// `(not an identifier)`, never as typed.
    pub attempted_identifier: Option<String>,
    /// The staff member who took the action, for staff actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// What happened.
    pub kind: AuditKind,
    /// Why it failed, for failures.
    pub reason: Option<FailureReason>,
    /// Why an unblock request was not acted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unblock_skip: Option<UnblockSkip>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// Why an unblock request was not acted on (audit only; the requester always gets the same [`Ack`]).
///
/// ```
/// use ebok_core::access::UnblockSkip;
/// assert_ne!(UnblockSkip::UnknownId, UnblockSkip::EvidenceMismatch);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnblockSkip {
    /// No account.
    UnknownId,
    /// The evidence does not match the contact on file, or staff did not confirm identity.
    EvidenceMismatch,
    /// Too many re-issues in 24 hours.
    RateLimited,
    /// Blocked for misuse or closed.
    NotEligible,
}

pub use unblock::UnblockOutcome;

/// Something the resident is told about (NIST §4.2.3, ASVS 6.3.7), with contact details for disputes.
///
/// ```
/// use ebok_core::access::Notice;
/// assert_ne!(Notice::OtpIssued, Notice::Blocked);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// A one-time password was issued.
    OtpIssued,
    /// The password was set or changed.
    PasswordChanged,
    /// Access was blocked after failed logins.
    Blocked,
    /// Access was unblocked.
    Unblocked,
    /// Access was blocked by the cooperative.
    AdminBlocked,
}

impl Notice {
    /// The stable code (the serde tag), for bindings and logs.
    ///
    /// ```
    /// use ebok_core::access::Notice;
    /// assert_eq!(Notice::PasswordChanged.code(), "password_changed");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Notice::OtpIssued => "otp_issued",
            Notice::PasswordChanged => "password_changed",
            Notice::Blocked => "blocked",
            Notice::Unblocked => "unblocked",
            Notice::AdminBlocked => "admin_blocked",
        }
    }
    /// The notice's text.
    ///
    /// ```
    /// use ebok_core::access::Notice;
    /// use ebok_core::messages::Language;
    /// assert!(Notice::Blocked.message(Language::Polish).contains("zablokowany"));
    /// ```
    pub fn message(self, language: Language) -> &'static str {
        let pl = language == Language::Polish;
        match self {
            Notice::OtpIssued if pl => {
                "Wygenerowano nowe hasło jednorazowe do e-BOK. Jeśli to nie Ty, skontaktuj się ze Spółdzielnią."
            }
            Notice::OtpIssued => {
                "A new one-time password for the e-BOK was issued. If this was not you, contact the cooperative."
            }
            Notice::PasswordChanged if pl => {
                "Hasło do e-BOK zostało zmienione. Jeśli to nie Ty, skontaktuj się ze Spółdzielnią."
            }
            Notice::PasswordChanged => {
                "Your e-BOK password was changed. If this was not you, contact the cooperative."
            }
            Notice::Blocked if pl => {
                "Dostęp do e-BOK został zablokowany po 7 błędnych logowaniach. Aby odblokować, wyślij SMS lub skontaktuj się ze Spółdzielnią."
            }
            Notice::Blocked => {
                "Your e-BOK access was blocked after 7 failed logins. To unblock it, send a text or contact the cooperative."
            }
            Notice::Unblocked if pl => "Dostęp do e-BOK został odblokowany.",
            Notice::Unblocked => "Your e-BOK access was unblocked.",
            Notice::AdminBlocked if pl => {
                "Spółdzielnia zablokowała dostęp do e-BOK. Skontaktuj się z biurem."
            }
            Notice::AdminBlocked => {
                "The cooperative blocked your e-BOK access. Please contact the office."
            }
        }
    }
}

/// Which sessions the host must end.
///
/// ```
/// use ebok_core::access::RevokeScope;
/// assert_ne!(RevokeScope::All, RevokeScope::Others);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevokeScope {
    /// Every session of the account.
    All,
    /// Every session but the current one.
    Others,
}

impl RevokeScope {
    /// The stable code (the serde tag), for bindings and logs.
    ///
    /// ```
    /// use ebok_core::access::RevokeScope;
    /// assert_eq!(RevokeScope::Others.code(), "others");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            RevokeScope::All => "all",
            RevokeScope::Others => "others",
        }
    }
}

/// What the host must do after a transition.
///
/// ```
/// use ebok_core::access::{Effect, RevokeScope};
/// let e = Effect::RevokeSessions(RevokeScope::All);
/// assert!(format!("{e:?}").contains("All"));
/// ```
#[derive(Debug)]
pub enum Effect {
    /// Deliver a one-time password through `channel` to `target` (a contact on file).
    Deliver {
        /// The channel.
        channel: Channel,
        /// The contact on file.
        target: DeliveryTarget,
        /// The code, grouped for typing. `Debug` prints `[REDACTED]`.
        otp: Secret,
    },
    /// Tell the resident.
    Notify {
        /// The account.
        login: LoginId,
        /// What happened.
        event: Notice,
        /// When.
        at: OffsetDateTime,
    },
    /// End sessions.
    RevokeSessions(RevokeScope),
    /// Erase the account's portal data (contacts, preferences, unposted self-readings).
    EraseData,
    /// Record this event.
    Audit(AuditEvent),
}
