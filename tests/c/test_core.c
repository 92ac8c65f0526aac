/* The foundation's C API as a C program uses it: versions, statuses, errors, clients,
 * authentication, API keys and local CIDs, with every pointer parameter also passed as
 * NULL. Runs under valgrind (tests/c/run.sh). */
#include "check.h"

static void test_versions(void) {
    char expect[64];
    snprintf(expect, sizeof expect, "%d.%d.%d", PINATA_VERSION_MAJOR, PINATA_VERSION_MINOR,
             PINATA_VERSION_PATCH);
    CHECK(strcmp(pinata_version(), expect) == 0);
    CHECK(strcmp(pinata_version(), PINATA_VERSION_STRING) == 0);
    CHECK(pinata_version_number() == (uint32_t)PINATA_VERSION_NUMBER);
    CHECK(PINATA_VERSION_NUMBER ==
          ((PINATA_VERSION_MAJOR << 16) | (PINATA_VERSION_MINOR << 8) | PINATA_VERSION_PATCH));
    CHECK(PINATA_VERSION_AT_LEAST(0, 0, 0));
    CHECK(PINATA_VERSION_AT_LEAST(PINATA_VERSION_MAJOR, PINATA_VERSION_MINOR,
                                  PINATA_VERSION_PATCH));
    CHECK(!PINATA_VERSION_AT_LEAST(PINATA_VERSION_MAJOR, PINATA_VERSION_MINOR,
                                   PINATA_VERSION_PATCH + 1));
}

static void test_statuses(void) {
    static const char *names[] = {
        "PINATA_OK", "PINATA_E_INVALID_ARGUMENT", "PINATA_E_IO", "PINATA_E_NETWORK",
        "PINATA_E_TIMEOUT", "PINATA_E_CANCELLED", "PINATA_E_UNAUTHORIZED",
        "PINATA_E_FORBIDDEN", "PINATA_E_NOT_FOUND", "PINATA_E_RATE_LIMITED",
        "PINATA_E_BAD_REQUEST", "PINATA_E_SERVER", "PINATA_E_PROTOCOL",
        "PINATA_E_INTEGRITY", "PINATA_E_INTERNAL", "PINATA_E_TLS"};
    int i;
    for (i = 0; i < 16; i++) {
        CHECK(strcmp(pinata_status_str(i), names[i]) == 0);
    }
    CHECK(PINATA_E_INTERNAL == 14 && PINATA_E_INTEGRITY == 13 && PINATA_OK == 0);
    CHECK(PINATA_E_TLS == 15);
    CHECK(strcmp(pinata_status_str(16), "PINATA_E_UNKNOWN") == 0);
    CHECK(strcmp(pinata_status_str(-1), "PINATA_E_UNKNOWN") == 0);
}

static void test_null_error_accessors(void) {
    CHECK(pinata_error_status(NULL) == PINATA_E_INVALID_ARGUMENT);
    CHECK(pinata_error_message(NULL) == NULL);
    CHECK(pinata_error_http_status(NULL) == 0);
    CHECK(pinata_error_reason(NULL) == NULL);
    CHECK(pinata_error_details(NULL) == NULL);
    CHECK(pinata_error_retry_after(NULL) == -1);
    pinata_error_free(NULL);
    pinata_string_free(NULL);
    pinata_client_free(NULL);
    pinata_key_permissions_free(NULL);
    pinata_key_result_free(NULL);
    pinata_key_query_free(NULL);
    pinata_key_list_free(NULL);
}

