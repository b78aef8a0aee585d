//! # ebok-core
//!
//! The domain of an **e-BOK** (Elektroniczne Biuro Obsługi Klienta), the resident
//! self-service portal of Polish housing cooperatives and housing communities, as a pure
//! library: no I/O, no clock, no OS randomness. Dates, `now` and random generators are
//! parameters, so every behaviour is deterministic and testable.
//!
//! | module | concept |
//! |---|---|
//! | [`money`] | exact PLN amounts (grosze), Polish and plain notation |
//! | [`calendar`] | dates and months as the library uses them |
//! | [`premises`] | premises (lokale), login identifiers and the links between them |
//! | [`ledger`] | the premises account: entries, balances with posting lag, statements |
//! | [`settlement`] | due dates (KC art. 115), allocation (art. 451), late interest (art. 481), open items |
//! | [`meters`] | water meters, readings, consumption across replacements, resident readings |
//! | [`access`] | resident access: one-time passwords, lockout, re-issue, block, close; argon2id |
//! | [`cooperative`] | one cooperative's data: registry, ledger, meters, freshness |
//! | [`interchange`] | the snapshot format from the accounting system (ZSI): CSV files, atomic import, report |
//! | [`portal`] | what one resident sees: the e-BOK view of a premises |
//! | [`holders`] | people and premises over time: relations in a role, roles × capabilities |
//! | [`parameters`] | premises parameters as dated values |
//! | [`documents`] | documents' metadata; the fee-change notice check |
//! | [`messages`] | resident-facing language (Polish and English) |
//!
//! Every module has its own precise error; all of them convert into the one [`Error`] (with
//! [`Error::kind`]) for callers who handle them together.
//!
//! ```
//! use ebok_core::ledger::{Ledger, LedgerEntry};
//! use ebok_core::money::Money;
//! use ebok_core::premises::PremisesId;
//! use time::macros::date;
//!
//! let mut ledger = Ledger::new();
//! ledger.insert(LedgerEntry::charge("N1", "0756555", "eksploatacja", Money::parse("114,21")?,
//!     date!(2025 - 05 - 01), date!(2025 - 05 - 10))?.posted(date!(2025 - 05 - 01)))?;
//! let balance = ledger.balance(&PremisesId::new("0756555")?, date!(2025 - 05 - 31), None)?;
//! assert_eq!(balance.polish().to_string(), "zaległość 114,21 zł");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

/// Serializes each type as its `Display` text and deserializes it through its `FromStr`, so a
/// serialized value is checked exactly as typed text is (one rule for every text-like type).
macro_rules! serde_as_text {
    ($($t:ty),+ $(,)?) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(deserializer)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    )+};
}

pub mod access;
pub mod bank;
pub mod calendar;
#[cfg(feature = "arrow")]
pub mod columnar;
pub mod cooperative;
pub mod documents;
mod error;
pub mod holders;
pub mod interchange;
pub mod ledger;
pub mod messages;
pub mod meters;
pub mod money;
mod parallel;
pub mod parameters;
pub mod portal;
pub mod premises;
pub mod settlement;
#[cfg(feature = "synthetic")]
pub mod synthetic;

pub use error::{Error, ErrorKind, Result};
