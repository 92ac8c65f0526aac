// pinata.hpp: a header-only C++17 wrapper over libpinata's C ABI (pinata.h).
//
// Conventions (they hold for everything below):
//
// Errors. Every fallible operation comes in two forms:
//   * `foo(...)` returns the value and throws `pinata::Error` on failure;
//   * `try_foo(...)` never throws `pinata::Error`: it returns a `pinata::Result<T>`
//     (`pinata::Result<void>` for operations without a value) that holds either the
//     value or the `Error`. `result.value()` returns the value or throws the error,
//     so `foo(...)` is exactly `try_foo(...).value()`.
//   `pinata::Error` derives from `std::runtime_error` (`what()` is libpinata's message)
//   and carries the status (`pinata::Status`, mirroring `PINATA_*`), the HTTP status (0
//   when no response was involved), Pinata's reason code and details (when the body
//   had them) and the Retry-After the server asked for (when it did). Either form may
//   still throw `std::bad_alloc`, and rethrows an exception thrown by a progress
//   callback (see below): those are not library errors.
//
// Ownership. Every libpinata handle is owned by exactly one C++ object and freed by
// its destructor. The types are move-only; a moved-from object holds no handle and may
// be destroyed, assigned to, or used again (calls on a client without a handle fail
// with `Status::InvalidArgument`; a builder without a handle means "the defaults").
// `native_handle()` exposes the C pointer (still owned by the wrapper) for interop.
//
// Builders (PinOptions, KeyPermissions, KeyQuery, PinJobQuery, PinListQuery,
// MetadataUpdate) are cheap to construct: the C handle is created by the first setter,
// so a default-constructed builder is exactly the C API's "NULL: the defaults".
// Setters return `*this` for chaining; their `try_` forms return `Result<void>`.
//
// Strings. Inputs are `std::string_view` (`std::optional<std::string_view>` where the
// C API accepts NULL to clear or leave unset). The C API takes NUL-terminated strings,
// so every view is copied into a `std::string` for the call; a view containing a NUL
// byte is refused with `Status::InvalidArgument` before libpinata is called. Outputs
// are `std::string`, or `std::optional<std::string>` where the C API may return NULL.
// Byte payloads are `std::string_view` or `(const void *, size_t)`.
//
// Threads. As in C: a configured `Client` may be used from many threads at once
// through its `const` member functions; its setters need exclusive access. Every
// other object belongs to one thread at a time but may move between threads.
// `CancelToken::request()` is safe from any thread.
//
// Callbacks. A progress callback is a `std::function<bool(uint64_t sent, uint64_t
// total)>`; returning `false` cancels the upload (`Status::Cancelled`). It runs on the
// calling thread. If it throws, the exception is caught before it can reach the C
// library, the call is cancelled, and the exception is rethrown (unchanged) once the C
// call has returned, by both the throwing and the `try_` forms.
//
// Lifetimes. Everything owns what it needs: a `PinList` (the pin-list iterator) keeps
// its own reference to the client that made it, options keep their own reference to a
// cancel token, a derived client may outlive its parent, and results and lists own
// their C handles.
//
// Names. C functions map to members of the type of their first handle: e.g.
// `pinata_keys_create` is `Client::create_key`, `pinata_keys_list(_all)` is
// `Client::list_keys`/`list_all_keys`, `pinata_keys_revoke` is `Client::revoke_key`,
// `pinata_pin_jobs_list` is `Client::list_pin_jobs`, `pinata_pin_job_wait` is
// `Client::wait_pin_job` (`_by_id`: `Client::wait_pin_job_by_id`),
// `pinata_pin_update_metadata` is `Client::update_metadata`, `pinata_pin_list_iter_new` is `Client::list_pins`,
// `pinata_client_new_jwt`/`_keys` are `Client::from_jwt`/`from_api_key`.
//
// Example:
//
//     auto client = pinata::Client::from_jwt(jwt);
//     pinata::PinOptions options;
//     options.set_name("site").set_keyvalue("env", "prod").set_cid_version(pinata::CidVersion::V1);
//     pinata::PinResult pin = client.pin_file("site/", options);
//     for (const pinata::PinRow &row : client.list_pins()) { std::cout << row.cid << "\n"; }
//     if (auto r = client.try_unpin(pin.cid()); !r) { std::cerr << r.error().what() << "\n"; }

#ifndef PINATA_HPP
#define PINATA_HPP

#include "pinata.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#if !PINATA_VERSION_AT_LEAST(0, 1, 0)
#error "pinata.hpp needs pinata.h 0.1.0 or later"
#endif

namespace pinata {

// ---------------------------------------------------------------------------------
// Status, Error, Result
// ---------------------------------------------------------------------------------

/// A libpinata status code; the values are those of the `PINATA_*` constants.
enum class Status : int32_t {
    Ok = PINATA_OK,                            ///< Success.
    InvalidArgument = PINATA_E_INVALID_ARGUMENT,  ///< Bad argument, refused before sending.
    Io = PINATA_E_IO,                          ///< Local file system error.
    Network = PINATA_E_NETWORK,                ///< DNS, connect, connection reset, proxy.
    Timeout = PINATA_E_TIMEOUT,                ///< Connect, stall or overall timeout.
    Cancelled = PINATA_E_CANCELLED,            ///< A progress callback or cancel token stopped the call.
    Unauthorized = PINATA_E_UNAUTHORIZED,      ///< 401 (bad credentials).
    Forbidden = PINATA_E_FORBIDDEN,            ///< 403: missing scope, revoked or exhausted key.
    NotFound = PINATA_E_NOT_FOUND,             ///< 404, or unpin of a CID not pinned by this account.
    RateLimited = PINATA_E_RATE_LIMITED,       ///< 429 after the retry budget.
    BadRequest = PINATA_E_BAD_REQUEST,         ///< Any other 4xx.
    Server = PINATA_E_SERVER,                  ///< 5xx after the retry budget.
    Protocol = PINATA_E_PROTOCOL,              ///< A response that cannot be understood.
    Integrity = PINATA_E_INTEGRITY,            ///< The service's CID differs from the local one.
    Internal = PINATA_E_INTERNAL,              ///< A caught panic or internal bug.
    Tls = PINATA_E_TLS,                        ///< TLS handshake or certificate verification failed.
};

/// The HTTP version a client negotiates (`PINATA_HTTP_VERSION_*`).
enum class HttpVersion : int32_t {
    Auto = PINATA_HTTP_VERSION_AUTO,  ///< The library chooses per request type (default).
    Http1_1 = PINATA_HTTP_VERSION_1_1,  ///< HTTP/1.1 for every call.
    Http2 = PINATA_HTTP_VERSION_2,  ///< HTTP/2 (ALPN over https://) for every call.
};

/// The C name of a status, e.g. `"PINATA_E_TIMEOUT"` (`"PINATA_E_UNKNOWN"` for values
/// this version does not know). Never null; the string is static.
inline const char *status_name(Status status) noexcept {
    return pinata_status_str(static_cast<pinata_status>(status));
}

/// Writes `status_name(status)`.
inline std::ostream &operator<<(std::ostream &out, Status status) {
    return out << status_name(status);
}

/// A failed libpinata call (or an argument the wrapper refused before calling it).
/// Copying is cheap and never throws, as an exception type's copy should.
class Error : public std::runtime_error {
public:
    /// Builds an error by hand (the wrapper builds them from `pinata_error` handles).
    Error(Status status, const std::string &message, int32_t http_status = 0,
          std::optional<std::string> reason = std::nullopt,
          std::optional<std::string> details = std::nullopt,
          std::optional<std::chrono::seconds> retry_after = std::nullopt)
        : std::runtime_error(message),
          status_(status),
          http_status_(http_status),
          retry_after_(retry_after),
          text_(std::make_shared<const Text>(Text{std::move(reason), std::move(details)})) {}

    /// The status (never `Status::Ok`).
    Status status() const noexcept { return status_; }
    /// The C name of the status, e.g. `"PINATA_E_UNAUTHORIZED"`.
    const char *status_name() const noexcept { return pinata::status_name(status_); }
    /// The HTTP status of the response behind the error; 0 when there was none.
    int32_t http_status() const noexcept { return http_status_; }
    /// Pinata's machine-readable reason, e.g. `"INVALID_CREDENTIALS"`, when given.
    const std::optional<std::string> &reason() const noexcept { return text_->reason; }
    /// The details text of the error body, when given.
    const std::optional<std::string> &details() const noexcept { return text_->details; }
    /// How long the server asked to wait before retrying, when it said.
    std::optional<std::chrono::seconds> retry_after() const noexcept { return retry_after_; }
    /// The human-readable message (same as `what()`); never contains credentials.
    std::string message() const { return what(); }

private:
    struct Text {
        std::optional<std::string> reason;
        std::optional<std::string> details;
    };
    Status status_;
    int32_t http_status_;
    std::optional<std::chrono::seconds> retry_after_;
    std::shared_ptr<const Text> text_;
};

/// Either a `T` or the `Error` that prevented it: what every `try_` function returns.
/// `value()` returns the value or throws the error.
template <class T>
class [[nodiscard]] Result {
public:
    using value_type = T;

    /// A success holding `value`.
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    /// A failure holding `error`.
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

    /// True on success.
    bool ok() const noexcept { return v_.index() == 0; }
    /// True on success.
    explicit operator bool() const noexcept { return ok(); }
    /// `Status::Ok` on success, else the error's status.
    Status status() const noexcept { return ok() ? Status::Ok : std::get<1>(v_).status(); }

    /// The value; throws the held `Error` on failure.
    T &value() & {
        throw_if_error();
        return std::get<0>(v_);
    }
    /// The value; throws the held `Error` on failure.
    const T &value() const & {
        throw_if_error();
        return std::get<0>(v_);
    }
    /// The value, moved out; throws the held `Error` on failure.
    T &&value() && {
        throw_if_error();
        return std::get<0>(std::move(v_));
    }
    /// The value, or `fallback` on failure.
    template <class U>
    T value_or(U &&fallback) const & {
        return ok() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
    }
    /// The value (moved out), or `fallback` on failure.
    template <class U>
    T value_or(U &&fallback) && {
        return ok() ? std::get<0>(std::move(v_)) : static_cast<T>(std::forward<U>(fallback));
    }

    /// The error. Precondition: `!ok()` (else throws `std::bad_variant_access`).
    const Error &error() const & { return std::get<1>(v_); }

    /// The value. Precondition: `ok()` (else throws `std::bad_variant_access`).
    T &operator*() & { return std::get<0>(v_); }
    /// The value. Precondition: `ok()`.
    const T &operator*() const & { return std::get<0>(v_); }
    /// The value, moved out. Precondition: `ok()`.
    T &&operator*() && { return std::get<0>(std::move(v_)); }
    /// Member access to the value. Precondition: `ok()`.
    T *operator->() { return &std::get<0>(v_); }
    /// Member access to the value. Precondition: `ok()`.
    const T *operator->() const { return &std::get<0>(v_); }

private:
    void throw_if_error() const {
        if (!ok()) {
            throw std::get<1>(v_);
        }
    }
    std::variant<T, Error> v_;
};

/// The outcome of an operation without a value: success, or an `Error`.
template <>
class [[nodiscard]] Result<void> {
public:
    using value_type = void;

    /// A success.
    Result() noexcept = default;
    /// A failure holding `error`.
    Result(Error error) : error_(std::move(error)) {}

