//! A bounded load test on the loopback address only: 200 resident sessions (spread over the
//! demo's 37 logins) ask for their balance page at once, as fast as the server answers, for
//! `EBOK_PORTAL_LOAD_SECONDS` (default 3; BENCHMARKS.md's figures use 30, in a release
//! build). The baseline, in the same run and with the same 200 clients, is the stylesheet: a
//! static answer with no session, no database and no ledger. Prints throughput and p50/p99
//! latency of both; fails on any answer other than 200.
//!
//! `EBOK_PORTAL_LOAD_SECONDS=30 cargo test --release -p ebok-portal --test load -- --nocapture`

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ebok_core::access::{AccessPolicy, Channel, Contacts};
use ebok_portal::app::{App, Config};
use ebok_portal::store::Store;
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

type Http = Client<HttpConnector, Body>;

const SESSIONS: usize = 200;

async fn send(http: &Http, req: Request<Body>) -> (StatusCode, Vec<String>, String) {
    let res = http.request(req).await.expect("the server answers");
    let status = res.status();
    let cookies = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect();
    let body =
        String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned();
    (status, cookies, body)
}

fn csrf(body: &str) -> String {
    let i = body.find("name=\"csrf\" value=\"").expect("a form") + 19;
    body[i..i + 64].to_owned()
}

/// Logs in through the pages (a fresh session each time); the session cookie.
async fn log_in(http: &Http, base: &str, login: &str, password: &str) -> (String, bool) {
    let (_, cookies, body) = send(
        http,
        Request::get(format!("{base}/login"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let form = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("csrf", csrf(&body).as_str()),
            ("login", login),
            ("password", password),
        ])
        .finish();
    let req = Request::post(format!("{base}/login"))
        .header(header::COOKIE, cookies.join("; "))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let (status, cookies, _) = send(http, req).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "login of {login}");
    (
        cookies
            .into_iter()
            .find(|c| c.starts_with("ebok_session="))
            .unwrap(),
        false,
    )
}

/// `SESSIONS` clients asking for `path` (with their cookie) for `d`: the latencies in µs.
async fn hammer(http: &Http, url: String, cookies: &[String], d: Duration) -> Vec<u32> {
    let stop = Instant::now() + d;
    let mut tasks = Vec::new();
    for cookie in cookies {
        let http = http.clone();
        let url = url.clone();
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < stop {
                let req = Request::get(&url)
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap();
                let t = Instant::now();
                let res = http.request(req).await.expect("the server answers");
                let status = res.status();
                let _ = res.into_body().collect().await.unwrap();
                lat.push(u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX));
                assert_eq!(status, StatusCode::OK, "{url}");
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_unstable();
    all
}

fn summary(name: &str, lat: &[u32], d: Duration) -> (f64, u32, u32) {
    let rps = lat.len() as f64 / d.as_secs_f64();
    let p = |q: f64| lat[((lat.len() as f64 * q) as usize).min(lat.len() - 1)];
    let (p50, p99) = (p(0.50), p(0.99));
    println!(
        "{name:<28} {:>9} requests  {rps:>9.0} req/s  p50 {:>8.2} ms  p99 {:>8.2} ms",
        lat.len(),
        f64::from(p50) / 1000.0,
        f64::from(p99) / 1000.0
    );
    (rps, p50, p99)
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_sessions_ask_for_their_balance() {
    let seconds: u64 = std::env::var("EBOK_PORTAL_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let d = Duration::from_secs(seconds);
    let db = std::env::temp_dir().join(format!("ebok-portal-load-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&db);
    let store = Store::open(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    // Plain HTTP on the loopback address; cheap hashing for the logins of the set-up (the
    // figures are of the balance page, not of argon2id); no per-address limit (every client is
    // 127.0.0.1 here).
    let config = Config {
        policy: AccessPolicy::insecure_for_tests(),
        secure_cookies: false,
        login_attempts_per_minute: 100_000,
        ..Config::production()
    };
    let app = App::new(
        config,
        store,
        Arc::new(|| time::macros::datetime!(2026-11-24 10:00 UTC)),
    )
    .await
    .unwrap();
    app.import_snapshot(ebok_portal::demo::snapshot_files(), "load")
        .await
        .unwrap()
        .unwrap();
    let (name, bytes) = ebok_portal::demo::statement();
    app.import_bank(name, bytes, "load").await.unwrap().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    assert!(addr.ip().is_loopback());
    let base = format!("http://{addr}");
    let router = ebok_portal::web::router(Arc::clone(&app));
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    let http: Http = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(SESSIONS)
        .build(HttpConnector::new());

    // Every resident with their own password; 200 sessions spread over them.
    let logins: Vec<String> = app.read(|c| {
        let mut all: Vec<String> = c
            .registry
            .iter()
            .flat_map(|p| c.registry.logins_of(&p.id))
            .map(|l| l.as_str().to_owned())
            .collect();
        all.sort();
        all.dedup();
        all
    });
    let password = "obciążenie testowe hasło 2026";
    let mut cookies = Vec::new();
    for login in &logins {
        let otp = app
            .issue_otp(login, Channel::InPerson, Contacts::default(), "load")
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        let (first, _) = log_in(&http, &base, login, &otp).await;
        let (_, _, body) = send(
            &http,
            Request::get(format!("{base}/haslo"))
                .header(header::COOKIE, &first)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let form = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("csrf", csrf(&body).as_str()),
                ("new", password),
                ("repeat", password),
            ])
            .finish();
        let req = Request::post(format!("{base}/haslo"))
            .header(header::COOKIE, &first)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        assert_eq!(send(&http, req).await.0, StatusCode::SEE_OTHER);
    }
    for i in 0..SESSIONS {
        cookies.push(
            log_in(&http, &base, &logins[i % logins.len()], password)
                .await
                .0,
        );
    }
    // Every session sees its own balance.
    let (status, _, body) = send(
        &http,
        Request::get(format!("{base}/konto"))
            .header(header::COOKIE, &cookies[0])
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("id=\"saldo\""));

    println!(
        "load: {SESSIONS} concurrent sessions on {addr}, {seconds} s each, {} logins",
        logins.len()
    );
    let base_lat = hammer(&http, format!("{base}/static/style.css"), &cookies, d).await;
    let (base_rps, _, _) = summary("baseline: /static/style.css", &base_lat, d);
    let page_lat = hammer(&http, format!("{base}/konto"), &cookies, d).await;
    let (rps, p50, p99) = summary("balance page: /konto", &page_lat, d);
    println!("balance page / baseline throughput: {:.2}", rps / base_rps);
    assert!(rps > 0.0 && p50 <= p99);
    let _ = std::fs::remove_file(&db);
}
