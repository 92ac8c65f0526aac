// Value types of the API: options and queries (turned into C handles for each call) and
// results (copied out of C handles before those are freed). Enums whose cases carry a
// `// PINATA_…` comment mirror that C constant; `check_symbols.sh` compares the values.

import CPinata
import Foundation

// MARK: - Shared

/// A keyvalue (`pinataMetadata.keyvalues`) value: text or a finite number.
public enum KeyValue: Sendable, Equatable, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    case string(String)
    case number(Double)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
}

/// The CID version of an upload.
public enum CIDVersion: Int32, Sendable {
    /// `Qm…` (dag-pb leaves).
    case v0 = 0
    /// `bafy…`/`bafk…` (raw leaves, like `ipfs add --cid-version=1`).
    case v1 = 1
}

/// A cancel flag (`pinata_cancel`). `cancel()` is safe from any thread and stops every
/// call using the token: set it on `PinOptions.cancel` for one upload, or make a client
/// whose every call it stops with `Client.cancellable(by:)`.
public final class CancelToken: @unchecked Sendable {
    let raw: OpaquePointer

    public init() throws {
        var out: OpaquePointer? = nil
        try check { pinata_cancel_new(&out, $0) }
        raw = out!
    }

    /// Raises the flag: calls in flight stop with `.cancelled` promptly.
    public func cancel() { pinata_cancel_request(raw) }

    /// Lowers the flag so that the token can serve later calls.
    public func reset() { pinata_cancel_reset(raw) }

    deinit { pinata_cancel_free(raw) }
}

// MARK: - Uploads

/// Options of pin calls. Every field left at its default leaves the C default.
public struct PinOptions: Sendable {
    /// `pinataMetadata.name` (default: the file or folder name; `"json"` for JSON).
    public var name: String?
    /// `pinataMetadata.keyvalues`, at most 10 keys.
    public var keyvalues: [String: KeyValue]
    /// nil leaves the service's default (v0 on the legacy API).
    public var cidVersion: CIDVersion?
    /// `wrapWithDirectory`: a file becomes reachable as `<cid>/<name>`.
    public var wrapWithDirectory: Bool
    /// `groupId`.
    public var groupId: String?
    /// Check the service's CID against the one computed locally from the bytes sent.
    public var verifyCID: Bool
    /// Host nodes (multiaddrs) for `pinByCID`, at most 5; uploads ignore them.
    public var hostNodes: [String]
    /// A cancel flag for the call.
    public var cancel: CancelToken?

    public init(name: String? = nil, keyvalues: [String: KeyValue] = [:],
                cidVersion: CIDVersion? = nil, wrapWithDirectory: Bool = false,
                groupId: String? = nil, verifyCID: Bool = true, hostNodes: [String] = [],
                cancel: CancelToken? = nil) {
        self.name = name
        self.keyvalues = keyvalues
        self.cidVersion = cidVersion
        self.wrapWithDirectory = wrapWithDirectory
        self.groupId = groupId
        self.verifyCID = verifyCID
        self.hostNodes = hostNodes
        self.cancel = cancel
    }

    func apply(to o: OpaquePointer?) throws {
        if let name = name {
            try requireText(name, "name")
            try check { pinata_pin_options_set_name(o, name, $0) }
        }
        for (key, value) in keyvalues.sorted(by: { $0.key < $1.key }) {
            try requireText(key, "keyvalue key")
            switch value {
            case .string(let text):
                try requireText(text, "keyvalue \(key)")
                try check { pinata_pin_options_set_keyvalue_string(o, key, text, $0) }
            case .number(let number):
                try check { pinata_pin_options_set_keyvalue_number(o, key, number, $0) }
            }
        }
        if let version = cidVersion {
            try check { pinata_pin_options_set_cid_version(o, version.rawValue, $0) }
        }
        if wrapWithDirectory {
            try check { pinata_pin_options_set_wrap_with_directory(o, true, $0) }
        }
        if let group = groupId {
            try requireText(group, "groupId")
            try check { pinata_pin_options_set_group_id(o, group, $0) }
        }
        if !verifyCID {
            try check { pinata_pin_options_set_verify_cid(o, false, $0) }
        }
        if let token = cancel {
            try check { pinata_pin_options_set_cancel(o, token.raw, $0) }
        }
        for node in hostNodes {
            try requireText(node, "hostNode")
            try check { pinata_pin_options_add_host_node(o, node, $0) }
        }
    }
}

