//! Many files at once (issue 17 §4): a batch of separate uploads on one client, a
//! bounded number in flight, a result or an error per file (one failure does not stop
//! the others unless asked), overall progress and cancellation; to the legacy pinning
//! endpoint ([`Client::pin_batch`]) or to the v3 Files API ([`Client::upload_batch`]).
//!
//! Each transfer runs on its own worker thread through the client's handle pool (kept-
//! alive connections are reused from file to file); the caller's thread hands out
//! nothing but indexes, and receives every result and progress report, so callbacks
//! never run on a worker. Memory is constant per file in flight: files are streamed
//! from disk, small ones are hashed on their worker, and a result is handed to the
//! caller as soon as its file is done.

use crate::client::Client;
use crate::error::{Error, Result, Status};
use crate::legacy::pinning::{PinOptions, PinResult};
use crate::transport::{CancelToken, Hooks};
use crate::v3::tus::{ChosenUpload, UploadChoice};
use crate::v3::upload::UploadOptions;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

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

/// Uploads one file of a batch; runs on a worker thread.
type UploadOne<'a, R> = dyn Fn(&Path, &mut Hooks) -> Result<R> + Sync + 'a;

/// One worker's view of the batch.
struct Shared<'a, R> {
    paths: &'a [PathBuf],
    sizes: &'a [u64],
    upload_one: &'a UploadOne<'a, R>,
    next: AtomicUsize,
    /// Raised to start no new file, and to stop those in flight when cancelling.
    stop: CancelToken,
    /// Raised only to stop transfers in flight (cancel), not on `stop_on_error`.
    abort: CancelToken,
    stop_on_error: bool,
    user_cancel: Option<CancelToken>,
}

impl Client {
    /// Pins every file of `paths` as its own pin (`pinFileToIPFS`, with `pin`'s options),
    /// with at most `batch.in_flight` transfers at once on this client's connections.
    /// Every file gets exactly one outcome through `sink` (in completion order), and
    /// progress reports come at least every 100 ms; both on the calling thread. A failing
    /// file does not stop the others unless `batch.stop_on_error` is set. Cancelling (the
    /// flag, or `sink.progress` returning `false`) stops the transfers in flight; files
    /// never started get `Status::Cancelled`. `Err` only for bad arguments, before
    /// anything is sent.
    pub fn pin_batch(
        &self,
        paths: &[PathBuf],
        pin: &PinOptions,
        batch: &BatchOptions,
        sink: &mut dyn BatchSink<PinResult>,
    ) -> Result<BatchSummary> {
        pin.validate()?;
        let upload_one = |path: &Path, hooks: &mut Hooks| {
            let meta = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
            if !meta.is_file() {
                return Err(Error::new(
                    Status::Io,
                    format!("{}: not a regular file", path.display()),
                ));
            }
            self.pin_file(path, pin, hooks)
        };
        run_batch(paths, batch, sink, &upload_one)
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
        upload.validate()?;
        let upload_one =
            |path: &Path, hooks: &mut Hooks| self.upload_file_chosen(path, upload, choice, hooks);
        run_batch(paths, batch, sink, &upload_one)
    }
}

