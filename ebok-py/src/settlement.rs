//! Settlements: due dates, late interest, the rate table, allocation, open items.

use ebok_core::calendar::YearMonth;
use ebok_core::ledger::{EntryId, Part};
use ebok_core::premises::PremisesId;
use ebok_core::settlement::allocation::{AllocationOrder, Debt, allocate_payment as core_allocate};
use ebok_core::settlement::interest::{DayBasis, RateTable};
use ebok_core::settlement::{
    DueDay, SettlementPolicy, effective_due_date as core_effective, late_interest as core_interest,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rust_decimal::Decimal;
use time::Date;

use crate::convert::{PolicyError, date, invalid, money, opt_date, py_money, value_err};
use crate::record;

/// `ebok.RateTable`: the dated table of statutory late-interest rates (percent per year).
/// Ships with the law's table; replace or extend it at run time.
#[pyclass(frozen, module = "ebok", name = "RateTable", eq)]
#[derive(Clone, PartialEq)]
pub(crate) struct PyRateTable {
    pub(crate) inner: RateTable,
}

#[pymethods]
impl PyRateTable {
    /// The statutory table shipped with the library.
    #[staticmethod]
    fn statutory() -> Self {
        PyRateTable {
            inner: RateTable::statutory(),
        }
    }

    /// A table from text: one `YYYY-MM-DD;rate` row per line.
    #[staticmethod]
    fn parse(text: &str) -> PyResult<Self> {
        Ok(PyRateTable {
            inner: RateTable::parse(text).map_err(value_err)?,
        })
    }

    /// A table from (effective_from, rate percent) pairs.
    #[staticmethod]
    fn from_rows(rows: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)>) -> PyResult<Self> {
        let mut t = RateTable::default();
        for (i, (d, r)) in rows.iter().enumerate() {
            let rate: Decimal = money_like_rate(r, i)?;
            t = t
                .with_rate(date(d, "effective_from", Some(i))?, rate)
                .map_err(value_err)?;
        }
        Ok(PyRateTable { inner: t })
    }

    /// The same table with one more rate from `effective_from`.
    fn with_rate(
        &self,
        effective_from: &Bound<'_, PyAny>,
        rate: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let r = money_like_rate(rate, 0)?;
        Ok(PyRateTable {
            inner: self
                .inner
                .clone()
                .with_rate(date(effective_from, "effective_from", None)?, r)
                .map_err(value_err)?,
        })
    }

    /// The rate in force on a day, or None before the first row.
    fn rate_on(&self, day: &Bound<'_, PyAny>) -> PyResult<Option<Decimal>> {
        Ok(self.inner.rate_on(date(day, "day", None)?))
    }

    /// The rows as (effective_from, rate) pairs.
    fn rows(&self) -> Vec<(Date, Decimal)> {
        self.inner.rows()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!("RateTable({} rates)", self.inner.len())
    }
}

fn money_like_rate(ob: &Bound<'_, PyAny>, row: usize) -> PyResult<Decimal> {
    if ob.is_instance_of::<pyo3::types::PyFloat>() {
        return Err(crate::convert::FloatNotAllowedError::new_err(format!(
            "field rate (row {row}): a float is not exact; use decimal.Decimal"
        )));
    }
    let s = ob.str()?.to_string();
    s.replace(',', ".")
        .parse::<Decimal>()
        .map_err(|_| invalid("rate", Some(row), &s, "not a number"))
}

fn basis(b: &str) -> PyResult<DayBasis> {
    match b {
        "365" | "days365" => Ok(DayBasis::Days365),
        "actual" | "366" => Ok(DayBasis::Actual),
        other => Err(PolicyError::new_err(format!(
            "day basis {other:?}: expected \"365\" or \"actual\""
        ))),
    }
}

fn order(o: &str) -> PyResult<AllocationOrder> {
    match o {
        "principal_only" => Ok(AllocationOrder::PrincipalOnly),
        "interest_first" => Ok(AllocationOrder::InterestFirst),
        other => Err(PolicyError::new_err(format!(
            "allocation order {other:?}: expected \"principal_only\" or \"interest_first\""
        ))),
    }
}

fn due_day(ob: &Bound<'_, PyAny>) -> PyResult<DueDay> {
    if let Ok(d) = ob.extract::<u8>() {
        return DueDay::day(d).map_err(|e| PolicyError::new_err(e.to_string()));
    }
    ob.str()?
        .to_str()?
        .parse()
        .map_err(|e: ebok_core::settlement::SettlementError| PolicyError::new_err(e.to_string()))
}

/// `ebok.SettlementPolicy`: the due day, the allocation order, the day basis and the rates.
#[pyclass(frozen, module = "ebok", name = "SettlementPolicy")]
#[derive(Clone)]
pub(crate) struct PySettlementPolicy {
    pub(crate) inner: SettlementPolicy,
}

