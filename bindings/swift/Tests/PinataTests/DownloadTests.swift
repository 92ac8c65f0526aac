// Verified downloads from the emulator's gateway: to a path and into memory, each
// method, the caps on content, progress with a known total, a lying gateway (nothing left behind), a gateway
// token, bad arguments, and the async form.

import Foundation
import Pinata
import XCTest

final class DownloadTests: EmulatorTestCase {
    /// A client whose gateway is the emulator's `/ipfs/`.
    func gatewayClient(token: String? = nil) throws -> Client {
        var configuration = Client.Configuration(baseURL: emulator.url)
        configuration.gateway = emulator.url
        configuration.gatewayToken = token
        return try Client(jwt: emulator.jwt, configuration: configuration)
    }

    func testDownloadEachMethod() throws {
        let client = try gatewayClient()
        let dir = try temporaryDirectory()
        let content = Data((0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 251) })
        let cid = try client.pinBytes(content, fileName: "big.bin",
                                      options: PinOptions(cidVersion: .v1)).cid
        let out = dir.appendingPathComponent("out").path

        let car = try client.download(cid, to: out)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), content)
        XCTAssertEqual(car.method, .car)
        XCTAssertEqual(car.verification, .blocks)
        XCTAssertEqual(car.bytes, UInt64(content.count))
        XCTAssertEqual(car.files, 1)
        XCTAssertFalse(car.isDirectory)
        XCTAssertGreaterThan(car.blocks, 1)
        XCTAssertNil(car.data)

        let raw = try client.download(cid, to: out, options: DownloadOptions(method: .raw))
        XCTAssertEqual(raw.method, .raw)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), content)

        let plain = try client.download(cid, to: out, options: DownloadOptions(method: .plain))
        XCTAssertEqual(plain.method, .plain)
        XCTAssertEqual(plain.verification, .recomputed)

        // Into memory, under and over the cap.
        let memory = try client.downloadData(cid, maxBytes: UInt64(content.count))
        XCTAssertEqual(memory.data, content)
        assertPinataError(.protocolError, try client.downloadData(cid, maxBytes: 1000))
        // The empty file: empty data, not nil.
        let empty = try client.pinBytes(Data(), fileName: "empty").cid
        XCTAssertEqual(try client.downloadData(empty, maxBytes: 10).data, Data())

        // The caps on content: one byte under it is refused and leaves nothing; the
        // content's own size and one entry are enough.
        let capped = dir.appendingPathComponent("capped").path
        assertPinataError(.protocolError, try client.download(
            cid, to: capped, options: DownloadOptions(maxBytes: UInt64(content.count - 1))))
        XCTAssertFalse(FileManager.default.fileExists(atPath: capped))
        let exact = try client.download(cid, to: capped, options: DownloadOptions(
            maxBytes: UInt64(content.count), maxEntries: 1))
        XCTAssertEqual(exact.bytes, UInt64(content.count))
    }

    func testProgressReportsTheFileSize() throws {
        let client = try gatewayClient()
        let dir = try temporaryDirectory()
        let content = Data(repeating: 0x5a, count: 600_000) + Data((0..<1000).map { UInt8($0 % 256) })
        let cid = try client.pinBytes(content, fileName: "p.bin").cid
        var last: (UInt64, UInt64) = (0, 0)
        var totals = Set<UInt64>()
        try client.download(cid, to: dir.appendingPathComponent("p").path) { got, total in
            last = (got, total)
            if total != 0 {
                totals.insert(total)
            }
            return true
        }
        // The CAR has no length; the root's UnixFS size is the total once it arrives.
        XCTAssertEqual(totals, [UInt64(content.count)])
        XCTAssertEqual(last.0, UInt64(content.count))
        XCTAssertEqual(last.1, UInt64(content.count))

        // A handler returning false cancels, and nothing is left.
        assertPinataError(.cancelled, try client.download(cid, to: dir.appendingPathComponent("q").path) { _, _ in false })
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("q").path))
    }

    func testLyingGatewayLeavesNothing() throws {
        let client = try gatewayClient()
        let dir = try temporaryDirectory()
        let cid = try client.pinBytes(Data("Hello World!".utf8), fileName: "h.txt",
                                      options: PinOptions(cidVersion: .v1)).cid
        try emulator.hook("POST", "/__emulator/gateway/fault",
                          json: #"{"kind":"flip","cid":"\#(cid)","block":0}"#)
        for method in [DownloadMethod.car, .raw] {
            assertPinataError(.integrity, try client.download(cid, to: dir.appendingPathComponent("h").path,
                                                              options: DownloadOptions(method: method)))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
        try emulator.hook("POST", "/__emulator/gateway/fault", json: #"{"kind":"none"}"#)
        XCTAssertEqual(try client.downloadData(cid, maxBytes: 100).data, Data("Hello World!".utf8))
    }

    func testGatewayTokenAndBadArguments() throws {
        let cid = try gatewayClient().pinBytes(Data("tok".utf8), fileName: "t").cid
        let dir = try temporaryDirectory()
        try emulator.hook("POST", "/__emulator/gateway/token", json: #"{"token":"gw-token-0815"}"#)
        let error = assertPinataError(.unauthorized, try gatewayClient().downloadData(cid, maxBytes: 10))
        XCTAssertEqual(error?.httpStatus, 401)
        let wrong = assertPinataError(.forbidden, try gatewayClient(token: "nope").downloadData(cid, maxBytes: 10))
        XCTAssertFalse(wrong?.description.contains("nope") ?? true)
        XCTAssertEqual(try gatewayClient(token: "gw-token-0815").downloadData(cid, maxBytes: 10).data,
                       Data("tok".utf8))
        try emulator.hook("POST", "/__emulator/gateway/token", json: #"{"token":null}"#)

        let client = try gatewayClient()
        assertPinataError(.invalidArgument, try client.downloadData("not a cid", maxBytes: 10))
        assertPinataError(.invalidArgument, try client.download(cid, to: dir.path + "/a\0b"))
        assertPinataError(.io, try client.download(cid, to: dir.path + "/missing/out"))
        var bad = Client.Configuration(baseURL: emulator.url)
        bad.gatewayToken = "has space"
        assertPinataError(.invalidArgument, try Client(jwt: emulator.jwt, configuration: bad))
    }

    func testAsyncDownload() async throws {
        let client = try gatewayClient()
        let cid = try client.pinBytes(Data("async".utf8), fileName: "a").cid
        let result = try await client.downloadData(cid, maxBytes: 100)
        XCTAssertEqual(result.data, Data("async".utf8))
    }
}
