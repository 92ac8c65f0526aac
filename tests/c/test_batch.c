/* Batch uploads (pinata_pin_batch_*): many files on one client with a bounded number in
 * flight, as legacy pins and as v3 files (multipart and TUS), one outcome per file, per-file faults from the emulator's hooks that fail only
 * the files they hit, stop-on-error, progress, cancellation (callback and flag), a batch
 * outliving its client, and bad input. Runs under valgrind and ASan (tests/c/run.sh). */
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

#define NFILES 20
#define DIR "batch_dir"

static char paths[NFILES][64];

static void write_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK(fwrite(data, 1, len, f) == len);
        fclose(f);
    }
}

/* NFILES distinct files (sizes 1–40 KiB), one hidden, and a subfolder that
 * pinata_pin_batch_add_dir leaves out. */
static void make_files(void) {
    static char buf[40 * 1024];
    int i;
    size_t j;
    mkdir(DIR, 0755);
    mkdir(DIR "/sub", 0755);
    write_file(DIR "/sub/skipped.txt", "skipped", 7);
    for (i = 0; i < NFILES; i++) {
        size_t len = (size_t)(i + 1) * 2048;
        for (j = 0; j < len; j++) {
            buf[j] = (char)('a' + (i * 7 + j) % 26);
        }
        snprintf(paths[i], sizeof paths[i], DIR "/%s%02d.txt", i == 0 ? ".hidden" : "f", i);
        write_file(paths[i], buf, len);
    }
}

static void remove_files(void) {
    int i;
    for (i = 0; i < NFILES; i++) {
        remove(paths[i]);
    }
    remove(DIR "/sub/skipped.txt");
    rmdir(DIR "/sub");
    rmdir(DIR);
}

struct progress {
    int calls;
    size_t files_done, files_total;
    uint64_t bytes_sent, bytes_total;
    int cancel_after; /* cancel once this many files are done; <0 never */
    int monotonic;
};

static int on_progress(size_t files_done, size_t files_total, uint64_t bytes_sent,
                       uint64_t bytes_total, void *userdata) {
    struct progress *p = userdata;
    if (p->calls > 0 && (files_done < p->files_done || bytes_sent < p->bytes_sent)) {
        p->monotonic = 0;
    }
    p->calls++;
    p->files_done = files_done;
    p->files_total = files_total;
    p->bytes_sent = bytes_sent;
    p->bytes_total = bytes_total;
    return p->cancel_after >= 0 && files_done >= (size_t)p->cancel_after;
}

static void fault(const char *json) {
    CHECK(test_hook("POST", "/__emulator/faults", json) == 0);
}

