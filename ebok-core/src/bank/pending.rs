//! The bank book (księga wyciągów): every imported statement entry once, with its match, and
//! the payments the bank has credited but the accounting system has not posted yet
//! (wpłaty w drodze do księgowości).
//!
//! A matched credit is a *pending payment* of its premises, known from the day its statement was
//! imported, credited on the bank's value date (KC: paid when the creditor's account is
//! credited). It is derived, never stored in the ledger: once the accounting snapshot posts a
//! payment of the same premises and amount within [`PendingPolicy::window_days`] of the value
//! date (a document equal to the bank reference preferred), that payment supersedes it, so it is
//! never counted twice and never lost, whatever the snapshots add or remove.

/// A hash map with a fixed seed: the core reads no OS randomness.
type HashMap<K, V> = hashbrown::HashMap<K, V, foldhash::fast::FixedState>;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::ledger::Ledger;
use crate::messages::Language;
use crate::money::Money;
use crate::premises::PremisesId;

use super::matching::{MatchOutcome, Matcher};
use super::statement::{
    Side, Statement, StatementChain, StatementEntry, StatementWarning, compact_account,
};

/// The key of a bank entry: the statement's account and the bank's reference (or, without one,
/// a digest of the entry's content).
///
/// ```
/// use ebok_core::bank::EntryKey;
/// let k = EntryKey { account: "29114010810000267002001002".into(), reference: "MB1701".into() };
/// assert_eq!(k.to_string(), "29114010810000267002001002/MB1701");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EntryKey {
    /// The statement's account, compact.
    pub account: String,
    /// The bank's reference, or `#` and a content digest.
    pub reference: String,
}

impl std::fmt::Display for EntryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.account, self.reference)
    }
}

/// One entry in the bank book.
///
/// ```
/// use ebok_core::bank::BankRecord;
/// assert!(std::mem::size_of::<BankRecord>() > 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankRecord {
    /// The key.
    pub key: EntryKey,
    /// The entry as the bank reported it (the final statement's, once there is one).
    pub entry: StatementEntry,
    /// Whether it came from a final statement (MT940, camt.053) or an interim report.
    pub is_final: bool,
    /// The match.
    pub outcome: MatchOutcome,
    /// The day its statement was imported: from then on the e-BOK knows it.
    pub imported_on: Date,
    /// For a credit: the key of the return (storno) that sent it back, if any.
    pub returned_by: Option<EntryKey>,
    /// For a return: the key of the credit it returns, if found.
    pub returns: Option<EntryKey>,
}

/// A payment the bank has credited and the accounting system has not posted.
///
/// ```
/// use ebok_core::bank::PendingPayment;
/// use ebok_core::messages::Language;
/// use time::macros::date;
/// let p = PendingPayment {
///     premises: ebok_core::premises::PremisesId::new("0756555")?,
///     amount: "500.00".parse()?,
///     credited_on: date!(2026 - 12 - 03),
///     known_on: date!(2026 - 12 - 04),
///     bank_reference: None,
///     title: None,
///     payer: None,
/// };
/// assert_eq!(p.describe(Language::Polish), "wpłata 500,00 zł z 3 grudnia 2026 r. — w drodze do księgowości");
/// assert_eq!(p.describe(Language::English), "payment of PLN 500.00 of 3 December 2026 — on its way to the books");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingPayment {
    /// The premises.
    pub premises: PremisesId,
    /// The amount.
    pub amount: Money,
    /// The bank's value date: the day the cooperative's account was credited.
    pub credited_on: Date,
    /// The day the statement was imported.
    pub known_on: Date,
    /// The bank's reference.
    pub bank_reference: Option<String>,
    /// The transfer's title.
    pub title: Option<String>,
    /// The payer's name.
    pub payer: Option<String>,
}

impl PendingPayment {
    /// One line for the resident.
    ///
    /// ```
    /// # use ebok_core::bank::PendingPayment;
    /// # use ebok_core::messages::Language;
    /// # let p = PendingPayment { premises: ebok_core::premises::PremisesId::new("1")?, amount: "1234.5".parse()?, credited_on: time::macros::date!(2026 - 01 - 02), known_on: time::macros::date!(2026 - 01 - 02), bank_reference: None, title: None, payer: None };
    /// assert!(p.describe(Language::Polish).starts_with("wpłata 1\u{a0}234,50 zł z 2 stycznia"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn describe(&self, language: Language) -> String {
        let (amount, day) = (
            language.money(self.amount),
            language.long_date(self.credited_on),
        );
        match language {
            Language::Polish => format!("wpłata {amount} z {day} — w drodze do księgowości"),
            Language::English => format!("payment of {amount} of {day} — on its way to the books"),
        }
    }
}

