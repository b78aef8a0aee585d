//! `ebok.Ledger` and its records.

use std::collections::BTreeMap;

use ebok_core::calendar::YearMonth;
use ebok_core::ledger::{
    Allocation, Component, DocumentRef, EntryId, EntryKind, InsertMode, Ledger, LedgerEntry,
    MonthlyStatement, Part,
};
use ebok_core::money::Money;
use ebok_core::premises::PremisesId;
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use rust_decimal::Decimal;
use time::Date;

use crate::convert::{
    BatchError, NotFoundError, date, dict_list, invalid, money, opt_date, opt_text, premises_id,
    py_money, raise_with, text, value_err,
};
use crate::record;

record! {
    /// One entry of a premises account.
    Entry {
        id: String,
        premises: String,
        kind: String,
        amount: Decimal,
        component: Option<String>,
        operation_date: Date,
        posted_on: Option<Date>,
        due_date: Option<Date>,
        document: Option<String>,
        effect: Decimal,
    }
}

impl From<&LedgerEntry> for Entry {
    fn from(e: &LedgerEntry) -> Self {
        Entry {
            id: e.id.to_string(),
            premises: e.premises.to_string(),
            kind: e.kind.code().to_owned(),
            amount: e.amount.to_decimal(),
            component: e.component.as_ref().map(ToString::to_string),
            operation_date: e.operation_date,
            posted_on: e.posted_on,
            due_date: e.due_date,
            document: e.document.as_ref().map(ToString::to_string),
            effect: e.effect().to_decimal(),
        }
    }
}

record! {
    /// A monthly statement: opening, charges by component, payments, other entries by kind, closing.
    Statement {
        premises: String,
        month: String,
        opening: Decimal,
        charges: BTreeMap<String, Decimal>,
        charges_total: Decimal,
        payments: Decimal,
        other: BTreeMap<String, Decimal>,
        closing: Decimal,
    }
}

impl From<&MonthlyStatement> for Statement {
    fn from(s: &MonthlyStatement) -> Self {
        Statement {
            premises: s.premises.to_string(),
            month: s.month.to_string(),
            opening: s.opening.amount().to_decimal(),
            charges: s
                .charges
                .iter()
                .map(|(c, m)| (c.to_string(), m.to_decimal()))
                .collect(),
            charges_total: s.charges_total.to_decimal(),
            payments: s.payments.to_decimal(),
            other: s
                .other
                .iter()
                .map(|(k, m)| (k.code().to_owned(), m.to_decimal()))
                .collect(),
            closing: s.closing.amount().to_decimal(),
        }
    }
}

record! {
    /// One line of the premises account with the running balance after it.
    AccountLine {
        id: String,
        kind: String,
        operation_date: Date,
        posted_on: Option<Date>,
        due_date: Option<Date>,
        component: Option<String>,
        document: Option<String>,
        amount: Decimal,
        effect: Decimal,
        running_balance: Decimal,
    }
}

record! {
    /// One payment of the payment history.
    Payment {
        id: String,
        credited_on: Date,
        posted_on: Option<Date>,
        amount: Decimal,
        document: Option<String>,
    }
}

record! {
    /// The posting-lag estimate: days between the money arriving and the accounting system posting it.
    PostingLag {
        window_start: Date,
        window_end: Date,
        sample_size: usize,
        median_days: u32,
        p95_days: u32,
        max_days: u32,
    }
}

/// Every premises' balance at one (as_of, known_at): a read-only mapping of premises
/// identifier to `Decimal` (positive = owed). Held in Rust; `Decimal`s are made when read.
#[pyclass(frozen, module = "ebok", name = "Balances", mapping)]
pub(crate) struct PyBalances {
    ids: Vec<PremisesId>,
    grosze: Vec<i64>,
}

#[pymethods]
impl PyBalances {
    fn __len__(&self) -> usize {
        self.ids.len()
    }

    fn __contains__(&self, premises: &str) -> bool {
        self.position(premises).is_some()
    }

