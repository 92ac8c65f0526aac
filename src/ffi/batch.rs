//! BATCH UPLOADS
//!
//! Many files at once: a pinata_pin_batch holds a list of files (added one by one or
//! every file of a folder), runs them as separate uploads on one client with a bounded
//! number of transfers in flight (as legacy pins with pinata_pin_batch_run, as v3 files
//! with pinata_pin_batch_run_v3), and keeps one outcome per file (a result or an error,
//! borrowed from the batch). One failure does not stop the others unless asked; overall
//! progress and a cancel flag apply to the whole batch. The batch holds its own
//! reference to the client.

use crate::batch::{files_in_dir, BatchOptions, BatchProgress, BatchSink, BatchSummary};
use crate::error::{Error, Result, Status};
use crate::ffi::client::{pinata_cancel, pinata_client};
use crate::ffi::error::pinata_error;
use crate::ffi::legacy::pinning::{pinata_pin_options, pinata_pin_result};
use crate::ffi::v3::upload::{pinata_upload_options, pinata_upload_result};
use crate::ffi::{
    arg_mut, arg_ref, arg_str, borrowed, check_out, free_handle, guard, guard_value, guard_void,
    into_handle, pinata_status, read, write_out,
};
use crate::legacy::pinning::{PinOptions, PinResult};
use crate::v3::tus::{ChosenUpload, UploadChoice};
use crate::v3::upload::UploadOptions;
use crate::Client;
use std::ffi::{c_char, c_void, CString};
use std::path::PathBuf;

/// Batch progress callback: `files_done` of `files_total` files finished, `bytes_sent`
/// of `bytes_total` file bytes sent. Return 0 to continue, non-zero to cancel the batch
/// (transfers in flight stop; `pinata_pin_batch_run` returns `PINATA_E_CANCELLED`).
/// Runs on the thread that called `pinata_pin_batch_run`, after every file and at
/// least every 100 ms; it must not call into libpinata with the same batch, throw, or
/// longjmp.
pub type pinata_pin_batch_progress_fn = Option<
    unsafe extern "C" fn(
        files_done: usize,
        files_total: usize,
        bytes_sent: u64,
        bytes_total: u64,
        userdata: *mut c_void,
    ) -> i32,
>;

#[derive(Clone, Copy)]
struct BatchProgressCallback {
    func: unsafe extern "C" fn(usize, usize, u64, u64, *mut c_void) -> i32,
    userdata: *mut c_void,
}

/// What a file of a batch became: a legacy pin or a v3 file.
enum Uploaded {
    Pin(pinata_pin_result),
    // Boxed: a v3 result is more than twice a pin's size.
    File(Box<pinata_upload_result>),
}

/// One file of a batch and, after a run, its outcome.
struct Item {
    path: PathBuf,
    c_path: CString,
    outcome: Option<std::result::Result<Uploaded, pinata_error>>,
}

/// A batch of files uploaded one pin or v3 file per file on one client. One thread at
/// a time; the client it was made from may be freed first (the batch holds its own
/// reference). Results and errors read from it are borrowed until the next run or
/// `pinata_pin_batch_free`.
pub struct pinata_pin_batch {
    client: Client,
    items: Vec<Item>,
    options: BatchOptions,
    progress: Option<BatchProgressCallback>,
    failed: usize,
}

/// Creates an empty batch on `client`: 8 transfers in flight, failures do not stop
/// the others, no progress callback, no cancel flag.
///
/// @param batch_out  on success, a new batch; free it with pinata_pin_batch_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_new(
    client: *const pinata_client,
    batch_out: *mut *mut pinata_pin_batch,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        check_out(batch_out, "batch_out")?;
        write_out(
            batch_out,
            into_handle(pinata_pin_batch {
                client: client.inner.clone(),
                items: Vec::new(),
                options: BatchOptions::default(),
                progress: None,
                failed: 0,
            }),
        );
        Ok(())
    })
}

/// Frees a batch and every result and error it holds. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_free(batch: *mut pinata_pin_batch) {
    guard_void(|| free_handle(batch))
}

