//! Bank statements (wyciągi bankowe) in every format a Polish bank exports: MT940 with the
//! Polish `:86:` dialects (mBank, ING, PKO BP, Pekao, generic), MT942 interim reports, and ISO
//! 20022 camt.053 / camt.054 (versions .001.02 and .001.08), in UTF-8, CP1250 or CP852.
//!
//! One model for all formats: a [`StatementFile`] holds [`Statement`]s, each with its account,
//! number, balances and [`StatementEntry`]s. Reading is pure (bytes in, typed values out) and
//! total: malformed input is a [`StatementError`] naming the line or the XML path, never a panic.
//! Suspicious but readable input is kept with a flag or a [`StatementWarning`]: wrong check digits
//! of an account (anonymised samples carry them) and balances that do not add up.
//!
//! ```
//! use ebok_core::bank::statement::{read_statements, ReadOptions, Side, Format};
//! let file = b":20:ST1\r\n:25:PL29114010810000267002001002\r\n:28C:1/1\r\n:60F:C250102PLN100,00\r\n\
//! :61:2501020102CN500,00NTRFNONREF//MB1\r\n:86:911 TRANSAKCJA; ID IPH: XX0756555; TYT.: CZYNSZ\r\n\
//! :62F:C250102PLN600,00\r\n-";
//! let read = read_statements(file, &ReadOptions::default())?;
//! assert_eq!(read.format, Format::Mt940);
//! let entry = &read.statements[0].entries[0];
//! assert_eq!((entry.side, entry.amount.to_string().as_str()), (Side::Credit, "500.00"));
//! assert_eq!(entry.payer_id.as_deref(), Some("XX0756555"));
//! assert!(read.statements[0].warnings.is_empty());
//! # Ok::<(), ebok_core::bank::statement::StatementError>(())
//! ```

mod camt;
mod details;
mod encoding;
mod mt940;

use std::fmt;

use serde::{Deserialize, Serialize};
use smol_str::SmolStr;
use time::Date;

use crate::money::Money;

pub use details::Dialect;
pub use encoding::{TextEncoding, decode_text};

/// The format a statement file was read as.
///
/// ```
/// use ebok_core::bank::statement::Format;
/// assert_eq!(Format::Camt053.code(), "camt.053");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Format {
    /// SWIFT MT940, the end-of-day statement (wyciąg).
    Mt940,
    /// SWIFT MT942, an interim report (raport śróddzienny): its entries are provisional.
    Mt942,
    /// ISO 20022 camt.053, the end-of-day statement.
    Camt053,
    /// ISO 20022 camt.054, a debit/credit notification (an interim report).
    Camt054,
}

impl Format {
    /// The short code (`mt940`, `mt942`, `camt.053`, `camt.054`).
    ///
    /// ```
    /// # use ebok_core::bank::statement::Format;
    /// assert_eq!(Format::Mt942.code(), "mt942");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Format::Mt940 => "mt940",
            Format::Mt942 => "mt942",
            Format::Camt053 => "camt.053",
            Format::Camt054 => "camt.054",
        }
    }

    /// Whether the format reports final, booked entries (MT940, camt.053) rather than interim
    /// ones (MT942, camt.054), which a final statement later replaces.
    ///
    /// ```
    /// # use ebok_core::bank::statement::Format;
    /// assert!(Format::Mt940.is_final() && !Format::Camt054.is_final());
    /// ```
    pub fn is_final(self) -> bool {
        matches!(self, Format::Mt940 | Format::Camt053)
    }
}

/// Credit (uznanie: money in) or debit (obciążenie: money out), from the account holder's side.
///
/// ```
/// use ebok_core::bank::statement::Side;
/// assert_eq!(Side::Credit.code(), "C");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Money in (uznanie).
    Credit,
    /// Money out (obciążenie).
    Debit,
}

impl Side {
    /// `C` or `D`, as SWIFT writes it.
    ///
    /// ```
    /// # use ebok_core::bank::statement::Side;
    /// assert_eq!(Side::Debit.code(), "D");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Side::Credit => "C",
            Side::Debit => "D",
        }
    }

    /// `amount` signed from the holder's side: credits positive, debits negative.
    ///
    /// ```
    /// # use ebok_core::bank::statement::Side;
    /// # use ebok_core::money::Money;
    /// assert_eq!(Side::Debit.signed(Money::from_grosze(5)), Money::from_grosze(-5));
    /// ```
    pub fn signed(self, amount: Money) -> Money {
        match self {
            Side::Credit => amount,
            // Money is never i64::MIN, so negation cannot overflow.
            Side::Debit => amount.checked_neg().unwrap_or(amount),
        }
    }
}

