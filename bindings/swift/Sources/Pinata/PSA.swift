// The IPFS Pinning Service API (Pinata at /psa, or any provider): PSAClient, one C
// function per call (pinata_psa_*). Checked without a Swift toolchain by
// check_symbols.sh.

import CPinata
import Foundation

/// A pin request's status.
public enum PSAStatus: Int32, Sendable {
    case queued = 0 // PINATA_PSA_QUEUED
    case pinning = 1 // PINATA_PSA_PINNING
    case pinned = 2 // PINATA_PSA_PINNED
    case failed = 3 // PINATA_PSA_FAILED
}

/// How the list's name filter matches.
public enum PSAMatch: Int32, Sendable {
    case exact = 0 // PINATA_PSA_MATCH_EXACT
    case iexact = 1 // PINATA_PSA_MATCH_IEXACT
    case partial = 2 // PINATA_PSA_MATCH_PARTIAL
    case ipartial = 3 // PINATA_PSA_MATCH_IPARTIAL
}

/// What to pin.
public struct PSAPin: Sendable {
    public var cid: String
    public var name: String?
    /// Multiaddrs of peers that have the content (checked; at most 20).
    public var origins: [String]
    public var meta: [String: String]
    /// Leave out LAN, loopback and link-local origins (Pinata refuses them).
    public var dropPrivateOrigins: Bool

    public init(cid: String, name: String? = nil, origins: [String] = [],
                meta: [String: String] = [:], dropPrivateOrigins: Bool = false) {
        self.cid = cid
        self.name = name
        self.origins = origins
        self.meta = meta
        self.dropPrivateOrigins = dropPrivateOrigins
    }
}

/// A pin request as the service reports it.
public struct PSARequest: Sendable {
    public let requestID: String
    public let status: PSAStatus?
    public let created: String
    public let cid: String
    public let name: String?
    public let origins: [String]
    public let delegates: [String]
    public let metaJSON: String
    public let infoJSON: String
    public let rawJSON: String

    init(_ s: OpaquePointer?) {
        requestID = optString(pinata_psa_status_requestid(s)) ?? ""
        status = PSAStatus(rawValue: pinata_psa_status_status(s))
        created = optString(pinata_psa_status_created(s)) ?? ""
        cid = optString(pinata_psa_status_cid(s)) ?? ""
        name = optString(pinata_psa_status_name(s))
        origins = (0..<pinata_psa_status_origin_count(s)).map {
            optString(pinata_psa_status_origin(s, $0)) ?? ""
        }
        delegates = (0..<pinata_psa_status_delegate_count(s)).map {
            optString(pinata_psa_status_delegate(s, $0)) ?? ""
        }
        metaJSON = optString(pinata_psa_status_meta_json(s)) ?? "{}"
        infoJSON = optString(pinata_psa_status_info_json(s)) ?? "{}"
        rawJSON = optString(pinata_psa_status_raw_json(s)) ?? ""
    }
}

/// List filters; the default lists pinned requests only.
public struct PSAQuery: Sendable {
    public var cids: [String] = []
    public var name: String?
    public var match: PSAMatch = .exact
    public var statuses: [PSAStatus] = []
    public var before: String?
    public var after: String?
    /// Page size, 1–1000; nil for the service's default (10).
    public var pageLimit: UInt32?
    public var meta: [String: String] = [:]

    public init() {}
}

/// Status handler of `PSAClient.wait`: gets each new status; `false` stops the wait.
public typealias PSAStatusHandler = (_ status: String) -> Bool

final class PSAStatusBox {
    let handler: PSAStatusHandler
    init(_ handler: @escaping PSAStatusHandler) { self.handler = handler }
}

let psaStatusTrampoline: pinata_wait_fn = { status, userdata in
    guard let userdata = userdata, let status = status else { return 0 }
    let box = Unmanaged<PSAStatusBox>.fromOpaque(userdata).takeUnretainedValue()
    return box.handler(String(cString: status)) ? 0 : 1
}

/// Walks a PSA listing, newest first, fetching pages as needed
/// (`pinata_psa_list_iter`). One thread at a time. It holds its own reference to the C
/// client, so it outlives the `PSAClient`.
public final class PSAIterator {
    private let iter: OpaquePointer?
    private var done = false

