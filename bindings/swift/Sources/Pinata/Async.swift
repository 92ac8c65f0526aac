// `async` overloads: each runs its blocking counterpart on `Client.queue` (never on the
// cooperative pool) through a client derived with `pinata_client_with_cancel`; cancelling
// the task raises that client's flag and the call throws `.cancelled` promptly (during
// a transfer or a retry's backoff sleep). Progress handlers run on the queue's thread.

import CPinata
import Dispatch
import Foundation

extension Client {
    public func testAuth() async throws -> String {
        try await runBlocking { try $0.testAuth() }
    }

    public func createKey(name: String, permissions: KeyPermissions,
                          maxUses: UInt64 = 0) async throws -> CreatedKey {
        try await runBlocking { try $0.createKey(name: name, permissions: permissions, maxUses: maxUses) }
    }

    public func listKeys(_ query: KeyQuery = KeyQuery()) async throws -> KeyPage {
        try await runBlocking { try $0.listKeys(query) }
    }

    public func listAllKeys(_ query: KeyQuery = KeyQuery()) async throws -> [KeyInfo] {
        try await runBlocking { try $0.listAllKeys(query) }
    }

    public func revokeKey(_ apiKey: String) async throws {
        try await runBlocking { try $0.revokeKey(apiKey) }
    }

    public func pinFile(_ path: String, options: PinOptions? = nil,
                        progress: (@Sendable (_ sent: UInt64, _ total: UInt64) -> Bool)? = nil)
        async throws -> PinResult {
        try await runBlocking { try $0.pinFile(path, options: options, progress: progress) }
    }

    public func pinBytes(_ data: Data, fileName: String, options: PinOptions? = nil,
                         progress: (@Sendable (_ sent: UInt64, _ total: UInt64) -> Bool)? = nil)
        async throws -> PinResult {
        try await runBlocking {
            try $0.pinBytes(data, fileName: fileName, options: options, progress: progress)
        }
    }

    public func pinJSON(_ json: String, options: PinOptions? = nil) async throws -> PinResult {
        try await runBlocking { try $0.pinJSON(json, options: options) }
    }

    public func pinByCID(_ cid: String, options: PinOptions? = nil) async throws -> PinJob {
        try await runBlocking { try $0.pinByCID(cid, options: options) }
    }

    public func pinJobs(_ query: PinJobQuery = PinJobQuery()) async throws -> PinJobPage {
        try await runBlocking { try $0.pinJobs(query) }
    }

    public func waitForPinJob(_ job: PinJob, budgetMs: UInt64 = 0, intervalMs: UInt64 = 0,
                              maxIntervalMs: UInt64 = 0,
                              onStatus: (@Sendable (_ status: String) -> Bool)? = nil) async throws -> PinJob {
        try await runBlocking {
            try $0.waitForPinJob(job, budgetMs: budgetMs, intervalMs: intervalMs,
                                 maxIntervalMs: maxIntervalMs, onStatus: onStatus)
        }
    }

    public func updateMetadata(cid: String, name: String? = nil,
                               keyvalues: [String: KeyValue] = [:],
                               removing: [String] = []) async throws {
        try await runBlocking {
            try $0.updateMetadata(cid: cid, name: name, keyvalues: keyvalues, removing: removing)
        }
    }

    public func unpin(_ cid: String) async throws {
        try await runBlocking { try $0.unpin(cid) }
    }

    public func pinList(_ query: PinListQuery = PinListQuery(), limit: Int? = nil) async throws -> [Pin] {
        try await runBlocking { try $0.pinList(query, limit: limit) }
    }

    public func usage() async throws -> Usage {
        try await runBlocking { try $0.usage() }
    }

    /// The pin list as an `AsyncSequence`: a background thread walks the pages and
    /// yields each record. When the consumer stops (or its task is cancelled) the walk
    /// is cancelled. The stream buffers what the consumer has not read yet.
    public func pinStream(_ query: PinListQuery = PinListQuery()) -> AsyncThrowingStream<Pin, Error> {
        AsyncThrowingStream { continuation in
            let token: CancelToken
            let derived: Client
            do {
                token = try CancelToken()
                derived = try self.cancellable(by: token)
            } catch {
                continuation.finish(throwing: error)
                return
            }
            continuation.onTermination = { _ in token.cancel() }
            Client.queue.async {
                do {
                    let iterator = try derived.pins(query)
                    while let pin = try iterator.next() {
                        if case .terminated = continuation.yield(pin) {
                            break
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
        }
    }

    /// `cidOfPath` on `Client.queue` (a large directory takes a while to hash). Not
    /// cancellable.
    public static func cidOfPath(_ path: String, cidVersion: CIDVersion = .v0) async throws -> String {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, Error>) in
            Client.queue.async {
                continuation.resume(with: Result { try Client.cidOfPath(path, cidVersion: cidVersion) })
            }
        }
    }
}
