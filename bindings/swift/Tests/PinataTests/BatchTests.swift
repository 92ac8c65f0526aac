// Batch uploads: a folder as one pin per file with a per-file fault, the same files as v3
// files (TUS above the threshold), cancellation from the progress handler, bad input.

import Foundation
import Pinata
import XCTest

final class BatchTests: EmulatorTestCase {
    private func folder(_ count: Int) throws -> URL {
        let dir = try temporaryDirectory().appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for i in 0..<count {
            let text = String(repeating: "swift batch file \(i) ", count: 40 * (i + 1))
            try Data(text.utf8).write(to: dir.appendingPathComponent(String(format: "p%02d.txt", i)))
        }
        return dir
    }

    func testPinEachWithAPerFileFault() throws {
        let client = try emulator.client()
        let dir = try folder(6)
        try emulator.hook("POST", "/__emulator/faults",
                          json: #"{"path":"/pinning/pinFileToIPFS","kind":"status","status":403,"times":1}"#)
        var calls = 0
        var batch = BatchOptions()
        batch.inFlight = 3
        let report = try client.pinEach(directory: dir.path, batch: batch) { _ in
            calls += 1
            return true
        }
        XCTAssertEqual(report.error?.status, .forbidden)
        XCTAssertEqual(report.items.count, 6)
        XCTAssertEqual(report.failed, 1)
        XCTAssertEqual(report.items.filter { $0.error?.httpStatus == 403 }.count, 1)
        for item in report.items where item.ok {
            XCTAssertNil(item.file)
            XCTAssertEqual(item.pin?.cid, try Client.cidOfPath(item.path))
            XCTAssertEqual(item.pin?.cidCheck, .verified)
        }
        XCTAssertGreaterThanOrEqual(calls, 6)
    }

    func testUploadEachAsV3Files() throws {
        var configuration = Client.Configuration(baseURL: emulator.url)
        configuration.uploadURL = emulator.url
        let client = try Client(jwt: emulator.jwt, configuration: configuration)
        let dir = try folder(6)
        var options = UploadOptions()
        options.network = .public
        var choice = UploadChoice()
        choice.threshold = 2_000
        choice.journalDir = try temporaryDirectory().path
        let report = try client.uploadEach(directory: dir.path, options: options, choice: choice)
        XCTAssertNil(report.error)
        XCTAssertEqual(report.failed, 0)
        for item in report.items {
            let size = try FileManager.default.attributesOfItem(atPath: item.path)[.size] as? UInt64 ?? 0
            XCTAssertNil(item.pin)
            XCTAssertEqual(item.file?.path, size > 2_000 ? .resumable : .multipart)
            XCTAssertEqual(item.file?.result.file.name, URL(fileURLWithPath: item.path).lastPathComponent)
            XCTAssertTrue(item.file?.result.verified ?? false)
        }
    }

    func testCancelAndBadInput() throws {
        let client = try emulator.client()
        let dir = try folder(6)
        var batch = BatchOptions()
        batch.inFlight = 1
        // Cancelled after the first file: the others never start.
        let report = try client.pinEach(directory: dir.path, batch: batch) { $0.filesDone < 1 }
        XCTAssertEqual(report.error?.status, .cancelled)
        XCTAssertTrue(report.items[0].ok)
        XCTAssertEqual(report.items.last?.error?.status, .cancelled)

        assertPinataError(.invalidArgument, try client.pinBatch(["a\0b"]))
        assertPinataError(.io, try client.pinEach(directory: dir.appendingPathComponent("none").path))
        batch.inFlight = 65
        assertPinataError(.invalidArgument, try client.pinBatch([], batch: batch))
    }
}
