import CPinata
import Foundation

/// A failed libpinata call: its status and everything the library's `pinata_error`
/// carries (message, HTTP status, Pinata's reason and details, Retry-After).
public struct PinataError: Error, LocalizedError, CustomStringConvertible, Sendable {
    /// The `PINATA_*` status values of `pinata.h`, which never change. Each case's
    /// comment names its C constant; `check_symbols.sh` compares them with the header.
    public enum Status: Int32, Sendable, CaseIterable, CustomStringConvertible {
        case ok = 0 // PINATA_OK
        case invalidArgument = 1 // PINATA_E_INVALID_ARGUMENT
        case io = 2 // PINATA_E_IO
        case network = 3 // PINATA_E_NETWORK
        case timeout = 4 // PINATA_E_TIMEOUT
        case cancelled = 5 // PINATA_E_CANCELLED
        case unauthorized = 6 // PINATA_E_UNAUTHORIZED
        case forbidden = 7 // PINATA_E_FORBIDDEN
        case notFound = 8 // PINATA_E_NOT_FOUND
        case rateLimited = 9 // PINATA_E_RATE_LIMITED
        case badRequest = 10 // PINATA_E_BAD_REQUEST
        case server = 11 // PINATA_E_SERVER
        case protocolError = 12 // PINATA_E_PROTOCOL
        case integrity = 13 // PINATA_E_INTEGRITY
        case internalError = 14 // PINATA_E_INTERNAL
        case tls = 15 // PINATA_E_TLS
        /// Not a libpinata value: a status this wrapper does not know (a newer library).
        /// `PinataError.code` holds the number.
        case unknown = -1

        /// The case for a status number; `.unknown` for one this wrapper does not know.
        public init(code: Int32) {
            self = Status(rawValue: code) ?? .unknown
        }

        /// The C name, e.g. `"PINATA_E_TIMEOUT"` (from `pinata_status_str`).
        public var name: String { String(cString: pinata_status_str(rawValue)) }

        public var description: String { name }
    }

    /// The status, as a Swift enum.
    public let status: Status
    /// The status number exactly as libpinata returned it.
    public let code: Int32
    /// A human-readable message; libpinata never puts credentials in it.
    public let message: String
    /// The HTTP status of the response behind the error; nil when there was none (local
    /// errors, network failures).
    public let httpStatus: Int?
    /// Pinata's machine-readable reason, e.g. `"NO_SCOPES_FOUND"`.
    public let reason: String?
    /// The details text of Pinata's error body.
    public let details: String?
    /// Seconds the server asked to wait before retrying (`Retry-After`).
    public let retryAfter: Int64?

    /// Reads the error object `err` that came with status `code`, then frees it.
    init(code returned: Int32, consuming err: OpaquePointer?) {
        self.init(code: returned, reading: err)
        pinata_error_free(err)
    }

    /// Reads an error object that stays its owner's (a batch's outcomes are borrowed).
    init(code returned: Int32, reading err: OpaquePointer?) {
        // The error object's own status (the value the call returned) when there is one.
        let code = err != nil ? pinata_error_status(err) : returned
        self.code = code
        self.status = Status(code: code)
        self.message = optString(pinata_error_message(err)) ?? String(cString: pinata_status_str(code))
        let http = pinata_error_http_status(err)
        self.httpStatus = http == 0 ? nil : Int(http)
        self.reason = optString(pinata_error_reason(err))
        self.details = optString(pinata_error_details(err))
        let retry = pinata_error_retry_after(err)
        self.retryAfter = retry < 0 ? nil : retry
    }

    /// An error detected by the wrapper before calling libpinata.
    init(local status: Status, _ message: String) {
        self.code = status.rawValue
        self.status = status
        self.message = message
        self.httpStatus = nil
        self.reason = nil
        self.details = nil
        self.retryAfter = nil
    }

    /// The status name and libpinata's message, e.g. `"PINATA_E_UNAUTHORIZED: HTTP 401
    /// INVALID_CREDENTIALS: Invalid API key"`: the message already names the HTTP status
    /// and Pinata's reason when there are any (read `httpStatus` and `reason` to act on them).
    public var description: String {
        let name = status == .unknown ? "PINATA_E_UNKNOWN(" + String(code) + ")" : status.name
        return name + ": " + message
    }

    public var errorDescription: String? { description }
}
