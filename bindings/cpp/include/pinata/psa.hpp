// The IPFS Pinning Service API in the C++ wrapper: pinata::PsaClient (any provider,
// or a Pinata client's /psa), add, get, replace, remove, wait and list (all at once, or
// page by page with the service's count: pinata::PsaList), a cancellable client and its
// retry policy. Included by pinata.hpp; may also be included on its own.
#ifndef PINATA_PSA_HPP
#define PINATA_PSA_HPP

#include "../pinata.hpp"

#include <map>
#include <vector>

namespace pinata {

/// A pin request's status.
enum class PsaStatus : int32_t {
    Queued = PINATA_PSA_QUEUED,
    Pinning = PINATA_PSA_PINNING,
    Pinned = PINATA_PSA_PINNED,
    Failed = PINATA_PSA_FAILED,
};

/// How the list's name filter matches.
enum class PsaMatch : int32_t {
    Exact = PINATA_PSA_MATCH_EXACT,
    IExact = PINATA_PSA_MATCH_IEXACT,
    Partial = PINATA_PSA_MATCH_PARTIAL,
    IPartial = PINATA_PSA_MATCH_IPARTIAL,
};

/// What to pin.
struct PsaPin {
    std::string cid;
    std::optional<std::string> name;
    std::vector<std::string> origins;  ///< multiaddrs of peers with the content
    std::map<std::string, std::string> meta;
    bool drop_private_origins = false;  ///< leave out LAN/loopback origins
};

/// A pin request as the service reports it.
struct PsaRequest {
    std::string requestid;
    PsaStatus status = PsaStatus::Queued;
    std::string created;  ///< RFC 3339, as sent
    std::string cid;
    std::optional<std::string> name;
    std::vector<std::string> origins;
    std::vector<std::string> delegates;  ///< checked multiaddrs with a /p2p/ peer id
    std::string meta_json;
    std::string info_json;
    std::string raw_json;
};

/// List filters; the default lists pinned requests only.
struct PsaQuery {
    std::vector<std::string> cids;  ///< at most 10
    std::optional<std::string> name;
    PsaMatch match = PsaMatch::Exact;
    std::vector<PsaStatus> statuses;
    std::optional<std::string> before;  ///< RFC 3339
    std::optional<std::string> after;   ///< RFC 3339
    uint32_t page_limit = 0;            ///< 1–1000; 0 for the service's default
    std::map<std::string, std::string> meta;
};

namespace detail {
using PsaClientPtr = Owned<pinata_psa_client, &pinata_psa_client_free>;
using PsaPinPtr = Owned<pinata_psa_pin, &pinata_psa_pin_free>;
using PsaRequestPtr = Owned<pinata_psa_request, &pinata_psa_request_free>;
using PsaQueryPtr = Owned<pinata_psa_query, &pinata_psa_query_free>;
using PsaIterPtr = Owned<pinata_psa_list_iter, &pinata_psa_list_iter_free>;

inline PsaRequest psa_request(const pinata_psa_status *s) {
    PsaRequest r;
    r.requestid = str(pinata_psa_status_requestid(s));
    r.status = static_cast<PsaStatus>(pinata_psa_status_status(s));
    r.created = str(pinata_psa_status_created(s));
    r.cid = str(pinata_psa_status_cid(s));
    r.name = opt_str(pinata_psa_status_name(s));
    for (size_t i = 0; i < pinata_psa_status_origin_count(s); ++i) {
        r.origins.push_back(str(pinata_psa_status_origin(s, i)));
    }
    for (size_t i = 0; i < pinata_psa_status_delegate_count(s); ++i) {
        r.delegates.push_back(str(pinata_psa_status_delegate(s, i)));
    }
    r.meta_json = str(pinata_psa_status_meta_json(s));
    r.info_json = str(pinata_psa_status_info_json(s));
    r.raw_json = str(pinata_psa_status_raw_json(s));
    return r;
}

/// Builds the C pin; a NUL byte in any text is refused.
inline Result<PsaPinPtr> psa_pin(const PsaPin &pin) {
    CStr cid(pin.cid, "cid");
    if (auto e = nul_error(cid)) {
        return *e;
    }
    pinata_psa_pin *raw = nullptr;
    auto made = call([&](pinata_error **err) { return pinata_psa_pin_new(cid.c_str(), &raw, err); });
    PsaPinPtr p(raw);
    if (!made) {
        return made.error();
    }
    auto text = [&](std::string_view v, const char *name, auto &&f) -> Result<void> {
        CStr c(v, name);
        if (auto e = nul_error(c)) {
            return *e;
        }
        return call([&](pinata_error **err) { return f(c.c_str(), err); });
    };
    if (pin.name) {
        auto r = text(*pin.name, "name", [&](const char *n, pinata_error **err) {
            return pinata_psa_pin_set_name(p.get(), n, err);
        });
        if (!r) return r.error();
    }
    for (const auto &o : pin.origins) {
        auto r = text(o, "origin", [&](const char *v, pinata_error **err) {
            return pinata_psa_pin_add_origin(p.get(), v, err);
        });
        if (!r) return r.error();
    }
    for (const auto &kv : pin.meta) {
        CStr k(kv.first, "key"), v(kv.second, "value");
        if (auto e = nul_error(k, v)) {
            return *e;
        }
        auto r = call([&](pinata_error **err) {
            return pinata_psa_pin_set_meta(p.get(), k.c_str(), v.c_str(), err);
        });
        if (!r) return r.error();
    }
    auto r = call([&](pinata_error **err) {
        return pinata_psa_pin_set_drop_private_origins(p.get(), pin.drop_private_origins, err);
    });
    if (!r) return r.error();
    return Result<PsaPinPtr>(std::move(p));
}

/// Carries the user's status callback (and an exception it threw) through C.
struct PsaWaitState {
    const std::function<bool(const std::string &)> *fn = nullptr;
    std::exception_ptr thrown;
    static int32_t trampoline(const char *status, void *userdata) noexcept {
        auto *self = static_cast<PsaWaitState *>(userdata);
        try {
            return (*self->fn)(status) ? 0 : 1;
        } catch (...) {
            self->thrown = std::current_exception();
            return 1;
        }
    }
};
}  // namespace detail

/// Walks the pin requests matching a query, newest first, fetching pages (by
/// `before`) as needed (`pinata_psa_list_iter`): made by `PsaClient::list_iter`. Use it
/// in a range-for loop, which yields `PsaRequest` values and throws `Error` if a page
/// cannot be fetched, or call `next()`/`try_next()`. One thread at a time; movable.
///
/// Lifetime: it keeps its own reference to the client it came from and its own copy
/// of the query, so both may be destroyed first.
class PsaList {
public:
    /// An input iterator over the requests; `*it` is the current `PsaRequest`. `++it`
    /// fetches the next request (may make a request; throws `Error` on failure, after
    /// which the iteration may be resumed).
    using iterator = detail::WalkIterator<PsaList, PsaRequest>;

