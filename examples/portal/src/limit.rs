//! A per-address limit on login attempts, in front of the core's per-account lockout: an
//! address trying many identifiers is slowed down before it learns anything, and no one
//! address can lock out many accounts quickly.

use std::collections::HashMap;
use std::net::IpAddr;

/// At most `limit` attempts per address in a sliding window of `window` seconds (two fixed
/// windows weighted, as nginx and Cloudflare approximate it).
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: i64,
    /// Address → (start of its current window, attempts in it, attempts in the one before).
    seen: HashMap<IpAddr, (i64, u32, u32)>,
}

impl RateLimiter {
    /// Addresses kept before old ones are forgotten.
    const MAX_ADDRESSES: usize = 100_000;

    /// `limit` attempts per `window` seconds per address.
    pub fn new(limit: u32, window: i64) -> RateLimiter {
        RateLimiter {
            limit: limit.max(1),
            window: window.max(1),
            seen: HashMap::new(),
        }
    }

    /// Counts an attempt of `ip` at `now` (Unix seconds): `false` when it is over the limit
    /// (then it is not counted).
    pub fn allow(&mut self, ip: IpAddr, now: i64) -> bool {
        if self.seen.len() >= Self::MAX_ADDRESSES {
            let horizon = now - 2 * self.window;
            self.seen.retain(|_, (start, _, _)| *start > horizon);
        }
        let window = self.window;
        let start = now - now.rem_euclid(window);
        let entry = self.seen.entry(ip).or_insert((start, 0, 0));
        if entry.0 != start {
            let previous = if entry.0 == start - window {
                entry.1
            } else {
                0
            };
            *entry = (start, 0, previous);
        }
        // The previous window's attempts weigh by how much of it the sliding window still covers.
        let elapsed = now - start;
        let carried = u64::from(entry.2) * u64::try_from(window - elapsed).unwrap_or(0)
            / u64::try_from(window).unwrap_or(1);
        if carried + u64::from(entry.1) >= u64::from(self.limit) {
            return false;
        }
        entry.1 += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_over_the_limit_waits_and_others_do_not() {
        let a: IpAddr = "192.0.2.1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let b: IpAddr = "192.0.2.2".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let mut l = RateLimiter::new(5, 60);
        let t = 1_800_000_000; // a multiple of 60
        assert!((0..5).all(|i| l.allow(a, t + i)));
        assert!(
            !l.allow(a, t + 6),
            "the 6th attempt within the minute is refused"
        );
        assert!(l.allow(b, t + 6), "another address is not affected");
        // A second into the next minute, 59/60 of the previous one still count (4 of 5).
        assert!(l.allow(a, t + 61));
        assert!(!l.allow(a, t + 61));
        // Half-way through it, half of the previous one does (2, plus the 1 of this one).
        assert!((0..2).all(|_| l.allow(a, t + 90)));
        assert!(!l.allow(a, t + 90));
        // Two minutes later it is forgotten.
        assert!((0..5).all(|_| l.allow(a, t + 180)));
    }
}