/// A balance line (saldo) of a statement: a non-negative amount with its side, date and currency.
///
/// ```
/// use ebok_core::bank::statement::{BalanceLine, Side};
/// use ebok_core::money::Money;
/// let b = BalanceLine { side: Side::Debit, amount: Money::from_grosze(2700), date: time::macros::date!(2014 - 12 - 31), currency: "PLN".into() };
/// assert_eq!(b.signed(), Money::from_grosze(-2700));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceLine {
    /// Credit (in the holder's favour) or debit.
    pub side: Side,
    /// The amount, never negative.
    pub amount: Money,
    /// The day the balance is for.
    pub date: Date,
    /// The ISO 4217 currency code.
    pub currency: String,
}

impl BalanceLine {
    /// The balance signed: positive when in the holder's favour.
    ///
    /// ```
    /// # use ebok_core::bank::statement::{BalanceLine, Side};
    /// # use ebok_core::money::Money;
    /// let b = BalanceLine { side: Side::Credit, amount: Money::from_grosze(40), date: time::macros::date!(2017 - 01 - 19), currency: "PLN".into() };
    /// assert_eq!(b.signed().grosze(), 40);
    /// ```
    pub fn signed(&self) -> Money {
        self.side.signed(self.amount)
    }
}

/// The result of checking an account number found in an entry. A flag, never a rejection:
/// anonymised samples and some real numbers fail the checks.
///
/// ```
/// use ebok_core::bank::statement::AccountCheck;
/// assert_eq!(AccountCheck::of("PL29114010810000267002001002"), AccountCheck::Valid);
/// assert_eq!(AccountCheck::of("PL44102055610000380209739045"), AccountCheck::WrongCheckDigits);
/// assert_eq!(AccountCheck::of("92124012340001567890123456"), AccountCheck::WrongSortCodeDigit);
/// assert_eq!(AccountCheck::of("12345678/1020304050"), AccountCheck::NotAnIban);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AccountCheck {
    /// The IBAN check digits (ISO 7064 MOD 97-10) and, for a Polish number, the sort code's
    /// check digit are right.
    Valid,
    /// The MOD 97-10 check digits are wrong.
    WrongCheckDigits,
    /// The check digits are right but the Polish sort code's own check digit is not.
    WrongSortCodeDigit,
    /// Not an IBAN or NRB (a domestic account of another country, a free text).
    NotAnIban,
}

impl AccountCheck {
    /// Checks an account number: 26 digits (NRB), `PL` + 26 digits, or another country's IBAN.
    /// Spaces are ignored.
    ///
    /// ```
    /// # use ebok_core::bank::statement::AccountCheck;
    /// assert_eq!(AccountCheck::of("NL26VAYB8060476890"), AccountCheck::Valid);
    /// ```
    pub fn of(account: &str) -> AccountCheck {
        let raw = account.as_bytes();
        // The common case, `PL` + 26 digits or 26 digits, in a few arithmetic steps on the bytes
        // in place: the same checks as `Nrb::check_digits_ok` and `Nrb::sort_code_check_ok`
        // (the property test `account_check_agrees_with_the_nrb_checks` holds them equal),
        // kept here because parsing into an `Nrb` first costs 15 % of reading a statement.
        let digits = match raw {
            [b'P', b'L', rest @ ..] if rest.len() == 26 => Some(rest),
            _ if raw.len() == 26 => Some(raw),
            _ => None,
        };
        if let Some(check) = digits
            .and_then(|d| <&[u8; 26]>::try_from(d).ok())
            .and_then(Self::of_nrb)
        {
            return check;
        }
        // Otherwise without allocating: the characters other than spaces, at most 34, ASCII,
        // upper case.
        let mut buf = [0u8; 34];
        let compact: &[u8] = if raw.len() <= 34
            && raw
                .iter()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        {
            raw
        } else {
            let mut n = 0;
            for &c in raw {
                if c.is_ascii_whitespace() {
                    continue;
                }
                if n >= 34 || !c.is_ascii_alphanumeric() {
                    return AccountCheck::NotAnIban;
                }
                buf[n] = c.to_ascii_uppercase();
                n += 1;
            }
            &buf[..n]
        };
        // An NRB without its country: the IBAN is `PL` + the 26 digits.
        let (country, rest): (&[u8], &[u8]) =
            if compact.len() == 26 && compact.iter().all(u8::is_ascii_digit) {
                (b"PL", compact)
            } else if compact.len() >= 15 {
                (&compact[..2], &compact[2..])
            } else {
                return AccountCheck::NotAnIban;
            };
        if !country.iter().all(u8::is_ascii_uppercase) || !rest[..2].iter().all(u8::is_ascii_digit)
        {
            return AccountCheck::NotAnIban;
        }
        // MOD 97-10 over BBAN ‖ country ‖ check digits, with few divisions: the remainder
        // stays below 2^50 before each step, so `* 100 + 99` cannot overflow.
        let mut rem = 0u64;
        for &c in rest[2..].iter().chain(country).chain(&rest[..2]) {
            rem = if c.is_ascii_digit() {
                rem.wrapping_mul(10).wrapping_add(u64::from(c - b'0'))
            } else {
                rem.wrapping_mul(100).wrapping_add(u64::from(c - b'A' + 10))
            };
            if rem >= 1 << 50 {
                rem %= 97;
            }
        }
        if rem % 97 != 1 {
            return AccountCheck::WrongCheckDigits;
        }
        if country == b"PL" && rest.len() == 26 && rest.iter().all(u8::is_ascii_digit) {
            // The sort code's check digit: weights 3, 9, 7, 1, 3, 9, 7 over its first seven digits.
            const W: [u32; 7] = [3, 9, 7, 1, 3, 9, 7];
            let sum: u32 = rest[2..9]
                .iter()
                .zip(W)
                .map(|(&d, w)| u32::from(d - b'0') * w)
                .sum();
            if (10 - sum % 10) % 10 != u32::from(rest[9] - b'0') {
                return AccountCheck::WrongSortCodeDigit;
            }
        }
        AccountCheck::Valid
    }

