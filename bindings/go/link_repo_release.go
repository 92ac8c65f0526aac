//go:build pinata_repo_release && !pinata_custom

package pinata

// With `-tags pinata_repo_release`: as pinata_repo, with the release build
// (`make target/release/pinata-static.pc`, which runs `make release`).

// #cgo pkg-config: ${SRCDIR}/../../target/release/pinata-static.pc
import "C"