    /// True on success.
    bool ok() const noexcept { return !error_.has_value(); }
    /// True on success.
    explicit operator bool() const noexcept { return ok(); }
    /// `Status::Ok` on success, else the error's status.
    Status status() const noexcept { return ok() ? Status::Ok : error_->status(); }
    /// Returns on success; throws the held `Error` on failure.
    void value() const {
        if (error_) {
            throw *error_;
        }
    }
    /// The error. Precondition: `!ok()` (else throws `std::bad_optional_access`).
    const Error &error() const { return error_.value(); }

private:
    std::optional<Error> error_;
};

// ---------------------------------------------------------------------------------
// Enumerations and small value types
// ---------------------------------------------------------------------------------

/// The CID version of uploads and of locally computed CIDs.
enum class CidVersion : int32_t {
    ServiceDefault = -1,  ///< Leave the service's default (pin options only; v0 on the legacy API).
    V0 = 0,               ///< `Qm…`, dag-pb leaves.
    V1 = 1,               ///< `bafy…`/`bafk…`, raw leaves.
};

/// The outcome of the local CID check of an upload (`PINATA_CID_*`).
enum class CidCheck : int32_t {
    NotChecked = PINATA_CID_NOT_CHECKED,      ///< Verification was off.
    Verified = PINATA_CID_VERIFIED,           ///< The service's CID equals the local one.
    Unverifiable = PINATA_CID_UNVERIFIABLE,   ///< No local CID profile applies; nothing concluded.
};

/// The importer settings ("CID profile") whose local CID equals the service's
/// (`PINATA_CID_PROFILE_*`): `PinResult::cid_profile`, `Client::learned_cid_profile`.
enum class CidProfile : int32_t {
    None = PINATA_CID_PROFILE_NONE,                   ///< The check was off, did not match, or matched no profile's own form.
    KuboV0 = PINATA_CID_PROFILE_KUBO_V0,              ///< kubo's default: CIDv0, dag-pb leaves, 256 KiB chunks.
    KuboV1 = PINATA_CID_PROFILE_KUBO_V1,              ///< kubo `--cid-version=1`: CIDv1, raw leaves, 256 KiB chunks.
    UnixfsV1_2025 = PINATA_CID_PROFILE_UNIXFS_V1_2025,  ///< unixfs-v1-2025 (IPIP-499): CIDv1, raw leaves, 1 MiB chunks.
};

/// A legacy endpoint a new API key may be allowed (`PINATA_ENDPOINT_*`).
enum class Endpoint : int32_t {
    PinList = PINATA_ENDPOINT_PIN_LIST,                            ///< `GET /data/pinList`.
    UserPinnedDataTotal = PINATA_ENDPOINT_USER_PINNED_DATA_TOTAL,  ///< `GET /data/userPinnedDataTotal`.
    HashMetadata = PINATA_ENDPOINT_HASH_METADATA,                  ///< `PUT /pinning/hashMetadata`.
    HashPinPolicy = PINATA_ENDPOINT_HASH_PIN_POLICY,               ///< `PUT /pinning/hashPinPolicy` (deprecated).
    PinByHash = PINATA_ENDPOINT_PIN_BY_HASH,                       ///< `POST /pinning/pinByHash`.
    PinFileToIpfs = PINATA_ENDPOINT_PIN_FILE_TO_IPFS,              ///< `POST /pinning/pinFileToIPFS`.
    PinJsonToIpfs = PINATA_ENDPOINT_PIN_JSON_TO_IPFS,              ///< `POST /pinning/pinJSONToIPFS`.
    PinJobs = PINATA_ENDPOINT_PIN_JOBS,                            ///< `GET /pinning/pinJobs`.
    Unpin = PINATA_ENDPOINT_UNPIN,                                 ///< `DELETE /pinning/unpin/{cid}`.
    UserPinPolicy = PINATA_ENDPOINT_USER_PIN_POLICY,               ///< `PUT /pinning/userPinPolicy` (deprecated).
};

/// A `metadata[keyvalues]` operator of the pin list (`PINATA_OP_*`).
enum class KeyvalueOp : int32_t {
    Gt = PINATA_OP_GT,                   ///< Greater than.
    Gte = PINATA_OP_GTE,                 ///< Greater than or equal.
    Lt = PINATA_OP_LT,                   ///< Less than.
    Lte = PINATA_OP_LTE,                 ///< Less than or equal.
    Ne = PINATA_OP_NE,                   ///< Not equal.
    Eq = PINATA_OP_EQ,                   ///< Equal.
    Between = PINATA_OP_BETWEEN,         ///< Between value and second value (inclusive).
    NotBetween = PINATA_OP_NOT_BETWEEN,  ///< Not between value and second value.
    Like = PINATA_OP_LIKE,               ///< SQL LIKE (`%` and `_` wildcards).
    NotLike = PINATA_OP_NOT_LIKE,        ///< SQL NOT LIKE.
    ILike = PINATA_OP_ILIKE,             ///< Case-insensitive LIKE.
    NotILike = PINATA_OP_NOT_ILIKE,      ///< Case-insensitive NOT LIKE.
    Regexp = PINATA_OP_REGEXP,           ///< Regular expression match.
    IRegexp = PINATA_OP_IREGEXP,         ///< Case-insensitive regular expression match.
};

/// The C name of an endpoint, e.g. `"PINATA_ENDPOINT_UNPIN"` (`"PINATA_ENDPOINT_UNKNOWN"`
/// for values this version does not know). Never null; the string is static.
inline const char *endpoint_name(Endpoint endpoint) noexcept {
    return pinata_endpoint_str(static_cast<pinata_endpoint>(endpoint));
}

/// Writes `endpoint_name(endpoint)`.
inline std::ostream &operator<<(std::ostream &out, Endpoint endpoint) {
    return out << endpoint_name(endpoint);
}

/// The C name of an operator, e.g. `"PINATA_OP_GT"` (`"PINATA_OP_UNKNOWN"` for values
/// this version does not know). Never null; the string is static.
inline const char *keyvalue_op_name(KeyvalueOp op) noexcept {
    return pinata_keyvalue_op_str(static_cast<pinata_keyvalue_op>(op));
}

/// Writes `keyvalue_op_name(op)`.
inline std::ostream &operator<<(std::ostream &out, KeyvalueOp op) {
    return out << keyvalue_op_name(op);
}

/// Which records the pin list returns (`PINATA_PIN_STATUS_*`).
enum class PinStatusFilter : int32_t {
    All = PINATA_PIN_STATUS_ALL,            ///< Pinned and unpinned (the service's default).
    Pinned = PINATA_PIN_STATUS_PINNED,      ///< Currently pinned.
    Unpinned = PINATA_PIN_STATUS_UNPINNED,  ///< Unpinned.
};

/// The order of the pin-job list.
enum class JobSort : int32_t {
    ServiceDefault = -1,  ///< The service's default order.
    NewestFirst = 0,      ///< By queue date, newest first.
    OldestFirst = 1,      ///< By queue date, oldest first.
};

/// A progress callback: `sent` of `total` request-body bytes have gone out. Return
/// `false` to cancel the call. See the preamble for exceptions.
using ProgressFn = std::function<bool(uint64_t sent, uint64_t total)>;

/// Usage totals (`GET /data/userPinnedDataTotal`).
struct Usage {
    uint64_t pin_count = 0;               ///< Number of pins.
    uint64_t size_total = 0;              ///< Their total size in bytes.
    uint64_t size_with_replications = 0;  ///< The total size with replications.
};

/// One API key record of a `KeyList`.
struct KeyInfo {
    std::string id;                         ///< The record's id.
    std::string name;                       ///< The key's name.
    std::string key;                        ///< The key's `pinata_api_key` value.
    std::optional<std::string> created_at;  ///< Creation time, ISO-8601, when known.
    uint64_t max_uses = 0;                  ///< Maximum number of uses; 0 when unlimited.
    uint64_t uses = 0;                      ///< Uses so far.
    bool revoked = false;                   ///< Whether the key is revoked.
    bool admin = false;                     ///< Whether the key is an admin key.
    std::string raw_json;                   ///< The whole row as JSON (secrets removed).
};

/// One pin-by-CID job, copied out of a `PinJob` or a `PinJobList`.
struct PinJobInfo {
    std::string id;                           ///< The job's id.
    std::string cid;                          ///< The CID being pinned.
    std::string status;                       ///< `prechecking`, `searching`, `retrieving`, ….
    std::optional<std::string> name;          ///< The pin's name, when it has one.
    std::optional<std::string> date_queued;   ///< When it was queued (list rows only).
    std::string raw_json;                     ///< The job's whole JSON.
};

/// One pin record, yielded by iterating a `PinList`.
struct PinRow {
    std::string id;                             ///< The record's id.
    std::string cid;                            ///< The CID.
    uint64_t size = 0;                          ///< Size in bytes.
    std::optional<std::string> date_pinned;     ///< When it was pinned, ISO-8601, when known.
    std::optional<std::string> date_unpinned;   ///< When it was unpinned; empty while pinned.
    std::optional<std::string> name;            ///< The pin's name, when it has one.
    std::string keyvalues_json;                 ///< The keyvalues as JSON: an object, or `null`.
    std::string raw_json;                       ///< The whole record as JSON.
};

// ---------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------

namespace detail {

/// Calls a libpinata free function; the deleter of every owning pointer below.
template <auto Free>
struct Deleter {
    template <class T>
    void operator()(T *p) const noexcept {
        Free(p);
    }
};

template <class T, auto Free>
using Owned = std::unique_ptr<T, Deleter<Free>>;

using StringPtr = Owned<char, &pinata_string_free>;
using CallPtr = Owned<pinata_call, &pinata_call_free>;
using ErrorPtr = Owned<pinata_error, &pinata_error_free>;
using ClientPtr = Owned<pinata_client, &pinata_client_free>;
using CancelPtr = Owned<pinata_cancel, &pinata_cancel_free>;
using KeyPermissionsPtr = Owned<pinata_key_permissions, &pinata_key_permissions_free>;
using KeyResultPtr = Owned<pinata_key_result, &pinata_key_result_free>;
using KeyQueryPtr = Owned<pinata_key_query, &pinata_key_query_free>;
using KeyListPtr = Owned<pinata_key_list, &pinata_key_list_free>;
using PinOptionsPtr = Owned<pinata_pin_options, &pinata_pin_options_free>;
using PinResultPtr = Owned<pinata_pin_result, &pinata_pin_result_free>;
using PinJobPtr = Owned<pinata_pin_job, &pinata_pin_job_free>;
using PinJobQueryPtr = Owned<pinata_pin_job_query, &pinata_pin_job_query_free>;
using PinJobListPtr = Owned<pinata_pin_job_list, &pinata_pin_job_list_free>;
using MetadataUpdatePtr = Owned<pinata_metadata_update, &pinata_metadata_update_free>;
using PinListQueryPtr = Owned<pinata_pin_list_query, &pinata_pin_list_query_free>;
using PinListIterPtr = Owned<pinata_pin_list_iter, &pinata_pin_list_iter_free>;

inline std::string str(const char *s) { return s != nullptr ? std::string(s) : std::string(); }

inline std::optional<std::string> opt_str(const char *s) {
    return s != nullptr ? std::optional<std::string>(s) : std::nullopt;
}

/// Takes ownership of `raw` (may be null) and turns it into an `Error`.
inline Error make_error(pinata_status status, pinata_error *raw) {
    ErrorPtr err(raw);
    if (!err) {
        return Error(static_cast<Status>(status),
                     std::string("libpinata call failed: ") + pinata_status_str(status));
    }
    const char *message = pinata_error_message(err.get());
    const int64_t retry_after = pinata_error_retry_after(err.get());
    // The error object's own status: the same value the call returned.
    status = pinata_error_status(err.get());
    return Error(static_cast<Status>(status),
                 message != nullptr ? message : pinata_status_str(status),
                 pinata_error_http_status(err.get()), opt_str(pinata_error_reason(err.get())),
                 opt_str(pinata_error_details(err.get())),
                 retry_after >= 0 ? std::optional<std::chrono::seconds>(retry_after)
                                  : std::nullopt);
}

inline Error invalid_argument(const std::string &message) {
    return Error(Status::InvalidArgument, message);
}

/// Runs `f(&err)`, a libpinata call, and converts its status and error object.
template <class F>
Result<void> call(F &&f) {
    pinata_error *err = nullptr;
    const pinata_status status = std::forward<F>(f)(&err);
    if (status == PINATA_OK) {
        pinata_error_free(err);  // never set on success; freeing NULL is a no-op
        return Result<void>();
    }
    return make_error(status, err);
}

/// Drains an iterator handle: `next(&row, &err)` (a `pinata_*_iter_next` call) lends a
/// row until it gives NULL; `copy(row)` turns each into its C++ value. The first
/// failure is returned instead of the rows.
template <class T, class Row, class Next, class Copy>
Result<std::vector<T>> drain(Next &&next, Copy &&copy) {
    std::vector<T> out;
    for (;;) {
        const Row *row = nullptr;
        auto status = call([&](pinata_error **err) { return next(&row, err); });
        if (!status) {
            return status.error();
        }
        if (row == nullptr) {
            return Result<std::vector<T>>(std::move(out));
        }
        out.push_back(copy(row));
    }
}

/// A NUL-terminated copy of a string argument (the C API takes `const char *`).
class CStr {
public:
    CStr(std::string_view value, const char *name)
        : s_(value), name_(name), nul_(value.find('\0') != std::string_view::npos) {}
    const char *c_str() const noexcept { return s_.c_str(); }
    bool has_nul() const noexcept { return nul_; }
    const char *name() const noexcept { return name_; }

private:
    std::string s_;
    const char *name_;
    bool nul_;
};

/// Like `CStr` for an optional argument: `std::nullopt` becomes NULL.
class OptCStr {
public:
    OptCStr(const std::optional<std::string_view> &value, const char *name)
        : s_(value ? std::string(*value) : std::string()),
          name_(name),
          has_(value.has_value()),
          nul_(value && value->find('\0') != std::string_view::npos) {}
    const char *c_str() const noexcept { return has_ ? s_.c_str() : nullptr; }
    bool has_nul() const noexcept { return nul_; }
    const char *name() const noexcept { return name_; }

private:
    std::string s_;
    const char *name_;
    bool has_;
    bool nul_;
};

/// The error for the first argument holding a NUL byte, if any.
template <class... A>
std::optional<Error> nul_error(const A &...args) {
    std::optional<Error> error;
    auto check = [&error](const auto &arg) {
        if (!error && arg.has_nul()) {
            error.emplace(invalid_argument(std::string("`") + arg.name() +
                                           "` contains a NUL byte"));
        }
    };
    (check(args), ...);
    return error;
}

/// Milliseconds as the C API's `uint64_t`; negative durations are refused.
inline std::optional<Error> negative_error(std::chrono::milliseconds value, const char *name) {
    if (value.count() < 0) {
        return invalid_argument(std::string("`") + name + "` is negative");
    }
    return std::nullopt;
}

/// Where a `PinOptions` progress callback lives: on the heap, so its address (the C
/// userdata) survives moves of the options.
struct ProgressState {
    ProgressFn fn;
    std::exception_ptr error;  ///< An exception the callback threw during the current call.
};

extern "C" {
/// The C progress callback: calls the `std::function`, never lets an exception out.
inline int32_t pinata_cpp_progress_trampoline(uint64_t sent, uint64_t total,
                                              void *userdata) noexcept {
    auto *state = static_cast<ProgressState *>(userdata);
    if (state == nullptr || state->error) {
        return 1;
    }
    try {
        return state->fn(sent, total) ? 0 : 1;
    } catch (...) {
        state->error = std::current_exception();
        return 1;  // cancel; the exception is rethrown once the C call returns
    }
}
}

/// Brackets one C call that may invoke a progress callback: clears any stale captured
/// exception first, and rethrows the one captured during the call afterwards.
class ProgressScope {
public:
    explicit ProgressScope(ProgressState *state) noexcept : state_(state) {
        if (state_ != nullptr) {
            state_->error = nullptr;
        }
    }
    ProgressScope(const ProgressScope &) = delete;
    ProgressScope &operator=(const ProgressScope &) = delete;
    ~ProgressScope() {
        if (state_ != nullptr) {
            state_->error = nullptr;
        }
    }
    void rethrow_if_any() {
        if (state_ != nullptr && state_->error) {
            std::exception_ptr error = std::exchange(state_->error, nullptr);
            std::rethrow_exception(error);
        }
    }

private:
    ProgressState *state_;
};

/// An input iterator over an indexable list (`size()`, `operator[]`), caching the
/// current element so that `*it` is a stable `const Value &`.
template <class List, class Value>
class IndexIterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Value;
    using difference_type = std::ptrdiff_t;
    using pointer = const Value *;
    using reference = const Value &;

