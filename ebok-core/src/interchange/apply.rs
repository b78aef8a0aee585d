//! Importing a snapshot into a [`Cooperative`]: check everything against the state the
//! import would produce, then change everything or nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use time::Date;

use super::records::{Parsed, parse_snapshot};
use super::{
    ControlCheck, ControlPolicy, Counts, ImportError, ImportIssue, ImportOptions, ImportReport,
    Manifest, RecordType, SnapshotFiles, SnapshotKind,
};
use crate::calendar::day_number;
use crate::cooperative::Cooperative;
use crate::ledger::{Allocation, ChangeProblem, EntryId, LedgerChange, LedgerEntry};
use crate::meters::{MeterBook, MeterSerial};
use crate::money::Money;
use crate::premises::{LoginId, PremisesId, PremisesRegistry};

pub(super) fn bump(report: &mut ImportReport, t: RecordType, f: impl FnOnce(&mut Counts)) {
    f(report.counts.entry(t).or_default());
}

pub(super) fn removed(report: &mut ImportReport, t: RecordType, key: String) {
    bump(report, t, |c| c.removed += 1);
    report.removed.entry(t).or_default().push(key);
}

impl Cooperative {
    /// Imports a snapshot from the accounting system: atomic (any problem → nothing changes,
    /// and the error lists every problem with file, line, column and value), idempotent (the
    /// same snapshot twice changes nothing the second time), full snapshots replace and
    /// incremental ones upsert and delete, and control totals are checked afterwards.
    ///
    /// ```
    /// use ebok_core::cooperative::Cooperative;
    /// use ebok_core::interchange::{ImportOptions, SnapshotFiles};
    /// let files = SnapshotFiles::new(b"format = ebok-snapshot\nversion = 9.0\n".to_vec());
    /// let mut coop = Cooperative::default();
    /// let err = coop.import(&files, &ImportOptions::default()).unwrap_err();
    /// assert!(err.issues.iter().any(|i| i.reason.contains("newer")));
    /// ```
    pub fn import(
        &mut self,
        files: &SnapshotFiles,
        options: &ImportOptions,
    ) -> Result<ImportReport, ImportError> {
        let (manifest, parsed) = parse_snapshot(files, options.integrity)?;
        let mut issues = Vec::new();
        if let Some(now) = options.now
            && manifest.current_as_of
                > now + time::Duration::hours(i64::from(options.max_ahead_hours))
        {
            issues.push(ImportIssue::new(
                "manifest",
                0,
                Some("current_as_of"),
                &manifest.current_as_of.to_string(),
                format!(
                    "is more than {} hours after now ({now}); refused so that later real snapshots are not taken as older",
                    options.max_ahead_hours
                ),
            ));
        }
        if let Some(current) = self.current_as_of
            && manifest.current_as_of < current
            && !options.allow_older
        {
            issues.push(ImportIssue::new(
                "manifest",
                0,
                Some("current_as_of"),
                &manifest.current_as_of.to_string(),
                format!("older than the data already imported ({current}); refused so that newer data are not overwritten"),
            ));
        }
        if !self.name.is_empty() && self.name != manifest.cooperative {
            issues.push(ImportIssue::new(
                "manifest",
                0,
                Some("cooperative"),
                &manifest.cooperative,
                format!("this data belongs to {:?}", self.name),
            ));
        }
        let mut report = ImportReport {
            kind: Some(manifest.kind),
            current_as_of: Some(manifest.current_as_of),
            ..ImportReport::default()
        };
        let full = manifest.kind == SnapshotKind::Full;
        let deletions = |t: RecordType| -> Vec<(u64, &str)> {
            parsed
                .deletions
                .iter()
                .filter(|d| d.1 == t)
                .map(|d| (d.0, d.2.as_str()))
                .collect()
        };

        // --- premises and logins: prepared on a copy ---
        let planned_registry =
            self.plan_registry(&parsed, full, &deletions, &mut report, &mut issues);
        let registry = planned_registry.as_ref().unwrap_or(&self.registry);

        // --- ledger: what the ledger would hold ---
        // The parsed rows stay in their columns: they are found by id through the index their
        // uniqueness check built, compared with the stored columns in place, and loaded into
        // an empty ledger in bulk. No entry is made per row.
        let rows = &parsed.ledger;
        if !full {
            // Upserting and deleting the same entry in one snapshot is a contradiction.
            for (line, key) in deletions(RecordType::Ledger) {
                if rows.find(key).is_some() {
                    issues.push(ImportIssue::new(
                        "deletions.csv",
                        line,
                        Some("key"),
                        key,
                        "this entry is also in ledger.csv: a snapshot may upsert or delete an entry, not both",
                    ));
                }
            }
        }
        // Each distinct premises looked up once; rows are unique by id (a repeated identical
        // row was dropped, a different one refused, when parsing).
        let unknown_premises: Vec<bool> = rows
            .premises_list()
            .iter()
            .map(|p| registry.get(p).is_none())
            .collect();
        let empty_ledger = self.ledger.is_empty();
        // Rows that add or change an entry; with `replaced` those whose id the ledger holds.
        let mut upserted_rows: Vec<usize> = Vec::new();
        let mut replaced_rows: Vec<usize> = Vec::new();
        let mut counts = Counts::default();
        // Rows usually come in the order of the stored books: each is tried right after the
        // previous one's place first.
        let mut hint = None;
        for i in 0..rows.len() {
            if unknown_premises[rows.premises_index(i)] {
                issues.push(ImportIssue::new(
                    "ledger.csv",
                    rows.line(i),
                    Some("premises"),
                    rows.premises_list()[rows.premises_index(i)].as_str(),
                    "no such premises in premises.csv or the data already imported",
                ));
            }
            let stored = if empty_ledger {
                None
            } else {
                self.ledger.compare_stored(rows, i, &mut hint)
            };
            match stored {
                None => {
                    counts.added += 1;
                    upserted_rows.push(i);
                }
                Some(true) => {
                    counts.unchanged += 1;
                    replaced_rows.push(i);
                }
                Some(false) => {
                    counts.changed += 1;
                    upserted_rows.push(i);
                    replaced_rows.push(i);
                }
            }
        }
        if counts != Counts::default() {
            bump(&mut report, RecordType::Ledger, |c| {
                c.added += counts.added;
                c.unchanged += counts.unchanged;
                c.changed += counts.changed;
            });
        }
        let mut ledger_removals: Vec<EntryId> = Vec::new();
        // Rows are unique by id: when every stored entry's id is among them, a full snapshot
        // removes nothing, and the stored ids need not be looked up one by one.
        let ledger_deleted: BTreeSet<String> = if full && replaced_rows.len() == self.ledger.len() {
            BTreeSet::new()
        } else if full {
            self.ledger
                .ids()
                .filter(|id| rows.find(id).is_none())
                .map(str::to_owned)
                .collect()
        } else {
            deletions(RecordType::Ledger)
                .into_iter()
                .map(|(_, k)| k.to_owned())
                .collect()
        };
        for id in &ledger_deleted {
            if let Ok(eid) = EntryId::new(id)
                && self.ledger.get(&eid).is_some()
            {
                removed(&mut report, RecordType::Ledger, id.clone());
                ledger_removals.push(eid);
            }
        }
        // The ledger as it would be, for references and control totals.
        let lookup = |id: &EntryId| -> Option<LedgerEntry> {
            if let Some(i) = rows.find(id.as_str()) {
                return Some(rows.entry(i));
            }
            if ledger_deleted.contains(id.as_str()) {
                return None;
            }
            self.ledger.get(id)
        };

        // --- allocations and designations ---
        let mut by_credit: BTreeMap<EntryId, Vec<(u64, Allocation)>> = BTreeMap::new();
        for (line, a) in &parsed.allocations {
            by_credit
                .entry(a.credit.clone())
                .or_default()
                .push((*line, a.clone()));
        }
        for (credit, lines) in &by_credit {
            let first = lines[0].0;
            let c = lookup(credit).filter(|e| e.effect().is_negative());
            let Some(c) = c else {
                issues.push(ImportIssue::new(
                    "allocations.csv",
                    first,
                    Some("credit"),
                    credit.as_str(),
                    "not a payment or other credit entry of the ledger",
                ));
                continue;
            };
            let mut total = Money::ZERO;
            for (line, a) in lines {
                let ok = lookup(&a.debt)
                    .is_some_and(|d| d.premises == c.premises && d.effect().is_positive());
                if !ok {
                    issues.push(ImportIssue::new(
                        "allocations.csv",
                        *line,
                        Some("debt"),
                        a.debt.as_str(),
                        "not a debt entry of the same premises",
                    ));
                }
                total = total.checked_add(a.amount).unwrap_or(Money::MAX);
            }
            if total > c.effect().abs() {
                issues.push(ImportIssue::new(
                    "allocations.csv",
                    first,
                    Some("amount"),
                    &total.to_string(),
                    format!(
                        "allocations of {credit} exceed its amount {}",
                        c.effect().abs()
                    ),
                ));
            }
            let new: Vec<Allocation> = lines.iter().map(|(_, a)| a.clone()).collect();
            match self.ledger.allocations_of(credit) {
                [] => bump(&mut report, RecordType::Allocations, |c| c.added += 1),
                old if old == new.as_slice() => {
                    bump(&mut report, RecordType::Allocations, |c| c.unchanged += 1)
                }
                _ => bump(&mut report, RecordType::Allocations, |c| c.changed += 1),
            }
        }
        let mut cleared_allocations: Vec<EntryId> = Vec::new();
        let stale: Vec<EntryId> = if full {
            self.ledger
                .allocations()
                .map(|a| a.credit.clone())
                .filter(|c| !by_credit.contains_key(c))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        } else {
            deletions(RecordType::Allocations)
                .into_iter()
                .filter_map(|(_, k)| EntryId::new(k).ok())
                .collect()
        };
        for c in stale {
            if !self.ledger.allocations_of(&c).is_empty() {
                removed(&mut report, RecordType::Allocations, c.to_string());
                cleared_allocations.push(c);
            }
        }
        // The allocation of a credit the snapshot removes goes with it, and says so.
        for id in &ledger_removals {
            if !self.ledger.allocations_of(id).is_empty()
                && !cleared_allocations.contains(id)
                && !by_credit.contains_key(id)
            {
                removed(&mut report, RecordType::Allocations, id.to_string());
            }
        }
        for (line, credit, debt) in &parsed.designations {
            let c = lookup(credit).filter(|e| e.effect().is_negative());
            let d = lookup(debt).filter(|e| e.effect().is_positive());
            match (c, d) {
                (Some(c), Some(d)) if c.premises == d.premises => {
                    match self.ledger.designation_of(credit) {
                        None => bump(&mut report, RecordType::Designations, |c| c.added += 1),
                        Some(old) if old == debt => {
                            bump(&mut report, RecordType::Designations, |c| c.unchanged += 1)
                        }
                        Some(_) => bump(&mut report, RecordType::Designations, |c| c.changed += 1),
                    }
                }
                _ => issues.push(ImportIssue::new(
                    "designations.csv",
                    *line,
                    Some("debt"),
                    debt.as_str(),
                    "credit and debt must be a credit and a debt of the same premises",
                )),
            }
        }

        // --- meters and readings: prepared on a copy ---
        let meters = self.plan_meters(
            &parsed,
            full,
            &deletions,
            registry,
            &mut report,
            &mut issues,
        );

        // --- control totals on the state the import would produce ---
        let as_of: Date = manifest.current_as_of.date();
        let mut controls = Vec::new();
        if !parsed.controls.is_empty() {
            // Balances in grosze at (as_of, known at as_of) of the ledger as it would be: what
            // stays of the stored ledger (nothing, for a full snapshot), less the stored
            // entries the snapshot replaces or deletes, plus the snapshot's rows.
            let day = day_number(as_of);
            let mut per_premises: HashMap<&PremisesId, i128> = HashMap::new();
            let mut grand: i128 = 0;
            for i in (0..rows.len()).filter(|&i| rows.counts_at(i, day)) {
                let effect = i128::from(rows.effect(i));
                *per_premises
                    .entry(&rows.premises_list()[rows.premises_index(i)])
                    .or_default() += effect;
                grand += effect;
            }
            let mut stored_out: HashMap<PremisesId, i128> = HashMap::new();
            if !full {
                grand += self
                    .ledger
                    .total(as_of, Some(as_of))
                    .map_or(i128::from(i64::MAX), |m| i128::from(m.grosze()));
                let replaced = replaced_rows.iter().map(|&i| rows.id_of(i));
                for id in replaced.chain(ledger_deleted.iter().map(String::as_str)) {
                    let Some(e) = EntryId::new(id).ok().and_then(|id| self.ledger.get(&id)) else {
                        continue;
                    };
                    if e.operation_date <= as_of && e.is_posted_by(Some(as_of)) {
                        let effect = i128::from(e.effect().grosze());
                        *stored_out.entry(e.premises).or_default() += effect;
                        grand -= effect;
                    }
                }
            }
            let to_money = |g: i128| {
                i64::try_from(g)
                    .ok()
                    .filter(|g| g.abs() <= Money::MAX.grosze())
                    .map_or(Money::MAX, Money::from_grosze)
            };
            let balance_of = |p: &PremisesId| -> Money {
                let stored = if full {
                    0
                } else {
                    self.ledger
                        .balance(p, as_of, Some(as_of))
                        .map_or(0, |b| i128::from(b.amount().grosze()))
                        - stored_out.get(p).copied().unwrap_or(0)
                };
                to_money(stored + per_premises.get(p).copied().unwrap_or(0))
            };
            for (line, p, expected) in &parsed.controls {
                let actual = match p {
                    Some(p) => balance_of(p),
                    None => to_money(grand),
                };
                let check = ControlCheck {
                    premises: p.as_ref().map(ToString::to_string),
                    expected: *expected,
                    actual,
                };
                if !check.matches() && options.controls == ControlPolicy::Reject {
                    issues.push(ImportIssue::new(
                        "controls.csv",
                        *line,
                        Some("closing_balance"),
                        &expected.to_string(),
                        format!("the ledger after import gives {actual} as of {as_of}"),
                    ));
                }
                controls.push(check);
            }
        }
        let virtual_accounts = self.plan_virtual_accounts(
            &parsed,
            full,
            &deletions,
            registry,
            &mut report,
            &mut issues,
        );
        let people = self.plan_people(
            &parsed,
            full,
            &deletions,
            registry,
            &mut report,
            &mut issues,
        );
        if full {
            self.guard_mass_removal(&report, options, &mut issues);
        }
        if !issues.is_empty() {
            issues.sort_by(|a, b| (a.file.as_str(), a.line).cmp(&(b.file.as_str(), b.line)));
            return Err(ImportError::new(issues));
        }

        // --- apply: the ledger as one checked change (all or nothing, and it re-checks every
        // allocation and designation it keeps or sets against the new ledger), then the rest,
        // which cannot fail ---
        let mut change = LedgerChange {
            removals: ledger_removals,
            ..LedgerChange::default()
        };
        for c in cleared_allocations {
            change.allocations.insert(c, Vec::new());
        }
        for (credit, lines) in by_credit {
            change
                .allocations
                .insert(credit, lines.into_iter().map(|(_, a)| a).collect());
        }
        for (_, credit, debt) in &parsed.designations {
            change
                .designations
                .insert(credit.clone(), Some(debt.clone()));
        }
        let refused = |problems: &[ChangeProblem], rows_of: Option<&[usize]>| {
            ImportError::new(
                problems
                    .iter()
                    .map(|p| change_issue(p, &parsed, rows_of))
                    .collect(),
            )
        };
        if empty_ledger {
            // Into a ledger with no entries the rows load in bulk, straight from their columns,
            // on a copy (cheap: it holds no entries) that is kept only if the allocations and
            // designations then check out against it.
            let mut next = self.ledger.clone();
            next.bulk_load(rows).map_err(|errors| {
                let problems: Vec<ChangeProblem> =
                    errors.into_iter().map(ChangeProblem::Entry).collect();
                refused(&problems, None)
            })?;
            next.apply_change(change)
                .map_err(|e| refused(&e.problems, None))?;
            self.ledger = next;
        } else {
            // Rows that would leave their entry as it is are not sent.
            change.upserts = upserted_rows.iter().map(|&i| rows.entry(i)).collect();
            self.ledger
                .apply_change(change)
                .map_err(|e| refused(&e.problems, Some(&upserted_rows)))?;
        }
        // Every registered premises is known to the ledger: 0.00 until its first entry (a
        // registry the snapshot left as it was had its accounts opened when it was imported).
        if let Some(registry) = planned_registry {
            for p in registry.iter() {
                self.ledger.open_account(p.id.clone());
            }
            self.registry = registry;
        }
        if full {
            self.ledger.shrink_to_fit();
        }
        if let Some(meters) = meters {
            self.meters = meters;
        }
        if let Some(v) = virtual_accounts {
            self.virtual_accounts = v;
        }
        self.apply_people(people);
        self.current_as_of = Some(manifest.current_as_of);
        self.name = manifest.cooperative.clone();
        report.controls = controls;
        for t in RecordType::ALL {
            if parsed.present.contains(&t) || report.counts.contains_key(&t) {
                report.counts.entry(t).or_default();
            }
        }
        let _: &Manifest = &manifest;
        Ok(report)
    }

