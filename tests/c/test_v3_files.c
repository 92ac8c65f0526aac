/* The v3 Files C API as a C program uses it: upload options and uploads (file, bytes,
 * JSON; public and private) with the CID check, progress and cancellation; files
 * listing through the page-token iterator with every filter, get, update, delete;
 * signed upload URLs used with no credentials; download links and the private /files/
 * path; the v3 pin-by-CID queue. Bad input (NULL, invalid UTF-8, CR/LF, overlong, out of
 * range, unknown ids), faults injected on the v3 paths, and the secrets rule (signed
 * URLs and download links never in a message). Runs under valgrind and ASan
 * (tests/c/run.sh). */
#include <unistd.h>
#include "check.h"

static const char *HELLO_V1 = "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne";
/* `hello world\n` as kubo adds it (tests/VECTORS.md). */
static const char *HELLO_V0 = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
static const char *BAD_UTF8 = "\xc3\x28";

static char overlong[70 * 1024];

static pinata_client *v3_client(void) {
    pinata_client *c = test_client();
    CHECK_STATUS(PINATA_OK, pinata_client_set_upload_url(c, test_env("PINATA_TEST_URL"), NULL));
    return c;
}

static void write_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK(fwrite(data, 1, len, f) == len);
        fclose(f);
    }
}

