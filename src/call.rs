//! Calls their caller drives without blocking.
//!
//! A blocking call holds its thread until the answer is in. A Go goroutine in such a
//! call holds its scheduler's processor too, and under `GOMAXPROCS=1` every other
//! goroutine waits for the runtime to notice and hand the processor on
//! (`bench/NOTES.md`, issue 17 §2). A [`Call`] never blocks: it is started by a
//! `start_*` method of [`Client`], moved along by [`Call::step`], and waited for in
//! the caller's own event loop on [`Call::fd`] (Go's netpoller), as Go's own network
//! code waits. Its outcome is the one the blocking method gives: the same request,
//! retries, timeouts, cancellation and answer checks.
//!
//! Only calls with small bodies come in this form (no progress callback applies):
//! [`Client::start_test_authentication`] and [`Client::start_pin_json`].

use crate::client::Client;
use crate::error::{Error, Result};
use crate::legacy::pinning::{PinOptions, PinResult};
use crate::transport::{Hooks, Landing, Request, Response, Stepper, Transfer};
use std::time::{Duration, Instant};

/// What [`Call::step`] leaves the caller to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The outcome is in: take it with [`Call::take`].
    Done,
    /// Step again once [`Call::fd`] is readable or this long has passed (`None`: no
    /// limit; zero: at once).
    Wait(Option<Duration>),
}

/// How far [`Call::advance`] moves the transfer.
#[derive(Clone, Copy)]
enum Move {
    /// Launch, and run libcurl's due timer only (the start: no answer to look for yet).
    Kick,
    /// Everything ready: the sockets and the timer (a step).
    Step,
}

/// Reads a call's answer into its result.
type Settle<T> = Box<dyn FnOnce(&Client, Response) -> Result<T> + Send>;

/// A call in progress that its caller drives (see the module documentation).
pub struct Call<T> {
    client: Client,
    /// Taken back into the client's pool on drop.
    stepper: Option<Stepper>,
    transfer: Transfer,
    /// When the next attempt is due, after a failure worth retrying.
    retry_at: Option<Instant>,
    settle: Option<Settle<T>>,
    done: bool,
    outcome: Option<Result<T>>,
}

impl Client {
    /// [`Client::test_authentication`] as a [`Call`].
    pub fn start_test_authentication(&self) -> Result<Call<String>> {
        Call::start(self, Self::test_auth_request(), |c, resp| {
            c.settle_test_auth(resp)
        })
    }

    /// [`Client::pin_json`] as a [`Call`]. Arguments are checked now, as the blocking
    /// call checks them before sending.
    pub fn start_pin_json(&self, json_text: &str, options: &PinOptions) -> Result<Call<PinResult>> {
        let (req, check) = self.pin_json_request(json_text, options)?;
        Call::start(self, req, move |c, resp| c.settle_pin_json(resp, check))
    }
}

impl<T> Call<T> {
    /// Launches the request and sends what it can without waiting. Its answer is for
    /// the steps: the caller steps once [`Call::fd`] is readable.
    fn start(
        client: &Client,
        req: Request,
        settle: impl FnOnce(&Client, Response) -> Result<T> + Send + 'static,
    ) -> Result<Call<T>> {
        let stepper = client.checkout_stepper()?;
        let mut call = Call {
            client: client.clone(),
            stepper: Some(stepper),
            transfer: client.transfer(req, Hooks::default()),
            retry_at: Some(Instant::now()),
            settle: Some(Box::new(settle)),
            done: false,
            outcome: None,
        };
        if let Err(e) = call.advance(Move::Kick) {
            call.finish(Err(e));
        }
        Ok(call)
    }

    /// The descriptor to wait on for readability before the next [`Call::step`]: the
    /// same for many calls of one client, open as long as the client (see
    /// `crate::transport::Stepper`); -1 where the platform has none, and then `step`
    /// waits briefly itself, and -1 once the call is done (its descriptor serves the
    /// client's next call).
    pub fn fd(&self) -> i32 {
        self.stepper.as_ref().map_or(-1, Stepper::fd)
    }

    /// Moves the call along without blocking.
    pub fn step(&mut self) -> Step {
        if !self.done {
            if let Err(e) = self.advance(Move::Step) {
                self.finish(Err(e));
            }
        }
        if self.done {
            return Step::Done;
        }
        match self.retry_at {
            Some(at) => Step::Wait(Some(at.saturating_duration_since(Instant::now()))),
            None => Step::Wait(self.stepper.as_ref().and_then(Stepper::wait_hint)),
        }
    }