    /// The stable code (`valid`, `wrong_check_digits`, `wrong_sort_code_digit`, `not_an_iban`),
    /// as serialized.
    ///
    /// ```
    /// # use ebok_core::bank::statement::AccountCheck;
    /// assert_eq!(AccountCheck::WrongSortCodeDigit.code(), "wrong_sort_code_digit");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            AccountCheck::Valid => "valid",
            AccountCheck::WrongCheckDigits => "wrong_check_digits",
            AccountCheck::WrongSortCodeDigit => "wrong_sort_code_digit",
            AccountCheck::NotAnIban => "not_an_iban",
        }
    }
}

impl AccountCheck {
    /// The check of an NRB's 26 ASCII bytes; `None` when they are not all digits.
    fn of_nrb(d: &[u8; 26]) -> Option<AccountCheck> {
        if !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let digit = |i: usize| u64::from(d[i] - b'0');
        let num = |r: std::ops::Range<usize>| r.fold(0u64, |acc, i| acc * 10 + digit(i));
        // BBAN (24 digits) ‖ "PL" = 25 21 ‖ check digits: in chunks of at most 12 digits.
        let mut rem = num(2..14) % 97;
        rem = (rem * 1_000_000_000_000 + num(14..26)) % 97;
        rem = (rem * 1_000_000 + 252_100 + num(0..2)) % 97;
        if rem != 1 {
            return Some(AccountCheck::WrongCheckDigits);
        }
        const W: [u64; 7] = [3, 9, 7, 1, 3, 9, 7];
        let sum: u64 = (0..7).map(|i| digit(2 + i) * W[i]).sum();
        Some(if (10 - sum % 10) % 10 != digit(9) {
            AccountCheck::WrongSortCodeDigit
        } else {
            AccountCheck::Valid
        })
    }
}

