//! Unblock requests (seed 000): an SMS "odblokowanie e-BOK nr identyfikacyjny 0756555", a
//! recorded phone call, an e-mail with the form, or a visit. The cooperative acts only when the
//! evidence matches the contact on file (or staff confirmed identity), delivers the new code
//! only to the contact on file, limits re-issues per day, and answers everyone the same.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::account::{Account, Authenticator, Transition};
use super::contact::{EmailAddress, PhoneNumber};
use super::kdf::Kdf;
use super::policy::Channel;
use super::{AuditEvent, AuditKind, Effect, UnblockSkip};
use crate::messages::Language;
use crate::premises::LoginId;

/// Why an SMS is not an unblock request.
///
/// ```
/// use ebok_core::access::{SmsParseError, parse_unblock_sms};
/// assert_eq!(parse_unblock_sms("dzień dobry"), Err(SmsParseError::NoIdentifier));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SmsParseError {
    /// No identifier (4 to 16 digits) in the text.
    #[error("the text holds no identifier (4 to 16 digits)")]
    NoIdentifier,
    /// More than one different identifier.
    #[error("the text holds more than one identifier")]
    SeveralIdentifiers,
    /// Text besides the identifier, but no word of an unblock request ("odblokowanie", "e-BOK").
    #[error("the text is not an unblock request")]
    NotAnUnblockRequest,
    /// Longer than a few SMS parts.
    #[error("the text is too long")]
    TooLong,
}

fn fold_polish(c: char) -> char {
    match c {
        'ą' => 'a',
        'ć' => 'c',
        'ę' => 'e',
        'ł' => 'l',
        'ń' => 'n',
        'ó' => 'o',
        'ś' => 's',
        'ź' | 'ż' => 'z',
        c => c,
    }
}

/// Parses an unblock SMS: tolerant of case, Polish diacritics or their absence, spacing and
/// missing words; the identifier may stand anywhere (digits split by single spaces or hyphens
/// are joined). Accepts the identifier alone, or with a word of the request ("odblok…",
/// "e-bok"/"ebok", "identyfikac…").
///
/// ```
/// use ebok_core::access::parse_unblock_sms;
/// assert_eq!(parse_unblock_sms("odblokowanie e-BOK nr identyfikacyjny 0756555")?.as_str(), "0756555");
/// assert_eq!(parse_unblock_sms("ODBLOKOWANIE EBOK 0756555")?.as_str(), "0756555");
/// assert_eq!(parse_unblock_sms("  0756 555 odblokuj prosze ")?.as_str(), "0756555");
/// assert_eq!(parse_unblock_sms("0756555")?.as_str(), "0756555");
/// assert!(parse_unblock_sms("kup teraz 0756555").is_err());
/// assert!(parse_unblock_sms("odblokowanie 0756555 i 0756556").is_err());
/// # Ok::<(), ebok_core::access::SmsParseError>(())
/// ```
pub fn parse_unblock_sms(text: &str) -> Result<LoginId, SmsParseError> {
    if text.chars().count() > 480 {
        return Err(SmsParseError::TooLong);
    }
    let folded: String = text.to_lowercase().chars().map(fold_polish).collect();
    // Collect digit runs, joining runs split by a single space or hyphen.
    let chars: Vec<char> = folded.chars().collect();
    let mut numbers: Vec<String> = Vec::new();
    let mut words = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let mut n = String::new();
            loop {
                let mut chunk = 0;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    n.push(chars[i]);
                    i += 1;
                    chunk += 1;
                }
                // "0756 555" or "075-65-55": short chunks split by one space or hyphen are one number.
                let next_chunk = chars[(i + 1).min(chars.len())..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                let joins = i + 1 < chars.len()
                    && matches!(chars[i], ' ' | '-')
                    && (1..=4).contains(&chunk)
                    && (1..=4).contains(&next_chunk);
                if joins {
                    i += 1;
                } else {
                    break;
                }
            }
            numbers.push(n);
        } else {
            words.push(if chars[i].is_alphanumeric() {
                chars[i]
            } else {
                ' '
            });
            i += 1;
        }
    }
    numbers.retain(|n| (4..=16).contains(&n.len()));
    numbers.sort();
    numbers.dedup();
    let id = match numbers.as_slice() {
        [] => return Err(SmsParseError::NoIdentifier),
        [one] => one.clone(),
        _ => return Err(SmsParseError::SeveralIdentifiers),
    };
    let compact: String = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let squeezed: String = compact.replace(' ', "");
    let request_word = compact.split(' ').any(|w| {
        w.starts_with("odblok")
            || w.starts_with("identyfikac")
            || w == "nr" && compact.contains("bok")
    }) || squeezed.contains("ebok");
    if !compact.is_empty() && !request_word {
        return Err(SmsParseError::NotAnUnblockRequest);
    }
    LoginId::new(&id).map_err(|_| SmsParseError::NoIdentifier)
}