/// The outcome of the local CID check of an upload.
public enum CIDCheck: Int32, Sendable {
    /// Verification was off (`PinOptions.verifyCID = false`).
    case notChecked = 0 // PINATA_CID_NOT_CHECKED
    /// The service's CID equals the one computed locally.
    case verified = 1 // PINATA_CID_VERIFIED
    /// No local CID profile applies; nothing is concluded. (A mismatch throws `.integrity`.)
    case unverifiable = 2 // PINATA_CID_UNVERIFIABLE
}

/// A CID profile: the importer settings (CID version, leaves, chunk size, links per
/// node) a CID was computed with (`PINATA_CID_PROFILE_*`).
public enum CIDProfile: Int32, Sendable {
    /// kubo's default: CIDv0, dag-pb leaves, 256 KiB chunks.
    case kuboV0 = 1 // PINATA_CID_PROFILE_KUBO_V0
    /// kubo `--cid-version=1`: CIDv1, raw leaves, 256 KiB chunks, 174 links.
    case kuboV1 = 2 // PINATA_CID_PROFILE_KUBO_V1
    /// unixfs-v1-2025 (IPIP-499): CIDv1, raw leaves, 1 MiB chunks, 1024 links.
    case unixfsV1_2025 = 3 // PINATA_CID_PROFILE_UNIXFS_V1_2025
}

/// The answer to an upload.
public struct PinResult: Sendable {
    /// The pinned CID (`IpfsHash`).
    public let cid: String
    /// `PinSize` in bytes.
    public let size: UInt64
    /// The service's timestamp (ISO-8601).
    public let timestamp: String?
    /// Whether the CID was already pinned (`isDuplicate`).
    public let isDuplicate: Bool
    /// The CID computed locally from the bytes sent; nil when verification was off.
    public let localCID: String?
    /// The outcome of the CID check.
    public let cidCheck: CIDCheck
    /// The CID profile whose local CID equals the service's: which importer settings
    /// the service used. nil when the check was off or matched no profile's own form.
    public let cidProfile: CIDProfile?
    /// How many CID profiles were hashed to check the upload: 0 when the check was off,
    /// 1 for v0 and for v1 once the client learned its service's profile
    /// (`Client.learnedCIDProfile`), 2 otherwise (on two threads).
    public let profilesHashed: UInt32
    /// The service's whole JSON answer.
    public let rawJSON: String

    init(_ r: OpaquePointer?) {
        cid = optString(pinata_pin_result_cid(r)) ?? ""
        size = pinata_pin_result_size(r)
        timestamp = optString(pinata_pin_result_timestamp(r))
        isDuplicate = pinata_pin_result_is_duplicate(r)
        localCID = optString(pinata_pin_result_local_cid(r))
        cidCheck = CIDCheck(rawValue: pinata_pin_result_cid_check(r)) ?? .unverifiable
        cidProfile = CIDProfile(rawValue: pinata_pin_result_cid_profile(r))
        profilesHashed = pinata_pin_result_profiles_hashed(r)
        rawJSON = optString(pinata_pin_result_raw_json(r)) ?? ""
    }
}

// MARK: - Pin by CID

/// Owns the C object that the `pinata_pin_job_info` of a `PinJob` is borrowed from: the
/// job `pinata_pin_by_cid` or `pinata_pin_job_wait` returned, or a page of
/// `pinata_pin_jobs_list`, shared by the jobs of that page. `Client.waitForPinJob` passes
/// that info to C. The lock keeps the C handle to one thread at a time, as `pinata.h`
/// asks of result handles.
final class PinJobOwner: @unchecked Sendable {
    private let lock = NSLock()
    /// An owned `pinata_pin_job`, or nil.
    private let job: OpaquePointer?
    /// An owned `pinata_pin_job_list`, or nil.
    private let list: OpaquePointer?

    init(job: OpaquePointer?) {
        self.job = job
        self.list = nil
    }

