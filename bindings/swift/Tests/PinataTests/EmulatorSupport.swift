// A pinata-emulator process per test, and small assertion helpers.

import Foundation
import Pinata
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let helloV1 = "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne"
let emptyV0 = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"

enum EmulatorError: Error {
    case noBanner(String)
    case hookFailed(String)
}

/// `pinata-emulator --listen 127.0.0.1:0 --quiet`, from `PINATA_EMULATOR_BIN` (else the
/// repository's target/debug build). It prints one JSON line
/// `{"url","jwt","api_key","api_secret"}` once it accepts connections.
final class Emulator {
    let process: Process
    let url: String
    let jwt: String
    let apiKey: String
    let apiSecret: String

    private struct Banner: Decodable {
        let url: String
        let jwt: String
        let api_key: String
        let api_secret: String
    }

    static func binaryPath() -> String? {
        if let path = ProcessInfo.processInfo.environment["PINATA_EMULATOR_BIN"], !path.isEmpty {
            return path
        }
        // <root>/bindings/swift/Tests/PinataTests/EmulatorSupport.swift -> <root>
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 {
            root.deleteLastPathComponent()
        }
        let path = root.appendingPathComponent("target/debug/pinata-emulator").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    init() throws {
        guard let binary = Emulator.binaryPath() else {
            throw XCTSkip("set PINATA_EMULATOR_BIN to a pinata-emulator binary")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--listen", "127.0.0.1:0", "--quiet"]
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        var output = Data()
        while !output.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty {
                break // EOF: the emulator exited
            }
            output.append(chunk)
        }
        let line = Data(output.prefix(while: { $0 != UInt8(ascii: "\n") }))
        guard let banner = try? JSONDecoder().decode(Banner.self, from: line) else {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            throw EmulatorError.noBanner(String(decoding: output, as: UTF8.self))
        }
        self.process = process
        url = banner.url
        jwt = banner.jwt
        apiKey = banner.api_key
        apiSecret = banner.api_secret
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
    }

    /// A client with the seeded admin JWT.
    func client() throws -> Client {
        try Client(jwt: jwt, configuration: Client.Configuration(baseURL: url))
    }

    /// Calls a test hook (`/__emulator/…`); throws unless it answers 200.
    func hook(_ method: String, _ path: String, json: String? = nil) throws {
        var request = URLRequest(url: URL(string: url + path)!)
        request.httpMethod = method
        if let json = json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        final class Outcome: @unchecked Sendable {
            var status = 0
            var error: Error?
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { _, response, error in
            outcome.status = (response as? HTTPURLResponse)?.statusCode ?? 0
            outcome.error = error
            done.signal()
        }.resume()
        done.wait()
        if let error = outcome.error {
            throw error
        }
        guard outcome.status == 200 else {
            throw EmulatorError.hookFailed("\(method) \(path) answered \(outcome.status)")
        }
    }
}

/// Starts a fresh emulator for every test and removes the test's temporary files.
class EmulatorTestCase: XCTestCase {
    var emulator: Emulator!
    private var scratch: [URL] = []

    override func setUpWithError() throws {
        try super.setUpWithError()
        emulator = try Emulator()
    }

    override func tearDown() {
        emulator?.stop()
        emulator = nil
        for dir in scratch {
            try? FileManager.default.removeItem(at: dir)
        }
        scratch = []
        super.tearDown()
    }

    /// A new empty directory, removed after the test.
    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("pinata-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        scratch.append(dir)
        return dir
    }
}

/// Asserts that `expression` throws a `PinataError` with `status`; returns the error.
@discardableResult
func assertPinataError<T>(_ status: PinataError.Status, _ expression: @autoclosure () throws -> T,
                          file: StaticString = #filePath, line: UInt = #line) -> PinataError? {
    do {
        _ = try expression()
        XCTFail("expected \(status.name), got success", file: file, line: line)
    } catch let error as PinataError {
        XCTAssertEqual(error.status, status, error.description, file: file, line: line)
        XCTAssertFalse(error.message.isEmpty, file: file, line: line)
        return error
    } catch {
        XCTFail("expected a PinataError, got \(error)", file: file, line: line)
    }
    return nil
}

/// A thread-safe counter for progress handlers of async calls.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var lastSent: UInt64 = 0
    private var lastTotal: UInt64 = 0

    func record(_ sent: UInt64, _ total: UInt64) {
        lock.lock()
        count += 1
        lastSent = sent
        lastTotal = total
        lock.unlock()
    }

    var snapshot: (count: Int, sent: UInt64, total: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        return (count, lastSent, lastTotal)
    }
}