/// One entry (operacja) of a statement, in one shape for every format.
///
/// ```
/// use ebok_core::bank::statement::{read_statements, ReadOptions};
/// let file = std::fs::read("tests/data/bank/mbank-wolph/mt940.sta").expect("test data");
/// let read = read_statements(&file, &ReadOptions::default())?;
/// let e = &read.statements[0].entries[0];
/// assert_eq!(e.bank_reference.as_deref(), Some("MB170119012058"));
/// assert_eq!(e.tnr.as_deref(), Some("179171073864111.010001"));
/// # Ok::<(), ebok_core::bank::statement::StatementError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementEntry {
    /// The value date (data waluty): the day the account was credited or debited.
    pub value_date: Date,
    /// The booking date (data księgowania), when given.
    pub booking_date: Option<Date>,
    /// Credit or debit.
    pub side: Side,
    /// Whether the entry reverses an earlier one (storno: MT940 `RC`/`RD`, camt `RvslInd`).
    pub reversal: bool,
    /// The amount, never negative.
    pub amount: Money,
    /// The ISO 4217 currency code.
    pub currency: SmolStr,
    /// Whether the bank has booked it (camt `BOOK`; MT940/942 entries are booked).
    pub booked: bool,
    /// The SWIFT transaction type (`NTRF`, `N024`) or camt bank transaction code.
    pub transaction_code: Option<SmolStr>,
    /// The bank's operation code at the start of the details (`911`, `020`), when given.
    pub operation_code: Option<SmolStr>,
    /// The bank's own reference (`//MB1701…`, camt `AcctSvcrRef`): the key of an entry.
    pub bank_reference: Option<SmolStr>,
    /// The customer's reference (`NONREF` when none).
    pub customer_reference: Option<SmolStr>,
    /// The counterparty's name (and address, when the bank joins them).
    pub counterparty_name: Option<SmolStr>,
    /// The counterparty's account, as given (an all-zero number means none and is dropped).
    pub counterparty_account: Option<SmolStr>,
    /// The title of the transfer (tytuł).
    pub title: Option<SmolStr>,
    /// The cooperative's virtual account the money was paid to, when the bank names it.
    pub virtual_account: Option<SmolStr>,
    /// The payer identifier of a mass-payment service (mBank IPH `ID IPH:`), when given.
    pub payer_id: Option<SmolStr>,
    /// mBank's transaction number (`TNR:`), when given.
    pub tnr: Option<SmolStr>,
    /// The details as the bank wrote them (`:86:`, or the camt remittance text).
    pub raw_details: String,
    /// The check of [`StatementEntry::counterparty_account`].
    pub counterparty_check: Option<AccountCheck>,
    /// The check of [`StatementEntry::virtual_account`].
    pub virtual_account_check: Option<AccountCheck>,
}

impl StatementEntry {
    /// The amount signed from the holder's side: credits positive.
    ///
    /// ```
    /// # use ebok_core::bank::statement::{read_statements, ReadOptions};
    /// let read = read_statements(b":20:X\n:25:1\n:28C:1\n:60F:C250101PLN0,00\n:61:250101D1,50NMSCREF\n:62F:D250101PLN1,50\n-", &ReadOptions::default())?;
    /// assert_eq!(read.statements[0].entries[0].signed_amount().grosze(), -150);
    /// # Ok::<(), ebok_core::bank::statement::StatementError>(())
    /// ```
    pub fn signed_amount(&self) -> Money {
        self.side.signed(self.amount)
    }

    /// An entry with its movement only (booked, no references, no details): each reader fills
    /// in what its format carries.
    pub(super) fn movement(
        value_date: Date,
        booking_date: Option<Date>,
        side: Side,
        reversal: bool,
        amount: Money,
        currency: SmolStr,
    ) -> StatementEntry {
        StatementEntry {
            value_date,
            booking_date,
            side,
            reversal,
            amount,
            currency,
            booked: true,
            transaction_code: None,
            operation_code: None,
            bank_reference: None,
            customer_reference: None,
            counterparty_name: None,
            counterparty_account: None,
            title: None,
            virtual_account: None,
            payer_id: None,
            tnr: None,
            raw_details: String::new(),
            counterparty_check: None,
            virtual_account_check: None,
        }
    }

    /// Drops an all-zero counterparty account (it means "none") and flags both accounts with
    /// their checks; the last step of every reader.
    pub(super) fn check_accounts(&mut self) {
        self.counterparty_account = self
            .counterparty_account
            .take()
            .filter(|a| !a.bytes().all(|b| b == b'0' || b == b' '));
        self.counterparty_check = self.counterparty_account.as_deref().map(AccountCheck::of);
        self.virtual_account_check = self.virtual_account.as_deref().map(AccountCheck::of);
    }

    /// Whether this entry is money in: a credit that is not a reversal.
    ///
    /// ```
    /// # use ebok_core::bank::statement::{read_statements, ReadOptions};
    /// let read = read_statements(b":20:X\n:25:1\n:28C:1\n:60F:C250101PLN0,00\n:61:250101RD1,50NMSCREF\n:62F:C250101PLN1,50\n-", &ReadOptions::default())?;
    /// assert!(!read.statements[0].entries[0].is_incoming()); // the storno of a debit
    /// # Ok::<(), ebok_core::bank::statement::StatementError>(())
    /// ```
    pub fn is_incoming(&self) -> bool {
        self.side == Side::Credit && !self.reversal
    }
}

