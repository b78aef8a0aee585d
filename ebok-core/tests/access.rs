//! Resident access: the test plan of security.md §5 (A–F, H). The model-based test (G) is in
//! `access_model.rs`.

use std::cell::Cell;

use ebok_core::access::*;
use ebok_core::premises::LoginId;
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// Counts hash and verify evaluations (Django #20760 pattern).
#[derive(Debug)]
struct CountingKdf {
    inner: Argon2Kdf,
    verifies: Cell<usize>,
    hashes: Cell<usize>,
}

impl CountingKdf {
    fn new() -> CountingKdf {
        CountingKdf {
            inner: Argon2Kdf::new(HashPolicy::insecure_for_tests()).unwrap(),
            verifies: Cell::new(0),
            hashes: Cell::new(0),
        }
    }
}

impl Kdf for CountingKdf {
    fn hash<R: rand_core::CryptoRng + ?Sized>(
        &self,
        secret: &[u8],
        rng: &mut R,
    ) -> Result<String, AccessError> {
        self.hashes.set(self.hashes.get() + 1);
        self.inner.hash(secret, rng)
    }
    fn verify(&self, secret: &[u8], phc: &str) -> bool {
        self.verifies.set(self.verifies.get() + 1);
        self.inner.verify(secret, phc)
    }
    fn needs_rehash(&self, phc: &str) -> bool {
        self.inner.needs_rehash(phc)
    }
}

const ID: &str = "0756555";
const GOOD: &str = "zielone jabłka na wiosnę";
const T0: OffsetDateTime = datetime!(2025-05-12 10:00 UTC);

fn rng() -> StdRng {
    StdRng::seed_from_u64(2025)
}

fn phone() -> PhoneNumber {
    PhoneNumber::new("+48 531 464 544").unwrap()
}

fn contacts() -> Contacts {
    Contacts {
        phone: Some(phone()),
        email: Some(EmailAddress::new("jan@example.pl").unwrap()),
        postal: Some("ul. Przykładowa 1 m. 17, 00-001 Warszawa".into()),
    }
}

fn auth_with(policy: AccessPolicy) -> Authenticator<CountingKdf> {
    Authenticator::new(policy, CountingKdf::new(), &mut rng()).unwrap()
}

fn auth() -> Authenticator<CountingKdf> {
    auth_with(AccessPolicy::insecure_for_tests())
}

/// A fresh account and its one-time password, issued in person and active at once.
fn fresh(auth: &Authenticator<CountingKdf>, rng: &mut StdRng) -> (Account, String) {
    let t = auth
        .create_account(
            LoginId::new(ID).unwrap(),
            contacts(),
            Channel::InPerson,
            Activation::Immediate,
            "office",
            T0,
            rng,
        )
        .unwrap();
    let code = t.otp().unwrap().expose().to_owned();
    (t.account.unwrap(), code)
}

/// An active account with the password GOOD.
fn active(auth: &Authenticator<CountingKdf>, rng: &mut StdRng) -> Account {
    let (a, code) = fresh(auth, rng);
    let t = auth.login(Some(&a), ID, &code, T0, rng);
    let LoginOutcome::MustChangePassword(ticket) = t.outcome else {
        panic!("{:?}", t.outcome)
    };
    auth.set_new_password(&t.account.unwrap(), ticket.expose(), GOOD, T0, rng)
        .unwrap()
        .account
        .unwrap()
}

fn verifies(auth: &Authenticator<CountingKdf>) -> usize {
    auth.kdf().verifies.get()
}

fn hashes(auth: &Authenticator<CountingKdf>) -> usize {
    auth.kdf().hashes.get()
}

fn apply(account: Account, t: &Transition<LoginOutcome>) -> Account {
    t.account.clone().unwrap_or(account)
}

// ---------- A. Hash layer ----------

#[test]
fn t_h1_rfc9106_known_answer() {
    use argon2::{Algorithm, Argon2, AssociatedData, ParamsBuilder, Version};
    let params = ParamsBuilder::new()
        .m_cost(32)
        .t_cost(3)
        .p_cost(4)
        .data(AssociatedData::new(&[4; 12]).unwrap())
        .output_len(32)
        .build()
        .unwrap();
    let a = Argon2::new_with_secret(&[3; 8], Algorithm::Argon2id, Version::V0x13, params).unwrap();
    let mut out = [0u8; 32];
    a.hash_password_into(&[1; 32], &[2; 16], &mut out).unwrap();
    let hex: String = out.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
    );
}

#[test]
fn t_h2_libargon2_hashes_verify() {
    let kdf = Argon2Kdf::new(HashPolicy::default()).unwrap();
    for phc in [
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$PL01amPyeUuxG7H0vIr5X+qHkZvWnHmGBGXFYvh8z2E",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ] {
        assert!(kdf.verify(b"password", phc), "{phc}");
        assert!(!kdf.verify(b"Password", phc), "{phc}");
    }
}

#[test]
fn t_h3_real_parameters_in_the_phc_string() {
    let kdf = Argon2Kdf::new(HashPolicy::default()).unwrap();
    let phc = kdf.hash(GOOD.as_bytes(), &mut rng()).unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    assert!(kdf.verify(GOOD.as_bytes(), &phc));
    assert!(!kdf.needs_rehash(&phc));
}

#[test]
fn t_h5_seeded_rng_gives_identical_hashes() {
    let kdf = Argon2Kdf::new(HashPolicy::insecure_for_tests()).unwrap();
    let a = kdf.hash(b"x", &mut StdRng::seed_from_u64(42)).unwrap();
    let b = kdf.hash(b"x", &mut StdRng::seed_from_u64(42)).unwrap();
    assert_eq!(a, b);
    let mut r = rng();
    let salts: std::collections::BTreeSet<String> =
        (0..50).map(|_| kdf.hash(b"x", &mut r).unwrap()).collect();
    assert_eq!(salts.len(), 50, "fresh salt every time");
}

#[test]
fn t_h6_needs_rehash_compares_fields() {
    let cheap = HashPolicy::insecure_for_tests();
    let kdf = Argon2Kdf::new(cheap).unwrap();
    let phc = kdf.hash(b"x", &mut rng()).unwrap();
    assert!(!kdf.needs_rehash(&phc), "fresh hash under the same policy");
    for other in [
        HashPolicy { m_kib: 16, ..cheap },
        HashPolicy { t: 2, ..cheap },
        HashPolicy {
            p: 2,
            m_kib: 16,
            ..cheap
        },
        HashPolicy {
            output_len: 64,
            ..cheap
        },
    ] {
        assert!(
            Argon2Kdf::new(other).unwrap().needs_rehash(&phc),
            "{other:?}"
        );
    }
    // The whole-struct comparison would be wrong: parsed params carry an output length.
    let parsed = argon2::Params::try_from(&argon2::PasswordHash::new(&phc).unwrap()).unwrap();
    assert_ne!(parsed, argon2::Params::new(8, 1, 1, None).unwrap());
    assert!(kdf.needs_rehash(
        "$argon2i$v=19$m=8,t=1,p=1$c29tZXNhbHQ$PL01amPyeUuxG7H0vIr5X+qHkZvWnHmGBGXFYvh8z2E"
    ));
}

