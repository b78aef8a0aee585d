//! The files of people, parameters and documents over time: `holders.csv`, `parameters.csv`,
//! `documents.csv` (all optional: a snapshot without one leaves that part as it is). A full
//! snapshot's file replaces the part; an incremental one upserts rows by key and deletes keys
//! listed in `deletions.csv`.

use std::collections::{BTreeMap, HashMap};

use time::Date;

use super::apply::{bump, removed};
use super::records::{Parsed, free_text, opt, req};
use super::table::{as_str, read_table};
use super::{ImportIssue, ImportReport, RecordType};
use crate::calendar::parse_date;
use crate::cooperative::Cooperative;
use crate::documents::{Audience, Document, DocumentBook, DocumentKind, FeeChangeCause};
use crate::holders::{Capabilities, HolderRegister, Holding, Interval, Role, Share};
use crate::parameters::{ParameterBook, ParameterKind, ParameterValue};
use crate::premises::{LoginId, PremisesId, PremisesRegistry};

/// One row of `parameters.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParameterRow {
    pub(crate) premises: PremisesId,
    pub(crate) kind: ParameterKind,
    pub(crate) from: Date,
    pub(crate) value: ParameterValue,
}

pub(crate) fn holder_key(h: &Holding) -> String {
    format!(
        "{}/{}/{}/{}",
        h.login,
        h.premises,
        h.role.code(),
        h.interval.from.map(|d| d.to_string()).unwrap_or_default()
    )
}

pub(crate) fn parameter_key(p: &ParameterRow) -> String {
    format!("{}/{}/{}", p.premises, p.kind.code(), p.from)
}

pub(crate) fn parse_holders(text: &str, parsed: &mut Parsed, issues: &mut Vec<ImportIssue>) {
    const F: &str = "holders.csv";
    read_table(
        F,
        text,
        RecordType::Holders.columns(),
        3,
        issues,
        |line, rec, cols, issues| {
            let s = |i| as_str(cols.get(rec, i));
            let login = req(F, line, "login", s(0), issues, LoginId::new);
            let premises = req(F, line, "premises", s(1), issues, PremisesId::new);
            let role = req(F, line, "role", s(2), issues, str::parse::<Role>);
            let from = opt(F, line, "from", s(3), issues, parse_date);
            let to = opt(F, line, "to", s(4), issues, parse_date);
            let share = opt(F, line, "share", s(5), issues, str::parse::<Share>);
            let scope = opt(F, line, "scope", s(6), issues, str::parse::<Capabilities>);
            let (Some(l), Some(p), Some(r), Some(from), Some(to), Some(share), Some(scope)) =
                (login, premises, role, from, to, share, scope)
            else {
                return;
            };
            let interval = match Interval::new(from, to) {
                Ok(i) => i,
                Err(e) => {
                    issues.push(ImportIssue::new(F, line, Some("to"), s(4), e));
                    return;
                }
            };
            let h = Holding {
                share,
                scope,
                ..Holding::new(l, p, r, interval)
            };
            match h.validate() {
                Ok(()) => parsed.holders.push((line, h)),
                Err(e) => issues.push(ImportIssue::new(F, line, Some("role"), s(2), e)),
            }
        },
    );
    super::records::duplicates(F, &mut parsed.holders, holder_key, issues);
}

pub(crate) fn parse_parameters(text: &str, parsed: &mut Parsed, issues: &mut Vec<ImportIssue>) {
    const F: &str = "parameters.csv";
    read_table(
        F,
        text,
        RecordType::Parameters.columns(),
        4,
        issues,
        |line, rec, cols, issues| {
            let s = |i| as_str(cols.get(rec, i));
            let premises = req(F, line, "premises", s(0), issues, PremisesId::new);
            let kind = req(F, line, "kind", s(1), issues, str::parse::<ParameterKind>);
            let from = req(F, line, "from", s(2), issues, parse_date);
            let (Some(p), Some(k), Some(from)) = (premises, kind, from) else {
                return;
            };
            if let Some(value) = req(F, line, "value", s(3), issues, |v| {
                ParameterValue::parse(k, v)
            }) {
                parsed.parameters.push((
                    line,
                    ParameterRow {
                        premises: p,
                        kind: k,
                        from,
                        value,
                    },
                ));
            }
        },
    );
    super::records::duplicates(F, &mut parsed.parameters, parameter_key, issues);
}

