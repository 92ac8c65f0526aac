/* The pinning and data C API as a C program uses it: options, uploads of files,
 * directories, bytes and JSON, results, progress and cancellation, pin by CID and jobs,
 * metadata updates, unpin, the pin list with filters and paging, usage. Every pointer
 * parameter is also passed as NULL. Runs under valgrind and ASan (tests/c/run.sh). */
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

static const char *HELLO_V1 = "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne";

static void write_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK(fwrite(data, 1, len, f) == len);
        fclose(f);
    }
}

static void test_options(void) {
    pinata_pin_options *o = NULL;
    int i;
    char key[16];
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_new(NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_new(&o, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_name(NULL, "n", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_name(o, "\xc3\x28", &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_name(o, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_name(o, "name", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_keyvalue_string(NULL, "k", "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_keyvalue_string(o, NULL, "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_keyvalue_string(o, "k", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_keyvalue_string(o, "k\n", "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_keyvalue_number(NULL, "k", 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_keyvalue_number(o, NULL, 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_keyvalue_number(o, "k", INFINITY, &err));
    for (i = 0; i < 10; i++) {
        snprintf(key, sizeof key, "k%d", i);
        CHECK_ERR(PINATA_OK, pinata_pin_options_set_keyvalue_number(o, key, i, &err));
    }
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_keyvalue_string(o, "k10", "v", &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_keyvalue_string(o, "k3", "replace", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_cid_version(NULL, 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_cid_version(o, 2, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_cid_version(o, -2, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_cid_version(o, -1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_wrap_with_directory(NULL, true, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_group_id(NULL, "g", &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_group_id(o, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_verify_cid(NULL, true, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_progress(NULL, NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_progress(o, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_set_cancel(NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_cancel(o, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_add_host_node(NULL, "/ip4/1.2.3.4", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_add_host_node(o, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_add_host_node(o, "not-a-multiaddr", &err));
    for (i = 0; i < 5; i++) {
        CHECK_ERR(PINATA_OK, pinata_pin_options_add_host_node(o, "/ip4/127.0.0.1/tcp/4001", &err));
    }
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_options_add_host_node(o, "/ip4/127.0.0.1/tcp/4001", &err));
    pinata_pin_options_free(o);
    pinata_pin_options_free(NULL);
    pinata_pin_result_free(NULL);
    pinata_pin_job_free(NULL);
    pinata_pin_job_list_free(NULL);
    pinata_pin_job_query_free(NULL);
    pinata_metadata_update_free(NULL);
    pinata_pin_list_query_free(NULL);
    pinata_pin_list_iter_free(NULL);
    pinata_cancel_free(NULL);
    pinata_cancel_request(NULL);
    pinata_cancel_reset(NULL);
}

static void test_uploads(pinata_client *client) {
    pinata_pin_options *o = NULL;
    pinata_pin_result *r = NULL;
    char *local = NULL;

    write_file("hello.txt", "Hello World!", 12);
    CHECK_ERR(PINATA_OK, pinata_pin_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_cid_version(o, 1, &err));

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_file(NULL, "hello.txt", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_file(client, NULL, o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_file(client, "hello.txt", o, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_file(client, "\xff", o, &r, &err));
    CHECK_ERR(PINATA_E_IO, pinata_pin_file(client, "missing.txt", o, &r, &err));
    CHECK_ERR(PINATA_E_IO, pinata_pin_file(client, "/dev/zero", o, &r, &err));
    CHECK(r == NULL);

    CHECK_ERR(PINATA_OK, pinata_pin_file(client, "hello.txt", o, &r, &err));
    CHECK(r != NULL && strcmp(pinata_pin_result_cid(r), HELLO_V1) == 0);
    CHECK(pinata_pin_result_size(r) == 12);
    CHECK(pinata_pin_result_timestamp(r) != NULL && pinata_pin_result_timestamp(r)[0] != '\0');
    CHECK(!pinata_pin_result_is_duplicate(r));
    CHECK(pinata_pin_result_local_cid(r) != NULL && strcmp(pinata_pin_result_local_cid(r), HELLO_V1) == 0);
    CHECK(pinata_pin_result_cid_check(r) == PINATA_CID_VERIFIED);
    CHECK(strstr(pinata_pin_result_raw_json(r), "IpfsHash") != NULL);
    pinata_pin_result_free(r);
    r = NULL;
    CHECK(pinata_pin_result_cid(NULL) == NULL && pinata_pin_result_size(NULL) == 0 &&
          pinata_pin_result_timestamp(NULL) == NULL && !pinata_pin_result_is_duplicate(NULL) &&
          pinata_pin_result_local_cid(NULL) == NULL && pinata_pin_result_raw_json(NULL) == NULL &&
          pinata_pin_result_cid_check(NULL) == PINATA_CID_NOT_CHECKED);

    /* Bytes: the same content is a duplicate. Verification off leaves no local CID. */
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_verify_cid(o, false, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_bytes(NULL, (const uint8_t *)"x", 1, "x", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_bytes(client, NULL, 1, "x", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_bytes(client, (const uint8_t *)"x", 1, NULL, o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_bytes(client, (const uint8_t *)"x", 1, "a/b", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_bytes(client, (const uint8_t *)"x", 1, "x", o, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_bytes(client, (const uint8_t *)"Hello World!", 12, "h.txt", o, &r, &err));
    CHECK(pinata_pin_result_is_duplicate(r));
    CHECK(pinata_pin_result_local_cid(r) == NULL);
    CHECK(pinata_pin_result_cid_check(r) == PINATA_CID_NOT_CHECKED);
    pinata_pin_result_free(r);
    r = NULL;
    /* The empty file, with NULL options. */
    CHECK_ERR(PINATA_OK, pinata_pin_bytes(client, NULL, 0, "empty", NULL, &r, &err));
    CHECK(r != NULL && strcmp(pinata_pin_result_cid(r), "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH") == 0);
    pinata_pin_result_free(r);
    r = NULL;

    /* JSON. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_json(NULL, "{}", NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_json(client, NULL, NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_json(client, "{}", NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_json(client, "{bad", NULL, &r, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_json(client, "{\"hello\": \"world\"}", NULL, &r, &err));
    CHECK_ERR(PINATA_OK, pinata_cid_of_bytes((const uint8_t *)"{\"hello\":\"world\"}", 17, 0, &local, &err));
    CHECK(r != NULL && local != NULL && strcmp(pinata_pin_result_cid(r), local) == 0);
    CHECK(pinata_pin_result_cid_check(r) == PINATA_CID_VERIFIED);
    pinata_string_free(local);
    pinata_pin_result_free(r);
    r = NULL;

    /* A directory, recursively, with a nested folder and a hidden file. */
    mkdir("site", 0700);
    mkdir("site/css", 0700);
    write_file("site/index.html", "<h1>hi</h1>", 11);
    write_file("site/css/a.css", "body{}", 6);
    write_file("site/.hidden", "h", 1);
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_verify_cid(o, true, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_name(o, "my site", &err));
    CHECK_ERR(PINATA_OK, pinata_pin_file(client, "site", o, &r, &err));
    CHECK_ERR(PINATA_OK, pinata_cid_of_path("site", 1, &local, &err));
    CHECK(r != NULL && local != NULL && strcmp(pinata_pin_result_cid(r), local) == 0);
    CHECK(pinata_pin_result_cid_check(r) == PINATA_CID_VERIFIED);
    pinata_string_free(local);
    pinata_pin_result_free(r);
    r = NULL;
    /* wrapWithDirectory on a single file. */
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_wrap_with_directory(o, true, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_file(client, "hello.txt", o, &r, &err));
    CHECK(r != NULL && strncmp(pinata_pin_result_cid(r), "bafybei", 7) == 0);
    CHECK(pinata_pin_result_cid_check(r) == PINATA_CID_VERIFIED);
    pinata_pin_result_free(r);

    remove("site/css/a.css");
    rmdir("site/css");
    remove("site/index.html");
    remove("site/.hidden");
    rmdir("site");
    pinata_pin_options_free(o);
}

struct progress_state {
    uint64_t last_sent, last_total;
    int calls;
    int cancel_after;
};

static int32_t on_progress(uint64_t sent, uint64_t total, void *userdata) {
    struct progress_state *s = (struct progress_state *)userdata;
    s->calls++;
    s->last_sent = sent;
    s->last_total = total;
    return (s->cancel_after > 0 && s->calls >= s->cancel_after) ? 1 : 0;
}

static void test_progress_and_cancel(pinata_client *client) {
    pinata_pin_options *o = NULL;
    pinata_pin_result *r = NULL;
    pinata_cancel *cancel = NULL;
    struct progress_state st = {0, 0, 0, 0};
    long pins_before, requests_before;
    static char big[2 * 1024 * 1024];
    memset(big, 'x', sizeof big);
    write_file("big.bin", big, sizeof big);

    CHECK_ERR(PINATA_OK, pinata_pin_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_progress(o, on_progress, &st, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_file(client, "big.bin", o, &r, &err));
    CHECK(st.calls > 0);
    CHECK(st.last_total > sizeof big);
    CHECK(st.last_sent == st.last_total);
    pinata_pin_result_free(r);
    r = NULL;

    /* A non-zero return cancels. */
    st.calls = 0;
    st.cancel_after = 1;
    CHECK_ERR(PINATA_E_CANCELLED, pinata_pin_file(client, "big.bin", o, &r, &err));
    CHECK(r == NULL);

    /* A raised cancel flag cancels before anything is sent: the emulator sees no
     * request and the account's pins stay as they were (content not pinned before, so
     * a leaked upload would add a pin). */
    write_file("never-sent.bin", "cancelled before sending", 24);
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_cancel_new(NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_cancel_new(&cancel, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_progress(o, NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_cancel(o, cancel, &err));
    pinata_cancel_request(cancel);
    pins_before = test_pin_count(client);
    requests_before = test_requests_total();
    CHECK_ERR(PINATA_E_CANCELLED, pinata_pin_file(client, "never-sent.bin", o, &r, &err));
    CHECK(r == NULL);
    CHECK(requests_before >= 0 && test_requests_total() == requests_before);
    CHECK(pins_before >= 0 && test_pin_count(client) == pins_before);
    pinata_cancel_reset(cancel);
    pinata_cancel_free(cancel); /* the options keep their own reference */
    CHECK_ERR(PINATA_OK, pinata_pin_file(client, "big.bin", o, &r, &err));
    pinata_pin_result_free(r);
    pinata_pin_options_free(o);
    remove("big.bin");
    remove("never-sent.bin");
}

static void test_jobs_metadata_unpin(pinata_client *client) {
    pinata_pin_options *o = NULL;
    pinata_pin_job *job = NULL;
    const pinata_pin_job_info *info = NULL;
    pinata_pin_job_query *q = NULL;
    pinata_pin_job_list *list = NULL;
    pinata_metadata_update *u = NULL;
    pinata_pin_result *r = NULL;
    char path[128];

    CHECK_ERR(PINATA_OK, pinata_pin_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_name(o, "remote", &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_add_host_node(o, "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWExample", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_by_cid(NULL, HELLO_V1, o, &job, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_by_cid(client, NULL, o, &job, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_by_cid(client, HELLO_V1, o, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_by_cid(client, "Qmnope", o, &job, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_by_cid(client, HELLO_V1, o, &job, &err));
    info = pinata_pin_job_get_info(job);
    CHECK(info != NULL && strcmp(pinata_pin_job_info_cid(info), HELLO_V1) == 0);
    CHECK(strcmp(pinata_pin_job_info_status(info), "prechecking") == 0);
    CHECK(pinata_pin_job_info_name(info) != NULL && strcmp(pinata_pin_job_info_name(info), "remote") == 0);
    CHECK(pinata_pin_job_info_id(info) != NULL && pinata_pin_job_info_raw_json(info) != NULL);
    (void)pinata_pin_job_info_date_queued(info);
    CHECK(pinata_pin_job_get_info(NULL) == NULL);
    CHECK(pinata_pin_job_info_id(NULL) == NULL && pinata_pin_job_info_cid(NULL) == NULL &&
          pinata_pin_job_info_status(NULL) == NULL && pinata_pin_job_info_name(NULL) == NULL &&
          pinata_pin_job_info_date_queued(NULL) == NULL && pinata_pin_job_info_raw_json(NULL) == NULL);
    snprintf(path, sizeof path, "/__emulator/pin-jobs/%s/advance", pinata_pin_job_info_id(info));
    CHECK(test_hook("POST", path, NULL) == 0);

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_job_query_new(NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_job_query_new(&q, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_job_query_set(NULL, NULL, NULL, -1, 0, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_job_query_set(q, NULL, NULL, 3, 0, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_job_query_set(q, NULL, NULL, -1, 1001, 0, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_job_query_set(q, "searching", HELLO_V1, 1, 10, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_jobs_list(NULL, q, &list, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_jobs_list(client, q, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_jobs_list(client, q, &list, &err));
    CHECK(pinata_pin_job_list_len(list) == 1);
    CHECK(pinata_pin_job_list_total(list) == 1);
    CHECK(strcmp(pinata_pin_job_info_status(pinata_pin_job_list_get(list, 0)), "searching") == 0);
    CHECK(pinata_pin_job_list_get(list, 1) == NULL);
    CHECK(pinata_pin_job_list_len(NULL) == 0 && pinata_pin_job_list_total(NULL) == -1 &&
          pinata_pin_job_list_get(NULL, 0) == NULL);
    pinata_pin_job_list_free(list);
    list = NULL;
    CHECK_ERR(PINATA_OK, pinata_pin_jobs_list(client, NULL, &list, &err));
    CHECK(pinata_pin_job_list_len(list) >= 1);
    pinata_pin_job_list_free(list);
    pinata_pin_job_query_free(q);
    pinata_pin_job_free(job);

    /* Metadata: pin, rename, change keys. */
    CHECK_ERR(PINATA_OK, pinata_pin_bytes(client, (const uint8_t *)"meta", 4, "m.txt", NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_metadata_update_new(NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_metadata_update_new(&u, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_metadata_update_set_name(NULL, "n", &err));
    CHECK_ERR(PINATA_OK, pinata_metadata_update_set_name(u, "renamed", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_metadata_update_set_string(NULL, "k", "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_metadata_update_set_string(u, NULL, "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_metadata_update_set_string(u, "k", NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_metadata_update_set_string(u, "env", "prod", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_metadata_update_set_number(NULL, "k", 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_metadata_update_set_number(u, "k", NAN, &err));
    CHECK_ERR(PINATA_OK, pinata_metadata_update_set_number(u, "n", 7, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_metadata_update_remove(NULL, "k", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_metadata_update_remove(u, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_metadata_update_remove(u, "gone", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_update_metadata(NULL, pinata_pin_result_cid(r), u, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_update_metadata(client, NULL, u, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_update_metadata(client, pinata_pin_result_cid(r), NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_update_metadata(client, "nope", u, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_update_metadata(client, pinata_pin_result_cid(r), u, &err));
    pinata_metadata_update_free(u);

    /* Unpin, then unpin again: not pinned by this account. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_unpin(NULL, pinata_pin_result_cid(r), &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_unpin(client, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_unpin(client, "garbage", &err));
    CHECK_ERR(PINATA_OK, pinata_unpin(client, pinata_pin_result_cid(r), &err));
    {
        pinata_error *err = NULL;
        CHECK(pinata_unpin(client, pinata_pin_result_cid(r), &err) == PINATA_E_NOT_FOUND);
        CHECK(pinata_error_http_status(err) == 400);
        CHECK(pinata_error_reason(err) != NULL &&
              strcmp(pinata_error_reason(err), "CURRENT_USER_HAS_NOT_PINNED_CID") == 0);
        pinata_error_free(err);
    }
    pinata_pin_result_free(r);
    pinata_pin_options_free(o);
}

/* Rows the query lists over all pages, or -1 when any call fails: a failed listing
 * must never read as "no rows". */
static long count_rows(pinata_client *client, const pinata_pin_list_query *q) {
    pinata_pin_list_iter *it = NULL;
    const pinata_pin_row *row = NULL;
    pinata_error *err = NULL;
    long n = 0;
    if (pinata_pin_list_iter_new(client, q, &it, &err) != PINATA_OK) {
        fprintf(stderr, "count_rows: %s\n", pinata_error_message(err));
        pinata_error_free(err);
        return -1;
    }
    for (;;) {
        if (pinata_pin_list_iter_next(it, &row, &err) != PINATA_OK) {
            fprintf(stderr, "count_rows: %s\n", pinata_error_message(err));
            pinata_error_free(err);
            n = -1;
            break;
        }
        if (row == NULL) {
            break;
        }
        n++;
    }
    pinata_pin_list_iter_free(it);
    return n;
}

static void test_pin_list(pinata_client *client) {
    pinata_pin_options *o = NULL;
    pinata_pin_result *r = NULL;
    pinata_pin_list_query *q = NULL;
    pinata_pin_list_iter *it = NULL;
    const pinata_pin_row *row = NULL;
    uint64_t count = 0, total = 0, repl = 0;
    char content[32], name[32];
    int i;

    CHECK(test_hook("POST", "/__emulator/reset", NULL) == 0);
    for (i = 0; i < 12; i++) {
        CHECK_ERR(PINATA_OK, pinata_pin_options_new(&o, &err));
        snprintf(name, sizeof name, "item-%02d", i);
        CHECK_ERR(PINATA_OK, pinata_pin_options_set_name(o, name, &err));
        CHECK_ERR(PINATA_OK, pinata_pin_options_set_keyvalue_number(o, "n", i, &err));
        CHECK_ERR(PINATA_OK, pinata_pin_options_set_keyvalue_string(o, "parity", i % 2 ? "odd" : "even", &err));
        snprintf(content, sizeof content, "content %d", i);
        CHECK_ERR(PINATA_OK, pinata_pin_bytes(client, (const uint8_t *)content, strlen(content), "f.txt", o, &r, &err));
        pinata_pin_result_free(r);
        pinata_pin_options_free(o);
    }

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_new(NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_query_new(&q, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_set_paging(NULL, 5, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_set_paging(q, 0, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_set_paging(q, 1001, 0, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_query_set_paging(q, 5, 0, &err));
    CHECK(count_rows(client, q) == 12); /* three pages of 5, 5, 2 */
    {
        /* The iterator keeps its own reference to the client and the query: both may
         * be freed first (valgrind and ASan check the memory). */
        pinata_client *own = test_client();
        pinata_pin_list_query *own_q = NULL;
        size_t n = 0;
        CHECK_ERR(PINATA_OK, pinata_pin_list_query_new(&own_q, &err));
        CHECK_ERR(PINATA_OK, pinata_pin_list_query_set_paging(own_q, 5, 0, &err));
        CHECK_ERR(PINATA_OK, pinata_pin_list_iter_new(own, own_q, &it, &err));
        pinata_pin_list_query_free(own_q);
        pinata_client_free(own);
        while (pinata_pin_list_iter_next(it, &row, NULL) == PINATA_OK && row != NULL) {
            n++;
        }
        CHECK(n == 12);
        pinata_pin_list_iter_free(it);
        it = NULL;
    }

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_iter_new(NULL, q, &it, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_iter_new(client, q, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_iter_new(client, q, &it, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_iter_next(NULL, &row, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_iter_next(it, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_iter_next(it, &row, &err));
    CHECK(row != NULL);
    CHECK(pinata_pin_list_iter_total(it) == 12);
    CHECK(pinata_pin_row_id(row) != NULL && pinata_pin_row_cid(row) != NULL);
    CHECK(pinata_pin_row_size(row) > 0);
    CHECK(pinata_pin_row_date_pinned(row) != NULL);
    CHECK(pinata_pin_row_date_unpinned(row) == NULL);
    CHECK(pinata_pin_row_name(row) != NULL && strncmp(pinata_pin_row_name(row), "item-", 5) == 0);
    CHECK(strstr(pinata_pin_row_keyvalues_json(row), "parity") != NULL);
    CHECK(strstr(pinata_pin_row_raw_json(row), "ipfs_pin_hash") != NULL);
    pinata_pin_list_iter_free(it);
    CHECK(pinata_pin_row_id(NULL) == NULL && pinata_pin_row_cid(NULL) == NULL &&
          pinata_pin_row_size(NULL) == 0 && pinata_pin_row_date_pinned(NULL) == NULL &&
          pinata_pin_row_date_unpinned(NULL) == NULL && pinata_pin_row_name(NULL) == NULL &&
          pinata_pin_row_keyvalues_json(NULL) == NULL && pinata_pin_row_raw_json(NULL) == NULL);
    CHECK(pinata_pin_list_iter_total(NULL) == -1);

    /* Filters. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_add_keyvalue_string(NULL, "parity", PINATA_OP_EQ, "odd", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_add_keyvalue_string(q, NULL, PINATA_OP_EQ, "odd", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_add_keyvalue_string(q, "parity", PINATA_OP_EQ, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_add_keyvalue_string(q, "parity", 99, "odd", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_add_keyvalue_string(q, "parity", PINATA_OP_EQ, "odd", "x", &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_query_add_keyvalue_string(q, "parity", PINATA_OP_EQ, "odd", NULL, &err));
    CHECK(count_rows(client, q) == 6);
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_add_keyvalue_number(NULL, "n", PINATA_OP_BETWEEN, 2, 6, true, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_add_keyvalue_number(q, NULL, PINATA_OP_BETWEEN, 2, 6, true, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_add_keyvalue_number(q, "n", PINATA_OP_BETWEEN, 2, 0, false, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_query_add_keyvalue_number(q, "n", PINATA_OP_BETWEEN, 2, 6, true, &err));
    CHECK(count_rows(client, q) == 2); /* 3 and 5 */
    pinata_pin_list_query_free(q);

    CHECK_ERR(PINATA_OK, pinata_pin_list_query_new(&q, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_set_text(NULL, NULL, NULL, "x", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_set_text(q, "\xff", NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_query_set_text(q, NULL, NULL, "item-1", &err));
    CHECK(count_rows(client, q) == 2); /* item-10, item-11 */
    CHECK_ERR(PINATA_OK, pinata_pin_list_query_set_text(q, NULL, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_set_status(NULL, PINATA_PIN_STATUS_PINNED, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_set_status(q, 3, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_query_set_status(q, PINATA_PIN_STATUS_UNPINNED, &err));
    CHECK(count_rows(client, q) == 0);
    CHECK_ERR(PINATA_OK, pinata_pin_list_query_set_status(q, PINATA_PIN_STATUS_PINNED, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_set_size_range(NULL, -1, -1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_set_size_range(q, -5, -1, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_query_set_size_range(q, 0, 1000000, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_list_query_set_dates(NULL, NULL, NULL, NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_query_set_dates(q, "2000-01-01T00:00:00.000Z", NULL, NULL, NULL, &err));
    CHECK(count_rows(client, q) == 12);
    CHECK_ERR(PINATA_OK, pinata_pin_list_query_set_dates(q, "2999-01-01T00:00:00.000Z", NULL, NULL, NULL, &err));
    CHECK(count_rows(client, q) == 0);
    pinata_pin_list_query_free(q);

    /* Usage. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_usage(NULL, &count, &total, &repl, &err));
    CHECK_ERR(PINATA_OK, pinata_usage(client, &count, &total, &repl, &err));
    CHECK(count == 12);
    CHECK(total > 0);
    CHECK_ERR(PINATA_OK, pinata_usage(client, NULL, NULL, NULL, &err));
}

/* serde_json's private raw-value token is an ordinary key to Pinata and to callers: with
 * serde_json's `raw_value` feature, a JSON tree read took an object whose first key was
 * that token for the token's value (a string of JSON) and lost the object. */
#define SERDE_TOKEN "$serde_json::private::RawValue"

static void test_keyvalue_named_like_serde_token(pinata_client *client) {
    pinata_pin_options *o = NULL;
    pinata_pin_result *r = NULL;
    pinata_pin_list_query *q = NULL;
    pinata_pin_list_iter *it = NULL;
    const pinata_pin_row *row = NULL;
    char cid[128] = "";

    CHECK_ERR(PINATA_OK, pinata_pin_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_keyvalue_string(o, SERDE_TOKEN, "[1]", &err));
    CHECK_ERR(PINATA_OK, pinata_pin_bytes(client, (const uint8_t *)"token", 5, "t.txt", o, &r, &err));
    if (r != NULL) {
        snprintf(cid, sizeof cid, "%s", pinata_pin_result_cid(r));
    }
    pinata_pin_result_free(r);
    pinata_pin_options_free(o);

    CHECK_ERR(PINATA_OK, pinata_pin_list_query_new(&q, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_query_set_text(q, cid, NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_iter_new(client, q, &it, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_list_iter_next(it, &row, &err));
    CHECK(row != NULL);
    if (row != NULL) {
        CHECK(strcmp(pinata_pin_row_keyvalues_json(row), "{\"" SERDE_TOKEN "\":\"[1]\"}") == 0);
        CHECK(strstr(pinata_pin_row_raw_json(row), SERDE_TOKEN) != NULL);
    }
    pinata_pin_list_iter_free(it);
    pinata_pin_list_query_free(q);

    /* A JSON pin whose document starts with that key: pinned as written, and the CID the
     * service computed from it is the one computed here. */
    CHECK_ERR(PINATA_OK, pinata_pin_json(client, "{\"" SERDE_TOKEN "\": \"[1]\"}", NULL, &r, &err));
    CHECK(r != NULL && pinata_pin_result_cid_check(r) == PINATA_CID_VERIFIED);
    pinata_pin_result_free(r);
}

int main(void) {
    pinata_client *client = test_client();
    test_options();
    test_uploads(client);
    test_progress_and_cancel(client);
    test_jobs_metadata_unpin(client);
    test_pin_list(client);
    test_keyvalue_named_like_serde_token(client);
    pinata_client_free(client);
    remove("hello.txt");
    return check_finish("test_pinning");
}
