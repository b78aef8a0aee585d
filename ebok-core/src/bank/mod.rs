//! The bank side (strona bankowa): account numbers (NRB) and the virtual accounts a cooperative's
//! bank gives each premises, the transfer a resident makes to pay, and the ZBP "Standard 2D"
//! payment code banking apps scan, as a string and as a QR picture. Pure: text and numbers in,
//! typed values out.
//!
//! ```
//! use ebok_core::bank::{CodeMode, PaymentCode, VirtualAccountScheme, qr_svg};
//! let scheme = VirtualAccountScheme::new("10203378", "00001234", 8)?;
//! let account = scheme.account_for("756555")?;
//! let code = PaymentCode {
//!     nip: String::new(),
//!     country: "PL".into(),
//!     account: account.digits(),
//!     amount_grosze: 77_215,
//!     recipient: "SM Przykładowa".into(),
//!     title: "CZYNSZ 05/2025 0756555".into(),
//!     reserved: Default::default(),
//! };
//! let text = code.encode();
//! assert_eq!(PaymentCode::parse(&text, CodeMode::Strict)?, code);
//! assert!(qr_svg(&text)?.contains("<svg"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod matching;
mod nrb;
mod payment_code;
mod pending;
mod qr;
mod register;
pub mod statement;
mod transfer;

pub use matching::{AmbiguityReason, MatchOutcome, MatchedBy, Matcher, UnmatchedReason};
pub use nrb::{Nrb, NrbError, VirtualAccountScheme};
pub use payment_code::{
    CodeError, CodeMode, CodeWarning, MAX_AMOUNT_GROSZE, PaymentCode, nip_checksum_ok,
};
pub use pending::{
    BankBook, BankImportError, BankImportReport, BankRecord, EntryKey, PendingPayment,
    PendingPolicy,
};
pub use qr::{QrError, qr_modules, qr_svg, qr_text};
pub use register::{Lookup, RegisterError, VirtualAccount, VirtualAccountRegister};
pub use transfer::{AmountPolicy, TransferData, TransferNote, TransferPolicy};