/// Something readable but wrong with a statement; it is kept, with this warning.
///
/// ```
/// use ebok_core::bank::statement::StatementWarning;
/// let w = StatementWarning::BalanceMismatch { opening: "0.46".parse()?, entries: "89.00".parse()?, closing: "860.17".parse()? };
/// assert!(w.to_string().contains("860.17"));
/// # Ok::<(), ebok_core::money::MoneyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StatementWarning {
    /// Opening balance + Σ entries ≠ closing balance.
    #[error(
        "opening balance {opening} + entries {entries} does not equal the closing balance {closing}"
    )]
    BalanceMismatch {
        /// The signed opening balance.
        opening: Money,
        /// The signed sum of the entries.
        entries: Money,
        /// The signed closing balance.
        closing: Money,
    },
    /// The opening balance differs from the previous statement's closing balance of the same
    /// account.
    #[error(
        "opening balance {opening} differs from the closing balance {previous_closing} of the previous statement {previous}"
    )]
    ChainBreak {
        /// The previous statement's number (or reference).
        previous: String,
        /// Its signed closing balance.
        previous_closing: Money,
        /// This statement's signed opening balance.
        opening: Money,
    },
    /// Balances and entries in different currencies: the continuity check was skipped.
    #[error("balances in more than one currency ({currencies}): continuity not checked")]
    MixedCurrencies {
        /// The currencies, comma-separated.
        currencies: String,
    },
}

/// One statement (wyciąg) or interim report of one account.
///
/// ```
/// use ebok_core::bank::statement::{read_statements, ReadOptions};
/// let file = std::fs::read("tests/data/bank/mbank-wolph/with_newline_in_tnr.sta").expect("test data");
/// let s = &read_statements(&file, &ReadOptions::default())?.statements[0];
/// assert_eq!(s.number.as_deref(), Some("3"));
/// assert_eq!(s.warnings.len(), 1); // 0,46 + 45,00 + 44,00 ≠ 860,17
/// # Ok::<(), ebok_core::bank::statement::StatementError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// MT940/MT942 or camt.053/054.
    pub format: Format,
    /// The message reference (`:20:`, camt `MsgId`).
    pub reference: String,
    /// The statement's own id (camt `Stmt/Id`, `Ntfctn/Id`), when given.
    pub id: Option<String>,
    /// The account the statement is for, as given (an NRB, an IBAN or a domestic number).
    pub account: String,
    /// The statement number (`:28C:` before the slash, camt `LglSeqNb`/`ElctrncSeqNb`).
    pub number: Option<String>,
    /// The sequence (page) number (`:28C:` after the slash).
    pub sequence: Option<String>,
    /// The account's currency.
    pub currency: String,
    /// The opening balance (`:60F:`/`:60M:`, camt `OPBD`/`PRCD`).
    pub opening: Option<BalanceLine>,
    /// The closing balance (`:62F:`/`:62M:`, camt `CLBD`).
    pub closing: Option<BalanceLine>,
    /// The closing available balance (`:64:`, camt `CLAV`).
    pub available: Option<BalanceLine>,
    /// The forward available balance (`:65:`, camt `FWAV`), when given.
    pub forward_available: Option<BalanceLine>,
    /// The entries, in the bank's order.
    pub entries: Vec<StatementEntry>,
    /// Additional information on the statement as a whole (`:86:` before the first `:61:`).
    pub information: Option<String>,
    /// What is readable but wrong.
    pub warnings: Vec<StatementWarning>,
}

impl Statement {
    /// Σ of the entries, signed from the holder's side (`None` on overflow).
    ///
    /// ```
    /// # use ebok_core::bank::statement::{read_statements, ReadOptions};
    /// let read = read_statements(b":20:X\n:25:1\n:28C:1\n:60F:C250101PLN0,00\n:61:250101C2,00NMSCREF\n:61:250101D0,50NMSCREF\n:62F:C250101PLN1,50\n-", &ReadOptions::default())?;
    /// assert_eq!(read.statements[0].entries_total().map(|m| m.grosze()), Some(150));
    /// # Ok::<(), ebok_core::bank::statement::StatementError>(())
    /// ```
    pub fn entries_total(&self) -> Option<Money> {
        Money::checked_sum(self.entries.iter().map(StatementEntry::signed_amount))
    }

    /// The statement's number, or its reference when it has none: how warnings name it.
    ///
    /// ```
    /// # use ebok_core::bank::statement::{read_statements, ReadOptions};
    /// let read = read_statements(b":20:REF\n:25:1\n:28C:7/1\n:60F:C250101PLN0,00\n:62F:C250101PLN0,00\n-", &ReadOptions::default())?;
    /// assert_eq!(read.statements[0].name(), "7");
    /// # Ok::<(), ebok_core::bank::statement::StatementError>(())
    /// ```
    pub fn name(&self) -> String {
        self.number
            .clone()
            .unwrap_or_else(|| self.reference.clone())
    }

