// Resumable (TUS) uploads: one file in chunks streamed from disk, with an on-disk journal
// so that the same call made again (after a cancel, a crash or a reboot) resumes where
// the server stopped; abandoning one, listing the pending ones; and the v3 upload with
// its path chosen by size (TUS above a threshold) or forced. Not compiled on machines
// without Swift: check_symbols.sh checks every C call here against include/pinata.h.

import CPinata
import Foundation

/// The path of a v3 file upload.
public enum UploadPath: Int32, Sendable {
    /// TUS above the threshold, multipart at or below it.
    case auto = 0  // PINATA_UPLOAD_PATH_AUTO
    /// One multipart POST.
    case multipart = 1  // PINATA_UPLOAD_PATH_MULTIPART
    /// TUS with a journal.
    case resumable = 2  // PINATA_UPLOAD_PATH_RESUMABLE
}

/// Options of a resumable upload; every field left at its default keeps the library's.
public struct ResumableOptions: Sendable {
    /// The file's name on Pinata (nil: the file name).
    public var name: String? = nil
    /// Its MIME type (nil: the server decides).
    public var mimeType: String? = nil
    public var network: Network = .private
    public var groupID: String? = nil
    /// At most 10 keys.
    public var keyvalues: [String: String] = [:]
    /// 0 or 1.
    public var cidVersion: Int32 = 1
    /// Bytes per PATCH; 0 keeps the default (16 MiB), else at least 64 KiB.
    public var chunkSize: UInt64 = 0
    /// nil: `$XDG_CACHE_HOME/libpinata/tus`, else `~/.cache/libpinata/tus` (created); a
    /// directory given must exist and be writable.
    public var journalDir: String? = nil
    public var verifyCID: Bool = true
    /// nil: `{upload URL}/v3/files`.
    public var endpoint: String? = nil
    /// false for a plain TUS server (no Files API to read the row from).
    public var fetchFileRow: Bool = true
    /// Raising it from any thread cancels; the journal stays, so the next call resumes.
    public var cancel: CancelToken? = nil
    public init() {}
}

/// What a resumable upload did.
public struct ResumableResult: Sendable {
    /// The server's `Upload-Cid`.
    public let cid: String
    /// The file row; nil when it was not read (`fetchFileRow` off).
    public let file: FileRow?
    /// nil when the CID check was off.
    public let localCID: String?
    /// 0 for a fresh upload or a restart.
    public let resumedFrom: UInt64
    /// Bytes this call sent, chunks sent again included.
    public let bytesSent: UInt64
    /// Why a journal was found but the upload started over, if it did.
    public let restartReason: String?

    init(_ r: OpaquePointer?) {
        cid = optString(pinata_upload_resumable_result_cid(r)) ?? ""
        let row = pinata_upload_resumable_result_file(r)
        file = row != nil ? FileRow(row) : nil
        localCID = optString(pinata_upload_resumable_result_local_cid(r))
        resumedFrom = pinata_upload_resumable_result_resumed_from(r)
        bytesSent = pinata_upload_resumable_result_bytes_sent(r)
        restartReason = optString(pinata_upload_resumable_result_restart_reason(r))
    }
}

/// An upload whose journal waits in a journal directory.
public struct PendingUpload: Sendable {
    public let path: String
    public let size: UInt64
    /// The last offset the server confirmed.
    public let offset: UInt64
}

/// How `uploadFile(_:options:choice:progress:)` picks its path, and its TUS settings.
public struct UploadChoice: Sendable {
    public var path: UploadPath = .auto
    /// Files larger than this go through TUS on `.auto` (as Pinata's SDK: 90 MiB).
    public var threshold: UInt64 = 90 * 1024 * 1024
    /// As `ResumableOptions.journalDir`.
    public var journalDir: String? = nil
    /// As `ResumableOptions.chunkSize`.
    public var chunkSize: UInt64 = 0
    /// As `ResumableOptions.cancel`.
    public var cancel: CancelToken? = nil
    public init() {}
}

extension UploadChoice {
    /// Sets the path, threshold, journal directory and chunk size on C upload options
    /// (not the cancel flag: a batch has its own).
    func apply(to o: OpaquePointer?) throws {
        try requireText(journalDir, "journal_dir")
        try check { pinata_upload_options_set_upload_path(o, path.rawValue, $0) }
        try check { pinata_upload_options_set_resumable_threshold(o, threshold, $0) }
        try withOptCString(journalDir) { d in
            try check { pinata_upload_options_set_journal_dir(o, d, $0) }
        }
        if chunkSize != 0 {
            try check { pinata_upload_options_set_resumable_chunk_size(o, chunkSize, $0) }
        }
    }
}

/// What `uploadFile(_:options:choice:progress:)` did.
public struct ChosenUpload: Sendable {
    public let result: UploadResult
    /// The path that ran: `.multipart` or `.resumable`.
    public let path: UploadPath
    /// Whether TUS resumed an upload its journal described.
    public let resumed: Bool
    /// Where it resumed (0 when it did not).
    public let resumedFrom: UInt64
    public let restartReason: String?

    init(_ r: OpaquePointer?) {
        result = UploadResult(r)
        path = UploadPath(rawValue: pinata_upload_result_path(r)) ?? .multipart
        resumed = pinata_upload_result_resumed(r)
        resumedFrom = pinata_upload_result_resumed_from(r)
        restartReason = optString(pinata_upload_result_restart_reason(r))
    }
}