    fn __getitem__<'py>(&self, py: Python<'py>, premises: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.position(premises) {
            Some(i) => py_money(py, Money::from_grosze(self.grosze[i])),
            None => Err(NotFoundError::new_err(format!(
                "no premises {premises:?} in these balances"
            ))),
        }
    }

    /// The balance of one premises, or `default`.
    #[pyo3(signature = (premises, default=None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        premises: &str,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.position(premises) {
            Some(i) => py_money(py, Money::from_grosze(self.grosze[i])),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.keys(py)?.into_any().try_iter().map(Bound::into_any)
    }

    /// The premises identifiers, in order.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.ids.iter().map(|i| i.as_str()))
    }

    /// The balances, in premises order.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for &g in &self.grosze {
            list.append(py_money(py, Money::from_grosze(g))?)?;
        }
        Ok(list)
    }

    /// (premises, balance) pairs, in premises order.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (id, &g) in self.ids.iter().zip(&self.grosze) {
            list.append((id.as_str(), py_money(py, Money::from_grosze(g))?))?;
        }
        Ok(list)
    }

    /// A plain `dict[str, Decimal]`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (id, &g) in self.ids.iter().zip(&self.grosze) {
            d.set_item(id.as_str(), py_money(py, Money::from_grosze(g))?)?;
        }
        Ok(d)
    }

    /// The balances in grosze (`dict[str, int]`), the cheapest form for numeric work.
    fn to_grosze<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (id, &g) in self.ids.iter().zip(&self.grosze) {
            d.set_item(id.as_str(), g)?;
        }
        Ok(d)
    }

    /// The sum of all balances.
    fn total<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let sum: i128 = self.grosze.iter().map(|&g| i128::from(g)).sum();
        let g = i64::try_from(sum).map_err(|_| value_err("the total overflows"))?;
        py_money(py, Money::from_grosze(g))
    }

    fn __repr__(&self) -> String {
        format!("Balances({} premises)", self.ids.len())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyBalances>()
            .is_ok_and(|o| o.get().ids == self.ids && o.get().grosze == self.grosze)
    }

    /// The balances as an Arrow table (`premises` utf8, `balance` decimal128(18, 2)).
    fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::columnar::table(py, self.record_batch())
    }

    /// The Arrow PyCapsule stream: `pyarrow.table(b)`, `polars.DataFrame(b)` and DuckDB's
    /// `from b` read the balances without a Python object per row.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, pyo3::types::PyCapsule>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::columnar::stream(py, self.record_batch(), requested_schema)
    }
}

impl PyBalances {
    fn record_batch(&self) -> arrow_array::RecordBatch {
        let all: Vec<ebok_core::ledger::PremisesBalance> = self
            .ids
            .iter()
            .zip(&self.grosze)
            .map(|(id, &g)| ebok_core::ledger::PremisesBalance {
                premises: id.clone(),
                balance: ebok_core::ledger::Balance::new(Money::from_grosze(g)),
            })
            .collect();
        ebok_core::columnar::balances_to_arrow(&all)
    }

    fn position(&self, premises: &str) -> Option<usize> {
        self.ids
            .binary_search_by(|id| id.as_str().cmp(premises))
            .ok()
    }
}

/// `ebok.Ledger`: all premises accounts of a cooperative.
#[pyclass(module = "ebok", name = "Ledger")]
pub(crate) struct PyLedger {
    pub(crate) inner: Ledger,
}

/// Reads one entry from a dict or a tuple/list in the order
/// (id, premises, kind, amount, operation_date, component, posted_on, due_date, document).
struct EntryReader<'py> {
    py: Python<'py>,
    premises_cache: Option<(String, PremisesId)>,
    component_cache: BTreeMap<String, Component>,
    document_cache: BTreeMap<String, DocumentRef>,
    /// Dates by object identity: rows often share date objects. The cache holds the objects,
    /// so an identity cannot be reused while it is cached.
    dates: IdentityCache<'py, Date>,
    /// Amounts by object identity, likewise (a monthly charge is often one `Decimal` object).
    amounts: IdentityCache<'py, Money>,
    /// Components by object identity (`None`: the empty string).
    components: IdentityCache<'py, Option<Component>>,
}

/// Values converted from Python objects, by the objects' identity. It holds the objects, so
/// an identity cannot be reused while cached; it forgets everything at 2^12 entries (small
/// enough to stay in the cache of the core: most objects of a large batch are seen once).
struct IdentityCache<'py, T>(
    hashbrown::HashMap<usize, (Bound<'py, PyAny>, T), foldhash::fast::FixedState>,
);

