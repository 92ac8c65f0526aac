// Verified downloads (`pinata_download_*`): a CID from an IPFS gateway to a path or into
// memory, every byte checked against its hash (a trustless CAR, else raw blocks, else
// plain bytes with the CID recomputed), written under a temporary name and renamed only
// once complete. The gateway and its access token are `Client.Configuration.gateway`
// and `gatewayToken` (`pinata_client_set_gateway`), like every other client setting. Not compiled on
// machines without Swift: check_symbols.sh checks every C call here against
// include/pinata.h.

import CPinata
import Foundation

/// How a download fetches, and in a result how the content came (`PINATA_DOWNLOAD_*`).
public enum DownloadMethod: Int32, Sendable {
    /// A CAR, else raw blocks, else plain bytes. In a result: nothing was fetched (an
    /// identity CID carries its own bytes).
    case auto = 0 // PINATA_DOWNLOAD_AUTO
    /// Only a trustless CAR.
    case car = 1 // PINATA_DOWNLOAD_CAR
    /// Only raw blocks, one request each.
    case raw = 2 // PINATA_DOWNLOAD_RAW
    /// Only plain bytes, the CID recomputed from them (files only).
    case plain = 3 // PINATA_DOWNLOAD_PLAIN
}

/// How downloaded content was checked.
public enum DownloadVerification: Int32, Sendable {
    /// Every block's hash was checked against its CID.
    case blocks = 1 // PINATA_DOWNLOAD_VERIFIED_BLOCKS
    /// Plain bytes whose recomputed CID equals the requested one.
    case recomputed = 2 // PINATA_DOWNLOAD_VERIFIED_RECOMPUTED
    /// Plain bytes no import profile could check, kept because
    /// `DownloadOptions.acceptUnverifiable` allowed it.
    case unverifiable = 3 // PINATA_DOWNLOAD_UNVERIFIABLE
}

/// Options of a download. Every field left at its default leaves the C default.
public struct DownloadOptions: Sendable {
    /// Which responses to ask for (default `.auto`).
    public var method: DownloadMethod
    /// Keep plain bytes that no import profile can check (default false: the download
    /// throws `.integrity` and nothing is kept).
    public var acceptUnverifiable: Bool
    /// Disk space for blocks kept for later: those that arrive before the blocks
    /// referencing them, and inner nodes and directories; nil: the library's default
    /// (1 GiB).
    public var maxSpillBytes: UInt64?
    /// Most content bytes, all files together; nil (or 0): no cap. A few kilobytes of
    /// blocks can describe terabytes: set it for a CID from someone you do not trust.
    /// Past it the download throws `.protocolError` and leaves nothing.
    public var maxBytes: UInt64?
    /// Most files and directories made, the destination counted; nil (or 0): no cap.
    public var maxEntries: UInt64?
    /// A cancel flag for the call.
    public var cancel: CancelToken?

    public init(method: DownloadMethod = .auto, acceptUnverifiable: Bool = false,
                maxSpillBytes: UInt64? = nil, maxBytes: UInt64? = nil,
                maxEntries: UInt64? = nil, cancel: CancelToken? = nil) {
        self.method = method
        self.acceptUnverifiable = acceptUnverifiable
        self.maxSpillBytes = maxSpillBytes
        self.maxBytes = maxBytes
        self.maxEntries = maxEntries
        self.cancel = cancel
    }

    func apply(to o: OpaquePointer?) throws {
        if method != .auto {
            try check { pinata_download_options_set_method(o, method.rawValue, $0) }
        }
        if acceptUnverifiable {
            try check { pinata_download_options_set_accept_unverifiable(o, true, $0) }
        }
        if let bytes = maxSpillBytes {
            try check { pinata_download_options_set_max_spill(o, bytes, $0) }
        }
        if let bytes = maxBytes {
            try check { pinata_download_options_set_max_bytes(o, bytes, $0) }
        }
        if let entries = maxEntries {
            try check { pinata_download_options_set_max_entries(o, entries, $0) }
        }
        if let token = cancel {
            try check { pinata_download_options_set_cancel(o, token.raw, $0) }
        }
    }
}

/// What a finished download did; `data` holds the content of an in-memory download.
public struct DownloadResult: Sendable {
    /// Content bytes written (all files).
    public let bytes: UInt64
    /// Files written.
    public let files: UInt64
    /// Blocks received and verified (0 for plain bytes).
    public let blocks: UInt64
    /// Whether the CID is a directory.
    public let isDirectory: Bool
    /// The method that delivered the content.
    public let method: DownloadMethod
    /// How the content was checked.
    public let verification: DownloadVerification
    /// The content of `downloadData`; nil for a download to a path.
    public let data: Data?

