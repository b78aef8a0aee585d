//! Balances (saldo) and their reading for residents.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::premises::PremisesId;

/// A premises balance (saldo): positive when the resident owes (zaległość, niedopłata),
/// negative on overpayment (nadpłata).
///
/// ```
/// use ebok_core::ledger::{Balance, BalanceState};
/// use ebok_core::money::Money;
/// let b = Balance::new(Money::parse("-43.86")?);
/// assert_eq!(b.overpaid(), Money::parse("43.86")?);
/// assert_eq!(b.owed(), Money::ZERO);
/// assert_eq!(b.state(), BalanceState::Overpaid(Money::parse("43.86")?));
/// assert_eq!(b.polish().to_string(), "nadpłata 43,86 zł");
/// # Ok::<(), ebok_core::money::MoneyError>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Balance(Money);

/// A balance read as a resident reads it.
///
/// ```
/// use ebok_core::ledger::{Balance, BalanceState};
/// use ebok_core::money::Money;
/// assert_eq!(Balance::new(Money::ZERO).state(), BalanceState::Settled);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "amount", rename_all = "snake_case")]
pub enum BalanceState {
    /// The resident owes this much (zaległość / niedopłata).
    Owed(Money),
    /// The resident has paid this much in advance (nadpłata).
    Overpaid(Money),
    /// Nothing owed, nothing overpaid.
    Settled,
}

impl Balance {
    /// A balance from its signed amount (positive = owed).
    ///
    /// ```
    /// # use ebok_core::ledger::Balance;
    /// # use ebok_core::money::Money;
    /// assert_eq!(Balance::new(Money::from_grosze(5)).amount(), Money::from_grosze(5));
    /// ```
    pub const fn new(signed: Money) -> Balance {
        Balance(signed)
    }

    /// The signed amount: positive = owed, negative = overpaid.
    ///
    /// ```
    /// # use ebok_core::ledger::Balance;
    /// # use ebok_core::money::Money;
    /// assert!(Balance::new(Money::from_grosze(-5)).amount().is_negative());
    /// ```
    pub const fn amount(self) -> Money {
        self.0
    }

    /// What the resident owes, zero if nothing.
    ///
    /// ```
    /// # use ebok_core::ledger::Balance;
    /// # use ebok_core::money::Money;
    /// assert_eq!(Balance::new(Money::from_grosze(-5)).owed(), Money::ZERO);
    /// ```
    pub fn owed(self) -> Money {
        self.0.max(Money::ZERO)
    }

    /// What the resident has overpaid, zero if nothing.
    ///
    /// ```
    /// # use ebok_core::ledger::Balance;
    /// # use ebok_core::money::Money;
    /// assert_eq!(Balance::new(Money::from_grosze(-5)).overpaid(), Money::from_grosze(5));
    /// ```
    pub fn overpaid(self) -> Money {
        self.0.min(Money::ZERO).abs()
    }

    /// Whether the resident owes something.
    ///
    /// ```
    /// # use ebok_core::ledger::Balance;
    /// # use ebok_core::money::Money;
    /// assert!(Balance::new(Money::from_grosze(1)).is_owed());
    /// ```
    pub const fn is_owed(self) -> bool {
        self.0.is_positive()
    }

    /// Whether the resident has overpaid.
    ///
    /// ```
    /// # use ebok_core::ledger::Balance;
    /// # use ebok_core::money::Money;
    /// assert!(Balance::new(Money::from_grosze(-1)).is_overpaid());
    /// ```
    pub const fn is_overpaid(self) -> bool {
        self.0.is_negative()
    }

    /// Whether the balance is exactly zero.
    ///
    /// ```
    /// # use ebok_core::ledger::Balance;
    /// # use ebok_core::money::Money;
    /// assert!(Balance::new(Money::ZERO).is_settled());
    /// ```
    pub const fn is_settled(self) -> bool {
        self.0.is_zero()
    }

    /// The balance as owed, overpaid or settled.
    ///
    /// ```
    /// # use ebok_core::ledger::{Balance, BalanceState};
    /// # use ebok_core::money::Money;
    /// assert_eq!(Balance::new(Money::from_grosze(7)).state(), BalanceState::Owed(Money::from_grosze(7)));
    /// ```
    pub fn state(self) -> BalanceState {
        if self.is_owed() {
            BalanceState::Owed(self.owed())
        } else if self.is_overpaid() {
            BalanceState::Overpaid(self.overpaid())
        } else {
            BalanceState::Settled
        }
    }

    /// The balance in words, in Polish: `zaległość 12,50 zł`, `nadpłata 3,00 zł` or `saldo zerowe`.
    ///
    /// ```
    /// # use ebok_core::ledger::Balance;
    /// # use ebok_core::money::Money;
    /// assert_eq!(Balance::new(Money::from_grosze(1250)).polish().to_string(), "zaległość 12,50 zł");
    /// ```
    pub fn polish(self) -> impl fmt::Display {
        BalanceWords {
            balance: self,
            polish: true,
        }
    }

    /// The balance in words, in English: `owed 12.50 PLN`, `overpaid 3.00 PLN` or `settled`.
    ///
    /// ```
    /// # use ebok_core::ledger::Balance;
    /// # use ebok_core::money::Money;
    /// assert_eq!(Balance::new(Money::from_grosze(-300)).english().to_string(), "overpaid 3.00 PLN");
    /// ```
    pub fn english(self) -> impl fmt::Display {
        BalanceWords {
            balance: self,
            polish: false,
        }
    }
}

struct BalanceWords {
    balance: Balance,
    polish: bool,
}

impl fmt::Display for BalanceWords {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.balance.state(), self.polish) {
            (BalanceState::Owed(m), true) => write!(f, "zaległość {}", m.polish()),
            (BalanceState::Overpaid(m), true) => write!(f, "nadpłata {}", m.polish()),
            (BalanceState::Settled, true) => f.write_str("saldo zerowe"),
            (BalanceState::Owed(m), false) => write!(f, "owed {m} PLN"),
            (BalanceState::Overpaid(m), false) => write!(f, "overpaid {m} PLN"),
            (BalanceState::Settled, false) => f.write_str("settled"),
        }
    }
}

impl fmt::Display for Balance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// One premises' balance, as listed by [`crate::ledger::Ledger::balances`].
///
/// ```
/// use ebok_core::ledger::{Balance, PremisesBalance};
/// use ebok_core::money::Money;
/// use ebok_core::premises::PremisesId;
/// let pb = PremisesBalance { premises: PremisesId::new("1")?, balance: Balance::new(Money::ZERO) };
/// assert!(pb.balance.is_settled());
/// # Ok::<(), ebok_core::premises::PremisesError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PremisesBalance {
    /// The premises.
    pub premises: PremisesId,
    /// Its balance.
    pub balance: Balance,
}