static void test_client_construction(void) {
    pinata_client *client = (pinata_client *)0x1; /* must stay untouched on failure */
    pinata_client *c2 = NULL;

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_new_jwt(NULL, &c2, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_new_jwt("a.b.c", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_new_jwt("a.b\r\nX-Evil: 1", &client, &err));
    CHECK(client == (pinata_client *)0x1);
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_new_jwt("a.b\xff\xfe", &c2, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_new_jwt("", &c2, &err));
    CHECK(c2 == NULL);
    /* err_out may be NULL */
    CHECK_STATUS(PINATA_E_INVALID_ARGUMENT, pinata_client_new_jwt(NULL, &c2, NULL));

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_new_keys(NULL, "s", &c2, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_new_keys("k", NULL, &c2, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_new_keys("k", "s", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_new_keys("k\n", "s", &c2, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_new_keys("k", "s\r", &c2, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_new_keys("k\xc3", "s", &c2, &err));
    {
        /* The message names the argument and never echoes the secret. */
        pinata_error *err = NULL;
        CHECK(pinata_client_new_keys("key", "topsecret\n", &c2, &err) ==
              PINATA_E_INVALID_ARGUMENT);
        CHECK(strstr(pinata_error_message(err), "secret_api_key") != NULL);
        CHECK(strstr(pinata_error_message(err), "topsecret") == NULL);
        pinata_error_free(err);
    }
    CHECK_ERR(PINATA_OK, pinata_client_new_keys("k", "s", &c2, &err));
    CHECK(c2 != NULL);
    pinata_client_free(c2);
}

static void test_client_setters(void) {
    pinata_client *c = NULL;
    CHECK_ERR(PINATA_OK, pinata_client_new_jwt("a.b.c", &c, &err));

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_base_url(NULL, "https://x", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_base_url(c, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_base_url(c, "ftp://x", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_base_url(c, "https://a\r\nb", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_base_url(c, "http://example.com", &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_base_url(c, "http://127.0.0.1:9/", &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_base_url(c, "https://api.pinata.cloud", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_allow_insecure_http(NULL, true, &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_allow_insecure_http(c, true, &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_base_url(c, "http://example.com", &err));

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_connect_timeout_ms(NULL, 5, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_connect_timeout_ms(c, 0, &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_connect_timeout_ms(c, 5000, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_request_timeout_ms(NULL, 5, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_request_timeout_ms(c, 0, &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_request_timeout_ms(c, 5000, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_stall_timeout_ms(NULL, 5, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_stall_timeout_ms(c, 0, &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_stall_timeout_ms(c, 5000, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_retry_policy(NULL, 1, 10, &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_retry_policy(c, 0, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_backoff_ms(NULL, 1, 2, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_backoff_ms(c, 10, 2, &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_backoff_ms(c, 1, 2, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_ca_bundle(NULL, "/x", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_ca_bundle(c, NULL, &err));
    CHECK_ERR(PINATA_E_IO, pinata_client_set_ca_bundle(c, "/nonexistent/ca.pem", &err));
    pinata_client_free(c);
}

static void test_auth(void) {
    pinata_client *admin = test_client();
    pinata_client *bad = NULL;
    char *message = NULL;

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_test_auth(NULL, &message, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_test_auth(admin, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_test_auth(admin, &message, &err));
    CHECK(message != NULL &&
          strcmp(message, "Congratulations! You are communicating with the Pinata API!") == 0);
    pinata_string_free(message);
    message = NULL;

    /* Key pair authentication. */
    CHECK_ERR(PINATA_OK, pinata_client_new_keys(test_env("PINATA_TEST_API_KEY"),
                                                test_env("PINATA_TEST_API_SECRET"), &bad, &err));
    CHECK_STATUS(PINATA_OK, test_configure(bad));
    CHECK_ERR(PINATA_OK, pinata_test_auth(bad, &message, &err));
    pinata_string_free(message);
    message = NULL;
    pinata_client_free(bad);

    /* Bad credentials: 401 with Pinata's reason, and the secret never in the message. */
    CHECK_ERR(PINATA_OK, pinata_client_new_keys("0123456789abcdef0123", "s3cr3tvalue42", &bad, &err));
    CHECK_STATUS(PINATA_OK, test_configure(bad));
    {
        pinata_error *err = NULL;
        message = (char *)0x1;
        CHECK(pinata_test_auth(bad, &message, &err) == PINATA_E_UNAUTHORIZED);
        CHECK(message == (char *)0x1); /* untouched on failure */
        CHECK(pinata_error_http_status(err) == 401);
        CHECK(pinata_error_reason(err) != NULL &&
              strcmp(pinata_error_reason(err), "INVALID_CREDENTIALS") == 0);
        CHECK(pinata_error_details(err) != NULL);
        /* The message is the whole sentence: HTTP status and reason come first. */
        {
            const char *head = "HTTP 401 INVALID_CREDENTIALS: ";
            CHECK(strncmp(pinata_error_message(err), head, strlen(head)) == 0);
        }
        CHECK(strstr(pinata_error_message(err), "s3cr3tvalue42") == NULL);
        CHECK(pinata_error_retry_after(err) == -1);
        pinata_error_free(err);
    }
    pinata_client_free(bad);
    pinata_client_free(admin);
}

static void test_cancellable_client(void) {
    pinata_client *admin = test_client();
    pinata_client *derived = NULL;
    pinata_cancel *cancel = NULL;
    char *message = NULL;

    CHECK_ERR(PINATA_OK, pinata_cancel_new(&cancel, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_with_cancel(NULL, cancel, &derived, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_with_cancel(admin, NULL, &derived, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_with_cancel(admin, cancel, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_client_with_cancel(admin, cancel, &derived, &err));
    /* The derived client works like its parent... */
    CHECK_ERR(PINATA_OK, pinata_test_auth(derived, &message, &err));
    pinata_string_free(message);
    message = NULL;
    /* ...until the flag is raised; the parent is unaffected. */
    pinata_cancel_request(cancel);
    CHECK_ERR(PINATA_E_CANCELLED, pinata_test_auth(derived, &message, &err));
    CHECK(message == NULL);
    CHECK_ERR(PINATA_OK, pinata_test_auth(admin, &message, &err));
    pinata_string_free(message);
    message = NULL;
    pinata_cancel_reset(cancel);
    /* The parent may be freed first. */
    pinata_client_free(admin);
    CHECK_ERR(PINATA_OK, pinata_test_auth(derived, &message, &err));
    pinata_string_free(message);
    pinata_cancel_free(cancel);
    pinata_client_free(derived);
}

static void test_permissions(void) {
    pinata_key_permissions *p = NULL;
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_key_permissions_new(NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_key_permissions_new(&p, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_key_permissions_set_admin(NULL, true, &err));
    CHECK_ERR(PINATA_OK, pinata_key_permissions_set_admin(p, false, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT,
              pinata_key_permissions_allow_endpoint(NULL, PINATA_ENDPOINT_PIN_LIST, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_key_permissions_allow_endpoint(p, 10, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_key_permissions_allow_endpoint(p, -1, &err));
    CHECK_ERR(PINATA_OK, pinata_key_permissions_allow_endpoint(p, PINATA_ENDPOINT_USER_PIN_POLICY, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT,
              pinata_key_permissions_allow_resource(NULL, "org:read", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_key_permissions_allow_resource(p, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_key_permissions_allow_resource(p, "org:all", &err));
    CHECK_ERR(PINATA_OK, pinata_key_permissions_allow_resource(p, "org:files:read", &err));
    pinata_key_permissions_free(p);
}

static void test_keys(void) {
    pinata_client *admin = test_client();
    pinata_key_permissions *perms = NULL;
    pinata_key_result *key = NULL;
    pinata_key_list *list = NULL;
    pinata_key_query *query = NULL;
    pinata_client *scoped = NULL;
    size_t i, n;
    int found = 0;

    CHECK_ERR(PINATA_OK, pinata_key_permissions_new(&perms, &err));
    CHECK_ERR(PINATA_OK, pinata_key_permissions_allow_endpoint(perms, PINATA_ENDPOINT_PIN_LIST, &err));

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_keys_create(NULL, "n", perms, 2, &key, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_keys_create(admin, NULL, perms, 2, &key, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_keys_create(admin, "n", NULL, 2, &key, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_keys_create(admin, "n", perms, 2, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_keys_create(admin, "", perms, 2, &key, &err));
    CHECK_ERR(PINATA_OK, pinata_keys_create(admin, "c-list-only", perms, 2, &key, &err));
    CHECK(key != NULL);
    CHECK(strlen(pinata_key_result_api_key(key)) == 20);
    CHECK(strlen(pinata_key_result_secret(key)) == 64);
    CHECK(strchr(pinata_key_result_jwt(key), '.') != NULL);
    CHECK(pinata_key_result_api_key(NULL) == NULL);
    CHECK(pinata_key_result_secret(NULL) == NULL);
    CHECK(pinata_key_result_jwt(NULL) == NULL);

    /* The new key works at once, and its scope is enforced. */
    CHECK_ERR(PINATA_OK, pinata_client_new_jwt(pinata_key_result_jwt(key), &scoped, &err));
    CHECK_STATUS(PINATA_OK, test_configure(scoped));
    {
        pinata_error *err = NULL;
        CHECK(pinata_keys_list(scoped, NULL, &list, &err) == PINATA_E_FORBIDDEN);
        CHECK(pinata_error_http_status(err) == 403);
        CHECK(pinata_error_reason(err) != NULL &&
              strcmp(pinata_error_reason(err), "NO_SCOPES_FOUND") == 0);
        pinata_error_free(err);
    }

    /* Listing. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_keys_list(NULL, NULL, &list, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_keys_list(admin, NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_keys_list(admin, NULL, &list, &err));
    n = pinata_key_list_len(list);
    CHECK(n >= 2);
    CHECK(pinata_key_list_total(list) >= (int64_t)n);
    CHECK(pinata_key_list_get(list, n) == NULL);
    CHECK(pinata_key_list_get(NULL, 0) == NULL);
    CHECK(pinata_key_list_len(NULL) == 0);
    CHECK(pinata_key_list_total(NULL) == -1);
    for (i = 0; i < n; i++) {
        const pinata_key_info *info = pinata_key_list_get(list, i);
        CHECK(info != NULL);
        CHECK(pinata_key_info_id(info) != NULL);
        CHECK(pinata_key_info_raw_json(info) != NULL &&
              strstr(pinata_key_info_raw_json(info), "\"secret\"") == NULL);
        if (strcmp(pinata_key_info_key(info), pinata_key_result_api_key(key)) == 0) {
            found = 1;
            CHECK(strcmp(pinata_key_info_name(info), "c-list-only") == 0);
            CHECK(pinata_key_info_max_uses(info) == 2);
            CHECK(!pinata_key_info_admin(info));
            CHECK(!pinata_key_info_revoked(info));
            CHECK(pinata_key_info_created_at(info) != NULL);
            (void)pinata_key_info_uses(info);
        }
    }
    CHECK(found);
    pinata_key_list_free(list);
    list = NULL;
    CHECK(pinata_key_info_id(NULL) == NULL && pinata_key_info_name(NULL) == NULL &&
          pinata_key_info_key(NULL) == NULL && pinata_key_info_created_at(NULL) == NULL &&
          pinata_key_info_raw_json(NULL) == NULL && pinata_key_info_max_uses(NULL) == 0 &&
          pinata_key_info_uses(NULL) == 0 && !pinata_key_info_revoked(NULL) &&
          !pinata_key_info_admin(NULL));

    /* Query handle: filters and paging. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_key_query_new(NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_key_query_new(&query, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_key_query_set_flags(NULL, -1, -1, -1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_key_query_set_flags(query, 2, -1, -1, &err));
    CHECK_ERR(PINATA_OK, pinata_key_query_set_flags(query, 0, 1, -1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_key_query_set_name(NULL, "x", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_key_query_set_name(query, "\xff", &err));
    CHECK_ERR(PINATA_OK, pinata_key_query_set_name(query, "C-LIST", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_key_query_set_offset(NULL, 0, &err));
    CHECK_ERR(PINATA_OK, pinata_key_query_set_offset(query, 0, &err));
    CHECK_ERR(PINATA_OK, pinata_keys_list_all(admin, query, &list, &err));
    CHECK(pinata_key_list_len(list) == 1);
    pinata_key_list_free(list);
    list = NULL;
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_keys_list_all(NULL, query, &list, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_keys_list_all(admin, query, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_key_query_set_name(query, NULL, &err));

    /* Revocation. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_keys_revoke(NULL, "k", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_keys_revoke(admin, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_keys_revoke(admin, pinata_key_result_api_key(key), &err));
    {
        pinata_error *err = NULL;
        char *message = NULL;
        CHECK(pinata_test_auth(scoped, &message, &err) == PINATA_E_FORBIDDEN);
        CHECK(pinata_error_reason(err) != NULL &&
              strcmp(pinata_error_reason(err), "API_KEY_REVOKED") == 0);
        pinata_error_free(err);
    }
    CHECK_ERR(PINATA_OK, pinata_key_query_set_flags(query, 1, -1, -1, &err));
    CHECK_ERR(PINATA_OK, pinata_keys_list(admin, query, &list, &err));
    CHECK(pinata_key_list_len(list) >= 1);
    CHECK(pinata_key_info_revoked(pinata_key_list_get(list, 0)));
    pinata_key_list_free(list);

    pinata_key_query_free(query);
    pinata_client_free(scoped);
    pinata_key_result_free(key);
    pinata_key_permissions_free(perms);
    pinata_client_free(admin);
}

static void test_cid(void) {
    char *cid = NULL;
    const char hello[] = "Hello World!";
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_cid_of_bytes(NULL, 3, 1, &cid, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_cid_of_bytes((const uint8_t *)hello, 12, 2, &cid, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_cid_of_bytes((const uint8_t *)hello, 12, 1, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_cid_of_bytes((const uint8_t *)hello, 12, 1, &cid, &err));
    CHECK(cid != NULL && strcmp(cid, "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne") == 0);
    pinata_string_free(cid);
    cid = NULL;
    /* The empty file. */
    CHECK_ERR(PINATA_OK, pinata_cid_of_bytes(NULL, 0, 0, &cid, &err));
    CHECK(cid != NULL && strcmp(cid, "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH") == 0);
    pinata_string_free(cid);
    cid = NULL;

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_cid_of_path(NULL, 0, &cid, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_cid_of_path("/tmp", 0, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_cid_of_path("/tmp", 7, &cid, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_cid_of_path("\xff", 0, &cid, &err));
    CHECK_ERR(PINATA_E_IO, pinata_cid_of_path("/nonexistent/file", 0, &cid, &err));
    {
        FILE *f = fopen("c_test_hello.txt", "wb");
        CHECK(f != NULL);
        if (f) {
            fwrite(hello, 1, 12, f);
            fclose(f);
        }
        CHECK_ERR(PINATA_OK, pinata_cid_of_path("c_test_hello.txt", 1, &cid, &err));
        CHECK(cid != NULL && strcmp(cid, "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne") == 0);
        pinata_string_free(cid);
        cid = NULL;
        CHECK_ERR(PINATA_OK, pinata_cid_of_path_threads("c_test_hello.txt", 1, 0, &cid, &err));
        CHECK(cid != NULL && strcmp(cid, "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne") == 0);
        pinata_string_free(cid);
        cid = NULL;
        CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_cid_of_path_threads(NULL, 1, 2, &cid, &err));
        CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_cid_of_path_threads("c_test_hello.txt", 3, 2, &cid, &err));
        CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_cid_of_path_threads("c_test_hello.txt", 1, 2, NULL, &err));
        CHECK_ERR(PINATA_E_IO, pinata_cid_of_path_threads("/nonexistent", 0, 2, &cid, &err));
        remove("c_test_hello.txt");
    }
}

int main(void) {
    test_versions();
    test_statuses();
    test_null_error_accessors();
    test_client_construction();
    test_client_setters();
    test_auth();
    test_cancellable_client();
    test_permissions();
    test_keys();
    test_cid();
    return check_finish("test_core");
}
