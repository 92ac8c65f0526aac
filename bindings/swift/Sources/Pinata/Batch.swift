// Batch uploads (pinata_pin_batch_*): many files on one client with a bounded number in
// flight, as legacy pins or as v3 files, one outcome per file (a failing file does not
// stop the others unless asked), overall progress and cancellation. Not compiled on
// machines without Swift: check_symbols.sh checks every C call here against
// include/pinata.h.

import CPinata
import Foundation

/// How a batch runs.
public struct BatchOptions: Sendable {
    /// Transfers at once (1–64).
    public var inFlight: UInt32 = 8
    /// After the first failure, start no new file (those in flight finish).
    public var stopOnError: Bool = false
    /// Raising it stops the transfers in flight and starts no new file.
    public var cancel: CancelToken? = nil
    public init() {}
}

/// Where a batch stands.
public struct BatchProgress: Sendable {
    /// Files finished (uploaded or failed) of `filesTotal`.
    public let filesDone: Int
    public let filesTotal: Int
    /// File bytes sent of `bytesTotal`.
    public let bytesSent: UInt64
    public let bytesTotal: UInt64
}

/// Batch progress handler: runs on the thread running the batch after every file and at
/// least every 100 ms; return `false` to cancel the batch. It must not call back into
/// the same batch.
public typealias BatchProgressHandler = (BatchProgress) -> Bool

/// One file's outcome: `pin` (legacy) or `file` (v3) when it was uploaded, `error`
/// otherwise (`.cancelled` for a file never started).
public struct BatchItem: Sendable {
    public let path: String
    public let pin: PinResult?
    public let file: ChosenUpload?
    public let error: PinataError?
    /// True when the file was uploaded.
    public var ok: Bool { pin != nil || file != nil }
}

/// What a batch did: one item per file, in the order given, and the batch's error (nil
/// when every file was uploaded; otherwise cancelled, or the first failure counting the
/// failures).
public struct BatchReport: Sendable {
    public let items: [BatchItem]
    /// Files not uploaded (failed or never started).
    public let failed: Int
    public let error: PinataError?
}

/// Holds the Swift closure while C has an unretained pointer to it as `userdata`.
final class BatchProgressBox {
    let handler: BatchProgressHandler
    init(_ handler: @escaping BatchProgressHandler) { self.handler = handler }
}

/// The C callback: finds the closure through `userdata`; 0 continues, 1 cancels.
let batchProgressTrampoline: pinata_pin_batch_progress_fn = { done, total, sent, bytes, userdata in
    guard let userdata = userdata else { return 0 }
    let box = Unmanaged<BatchProgressBox>.fromOpaque(userdata).takeUnretainedValue()
    let progress = BatchProgress(filesDone: Int(done), filesTotal: Int(total),
                                 bytesSent: sent, bytesTotal: bytes)
    return box.handler(progress) ? 0 : 1
}

/// The files of a batch: a list of paths, or every regular file directly inside a folder.
enum BatchFiles {
    case paths([String])
    case directory(String)

    func add(to batch: OpaquePointer?) throws {
        switch self {
        case .paths(let paths):
            for path in paths {
                try requireText(path, "path")
                try check { pinata_pin_batch_add(batch, path, $0) }
            }
        case .directory(let dir):
            try requireText(dir, "dir")
            try check { pinata_pin_batch_add_dir(batch, dir, nil, $0) }
        }
    }
}

extension Client {
    /// Pins every file of `paths` as its own pin (`pinFileToIPFS`), `batch.inFlight` at
    /// once on this client's connections. `options` apply to every file (a name names
    /// every pin; without one each pin is named after its file). Throws only for bad
    /// arguments; per-file failures and a cancel are in the report.
    public func pinBatch(_ paths: [String], options: PinOptions? = nil,
                         batch: BatchOptions = BatchOptions(),
                         progress: BatchProgressHandler? = nil) throws -> BatchReport {
        try pinBatch(.paths(paths), options, batch, progress)
    }

