//go:build pinata_custom

package pinata

// With `-tags pinata_custom` the package adds no compiler or linker flags: the caller
// supplies them through CGO_CFLAGS and CGO_LDFLAGS, for example
//
//	CGO_CFLAGS="-I$PINATA_INCLUDE_DIR"
//	CGO_LDFLAGS="-L$PINATA_LIB_DIR -Wl,-rpath,$PINATA_LIB_DIR -lpinata"
//
// (shared), or for static linking CGO_LDFLAGS="$PINATA_LIB_DIR/libpinata.a" followed by
// the system libraries of `pkg-config --libs pinata-static` (they depend on how
// libpinata was built).

import "C"
