// Groups: the v3 groups of each network (pinata_groups_*, pinata_group_*), which hold
// v3 files by id, and the legacy CID groups (pinata_pin_groups_*, pinata_pin_group_*),
// which hold pinned CIDs. Lists follow the service's pages on their own. Not compiled
// on machines without Swift: check_symbols.sh checks every C call here against
// include/pinata.h.

import CPinata
import Foundation

/// A v3 group.
public struct Group: Sendable {
    public let id: String
    public let name: String
    public let isPublic: Bool
    /// ISO-8601, when the service gave it.
    public let createdAt: String?
    /// The whole group as JSON, for fields this version does not model.
    public let rawJSON: String

    init(_ group: OpaquePointer?) {
        id = optString(pinata_group_id(group)) ?? ""
        name = optString(pinata_group_name(group)) ?? ""
        isPublic = pinata_group_is_public(group)
        createdAt = optString(pinata_group_created_at(group))
        rawJSON = optString(pinata_group_raw_json(group)) ?? ""
    }
}

/// Filters of the v3 group list.
public struct GroupQuery: Sendable {
    /// Only groups whose name matches.
    public var name: String?
    /// Only public (true) or non-public (false) groups; nil: both.
    public var isPublic: Bool?
    /// Groups per request, 1–1000; nil: the service's default.
    public var pageLimit: UInt32?

    public init(name: String? = nil, isPublic: Bool? = nil, pageLimit: UInt32? = nil) {
        self.name = name
        self.isPublic = isPublic
        self.pageLimit = pageLimit
    }
}

/// A legacy (CID) group.
public struct PinGroup: Sendable {
    public let id: String
    public let name: String
    public let userID: String?
    /// ISO-8601 times, when the service gave them.
    public let createdAt: String?
    public let updatedAt: String?
    /// The whole group as JSON.
    public let rawJSON: String

    init(_ group: OpaquePointer?) {
        id = optString(pinata_pin_group_id(group)) ?? ""
        name = optString(pinata_pin_group_name(group)) ?? ""
        userID = optString(pinata_pin_group_user_id(group))
        createdAt = optString(pinata_pin_group_created_at(group))
        updatedAt = optString(pinata_pin_group_updated_at(group))
        rawJSON = optString(pinata_pin_group_raw_json(group)) ?? ""
    }
}

/// Filters and paging of the legacy group list.
public struct PinGroupQuery: Sendable {
    /// Only groups whose name contains this text.
    public var nameContains: String?
    /// Groups per request, 1–1000; nil: the service's default (10).
    public var pageLimit: UInt32?
    /// Groups to skip.
    public var offset: UInt64

    public init(nameContains: String? = nil, pageLimit: UInt32? = nil, offset: UInt64 = 0) {
        self.nameContains = nameContains
        self.pageLimit = pageLimit
        self.offset = offset
    }
}

/// Calls `body` with a C array of NUL-terminated copies of `strings` (valid during the
/// call only), as `const char *const *` parameters take them.
func withCStringArray<R>(_ strings: [String],
                         _ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> R) rethrows -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
    return try pointers.withUnsafeBufferPointer { try body($0.baseAddress) }
}

extension Client {
    // MARK: v3 groups

    /// Creates a group on `network` (`POST /v3/groups/{network}`).
    public func createGroup(_ network: Network, name: String, isPublic: Bool = false) throws -> Group {
        try requireText(name, "name")
        return try withHandle { h in
            var group: OpaquePointer? = nil
            try check { pinata_groups_create(h, network.rawValue, name, isPublic, &group, $0) }
            defer { pinata_group_free(group) }
            return Group(group)
        }
    }

    /// One group; an unknown id throws `.notFound`.
    public func getGroup(_ network: Network, id: String) throws -> Group {
        try requireText(id, "group_id")
        return try withHandle { h in
            var group: OpaquePointer? = nil
            try check { pinata_groups_get(h, network.rawValue, id, &group, $0) }
            defer { pinata_group_free(group) }
            return Group(group)
        }
    }

    /// Renames a group and/or changes its visibility (nil keeps a field; at least one
    /// must change). Returns the group as updated.
    public func updateGroup(_ network: Network, id: String, name: String? = nil,
                            isPublic: Bool? = nil) throws -> Group {
        try requireText(id, "group_id")
        try requireText(name, "name")
        let visibility = triState(isPublic)
        return try withHandle { h in
            var group: OpaquePointer? = nil
            try check { e in
                withOptCString(name) { n in
                    pinata_groups_update(h, network.rawValue, id, n, visibility, &group, e)
                }
            }
            defer { pinata_group_free(group) }
            return Group(group)
        }
    }

