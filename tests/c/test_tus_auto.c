/* pinata_upload_file choosing between multipart and TUS: a file above the resumable
 * threshold goes through TUS (counted on the emulator), one at or below it through
 * multipart, either path can be forced, a cancelled TUS upload resumes when the same
 * call is made again (the result says where), a second upload of a file whose TUS
 * upload is running is refused (the journal's lock), and bad input (options, a missing
 * journal directory, TUS refused for a CAR). Every pointer parameter is also passed as
 * NULL. Small files: runs under valgrind and ASan (tests/c/run.sh). */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

#define JOURNAL "auto-journal"
#define THRESHOLD (100 * 1000)
#define SMALL_SIZE (THRESHOLD - 1)
#define LARGE_SIZE (300 * 1024 + 11)

static void write_pattern(const char *path, size_t len, unsigned seed) {
    FILE *f = fopen(path, "wb");
    size_t i;
    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    for (i = 0; i < len; i++) {
        fputc((int)((i * 2654435761u + seed * 131u) >> 9) & 0xff, f);
    }
    fclose(f);
}

/* How many TUS uploads the emulator has seen (each one it created), or -1. */
static long tus_upload_count(void) {
    const char *file = "auto-uploads.json";
    char cmd[1024], buf[65536];
    const char *p;
    size_t n;
    long count = 0;
    FILE *f;
    snprintf(cmd, sizeof cmd, "curl -sf %s -o %s '%s/__emulator/tus/uploads'", test_curl_opts(), file,
             test_env("PINATA_TEST_URL"));
    if (system(cmd) != 0 || (f = fopen(file, "rb")) == NULL) {
        return -1;
    }
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    remove(file);
    buf[n] = '\0';
    if (strstr(buf, "\"uploads\"") == NULL) {
        return -1;
    }
    for (p = strstr(buf, "{\"id\""); p != NULL; p = strstr(p + 1, "{\"id\"")) {
        count++;
    }
    return count;
}

/* Entries in the journal directory (journals and lock files alike). */
static int journal_entries(void) {
    DIR *d = opendir(JOURNAL);
    struct dirent *e;
    int n = 0;
    CHECK(d != NULL);
    if (d == NULL) {
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            n++;
        }
    }
    closedir(d);
    return n;
}

