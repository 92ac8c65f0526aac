// libpinata Swift quickstart: authenticate, pin a file with metadata, list it, unpin it.
//
//   PINATA_JWT=<JWT> [PINATA_API_URL=http://127.0.0.1:PORT] swift run Quickstart
//
// With PINATA_API_URL unset it talks to https://api.pinata.cloud.

import Foundation
import Pinata

let environment = ProcessInfo.processInfo.environment
guard let jwt = environment["PINATA_JWT"], !jwt.isEmpty else {
    FileHandle.standardError.write(Data("set PINATA_JWT (and PINATA_API_URL for the emulator)\n".utf8))
    exit(2)
}
let baseURL = environment["PINATA_API_URL"].flatMap { $0.isEmpty ? nil : $0 }

do {
    let client = try Client(jwt: jwt, configuration: Client.Configuration(baseURL: baseURL))
    print("libpinata \(Client.version) talking to \(baseURL ?? "https://api.pinata.cloud")")

    print("1. Test authentication")
    let message = try client.testAuth()
    print("  \(message)")

    print("2. Pin a file with metadata")
    let file = FileManager.default.temporaryDirectory
        .appendingPathComponent("pinata-swift-quickstart-\(ProcessInfo.processInfo.processIdentifier).txt")
    try Data("Hello from the libpinata Swift quickstart!\n".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let options = PinOptions(name: "swift-quickstart",
                             keyvalues: ["example": "quickstart", "language": "swift", "step": 2],
                             cidVersion: .v1)
    let pin = try client.pinFile(file.path, options: options) { sent, total in
        print("  sent \(sent) of \(total) bytes")
        return true
    }
    print("  pinned \(pin.cid) (\(pin.size) bytes), local CID check: \(pin.cidCheck)")

    print("3. List pins named swift-quickstart")
    let rows = try client.pinList(PinListQuery(nameContains: "swift-quickstart", status: .pinned), limit: 10)
    for row in rows {
        print("  \(row.cid)  \(row.name ?? "-")  \(row.size) bytes  keyvalues \(row.keyvaluesJSON ?? "null")")
    }
    guard rows.contains(where: { $0.cid == pin.cid }) else {
        print("quickstart: the new pin is missing from the list")
        exit(1)
    }

    print("4. Unpin it")
    try client.unpin(pin.cid)
    print("  unpinned \(pin.cid)")
    print("quickstart: every step behaved as expected")
} catch let error as PinataError {
    // the status name and libpinata's message, which names the HTTP status and
    // Pinata's reason, e.g. "PINATA_E_UNAUTHORIZED: HTTP 401 INVALID_CREDENTIALS: …"
    print("  failed: \(error)")
    exit(1)
} catch {
    print("  failed: \(error)")
    exit(1)
}
