//! The main job: loads the shipped sample snapshot (as the accounting system would send it),
//! reports the import, reads the cooperative's bank statement of the month (matching each credit
//! to a premises by its virtual account), and prints one resident's e-BOK view, with the payments
//! the bank has credited and the books have not posted yet.
//!
//! Everything the resident reads is in Polish, or entirely in English with `--lang en`.
//!
//! ```text
//! cargo run --release -p ebok-examples --example ebok-demo [-- [--lang pl|en] [PREMISES_ID [SNAPSHOT_DIR]]]
//! ```

use ebok_core::cooperative::Cooperative;
use ebok_core::interchange::{ImportOptions, SnapshotFiles};
use ebok_core::messages::Language;
use ebok_core::portal::{ResidentView, ViewOptions};
use ebok_core::premises::{PremisesId, PremisesKind};

/// Reads the sample register of virtual accounts (`virtual_accounts.csv`, the snapshot file's
/// format) and the month's bank statement, and imports the statement into the bank book.
fn import_bank(coop: &mut Cooperative, dir: &std::path::Path, today: time::Date) -> Option<String> {
    let register = std::fs::read_to_string(dir.join("virtual_accounts.csv")).ok()?;
    let rows = register.lines().skip(1).filter_map(|line| {
        let cols: Vec<&str> = line.split(';').collect();
        let premises = PremisesId::new(cols.get(1)?).ok()?;
        let from = ebok_core::calendar::parse_date(cols.get(2)?).ok()?;
        ebok_core::bank::VirtualAccount::new(cols.first()?, premises, from, None).ok()
    });
    coop.virtual_accounts =
        ebok_core::bank::VirtualAccountRegister::from_rows(rows.collect()).ok()?;
    let bytes = std::fs::read(dir.join("ing-2026-11.sta")).ok()?;
    let file = ebok_core::bank::statement::read_statements(&bytes, &Default::default()).ok()?;
    let report = coop.import_bank_statements(&file.statements, today).ok()?;
    Some(format!(
        "Bank statement ({}, {}, {}): {} entries, {} matched to premises, {} for the clerk, {} not incoming.",
        file.format,
        file.encoding,
        file.dialect.map_or("camt", |d| d.name()),
        report.added,
        report.matched,
        report.ambiguous + report.unmatched,
        report.not_incoming
    ))
}

/// Reads a snapshot directory: `manifest.txt` and the `*.csv` files (the host does the I/O).
fn read_snapshot(dir: &std::path::Path) -> std::io::Result<SnapshotFiles> {
    let mut files = SnapshotFiles::new(std::fs::read(dir.join("manifest.txt"))?);
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "csv")
            && let Some(name) = path.file_name().and_then(|n| n.to_str())
        {
            files.insert(name, std::fs::read(&path)?);
        }
    }
    Ok(files)
}

/// The language and the positional arguments (`--lang en` may stand anywhere).
fn arguments() -> (Language, Vec<String>) {
    let mut language = Language::Polish;
    let mut rest = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--lang" => match args.next().as_deref() {
                Some("en") => language = Language::English,
                Some("pl") => language = Language::Polish,
                other => {
                    eprintln!("--lang takes pl or en, not {other:?}");
                    std::process::exit(2);
                }
            },
            _ => rest.push(a),
        }
    }
    (language, rest)
}

/// The Polish or the English text, by the language.
fn tr<'a>(language: Language, pl: &'a str, en: &'a str) -> &'a str {
    match language {
        Language::Polish => pl,
        Language::English => en,
    }
}

