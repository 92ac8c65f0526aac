//! Many files at once (issue 17 §4): a batch of separate uploads on one client, a
//! bounded number in flight, a result or an error per file (one failure does not stop
//! the others unless asked), overall progress and cancellation; to the legacy pinning
//! endpoint ([`Client::pin_batch`]) or to the v3 Files API ([`Client::upload_batch`]).
//!
//! Legacy pins run on one curl multi handle on the calling thread: the client's pooled
//! handles join it, a kept-alive connection serves file after file, and no thread
//! hands off to another per file (a thread per transfer cost a third of the rate of
//! small files on a busy core). v3 uploads, whose TUS path is a sequence of calls per
//! file, run each on a worker thread instead; the caller's thread hands out indexes
//! and receives every result and progress report, so callbacks never run on a worker.
//! Either way memory is constant per file in flight: files are streamed from disk,
//! small ones are hashed as they go out, and a result is handed to the caller as soon
//! as its file is done.

use crate::client::Client;
use crate::error::{Error, Result, Status};
use crate::legacy::pinning::{PinCheck, PinOptions, PinResult};
use crate::transport::{CancelToken, Driver, Hooks, Landing, Transfer};
use crate::v3::tus::{ChosenUpload, UploadChoice};
use crate::v3::upload::UploadOptions;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// Most transfers a batch may keep in flight.
pub const MAX_IN_FLIGHT: usize = 64;
/// Transfers in flight unless set otherwise.
pub const DEFAULT_IN_FLIGHT: usize = 8;
/// How often progress is reported while no file finishes.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// How a batch runs.
#[derive(Clone, Debug)]
pub struct BatchOptions {
    /// Transfers in flight at once (1–[`MAX_IN_FLIGHT`], default 8).
    pub in_flight: usize,
    /// After the first failure, start no new file (those in flight finish).
    pub stop_on_error: bool,
    /// Raising it stops the transfers in flight and starts no new file.
    pub cancel: Option<CancelToken>,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            in_flight: DEFAULT_IN_FLIGHT,
            stop_on_error: false,
            cancel: None,
        }
    }
}

impl BatchOptions {
    /// Sets the number of transfers in flight (1–[`MAX_IN_FLIGHT`]).
    pub fn set_in_flight(&mut self, in_flight: usize) -> Result<()> {
        check_in_flight(in_flight)?;
        self.in_flight = in_flight;
        Ok(())
    }
}

fn check_in_flight(in_flight: usize) -> Result<()> {
    if !(1..=MAX_IN_FLIGHT).contains(&in_flight) {
        return Err(Error::invalid_argument(format!(
            "`in_flight` must be between 1 and {MAX_IN_FLIGHT}"
        )));
    }
    Ok(())
}

/// Where a batch stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchProgress {
    /// Files finished (pinned or failed).
    pub files_done: usize,
    /// Files in the batch.
    pub files_total: usize,
    /// File bytes sent: whole files finished plus what has gone out of those in flight.
    pub bytes_sent: u64,
    /// Size of all the files (as found when the batch started).
    pub bytes_total: u64,
}

/// What a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Files pinned.
    pub pinned: usize,
    /// Files that failed (not counting those never started).
    pub failed: usize,
    /// Files never started (after a cancel, or a failure with `stop_on_error`).
    pub not_started: usize,
    /// Whether the batch was cancelled (flag or progress callback).
    pub cancelled: bool,
}

/// Receives a batch's results and progress, on the thread that called
/// [`Client::pin_batch`] (results `R` = [`PinResult`]) or [`Client::upload_batch`]
/// ([`ChosenUpload`]).
pub trait BatchSink<R> {
    /// The outcome of file `index` (as soon as it is known; in completion order).
    /// Files never started get a `Status::Cancelled` error.
    fn result(&mut self, index: usize, outcome: Result<R>);
    /// Overall progress, after every file and at least every 100 ms; `false` cancels
    /// the batch.
    fn progress(&mut self, _progress: &BatchProgress) -> bool {
        true
    }
}

