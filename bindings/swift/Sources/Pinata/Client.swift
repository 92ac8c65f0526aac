import CPinata
import Dispatch
import Foundation

/// A connection to Pinata (`pinata_client`). Configure it once, at creation; after that
/// it is immutable and may be used from many threads and tasks at once.
///
/// The C handle is freed by `close()` or, failing that, when the object is released.
/// `close()` never frees it under a call in flight: the last running call (or live
/// `PinIterator`) frees it. Calls after `close()` throw `.invalidArgument`.
///
/// Every method blocks its thread on the network. The `async` overloads run the same
/// call on a dedicated dispatch queue (never on the concurrency pool) and cancel it
/// through a `pinata_cancel` flag when their task is cancelled.
public final class Client: @unchecked Sendable {
    /// Settings applied when the client is created.
    public struct Configuration: Sendable {
        /// Base URL instead of `https://api.pinata.cloud` (the emulator, proxies).
        /// `http://` is accepted only for loopback hosts unless `allowInsecureHTTP`.
        public var baseURL: String?
        /// Allow a plain `http://` base URL to a non-loopback host.
        public var allowInsecureHTTP: Bool
        /// Milliseconds allowed to connect (default 10000).
        public var connectTimeoutMs: UInt64?
        /// Milliseconds allowed for one attempt of a small call (default 60000).
        public var requestTimeoutMs: UInt64?
        /// Uploads fail when no byte moves for this many milliseconds (default 60000).
        public var stallTimeoutMs: UInt64?
        /// The retry budget of every call.
        public var retryPolicy: RetryPolicy?
        /// The backoff steps between retries.
        public var backoff: Backoff?
        /// A PEM file of CA certificates trusted instead of the system store.
        public var caBundlePath: String?
        /// The HTTP version to negotiate (default `.auto`: the library's choice).
        public var httpVersion: HTTPVersion
        /// The proxy rule (default `.environment`).
        public var proxy: Proxy
        /// The v3 upload host instead of `https://uploads.pinata.cloud` (V3.swift).
        public var uploadURL: String? = nil
        /// The IPFS gateway downloads use (Download.swift): a domain
        /// (`example.mypinata.cloud`) or a base URL; nil: `https://gateway.pinata.cloud`.
        public var gateway: String? = nil
        /// The dedicated gateway's access token (`pinataGatewayToken`); a secret that
        /// never appears in errors.
        public var gatewayToken: String? = nil
        /// The largest answer body a call holds in memory, error answers included (nil or
        /// 0: the default, 32 MiB; under 65536 throws `.invalidArgument`). A larger answer
        /// fails with `.protocolError` and is not retried. Downloads have their own caps
        /// (`DownloadOptions.maxBytes`).
        public var maxResponseBytes: UInt64? = nil

        public init(baseURL: String? = nil, allowInsecureHTTP: Bool = false,
                    connectTimeoutMs: UInt64? = nil, requestTimeoutMs: UInt64? = nil,
                    stallTimeoutMs: UInt64? = nil, retryPolicy: RetryPolicy? = nil,
                    backoff: Backoff? = nil, caBundlePath: String? = nil,
                    httpVersion: HTTPVersion = .auto, proxy: Proxy = .environment) {
            self.baseURL = baseURL
            self.allowInsecureHTTP = allowInsecureHTTP
            self.connectTimeoutMs = connectTimeoutMs
            self.requestTimeoutMs = requestTimeoutMs
            self.stallTimeoutMs = stallTimeoutMs
            self.retryPolicy = retryPolicy
            self.backoff = backoff
            self.caBundlePath = caBundlePath
            self.httpVersion = httpVersion
            self.proxy = proxy
        }
    }

    /// The HTTP version a client negotiates (`PINATA_HTTP_VERSION_*`).
    public enum HTTPVersion: Int32, Sendable {
        case auto = 0 // PINATA_HTTP_VERSION_AUTO
        case http1_1 = 1 // PINATA_HTTP_VERSION_1_1
        case http2 = 2 // PINATA_HTTP_VERSION_2
    }

    /// How a client reaches the server through an HTTP proxy.
    public enum Proxy: Sendable {
        /// `https_proxy`, `http_proxy`, `all_proxy` and `no_proxy` from the environment.
        case environment
        /// No proxy, whatever the environment says.
        case none
        /// This proxy, `http://[user:password@]host:port`; its credentials never
        /// appear in errors.
        case url(String)
    }

