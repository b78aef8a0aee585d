//! Python bindings of ebok (`import ebok`): a thin layer that converts and delegates to
//! `ebok-core`. Money is `decimal.Decimal` both ways (floats are refused), dates are
//! `datetime.date`, instants are timezone-aware `datetime.datetime`; every error is an
//! `ebok.EbokError` that also inherits the fitting built-in exception.
#![forbid(unsafe_code)]

/// The extension's allocator: the library allocates many short strings when it reads bank
/// statements and snapshots, and mimalloc serves them 1.5–2× faster than glibc malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod access;
mod bank;
mod columnar;
mod convert;
mod ledger;
mod meters;
mod settlement;
mod snapshot;
mod statements;

/// Defines a frozen record class with value equality, a readable `repr` and `to_dict()`.
#[macro_export]
macro_rules! record {
    ($(#[$doc:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[pyo3::pyclass(frozen, eq, get_all, module = "ebok")]
        #[derive(Clone, PartialEq)]
        pub(crate) struct $name {
            $(pub(crate) $field: $ty),*
        }

        #[pyo3::pymethods]
        impl $name {
            fn __repr__(&self, py: pyo3::Python<'_>) -> pyo3::PyResult<String> {
                use pyo3::types::PyAnyMethods;
                let mut parts: Vec<String> = Vec::new();
                $(
                    let value = pyo3::IntoPyObjectExt::into_bound_py_any(self.$field.clone(), py)?;
                    parts.push(format!("{}={}", stringify!($field), value.repr()?));
                )*
                Ok(format!("{}({})", stringify!($name), parts.join(", ")))
            }

            /// The record as a plain dict.
            fn to_dict<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::types::PyDict>> {
                use pyo3::types::PyDictMethods;
                let d = pyo3::types::PyDict::new(py);
                $( d.set_item(stringify!($field), self.$field.clone())?; )*
                Ok(d)
            }
        }
    };
}

/// The Python module `ebok._ebok`.
#[pyo3::pymodule(gil_used = false)]
mod _ebok {
    use pyo3::prelude::*;

    #[pymodule_export]
    use crate::access::{
        PyAccount, PyAuthenticator, PySecret, PyTransition, overdue_activations, parse_unblock_sms,
    };
    #[pymodule_export]
    use crate::bank::{
        PaymentCode, PyVirtualAccountScheme, Transfer, format_nrb, parse_payment_code,
        payment_code, qr_svg, transfer,
    };
    #[pymodule_export]
    use crate::ledger::{AccountLine, Entry, Payment, PostingLag, PyBalances, PyLedger, Statement};
    #[pymodule_export]
    use crate::meters::{
        Consumption, ConsumptionPart, Meter, PyMeterBook, Reading, Verdict, estimate_from_average,
        legalization_valid_through,
    };
    #[pymodule_export]
    use crate::settlement::{
        Interest, InterestProjection, InterestSegment, OpenItem, OpenItems, PyRateTable,
        PySettlementPolicy, allocate_payment, effective_due_date, is_public_holiday, late_interest,
    };
    #[pymodule_export]
    use crate::snapshot::{PyCooperative, import_snapshot};
    #[pymodule_export]
    use crate::statements::{
        BankBalance, BankEntry, BankMatch, BankStatement, PendingPayment, PyStatementFile,
        read_statement,
    };

    /// The version of the ebok library.
    #[pyfunction]
    fn version() -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    /// The rules of using the e-BOK in the resident's words; `language` is "pl" or "en".
    #[pyfunction]
    #[pyo3(signature = (language="pl"))]
    fn terms_of_use(language: &str) -> PyResult<Vec<&'static str>> {
        let l = match language {
            "pl" => ebok_core::messages::Language::Polish,
            "en" => ebok_core::messages::Language::English,
            other => {
                return Err(crate::convert::PolicyError::new_err(format!(
                    "language {other:?}: expected pl or en"
                )));
            }
        };
        Ok(ebok_core::messages::terms_of_use(l).to_vec())
    }
}
