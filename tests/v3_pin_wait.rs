//! Waiting for a v3 pin-by-CID request from the safe Rust API (`Client::v3_pin_wait`)
//! against a fresh emulator, whose hook moves the request: pinned (by id and CID, and
//! by id alone), failed (returned at once, not a timeout), the budget, the callback's
//! stop, a cancelled request, and bad arguments answered before any request.

mod common;

use common::Emulator;
use pinata::v3::pin_by_cid::PinByCidOptions;
use pinata::wait::WaitOptions;
use pinata::Status;
use std::time::Duration;

const CID: &str = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";

fn fast() -> WaitOptions {
    WaitOptions {
        budget: Duration::from_secs(60),
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(10),
    }
}

fn advance(emu: &Emulator, id: &str, body: Option<&str>) {
    let (code, text) = emu.hook("POST", &format!("/__emulator/pin-jobs/{id}/advance"), body);
    assert_eq!(code, 200, "{text}");
}

#[test]
fn waits_until_pinned_or_failed() {
    let emu = Emulator::start();
    let c = emu.client();
    let mut o = PinByCidOptions::default();
    o.metadata.name = Some("waited".into());
    let r = c.v3_pin_by_cid(CID, &o).unwrap();
    let mut seen = Vec::new();
    let done = c
        .v3_pin_wait(&r.id, Some(CID), &fast(), |s| {
            match seen.len() {
                0 => advance(&emu, &r.id, None),
                1 => advance(&emu, &r.id, Some(r#"{"status":"pinned"}"#)),
                _ => {}
            }
            seen.push(s.to_string());
            false
        })
        .unwrap();
    assert_eq!(seen, ["prechecking", "searching", "pinned"]);
    assert_eq!(done.status, "pinned");
    assert_eq!((done.id.as_str(), done.cid.as_str()), (r.id.as_str(), CID));
    assert_eq!(done.name.as_deref(), Some("waited"));
    assert_eq!(done.raw["status"], "pinned");

    // By id alone, to a failure: returned with its status, at once.
    let f = c.v3_pin_by_cid(CID, &PinByCidOptions::default()).unwrap();
    let mut seen = Vec::new();
    let failed = c
        .v3_pin_wait(&f.id, None, &fast(), |s| {
            if seen.is_empty() {
                advance(&emu, &f.id, Some(r#"{"status":"over_max_size"}"#));
            }
            seen.push(s.to_string());
            false
        })
        .unwrap();
    assert_eq!(seen, ["prechecking", "over_max_size"]);
    assert_eq!(failed.status, "over_max_size");
    assert_eq!(failed.cid, CID);
}

#[test]
fn budget_stop_cancelled_and_bad_arguments() {
    let emu = Emulator::start();
    let c = emu.client();
    let r = c.v3_pin_by_cid(CID, &PinByCidOptions::default()).unwrap();
    let mut short = fast();
    short.budget = Duration::from_millis(100);
    let e = c
        .v3_pin_wait(&r.id, Some(CID), &short, |_| false)
        .unwrap_err();
    assert_eq!(e.status(), Status::Timeout);
    let e = c
        .v3_pin_wait(&r.id, Some(CID), &fast(), |_| true)
        .unwrap_err();
    assert_eq!(e.status(), Status::Cancelled);
    c.v3_pin_cancel(&r.id).unwrap();
    for cid in [Some(CID), None] {
        let e = c.v3_pin_wait(&r.id, cid, &fast(), |_| false).unwrap_err();
        assert_eq!(e.status(), Status::NotFound, "{}", e.message());
    }
    emu.assert_nothing_sent(&c, || {
        for (id, cid) in [("", None), ("a\r\nb", None), ("x", Some("not-a-cid"))] {
            let e = c.v3_pin_wait(id, cid, &fast(), |_| false).unwrap_err();
            assert_eq!(e.status(), Status::InvalidArgument);
        }
        let mut zero = fast();
        zero.budget = Duration::ZERO;
        let e = c.v3_pin_wait("x", None, &zero, |_| false).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument);
    });
}
