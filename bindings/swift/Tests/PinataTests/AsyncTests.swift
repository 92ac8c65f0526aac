// The async overloads: results, progress off the caller's thread, task cancellation of a
// call in flight, and the pin list as an AsyncSequence. (In an async context every
// overloaded Client method resolves to its async variant, hence `await` everywhere.)

import Foundation
import Pinata
import XCTest

final class AsyncTests: EmulatorTestCase {
    func testAsyncCalls() async throws {
        let client = try emulator.client()
        let message = try await client.testAuth()
        XCTAssertTrue(message.hasPrefix("Congratulations"))

        let counter = Counter()
        let result = try await client.pinBytes(Data("Hello World!".utf8), fileName: "hello.txt",
                                               options: PinOptions(cidVersion: .v1),
                                               progress: { sent, total in
                                                   counter.record(sent, total)
                                                   return true
                                               })
        XCTAssertEqual(result.cid, helloV1)
        XCTAssertEqual(result.cidCheck, .verified)
        let progress = counter.snapshot
        XCTAssertGreaterThan(progress.count, 0)
        XCTAssertEqual(progress.sent, progress.total)

        let json = try await client.pinJSON(#"{"a": 1}"#)
        XCTAssertFalse(json.cid.isEmpty)

        let pins = try await client.pinList(PinListQuery(status: .pinned))
        XCTAssertEqual(Set(pins.map { $0.cid }), [helloV1, json.cid])

        var streamed: [String] = []
        for try await pin in client.pinStream(PinListQuery(status: .pinned, pageLimit: 1)) {
            streamed.append(pin.cid)
        }
        XCTAssertEqual(Set(streamed), [helloV1, json.cid])
        XCTAssertEqual(streamed.count, 2)

        let usage = try await client.usage()
        XCTAssertEqual(usage.pinCount, 2)

        let key = try await client.createKey(name: "async-key", permissions: .adminKey)
        let keys = try await client.listAllKeys(KeyQuery(nameContains: "async-key"))
        XCTAssertEqual(keys.map { $0.key }, [key.apiKey])
        try await client.revokeKey(key.apiKey)

        try await client.unpin(helloV1)
        do {
            try await client.unpin(helloV1)
            XCTFail("a second unpin succeeded")
        } catch let error as PinataError {
            XCTAssertEqual(error.status, .notFound)
            XCTAssertEqual(error.reason, "CURRENT_USER_HAS_NOT_PINNED_CID")
        }
        let cid = try await Client.cidOfPath(#filePath, cidVersion: .v1)
        XCTAssertTrue(cid.hasPrefix("bafk"))
    }

    /// Cancelling the task stops the blocking call through the derived client's cancel
    /// flag, long before the emulator's 10 s delay ends; the client itself stays usable.
    func testTaskCancellationStopsACallInFlight() async throws {
        let client = try emulator.client()
        try emulator.hook("POST", "/__emulator/faults",
                          json: #"{"path": "/data/testAuthentication", "kind": "delay", "delay_ms": 10000}"#)
        let started = Date()
        let task = Task { try await client.testAuth() }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("the call was not cancelled")
        } catch let error as PinataError {
            XCTAssertEqual(error.status, .cancelled)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)

        try emulator.hook("DELETE", "/__emulator/faults")
        let message = try await client.testAuth()
        XCTAssertFalse(message.isEmpty)
    }

    /// A task cancelled before its call starts gets `.cancelled` without a request.
    func testAlreadyCancelledTask() async throws {
        let client = try emulator.client()
        let task = Task { () async throws -> String in
            // Wait until cancelled, then call.
            while !Task.isCancelled {
                await Task.yield()
            }
            return try await client.testAuth()
        }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("the call was not cancelled")
        } catch let error as PinataError {
            XCTAssertEqual(error.status, .cancelled)
        }
    }

    /// Waiting for a pin-by-CID job, and a task cancelled while a wait sleeps.
    func testAsyncWaitForPinJob() async throws {
        let client = try emulator.client()
        let job = try await client.pinByCID(helloV1)
        try emulator.hook("POST", "/__emulator/pin-jobs/\(job.id)/advance", json: #"{"status":"pinned"}"#)
        let done = try await client.waitForPinJob(job, intervalMs: 5, maxIntervalMs: 10)
        XCTAssertEqual(done.status, "pinned")
        XCTAssertEqual(done.cid, helloV1)

        let stuck = try await client.pinByCID(emptyV0)
        let started = Date()
        let task = Task { try await client.waitForPinJob(stuck, intervalMs: 50, maxIntervalMs: 100) }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("the wait was not cancelled")
        } catch let error as PinataError {
            XCTAssertEqual(error.status, .cancelled)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    /// A progress handler returning false cancels an async upload as it does a blocking one.
    func testAsyncProgressCancel() async throws {
        let client = try emulator.client()
        let big = try temporaryDirectory().appendingPathComponent("big.bin")
        try Data(repeating: 0x78, count: 2 * 1024 * 1024).write(to: big)
        do {
            _ = try await client.pinFile(big.path, progress: { _, _ in false })
            XCTFail("the upload was not cancelled")
        } catch let error as PinataError {
            XCTAssertEqual(error.status, .cancelled)
        }
    }
}
