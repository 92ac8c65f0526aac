//! Connection handling and routing. Each TCP connection is served by its own
//! hyper HTTP/1 task so that faults can abort it (TCP RST); every request goes
//! through statistics, fault injection, rate limiting and the common response
//! headers before reaching its endpoint.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::header::{HeaderValue, RETRY_AFTER};
use http::Method;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

use crate::auth::Need;
use crate::faults::{self, Outcome};
use crate::http_util::{percent_decode, ConnCtl};
use crate::ids::uuid;
use crate::legacy::{data, groups, pinning};
use crate::respond::{err_a, not_found, Resp};
use crate::state::App;
use crate::v3::groups as v3_groups;
use crate::{hooks, keys};

/// Accepts connections forever.
pub async fn serve(listener: TcpListener, app: Arc<App>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(serve_conn(stream, app.clone()));
            }
            Err(e) => {
                if !app.quiet {
                    eprintln!("pinata-emulator: accept failed: {e}");
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

async fn serve_conn(stream: TcpStream, app: Arc<App>) {
    let _ = stream.set_nodelay(true);
    // A second descriptor of the same socket: on abort, SO_LINGER=0 is set
    // through it, so that closing the socket sends RST instead of FIN.
    let dup = socket2::SockRef::from(&stream).try_clone().ok();
    let ctl = Arc::new(ConnCtl {
        abort: Notify::new(),
    });
    let ctl2 = ctl.clone();
    let svc = service_fn(move |req| {
        let app = app.clone();
        let ctl = ctl2.clone();
        async move { Ok::<_, Infallible>(handle(app, ctl, req).await) }
    });
    let conn = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), svc);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = ctl.abort.notified() => {
            if let Some(d) = &dup {
                let _ = d.set_linger(Some(Duration::ZERO));
            }
        }
    }
    // `conn` (and its socket) is dropped before `dup`; the last close resets.
}

/// Handles one request end to end.
async fn handle(app: Arc<App>, ctl: Arc<ConnCtl>, req: Request<Incoming>) -> Resp {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let is_hook = path.starts_with("/__emulator/") || path == "/__emulator";
    let bucket = crate::auth::claimed_key(req.headers()).unwrap_or_else(|| "anonymous".into());

    let fault = if is_hook {
        None
    } else {
        let mut st = app.lock();
        st.stats.total += 1;
        *st.stats.by_path.entry(path.clone()).or_insert(0) += 1;
        faults::take(&mut st.faults, method.as_str(), &path)
    };

    let mut consume = !is_hook;
    let mut resp = None;
    let mut req = Some(req);
    if let Some(kind) = fault {
        let r = req.take().expect("request present");
        match faults::apply(kind, &ctl, r).await {
            Outcome::Respond(rsp) => {
                consume = false;
                resp = Some(rsp);
            }
            Outcome::Continue(r) => req = Some(r),
        }
    }

    let info = app.lock().rate.hit(&bucket, consume);
    let mut resp = match (resp, req) {
        (Some(r), _) => r,
        (None, Some(_)) if info.limited => {
            let mut r = err_a(
                429,
                "RATE_LIMITED",
                "Too many requests, please try again later.",
            );
            r.headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(info.retry_after));
            r
        }
        (None, Some(r)) if is_hook => hooks::handle(&app, r).await,
        // TUS requests share `/v3/files` with the multipart upload; their headers decide.
        (None, Some(r)) if crate::v3::tus::is_tus(&r) => {
            crate::v3::tus::handle(&app, &ctl, r).await
        }
        (None, Some(r)) => route(&app, r).await,
        (None, None) => err_a(500, "UNKNOWN_REASON", "internal error"),
    };

    let h = resp.headers_mut();
    h.insert("x-ratelimit-limit", HeaderValue::from(info.limit));
    h.insert("x-ratelimit-remaining", HeaderValue::from(info.remaining));
    h.insert("x-ratelimit-reset", HeaderValue::from(info.reset));
    if let Ok(v) = HeaderValue::from_str(&uuid()) {
        h.insert("x-request-id", v);
    }
    h.insert("x-powered-by", HeaderValue::from_static("Express"));
    if !app.quiet {
        eprintln!(
            "{} {} -> {} ({} ms)",
            method,
            path,
            resp.status().as_u16(),
            started.elapsed().as_millis()
        );
    }
    resp
}