    init(list: OpaquePointer?) {
        self.job = nil
        self.list = list
    }

    deinit {
        pinata_pin_job_free(job)
        pinata_pin_job_list_free(list)
    }

    /// The info of the job, or of row `index` of the page (borrowed from this owner).
    /// Without the lock: only while no other thread can have this owner yet.
    func info(_ index: Int) -> OpaquePointer? {
        if job != nil {
            return pinata_pin_job_get_info(job)
        }
        return pinata_pin_job_list_get(list, index)
    }

    /// Runs `body` with the info of the job (row `index` of a page), one thread at a time.
    func withInfo<T>(_ index: Int, _ body: (OpaquePointer?) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(info(index))
    }
}

/// A pin-by-CID job.
public struct PinJob: Sendable {
    public let id: String
    public let cid: String
    /// `prechecking`, `searching`, `retrieving`, `expired`, `over_free_limit`,
    /// `over_max_size`, `invalid_object`, `bad_host_node`, `backfilled`, or `pinned`
    /// (a job `Client.waitForPinJob` returned).
    public let status: String
    public let name: String?
    /// When the job was queued (ISO-8601; list rows only).
    public let dateQueued: String?
    public let rawJSON: String

    /// The C job or page the fields came from, kept for `Client.waitForPinJob`.
    let owner: PinJobOwner
    /// The row of the page (0 for a job).
    let index: Int

    /// Copies the `pinata_pin_job_info` of `owner` (row `index` of a page), keeping
    /// `owner` alive as long as the job.
    init(_ owner: PinJobOwner, index: Int = 0) {
        self.owner = owner
        self.index = index
        let j = owner.info(index)
        id = optString(pinata_pin_job_info_id(j)) ?? ""
        cid = optString(pinata_pin_job_info_cid(j)) ?? ""
        status = optString(pinata_pin_job_info_status(j)) ?? ""
        name = optString(pinata_pin_job_info_name(j))
        dateQueued = optString(pinata_pin_job_info_date_queued(j))
        rawJSON = optString(pinata_pin_job_info_raw_json(j)) ?? ""
    }
}

/// Filters of `Client.pinJobs`.
public struct PinJobQuery: Sendable {
    public enum Sort: Int32, Sendable {
        case newestFirst = 0
        case oldestFirst = 1
    }

    /// Only jobs with this status (nil: any).
    public var status: String?
    /// Only jobs for this CID (nil: any).
    public var cid: String?
    /// Order by queue date (nil: the service's default).
    public var sort: Sort?
    /// Page size, 1–1000 (nil: the service's default).
    public var limit: UInt32?
    /// Jobs to skip.
    public var offset: UInt64

    public init(status: String? = nil, cid: String? = nil, sort: Sort? = nil,
                limit: UInt32? = nil, offset: UInt64 = 0) {
        self.status = status
        self.cid = cid
        self.sort = sort
        self.limit = limit
        self.offset = offset
    }
}

/// A page of pin jobs.
public struct PinJobPage: Sendable {
    public let jobs: [PinJob]
    /// The total the service reported, if any.
    public let total: Int64?
}

// MARK: - Pin list

/// Which records the pin list returns.
public enum PinStatusFilter: Int32, Sendable {
    case all = 0 // PINATA_PIN_STATUS_ALL
    case pinned = 1 // PINATA_PIN_STATUS_PINNED
    case unpinned = 2 // PINATA_PIN_STATUS_UNPINNED
}

/// A `metadata[keyvalues]` condition of the pin list.
public struct KeyValueCondition: Sendable {
    /// The operators, in the C order.
    public enum Operator: Int32, Sendable, CustomStringConvertible {
        case gt = 0 // PINATA_OP_GT
        case gte = 1 // PINATA_OP_GTE
        case lt = 2 // PINATA_OP_LT
        case lte = 3 // PINATA_OP_LTE
        case ne = 4 // PINATA_OP_NE
        case eq = 5 // PINATA_OP_EQ
        case between = 6 // PINATA_OP_BETWEEN
        case notBetween = 7 // PINATA_OP_NOT_BETWEEN
        case like = 8 // PINATA_OP_LIKE
        case notLike = 9 // PINATA_OP_NOT_LIKE
        case iLike = 10 // PINATA_OP_ILIKE
        case notILike = 11 // PINATA_OP_NOT_ILIKE
        case regexp = 12 // PINATA_OP_REGEXP
        case iRegexp = 13 // PINATA_OP_IREGEXP

