//! The `/data/*` family: testAuthentication, pinList and
//! userPinnedDataTotal (`reference/pinata-api.md` §1.3, §3.7, §3.8).

use std::sync::Arc;

use hyper::body::Incoming;
use hyper::Request;
use serde_json::{json, Map, Value};

use crate::auth::{authenticate, Need};
use crate::body::discard;
use crate::filters::PinQuery;
use crate::http_util::query_pairs;
use crate::respond::{err_b, json, Resp};
use crate::state::App;

/// `GET /data/testAuthentication`: any valid, unrevoked, unexhausted key; does
/// not use up one of the key's uses.
pub async fn test_authentication(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = authenticate(app, &parts.headers, Need::Nothing, false) {
        return r;
    }
    json(
        200,
        &json!({"message": "Congratulations! You are communicating with the Pinata API!"}),
    )
}

/// `GET /data/pinList`: filtered rows, newest first, offset paging.
pub async fn pin_list(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let pairs = query_pairs(&req);
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = authenticate(app, &parts.headers, Need::Endpoint("data", "pinList"), true) {
        return r;
    }
    let q = match PinQuery::parse(&pairs) {
        Ok(q) => q,
        Err(msg) => return err_b(400, &msg),
    };
    let st = app.lock();
    let mut rows: Vec<&crate::state::PinRow> = st.pins.iter().filter(|r| q.matches(r)).collect();
    rows.sort_by(|a, b| b.date_pinned.cmp(&a.date_pinned).then(b.seq.cmp(&a.seq)));
    let count = rows.len();
    let page: Vec<Value> = rows
        .iter()
        .skip(q.offset)
        .take(q.limit)
        .map(|r| r.to_json(&app.user.id))
        .collect();
    let mut out = Map::new();
    if q.include_count {
        out.insert("count".into(), json!(count));
    }
    out.insert("rows".into(), Value::Array(page));
    json(200, &Value::Object(out))
}

/// `GET /data/userPinnedDataTotal`: totals over active pins.
pub async fn user_pinned_data_total(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = authenticate(
        app,
        &parts.headers,
        Need::Endpoint("data", "userPinnedDataTotal"),
        true,
    ) {
        return r;
    }
    let st = app.lock();
    let active = st.pins.iter().filter(|p| p.active());
    let (count, size) = active.fold((0u64, 0u64), |(c, s), p| (c + 1, s + p.size));
    json(
        200,
        &json!({
            "pin_count": count,
            "pin_size_total": size,
            "pin_size_with_replications_total": size,
        }),
    )
}
