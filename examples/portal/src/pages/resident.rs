//! The resident's pages: login, password, balance, statements, account lines, payments, open
//! items and interest, water meters and readings, parameters, documents, paying, terms.
//!
//! Every page asks the core within the login's relations (`Cooperative::resident_view`,
//! `account_lines_for`, …): the portal never filters data itself.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ebok_core::ledger::Balance;
use ebok_core::messages::Language;
use ebok_core::portal::{ResidentView, ViewOptions};
use ebok_core::premises::{LoginId, PremisesId};
use maud::{Markup, PreEscaped, html};
use zeroize::Zeroizing;

use crate::app::{App, ChangeResult, LoginResult};
use crate::web::{Ctx, csrf_refused, layout, server_error, start_session, with_session};

type Fields = HashMap<String, String>;

fn field(f: &Fields, name: &str) -> String {
    f.get(name).cloned().unwrap_or_default()
}

/// Takes a secret field out of the form (the copy left behind is wiped with the map).
fn secret(f: &mut Fields, name: &str) -> Zeroizing<String> {
    Zeroizing::new(f.remove(name).unwrap_or_default())
}

/// Wipes every remaining value of a form that carried secrets.
fn wipe(mut f: Fields) {
    for v in f.values_mut() {
        zeroize::Zeroize::zeroize(v);
    }
}

pub async fn home(ctx: Ctx) -> Response {
    if ctx.resident().is_some() {
        Redirect::to("/konto").into_response()
    } else if ctx.staff().is_some() {
        Redirect::to("/biuro").into_response()
    } else {
        Redirect::to("/login").into_response()
    }
}

fn login_form(ctx: &Ctx, error: Option<&str>) -> Markup {
    layout(
        ctx,
        ctx.t("Logowanie", "Log in"),
        html! {
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form method="post" action="/login" {
                input type="hidden" name="csrf" value=(ctx.csrf());
                label { (ctx.t("Identyfikator", "Identifier")) input name="login" autocomplete="username" required; }
                label { (ctx.t("Hasło", "Password")) input type="password" name="password" autocomplete="current-password" required; }
                button type="submit" { (ctx.t("Zaloguj", "Log in")) }
            }
            p.hint { (ctx.t(
                "Pierwsze logowanie: identyfikator i hasło jednorazowe otrzymane w Spółdzielni. Po 7 błędnych próbach dostęp zostaje zablokowany; odblokowanie: SMS o treści „Odblokowanie eBOK nr identyfikacyjny …” z numeru podanego Spółdzielni.",
                "First login: the identifier and one-time password from the cooperative. After 7 failed attempts access is blocked; to unblock, send the SMS “Odblokowanie eBOK nr identyfikacyjny …” from the number on file."
            )) }
        },
    )
}

pub async fn login_page(State(app): State<Arc<App>>, ctx: Ctx) -> Response {
    if ctx.resident().is_some() {
        return Redirect::to("/konto").into_response();
    }
    with_session(&app, ctx, |c| login_form(c, None)).await
}

/// One answer for every failure: unknown identifier, wrong password, blocked or closed
/// account look the same (and take the same time: the core runs one KDF on every path).
pub async fn login(State(app): State<Arc<App>>, ctx: Ctx, Form(mut f): Form<Fields>) -> Response {
    if !ctx.csrf_ok(f.get("csrf").map(String::as_str)) {
        wipe(f);
        return csrf_refused();
    }
    let now = app.now().unix_timestamp();
    let allowed = crate::app::lock_limiter(&app).allow(ctx.ip, now);
    if !allowed {
        wipe(f);
        let page = login_form(
            &ctx,
            Some(ctx.t(
                "Zbyt wiele prób logowania z tego adresu. Spróbuj ponownie za minutę.",
                "Too many login attempts from this address. Try again in a minute.",
            )),
        );
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "60")],
            page,
        )
            .into_response();
    }
    let login = field(&f, "login").trim().to_owned();
    let password = secret(&mut f, "password");
    wipe(f);
    let (result, ticket) = match app.login(&login, password).await {
        Ok(r) => r,
        Err(e) => return server_error(&e.0),
    };
    if result == LoginResult::Failure {
        let page = login_form(
            &ctx,
            Some(ebok_core::access::LoginOutcome::Failure.message(ctx.lang)),
        );
        return (StatusCode::UNAUTHORIZED, page).into_response();
    }
    // A new session id at login; the anonymous one ends.
    if let Some(old) = &ctx.session_hash {
        let _ = app.store.delete_session(old).await;
        app.drop_ticket(old);
    }
    let must_change = result == LoginResult::MustChange;
    let (hash, cookie) = match start_session(&app, Some(login), None, must_change).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Some(t) = ticket {
        app.keep_ticket(&hash, t);
    }
    let mut r = Redirect::to(if must_change { "/haslo" } else { "/konto" }).into_response();
    r.headers_mut().append(header::SET_COOKIE, cookie);
    r
}

