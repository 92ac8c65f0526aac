// Batch uploads for the C++ wrapper (pinata_pin_batch_*): many files on one client, a
// bounded number in flight, as legacy pins or as v3 files, one outcome per file.
// Included by pinata.hpp.
#ifndef PINATA_BATCH_HPP
#define PINATA_BATCH_HPP

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// A v3 batch item is a v3::ChosenUpload and its options a v3::UploadOptions and a
// v3::UploadChoice (tus.hpp, which includes v3.hpp).
#include "tus.hpp"

namespace pinata {

/// Where a batch stands (`PinBatch::on_progress`).
struct BatchProgress {
    std::size_t files_done = 0;   ///< files finished (uploaded or failed)
    std::size_t files_total = 0;  ///< files in the batch
    uint64_t bytes_sent = 0;      ///< file bytes sent
    uint64_t bytes_total = 0;     ///< size of all the files
};

/// A pinned file of a batch, copied out of the batch.
struct BatchPin {
    std::string cid;                       ///< `IpfsHash`
    uint64_t size = 0;                     ///< `PinSize`
    std::string timestamp;                 ///< the service's timestamp
    bool is_duplicate = false;             ///< already pinned before
    std::optional<std::string> local_cid;  ///< empty when verification was off
    CidCheck cid_check = CidCheck::NotChecked;
    std::string raw_json;                  ///< the service's whole answer
};

/// One file's outcome: `pin` when it was pinned (`run`), `file` when it was uploaded as
/// a v3 file (`run_v3`), `error` otherwise.
struct BatchItem {
    std::string path;                      ///< the file's path as added
    std::optional<BatchPin> pin;           ///< the pin, after `run`
    std::optional<v3::ChosenUpload> file;  ///< the v3 file and its path, after `run_v3`
    std::optional<Error> error;            ///< why it failed or was never started
    /// True when the file was pinned or uploaded.
    bool ok() const noexcept { return pin.has_value() || file.has_value(); }
};

namespace detail {
using PinBatchPtr = Owned<pinata_pin_batch, &pinata_pin_batch_free>;

/// Copies an error the batch owns (it stays the batch's).
inline Error borrowed_error(const pinata_error *e) {
    const int64_t retry_after = pinata_error_retry_after(e);
    const pinata_status status = pinata_error_status(e);
    const char *message = pinata_error_message(e);
    return Error(static_cast<Status>(status), message != nullptr ? message : pinata_status_str(status),
                 pinata_error_http_status(e), opt_str(pinata_error_reason(e)),
                 opt_str(pinata_error_details(e)),
                 retry_after >= 0 ? std::optional<std::chrono::seconds>(retry_after) : std::nullopt);
}

/// The progress callback and an exception it threw (rethrown after the run).
struct BatchProgressState {
    std::function<bool(const BatchProgress &)> fn;
    std::exception_ptr thrown;

    static int32_t trampoline(std::size_t files_done, std::size_t files_total, uint64_t bytes_sent,
                              uint64_t bytes_total, void *userdata) noexcept {
        auto *s = static_cast<BatchProgressState *>(userdata);
        if (s->thrown) {
            return 1;
        }
        try {
            return s->fn(BatchProgress{files_done, files_total, bytes_sent, bytes_total}) ? 0 : 1;
        } catch (...) {
            s->thrown = std::current_exception();
            return 1;
        }
    }
};
}  // namespace detail

/// A batch of files, each pinned as its own pin (`pinFileToIPFS`, `run`) or uploaded as
/// its own v3 file (`run_v3`) on one client with several transfers in flight. One
/// thread at a time; holds its own reference to the client. Movable, not copyable.
class PinBatch {
public:
    /// A batch on `client`: 8 in flight, failures do not stop the others.
    explicit PinBatch(const Client &client) : PinBatch(try_create(client).value()) {}