    IndexIterator() = default;
    IndexIterator(const List *list, std::size_t index) : list_(list), index_(index) { load(); }

    reference operator*() const { return *current_; }
    pointer operator->() const { return &*current_; }
    IndexIterator &operator++() {
        ++index_;
        load();
        return *this;
    }
    IndexIterator operator++(int) {
        IndexIterator before = *this;
        ++*this;
        return before;
    }
    friend bool operator==(const IndexIterator &a, const IndexIterator &b) noexcept {
        return a.list_ == b.list_ && a.index_ == b.index_;
    }
    friend bool operator!=(const IndexIterator &a, const IndexIterator &b) noexcept {
        return !(a == b);
    }

private:
    void load() {
        if (list_ != nullptr && index_ < list_->size()) {
            current_ = (*list_)[index_];
        } else {
            current_.reset();
        }
    }
    const List *list_ = nullptr;
    std::size_t index_ = 0;
    std::optional<Value> current_;
};

/// An input iterator over a list fetched page by page (`PinList`, `PsaList`):
/// `List::next()` gives the next row, or `std::nullopt` at the end, and throws `Error`
/// when a page cannot be fetched (the iteration may then be resumed). Equal to the end
/// iterator once the rows run out.
template <class List, class Row>
class WalkIterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Row;
    using difference_type = std::ptrdiff_t;
    using pointer = const Row *;
    using reference = const Row &;

    /// The end iterator.
    WalkIterator() noexcept = default;
    reference operator*() const { return *row_; }
    pointer operator->() const { return &*row_; }
    /// Fetches the next row (may make a request).
    WalkIterator &operator++() {
        row_ = list_->next();
        if (!row_) {
            list_ = nullptr;
        }
        return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const WalkIterator &a, const WalkIterator &b) noexcept {
        return a.list_ == b.list_;
    }
    friend bool operator!=(const WalkIterator &a, const WalkIterator &b) noexcept {
        return !(a == b);
    }

private:
    friend List;
    /// On the first row of `list` (fetching it).
    explicit WalkIterator(List *list) : list_(list) { ++*this; }
    List *list_ = nullptr;
    std::optional<Row> row_;
};

inline std::optional<uint64_t> total_of(int64_t total) noexcept {
    return total >= 0 ? std::optional<uint64_t>(static_cast<uint64_t>(total)) : std::nullopt;
}

inline Result<std::string> take_string(Result<void> status, StringPtr &out) {
    if (!status) {
        return status.error();
    }
    return str(out.get());
}

}  // namespace detail

// ---------------------------------------------------------------------------------
// Version and local CIDs
// ---------------------------------------------------------------------------------

/// The library's version, e.g. `"0.1.0"` (the header's is `PINATA_VERSION_STRING`).
inline std::string version() { return pinata_version(); }

/// The library's version as `(major << 16) | (minor << 8) | patch`.
inline uint32_t version_number() noexcept { return pinata_version_number(); }

/// Computes the CID of a file, or of a directory recursively, as `ipfs add` (`-r`)
/// does with kubo's defaults. `version` must be `V0` or `V1`. Reads the file system only.
inline Result<std::string> try_cid_of_path(std::string_view path, CidVersion version) {
    detail::CStr p(path, "path");
    if (auto e = detail::nul_error(p)) {
        return *e;
    }
    char *raw = nullptr;
    auto status = detail::call([&](pinata_error **err) {
        return pinata_cid_of_path(p.c_str(), static_cast<int32_t>(version), &raw, err);
    });
    detail::StringPtr out(raw);
    return detail::take_string(std::move(status), out);
}

/// Throwing form of `try_cid_of_path`.
inline std::string cid_of_path(std::string_view path, CidVersion version) {
    return try_cid_of_path(path, version).value();
}

/// Like `try_cid_of_path`, hashing large files on `threads` threads (0: one per core);
/// the CID is the same as with one thread.
inline Result<std::string> try_cid_of_path(std::string_view path, CidVersion version,
                                           uint32_t threads) {
    detail::CStr p(path, "path");
    if (auto e = detail::nul_error(p)) {
        return *e;
    }
    char *raw = nullptr;
    auto status = detail::call([&](pinata_error **err) {
        return pinata_cid_of_path_threads(p.c_str(), static_cast<int32_t>(version), threads,
                                          &raw, err);
    });
    detail::StringPtr out(raw);
    return detail::take_string(std::move(status), out);
}

/// Throwing form of the threaded `try_cid_of_path`.
inline std::string cid_of_path(std::string_view path, CidVersion version, uint32_t threads) {
    return try_cid_of_path(path, version, threads).value();
}

/// Computes the CID of `size` bytes at `data` as `ipfs add` of a file with that content.
/// `(nullptr, 0)` is the empty file. `version` must be `V0` or `V1`.
inline Result<std::string> try_cid_of_bytes(const void *data, std::size_t size,
                                            CidVersion version) {
    char *raw = nullptr;
    auto status = detail::call([&](pinata_error **err) {
        return pinata_cid_of_bytes(static_cast<const uint8_t *>(data), size,
                                   static_cast<int32_t>(version), &raw, err);
    });
    detail::StringPtr out(raw);
    return detail::take_string(std::move(status), out);
}

/// Computes the CID of the bytes of `data` (any bytes, NULs included).
inline Result<std::string> try_cid_of_bytes(std::string_view data, CidVersion version) {
    return try_cid_of_bytes(data.empty() ? nullptr : data.data(), data.size(), version);
}

/// Throwing form of `try_cid_of_bytes`.
inline std::string cid_of_bytes(const void *data, std::size_t size, CidVersion version) {
    return try_cid_of_bytes(data, size, version).value();
}

/// Throwing form of `try_cid_of_bytes`.
inline std::string cid_of_bytes(std::string_view data, CidVersion version) {
    return try_cid_of_bytes(data, version).value();
}

// ---------------------------------------------------------------------------------
// CancelToken
// ---------------------------------------------------------------------------------

/// A cancel flag (`pinata_cancel`). Raising it stops every call using it: uploads
/// whose `PinOptions` carry it, and every call of a client made by
/// `Client::with_cancel`. `request()` and `reset()` are safe from any thread.
class CancelToken {
public:
    /// Creates a flag, not raised. Throws `Error` if libpinata cannot make one.
    CancelToken() : CancelToken(try_create().value()) {}

    /// Non-throwing construction.
    static Result<CancelToken> try_create() {
        pinata_cancel *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) { return pinata_cancel_new(&raw, err); });
        detail::CancelPtr owned(raw);
        if (!status) {
            return status.error();
        }
        return Result<CancelToken>(CancelToken(std::move(owned)));
    }

    /// Raises the flag: calls in flight return `Status::Cancelled` promptly.
    void request() const noexcept { pinata_cancel_request(h_.get()); }
    /// Lowers the flag so that it can serve later calls.
    void reset() const noexcept { pinata_cancel_reset(h_.get()); }

    /// The C handle (still owned by this object); null after a move.
    pinata_cancel *native_handle() const noexcept { return h_.get(); }

private:
    explicit CancelToken(detail::CancelPtr h) noexcept : h_(std::move(h)) {}
    detail::CancelPtr h_;
};

// ---------------------------------------------------------------------------------
// Keys: permissions, results, queries, lists
// ---------------------------------------------------------------------------------

/// The permissions of a new API key: admin, or a set of legacy endpoints and v3
/// resource scopes.
class KeyPermissions {
public:
    /// No permission (not admin, no endpoint). No C handle is made until a setter runs.
    KeyPermissions() noexcept = default;

    /// Makes the key an admin key (every endpoint, key management included) or not.
    Result<void> try_set_admin(bool admin) {
        return with_handle([&](pinata_error **err) {
            return pinata_key_permissions_set_admin(h_.get(), admin, err);
        });
    }
    /// Throwing form of `try_set_admin`.
    KeyPermissions &set_admin(bool admin) {
        try_set_admin(admin).value();
        return *this;
    }

    /// Allows one legacy endpoint.
    Result<void> try_allow(Endpoint endpoint) {
        return with_handle([&](pinata_error **err) {
            return pinata_key_permissions_allow_endpoint(
                h_.get(), static_cast<pinata_endpoint>(endpoint), err);
        });
    }
    /// Throwing form of `try_allow`.
    KeyPermissions &allow(Endpoint endpoint) {
        try_allow(endpoint).value();
        return *this;
    }

    /// Allows one v3 resource scope, e.g. `"org:files:read"`.
    Result<void> try_allow_resource(std::string_view resource) {
        detail::CStr r(resource, "resource");
        if (auto e = detail::nul_error(r)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_key_permissions_allow_resource(h_.get(), r.c_str(), err);
        });
    }
    /// Throwing form of `try_allow_resource`.
    KeyPermissions &allow_resource(std::string_view resource) {
        try_allow_resource(resource).value();
        return *this;
    }

    /// The C handle (owned by this object); null until the first setter.
    pinata_key_permissions *native_handle() const noexcept { return h_.get(); }

private:
    template <class F>
    Result<void> with_handle(F &&f) {
        if (!h_) {
            pinata_key_permissions *raw = nullptr;
            auto made = detail::call(
                [&](pinata_error **err) { return pinata_key_permissions_new(&raw, err); });
            h_.reset(raw);
            if (!made) {
                return made;
            }
        }
        return detail::call(std::forward<F>(f));
    }
    detail::KeyPermissionsPtr h_;
};

/// A newly created API key. Pinata shows the secret and the JWT only once. The C
/// handle wipes them when this object is destroyed; the `std::string` copies returned
/// by `secret()` and `jwt()` are the caller's to protect.
class KeyResult {
public:
    /// Adopts a C handle (may be null).
    explicit KeyResult(pinata_key_result *adopt = nullptr) noexcept : h_(adopt) {}

    /// The new key's `pinata_api_key`.
    std::string api_key() const { return detail::str(pinata_key_result_api_key(h_.get())); }
    /// The new key's secret (for the `pinata_secret_api_key` header).
    std::string secret() const { return detail::str(pinata_key_result_secret(h_.get())); }
    /// The new key's JWT.
    std::string jwt() const { return detail::str(pinata_key_result_jwt(h_.get())); }

    /// The C handle (owned by this object).
    pinata_key_result *native_handle() const noexcept { return h_.get(); }

private:
    detail::KeyResultPtr h_;
};

/// Filters and offset for `Client::list_keys` / `Client::list_all_keys`.
class KeyQuery {
public:
    /// No filter, offset 0. No C handle is made until a setter runs.
    KeyQuery() noexcept = default;

    /// Filters on revocation, on having a use limit and, with a limit, on being used
    /// up. `std::nullopt` means "any" (the default) for each.
    Result<void> try_set_flags(std::optional<bool> revoked, std::optional<bool> limited_use,
                               std::optional<bool> exhausted) {
        auto flag = [](std::optional<bool> v) { return v ? (*v ? 1 : 0) : -1; };
        return with_handle([&](pinata_error **err) {
            return pinata_key_query_set_flags(h_.get(), flag(revoked), flag(limited_use),
                                              flag(exhausted), err);
        });
    }
    /// Throwing form of `try_set_flags`.
    KeyQuery &set_flags(std::optional<bool> revoked, std::optional<bool> limited_use = std::nullopt,
                        std::optional<bool> exhausted = std::nullopt) {
        try_set_flags(revoked, limited_use, exhausted).value();
        return *this;
    }

    /// Only keys whose name contains `name` (case-insensitive); `std::nullopt` clears.
    Result<void> try_set_name(std::optional<std::string_view> name) {
        detail::OptCStr n(name, "name");
        if (auto e = detail::nul_error(n)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_key_query_set_name(h_.get(), n.c_str(), err);
        });
    }
    /// Throwing form of `try_set_name`.
    KeyQuery &set_name(std::optional<std::string_view> name) {
        try_set_name(name).value();
        return *this;
    }

    /// Rows to skip.
    Result<void> try_set_offset(uint64_t offset) {
        return with_handle([&](pinata_error **err) {
            return pinata_key_query_set_offset(h_.get(), offset, err);
        });
    }
    /// Throwing form of `try_set_offset`.
    KeyQuery &set_offset(uint64_t offset) {
        try_set_offset(offset).value();
        return *this;
    }

    /// The C handle (owned by this object); null until the first setter (no filter).
    pinata_key_query *native_handle() const noexcept { return h_.get(); }

private:
    template <class F>
    Result<void> with_handle(F &&f) {
        if (!h_) {
            pinata_key_query *raw = nullptr;
            auto made =
                detail::call([&](pinata_error **err) { return pinata_key_query_new(&raw, err); });
            h_.reset(raw);
            if (!made) {
                return made;
            }
        }
        return detail::call(std::forward<F>(f));
    }
    detail::KeyQueryPtr h_;
};

/// A list of API keys. Usable in a range-for loop yielding `KeyInfo` values.
class KeyList {
public:
    using iterator = detail::IndexIterator<KeyList, KeyInfo>;
    using const_iterator = iterator;

    /// Adopts a C handle (may be null: an empty list).
    explicit KeyList(pinata_key_list *adopt = nullptr) noexcept : h_(adopt) {}