    /// Checks opening + Σ entries = closing and records a warning when not.
    fn check_continuity(&mut self) {
        let (Some(opening), Some(closing)) = (&self.opening, &self.closing) else {
            return;
        };
        // One pass: a second currency anywhere means the sums cannot be compared.
        let first = opening.currency.as_str();
        let other = std::iter::once(closing.currency.as_str())
            .chain(self.entries.iter().map(|e| e.currency.as_str()))
            .find(|c| *c != first);
        if let Some(other) = other {
            let mut currencies: Vec<&str> = std::iter::once(first)
                .chain(std::iter::once(closing.currency.as_str()))
                .chain(self.entries.iter().map(|e| e.currency.as_str()))
                .collect();
            currencies.sort_unstable();
            currencies.dedup();
            let _ = other;
            let currencies = currencies.join(", ");
            self.warnings
                .push(StatementWarning::MixedCurrencies { currencies });
            return;
        }
        let entries = self.entries_total();
        let expected = entries.and_then(|e| opening.signed().checked_add(e));
        if expected != Some(closing.signed()) {
            self.warnings.push(StatementWarning::BalanceMismatch {
                opening: opening.signed(),
                entries: entries.unwrap_or(Money::ZERO),
                closing: closing.signed(),
            });
        }
    }
}

/// Checks that each statement's opening balance equals the closing balance of the previous
/// statement of the same account, in the order given, and adds [`StatementWarning::ChainBreak`]
/// where it does not.
///
/// ```
/// use ebok_core::bank::statement::{check_chain, read_statements, ReadOptions, StatementWarning};
/// let a = b":20:A\n:25:1\n:28C:1\n:60F:C250101PLN0,00\n:62F:C250101PLN5,00\n-";
/// let b = b":20:B\n:25:1\n:28C:2\n:60F:C250102PLN4,00\n:62F:C250102PLN4,00\n-";
/// let mut all = read_statements(a, &ReadOptions::default())?.statements;
/// all.extend(read_statements(b, &ReadOptions::default())?.statements);
/// check_chain(&mut all);
/// assert!(matches!(all[1].warnings[0], StatementWarning::ChainBreak { .. }));
/// # Ok::<(), ebok_core::bank::statement::StatementError>(())
/// ```
pub fn check_chain(statements: &mut [Statement]) {
    let mut chain = StatementChain::default();
    for s in statements.iter_mut() {
        if let Some(w) = chain.follow(s) {
            s.warnings.push(w);
        }
    }
}

/// The signed closing balance (and the name) of the last final statement of each account: what
/// the next statement of that account must open with. Used within a file and across imports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct StatementChain(std::collections::BTreeMap<String, (String, Money)>);

impl StatementChain {
    /// Takes the next statement: a [`StatementWarning::ChainBreak`] when a final statement
    /// opens with other than the previous closing of its account. Interim reports are ignored.
    pub(crate) fn follow(&mut self, s: &Statement) -> Option<StatementWarning> {
        if !s.format.is_final() {
            return None;
        }
        let key = compact_account(&s.account);
        let warning = match (self.0.get(&key), &s.opening) {
            (Some((previous, previous_closing)), Some(opening))
                if *previous_closing != opening.signed() =>
            {
                Some(StatementWarning::ChainBreak {
                    previous: previous.clone(),
                    previous_closing: *previous_closing,
                    opening: opening.signed(),
                })
            }
            _ => None,
        };
        if let Some(closing) = &s.closing {
            self.0.insert(key, (s.name(), closing.signed()));
        }
        warning
    }
}

/// An account number without spaces, a leading `/` or the `PL` of an IBAN, for comparison.
///
/// ```
/// use ebok_core::bank::statement::compact_account;
/// assert_eq!(compact_account("/PL29 1140 1081 0000 2670 0200 1002"), "29114010810000267002001002");
/// ```
pub fn compact_account(account: &str) -> String {
    let c: String = account
        .trim_start_matches('/')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    match c.strip_prefix("PL") {
        Some(rest) if rest.len() == 26 && rest.bytes().all(|b| b.is_ascii_digit()) => {
            rest.to_owned()
        }
        _ => c,
    }
}

