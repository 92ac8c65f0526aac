package pinata_test

import (
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// The fast path for Pinata's timestamps must read exactly what time.Parse reads, and
// leave every other form to it.
func TestParseTimeMatchesTimeParse(t *testing.T) {
	inputs := []string{
		"2026-12-07T02:15:04.123Z",
		"2026-12-07T02:15:04Z",
		"2026-12-07T02:15:04.1Z",
		"2026-12-07T02:15:04.123456789Z",
		"2026-12-07T02:15:04.1234567891Z", // ten digits
		"2024-02-29T23:59:59.999Z",        // leap day
		"2023-02-29T00:00:00.000Z",        // no such day
		"2026-04-31T00:00:00Z",
		"2026-00-10T00:00:00Z",
		"2026-13-10T00:00:00Z",
		"2026-12-00T00:00:00Z",
		"2026-12-07T24:00:00Z",
		"2026-12-07T23:60:00Z",
		"2026-12-07T23:59:60Z",
		"2026-12-07T02:15:04.Z",
		"2026-12-07T02:15:04,123Z",
		"2026-12-07T02:15:04.12aZ",
		"2026-12-07t02:15:04Z",
		"2026-12-07T02:15:04z",
		"2026-12-07T02:15:04.123+02:00",
		"2026-12-07T02:15:04-05:30",
		"0000-01-01T00:00:00Z",
		"9999-12-31T23:59:59.999999999Z",
		"+026-12-07T02:15:04Z",
		"2026-1a-07T02:15:04Z",
		"2026-12-07 02:15:04Z",
		"2026-12-07T02:15Z",
		"not a time",
		"",
	}
	for _, s := range inputs {
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			want = time.Time{}
		}
		got := pinata.ParseTime(s)
		gotZone, gotOffset := got.Zone()
		wantZone, wantOffset := want.Zone()
		if !got.Equal(want) || gotZone != wantZone || gotOffset != wantOffset ||
			(want.Location() == time.UTC) != (got.Location() == time.UTC) {
			t.Errorf("ParseTime(%q) = %v, time.Parse gives %v", s, got, want)
		}
		if fast, ok := pinata.ParseUTCTime(s); ok && (err != nil || !fast.Equal(want) || fast.Location() != time.UTC) {
			t.Errorf("fast path read %q as %v; time.Parse: %v, %v", s, fast, want, err)
		}
	}
	// The forms Pinata writes take the fast path.
	for _, s := range inputs[:4] {
		if _, ok := pinata.ParseUTCTime(s); !ok {
			t.Errorf("%q missed the fast path", s)
		}
	}
}
