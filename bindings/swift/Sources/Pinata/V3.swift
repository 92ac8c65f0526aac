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
    public var verifyCID: Bool = true
    public init() {}
}

/// A v3 file.
public struct FileRow: Sendable {
    public let id: String
    public let name: String?
    public let cid: String
    public let size: UInt64
    public let mimeType: String?
    public let groupID: String?
    public let keyvaluesJSON: String
    public let isDuplicate: Bool
    public let rawJSON: String

    init(_ row: OpaquePointer?) {
        id = optString(pinata_file_row_id(row)) ?? ""
        name = optString(pinata_file_row_name(row))
        cid = optString(pinata_file_row_cid(row)) ?? ""
        size = pinata_file_row_size(row)
        mimeType = optString(pinata_file_row_mime_type(row))
        groupID = optString(pinata_file_row_group_id(row))
        keyvaluesJSON = optString(pinata_file_row_keyvalues_json(row)) ?? "{}"
        isDuplicate = pinata_file_row_is_duplicate(row)
        rawJSON = optString(pinata_file_row_raw_json(row)) ?? ""
    }
}

/// The answer to a v3 upload.
public struct UploadResult: Sendable {
    public let file: FileRow
    public let localCID: String?
    public let verified: Bool

    init(_ result: OpaquePointer?) {
        file = FileRow(pinata_upload_result_file(result))
        localCID = optString(pinata_upload_result_local_cid(result))
        verified = pinata_upload_result_cid_check(result) == PINATA_CID_VERIFIED
    }
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

    /// Creates a signed upload URL valid `expires` seconds (a credential).
    public func signUploadURL(expires: UInt64 = 60, network: Network? = nil, maxFileSize: UInt64 = 0,
                              mimeTypes: [String] = [], name: String? = nil) throws -> String {
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
        try requireText(nameContains, "name")
        var q: OpaquePointer? = nil
        try check { pinata_files_query_new(&q, $0) }
        defer { pinata_files_query_free(q) }
        try withOptCString(nameContains) { n in try check { pinata_files_query_set_name(q, n, $0) } }
        return try withHandle { h in
            var it: OpaquePointer? = nil
            try check { pinata_files_list_iter_new(h, network.rawValue, q, &it, $0) }
            defer { pinata_files_list_iter_free(it) }
            var rows: [FileRow] = []
            while true {
                var row: OpaquePointer? = nil
                try check { pinata_files_list_iter_next(it, &row, $0) }
                guard row != nil else { break }
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

    /// Deletes a file (a public one is unpinned).
    public func deleteFile(_ network: Network, id: String) throws {
        try requireText(id, "id")
        try withHandle { h in
            try check { pinata_files_delete(h, network.rawValue, id, $0) }
        }
    }
}