/// The API's routing table.
async fn route(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (&method, segs.as_slice()) {
        (&Method::GET, ["data", "testAuthentication"]) => data::test_authentication(app, req).await,
        (&Method::GET | &Method::HEAD, ["ipfs", ..]) => crate::gateway::serve(app, req).await,
        (&Method::GET, ["data", "pinList"]) => data::pin_list(app, req).await,
        (&Method::GET, ["data", "userPinnedDataTotal"]) => {
            data::user_pinned_data_total(app, req).await
        }
        (&Method::POST, ["pinning", "pinFileToIPFS"]) => pinning::pin_file(app, req).await,
        (&Method::POST, ["pinning", "pinJSONToIPFS"]) => pinning::pin_json(app, req).await,
        (&Method::POST, ["pinning", "pinByHash"]) => pinning::pin_by_hash(app, req).await,
        (&Method::GET, ["pinning", "pinJobs"]) => pinning::pin_jobs(app, req).await,
        (&Method::PUT, ["pinning", "hashMetadata"]) => pinning::hash_metadata(app, req).await,
        (&Method::DELETE, ["pinning", "unpin", cid]) if !cid.is_empty() => {
            let cid = percent_decode(cid);
            pinning::unpin(app, req, &cid).await
        }
        (&Method::PUT, ["pinning", "userPinPolicy"]) => {
            pinning::pin_policy(app, req, Need::Endpoint("pinning", "userPinPolicy")).await
        }
        (&Method::PUT, ["pinning", "hashPinPolicy"]) => {
            pinning::pin_policy(app, req, Need::Endpoint("pinning", "hashPinPolicy")).await
        }
        (&Method::GET, ["psa", "pins"]) => crate::psa::pins::list(app, req).await,
        (&Method::POST, ["psa", "pins"]) => crate::psa::pins::add(app, req).await,
        (&Method::GET, ["psa", "pins", id]) if !id.is_empty() => {
            let id = percent_decode(id);
            crate::psa::pins::get(app, req, &id).await
        }
        (&Method::POST, ["psa", "pins", id]) if !id.is_empty() => {
            let id = percent_decode(id);
            crate::psa::pins::replace(app, req, &id).await
        }
        (&Method::DELETE, ["psa", "pins", id]) if !id.is_empty() => {
            let id = percent_decode(id);
            crate::psa::pins::delete(app, req, &id).await
        }
        (&Method::POST, ["users", "generateApiKey"])
        | (&Method::POST, ["v3", "pinata", "keys"])
        | (&Method::POST, ["v3", "api_keys"]) => keys::create(app, req).await,
        (&Method::GET, ["users", "apiKeys"])
        | (&Method::GET, ["v3", "pinata", "keys"])
        | (&Method::GET, ["v3", "api_keys"]) => keys::list(app, req).await,
        (&Method::PUT, ["users", "revokeApiKey"]) => keys::revoke_by_body(app, req).await,
        (&Method::PUT, ["v3", "pinata", "keys", key])
        | (&Method::DELETE, ["v3", "api_keys", key])
            if !key.is_empty() =>
        {
            let key = percent_decode(key);
            keys::revoke_by_path(app, req, &key).await
        }
        // Legacy groups (CID based).
        (&Method::POST, ["groups"]) => groups::create(app, req).await,
        (&Method::GET, ["groups"]) => groups::list(app, req).await,
        (&Method::GET, ["groups", id]) if !id.is_empty() => {
            groups::get(app, req, &percent_decode(id)).await
        }
        (&Method::PUT, ["groups", id]) if !id.is_empty() => {
            groups::update(app, req, &percent_decode(id)).await
        }
        (&Method::DELETE, ["groups", id]) if !id.is_empty() => {
            groups::delete(app, req, &percent_decode(id)).await
        }
        (&Method::PUT, ["groups", id, "cids"]) if !id.is_empty() => {
            groups::change_cids(app, req, &percent_decode(id), true).await
        }
        (&Method::DELETE, ["groups", id, "cids"]) if !id.is_empty() => {
            groups::change_cids(app, req, &percent_decode(id), false).await
        }
        // v3 groups, per network.
        (&Method::POST, ["v3", "groups", net]) => v3_groups::create(app, req, net).await,
        (&Method::GET, ["v3", "groups", net]) => v3_groups::list(app, req, net).await,
        (&Method::GET, ["v3", "groups", net, id]) => {
            v3_groups::get(app, req, net, &percent_decode(id)).await
        }
        (&Method::PUT, ["v3", "groups", net, id]) => {
            v3_groups::update(app, req, net, &percent_decode(id)).await
        }
        (&Method::DELETE, ["v3", "groups", net, id]) => {
            v3_groups::delete(app, req, net, &percent_decode(id)).await
        }
        (&Method::PUT, ["v3", "groups", net, id, "ids", file]) => {
            let (id, file) = (percent_decode(id), percent_decode(file));
            v3_groups::set_member(app, req, net, &id, &file, true).await
        }
        (&Method::DELETE, ["v3", "groups", net, id, "ids", file]) => {
            let (id, file) = (percent_decode(id), percent_decode(file));
            v3_groups::set_member(app, req, net, &id, &file, false).await
        }
        // The v3 Files API and the private gateway path (emulator/src/v3/).
        (_, s) if crate::v3::handles(s) => crate::v3::route(app, req).await,
        _ => {
            crate::body::discard(req.into_body());
            not_found(method.as_str(), &path)
        }
    }
}
