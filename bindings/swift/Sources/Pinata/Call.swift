// Calls an event loop drives (`pinata_call_*`): start one, wait for `fd` to be readable
// (or for the time `step()` gave), step it again until it is done, then `finish()`.
// Neither the start nor a step waits, so one thread (a run loop, a DispatchSource on
// `fd`) can carry many calls.

import CPinata

/// What `PinataCall.step()` found.
public enum CallStep: Equatable, Sendable {
    /// The outcome is in: take it with `finish()`.
    case done
    /// Not yet: wait until `fd` is readable, at most this many milliseconds (nil: no
    /// limit), then step again.
    case wait(milliseconds: Int64?)
}

/// A call an event loop drives (`Client.startTestAuth()`,
/// `Client.startPinJSON(_:options:)`). Its outcome is the blocking call's: the same
/// request, retries, timeouts, cancel token and answer checks. One thread drives a
/// call at a time; a call released before it is done is abandoned (its connection is
/// closed).
public final class PinataCall<Output> {
    private let handle: OpaquePointer
    private let take: (OpaquePointer) throws -> Output

    init(_ handle: OpaquePointer, take: @escaping (OpaquePointer) throws -> Output) {
        self.handle = handle
        self.take = take
    }

    deinit { pinata_call_free(handle) }

    /// The descriptor to wait on for readability before the next step: the same for
    /// many calls of one client, so an event loop registers it once. -1 once the call
    /// is done (the descriptor serves the client's next call), and where the platform
    /// has none; `step()` then waits a little itself.
    public var fd: Int32 { pinata_call_fd(handle) }

    /// Moves the call along without blocking.
    public func step() throws -> CallStep {
        var done = false
        var waitMs: Int64 = -1
        try check { pinata_call_step(self.handle, &done, &waitMs, $0) }
        return done ? .done : .wait(milliseconds: waitMs < 0 ? nil : waitMs)
    }

    /// The outcome, once `step()` has said `.done`; it can be taken once (before, or
    /// again, throws `.invalidArgument`).
    public func finish() throws -> Output { try take(handle) }
}

extension Client {
    /// `testAuth()` as a call an event loop drives (`pinata_test_auth_start`).
    public func startTestAuth() throws -> PinataCall<String> {
        try withHandle { h in
            var call: OpaquePointer? = nil
            try check { pinata_test_auth_start(h, &call, $0) }
            return PinataCall<String>(try started(call)) { c in
                var message: UnsafeMutablePointer<CChar>? = nil
                try check { pinata_test_auth_finish(c, &message, $0) }
                return takeString(message) ?? ""
            }
        }
    }

    /// `pinJSON(_:options:)` as a call an event loop drives (`pinata_pin_json_start`).
    /// The arguments are checked now; progress does not apply.
    public func startPinJSON(_ json: String, options: PinOptions? = nil) throws -> PinataCall<PinResult> {
        try requireText(json, "json")
        return try withHandle { h in
            try withPinOptions(options, nil) { o in
                var call: OpaquePointer? = nil
                try check { pinata_pin_json_start(h, json, o, &call, $0) }
                return PinataCall<PinResult>(try started(call)) { c in
                    var result: OpaquePointer? = nil
                    try check { pinata_pin_json_finish(c, &result, $0) }
                    defer { pinata_pin_result_free(result) }
                    return PinResult(result)
                }
            }
        }
    }
}

/// The call a successful start wrote (never NULL then).
private func started(_ call: OpaquePointer?) throws -> OpaquePointer {
    guard let call = call else {
        throw PinataError(local: .internalError, "a call started without a handle")
    }
    return call
}
