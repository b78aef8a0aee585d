//! What a resident needs to pay a premises' charges by transfer (dane do przelewu).

use serde::{Deserialize, Serialize};
use time::Date;

use super::nrb::Nrb;
use crate::calendar::YearMonth;
use crate::ledger::{Balance, Ledger};
use crate::money::Money;
use crate::premises::PremisesId;
use crate::settlement::{OpenItems, SettlementError, SettlementPolicy, open_items};

/// Which amount a transfer proposes (the cooperative's policy).
///
/// ```
/// use ebok_core::bank::AmountPolicy;
/// assert_eq!(AmountPolicy::default(), AmountPolicy::DueNow);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountPolicy {
    /// What is due by the day: the outstanding principal of items whose (effective) due date
    /// has come. The default.
    #[default]
    DueNow,
    /// The whole balance owed, due or not.
    WholeBalance,
    /// No amount: the payer types it.
    NoAmount,
}

/// How a cooperative's transfers are filled in.
///
/// ```
/// use ebok_core::bank::TransferPolicy;
/// let p = TransferPolicy::new("SM Przykładowa");
/// assert_eq!(p.title_template, "CZYNSZ {month} {premises}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferPolicy {
    /// The recipient's name, as the bank shows it.
    pub recipient_name: String,
    /// The title: `{month}` becomes `MM/YYYY` of the day, `{premises}` the premises id.
    pub title_template: String,
    /// Which amount to propose.
    pub amount: AmountPolicy,
}

impl TransferPolicy {
    /// The default policy for a recipient: title `CZYNSZ {month} {premises}`, what is due now.
    ///
    /// ```
    /// use ebok_core::bank::{AmountPolicy, TransferPolicy};
    /// assert_eq!(TransferPolicy::new("SM").amount, AmountPolicy::DueNow);
    /// ```
    pub fn new(recipient_name: &str) -> TransferPolicy {
        TransferPolicy {
            recipient_name: recipient_name.to_owned(),
            title_template: "CZYNSZ {month} {premises}".to_owned(),
            amount: AmountPolicy::DueNow,
        }
    }
}

/// A note about the proposed transfer.
///
/// ```
/// use ebok_core::bank::TransferNote;
/// use ebok_core::money::Money;
/// assert!(TransferNote::Credit { amount: Money::from_grosze(100) }.to_string().contains("1.00"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "note", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TransferNote {
    /// Nothing is due: no amount is proposed.
    #[error("nothing is due")]
    NothingDue,
    /// The account is in credit (nadpłata) by this amount: no amount is proposed.
    #[error("the account is in credit by {amount}")]
    Credit {
        /// The credit.
        amount: Money,
    },
}

/// The data to pay a premises by transfer on a day.
///
/// ```
/// use ebok_core::bank::{Nrb, TransferData, TransferNote, TransferPolicy};
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// use ebok_core::settlement::{SettlementPolicy, open_items};
/// use time::macros::date;
/// let mut l = Ledger::new();
/// l.insert(LedgerEntry::charge("N05", "0756555", "eksploatacja", Money::parse("772.15")?, date!(2025 - 05 - 01), date!(2025 - 05 - 10))?.posted(date!(2025 - 04 - 25)))?;
/// let p = PremisesId::new("0756555")?;
/// let day = date!(2025 - 05 - 13);
/// let items = open_items(&l, &p, day, None, &SettlementPolicy::default())?;
/// let t = TransferData::new(&p, day, l.balance(&p, day, None)?, &items, Nrb::parse("29114010810000267002001002")?, &TransferPolicy::new("SM Przykładowa"));
/// assert_eq!(t.amount, Some(Money::parse("772.15")?));
/// assert_eq!(t.title, "CZYNSZ 05/2025 0756555");
/// assert!(t.warnings.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferData {
    /// The account to pay to.
    pub account: Nrb,
    /// The recipient's name.
    pub recipient_name: String,
    /// The title.
    pub title: String,
    /// The amount to pay, or none (nothing due, in credit, or the policy proposes none).
    pub amount: Option<Money>,
    /// Notes: nothing due, or the credit.
    pub warnings: Vec<TransferNote>,
}

impl TransferData {
    /// The transfer for a premises the caller knows, on `day` as known at `known_at`: its
    /// balance and open items are computed from the ledger (a premises with no account yet owes
    /// nothing). The bindings' one path; [`crate::portal::ResidentView::with_transfer`] reuses
    /// the figures its view already holds.
    ///
    /// ```
    /// use ebok_core::bank::{Nrb, TransferData, TransferNote, TransferPolicy};
    /// use ebok_core::ledger::Ledger;
    /// use ebok_core::premises::PremisesId;
    /// use ebok_core::settlement::SettlementPolicy;
    /// use time::macros::date;
    /// let t = TransferData::for_premises(&Ledger::new(), &PremisesId::new("1")?, date!(2025 - 05 - 13), None,
    ///     Nrb::parse("29114010810000267002001002")?, &TransferPolicy::new("SM"), &SettlementPolicy::default())?;
    /// assert_eq!(t.warnings, vec![TransferNote::NothingDue]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_premises(
        ledger: &Ledger,
        premises: &PremisesId,
        day: Date,
        known_at: Option<Date>,
        account: Nrb,
        policy: &TransferPolicy,
        settlement: &SettlementPolicy,
    ) -> Result<TransferData, SettlementError> {
        let items = open_items(ledger, premises, day, known_at, settlement)?;
        let balance = ledger.balance(premises, day, known_at).unwrap_or_default();
        Ok(TransferData::new(
            premises, day, balance, &items, account, policy,
        ))
    }

    /// The transfer for `premises` on `day`, from its balance and open items for that day (as
    /// the resident's view computes them) and the account to pay to.
    pub fn new(
        premises: &PremisesId,
        day: Date,
        balance: Balance,
        items: &OpenItems,
        account: Nrb,
        policy: &TransferPolicy,
    ) -> TransferData {
        let month = YearMonth::of(day);
        let title = policy
            .title_template
            .replace("{month}", &format!("{:02}/{}", month.month(), month.year()))
            .replace("{premises}", premises.as_str());
        let due_now = Money::checked_sum(
            items
                .items
                .iter()
                .filter(|i| i.effective_due <= day)
                .map(|i| i.outstanding),
        )
        .unwrap_or(Money::ZERO);
        let proposed = match policy.amount {
            AmountPolicy::DueNow => Some(due_now),
            AmountPolicy::WholeBalance => Some(balance.owed()),
            AmountPolicy::NoAmount => None,
        };
        let mut warnings = Vec::new();
        let credit = balance.overpaid();
        if credit.is_positive() {
            warnings.push(TransferNote::Credit { amount: credit });
        } else if policy.amount != AmountPolicy::NoAmount
            && !proposed.is_some_and(Money::is_positive)
        {
            warnings.push(TransferNote::NothingDue);
        }
        TransferData {
            account,
            recipient_name: policy.recipient_name.clone(),
            title,
            amount: proposed.filter(|m| m.is_positive() && !credit.is_positive()),
            warnings,
        }
    }
}