/// When a posted ledger payment supersedes a pending bank payment.
///
/// ```
/// use ebok_core::bank::PendingPolicy;
/// assert_eq!(PendingPolicy::default().window_days, 10);
/// assert!(!PendingPolicy::default().require_reference);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingPolicy {
    /// The most days between the bank's value date and the ledger payment's credit date.
    pub window_days: u32,
    /// Whether a ledger payment whose document differs from the bank reference is kept apart
    /// (for an accounting system that records the bank's reference as the document). By default
    /// a document equal to the reference is only preferred: most systems record their own
    /// statement number (`WB 313/2026`) there.
    pub require_reference: bool,
}

impl Default for PendingPolicy {
    fn default() -> Self {
        PendingPolicy {
            window_days: 10,
            require_reference: false,
        }
    }
}

/// What importing statements into the bank book did.
///
/// ```
/// use ebok_core::bank::BankImportReport;
/// assert_eq!(BankImportReport::default().added, 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankImportReport {
    /// New entries.
    pub added: usize,
    /// Interim entries replaced by the final statement's entry with the same reference.
    pub replaced_interim: usize,
    /// Entries already in the book with the same content.
    pub unchanged: usize,
    /// New credits matched to a premises.
    pub matched: usize,
    /// New credits that could be for more than one premises.
    pub ambiguous: usize,
    /// New credits matched to none.
    pub unmatched: usize,
    /// New debits, fees and returns.
    pub not_incoming: usize,
    /// Returns linked to the credit they send back.
    pub returns_linked: usize,
    /// Continuity warnings, with the statement they concern.
    pub warnings: Vec<(String, StatementWarning)>,
}

/// Why an import of statements was refused (nothing was changed).
///
/// ```
/// use ebok_core::bank::{BankImportError, EntryKey};
/// let e = BankImportError::Conflict { key: EntryKey { account: "1".into(), reference: "R".into() }, field: "amount".into() };
/// assert!(e.to_string().contains("different"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BankImportError {
    /// The same (account, bank reference) with different content.
    #[error("entry {key} is already in the book with a different {field}")]
    Conflict {
        /// The key.
        key: EntryKey,
        /// The first field that differs.
        field: String,
    },
}

/// The bank book.
///
/// ```
/// use ebok_core::bank::{BankBook, Matcher, VirtualAccountRegister};
/// use ebok_core::bank::statement::{read_statements, ReadOptions};
/// let f = read_statements(b":20:X\n:25:1\n:28C:1\n:60F:C250101PLN0,00\n:61:250101C5,00NTRFNONREF//R1\n:62F:C250101PLN5,00\n-", &ReadOptions::default())?;
/// let register = VirtualAccountRegister::default();
/// let mut book = BankBook::default();
/// let report = book.import(&f.statements, &Matcher::new(&register, std::iter::empty()), time::macros::date!(2025 - 01 - 02))?;
/// assert_eq!((report.added, report.unmatched), (1, 1));
/// let again = book.import(&f.statements, &Matcher::new(&register, std::iter::empty()), time::macros::date!(2025 - 01 - 03))?;
/// assert_eq!((again.added, again.unchanged), (0, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankBook {
    records: Vec<BankRecord>,
    #[serde(skip)]
    index: HashMap<EntryKey, usize>,
    /// Per premises, the records matched to it.
    #[serde(skip)]
    by_premises: HashMap<PremisesId, Vec<usize>>,
    /// Per account, the last final statement's name and signed closing balance.
    #[serde(rename = "last_closing")]
    chain: StatementChain,
}

/// The key of `entry` in a statement of `account` (compact).
fn key_of(account: &str, entry: &StatementEntry) -> EntryKey {
    let reference = match &entry.bank_reference {
        Some(r) if !r.is_empty() && r != "NONREF" => r.to_string(),
        _ => {
            let content = format!(
                "{}|{:?}|{}|{}|{}|{}",
                entry.value_date,
                entry.side,
                entry.reversal,
                entry.amount,
                entry.customer_reference.as_deref().unwrap_or(""),
                entry.raw_details
            );
            format!(
                "#{}",
                &crate::interchange::sha256_hex(content.as_bytes())[..20]
            )
        }
    };
    EntryKey {
        account: account.to_owned(),
        reference,
    }
}