pub async fn logout(State(app): State<Arc<App>>, ctx: Ctx, Form(f): Form<Fields>) -> Response {
    if !ctx.csrf_ok(f.get("csrf").map(String::as_str)) {
        return csrf_refused();
    }
    if let Some(h) = &ctx.session_hash {
        let _ = app.store.delete_session(h).await;
        app.drop_ticket(h);
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        axum::http::HeaderValue::from_static(
            "ebok_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    );
    r
}

fn password_form(ctx: &Ctx, first: bool, errors: &[String], done: bool) -> Markup {
    layout(
        ctx,
        if first {
            ctx.t("Ustaw własne hasło", "Set your own password")
        } else {
            ctx.t("Zmiana hasła", "Change password")
        },
        html! {
            @if done { p.ok role="status" { (ctx.t("Hasło zostało zmienione.", "The password has been changed.")) } }
            @for e in errors { p.error role="alert" { (e) } }
            @if first {
                p { (ctx.t(
                    "Zalogowano hasłem jednorazowym. Aby korzystać z e-BOK, ustaw własne hasło (co najmniej 12 znaków; może to być kilka słów).",
                    "You logged in with a one-time password. To use the e-BOK, set your own password (at least 12 characters; several words are fine)."
                )) }
            }
            form method="post" action="/haslo" {
                input type="hidden" name="csrf" value=(ctx.csrf());
                @if !first {
                    label { (ctx.t("Obecne hasło", "Current password")) input type="password" name="current" autocomplete="current-password" required; }
                }
                label { (ctx.t("Nowe hasło", "New password")) input type="password" name="new" autocomplete="new-password" required; }
                label { (ctx.t("Powtórz nowe hasło", "Repeat the new password")) input type="password" name="repeat" autocomplete="new-password" required; }
                button type="submit" { (ctx.t("Zapisz hasło", "Save the password")) }
            }
        },
    )
}

pub async fn password_page(ctx: Ctx) -> Response {
    match ctx
        .session
        .as_ref()
        .and_then(|s| s.login.as_ref().map(|_| s.must_change))
    {
        Some(first) => password_form(&ctx, first, &[], false).into_response(),
        None => Redirect::to("/login").into_response(),
    }
}

pub async fn password(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    Form(mut f): Form<Fields>,
) -> Response {
    if !ctx.csrf_ok(f.get("csrf").map(String::as_str)) {
        wipe(f);
        return csrf_refused();
    }
    let (Some(s), Some(hash)) = (ctx.session.as_ref(), ctx.session_hash.as_ref()) else {
        wipe(f);
        return Redirect::to("/login").into_response();
    };
    let Some(login) = s.login.clone() else {
        wipe(f);
        return Redirect::to("/login").into_response();
    };
    let first = s.must_change;
    let new = secret(&mut f, "new");
    let repeat = secret(&mut f, "repeat");
    let current = secret(&mut f, "current");
    wipe(f);
    if *new != *repeat {
        let e = ctx
            .t("Hasła nie są takie same.", "The passwords differ.")
            .to_owned();
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            password_form(&ctx, first, &[e], false),
        )
            .into_response();
    }
    let result = if first {
        app.set_new_password(&login, hash, new).await
    } else {
        app.change_password(&login, hash, current, new).await
    };
    match result {
        Ok(ChangeResult::Changed) if first => {
            // The first password set: a new session, with the whole portal open.
            let _ = app.store.delete_session(hash).await;
            match start_session(&app, Some(login), None, false).await {
                Ok((_, cookie)) => {
                    let mut r = Redirect::to("/konto").into_response();
                    r.headers_mut().append(header::SET_COOKIE, cookie);
                    r
                }
                Err(r) => r,
            }
        }
        Ok(ChangeResult::Changed) => password_form(&ctx, false, &[], true).into_response(),
        Ok(ChangeResult::Refused(reasons)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            password_form(&ctx, first, &reasons, false),
        )
            .into_response(),
        Err(e) => server_error(&e.0),
    }
}

// ── the account ─────────────────────────────────────────────────────────────────────────

/// The logged-in resident and the premises asked for (the first one held today when none).
struct Scope {
    login: LoginId,
    premises: PremisesId,
    all: Vec<PremisesId>,
}

fn scope(app: &App, ctx: &Ctx, q: &HashMap<String, String>) -> Result<Scope, Response> {
    let Some(login) = ctx.resident().and_then(|l| LoginId::new(l).ok()) else {
        return Err(Redirect::to("/login").into_response());
    };
    let today = app.today();
    let all: Vec<PremisesId> = app.read(|c| {
        c.accesses(&login, today)
            .into_iter()
            .map(|a| a.premises)
            .collect()
    });
    let premises = match q.get("lokal").map(|p| PremisesId::new(p)) {
        Some(Ok(p)) => p,
        Some(Err(_)) => return Err(not_found(ctx)),
        None => match all.first() {
            Some(p) => p.clone(),
            None => return Err(not_found(ctx)),
        },
    };
    Ok(Scope {
        login,
        premises,
        all,
    })
}

fn not_found(ctx: &Ctx) -> Response {
    (
        StatusCode::NOT_FOUND,
        layout(ctx, ctx.t("Nie znaleziono", "Not found"), html! {
            p { (ctx.t("Nie ma takiego lokalu wśród lokali dostępnych dla tego identyfikatora.", "No such premises among those this identifier reaches.")) }
        }),
    )
        .into_response()
}

fn view(app: &App, ctx: &Ctx, s: &Scope) -> Result<ResidentView, Response> {
    let today = app.today();
    app.read(|c| {
        let v = c.resident_view(&s.login, &s.premises, today, None, &ViewOptions::default());
        v.map(|v| {
            // Each premises pays to its own virtual account (the register's, valid today).
            let account = c
                .virtual_accounts
                .rows()
                .find(|r| r.premises == s.premises && r.covers(today))
                .and_then(|r| ebok_core::bank::Nrb::parse(&r.account).ok());
            match account {
                Some(a) => v.with_transfer(a, &ebok_core::bank::TransferPolicy::new(&c.name)),
                None => v,
            }
        })
    })
    .map_err(|e| match e {
        ebok_core::portal::ScopeError::NotFound => not_found(ctx),
        other => server_error(&other.to_string()),
    })
}

/// The premises asked for and the resident's view of it, or the page to answer instead.
fn scoped_view(
    app: &App,
    ctx: &Ctx,
    q: &HashMap<String, String>,
) -> Result<(Scope, ResidentView), Response> {
    let s = scope(app, ctx, q)?;
    let v = view(app, ctx, &s)?;
    Ok((s, v))
}

fn premises_picker(ctx: &Ctx, s: &Scope, path: &str) -> Markup {
    html! {
        @if s.all.len() > 1 {
            nav.premises aria-label=(ctx.t("Lokale", "Premises")) {
                @for p in &s.all {
                    @if *p == s.premises { strong { (p.as_str()) } } @else { a href={(path) "?lokal=" (p.as_str())} { (p.as_str()) } }
                }
            }
        }
    }
}

fn balance_words(lang: Language, b: Balance) -> String {
    let a = b.amount();
    match (lang, a.is_positive(), a.is_negative()) {
        (Language::English, true, _) => format!("{} to pay", lang.money(a)),
        (Language::English, _, true) => format!("overpaid {}", lang.money(a.abs())),
        (Language::English, _, _) => "settled (0.00)".to_owned(),
        (_, true, _) => format!("do zapłaty {}", lang.money(a)),
        (_, _, true) => format!("nadpłata {}", lang.money(a.abs())),
        _ => "saldo zerowe".to_owned(),
    }
}

pub async fn balance(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (s, v) = match scoped_view(&app, &ctx, &q) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let current_as_of = app.read(|c| c.current_as_of);
    layout(&ctx, ctx.t("Saldo", "Balance"), html! {
        (premises_picker(&ctx, &s, "/konto"))
        p { (ctx.t("Lokal", "Premises")) " " strong { (s.premises.as_str()) } " (" (v.premises.kind.name(lang)) ", " (lang.quantity(v.premises.usable_area.to_decimal(), "m²")) ")" }
        p.balance #saldo { (ctx.t("Saldo na dzień", "Balance on")) " " (lang.long_date(v.today)) ": " strong { (balance_words(lang, v.balance)) } }
        p.freshness { (v.freshness.message(lang)) }
        @if let Some(at) = current_as_of { p.hint { (ctx.t("Dane z systemu księgowego z dnia", "Data from the accounting system as of")) " " (lang.instant(at)) } }
        @if !v.bank_pending.is_empty() {
            h2 { (ctx.t("Wpłaty w drodze do księgowości", "Payments on their way to the books")) }
            ul { @for p in &v.bank_pending { li { (p.describe(lang)) } } }
            @if let Some(projected) = v.projected_balance {
                p { (ctx.t("Saldo z uwzględnieniem wpłat w drodze", "Balance with the payments on their way")) ": " strong { (balance_words(lang, projected)) } }
            }
        }
        @if !v.pending.is_empty() {
            h2 { (ctx.t("Operacje oczekujące na zaksięgowanie", "Operations awaiting posting")) }
            ul { @for e in &v.pending { li { (lang.date(e.operation_date)) " " (e.kind.name(lang)) " " (lang.money(e.amount)) " (" (ctx.t("nie wliczone do salda", "not in the balance")) ")" } } }
        }
        p.hint { (ctx.t("Saldo dodatnie oznacza kwotę do zapłaty, ujemne — nadpłatę.", "A positive balance is owed; a negative one is an overpayment.")) }
        p.notice { (v.notice(lang)) }
    })
    .into_response()
}

pub async fn statements(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (s, v) = match scoped_view(&app, &ctx, &q) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    layout(&ctx, ctx.t("Rozliczenia miesięczne", "Monthly statements"), html! {
        (premises_picker(&ctx, &s, "/rozliczenia"))
        table {
            thead { tr { th { (ctx.t("miesiąc", "month")) } th { (ctx.t("saldo pocz.", "opening")) } th { (ctx.t("naliczenia", "charges")) } th { (ctx.t("wpłaty", "payments")) } th { (ctx.t("inne", "other")) } th { (ctx.t("saldo końc.", "closing")) } } }
            tbody {
                @for st in &v.statements {
                    tr {
                        td { (lang.month(st.month)) }
                        td.num { (lang.money(st.opening.amount())) }
                        td.num { (lang.money(st.charges_total)) }
                        td.num { (lang.money(st.payments)) }
                        td.num { (lang.money(ebok_core::money::Money::checked_sum(st.other.values().copied()).unwrap_or_default())) }
                        td.num { (lang.money(st.closing.amount())) }
                    }
                }
            }
        }
        @if let Some(last) = v.statements.last() {
            h2 { (ctx.t("Naliczenia wg składników za", "Charges by component for")) " " (lang.month(last.month)) }
            table { tbody { @for (c, a) in &last.charges { tr { td { (c.as_str()) } td.num { (lang.money(*a)) } } } } }
        }
    })
    .into_response()
}

pub async fn lines(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let s = match scope(&app, &ctx, &q) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let today = app.today();
    let lines = match app.read(|c| c.account_lines_for(&s.login, &s.premises, None, today, None)) {
        Ok(l) => l,
        Err(_) => return not_found(&ctx),
    };
    let lang = ctx.lang;
    layout(&ctx, ctx.t("Operacje na koncie lokalu", "Account lines"), html! {
        (premises_picker(&ctx, &s, "/operacje"))
        table {
            thead { tr { th { (ctx.t("data", "date")) } th { (ctx.t("rodzaj", "kind")) } th { (ctx.t("składnik", "component")) } th { (ctx.t("termin", "due")) } th { (ctx.t("kwota", "amount")) } th { (ctx.t("saldo", "balance")) } } }
            tbody {
                @for l in lines.iter().rev().take(200) {
                    tr {
                        td { (lang.date(l.operation_date)) }
                        td { (l.kind.name(lang)) }
                        td { (l.component.as_ref().map_or("", |c| c.as_str())) }
                        td { (l.due_date.map_or_else(String::new, |d| lang.date(d))) }
                        td.num { (lang.money(l.effect)) }
                        td.num { (lang.money(l.running_balance.amount())) }
                    }
                }
            }
        }
    })
    .into_response()
}

pub async fn payments(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (s, v) = match scoped_view(&app, &ctx, &q) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    layout(&ctx, ctx.t("Historia wpłat", "Payment history"), html! {
        (premises_picker(&ctx, &s, "/wplaty"))
        p { (ctx.t("Od", "Since")) " " (lang.long_date(v.period_start())) }
        table {
            thead { tr { th { (ctx.t("wpływ", "credited")) } th { (ctx.t("zaksięgowano", "posted")) } th { (ctx.t("kwota", "amount")) } th { (ctx.t("dokument", "document")) } } }
            tbody {
                @for p in &v.payments {
                    tr {
                        td { (lang.date(p.credited_on)) }
                        td { (p.posted_on.map_or_else(|| "—".to_owned(), |d| lang.date(d))) }
                        td.num { (lang.money(p.amount)) }
                        td { (p.document.as_ref().map_or("", |d| d.as_str())) }
                    }
                }
            }
        }
        @if !v.bank_pending.is_empty() {
            h2 { (ctx.t("W drodze do księgowości", "On their way to the books")) }
            ul { @for p in &v.bank_pending { li { (p.describe(lang)) } } }
        }
    })
    .into_response()
}

pub async fn open_items(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (s, v) = match scoped_view(&app, &ctx, &q) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let st = &v.settlement;
    layout(&ctx, ctx.t("Należności i odsetki", "Open items and interest"), html! {
        (premises_picker(&ctx, &s, "/odsetki"))
        dl {
            dt { (ctx.t("Zaległość (po terminie płatności)", "Arrears (past the due date)")) } dd #zaleglosc { (lang.money(st.arrears)) }
            dt { (ctx.t("Naliczenia przed terminem płatności", "Charges not yet due")) } dd { (lang.money(st.not_yet_due)) }
            dt { (ctx.t("Nadpłata do wykorzystania", "Overpayment to be used")) } dd { (lang.money(st.unused_credit)) }
            dt { (ctx.t("Odsetki ustawowe za opóźnienie do dziś (informacyjnie)", "Statutory late interest to date (for information)")) } dd #odsetki { (lang.money(st.interest_total)) }
        }
        table {
            thead { tr { th { (ctx.t("należność", "item")) } th { (ctx.t("termin", "due")) } th { (ctx.t("termin wg art. 115 KC", "due by art. 115")) } th { (ctx.t("dni po terminie", "days overdue")) } th { (ctx.t("pozostało", "outstanding")) } th { (ctx.t("odsetki", "interest")) } } }
            tbody {
                @for i in &st.items {
                    tr {
                        td { (i.kind.name(lang)) " " (i.component.as_ref().map_or("", |c| c.as_str())) }
                        td { (i.due_date.map_or_else(|| "—".to_owned(), |d| lang.date(d))) }
                        td { (lang.date(i.effective_due)) }
                        td.num { (i.days_overdue) }
                        td.num { (lang.money(i.outstanding)) }
                        td.num { (lang.money(i.interest)) }
                    }
                }
            }
        }
    })
    .into_response()
}

fn meters_page(
    ctx: &Ctx,
    s: &Scope,
    v: &ResidentView,
    verdict: Option<Markup>,
    confirm: Option<(&str, &str)>,
) -> Markup {
    let lang = ctx.lang;
    layout(
        ctx,
        ctx.t("Wodomierze", "Water meters"),
        html! {
            (premises_picker(ctx, s, "/liczniki"))
            @if let Some(m) = verdict { (m) }
            @if v.meters.is_empty() { p { (ctx.t("Brak wodomierzy.", "No meters.")) } }
            @for m in &v.meters {
                section.meter {
                    h2 { (m.meter.kind.name(lang)) " " (ctx.t("nr", "no.")) " " (m.meter.serial.to_string()) }
                    p {
                        @match (m.meter.removed_on, m.legalization_valid_through) {
                            (Some(r), _) => { (ctx.t("zdemontowany", "removed on")) " " (lang.date(r)) }
                            (None, Some(d)) if m.legalization_expired => { (ctx.t("legalizacja wygasła", "verification expired on")) " " (lang.date(d)) }
                            (None, Some(d)) => { (ctx.t("legalizacja ważna do", "verified until")) " " (lang.date(d)) }
                            (None, None) => { (ctx.t("brak danych o legalizacji", "no verification date")) }
                        }
                    }
                    ul { @for r in &m.last_readings { li { (lang.date(r.date)) ": " (lang.quantity(r.value.to_decimal(), m.meter.kind.unit())) " (" (r.source.name(lang)) ")" } } }
                    @if m.meter.removed_on.is_none() {
                        form method="post" action={"/liczniki?lokal=" (s.premises.as_str())} {
                            input type="hidden" name="csrf" value=(ctx.csrf());
                            input type="hidden" name="serial" value=(m.meter.serial.to_string());
                            @let prefill = confirm.filter(|(serial, _)| *serial == m.meter.serial.to_string()).map(|(_, v)| v);
                            label { (ctx.t("Odczyt na dziś", "Today's reading")) " [" (m.meter.kind.unit()) "] " input name="value" inputmode="decimal" required value=[prefill]; }
                            @if prefill.is_some() {
                                label.confirm { input type="checkbox" name="confirmed" value="1"; " " (ctx.t("Potwierdzam, że odczyt jest prawidłowy", "I confirm the reading is correct")) }
                            }
                            button type="submit" { (ctx.t("Wyślij odczyt", "Submit the reading")) }
                        }
                    }
                }
            }
            @if !v.water.is_empty() {
                h2 { (ctx.t("Zużycie wody [m³]", "Water used [m³]")) }
                table {
                    thead { tr { th { (ctx.t("miesiąc", "month")) } th { (ctx.t("zimna", "cold")) } th { (ctx.t("ciepła", "hot")) } th { (ctx.t("ścieki", "sewage")) } } }
                    tbody { @for w in &v.water { tr {
                        td { (lang.month(w.month)) @if w.sewage.is_estimated() { " " (ctx.t("(szacunek)", "(estimate)")) } }
                        td.num { (lang.number(w.cold.total.to_decimal())) } td.num { (lang.number(w.hot.total.to_decimal())) } td.num { (lang.number(w.sewage.total.to_decimal())) }
                    } } }
                }
            }
        },
    )
}

pub async fn meters(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (s, v) = match scoped_view(&app, &ctx, &q) {
        Ok(x) => x,
        Err(r) => return r,
    };
    meters_page(&ctx, &s, &v, None, None).into_response()
}

pub async fn reading(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<Fields>,
) -> Response {
    if !ctx.csrf_ok(f.get("csrf").map(String::as_str)) {
        return csrf_refused();
    }
    let s = match scope(&app, &ctx, &q) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let serial = field(&f, "serial");
    let value = field(&f, "value");
    let confirmed = f.get("confirmed").is_some_and(|v| v == "1");
    let verdict = match app
        .submit_reading(
            s.login.as_str(),
            s.premises.as_str(),
            &serial,
            &value,
            confirmed,
        )
        .await
    {
        Ok(Some(v)) => v,
        Ok(None) => return not_found(&ctx),
        Err(e) => return server_error(&e.0),
    };
    let lang = ctx.lang;
    let (status, message, confirm) = match &verdict {
        ebok_core::meters::Verdict::Accepted { warnings } => (
            StatusCode::OK,
            html! {
                p.ok role="status" { (ctx.t("Odczyt został przyjęty.", "The reading has been accepted.")) }
                @for w in warnings { p.hint { (w.message(lang)) } }
            },
            None,
        ),
        ebok_core::meters::Verdict::NeedsConfirmation { warnings } => (
            StatusCode::OK,
            html! {
                p.warning role="alert" { (ctx.t("Odczyt wymaga potwierdzenia:", "The reading needs your confirmation:")) }
                @for w in warnings { p.warning { (w.message(lang)) } }
            },
            Some((serial.as_str(), value.as_str())),
        ),
        ebok_core::meters::Verdict::Rejected { reasons } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            html! {
                p.error role="alert" { (ctx.t("Odczyt nie został przyjęty:", "The reading was not accepted:")) }
                @for r in reasons { p.error { (r.message(lang)) } }
            },
            None,
        ),
    };
    let v = match view(&app, &ctx, &s) {
        Ok(v) => v,
        Err(r) => return r,
    };
    (status, meters_page(&ctx, &s, &v, Some(message), confirm)).into_response()
}

