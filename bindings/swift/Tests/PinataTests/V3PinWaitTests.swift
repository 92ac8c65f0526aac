// The v3 pin-by-CID queue and its wait, against a fresh emulator whose hook moves the
// request. Not compiled on machines without Swift (check_symbols.sh checks the calls).

import Foundation
import Pinata
import XCTest

final class V3PinWaitTests: EmulatorTestCase {
    func testQueueWaitPinnedFailedAndCancel() throws {
        let client = try emulator.client()
        var options = PinByCIDOptions()
        options.name = "swift-wait"
        let request = try client.pinByCIDv3(emptyV0, options: options)
        XCTAssertEqual(request.status, "prechecking")
        XCTAssertEqual(request.name, "swift-wait")
        XCTAssertEqual(try client.pinQueue(status: "prechecking", cid: emptyV0).map(\.id), [request.id])

        // The handler moves the request one step, then to pinned.
        var seen: [String] = []
        let done = try client.waitForPin(request, budgetMs: 60_000, intervalMs: 5, maxIntervalMs: 10) { status in
            if seen.count == 0 {
                try? self.emulator.hook("POST", "/__emulator/pin-jobs/\(request.id)/advance")
            } else if seen.count == 1 {
                try? self.emulator.hook("POST", "/__emulator/pin-jobs/\(request.id)/advance",
                                        json: #"{"status":"pinned"}"#)
            }
            seen.append(status)
            return true
        }
        XCTAssertTrue(done.pinned)
        XCTAssertEqual(seen, ["prechecking", "searching", "pinned"])

        // A failure is returned at once, by id alone.
        let failing = try client.pinByCIDv3(emptyV0)
        let failed = try client.waitForPin(PinRequest(id: failing.id), budgetMs: 60_000, intervalMs: 5,
                                           maxIntervalMs: 10) { status in
            if status == "prechecking" {
                try? self.emulator.hook("POST", "/__emulator/pin-jobs/\(failing.id)/advance",
                                        json: #"{"status":"expired"}"#)
            }
            return true
        }
        XCTAssertFalse(failed.pinned)
        XCTAssertEqual(failed.status, "expired")

        // Stuck: the budget runs out; the handler stops it; cancelled is not found.
        let stuck = try client.pinByCIDv3(helloV1) // emptyV0 is a public file by now
        assertPinataError(.timeout, try client.waitForPin(stuck, budgetMs: 100, intervalMs: 10, maxIntervalMs: 20))
        assertPinataError(.cancelled, try client.waitForPin(stuck, intervalMs: 10) { _ in false })
        try client.cancelPin(stuck.id)
        assertPinataError(.notFound, try client.waitForPin(stuck, intervalMs: 5, maxIntervalMs: 10))
        assertPinataError(.notFound, try client.cancelPin(stuck.id))
        assertPinataError(.invalidArgument, try client.waitForPin(PinRequest(id: "x", cid: "nope")))
    }
}
