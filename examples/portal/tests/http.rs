//! The portal's flows over HTTP (the router in memory, a real database): each test runs on
//! SQLite and, when `EBOK_PORTAL_TEST_POSTGRES` names a server (the README's test command
//! starts one), on PostgreSQL.

mod common;

use std::sync::Arc;

use axum::http::{StatusCode, header};
use common::{Client, Portal};
use ebok_core::access::{Channel, Contacts, PhoneNumber};
use ebok_core::premises::{LoginId, PremisesId};
use ebok_portal::app::Config;

const NEW_PASSWORD: &str = "zielona łąka nad Bystrzycą 2026";

/// The resident of the demo with their own password set; the client logged in.
async fn resident(p: &Portal) -> Client {
    let mut c = p.client();
    let r = c
        .first_login(&p.logins.resident, &p.logins.otp, NEW_PASSWORD)
        .await;
    assert_eq!(r.location(), Some("/konto"), "{r:?}");
    c
}

async fn staff(p: &Portal) -> Client {
    let mut c = Client::new(p.router.clone(), [10, 0, 0, 9]);
    let r = c
        .staff_login(&p.logins.staff, &p.logins.staff_password)
        .await;
    assert_eq!(r.location(), Some("/biuro"), "{r:?}");
    c
}

on_both!(security_headers_and_cookies, |db| {
    let p = Portal::start(db).await;
    let mut c = p.client();
    let page = c.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let h = |k: header::HeaderName| {
        page.headers
            .get(k)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let csp = h(header::CONTENT_SECURITY_POLICY);
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("script-src"),
        "no script is allowed: {csp}"
    );
    assert_eq!(h(header::X_FRAME_OPTIONS), "DENY");
    assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(h(header::CACHE_CONTROL), "no-store");
    assert!(!page.contains("<script"), "no script on the page");
    let cookie = h(header::SET_COOKIE);
    for attr in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} missing in {cookie}");
    }
    // Demo mode serves plain HTTP on the loopback address: no Secure there.
    let demo = Portal::start_with(
        db,
        Config {
            policy: ebok_core::access::AccessPolicy::insecure_for_tests(),
            ..Config::demo()
        },
    )
    .await;
    let page = demo.client().get("/login").await;
    let cookie = page
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && !cookie.contains("Secure"),
        "{cookie}"
    );
});

on_both!(
    first_login_changes_the_password_then_shows_the_balance,
    |db| {
        let p = Portal::start(db).await;
        let mut c = p.client();
        c.get("/login").await;
        let anonymous = c.cookies["ebok_session"].clone();
        let r = c.login(&p.logins.resident, &p.logins.otp).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some("/haslo"));
        let logged_in = c.cookies["ebok_session"].clone();
        assert_ne!(anonymous, logged_in, "the session id is renewed at login");
        // Nothing but the password change is open before it is done.
        assert_eq!(c.get("/konto").await.location(), Some("/login"));
        let form = c.get("/haslo").await;
        assert!(form.contains("Ustaw własne hasło"), "{}", form.body);
        // A weak password is refused with the reasons, in Polish.
        let weak = c
            .submit(
                "/haslo",
                "/haslo",
                &[("new", "krotkie"), ("repeat", "krotkie")],
            )
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(weak.contains("class=\"error\""), "{}", weak.body);
        let differ = c
            .submit(
                "/haslo",
                "/haslo",
                &[
                    ("new", NEW_PASSWORD),
                    ("repeat", "inne hasło całkiem długie"),
                ],
            )
            .await;
        assert!(differ.contains("Hasła nie są takie same."));
        let done = c
            .submit(
                "/haslo",
                "/haslo",
                &[("new", NEW_PASSWORD), ("repeat", NEW_PASSWORD)],
            )
            .await;
        assert_eq!(done.location(), Some("/konto"), "{done:?}");
        assert_ne!(
            c.cookies["ebok_session"], logged_in,
            "a new session once the password is set"
        );
        let balance = c.get("/konto").await;
        assert_eq!(balance.status, StatusCode::OK);
        // The balance the core computes for this login, today, as the page prints it.
        let (_, v) = common::core_view(&p.app, &p.logins.resident);
        let expected = ebok_core::messages::Language::Polish.money(v.balance.amount().abs());
        let pending = v.bank_pending.len();
        assert!(
            balance.by_id("saldo").unwrap().contains(&expected),
            "{:?} vs {expected}",
            balance.by_id("saldo")
        );
        assert!(pending > 0, "the demo resident has a payment on its way");
        assert!(
            balance.contains("w drodze do księgowości"),
            "{}",
            balance.body
        );
        assert!(balance.contains("Wpłaty w drodze do księgowości"));
        // The OTP no longer works; the new password does.
        let mut other = p.client();
        assert_eq!(
            other.login(&p.logins.resident, &p.logins.otp).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            other
                .login(&p.logins.resident, NEW_PASSWORD)
                .await
                .location(),
            Some("/konto")
        );
        // English on request.
        c.get("/jezyk/en").await;
        assert!(c.get("/konto").await.contains("Balance on"));
    }
);

