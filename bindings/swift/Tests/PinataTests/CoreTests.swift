// Versions, the status mirror, clients, authentication, error fields, keys and local CIDs.

import CPinata
import Foundation
import Pinata
import XCTest

final class MirrorTests: XCTestCase {
    func testVersionMatchesHeader() {
        XCTAssertEqual(Client.version, PINATA_VERSION_STRING)
        let number = (UInt32(PINATA_VERSION_MAJOR) << 16) | (UInt32(PINATA_VERSION_MINOR) << 8)
            | UInt32(PINATA_VERSION_PATCH)
        XCTAssertEqual(Client.versionNumber, number)
    }

    /// The Swift enums equal the C constants (a compile-time mirror of check_symbols.sh).
    func testEnumsMirrorHeaderConstants() {
        typealias S = PinataError.Status
        let statuses: [(S, Int32)] = [
            (.ok, PINATA_OK), (.invalidArgument, PINATA_E_INVALID_ARGUMENT), (.io, PINATA_E_IO),
            (.network, PINATA_E_NETWORK), (.timeout, PINATA_E_TIMEOUT),
            (.cancelled, PINATA_E_CANCELLED), (.unauthorized, PINATA_E_UNAUTHORIZED),
            (.forbidden, PINATA_E_FORBIDDEN), (.notFound, PINATA_E_NOT_FOUND),
            (.rateLimited, PINATA_E_RATE_LIMITED), (.badRequest, PINATA_E_BAD_REQUEST),
            (.server, PINATA_E_SERVER), (.protocolError, PINATA_E_PROTOCOL),
            (.integrity, PINATA_E_INTEGRITY), (.internalError, PINATA_E_INTERNAL),
            (.tls, PINATA_E_TLS),
        ]
        for (status, value) in statuses {
            XCTAssertEqual(status.rawValue, value)
            XCTAssertEqual(S(code: value), status)
        }
        XCTAssertEqual(S.internalError.name, "PINATA_E_INTERNAL")
        XCTAssertEqual(S.timeout.name, "PINATA_E_TIMEOUT")
        XCTAssertEqual(S(code: 99), .unknown)
        XCTAssertEqual(S.unknown.name, "PINATA_E_UNKNOWN")

        XCTAssertEqual(KeyPermissions.Endpoint.pinList.rawValue, PINATA_ENDPOINT_PIN_LIST)
        XCTAssertEqual(KeyPermissions.Endpoint.userPinPolicy.rawValue, PINATA_ENDPOINT_USER_PIN_POLICY)
        XCTAssertEqual(KeyValueCondition.Operator.between.rawValue, PINATA_OP_BETWEEN)
        XCTAssertEqual(KeyValueCondition.Operator.iRegexp.rawValue, PINATA_OP_IREGEXP)
        XCTAssertEqual(KeyPermissions.Endpoint.unpin.name, "PINATA_ENDPOINT_UNPIN")
        XCTAssertEqual(KeyPermissions.Endpoint.pinFileToIPFS.description, "PINATA_ENDPOINT_PIN_FILE_TO_IPFS")
        XCTAssertEqual("\(KeyPermissions.Endpoint.pinList)", "PINATA_ENDPOINT_PIN_LIST")
        XCTAssertEqual(KeyValueCondition.Operator.notBetween.name, "PINATA_OP_NOT_BETWEEN")
        XCTAssertEqual("\(KeyValueCondition.Operator.iLike)", "PINATA_OP_ILIKE")
        for endpoint in KeyPermissions.Endpoint.allCases {
            XCTAssertNotEqual(endpoint.name, "PINATA_ENDPOINT_UNKNOWN")
        }
        XCTAssertEqual(PinStatusFilter.unpinned.rawValue, PINATA_PIN_STATUS_UNPINNED)
        XCTAssertEqual(CIDCheck.verified.rawValue, PINATA_CID_VERIFIED)
    }