fn main() {
    let (lang, args) = arguments();
    let dir = args
        .get(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample-snapshot")
        });
    let files = match read_snapshot(&dir) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    let mut coop = Cooperative::default();
    let report = match coop.import(&files, &ImportOptions::default()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            for issue in e.issues.iter().take(20) {
                eprintln!("  {issue}");
            }
            std::process::exit(1);
        }
    };
    println!(
        "Imported {} ({:?} snapshot, data current as of {}):",
        coop.name,
        report
            .kind
            .unwrap_or(ebok_core::interchange::SnapshotKind::Full),
        coop.current_as_of
            .map_or_else(String::new, |t| Language::English.instant(t))
    );
    for (t, c) in &report.counts {
        println!(
            "  {:<13} added {:>6}  changed {:>4}  removed {:>4}  unchanged {:>6}",
            t.name(),
            c.added,
            c.changed,
            c.removed,
            c.unchanged
        );
    }
    println!(
        "  control totals: {} checked, {} mismatched",
        report.controls.len(),
        report.control_mismatches().count()
    );
    let today = coop
        .current_as_of
        .map_or(time::macros::date!(2026 - 11 - 20), |t| t.date());
    let bank_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample-bank");
    if let Some(line) = import_bank(&mut coop, &bank_dir, today) {
        println!("{line}");
    }
    let policy = ebok_core::bank::PendingPolicy::default();
    let wanted = args.first().filter(|a| !a.is_empty() && *a != "-").cloned();
    let premises = match wanted.as_deref().map(PremisesId::new) {
        Some(Ok(id)) => coop.registry.get(&id),
        Some(Err(e)) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
        // A flat with a bank payment on its way to the books makes the best demo.
        None => coop
            .registry
            .iter()
            .filter(|p| p.kind == PremisesKind::Flat)
            .find(|p| {
                !coop
                    .pending_payments(&p.id, Some(today), &policy)
                    .is_empty()
            })
            .or_else(|| {
                coop.registry
                    .iter()
                    .filter(|p| p.kind == PremisesKind::Flat)
                    .find(|p| !coop.ledger.pending(&p.id, None).is_empty())
            })
            .or_else(|| coop.registry.iter().find(|p| p.kind == PremisesKind::Flat)),
    };
    let Some(premises) = premises else {
        eprintln!("no such premises in the sample cooperative");
        std::process::exit(2);
    };

    println!(
        "{} premises, {} ledger entries, {} meters.",
        coop.registry.len(),
        coop.ledger.len(),
        coop.meters.meters().count()
    );
    let logins = coop.registry.logins_of(&premises.id);
    // Each premises pays to its own virtual account at the cooperative's bank: the register's,
    // or (without one) a number from the sample scheme.
    let registered = coop
        .virtual_accounts
        .rows()
        .find(|r| r.premises == premises.id && r.to.is_none())
        .and_then(|r| ebok_core::bank::Nrb::parse(&r.account).ok());
    let scheme = ebok_core::bank::VirtualAccountScheme::new("10203378", "00001234", 8)
        .expect("a valid sample scheme");
    let account = registered.or_else(|| scheme.account_for(premises.id.as_str()).ok());
    // What the resident behind the first login sees: the cooperative answers within the
    // login's relations to the premises (docs/holders.md); staff would build the whole view.
    let built = match logins.first() {
        Some(login) => coop
            .resident_view(login, &premises.id, today, None, &ViewOptions::default())
            .map_err(|e| e.to_string()),
        None => ResidentView::build(&coop.ledger, premises, today, None, &ViewOptions::default())
            .map(|v| {
                v.with_meters(&coop.meters)
                    .with_bank(&coop.bank, &coop.ledger, &policy)
            })
            .map_err(|e| e.to_string()),
    };
    let view = match built {
        Ok(v) => match account {
            Some(a) => v.with_transfer(a, &ebok_core::bank::TransferPolicy::new(&coop.name)),
            None => v,
        },
        Err(e) => {
            eprintln!("the settlement cannot be computed: {e}");
            std::process::exit(1);
        }
    };

    print_view(lang, &coop, premises, &view, today);
    sale_example(lang, &coop, premises, today);
}

/// A balance in words: `do zapłaty 12,50 zł`, `nadpłata 3,00 zł` or `saldo zerowe`.
fn balance_words(lang: Language, b: ebok_core::ledger::Balance) -> String {
    let t = |pl, en| tr(lang, pl, en);
    match b.state() {
        ebok_core::ledger::BalanceState::Owed(m) => {
            format!("{} {}", t("do zapłaty", "owed"), lang.money(m))
        }
        ebok_core::ledger::BalanceState::Overpaid(m) => {
            format!("{} {}", t("nadpłata", "overpaid"), lang.money(m))
        }
        ebok_core::ledger::BalanceState::Settled => t("saldo zerowe", "settled").to_owned(),
    }
}

