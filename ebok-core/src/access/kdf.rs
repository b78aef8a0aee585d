//! Password hashing: argon2id PHC strings behind a small trait, so tests can count evaluations.

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

use super::AccessError;

/// Argon2id parameters (OWASP: m = 19 456 KiB, t = 2, p = 1, 32-byte output by default).
///
/// ```
/// use ebok_core::access::HashPolicy;
/// let p = HashPolicy::default();
/// assert_eq!((p.m_kib, p.t, p.p, p.output_len), (19_456, 2, 1, 32));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HashPolicy {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Iterations.
    pub t: u32,
    /// Lanes.
    pub p: u32,
    /// Output length in bytes.
    pub output_len: usize,
}

impl Default for HashPolicy {
    fn default() -> Self {
        HashPolicy {
            m_kib: 19_456,
            t: 2,
            p: 1,
            output_len: 32,
        }
    }
}

impl HashPolicy {
    /// Tiny parameters for tests only (m = 8 KiB, t = 1): fast, and worthless against attackers.
    ///
    /// ```
    /// use ebok_core::access::HashPolicy;
    /// assert_eq!(HashPolicy::insecure_for_tests().m_kib, 8);
    /// ```
    pub fn insecure_for_tests() -> HashPolicy {
        HashPolicy {
            m_kib: 8,
            t: 1,
            p: 1,
            output_len: 32,
        }
    }

    fn params(&self) -> Result<Params, AccessError> {
        Params::new(self.m_kib, self.t, self.p, Some(self.output_len)).map_err(|e| {
            AccessError::InvalidPolicy {
                reason: format!("argon2 parameters: {e}"),
            }
        })
    }
}

/// How far above the policy (or OWASP's floor, when larger) a stored hash's cost may be and
/// still be verified.
pub(crate) const MAX_COST_FACTOR: u32 = 4;

/// A password-hashing function producing and checking PHC strings.
///
/// The library calls [`Kdf::verify`] exactly once on every login path (a dummy hash where
/// there is nothing real to check), so that an attacker cannot tell paths apart by time.
pub trait Kdf {
    /// Hashes a secret with a fresh salt from `rng`.
    fn hash<R: CryptoRng + ?Sized>(
        &self,
        secret: &[u8],
        rng: &mut R,
    ) -> Result<String, AccessError>;
    /// Checks a secret against a PHC string; malformed strings simply do not verify.
    fn verify(&self, secret: &[u8], phc: &str) -> bool;
    /// Whether a stored PHC string was made with other parameters than the current ones.
    fn needs_rehash(&self, phc: &str) -> bool;
}

/// Argon2id (RustCrypto `argon2`), with an optional pepper kept apart from the hashes.
///
/// ```
/// use ebok_core::access::{Argon2Kdf, HashPolicy, Kdf};
/// use rand::SeedableRng;
/// let kdf = Argon2Kdf::new(HashPolicy::insecure_for_tests())?;
/// let mut rng = rand::rngs::StdRng::seed_from_u64(1);
/// let phc = kdf.hash(b"correct horse battery staple", &mut rng)?;
/// assert!(phc.starts_with("$argon2id$v=19$m=8,t=1,p=1$"));
/// assert!(kdf.verify(b"correct horse battery staple", &phc));
/// assert!(!kdf.verify(b"Correct horse battery staple", &phc));
/// # Ok::<(), ebok_core::access::AccessError>(())
/// ```
#[derive(Clone)]
pub struct Argon2Kdf {
    policy: HashPolicy,
    params: Params,
    pepper: Option<zeroize::Zeroizing<Vec<u8>>>,
}

impl std::fmt::Debug for Argon2Kdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Argon2Kdf")
            .field("policy", &self.policy)
            .field("pepper", &self.pepper.as_ref().map(|_| "[REDACTED]"))
            .finish()
    }
}

impl Argon2Kdf {
    /// Argon2id with these parameters.
    ///
    /// ```
    /// use ebok_core::access::{Argon2Kdf, HashPolicy};
    /// assert!(Argon2Kdf::new(HashPolicy { m_kib: 1, ..HashPolicy::default() }).is_err());
    /// ```
    pub fn new(policy: HashPolicy) -> Result<Argon2Kdf, AccessError> {
        Ok(Argon2Kdf {
            params: policy.params()?,
            policy,
            pepper: None,
        })
    }