    func testLocalCIDs() throws {
        XCTAssertEqual(try Client.cidOfBytes(Data("Hello World!".utf8), cidVersion: .v1), helloV1)
        XCTAssertEqual(try Client.cidOfBytes(Data(), cidVersion: .v0), emptyV0)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pinata-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("hello.txt")
        try Data("Hello World!".utf8).write(to: file)
        XCTAssertEqual(try Client.cidOfPath(file.path, cidVersion: .v1), helloV1)
        assertPinataError(.io, try Client.cidOfPath(dir.appendingPathComponent("missing").path))
        // A NUL would cut the path short in C; the wrapper refuses it.
        assertPinataError(.invalidArgument, try Client.cidOfPath(file.path + "\0.evil"))
    }

    func testClientConstructionErrors() throws {
        assertPinataError(.invalidArgument, try Client(jwt: "a.b\r\nX-Evil: 1"))
        assertPinataError(.invalidArgument, try Client(jwt: ""))
        assertPinataError(.invalidArgument, try Client(jwt: "a.b\0c"))
        let error = assertPinataError(.invalidArgument, try Client(apiKey: "key", secret: "topsecret\n"))
        XCTAssertNil(error?.httpStatus)
        XCTAssertFalse(error?.message.contains("topsecret") ?? true)
        assertPinataError(.invalidArgument,
                          try Client(jwt: "a.b.c", configuration: .init(baseURL: "http://example.com")))
        XCTAssertNoThrow(try Client(jwt: "a.b.c", configuration: .init(
            baseURL: "http://example.com", allowInsecureHTTP: true, connectTimeoutMs: 5000,
            requestTimeoutMs: 5000, stallTimeoutMs: 5000,
            retryPolicy: Client.RetryPolicy(maxRetries: 0, budgetMs: 0),
            backoff: Client.Backoff(baseMs: 1, maxMs: 2))))
        assertPinataError(.invalidArgument, try Client(jwt: "a.b.c", configuration: .init(
            backoff: Client.Backoff(baseMs: 10, maxMs: 2))))
        assertPinataError(.io, try Client(jwt: "a.b.c", configuration: .init(
            caBundlePath: "/nonexistent/ca.pem")))
    }

    func testClosedClientRefusesCalls() throws {
        let client = try Client(jwt: "a.b.c")
        client.close()
        client.close() // idempotent
        let error = assertPinataError(.invalidArgument, try client.testAuth())
        XCTAssertEqual(error?.message, "the client is closed")
    }
}

final class AuthAndKeysTests: EmulatorTestCase {
    func testAuthenticationWithJWTAndKeyPair() throws {
        let client = try emulator.client()
        XCTAssertEqual(try client.testAuth(), "Congratulations! You are communicating with the Pinata API!")
        let pair = try Client(apiKey: emulator.apiKey, secret: emulator.apiSecret,
                              configuration: .init(baseURL: emulator.url))
        XCTAssertFalse(try pair.testAuth().isEmpty)
    }

