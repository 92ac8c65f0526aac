// The v3 Files API: uploads to the public or private network, signed upload URLs (an
// app uploads with the URL alone, no credentials), files per network, and download
// links for private files. Not compiled on machines without Swift: check_symbols.sh
// checks every C call here against include/pinata.h.

import CPinata
import Foundation

/// Where a v3 file lives.
public enum Network: Int32, Sendable {
    case `public` = 0  // PINATA_NETWORK_PUBLIC
    case `private` = 1  // PINATA_NETWORK_PRIVATE
}

/// Options of a v3 upload.
public struct UploadOptions: Sendable {
    public var network: Network = .private
    public var name: String? = nil
    public var keyvalues: [String: String] = [:]
    public var groupID: String? = nil
    /// 0 or 1; nil: the service's default (v1).
    public var cidVersion: Int32? = nil
    /// The data is a CARv1 to import (public network only): the CID is its single root,
    /// which the CID check compares with the service's answer.
    public var car: Bool = false
    /// Sends `streamable=true` (a flag of Pinata's SDK whose effect Pinata does not
    /// document).
    public var streamable: Bool = false
    /// When the service deletes the file: a unix time in seconds, in the future; nil:
    /// never. (Streamable and expiring uploads have no TUS form.)
    public var expiresAt: Int64? = nil
    public var verifyCID: Bool = true
    public init() {}
}

/// A v3 file.
public struct FileRow: Sendable {
    public let id: String
    public let name: String?
    public let cid: String
    public let size: UInt64
    /// 1 unless the file is a folder.
    public let numberOfFiles: UInt64
    public let mimeType: String?
    public let groupID: String?
    public let keyvaluesJSON: String
    /// The creation time, ISO-8601; nil when unknown.
    public let createdAt: String?
    public let isDuplicate: Bool
    public let rawJSON: String

    init(_ row: OpaquePointer?) {
        id = optString(pinata_file_row_id(row)) ?? ""
        name = optString(pinata_file_row_name(row))
        cid = optString(pinata_file_row_cid(row)) ?? ""
        size = pinata_file_row_size(row)
        numberOfFiles = pinata_file_row_number_of_files(row)
        mimeType = optString(pinata_file_row_mime_type(row))
        groupID = optString(pinata_file_row_group_id(row))
        keyvaluesJSON = optString(pinata_file_row_keyvalues_json(row)) ?? "{}"
        createdAt = optString(pinata_file_row_created_at(row))
        isDuplicate = pinata_file_row_is_duplicate(row)
        rawJSON = optString(pinata_file_row_raw_json(row)) ?? ""
    }
}

/// The answer to a v3 upload.
public struct UploadResult: Sendable {
    public let file: FileRow
    /// The uploaded file's CID (the same as `file.cid`).
    public let cid: String
    public let localCID: String?
    public let verified: Bool
    /// The service's whole JSON answer.
    public let rawJSON: String

    init(_ result: OpaquePointer?) {
        file = FileRow(pinata_upload_result_file(result))
        cid = optString(pinata_upload_result_cid(result)) ?? ""
        localCID = optString(pinata_upload_result_local_cid(result))
        verified = pinata_upload_result_cid_check(result) == PINATA_CID_VERIFIED
        rawJSON = optString(pinata_upload_result_raw_json(result)) ?? ""
    }
}

/// Filters and paging of a v3 file listing. Every field left at its default sets no
/// filter.
public struct FileQuery: Sendable {
    /// Only files whose name contains this text.
    public var nameContains: String?
    /// Only files of this group.
    public var groupID: String?
    /// Only files in no group.
    public var noGroup: Bool
    /// Only files of this exact MIME type.
    public var mimeType: String?
    /// Only files with this CID.
    public var cid: String?
    /// Only files whose CID the service is still computing.
    public var cidPending: Bool
    /// Only files whose keyvalue `key` equals `value`, for every pair (at most 10).
    public var keyvalues: [String: String]
    /// By creation time, oldest first (true) or newest first (false); nil: the
    /// service's order (newest first).
    public var ascending: Bool?
    /// Files per request, 1–1000; nil: the service's default.
    public var pageLimit: UInt32?

    public init(nameContains: String? = nil, groupID: String? = nil, noGroup: Bool = false,
                mimeType: String? = nil, cid: String? = nil, cidPending: Bool = false,
                keyvalues: [String: String] = [:], ascending: Bool? = nil,
                pageLimit: UInt32? = nil) {
        self.nameContains = nameContains
        self.groupID = groupID
        self.noGroup = noGroup
        self.mimeType = mimeType
        self.cid = cid
        self.cidPending = cidPending
        self.keyvalues = keyvalues
        self.ascending = ascending
        self.pageLimit = pageLimit
    }