impl<'py, T: Clone> IdentityCache<'py, T> {
    fn new() -> Self {
        IdentityCache(hashbrown::HashMap::with_hasher(
            foldhash::fast::FixedState::with_seed(1),
        ))
    }

    fn get_or(
        &mut self,
        ob: &Bound<'py, PyAny>,
        convert: impl FnOnce(&Bound<'py, PyAny>) -> PyResult<T>,
    ) -> PyResult<T> {
        let key = ob.as_ptr() as usize;
        if let Some((_, v)) = self.0.get(&key) {
            return Ok(v.clone());
        }
        let v = convert(ob)?;
        if self.0.len() >= 1 << 12 {
            self.0.clear();
        }
        self.0.insert(key, (ob.clone(), v.clone()));
        Ok(v)
    }
}

impl<'py> EntryReader<'py> {
    fn new(py: Python<'py>) -> Self {
        EntryReader {
            py,
            premises_cache: None,
            component_cache: BTreeMap::new(),
            document_cache: BTreeMap::new(),
            dates: IdentityCache::new(),
            amounts: IdentityCache::new(),
            components: IdentityCache::new(),
        }
    }

    fn date(&mut self, ob: &Bound<'py, PyAny>, field: &str, row: usize) -> PyResult<Date> {
        self.dates.get_or(ob, |o| date(o, field, Some(row)))
    }

    fn opt_date(
        &mut self,
        ob: Option<&Bound<'py, PyAny>>,
        field: &str,
        row: usize,
    ) -> PyResult<Option<Date>> {
        match ob {
            None => Ok(None),
            Some(o) if o.is_none() => Ok(None),
            Some(o) => self.date(o, field, row).map(Some),
        }
    }
}

const FIELDS: [&str; 9] = [
    "id",
    "premises",
    "kind",
    "amount",
    "operation_date",
    "component",
    "posted_on",
    "due_date",
    "document",
];

impl<'py> EntryReader<'py> {
    /// The row's nine fields (`None` where absent), its shape checked once.
    fn fields(&self, item: &Bound<'py, PyAny>) -> PyResult<[Option<Bound<'py, PyAny>>; 9]> {
        if let Ok(t) = item.cast::<PyTuple>() {
            return Ok(std::array::from_fn(|i| {
                t.get_borrowed_item(i).ok().map(|b| b.to_owned())
            }));
        }
        let mut out: [Option<Bound<'py, PyAny>>; 9] = Default::default();
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = self.field(item, i)?;
        }
        Ok(out)
    }

