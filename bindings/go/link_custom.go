//go:build pinata_custom

package pinata

// With `-tags pinata_custom` the package adds no linker flags: the caller supplies
// them through CGO_LDFLAGS, for example
//
//	CGO_LDFLAGS="$PINATA_LIB_DIR/libpinata.a -lcurl -lgcc_s -lutil -lrt -lpthread -lm -ldl"
//
// (static) or CGO_LDFLAGS="-L$PINATA_LIB_DIR -Wl,-rpath,$PINATA_LIB_DIR -lpinata"
// (shared). CGO_CFLAGS="-I<dir>" may point at another pinata.h.

import "C"
