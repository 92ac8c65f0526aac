//go:build pinata_repo && !pinata_repo_release && !pinata_custom

package pinata

// With `-tags pinata_repo`: inside this repository, linked statically with the debug
// build, for the project's own tests and examples. `make target/debug/pinata-static.pc`
// (done by `make test-go` and bindings/go/test.sh) describes target/debug/libpinata.a,
// include/ and the system libraries this build of libpinata.a needs.

// #cgo pkg-config: ${SRCDIR}/../../target/debug/pinata-static.pc
import "C"