    /// A full snapshot that would remove more than `max_removed_percent` of the records of a
    /// type (and more than 10 of them) is refused: the likely cause is a cut or wrong file.
    fn guard_mass_removal(
        &self,
        report: &ImportReport,
        options: &ImportOptions,
        issues: &mut Vec<ImportIssue>,
    ) {
        if options.max_removed_percent >= 100 {
            return;
        }
        for t in RecordType::ALL {
            let removed = report.counts.get(&t).map_or(0, |c| c.removed);
            if removed <= 10 {
                continue;
            }
            let held = match t {
                RecordType::Premises => self.registry.len(),
                RecordType::Logins => self.registry.links().count(),
                RecordType::Ledger => self.ledger.len(),
                RecordType::Allocations => self
                    .ledger
                    .allocations()
                    .map(|a| &a.credit)
                    .collect::<BTreeSet<_>>()
                    .len(),
                RecordType::Designations => 0,
                RecordType::Meters => self.meters.meters().count(),
                RecordType::Readings => self.meters.readings().count(),
                RecordType::VirtualAccounts => self.virtual_accounts.len(),
                RecordType::Holders => self.holders.len(),
                RecordType::Parameters => self.parameters.len(),
                RecordType::Documents => self.documents.len(),
            };
            if removed * 100 > held * usize::from(options.max_removed_percent) {
                issues.push(ImportIssue::new(
                    t.file_name(),
                    0,
                    None,
                    &removed.to_string(),
                    format!(
                        "the snapshot would remove {removed} of the {held} records held, more than {} %: refused as a likely cut or wrong file (raise ImportOptions::max_removed_percent if it is meant)",
                        options.max_removed_percent
                    ),
                ));
            }
        }
    }

