//! Loading a snapshot from the accounting system in one call.

use std::path::PathBuf;

use ebok_core::cooperative::Cooperative;
use ebok_core::interchange::{ControlPolicy, ImportOptions, ImportReport, SnapshotFiles};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

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
    registry: ebok_core::premises::PremisesRegistry,
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
    #[pyo3(signature = (path, report_control_mismatches=false))]
    fn import_snapshot<'py>(
        &mut self,
        py: Python<'py>,
        path: PathBuf,
        report_control_mismatches: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let files = read_files(&path)?;
        let mut ledger = self.ledger.borrow_mut(py);
        let mut meters = self.meters.borrow_mut(py);
        let mut coop = Cooperative {
            name: std::mem::take(&mut self.name),
            registry: std::mem::take(&mut self.registry),
            ledger: std::mem::take(&mut ledger.inner),
            meters: std::mem::take(&mut meters.inner),
            current_as_of: self.current_as_of,
        };
        // The core's import is atomic: on error `coop` is exactly what it was, and goes back.
        let result = run_import(py, &mut coop, &files, report_control_mismatches);
        self.name = coop.name;
        self.registry = coop.registry;
        ledger.inner = coop.ledger;
        meters.inner = coop.meters;
        self.current_as_of = coop.current_as_of;
        result
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

fn read_dir(path: &PathBuf) -> std::io::Result<SnapshotFiles> {
    let mut files = SnapshotFiles::new(std::fs::read(path.join("manifest.txt"))?);
    for entry in std::fs::read_dir(path)? {
        let p = entry?.path();
        if p.extension().is_some_and(|e| e == "csv")
            && let Some(name) = p.file_name().and_then(|n| n.to_str())
        {
            files.insert(name, std::fs::read(&p)?);
        }
    }
    Ok(files)
}

fn read_files(path: &PathBuf) -> PyResult<SnapshotFiles> {
    read_dir(path).map_err(|e| {
        pyo3::exceptions::PyFileNotFoundError::new_err(format!("{}: {e}", path.display()))
    })
}

/// Runs the core's (atomic) import and turns its report or error into Python.
fn run_import<'py>(
    py: Python<'py>,
    coop: &mut Cooperative,
    files: &SnapshotFiles,
    report_control_mismatches: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let options = ImportOptions {
        controls: if report_control_mismatches {
            ControlPolicy::Report
        } else {
            ControlPolicy::Reject
        },
        ..ImportOptions::default()
    };
    let result = py.detach(|| coop.import(files, &options));
    match result {
        Ok(r) => report_to_python(py, &r),
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
#[pyo3(signature = (path, report_control_mismatches=false))]
pub(crate) fn import_snapshot<'py>(
    py: Python<'py>,
    path: PathBuf,
    report_control_mismatches: bool,
) -> PyResult<(PyCooperative, Bound<'py, PyDict>)> {
    let files = read_files(&path)?;
    let mut coop = Cooperative::default();
    let report_py = run_import(py, &mut coop, &files, report_control_mismatches)?;
    let Cooperative {
        name,
        registry,
        ledger,
        meters,
        current_as_of,
    } = coop;
    Ok((
        PyCooperative {
            name,
            current_as_of,
            ledger: Py::new(py, PyLedger { inner: ledger })?,
            meters: Py::new(py, PyMeterBook { inner: meters })?,
            registry,
        },
        report_py,
    ))
}
