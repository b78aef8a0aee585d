//! The portal's state and the operations its pages call: the core's access state machine with
//! its account stored by compare-and-swap, the effects performed (outbox, audit, sessions), the
//! cooperative rebuilt from the stored inputs, and the imports.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use ebok_core::access::{
    AccessPolicy, Account, Activation, Argon2Kdf, Authenticator, Channel, Contacts, DeliveryTarget,
    Effect, Kdf, LoginOutcome, PasswordChangeError, RevokeScope, Transition,
};
use ebok_core::bank::statement::{ReadOptions, read_statements};
use ebok_core::cooperative::Cooperative;
use ebok_core::interchange::{ImportOptions, SnapshotFiles};
use ebok_core::meters::{ValidationOptions, Verdict};
use ebok_core::premises::{LoginId, PremisesId};
use time::{Date, OffsetDateTime};
use zeroize::Zeroizing;

use crate::limit::RateLimiter;
use crate::store::{AuditLine, OutboxLine, Store, StoreError};

/// The portal's clock: the system's in production, a settable one in tests.
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

/// How the portal runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Demo mode: deliveries are printed to the log, cookies work over plain HTTP.
    pub demo: bool,
    /// Cookies carry `Secure` (always outside demo mode).
    pub secure_cookies: bool,
    /// Login attempts per client address per minute, in front of the per-account lockout.
    pub login_attempts_per_minute: u32,
    /// How long a session lasts without logging in again, in minutes.
    pub session_minutes: i64,
    /// The access policy (lockout after 7 failures, code lifetimes, argon2id cost).
    pub policy: AccessPolicy,
}

impl Config {
    /// Production settings.
    pub fn production() -> Config {
        Config {
            demo: false,
            secure_cookies: true,
            login_attempts_per_minute: 30,
            session_minutes: 30,
            policy: AccessPolicy::default(),
        }
    }

    /// Demo settings: plain HTTP on the loopback address, deliveries in the log.
    pub fn demo() -> Config {
        Config {
            demo: true,
            secure_cookies: false,
            ..Config::production()
        }
    }
}

/// A failure a page shows as an error page (500): storage, or a task that died.
#[derive(Debug)]
pub struct AppError(pub String);

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError(e.to_string())
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError(format!("a background task failed: {e}"))
    }
}

/// The result of an operation.
pub type AppResult<T> = Result<T, AppError>;

/// The portal.
pub struct App {
    /// How it runs.
    pub config: Config,
    /// The database.
    pub store: Store,
    /// The core's access state machine.
    pub auth: Authenticator<Argon2Kdf>,
    /// The cooperative as the stored inputs built it. The lock is held for a computation,
    /// never across an `await`.
    pub coop: RwLock<Cooperative>,
    /// The clock.
    pub clock: Clock,
    /// Per-address limits on login attempts.
    pub limiter: Mutex<RateLimiter>,
    /// The password-change tickets of sessions logged in with a one-time password, by
    /// session id hash: in memory only (a secret is never stored).
    tickets: Mutex<HashMap<String, Zeroizing<String>>>,
    /// Demo mode: what was delivered, as printed to the log (the tests read the codes here).
    pub deliveries: Mutex<Vec<String>>,
    /// The id of the last stored input applied to `coop`; held while inputs are applied, so
    /// that this instance applies them one at a time and in order (below zero: memory holds a
    /// change the store does not, and is rebuilt at the next catch-up).
    applied: tokio::sync::Mutex<i64>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The operating system's generator (the core takes a `CryptoRng` as a parameter).
pub fn os_rng() -> rand::rand_core::UnwrapErr<rand::rngs::SysRng> {
    rand::rand_core::UnwrapErr(rand::rngs::SysRng)
}

/// What a login attempt came to, for the page.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginResult {
    /// Logged in.
    Success,
    /// Logged in with a one-time password: only the password change is open.
    MustChange,
    /// Not logged in (one answer for every reason).
    Failure,
}

