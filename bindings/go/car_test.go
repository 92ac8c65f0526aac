package pinata_test

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// oneBlockCAR is a CARv1 holding data as one raw block (CIDv1, sha2-256) named as its
// single root; it returns the CAR and the root's text.
func oneBlockCAR(data []byte) ([]byte, string) {
	sum := sha256.Sum256(data)
	cid := append([]byte{0x01, 0x55, 0x12, 0x20}, sum[:]...)
	// DAG-CBOR {"roots": [tag 42 (0x00 ‖ cid)], "version": 1}
	h := []byte{0xa2, 0x65}
	h = append(h, "roots"...)
	h = append(h, 0x81, 0xd8, 0x2a, 0x58, byte(len(cid)+1), 0x00)
	h = append(h, cid...)
	h = append(h, 0x67)
	h = append(h, "version"...)
	h = append(h, 0x01)
	car := binary.AppendUvarint(nil, uint64(len(h)))
	car = append(car, h...)
	car = binary.AppendUvarint(car, uint64(len(cid)+len(data)))
	car = append(car, cid...)
	car = append(car, data...)
	text := "b" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(cid))
	return car, text
}

func TestV3CARUpload(t *testing.T) {
	ctx := ctxT(t)
	c := v3Client(t)
	data := []byte("a CAR from the Go binding " + time.Now().Format(time.RFC3339Nano))
	car, root := oneBlockCAR(data)
	opts := &pinata.UploadOptions{Network: pinata.NetworkPublic, Car: true}
	r, err := c.UploadBytes(ctx, car, "go.car", opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.File.CID != root || r.LocalCID != root || r.CIDCheck != pinata.CIDVerified {
		t.Fatalf("CAR upload: %+v (root %s)", r, root)
	}
	// The same bytes uploaded as a plain file have the root's CID too (one raw block).
	plain, err := c.UploadBytes(ctx, data, "go.txt", &pinata.UploadOptions{Network: pinata.NetworkPublic})
	if err != nil || plain.File.CID != root || !plain.File.IsDuplicate {
		t.Fatalf("plain upload of the block's bytes: %+v %v", plain, err)
	}
	// A flipped byte: the emulator refuses the block; not a CAR: refused locally.
	bad := append([]byte(nil), car...)
	bad[len(bad)-1] ^= 1
	if _, err := c.UploadBytes(ctx, bad, "bad.car", opts); !errors.Is(err, pinata.ErrBadRequest) ||
		!strings.Contains(err.Error(), "does not match its CID") {
		t.Fatalf("tampered CAR: %v", err)
	}
	if _, err := c.UploadBytes(ctx, data, "x.car", opts); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("not a CAR: %v", err)
	}
}
