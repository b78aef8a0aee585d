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
    name: String,
    #[pyo3(get)]
    current_as_of: Option<time::OffsetDateTime>,
    #[pyo3(get)]
    ledger: Py<PyLedger>,
    #[pyo3(get)]
    meters: Py<PyMeterBook>,
    pub(crate) registry: ebok_core::premises::PremisesRegistry,
    pub(crate) virtual_accounts: ebok_core::bank::VirtualAccountRegister,
    pub(crate) bank: ebok_core::bank::BankBook,
}

#[pymethods]
impl PyCooperative {
    /// The premises as dicts: id, kind, area, title, address, logins.
    fn premises<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.registry
            .iter()
            .map(|p| {
                let d = PyDict::new(py);
                d.set_item("id", p.id.as_str())?;
                d.set_item("kind", p.kind.code())?;
                d.set_item("area", p.usable_area.to_decimal())?;
                d.set_item("title", p.legal_title.map(|t| t.code()))?;
                d.set_item("address", p.address.as_deref())?;
                d.set_item(
                    "logins",
                    self.registry
                        .logins_of(&p.id)
                        .iter()
                        .map(|l| l.to_string())
                        .collect::<Vec<_>>(),
                )?;
                Ok(d)
            })
            .collect()
    }

    /// The premises a login identifier reaches.
    fn premises_of(&self, login: &str) -> PyResult<Vec<String>> {
        let l = ebok_core::premises::LoginId::new(login).map_err(crate::convert::value_err)?;
        Ok(self
            .registry
            .premises_of(&l)
            .iter()
            .map(|p| p.id.to_string())
            .collect())
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
        let mut ledger = self.ledger.borrow_mut(py);
        let mut meters = self.meters.borrow_mut(py);
        let mut coop = Cooperative {
            name: std::mem::take(&mut self.name),
            registry: std::mem::take(&mut self.registry),
            ledger: std::mem::take(&mut ledger.inner),
            meters: std::mem::take(&mut meters.inner),
            current_as_of: self.current_as_of,
            virtual_accounts: std::mem::take(&mut self.virtual_accounts),
            bank: std::mem::take(&mut self.bank),
        };
        // The core's import is atomic: on error `coop` is exactly what it was, and goes back.
        let result = run_import(
            py,
            &mut coop,
            &files,
            report_control_mismatches,
            accept_unsealed,
        );
        self.name = coop.name;
        self.registry = coop.registry;
        ledger.inner = coop.ledger;
        meters.inner = coop.meters;
        self.current_as_of = coop.current_as_of;
        self.virtual_accounts = coop.virtual_accounts;
        self.bank = coop.bank;
        result
    }

    /// Replaces the register of virtual accounts with `rows` of
    /// `(account, premises, valid_from[, valid_to[, payer_id]])`; all or nothing (overlapping
    /// periods of one account and unknown premises are refused). Usually it comes with the
    /// snapshot (`virtual_accounts.csv`).
    fn set_virtual_accounts(&mut self, rows: &Bound<'_, PyAny>) -> PyResult<()> {
        self.virtual_accounts = crate::statements::register_from(&self.registry, rows)?;
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
            &self.virtual_accounts,
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
            &self.virtual_accounts,
            &self.registry,
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
            &mut self.bank,
            &self.virtual_accounts,
            &self.registry,
            &files,
            day,
        )
    }

    /// Every entry of the bank book with its match, in import order.
    fn bank_records(&self) -> Vec<crate::statements::BankMatch> {
        self.bank
            .records()
            .map(crate::statements::record_of)
            .collect()
    }

    /// The credits matched to no premises or to several: the clerk's queue.
    fn unresolved_payments(&self) -> Vec<crate::statements::BankMatch> {
        self.bank
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
        let id = crate::statements::registered_premises(&self.registry, premises)?;
        let known = crate::convert::opt_date(known_at, "known_at", None)?;
        let ledger = self.ledger.borrow(py);
        Ok(crate::statements::pending(
            &self.bank,
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
        let id = crate::statements::registered_premises(&self.registry, premises)?;
        let as_of = crate::convert::date(as_of, "as_of", None)?;
        let known = crate::convert::opt_date(known_at, "known_at", None)?;
        let ledger = self.ledger.borrow(py);
        self.bank
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

    fn __repr__(&self) -> String {
        format!(
            "Cooperative(name={:?}, premises={})",
            self.name,
            self.registry.len()
        )
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
    let Cooperative {
        name,
        registry,
        ledger,
        meters,
        current_as_of,
        virtual_accounts,
        bank,
    } = coop;
    Ok((
        PyCooperative {
            name,
            current_as_of,
            ledger: Py::new(py, PyLedger { inner: ledger })?,
            meters: Py::new(py, PyMeterBook { inner: meters })?,
            registry,
            virtual_accounts,
            bank,
        },
        report_py,
    ))
}