/// What a password change came to.
#[derive(Debug)]
pub enum ChangeResult {
    /// Changed.
    Changed,
    /// Refused, with the reasons to show.
    Refused(Vec<String>),
}

impl App {
    /// A portal on `store` with `config`, its cooperative rebuilt from the stored inputs.
    pub async fn new(config: Config, store: Store, clock: Clock) -> AppResult<Arc<App>> {
        let mut rng = os_rng();
        let kdf = Argon2Kdf::new(config.policy.hash).map_err(|e| AppError(e.to_string()))?;
        let auth = Authenticator::new(config.policy.clone(), kdf, &mut rng)
            .map_err(|e| AppError(e.to_string()))?;
        let limiter = RateLimiter::new(config.login_attempts_per_minute, 60);
        let app = Arc::new(App {
            config,
            store,
            auth,
            coop: RwLock::new(Cooperative::default()),
            clock,
            limiter: Mutex::new(limiter),
            tickets: Mutex::new(HashMap::new()),
            deliveries: Mutex::new(Vec::new()),
            applied: tokio::sync::Mutex::new(0),
        });
        app.catch_up().await?;
        Ok(app)
    }

    /// Now, by the portal's clock.
    pub fn now(&self) -> OffsetDateTime {
        (self.clock)()
    }

    /// Today, by the portal's clock.
    pub fn today(&self) -> Date {
        self.now().date()
    }

