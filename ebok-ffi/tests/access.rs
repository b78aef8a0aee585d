//! The access surface as Kotlin and Swift see it: the stored account is a typed record whose
//! columns must agree with its sealed state, the effects are typed values, and the long calls
//! exist as `suspend`/`async` functions that give the same results off the caller's thread.

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, SystemTime};

use ebok_ffi::{
    AccessEffect, AccessSettings, AccountStatus, AuditKind, Authenticator, DeliveryChannel,
    DeliveryTarget, EbokError, LoginResult,
};

fn block_on<F: Future>(f: F) -> F::Output {
    struct ThreadWaker(std::thread::Thread);
    impl Wake for ThreadWaker {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::park();
    }
}

fn auth() -> Arc<Authenticator> {
    Authenticator::new(AccessSettings {
        lockout_threshold: 7,
        insecure_fast_hashing: true,
        seed: Some(42),
    })
    .expect("a valid policy")
}

fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000)
}

#[test]
fn the_stored_account_is_typed_and_its_effects_are_typed_values() {
    let a = auth();
    let created = a
        .create_account(
            "0756555".into(),
            t0(),
            DeliveryChannel::Sms,
            false,
            Some("+48 531 464 544".into()),
            None,
            "anna.k".into(),
        )
        .expect("created");
    let acc = created.account.clone().expect("a new account to store");
    assert_eq!(
        (acc.login.as_str(), acc.failures, acc.generation),
        ("0756555", 0, 1)
    );
    assert_eq!(acc.status, AccountStatus::AwaitingFirstLogin);
    assert!(
        !format!("{acc:?}").contains("argon2"),
        "the sealed state is not printed"
    );
    assert!(created.effects.iter().any(|e| matches!(e,
        AccessEffect::Deliver { channel: DeliveryChannel::Sms, target: DeliveryTarget::Phone { number } } if number.ends_with("531464544"))));
    assert!(created.effects.iter().any(|e| matches!(e,
        AccessEffect::Audit { event } if event.kind == AuditKind::Created && event.actor.as_deref() == Some("anna.k"))));

    let wrong = a
        .login(
            Some(acc.clone()),
            "0756555".into(),
            "not the password".into(),
            t0(),
        )
        .expect("a failed login");
    assert_eq!(wrong.login, LoginResult::Failure);
    let after = wrong.account.expect("the failure is stored");
    assert_eq!((after.failures, after.version), (1, acc.version + 1));
    assert!(wrong.effects.iter().any(|e| matches!(e,
        AccessEffect::Audit { event } if event.kind == AuditKind::LoginFailed && event.reason.as_deref() == Some("wrong_secret"))));
}

#[test]
fn columns_that_disagree_with_the_sealed_state_are_refused() {
    let a = auth();
    let created = a
        .create_account(
            "0756555".into(),
            t0(),
            DeliveryChannel::InPerson,
            false,
            None,
            None,
            "anna.k".into(),
        )
        .expect("created");
    let failed = a
        .login(
            created.account.clone(),
            "0756555".into(),
            "not the password".into(),
            t0(),
        )
        .expect("a failed login")
        .account
        .expect("stored");
    // A host that resets the counter column, or mixes up two records, is refused.
    let reset = ebok_ffi::StoredAccount {
        failures: 0,
        ..failed.clone()
    };
    let other = ebok_ffi::StoredAccount {
        login: "0756556".into(),
        ..failed.clone()
    };
    let stale = ebok_ffi::StoredAccount {
        version: failed.version - 1,
        ..failed.clone()
    };
    for bad in [reset, other, stale] {
        let r = a.login(Some(bad), "0756555".into(), "x".into(), t0());
        assert!(
            matches!(r, Err(EbokError::InvalidInput { ref field, .. }) if field == "account"),
            "{r:?}"
        );
    }
    let garbage = ebok_ffi::StoredAccount {
        state: "{}".into(),
        ..failed
    };
    assert!(matches!(
        a.status(garbage, t0()),
        Err(EbokError::InvalidInput { .. })
    ));
}

#[test]
fn the_async_login_gives_the_same_result_as_the_blocking_one() {
    let a = auth();
    let created = a
        .create_account(
            "0756555".into(),
            t0(),
            DeliveryChannel::InPerson,
            false,
            None,
            None,
            "anna.k".into(),
        )
        .expect("created");
    let otp = created.otp.expect("a one-time password").expose();
    let acc = created.account.expect("stored");
    let sync = a
        .login(Some(acc.clone()), "0756555".into(), otp.clone(), t0())
        .expect("login");
    let asynchronous = block_on(Arc::clone(&a).login_async(Some(acc), "0756555".into(), otp, t0()))
        .expect("login");
    assert_eq!(sync.login, LoginResult::MustChangePassword);
    assert_eq!(asynchronous.login, sync.login);
    assert_eq!(
        asynchronous.account.map(|s| (s.version, s.failures)),
        sync.account.map(|s| (s.version, s.failures))
    );
    // An unknown identifier looks the same, also asynchronously.
    let unknown =
        block_on(Arc::clone(&a).login_async(None, "0799999".into(), "whatever".into(), t0()))
            .expect("answered");
    assert_eq!(unknown.login, LoginResult::Failure);
}
