//! `pinata-emulator`: a local server that answers like api.pinata.cloud.
//!
//! ```text
//! pinata-emulator [--listen 127.0.0.1:0] [--rate-limit N] [--rate-window-secs S] [--quiet]
//! ```
//!
//! Once it accepts connections it prints one JSON line on stdout,
//! `{"url":…,"jwt":…,"api_key":…,"api_secret":…}` (a seeded admin key), and
//! serves until SIGINT or SIGTERM. See `emulator/README.md`.

// Request validation returns the finished error response as `Err`, so that a
// handler can `return` it as is; the response type is large by nature and is
// produced at most once per request, so boxing it would only add noise.
#![allow(clippy::result_large_err)]

// Layers, top down; a module imports only from the layers below it, so the
// crate has no import cycle:
//   server                      accepts connections, routes every request
//   hooks                       the /__emulator test hooks
//   data, keys, pinning         one module per API family
//   auth, filters, body         authentication, pin-list filters, request bodies
//   state                       the in-memory account (holds the injected faults)
//   faults, ratelimit           fault injection, the rate limiter
//   http_util, ids, respond     leaves: query/path decoding, timestamps and ids, responses
mod auth;
mod body;
mod faults;
mod filters;
mod gateway;
mod hooks;
mod http_util;
mod ids;
mod keys;
mod legacy;
mod oracle;
mod psa;
mod ratelimit;
mod respond;
mod server;
mod state;
mod v3;

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;

use crate::ids::{random_hex, uuid};
use crate::ratelimit::RateLimiter;
use crate::state::{App, Seed, State, Stats, User};

/// Command-line options.
struct Options {
    listen: String,
    rate_limit: u64,
    rate_window_secs: u64,
    quiet: bool,
    /// `--psa-mode pinata` (default spec) and `--psa-step-ms N|manual` (psa::pins).
    psa: psa::pins::PsaState,
}

const USAGE: &str =
    "usage: pinata-emulator [--listen ADDR:PORT] [--rate-limit N] [--rate-window-secs S] [--quiet]\n                       [--psa-mode spec|pinata] [--psa-step-ms N|manual]";

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        listen: "127.0.0.1:0".into(),
        rate_limit: 0,
        rate_window_secs: 60,
        quiet: false,
        psa: Default::default(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |n: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{n} needs a value"))
        };
        match name.as_str() {
            "--listen" => o.listen = value("--listen")?,
            "--rate-limit" => {
                o.rate_limit = value("--rate-limit")?
                    .parse()
                    .map_err(|_| "--rate-limit needs a non-negative integer".to_string())?
            }
            "--rate-window-secs" => {
                o.rate_window_secs = value("--rate-window-secs")?
                    .parse::<u64>()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| "--rate-window-secs needs a positive integer".to_string())?
            }
            "--quiet" => o.quiet = true,
            "--psa-mode" => match value("--psa-mode")?.as_str() {
                "spec" => o.psa.pinata_mode = false,
                "pinata" => o.psa.pinata_mode = true,
                _ => return Err("--psa-mode needs spec or pinata".into()),
            },
            "--psa-step-ms" => {
                o.psa.step_ms = match value("--psa-step-ms")?.as_str() {
                    "manual" => None,
                    n => Some(n.parse().map_err(|_| {
                        "--psa-step-ms needs a non-negative integer or manual".to_string()
                    })?),
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(o)
}

fn main() {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("pinata-emulator: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(run(opts));
}

async fn run(opts: Options) {
    let listener = match tokio::net::TcpListener::bind(&opts.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("pinata-emulator: cannot listen on {}: {e}", opts.listen);
            std::process::exit(1);
        }
    };
    let addr = listener.local_addr().expect("bound address");
    let app = Arc::new(build_app(&opts));
    // The handlers exist before the start line is printed: a caller that signals as
    // soon as it reads that line must get a clean exit, not the default SIGINT death.
    let signals = signal_handlers();

    let line = json!({
        "url": format!("http://{addr}"),
        "jwt": app.seed.jwt,
        "api_key": app.seed.key,
        "api_secret": app.seed.secret,
    });
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
    if !opts.quiet {
        eprintln!("pinata-emulator: listening on http://{addr}");
    }

    let server = tokio::spawn(server::serve(listener, app.clone()));
    wait_for_signal(signals).await;
    server.abort();
    if !opts.quiet {
        eprintln!("pinata-emulator: shutting down");
    }
    std::process::exit(0);
}

type Signals = (tokio::signal::unix::Signal, tokio::signal::unix::Signal);

fn signal_handlers() -> Signals {
    use tokio::signal::unix::{signal, SignalKind};
    (
        signal(SignalKind::terminate()).expect("SIGTERM handler"),
        signal(SignalKind::interrupt()).expect("SIGINT handler"),
    )
}

async fn wait_for_signal((mut term, mut int): Signals) {
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}

/// Creates the account, the seeded admin key and empty state.
fn build_app(opts: &Options) -> App {
    let mut jwt_key = vec![0u8; 32];
    getrandom::fill(&mut jwt_key).expect("OS random source");
    let user = User {
        id: uuid(),
        email: format!("emulator-{}@example.com", random_hex(4)),
    };
    let mut app = App {
        state: Mutex::new(State {
            keys: Vec::new(),
            pins: Vec::new(),
            jobs: Vec::new(),
            faults: Vec::new(),
            stats: Stats::default(),
            rate: RateLimiter::new(opts.rate_limit, opts.rate_window_secs),
            seq: 0,
            legacy_groups: Vec::new(),
            v3_groups: Vec::new(),
            v3: Default::default(),
            psa: opts.psa.clone(),
        }),
        jwt_key,
        user,
        seed: Seed {
            key: String::new(),
            secret: String::new(),
            jwt: String::new(),
        },
        quiet: opts.quiet,
    };
    let (rec, jwt) = {
        let mut st = app.lock();
        auth::create_key(
            &app,
            &mut st,
            "emulator-admin",
            json!({"admin": true}),
            0,
            true,
        )
    };
    app.seed = Seed {
        key: rec.key,
        secret: rec.secret,
        jwt,
    };
    app
}
