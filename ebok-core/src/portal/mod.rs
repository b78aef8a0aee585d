//! What one resident sees in the e-BOK for one premises (seed 000: charges and payments
//! for each month, the current balance, the premises' account, the payment history).
//!
//! ```
//! use ebok_core::portal::{ResidentView, ViewOptions};
//! use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
//!
//! let coop = SyntheticCooperative::generate(&CooperativeConfig { premises: 3, ..CooperativeConfig::default() });
//! let premises = coop.registry.iter().next().unwrap();
//! let view = ResidentView::build(&coop.ledger, premises, coop.config.end, None, &ViewOptions::default())?;
//! assert_eq!(view.statements.len(), 12);
//! // Nothing happens after "today" in the sample, so the current month closes at today's balance.
//! assert_eq!(view.statements.last().unwrap().closing, view.balance);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};
use time::Date;

use crate::bank::{BankBook, Nrb, PendingPayment, PendingPolicy, TransferData, TransferPolicy};
use crate::calendar::{YearMonth, add_days};
use crate::holders::{Interval, Intervals};
use crate::ledger::{Balance, Ledger, LedgerEntry, MonthlyStatement, PaymentRecord, PostingLag};
use crate::messages::{Language, informational_notice};
use crate::meters::{Consumption, Meter, MeterBook, MeterKind, Reading};
use crate::money::Money;
use crate::premises::Premises;
use crate::settlement::{OpenItem, OpenItems, SettlementError, SettlementPolicy, open_items};

mod scope;
mod slice;

pub use scope::{
    Access, ClosingStatement, HolderChangeOutcome, HolderPolicy, NewHolderAccess, Relation,
    ScopeError, SellerBalance,
};
pub use slice::{LocalizedText, PremisesSlice, ResidentSlice, SliceError};

/// Options of a resident view.
///
/// ```
/// use ebok_core::portal::ViewOptions;
/// assert_eq!(ViewOptions::default().months, 12);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewOptions {
    /// How many monthly statements, ending with the current month.
    pub months: u32,
    /// The window, in days, over which the posting lag is estimated.
    pub lag_window_days: u32,
    /// How the cooperative settles (due day, allocation order, interest).
    pub policy: SettlementPolicy,
}

impl Default for ViewOptions {
    fn default() -> Self {
        ViewOptions {
            months: 12,
            lag_window_days: 90,
            policy: SettlementPolicy::default(),
        }
    }
}

/// How current the balance is, and what may be missing from it (seed 004 rule 4), from evidence.
///
/// ```
/// use ebok_core::messages::Language;
/// use ebok_core::portal::FreshnessNote;
/// use time::macros::date;
/// let note = FreshnessNote { freshness: Some(date!(2026 - 11 - 20)), lag_days: Some(3), sample_size: 412, window_days: 90, pending: 1 };
/// assert_eq!(note.message(Language::Polish),
///     "Saldo według stanu księgowań na dzień 20 listopada 2026 r. Wpłaty z ostatnich 3 dni mogą nie być jeszcze uwzględnione (na podstawie 412 wpłat zaksięgowanych w ostatnich 90 dniach). Operacje oczekujące na zaksięgowanie: 1.");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreshnessNote {
    /// The latest posting date the data hold.
    pub freshness: Option<Date>,
    /// The 95th percentile of the payment posting lag in days, when there is evidence.
    pub lag_days: Option<u32>,
    /// How many payments the lag estimate rests on.
    pub sample_size: usize,
    /// The estimation window in days.
    pub window_days: u32,
    /// How many of this premises' entries await posting.
    pub pending: usize,
}