    /// `pinBatch` on every regular file directly inside `directory` (sorted by name;
    /// hidden files included, subfolders left out).
    public func pinEach(directory: String, options: PinOptions? = nil,
                        batch: BatchOptions = BatchOptions(),
                        progress: BatchProgressHandler? = nil) throws -> BatchReport {
        try pinBatch(.directory(directory), options, batch, progress)
    }

    /// Uploads every file of `paths` as its own v3 file, as `pinBatch` pins them. Each
    /// file takes the path `choice` picks (`choice.cancel` is not used: set
    /// `batch.cancel`): TUS with a journal above the threshold, so running the batch
    /// again after a crash resumes its large files.
    public func uploadBatch(_ paths: [String], options: UploadOptions = UploadOptions(),
                            choice: UploadChoice = UploadChoice(),
                            batch: BatchOptions = BatchOptions(),
                            progress: BatchProgressHandler? = nil) throws -> BatchReport {
        try uploadBatch(.paths(paths), options, choice, batch, progress)
    }

    /// `uploadBatch` on every regular file directly inside `directory`.
    public func uploadEach(directory: String, options: UploadOptions = UploadOptions(),
                           choice: UploadChoice = UploadChoice(),
                           batch: BatchOptions = BatchOptions(),
                           progress: BatchProgressHandler? = nil) throws -> BatchReport {
        try uploadBatch(.directory(directory), options, choice, batch, progress)
    }

    func pinBatch(_ files: BatchFiles, _ options: PinOptions?, _ batch: BatchOptions,
                  _ progress: BatchProgressHandler?) throws -> BatchReport {
        try withPinOptions(options, nil) { o in
            try runBatch(files, batch, progress) { b in
                try check { pinata_pin_batch_run(b, o, $0) }
            }
        }
    }

    func uploadBatch(_ files: BatchFiles, _ options: UploadOptions, _ choice: UploadChoice,
                     _ batch: BatchOptions, _ progress: BatchProgressHandler?) throws -> BatchReport {
        try withUploadOptions(options) { (o: OpaquePointer?) -> BatchReport in
            try choice.apply(to: o)
            return try runBatch(files, batch, progress) { b in
                try check { pinata_pin_batch_run_v3(b, o, $0) }
            }
        }
    }

    /// Makes the C batch, runs it with `run`, and copies every file's outcome out.
    func runBatch(_ files: BatchFiles, _ batch: BatchOptions, _ progress: BatchProgressHandler?,
                  _ run: (OpaquePointer?) throws -> Void) throws -> BatchReport {
        try withHandle { h in
            var b: OpaquePointer? = nil
            try check { pinata_pin_batch_new(h, &b, $0) }
            defer { pinata_pin_batch_free(b) }
            try files.add(to: b)
            try check { pinata_pin_batch_set_in_flight(b, batch.inFlight, $0) }
            try check { pinata_pin_batch_set_stop_on_error(b, batch.stopOnError, $0) }
            try check { pinata_pin_batch_set_cancel(b, batch.cancel?.raw, $0) }
            let box = progress.map { BatchProgressBox($0) }
            if let box = box {
                let userdata = Unmanaged.passUnretained(box).toOpaque()
                try check { pinata_pin_batch_set_progress(b, batchProgressTrampoline, userdata, $0) }
            }
            // A failed file is an outcome, not a thrown error: the report carries both.
            var failure: PinataError? = nil
            try withExtendedLifetime(box) {
                do {
                    try run(b)
                } catch let error as PinataError {
                    failure = error
                }
            }
            var items: [BatchItem] = []
            for i in 0..<pinata_pin_batch_len(b) {
                let error = pinata_pin_batch_error(b, i).map {
                    PinataError(code: pinata_pin_batch_status(b, i), reading: $0)
                }
                items.append(BatchItem(path: optString(pinata_pin_batch_path(b, i)) ?? "",
                                       pin: pinata_pin_batch_result(b, i).map { PinResult($0) },
                                       file: pinata_pin_batch_upload_result(b, i).map { ChosenUpload($0) },
                                       error: error))
            }
            return BatchReport(items: items, failed: pinata_pin_batch_failed(b), error: failure)
        }
    }
}
