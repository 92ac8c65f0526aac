// libpinata C++17 wrapper: the v3 Files API (included by pinata.hpp).
//
// Uploads to the public or private network, files per network, signed upload URLs
// (an app uploads with the URL alone, no credentials), download links for private
// files, and the v3 pin-by-CID queue. Every call has a `try_` form returning
// `pinata::Result<T>` and a throwing form, as in pinata.hpp.
#ifndef PINATA_V3_HPP
#define PINATA_V3_HPP

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// pinata.hpp includes this file at its end, after groups.hpp (pinata::Network).
#include "groups.hpp"

namespace pinata {
namespace v3 {

/// Where a file lives (the same type as pinata::Network of groups.hpp).
using Network = ::pinata::Network;

/// A v3 file.
struct FileRow {
    std::string id;
    std::optional<std::string> name;
    std::string cid;
    uint64_t size = 0;
    uint64_t number_of_files = 0;
    std::optional<std::string> mime_type;
    std::optional<std::string> group_id;
    std::string keyvalues_json;  ///< a JSON object, `{}` when none
    std::optional<std::string> created_at;
    bool is_duplicate = false;
    std::string raw_json;
};

/// Options of an upload (copied into a C handle per call).
struct UploadOptions {
    Network network = Network::Private;  ///< the API's own default
    std::optional<std::string> name;
    std::map<std::string, std::string> keyvalues;
    std::optional<std::string> group_id;
    std::optional<int32_t> cid_version;  ///< 0 or 1; unset: the service's (v1)
    bool car = false;
    bool streamable = false;
    std::optional<int64_t> expires_at;  ///< unix seconds in the future
    bool verify_cid = true;
};

/// The answer to an upload.
struct UploadResult {
    FileRow file;
    std::optional<std::string> local_cid;
    CidCheck cid_check = CidCheck::NotChecked;
    std::string raw_json;
};

/// What a signed upload URL allows.
struct SignOptions {
    std::chrono::seconds expires{60};
    uint64_t max_file_size = 0;  ///< 0: no limit
    std::vector<std::string> allow_mime_types;
    std::optional<Network> network;
    std::optional<std::string> group_id;
    std::optional<std::string> name;
    std::map<std::string, std::string> keyvalues;
};

/// Filters of a listing; everything optional.
struct FileQuery {
    std::optional<std::string> name;
    std::optional<std::string> group_id;
    bool no_group = false;
    std::optional<std::string> mime_type;
    std::optional<std::string> cid;
    bool cid_pending = false;
    std::map<std::string, std::string> keyvalues;
    std::optional<bool> ascending;  ///< unset: the service's order
    uint32_t page_size = 0;         ///< 0: the service's
};

namespace detail3 {

using UploadOptionsPtr = pinata::detail::Owned<pinata_upload_options, &pinata_upload_options_free>;
using UploadResultPtr = pinata::detail::Owned<pinata_upload_result, &pinata_upload_result_free>;
using SignOptionsPtr = pinata::detail::Owned<pinata_sign_options, &pinata_sign_options_free>;
using FilesQueryPtr = pinata::detail::Owned<pinata_files_query, &pinata_files_query_free>;
using FilesIterPtr = pinata::detail::Owned<pinata_files_list_iter, &pinata_files_list_iter_free>;
using FileRowPtr = pinata::detail::Owned<pinata_file_row, &pinata_file_row_free>;

inline FileRow row_of(const pinata_file_row *r) {
    using pinata::detail::opt_str;
    using pinata::detail::str;
    FileRow f;
    f.id = str(pinata_file_row_id(r));
    f.name = opt_str(pinata_file_row_name(r));
    f.cid = str(pinata_file_row_cid(r));
    f.size = pinata_file_row_size(r);
    f.number_of_files = pinata_file_row_number_of_files(r);
    f.mime_type = opt_str(pinata_file_row_mime_type(r));
    f.group_id = opt_str(pinata_file_row_group_id(r));
    f.keyvalues_json = str(pinata_file_row_keyvalues_json(r));
    f.created_at = opt_str(pinata_file_row_created_at(r));
    f.is_duplicate = pinata_file_row_is_duplicate(r);
    f.raw_json = str(pinata_file_row_raw_json(r));
    return f;
}

/// Copies an upload result (owned or borrowed: it stays the caller's).
inline UploadResult result_of(const pinata_upload_result *r) {
    UploadResult out;
    out.file = row_of(pinata_upload_result_file(r));
    out.local_cid = pinata::detail::opt_str(pinata_upload_result_local_cid(r));
    out.cid_check = static_cast<CidCheck>(pinata_upload_result_cid_check(r));
    out.raw_json = pinata::detail::str(pinata_upload_result_raw_json(r));
    return out;
}

/// Runs each step (a C setter taking `pinata_error **`) until one fails.
template <class... S>
Result<void> steps(S &&...s) {
    Result<void> out;
    auto one = [&out](auto &&f) {
        if (out) {
            out = pinata::detail::call(f);
        }
    };
    (one(s), ...);
    return out;
}

inline Result<void> no_nul(const std::string &s, const char *name) {
    if (s.find('\0') != std::string::npos) {
        return pinata::detail::invalid_argument(std::string("`") + name + "` contains a NUL byte");
    }
    return Result<void>();
}

inline Result<void> fill(pinata_upload_options *h, const UploadOptions &o) {
    auto st = steps(
        [&](pinata_error **e) {
            return pinata_upload_options_set_network(h, static_cast<int32_t>(o.network), e);
        },
        [&](pinata_error **e) { return pinata_upload_options_set_car(h, o.car, e); },
        [&](pinata_error **e) { return pinata_upload_options_set_streamable(h, o.streamable, e); },
        [&](pinata_error **e) { return pinata_upload_options_set_verify_cid(h, o.verify_cid, e); },
        [&](pinata_error **e) {
            return pinata_upload_options_set_cid_version(h, o.cid_version.value_or(-1), e);
        },
        [&](pinata_error **e) {
            return pinata_upload_options_set_expires_at(h, o.expires_at.value_or(0), e);
        },
        [&](pinata_error **e) {
            return pinata_upload_options_set_name(h, o.name ? o.name->c_str() : nullptr, e);
        },
        [&](pinata_error **e) {
            return pinata_upload_options_set_group_id(h, o.group_id ? o.group_id->c_str() : nullptr, e);
        });
    for (const auto &[k, v] : o.keyvalues) {
        if (!st) {
            break;
        }
        st = pinata::detail::call(
            [&](pinata_error **e) { return pinata_upload_options_set_keyvalue(h, k.c_str(), v.c_str(), e); });
    }
    return st;
}

/// Makes the C options, runs `f(options, &result, err)`, copies the result.
template <class F>
Result<UploadResult> upload(const UploadOptions &o, F &&f) {
    pinata_upload_options *raw_opts = nullptr;
    auto made = pinata::detail::call([&](pinata_error **e) { return pinata_upload_options_new(&raw_opts, e); });
    UploadOptionsPtr opts(raw_opts);
    if (!made) {
        return made.error();
    }
    if (auto st = fill(opts.get(), o); !st) {
        return st.error();
    }
    pinata_upload_result *raw = nullptr;
    auto st = pinata::detail::call([&](pinata_error **e) { return f(opts.get(), &raw, e); });
    UploadResultPtr res(raw);
    if (!st) {
        return st.error();
    }
    return Result<UploadResult>(result_of(res.get()));
}

}  // namespace detail3

/// Replaces the upload host https://uploads.pinata.cloud (same rules as the base URL).
/// Needs exclusive access to the client, like its other setters.
inline Result<void> try_set_upload_url(Client &client, const std::string &url) {
    if (auto st = detail3::no_nul(url, "upload_url"); !st) {
        return st.error();
    }
    return pinata::detail::call(
        [&](pinata_error **e) { return pinata_client_set_upload_url(client.native_handle(), url.c_str(), e); });
}

/// Uploads one regular file, streamed from disk (POST {upload host}/v3/files).
inline Result<UploadResult> try_upload_file(const Client &client, const std::string &path,
                                            const UploadOptions &options = {}) {
    if (auto st = detail3::no_nul(path, "path"); !st) {
        return st.error();
    }
    return detail3::upload(options, [&](pinata_upload_options *o, pinata_upload_result **r, pinata_error **e) {
        return pinata_upload_file(client.native_handle(), path.c_str(), o, r, e);
    });
}
inline UploadResult upload_file(const Client &client, const std::string &path,
                                const UploadOptions &options = {}) {
    return try_upload_file(client, path, options).value();
}

/// Uploads bytes as a file named `file_name`.
inline Result<UploadResult> try_upload_bytes(const Client &client, std::string_view data,
                                             const std::string &file_name,
                                             const UploadOptions &options = {}) {
    if (auto st = detail3::no_nul(file_name, "file_name"); !st) {
        return st.error();
    }
    return detail3::upload(options, [&](pinata_upload_options *o, pinata_upload_result **r, pinata_error **e) {
        return pinata_upload_bytes(client.native_handle(), reinterpret_cast<const uint8_t *>(data.data()),
                                   data.size(), file_name.c_str(), o, r, e);
    });
}
inline UploadResult upload_bytes(const Client &client, std::string_view data, const std::string &file_name,
                                 const UploadOptions &options = {}) {
    return try_upload_bytes(client, data, file_name, options).value();
}

/// Uploads a JSON document as data.json, byte for byte.
inline Result<UploadResult> try_upload_json(const Client &client, const std::string &json,
                                            const UploadOptions &options = {}) {
    if (auto st = detail3::no_nul(json, "json"); !st) {
        return st.error();
    }
    return detail3::upload(options, [&](pinata_upload_options *o, pinata_upload_result **r, pinata_error **e) {
        return pinata_upload_json(client.native_handle(), json.c_str(), o, r, e);
    });
}

/// Uploads bytes through a signed upload URL with NO client and no credentials.
inline Result<UploadResult> try_upload_bytes_signed(const std::string &signed_url, std::string_view data,
                                                    const std::string &file_name,
                                                    const UploadOptions &options = {}) {
    if (auto st = detail3::no_nul(signed_url, "signed_url"); !st) {
        return st.error();
    }
    if (auto st = detail3::no_nul(file_name, "file_name"); !st) {
        return st.error();
    }
    return detail3::upload(options, [&](pinata_upload_options *o, pinata_upload_result **r, pinata_error **e) {
        return pinata_upload_bytes_signed(nullptr, signed_url.c_str(),
                                          reinterpret_cast<const uint8_t *>(data.data()), data.size(),
                                          file_name.c_str(), o, r, e);
    });
}

/// Uploads a file through a signed upload URL with NO client and no credentials.
inline Result<UploadResult> try_upload_file_signed(const std::string &signed_url, const std::string &path,
                                                   const UploadOptions &options = {}) {
    if (auto st = detail3::no_nul(signed_url, "signed_url"); !st) {
        return st.error();
    }
    if (auto st = detail3::no_nul(path, "path"); !st) {
        return st.error();
    }
    return detail3::upload(options, [&](pinata_upload_options *o, pinata_upload_result **r, pinata_error **e) {
        return pinata_upload_file_signed(nullptr, signed_url.c_str(), path.c_str(), o, r, e);
    });
}

/// A client WITHOUT credentials (pinata_client_new_anonymous), for an app that holds
/// only signed upload URLs: configure it (CA bundle, proxy, timeouts, retries) and pass
/// it to the signed uploads below; calls that need credentials fail with Unauthorized.
inline Result<Client> try_anonymous_client() {
    pinata_client *raw = nullptr;
    auto made = pinata::detail::call([&](pinata_error **e) { return pinata_client_new_anonymous(&raw, e); });
    if (!made) {
        return made.error();
    }
    return Client(raw);
}

/// Uploads bytes through a signed upload URL with `client`'s transport settings (CA
/// bundle, proxy, timeouts, retries, HTTP version) and NONE of its credentials.
inline Result<UploadResult> try_upload_bytes_signed(const Client &client, const std::string &signed_url,
                                                    std::string_view data, const std::string &file_name,
                                                    const UploadOptions &options = {}) {
    if (auto st = detail3::no_nul(signed_url, "signed_url"); !st) {
        return st.error();
    }
    if (auto st = detail3::no_nul(file_name, "file_name"); !st) {
        return st.error();
    }
    return detail3::upload(options, [&](pinata_upload_options *o, pinata_upload_result **r, pinata_error **e) {
        return pinata_upload_bytes_signed(client.native_handle(), signed_url.c_str(),
                                          reinterpret_cast<const uint8_t *>(data.data()), data.size(),
                                          file_name.c_str(), o, r, e);
    });
}

/// Uploads a file through a signed upload URL with `client`'s transport settings and
/// none of its credentials.
inline Result<UploadResult> try_upload_file_signed(const Client &client, const std::string &signed_url,
                                                   const std::string &path, const UploadOptions &options = {}) {
    if (auto st = detail3::no_nul(signed_url, "signed_url"); !st) {
        return st.error();
    }
    if (auto st = detail3::no_nul(path, "path"); !st) {
        return st.error();
    }
    return detail3::upload(options, [&](pinata_upload_options *o, pinata_upload_result **r, pinata_error **e) {
        return pinata_upload_file_signed(client.native_handle(), signed_url.c_str(), path.c_str(), o, r, e);
    });
}

/// Creates a signed upload URL (a credential: hand it only to the uploading app).
inline Result<std::string> try_sign_upload_url(const Client &client, const SignOptions &o = {}) {
    pinata_sign_options *raw = nullptr;
    auto made = pinata::detail::call([&](pinata_error **e) { return pinata_sign_options_new(&raw, e); });
    detail3::SignOptionsPtr h(raw);
    if (!made) {
        return made.error();
    }
    auto st = detail3::steps(
        [&](pinata_error **e) {
            return pinata_sign_options_set_expires(h.get(), static_cast<uint64_t>(o.expires.count()), e);
        },
        [&](pinata_error **e) { return pinata_sign_options_set_max_file_size(h.get(), o.max_file_size, e); },
        [&](pinata_error **e) {
            return o.network ? pinata_sign_options_set_network(h.get(), static_cast<int32_t>(*o.network), e)
                             : PINATA_OK;
        },
        [&](pinata_error **e) {
            return pinata_sign_options_set_group_id(h.get(), o.group_id ? o.group_id->c_str() : nullptr, e);
        },
        [&](pinata_error **e) {
            return pinata_sign_options_set_name(h.get(), o.name ? o.name->c_str() : nullptr, e);
        });
    for (const auto &m : o.allow_mime_types) {
        if (st) {
            st = pinata::detail::call(
                [&](pinata_error **e) { return pinata_sign_options_add_mime_type(h.get(), m.c_str(), e); });
        }
    }
    for (const auto &[k, v] : o.keyvalues) {
        if (st) {
            st = pinata::detail::call([&](pinata_error **e) {
                return pinata_sign_options_set_keyvalue(h.get(), k.c_str(), v.c_str(), e);
            });
        }
    }
    if (!st) {
        return st.error();
    }
    pinata::detail::StringPtr out;
    char *url = nullptr;
    auto called = pinata::detail::call([&](pinata_error **e) {
        return pinata_sign_upload_url(client.native_handle(), h.get(), &url, e);
    });
    out.reset(url);
    return pinata::detail::take_string(called, out);
}

/// A download link for the private file `cid` on `gateway_url`, valid `expires`.
inline Result<std::string> try_download_link(const Client &client, const std::string &gateway_url,
                                             const std::string &cid, std::chrono::seconds expires) {
    pinata::detail::StringPtr out;
    char *link = nullptr;
    auto called = pinata::detail::call([&](pinata_error **e) {
        return pinata_files_download_link(client.native_handle(), gateway_url.c_str(), cid.c_str(),
                                          static_cast<uint64_t>(expires.count()), &link, e);
    });
    out.reset(link);
    return pinata::detail::take_string(called, out);
}

/// Every file of `network` matching `q`, following the service's page tokens.
inline Result<std::vector<FileRow>> try_list_files(const Client &client, Network network,
                                                   const FileQuery &q = {}) {
    pinata_files_query *raw = nullptr;
    auto made = pinata::detail::call([&](pinata_error **e) { return pinata_files_query_new(&raw, e); });
    detail3::FilesQueryPtr h(raw);
    if (!made) {
        return made.error();
    }
    auto opt = [](const std::optional<std::string> &s) { return s ? s->c_str() : nullptr; };
    auto st = detail3::steps(
        [&](pinata_error **e) { return pinata_files_query_set_name(h.get(), opt(q.name), e); },
        [&](pinata_error **e) { return pinata_files_query_set_group(h.get(), opt(q.group_id), e); },
        [&](pinata_error **e) {
            return q.no_group ? pinata_files_query_set_no_group(h.get(), true, e) : PINATA_OK;
        },
        [&](pinata_error **e) { return pinata_files_query_set_mime_type(h.get(), opt(q.mime_type), e); },
        [&](pinata_error **e) { return pinata_files_query_set_cid(h.get(), opt(q.cid), e); },
        [&](pinata_error **e) { return pinata_files_query_set_cid_pending(h.get(), q.cid_pending, e); },
        [&](pinata_error **e) {
            return q.ascending ? pinata_files_query_set_order(
                                     h.get(), *q.ascending ? PINATA_ORDER_ASC : PINATA_ORDER_DESC, e)
                               : PINATA_OK;
        },
        [&](pinata_error **e) {
            return q.page_size != 0 ? pinata_files_query_set_limit(h.get(), q.page_size, e) : PINATA_OK;
        });
    for (const auto &[k, v] : q.keyvalues) {
        if (st) {
            st = pinata::detail::call(
                [&](pinata_error **e) { return pinata_files_query_add_keyvalue(h.get(), k.c_str(), v.c_str(), e); });
        }
    }
    if (!st) {
        return st.error();
    }
    pinata_files_list_iter *raw_it = nullptr;
    auto started = pinata::detail::call([&](pinata_error **e) {
        return pinata_files_list_iter_new(client.native_handle(), static_cast<int32_t>(network), h.get(),
                                          &raw_it, e);
    });
    detail3::FilesIterPtr it(raw_it);
    if (!started) {
        return started.error();
    }
    return pinata::detail::drain<FileRow, pinata_file_row>(
        [&](const pinata_file_row **row, pinata_error **e) {
            return pinata_files_list_iter_next(it.get(), row, e);
        },
        detail3::row_of);
}

/// One file; an unknown id is `Status::NotFound`.
inline Result<FileRow> try_get_file(const Client &client, Network network, const std::string &id) {
    pinata_file_row *raw = nullptr;
    auto st = pinata::detail::call([&](pinata_error **e) {
        return pinata_files_get(client.native_handle(), static_cast<int32_t>(network), id.c_str(), &raw, e);
    });
    detail3::FileRowPtr row(raw);
    if (!st) {
        return st.error();
    }
    return Result<FileRow>(detail3::row_of(row.get()));
}

/// Changes a file's name, keyvalues (a JSON object text) or expiry; one at least.
inline Result<FileRow> try_update_file(const Client &client, Network network, const std::string &id,
                                       const std::optional<std::string> &name,
                                       const std::optional<std::string> &keyvalues_json = std::nullopt,
                                       std::optional<int64_t> expires_at = std::nullopt) {
    pinata_file_row *raw = nullptr;
    auto st = pinata::detail::call([&](pinata_error **e) {
        return pinata_files_update(client.native_handle(), static_cast<int32_t>(network), id.c_str(),
                                   name ? name->c_str() : nullptr,
                                   keyvalues_json ? keyvalues_json->c_str() : nullptr, expires_at.value_or(0),
                                   &raw, e);
    });
    detail3::FileRowPtr row(raw);
    if (!st) {
        return st.error();
    }
    return Result<FileRow>(detail3::row_of(row.get()));
}

/// Deletes a file (a public one is unpinned).
inline Result<void> try_delete_file(const Client &client, Network network, const std::string &id) {
    return pinata::detail::call([&](pinata_error **e) {
        return pinata_files_delete(client.native_handle(), static_cast<int32_t>(network), id.c_str(), e);
    });
}


// ---- The v3 pin-by-CID queue (public network) and waiting until pinned ----

/// A request of the pin-by-CID queue.
struct PinRequest {
    std::string id;
    std::string cid;
    std::optional<std::string> name;
    std::string status;  ///< prechecking, searching, retrieving, backfilled, pinned, expired, ...
    std::optional<std::string> date_queued;
    std::string raw_json;
    /// True when the status is `pinned`; a settled request that is not pinned failed.
    bool pinned() const { return status == "pinned"; }
};

/// Options of a pin by CID (the name defaults to the CID).
struct PinByCidOptions {
    std::optional<std::string> name;
    std::map<std::string, std::string> keyvalues;  ///< at most 10
    std::optional<std::string> group_id;
    std::vector<std::string> host_nodes;  ///< multiaddrs, at most 5
};

namespace detail3 {

using PinOptionsPtr = pinata::detail::Owned<pinata_files_pin_options, &pinata_files_pin_options_free>;
using PinRequestPtr = pinata::detail::Owned<pinata_files_pin_request, &pinata_files_pin_request_free>;
using PinQueueIterPtr = pinata::detail::Owned<pinata_files_pin_queue_iter, &pinata_files_pin_queue_iter_free>;

inline PinRequest request_of(const pinata_files_pin_request *r) {
    using pinata::detail::opt_str;
    using pinata::detail::str;
    PinRequest p;
    p.id = str(pinata_files_pin_request_id(r));
    p.cid = str(pinata_files_pin_request_cid(r));
    p.name = opt_str(pinata_files_pin_request_name(r));
    p.status = str(pinata_files_pin_request_status(r));
    p.date_queued = opt_str(pinata_files_pin_request_date_queued(r));
    p.raw_json = str(pinata_files_pin_request_raw_json(r));
    return p;
}

/// Carries the user's status callback (and an exception it threw) through C.
struct PinWaitState {
    const std::function<bool(const std::string &)> *fn = nullptr;
    std::exception_ptr thrown;
    static int32_t trampoline(const char *status, void *userdata) noexcept {
        auto *self = static_cast<PinWaitState *>(userdata);
        try {
            return (*self->fn)(status) ? 0 : 1;
        } catch (...) {
            self->thrown = std::current_exception();
            return 1;
        }
    }
};

}  // namespace detail3

/// Queues `cid` for pinning on the public network; the content is fetched later:
/// wait for it with `pin_wait`.
inline Result<PinRequest> try_pin_by_cid(const Client &client, const std::string &cid,
                                         const PinByCidOptions &o = {}) {
    pinata_files_pin_options *raw_opts = nullptr;
    auto made = pinata::detail::call([&](pinata_error **e) { return pinata_files_pin_options_new(&raw_opts, e); });
    detail3::PinOptionsPtr h(raw_opts);
    if (!made) {
        return made.error();
    }
    auto st = pinata::detail::call([&](pinata_error **e) {
        return pinata_files_pin_options_set_name(h.get(), o.name ? o.name->c_str() : nullptr, e);
    });
    if (st) {
        st = pinata::detail::call([&](pinata_error **e) {
            return pinata_files_pin_options_set_group_id(h.get(), o.group_id ? o.group_id->c_str() : nullptr, e);
        });
    }
    for (const auto &[k, v] : o.keyvalues) {
        if (!st) break;
        st = pinata::detail::call(
            [&](pinata_error **e) { return pinata_files_pin_options_set_keyvalue(h.get(), k.c_str(), v.c_str(), e); });
    }
    for (const auto &node : o.host_nodes) {
        if (!st) break;
        st = pinata::detail::call(
            [&](pinata_error **e) { return pinata_files_pin_options_add_host_node(h.get(), node.c_str(), e); });
    }
    if (!st) {
        return st.error();
    }
    pinata_files_pin_request *raw = nullptr;
    st = pinata::detail::call([&](pinata_error **e) {
        return pinata_files_pin_by_cid(client.native_handle(), cid.c_str(), h.get(), &raw, e);
    });
    detail3::PinRequestPtr req(raw);
    if (!st) {
        return st.error();
    }
    return Result<PinRequest>(detail3::request_of(req.get()));
}
inline PinRequest pin_by_cid(const Client &client, const std::string &cid, const PinByCidOptions &o = {}) {
    return try_pin_by_cid(client, cid, o).value();
}

/// The queue's requests (every page), filtered by `status` and `cid` when given.
inline Result<std::vector<PinRequest>> try_pin_queue(const Client &client,
                                                     const std::optional<std::string> &status = std::nullopt,
                                                     const std::optional<std::string> &cid = std::nullopt,
                                                     std::optional<bool> ascending = std::nullopt,
                                                     uint32_t page_size = 0) {
    pinata_files_pin_queue_iter *raw_it = nullptr;
    auto started = pinata::detail::call([&](pinata_error **e) {
        return pinata_files_pin_queue_iter_new(
            client.native_handle(), status ? status->c_str() : nullptr, cid ? cid->c_str() : nullptr,
            ascending ? (*ascending ? PINATA_ORDER_ASC : PINATA_ORDER_DESC) : -1, page_size, &raw_it, e);
    });
    detail3::PinQueueIterPtr it(raw_it);
    if (!started) {
        return started.error();
    }
    return pinata::detail::drain<PinRequest, pinata_files_pin_request>(
        [&](const pinata_files_pin_request **r, pinata_error **e) {
            return pinata_files_pin_queue_iter_next(it.get(), r, e);
        },
        detail3::request_of);
}
inline std::vector<PinRequest> pin_queue(const Client &client, const std::optional<std::string> &status = std::nullopt,
                                         const std::optional<std::string> &cid = std::nullopt,
                                         std::optional<bool> ascending = std::nullopt, uint32_t page_size = 0) {
    return try_pin_queue(client, status, cid, ascending, page_size).value();
}

/// Cancels a queued request; an unknown id is `Status::NotFound`.
inline Result<void> try_pin_cancel(const Client &client, const std::string &id) {
    return pinata::detail::call(
        [&](pinata_error **e) { return pinata_files_pin_cancel(client.native_handle(), id.c_str(), e); });
}
inline void pin_cancel(const Client &client, const std::string &id) { try_pin_cancel(client, id).value(); }

/// Polls the request until it is pinned or has failed (a failed request is returned:
/// check `pinned()`), backing off from `interval` up to `max_interval` within `budget`
/// (`Status::Timeout` past it); 0 picks each default (10 min, 500 ms, 30 s).
/// `request.cid`, when not empty, narrows each poll and recognises the request once it
/// has left the queue pinned. `on_status` (may be empty) gets each new status; false
/// stops the wait (`Status::Cancelled`), as does the client's cancel flag; an exception
/// it throws is rethrown here. A request neither queued nor pinned is
/// `Status::NotFound`.
inline Result<PinRequest> try_pin_wait(const Client &client, const PinRequest &request,
                                       std::chrono::milliseconds budget = std::chrono::milliseconds(0),
                                       std::chrono::milliseconds interval = std::chrono::milliseconds(0),
                                       std::chrono::milliseconds max_interval = std::chrono::milliseconds(0),
                                       std::function<bool(const std::string &)> on_status = {}) {
    if (budget.count() < 0 || interval.count() < 0 || max_interval.count() < 0) {
        return pinata::detail::invalid_argument("durations must not be negative");
    }
    detail3::PinWaitState state;
    state.fn = &on_status;
    pinata_files_pin_request *raw = nullptr;
    auto st = pinata::detail::call([&](pinata_error **e) {
        return pinata_files_pin_wait(client.native_handle(), request.id.c_str(),
                                     request.cid.empty() ? nullptr : request.cid.c_str(),
                                     static_cast<uint64_t>(budget.count()), static_cast<uint64_t>(interval.count()),
                                     static_cast<uint64_t>(max_interval.count()),
                                     on_status ? &detail3::PinWaitState::trampoline : nullptr, &state, &raw, e);
    });
    detail3::PinRequestPtr done(raw);
    if (state.thrown) std::rethrow_exception(state.thrown);
    if (!st) {
        return st.error();
    }
    return Result<PinRequest>(detail3::request_of(done.get()));
}
inline PinRequest pin_wait(const Client &client, const PinRequest &request,
                           std::chrono::milliseconds budget = std::chrono::milliseconds(0),
                           std::chrono::milliseconds interval = std::chrono::milliseconds(0),
                           std::chrono::milliseconds max_interval = std::chrono::milliseconds(0),
                           std::function<bool(const std::string &)> on_status = {}) {
    return try_pin_wait(client, request, budget, interval, max_interval, std::move(on_status)).value();
}

}  // namespace v3
}  // namespace pinata

#endif  // PINATA_V3_HPP
