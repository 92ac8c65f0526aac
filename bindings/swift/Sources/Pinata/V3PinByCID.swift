// The v3 pin-by-CID queue (public network): queue a CID, list the queue, cancel a
// request, and wait until a request is pinned or has failed. Not compiled on machines
// without Swift: check_symbols.sh checks every C call here against include/pinata.h.

import CPinata
import Foundation

/// Options of a v3 pin by CID (the name defaults to the CID).
public struct PinByCIDOptions: Sendable {
    public var name: String? = nil
    /// At most 10.
    public var keyvalues: [String: String] = [:]
    public var groupID: String? = nil
    /// Multiaddrs of nodes that have the content, at most 5.
    public var hostNodes: [String] = []
    public init() {}
}

/// A request of the v3 pin-by-CID queue.
public struct PinRequest: Sendable {
    public let id: String
    public let cid: String
    public let name: String?
    /// prechecking, searching, retrieving, backfilled, pinned, expired, ...
    public let status: String
    public let dateQueued: String?
    public let rawJSON: String

    /// True when the status is `pinned`; a settled request that is not pinned failed.
    public var pinned: Bool { status == "pinned" }

    /// A request known by id (and CID, when known), to wait for.
    public init(id: String, cid: String = "") {
        self.id = id
        self.cid = cid
        name = nil
        status = ""
        dateQueued = nil
        rawJSON = ""
    }

    init(_ r: OpaquePointer?) {
        id = optString(pinata_files_pin_request_id(r)) ?? ""
        cid = optString(pinata_files_pin_request_cid(r)) ?? ""
        name = optString(pinata_files_pin_request_name(r))
        status = optString(pinata_files_pin_request_status(r)) ?? ""
        dateQueued = optString(pinata_files_pin_request_date_queued(r))
        rawJSON = optString(pinata_files_pin_request_raw_json(r)) ?? ""
    }
}

/// Status handler of `Client.waitForPin`: gets each new status; `false` stops the wait.
public typealias PinStatusHandler = (_ status: String) -> Bool

final class PinStatusBox {
    let handler: PinStatusHandler
    init(_ handler: @escaping PinStatusHandler) { self.handler = handler }
}

let pinStatusTrampoline: pinata_wait_fn = { status, userdata in
    guard let userdata = userdata, let status = status else { return 0 }
    let box = Unmanaged<PinStatusBox>.fromOpaque(userdata).takeUnretainedValue()
    return box.handler(String(cString: status)) ? 0 : 1
}

/// Calls `body` with the C callback and userdata that reach `onStatus` (NULL and NULL
/// for nil), keeping the handler alive until `body` returns.
func withStatusHandler<R>(_ onStatus: PinStatusHandler?,
                          _ body: (pinata_wait_fn?, UnsafeMutableRawPointer?) throws -> R) rethrows -> R {
    let box = onStatus.map { PinStatusBox($0) }
    let userdata = box.map { Unmanaged.passUnretained($0).toOpaque() }
    return try withExtendedLifetime(box) {
        try body(box == nil ? nil : pinStatusTrampoline, userdata)
    }
}

extension Client {
    /// Queues `cid` for pinning on the public network (POST
    /// /v3/files/public/pin_by_cid); wait for it with `waitForPin`.
    public func pinByCIDv3(_ cid: String, options: PinByCIDOptions = PinByCIDOptions()) throws -> PinRequest {
        try requireText(cid, "cid")
        var o: OpaquePointer? = nil
        try check { pinata_files_pin_options_new(&o, $0) }
        defer { pinata_files_pin_options_free(o) }
        try requireText(options.name, "name")
        try withOptCString(options.name) { n in try check { pinata_files_pin_options_set_name(o, n, $0) } }
        try requireText(options.groupID, "group_id")
        try withOptCString(options.groupID) { g in
            try check { pinata_files_pin_options_set_group_id(o, g, $0) }
        }
        for (key, value) in options.keyvalues.sorted(by: { $0.key < $1.key }) {
            try requireText(key, "key")
            try requireText(value, "value")
            try check { pinata_files_pin_options_set_keyvalue(o, key, value, $0) }
        }
        for node in options.hostNodes {
            try requireText(node, "multiaddr")
            try check { pinata_files_pin_options_add_host_node(o, node, $0) }
        }
        return try withHandle { h in
            var r: OpaquePointer? = nil
            try check { pinata_files_pin_by_cid(h, cid, o, &r, $0) }
            defer { pinata_files_pin_request_free(r) }
            return PinRequest(r)
        }
    }

    /// The queue's requests (every page), filtered by `status` and `cid` when given;
    /// `ascending` nil keeps the service's order; `pageSize` 0 the service's.
    public func pinQueue(status: String? = nil, cid: String? = nil, ascending: Bool? = nil,
                         pageSize: UInt32 = 0) throws -> [PinRequest] {
        try requireText(status, "status")
        try requireText(cid, "cid")
        let order: Int32 = ascending.map { $0 ? PINATA_ORDER_ASC : PINATA_ORDER_DESC } ?? -1
        return try withHandle { h in
            var it: OpaquePointer? = nil
            try withOptCString(status) { s in
                try withOptCString(cid) { c in
                    try check { pinata_files_pin_queue_iter_new(h, s, c, order, pageSize, &it, $0) }
                }
            }
            defer { pinata_files_pin_queue_iter_free(it) }
            var out: [PinRequest] = []
            while true {
                var r: OpaquePointer? = nil
                try check { pinata_files_pin_queue_iter_next(it, &r, $0) }
                guard r != nil else { break }
                out.append(PinRequest(r))
            }
            return out
        }
    }

    /// Cancels a queued request; an unknown id throws `.notFound`.
    public func cancelPin(_ id: String) throws {
        try requireText(id, "id")
        try withHandle { h in
            try check { pinata_files_pin_cancel(h, id, $0) }
        }
    }

    /// Polls `request` until it is pinned or has failed (a failed request is returned:
    /// check `pinned`), with backoff within `budgetMs` (throws `.timeout` past it); 0
    /// picks each default (10 min, 500 ms, 30 s). `request.cid`, when not empty,
    /// narrows each poll and recognises the request once it has left the queue pinned.
    /// A request neither queued nor pinned throws `.notFound`.
    public func waitForPin(_ request: PinRequest, budgetMs: UInt64 = 0, intervalMs: UInt64 = 0,
                           maxIntervalMs: UInt64 = 0, onStatus: PinStatusHandler? = nil) throws -> PinRequest {
        try requireText(request.id, "id")
        let cid: String? = request.cid.isEmpty ? nil : request.cid
        try requireText(cid, "cid")
        return try withStatusHandler(onStatus) { callback, userdata in
            try withHandle { h in
                var r: OpaquePointer? = nil
                try withOptCString(cid) { c in
                    try check {
                        pinata_files_pin_wait(h, request.id, c, budgetMs, intervalMs, maxIntervalMs,
                                              callback, userdata, &r, $0)
                    }
                }
                defer { pinata_files_pin_request_free(r) }
                return PinRequest(r)
            }
        }
    }
}
