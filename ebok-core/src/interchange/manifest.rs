//! The snapshot manifest: `key = value` lines (`#` starts a comment).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::ImportIssue;

/// The format's name, the manifest's `format` value.
pub const FORMAT_NAME: &str = "ebok-snapshot";
/// The format version this library writes; it reads any `1.x`. Version 1.1 adds the per-file
/// checks (`rows.FILE`, `sha256.FILE`).
pub const FORMAT_VERSION: (u32, u32) = (1, 1);

/// The longest cooperative name a manifest may give, in characters.
const MAX_NAME: usize = 200;

/// What the manifest says one file holds, so that a cut or changed file is caught.
///
/// ```
/// use ebok_core::interchange::FileCheck;
/// assert!(FileCheck::default().rows.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCheck {
    /// Data records after the header (`rows.FILE = N`).
    pub rows: Option<u64>,
    /// The SHA-256 of the file's bytes, lowercase hex (`sha256.FILE = …`).
    pub sha256: Option<String>,
}

/// Full or incremental.
///
/// ```
/// use ebok_core::interchange::SnapshotKind;
/// assert_ne!(SnapshotKind::Full, SnapshotKind::Incremental);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotKind {
    /// Replaces everything: records absent from the snapshot are removed.
    Full,
    /// Adds and changes records, and removes those listed in `deletions.csv`.
    Incremental,
}

impl SnapshotKind {
    /// The manifest's word for it: `full` or `incremental`.
    ///
    /// ```
    /// use ebok_core::interchange::SnapshotKind;
    /// assert_eq!(SnapshotKind::Incremental.name(), "incremental");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            SnapshotKind::Full => "full",
            SnapshotKind::Incremental => "incremental",
        }
    }
}

/// The text encoding of the CSV files.
///
/// ```
/// use ebok_core::interchange::TextEncoding;
/// assert_eq!(TextEncoding::default(), TextEncoding::Auto);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 when the bytes are valid UTF-8, CP1250 otherwise.
    #[default]
    Auto,
    /// UTF-8 (a byte-order mark is skipped); invalid bytes are an error.
    Utf8,
    /// Windows-1250, common in Polish accounting software.
    Cp1250,
}

/// A parsed manifest.
///
/// ```
/// use ebok_core::interchange::{Manifest, SnapshotKind};
/// let m = Manifest::parse(b"format = ebok-snapshot\nversion = 1.3\ncooperative = SM Odra\ncurrent_as_of = 2026-11-20T18:00:00+01:00\nkind = full\n")?;
/// assert_eq!(m.kind, SnapshotKind::Full);
/// assert!(Manifest::parse(b"format = ebok-snapshot\nversion = 2.0\ncooperative = x\ncurrent_as_of = 2026-11-20T18:00:00Z\nkind = full").is_err());
/// # Ok::<(), ebok_core::interchange::ImportError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// (major, minor).
    pub version: (u32, u32),
    /// The cooperative's name.
    pub cooperative: String,
    /// The instant the data are current as of.
    #[serde(with = "time::serde::rfc3339")]
    pub current_as_of: OffsetDateTime,
    /// Full or incremental.
    pub kind: SnapshotKind,
    /// The CSV files' encoding.
    pub encoding: TextEncoding,
    /// Per-file checks, by file name (format 1.1).
    #[serde(default)]
    pub checks: std::collections::BTreeMap<String, FileCheck>,
}