pub(crate) fn parse_documents(text: &str, parsed: &mut Parsed, issues: &mut Vec<ImportIssue>) {
    const F: &str = "documents.csv";
    read_table(
        F,
        text,
        RecordType::Documents.columns(),
        7,
        issues,
        |line, rec, cols, issues| {
            let s = |i| as_str(cols.get(rec, i));
            let kind = req(F, line, "kind", s(1), issues, str::parse::<DocumentKind>);
            let title = free_text(F, line, "title", s(2), issues);
            let date = req(F, line, "date", s(3), issues, parse_date);
            let audience = req(F, line, "audience", s(4), issues, str::parse::<Audience>);
            let effective = opt(F, line, "effective_from", s(7), issues, parse_date);
            let cause = opt(F, line, "cause", s(8), issues, |c| match c {
                "cooperative" => Ok(FeeChangeCause::Cooperative),
                "independent" => Ok(FeeChangeCause::Independent),
                _ => Err("expected cooperative or independent"),
            });
            let (Some(kind), Some(date), Some(audience), Some(effective), Some(cause)) =
                (kind, date, audience, effective, cause)
            else {
                return;
            };
            let doc = Document::new(
                s(0),
                kind,
                title.as_deref().unwrap_or(""),
                date,
                audience,
                s(5),
                s(6),
            )
            .map(|mut d| {
                d.effective_from = effective;
                d.cause = cause;
                d
            })
            .and_then(|d| d.validate().map(|()| d));
            match doc {
                Ok(d) => parsed.documents.push((line, d)),
                Err(crate::documents::DocumentError::InvalidField {
                    field,
                    value,
                    reason,
                }) => {
                    issues.push(ImportIssue::new(F, line, Some(field), &value, reason));
                }
                Err(e) => issues.push(ImportIssue::new(F, line, Some("id"), s(0), e)),
            }
        },
    );
    super::records::duplicates(F, &mut parsed.documents, |d| d.id.to_string(), issues);
}

/// What the three parts become after a snapshot (`None`: left as they are).
#[derive(Debug, Default)]
pub(crate) struct PeoplePlan {
    pub(crate) holders: Option<HolderRegister>,
    pub(crate) parameters: Option<ParameterBook>,
    pub(crate) documents: Option<DocumentBook>,
}

/// The rows of one optional keyed part (virtual accounts, holders, parameters, documents) after
/// the snapshot, each with the line it was read from (none for a
/// row kept from before), and the report's counts.
#[allow(clippy::too_many_arguments)]
pub(super) fn plan_rows<T: Clone + PartialEq>(
    t: RecordType,
    present: bool,
    full: bool,
    read: &[(u64, T)],
    held: impl FnOnce() -> Vec<T>,
    key: impl Fn(&T) -> String,
    deleted: &[(u64, &str)],
    report: &mut ImportReport,
) -> Option<Vec<(u64, T)>> {
    if !present && deleted.is_empty() {
        return None;
    }
    // What is held is copied only when the snapshot touches this type.
    let old: HashMap<String, T> = held().into_iter().map(|r| (key(&r), r)).collect();
    let mut rows: BTreeMap<String, (u64, T)> = if full {
        BTreeMap::new()
    } else {
        old.iter()
            .map(|(k, r)| (k.clone(), (0, r.clone())))
            .collect()
    };
    for (_, k) in deleted {
        if rows.remove(*k).is_some() {
            removed(report, t, (*k).to_owned());
        }
    }
    for (line, r) in read {
        let k = key(r);
        match old.get(&k) {
            None => bump(report, t, |c| c.added += 1),
            Some(o) if o == r => bump(report, t, |c| c.unchanged += 1),
            Some(_) => bump(report, t, |c| c.changed += 1),
        }
        rows.insert(k, (*line, r.clone()));
    }
    if full {
        let mut gone: Vec<&String> = old.keys().filter(|k| !rows.contains_key(*k)).collect();
        gone.sort();
        for k in gone {
            removed(report, t, k.clone());
        }
    }
    Some(rows.into_values().collect())
}