    /// At most `maxRetries` retries after the first attempt (0: none), all within
    /// `budgetMs` milliseconds, backoff sleeps included (defaults 3 and 120000).
    public struct RetryPolicy: Sendable {
        public var maxRetries: UInt32
        public var budgetMs: UInt64
        public init(maxRetries: UInt32, budgetMs: UInt64) {
            self.maxRetries = maxRetries
            self.budgetMs = budgetMs
        }
    }

    /// The first retry waits up to `baseMs`, each further one up to twice as long, capped
    /// at `maxMs` (defaults 500 and 30000).
    public struct Backoff: Sendable {
        public var baseMs: UInt64
        public var maxMs: UInt64
        public init(baseMs: UInt64, maxMs: UInt64) {
            self.baseMs = baseMs
            self.maxMs = maxMs
        }
    }

    /// The queue that runs the blocking C calls of the `async` methods.
    static let queue = DispatchQueue(label: "libpinata.blocking-calls", qos: .userInitiated,
                                     attributes: .concurrent)

    private let lock = NSLock()
    /// The handle; nil once closed.
    private var raw: OpaquePointer?
    /// A handle closed while calls were running, freed by the last of them.
    private var closedRaw: OpaquePointer?
    /// Calls (and pin iterators) using the handle now.
    private var users = 0
    /// Keeps the cancel flag of a derived client alive as long as the client.
    private let keepAlive: AnyObject?

    init(owning raw: OpaquePointer, keepAlive: AnyObject? = nil) {
        self.raw = raw
        self.keepAlive = keepAlive
    }

    /// A client that authenticates with a JWT (`Authorization: Bearer`).
    public convenience init(jwt: String, configuration: Configuration = Configuration()) throws {
        try requireText(jwt, "jwt")
        var out: OpaquePointer? = nil
        try check { pinata_client_new_jwt(jwt, &out, $0) }
        self.init(owning: out!)
        try configure(configuration)
    }

    /// A client that authenticates with an API key and its secret.
    public convenience init(apiKey: String, secret: String,
                            configuration: Configuration = Configuration()) throws {
        try requireText(apiKey, "api_key")
        try requireText(secret, "secret_api_key")
        var out: OpaquePointer? = nil
        try check { pinata_client_new_keys(apiKey, secret, &out, $0) }
        self.init(owning: out!)
        try configure(configuration)
    }

    /// Runs the setters; only from the initializers, while no one else has the client.
    func configure(_ c: Configuration) throws {
        let h = raw
        if c.allowInsecureHTTP {
            try check { pinata_client_set_allow_insecure_http(h, true, $0) }
        }
        if let url = c.baseURL {
            try requireText(url, "base_url")
            try check { pinata_client_set_base_url(h, url, $0) }
        }
        if let url = c.uploadURL {
            try requireText(url, "upload_url")
            try check { pinata_client_set_upload_url(h, url, $0) }
        }
        if c.gateway != nil || c.gatewayToken != nil {
            try requireText(c.gateway, "gateway")
            try requireText(c.gatewayToken, "token")
            let gateway = c.gateway ?? "https://gateway.pinata.cloud"
            try withOptCString(c.gatewayToken) { t in
                try check { pinata_client_set_gateway(h, gateway, t, $0) }
            }
        }
        if let ms = c.connectTimeoutMs {
            try check { pinata_client_set_connect_timeout_ms(h, ms, $0) }
        }
        if let ms = c.requestTimeoutMs {
            try check { pinata_client_set_request_timeout_ms(h, ms, $0) }
        }
        if let ms = c.stallTimeoutMs {
            try check { pinata_client_set_stall_timeout_ms(h, ms, $0) }
        }
        if let n = c.maxResponseBytes {
            try check { pinata_client_set_max_response_bytes(h, n, $0) }
        }
        if let policy = c.retryPolicy {
            try check { pinata_client_set_retry_policy(h, policy.maxRetries, policy.budgetMs, $0) }
        }
        if let backoff = c.backoff {
            try check { pinata_client_set_backoff_ms(h, backoff.baseMs, backoff.maxMs, $0) }
        }
        if let path = c.caBundlePath {
            try requireText(path, "path")
            try check { pinata_client_set_ca_bundle(h, path, $0) }
        }
        if c.httpVersion != .auto {
            try check { pinata_client_set_http_version(h, c.httpVersion.rawValue, $0) }
        }
        switch c.proxy {
        case .environment:
            break
        case .none:
            try check { pinata_client_set_proxy(h, "", $0) }
        case .url(let url):
            try requireText(url, "proxy")
            try check { pinata_client_set_proxy(h, url, $0) }
        }
    }

    deinit {
        // No call can be running: each one holds a reference to the client.
        pinata_client_free(raw)
        pinata_client_free(closedRaw)
    }