        /// The C name, e.g. `"PINATA_OP_NOT_BETWEEN"` (from `pinata_keyvalue_op_str`).
        public var name: String { String(cString: pinata_keyvalue_op_str(rawValue)) }

        public var description: String { name }
    }

    enum Operand: Sendable {
        case string(String, String?)
        case number(Double, Double?)
    }

    let key: String
    let op: Operator
    let operand: Operand

    /// A condition on a text value; `second` is required exactly for `.between` and
    /// `.notBetween`.
    public static func string(_ key: String, _ op: Operator, _ value: String,
                              _ second: String? = nil) -> KeyValueCondition {
        KeyValueCondition(key: key, op: op, operand: .string(value, second))
    }

    /// A condition on a number; `second` is required exactly for `.between` and
    /// `.notBetween`.
    public static func number(_ key: String, _ op: Operator, _ value: Double,
                              _ second: Double? = nil) -> KeyValueCondition {
        KeyValueCondition(key: key, op: op, operand: .number(value, second))
    }

    func apply(to q: OpaquePointer?) throws {
        let key = self.key
        let op = self.op.rawValue
        try requireText(key, "keyvalue key")
        switch operand {
        case .string(let value, let second):
            try requireText(value, "keyvalue value")
            try requireText(second, "keyvalue second value")
            try check { e in
                withOptCString(second) { s in
                    pinata_pin_list_query_add_keyvalue_string(q, key, op, value, s, e)
                }
            }
        case .number(let value, let second):
            try check {
                pinata_pin_list_query_add_keyvalue_number(q, key, op, value, second ?? 0,
                                                          second != nil, $0)
            }
        }
    }
}

/// Filters and paging of the pin list. Every field left at its default sets no filter.
public struct PinListQuery: Sendable {
    /// A CID or part of one.
    public var cid: String?
    public var groupId: String?
    /// `metadata[name]` substring.
    public var nameContains: String?
    public var status: PinStatusFilter
    /// Pinned within `[pinStart, pinEnd]` (ISO-8601).
    public var pinStart: String?
    public var pinEnd: String?
    /// Unpinned within `[unpinStart, unpinEnd]` (ISO-8601).
    public var unpinStart: String?
    public var unpinEnd: String?
    /// Size bounds in bytes (nil: open).
    public var minBytes: Int64?
    public var maxBytes: Int64?
    /// Records per request, 1–1000 (nil: 100).
    public var pageLimit: UInt32?
    /// Records to skip.
    public var offset: UInt64
    /// Keyvalue conditions, all of which must hold.
    public var keyvalues: [KeyValueCondition]

    public init(cid: String? = nil, groupId: String? = nil, nameContains: String? = nil,
                status: PinStatusFilter = .all, pinStart: String? = nil, pinEnd: String? = nil,
                unpinStart: String? = nil, unpinEnd: String? = nil, minBytes: Int64? = nil,
                maxBytes: Int64? = nil, pageLimit: UInt32? = nil, offset: UInt64 = 0,
                keyvalues: [KeyValueCondition] = []) {
        self.cid = cid
        self.groupId = groupId
        self.nameContains = nameContains
        self.status = status
        self.pinStart = pinStart
        self.pinEnd = pinEnd
        self.unpinStart = unpinStart
        self.unpinEnd = unpinEnd
        self.minBytes = minBytes
        self.maxBytes = maxBytes
        self.pageLimit = pageLimit
        self.offset = offset
        self.keyvalues = keyvalues
    }