    /// The register after the snapshot (`None`: the snapshot leaves it as it is). A full
    /// snapshot's file replaces it; an incremental one upserts rows by (account, valid_from) and
    /// deletes `account/valid_from` keys. Periods of one account may not overlap, and every row's
    /// premises must exist.
    fn plan_virtual_accounts<'a>(
        &self,
        parsed: &'a Parsed,
        full: bool,
        deletions: &dyn Fn(RecordType) -> Vec<(u64, &'a str)>,
        registry: &PremisesRegistry,
        report: &mut ImportReport,
        issues: &mut Vec<ImportIssue>,
    ) -> Option<crate::bank::VirtualAccountRegister> {
        const F: &str = "virtual_accounts.csv";
        let key = |v: &crate::bank::VirtualAccount| format!("{}/{}", v.account, v.from);
        let rows = super::holdings::plan_rows(
            RecordType::VirtualAccounts,
            parsed.present.contains(&RecordType::VirtualAccounts),
            full,
            &parsed.virtual_accounts,
            || self.virtual_accounts.rows().cloned().collect(),
            key,
            &deletions(RecordType::VirtualAccounts),
            report,
        )?;
        let mut line_of: HashMap<String, u64> = HashMap::new();
        for (line, v) in rows.iter().filter(|(line, _)| *line > 0) {
            if registry.get(&v.premises).is_none() {
                issues.push(ImportIssue::new(
                    F,
                    *line,
                    Some("premises"),
                    v.premises.as_str(),
                    "no such premises in the registry",
                ));
            }
            line_of.insert(key(v), *line);
        }
        match crate::bank::VirtualAccountRegister::from_rows(
            rows.into_iter().map(|(_, v)| v).collect(),
        ) {
            Ok(r) => Some(r),
            Err(errors) => {
                for e in errors {
                    let (value, line) = match &e {
                        crate::bank::RegisterError::Overlap { account, from, .. } => (
                            account.clone(),
                            line_of
                                .get(&format!("{account}/{from}"))
                                .copied()
                                .unwrap_or(0),
                        ),
                        other => (other.to_string(), 0),
                    };
                    issues.push(ImportIssue::new(F, line, Some("valid_from"), &value, e));
                }
                None
            }
        }
    }

