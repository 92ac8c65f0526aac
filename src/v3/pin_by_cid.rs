//! The v3 pin-by-CID queue (public network): `POST/GET /v3/files/public/pin_by_cid`,
//! `DELETE /v3/files/public/pin_by_cid/{id}`.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::legacy::pinning::{Metadata, MAX_HOST_NODES};
use crate::transport::{Hooks, Method, Request};
use crate::util::{check_text, opt_str, path_segment, query_string, str_field};
use crate::v3::files::check_id;
use crate::v3::{data_of, Order};
use serde_json::{json, Map, Value};
use std::collections::VecDeque;

/// Options of a v3 pin by CID.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PinByCidOptions {
    /// Name and keyvalues.
    pub metadata: Metadata,
    /// v3 group of the file.
    pub group_id: Option<String>,
    /// Multiaddrs of nodes that have the content (at most 5).
    pub host_nodes: Vec<String>,
}

impl PinByCidOptions {
    /// Adds a host node (a multiaddr starting with '/'); at most 5.
    pub fn add_host_node(&mut self, multiaddr: &str) -> Result<()> {
        check_text("multiaddr", multiaddr)?;
        if !multiaddr.starts_with('/') {
            return Err(Error::invalid_argument("`multiaddr` must start with '/'"));
        }
        if self.host_nodes.len() >= MAX_HOST_NODES {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_HOST_NODES} host nodes are allowed"
            )));
        }
        self.host_nodes.push(multiaddr.to_string());
        Ok(())
    }
}

/// A queued pin request.
#[derive(Clone, Debug, PartialEq)]
pub struct PinRequest {
    /// Request id.
    pub id: String,
    /// The CID.
    pub cid: String,
    /// Name.
    pub name: Option<String>,
    /// Status (`prechecking`, `searching`, `retrieving`, `expired`, …).
    pub status: String,
    /// When it was queued.
    pub date_queued: Option<String>,
    /// The object as the service sent it.
    pub raw: Value,
}

impl PinRequest {
    fn from_json(v: Value) -> Result<PinRequest> {
        Ok(PinRequest {
            id: str_field(&v, "id")?,
            cid: str_field(&v, "cid")?,
            name: opt_str(&v, "name"),
            status: str_field(&v, "status")?,
            date_queued: opt_str(&v, "date_queued"),
            raw: v,
        })
    }
}

/// Filters of the queue listing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PinQueueQuery {
    /// Only this status.
    pub status: Option<String>,
    /// Only this CID.
    pub cid: Option<String>,
    /// Order by queue time.
    pub order: Option<Order>,
    /// Page size 1–1000.
    pub limit: Option<u32>,
}

impl PinQueueQuery {
    fn params(&self, token: Option<&str>) -> Result<Vec<(String, String)>> {
        let mut p = Vec::new();
        if let Some(s) = &self.status {
            check_text("status", s)?;
            p.push(("status".into(), s.clone()));
        }
        if let Some(c) = &self.cid {
            check_text("cid", c)?;
            p.push(("cid".into(), c.clone()));
        }
        if let Some(o) = self.order {
            p.push(("order".into(), o.as_str().into()));
        }
        if let Some(l) = self.limit {
            if !(1..=1000).contains(&l) {
                return Err(Error::invalid_argument(
                    "`limit` must be between 1 and 1000",
                ));
            }
            p.push(("limit".into(), l.to_string()));
        }
        if let Some(t) = token {
            p.push(("pageToken".into(), t.into()));
        }
        Ok(p)
    }
}

/// Iterates over the queue, following `next_page_token`. Holds its own client clone.
pub struct PinQueueIter {
    client: Client,
    query: PinQueueQuery,
    token: Option<String>,
    buffered: VecDeque<PinRequest>,
    done: bool,
}

impl PinQueueIter {
    /// The next request, `Ok(None)` at the end.
    pub fn next_request(&mut self) -> Result<Option<PinRequest>> {
        while self.buffered.is_empty() && !self.done {
            let path = format!(
                "/v3/files/public/pin_by_cid{}",
                query_string(&self.query.params(self.token.as_deref())?)
            );
            let d = data_of(self.client.send_json(Request::get(path))?)?;
            let jobs = d
                .get("jobs")
                .and_then(Value::as_array)
                .ok_or_else(|| Error::protocol("the pin queue lacks `jobs`"))?
                .iter()
                .cloned()
                .map(PinRequest::from_json)
                .collect::<Result<Vec<_>>>()?;
            match opt_str(&d, "next_page_token").filter(|t| !t.is_empty()) {
                Some(t) if Some(&t) != self.token.as_ref() => self.token = Some(t),
                _ => self.done = true,
            }
            if jobs.is_empty() {
                self.done = true;
            }
            self.buffered.extend(jobs);
        }
        Ok(self.buffered.pop_front())
    }
}

impl Client {
    /// Queues a CID for pinning on the public network.
    pub fn v3_pin_by_cid(&self, cid: &str, options: &PinByCidOptions) -> Result<PinRequest> {
        check_text("cid", cid)?;
        crate::cid::parse_cid(cid)
            .map_err(|_| Error::invalid_argument("`cid` is not a valid CID"))?;
        let mut b = Map::new();
        b.insert("cid".into(), json!(cid));
        if let Some(n) = &options.metadata.name {
            crate::util::check_len("name", n)?;
            b.insert("name".into(), json!(n));
        }
        if !options.metadata.keyvalues.is_empty() {
            b.insert(
                "keyvalues".into(),
                Value::Object(options.metadata.keyvalues.clone()),
            );
        }
        if let Some(g) = &options.group_id {
            check_text("group_id", g)?;
            b.insert("group_id".into(), json!(g));
        }
        if !options.host_nodes.is_empty() {
            b.insert("host_nodes".into(), json!(options.host_nodes));
        }
        let v = self.send_json(Request::json(
            Method::Post,
            "/v3/files/public/pin_by_cid",
            &Value::Object(b),
        ))?;
        PinRequest::from_json(data_of(v)?)
    }

    /// Iterates over the pin-by-CID queue.
    pub fn v3_pin_queue(&self, query: &PinQueueQuery) -> Result<PinQueueIter> {
        query.params(None)?;
        Ok(PinQueueIter {
            client: self.clone(),
            query: query.clone(),
            token: None,
            buffered: VecDeque::new(),
            done: false,
        })
    }

    /// Cancels a queued request; an unknown id is `PINATA_E_NOT_FOUND`.
    pub fn v3_pin_cancel(&self, id: &str) -> Result<()> {
        check_id("id", id)?;
        let req = Request {
            method: Method::Delete,
            ..Request::get(format!("/v3/files/public/pin_by_cid/{}", path_segment(id)))
        };
        self.send(req, &mut Hooks::default())?;
        Ok(())
    }
}