/// Runs `upload_one` on every path: the engine of [`Client::pin_batch`] and
/// [`Client::upload_batch`].
fn run_batch<R: Send>(
    paths: &[PathBuf],
    batch: &BatchOptions,
    sink: &mut dyn BatchSink<R>,
    upload_one: &UploadOne<'_, R>,
) -> Result<BatchSummary> {
    check_in_flight(batch.in_flight)?;
    let sizes: Vec<u64> = paths
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .collect();
    let mut progress = BatchProgress {
        files_total: paths.len(),
        bytes_total: sizes.iter().sum(),
        ..Default::default()
    };
    let shared = Shared {
        paths,
        sizes: &sizes,
        upload_one,
        next: AtomicUsize::new(0),
        stop: CancelToken::new(),
        abort: CancelToken::new(),
        stop_on_error: batch.stop_on_error,
        user_cancel: batch.cancel.clone(),
    };
    let workers = batch.in_flight.min(paths.len());
    let in_flight: Vec<Arc<AtomicU64>> =
        (0..workers).map(|_| Arc::new(AtomicU64::new(0))).collect();
    let mut summary = BatchSummary::default();
    let mut finished_bytes = 0u64;
    let mut started = vec![false; paths.len()];
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, Result<R>)>();
        let mut spawned = 0;
        for sent in &in_flight {
            let tx = tx.clone();
            let shared = &shared;
            let sent = Arc::clone(sent);
            let worker = std::thread::Builder::new()
                .name("libpinata-batch".into())
                .spawn_scoped(scope, move || shared.work(&sent, &tx));
            // Fewer workers when the system refuses threads.
            if worker.is_err() {
                break;
            }
            spawned += 1;
        }
        if spawned == 0 {
            // No thread at all: one file at a time on this thread (results queue up
            // and are reported below).
            if let Some(sent) = in_flight.first() {
                shared.work(sent, &tx);
            }
        }
        drop(tx);
        loop {
            let event = rx.recv_timeout(PROGRESS_INTERVAL);
            match event {
                Ok((index, outcome)) => {
                    started[index] = true;
                    progress.files_done += 1;
                    finished_bytes += sizes[index];
                    match &outcome {
                        Ok(_) => summary.pinned += 1,
                        Err(_) => {
                            summary.failed += 1;
                            if batch.stop_on_error {
                                shared.stop.cancel();
                            }
                        }
                    }
                    sink.result(index, outcome);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            let moving: u64 = in_flight.iter().map(|s| s.load(Ordering::Relaxed)).sum();
            // Never backwards (a finished file may leave its slot before its event
            // arrives; a retry starts its body over).
            progress.bytes_sent = (finished_bytes + moving)
                .min(progress.bytes_total)
                .max(progress.bytes_sent);
            let user_cancelled = shared
                .user_cancel
                .as_ref()
                .is_some_and(|t| t.is_cancelled());
            if (!sink.progress(&progress) || user_cancelled) && !summary.cancelled {
                summary.cancelled = true;
                shared.abort.cancel();
                shared.stop.cancel();
            }
        }
    });
    let why = if summary.cancelled {
        "not started: the batch was cancelled"
    } else {
        "not started: an earlier file failed and the batch stops on errors"
    };
    for (index, _) in started.iter().enumerate().filter(|(_, s)| !**s) {
        summary.not_started += 1;
        sink.result(index, Err(Error::new(Status::Cancelled, why)));
    }
    Ok(summary)
}

impl<R> Shared<'_, R> {
    /// A worker: takes the next file until none is left or the batch stops.
    fn work(&self, sent: &Arc<AtomicU64>, tx: &mpsc::Sender<(usize, Result<R>)>) {
        loop {
            if self.stop.is_cancelled() {
                return;
            }
            let index = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = self.paths.get(index) else {
                return;
            };
            sent.store(0, Ordering::Relaxed);
            let progress_slot = Arc::clone(sent);
            // The body also carries part headers and metadata: count file bytes only.
            let size = self.sizes[index];
            let mut hooks = Hooks {
                progress: Some(Box::new(move |bytes: u64, _total: u64| {
                    progress_slot.store(bytes.min(size), Ordering::Relaxed);
                    true
                })),
                cancel: std::iter::once(self.abort.clone())
                    .chain(self.user_cancel.iter().cloned())
                    .collect(),
            };
            let outcome = (self.upload_one)(path, &mut hooks);
            sent.store(0, Ordering::Relaxed);
            if outcome.is_err() && self.stop_on_error {
                // At once, so no other worker starts a file meanwhile.
                self.stop.cancel();
            }
            if tx.send((index, outcome)).is_err() {
                return;
            }
        }
    }
}