    /// The same, with a secret key (pepper) mixed into every hash.
    ///
    /// ```
    /// use ebok_core::access::{Argon2Kdf, HashPolicy, Kdf};
    /// use rand::SeedableRng;
    /// let plain = Argon2Kdf::new(HashPolicy::insecure_for_tests())?;
    /// let peppered = plain.clone().with_pepper(b"kept-in-the-host-vault".to_vec());
    /// let phc = peppered.hash(b"secret secret", &mut rand::rngs::StdRng::seed_from_u64(2))?;
    /// assert!(peppered.verify(b"secret secret", &phc));
    /// assert!(!plain.verify(b"secret secret", &phc));
    /// # Ok::<(), ebok_core::access::AccessError>(())
    /// ```
    pub fn with_pepper(mut self, pepper: Vec<u8>) -> Argon2Kdf {
        self.pepper = Some(zeroize::Zeroizing::new(pepper));
        self
    }

    /// The parameters.
    ///
    /// ```
    /// use ebok_core::access::{Argon2Kdf, HashPolicy};
    /// assert_eq!(Argon2Kdf::new(HashPolicy::default())?.policy().t, 2);
    /// # Ok::<(), ebok_core::access::AccessError>(())
    /// ```
    pub fn policy(&self) -> HashPolicy {
        self.policy
    }

    fn argon2(&self) -> Result<Argon2<'_>, AccessError> {
        match &self.pepper {
            None => Ok(Argon2::new(
                Algorithm::Argon2id,
                Version::V0x13,
                self.params.clone(),
            )),
            Some(p) => {
                Argon2::new_with_secret(p, Algorithm::Argon2id, Version::V0x13, self.params.clone())
                    .map_err(|e| AccessError::InvalidPolicy {
                        reason: format!("pepper: {e}"),
                    })
            }
        }
    }
}

impl Kdf for Argon2Kdf {
    fn hash<R: CryptoRng + ?Sized>(
        &self,
        secret: &[u8],
        rng: &mut R,
    ) -> Result<String, AccessError> {
        let argon2 = self.argon2()?;
        argon2
            .hash_password_with_rng(rng, secret)
            .map(|h| h.to_string())
            .map_err(|e| AccessError::Hashing {
                reason: e.to_string(),
            })
    }

    fn verify(&self, secret: &[u8], phc: &str) -> bool {
        let Ok(argon2) = self.argon2() else {
            return false;
        };
        let Ok(hash) = PasswordHash::new(phc) else {
            return false;
        };
        if hash.algorithm.as_str() != "argon2id" {
            return false;
        }
        // A stored hash whose cost is far above the policy (a tampered record asking for 4 GiB)
        // is refused, never evaluated: at most 4× the larger of the policy and OWASP's floor.
        let Ok(params) = Params::try_from(&hash) else {
            return false;
        };
        let floor = HashPolicy::default();
        let ceiling = |policy: u32, owasp: u32| policy.max(owasp).saturating_mul(MAX_COST_FACTOR);
        if params.m_cost() > ceiling(self.policy.m_kib, floor.m_kib)
            || params.t_cost() > ceiling(self.policy.t, floor.t)
            || params.p_cost() > ceiling(self.policy.p, floor.p)
        {
            return false;
        }
        argon2.verify_password(secret, &hash).is_ok()
    }

    fn needs_rehash(&self, phc: &str) -> bool {
        // Compare field by field: parsed params carry `output_len = Some(32)` while defaults
        // carry `None`, so comparing whole `Params` values would always differ.
        let Ok(hash) = PasswordHash::new(phc) else {
            return true;
        };
        let Ok(params) = Params::try_from(&hash) else {
            return true;
        };
        let version_ok = hash.version == Some(u32::from(Version::V0x13));
        hash.algorithm.as_str() != "argon2id"
            || !version_ok
            || params.m_cost() != self.policy.m_kib
            || params.t_cost() != self.policy.t
            || params.p_cost() != self.policy.p
            || hash.hash.map(|h| h.len()) != Some(self.policy.output_len)
    }
}
