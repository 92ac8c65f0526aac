package pinata

/*
#include <stdint.h>
#include "pinata.h"

// Defined in callback.go (//export); userdata carries a runtime/cgo.Handle.
extern int32_t pinataGoProgress(uint64_t sent, uint64_t total, uintptr_t handle);

static int32_t pinata_go_download_progress(uint64_t got, uint64_t total, void *userdata) {
	return pinataGoProgress(got, total, (uintptr_t)userdata);
}

static pinata_status pinata_go_download_set_progress(pinata_download_options *options,
                                                     uintptr_t handle, pinata_error **err_out) {
	return pinata_download_options_set_progress(options, pinata_go_download_progress,
	                                            (void *)handle, err_out);
}
*/
import "C"

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime/cgo"
	"unsafe"
)

// DownloadMethod says how a download fetches (PINATA_DOWNLOAD_*).
type DownloadMethod int32

const (
	// DownloadAuto tries a CAR, then raw blocks, then plain bytes (the default). In a
	// result: nothing was fetched (an identity CID carries its own bytes).
	DownloadAuto DownloadMethod = C.PINATA_DOWNLOAD_AUTO
	// DownloadCAR asks only for a trustless CAR.
	DownloadCAR DownloadMethod = C.PINATA_DOWNLOAD_CAR
	// DownloadRaw asks only for raw blocks, one request each.
	DownloadRaw DownloadMethod = C.PINATA_DOWNLOAD_RAW
	// DownloadPlain asks only for plain bytes, whose CID is recomputed (files only).
	DownloadPlain DownloadMethod = C.PINATA_DOWNLOAD_PLAIN
)

// Verification says how downloaded content was checked.
type Verification int32

const (
	// VerifiedBlocks: every block's hash was checked against its CID.
	VerifiedBlocks Verification = C.PINATA_DOWNLOAD_VERIFIED_BLOCKS
	// VerifiedRecomputed: plain bytes whose recomputed CID equals the requested one.
	VerifiedRecomputed Verification = C.PINATA_DOWNLOAD_VERIFIED_RECOMPUTED
	// Unverifiable: plain bytes no import profile could check, kept because
	// DownloadOptions.AcceptUnverifiable was set.
	Unverifiable Verification = C.PINATA_DOWNLOAD_UNVERIFIABLE
)

// DownloadOptions are the options of a download; nil gives the defaults.
type DownloadOptions struct {
	// Method is how to fetch (default DownloadAuto).
	Method DownloadMethod
	// AcceptUnverifiable keeps plain bytes that no import profile can check
	// (default: refused with ErrIntegrity).
	AcceptUnverifiable bool
	// MaxSpillBytes bounds the disk space for blocks kept for later: those that arrive
	// before the blocks that reference them, and inner nodes and directories (0: the
	// library's default, 1 GiB).
	MaxSpillBytes uint64
	// MaxBytes caps the content, all files together (0: no cap). A few kilobytes of
	// blocks can describe terabytes: set it for a CID from someone you do not trust.
	// Past it the download fails with ErrProtocol and leaves nothing.
	MaxBytes uint64
	// MaxEntries caps the files and directories made, the destination counted (0: no
	// cap).
	MaxEntries uint64
	// Progress, when set, is called on the calling goroutine with the bytes received
	// and the expected total (0 when unknown). Return false to stop (ErrCancelled).
	Progress func(got, total uint64) bool
}

// Download is what a finished download did.
type Download struct {
	Bytes, Files, Blocks uint64
	IsDir                bool
	Method               DownloadMethod
	Verified             Verification
}

// WithGateway sets the IPFS gateway downloads use: a domain (example.mypinata.cloud)
// or a base URL, and the dedicated gateway's access token ("" for none). The default
// is https://gateway.pinata.cloud.
func WithGateway(gateway, token string) Option {
	return func(c *config) {
		c.gateway = gateway
		c.gatewayToken = token
	}
}

