// The Pinning Service API client against the emulator's /psa: the listing and the total
// the service reports, a PSA client's retry policy, and a derived client that a cancel
// token stops. Not compiled on machines without Swift (check_symbols.sh checks the calls).

import Foundation
import Pinata
import XCTest

final class PSATests: EmulatorTestCase {
    /// Distinct valid CIDs (CIDv1 raw of sha2-256("psa-test-N"), as tests/c/test_psa.c).
    private let cids = [
        "bafkreifhp3jt37azuwwrirjzgatfer25iw4dpyzlps73kjx2nldpo3vtty",
        "bafkreihw4zmapsojvb7momt5hzglxzfirgcm5j22qjnd5jwv5nyd3pt6i4",
        "bafkreibupnkxoamz4q3l5te5h53ifxifg3mkknopdtdfdxckuzraz6m7ya",
    ]

    /// A client of the emulator's PSA, whose requests move only when a test says so.
    private func psaClient(retryPolicy: Client.RetryPolicy? = nil) throws -> PSAClient {
        try emulator.hook("POST", "/__emulator/psa", json: #"{"step_ms":null}"#)
        return try PSAClient(endpoint: emulator.url + "/psa", token: emulator.jwt, retryPolicy: retryPolicy)
    }

    func testListingAndItsTotal() throws {
        let psa = try psaClient()
        for (i, cid) in cids.enumerated() {
            let added = try psa.add(PSAPin(cid: cid, name: "psa-\(i)"))
            XCTAssertEqual(added.status, .queued)
        }
        var query = PSAQuery()
        query.statuses = [.queued]
        query.pageLimit = 2

        // Two pages; the total is known from the first.
        let iterator = try psa.requests(query)
        XCTAssertNil(iterator.total)
        var names: [String] = []
        while let request = try iterator.next() {
            XCTAssertEqual(request.status, .queued)
            names.append(request.name ?? "")
        }
        XCTAssertEqual(names, ["psa-2", "psa-1", "psa-0"]) // newest first
        XCTAssertEqual(iterator.total, 3)
        XCTAssertNil(try iterator.next()) // stays at the end

        XCTAssertEqual(try psa.list(query).count, 3)
        XCTAssertEqual(try psa.list(query, max: 2).count, 2)
        XCTAssertEqual(try psa.list().count, 0) // by default, pinned requests only
    }

    func testRetryPolicy() throws {
        let fault = #"{"path": "/psa/pins/*", "method": "GET", "kind": "status", "status": 503, "times": 1}"#
        let noRetries = try psaClient(retryPolicy: Client.RetryPolicy(maxRetries: 0, budgetMs: 10_000))
        let added = try noRetries.add(PSAPin(cid: cids[0]))
        try emulator.hook("POST", "/__emulator/faults", json: fault)
        let error = assertPinataError(.server, try noRetries.get(added.requestID))
        XCTAssertEqual(error?.httpStatus, 503)

        let retrying = try psaClient(retryPolicy: Client.RetryPolicy(maxRetries: 2, budgetMs: 10_000))
        try emulator.hook("POST", "/__emulator/faults", json: fault)
        XCTAssertEqual(try retrying.get(added.requestID).requestID, added.requestID)
    }

    func testCancellableClient() throws {
        let psa = try psaClient()
        let added = try psa.add(PSAPin(cid: cids[1]))
        let token = try CancelToken()
        let derived = try psa.cancellable(by: token)
        XCTAssertEqual(try derived.get(added.requestID).cid, cids[1])

        token.cancel()
        assertPinataError(.cancelled, try derived.get(added.requestID))
        assertPinataError(.cancelled, try derived.wait(added.requestID, budgetMs: 60_000, intervalMs: 10,
                                                       maxIntervalMs: 40))
        XCTAssertEqual(try psa.get(added.requestID).status, .queued) // the parent is unaffected

        token.reset()
        XCTAssertEqual(try derived.get(added.requestID).requestID, added.requestID)
    }
}