/// The regular files directly inside `dir`, sorted by name (hidden ones included;
/// subdirectories, symlinks to directories and special files are left out): what
/// `upload --each DIR` sends.
pub fn files_in_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, &e))? {
        let entry = entry.map_err(|e| Error::io(dir, &e))?;
        let path = entry.path();
        // Follows symlinks, so a link to a regular file is sent as that file.
        if std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// A batch's bookkeeping on the calling thread, whichever way its files travel: each
/// outcome to the sink, progress, the summary, the files never started, and the two
/// flags the transfers obey.
struct Ledger<'a, R> {
    sink: &'a mut dyn BatchSink<R>,
    sizes: Vec<u64>,
    progress: BatchProgress,
    summary: BatchSummary,
    finished_bytes: u64,
    reported: Vec<bool>,
    stop_on_error: bool,
    user_cancel: Option<CancelToken>,
    /// Raised to start no new file: a failure with stop-on-error, or a cancel.
    stop: CancelToken,
    /// Raised to stop the transfers in flight too: a cancel.
    abort: CancelToken,
}

impl<'a, R> Ledger<'a, R> {
    fn new(paths: &[PathBuf], batch: &BatchOptions, sink: &'a mut dyn BatchSink<R>) -> Self {
        let sizes: Vec<u64> = paths
            .iter()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .collect();
        Ledger {
            sink,
            progress: BatchProgress {
                files_total: paths.len(),
                bytes_total: sizes.iter().sum(),
                ..Default::default()
            },
            sizes,
            summary: BatchSummary::default(),
            finished_bytes: 0,
            reported: vec![false; paths.len()],
            stop_on_error: batch.stop_on_error,
            user_cancel: batch.cancel.clone(),
            stop: CancelToken::new(),
            abort: CancelToken::new(),
        }
    }

    /// Hands file `index`'s outcome to the sink; a failure with stop-on-error raises
    /// `stop`.
    fn record(&mut self, index: usize, outcome: Result<R>) {
        self.reported[index] = true;
        self.progress.files_done += 1;
        self.finished_bytes += self.sizes[index];
        if outcome.is_ok() {
            self.summary.pinned += 1;
        } else {
            self.summary.failed += 1;
            if self.stop_on_error {
                self.stop.cancel();
            }
        }
        self.sink.result(index, outcome);
    }

    /// Reports progress, `moving` being the bytes sent of the files in flight; the
    /// callback's `false` cancels the batch.
    fn report(&mut self, moving: u64) {
        // Never backwards (a finished file may leave its slot before its outcome
        // arrives; a retry starts its body over).
        self.progress.bytes_sent = (self.finished_bytes + moving)
            .min(self.progress.bytes_total)
            .max(self.progress.bytes_sent);
        let go_on = self.sink.progress(&self.progress);
        self.cancel_if(!go_on);
    }

    /// [`Ledger::record`] then [`Ledger::report`]: what follows every file's end.
    fn done(&mut self, index: usize, outcome: Result<R>, moving: u64) {
        self.record(index, outcome);
        self.report(moving);
    }

    /// Cancels the batch when `asked` or when the caller's flag is raised: raises
    /// `abort` and `stop`.
    fn cancel_if(&mut self, asked: bool) {
        let flagged = self.user_cancel.as_ref().is_some_and(|t| t.is_cancelled());
        if (asked || flagged) && !self.summary.cancelled {
            self.summary.cancelled = true;
            self.abort.cancel();
            self.stop.cancel();
        }
    }

    /// The summary, after giving each file never started its `Status::Cancelled`.
    fn close(mut self) -> BatchSummary {
        let why = if self.summary.cancelled {
            "not started: the batch was cancelled"
        } else {
            "not started: an earlier file failed and the batch stops on errors"
        };
        for index in 0..self.reported.len() {
            if !self.reported[index] {
                self.summary.not_started += 1;
                self.sink
                    .result(index, Err(Error::new(Status::Cancelled, why)));
            }
        }
        self.summary
    }
}

