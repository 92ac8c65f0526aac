package pinata

/*
#include "pinata.h"
*/
import "C"

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Client is a configured connection to Pinata. It is safe for concurrent use by many
// goroutines. Close it when done; a finalizer frees a forgotten one, but the GC does
// not see the memory the library holds, so do not rely on it.
type Client struct {
	mu      sync.Mutex
	idle    sync.Cond // signalled when users drops to 0 or the handle is freed
	ptr     *C.pinata_client
	users   int  // calls in flight
	closing bool // Close is waiting for the calls in flight
	// Lowered cancel flags of finished calls, reused by later calls with a
	// cancellable context (pinata_cancel_reset); freed with the handle.
	spareCancels []*C.pinata_cancel
	// The library's call descriptors, registered with the netpoller (stepped.go).
	pollers map[C.int32_t]*poller
}

// maxSpareCancels bounds the cancel flags a Client keeps for reuse.
const maxSpareCancels = 4

type config struct {
	baseURL        string
	allowInsecure  bool
	connectTimeout time.Duration
	requestTimeout time.Duration
	stallTimeout   time.Duration
	maxResponse    uint64
	retries        *uint32
	retryBudget    time.Duration
	backoffBase    time.Duration
	backoffMax     time.Duration
	caBundle       string
	httpVersion    HTTPVersion
	proxy          *string // nil: the environment decides
	uploadURL      string  // the v3 upload host (files.go)
	gateway        string  // WithGateway (download.go)
	gatewayToken   string
}

// HTTPVersion is the HTTP version a Client negotiates (PINATA_HTTP_VERSION_*).
type HTTPVersion int32

const (
	// HTTPVersionAuto lets the library choose per request type (the default).
	HTTPVersionAuto HTTPVersion = C.PINATA_HTTP_VERSION_AUTO
	// HTTP1_1 forces HTTP/1.1 for every call.
	HTTP1_1 HTTPVersion = C.PINATA_HTTP_VERSION_1_1
	// HTTP2 forces HTTP/2 (by ALPN over https://) for every call.
	HTTP2 HTTPVersion = C.PINATA_HTTP_VERSION_2
)

// Option configures a Client at construction.
type Option func(*config)

// WithBaseURL replaces https://api.pinata.cloud (the emulator, a proxy). Plain
// http:// is accepted only for loopback hosts unless WithAllowInsecureHTTP(true).
func WithBaseURL(url string) Option { return func(c *config) { c.baseURL = url } }

// WithAllowInsecureHTTP allows a plain http:// base URL to a host that is not
// loopback. Credentials then travel unencrypted.
func WithAllowInsecureHTTP(allow bool) Option { return func(c *config) { c.allowInsecure = allow } }

// WithConnectTimeout sets the time allowed to connect (default 10s).
func WithConnectTimeout(d time.Duration) Option { return func(c *config) { c.connectTimeout = d } }

// WithRequestTimeout sets the total time of one attempt of a call other than an
// upload (default 60s).
func WithRequestTimeout(d time.Duration) Option { return func(c *config) { c.requestTimeout = d } }

// WithStallTimeout makes an upload fail with ErrTimeout when no byte moves for d
// (default 60s). Uploads have no total limit; use a context deadline for one.
func WithStallTimeout(d time.Duration) Option { return func(c *config) { c.stallTimeout = d } }

// WithMaxResponseBytes caps the answer body a call holds in memory, error answers
// included (default 32 MiB; 0 keeps the default; under 65536 is refused with
// ErrInvalidArgument). A larger answer fails with ErrProtocol and is not retried.
// Downloads have their own caps (DownloadOptions.MaxBytes).
func WithMaxResponseBytes(n uint64) Option { return func(c *config) { c.maxResponse = n } }

// WithRetries sets the retry budget: at most maxRetries retries after the first
// attempt (default 3; 0 turns retries off), all within budget, backoff included
// (default 2m).
func WithRetries(maxRetries uint32, budget time.Duration) Option {
	return func(c *config) { c.retries = &maxRetries; c.retryBudget = budget }
}

// WithBackoff sets the backoff steps: the first retry waits up to base (default
// 500ms), each further one up to twice as long, capped at max (default 30s).
func WithBackoff(base, max time.Duration) Option {
	return func(c *config) { c.backoffBase = base; c.backoffMax = max }
}

// WithCABundle trusts the CA certificates of a PEM file instead of the system store.
func WithCABundle(path string) Option { return func(c *config) { c.caBundle = path } }

// WithHTTPVersion forces an HTTP version (default HTTPVersionAuto: the library's choice).
func WithHTTPVersion(v HTTPVersion) Option { return func(c *config) { c.httpVersion = v } }