/// The resident's page, in `lang`.
fn print_view(
    lang: Language,
    coop: &Cooperative,
    premises: &ebok_core::premises::Premises,
    view: &ResidentView,
    today: time::Date,
) {
    let t = |pl, en| tr(lang, pl, en);
    let money = |m: ebok_core::money::Money| lang.money(m);
    let date = |d: time::Date| lang.date(d);
    let maybe_date = |d: Option<time::Date>| d.map_or_else(|| "—".to_owned(), |d| lang.date(d));
    let balance_words = |b| balance_words(lang, b);
    println!();
    println!(
        "══ e-BOK · {} {} ({}, {}) ══",
        t("lokal", "premises"),
        premises.id,
        premises.kind.name(lang),
        lang.quantity(premises.usable_area.to_decimal(), "m²")
    );
    if let Some(address) = &premises.address {
        println!("{address}");
    }
    let logins = coop.registry.logins_of(&premises.id);
    if let Some(login) = logins.first() {
        let reach: Vec<String> = coop
            .registry
            .premises_of(login)
            .iter()
            .map(|p| format!("{} ({})", p.id, p.kind.name(lang)))
            .collect();
        println!(
            "{} {login} — {}: {}",
            t("Identyfikator", "Login"),
            t("lokale", "premises"),
            reach.join(", ")
        );
    }
    if let Some(at) = coop.current_as_of {
        println!(
            "{} {}",
            t(
                "Dane z systemu księgowego z dnia",
                "Data from the accounting system as of"
            ),
            lang.instant(at)
        );
    }
    println!();
    println!(
        "{} {}: {}",
        t("Saldo na dzień", "Balance on"),
        lang.long_date(today),
        balance_words(view.balance)
    );
    println!("{}", view.freshness.message(lang));
    if !view.bank_pending.is_empty() {
        for p in &view.bank_pending {
            println!("  {}", p.describe(lang));
        }
        if let Some(projected) = view.projected_balance {
            println!(
                "{}: {}",
                t(
                    "Saldo z uwzględnieniem wpłat w drodze",
                    "Balance with the payments on their way"
                ),
                balance_words(projected)
            );
        }
    }

    let s = &view.settlement;
    println!();
    println!(
        "── {} {} ──",
        t(
            "Rozrachunki: zaległości i odsetki na dzień",
            "Account: arrears and interest on"
        ),
        lang.long_date(today)
    );
    println!(
        "{}: {}",
        t(
            "Zaległość (po terminie płatności)",
            "Arrears (past the due date)"
        ),
        money(s.arrears)
    );
    println!(
        "{}: {}",
        t("Naliczenia przed terminem płatności", "Charges not yet due"),
        money(s.not_yet_due)
    );
    println!(
        "{}: {}",
        t("Nadpłata do wykorzystania", "Overpayment to be used"),
        money(s.unused_credit)
    );
    println!(
        "{}: {}",
        t(
            "Odsetki ustawowe za opóźnienie naliczone do dziś (informacyjnie)",
            "Statutory late-payment interest accrued to date (for information)"
        ),
        money(s.interest_total)
    );
    // An overpaid resident with interest: the interest is for earlier late payments, and the
    // overpayment covers it; the arithmetic shows how the two meet.
    if s.interest_total.is_positive() && s.unused_credit.is_positive() {
        let left = s
            .unused_credit
            .checked_sub(s.interest_total)
            .unwrap_or_default();
        println!(
            "  {}",
            t(
                "Odsetki dotyczą wcześniejszych wpłat po terminie; pokrywa je nadpłata:",
                "The interest is for earlier late payments; the overpayment covers it:"
            )
        );
        println!(
            "  {} {} − {} {} = {}",
            t("nadpłata", "overpayment"),
            money(s.unused_credit),
            t("odsetki", "interest"),
            money(s.interest_total),
            if left.is_negative() {
                format!("{} {}", t("do zapłaty", "to pay"), money(left.abs()))
            } else {
                format!("{} {}", t("nadpłata", "overpayment"), money(left))
            }
        );
    }
    match view.oldest_overdue() {
        Some(item) => println!(
            "{}: {} {} {} {} ({} {}), {} {}, {} {}",
            t("Najstarsza nieopłacona należność", "Oldest unpaid amount"),
            item.kind.name(lang),
            item.component.as_ref().map_or("", |c| c.as_str()),
            t("z terminem", "due"),
            maybe_date(item.due_date),
            t(
                "po przesunięciu z art. 115 KC:",
                "moved by art. 115 of the Civil Code to"
            ),
            date(item.effective_due),
            t("dni po terminie:", "days overdue:"),
            item.days_overdue,
            t("pozostało", "outstanding"),
            money(item.outstanding)
        ),
        None => println!(
            "{}",
            t("Brak należności po terminie.", "Nothing is past due.")
        ),
    }
    let pay_on = ebok_core::calendar::add_days(today, 14);
    let projection = ebok_core::settlement::project_interest(
        &coop.ledger,
        &premises.id,
        today,
        None,
        pay_on,
        &ViewOptions::default().policy,
    );
    let Ok(projection) = projection else {
        eprintln!("the interest projection cannot be computed: {projection:?}");
        std::process::exit(1);
    };
    let before_credit = projection
        .principal
        .checked_add(projection.interest)
        .unwrap_or_default();
    let net = before_credit
        .checked_sub(s.unused_credit)
        .unwrap_or_default();
    println!(
        "{} {}: {} {} + {} {} − {} {} = {}",
        t("Jeśli zapłacisz całość", "If you pay everything on"),
        lang.long_date(pay_on),
        t("należność", "principal"),
        money(projection.principal),
        t("odsetki", "interest"),
        money(projection.interest),
        t("nadpłata", "overpayment"),
        money(s.unused_credit),
        if net.is_negative() {
            format!(
                "{} {})",
                t(
                    "0,00 zł do zapłaty (pozostaje nadpłata",
                    "nothing to pay (overpayment left"
                ),
                money(net.abs())
            )
        } else {
            format!("{} {}", money(projection.total), t("do zapłaty", "to pay"))
        }
    );

    if let Some(tf) = &view.transfer {
        println!();
        println!(
            "── {} ──",
            t(
                "Zapłać przelewem (kod ZBP 2D do zeskanowania w aplikacji banku)",
                "Pay by transfer (ZBP 2D code to scan in your bank's app)"
            )
        );
        println!(
            "  {:<10} {}",
            t("Odbiorca:", "Recipient:"),
            tf.recipient_name
        );
        println!("  {:<10} {}", t("Rachunek:", "Account:"), tf.account);
        println!("  {:<10} {}", t("Tytuł:", "Title:"), tf.title);
        match tf.amount {
            Some(a) => println!("  {:<10} {}", t("Kwota:", "Amount:"), money(a)),
            None => {
                let why: Vec<String> = tf
                    .warnings
                    .iter()
                    .map(|w| match w {
                        ebok_core::bank::TransferNote::Credit { amount } => {
                            format!("{} {}", t("nadpłata", "overpayment"), money(*amount))
                        }
                        _ => t("nic do zapłaty", "nothing to pay").to_owned(),
                    })
                    .collect();
                println!(
                    "  {:<10} {} ({})",
                    t("Kwota:", "Amount:"),
                    t("do wpisania", "to be typed"),
                    why.join(", ")
                );
            }
        }
        let (code, warnings) = ebok_core::bank::PaymentCode::for_transfer(tf, None);
        let text = code.encode();
        println!("  {:<10} {text}", t("Kod:", "Code:"));
        for w in warnings {
            println!("  {:<10} {}", t("Uwaga:", "Note:"), w.message(lang));
        }
        if let Ok(qr) = ebok_core::bank::qr_text(&text) {
            println!("{qr}");
        }
    }

    println!();
    println!(
        "── {} ──",
        t(
            "Zestawienia miesięczne (ostatnie 12 miesięcy)",
            "Monthly statements (last 12 months)"
        )
    );
    println!(
        "{:<16} {:>14} {:>14} {:>14} {:>14} {:>14}",
        t("miesiąc", "month"),
        t("saldo pocz.", "opening"),
        t("naliczenia", "charges"),
        t("wpłaty", "payments"),
        t("inne", "other"),
        t("saldo końc.", "closing")
    );
    for st in &view.statements {
        let other =
            ebok_core::money::Money::checked_sum(st.other.values().copied()).unwrap_or_default();
        println!(
            "{:<16} {:>14} {:>14} {:>14} {:>14} {:>14}",
            lang.month(st.month),
            money(st.opening.amount()),
            money(st.charges_total),
            money(st.payments),
            money(other),
            money(st.closing.amount()),
        );
    }
    println!(
        "{}",
        t(
            "Saldo dodatnie oznacza kwotę do zapłaty, ujemne (ze znakiem minus) — nadpłatę.",
            "A positive balance is owed; a negative one (with a minus sign) is an overpayment."
        )
    );
    if let Some(last) = view.statements.last() {
        println!();
        println!(
            "{} {}:",
            t("Naliczenia wg składników za", "Charges by component for"),
            lang.month(last.month)
        );
        for (component, amount) in &last.charges {
            println!("  {:<28} {:>12}", component.as_str(), money(*amount));
        }
    }

    println!();
    println!(
        "── {} {} ──",
        t("Historia wpłat od", "Payments since"),
        lang.long_date(view.period_start())
    );
    for p in &view.payments {
        let doc = p.document.as_ref().map_or("", |d| d.as_str());
        println!(
            "  {} {}  {} {}  {:>12}  {}",
            t("wpływ", "credited"),
            date(p.credited_on),
            t("zaksięgowano", "posted"),
            maybe_date(p.posted_on),
            money(p.amount),
            doc
        );
    }

    println!();
    println!("── {} ──", t("Wodomierze", "Water meters"));
    if view.meters.is_empty() {
        println!("  {}", t("brak", "none"));
    }
    for m in &view.meters {
        let status = match (m.meter.removed_on, m.legalization_valid_through) {
            (Some(r), _) => format!("{} {}", t("zdemontowany", "removed on"), date(r)),
            (None, Some(v)) if m.legalization_expired => {
                format!(
                    "{} {}",
                    t("legalizacja wygasła", "verification expired on"),
                    date(v)
                )
            }
            (None, Some(v)) => format!(
                "{} {}",
                t("legalizacja ważna do", "verified until"),
                date(v)
            ),
            (None, None) => t("brak danych o legalizacji", "no verification date").to_owned(),
        };
        println!(
            "  {} {} {} ({}), {}",
            m.meter.kind.name(lang),
            t("nr", "no."),
            m.meter.serial,
            m.meter.location.as_deref().unwrap_or("—"),
            status
        );
        for r in &m.last_readings {
            println!(
                "      {}  {:>14}  ({})",
                date(r.date),
                lang.quantity(r.value.to_decimal(), m.meter.kind.unit()),
                r.source.name(lang)
            );
        }
    }
    if !view.water.is_empty() {
        println!("  {} [m³]:", t("Zużycie wody", "Water used"));
        println!(
            "  {:<16} {:>10} {:>10} {:>10}",
            t("miesiąc", "month"),
            t("zimna", "cold"),
            t("ciepła", "hot"),
            t("ścieki", "sewage")
        );
        for w in &view.water {
            let mark = if w.sewage.is_estimated() {
                t(" (szacunek)", " (estimate)")
            } else {
                ""
            };
            println!(
                "  {:<16} {:>10} {:>10} {:>10}{mark}",
                lang.month(w.month),
                lang.number(w.cold.total.to_decimal()),
                lang.number(w.hot.total.to_decimal()),
                lang.number(w.sewage.total.to_decimal())
            );
        }
    }

    println!();
    println!(
        "── {} ──",
        t(
            "Operacje oczekujące na zaksięgowanie",
            "Operations awaiting posting"
        )
    );
    if view.pending.is_empty() {
        println!("  {}", t("brak", "none"));
    }
    for e in &view.pending {
        println!(
            "  {} {} {:>12} ({})",
            date(e.operation_date),
            e.kind.name(lang),
            money(e.amount),
            t("nie wliczone do salda", "not in the balance")
        );
    }
    println!();
    println!(
        "── {} ──",
        t(
            "Zaksięgowane z datą przyszłą (nadchodzące)",
            "Posted with a future date (upcoming)"
        )
    );
    if view.upcoming.is_empty() {
        println!("  {}", t("brak", "none"));
    }
    for e in &view.upcoming {
        println!(
            "  {} {} {:>12} ({} {}, {})",
            date(e.operation_date),
            e.kind.name(lang),
            money(e.amount),
            t("zaksięgowane", "posted"),
            maybe_date(e.posted_on),
            t(
                "wejdzie do salda w dniu operacji",
                "enters the balance on its day"
            )
        );
    }
    println!();
    println!("{}", view.notice(lang));
}

