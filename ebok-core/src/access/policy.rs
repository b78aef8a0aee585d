//! Access policy: lockout, one-time passwords, re-issues and hashing, with the cooperatives'
//! rules as defaults and safer options where NIST/OWASP differ (security.md §6).

use serde::{Deserialize, Serialize};
use time::Duration;

use super::AccessError;
use super::kdf::HashPolicy;
use super::password::PasswordPolicy;

/// NIST SP 800-63B-4 §3.2.2: never more than 100 consecutive failures.
pub const HARD_FAILURE_CAP: u8 = 100;

/// How a one-time password reaches the resident.
///
/// ```
/// use ebok_core::access::Channel;
/// assert_eq!(Channel::Sms.polish_name(), "SMS");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A text message to the phone number on file.
    Sms,
    /// An e-mail to the address on file (seed: a password-protected file).
    Email,
    /// A letter to the postal address on file.
    Post,
    /// Handed over at the office.
    InPerson,
}

impl Channel {
    /// The stable code (the serde tag), for bindings and logs.
    ///
    /// ```
    /// use ebok_core::access::Channel;
    /// assert_eq!(Channel::InPerson.code(), "in_person");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Post => "post",
            Channel::InPerson => "in_person",
        }
    }
    /// The Polish name.
    ///
    /// ```
    /// use ebok_core::access::Channel;
    /// assert_eq!(Channel::InPerson.polish_name(), "osobiście w biurze");
    /// ```
    pub fn polish_name(self) -> &'static str {
        match self {
            Channel::Sms => "SMS",
            Channel::Email => "e-mail",
            Channel::Post => "list",
            Channel::InPerson => "osobiście w biurze",
        }
    }
}

/// What a re-issue does to the current password (security.md C2).
///
/// ```
/// use ebok_core::access::ReissueEffect;
/// assert_ne!(ReissueEffect::InvalidateImmediately, ReissueEffect::KeepPasswordUntilRedeemed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReissueEffect {
    /// The seeds' rule: a new one-time password ends the current password at once.
    InvalidateImmediately,
    /// The current password keeps working until the new one-time password is used (for
    /// remotely triggered re-issues, so that a forged request cannot lock a resident out).
    KeepPasswordUntilRedeemed,
}

/// The Keycloak wait strategies of progressive lockout.
///
/// ```
/// use ebok_core::access::WaitStrategy;
/// assert_ne!(WaitStrategy::Multiple, WaitStrategy::Linear);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitStrategy {
    /// wait = increment × (failures / max_failures), integer division.
    Multiple,
    /// wait = increment × (1 + failures − max_failures) once failures ≥ max_failures.
    Linear,
}

/// Lockout after failed logins.
///
/// ```
/// use ebok_core::access::LockoutPolicy;
/// assert_eq!(LockoutPolicy::default(), LockoutPolicy::Cooperative { threshold: 7 });
/// assert!(LockoutPolicy::Cooperative { threshold: 101 }.validate().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LockoutPolicy {
    /// The seeds' rule: `threshold` consecutive failures block the account until a new
    /// one-time password is issued; time never unblocks it. Beware: anyone who knows an
    /// identifier can block it with `threshold` wrong guesses (a denial of service that the
    /// progressive policy and self-service unblock requests mitigate).
    Cooperative {
        /// Consecutive failures that block, 1..=100 (default 7).
        threshold: u8,
    },
    /// Keycloak-style temporary lockouts with a growing wait.
    Progressive {
        /// Failures before the first wait.
        max_failures: u8,
        /// How the wait grows.
        strategy: WaitStrategy,
        /// The wait step.
        wait_increment: Duration,
        /// The longest wait.
        max_wait: Duration,
        /// A gap without failures after which the counter resets.
        failure_reset: Duration,
        /// After this many temporary lockouts the next is permanent (0: never).
        max_temporary_lockouts: u8,
        /// A failure within this time of the previous one waits at least `quick_login_wait`.
        quick_login_within: Duration,
        /// The minimum wait after a too-quick failure.
        quick_login_wait: Duration,
    },
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy::Cooperative { threshold: 7 }
    }
}

impl LockoutPolicy {
    /// Keycloak's documented example: 5 failures, 30-second steps, MULTIPLE.
    ///
    /// ```
    /// use ebok_core::access::{LockoutPolicy, WaitStrategy};
    /// assert!(LockoutPolicy::progressive(WaitStrategy::Linear).validate().is_ok());
    /// ```
    pub fn progressive(strategy: WaitStrategy) -> LockoutPolicy {
        LockoutPolicy::Progressive {
            max_failures: 5,
            strategy,
            wait_increment: Duration::seconds(30),
            max_wait: Duration::minutes(15),
            failure_reset: Duration::hours(12),
            max_temporary_lockouts: 0,
            quick_login_within: Duration::milliseconds(1000),
            quick_login_wait: Duration::seconds(60),
        }
    }