// WithProxy sends every call through this proxy, "http://[user:password@]host:port"
// (also https://, socks5://, socks5h://); no_proxy from the environment still applies.
// Without it, the environment decides (https_proxy, http_proxy, all_proxy, no_proxy).
// Credentials in the URL never appear in errors.
func WithProxy(url string) Option { return func(c *config) { c.proxy = &url } }

// WithoutProxy connects directly, whatever the environment's proxy variables say.
func WithoutProxy() Option {
	none := ""
	return func(c *config) { c.proxy = &none }
}

// millis converts a duration for the C API: a positive duration below 1ms becomes
// 1ms; 0 and negative durations become 0 (which the library rejects where it must).
func millis(d time.Duration) C.uint64_t {
	if d <= 0 {
		return 0
	}
	if d < time.Millisecond {
		return 1
	}
	return C.uint64_t(d.Milliseconds())
}

// NewClientJWT makes a client that authenticates with a JWT.
func NewClientJWT(jwt string, opts ...Option) (*Client, error) {
	var a cstrings
	defer a.free()
	j := a.str("jwt", jwt)
	if a.err != nil {
		return nil, a.err
	}
	var ptr *C.pinata_client
	var cerr *C.pinata_error
	if st := C.pinata_client_new_jwt(j, &ptr, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	return newClient(ptr, opts)
}

// NewClientKeys makes a client that authenticates with an API key and its secret.
func NewClientKeys(apiKey, secret string, opts ...Option) (*Client, error) {
	var a cstrings
	defer a.free()
	k := a.str("api_key", apiKey)
	s := a.str("secret_api_key", secret)
	if a.err != nil {
		return nil, a.err
	}
	var ptr *C.pinata_client
	var cerr *C.pinata_error
	if st := C.pinata_client_new_keys(k, s, &ptr, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	return newClient(ptr, opts)
}

// newClient applies the options to a fresh handle (nobody else sees it yet, so the
// setters have the exclusive access they need) and wraps it.
func newClient(ptr *C.pinata_client, opts []Option) (*Client, error) {
	var cfg config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if err := configure(ptr, &cfg); err != nil {
		C.pinata_client_free(ptr)
		return nil, err
	}
	c := &Client{ptr: ptr}
	c.idle.L = &c.mu
	liveHandles.Add(1)
	runtime.SetFinalizer(c, func(c *Client) {
		if c.free() {
			finalizedHandles.Add(1)
		}
	})
	return c, nil
}

func configure(ptr *C.pinata_client, cfg *config) error {
	var a cstrings
	defer a.free()
	var cerr *C.pinata_error
	check := func(st C.pinata_status) error {
		if st != C.PINATA_OK {
			return takeError(st, cerr)
		}
		return nil
	}
	if cfg.allowInsecure {
		if err := check(C.pinata_client_set_allow_insecure_http(ptr, true, &cerr)); err != nil {
			return err
		}
	}
	if cfg.baseURL != "" {
		u := a.str("base_url", cfg.baseURL)
		if a.err != nil {
			return a.err
		}
		if err := check(C.pinata_client_set_base_url(ptr, u, &cerr)); err != nil {
			return err
		}
	}
	if cfg.uploadURL != "" {
		if err := setUploadURL(ptr, cfg.uploadURL); err != nil {
			return err
		}
	}
	if cfg.connectTimeout != 0 {
		if err := check(C.pinata_client_set_connect_timeout_ms(ptr, millis(cfg.connectTimeout), &cerr)); err != nil {
			return err
		}
	}
	if cfg.requestTimeout != 0 {
		if err := check(C.pinata_client_set_request_timeout_ms(ptr, millis(cfg.requestTimeout), &cerr)); err != nil {
			return err
		}
	}
	if cfg.stallTimeout != 0 {
		if err := check(C.pinata_client_set_stall_timeout_ms(ptr, millis(cfg.stallTimeout), &cerr)); err != nil {
			return err
		}
	}
	if cfg.maxResponse != 0 {
		if err := check(C.pinata_client_set_max_response_bytes(ptr, C.uint64_t(cfg.maxResponse), &cerr)); err != nil {
			return err
		}
	}
	if cfg.retries != nil {
		budget := millis(cfg.retryBudget)
		if cfg.retryBudget == 0 {
			budget = 120000
		}
		if err := check(C.pinata_client_set_retry_policy(ptr, C.uint32_t(*cfg.retries), budget, &cerr)); err != nil {
			return err
		}
	}
	if cfg.backoffBase != 0 || cfg.backoffMax != 0 {
		base, max := cfg.backoffBase, cfg.backoffMax
		if base == 0 {
			base = 500 * time.Millisecond
		}
		if max == 0 {
			max = 30 * time.Second
		}
		if err := check(C.pinata_client_set_backoff_ms(ptr, millis(base), millis(max), &cerr)); err != nil {
			return err
		}
	}
	if cfg.caBundle != "" {
		p := a.str("ca_bundle", cfg.caBundle)
		if a.err != nil {
			return a.err
		}
		if err := check(C.pinata_client_set_ca_bundle(ptr, p, &cerr)); err != nil {
			return err
		}
	}
	if cfg.httpVersion != HTTPVersionAuto {
		if err := check(C.pinata_client_set_http_version(ptr, C.int32_t(cfg.httpVersion), &cerr)); err != nil {
			return err
		}
	}
	if cfg.proxy != nil {
		p := a.str("proxy", *cfg.proxy)
		if a.err != nil {
			return a.err
		}
		if err := check(C.pinata_client_set_proxy(ptr, p, &cerr)); err != nil {
			return err
		}
	}
	return configureGateway(ptr, cfg)
}

// Close frees the client. It waits for the calls in flight to return; calls made
// afterwards fail with an error wrapping ErrClosed. Calling Close again does nothing.
// Iterators made by the client stay usable: they hold their own reference.
func (c *Client) Close() error {
	c.free()
	return nil
}

// free releases the handle; true when this call released it.
func (c *Client) free() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing { // another Close is waiting for the calls in flight
		for c.ptr != nil {
			c.idle.Wait()
		}
		return false
	}
	if c.ptr == nil {
		return false
	}
	c.closing = true
	for c.users > 0 {
		c.idle.Wait()
	}
	c.closePollers()
	C.pinata_client_free(c.ptr)
	c.ptr = nil
	for _, f := range c.spareCancels {
		C.pinata_cancel_free(f)
	}
	c.spareCancels = nil
	c.closing = false
	liveHandles.Add(-1)
	runtime.SetFinalizer(c, nil)
	c.idle.Broadcast()
	return true
}

// acquire marks a call in flight and returns the handle; release ends it. A
// closed (or closing) client gives ErrClosed rather than blocking, so a call made
// from a progress callback while Close waits cannot deadlock.
func (c *Client) acquire() (*C.pinata_client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr == nil || c.closing {
		return nil, closedError("client")
	}
	c.users++
	return c.ptr, nil
}

func (c *Client) release() {
	c.mu.Lock()
	c.users--
	if c.users == 0 && c.closing {
		c.idle.Broadcast()
	}
	c.mu.Unlock()
}

// call is one call tied to a context. When the context can be done, the call runs
// on a derived client (pinata_client_with_cancel) whose cancel flag a watcher raises
// when the context is done; otherwise it runs on the client itself.
type call struct {
	c       *Client
	ctx     context.Context
	cl      *C.pinata_client // the handle to pass to the library
	derived *C.pinata_client
	cancel  *C.pinata_cancel
	stop    func() bool   // unregisters the watcher
	fired   chan struct{} // closed when the watcher has run
	// The poller a stepped call is parked on, which the watcher wakes, and whether
	// the watcher has raised the cancel flag (stepped.go).
	wake      atomic.Pointer[poller]
	cancelled atomic.Bool
	stepping  stepping
}

// callText runs one C call that takes the client and a single text argument and
// returns nothing but its status (revoke a key, unpin a CID).
func (c *Client) callText(ctx context.Context, name, value string,
	fn func(cl *C.pinata_client, text *C.char, cerr **C.pinata_error) C.pinata_status) error {
	var a cstrings
	defer a.free()
	text := a.str(name, value)
	if a.err != nil {
		return a.err
	}
	k, err := c.begin(ctx)
	if err != nil {
		return err
	}
	defer k.end()
	var cerr *C.pinata_error
	if st := fn(k.cl, text, &cerr); st != C.PINATA_OK {
		return k.fail(st, cerr)
	}
	return nil
}

func (c *Client) begin(ctx context.Context) (*call, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if ctx.Err() != nil {
		return nil, contextError(ctx)
	}
	ptr, err := c.acquire()
	if err != nil {
		return nil, err
	}
	k := callPool.Get().(*call)
	k.c, k.ctx, k.cl = c, ctx, ptr
	if ctx.Done() == nil {
		return k, nil
	}
	if err := k.attachCancel(ptr); err != nil {
		c.release()
		k.recycle()
		return nil, err
	}
	k.cl = k.derived
	return k, nil
}

// attachCancel makes the cancel flag, the derived client and the watcher.
func (k *call) attachCancel(ptr *C.pinata_client) error {
	var cerr *C.pinata_error
	if k.cancel = k.c.takeSpareCancel(); k.cancel == nil {
		if st := C.pinata_cancel_new(&k.cancel, &cerr); st != C.PINATA_OK {
			return takeError(st, cerr)
		}
	}
	if st := C.pinata_client_with_cancel(ptr, k.cancel, &k.derived, &cerr); st != C.PINATA_OK {
		C.pinata_cancel_free(k.cancel)
		k.cancel = nil
		return takeError(st, cerr)
	}
	cancel, fired := k.cancel, make(chan struct{})
	k.fired = fired
	// context.AfterFunc runs the function in its own goroutine once ctx is done.
	k.stop = context.AfterFunc(k.ctx, func() {
		C.pinata_cancel_request(cancel)
		k.cancelled.Store(true)
		wakeOnCancel(&k.wake)
		close(fired)
	})
	return nil
}

// detach unregisters the watcher, waiting for it if it already started, and frees
// the cancel flag and the derived client.
func (k *call) detach() {
	if k.cancel == nil {
		return // a context that is never done: nothing was attached
	}
	if k.stop != nil && !k.stop() {
		<-k.fired
	}
	k.stop = nil
	C.pinata_client_free(k.derived)
	k.c.putSpareCancel(k.cancel)
	k.derived, k.cancel = nil, nil
}

// takeSpareCancel returns a lowered cancel flag a finished call left, or nil.
func (c *Client) takeSpareCancel() *C.pinata_cancel {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.spareCancels)
	if n == 0 {
		return nil
	}
	f := c.spareCancels[n-1]
	c.spareCancels = c.spareCancels[:n-1]
	return f
}

