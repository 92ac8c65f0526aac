// Calls an event loop drives (PinataCall): several in flight from one poll(2) loop, the
// blocking calls' outcomes, a step that does not wait for a held answer, errors, and a
// call released mid-flight.

import CPinata
import Foundation
import Pinata
import XCTest

final class CallTests: EmulatorTestCase {
    /// Steps every call until all are done, waiting in poll(2) on their descriptors.
    private func drive<T>(_ calls: [PinataCall<T>]) throws {
        var done = Array(repeating: false, count: calls.count)
        while true {
            var fds: [pollfd] = []
            var timeout: Int32 = -1
            for (i, call) in calls.enumerated() where !done[i] {
                switch try call.step() {
                case .done:
                    done[i] = true
                case .wait(let ms):
                    fds.append(pollfd(fd: call.fd, events: Int16(POLLIN), revents: 0))
                    if let ms = ms, timeout < 0 || ms < Int64(timeout) {
                        timeout = Int32(ms)
                    }
                }
            }
            if fds.isEmpty { return }
            XCTAssertGreaterThanOrEqual(poll(&fds, nfds_t(fds.count), timeout), 0)
        }
    }

    func testCallsFromOnePollLoop() throws {
        let client = try emulator.client()
        let blocking = try client.testAuth()
        // Held, so that neither can finish inside its start (a finished call gives its
        // descriptor back: fd is then -1).
        try emulator.hook("POST", "/__emulator/faults",
                          json: #"{"path":"/data/testAuthentication","kind":"delay","delay_ms":300,"times":2}"#)
        let auths = [try client.startTestAuth(), try client.startTestAuth()]
        XCTAssertGreaterThanOrEqual(auths[0].fd, 0)
        XCTAssertNotEqual(auths[0].fd, auths[1].fd)
        try drive(auths)
        for call in auths {
            XCTAssertEqual(call.fd, -1)
            XCTAssertEqual(try call.finish(), blocking)
            assertPinataError(.invalidArgument, try call.finish())  // taken once
        }
        let docs = (0..<4).map { #"{"stepped":\#($0)}"# }
        let pins = try docs.map { try client.startPinJSON($0) }
        try drive(pins)
        for (doc, call) in zip(docs, pins) {
            let r = try call.finish()
            XCTAssertEqual(r.cid, try Client.cidOfBytes(Data(doc.utf8)))
            XCTAssertEqual(r.cidCheck, .verified)
        }
    }

    func testStepDoesNotWaitAndErrors() throws {
        let client = try emulator.client()
        try emulator.hook("POST", "/__emulator/faults",
                          json: #"{"path":"/data/testAuthentication","kind":"delay","delay_ms":1500,"times":1}"#)
        let held = try client.startTestAuth()
        // Had the start or the step waited for the held answer, the call would be done.
        XCTAssertNotEqual(try held.step(), .done)
        assertPinataError(.invalidArgument, try held.finish())  // not finished yet
        try drive([held])
        XCTAssertFalse(try held.finish().isEmpty)

        assertPinataError(.invalidArgument, try client.startPinJSON("{not json"))
        assertPinataError(.invalidArgument, try client.startPinJSON("{}\u{0}{"))

        let bad = try Client(jwt: "a.b.c", configuration: .init(baseURL: emulator.url))
        let denied = try bad.startTestAuth()
        try drive([denied])
        assertPinataError(.unauthorized, try denied.finish())

        // Released while the emulator holds the answer: abandoned; the client goes on.
        try emulator.hook("POST", "/__emulator/faults",
                          json: #"{"path":"/data/testAuthentication","kind":"delay","delay_ms":3000,"times":1}"#)
        do {
            let abandoned = try client.startTestAuth()
            XCTAssertNotEqual(try abandoned.step(), .done)
        }
        XCTAssertFalse(try client.testAuth().isEmpty)
    }
}