pub async fn parameters(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let s = match scope(&app, &ctx, &q) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let today = app.today();
    let Ok(values) = app.read(|c| c.parameters_for(&s.login, &s.premises, today)) else {
        return not_found(&ctx);
    };
    let lang = ctx.lang;
    layout(
        &ctx,
        ctx.t("Parametry lokalu", "Premises parameters"),
        html! {
            (premises_picker(&ctx, &s, "/parametry"))
            @if values.is_empty() { p { (ctx.t("Brak parametrów.", "No parameters.")) } }
            table { tbody { @for d in &values { tr {
                td { (d.kind.code()) } td { (d.value.to_string()) }
                td { (lang.date(d.from)) " – " (d.to.map_or_else(String::new, |t| lang.date(t))) }
            } } } }
        },
    )
    .into_response()
}

pub async fn documents(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let s = match scope(&app, &ctx, &q) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let today = app.today();
    let Ok(docs) = app.read(|c| {
        c.documents_for(&s.login, &s.premises, today)
            .map(|d| d.into_iter().cloned().collect::<Vec<_>>())
    }) else {
        return not_found(&ctx);
    };
    let lang = ctx.lang;
    layout(&ctx, ctx.t("Dokumenty", "Documents"), html! {
        (premises_picker(&ctx, &s, "/dokumenty"))
        @if docs.is_empty() { p { (ctx.t("Brak dokumentów.", "No documents.")) } }
        ul { @for d in &docs { li { (lang.date(d.date)) " — " (d.title) " (" (d.reference) ")" } } }
    })
    .into_response()
}