    func apply(to q: OpaquePointer?) throws {
        let (cid, group, name) = (self.cid, self.groupId, self.nameContains)
        try requireText(cid, "cid")
        try requireText(group, "groupId")
        try requireText(name, "nameContains")
        if cid != nil || group != nil || name != nil {
            try check { e in
                withOptCString(cid) { c in
                    withOptCString(group) { g in
                        withOptCString(name) { n in
                            pinata_pin_list_query_set_text(q, c, g, n, e)
                        }
                    }
                }
            }
        }
        let statusValue = status.rawValue
        try check { pinata_pin_list_query_set_status(q, statusValue, $0) }
        let (ps, pe, us, ue) = (pinStart, pinEnd, unpinStart, unpinEnd)
        for (value, argument) in [(ps, "pinStart"), (pe, "pinEnd"), (us, "unpinStart"), (ue, "unpinEnd")] {
            try requireText(value, argument)
        }
        if ps != nil || pe != nil || us != nil || ue != nil {
            try check { e in
                withOptCString(ps) { a in
                    withOptCString(pe) { b in
                        withOptCString(us) { c in
                            withOptCString(ue) { d in
                                pinata_pin_list_query_set_dates(q, a, b, c, d, e)
                            }
                        }
                    }
                }
            }
        }
        if minBytes != nil || maxBytes != nil {
            let (low, high) = (minBytes ?? -1, maxBytes ?? -1)
            try check { pinata_pin_list_query_set_size_range(q, low, high, $0) }
        }
        if pageLimit != nil || offset != 0 {
            let (limit, skip) = (pageLimit ?? 100, offset)
            try check { pinata_pin_list_query_set_paging(q, limit, skip, $0) }
        }
        for condition in keyvalues {
            try condition.apply(to: q)
        }
    }
}

/// One pin record.
public struct Pin: Sendable {
    public let id: String
    public let cid: String
    public let size: UInt64
    /// ISO-8601.
    public let datePinned: String?
    /// ISO-8601; nil while pinned.
    public let dateUnpinned: String?
    public let name: String?
    /// The keyvalues as JSON text: an object, or `null`.
    public let keyvaluesJSON: String?
    /// The whole record as JSON.
    public let rawJSON: String

    init(_ row: OpaquePointer?) {
        id = optString(pinata_pin_row_id(row)) ?? ""
        cid = optString(pinata_pin_row_cid(row)) ?? ""
        size = pinata_pin_row_size(row)
        datePinned = optString(pinata_pin_row_date_pinned(row))
        dateUnpinned = optString(pinata_pin_row_date_unpinned(row))
        name = optString(pinata_pin_row_name(row))
        keyvaluesJSON = optString(pinata_pin_row_keyvalues_json(row))
        rawJSON = optString(pinata_pin_row_raw_json(row)) ?? ""
    }
}

/// Walks the pin list, fetching pages as needed (`pinata_pin_list_iter`). One thread at a
/// time. It holds its own reference to the C client, so it outlives the `Client` and
/// its `close()`.
public final class PinIterator {
    private let iter: OpaquePointer?
    private var done = false

    init(iter: OpaquePointer?) {
        self.iter = iter
    }

    /// The next record, or nil at the end. After a thrown error, calling again retries
    /// the failed page.
    public func next() throws -> Pin? {
        if done {
            return nil
        }
        var row: OpaquePointer? = nil
        try check { pinata_pin_list_iter_next(iter, &row, $0) }
        guard let current = row else {
            done = true
            return nil
        }
        return Pin(current)
    }

    /// The total count the service reported so far, if any.
    public var total: Int64? {
        let value = pinata_pin_list_iter_total(iter)
        return value < 0 ? nil : value
    }

    deinit {
        pinata_pin_list_iter_free(iter)
    }
}

/// Usage totals.
public struct Usage: Sendable {
    public let pinCount: UInt64
    public let pinSizeTotal: UInt64
    public let pinSizeWithReplicationsTotal: UInt64
}

// MARK: - Keys

