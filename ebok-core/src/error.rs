//! One error type for callers who handle ebok's errors without naming each module's.
//!
//! Every module keeps its own precise error (the field, the row, the value, the reason); each
//! converts into [`Error`] with `?`, and [`Error::kind`] sorts them into the few cases a caller
//! acts on differently. The module errors stay reachable through the variants.
//!
//! ```
//! use ebok_core::money::Money;
//! use ebok_core::premises::PremisesId;
//! use ebok_core::{Error, ErrorKind};
//!
//! fn parse(amount: &str, premises: &str) -> Result<(Money, PremisesId), Error> {
//!     Ok((Money::parse(amount)?, PremisesId::new(premises)?))
//! }
//! let e = parse("1,005", "0756555").unwrap_err();
//! assert_eq!(e.kind(), ErrorKind::InvalidInput);
//! assert!(matches!(e, Error::Money(_)));
//! assert!(e.to_string().contains("1,005"));
//! ```

use crate::access::{AccessError, PasswordChangeError, SmsParseError};
use crate::bank::statement::StatementError;
use crate::bank::{BankImportError, CodeError, NrbError, QrError, RegisterError};
use crate::calendar::DateError;
use crate::documents::DocumentError;
use crate::holders::HolderError;
use crate::interchange::ImportError;
use crate::ledger::{AllocationError, BatchError, ChangeError, FieldError, UnknownPremises};
use crate::meters::MeterError;
use crate::money::MoneyError;
use crate::parameters::ParameterError;
use crate::portal::{ScopeError, SliceError};
use crate::premises::PremisesError;
use crate::settlement::SettlementError;

/// Any error of ebok, wrapping the module's own error unchanged.
///
/// ```
/// use ebok_core::Error;
/// let e: Error = ebok_core::calendar::parse_date("2025-02-30").unwrap_err().into();
/// assert!(matches!(e, Error::Date(_)));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An amount ([`crate::money`]).
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// A date ([`crate::calendar`]).
    #[error(transparent)]
    Date(#[from] DateError),
    /// A premises, login identifier or area ([`crate::premises`]).
    #[error(transparent)]
    Premises(#[from] PremisesError),
    /// A field of a ledger entry.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// A batch of entries refused as a whole.
    #[error(transparent)]
    Batch(#[from] BatchError),
    /// A premises the ledger does not know.
    #[error(transparent)]
    UnknownPremises(#[from] UnknownPremises),
    /// An allocation or designation.
    #[error(transparent)]
    Allocation(#[from] AllocationError),
    /// A ledger change refused as a whole.
    #[error(transparent)]
    Change(#[from] ChangeError),
    /// A settlement that cannot be computed honestly.
    #[error(transparent)]
    Settlement(#[from] SettlementError),
    /// A meter or reading.
    #[error(transparent)]
    Meter(#[from] MeterError),
    /// Resident access.
    #[error(transparent)]
    Access(#[from] AccessError),
    /// A password change.
    #[error(transparent)]
    PasswordChange(#[from] PasswordChangeError),
    /// An unblock request text.
    #[error(transparent)]
    UnblockSms(#[from] SmsParseError),
    /// A snapshot refused as a whole.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// An account number.
    #[error(transparent)]
    Nrb(#[from] NrbError),
    /// A payment code.
    #[error(transparent)]
    PaymentCode(#[from] CodeError),
    /// A QR picture.
    #[error(transparent)]
    Qr(#[from] QrError),
    /// The register of virtual accounts.
    #[error(transparent)]
    Register(#[from] RegisterError),
    /// A bank statement that cannot be read.
    #[error(transparent)]
    Statement(#[from] StatementError),
    /// A bank statement import refused as a whole.
    #[error(transparent)]
    BankImport(#[from] BankImportError),
    /// A relation, role or capability table.
    #[error(transparent)]
    Holder(#[from] HolderError),
    /// A premises parameter.
    #[error(transparent)]
    Parameter(#[from] ParameterError),
    /// A document.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// A scoped query or a change of holder.
    #[error(transparent)]
    Scope(#[from] ScopeError),
    /// A resident slice that cannot be read back.
    #[error(transparent)]
    Slice(#[from] SliceError),
}

/// What kind of error it is: what a caller does about it.
///
/// ```
/// use ebok_core::{Error, ErrorKind};
/// let e: Error = ebok_core::portal::ScopeError::NotFound.into();
/// assert_eq!(e.kind(), ErrorKind::NotFound);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A value was refused: show the field, row and reason to whoever typed or sent it.
    InvalidInput,
    /// A batch, snapshot, change or statement import was refused as a whole (every problem
    /// listed); nothing changed.
    Refused,
    /// The thing is not there, or not for this login (the two look the same).
    NotFound,
    /// The same key already holds different content.
    Conflict,
    /// Access was refused (blocked, closed, wrong password, not allowed now).
    AccessDenied,
    /// A computation outside the data it rests on (a day without an interest rate, a date
    /// outside the holiday calendar).
    OutOfRange,
}

impl Error {
    /// The kind of error.
    ///
    /// ```
    /// use ebok_core::{Error, ErrorKind};
    /// let e: Error = ebok_core::premises::PremisesId::new("").unwrap_err().into();
    /// assert_eq!(e.kind(), ErrorKind::InvalidInput);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Premises(PremisesError::UnknownPremises { .. })
            | Error::UnknownPremises(_)
            | Error::Scope(ScopeError::NotFound | ScopeError::UnknownPremises { .. }) => {
                ErrorKind::NotFound
            }
            Error::Premises(PremisesError::Conflict { .. })
            | Error::Parameter(ParameterError::Conflict { .. })
            | Error::Document(DocumentError::Conflict { .. })
            | Error::BankImport(BankImportError::Conflict { .. }) => ErrorKind::Conflict,
            Error::Batch(_) | Error::Change(_) | Error::Import(_) => ErrorKind::Refused,
            Error::Access(_) | Error::PasswordChange(_) => ErrorKind::AccessDenied,
            Error::Settlement(_) | Error::Scope(ScopeError::Settlement(_)) => ErrorKind::OutOfRange,
            _ => ErrorKind::InvalidInput,
        }
    }
}

/// `Result` with ebok's [`Error`].
///
/// ```
/// fn f() -> ebok_core::Result<ebok_core::money::Money> {
///     Ok(ebok_core::money::Money::parse("12,50")?)
/// }
/// assert_eq!(f()?.grosze(), 1250);
/// # Ok::<(), ebok_core::Error>(())
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;