// putSpareCancel lowers a flag no watcher can raise any more (detach waited for it)
// and keeps it for a later call, or frees it when the Client is closed or has enough.
func (c *Client) putSpareCancel(f *C.pinata_cancel) {
	if f == nil {
		return
	}
	C.pinata_cancel_reset(f)
	c.mu.Lock()
	keep := c.ptr != nil && !c.closing && len(c.spareCancels) < maxSpareCancels
	if keep {
		c.spareCancels = append(c.spareCancels, f)
	}
	c.mu.Unlock()
	if !keep {
		C.pinata_cancel_free(f)
	}
}

func (k *call) end() {
	k.detach()
	k.c.release()
	runtime.KeepAlive(k.c)
	k.recycle()
}

// callPool keeps finished calls for later ones: a call and the step function bound to
// it (stepping.readFn) are two allocations per request otherwise.
var callPool = sync.Pool{New: func() any { return new(call) }}

// recycle clears k and returns it to callPool. Nothing refers to k any more: end
// runs last in the call's function, and detach waited for the context's watcher.
func (k *call) recycle() {
	k.c, k.ctx, k.cl, k.derived, k.cancel = nil, nil, nil, nil, nil
	k.stop, k.fired = nil, nil
	k.wake.Store(nil)
	k.cancelled.Store(false)
	k.stepping = stepping{readFn: k.stepping.readFn}
	callPool.Put(k)
}