    fn plan_registry<'a>(
        &self,
        parsed: &'a Parsed,
        full: bool,
        deletions: &dyn Fn(RecordType) -> Vec<(u64, &'a str)>,
        report: &mut ImportReport,
        issues: &mut Vec<ImportIssue>,
    ) -> Option<PremisesRegistry> {
        // An incremental snapshot that does not touch premises or logins keeps the registry:
        // not copied, so that its cost follows the change.
        if !full
            && parsed.premises.is_empty()
            && parsed.logins.is_empty()
            && deletions(RecordType::Premises).is_empty()
            && deletions(RecordType::Logins).is_empty()
        {
            return None;
        }
        let mut registry = if full {
            PremisesRegistry::new()
        } else {
            self.registry.clone()
        };
        if full {
            // Linear: the snapshot's keys in hash sets, each old record looked up once.
            let premises: HashSet<&PremisesId> =
                parsed.premises.iter().map(|(_, q)| &q.id).collect();
            for p in self.registry.iter() {
                if !premises.contains(&p.id) {
                    removed(report, RecordType::Premises, p.id.to_string());
                }
            }
            let logins: HashSet<(&LoginId, &PremisesId)> =
                parsed.logins.iter().map(|(_, l, p)| (l, p)).collect();
            for (l, p) in self.registry.links() {
                if !logins.contains(&(l, p)) {
                    removed(report, RecordType::Logins, format!("{l}/{p}"));
                }
            }
        } else {
            for (line, key) in deletions(RecordType::Premises) {
                match PremisesId::new(key) {
                    Ok(id) => {
                        if registry.remove(&id).is_some() {
                            removed(report, RecordType::Premises, key.to_owned());
                        }
                    }
                    Err(e) => {
                        issues.push(ImportIssue::new("deletions.csv", line, Some("key"), key, e))
                    }
                }
            }
            for (line, key) in deletions(RecordType::Logins) {
                let (login, premises) = key
                    .split_once('/')
                    .map_or((key, None), |(l, p)| (l, Some(p)));
                let Ok(login) = LoginId::new(login) else {
                    issues.push(ImportIssue::new(
                        "deletions.csv",
                        line,
                        Some("key"),
                        key,
                        "expected LOGIN or LOGIN/PREMISES",
                    ));
                    continue;
                };
                let targets: Vec<PremisesId> = match premises.map(PremisesId::new) {
                    Some(Ok(p)) => vec![p],
                    Some(Err(e)) => {
                        issues.push(ImportIssue::new("deletions.csv", line, Some("key"), key, e));
                        continue;
                    }
                    None => registry
                        .premises_of(&login)
                        .iter()
                        .map(|p| p.id.clone())
                        .collect(),
                };
                for p in targets {
                    if registry.unlink(&login, &p) {
                        removed(report, RecordType::Logins, format!("{login}/{p}"));
                    }
                }
            }
        }
        for (_, p) in &parsed.premises {
            match self.registry.get(&p.id) {
                None => bump(report, RecordType::Premises, |c| c.added += 1),
                Some(old) if old == p => bump(report, RecordType::Premises, |c| c.unchanged += 1),
                Some(_) => bump(report, RecordType::Premises, |c| c.changed += 1),
            }
            registry.upsert(p.clone());
        }
        for (line, login, premises) in &parsed.logins {
            let existed = self.registry.reaches(login, premises);
            match registry.link(login, premises) {
                Ok(_) if existed => bump(report, RecordType::Logins, |c| c.unchanged += 1),
                Ok(_) => bump(report, RecordType::Logins, |c| c.added += 1),
                Err(e) => issues.push(ImportIssue::new(
                    "logins.csv",
                    *line,
                    Some("premises"),
                    premises.as_str(),
                    e,
                )),
            }
        }
        Some(registry)
    }

