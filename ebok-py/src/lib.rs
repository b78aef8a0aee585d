//! Python bindings of ebok: a thin layer that converts and delegates to `ebok-core`.
#![forbid(unsafe_code)]

/// The Python module `ebok._ebok`.
#[pyo3::pymodule(gil_used = false)]
mod _ebok {
    use pyo3::prelude::*;

    /// The version of the ebok library.
    #[pyfunction]
    fn version() -> &'static str {
        env!("CARGO_PKG_VERSION")
    }
}