pub async fn pay(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (s, v) = match scoped_view(&app, &ctx, &q) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let lang = ctx.lang;
    let Some(tf) = &v.transfer else {
        return layout(&ctx, ctx.t("Zapłać", "Pay"), html! {
            p { (ctx.t("Dla tego lokalu nie ma rachunku do wpłat w rejestrze Spółdzielni.", "The cooperative's register has no account for this premises.")) }
        }).into_response();
    };
    let (code, warnings) = ebok_core::bank::PaymentCode::for_transfer(tf, None);
    let text = code.encode();
    let svg = ebok_core::bank::qr_svg(&text).ok();
    layout(&ctx, ctx.t("Zapłać przelewem", "Pay by transfer"), html! {
        (premises_picker(&ctx, &s, "/zaplac"))
        dl #przelew {
            dt { (ctx.t("Odbiorca", "Recipient")) } dd #odbiorca { (tf.recipient_name) }
            dt { (ctx.t("Rachunek", "Account")) } dd #rachunek { (tf.account.to_string()) }
            dt { (ctx.t("Tytuł", "Title")) } dd #tytul { (tf.title) }
            dt { (ctx.t("Kwota", "Amount")) }
            dd #kwota { @match tf.amount { Some(a) => (lang.money(a)), None => (ctx.t("do wpisania (brak należności)", "to be typed (nothing owed)")) } }
        }
        @for w in &warnings { p.hint { (w.message(lang)) } }
        @if let Some(svg) = svg {
            figure.qr {
                (PreEscaped(svg))
                figcaption { (ctx.t("Kod ZBP 2D: zeskanuj w aplikacji banku.", "ZBP 2D code: scan it in your bank's app.")) }
            }
        }
        p.hint #kod { (text) }
    })
    .into_response()
}

pub async fn terms(ctx: Ctx) -> Response {
    let rules = ebok_core::messages::terms_of_use(ctx.lang);
    layout(
        &ctx,
        ctx.t("Regulamin e-BOK", "e-BOK terms of use"),
        html! {
            ol { @for r in rules { li { (r) } } }
        },
    )
    .into_response()
}
