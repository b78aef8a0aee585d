//! A realistic accounting-system export, generated at random, loads through the snapshot import,
//! and its balances equal a naive recomputation (issue 12).
//!
//! The shape follows what real ZSI exports hold: every month's charges booked days *before*
//! the 1st (so posted before their operation date), payments posted with a lag of 0–5 days and
//! sometimes the day before the money is credited (recorded when announced), a few payments not
//! posted at all yet, corrections (negative charges), quarterly interest notes, returned
//! payments. Text as a Polish export writes it: `;`, decimal comma, `DD.MM.YYYY`, Polish kinds.

use std::collections::HashMap;
use std::fmt::Write as _;

use ebok_core::calendar::{date_of_day, day_number};
use ebok_core::cooperative::Cooperative;
use ebok_core::interchange::{ImportOptions, SnapshotFiles};
use ebok_core::money::Money;
use time::Date;
use time::macros::date;

/// A tiny deterministic generator (SplitMix64): the same seed, the same export.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % u64::try_from(hi - lo).unwrap()) as i64
    }
}

/// One row as the naive model keeps it: premises index, signed effect in grosze, operation
/// day, posting day (`None`: not posted).
struct Row {
    premises: usize,
    effect: i64,
    op: i32,
    post: Option<i32>,
}

fn pl_date(d: i32) -> String {
    let d = date_of_day(d);
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

fn pl_money(grosze: i64) -> String {
    let sign = if grosze < 0 { "-" } else { "" };
    format!("{sign}{},{:02}", grosze.abs() / 100, grosze.abs() % 100)
}

struct Export {
    files: SnapshotFiles,
    rows: Vec<Row>,
    premises: Vec<String>,
}

fn generate(seed: u64, premises: usize, months: i32, today: Date) -> Export {
    let mut rng = Rng(seed);
    let mut ledger = String::from(
        "id;premises;kind;amount;operation_date;component;posted_on;due_date;document\r\n",
    );
    let mut premises_csv = String::from("id;kind;area;title;address\r\n");
    let mut logins = String::from("login;premises\r\n");
    let mut rows = Vec::new();
    let mut ids = Vec::new();
    let end = day_number(today);
    let first_month = ebok_core::calendar::YearMonth::of(today).plus_months(1 - months);
    let mut n = 0u64;
    for p in 0..premises {
        let id = format!("{:07}", 700_000 + p);
        let area = rng.range(2_500, 9_000);
        writeln!(premises_csv, "{id};flat;{};;\r", pl_money(area)).unwrap();
        writeln!(logins, "{id};{id}\r").unwrap();
        let late_payer = rng.range(0, 10) == 0;
        let mut month = first_month;
        // One more month: next month's charges are booked before the end.
        for _ in 0..=months {
            let first = day_number(month.first_day());
            let due = day_number(month.day_clamped(10));
            let booked = first - rng.range(3, 13) as i32;
            if booked > end {
                break;
            }
            let mut monthly = 0;
            for component in ["eksploatacja", "fundusz remontowy", "woda i ścieki"] {
                let g = rng.range(2_000, 40_000);
                monthly += g;
                n += 1;
                writeln!(
                    ledger,
                    "{n:010};{id};naliczenie;{};{};{component};{};{};NAL {:02}/{}\r",
                    pl_money(g),
                    pl_date(first),
                    pl_date(booked),
                    pl_date(due),
                    month.month(),
                    month.year()
                )
                .unwrap();
                rows.push(Row {
                    premises: p,
                    effect: g,
                    op: first,
                    post: Some(booked),
                });
            }
            // The payment: around the due date (later for late payers), posted with a lag of
            // −1..=5 days (−1: recorded when announced, before the money is credited).
            let paid = due + rng.range(-8, if late_payer { 40 } else { 5 }) as i32;
            if paid <= end {
                let lag = rng.range(-1, 6) as i32;
                let post = (paid + lag <= end && rng.range(0, 50) != 0).then_some(paid + lag);
                let amount = if rng.range(0, 20) == 0 {
                    monthly + rng.range(-5_000, 5_000)
                } else {
                    monthly
                };
                n += 1;
                writeln!(
                    ledger,
                    "{n:010};{id};wpłata;{};{};;{};;WB {n}\r",
                    pl_money(amount),
                    pl_date(paid),
                    post.map(pl_date).unwrap_or_default()
                )
                .unwrap();
                rows.push(Row {
                    premises: p,
                    effect: -amount,
                    op: paid,
                    post,
                });
                // Now and then the bank returns it.
                if rng.range(0, 200) == 0 && paid + 3 <= end {
                    n += 1;
                    writeln!(
                        ledger,
                        "{n:010};{id};wpłata;{};{};;{};;ZW {n}\r",
                        pl_money(-amount),
                        pl_date(paid + 3),
                        pl_date(paid + 3)
                    )
                    .unwrap();
                    rows.push(Row {
                        premises: p,
                        effect: amount,
                        op: paid + 3,
                        post: Some(paid + 3),
                    });
                }
            }
            // A correction of part of a charge, posted days later.
            let corrected = first + 19;
            if rng.range(0, 25) == 0 && corrected + 2 <= end {
                let g = -rng.range(100, 3_000);
                n += 1;
                writeln!(
                    ledger,
                    "{n:010};{id};korekta;{};{};eksploatacja;{};;KOR {n}\r",
                    pl_money(g),
                    pl_date(corrected),
                    pl_date(corrected + 2)
                )
                .unwrap();
                rows.push(Row {
                    premises: p,
                    effect: g,
                    op: corrected,
                    post: Some(corrected + 2),
                });
            }
            // Quarterly interest notes for late payers.
            let last = day_number(month.last_day());
            if late_payer && month.month().is_multiple_of(3) && last < end {
                let g = rng.range(50, 900);
                n += 1;
                writeln!(
                    ledger,
                    "{n:010};{id};odsetki;{};{};;{};;NO {n}\r",
                    pl_money(g),
                    pl_date(last),
                    pl_date(last + 1)
                )
                .unwrap();
                rows.push(Row {
                    premises: p,
                    effect: g,
                    op: last,
                    post: Some(last + 1),
                });
            }
            month = month.next();
        }
        ids.push(id);
    }
    let manifest = format!(
        "format = ebok-snapshot\nversion = 1.0\ncooperative = SM Realistyczna\ncurrent_as_of = {today}T18:00:00+01:00\nkind = full\n"
    );
    let mut files = SnapshotFiles::new(manifest.into_bytes());
    files.insert("premises.csv", premises_csv.into_bytes());
    files.insert("logins.csv", logins.into_bytes());
    files.insert("ledger.csv", ledger.into_bytes());
    for empty in [
        "allocations.csv;credit;debt;part;amount",
        "designations.csv;credit;debt",
        "meters.csv;serial;kind;premises;location;installed_on;initial_reading;removed_on;final_reading;legalization;rollover_at",
        "readings.csv;meter;date;value;source",
    ] {
        let (name, header) = empty.split_once(';').unwrap();
        files.insert(name, format!("{header}\r\n").into_bytes());
    }
    files.seal();
    Export {
        files,
        rows,
        premises: ids,
    }
}

fn naive(rows: &[Row], premises: usize, as_of: i32, known: Option<i32>) -> Vec<i64> {
    let mut out = vec![0i64; premises];
    for r in rows {
        let posted = match (r.post, known) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(p), Some(k)) => p <= k,
        };
        if r.op <= as_of && posted {
            out[r.premises] += r.effect;
        }
    }
    out
}