    /// Checks the policy: thresholds 1..=100, positive durations, a reset longer than the longest wait.
    ///
    /// ```
    /// use ebok_core::access::LockoutPolicy;
    /// assert!(LockoutPolicy::Cooperative { threshold: 0 }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), AccessError> {
        let bad = |reason: &str| {
            Err(AccessError::InvalidPolicy {
                reason: reason.to_owned(),
            })
        };
        match *self {
            LockoutPolicy::Cooperative { threshold } => {
                if threshold == 0 || threshold > HARD_FAILURE_CAP {
                    return bad("lockout threshold must be 1..=100");
                }
            }
            LockoutPolicy::Progressive {
                max_failures,
                wait_increment,
                max_wait,
                failure_reset,
                quick_login_within,
                quick_login_wait,
                ..
            } => {
                if max_failures == 0 || max_failures > HARD_FAILURE_CAP {
                    return bad("max_failures must be 1..=100");
                }
                if !wait_increment.is_positive()
                    || !max_wait.is_positive()
                    || !failure_reset.is_positive()
                {
                    return bad("lockout durations must be positive");
                }
                if quick_login_within.is_negative() || quick_login_wait.is_negative() {
                    return bad("quick-login durations must not be negative");
                }
                if failure_reset < max_wait {
                    return bad("failure_reset must be longer than max_wait");
                }
                let year = Duration::days(366);
                if [
                    wait_increment,
                    max_wait,
                    failure_reset,
                    quick_login_within,
                    quick_login_wait,
                ]
                .iter()
                .any(|d| *d > year)
                {
                    return bad("lockout durations must be at most a year");
                }
            }
        }
        Ok(())
    }
}

/// One-time password policy: length and lifetimes per channel (NIST §4.2.1.2 ceilings).
///
/// ```
/// use ebok_core::access::{Channel, OtpPolicy};
/// use time::Duration;
/// let p = OtpPolicy::default();
/// assert_eq!(p.symbols, 16); // 80 bits
/// assert_eq!(p.ttl(Channel::Sms), Duration::minutes(10));
/// assert_eq!(p.ttl(Channel::InPerson), Duration::days(7));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtpPolicy {
    /// Symbols per code, 13..=32 (5 bits each: at least 65 bits).
    pub symbols: u8,
    /// Lifetime of a code sent by SMS.
    pub ttl_sms: Duration,
    /// Lifetime of a code sent by e-mail.
    pub ttl_email: Duration,
    /// Lifetime of a code sent by post.
    pub ttl_post: Duration,
    /// Lifetime of a code handed over in person, counted from activation.
    pub ttl_in_person: Duration,
    /// Access is activated at the latest this long after the visit (seed: 48 hours).
    pub activation_within: Duration,
    /// Lifetime of the restricted ticket that only allows setting a new password.
    pub change_ticket_ttl: Duration,
}

impl Default for OtpPolicy {
    fn default() -> Self {
        OtpPolicy {
            symbols: 16,
            ttl_sms: Duration::minutes(10),
            ttl_email: Duration::hours(24),
            ttl_post: Duration::days(21),
            ttl_in_person: Duration::days(7),
            activation_within: Duration::hours(48),
            change_ticket_ttl: Duration::minutes(15),
        }
    }
}

impl OtpPolicy {
    /// The lifetime for a channel.
    ///
    /// ```
    /// use ebok_core::access::{Channel, OtpPolicy};
    /// assert_eq!(OtpPolicy::default().ttl(Channel::Email), time::Duration::hours(24));
    /// ```
    pub fn ttl(&self, channel: Channel) -> Duration {
        match channel {
            Channel::Sms => self.ttl_sms,
            Channel::Email => self.ttl_email,
            Channel::Post => self.ttl_post,
            Channel::InPerson => self.ttl_in_person,
        }
    }

    /// Checks the policy: at least 64 bits of entropy, positive lifetimes.
    ///
    /// ```
    /// use ebok_core::access::OtpPolicy;
    /// assert!(OtpPolicy { symbols: 12, ..OtpPolicy::default() }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), AccessError> {
        if !(13..=32).contains(&self.symbols) {
            return Err(AccessError::InvalidPolicy {
                reason: "one-time passwords need 13..=32 symbols (≥ 64 bits)".into(),
            });
        }
        let all = [
            self.ttl_sms,
            self.ttl_email,
            self.ttl_post,
            self.ttl_in_person,
            self.activation_within,
            self.change_ticket_ttl,
        ];
        if all.iter().any(|d| !d.is_positive()) {
            return Err(AccessError::InvalidPolicy {
                reason: "lifetimes must be positive".into(),
            });
        }
        // Bounded: a code for 31 days at most, activation within 7 days (the seed: 48 hours),
        // the password-change ticket for an hour at most.
        if all[..4].iter().any(|d| *d > Duration::days(31))
            || self.activation_within > Duration::days(7)
            || self.change_ticket_ttl > Duration::hours(1)
        {
            return Err(AccessError::InvalidPolicy {
                reason: "lifetimes too long: codes ≤ 31 days, activation ≤ 7 days, change ticket ≤ 1 hour".into(),
            });
        }
        Ok(())
    }
}