    /// Number of rows.
    std::size_t size() const noexcept { return pinata_key_list_len(h_.get()); }
    /// True when there is no row.
    bool empty() const noexcept { return size() == 0; }
    /// The total the service reported for the query, when it reported one.
    std::optional<uint64_t> total() const noexcept {
        return detail::total_of(pinata_key_list_total(h_.get()));
    }
    /// Row `index`, copied out. Precondition: `index < size()`.
    KeyInfo operator[](std::size_t index) const {
        const pinata_key_info *info = pinata_key_list_get(h_.get(), index);
        KeyInfo out;
        out.id = detail::str(pinata_key_info_id(info));
        out.name = detail::str(pinata_key_info_name(info));
        out.key = detail::str(pinata_key_info_key(info));
        out.created_at = detail::opt_str(pinata_key_info_created_at(info));
        out.max_uses = pinata_key_info_max_uses(info);
        out.uses = pinata_key_info_uses(info);
        out.revoked = pinata_key_info_revoked(info);
        out.admin = pinata_key_info_admin(info);
        out.raw_json = detail::str(pinata_key_info_raw_json(info));
        return out;
    }
    /// Row `index`, copied out; throws `std::out_of_range` when out of range.
    KeyInfo at(std::size_t index) const {
        if (index >= size()) {
            throw std::out_of_range("pinata::KeyList::at: index out of range");
        }
        return (*this)[index];
    }
    /// First row.
    iterator begin() const { return iterator(this, 0); }
    /// Past the last row.
    iterator end() const { return iterator(this, size()); }

    /// The C handle (owned by this object).
    pinata_key_list *native_handle() const noexcept { return h_.get(); }

private:
    detail::KeyListPtr h_;
};

// ---------------------------------------------------------------------------------
// Pin options and results
// ---------------------------------------------------------------------------------

/// Options for uploads and pin-by-CID: metadata (name, keyvalues), CID version,
/// wrapping, group, CID verification, progress, cancellation, host nodes.
///
/// A progress callback is owned by the options (on the heap, so moving the options
/// keeps it working). Options carrying a progress callback must not be used by two
/// calls at the same time, and the callback must not call into libpinata with them.
class PinOptions {
public:
    /// The defaults: service CID version, no wrapping, no group, verification on, no
    /// progress, no cancel token. No C handle is made until a setter runs.
    PinOptions() noexcept = default;

    /// The pin's name; `std::nullopt` restores the default (the file or folder name).
    Result<void> try_set_name(std::optional<std::string_view> name) {
        detail::OptCStr n(name, "name");
        if (auto e = detail::nul_error(n)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_pin_options_set_name(h_.get(), n.c_str(), err);
        });
    }
    /// Throwing form of `try_set_name`.
    PinOptions &set_name(std::optional<std::string_view> name) {
        try_set_name(name).value();
        return *this;
    }

    /// Sets a string keyvalue (at most 10 distinct keys).
    Result<void> try_set_keyvalue(std::string_view key, std::string_view value) {
        detail::CStr k(key, "key");
        detail::CStr v(value, "value");
        if (auto e = detail::nul_error(k, v)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_pin_options_set_keyvalue_string(h_.get(), k.c_str(), v.c_str(), err);
        });
    }
    /// Sets a number keyvalue (finite; integral values are sent as integers).
    Result<void> try_set_keyvalue(std::string_view key, double value) {
        detail::CStr k(key, "key");
        if (auto e = detail::nul_error(k)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_pin_options_set_keyvalue_number(h_.get(), k.c_str(), value, err);
        });
    }
    /// Throwing form of `try_set_keyvalue` (string value).
    PinOptions &set_keyvalue(std::string_view key, std::string_view value) {
        try_set_keyvalue(key, value).value();
        return *this;
    }
    /// Throwing form of `try_set_keyvalue` (number value).
    PinOptions &set_keyvalue(std::string_view key, double value) {
        try_set_keyvalue(key, value).value();
        return *this;
    }

    /// The CID version of uploads (`ServiceDefault`, `V0` or `V1`).
    Result<void> try_set_cid_version(CidVersion version) {
        return with_handle([&](pinata_error **err) {
            return pinata_pin_options_set_cid_version(h_.get(), static_cast<int32_t>(version),
                                                      err);
        });
    }
    /// Throwing form of `try_set_cid_version`.
    PinOptions &set_cid_version(CidVersion version) {
        try_set_cid_version(version).value();
        return *this;
    }

    /// Wraps an upload in a directory (`wrapWithDirectory`).
    Result<void> try_set_wrap_with_directory(bool wrap) {
        return with_handle([&](pinata_error **err) {
            return pinata_pin_options_set_wrap_with_directory(h_.get(), wrap, err);
        });
    }
    /// Throwing form of `try_set_wrap_with_directory`.
    PinOptions &set_wrap_with_directory(bool wrap) {
        try_set_wrap_with_directory(wrap).value();
        return *this;
    }

    /// Puts the pin in a group; `std::nullopt` clears it.
    Result<void> try_set_group_id(std::optional<std::string_view> group_id) {
        detail::OptCStr g(group_id, "group_id");
        if (auto e = detail::nul_error(g)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_pin_options_set_group_id(h_.get(), g.c_str(), err);
        });
    }
    /// Throwing form of `try_set_group_id`.
    PinOptions &set_group_id(std::optional<std::string_view> group_id) {
        try_set_group_id(group_id).value();
        return *this;
    }

    /// Turns the check of the service's CID against the local one on (default) or off.
    Result<void> try_set_verify_cid(bool verify) {
        return with_handle([&](pinata_error **err) {
            return pinata_pin_options_set_verify_cid(h_.get(), verify, err);
        });
    }
    /// Throwing form of `try_set_verify_cid`.
    PinOptions &set_verify_cid(bool verify) {
        try_set_verify_cid(verify).value();
        return *this;
    }

    /// Sets the progress callback of uploads; an empty function clears it. Return
    /// `false` from it to cancel. An exception it throws cancels the call and is
    /// rethrown by the upload function once libpinata has returned.
    Result<void> try_set_progress(ProgressFn progress) {
        if (!progress) {
            if (!h_) {
                progress_.reset();
                return Result<void>();
            }
            auto cleared = with_handle([&](pinata_error **err) {
                return pinata_pin_options_set_progress(h_.get(), nullptr, nullptr, err);
            });
            if (cleared) {
                progress_.reset();
            }
            return cleared;
        }
        if (progress_) {
            progress_->fn = std::move(progress);  // C already points at progress_
            return Result<void>();
        }
        auto state = std::make_unique<detail::ProgressState>();
        state->fn = std::move(progress);
        auto set = with_handle([&](pinata_error **err) {
            return pinata_pin_options_set_progress(
                h_.get(), &detail::pinata_cpp_progress_trampoline, state.get(), err);
        });
        if (set) {
            progress_ = std::move(state);
        }
        return set;
    }
    /// Throwing form of `try_set_progress`.
    PinOptions &set_progress(ProgressFn progress) {
        try_set_progress(std::move(progress)).value();
        return *this;
    }

    /// Attaches a cancel token; the options keep their own reference to it, so the
    /// token object may be destroyed first.
    Result<void> try_set_cancel(const CancelToken &token) {
        return with_handle([&](pinata_error **err) {
            return pinata_pin_options_set_cancel(h_.get(), token.native_handle(), err);
        });
    }
    /// Throwing form of `try_set_cancel`.
    PinOptions &set_cancel(const CancelToken &token) {
        try_set_cancel(token).value();
        return *this;
    }
    /// Detaches the cancel token, if any.
    Result<void> try_clear_cancel() {
        if (!h_) {
            return Result<void>();
        }
        return detail::call([&](pinata_error **err) {
            return pinata_pin_options_set_cancel(h_.get(), nullptr, err);
        });
    }
    /// Throwing form of `try_clear_cancel`.
    PinOptions &clear_cancel() {
        try_clear_cancel().value();
        return *this;
    }

    /// Adds a host node multiaddr for `Client::pin_by_cid` (at most 5).
    Result<void> try_add_host_node(std::string_view multiaddr) {
        detail::CStr m(multiaddr, "multiaddr");
        if (auto e = detail::nul_error(m)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_pin_options_add_host_node(h_.get(), m.c_str(), err);
        });
    }
    /// Throwing form of `try_add_host_node`.
    PinOptions &add_host_node(std::string_view multiaddr) {
        try_add_host_node(multiaddr).value();
        return *this;
    }

    /// The C handle (owned by this object); null until the first setter (defaults).
    pinata_pin_options *native_handle() const noexcept { return h_.get(); }

private:
    friend class Client;

    template <class F>
    Result<void> with_handle(F &&f) {
        if (!h_) {
            pinata_pin_options *raw = nullptr;
            auto made =
                detail::call([&](pinata_error **err) { return pinata_pin_options_new(&raw, err); });
            h_.reset(raw);
            if (!made) {
                return made;
            }
        }
        return detail::call(std::forward<F>(f));
    }

    // Declared before h_ so that it is destroyed after the C options that point at it.
    std::unique_ptr<detail::ProgressState> progress_;
    detail::PinOptionsPtr h_;
};

/// The answer to an upload: CID, size, timestamp, duplicate flag, the locally computed
/// CID and the outcome of the check.
class PinResult {
public:
    /// Adopts a C handle (may be null).
    explicit PinResult(pinata_pin_result *adopt = nullptr) noexcept : h_(adopt) {}

    /// The pinned CID (`IpfsHash`).
    std::string cid() const { return detail::str(pinata_pin_result_cid(h_.get())); }
    /// The pin's size in bytes (`PinSize`).
    uint64_t size() const noexcept { return pinata_pin_result_size(h_.get()); }
    /// The service's timestamp (ISO-8601).
    std::string timestamp() const { return detail::str(pinata_pin_result_timestamp(h_.get())); }
    /// Whether the service reported the CID as already pinned.
    bool is_duplicate() const noexcept { return pinata_pin_result_is_duplicate(h_.get()); }
    /// The CID computed locally from the bytes sent; empty when verification was off.
    std::optional<std::string> local_cid() const {
        return detail::opt_str(pinata_pin_result_local_cid(h_.get()));
    }
    /// The outcome of the CID check.
    CidCheck cid_check() const noexcept {
        return static_cast<CidCheck>(pinata_pin_result_cid_check(h_.get()));
    }
    /// The CID profile whose local CID equals the service's: which importer settings
    /// the service used (`local_cid()` is in that profile). `CidProfile::None` when the
    /// check was off or did not match.
    CidProfile cid_profile() const noexcept {
        return static_cast<CidProfile>(pinata_pin_result_cid_profile(h_.get()));
    }
    /// How many CID profiles were hashed to check the upload: 0 when the check was off,
    /// 1 for v0 and for v1 once the client learned its service's profile
    /// (`Client::learned_cid_profile`), 2 otherwise (on two threads).
    uint32_t profiles_hashed() const noexcept {
        return pinata_pin_result_profiles_hashed(h_.get());
    }
    /// The service's whole JSON answer.
    std::string raw_json() const { return detail::str(pinata_pin_result_raw_json(h_.get())); }

    /// The C handle (owned by this object).
    pinata_pin_result *native_handle() const noexcept { return h_.get(); }

private:
    detail::PinResultPtr h_;
};

// ---------------------------------------------------------------------------------
// Pin-by-CID jobs
// ---------------------------------------------------------------------------------

namespace detail {
inline PinJobInfo job_info(const pinata_pin_job_info *job) {
    PinJobInfo out;
    out.id = str(pinata_pin_job_info_id(job));
    out.cid = str(pinata_pin_job_info_cid(job));
    out.status = str(pinata_pin_job_info_status(job));
    out.name = opt_str(pinata_pin_job_info_name(job));
    out.date_queued = opt_str(pinata_pin_job_info_date_queued(job));
    out.raw_json = str(pinata_pin_job_info_raw_json(job));
    return out;
}

/// Carries a wait's status callback (and an exception it threw) through C.
struct JobWaitState {
    const std::function<bool(const std::string &)> *fn = nullptr;
    std::exception_ptr thrown;
    static int32_t trampoline(const char *status, void *userdata) noexcept {
        auto *self = static_cast<JobWaitState *>(userdata);
        try {
            return (*self->fn)(str(status)) ? 0 : 1;
        } catch (...) {
            self->thrown = std::current_exception();
            return 1;  // stop; the exception is rethrown once the C call returns
        }
    }
};
}  // namespace detail

/// A queued pin-by-CID job, as `Client::pin_by_cid` returns it.
class PinJob {
public:
    /// Adopts a C handle (may be null); only `pinata_pin_by_cid` makes one (a list
    /// lends `pinata_pin_job_info`, a different type).
    explicit PinJob(pinata_pin_job *adopt = nullptr) noexcept : h_(adopt) {}

    /// The job's id.
    std::string id() const { return detail::str(pinata_pin_job_info_id(raw_info())); }
    /// The CID being pinned.
    std::string cid() const { return detail::str(pinata_pin_job_info_cid(raw_info())); }
    /// The job's status (`prechecking`, `searching`, `retrieving`, `expired`, …).
    std::string status() const {
        return detail::str(pinata_pin_job_info_status(raw_info()));
    }
    /// The pin's name, when it has one.
    std::optional<std::string> name() const {
        return detail::opt_str(pinata_pin_job_info_name(raw_info()));
    }
    /// When the job was queued (list rows only).
    std::optional<std::string> date_queued() const {
        return detail::opt_str(pinata_pin_job_info_date_queued(raw_info()));
    }
    /// The job's whole JSON.
    std::string raw_json() const {
        return detail::str(pinata_pin_job_info_raw_json(raw_info()));
    }
    /// Every field, copied out.
    PinJobInfo info() const { return detail::job_info(raw_info()); }

    /// The C handle (owned by this object).
    pinata_pin_job *native_handle() const noexcept { return h_.get(); }

private:
    const pinata_pin_job_info *raw_info() const noexcept {
        return pinata_pin_job_get_info(h_.get());
    }

    detail::PinJobPtr h_;
};

