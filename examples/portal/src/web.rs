//! HTTP: the router, sessions and their CSRF tokens, the security headers, the page layout.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use ebok_core::messages::Language;
use maud::{DOCTYPE, Markup, html};
use rand_core::TryRng;
use sha2::{Digest, Sha256};

use crate::app::App;
use crate::pages::{resident, staff};
use crate::store::SessionRow;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "ebok_session";
/// The language cookie's name (`pl` or `en`).
pub const LANG_COOKIE: &str = "ebok_lang";

/// The whole portal.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(resident::home))
        .route("/login", get(resident::login_page).post(resident::login))
        .route("/logout", post(resident::logout))
        .route(
            "/haslo",
            get(resident::password_page).post(resident::password),
        )
        .route("/konto", get(resident::balance))
        .route("/rozliczenia", get(resident::statements))
        .route("/operacje", get(resident::lines))
        .route("/wplaty", get(resident::payments))
        .route("/odsetki", get(resident::open_items))
        .route("/liczniki", get(resident::meters).post(resident::reading))
        .route("/parametry", get(resident::parameters))
        .route("/dokumenty", get(resident::documents))
        .route("/zaplac", get(resident::pay))
        .route("/regulamin", get(resident::terms))
        .route("/jezyk/{lang}", get(language))
        .route("/static/style.css", get(style))
        .route("/biuro/login", get(staff::login_page).post(staff::login))
        .route("/biuro", get(staff::dashboard))
        .route("/biuro/kod", post(staff::issue_otp))
        .route("/biuro/konto", post(staff::account_action))
        .route(
            "/biuro/odblokowania",
            get(staff::unblock_page).post(staff::unblock),
        )
        .route("/biuro/import", get(staff::import_page).post(staff::import))
        .route(
            "/biuro/bank",
            get(staff::bank_page).post(staff::bank_import),
        )
        .route("/biuro/audyt", get(staff::audit))
        .layer(middleware::from_fn(security_headers))
        .with_state(app)
}

/// Headers on every answer: a strict CSP (no inline script, no framing), no sniffing, no
/// referrer, no caching of personal pages.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let set = |h: &mut HeaderMap, k: header::HeaderName, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "no-referrer");
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    response
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/style.css"),
    )
        .into_response()
}

/// Switches the language and goes back to the page it was asked from (`?wroc=/path`: the
/// portal sends no `Referer`, and only a path of this site is followed).
async fn language(
    axum::extract::Path(lang): axum::extract::Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let code = if lang == "en" { "en" } else { "pl" };
    let back = q
        .get("wroc")
        .filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\'))
        .map_or("/", String::as_str);
    let mut r = Redirect::to(back).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={code}; Path=/; SameSite=Strict; Max-Age=31536000"
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// The SHA-256 of a session id, as stored.
pub fn hash_id(id: &str) -> String {
    let digest = Sha256::digest(id.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes from the OS, as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    let mut rng = rand::rngs::SysRng;
    if rng.try_fill_bytes(&mut bytes).is_err() {
        // No randomness, no session: the host cannot run safely.
        std::process::abort();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What every handler knows about the request: the session (if any), the language, the
/// client's address.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The hashed id of the session cookie, when it names a live session.
    pub session_hash: Option<String>,
    /// The session.
    pub session: Option<SessionRow>,
    /// The page language.
    pub lang: Language,
    /// The client's address.
    pub ip: IpAddr,
    /// The page asked for (path and query), for the language switch to come back to.
    pub path: String,
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl FromRequestParts<Arc<App>> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        let lang = match cookie(&parts.headers, LANG_COOKIE) {
            Some("en") => Language::English,
            _ => Language::Polish,
        };
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
        let path = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let mut ctx = Ctx {
            session_hash: None,
            session: None,
            lang,
            ip,
            path,
        };
        if let Some(id) = cookie(&parts.headers, SESSION_COOKIE).filter(|v| v.len() == 64) {
            let hash = hash_id(id);
            let now = app.now().unix_timestamp();
            match app.store.session(&hash, now).await {
                Ok(Some(s)) => {
                    ctx.session = Some(s);
                    ctx.session_hash = Some(hash);
                }
                Ok(None) => {}
                Err(e) => return Err(server_error(&e.to_string())),
            }
        }
        Ok(ctx)
    }
}

impl Ctx {
    /// Polish or English text.
    pub fn t<'a>(&self, pl: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Language::English => en,
            _ => pl,
        }
    }

    /// The logged-in resident (not in the middle of the first-login change).
    pub fn resident(&self) -> Option<&str> {
        self.session
            .as_ref()
            .filter(|s| !s.must_change)
            .and_then(|s| s.login.as_deref())
    }

    /// The logged-in staff member.
    pub fn staff(&self) -> Option<&str> {
        self.session.as_ref().and_then(|s| s.staff.as_deref())
    }

    /// The session's CSRF token ("" without a session).
    pub fn csrf(&self) -> &str {
        self.session.as_ref().map_or("", |s| s.csrf.as_str())
    }

    /// Whether a form's token is this session's (compared in constant time).
    pub fn csrf_ok(&self, token: Option<&str>) -> bool {
        use subtle::ConstantTimeEq;
        match (self.session.as_ref(), token) {
            (Some(s), Some(t)) if !s.csrf.is_empty() => {
                bool::from(s.csrf.as_bytes().ct_eq(t.as_bytes()))
            }
            _ => false,
        }
    }
}