on_both!(
    every_resident_page_renders_within_the_login_relations,
    |db| {
        let p = Portal::start(db).await;
        let mut c = resident(&p).await;
        for (path, text) in [
            ("/rozliczenia", "Rozliczenia"),
            ("/operacje", "Operacje"),
            ("/wplaty", "Wpłaty"),
            ("/odsetki", "odsetki"),
            ("/liczniki", "Wodomierze"),
            ("/parametry", "Parametry"),
            ("/dokumenty", "Dokumenty"),
            ("/zaplac", "Zapłać"),
            ("/regulamin", "Regulamin"),
        ] {
            let page = c.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(page.contains(text), "{path}: {text} missing");
        }
        // The terms carry the seeds' rules (seed 004: balance lag; the SMS unblock text).
        let terms = c.get("/regulamin").await;
        assert!(
            terms.contains("Siedmiokrotne błędne logowanie blokuje dostęp"),
            "{}",
            terms.body
        );
        // The transfer block names the premises' own virtual account from the register.
        let pay = c.get("/zaplac").await;
        let account = pay.by_id("rachunek").unwrap();
        let login = LoginId::new(&p.logins.resident).unwrap();
        let today = p.app.today();
        let register = p.app.read(|coop| {
            let premises = coop.accesses(&login, today)[0].premises.clone();
            coop.virtual_accounts
                .rows()
                .find(|r| r.premises == premises && r.covers(today))
                .map(|r| r.account.clone())
                .unwrap()
        });
        assert_eq!(account.replace(' ', ""), register.replace(' ', ""));
        assert!(pay.contains("<svg"), "the QR code");
        // A premises the login does not reach is not found (and says nothing about it).
        let elsewhere = p.app.read(|coop| {
            let mine: Vec<PremisesId> = coop
                .accesses(&login, today)
                .into_iter()
                .map(|a| a.premises)
                .collect();
            coop.registry
                .iter()
                .map(|x| x.id.clone())
                .find(|id| !mine.contains(id))
                .unwrap()
        });
        for path in ["/konto", "/operacje", "/liczniki", "/zaplac"] {
            let page = c.get(&format!("{path}?lokal={}", elsewhere.as_str())).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        }
        // Staff pages are not the resident's.
        assert_ne!(c.get("/biuro").await.status, StatusCode::OK);
    }
);

on_both!(unknown_identifier_and_wrong_password_answer_alike, |db| {
    let p = Portal::start(db).await;
    let _ = resident(&p).await;
    let mut c = p.client();
    let wrong = c.login(&p.logins.resident, "nie to hasło wcale").await;
    let unknown = c.login("0799999", "nie to hasło wcale").await;
    let malformed = c.login("x'; drop table", "nie to hasło wcale").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(malformed.status, wrong.status);
    // The same session: the same page, byte for byte.
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.body, malformed.body);
    assert!(!unknown.contains("0799999"), "the identifier is not echoed");
});

