//! Everything the e-BOK holds for one cooperative, as the accounting system last sent it.

use time::{Date, OffsetDateTime};

use crate::bank::statement::Statement;
use crate::bank::{
    BankBook, BankImportError, BankImportReport, Matcher, PendingPayment, PendingPolicy,
    VirtualAccountRegister,
};
use crate::documents::DocumentBook;
use crate::holders::{CapabilityTable, HolderRegister};
use crate::ledger::Ledger;
use crate::meters::MeterBook;
use crate::parameters::ParameterBook;
use crate::portal::HolderPolicy;
use crate::premises::PremisesRegistry;

/// One cooperative's data: premises, who holds them and when, the ledger, meters and readings,
/// parameters, documents, the bank side, and the instant the accounting system's data were
/// current as of (data freshness). What one login may see of it is answered in
/// [`crate::portal`] ([`Cooperative::resident_view`], [`Cooperative::resident_slice`]).
///
/// ```
/// use ebok_core::cooperative::Cooperative;
/// let c = Cooperative::default();
/// assert!(c.current_as_of.is_none());
/// assert!(c.ledger.is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Cooperative {
    /// The cooperative's name, as the snapshots give it.
    pub name: String,
    /// Premises and the login identifiers that reach them.
    pub registry: PremisesRegistry,
    /// The premises accounts.
    pub ledger: Ledger,
    /// Meters and readings.
    pub meters: MeterBook,
    /// The instant the last imported snapshot was current as of.
    pub current_as_of: Option<OffsetDateTime>,
    /// The register of virtual accounts per premises (`virtual_accounts.csv`).
    pub virtual_accounts: VirtualAccountRegister,
    /// The imported bank statements' entries and their matches.
    pub bank: BankBook,
    /// Who holds which premises, in which role, from when to when (`holders.csv`).
    pub holders: HolderRegister,
    /// What each role may do (ebok's default unless the cooperative overrides it).
    pub capabilities: CapabilityTable,
    /// The premises' parameters over time (`parameters.csv`).
    pub parameters: ParameterBook,
    /// Documents' metadata (`documents.csv`).
    pub documents: DocumentBook,
    /// How a change of holder shows in the new holder's account.
    pub holder_policy: HolderPolicy,
}

impl Cooperative {
    /// Imports bank statements into the bank book, matching each credit against the register of
    /// virtual accounts and the premises numbers: all or nothing ([`BankBook::import`]).
    ///
    /// ```
    /// use ebok_core::bank::statement::{read_statements, ReadOptions};
    /// use ebok_core::bank::PendingPolicy;
    /// use ebok_core::cooperative::Cooperative;
    /// use ebok_core::synthetic::{CooperativeConfig, SyntheticCooperative};
    /// let mut coop: Cooperative = SyntheticCooperative::generate(&CooperativeConfig { premises: 3, ..CooperativeConfig::default() }).into();
    /// let id = coop.registry.iter().next().unwrap().id.clone();
    /// let mt940 = format!(":20:X\n:25:1\n:28C:1\n:60F:C261122PLN0,00\n:61:261122C500,00NTRFNONREF//R1\n:86:CZYNSZ {id}\n:62F:C261122PLN500,00\n-");
    /// let file = read_statements(mt940.as_bytes(), &ReadOptions::default())?;
    /// let report = coop.import_bank_statements(&file.statements, time::macros::date!(2026 - 11 - 23))?;
    /// assert_eq!(report.matched, 1);
    /// assert_eq!(coop.pending_payments(&id, None, &PendingPolicy::default()).len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn import_bank_statements(
        &mut self,
        statements: &[Statement],
        imported_on: Date,
    ) -> Result<BankImportReport, BankImportError> {
        let ids: Vec<_> = self.registry.iter().map(|p| p.id.clone()).collect();
        let matcher = Matcher::new(&self.virtual_accounts, ids.iter());
        self.bank.import(statements, &matcher, imported_on)
    }

    /// The payments of `premises` credited by the bank and not yet posted ([`BankBook::pending`]).
    ///
    /// ```
    /// # use ebok_core::cooperative::Cooperative;
    /// # use ebok_core::bank::PendingPolicy;
    /// let c = Cooperative::default();
    /// assert!(c.pending_payments(&ebok_core::premises::PremisesId::new("1")?, None, &PendingPolicy::default()).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pending_payments(
        &self,
        premises: &crate::premises::PremisesId,
        known_at: Option<Date>,
        policy: &PendingPolicy,
    ) -> Vec<PendingPayment> {
        self.bank.pending(premises, &self.ledger, known_at, policy)
    }
}

#[cfg(feature = "synthetic")]
impl From<crate::synthetic::SyntheticCooperative> for Cooperative {
    fn from(s: crate::synthetic::SyntheticCooperative) -> Self {
        Cooperative {
            name: "SM Przykładowa (dane syntetyczne)".to_owned(),
            registry: s.registry,
            ledger: s.ledger,
            meters: s.meters,
            current_as_of: None,
            ..Cooperative::default()
        }
    }
}
