//go:build pinata_bundled && !pinata_bundled_debug && !pinata_static && !pinata_repo && !pinata_repo_release && !pinata_custom

package pinata

// With `-tags pinata_bundled`: inside this repository, linked statically with the
// bundled flavour's release build (libcurl, rustls, nghttp2 and zlib built in; `make
// target/bundled/release/pinata-static.pc`, which runs `make bundled-release`). The
// program then needs nothing beyond libc, libm, libpthread, libdl and libgcc_s: no
// libpinata.so, no libcurl, no OpenSSL. For an installed bundled flavour (`make install
// FLAVOR=bundled`), `-tags pinata_static` gives the same.

// #cgo pkg-config: ${SRCDIR}/../../target/bundled/release/pinata-static.pc
import "C"
