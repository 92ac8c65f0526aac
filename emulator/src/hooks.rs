//! Test hooks under `/__emulator/` (no authentication): reset, stats, pin job
//! advancing, run-time rate limit, fault injection. See `emulator/README.md`.

use std::sync::Arc;

use http::Method;
use hyper::body::Incoming;
use hyper::Request;
use serde_json::{json, Map, Value};

use crate::body::read_limited;
use crate::faults::Fault;
use crate::respond::{err_b, json, Resp};
use crate::state::App;

/// Dispatches a hook request.
pub async fn handle(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let body = match read_limited(req.into_body(), 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => return err_b(400, "hook body too large or unreadable"),
    };
    let body: Option<Value> = if body.iter().all(|b| b.is_ascii_whitespace()) {
        None
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => Some(v),
            Err(e) => return err_b(400, &format!("invalid JSON: {e}")),
        }
    };
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (&method, &segs[1..]) {
        (&Method::POST, ["reset"]) => {
            app.content.reset();
            reset(app)
        }
        (&Method::POST, ["gateway", what]) => crate::gateway::hook(app, what, body.as_ref()),
        (m, ["tus", rest @ ..]) => crate::v3::tus::hook(m, rest, body.as_ref()),
        (&Method::GET, ["stats"]) => stats(app),
        (&Method::POST, ["pin-jobs", id, "advance"]) => {
            let target = match body.as_ref().map(|b| b.get("status")) {
                None | Some(None) | Some(Some(Value::Null)) => None,
                Some(Some(Value::String(s))) => Some(s.clone()),
                Some(Some(_)) => return err_b(400, "status must be a string"),
            };
            crate::legacy::pinning::advance_job(app, id, target.as_deref())
        }
        (&Method::POST, ["psa"]) => crate::psa::pins::configure(app, body.as_ref()),
        (&Method::POST, ["psa", "pins", id, "advance"]) => {
            let target = match body.as_ref().map(|b| b.get("status")) {
                None | Some(None) | Some(Some(Value::Null)) => None,
                Some(Some(Value::String(s))) => Some(s.clone()),
                Some(Some(_)) => return err_b(400, "status must be a string"),
            };
            crate::psa::pins::advance(app, id, target.as_deref())
        }
        (&Method::POST, ["rate-limit"]) => {
            let b = body.unwrap_or(Value::Null);
            let limit = b.get("limit").and_then(Value::as_u64);
            let window = match b.get("window_secs") {
                None | Some(Value::Null) => Some(60),
                Some(v) => v.as_u64().filter(|w| *w > 0),
            };
            match (limit, window) {
                (Some(l), Some(w)) => {
                    app.lock().rate.configure(l, w);
                    json(200, &json!({"limit": l, "window_secs": w}))
                }
                _ => err_b(400, "expected {\"limit\": N, \"window_secs\": S} (S > 0)"),
            }
        }
        (&Method::POST, ["faults"]) => {
            let Some(b) = body else {
                return err_b(400, "fault description required");
            };
            let mut st = app.lock();
            let id = st.next_seq();
            match Fault::parse(id, &b) {
                Ok(f) => {
                    let spec = f.spec.clone();
                    st.faults.push(f);
                    json(200, &spec)
                }
                Err(e) => err_b(400, &e),
            }
        }
        (&Method::GET, ["faults"]) => {
            let st = app.lock();
            let list: Vec<Value> = st
                .faults
                .iter()
                .map(|f| {
                    let mut s = f.spec.clone();
                    if let Some(o) = s.as_object_mut() {
                        o.insert("times".into(), json!(f.times));
                    }
                    s
                })
                .collect();
            json(200, &json!({ "faults": list }))
        }
        (&Method::DELETE, ["faults"]) => {
            app.lock().faults.clear();
            json(200, &json!({"faults": []}))
        }
        _ => err_b(404, &format!("no such hook: {method} {path}")),
    }
}

/// Clears pins, jobs, non-seed keys, faults, counters and rate windows; the
/// seed key is un-revoked and its use count zeroed.
fn reset(app: &App) -> Resp {
    let mut st = app.lock();
    st.pins.clear();
    st.jobs.clear();
    st.v3 = Default::default();
    st.psa.reset();
    st.faults.clear();
    st.legacy_groups.clear();
    st.v3_groups.clear();
    st.keys.retain(|k| k.seed);
    for k in st.keys.iter_mut() {
        k.revoked = false;
        k.uses = 0;
    }
    st.stats = Default::default();
    st.rate.clear();
    crate::v3::tus::reset();
    json(200, &json!({"reset": true}))
}

fn stats(app: &App) -> Resp {
    let st = app.lock();
    let mut by_path = Map::new();
    for (p, n) in &st.stats.by_path {
        by_path.insert(p.clone(), json!(n));
    }
    json(
        200,
        &json!({"requests_total": st.stats.total, "by_path": by_path}),
    )
}
