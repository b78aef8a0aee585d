//! Loading a snapshot from the accounting system in one call.

use std::path::PathBuf;

use ebok_core::cooperative::Cooperative;
use ebok_core::interchange::{
    ControlPolicy, ImportOptions, ImportReport, Integrity, SnapshotFiles,
};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use rust_decimal::Decimal;

use crate::convert::{SnapshotError, dict_list, py_money, raise_with};
use crate::ledger::PyLedger;
use crate::meters::PyMeterBook;

/// `ebok.Cooperative`: the data of one cooperative as the last snapshot left it.
#[pyclass(module = "ebok", name = "Cooperative")]
pub(crate) struct PyCooperative {
    #[pyo3(get)]
    ledger: Py<PyLedger>,
    #[pyo3(get)]
    meters: Py<PyMeterBook>,
    /// Everything else of the cooperative. Its ledger and meters are empty: they live in the
    /// two Python objects above (shared with scripts) and are lent back for whole-cooperative
    /// calls ([`PyCooperative::with_core`]).
    pub(crate) core: Cooperative,
}

impl PyCooperative {
    pub(crate) fn new(py: Python<'_>, mut coop: Cooperative) -> PyResult<PyCooperative> {
        let ledger = std::mem::take(&mut coop.ledger);
        let meters = std::mem::take(&mut coop.meters);
        Ok(PyCooperative {
            ledger: Py::new(py, PyLedger { inner: ledger })?,
            meters: Py::new(py, PyMeterBook { inner: meters })?,
            core: coop,
        })
    }

    /// Runs `f` on the whole cooperative, the ledger and meters lent back in for the call.
    pub(crate) fn with_core<T>(
        &mut self,
        py: Python<'_>,
        f: impl FnOnce(&mut Cooperative) -> T,
    ) -> T {
        let mut ledger = self.ledger.borrow_mut(py);
        let mut meters = self.meters.borrow_mut(py);
        self.core.ledger = std::mem::take(&mut ledger.inner);
        self.core.meters = std::mem::take(&mut meters.inner);
        let out = f(&mut self.core);
        ledger.inner = std::mem::take(&mut self.core.ledger);
        meters.inner = std::mem::take(&mut self.core.meters);
        out
    }
}

#[pymethods]
impl PyCooperative {
    /// The cooperative's name, as the snapshots give it.
    #[getter]
    fn name(&self) -> String {
        self.core.name.clone()
    }