    func testAnswersPastTheCapAreRefused() throws {
        var configuration = Client.Configuration(baseURL: emulator.url)
        configuration.maxResponseBytes = 1 << 20
        let client = try Client(jwt: emulator.jwt, configuration: configuration)
        try emulator.hook("POST", "/__emulator/faults", json:
            #"{"path":"/data/userPinnedDataTotal","kind":"huge_body","size_mb":2,"chunked":true,"times":1}"#)
        let error = assertPinataError(.protocolError, try client.usage())
        XCTAssertTrue(error?.message.contains("larger than 1048576 bytes") ?? false)
        XCTAssertNoThrow(try client.usage())  // the fault applied once
        configuration.maxResponseBytes = 65535
        assertPinataError(.invalidArgument, try Client(jwt: emulator.jwt, configuration: configuration))
    }

    func testBadCredentialsErrorFields() throws {
        let bad = try Client(apiKey: "0123456789abcdef0123", secret: "s3cr3tvalue42",
                             configuration: .init(baseURL: emulator.url))
        do {
            _ = try bad.testAuth()
            XCTFail("bad credentials were accepted")
        } catch let error as PinataError {
            XCTAssertEqual(error.status, .unauthorized)
            XCTAssertEqual(error.code, PINATA_E_UNAUTHORIZED)
            XCTAssertEqual(error.httpStatus, 401)
            XCTAssertEqual(error.reason, "INVALID_CREDENTIALS")
            XCTAssertNotNil(error.details)
            XCTAssertNil(error.retryAfter)
            XCTAssertFalse(error.message.isEmpty)
            XCTAssertFalse(error.message.contains("s3cr3tvalue42"))
            XCTAssertFalse(error.description.contains("s3cr3tvalue42"))
            XCTAssertEqual(error.errorDescription, error.description)
            // The message names the HTTP status and reason; the description adds only
            // the status name, so they appear once.
            XCTAssertTrue(error.message.hasPrefix("HTTP 401 INVALID_CREDENTIALS"))
            XCTAssertEqual(error.description, "PINATA_E_UNAUTHORIZED: " + error.message)
        }
    }

    func testKeysCreateListRevoke() throws {
        let admin = try emulator.client()
        let key = try admin.createKey(name: "swift-list-only",
                                      permissions: KeyPermissions().allowing(.pinList), maxUses: 2)
        XCTAssertEqual(key.apiKey.count, 20)
        XCTAssertEqual(key.secret.count, 64)
        XCTAssertTrue(key.jwt.contains("."))

        // The new key works at once, and its scope is enforced.
        let scoped = try Client(jwt: key.jwt, configuration: .init(baseURL: emulator.url))
        let forbidden = assertPinataError(.forbidden, try scoped.listKeys())
        XCTAssertEqual(forbidden?.httpStatus, 403)
        XCTAssertEqual(forbidden?.reason, "NO_SCOPES_FOUND")

        let page = try admin.listKeys()
        XCTAssertGreaterThanOrEqual(page.keys.count, 2)
        XCTAssertGreaterThanOrEqual(page.total ?? 0, Int64(page.keys.count))
        let row = try XCTUnwrap(page.keys.first { $0.key == key.apiKey })
        XCTAssertEqual(row.name, "swift-list-only")
        XCTAssertEqual(row.maxUses, 2)
        XCTAssertFalse(row.admin)
        XCTAssertFalse(row.revoked)
        XCTAssertNotNil(row.createdAt)
        XCTAssertFalse(row.id.isEmpty)
        XCTAssertFalse(row.rawJSON.contains("\"secret\""))

        let filtered = try admin.listAllKeys(KeyQuery(revoked: false, limitedUse: true,
                                                      nameContains: "SWIFT-LIST"))
        XCTAssertEqual(filtered.map { $0.key }, [key.apiKey])

        assertPinataError(.invalidArgument,
                          try admin.createKey(name: "", permissions: KeyPermissions().allowing(.pinList)))
        assertPinataError(.invalidArgument,
                          try admin.createKey(name: "x", permissions: KeyPermissions().allowing(resource: "org:all")))

        try admin.revokeKey(key.apiKey)
        let revoked = assertPinataError(.forbidden, try scoped.testAuth())
        XCTAssertEqual(revoked?.reason, "API_KEY_REVOKED")
        let revokedPage = try admin.listKeys(KeyQuery(revoked: true))
        XCTAssertGreaterThanOrEqual(revokedPage.keys.count, 1)
        XCTAssertTrue(revokedPage.keys[0].revoked)
    }

    func testCancellableClient() throws {
        let client = try emulator.client()
        let token = try CancelToken()
        let derived = try client.cancellable(by: token)
        XCTAssertFalse(try derived.testAuth().isEmpty)
        token.cancel()
        assertPinataError(.cancelled, try derived.testAuth())
        XCTAssertFalse(try client.testAuth().isEmpty) // the parent is unaffected
        token.reset()
        client.close() // the derived client outlives its parent
        XCTAssertFalse(try derived.testAuth().isEmpty)
    }
}
