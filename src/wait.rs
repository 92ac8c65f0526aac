//! Waiting for an asynchronous pin to settle, shared by every family that queues pins:
//! PSA requests ([`crate::psa`]), legacy pin-by-CID jobs ([`crate::legacy::job_wait`])
//! and the v3 pin-by-CID queue ([`crate::v3::pin_wait`]). A family supplies one closure
//! that fetches the current state and classifies it ([`Phase`]); [`wait_until`] polls
//! it with exponential backoff within a time budget, reports each status change, and
//! stops on cancellation.

use crate::error::{Error, Result, Status};
use crate::transport::CancelToken;
use std::time::{Duration, Instant};

/// Where a polled item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Still moving (queued, searching, pinning, ...).
    Pending,
    /// Pinned.
    Done,
    /// Failed for good (expired, invalid object, ...).
    Failed,
}

/// How long and how often to poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up with `PINATA_E_TIMEOUT` after this long.
    pub budget: Duration,
    /// First pause between polls (doubled after each unchanged poll).
    pub initial_interval: Duration,
    /// Longest pause between polls.
    pub max_interval: Duration,
}

impl Default for WaitOptions {
    /// Ten minutes, polling after 500 ms (kubo's interval) and at most every 30 s.
    fn default() -> Self {
        WaitOptions {
            budget: Duration::from_secs(600),
            initial_interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(30),
        }
    }
}

impl WaitOptions {
    /// Refuses a zero budget or interval and an initial interval above the maximum.
    pub fn check(&self) -> Result<()> {
        if self.budget.is_zero() || self.initial_interval.is_zero() {
            return Err(Error::invalid_argument(
                "`budget` and `interval` must be positive",
            ));
        }
        if self.initial_interval > self.max_interval {
            return Err(Error::invalid_argument(
                "`interval` must not exceed `max_interval`",
            ));
        }
        Ok(())
    }
}

/// Sleeps `d`, waking early (with `PINATA_E_CANCELLED`) when `cancel` is raised.
fn sleep(d: Duration, cancel: Option<&CancelToken>) -> Result<()> {
    let end = Instant::now() + d;
    loop {
        if cancel.is_some_and(CancelToken::is_cancelled) {
            return Err(Error::new(Status::Cancelled, "the wait was cancelled"));
        }
        let now = Instant::now();
        if now >= end {
            return Ok(());
        }
        std::thread::sleep((end - now).min(Duration::from_millis(20)));
    }
}

/// Polls `poll` until it reports [`Phase::Done`] or [`Phase::Failed`], and returns that
/// last item (a failed item is returned, not an error: the caller reads its status).
///
/// `poll` returns the item, its phase and its status text; `progress` is called with
/// the status text on the first poll and on every change, and a non-zero (true) return
/// cancels. The pause between polls starts at `initial_interval` and doubles while the
/// status stays the same, up to `max_interval`; a change resets it. Errors from `poll`
/// (after the transport's own retries) end the wait. Past the budget the result is
/// `PINATA_E_TIMEOUT`; a raised `cancel` gives `PINATA_E_CANCELLED`.
pub fn wait_until<T>(
    options: &WaitOptions,
    cancel: Option<&CancelToken>,
    mut poll: impl FnMut() -> Result<(T, Phase, String)>,
    mut progress: impl FnMut(&str) -> bool,
) -> Result<T> {
    options.check()?;
    let start = Instant::now();
    let mut interval = options.initial_interval;
    let mut last: Option<String> = None;
    loop {
        if cancel.is_some_and(CancelToken::is_cancelled) {
            return Err(Error::new(Status::Cancelled, "the wait was cancelled"));
        }
        let (item, phase, status) = poll()?;
        if last.as_deref() != Some(status.as_str()) {
            if progress(&status) {
                return Err(Error::new(
                    Status::Cancelled,
                    "the progress callback cancelled the wait",
                ));
            }
            if last.is_some() {
                interval = options.initial_interval;
            }
            last = Some(status.clone());
        }
        if phase != Phase::Pending {
            return Ok(item);
        }
        let elapsed = start.elapsed();
        if elapsed >= options.budget {
            return Err(Error::new(
                Status::Timeout,
                format!(
                    "still {status} after the wait budget of {} ms",
                    options.budget.as_millis()
                ),
            ));
        }
        sleep(interval.min(options.budget - elapsed), cancel)?;
        interval = (interval * 2).min(options.max_interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast() -> WaitOptions {
        WaitOptions {
            budget: Duration::from_secs(5),
            initial_interval: Duration::from_millis(1),
            max_interval: Duration::from_millis(2),
        }
    }

    #[test]
    fn reports_changes_and_stops_when_done() {
        let steps = ["queued", "queued", "pinning", "pinned"];
        let mut i = 0;
        let mut seen = Vec::new();
        let out = wait_until(
            &fast(),
            None,
            || {
                let s = steps[i];
                i += 1;
                let phase = if s == "pinned" {
                    Phase::Done
                } else {
                    Phase::Pending
                };
                Ok((s, phase, s.to_string()))
            },
            |s| {
                seen.push(s.to_string());
                false
            },
        )
        .unwrap();
        assert_eq!(out, "pinned");
        assert_eq!(seen, ["queued", "pinning", "pinned"]);
    }

    #[test]
    fn failed_is_returned_and_callback_cancels() {
        let r = wait_until(
            &fast(),
            None,
            || Ok((1, Phase::Failed, "failed".into())),
            |_| false,
        );
        assert_eq!(r.unwrap(), 1);
        let r = wait_until(
            &fast(),
            None,
            || Ok((1, Phase::Pending, "queued".into())),
            |_| true,
        );
        assert_eq!(r.unwrap_err().status(), Status::Cancelled);
    }

    #[test]
    fn token_cancels_and_budget_times_out() {
        let token = CancelToken::new();
        token.cancel();
        let r = wait_until(
            &fast(),
            Some(&token),
            || Ok((1, Phase::Pending, "queued".into())),
            |_| false,
        );
        assert_eq!(r.unwrap_err().status(), Status::Cancelled);
        let mut o = fast();
        o.budget = Duration::from_millis(5);
        let r = wait_until(
            &o,
            None,
            || Ok((1, Phase::Pending, "queued".into())),
            |_| false,
        );
        assert_eq!(r.unwrap_err().status(), Status::Timeout);
        o.budget = Duration::ZERO;
        assert!(o.check().is_err());
    }
}
