//! Generates the C header from `src/ffi` with cbindgen (pinned in Cargo.toml).
//!
//! The header is written to `$OUT_DIR/pinata.h` and, when `PINATA_HEADER_OUT` is set,
//! also copied there (the Makefile uses that to compare with or refresh the committed
//! `include/pinata.h`).

use std::env;
use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=PINATA_HEADER_OUT");

    let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap();
    let minor = env::var("CARGO_PKG_VERSION_MINOR").unwrap();
    let patch = env::var("CARGO_PKG_VERSION_PATCH").unwrap();

    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable");
    config.after_includes = Some(format!(
        "\n/* The version of this header; pinata_version() gives the library's. */\n\
         #define PINATA_VERSION_MAJOR {major}\n\
         #define PINATA_VERSION_MINOR {minor}\n\
         #define PINATA_VERSION_PATCH {patch}\n\
         #define PINATA_VERSION_STRING \"{major}.{minor}.{patch}\"\n\
         /* (major << 16) | (minor << 8) | patch, as pinata_version_number() returns. */\n\
         #define PINATA_VERSION_NUMBER ((PINATA_VERSION_MAJOR << 16) | (PINATA_VERSION_MINOR << 8) | PINATA_VERSION_PATCH)\n\
         /* True when this header is at least version (maj, min, pat). */\n\
         #define PINATA_VERSION_AT_LEAST(maj, min, pat) (PINATA_VERSION_NUMBER >= (((maj) << 16) | ((min) << 8) | (pat)))\n"
    ));

    let header = out_dir.join("pinata.h");
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/ffi/mod.rs"))
        .generate()
        .expect("cbindgen could not generate the header")
        .write_to_file(&header);

    if let Ok(dest) = env::var("PINATA_HEADER_OUT") {
        std::fs::copy(&header, &dest).expect("PINATA_HEADER_OUT is writable");
    }
    println!("cargo:include={}", out_dir.display());

    // A deliberate SONAME: before 1.0 every minor version may break the ABI, so the
    // SONAME carries major.minor (as cargo-c does).
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libpinata.so.{major}.{minor}");
    }
}