    /// Deletes a group; its files stay.
    public func deleteGroup(_ network: Network, id: String) throws {
        try requireText(id, "group_id")
        try withHandle { h in
            try check { pinata_groups_delete(h, network.rawValue, id, $0) }
        }
    }

    /// Puts the file `fileID` in the group `groupID`.
    public func addFile(_ fileID: String, toGroup groupID: String, network: Network) throws {
        try requireText(fileID, "file_id")
        try requireText(groupID, "group_id")
        try withHandle { h in
            try check { pinata_groups_add_file(h, network.rawValue, groupID, fileID, $0) }
        }
    }

    /// Takes the file `fileID` out of the group `groupID`; the file stays.
    public func removeFile(_ fileID: String, fromGroup groupID: String, network: Network) throws {
        try requireText(fileID, "file_id")
        try requireText(groupID, "group_id")
        try withHandle { h in
            try check { pinata_groups_remove_file(h, network.rawValue, groupID, fileID, $0) }
        }
    }

    /// The groups of `network` matching `query` (following page tokens), all of them or
    /// the first `limit`.
    public func listGroups(_ network: Network, _ query: GroupQuery = GroupQuery(),
                           limit: Int? = nil) throws -> [Group] {
        try requireText(query.name, "name")
        var q: OpaquePointer? = nil
        try check { pinata_group_query_new(&q, $0) }
        defer { pinata_group_query_free(q) }
        let visibility = triState(query.isPublic)
        try check { e in
            withOptCString(query.name) { n in pinata_group_query_set_filters(q, n, visibility, e) }
        }
        if let pageLimit = query.pageLimit {
            try check { pinata_group_query_set_limit(q, pageLimit, $0) }
        }
        return try withHandle { h in
            var it: OpaquePointer? = nil
            try check { pinata_groups_list(h, network.rawValue, q, &it, $0) }
            defer { pinata_group_iter_free(it) }
            var groups: [Group] = []
            while limit.map({ groups.count < $0 }) ?? true {
                var group: OpaquePointer? = nil
                try check { pinata_group_iter_next(it, &group, $0) }
                guard group != nil else { break }
                // Borrowed from the iterator: copied before the next call.
                groups.append(Group(group))
            }
            return groups
        }
    }

    // MARK: Legacy (CID) groups

    /// Creates a legacy group (`POST /groups`).
    public func createPinGroup(name: String) throws -> PinGroup {
        try requireText(name, "name")
        return try withHandle { h in
            var group: OpaquePointer? = nil
            try check { pinata_pin_groups_create(h, name, &group, $0) }
            defer { pinata_pin_group_free(group) }
            return PinGroup(group)
        }
    }

    /// One legacy group; an unknown id throws `.notFound`.
    public func getPinGroup(id: String) throws -> PinGroup {
        try requireText(id, "group_id")
        return try withHandle { h in
            var group: OpaquePointer? = nil
            try check { pinata_pin_groups_get(h, id, &group, $0) }
            defer { pinata_pin_group_free(group) }
            return PinGroup(group)
        }
    }

    /// Renames a legacy group; returns it as updated.
    public func updatePinGroup(id: String, name: String) throws -> PinGroup {
        try requireText(id, "group_id")
        try requireText(name, "name")
        return try withHandle { h in
            var group: OpaquePointer? = nil
            try check { pinata_pin_groups_update(h, id, name, &group, $0) }
            defer { pinata_pin_group_free(group) }
            return PinGroup(group)
        }
    }

    /// Deletes a legacy group; its CIDs stay pinned.
    public func deletePinGroup(id: String) throws {
        try requireText(id, "group_id")
        try withHandle { h in
            try check { pinata_pin_groups_delete(h, id, $0) }
        }
    }

    /// Adds pinned CIDs to a legacy group (at least one).
    public func addCIDs(_ cids: [String], toPinGroup id: String) throws {
        try requireText(id, "group_id")
        for cid in cids {
            try requireText(cid, "cids")
        }
        try withHandle { h in
            try withCStringArray(cids) { list in
                try check { pinata_pin_groups_add_cids(h, id, list, cids.count, $0) }
            }
        }
    }

