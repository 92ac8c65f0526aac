//go:build !pinata_static && !pinata_repo && !pinata_repo_release && !pinata_custom && !pinata_bundled && !pinata_bundled_debug

package pinata

// Default: an installed libpinata found through pkg-config (`make install
// PREFIX=<prefix>` writes <prefix>/lib/pkgconfig/pinata.pc; point PKG_CONFIG_PATH at it
// for a prefix pkg-config does not search). This links libpinata.so, so the program
// needs it at run time (ldconfig, LD_LIBRARY_PATH or an rpath). `-tags pinata_static`
// links the static library instead. See README.md for every mode.

// #cgo pkg-config: pinata
import "C"