impl FreshnessNote {
    /// The note in words.
    ///
    /// ```
    /// use ebok_core::messages::Language;
    /// use ebok_core::portal::FreshnessNote;
    /// let note = FreshnessNote { freshness: None, lag_days: None, sample_size: 0, window_days: 90, pending: 0 };
    /// assert_eq!(note.message(Language::English), "No operations have been posted yet.");
    /// ```
    pub fn message(&self, language: Language) -> String {
        let Some(fresh) = self.freshness else {
            return match language {
                Language::Polish => "Brak zaksięgowanych operacji.".to_owned(),
                Language::English => "No operations have been posted yet.".to_owned(),
            };
        };
        let mut s = match language {
            Language::Polish => format!(
                // The date ends with "r.", which ends the sentence too.
                "Saldo według stanu księgowań na dzień {}",
                language.long_date(fresh)
            ),
            Language::English => format!("Balance as posted up to {}.", language.long_date(fresh)),
        };
        match (self.lag_days, language) {
            (Some(0), Language::Polish) => s.push_str(" Wpłaty są księgowane w dniu wpływu."),
            (Some(0), Language::English) => s.push_str(" Payments are posted on the day they arrive."),
            (Some(n), Language::Polish) => s.push_str(&format!(
                " Wpłaty z ostatnich {n} dni mogą nie być jeszcze uwzględnione (na podstawie {} wpłat zaksięgowanych w ostatnich {} dniach).",
                self.sample_size, self.window_days
            )),
            (Some(n), Language::English) => s.push_str(&format!(
                " Payments from the last {n} days may not be included yet (based on {} payments posted in the last {} days).",
                self.sample_size, self.window_days
            )),
            (None, Language::Polish) => s.push_str(&format!(
                " Brak wpłat zaksięgowanych w ostatnich {} dniach, więc nie można oszacować opóźnienia księgowań.",
                self.window_days
            )),
            (None, Language::English) => s.push_str(&format!(
                " No payments were posted in the last {} days, so the posting delay cannot be estimated.",
                self.window_days
            )),
        }
        if self.pending > 0 {
            match language {
                Language::Polish => s.push_str(&format!(
                    " Operacje oczekujące na zaksięgowanie: {}.",
                    self.pending
                )),
                Language::English => {
                    s.push_str(&format!(" Operations awaiting posting: {}.", self.pending))
                }
            }
        }
        s
    }
}

/// The e-BOK view of one premises for its resident.
///
/// ```
/// use ebok_core::ledger::{Ledger, LedgerEntry};
/// use ebok_core::money::Money;
/// use ebok_core::portal::{ResidentView, ViewOptions};
/// use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind};
/// use time::macros::date;
/// let mut l = Ledger::new();
/// l.insert(LedgerEntry::payment("P1", "1", Money::parse("100")?, date!(2025 - 05 - 12))?)?;
/// let p = Premises::new(PremisesId::new("1")?, PremisesKind::Flat, Area::parse("40")?);
/// let v = ResidentView::build(&l, &p, date!(2025 - 05 - 13), None, &ViewOptions::default())?;
/// assert_eq!(v.pending.len(), 1);
/// assert!(v.balance.is_settled());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentView {
    /// The premises.
    pub premises: Premises,
    /// The day the view is for.
    pub today: Date,
    /// What the accounting system knew (`None`: everything posted so far).
    pub known_at: Option<Date>,
    /// The balance as of `today`.
    pub balance: Balance,
    /// Freshness and lag.
    pub freshness: FreshnessNote,
    /// The lag estimate behind the note.
    pub lag: Option<PostingLag>,
    /// Monthly statements, oldest first, ending with the current month.
    pub statements: Vec<MonthlyStatement>,
    /// Payments of the statement period, oldest first.
    pub payments: Vec<PaymentRecord>,
    /// Entries awaiting posting (not in the balance).
    pub pending: Vec<LedgerEntry>,
    /// Entries already booked with an operation date after `today` (e.g. next month's charge
    /// posted before the 1st): known, shown as upcoming, not in today's balance.
    pub upcoming: Vec<LedgerEntry>,
    /// Open items, arrears, credit and late interest accrued to `today`.
    pub settlement: OpenItems,
    /// The premises' meters with their last readings (empty until [`ResidentView::with_meters`]).
    pub meters: Vec<MeterView>,
    /// Water consumption per month of the statement period (empty until [`ResidentView::with_meters`]).
    pub water: Vec<WaterMonth>,
    /// What to pay by transfer today, and where (none until [`ResidentView::with_transfer`]).
    #[serde(default)]
    pub transfer: Option<TransferData>,
    /// Payments the bank has credited and the accounting system has not posted yet (none until
    /// [`ResidentView::with_bank`]): "wpłata … — w drodze do księgowości".
    #[serde(default)]
    pub bank_pending: Vec<PendingPayment>,
    /// The balance projected with [`ResidentView::bank_pending`] credited by `today`, shown
    /// beside the posted balance (none until [`ResidentView::with_bank`]).
    #[serde(default)]
    pub projected_balance: Option<Balance>,
}

/// One meter as the resident sees it: its data, last readings and legalization.
///
/// ```
/// use ebok_core::portal::MeterView;
/// let fields = std::mem::size_of::<MeterView>();
/// assert!(fields > 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterView {
    /// The meter.
    pub meter: Meter,
    /// Its last readings, newest first (at most [`MeterView::LAST_READINGS`]).
    pub last_readings: Vec<Reading>,
    /// The last day its legalization is valid, if known.
    pub legalization_valid_through: Option<Date>,
    /// Whether the legalization has expired by `today`.
    pub legalization_expired: bool,
}

