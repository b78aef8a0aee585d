//! Resident-facing language: every message meant for residents exists in Polish and English.

use serde::{Deserialize, Serialize};

/// The language of resident-facing messages.
///
/// ```
/// use ebok_core::messages::Language;
/// assert_eq!(Language::default(), Language::Polish);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Polish (the residents' language; the default).
    #[default]
    Polish,
    /// English.
    English,
}

/// Seed 004 rules 5 and 6: e-BOK data are informational; discrepancies are settled with the office.
///
/// ```
/// use ebok_core::messages::{informational_notice, Language};
/// assert!(informational_notice(Language::Polish).contains("charakter informacyjny"));
/// ```
pub fn informational_notice(language: Language) -> &'static str {
    match language {
        Language::Polish => {
            "Dane prezentowane w e-BOK mają charakter informacyjny. W przypadku stwierdzenia niezgodności prosimy o kontakt z działem czynszów."
        }
        Language::English => {
            "The data shown in the e-BOK are for information only. If you find a discrepancy, please contact the rent office."
        }
    }
}