/// Filters and paging for `Client::list_pin_jobs`. Each setter changes one filter and
/// keeps the others.
class PinJobQuery {
public:
    /// No filter. No C handle is made until a setter runs.
    PinJobQuery() noexcept = default;
    PinJobQuery(PinJobQuery &&other) noexcept
        : h_(std::move(other.h_)), f_(std::exchange(other.f_, Filters())) {}
    PinJobQuery &operator=(PinJobQuery &&other) noexcept {
        if (this != &other) {
            h_ = std::move(other.h_);
            f_ = std::exchange(other.f_, Filters());
        }
        return *this;
    }
    PinJobQuery(const PinJobQuery &) = delete;
    PinJobQuery &operator=(const PinJobQuery &) = delete;
    ~PinJobQuery() = default;

    /// Sets every filter at once: `status` and `cid` (`std::nullopt`: any), the order,
    /// the page `limit` (0: service default, else 1–1000) and `offset`.
    Result<void> try_set(std::optional<std::string_view> status, std::optional<std::string_view> cid,
                         JobSort sort, uint32_t limit, uint64_t offset) {
        detail::OptCStr s(status, "status");
        detail::OptCStr c(cid, "cid");
        if (auto e = detail::nul_error(s, c)) {
            return *e;
        }
        auto set = with_handle([&](pinata_error **err) {
            return pinata_pin_job_query_set(h_.get(), s.c_str(), c.c_str(),
                                            static_cast<int32_t>(sort), limit, offset, err);
        });
        if (set) {
            f_ = Filters{status ? std::optional<std::string>(*status) : std::nullopt,
                         cid ? std::optional<std::string>(*cid) : std::nullopt, sort, limit,
                         offset};
        }
        return set;
    }
    /// Throwing form of `try_set`.
    PinJobQuery &set(std::optional<std::string_view> status, std::optional<std::string_view> cid,
                     JobSort sort = JobSort::ServiceDefault, uint32_t limit = 0,
                     uint64_t offset = 0) {
        try_set(status, cid, sort, limit, offset).value();
        return *this;
    }

    /// Only jobs with this status (`std::nullopt`: any).
    Result<void> try_set_status(std::optional<std::string_view> status) {
        return try_set(status, view(f_.cid), f_.sort, f_.limit, f_.offset);
    }
    /// Throwing form of `try_set_status`.
    PinJobQuery &set_status(std::optional<std::string_view> status) {
        try_set_status(status).value();
        return *this;
    }
    /// Only jobs for this CID (`std::nullopt`: any).
    Result<void> try_set_cid(std::optional<std::string_view> cid) {
        return try_set(view(f_.status), cid, f_.sort, f_.limit, f_.offset);
    }
    /// Throwing form of `try_set_cid`.
    PinJobQuery &set_cid(std::optional<std::string_view> cid) {
        try_set_cid(cid).value();
        return *this;
    }
    /// The order by queue date.
    Result<void> try_set_sort(JobSort sort) {
        return try_set(view(f_.status), view(f_.cid), sort, f_.limit, f_.offset);
    }
    /// Throwing form of `try_set_sort`.
    PinJobQuery &set_sort(JobSort sort) {
        try_set_sort(sort).value();
        return *this;
    }
    /// Page size (0: service default, else 1–1000) and offset.
    Result<void> try_set_paging(uint32_t limit, uint64_t offset) {
        return try_set(view(f_.status), view(f_.cid), f_.sort, limit, offset);
    }
    /// Throwing form of `try_set_paging`.
    PinJobQuery &set_paging(uint32_t limit, uint64_t offset = 0) {
        try_set_paging(limit, offset).value();
        return *this;
    }

    /// The C handle (owned by this object); null until the first setter (no filter).
    pinata_pin_job_query *native_handle() const noexcept { return h_.get(); }

private:
    struct Filters {
        std::optional<std::string> status;
        std::optional<std::string> cid;
        JobSort sort = JobSort::ServiceDefault;
        uint32_t limit = 0;
        uint64_t offset = 0;
    };
    static std::optional<std::string_view> view(const std::optional<std::string> &s) {
        return s ? std::optional<std::string_view>(*s) : std::nullopt;
    }
    template <class F>
    Result<void> with_handle(F &&f) {
        if (!h_) {
            pinata_pin_job_query *raw = nullptr;
            auto made = detail::call(
                [&](pinata_error **err) { return pinata_pin_job_query_new(&raw, err); });
            h_.reset(raw);
            if (!made) {
                return made;
            }
        }
        return detail::call(std::forward<F>(f));
    }
    detail::PinJobQueryPtr h_;
    Filters f_;
};

/// A page of pin jobs. Usable in a range-for loop yielding `PinJobInfo` values.
class PinJobList {
public:
    using iterator = detail::IndexIterator<PinJobList, PinJobInfo>;
    using const_iterator = iterator;

    /// Adopts a C handle (may be null: an empty list).
    explicit PinJobList(pinata_pin_job_list *adopt = nullptr) noexcept : h_(adopt) {}

    /// Number of jobs in the page.
    std::size_t size() const noexcept { return pinata_pin_job_list_len(h_.get()); }
    /// True when the page is empty.
    bool empty() const noexcept { return size() == 0; }
    /// The total the service reported, when it reported one.
    std::optional<uint64_t> total() const noexcept {
        return detail::total_of(pinata_pin_job_list_total(h_.get()));
    }
    /// Job `index`, copied out. Precondition: `index < size()`.
    PinJobInfo operator[](std::size_t index) const {
        return detail::job_info(pinata_pin_job_list_get(h_.get(), index));
    }
    /// Job `index`, copied out; throws `std::out_of_range` when out of range.
    PinJobInfo at(std::size_t index) const {
        if (index >= size()) {
            throw std::out_of_range("pinata::PinJobList::at: index out of range");
        }
        return (*this)[index];
    }
    /// First job.
    iterator begin() const { return iterator(this, 0); }
    /// Past the last job.
    iterator end() const { return iterator(this, size()); }

    /// The C handle (owned by this object).
    pinata_pin_job_list *native_handle() const noexcept { return h_.get(); }

private:
    detail::PinJobListPtr h_;
};

// ---------------------------------------------------------------------------------
// Metadata updates
// ---------------------------------------------------------------------------------

/// A metadata change for `Client::update_metadata`: a new name and keyvalue changes,
/// merged into the pin's keyvalues.
class MetadataUpdate {
public:
    /// An empty change. No C handle is made until a setter runs.
    MetadataUpdate() noexcept = default;

    /// Renames the pin (`std::nullopt`: keep the name).
    Result<void> try_set_name(std::optional<std::string_view> name) {
        detail::OptCStr n(name, "name");
        if (auto e = detail::nul_error(n)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_metadata_update_set_name(h_.get(), n.c_str(), err);
        });
    }
    /// Throwing form of `try_set_name`.
    MetadataUpdate &set_name(std::optional<std::string_view> name) {
        try_set_name(name).value();
        return *this;
    }

    /// Sets a string keyvalue (at most 10 keys per change).
    Result<void> try_set(std::string_view key, std::string_view value) {
        detail::CStr k(key, "key");
        detail::CStr v(value, "value");
        if (auto e = detail::nul_error(k, v)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_metadata_update_set_string(h_.get(), k.c_str(), v.c_str(), err);
        });
    }
    /// Sets a number keyvalue (finite).
    Result<void> try_set(std::string_view key, double value) {
        detail::CStr k(key, "key");
        if (auto e = detail::nul_error(k)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_metadata_update_set_number(h_.get(), k.c_str(), value, err);
        });
    }
    /// Throwing form of `try_set` (string value).
    MetadataUpdate &set(std::string_view key, std::string_view value) {
        try_set(key, value).value();
        return *this;
    }
    /// Throwing form of `try_set` (number value).
    MetadataUpdate &set(std::string_view key, double value) {
        try_set(key, value).value();
        return *this;
    }

    /// Removes a keyvalue from the pin.
    Result<void> try_remove(std::string_view key) {
        detail::CStr k(key, "key");
        if (auto e = detail::nul_error(k)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_metadata_update_remove(h_.get(), k.c_str(), err);
        });
    }
    /// Throwing form of `try_remove`.
    MetadataUpdate &remove(std::string_view key) {
        try_remove(key).value();
        return *this;
    }

    /// The C handle (owned by this object); null until the first setter (no change).
    pinata_metadata_update *native_handle() const noexcept { return h_.get(); }

private:
    template <class F>
    Result<void> with_handle(F &&f) {
        if (!h_) {
            pinata_metadata_update *raw = nullptr;
            auto made = detail::call(
                [&](pinata_error **err) { return pinata_metadata_update_new(&raw, err); });
            h_.reset(raw);
            if (!made) {
                return made;
            }
        }
        return detail::call(std::forward<F>(f));
    }
    detail::MetadataUpdatePtr h_;
};

// ---------------------------------------------------------------------------------
// The pin list
// ---------------------------------------------------------------------------------

/// Filters and paging for `Client::list_pins`. Each text, date or size setter changes
/// its own filter and keeps the others.
class PinListQuery {
public:
    /// No filter: all records, newest first. No C handle is made until a setter runs.
    PinListQuery() noexcept = default;
    PinListQuery(PinListQuery &&other) noexcept
        : h_(std::move(other.h_)), f_(std::exchange(other.f_, Filters())) {}
    PinListQuery &operator=(PinListQuery &&other) noexcept {
        if (this != &other) {
            h_ = std::move(other.h_);
            f_ = std::exchange(other.f_, Filters());
        }
        return *this;
    }
    PinListQuery(const PinListQuery &) = delete;
    PinListQuery &operator=(const PinListQuery &) = delete;
    ~PinListQuery() = default;

    /// The three text filters at once (each `std::nullopt` to clear): `cid` (a CID or
    /// part of one), `group_id`, and `name_contains` (a substring of the name).
    Result<void> try_set_text(std::optional<std::string_view> cid,
                              std::optional<std::string_view> group_id,
                              std::optional<std::string_view> name_contains) {
        detail::OptCStr c(cid, "cid");
        detail::OptCStr g(group_id, "group_id");
        detail::OptCStr n(name_contains, "name_contains");
        if (auto e = detail::nul_error(c, g, n)) {
            return *e;
        }
        auto set = with_handle([&](pinata_error **err) {
            return pinata_pin_list_query_set_text(h_.get(), c.c_str(), g.c_str(), n.c_str(), err);
        });
        if (set) {
            f_.cid = own(cid);
            f_.group_id = own(group_id);
            f_.name_contains = own(name_contains);
        }
        return set;
    }
    /// Throwing form of `try_set_text`.
    PinListQuery &set_text(std::optional<std::string_view> cid,
                           std::optional<std::string_view> group_id,
                           std::optional<std::string_view> name_contains) {
        try_set_text(cid, group_id, name_contains).value();
        return *this;
    }
    /// Only records whose CID contains `cid` (`std::nullopt` clears).
    Result<void> try_set_cid(std::optional<std::string_view> cid) {
        return try_set_text(cid, view(f_.group_id), view(f_.name_contains));
    }
    /// Throwing form of `try_set_cid`.
    PinListQuery &set_cid(std::optional<std::string_view> cid) {
        try_set_cid(cid).value();
        return *this;
    }
    /// Only records of this group (`std::nullopt` clears).
    Result<void> try_set_group_id(std::optional<std::string_view> group_id) {
        return try_set_text(view(f_.cid), group_id, view(f_.name_contains));
    }
    /// Throwing form of `try_set_group_id`.
    PinListQuery &set_group_id(std::optional<std::string_view> group_id) {
        try_set_group_id(group_id).value();
        return *this;
    }
    /// Only records whose name contains `name_contains` (`std::nullopt` clears).
    Result<void> try_set_name_contains(std::optional<std::string_view> name_contains) {
        return try_set_text(view(f_.cid), view(f_.group_id), name_contains);
    }
    /// Throwing form of `try_set_name_contains`.
    PinListQuery &set_name_contains(std::optional<std::string_view> name_contains) {
        try_set_name_contains(name_contains).value();
        return *this;
    }

    /// Which records: all (default), pinned or unpinned.
    Result<void> try_set_status(PinStatusFilter status) {
        return with_handle([&](pinata_error **err) {
            return pinata_pin_list_query_set_status(h_.get(), static_cast<int32_t>(status), err);
        });
    }
    /// Throwing form of `try_set_status`.
    PinListQuery &set_status(PinStatusFilter status) {
        try_set_status(status).value();
        return *this;
    }

    /// The four date filters at once, ISO-8601 (each `std::nullopt` to clear): pinned
    /// within `[pin_start, pin_end]`, unpinned within `[unpin_start, unpin_end]`.
    Result<void> try_set_dates(std::optional<std::string_view> pin_start,
                               std::optional<std::string_view> pin_end,
                               std::optional<std::string_view> unpin_start,
                               std::optional<std::string_view> unpin_end) {
        detail::OptCStr a(pin_start, "pin_start");
        detail::OptCStr b(pin_end, "pin_end");
        detail::OptCStr c(unpin_start, "unpin_start");
        detail::OptCStr d(unpin_end, "unpin_end");
        if (auto e = detail::nul_error(a, b, c, d)) {
            return *e;
        }
        auto set = with_handle([&](pinata_error **err) {
            return pinata_pin_list_query_set_dates(h_.get(), a.c_str(), b.c_str(), c.c_str(),
                                                   d.c_str(), err);
        });
        if (set) {
            f_.pin_start = own(pin_start);
            f_.pin_end = own(pin_end);
            f_.unpin_start = own(unpin_start);
            f_.unpin_end = own(unpin_end);
        }
        return set;
    }
    /// Throwing form of `try_set_dates`.
    PinListQuery &set_dates(std::optional<std::string_view> pin_start,
                            std::optional<std::string_view> pin_end,
                            std::optional<std::string_view> unpin_start,
                            std::optional<std::string_view> unpin_end) {
        try_set_dates(pin_start, pin_end, unpin_start, unpin_end).value();
        return *this;
    }
    /// Only records pinned within `[start, end]` (either bound may be open).
    Result<void> try_set_pinned_between(std::optional<std::string_view> start,
                                        std::optional<std::string_view> end) {
        return try_set_dates(start, end, view(f_.unpin_start), view(f_.unpin_end));
    }
    /// Throwing form of `try_set_pinned_between`.
    PinListQuery &set_pinned_between(std::optional<std::string_view> start,
                                     std::optional<std::string_view> end) {
        try_set_pinned_between(start, end).value();
        return *this;
    }
    /// Only records unpinned within `[start, end]` (either bound may be open).
    Result<void> try_set_unpinned_between(std::optional<std::string_view> start,
                                          std::optional<std::string_view> end) {
        return try_set_dates(view(f_.pin_start), view(f_.pin_end), start, end);
    }
    /// Throwing form of `try_set_unpinned_between`.
    PinListQuery &set_unpinned_between(std::optional<std::string_view> start,
                                       std::optional<std::string_view> end) {
        try_set_unpinned_between(start, end).value();
        return *this;
    }