#[pymethods]
impl PySettlementPolicy {
    #[new]
    #[pyo3(signature = (due_day=None, order="principal_only", basis="365", rates=None))]
    fn new(
        due_day: Option<&Bound<'_, PyAny>>,
        order: &str,
        basis: &str,
        rates: Option<PyRef<'_, PyRateTable>>,
    ) -> PyResult<Self> {
        Ok(PySettlementPolicy {
            inner: SettlementPolicy {
                due_day: due_day.map(self::due_day).transpose()?.unwrap_or_default(),
                order: self::order(order)?,
                basis: self::basis(basis)?,
                rates: rates.map_or_else(RateTable::statutory, |r| r.inner.clone()),
            },
        })
    }

    /// The due date of a month after the KC art. 115 shift.
    fn due_date(&self, year: i32, month: u8) -> PyResult<Date> {
        self.inner
            .due_day
            .effective(YearMonth::new(year, month).map_err(value_err)?)
            .map_err(value_err)
    }

    fn __repr__(&self) -> String {
        format!(
            "SettlementPolicy(due_day={}, order={:?}, basis={:?}, rates={} rows)",
            self.inner.due_day,
            self.inner.order,
            self.inner.basis,
            self.inner.rates.len()
        )
    }
}

record! {
    /// One constant-rate stretch of an interest computation (`exact` is not rounded).
    InterestSegment {
        first_day: Date,
        last_day: Date,
        days: u32,
        rate_percent: Decimal,
        exact: Decimal,
    }
}

record! {
    /// Statutory late interest on one amount.
    Interest {
        principal: Decimal,
        effective_due: Date,
        paid_on: Date,
        days: u32,
        segments: Vec<InterestSegment>,
        total: Decimal,
    }
}

/// Statutory late interest (KC art. 481) on `principal` due on `effective_due` and paid on `paid_on`.
#[pyfunction]
#[pyo3(signature = (principal, effective_due, paid_on, rates=None, basis="365"))]
pub(crate) fn late_interest(
    principal: &Bound<'_, PyAny>,
    effective_due: &Bound<'_, PyAny>,
    paid_on: &Bound<'_, PyAny>,
    rates: Option<PyRef<'_, PyRateTable>>,
    basis: &str,
) -> PyResult<Interest> {
    let table = rates.map_or_else(RateTable::statutory, |r| r.inner.clone());
    let i = core_interest(
        money(principal, "principal", None)?,
        date(effective_due, "effective_due", None)?,
        date(paid_on, "paid_on", None)?,
        &table,
        self::basis(basis)?,
    )
    .map_err(value_err)?;
    Ok(Interest {
        principal: i.principal.to_decimal(),
        effective_due: i.effective_due,
        paid_on: i.paid_on,
        days: i.days,
        segments: i
            .segments
            .iter()
            .map(|s| InterestSegment {
                first_day: s.first_day,
                last_day: s.last_day,
                days: s.days,
                rate_percent: s.rate_percent,
                exact: s.exact,
            })
            .collect(),
        total: i.total.to_decimal(),
    })
}

/// The effective due date of a nominal one (KC art. 115: Saturdays, Sundays and holidays move it).
#[pyfunction]
pub(crate) fn effective_due_date(nominal: &Bound<'_, PyAny>) -> PyResult<Date> {
    core_effective(date(nominal, "nominal", None)?).map_err(value_err)
}

/// Whether a day is a Polish statutory public holiday (Sundays included); a day before
/// 1990-01-01 raises `InvalidValueError`.
#[pyfunction]
pub(crate) fn is_public_holiday(day: &Bound<'_, PyAny>) -> PyResult<bool> {
    ebok_core::settlement::holidays::is_public_holiday(date(day, "day", None)?).map_err(value_err)
}

/// One debt given to `allocate_payment`: (id, due, principal, interest), `due` the nominal
/// due date.
type DebtInput<'py> = (
    String,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
);

/// Allocates one payment to debts under KC art. 451. `debts` is a list of
/// (id, due, principal, interest) with the nominal due date (a debt is matured on it, even
/// when art. 115 moves the last day to pay); returns the allocation lines, what each debt
/// still owes, and the credit left.
#[pyfunction]
#[pyo3(signature = (debts, payment_id, amount, paid_on, designated=None, order="principal_only"))]
pub(crate) fn allocate_payment<'py>(
    py: Python<'py>,
    debts: Vec<DebtInput<'py>>,
    payment_id: &str,
    amount: &Bound<'py, PyAny>,
    paid_on: &Bound<'py, PyAny>,
    designated: Option<&str>,
    order: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let mut ds = Vec::new();
    for (i, (id, due, principal, interest)) in debts.iter().enumerate() {
        let due_day = date(due, "due", Some(i))?;
        ds.push(
            Debt::new(
                EntryId::new(id).map_err(|e| invalid("id", Some(i), &e.value, &e.problem))?,
                due_day,
                money(principal, "principal", Some(i))?,
                money(interest, "interest", Some(i))?,
            )
            .map_err(|e| invalid("due", Some(i), due_day, e))?,
        );
    }
    let pid =
        EntryId::new(payment_id).map_err(|e| invalid("payment_id", None, &e.value, &e.problem))?;
    let target = designated
        .map(|d| EntryId::new(d).map_err(|e| invalid("designated", None, &e.value, &e.problem)))
        .transpose()?;
    let r = core_allocate(
        &mut ds,
        &pid,
        money(amount, "amount", None)?,
        date(paid_on, "paid_on", None)?,
        target.as_ref(),
        self::order(order)?,
    );
    let out = PyDict::new(py);
    let lines = PyList::empty(py);
    for l in &r.lines {
        let part = match l.part {
            Part::Principal => "principal",
            Part::Interest => "interest",
        };
        lines.append((l.debt.as_str(), part, py_money(py, l.amount)?))?;
    }
    out.set_item("lines", lines)?;
    let owed = PyDict::new(py);
    for d in &ds {
        owed.set_item(
            d.id.as_str(),
            (py_money(py, d.principal)?, py_money(py, d.interest)?),
        )?;
    }
    out.set_item("owed", owed)?;
    out.set_item("credit_left", py_money(py, r.credit_left)?)?;
    Ok(out)
}