fn push(batch: &mut pinata_pin_batch, path: PathBuf) -> Result<()> {
    let text = path
        .to_str()
        .ok_or_else(|| Error::invalid_argument(format!("{} is not valid UTF-8", path.display())))?;
    let c_path =
        CString::new(text).map_err(|_| Error::invalid_argument("`path` contains a NUL byte"))?;
    batch.items.push(Item {
        path,
        c_path,
        outcome: None,
    });
    Ok(())
}

/// Adds a file to the batch (checked when its turn comes: a missing or unreadable
/// file gets its own `PINATA_E_IO`, the others still go).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_add(
    batch: *mut pinata_pin_batch,
    path: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let batch = arg_mut(batch, "batch")?;
        let path = arg_str(path, "path")?;
        if path.is_empty() {
            return Err(Error::invalid_argument("`path` is empty"));
        }
        push(batch, PathBuf::from(path))
    })
}

/// Adds every regular file directly inside the folder `dir`, sorted by name (hidden
/// files included; subfolders and special files left out), as `pinata upload --each
/// DIR` does. `*added_out` (may be NULL) gets how many were added.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_add_dir(
    batch: *mut pinata_pin_batch,
    dir: *const c_char,
    added_out: *mut usize,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let batch = arg_mut(batch, "batch")?;
        let dir = arg_str(dir, "dir")?;
        let files = files_in_dir(std::path::Path::new(dir))?;
        let added = files.len();
        let before = batch.items.len();
        for f in files {
            if let Err(e) = push(batch, f) {
                batch.items.truncate(before);
                return Err(e);
            }
        }
        if !added_out.is_null() {
            write_out(added_out, added);
        }
        Ok(())
    })
}

/// How many transfers run at once (1–64; default 8).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_set_in_flight(
    batch: *mut pinata_pin_batch,
    in_flight: u32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let batch = arg_mut(batch, "batch")?;
        batch.options.set_in_flight(in_flight as usize)
    })
}

/// With `true`, the first failure starts no new file (those in flight finish; the
/// files never started get `PINATA_E_CANCELLED`). Default `false`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_set_stop_on_error(
    batch: *mut pinata_pin_batch,
    stop_on_error: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(batch, "batch")?.options.stop_on_error = stop_on_error;
        Ok(())
    })
}

/// Sets (or with NULL `progress`, clears) the batch progress callback.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_set_progress(
    batch: *mut pinata_pin_batch,
    progress: pinata_pin_batch_progress_fn,
    userdata: *mut c_void,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(batch, "batch")?.progress =
            progress.map(|func| BatchProgressCallback { func, userdata });
        Ok(())
    })
}

/// Sets (or with NULL, clears) the cancel flag of the batch: raising it from any
/// thread stops the transfers in flight and starts no new file. The flag must outlive
/// the runs that use it.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_set_cancel(
    batch: *mut pinata_pin_batch,
    cancel: *const pinata_cancel,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(batch, "batch")?.options.cancel = cancel.as_ref().map(|c| c.token.clone());
        Ok(())
    })
}

/// Stores each outcome in its item and calls the C progress callback.
struct Collector<'a> {
    items: &'a mut [Item],
    progress: Option<BatchProgressCallback>,
}

impl Collector<'_> {
    fn store<R>(&mut self, index: usize, outcome: Result<R>, wrap: impl FnOnce(R) -> Uploaded) {
        self.items[index].outcome = Some(outcome.map(wrap).map_err(pinata_error::new));
    }

    fn report(&mut self, p: &BatchProgress) -> bool {
        match self.progress {
            // SAFETY: the caller supplied a valid function and userdata; it runs on
            // the calling thread, during the call.
            Some(cb) => unsafe {
                (cb.func)(
                    p.files_done,
                    p.files_total,
                    p.bytes_sent,
                    p.bytes_total,
                    cb.userdata,
                ) == 0
            },
            None => true,
        }
    }
}