    fn plan_meters<'a>(
        &self,
        parsed: &'a Parsed,
        full: bool,
        deletions: &dyn Fn(RecordType) -> Vec<(u64, &'a str)>,
        registry: &PremisesRegistry,
        report: &mut ImportReport,
        issues: &mut Vec<ImportIssue>,
    ) -> Option<MeterBook> {
        // An incremental snapshot that does not touch meters or readings keeps the meter
        // book: not copied.
        if !full
            && parsed.meters.is_empty()
            && parsed.readings.is_empty()
            && deletions(RecordType::Meters).is_empty()
            && deletions(RecordType::Readings).is_empty()
        {
            return None;
        }
        let mut book = if full {
            MeterBook::new()
        } else {
            self.meters.clone()
        };
        if full {
            // Linear: the snapshot's keys in hash sets, each old record looked up once.
            let meters: HashSet<&MeterSerial> =
                parsed.meters.iter().map(|(_, n)| &n.serial).collect();
            let readings: HashSet<(&MeterSerial, Date)> = parsed
                .readings
                .iter()
                .map(|(_, n)| (&n.meter, n.date))
                .collect();
            for m in self.meters.meters() {
                if !meters.contains(&m.serial) {
                    removed(report, RecordType::Meters, m.serial.to_string());
                }
                for r in self.meters.readings_of(&m.serial) {
                    if !readings.contains(&(&r.meter, r.date)) {
                        removed(
                            report,
                            RecordType::Readings,
                            format!("{}/{}", r.meter, r.date),
                        );
                    }
                }
            }
        } else {
            for (line, key) in deletions(RecordType::Meters) {
                match MeterSerial::new(key) {
                    Ok(s) => {
                        if book.remove_meter(&s).is_some() {
                            removed(report, RecordType::Meters, key.to_owned());
                        }
                    }
                    Err(e) => {
                        issues.push(ImportIssue::new("deletions.csv", line, Some("key"), key, e))
                    }
                }
            }
            for (line, key) in deletions(RecordType::Readings) {
                let parsed_key = key.rsplit_once('/').and_then(|(s, d)| {
                    Some((
                        MeterSerial::new(s).ok()?,
                        crate::calendar::parse_date(d).ok()?,
                    ))
                });
                match parsed_key {
                    Some((s, d)) => {
                        if book.remove_reading(&s, d) {
                            removed(report, RecordType::Readings, key.to_owned());
                        }
                    }
                    None => issues.push(ImportIssue::new(
                        "deletions.csv",
                        line,
                        Some("key"),
                        key,
                        "expected SERIAL/YYYY-MM-DD",
                    )),
                }
            }
        }
        for (line, m) in &parsed.meters {
            if registry.get(&m.premises).is_none() {
                issues.push(ImportIssue::new(
                    "meters.csv",
                    *line,
                    Some("premises"),
                    m.premises.as_str(),
                    "no such premises",
                ));
                continue;
            }
            match self.meters.meter(&m.serial) {
                None => bump(report, RecordType::Meters, |c| c.added += 1),
                Some(old) if old == m => bump(report, RecordType::Meters, |c| c.unchanged += 1),
                Some(_) => bump(report, RecordType::Meters, |c| c.changed += 1),
            }
            if let Err(e) = book.upsert_meter(m.clone()) {
                issues.push(ImportIssue::new(
                    "meters.csv",
                    *line,
                    Some("serial"),
                    m.serial.as_str(),
                    e,
                ));
            }
        }
        let mut readings: Vec<&(u64, crate::meters::Reading)> = parsed.readings.iter().collect();
        readings.sort_by(|a, b| (&a.1.meter, a.1.date).cmp(&(&b.1.meter, b.1.date)));
        for (line, r) in readings {
            let old = self
                .meters
                .readings_of(&r.meter)
                .iter()
                .find(|o| o.date == r.date);
            match old {
                None => bump(report, RecordType::Readings, |c| c.added += 1),
                Some(o) if o == r => bump(report, RecordType::Readings, |c| c.unchanged += 1),
                Some(_) => bump(report, RecordType::Readings, |c| c.changed += 1),
            }
            if let Err(e) = book.add_reading(r.clone()) {
                issues.push(ImportIssue::new(
                    "readings.csv",
                    *line,
                    Some("value"),
                    &r.value.to_string(),
                    e,
                ));
            }
        }
        Some(book)
    }
}