    /// Copies everything out of `r` (the C result stays the caller's to free).
    init(_ r: OpaquePointer?) {
        bytes = pinata_download_result_bytes(r)
        files = pinata_download_result_files(r)
        blocks = pinata_download_result_blocks(r)
        isDirectory = pinata_download_result_is_dir(r)
        method = DownloadMethod(rawValue: pinata_download_result_method(r)) ?? .auto
        verification = DownloadVerification(rawValue: pinata_download_result_verified(r)) ?? .blocks
        var length: Int = 0
        if let pointer = pinata_download_result_data(r, &length) {
            // An empty in-memory file is a valid pointer and length 0.
            data = Data(bytes: pointer, count: length)
        } else {
            data = nil
        }
    }
}

/// Builds a `pinata_download_options` handle from `options` and `progress` for the
/// duration of `body` (NULL when both are nil), keeping the progress closure alive.
/// Download progress reports the bytes received (`sent`) of `total`: the content size
/// once the gateway's length or the file's UnixFS size is known, else 0.
func withDownloadOptions<T>(_ options: DownloadOptions?, _ progress: ProgressHandler?,
                            _ body: (OpaquePointer?) throws -> T) throws -> T {
    if options == nil && progress == nil {
        return try body(nil)
    }
    var o: OpaquePointer? = nil
    try check { pinata_download_options_new(&o, $0) }
    defer { pinata_download_options_free(o) }
    if let options = options {
        try options.apply(to: o)
    }
    guard let progress = progress else {
        return try body(o)
    }
    let box = ProgressBox(progress)
    let userdata = Unmanaged.passUnretained(box).toOpaque()
    try check { pinata_download_options_set_progress(o, progressTrampoline, userdata, $0) }
    return try withExtendedLifetime(box) { try body(o) }
}

extension Client {
    /// Downloads `cid` (a file, or a directory tree) from the configured gateway to
    /// `path`, every byte verified. The parent of `path` must exist; a file there is
    /// replaced. On any failure (`.integrity` for a lying gateway) nothing is left at
    /// `path`. `progress` runs on the calling thread; returning false cancels.
    @discardableResult
    public func download(_ cid: String, to path: String, options: DownloadOptions? = nil,
                         progress: ProgressHandler? = nil) throws -> DownloadResult {
        try requireText(cid, "cid")
        try requireText(path, "dest_path")
        return try withHandle { h in
            try withDownloadOptions(options, progress) { o in
                var result: OpaquePointer? = nil
                try check { pinata_download_cid(h, cid, path, o, &result, $0) }
                defer { pinata_download_result_free(result) }
                return DownloadResult(result)
            }
        }
    }

    /// Downloads a file's `cid` into memory, verified; content larger than `maxBytes`
    /// throws `.protocolError` (at most `maxBytes` are ever held), a directory
    /// `.invalidArgument`. The bytes are in the result's `data`.
    public func downloadData(_ cid: String, maxBytes: UInt64, options: DownloadOptions? = nil,
                             progress: ProgressHandler? = nil) throws -> DownloadResult {
        try requireText(cid, "cid")
        return try withHandle { h in
            try withDownloadOptions(options, progress) { o in
                var result: OpaquePointer? = nil
                try check { pinata_download_cid_to_memory(h, cid, maxBytes, o, &result, $0) }
                defer { pinata_download_result_free(result) }
                return DownloadResult(result)
            }
        }
    }

    /// Downloads from a full `url` (a private file's download link, a signed gateway
    /// URL) to `path`, verified against `cid`. The URL is a credential: it never appears
    /// in errors. The gateway token is not sent; raw-block fallback is not available.
    @discardableResult
    public func download(url: String, cid: String, to path: String,
                         options: DownloadOptions? = nil,
                         progress: ProgressHandler? = nil) throws -> DownloadResult {
        try requireText(url, "url")
        try requireText(cid, "cid")
        try requireText(path, "dest_path")
        return try withHandle { h in
            try withDownloadOptions(options, progress) { o in
                var result: OpaquePointer? = nil
                try check { pinata_download_url(h, url, cid, path, o, &result, $0) }
                defer { pinata_download_result_free(result) }
                return DownloadResult(result)
            }
        }
    }

    // MARK: async (see Async.swift: run on `Client.queue`, cancelled with the task)

    @discardableResult
    public func download(_ cid: String, to path: String, options: DownloadOptions? = nil,
                         progress: (@Sendable (_ sent: UInt64, _ total: UInt64) -> Bool)? = nil)
        async throws -> DownloadResult {
        try await runBlocking { try $0.download(cid, to: path, options: options, progress: progress) }
    }

    public func downloadData(_ cid: String, maxBytes: UInt64, options: DownloadOptions? = nil,
                             progress: (@Sendable (_ sent: UInt64, _ total: UInt64) -> Bool)? = nil)
        async throws -> DownloadResult {
        try await runBlocking {
            try $0.downloadData(cid, maxBytes: maxBytes, options: options, progress: progress)
        }
    }

    @discardableResult
    public func download(url: String, cid: String, to path: String,
                         options: DownloadOptions? = nil,
                         progress: (@Sendable (_ sent: UInt64, _ total: UInt64) -> Bool)? = nil)
        async throws -> DownloadResult {
        try await runBlocking {
            try $0.download(url: url, cid: cid, to: path, options: options, progress: progress)
        }
    }
}
