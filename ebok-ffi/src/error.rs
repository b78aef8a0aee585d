//! The one public error of the mobile surface, and the one place the core's errors are
//! mapped to it. In Kotlin it is the sealed class `EbokException`; in Swift `EbokError`.

use ebok_core::access::{AccessError, PasswordChangeError};
use ebok_core::interchange::ImportError;
use ebok_core::ledger::{BatchError, FieldError};
use ebok_core::messages::Language;

/// One bad row of a batch (błędny wiersz).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RowProblem {
    /// The row's position in the batch, from 0.
    pub row: i64,
    /// The field at fault.
    pub field: String,
    /// The value given (truncated).
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

/// One problem of a snapshot from the accounting system.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SnapshotProblem {
    /// The file.
    pub file: String,
    /// The line, from 1 (0: the file as a whole).
    pub line: i64,
    /// The column, if one is at fault.
    pub column: Option<String>,
    /// The value given (truncated).
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

/// Why a new password was refused, as a code and in the resident's words.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PasswordProblem {
    /// A stable code (`too_short`, `too_long`, `blocklisted`, `same_as_current`, …).
    pub code: String,
    /// The message for the resident in Polish.
    pub message_pl: String,
    /// The message in English.
    pub message_en: String,
}

/// Every failure of the mobile surface. Nothing is changed when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum EbokError {
    /// A value was refused: which field, which row of a batch, which value and why.
    #[error("{field}{}: {value:?} {reason}", row.map(|r| format!(" (row {r})")).unwrap_or_default())]
    InvalidInput {
        /// The field.
        field: String,
        /// The row of a batch, if any.
        row: Option<i64>,
        /// The value given (truncated).
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A batch was refused as a whole; every bad row is listed.
    #[error("batch refused, nothing was changed: {} bad rows", problems.len())]
    BatchRefused {
        /// The bad rows.
        problems: Vec<RowProblem>,
    },
    /// A snapshot was refused as a whole; every problem is listed.
    #[error("snapshot refused, nothing was changed: {} problems", problems.len())]
    SnapshotRefused {
        /// The problems.
        problems: Vec<SnapshotProblem>,
    },
    /// There is no such thing for this login (an unknown premises and one the login does not
    /// reach look the same).
    #[error("not found: {what}")]
    NotFound {
        /// What was looked for.
        what: String,
    },
    /// The account cannot do this now (closed, blocked, the policy is invalid …).
    #[error("access refused: {reason}")]
    AccessRefused {
        /// Why.
        reason: String,
    },
    /// A new password was refused; the reasons are for the resident.
    #[error("the new password was refused: {} reasons", reasons.len())]
    PasswordRefused {
        /// The reasons.
        reasons: Vec<PasswordProblem>,
    },
    /// A bank statement file could not be read: where (a line or an XML path) and why.
    #[error("statement unreadable at {location}: {reason}")]
    StatementUnreadable {
        /// `line 6` or an XML path.
        location: String,
        /// What is wrong.
        reason: String,
    },
    /// The library could not do the work (a worker thread could not start, or an internal
    /// error stopped it); nothing was changed.
    #[error("internal error: {reason}")]
    Internal {
        /// Why.
        reason: String,
    },
    /// A statement entry is already in the bank book with other content; nothing was imported.
    #[error("bank entry {key} already imported with a different {field}")]
    BankConflict {
        /// `account/bank reference`.
        key: String,
        /// The first field that differs.
        field: String,
    },
}

impl EbokError {
    pub(crate) fn invalid(field: &str, value: &str, reason: impl ToString) -> EbokError {
        EbokError::InvalidInput {
            field: field.to_owned(),
            row: None,
            value: value.chars().take(64).collect(),
            reason: reason.to_string(),
        }
    }

    pub(crate) fn not_found(what: impl Into<String>) -> EbokError {
        EbokError::NotFound { what: what.into() }
    }
}

fn row(r: usize) -> i64 {
    i64::try_from(r).unwrap_or(i64::MAX)
}

impl From<FieldError> for EbokError {
    fn from(e: FieldError) -> Self {
        EbokError::invalid(e.field.name(), &e.value, &e.problem)
    }
}

