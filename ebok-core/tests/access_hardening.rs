//! Issue 13, access: no unlimited guessing, every staff action attributed, the 48-hour rule,
//! trivial passwords, secrets out of logs and `Debug`, bounded policies and costs, no panic at
//! the edges of time.

use ebok_core::access::*;
use ebok_core::premises::LoginId;
use rand::SeedableRng;
use rand::rngs::StdRng;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const ID: &str = "0756555";
const GOOD: &str = "zielone jabłka na wiosnę";
const T0: OffsetDateTime = datetime!(2025-05-12 10:00 UTC);

fn rng() -> StdRng {
    StdRng::seed_from_u64(13)
}

fn auth() -> Authenticator<Argon2Kdf> {
    let policy = AccessPolicy::insecure_for_tests();
    Authenticator::new(
        policy.clone(),
        Argon2Kdf::new(policy.hash).unwrap(),
        &mut rng(),
    )
    .unwrap()
}

fn audits(effects: &[Effect]) -> Vec<&AuditEvent> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Audit(a) => Some(a),
            _ => None,
        })
        .collect()
}

/// An account with a password set.
fn active(auth: &Authenticator<Argon2Kdf>, r: &mut StdRng) -> Account {
    let created = auth
        .create_account(
            LoginId::new(ID).unwrap(),
            Contacts::default(),
            Channel::InPerson,
            Activation::Immediate,
            "anna.k",
            T0,
            r,
        )
        .unwrap();
    let code = created.otp().unwrap().expose().to_owned();
    let t = auth.login(created.account.as_ref(), ID, &code, T0, r);
    let LoginOutcome::MustChangePassword(ticket) = t.outcome else {
        panic!("{:?}", t.outcome)
    };
    auth.set_new_password(t.account.as_ref().unwrap(), ticket.expose(), GOOD, T0, r)
        .unwrap()
        .account
        .unwrap()
}

#[test]
fn a_wrong_current_password_in_a_change_counts_like_a_failed_login_and_locks() {
    let auth = auth();
    let mut r = rng();
    let mut a = active(&auth, &mut r);
    for i in 1..=7u8 {
        let t = auth.change_password(
            &a,
            "to nie jest moje hasło",
            "czerwone gruszki latem",
            T0,
            &mut r,
        );
        assert_eq!(t.outcome, Err(PasswordChangeError::WrongCurrent));
        let audit = audits(&t.effects);
        assert_eq!(audit[0].kind, AuditKind::PasswordChangeFailed);
        a = t.account.expect("the failure is stored");
        assert_eq!(a.failures(), i);
    }
    assert_eq!(a.status(T0), AccountStatus::Locked);
    // Locked: even the right current password no longer changes it, and login fails.
    let t = auth.change_password(&a, GOOD, "czerwone gruszki latem", T0, &mut r);
    assert_eq!(t.outcome, Err(PasswordChangeError::NotAllowed));
    assert_eq!(
        auth.login(Some(&a), ID, GOOD, T0, &mut r).outcome,
        LoginOutcome::Failure
    );
}

