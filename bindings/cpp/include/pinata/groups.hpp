// Groups in the C++ wrapper: v3 groups per network (`pinata::groups::*`, over
// `pinata_groups_*`) and legacy CID-based groups (`pinata::pin_groups::*`, over
// `pinata_pin_groups_*`). Included by pinata.hpp; every call has a `try_` form
// returning `pinata::Result<T>` and a throwing form.
#ifndef PINATA_GROUPS_HPP
#define PINATA_GROUPS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// pinata.hpp includes this file at its end; including this file first works too.
#include "../pinata.hpp"

namespace pinata {

/// The network of a v3 resource.
enum class Network : int32_t {
    Public = PINATA_NETWORK_PUBLIC,    ///< IPFS
    Private = PINATA_NETWORK_PRIVATE,  ///< reached through signed links only
};

/// A v3 group.
struct Group {
    std::string id;
    std::string name;
    bool is_public = false;
    std::optional<std::string> created_at;  ///< ISO-8601
    std::string raw_json;                   ///< the whole group as the service sent it
};

/// Filters of the v3 group list; the default lists every group of the network.
struct GroupQuery {
    std::optional<std::string> name;  ///< groups whose name matches
    std::optional<bool> is_public;    ///< only public (true) or non-public (false) groups
    uint32_t page_size = 0;           ///< groups per request, 1-1000; 0: service default
};

/// A legacy (CID-based) group.
struct PinGroup {
    std::string id;
    std::string name;
    std::optional<std::string> user_id;
    std::optional<std::string> created_at;  ///< ISO-8601
    std::optional<std::string> updated_at;  ///< ISO-8601
    std::string raw_json;
};

/// Filters and paging of the legacy group list; the default lists every group.
struct PinGroupQuery {
    std::optional<std::string> name_contains;
    uint32_t page_size = 0;  ///< groups per request, 1-1000; 0: the default (10)
    uint64_t offset = 0;     ///< groups to skip
};

namespace detail {
using GroupPtr = Owned<pinata_group, &pinata_group_free>;
using GroupQueryPtr = Owned<pinata_group_query, &pinata_group_query_free>;
using GroupIterPtr = Owned<pinata_group_iter, &pinata_group_iter_free>;
using PinGroupPtr = Owned<pinata_pin_group, &pinata_pin_group_free>;
using PinGroupQueryPtr = Owned<pinata_pin_group_query, &pinata_pin_group_query_free>;
using PinGroupIterPtr = Owned<pinata_pin_group_iter, &pinata_pin_group_iter_free>;

inline Group group_of(const pinata_group *g) {
    return Group{str(pinata_group_id(g)), str(pinata_group_name(g)), pinata_group_is_public(g),
                 opt_str(pinata_group_created_at(g)), str(pinata_group_raw_json(g))};
}

inline PinGroup pin_group_of(const pinata_pin_group *g) {
    return PinGroup{str(pinata_pin_group_id(g)),         str(pinata_pin_group_name(g)),
                    opt_str(pinata_pin_group_user_id(g)), opt_str(pinata_pin_group_created_at(g)),
                    opt_str(pinata_pin_group_updated_at(g)), str(pinata_pin_group_raw_json(g))};
}

/// Runs a call that returns an owned `pinata_group` and copies it out.
template <class F>
Result<Group> group_call(F &&f) {
    pinata_group *raw = nullptr;
    auto status = call([&](pinata_error **err) { return f(&raw, err); });
    GroupPtr owned(raw);
    if (!status) {
        return status.error();
    }
    return Result<Group>(group_of(owned.get()));
}

template <class F>
Result<PinGroup> pin_group_call(F &&f) {
    pinata_pin_group *raw = nullptr;
    auto status = call([&](pinata_error **err) { return f(&raw, err); });
    PinGroupPtr owned(raw);
    if (!status) {
        return status.error();
    }
    return Result<PinGroup>(pin_group_of(owned.get()));
}

inline int32_t tri(const std::optional<bool> &b) { return b ? (*b ? 1 : 0) : -1; }
}  // namespace detail

/// v3 groups (`/v3/groups/{network}`).
namespace groups {

/// Creates a group on a network.
inline Result<Group> try_create(const Client &client, Network network, std::string_view name,
                                bool is_public = false) {
    detail::CStr n(name, "name");
    if (auto e = detail::nul_error(n)) {
        return *e;
    }
    return detail::group_call([&](pinata_group **out, pinata_error **err) {
        return pinata_groups_create(client.native_handle(), static_cast<int32_t>(network),
                                    n.c_str(), is_public, out, err);
    });
}
/// Throwing form of `try_create`.
inline Group create(const Client &client, Network network, std::string_view name,
                    bool is_public = false) {
    return try_create(client, network, name, is_public).value();
}

/// One group; an unknown id (or one of the other network) fails with `Status::NotFound`.
inline Result<Group> try_get(const Client &client, Network network, std::string_view id) {
    detail::CStr i(id, "group_id");
    if (auto e = detail::nul_error(i)) {
        return *e;
    }
    return detail::group_call([&](pinata_group **out, pinata_error **err) {
        return pinata_groups_get(client.native_handle(), static_cast<int32_t>(network),
                                 i.c_str(), out, err);
    });
}
/// Throwing form of `try_get`.
inline Group get(const Client &client, Network network, std::string_view id) {
    return try_get(client, network, id).value();
}

/// Changes a group's name and/or visibility (at least one) and returns it as updated.
inline Result<Group> try_update(const Client &client, Network network, std::string_view id,
                                std::optional<std::string_view> name,
                                std::optional<bool> is_public = std::nullopt) {
    detail::CStr i(id, "group_id");
    detail::OptCStr n(name, "name");
    if (auto e = detail::nul_error(i, n)) {
        return *e;
    }
    return detail::group_call([&](pinata_group **out, pinata_error **err) {
        return pinata_groups_update(client.native_handle(), static_cast<int32_t>(network),
                                    i.c_str(), n.c_str(), detail::tri(is_public), out, err);
    });
}
/// Throwing form of `try_update`.
inline Group update(const Client &client, Network network, std::string_view id,
                    std::optional<std::string_view> name,
                    std::optional<bool> is_public = std::nullopt) {
    return try_update(client, network, id, name, is_public).value();
}

/// Deletes a group; its files stay.
inline Result<void> try_remove(const Client &client, Network network, std::string_view id) {
    detail::CStr i(id, "group_id");
    if (auto e = detail::nul_error(i)) {
        return *e;
    }
    return detail::call([&](pinata_error **err) {
        return pinata_groups_delete(client.native_handle(), static_cast<int32_t>(network),
                                    i.c_str(), err);
    });
}
/// Throwing form of `try_remove`.
inline void remove(const Client &client, Network network, std::string_view id) {
    try_remove(client, network, id).value();
}

/// Puts a file (by its v3 id) in a group, or (`add` false) takes it out.
inline Result<void> try_set_member(const Client &client, Network network,
                                   std::string_view group_id, std::string_view file_id,
                                   bool add) {
    detail::CStr g(group_id, "group_id");
    detail::CStr f(file_id, "file_id");
    if (auto e = detail::nul_error(g, f)) {
        return *e;
    }
    return detail::call([&](pinata_error **err) {
        auto fn = add ? &pinata_groups_add_file : &pinata_groups_remove_file;
        return fn(client.native_handle(), static_cast<int32_t>(network), g.c_str(), f.c_str(),
                  err);
    });
}
/// Puts a file in a group (throws on failure).
inline void add_file(const Client &client, Network network, std::string_view group_id,
                     std::string_view file_id) {
    try_set_member(client, network, group_id, file_id, true).value();
}
/// Takes a file out of a group (throws on failure).
inline void remove_file(const Client &client, Network network, std::string_view group_id,
                        std::string_view file_id) {
    try_set_member(client, network, group_id, file_id, false).value();
}

/// Every group of a network matching `query`, newest first (all pages, following the
/// service's page tokens).
inline Result<std::vector<Group>> try_list(const Client &client, Network network,
                                           const GroupQuery &query = {}) {
    detail::OptCStr n(query.name ? std::optional<std::string_view>(*query.name) : std::nullopt,
                      "name");
    if (auto e = detail::nul_error(n)) {
        return *e;
    }
    pinata_group_query *rawq = nullptr;
    auto made = detail::call([&](pinata_error **err) { return pinata_group_query_new(&rawq, err); });
    detail::GroupQueryPtr q(rawq);
    if (!made) {
        return made.error();
    }
    auto set = detail::call([&](pinata_error **err) {
        return pinata_group_query_set_filters(q.get(), n.c_str(), detail::tri(query.is_public),
                                              err);
    });
    if (set && query.page_size != 0) {
        set = detail::call([&](pinata_error **err) {
            return pinata_group_query_set_limit(q.get(), query.page_size, err);
        });
    }
    if (!set) {
        return set.error();
    }
    pinata_group_iter *rawi = nullptr;
    auto started = detail::call([&](pinata_error **err) {
        return pinata_groups_list(client.native_handle(), static_cast<int32_t>(network), q.get(),
                                  &rawi, err);
    });
    detail::GroupIterPtr it(rawi);
    if (!started) {
        return started.error();
    }
    return detail::drain<Group, pinata_group>(
        [&](const pinata_group **g, pinata_error **err) {
            return pinata_group_iter_next(it.get(), g, err);
        },
        detail::group_of);
}
/// Throwing form of `try_list`.
inline std::vector<Group> list(const Client &client, Network network,
                               const GroupQuery &query = {}) {
    return try_list(client, network, query).value();
}

}  // namespace groups

/// Legacy CID-based groups (`/groups`).
namespace pin_groups {

/// Creates a group.
inline Result<PinGroup> try_create(const Client &client, std::string_view name) {
    detail::CStr n(name, "name");
    if (auto e = detail::nul_error(n)) {
        return *e;
    }
    return detail::pin_group_call([&](pinata_pin_group **out, pinata_error **err) {
        return pinata_pin_groups_create(client.native_handle(), n.c_str(), out, err);
    });
}
/// Throwing form of `try_create`.
inline PinGroup create(const Client &client, std::string_view name) {
    return try_create(client, name).value();
}

/// One group; an unknown id fails with `Status::NotFound`.
inline Result<PinGroup> try_get(const Client &client, std::string_view id) {
    detail::CStr i(id, "group_id");
    if (auto e = detail::nul_error(i)) {
        return *e;
    }
    return detail::pin_group_call([&](pinata_pin_group **out, pinata_error **err) {
        return pinata_pin_groups_get(client.native_handle(), i.c_str(), out, err);
    });
}
/// Throwing form of `try_get`.
inline PinGroup get(const Client &client, std::string_view id) {
    return try_get(client, id).value();
}

/// Renames a group and returns it as updated.
inline Result<PinGroup> try_rename(const Client &client, std::string_view id,
                                   std::string_view name) {
    detail::CStr i(id, "group_id");
    detail::CStr n(name, "name");
    if (auto e = detail::nul_error(i, n)) {
        return *e;
    }
    return detail::pin_group_call([&](pinata_pin_group **out, pinata_error **err) {
        return pinata_pin_groups_update(client.native_handle(), i.c_str(), n.c_str(), out, err);
    });
}
/// Throwing form of `try_rename`.
inline PinGroup rename(const Client &client, std::string_view id, std::string_view name) {
    return try_rename(client, id, name).value();
}

/// Deletes a group; its CIDs stay pinned.
inline Result<void> try_remove(const Client &client, std::string_view id) {
    detail::CStr i(id, "group_id");
    if (auto e = detail::nul_error(i)) {
        return *e;
    }
    return detail::call([&](pinata_error **err) {
        return pinata_pin_groups_delete(client.native_handle(), i.c_str(), err);
    });
}
/// Throwing form of `try_remove`.
inline void remove(const Client &client, std::string_view id) { try_remove(client, id).value(); }

/// Adds (`add` true) or removes CIDs (at least one).
inline Result<void> try_change_cids(const Client &client, std::string_view id,
                                    const std::vector<std::string> &cids, bool add) {
    detail::CStr i(id, "group_id");
    if (auto e = detail::nul_error(i)) {
        return *e;
    }
    std::vector<const char *> ptrs;
    for (const std::string &c : cids) {
        if (c.find('\0') != std::string::npos) {
            return detail::invalid_argument("`cids` holds a NUL byte");
        }
        ptrs.push_back(c.c_str());
    }
    return detail::call([&](pinata_error **err) {
        auto fn = add ? &pinata_pin_groups_add_cids : &pinata_pin_groups_remove_cids;
        return fn(client.native_handle(), i.c_str(), ptrs.empty() ? nullptr : ptrs.data(),
                  ptrs.size(), err);
    });
}
/// Adds CIDs to a group (throws on failure).
inline void add_cids(const Client &client, std::string_view id,
                     const std::vector<std::string> &cids) {
    try_change_cids(client, id, cids, true).value();
}
/// Removes CIDs from a group (throws on failure); they stay pinned.
inline void remove_cids(const Client &client, std::string_view id,
                        const std::vector<std::string> &cids) {
    try_change_cids(client, id, cids, false).value();
}

/// Every group matching `query`, newest first (all pages from `offset`).
inline Result<std::vector<PinGroup>> try_list(const Client &client,
                                              const PinGroupQuery &query = {}) {
    detail::OptCStr n(query.name_contains
                          ? std::optional<std::string_view>(*query.name_contains)
                          : std::nullopt,
                      "name_contains");
    if (auto e = detail::nul_error(n)) {
        return *e;
    }
    pinata_pin_group_query *rawq = nullptr;
    auto made =
        detail::call([&](pinata_error **err) { return pinata_pin_group_query_new(&rawq, err); });
    detail::PinGroupQueryPtr q(rawq);
    if (!made) {
        return made.error();
    }
    auto set = detail::call([&](pinata_error **err) {
        return pinata_pin_group_query_set_name_contains(q.get(), n.c_str(), err);
    });
    if (set && (query.page_size != 0 || query.offset != 0)) {
        set = detail::call([&](pinata_error **err) {
            return pinata_pin_group_query_set_paging(
                q.get(), query.page_size != 0 ? query.page_size : 10, query.offset, err);
        });
    }
    if (!set) {
        return set.error();
    }
    pinata_pin_group_iter *rawi = nullptr;
    auto started = detail::call([&](pinata_error **err) {
        return pinata_pin_groups_list(client.native_handle(), q.get(), &rawi, err);
    });
    detail::PinGroupIterPtr it(rawi);
    if (!started) {
        return started.error();
    }
    return detail::drain<PinGroup, pinata_pin_group>(
        [&](const pinata_pin_group **g, pinata_error **err) {
            return pinata_pin_group_iter_next(it.get(), g, err);
        },
        detail::pin_group_of);
}
/// Throwing form of `try_list`.
inline std::vector<PinGroup> list(const Client &client, const PinGroupQuery &query = {}) {
    return try_list(client, query).value();
}

}  // namespace pin_groups
}  // namespace pinata

#endif  // PINATA_GROUPS_HPP
