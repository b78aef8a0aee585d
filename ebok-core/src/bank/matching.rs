//! Matching bank credits to premises (przypisanie wpłat do lokali): by the virtual account the
//! money was paid to, by a payer identifier, or by premises numbers in the title. Never split:
//! a credit that could belong to two premises is `Ambiguous`, for a person to decide.

/// A hash map with a fixed seed: the core reads no OS randomness.
type HashMap<K, V> = hashbrown::HashMap<K, V, foldhash::fast::FixedState>;

use serde::{Deserialize, Serialize};

use crate::premises::PremisesId;

use super::register::{Lookup, VirtualAccountRegister};
use super::statement::StatementEntry;

/// How a credit was matched.
///
/// ```
/// use ebok_core::bank::MatchedBy;
/// assert_eq!(MatchedBy::VirtualAccount.code(), "virtual_account");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatchedBy {
    /// The virtual account the money was paid to is registered to the premises on the value date.
    VirtualAccount,
    /// The payer identifier (mBank IPH) is registered to the premises.
    IphId,
    /// The title names exactly one premises number.
    TitleReference,
}

impl MatchedBy {
    /// The stable code.
    ///
    /// ```
    /// # use ebok_core::bank::MatchedBy;
    /// assert_eq!(MatchedBy::IphId.code(), "iph_id");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            MatchedBy::VirtualAccount => "virtual_account",
            MatchedBy::IphId => "iph_id",
            MatchedBy::TitleReference => "title_reference",
        }
    }
}

/// Why a credit could belong to more than one premises, or to none for sure.
///
/// ```
/// use ebok_core::bank::AmbiguityReason;
/// assert!(AmbiguityReason::TitleNamesSeveral.message_pl().contains("tytuł"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AmbiguityReason {
    /// The title names several premises.
    TitleNamesSeveral,
    /// The virtual account is registered, but not for the value date (validity ended after a
    /// sale, or not begun).
    AccountNotValidOnValueDate,
    /// The payer identifier is registered, but not for the value date.
    PayerIdNotValidOnValueDate,
}

impl AmbiguityReason {
    /// A Polish explanation for the reconciling clerk.
    ///
    /// ```
    /// # use ebok_core::bank::AmbiguityReason;
    /// assert!(AmbiguityReason::AccountNotValidOnValueDate.message_pl().contains("rachunek"));
    /// ```
    pub fn message_pl(&self) -> &'static str {
        match self {
            AmbiguityReason::TitleNamesSeveral => "tytuł wskazuje więcej niż jeden lokal",
            AmbiguityReason::AccountNotValidOnValueDate => {
                "rachunek wirtualny nie był w dniu wpływu przypisany do lokalu (np. po sprzedaży)"
            }
            AmbiguityReason::PayerIdNotValidOnValueDate => {
                "identyfikator płatnika nie był w dniu wpływu przypisany do lokalu"
            }
        }
    }
}

/// Why a credit matched no premises.
///
/// ```
/// use ebok_core::bank::UnmatchedReason;
/// let r = UnmatchedReason::OtherCurrency { currency: "EUR".into() };
/// assert!(r.message_pl().contains("walucie"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnmatchedReason {
    /// Paid to a virtual account the register does not know (and the title names no premises).
    UnknownVirtualAccount {
        /// The account.
        account: String,
    },
    /// No virtual account, payer id or premises number in the title.
    NoReference,
    /// Not in złoty.
    OtherCurrency {
        /// The currency.
        currency: String,
    },
}

impl UnmatchedReason {
    /// A Polish explanation for the reconciling clerk.
    ///
    /// ```
    /// # use ebok_core::bank::UnmatchedReason;
    /// assert!(UnmatchedReason::NoReference.message_pl().contains("tytu"));
    /// ```
    pub fn message_pl(&self) -> &'static str {
        match self {
            UnmatchedReason::UnknownVirtualAccount { .. } => {
                "rachunek wirtualny spoza rejestru, a tytuł nie wskazuje lokalu"
            }
            UnmatchedReason::NoReference => {
                "brak rachunku wirtualnego, identyfikatora i numeru lokalu w tytule"
            }
            UnmatchedReason::OtherCurrency { .. } => "wpłata w walucie innej niż PLN",
        }
    }
}

