// Verified downloads for C++ (included by pinata.hpp): pinata_download_* and
// pinata_client_set_gateway wrapped with RAII, Result<T> and exceptions, as the rest of
// the header does. Every byte is checked against its hash; nothing is left at the
// destination on failure (a lying gateway gives Status::Integrity).
#ifndef PINATA_DOWNLOAD_HPP
#define PINATA_DOWNLOAD_HPP

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinata {

/// How a download fetches (`PINATA_DOWNLOAD_*`).
enum class DownloadMethod : int32_t {
    Auto = PINATA_DOWNLOAD_AUTO,    ///< CAR, else raw blocks, else plain bytes; in a result: nothing fetched
    Car = PINATA_DOWNLOAD_CAR,      ///< only a trustless CAR
    Raw = PINATA_DOWNLOAD_RAW,      ///< only raw blocks, one request each
    Plain = PINATA_DOWNLOAD_PLAIN,  ///< only plain bytes, the CID recomputed (files only)
};

/// How downloaded content was checked.
enum class Verification : int32_t {
    Blocks = PINATA_DOWNLOAD_VERIFIED_BLOCKS,          ///< every block's hash checked
    Recomputed = PINATA_DOWNLOAD_VERIFIED_RECOMPUTED,  ///< plain bytes, CID recomputed
    Unverifiable = PINATA_DOWNLOAD_UNVERIFIABLE,       ///< kept only when accepted
};

/// Options of a download; the defaults are the library's.
struct DownloadOptions {
    DownloadMethod method = DownloadMethod::Auto;
    /// Keep plain bytes no import profile can check (default: refused).
    bool accept_unverifiable = false;
    /// Disk space for blocks kept for later (early blocks, inner nodes and directories);
    /// 0 keeps the library's default (1 GiB).
    uint64_t max_spill_bytes = 0;
    /// Most content bytes, all files together (0: no cap). A few kilobytes of blocks can
    /// describe terabytes: set it for a CID from someone you do not trust.
    uint64_t max_bytes = 0;
    /// Most files and directories made, the destination counted (0: no cap).
    uint64_t max_entries = 0;
    /// Called on the calling thread with the bytes received and the expected total (0
    /// when unknown); return false to cancel. An exception it throws cancels the
    /// download and is rethrown to the caller.
    ProgressFn progress;
    /// Raising it from any thread cancels the download (may be null; not owned).
    const CancelToken *cancel = nullptr;
};

/// What a finished download did; `data` holds the bytes of an in-memory download.
struct Download {
    uint64_t bytes = 0;
    uint64_t files = 0;
    uint64_t blocks = 0;
    bool is_dir = false;
    DownloadMethod method = DownloadMethod::Auto;
    Verification verified = Verification::Blocks;
    std::vector<uint8_t> data;
};

namespace detail {

using DownloadOptionsPtr = Owned<pinata_download_options, &pinata_download_options_free>;
using DownloadResultPtr = Owned<pinata_download_result, &pinata_download_result_free>;

/// Runs one download call with C options built from `o`.
template <class F>
Result<Download> run_download(const DownloadOptions &o, F &&f) {
    pinata_download_options *raw = nullptr;
    auto made = call([&](pinata_error **err) { return pinata_download_options_new(&raw, err); });
    DownloadOptionsPtr opts(raw);
    if (!made) {
        return made.error();
    }
    std::unique_ptr<ProgressState> progress;
    auto step = call([&](pinata_error **err) {
        return pinata_download_options_set_method(opts.get(), static_cast<int32_t>(o.method), err);
    });
    if (step) {
        step = call([&](pinata_error **err) {
            return pinata_download_options_set_accept_unverifiable(opts.get(), o.accept_unverifiable,
                                                                   err);
        });
    }
    if (step && o.max_spill_bytes != 0) {
        step = call([&](pinata_error **err) {
            return pinata_download_options_set_max_spill(opts.get(), o.max_spill_bytes, err);
        });
    }
    if (step && o.max_bytes != 0) {
        step = call([&](pinata_error **err) {
            return pinata_download_options_set_max_bytes(opts.get(), o.max_bytes, err);
        });
    }
    if (step && o.max_entries != 0) {
        step = call([&](pinata_error **err) {
            return pinata_download_options_set_max_entries(opts.get(), o.max_entries, err);
        });
    }
    if (step && o.progress) {
        progress = std::make_unique<ProgressState>(ProgressState{o.progress, nullptr});
        step = call([&](pinata_error **err) {
            return pinata_download_options_set_progress(opts.get(), pinata_cpp_progress_trampoline,
                                                        progress.get(), err);
        });
    }
    if (step && o.cancel != nullptr) {
        step = call([&](pinata_error **err) {
            return pinata_download_options_set_cancel(opts.get(), o.cancel->native_handle(), err);
        });
    }
    if (!step) {
        return step.error();
    }
    pinata_download_result *res = nullptr;
    ProgressScope scope(progress.get());
    auto status = call([&](pinata_error **err) { return f(opts.get(), &res, err); });
    scope.rethrow_if_any();
    DownloadResultPtr r(res);
    if (!status) {
        return status.error();
    }
    Download d;
    d.bytes = pinata_download_result_bytes(r.get());
    d.files = pinata_download_result_files(r.get());
    d.blocks = pinata_download_result_blocks(r.get());
    d.is_dir = pinata_download_result_is_dir(r.get());
    d.method = static_cast<DownloadMethod>(pinata_download_result_method(r.get()));
    d.verified = static_cast<Verification>(pinata_download_result_verified(r.get()));
    size_t len = 0;
    if (const uint8_t *p = pinata_download_result_data(r.get(), &len)) {
        d.data.assign(p, p + len);
    }
    return Result<Download>(std::move(d));
}

}  // namespace detail

/// Sets the gateway downloads use: a domain (`example.mypinata.cloud`) or a base URL,
/// and the dedicated gateway's access token, if any.
inline Result<void> try_set_gateway(Client &client, std::string_view gateway,
                                    std::optional<std::string_view> token = std::nullopt) {
    detail::CStr g(gateway, "gateway");
    std::optional<detail::CStr> t;
    if (token) {
        t.emplace(*token, "token");
    }
    if (g.has_nul() || (t && t->has_nul())) {
        return detail::invalid_argument("`gateway` or `token` contains NUL");
    }
    return detail::call([&](pinata_error **err) {
        return pinata_client_set_gateway(client.native_handle(), g.c_str(),
                                         t ? t->c_str() : nullptr, err);
    });
}

/// Downloads `cid` (a file or a directory tree) to `dest_path`, verified.
inline Result<Download> try_download_cid(const Client &client, std::string_view cid,
                                         std::string_view dest_path,
                                         const DownloadOptions &options = {}) {
    detail::CStr c(cid, "cid");
    detail::CStr d(dest_path, "dest_path");
    if (c.has_nul() || d.has_nul()) {
        return detail::invalid_argument("`cid` or `dest_path` contains NUL");
    }
    return detail::run_download(options, [&](pinata_download_options *o,
                                              pinata_download_result **r, pinata_error **err) {
        return pinata_download_cid(client.native_handle(), c.c_str(), d.c_str(), o, r, err);
    });
}

/// Throwing form of `try_download_cid`.
inline Download download_cid(const Client &client, std::string_view cid,
                             std::string_view dest_path, const DownloadOptions &options = {}) {
    return try_download_cid(client, cid, dest_path, options).value();
}

/// Downloads a file's `cid` into `Download::data`, verified; more than `max_bytes` fails
/// with `Status::Protocol`.
inline Result<Download> try_download_cid_to_memory(const Client &client, std::string_view cid,
                                                   uint64_t max_bytes,
                                                   const DownloadOptions &options = {}) {
    detail::CStr c(cid, "cid");
    if (c.has_nul()) {
        return detail::invalid_argument("`cid` contains NUL");
    }
    return detail::run_download(options, [&](pinata_download_options *o,
                                              pinata_download_result **r, pinata_error **err) {
        return pinata_download_cid_to_memory(client.native_handle(), c.c_str(), max_bytes, o, r,
                                             err);
    });
}

/// Throwing form of `try_download_cid_to_memory`.
inline Download download_cid_to_memory(const Client &client, std::string_view cid,
                                       uint64_t max_bytes, const DownloadOptions &options = {}) {
    return try_download_cid_to_memory(client, cid, max_bytes, options).value();
}

/// Downloads from a full `url` (a private file's download link, `v3::try_download_link`,
/// or a signed gateway URL) to `dest_path`, verified against `cid`. The URL is
/// requested as given (so a signature stays valid; the CAR is asked for by the `Accept`
/// header only) and never appears in messages: treat it as a credential. Raw-block
/// fallback needs a gateway and is skipped; the client's gateway token is not sent.
/// Otherwise as `try_download_cid`.
inline Result<Download> try_download_url(const Client &client, std::string_view url,
                                         std::string_view cid, std::string_view dest_path,
                                         const DownloadOptions &options = {}) {
    detail::CStr u(url, "url");
    detail::CStr c(cid, "cid");
    detail::CStr d(dest_path, "dest_path");
    if (auto e = detail::nul_error(u, c, d)) {
        return *e;
    }
    return detail::run_download(options, [&](pinata_download_options *o,
                                              pinata_download_result **r, pinata_error **err) {
        return pinata_download_url(client.native_handle(), u.c_str(), c.c_str(), d.c_str(), o, r,
                                   err);
    });
}

/// Throwing form of `try_download_url`.
inline Download download_url(const Client &client, std::string_view url, std::string_view cid,
                             std::string_view dest_path, const DownloadOptions &options = {}) {
    return try_download_url(client, url, cid, dest_path, options).value();
}

}  // namespace pinata

#endif  // PINATA_DOWNLOAD_HPP
