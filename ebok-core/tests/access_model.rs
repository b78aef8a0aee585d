//! Model-based test of the account state machine (security.md §5.G): a reference model
//! predicts every outcome, and the invariants I1–I12 are checked after every step.

use std::cell::Cell;

use ebok_core::access::*;
use ebok_core::premises::LoginId;
use proptest::prelude::*;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};
use rand::SeedableRng;
use rand::rngs::StdRng;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const ID: &str = "0756555";
const T0: OffsetDateTime = datetime!(2025-05-12 10:00 UTC);
const THRESHOLD: u8 = 7;
const TICKET_TTL: i64 = 15 * 60;

#[derive(Debug)]
struct CountingKdf {
    inner: Argon2Kdf,
    verifies: Cell<usize>,
}

impl Kdf for CountingKdf {
    fn hash<R: rand_core::CryptoRng + ?Sized>(
        &self,
        secret: &[u8],
        rng: &mut R,
    ) -> Result<String, AccessError> {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    CorrectOtp,
    CorrectPassword,
    OldSecret(usize),
    WrongPassword,
    WrongOtp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NewPassword {
    Valid,
    TooShort,
    Blocklisted,
    SameAsOtp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transition {
    IssueOtp { sms: bool },
    Activate,
    AdvanceTime(i64),
    ClockBack(i64),
    Login(Attempt),
    LoginUnknownId,
    SetNewPassword(NewPassword),
    AdminBlock,
    LiftAdminBlock,
    Close,
    UnblockRequest { matching: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MOtp {
    idx: usize,
    /// Activation is refused after this (seed 000: within 48 hours of the visit).
    activation_due: i64,
    activated_at: Option<i64>,
    expires_at: Option<i64>,
    sms: bool,
}

/// The reference model. Times are seconds after T0.
#[derive(Debug, Clone)]
struct Model {
    now: i64,
    /// The high-water mark the real state holds (updated only by state changes).
    hw: i64,
    closed: bool,
    admin: bool,
    locked: bool,
    failures: u8,
    otp: Option<MOtp>,
    password: Option<usize>,
    /// (the redeemed code's index, expiry)
    ticket: Option<(usize, i64)>,
    /// Every secret ever issued or set: true for one-time passwords.
    history: Vec<bool>,
    issuances: Vec<i64>,
    expected: Expected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    None,
    Success,
    MustChange,
    Failure,
    Changed(bool),
    Notices(usize),
}

impl Model {
    fn t(&self) -> i64 {
        self.now.max(self.hw)
    }

    fn fail(&mut self, count: bool) {
        if count {
            self.failures = (self.failures + 1).min(THRESHOLD);
            if self.failures >= THRESHOLD {
                self.locked = true;
            }
            self.hw = self.t();
        }
    }

    fn issue(&mut self, sms: bool, keep_password: bool) {
        let t = self.t();
        self.history.push(true);
        let ttl = if sms { 600 } else { 7 * 86_400 };
        self.otp = Some(MOtp {
            idx: self.history.len() - 1,
            activation_due: t + 48 * 3_600,
            activated_at: Some(t),
            expires_at: Some(t + ttl),
            sms,
        });
        if !keep_password {
            self.password = None;
        }
        self.ticket = None;
        self.failures = 0;
        self.locked = false;
        self.issuances.retain(|i| t - i < 86_400);
        self.issuances.push(t);
        self.hw = t;
    }

    /// Whether an attempt is OTP-shaped.
    fn otp_shaped(&self, a: Attempt) -> bool {
        match a {
            Attempt::CorrectOtp | Attempt::WrongOtp => true,
            Attempt::CorrectPassword | Attempt::WrongPassword => false,
            Attempt::OldSecret(i) => self.history.get(i).copied().unwrap_or(false),
        }
    }
}

struct Reference;

impl ReferenceStateMachine for Reference {
    type State = Model;
    type Transition = Transition;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model {
            now: 0,
            hw: 0,
            closed: false,
            admin: false,
            locked: false,
            failures: 0,
            otp: Some(MOtp {
                idx: 0,
                activation_due: 48 * 3_600,
                activated_at: None,
                expires_at: None,
                sms: false,
            }),
            password: None,
            ticket: None,
            history: vec![true],
            issuances: vec![0],
            expected: Expected::None,
        })
        .boxed()
    }

    fn transitions(state: &Model) -> BoxedStrategy<Transition> {
        let old = state.history.len();
        prop_oneof![
            2 => any::<bool>().prop_map(|sms| Transition::IssueOtp { sms }),
            2 => Just(Transition::Activate),
            3 => (0i64..=30 * 86_400).prop_map(Transition::AdvanceTime),
            2 => (0i64..=600).prop_map(Transition::AdvanceTime),
            1 => (0i64..=3_600).prop_map(Transition::ClockBack),
            4 => Just(Transition::Login(Attempt::CorrectOtp)),
            4 => Just(Transition::Login(Attempt::CorrectPassword)),
            2 => (0..old).prop_map(|i| Transition::Login(Attempt::OldSecret(i))),
            4 => Just(Transition::Login(Attempt::WrongPassword)),
            2 => Just(Transition::Login(Attempt::WrongOtp)),
            1 => Just(Transition::LoginUnknownId),
            3 => Just(Transition::SetNewPassword(NewPassword::Valid)),
            1 => prop_oneof![Just(NewPassword::TooShort), Just(NewPassword::Blocklisted), Just(NewPassword::SameAsOtp)]
                .prop_map(Transition::SetNewPassword),
            1 => Just(Transition::AdminBlock),
            1 => Just(Transition::LiftAdminBlock),
            1 => Just(Transition::Close),
            2 => any::<bool>().prop_map(|matching| Transition::UnblockRequest { matching }),
        ]
        .boxed()
    }

    fn preconditions(state: &Model, t: &Transition) -> bool {
        match t {
            Transition::Login(Attempt::OldSecret(i)) => {
                *i < state.history.len()
                    && state.otp.map(|o| o.idx) != Some(*i)
                    && state.password != Some(*i)
            }
            _ => true,
        }
    }

    fn apply(mut m: Model, tr: &Transition) -> Model {
        m.expected = Expected::None;
        match *tr {
            Transition::AdvanceTime(s) => m.now += s,
            Transition::ClockBack(s) => m.now -= s,
            Transition::IssueOtp { sms } => {
                if !m.closed && !m.admin {
                    let unlocks = m.locked;
                    m.issue(sms, false);
                    m.expected = Expected::Notices(1 + usize::from(unlocks));
                }
            }
            Transition::Activate => {
                let t = m.now.max(m.hw);
                if !m.closed
                    && let Some(o) = m
                        .otp
                        .as_mut()
                        .filter(|o| o.activated_at.is_none() && t <= o.activation_due)
                {
                    o.activated_at = Some(t);
                    o.expires_at = Some(t + 7 * 86_400);
                    m.hw = t;
                }
            }
            Transition::LoginUnknownId => m.expected = Expected::Failure,
            Transition::Login(a) => {
                m.expected = Expected::Failure;
                if m.closed || m.admin || m.locked {
                    return m;
                }
                let t = m.t();
                let shaped = m.otp_shaped(a);
                match m.otp {
                    Some(o) if shaped || m.password.is_none() => {
                        if o.activated_at.is_none_or(|at| t < at) {
                            return m; // not active: no state change
                        }
                        let matched = a == Attempt::CorrectOtp;
                        if o.expires_at.is_none_or(|e| t >= e) {
                            m.otp = None;
                            m.hw = t;
                            m.fail(!matched);
                        } else if matched {
                            m.otp = None;
                            m.password = None;
                            m.ticket = Some((o.idx, t + TICKET_TTL));
                            m.failures = 0;
                            m.hw = t;
                            m.expected = Expected::MustChange;
                        } else {
                            m.fail(true);
                        }
                    }
                    _ => {
                        if m.password.is_some() && a == Attempt::CorrectPassword {
                            m.failures = 0;
                            m.hw = t;
                            m.expected = Expected::Success;
                        } else {
                            m.fail(true);
                        }
                    }
                }
            }
            Transition::SetNewPassword(kind) => {
                let t = m.t();
                let allowed =
                    !m.closed && !m.admin && !m.locked && m.ticket.is_some_and(|(_, e)| t < e);
                m.expected = Expected::Changed(false);
                if allowed && kind == NewPassword::Valid {
                    m.history.push(false);
                    m.password = Some(m.history.len() - 1);
                    m.ticket = None;
                    m.hw = t;
                    m.expected = Expected::Changed(true);
                }
            }
            Transition::AdminBlock => {
                if !m.closed && !m.admin {
                    m.admin = true;
                    m.ticket = None;
                    m.hw = m.t();
                    m.expected = Expected::Notices(1);
                }
            }
            Transition::LiftAdminBlock => {
                if !m.closed && m.admin {
                    m.admin = false;
                    m.hw = m.t();
                    m.expected = Expected::Notices(1);
                }
            }
            Transition::Close => {
                if !m.closed {
                    m.closed = true;
                    m.otp = None;
                    m.password = None;
                    m.ticket = None;
                    m.failures = 0;
                    m.locked = false;
                    m.admin = false;
                }
            }
            Transition::UnblockRequest { matching } => {
                let t = m.t();
                let recent = m.issuances.iter().filter(|i| t - **i < 86_400).count();
                if matching && !m.closed && !m.admin && recent < 3 {
                    let unlocks = m.locked;
                    m.issue(true, true);
                    m.expected = Expected::Notices(1 + usize::from(unlocks));
                } else {
                    m.expected = Expected::Notices(0);
                }
            }
        }
        m
    }
}

struct Sut {
    auth: Authenticator<CountingKdf>,
    account: Account,
    rng: StdRng,
    now: OffsetDateTime,
    /// Plaintexts of every secret, index-aligned with the model's history.
    secrets: Vec<String>,
    ticket: Option<String>,
    otp_idx: Option<usize>,
}

fn password_text(i: usize) -> String {
    format!("zielone jabłka na wiosnę nr {i}")
}

impl Sut {
    fn store(&mut self, next: Option<Account>) -> bool {
        match next {
            Some(a) => {
                assert_eq!(
                    a.version(),
                    self.account.version() + 1,
                    "I10: version +1 on a change"
                );
                self.account = a;
                true
            }
            None => false,
        }
    }

    fn secret_for(&self, a: Attempt) -> String {
        match a {
            Attempt::CorrectOtp => self
                .otp_idx
                .map_or("ZZZZ-ZZZZ-ZZZZ-ZZZZ".into(), |i| self.secrets[i].clone()),
            Attempt::CorrectPassword => self
                .secrets
                .iter()
                .rev()
                .find(|s| !s.contains('-') || s.contains(' '))
                .cloned()
                .unwrap_or_default(),
            Attempt::OldSecret(i) => self.secrets[i].clone(),
            Attempt::WrongPassword => "this is not the password".into(),
            Attempt::WrongOtp => "AAAA-AAAA-AAAA-AAAA".into(),
        }
    }

    fn notices(effects: &[Effect]) -> usize {
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Notify { .. }))
            .count()
    }
}

struct AccessMachine;

impl StateMachineTest for AccessMachine {
    type SystemUnderTest = Sut;
    type Reference = Reference;

