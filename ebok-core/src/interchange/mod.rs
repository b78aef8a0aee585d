//! The interchange format between a cooperative's accounting system (ZSI) and the e-BOK:
//! a snapshot is a small manifest plus one CSV file per record type, imported atomically
//! and idempotently, with a report. The format is documented field by field in
//! `docs/interchange-format.md`; a complete small example ships in `examples/data/`.
//!
//! Real Polish exports load as they are: UTF-8 (with or without BOM) or CP1250, `;` or `,`
//! (or tab) as delimiter, decimal comma or point, quoted fields, a header row, CRLF, ISO or
//! `DD.MM.YYYY` dates. The core reads bytes, never paths.
//!
//! ```
//! use ebok_core::cooperative::Cooperative;
//! use ebok_core::interchange::{ImportOptions, SnapshotFiles};
//!
//! let mut files = SnapshotFiles::new("format = ebok-snapshot\nversion = 1.0\ncooperative = SM Przykład\ncurrent_as_of = 2025-05-31T18:00:00+02:00\nkind = incremental\n".as_bytes().to_vec());
//! files.insert("premises.csv", b"id;kind;area\r\n0756555;flat;48,60\r\n".to_vec());
//! files.insert("ledger.csv", "id;premises;kind;amount;component;operation_date;posted_on;due_date;document\r\nN1;0756555;naliczenie;772,15;eksploatacja;01.05.2025;01.05.2025;10.05.2025;NAL 05/2025\r\n".as_bytes().to_vec());
//! let mut coop = Cooperative::default();
//! let report = coop.import(&files, &ImportOptions::default())?;
//! assert_eq!(report.counts("ledger").added, 1);
//! assert_eq!(coop.ledger.len(), 1);
//! // The same snapshot again changes nothing.
//! let again = coop.import(&files, &ImportOptions::default())?;
//! assert_eq!(again.counts("ledger").unchanged, 1);
//! # Ok::<(), ebok_core::interchange::ImportError>(())
//! ```

mod apply;
mod export;
mod holdings;
mod manifest;
mod records;
mod table;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

pub use export::export_snapshot;
pub use manifest::{FORMAT_NAME, FORMAT_VERSION, FileCheck, Manifest, SnapshotKind, TextEncoding};
pub use records::{LedgerRows, parse_ledger_csv};
pub use table::{Dialect, decode};

/// A snapshot as bytes: the manifest and the CSV files by name (`ledger.csv` …).
///
/// ```
/// use ebok_core::interchange::SnapshotFiles;
/// let mut s = SnapshotFiles::new(Vec::new());
/// s.insert("ledger.csv", b"id".to_vec());
/// assert!(s.file("ledger.csv").is_some());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotFiles {
    /// The manifest's bytes.
    pub manifest: Vec<u8>,
    /// The record files by name.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl SnapshotFiles {
    /// A snapshot with a manifest and no files yet.
    ///
    /// ```
    /// use ebok_core::interchange::SnapshotFiles;
    /// assert!(SnapshotFiles::new(b"kind = full".to_vec()).files.is_empty());
    /// ```
    pub fn new(manifest: Vec<u8>) -> SnapshotFiles {
        SnapshotFiles {
            manifest,
            files: BTreeMap::new(),
        }
    }

    /// Adds or replaces a file.
    ///
    /// ```
    /// use ebok_core::interchange::SnapshotFiles;
    /// let mut s = SnapshotFiles::default();
    /// s.insert("premises.csv", b"id;kind;area".to_vec());
    /// assert_eq!(s.files.len(), 1);
    /// ```
    pub fn insert(&mut self, name: &str, bytes: Vec<u8>) {
        self.files.insert(name.to_owned(), bytes);
    }

    /// Seals the snapshot: writes each file's row count and SHA-256 into the manifest
    /// (`rows.FILE = N`, `sha256.FILE = HEX`, format 1.1), replacing any earlier ones, so that
    /// a file cut at a line boundary or changed on the way is refused on import. Call it last,
    /// after every file is in. [`export_snapshot`] seals what it writes.
    ///
    /// ```
    /// use ebok_core::interchange::{Manifest, SnapshotFiles};
    /// let mut s = SnapshotFiles::new(b"format = ebok-snapshot\nversion = 1.1\ncooperative = SM\ncurrent_as_of = 2026-11-20T18:00:00Z\nkind = full\n".to_vec());
    /// s.insert("logins.csv", b"login;premises\r\n0756555;1\r\n".to_vec());
    /// s.seal();
    /// let m = Manifest::parse(&s.manifest)?;
    /// assert_eq!(m.checks["logins.csv"].rows, Some(1));
    /// assert_eq!(m.checks["logins.csv"].sha256.as_deref().map(str::len), Some(64));
    /// # Ok::<(), ebok_core::interchange::ImportError>(())
    /// ```
    pub fn seal(&mut self) {
        let text = String::from_utf8_lossy(&self.manifest).into_owned();
        let mut out: String = text
            .lines()
            .filter(|l| {
                let key = l
                    .split(['=', ':'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_lowercase();
                !(key.starts_with("rows.") || key.starts_with("sha256."))
            })
            .map(|l| format!("{l}\n"))
            .collect();
        for (name, bytes) in &self.files {
            let hex = sha256_hex(bytes);
            out.push_str(&format!(
                "rows.{name} = {}\nsha256.{name} = {hex}\n",
                table::count_records(bytes)
            ));
        }
        self.manifest = out.into_bytes();
    }

    /// A file's bytes.
    ///
    /// ```
    /// use ebok_core::interchange::SnapshotFiles;
    /// assert!(SnapshotFiles::default().file("x").is_none());
    /// ```
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files.get(name).map(Vec::as_slice)
    }
}

