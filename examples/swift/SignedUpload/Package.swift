// swift-tools-version:5.9
//
// The libpinata Swift signed-upload example: a backend signs an upload URL, an app
// uploads with that URL alone, the backend lists the private file and links to it.
//
//   PINATA_JWT=<JWT> [PINATA_API_URL=http://127.0.0.1:PORT] swift run \
//       -Xlinker -L<libdir> -Xlinker -rpath -Xlinker <libdir>
//
// (See bindings/swift/README.md for the flags.) The dependency's package identity is
// the last component of its path, "swift".

import PackageDescription

let package = Package(
    name: "SignedUpload",
    platforms: [.macOS(.v12)],
    dependencies: [
        .package(path: "../../../bindings/swift"),
    ],
    targets: [
        .executableTarget(
            name: "SignedUpload",
            dependencies: [.product(name: "Pinata", package: "swift")],
            path: "Sources/SignedUpload"
        ),
    ]
)