    /// The instant the last imported snapshot was current as of.
    #[getter]
    fn current_as_of(&self) -> Option<time::OffsetDateTime> {
        self.core.current_as_of
    }
    /// The register of premises as an Arrow table (`premises`, `kind`, `legal_title`,
    /// `usable_area` decimal128(12, 2), `address`, `building`, `logins` joined by `;`).
    fn premises_to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::columnar::table(
            py,
            ebok_core::columnar::premises_to_arrow(&self.core.registry),
        )
    }

    /// The premises as dicts: id, kind, area, title, address, logins.
    fn premises<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.core
            .registry
            .iter()
            .map(|p| {
                let d = PyDict::new(py);
                d.set_item("id", p.id.as_str())?;
                d.set_item("kind", p.kind.code())?;
                d.set_item("area", p.usable_area.to_decimal())?;
                d.set_item("title", p.legal_title.map(|t| t.code()))?;
                d.set_item("address", p.address.as_deref())?;
                d.set_item("building", p.building.as_deref())?;
                // Everyone who ever held it: undated links and dated relations.
                let logins: std::collections::BTreeSet<String> = self
                    .core
                    .registry
                    .logins_of(&p.id)
                    .iter()
                    .map(ToString::to_string)
                    .chain(
                        self.core
                            .holders
                            .of_premises(&p.id)
                            .iter()
                            .map(|h| h.login.to_string()),
                    )
                    .collect();
                d.set_item("logins", logins.into_iter().collect::<Vec<_>>())?;
                Ok(d)
            })
            .collect()
    }

    /// The premises a login identifier holds on `on` (in any role), or at any time when `on` is
    /// None, in identifier order.
    #[pyo3(signature = (login, on=None))]
    fn premises_of(&self, login: &str, on: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
        let l = ebok_core::premises::LoginId::new(login).map_err(crate::convert::value_err)?;
        if let Some(day) = crate::convert::opt_date(on, "on", None)? {
            return Ok(self
                .core
                .accesses(&l, day)
                .into_iter()
                .map(|a| a.premises.to_string())
                .collect());
        }
        let ids: std::collections::BTreeSet<String> = self
            .core
            .registry
            .premises_of(&l)
            .iter()
            .map(|p| p.id.to_string())
            .chain(self.core.holders.premises_of(&l).map(ToString::to_string))
            .collect();
        Ok(ids.into_iter().collect())
    }

    /// Applies a further snapshot directory (full, or the nightly incremental one) to this
    /// cooperative, in place; returns the same report as `ebok.import_snapshot`. All or nothing:
    /// when it raises `SnapshotError`, nothing was changed.
    #[pyo3(signature = (path, report_control_mismatches=false, accept_unsealed=false))]
    fn import_snapshot<'py>(
        &mut self,
        py: Python<'py>,
        path: PathBuf,
        report_control_mismatches: bool,
        accept_unsealed: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let files = read_files(py, &path)?;
        // The core's import is atomic: on error the cooperative is exactly what it was.
        self.with_core(py, |coop| {
            run_import(py, coop, &files, report_control_mismatches, accept_unsealed)
        })
    }

    /// Replaces the register of virtual accounts with `rows` of
    /// `(account, premises, valid_from[, valid_to[, payer_id]])`; all or nothing (overlapping
    /// periods of one account and unknown premises are refused). Usually it comes with the
    /// snapshot (`virtual_accounts.csv`).
    fn set_virtual_accounts(&mut self, rows: &Bound<'_, PyAny>) -> PyResult<()> {
        self.core.virtual_accounts = crate::statements::register_from(&self.core.registry, rows)?;
        Ok(())
    }

    /// The premises a virtual account belongs to on `day`, or None.
    fn virtual_account_owner(
        &self,
        account: &str,
        day: &Bound<'_, PyAny>,
    ) -> PyResult<Option<String>> {
        let d = crate::convert::date(day, "day", None)?;
        Ok(crate::statements::lookup(
            &self.core.virtual_accounts,
            account,
            d,
        ))
    }

    /// Matches every entry of `files` (a `StatementFile` or a list) against the register and
    /// the premises numbers, without recording anything.
    fn match_statement(
        &self,
        files: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<crate::statements::BankMatch>> {
        let files = crate::statements::statement_files(files)?;
        Ok(crate::statements::match_files(
            &self.core.virtual_accounts,
            &self.core.registry,
            &files,
        ))
    }

    /// Imports bank statements into the cooperative's bank book (all or nothing): each credit
    /// is matched once; the same file again changes nothing; the same bank reference with other
    /// content raises `BankConflictError`. Returns a report dict.
    fn import_bank_statements<'py>(
        &mut self,
        py: Python<'py>,
        files: &Bound<'py, PyAny>,
        imported_on: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let files = crate::statements::statement_files(files)?;
        let day = crate::convert::date(imported_on, "imported_on", None)?;
        crate::statements::import_into(
            py,
            &mut self.core.bank,
            &self.core.virtual_accounts,
            &self.core.registry,
            &files,
            day,
        )
    }

    /// Every entry of the bank book with its match, in import order.
    fn bank_records(&self) -> Vec<crate::statements::BankMatch> {
        self.core
            .bank
            .records()
            .map(crate::statements::record_of)
            .collect()
    }

    /// The credits matched to no premises or to several: the clerk's queue.
    fn unresolved_payments(&self) -> Vec<crate::statements::BankMatch> {
        self.core
            .bank
            .unresolved()
            .map(crate::statements::record_of)
            .collect()
    }

    /// The payments of `premises` credited by the bank and not yet posted by the accounting
    /// system, as known at `known_at` (None: everything so far).
    #[pyo3(signature = (premises, known_at=None, window_days=10))]
    fn pending_payments(
        &self,
        py: Python<'_>,
        premises: &str,
        known_at: Option<&Bound<'_, PyAny>>,
        window_days: u32,
    ) -> PyResult<Vec<crate::statements::PendingPayment>> {
        let id = crate::statements::registered_premises(&self.core.registry, premises)?;
        let known = crate::convert::opt_date(known_at, "known_at", None)?;
        let ledger = self.ledger.borrow(py);
        Ok(crate::statements::pending(
            &self.core.bank,
            &ledger.inner,
            &id,
            known,
            window_days,
        ))
    }

    /// The balance as of `as_of` projected with the pending bank payments (owed positive).
    #[pyo3(signature = (premises, as_of, known_at=None, window_days=10))]
    fn projected_balance(
        &self,
        py: Python<'_>,
        premises: &str,
        as_of: &Bound<'_, PyAny>,
        known_at: Option<&Bound<'_, PyAny>>,
        window_days: u32,
    ) -> PyResult<Decimal> {
        let id = crate::statements::registered_premises(&self.core.registry, premises)?;
        let as_of = crate::convert::date(as_of, "as_of", None)?;
        let known = crate::convert::opt_date(known_at, "known_at", None)?;
        let ledger = self.ledger.borrow(py);
        self.core
            .bank
            .projected_balance(
                &id,
                &ledger.inner,
                as_of,
                known,
                &ebok_core::bank::PendingPolicy {
                    window_days,
                    ..Default::default()
                },
            )
            .map(|m| m.to_decimal())
            .ok_or_else(|| {
                crate::convert::NotFoundError::new_err(format!(
                    "no account for premises {premises}"
                ))
            })
    }

    /// Everything `login` may see on `as_of` (as the accounting system knew it at `known_at`),
    /// as the JSON document of `docs/resident-slice.schema.json` parsed into a dict: its
    /// premises and relations, balances, statements, account lines, pending payments, open
    /// items, readings, parameters, documents and the freshness note; nothing dated outside
    /// its relations, nothing of another login. Amounts are decimal strings.
    #[pyo3(signature = (login, as_of, known_at=None, months=12))]
    fn resident_slice<'py>(
        &mut self,
        py: Python<'py>,
        login: &str,
        as_of: &Bound<'py, PyAny>,
        known_at: Option<&Bound<'py, PyAny>>,
        months: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let json = self.resident_slice_json(py, login, as_of, known_at, months)?;
        py.import("json")?.call_method1("loads", (json,))
    }

    /// `resident_slice` as JSON text (what a host's API sends to a mobile app).
    #[pyo3(signature = (login, as_of, known_at=None, months=12))]
    fn resident_slice_json(
        &mut self,
        py: Python<'_>,
        login: &str,
        as_of: &Bound<'_, PyAny>,
        known_at: Option<&Bound<'_, PyAny>>,
        months: u32,
    ) -> PyResult<String> {
        Ok(self.slice(py, login, as_of, known_at, months)?.to_json())
    }

    /// `resident_slice` in its compact binary form (CBOR, RFC 8949).
    #[pyo3(signature = (login, as_of, known_at=None, months=12))]
    fn resident_slice_cbor<'py>(
        &mut self,
        py: Python<'py>,
        login: &str,
        as_of: &Bound<'py, PyAny>,
        known_at: Option<&Bound<'py, PyAny>>,
        months: u32,
    ) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        let s = self.slice(py, login, as_of, known_at, months)?;
        Ok(pyo3::types::PyBytes::new(py, &s.to_cbor()))
    }

    /// The relations of `login` to `premises` (role, from, to, capabilities, share), at any
    /// time; empty when it never held it.
    fn relations<'py>(
        &self,
        py: Python<'py>,
        login: &str,
        premises: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let l = ebok_core::premises::LoginId::new(login).map_err(crate::convert::value_err)?;
        let p = crate::convert::premises_id(premises)?;
        let relations = self
            .core
            .access(&l, &p)
            .map(|a| a.relations)
            .unwrap_or_default();
        let json = serde_json::to_string(&relations).map_err(crate::convert::value_err)?;
        py.import("json")?.call_method1("loads", (json,))
    }

    /// Changes the holder of `premises` on `on` (a sale, an inheritance): every relation
    /// holding on `on` ends there, `holders` — `(login, role[, share])` tuples — start there.
    /// Returns a dict: `ended` and `added` relations, a `closing` statement (login, last day,
    /// balance) per previous holder, and `new_logins` that need access created. All or nothing.
    fn change_holder<'py>(
        &mut self,
        py: Python<'py>,
        premises: &str,
        on: &Bound<'py, PyAny>,
        holders: Vec<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let p = crate::statements::registered_premises(&self.core.registry, premises)?;
        let on = crate::convert::date(on, "on", None)?;
        let mut new = Vec::with_capacity(holders.len());
        for (row, h) in holders.iter().enumerate() {
            let (login, role, share): (String, String, Option<String>) =
                match h.extract::<(String, String, Option<String>)>() {
                    Ok(t) => t,
                    Err(_) => {
                        let (l, r): (String, String) = h.extract().map_err(|_| {
                            crate::convert::invalid(
                                "holders",
                                Some(row),
                                h.to_string(),
                                "expected (login, role[, share])",
                            )
                        })?;
                        (l, r, None)
                    }
                };
            let bad = |field: &str, value: &str, e: String| {
                crate::convert::invalid(field, Some(row), value, &e)
            };
            let l = ebok_core::premises::LoginId::new(&login)
                .map_err(|e| bad("login", &login, e.to_string()))?;
            let r: ebok_core::holders::Role = role
                .parse()
                .map_err(|e: ebok_core::holders::HolderError| bad("role", &role, e.to_string()))?;
            let mut holding = ebok_core::holders::Holding::new(
                l,
                p.clone(),
                r,
                ebok_core::holders::Interval::since(on),
            );
            if let Some(share) = share {
                holding = holding.with_share(share.parse().map_err(
                    |e: ebok_core::holders::HolderError| bad("share", &share, e.to_string()),
                )?);
            }
            new.push(holding);
        }
        let out = self
            .with_core(py, |c| c.change_holder(&p, on, new, None))
            .map_err(crate::convert::value_err)?;
        let json = serde_json::to_string(&out).map_err(crate::convert::value_err)?;
        py.import("json")?.call_method1("loads", (json,))
    }

    fn __repr__(&self) -> String {
        format!(
            "Cooperative(name={:?}, premises={})",
            self.core.name,
            self.core.registry.len()
        )
    }
}