/// The SHA-256 of a file's bytes, lowercase hex: what `sha256.FILE` in a manifest says.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The record types of a snapshot, each with its file.
///
/// ```
/// use ebok_core::interchange::RecordType;
/// assert_eq!(RecordType::Ledger.file_name(), "ledger.csv");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    /// `premises.csv`
    Premises,
    /// `logins.csv`
    Logins,
    /// `ledger.csv`
    Ledger,
    /// `allocations.csv`
    Allocations,
    /// `designations.csv`
    Designations,
    /// `meters.csv`
    Meters,
    /// `readings.csv`
    Readings,
    /// `virtual_accounts.csv` (optional): the register of virtual accounts per premises.
    VirtualAccounts,
    /// `holders.csv` (optional): who holds which premises, in which role, from when to when.
    Holders,
    /// `parameters.csv` (optional): the premises' parameters over time.
    Parameters,
    /// `documents.csv` (optional): documents' metadata.
    Documents,
}

impl RecordType {
    /// Every record type, in import order.
    pub const ALL: [RecordType; 11] = [
        RecordType::Premises,
        RecordType::Logins,
        RecordType::Ledger,
        RecordType::Allocations,
        RecordType::Designations,
        RecordType::Meters,
        RecordType::Readings,
        RecordType::VirtualAccounts,
        RecordType::Holders,
        RecordType::Parameters,
        RecordType::Documents,
    ];

    /// Whether a full snapshot must contain the file. `virtual_accounts.csv`, `holders.csv`,
    /// `parameters.csv` and `documents.csv` are optional: a snapshot without one leaves that
    /// part as it is.
    ///
    /// ```
    /// use ebok_core::interchange::RecordType;
    /// assert!(RecordType::Ledger.required() && !RecordType::VirtualAccounts.required());
    /// ```
    pub fn required(self) -> bool {
        !matches!(
            self,
            RecordType::VirtualAccounts
                | RecordType::Holders
                | RecordType::Parameters
                | RecordType::Documents
        )
    }