    /// Reads the cooperative.
    pub fn read<T>(&self, f: impl FnOnce(&Cooperative) -> T) -> T {
        f(&self.coop.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn write<T>(&self, f: impl FnOnce(&mut Cooperative) -> T) -> T {
        f(&mut self.coop.write().unwrap_or_else(PoisonError::into_inner))
    }

    /// Applies the inputs stored since the last one applied here (all of them at start;
    /// those of other instances sharing the database later). An input that no longer applies
    /// (it did when it was stored) is an error: nothing is skipped silently.
    pub async fn catch_up(&self) -> AppResult<()> {
        let mut applied = self.applied.lock().await;
        self.catch_up_locked(&mut applied).await
    }

    /// `applied` below zero marks a cooperative in memory that holds a change the store does
    /// not (a change whose storing failed): it is then rebuilt from every stored input. The
    /// rebuilt cooperative replaces the one in memory only once it is complete.
    async fn catch_up_locked(&self, applied: &mut i64) -> AppResult<()> {
        let from_scratch = *applied < 0;
        let after = (*applied).max(0);
        let inputs = self.store.inputs_after(after).await?;
        if inputs.is_empty() && !from_scratch {
            return Ok(());
        }
        let mut coop = if from_scratch {
            Cooperative::default()
        } else {
            self.read(Cooperative::clone)
        };
        for input in &inputs {
            let at = OffsetDateTime::from_unix_timestamp(input.at)
                .map_err(|e| AppError(e.to_string()))?;
            let result = match input.kind.as_str() {
                "snapshot" => apply_snapshot(&mut coop, &input.files, at, true).map(|_| ()),
                "bank" => apply_bank(&mut coop, &input.files, at.date()).map(|_| ()),
                "reading" => apply_reading(&mut coop, &input.files, at.date()).map(|_| ()),
                other => Err(format!("unknown input kind {other}")),
            };
            result.map_err(|e| {
                AppError(format!("stored input {} ({}): {e}", input.id, input.kind))
            })?;
        }
        self.write(|c| *c = coop);
        *applied = inputs.last().map_or(after, |i| i.id);
        Ok(())
    }

    /// Applies an input and stores it, all or nothing: `change` runs on the cooperative as
    /// this instance knows it after catching up, and the input is stored as the next one;
    /// when another instance stored one first, this one catches up and runs `change` again.
    /// `in_place` changes the live cooperative (for small changes the core applies all or
    /// nothing); otherwise a copy is changed and swapped in once stored, so that readers never
    /// wait for a long import.
    async fn apply_input(
        &self,
        kind: &str,
        actor: &str,
        in_place: bool,
        change: impl Fn(
            &mut Cooperative,
            OffsetDateTime,
        ) -> Result<(String, Vec<(String, Vec<u8>)>), String>,
    ) -> AppResult<Result<String, String>> {
        let mut applied = self.applied.lock().await;
        for _ in 0..8 {
            self.catch_up_locked(&mut applied).await?;
            let now = self.now();
            let mut copy = None;
            let changed = if in_place {
                self.write(|c| change(c, now))
            } else {
                let mut next = self.read(Cooperative::clone);
                let r = change(&mut next, now);
                copy = Some(next);
                r
            };
            let (report, files) = match changed {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            let id = *applied + 1;
            let stored = self
                .store
                .add_input(id, kind, now.unix_timestamp(), actor, &report, &files)
                .await;
            match stored {
                Ok(true) => {
                    if let Some(next) = copy {
                        self.write(|c| *c = next);
                    }
                    *applied = id;
                    return Ok(Ok(report));
                }
                // Not stored (another instance stored an input `id` first, or the store
                // failed): a change made in place is undone by a rebuild from the store.
                Ok(false) | Err(_) => {
                    if in_place {
                        *applied = -1;
                    }
                    stored?;
                }
            }
        }
        Err(AppError(
            "too many concurrent imports from other instances".into(),
        ))
    }

    // ── access ──────────────────────────────────────────────────────────────────────────

    /// Runs a transition against the stored account with compare-and-swap: when another
    /// request changed the account in between, it is read again and the transition recomputed
    /// (at most 8 times), so no change of a concurrent request is lost.
    async fn transition<T: Send + 'static>(
        self: &Arc<Self>,
        login: &str,
        session: Option<&str>,
        step: impl Fn(&App, Option<&Account>, OffsetDateTime) -> Transition<T> + Send + Sync + 'static,
    ) -> AppResult<T> {
        let step = Arc::new(step);
        for _ in 0..8 {
            let account = self.store.account(login).await?;
            let read = account.as_ref().map(Account::version);
            let app = Arc::clone(self);
            let step = Arc::clone(&step);
            let now = self.now();
            // The KDF runs for tens of milliseconds: off the async workers.
            let t = tokio::task::spawn_blocking(move || step(&app, account.as_ref(), now)).await?;
            if let Some(next) = &t.account {
                let status = next.status(now).code();
                if !self.store.swap_account(next, status, read).await? {
                    continue;
                }
            }
            self.perform(t.effects, login, session).await?;
            return Ok(t.outcome);
        }
        Err(AppError(format!(
            "account {login}: too many concurrent changes"
        )))
    }

    /// A resident's login attempt; `session` is the session it came from (its ticket is kept
    /// when a one-time password was used).
    pub async fn login(
        self: &Arc<Self>,
        login: &str,
        password: Zeroizing<String>,
    ) -> AppResult<(LoginResult, Option<Zeroizing<String>>)> {
        let key = login.trim().to_owned();
        let attempted = login.to_owned();
        let outcome = self
            .transition(&key, None, move |app, account, now| {
                app.auth
                    .login(account, &attempted, &password, now, &mut os_rng())
            })
            .await?;
        Ok(match outcome {
            LoginOutcome::Success => (LoginResult::Success, None),
            LoginOutcome::MustChangePassword(ticket) => (
                LoginResult::MustChange,
                Some(Zeroizing::new(ticket.expose().to_owned())),
            ),
            _ => (LoginResult::Failure, None),
        })
    }

    /// Keeps the ticket of a session logged in with a one-time password.
    pub fn keep_ticket(&self, session_hash: &str, ticket: Zeroizing<String>) {
        lock(&self.tickets).insert(session_hash.to_owned(), ticket);
    }

    /// Forgets a session's ticket.
    pub fn drop_ticket(&self, session_hash: &str) {
        lock(&self.tickets).remove(session_hash);
    }

    /// The first password of a resident logged in with a one-time password.
    pub async fn set_new_password(
        self: &Arc<Self>,
        login: &str,
        session_hash: &str,
        new_password: Zeroizing<String>,
    ) -> AppResult<ChangeResult> {
        let Some(ticket) = lock(&self.tickets).get(session_hash).cloned() else {
            return Ok(ChangeResult::Refused(vec![
                "Sesja zmiany hasła wygasła: zaloguj się ponownie. / The password change session has expired: log in again.".into(),
            ]));
        };
        let language = ebok_core::messages::Language::Polish;
        let outcome = self
            .transition(login, Some(session_hash), move |app, account, now| {
                let Some(account) = account else {
                    return Transition {
                        account: None,
                        outcome: Err(PasswordChangeError::NotAllowed),
                        effects: vec![],
                    };
                };
                match app
                    .auth
                    .set_new_password(account, &ticket, &new_password, now, &mut os_rng())
                {
                    Ok(t) => Transition {
                        account: t.account,
                        outcome: Ok(()),
                        effects: t.effects,
                    },
                    Err(e) => Transition {
                        account: None,
                        outcome: Err(e),
                        effects: vec![],
                    },
                }
            })
            .await?;
        Ok(match outcome {
            Ok(()) => {
                self.drop_ticket(session_hash);
                ChangeResult::Changed
            }
            Err(e) => ChangeResult::Refused(change_reasons(&e, language)),
        })
    }

    /// A logged-in resident's change of password (the current one is checked and a wrong one
    /// counts like a failed login).
    pub async fn change_password(
        self: &Arc<Self>,
        login: &str,
        session_hash: &str,
        current: Zeroizing<String>,
        new_password: Zeroizing<String>,
    ) -> AppResult<ChangeResult> {
        let language = ebok_core::messages::Language::Polish;
        let outcome = self
            .transition(
                login,
                Some(session_hash),
                move |app, account, now| match account {
                    Some(a) => {
                        app.auth
                            .change_password(a, &current, &new_password, now, &mut os_rng())
                    }
                    None => Transition {
                        account: None,
                        outcome: Err(PasswordChangeError::NotAllowed),
                        effects: vec![],
                    },
                },
            )
            .await?;
        Ok(match outcome {
            Ok(()) => ChangeResult::Changed,
            Err(e) => ChangeResult::Refused(change_reasons(&e, language)),
        })
    }

    /// Staff: issues a one-time password to `login` (creating its access when it has none)
    /// by `channel`; the code goes out through the outbox. Returns the code only for a
    /// hand-over at the office (`InPerson`), to be shown once.
    pub async fn issue_otp(
        self: &Arc<Self>,
        login: &str,
        channel: Channel,
        contacts: Contacts,
        staff: &str,
    ) -> AppResult<Result<Option<Zeroizing<String>>, String>> {
        let id = match LoginId::new(login.trim()) {
            Ok(id) => id,
            Err(e) => return Ok(Err(e.to_string())),
        };
        if self.read(|c| {
            c.registry.premises_of(&id).is_empty() && c.holders.premises_of(&id).next().is_none()
        }) {
            return Ok(Err(format!(
                "{id}: no premises is reached by this identifier"
            )));
        }
        let staff = staff.to_owned();
        let key = id.as_str().to_owned();
        let shown = Arc::new(Mutex::new(None));
        let keep = Arc::clone(&shown);
        let outcome = self
            .transition(&key, None, move |app, account, now| {
                let mut rng = os_rng();
                let t = match account {
                    None => app.auth.create_account(
                        id.clone(),
                        contacts.clone(),
                        channel,
                        Activation::Immediate,
                        &staff,
                        now,
                        &mut rng,
                    ),
                    Some(a) => {
                        // Contacts given now are recorded first (codes go only to contacts
                        // on file), then the code is issued: one stored change.
                        let merged = a.contacts().map(|old| Contacts {
                            phone: contacts.phone.clone().or_else(|| old.phone.clone()),
                            email: contacts.email.clone().or_else(|| old.email.clone()),
                            postal: contacts.postal.clone().or_else(|| old.postal.clone()),
                        });
                        let mut effects = Vec::new();
                        let mut current = a.clone();
                        if let Some(merged) = merged {
                            match app.auth.set_contacts(a, merged, &staff, now) {
                                Ok(t) => {
                                    if let Some(next) = t.account {
                                        current = next;
                                    }
                                    effects = t.effects;
                                }
                                Err(e) => {
                                    return Transition {
                                        account: None,
                                        outcome: Err(e.to_string()),
                                        effects: vec![],
                                    };
                                }
                            }
                        }
                        let reissue = if channel == Channel::InPerson {
                            app.auth.policy().office_reissue
                        } else {
                            app.auth.policy().remote_reissue
                        };
                        app.auth
                            .issue_otp(&current, channel, reissue, &staff, now, &mut rng)
                            .map(|mut t| {
                                effects.append(&mut t.effects);
                                t.effects = effects;
                                t
                            })
                    }
                };
                match t {
                    Ok(t) => {
                        if channel == Channel::InPerson {
                            *lock(&keep) = t.otp().map(|s| Zeroizing::new(s.expose().to_owned()));
                        }
                        Transition {
                            account: t.account,
                            outcome: Ok(()),
                            effects: t.effects,
                        }
                    }
                    Err(e) => Transition {
                        account: None,
                        outcome: Err(e.to_string()),
                        effects: vec![],
                    },
                }
            })
            .await?;
        let code = lock(&shown).take();
        Ok(outcome.map(|()| code))
    }

    /// Staff: blocks, lifts the block of, or closes an account.
    pub async fn staff_action(
        self: &Arc<Self>,
        login: &str,
        action: &str,
        staff: &str,
    ) -> AppResult<Result<(), String>> {
        let action = action.to_owned();
        let staff = staff.to_owned();
        self.transition(login.trim(), None, move |app, account, now| {
            let Some(a) = account else {
                return Transition {
                    account: None,
                    outcome: Err("no such account".to_owned()),
                    effects: vec![],
                };
            };
            let t = match action.as_str() {
                "block" => app.auth.admin_block(a, &staff, now),
                "unblock" => app.auth.lift_admin_block(a, &staff, now),
                "close" => app.auth.close(a, &staff, now),
                _ => {
                    return Transition {
                        account: None,
                        outcome: Err("unknown action".to_owned()),
                        effects: vec![],
                    };
                }
            };
            match t {
                Ok(t) => Transition {
                    account: t.account,
                    outcome: Ok(()),
                    effects: t.effects,
                },
                Err(e) => Transition {
                    account: None,
                    outcome: Err(e.to_string()),
                    effects: vec![],
                },
            }
        })
        .await
    }

    /// Staff: an unblock SMS (its text and sender) handled: a new code goes to the number on
    /// file when it is the sender's; the answer is the same in every case.
    pub async fn unblock_sms(self: &Arc<Self>, sender: &str, body: &str) -> AppResult<String> {
        let language = ebok_core::messages::Language::Polish;
        let now = self.now().unix_timestamp();
        let (login, phone) = match (
            ebok_core::access::parse_unblock_sms(body),
            ebok_core::access::PhoneNumber::new(sender),
        ) {
            (Ok(l), Ok(p)) => (l, p),
            (Err(e), _) => {
                let outcome = format!("not an unblock request: {e}");
                self.store
                    .add_unblock_request(now, sender, body, &outcome)
                    .await?;
                return Ok(outcome);
            }
            (_, Err(e)) => {
                let outcome = format!("sender: {e}");
                self.store
                    .add_unblock_request(now, sender, body, &outcome)
                    .await?;
                return Ok(outcome);
            }
        };
        let evidence = ebok_core::access::UnblockEvidence::Sms { sender: phone };
        let outcome = self
            .transition(login.as_str(), None, move |app, account, now| {
                app.auth
                    .handle_unblock_request(account, &evidence, now, &mut os_rng())
            })
            .await?;
        let answer = outcome.ack.message(language).to_owned();
        self.store
            .add_unblock_request(now, sender, body, &answer)
            .await?;
        Ok(answer)
    }

    /// Performs a transition's effects: deliveries and notices to the outbox (the code itself
    /// only to the channel: the log in demo mode), sessions revoked, the audit log written.
    async fn perform(
        &self,
        effects: Vec<Effect>,
        login: &str,
        session: Option<&str>,
    ) -> AppResult<()> {
        let at = self.now().unix_timestamp();
        for effect in effects {
            match effect {
                Effect::Deliver {
                    channel,
                    target,
                    otp,
                } => {
                    let masked = match &target {
                        DeliveryTarget::Phone(p) => mask(p.as_str()),
                        DeliveryTarget::Email(e) => mask(e.as_str()),
                        DeliveryTarget::Post(_) => "adres pocztowy".to_owned(),
                        DeliveryTarget::Office => "biuro".to_owned(),
                    };
                    let delivered = if self.config.demo || channel == Channel::InPerson {
                        if self.config.demo {
                            let line = format!(
                                "[demo delivery] {} to {masked}: code {}",
                                channel_code(channel),
                                otp.expose()
                            );
                            eprintln!("{line}");
                            lock(&self.deliveries).push(line);
                        }
                        Some(at)
                    } else {
                        eprintln!(
                            "[outbox] a code for {} via {} waits for a gateway (none configured)",
                            masked,
                            channel_code(channel)
                        );
                        None
                    };
                    self.store
                        .add_outbox(&OutboxLine {
                            at,
                            kind: "otp".into(),
                            login: login.into(),
                            channel: channel_code(channel).into(),
                            target: masked,
                            delivered_at: delivered,
                        })
                        .await?;
                }
                Effect::Notify { login, event, .. } => {
                    self.store
                        .add_outbox(&OutboxLine {
                            at,
                            kind: format!("notice:{}", event.code()),
                            login: login.as_str().into(),
                            channel: "portal".into(),
                            target: "—".into(),
                            delivered_at: Some(at),
                        })
                        .await?;
                }
                Effect::RevokeSessions(scope) => {
                    let keep = match scope {
                        RevokeScope::Others => session,
                        _ => None,
                    };
                    self.store.revoke_sessions(login, keep).await?;
                }
                Effect::EraseData => self.store.erase_personal_data(login).await?,
                Effect::Audit(a) => {
                    let login = a.login.as_ref().map_or(login, |l| l.as_str()).to_owned();
                    let detail = match (&a.reason, &a.attempted_identifier) {
                        (Some(r), _) => format!("{r:?}"),
                        (None, Some(id)) => format!("identifier {id}"),
                        _ => String::new(),
                    };
                    self.store
                        .add_audit(&AuditLine {
                            at: a.at.unix_timestamp(),
                            kind: serde_json::to_value(a.kind)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_else(|| format!("{:?}", a.kind)),
                            actor: a.actor.clone().unwrap_or_else(|| "resident".into()),
                            login,
                            detail,
                        })
                        .await?;
                }
            }
        }
        Ok(())
    }

    // ── staff ───────────────────────────────────────────────────────────────────────────

    /// Adds (or replaces) a staff member with a password (hashed with argon2id).
    pub async fn add_staff(
        self: &Arc<Self>,
        name: &str,
        password: Zeroizing<String>,
    ) -> AppResult<()> {
        let app = Arc::clone(self);
        let phc = tokio::task::spawn_blocking(move || {
            app.auth.kdf().hash(password.as_bytes(), &mut os_rng())
        })
        .await?
        .map_err(|e| AppError(e.to_string()))?;
        self.store.put_staff(name, &phc).await?;
        Ok(())
    }

    /// Checks a staff member's password (one KDF evaluation whether the name exists or not).
    pub async fn staff_login(
        self: &Arc<Self>,
        name: &str,
        password: Zeroizing<String>,
    ) -> AppResult<bool> {
        let phc = self.store.staff_phc(name).await?;
        let app = Arc::clone(self);
        Ok(tokio::task::spawn_blocking(move || {
            let known = phc.is_some();
            let phc = phc.unwrap_or_else(|| app.auth.dummy_phc().to_owned());
            app.auth.kdf().verify(password.as_bytes(), &phc) && known
        })
        .await?)
    }

    /// Writes a staff action to the audit log.
    pub async fn audit(&self, kind: &str, actor: &str, login: &str, detail: &str) -> AppResult<()> {
        self.store
            .add_audit(&AuditLine {
                at: self.now().unix_timestamp(),
                kind: kind.into(),
                actor: actor.into(),
                login: login.into(),
                detail: detail.into(),
            })
            .await?;
        Ok(())
    }

    // ── inputs ──────────────────────────────────────────────────────────────────────────

    /// Imports a snapshot (manifest.txt and its CSV files): all or nothing. On success the
    /// files are stored and the report returned; on failure nothing changes and every
    /// problem is listed.
    pub async fn import_snapshot(
        &self,
        files: Vec<(String, Vec<u8>)>,
        actor: &str,
    ) -> AppResult<Result<String, String>> {
        let result = self
            .apply_input("snapshot", actor, false, |coop, now| {
                apply_snapshot(coop, &files, now, false).map(|r| (r, files.clone()))
            })
            .await?;
        if let Ok(report) = &result {
            self.audit("snapshot_import", actor, "", report).await?;
        }
        Ok(result)
    }

    /// Imports a bank statement file (MT940/MT942/camt): all or nothing.
    pub async fn import_bank(
        &self,
        name: String,
        bytes: Vec<u8>,
        actor: &str,
    ) -> AppResult<Result<String, String>> {
        let files = vec![(name, bytes)];
        let result = self
            .apply_input("bank", actor, false, |coop, now| {
                apply_bank(coop, &files, now.date()).map(|r| (r, files.clone()))
            })
            .await?;
        if let Ok(report) = &result {
            self.audit("bank_import", actor, "", report).await?;
        }
        Ok(result)
    }

    /// A resident's reading, validated by the core within the login's relations; stored (and
    /// kept as an input) only when accepted. `None` when the login or premises is not one.
    pub async fn submit_reading(
        &self,
        login: &str,
        premises: &str,
        serial: &str,
        value: &str,
        confirmed: bool,
    ) -> AppResult<Option<Verdict>> {
        let (Ok(l), Ok(p)) = (LoginId::new(login), PremisesId::new(premises)) else {
            return Ok(None);
        };
        let verdict = Mutex::new(None);
        let record = serde_json::json!({"login": login, "premises": premises, "serial": serial, "value": value, "confirmed": confirmed}).to_string();
        // A refused reading changes nothing and is not stored: its verdict is the answer.
        let _stored_or_refused = self
            .apply_input("reading", login, true, |coop, now| {
                let options = ValidationOptions {
                    confirmed,
                    ..ValidationOptions::new(now.date())
                };
                let v = coop
                    .submit_reading(&l, &p, serial, now.date(), value, &options)
                    .ok();
                let accepted = v.as_ref().is_some_and(Verdict::is_accepted);
                *lock(&verdict) = v;
                if accepted {
                    Ok((
                        "accepted".to_owned(),
                        vec![("reading.json".to_owned(), record.clone().into_bytes())],
                    ))
                } else {
                    Err("not accepted".to_owned())
                }
            })
            .await?;
        Ok(verdict.into_inner().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A reading replayed from the store.
fn apply_reading(
    coop: &mut Cooperative,
    files: &[(String, Vec<u8>)],
    day: Date,
) -> Result<String, String> {
    let (_, bytes) = files.first().ok_or("no reading")?;
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let s = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let login = LoginId::new(&s("login")).map_err(|e| e.to_string())?;
    let premises = PremisesId::new(&s("premises")).map_err(|e| e.to_string())?;
    let options = ValidationOptions {
        confirmed: v
            .get("confirmed")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        ..ValidationOptions::new(day)
    };
    // Stored readings were accepted when they came in: replayed, they must be accepted again.
    match coop.submit_reading(&login, &premises, &s("serial"), day, &s("value"), &options) {
        Ok(v) if v.is_accepted() => Ok("accepted".into()),
        other => Err(format!("a stored reading no longer applies: {other:?}")),
    }
}

/// A snapshot applied to `coop` (all or nothing); the report as text.
fn apply_snapshot(
    coop: &mut Cooperative,
    files: &[(String, Vec<u8>)],
    now: OffsetDateTime,
    replay: bool,
) -> Result<String, String> {
    let manifest = files
        .iter()
        .find(|(n, _)| n == "manifest.txt")
        .ok_or("the snapshot has no manifest.txt")?;
    let mut snapshot = SnapshotFiles::new(manifest.1.clone());
    for (name, bytes) in files.iter().filter(|(n, _)| n != "manifest.txt") {
        snapshot.insert(name, bytes.clone());
    }
    let options = ImportOptions {
        now: (!replay).then_some(now),
        ..ImportOptions::default()
    };
    match coop.import(&snapshot, &options) {
        Ok(report) => {
            let mut lines = vec![format!(
                "{} snapshot, data current as of {}",
                report.kind.map_or("full", |k| k.name()),
                report
                    .current_as_of
                    .map_or_else(String::new, |t| ebok_core::messages::Language::Polish
                        .instant(t))
            )];
            for (t, c) in &report.counts {
                lines.push(format!(
                    "{}: added {}, changed {}, removed {}, unchanged {}",
                    t.name(),
                    c.added,
                    c.changed,
                    c.removed,
                    c.unchanged
                ));
            }
            Ok(lines.join("\n"))
        }
        Err(e) => {
            let mut lines = vec![e.to_string()];
            lines.extend(e.issues.iter().map(ToString::to_string));
            Err(lines.join("\n"))
        }
    }
}

/// A bank statement file applied to `coop` (all or nothing); the report as text.
fn apply_bank(
    coop: &mut Cooperative,
    files: &[(String, Vec<u8>)],
    imported_on: Date,
) -> Result<String, String> {
    let (name, bytes) = files.first().ok_or("no statement file")?;
    let read =
        read_statements(bytes, &ReadOptions::default()).map_err(|e| format!("{name}: {e}"))?;
    let report = coop
        .import_bank_statements(&read.statements, imported_on)
        .map_err(|e| format!("{name}: {e}"))?;
    Ok(format!(
        "{name}: {} statements, {} entries new, {} unchanged; matched {}, ambiguous {}, unmatched {}",
        read.statements.len(),
        report.added,
        report.unchanged,
        report.matched,
        report.ambiguous,
        report.unmatched
    ))
}

fn change_reasons(e: &PasswordChangeError, language: ebok_core::messages::Language) -> Vec<String> {
    match e {
        PasswordChangeError::Rejected(reasons) => {
            reasons.iter().map(|r| r.message(language)).collect()
        }
        other => vec![other.to_string()],
    }
}

fn channel_code(c: Channel) -> &'static str {
    match c {
        Channel::Sms => "sms",
        Channel::Email => "email",
        Channel::Post => "post",
        Channel::InPerson => "in_person",
    }
}

/// A contact with all but its last 3 characters hidden.
pub fn mask(s: &str) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if i + 3 < n && c != '@' && c != ' ' {
                '•'
            } else {
                c
            }
        })
        .collect()
}

/// The rate limiter, locked.
pub fn lock_limiter(app: &App) -> std::sync::MutexGuard<'_, RateLimiter> {
    lock(&app.limiter)
}