/// The hooks of one file's transfer: its sent bytes go to `sent` (file bytes only: the
/// body also carries part headers and metadata), and either token stops it.
fn file_hooks(
    sent: &Arc<AtomicU64>,
    size: u64,
    abort: &CancelToken,
    user: &Option<CancelToken>,
) -> Hooks {
    sent.store(0, Ordering::Relaxed);
    let sent = Arc::clone(sent);
    Hooks {
        progress: Some(Box::new(move |bytes: u64, _total: u64| {
            sent.store(bytes.min(size), Ordering::Relaxed);
            true
        })),
        cancel: std::iter::once(abort.clone())
            .chain(user.iter().cloned())
            .collect(),
    }
}

/// A legacy pin in flight on the batch's multi handle.
struct Flight {
    index: usize,
    transfer: Transfer,
    check: PinCheck,
    sent: Arc<AtomicU64>,
    /// When a retry is due; `None` while the transfer is on the multi handle.
    retry_at: Option<Instant>,
}

/// [`Client::pin_batch`]: at most `batch.in_flight` pins on one [`Driver`], driven
/// from the calling thread. Flight `i` is launched with token `i`.
fn pin_on_multi(
    client: &Client,
    paths: &[PathBuf],
    pin: &PinOptions,
    batch: &BatchOptions,
    sink: &mut dyn BatchSink<PinResult>,
) -> Result<BatchSummary> {
    let mut ledger = Ledger::new(paths, batch, sink);
    let driver = Driver::new();
    let mut flights: Vec<Option<Flight>> = (0..batch.in_flight.min(paths.len()))
        .map(|_| None)
        .collect();
    let sent: Vec<Arc<AtomicU64>> = flights.iter().map(|_| Arc::default()).collect();
    let moving = |flights: &[Option<Flight>]| -> u64 {
        flights
            .iter()
            .flatten()
            .map(|f| f.sent.load(Ordering::Relaxed))
            .sum()
    };
    let mut next = 0;
    let mut last_report = Instant::now();
    loop {
        ledger.cancel_if(false);
        // Fill the free flights; a file that cannot start has its outcome at once.
        for token in 0..flights.len() {
            while flights[token].is_none() && !ledger.stop.is_cancelled() && next < paths.len() {
                let index = next;
                next += 1;
                let hooks = file_hooks(
                    &sent[token],
                    ledger.sizes[index],
                    &ledger.abort,
                    &batch.cancel,
                );
                match start_pin(client, &driver, &paths[index], pin, hooks, token) {
                    Ok((transfer, check)) => {
                        flights[token] = Some(Flight {
                            index,
                            transfer,
                            check,
                            sent: Arc::clone(&sent[token]),
                            retry_at: None,
                        })
                    }
                    Err(e) => ledger.done(index, Err(e), moving(&flights)),
                }
            }
        }
        if ledger.abort.is_cancelled() {
            // End the transfers at once, not at their next progress callback.
            for token in 0..flights.len() {
                if let Some(mut f) = flights[token].take() {
                    let e = client.abandon(&driver, &mut f.transfer);
                    ledger.done(f.index, Err(e), moving(&flights));
                }
            }
        }
        if flights.iter().all(Option::is_none) {
            break;
        }
        // Retries whose wait is over go back on the driver.
        let now = Instant::now();
        for token in 0..flights.len() {
            let due = flights[token]
                .as_ref()
                .and_then(|f| f.retry_at)
                .is_some_and(|at| at <= now);
            if !due {
                continue;
            }
            let mut f = flights[token].take().expect("a due flight");
            f.retry_at = None;
            match client.launch(&driver, &mut f.transfer, token) {
                Ok(()) => flights[token] = Some(f),
                Err(e) => ledger.done(f.index, Err(e), moving(&flights)),
            }
        }
        let (running, finished) = driver.perform()?;
        let landed = !finished.is_empty();
        for done in finished {
            let token = done.token;
            let Some(mut f) = flights.get_mut(token).and_then(Option::take) else {
                continue;
            };
            let outcome = match client.land(&driver, &mut f.transfer, done) {
                Landing::Done(Ok(resp)) => client.settle_pin(resp, f.check),
                Landing::Done(Err(e)) => Err(e),
                Landing::Retry(delay) => {
                    f.retry_at = Some(Instant::now() + delay);
                    flights[token] = Some(f);
                    continue;
                }
            };
            f.sent.store(0, Ordering::Relaxed);
            ledger.done(f.index, outcome, moving(&flights));
        }
        if landed {
            // Freed flights take their next files at once, before any wait.
            last_report = Instant::now();
            continue;
        }
        if last_report.elapsed() >= PROGRESS_INTERVAL {
            last_report = Instant::now();
            ledger.report(moving(&flights));
        }
        // Sleep until a socket is ready, the next retry is due or the next report.
        let mut wait = PROGRESS_INTERVAL.saturating_sub(last_report.elapsed());
        for at in flights.iter().flatten().filter_map(|f| f.retry_at) {
            wait = wait.min(at.saturating_duration_since(Instant::now()));
        }
        if running > 0 {
            driver.wait(wait)?;
        } else {
            // Nothing on the driver: every flight left waits for its retry.
            std::thread::sleep(wait);
        }
    }
    Ok(ledger.close())
}

