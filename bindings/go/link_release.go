//go:build pinata_release && !pinata_custom

package pinata

// With `-tags pinata_release`: link the static library of the release build
// (`cargo build --release`, target/release/libpinata.a).

// #cgo LDFLAGS: ${SRCDIR}/../../target/release/libpinata.a -lcurl -lgcc_s -lutil -lrt -lpthread -lm -ldl
import "C"
