//! Demo mode: the sample cooperative of `examples/data` (synthetic data) imported as a
//! snapshot with its register of virtual accounts, the month's bank statement, a staff member
//! and a resident with a one-time password, printed at start.

use std::sync::Arc;

use ebok_core::access::{Channel, Contacts};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::app::{App, AppError, AppResult};

const SNAPSHOT: &[(&str, &[u8])] = &[
    (
        "allocations.csv",
        include_bytes!("../../data/sample-snapshot/allocations.csv"),
    ),
    (
        "controls.csv",
        include_bytes!("../../data/sample-snapshot/controls.csv"),
    ),
    (
        "designations.csv",
        include_bytes!("../../data/sample-snapshot/designations.csv"),
    ),
    (
        "ledger.csv",
        include_bytes!("../../data/sample-snapshot/ledger.csv"),
    ),
    (
        "logins.csv",
        include_bytes!("../../data/sample-snapshot/logins.csv"),
    ),
    (
        "meters.csv",
        include_bytes!("../../data/sample-snapshot/meters.csv"),
    ),
    (
        "premises.csv",
        include_bytes!("../../data/sample-snapshot/premises.csv"),
    ),
    (
        "readings.csv",
        include_bytes!("../../data/sample-snapshot/readings.csv"),
    ),
];
const MANIFEST: &str = include_str!("../../data/sample-snapshot/manifest.txt");
const REGISTER: &[u8] = include_bytes!("../../data/sample-bank/virtual_accounts.csv");
const STATEMENT: &[u8] = include_bytes!("../../data/sample-bank/ing-2026-11.sta");

/// The sample snapshot's files, with the register of virtual accounts added (and named in the
/// manifest with its rows and SHA-256, as the accounting system would).
pub fn snapshot_files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = SNAPSHOT
        .iter()
        .map(|(n, b)| ((*n).to_owned(), b.to_vec()))
        .collect();
    let rows = REGISTER
        .split(|&b| b == b'\n')
        .skip(1)
        .filter(|l| !l.is_empty())
        .count();
    let sha: String = Sha256::digest(REGISTER)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let manifest = format!(
        "{}\nrows.virtual_accounts.csv = {rows}\nsha256.virtual_accounts.csv = {sha}\n",
        MANIFEST.trim_end()
    );
    files.push(("virtual_accounts.csv".to_owned(), REGISTER.to_vec()));
    files.push(("manifest.txt".to_owned(), manifest.into_bytes()));
    files
}

/// The month's sample bank statement (ING MT940).
pub fn statement() -> (String, Vec<u8>) {
    ("ing-2026-11.sta".to_owned(), STATEMENT.to_vec())
}

/// What a demo visitor needs: a resident's identifier and one-time password, and a staff login.
#[derive(Debug)]
pub struct DemoLogins {
    /// The resident's identifier.
    pub resident: String,
    /// Their one-time password (must be changed at the first login).
    pub otp: Zeroizing<String>,
    /// The staff member's name.
    pub staff: String,
    /// The staff member's password.
    pub staff_password: Zeroizing<String>,
}

/// Loads the sample data when the database has none, and issues the demo logins.
pub async fn prepare(app: &Arc<App>) -> AppResult<DemoLogins> {
    if app.read(|c| c.registry.is_empty()) {
        app.import_snapshot(snapshot_files(), "demo")
            .await?
            .map_err(AppError)?;
        let (name, bytes) = statement();
        app.import_bank(name, bytes, "demo")
            .await?
            .map_err(AppError)?;
    }
    let staff_password = Zeroizing::new(crate::web::random_token()[..20].to_owned());
    app.add_staff("biuro", staff_password.clone()).await?;
    // A flat with a payment on its way to the books shows the most.
    let today = app.today();
    let resident = app
        .read(|c| {
            let policy = ebok_core::bank::PendingPolicy::default();
            c.registry
                .iter()
                .filter(|p| p.kind == ebok_core::premises::PremisesKind::Flat)
                .find(|p| !c.pending_payments(&p.id, Some(today), &policy).is_empty())
                .or_else(|| c.registry.iter().next())
                .and_then(|p| {
                    c.registry
                        .logins_of(&p.id)
                        .first()
                        .map(|l| l.as_str().to_owned())
                })
        })
        .ok_or_else(|| AppError("the sample cooperative has no login".into()))?;
    let otp = app
        .issue_otp(&resident, Channel::InPerson, Contacts::default(), "demo")
        .await?
        .map_err(AppError)?
        .ok_or_else(|| AppError("no code was issued".into()))?;
    Ok(DemoLogins {
        resident,
        otp,
        staff: "biuro".to_owned(),
        staff_password,
    })
}