#[test]
fn every_staff_action_names_its_actor_and_a_blank_name_is_refused() {
    let auth = auth();
    let mut r = rng();
    let id = LoginId::new(ID).unwrap();
    for blank in ["", "   ", "\t"] {
        assert_eq!(
            auth.create_account(
                id.clone(),
                Contacts::default(),
                Channel::InPerson,
                Activation::Manual,
                blank,
                T0,
                &mut r
            )
            .unwrap_err(),
            AccessError::NoStaff
        );
    }
    let created = auth
        .create_account(
            id.clone(),
            Contacts::default(),
            Channel::InPerson,
            Activation::Manual,
            "anna.k",
            T0,
            &mut r,
        )
        .unwrap();
    assert_eq!(audits(&created.effects)[0].actor.as_deref(), Some("anna.k"));
    let a = created.account.unwrap();
    assert_eq!(
        auth.activate(&a, " ", T0).unwrap_err(),
        AccessError::NoStaff
    );
    let activated = auth.activate(&a, "piotr.n", T0).unwrap();
    assert_eq!(
        audits(&activated.effects)[0].actor.as_deref(),
        Some("piotr.n")
    );
    let a = activated.account.unwrap();
    let blocked = auth.admin_block(&a, "kierownik", T0).unwrap();
    assert_eq!(
        audits(&blocked.effects)[0].actor.as_deref(),
        Some("kierownik")
    );
    let a = blocked.account.unwrap();
    assert_eq!(
        auth.lift_admin_block(&a, "", T0).unwrap_err(),
        AccessError::NoStaff
    );
    let lifted = auth.lift_admin_block(&a, "kierownik", T0).unwrap();
    assert_eq!(
        audits(&lifted.effects)[0].actor.as_deref(),
        Some("kierownik")
    );
    let a = lifted.account.unwrap();
    assert_eq!(
        auth.issue_otp(
            &a,
            Channel::InPerson,
            ReissueEffect::InvalidateImmediately,
            "  ",
            T0,
            &mut r
        )
        .unwrap_err(),
        AccessError::NoStaff
    );
    let issued = auth
        .issue_otp(
            &a,
            Channel::InPerson,
            ReissueEffect::InvalidateImmediately,
            "anna.k",
            T0,
            &mut r,
        )
        .unwrap();
    assert!(
        audits(&issued.effects)
            .iter()
            .any(|e| e.actor.as_deref() == Some("anna.k"))
    );
    let a = issued.account.unwrap();
    assert_eq!(auth.close(&a, "", T0).unwrap_err(), AccessError::NoStaff);
    let closed = auth.close(&a, "anna.k", T0).unwrap();
    assert_eq!(audits(&closed.effects)[0].actor.as_deref(), Some("anna.k"));
    // A blank name is no staff confirmation of an unblock request.
    let phone = PhoneNumber::new("531464544").unwrap();
    let contacts = Contacts {
        phone: Some(phone.clone()),
        ..Contacts::default()
    };
    let b = auth
        .create_account(
            id,
            contacts,
            Channel::Sms,
            Activation::Immediate,
            "anna.k",
            T0,
            &mut r,
        )
        .unwrap()
        .account
        .unwrap();
    for evidence in [
        UnblockEvidence::InPerson { staff: "  ".into() },
        UnblockEvidence::RecordedCall {
            caller: phone.clone(),
            staff: Some(" ".into()),
        },
    ] {
        let t = auth.handle_unblock_request(Some(&b), &evidence, T0, &mut r);
        assert!(t.otp().is_none() && t.account.is_none(), "{evidence:?}");
    }
    let t = auth.handle_unblock_request(
        Some(&b),
        &UnblockEvidence::InPerson {
            staff: "anna.k".into(),
        },
        T0,
        &mut r,
    );
    assert!(t.otp().is_some());
    assert!(
        audits(&t.effects)
            .iter()
            .any(|e| e.actor.as_deref() == Some("anna.k"))
    );
}

#[test]
fn activation_is_within_48_hours_of_the_visit_at_issuance_and_at_activation() {
    let auth = auth();
    let mut r = rng();
    let id = LoginId::new(ID).unwrap();
    // A slip dated a year ahead is refused at issuance.
    let err = auth
        .create_account(
            id.clone(),
            Contacts::default(),
            Channel::InPerson,
            Activation::At(T0 + Duration::days(365)),
            "anna.k",
            T0,
            &mut r,
        )
        .unwrap_err();
    assert!(
        matches!(err, AccessError::ActivationOverdue { .. }),
        "{err:?}"
    );
    // Far in the future: refused, never a panic.
    let far = datetime!(9999-12-31 23:00 UTC);
    assert!(
        auth.create_account(
            id.clone(),
            Contacts::default(),
            Channel::InPerson,
            Activation::At(far),
            "anna.k",
            T0,
            &mut r
        )
        .is_err()
    );
    assert!(
        auth.create_account(
            id.clone(),
            Contacts::default(),
            Channel::InPerson,
            Activation::Manual,
            "anna.k",
            far,
            &mut r
        )
        .is_err()
    );
    // Manual activation 47 hours later works; 49 hours later it is refused and staff must re-issue.
    let a = auth
        .create_account(
            id,
            Contacts::default(),
            Channel::InPerson,
            Activation::Manual,
            "anna.k",
            T0,
            &mut r,
        )
        .unwrap()
        .account
        .unwrap();
    assert!(
        auth.activate(&a, "anna.k", T0 + Duration::hours(47))
            .is_ok()
    );
    let late = T0 + Duration::hours(49);
    assert!(matches!(
        auth.activate(&a, "anna.k", late),
        Err(AccessError::ActivationOverdue { .. })
    ));
    assert_eq!(a.status(late), AccountStatus::NoCredential);
    assert!(
        auth.activate(&a, "anna.k", T0 + Duration::days(365))
            .is_err()
    );
}

#[test]
fn trivial_passwords_are_refused_at_any_length_and_a_host_list_is_consulted() {
    let auth = auth();
    for trivial in [
        "1111111111111111",
        "aaaaaaaaaaaaaaaa",
        "qwertyuiopasdfghjkl",
        "password password",
        "passwordpassword1234",
        "12345678901234567890",
        "abcdefghijklmnopqrstu",
        "0987654321098765",
        "1qaz2wsx3edc4rfv5tgb",
        "haslohaslohaslohaslo",
    ] {
        assert!(auth.check_new_password(trivial, ID).is_err(), "{trivial}");
    }
    assert!(auth.check_new_password(GOOD, ID).is_ok());
    struct Breached;
    impl Blocklist for Breached {
        fn contains(&self, p: &str) -> bool {
            p == "mój kot ma na imię filemon"
        }
    }
    let auth = auth.with_blocklist(std::sync::Arc::new(Breached));
    assert_eq!(
        auth.check_new_password("Mój kot ma na imię Filemon", ID)
            .unwrap_err(),
        vec![PasswordRejection::Breached]
    );
}