    func apply(to q: OpaquePointer?) throws {
        try requireText(nameContains, "name")
        try requireText(groupID, "group_id")
        try requireText(mimeType, "mime_type")
        try requireText(cid, "cid")
        try withOptCString(nameContains) { n in try check { pinata_files_query_set_name(q, n, $0) } }
        try withOptCString(groupID) { g in try check { pinata_files_query_set_group(q, g, $0) } }
        if noGroup {
            try check { pinata_files_query_set_no_group(q, true, $0) }
        }
        try withOptCString(mimeType) { m in try check { pinata_files_query_set_mime_type(q, m, $0) } }
        try withOptCString(cid) { c in try check { pinata_files_query_set_cid(q, c, $0) } }
        if cidPending {
            try check { pinata_files_query_set_cid_pending(q, true, $0) }
        }
        for (key, value) in keyvalues.sorted(by: { $0.key < $1.key }) {
            try requireText(key, "key")
            try requireText(value, "value")
            try check { pinata_files_query_add_keyvalue(q, key, value, $0) }
        }
        if let ascending = ascending {
            let order: Int32 = ascending ? PINATA_ORDER_ASC : PINATA_ORDER_DESC
            try check { pinata_files_query_set_order(q, order, $0) }
        }
        if let limit = pageLimit {
            try check { pinata_files_query_set_limit(q, limit, $0) }
        }
    }
}

/// A keyvalue value of `keyvalues_json` (`pinata_files_update`): text, a number, or
/// null (removes the key).
private enum FileKeyValueJSON: Encodable {
    case string(String)
    case number(Double)
    case null

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text):
            try container.encode(text)
        case .number(let number):
            try container.encode(number)
        case .null:
            try container.encodeNil()
        }
    }
}

/// The `keyvalues_json` argument of `pinata_files_update`: `keyvalues` set, the keys of
/// `removing` null; nil (keyvalues unchanged) when both are empty.
private func fileKeyvaluesJSON(_ keyvalues: [String: KeyValue], removing: [String]) throws -> String? {
    if keyvalues.isEmpty && removing.isEmpty {
        return nil
    }
    var object: [String: FileKeyValueJSON] = [:]
    for key in removing {
        try requireText(key, "keyvalue key")
        object[key] = .null
    }
    for (key, value) in keyvalues {
        try requireText(key, "keyvalue key")
        switch value {
        case .string(let text):
            try requireText(text, "keyvalue \(key)")
            object[key] = .string(text)
        case .number(let number):
            guard number.isFinite else {
                throw PinataError(local: .invalidArgument, "keyvalue \(key) is not a finite number")
            }
            object[key] = .number(number)
        }
    }
    let data = try JSONEncoder().encode(object)
    return String(decoding: data, as: UTF8.self)
}

/// Builds a `pinata_upload_options` handle for the duration of `body`.
func withUploadOptions<T>(_ options: UploadOptions, _ body: (OpaquePointer?) throws -> T) throws -> T {
    var o: OpaquePointer? = nil
    try check { pinata_upload_options_new(&o, $0) }
    defer { pinata_upload_options_free(o) }
    try check { pinata_upload_options_set_network(o, options.network.rawValue, $0) }
    try requireText(options.name, "name")
    try withOptCString(options.name) { n in try check { pinata_upload_options_set_name(o, n, $0) } }
    try requireText(options.groupID, "group_id")
    try withOptCString(options.groupID) { g in try check { pinata_upload_options_set_group_id(o, g, $0) } }
    for (key, value) in options.keyvalues.sorted(by: { $0.key < $1.key }) {
        try requireText(key, "key")
        try requireText(value, "value")
        try check { pinata_upload_options_set_keyvalue(o, key, value, $0) }
    }
    try check { pinata_upload_options_set_cid_version(o, options.cidVersion ?? -1, $0) }
    try check { pinata_upload_options_set_car(o, options.car, $0) }
    try check { pinata_upload_options_set_streamable(o, options.streamable, $0) }
    try check { pinata_upload_options_set_expires_at(o, options.expiresAt ?? 0, $0) }
    try check { pinata_upload_options_set_verify_cid(o, options.verifyCID, $0) }
    return try body(o)
}

