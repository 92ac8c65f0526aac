// Internal helpers shared by the wrapper: running a C call and turning its status and
// error object into a thrown PinataError, string conversions, and the progress
// callback trampoline.

import CPinata
import Foundation

/// Runs one fallible C call. `call` receives the `pinata_error **err_out` argument; a
/// status other than `PINATA_OK` is thrown as a `PinataError` built from (and freeing)
/// the error object.
@inline(__always)
func check(_ call: (UnsafeMutablePointer<OpaquePointer?>) -> pinata_status) throws {
    var err: OpaquePointer? = nil
    let code = withUnsafeMutablePointer(to: &err) { call($0) }
    if code != PINATA_OK {
        throw PinataError(code: code, consuming: err)
    }
}

/// Copies a borrowed `const char *` (NULL gives nil).
@inline(__always)
func optString(_ pointer: UnsafePointer<CChar>?) -> String? {
    guard let pointer = pointer else { return nil }
    return String(cString: pointer)
}

/// Copies an owned `char *` returned by libpinata and frees it with `pinata_string_free`.
func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let pointer = pointer else { return nil }
    defer { pinata_string_free(pointer) }
    return String(cString: UnsafePointer(pointer))
}

/// Calls `body` with a NUL-terminated copy of `string`, or with NULL for nil.
func withOptCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) throws -> R) rethrows -> R {
    guard let string = string else { return try body(nil) }
    return try string.withCString { try body($0) }
}

/// A Swift `String` may hold U+0000, which C would silently cut the string at (a path
/// "a\0b" would name "a"). Every text argument is checked here first.
func requireText(_ value: String?, _ argument: String) throws {
    if let value = value, value.utf8.contains(0) {
        throw PinataError(local: .invalidArgument, "\(argument) contains a NUL character")
    }
}

/// -1 (any), 0 or 1, for the tri-state filters of the C API.
@inline(__always)
func triState(_ value: Bool?) -> Int32 {
    guard let value = value else { return -1 }
    return value ? 1 : 0
}

/// Progress handler of uploads: `sent` of `total` request-body bytes have gone out.
/// Return `true` to continue, `false` to cancel the upload (`PinataError.Status.cancelled`).
/// It runs on the thread making the call (for the `async` methods, a thread of the
/// wrapper's dispatch queue) and must not call back into the same upload.
public typealias ProgressHandler = (_ sent: UInt64, _ total: UInt64) -> Bool

/// Holds the Swift closure while C has an unretained pointer to it as `userdata`.
final class ProgressBox {
    let handler: ProgressHandler
    init(_ handler: @escaping ProgressHandler) { self.handler = handler }
}

/// The C callback: captures nothing (a C function pointer cannot), finds the closure
/// through `userdata`, returns 0 to continue and 1 to cancel.
let progressTrampoline: pinata_progress_fn = { sent, total, userdata in
    guard let userdata = userdata else { return 0 }
    let box = Unmanaged<ProgressBox>.fromOpaque(userdata).takeUnretainedValue()
    return box.handler(sent, total) ? 0 : 1
}

/// Builds a `pinata_pin_options` handle from `options` and `progress` for the duration of
/// `body` (NULL when both are nil), keeping the progress closure alive meanwhile.
func withPinOptions<T>(_ options: PinOptions?, _ progress: ProgressHandler?,
                       _ body: (OpaquePointer?) throws -> T) throws -> T {
    if options == nil && progress == nil {
        return try body(nil)
    }
    var o: OpaquePointer? = nil
    try check { pinata_pin_options_new(&o, $0) }
    defer { pinata_pin_options_free(o) }
    if let options = options {
        try options.apply(to: o)
    }
    guard let progress = progress else {
        return try body(o)
    }
    let box = ProgressBox(progress)
    let userdata = Unmanaged.passUnretained(box).toOpaque()
    try check { pinata_pin_options_set_progress(o, progressTrampoline, userdata, $0) }
    return try withExtendedLifetime(box) { try body(o) }
}