    fn field(&self, item: &Bound<'py, PyAny>, i: usize) -> PyResult<Option<Bound<'py, PyAny>>> {
        if let Ok(d) = item.cast::<PyDict>() {
            let key = match i {
                0 => intern!(self.py, "id"),
                1 => intern!(self.py, "premises"),
                2 => intern!(self.py, "kind"),
                3 => intern!(self.py, "amount"),
                4 => intern!(self.py, "operation_date"),
                5 => intern!(self.py, "component"),
                6 => intern!(self.py, "posted_on"),
                7 => intern!(self.py, "due_date"),
                _ => intern!(self.py, "document"),
            };
            return d.get_item(key);
        }
        if let Ok(l) = item.cast::<PyList>() {
            return Ok(l.get_item(i).ok());
        }
        Err(PyTypeError::new_err("each entry must be a dict or a tuple"))
    }

    fn read(&mut self, item: &Bound<'py, PyAny>, row: usize) -> PyResult<LedgerEntry> {
        let r = Some(row);
        let req = |v: Option<Bound<'py, PyAny>>, name: &str| {
            v.filter(|x| !x.is_none())
                .ok_or_else(|| invalid(name, r, "None", "is required"))
        };
        let [
            id,
            premises,
            kind,
            amount,
            op,
            component,
            posted,
            due,
            document,
        ] = self.fields(item)?;
        let id = req(id, FIELDS[0])?;
        let premises = req(premises, FIELDS[1])?;
        let kind = req(kind, FIELDS[2])?;
        let amount = req(amount, FIELDS[3])?;
        let op = req(op, FIELDS[4])?;

        let id = EntryId::new(text(&id, "id", r)?)
            .map_err(|e| invalid("id", r, &e.value, &e.problem))?;
        let p = text(&premises, "premises", r)?;
        let premises = match &self.premises_cache {
            Some((s, pid)) if s == p => pid.clone(),
            _ => {
                let pid = PremisesId::new(p).map_err(|e| invalid("premises", r, p, e))?;
                self.premises_cache = Some((p.to_owned(), pid.clone()));
                pid
            }
        };
        let k = text(&kind, "kind", r)?;
        let kind: EntryKind = k
            .parse()
            .map_err(|e: ebok_core::ledger::FieldError| invalid("kind", r, k, &e.problem))?;
        let amount = self.amounts.get_or(&amount, |a| money(a, "amount", r))?;
        let operation_date = self.date(&op, "operation_date", row)?;
        // Components are few, and rows usually share the string object: by identity first.
        let component = match component.filter(|c| !c.is_none()) {
            None => None,
            Some(c) => {
                let cache = &mut self.component_cache;
                self.components.get_or(&c, |o| {
                    Ok(match opt_text(Some(o), "component", r)? {
                        None => None,
                        Some(c) => Some(match cache.get(c) {
                            Some(c) => c.clone(),
                            None => {
                                let comp = Component::new(c)
                                    .map_err(|e| invalid("component", r, c, &e.problem))?;
                                cache.insert(c.to_owned(), comp.clone());
                                comp
                            }
                        }),
                    })
                })?
            }
        };
        let document = match opt_text(document.as_ref(), "document", r)? {
            None => None,
            Some(d) => Some(match self.document_cache.get(d) {
                Some(doc) => doc.clone(),
                None => {
                    let doc =
                        DocumentRef::new(d).map_err(|e| invalid("document", r, d, &e.problem))?;
                    // Document numbers are few (a register's symbols) or all different
                    // (invoice numbers): remember a few hundred.
                    if self.document_cache.len() >= 256 {
                        self.document_cache.clear();
                    }
                    self.document_cache.insert(d.to_owned(), doc.clone());
                    doc
                }
            }),
        };
        let posted_on = self.opt_date(posted.as_ref(), "posted_on", row)?;
        let due_date = self.opt_date(due.as_ref(), "due_date", row)?;
        Ok(LedgerEntry {
            id,
            premises,
            kind,
            amount,
            component,
            operation_date,
            posted_on,
            due_date,
            document,
        })
    }
}

pub(crate) fn month(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<YearMonth> {
    if let Ok(s) = ob.cast::<PyString>() {
        return s.to_str()?.parse().map_err(value_err);
    }
    if let Ok((y, m)) = ob.extract::<(i32, u8)>() {
        return YearMonth::new(y, m).map_err(value_err);
    }
    let d = date(ob, field, None)?;
    Ok(YearMonth::of(d))
}

pub(crate) fn batch_error(py: Python<'_>, e: &ebok_core::ledger::BatchError) -> PyErr {
    let first: Vec<String> = e.rows.iter().take(5).map(ToString::to_string).collect();
    crate::convert::rows_refused(
        py,
        format!("{e}: {}", first.join("; ")),
        e.rows.iter().map(|r| crate::convert::RefusedRow {
            row: r.row,
            key: &r.entry_id,
            field: r.error.field.name(),
            value: &r.error.value,
            reason: r.error.problem.to_string(),
        }),
    )
}

#[pymethods]
impl PyLedger {
    /// An empty ledger.
    #[new]
    fn new() -> Self {
        PyLedger {
            inner: Ledger::new(),
        }
    }

    /// A ledger built from Arrow data (a pyarrow Table, a polars DataFrame, anything with
    /// `__arrow_c_stream__`) with the columns of `to_arrow()`: money as a decimal (floats are
    /// refused), days as date32. All or nothing; every bad row is reported.
    #[staticmethod]
    fn from_arrow(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let batches = crate::columnar::batches(data)?;
        let inner = py
            .detach(|| ebok_core::columnar::ledger_from_arrow(&batches))
            .map_err(|e| crate::columnar::columnar_error(py, e))?;
        Ok(PyLedger { inner })
    }

    /// Every entry as an Arrow table (`id`, `premises`, `kind`, `amount` decimal128(18, 2),
    /// `component`, `operation_date`, `posted_on`, `due_date` date32, `document`).
    fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        let batch = py.detach(|| ebok_core::columnar::entries_to_arrow(inner));
        crate::columnar::table(py, batch)
    }

    /// The Arrow PyCapsule stream of every entry (see `to_arrow`).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, pyo3::types::PyCapsule>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        let batch = py.detach(|| ebok_core::columnar::entries_to_arrow(inner));
        crate::columnar::stream(py, batch, requested_schema)
    }

