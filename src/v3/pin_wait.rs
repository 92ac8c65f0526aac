//! Waiting for a v3 pin-by-CID request (`POST /v3/files/public/pin_by_cid`) to settle,
//! with the shared helper of [`crate::wait`]. The v3 queue holds the same jobs as the
//! legacy `pinByHash` (Pinata's job statuses: `prechecking`, `searching`, `retrieving`,
//! `backfilled`; failures `expired`, `invalid_object`, `bad_host_node`,
//! `over_free_limit`, `over_max_size`). A request leaves the queue once pinned, so a
//! request that is no longer listed counts as pinned when its CID is a public file.

use crate::client::Client;
use crate::error::{Error, Result, Status};
use crate::legacy::job_wait::FAILED;
use crate::util::check_text;
use crate::v3::files::{check_id, FileQuery};
use crate::v3::pin_by_cid::{PinQueueQuery, PinRequest};
use crate::v3::Network;
use crate::wait::{wait_until, Phase, WaitOptions};
use serde_json::Value;

/// Where a queue status stands: `pinned` is done (a queue that keeps pinned rows shows
/// it), the failure statuses are final, anything else (including statuses this
/// library does not know yet) is still moving.
fn phase_of(status: &str) -> Phase {
    if status == "pinned" {
        Phase::Done
    } else if FAILED.contains(&status) {
        Phase::Failed
    } else {
        Phase::Pending
    }
}

impl Client {
    /// Polls the v3 pin-by-CID request `id` until it is pinned (the returned request's
    /// status is then `pinned`) or has failed (`expired`, `invalid_object`, ...;
    /// returned, not an error), with backoff within `options.budget`
    /// (`PINATA_E_TIMEOUT` past it). `progress` gets each new status; returning true
    /// cancels (`PINATA_E_CANCELLED`), as does the client's cancel token.
    ///
    /// `cid` is the request's CID when known (it narrows each poll to that CID's
    /// queue rows); without it the whole queue is searched for `id` and the CID is
    /// learnt from the first sight of the request. A request no longer queued whose
    /// CID is a public file counts as pinned (however the CID got there); one that is
    /// neither queued nor pinned (cancelled, or never known) gives `PINATA_E_NOT_FOUND`.
    pub fn v3_pin_wait(
        &self,
        id: &str,
        cid: Option<&str>,
        options: &WaitOptions,
        progress: impl FnMut(&str) -> bool,
    ) -> Result<PinRequest> {
        check_id("id", id)?;
        if let Some(c) = cid {
            check_text("cid", c)?;
            crate::cid::parse_cid(c)
                .map_err(|_| Error::invalid_argument("`cid` is not a valid CID"))?;
        }
        options.check()?;
        let mut cid = cid.map(str::to_string);
        let mut last: Option<PinRequest> = None;
        wait_until(
            options,
            self.cancel_token(),
            || {
                if let Some(r) = self.find_queued(id, cid.as_deref())? {
                    cid = Some(r.cid.clone());
                    last = Some(r.clone());
                    let status = r.status.clone();
                    return Ok((r, phase_of(&status), status));
                }
                if let Some(c) = cid.as_deref() {
                    if self.is_public_file(c)? {
                        let mut done = last.clone().unwrap_or_else(|| PinRequest {
                            id: id.to_string(),
                            cid: c.to_string(),
                            name: None,
                            status: String::new(),
                            date_queued: None,
                            raw: Value::Null,
                        });
                        done.status = "pinned".into();
                        if let Some(o) = done.raw.as_object_mut() {
                            o.insert("status".into(), Value::from("pinned"));
                        }
                        return Ok((done, Phase::Done, "pinned".into()));
                    }
                }
                Err(Error::new(
                    Status::NotFound,
                    "the pin request is neither queued nor pinned (cancelled, or unknown)",
                ))
            },
            progress,
        )
    }

    /// The queue row of request `id`, reading only the rows of `cid` when given.
    fn find_queued(&self, id: &str, cid: Option<&str>) -> Result<Option<PinRequest>> {
        let mut it = self.v3_pin_queue(&PinQueueQuery {
            cid: cid.map(str::to_string),
            limit: Some(1000),
            ..PinQueueQuery::default()
        })?;
        while let Some(r) = it.next_request()? {
            if r.id == id {
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    /// Whether `cid` is a file of the public network (a settled pin by CID becomes one).
    fn is_public_file(&self, cid: &str) -> Result<bool> {
        let query = FileQuery {
            cid: Some(cid.to_string()),
            limit: Some(1),
            ..FileQuery::default()
        };
        let page = self.files_list_page(Network::Public, &query, None)?;
        Ok(page.files.iter().any(|f| f.cid == cid))
    }
}