#[test]
fn t_h6_login_under_a_new_policy_rehashes() {
    let old = auth();
    let mut r = rng();
    let account = active(&old, &mut r);
    let newer = Authenticator::new(
        AccessPolicy {
            hash: HashPolicy {
                m_kib: 16,
                ..HashPolicy::insecure_for_tests()
            },
            ..AccessPolicy::insecure_for_tests()
        },
        Argon2Kdf::new(HashPolicy {
            m_kib: 16,
            ..HashPolicy::insecure_for_tests()
        })
        .unwrap(),
        &mut r,
    )
    .unwrap();
    let t = newer.login(Some(&account), ID, GOOD, T0, &mut r);
    assert_eq!(t.outcome, LoginOutcome::Success);
    assert!(t.audit().any(|a| a.kind == AuditKind::Rehashed));
    let json = serde_json::to_string(t.account.as_ref().unwrap()).unwrap();
    assert!(json.contains("m=16,t=1,p=1"), "{json}");
}

#[test]
fn t_h8_pepper() {
    let plain = Argon2Kdf::new(HashPolicy::insecure_for_tests()).unwrap();
    let peppered = plain.clone().with_pepper(b"pepper".to_vec());
    let a = peppered.hash(b"pw", &mut rng()).unwrap();
    let b = plain.hash(b"pw", &mut rng()).unwrap();
    assert!(peppered.verify(b"pw", &a) && !plain.verify(b"pw", &a));
    assert!(plain.verify(b"pw", &b) && !peppered.verify(b"pw", &b));
    assert!(!format!("{peppered:?}").contains("pepper\""));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn t_h3_round_trip(pw in ".{1,40}") {
        let kdf = Argon2Kdf::new(HashPolicy::insecure_for_tests()).unwrap();
        let phc = kdf.hash(pw.as_bytes(), &mut rng()).unwrap();
        prop_assert!(kdf.verify(pw.as_bytes(), &phc));
        let other = format!("{pw}x");
        prop_assert!(!kdf.verify(other.as_bytes(), &phc));
    }

    #[test]
    fn t_h7_malformed_stored_hashes_never_verify_or_panic(phc in ".{0,120}") {
        let kdf = Argon2Kdf::new(HashPolicy::insecure_for_tests()).unwrap();
        prop_assert!(!kdf.verify(b"password", &phc));
        let _ = kdf.needs_rehash(&phc);
    }
}

// ---------- B. Password policy ----------

/// A non-trivial text of `n` characters (no repeated character, sequence or keyboard row).
fn text(n: usize) -> String {
    "zielone jabłka na wiosnę, czerwone gruszki latem; "
        .chars()
        .cycle()
        .take(n)
        .collect()
}

#[test]
fn t_p1_length_boundaries() {
    let p = PasswordPolicy::default();
    assert_eq!(
        p.check(&text(14), ID).unwrap_err(),
        vec![PasswordRejection::TooShort { min: 15 }]
    );
    assert!(p.check("abcdefghijklmnx", ID).is_ok());
    let eight = PasswordPolicy {
        min_chars: 8,
        ..PasswordPolicy::default()
    };
    assert!(eight.check("abcdefx", ID).is_err());
    assert!(eight.check("abcdefgx", ID).is_ok());
    assert!(
        PasswordPolicy {
            min_chars: 7,
            ..PasswordPolicy::default()
        }
        .validate()
        .is_err()
    );
}

#[test]
fn t_p2_code_points_after_nfc() {
    let p = PasswordPolicy::default();
    // "é" written as e + combining acute counts as one code point after NFC.
    let decomposed: String = (0..15)
        .map(|i| ["e\u{301}", "a", "o\u{301}", "k", "m"][i % 5])
        .collect();
    assert!(p.check(&decomposed, ID).is_ok());
    let short: String = (0..14)
        .map(|i| ["e\u{301}", "a", "o\u{301}", "k", "m"][i % 5])
        .collect();
    assert!(p.check(&short, ID).is_err());
    // The family emoji is 5 code points.
    let family = "👨‍👩‍👧";
    assert_eq!(family.chars().count(), 5);
    assert!(p.check(&family.repeat(3), ID).is_ok());
}

#[test]
fn t_p3_maximum() {
    let p = PasswordPolicy::default();
    assert!(p.check(&text(64), ID).is_ok());
    assert!(p.check(&text(128), ID).is_ok());
    assert_eq!(
        p.check(&text(129), ID).unwrap_err(),
        vec![PasswordRejection::TooLong { max: 128 }]
    );
    assert_eq!(
        p.check(&"x".repeat(1025), ID).unwrap_err(),
        vec![PasswordRejection::TooManyBytes { max: 1024 }]
    );
}

#[test]
fn t_p5_nfc_equivalent_inputs_log_in_and_nfkc_ones_do_not() {
    let auth = auth();
    let mut r = rng();
    let (a, code) = fresh(&auth, &mut r);
    let t = auth.login(Some(&a), ID, &code, T0, &mut r);
    let LoginOutcome::MustChangePassword(ticket) = t.outcome else {
        panic!()
    };
    let composed = "zażółć gęślą jaźń ﬁ";
    let a = auth
        .set_new_password(&t.account.unwrap(), ticket.expose(), composed, T0, &mut r)
        .unwrap()
        .account
        .unwrap();
    use unicode_normalization::UnicodeNormalization;
    let decomposed: String = composed.nfd().collect();
    assert_ne!(decomposed, composed);
    assert_eq!(
        auth.login(Some(&a), ID, &decomposed, T0, &mut r).outcome,
        LoginOutcome::Success
    );
    let nfkc: String = composed.nfkc().collect(); // "ﬁ" → "fi": a different password
    assert_eq!(
        auth.login(Some(&a), ID, &nfkc, T0, &mut r).outcome,
        LoginOutcome::Failure
    );
}

#[test]
fn t_p6_no_truncation() {
    let auth = auth();
    let mut r = rng();
    let (a, code) = fresh(&auth, &mut r);
    let t = auth.login(Some(&a), ID, &code, T0, &mut r);
    let LoginOutcome::MustChangePassword(ticket) = t.outcome else {
        panic!()
    };
    let long = format!("{}a", "x".repeat(127));
    let a = auth
        .set_new_password(&t.account.unwrap(), ticket.expose(), &long, T0, &mut r)
        .unwrap()
        .account
        .unwrap();
    let other = format!("{}b", "x".repeat(127));
    assert_eq!(
        auth.login(Some(&a), ID, &other, T0, &mut r).outcome,
        LoginOutcome::Failure
    );
}

#[test]
fn t_p7_blocklist_is_whole_string_and_case_insensitive() {
    let p = PasswordPolicy {
        min_chars: 8,
        context_words: vec!["SM Odra Oława".into()],
        ..PasswordPolicy::default()
    };
    for bad in [
        "Password123",
        "ZAQ12WSX",
        "polska123",
        "0756555ebok",
        "ebok0756555",
        "07565550756555",
        "e-BOK1234",
        "sm odra oława",
        "haslo123",
    ] {
        assert_eq!(
            p.check(bad, ID).unwrap_err(),
            vec![PasswordRejection::Blocklisted],
            "{bad}"
        );
    }
    // Containing a listed word is fine: NIST says whole values, not substrings.
    assert!(p.check("mojepolska123zielone", ID).is_ok());
}

