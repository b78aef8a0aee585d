//! The main job: loads the shipped sample snapshot (as the accounting system would send it),
//! reports the import, reads the cooperative's bank statement of the month (matching each credit
//! to a premises by its virtual account), and prints one resident's e-BOK view, with the payments
//! the bank has credited and the books have not posted yet.
//!
//! ```text
//! cargo run --release -p ebok-examples --example ebok-demo [-- PREMISES_ID [SNAPSHOT_DIR]]
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

fn main() {
    let dir = std::env::args()
        .nth(2)
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
            .map_or_else(String::new, |t| t.to_string())
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
    let wanted = std::env::args()
        .nth(1)
        .filter(|a| !a.is_empty() && a != "-");
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

    println!();
    println!(
        "══ e-BOK · lokal {} ({}, {} m²) ══",
        premises.id,
        premises.kind.polish_name(),
        premises.usable_area
    );
    if let Some(address) = &premises.address {
        println!("{address}");
    }
    if let Some(login) = logins.first() {
        let reach: Vec<String> = coop
            .registry
            .premises_of(login)
            .iter()
            .map(|p| format!("{} ({})", p.id, p.kind.polish_name()))
            .collect();
        println!("Identyfikator {login} — lokale: {}", reach.join(", "));
    }
    println!();
    println!(
        "Saldo na dzień {today}: {}  [{}]",
        view.balance.polish(),
        view.balance.english()
    );
    println!("{}", view.freshness.message(Language::Polish));
    println!("{}", view.freshness.message(Language::English));
    if !view.bank_pending.is_empty() {
        for p in &view.bank_pending {
            println!("  {}", p.describe(Language::Polish));
        }
        if let Some(projected) = view.projected_balance {
            println!(
                "Saldo z uwzględnieniem wpłat w drodze: {}  [{}]",
                projected.polish(),
                projected.english()
            );
        }
    }

    let s = &view.settlement;
    println!();
    println!("── Rozrachunki (zaległości i odsetki na dzień {today}) ──");
    println!("Zaległość (po terminie płatności): {}", s.arrears.polish());
    println!(
        "Naliczenia przed terminem płatności: {}",
        s.not_yet_due.polish()
    );
    println!("Nadpłata do wykorzystania: {}", s.unused_credit.polish());
    println!(
        "Odsetki ustawowe za opóźnienie naliczone do dziś (informacyjnie): {}",
        s.interest_total.polish()
    );
    match view.oldest_overdue() {
        Some(item) => println!(
            "Najstarsza nieopłacona należność: {} {} z terminem {} (po przesunięciu z art. 115 KC: {}), zaległe {} dni, pozostało {}",
            item.kind.polish_name(),
            item.component.as_ref().map_or("", |c| c.as_str()),
            item.due_date
                .map_or_else(|| "—".to_owned(), |d| d.to_string()),
            item.effective_due,
            item.days_overdue,
            item.outstanding.polish()
        ),
        None => println!("Brak należności po terminie."),
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
    println!(
        "Jeśli zapłacisz całość {pay_on}: należność {} + odsetki {} − nadpłata = {}",
        projection.principal.polish(),
        projection.interest.polish(),
        projection.total.polish()
    );

    if let Some(t) = &view.transfer {
        println!();
        println!("── Zapłać przelewem (kod ZBP 2D do zeskanowania w aplikacji banku) ──");
        println!("  Odbiorca:  {}", t.recipient_name);
        println!("  Rachunek:  {}", t.account);
        println!("  Tytuł:     {}", t.title);
        match t.amount {
            Some(a) => println!("  Kwota:     {}", a.polish()),
            None => {
                let why: Vec<String> = t
                    .warnings
                    .iter()
                    .map(|w| match w {
                        ebok_core::bank::TransferNote::Credit { amount } => {
                            format!("nadpłata {}", amount.polish())
                        }
                        _ => "nic do zapłaty".to_owned(),
                    })
                    .collect();
                println!("  Kwota:     do wpisania ({})", why.join(", "));
            }
        }
        let (code, warnings) = ebok_core::bank::PaymentCode::for_transfer(t, None);
        let text = code.encode();
        println!("  Kod:       {text}");
        for w in warnings {
            println!("  Uwaga:     {w}");
        }
        if let Ok(qr) = ebok_core::bank::qr_text(&text) {
            println!("{qr}");
        }
    }

    println!();
    println!("── Zestawienia miesięczne (ostatnie 12 miesięcy) ──");
    println!(
        "{:<8} {:>14} {:>14} {:>14} {:>14} {:>14}",
        "miesiąc", "saldo pocz.", "naliczenia", "wpłaty", "inne", "saldo końc."
    );
    for s in &view.statements {
        let other =
            ebok_core::money::Money::checked_sum(s.other.values().copied()).unwrap_or_default();
        println!(
            "{:<8} {:>14} {:>14} {:>14} {:>14} {:>14}",
            s.month.to_string(),
            s.opening.amount().polish().to_string(),
            s.charges_total.polish().to_string(),
            s.payments.polish().to_string(),
            other.polish().to_string(),
            s.closing.amount().polish().to_string(),
        );
    }
    if let Some(last) = view.statements.last() {
        println!();
        println!("Naliczenia za {} wg składników:", last.month.polish_name());
        for (component, amount) in &last.charges {
            println!(
                "  {:<28} {:>12}",
                component.as_str(),
                amount.polish().to_string()
            );
        }
    }

    println!();
    println!("── Historia wpłat (od {}) ──", view.period_start());
    for p in &view.payments {
        let posted = p
            .posted_on
            .map_or_else(|| "—".to_owned(), |d| d.to_string());
        let doc = p.document.as_ref().map_or("", |d| d.as_str());
        println!(
            "  wpływ {}  zaksięgowano {}  {:>12}  {}",
            p.credited_on,
            posted,
            p.amount.polish().to_string(),
            doc
        );
    }

    println!();
    println!("── Wodomierze ──");
    if view.meters.is_empty() {
        println!("  brak");
    }
    for m in &view.meters {
        let status = match (m.meter.removed_on, m.legalization_valid_through) {
            (Some(r), _) => format!("zdemontowany {r}"),
            (None, Some(v)) if m.legalization_expired => format!("legalizacja wygasła {v}"),
            (None, Some(v)) => format!("legalizacja ważna do {v}"),
            (None, None) => "brak danych o legalizacji".to_owned(),
        };
        println!(
            "  {} nr {} ({}), {}",
            m.meter.kind.polish_name(),
            m.meter.serial,
            m.meter.location.as_deref().unwrap_or("—"),
            status
        );
        for r in &m.last_readings {
            println!(
                "      {}  {:>10} {}  ({})",
                r.date,
                r.value.to_string(),
                m.meter.kind.unit(),
                r.source.code()
            );
        }
    }
    if !view.water.is_empty() {
        println!("  Zużycie wody [m³]:  miesiąc    zimna    ciepła    ścieki");
        for w in &view.water {
            let mark = if w.sewage.is_estimated() {
                " (szac.)"
            } else {
                ""
            };
            println!(
                "                      {}  {:>8} {:>9} {:>9}{mark}",
                w.month,
                w.cold.total.to_string(),
                w.hot.total.to_string(),
                w.sewage.total.to_string()
            );
        }
    }

    println!();
    println!("── Operacje oczekujące na zaksięgowanie ──");
    if view.pending.is_empty() {
        println!("  brak");
    }
    for e in &view.pending {
        println!(
            "  {} {} {:>12} (nie wliczone do salda)",
            e.operation_date,
            e.kind.polish_name(),
            e.amount.polish().to_string()
        );
    }
    println!();
    println!("── Zaksięgowane z datą przyszłą (nadchodzące) ──");
    if view.upcoming.is_empty() {
        println!("  brak");
    }
    for e in &view.upcoming {
        println!(
            "  {} {} {:>12} (zaksięgowane {}, wejdzie do salda w dniu operacji)",
            e.operation_date,
            e.kind.polish_name(),
            e.amount.polish().to_string(),
            e.posted_on.map_or_else(String::new, |d| d.to_string())
        );
    }
    println!();
    println!("{}", view.notice(Language::Polish));
    sale_example(&coop, premises, today);
}

/// A sale of the shown flat on the 15th of last month, on a copy of the cooperative: what the
/// seller and the buyer each see today (docs/holders.md).
fn sale_example(coop: &Cooperative, premises: &ebok_core::premises::Premises, today: time::Date) {
    use ebok_core::holders::{Holding, Interval, Role};
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
    println!("── Zmiana właściciela (przykład na kopii danych): sprzedaż {on} ──");
    for c in &out.closing {
        println!(
            "  zestawienie zamykające dla {} na {}: {}, operacji w ostatnim miesiącu: {}",
            c.login,
            c.last_day,
            c.balance.polish(),
            c.lines.len()
        );
    }
    println!(
        "  nowy identyfikator do wydania w biurze (hasło jednorazowe, aktywacja w ciągu 48 godzin): {}",
        out.new_logins
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let options = ViewOptions::default();
    match copy.resident_view(&seller, &premises.id, today, None, &options) {
        Ok(_) => println!("  sprzedający {seller} nadal widzi lokal (błąd!)"),
        Err(_) => println!(
            "  sprzedający {seller}: dostęp do lokalu wygasł {on}, bez działania pracownika"
        ),
    }
    if let Ok(v) = copy.resident_view(&buyer, &premises.id, today, None, &options) {
        let lines = copy
            .account_lines_for(&buyer, &premises.id, None, today, None)
            .map(|l| l.len())
            .unwrap_or(0);
        println!(
            "  kupujący {buyer}: {}, operacje od {on}: {lines}, zestawień miesięcznych: {}",
            v.balance.polish(),
            v.statements.len()
        );
    }
}
