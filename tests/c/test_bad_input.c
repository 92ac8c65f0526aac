/* The bad-input table: every exported function that takes text gets invalid UTF-8,
 * CR/LF where the value travels in a header or URL, and overlong strings; numbers out
 * of range; special and changing files. Each must give PINATA_E_INVALID_ARGUMENT or
 * PINATA_E_IO with a message naming the problem, and never crash or hang. (NULL for
 * every pointer parameter is covered by test_core.c and test_pinning.c.) Runs under
 * valgrind and ASan (tests/c/run.sh). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

static int inputs_tried = 0;

/* Runs a call expected to fail with `want`; the message must mention `needle`. */
#define BAD(want, needle, call_with_err)                                             \
    do {                                                                             \
        pinata_error *err = NULL;                                                    \
        pinata_status got_ = (call_with_err);                                        \
        inputs_tried++;                                                              \
        if (got_ != (want)) {                                                        \
            check_failed++;                                                          \
            fprintf(stderr, "%s:%d: %s gave %s, wanted %s: %s\n", __FILE__, __LINE__, \
                    #call_with_err, pinata_status_str(got_), pinata_status_str(want), \
                    err ? pinata_error_message(err) : "(no error)");                  \
        } else {                                                                     \
            check_passed++;                                                          \
            CHECK(err != NULL && strstr(pinata_error_message(err), (needle)) != NULL); \
            if (err != NULL && strstr(pinata_error_message(err), (needle)) == NULL) { \
                fprintf(stderr, "  message was: %s (wanted it to mention %s)\n",      \
                        pinata_error_message(err), (needle));                         \
            }                                                                        \
        }                                                                            \
        pinata_error_free(err);                                                      \
    } while (0)

static const char *BAD_UTF8 = "abc\xff\xfe";
static const char *OVERLONG_UTF8 = "\xc0\xaf"; /* an overlong encoding of '/' */
static const char *LONE_SURROGATE = "\xed\xa0\x80";
static char *huge; /* 100 KiB of 'a' */

