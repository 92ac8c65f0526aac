//go:build pinata_bundled_debug && !pinata_static && !pinata_repo && !pinata_repo_release && !pinata_custom

package pinata

// With `-tags pinata_bundled_debug`: as pinata_bundled, with the bundled flavour's
// debug build (`make target/bundled/debug/pinata-static.pc`), for this repository's
// tests (`make test-bundled`).

// #cgo pkg-config: ${SRCDIR}/../../target/bundled/debug/pinata-static.pc
import "C"
