//! The v3 pin-by-CID queue, `/v3/files/public/pin_by_cid` (§6.5). It is the
//! same queue as legacy `/pinning/pinByHash` (`State::jobs`): jobs advance with
//! the `/__emulator/pin-jobs/{id}/advance` hook and become public files.

use std::sync::Arc;

use chrono::SecondsFormat;
use hyper::body::Incoming;
use hyper::Request;
use serde_json::{json, Value};

use crate::body::{discard, read_json};
use crate::http_util::query_pairs;
use crate::ids::{now, uuid};
use crate::legacy::pinning::MAX_HOST_NODES;
use crate::oracle;
use crate::respond::Resp;
use crate::state::{App, Job, IN_FLIGHT, MAX_IN_FLIGHT};
use crate::v3::common::{check_keyvalues, data, err_c, opt_str, v3_auth};
use crate::v3::files::{paginate, parse_limit, DEFAULT_LIMIT};

/// A job as the v3 API shows it.
fn job_json(j: &Job) -> Value {
    json!({
        "id": j.id,
        "cid": j.cid,
        "name": j.name,
        "status": j.status,
        "keyvalues": j.keyvalues,
        "host_nodes": j.host_nodes,
        "group_id": j.group_id,
        "date_queued": j.date_queued.to_rfc3339_opts(SecondsFormat::Micros, true),
    })
}

/// `POST /v3/files/public/pin_by_cid` `{cid, name?, group_id?, keyvalues?, host_nodes?}`.
pub async fn queue(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    let body = match read_json(body, &parts.headers).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = v3_auth(app, &parts.headers, "org:files:write") {
        return r;
    }
    let Some(body) = body.filter(Value::is_object) else {
        return err_c(400, "Body must be a JSON object with a cid");
    };
    let cid = match body.get("cid") {
        Some(Value::String(s)) if oracle::is_cid(s) => s.clone(),
        Some(Value::String(s)) => return err_c(400, &format!("Invalid CID: {s}")),
        _ => return err_c(400, "cid is required"),
    };
    let (name, group_id) = match (opt_str(&body, "name"), opt_str(&body, "group_id")) {
        (Ok(n), Ok(g)) => (n, g),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let keyvalues = match body.get("keyvalues") {
        None | Some(Value::Null) => None,
        Some(v) => match check_keyvalues(v) {
            Ok(m) => Some(m),
            Err(r) => return r,
        },
    };
    let host_nodes = match body.get("host_nodes") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::Array(a)) if a.len() <= MAX_HOST_NODES => {
            match a
                .iter()
                .map(|h| h.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
            {
                Some(v) => Some(v),
                None => return err_c(400, "host_nodes must be strings"),
            }
        }
        Some(Value::Array(_)) => {
            return err_c(400, "host_nodes may contain at most 5 multiaddresses")
        }
        Some(_) => return err_c(400, "host_nodes must be an array"),
    };
    let mut st = app.lock();
    let in_flight = st
        .jobs
        .iter()
        .filter(|j| IN_FLIGHT.contains(&j.status.as_str()))
        .count();
    let status = if in_flight >= MAX_IN_FLIGHT {
        "backfilled"
    } else {
        "prechecking"
    };
    let seq = st.next_seq();
    let job = Job {
        id: uuid(),
        cid: cid.clone(),
        date_queued: now(),
        name: Some(name.unwrap_or_else(|| cid.clone())),
        status: status.into(),
        keyvalues,
        host_nodes,
        group_id,
        seq,
    };
    let out = job_json(&job);
    st.jobs.push(job);
    data(out)
}

/// `GET /v3/files/public/pin_by_cid`: `order`/`sort`, `status`, `cid`, `limit`, `pageToken`.
pub async fn list(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let pairs = query_pairs(&req);
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = v3_auth(app, &parts.headers, "org:files:read") {
        return r;
    }
    let mut descending = true;
    let (mut status, mut cid, mut token) = (None, None, None);
    let mut limit = DEFAULT_LIMIT;
    for (k, v) in &pairs {
        match k.as_str() {
            "order" | "sort" => match v.to_ascii_uppercase().as_str() {
                "ASC" => descending = false,
                // npm `pinata` 2.5.6 types the queue's sort as "ASC" | "DSC".
                "DESC" | "DSC" => descending = true,
                _ => return err_c(400, "order must be ASC or DESC"),
            },
            "status" => status = Some(v.clone()),
            "cid" => cid = Some(v.clone()),
            "pageToken" => token = Some(v.clone()),
            "limit" => match parse_limit(v) {
                Ok(n) => limit = n,
                Err(r) => return r,
            },
            _ => {}
        }
    }
    let mut rows: Vec<Job> = app
        .lock()
        .jobs
        .iter()
        .filter(|j| status.as_ref().is_none_or(|s| &j.status == s))
        .filter(|j| cid.as_ref().is_none_or(|c| &j.cid == c))
        .cloned()
        .collect();
    rows.sort_by(|a, b| a.date_queued.cmp(&b.date_queued).then(a.seq.cmp(&b.seq)));
    if descending {
        rows.reverse();
    }
    match paginate(rows, |j| j.id.as_str(), limit, token.as_deref()) {
        Ok((page, next)) => {
            let jobs: Vec<Value> = page.iter().map(job_json).collect();
            data(json!({"jobs": jobs, "next_page_token": next}))
        }
        Err(r) => r,
    }
}

/// `DELETE /v3/files/public/pin_by_cid/{id}`: cancels a queued job.
pub async fn cancel(app: &Arc<App>, req: Request<Incoming>, id: &str) -> Resp {
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = v3_auth(app, &parts.headers, "org:files:write") {
        return r;
    }
    let mut st = app.lock();
    let before = st.jobs.len();
    st.jobs.retain(|j| j.id != id);
    if st.jobs.len() == before {
        return err_c(404, "Pin request not found");
    }
    data(Value::Null)
}
