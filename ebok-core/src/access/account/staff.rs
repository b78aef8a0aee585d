//! Staff actions: blocking for misuse, lifting the block, closing at the owner's request.

use super::*;

impl<K: Kdf> Authenticator<K> {
    /// Blocks the account for misuse (seed rule 3). Only [`Authenticator::lift_admin_block`] lifts it.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?.account.unwrap();
    /// let a = auth.admin_block(&a, "staff-17", now)?.account.unwrap();
    /// assert_eq!(a.status(now), AccountStatus::AdminBlocked);
    /// assert!(auth.issue_otp(&a, Channel::InPerson, ReissueEffect::InvalidateImmediately, "office", now, &mut rng).is_err());
    /// let a = auth.lift_admin_block(&a, "staff-17", now)?.account.unwrap();
    /// assert_ne!(a.status(now), AccountStatus::AdminBlocked);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn admin_block(
        &self,
        account: &Account,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Transition<()>, AccessError> {
        let by = StaffName::new(by)?;
        let live = account.live().ok_or(AccessError::Closed)?;
        if live.admin_block.is_some() {
            return Ok(Transition {
                account: None,
                outcome: (),
                effects: vec![],
            });
        }
        let t = now.max(live.high_water);
        let mut next = live.clone();
        next.admin_block = Some(AdminBlock {
            by: by.0.clone(),
            at: t,
        });
        next.ticket = None;
        next.high_water = t;
        Ok(Transition {
            account: Some(account.with(next)?),
            outcome: (),
            effects: vec![
                notice(&account.login, Notice::AdminBlocked, t),
                Effect::RevokeSessions(RevokeScope::All),
                staff_audit(&account.login, AuditKind::AdminBlocked, &by.0, t),
            ],
        })
    }

    /// Lifts a block for misuse.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?.account.unwrap();
    /// assert!(auth.lift_admin_block(&a, "staff", now)?.account.is_none()); // nothing to lift
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lift_admin_block(
        &self,
        account: &Account,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Transition<()>, AccessError> {
        let by = StaffName::new(by)?;
        let live = account.live().ok_or(AccessError::Closed)?;
        if live.admin_block.is_none() {
            return Ok(Transition {
                account: None,
                outcome: (),
                effects: vec![],
            });
        }
        let t = now.max(live.high_water);
        let mut next = live.clone();
        next.admin_block = None;
        next.high_water = t;
        Ok(Transition {
            account: Some(account.with(next)?),
            outcome: (),
            effects: vec![
                notice(&account.login, Notice::Unblocked, t),
                staff_audit(&account.login, AuditKind::AdminUnblocked, &by.0, t),
            ],
        })
    }

    /// Records the contacts a resident gave the office (the phone an unblock SMS must come
    /// from, the e-mail, the postal address), replacing those on file. Codes only ever go to
    /// contacts on file, so this is the one way a new number gets there: a staff action, and
    /// audited.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?.account.unwrap();
    /// assert!(auth.issue_otp(&a, Channel::Sms, ReissueEffect::InvalidateImmediately, "office", now, &mut rng).is_err());
    /// let phone = Contacts { phone: Some(PhoneNumber::new("531464544")?), ..Contacts::default() };
    /// let t = auth.set_contacts(&a, phone.clone(), "staff-17", now)?;
    /// assert!(t.effects.iter().any(|e| matches!(e, Effect::Audit(x) if x.kind == AuditKind::ContactsChanged)));
    /// let a = t.account.unwrap();
    /// assert_eq!(a.contacts(), Some(&phone));
    /// assert!(auth.issue_otp(&a, Channel::Sms, ReissueEffect::InvalidateImmediately, "office", now, &mut rng).is_ok());
    /// // The same contacts again change nothing.
    /// assert!(auth.set_contacts(&a, phone, "staff-17", now)?.account.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_contacts(
        &self,
        account: &Account,
        contacts: Contacts,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Transition<()>, AccessError> {
        let by = StaffName::new(by)?;
        let live = account.live().ok_or(AccessError::Closed)?;
        if live.contacts == contacts {
            return Ok(Transition {
                account: None,
                outcome: (),
                effects: vec![],
            });
        }
        let t = now.max(live.high_water);
        let mut next = live.clone();
        next.contacts = contacts;
        next.high_water = t;
        Ok(Transition {
            account: Some(account.with(next)?),
            outcome: (),
            effects: vec![staff_audit(
                &account.login,
                AuditKind::ContactsChanged,
                &by.0,
                t,
            )],
        })
    }

    /// Closes the account at the owner's written request (seed rule 2): hashes, contacts and
    /// counters are erased, a tombstone is kept, and nothing can reopen it.
    ///
    /// ```
    /// # use ebok_core::access::*;
    /// # use ebok_core::premises::LoginId;
    /// # use rand::SeedableRng;
    /// # let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    /// # let policy = AccessPolicy::insecure_for_tests();
    /// # let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// # let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let a = auth.create_account(LoginId::new("0756555")?, Contacts::default(), Channel::InPerson, Activation::Immediate, "office", now, &mut rng)?.account.unwrap();
    /// assert_eq!(auth.close(&a, " ", now).unwrap_err(), AccessError::NoStaff);
    /// let closed = auth.close(&a, "staff-17", now)?;
    /// assert!(closed.effects.iter().any(|e| matches!(e, Effect::EraseData)));
    /// let closed = closed.account.unwrap();
    /// assert_eq!(closed.status(now), AccountStatus::Closed);
    /// assert!(auth.issue_otp(&closed, Channel::InPerson, ReissueEffect::InvalidateImmediately, "office", now, &mut rng).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(
        &self,
        account: &Account,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Transition<()>, AccessError> {
        let by = StaffName::new(by)?;
        let Some(live) = account.live() else {
            return Ok(Transition {
                account: None,
                outcome: (),
                effects: vec![],
            });
        };
        let t = now.max(live.high_water);
        Ok(Transition {
            account: Some(Account {
                login: account.login.clone(),
                version: account.next_version()?,
                generation: account.generation,
                state: State::Closed { at: t },
            }),
            outcome: (),
            effects: vec![
                Effect::RevokeSessions(RevokeScope::All),
                Effect::EraseData,
                staff_audit(&account.login, AuditKind::Closed, &by.0, t),
            ],
        })
    }
}