    init(iter: OpaquePointer?) {
        self.iter = iter
    }

    /// The next request, or nil at the end. After a thrown error, calling again fetches
    /// the failed page again.
    public func next() throws -> PSARequest? {
        if done {
            return nil
        }
        var row: OpaquePointer? = nil
        try check { pinata_psa_list_iter_next(iter, &row, $0) }
        guard let current = row else {
            done = true
            return nil
        }
        return PSARequest(current)
    }

    /// The count the service reported on the first page: every request matching the
    /// query, not only those fetched so far. nil before the first `next()`.
    public var total: Int64? {
        let value = pinata_psa_list_iter_total(iter)
        return value < 0 ? nil : value
    }

    deinit {
        pinata_psa_list_iter_free(iter)
    }
}

/// A Pinning Service API client. Usable from many threads at once.
public final class PSAClient: @unchecked Sendable {
    private let raw: OpaquePointer?
    /// Keeps the cancel flag of a derived client alive as long as the client.
    private let keepAlive: AnyObject?

    private init(owning raw: OpaquePointer?, keepAlive: AnyObject? = nil) {
        self.raw = raw
        self.keepAlive = keepAlive
    }

    deinit { pinata_psa_client_free(raw) }

    /// The PSA at `endpoint` (e.g. "https://api.pinata.cloud/psa") with `token`.
    /// `retryPolicy` (nil: the library's, 3 retries within 120 s) bounds the retries
    /// of 429, 5xx and network failures.
    public convenience init(endpoint: String, token: String,
                            retryPolicy: Client.RetryPolicy? = nil) throws {
        try requireText(endpoint, "endpoint")
        try requireText(token, "token")
        var out: OpaquePointer? = nil
        try check { pinata_psa_client_new(endpoint, token, &out, $0) }
        self.init(owning: out)
        if let policy = retryPolicy {
            // A setter: only here, while no one else has the client.
            try check { pinata_psa_client_set_retry_policy(out, policy.maxRetries, policy.budgetMs, $0) }
        }
    }

    /// The PSA of a Pinata client: its JWT, settings and base URL + /psa.
    public convenience init(client: Client) throws {
        let h = try client.acquire()
        defer { client.release() }
        var out: OpaquePointer? = nil
        try check { pinata_psa_client_from_client(h, &out, $0) }
        self.init(owning: out)
    }

    /// A PSA client sharing this one's token, connections and settings whose every call
    /// (waits included, during their sleeps too) stops with `.cancelled` once `token` is
    /// raised (`pinata_psa_client_with_cancel`). It outlives this client.
    public func cancellable(by token: CancelToken) throws -> PSAClient {
        var out: OpaquePointer? = nil
        try check { pinata_psa_client_with_cancel(raw, token.raw, &out, $0) }
        return PSAClient(owning: out, keepAlive: token)
    }

    private func request(_ call: (UnsafeMutablePointer<OpaquePointer?>,
                                  UnsafeMutablePointer<OpaquePointer?>) -> pinata_status) throws -> PSARequest {
        var out: OpaquePointer? = nil
        try check { call(&out, $0) }
        defer { pinata_psa_request_free(out) }
        return PSARequest(pinata_psa_request_status(out))
    }

    private func withPin<T>(_ pin: PSAPin, _ body: (OpaquePointer?) throws -> T) throws -> T {
        try requireText(pin.cid, "cid")
        try requireText(pin.name, "name")
        var p: OpaquePointer? = nil
        try check { pinata_psa_pin_new(pin.cid, &p, $0) }
        defer { pinata_psa_pin_free(p) }
        if let name = pin.name {
            try check { pinata_psa_pin_set_name(p, name, $0) }
        }
        for origin in pin.origins {
            try requireText(origin, "origin")
            try check { pinata_psa_pin_add_origin(p, origin, $0) }
        }
        for (key, value) in pin.meta {
            try requireText(key, "key")
            try requireText(value, "value")
            try check { pinata_psa_pin_set_meta(p, key, value, $0) }
        }
        try check { pinata_psa_pin_set_drop_private_origins(p, pin.dropPrivateOrigins, $0) }
        return try body(p)
    }