    /// Adopts a C iterator (may be null: every `next()` then fails).
    explicit PsaList(pinata_psa_list_iter *adopt = nullptr) noexcept : h_(adopt) {}

    /// The next request, or `std::nullopt` at the end. After a failure, calling again
    /// fetches the failed page again.
    Result<std::optional<PsaRequest>> try_next() {
        const pinata_psa_status *row = nullptr;
        auto status = detail::call([&](pinata_error **err) {
            return pinata_psa_list_iter_next(h_.get(), &row, err);
        });
        if (!status) {
            return status.error();
        }
        if (row == nullptr) {
            return std::optional<PsaRequest>();
        }
        return std::optional<PsaRequest>(detail::psa_request(row));
    }
    /// Throwing form of `try_next`.
    std::optional<PsaRequest> next() { return try_next().value(); }

    /// The count of matching requests the service reported on the first page (all
    /// pages together); `std::nullopt` until the first page has been fetched.
    std::optional<uint64_t> total() const noexcept {
        return detail::total_of(pinata_psa_list_iter_total(h_.get()));
    }

    /// Fetches the first request (from where the iteration stands) and returns an
    /// iterator on it. Throws `Error` if the request fails.
    iterator begin() { return iterator(this); }
    /// The end iterator.
    iterator end() noexcept { return iterator(); }