impl Manifest {
    /// Parses a manifest; every problem is reported.
    ///
    /// ```
    /// use ebok_core::interchange::Manifest;
    /// let err = Manifest::parse(b"kind = sometimes").unwrap_err();
    /// assert!(err.issues.len() >= 4);
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<Manifest, super::ImportError> {
        let mut issues = Vec::new();
        let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
            Ok(t) => t.to_owned(),
            Err(_) => super::table::decode_cp1250(bytes).unwrap_or_default(),
        };
        let issue = |line: u64, key: &str, value: &str, reason: &str| {
            ImportIssue::new("manifest", line, Some(key), value, reason)
        };
        let (mut format, mut version, mut cooperative, mut as_of, mut kind, mut encoding) =
            (None, None, None, None, None, TextEncoding::Auto);
        let mut checks: std::collections::BTreeMap<String, FileCheck> = Default::default();
        let mut seen: std::collections::HashMap<String, u64> = Default::default();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            let ln = n as u64 + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once(['=', ':']) else {
                issues.push(issue(ln, "", line, "expected `key = value`"));
                continue;
            };
            let (key, value) = (key.trim().to_lowercase(), value.trim());
            if let Some(first) = seen.insert(key.clone(), ln) {
                issues.push(issue(
                    ln,
                    &key,
                    value,
                    &format!(
                        "repeated key (first on line {first}): which one is meant is not guessed"
                    ),
                ));
                continue;
            }
            if let Some(file) = key.strip_prefix("rows.") {
                match value.parse::<u64>() {
                    Ok(r) => checks.entry(file.to_owned()).or_default().rows = Some(r),
                    Err(_) => issues.push(issue(ln, &key, value, "expected a row count")),
                }
                continue;
            }
            if let Some(file) = key.strip_prefix("sha256.") {
                let hex = value.to_lowercase();
                if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    checks.entry(file.to_owned()).or_default().sha256 = Some(hex);
                } else {
                    issues.push(issue(ln, &key, value, "expected 64 hexadecimal digits"));
                }
                continue;
            }
            match key.as_str() {
                "format" => format = Some((ln, value.to_owned())),
                "version" => match value
                    .split_once('.')
                    .map(|(a, b)| (a.trim().parse::<u32>(), b.trim().parse::<u32>()))
                {
                    Some((Ok(major), Ok(minor))) => version = Some((major, minor)),
                    _ => issues.push(issue(
                        ln,
                        "version",
                        value,
                        "expected MAJOR.MINOR, e.g. 1.0",
                    )),
                },
                "cooperative" => {
                    if value.chars().count() > MAX_NAME || value.chars().any(char::is_control) {
                        issues.push(issue(
                            ln,
                            "cooperative",
                            value,
                            "must be at most 200 characters with no control characters",
                        ));
                    } else {
                        cooperative = Some(value.to_owned());
                    }
                }
                "current_as_of" => match OffsetDateTime::parse(value, &Rfc3339) {
                    Ok(t) if crate::calendar::check_date(t.date()).is_err() => issues.push(issue(
                        ln,
                        "current_as_of",
                        value,
                        "is outside the supported calendar (1900-01-01..=2199-12-31)",
                    )),
                    Ok(t) => as_of = Some(t),
                    Err(_) => issues.push(issue(
                        ln,
                        "current_as_of",
                        value,
                        "expected an RFC 3339 instant, e.g. 2026-11-20T18:00:00+01:00",
                    )),
                },
                "kind" => match value.to_lowercase().as_str() {
                    "full" | "pełny" | "pelny" => kind = Some(SnapshotKind::Full),
                    "incremental" | "przyrostowy" => kind = Some(SnapshotKind::Incremental),
                    _ => issues.push(issue(ln, "kind", value, "expected full or incremental")),
                },
                "encoding" => match value.to_lowercase().replace(['-', '_'], "").as_str() {
                    "auto" | "" => encoding = TextEncoding::Auto,
                    "utf8" => encoding = TextEncoding::Utf8,
                    "cp1250" | "windows1250" => encoding = TextEncoding::Cp1250,
                    _ => issues.push(issue(
                        ln,
                        "encoding",
                        value,
                        "expected utf-8, cp1250 or auto",
                    )),
                },
                _ => {} // Unknown keys are ignored: later minor versions may add some.
            }
        }
        match &format {
            Some((_, f)) if f == FORMAT_NAME => {}
            Some((ln, f)) => issues.push(issue(
                *ln,
                "format",
                f,
                "this is not an ebok snapshot (expected format = ebok-snapshot)",
            )),
            None => issues.push(issue(0, "format", "", "missing")),
        }
        match version {
            Some((major, _)) if major > FORMAT_VERSION.0 => issues.push(issue(
                0,
                "version",
                &format!("{major}.x"),
                format!(
                    "version {major} is newer than this library reads ({}.x); upgrade ebok",
                    FORMAT_VERSION.0
                )
                .as_str(),
            )),
            Some((0, _)) => issues.push(issue(
                0,
                "version",
                "0.x",
                "version 0 is not a released format",
            )),
            Some(_) => {}
            None => issues.push(issue(0, "version", "", "missing")),
        }
        if cooperative.as_deref().is_none_or(str::is_empty)
            && !issues
                .iter()
                .any(|i| i.column.as_deref() == Some("cooperative"))
        {
            issues.push(issue(0, "cooperative", "", "missing"));
        }
        if as_of.is_none()
            && !issues
                .iter()
                .any(|i| i.column.as_deref() == Some("current_as_of"))
        {
            issues.push(issue(0, "current_as_of", "", "missing"));
        }
        if kind.is_none() && !issues.iter().any(|i| i.column.as_deref() == Some("kind")) {
            issues.push(issue(0, "kind", "", "missing"));
        }
        match (issues.is_empty(), version, cooperative, as_of, kind) {
            (true, Some(version), Some(cooperative), Some(current_as_of), Some(kind)) => {
                Ok(Manifest {
                    version,
                    cooperative,
                    current_as_of,
                    kind,
                    encoding,
                    checks,
                })
            }
            _ => Err(super::ImportError::new(issues)),
        }
    }

    /// The manifest as text.
    ///
    /// ```
    /// use ebok_core::interchange::{Manifest, SnapshotKind, TextEncoding};
    /// let mut m = Manifest { version: (1, 1), cooperative: "SM Odra".into(), current_as_of: time::macros::datetime!(2026-11-20 18:00 +1), kind: SnapshotKind::Full, encoding: TextEncoding::Utf8, checks: Default::default() };
    /// m.checks.insert("ledger.csv".into(), ebok_core::interchange::FileCheck { rows: Some(2), sha256: Some("ab".repeat(32)) });
    /// assert_eq!(Manifest::parse(m.render().as_bytes())?, m);
    /// # Ok::<(), ebok_core::interchange::ImportError>(())
    /// ```
    pub fn render(&self) -> String {
        let kind = match self.kind {
            SnapshotKind::Full => "full",
            SnapshotKind::Incremental => "incremental",
        };
        let encoding = match self.encoding {
            TextEncoding::Auto => "auto",
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Cp1250 => "cp1250",
        };
        let mut out = format!(
            "# ebok interchange snapshot: see docs/interchange-format.md\nformat = {FORMAT_NAME}\nversion = {}.{}\ncooperative = {}\ncurrent_as_of = {}\nkind = {kind}\nencoding = {encoding}\n",
            self.version.0,
            self.version.1,
            self.cooperative,
            self.current_as_of.format(&Rfc3339).unwrap_or_default()
        );
        for (file, check) in &self.checks {
            if let Some(r) = check.rows {
                out.push_str(&format!("rows.{file} = {r}\n"));
            }
            if let Some(h) = &check.sha256 {
                out.push_str(&format!("sha256.{file} = {h}\n"));
            }
        }
        out
    }
}