/// The result of matching one statement entry.
///
/// ```
/// use ebok_core::bank::{MatchOutcome, MatchedBy};
/// use ebok_core::premises::PremisesId;
/// let m = MatchOutcome::Matched { premises: PremisesId::new("0756555")?, by: MatchedBy::VirtualAccount };
/// assert_eq!(m.premises().map(|p| p.as_str()), Some("0756555"));
/// assert_eq!(MatchOutcome::NotIncoming.code(), "not_incoming");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatchOutcome {
    /// Paid for this premises.
    Matched {
        /// The premises.
        premises: PremisesId,
        /// How it was matched.
        by: MatchedBy,
    },
    /// It could be any of `candidates` (or none): a person decides; never split automatically.
    Ambiguous {
        /// The premises it could be for.
        candidates: Vec<PremisesId>,
        /// Why it is not clear.
        reason: AmbiguityReason,
    },
    /// No premises found.
    Unmatched {
        /// Why.
        reason: UnmatchedReason,
    },
    /// Not money in: a debit, a fee, the storno of a debit.
    NotIncoming,
}

impl MatchOutcome {
    /// The matched premises, if any.
    ///
    /// ```
    /// # use ebok_core::bank::MatchOutcome;
    /// assert!(MatchOutcome::NotIncoming.premises().is_none());
    /// ```
    pub fn premises(&self) -> Option<&PremisesId> {
        match self {
            MatchOutcome::Matched { premises, .. } => Some(premises),
            _ => None,
        }
    }

    /// The stable code: `matched`, `ambiguous`, `unmatched`, `not_incoming`.
    ///
    /// ```
    /// # use ebok_core::bank::{MatchOutcome, UnmatchedReason};
    /// assert_eq!(MatchOutcome::Unmatched { reason: UnmatchedReason::NoReference }.code(), "unmatched");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            MatchOutcome::Matched { .. } => "matched",
            MatchOutcome::Ambiguous { .. } => "ambiguous",
            MatchOutcome::Unmatched { .. } => "unmatched",
            MatchOutcome::NotIncoming => "not_incoming",
        }
    }
}

/// Matches entries against the register and the cooperative's premises numbers.
///
/// Order: the virtual account (valid on the value date) wins; then the payer identifier; then
/// premises numbers in the title. A registered account outside its validity, or a title naming
/// several premises, is `Ambiguous`. Only złoty credits are matched.
///
/// ```
/// use ebok_core::bank::{Matcher, MatchOutcome, MatchedBy, VirtualAccountRegister};
/// use ebok_core::bank::statement::{read_statements, ReadOptions};
/// use ebok_core::premises::PremisesId;
/// let ids = [PremisesId::new("0756555")?, PremisesId::new("0756556")?];
/// let register = VirtualAccountRegister::default();
/// let matcher = Matcher::new(&register, ids.iter());
/// let file = read_statements(b":20:X\n:25:1\n:28C:1\n:60F:C250101PLN0,00\n:61:250101C5,00NTRFNONREF\n:86:CZYNSZ 0756556\n:62F:C250101PLN5,00\n-", &ReadOptions::default())?;
/// let m = matcher.match_entry(&file.statements[0].entries[0]);
/// assert_eq!(m, MatchOutcome::Matched { premises: ids[1].clone(), by: MatchedBy::TitleReference });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Matcher<'a> {
    register: &'a VirtualAccountRegister,
    premises: HashMap<&'a str, &'a PremisesId>,
}

