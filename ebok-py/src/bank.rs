//! The bank side for Python: account numbers, virtual accounts, transfer data and the ZBP 2D
//! payment code with its QR picture. Converts and delegates to `ebok_core::bank`.

use ebok_core::bank::{
    AmountPolicy, CodeMode, Nrb, PaymentCode as CorePaymentCode, TransferData, TransferPolicy,
    VirtualAccountScheme,
};
use ebok_core::premises::PremisesId;
use ebok_core::settlement::SettlementPolicy;
use pyo3::prelude::*;
use rust_decimal::Decimal;

use crate::convert::{NotFoundError, date, invalid, money, opt_date, value_err};
use crate::ledger::PyLedger;
use crate::record;

fn nrb(text: &str, field: &str) -> PyResult<Nrb> {
    Nrb::parse(text).map_err(|e| invalid(field, None, text, e))
}

/// An account number checked (26 digits, MOD 97-10; spaces and `PL` allowed) and printed in
/// groups of four.
#[pyfunction]
pub(crate) fn format_nrb(account: &str) -> PyResult<String> {
    Ok(nrb(account, "account")?.to_string())
}

/// `ebok.VirtualAccountScheme`: each premises' own account from the bank's sort code, the
/// cooperative's client prefix and the premises number (16 digits together after the sort code).
#[pyclass(frozen, module = "ebok", name = "VirtualAccountScheme")]
pub(crate) struct PyVirtualAccountScheme {
    inner: VirtualAccountScheme,
}

#[pymethods]
impl PyVirtualAccountScheme {
    #[new]
    fn new(sort_code: &str, client_prefix: &str, width: u8) -> PyResult<Self> {
        Ok(PyVirtualAccountScheme {
            inner: VirtualAccountScheme::new(sort_code, client_prefix, width).map_err(value_err)?,
        })
    }

    /// The account (26 digits) of a premises number.
    fn account_for(&self, premises_number: &str) -> PyResult<String> {
        Ok(self
            .inner
            .account_for(premises_number)
            .map_err(value_err)?
            .digits())
    }

    /// The premises number of an account under this scheme, or None.
    fn premises_of(&self, account: &str) -> PyResult<Option<String>> {
        Ok(self.inner.premises_of(&nrb(account, "account")?))
    }
}

record! {
    /// A ZBP 2D payment code's fields.
    PaymentCode {
        nip: String,
        country: String,
        account: String,
        amount: Decimal,
        recipient: String,
        title: String,
        reserved: Vec<String>,
    }
}

impl From<&CorePaymentCode> for PaymentCode {
    fn from(c: &CorePaymentCode) -> Self {
        PaymentCode {
            nip: c.nip.clone(),
            country: c.country.clone(),
            account: c.account.clone(),
            amount: Decimal::new(i64::from(c.amount_grosze), 2),
            recipient: c.recipient.clone(),
            title: c.title.clone(),
            reserved: c.reserved.to_vec(),
        }
    }
}

fn mode(strict: bool) -> CodeMode {
    if strict {
        CodeMode::Strict
    } else {
        CodeMode::Lenient
    }
}

/// The ZBP 2D string for a transfer, and the warnings (amount above 9 999,99 zł left to the
/// payer, texts cut or cleaned). `amount` None: the payer types it.
#[pyfunction]
#[pyo3(signature = (account, recipient, title, amount=None, nip=None))]
pub(crate) fn payment_code(
    account: &str,
    recipient: &str,
    title: &str,
    amount: Option<&Bound<'_, PyAny>>,
    nip: Option<&str>,
) -> PyResult<(String, Vec<String>)> {
    let t = TransferData {
        account: nrb(account, "account")?,
        recipient_name: recipient.to_owned(),
        title: title.to_owned(),
        amount: amount.map(|a| money(a, "amount", None)).transpose()?,
        warnings: Vec::new(),
    };
    let (code, warnings) = CorePaymentCode::for_transfer(&t, nip);
    code.check(CodeMode::Strict)
        .map_err(|e| invalid("nip", None, nip.unwrap_or_default(), e))?;
    Ok((
        code.encode(),
        warnings.iter().map(ToString::to_string).collect(),
    ))
}

/// Reads a ZBP 2D string back; `strict` also checks the NIP checksum and the account.
#[pyfunction]
#[pyo3(signature = (text, strict=true))]
pub(crate) fn parse_payment_code(text: &str, strict: bool) -> PyResult<PaymentCode> {
    CorePaymentCode::parse(text, mode(strict))
        .map(|c| PaymentCode::from(&c))
        .map_err(value_err)
}

/// The QR code of a text (a payment code) as an SVG document.
#[pyfunction]
pub(crate) fn qr_svg(text: &str) -> PyResult<String> {
    ebok_core::bank::qr_svg(text).map_err(value_err)
}

record! {
    /// What to pay by transfer on a day: account, recipient, title, amount (None: nothing to
    /// propose), notes, and the ZBP 2D string.
    Transfer {
        account: String,
        recipient: String,
        title: String,
        amount: Option<Decimal>,
        notes: Vec<String>,
        code: String,
    }
}

fn amount_policy(p: &str) -> PyResult<AmountPolicy> {
    match p {
        "due_now" => Ok(AmountPolicy::DueNow),
        "whole_balance" => Ok(AmountPolicy::WholeBalance),
        "no_amount" => Ok(AmountPolicy::NoAmount),
        other => Err(invalid(
            "amount_policy",
            None,
            other,
            "expected due_now, whole_balance or no_amount",
        )),
    }
}

/// The transfer a resident can make for `premises` on `today` to `account`.
#[pyfunction]
#[pyo3(signature = (ledger, premises, today, account, recipient, known_at=None, title_template="CZYNSZ {month} {premises}", amount_policy="due_now", nip=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn transfer(
    ledger: PyRef<'_, PyLedger>,
    premises: &str,
    today: &Bound<'_, PyAny>,
    account: &str,
    recipient: &str,
    known_at: Option<&Bound<'_, PyAny>>,
    title_template: &str,
    amount_policy: &str,
    nip: Option<&str>,
) -> PyResult<Transfer> {
    let p = PremisesId::new(premises).map_err(|e| invalid("premises", None, premises, e))?;
    let day = date(today, "today", None)?;
    let known = opt_date(known_at, "known_at", None)?;
    if !ledger.inner.knows(&p) {
        return Err(NotFoundError::new_err(format!(
            "unknown premises {:?}",
            p.as_str()
        )));
    }
    let policy = TransferPolicy {
        recipient_name: recipient.to_owned(),
        title_template: title_template.to_owned(),
        amount: self::amount_policy(amount_policy)?,
    };
    let t = TransferData::for_premises(
        &ledger.inner,
        &p,
        day,
        known,
        nrb(account, "account")?,
        &policy,
        &SettlementPolicy::default(),
    )
    .map_err(value_err)?;
    let (code, code_warnings) = CorePaymentCode::for_transfer(&t, nip);
    Ok(Transfer {
        account: t.account.to_string(),
        recipient: t.recipient_name.clone(),
        title: t.title.clone(),
        amount: t.amount.map(ebok_core::money::Money::to_decimal),
        notes: t
            .warnings
            .iter()
            .map(ToString::to_string)
            .chain(code_warnings.iter().map(ToString::to_string))
            .collect(),
        code: code.encode(),
    })
}