extension Client {
    /// Uploads `data` as a file named `fileName` (POST {upload host}/v3/files).
    public func uploadBytes(_ data: Data, fileName: String,
                            options: UploadOptions = UploadOptions()) throws -> UploadResult {
        try requireText(fileName, "file_name")
        return try withHandle { h in
            try withUploadOptions(options) { o in
                var result: OpaquePointer? = nil
                try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                    let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                    try check { pinata_upload_bytes(h, base, bytes.count, fileName, o, &result, $0) }
                }
                defer { pinata_upload_result_free(result) }
                return UploadResult(result)
            }
        }
    }

    /// Uploads one file streamed from disk.
    public func uploadFile(_ path: String, options: UploadOptions = UploadOptions()) throws -> UploadResult {
        try requireText(path, "path")
        return try withHandle { h in
            try withUploadOptions(options) { o in
                var result: OpaquePointer? = nil
                try check { pinata_upload_file(h, path, o, &result, $0) }
                defer { pinata_upload_result_free(result) }
                return UploadResult(result)
            }
        }
    }

    /// Uploads a JSON document given as text, byte for byte as given (its CID is that of
    /// these bytes), as a file named `data.json` unless `options.name` says otherwise.
    /// Invalid JSON throws `.invalidArgument`, and nothing is sent.
    public func uploadJSON(_ json: String, options: UploadOptions = UploadOptions()) throws -> UploadResult {
        try requireText(json, "json")
        return try withHandle { h in
            try withUploadOptions(options) { o in
                var result: OpaquePointer? = nil
                try check { pinata_upload_json(h, json, o, &result, $0) }
                defer { pinata_upload_result_free(result) }
                return UploadResult(result)
            }
        }
    }

    /// Uploads `value` encoded with `JSONEncoder`, as `uploadJSON(_:options:)`.
    public func uploadJSON<T: Encodable>(encoding value: T,
                                         options: UploadOptions = UploadOptions()) throws -> UploadResult {
        let data = try JSONEncoder().encode(value)
        return try uploadJSON(String(decoding: data, as: UTF8.self), options: options)
    }

    /// Uploads `data` through a signed upload URL with NO client and no credentials.
    public static func uploadBytes(_ data: Data, fileName: String, signedURL: String,
                                   options: UploadOptions = UploadOptions()) throws -> UploadResult {
        try requireText(fileName, "file_name")
        try requireText(signedURL, "signed_url")
        return try withUploadOptions(options) { o in
            var result: OpaquePointer? = nil
            try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                try check {
                    pinata_upload_bytes_signed(nil, signedURL, base, bytes.count, fileName, o, &result, $0)
                }
            }
            defer { pinata_upload_result_free(result) }
            return UploadResult(result)
        }
    }

    /// A client WITHOUT credentials, for an app that holds only signed upload URLs:
    /// `configuration` (CA bundle, proxy, timeouts) applies to its `uploadSigned` calls.
    public convenience init(anonymousWith configuration: Configuration) throws {
        var out: OpaquePointer? = nil
        try check { pinata_client_new_anonymous(&out, $0) }
        self.init(owning: out!)
        try configure(configuration)
    }

    /// Uploads `data` through a signed upload URL with this client's transport settings
    /// (CA bundle, proxy, timeouts) and NONE of its credentials.
    public func uploadSigned(_ data: Data, fileName: String, signedURL: String,
                             options: UploadOptions = UploadOptions()) throws -> UploadResult {
        try requireText(fileName, "file_name")
        try requireText(signedURL, "signed_url")
        return try withHandle { h in
            try withUploadOptions(options) { o in
                var result: OpaquePointer? = nil
                try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                    let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                    try check {
                        pinata_upload_bytes_signed(h, signedURL, base, bytes.count, fileName, o, &result, $0)
                    }
                }
                defer { pinata_upload_result_free(result) }
                return UploadResult(result)
            }
        }
    }

    /// Uploads the file at `path` through a signed upload URL, as `uploadSigned(_:…)`.
    public func uploadSigned(file path: String, signedURL: String,
                             options: UploadOptions = UploadOptions()) throws -> UploadResult {
        try requireText(path, "path")
        try requireText(signedURL, "signed_url")
        return try withHandle { h in
            try withUploadOptions(options) { o in
                var result: OpaquePointer? = nil
                try check { pinata_upload_file_signed(h, signedURL, path, o, &result, $0) }
                defer { pinata_upload_result_free(result) }
                return UploadResult(result)
            }
        }
    }

    /// Creates a signed upload URL valid `expires` seconds (a credential). The URL
    /// limits what an upload through it may be (`maxFileSize` bytes, 0: any size;
    /// `mimeTypes`, empty: any type) and presets the file's `network`, `name`, group
    /// (`groupID`) and string `keyvalues` (at most 10).
    public func signUploadURL(expires: UInt64 = 60, network: Network? = nil, maxFileSize: UInt64 = 0,
                              mimeTypes: [String] = [], name: String? = nil, groupID: String? = nil,
                              keyvalues: [String: String] = [:]) throws -> String {
        var s: OpaquePointer? = nil
        try check { pinata_sign_options_new(&s, $0) }
        defer { pinata_sign_options_free(s) }
        try check { pinata_sign_options_set_expires(s, expires, $0) }
        try check { pinata_sign_options_set_max_file_size(s, maxFileSize, $0) }
        if let network = network {
            try check { pinata_sign_options_set_network(s, network.rawValue, $0) }
        }
        for m in mimeTypes {
            try requireText(m, "mime_type")
            try check { pinata_sign_options_add_mime_type(s, m, $0) }
        }
        try requireText(name, "name")
        try withOptCString(name) { n in try check { pinata_sign_options_set_name(s, n, $0) } }
        try requireText(groupID, "group_id")
        try withOptCString(groupID) { g in try check { pinata_sign_options_set_group_id(s, g, $0) } }
        for (key, value) in keyvalues.sorted(by: { $0.key < $1.key }) {
            try requireText(key, "key")
            try requireText(value, "value")
            try check { pinata_sign_options_set_keyvalue(s, key, value, $0) }
        }
        return try withHandle { h in
            var url: UnsafeMutablePointer<CChar>? = nil
            try check { pinata_sign_upload_url(h, s, &url, $0) }
            return takeString(url) ?? ""
        }
    }

    /// A download link for the private file `cid` on `gatewayURL`, valid `expires` s.
    public func downloadLink(gatewayURL: String, cid: String, expires: UInt64) throws -> String {
        try requireText(gatewayURL, "gateway_url")
        try requireText(cid, "cid")
        return try withHandle { h in
            var link: UnsafeMutablePointer<CChar>? = nil
            try check { pinata_files_download_link(h, gatewayURL, cid, expires, &link, $0) }
            return takeString(link) ?? ""
        }
    }

    /// Every file of `network` (following page tokens), optionally with a name filter.
    public func listFiles(_ network: Network, nameContains: String? = nil) throws -> [FileRow] {
        try listFiles(network, FileQuery(nameContains: nameContains))
    }

    /// The files of `network` matching `query` (following page tokens), all of them or
    /// the first `limit`.
    public func listFiles(_ network: Network, _ query: FileQuery, limit: Int? = nil) throws -> [FileRow] {
        var q: OpaquePointer? = nil
        try check { pinata_files_query_new(&q, $0) }
        defer { pinata_files_query_free(q) }
        try query.apply(to: q)
        return try withHandle { h in
            var it: OpaquePointer? = nil
            try check { pinata_files_list_iter_new(h, network.rawValue, q, &it, $0) }
            defer { pinata_files_list_iter_free(it) }
            var rows: [FileRow] = []
            while limit.map({ rows.count < $0 }) ?? true {
                var row: OpaquePointer? = nil
                try check { pinata_files_list_iter_next(it, &row, $0) }
                guard row != nil else { break }
                // Borrowed from the iterator: copied before the next call.
                rows.append(FileRow(row))
            }
            return rows
        }
    }

    /// One file; an unknown id throws `.notFound`.
    public func getFile(_ network: Network, id: String) throws -> FileRow {
        try requireText(id, "id")
        return try withHandle { h in
            var row: OpaquePointer? = nil
            try check { pinata_files_get(h, network.rawValue, id, &row, $0) }
            defer { pinata_file_row_free(row) }
            return FileRow(row)
        }
    }

    /// Updates a file (`PUT /v3/files/{network}/{id}`): renames it (`name`), sets
    /// keyvalues (merged into the file's) and removes the keys in `removing`, and sets
    /// when the service deletes it (`expiresAt`, a unix time in seconds, in the future).
    /// nil and empty arguments leave their field unchanged; at least one change is
    /// required (else `.invalidArgument`). An unknown id throws `.notFound`. Returns the
    /// file as updated.
    public func updateFile(_ network: Network, id: String, name: String? = nil,
                           keyvalues: [String: KeyValue] = [:], removing: [String] = [],
                           expiresAt: Int64? = nil) throws -> FileRow {
        try requireText(id, "id")
        try requireText(name, "name")
        let json = try fileKeyvaluesJSON(keyvalues, removing: removing)
        let expires = expiresAt ?? 0
        return try withHandle { h in
            var row: OpaquePointer? = nil
            try check { e in
                withOptCString(name) { n in
                    withOptCString(json) { k in
                        pinata_files_update(h, network.rawValue, id, n, k, expires, &row, e)
                    }
                }
            }
            defer { pinata_file_row_free(row) }
            return FileRow(row)
        }
    }

    /// Deletes a file (a public one is unpinned).
    public func deleteFile(_ network: Network, id: String) throws {
        try requireText(id, "id")
        try withHandle { h in
            try check { pinata_files_delete(h, network.rawValue, id, $0) }
        }
    }
}