// fail converts a failed status, linking a cancellation to the context's error.
func (k *call) fail(st C.pinata_status, cerr *C.pinata_error) error {
	e := takeError(st, cerr)
	if e.Status == StatusCancelled && k.ctx.Err() != nil {
		e.cause = k.ctx.Err()
	}
	return e
}

// TestAuth checks the credentials (GET /data/testAuthentication) and returns the
// server's message. Bad credentials give ErrUnauthorized.
func (c *Client) TestAuth(ctx context.Context) (string, error) {
	k, err := c.begin(ctx)
	if err != nil {
		return "", err
	}
	defer k.end()
	return k.testAuth()
}

// Usage is the account's pinned data totals.
type Usage struct {
	PinCount            uint64
	PinSizeTotal        uint64 // bytes
	PinSizeWithReplicas uint64 // bytes, replications included
}

// Usage returns the account's totals (GET /data/userPinnedDataTotal).
func (c *Client) Usage(ctx context.Context) (Usage, error) {
	k, err := c.begin(ctx)
	if err != nil {
		return Usage{}, err
	}
	defer k.end()
	var count, size, repl C.uint64_t
	var cerr *C.pinata_error
	if st := C.pinata_usage(k.cl, &count, &size, &repl, &cerr); st != C.PINATA_OK {
		return Usage{}, k.fail(st, cerr)
	}
	return Usage{PinCount: uint64(count), PinSizeTotal: uint64(size), PinSizeWithReplicas: uint64(repl)}, nil
}
