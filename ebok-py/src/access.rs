//! Resident access: `ebok.Authenticator`, `ebok.Account`, `ebok.Secret`, `ebok.Transition`.

use std::sync::Mutex;

use ebok_core::access::{
    AccessPolicy, Account, Activation, Argon2Kdf, Authenticator, Channel, Contacts, Effect,
    EmailAddress, HashPolicy, LockoutPolicy, LoginOutcome, PasswordChangeError, PhoneNumber,
    ReissueEffect, Secret, Transition, UnblockEvidence, WaitStrategy,
};
use ebok_core::messages::Language;
use ebok_core::premises::LoginId;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use rand::SeedableRng;
use rand::rngs::StdRng;
use time::OffsetDateTime;

use crate::convert::{
    AccessDeniedError, PasswordRejectedError, PolicyError, dict_list, instant, invalid, raise_with,
    value_err,
};

/// `ebok.Secret`: a one-time password or ticket. `repr` never shows it; read it with `expose()`.
#[pyclass(frozen, module = "ebok", name = "Secret")]
pub(crate) struct PySecret {
    inner: Secret,
}

#[pymethods]
impl PySecret {
    /// The plaintext, for delivery to the resident.
    fn expose(&self) -> &str {
        self.inner.expose()
    }

    fn __repr__(&self) -> &'static str {
        "Secret('[REDACTED]')"
    }

    fn __str__(&self) -> &'static str {
        "[REDACTED]"
    }
}

/// `ebok.Account`: one resident's access state, serialisable, with a version for compare-and-swap.
#[pyclass(frozen, module = "ebok", name = "Account", eq)]
#[derive(Clone, PartialEq)]
pub(crate) struct PyAccount {
    pub(crate) inner: Account,
}

#[pymethods]
impl PyAccount {
    #[getter]
    fn login(&self) -> &str {
        self.inner.login().as_str()
    }

    #[getter]
    fn version(&self) -> u64 {
        self.inner.version()
    }

    #[getter]
    fn generation(&self) -> u32 {
        self.inner.generation()
    }

    #[getter]
    fn failures(&self) -> u8 {
        self.inner.failures()
    }

    /// The status at `now`: awaiting_activation, awaiting_first_login, awaiting_new_password,
    /// active, locked, temporarily_locked, admin_blocked, closed or no_credential.
    fn status(&self, now: &Bound<'_, PyAny>) -> PyResult<&'static str> {
        Ok(self.inner.status(instant(now, "now")?).code())
    }

    /// Whether activation is overdue at `now` (issued at the office, not activated within 48 hours).
    fn activation_overdue(&self, now: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.inner.activation_overdue(instant(now, "now")?))
    }

    /// The state as JSON (hashes, never secrets), for the host's store.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(value_err)
    }

    /// The state from JSON.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(PyAccount {
            inner: serde_json::from_str(text).map_err(|e| invalid("json", None, "…", e))?,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "Account(login={:?}, version={}, generation={})",
            self.inner.login().as_str(),
            self.inner.version(),
            self.inner.generation()
        )
    }
}

/// `ebok.Transition`: what an access operation did. `account` is the new state to store
/// (compare-and-swap on the old version), or None when nothing changed.
#[pyclass(frozen, module = "ebok", name = "Transition")]
pub(crate) struct PyTransition {
    #[pyo3(get)]
    account: Option<PyAccount>,
    #[pyo3(get)]
    outcome: String,
    ticket: Option<Py<PySecret>>,
    otp: Option<Py<PySecret>>,
    #[pyo3(get)]
    effects: Py<PyList>,
    #[pyo3(get)]
    message_pl: String,
    #[pyo3(get)]
    message_en: String,
}

#[pymethods]
impl PyTransition {
    /// The restricted ticket after a one-time-password login (allows only setting a password).
    #[getter]
    fn ticket(&self, py: Python<'_>) -> Option<Py<PySecret>> {
        self.ticket.as_ref().map(|t| t.clone_ref(py))
    }

    /// The one-time password this transition issued, to deliver.
    #[getter]
    fn otp(&self, py: Python<'_>) -> Option<Py<PySecret>> {
        self.otp.as_ref().map(|t| t.clone_ref(py))
    }

