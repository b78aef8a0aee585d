//! Setting and changing the password: after a one-time-password login, or by a logged-in resident.

use super::*;

impl<K: Kdf> Authenticator<K> {
    /// Sets the first password after a one-time-password login, with the restricted ticket.
    /// A password refused by the policy leaves the ticket usable until it expires.
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
    /// let code = created.otp().unwrap().expose().to_owned();
    /// let t = auth.login(created.account.as_ref(), "0756555", &code, now, &mut rng);
    /// let LoginOutcome::MustChangePassword(ticket) = t.outcome else { panic!() };
    /// let account = t.account.unwrap();
    /// assert!(auth.set_new_password(&account, ticket.expose(), "short", now, &mut rng).is_err());
    /// let set = auth.set_new_password(&account, ticket.expose(), "zielone jabłka na wiosnę", now, &mut rng)?;
    /// let account = set.account.unwrap();
    /// assert_eq!(auth.login(Some(&account), "0756555", "zielone jabłka na wiosnę", now, &mut rng).outcome, LoginOutcome::Success);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_new_password<R: rand_core::CryptoRng + ?Sized>(
        &self,
        account: &Account,
        ticket: &str,
        new_password: &str,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Result<Transition<()>, PasswordChangeError> {
        let live = account.live().ok_or(PasswordChangeError::NotAllowed)?;
        let t = now.max(live.high_water);
        let stored = live
            .ticket
            .as_ref()
            .ok_or(PasswordChangeError::NotAllowed)?;
        let digest_ok: bool = ticket_digest(ticket)
            .as_bytes()
            .ct_eq(stored.digest.as_bytes())
            .into();
        if !digest_ok || t >= stored.expires_at || live.admin_block.is_some() || live.locked {
            return Err(PasswordChangeError::NotAllowed);
        }
        let nfc = match self
            .policy
            .password
            .check(new_password, account.login.as_str())
        {
            Ok(nfc) => nfc,
            Err(reasons) => return Err(PasswordChangeError::Rejected(reasons)),
        };
        if self.kdf.verify(nfc.as_bytes(), &stored.otp_phc)
            || otp::normalize(&nfc, usize::from(self.policy.otp.symbols))
                .is_some_and(|c| self.kdf.verify(c.as_bytes(), &stored.otp_phc))
        {
            return Err(PasswordChangeError::Rejected(vec![
                PasswordRejection::SameAsOtp,
            ]));
        }
        let nfc = self
            .check_new_password(&nfc, account.login.as_str())
            .map_err(PasswordChangeError::Rejected)?;
        let mut next = live.clone();
        next.ticket = None;
        self.with_new_password(account, next, &nfc, t, AuditKind::PasswordSet, rng)
    }

    /// Changes the password of a logged-in resident, who gives the current one.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// # let created = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?;
    /// # let code = created.otp().unwrap().expose().to_owned();
    /// # let t = auth.login(created.account.as_ref(), "0756555", &code, now, &mut rng);
    /// # let LoginOutcome::MustChangePassword(ticket) = t.outcome else { panic!() };
    /// # let account = auth.set_new_password(t.account.as_ref().unwrap(), ticket.expose(), "zielone jabłka na wiosnę", now, &mut rng)?.account.unwrap();
    /// let same = auth.change_password(&account, "zielone jabłka na wiosnę", "zielone jabłka na wiosnę", now, &mut rng);
    /// assert_eq!(same.outcome.unwrap_err(), PasswordChangeError::Rejected(vec![PasswordRejection::SameAsCurrent]));
    /// // A wrong current password counts like a failed login: the host stores the account.
    /// let wrong = auth.change_password(&account, "nie to hasło wcale", "czerwone gruszki latem", now, &mut rng);
    /// assert_eq!(wrong.outcome, Err(PasswordChangeError::WrongCurrent));
    /// let account = wrong.account.unwrap();
    /// assert_eq!(account.failures(), 1);
    /// assert!(auth.change_password(&account, "zielone jabłka na wiosnę", "czerwone gruszki latem", now, &mut rng).outcome.is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// Always a transition: a wrong current password is counted like a failed login (the
    /// lockout applies, the attempt is audited), so an open session gives no unlimited guesses;
    /// the host stores `account` as after a login.
    pub fn change_password<R: rand_core::CryptoRng + ?Sized>(
        &self,
        account: &Account,
        current: &str,
        new_password: &str,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Transition<Result<(), PasswordChangeError>> {
        let refused = |e: PasswordChangeError| Transition {
            account: None,
            outcome: Err(e),
            effects: vec![],
        };
        let Some(live) = account.live() else {
            let _ = self.kdf.verify(current.as_bytes(), &self.dummy_phc);
            return refused(PasswordChangeError::NotAllowed);
        };
        let t = now.max(live.high_water);
        let wrong_current = || {
            let f = self.failed_as(
                AuditKind::PasswordChangeFailed,
                account,
                live,
                t,
                FailureReason::WrongSecret,
                account.login.as_str(),
                true,
                false,
            );
            Transition {
                account: f.account,
                outcome: Err(PasswordChangeError::WrongCurrent),
                effects: f.effects,
            }
        };
        if live.admin_block.is_some() || live.locked {
            let _ = self.kdf.verify(current.as_bytes(), &self.dummy_phc);
            return refused(PasswordChangeError::NotAllowed);
        }
        let Ok(current_nfc) = self.policy.password.normalize(current) else {
            let _ = self.kdf.verify(current.as_bytes(), &self.dummy_phc);
            return wrong_current();
        };
        let ok = match &live.password {
            Some(pw) => self.kdf.verify(current_nfc.as_bytes(), &pw.phc),
            None => {
                // No password yet (a pending one-time code or ticket): nothing to change.
                let _ = self.kdf.verify(current_nfc.as_bytes(), &self.dummy_phc);
                return refused(PasswordChangeError::NotAllowed);
            }
        };
        if !ok {
            return wrong_current();
        }
        let nfc = match self.check_new_password(new_password, account.login.as_str()) {
            Ok(nfc) => nfc,
            Err(reasons) => return refused(PasswordChangeError::Rejected(reasons)),
        };
        if *nfc == *current_nfc {
            return refused(PasswordChangeError::Rejected(vec![
                PasswordRejection::SameAsCurrent,
            ]));
        }
        match self.with_new_password(
            account,
            live.clone(),
            &nfc,
            t,
            AuditKind::PasswordChanged,
            rng,
        ) {
            Ok(done) => Transition {
                account: done.account,
                outcome: Ok(()),
                effects: done.effects,
            },
            Err(e) => refused(e),
        }
    }

    /// The account with `next` given a new password (`nfc`, already checked) at `t`: the
    /// resident is told, other sessions end, and the change is audited as `kind`.
    fn with_new_password<R: rand_core::CryptoRng + ?Sized>(
        &self,
        account: &Account,
        mut next: Live,
        nfc: &str,
        t: OffsetDateTime,
        kind: AuditKind,
        rng: &mut R,
    ) -> Result<Transition<()>, PasswordChangeError> {
        let phc = self.kdf.hash(nfc.as_bytes(), rng)?;
        next.password = Some(Credential { phc, set_at: t });
        next.high_water = t;
        Ok(Transition {
            account: Some(account.with(next)?),
            outcome: (),
            effects: vec![
                notice(&account.login, Notice::PasswordChanged, t),
                Effect::RevokeSessions(RevokeScope::Others),
                audit(Some(&account.login), None, kind, None, t),
            ],
        })
    }
}