/// A sale of the shown flat on the 15th of last month, on a copy of the cooperative: what the
/// seller and the buyer each see today (docs/holders.md).
fn sale_example(
    lang: Language,
    coop: &Cooperative,
    premises: &ebok_core::premises::Premises,
    today: time::Date,
) {
    use ebok_core::holders::{Holding, Interval, Role};
    let t = |pl, en| tr(lang, pl, en);
    let Some(seller) = coop.registry.logins_of(&premises.id).first().cloned() else {
        return;
    };
    let month = ebok_core::calendar::YearMonth::of(today).previous();
    let Some(on) = month.first_day().replace_day(15).ok() else {
        return;
    };
    let Ok(buyer) = ebok_core::premises::LoginId::new("0799999") else {
        return;
    };
    let mut copy = coop.clone();
    let Ok(out) = copy.change_holder(
        &premises.id,
        on,
        vec![Holding::new(
            buyer.clone(),
            premises.id.clone(),
            Role::Owner,
            Interval::since(on),
        )],
        None,
    ) else {
        return;
    };
    println!();
    println!(
        "── {}: {} ──",
        t(
            "Zmiana właściciela (przykład na kopii danych), sprzedaż",
            "Change of owner (an example on a copy of the data), sale on"
        ),
        lang.long_date(on)
    );
    for c in &out.closing {
        println!(
            "  {} {} {} {}: {}, {}: {}",
            t("zestawienie zamykające dla", "closing statement for"),
            c.login,
            t("na", "on"),
            lang.date(c.last_day),
            balance_words(lang, c.balance),
            t(
                "operacji w ostatnim miesiącu",
                "operations in the last month"
            ),
            c.lines.len()
        );
    }
    println!(
        "  {}: {}",
        t(
            "nowy identyfikator do wydania w biurze (hasło jednorazowe, aktywacja w ciągu 48 godzin)",
            "new login to hand out at the office (one-time password, activation within 48 hours)"
        ),
        out.new_logins
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let options = ViewOptions::default();
    match copy.resident_view(&seller, &premises.id, today, None, &options) {
        Ok(_) => println!(
            "  {} {seller} {}",
            t("sprzedający", "seller"),
            t(
                "nadal widzi lokal (błąd!)",
                "still sees the premises (a bug!)"
            )
        ),
        Err(_) => println!(
            "  {} {seller}: {} {}, {}",
            t("sprzedający", "seller"),
            t("dostęp do lokalu wygasł", "access to the premises ended on"),
            lang.date(on),
            t("bez działania pracownika", "with no action by staff")
        ),
    }
    if let Ok(v) = copy.resident_view(&buyer, &premises.id, today, None, &options) {
        let lines = copy
            .account_lines_for(&buyer, &premises.id, None, today, None)
            .map(|l| l.len())
            .unwrap_or(0);
        println!(
            "  {} {buyer}: {} {}, {} {}: {lines}, {}: {}",
            t("kupujący", "buyer"),
            t("saldo:", "balance:"),
            balance_words(lang, v.balance),
            t("operacje od", "operations since"),
            lang.date(on),
            t("zestawień miesięcznych", "monthly statements"),
            v.statements.len()
        );
    }
}