on_both!(
    seven_failures_lock_the_account_and_an_sms_unblocks_it,
    |db| {
        let p = Portal::start_with(db, common::config_demo_delivery()).await;
        let login = p.logins.resident.clone();
        // An account with a phone on file, as the office would set it up for the SMS unblock.
        let phone = PhoneNumber::new("531464544").unwrap();
        let contacts = Contacts {
            phone: Some(phone.clone()),
            ..Contacts::default()
        };
        p.app
            .issue_otp(&login, Channel::Sms, contacts, "biuro")
            .await
            .unwrap()
            .unwrap();
        let otp = p.last_delivered_code().unwrap();
        let mut c = p.client();
        c.first_login(&login, &otp, NEW_PASSWORD).await;
        let mut attacker = Client::new(p.router.clone(), [10, 0, 0, 66]);
        for _ in 0..7 {
            assert_eq!(
                attacker.login(&login, "zgadywane hasło numer").await.status,
                StatusCode::UNAUTHORIZED
            );
        }
        // Locked: the right password no longer opens it, and the answer is the same failure.
        let locked = c.login(&login, NEW_PASSWORD).await;
        assert_eq!(locked.status, StatusCode::UNAUTHORIZED);
        let account = p.app.store.account(&login).await.unwrap().unwrap();
        assert!(
            (account.status(p.app.now()).code() == "locked"),
            "locked after 7 failures"
        );
        // An SMS from another number changes nothing; from the number on file, a new code goes out.
        let mut office = staff(&p).await;
        let delivered = p.app.deliveries.lock().unwrap().len();
        let forged = office
            .submit(
                "/biuro/odblokowania",
                "/biuro/odblokowania",
                &[
                    ("sender", "600100200"),
                    (
                        "body",
                        &format!("Odblokowanie eBOK nr identyfikacyjny {login}"),
                    ),
                ],
            )
            .await;
        assert_eq!(
            p.app.deliveries.lock().unwrap().len(),
            delivered,
            "no code for a forged sender"
        );
        let genuine = office
            .submit(
                "/biuro/odblokowania",
                "/biuro/odblokowania",
                &[
                    ("sender", "+48 531 464 544"),
                    (
                        "body",
                        &format!("Odblokowanie eBOK nr identyfikacyjny {login}"),
                    ),
                ],
            )
            .await;
        assert_eq!(genuine.status, StatusCode::OK);
        assert_eq!(
            p.app.deliveries.lock().unwrap().len(),
            delivered + 1,
            "a code by SMS"
        );
        // Both answers to the sender are the same.
        let queue = office.get("/biuro/odblokowania").await;
        assert!(
            queue.contains("600100200") || queue.contains("531"),
            "{}",
            queue.body
        );
        let _ = forged;
        let code = p.last_delivered_code().unwrap();
        let mut c = p.client();
        let r = c
            .first_login(&login, &code, "drugie hasło zupełnie nowe 77")
            .await;
        assert_eq!(r.location(), Some("/konto"));
        let audit = office.get("/biuro/audyt").await;
        for kind in ["login_failed", "locked", "unblock_request", "otp_issued"] {
            assert!(audit.contains(kind), "{kind} missing from the audit page");
        }
    }
);

