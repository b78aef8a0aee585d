//! Logging in: one verification on every path, one public failure, lockout counting.

use super::*;

impl<K: Kdf> Authenticator<K> {
    /// A login attempt. `account` is what the host found for the identifier typed (`None`
    /// when there is none); `attempted` is that identifier, for the audit log. Every path
    /// runs exactly one verification by the hashing function, and every failure looks the
    /// same to the caller: [`LoginOutcome::Failure`]. The reason goes only to the audit event.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let created = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?;
    /// let code = created.otp().unwrap().expose().to_lowercase(); // case does not matter
    /// let account = created.account.unwrap();
    /// let t = auth.login(Some(&account), "0756555", &code, now, &mut rng);
    /// assert!(matches!(t.outcome, LoginOutcome::MustChangePassword(_)));
    /// // The code cannot be used twice.
    /// let again = auth.login(t.account.as_ref(), "0756555", &code, now, &mut rng);
    /// assert_eq!(again.outcome, LoginOutcome::Failure);
    /// assert_eq!(auth.login(None, "9999999", &code, now, &mut rng).outcome, LoginOutcome::Failure);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn login<R: rand_core::CryptoRng + ?Sized>(
        &self,
        account: Option<&Account>,
        attempted: &str,
        secret: &str,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Transition<LoginOutcome> {
        let fail_quietly = |reason: FailureReason, login: Option<&LoginId>| {
            let _ = self.kdf.verify(secret.as_bytes(), &self.dummy_phc);
            Transition {
                account: None,
                outcome: LoginOutcome::Failure,
                effects: vec![audit(
                    login,
                    Some(attempted),
                    AuditKind::LoginFailed,
                    Some(reason),
                    now,
                )],
            }
        };
        let Some(account) = account else {
            return fail_quietly(FailureReason::UnknownId, None);
        };
        let login = &account.login;
        let Some(live) = account.live() else {
            return fail_quietly(FailureReason::Closed, Some(login));
        };
        let t = now.max(live.high_water);
        if live.admin_block.is_some() {
            return fail_quietly(FailureReason::AdminBlocked, Some(login));
        }
        if live.locked {
            return fail_quietly(FailureReason::Locked, Some(login));
        }
        if live.locked_until.is_some_and(|u| t < u) {
            return fail_quietly(FailureReason::TemporarilyLocked, Some(login));
        }
        let symbols = usize::from(self.policy.otp.symbols);
        let as_otp = otp::normalize(secret, symbols);
        let otp_record = live
            .otp
            .as_ref()
            .filter(|_| as_otp.is_some() || live.password.is_none());
        if let Some(o) = otp_record {
            let activated = o.activated_at.is_some_and(|a| t >= a);
            if !activated {
                return fail_quietly(FailureReason::NotActive, Some(login));
            }
            let code = as_otp.as_ref().map_or(secret.as_bytes(), |c| c.as_bytes());
            let matched = self.kdf.verify(code, &o.phc);
            let expired = o.expires_at.is_none_or(|e| t >= e);
            if expired {
                // An expired code is discarded once seen, so no backward clock can revive it.
                return self.failed(
                    account,
                    live,
                    t,
                    FailureReason::Expired { matched },
                    attempted,
                    !matched,
                    true,
                );
            }
            if !matched {
                return self.failed(
                    account,
                    live,
                    t,
                    FailureReason::WrongSecret,
                    attempted,
                    true,
                    false,
                );
            }
            // Redeemed: the code is consumed in the same transition, and it ends any old password.
            let mut ticket_bytes = [0u8; 16];
            rng.fill_bytes(&mut ticket_bytes);
            let ticket_text = otp::grouped(&base32(&ticket_bytes));
            zeroize::Zeroize::zeroize(&mut ticket_bytes);
            let mut next = live.clone();
            next.ticket = Some(Ticket {
                digest: ticket_digest(ticket_text.expose()),
                // Past the year 9999 there is no expiry to give: the ticket lasts to the end of time
                // rather than the login panicking.
                expires_at: later(t, self.policy.otp.change_ticket_ttl)
                    .unwrap_or(time::PrimitiveDateTime::MAX.assume_utc()),
                otp_phc: o.phc.clone(),
            });
            next.otp = None;
            next.password = None;
            next.failures = 0;
            next.temporary_lockouts = 0;
            next.locked_until = None;
            next.last_failure_at = None;
            next.high_water = t;
            return Transition {
                account: account.with(next).ok(),
                outcome: LoginOutcome::MustChangePassword(ChangeTicket(ticket_text)),
                effects: vec![audit(
                    Some(login),
                    Some(attempted),
                    AuditKind::OtpRedeemed,
                    None,
                    t,
                )],
            };
        }
        let Some(pw) = live.password.as_ref() else {
            // Nothing to verify against (the code was used and no password was set yet).
            let _ = self.kdf.verify(secret.as_bytes(), &self.dummy_phc);
            return self.failed(
                account,
                live,
                t,
                FailureReason::NoCredential,
                attempted,
                true,
                false,
            );
        };
        let normalized = match self.policy.password.normalize(secret) {
            Ok(n) => n,
            Err(_) => {
                let _ = self.kdf.verify(secret.as_bytes(), &self.dummy_phc);
                return self.failed(
                    account,
                    live,
                    t,
                    FailureReason::WrongSecret,
                    attempted,
                    true,
                    false,
                );
            }
        };
        if !self.kdf.verify(normalized.as_bytes(), &pw.phc) {
            return self.failed(
                account,
                live,
                t,
                FailureReason::WrongSecret,
                attempted,
                true,
                false,
            );
        }
        let mut next = live.clone();
        let had_failures = next.failures > 0 || next.temporary_lockouts > 0;
        next.failures = 0;
        next.temporary_lockouts = 0;
        next.locked_until = None;
        next.last_failure_at = None;
        let mut effects = vec![audit(
            Some(login),
            Some(attempted),
            AuditKind::LoginSucceeded,
            None,
            t,
        )];
        let mut changed = had_failures || t > live.high_water;
        if self.kdf.needs_rehash(&pw.phc)
            && let Ok(phc) = self.kdf.hash(normalized.as_bytes(), rng)
        {
            next.password = Some(Credential {
                phc,
                set_at: pw.set_at,
            });
            effects.push(audit(Some(login), None, AuditKind::Rehashed, None, t));
            changed = true;
        }
        next.high_water = t;
        Transition {
            account: changed.then(|| account.with(next).ok()).flatten(),
            outcome: LoginOutcome::Success,
            effects,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn failed(
        &self,
        account: &Account,
        live: &Live,
        t: OffsetDateTime,
        reason: FailureReason,
        attempted: &str,
        count: bool,
        drop_otp: bool,
    ) -> Transition<LoginOutcome> {
        self.failed_as(
            AuditKind::LoginFailed,
            account,
            live,
            t,
            reason,
            attempted,
            count,
            drop_otp,
        )
    }

    /// A failure, audited as `kind`: counted towards the lockout when `count`, the pending code
    /// dropped when `drop_otp`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn failed_as(
        &self,
        kind: AuditKind,
        account: &Account,
        live: &Live,
        t: OffsetDateTime,
        reason: FailureReason,
        attempted: &str,
        count: bool,
        drop_otp: bool,
    ) -> Transition<LoginOutcome> {
        let login = &account.login;
        let mut effects = vec![audit(Some(login), Some(attempted), kind, Some(reason), t)];
        if !count && !drop_otp {
            return Transition {
                account: None,
                outcome: LoginOutcome::Failure,
                effects,
            };
        }
        let mut next = live.clone();
        if drop_otp {
            next.otp = None;
        }
        if !count {
            next.high_water = t;
            return Transition {
                account: account.with(next).ok(),
                outcome: LoginOutcome::Failure,
                effects,
            };
        }
        match self.policy.lockout {
            LockoutPolicy::Cooperative { threshold } => {
                next.failures = next.failures.saturating_add(1).min(threshold);
                if next.failures >= threshold {
                    next.locked = true;
                }
            }
            LockoutPolicy::Progressive {
                max_failures,
                strategy,
                wait_increment,
                max_wait,
                failure_reset,
                max_temporary_lockouts,
                quick_login_within,
                quick_login_wait,
            } => {
                if next.last_failure_at.is_some_and(|l| t - l > failure_reset) {
                    next.failures = 0;
                }
                next.failures = next.failures.saturating_add(1).min(HARD_FAILURE_CAP);
                let n = i32::from(next.failures);
                let max = i32::from(max_failures);
                let mut wait = match strategy {
                    WaitStrategy::Multiple => wait_increment * (n / max),
                    WaitStrategy::Linear if n >= max => wait_increment * (1 + n - max),
                    WaitStrategy::Linear => Duration::ZERO,
                };
                if wait > max_wait {
                    wait = max_wait;
                }
                if wait.is_zero()
                    && next
                        .last_failure_at
                        .is_some_and(|l| t - l < quick_login_within)
                {
                    wait = quick_login_wait;
                }
                if next.failures >= HARD_FAILURE_CAP {
                    next.locked = true;
                } else if wait.is_positive() {
                    next.temporary_lockouts = next.temporary_lockouts.saturating_add(1);
                    if max_temporary_lockouts > 0
                        && next.temporary_lockouts > max_temporary_lockouts
                    {
                        next.locked = true;
                    } else {
                        next.locked_until = Some(
                            later(t, wait).unwrap_or(time::PrimitiveDateTime::MAX.assume_utc()),
                        );
                    }
                }
                next.last_failure_at = Some(t);
            }
        }
        if next.locked && !live.locked {
            // Blocked access is blocked now: sessions already open end too (as Devise's
            // lockable signs out a locked account on its next request).
            effects.push(Effect::RevokeSessions(RevokeScope::All));
            effects.push(notice(login, Notice::Blocked, t));
            effects.push(audit(Some(login), None, AuditKind::Locked, None, t));
        }
        next.high_water = t;
        Transition {
            account: account.with(next).ok(),
            outcome: LoginOutcome::Failure,
            effects,
        }
    }
}