    /// A ledger built from an iterable of entries (dicts or tuples) in one call.
    #[staticmethod]
    fn from_entries(py: Python<'_>, entries: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mut l = PyLedger::new();
        l.insert_many(py, entries, false)?;
        Ok(l)
    }

    /// Inserts entries (dicts or tuples), all or nothing; returns counts. The identical entry
    /// again is a no-op; the same id with different content is an error unless `replace`.
    #[pyo3(signature = (entries, replace=false))]
    fn insert_many<'py>(
        &mut self,
        py: Python<'py>,
        entries: &Bound<'py, PyAny>,
        replace: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let mut reader = EntryReader::new(py);
        let mut batch = Vec::with_capacity(entries.len().unwrap_or(0));
        let mut problems: Vec<PyErr> = Vec::new();
        for (row, item) in entries.try_iter()?.enumerate() {
            match reader.read(&item?, row) {
                Ok(e) => batch.push(e),
                Err(e)
                    if e.is_instance_of::<crate::convert::InvalidValueError>(py)
                        && problems.len() < 1000 =>
                {
                    problems.push(e)
                }
                Err(e) => return Err(e),
            }
        }
        if !problems.is_empty() {
            let rows: Vec<Vec<(&str, Bound<'_, PyAny>)>> = problems
                .iter()
                .map(|e| {
                    vec![(
                        "reason",
                        PyString::new(py, &e.value(py).to_string()).into_any(),
                    )]
                })
                .collect();
            let message = format!(
                "batch refused: {} bad rows; nothing was changed: {}",
                problems.len(),
                problems
                    .iter()
                    .take(5)
                    .map(|e| e.value(py).to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            return Err(raise_with::<BatchError>(
                py,
                message,
                dict_list(py, rows)?.into_any(),
            ));
        }
        let mode = if replace {
            InsertMode::Replace
        } else {
            InsertMode::Strict
        };
        let inner = &mut self.inner;
        let report = py
            .detach(|| inner.insert_batch(batch, mode))
            .map_err(|e| batch_error(py, &e))?;
        let d = PyDict::new(py);
        d.set_item("inserted", report.inserted)?;
        d.set_item("replaced", report.replaced)?;
        d.set_item("unchanged", report.unchanged)?;
        Ok(d)
    }

    /// Inserts one entry (a dict or a tuple).
    #[pyo3(signature = (entry, replace=false))]
    fn insert<'py>(
        &mut self,
        py: Python<'py>,
        entry: &Bound<'py, PyAny>,
        replace: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let list = PyList::new(py, [entry])?;
        self.insert_many(py, list.as_any(), replace)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Ledger({} entries, {} premises)",
            self.inner.len(),
            self.inner.premises().count()
        )
    }

    /// The premises that have entries, in order.
    fn premises(&self) -> Vec<String> {
        self.inner.premises().map(ToString::to_string).collect()
    }

    /// An entry by id.
    fn get(&self, id: &str) -> PyResult<Option<Entry>> {
        let id = EntryId::new(id).map_err(|e| invalid("id", None, &e.value, &e.problem))?;
        Ok(self.inner.get(&id).as_ref().map(Entry::from))
    }

    /// Removes an entry by id; returns it, or None.
    fn remove(&mut self, id: &str) -> PyResult<Option<Entry>> {
        let id = EntryId::new(id).map_err(|e| invalid("id", None, &e.value, &e.problem))?;
        Ok(self.inner.remove(&id).as_ref().map(Entry::from))
    }

    /// The entries of one premises (or all), by operation date.
    #[pyo3(signature = (premises=None))]
    fn entries(&self, premises: Option<&str>) -> PyResult<Vec<Entry>> {
        Ok(match premises {
            Some(p) => self
                .inner
                .entries(&premises_id(p)?)
                .iter()
                .map(Entry::from)
                .collect(),
            None => self.inner.iter().map(|e| Entry::from(&e)).collect(),
        })
    }

