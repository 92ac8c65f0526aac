package pinata_test

import (
	"errors"
	"path/filepath"
	"testing"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// profileFile writes 2 MiB of pseudo-random bytes (seeded), large enough for kubo v1
// (256 KiB chunks) and unixfs-v1-2025 (1 MiB chunks) to give different CIDs.
func profileFile(t *testing.T, name string, seed uint32) string {
	t.Helper()
	data := make([]byte, 2<<20)
	x := seed*2654435761 + 1
	for i := range data {
		x = x*1103515245 + 12345
		data[i] = byte(x >> 16)
	}
	path := filepath.Join(t.TempDir(), name)
	writeFile(t, path, data)
	return path
}

// The profile a CID check matched, how many profiles it hashed, and the v1 profile a
// client learns (pinata_pin_result_cid_profile, _profiles_hashed,
// pinata_client_learned_cid_profile).
func TestCIDProfilesAndLearning(t *testing.T) {
	c := newClient(t)
	other := newClient(t)
	a, b := profileFile(t, "a.bin", 1), profileFile(t, "b.bin", 2)
	v1 := &pinata.PinOptions{CIDVersion: pinata.Int(1)}
	pin := func(path string, o *pinata.PinOptions) *pinata.PinResult {
		t.Helper()
		r, err := c.PinFile(ctxT(t), path, o)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if p := c.LearnedCIDProfile(); p != pinata.CIDProfileNone {
		t.Fatalf("a new client learned %v", p)
	}

	// First v1 check: both v1 profiles hashed, kubo v1 matches and is learned (the call
	// ran on a derived client, for its cancellable context: the lesson is shared).
	r := pin(a, v1)
	if r.CIDCheck != pinata.CIDVerified || r.CIDProfile != pinata.CIDProfileKuboV1 || r.ProfilesHashed != 2 {
		t.Fatalf("first v1 upload: check %v, profile %v, %d hashed", r.CIDCheck, r.CIDProfile, r.ProfilesHashed)
	}
	firstCID := r.CID
	if p := c.LearnedCIDProfile(); p != pinata.CIDProfileKuboV1 || p.String() != "kubo-v1" {
		t.Fatalf("learned %v after a kubo v1 match", p)
	}
	if p := other.LearnedCIDProfile(); p != pinata.CIDProfileNone {
		t.Fatalf("another client learned %v", p)
	}
	// Then only the learned profile is hashed.
	if r := pin(b, v1); r.CIDProfile != pinata.CIDProfileKuboV1 || r.ProfilesHashed != 1 {
		t.Fatalf("second v1 upload: profile %v, %d hashed", r.CIDProfile, r.ProfilesHashed)
	}

	// An answer no profile explains (a's CID for b's bytes): unverifiable, nothing
	// matched, nothing stays learned.
	fault(t, map[string]any{"path": "/pinning/pinFileToIPFS", "kind": "status", "status": 200, "times": 1,
		"body": map[string]any{"IpfsHash": firstCID, "PinSize": 2 << 20, "Timestamp": "2026-12-06T00:00:00Z"}})
	if r := pin(b, v1); r.CIDCheck != pinata.CIDUnverifiable || r.CIDProfile != pinata.CIDProfileNone || r.ProfilesHashed != 2 {
		t.Fatalf("unexplained answer: check %v, profile %v, %d hashed", r.CIDCheck, r.CIDProfile, r.ProfilesHashed)
	}
	if p := c.LearnedCIDProfile(); p != pinata.CIDProfileNone {
		t.Fatalf("still learned %v after an unexplained answer", p)
	}

	// v0: one profile; the check off: none.
	if r := pin(a, nil); r.CIDProfile != pinata.CIDProfileKuboV0 || r.ProfilesHashed != 1 {
		t.Fatalf("v0 upload: profile %v, %d hashed", r.CIDProfile, r.ProfilesHashed)
	}
	off := &pinata.PinOptions{CIDVersion: pinata.Int(1), VerifyCID: pinata.Bool(false)}
	if r := pin(a, off); r.CIDCheck != pinata.CIDNotChecked || r.CIDProfile != pinata.CIDProfileNone || r.ProfilesHashed != 0 {
		t.Fatalf("unchecked upload: check %v, profile %v, %d hashed", r.CIDCheck, r.CIDProfile, r.ProfilesHashed)
	}
	if pinata.CIDProfileUnixFSV1_2025.String() != "unixfs-v1-2025" || pinata.CIDProfile(9).String() != "CIDProfile(9)" {
		t.Fatal("CIDProfile.String")
	}

	// A closed client has learned nothing (and does not block).
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if p := c.LearnedCIDProfile(); p != pinata.CIDProfileNone {
		t.Fatalf("a closed client reports %v", p)
	}
	if _, err := c.PinFile(ctxT(t), a, nil); !errors.Is(err, pinata.ErrClosed) {
		t.Fatalf("pin on a closed client: %v", err)
	}
}
