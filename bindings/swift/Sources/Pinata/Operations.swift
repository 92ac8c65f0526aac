// The blocking calls, one C function each (plus its handle plumbing). Each has an
// `async` overload of the same name in Async.swift.

import CPinata
import Foundation

extension Client {
    // MARK: Authentication

    /// `GET /data/testAuthentication`: the server's message. Bad credentials throw
    /// `.unauthorized`.
    public func testAuth() throws -> String {
        try withHandle { h in
            var message: UnsafeMutablePointer<CChar>? = nil
            try check { pinata_test_auth(h, &message, $0) }
            return takeString(message) ?? ""
        }
    }

    // MARK: Keys

    /// Creates an API key (the client needs an admin key). `maxUses` 0 is unlimited.
    public func createKey(name: String, permissions: KeyPermissions,
                          maxUses: UInt64 = 0) throws -> CreatedKey {
        try requireText(name, "name")
        for resource in permissions.resources {
            try requireText(resource, "resource")
        }
        return try withHandle { h in
            var p: OpaquePointer? = nil
            try check { pinata_key_permissions_new(&p, $0) }
            defer { pinata_key_permissions_free(p) }
            if permissions.admin {
                try check { pinata_key_permissions_set_admin(p, true, $0) }
            }
            for endpoint in permissions.endpoints {
                try check { pinata_key_permissions_allow_endpoint(p, endpoint.rawValue, $0) }
            }
            for resource in permissions.resources {
                try check { pinata_key_permissions_allow_resource(p, resource, $0) }
            }
            var key: OpaquePointer? = nil
            try check { pinata_keys_create(h, name, p, maxUses, &key, $0) }
            defer { pinata_key_result_free(key) }
            return CreatedKey(apiKey: optString(pinata_key_result_api_key(key)) ?? "",
                              secret: optString(pinata_key_result_secret(key)) ?? "",
                              jwt: optString(pinata_key_result_jwt(key)) ?? "")
        }
    }

    /// One page of keys (`pinata_keys_list`).
    public func listKeys(_ query: KeyQuery = KeyQuery()) throws -> KeyPage {
        try withHandle { h in
            try withKeyQuery(query) { q in
                var list: OpaquePointer? = nil
                try check { pinata_keys_list(h, q, &list, $0) }
                defer { pinata_key_list_free(list) }
                return KeyPage(list)
            }
        }
    }

    /// Every key matching the query, page after page (`pinata_keys_list_all`).
    public func listAllKeys(_ query: KeyQuery = KeyQuery()) throws -> [KeyInfo] {
        try withHandle { h in
            try withKeyQuery(query) { q in
                var list: OpaquePointer? = nil
                try check { pinata_keys_list_all(h, q, &list, $0) }
                defer { pinata_key_list_free(list) }
                return KeyPage(list).keys
            }
        }
    }

    /// Revokes a key by its `pinata_api_key` value.
    public func revokeKey(_ apiKey: String) throws {
        try requireText(apiKey, "api_key")
        try withHandle { h in
            try check { pinata_keys_revoke(h, apiKey, $0) }
        }
    }

    // MARK: Uploads

    /// Pins a file, or a directory recursively as one CID, streamed from disk.
    public func pinFile(_ path: String, options: PinOptions? = nil,
                        progress: ProgressHandler? = nil) throws -> PinResult {
        try requireText(path, "path")
        return try withHandle { h in
            try withPinOptions(options, progress) { o in
                var result: OpaquePointer? = nil
                try check { pinata_pin_file(h, path, o, &result, $0) }
                defer { pinata_pin_result_free(result) }
                return PinResult(result)
            }
        }
    }