#[test]
fn secrets_stay_out_of_debug_output_and_the_audit_log() {
    let auth = auth();
    let mut r = rng();
    let a = active(&auth, &mut r);
    let debug = format!("{a:?}");
    assert!(!debug.contains("$argon2id"), "{debug}");
    assert!(debug.contains("[REDACTED]"));
    // A password typed into the identifier field is not logged as typed.
    let t = auth.login(Some(&a), GOOD, "whatever it was", T0, &mut r);
    let logged = &audits(&t.effects)[0];
    assert_eq!(
        logged.attempted_identifier.as_deref(),
        Some("(not an identifier)")
    );
    let t = auth.login(None, ID, "x", T0, &mut r);
    assert_eq!(
        audits(&t.effects)[0].attempted_identifier.as_deref(),
        Some(ID)
    );
    // A new password shaped like a one-time code is refused: it could never be checked as one.
    assert_eq!(
        auth.check_new_password("7K3M-Q9XD-2HPA-V0RT", ID)
            .unwrap_err(),
        vec![PasswordRejection::LooksLikeCode]
    );
}

#[test]
fn policies_are_bounded_and_test_hashing_needs_the_switch() {
    let mut p = AccessPolicy::insecure_for_tests();
    assert!(p.validate().is_ok());
    p.insecure_fast_hashing = false;
    assert!(p.validate().is_err(), "m = 8 KiB in production");
    assert!(AccessPolicy::default().validate().is_ok());
    let mut huge = AccessPolicy::default();
    huge.otp.ttl_post = Duration::days(3650);
    assert!(huge.validate().is_err());
    let mut huge = AccessPolicy::default();
    huge.otp.activation_within = Duration::days(365);
    assert!(huge.validate().is_err());
    let mut huge = AccessPolicy::default();
    huge.hash.m_kib = 4 * 1024 * 1024;
    assert!(huge.validate().is_err());
}

#[test]
fn a_tampered_hash_asking_for_gigabytes_is_refused_not_evaluated() {
    let kdf = Argon2Kdf::new(HashPolicy::insecure_for_tests()).unwrap();
    let mut r = rng();
    let phc = kdf.hash(GOOD.as_bytes(), &mut r).unwrap();
    assert!(kdf.verify(GOOD.as_bytes(), &phc));
    // The same hash claiming m = 4 GiB: refused at once (evaluating it would allocate 4 GiB).
    let tampered = phc.replace("m=8,", "m=4194304,");
    let start = std::time::Instant::now();
    assert!(!kdf.verify(GOOD.as_bytes(), &tampered));
    assert!(start.elapsed() < std::time::Duration::from_secs(1));
}

#[test]
fn after_the_change_ticket_expires_the_status_says_to_issue_a_new_code() {
    let auth = auth();
    let mut r = rng();
    let created = auth
        .create_account(
            LoginId::new(ID).unwrap(),
            Contacts::default(),
            Channel::InPerson,
            Activation::Immediate,
            "anna.k",
            T0,
            &mut r,
        )
        .unwrap();
    let code = created.otp().unwrap().expose().to_owned();
    let t = auth.login(created.account.as_ref(), ID, &code, T0, &mut r);
    let a = t.account.unwrap();
    assert_eq!(
        a.status(T0 + Duration::minutes(14)),
        AccountStatus::AwaitingNewPassword
    );
    assert_eq!(
        a.status(T0 + Duration::minutes(16)),
        AccountStatus::NoCredential
    );
}

#[test]
fn stored_state_at_the_edges_gives_typed_errors_not_panics() {
    let auth = auth();
    let mut r = rng();
    let a = active(&auth, &mut r);
    // A stored record tampered to the last version: no transition can follow it, and none panics.
    let json = serde_json::to_string(&a).unwrap();
    let version = format!("\"version\":{}", a.version());
    assert!(json.contains(&version), "{json}");
    let at_max: Account =
        serde_json::from_str(&json.replace(&version, &format!("\"version\":{}", u64::MAX)))
            .unwrap();
    assert!(auth.admin_block(&at_max, "anna.k", T0).is_err());
    assert!(auth.close(&at_max, "anna.k", T0).is_err());
    let t = auth.login(Some(&at_max), ID, "wrong wrong wrong", T0, &mut r);
    assert_eq!(t.outcome, LoginOutcome::Failure);
    assert!(t.account.is_none());
    // The end of time: every transition answers.
    let end = datetime!(9999-12-31 23:59 UTC);
    let _ = auth.login(Some(&a), ID, GOOD, end, &mut r);
    let _ = auth.issue_otp(
        &a,
        Channel::InPerson,
        ReissueEffect::InvalidateImmediately,
        "anna.k",
        end,
        &mut r,
    );
    let _ = auth.change_password(&a, GOOD, "czerwone gruszki latem", end, &mut r);
}
