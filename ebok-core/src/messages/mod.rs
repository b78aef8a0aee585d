//! Resident-facing language: every message meant for residents exists in Polish and English.

mod format;

use serde::{Deserialize, Serialize};

pub use format::NBSP;

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

/// The rules of using the e-BOK (zasady korzystania), in the resident's words: the rules of
/// both cooperatives' published e-BOK terms, which the library also enforces where they are
/// behaviour (see `docs/seed-rules.md`). A portal shows them at activation and on request.
///
/// ```
/// use ebok_core::messages::{terms_of_use, Language};
/// let pl = terms_of_use(Language::Polish);
/// assert_eq!(pl.len(), terms_of_use(Language::English).len());
/// assert!(pl.iter().any(|r| r.contains("nie zna hasła")));
/// assert!(pl.iter().any(|r| r.starts_with("Siedmiokrotne błędne logowanie")));
/// ```
pub fn terms_of_use(language: Language) -> &'static [&'static str] {
    match language {
        Language::Polish => &[
            "Identyfikator nadany przez Spółdzielnię pozostaje niezmienny; hasło jednorazowe należy zmienić na własne przy pierwszym logowaniu.",
            "Spółdzielnia nie zna hasła i nie może go odtworzyć. W razie jego utraty może jedynie wygenerować nowe losowe hasło jednorazowe, co kończy wcześniejszy dostęp.",
            "Siedmiokrotne błędne logowanie blokuje dostęp. Odblokowanie polega na wydaniu nowego hasła jednorazowego (SMS z numeru podanego w Spółdzielni, nagrywana rozmowa telefoniczna, formularz e-mail lub wizyta w biurze).",
            "Na pisemne żądanie właściciela lokalu Spółdzielnia zamyka dostęp do e-BOK i usuwa dane z listy użytkowników.",
            "Spółdzielnia może zablokować dostęp w przypadku korzystania z konta w sposób sprzeczny z jego przeznaczeniem.",
            "Saldo na dany dzień może nie uwzględniać operacji z kilku ostatnich dni, które nie zostały jeszcze zaksięgowane.",
            "Dane w e-BOK są przesyłane cyklicznie i automatycznie z systemu księgowego Spółdzielni i mają charakter informacyjny.",
            "W przypadku stwierdzenia niezgodności należy skontaktować się z działem czynszów Spółdzielni.",
            "Spółdzielnia nie odpowiada za skutki udostępnienia identyfikatora i hasła osobom trzecim; prosimy ich nikomu nie przekazywać.",
        ],
        Language::English => &[
            "The identifier issued by the cooperative never changes; the one-time password must be replaced by your own at the first login.",
            "The cooperative does not know your password and cannot recover it. If you lose it, the cooperative can only issue a new random one-time password, which ends the previous access.",
            "Seven failed logins block access. Access is restored by a new one-time password (a text message from the number you gave the cooperative, a recorded phone call, an e-mail form or a visit to the office).",
            "At the owner's written request, the cooperative closes e-BOK access and removes the data from the list of users.",
            "The cooperative may block access if the account is used contrary to its purpose.",
            "The balance for a day may not include operations from the last few days that have not been posted yet.",
            "The e-BOK data are transferred periodically and automatically from the cooperative's accounting system and are for information only.",
            "If you find a discrepancy, please contact the cooperative's rent office.",
            "The cooperative is not liable for the consequences of sharing your identifier and password with third parties; please keep them to yourself.",
        ],
    }
}