    fn init_test(_: &Model) -> Sut {
        let mut rng = StdRng::seed_from_u64(99);
        let policy = AccessPolicy::insecure_for_tests();
        let kdf = CountingKdf {
            inner: Argon2Kdf::new(policy.hash).unwrap(),
            verifies: Cell::new(0),
        };
        let auth = Authenticator::new(policy, kdf, &mut rng).unwrap();
        let contacts = Contacts {
            phone: Some(PhoneNumber::new("531464544").unwrap()),
            ..Contacts::default()
        };
        let t = auth
            .create_account(
                LoginId::new(ID).unwrap(),
                contacts,
                Channel::InPerson,
                Activation::Manual,
                "office",
                T0,
                &mut rng,
            )
            .unwrap();
        let code = t.otp().unwrap().expose().to_owned();
        Sut {
            auth,
            account: t.account.unwrap(),
            rng,
            now: T0,
            secrets: vec![code],
            ticket: None,
            otp_idx: Some(0),
        }
    }

    fn apply(mut sut: Sut, m: &Model, tr: Transition) -> Sut {
        match tr {
            Transition::AdvanceTime(s) => sut.now += Duration::seconds(s),
            Transition::ClockBack(s) => sut.now -= Duration::seconds(s),
            Transition::IssueOtp { sms } => {
                let channel = if sms { Channel::Sms } else { Channel::InPerson };
                match sut.auth.issue_otp(
                    &sut.account,
                    channel,
                    ReissueEffect::InvalidateImmediately,
                    "office",
                    sut.now,
                    &mut sut.rng,
                ) {
                    Ok(t) => {
                        let Expected::Notices(n) = m.expected else {
                            panic!("model refused an issue the SUT made")
                        };
                        assert_eq!(Sut::notices(&t.effects), n, "I12");
                        sut.secrets.push(t.otp().unwrap().expose().to_owned());
                        sut.otp_idx = Some(sut.secrets.len() - 1);
                        sut.ticket = None;
                        assert!(sut.store(t.account));
                    }
                    Err(_) => assert_eq!(m.expected, Expected::None),
                }
            }
            Transition::Activate => {
                if let Ok(t) = sut.auth.activate(&sut.account, "office", sut.now) {
                    sut.store(t.account);
                }
            }
            Transition::LoginUnknownId => {
                let before = sut.auth.kdf().verifies.get();
                let t = sut
                    .auth
                    .login(None, "9999999", "whatever", sut.now, &mut sut.rng);
                assert_eq!(sut.auth.kdf().verifies.get() - before, 1, "I6");
                assert_eq!(t.outcome, LoginOutcome::Failure);
                assert!(t.account.is_none());
            }
            Transition::Login(a) => {
                let secret = sut.secret_for(a);
                let was_locked = sut.account.failures() >= THRESHOLD;
                let before = sut.auth.kdf().verifies.get();
                let t = sut
                    .auth
                    .login(Some(&sut.account), ID, &secret, sut.now, &mut sut.rng);
                assert_eq!(
                    sut.auth.kdf().verifies.get() - before,
                    1,
                    "I6: one KDF evaluation per login"
                );
                let got = match &t.outcome {
                    LoginOutcome::Success => Expected::Success,
                    LoginOutcome::MustChangePassword(_) => Expected::MustChange,
                    LoginOutcome::Failure => Expected::Failure,
                };
                assert_eq!(got, m.expected, "outcome of {a:?} (model: {m:?})");
                let notices = Sut::notices(&t.effects);
                if let LoginOutcome::MustChangePassword(ticket) = &t.outcome {
                    sut.ticket = Some(ticket.expose().to_owned());
                    sut.otp_idx = None;
                }
                sut.store(t.account);
                if got == Expected::Success {
                    assert_eq!(sut.account.failures(), 0, "I3");
                }
                // I12: a login notifies exactly when it blocks the account.
                assert_eq!(
                    notices,
                    usize::from(!was_locked && m.locked),
                    "I12 on login"
                );
            }
            Transition::SetNewPassword(kind) => {
                let ticket = sut.ticket.clone().unwrap_or_else(|| "NO-TICKET".into());
                let new = match kind {
                    NewPassword::Valid => password_text(m.history.len()),
                    NewPassword::TooShort => "za krótkie".into(),
                    NewPassword::Blocklisted => format!("{ID}{ID}{ID}"),
                    NewPassword::SameAsOtp => sut
                        .secrets
                        .iter()
                        .rev()
                        .find(|s| s.contains('-') && !s.contains(' '))
                        .cloned()
                        .unwrap_or_default(),
                };
                let r =
                    sut.auth
                        .set_new_password(&sut.account, &ticket, &new, sut.now, &mut sut.rng);
                assert_eq!(Expected::Changed(r.is_ok()), m.expected, "set {kind:?}");
                if let Ok(t) = r {
                    assert_eq!(Sut::notices(&t.effects), 1, "I12");
                    sut.secrets.push(new);
                    sut.ticket = None;
                    assert!(sut.store(t.account));
                }
            }
            Transition::AdminBlock | Transition::LiftAdminBlock => {
                let r = if tr == Transition::AdminBlock {
                    sut.auth.admin_block(&sut.account, "staff", sut.now)
                } else {
                    sut.auth.lift_admin_block(&sut.account, "staff", sut.now)
                };
                if let Ok(t) = r {
                    let n = if let Expected::Notices(n) = m.expected {
                        n
                    } else {
                        0
                    };
                    assert_eq!(Sut::notices(&t.effects), n, "I12");
                    sut.store(t.account);
                }
            }
            Transition::Close => {
                let t = sut.auth.close(&sut.account, "office", sut.now).unwrap();
                assert_eq!(Sut::notices(&t.effects), 0, "I12");
                sut.store(t.account);
                sut.otp_idx = None;
                sut.ticket = None;
            }
            Transition::UnblockRequest { matching } => {
                let sender = if matching { "531464544" } else { "600100200" };
                let t = sut.auth.handle_unblock_request(
                    Some(&sut.account),
                    &UnblockEvidence::Sms {
                        sender: PhoneNumber::new(sender).unwrap(),
                    },
                    sut.now,
                    &mut sut.rng,
                );
                let Expected::Notices(n) = m.expected else {
                    panic!()
                };
                assert_eq!(Sut::notices(&t.effects), n, "I12");
                if let Some(code) = t.otp() {
                    sut.secrets.push(code.expose().to_owned());
                    sut.otp_idx = Some(sut.secrets.len() - 1);
                    sut.ticket = None;
                }
                sut.store(t.account);
            }
        }
        sut
    }