impl<'a> Matcher<'a> {
    /// A matcher over `register` and the premises numbers `premises`.
    ///
    /// ```
    /// # use ebok_core::bank::{Matcher, VirtualAccountRegister};
    /// let r = VirtualAccountRegister::default();
    /// let m = Matcher::new(&r, std::iter::empty());
    /// # let _ = m;
    /// ```
    pub fn new(
        register: &'a VirtualAccountRegister,
        premises: impl Iterator<Item = &'a PremisesId>,
    ) -> Matcher<'a> {
        Matcher {
            register,
            premises: premises.map(|p| (p.as_str(), p)).collect(),
        }
    }

    /// Matches one entry.
    ///
    /// ```
    /// # use ebok_core::bank::{Matcher, MatchOutcome, VirtualAccountRegister};
    /// # use ebok_core::bank::statement::{read_statements, ReadOptions};
    /// let r = VirtualAccountRegister::default();
    /// let f = read_statements(b":20:X\n:25:1\n:28C:1\n:60F:C250101PLN0,00\n:61:250101D5,00NTRFNONREF\n:62F:D250101PLN5,00\n-", &ReadOptions::default())?;
    /// assert_eq!(Matcher::new(&r, std::iter::empty()).match_entry(&f.statements[0].entries[0]), MatchOutcome::NotIncoming);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn match_entry(&self, entry: &StatementEntry) -> MatchOutcome {
        if !entry.is_incoming() {
            return MatchOutcome::NotIncoming;
        }
        if entry.currency != "PLN" && !entry.currency.is_empty() {
            return MatchOutcome::Unmatched {
                reason: UnmatchedReason::OtherCurrency {
                    currency: entry.currency.to_string(),
                },
            };
        }
        let day = entry.value_date;
        let mut unknown_account = None;
        let mut expired: Option<(Vec<PremisesId>, AmbiguityReason)> = None;
        if let Some(account) = &entry.virtual_account {
            match self.register.lookup(account, day) {
                Lookup::Valid(p) => {
                    return MatchOutcome::Matched {
                        premises: p.clone(),
                        by: MatchedBy::VirtualAccount,
                    };
                }
                Lookup::Outside(ps) => {
                    expired = Some((
                        ps.into_iter().cloned().collect(),
                        AmbiguityReason::AccountNotValidOnValueDate,
                    ))
                }
                Lookup::Unknown => unknown_account = Some(account.to_string()),
            }
        }
        if let Some(id) = &entry.payer_id {
            match self.register.lookup_payer(id, day) {
                Lookup::Valid(p) if expired.is_none() => {
                    return MatchOutcome::Matched {
                        premises: p.clone(),
                        by: MatchedBy::IphId,
                    };
                }
                Lookup::Outside(ps) if expired.is_none() => {
                    expired = Some((
                        ps.into_iter().cloned().collect(),
                        AmbiguityReason::PayerIdNotValidOnValueDate,
                    ))
                }
                _ => {}
            }
        }
        if let Some((candidates, reason)) = expired {
            // The money was sent to an account that no longer (or not yet) belongs to the
            // premises: never guessed from the title.
            return MatchOutcome::Ambiguous { candidates, reason };
        }
        let named = self.premises_in(entry.title.as_deref().unwrap_or(""));
        match named.len() {
            1 => MatchOutcome::Matched {
                premises: named[0].clone(),
                by: MatchedBy::TitleReference,
            },
            0 => MatchOutcome::Unmatched {
                reason: match unknown_account {
                    Some(account) => UnmatchedReason::UnknownVirtualAccount { account },
                    None => UnmatchedReason::NoReference,
                },
            },
            _ => MatchOutcome::Ambiguous {
                candidates: named.into_iter().cloned().collect(),
                reason: AmbiguityReason::TitleNamesSeveral,
            },
        }
    }

    /// The distinct premises numbers among the title's words (in order of appearance).
    fn premises_in(&self, title: &str) -> Vec<&'a PremisesId> {
        let mut found: Vec<&'a PremisesId> = Vec::new();
        for word in title.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '/') {
            let word = word.trim_matches(|c| c == '-' || c == '/');
            if let Some(&p) = self.premises.get(word)
                && !found.iter().any(|f| std::ptr::eq(*f, p))
            {
                found.push(p);
            }
        }
        found
    }
}