/// A problem the ledger found while applying, as an import issue: with the line of the ledger
/// row that causes it when there is one.
/// An import issue for a problem of the ledger change; `rows_of` maps the change's upserts to
/// the rows of `ledger.csv` they came from (`None`: one to one).
fn change_issue(p: &ChangeProblem, parsed: &Parsed, rows_of: Option<&[usize]>) -> ImportIssue {
    let line = |row: usize| {
        let row = rows_of.map_or(Some(row), |r| r.get(row).copied());
        row.map_or(0, |r| parsed.ledger.line(r))
    };
    match p {
        ChangeProblem::Entry(r) => ImportIssue::new(
            "ledger.csv",
            line(r.row),
            Some(r.error.field.name()),
            &r.error.value,
            &r.error.problem,
        ),
        ChangeProblem::Orphaned {
            credit, culprit, ..
        } => match culprit {
            Some((row, id)) => {
                ImportIssue::new("ledger.csv", line(*row), Some("id"), id.as_str(), p)
            }
            None => ImportIssue::new("allocations.csv", 0, Some("credit"), credit.as_str(), p),
        },
        ChangeProblem::UpsertedAndRemoved { id } => {
            ImportIssue::new("deletions.csv", 0, Some("key"), id.as_str(), p)
        }
        other => ImportIssue::new("allocations.csv", 0, None, "", other),
    }
}