    /// The outcome, once [`Call::step`] has said [`Step::Done`]; `None` before, and
    /// after it was taken.
    pub fn take(&mut self) -> Option<Result<T>> {
        self.outcome.take()
    }

    /// Whether the outcome is in (taken or not).
    pub fn is_done(&self) -> bool {
        self.done
    }

    fn advance(&mut self, how: Move) -> Result<()> {
        let Call {
            client,
            stepper,
            transfer,
            retry_at,
            ..
        } = self;
        let stepper = stepper.as_ref().expect("a running call holds its stepper");
        if transfer.cancelled() {
            if transfer.launched() {
                return Err(client.abandon(stepper.driver(), transfer));
            }
            return Err(Error::cancelled());
        }
        if let Some(at) = *retry_at {
            if Instant::now() < at {
                return Ok(());
            }
            *retry_at = None;
            client.launch(stepper.driver(), transfer, 0)?;
        }
        let finished = match how {
            Move::Kick => stepper.kick()?,
            Move::Step => stepper.advance()?,
        };
        for finished in finished {
            match client.land(stepper.driver(), transfer, finished) {
                Landing::Done(answer) => {
                    let settle = self.settle.take().expect("a call lands once");
                    let outcome = answer.and_then(|resp| settle(&self.client, resp));
                    self.finish(outcome);
                    return Ok(());
                }
                Landing::Retry(delay) => *retry_at = Some(Instant::now() + delay),
            }
        }
        Ok(())
    }

    /// Records the outcome and gives the stepper back to the client's pool at once, so
    /// a finished call its caller has not freed yet holds no descriptor or connection.
    fn finish(&mut self, outcome: Result<T>) {
        self.done = true;
        self.outcome = Some(outcome);
        self.release_stepper();
    }

    fn release_stepper(&mut self) {
        if let Some(stepper) = self.stepper.take() {
            if self.transfer.launched() {
                self.client.abandon(stepper.driver(), &mut self.transfer);
            }
            self.client.checkin_stepper(stepper);
        }
    }
}

impl<T> Drop for Call<T> {
    /// A call dropped before its end is abandoned (its connection closed); its stepper
    /// goes back to the client's pool.
    fn drop(&mut self) {
        self.release_stepper();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::Stepper;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// A server on 127.0.0.1 that answers `answers` requests, one per connection read,
    /// with `testAuthentication`'s message, holding the first answer `hold`.
    fn serve(answers: usize, hold: Duration) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let body =
                r#"{"message":"Congratulations! You are communicating with the Pinata API!"}"#;
            let (mut conn, _) = listener.accept().unwrap();
            for i in 0..answers {
                let mut request = Vec::new();
                let mut byte = [0u8; 1];
                while !request.ends_with(b"\r\n\r\n") {
                    if conn.read(&mut byte).unwrap() == 0 {
                        return;
                    }
                    request.push(byte[0]);
                }
                if i == 0 {
                    std::thread::sleep(hold);
                }
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                conn.write_all(answer.as_bytes()).unwrap();
            }
        });
        url
    }

    /// Where there is no poll set (off Linux, or a sandbox that refuses epoll), the
    /// descriptor is -1 and a step waits briefly itself: a plain loop of steps ends the
    /// call, with the blocking call's outcome, and the next call reuses the stepper.
    #[test]
    fn steps_without_a_poll_set() {
        let mut client = Client::with_jwt("a.b.c").unwrap();
        client
            .set_base_url(&serve(2, Duration::from_millis(200)))
            .unwrap();
        client.checkin_stepper(Stepper::without_poll_set().unwrap());
        let mut call = client.start_test_authentication().unwrap();
        assert_eq!(call.fd(), -1);
        loop {
            match call.step() {
                Step::Done => break,
                // No descriptor to wait on: the caller steps again at once.
                Step::Wait(hint) => assert_eq!(hint, Some(Duration::ZERO)),
            }
        }
        let message = call.take().unwrap().unwrap();
        assert!(message.starts_with("Congratulations"), "{message}");
        drop(call);
        // The same (poll-less) stepper serves the next call, on the kept connection.
        let mut next = client.start_test_authentication().unwrap();
        assert_eq!(next.fd(), -1);
        while next.step() != Step::Done {}
        assert!(next.take().unwrap().is_ok());
    }
}
