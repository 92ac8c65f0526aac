//! Waiting for a legacy pin-by-CID job (`POST /pinning/pinByHash`) to settle, with the
//! shared helper of [`crate::wait`]. A job leaves `/pinning/pinJobs` once pinned, so a
//! job that is no longer listed counts as pinned when `/data/pinList` shows its CID.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::legacy::data::{PinListQuery, PinStatus};
use crate::legacy::pinning::{PinJob, PinJobQuery};
use crate::wait::{wait_until, Phase, WaitOptions};

/// Job statuses that are final failures.
pub(crate) const FAILED: [&str; 5] = [
    "expired",
    "invalid_object",
    "bad_host_node",
    "over_free_limit",
    "over_max_size",
];

impl Client {
    /// Polls a pin-by-CID job until it is pinned (the returned job's status is then
    /// `pinned`) or has failed (`expired`, `invalid_object`, ...; returned, not an
    /// error), with backoff within `options.budget` (`PINATA_E_TIMEOUT` past it).
    /// `progress` gets each new status; returning true cancels (`PINATA_E_CANCELLED`),
    /// as does the client's cancel token.
    pub fn wait_pin_job(
        &self,
        job: &PinJob,
        options: &WaitOptions,
        progress: impl FnMut(&str) -> bool,
    ) -> Result<PinJob> {
        crate::legacy::pinning::check_cid(&job.cid)?;
        crate::util::check_text("job id", &job.id)?;
        wait_until(
            options,
            self.cancel_token(),
            || {
                let page = self.pin_jobs(&PinJobQuery {
                    cid: Some(job.cid.clone()),
                    limit: Some(1000),
                    ..PinJobQuery::default()
                })?;
                if let Some(j) = page.jobs.into_iter().find(|j| j.id == job.id) {
                    let phase = if FAILED.contains(&j.status.as_str()) {
                        Phase::Failed
                    } else {
                        Phase::Pending
                    };
                    let status = j.status.clone();
                    return Ok((j, phase, status));
                }
                let rows = self.pin_list_page(
                    &PinListQuery {
                        cid: Some(job.cid.clone()),
                        status: Some(PinStatus::Pinned),
                        ..PinListQuery::default()
                    },
                    0,
                    1,
                )?;
                if rows.rows.iter().any(|r| r.cid == job.cid) {
                    let mut done = job.clone();
                    done.status = "pinned".into();
                    return Ok((done, Phase::Done, "pinned".into()));
                }
                Err(Error::new(
                    crate::Status::NotFound,
                    "the pin job is neither queued nor pinned (removed or unpinned)",
                ))
            },
            progress,
        )
    }
}