impl PyCooperative {
    fn slice(
        &mut self,
        py: Python<'_>,
        login: &str,
        as_of: &Bound<'_, PyAny>,
        known_at: Option<&Bound<'_, PyAny>>,
        months: u32,
    ) -> PyResult<ebok_core::portal::ResidentSlice> {
        if !(1..=120).contains(&months) {
            return Err(crate::convert::invalid(
                "months",
                None,
                months.to_string(),
                "must be 1 to 120",
            ));
        }
        let l = ebok_core::premises::LoginId::new(login).map_err(crate::convert::value_err)?;
        let as_of = crate::convert::date(as_of, "as_of", None)?;
        let known = crate::convert::opt_date(known_at, "known_at", None)?;
        let options = ebok_core::portal::ViewOptions {
            months,
            ..Default::default()
        };
        self.with_core(py, |c| c.resident_slice(&l, as_of, known, &options))
            .map_err(crate::convert::value_err)
    }
}

fn report_to_python<'py>(py: Python<'py>, r: &ImportReport) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("kind", r.kind.map(|k| format!("{k:?}").to_lowercase()))?;
    d.set_item("current_as_of", r.current_as_of)?;
    let counts = PyDict::new(py);
    for (t, c) in &r.counts {
        let cd = PyDict::new(py);
        cd.set_item("added", c.added)?;
        cd.set_item("changed", c.changed)?;
        cd.set_item("removed", c.removed)?;
        cd.set_item("unchanged", c.unchanged)?;
        counts.set_item(t.name(), cd)?;
    }
    d.set_item("counts", counts)?;
    let removed = PyDict::new(py);
    for (t, keys) in &r.removed {
        removed.set_item(t.name(), keys.clone())?;
    }
    d.set_item("removed", removed)?;
    let controls: Vec<Bound<'py, PyDict>> = r
        .controls
        .iter()
        .map(|c| {
            let cd = PyDict::new(py);
            cd.set_item("premises", c.premises.as_deref())?;
            cd.set_item("expected", py_money(py, c.expected)?)?;
            cd.set_item("actual", py_money(py, c.actual)?)?;
            cd.set_item("matches", c.matches())?;
            Ok(cd)
        })
        .collect::<PyResult<_>>()?;
    d.set_item("controls", controls)?;
    Ok(d)
}

