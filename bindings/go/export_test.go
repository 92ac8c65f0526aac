package pinata

// Test-only access to the handle accounting.

// LiveHandles is the number of library handles currently owned by Go values.
func LiveHandles() int64 { return liveHandles.Load() }

// FinalizedHandles is the number of handles a finalizer (not Close) released.
func FinalizedHandles() int64 { return finalizedHandles.Load() }

// SpareCancels is the number of lowered cancel flags c keeps for reuse.
func SpareCancels(c *Client) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.spareCancels)
}

// ParseTime and ParseUTCTime are parseTime and its fast path.
var (
	ParseTime    = parseTime
	ParseUTCTime = parseUTCTime
)