    /// Frees the C client now, or when the calls running on it have returned.
    /// Idempotent. Derived clients (`cancellable(by:)`) are unaffected.
    public func close() {
        lock.lock()
        guard let handle = raw else {
            lock.unlock()
            return
        }
        raw = nil
        let freeNow: OpaquePointer? = users == 0 ? handle : nil
        if freeNow == nil {
            closedRaw = handle
        }
        lock.unlock()
        pinata_client_free(freeNow)
    }

    // MARK: Handle use

    /// Marks one more user of the handle and returns it; throws once closed.
    func acquire() throws -> OpaquePointer {
        lock.lock()
        defer { lock.unlock() }
        guard let handle = raw else {
            throw PinataError(local: .invalidArgument, "the client is closed")
        }
        users += 1
        return handle
    }

    /// Ends one use; the last use after `close()` frees the handle.
    func release() {
        lock.lock()
        users -= 1
        let orphan: OpaquePointer? = users == 0 ? closedRaw : nil
        if orphan != nil {
            closedRaw = nil
        }
        lock.unlock()
        pinata_client_free(orphan)
    }

    /// Runs `body` with the handle, keeping it (and this object) alive meanwhile.
    func withHandle<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        let handle = try acquire()
        defer { release() }
        return try withExtendedLifetime(self) { try body(handle) }
    }

    // MARK: Cancellation and async

    /// A client sharing this one's credentials, connections and settings whose every
    /// call stops with `.cancelled` once `token` is raised
    /// (`pinata_client_with_cancel`). It outlives `close()` of this client.
    public func cancellable(by token: CancelToken) throws -> Client {
        try withHandle { h in
            var out: OpaquePointer? = nil
            try check { pinata_client_with_cancel(h, token.raw, &out, $0) }
            return Client(owning: out!, keepAlive: token)
        }
    }

    /// Runs a blocking call on `Client.queue` with a derived client whose cancel flag is
    /// raised when the current task is cancelled (also when it already was).
    func runBlocking<T>(_ body: @escaping @Sendable (Client) throws -> T) async throws -> T {
        let token = try CancelToken()
        let derived = try cancellable(by: token)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                Client.queue.async {
                    continuation.resume(with: Result { try body(derived) })
                }
            }
        } onCancel: {
            token.cancel()
        }
    }

    // MARK: CID profiles

    /// The v1 CID profile (`.kuboV1` or `.unixfsV1_2025`) this client learned its
    /// service answers in: after a v1 upload whose CID check matched exactly one of
    /// them, later v1 checks hash only that one (`PinResult.profilesHashed`), and hash
    /// both again when it stops matching. nil until then, and once the client is closed.
    public var learnedCIDProfile: CIDProfile? {
        guard let value = try? withHandle({ h in pinata_client_learned_cid_profile(h) }) else {
            return nil
        }
        return CIDProfile(rawValue: value)
    }

    // MARK: Library-wide

    /// The library version, e.g. `"0.1.0"` (`pinata_version`).
    public static var version: String { String(cString: pinata_version()) }

    /// `(major << 16) | (minor << 8) | patch` (`pinata_version_number`).
    public static var versionNumber: UInt32 { pinata_version_number() }

    /// The CID of a file, or of a directory recursively, as `ipfs add` computes it.
    /// Reads the file system only.
    public static func cidOfPath(_ path: String, cidVersion: CIDVersion = .v0) throws -> String {
        try requireText(path, "path")
        var out: UnsafeMutablePointer<CChar>? = nil
        try check { pinata_cid_of_path(path, cidVersion.rawValue, &out, $0) }
        return takeString(out) ?? ""
    }

    /// Like `cidOfPath`, hashing large files on `threads` threads (0: one per core);
    /// the CID is the same as with one thread.
    public static func cidOfPath(_ path: String, cidVersion: CIDVersion = .v0, threads: UInt32) throws -> String {
        try requireText(path, "path")
        var out: UnsafeMutablePointer<CChar>? = nil
        try check { pinata_cid_of_path_threads(path, cidVersion.rawValue, threads, &out, $0) }
        return takeString(out) ?? ""
    }

    /// The CID of `data` as `ipfs add` of a file with that content.
    public static func cidOfBytes(_ data: Data, cidVersion: CIDVersion = .v0) throws -> String {
        var out: UnsafeMutablePointer<CChar>? = nil
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            try check { pinata_cid_of_bytes(base, bytes.count, cidVersion.rawValue, &out, $0) }
        }
        return takeString(out) ?? ""
    }
}
