//! The portal under test: a database (a fresh SQLite file, or a fresh PostgreSQL database
//! when `EBOK_PORTAL_TEST_POSTGRES` names a server), the demo cooperative, a settable clock,
//! and a client that keeps cookies and sends requests to the router in memory.

#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use ebok_core::access::AccessPolicy;
use ebok_core::portal::{ResidentView, ViewOptions};
use ebok_core::premises::{LoginId, PremisesId};
use ebok_portal::app::{App, Clock, Config};
use ebok_portal::demo::DemoLogins;
use ebok_portal::store::Store;
use http_body_util::BodyExt;
use time::OffsetDateTime;
use time::macros::datetime;
use tower::ServiceExt;

/// The backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Db {
    Sqlite,
    Postgres,
}

/// A database URL for one test: a new SQLite file, or a new PostgreSQL database. `None` for
/// PostgreSQL when no server is configured (the README's test command always configures one).
pub(crate) async fn database(db: Db) -> Option<String> {
    let n = format!(
        "{}_{}",
        std::process::id(),
        ebok_portal::web::random_token()[..12].to_owned()
    );
    match db {
        Db::Sqlite => {
            let path = std::env::temp_dir().join(format!("ebok-portal-test-{n}.db"));
            Some(format!("sqlite://{}", path.display()))
        }
        Db::Postgres => {
            let admin = std::env::var("EBOK_PORTAL_TEST_POSTGRES").ok()?;
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&admin)
                .await
                .expect("the PostgreSQL test server answers");
            sqlx::query(&format!("CREATE DATABASE ebok_test_{n}"))
                .execute(&pool)
                .await
                .expect("create database");
            pool.close().await;
            let base = admin
                .rsplit_once('/')
                .map_or(admin.as_str(), |(b, _)| b)
                .to_owned();
            Some(format!("{base}/ebok_test_{n}"))
        }
    }
}

/// Runs `$body` (an async block using `db: Db`) as one test per backend.
#[macro_export]
macro_rules! on_both {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $db = common::Db::Sqlite;
                $body
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if std::env::var("EBOK_PORTAL_TEST_POSTGRES").is_err() {
                    eprintln!(
                        "EBOK_PORTAL_TEST_POSTGRES is not set: the PostgreSQL run is skipped"
                    );
                    return;
                }
                let $db = common::Db::Postgres;
                $body
            }
        }
    };
}

/// A clock the test moves.
#[derive(Clone)]
pub(crate) struct TestClock(Arc<Mutex<OffsetDateTime>>);

impl TestClock {
    pub(crate) fn new() -> TestClock {
        TestClock(Arc::new(Mutex::new(datetime!(2026-11-24 10:00 UTC))))
    }
    pub(crate) fn clock(&self) -> Clock {
        let t = Arc::clone(&self.0);
        Arc::new(move || *t.lock().unwrap())
    }
    pub(crate) fn advance(&self, d: time::Duration) {
        *self.0.lock().unwrap() += d;
    }
}

/// A running portal (in memory, no socket) with the demo cooperative.
pub(crate) struct Portal {
    pub(crate) app: Arc<App>,
    pub(crate) router: Router,
    pub(crate) clock: TestClock,
    pub(crate) logins: DemoLogins,
    pub(crate) url: String,
}

/// Test settings: cheap hashing, production cookies.
pub(crate) fn config() -> Config {
    Config {
        policy: AccessPolicy::insecure_for_tests(),
        ..Config::production()
    }
}

impl Portal {
    pub(crate) async fn start(db: Db) -> Portal {
        Portal::start_with(db, config()).await
    }

    pub(crate) async fn start_with(db: Db, config: Config) -> Portal {
        let url = database(db).await.expect("a database");
        let clock = TestClock::new();
        let store = Store::open(&url).await.expect("open the store");
        let app = App::new(config, store, clock.clock()).await.expect("start");
        let logins = ebok_portal::demo::prepare(&app).await.expect("demo data");
        let router = ebok_portal::web::router(Arc::clone(&app));
        Portal {
            app,
            router,
            clock,
            logins,
            url,
        }
    }

    /// Another instance on the same database (as behind a load balancer).
    pub(crate) async fn second_instance(&self) -> (Arc<App>, Router) {
        let store = Store::open(&self.url).await.expect("open the store");
        let app = App::new(self.app.config.clone(), store, self.clock.clock())
            .await
            .expect("start");
        let router = ebok_portal::web::router(Arc::clone(&app));
        (app, router)
    }

    pub(crate) fn client(&self) -> Client {
        Client::new(self.router.clone(), [10, 0, 0, 1])
    }