    /// The file name.
    ///
    /// ```
    /// use ebok_core::interchange::RecordType;
    /// assert_eq!(RecordType::Readings.file_name(), "readings.csv");
    /// ```
    pub fn file_name(self) -> &'static str {
        match self {
            RecordType::Premises => "premises.csv",
            RecordType::Logins => "logins.csv",
            RecordType::Ledger => "ledger.csv",
            RecordType::Allocations => "allocations.csv",
            RecordType::Designations => "designations.csv",
            RecordType::Meters => "meters.csv",
            RecordType::Readings => "readings.csv",
            RecordType::VirtualAccounts => "virtual_accounts.csv",
            RecordType::Holders => "holders.csv",
            RecordType::Parameters => "parameters.csv",
            RecordType::Documents => "documents.csv",
        }
    }

    /// The file's columns, in order: the one definition the reader checks and the writer emits.
    ///
    /// ```
    /// use ebok_core::interchange::RecordType;
    /// assert_eq!(RecordType::Logins.columns(), ["login", "premises"]);
    /// ```
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            RecordType::Premises => &["id", "kind", "area", "title", "address", "building"],
            RecordType::Logins => &["login", "premises"],
            RecordType::Ledger => &[
                "id",
                "premises",
                "kind",
                "amount",
                "operation_date",
                "component",
                "posted_on",
                "due_date",
                "document",
            ],
            RecordType::Allocations => &["credit", "debt", "part", "amount"],
            RecordType::Designations => &["credit", "debt"],
            RecordType::Meters => &[
                "serial",
                "kind",
                "premises",
                "installed_on",
                "initial_reading",
                "location",
                "removed_on",
                "final_reading",
                "legalization",
                "rollover_at",
            ],
            RecordType::Readings => &["meter", "date", "value", "source"],
            RecordType::VirtualAccounts => {
                &["account", "premises", "valid_from", "valid_to", "payer_id"]
            }
            RecordType::Holders => &["login", "premises", "role", "from", "to", "share", "scope"],
            RecordType::Parameters => &["premises", "kind", "from", "value"],
            RecordType::Documents => &[
                "id",
                "kind",
                "title",
                "date",
                "audience",
                "sha256",
                "reference",
                "effective_from",
                "cause",
            ],
        }
    }

    /// The short name used in reports and in `deletions.csv`.
    ///
    /// ```
    /// use ebok_core::interchange::RecordType;
    /// assert_eq!(RecordType::Logins.name(), "logins");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            RecordType::Premises => "premises",
            RecordType::Logins => "logins",
            RecordType::Ledger => "ledger",
            RecordType::Allocations => "allocations",
            RecordType::Designations => "designations",
            RecordType::Meters => "meters",
            RecordType::Readings => "readings",
            RecordType::VirtualAccounts => "virtual_accounts",
            RecordType::Holders => "holders",
            RecordType::Parameters => "parameters",
            RecordType::Documents => "documents",
        }
    }

    fn from_name(name: &str) -> Option<RecordType> {
        RecordType::ALL
            .into_iter()
            .find(|t| t.name() == name.trim().to_lowercase())
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One problem in a snapshot: where it is and why.
///
/// ```
/// use ebok_core::interchange::ImportIssue;
/// let i = ImportIssue { file: "ledger.csv".into(), line: 3, column: Some("amount".into()), value: "1,234".into(), reason: "has more than 2 decimal places".into() };
/// assert_eq!(i.to_string(), "ledger.csv:3: column amount: value \"1,234\": has more than 2 decimal places");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportIssue {
    /// The file (`manifest`, `ledger.csv` …).
    pub file: String,
    /// The line, 1-based (0 when the problem is the whole file).
    pub line: u64,
    /// The column, when one field is at fault.
    pub column: Option<String>,
    /// The value at fault (at most 80 characters).
    pub value: String,
    /// Why.
    pub reason: String,
}

impl fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(c) = &self.column {
            write!(f, "column {c}: ")?;
        }
        write!(f, "value {:?}: {}", self.value, self.reason)
    }
}

impl ImportIssue {
    pub(crate) fn new(
        file: &str,
        line: u64,
        column: Option<&str>,
        value: &str,
        reason: impl fmt::Display,
    ) -> ImportIssue {
        ImportIssue {
            file: file.to_owned(),
            line,
            column: column.map(str::to_owned),
            value: value.chars().take(80).collect(),
            reason: reason.to_string(),
        }
    }
}

/// A refused snapshot: the problems found, in file and line order, at most
/// [`ImportError::MAX_LISTED`] of them with a count of the rest. Nothing was changed.
///
/// ```
/// use ebok_core::interchange::ImportError;
/// assert_eq!(ImportError::new(vec![]).to_string(), "snapshot refused with 0 problems; nothing was changed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("snapshot refused with {} problems; nothing was changed", issues.len() + omitted)]
pub struct ImportError {
    /// The problems, by file and line (the first [`ImportError::MAX_LISTED`]).
    pub issues: Vec<ImportIssue>,
    /// How many more problems there were beyond those listed.
    #[serde(default)]
    pub omitted: usize,
}

impl ImportError {
    /// The most problems an error lists; the rest are counted in `omitted`.
    pub const MAX_LISTED: usize = 1_000;

    /// An error listing at most [`ImportError::MAX_LISTED`] problems and counting the rest.
    ///
    /// ```
    /// use ebok_core::interchange::{ImportError, ImportIssue};
    /// let many = (0..5_000).map(|i| ImportIssue { file: "ledger.csv".into(), line: i, column: None, value: String::new(), reason: "bad".into() }).collect();
    /// let e = ImportError::new(many);
    /// assert_eq!((e.issues.len(), e.omitted), (1_000, 4_000));
    /// assert!(e.to_string().contains("5000 problems"));
    /// ```
    pub fn new(mut issues: Vec<ImportIssue>) -> ImportError {
        let omitted = crate::ledger::cap_listed(&mut issues, Self::MAX_LISTED);
        ImportError { issues, omitted }
    }
}

/// What an import did to one record type.
///
/// ```
/// use ebok_core::interchange::Counts;
/// assert_eq!(Counts::default().added, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// New records.
    pub added: usize,
    /// Records with changed content.
    pub changed: usize,
    /// Records removed (absent from a full snapshot, or deleted explicitly).
    pub removed: usize,
    /// Records already present as they are.
    pub unchanged: usize,
}

