//! The kinds that cross to Kotlin and Swift as enums (sealed in Kotlin, `enum` in Swift), never
//! as strings: each mirrors an `ebok-core` enum, converted both ways in one place.

use ebok_core::access as core_access;

/// Defines a foreign enum mirroring a core enum, with both conversions. For a core enum marked
/// `#[non_exhaustive]`, `other` names the variant a future core variant is shown as.
macro_rules! mirror_enum {
    (
        $(#[$doc:meta])* $name:ident => $core:path $(, other = $other:ident)?
        { $($(#[$vdoc:meta])* $variant:ident),* $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name {
            $($(#[$vdoc])* $variant),*
        }

        impl From<$name> for $core {
            fn from(k: $name) -> Self {
                match k {
                    $($name::$variant => <$core>::$variant),*
                }
            }
        }

        impl From<$core> for $name {
            fn from(k: $core) -> Self {
                #[allow(unreachable_patterns)]
                match k {
                    $(<$core>::$variant => $name::$variant,)*
                    $(_ => $name::$other,)?
                }
            }
        }
    };
}

mirror_enum! {
    /// The kind of a premises (rodzaj lokalu).
    PremisesKind => ebok_core::premises::PremisesKind {
        /// Flat (mieszkanie).
        Flat,
        /// Garage (garaż).
        Garage,
        /// Parking space (miejsce postojowe).
        ParkingSpace,
        /// Commercial unit (lokal użytkowy).
        Commercial,
        /// Storage room (komórka lokatorska).
        StorageRoom,
    }
}

mirror_enum! {
    /// The kind of an account entry (rodzaj zapisu).
    EntryKind => ebok_core::ledger::EntryKind {
        /// Charge (naliczenie).
        Charge,
        /// Payment (wpłata).
        Payment,
        /// Correction (korekta).
        Correction,
        /// Interest (odsetki).
        Interest,
        /// Settlement (rozliczenie).
        Settlement,
        /// Refund of an overpayment (zwrot nadpłaty).
        Refund,
        /// Opening balance (bilans otwarcia).
        OpeningBalance,
    }
}

mirror_enum! {
    /// Who read a meter (źródło odczytu).
    ReadingSource => ebok_core::meters::ReadingSource {
        /// The cooperative's inspector (inkasent).
        Inspector,
        /// Read remotely (radio).
        Remote,
        /// The resident (samoodczyt).
        SelfReported,
        /// Estimated from average use.
        Estimated,
        /// The flat-rate norm (ryczałt).
        Norm,
    }
}

mirror_enum! {
    /// A full snapshot (replaces everything) or an incremental one (upserts and deletions).
    SnapshotKind => ebok_core::interchange::SnapshotKind {
        /// Full.
        Full,
        /// Incremental.
        Incremental,
    }
}

mirror_enum! {
    /// The kind of a premises parameter.
    ParameterKind => ebok_core::parameters::ParameterKind, other = ChargeBasis {
        /// Usable area (m²).
        UsableArea,
        /// Heated area (m²).
        HeatedArea,
        /// Registered persons.
        RegisteredPersons,
        /// Share in the common property.
        CommonShare,
        /// Cold water meters.
        ColdWaterMeters,
        /// Hot water meters.
        HotWaterMeters,
        /// Heat meters.
        HeatMeters,
        /// Heat cost allocators.
        HeatCostAllocators,
        /// The basis of a charge.
        ChargeBasis,
    }
}

mirror_enum! {
    /// The kind of a document.
    DocumentKind => ebok_core::documents::DocumentKind, other = Other {
        /// A notice of a change of fees (USM art. 4 ust. 7).
        FeeChangeNotice,
        /// The annual settlement.
        AnnualSettlement,
        /// A resolution.
        Resolution,
        /// A letter.
        Letter,
        /// Anything else.
        Other,
    }
}

mirror_enum! {
    /// What an audit event records.
    AuditKind => core_access::AuditKind {
        /// Access created at the office.
        Created,
        /// Access activated.
        Activated,
        /// A successful password login.
        LoginSucceeded,
        /// A failed login.
        LoginFailed,
        /// A one-time password was redeemed.
        OtpRedeemed,
        /// The stored hash was upgraded to the current parameters.
        Rehashed,
        /// The first password was set.
        PasswordSet,
        /// The password was changed.
        PasswordChanged,
        /// A one-time password was issued.
        OtpIssued,
        /// Locked after too many failures.
        Locked,
        /// Blocked for misuse.
        AdminBlocked,
        /// The block for misuse was lifted.
        AdminUnblocked,
        /// Closed at the owner's request.
        Closed,
        /// An unblock request was received.
        UnblockRequest,
        /// A password change failed on the current password (counted like a failed login).
        PasswordChangeFailed,        /// The office recorded new contacts.
        ContactsChanged,
    }
}

mirror_enum! {
    /// What a resident is told about.
    NoticeKind => core_access::Notice {
        /// A one-time password was issued.
        OtpIssued,
        /// The password was set or changed.
        PasswordChanged,
        /// Access was blocked after failed logins.
        Blocked,
        /// Access was unblocked.
        Unblocked,
        /// Access was blocked by the cooperative.
        AdminBlocked,
    }
}

mirror_enum! {
    /// The record types of a snapshot (one file each).
    RecordType => ebok_core::interchange::RecordType {
        /// `premises.csv`.
        Premises,
        /// `logins.csv`.
        Logins,
        /// `ledger.csv`.
        Ledger,
        /// `allocations.csv`.
        Allocations,
        /// `designations.csv`.
        Designations,
        /// `meters.csv`.
        Meters,
        /// `readings.csv`.
        Readings,
        /// `virtual_accounts.csv`.
        VirtualAccounts,
        /// `holders.csv`.
        Holders,
        /// `parameters.csv`.
        Parameters,
        /// `documents.csv`.
        Documents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every core variant (the core's `ALL` lists) crosses and comes back as itself: a variant
    /// added to the core and not here would come back as the fallback and fail this.
    #[test]
    fn every_core_variant_round_trips() {
        macro_rules! round_trip {
            ($ffi:ty, $core:ty) => {
                for k in <$core>::ALL {
                    assert_eq!(<$core>::from(<$ffi>::from(k)), k);
                }
            };
        }
        round_trip!(PremisesKind, ebok_core::premises::PremisesKind);
        round_trip!(EntryKind, ebok_core::ledger::EntryKind);
        round_trip!(ParameterKind, ebok_core::parameters::ParameterKind);
        round_trip!(DocumentKind, ebok_core::documents::DocumentKind);
        round_trip!(RecordType, ebok_core::interchange::RecordType);
    }
}
