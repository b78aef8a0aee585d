//! The bank side for Kotlin and Swift: account numbers, the transfer a resident can make for a
//! premises, and the ZBP 2D payment code with its QR picture as SVG.

use ebok_core::bank::{CodeMode, Nrb, PaymentCode as CorePaymentCode, TransferData};

use crate::error::EbokError;
use crate::types::{Money, core_money, money};

/// A ZBP 2D payment code ready to show: the string a QR code carries, the picture as SVG, and
/// what the code could not carry as given (an amount above 9 999,99 zł, texts cut).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PaymentCodeOut {
    /// The nine `|`-separated fields.
    pub text: String,
    /// The QR code as an SVG document.
    pub svg: String,
    /// Warnings, in English.
    pub warnings: Vec<String>,
}

/// The fields of a ZBP 2D payment code.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PaymentCodeFields {
    /// The recipient's NIP, or empty.
    pub nip: String,
    /// The country, `PL`.
    pub country: String,
    /// The account's digits.
    pub account: String,
    /// The amount (0: the payer types it).
    pub amount: Money,
    /// The recipient's name.
    pub recipient: String,
    /// The title.
    pub title: String,
}

pub(crate) fn nrb(text: &str) -> Result<Nrb, EbokError> {
    Nrb::parse(text).map_err(|e| EbokError::invalid("account", text, e))
}

/// An account number checked (26 digits, MOD 97-10; spaces and `PL` allowed) and printed in
/// groups of four.
#[uniffi::export]
pub fn format_nrb(account: String) -> Result<String, EbokError> {
    Ok(nrb(&account)?.to_string())
}

pub(crate) fn code_out(t: &TransferData, nip: Option<&str>) -> Result<PaymentCodeOut, EbokError> {
    let (code, warnings) = CorePaymentCode::for_transfer(t, nip);
    code.check(CodeMode::Strict)
        .map_err(|e| EbokError::invalid("nip", nip.unwrap_or_default(), e))?;
    let text = code.encode();
    let svg = ebok_core::bank::qr_svg(&text).map_err(|e| EbokError::invalid("code", &text, e))?;
    Ok(PaymentCodeOut {
        text,
        svg,
        warnings: warnings.iter().map(ToString::to_string).collect(),
    })
}

/// The ZBP 2D payment code for a transfer (amount none: the payer types it).
#[uniffi::export]
pub fn payment_code(
    account: String,
    recipient: String,
    title: String,
    amount: Option<Money>,
    nip: Option<String>,
) -> Result<PaymentCodeOut, EbokError> {
    let t = TransferData {
        account: nrb(&account)?,
        recipient_name: recipient,
        title,
        amount: amount.map(|a| core_money("amount", a)).transpose()?,
        warnings: Vec::new(),
    };
    code_out(&t, nip.as_deref())
}

/// Reads a ZBP 2D string back; `strict` also checks the NIP checksum and the account.
#[uniffi::export]
pub fn parse_payment_code(text: String, strict: bool) -> Result<PaymentCodeFields, EbokError> {
    let mode = if strict {
        CodeMode::Strict
    } else {
        CodeMode::Lenient
    };
    let c =
        CorePaymentCode::parse(&text, mode).map_err(|e| EbokError::invalid("code", &text, e))?;
    Ok(PaymentCodeFields {
        nip: c.nip,
        country: c.country,
        account: c.account,
        amount: money(ebok_core::money::Money::from_grosze(i64::from(
            c.amount_grosze,
        ))),
        recipient: c.recipient,
        title: c.title,
    })
}
