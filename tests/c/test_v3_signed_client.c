/* Signed uploads with a client's transport settings: pinata_client_new_anonymous makes
 * a client with no credentials for an app that holds only a signed upload URL; passed
 * to pinata_upload_bytes_signed / pinata_upload_file_signed, its settings (here its
 * retry policy and backoff) govern the upload, which a NULL client's defaults do not.
 * An anonymous client is refused by calls that need credentials. Runs under valgrind
 * and ASan (tests/c/run.sh), also over HTTPS through the TLS front (PINATA_TEST_FRONT=tls),
 * where the anonymous client's CA bundle is what makes the signed upload work. */
#include "check.h"

static char *sign(pinata_client *admin) {
    pinata_sign_options *s = NULL;
    char *url = NULL;
    CHECK_STATUS(PINATA_OK, pinata_sign_options_new(&s, NULL));
    CHECK_STATUS(PINATA_OK, pinata_sign_options_set_expires(s, 120, NULL));
    CHECK_STATUS(PINATA_OK, pinata_sign_options_set_name(s, "from the anonymous app", NULL));
    CHECK_ERR(PINATA_OK, pinata_sign_upload_url(admin, s, &url, &err));
    pinata_sign_options_free(s);
    return url;
}

/* Makes the next `times` POSTs to the signed URL's path answer 503. */
static void fail_next(const char *url, int times) {
    char fault[512];
    const char *path = strstr(url, "/v3/files/");
    size_t n = path ? strcspn(path, "?") : 0;
    CHECK(path != NULL);
    snprintf(fault, sizeof fault,
             "{\"path\":\"%.*s\",\"method\":\"POST\",\"kind\":\"status\",\"status\":503,\"times\":%d}",
             (int)n, path ? path : "", times);
    CHECK(test_hook("POST", "/__emulator/faults", fault) == 0);
}

int main(void) {
    pinata_client *admin = test_client();
    pinata_client *app = NULL;
    pinata_upload_result *r = NULL;
    pinata_error *e = NULL;
    char *message = NULL;
    char *url;
    CHECK_STATUS(PINATA_OK, pinata_client_set_upload_url(admin, test_env("PINATA_TEST_URL"), NULL));
    url = sign(admin);

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_new_anonymous(NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_client_new_anonymous(&app, &err));
    CHECK(app != NULL);
    CHECK_STATUS(PINATA_OK, pinata_client_set_base_url(app, test_env("PINATA_TEST_URL"), NULL));
    CHECK_STATUS(PINATA_OK, test_configure(app));
    /* No credentials: the API refuses it. */
    CHECK_ERR(PINATA_E_UNAUTHORIZED, pinata_test_auth(app, &message, &err));
    CHECK(message == NULL);

    /* Its upload through the signed URL works, and gets the URL's presets. */
    CHECK_ERR(PINATA_OK, pinata_upload_bytes_signed(app, url, (const uint8_t *)"anonymous app\n", 14,
                                                    "a.txt", NULL, &r, &err));
    CHECK(r != NULL && strcmp(pinata_file_row_name(pinata_upload_result_file(r)), "from the anonymous app") == 0);
    CHECK(r != NULL && pinata_upload_result_cid_check(r) == PINATA_CID_VERIFIED);
    pinata_upload_result_free(r);
    r = NULL;

    /* Its settings govern the upload: with no retries one 503 fails it ... */
    CHECK_STATUS(PINATA_OK, pinata_client_set_retry_policy(app, 0, 10000, NULL));
    fail_next(url, 1);
    CHECK(pinata_upload_bytes_signed(app, url, (const uint8_t *)"x\n", 2, "x.txt", NULL, &r, &e) == PINATA_E_SERVER);
    CHECK(e != NULL && pinata_error_http_status(e) == 503);
    CHECK(e != NULL && strstr(pinata_error_message(e), "X-Signature") == NULL);
    pinata_error_free(e);
    e = NULL;
    CHECK(r == NULL);
    /* ... where the default client (NULL) retries past it (not through the TLS front,
     * whose test CA only a configured client trusts). */
    if (getenv("PINATA_TEST_CA") == NULL || getenv("PINATA_TEST_CA")[0] == '\0') {
        fail_next(url, 1);
        CHECK_ERR(PINATA_OK, pinata_upload_bytes_signed(NULL, url, (const uint8_t *)"x\n", 2, "x.txt", NULL, &r, &err));
        pinata_upload_result_free(r);
        r = NULL;
    }
    /* The same retry policy on a client with credentials: its settings, not its JWT. */
    CHECK_STATUS(PINATA_OK, pinata_client_set_retry_policy(admin, 0, 10000, NULL));
    fail_next(url, 1);
    CHECK(pinata_upload_bytes_signed(admin, url, (const uint8_t *)"x\n", 2, "x.txt", NULL, &r, &e) == PINATA_E_SERVER);
    pinata_error_free(e);
    e = NULL;
    CHECK(test_hook("DELETE", "/__emulator/faults", NULL) == 0);

    pinata_client_free(app);
    pinata_client_free(admin);
    pinata_string_free(url);
    return check_finish("test_v3_signed_client");
}