    /// Size filter in bytes; `std::nullopt` leaves a bound open. Bounds above
    /// `INT64_MAX` are refused.
    Result<void> try_set_size_range(std::optional<uint64_t> min_bytes,
                                    std::optional<uint64_t> max_bytes) {
        constexpr uint64_t limit = static_cast<uint64_t>(INT64_MAX);
        if ((min_bytes && *min_bytes > limit) || (max_bytes && *max_bytes > limit)) {
            return detail::invalid_argument("size bound above INT64_MAX");
        }
        const int64_t lo = min_bytes ? static_cast<int64_t>(*min_bytes) : -1;
        const int64_t hi = max_bytes ? static_cast<int64_t>(*max_bytes) : -1;
        return with_handle([&](pinata_error **err) {
            return pinata_pin_list_query_set_size_range(h_.get(), lo, hi, err);
        });
    }
    /// Throwing form of `try_set_size_range`.
    PinListQuery &set_size_range(std::optional<uint64_t> min_bytes,
                                 std::optional<uint64_t> max_bytes) {
        try_set_size_range(min_bytes, max_bytes).value();
        return *this;
    }

    /// Page size for each request (1–1000; default 100) and records to skip.
    Result<void> try_set_paging(uint32_t page_limit, uint64_t offset = 0) {
        return with_handle([&](pinata_error **err) {
            return pinata_pin_list_query_set_paging(h_.get(), page_limit, offset, err);
        });
    }
    /// Throwing form of `try_set_paging`.
    PinListQuery &set_paging(uint32_t page_limit, uint64_t offset = 0) {
        try_set_paging(page_limit, offset).value();
        return *this;
    }

    /// Adds a keyvalue condition on a string value. `second` is required exactly for
    /// `Between`/`NotBetween`.
    Result<void> try_add_keyvalue(std::string_view key, KeyvalueOp op, std::string_view value,
                                  std::optional<std::string_view> second = std::nullopt) {
        detail::CStr k(key, "key");
        detail::CStr v(value, "value");
        detail::OptCStr s(second, "second_value");
        if (auto e = detail::nul_error(k, v, s)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_pin_list_query_add_keyvalue_string(
                h_.get(), k.c_str(), static_cast<pinata_keyvalue_op>(op), v.c_str(), s.c_str(),
                err);
        });
    }
    /// Adds a keyvalue condition on a number. `second` is required exactly for
    /// `Between`/`NotBetween`.
    Result<void> try_add_keyvalue(std::string_view key, KeyvalueOp op, double value,
                                  std::optional<double> second = std::nullopt) {
        detail::CStr k(key, "key");
        if (auto e = detail::nul_error(k)) {
            return *e;
        }
        return with_handle([&](pinata_error **err) {
            return pinata_pin_list_query_add_keyvalue_number(
                h_.get(), k.c_str(), static_cast<pinata_keyvalue_op>(op), value,
                second.value_or(0.0), second.has_value(), err);
        });
    }
    /// Throwing form of `try_add_keyvalue` (string value).
    PinListQuery &add_keyvalue(std::string_view key, KeyvalueOp op, std::string_view value,
                               std::optional<std::string_view> second = std::nullopt) {
        try_add_keyvalue(key, op, value, second).value();
        return *this;
    }
    /// Throwing form of `try_add_keyvalue` (number value).
    PinListQuery &add_keyvalue(std::string_view key, KeyvalueOp op, double value,
                               std::optional<double> second = std::nullopt) {
        try_add_keyvalue(key, op, value, second).value();
        return *this;
    }

    /// The C handle (owned by this object); null until the first setter (no filter).
    pinata_pin_list_query *native_handle() const noexcept { return h_.get(); }

private:
    struct Filters {
        std::optional<std::string> cid, group_id, name_contains;
        std::optional<std::string> pin_start, pin_end, unpin_start, unpin_end;
    };
    static std::optional<std::string_view> view(const std::optional<std::string> &s) {
        return s ? std::optional<std::string_view>(*s) : std::nullopt;
    }
    static std::optional<std::string> own(const std::optional<std::string_view> &s) {
        return s ? std::optional<std::string>(*s) : std::nullopt;
    }
    template <class F>
    Result<void> with_handle(F &&f) {
        if (!h_) {
            pinata_pin_list_query *raw = nullptr;
            auto made = detail::call(
                [&](pinata_error **err) { return pinata_pin_list_query_new(&raw, err); });
            h_.reset(raw);
            if (!made) {
                return made;
            }
        }
        return detail::call(std::forward<F>(f));
    }
    detail::PinListQueryPtr h_;
    Filters f_;
};

/// Walks the whole pin list matching a query, fetching pages as needed
/// (`pinata_pin_list_iter`). Use it in a range-for loop, which yields `PinRow` values
/// and throws `Error` if a page cannot be fetched, or call `next()`/`try_next()`.
///
/// Lifetime: it keeps its own reference to the client it came from (credentials,
/// connections, settings), so that client may be destroyed first, and
/// `for (auto &row : make_client().list_pins())` is fine.
class PinList {
public:
    /// An input iterator over the rows; `*it` is the current `PinRow`. `++it` fetches
    /// the next row (may make a request; throws `Error` on failure, after which the
    /// iteration may be resumed).
    using iterator = detail::WalkIterator<PinList, PinRow>;

    /// Adopts a C iterator (may be null: every `next()` then fails).
    explicit PinList(pinata_pin_list_iter *adopt = nullptr) noexcept : h_(adopt) {}

    /// The next row, or `std::nullopt` at the end. After a failure, calling again
    /// fetches the failed page again.
    Result<std::optional<PinRow>> try_next() {
        const pinata_pin_row *row = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_pin_list_iter_next(h_.get(), &row, err);
        });
        if (!status) {
            return status.error();
        }
        if (row == nullptr) {
            return std::optional<PinRow>();
        }
        PinRow out;
        out.id = detail::str(pinata_pin_row_id(row));
        out.cid = detail::str(pinata_pin_row_cid(row));
        out.size = pinata_pin_row_size(row);
        out.date_pinned = detail::opt_str(pinata_pin_row_date_pinned(row));
        out.date_unpinned = detail::opt_str(pinata_pin_row_date_unpinned(row));
        out.name = detail::opt_str(pinata_pin_row_name(row));
        out.keyvalues_json = detail::str(pinata_pin_row_keyvalues_json(row));
        out.raw_json = detail::str(pinata_pin_row_raw_json(row));
        return std::optional<PinRow>(std::move(out));
    }
    /// Throwing form of `try_next`.
    std::optional<PinRow> next() { return try_next().value(); }

    /// The total count the service reported so far, when it reported one.
    std::optional<uint64_t> total() const noexcept {
        return detail::total_of(pinata_pin_list_iter_total(h_.get()));
    }

    /// Fetches the first row (from where the iteration stands) and returns an
    /// iterator on it. Throws `Error` if the request fails.
    iterator begin() { return iterator(this); }
    /// The end iterator.
    iterator end() noexcept { return iterator(); }

    /// The C handle (owned by this object).
    pinata_pin_list_iter *native_handle() const noexcept { return h_.get(); }

private:
    detail::PinListIterPtr h_;
};

// ---------------------------------------------------------------------------------
// Calls an event loop drives
// ---------------------------------------------------------------------------------

/// A call an event loop drives (`Client::start_test_auth`, `Client::start_pin_json`).
/// Neither the start nor `step` waits: wait for `fd()` to be readable, or for the time
/// `step` gave, then step again until it returns true; `finish` then gives what the
/// blocking call gives (the same request, retries, timeouts, cancel token and answer
/// checks). One thread drives a call at a time; destroying an unfinished call abandons
/// it (its connection is closed).
template <class T>
class Call {
public:
    /// Adopts a C call (may be null).
    explicit Call(pinata_call *adopt = nullptr) noexcept : h_(adopt) {}

    /// The descriptor to wait on for readability before the next step: the same for
    /// many calls of one client, so an event loop registers it once. -1 once the call
    /// is done (the descriptor serves the client's next call), and where the platform
    /// has none; `step` then waits a little itself.
    int fd() const noexcept { return pinata_call_fd(h_.get()); }

    /// Moves the call without blocking: true once the outcome is in. Otherwise, when
    /// `wait` is given, it receives how long the caller may wait on `fd()` before the
    /// next step (`-1ms`: until the descriptor is readable).
    Result<bool> try_step(std::chrono::milliseconds *wait = nullptr) {
        bool done = false;
        int64_t wait_ms = -1;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_call_step(h_.get(), &done, &wait_ms, err);
        });
        if (!status) {
            return status.error();
        }
        if (wait != nullptr) {
            *wait = std::chrono::milliseconds(wait_ms);
        }
        return Result<bool>(done);
    }
    /// Throwing form of `try_step`.
    bool step(std::chrono::milliseconds *wait = nullptr) { return try_step(wait).value(); }

    /// The outcome, once `step` has returned true; it can be taken once (before, or
    /// again: `Status::InvalidArgument`).
    Result<T> try_finish();
    /// Throwing form of `try_finish`.
    T finish() { return try_finish().value(); }

    /// True when the call holds a handle.
    explicit operator bool() const noexcept { return h_ != nullptr; }
    /// The C handle (owned by this object); null after a move.
    pinata_call *native_handle() const noexcept { return h_.get(); }

private:
    detail::CallPtr h_;
};

/// `test_auth`'s outcome: the server's message.
template <>
inline Result<std::string> Call<std::string>::try_finish() {
    char *raw = nullptr;
    auto status = detail::call(
        [&](pinata_error **err) { return pinata_test_auth_finish(h_.get(), &raw, err); });
    detail::StringPtr out(raw);
    return detail::take_string(std::move(status), out);
}

/// `pin_json`'s outcome: the pin, its CID checked as the blocking call checks it.
template <>
inline Result<PinResult> Call<PinResult>::try_finish() {
    pinata_pin_result *raw = nullptr;
    auto status = detail::call(
        [&](pinata_error **err) { return pinata_pin_json_finish(h_.get(), &raw, err); });
    PinResult result(raw);
    if (!status) {
        return status.error();
    }
    return Result<PinResult>(std::move(result));
}

// ---------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------

/// A configured connection to Pinata (`pinata_client`). Configure it with the
/// setters (exclusive access), then use it from any number of threads through the
/// `const` member functions. Moving a client keeps the C handle, so objects that
/// depend on it (a `PinList`) stay valid.
class Client {
public:
    /// A client without a handle: every call fails with `Status::InvalidArgument`.
    Client() noexcept = default;
    /// Adopts a C handle (may be null).
    explicit Client(pinata_client *adopt) noexcept : h_(adopt) {}

    /// A client that authenticates with a JWT (`Authorization: Bearer`).
    static Result<Client> try_from_jwt(std::string_view jwt) {
        detail::CStr j(jwt, "jwt");
        if (auto e = detail::nul_error(j)) {
            return *e;
        }
        pinata_client *raw = nullptr;
        auto status = detail::call(
            [&](pinata_error **err) { return pinata_client_new_jwt(j.c_str(), &raw, err); });
        Client client(raw);
        if (!status) {
            return status.error();
        }
        return Result<Client>(std::move(client));
    }
    /// Throwing form of `try_from_jwt`.
    static Client from_jwt(std::string_view jwt) { return try_from_jwt(jwt).value(); }

