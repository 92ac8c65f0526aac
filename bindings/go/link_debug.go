//go:build !pinata_custom && !pinata_release

package pinata

// Default: link the static library of the repository's debug build
// (`cargo build --workspace` leaves it in target/debug), so a Go program has no
// run-time dependency on libpinata.so. Only the system libraries it uses (libcurl,
// libgcc_s, libc...) are linked dynamically. See README.md for the other modes.

// #cgo LDFLAGS: ${SRCDIR}/../../target/debug/libpinata.a -lcurl -lgcc_s -lutil -lrt -lpthread -lm -ldl
import "C"
