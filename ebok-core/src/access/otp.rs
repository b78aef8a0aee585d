//! One-time passwords (hasła jednorazowe): random, typed easily, at least 64 bits of entropy.
//!
//! Codes are drawn from the Crockford base-32 alphabet (digits and capital letters without
//! I, L, O and U: no look-alike characters), by rejection sampling from an injected
//! `CryptoRng`, and shown in groups of four: `7K3M-Q9XD-2HPA-V0RT`. What a resident types
//! back is normalised: case, spaces and hyphens do not matter, and O/I/L are read as 0/1/1.

use rand_core::CryptoRng;

use super::secret::{Plain, Secret};

/// The Crockford base-32 alphabet.
pub(crate) const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Draws `n` symbols uniformly from `alphabet` by rejection sampling: a byte at or above the
/// largest multiple of the alphabet's size is drawn again, never reduced with a bias.
pub(crate) fn draw<R: CryptoRng + ?Sized>(rng: &mut R, alphabet: &[u8], n: usize) -> Plain {
    let size = alphabet.len().clamp(1, 256);
    let limit = 256 - (256 % size);
    let mut out = Plain::new(String::with_capacity(n + n / 4));
    let mut buf = [0u8; 1];
    while out.len() < n {
        rng.fill_bytes(&mut buf);
        let b = usize::from(buf[0]);
        if b < limit {
            out.push(char::from(alphabet[b % size]));
        }
    }
    out
}

/// Groups a code in fours with hyphens.
pub(crate) fn grouped(code: &str) -> Secret {
    let mut s = String::with_capacity(code.len() + code.len() / 4);
    for (i, c) in code.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            s.push('-');
        }
        s.push(c);
    }
    Secret::new(s)
}

/// Normalises a typed code: drops spaces and hyphens, upper-cases, reads O as 0 and I/L as 1.
/// `None` if anything else is not in the alphabet, or the length is not `symbols`.
pub(crate) fn normalize(input: &str, symbols: usize) -> Option<Plain> {
    // One more than fits: the push that overflows must not reallocate (and leave a copy).
    let mut out = Plain::new(String::with_capacity(symbols + 1));
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '\t' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        out.push(c);
        if out.len() > symbols {
            return None;
        }
    }
    (out.len() == symbols).then_some(out)
}
