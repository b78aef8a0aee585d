//! The office's pages: accounts (issue a one-time password, block, unblock, close), unblock
//! requests received by SMS, the snapshot import, bank statements and the unmatched-payment
//! queue, the audit log and the outbox.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ebok_core::access::{Channel, Contacts, PhoneNumber};
use maud::{Markup, html};
use zeroize::Zeroizing;

use crate::app::App;
use crate::web::{Ctx, csrf_refused, layout, server_error, start_session, with_session};

type Fields = HashMap<String, String>;

fn staff_only(ctx: &Ctx) -> Result<String, Response> {
    ctx.staff()
        .map(str::to_owned)
        .ok_or_else(|| Redirect::to("/biuro/login").into_response())
}

fn when(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at).map_or_else(
        |_| at.to_string(),
        |t| format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute()),
    )
}

fn login_form(ctx: &Ctx, error: Option<&str>) -> Markup {
    layout(
        ctx,
        ctx.t("Logowanie pracownika biura", "Office staff login"),
        html! {
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form method="post" action="/biuro/login" {
                input type="hidden" name="csrf" value=(ctx.csrf());
                label { (ctx.t("Nazwa", "Name")) input name="name" autocomplete="username" required; }
                label { (ctx.t("Hasło", "Password")) input type="password" name="password" autocomplete="current-password" required; }
                button type="submit" { (ctx.t("Zaloguj", "Log in")) }
            }
        },
    )
}

pub async fn login_page(State(app): State<Arc<App>>, ctx: Ctx) -> Response {
    with_session(&app, ctx, |c| login_form(c, None)).await
}

pub async fn login(State(app): State<Arc<App>>, ctx: Ctx, Form(mut f): Form<Fields>) -> Response {
    if !ctx.csrf_ok(f.get("csrf").map(String::as_str)) {
        return csrf_refused();
    }
    let now = app.now().unix_timestamp();
    if !crate::app::lock_limiter(&app).allow(ctx.ip, now) {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "60")],
            login_form(&ctx, Some("Zbyt wiele prób. / Too many attempts.")),
        )
            .into_response();
    }
    let name = f.get("name").cloned().unwrap_or_default();
    let password = Zeroizing::new(f.remove("password").unwrap_or_default());
    let ok = match app.staff_login(&name, password).await {
        Ok(ok) => ok,
        Err(e) => return server_error(&e.0),
    };
    if !ok {
        return (
            StatusCode::UNAUTHORIZED,
            login_form(
                &ctx,
                Some(ctx.t("Nieprawidłowa nazwa lub hasło.", "Wrong name or password.")),
            ),
        )
            .into_response();
    }
    if let Some(old) = &ctx.session_hash {
        let _ = app.store.delete_session(old).await;
    }
    let _ = app.audit("staff_login", &name, "", "").await;
    match start_session(&app, None, Some(name), false).await {
        Ok((_, cookie)) => {
            let mut r = Redirect::to("/biuro").into_response();
            r.headers_mut().append(header::SET_COOKIE, cookie);
            r
        }
        Err(r) => r,
    }
}

