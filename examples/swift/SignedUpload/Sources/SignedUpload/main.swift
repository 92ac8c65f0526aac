// libpinata Swift example of the native-app pattern of Pinata's v3 Files API: a backend
// (holding the JWT) signs an upload URL, an app uploads with that URL alone (no
// credentials at all), and the backend lists the private file and makes a download
// link for it.
//
//   PINATA_JWT=<JWT> [PINATA_API_URL=http://127.0.0.1:PORT] \
//       [PINATA_GATEWAY_URL=https://NAME.mypinata.cloud] swift run SignedUpload
//
// Against the emulator, PINATA_API_URL serves the API, uploads and the gateway.

import Foundation
import Pinata

let environment = ProcessInfo.processInfo.environment
func setting(_ name: String) -> String? {
    environment[name].flatMap { $0.isEmpty ? nil : $0 }
}
guard let jwt = setting("PINATA_JWT") else {
    FileHandle.standardError.write(Data("set PINATA_JWT (and PINATA_API_URL for the emulator)\n".utf8))
    exit(2)
}
let apiURL = setting("PINATA_API_URL")
guard let gatewayURL = setting("PINATA_GATEWAY_URL") ?? apiURL else {
    FileHandle.standardError.write(Data("set PINATA_GATEWAY_URL to your gateway (https://NAME.mypinata.cloud)\n".utf8))
    exit(2)
}

do {
    var configuration = Client.Configuration(baseURL: apiURL)
    configuration.uploadURL = apiURL
    let backend = try Client(jwt: jwt, configuration: configuration)
    defer { backend.close() }

    // 1. The backend signs: private, five minutes, text up to 1 MB, its own name.
    let name = "swift app note \(ProcessInfo.processInfo.processIdentifier)"
    let url = try backend.signUploadURL(expires: 300, network: .private, maxFileSize: 1 << 20,
                                        mimeTypes: ["text/plain"], name: name)
    print("backend: signed an upload URL (not printed: it is a credential)")

    // 2. The app uploads with the URL alone: no client, no credentials.
    let result = try Client.uploadBytes(Data("written by the Swift app\n".utf8), fileName: "note.txt",
                                        signedURL: url)
    print("app: uploaded \(result.file.cid) (CID checked locally: \(result.verified))")

    // 3. The backend lists the private file and links to it.
    let rows = try backend.listFiles(.private, nameContains: name)
    for row in rows {
        print("backend: private file \(row.id)  \(row.cid)  \(row.size) B  \(row.name ?? "-")")
    }
    guard rows.contains(where: { $0.cid == result.file.cid }) else {
        print("signedupload: the uploaded file is missing from the private list")
        exit(1)
    }
    let link = try backend.downloadLink(gatewayURL: gatewayURL, cid: result.file.cid, expires: 60)
    print("backend: download link, valid 60 s:\n  \(link)")
} catch let error as PinataError {
    // The status name and libpinata's message; a signed URL never appears in it.
    print("  failed: \(error)")
    exit(1)
} catch {
    print("  failed: \(error)")
    exit(1)
}
