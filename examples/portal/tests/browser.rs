//! A real browser against the real server: Debian's Chromium, headless, driven over WebDriver
//! (chromedriver) on the loopback address. A resident logs in with the one-time password,
//! sets their own password, reads the balance, submits a water reading and reads the transfer
//! block and scanning its QR code (zbar) to pay; a screenshot of each page goes to
//! `target/portal-screenshots/`.
//!
//! Runs when `EBOK_PORTAL_BROWSER=1` (the README's test command sets it after installing the
//! `chromium`, `chromium-driver` and `zbar-tools` packages); otherwise it says it was skipped.

mod common;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use ebok_core::access::AccessPolicy;
use ebok_portal::app::{App, Config};
use ebok_portal::store::Store;
use fantoccini::{Client, ClientBuilder, Locator};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn browser() -> (Driver, Client) {
    let port = free_port();
    let child =
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver)");
    let driver = Driver(child);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1100,1400", "--lang=pl"]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        if let Ok(c) = ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            return (driver, c);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {url}");
}

async fn shot(c: &Client, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/portal-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    std::fs::write(dir.join(name), png).unwrap();
}

async fn type_into(c: &Client, name: &str, text: &str) {
    let e = c
        .find(Locator::Css(&format!("input[name='{name}']")))
        .await
        .unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn click_submit(c: &Client, form_action: &str) {
    c.find(Locator::Css(&format!(
        "main form[action^='{form_action}'] button[type='submit']"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
}

/// Waits (up to 10 s) for the browser to arrive at `path` after a click.
async fn wait_path(c: &Client, path: &str) {
    for _ in 0..100 {
        if c.current_url().await.unwrap().path() == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let at = c.current_url().await.unwrap();
    panic!(
        "expected {path}, at {at}: {}",
        c.source().await.unwrap_or_default()
    );
}

/// Waits (up to 10 s) for any of `texts` on the page; the page's source.
async fn wait_text(c: &Client, texts: &[&str]) -> String {
    for _ in 0..100 {
        let page = c.source().await.unwrap();
        if texts.iter().any(|t| page.contains(t)) {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "none of {texts:?} on {}",
        c.source().await.unwrap_or_default()
    );
}

async fn text_of(c: &Client, id: &str) -> String {
    c.find(Locator::Id(id)).await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_logs_in_reads_the_balance_submits_a_reading_and_pays() {
    if std::env::var("EBOK_PORTAL_BROWSER").is_err() {
        eprintln!("EBOK_PORTAL_BROWSER is not set: the browser test is skipped");
        return;
    }
    // The server, on a free loopback port, with the demo cooperative.
    let db = std::env::temp_dir().join(format!("ebok-portal-browser-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&db);
    let store = Store::open(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let config = Config {
        policy: AccessPolicy::insecure_for_tests(),
        ..Config::demo()
    };
    let clock = Arc::new(|| time::macros::datetime!(2026-11-24 10:00 UTC));
    let app = App::new(config, store, clock).await.unwrap();
    let logins = ebok_portal::demo::prepare(&app).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = ebok_portal::web::router(Arc::clone(&app));
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });

    let (_driver, c) = browser().await;
    let session = c.clone();
    let server = Arc::clone(&app);
    let result = async move {
        let (c, app) = (session, server);
        // Log in with the one-time password: the password change comes first.
        c.goto(&format!("{base}/login")).await.unwrap();
        shot(&c, "01-login.png").await;
        type_into(&c, "login", &logins.resident).await;
        type_into(&c, "password", &logins.otp).await;
        click_submit(&c, "/login").await;
        wait_path(&c, "/haslo").await;
        let new = "słoneczny poranek nad Wisłą 2026";
        type_into(&c, "new", new).await;
        type_into(&c, "repeat", new).await;
        shot(&c, "02-first-password.png").await;
        click_submit(&c, "/haslo").await;
        wait_path(&c, "/konto").await;

        // The balance, as the core computes it, with the payment on its way.
        let (premises, v) = common::core_view(&app, &logins.resident);
        let expected = ebok_core::messages::Language::Polish.money(v.balance.amount().abs());
        let (serial, last) = common::meter_with_readings(&v);
        let today = app.today();
        let register = app.read(|coop| {
            coop.virtual_accounts
                .rows()
                .find(|r| r.premises == premises && r.covers(today))
                .unwrap()
                .account
                .clone()
        });
        let saldo = text_of(&c, "saldo").await;
        assert!(saldo.contains(&expected), "{saldo} shows {expected}");
        let page = c.source().await.unwrap();
        assert!(
            page.contains("w drodze do księgowości"),
            "the pending payment is shown"
        );
        shot(&c, "03-balance.png").await;

        // A reading a little above the last one, into the meter's own form.
        c.goto(&format!("{base}/liczniki?lokal={}", premises.as_str()))
            .await
            .unwrap();
        let value = (last + rust_decimal::Decimal::new(1500, 3))
            .to_string()
            .replace('.', ",");
        let form = c
            .find(Locator::XPath(&format!(
                "//form[input[@name='serial' and @value='{serial}']]"
            )))
            .await
            .unwrap();
        let input = form
            .find(Locator::Css("input[name='value']"))
            .await
            .unwrap();
        input.send_keys(&value).await.unwrap();
        form.find(Locator::Css("button[type='submit']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let mut page = wait_text(
            &c,
            &[
                "Odczyt został przyjęty.",
                "wymaga potwierdzenia",
                "nie został przyjęty",
            ],
        )
        .await;
        if page.contains("wymaga potwierdzenia") {
            let form = c
                .find(Locator::XPath(&format!(
                    "//form[input[@name='serial' and @value='{serial}']]"
                )))
                .await
                .unwrap();
            form.find(Locator::Css("input[name='confirmed']"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            form.find(Locator::Css("button[type='submit']"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            page = wait_text(&c, &["Odczyt został przyjęty.", "nie został przyjęty"]).await;
        }
        assert!(
            page.contains("Odczyt został przyjęty."),
            "the reading is accepted"
        );
        shot(&c, "04-reading.png").await;

        // Pay: the transfer block as a person (or a banking app) reads it.
        c.find(Locator::LinkText("Zapłać"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_path(&c, "/zaplac").await;
        let account = text_of(&c, "rachunek").await;
        let title = text_of(&c, "tytul").await;
        let amount = text_of(&c, "kwota").await;
        assert_eq!(account.replace(' ', ""), register.replace(' ', ""));
        assert!(
            title.contains(premises.as_str()),
            "the title names the premises: {title}"
        );
        assert!(
            amount.contains(&expected) || amount.contains("do wpisania"),
            "{amount} vs {expected}"
        );
        let code = text_of(&c, "kod").await;
        assert!(
            code.contains(&register.replace(' ', "")[2..]),
            "the ZBP 2D code carries the account: {code}"
        );
        // The QR code as the bank's app sees it: the rendered pixels, decoded by zbar, carry
        // the same transfer as the text.
        let qr = c
            .find(Locator::Css("figure.qr svg"))
            .await
            .unwrap()
            .screenshot()
            .await
            .unwrap();
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/portal-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("06-qr.png"), &qr).unwrap();
        let decoded = Command::new("zbarimg")
            .args(["--raw", "-q"])
            .arg(dir.join("06-qr.png"))
            .output()
            .expect("zbarimg (Debian package zbar-tools)");
        assert!(decoded.status.success(), "zbar finds the code");
        assert_eq!(
            String::from_utf8(decoded.stdout).unwrap().trim_end(),
            code.trim()
        );
        shot(&c, "05-pay.png").await;

        // English, then log out: the balance page is closed again.
        c.find(Locator::LinkText("English"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_text(&c, &["Pay by transfer"]).await;
        c.find(Locator::Css("form.logout button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.goto(&format!("{base}/konto")).await.unwrap();
        wait_path(&c, "/login").await;
    };
    // The browser session ends whatever happened.
    let outcome = tokio::spawn(result).await;
    let _ = c.close().await;
    let _ = std::fs::remove_file(&db);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