/// The evidence behind an unblock request.
///
/// ```
/// use ebok_core::access::{PhoneNumber, UnblockEvidence};
/// let e = UnblockEvidence::Sms { sender: PhoneNumber::new("531464544")? };
/// assert!(matches!(e, UnblockEvidence::Sms { .. }));
/// # Ok::<(), ebok_core::access::AccessError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "channel", rename_all = "snake_case")]
pub enum UnblockEvidence {
    /// An SMS from this number (the gateway's sender, not a number written in the text).
    Sms {
        /// The sender.
        sender: PhoneNumber,
    },
    /// A recorded phone call from this number; `staff` when a staff member confirmed identity.
    RecordedCall {
        /// The caller's number.
        caller: PhoneNumber,
        /// The staff member who confirmed identity.
        staff: Option<String>,
    },
    /// An e-mail with the form from this address; `staff` when a staff member confirmed identity.
    EmailForm {
        /// The sender.
        sender: EmailAddress,
        /// The staff member who confirmed identity.
        staff: Option<String>,
    },
    /// A visit to the office; the staff member checked the identity document.
    InPerson {
        /// The staff member.
        staff: String,
    },
}

/// The answer to every unblock request, whatever happened: the same text for an unknown
/// identifier, a mismatch, a rate limit or a new code on its way.
///
/// ```
/// use ebok_core::access::Ack;
/// use ebok_core::messages::Language;
/// assert!(Ack.message(Language::Polish).contains("zapisany w Spółdzielni"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ack;

impl Ack {
    /// The acknowledgement text.
    ///
    /// ```
    /// use ebok_core::access::Ack;
    /// use ebok_core::messages::Language;
    /// assert!(Ack.message(Language::English).contains("on file"));
    /// ```
    pub fn message(self, language: Language) -> &'static str {
        match language {
            Language::Polish => {
                "Przyjęliśmy zgłoszenie. Jeśli identyfikator jest poprawny, a dane kontaktowe zgadzają się z zapisanymi, nowe hasło jednorazowe zostanie wysłane na numer lub adres zapisany w Spółdzielni."
            }
            Language::English => {
                "Request received. If the identifier is correct and the contact details match those on file, a new one-time password will be sent to the number or address on file."
            }
        }
    }
}

/// The outcome of an unblock request: always [`Ack`]; what was done is in the effects.
///
/// ```
/// use ebok_core::access::{Ack, UnblockOutcome};
/// assert_eq!(UnblockOutcome::default().ack, Ack);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UnblockOutcome {
    /// The acknowledgement.
    pub ack: Ack,
}

impl Default for Ack {
    fn default() -> Self {
        Ack
    }
}