    /// Removes CIDs from a legacy group (at least one); they stay pinned.
    public func removeCIDs(_ cids: [String], fromPinGroup id: String) throws {
        try requireText(id, "group_id")
        for cid in cids {
            try requireText(cid, "cids")
        }
        try withHandle { h in
            try withCStringArray(cids) { list in
                try check { pinata_pin_groups_remove_cids(h, id, list, cids.count, $0) }
            }
        }
    }

    /// The legacy groups matching `query` (page after page), all or the first `limit`.
    public func listPinGroups(_ query: PinGroupQuery = PinGroupQuery(),
                              limit: Int? = nil) throws -> [PinGroup] {
        try requireText(query.nameContains, "name_contains")
        var q: OpaquePointer? = nil
        try check { pinata_pin_group_query_new(&q, $0) }
        defer { pinata_pin_group_query_free(q) }
        try check { e in
            withOptCString(query.nameContains) { n in pinata_pin_group_query_set_name_contains(q, n, e) }
        }
        if query.pageLimit != nil || query.offset != 0 {
            let (pageLimit, offset) = (query.pageLimit ?? 10, query.offset)
            try check { pinata_pin_group_query_set_paging(q, pageLimit, offset, $0) }
        }
        return try withHandle { h in
            var it: OpaquePointer? = nil
            try check { pinata_pin_groups_list(h, q, &it, $0) }
            defer { pinata_pin_group_iter_free(it) }
            var groups: [PinGroup] = []
            while limit.map({ groups.count < $0 }) ?? true {
                var group: OpaquePointer? = nil
                try check { pinata_pin_group_iter_next(it, &group, $0) }
                guard group != nil else { break }
                groups.append(PinGroup(group))
            }
            return groups
        }
    }
}

// `async` overloads (see Async.swift): the same calls on `Client.queue`, cancelled with
// the task.
extension Client {
    public func createGroup(_ network: Network, name: String, isPublic: Bool = false) async throws -> Group {
        try await runBlocking { try $0.createGroup(network, name: name, isPublic: isPublic) }
    }

    public func getGroup(_ network: Network, id: String) async throws -> Group {
        try await runBlocking { try $0.getGroup(network, id: id) }
    }

    public func updateGroup(_ network: Network, id: String, name: String? = nil,
                            isPublic: Bool? = nil) async throws -> Group {
        try await runBlocking { try $0.updateGroup(network, id: id, name: name, isPublic: isPublic) }
    }

    public func deleteGroup(_ network: Network, id: String) async throws {
        try await runBlocking { try $0.deleteGroup(network, id: id) }
    }

    public func addFile(_ fileID: String, toGroup groupID: String, network: Network) async throws {
        try await runBlocking { try $0.addFile(fileID, toGroup: groupID, network: network) }
    }

    public func removeFile(_ fileID: String, fromGroup groupID: String, network: Network) async throws {
        try await runBlocking { try $0.removeFile(fileID, fromGroup: groupID, network: network) }
    }

    public func listGroups(_ network: Network, _ query: GroupQuery = GroupQuery(),
                           limit: Int? = nil) async throws -> [Group] {
        try await runBlocking { try $0.listGroups(network, query, limit: limit) }
    }

    public func createPinGroup(name: String) async throws -> PinGroup {
        try await runBlocking { try $0.createPinGroup(name: name) }
    }

    public func getPinGroup(id: String) async throws -> PinGroup {
        try await runBlocking { try $0.getPinGroup(id: id) }
    }

    public func updatePinGroup(id: String, name: String) async throws -> PinGroup {
        try await runBlocking { try $0.updatePinGroup(id: id, name: name) }
    }

    public func deletePinGroup(id: String) async throws {
        try await runBlocking { try $0.deletePinGroup(id: id) }
    }

    public func addCIDs(_ cids: [String], toPinGroup id: String) async throws {
        try await runBlocking { try $0.addCIDs(cids, toPinGroup: id) }
    }

    public func removeCIDs(_ cids: [String], fromPinGroup id: String) async throws {
        try await runBlocking { try $0.removeCIDs(cids, fromPinGroup: id) }
    }

    public func listPinGroups(_ query: PinGroupQuery = PinGroupQuery(),
                              limit: Int? = nil) async throws -> [PinGroup] {
        try await runBlocking { try $0.listPinGroups(query, limit: limit) }
    }
}
