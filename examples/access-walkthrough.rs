//! One resident through the access lifecycle: issue at the office, an early login refused,
//! activation, the one-time-password login, the forced change, 7 wrong passwords, the
//! lockout, an unblock SMS, the re-issue, and a login with a new password.
//!
//! ```text
//! cargo run --release -p ebok-examples --example access-walkthrough
//! ```
//!
//! Real argon2id parameters (OWASP: 19 MiB, t = 2) and the operating system's random
//! generator, as a host would use them: the library itself reads neither clock nor OS RNG.

use ebok_core::access::{
    AccessPolicy, Account, Activation, Argon2Kdf, Authenticator, Channel, Contacts, Effect,
    LoginOutcome, PhoneNumber, Transition, UnblockEvidence, parse_unblock_sms,
};
use ebok_core::messages::Language;
use ebok_core::premises::LoginId;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

fn show<T: std::fmt::Debug>(step: &str, t: &Transition<T>) {
    println!("\n▶ {step}");
    for e in &t.effects {
        match e {
            Effect::Deliver {
                channel,
                target,
                otp,
            } => {
                // The only place a plaintext code appears: handed to the delivery channel.
                println!("  deliver by {channel:?} to {target:?}: {}", otp.expose());
            }
            Effect::Notify { event, .. } => {
                println!("  notify resident: {}", event.message(Language::Polish))
            }
            Effect::RevokeSessions(scope) => println!("  revoke sessions: {scope:?}"),
            Effect::EraseData => println!("  erase portal data"),
            Effect::Audit(a) => println!("  audit: {:?} {:?}", a.kind, a.reason),
        }
    }
}

fn store(account: &mut Account, next: Option<Account>) {
    if let Some(next) = next {
        assert_eq!(
            next.version(),
            account.version() + 1,
            "compare-and-swap on the version"
        );
        *account = next;
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The operating system's generator; a failure to read it panics here, in the host, never in the library.
    let mut rng = rand::rand_core::UnwrapErr(rand::rngs::SysRng);
    let policy = AccessPolicy::default();
    let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    let id = LoginId::new("0756555")?;
    let phone = PhoneNumber::new("+48 531 464 544")?;
    let contacts = Contacts {
        phone: Some(phone.clone()),
        ..Contacts::default()
    };
    let visit: OffsetDateTime = datetime!(2026-11-16 09:30 UTC);

    // 1. The office creates access and hands over a one-time password; activation within 48 h.
    let created = auth.create_account(
        id.clone(),
        contacts,
        Channel::InPerson,
        Activation::Manual,
        "office",
        visit,
        &mut rng,
    )?;
    show(
        "access created at the office (activation pending)",
        &created,
    );
    let otp = created
        .otp()
        .map(|s| s.expose().to_owned())
        .unwrap_or_default();
    let mut account = created.account.ok_or("no account")?;

    // 2. The resident tries at once: refused like any failure.
    let early = auth.login(
        Some(&account),
        id.as_str(),
        &otp,
        visit + Duration::hours(1),
        &mut rng,
    );
    show("login before activation", &early);
    println!("  → {}", early.outcome.message(Language::Polish));
    store(&mut account, early.account);

    // 3. Activation the next day.
    let day2 = visit + Duration::hours(26);
    let activated = auth.activate(&account, "office", day2)?;
    show("access activated", &activated);
    store(&mut account, activated.account);

    // 4. Login with the one-time password: only a password change is allowed.
    let first = auth.login(
        Some(&account),
        id.as_str(),
        &otp.to_lowercase(),
        day2,
        &mut rng,
    );
    show("login with the one-time password", &first);
    println!("  → {}", first.outcome.message(Language::Polish));
    let LoginOutcome::MustChangePassword(ticket) = &first.outcome else {
        return Err("expected a forced change".into());
    };
    let ticket = ticket.expose().to_owned();
    store(&mut account, first.account);

    // 5. The forced change: a too-short password is refused with a reason, then a good one.
    match auth.set_new_password(&account, &ticket, "haslo123", day2, &mut rng) {
        Err(ebok_core::access::PasswordChangeError::Rejected(reasons)) => {
            println!("\n▶ new password refused:");
            for r in reasons {
                println!("  {}", r.message(Language::Polish));
            }
        }
        other => return Err(format!("expected a refusal, got {other:?}").into()),
    }
    let set = auth.set_new_password(
        &account,
        &ticket,
        "zielone jabłka na wiosnę",
        day2,
        &mut rng,
    )?;
    show("own password set", &set);
    store(&mut account, set.account);

    // 6. Seven wrong passwords: the account locks.
    let day3 = day2 + Duration::days(1);
    for i in 1..=7 {
        let t = auth.login(
            Some(&account),
            id.as_str(),
            "czerwone jabłka latem",
            day3 + Duration::minutes(i),
            &mut rng,
        );
        if i == 7 {
            show("7th wrong password", &t);
        }
        store(&mut account, t.account);
    }
    println!(
        "  status: {:?}, failures: {}",
        account.status(day3),
        account.failures()
    );

    // 7. The correct password on a locked account fails exactly like a wrong one.
    let blocked = auth.login(
        Some(&account),
        id.as_str(),
        "zielone jabłka na wiosnę",
        day3 + Duration::minutes(10),
        &mut rng,
    );
    println!("\n▶ correct password while locked → {:?}", blocked.outcome);

    // 8. The resident sends the unblock SMS from the number on file.
    let sms = "Odblokowanie eBOK nr identyfikacyjny 0756555";
    let requested = parse_unblock_sms(sms)?;
    println!("\n▶ SMS {sms:?} → identifier {requested}");
    let reissued = auth.handle_unblock_request(
        Some(&account),
        &UnblockEvidence::Sms { sender: phone },
        day3 + Duration::hours(1),
        &mut rng,
    );
    show(
        "unblock request handled (a new code by SMS to the number on file)",
        &reissued,
    );
    println!(
        "  answer to the sender: {}",
        reissued.outcome.ack.message(Language::Polish)
    );
    let new_otp = reissued
        .otp()
        .map(|s| s.expose().to_owned())
        .unwrap_or_default();
    store(&mut account, reissued.account);

    // 9. Login with the new code within its 10 minutes, and a new password.
    let at = day3 + Duration::hours(1) + Duration::minutes(3);
    let t = auth.login(Some(&account), id.as_str(), &new_otp, at, &mut rng);
    show("login with the re-issued code", &t);
    let LoginOutcome::MustChangePassword(ticket) = &t.outcome else {
        return Err("expected a forced change".into());
    };
    let ticket = ticket.expose().to_owned();
    store(&mut account, t.account);
    let set = auth.set_new_password(
        &account,
        &ticket,
        "niebieskie śliwki jesienią",
        at,
        &mut rng,
    )?;
    store(&mut account, set.account);
    let t = auth.login(
        Some(&account),
        id.as_str(),
        "niebieskie śliwki jesienią",
        at + Duration::minutes(1),
        &mut rng,
    );
    show("login with the new password", &t);
    println!("  → {}", t.outcome.message(Language::Polish));
    store(&mut account, t.account);
    println!(
        "\nFinal state (what the host stores; no secret in it):\n{}",
        serde_json::to_string_pretty(&account)?
    );
    Ok(())
}