/// The first field in which two reports of one entry differ (booking date excluded, which an
/// interim report may not know).
fn differs(a: &StatementEntry, b: &StatementEntry) -> Option<&'static str> {
    if a.amount != b.amount {
        Some("amount")
    } else if a.side != b.side || a.reversal != b.reversal {
        Some("side")
    } else if a.value_date != b.value_date {
        Some("value date")
    } else if a.currency != b.currency {
        Some("currency")
    } else if a.raw_details != b.raw_details || a.title != b.title {
        Some("details")
    } else {
        None
    }
}

impl BankBook {
    /// Imports statements, all or nothing: each entry is matched and recorded once. The same
    /// entry again changes nothing; an interim entry (MT942, camt.054) is replaced by the final
    /// statement's entry with the same reference; the same reference with different content is
    /// a [`BankImportError::Conflict`]. A final statement whose opening balance differs from the
    /// previous final statement's closing balance of the account is imported with a warning.
    /// A return (a storno of a credit) is linked to the credit it sends back, which stops being
    /// pending.
    ///
    /// ```
    /// # use ebok_core::bank::{BankBook, Matcher, VirtualAccountRegister, BankImportError};
    /// # use ebok_core::bank::statement::{read_statements, ReadOptions};
    /// let a = read_statements(b":20:X\n:25:1\n:28C:1\n:60F:C250101PLN0,00\n:61:250101C5,00NTRFNONREF//R1\n:62F:C250101PLN5,00\n-", &ReadOptions::default())?;
    /// let b = read_statements(b":20:X\n:25:1\n:28C:1\n:60F:C250101PLN0,00\n:61:250101C6,00NTRFNONREF//R1\n:62F:C250101PLN6,00\n-", &ReadOptions::default())?;
    /// let r = VirtualAccountRegister::default();
    /// let m = Matcher::new(&r, std::iter::empty());
    /// let mut book = BankBook::default();
    /// book.import(&a.statements, &m, time::macros::date!(2025 - 01 - 02))?;
    /// assert!(matches!(book.import(&b.statements, &m, time::macros::date!(2025 - 01 - 02)), Err(BankImportError::Conflict { .. })));
    /// assert_eq!(book.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn import(
        &mut self,
        statements: &[Statement],
        matcher: &Matcher<'_>,
        imported_on: Date,
    ) -> Result<BankImportReport, BankImportError> {
        let mut report = BankImportReport::default();
        // Phase 1: decide everything against the book as it is (plus this batch), change nothing.
        let mut staged: Vec<BankRecord> = Vec::new();
        let mut replaces: Vec<(usize, BankRecord)> = Vec::new();
        let mut staged_index: HashMap<EntryKey, usize> = HashMap::default();
        let mut chain = self.chain.clone();
        for s in statements {
            let is_final = s.format.is_final();
            let account = compact_account(&s.account);
            if let Some(w) = chain.follow(s) {
                report.warnings.push((s.name(), w));
            }
            for w in &s.warnings {
                report.warnings.push((s.name(), w.clone()));
            }
            for entry in &s.entries {
                let key = key_of(&account, entry);
                let existing = staged_index
                    .get(&key)
                    .map(|&i| &staged[i])
                    .or_else(|| self.index.get(&key).map(|&i| &self.records[i]));
                if let Some(old) = existing {
                    match (old.is_final, is_final, differs(&old.entry, entry)) {
                        (_, false, _) if old.is_final => report.unchanged += 1,
                        (false, true, _) => {
                            let mut record = old.clone();
                            record.entry = entry.clone();
                            record.is_final = true;
                            report.replaced_interim += 1;
                            if let Some(&i) = staged_index.get(&key) {
                                staged[i] = record;
                            } else if let Some(&i) = self.index.get(&key) {
                                replaces.push((i, record));
                            }
                        }
                        (_, _, None) => report.unchanged += 1,
                        (_, _, Some(field)) => {
                            return Err(BankImportError::Conflict {
                                key,
                                field: field.to_owned(),
                            });
                        }
                    }
                    continue;
                }
                let outcome = matcher.match_entry(entry);
                match &outcome {
                    MatchOutcome::Matched { .. } => report.matched += 1,
                    MatchOutcome::Ambiguous { .. } => report.ambiguous += 1,
                    MatchOutcome::Unmatched { .. } => report.unmatched += 1,
                    MatchOutcome::NotIncoming => report.not_incoming += 1,
                }
                report.added += 1;
                staged_index.insert(key.clone(), staged.len());
                staged.push(BankRecord {
                    key,
                    entry: entry.clone(),
                    is_final,
                    outcome,
                    imported_on,
                    returned_by: None,
                    returns: None,
                });
            }
        }
        // Phase 2: apply (infallible).
        for (i, r) in replaces {
            self.records[i] = r;
        }
        let first_new = self.records.len();
        for r in staged {
            self.index.insert(r.key.clone(), self.records.len());
            self.records.push(r);
        }
        self.chain = chain;
        report.returns_linked = self.link_returns(first_new);
        self.reindex_premises();
        Ok(report)
    }

    /// Links each new return (a storno of a credit) to the oldest unreturned credit of the same
    /// account, amount and payer account (or virtual account) with a value date not after it.
    fn link_returns(&mut self, first_new: usize) -> usize {
        let mut linked = 0;
        for i in first_new..self.records.len() {
            let r = &self.records[i];
            if !(r.entry.side == Side::Debit && r.entry.reversal) || r.returns.is_some() {
                continue;
            }
            let (account, amount, day) =
                (r.key.account.clone(), r.entry.amount, r.entry.value_date);
            let same_party = |a: &StatementEntry, b: &StatementEntry| {
                let va = |e: &StatementEntry| e.virtual_account.as_deref().map(compact_account);
                let cp =
                    |e: &StatementEntry| e.counterparty_account.as_deref().map(compact_account);
                (va(a).is_some() && va(a) == va(b)) || (cp(a).is_some() && cp(a) == cp(b))
            };
            let ret = r.entry.clone();
            let original = self
                .records
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    c.key.account == account
                        && c.entry.is_incoming()
                        && c.entry.amount == amount
                        && c.entry.value_date <= day
                        && c.returned_by.is_none()
                        && same_party(&c.entry, &ret)
                })
                .min_by_key(|(_, c)| c.entry.value_date)
                .map(|(j, _)| j);
            if let Some(j) = original {
                let ret_key = self.records[i].key.clone();
                let orig_key = self.records[j].key.clone();
                self.records[j].returned_by = Some(ret_key);
                self.records[i].returns = Some(orig_key);
                linked += 1;
            }
        }
        linked
    }

    fn reindex_premises(&mut self) {
        self.by_premises.clear();
        for (i, r) in self.records.iter().enumerate() {
            if let Some(p) = r.outcome.premises() {
                self.by_premises.entry(p.clone()).or_default().push(i);
            }
        }
    }

    /// The book after deserialization (serde skips the indexes): rebuilds them.
    ///
    /// ```
    /// # use ebok_core::bank::BankBook;
    /// let b: BankBook = serde_json::from_str(r#"{"records":[],"last_closing":{}}"#)?;
    /// assert!(b.reindexed().is_empty());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn reindexed(mut self) -> BankBook {
        self.index = self
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.key.clone(), i))
            .collect();
        self.reindex_premises();
        self
    }

    /// How many entries the book holds.
    ///
    /// ```
    /// # use ebok_core::bank::BankBook;
    /// assert_eq!(BankBook::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the book is empty.
    ///
    /// ```
    /// # use ebok_core::bank::BankBook;
    /// assert!(BankBook::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Every record, in import order.
    ///
    /// ```
    /// # use ebok_core::bank::BankBook;
    /// assert_eq!(BankBook::default().records().count(), 0);
    /// ```
    pub fn records(&self) -> impl Iterator<Item = &BankRecord> {
        self.records.iter()
    }

    /// The credits no premises could be matched to, or more than one: the clerk's queue.
    ///
    /// ```
    /// # use ebok_core::bank::BankBook;
    /// assert_eq!(BankBook::default().unresolved().count(), 0);
    /// ```
    pub fn unresolved(&self) -> impl Iterator<Item = &BankRecord> {
        self.records.iter().filter(|r| {
            matches!(
                r.outcome,
                MatchOutcome::Ambiguous { .. } | MatchOutcome::Unmatched { .. }
            ) && r.returned_by.is_none()
        })
    }

    /// The payments of `premises` the bank has credited and the ledger has not posted, as the
    /// e-BOK knew on `known_at` (`None`: everything imported and posted so far), oldest first.
    ///
    /// A posted ledger payment of the premises supersedes a pending one when the amounts are
    /// equal, the ledger's credit date lies within `policy.window_days` of the bank's value date,
    /// and, when both carry a reference, the ledger document equals the bank reference. Each
    /// posted payment supersedes at most one; a reference match wins, then the earliest posted
    /// payment (credits taken oldest first), which pairs as many as any pairing can.
    ///
    /// ```
    /// # use ebok_core::bank::{BankBook, PendingPolicy};
    /// # use ebok_core::ledger::Ledger;
    /// let p = ebok_core::premises::PremisesId::new("1")?;
    /// assert!(BankBook::default().pending(&p, &Ledger::new(), None, &PendingPolicy::default()).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pending(
        &self,
        premises: &PremisesId,
        ledger: &Ledger,
        known_at: Option<Date>,
        policy: &PendingPolicy,
    ) -> Vec<PendingPayment> {
        let Some(rows) = self.by_premises.get(premises) else {
            return Vec::new();
        };
        let visible = |d: Date| known_at.is_none_or(|k| d <= k);
        let mut candidates: Vec<&BankRecord> = rows
            .iter()
            .map(|&i| &self.records[i])
            .filter(|r| r.entry.is_incoming() && visible(r.imported_on))
            .filter(|r| {
                r.returned_by.as_ref().is_none_or(|k| {
                    // A return imported after `known_at` was not known yet.
                    self.index
                        .get(k)
                        .is_some_and(|&i| !visible(self.records[i].imported_on))
                })
            })
            .collect();
        if candidates.is_empty() {
            return Vec::new();
        }
        candidates.sort_by_key(|r| (r.entry.value_date, r.imported_on));
        let mut posted: Vec<(Date, Money, Option<String>, bool)> = ledger
            .payment_history(premises, known_at)
            .into_iter()
            .filter(|p| p.amount > Money::ZERO)
            .map(|p| {
                let doc = p.document.map(|d| d.as_str().to_owned());
                (p.credited_on, p.amount, doc, false)
            })
            .collect();
        let window = i64::from(policy.window_days);
        let mut out = Vec::new();
        for r in candidates {
            let e = &r.entry;
            let best = posted
                .iter()
                .enumerate()
                .filter(|(_, (day, amount, doc, used))| {
                    !*used
                        && *amount == e.amount
                        && (*day - e.value_date).whole_days().abs() <= window
                        && match (doc, &e.bank_reference) {
                            (Some(d), Some(b)) if policy.require_reference => d == b,
                            _ => true,
                        }
                })
                // Credits are taken oldest first and each takes the earliest posted payment
                // its window reaches: for windows of equal width this pairs as many as any
                // pairing can. A matching reference comes before everything.
                .min_by_key(|(_, (day, _, doc, _))| {
                    (doc.as_deref() != e.bank_reference.as_deref(), *day)
                })
                .map(|(i, _)| i);
            match best {
                Some(i) => posted[i].3 = true,
                None => out.push(PendingPayment {
                    premises: premises.clone(),
                    amount: e.amount,
                    credited_on: e.value_date,
                    known_on: r.imported_on,
                    bank_reference: e.bank_reference.as_ref().map(ToString::to_string),
                    title: e.title.as_ref().map(ToString::to_string),
                    payer: e.counterparty_name.as_ref().map(ToString::to_string),
                }),
            }
        }
        out
    }

    /// The balance of `premises` as of `as_of` projected with its pending bank payments
    /// credited by then: posted balance − Σ pending. `None` for a premises the ledger does not
    /// know.
    ///
    /// ```
    /// # use ebok_core::bank::{BankBook, PendingPolicy};
    /// # use ebok_core::ledger::{Ledger, LedgerEntry};
    /// # use ebok_core::money::Money;
    /// # use time::macros::date;
    /// let mut l = Ledger::new();
    /// l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", Money::parse("100")?, date!(2025 - 01 - 01), date!(2025 - 01 - 10))?.posted(date!(2025 - 01 - 01)))?;
    /// let p = ebok_core::premises::PremisesId::new("1")?;
    /// let b = BankBook::default().projected_balance(&p, &l, date!(2025 - 01 - 31), None, &PendingPolicy::default());
    /// assert_eq!(b, Some(Money::parse("100")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn projected_balance(
        &self,
        premises: &PremisesId,
        ledger: &Ledger,
        as_of: Date,
        known_at: Option<Date>,
        policy: &PendingPolicy,
    ) -> Option<Money> {
        let posted = ledger.balance(premises, as_of, known_at).ok()?.amount();
        let pending = self
            .pending(premises, ledger, known_at, policy)
            .into_iter()
            .filter(|p| p.credited_on <= as_of)
            .map(|p| p.amount);
        Money::checked_sum(pending).and_then(|p| posted.checked_sub(p))
    }
}