// configureGateway applies WithGateway (called by configure).
func configureGateway(ptr *C.pinata_client, cfg *config) error {
	if cfg.gateway == "" {
		return nil
	}
	var a cstrings
	defer a.free()
	g := a.str("gateway", cfg.gateway)
	var t *C.char
	if cfg.gatewayToken != "" {
		t = a.str("token", cfg.gatewayToken)
	}
	if a.err != nil {
		return a.err
	}
	var cerr *C.pinata_error
	if st := C.pinata_client_set_gateway(ptr, g, t, &cerr); st != C.PINATA_OK {
		return takeError(st, cerr)
	}
	return nil
}

type cDownloadOptions struct {
	ptr    *C.pinata_download_options
	prog   *progress
	handle cgo.Handle
}

func newCDownloadOptions(o *DownloadOptions) (*cDownloadOptions, error) {
	co := &cDownloadOptions{}
	var cerr *C.pinata_error
	if st := C.pinata_download_options_new(&co.ptr, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	if o == nil {
		return co, nil
	}
	check := func(st C.pinata_status) error {
		if st != C.PINATA_OK {
			co.free()
			return takeError(st, cerr)
		}
		return nil
	}
	if err := check(C.pinata_download_options_set_method(co.ptr, C.int32_t(o.Method), &cerr)); err != nil {
		return nil, err
	}
	if err := check(C.pinata_download_options_set_accept_unverifiable(co.ptr, C.bool(o.AcceptUnverifiable), &cerr)); err != nil {
		return nil, err
	}
	if o.MaxSpillBytes != 0 {
		if err := check(C.pinata_download_options_set_max_spill(co.ptr, C.uint64_t(o.MaxSpillBytes), &cerr)); err != nil {
			return nil, err
		}
	}
	if err := check(C.pinata_download_options_set_max_bytes(co.ptr, C.uint64_t(o.MaxBytes), &cerr)); err != nil {
		return nil, err
	}
	if err := check(C.pinata_download_options_set_max_entries(co.ptr, C.uint64_t(o.MaxEntries), &cerr)); err != nil {
		return nil, err
	}
	if o.Progress != nil {
		co.prog = &progress{fn: o.Progress}
		co.handle = cgo.NewHandle(co.prog)
		if err := check(C.pinata_go_download_set_progress(co.ptr, C.uintptr_t(co.handle), &cerr)); err != nil {
			return nil, err
		}
	}
	return co, nil
}

func (o *cDownloadOptions) free() {
	if o == nil {
		return
	}
	C.pinata_download_options_free(o.ptr)
	o.ptr = nil
	if o.handle != 0 {
		o.handle.Delete()
		o.handle = 0
	}
}

func (o *cDownloadOptions) rethrow() {
	if o != nil && o.prog != nil && o.prog.panicked {
		panic(o.prog.panicVal)
	}
}

func copyDownload(r *C.pinata_download_result) *Download {
	return &Download{
		Bytes:    uint64(C.pinata_download_result_bytes(r)),
		Files:    uint64(C.pinata_download_result_files(r)),
		Blocks:   uint64(C.pinata_download_result_blocks(r)),
		IsDir:    bool(C.pinata_download_result_is_dir(r)),
		Method:   DownloadMethod(C.pinata_download_result_method(r)),
		Verified: Verification(C.pinata_download_result_verified(r)),
	}
}

func (c *Client) download(ctx context.Context, opts *DownloadOptions,
	run func(cl *C.pinata_client, o *C.pinata_download_options, r **C.pinata_download_result, e **C.pinata_error) C.pinata_status,
) (*Download, []byte, error) {
	co, err := newCDownloadOptions(opts)
	if err != nil {
		return nil, nil, err
	}
	defer co.free()
	k, err := c.begin(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer k.end()
	var r *C.pinata_download_result
	var cerr *C.pinata_error
	st := run(k.cl, co.ptr, &r, &cerr)
	co.rethrow()
	if st != C.PINATA_OK {
		return nil, nil, k.fail(st, cerr)
	}
	defer C.pinata_download_result_free(r)
	var n C.size_t
	var data []byte
	if p := C.pinata_download_result_data(r, &n); p != nil {
		data = C.GoBytes(unsafe.Pointer(p), C.int(n))
	}
	return copyDownload(r), data, nil
}

// DownloadCID downloads cid (a file, or a directory tree) from the client's gateway
// to destPath, every byte verified against its hash; nothing is left at destPath on
// failure (a lying gateway gives ErrIntegrity). ctx cancels it. opts may be nil.
func (c *Client) DownloadCID(ctx context.Context, cid, destPath string, opts *DownloadOptions) (*Download, error) {
	var a cstrings
	defer a.free()
	ccid := a.str("cid", cid)
	dest := a.str("dest_path", destPath)
	if a.err != nil {
		return nil, a.err
	}
	d, _, err := c.download(ctx, opts, func(cl *C.pinata_client, o *C.pinata_download_options, r **C.pinata_download_result, e **C.pinata_error) C.pinata_status {
		return C.pinata_download_cid(cl, ccid, dest, o, r, e)
	})
	return d, err
}

// DownloadURL downloads from a full url (a private file's download link from
// [Client.DownloadLink], a signed gateway URL) to destPath, verified against cid as
// DownloadCID verifies it; nothing is left at destPath on failure. The URL is requested
// as given (a signature stays valid) and never appears in an error; the client's
// gateway token is not sent, and the raw-block fallback (which needs a gateway) is
// skipped. ctx cancels it. opts may be nil.
func (c *Client) DownloadURL(ctx context.Context, url, cid, destPath string, opts *DownloadOptions) (*Download, error) {
	var a cstrings
	defer a.free()
	curl := a.str("url", url)
	ccid := a.str("cid", cid)
	dest := a.str("dest_path", destPath)
	if a.err != nil {
		return nil, a.err
	}
	d, _, err := c.download(ctx, opts, func(cl *C.pinata_client, o *C.pinata_download_options, r **C.pinata_download_result, e **C.pinata_error) C.pinata_status {
		return C.pinata_download_url(cl, curl, ccid, dest, o, r, e)
	})
	return d, err
}

// DownloadCIDBytes downloads a file's cid into memory, verified; content larger
// than maxBytes fails (ErrProtocol) with at most maxBytes ever held.
func (c *Client) DownloadCIDBytes(ctx context.Context, cid string, maxBytes uint64, opts *DownloadOptions) ([]byte, *Download, error) {
	var a cstrings
	defer a.free()
	ccid := a.str("cid", cid)
	if a.err != nil {
		return nil, nil, a.err
	}
	d, data, err := c.download(ctx, opts, func(cl *C.pinata_client, o *C.pinata_download_options, r **C.pinata_download_result, e **C.pinata_error) C.pinata_status {
		return C.pinata_download_cid_to_memory(cl, ccid, C.uint64_t(maxBytes), o, r, e)
	})
	if err != nil {
		return nil, nil, err
	}
	if data == nil {
		data = []byte{}
	}
	return data, d, nil
}

// DownloadCIDTo writes a file's cid to w, in constant memory: it is downloaded and
// verified into a temporary file first (in dir, or os.TempDir() when ""), so w never
// receives a byte that was not checked.
func (c *Client) DownloadCIDTo(ctx context.Context, cid string, w io.Writer, dir string, opts *DownloadOptions) (*Download, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	tmp, err := os.MkdirTemp(dir, "pinata-download-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	dest := filepath.Join(tmp, "content")
	d, err := c.DownloadCID(ctx, cid, dest, opts)
	if err != nil {
		return nil, err
	}
	if d.IsDir {
		return nil, invalidArg("cid: the CID is a directory; download it to a path")
	}
	f, err := os.Open(dest)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		return nil, err
	}
	return d, nil
}