on_both!(a_password_change_ends_the_other_sessions, |db| {
    let p = Portal::start(db).await;
    let mut a = resident(&p).await;
    let mut b = p.client();
    assert_eq!(
        b.login(&p.logins.resident, NEW_PASSWORD).await.location(),
        Some("/konto")
    );
    assert_eq!(b.get("/konto").await.status, StatusCode::OK);
    let wrong = a
        .submit(
            "/haslo",
            "/haslo",
            &[
                ("current", "nie to hasło wcale"),
                ("new", "trzecie hasło bardzo długie"),
                ("repeat", "trzecie hasło bardzo długie"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = a
        .submit(
            "/haslo",
            "/haslo",
            &[
                ("current", NEW_PASSWORD),
                ("new", "trzecie hasło bardzo długie"),
                ("repeat", "trzecie hasło bardzo długie"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.contains("Hasło zostało zmienione."));
    assert_eq!(
        a.get("/konto").await.status,
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        b.get("/konto").await.location(),
        Some("/login"),
        "the other session ended"
    );
    let mut c = p.client();
    assert_eq!(
        c.login(&p.logins.resident, NEW_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        c.login(&p.logins.resident, "trzecie hasło bardzo długie")
            .await
            .location(),
        Some("/konto")
    );
});

on_both!(
    a_reading_is_validated_stored_and_kept_across_a_restart,
    |db| {
        let p = Portal::start(db).await;
        let mut c = resident(&p).await;
        let (premises, v) = common::core_view(&p.app, &p.logins.resident);
        let (serial, last) = common::meter_with_readings(&v);
        let path = format!("/liczniki?lokal={}", premises.as_str());
        // Below the last reading: refused with the reason, nothing stored.
        let lower = (last - rust_decimal::Decimal::ONE)
            .max(rust_decimal::Decimal::ZERO)
            .to_string()
            .replace('.', ",");
        let refused = c
            .submit(&path, &path, &[("serial", &serial), ("value", &lower)])
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(refused.contains("Odczyt nie został przyjęty"));
        let garbage = c
            .submit(&path, &path, &[("serial", &serial), ("value", "dużo")])
            .await;
        assert_eq!(garbage.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            p.app
                .store
                .input_reports("reading", 10)
                .await
                .unwrap()
                .len(),
            0
        );
        // A little more than the last one: accepted (confirmed when the core asks for it).
        let value = (last + rust_decimal::Decimal::new(1500, 3))
            .to_string()
            .replace('.', ",");
        let mut answer = c
            .submit(&path, &path, &[("serial", &serial), ("value", &value)])
            .await;
        if answer.contains("wymaga potwierdzenia") {
            answer = c
                .submit(
                    &path,
                    &path,
                    &[("serial", &serial), ("value", &value), ("confirmed", "1")],
                )
                .await;
        }
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert!(
            answer.contains("Odczyt został przyjęty."),
            "{}",
            answer.body
        );
        assert_eq!(
            p.app
                .store
                .input_reports("reading", 10)
                .await
                .unwrap()
                .len(),
            1
        );
        let shown = value.clone();
        assert!(
            c.get(&path).await.contains(&shown[..shown.len() - 1]),
            "the new reading is listed"
        );
        // A restart (a new instance on the same database) rebuilds it from the stored inputs.
        let (_, router) = p.second_instance().await;
        let mut again = Client::new(router, [10, 0, 0, 2]);
        assert_eq!(
            again
                .login(&p.logins.resident, NEW_PASSWORD)
                .await
                .location(),
            Some("/konto")
        );
        assert!(again.get(&path).await.contains(&shown[..shown.len() - 1]));
    }
);

on_both!(snapshot_import_is_all_or_nothing, |db| {
    let p = Portal::start(db).await;
    let mut office = staff(&p).await;
    let before = p.app.read(|c| c.ledger.len());
    let inputs = p.app.store.last_input().await.unwrap();
    // A snapshot with a broken ledger row: refused, every problem listed, nothing changed.
    let mut files = ebok_portal::demo::snapshot_files();
    let ledger = files.iter_mut().find(|(n, _)| n == "ledger.csv").unwrap();
    let text = String::from_utf8(ledger.1.clone()).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[3] = lines[3].replacen(';', ";31-02-2026x;", 1);
    ledger.1 = (lines.join("\n") + "\n").into_bytes();
    let refused = office
        .upload("/biuro/import", "/biuro/import", "files", &files)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.contains("ledger.csv"),
        "the file is named: {}",
        refused.body
    );
    assert_eq!(p.app.read(|c| c.ledger.len()), before);
    assert_eq!(
        p.app.store.last_input().await.unwrap(),
        inputs,
        "nothing stored"
    );
    // The same snapshot, intact: applied and reported; a resident sees the new data.
    let ok = office
        .upload(
            "/biuro/import",
            "/biuro/import",
            "files",
            &ebok_portal::demo::snapshot_files(),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.contains("unchanged"), "{}", ok.body);
    assert_eq!(p.app.store.last_input().await.unwrap(), inputs + 1);
    // The bank statement imported again changes nothing.
    let (name, bytes) = ebok_portal::demo::statement();
    let again = office
        .upload("/biuro/bank", "/biuro/bank", "statement", &[(name, bytes)])
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(again.contains("0 entries new"), "{}", again.body);
    let bank = office.get("/biuro/bank").await;
    assert!(bank.contains("ing-2026-11.sta"));
    // Residents cannot import.
    let mut r = resident(&p).await;
    let denied = r
        .upload(
            "/konto",
            "/biuro/import",
            "files",
            &ebok_portal::demo::snapshot_files(),
        )
        .await;
    assert_ne!(denied.status, StatusCode::OK);
    assert_eq!(p.app.store.last_input().await.unwrap(), inputs + 2);
});

on_both!(concurrent_logins_of_one_account_lose_no_failure, |db| {
    let p = Portal::start(db).await;
    let _ = resident(&p).await;
    let login = p.logins.resident.clone();
    // Six wrong passwords at once, from six addresses: each is counted (compare-and-swap on
    // the account's version), none is lost to a concurrent write.
    let mut tasks = Vec::new();
    for i in 0..6u8 {
        let mut c = Client::new(p.router.clone(), [10, 1, 0, i]);
        let login = login.clone();
        tasks.push(tokio::spawn(async move {
            c.login(&login, "zgadywane hasło numer").await.status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::UNAUTHORIZED);
    }
    let account = p.app.store.account(&login).await.unwrap().unwrap();
    assert_eq!(account.failures(), 6);
    assert_ne!(account.status(p.app.now()).code(), "locked");
    // Concurrent successful logins all succeed and reset the count.
    let mut tasks = Vec::new();
    for i in 0..4u8 {
        let mut c = Client::new(p.router.clone(), [10, 2, 0, i]);
        let login = login.clone();
        tasks.push(tokio::spawn(async move {
            c.login(&login, NEW_PASSWORD)
                .await
                .location()
                .map(str::to_owned)
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().as_deref(), Some("/konto"));
    }
    assert_eq!(
        p.app
            .store
            .account(&login)
            .await
            .unwrap()
            .unwrap()
            .failures(),
        0
    );
    // A stale version is refused by the store.
    let account = p.app.store.account(&login).await.unwrap().unwrap();
    let mut c = Client::new(p.router.clone(), [10, 3, 0, 1]);
    c.login(&login, "zgadywane hasło numer").await;
    assert!(
        !p.app
            .store
            .swap_account(&account, "active", Some(account.version()))
            .await
            .unwrap(),
        "the version moved on"
    );
});

on_both!(forms_without_their_session_token_are_refused, |db| {
    let p = Portal::start(db).await;
    let mut c = p.client();
    c.get("/login").await;
    let none = c
        .post(
            "/login",
            &[("login", &p.logins.resident), ("password", &p.logins.otp)],
        )
        .await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    let mut other = p.client();
    let foreign = other.get("/login").await.csrf();
    let wrong = c
        .post(
            "/login",
            &[
                ("csrf", &foreign),
                ("login", &p.logins.resident),
                ("password", &p.logins.otp),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    // The one-time password still works: the refused forms did not count.
    assert_eq!(
        c.login(&p.logins.resident, &p.logins.otp).await.location(),
        Some("/haslo")
    );
    let mut office = staff(&p).await;
    let refused = office
        .post(
            "/biuro/konto",
            &[("login", &p.logins.resident), ("action", "block")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
});

on_both!(a_per_address_limit_stands_in_front_of_the_lockout, |db| {
    let p = Portal::start_with(
        db,
        Config {
            login_attempts_per_minute: 3,
            ..common::config()
        },
    )
    .await;
    let mut c = p.client();
    for _ in 0..3 {
        assert_eq!(
            c.login("0799999", "cokolwiek innego").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = c.login(&p.logins.resident, &p.logins.otp).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers.get(header::RETRY_AFTER).unwrap(), "60");
    // The limited attempt never reached the account: the code still works from elsewhere.
    let mut elsewhere = Client::new(p.router.clone(), [10, 0, 0, 77]);
    assert_eq!(
        elsewhere
            .login(&p.logins.resident, &p.logins.otp)
            .await
            .location(),
        Some("/haslo")
    );
    // A minute later the address may try again.
    p.clock.advance(time::Duration::seconds(61));
    assert_eq!(
        c.login("0799999", "cokolwiek innego").await.status,
        StatusCode::UNAUTHORIZED
    );
});

on_both!(staff_block_unblock_and_close, |db| {
    let p = Portal::start(db).await;
    let mut r = resident(&p).await;
    let mut office = staff(&p).await;
    let login = p.logins.resident.clone();
    let dash = office.get("/biuro").await;
    assert!(dash.contains(&login));
    office
        .submit(
            "/biuro",
            "/biuro/konto",
            &[("login", &login), ("action", "block")],
        )
        .await;
    assert_eq!(
        r.get("/konto").await.location(),
        Some("/login"),
        "a block ends the sessions"
    );
    assert_eq!(
        r.login(&login, NEW_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    office
        .submit(
            "/biuro",
            "/biuro/konto",
            &[("login", &login), ("action", "unblock")],
        )
        .await;
    assert_eq!(
        r.login(&login, NEW_PASSWORD).await.location(),
        Some("/konto")
    );
    // A code handed over at the office is shown once to the staff member.
    let issued = office
        .submit(
            "/biuro",
            "/biuro/kod",
            &[("login", &login), ("channel", "in_person")],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let code = issued.by_id("otp").expect("the code is shown");
    assert!(
        !p.app
            .store
            .outbox(50)
            .await
            .unwrap()
            .iter()
            .any(|l| l.target.contains(code.trim())),
        "the code is never stored"
    );
    // A code by SMS too, so that a phone number is on file in the outbox.
    let phone = Contacts {
        phone: Some(PhoneNumber::new("531464544").unwrap()),
        ..Contacts::default()
    };
    p.app
        .issue_otp(&login, Channel::Sms, phone, "biuro")
        .await
        .unwrap()
        .unwrap();
    let outbox = p.app.store.outbox(50).await.unwrap();
    assert!(
        outbox
            .iter()
            .any(|l| l.login == login && l.target.ends_with("544"))
    );
    office
        .submit(
            "/biuro",
            "/biuro/konto",
            &[("login", &login), ("action", "close")],
        )
        .await;
    // Closing erases what the portal kept of the person (the core's EraseData).
    let outbox = p.app.store.outbox(50).await.unwrap();
    assert!(
        outbox
            .iter()
            .filter(|l| l.login == login)
            .all(|l| l.target == "—"),
        "{outbox:?}"
    );
    let mut c = p.client();
    assert_eq!(
        c.login(&login, NEW_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        c.login(&login, code.trim()).await.status,
        StatusCode::UNAUTHORIZED
    );
    // A wrong staff password: refused.
    let mut x = Client::new(p.router.clone(), [10, 0, 0, 10]);
    assert_eq!(
        x.staff_login(&p.logins.staff, "nie to").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        x.staff_login("nikt", "nie to").await.status,
        StatusCode::UNAUTHORIZED
    );
});

on_both!(two_instances_share_one_database, |db| {
    let p = Portal::start(db).await;
    let (b, router_b) = p.second_instance().await;
    // An account changed through one instance is seen by the other (accounts are not cached).
    let mut on_b = Client::new(router_b, [10, 0, 0, 3]);
    assert_eq!(
        on_b.first_login(&p.logins.resident, &p.logins.otp, NEW_PASSWORD)
            .await
            .location(),
        Some("/konto")
    );
    let mut on_a = p.client();
    assert_eq!(
        on_a.login(&p.logins.resident, NEW_PASSWORD)
            .await
            .location(),
        Some("/konto")
    );
    // An import through A reaches B when B catches up; an import through B on its stale state
    // is stored after A's, never over it.
    p.app
        .import_snapshot(ebok_portal::demo::snapshot_files(), "a")
        .await
        .unwrap()
        .unwrap();
    let (name, bytes) = ebok_portal::demo::statement();
    let report = b.import_bank(name, bytes, "b").await.unwrap().unwrap();
    assert!(report.contains("0 entries new"), "{report}");
    let last = p.app.store.last_input().await.unwrap();
    let kinds: Vec<String> = p
        .app
        .store
        .inputs_after(last - 2)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.kind)
        .collect();
    assert_eq!(kinds, ["snapshot", "bank"]);
    p.app.catch_up().await.unwrap();
    let a_view = p.app.read(|c| c.ledger.len());
    assert_eq!(a_view, b.read(|c| c.ledger.len()));
    let _ = Arc::clone(&b);
});

/// With the production argon2id parameters, a wrong password for a real account and any
/// password for an unknown identifier take the same time through the whole portal (page,
/// SQL and KDF): the medians of interleaved attempts stay within a third of each other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_identifier_and_wrong_password_take_the_same_time() {
    let config = Config {
        login_attempts_per_minute: 10_000,
        ..Config::production()
    };
    let p = Portal::start_with(common::Db::Sqlite, config).await;
    // A real, active account (its own password set).
    let mut r = p.client();
    r.first_login(&p.logins.resident, &p.logins.otp, NEW_PASSWORD)
        .await;
    let mut c = p.client();
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for i in 0..24 {
        // Below the lockout: a correct login every 5 failures resets the count.
        if i % 5 == 4 {
            assert_eq!(
                p.client()
                    .login(&p.logins.resident, NEW_PASSWORD)
                    .await
                    .location(),
                Some("/konto")
            );
        }
        let token = c.get("/login").await.csrf();
        for (login, out) in [
            (p.logins.resident.as_str(), &mut known),
            ("0799999", &mut unknown),
        ] {
            let t = std::time::Instant::now();
            let page = c
                .post(
                    "/login",
                    &[
                        ("csrf", &token),
                        ("login", login),
                        ("password", "nie to hasło wcale"),
                    ],
                )
                .await;
            out.push(t.elapsed().as_secs_f64());
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (k, u) = (median(&mut known), median(&mut unknown));
    eprintln!(
        "median failed login: known {:.1} ms, unknown {:.1} ms",
        k * 1e3,
        u * 1e3
    );
    assert!(k > 0.005, "the production KDF runs ({k} s)");
    let ratio = k / u;
    assert!(
        (0.75..=1.33).contains(&ratio),
        "known {k} s vs unknown {u} s"
    );
}
