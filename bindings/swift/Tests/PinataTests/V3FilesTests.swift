// v3 files: the fields of upload results and file rows, JSON uploads, streamable and
// expiring uploads, every filter of the file listing, file updates, and the presets of
// a signed upload URL. Not compiled on machines without Swift (check_symbols.sh checks
// the calls).

import Foundation
import Pinata
import XCTest

final class V3FilesTests: EmulatorTestCase {
    private func v3Client() throws -> Client {
        var configuration = Client.Configuration(baseURL: emulator.url)
        configuration.uploadURL = emulator.url
        return try Client(jwt: emulator.jwt, configuration: configuration)
    }

    func testUploadResultFieldsJSONAndExpiry() throws {
        let client = try v3Client()
        var options = UploadOptions()
        options.network = .public
        options.name = "greeting"
        options.keyvalues = ["env": "test"]
        options.groupID = "group-1"
        options.streamable = true
        let hello = try client.uploadBytes(Data("Hello World!".utf8), fileName: "hello.txt", options: options)
        XCTAssertEqual(hello.cid, helloV1)
        XCTAssertEqual(hello.file.cid, helloV1)
        XCTAssertTrue(hello.verified)
        XCTAssertTrue(hello.rawJSON.contains("\"data\""))
        XCTAssertEqual(hello.file.size, 12)
        XCTAssertEqual(hello.file.numberOfFiles, 1)
        XCTAssertFalse(hello.file.createdAt?.isEmpty ?? true)
        XCTAssertEqual(hello.file.mimeType, "text/plain")
        XCTAssertEqual(hello.file.groupID, "group-1")

        // An expiring file carries its time; a time in the past is refused.
        var expiring = UploadOptions()
        expiring.expiresAt = 4_102_444_800 // 2100-01-01
        let kept = try client.uploadBytes(Data("expiring".utf8), fileName: "e.txt", options: expiring)
        XCTAssertTrue(kept.file.rawJSON.contains("\"expires_at\":4102444800"))
        expiring.expiresAt = 1000
        assertPinataError(.invalidArgument,
                          try client.uploadBytes(Data("x".utf8), fileName: "x.txt", options: expiring))

        // JSON, byte for byte, as text and encoded.
        let json = try client.uploadJSON(#"{"a":1}"#)
        XCTAssertEqual(json.file.name, "data.json")
        XCTAssertTrue(json.verified)
        XCTAssertEqual(json.cid, try Client.cidOfBytes(Data(#"{"a":1}"#.utf8), cidVersion: .v1))
        XCTAssertEqual(try client.uploadJSON(encoding: ["a": 1]).cid, json.cid)
        assertPinataError(.invalidArgument, try client.uploadJSON("{nope"))
        assertPinataError(.invalidArgument, try client.uploadJSON("{}\0"))
    }

    func testListFilesWithEveryFilter() throws {
        let client = try v3Client()
        var options = UploadOptions()
        options.network = .public
        options.name = "greeting"
        options.groupID = "group-1"
        let greeting = try client.uploadBytes(Data("Hello World!".utf8), fileName: "hello.txt", options: options)
        options.name = nil
        options.groupID = nil
        for i in 0..<5 {
            options.keyvalues = ["i": i < 2 ? "low" : "high"]
            _ = try client.uploadBytes(Data("file \(i)".utf8), fileName: i == 4 ? "d.json" : "d.txt",
                                       options: options)
        }

        // Six public files, by pages of 2.
        XCTAssertEqual(try client.listFiles(.public, FileQuery(pageLimit: 2)).count, 6)
        XCTAssertEqual(try client.listFiles(.public, FileQuery(pageLimit: 2), limit: 3).count, 3)
        XCTAssertEqual(try client.listFiles(.public, FileQuery(keyvalues: ["i": "low"], pageLimit: 2)).count, 2)
        XCTAssertEqual(try client.listFiles(.public, FileQuery(groupID: "group-1")).map(\.id), [greeting.file.id])
        XCTAssertEqual(try client.listFiles(.public, FileQuery(noGroup: true)).count, 5)
        XCTAssertEqual(try client.listFiles(.public, FileQuery(mimeType: "application/json")).count, 1)
        XCTAssertEqual(try client.listFiles(.public, FileQuery(cid: helloV1)).map(\.id), [greeting.file.id])
        XCTAssertEqual(try client.listFiles(.public, FileQuery(nameContains: "greet")).count, 1)
        XCTAssertEqual(try client.listFiles(.public, nameContains: "greet").count, 1)
        XCTAssertEqual(try client.listFiles(.public, FileQuery(cidPending: true)).count, 0)
        XCTAssertEqual(try client.listFiles(.private, FileQuery()).count, 0)

        // By creation time: the greeting came first.
        XCTAssertEqual(try client.listFiles(.public, FileQuery(ascending: true), limit: 1).first?.id,
                       greeting.file.id)
        XCTAssertEqual(try client.listFiles(.public, FileQuery(ascending: false)).last?.id, greeting.file.id)

        assertPinataError(.invalidArgument, try client.listFiles(.public, FileQuery(pageLimit: 1001)))
        assertPinataError(.invalidArgument, try client.listFiles(.public, FileQuery(nameContains: "a\nb")))
        assertPinataError(.invalidArgument, try client.listFiles(.public, FileQuery(keyvalues: ["k\0": "v"])))
    }

    func testUpdateFile() throws {
        let client = try v3Client()
        var options = UploadOptions()
        options.network = .public
        options.keyvalues = ["env": "test"]
        let uploaded = try client.uploadBytes(Data("update me".utf8), fileName: "u.txt", options: options)
        let id = uploaded.file.id

        let row = try client.updateFile(.public, id: id, name: "renamed", keyvalues: ["n": 2],
                                        removing: ["env"], expiresAt: 4_102_444_800)
        XCTAssertEqual(row.id, id)
        XCTAssertEqual(row.name, "renamed")
        XCTAssertTrue(row.keyvaluesJSON.contains(#""n":2"#)) // 2 or 2.0
        XCTAssertFalse(row.keyvaluesJSON.contains("env"))
        XCTAssertTrue(row.rawJSON.contains("\"expires_at\":4102444800"))
        XCTAssertEqual(try client.getFile(.public, id: id).name, "renamed")

        // Keyvalues alone are merged.
        let merged = try client.updateFile(.public, id: id, keyvalues: ["s": "x"])
        XCTAssertTrue(merged.keyvaluesJSON.contains(#""s":"x""#))
        XCTAssertTrue(merged.keyvaluesJSON.contains(#""n":2"#))

        // Nothing to change, a time in the past, a number JSON cannot carry, unknown ids.
        assertPinataError(.invalidArgument, try client.updateFile(.public, id: id))
        assertPinataError(.invalidArgument, try client.updateFile(.public, id: id, expiresAt: 5))
        assertPinataError(.invalidArgument, try client.updateFile(.public, id: id, keyvalues: ["x": .number(.nan)]))
        assertPinataError(.invalidArgument, try client.updateFile(.public, id: id, name: "a\0b"))
        assertPinataError(.notFound, try client.updateFile(.public, id: "nope", name: "x"))
    }

    func testSignedUploadPresets() throws {
        let client = try v3Client()
        let url = try client.signUploadURL(expires: 120, network: .private, maxFileSize: 100,
                                           mimeTypes: ["text/plain"], name: "from the app",
                                           groupID: "app-group", keyvalues: ["user": "42"])
        // The app holds the URL alone.
        let app = try Client(anonymousWith: Client.Configuration(baseURL: emulator.url))
        let result = try app.uploadSigned(Data("Hello World!".utf8), fileName: "n.txt", signedURL: url)
        XCTAssertEqual(result.cid, helloV1)
        XCTAssertTrue(result.verified)
        XCTAssertEqual(result.file.name, "from the app")
        XCTAssertEqual(result.file.groupID, "app-group")
        XCTAssertTrue(result.file.keyvaluesJSON.contains(#""user":"42""#))

        assertPinataError(.invalidArgument, try client.signUploadURL(groupID: "a\0b"))
        assertPinataError(.invalidArgument, try client.signUploadURL(keyvalues: ["k": "v\0"]))
    }
}