/// The largest file the directory reader reads (4 GiB): a snapshot file beyond it is refused.
const MAX_FILE_BYTES: u64 = 4 << 30;

/// A snapshot directory as read: the files, and every other entry, not read, with the reason.
struct DirSnapshot {
    files: SnapshotFiles,
    not_read: Vec<(String, &'static str)>,
}

/// Why a directory cannot be read as a snapshot: (file, reason) pairs.
type DirProblems = Vec<(String, String)>;

/// Reads a snapshot directory. Names are matched case-insensitively (`LEDGER.CSV` is
/// `ledger.csv`); only regular files are read (a link is followed to its target, which must be
/// a regular file: a FIFO or `/dev/zero` is refused, never read), each at most
/// [`MAX_FILE_BYTES`]; entries that are not snapshot files are listed as not read.
fn read_dir(path: &PathBuf) -> Result<DirSnapshot, DirProblems> {
    let io = |e: std::io::Error| vec![(path.display().to_string(), e.to_string())];
    let known: Vec<&str> = ebok_core::interchange::RecordType::ALL
        .iter()
        .map(|t| t.file_name())
        .chain(["deletions.csv", "controls.csv", "manifest.txt"])
        .collect();
    let mut problems: DirProblems = Vec::new();
    let mut wanted: Vec<(String, PathBuf)> = Vec::new();
    let mut not_read = Vec::new();
    let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(path)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let raw = entry.file_name().to_string_lossy().into_owned();
        let name = raw.to_lowercase();
        if !(known.contains(&name.as_str()) || name.ends_with(".csv")) {
            not_read.push((raw, "not a snapshot file"));
            continue;
        }
        // `metadata` follows a link to its target: the target must be a regular file.
        match std::fs::metadata(entry.path()) {
            Ok(m) if !m.is_file() => problems.push((
                raw,
                "is not a regular file (a FIFO, device or directory is never read)".to_owned(),
            )),
            Ok(m) if m.len() > MAX_FILE_BYTES => problems.push((
                raw,
                format!(
                    "is {} bytes, more than the {MAX_FILE_BYTES} a snapshot file may have",
                    m.len()
                ),
            )),
            Ok(_) if wanted.iter().any(|(n, _)| *n == name) => problems.push((
                raw,
                format!("{name} is there twice (names differing only in case)"),
            )),
            Ok(_) => wanted.push((name, entry.path())),
            Err(e) => problems.push((raw, e.to_string())),
        }
    }
    let read = |p: &PathBuf| -> Result<Vec<u8>, String> {
        use std::io::Read;
        let mut bytes = Vec::new();
        std::fs::File::open(p)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| e.to_string())?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err("grew beyond the largest size while being read".to_owned());
        }
        Ok(bytes)
    };
    let mut manifest = None;
    let mut files = Vec::new();
    for (name, p) in wanted {
        match read(&p) {
            Ok(bytes) if name == "manifest.txt" => manifest = Some(bytes),
            Ok(bytes) => files.push((name, bytes)),
            Err(e) => problems.push((name, e)),
        }
    }
    if manifest.is_none() {
        problems.push(("manifest.txt".to_owned(), "is missing".to_owned()));
    }
    match manifest {
        Some(manifest) if problems.is_empty() => {
            let mut snapshot = SnapshotFiles::new(manifest);
            for (name, bytes) in files {
                snapshot.insert(&name, bytes);
            }
            Ok(DirSnapshot {
                files: snapshot,
                not_read,
            })
        }
        _ => Err(problems),
    }
}