    /// Asks the service to pin (POST /pins).
    public func add(_ pin: PSAPin) throws -> PSARequest {
        try withPin(pin) { p in
            try request { out, e in pinata_psa_add(raw, p, out, e) }
        }
    }

    /// A request by id; an unknown id throws `.notFound`.
    public func get(_ requestID: String) throws -> PSARequest {
        try requireText(requestID, "requestid")
        return try request { out, e in pinata_psa_get(raw, requestID, out, e) }
    }

    /// Replaces a request with a new pin; the answer has a new request id.
    public func replace(_ requestID: String, with pin: PSAPin) throws -> PSARequest {
        try requireText(requestID, "requestid")
        return try withPin(pin) { p in
            try request { out, e in pinata_psa_replace(raw, requestID, p, out, e) }
        }
    }

    /// Removes a request and its pin.
    public func remove(_ requestID: String) throws {
        try requireText(requestID, "requestid")
        try check { pinata_psa_delete(raw, requestID, $0) }
    }

    /// Polls until pinned or failed (a failed request is returned), with backoff within
    /// `budgetMs` (throws `.timeout` past it); 0 picks each default (10 min, 500 ms, 30 s).
    public func wait(_ requestID: String, budgetMs: UInt64 = 0, intervalMs: UInt64 = 0,
                     maxIntervalMs: UInt64 = 0, onStatus: PSAStatusHandler? = nil) throws -> PSARequest {
        try requireText(requestID, "requestid")
        guard let onStatus = onStatus else {
            return try request { out, e in
                pinata_psa_wait(raw, requestID, budgetMs, intervalMs, maxIntervalMs, nil, nil, out, e)
            }
        }
        let box = PSAStatusBox(onStatus)
        let userdata = Unmanaged.passUnretained(box).toOpaque()
        return try withExtendedLifetime(box) {
            try request { out, e in
                pinata_psa_wait(raw, requestID, budgetMs, intervalMs, maxIntervalMs,
                                psaStatusTrampoline, userdata, out, e)
            }
        }
    }

    /// Every request matching `query`, newest first (pages fetched by `before`), at
    /// most `max` of them (0: all).
    public func list(_ query: PSAQuery = PSAQuery(), max: Int = 0) throws -> [PSARequest] {
        let iterator = try requests(query)
        var out: [PSARequest] = []
        while max == 0 || out.count < max, let request = try iterator.next() {
            out.append(request)
        }
        return out
    }

    /// An iterator over the requests matching `query`, newest first (pages fetched by
    /// `before`), whose `total` is the count the service reports. No request is made
    /// before its first `next()`.
    public func requests(_ query: PSAQuery = PSAQuery()) throws -> PSAIterator {
        var q: OpaquePointer? = nil
        try check { pinata_psa_query_new(&q, $0) }
        defer { pinata_psa_query_free(q) }
        for cid in query.cids {
            try requireText(cid, "cid")
            try check { pinata_psa_query_add_cid(q, cid, $0) }
        }
        if let name = query.name {
            try requireText(name, "name")
            try check { pinata_psa_query_set_name(q, name, query.match.rawValue, $0) }
        }
        for status in query.statuses {
            try check { pinata_psa_query_add_status(q, status.rawValue, $0) }
        }
        if let before = query.before {
            try requireText(before, "before")
            try check { pinata_psa_query_set_time(q, 0, before, $0) }
        }
        if let after = query.after {
            try requireText(after, "after")
            try check { pinata_psa_query_set_time(q, 1, after, $0) }
        }
        if let limit = query.pageLimit {
            try check { pinata_psa_query_set_limit(q, limit, $0) }
        }
        for (key, value) in query.meta {
            try requireText(key, "key")
            try requireText(value, "value")
            try check { pinata_psa_query_set_meta(q, key, value, $0) }
        }
        var it: OpaquePointer? = nil
        // The C iterator copies the query and keeps its own reference to the client.
        try check { pinata_psa_list_iter_new(raw, q, &it, $0) }
        return PSAIterator(iter: it)
    }
}