    /// The C handle (owned by this object).
    pinata_psa_list_iter *native_handle() const noexcept { return h_.get(); }

private:
    detail::PsaIterPtr h_;
};

/// A Pinning Service API client. Usable from many threads at once; movable.
class PsaClient {
public:
    /// A client without a handle: every call fails with `Status::InvalidArgument`.
    PsaClient() noexcept = default;
    /// Adopts a C handle (may be null).
    explicit PsaClient(pinata_psa_client *adopt) noexcept : h_(adopt) {}

    /// The PSA at `endpoint` (e.g. "https://api.pinata.cloud/psa") with `token`.
    static Result<PsaClient> try_create(std::string_view endpoint, std::string_view token) {
        detail::CStr e(endpoint, "endpoint"), t(token, "token");
        if (auto err = detail::nul_error(e, t)) {
            return *err;
        }
        pinata_psa_client *raw = nullptr;
        auto s = detail::call([&](pinata_error **err) {
            return pinata_psa_client_new(e.c_str(), t.c_str(), &raw, err);
        });
        PsaClient c(raw);
        if (!s) return s.error();
        return Result<PsaClient>(std::move(c));
    }
    /// Throwing form of `try_create`.
    static PsaClient create(std::string_view endpoint, std::string_view token) {
        return try_create(endpoint, token).value();
    }

    /// The PSA of a Pinata client (its JWT, settings, base URL + /psa).
    static Result<PsaClient> try_from(const Client &client) {
        pinata_psa_client *raw = nullptr;
        auto s = detail::call([&](pinata_error **err) {
            return pinata_psa_client_from_client(client.native_handle(), &raw, err);
        });
        PsaClient c(raw);
        if (!s) return s.error();
        return Result<PsaClient>(std::move(c));
    }
    /// Throwing form of `try_from`.
    static PsaClient from(const Client &client) { return try_from(client).value(); }

    /// A client sharing this one's token, connections and settings whose every call
    /// (waits included, during their sleeps too) stops with `Status::Cancelled` once
    /// `token` is raised. It may outlive this client and the token object.
    Result<PsaClient> try_with_cancel(const CancelToken &token) const {
        pinata_psa_client *raw = nullptr;
        auto s = detail::call([&](pinata_error **err) {
            return pinata_psa_client_with_cancel(h_.get(), token.native_handle(), &raw, err);
        });
        PsaClient c(raw);
        if (!s) return s.error();
        return Result<PsaClient>(std::move(c));
    }
    /// Throwing form of `try_with_cancel`.
    PsaClient with_cancel(const CancelToken &token) const {
        return try_with_cancel(token).value();
    }

    /// The retry policy (exclusive access, like a `Client`'s setters): at most
    /// `max_retries` retries (0: none) of 429, 5xx and network failures, all within
    /// `budget`. A client from `create` starts with the library's default; one from
    /// `from` with its Pinata client's policy.
    Result<void> try_set_retry_policy(uint32_t max_retries, std::chrono::milliseconds budget) {
        if (auto e = detail::negative_error(budget, "budget")) {
            return *e;
        }
        return detail::call([&](pinata_error **err) {
            return pinata_psa_client_set_retry_policy(h_.get(), max_retries,
                                                      static_cast<uint64_t>(budget.count()), err);
        });
    }
    /// Throwing form of `try_set_retry_policy`.
    PsaClient &set_retry_policy(uint32_t max_retries, std::chrono::milliseconds budget) {
        try_set_retry_policy(max_retries, budget).value();
        return *this;
    }

    /// Asks the service to pin (POST /pins).
    Result<PsaRequest> try_add(const PsaPin &pin) const {
        auto p = detail::psa_pin(pin);
        if (!p) return p.error();
        return request([&](pinata_psa_request **out, pinata_error **err) {
            return pinata_psa_add(h_.get(), p->get(), out, err);
        });
    }
    PsaRequest add(const PsaPin &pin) const { return try_add(pin).value(); }