/// The whole access policy.
///
/// ```
/// use ebok_core::access::AccessPolicy;
/// let p = AccessPolicy::default();
/// assert!(p.validate().is_ok());
/// assert_eq!(p.max_reissues_per_day, 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessPolicy {
    /// Passwords.
    pub password: PasswordPolicy,
    /// Lockout.
    pub lockout: LockoutPolicy,
    /// One-time passwords.
    pub otp: OtpPolicy,
    /// Hashing.
    pub hash: HashPolicy,
    /// What a re-issue at the office does to the current password (default: ends it, the seeds' rule).
    pub office_reissue: ReissueEffect,
    /// What a remotely requested re-issue does (default: the password works until the new code is used).
    pub remote_reissue: ReissueEffect,
    /// At most this many one-time passwords per account in 24 hours through unblock requests.
    pub max_reissues_per_day: u8,
    /// Phone and e-mail unblock requests also need a staff member's confirmation of identity.
    pub remote_requests_need_staff: bool,
    /// Allows hashing parameters below OWASP's floor. **Tests only**: set by
    /// [`AccessPolicy::insecure_for_tests`]; a production policy with it set is a mistake.
    #[serde(default)]
    pub insecure_fast_hashing: bool,
}

impl Default for AccessPolicy {
    fn default() -> Self {
        AccessPolicy {
            password: PasswordPolicy::default(),
            lockout: LockoutPolicy::default(),
            otp: OtpPolicy::default(),
            hash: HashPolicy::default(),
            office_reissue: ReissueEffect::InvalidateImmediately,
            remote_reissue: ReissueEffect::KeepPasswordUntilRedeemed,
            max_reissues_per_day: 3,
            remote_requests_need_staff: true,
            insecure_fast_hashing: false,
        }
    }
}

impl AccessPolicy {
    /// The defaults with tiny hashing parameters, for tests only.
    ///
    /// ```
    /// use ebok_core::access::AccessPolicy;
    /// assert_eq!(AccessPolicy::insecure_for_tests().hash.m_kib, 8);
    /// ```
    pub fn insecure_for_tests() -> AccessPolicy {
        AccessPolicy {
            hash: super::kdf::HashPolicy::insecure_for_tests(),
            insecure_fast_hashing: true,
            ..AccessPolicy::default()
        }
    }

    /// Checks every part.
    ///
    /// ```
    /// use ebok_core::access::AccessPolicy;
    /// let mut p = AccessPolicy::default();
    /// p.max_reissues_per_day = 0;
    /// assert!(p.validate().is_err());
    /// // The test parameters are refused unless the test switch is set.
    /// let mut fast = AccessPolicy::insecure_for_tests();
    /// assert!(fast.validate().is_ok());
    /// fast.insecure_fast_hashing = false;
    /// assert!(fast.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), AccessError> {
        self.password.validate()?;
        self.lockout.validate()?;
        self.otp.validate()?;
        let bad = |reason: &str| {
            Err(AccessError::InvalidPolicy {
                reason: reason.to_owned(),
            })
        };
        if self.max_reissues_per_day == 0 {
            return bad("max_reissues_per_day must be at least 1");
        }
        let h = self.hash;
        // OWASP's argon2id configurations: m ≥ 7 MiB and m·t at least 7 MiB × 5 (e.g. 19 MiB, t = 2).
        let below_floor =
            h.m_kib < 7_168 || u64::from(h.m_kib) * u64::from(h.t) < 35_840 || h.p == 0;
        if below_floor && !self.insecure_fast_hashing {
            return bad(
                "argon2id parameters below OWASP's floor (e.g. m = 19456 KiB, t = 2, p = 1); set insecure_fast_hashing only in tests",
            );
        }
        if h.m_kib > 1_048_576 || h.t > 64 || h.p > 16 || !(16..=64).contains(&h.output_len) {
            return bad(
                "argon2id parameters above the supported ceiling (m ≤ 1 GiB, t ≤ 64, p ≤ 16, output 16..=64 bytes)",
            );
        }
        Ok(())
    }
}