/// A control total checked after import: the accounting system's closing balance against the e-BOK's.
///
/// ```
/// use ebok_core::interchange::ControlCheck;
/// use ebok_core::money::Money;
/// let c = ControlCheck { premises: None, expected: Money::ZERO, actual: Money::ZERO };
/// assert!(c.matches());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlCheck {
    /// The premises; `None` for the grand total.
    pub premises: Option<String>,
    /// The accounting system's figure.
    pub expected: crate::money::Money,
    /// The e-BOK's figure after import.
    pub actual: crate::money::Money,
}

impl ControlCheck {
    /// Whether the figures agree.
    ///
    /// ```
    /// use ebok_core::interchange::ControlCheck;
    /// use ebok_core::money::Money;
    /// assert!(!ControlCheck { premises: None, expected: Money::ZERO, actual: Money::from_grosze(1) }.matches());
    /// ```
    pub fn matches(&self) -> bool {
        self.expected == self.actual
    }
}

/// What an import did.
///
/// ```
/// use ebok_core::interchange::ImportReport;
/// assert_eq!(ImportReport::default().counts("ledger").added, 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Full or incremental.
    pub kind: Option<SnapshotKind>,
    /// The new data-freshness instant.
    #[serde(with = "time::serde::rfc3339::option")]
    pub current_as_of: Option<OffsetDateTime>,
    /// Counts per record type.
    pub counts: BTreeMap<RecordType, Counts>,
    /// The keys of removed records, per record type.
    pub removed: BTreeMap<RecordType, Vec<String>>,
    /// Control totals checked (all of them, matching or not).
    pub controls: Vec<ControlCheck>,
}

impl ImportReport {
    /// The counts of a record type by name (`"ledger"` …); zero for unknown names.
    ///
    /// ```
    /// use ebok_core::interchange::ImportReport;
    /// assert_eq!(ImportReport::default().counts("nope").changed, 0);
    /// ```
    pub fn counts(&self, record_type: &str) -> Counts {
        RecordType::from_name(record_type)
            .and_then(|t| self.counts.get(&t).copied())
            .unwrap_or_default()
    }

    /// The control totals that do not match.
    ///
    /// ```
    /// use ebok_core::interchange::ImportReport;
    /// assert_eq!(ImportReport::default().control_mismatches().count(), 0);
    /// ```
    pub fn control_mismatches(&self) -> impl Iterator<Item = &ControlCheck> {
        self.controls.iter().filter(|c| !c.matches())
    }
}

/// What to do when a control total does not match.
///
/// ```
/// use ebok_core::interchange::ControlPolicy;
/// assert_eq!(ControlPolicy::default(), ControlPolicy::Reject);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlPolicy {
    /// Refuse the whole snapshot (the default: data that do not reconcile do not replace data that do).
    #[default]
    Reject,
    /// Import, and list the mismatches in the report.
    Report,
}

/// Whether a snapshot must carry per-file checks in its manifest.
///
/// ```
/// use ebok_core::interchange::Integrity;
/// assert_eq!(Integrity::default(), Integrity::Required);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Integrity {
    /// A full snapshot must give `rows.FILE` and `sha256.FILE` for every file it holds (the
    /// default): a file cut at a line boundary would otherwise remove every record after the
    /// cut. Checks an incremental snapshot gives are verified.
    #[default]
    Required,
    /// Checks are verified where the manifest gives them; an unsealed (format 1.0) snapshot is
    /// read as it is. For old exports only, knowingly.
    IfPresent,
}

/// Import options.
///
/// ```
/// use ebok_core::interchange::{ImportOptions, Integrity};
/// let o = ImportOptions::default();
/// assert!(!o.allow_older);
/// assert_eq!(o.integrity, Integrity::Required);
/// assert_eq!(o.max_removed_percent, 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOptions {
    /// Control-total mismatches: refuse or report.
    pub controls: ControlPolicy,
    /// Accept a snapshot older than the data already held (normally refused).
    pub allow_older: bool,
    /// Whether per-file checks are required.
    pub integrity: Integrity,
    /// A full snapshot may remove at most this percentage of the records of any type already
    /// held (more than 10 records); more is refused as a likely cut or wrong file. 100 turns
    /// the guard off.
    pub max_removed_percent: u8,
    /// The host's clock, when it gives one: a `current_as_of` later than `now` plus
    /// `max_ahead_hours` is refused (it would make every later real snapshot look older).
    #[serde(with = "time::serde::rfc3339::option")]
    pub now: Option<OffsetDateTime>,
    /// How far ahead of `now` a `current_as_of` may be (clock skew between the systems).
    pub max_ahead_hours: u32,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            controls: ControlPolicy::default(),
            allow_older: false,
            integrity: Integrity::default(),
            max_removed_percent: 10,
            now: None,
            max_ahead_hours: 24,
        }
    }
}