    fn __repr__(&self) -> String {
        format!(
            "Transition(outcome={:?}, changed={})",
            self.outcome,
            self.account.is_some()
        )
    }
}

fn effects_to_python<'py>(
    py: Python<'py>,
    effects: Vec<Effect>,
) -> PyResult<(Bound<'py, PyList>, Option<Secret>)> {
    let list = PyList::empty(py);
    let mut otp = None;
    for e in effects {
        let d = PyDict::new(py);
        match e {
            Effect::Deliver {
                channel,
                target,
                otp: secret,
            } => {
                d.set_item("type", "deliver")?;
                d.set_item("channel", channel.code())?;
                d.set_item("target", serde_json::to_string(&target).map_err(value_err)?)?;
                otp = Some(secret);
            }
            Effect::Notify { login, event, at } => {
                d.set_item("type", "notify")?;
                d.set_item("login", login.as_str())?;
                d.set_item("event", event.code())?;
                d.set_item("message_pl", event.message(Language::Polish))?;
                d.set_item("at", at)?;
            }
            Effect::RevokeSessions(scope) => {
                d.set_item("type", "revoke_sessions")?;
                d.set_item("scope", scope.code())?;
            }
            Effect::EraseData => d.set_item("type", "erase_data")?,
            Effect::Audit(a) => {
                d.set_item("type", "audit")?;
                d.set_item("event", serde_json::to_string(&a).map_err(value_err)?)?;
            }
        }
        list.append(d)?;
    }
    Ok((list, otp))
}

fn to_py<T>(
    py: Python<'_>,
    t: Transition<T>,
    outcome: &str,
    ticket: Option<Secret>,
    messages: (&str, &str),
) -> PyResult<PyTransition> {
    let (effects, otp) = effects_to_python(py, t.effects)?;
    Ok(PyTransition {
        account: t.account.map(|inner| PyAccount { inner }),
        outcome: outcome.to_owned(),
        ticket: ticket
            .map(|inner| Py::new(py, PySecret { inner }))
            .transpose()?,
        otp: otp
            .map(|inner| Py::new(py, PySecret { inner }))
            .transpose()?,
        effects: effects.unbind(),
        message_pl: messages.0.to_owned(),
        message_en: messages.1.to_owned(),
    })
}

fn channel(c: &str) -> PyResult<Channel> {
    match c {
        "sms" => Ok(Channel::Sms),
        "email" => Ok(Channel::Email),
        "post" => Ok(Channel::Post),
        "in_person" => Ok(Channel::InPerson),
        other => Err(PolicyError::new_err(format!(
            "channel {other:?}: expected sms, email, post or in_person"
        ))),
    }
}

fn reissue(e: &str) -> PyResult<ReissueEffect> {
    match e {
        "invalidate_immediately" => Ok(ReissueEffect::InvalidateImmediately),
        "keep_password_until_redeemed" => Ok(ReissueEffect::KeepPasswordUntilRedeemed),
        other => Err(PolicyError::new_err(format!(
            "{other:?}: expected invalidate_immediately or keep_password_until_redeemed"
        ))),
    }
}

fn access_err(e: ebok_core::access::AccessError) -> PyErr {
    match e {
        ebok_core::access::AccessError::InvalidPolicy { .. } => PolicyError::new_err(e.to_string()),
        ebok_core::access::AccessError::InvalidContact { .. } => value_err(e),
        _ => AccessDeniedError::new_err(e.to_string()),
    }
}