/// What a whole file held.
///
/// ```
/// use ebok_core::bank::statement::{read_statements, ReadOptions, TextEncoding};
/// let read = read_statements(b":20:X\n:25:1\n:28C:1\n:60F:C250101PLN0,00\n:62F:C250101PLN0,00\n-", &ReadOptions::default())?;
/// assert_eq!(read.encoding, TextEncoding::Utf8);
/// # Ok::<(), ebok_core::bank::statement::StatementError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementFile {
    /// The format.
    pub format: Format,
    /// The text encoding (detected or given).
    pub encoding: TextEncoding,
    /// The `:86:` dialect (MT940/942 only; detected or given).
    pub dialect: Option<Dialect>,
    /// The statements, in file order.
    pub statements: Vec<Statement>,
}

/// How to read a file. Everything is detected unless given.
///
/// ```
/// use ebok_core::bank::statement::{ReadOptions, TextEncoding, Dialect};
/// let o = ReadOptions { encoding: Some(TextEncoding::Cp852), dialect: Some(Dialect::Ing), ..Default::default() };
/// assert!(o.format.is_none());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The text encoding; detected when `None` (UTF-8 when valid, else CP852 or CP1250 by
    /// which gives Polish letters).
    pub encoding: Option<TextEncoding>,
    /// The `:86:` dialect; detected when `None`.
    pub dialect: Option<Dialect>,
    /// The format; detected when `None` (XML → camt by its namespace; else MT940/MT942).
    pub format: Option<Format>,
    /// Threads an MT940/MT942 file's entries may be built on (0 or 1: the calling thread
    /// only, the default; the core starts no thread unless asked). Scoped threads, joined
    /// before the call returns; the result and its errors are the same for any number.
    pub threads: usize,
}

/// The largest file read: 256 MiB.
pub const MAX_FILE_BYTES: usize = 256 << 20;

/// Why a file could not be read. Each names where: the line (1-based) or the XML path.
///
/// ```
/// use ebok_core::bank::statement::{read_statements, ReadOptions, StatementError};
/// let e = read_statements(b":20:X\n:25:1\n:28C:1\n:60F:C160230EUR1,00\n-", &ReadOptions::default()).unwrap_err();
/// assert!(matches!(e, StatementError::InvalidField { line: 4, .. }), "{e}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatementError {
    /// The bytes are not valid text in the encoding given.
    #[error("line {line}: not valid {encoding} text (byte {byte_offset} of the file)")]
    InvalidText {
        /// The encoding.
        encoding: TextEncoding,
        /// The line of the first bad byte.
        line: usize,
        /// Its offset in the file.
        byte_offset: usize,
    },
    /// Larger than [`MAX_FILE_BYTES`].
    #[error("the file has {bytes} bytes; at most {max} are read")]
    TooLarge {
        /// The file's size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// Not a statement in any supported format.
    #[error("line {line}: not a bank statement: {reason}")]
    NotAStatement {
        /// Where it was noticed.
        line: usize,
        /// What was expected.
        reason: String,
    },
    /// A tag this reader does not know.
    #[error("line {line}: unknown tag :{tag}:")]
    UnknownTag {
        /// The line.
        line: usize,
        /// The tag.
        tag: String,
    },
    /// A field that cannot be read (an impossible date, a bad amount, a cut `:61:`).
    #[error("line {line}: field :{tag}: value {value:?}: {reason}")]
    InvalidField {
        /// The line.
        line: usize,
        /// The tag.
        tag: String,
        /// The value (at most 80 characters).
        value: String,
        /// What is wrong.
        reason: String,
    },
    /// A required field is missing.
    #[error("line {line}: statement {reference:?} has no {field}")]
    MissingField {
        /// The line where the statement ends.
        line: usize,
        /// The statement's reference.
        reference: String,
        /// The field (tag or name).
        field: String,
    },
    /// Details longer than the dialect allows.
    #[error(
        "line {line}: details of {lines} lines and {chars} characters; at most {max_lines} lines of 65 are allowed in this dialect"
    )]
    DetailsTooLong {
        /// The line of the `:86:` tag.
        line: usize,
        /// How many lines.
        lines: usize,
        /// How many characters.
        chars: usize,
        /// The limit.
        max_lines: usize,
    },
    /// XML that is not well-formed or does not follow the camt schema.
    #[error("{path}: {message}")]
    Xml {
        /// The XML path (`Document/BkToCstmrStmt/Stmt[2]/Ntry[5]/Amt`).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A camt message type or version that is not supported.
    #[error(
        "unsupported XML namespace {namespace:?}; supported: camt.053.001.02, camt.053.001.08, camt.054.001.02, camt.054.001.08"
    )]
    UnsupportedCamt {
        /// The namespace found.
        namespace: String,
    },
}

