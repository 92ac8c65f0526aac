package pinata

/*
#include <stdbool.h>
#include <stdlib.h>
#include "pinata.h"
*/
import "C"

// UploadPath is how UploadFile sends a file.
type UploadPath int32

const (
	// UploadPathAuto sends files above UploadOptions.ResumableThreshold (90 MiB by
	// default, as Pinata's SDK) with TUS and a journal, the others as one multipart POST.
	UploadPathAuto UploadPath = C.PINATA_UPLOAD_PATH_AUTO
	// UploadPathMultipart always sends one multipart POST.
	UploadPathMultipart UploadPath = C.PINATA_UPLOAD_PATH_MULTIPART
	// UploadPathResumable always uses TUS with a journal: the same call made again
	// after a cancel or a crash resumes (UploadResult.Resumed says so).
	UploadPathResumable UploadPath = C.PINATA_UPLOAD_PATH_RESUMABLE
)

// String names the path.
func (p UploadPath) String() string {
	switch p {
	case UploadPathAuto:
		return "auto"
	case UploadPathMultipart:
		return "multipart"
	case UploadPathResumable:
		return "resumable"
	}
	return "unknown"
}

// applyUploadChoice copies the path choice of o (UploadFile's: path, threshold, chunk
// size, journal directory) into the C options.
func applyUploadChoice(co *C.pinata_upload_options, o *UploadOptions, a *cstrings) error {
	var cerr *C.pinata_error
	if st := C.pinata_upload_options_set_upload_path(co, C.int32_t(o.Path), &cerr); st != C.PINATA_OK {
		return takeError(st, cerr)
	}
	if o.ResumableThreshold != 0 {
		if st := C.pinata_upload_options_set_resumable_threshold(co, C.uint64_t(o.ResumableThreshold), &cerr); st != C.PINATA_OK {
			return takeError(st, cerr)
		}
	}
	if o.ResumableChunkSize != 0 {
		if st := C.pinata_upload_options_set_resumable_chunk_size(co, C.uint64_t(o.ResumableChunkSize), &cerr); st != C.PINATA_OK {
			return takeError(st, cerr)
		}
	}
	if d := a.opt("journal_dir", o.JournalDir); d != nil {
		if st := C.pinata_upload_options_set_journal_dir(co, d, &cerr); st != C.PINATA_OK {
			return takeError(st, cerr)
		}
	}
	return a.err
}

// copyUploadChoice fills the path fields of an upload's result.
func copyUploadChoice(out *UploadResult, r *C.pinata_upload_result) {
	out.Path = UploadPath(C.pinata_upload_result_path(r))
	out.Resumed = bool(C.pinata_upload_result_resumed(r))
	out.ResumedFrom = uint64(C.pinata_upload_result_resumed_from(r))
	out.RestartReason = goString(C.pinata_upload_result_restart_reason(r))
}