fn read_files(py: Python<'_>, path: &PathBuf) -> PyResult<DirSnapshot> {
    if !path.is_dir() {
        return Err(pyo3::exceptions::PyFileNotFoundError::new_err(format!(
            "{}: not a directory",
            path.display()
        )));
    }
    read_dir(path).map_err(|problems| {
        let rows = problems
            .iter()
            .map(|(file, reason)| {
                vec![
                    ("file", PyString::new(py, file).into_any()),
                    (
                        "line",
                        0u64.into_bound_py_any(py)
                            .unwrap_or_else(|_| py.None().into_bound(py)),
                    ),
                    ("column", py.None().into_bound(py)),
                    ("value", PyString::new(py, file).into_any()),
                    ("reason", PyString::new(py, reason).into_any()),
                ]
            })
            .collect();
        let first: Vec<String> = problems
            .iter()
            .take(5)
            .map(|(f, r)| format!("{f}: {r}"))
            .collect();
        match dict_list(py, rows) {
            Ok(list) => raise_with::<SnapshotError>(
                py,
                format!(
                    "the snapshot directory cannot be read: {}",
                    first.join("; ")
                ),
                list.into_any(),
            ),
            Err(e) => e,
        }
    })
}

/// Runs the core's (atomic) import and turns its report or error into Python.
fn run_import<'py>(
    py: Python<'py>,
    coop: &mut Cooperative,
    snapshot: &DirSnapshot,
    report_control_mismatches: bool,
    accept_unsealed: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let options = ImportOptions {
        controls: if report_control_mismatches {
            ControlPolicy::Report
        } else {
            ControlPolicy::Reject
        },
        integrity: if accept_unsealed {
            Integrity::IfPresent
        } else {
            Integrity::Required
        },
        ..ImportOptions::default()
    };
    let result = py.detach(|| coop.import(&snapshot.files, &options));
    match result {
        Ok(r) => {
            let d = report_to_python(py, &r)?;
            let not_read: Vec<(&str, &str)> = snapshot
                .not_read
                .iter()
                .map(|(n, why)| (n.as_str(), *why))
                .collect();
            d.set_item("files_not_read", not_read)?;
            Ok(d)
        }
        Err(e) => {
            let rows = e
                .issues
                .iter()
                .map(|i| {
                    vec![
                        ("file", PyString::new(py, &i.file).into_any()),
                        (
                            "line",
                            i.line
                                .into_bound_py_any(py)
                                .unwrap_or_else(|_| py.None().into_bound(py)),
                        ),
                        (
                            "column",
                            i.column
                                .clone()
                                .into_bound_py_any(py)
                                .unwrap_or_else(|_| py.None().into_bound(py)),
                        ),
                        ("value", PyString::new(py, &i.value).into_any()),
                        ("reason", PyString::new(py, &i.reason).into_any()),
                    ]
                })
                .collect();
            let first: Vec<String> = e.issues.iter().take(5).map(ToString::to_string).collect();
            Err(raise_with::<SnapshotError>(
                py,
                format!("{e}: {}", first.join("; ")),
                dict_list(py, rows)?.into_any(),
            ))
        }
    }
}

/// Imports a snapshot directory (manifest.txt + *.csv) into a new `Cooperative`, in one call;
/// returns (cooperative, report). Raises `SnapshotError` listing every problem.
#[pyfunction]
#[pyo3(signature = (path, report_control_mismatches=false, accept_unsealed=false))]
pub(crate) fn import_snapshot<'py>(
    py: Python<'py>,
    path: PathBuf,
    report_control_mismatches: bool,
    accept_unsealed: bool,
) -> PyResult<(PyCooperative, Bound<'py, PyDict>)> {
    let files = read_files(py, &path)?;
    let mut coop = Cooperative::default();
    let report_py = run_import(
        py,
        &mut coop,
        &files,
        report_control_mismatches,
        accept_unsealed,
    )?;
    Ok((PyCooperative::new(py, coop)?, report_py))
}