    /// A request by id; an unknown id gives `Status::NotFound`.
    Result<PsaRequest> try_get(std::string_view requestid) const {
        detail::CStr id(requestid, "requestid");
        if (auto e = detail::nul_error(id)) return *e;
        return request([&](pinata_psa_request **out, pinata_error **err) {
            return pinata_psa_get(h_.get(), id.c_str(), out, err);
        });
    }
    PsaRequest get(std::string_view requestid) const { return try_get(requestid).value(); }

    /// Replaces a request with a new pin; the answer has a new request id.
    Result<PsaRequest> try_replace(std::string_view requestid, const PsaPin &pin) const {
        detail::CStr id(requestid, "requestid");
        if (auto e = detail::nul_error(id)) return *e;
        auto p = detail::psa_pin(pin);
        if (!p) return p.error();
        return request([&](pinata_psa_request **out, pinata_error **err) {
            return pinata_psa_replace(h_.get(), id.c_str(), p->get(), out, err);
        });
    }
    PsaRequest replace(std::string_view requestid, const PsaPin &pin) const {
        return try_replace(requestid, pin).value();
    }

    /// Removes a request and its pin.
    Result<void> try_remove(std::string_view requestid) const {
        detail::CStr id(requestid, "requestid");
        if (auto e = detail::nul_error(id)) return *e;
        return detail::call(
            [&](pinata_error **err) { return pinata_psa_delete(h_.get(), id.c_str(), err); });
    }
    void remove(std::string_view requestid) const { try_remove(requestid).value(); }

    /// Polls until pinned or failed (a failed request is returned: check `status`),
    /// backing off from `interval` up to `max_interval` within `budget`
    /// (`Status::Timeout` past it); 0 picks each default. `on_status` (may be empty)
    /// gets each new status; false stops the wait (`Status::Cancelled`); an exception
    /// it throws is rethrown here.
    Result<PsaRequest> try_wait(std::string_view requestid,
                                std::chrono::milliseconds budget = std::chrono::milliseconds(0),
                                std::chrono::milliseconds interval = std::chrono::milliseconds(0),
                                std::chrono::milliseconds max_interval = std::chrono::milliseconds(0),
                                std::function<bool(const std::string &)> on_status = {}) const {
        detail::CStr id(requestid, "requestid");
        if (auto e = detail::nul_error(id)) return *e;
        if (budget.count() < 0 || interval.count() < 0 || max_interval.count() < 0) {
            return detail::invalid_argument("durations must not be negative");
        }
        detail::PsaWaitState state;
        state.fn = &on_status;
        auto r = request([&](pinata_psa_request **out, pinata_error **err) {
            return pinata_psa_wait(h_.get(), id.c_str(), static_cast<uint64_t>(budget.count()),
                                   static_cast<uint64_t>(interval.count()),
                                   static_cast<uint64_t>(max_interval.count()),
                                   on_status ? &detail::PsaWaitState::trampoline : nullptr,
                                   &state, out, err);
        });
        if (state.thrown) std::rethrow_exception(state.thrown);
        return r;
    }
    PsaRequest wait(std::string_view requestid,
                    std::chrono::milliseconds budget = std::chrono::milliseconds(0),
                    std::chrono::milliseconds interval = std::chrono::milliseconds(0),
                    std::chrono::milliseconds max_interval = std::chrono::milliseconds(0),
                    std::function<bool(const std::string &)> on_status = {}) const {
        return try_wait(requestid, budget, interval, max_interval, std::move(on_status)).value();
    }

    /// Every request matching `query`, newest first (pages fetched by `before`), at
    /// most `max` of them (0: all).
    Result<std::vector<PsaRequest>> try_list(const PsaQuery &query = {}, size_t max = 0) const {
        auto q = make_query(query);
        if (!q) return q.error();
        pinata_psa_list_iter *raw = nullptr;
        auto s = detail::call([&](pinata_error **err) {
            return pinata_psa_list_iter_new(h_.get(), q->get(), &raw, err);
        });
        detail::PsaIterPtr it(raw);
        if (!s) return s.error();
        std::vector<PsaRequest> out;
        while (max == 0 || out.size() < max) {
            const pinata_psa_status *row = nullptr;
            auto n = detail::call([&](pinata_error **err) {
                return pinata_psa_list_iter_next(it.get(), &row, err);
            });
            if (!n) return n.error();
            if (row == nullptr) break;
            out.push_back(detail::psa_request(row));
        }
        return Result<std::vector<PsaRequest>>(std::move(out));
    }
    std::vector<PsaRequest> list(const PsaQuery &query = {}, size_t max = 0) const {
        return try_list(query, max).value();
    }