impl<K: Kdf> Authenticator<K> {
    /// Handles an unblock request for the account the host found under the requested
    /// identifier (`None` if none). A matching request re-issues a one-time password to the
    /// contact on file — keeping the current password until the new code is used, for remote
    /// requests — and unblocks; anything else changes nothing. Every path does the same work
    /// (one hash) and returns the same [`Ack`].
    ///
    /// ```
    /// use ebok_core::access::*;
    /// use ebok_core::premises::LoginId;
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    /// let policy = AccessPolicy::insecure_for_tests();
    /// let auth = Authenticator::new(policy.clone(), Argon2Kdf::new(policy.hash)?, &mut rng)?;
    /// let now = time::macros::datetime!(2025-05-12 10:00 UTC);
    /// let phone = PhoneNumber::new("531464544")?;
    /// let contacts = Contacts { phone: Some(phone.clone()), ..Contacts::default() };
    /// let a = auth.create_account(LoginId::new("0756555")?, contacts, Channel::Sms, Activation::Immediate, "office", now, &mut rng)?.account.unwrap();
    /// let ok = auth.handle_unblock_request(Some(&a), &UnblockEvidence::Sms { sender: phone }, now, &mut rng);
    /// assert!(ok.otp().is_some());
    /// let forged = auth.handle_unblock_request(Some(&a), &UnblockEvidence::Sms { sender: PhoneNumber::new("600100200")? }, now, &mut rng);
    /// assert!(forged.otp().is_none() && forged.account.is_none());
    /// assert_eq!(ok.outcome, forged.outcome);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle_unblock_request<R: rand_core::CryptoRng + ?Sized>(
        &self,
        account: Option<&Account>,
        evidence: &UnblockEvidence,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Transition<UnblockOutcome> {
        let skip = |reason: UnblockSkip, login: Option<&LoginId>, rng: &mut R| {
            // The same work as a re-issue: one hash of a random code.
            let mut filler = [0u8; 16];
            rng.fill_bytes(&mut filler);
            let _ = self.kdf().hash(&filler, rng);
            Transition {
                account: None,
                outcome: UnblockOutcome::default(),
                effects: vec![Effect::Audit(AuditEvent {
                    login: login.cloned(),
                    attempted_identifier: None,
                    actor: None,
                    kind: AuditKind::UnblockRequest,
                    reason: None,
                    unblock_skip: Some(reason),
                    at: now,
                })],
            }
        };
        let Some(account) = account else {
            return skip(UnblockSkip::UnknownId, None, rng);
        };
        let login = account.login();
        let Some(contacts) = account.contacts() else {
            return skip(UnblockSkip::NotEligible, Some(login), rng);
        };
        // A blank name is no confirmation by staff.
        let named = |staff: &str| super::account::StaffName::new(staff).is_ok();
        let staff_ok = |staff: &Option<String>| {
            staff.as_deref().is_some_and(named) || !self.policy().remote_requests_need_staff
        };
        let (matches, channel, remote) = match evidence {
            UnblockEvidence::Sms { sender } => {
                (contacts.phone.as_ref() == Some(sender), Channel::Sms, true)
            }
            UnblockEvidence::RecordedCall { caller, staff } => (
                contacts.phone.as_ref() == Some(caller) && staff_ok(staff),
                Channel::Sms,
                true,
            ),
            UnblockEvidence::EmailForm { sender, staff } => (
                contacts.email.as_ref() == Some(sender) && staff_ok(staff),
                Channel::Email,
                true,
            ),
            UnblockEvidence::InPerson { staff } => (named(staff), Channel::InPerson, false),
        };
        if !matches {
            return skip(UnblockSkip::EvidenceMismatch, Some(login), rng);
        }
        let t = Self::high_water(account).map_or(now, |h| now.max(h));
        if Self::recent_issuances(account, t) >= usize::from(self.policy().max_reissues_per_day) {
            return skip(UnblockSkip::RateLimited, Some(login), rng);
        }
        let effect = if remote {
            self.policy().remote_reissue
        } else {
            self.policy().office_reissue
        };
        let actor = match evidence {
            UnblockEvidence::RecordedCall {
                staff: Some(staff), ..
            }
            | UnblockEvidence::EmailForm {
                staff: Some(staff), ..
            }
            | UnblockEvidence::InPerson { staff }
                if named(staff) =>
            {
                staff.trim().to_owned()
            }
            _ => "unblock request (system)".to_owned(),
        };
        match self.issue_otp_as(account, channel, effect, &actor, now, rng) {
            Ok(t) => Transition {
                account: t.account,
                outcome: UnblockOutcome::default(),
                effects: t.effects,
            },
            Err(_) => skip(UnblockSkip::NotEligible, Some(login), rng),
        }
    }
}
