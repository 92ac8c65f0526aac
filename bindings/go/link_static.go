//go:build pinata_static && !pinata_repo && !pinata_repo_release && !pinata_custom

package pinata

// With `-tags pinata_static`: an installed libpinata linked statically, through
// pinata-static.pc, which `make install` writes beside pinata.pc. Its Libs name
// libpinata.a itself, then the system libraries it needs (`--static` with pinata.pc
// would still give -lpinata, which the linker resolves to libpinata.so). The program
// then has no run-time dependency on libpinata.so.

// #cgo pkg-config: pinata-static
import "C"