fn password_err(py: Python<'_>, e: PasswordChangeError) -> PyErr {
    match e {
        PasswordChangeError::Rejected(reasons) => {
            let rows = reasons
                .iter()
                .map(|r| {
                    vec![
                        ("reason", PyString::new(py, r.code()).into_any()),
                        (
                            "message_pl",
                            PyString::new(py, &r.message(Language::Polish)).into_any(),
                        ),
                        (
                            "message_en",
                            PyString::new(py, &r.message(Language::English)).into_any(),
                        ),
                    ]
                })
                .collect();
            let message = format!(
                "the new password was refused: {}",
                reasons
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            match dict_list(py, rows) {
                Ok(list) => raise_with::<PasswordRejectedError>(py, message, list.into_any()),
                Err(err) => err,
            }
        }
        PasswordChangeError::Access(a) => access_err(a),
        // NotAllowed, WrongCurrent and any later refusal.
        other => AccessDeniedError::new_err(other.to_string()),
    }
}

/// `ebok.Authenticator`: the access state machine with its policy, argon2id and a random source.
#[pyclass(frozen, module = "ebok", name = "Authenticator")]
pub(crate) struct PyAuthenticator {
    inner: Authenticator<Argon2Kdf>,
    rng: Mutex<StdRng>,
}

impl PyAuthenticator {
    fn rng(&self) -> std::sync::MutexGuard<'_, StdRng> {
        self.rng
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[pymethods]
impl PyAuthenticator {
    /// An authenticator. `lockout_threshold` (default 7) or `progressive` ("multiple"/"linear");
    /// `insecure_fast_hashing=True` uses tiny argon2 parameters (tests only); `seed` makes the
    /// random source deterministic (tests only; otherwise the operating system's generator).
    #[new]
    #[pyo3(signature = (lockout_threshold=7, progressive=None, insecure_fast_hashing=false, seed=None, min_password_chars=15, context_words=None))]
    fn new(
        lockout_threshold: u8,
        progressive: Option<&str>,
        insecure_fast_hashing: bool,
        seed: Option<u64>,
        min_password_chars: u16,
        context_words: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let lockout = match progressive {
            None => LockoutPolicy::Cooperative {
                threshold: lockout_threshold,
            },
            Some("multiple") => LockoutPolicy::progressive(WaitStrategy::Multiple),
            Some("linear") => LockoutPolicy::progressive(WaitStrategy::Linear),
            Some(other) => {
                return Err(PolicyError::new_err(format!(
                    "progressive {other:?}: expected multiple or linear"
                )));
            }
        };
        let mut policy = AccessPolicy {
            lockout,
            ..AccessPolicy::default()
        };
        if insecure_fast_hashing {
            policy.hash = HashPolicy::insecure_for_tests();
            policy.insecure_fast_hashing = true;
        }
        policy.password.min_chars = min_password_chars;
        policy.password.context_words = context_words.unwrap_or_default();
        let mut rng = match seed {
            Some(s) => StdRng::seed_from_u64(s),
            None => StdRng::try_from_rng(&mut rand::rngs::SysRng)
                .map_err(|e| AccessDeniedError::new_err(format!("no OS randomness: {e}")))?,
        };
        let kdf = Argon2Kdf::new(policy.hash).map_err(access_err)?;
        let inner = Authenticator::new(policy, kdf, &mut rng).map_err(access_err)?;
        Ok(PyAuthenticator {
            inner,
            rng: Mutex::new(rng),
        })
    }

    /// Creates access at the office; the transition's `otp` is the one-time password to deliver.
    /// `activation`: "immediate", "manual" (activate() later, due within 48 hours) or an aware datetime
    /// (at most 48 hours ahead). `by`: the staff member issuing it, for the audit log (required).
    #[pyo3(signature = (login, now, channel="in_person", activation=None, phone=None, email=None, postal=None, *, by))]
    #[allow(clippy::too_many_arguments)]
    fn create_account(
        &self,
        py: Python<'_>,
        login: &str,
        now: &Bound<'_, PyAny>,
        channel: &str,
        activation: Option<&Bound<'_, PyAny>>,
        phone: Option<&str>,
        email: Option<&str>,
        postal: Option<String>,
        by: &str,
    ) -> PyResult<PyTransition> {
        let login = LoginId::new(login).map_err(|e| invalid("login", None, login, e))?;
        let activation = match activation {
            None => Activation::Immediate,
            Some(a) if a.is_instance_of::<PyString>() => match a.extract::<String>()?.as_str() {
                "immediate" => Activation::Immediate,
                "manual" => Activation::Manual,
                other => {
                    return Err(PolicyError::new_err(format!(
                        "activation {other:?}: expected immediate, manual or a datetime"
                    )));
                }
            },
            Some(a) => Activation::At(instant(a, "activation")?),
        };
        let contacts = Contacts {
            phone: phone
                .map(PhoneNumber::new)
                .transpose()
                .map_err(access_err)?,
            email: email
                .map(EmailAddress::new)
                .transpose()
                .map_err(access_err)?,
            postal,
        };
        let t = self
            .inner
            .create_account(
                login,
                contacts,
                self::channel(channel)?,
                activation,
                by,
                instant(now, "now")?,
                &mut *self.rng(),
            )
            .map_err(access_err)?;
        to_py(py, t, "created", None, ("", ""))
    }

    /// Activates access issued with activation="manual", within 48 hours; `by`: the staff member.
    #[pyo3(signature = (account, now, *, by))]
    fn activate(
        &self,
        py: Python<'_>,
        account: &PyAccount,
        now: &Bound<'_, PyAny>,
        by: &str,
    ) -> PyResult<PyTransition> {
        let t = self
            .inner
            .activate(&account.inner, by, instant(now, "now")?)
            .map_err(access_err)?;
        to_py(py, t, "activated", None, ("", ""))
    }

    /// A login attempt. `account` is what the host found for the typed identifier (None if none).
    /// The outcome is "success", "must_change_password" (with `ticket`) or "failure" — one
    /// failure for every reason.
    fn login(
        &self,
        py: Python<'_>,
        account: Option<PyRef<'_, PyAccount>>,
        attempted: &str,
        secret: &str,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<PyTransition> {
        let now = instant(now, "now")?;
        let acc = account.as_deref().map(|a| a.inner.clone());
        let t = self
            .inner
            .login(acc.as_ref(), attempted, secret, now, &mut *self.rng());
        let messages = (
            t.outcome.message(Language::Polish),
            t.outcome.message(Language::English),
        );
        let (outcome, ticket) = match &t.outcome {
            LoginOutcome::Success => ("success", None),
            LoginOutcome::MustChangePassword(ticket) => (
                "must_change_password",
                Some(Secret::new(ticket.expose().to_owned())),
            ),
            LoginOutcome::Failure => ("failure", None),
        };
        let t = Transition {
            account: t.account,
            outcome: (),
            effects: t.effects,
        };
        to_py(py, t, outcome, ticket, messages)
    }

    /// Sets the first password with the ticket of a one-time-password login.
    fn set_new_password(
        &self,
        py: Python<'_>,
        account: &PyAccount,
        ticket: &str,
        new_password: &str,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<PyTransition> {
        let t = self
            .inner
            .set_new_password(
                &account.inner,
                ticket,
                new_password,
                instant(now, "now")?,
                &mut *self.rng(),
            )
            .map_err(|e| password_err(py, e))?;
        to_py(py, t, "password_set", None, ("", ""))
    }

    /// Changes the password of a logged-in resident. A wrong current password is counted like a
    /// failed login: the outcome is "failure" and the transition's account must be stored.
    fn change_password(
        &self,
        py: Python<'_>,
        account: &PyAccount,
        current: &str,
        new_password: &str,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<PyTransition> {
        let t = self.inner.change_password(
            &account.inner,
            current,
            new_password,
            instant(now, "now")?,
            &mut *self.rng(),
        );
        let (outcome, messages) = match t.outcome {
            Ok(()) => ("password_changed", ("", "")),
            Err(PasswordChangeError::WrongCurrent) => (
                "failure",
                (
                    "Obecne hasło jest błędne.",
                    "The current password is wrong.",
                ),
            ),
            Err(e) => return Err(password_err(py, e)),
        };
        let t = Transition {
            account: t.account,
            outcome: (),
            effects: t.effects,
        };
        to_py(py, t, outcome, None, messages)
    }

    /// Issues a new one-time password (cancels the old one, lifts a lockout); `by`: the staff member.
    #[pyo3(signature = (account, now, channel="in_person", effect="invalidate_immediately", *, by))]
    fn issue_otp(
        &self,
        py: Python<'_>,
        account: &PyAccount,
        now: &Bound<'_, PyAny>,
        channel: &str,
        effect: &str,
        by: &str,
    ) -> PyResult<PyTransition> {
        let t = self
            .inner
            .issue_otp(
                &account.inner,
                self::channel(channel)?,
                reissue(effect)?,
                by,
                instant(now, "now")?,
                &mut *self.rng(),
            )
            .map_err(access_err)?;
        to_py(py, t, "otp_issued", None, ("", ""))
    }

    /// Blocks the account for misuse.
    fn admin_block(
        &self,
        py: Python<'_>,
        account: &PyAccount,
        by: &str,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<PyTransition> {
        let t = self
            .inner
            .admin_block(&account.inner, by, instant(now, "now")?)
            .map_err(access_err)?;
        to_py(py, t, "admin_blocked", None, ("", ""))
    }

    /// Lifts a block for misuse.
    fn lift_admin_block(
        &self,
        py: Python<'_>,
        account: &PyAccount,
        by: &str,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<PyTransition> {
        let t = self
            .inner
            .lift_admin_block(&account.inner, by, instant(now, "now")?)
            .map_err(access_err)?;
        to_py(py, t, "admin_unblocked", None, ("", ""))
    }

    /// Closes the account at the owner's request: a tombstone, nothing can reopen it; `by`: the staff member.
    #[pyo3(signature = (account, now, *, by))]
    fn close(
        &self,
        py: Python<'_>,
        account: &PyAccount,
        now: &Bound<'_, PyAny>,
        by: &str,
    ) -> PyResult<PyTransition> {
        let t = self
            .inner
            .close(&account.inner, by, instant(now, "now")?)
            .map_err(access_err)?;
        to_py(py, t, "closed", None, ("", ""))
    }

    /// Handles an unblock request. `evidence`: {"sms": phone} | {"call": phone, "staff": id} |
    /// {"email": address, "staff": id} | {"in_person": staff_id}. The answer (`message_pl`) is
    /// the same whatever happened.
    fn handle_unblock_request(
        &self,
        py: Python<'_>,
        account: Option<PyRef<'_, PyAccount>>,
        evidence: &Bound<'_, PyDict>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<PyTransition> {
        let get = |k: &str| -> PyResult<Option<String>> {
            evidence
                .get_item(k)?
                .map(|v| v.extract::<String>())
                .transpose()
        };
        let staff = get("staff")?;
        let ev = if let Some(p) = get("sms")? {
            UnblockEvidence::Sms {
                sender: PhoneNumber::new(&p).map_err(access_err)?,
            }
        } else if let Some(p) = get("call")? {
            UnblockEvidence::RecordedCall {
                caller: PhoneNumber::new(&p).map_err(access_err)?,
                staff,
            }
        } else if let Some(e) = get("email")? {
            UnblockEvidence::EmailForm {
                sender: EmailAddress::new(&e).map_err(access_err)?,
                staff,
            }
        } else if let Some(s) = get("in_person")? {
            UnblockEvidence::InPerson { staff: s }
        } else {
            return Err(PolicyError::new_err(
                "evidence needs one of: sms, call, email, in_person",
            ));
        };
        let acc = account.as_deref().map(|a| a.inner.clone());
        let t = self.inner.handle_unblock_request(
            acc.as_ref(),
            &ev,
            instant(now, "now")?,
            &mut *self.rng(),
        );
        let ack = t.outcome.ack;
        let t = Transition {
            account: t.account,
            outcome: (),
            effects: t.effects,
        };
        to_py(
            py,
            t,
            "acknowledged",
            None,
            (
                ack.message(Language::Polish),
                ack.message(Language::English),
            ),
        )
    }

    fn __repr__(&self) -> String {
        format!("Authenticator(lockout={:?})", self.inner.policy().lockout)
    }
}

/// The identifier in an unblock SMS ("odblokowanie e-BOK nr identyfikacyjny 0756555").
#[pyfunction]
pub(crate) fn parse_unblock_sms(text: &str) -> PyResult<String> {
    ebok_core::access::parse_unblock_sms(text)
        .map(|l| l.to_string())
        .map_err(value_err)
}

/// Logins whose activation is overdue at `now`.
#[pyfunction]
pub(crate) fn overdue_activations(
    accounts: Vec<PyRef<'_, PyAccount>>,
    now: &Bound<'_, PyAny>,
) -> PyResult<Vec<String>> {
    let now: OffsetDateTime = instant(now, "now")?;
    Ok(accounts
        .iter()
        .filter(|a| a.inner.activation_overdue(now))
        .map(|a| a.inner.login().to_string())
        .collect())
}