#[test]
fn a_realistic_export_of_4000_premises_and_24_months_loads_and_balances_match_a_naive_sum() {
    let today = date!(2026 - 11 - 23);
    let export = generate(0x00E8_0C12, 4_000, 24, today);
    let booked_early = export
        .rows
        .iter()
        .filter(|r| r.post.is_some_and(|p| p < r.op))
        .count();
    // About one entry in twelve or more is posted before its operation date.
    assert!(
        booked_early * 12 >= export.rows.len(),
        "{booked_early} of {}",
        export.rows.len()
    );
    let mut coop = Cooperative::default();
    let report = coop
        .import(&export.files, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}: {:?}", &e.issues[..e.issues.len().min(5)]));
    assert_eq!(report.counts("ledger").added, export.rows.len());
    assert_eq!(coop.ledger.len(), export.rows.len());

    let end = day_number(today);
    for (as_of, known) in [
        (end, None),
        (end, Some(end)),
        (end, Some(end - 3)),
        (end + 10, None), // next month's charges, booked ahead, count from the 1st
        (end - 200, Some(end - 190)),
        (end - 400, None),
    ] {
        let expected = naive(&export.rows, export.premises.len(), as_of, known);
        let got = coop
            .ledger
            .balances(date_of_day(as_of), known.map(date_of_day));
        let mut by_id: HashMap<&str, i64> = HashMap::new();
        for b in &got {
            by_id.insert(b.premises.as_str(), b.balance.amount().grosze());
        }
        for (i, id) in export.premises.iter().enumerate() {
            assert_eq!(
                by_id.get(id.as_str()).copied().unwrap_or(0),
                expected[i],
                "premises {id} as of {} known at {known:?}",
                date_of_day(as_of)
            );
        }
        let total: i64 = expected.iter().sum();
        assert_eq!(
            coop.ledger
                .total(date_of_day(as_of), known.map(date_of_day)),
            Some(Money::from_grosze(total))
        );
    }
    // The same export again changes nothing.
    let again = coop
        .import(&export.files, &ImportOptions::default())
        .unwrap();
    assert_eq!(again.counts("ledger").unchanged, export.rows.len());
}