impl BatchSink<PinResult> for Collector<'_> {
    fn result(&mut self, index: usize, outcome: Result<PinResult>) {
        self.store(index, outcome, |r| Uploaded::Pin(pinata_pin_result::new(r)));
    }

    fn progress(&mut self, p: &BatchProgress) -> bool {
        self.report(p)
    }
}

impl BatchSink<ChosenUpload> for Collector<'_> {
    fn result(&mut self, index: usize, outcome: Result<ChosenUpload>) {
        self.store(index, outcome, |r| {
            Uploaded::File(Box::new(pinata_upload_result::new(r)))
        });
    }

    fn progress(&mut self, p: &BatchProgress) -> bool {
        self.report(p)
    }
}

/// Runs the batch through `run` (the core's pin or upload batch) after dropping the
/// previous outcomes, and turns its summary into the call's status.
fn run(
    batch: &mut pinata_pin_batch,
    done: &str,
    run: impl FnOnce(&Client, &[PathBuf], &BatchOptions, &mut Collector) -> Result<BatchSummary>,
) -> Result<()> {
    let paths: Vec<PathBuf> = batch.items.iter().map(|i| i.path.clone()).collect();
    for item in &mut batch.items {
        item.outcome = None;
    }
    batch.failed = 0;
    let mut sink = Collector {
        items: &mut batch.items,
        progress: batch.progress,
    };
    let summary = run(&batch.client, &paths, &batch.options, &mut sink)?;
    batch.failed = summary.failed + summary.not_started;
    if summary.cancelled {
        return Err(Error::new(
            Status::Cancelled,
            format!(
                "the batch was cancelled: {} of {} files {done}",
                summary.pinned,
                paths.len()
            ),
        ));
    }
    let first = batch.items.iter().find_map(|i| match &i.outcome {
        Some(Err(e)) => Some((i, e)),
        _ => None,
    });
    match first {
        None => Ok(()),
        Some((item, e)) => Err(Error::new(
            e.error().status(),
            format!(
                "{} of {} files failed; the first, {}: {}",
                summary.failed,
                paths.len(),
                item.path.display(),
                e.error().message()
            ),
        )),
    }
}

/// Pins every file of the batch, each as its own pin, with `options` (NULL for the
/// defaults; its name, if set, names every pin, otherwise each pin is named after its
/// file; its CID version and CID check apply to each file; its progress callback and
/// cancel flag are not used: the batch has its own). Previous outcomes are dropped.
///
/// Returns `PINATA_OK` when every file was pinned; `PINATA_E_CANCELLED` when the batch
/// was cancelled; otherwise the status of the first failed file in batch order, with a
/// message counting the failures. Either way each file's outcome is then readable with
/// `pinata_pin_batch_status`, `_result` and `_error`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_run(
    batch: *mut pinata_pin_batch,
    options: *const pinata_pin_options,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let batch = arg_mut(batch, "batch")?;
        let default_options;
        let pin = match options.as_ref() {
            Some(o) => o.pin_options(),
            None => {
                default_options = PinOptions::default();
                &default_options
            }
        };
        run(batch, "pinned", |client, paths, options, sink| {
            client.pin_batch(paths, pin, options, sink)
        })
    })
}

/// Uploads every file of the batch to the v3 Files API, each as its own file, with
/// `options` (NULL for the defaults; as pinata_upload_file uses them: a name, if set,
/// names every file, otherwise each is named after its file; network, group,
/// keyvalues, CID version and check apply to each; a file above the resumable
/// threshold goes through TUS with its journal, so running the batch again after a
/// crash resumes it; the options' progress callback and cancel flag are not used: the
/// batch has its own). Previous outcomes are dropped.
///
/// Returns as pinata_pin_batch_run does; each uploaded file's result is then readable
/// with `pinata_pin_batch_upload_result`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_run_v3(
    batch: *mut pinata_pin_batch,
    options: *const pinata_upload_options,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let batch = arg_mut(batch, "batch")?;
        let (default_options, default_choice);
        let (upload, choice) = match options.as_ref() {
            Some(o) => (&o.inner, &o.choice),
            None => {
                default_options = UploadOptions::default();
                default_choice = UploadChoice::default();
                (&default_options, &default_choice)
            }
        };
        run(batch, "uploaded", |client, paths, options, sink| {
            client.upload_batch(paths, upload, choice, options, sink)
        })
    })
}