static void strings_everywhere(pinata_client *c) {
    const char *bad[3];
    pinata_client *out = NULL;
    pinata_key_permissions *perms = NULL;
    pinata_key_result *key = NULL;
    pinata_key_query *kq = NULL;
    pinata_pin_options *o = NULL;
    pinata_pin_result *r = NULL;
    pinata_pin_job *job = NULL;
    pinata_pin_job_query *jq = NULL;
    pinata_metadata_update *u = NULL;
    pinata_pin_list_query *lq = NULL;
    char *s = NULL;
    long pins_before, requests_before;
    int i;

    bad[0] = BAD_UTF8;
    bad[1] = OVERLONG_UTF8;
    bad[2] = LONE_SURROGATE;
    pinata_key_permissions_new(&perms, NULL);
    pinata_key_query_new(&kq, NULL);
    pinata_pin_options_new(&o, NULL);
    pinata_pin_job_query_new(&jq, NULL);
    pinata_metadata_update_new(&u, NULL);
    pinata_pin_list_query_new(&lq, NULL);

    for (i = 0; i < 3; i++) {
        const char *b = bad[i];
        BAD(PINATA_E_INVALID_ARGUMENT, "jwt", pinata_client_new_jwt(b, &out, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "api_key", pinata_client_new_keys(b, "s", &out, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "secret_api_key", pinata_client_new_keys("k", b, &out, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "base_url", pinata_client_set_base_url(c, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "path", pinata_client_set_ca_bundle(c, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "resource", pinata_key_permissions_allow_resource(perms, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "name", pinata_keys_create(c, b, perms, 0, &key, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "name", pinata_key_query_set_name(kq, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "api_key", pinata_keys_revoke(c, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "name", pinata_pin_options_set_name(o, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "key", pinata_pin_options_set_keyvalue_string(o, b, "v", &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "value", pinata_pin_options_set_keyvalue_string(o, "k", b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "key", pinata_pin_options_set_keyvalue_number(o, b, 1, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "group_id", pinata_pin_options_set_group_id(o, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "multiaddr", pinata_pin_options_add_host_node(o, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "path", pinata_pin_file(c, b, NULL, &r, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "file_name", pinata_pin_bytes(c, (const uint8_t *)"x", 1, b, NULL, &r, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "json", pinata_pin_json(c, b, NULL, &r, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "cid", pinata_pin_by_cid(c, b, NULL, &job, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "status", pinata_pin_job_query_set(jq, b, NULL, -1, 0, 0, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "cid", pinata_pin_job_query_set(jq, NULL, b, -1, 0, 0, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "name", pinata_metadata_update_set_name(u, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "key", pinata_metadata_update_set_string(u, b, "v", &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "value", pinata_metadata_update_set_string(u, "k", b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "key", pinata_metadata_update_set_number(u, b, 1, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "key", pinata_metadata_update_remove(u, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "cid", pinata_pin_update_metadata(c, b, u, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "cid", pinata_unpin(c, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "cid", pinata_pin_list_query_set_text(lq, b, NULL, NULL, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "group_id", pinata_pin_list_query_set_text(lq, NULL, b, NULL, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "name_contains", pinata_pin_list_query_set_text(lq, NULL, NULL, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "pin_start", pinata_pin_list_query_set_dates(lq, b, NULL, NULL, NULL, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "pin_end", pinata_pin_list_query_set_dates(lq, NULL, b, NULL, NULL, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "unpin_start", pinata_pin_list_query_set_dates(lq, NULL, NULL, b, NULL, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "unpin_end", pinata_pin_list_query_set_dates(lq, NULL, NULL, NULL, b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "key", pinata_pin_list_query_add_keyvalue_string(lq, b, PINATA_OP_EQ, "v", NULL, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "value", pinata_pin_list_query_add_keyvalue_string(lq, "k", PINATA_OP_EQ, b, NULL, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "second_value", pinata_pin_list_query_add_keyvalue_string(lq, "k", PINATA_OP_BETWEEN, "a", b, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "key", pinata_pin_list_query_add_keyvalue_number(lq, b, PINATA_OP_EQ, 1, 0, false, &err));
        BAD(PINATA_E_INVALID_ARGUMENT, "path", pinata_cid_of_path(b, 0, &s, &err));
    }

    /* CR/LF and other control characters in values bound for headers or the URL. */
    BAD(PINATA_E_INVALID_ARGUMENT, "jwt", pinata_client_new_jwt("a.b.c\r\nX-Injected: 1", &out, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "jwt", pinata_client_new_jwt("a.b.c\n", &out, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "jwt", pinata_client_new_jwt("a.b c", &out, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "api_key", pinata_client_new_keys("k\r", "s", &out, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "secret_api_key", pinata_client_new_keys("k", "s\n", &out, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "secret_api_key", pinata_client_new_keys("k", "s\t", &out, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "base_url", pinata_client_set_base_url(c, "http://127.0.0.1:1/\r\nHost: x", &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "base_url", pinata_client_set_base_url(c, "http://user@127.0.0.1:1", &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "base_url", pinata_client_set_base_url(c, "javascript:alert(1)", &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "api_key", pinata_keys_revoke(c, "key\r\n", &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "cid", pinata_unpin(c, "Qm../../data/pinList", &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "cid", pinata_unpin(c, "bafy\r\n", &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "key", pinata_pin_options_set_keyvalue_string(o, "k\n", "v", &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "file name", pinata_pin_bytes(c, (const uint8_t *)"x", 1, "a\"b", NULL, &r, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "file_name", pinata_pin_bytes(c, (const uint8_t *)"x", 1, "a\r\nb", NULL, &r, &err));

    /* Overlong strings. */
    BAD(PINATA_E_INVALID_ARGUMENT, "jwt", pinata_client_new_jwt(huge, &out, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "secret_api_key", pinata_client_new_keys("k", huge, &out, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "base_url", pinata_client_set_base_url(c, huge, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "name", pinata_keys_create(c, huge, perms, 0, &key, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "key", pinata_pin_options_set_keyvalue_string(o, huge, "v", &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "value", pinata_pin_options_set_keyvalue_string(o, "k", huge, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "key", pinata_metadata_update_set_string(u, huge, "v", &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "value", pinata_metadata_update_set_string(u, "k", huge, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "cid", pinata_unpin(c, huge, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "cid", pinata_pin_by_cid(c, huge, NULL, &job, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "multiaddr", pinata_pin_options_add_host_node(o, "", &err));
    {
        pinata_pin_options *named = NULL;
        pinata_pin_options_new(&named, NULL);
        CHECK_STATUS(PINATA_OK, pinata_pin_options_set_name(named, huge, NULL));
        BAD(PINATA_E_INVALID_ARGUMENT, "name", pinata_pin_bytes(c, (const uint8_t *)"x", 1, "x", named, &r, &err));
        pinata_pin_options_free(named);
    }
    {
        pinata_pin_list_query *q = NULL;
        pinata_pin_list_iter *it = NULL;
        pinata_pin_list_query_new(&q, NULL);
        CHECK_STATUS(PINATA_OK, pinata_pin_list_query_set_text(q, NULL, NULL, huge, NULL));
        BAD(PINATA_E_INVALID_ARGUMENT, "name_contains", pinata_pin_list_iter_new(c, q, &it, &err));
        CHECK(it == NULL);
        pinata_pin_list_query_free(q);
    }

    /* Numbers out of range. */
    BAD(PINATA_E_INVALID_ARGUMENT, "timeout_ms", pinata_client_set_connect_timeout_ms(c, 0, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "backoff", pinata_client_set_backoff_ms(c, 5000, 1, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "endpoint", pinata_key_permissions_allow_endpoint(perms, 1000, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "revoked", pinata_key_query_set_flags(kq, 7, -1, -1, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "exhausted", pinata_key_query_set_flags(kq, -1, -1, -9, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "cid_version", pinata_pin_options_set_cid_version(o, 7, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "cid_version", pinata_cid_of_bytes((const uint8_t *)"x", 1, -1, &s, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "limit", pinata_pin_job_query_set(jq, NULL, NULL, -1, 5000, 0, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "sort", pinata_pin_job_query_set(jq, NULL, NULL, 2, 0, 0, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "status", pinata_pin_list_query_set_status(lq, 99, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "min_bytes", pinata_pin_list_query_set_size_range(lq, -2, -1, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "page_limit", pinata_pin_list_query_set_paging(lq, 0, 0, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "op", pinata_pin_list_query_add_keyvalue_number(lq, "k", -1, 1, 0, false, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "finite", pinata_pin_list_query_add_keyvalue_number(lq, "k", PINATA_OP_GT, INFINITY, 0, false, &err));
    /* Bad JSON and the 10 MB limit, before anything is sent: the emulator sees no
     * request and the account's pins stay as they were. */
    pins_before = test_pin_count(c);
    requests_before = test_requests_total();
    BAD(PINATA_E_INVALID_ARGUMENT, "JSON", pinata_pin_json(c, "{\"a\": }", NULL, &r, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "JSON", pinata_pin_json(c, "", NULL, &r, &err));
    BAD(PINATA_E_INVALID_ARGUMENT, "JSON", pinata_pin_json(c, "{} trailing", NULL, &r, &err));
    {
        size_t n = 10 * 1000 * 1000 + 16;
        char *big = malloc(n + 1);
        CHECK(big != NULL);
        if (big != NULL) {
            memset(big, 'x', n);
            big[0] = '"';
            big[n - 1] = '"';
            big[n] = '\0';
            BAD(PINATA_E_INVALID_ARGUMENT, "at most", pinata_pin_json(c, big, NULL, &r, &err));
            free(big);
        }
    }
    CHECK(requests_before >= 0 && test_requests_total() == requests_before);
    CHECK(pins_before >= 0 && test_pin_count(c) == pins_before);

    pinata_key_result_free(key);
    pinata_pin_list_query_free(lq);
    pinata_metadata_update_free(u);
    pinata_pin_job_query_free(jq);
    pinata_pin_options_free(o);
    pinata_key_query_free(kq);
    pinata_key_permissions_free(perms);
    CHECK(out == NULL && r == NULL && job == NULL && s == NULL);
}

struct mutate {
    const char *path;
    int grow; /* 1: append to the file, 0: truncate it */
    int done;
};

static int32_t mutate_on_progress(uint64_t sent, uint64_t total, void *userdata) {
    struct mutate *m = (struct mutate *)userdata;
    (void)total;
    if (!m->done && sent > 0) {
        FILE *f = fopen(m->path, m->grow ? "ab" : "wb");
        if (f != NULL) {
            if (m->grow) {
                fwrite("more bytes", 1, 10, f);
            }
            fclose(f);
        }
        m->done = 1;
    }
    return 0;
}

static void files(pinata_client *c) {
    pinata_pin_result *r = NULL;
    pinata_pin_options *o = NULL;
    char *s = NULL;
    static char block[8 * 1024 * 1024];
    struct mutate m;
    FILE *f;

    /* Missing, special and unreadable files: an I/O error naming the path, no hang. */
    BAD(PINATA_E_IO, "/nonexistent/file", pinata_pin_file(c, "/nonexistent/file", NULL, &r, &err));
    BAD(PINATA_E_IO, "/dev/zero", pinata_pin_file(c, "/dev/zero", NULL, &r, &err));
    BAD(PINATA_E_IO, "/dev/null", pinata_pin_file(c, "/dev/null", NULL, &r, &err));
    BAD(PINATA_E_IO, "/dev/zero", pinata_cid_of_path("/dev/zero", 0, &s, &err));
    CHECK(mkfifo("bad-fifo", 0600) == 0);
    BAD(PINATA_E_IO, "bad-fifo", pinata_pin_file(c, "bad-fifo", NULL, &r, &err));
    BAD(PINATA_E_IO, "bad-fifo", pinata_cid_of_path("bad-fifo", 1, &s, &err));
    /* A directory holding a FIFO, a symlink loop, and a symlink leaving the root. */
    mkdir("bad-dir", 0700);
    f = fopen("bad-dir/ok.txt", "wb");
    if (f) { fputs("ok", f); fclose(f); }
    CHECK(mkfifo("bad-dir/pipe", 0600) == 0);
    BAD(PINATA_E_IO, "pipe", pinata_pin_file(c, "bad-dir", NULL, &r, &err));
    BAD(PINATA_E_IO, "pipe", pinata_cid_of_path("bad-dir", 0, &s, &err));
    remove("bad-dir/pipe");
    CHECK(symlink(".", "bad-dir/loop") == 0);
    BAD(PINATA_E_IO, "loop", pinata_pin_file(c, "bad-dir", NULL, &r, &err));
    remove("bad-dir/loop");
    CHECK(symlink("/tmp", "bad-dir/escape") == 0);
    BAD(PINATA_E_IO, "escape", pinata_pin_file(c, "bad-dir", NULL, &r, &err));
    remove("bad-dir/escape");
    CHECK(symlink("does-not-exist", "bad-dir/dangling") == 0);
    BAD(PINATA_E_IO, "dangling", pinata_pin_file(c, "bad-dir", NULL, &r, &err));
    remove("bad-dir/dangling");
    /* /proc/self/mem reads fail even for root: an unreadable file. */
    BAD(PINATA_E_IO, "/proc/self/mem", pinata_pin_file(c, "/proc/self/mem", NULL, &r, &err));

    /* A file that shrinks or grows while it is uploaded: an error, never a wrong pin.
     * The upload did reach the server (once: an I/O error is not retried), and the
     * account's pins stay as they were. */
    memset(block, 'g', sizeof block);
    pinata_pin_options_new(&o, NULL);
    for (m.grow = 0; m.grow <= 1; m.grow++) {
        long pins_before, requests_before;
        f = fopen("bad-changing.bin", "wb");
        if (f) { fwrite(block, 1, sizeof block, f); fclose(f); }
        m.path = "bad-changing.bin";
        m.done = 0;
        pinata_pin_options_set_progress(o, mutate_on_progress, &m, NULL);
        pins_before = test_pin_count(c);
        requests_before = test_requests_total();
        BAD(PINATA_E_IO, m.grow ? "grew" : "shrank", pinata_pin_file(c, "bad-changing.bin", o, &r, &err));
        CHECK(requests_before >= 0 && test_requests_total() == requests_before + 1);
        CHECK(pins_before >= 0 && test_pin_count(c) == pins_before);
    }
    pinata_pin_options_free(o);
    remove("bad-changing.bin");
    remove("bad-dir/ok.txt");
    rmdir("bad-dir");
    remove("bad-fifo");
    CHECK(r == NULL && s == NULL);
}

static void reuse_after_free(pinata_client *c) {
    /* Handles freed and re-created many times; options that outlive their cancel flag;
     * results freed in a different order than made. valgrind checks the memory. */
    int i;
    for (i = 0; i < 50; i++) {
        pinata_pin_options *o = NULL;
        pinata_cancel *k = NULL;
        pinata_pin_result *r1 = NULL, *r2 = NULL;
        char content[32];
        pinata_pin_options_new(&o, NULL);
        pinata_cancel_new(&k, NULL);
        pinata_pin_options_set_cancel(o, k, NULL);
        pinata_cancel_free(k);
        pinata_pin_options_set_name(o, "first", NULL);
        pinata_pin_options_set_name(o, "second", NULL);
        snprintf(content, sizeof content, "reuse %d", i);
        CHECK_STATUS(PINATA_OK, pinata_pin_bytes(c, (const uint8_t *)content, strlen(content), "r", o, &r1, NULL));
        pinata_pin_options_free(o);
        CHECK_STATUS(PINATA_OK, pinata_pin_bytes(c, (const uint8_t *)content, strlen(content), "r", NULL, &r2, NULL));
        CHECK(r1 != NULL && r2 != NULL && strcmp(pinata_pin_result_cid(r1), pinata_pin_result_cid(r2)) == 0);
        pinata_pin_result_free(r1);
        CHECK(pinata_pin_result_is_duplicate(r2));
        pinata_pin_result_free(r2);
    }
}

int main(void) {
    pinata_client *client = test_client();
    huge = malloc(100 * 1024 + 1);
    if (huge == NULL) {
        return 2;
    }
    memset(huge, 'a', 100 * 1024);
    huge[100 * 1024] = '\0';
    strings_everywhere(client);
    files(client);
    reuse_after_free(client);
    free(huge);
    pinata_client_free(client);
    printf("bad inputs tried: %d\n", inputs_tried);
    return check_finish("test_bad_input");
}
