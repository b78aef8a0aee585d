//! People and premises over time: who holds which premises, in which role, from when to when,
//! and what each role lets them do in the e-BOK.
//!
//! Premises change hands. The seed cooperative gives a new buyer, heir or other new holder
//! (nabywca, spadkobierca) a new identifier and a one-time password (seed 000). Each relation
//! is a [`Holding`]: a login holds a premises in a [`Role`] for an [`Interval`] `[from, to)`.
//! What a role allows is the data of a [`CapabilityTable`]. A resident sees a premises' entries,
//! readings, parameters and documents only for the days their relations cover
//! ([`crate::portal::Access`]): a buyer does not see the seller's history, and the seller's
//! access ends on the day of the sale, without staff action.
//!
//! The undated links of `logins.csv` ([`crate::premises::PremisesRegistry::link`]) count as an
//! owner's relation since always, for premises the register does not name; once the register
//! names a premises (from `holders.csv` or a change of holder), it alone says who holds it.
//!
//! ```
//! use ebok_core::holders::{Capability, CapabilityTable, HolderRegister, Holding, Interval, Role};
//! use ebok_core::premises::{LoginId, PremisesId};
//! use time::macros::date;
//!
//! let mut register = HolderRegister::default();
//! let flat = PremisesId::new("0756555")?;
//! let (anna, piotr) = (LoginId::new("1001")?, LoginId::new("1002")?);
//! register.add(Holding::new(anna.clone(), flat.clone(), Role::Owner, Interval::since(date!(2019 - 05 - 01))))?;
//! // Anna sells to Piotr on 15 March 2026.
//! register.change_holder(&flat, date!(2026 - 03 - 15), vec![
//!     Holding::new(piotr.clone(), flat.clone(), Role::Owner, Interval::since(date!(2026 - 03 - 15))),
//! ])?;
//! let table = CapabilityTable::default();
//! let anna_sees = register.intervals(&anna, &flat, Capability::ViewAccount, &table);
//! let piotr_sees = register.intervals(&piotr, &flat, Capability::ViewAccount, &table);
//! assert!(anna_sees.contains(date!(2026 - 03 - 14)) && !anna_sees.contains(date!(2026 - 04 - 01)));
//! assert!(!piotr_sees.contains(date!(2026 - 03 - 14)) && piotr_sees.contains(date!(2026 - 04 - 01)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod register;
mod role;

pub use register::{HolderChange, HolderRegister, Holding, Interval, Intervals, Share};
pub use role::{Capabilities, Capability, CapabilityTable, Role};

use time::Date;

/// Why a relation, a role or a capability table was refused.
///
/// ```
/// use ebok_core::holders::{HolderError, Role};
/// assert!(matches!("landlord".parse::<Role>(), Err(HolderError::InvalidRole { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HolderError {
    /// Not a known role.
    #[error("{value:?} is not a role (owner, co_owner, member, tenant, proxy, heir)")]
    InvalidRole {
        /// The refused text (at most 64 characters).
        value: String,
    },
    /// Not a known capability.
    #[error(
        "{value:?} is not a capability (view_account, view_parameters, view_readings, submit_reading, view_documents, pay, receive_notices)"
    )]
    InvalidCapability {
        /// The refused text (at most 64 characters).
        value: String,
    },
    /// Not a share in (0, 1].
    #[error("{value:?} is not a share: {reason}")]
    InvalidShare {
        /// The refused text (at most 64 characters).
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// An interval that ends before it starts.
    #[error("the interval from {from} to {to} is empty (the end must come after the start)")]
    EmptyInterval {
        /// The start.
        from: Date,
        /// The end.
        to: Date,
    },
    /// A relation that breaks a rule between its fields.
    #[error("relation of {login} to premises {premises}: {reason}")]
    InvalidHolding {
        /// The login.
        login: String,
        /// The premises.
        premises: String,
        /// Why.
        reason: &'static str,
    },
    /// A bad line of a capability table.
    #[error("capability table, line {line}: {reason}")]
    InTable {
        /// The line (from 1).
        line: usize,
        /// Why.
        reason: String,
    },
}
