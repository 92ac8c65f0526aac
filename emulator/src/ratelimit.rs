//! Fixed-window rate limiter, one window per key (or per anonymous caller),
//! producing the `X-RateLimit-*` headers and 429 decisions.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

/// What `X-RateLimit-Limit` shows when no limit is configured.
pub const NOMINAL_LIMIT: u64 = 180;

/// Per-bucket counters.
#[derive(Debug, Clone, Copy)]
struct Window {
    start_ms: u64,
    count: u64,
}

/// The limiter's configuration and windows.
#[derive(Debug)]
pub struct RateLimiter {
    /// Requests per window per key; 0 = unlimited.
    pub limit: u64,
    /// Window length in seconds (at least 1).
    pub window_secs: u64,
    windows: HashMap<String, Window>,
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy)]
pub struct RateInfo {
    /// `X-RateLimit-Limit`.
    pub limit: u64,
    /// `X-RateLimit-Remaining`.
    pub remaining: u64,
    /// `X-RateLimit-Reset` (epoch seconds).
    pub reset: u64,
    /// `Retry-After` seconds (until the window resets, at least 1).
    pub retry_after: u64,
    /// The request is over the limit and must get 429.
    pub limited: bool,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl RateLimiter {
    /// A limiter with `limit` requests per `window_secs`.
    pub fn new(limit: u64, window_secs: u64) -> Self {
        RateLimiter {
            limit,
            window_secs: window_secs.max(1),
            windows: HashMap::new(),
        }
    }

    /// Changes the configuration and forgets all windows.
    pub fn configure(&mut self, limit: u64, window_secs: u64) {
        *self = RateLimiter::new(limit, window_secs);
    }

    /// Forgets all windows.
    pub fn clear(&mut self) {
        self.windows.clear();
    }

    /// Checks `bucket`; when `consume`, counts this request first.
    pub fn hit(&mut self, bucket: &str, consume: bool) -> RateInfo {
        let now = now_ms();
        let len_ms = self.window_secs * 1000;
        let w = self.windows.entry(bucket.to_string()).or_insert(Window {
            start_ms: now,
            count: 0,
        });
        if now >= w.start_ms + len_ms {
            *w = Window {
                start_ms: now,
                count: 0,
            };
        }
        let shown = if self.limit == 0 {
            NOMINAL_LIMIT
        } else {
            self.limit
        };
        let mut limited = false;
        if consume {
            if self.limit > 0 && w.count >= self.limit {
                limited = true;
            } else {
                w.count += 1;
            }
        }
        let end_ms = w.start_ms + len_ms;
        RateInfo {
            limit: shown,
            remaining: shown.saturating_sub(w.count),
            reset: end_ms.div_ceil(1000),
            retry_after: end_ms.saturating_sub(now).div_ceil(1000).max(1),
            limited,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_unlimited() {
        let mut r = RateLimiter::new(2, 60);
        assert!(!r.hit("a", true).limited);
        let i = r.hit("a", true);
        assert!(!i.limited);
        assert_eq!(i.remaining, 0);
        let i = r.hit("a", true);
        assert!(i.limited);
        assert!(i.retry_after >= 1 && i.retry_after <= 60);
        assert!(!r.hit("b", true).limited);
        let mut u = RateLimiter::new(0, 60);
        for _ in 0..200 {
            assert!(!u.hit("a", true).limited);
        }
        assert_eq!(u.hit("a", false).limit, 180);
    }
}
