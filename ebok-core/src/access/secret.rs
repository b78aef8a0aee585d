//! Plaintext secrets: never stored, logged, serialized or `Debug`-printed, and zeroized on drop.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// A plaintext secret (a one-time password or a change ticket) handed to the host once, for
/// delivery. `Debug` and `Display` print `[REDACTED]`; there is no `Clone` and no `Serialize`;
/// the memory is wiped on drop. Read it with [`Secret::expose`].
///
/// ```
/// use ebok_core::access::Secret;
/// let s = Secret::new("ABCD-EFGH".to_owned());
/// assert_eq!(format!("{s:?}"), "Secret([REDACTED])");
/// assert_eq!(s.expose(), "ABCD-EFGH");
/// ```
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Secret(String);

impl Secret {
    /// Wraps a plaintext.
    ///
    /// ```
    /// use ebok_core::access::Secret;
    /// assert_eq!(Secret::new("x".into()).len(), 1);
    /// ```
    pub fn new(text: String) -> Secret {
        Secret(text)
    }

    /// The plaintext, for delivery to the resident (SMS, e-mail, a printed slip).
    ///
    /// ```
    /// use ebok_core::access::Secret;
    /// assert_eq!(Secret::new("abc".into()).expose(), "abc");
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Its length in bytes.
    ///
    /// ```
    /// use ebok_core::access::Secret;
    /// assert!(!Secret::new("abc".into()).is_empty());
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it is empty.
    ///
    /// ```
    /// use ebok_core::access::Secret;
    /// assert!(Secret::new(String::new()).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// A transient, zeroizing copy of input text.
pub(crate) type Plain = Zeroizing<String>;