    /// A client that authenticates with an API key and its secret.
    static Result<Client> try_from_api_key(std::string_view api_key,
                                           std::string_view secret_api_key) {
        detail::CStr k(api_key, "api_key");
        detail::CStr s(secret_api_key, "secret_api_key");
        if (auto e = detail::nul_error(k, s)) {
            return *e;
        }
        pinata_client *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_client_new_keys(k.c_str(), s.c_str(), &raw, err);
        });
        Client client(raw);
        if (!status) {
            return status.error();
        }
        return Result<Client>(std::move(client));
    }
    /// Throwing form of `try_from_api_key`.
    static Client from_api_key(std::string_view api_key, std::string_view secret_api_key) {
        return try_from_api_key(api_key, secret_api_key).value();
    }

    /// A client sharing this one's credentials, connections and current settings,
    /// whose every call stops with `Status::Cancelled` once `token` is raised (during
    /// a transfer or a retry's backoff sleep). It may outlive this client. Deriving
    /// from a derived client replaces its token rather than adding one.
    Result<Client> try_with_cancel(const CancelToken &token) const {
        pinata_client *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_client_with_cancel(h_.get(), token.native_handle(), &raw, err);
        });
        Client client(raw);
        if (!status) {
            return status.error();
        }
        return Result<Client>(std::move(client));
    }
    /// Throwing form of `try_with_cancel`.
    Client with_cancel(const CancelToken &token) const { return try_with_cancel(token).value(); }

    // -- configuration (exclusive access) ------------------------------------------

    /// Overrides the base URL `https://api.pinata.cloud`. `http://` is accepted only
    /// for loopback hosts unless insecure http was allowed first.
    Result<void> try_set_base_url(std::string_view base_url) {
        detail::CStr u(base_url, "base_url");
        if (auto e = detail::nul_error(u)) {
            return *e;
        }
        return detail::call([&](pinata_error **err) {
            return pinata_client_set_base_url(h_.get(), u.c_str(), err);
        });
    }
    /// Throwing form of `try_set_base_url`.
    Client &set_base_url(std::string_view base_url) {
        try_set_base_url(base_url).value();
        return *this;
    }

    /// Allows a plain `http://` base URL to a non-loopback host (trusted proxies only).
    Result<void> try_set_allow_insecure_http(bool allow) {
        return detail::call([&](pinata_error **err) {
            return pinata_client_set_allow_insecure_http(h_.get(), allow, err);
        });
    }
    /// Throwing form of `try_set_allow_insecure_http`.
    Client &set_allow_insecure_http(bool allow) {
        try_set_allow_insecure_http(allow).value();
        return *this;
    }

    /// Time allowed to connect (default 10 s; zero or negative is refused).
    Result<void> try_set_connect_timeout(std::chrono::milliseconds timeout) {
        if (auto e = detail::negative_error(timeout, "timeout")) {
            return *e;
        }
        return detail::call([&](pinata_error **err) {
            return pinata_client_set_connect_timeout_ms(
                h_.get(), static_cast<uint64_t>(timeout.count()), err);
        });
    }
    /// Throwing form of `try_set_connect_timeout`.
    Client &set_connect_timeout(std::chrono::milliseconds timeout) {
        try_set_connect_timeout(timeout).value();
        return *this;
    }

    /// Total time for one attempt of a small call (default 60 s; zero is refused).
    Result<void> try_set_request_timeout(std::chrono::milliseconds timeout) {
        if (auto e = detail::negative_error(timeout, "timeout")) {
            return *e;
        }
        return detail::call([&](pinata_error **err) {
            return pinata_client_set_request_timeout_ms(
                h_.get(), static_cast<uint64_t>(timeout.count()), err);
        });
    }
    /// Throwing form of `try_set_request_timeout`.
    Client &set_request_timeout(std::chrono::milliseconds timeout) {
        try_set_request_timeout(timeout).value();
        return *this;
    }

    /// Uploads fail with `Status::Timeout` when no byte moves for this long (default
    /// 60 s; zero is refused).
    Result<void> try_set_stall_timeout(std::chrono::milliseconds timeout) {
        if (auto e = detail::negative_error(timeout, "timeout")) {
            return *e;
        }
        return detail::call([&](pinata_error **err) {
            return pinata_client_set_stall_timeout_ms(
                h_.get(), static_cast<uint64_t>(timeout.count()), err);
        });
    }
    /// Throwing form of `try_set_stall_timeout`.
    Client &set_stall_timeout(std::chrono::milliseconds timeout) {
        try_set_stall_timeout(timeout).value();
        return *this;
    }

    /// Caps the answer body a call holds in memory, error answers included (default
    /// 32 MiB; 0 restores it; under 65536 gives `Status::InvalidArgument`). A larger
    /// answer fails with `Status::Protocol` and is not retried. Downloads have their own
    /// caps (`DownloadOptions::max_bytes`).
    Result<void> try_set_max_response_bytes(uint64_t bytes) {
        return detail::call([&](pinata_error **err) {
            return pinata_client_set_max_response_bytes(h_.get(), bytes, err);
        });
    }
    /// Throwing form of `try_set_max_response_bytes`.
    Client &set_max_response_bytes(uint64_t bytes) {
        try_set_max_response_bytes(bytes).value();
        return *this;
    }

    /// The retry budget: at most `max_retries` retries (0: none), all within `budget`.
    Result<void> try_set_retry_policy(uint32_t max_retries, std::chrono::milliseconds budget) {
        if (auto e = detail::negative_error(budget, "budget")) {
            return *e;
        }
        return detail::call([&](pinata_error **err) {
            return pinata_client_set_retry_policy(h_.get(), max_retries,
                                                  static_cast<uint64_t>(budget.count()), err);
        });
    }
    /// Throwing form of `try_set_retry_policy`.
    Client &set_retry_policy(uint32_t max_retries, std::chrono::milliseconds budget) {
        try_set_retry_policy(max_retries, budget).value();
        return *this;
    }

    /// The backoff steps: the first retry waits up to `base`, each further one up to
    /// twice as long, capped at `max` (`base > max` is refused).
    Result<void> try_set_backoff(std::chrono::milliseconds base, std::chrono::milliseconds max) {
        if (auto e = detail::negative_error(base, "base")) {
            return *e;
        }
        if (auto e = detail::negative_error(max, "max")) {
            return *e;
        }
        return detail::call([&](pinata_error **err) {
            return pinata_client_set_backoff_ms(h_.get(), static_cast<uint64_t>(base.count()),
                                                static_cast<uint64_t>(max.count()), err);
        });
    }
    /// Throwing form of `try_set_backoff`.
    Client &set_backoff(std::chrono::milliseconds base, std::chrono::milliseconds max) {
        try_set_backoff(base, max).value();
        return *this;
    }

    /// Trusts the CA certificates in the PEM file at `path` instead of the system store.
    Result<void> try_set_ca_bundle(std::string_view path) {
        detail::CStr p(path, "path");
        if (auto e = detail::nul_error(p)) {
            return *e;
        }
        return detail::call([&](pinata_error **err) {
            return pinata_client_set_ca_bundle(h_.get(), p.c_str(), err);
        });
    }
    /// Throwing form of `try_set_ca_bundle`.
    Client &set_ca_bundle(std::string_view path) {
        try_set_ca_bundle(path).value();
        return *this;
    }

    /// The HTTP version to negotiate: `HttpVersion::Auto` (the default) lets the library
    /// choose per request type; the others force one for every call.
    Result<void> try_set_http_version(HttpVersion version) {
        return detail::call([&](pinata_error **err) {
            return pinata_client_set_http_version(h_.get(), static_cast<int32_t>(version), err);
        });
    }
    /// Throwing form of `try_set_http_version`.
    Client &set_http_version(HttpVersion version) {
        try_set_http_version(version).value();
        return *this;
    }

    /// Sends every call through this proxy, `http://[user:password@]host:port` (also
    /// https://, socks5://, socks5h://); `""` connects directly whatever the environment
    /// says. Without a call, the environment decides (`https_proxy`, `no_proxy`, ...).
    /// Credentials in the URL never appear in messages.
    Result<void> try_set_proxy(std::string_view url) {
        detail::CStr p(url, "proxy");
        if (auto e = detail::nul_error(p)) {
            return *e;
        }
        return detail::call([&](pinata_error **err) {
            return pinata_client_set_proxy(h_.get(), p.c_str(), err);
        });
    }
    /// Throwing form of `try_set_proxy`.
    Client &set_proxy(std::string_view url) {
        try_set_proxy(url).value();
        return *this;
    }

    /// Goes back to the default: the environment's proxy variables decide.
    Result<void> try_use_environment_proxy() {
        return detail::call([&](pinata_error **err) {
            return pinata_client_set_proxy(h_.get(), nullptr, err);
        });
    }

    // -- authentication and keys -----------------------------------------------------

    /// `GET /data/testAuthentication`: the server's message. Bad credentials give
    /// `Status::Unauthorized`.
    Result<std::string> try_test_auth() const {
        char *raw = nullptr;
        auto status =
            detail::call([&](pinata_error **err) { return pinata_test_auth(h_.get(), &raw, err); });
        detail::StringPtr out(raw);
        return detail::take_string(std::move(status), out);
    }
    /// Throwing form of `try_test_auth`.
    std::string test_auth() const { return try_test_auth().value(); }

    /// `test_auth` as a `Call` an event loop drives (`pinata_test_auth_start`).
    Result<Call<std::string>> try_start_test_auth() const {
        pinata_call *raw = nullptr;
        auto status = detail::call(
            [&](pinata_error **err) { return pinata_test_auth_start(h_.get(), &raw, err); });
        Call<std::string> call(raw);
        if (!status) {
            return status.error();
        }
        return Result<Call<std::string>>(std::move(call));
    }
    /// Throwing form of `try_start_test_auth`.
    Call<std::string> start_test_auth() const { return try_start_test_auth().value(); }

    /// Creates an API key (needs an admin key). `max_uses` 0 means unlimited.
    Result<KeyResult> try_create_key(std::string_view name, const KeyPermissions &permissions,
                                     uint64_t max_uses = 0) const {
        detail::CStr n(name, "name");
        if (auto e = detail::nul_error(n)) {
            return *e;
        }
        // Permissions without a handle are the empty set: make one for the call.
        detail::KeyPermissionsPtr empty;
        const pinata_key_permissions *perms = permissions.native_handle();
        if (perms == nullptr) {
            pinata_key_permissions *raw = nullptr;
            auto made = detail::call(
                [&](pinata_error **err) { return pinata_key_permissions_new(&raw, err); });
            empty.reset(raw);
            if (!made) {
                return made.error();
            }
            perms = empty.get();
        }
        pinata_key_result *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_keys_create(h_.get(), n.c_str(), perms, max_uses, &raw, err);
        });
        KeyResult key(raw);
        if (!status) {
            return status.error();
        }
        return Result<KeyResult>(std::move(key));
    }
    /// Throwing form of `try_create_key`.
    KeyResult create_key(std::string_view name, const KeyPermissions &permissions,
                         uint64_t max_uses = 0) const {
        return try_create_key(name, permissions, max_uses).value();
    }

    /// Lists one page of keys with the filters and offset of `query`.
    Result<KeyList> try_list_keys(const KeyQuery &query = KeyQuery()) const {
        pinata_key_list *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_keys_list(h_.get(), query.native_handle(), &raw, err);
        });
        KeyList list(raw);
        if (!status) {
            return status.error();
        }
        return Result<KeyList>(std::move(list));
    }
    /// Throwing form of `try_list_keys`.
    KeyList list_keys(const KeyQuery &query = KeyQuery()) const {
        return try_list_keys(query).value();
    }

    /// Lists every key matching `query`, fetching page after page.
    Result<KeyList> try_list_all_keys(const KeyQuery &query = KeyQuery()) const {
        pinata_key_list *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_keys_list_all(h_.get(), query.native_handle(), &raw, err);
        });
        KeyList list(raw);
        if (!status) {
            return status.error();
        }
        return Result<KeyList>(std::move(list));
    }
    /// Throwing form of `try_list_all_keys`.
    KeyList list_all_keys(const KeyQuery &query = KeyQuery()) const {
        return try_list_all_keys(query).value();
    }

    /// Revokes a key by its `pinata_api_key` value.
    Result<void> try_revoke_key(std::string_view api_key) const {
        detail::CStr k(api_key, "api_key");
        if (auto e = detail::nul_error(k)) {
            return *e;
        }
        return detail::call(
            [&](pinata_error **err) { return pinata_keys_revoke(h_.get(), k.c_str(), err); });
    }
    /// Throwing form of `try_revoke_key`.
    void revoke_key(std::string_view api_key) const { try_revoke_key(api_key).value(); }

    // -- uploads and pins ------------------------------------------------------------

    /// Pins a file, or a directory recursively as one CID, streamed from disk.
    Result<PinResult> try_pin_file(std::string_view path,
                                   const PinOptions &options = PinOptions()) const {
        detail::CStr p(path, "path");
        if (auto e = detail::nul_error(p)) {
            return *e;
        }
        return upload(options, [&](pinata_pin_result **out, pinata_error **err) {
            return pinata_pin_file(h_.get(), p.c_str(), options.native_handle(), out, err);
        });
    }
    /// Throwing form of `try_pin_file`.
    PinResult pin_file(std::string_view path, const PinOptions &options = PinOptions()) const {
        return try_pin_file(path, options).value();
    }

    /// Pins `size` bytes at `data` as a file named `file_name` (no '/').
    Result<PinResult> try_pin_bytes(const void *data, std::size_t size, std::string_view file_name,
                                    const PinOptions &options = PinOptions()) const {
        detail::CStr f(file_name, "file_name");
        if (auto e = detail::nul_error(f)) {
            return *e;
        }
        return upload(options, [&](pinata_pin_result **out, pinata_error **err) {
            return pinata_pin_bytes(h_.get(), static_cast<const uint8_t *>(data), size,
                                    f.c_str(), options.native_handle(), out, err);
        });
    }
    /// Pins the bytes of `data` (any bytes, NULs included) as a file named `file_name`.
    Result<PinResult> try_pin_bytes(std::string_view data, std::string_view file_name,
                                    const PinOptions &options = PinOptions()) const {
        return try_pin_bytes(data.empty() ? nullptr : data.data(), data.size(), file_name,
                             options);
    }
    /// Throwing form of `try_pin_bytes`.
    PinResult pin_bytes(const void *data, std::size_t size, std::string_view file_name,
                        const PinOptions &options = PinOptions()) const {
        return try_pin_bytes(data, size, file_name, options).value();
    }
    /// Throwing form of `try_pin_bytes`.
    PinResult pin_bytes(std::string_view data, std::string_view file_name,
                        const PinOptions &options = PinOptions()) const {
        return try_pin_bytes(data, file_name, options).value();
    }

    /// Pins a JSON document given as text (`POST /pinning/pinJSONToIPFS`).
    Result<PinResult> try_pin_json(std::string_view json,
                                   const PinOptions &options = PinOptions()) const {
        detail::CStr j(json, "json");
        if (auto e = detail::nul_error(j)) {
            return *e;
        }
        return upload(options, [&](pinata_pin_result **out, pinata_error **err) {
            return pinata_pin_json(h_.get(), j.c_str(), options.native_handle(), out, err);
        });
    }
    /// Throwing form of `try_pin_json`.
    PinResult pin_json(std::string_view json, const PinOptions &options = PinOptions()) const {
        return try_pin_json(json, options).value();
    }

    /// `pin_json` as a `Call` an event loop drives (`pinata_pin_json_start`). The
    /// arguments are checked now; the options' progress callback does not apply.
    Result<Call<PinResult>> try_start_pin_json(std::string_view json,
                                               const PinOptions &options = PinOptions()) const {
        detail::CStr j(json, "json");
        if (auto e = detail::nul_error(j)) {
            return *e;
        }
        pinata_call *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_pin_json_start(h_.get(), j.c_str(), options.native_handle(), &raw, err);
        });
        Call<PinResult> call(raw);
        if (!status) {
            return status.error();
        }
        return Result<Call<PinResult>>(std::move(call));
    }
    /// Throwing form of `try_start_pin_json`.
    Call<PinResult> start_pin_json(std::string_view json,
                                   const PinOptions &options = PinOptions()) const {
        return try_start_pin_json(json, options).value();
    }

    /// Asks Pinata to pin an existing CID; uses the options' name, keyvalues, group
    /// and host nodes. Returns the queued job.
    Result<PinJob> try_pin_by_cid(std::string_view cid,
                                  const PinOptions &options = PinOptions()) const {
        detail::CStr c(cid, "cid");
        if (auto e = detail::nul_error(c)) {
            return *e;
        }
        pinata_pin_job *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_pin_by_cid(h_.get(), c.c_str(), options.native_handle(), &raw, err);
        });
        PinJob job(raw);
        if (!status) {
            return status.error();
        }
        return Result<PinJob>(std::move(job));
    }
    /// Throwing form of `try_pin_by_cid`.
    PinJob pin_by_cid(std::string_view cid, const PinOptions &options = PinOptions()) const {
        return try_pin_by_cid(cid, options).value();
    }

    /// Lists pin-by-CID jobs (`GET /pinning/pinJobs`).
    Result<PinJobList> try_list_pin_jobs(const PinJobQuery &query = PinJobQuery()) const {
        pinata_pin_job_list *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_pin_jobs_list(h_.get(), query.native_handle(), &raw, err);
        });
        PinJobList list(raw);
        if (!status) {
            return status.error();
        }
        return Result<PinJobList>(std::move(list));
    }
    /// Throwing form of `try_list_pin_jobs`.
    PinJobList list_pin_jobs(const PinJobQuery &query = PinJobQuery()) const {
        return try_list_pin_jobs(query).value();
    }

    /// Polls a pin-by-CID job (`pin_by_cid`'s) until it is pinned or has failed, and
    /// returns it settled: status `"pinned"`, or a failure such as `"expired"` or
    /// `"invalid_object"` (returned, not an error: check `status()`). Pauses start at
    /// `interval` and double while the status stays the same, up to `max_interval`;
    /// past `budget` the wait fails with `Status::Timeout`; zero picks each default
    /// (10 min, 500 ms, 30 s); negative durations are refused. `on_status` (may be
    /// empty) gets each new job status (`"prechecking"`, `"searching"`, …) on the
    /// calling thread; returning `false` stops the wait (`Status::Cancelled`), as does
    /// this client's cancel token (`with_cancel`); an exception it throws stops the
    /// wait and is rethrown here. A job neither listed nor pinned gives
    /// `Status::NotFound`.
    Result<PinJob> try_wait_pin_job(
        const PinJob &job, std::chrono::milliseconds budget = std::chrono::milliseconds(0),
        std::chrono::milliseconds interval = std::chrono::milliseconds(0),
        std::chrono::milliseconds max_interval = std::chrono::milliseconds(0),
        std::function<bool(const std::string &)> on_status = {}) const {
        return wait_job(pinata_pin_job_get_info(job.native_handle()), budget, interval,
                        max_interval, on_status);
    }
    /// Throwing form of `try_wait_pin_job`.
    PinJob wait_pin_job(const PinJob &job,
                        std::chrono::milliseconds budget = std::chrono::milliseconds(0),
                        std::chrono::milliseconds interval = std::chrono::milliseconds(0),
                        std::chrono::milliseconds max_interval = std::chrono::milliseconds(0),
                        std::function<bool(const std::string &)> on_status = {}) const {
        return try_wait_pin_job(job, budget, interval, max_interval, std::move(on_status))
            .value();
    }
    /// Like `try_wait_pin_job` for job `index` of a job list (`list_pin_jobs`); an index
    /// out of range gives `Status::InvalidArgument`.
    Result<PinJob> try_wait_pin_job(
        const PinJobList &jobs, std::size_t index,
        std::chrono::milliseconds budget = std::chrono::milliseconds(0),
        std::chrono::milliseconds interval = std::chrono::milliseconds(0),
        std::chrono::milliseconds max_interval = std::chrono::milliseconds(0),
        std::function<bool(const std::string &)> on_status = {}) const {
        if (index >= jobs.size()) {
            return detail::invalid_argument("`index` is out of range of the job list");
        }
        return wait_job(pinata_pin_job_list_get(jobs.native_handle(), index), budget, interval,
                        max_interval, on_status);
    }
    /// Throwing form of `try_wait_pin_job` on a job list.
    PinJob wait_pin_job(const PinJobList &jobs, std::size_t index,
                        std::chrono::milliseconds budget = std::chrono::milliseconds(0),
                        std::chrono::milliseconds interval = std::chrono::milliseconds(0),
                        std::chrono::milliseconds max_interval = std::chrono::milliseconds(0),
                        std::function<bool(const std::string &)> on_status = {}) const {
        return try_wait_pin_job(jobs, index, budget, interval, max_interval,
                                std::move(on_status))
            .value();
    }
    /// Like `try_wait_pin_job` for a job known by its id and CID alone (kept from an
    /// earlier run, say): `pinata_pin_job_wait_by_id`.
    Result<PinJob> try_wait_pin_job_by_id(
        std::string_view id, std::string_view cid,
        std::chrono::milliseconds budget = std::chrono::milliseconds(0),
        std::chrono::milliseconds interval = std::chrono::milliseconds(0),
        std::chrono::milliseconds max_interval = std::chrono::milliseconds(0),
        std::function<bool(const std::string &)> on_status = {}) const {
        detail::CStr i(id, "id"), c(cid, "cid");
        if (auto e = detail::nul_error(i, c)) {
            return *e;
        }
        return run_job_wait(budget, interval, max_interval, on_status,
                            [&](uint64_t b, uint64_t iv, uint64_t mx, pinata_wait_fn fn, void *ud,
                                pinata_pin_job **out, pinata_error **err) {
                                return pinata_pin_job_wait_by_id(h_.get(), i.c_str(), c.c_str(), b,
                                                                 iv, mx, fn, ud, out, err);
                            });
    }
    /// Throwing form of `try_wait_pin_job_by_id`.
    PinJob wait_pin_job_by_id(std::string_view id, std::string_view cid,
                              std::chrono::milliseconds budget = std::chrono::milliseconds(0),
                              std::chrono::milliseconds interval = std::chrono::milliseconds(0),
                              std::chrono::milliseconds max_interval = std::chrono::milliseconds(0),
                              std::function<bool(const std::string &)> on_status = {}) const {
        return try_wait_pin_job_by_id(id, cid, budget, interval, max_interval,
                                      std::move(on_status))
            .value();
    }

    /// Applies a metadata change to the pin of `cid`. A CID this account has not
    /// pinned gives `Status::NotFound`.
    Result<void> try_update_metadata(std::string_view cid, const MetadataUpdate &update) const {
        detail::CStr c(cid, "cid");
        if (auto e = detail::nul_error(c)) {
            return *e;
        }
        // An update without a handle is the empty change: make one for the call.
        detail::MetadataUpdatePtr empty;
        const pinata_metadata_update *u = update.native_handle();
        if (u == nullptr) {
            pinata_metadata_update *raw = nullptr;
            auto made = detail::call(
                [&](pinata_error **err) { return pinata_metadata_update_new(&raw, err); });
            empty.reset(raw);
            if (!made) {
                return made;
            }
            u = empty.get();
        }
        return detail::call([&](pinata_error **err) {
            return pinata_pin_update_metadata(h_.get(), c.c_str(), u, err);
        });
    }
    /// Throwing form of `try_update_metadata`.
    void update_metadata(std::string_view cid, const MetadataUpdate &update) const {
        try_update_metadata(cid, update).value();
    }

    /// Unpins `cid`. A CID this account has not pinned gives `Status::NotFound`
    /// (reason `CURRENT_USER_HAS_NOT_PINNED_CID`).
    Result<void> try_unpin(std::string_view cid) const {
        detail::CStr c(cid, "cid");
        if (auto e = detail::nul_error(c)) {
            return *e;
        }
        return detail::call(
            [&](pinata_error **err) { return pinata_unpin(h_.get(), c.c_str(), err); });
    }
    /// Throwing form of `try_unpin`.
    void unpin(std::string_view cid) const { try_unpin(cid).value(); }

    // -- data --------------------------------------------------------------------------

    /// Starts iterating over every pin matching `query`; no request is made until the
    /// first row is asked for. The returned `PinList` may outlive this client.
    Result<PinList> try_list_pins(const PinListQuery &query = PinListQuery()) const {
        pinata_pin_list_iter *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_pin_list_iter_new(h_.get(), query.native_handle(), &raw, err);
        });
        PinList list(raw);
        if (!status) {
            return status.error();
        }
        return Result<PinList>(std::move(list));
    }
    /// Throwing form of `try_list_pins`.
    PinList list_pins(const PinListQuery &query = PinListQuery()) const {
        return try_list_pins(query).value();
    }

    /// Usage totals (`GET /data/userPinnedDataTotal`).
    Result<Usage> try_usage() const {
        Usage usage;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_usage(h_.get(), &usage.pin_count, &usage.size_total,
                                &usage.size_with_replications, err);
        });
        if (!status) {
            return status.error();
        }
        return usage;
    }
    /// Throwing form of `try_usage`.
    Usage usage() const { return try_usage().value(); }

    // -- CID checks ----------------------------------------------------------------------

    /// The v1 CID profile this client (and the clients, lists and results that share
    /// its state) learned its current base URL's service answers in:
    /// `CidProfile::KuboV1` or `CidProfile::UnixfsV1_2025`. After a v1 upload whose check
    /// matched exactly one of them, later v1 checks hash only that one
    /// (`PinResult::profiles_hashed() == 1`), and fall back to both when it stops
    /// matching. `CidProfile::None` until then, and for a client without a handle.
    CidProfile learned_cid_profile() const noexcept {
        return static_cast<CidProfile>(pinata_client_learned_cid_profile(h_.get()));
    }

    /// True when the client holds a handle.
    explicit operator bool() const noexcept { return h_ != nullptr; }
    /// The C handle (owned by this object); null after a move.
    pinata_client *native_handle() const noexcept { return h_.get(); }

