// libpinata C++17 wrapper: resumable (TUS) uploads (included by pinata.hpp, after v3.hpp).
//
// `upload_resumable` sends one file with TUS in chunks streamed from disk, keeping an
// on-disk journal so that the same call made again (after a cancel, a crash or a
// reboot, in this process or another) resumes where the server stopped;
// `abandon_resumable` deletes the remote upload and its journal; `pending_uploads` lists
// the journals. `upload_file_choosing` is v3::upload_file with the path chosen by size
// (TUS above a threshold, multipart below) or forced, reporting which ran and whether it
// resumed. Every call has a `try_` form returning `pinata::Result<T>` and a throwing
// form, as in pinata.hpp.
#ifndef PINATA_TUS_HPP
#define PINATA_TUS_HPP

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "v3.hpp"

namespace pinata {
namespace v3 {

/// The path of an upload (`PINATA_UPLOAD_PATH_*`).
enum class UploadPath : int32_t {
    Auto = PINATA_UPLOAD_PATH_AUTO,            ///< TUS above the threshold, multipart at or below
    Multipart = PINATA_UPLOAD_PATH_MULTIPART,  ///< one multipart POST
    Resumable = PINATA_UPLOAD_PATH_RESUMABLE,  ///< TUS with a journal
};

/// Above this many bytes `UploadPath::Auto` takes TUS (as Pinata's SDK: 90 MiB).
inline constexpr uint64_t kDefaultResumableThreshold = 90ull * 1024 * 1024;

/// Options of a resumable upload; the defaults are the library's.
struct ResumableOptions {
    std::optional<std::string> name;       ///< unset: the file's name
    std::optional<std::string> mime_type;  ///< unset: the server decides
    Network network = Network::Private;
    std::optional<std::string> group_id;
    std::map<std::string, std::string> keyvalues;  ///< at most 10
    int32_t cid_version = 1;                       ///< 0 or 1
    uint64_t chunk_size = 0;                       ///< 0: the default (16 MiB); at least 64 KiB
    /// unset: `$XDG_CACHE_HOME/libpinata/tus`, else `~/.cache/libpinata/tus` (created);
    /// a directory given must exist and be writable.
    std::optional<std::string> journal_dir;
    bool verify_cid = true;
    std::optional<std::string> endpoint;  ///< unset: `{upload URL}/v3/files`
    bool fetch_file_row = true;           ///< false for a plain TUS server
    /// Called on the calling thread with the bytes sent from the start of the file (a
    /// resumed upload starts at its offset); return false to cancel (the journal
    /// stays). An exception it throws cancels and is rethrown to the caller.
    ProgressFn progress;
    /// Raising it from any thread cancels (the journal stays; may be null; not owned).
    const CancelToken *cancel = nullptr;
};

/// What a resumable upload did.
struct ResumableResult {
    std::string cid;                         ///< the server's `Upload-Cid`
    std::optional<FileRow> file;             ///< unset when the row was not read
    std::optional<std::string> local_cid;    ///< unset when the check was off
    uint64_t resumed_from = 0;               ///< 0 for a fresh upload or a restart
    uint64_t bytes_sent = 0;                 ///< by this call, re-sent chunks included
    std::optional<std::string> restart_reason;  ///< why a journal was found but not resumed
};

/// An upload whose journal waits in a journal directory.
struct PendingUpload {
    std::string path;
    uint64_t size = 0;
    uint64_t offset = 0;  ///< the last offset the server confirmed
};

/// How `upload_file_choosing` picks its path, and the TUS settings it uses.
struct UploadChoice {
    UploadPath path = UploadPath::Auto;
    uint64_t threshold = kDefaultResumableThreshold;
    std::optional<std::string> journal_dir;  ///< as ResumableOptions::journal_dir
    uint64_t chunk_size = 0;                 ///< 0: the default (16 MiB)
    ProgressFn progress;                     ///< as ResumableOptions::progress
    const CancelToken *cancel = nullptr;     ///< as ResumableOptions::cancel
};

/// What `upload_file_choosing` did.
struct ChosenUpload {
    UploadResult result;
    UploadPath path = UploadPath::Multipart;  ///< the path that ran
    bool resumed = false;                     ///< TUS resumed a journal's upload
    uint64_t resumed_from = 0;                ///< where it resumed
    std::optional<std::string> restart_reason;
};

namespace detail_tus {

using ResumableOptionsPtr =
    pinata::detail::Owned<pinata_upload_resumable_options, &pinata_upload_resumable_options_free>;
using ResumableResultPtr =
    pinata::detail::Owned<pinata_upload_resumable_result, &pinata_upload_resumable_result_free>;
using PendingPtr = pinata::detail::Owned<pinata_upload_pending, &pinata_upload_pending_free>;

inline const char *opt_c(const std::optional<std::string> &s) { return s ? s->c_str() : nullptr; }

inline Result<void> no_nul_opt(const std::optional<std::string> &s, const char *name) {
    return s ? detail3::no_nul(*s, name) : Result<void>();
}

/// Makes the C options from `o`; `progress` receives the callback's state, which must
/// outlive the call.
inline Result<void> make_options(const ResumableOptions &o, ResumableOptionsPtr &out,
                                 std::unique_ptr<pinata::detail::ProgressState> &progress) {
    const std::pair<const std::optional<std::string> *, const char *> texts[] = {
        {&o.name, "name"}, {&o.mime_type, "mime_type"}, {&o.group_id, "group_id"},
        {&o.journal_dir, "journal_dir"}, {&o.endpoint, "endpoint"}};
    for (const auto &[value, name] : texts) {
        if (auto st = no_nul_opt(*value, name); !st) {
            return st.error();
        }
    }
    pinata_upload_resumable_options *raw = nullptr;
    auto made = pinata::detail::call(
        [&](pinata_error **e) { return pinata_upload_resumable_options_new(&raw, e); });
    out.reset(raw);
    if (!made) {
        return made.error();
    }
    auto *h = out.get();
    auto st = detail3::steps(
        [&](pinata_error **e) { return pinata_upload_resumable_options_set_name(h, opt_c(o.name), e); },
        [&](pinata_error **e) {
            return pinata_upload_resumable_options_set_mime_type(h, opt_c(o.mime_type), e);
        },
        [&](pinata_error **e) {
            return pinata_upload_resumable_options_set_network(h, static_cast<int32_t>(o.network), e);
        },
        [&](pinata_error **e) {
            return pinata_upload_resumable_options_set_group_id(h, opt_c(o.group_id), e);
        },
        [&](pinata_error **e) {
            return pinata_upload_resumable_options_set_cid_version(h, o.cid_version, e);
        },
        [&](pinata_error **e) {
            return o.chunk_size == 0 ? PINATA_OK
                                     : pinata_upload_resumable_options_set_chunk_size(h, o.chunk_size, e);
        },
        [&](pinata_error **e) {
            return pinata_upload_resumable_options_set_journal_dir(h, opt_c(o.journal_dir), e);
        },
        [&](pinata_error **e) { return pinata_upload_resumable_options_set_verify_cid(h, o.verify_cid, e); },
        [&](pinata_error **e) {
            return pinata_upload_resumable_options_set_endpoint(h, opt_c(o.endpoint), e);
        },
        [&](pinata_error **e) {
            return pinata_upload_resumable_options_set_fetch_file_row(h, o.fetch_file_row, e);
        },
        [&](pinata_error **e) {
            return pinata_upload_resumable_options_set_cancel(
                h, o.cancel != nullptr ? o.cancel->native_handle() : nullptr, e);
        });
    for (const auto &[k, v] : o.keyvalues) {
        if (!st) {
            break;
        }
        if (auto n = detail3::no_nul(k, "key"); !n) {
            return n.error();
        }
        if (auto n = detail3::no_nul(v, "value"); !n) {
            return n.error();
        }
        st = pinata::detail::call([&](pinata_error **e) {
            return pinata_upload_resumable_options_set_keyvalue(h, k.c_str(), v.c_str(), e);
        });
    }
    if (st && o.progress) {
        progress = std::make_unique<pinata::detail::ProgressState>(
            pinata::detail::ProgressState{o.progress, nullptr});
        st = pinata::detail::call([&](pinata_error **e) {
            return pinata_upload_resumable_options_set_progress(
                h, &pinata::detail::pinata_cpp_progress_trampoline, progress.get(), e);
        });
    }
    return st;
}

/// Makes the C upload options from `options` and `choice` (path, threshold, journal
/// directory, chunk size, cancel flag; not the progress callback, whose state the
/// caller keeps) into `out`.
inline Result<void> choosing_options(const UploadOptions &options, const UploadChoice &choice,
                                     detail3::UploadOptionsPtr &out) {
    if (auto st = no_nul_opt(choice.journal_dir, "journal_dir"); !st) {
        return st.error();
    }
    pinata_upload_options *raw = nullptr;
    auto made = pinata::detail::call([&](pinata_error **e) { return pinata_upload_options_new(&raw, e); });
    out.reset(raw);
    if (!made) {
        return made.error();
    }
    auto *h = out.get();
    auto st = detail3::fill(h, options);
    if (st) {
        st = detail3::steps(
            [&](pinata_error **e) {
                return pinata_upload_options_set_upload_path(h, static_cast<int32_t>(choice.path), e);
            },
            [&](pinata_error **e) {
                return pinata_upload_options_set_resumable_threshold(h, choice.threshold, e);
            },
            [&](pinata_error **e) {
                return pinata_upload_options_set_journal_dir(h, opt_c(choice.journal_dir), e);
            },
            [&](pinata_error **e) {
                return choice.chunk_size == 0
                           ? PINATA_OK
                           : pinata_upload_options_set_resumable_chunk_size(h, choice.chunk_size, e);
            },
            [&](pinata_error **e) {
                return pinata_upload_options_set_cancel(
                    h, choice.cancel != nullptr ? choice.cancel->native_handle() : nullptr, e);
            });
    }
    return st;
}

/// Copies an upload result with the path it took (owned or borrowed: it stays the
/// caller's).
inline ChosenUpload chosen_of(const pinata_upload_result *r) {
    ChosenUpload out;
    out.result = detail3::result_of(r);
    out.path = static_cast<UploadPath>(pinata_upload_result_path(r));
    out.resumed = pinata_upload_result_resumed(r);
    out.resumed_from = pinata_upload_result_resumed_from(r);
    out.restart_reason = pinata::detail::opt_str(pinata_upload_result_restart_reason(r));
    return out;
}

}  // namespace detail_tus

/// Uploads the file at `path` with TUS, resuming from its journal when the same file was
/// being uploaded to the same endpoint and network (see pinata_upload_resumable).
inline Result<ResumableResult> try_upload_resumable(const Client &client, const std::string &path,
                                                    const ResumableOptions &options = {}) {
    if (auto st = detail3::no_nul(path, "path"); !st) {
        return st.error();
    }
    detail_tus::ResumableOptionsPtr opts;
    std::unique_ptr<pinata::detail::ProgressState> progress;
    if (auto st = detail_tus::make_options(options, opts, progress); !st) {
        return st.error();
    }
    pinata_upload_resumable_result *raw = nullptr;
    pinata::detail::ProgressScope scope(progress.get());
    auto st = pinata::detail::call([&](pinata_error **e) {
        return pinata_upload_resumable(client.native_handle(), path.c_str(), opts.get(), &raw, e);
    });
    detail_tus::ResumableResultPtr res(raw);  // owned before anything can throw
    scope.rethrow_if_any();
    if (!st) {
        return st.error();
    }
    ResumableResult out;
    out.cid = pinata::detail::str(pinata_upload_resumable_result_cid(res.get()));
    if (const pinata_file_row *row = pinata_upload_resumable_result_file(res.get())) {
        out.file = detail3::row_of(row);
    }
    out.local_cid = pinata::detail::opt_str(pinata_upload_resumable_result_local_cid(res.get()));
    out.resumed_from = pinata_upload_resumable_result_resumed_from(res.get());
    out.bytes_sent = pinata_upload_resumable_result_bytes_sent(res.get());
    out.restart_reason = pinata::detail::opt_str(pinata_upload_resumable_result_restart_reason(res.get()));
    return Result<ResumableResult>(std::move(out));
}
/// Throwing form of `try_upload_resumable`.
inline ResumableResult upload_resumable(const Client &client, const std::string &path,
                                        const ResumableOptions &options = {}) {
    return try_upload_resumable(client, path, options).value();
}

/// Abandons the pending upload of `path` (journal directory, endpoint and network from
/// `options`): `DELETE` on the server, then the journal goes. True when there was one.
inline Result<bool> try_abandon_resumable(const Client &client, const std::string &path,
                                          const ResumableOptions &options = {}) {
    if (auto st = detail3::no_nul(path, "path"); !st) {
        return st.error();
    }
    detail_tus::ResumableOptionsPtr opts;
    std::unique_ptr<pinata::detail::ProgressState> progress;
    if (auto st = detail_tus::make_options(options, opts, progress); !st) {
        return st.error();
    }
    bool found = false;
    auto st = pinata::detail::call([&](pinata_error **e) {
        return pinata_upload_resumable_abandon(client.native_handle(), path.c_str(), opts.get(), &found, e);
    });
    if (!st) {
        return st.error();
    }
    return Result<bool>(found);
}
/// Throwing form of `try_abandon_resumable`.
inline bool abandon_resumable(const Client &client, const std::string &path,
                              const ResumableOptions &options = {}) {
    return try_abandon_resumable(client, path, options).value();
}

/// The uploads whose journals wait in `journal_dir` (unset: the default directory).
inline Result<std::vector<PendingUpload>> try_pending_uploads(
    const std::optional<std::string> &journal_dir = std::nullopt) {
    if (auto st = detail_tus::no_nul_opt(journal_dir, "journal_dir"); !st) {
        return st.error();
    }
    pinata_upload_pending *raw = nullptr;
    auto st = pinata::detail::call([&](pinata_error **e) {
        return pinata_upload_pending_list(detail_tus::opt_c(journal_dir), &raw, e);
    });
    detail_tus::PendingPtr list(raw);
    if (!st) {
        return st.error();
    }
    std::vector<PendingUpload> out;
    const size_t n = pinata_upload_pending_count(list.get());
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        out.push_back(PendingUpload{pinata::detail::str(pinata_upload_pending_path(list.get(), i)),
                                    pinata_upload_pending_size(list.get(), i),
                                    pinata_upload_pending_offset(list.get(), i)});
    }
    return Result<std::vector<PendingUpload>>(std::move(out));
}
/// Throwing form of `try_pending_uploads`.
inline std::vector<PendingUpload> pending_uploads(const std::optional<std::string> &journal_dir = std::nullopt) {
    return try_pending_uploads(journal_dir).value();
}

/// Uploads one file as `upload_file` does, with the path chosen by `choice`: TUS (with a
/// journal: the same call made again resumes) above the threshold, multipart at or
/// below it, or the path forced. CAR, streamable and expiring uploads have no TUS form.
inline Result<ChosenUpload> try_upload_file_choosing(const Client &client, const std::string &path,
                                                     const UploadOptions &options,
                                                     const UploadChoice &choice) {
    if (auto st = detail3::no_nul(path, "path"); !st) {
        return st.error();
    }
    detail3::UploadOptionsPtr opts;
    auto st = detail_tus::choosing_options(options, choice, opts);
    auto *h = opts.get();
    std::unique_ptr<pinata::detail::ProgressState> progress;
    if (st && choice.progress) {
        progress = std::make_unique<pinata::detail::ProgressState>(
            pinata::detail::ProgressState{choice.progress, nullptr});
        st = pinata::detail::call([&](pinata_error **e) {
            return pinata_upload_options_set_progress(h, &pinata::detail::pinata_cpp_progress_trampoline,
                                                      progress.get(), e);
        });
    }
    if (!st) {
        return st.error();
    }
    pinata_upload_result *raw = nullptr;
    pinata::detail::ProgressScope scope(progress.get());
    auto ran = pinata::detail::call([&](pinata_error **e) {
        return pinata_upload_file(client.native_handle(), path.c_str(), h, &raw, e);
    });
    detail3::UploadResultPtr res(raw);  // owned before anything can throw
    scope.rethrow_if_any();
    if (!ran) {
        return ran.error();
    }
    return Result<ChosenUpload>(detail_tus::chosen_of(res.get()));
}
/// Throwing form of `try_upload_file_choosing`.
inline ChosenUpload upload_file_choosing(const Client &client, const std::string &path,
                                         const UploadOptions &options, const UploadChoice &choice) {
    return try_upload_file_choosing(client, path, options, choice).value();
}

}  // namespace v3
}  // namespace pinata

#endif  // PINATA_TUS_HPP
