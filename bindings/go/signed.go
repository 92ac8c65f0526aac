package pinata

/*
#include <stdlib.h>
#include "pinata.h"
*/
import "C"

import "context"

// Signed uploads with a client's transport settings. The package-level
// UploadFileSigned and UploadBytesSigned use a default client (system CAs, the
// environment's proxy, default timeouts); these methods use c's CA bundle, proxy,
// timeouts, retries and HTTP version instead. c's credentials are never sent to the
// signed URL, so an app that has none makes its client with NewClientAnonymous.

// NewClientAnonymous makes a client without credentials, for an app that holds only
// signed upload URLs: its options (WithCABundle, WithProxy, timeouts, ...) apply to
// c.UploadFileSigned and c.UploadBytesSigned. Calls that need credentials fail with
// ErrUnauthorized.
func NewClientAnonymous(opts ...Option) (*Client, error) {
	var ptr *C.pinata_client
	var cerr *C.pinata_error
	if st := C.pinata_client_new_anonymous(&ptr, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	return newClient(ptr, opts)
}

// UploadFileSigned uploads a file through a signed upload URL with c's transport
// settings and NONE of its credentials. The URL never appears in an error.
func (c *Client) UploadFileSigned(ctx context.Context, signedURL, path string, opts *UploadOptions) (*UploadResult, error) {
	var a cstrings
	defer a.free()
	u, p := a.str("signed_url", signedURL), a.str("path", path)
	if a.err != nil {
		return nil, a.err
	}
	return c.uploadV3(ctx, opts, func(cl *C.pinata_client, o *C.pinata_upload_options, r **C.pinata_upload_result, e **C.pinata_error) C.pinata_status {
		return C.pinata_upload_file_signed(cl, u, p, o, r, e)
	})
}

// UploadBytesSigned is c.UploadFileSigned for bytes named fileName.
func (c *Client) UploadBytesSigned(ctx context.Context, signedURL string, data []byte, fileName string, opts *UploadOptions) (*UploadResult, error) {
	var a cstrings
	defer a.free()
	u, n := a.str("signed_url", signedURL), a.str("file_name", fileName)
	if a.err != nil {
		return nil, a.err
	}
	return c.uploadV3(ctx, opts, func(cl *C.pinata_client, o *C.pinata_upload_options, r **C.pinata_upload_result, e **C.pinata_error) C.pinata_status {
		return C.pinata_upload_bytes_signed(cl, u, bytesPtr(data), C.size_t(len(data)), n, o, r, e)
	})
}