impl MeterView {
    /// How many readings a meter view shows.
    pub const LAST_READINGS: usize = 3;
}

/// Water used in one month: cold, hot and sewage (cold + hot), and whether any part is estimated.
///
/// ```
/// use ebok_core::portal::WaterMonth;
/// assert!(std::mem::size_of::<WaterMonth>() > 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaterMonth {
    /// The month.
    pub month: YearMonth,
    /// Cold water.
    pub cold: Consumption,
    /// Hot water.
    pub hot: Consumption,
    /// Sewage: cold + hot.
    pub sewage: Consumption,
}

impl ResidentView {
    /// Builds the view of `premises` for `today`, as known at `known_at`.
    ///
    /// Fails only when the settlement cannot be computed honestly: a due date outside the
    /// holiday calendar or a day without a late-interest rate
    /// ([`crate::settlement::SettlementError`]).
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// # use ebok_core::portal::{ResidentView, ViewOptions};
    /// # use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind};
    /// # use time::macros::date;
    /// let p = Premises::new(PremisesId::new("1")?, PremisesKind::Garage, Area::parse("18")?);
    /// let v = ResidentView::build(&Ledger::new(), &p, date!(2025 - 05 - 13), None, &ViewOptions { months: 3, lag_window_days: 30, ..ViewOptions::default() })?;
    /// assert_eq!(v.statements.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(
        ledger: &Ledger,
        premises: &Premises,
        today: Date,
        known_at: Option<Date>,
        options: &ViewOptions,
    ) -> Result<ResidentView, SettlementError> {
        ResidentView::build_on(ledger, ledger, premises, today, known_at, options)
    }

    /// [`ResidentView::build`] on `visible`, a ledger cut to what a resident may see
    /// ([`Ledger::restricted`]), with the freshness and the posting lag of the whole
    /// cooperative's `books` (facts about the data, not about any premises).
    pub(crate) fn build_on(
        books: &Ledger,
        ledger: &Ledger,
        premises: &Premises,
        today: Date,
        known_at: Option<Date>,
        options: &ViewOptions,
    ) -> Result<ResidentView, SettlementError> {
        let id = &premises.id;
        let freshness = books.freshness(known_at.or(Some(today)));
        let lag = freshness.and_then(|f| books.posting_lag(f, options.lag_window_days));
        let last = YearMonth::of(today);
        let first = last.plus_months(1 - i32::try_from(options.months.max(1)).unwrap_or(1));
        let statements = ledger.statements(id, first, last, known_at);
        let from = first.first_day();
        let payments = ledger
            .payment_history(id, known_at)
            .into_iter()
            .filter(|p| p.credited_on >= from && p.credited_on <= today)
            .collect();
        let pending: Vec<LedgerEntry> = ledger
            .pending(id, known_at)
            .into_iter()
            .filter(|e| e.operation_date <= today)
            .collect();
        let upcoming = ledger.upcoming(id, today, known_at.or(Some(today)));
        Ok(ResidentView {
            premises: premises.clone(),
            today,
            known_at,
            // The caller holds the premises, so the cooperative knows it: a ledger that has no
            // account for it yet means no entries, a zero balance.
            balance: ledger.balance(id, today, known_at).unwrap_or_default(),
            freshness: FreshnessNote {
                freshness,
                lag_days: lag.map(|l| l.p95_days),
                sample_size: lag.map_or(0, |l| l.sample_size),
                window_days: options.lag_window_days,
                pending: pending.len(),
            },
            lag,
            statements,
            payments,
            pending,
            upcoming,
            settlement: open_items(ledger, id, today, known_at, &options.policy)?,
            meters: Vec::new(),
            water: Vec::new(),
            transfer: None,
            bank_pending: Vec::new(),
            projected_balance: None,
        })
    }

    /// The same view with the payments the bank has credited and the books have not posted,
    /// as known at the view's `known_at`, and the balance projected with them.
    ///
    /// ```
    /// use ebok_core::bank::statement::{read_statements, ReadOptions};
    /// use ebok_core::bank::PendingPolicy;
    /// use ebok_core::cooperative::Cooperative;
    /// use ebok_core::portal::{ResidentView, ViewOptions};
    /// use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
    /// let mut coop: Cooperative = SyntheticCooperative::generate(&CooperativeConfig { premises: 3, ..CooperativeConfig::default() }).into();
    /// let p = coop.registry.iter().next().unwrap().clone();
    /// let mt940 = format!(":20:X\n:25:1\n:28C:1\n:60F:C261120PLN0,00\n:61:261120C9999,00NTRFNONREF//R1\n:86:CZYNSZ {}\n:62F:C261120PLN9999,00\n-", p.id);
    /// let file = read_statements(mt940.as_bytes(), &ReadOptions::default())?;
    /// coop.import_bank_statements(&file.statements, time::macros::date!(2026 - 11 - 21))?;
    /// let view = ResidentView::build(&coop.ledger, &p, time::macros::date!(2026 - 11 - 21), None, &ViewOptions::default())?
    ///     .with_bank(&coop.bank, &coop.ledger, &PendingPolicy::default());
    /// assert_eq!(view.bank_pending.len(), 1);
    /// let projected = view.projected_balance.unwrap().amount();
    /// assert_eq!(view.balance.amount().checked_sub(projected).unwrap().to_string(), "9999.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_bank(
        self,
        book: &BankBook,
        ledger: &Ledger,
        policy: &PendingPolicy,
    ) -> ResidentView {
        self.with_bank_within(book, ledger, policy, |_| true)
    }

    /// [`ResidentView::with_bank`] keeping only payments credited on days `visible` accepts.
    pub(crate) fn with_bank_within(
        mut self,
        book: &BankBook,
        ledger: &Ledger,
        policy: &PendingPolicy,
        visible: impl Fn(Date) -> bool,
    ) -> ResidentView {
        let known_at = self.known_at.or(Some(self.today));
        self.bank_pending = book
            .pending(&self.premises.id, ledger, known_at, policy)
            .into_iter()
            .filter(|p| p.credited_on <= self.today && visible(p.credited_on))
            .collect();
        let pending = Money::checked_sum(self.bank_pending.iter().map(|p| p.amount));
        self.projected_balance = pending
            .and_then(|p| self.balance.amount().checked_sub(p))
            .map(Balance::new);
        self
    }

    /// The same view with the transfer the resident can make today to `account` (the
    /// premises' own virtual account, or the cooperative's), from the view's own balance and
    /// open items, under the cooperative's policy. The ZBP 2D code follows from it
    /// ([`crate::bank::PaymentCode::for_transfer`]).
    ///
    /// ```
    /// use ebok_core::bank::{Nrb, TransferPolicy};
    /// use ebok_core::portal::{ResidentView, ViewOptions};
    /// use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
    /// let coop = SyntheticCooperative::generate(&CooperativeConfig { premises: 5, ..CooperativeConfig::default() });
    /// let p = coop.registry.iter().next().unwrap();
    /// let account = Nrb::parse("29114010810000267002001002")?;
    /// let view = ResidentView::build(&coop.ledger, p, coop.config.end, None, &ViewOptions::default())?
    ///     .with_transfer(account, &TransferPolicy::new("SM Przykładowa"));
    /// assert_eq!(view.transfer.unwrap().account, account);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_transfer(mut self, account: Nrb, policy: &TransferPolicy) -> ResidentView {
        self.transfer = Some(TransferData::new(
            &self.premises.id,
            self.today,
            self.balance,
            &self.settlement,
            account,
            policy,
        ));
        self
    }

    /// The same view with the premises' meters, their last readings and legalization, and the
    /// water used in each month of the statement period.
    ///
    /// ```
    /// use ebok_core::portal::{ResidentView, ViewOptions};
    /// use ebok_core::premises::PremisesKind;
    /// use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
    /// let coop = SyntheticCooperative::generate(&CooperativeConfig { premises: 10, ..CooperativeConfig::default() });
    /// let flat = coop.first_of(PremisesKind::Flat).unwrap();
    /// let view = ResidentView::build(&coop.ledger, flat, coop.config.end, None, &ViewOptions::default())?.with_meters(&coop.meters);
    /// assert!(view.meters.len() >= 2);
    /// assert_eq!(view.water.len(), 12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_meters(self, book: &MeterBook) -> ResidentView {
        self.with_meters_within(book, &Intervals::merge([Interval::ALWAYS]))
    }

    /// [`ResidentView::with_meters`] for someone who may see readings only on the days of
    /// `visible`: readings outside are left out, and each month's water is measured over its
    /// visible days only (from the state at the end of the day before the first visible day).
    pub(crate) fn with_meters_within(
        mut self,
        book: &MeterBook,
        visible: &Intervals,
    ) -> ResidentView {
        let id = &self.premises.id;
        self.meters = book
            .meters_of(id)
            .into_iter()
            // A meter removed before the first visible day (or fitted after the last) is not
            // shown: its final state is a reading of someone else's time.
            .filter(|m| {
                let fitted = Interval {
                    from: Some(m.installed_on),
                    to: m.removed_on.and_then(Date::next_day),
                };
                visible
                    .as_slice()
                    .iter()
                    .any(|v| v.intersection(&fitted).is_some())
            })
            .map(|m| MeterView {
                last_readings: book
                    .readings_of(&m.serial)
                    .iter()
                    .rev()
                    .filter(|r| r.date <= self.today && visible.contains(r.date))
                    .take(MeterView::LAST_READINGS)
                    .cloned()
                    .collect(),
                legalization_valid_through: m.legalization.map(|l| l.valid_through()),
                legalization_expired: m.legalization.is_some_and(|l| !l.is_valid_on(self.today)),
                meter: m.clone(),
            })
            .collect();
        self.water = self
            .statements
            .iter()
            .filter_map(|s| {
                let end = s.month.last_day().min(self.today);
                let pieces = visible.within(s.month.first_day(), end);
                let first = pieces.first()?.from.unwrap_or(s.month.first_day());
                let last = pieces.last()?.last_day().unwrap_or(end).min(end);
                let from = s.month.previous().last_day().max(first.previous_day()?);
                let to = last;
                Some(WaterMonth {
                    month: s.month,
                    cold: book.consumption(id, MeterKind::ColdWater, from, to),
                    hot: book.consumption(id, MeterKind::HotWater, from, to),
                    sewage: book.sewage(id, from, to),
                })
            })
            .collect();
        self
    }

    /// The oldest overdue charge (or other debt), if anything is overdue.
    ///
    /// ```
    /// # use ebok_core::ledger::{Ledger, LedgerEntry};
    /// # use ebok_core::money::Money;
    /// # use ebok_core::portal::{ResidentView, ViewOptions};
    /// # use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind};
    /// # use time::macros::date;
    /// let mut l = Ledger::new();
    /// l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", Money::parse("500")?, date!(2025 - 01 - 01), date!(2025 - 01 - 10))?.posted(date!(2025 - 01 - 01)))?;
    /// let p = Premises::new(PremisesId::new("1")?, PremisesKind::Flat, Area::parse("40")?);
    /// let v = ResidentView::build(&l, &p, date!(2025 - 03 - 20), None, &ViewOptions::default())?;
    /// assert_eq!(v.oldest_overdue().unwrap().id.as_str(), "N1");
    /// assert_eq!(v.settlement.arrears, Money::parse("500")?);
    /// assert_eq!(v.settlement.interest_total, Money::parse("10.63")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn oldest_overdue(&self) -> Option<&OpenItem> {
        self.settlement
            .items
            .iter()
            .filter(|i| i.overdue_since.is_some())
            .min_by_key(|i| (i.effective_due, i.operation_date))
    }

    /// The informational notice and whom to contact (seed 004 rules 5 and 6).
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// # use ebok_core::messages::Language;
    /// # use ebok_core::portal::{ResidentView, ViewOptions};
    /// # use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind};
    /// # use time::macros::date;
    /// # let p = Premises::new(PremisesId::new("1")?, PremisesKind::Garage, Area::parse("18")?);
    /// let v = ResidentView::build(&Ledger::new(), &p, date!(2025 - 05 - 13), None, &ViewOptions::default())?;
    /// assert!(v.notice(Language::English).contains("information only"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn notice(&self, language: Language) -> &'static str {
        informational_notice(language)
    }

    /// The first day the view's payments and statements cover.
    ///
    /// ```
    /// # use ebok_core::ledger::Ledger;
    /// # use ebok_core::portal::{ResidentView, ViewOptions};
    /// # use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind};
    /// # use time::macros::date;
    /// # let p = Premises::new(PremisesId::new("1")?, PremisesKind::Garage, Area::parse("18")?);
    /// let v = ResidentView::build(&Ledger::new(), &p, date!(2025 - 05 - 13), None, &ViewOptions::default())?;
    /// assert_eq!(v.period_start(), date!(2024 - 06 - 01));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn period_start(&self) -> Date {
        self.statements
            .first()
            .map_or_else(|| add_days(self.today, 0), |s| s.month.first_day())
    }
}
