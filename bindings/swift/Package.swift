// swift-tools-version:5.9
//
// Swift bindings for libpinata (the C ABI in include/pinata.h).
//
// The package does not build libpinata itself. Build it first (`make build` at the
// repository root gives target/debug/libpinata.{so,dylib,a}), then either
//
//   swift build -Xlinker -L<libdir> -Xlinker -rpath -Xlinker <libdir> [-Xcc -I<include dir>]
//
// or install the library with a `pinata.pc` on PKG_CONFIG_PATH; the CPinata system
// library target below asks pkg-config for "pinata" and uses its -I/-L flags.
// See README.md.

import PackageDescription

let package = Package(
    name: "Pinata",
    platforms: [.macOS(.v12)],
    products: [
        .library(name: "Pinata", targets: ["Pinata"]),
    ],
    targets: [
        // The C module: a module map over a shim header that includes pinata.h, and
        // `link "pinata"` (-lpinata).
        .systemLibrary(
            name: "CPinata",
            path: "Sources/CPinata",
            pkgConfig: "pinata"
        ),
        // The Swift wrapper.
        .target(
            name: "Pinata",
            dependencies: ["CPinata"],
            path: "Sources/Pinata"
        ),
        // XCTest suite against pinata-emulator (PINATA_EMULATOR_BIN).
        .testTarget(
            name: "PinataTests",
            dependencies: ["Pinata", "CPinata"],
            path: "Tests/PinataTests"
        ),
    ]
)