#[test]
fn t_p8_same_as_otp_and_same_as_current() {
    let auth = auth();
    let mut r = rng();
    let (a, code) = fresh(&auth, &mut r);
    let t = auth.login(Some(&a), ID, &code, T0, &mut r);
    let LoginOutcome::MustChangePassword(ticket) = t.outcome else {
        panic!()
    };
    let a = t.account.unwrap();
    let same = auth.set_new_password(&a, ticket.expose(), &code, T0, &mut r);
    assert_eq!(
        same.unwrap_err(),
        PasswordChangeError::Rejected(vec![PasswordRejection::SameAsOtp])
    );
    let a = auth
        .set_new_password(&a, ticket.expose(), GOOD, T0, &mut r)
        .unwrap()
        .account
        .unwrap();
    assert_eq!(
        auth.change_password(&a, GOOD, GOOD, T0, &mut r)
            .outcome
            .unwrap_err(),
        PasswordChangeError::Rejected(vec![PasswordRejection::SameAsCurrent])
    );
}

#[test]
fn t_p9_p10_every_rejection_has_a_reason_and_a_polish_message() {
    let p = PasswordPolicy::default();
    let with_control = format!("{}\u{7}", "a".repeat(20));
    assert!(
        p.check(&with_control, ID)
            .unwrap_err()
            .contains(&PasswordRejection::ControlCharacter)
    );
    let unassigned = format!("{}\u{0378}", "a".repeat(20));
    assert!(
        p.check(&unassigned, ID)
            .unwrap_err()
            .contains(&PasswordRejection::UnassignedCodePoint)
    );
    for r in [
        PasswordRejection::TooShort { min: 15 },
        PasswordRejection::TooLong { max: 128 },
        PasswordRejection::TooManyBytes { max: 1024 },
        PasswordRejection::ControlCharacter,
        PasswordRejection::UnassignedCodePoint,
        PasswordRejection::Blocklisted,
        PasswordRejection::SameAsOtp,
        PasswordRejection::SameAsCurrent,
    ] {
        assert!(!r.message(ebok_core::messages::Language::Polish).is_empty());
        assert!(!r.to_string().is_empty());
    }
}

proptest! {
    #[test]
    fn t_p4_no_composition_rules(pw in "[a-z0-9 ąęłóżźćńś😀]{15,60}") {
        let p = PasswordPolicy::default();
        prop_assume!(!pw.trim().is_empty());
        let r = p.check(&pw, ID);
        // Anything of 15+ printable characters passes unless it is a blocklisted whole value.
        if let Err(reasons) = r {
            prop_assert_eq!(reasons, vec![PasswordRejection::Blocklisted]);
        }
    }
}

// ---------- C. One-time passwords ----------

#[test]
fn t_o1_format_and_tolerant_parsing() {
    let auth = auth();
    let mut r = rng();
    let (a, code) = fresh(&auth, &mut r);
    assert_eq!(code.len(), 19);
    assert_eq!(code.matches('-').count(), 3);
    let symbols: String = code.replace('-', "");
    assert!(
        symbols
            .bytes()
            .all(|b| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b)),
        "{code}"
    );
    // Lower case, spaces instead of hyphens, and O/I/L read as 0/1/1 all work.
    let typed: String = symbols
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'l',
            c => c.to_ascii_lowercase(),
        })
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(matches!(
        auth.login(Some(&a), ID, &typed, T0, &mut r).outcome,
        LoginOutcome::MustChangePassword(_)
    ));
}

/// A `CryptoRng` test double that returns scripted bytes.
struct Scripted(Vec<u8>, usize);