    /// Non-throwing construction.
    static Result<PinBatch> try_create(const Client &client) {
        pinata_pin_batch *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_pin_batch_new(client.native_handle(), &raw, err);
        });
        detail::PinBatchPtr owned(raw);
        if (!status) {
            return status.error();
        }
        return Result<PinBatch>(PinBatch(std::move(owned)));
    }

    /// Adds a file (a missing one fails on its own when its turn comes).
    Result<void> try_add(std::string_view path) {
        detail::CStr p(path, "path");
        if (auto e = detail::nul_error(p)) {
            return *e;
        }
        return detail::call(
            [&](pinata_error **err) { return pinata_pin_batch_add(h_.get(), p.c_str(), err); });
    }
    /// Throwing form of `try_add`.
    PinBatch &add(std::string_view path) {
        try_add(path).value();
        return *this;
    }

    /// Adds every regular file directly inside `dir` (sorted; subfolders left out);
    /// returns how many.
    Result<std::size_t> try_add_dir(std::string_view dir) {
        detail::CStr d(dir, "dir");
        if (auto e = detail::nul_error(d)) {
            return *e;
        }
        std::size_t added = 0;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_pin_batch_add_dir(h_.get(), d.c_str(), &added, err);
        });
        if (!status) {
            return status.error();
        }
        return added;
    }
    /// Throwing form of `try_add_dir`.
    std::size_t add_dir(std::string_view dir) { return try_add_dir(dir).value(); }

    /// Transfers at once (1–64).
    PinBatch &set_in_flight(uint32_t in_flight) {
        detail::call([&](pinata_error **err) {
            return pinata_pin_batch_set_in_flight(h_.get(), in_flight, err);
        }).value();
        return *this;
    }
    /// After the first failure, start no new file.
    PinBatch &set_stop_on_error(bool stop) {
        detail::call([&](pinata_error **err) {
            return pinata_pin_batch_set_stop_on_error(h_.get(), stop, err);
        }).value();
        return *this;
    }
    /// Progress after every file and at least every 100 ms, on the thread running the
    /// batch; `false` (or an exception, rethrown by `run` or `run_v3`) cancels it.
    PinBatch &on_progress(std::function<bool(const BatchProgress &)> fn) {
        progress_->fn = std::move(fn);
        detail::call([&](pinata_error **err) {
            return pinata_pin_batch_set_progress(
                h_.get(), progress_->fn ? &detail::BatchProgressState::trampoline : nullptr,
                progress_.get(), err);
        }).value();
        return *this;
    }
    /// A cancel flag for the whole batch (it must outlive the runs).
    PinBatch &set_cancel(const CancelToken &token) {
        detail::call([&](pinata_error **err) {
            return pinata_pin_batch_set_cancel(h_.get(), token.native_handle(), err);
        }).value();
        return *this;
    }

    /// Pins every file. Success when every file was pinned; otherwise the batch's
    /// error (cancelled, or the first failure counting the failures). `items()` then
    /// says which files were pinned.
    Result<void> try_run(const PinOptions &options = PinOptions()) {
        return run_with([&](pinata_error **err) {
            return pinata_pin_batch_run(h_.get(), options.native_handle(), err);
        });
    }
    /// Throwing form of `try_run`.
    void run(const PinOptions &options = PinOptions()) { try_run(options).value(); }

    /// Uploads every file to the v3 Files API, each as its own file named after it
    /// (unless `options.name` names them all), as `v3::upload_file_choosing` would: TUS
    /// with a journal above `choice.threshold` (running the batch again resumes),
    /// multipart at or below it. `choice.progress` and `choice.cancel` are not used: the
    /// batch has its own (`on_progress`, `set_cancel`). Success and failure as `try_run`;
    /// `items()` then gives each uploaded file's `file`.
    Result<void> try_run_v3(const v3::UploadOptions &options = v3::UploadOptions(),
                            const v3::UploadChoice &choice = v3::UploadChoice()) {
        v3::detail3::UploadOptionsPtr opts;
        if (auto st = v3::detail_tus::choosing_options(options, choice, opts); !st) {
            return st.error();
        }
        return run_with([&](pinata_error **err) {
            return pinata_pin_batch_run_v3(h_.get(), opts.get(), err);
        });
    }
    /// Throwing form of `try_run_v3`.
    void run_v3(const v3::UploadOptions &options = v3::UploadOptions(),
                const v3::UploadChoice &choice = v3::UploadChoice()) {
        try_run_v3(options, choice).value();
    }

    /// Files in the batch.
    std::size_t size() const noexcept { return pinata_pin_batch_len(h_.get()); }
    /// Files of the last run not pinned or uploaded (failed or never started).
    std::size_t failed() const noexcept { return pinata_pin_batch_failed(h_.get()); }

    /// File `index`'s outcome in the last run, copied out.
    BatchItem item(std::size_t index) const {
        BatchItem out;
        out.path = detail::str(pinata_pin_batch_path(h_.get(), index));
        if (const pinata_pin_result *r = pinata_pin_batch_result(h_.get(), index)) {
            BatchPin pin;
            pin.cid = detail::str(pinata_pin_result_cid(r));
            pin.size = pinata_pin_result_size(r);
            pin.timestamp = detail::str(pinata_pin_result_timestamp(r));
            pin.is_duplicate = pinata_pin_result_is_duplicate(r);
            pin.local_cid = detail::opt_str(pinata_pin_result_local_cid(r));
            pin.cid_check = static_cast<CidCheck>(pinata_pin_result_cid_check(r));
            pin.raw_json = detail::str(pinata_pin_result_raw_json(r));
            out.pin = std::move(pin);
        } else if (const pinata_upload_result *u = pinata_pin_batch_upload_result(h_.get(), index)) {
            out.file = v3::detail_tus::chosen_of(u);
        } else if (const pinata_error *e = pinata_pin_batch_error(h_.get(), index)) {
            out.error = detail::borrowed_error(e);
        }
        return out;
    }
    /// Every file's outcome, in the order added.
    std::vector<BatchItem> items() const {
        std::vector<BatchItem> v;
        v.reserve(size());
        for (std::size_t i = 0; i < size(); ++i) {
            v.push_back(item(i));
        }
        return v;
    }

    /// The C handle (owned by this object).
    pinata_pin_batch *native_handle() const noexcept { return h_.get(); }

private:
    /// Runs `f` (a C run taking `pinata_error **`), then rethrows what the progress
    /// callback threw during it.
    template <class F>
    Result<void> run_with(F &&f) {
        progress_->thrown = nullptr;
        auto status = detail::call(std::forward<F>(f));
        if (progress_->thrown) {
            std::rethrow_exception(std::exchange(progress_->thrown, nullptr));
        }
        return status;
    }

    explicit PinBatch(detail::PinBatchPtr h)
        : progress_(std::make_unique<detail::BatchProgressState>()), h_(std::move(h)) {}

    // Declared before h_ so that it is destroyed after the C batch that points at it.
    std::unique_ptr<detail::BatchProgressState> progress_;
    detail::PinBatchPtr h_;
};

}  // namespace pinata

#endif  // PINATA_BATCH_HPP