impl StatementError {
    /// The line (1-based) the error is on, for the errors of text formats.
    ///
    /// ```
    /// use ebok_core::bank::statement::{read_statements, ReadOptions};
    /// let e = read_statements(b":20:X\n:99:Y\n-", &ReadOptions::default()).unwrap_err();
    /// assert_eq!((e.line(), e.xml_path()), (Some(2), None));
    /// ```
    pub fn line(&self) -> Option<usize> {
        match self {
            StatementError::InvalidText { line, .. }
            | StatementError::NotAStatement { line, .. }
            | StatementError::UnknownTag { line, .. }
            | StatementError::InvalidField { line, .. }
            | StatementError::MissingField { line, .. }
            | StatementError::DetailsTooLong { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// The XML path the error is at, for camt.
    ///
    /// ```
    /// use ebok_core::bank::statement::{read_statements, ReadOptions};
    /// let e = read_statements(br#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>"#, &ReadOptions::default()).unwrap_err();
    /// assert_eq!(e.xml_path(), Some("Document/BkToCstmrStmt"));
    /// ```
    pub fn xml_path(&self) -> Option<&str> {
        match self {
            StatementError::Xml { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// Reads a statement file: MT940, MT942, camt.053 or camt.054, in UTF-8, CP1250 or CP852.
///
/// ```
/// use ebok_core::bank::statement::{read_statements, ReadOptions, Format};
/// let xml = std::fs::read("tests/data/bank/camt-genkgo/camt053.v2.minimal.xml").expect("test data");
/// let read = read_statements(&xml, &ReadOptions::default())?;
/// assert_eq!(read.format, Format::Camt053);
/// assert_eq!(read.statements[0].entries[0].amount.to_string(), "8.85");
/// # Ok::<(), ebok_core::bank::statement::StatementError>(())
/// ```
pub fn read_statements(
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<StatementFile, StatementError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(StatementError::TooLarge {
            bytes: bytes.len(),
            max: MAX_FILE_BYTES,
        });
    }
    let (text, encoding) = decode_text(bytes, options.encoding)?;
    let looks_xml = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<');
    let mut file = match options.format {
        Some(Format::Camt053 | Format::Camt054) => camt::read(&text, encoding, options.format)?,
        Some(Format::Mt940 | Format::Mt942) => mt940::read(&text, encoding, options)?,
        None if looks_xml => camt::read(&text, encoding, None)?,
        None => mt940::read(&text, encoding, options)?,
    };
    for s in &mut file.statements {
        if s.format.is_final() {
            s.check_continuity();
        }
    }
    check_chain(&mut file.statements);
    Ok(file)
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// At most `max` characters of `text`, for error messages.
fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Parses an amount in SWIFT notation (`1234,56`, `0,`, `12`): digits with one decimal comma.
/// More than two non-zero decimals are refused, never rounded.
fn swift_amount(text: &str) -> Result<Money, String> {
    let (int, frac) = text.split_once(',').unwrap_or((text, ""));
    decimal_amount(int, frac)
}

/// Amount from its integer and fractional digit strings (non-negative).
fn decimal_amount(int: &str, frac: &str) -> Result<Money, String> {
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the amount needs digits before the decimal separator".into());
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the amount has a character that is not a digit".into());
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > 2 {
        return Err("more than two decimals (grosze) that are not zero".into());
    }
    let int = int.trim_start_matches('0');
    if int.len() > 15 {
        return Err("the amount is too large".into());
    }
    let whole: i64 = if int.is_empty() {
        0
    } else {
        int.parse()
            .map_err(|_| "the amount is too large".to_string())?
    };
    let mut grosze: i64 = 0;
    for (i, d) in frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(2)
        .enumerate()
    {
        grosze += i64::from(d - b'0') * if i == 0 { 10 } else { 1 };
    }
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(grosze))
        .map(Money::from_grosze)
        .ok_or_else(|| "the amount is too large".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swift_amounts_are_exact() {
        assert_eq!(swift_amount("0,40").map(Money::grosze), Ok(40));
        assert_eq!(swift_amount("1234,5").map(Money::grosze), Ok(123_450));
        assert_eq!(swift_amount("12,").map(Money::grosze), Ok(1200));
        assert_eq!(swift_amount("12").map(Money::grosze), Ok(1200));
        assert_eq!(swift_amount("1,000").map(Money::grosze), Ok(100));
        assert!(swift_amount("1,005").is_err());
        assert!(swift_amount(",5").is_err());
        assert!(swift_amount("1,2,3").is_err());
        assert!(swift_amount("9999999999999999").is_err());
    }
}