impl Cooperative {
    /// Plans `holders.csv`, `parameters.csv` and `documents.csv` against the registry the
    /// snapshot would leave: every premises they name must exist.
    pub(crate) fn plan_people<'a>(
        &self,
        parsed: &'a Parsed,
        full: bool,
        deletions: &dyn Fn(RecordType) -> Vec<(u64, &'a str)>,
        registry: &PremisesRegistry,
        report: &mut ImportReport,
        issues: &mut Vec<ImportIssue>,
    ) -> PeoplePlan {
        let mut unknown = |file: &str, line: u64, p: &PremisesId| {
            if registry.get(p).is_none() {
                issues.push(ImportIssue::new(
                    file,
                    line,
                    Some("premises"),
                    p.as_str(),
                    "no such premises in the registry",
                ));
            }
        };
        let mut plan = PeoplePlan::default();
        if let Some(rows) = plan_rows(
            RecordType::Holders,
            parsed.present.contains(&RecordType::Holders),
            full,
            &parsed.holders,
            || self.holders.iter().cloned().collect(),
            holder_key,
            &deletions(RecordType::Holders),
            report,
        ) {
            let mut register = HolderRegister::default();
            for (line, h) in rows {
                if line > 0 {
                    unknown("holders.csv", line, &h.premises);
                }
                // Each row was checked when read or held: adding cannot fail.
                let _added = register.add(h).is_ok();
            }
            plan.holders = Some(register);
        }
        if let Some(rows) = plan_rows(
            RecordType::Parameters,
            parsed.present.contains(&RecordType::Parameters),
            full,
            &parsed.parameters,
            || {
                self.parameters
                    .rows()
                    .map(|(p, kind, from, value)| ParameterRow {
                        premises: p.clone(),
                        kind,
                        from,
                        value: value.clone(),
                    })
                    .collect()
            },
            parameter_key,
            &deletions(RecordType::Parameters),
            report,
        ) {
            let mut book = ParameterBook::default();
            for (line, r) in rows {
                if line > 0 {
                    unknown("parameters.csv", line, &r.premises);
                }
                // One row per key, each checked when read: setting cannot fail.
                let _set = book.set(&r.premises, r.kind, r.from, r.value).is_ok();
            }
            plan.parameters = Some(book);
        }
        if let Some(rows) = plan_rows(
            RecordType::Documents,
            parsed.present.contains(&RecordType::Documents),
            full,
            &parsed.documents,
            || self.documents.iter().cloned().collect(),
            |d| d.id.to_string(),
            &deletions(RecordType::Documents),
            report,
        ) {
            let mut book = DocumentBook::default();
            for (line, d) in rows {
                if line > 0
                    && let Audience::Premises(p) = &d.audience
                {
                    unknown("documents.csv", line, p);
                }
                let _added = book.add(d).is_ok();
            }
            plan.documents = Some(book);
        }
        plan
    }

    pub(crate) fn apply_people(&mut self, plan: PeoplePlan) {
        if let Some(h) = plan.holders {
            self.holders = h;
        }
        if let Some(p) = plan.parameters {
            self.parameters = p;
        }
        if let Some(d) = plan.documents {
            self.documents = d;
        }
    }
}
