//! Mobile bindings of ebok (uniffi → Kotlin and Swift): a thin layer that converts and
//! delegates to `ebok-core`, which stays free of uniffi.
//!
//! - [`Portal`]: one cooperative's data and the resident's calls: the view of a premises
//!   (balance with freshness, arrears and interest, statements, account lines, payments,
//!   pending entries, meters and water), consumption, submitting a reading; each answered
//!   only within the login's relations to the premises and their days.
//! - [`ResidentSlice`]: everything one login may see, for offline use, read back from the
//!   JSON or CBOR a host sends ([`read_resident_slice_json`], [`read_resident_slice_cbor`]).
//! - [`Authenticator`]: the login state machine with `now`; the account state as a typed
//!   [`StoredAccount`], effects as typed values; `login_async` and friends (`background.rs`) run
//!   the argon2id evaluation on a thread of their own (Kotlin `suspend`, Swift `async`).
//! - [`late_interest`], [`effective_due_date`]: settlement arithmetic.
//! - [`EbokError`]: the one public error, mapped from the core's in `error.rs`.
//!
//! Money and measures cross as decimal strings and become `BigDecimal` / `Decimal`; calendar
//! dates cross as ISO strings and become `LocalDate` / `DateComponents` (see `uniffi.toml`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

uniffi::setup_scaffolding!();

mod access;
mod background;
mod bank;
mod error;
mod holders;
mod kinds;
mod portal;
mod records;
mod settlement;
mod statements;
mod types;

pub use access::{
    AccessEffect, AccessSettings, AccessTransition, AccountStatus, AuditRecord, Authenticator,
    DeliveryChannel, DeliveryTarget, LoginResult, SecretText, StoredAccount,
};
pub use bank::{PaymentCodeFields, PaymentCodeOut, format_nrb, parse_payment_code, payment_code};
pub use error::{EbokError, PasswordProblem, RowProblem, SnapshotProblem};
pub use holders::{
    Capability, DocumentInfo, HolderChangeSummary, HolderInput, ParameterInfo, PremisesSlice,
    RelationInfo, ResidentSlice, Role, read_resident_slice_cbor, read_resident_slice_json,
};
pub use kinds::{
    AuditKind, DocumentKind, EntryKind, NoticeKind, ParameterKind, PremisesKind, ReadingSource,
    RecordType, SnapshotKind,
};
pub use portal::{
    EntryInput, ImportSummary, MeterInput, Portal, PostSummary, PremisesInput, TransferInfo,
    portal_from_snapshot_async,
};
pub use records::*;
pub use settlement::{InterestSegment, LateInterest, effective_due_date, late_interest};
// `terms_of_use` comes with `records::*`.
pub use statements::{
    BankBalance, BankEntry, BankImportSummary, BankPendingPayment, BankStatement, EntrySide,
    StatementDialect, StatementEncoding, StatementFile, StatementFormat, UnresolvedPayment,
    VirtualAccountInput, read_statement,
};
pub use types::{CalendarDate, Measure, Money};

/// The version of the ebok library.
///
/// ```
/// assert!(!ebok_ffi::ebok_version().is_empty());
/// ```
#[uniffi::export]
pub fn ebok_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