/// What a new API key may do: admin, or a set of legacy endpoints and v3 resources.
/// Build it with the `allowing` methods:
/// `KeyPermissions().allowing(.pinList).allowing(resource: "org:files:read")`.
public struct KeyPermissions: Sendable {
    /// The legacy endpoints (`PINATA_ENDPOINT_*`).
    public enum Endpoint: Int32, Sendable, CaseIterable, CustomStringConvertible {
        case pinList = 0 // PINATA_ENDPOINT_PIN_LIST
        case userPinnedDataTotal = 1 // PINATA_ENDPOINT_USER_PINNED_DATA_TOTAL
        case hashMetadata = 2 // PINATA_ENDPOINT_HASH_METADATA
        case hashPinPolicy = 3 // PINATA_ENDPOINT_HASH_PIN_POLICY
        case pinByHash = 4 // PINATA_ENDPOINT_PIN_BY_HASH
        case pinFileToIPFS = 5 // PINATA_ENDPOINT_PIN_FILE_TO_IPFS
        case pinJSONToIPFS = 6 // PINATA_ENDPOINT_PIN_JSON_TO_IPFS
        case pinJobs = 7 // PINATA_ENDPOINT_PIN_JOBS
        case unpin = 8 // PINATA_ENDPOINT_UNPIN
        case userPinPolicy = 9 // PINATA_ENDPOINT_USER_PIN_POLICY

        /// The C name, e.g. `"PINATA_ENDPOINT_UNPIN"` (from `pinata_endpoint_str`).
        public var name: String { String(cString: pinata_endpoint_str(rawValue)) }

        public var description: String { name }
    }

    public var admin: Bool
    public var endpoints: [Endpoint]
    /// v3 resource scopes such as `"org:files:read"`.
    public var resources: [String]

    public init(admin: Bool = false, endpoints: [Endpoint] = [], resources: [String] = []) {
        self.admin = admin
        self.endpoints = endpoints
        self.resources = resources
    }

    /// An admin key (every endpoint, key management included).
    public static var adminKey: KeyPermissions { KeyPermissions(admin: true) }

    public func allowing(_ endpoint: Endpoint) -> KeyPermissions {
        var copy = self
        copy.endpoints.append(endpoint)
        return copy
    }

    public func allowing(resource: String) -> KeyPermissions {
        var copy = self
        copy.resources.append(resource)
        return copy
    }
}

/// A created key. Pinata shows the secret and JWT only once. (Unlike libpinata's own
/// copy, these Swift strings are not wiped from memory.)
public struct CreatedKey: Sendable {
    public let apiKey: String
    public let secret: String
    public let jwt: String
}

/// One key row of a listing.
public struct KeyInfo: Sendable {
    public let id: String
    public let name: String
    /// The key's `pinata_api_key` value.
    public let key: String
    public let createdAt: String?
    /// 0 when unlimited.
    public let maxUses: UInt64
    public let uses: UInt64
    public let revoked: Bool
    public let admin: Bool
    /// The row as JSON (any secret removed).
    public let rawJSON: String

    init(_ info: OpaquePointer?) {
        id = optString(pinata_key_info_id(info)) ?? ""
        name = optString(pinata_key_info_name(info)) ?? ""
        key = optString(pinata_key_info_key(info)) ?? ""
        createdAt = optString(pinata_key_info_created_at(info))
        maxUses = pinata_key_info_max_uses(info)
        uses = pinata_key_info_uses(info)
        revoked = pinata_key_info_revoked(info)
        admin = pinata_key_info_admin(info)
        rawJSON = optString(pinata_key_info_raw_json(info)) ?? ""
    }
}

/// Filters and paging of the key listing (nil: any).
public struct KeyQuery: Sendable {
    public var revoked: Bool?
    public var limitedUse: Bool?
    public var exhausted: Bool?
    /// Keys whose name contains this text (case-insensitive).
    public var nameContains: String?
    public var offset: UInt64

    public init(revoked: Bool? = nil, limitedUse: Bool? = nil, exhausted: Bool? = nil,
                nameContains: String? = nil, offset: UInt64 = 0) {
        self.revoked = revoked
        self.limitedUse = limitedUse
        self.exhausted = exhausted
        self.nameContains = nameContains
        self.offset = offset
    }
}

/// A page of keys.
public struct KeyPage: Sendable {
    public let keys: [KeyInfo]
    /// The total the service reported, if any.
    public let total: Int64?

    init(_ list: OpaquePointer?) {
        keys = (0..<pinata_key_list_len(list)).map { KeyInfo(pinata_key_list_get(list, $0)) }
        let reported = pinata_key_list_total(list)
        total = reported < 0 ? nil : reported
    }
}