static pinata_upload_options *options(void) {
    pinata_upload_options *o = NULL;
    CHECK_ERR(PINATA_OK, pinata_upload_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_network(o, PINATA_NETWORK_PUBLIC, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_resumable_threshold(o, THRESHOLD, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_journal_dir(o, JOURNAL, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_resumable_chunk_size(o, 64 * 1024, &err));
    return o;
}

/* Uploads `path` with `o` and checks the path taken, the CID against the local one and
 * how many TUS uploads the emulator created for it. Returns the result. */
static pinata_upload_result *upload(pinata_client *client, const char *path, const pinata_upload_options *o,
                                    int32_t want_path, long want_new_tus) {
    pinata_upload_result *r = NULL;
    char *local = NULL;
    long before = tus_upload_count();
    CHECK(before >= 0);
    CHECK_ERR(PINATA_OK, pinata_upload_file(client, path, o, &r, &err));
    CHECK(tus_upload_count() == before + want_new_tus);
    CHECK_ERR(PINATA_OK, pinata_cid_of_path(path, 1, &local, &err));
    CHECK(r != NULL);
    if (r != NULL && local != NULL) {
        CHECK(pinata_upload_result_path(r) == want_path);
        CHECK(strcmp(pinata_upload_result_cid(r), local) == 0);
        CHECK(pinata_upload_result_local_cid(r) != NULL && strcmp(pinata_upload_result_local_cid(r), local) == 0);
        CHECK(pinata_upload_result_cid_check(r) == PINATA_CID_VERIFIED);
    }
    pinata_string_free(local);
    /* Success leaves no journal and no lock file behind. */
    CHECK(journal_entries() == 0);
    return r;
}

static void test_options(void) {
    pinata_upload_options *o = NULL;
    CHECK_ERR(PINATA_OK, pinata_upload_options_new(&o, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_upload_path(NULL, PINATA_UPLOAD_PATH_AUTO, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_upload_path(o, 3, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_upload_path(o, -1, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_upload_path(o, PINATA_UPLOAD_PATH_RESUMABLE, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_upload_path(o, PINATA_UPLOAD_PATH_MULTIPART, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_upload_path(o, PINATA_UPLOAD_PATH_AUTO, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_resumable_threshold(NULL, 1, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_resumable_threshold(o, 0, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_resumable_threshold(o, UINT64_MAX, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_journal_dir(NULL, JOURNAL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_journal_dir(o, "bad\xc3\x28", &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_journal_dir(o, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_resumable_chunk_size(NULL, 1 << 20, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_resumable_chunk_size(o, 1000, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_resumable_chunk_size(o, 1 << 20, &err));
    pinata_upload_options_free(o);
    CHECK(pinata_upload_result_path(NULL) == PINATA_UPLOAD_PATH_AUTO);
    CHECK(!pinata_upload_result_resumed(NULL));
    CHECK(pinata_upload_result_resumed_from(NULL) == 0);
    CHECK(pinata_upload_result_restart_reason(NULL) == NULL);
}

static void test_choice(pinata_client *client) {
    pinata_upload_options *o = options();
    pinata_upload_result *r;
    write_pattern("small.bin", SMALL_SIZE, 1);
    write_pattern("large.bin", LARGE_SIZE, 2);

    /* At or below the threshold: multipart; above it: TUS. */
    r = upload(client, "small.bin", o, PINATA_UPLOAD_PATH_MULTIPART, 0);
    CHECK(!pinata_upload_result_resumed(r) && pinata_upload_result_resumed_from(r) == 0);
    CHECK(pinata_upload_result_restart_reason(r) == NULL);
    pinata_upload_result_free(r);
    r = upload(client, "large.bin", o, PINATA_UPLOAD_PATH_RESUMABLE, 1);
    CHECK(!pinata_upload_result_resumed(r) && pinata_upload_result_resumed_from(r) == 0);
    CHECK(pinata_upload_result_restart_reason(r) == NULL);
    CHECK(strcmp(pinata_file_row_name(pinata_upload_result_file(r)), "large.bin") == 0);
    pinata_upload_result_free(r);

    /* The threshold moves the choice. */
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_resumable_threshold(o, LARGE_SIZE, &err));
    r = upload(client, "large.bin", o, PINATA_UPLOAD_PATH_MULTIPART, 0);
    pinata_upload_result_free(r);
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_resumable_threshold(o, 1000, &err));
    r = upload(client, "small.bin", o, PINATA_UPLOAD_PATH_RESUMABLE, 1);
    pinata_upload_result_free(r);

    /* Forced paths, whatever the size. */
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_upload_path(o, PINATA_UPLOAD_PATH_MULTIPART, &err));
    r = upload(client, "large.bin", o, PINATA_UPLOAD_PATH_MULTIPART, 0);
    pinata_upload_result_free(r);
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_resumable_threshold(o, UINT64_MAX, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_upload_path(o, PINATA_UPLOAD_PATH_RESUMABLE, &err));
    r = upload(client, "small.bin", o, PINATA_UPLOAD_PATH_RESUMABLE, 1);
    pinata_upload_result_free(r);

    /* Bytes are always multipart, even with TUS forced. */
    r = NULL;
    CHECK_ERR(PINATA_OK, pinata_upload_bytes(client, (const uint8_t *)"abc", 3, "abc.txt", o, &r, &err));
    CHECK(pinata_upload_result_path(r) == PINATA_UPLOAD_PATH_MULTIPART);
    pinata_upload_result_free(r);
    pinata_upload_options_free(o);
}

static int stop_after_third(uint64_t sent, uint64_t total, void *userdata) {
    (void)userdata;
    return sent > total / 3;
}

static void test_cancel_and_resume(pinata_client *client) {
    pinata_upload_options *o = options();
    pinata_upload_result *r = NULL;
    pinata_upload_pending *list = NULL;
    uint64_t confirmed = 0;
    long before;
    write_pattern("resume.bin", LARGE_SIZE, 3);
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_progress(o, stop_after_third, NULL, &err));
    CHECK_ERR(PINATA_E_CANCELLED, pinata_upload_file(client, "resume.bin", o, &r, &err));
    CHECK(r == NULL);
    /* The journal stays, with the offset the server confirmed. */
    CHECK_ERR(PINATA_OK, pinata_upload_pending_list(JOURNAL, &list, &err));
    CHECK(pinata_upload_pending_count(list) == 1);
    confirmed = pinata_upload_pending_offset(list, 0);
    CHECK(confirmed > 0 && confirmed < LARGE_SIZE);
    pinata_upload_pending_free(list);

    /* The same call again resumes the same upload, and says where. */
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_progress(o, NULL, NULL, &err));
    before = tus_upload_count();
    r = upload(client, "resume.bin", o, PINATA_UPLOAD_PATH_RESUMABLE, 0);
    CHECK(before >= 1);
    CHECK(pinata_upload_result_resumed(r));
    CHECK(pinata_upload_result_resumed_from(r) >= confirmed);
    CHECK(pinata_upload_result_resumed_from(r) < LARGE_SIZE);
    CHECK(pinata_upload_result_restart_reason(r) == NULL);
    pinata_upload_result_free(r);

    /* A file that changed since: started over, and the result says why. */
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_progress(o, stop_after_third, NULL, &err));
    r = NULL;
    CHECK_ERR(PINATA_E_CANCELLED, pinata_upload_file(client, "resume.bin", o, &r, &err));
    write_pattern("resume.bin", LARGE_SIZE, 4);
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_progress(o, NULL, NULL, &err));
    /* (the old upload is deleted, never fed bytes of the changed file, and a new one
     * created: the emulator's count of uploads does not move) */
    r = upload(client, "resume.bin", o, PINATA_UPLOAD_PATH_RESUMABLE, 0);
    CHECK(!pinata_upload_result_resumed(r) && pinata_upload_result_resumed_from(r) == 0);
    CHECK(pinata_upload_result_restart_reason(r) != NULL &&
          strstr(pinata_upload_result_restart_reason(r), "changed") != NULL);
    pinata_upload_result_free(r);
    pinata_upload_options_free(o);
}

/* A progress callback that, on its first call, uploads the same file again while the
 * first upload runs, and records what that second call returned. */
struct second_call {
    pinata_client *client;
    const pinata_upload_options *options;
    int calls;
    pinata_status status;
    char message[256];
    pinata_upload_result *result;
};

static int upload_again(uint64_t sent, uint64_t total, void *userdata) {
    struct second_call *s = userdata;
    pinata_error *e = NULL;
    (void)sent;
    (void)total;
    if (s->calls++ == 0) {
        s->status = pinata_upload_file(s->client, "locked.bin", s->options, &s->result, &e);
        if (e != NULL) {
            snprintf(s->message, sizeof s->message, "%s", pinata_error_message(e));
        }
        pinata_error_free(e);
    }
    return 0;
}

static void test_second_upload_refused(pinata_client *client) {
    pinata_upload_options *first = options(), *second = options();
    struct second_call s;
    pinata_upload_result *r;
    long before;
    memset(&s, 0, sizeof s);
    s.client = client;
    s.options = second;
    s.status = PINATA_OK;
    write_pattern("locked.bin", LARGE_SIZE, 5);
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_progress(first, upload_again, &s, &err));
    before = tus_upload_count();
    r = upload(client, "locked.bin", first, PINATA_UPLOAD_PATH_RESUMABLE, 1);
    pinata_upload_result_free(r);
    /* The second call, made while the first held the journal, was refused at once. */
    CHECK(s.calls > 0);
    CHECK(s.status == PINATA_E_IO);
    CHECK(s.result == NULL);
    CHECK(strstr(s.message, "already running") != NULL);
    CHECK(tus_upload_count() == before + 1);
    /* The lock went with the upload: the same file uploads again. */
    r = upload(client, "locked.bin", second, PINATA_UPLOAD_PATH_RESUMABLE, 1);
    pinata_upload_result_free(r);
    pinata_upload_options_free(first);
    pinata_upload_options_free(second);
}

static void test_bad_input(pinata_client *client) {
    pinata_upload_options *o = options();
    pinata_upload_result *r = NULL;
    long before = test_requests_total();
    CHECK(before >= 0);
    /* TUS would need a journal: a missing directory fails before anything is sent. */
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_journal_dir(o, "no-such-journal", &err));
    CHECK_ERR(PINATA_E_IO, pinata_upload_file(client, "large.bin", o, &r, &err));
    /* CAR has no TUS form: forcing it is refused. */
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_journal_dir(o, JOURNAL, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_car(o, true, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_upload_path(o, PINATA_UPLOAD_PATH_RESUMABLE, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_file(client, "large.bin", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_file(client, NULL, o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_file(NULL, "large.bin", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_file(client, "large.bin", o, NULL, &err));
    /* A directory is refused as by multipart, whatever the threshold. */
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_car(o, false, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_upload_path(o, PINATA_UPLOAD_PATH_AUTO, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_resumable_threshold(o, 0, &err));
    CHECK_ERR(PINATA_E_IO, pinata_upload_file(client, ".", o, &r, &err));
    CHECK_ERR(PINATA_E_IO, pinata_upload_file(client, "missing.bin", o, &r, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_resumable_threshold(o, THRESHOLD, &err));
    CHECK(r == NULL);
    CHECK(test_requests_total() == before);
    /* Below the threshold the journal directory is not needed. */
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_journal_dir(o, "no-such-journal", &err));
    r = upload(client, "small.bin", o, PINATA_UPLOAD_PATH_MULTIPART, 0);
    pinata_upload_result_free(r);
    pinata_upload_options_free(o);
}

int main(void) {
    pinata_client *client = test_client();
    const char *files[] = {"small.bin", "large.bin", "resume.bin", "locked.bin"};
    size_t i;
    CHECK_ERR(PINATA_OK, pinata_client_set_backoff_ms(client, 1, 5, &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_upload_url(client, test_env("PINATA_TEST_URL"), &err));
    CHECK(mkdir(JOURNAL, 0700) == 0 || access(JOURNAL, W_OK) == 0);
    test_options();
    test_choice(client);
    test_cancel_and_resume(client);
    test_second_upload_refused(client);
    test_bad_input(client);
    pinata_client_free(client);
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        remove(files[i]);
    }
    rmdir(JOURNAL);
    return check_finish("test_tus_auto");
}