    /// The balance of one premises: entries with operation date <= as_of posted by known_at (None: all posted).
    /// A premises the ledger does not know raises `NotFoundError` (a `KeyError`); a known one with no entries is 0.00.
    #[pyo3(signature = (premises, as_of, known_at=None))]
    fn balance<'py>(
        &self,
        py: Python<'py>,
        premises: &str,
        as_of: &Bound<'py, PyAny>,
        known_at: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let b = self
            .inner
            .balance(
                &premises_id(premises)?,
                date(as_of, "as_of", None)?,
                opt_date(known_at, "known_at", None)?,
            )
            .map_err(|e| NotFoundError::new_err(e.to_string()))?;
        py_money(py, b.amount())
    }

    /// Every premises' balance at (as_of, known_at), as a `Balances` mapping.
    #[pyo3(signature = (as_of, known_at=None))]
    fn balances(
        &self,
        py: Python<'_>,
        as_of: &Bound<'_, PyAny>,
        known_at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyBalances> {
        let (a, k) = (
            date(as_of, "as_of", None)?,
            opt_date(known_at, "known_at", None)?,
        );
        let inner = &self.inner;
        let all = py.detach(|| inner.balances(a, k));
        let (ids, grosze) = all
            .into_iter()
            .map(|b| (b.premises, b.balance.amount().grosze()))
            .unzip();
        Ok(PyBalances { ids, grosze })
    }

    /// The sum of all balances.
    #[pyo3(signature = (as_of, known_at=None))]
    fn total<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
        known_at: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = self
            .inner
            .total(
                date(as_of, "as_of", None)?,
                opt_date(known_at, "known_at", None)?,
            )
            .ok_or_else(|| value_err("the total overflows"))?;
        py_money(py, t)
    }

    /// Monthly statements from `first` to `last` ("YYYY-MM", (year, month) or a date).
    #[pyo3(signature = (premises, first, last, known_at=None))]
    fn statements(
        &self,
        premises: &str,
        first: &Bound<'_, PyAny>,
        last: &Bound<'_, PyAny>,
        known_at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<Statement>> {
        let (f, l) = (month(first, "first")?, month(last, "last")?);
        Ok(self
            .inner
            .statements(
                &premises_id(premises)?,
                f,
                l,
                opt_date(known_at, "known_at", None)?,
            )
            .iter()
            .map(Statement::from)
            .collect())
    }

    /// The statement of one month.
    #[pyo3(signature = (premises, month_, known_at=None))]
    fn statement(
        &self,
        premises: &str,
        month_: &Bound<'_, PyAny>,
        known_at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Statement> {
        let m = month(month_, "month")?;
        Ok(Statement::from(&self.inner.statement(
            &premises_id(premises)?,
            m,
            opt_date(known_at, "known_at", None)?,
        )))
    }

    /// Account lines with a running balance, operation date from `start` (None: the beginning) to `end`.
    #[pyo3(signature = (premises, end, start=None, known_at=None))]
    fn account_lines(
        &self,
        premises: &str,
        end: &Bound<'_, PyAny>,
        start: Option<&Bound<'_, PyAny>>,
        known_at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<AccountLine>> {
        let lines = self.inner.account_lines(
            &premises_id(premises)?,
            opt_date(start, "start", None)?,
            date(end, "end", None)?,
            opt_date(known_at, "known_at", None)?,
        );
        Ok(lines
            .iter()
            .map(|l| AccountLine {
                id: l.id.to_string(),
                kind: l.kind.code().to_owned(),
                operation_date: l.operation_date,
                posted_on: l.posted_on,
                due_date: l.due_date,
                component: l.component.as_ref().map(ToString::to_string),
                document: l.document.as_ref().map(ToString::to_string),
                amount: l.amount.to_decimal(),
                effect: l.effect.to_decimal(),
                running_balance: l.running_balance.amount().to_decimal(),
            })
            .collect())
    }

    /// The payments posted by `known_at`, oldest first.
    #[pyo3(signature = (premises, known_at=None))]
    fn payment_history(
        &self,
        premises: &str,
        known_at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<Payment>> {
        Ok(self
            .inner
            .payment_history(
                &premises_id(premises)?,
                opt_date(known_at, "known_at", None)?,
            )
            .iter()
            .map(|p| Payment {
                id: p.id.to_string(),
                credited_on: p.credited_on,
                posted_on: p.posted_on,
                amount: p.amount.to_decimal(),
                document: p.document.as_ref().map(ToString::to_string),
            })
            .collect())
    }

    /// Entries awaiting posting (never in a balance).
    #[pyo3(signature = (premises, known_at=None))]
    fn pending(&self, premises: &str, known_at: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Entry>> {
        Ok(self
            .inner
            .pending(
                &premises_id(premises)?,
                opt_date(known_at, "known_at", None)?,
            )
            .iter()
            .map(Entry::from)
            .collect())
    }

    /// Entries already posted (by known_at; None: all posted) with an operation date after
    /// `today`: next month's charge booked before the 1st. Known, not yet owed, not pending.
    #[pyo3(signature = (premises, today, known_at=None))]
    fn upcoming(
        &self,
        premises: &str,
        today: &Bound<'_, PyAny>,
        known_at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<Entry>> {
        Ok(self
            .inner
            .upcoming(
                &premises_id(premises)?,
                date(today, "today", None)?,
                opt_date(known_at, "known_at", None)?,
            )
            .iter()
            .map(Entry::from)
            .collect())
    }

    /// The latest posting date held (no later than known_at).
    #[pyo3(signature = (known_at=None))]
    fn freshness(&self, known_at: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Date>> {
        Ok(self.inner.freshness(opt_date(known_at, "known_at", None)?))
    }

    /// The posting-lag estimate from payments posted in the window ending at known_at.
    #[pyo3(signature = (known_at, window_days=90))]
    fn posting_lag(
        &self,
        known_at: &Bound<'_, PyAny>,
        window_days: u32,
    ) -> PyResult<Option<PostingLag>> {
        Ok(self
            .inner
            .posting_lag(date(known_at, "known_at", None)?, window_days)
            .map(|l| PostingLag {
                window_start: l.window_start,
                window_end: l.window_end,
                sample_size: l.sample_size,
                median_days: l.median_days,
                p95_days: l.p95_days,
                max_days: l.max_days,
            }))
    }

    /// Stores the accounting system's allocation of a credit: a list of (debt, part, amount),
    /// part being "principal" or "interest".
    fn set_allocations(
        &mut self,
        credit: &str,
        lines: Vec<(String, String, Bound<'_, PyAny>)>,
    ) -> PyResult<()> {
        let credit =
            EntryId::new(credit).map_err(|e| invalid("credit", None, &e.value, &e.problem))?;
        let mut allocations = Vec::new();
        for (i, (debt, part, amount)) in lines.iter().enumerate() {
            let part = match part.as_str() {
                "principal" => Part::Principal,
                "interest" => Part::Interest,
                other => {
                    return Err(invalid(
                        "part",
                        Some(i),
                        other,
                        "expected principal or interest",
                    ));
                }
            };
            allocations.push(Allocation {
                credit: credit.clone(),
                debt: EntryId::new(debt)
                    .map_err(|e| invalid("debt", Some(i), &e.value, &e.problem))?,
                part,
                amount: money(amount, "amount", Some(i))?,
            });
        }
        self.inner
            .set_allocations(&credit, allocations)
            .map_err(value_err)
    }

    /// Records that the resident designated `credit` for `debt` (KC art. 451 § 1).
    fn designate(&mut self, credit: &str, debt: &str) -> PyResult<()> {
        let c = EntryId::new(credit).map_err(|e| invalid("credit", None, &e.value, &e.problem))?;
        let d = EntryId::new(debt).map_err(|e| invalid("debt", None, &e.value, &e.problem))?;
        self.inner.designate(&c, &d).map_err(value_err)
    }

    /// Open items of a premises as of a day (and as known on a day), under a policy
    /// (default: the 10th, principal only, 365-day basis, the statutory rates).
    #[pyo3(signature = (premises, as_of, known_at=None, policy=None))]
    fn open_items(
        &self,
        premises: &str,
        as_of: &Bound<'_, PyAny>,
        known_at: Option<&Bound<'_, PyAny>>,
        policy: Option<PyRef<'_, crate::settlement::PySettlementPolicy>>,
    ) -> PyResult<crate::settlement::OpenItems> {
        crate::settlement::open_items_of(
            &self.inner,
            premises,
            as_of,
            known_at,
            policy.map(|p| (*p).clone()),
        )
    }

    /// "If you pay on `pay_on`, the interest will be …": principal, interest and total.
    #[pyo3(signature = (premises, as_of, pay_on, known_at=None, policy=None))]
    fn project_interest(
        &self,
        premises: &str,
        as_of: &Bound<'_, PyAny>,
        pay_on: &Bound<'_, PyAny>,
        known_at: Option<&Bound<'_, PyAny>>,
        policy: Option<PyRef<'_, crate::settlement::PySettlementPolicy>>,
    ) -> PyResult<crate::settlement::InterestProjection> {
        crate::settlement::projection_of(
            &self.inner,
            premises,
            as_of,
            pay_on,
            known_at,
            policy.map(|p| (*p).clone()),
        )
    }

    /// Benchmark hook: times `repeat` calls of the core's all-premises balances in Rust (no
    /// Python objects made) and returns the seconds of each, for comparison with `balances`.
    #[pyo3(signature = (as_of, known_at=None, repeat=20))]
    fn _bench_balances_rust(
        &self,
        py: Python<'_>,
        as_of: &Bound<'_, PyAny>,
        known_at: Option<&Bound<'_, PyAny>>,
        repeat: usize,
    ) -> PyResult<Vec<f64>> {
        let (a, k) = (
            date(as_of, "as_of", None)?,
            opt_date(known_at, "known_at", None)?,
        );
        let inner = &self.inner;
        Ok(py.detach(|| {
            (0..repeat)
                .map(|_| {
                    let t = std::time::Instant::now();
                    std::hint::black_box(
                        inner.balances(std::hint::black_box(a), std::hint::black_box(k)),
                    );
                    t.elapsed().as_secs_f64()
                })
                .collect()
        }))
    }

    /// Benchmark hook: times, in Rust, `repeat` runs each of the core's `entries_to_arrow`,
    /// `ledger_from_arrow` of that batch, and `balances` + `balances_to_arrow`; the seconds of
    /// each run, for comparison with the same work called from Python.
    #[pyo3(signature = (as_of, known_at=None, repeat=5))]
    fn _bench_arrow_rust(
        &self,
        py: Python<'_>,
        as_of: &Bound<'_, PyAny>,
        known_at: Option<&Bound<'_, PyAny>>,
        repeat: usize,
    ) -> PyResult<(Vec<f64>, Vec<f64>, Vec<f64>)> {
        let (a, k) = (
            date(as_of, "as_of", None)?,
            opt_date(known_at, "known_at", None)?,
        );
        let inner = &self.inner;
        py.detach(|| {
            let time = |f: &mut dyn FnMut()| {
                (0..repeat)
                    .map(|_| {
                        let t = std::time::Instant::now();
                        f();
                        t.elapsed().as_secs_f64()
                    })
                    .collect::<Vec<f64>>()
            };
            let batch = ebok_core::columnar::entries_to_arrow(inner);
            let out = time(&mut || {
                std::hint::black_box(ebok_core::columnar::entries_to_arrow(inner));
            });
            let mut failed = None;
            let back = time(&mut || {
                if let Err(e) = ebok_core::columnar::ledger_from_arrow(std::slice::from_ref(&batch))
                {
                    failed = Some(e);
                }
            });
            let balances = time(&mut || {
                std::hint::black_box(ebok_core::columnar::balances_to_arrow(
                    &inner.balances(a, k),
                ));
            });
            match failed {
                Some(e) => Err(value_err(e)),
                None => Ok((out, back, balances)),
            }
        })
    }

    /// The stored allocations, as (credit, debt, part, amount) tuples.
    fn allocations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for a in self.inner.allocations() {
            let part = match a.part {
                Part::Principal => "principal",
                Part::Interest => "interest",
            };
            list.append((
                a.credit.as_str(),
                a.debt.as_str(),
                part,
                py_money(py, a.amount)?,
            ))?;
        }
        Ok(list)
    }
}
