//! Issuing access: creating an account with a one-time password, activating it, re-issuing.

use super::*;

impl<K: Kdf> Authenticator<K> {
    /// Creates access at the office: a new account for `login`, with a one-time password to
    /// deliver through `channel` to the contact on file (or to hand over in person).
    ///
    /// ```
    /// use ebok_core::access::*;
    /// use ebok_core::premises::LoginId;
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// let policy = AccessPolicy::insecure_for_tests();
    /// let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let t = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Manual, "office", now, &mut rng)?;
    /// let code = t.otp().unwrap().expose().to_owned();
    /// assert_eq!(code.len(), 19); // XXXX-XXXX-XXXX-XXXX
    /// assert!(auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::Sms, Activation::Manual, "office", now, &mut rng).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub fn create_account<R: rand_core::CryptoRng + ?Sized>(
        &self,
        login: LoginId,
        contacts: Contacts,
        channel: Channel,
        activation: Activation,
        by: &str,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Result<Transition<()>, AccessError> {
        let by = StaffName::new(by)?;
        if let Activation::At(at) = activation
            && at > later(now, self.policy.otp.activation_within)?
        {
            return Err(AccessError::ActivationOverdue {
                due: later(now, self.policy.otp.activation_within)?.to_string(),
            });
        }
        let target = Self::target(&contacts, channel)?;
        let (code, phc) = self.new_otp(rng)?;
        let live = Live {
            contacts,
            password: None,
            otp: Some(self.otp_record(phc, channel, now, activation)?),
            ticket: None,
            failures: 0,
            locked: false,
            temporary_lockouts: 0,
            locked_until: None,
            last_failure_at: None,
            admin_block: None,
            recent_issuances: vec![OffsetDateTimeSer(now)],
            high_water: now,
        };
        let account = Account {
            login: login.clone(),
            version: 1,
            generation: 1,
            state: State::Live(Box::new(live)),
        };
        Ok(Transition {
            account: Some(account),
            outcome: (),
            effects: vec![
                Effect::Deliver {
                    channel,
                    target,
                    otp: code,
                },
                notice(&login, Notice::OtpIssued, now),
                staff_audit(&login, AuditKind::Created, &by.0, now),
            ],
        })
    }

    /// Activates access issued with [`Activation::Manual`] (a no-op when already active).
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Manual, "office", now, &mut rng)?.account.unwrap();
    /// let later = now + time::Duration::hours(20);
    /// let a = auth.activate(&a, "office", later)?.account.unwrap();
    /// assert_eq!(a.status(later), AccountStatus::AwaitingFirstLogin);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn activate(
        &self,
        account: &Account,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Transition<()>, AccessError> {
        let by = StaffName::new(by)?;
        let Some(live) = account.live() else {
            return Err(AccessError::Closed);
        };
        let t = now.max(live.high_water);
        let Some(o) = live.otp.as_ref().filter(|o| o.activated_at.is_none()) else {
            return Ok(Transition {
                account: None,
                outcome: (),
                effects: vec![],
            });
        };
        // Seed 000: access is activated within 48 hours of the visit, not a year later.
        if t > o.activation_due {
            return Err(AccessError::ActivationOverdue {
                due: o.activation_due.to_string(),
            });
        }
        let mut next = live.clone();
        if let Some(otp) = next.otp.as_mut() {
            otp.activated_at = Some(t);
            otp.expires_at = Some(expiry(&self.policy, o.channel, o.issued_at, t)?);
        }
        next.high_water = t;
        Ok(Transition {
            account: Some(account.with(next)?),
            outcome: (),
            effects: vec![staff_audit(&account.login, AuditKind::Activated, &by.0, t)],
        })
    }

    /// Issues a new one-time password (re-issue): cancels the previous code, lifts a lockout,
    /// and — with [`ReissueEffect::InvalidateImmediately`] — ends the current password.
    /// Refused for a closed account and for one blocked for misuse (lift that block first).
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let first = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?;
    /// let old = first.otp().unwrap().expose().to_owned();
    /// let again = auth.issue_otp(first.account.as_ref().unwrap(), Channel::InPerson, ReissueEffect::InvalidateImmediately, "office", now, &mut rng)?;
    /// assert_eq!(again.account.as_ref().unwrap().generation(), 2);
    /// assert_eq!(auth.login(again.account.as_ref(), "0756555", &old, now, &mut rng).outcome, LoginOutcome::Failure);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn issue_otp<R: rand_core::CryptoRng + ?Sized>(
        &self,
        account: &Account,
        channel: Channel,
        effect: ReissueEffect,
        by: &str,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Result<Transition<()>, AccessError> {
        let by = StaffName::new(by)?;
        self.issue_otp_as(account, channel, effect, &by.0, now, rng)
    }

    /// [`Authenticator::issue_otp`] for an actor already checked (a staff member, or the
    /// system acting on an unblock request).
    pub(crate) fn issue_otp_as<R: rand_core::CryptoRng + ?Sized>(
        &self,
        account: &Account,
        channel: Channel,
        effect: ReissueEffect,
        actor: &str,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Result<Transition<()>, AccessError> {
        let live = account.live().ok_or(AccessError::Closed)?;
        if live.admin_block.is_some() {
            return Err(AccessError::AdminBlocked);
        }
        let t = now.max(live.high_water);
        let target = Self::target(&live.contacts, channel)?;
        let (code, phc) = self.new_otp(rng)?;
        let mut next = live.clone();
        let was_locked = next.locked;
        next.otp = Some(self.otp_record(phc, channel, t, Activation::Immediate)?);
        next.ticket = None;
        next.failures = 0;
        next.locked = false;
        next.temporary_lockouts = 0;
        next.locked_until = None;
        next.last_failure_at = None;
        if effect == ReissueEffect::InvalidateImmediately {
            next.password = None;
        }
        next.recent_issuances
            .retain(|i| t - i.0 < Duration::hours(24));
        next.recent_issuances.push(OffsetDateTimeSer(t));
        next.high_water = t;
        let mut updated = account.with(next)?;
        updated.generation = account.generation.saturating_add(1);
        let mut effects = vec![
            Effect::Deliver {
                channel,
                target,
                otp: code,
            },
            notice(&account.login, Notice::OtpIssued, t),
        ];
        if was_locked {
            effects.push(notice(&account.login, Notice::Unblocked, t));
        }
        effects.push(Effect::RevokeSessions(match effect {
            ReissueEffect::InvalidateImmediately => RevokeScope::All,
            ReissueEffect::KeepPasswordUntilRedeemed => RevokeScope::Others,
        }));
        effects.push(staff_audit(&account.login, AuditKind::OtpIssued, actor, t));
        Ok(Transition {
            account: Some(updated),
            outcome: (),
            effects,
        })
    }
}
