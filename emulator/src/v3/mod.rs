//! The v3 Files API's endpoints on the API host and the upload host (the
//! emulator serves both on one port), and the private gateway path `/files/`.

pub mod car;
pub mod common;
pub mod files;
pub mod groups;
pub mod pin_by_cid;
pub mod signed;
pub mod store;
pub mod tus;
pub mod upload;

use std::sync::Arc;

use http::Method;
use hyper::body::Incoming;
use hyper::Request;

use crate::http_util::percent_decode;
use crate::legacy::data;
use crate::respond::{not_found, Resp};
use crate::state::App;

/// True for the paths [`route`] answers.
pub fn handles(segs: &[&str]) -> bool {
    matches!(
        segs,
        ["v3", "files", ..] | ["v3", "data", ..] | ["files", _]
    )
}

/// Routes a request [`handles`] accepts.
pub async fn route(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let segs: Vec<String> = path
        .trim_start_matches('/')
        .split('/')
        .map(percent_decode)
        .collect();
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    match (&method, s.as_slice()) {
        (&Method::GET, ["v3", "data", "testAuthentication"]) => {
            data::test_authentication(app, req).await
        }
        (&Method::GET, ["v3", "data", "userPinnedDataTotal"]) => {
            data::user_pinned_data_total(app, req).await
        }
        (&Method::POST, ["v3", "files"]) => upload::upload(app, req).await,
        (&Method::POST, ["v3", "files", "sign"]) => signed::sign(app, req).await,
        (&Method::POST, ["v3", "files", "private", "download_link"])
        | (&Method::POST, ["v3", "files", "download_link"]) => {
            signed::download_link(app, req).await
        }
        (&Method::POST, ["v3", "files", "public", "pin_by_cid"]) => {
            pin_by_cid::queue(app, req).await
        }
        (&Method::GET, ["v3", "files", "public", "pin_by_cid"]) => pin_by_cid::list(app, req).await,
        (&Method::DELETE, ["v3", "files", "public", "pin_by_cid", id]) if !id.is_empty() => {
            pin_by_cid::cancel(app, req, id).await
        }
        (&Method::POST, ["v3", "files", id]) if !id.is_empty() => {
            signed::signed_upload(app, req, id).await
        }
        (&Method::GET, ["v3", "files", net]) => files::list(app, req, net).await,
        (&Method::GET, ["v3", "files", net, id]) if !id.is_empty() => {
            files::get(app, req, net, id).await
        }
        (&Method::PUT, ["v3", "files", net, id]) if !id.is_empty() => {
            files::update(app, req, net, id).await
        }
        (&Method::DELETE, ["v3", "files", net, id]) if !id.is_empty() => {
            files::delete(app, req, net, id).await
        }
        (&Method::GET, ["files", cid]) | (&Method::HEAD, ["files", cid]) if !cid.is_empty() => {
            signed::gateway_file(app, req, cid).await
        }
        _ => {
            crate::body::discard(req.into_body());
            not_found(method.as_str(), &path)
        }
    }
}
