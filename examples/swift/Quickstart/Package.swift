// swift-tools-version:5.9
//
// The libpinata Swift quickstart: authenticate, pin a file with metadata, list it, unpin.
//
//   PINATA_JWT=<JWT> [PINATA_API_URL=http://127.0.0.1:PORT] swift run \
//       -Xlinker -L<libdir> -Xlinker -rpath -Xlinker <libdir>
//
// (See bindings/swift/README.md for the flags.) The dependency's package identity is
// the last component of its path, "swift".

import PackageDescription

let package = Package(
    name: "Quickstart",
    platforms: [.macOS(.v12)],
    dependencies: [
        .package(path: "../../../bindings/swift"),
    ],
    targets: [
        .executableTarget(
            name: "Quickstart",
            dependencies: [.product(name: "Pinata", package: "swift")],
            path: "Sources/Quickstart"
        ),
    ]
)