    /// Pins `data` as a file named `fileName` (no '/').
    public func pinBytes(_ data: Data, fileName: String, options: PinOptions? = nil,
                         progress: ProgressHandler? = nil) throws -> PinResult {
        try requireText(fileName, "file_name")
        return try withHandle { h in
            try withPinOptions(options, progress) { o in
                var result: OpaquePointer? = nil
                try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                    let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                    try check { pinata_pin_bytes(h, base, bytes.count, fileName, o, &result, $0) }
                }
                defer { pinata_pin_result_free(result) }
                return PinResult(result)
            }
        }
    }

    /// Pins a JSON document given as text (`pinJSONToIPFS`); progress and wrapping do
    /// not apply.
    public func pinJSON(_ json: String, options: PinOptions? = nil) throws -> PinResult {
        try requireText(json, "json")
        return try withHandle { h in
            try withPinOptions(options, nil) { o in
                var result: OpaquePointer? = nil
                try check { pinata_pin_json(h, json, o, &result, $0) }
                defer { pinata_pin_result_free(result) }
                return PinResult(result)
            }
        }
    }

    /// Pins `value` encoded with `JSONEncoder`.
    public func pinJSON<T: Encodable>(encoding value: T, options: PinOptions? = nil) throws -> PinResult {
        let data = try JSONEncoder().encode(value)
        return try pinJSON(String(decoding: data, as: UTF8.self), options: options)
    }

    // MARK: Pin by CID

    /// Asks Pinata to pin an existing CID (fetched from IPFS asynchronously). Uses the
    /// options' name, keyvalues, group and host nodes.
    public func pinByCID(_ cid: String, options: PinOptions? = nil) throws -> PinJob {
        try requireText(cid, "cid")
        return try withHandle { h in
            try withPinOptions(options, nil) { o in
                var job: OpaquePointer? = nil
                try check { pinata_pin_by_cid(h, cid, o, &job, $0) }
                // The job keeps its C handle (freed with the last copy) for waitForPinJob.
                return PinJob(PinJobOwner(job: job))
            }
        }
    }

    /// A page of pin-by-CID jobs.
    public func pinJobs(_ query: PinJobQuery = PinJobQuery()) throws -> PinJobPage {
        try requireText(query.status, "status")
        try requireText(query.cid, "cid")
        return try withHandle { h in
            var q: OpaquePointer? = nil
            try check { pinata_pin_job_query_new(&q, $0) }
            defer { pinata_pin_job_query_free(q) }
            let (status, cid) = (query.status, query.cid)
            let sort = query.sort?.rawValue ?? -1
            let (limit, offset) = (query.limit ?? 0, query.offset)
            try check { e in
                withOptCString(status) { s in
                    withOptCString(cid) { c in
                        pinata_pin_job_query_set(q, s, c, sort, limit, offset, e)
                    }
                }
            }
            var list: OpaquePointer? = nil
            try check { pinata_pin_jobs_list(h, q, &list, $0) }
            // The jobs share the C page (freed with the last of them) for waitForPinJob.
            let owner = PinJobOwner(list: list)
            return withExtendedLifetime(owner) { () -> PinJobPage in
                let total = pinata_pin_job_list_total(list)
                let jobs = (0..<pinata_pin_job_list_len(list)).map { PinJob(owner, index: $0) }
                return PinJobPage(jobs: jobs, total: total < 0 ? nil : total)
            }
        }
    }

    /// Polls `job` (from `pinByCID` or `pinJobs`) until it is pinned or has failed, and
    /// returns it settled: status `"pinned"`, or a failure (`"expired"`,
    /// `"invalid_object"`, ...), so check `status`. Pauses start at `intervalMs` and
    /// double while the status stays the same, up to `maxIntervalMs`; past `budgetMs` it
    /// throws `.timeout`; 0 picks each default (10 min, 500 ms, 30 s). `onStatus` gets
    /// each new status (on this thread); returning false stops the wait (`.cancelled`).
    /// Waits on one job (or on jobs of one `pinJobs` page) take turns, so `onStatus`
    /// must not wait on such a job itself. A job neither listed nor pinned (removed, or
    /// its CID unpinned) throws `.notFound`.
    public func waitForPinJob(_ job: PinJob, budgetMs: UInt64 = 0, intervalMs: UInt64 = 0,
                              maxIntervalMs: UInt64 = 0, onStatus: PinStatusHandler? = nil) throws -> PinJob {
        try withStatusHandler(onStatus) { callback, userdata in
            try withHandle { h in
                var done: OpaquePointer? = nil
                try job.owner.withInfo(job.index) { info in
                    try check {
                        pinata_pin_job_wait(h, info, budgetMs, intervalMs, maxIntervalMs,
                                            callback, userdata, &done, $0)
                    }
                }
                return PinJob(PinJobOwner(job: done))
            }
        }
    }

    /// `waitForPinJob` for a job known by its id and CID alone (kept from an earlier
    /// run, say): `pinata_pin_job_wait_by_id`. The rules are the same.
    public func waitForPinJob(id: String, cid: String, budgetMs: UInt64 = 0, intervalMs: UInt64 = 0,
                              maxIntervalMs: UInt64 = 0, onStatus: PinStatusHandler? = nil) throws -> PinJob {
        try requireText(id, "id")
        try requireText(cid, "cid")
        return try withStatusHandler(onStatus) { callback, userdata in
            try withHandle { h in
                var done: OpaquePointer? = nil
                try check {
                    pinata_pin_job_wait_by_id(h, id, cid, budgetMs, intervalMs, maxIntervalMs,
                                              callback, userdata, &done, $0)
                }
                return PinJob(PinJobOwner(job: done))
            }
        }
    }

    // MARK: Metadata, unpin

    /// Renames a pin (`name`), sets keyvalues (merged into the pin's) and removes the
    /// keys in `removing`.
    public func updateMetadata(cid: String, name: String? = nil,
                               keyvalues: [String: KeyValue] = [:],
                               removing: [String] = []) throws {
        try requireText(cid, "cid")
        try requireText(name, "name")
        for (key, value) in keyvalues {
            try requireText(key, "keyvalue key")
            if case .string(let text) = value {
                try requireText(text, "keyvalue \(key)")
            }
        }
        for key in removing {
            try requireText(key, "keyvalue key")
        }
        try withHandle { h in
            var u: OpaquePointer? = nil
            try check { pinata_metadata_update_new(&u, $0) }
            defer { pinata_metadata_update_free(u) }
            if let name = name {
                try check { pinata_metadata_update_set_name(u, name, $0) }
            }
            for (key, value) in keyvalues.sorted(by: { $0.key < $1.key }) {
                switch value {
                case .string(let text):
                    try check { pinata_metadata_update_set_string(u, key, text, $0) }
                case .number(let number):
                    try check { pinata_metadata_update_set_number(u, key, number, $0) }
                }
            }
            for key in removing {
                try check { pinata_metadata_update_remove(u, key, $0) }
            }
            try check { pinata_pin_update_metadata(h, cid, u, $0) }
        }
    }

    /// Unpins `cid`. One this account has not pinned throws `.notFound` (reason
    /// `CURRENT_USER_HAS_NOT_PINNED_CID`).
    public func unpin(_ cid: String) throws {
        try requireText(cid, "cid")
        try withHandle { h in
            try check { pinata_unpin(h, cid, $0) }
        }
    }

    // MARK: Pin list, usage

    /// An iterator over every pin matching `query`; no request is made before its first
    /// `next()`. It keeps its own reference to the C client, so it keeps working after
    /// `close()`.
    public func pins(_ query: PinListQuery = PinListQuery()) throws -> PinIterator {
        try withHandle { h in
            var q: OpaquePointer? = nil
            defer { pinata_pin_list_query_free(q) }
            try check { pinata_pin_list_query_new(&q, $0) }
            try query.apply(to: q)
            var iter: OpaquePointer? = nil
            // The C iterator copies the query and keeps its own reference to the client.
            try check { pinata_pin_list_iter_new(h, q, &iter, $0) }
            return PinIterator(iter: iter)
        }
    }

    /// The pins matching `query`, all of them or the first `limit`.
    public func pinList(_ query: PinListQuery = PinListQuery(), limit: Int? = nil) throws -> [Pin] {
        let iterator = try pins(query)
        var rows: [Pin] = []
        while limit.map({ rows.count < $0 }) ?? true, let pin = try iterator.next() {
            rows.append(pin)
        }
        return rows
    }

    /// Usage totals (`GET /data/userPinnedDataTotal`).
    public func usage() throws -> Usage {
        try withHandle { h in
            var count: UInt64 = 0
            var total: UInt64 = 0
            var replicated: UInt64 = 0
            try check { pinata_usage(h, &count, &total, &replicated, $0) }
            return Usage(pinCount: count, pinSizeTotal: total,
                         pinSizeWithReplicationsTotal: replicated)
        }
    }
}

/// Builds a `pinata_key_query` handle for `body` (NULL when the query sets nothing).
private func withKeyQuery<T>(_ query: KeyQuery, _ body: (OpaquePointer?) throws -> T) throws -> T {
    if query.revoked == nil && query.limitedUse == nil && query.exhausted == nil
        && query.nameContains == nil && query.offset == 0 {
        return try body(nil)
    }
    try requireText(query.nameContains, "name")
    var q: OpaquePointer? = nil
    try check { pinata_key_query_new(&q, $0) }
    defer { pinata_key_query_free(q) }
    let (revoked, limited, exhausted) = (triState(query.revoked), triState(query.limitedUse),
                                         triState(query.exhausted))
    try check { pinata_key_query_set_flags(q, revoked, limited, exhausted, $0) }
    if let name = query.nameContains {
        try check { pinata_key_query_set_name(q, name, $0) }
    }
    let offset = query.offset
    try check { pinata_key_query_set_offset(q, offset, $0) }
    return try body(q)
}