/// Builds a `pinata_upload_resumable_options` handle for the duration of `body`, keeping
/// the progress closure alive meanwhile.
func withResumableOptions<T>(_ options: ResumableOptions, _ progress: ProgressHandler?,
                             _ body: (OpaquePointer?) throws -> T) throws -> T {
    var o: OpaquePointer? = nil
    try check { pinata_upload_resumable_options_new(&o, $0) }
    defer { pinata_upload_resumable_options_free(o) }
    try requireText(options.name, "name")
    try withOptCString(options.name) { n in try check { pinata_upload_resumable_options_set_name(o, n, $0) } }
    try requireText(options.mimeType, "mime_type")
    try withOptCString(options.mimeType) { m in
        try check { pinata_upload_resumable_options_set_mime_type(o, m, $0) }
    }
    try check { pinata_upload_resumable_options_set_network(o, options.network.rawValue, $0) }
    try requireText(options.groupID, "group_id")
    try withOptCString(options.groupID) { g in
        try check { pinata_upload_resumable_options_set_group_id(o, g, $0) }
    }
    for (key, value) in options.keyvalues.sorted(by: { $0.key < $1.key }) {
        try requireText(key, "key")
        try requireText(value, "value")
        try check { pinata_upload_resumable_options_set_keyvalue(o, key, value, $0) }
    }
    try check { pinata_upload_resumable_options_set_cid_version(o, options.cidVersion, $0) }
    if options.chunkSize != 0 {
        try check { pinata_upload_resumable_options_set_chunk_size(o, options.chunkSize, $0) }
    }
    try requireText(options.journalDir, "journal_dir")
    try withOptCString(options.journalDir) { d in
        try check { pinata_upload_resumable_options_set_journal_dir(o, d, $0) }
    }
    try check { pinata_upload_resumable_options_set_verify_cid(o, options.verifyCID, $0) }
    try requireText(options.endpoint, "endpoint")
    try withOptCString(options.endpoint) { e in
        try check { pinata_upload_resumable_options_set_endpoint(o, e, $0) }
    }
    try check { pinata_upload_resumable_options_set_fetch_file_row(o, options.fetchFileRow, $0) }
    try check { pinata_upload_resumable_options_set_cancel(o, options.cancel?.raw, $0) }
    guard let progress = progress else {
        return try body(o)
    }
    let box = ProgressBox(progress)
    let userdata = Unmanaged.passUnretained(box).toOpaque()
    try check { pinata_upload_resumable_options_set_progress(o, progressTrampoline, userdata, $0) }
    return try withExtendedLifetime(box) { try body(o) }
}

extension Client {
    /// Uploads the file at `path` with TUS, resuming from its journal when the same file
    /// was being uploaded to the same endpoint and network. `progress` counts from the
    /// start of the file (a resumed upload starts at its offset); returning false
    /// cancels, and the journal stays so that the next call resumes.
    public func uploadResumable(_ path: String, options: ResumableOptions = ResumableOptions(),
                                progress: ProgressHandler? = nil) throws -> ResumableResult {
        try requireText(path, "path")
        return try withHandle { h in
            try withResumableOptions(options, progress) { o in
                var result: OpaquePointer? = nil
                try check { pinata_upload_resumable(h, path, o, &result, $0) }
                defer { pinata_upload_resumable_result_free(result) }
                return ResumableResult(result)
            }
        }
    }

    /// Abandons the pending upload of `path` (journal directory, endpoint and network
    /// from `options`): DELETE on the server, then its journal goes. Returns whether
    /// there was one.
    @discardableResult
    public func abandonResumable(_ path: String, options: ResumableOptions = ResumableOptions()) throws -> Bool {
        try requireText(path, "path")
        return try withHandle { h in
            try withResumableOptions(options, nil) { o in
                var found = false
                try check { pinata_upload_resumable_abandon(h, path, o, &found, $0) }
                return found
            }
        }
    }

    /// The uploads whose journals wait in `journalDir` (nil: the default directory).
    public static func pendingUploads(journalDir: String? = nil) throws -> [PendingUpload] {
        try requireText(journalDir, "journal_dir")
        var list: OpaquePointer? = nil
        try withOptCString(journalDir) { d in try check { pinata_upload_pending_list(d, &list, $0) } }
        defer { pinata_upload_pending_free(list) }
        let count = pinata_upload_pending_count(list)
        return (0..<count).map { i in
            PendingUpload(path: optString(pinata_upload_pending_path(list, i)) ?? "",
                          size: pinata_upload_pending_size(list, i),
                          offset: pinata_upload_pending_offset(list, i))
        }
    }

    /// Uploads one file as `uploadFile(_:options:)` does, with the path chosen by
    /// `choice`: TUS (with a journal: the same call made again resumes) above the
    /// threshold, multipart at or below it, or the path forced. CAR, streamable and
    /// expiring uploads have no TUS form.
    public func uploadFile(_ path: String, options: UploadOptions = UploadOptions(), choice: UploadChoice,
                           progress: ProgressHandler? = nil) throws -> ChosenUpload {
        try requireText(path, "path")
        return try withHandle { h in
            try withUploadOptions(options) { o in
                try choice.apply(to: o)
                try check { pinata_upload_options_set_cancel(o, choice.cancel?.raw, $0) }
                let box = progress.map { ProgressBox($0) }
                if let box = box {
                    let userdata = Unmanaged.passUnretained(box).toOpaque()
                    try check { pinata_upload_options_set_progress(o, progressTrampoline, userdata, $0) }
                }
                return try withExtendedLifetime(box) {
                    var result: OpaquePointer? = nil
                    try check { pinata_upload_file(h, path, o, &result, $0) }
                    defer { pinata_upload_result_free(result) }
                    return ChosenUpload(result)
                }
            }
        }
    }
}
