//! A premises account cut to the days a resident may see (see [`crate::portal::Access`]).

use time::Date;

use super::{EntryId, EntryKind, InsertMode, Ledger, LedgerEntry};
use crate::money::Money;
use crate::premises::PremisesId;

impl Ledger {
    /// A ledger of `premises` alone, holding only its entries whose operation date `keep`
    /// accepts, with the stored allocations and designations between kept entries. Everything
    /// computed on it (balances, statements, open items, interest) sees nothing else.
    ///
    /// `opening`, when given, adds an opening-balance entry (bilans otwarcia) on that day with
    /// that amount, for a cooperative whose policy carries the previous holder's balance over
    /// ([`crate::portal::SellerBalance::Carried`]).
    ///
    /// ```
    /// use ebok_core::ledger::{Ledger, LedgerEntry};
    /// use ebok_core::money::Money;
    /// use ebok_core::premises::PremisesId;
    /// use time::macros::date;
    /// let mut l = Ledger::new();
    /// l.insert(LedgerEntry::charge("N1", "1", "eksploatacja", Money::parse("500")?, date!(2026 - 03 - 01), date!(2026 - 03 - 10))?.posted(date!(2026 - 03 - 01)))?;
    /// l.insert(LedgerEntry::charge("N2", "1", "eksploatacja", Money::parse("500")?, date!(2026 - 04 - 01), date!(2026 - 04 - 10))?.posted(date!(2026 - 04 - 01)))?;
    /// let p = PremisesId::new("1")?;
    /// let buyer = l.restricted(&p, |d| d >= date!(2026 - 03 - 15), None);
    /// assert_eq!(buyer.balance(&p, date!(2026 - 04 - 30), None)?.amount(), Money::parse("500")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn restricted(
        &self,
        premises: &PremisesId,
        keep: impl Fn(Date) -> bool,
        opening: Option<(Date, Money)>,
    ) -> Ledger {
        let mut out = Ledger::new();
        out.open_account(premises.clone());
        let mut kept: Vec<LedgerEntry> = self
            .entries(premises)
            .into_iter()
            .filter(|e| keep(e.operation_date))
            .collect();
        if let Some((day, amount)) = opening
            && !amount.is_zero()
            && let Ok(id) = EntryId::new(&format!("~bilans-otwarcia-{day}"))
        {
            kept.push(LedgerEntry {
                id,
                premises: premises.clone(),
                kind: EntryKind::OpeningBalance,
                amount,
                component: None,
                operation_date: day,
                posted_on: Some(day),
                due_date: Some(day),
                document: None,
            });
        }
        let ids: std::collections::BTreeSet<EntryId> = kept.iter().map(|e| e.id.clone()).collect();
        // Entries already held by a valid ledger are valid: the batch cannot be refused.
        let _inserted = out.insert_batch(kept, InsertMode::Strict).is_ok();
        for credit in &ids {
            let lines: Vec<_> = self
                .allocations_of(credit)
                .iter()
                .filter(|a| ids.contains(&a.debt))
                .cloned()
                .collect();
            if !lines.is_empty() {
                // A subset of valid lines between kept entries stays valid.
                let _ = out.set_allocations(credit, lines);
            }
            if let Some(debt) = self.designation_of(credit)
                && ids.contains(debt)
            {
                let _ = out.designate(credit, debt);
            }
        }
        out
    }
}