/// Builds the pin of `path` (a regular file) and starts it on `driver` as `token`.
fn start_pin(
    client: &Client,
    driver: &Driver,
    path: &Path,
    pin: &PinOptions,
    hooks: Hooks,
    token: usize,
) -> Result<(Transfer, PinCheck)> {
    let (req, check) = client.pin_file_request(path, pin, false)?;
    let mut transfer = client.transfer(req, hooks);
    client.launch(driver, &mut transfer, token)?;
    Ok((transfer, check))
}

/// Uploads one file of a batch; runs on a worker thread.
type UploadOne<'a, R> = dyn Fn(&Path, &mut Hooks) -> Result<R> + Sync + 'a;

/// One worker's view of a threaded batch.
struct Shared<'a, R> {
    paths: &'a [PathBuf],
    sizes: &'a [u64],
    upload_one: &'a UploadOne<'a, R>,
    /// The ledger's flag that stops the transfers in flight (a cancel).
    abort: CancelToken,
    user_cancel: Option<CancelToken>,
}

impl Client {
    /// Pins every file of `paths` as its own pin (`pinFileToIPFS`, with `pin`'s options),
    /// with at most `batch.in_flight` transfers at once on this client's connections.
    /// Every file gets exactly one outcome through `sink` (in completion order), and
    /// progress reports come after every file and at least every 100 ms; both on the
    /// calling thread. A failing file does not stop the others unless
    /// `batch.stop_on_error` is set. Cancelling (the flag, or `sink.progress` returning
    /// `false`) stops the transfers in flight; files never started get
    /// `Status::Cancelled`. `Err` only for bad arguments, before anything is sent (or
    /// when libcurl's multi interface itself fails).
    pub fn pin_batch(
        &self,
        paths: &[PathBuf],
        pin: &PinOptions,
        batch: &BatchOptions,
        sink: &mut dyn BatchSink<PinResult>,
    ) -> Result<BatchSummary> {
        check_in_flight(batch.in_flight)?;
        pin.validate()?;
        pin_on_multi(self, paths, pin, batch, sink)
    }

    /// Uploads every file of `paths` as its own v3 file (`POST /v3/files`, with `upload`'s
    /// options), as [`Client::pin_batch`] pins them: the same bound, outcomes, progress,
    /// errors and cancellation. Each file takes the path `choice` picks, as
    /// [`Client::upload_file_chosen`] does: multipart, or TUS with a journal above the
    /// resumable threshold (so a batch run again after a crash resumes its large files).
    pub fn upload_batch(
        &self,
        paths: &[PathBuf],
        upload: &UploadOptions,
        choice: &UploadChoice,
        batch: &BatchOptions,
        sink: &mut dyn BatchSink<ChosenUpload>,
    ) -> Result<BatchSummary> {
        check_in_flight(batch.in_flight)?;
        upload.validate()?;
        let upload_one =
            |path: &Path, hooks: &mut Hooks| self.upload_file_chosen(path, upload, choice, hooks);
        run_threaded(paths, batch, sink, &upload_one)
    }
}