/// Starts a new session (a fresh random id: at login the old one is dropped, so a session
/// id planted before the login is worthless) and returns the `Set-Cookie` value.
pub async fn start_session(
    app: &App,
    login: Option<String>,
    staff: Option<String>,
    must_change: bool,
) -> Result<(String, HeaderValue), Response> {
    let id = random_token();
    let hash = hash_id(&id);
    let now = app.now().unix_timestamp();
    let row = SessionRow {
        login,
        staff,
        must_change,
        csrf: random_token(),
        expires_at: now + app.config.session_minutes * 60,
    };
    app.store
        .create_session(&hash, &row, now)
        .await
        .map_err(|e| server_error(&e.to_string()))?;
    let secure = if app.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let value = HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict{secure}"
    ))
    .map_err(|e| server_error(&e.to_string()))?;
    Ok((hash, value))
}

/// The answer to a page that needs an anonymous session for its form's token: the page, with
/// a new session cookie when there was none.
pub async fn with_session<F>(app: &App, mut ctx: Ctx, page: F) -> Response
where
    F: FnOnce(&Ctx) -> Markup,
{
    if ctx.session.is_some() {
        return page(&ctx).into_response();
    }
    match start_session(app, None, None, false).await {
        Ok((hash, cookie)) => {
            let now = app.now().unix_timestamp();
            ctx.session = app.store.session(&hash, now).await.ok().flatten();
            ctx.session_hash = Some(hash);
            let mut r = page(&ctx).into_response();
            r.headers_mut().append(header::SET_COOKIE, cookie);
            r
        }
        Err(r) => r,
    }
}

/// A 500 page; the detail goes to the log, not to the client.
pub fn server_error(detail: &str) -> Response {
    eprintln!("[error] {detail}");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Wystąpił błąd. / An error occurred.",
    )
        .into_response()
}

/// A 403 for a form without its session's token.
pub fn csrf_refused() -> Response {
    (
        StatusCode::FORBIDDEN,
        "Formularz wygasł: odśwież stronę. / The form has expired: reload the page.",
    )
        .into_response()
}

/// A link in the menu.
fn menu_link(href: &str, text: &str) -> Markup {
    html! { a href=(href) { (text) } }
}

/// The page around `body`.
pub fn layout(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    let resident = ctx.resident().is_some();
    let staff = ctx.staff().is_some();
    html! {
        (DOCTYPE)
        html lang=(if ctx.lang == Language::English { "en" } else { "pl" }) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · e-BOK" }
                link rel="stylesheet" href="/static/style.css";
            }
            body {
                header {
                    strong { "e-BOK" }
                    nav {
                        @if resident {
                            (menu_link("/konto", ctx.t("Saldo", "Balance")))
                            (menu_link("/rozliczenia", ctx.t("Rozliczenia", "Statements")))
                            (menu_link("/operacje", ctx.t("Operacje", "Account lines")))
                            (menu_link("/wplaty", ctx.t("Wpłaty", "Payments")))
                            (menu_link("/odsetki", ctx.t("Należności i odsetki", "Open items and interest")))
                            (menu_link("/liczniki", ctx.t("Wodomierze", "Water meters")))
                            (menu_link("/parametry", ctx.t("Parametry", "Parameters")))
                            (menu_link("/dokumenty", ctx.t("Dokumenty", "Documents")))
                            (menu_link("/zaplac", ctx.t("Zapłać", "Pay")))
                            (menu_link("/haslo", ctx.t("Zmiana hasła", "Change password")))
                        }
                        @if staff {
                            (menu_link("/biuro", ctx.t("Konta", "Accounts")))
                            (menu_link("/biuro/odblokowania", ctx.t("Odblokowania", "Unblock requests")))
                            (menu_link("/biuro/import", ctx.t("Import danych", "Data import")))
                            (menu_link("/biuro/bank", ctx.t("Wyciągi bankowe", "Bank statements")))
                            (menu_link("/biuro/audyt", ctx.t("Dziennik", "Audit log")))
                        }
                        (menu_link("/regulamin", ctx.t("Regulamin", "Terms of use")))
                        @let back: String = form_urlencoded_path(&ctx.path);
                        @if ctx.lang == Language::English {
                            a href={"/jezyk/pl?wroc=" (back)} lang="pl" { "Polski" }
                        } @else {
                            a href={"/jezyk/en?wroc=" (back)} lang="en" { "English" }
                        }
                    }
                    @if resident || staff {
                        form method="post" action="/logout" class="logout" {
                            input type="hidden" name="csrf" value=(ctx.csrf());
                            button type="submit" { (ctx.t("Wyloguj", "Log out")) }
                        }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A path as a query value (percent-encoded).
fn form_urlencoded_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