    fn check_invariants(sut: &Sut, m: &Model) {
        let a = &sut.account;
        let now = sut.now;
        // I2: the counter never passes the threshold; Locked exactly when the model says so.
        assert!(a.failures() <= THRESHOLD);
        assert_eq!(a.failures(), if m.closed { 0 } else { m.failures });
        assert_eq!(
            a.status(now) == AccountStatus::Locked,
            m.locked && !m.admin && !m.closed,
            "I2 {m:?}"
        );
        // I9: closed is terminal and holds nothing.
        assert_eq!(a.status(now) == AccountStatus::Closed, m.closed);
        assert_eq!(a.holds_secrets(), !m.closed, "I9");
        // I11: the state round-trips.
        let back: Account = serde_json::from_str(&serde_json::to_string(a).unwrap()).unwrap();
        assert_eq!(&back, a, "I11");
        // I1: every secret other than the current code and password fails now (computed, not stored).
        let mut rng = StdRng::seed_from_u64(1);
        for (i, secret) in sut.secrets.iter().enumerate() {
            if m.otp.map(|o| o.idx) == Some(i) || m.password == Some(i) {
                continue;
            }
            let t = sut.auth.login(Some(a), ID, secret, now, &mut rng);
            assert_eq!(
                t.outcome,
                LoginOutcome::Failure,
                "I1: old secret {i} still works"
            );
        }
        // I4/I5: while a ticket is pending, no password works and nothing but setting one is allowed.
        if m.ticket.is_some() && !m.closed {
            assert!(
                sut.auth
                    .change_password(
                        a,
                        "anything at all here",
                        &password_text(999),
                        now,
                        &mut rng
                    )
                    .outcome
                    .is_err()
            );
        }
    }
}

prop_state_machine! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
    #[test]
    fn access_state_machine(sequential 1..50 => AccessMachine);
}