record! {
    /// One unpaid (or partly paid) debt.
    OpenItem {
        id: String,
        kind: String,
        component: Option<String>,
        operation_date: Date,
        due_date: Option<Date>,
        effective_due: Date,
        original: Decimal,
        outstanding: Decimal,
        overdue_since: Option<Date>,
        days_overdue: u32,
        interest: Decimal,
    }
}

record! {
    /// Open items, arrears, unused credit and interest of a premises.
    OpenItems {
        premises: String,
        as_of: Date,
        known_at: Option<Date>,
        items: Vec<OpenItem>,
        arrears: Decimal,
        not_yet_due: Decimal,
        oldest_overdue: Option<Date>,
        unused_credit: Decimal,
        interest_total: Decimal,
    }
}

record! {
    /// "If you pay on this day": principal, interest, and the total after credit.
    InterestProjection {
        pay_on: Date,
        principal: Decimal,
        interest: Decimal,
        total: Decimal,
    }
}

pub(crate) fn policy_or_default(policy: Option<PySettlementPolicy>) -> SettlementPolicy {
    policy.map_or_else(SettlementPolicy::default, |p| p.inner)
}

/// Open items of a premises as of a day (and as known on a day), under a policy.
pub(crate) fn open_items_of(
    ledger: &ebok_core::ledger::Ledger,
    premises: &str,
    as_of: &Bound<'_, PyAny>,
    known_at: Option<&Bound<'_, PyAny>>,
    policy: Option<PySettlementPolicy>,
) -> PyResult<OpenItems> {
    let p = PremisesId::new(premises).map_err(|e| invalid("premises", None, premises, e))?;
    let o = ebok_core::settlement::open_items(
        ledger,
        &p,
        date(as_of, "as_of", None)?,
        opt_date(known_at, "known_at", None)?,
        &policy_or_default(policy),
    )
    .map_err(value_err)?;
    Ok(OpenItems {
        premises: o.premises.to_string(),
        as_of: o.as_of,
        known_at: o.known_at,
        items: o
            .items
            .iter()
            .map(|i| OpenItem {
                id: i.id.to_string(),
                kind: i.kind.code().to_owned(),
                component: i.component.as_ref().map(ToString::to_string),
                operation_date: i.operation_date,
                due_date: i.due_date,
                effective_due: i.effective_due,
                original: i.original.to_decimal(),
                outstanding: i.outstanding.to_decimal(),
                overdue_since: i.overdue_since,
                days_overdue: i.days_overdue,
                interest: i.interest.to_decimal(),
            })
            .collect(),
        arrears: o.arrears.to_decimal(),
        not_yet_due: o.not_yet_due.to_decimal(),
        oldest_overdue: o.oldest_overdue,
        unused_credit: o.unused_credit.to_decimal(),
        interest_total: o.interest_total.to_decimal(),
    })
}

/// What settling every open item would cost if paid on `pay_on`.
pub(crate) fn projection_of(
    ledger: &ebok_core::ledger::Ledger,
    premises: &str,
    as_of: &Bound<'_, PyAny>,
    pay_on: &Bound<'_, PyAny>,
    known_at: Option<&Bound<'_, PyAny>>,
    policy: Option<PySettlementPolicy>,
) -> PyResult<InterestProjection> {
    let p = PremisesId::new(premises).map_err(|e| invalid("premises", None, premises, e))?;
    let r = ebok_core::settlement::project_interest(
        ledger,
        &p,
        date(as_of, "as_of", None)?,
        opt_date(known_at, "known_at", None)?,
        date(pay_on, "pay_on", None)?,
        &policy_or_default(policy),
    )
    .map_err(value_err)?;
    Ok(InterestProjection {
        pay_on: r.pay_on,
        principal: r.principal.to_decimal(),
        interest: r.interest.to_decimal(),
        total: r.total.to_decimal(),
    })
}
