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
// library target below asks pkg-config for "pinata" and uses its -I/-L flags
// (`make install FLAVOR=bundled` installs the flavour that needs no system libcurl).
//
// iOS and macOS: when CPinataBundled.xcframework (the bundled flavour: libcurl, rustls,
// nghttp2 and zlib built in; made as docs/building-for-apps.md says) sits beside this
// file, Apple platforms link it instead of an installed libpinata: iOS has no libcurl
// to link, and on macOS it gives the same TLS stack and trust rules as on iOS.
// See README.md.

import Foundation
import PackageDescription

let apple: [Platform] = [.iOS, .macOS]
let haveXCFramework = FileManager.default.fileExists(
    atPath: Context.packageDirectory + "/CPinataBundled.xcframework")

// The C module: pkg-config's libpinata everywhere, or the XCFramework on Apple platforms.
var cTargets: [Target] = [
    // A module map over a shim header that includes pinata.h, and `link "pinata"`.
    .systemLibrary(
        name: "CPinata",
        path: "Sources/CPinata",
        pkgConfig: "pinata"
    ),
]
var cDependencies: [Target.Dependency] = ["CPinata"]
var linkerSettings: [LinkerSetting] = []
if haveXCFramework {
    // Its headers carry a module map of the same module name, CPinata.
    cTargets.append(.binaryTarget(name: "CPinataBundled", path: "CPinataBundled.xcframework"))
    cDependencies = [
        .target(name: "CPinata", condition: .when(platforms: [.linux])),
        .target(name: "CPinataBundled", condition: .when(platforms: apple)),
    ]
    // What the bundled libcurl and the platform verifier call (curl-sys names them).
    linkerSettings = [
        .linkedFramework("Security", .when(platforms: apple)),
        .linkedFramework("CoreFoundation", .when(platforms: apple)),
        .linkedFramework("SystemConfiguration", .when(platforms: apple)),
        .linkedFramework("CoreServices", .when(platforms: [.macOS])),
        .linkedLibrary("resolv", .when(platforms: apple)),
    ]
}

let package = Package(
    name: "Pinata",
    platforms: [.macOS(.v12), .iOS(.v13)],
    products: [
        .library(name: "Pinata", targets: ["Pinata"]),
    ],
    targets: cTargets + [
        // The Swift wrapper.
        .target(
            name: "Pinata",
            dependencies: cDependencies,
            path: "Sources/Pinata",
            linkerSettings: linkerSettings
        ),
        // XCTest suite against pinata-emulator (PINATA_EMULATOR_BIN).
        .testTarget(
            name: "PinataTests",
            dependencies: ["Pinata"] + cDependencies,
            path: "Tests/PinataTests"
        ),
    ]
)
