//! Mobile bindings of ebok (uniffi → Kotlin and Swift): a thin layer that converts and delegates to `ebok-core`.
#![forbid(unsafe_code)]

uniffi::setup_scaffolding!();

/// The version of the ebok library.
#[uniffi::export]
pub fn ebok_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