impl From<BatchError> for EbokError {
    fn from(e: BatchError) -> Self {
        EbokError::BatchRefused {
            problems: e
                .rows
                .into_iter()
                .map(|r| RowProblem {
                    row: row(r.row),
                    field: r.error.field.name().to_owned(),
                    value: r.error.value,
                    reason: r.error.problem.to_string(),
                })
                .collect(),
        }
    }
}

impl From<ImportError> for EbokError {
    fn from(e: ImportError) -> Self {
        EbokError::SnapshotRefused {
            problems: e
                .issues
                .into_iter()
                .map(|i| SnapshotProblem {
                    file: i.file,
                    line: i64::try_from(i.line).unwrap_or(i64::MAX),
                    column: i.column,
                    value: i.value,
                    reason: i.reason,
                })
                .collect(),
        }
    }
}

impl From<AccessError> for EbokError {
    fn from(e: AccessError) -> Self {
        match e {
            AccessError::InvalidContact { .. } => EbokError::invalid("contact", "", e),
            _ => EbokError::AccessRefused {
                reason: e.to_string(),
            },
        }
    }
}

impl From<PasswordChangeError> for EbokError {
    fn from(e: PasswordChangeError) -> Self {
        match e {
            PasswordChangeError::Rejected(reasons) => EbokError::PasswordRefused {
                reasons: reasons
                    .iter()
                    .map(|r| PasswordProblem {
                        code: r.code().to_owned(),
                        message_pl: r.message(Language::Polish),
                        message_en: r.message(Language::English),
                    })
                    .collect(),
            },
            PasswordChangeError::Access(a) => a.into(),
            // NotAllowed, WrongCurrent and any later refusal.
            other => EbokError::AccessRefused {
                reason: other.to_string(),
            },
        }
    }
}

impl From<ebok_core::bank::statement::StatementError> for EbokError {
    fn from(e: ebok_core::bank::statement::StatementError) -> Self {
        let location = match (e.line(), e.xml_path()) {
            (Some(line), _) => format!("line {line}"),
            (None, Some(path)) => path.to_owned(),
            (None, None) => "file".to_owned(),
        };
        EbokError::StatementUnreadable {
            location,
            reason: e.to_string(),
        }
    }
}

impl From<ebok_core::bank::BankImportError> for EbokError {
    fn from(e: ebok_core::bank::BankImportError) -> Self {
        match e {
            ebok_core::bank::BankImportError::Conflict { key, field } => EbokError::BankConflict {
                key: key.to_string(),
                field,
            },
            other => EbokError::invalid("statement", "", other),
        }
    }
}

impl From<ebok_core::ledger::UnknownPremises> for EbokError {
    fn from(e: ebok_core::ledger::UnknownPremises) -> Self {
        EbokError::not_found(e.to_string())
    }
}

macro_rules! invalid_from {
    ($($ty:ty => $field:literal),* $(,)?) => {$(
        impl From<$ty> for EbokError {
            fn from(e: $ty) -> Self {
                EbokError::invalid($field, "", e)
            }
        }
    )*};
}

invalid_from! {
    ebok_core::premises::PremisesError => "premises",
    ebok_core::meters::MeterError => "meter",
    ebok_core::settlement::SettlementError => "settlement",
    ebok_core::money::MoneyError => "money",
}

impl From<ebok_core::portal::ScopeError> for EbokError {
    fn from(e: ebok_core::portal::ScopeError) -> Self {
        use ebok_core::portal::ScopeError;
        match e {
            ScopeError::NotFound => EbokError::not_found("premises for this login".to_owned()),
            ScopeError::Settlement(s) => s.into(),
            ScopeError::Holder(h) => EbokError::invalid("holder", "", h),
            ScopeError::UnknownPremises { premises } => {
                EbokError::not_found(format!("premises {premises:?}"))
            }
            other => EbokError::invalid("scope", "", other),
        }
    }
}

impl From<ebok_core::holders::HolderError> for EbokError {
    fn from(e: ebok_core::holders::HolderError) -> Self {
        EbokError::invalid("holder", "", e)
    }
}