impl rand_core::TryRng for Scripted {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for d in dst {
            *d = self.0[self.1 % self.0.len()];
            self.1 += 1;
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for Scripted {}

#[test]
fn t_o2_codes_are_uniform_by_construction() {
    // 256 is a multiple of 32, so every byte maps to exactly 8 symbols' worth: 0xFF is valid.
    let auth = auth();
    let mut scripted = Scripted(vec![0xFF, 0x00, 0x1F, 0x20], 0);
    let t = auth
        .create_account(
            LoginId::new(ID).unwrap(),
            contacts(),
            Channel::InPerson,
            Activation::Immediate,
            "office",
            T0,
            &mut scripted,
        )
        .unwrap();
    let code = t.otp().unwrap().expose().replace('-', "");
    assert_eq!(code, "Z0Z0Z0Z0Z0Z0Z0Z0");
    // Over many seeded codes every symbol appears at every position (a sanity check).
    let mut r = rng();
    let mut seen = vec![[false; 32]; 16];
    for _ in 0..600 {
        let (_, code) = fresh(&auth, &mut r);
        for (i, c) in code.replace('-', "").bytes().enumerate() {
            let k = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"
                .iter()
                .position(|&x| x == c)
                .unwrap();
            seen[i][k] = true;
        }
    }
    assert!(seen.iter().all(|pos| pos.iter().all(|&s| s)));
}

#[test]
fn t_o3_only_a_hash_is_stored_and_nothing_prints_the_code() {
    let auth = auth();
    let mut r = rng();
    let t = auth
        .create_account(
            LoginId::new(ID).unwrap(),
            contacts(),
            Channel::Sms,
            Activation::Immediate,
            "office",
            T0,
            &mut r,
        )
        .unwrap();
    let code = t.otp().unwrap().expose().to_owned();
    let plain = code.replace('-', "");
    let debug = format!("{t:?}");
    let json = serde_json::to_string(t.account.as_ref().unwrap()).unwrap();
    for text in [&debug, &json] {
        assert!(!text.contains(&code) && !text.contains(&plain), "{text}");
    }
    assert!(json.contains("$argon2id$"));
}

#[test]
fn t_o4_lifetime_by_channel() {
    let auth = auth();
    for (channel, ttl) in [
        (Channel::Sms, Duration::minutes(10)),
        (Channel::Email, Duration::hours(24)),
        (Channel::Post, Duration::days(21)),
        (Channel::InPerson, Duration::days(7)),
    ] {
        let mut r = rng();
        let t = auth
            .create_account(
                LoginId::new(ID).unwrap(),
                contacts(),
                channel,
                Activation::Immediate,
                "office",
                T0,
                &mut r,
            )
            .unwrap();
        let code = t.otp().unwrap().expose().to_owned();
        let a = t.account.unwrap();
        let just_before = auth.login(Some(&a), ID, &code, T0 + ttl - Duration::seconds(1), &mut r);
        assert!(
            matches!(just_before.outcome, LoginOutcome::MustChangePassword(_)),
            "{channel:?}"
        );
        let at_expiry = auth.login(Some(&a), ID, &code, T0 + ttl, &mut r);
        assert_eq!(
            at_expiry.outcome,
            LoginOutcome::Failure,
            "{channel:?} expires at exactly issued + ttl (exclusive)"
        );
        assert!(
            at_expiry
                .audit()
                .any(|e| e.reason == Some(FailureReason::Expired { matched: true }))
        );
    }
}

#[test]
fn t_o4_in_person_codes_run_from_activation() {
    let auth = auth();
    let mut r = rng();
    let t = auth
        .create_account(
            LoginId::new(ID).unwrap(),
            contacts(),
            Channel::InPerson,
            Activation::Manual,
            "office",
            T0,
            &mut r,
        )
        .unwrap();
    let code = t.otp().unwrap().expose().to_owned();
    let activated_at = T0 + Duration::hours(40);
    let a = auth
        .activate(&t.account.unwrap(), "office", activated_at)
        .unwrap()
        .account
        .unwrap();
    let ok = auth.login(
        Some(&a),
        ID,
        &code,
        activated_at + Duration::days(7) - Duration::seconds(1),
        &mut r,
    );
    assert!(matches!(ok.outcome, LoginOutcome::MustChangePassword(_)));
    assert_eq!(
        auth.login(
            Some(&a),
            ID,
            &code,
            activated_at + Duration::days(7),
            &mut r
        )
        .outcome,
        LoginOutcome::Failure
    );
}

#[test]
fn t_o5_single_use() {
    let auth = auth();
    let mut r = rng();
    let (a, code) = fresh(&auth, &mut r);
    let first = auth.login(Some(&a), ID, &code, T0, &mut r);
    assert!(matches!(first.outcome, LoginOutcome::MustChangePassword(_)));
    let a = first.account.unwrap();
    assert_eq!(
        auth.login(Some(&a), ID, &code, T0, &mut r).outcome,
        LoginOutcome::Failure
    );
}

#[test]
fn t_o6_reissue_cancels_the_old_code_and_password() {
    let auth = auth();
    let mut r = rng();
    let a = active(&auth, &mut r);
    let (_, _) = (0, 0);
    let t = auth
        .issue_otp(
            &a,
            Channel::Sms,
            ReissueEffect::InvalidateImmediately,
            "office",
            T0,
            &mut r,
        )
        .unwrap();
    assert!(t.effects.iter().any(|e| matches!(
        e,
        Effect::Notify {
            event: Notice::OtpIssued,
            ..
        }
    )));
    assert!(t.effects.iter().any(
        |e| matches!(e, Effect::Deliver { target: DeliveryTarget::Phone(p), .. } if *p == phone())
    ));
    let b = t.account.unwrap();
    assert_eq!(b.generation(), a.generation() + 1);
    assert_eq!(
        auth.login(Some(&b), ID, GOOD, T0, &mut r).outcome,
        LoginOutcome::Failure,
        "coop mode ends the password"
    );
}

#[test]
fn t_o6_keep_password_until_redeemed() {
    let auth = auth();
    let mut r = rng();
    let a = active(&auth, &mut r);
    let t = auth
        .issue_otp(
            &a,
            Channel::Sms,
            ReissueEffect::KeepPasswordUntilRedeemed,
            "office",
            T0,
            &mut r,
        )
        .unwrap();
    let code = t.otp().unwrap().expose().to_owned();
    let b = t.account.unwrap();
    assert_eq!(
        auth.login(Some(&b), ID, GOOD, T0, &mut r).outcome,
        LoginOutcome::Success
    );
    let redeemed = auth.login(Some(&b), ID, &code, T0, &mut r);
    assert!(matches!(
        redeemed.outcome,
        LoginOutcome::MustChangePassword(_)
    ));
    let c = redeemed.account.unwrap();
    assert_eq!(
        auth.login(Some(&c), ID, GOOD, T0, &mut r).outcome,
        LoginOutcome::Failure
    );
}

#[test]
fn t_o7_activation_delay() {
    let auth = auth();
    let mut r = rng();
    let t = auth
        .create_account(
            LoginId::new(ID).unwrap(),
            contacts(),
            Channel::InPerson,
            Activation::At(T0 + Duration::hours(24)),
            "office",
            T0,
            &mut r,
        )
        .unwrap();
    let code = t.otp().unwrap().expose().to_owned();
    let a = t.account.unwrap();
    let before = verifies(&auth);
    let early = auth.login(Some(&a), ID, &code, T0 + Duration::hours(23), &mut r);
    assert_eq!(early.outcome, LoginOutcome::Failure);
    assert!(
        early.account.is_none(),
        "no state change: the counter is untouched"
    );
    assert_eq!(verifies(&auth) - before, 1);
    assert!(
        early
            .audit()
            .any(|e| e.reason == Some(FailureReason::NotActive))
    );
    let on_time = auth.login(Some(&a), ID, &code, T0 + Duration::hours(24), &mut r);
    assert!(matches!(
        on_time.outcome,
        LoginOutcome::MustChangePassword(_)
    ));
}

#[test]
fn t_o7_overdue_activations_are_listed() {
    let auth = auth();
    let mut r = rng();
    let manual = auth
        .create_account(
            LoginId::new("0001111").unwrap(),
            contacts(),
            Channel::InPerson,
            Activation::Manual,
            "office",
            T0,
            &mut r,
        )
        .unwrap()
        .account
        .unwrap();
    let done = auth
        .create_account(
            LoginId::new("0002222").unwrap(),
            contacts(),
            Channel::InPerson,
            Activation::Immediate,
            "office",
            T0,
            &mut r,
        )
        .unwrap()
        .account
        .unwrap();
    assert!(overdue_activations([&manual, &done], T0 + Duration::hours(48)).is_empty());
    assert_eq!(
        overdue_activations([&manual, &done], T0 + Duration::hours(49)),
        vec![manual.login()]
    );
}

#[test]
fn t_o8_the_ticket_only_sets_a_password_and_expires() {
    let auth = auth();
    let mut r = rng();
    let (a, code) = fresh(&auth, &mut r);
    let t = auth.login(Some(&a), ID, &code, T0, &mut r);
    let LoginOutcome::MustChangePassword(ticket) = t.outcome else {
        panic!()
    };
    let a = t.account.unwrap();
    assert_eq!(a.status(T0), AccountStatus::AwaitingNewPassword);
    // Nothing else works: not a password login, not a password change.
    assert_eq!(
        auth.login(Some(&a), ID, GOOD, T0, &mut r).outcome,
        LoginOutcome::Failure
    );
    assert_eq!(
        auth.change_password(&a, &code, GOOD, T0, &mut r)
            .outcome
            .unwrap_err(),
        PasswordChangeError::NotAllowed
    );
    // A refused password keeps the ticket; a wrong ticket is refused; the ticket expires after 15 minutes.
    assert!(matches!(
        auth.set_new_password(&a, ticket.expose(), "short", T0, &mut r),
        Err(PasswordChangeError::Rejected(_))
    ));
    assert_eq!(
        auth.set_new_password(&a, "WRONG-TICKET", GOOD, T0, &mut r)
            .unwrap_err(),
        PasswordChangeError::NotAllowed
    );
    assert_eq!(
        auth.set_new_password(
            &a,
            ticket.expose(),
            GOOD,
            T0 + Duration::minutes(15),
            &mut r
        )
        .unwrap_err(),
        PasswordChangeError::NotAllowed
    );
    assert!(
        auth.set_new_password(
            &a,
            ticket.expose(),
            GOOD,
            T0 + Duration::minutes(14),
            &mut r
        )
        .is_ok()
    );
}

// ---------- D. Lockout ----------

fn wrong_times(
    auth: &Authenticator<CountingKdf>,
    mut a: Account,
    n: usize,
    at: OffsetDateTime,
    r: &mut StdRng,
) -> Account {
    for _ in 0..n {
        let t = auth.login(Some(&a), ID, "definitely the wrong password", at, r);
        assert_eq!(t.outcome, LoginOutcome::Failure);
        a = apply(a, &t);
    }
    a
}

#[test]
fn t_l1_seven_failures_block() {
    let auth = auth();
    let mut r = rng();
    let a = wrong_times(&auth, active(&auth, &mut r), 6, T0, &mut r);
    assert_eq!((a.failures(), a.status(T0)), (6, AccountStatus::Active));
    let t = auth.login(Some(&a), ID, "wrong again", T0, &mut r);
    assert!(t.effects.iter().any(|e| matches!(
        e,
        Effect::Notify {
            event: Notice::Blocked,
            ..
        }
    )));
    // Sessions already open end with the block; a failure on a locked account ends none.
    assert!(
        t.effects
            .iter()
            .any(|e| matches!(e, Effect::RevokeSessions(RevokeScope::All)))
    );
    let a = apply(a, &t);
    assert_eq!((a.failures(), a.status(T0)), (7, AccountStatus::Locked));
    let again = auth.login(Some(&a), ID, "wrong again", T0, &mut r);
    assert!(
        !again
            .effects
            .iter()
            .any(|e| matches!(e, Effect::RevokeSessions(_)))
    );
}

#[test]
fn t_l2_success_resets_the_counter() {
    let auth = auth();
    let mut r = rng();
    let a = wrong_times(&auth, active(&auth, &mut r), 6, T0, &mut r);
    let t = auth.login(Some(&a), ID, GOOD, T0, &mut r);
    assert_eq!(t.outcome, LoginOutcome::Success);
    let a = wrong_times(&auth, apply(a, &t), 6, T0, &mut r);
    assert_eq!(a.status(T0), AccountStatus::Active);
}

#[test]
fn t_l3_correct_password_while_blocked_fails_the_same_way() {
    let auth = auth();
    let mut r = rng();
    let a = wrong_times(&auth, active(&auth, &mut r), 7, T0, &mut r);
    let before = verifies(&auth);
    let right = auth.login(Some(&a), ID, GOOD, T0, &mut r);
    let wrong = auth.login(Some(&a), ID, "wrong", T0, &mut r);
    assert_eq!(verifies(&auth) - before, 2);
    assert_eq!(right.outcome, LoginOutcome::Failure);
    assert_eq!(
        format!("{:?}", right.outcome),
        format!("{:?}", wrong.outcome)
    );
    assert!(right.account.is_none() && wrong.account.is_none());
}

#[test]
fn t_l4_no_time_based_unlock_in_cooperative_mode() {
    let auth = auth();
    let mut r = rng();
    let a = wrong_times(&auth, active(&auth, &mut r), 7, T0, &mut r);
    let ten_years = T0 + Duration::days(3653);
    assert_eq!(
        auth.login(Some(&a), ID, GOOD, ten_years, &mut r).outcome,
        LoginOutcome::Failure
    );
    assert_eq!(a.status(ten_years), AccountStatus::Locked);
    let t = auth
        .issue_otp(
            &a,
            Channel::InPerson,
            ReissueEffect::InvalidateImmediately,
            "office",
            ten_years,
            &mut r,
        )
        .unwrap();
    assert!(t.effects.iter().any(|e| matches!(
        e,
        Effect::Notify {
            event: Notice::Unblocked,
            ..
        }
    )));
    let code = t.otp().unwrap().expose().to_owned();
    let a = t.account.unwrap();
    assert_eq!(a.failures(), 0);
    assert!(matches!(
        auth.login(Some(&a), ID, &code, ten_years, &mut r).outcome,
        LoginOutcome::MustChangePassword(_)
    ));
}

fn waits(strategy: WaitStrategy) -> Vec<i64> {
    let auth = auth_with(AccessPolicy {
        lockout: LockoutPolicy::progressive(strategy),
        ..AccessPolicy::insecure_for_tests()
    });
    let mut r = rng();
    let mut a = active(&auth, &mut r);
    let mut now = T0;
    let mut out = Vec::new();
    for _ in 0..10 {
        let t = auth.login(Some(&a), ID, "wrong", now, &mut r);
        a = apply(a, &t);
        // How long until a correct login works again?
        let wait = (0..=1200).step_by(5).find(|s| {
            let at = now + Duration::seconds(*s);
            a.status(at) != AccountStatus::TemporarilyLocked
        });
        let w = wait.unwrap_or(-1);
        out.push(w);
        now += Duration::seconds(w.max(0) + 2); // past the wait, and never a "quick" retry
    }
    out
}

#[test]
fn t_l5_progressive_multiple() {
    // Keycloak docs, max failures 5, increment 30 s: 1–4 → 0, 5–9 → 30, 10 → 60.
    assert_eq!(
        waits(WaitStrategy::Multiple),
        vec![0, 0, 0, 0, 30, 30, 30, 30, 30, 60]
    );
}

#[test]
fn t_l5_progressive_linear() {
    assert_eq!(
        waits(WaitStrategy::Linear),
        vec![0, 0, 0, 0, 30, 60, 90, 120, 150, 180]
    );
}

#[test]
fn t_l5_failures_while_waiting_do_not_count_and_the_counter_resets_after_a_gap() {
    let auth = auth_with(AccessPolicy {
        lockout: LockoutPolicy::progressive(WaitStrategy::Linear),
        ..AccessPolicy::insecure_for_tests()
    });
    let mut r = rng();
    let mut a = active(&auth, &mut r);
    let mut now = T0;
    for _ in 0..5 {
        now += Duration::seconds(2);
        let t = auth.login(Some(&a), ID, "wrong", now, &mut r);
        a = apply(a, &t);
    }
    assert_eq!(a.failures(), 5);
    let during = auth.login(Some(&a), ID, "wrong", now + Duration::seconds(10), &mut r);
    assert!(
        during.account.is_none(),
        "not counted while temporarily locked"
    );
    assert_eq!(
        auth.login(Some(&a), ID, GOOD, now + Duration::seconds(10), &mut r)
            .outcome,
        LoginOutcome::Failure
    );
    // 12 hours without failures: the counter starts again.
    let later = now + Duration::hours(13);
    let t = auth.login(Some(&a), ID, "wrong", later, &mut r);
    assert_eq!(apply(a, &t).failures(), 1);
}

#[test]
fn t_l5_quick_retries_wait_at_least_a_minute() {
    let auth = auth_with(AccessPolicy {
        lockout: LockoutPolicy::progressive(WaitStrategy::Linear),
        ..AccessPolicy::insecure_for_tests()
    });
    let mut r = rng();
    let a = active(&auth, &mut r);
    let t = auth.login(Some(&a), ID, "wrong", T0, &mut r);
    let a = apply(a, &t);
    let t = auth.login(
        Some(&a),
        ID,
        "wrong",
        T0 + Duration::milliseconds(300),
        &mut r,
    );
    let a = apply(a, &t);
    assert_eq!(
        a.status(T0 + Duration::seconds(59)),
        AccountStatus::TemporarilyLocked
    );
    assert_eq!(a.status(T0 + Duration::seconds(61)), AccountStatus::Active);
}

#[test]
fn t_l6_mixed_mode_turns_permanent() {
    let LockoutPolicy::Progressive {
        max_failures,
        strategy,
        wait_increment,
        max_wait,
        failure_reset,
        quick_login_within,
        quick_login_wait,
        ..
    } = LockoutPolicy::progressive(WaitStrategy::Multiple)
    else {
        unreachable!()
    };
    let lockout = LockoutPolicy::Progressive {
        max_failures,
        strategy,
        wait_increment,
        max_wait,
        failure_reset,
        max_temporary_lockouts: 2,
        quick_login_within,
        quick_login_wait,
    };
    let auth = auth_with(AccessPolicy {
        lockout,
        ..AccessPolicy::insecure_for_tests()
    });
    let mut r = rng();
    let mut a = active(&auth, &mut r);
    let mut now = T0;
    for _ in 0..15 {
        now += Duration::minutes(16);
        let t = auth.login(Some(&a), ID, "wrong", now, &mut r);
        a = apply(a, &t);
    }
    assert_eq!(a.status(now + Duration::days(365)), AccountStatus::Locked);
}

#[test]
fn t_l7_config_validation() {
    for threshold in [0u8, 101] {
        assert!(LockoutPolicy::Cooperative { threshold }.validate().is_err());
    }
    assert!(
        LockoutPolicy::Cooperative { threshold: 100 }
            .validate()
            .is_ok()
    );
    let LockoutPolicy::Progressive {
        strategy,
        wait_increment,
        failure_reset,
        quick_login_within,
        quick_login_wait,
        max_temporary_lockouts,
        ..
    } = LockoutPolicy::progressive(WaitStrategy::Linear)
    else {
        unreachable!()
    };
    let bad_reset = LockoutPolicy::Progressive {
        max_failures: 5,
        strategy,
        wait_increment,
        max_wait: Duration::hours(13),
        failure_reset,
        max_temporary_lockouts,
        quick_login_within,
        quick_login_wait,
    };
    assert!(bad_reset.validate().is_err());
    let zero_wait = LockoutPolicy::Progressive {
        max_failures: 5,
        strategy,
        wait_increment: Duration::ZERO,
        max_wait: Duration::minutes(15),
        failure_reset,
        max_temporary_lockouts,
        quick_login_within,
        quick_login_wait,
    };
    assert!(zero_wait.validate().is_err());
}

#[test]
fn t_l8_unknown_identifiers_create_no_state() {
    let auth = auth();
    let mut r = rng();
    for i in 0..200 {
        let t = auth.login(None, &format!("{:07}", i), "whatever", T0, &mut r);
        assert_eq!(t.outcome, LoginOutcome::Failure);
        assert!(t.account.is_none());
    }
}

#[test]
fn t_l9_clock_going_backwards() {
    let auth = auth_with(AccessPolicy {
        lockout: LockoutPolicy::progressive(WaitStrategy::Linear),
        ..AccessPolicy::insecure_for_tests()
    });
    let mut r = rng();
    let mut a = active(&auth, &mut r);
    let mut now = T0;
    for _ in 0..6 {
        now += Duration::seconds(5);
        let t = auth.login(Some(&a), ID, "wrong", now, &mut r);
        a = apply(a, &t);
    }
    assert_eq!(a.status(now), AccountStatus::TemporarilyLocked);
    // Going back in time neither shortens the wait nor unblocks.
    assert_eq!(
        a.status(now - Duration::hours(1)),
        AccountStatus::TemporarilyLocked
    );
    assert_eq!(
        auth.login(Some(&a), ID, GOOD, now - Duration::hours(1), &mut r)
            .outcome,
        LoginOutcome::Failure
    );
    // An expired code is never revived by a backward clock.
    let coop = auth_with(AccessPolicy::insecure_for_tests());
    let t = coop
        .create_account(
            LoginId::new(ID).unwrap(),
            contacts(),
            Channel::Sms,
            Activation::Immediate,
            "office",
            T0,
            &mut r,
        )
        .unwrap();
    let code = t.otp().unwrap().expose().to_owned();
    let a = t.account.unwrap();
    let late = coop.login(Some(&a), ID, "wrong", T0 + Duration::hours(1), &mut r);
    let a = apply(a, &late);
    assert_eq!(
        coop.login(Some(&a), ID, &code, T0, &mut r).outcome,
        LoginOutcome::Failure
    );
}

#[test]
fn t_l10_admin_block() {
    let auth = auth();
    let mut r = rng();
    let a = active(&auth, &mut r);
    let t = auth.admin_block(&a, "staff-3", T0).unwrap();
    assert!(t.effects.iter().any(|e| matches!(
        e,
        Effect::Notify {
            event: Notice::AdminBlocked,
            ..
        }
    )));
    let a = t.account.unwrap();
    assert_eq!(
        auth.login(Some(&a), ID, GOOD, T0, &mut r).outcome,
        LoginOutcome::Failure
    );
    assert_eq!(
        auth.issue_otp(
            &a,
            Channel::InPerson,
            ReissueEffect::InvalidateImmediately,
            "office",
            T0,
            &mut r
        )
        .unwrap_err(),
        AccessError::AdminBlocked
    );
    let a = auth
        .lift_admin_block(&a, "staff-3", T0)
        .unwrap()
        .account
        .unwrap();
    assert_eq!(
        auth.login(Some(&a), ID, GOOD, T0, &mut r).outcome,
        LoginOutcome::Success
    );
}

// ---------- E. Enumeration ----------

/// Every failing path, each with the KDF count it caused.
fn failing_paths() -> Vec<(&'static str, LoginOutcome, usize, usize)> {
    let auth = auth();
    let mut r = rng();
    let mut out = Vec::new();
    let mut run = |name: &'static str,
                   account: Option<&Account>,
                   secret: &str,
                   at: OffsetDateTime,
                   r: &mut StdRng| {
        let (v, h) = (verifies(&auth), hashes(&auth));
        let t = auth.login(account, ID, secret, at, r);
        out.push((name, t.outcome, verifies(&auth) - v, hashes(&auth) - h));
    };
    let good = active(&auth, &mut r);
    run("unknown identifier", None, GOOD, T0, &mut r);
    run(
        "wrong password",
        Some(&good),
        "wrong password here",
        T0,
        &mut r,
    );
    let (pending, code) = fresh(&auth, &mut r);
    run(
        "wrong one-time password",
        Some(&pending),
        "AAAA-AAAA-AAAA-AAAA",
        T0,
        &mut r,
    );
    run(
        "expired code, wrong secret",
        Some(&pending),
        "AAAA-AAAA-AAAA-AAAA",
        T0 + Duration::days(8),
        &mut r,
    );
    run(
        "expired code, right secret",
        Some(&pending),
        &code,
        T0 + Duration::days(8),
        &mut r,
    );
    let locked = wrong_times(&auth, active(&auth, &mut r), 7, T0, &mut r);
    run("blocked, correct password", Some(&locked), GOOD, T0, &mut r);
    run(
        "blocked, wrong password",
        Some(&locked),
        "wrong",
        T0,
        &mut r,
    );
    let admin = auth
        .admin_block(&good, "staff", T0)
        .unwrap()
        .account
        .unwrap();
    run("admin-blocked", Some(&admin), GOOD, T0, &mut r);
    let t = auth
        .create_account(
            LoginId::new(ID).unwrap(),
            contacts(),
            Channel::InPerson,
            Activation::Manual,
            "office",
            T0,
            &mut r,
        )
        .unwrap();
    let code2 = t.otp().unwrap().expose().to_owned();
    run("not yet activated", t.account.as_ref(), &code2, T0, &mut r);
    let closed = auth.close(&good, "office", T0).unwrap().account.unwrap();
    run("closed", Some(&closed), GOOD, T0, &mut r);
    out
}

#[test]
fn t_e1_one_public_failure_value() {
    let paths = failing_paths();
    assert_eq!(paths.len(), 10);
    for (name, outcome, _, _) in &paths {
        assert_eq!(*outcome, LoginOutcome::Failure, "{name}");
        assert_eq!(format!("{outcome:?}"), "Failure", "{name}");
        assert_eq!(
            serde_json::to_string(outcome).unwrap(),
            "\"failure\"",
            "{name}"
        );
    }
}

#[test]
fn t_e2_exactly_one_kdf_evaluation_on_every_path() {
    for (name, _, verify_calls, hash_calls) in failing_paths() {
        assert_eq!((verify_calls, hash_calls), (1, 0), "{name}");
    }
    let auth = auth();
    let mut r = rng();
    let a = active(&auth, &mut r);
    let v = verifies(&auth);
    assert_eq!(
        auth.login(Some(&a), ID, GOOD, T0, &mut r).outcome,
        LoginOutcome::Success
    );
    assert_eq!(verifies(&auth) - v, 1);
}

#[test]
fn t_e3_dummy_hash_uses_the_current_parameters() {
    for policy in [
        HashPolicy::insecure_for_tests(),
        HashPolicy {
            m_kib: 64,
            t: 3,
            p: 2,
            output_len: 32,
        },
    ] {
        let kdf = Argon2Kdf::new(policy).unwrap();
        let auth = Authenticator::new(
            AccessPolicy {
                hash: policy,
                ..AccessPolicy::insecure_for_tests()
            },
            kdf.clone(),
            &mut rng(),
        )
        .unwrap();
        assert!(!kdf.needs_rehash(auth.dummy_phc()), "{policy:?}");
        assert!(
            auth.dummy_phc()
                .contains(&format!("m={},t={},p={}", policy.m_kib, policy.t, policy.p))
        );
    }
}

#[test]
fn t_e5_unblock_requests_get_the_same_ack() {
    let auth = auth();
    let mut r = rng();
    let good = active(&auth, &mut r);
    let locked = wrong_times(&auth, active(&auth, &mut r), 7, T0, &mut r);
    let closed = auth.close(&good, "office", T0).unwrap().account.unwrap();
    let stranger = UnblockEvidence::Sms {
        sender: PhoneNumber::new("600100200").unwrap(),
    };
    let owner = UnblockEvidence::Sms { sender: phone() };
    let cases: Vec<(Option<&Account>, &UnblockEvidence, bool)> = vec![
        (None, &owner, false),
        (Some(&good), &owner, true),
        (Some(&locked), &owner, true),
        (Some(&locked), &stranger, false),
        (Some(&closed), &owner, false),
    ];
    for (account, evidence, delivers) in cases {
        let h = hashes(&auth);
        let t = auth.handle_unblock_request(account, evidence, T0, &mut r);
        assert_eq!(t.outcome.ack, Ack);
        assert_eq!(hashes(&auth) - h, 1, "the same work on every path");
        assert_eq!(t.otp().is_some(), delivers);
        if delivers {
            assert!(t.effects.iter().any(|e| matches!(e, Effect::Deliver { target: DeliveryTarget::Phone(p), .. } if *p == phone())));
        }
    }
    // A fourth matching request within 24 hours gives no code, and the same Ack.
    let mut a = locked;
    for i in 0..4 {
        let t = auth.handle_unblock_request(Some(&a), &owner, T0 + Duration::hours(i), &mut r);
        assert_eq!(t.otp().is_some(), i < 2, "request {i}"); // the account was created with one issuance already
        a = t.account.unwrap_or(a);
    }
    let next_day = auth.handle_unblock_request(Some(&a), &owner, T0 + Duration::hours(30), &mut r);
    assert!(next_day.otp().is_some());
}

#[test]
fn unblock_by_sms_keeps_the_working_password_until_the_code_is_used() {
    let auth = auth();
    let mut r = rng();
    let a = active(&auth, &mut r);
    let t = auth.handle_unblock_request(
        Some(&a),
        &UnblockEvidence::Sms { sender: phone() },
        T0,
        &mut r,
    );
    let a = t.account.unwrap();
    assert_eq!(
        auth.login(Some(&a), ID, GOOD, T0, &mut r).outcome,
        LoginOutcome::Success
    );
}

#[test]
fn phone_and_email_requests_need_staff_confirmation() {
    let auth = auth();
    let mut r = rng();
    let a = active(&auth, &mut r);
    let call = |staff: Option<&str>| UnblockEvidence::RecordedCall {
        caller: phone(),
        staff: staff.map(str::to_owned),
    };
    assert!(
        auth.handle_unblock_request(Some(&a), &call(None), T0, &mut r)
            .otp()
            .is_none()
    );
    assert!(
        auth.handle_unblock_request(Some(&a), &call(Some("staff-1")), T0, &mut r)
            .otp()
            .is_some()
    );
    let mail = UnblockEvidence::EmailForm {
        sender: EmailAddress::new("JAN@example.pl").unwrap(),
        staff: Some("staff-1".into()),
    };
    let t = auth.handle_unblock_request(Some(&a), &mail, T0, &mut r);
    assert!(t.effects.iter().any(|e| matches!(
        e,
        Effect::Deliver {
            channel: Channel::Email,
            ..
        }
    )));
    let visit = UnblockEvidence::InPerson {
        staff: "staff-2".into(),
    };
    let t = auth.handle_unblock_request(Some(&a), &visit, T0, &mut r);
    let b = t.account.unwrap();
    assert_eq!(
        auth.login(Some(&b), ID, GOOD, T0, &mut r).outcome,
        LoginOutcome::Failure,
        "in person: the seeds' rule ends the password"
    );
}

#[test]
fn sms_parser_fixtures() {
    for text in [
        "odblokowanie e-BOK nr identyfikacyjny 0756555",
        "Odblokowanie eBOK nr identyfikacyjny 0756555",
        "ODBLOKOWANIE E-BOK NR IDENTYFIKACYJNY 0756555",
        "odblokowanie e-bok 0756555",
        "0756555 odblokowanie",
        "odblokowanie   e-BOK\nnr 0756 555",
        "Odblokowanie e-BOK nr identyfikacyjny: 0756555.",
        "nr identyfikacyjny 0756555",
        "0756555",
    ] {
        assert_eq!(
            parse_unblock_sms(text).map(|l| l.as_str().to_owned()),
            Ok("0756555".to_owned()),
            "{text:?}"
        );
    }
    assert_eq!(
        parse_unblock_sms("odblokowanie e-BOK"),
        Err(SmsParseError::NoIdentifier)
    );
    assert_eq!(
        parse_unblock_sms("odblokowanie 0756555 0756556"),
        Err(SmsParseError::SeveralIdentifiers)
    );
    assert_eq!(
        parse_unblock_sms("wygrałeś nagrodę 0756555"),
        Err(SmsParseError::NotAnUnblockRequest)
    );
    assert_eq!(
        parse_unblock_sms(&"x".repeat(500)),
        Err(SmsParseError::TooLong)
    );
}

// ---------- F. Concurrency and replay ----------

#[test]
fn t_c1_double_redemption_fails_the_compare_and_swap() {
    let auth = auth();
    let mut r = rng();
    let (snapshot, code) = fresh(&auth, &mut r);
    let first = auth.login(Some(&snapshot), ID, &code, T0, &mut r);
    let second = auth.login(Some(&snapshot), ID, &code, T0, &mut r);
    // A store doing compare-and-swap on the version accepts only the first.
    let mut store = snapshot.clone();
    let mut cas = |expected: u64, new: Account| {
        if store.version() == expected {
            store = new;
            true
        } else {
            false
        }
    };
    assert!(cas(snapshot.version(), first.account.unwrap()));
    assert!(!cas(snapshot.version(), second.account.unwrap()));
    // Recomputed from the stored state, the second redemption fails.
    assert_eq!(
        auth.login(Some(&store), ID, &code, T0, &mut r).outcome,
        LoginOutcome::Failure
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn t_c2_no_lost_failures(n in 0usize..12, order in prop::collection::vec(any::<bool>(), 12)) {
        // n concurrent wrong attempts, each computed from whatever snapshot it read; a lost CAS is retried.
        let auth = auth();
        let mut r = rng();
        let mut store = active(&auth, &mut r);
        let mut pending: Vec<Account> = (0..n).map(|_| store.clone()).collect();
        let mut i = 0;
        while !pending.is_empty() {
            let idx = if order[i % order.len()] { 0 } else { pending.len() - 1 };
            i += 1;
            let snapshot = pending.remove(idx);
            let t = auth.login(Some(&snapshot), ID, "wrong", T0, &mut r);
            match t.account {
                Some(next) if store.version() == snapshot.version() => store = next,
                Some(_) => pending.push(store.clone()), // CAS lost: retry from the current state
                None => {}
            }
        }
        prop_assert_eq!(store.failures() as usize, n.min(7));
        prop_assert_eq!(store.status(T0) == AccountStatus::Locked, n >= 7);
    }
}

#[test]
fn t_c3_no_replay_after_reissue() {
    let auth = auth();
    let mut r = rng();
    let (a, first_code) = fresh(&auth, &mut r);
    let t = auth.login(Some(&a), ID, &first_code, T0, &mut r);
    let LoginOutcome::MustChangePassword(ticket) = t.outcome else {
        panic!()
    };
    let a = auth
        .set_new_password(&t.account.unwrap(), ticket.expose(), GOOD, T0, &mut r)
        .unwrap()
        .account
        .unwrap();
    let t = auth
        .issue_otp(
            &a,
            Channel::InPerson,
            ReissueEffect::InvalidateImmediately,
            "office",
            T0,
            &mut r,
        )
        .unwrap();
    let a = t.account.unwrap();
    for later in [T0, T0 + Duration::hours(1), T0 + Duration::days(30)] {
        for old in [first_code.as_str(), GOOD] {
            assert_eq!(
                auth.login(Some(&a), ID, old, later, &mut r).outcome,
                LoginOutcome::Failure
            );
        }
    }
}

// ---------- H. Admin, lifecycle, hygiene ----------

#[test]
fn t_a2_close_is_terminal_and_erases() {
    let auth = auth();
    let mut r = rng();
    let a = active(&auth, &mut r);
    let t = auth.close(&a, "office", T0).unwrap();
    assert!(
        t.effects
            .iter()
            .any(|e| matches!(e, Effect::RevokeSessions(RevokeScope::All)))
    );
    assert!(t.effects.iter().any(|e| matches!(e, Effect::EraseData)));
    let closed = t.account.unwrap();
    assert!(!closed.holds_secrets());
    let json = serde_json::to_string(&closed).unwrap();
    assert!(
        !json.contains("argon2") && !json.contains("531") && !json.contains("example.pl"),
        "{json}"
    );
    assert_eq!(
        auth.login(Some(&closed), ID, GOOD, T0, &mut r).outcome,
        LoginOutcome::Failure
    );
    assert_eq!(
        auth.issue_otp(
            &closed,
            Channel::InPerson,
            ReissueEffect::InvalidateImmediately,
            "office",
            T0,
            &mut r
        )
        .unwrap_err(),
        AccessError::Closed
    );
    assert!(auth.close(&closed, "office", T0).unwrap().account.is_none());
    assert!(auth.admin_block(&closed, "s", T0).is_err());
}

#[test]
fn t_a3_credential_changes_revoke_other_sessions() {
    let auth = auth();
    let mut r = rng();
    let (a, code) = fresh(&auth, &mut r);
    let t = auth.login(Some(&a), ID, &code, T0, &mut r);
    let LoginOutcome::MustChangePassword(ticket) = t.outcome else {
        panic!()
    };
    let set = auth
        .set_new_password(&t.account.unwrap(), ticket.expose(), GOOD, T0, &mut r)
        .unwrap();
    assert!(
        set.effects
            .iter()
            .any(|e| matches!(e, Effect::RevokeSessions(RevokeScope::Others)))
    );
    assert!(set.effects.iter().any(|e| matches!(
        e,
        Effect::Notify {
            event: Notice::PasswordChanged,
            ..
        }
    )));
    let issued = auth
        .issue_otp(
            &set.account.unwrap(),
            Channel::Sms,
            ReissueEffect::KeepPasswordUntilRedeemed,
            "office",
            T0,
            &mut r,
        )
        .unwrap();
    assert!(
        issued
            .effects
            .iter()
            .any(|e| matches!(e, Effect::RevokeSessions(_)))
    );
}

#[test]
fn t_a4_audit_events_carry_reasons_and_never_secrets() {
    let auth = auth();
    let mut r = rng();
    let (a, code) = fresh(&auth, &mut r);
    let secrets = [code.clone(), code.replace('-', ""), GOOD.to_owned()];
    let mut events: Vec<AuditEvent> = Vec::new();
    let mut all_effects = String::new();
    let t = auth.login(Some(&a), ID, "AAAA-BBBB-CCCC-DDDD", T0, &mut r);
    events.extend(t.audit().cloned());
    let a = apply(a, &t);
    let t = auth.login(Some(&a), ID, &code, T0, &mut r);
    events.extend(t.audit().cloned());
    all_effects.push_str(&format!("{:?}{:?}", t.effects, t.outcome));
    let LoginOutcome::MustChangePassword(ticket) = t.outcome else {
        panic!()
    };
    let set = auth
        .set_new_password(&t.account.unwrap(), ticket.expose(), GOOD, T0, &mut r)
        .unwrap();
    events.extend(set.audit().cloned());
    all_effects.push_str(&format!("{:?}", set.effects));
    let t = auth.login(None, "1234567", GOOD, T0, &mut r);
    events.extend(t.audit().cloned());
    assert!(
        events
            .iter()
            .any(|e| e.reason == Some(FailureReason::WrongSecret))
    );
    assert!(
        events
            .iter()
            .any(|e| e.reason == Some(FailureReason::UnknownId)
                && e.attempted_identifier.as_deref() == Some("1234567"))
    );
    let json = serde_json::to_string(&events).unwrap();
    let debug = format!("{events:?}{all_effects}");
    for s in &secrets {
        assert!(
            !json.contains(s.as_str()) && !debug.contains(s.as_str()),
            "leaked {s:?}"
        );
    }
    assert!(!debug.contains(ticket.expose()));
}

#[test]
fn t_m1_secret_types_redact() {
    let s = Secret::new("hunter2-hunter2".into());
    assert_eq!(format!("{s:?}"), "Secret([REDACTED])");
    assert_eq!(format!("{s}"), "[REDACTED]");
    fn zeroize_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    zeroize_on_drop::<Secret>();
    let ticket = ChangeTicket::from_secret(Secret::new("T".into()));
    assert_eq!(format!("{ticket:?}"), "ChangeTicket([REDACTED])");
}

#[test]
fn state_round_trips_through_serde() {
    let auth = auth();
    let mut r = rng();
    let a = wrong_times(&auth, active(&auth, &mut r), 3, T0, &mut r);
    let json = serde_json::to_string(&a).unwrap();
    let back: Account = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
    assert_eq!(
        auth.login(Some(&back), ID, GOOD, T0, &mut r).outcome,
        LoginOutcome::Success
    );
}
