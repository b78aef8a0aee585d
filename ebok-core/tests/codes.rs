//! Every stable `code()` equals the serde tag of the same value, so bindings and logs can use
//! `code()` and the serialized state and exports keep saying the same thing.

use ebok_core::access::{AccountStatus, Channel, Notice, PasswordRejection, RevokeScope};
use ebok_core::meters::{Quantity, ReadingWindow, Rejection, Warning};
use serde::Serialize;
use time::macros::date;

/// The serde tag: the string itself for a unit enum, the `tag` field for an internally tagged one.
fn tag<T: Serialize>(v: &T, field: &str) -> String {
    let j = serde_json::to_value(v).unwrap();
    match j.as_str() {
        Some(s) => s.to_owned(),
        None => j[field].as_str().unwrap().to_owned(),
    }
}

#[test]
fn reading_rejections_and_warnings() {
    let q = Quantity::parse("1.5").unwrap();
    let d = date!(2025 - 01 - 31);
    let rejections = [
        Rejection::UnknownMeter,
        Rejection::NotThisPremises,
        Rejection::MeterRemoved { removed_on: d },
        Rejection::BeforeInstallation { installed_on: d },
        Rejection::DateInFuture { today: d },
        Rejection::NotANumber,
        Rejection::TooManyDecimals,
        Rejection::LowerThanPrevious { previous: q, on: d },
        Rejection::HigherThanNext { next: q, on: d },
    ];
    for r in &rejections {
        assert_eq!(r.code(), tag(r, "reason"), "{r:?}");
    }
    let warnings = [
        Warning::ImplausibleJump {
            daily: q,
            average_daily: q,
        },
        Warning::LikelyDecimalSlip { factor: 1000 },
        Warning::LegalizationExpired { valid_through: d },
        Warning::OutsideReadingWindow {
            window: ReadingWindow { from: d, to: d },
        },
        Warning::Rollover { modulus: q },
    ];
    for w in &warnings {
        assert_eq!(w.code(), tag(w, "warning"), "{w:?}");
    }
}

#[test]
fn password_rejections() {
    let all = [
        PasswordRejection::TooShort { min: 15 },
        PasswordRejection::TooLong { max: 64 },
        PasswordRejection::TooManyBytes { max: 256 },
        PasswordRejection::ControlCharacter,
        PasswordRejection::UnassignedCodePoint,
        PasswordRejection::Blocklisted,
        PasswordRejection::SameAsOtp,
        PasswordRejection::SameAsCurrent,
    ];
    for r in &all {
        assert_eq!(r.code(), tag(r, "reason"), "{r:?}");
    }
}

#[test]
fn access_unit_enums() {
    use AccountStatus as S;
    for s in [
        S::AwaitingActivation,
        S::AwaitingFirstLogin,
        S::AwaitingNewPassword,
        S::Active,
        S::Locked,
        S::TemporarilyLocked,
        S::AdminBlocked,
        S::Closed,
        S::NoCredential,
    ] {
        assert_eq!(s.code(), tag(&s, ""), "{s:?}");
    }
    for n in [
        Notice::OtpIssued,
        Notice::PasswordChanged,
        Notice::Blocked,
        Notice::Unblocked,
        Notice::AdminBlocked,
    ] {
        assert_eq!(n.code(), tag(&n, ""), "{n:?}");
    }
    for c in [
        Channel::Sms,
        Channel::Email,
        Channel::Post,
        Channel::InPerson,
    ] {
        assert_eq!(c.code(), tag(&c, ""), "{c:?}");
    }
    for r in [RevokeScope::All, RevokeScope::Others] {
        assert_eq!(r.code(), tag(&r, ""), "{r:?}");
    }
}