    /// Starts walking the requests matching `query` page by page, newest first; no
    /// request is made until the first one is asked for. Unlike `list`, it reports the
    /// service's count of matches (`PsaList::total`). The `PsaList` may outlive this
    /// client.
    Result<PsaList> try_list_iter(const PsaQuery &query = {}) const {
        auto q = make_query(query);
        if (!q) return q.error();
        pinata_psa_list_iter *raw = nullptr;
        auto s = detail::call([&](pinata_error **err) {
            return pinata_psa_list_iter_new(h_.get(), q->get(), &raw, err);
        });
        PsaList list(raw);
        if (!s) return s.error();
        return Result<PsaList>(std::move(list));
    }
    /// Throwing form of `try_list_iter`.
    PsaList list_iter(const PsaQuery &query = {}) const { return try_list_iter(query).value(); }

    /// True when the client holds a handle.
    explicit operator bool() const noexcept { return h_ != nullptr; }
    /// The C handle (owned by this object).
    pinata_psa_client *native_handle() const noexcept { return h_.get(); }

private:
    template <class F>
    static Result<PsaRequest> request(F &&f) {
        pinata_psa_request *raw = nullptr;
        auto s = detail::call([&](pinata_error **err) { return f(&raw, err); });
        detail::PsaRequestPtr owned(raw);
        if (!s) return s.error();
        return Result<PsaRequest>(detail::psa_request(pinata_psa_request_status(owned.get())));
    }

    static Result<detail::PsaQueryPtr> make_query(const PsaQuery &query) {
        pinata_psa_query *raw = nullptr;
        auto made = detail::call([&](pinata_error **err) { return pinata_psa_query_new(&raw, err); });
        detail::PsaQueryPtr q(raw);
        if (!made) return made.error();
        auto text = [&](std::string_view v, const char *name, auto &&f) -> Result<void> {
            detail::CStr c(v, name);
            if (auto e = detail::nul_error(c)) return *e;
            return detail::call([&](pinata_error **err) { return f(c.c_str(), err); });
        };
        for (const auto &c : query.cids) {
            auto r = text(c, "cid", [&](const char *v, pinata_error **err) {
                return pinata_psa_query_add_cid(q.get(), v, err);
            });
            if (!r) return r.error();
        }
        if (query.name) {
            auto r = text(*query.name, "name", [&](const char *v, pinata_error **err) {
                return pinata_psa_query_set_name(q.get(), v, static_cast<int32_t>(query.match), err);
            });
            if (!r) return r.error();
        }
        for (auto st : query.statuses) {
            auto r = detail::call([&](pinata_error **err) {
                return pinata_psa_query_add_status(q.get(), static_cast<int32_t>(st), err);
            });
            if (!r) return r.error();
        }
        const std::pair<int32_t, const std::optional<std::string> *> times[] = {
            {0, &query.before}, {1, &query.after}};
        for (const auto &t : times) {
            if (*t.second) {
                auto r = text(**t.second, "time", [&](const char *v, pinata_error **err) {
                    return pinata_psa_query_set_time(q.get(), t.first, v, err);
                });
                if (!r) return r.error();
            }
        }
        if (query.page_limit != 0) {
            auto r = detail::call([&](pinata_error **err) {
                return pinata_psa_query_set_limit(q.get(), query.page_limit, err);
            });
            if (!r) return r.error();
        }
        for (const auto &kv : query.meta) {
            detail::CStr k(kv.first, "key"), v(kv.second, "value");
            if (auto e = detail::nul_error(k, v)) return *e;
            auto r = detail::call([&](pinata_error **err) {
                return pinata_psa_query_set_meta(q.get(), k.c_str(), v.c_str(), err);
            });
            if (!r) return r.error();
        }
        return Result<detail::PsaQueryPtr>(std::move(q));
    }

    detail::PsaClientPtr h_;
};

}  // namespace pinata

#endif  // PINATA_PSA_HPP