/// Number of files in the batch; 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_len(batch: *const pinata_pin_batch) -> usize {
    read(batch, 0, |b| b.items.len())
}

/// Files of the last run that were not pinned (failed or never started); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_failed(batch: *const pinata_pin_batch) -> usize {
    read(batch, 0, |b| b.failed)
}

/// The path of file `index` as added. Valid until `pinata_pin_batch_free`; NULL for
/// NULL or an index out of range.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_path(
    batch: *const pinata_pin_batch,
    index: usize,
) -> *const c_char {
    borrowed(batch, |b| {
        b.items
            .get(index)
            .map_or(std::ptr::null(), |i| i.c_path.as_ptr())
    })
}

/// The outcome of file `index` in the last run: `PINATA_OK` when it was uploaded, its
/// error's status otherwise (`PINATA_E_CANCELLED` for a file never started, or before
/// any run). `PINATA_E_INVALID_ARGUMENT` for NULL or an index out of range.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_status(
    batch: *const pinata_pin_batch,
    index: usize,
) -> pinata_status {
    let invalid = Status::InvalidArgument as pinata_status;
    guard_value(invalid, || {
        let Some(item) = batch.as_ref().and_then(|b| b.items.get(index)) else {
            return invalid;
        };
        match &item.outcome {
            Some(Ok(_)) => Status::Ok as pinata_status,
            Some(Err(e)) => e.error().status() as pinata_status,
            None => Status::Cancelled as pinata_status,
        }
    })
}

/// File `index`'s outcome in the last run; `None` for NULL, an index out of range, or a
/// file without one yet.
///
/// # Safety
/// `batch` is NULL or a live batch, not written to while the outcome is borrowed.
unsafe fn outcome<'a>(
    batch: *const pinata_pin_batch,
    index: usize,
) -> Option<&'a std::result::Result<Uploaded, pinata_error>> {
    // SAFETY: the caller's contract.
    unsafe { batch.as_ref() }
        .and_then(|b| b.items.get(index))
        .and_then(|i| i.outcome.as_ref())
}

/// The result of file `index` when it was pinned in the last run (pinata_pin_batch_run),
/// else NULL. Borrowed: read it with the `pinata_pin_result_*` functions, never free
/// it; valid until the next run or `pinata_pin_batch_free`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_result(
    batch: *const pinata_pin_batch,
    index: usize,
) -> *const pinata_pin_result {
    guard_value(std::ptr::null(), || match outcome(batch, index) {
        Some(Ok(Uploaded::Pin(r))) => r as *const pinata_pin_result,
        _ => std::ptr::null(),
    })
}

/// The result of file `index` when it was uploaded in the last run
/// (pinata_pin_batch_run_v3), else NULL. Borrowed: read it with the
/// `pinata_upload_result_*` functions, never free it; valid until the next run or
/// `pinata_pin_batch_free`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_upload_result(
    batch: *const pinata_pin_batch,
    index: usize,
) -> *const pinata_upload_result {
    guard_value(std::ptr::null(), || match outcome(batch, index) {
        Some(Ok(Uploaded::File(r))) => &**r as *const pinata_upload_result,
        _ => std::ptr::null(),
    })
}

/// The error of file `index` when it failed (or was never started) in the last run,
/// else NULL. Borrowed: read it with the `pinata_error_*` functions, never free it;
/// valid until the next run or `pinata_pin_batch_free`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_batch_error(
    batch: *const pinata_pin_batch,
    index: usize,
) -> *const pinata_error {
    guard_value(std::ptr::null(), || match outcome(batch, index) {
        Some(Err(e)) => e as *const pinata_error,
        _ => std::ptr::null(),
    })
}