static void test_bad_input(pinata_client *client) {
    pinata_pin_batch *b = NULL;
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_new(NULL, &b, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_new(client, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_batch_new(client, &b, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_add(NULL, "x", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_add(b, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_add(b, "", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_add(b, "\xc3\x28", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_add_dir(NULL, DIR, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_add_dir(b, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_IO, pinata_pin_batch_add_dir(b, "no-such-dir", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_set_in_flight(NULL, 4, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_set_in_flight(b, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_set_in_flight(b, 65, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_in_flight(b, 64, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_set_stop_on_error(NULL, true, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_set_progress(NULL, NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_progress(b, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_set_cancel(NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_cancel(b, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_run(NULL, NULL, &err));
    /* An empty batch runs and pins nothing. */
    CHECK_ERR(PINATA_OK, pinata_pin_batch_run(b, NULL, &err));
    CHECK(pinata_pin_batch_len(b) == 0);
    CHECK(pinata_pin_batch_len(NULL) == 0);
    CHECK(pinata_pin_batch_failed(NULL) == 0);
    CHECK(pinata_pin_batch_path(NULL, 0) == NULL && pinata_pin_batch_path(b, 0) == NULL);
    CHECK(pinata_pin_batch_status(NULL, 0) == PINATA_E_INVALID_ARGUMENT);
    CHECK(pinata_pin_batch_status(b, 0) == PINATA_E_INVALID_ARGUMENT);
    CHECK(pinata_pin_batch_result(NULL, 0) == NULL && pinata_pin_batch_result(b, 0) == NULL);
    CHECK(pinata_pin_batch_error(NULL, 0) == NULL && pinata_pin_batch_error(b, 0) == NULL);
    /* Before a run, a file has no outcome yet. */
    CHECK_ERR(PINATA_OK, pinata_pin_batch_add(b, paths[1], &err));
    CHECK(pinata_pin_batch_status(b, 0) == PINATA_E_CANCELLED);
    CHECK(pinata_pin_batch_result(b, 0) == NULL && pinata_pin_batch_error(b, 0) == NULL);
    pinata_pin_batch_free(b);
    pinata_pin_batch_free(NULL);
}

/* Every file of the folder plus a missing one, 4 in flight, with verification: each
 * pinned file's CID is its local CID; the missing one alone fails. */
static void test_folder(pinata_client *client) {
    pinata_pin_batch *b = NULL;
    pinata_pin_options *o = NULL;
    struct progress p = {0, 0, 0, 0, 0, -1, 1};
    size_t added = 0, i;
    int pinned = 0;
    CHECK_ERR(PINATA_OK, pinata_pin_batch_new(client, &b, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_batch_add_dir(b, DIR, &added, &err));
    CHECK(added == NFILES);
    CHECK_ERR(PINATA_OK, pinata_pin_batch_add(b, DIR "/missing.txt", &err));
    CHECK(pinata_pin_batch_len(b) == NFILES + 1);
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_in_flight(b, 4, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_progress(b, on_progress, &p, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_keyvalue_string(o, "batch", "yes", &err));
    CHECK_ERR(PINATA_E_IO, pinata_pin_batch_run(b, o, &err));
    CHECK(pinata_pin_batch_failed(b) == 1);
    for (i = 0; i < pinata_pin_batch_len(b); i++) {
        const char *path = pinata_pin_batch_path(b, i);
        const pinata_pin_result *r = pinata_pin_batch_result(b, i);
        CHECK(path != NULL);
        if (path != NULL && strcmp(path, DIR "/missing.txt") == 0) {
            CHECK(pinata_pin_batch_status(b, i) == PINATA_E_IO);
            CHECK(r == NULL && pinata_pin_batch_error(b, i) != NULL);
            CHECK(pinata_error_status(pinata_pin_batch_error(b, i)) == PINATA_E_IO);
            CHECK(strstr(pinata_error_message(pinata_pin_batch_error(b, i)), "missing.txt") != NULL);
            continue;
        }
        CHECK(pinata_pin_batch_status(b, i) == PINATA_OK);
        CHECK(r != NULL && pinata_pin_batch_error(b, i) == NULL);
        if (r != NULL && path != NULL) {
            char *local = NULL;
            CHECK_ERR(PINATA_OK, pinata_cid_of_path(path, 0, &local, &err));
            CHECK(local != NULL && strcmp(pinata_pin_result_cid(r), local) == 0);
            CHECK(pinata_pin_result_cid_check(r) == PINATA_CID_VERIFIED);
            pinata_string_free(local);
            pinned++;
        }
    }
    CHECK(pinned == NFILES);
    /* Sorted by name: the hidden file first, the subfolder left out. */
    CHECK(strcmp(pinata_pin_batch_path(b, 0), paths[0]) == 0);
    CHECK(p.calls >= NFILES + 1 && p.monotonic);
    CHECK(p.files_done == NFILES + 1 && p.files_total == NFILES + 1);
    CHECK(p.bytes_total > 0 && p.bytes_sent == p.bytes_total);
    pinata_pin_options_free(o);
    pinata_pin_batch_free(b);
}

/* Per-file faults: the next two uploads answer 403 and 400; only two files fail, each
 * with its own status and HTTP status, the others are pinned. */
static pinata_pin_batch *batch_of_all(pinata_client *client, unsigned in_flight) {
    pinata_pin_batch *b = NULL;
    int i;
    CHECK_ERR(PINATA_OK, pinata_pin_batch_new(client, &b, &err));
    for (i = 0; i < NFILES; i++) {
        CHECK_ERR(PINATA_OK, pinata_pin_batch_add(b, paths[i], &err));
    }
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_in_flight(b, in_flight, &err));
    return b;
}

static void test_faults(pinata_client *client) {
    pinata_pin_batch *b = batch_of_all(client, 8);
    size_t i;
    int ok = 0, forbidden = 0, bad = 0;
    pinata_error *e = NULL;
    fault("{\"path\":\"/pinning/pinFileToIPFS\",\"kind\":\"status\",\"status\":403,\"times\":1}");
    fault("{\"path\":\"/pinning/pinFileToIPFS\",\"kind\":\"status\",\"status\":400,\"times\":1}");
    {
        pinata_status st = pinata_pin_batch_run(b, NULL, &e);
        CHECK(st == PINATA_E_FORBIDDEN || st == PINATA_E_BAD_REQUEST);
        CHECK(e != NULL && strstr(pinata_error_message(e), "2 of 20 files failed") != NULL);
        pinata_error_free(e);
    }
    CHECK(pinata_pin_batch_failed(b) == 2);
    for (i = 0; i < pinata_pin_batch_len(b); i++) {
        pinata_status st = pinata_pin_batch_status(b, i);
        const pinata_error *fe = pinata_pin_batch_error(b, i);
        if (st == PINATA_OK) {
            ok++;
        } else if (st == PINATA_E_FORBIDDEN) {
            forbidden++;
            CHECK(fe != NULL && pinata_error_http_status(fe) == 403);
        } else if (st == PINATA_E_BAD_REQUEST) {
            bad++;
            CHECK(fe != NULL && pinata_error_http_status(fe) == 400);
        }
    }
    CHECK(ok == NFILES - 2 && forbidden == 1 && bad == 1);
    /* A run again starts over: every file pinned (duplicates now). */
    CHECK_ERR(PINATA_OK, pinata_pin_batch_run(b, NULL, &err));
    CHECK(pinata_pin_batch_failed(b) == 0);
    CHECK(pinata_pin_result_is_duplicate(pinata_pin_batch_result(b, 3)));
    pinata_pin_batch_free(b);
}

/* Retries inside a batch: two 503 answers and a connection reset mid-body are retried
 * (after their backoff) while the other transfers go on; every file is pinned. */
static void test_retries(void) {
    pinata_client *client = test_client();
    pinata_pin_batch *b = NULL;
    long before;
    CHECK_ERR(PINATA_OK, pinata_client_set_backoff_ms(client, 5, 20, &err));
    b = batch_of_all(client, 4);
    fault("{\"path\":\"/pinning/pinFileToIPFS\",\"kind\":\"status\",\"status\":503,\"times\":2}");
    fault("{\"path\":\"/pinning/pinFileToIPFS\",\"kind\":\"reset\",\"after_bytes\":100,\"times\":1}");
    before = test_requests_total();
    CHECK_ERR(PINATA_OK, pinata_pin_batch_run(b, NULL, &err));
    CHECK(pinata_pin_batch_failed(b) == 0);
    /* 20 pins and at least the two refused attempts (the reset one may not count). */
    CHECK(before >= 0 && test_requests_total() >= before + 22);
    pinata_pin_batch_free(b);
    pinata_client_free(client);
}

/* Stop on error, one in flight: the first file fails, the others are never started. */
static void test_stop_on_error(pinata_client *client) {
    pinata_pin_batch *b = batch_of_all(client, 1);
    long before, after;
    size_t i;
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_stop_on_error(b, true, &err));
    fault("{\"path\":\"/pinning/pinFileToIPFS\",\"kind\":\"status\",\"status\":400,\"times\":1}");
    before = test_requests_total();
    CHECK_ERR(PINATA_E_BAD_REQUEST, pinata_pin_batch_run(b, NULL, &err));
    after = test_requests_total();
    CHECK(before >= 0 && after == before + 1);
    CHECK(pinata_pin_batch_status(b, 0) == PINATA_E_BAD_REQUEST);
    for (i = 1; i < NFILES; i++) {
        CHECK(pinata_pin_batch_status(b, i) == PINATA_E_CANCELLED);
        CHECK(pinata_pin_batch_error(b, i) != NULL &&
              strstr(pinata_error_message(pinata_pin_batch_error(b, i)), "not started") != NULL);
    }
    CHECK(pinata_pin_batch_failed(b) == NFILES);
    pinata_pin_batch_free(b);
}

/* Cancelled by the progress callback after the first file, one in flight: the report
 * comes before the next file starts, so exactly one file is done and every other one
 * was never started; the same to the v3 Files API (whose files run on worker threads). */
static void check_cancelled_after_one(pinata_pin_batch *b, const pinata_upload_options *v3) {
    struct progress p = {0, 0, 0, 0, 0, 1, 1};
    size_t i, done = 0, cancelled = 0;
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_progress(b, on_progress, &p, &err));
    if (v3 != NULL) {
        CHECK_ERR(PINATA_E_CANCELLED, pinata_pin_batch_run_v3(b, v3, &err));
    } else {
        CHECK_ERR(PINATA_E_CANCELLED, pinata_pin_batch_run(b, NULL, &err));
    }
    for (i = 0; i < NFILES; i++) {
        pinata_status st = pinata_pin_batch_status(b, i);
        done += st == PINATA_OK;
        cancelled += st == PINATA_E_CANCELLED;
    }
    CHECK(pinata_pin_batch_status(b, 0) == PINATA_OK);
    CHECK(v3 != NULL ? pinata_pin_batch_upload_result(b, 0) != NULL
                     : pinata_pin_batch_result(b, 0) != NULL);
    CHECK(done == 1 && cancelled == NFILES - 1);
    CHECK(pinata_pin_batch_failed(b) == NFILES - 1);
    CHECK(pinata_pin_batch_error(b, NFILES - 1) != NULL &&
          strstr(pinata_error_message(pinata_pin_batch_error(b, NFILES - 1)), "not started") !=
              NULL);
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_progress(b, NULL, NULL, &err));
}

/* Cancelling: from the progress callback after the first file, to either API, and with
 * a flag raised before the run (nothing is sent). */
static void test_cancel(pinata_client *client) {
    pinata_pin_batch *b = NULL;
    pinata_upload_options *o = NULL;
    pinata_cancel *flag = NULL;
    long before;
    CHECK_ERR(PINATA_OK, pinata_client_set_upload_url(client, test_env("PINATA_TEST_URL"), &err));
    b = batch_of_all(client, 1);
    check_cancelled_after_one(b, NULL);
    CHECK_ERR(PINATA_OK, pinata_upload_options_new(&o, &err));
    /* Private, so that test_v3's public uploads of the same files are not duplicates. */
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_network(o, PINATA_NETWORK_PRIVATE, &err));
    check_cancelled_after_one(b, o);
    pinata_upload_options_free(o);

    CHECK_ERR(PINATA_OK, pinata_cancel_new(&flag, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_cancel(b, flag, &err));
    pinata_cancel_request(flag);
    before = test_requests_total();
    CHECK_ERR(PINATA_E_CANCELLED, pinata_pin_batch_run(b, NULL, &err));
    CHECK(before >= 0 && test_requests_total() == before);
    CHECK(pinata_pin_batch_failed(b) == NFILES);
    pinata_pin_batch_free(b);
    pinata_cancel_free(flag);
}

/* Cancelled with transfers in flight: the emulator holds the first four pins' answers,
 * and the first progress report (due after 100 ms, while no file can finish) cancels;
 * the four transfers are taken off the multi handle mid-call, no file is pinned, and
 * the same batch then runs to the end on the client's remaining connections. */
static int count_and_cancel(size_t files_done, size_t files_total, uint64_t bytes_sent,
                            uint64_t bytes_total, void *userdata) {
    (void)files_done, (void)files_total, (void)bytes_sent, (void)bytes_total;
    (*(int *)userdata)++;
    return 1;
}
static void test_cancel_in_flight(pinata_client *client) {
    pinata_pin_batch *b = batch_of_all(client, 4);
    int reports = 0;
    size_t i, cancelled = 0;
    fault("{\"path\":\"/pinning/pinFileToIPFS\",\"kind\":\"delay\",\"delay_ms\":5000,"
          "\"times\":4}");
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_progress(b, count_and_cancel, &reports, &err));
    CHECK_ERR(PINATA_E_CANCELLED, pinata_pin_batch_run(b, NULL, &err));
    for (i = 0; i < NFILES; i++) {
        cancelled += pinata_pin_batch_status(b, i) == PINATA_E_CANCELLED;
    }
    /* (each file that ends, cancelled ones too, is reported after the first report) */
    CHECK(reports >= 1 && cancelled == NFILES && pinata_pin_batch_failed(b) == NFILES);
    CHECK(strstr(pinata_error_message(pinata_pin_batch_error(b, 0)), "not started") == NULL);
    CHECK(strstr(pinata_error_message(pinata_pin_batch_error(b, 4)), "not started") != NULL);
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_progress(b, NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_batch_run(b, NULL, &err));
    CHECK(pinata_pin_batch_failed(b) == 0);
    pinata_pin_batch_free(b);
}

/* The same batch to the v3 Files API: public files, those above a 30 KiB threshold
 * through TUS with a journal, one file refused (403) by a fault; each uploaded file's
 * result says which path it took, carries its file name and keyvalue, and its CID is
 * the one computed locally. Then bad v3 options fail before anything is sent, and a
 * legacy run after a v3 run gives pin results only. */
#define JOURNAL "batch_journal"
#define THRESHOLD (30 * 1024)
static void test_v3(void) {
    pinata_client *client = test_client();
    pinata_pin_batch *b = NULL;
    pinata_upload_options *o = NULL;
    pinata_error *e = NULL;
    struct progress p = {0, 0, 0, 0, 0, -1, 1};
    size_t i;
    int ok = 0, forbidden = 0, tus = 0;
    long before;
    CHECK_ERR(PINATA_OK, pinata_client_set_upload_url(client, test_env("PINATA_TEST_URL"), &err));
    b = batch_of_all(client, 4);
    pinata_client_free(client);
    mkdir(JOURNAL, 0755);
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_run_v3(NULL, NULL, &err));
    CHECK(pinata_pin_batch_upload_result(NULL, 0) == NULL);
    CHECK(pinata_pin_batch_upload_result(b, 0) == NULL);
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_progress(b, on_progress, &p, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_network(o, PINATA_NETWORK_PUBLIC, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_keyvalue(o, "batch", "v3", &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_resumable_threshold(o, THRESHOLD, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_journal_dir(o, JOURNAL, &err));
    fault("{\"path\":\"/v3/files\",\"kind\":\"status\",\"status\":403,\"times\":1}");
    CHECK(pinata_pin_batch_run_v3(b, o, &e) == PINATA_E_FORBIDDEN);
    CHECK(e != NULL && strstr(pinata_error_message(e), "1 of 20 files failed") != NULL);
    pinata_error_free(e);
    CHECK(pinata_pin_batch_failed(b) == 1);
    for (i = 0; i < pinata_pin_batch_len(b); i++) {
        const pinata_upload_result *r = pinata_pin_batch_upload_result(b, i);
        const char *path = pinata_pin_batch_path(b, i);
        struct stat st;
        CHECK(pinata_pin_batch_result(b, i) == NULL);
        if (pinata_pin_batch_status(b, i) == PINATA_E_FORBIDDEN) {
            forbidden++;
            CHECK(r == NULL && pinata_error_http_status(pinata_pin_batch_error(b, i)) == 403);
            continue;
        }
        CHECK(pinata_pin_batch_status(b, i) == PINATA_OK && r != NULL);
        if (r == NULL || path == NULL || stat(path, &st) != 0) {
            continue;
        }
        ok++;
        {
            const pinata_file_row *row = pinata_upload_result_file(r);
            const char *local = pinata_upload_result_local_cid(r);
            const int want = st.st_size > THRESHOLD ? PINATA_UPLOAD_PATH_RESUMABLE
                                                   : PINATA_UPLOAD_PATH_MULTIPART;
            CHECK(pinata_upload_result_path(r) == want);
            tus += want == PINATA_UPLOAD_PATH_RESUMABLE;
            CHECK(pinata_upload_result_cid_check(r) == PINATA_CID_VERIFIED);
            CHECK(local != NULL && strcmp(pinata_upload_result_cid(r), local) == 0);
            CHECK(row != NULL && pinata_file_row_size(row) == (uint64_t)st.st_size);
            CHECK(row != NULL && strcmp(pinata_file_row_name(row), strrchr(path, '/') + 1) == 0);
            CHECK(row != NULL && strstr(pinata_file_row_keyvalues_json(row), "\"v3\"") != NULL);
        }
    }
    CHECK(ok == NFILES - 1 && forbidden == 1);
    /* Files 16-20 are 32-40 KiB: at least four of them went through TUS. */
    CHECK(tus >= 4);
    CHECK(p.files_done == NFILES && p.bytes_sent == p.bytes_total && p.monotonic);

    /* Run again: every file uploaded. */
    CHECK_ERR(PINATA_OK, pinata_pin_batch_run_v3(b, o, &err));
    CHECK(pinata_pin_batch_failed(b) == 0);
    for (i = 0; i < pinata_pin_batch_len(b); i++) {
        CHECK(pinata_pin_batch_upload_result(b, i) != NULL);
    }

    /* Bad options: refused before anything is sent, the outcomes dropped. */
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_network(o, PINATA_NETWORK_PRIVATE, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_car(o, true, &err));
    before = test_requests_total();
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_batch_run_v3(b, o, &err));
    CHECK(before >= 0 && test_requests_total() == before);
    CHECK(pinata_pin_batch_upload_result(b, 0) == NULL);

    /* A legacy run after a v3 one: pin results, no upload results. */
    CHECK_ERR(PINATA_OK, pinata_pin_batch_set_progress(b, NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_batch_run(b, NULL, &err));
    CHECK(pinata_pin_batch_result(b, 2) != NULL && pinata_pin_batch_upload_result(b, 2) == NULL);
    pinata_upload_options_free(o);
    pinata_pin_batch_free(b);
    /* Finished TUS uploads leave no journal entry behind. */
    CHECK(rmdir(JOURNAL) == 0);
}

/* A batch holds its own reference to the client. */
static void test_outlives_client(void) {
    pinata_client *client = test_client();
    pinata_pin_batch *b = NULL;
    CHECK_ERR(PINATA_OK, pinata_pin_batch_new(client, &b, &err));
    pinata_client_free(client);
    CHECK_ERR(PINATA_OK, pinata_pin_batch_add(b, paths[5], &err));
    CHECK_ERR(PINATA_OK, pinata_pin_batch_run(b, NULL, &err));
    CHECK(pinata_pin_batch_result(b, 0) != NULL);
    pinata_pin_batch_free(b);
}

int main(void) {
    pinata_client *client = test_client();
    make_files();
    test_bad_input(client);
    test_folder(client);
    test_faults(client);
    test_retries();
    test_stop_on_error(client);
    test_cancel(client);
    test_cancel_in_flight(client);
    test_v3();
    test_outlives_client();
    pinata_client_free(client);
    remove_files();
    return check_finish("test_batch");
}