    /// The codes delivered so far (demo mode prints them; the tests read them here).
    pub(crate) fn last_delivered_code(&self) -> Option<String> {
        self.app
            .deliveries
            .lock()
            .unwrap()
            .last()
            .and_then(|l| l.rsplit("code ").next().map(str::to_owned))
    }
}

/// An answer.
#[derive(Debug)]
pub(crate) struct Page {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

impl Page {
    pub(crate) fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
    /// The CSRF token of the page's first form.
    pub(crate) fn csrf(&self) -> String {
        let Some(i) = self.body.find("name=\"csrf\" value=\"") else {
            panic!(
                "no form with a token: {} {:?} {}",
                self.status,
                self.location(),
                self.body
            )
        };
        let i = i + 19;
        self.body[i..i + 64].to_owned()
    }
    /// The text of the element with `id`.
    pub(crate) fn by_id(&self, id: &str) -> Option<String> {
        let i = self.body.find(&format!("id=\"{id}\""))?;
        let start = i + self.body[i..].find('>')? + 1;
        let end = start + self.body[start..].find("</")?;
        Some(self.body[start..end].to_owned())
    }
    pub(crate) fn contains(&self, s: &str) -> bool {
        self.body.contains(s)
    }
}

/// A browser's part: cookies kept between requests, one client address.
pub(crate) struct Client {
    router: Router,
    pub(crate) cookies: HashMap<String, String>,
    pub(crate) addr: SocketAddr,
}

impl Client {
    pub(crate) fn new(router: Router, ip: [u8; 4]) -> Client {
        Client {
            router,
            cookies: HashMap::new(),
            addr: SocketAddr::from((ip, 40000)),
        }
    }

    pub(crate) async fn send(&mut self, mut req: Request<Body>) -> Page {
        if !self.cookies.is_empty() {
            let c = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req.headers_mut().insert(header::COOKIE, c.parse().unwrap());
        }
        req.extensions_mut().insert(ConnectInfo(self.addr));
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        for v in res.headers().get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let (kv, attrs) = v.split_once(';').unwrap_or((v, ""));
            let (k, val) = kv.split_once('=').unwrap();
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), val.to_owned());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub(crate) async fn get(&mut self, path: &str) -> Page {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub(crate) async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Posts a form with the token of the page at `form_page`.
    pub(crate) async fn submit(
        &mut self,
        form_page: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Page {
        let token = self.get(form_page).await.csrf();
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post(path, &all).await
    }

    /// Posts files as multipart/form-data under `field`, with the token of `form_page`.
    pub(crate) async fn upload(
        &mut self,
        form_page: &str,
        path: &str,
        field: &str,
        files: &[(String, Vec<u8>)],
    ) -> Page {
        let token = self.get(form_page).await.csrf();
        let boundary = "----ebokportaltestboundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            )
            .as_bytes(),
        );
        for (name, bytes) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Logs a resident in; the answer to the login form.
    pub(crate) async fn login(&mut self, login: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/login",
            &[("login", login), ("password", password)],
        )
        .await
    }

    /// Logs in with a one-time password and sets `new` as the password.
    pub(crate) async fn first_login(&mut self, login: &str, otp: &str, new: &str) -> Page {
        let p = self.login(login, otp).await;
        assert_eq!(p.location(), Some("/haslo"), "{p:?}");
        self.submit("/haslo", "/haslo", &[("new", new), ("repeat", new)])
            .await
    }

    pub(crate) async fn staff_login(&mut self, name: &str, password: &str) -> Page {
        self.submit(
            "/biuro/login",
            "/biuro/login",
            &[("name", name), ("password", password)],
        )
        .await
    }
}

/// Test settings where codes sent by SMS or e-mail are recorded (as demo mode prints them),
/// with production cookies.
pub(crate) fn config_demo_delivery() -> Config {
    Config {
        demo: true,
        ..config()
    }
}

/// The resident's first premises today and the core's view of it: what the pages must show.
pub(crate) fn core_view(app: &App, resident: &str) -> (PremisesId, ResidentView) {
    let login = LoginId::new(resident).unwrap();
    let today = app.today();
    app.read(|coop| {
        let premises = coop.accesses(&login, today)[0].premises.clone();
        let v = coop
            .resident_view(&login, &premises, today, None, &ViewOptions::default())
            .unwrap();
        (premises, v)
    })
}

/// The meter of a view with readings and still in place: its serial and its last reading.
pub(crate) fn meter_with_readings(v: &ResidentView) -> (String, rust_decimal::Decimal) {
    let m = v
        .meters
        .iter()
        .find(|m| m.meter.removed_on.is_none() && !m.last_readings.is_empty())
        .expect("a meter with readings");
    let last = m
        .last_readings
        .iter()
        .map(|r| r.value.to_decimal())
        .max()
        .unwrap();
    (m.meter.serial.to_string(), last)
}