/// Runs `upload_one` on every path, each file on one of `batch.in_flight` worker
/// threads: the engine of [`Client::upload_batch`]. The calling thread hands out the
/// files one at a time and gives a worker its next file only after the last one's
/// outcome has been recorded and reported, so a progress callback that cancels (or a
/// failure with stop-on-error) starts no further file, as on the multi handle.
fn run_threaded<R: Send>(
    paths: &[PathBuf],
    batch: &BatchOptions,
    sink: &mut dyn BatchSink<R>,
    upload_one: &UploadOne<'_, R>,
) -> Result<BatchSummary> {
    let mut ledger = Ledger::new(paths, batch, sink);
    let sizes = ledger.sizes.clone();
    let shared = Shared {
        paths,
        sizes: &sizes,
        upload_one,
        abort: ledger.abort.clone(),
        user_cancel: batch.cancel.clone(),
    };
    let workers = batch.in_flight.min(paths.len());
    let in_flight: Vec<Arc<AtomicU64>> =
        (0..workers).map(|_| Arc::new(AtomicU64::new(0))).collect();
    let moving = || -> u64 { in_flight.iter().map(|s| s.load(Ordering::Relaxed)).sum() };
    let (work_tx, work_rx) = mpsc::channel::<usize>();
    let work_rx = Mutex::new(work_rx);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, Result<R>)>();
        let mut spawned = 0;
        for sent in &in_flight {
            let tx = tx.clone();
            let (shared, work_rx) = (&shared, &work_rx);
            let sent = Arc::clone(sent);
            let worker = std::thread::Builder::new()
                .name("libpinata-batch".into())
                .spawn_scoped(scope, move || shared.work(&sent, work_rx, &tx));
            // Fewer workers when the system refuses threads.
            if worker.is_err() {
                break;
            }
            spawned += 1;
        }
        drop(tx);
        let mut next = 0;
        if spawned == 0 {
            // No thread at all: one file at a time on this thread.
            while next < paths.len() && !ledger.stop.is_cancelled() {
                let outcome = shared.upload(next, &in_flight[0]);
                ledger.done(next, outcome, 0);
                next += 1;
                ledger.cancel_if(false);
            }
            return;
        }
        let mut busy = 0;
        loop {
            ledger.cancel_if(false);
            while busy < spawned && next < paths.len() && !ledger.stop.is_cancelled() {
                if work_tx.send(next).is_err() {
                    break;
                }
                next += 1;
                busy += 1;
            }
            if busy == 0 {
                break;
            }
            match rx.recv_timeout(PROGRESS_INTERVAL) {
                Ok((index, outcome)) => {
                    busy -= 1;
                    ledger.record(index, outcome);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            ledger.report(moving());
        }
        // Closing the queue sends the workers home.
        drop(work_tx);
    });
    Ok(ledger.close())
}

impl<R> Shared<'_, R> {
    /// A worker: uploads the files the calling thread hands out until the queue closes.
    fn work(
        &self,
        sent: &Arc<AtomicU64>,
        queue: &Mutex<mpsc::Receiver<usize>>,
        tx: &mpsc::Sender<(usize, Result<R>)>,
    ) {
        loop {
            let next = match queue.lock() {
                Ok(queue) => queue.recv(),
                Err(_) => return,
            };
            let Ok(index) = next else {
                return;
            };
            if tx.send((index, self.upload(index, sent))).is_err() {
                return;
            }
        }
    }

    /// Uploads file `index`, counting its bytes sent in `sent` while it moves.
    fn upload(&self, index: usize, sent: &Arc<AtomicU64>) -> Result<R> {
        let mut hooks = file_hooks(sent, self.sizes[index], &self.abort, &self.user_cancel);
        let outcome = (self.upload_one)(&self.paths[index], &mut hooks);
        sent.store(0, Ordering::Relaxed);
        outcome
    }
}
