// Uploads (file, bytes, JSON, directory), progress and cancellation, CID profiles, pin by
// CID, jobs and waiting for them, metadata, unpin, the pin list with its filters, usage.

import Foundation
import Pinata
import XCTest

final class PinningTests: EmulatorTestCase {
    func testUploadHelloWorldCIDv1() throws {
        let client = try emulator.client()
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("hello.txt")
        try Data("Hello World!".utf8).write(to: file)

        var options = PinOptions(cidVersion: .v1)
        let result = try client.pinFile(file.path, options: options)
        XCTAssertEqual(result.cid, helloV1)
        XCTAssertEqual(result.size, 12)
        XCTAssertFalse(result.timestamp?.isEmpty ?? true)
        XCTAssertFalse(result.isDuplicate)
        XCTAssertEqual(result.localCID, helloV1)
        XCTAssertEqual(result.cidCheck, .verified)
        XCTAssertTrue(result.rawJSON.contains("IpfsHash"))

        assertPinataError(.io, try client.pinFile(dir.appendingPathComponent("missing.txt").path))
        assertPinataError(.invalidArgument, try client.pinFile(file.path + "\0.evil"))
        assertPinataError(.invalidArgument, try client.pinBytes(Data("x".utf8), fileName: "a/b"))

        // The same bytes again: a duplicate; verification off leaves no local CID.
        options.verifyCID = false
        let duplicate = try client.pinBytes(Data("Hello World!".utf8), fileName: "h.txt", options: options)
        XCTAssertEqual(duplicate.cid, helloV1)
        XCTAssertTrue(duplicate.isDuplicate)
        XCTAssertNil(duplicate.localCID)
        XCTAssertEqual(duplicate.cidCheck, .notChecked)

        // The empty file, with no options.
        XCTAssertEqual(try client.pinBytes(Data(), fileName: "empty").cid, emptyV0)

        // JSON, as text and encoded.
        let json = try client.pinJSON(#"{"hello": "world"}"#)
        XCTAssertEqual(json.cid, try Client.cidOfBytes(Data(#"{"hello":"world"}"#.utf8)))
        XCTAssertEqual(json.cidCheck, .verified)
        XCTAssertEqual(try client.pinJSON(encoding: ["hello": "world"]).cid, json.cid)
        assertPinataError(.invalidArgument, try client.pinJSON("{bad"))
    }

    func testDirectoryUpload() throws {
        let client = try emulator.client()
        let site = try temporaryDirectory().appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("css"),
                                                withIntermediateDirectories: true)
        try Data("<h1>hi</h1>".utf8).write(to: site.appendingPathComponent("index.html"))
        try Data("body{}".utf8).write(to: site.appendingPathComponent("css/a.css"))
        try Data("h".utf8).write(to: site.appendingPathComponent(".hidden"))

        var options = PinOptions(name: "my site", keyvalues: ["kind": "site", "version": 2],
                                 cidVersion: .v1)
        let result = try client.pinFile(site.path, options: options)
        XCTAssertEqual(result.cid, try Client.cidOfPath(site.path, cidVersion: .v1))
        XCTAssertEqual(result.cidCheck, .verified)
        let listed = try client.pinList(PinListQuery(cid: result.cid))
        XCTAssertEqual(listed.count, 1)
        XCTAssertEqual(listed.first?.name, "my site")
        XCTAssertTrue(listed.first?.keyvaluesJSON?.contains("site") ?? false)

        // wrapWithDirectory on a single file.
        options.wrapWithDirectory = true
        let hello = site.appendingPathComponent("index.html")
        let wrapped = try client.pinFile(hello.path, options: options)
        XCTAssertTrue(wrapped.cid.hasPrefix("bafybei"))
        XCTAssertEqual(wrapped.cidCheck, .verified)
    }

    func testProgressAndCancel() throws {
        let client = try emulator.client()
        let big = try temporaryDirectory().appendingPathComponent("big.bin")
        let size = 2 * 1024 * 1024
        try Data(repeating: UInt8(ascii: "x"), count: size).write(to: big)

        var calls = 0
        var lastSent: UInt64 = 0
        var lastTotal: UInt64 = 0
        _ = try client.pinFile(big.path, progress: { sent, total in
            calls += 1
            lastSent = sent
            lastTotal = total
            return true
        })
        XCTAssertGreaterThan(calls, 0)
        XCTAssertGreaterThan(lastTotal, UInt64(size)) // the multipart body is larger
        XCTAssertEqual(lastSent, lastTotal)

        // Returning false cancels.
        assertPinataError(.cancelled, try client.pinFile(big.path, progress: { _, _ in false }))

        // A raised cancel token cancels before anything is sent; reset, it serves again.
        let token = try CancelToken()
        let options = PinOptions(cancel: token)
        token.cancel()
        assertPinataError(.cancelled, try client.pinFile(big.path, options: options))
        token.reset()
        XCTAssertNoThrow(try client.pinFile(big.path, options: options))
    }

    func testPinByCIDJobsMetadataAndUnpinNotFound() throws {
        let client = try emulator.client()
        let job = try client.pinByCID(helloV1, options: PinOptions(
            name: "remote", hostNodes: ["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWExample"]))
        XCTAssertEqual(job.cid, helloV1)
        XCTAssertEqual(job.status, "prechecking")
        XCTAssertEqual(job.name, "remote")
        XCTAssertFalse(job.id.isEmpty)
        assertPinataError(.invalidArgument, try client.pinByCID("Qmnope"))

        try emulator.hook("POST", "/__emulator/pin-jobs/\(job.id)/advance")
        let page = try client.pinJobs(PinJobQuery(status: "searching", cid: helloV1,
                                                  sort: .oldestFirst, limit: 10))
        XCTAssertEqual(page.jobs.count, 1)
        XCTAssertEqual(page.total, 1)
        XCTAssertEqual(page.jobs.first?.status, "searching")
        XCTAssertGreaterThanOrEqual(try client.pinJobs().jobs.count, 1)
        assertPinataError(.invalidArgument, try client.pinJobs(PinJobQuery(limit: 1001)))

        // Metadata: rename, set and remove keyvalues.
        let pin = try client.pinBytes(Data("meta".utf8), fileName: "m.txt")
        try client.updateMetadata(cid: pin.cid, name: "renamed", keyvalues: ["env": "prod", "n": 7],
                                  removing: ["gone"])
        let row = try XCTUnwrap(try client.pinList(PinListQuery(cid: pin.cid)).first)
        XCTAssertEqual(row.name, "renamed")
        XCTAssertTrue(row.keyvaluesJSON?.contains("prod") ?? false)
        assertPinataError(.invalidArgument, try client.updateMetadata(cid: "nope", name: "x"))
        assertPinataError(.notFound, try client.updateMetadata(cid: helloV1, name: "x"))

        // Unpin, then unpin again: not pinned by this account.
        assertPinataError(.invalidArgument, try client.unpin("garbage"))
        try client.unpin(pin.cid)
        let error = assertPinataError(.notFound, try client.unpin(pin.cid))
        XCTAssertEqual(error?.httpStatus, 400)
        XCTAssertEqual(error?.reason, "CURRENT_USER_HAS_NOT_PINNED_CID")
    }

    func testCIDProfilesAndTheLearnedProfile() throws {
        let client = try emulator.client()
        let dir = try temporaryDirectory()
        // 2 MiB: kubo v1 (256 KiB chunks) and unixfs-v1-2025 (1 MiB chunks) differ.
        let a = dir.appendingPathComponent("a.bin")
        try Data(repeating: UInt8(ascii: "a"), count: 2 * 1024 * 1024).write(to: a)
        let b = dir.appendingPathComponent("b.bin")
        try Data(repeating: UInt8(ascii: "b"), count: 2 * 1024 * 1024).write(to: b)
        let v1 = PinOptions(cidVersion: .v1)

        // The first v1 check hashes both v1 profiles; kubo's matches and is learned.
        XCTAssertNil(client.learnedCIDProfile)
        let first = try client.pinFile(a.path, options: v1)
        XCTAssertEqual(first.cidCheck, .verified)
        XCTAssertEqual(first.cidProfile, .kuboV1)
        XCTAssertEqual(first.profilesHashed, 2)
        XCTAssertEqual(client.learnedCIDProfile, .kuboV1)
        XCTAssertNil(try emulator.client().learnedCIDProfile) // another client learned nothing

        // Then only the learned profile is hashed.
        let second = try client.pinFile(b.path, options: v1)
        XCTAssertEqual(second.cidProfile, .kuboV1)
        XCTAssertEqual(second.profilesHashed, 1)

        // v0: one profile; verification off: none.
        let v0 = try client.pinFile(a.path)
        XCTAssertEqual(v0.cidProfile, .kuboV0)
        XCTAssertEqual(v0.profilesHashed, 1)
        let off = try client.pinFile(a.path, options: PinOptions(cidVersion: .v1, verifyCID: false))
        XCTAssertEqual(off.cidCheck, .notChecked)
        XCTAssertNil(off.cidProfile)
        XCTAssertEqual(off.profilesHashed, 0)
        XCTAssertEqual(client.learnedCIDProfile, .kuboV1)

        client.close()
        XCTAssertNil(client.learnedCIDProfile)
    }

    func testWaitForPinJob() throws {
        let client = try emulator.client()
        let job = try client.pinByCID(helloV1, options: PinOptions(name: "waited"))

        // The handler moves the job to pinned.
        var seen: [String] = []
        let done = try client.waitForPinJob(job, budgetMs: 60_000, intervalMs: 5, maxIntervalMs: 10) { status in
            if seen.isEmpty {
                try? self.emulator.hook("POST", "/__emulator/pin-jobs/\(job.id)/advance",
                                        json: #"{"status":"pinned"}"#)
            }
            seen.append(status)
            return true
        }
        XCTAssertEqual(seen, ["prechecking", "pinned"])
        XCTAssertEqual(done.status, "pinned")
        XCTAssertEqual(done.id, job.id)
        XCTAssertEqual(done.cid, helloV1)
        XCTAssertEqual(try client.pinList(PinListQuery(cid: helloV1, status: .pinned)).count, 1)

        // A job of a page that failed is returned with its failure.
        let failing = try client.pinByCID(emptyV0)
        let listed = try XCTUnwrap(try client.pinJobs(PinJobQuery(cid: emptyV0)).jobs.first)
        XCTAssertEqual(listed.id, failing.id)
        try emulator.hook("POST", "/__emulator/pin-jobs/\(failing.id)/advance", json: #"{"status":"expired"}"#)
        let failed = try client.waitForPinJob(listed, intervalMs: 5, maxIntervalMs: 10)
        XCTAssertEqual(failed.status, "expired")
        XCTAssertEqual(failed.id, failing.id)

        // Stuck: the budget runs out; the handler, or a raised cancel flag, stops it.
        let stuck = try client.pinByCID("QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u")
        assertPinataError(.timeout, try client.waitForPinJob(stuck, budgetMs: 100, intervalMs: 10, maxIntervalMs: 20))
        assertPinataError(.cancelled, try client.waitForPinJob(stuck, intervalMs: 10) { _ in false })
        let token = try CancelToken()
        token.cancel()
        assertPinataError(.cancelled, try client.cancellable(by: token).waitForPinJob(stuck, intervalMs: 10))

        // By id and CID alone: the same job, settled, found among the pins.
        let byID = try client.waitForPinJob(id: job.id, cid: helloV1, intervalMs: 5, maxIntervalMs: 10)
        XCTAssertEqual(byID.status, "pinned")
        XCTAssertEqual(byID.id, job.id)
        assertPinataError(.invalidArgument, try client.waitForPinJob(id: "a\u{0}b", cid: helloV1))
        assertPinataError(.invalidArgument, try client.waitForPinJob(id: job.id, cid: "not-a-cid"))

        // Pinned, then unpinned: neither queued nor pinned.
        try client.unpin(helloV1)
        assertPinataError(.notFound, try client.waitForPinJob(done, intervalMs: 5, maxIntervalMs: 10))
        assertPinataError(.notFound, try client.waitForPinJob(id: job.id, cid: helloV1, intervalMs: 5, maxIntervalMs: 10))
    }

    func testPinListFiltersPagingAndUsage() throws {
        let client = try emulator.client()
        for i in 0..<12 {
            let options = PinOptions(name: String(format: "item-%02d", i),
                                     keyvalues: ["n": .number(Double(i)),
                                                 "parity": .string(i % 2 == 1 ? "odd" : "even")])
            _ = try client.pinBytes(Data("content \(i)".utf8), fileName: "f.txt", options: options)
        }

        // Three pages of 5, 5, 2.
        var query = PinListQuery(pageLimit: 5)
        XCTAssertEqual(try client.pinList(query).count, 12)
        XCTAssertEqual(try client.pinList(query, limit: 7).count, 7)

        let iterator = try client.pins(query)
        let first = try XCTUnwrap(try iterator.next())
        XCTAssertEqual(iterator.total, 12)
        XCTAssertFalse(first.id.isEmpty)
        XCTAssertFalse(first.cid.isEmpty)
        XCTAssertGreaterThan(first.size, 0)
        XCTAssertNotNil(first.datePinned)
        XCTAssertNil(first.dateUnpinned)
        XCTAssertTrue(first.name?.hasPrefix("item-") ?? false)
        XCTAssertTrue(first.keyvaluesJSON?.contains("parity") ?? false)
        XCTAssertTrue(first.rawJSON.contains("ipfs_pin_hash"))
        var rest = 0
        while try iterator.next() != nil {
            rest += 1
        }
        XCTAssertEqual(rest, 11)
        XCTAssertNil(try iterator.next()) // stays at the end

        // Keyvalue conditions.
        query.keyvalues = [.string("parity", .eq, "odd")]
        XCTAssertEqual(try client.pinList(query).count, 6)
        query.keyvalues.append(.number("n", .between, 2, 6))
        XCTAssertEqual(try client.pinList(query).count, 2) // 3 and 5
        assertPinataError(.invalidArgument,
                          try client.pinList(PinListQuery(keyvalues: [.number("n", .between, 2)])))
        assertPinataError(.invalidArgument,
                          try client.pinList(PinListQuery(keyvalues: [.string("parity", .eq, "odd", "x")])))

        // Text, status, size and date filters.
        XCTAssertEqual(try client.pinList(PinListQuery(nameContains: "item-1")).count, 2) // 10, 11
        XCTAssertEqual(try client.pinList(PinListQuery(status: .unpinned)).count, 0)
        var dated = PinListQuery(status: .pinned, pinStart: "2000-01-01T00:00:00.000Z",
                                 minBytes: 0, maxBytes: 1_000_000)
        XCTAssertEqual(try client.pinList(dated).count, 12)
        dated.pinStart = "2999-01-01T00:00:00.000Z"
        XCTAssertEqual(try client.pinList(dated).count, 0)
        assertPinataError(.invalidArgument, try client.pins(PinListQuery(pageLimit: 1001)))
        assertPinataError(.invalidArgument, try client.pins(PinListQuery(minBytes: -5)))

        let usage = try client.usage()
        XCTAssertEqual(usage.pinCount, 12)
        XCTAssertGreaterThan(usage.pinSizeTotal, 0)
    }
}