async fn dashboard_page(app: &App, ctx: &Ctx, message: Option<Markup>) -> Response {
    let accounts = match app.store.accounts().await {
        Ok(a) => a,
        Err(e) => return server_error(&e.0),
    };
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
    layout(ctx, ctx.t("Konta mieszkańców", "Residents' accounts"), html! {
        @if let Some(m) = message { (m) }
        h2 { (ctx.t("Wydaj hasło jednorazowe", "Issue a one-time password")) }
        form method="post" action="/biuro/kod" {
            input type="hidden" name="csrf" value=(ctx.csrf());
            label { (ctx.t("Identyfikator", "Identifier")) input name="login" list="logins" required; }
            datalist #logins { @for l in &logins { option value=(l) {} } }
            label { (ctx.t("Kanał", "Channel"))
                select name="channel" {
                    option value="in_person" { (ctx.t("osobiście w biurze", "in person at the office")) }
                    option value="sms" { "SMS" }
                }
            }
            label { (ctx.t("Telefon (dla SMS)", "Phone (for SMS)")) input name="phone" inputmode="tel"; }
            button type="submit" { (ctx.t("Wydaj", "Issue")) }
        }
        h2 { (ctx.t("Konta", "Accounts")) }
        table {
            thead { tr { th { (ctx.t("identyfikator", "identifier")) } th { "status" } th { (ctx.t("błędne próby", "failures")) } th {} } }
            tbody {
                @for (login, status, failures) in &accounts {
                    tr {
                        td { (login) } td.status { (status) } td.num { (failures) }
                        td {
                            @for (action, pl, en) in [("block", "zablokuj", "block"), ("unblock", "odblokuj", "lift block"), ("close", "zamknij", "close")] {
                                form.inline method="post" action="/biuro/konto" {
                                    input type="hidden" name="csrf" value=(ctx.csrf());
                                    input type="hidden" name="login" value=(login);
                                    input type="hidden" name="action" value=(action);
                                    button type="submit" { (ctx.t(pl, en)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
    .into_response()
}

pub async fn dashboard(State(app): State<Arc<App>>, ctx: Ctx) -> Response {
    if let Err(r) = staff_only(&ctx) {
        return r;
    }
    dashboard_page(&app, &ctx, None).await
}

pub async fn issue_otp(State(app): State<Arc<App>>, ctx: Ctx, Form(f): Form<Fields>) -> Response {
    let staff = match staff_only(&ctx) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !ctx.csrf_ok(f.get("csrf").map(String::as_str)) {
        return csrf_refused();
    }
    let login = f.get("login").cloned().unwrap_or_default();
    let (channel, contacts) = match f.get("channel").map(String::as_str) {
        Some("sms") => match PhoneNumber::new(f.get("phone").map_or("", String::as_str)) {
            Ok(p) => (
                Channel::Sms,
                Contacts {
                    phone: Some(p),
                    ..Contacts::default()
                },
            ),
            Err(e) => {
                return dashboard_page(
                    &app,
                    &ctx,
                    Some(html! { p.error role="alert" { (e.to_string()) } }),
                )
                .await;
            }
        },
        _ => (Channel::InPerson, Contacts::default()),
    };
    let message = match app.issue_otp(&login, channel, contacts, &staff).await {
        Ok(Ok(Some(code))) => html! {
            p.ok role="status" { (ctx.t("Hasło jednorazowe dla", "One-time password for")) " " (login) ": " strong #otp { (code.as_str()) } }
            p.hint { (ctx.t("Pokazane tylko raz: przekaż je mieszkańcowi.", "Shown only once: hand it to the resident.")) }
        },
        Ok(Ok(None)) => {
            html! { p.ok role="status" { (ctx.t("Kod wysłany (skrzynka nadawcza).", "Code sent (outbox).")) } }
        }
        Ok(Err(e)) => html! { p.error role="alert" { (e) } },
        Err(e) => return server_error(&e.0),
    };
    dashboard_page(&app, &ctx, Some(message)).await
}

pub async fn account_action(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    Form(f): Form<Fields>,
) -> Response {
    let staff = match staff_only(&ctx) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !ctx.csrf_ok(f.get("csrf").map(String::as_str)) {
        return csrf_refused();
    }
    let login = f.get("login").cloned().unwrap_or_default();
    let action = f.get("action").cloned().unwrap_or_default();
    let message = match app.staff_action(&login, &action, &staff).await {
        Ok(Ok(())) => html! { p.ok role="status" { (login) ": " (action) " ✓" } },
        Ok(Err(e)) => html! { p.error role="alert" { (login) ": " (e) } },
        Err(e) => return server_error(&e.0),
    };
    dashboard_page(&app, &ctx, Some(message)).await
}

async fn unblock_list(app: &App, ctx: &Ctx, message: Option<Markup>) -> Response {
    let requests = match app.store.unblock_requests(100).await {
        Ok(r) => r,
        Err(e) => return server_error(&e.0),
    };
    layout(ctx, ctx.t("Prośby o odblokowanie (SMS)", "Unblock requests (SMS)"), html! {
        @if let Some(m) = message { (m) }
        p.hint { (ctx.t("Treść: „Odblokowanie eBOK nr identyfikacyjny …”. Nowy kod idzie tylko na numer zapisany w koncie; odpowiedź jest zawsze ta sama.", "Text: “Odblokowanie eBOK nr identyfikacyjny …”. A new code goes only to the number on file; the answer is always the same.")) }
        form method="post" action="/biuro/odblokowania" {
            input type="hidden" name="csrf" value=(ctx.csrf());
            label { (ctx.t("Nadawca", "Sender")) input name="sender" inputmode="tel" required; }
            label { (ctx.t("Treść SMS", "SMS text")) input name="body" required; }
            button type="submit" { (ctx.t("Przetwórz", "Handle")) }
        }
        table {
            thead { tr { th { (ctx.t("kiedy", "when")) } th { (ctx.t("nadawca", "sender")) } th { (ctx.t("treść", "text")) } th { (ctx.t("wynik", "outcome")) } } }
            tbody { @for (at, sender, body, outcome) in &requests { tr { td { (when(*at)) } td { (sender) } td { (body) } td { (outcome) } } } }
        }
    })
    .into_response()
}

pub async fn unblock_page(State(app): State<Arc<App>>, ctx: Ctx) -> Response {
    if let Err(r) = staff_only(&ctx) {
        return r;
    }
    unblock_list(&app, &ctx, None).await
}

pub async fn unblock(State(app): State<Arc<App>>, ctx: Ctx, Form(f): Form<Fields>) -> Response {
    if let Err(r) = staff_only(&ctx) {
        return r;
    }
    if !ctx.csrf_ok(f.get("csrf").map(String::as_str)) {
        return csrf_refused();
    }
    let sender = f.get("sender").cloned().unwrap_or_default();
    let body = f.get("body").cloned().unwrap_or_default();
    match app.unblock_sms(&sender, &body).await {
        Ok(answer) => {
            unblock_list(&app, &ctx, Some(html! { p.ok role="status" { (answer) } })).await
        }
        Err(e) => server_error(&e.0),
    }
}

/// The files of a multipart form and its CSRF token.
async fn files_of(mut m: Multipart) -> Result<(Option<String>, Vec<(String, Vec<u8>)>), String> {
    let mut csrf = None;
    let mut files = Vec::new();
    while let Some(field) = m.next_field().await.map_err(|e| e.to_string())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "csrf" {
            csrf = Some(field.text().await.map_err(|e| e.to_string())?);
            continue;
        }
        let Some(file) = field
            .file_name()
            .map(|f| f.rsplit(['/', '\\']).next().unwrap_or(f).to_owned())
        else {
            continue;
        };
        let bytes = field.bytes().await.map_err(|e| e.to_string())?;
        if !file.is_empty() {
            files.push((file, bytes.to_vec()));
        }
    }
    Ok((csrf, files))
}

/// Past imports, newest first: when, by whom, and the report, folded.
fn recent_imports(reports: &[(i64, String, String)]) -> Markup {
    html! {
        @for (at, actor, report) in reports { details { summary { (when(*at)) " · " (actor) } pre { (report) } } }
    }
}

async fn import_form(
    app: &App,
    ctx: &Ctx,
    message: Option<Markup>,
    status: StatusCode,
) -> Response {
    let reports = match app.store.input_reports("snapshot", 10).await {
        Ok(r) => r,
        Err(e) => return server_error(&e.0),
    };
    (status, layout(ctx, ctx.t("Import danych z systemu księgowego", "Import from the accounting system"), html! {
        @if let Some(m) = message { (m) }
        p.hint { (ctx.t("Wybierz manifest.txt i wszystkie pliki CSV migawki. Import jest niepodzielny: przy jakimkolwiek błędzie nic się nie zmienia.", "Choose manifest.txt and every CSV file of the snapshot. The import is all or nothing: on any error nothing changes.")) }
        form method="post" action="/biuro/import" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(ctx.csrf());
            input type="file" name="files" multiple required;
            button type="submit" { (ctx.t("Importuj", "Import")) }
        }
        h2 { (ctx.t("Ostatnie importy", "Recent imports")) }
        (recent_imports(&reports))
    })).into_response()
}

pub async fn import_page(State(app): State<Arc<App>>, ctx: Ctx) -> Response {
    if let Err(r) = staff_only(&ctx) {
        return r;
    }
    import_form(&app, &ctx, None, StatusCode::OK).await
}

pub async fn import(State(app): State<Arc<App>>, ctx: Ctx, m: Multipart) -> Response {
    let staff = match staff_only(&ctx) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (csrf, files) = match files_of(m).await {
        Ok(x) => x,
        Err(e) => return (StatusCode::BAD_REQUEST, e).into_response(),
    };
    if !ctx.csrf_ok(csrf.as_deref()) {
        return csrf_refused();
    }
    match app.import_snapshot(files, &staff).await {
        Ok(Ok(report)) => import_form(&app, &ctx, Some(html! { p.ok role="status" { (ctx.t("Zaimportowano.", "Imported.")) } pre #raport { (report) } }), StatusCode::OK).await,
        Ok(Err(problems)) => import_form(&app, &ctx, Some(html! { p.error role="alert" { (ctx.t("Import odrzucony; nic nie zmieniono.", "Import refused; nothing changed.")) } pre #raport { (problems) } }), StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => server_error(&e.0),
    }
}

async fn bank_form(app: &App, ctx: &Ctx, message: Option<Markup>, status: StatusCode) -> Response {
    let lang = ctx.lang;
    let reports = match app.store.input_reports("bank", 10).await {
        Ok(r) => r,
        Err(e) => return server_error(&e.0),
    };
    let queue: Vec<(String, String, String, String)> = app.read(|c| {
        c.bank
            .unresolved()
            .map(|r| {
                let e = &r.entry;
                (
                    lang.date(e.value_date),
                    lang.money(e.amount),
                    e.title.as_deref().unwrap_or("").to_owned(),
                    format!("{:?}", r.outcome),
                )
            })
            .collect()
    });
    (status, layout(ctx, ctx.t("Wyciągi bankowe", "Bank statements"), html! {
        @if let Some(m) = message { (m) }
        form method="post" action="/biuro/bank" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(ctx.csrf());
            input type="file" name="statement" required;
            button type="submit" { (ctx.t("Importuj wyciąg", "Import the statement")) }
        }
        h2 { (ctx.t("Wpłaty nieprzypisane do lokalu", "Payments not matched to premises")) }
        table #nieprzypisane {
            thead { tr { th { (ctx.t("data", "date")) } th { (ctx.t("kwota", "amount")) } th { (ctx.t("tytuł", "title")) } th { (ctx.t("powód", "reason")) } } }
            tbody { @for (d, a, t, why) in &queue { tr { td { (d) } td.num { (a) } td { (t) } td { (why) } } } }
        }
        h2 { (ctx.t("Ostatnie importy wyciągów", "Recent statement imports")) }
        (recent_imports(&reports))
    })).into_response()
}

pub async fn bank_page(State(app): State<Arc<App>>, ctx: Ctx) -> Response {
    if let Err(r) = staff_only(&ctx) {
        return r;
    }
    bank_form(&app, &ctx, None, StatusCode::OK).await
}

pub async fn bank_import(State(app): State<Arc<App>>, ctx: Ctx, m: Multipart) -> Response {
    let staff = match staff_only(&ctx) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (csrf, mut files) = match files_of(m).await {
        Ok(x) => x,
        Err(e) => return (StatusCode::BAD_REQUEST, e).into_response(),
    };
    if !ctx.csrf_ok(csrf.as_deref()) {
        return csrf_refused();
    }
    let Some((name, bytes)) = files.pop() else {
        return bank_form(
            &app,
            &ctx,
            Some(html! { p.error { "no file" } }),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    match app.import_bank(name, bytes, &staff).await {
        Ok(Ok(report)) => {
            bank_form(
                &app,
                &ctx,
                Some(html! { p.ok role="status" #raport { (report) } }),
                StatusCode::OK,
            )
            .await
        }
        Ok(Err(e)) => {
            bank_form(
                &app,
                &ctx,
                Some(html! { p.error role="alert" #raport { (e) } }),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => server_error(&e.0),
    }
}

pub async fn audit(State(app): State<Arc<App>>, ctx: Ctx) -> Response {
    if let Err(r) = staff_only(&ctx) {
        return r;
    }
    let (audit, outbox) = match (app.store.audit(200).await, app.store.outbox(100).await) {
        (Ok(a), Ok(o)) => (a, o),
        (Err(e), _) | (_, Err(e)) => return server_error(&e.0),
    };
    layout(&ctx, ctx.t("Dziennik zdarzeń", "Audit log"), html! {
        table #audyt {
            thead { tr { th { (ctx.t("kiedy", "when")) } th { (ctx.t("zdarzenie", "event")) } th { (ctx.t("kto", "actor")) } th { (ctx.t("konto", "account")) } th { (ctx.t("szczegóły", "detail")) } } }
            tbody { @for a in &audit { tr { td { (when(a.at)) } td { (a.kind) } td { (a.actor) } td { (a.login) } td { (a.detail) } } } }
        }
        h2 { (ctx.t("Skrzynka nadawcza", "Outbox")) }
        table {
            thead { tr { th { (ctx.t("kiedy", "when")) } th { (ctx.t("co", "what")) } th { (ctx.t("konto", "account")) } th { (ctx.t("kanał", "channel")) } th { (ctx.t("dokąd", "to")) } th { (ctx.t("doręczono", "delivered")) } } }
            tbody { @for o in &outbox { tr { td { (when(o.at)) } td { (o.kind) } td { (o.login) } td { (o.channel) } td { (o.target) } td { (o.delivered_at.map_or_else(|| "—".to_owned(), when)) } } } }
        }
    })
    .into_response()
}
