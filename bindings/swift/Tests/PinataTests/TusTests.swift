// Resumable (TUS) uploads: a cancelled upload keeps its journal, is listed as pending
// and resumes; abandon removes it; uploadFile(_:options:choice:) takes TUS above the
// threshold and reports where it resumed.

import Foundation
import Pinata
import XCTest

final class TusTests: EmulatorTestCase {
    private func v3Client() throws -> Client {
        var configuration = Client.Configuration(baseURL: emulator.url)
        configuration.uploadURL = emulator.url
        return try Client(jwt: emulator.jwt, configuration: configuration)
    }

    private func pattern(_ count: Int, _ seed: Int) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 2654435761 &+ seed &* 131) >> 9) })
    }

    func testCancelledUploadIsPendingAndResumes() throws {
        let client = try v3Client()
        let dir = try temporaryDirectory()
        let journal = dir.appendingPathComponent("journal")
        try FileManager.default.createDirectory(at: journal, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("r.bin")
        let data = pattern(300 * 1024 + 5, 1)
        try data.write(to: file)
        var options = ResumableOptions()
        options.journalDir = journal.path
        options.chunkSize = 64 * 1024

        assertPinataError(.cancelled, try client.uploadResumable(file.path, options: options) { sent, total in
            sent <= total / 3
        })
        let pending = try Client.pendingUploads(journalDir: journal.path)
        XCTAssertEqual(pending.count, 1)
        XCTAssertEqual(pending.first?.size, UInt64(data.count))
        XCTAssertGreaterThan(pending.first?.offset ?? 0, 0)

        let result = try client.uploadResumable(file.path, options: options)
        XCTAssertGreaterThanOrEqual(result.resumedFrom, pending.first?.offset ?? UInt64.max)
        XCTAssertNil(result.restartReason)
        XCTAssertEqual(result.cid, try Client.cidOfBytes(data, cidVersion: .v1))
        XCTAssertEqual(result.localCID, result.cid)
        XCTAssertEqual(result.file?.cid, result.cid)
        XCTAssertTrue(try Client.pendingUploads(journalDir: journal.path).isEmpty)

        // Abandon: the journal goes, and a second abandon finds nothing.
        assertPinataError(.cancelled, try client.uploadResumable(file.path, options: options) { sent, total in
            sent <= total / 3
        })
        XCTAssertTrue(try client.abandonResumable(file.path, options: options))
        XCTAssertTrue(try Client.pendingUploads(journalDir: journal.path).isEmpty)
        XCTAssertFalse(try client.abandonResumable(file.path, options: options))

        options.journalDir = dir.appendingPathComponent("missing").path
        assertPinataError(.io, try client.uploadResumable(file.path, options: options))
    }

    func testUploadFileChoosesItsPath() throws {
        let client = try v3Client()
        let dir = try temporaryDirectory()
        let journal = dir.appendingPathComponent("journal")
        try FileManager.default.createDirectory(at: journal, withIntermediateDirectories: true)
        let large = dir.appendingPathComponent("large.bin")
        try pattern(300 * 1024, 2).write(to: large)
        let small = dir.appendingPathComponent("small.bin")
        try Data("small".utf8).write(to: small)
        var options = UploadOptions()
        options.network = .public
        var choice = UploadChoice()
        choice.threshold = 100_000
        choice.journalDir = journal.path
        choice.chunkSize = 64 * 1024

        XCTAssertEqual(try client.uploadFile(small.path, options: options, choice: choice).path, .multipart)
        let tus = try client.uploadFile(large.path, options: options, choice: choice)
        XCTAssertEqual(tus.path, .resumable)
        XCTAssertFalse(tus.resumed)
        XCTAssertTrue(tus.result.verified)
        choice.path = .multipart
        XCTAssertEqual(try client.uploadFile(large.path, options: options, choice: choice).path, .multipart)
        choice.path = .resumable
        XCTAssertEqual(try client.uploadFile(small.path, options: options, choice: choice).path, .resumable)

        choice.path = .auto
        assertPinataError(.cancelled, try client.uploadFile(large.path, options: options, choice: choice) {
            sent, total in sent <= total / 3
        })
        let resumed = try client.uploadFile(large.path, options: options, choice: choice)
        XCTAssertEqual(resumed.path, .resumable)
        XCTAssertTrue(resumed.resumed)
        XCTAssertGreaterThan(resumed.resumedFrom, 0)
        XCTAssertNil(resumed.restartReason)
    }
}