static void test_client_upload_url(void) {
    pinata_client *c = test_client();
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_upload_url(NULL, "https://x", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_upload_url(c, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_upload_url(c, BAD_UTF8, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_upload_url(c, "https://a\r\nb", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_upload_url(c, "http://example.com", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_upload_url(c, overlong, &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_upload_url(c, "https://uploads.example", &err));
    pinata_client_free(c);
}

static int stop_at_once(uint64_t sent, uint64_t total, void *userdata) {
    (void)sent;
    (void)total;
    ++*(int *)userdata;
    return 1;
}

static void test_options(void) {
    pinata_upload_options *o = NULL;
    int i;
    char key[16];
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_new(NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_new(&o, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_network(NULL, PINATA_NETWORK_PUBLIC, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_network(o, 7, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_name(NULL, "n", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_name(o, BAD_UTF8, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_name(o, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_keyvalue(NULL, "k", "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_keyvalue(o, NULL, "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_keyvalue(o, "k", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_keyvalue(o, "k\n", "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_keyvalue(o, "k", overlong, &err));
    for (i = 0; i < 10; i++) {
        snprintf(key, sizeof key, "k%d", i);
        CHECK_ERR(PINATA_OK, pinata_upload_options_set_keyvalue(o, key, "v", &err));
    }
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_keyvalue(o, "k10", "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_group_id(NULL, "g", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_group_id(o, BAD_UTF8, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_group_id(o, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_cid_version(NULL, 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_cid_version(o, 2, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_cid_version(o, -2, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_cid_version(o, -1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_car(NULL, true, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_streamable(NULL, true, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_expires_at(NULL, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_expires_at(o, 1000, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_expires_at(o, -5, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_expires_at(o, 0, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_expires_at(o, 4102444800LL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_verify_cid(NULL, true, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_progress(NULL, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_options_set_cancel(NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_cancel(o, NULL, &err));
    pinata_upload_options_free(o);
    pinata_upload_options_free(NULL);
    pinata_upload_result_free(NULL);
    pinata_file_row_free(NULL);
    pinata_files_query_free(NULL);
    pinata_files_list_iter_free(NULL);
    pinata_sign_options_free(NULL);
    pinata_files_pin_options_free(NULL);
    pinata_files_pin_request_free(NULL);
    pinata_files_pin_queue_iter_free(NULL);
    /* Accessors of NULL handles. */
    CHECK(pinata_file_row_id(NULL) == NULL && pinata_file_row_cid(NULL) == NULL);
    CHECK(pinata_file_row_size(NULL) == 0 && !pinata_file_row_is_duplicate(NULL));
    CHECK(pinata_upload_result_file(NULL) == NULL && pinata_upload_result_cid(NULL) == NULL);
    CHECK(pinata_upload_result_cid_check(NULL) == PINATA_CID_NOT_CHECKED);
    CHECK(pinata_files_pin_request_id(NULL) == NULL);
}

static char uploaded_id[128];

static void test_uploads(pinata_client *c) {
    pinata_upload_options *o = NULL;
    pinata_upload_result *r = NULL;
    const pinata_file_row *row;
    pinata_cancel *cancel = NULL;
    int calls = 0;
    static char big[300000];

    write_file("v3-hello.txt", "Hello World!", 12);
    CHECK_STATUS(PINATA_OK, pinata_upload_options_new(&o, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_network(o, PINATA_NETWORK_PUBLIC, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_name(o, "greeting", NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_keyvalue(o, "env", "test", NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_group_id(o, "group-1", NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_streamable(o, true, NULL));
    CHECK_ERR(PINATA_OK, pinata_upload_file(c, "v3-hello.txt", o, &r, &err));
    CHECK(r != NULL);
    if (r != NULL) {
        row = pinata_upload_result_file(r);
        CHECK(strcmp(pinata_upload_result_cid(r), HELLO_V1) == 0);
        CHECK(strcmp(pinata_file_row_cid(row), HELLO_V1) == 0);
        CHECK(strcmp(pinata_upload_result_local_cid(r), HELLO_V1) == 0);
        CHECK(pinata_upload_result_cid_check(r) == PINATA_CID_VERIFIED);
        CHECK(strcmp(pinata_file_row_name(row), "greeting") == 0);
        CHECK(strcmp(pinata_file_row_group_id(row), "group-1") == 0);
        CHECK(strcmp(pinata_file_row_keyvalues_json(row), "{\"env\":\"test\"}") == 0);
        CHECK(strcmp(pinata_file_row_mime_type(row), "text/plain") == 0);
        CHECK(pinata_file_row_size(row) == 12);
        CHECK(pinata_file_row_number_of_files(row) == 1);
        CHECK(pinata_file_row_created_at(row) != NULL);
        CHECK(!pinata_file_row_is_duplicate(row));
        CHECK(strstr(pinata_upload_result_raw_json(r), "\"data\"") != NULL);
        CHECK(strstr(pinata_file_row_raw_json(row), "\"network\":\"public\"") != NULL);
        snprintf(uploaded_id, sizeof uploaded_id, "%s", pinata_file_row_id(row));
    }
    pinata_upload_result_free(r);
    r = NULL;
    /* The same bytes again: a duplicate. */
    CHECK_ERR(PINATA_OK, pinata_upload_bytes(c, (const uint8_t *)"Hello World!", 12, "again.txt", o, &r, &err));
    CHECK(r != NULL && pinata_file_row_is_duplicate(pinata_upload_result_file(r)));
    pinata_upload_result_free(r);
    r = NULL;
    pinata_upload_options_free(o);

    /* Private by default, v0 on request. */
    CHECK_STATUS(PINATA_OK, pinata_upload_options_new(&o, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_cid_version(o, 0, NULL));
    CHECK_ERR(PINATA_OK, pinata_upload_bytes(c, (const uint8_t *)"hello world\n", 12, "p.txt", o, &r, &err));
    CHECK(r != NULL && strcmp(pinata_upload_result_cid(r), HELLO_V0) == 0);
    CHECK(r != NULL && strstr(pinata_file_row_raw_json(pinata_upload_result_file(r)), "\"private\"") != NULL);
    pinata_upload_result_free(r);
    r = NULL;
    pinata_upload_options_free(o);

    /* JSON, as written, with options NULL. */
    CHECK_ERR(PINATA_OK, pinata_upload_json(c, "{\"a\":1}", NULL, &r, &err));
    CHECK(r != NULL && strcmp(pinata_file_row_name(pinata_upload_result_file(r)), "data.json") == 0);
    CHECK(r != NULL && pinata_upload_result_cid_check(r) == PINATA_CID_VERIFIED);
    pinata_upload_result_free(r);
    r = NULL;

    /* Progress cancels; a raised flag cancels. */
    CHECK_STATUS(PINATA_OK, pinata_upload_options_new(&o, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_progress(o, stop_at_once, &calls, NULL));
    CHECK_ERR(PINATA_E_CANCELLED, pinata_upload_bytes(c, (const uint8_t *)big, sizeof big, "big.bin", o, &r, &err));
    CHECK(calls >= 1 && r == NULL);
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_progress(o, NULL, NULL, NULL));
    CHECK_STATUS(PINATA_OK, pinata_cancel_new(&cancel, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_cancel(o, cancel, NULL));
    pinata_cancel_request(cancel);
    CHECK_ERR(PINATA_E_CANCELLED, pinata_upload_bytes(c, (const uint8_t *)big, sizeof big, "big.bin", o, &r, &err));
    pinata_cancel_free(cancel);
    /* car applies to the public network only. */
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_cancel(o, NULL, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_car(o, true, NULL));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_bytes(c, (const uint8_t *)"x", 1, "x.car", o, &r, &err));
    pinata_upload_options_free(o);

    /* Bad input. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_file(NULL, "v3-hello.txt", NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_file(c, NULL, NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_file(c, BAD_UTF8, NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_file(c, "v3-hello.txt", NULL, NULL, &err));
    CHECK_ERR(PINATA_E_IO, pinata_upload_file(c, "no-such-file", NULL, &r, &err));
    CHECK_ERR(PINATA_E_IO, pinata_upload_file(c, ".", NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_bytes(c, NULL, 3, "x", NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_bytes(c, (const uint8_t *)"x", 1, "a/b", NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_bytes(c, (const uint8_t *)"x", 1, "a\r\nb", NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_json(c, "{nope", NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_json(c, NULL, NULL, &r, &err));
    CHECK(r == NULL);
}

static int count_files(pinata_client *c, int network, pinata_files_query *q) {
    pinata_files_list_iter *it = NULL;
    const pinata_file_row *row = NULL;
    int n = 0;
    CHECK_ERR(PINATA_OK, pinata_files_list_iter_new(c, network, q, &it, &err));
    for (;;) {
        pinata_status s = pinata_files_list_iter_next(it, &row, NULL);
        CHECK(s == PINATA_OK);
        if (s != PINATA_OK || row == NULL) {
            break;
        }
        n++;
    }
    pinata_files_list_iter_free(it);
    return n;
}

static void test_files(pinata_client *c) {
    pinata_files_query *q = NULL;
    pinata_file_row *row = NULL;
    pinata_upload_options *o = NULL;
    pinata_upload_result *r = NULL;
    pinata_files_list_iter *it = NULL;
    const pinata_file_row *borrowed_row = NULL;
    char data[32];
    int i;

    CHECK_STATUS(PINATA_OK, pinata_upload_options_new(&o, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_network(o, PINATA_NETWORK_PUBLIC, NULL));
    for (i = 0; i < 5; i++) {
        snprintf(data, sizeof data, "file %d", i);
        CHECK_STATUS(PINATA_OK, pinata_upload_options_set_keyvalue(o, "i", i < 2 ? "low" : "high", NULL));
        CHECK_STATUS(PINATA_OK, pinata_upload_bytes(c, (const uint8_t *)data, strlen(data),
                                                    i == 4 ? "d.json" : "d.txt", o, &r, NULL));
        pinata_upload_result_free(r);
        r = NULL;
    }
    pinata_upload_options_free(o);
    /* 6 public files (the greeting, and 5) by pages of 2. */
    CHECK_ERR(PINATA_OK, pinata_files_query_new(&q, &err));
    CHECK_ERR(PINATA_OK, pinata_files_query_set_limit(q, 2, &err));
    CHECK(count_files(c, PINATA_NETWORK_PUBLIC, q) == 6);
    CHECK(count_files(c, PINATA_NETWORK_PUBLIC, NULL) == 6);
    CHECK(count_files(c, PINATA_NETWORK_PRIVATE, NULL) == 2); /* hello world (v0) and the JSON */
    CHECK_ERR(PINATA_OK, pinata_files_query_add_keyvalue(q, "i", "low", &err));
    CHECK(count_files(c, PINATA_NETWORK_PUBLIC, q) == 2);
    pinata_files_query_free(q);
    q = NULL;
    CHECK_STATUS(PINATA_OK, pinata_files_query_new(&q, NULL));
    CHECK_ERR(PINATA_OK, pinata_files_query_set_group(q, "group-1", &err));
    CHECK(count_files(c, PINATA_NETWORK_PUBLIC, q) == 1);
    CHECK_ERR(PINATA_OK, pinata_files_query_set_no_group(q, true, &err));
    CHECK(count_files(c, PINATA_NETWORK_PUBLIC, q) == 5);
    CHECK_ERR(PINATA_OK, pinata_files_query_set_no_group(q, false, &err));
    CHECK_ERR(PINATA_OK, pinata_files_query_set_mime_type(q, "application/json", &err));
    CHECK(count_files(c, PINATA_NETWORK_PUBLIC, q) == 1);
    CHECK_ERR(PINATA_OK, pinata_files_query_set_mime_type(q, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_files_query_set_cid(q, HELLO_V1, &err));
    CHECK(count_files(c, PINATA_NETWORK_PUBLIC, q) == 1);
    CHECK_ERR(PINATA_OK, pinata_files_query_set_cid(q, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_files_query_set_name(q, "greet", &err));
    CHECK(count_files(c, PINATA_NETWORK_PUBLIC, q) == 1);
    CHECK_ERR(PINATA_OK, pinata_files_query_set_cid_pending(q, true, &err));
    CHECK(count_files(c, PINATA_NETWORK_PUBLIC, q) == 0);
    CHECK_ERR(PINATA_OK, pinata_files_query_set_cid_pending(q, false, &err));
    CHECK_ERR(PINATA_OK, pinata_files_query_set_name(q, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_files_query_set_order(q, PINATA_ORDER_ASC, &err));
    CHECK_ERR(PINATA_OK, pinata_files_list_iter_new(c, PINATA_NETWORK_PUBLIC, q, &it, &err));
    pinata_files_query_free(q); /* the iterator copied it */
    q = NULL;
    CHECK_ERR(PINATA_OK, pinata_files_list_iter_next(it, &borrowed_row, &err));
    CHECK(borrowed_row != NULL && strcmp(pinata_file_row_id(borrowed_row), uploaded_id) == 0);
    pinata_files_list_iter_free(it);
    /* Query bad input. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_new(NULL, &err));
    CHECK_STATUS(PINATA_OK, pinata_files_query_new(&q, NULL));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_set_limit(q, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_set_limit(q, 1001, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_set_limit(NULL, 5, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_set_order(q, 5, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_set_name(q, BAD_UTF8, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_set_group(NULL, "g", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_set_no_group(NULL, true, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_set_mime_type(NULL, "x", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_set_cid(NULL, "x", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_set_cid_pending(NULL, true, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_add_keyvalue(q, "k\r\n", "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_query_add_keyvalue(q, NULL, "v", &err));
    CHECK_ERR(PINATA_OK, pinata_files_query_set_name(q, "a\nb", &err)); /* checked when listing */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_list_iter_new(c, PINATA_NETWORK_PUBLIC, q, &it, &err));
    pinata_files_query_free(q);
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_list_iter_new(NULL, PINATA_NETWORK_PUBLIC, NULL, &it, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_list_iter_new(c, 9, NULL, &it, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_list_iter_new(c, PINATA_NETWORK_PUBLIC, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_list_iter_next(NULL, &borrowed_row, &err));

    /* Get, update, delete. */
    CHECK_ERR(PINATA_OK, pinata_files_get(c, PINATA_NETWORK_PUBLIC, uploaded_id, &row, &err));
    CHECK(row != NULL && strcmp(pinata_file_row_cid(row), HELLO_V1) == 0);
    pinata_file_row_free(row);
    row = NULL;
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_files_get(c, PINATA_NETWORK_PUBLIC, "0190aaaa-0000-7000-8000-000000000000", &row, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_files_get(c, PINATA_NETWORK_PRIVATE, uploaded_id, &row, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_get(c, PINATA_NETWORK_PUBLIC, "a\r\nb", &row, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_get(c, PINATA_NETWORK_PUBLIC, overlong, &row, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_get(c, PINATA_NETWORK_PUBLIC, NULL, &row, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_get(c, -1, uploaded_id, &row, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_get(c, PINATA_NETWORK_PUBLIC, uploaded_id, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_get(NULL, PINATA_NETWORK_PUBLIC, uploaded_id, &row, &err));
    CHECK_ERR(PINATA_OK, pinata_files_update(c, PINATA_NETWORK_PUBLIC, uploaded_id, "renamed",
                                             "{\"env\":null,\"n\":2}", 4102444800LL, &row, &err));
    CHECK(row != NULL && strcmp(pinata_file_row_name(row), "renamed") == 0);
    CHECK(row != NULL && strcmp(pinata_file_row_keyvalues_json(row), "{\"n\":2}") == 0);
    pinata_file_row_free(row);
    row = NULL;
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_update(c, PINATA_NETWORK_PUBLIC, uploaded_id, NULL, NULL, 0, &row, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_update(c, PINATA_NETWORK_PUBLIC, uploaded_id, NULL, "[1]", 0, &row, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_update(c, PINATA_NETWORK_PUBLIC, uploaded_id, NULL, "{bad", 0, &row, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_update(c, PINATA_NETWORK_PUBLIC, uploaded_id, NULL, NULL, 5, &row, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_update(c, PINATA_NETWORK_PUBLIC, uploaded_id, NULL, NULL, -5, &row, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_update(c, PINATA_NETWORK_PUBLIC, uploaded_id, BAD_UTF8, NULL, 0, &row, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_files_update(c, PINATA_NETWORK_PUBLIC, "nope", "x", NULL, 0, &row, &err));
    CHECK_ERR(PINATA_OK, pinata_files_delete(c, PINATA_NETWORK_PUBLIC, uploaded_id, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_files_delete(c, PINATA_NETWORK_PUBLIC, uploaded_id, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_delete(c, PINATA_NETWORK_PUBLIC, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_delete(NULL, PINATA_NETWORK_PUBLIC, "x", &err));
    CHECK(row == NULL);
}

/* True when `message` shows no part of `secret` long enough to be useful. */
static int leaks(const char *message, const char *secret) {
    const char *sig = strstr(secret, "X-Signature=");
    if (strstr(message, secret) != NULL) {
        return 1;
    }
    return sig != NULL && strstr(message, sig + 12) != NULL;
}

static void test_signed_uploads(pinata_client *c) {
    pinata_sign_options *s = NULL;
    pinata_upload_result *r = NULL;
    pinata_upload_options *o = NULL;
    pinata_error *e = NULL;
    char *url = NULL, *expired = NULL;
    char tampered[2048], fault[3000];
    const char *path;

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_options_new(NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_sign_options_new(&s, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_options_set_expires(s, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_options_set_expires(s, 400u * 24 * 3600, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_options_set_expires(NULL, 60, &err));
    CHECK_ERR(PINATA_OK, pinata_sign_options_set_expires(s, 120, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_options_set_max_file_size(NULL, 1, &err));
    CHECK_ERR(PINATA_OK, pinata_sign_options_set_max_file_size(s, 100, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_options_add_mime_type(s, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_options_add_mime_type(s, "text/\n", &err));
    CHECK_ERR(PINATA_OK, pinata_sign_options_add_mime_type(s, "text/plain", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_options_set_network(s, 3, &err));
    CHECK_ERR(PINATA_OK, pinata_sign_options_set_network(s, PINATA_NETWORK_PRIVATE, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_options_set_group_id(s, BAD_UTF8, &err));
    CHECK_ERR(PINATA_OK, pinata_sign_options_set_group_id(s, "app-group", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_options_set_name(NULL, "n", &err));
    CHECK_ERR(PINATA_OK, pinata_sign_options_set_name(s, "from the app", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_options_set_keyvalue(s, "k", NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_sign_options_set_keyvalue(s, "user", "42", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_upload_url(NULL, s, &url, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_sign_upload_url(c, s, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_sign_upload_url(c, s, &url, &err));
    pinata_sign_options_free(s);
    CHECK(url != NULL && strstr(url, "X-Signature=") != NULL);
    if (url == NULL) {
        return;
    }
    /* The app: no client at all. */
    CHECK_ERR(PINATA_OK, pinata_upload_bytes_signed(NULL, url, (const uint8_t *)"Hello World!", 12, "n.txt", NULL, &r, &err));
    CHECK(r != NULL && strcmp(pinata_upload_result_cid(r), HELLO_V1) == 0);
    CHECK(r != NULL && pinata_upload_result_cid_check(r) == PINATA_CID_VERIFIED);
    CHECK(r != NULL && strcmp(pinata_file_row_name(pinata_upload_result_file(r)), "from the app") == 0);
    CHECK(r != NULL && strcmp(pinata_file_row_group_id(pinata_upload_result_file(r)), "app-group") == 0);
    pinata_upload_result_free(r);
    r = NULL;
    write_file("v3-signed.txt", "signed upload\n", 14);
    CHECK_ERR(PINATA_OK, pinata_upload_file_signed(NULL, url, "v3-signed.txt", NULL, &r, &err));
    pinata_upload_result_free(r);
    r = NULL;
    /* A client whose credentials are wrong works too: they are never sent. */
    {
        pinata_client *bogus = NULL;
        CHECK_STATUS(PINATA_OK, pinata_client_new_jwt("not.a.jwt", &bogus, NULL));
        CHECK_ERR(PINATA_OK, pinata_upload_file_signed(bogus, url, "v3-signed.txt", NULL, &r, &err));
        pinata_upload_result_free(r);
        r = NULL;
        pinata_client_free(bogus);
    }
    /* Refusals, none of which shows the URL. */
    CHECK_STATUS(PINATA_OK, pinata_upload_options_new(&o, NULL));
    CHECK(pinata_upload_bytes_signed(NULL, url, (const uint8_t *)overlong, 101, "big.txt", o, &r, &e) == PINATA_E_BAD_REQUEST);
    CHECK(e != NULL && !leaks(pinata_error_message(e), url));
    pinata_error_free(e);
    e = NULL;
    CHECK(pinata_upload_bytes_signed(NULL, url, (const uint8_t *)"png", 3, "a.png", o, &r, &e) == PINATA_E_BAD_REQUEST);
    CHECK(e != NULL && strstr(pinata_error_message(e), "MIME type: image/png") != NULL);
    CHECK(e != NULL && !leaks(pinata_error_message(e), url));
    pinata_error_free(e);
    e = NULL;
    snprintf(tampered, sizeof tampered, "%s", url);
    {
        char *x = strstr(tampered, "X-Expires=120");
        if (x != NULL) {
            x[11] = '9';
        }
    }
    CHECK(pinata_upload_bytes_signed(NULL, tampered, (const uint8_t *)"x", 1, "x.txt", o, &r, &e) == PINATA_E_FORBIDDEN);
    CHECK(e != NULL && !leaks(pinata_error_message(e), tampered));
    pinata_error_free(e);
    e = NULL;
    /* A server that echoes the URL back: the message still hides it. */
    path = strstr(url, "/v3/files/");
    if (path != NULL) {
        char p[200];
        size_t n = strcspn(path, "?");
        snprintf(p, sizeof p, "%.*s", (int)n, path);
        snprintf(fault, sizeof fault,
                 "{\"path\":\"%s\",\"kind\":\"status\",\"status\":400,\"times\":1,"
                 "\"body\":{\"error\":{\"code\":400,\"message\":\"bad URL %s\"}}}",
                 p, url);
        CHECK(test_hook("POST", "/__emulator/faults", fault) == 0);
        CHECK(pinata_upload_bytes_signed(NULL, url, (const uint8_t *)"x", 1, "x.txt", o, &r, &e) == PINATA_E_BAD_REQUEST);
        CHECK(e != NULL && strstr(pinata_error_message(e), "bad URL") != NULL);
        CHECK(e != NULL && !leaks(pinata_error_message(e), url));
        CHECK(e != NULL && (pinata_error_details(e) == NULL || !leaks(pinata_error_details(e), url)));
        pinata_error_free(e);
        e = NULL;
    }
    /* Expired: signed for 1 second, used 3 seconds later. */
    CHECK_STATUS(PINATA_OK, pinata_sign_options_new(&s, NULL));
    CHECK_STATUS(PINATA_OK, pinata_sign_options_set_expires(s, 1, NULL));
    CHECK_ERR(PINATA_OK, pinata_sign_upload_url(c, s, &expired, &err));
    pinata_sign_options_free(s);
    sleep(3);
    CHECK(pinata_upload_bytes_signed(NULL, expired, (const uint8_t *)"x", 1, "x.txt", o, &r, &e) == PINATA_E_FORBIDDEN);
    CHECK(e != NULL && strstr(pinata_error_message(e), "expired") != NULL);
    CHECK(e != NULL && !leaks(pinata_error_message(e), expired));
    pinata_error_free(e);
    e = NULL;
    /* Bad URLs: the message never repeats them. */
    CHECK(pinata_upload_bytes_signed(NULL, "https://h/v3/files/x", (const uint8_t *)"x", 1, "x", o, &r, &e) == PINATA_E_INVALID_ARGUMENT);
    pinata_error_free(e);
    e = NULL;
    CHECK(pinata_upload_bytes_signed(NULL, "http://example.com/v3/files/x?X-Signature=sekrit-value", (const uint8_t *)"x", 1, "x", o, &r, &e) == PINATA_E_INVALID_ARGUMENT);
    CHECK(e != NULL && strstr(pinata_error_message(e), "sekrit-value") == NULL);
    pinata_error_free(e);
    e = NULL;
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_bytes_signed(NULL, NULL, (const uint8_t *)"x", 1, "x", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_bytes_signed(NULL, "https://h/?X-Signature=a\r\nb", (const uint8_t *)"x", 1, "x", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_file_signed(NULL, url, NULL, o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_file_signed(NULL, BAD_UTF8, "v3-signed.txt", o, &r, &err));
    pinata_upload_options_free(o);
    pinata_string_free(expired);
    pinata_string_free(url);
}

static void test_download_links(pinata_client *c) {
    pinata_upload_result *r = NULL;
    pinata_error *e = NULL;
    char *link = NULL;
    char cid[128] = "";
    char cmd[4096];
    CHECK_STATUS(PINATA_OK, pinata_upload_bytes(c, (const uint8_t *)"private bytes", 13, "p.txt", NULL, &r, NULL));
    if (r != NULL) {
        snprintf(cid, sizeof cid, "%s", pinata_upload_result_cid(r));
    }
    pinata_upload_result_free(r);
    CHECK_ERR(PINATA_OK, pinata_files_download_link(c, test_env("PINATA_TEST_URL"), cid, 60, &link, &err));
    CHECK(link != NULL && strstr(link, "/files/") != NULL && strstr(link, "X-Signature=") != NULL);
    if (link != NULL) {
        /* The private path answers the signed link, and refuses the bare path. */
        snprintf(cmd, sizeof cmd, "curl -sf %s -o /dev/null '%s'", test_curl_opts(), link);
        CHECK(system(cmd) == 0);
        snprintf(cmd, sizeof cmd, "curl -sf %s -o /dev/null '%s/files/%s'", test_curl_opts(),
                 test_env("PINATA_TEST_URL"), cid);
        CHECK(system(cmd) != 0);
    }
    pinata_string_free(link);
    link = NULL;
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_download_link(c, test_env("PINATA_TEST_URL"), "not-a-cid", 60, &link, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_download_link(c, test_env("PINATA_TEST_URL"), cid, 0, &link, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_download_link(c, "ftp://x", cid, 60, &link, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_download_link(c, NULL, cid, 60, &link, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_download_link(c, test_env("PINATA_TEST_URL"), cid, 60, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_download_link(NULL, test_env("PINATA_TEST_URL"), cid, 60, &link, &err));
    /* A malformed answer is a protocol error; a 500 after retries a server error. */
    CHECK(test_hook("POST", "/__emulator/faults",
                    "{\"path\":\"/v3/files/private/download_link\",\"kind\":\"malformed_json\",\"times\":1}") == 0);
    CHECK_ERR(PINATA_E_PROTOCOL, pinata_files_download_link(c, test_env("PINATA_TEST_URL"), cid, 60, &link, &err));
    CHECK(link == NULL);
    (void)e;
}

static void test_pin_by_cid(pinata_client *c) {
    pinata_files_pin_options *o = NULL;
    pinata_files_pin_request *r = NULL;
    pinata_files_pin_queue_iter *it = NULL;
    const pinata_files_pin_request *b = NULL;
    char id[128] = "";
    int n = 0, i;
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_options_new(NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_files_pin_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_files_pin_options_set_name(o, "queued", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_options_set_name(o, BAD_UTF8, &err));
    CHECK_ERR(PINATA_OK, pinata_files_pin_options_set_keyvalue(o, "k", "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_options_set_keyvalue(o, "k\n", "v", &err));
    CHECK_ERR(PINATA_OK, pinata_files_pin_options_set_group_id(o, "g", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_options_set_group_id(NULL, "g", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_options_add_host_node(o, "nope", &err));
    for (i = 0; i < 5; i++) {
        CHECK_ERR(PINATA_OK, pinata_files_pin_options_add_host_node(o, "/ip4/127.0.0.1/tcp/4001", &err));
    }
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_options_add_host_node(o, "/ip4/127.0.0.1/tcp/4001", &err));
    CHECK_ERR(PINATA_OK, pinata_files_pin_by_cid(c, HELLO_V0, o, &r, &err));
    CHECK(r != NULL && strcmp(pinata_files_pin_request_status(r), "prechecking") == 0);
    CHECK(r != NULL && strcmp(pinata_files_pin_request_name(r), "queued") == 0);
    CHECK(r != NULL && strcmp(pinata_files_pin_request_cid(r), HELLO_V0) == 0);
    CHECK(r != NULL && pinata_files_pin_request_date_queued(r) != NULL);
    CHECK(r != NULL && strstr(pinata_files_pin_request_raw_json(r), "\"host_nodes\"") != NULL);
    if (r != NULL) {
        snprintf(id, sizeof id, "%s", pinata_files_pin_request_id(r));
    }
    pinata_files_pin_request_free(r);
    r = NULL;
    CHECK_ERR(PINATA_OK, pinata_files_pin_by_cid(c, "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4", NULL, &r, &err));
    pinata_files_pin_request_free(r);
    r = NULL;
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_by_cid(c, "not-a-cid", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_by_cid(c, NULL, o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_by_cid(c, HELLO_V0, o, NULL, &err));
    pinata_files_pin_options_free(o);
    /* The queue, by pages of one. */
    CHECK_ERR(PINATA_OK, pinata_files_pin_queue_iter_new(c, NULL, NULL, PINATA_ORDER_ASC, 1, &it, &err));
    for (;;) {
        CHECK_ERR(PINATA_OK, pinata_files_pin_queue_iter_next(it, &b, &err));
        if (b == NULL) {
            break;
        }
        if (n == 0) {
            CHECK(strcmp(pinata_files_pin_request_id(b), id) == 0);
        }
        n++;
    }
    CHECK(n == 2);
    pinata_files_pin_queue_iter_free(it);
    it = NULL;
    CHECK_ERR(PINATA_OK, pinata_files_pin_queue_iter_new(c, "prechecking", HELLO_V0, -1, 0, &it, &err));
    CHECK_ERR(PINATA_OK, pinata_files_pin_queue_iter_next(it, &b, &err));
    CHECK(b != NULL && strcmp(pinata_files_pin_request_cid(b), HELLO_V0) == 0);
    CHECK_ERR(PINATA_OK, pinata_files_pin_queue_iter_next(it, &b, &err));
    CHECK(b == NULL);
    pinata_files_pin_queue_iter_free(it);
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_queue_iter_new(c, NULL, NULL, 4, 0, &it, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_queue_iter_new(c, NULL, NULL, -1, 5000, &it, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_queue_iter_new(c, BAD_UTF8, NULL, -1, 0, &it, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_queue_iter_new(NULL, NULL, NULL, -1, 0, &it, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_queue_iter_next(NULL, &b, &err));
    CHECK_ERR(PINATA_OK, pinata_files_pin_cancel(c, id, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_files_pin_cancel(c, id, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_cancel(c, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_cancel(NULL, id, &err));
}

static void test_faults(void) {
    pinata_client *c = v3_client();
    pinata_upload_result *r = NULL;
    pinata_files_list_iter *it = NULL;
    const pinata_file_row *row = NULL;
    pinata_file_row *owned = NULL;
    CHECK_STATUS(PINATA_OK, pinata_client_set_retry_policy(c, 2, 20000, NULL));
    CHECK_STATUS(PINATA_OK, pinata_client_set_backoff_ms(c, 1, 5, NULL));
    /* A 503 once on the upload is retried. */
    CHECK(test_hook("POST", "/__emulator/faults", "{\"path\":\"/v3/files\",\"kind\":\"status\",\"status\":503,\"times\":1}") == 0);
    CHECK_ERR(PINATA_OK, pinata_upload_bytes(c, (const uint8_t *)"retried", 7, "r.txt", NULL, &r, &err));
    pinata_upload_result_free(r);
    r = NULL;
    /* A reset mid-upload, always: a network error after the retries. */
    CHECK(test_hook("POST", "/__emulator/faults", "{\"path\":\"/v3/files\",\"kind\":\"reset\",\"after_bytes\":0}") == 0);
    CHECK_ERR(PINATA_E_NETWORK, pinata_upload_bytes(c, (const uint8_t *)"reset", 5, "r.txt", NULL, &r, &err));
    CHECK(test_hook("DELETE", "/__emulator/faults", NULL) == 0);
    /* A listing page that fails with 500 always, then recovers: the iterator resumes. */
    CHECK(test_hook("POST", "/__emulator/faults", "{\"path\":\"/v3/files/private\",\"kind\":\"status\",\"status\":500,\"times\":3}") == 0);
    CHECK_ERR(PINATA_OK, pinata_files_list_iter_new(c, PINATA_NETWORK_PRIVATE, NULL, &it, &err));
    CHECK_ERR(PINATA_E_SERVER, pinata_files_list_iter_next(it, &row, &err));
    CHECK_ERR(PINATA_OK, pinata_files_list_iter_next(it, &row, &err));
    CHECK(row != NULL);
    pinata_files_list_iter_free(it);
    /* Malformed JSON, an empty 200 and a shape-C 404 on get. */
    CHECK(test_hook("POST", "/__emulator/faults", "{\"path\":\"/v3/files/public/*\",\"kind\":\"malformed_json\",\"times\":1}") == 0);
    CHECK_ERR(PINATA_E_PROTOCOL, pinata_files_get(c, PINATA_NETWORK_PUBLIC, "x", &owned, &err));
    CHECK(test_hook("POST", "/__emulator/faults", "{\"path\":\"/v3/files/public/*\",\"kind\":\"empty_200\",\"times\":1}") == 0);
    CHECK_ERR(PINATA_E_PROTOCOL, pinata_files_get(c, PINATA_NETWORK_PUBLIC, "x", &owned, &err));
    CHECK(test_hook("POST", "/__emulator/faults", "{\"path\":\"/v3/files/sign\",\"kind\":\"delay\",\"delay_ms\":2500,\"times\":1}") == 0);
    CHECK_STATUS(PINATA_OK, pinata_client_set_request_timeout_ms(c, 1000, NULL));
    CHECK_STATUS(PINATA_OK, pinata_client_set_retry_policy(c, 0, 1000, NULL));
    {
        char *url = NULL;
        CHECK_ERR(PINATA_E_TIMEOUT, pinata_sign_upload_url(c, NULL, &url, &err));
        CHECK(url == NULL);
    }
    CHECK(owned == NULL && r == NULL);
    CHECK(test_hook("DELETE", "/__emulator/faults", NULL) == 0);
    pinata_client_free(c);
}

/* serde_json's private raw-value token is an ordinary key to Pinata and to callers: with
 * serde_json's `raw_value` feature, a JSON tree read took an object whose first key was
 * that token for the token's value (a string of JSON) and lost the object, both in the
 * service's answers and in the caller's `keyvalues_json`. */
#define SERDE_TOKEN "$serde_json::private::RawValue"

static void test_keyvalue_named_like_serde_token(pinata_client *c) {
    pinata_upload_options *o = NULL;
    pinata_upload_result *r = NULL;
    pinata_file_row *row = NULL;
    char id[128] = "";

    CHECK_STATUS(PINATA_OK, pinata_upload_options_new(&o, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_network(o, PINATA_NETWORK_PUBLIC, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_keyvalue(o, SERDE_TOKEN, "[1]", NULL));
    CHECK_ERR(PINATA_OK, pinata_upload_bytes(c, (const uint8_t *)"token", 5, "t.txt", o, &r, &err));
    if (r != NULL) {
        const pinata_file_row *uploaded = pinata_upload_result_file(r);
        CHECK(strcmp(pinata_file_row_keyvalues_json(uploaded), "{\"" SERDE_TOKEN "\":\"[1]\"}") == 0);
        snprintf(id, sizeof id, "%s", pinata_file_row_id(uploaded));
    }
    pinata_upload_result_free(r);
    pinata_upload_options_free(o);

    /* The caller's own keyvalues: a null removes the key, a new one is added. */
    CHECK_ERR(PINATA_OK, pinata_files_update(c, PINATA_NETWORK_PUBLIC, id, NULL,
                                             "{\"" SERDE_TOKEN "\":null,\"k\":\"v\"}", 0, &row, &err));
    CHECK(row != NULL && strcmp(pinata_file_row_keyvalues_json(row), "{\"k\":\"v\"}") == 0);
    pinata_file_row_free(row);
    row = NULL;
    CHECK_ERR(PINATA_OK, pinata_files_update(c, PINATA_NETWORK_PUBLIC, id, NULL,
                                             "{\"" SERDE_TOKEN "\":\"{}\"}", 0, &row, &err));
    CHECK(row != NULL && strcmp(pinata_file_row_keyvalues_json(row),
                                "{\"k\":\"v\",\"" SERDE_TOKEN "\":\"{}\"}") == 0);
    pinata_file_row_free(row);
}

int main(void) {
    pinata_client *c;
    memset(overlong, 'a', sizeof overlong - 1);
    test_client_upload_url();
    test_options();
    c = v3_client();
    test_uploads(c);
    test_files(c);
    test_signed_uploads(c);
    test_download_links(c);
    test_pin_by_cid(c);
    test_keyvalue_named_like_serde_token(c);
    pinata_client_free(c);
    test_faults();
    return check_finish("test_v3_files");
}
