//! Everything the e-BOK holds for one cooperative, as the accounting system last sent it.

use time::OffsetDateTime;

use crate::ledger::Ledger;
use crate::meters::MeterBook;
use crate::premises::PremisesRegistry;

/// One cooperative's data: premises and login links, the ledger, meters and readings, and
/// the instant the accounting system's data were current as of (data freshness).
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
        }
    }
}