private:
    /// Runs `pinata_pin_job_wait` on a borrowed job (may be null: refused by C).
    Result<PinJob> wait_job(const pinata_pin_job_info *job, std::chrono::milliseconds budget,
                            std::chrono::milliseconds interval,
                            std::chrono::milliseconds max_interval,
                            const std::function<bool(const std::string &)> &on_status) const {
        return run_job_wait(budget, interval, max_interval, on_status,
                            [&](uint64_t b, uint64_t iv, uint64_t mx, pinata_wait_fn fn, void *ud,
                                pinata_pin_job **out, pinata_error **err) {
                                return pinata_pin_job_wait(h_.get(), job, b, iv, mx, fn, ud, out,
                                                           err);
                            });
    }

    /// Runs one C job wait: checks the durations, bridges `on_status` (an exception it
    /// threw is rethrown here, after the C call has returned) and owns the result.
    template <class F>
    static Result<PinJob> run_job_wait(std::chrono::milliseconds budget,
                                       std::chrono::milliseconds interval,
                                       std::chrono::milliseconds max_interval,
                                       const std::function<bool(const std::string &)> &on_status,
                                       F &&wait) {
        if (auto e = detail::negative_error(budget, "budget")) {
            return *e;
        }
        if (auto e = detail::negative_error(interval, "interval")) {
            return *e;
        }
        if (auto e = detail::negative_error(max_interval, "max_interval")) {
            return *e;
        }
        detail::JobWaitState state;
        state.fn = &on_status;
        pinata_pin_job *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return wait(static_cast<uint64_t>(budget.count()),
                        static_cast<uint64_t>(interval.count()),
                        static_cast<uint64_t>(max_interval.count()),
                        on_status ? &detail::JobWaitState::trampoline : nullptr, &state, &raw,
                        err);
        });
        PinJob done(raw);  // owned before anything can throw
        if (state.thrown) {
            std::rethrow_exception(state.thrown);
        }
        if (!status) {
            return status.error();
        }
        return Result<PinJob>(std::move(done));
    }

    /// Runs an upload call, bridging the options' progress callback: an exception it
    /// threw is rethrown here, after the C call has returned.
    template <class F>
    static Result<PinResult> upload(const PinOptions &options, F &&f) {
        detail::ProgressScope scope(options.progress_.get());
        pinata_pin_result *raw = nullptr;
        auto status = detail::call([&](pinata_error **err) { return f(&raw, err); });
        PinResult result(raw);  // owned before anything can throw
        scope.rethrow_if_any();
        if (!status) {
            return status.error();
        }
        return Result<PinResult>(std::move(result));
    }

    detail::ClientPtr h_;
};

}  // namespace pinata

#include "pinata/groups.hpp"  // v3 and legacy groups
#include "pinata/psa.hpp"
#include "pinata/v3.hpp"    // v3 files: uploads, signed URLs, download links
#include "pinata/download.hpp"  // verified downloads (pinata_download_*)
#include "pinata/tus.hpp"  // resumable (TUS) uploads, the v3 upload path choice
#include "pinata/batch.hpp"  // batch uploads (pinata_pin_batch_*), legacy pins or v3 files

#endif  // PINATA_HPP
