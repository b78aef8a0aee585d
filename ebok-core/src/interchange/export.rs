//! Writing a snapshot: what an accounting system would send, and what round-trips exactly.

use time::OffsetDateTime;

use super::{FORMAT_VERSION, Manifest, RecordType, SnapshotFiles, SnapshotKind, TextEncoding};
use crate::cooperative::Cooperative;

fn write(record: RecordType, rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(record.columns());
    for r in rows {
        let _ = w.write_record(&r);
    }
    w.into_inner().unwrap_or_default()
}

/// The ledger file of `entries`, in their order.
pub(super) fn ledger_csv(entries: impl Iterator<Item = crate::ledger::LedgerEntry>) -> Vec<u8> {
    write(
        RecordType::Ledger,
        entries.map(|e| {
            vec![
                e.id.to_string(),
                e.premises.to_string(),
                e.kind.code().to_owned(),
                polish(e.amount),
                e.operation_date.to_string(),
                opt(&e.component),
                opt(&e.posted_on),
                opt(&e.due_date),
                opt(&e.document),
            ]
        }),
    )
}

/// An amount with a decimal comma, as Polish accounting systems write it.
fn polish(m: crate::money::Money) -> String {
    m.to_string().replace('.', ",")
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// Writes a full snapshot of the cooperative (UTF-8, `;`, CRLF, decimal comma for amounts)
/// current as of `as_of`.
///
/// ```
/// use ebok_core::cooperative::Cooperative;
/// use ebok_core::interchange::{ImportOptions, export_snapshot};
/// use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
/// let coop: Cooperative = SyntheticCooperative::generate(&CooperativeConfig { premises: 5, ..CooperativeConfig::default() }).into();
/// let files = export_snapshot(&coop, time::macros::datetime!(2026-11-21 18:00 +1));
/// // Sealed: the manifest carries each file's row count and SHA-256.
/// assert!(String::from_utf8_lossy(&files.manifest).contains("sha256.ledger.csv = "));
/// let mut copy = Cooperative::default();
/// copy.import(&files, &ImportOptions::default())?;
/// assert_eq!(copy.ledger.len(), coop.ledger.len());
/// # Ok::<(), ebok_core::interchange::ImportError>(())
/// ```
pub fn export_snapshot(coop: &Cooperative, as_of: OffsetDateTime) -> SnapshotFiles {
    let manifest = Manifest {
        version: FORMAT_VERSION,
        cooperative: if coop.name.is_empty() {
            "(unnamed)".to_owned()
        } else {
            coop.name.clone()
        },
        current_as_of: as_of,
        kind: SnapshotKind::Full,
        encoding: TextEncoding::Utf8,
        checks: Default::default(),
    };
    let mut files = SnapshotFiles::new(manifest.render().into_bytes());
    files.insert(
        RecordType::Premises.file_name(),
        write(
            RecordType::Premises,
            coop.registry.iter().map(|p| {
                vec![
                    p.id.to_string(),
                    p.kind.code().to_owned(),
                    p.usable_area.to_string(),
                    opt(&p.legal_title),
                    opt(&p.address),
                    opt(&p.building),
                ]
            }),
        ),
    );
    files.insert(
        RecordType::Logins.file_name(),
        write(
            RecordType::Logins,
            coop.registry
                .links()
                .map(|(l, p)| vec![l.to_string(), p.to_string()]),
        ),
    );
    files.insert(
        RecordType::VirtualAccounts.file_name(),
        write(
            RecordType::VirtualAccounts,
            coop.virtual_accounts.rows().map(|v| {
                vec![
                    v.account.clone(),
                    v.premises.to_string(),
                    v.from.to_string(),
                    opt(&v.to),
                    opt(&v.payer_id),
                ]
            }),
        ),
    );
    files.insert(
        RecordType::Holders.file_name(),
        write(
            RecordType::Holders,
            coop.holders.iter().map(|h| {
                vec![
                    h.login.to_string(),
                    h.premises.to_string(),
                    h.role.code().to_owned(),
                    opt(&h.interval.from),
                    opt(&h.interval.to),
                    opt(&h.share),
                    opt(&h.scope),
                ]
            }),
        ),
    );
    files.insert(
        RecordType::Parameters.file_name(),
        write(
            RecordType::Parameters,
            coop.parameters.rows().map(|(p, kind, from, value)| {
                vec![
                    p.to_string(),
                    kind.code().to_owned(),
                    from.to_string(),
                    value.to_string(),
                ]
            }),
        ),
    );
    files.insert(
        RecordType::Documents.file_name(),
        write(
            RecordType::Documents,
            coop.documents.iter().map(|d| {
                vec![
                    d.id.to_string(),
                    d.kind.code().to_owned(),
                    d.title.clone(),
                    d.date.to_string(),
                    d.audience.to_string(),
                    d.sha256.clone(),
                    d.reference.clone(),
                    opt(&d.effective_from),
                    d.cause
                        .map(|c| match c {
                            crate::documents::FeeChangeCause::Cooperative => "cooperative",
                            crate::documents::FeeChangeCause::Independent => "independent",
                        })
                        .unwrap_or_default()
                        .to_owned(),
                ]
            }),
        ),
    );
    files.insert(
        RecordType::Ledger.file_name(),
        ledger_csv(coop.ledger.iter()),
    );
    files.insert(
        RecordType::Allocations.file_name(),
        write(
            RecordType::Allocations,
            coop.ledger.allocations().map(|a| {
                let part = match a.part {
                    crate::ledger::Part::Principal => "principal",
                    crate::ledger::Part::Interest => "interest",
                };
                vec![
                    a.credit.to_string(),
                    a.debt.to_string(),
                    part.to_owned(),
                    polish(a.amount),
                ]
            }),
        ),
    );
    let designations: Vec<Vec<String>> = coop
        .ledger
        .ids()
        .filter_map(|id| crate::ledger::EntryId::new(id).ok())
        .filter_map(|c| {
            coop.ledger
                .designation_of(&c)
                .map(|d| vec![c.to_string(), d.to_string()])
        })
        .collect();
    files.insert(
        RecordType::Designations.file_name(),
        write(RecordType::Designations, designations.into_iter()),
    );
    files.insert(
        RecordType::Meters.file_name(),
        write(
            RecordType::Meters,
            coop.meters.meters().map(|m| {
                vec![
                    m.serial.to_string(),
                    m.kind.code().to_owned(),
                    m.premises.to_string(),
                    m.installed_on.to_string(),
                    m.initial_reading.to_string(),
                    opt(&m.location),
                    opt(&m.removed_on),
                    opt(&m.final_reading),
                    opt(&m.legalization),
                    opt(&m.rollover_at),
                ]
            }),
        ),
    );
    files.insert(
        RecordType::Readings.file_name(),
        write(
            RecordType::Readings,
            coop.meters.readings().map(|r| {
                vec![
                    r.meter.to_string(),
                    r.date.to_string(),
                    r.value.to_string(),
                    r.source.code().to_owned(),
                ]
            }),
        ),
    );
    files.seal();
    files
}
