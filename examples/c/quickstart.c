/* libpinata quickstart: authenticate, mint a key limited to pinList with two uses, use
 * it until Pinata refuses it, list keys, revoke the key and show it is refused.
 *
 *   PINATA_JWT=<admin JWT> [PINATA_API_URL=http://127.0.0.1:PORT] ./quickstart
 *
 * `make demo` runs it against a freshly started local emulator. */
#include <stdio.h>
#include <stdlib.h>
#include "pinata.h"

/* Prints a failed call's status and message, then frees the error. The message
 * already names the HTTP status and Pinata's reason when there are any. */
static void report(const char *what, pinata_status status, pinata_error *err) {
    printf("  %s -> %s", what, pinata_status_str(status));
    if (err != NULL) {
        printf(": %s", pinata_error_message(err));
        pinata_error_free(err);
    }
    printf("\n");
}

/* One use of a key: read the first page of the pin list. */
static pinata_status list_first_pin(const pinata_client *client, pinata_error **err) {
    pinata_pin_list_iter *iter = NULL;
    const pinata_pin_row *row = NULL;
    pinata_status status = pinata_pin_list_iter_new(client, NULL, &iter, err);
    if (status == PINATA_OK) {
        status = pinata_pin_list_iter_next(iter, &row, err);
    }
    pinata_pin_list_iter_free(iter);
    return status;
}

static pinata_client *make_client(const char *jwt, const char *url) {
    pinata_client *client = NULL;
    pinata_error *err = NULL;
    pinata_status status = pinata_client_new_jwt(jwt, &client, &err);
    if (status == PINATA_OK && url != NULL && url[0] != '\0') {
        status = pinata_client_set_base_url(client, url, &err);
    }
    if (status != PINATA_OK) {
        report("creating a client", status, err);
        pinata_client_free(client);
        return NULL;
    }
    return client;
}

int main(void) {
    const char *jwt = getenv("PINATA_JWT");
    const char *url = getenv("PINATA_API_URL");
    pinata_client *admin, *limited = NULL;
    pinata_key_permissions *perms = NULL;
    pinata_key_result *key = NULL;
    pinata_key_list *keys = NULL;
    pinata_error *err = NULL;
    pinata_status status;
    char *message = NULL;
    size_t i;
    int use, ok = 1;

    if (jwt == NULL || jwt[0] == '\0') {
        fprintf(stderr, "set PINATA_JWT (and PINATA_API_URL for the emulator)\n");
        return 2;
    }
    printf("libpinata %s talking to %s\n", pinata_version(),
           url != NULL && url[0] != '\0' ? url : "https://api.pinata.cloud");
    admin = make_client(jwt, url);
    if (admin == NULL) {
        return 1;
    }

    printf("1. Test authentication\n");
    status = pinata_test_auth(admin, &message, &err);
    if (status != PINATA_OK) {
        report("testAuthentication", status, err);
        pinata_client_free(admin);
        return 1;
    }
    printf("  %s\n", message);
    pinata_string_free(message);

    printf("2. Create a key allowed only pinList, with max uses 2\n");
    if (pinata_key_permissions_new(&perms, NULL) != PINATA_OK ||
        pinata_key_permissions_allow_endpoint(perms, PINATA_ENDPOINT_PIN_LIST, NULL) != PINATA_OK) {
        pinata_client_free(admin);
        return 1;
    }
    status = pinata_keys_create(admin, "quickstart-list-only", perms, 2, &key, &err);
    pinata_key_permissions_free(perms);
    if (status != PINATA_OK) {
        report("generateApiKey", status, err);
        pinata_client_free(admin);
        return 1;
    }
    printf("  created key %s (its secret and JWT are shown once; not printed here)\n",
           pinata_key_result_api_key(key));

    printf("3. Use the new key until it is exhausted\n");
    limited = make_client(pinata_key_result_jwt(key), url);
    for (use = 1; limited != NULL && use <= 3; use++) {
        err = NULL;
        status = list_first_pin(limited, &err);
        printf("  use %d:", use);
        report("pinList", status, err);
        if ((use <= 2) != (status == PINATA_OK)) {
            ok = 0;
        }
    }

    printf("4. List keys\n");
    err = NULL;
    status = pinata_keys_list(admin, NULL, &keys, &err);
    if (status != PINATA_OK) {
        report("apiKeys", status, err);
        ok = 0;
    } else {
        for (i = 0; i < pinata_key_list_len(keys); i++) {
            const pinata_key_info *info = pinata_key_list_get(keys, i);
            char limit[32] = "unlimited";
            if (pinata_key_info_max_uses(info) != 0) {
                snprintf(limit, sizeof limit, "%llu",
                         (unsigned long long)pinata_key_info_max_uses(info));
            }
            printf("  %-24s key %s  uses %llu of %s%s\n", pinata_key_info_name(info),
                   pinata_key_info_key(info), (unsigned long long)pinata_key_info_uses(info),
                   limit, pinata_key_info_revoked(info) ? "  (revoked)" : "");
        }
        pinata_key_list_free(keys);
    }

    printf("5. Revoke the key and show it is refused\n");
    err = NULL;
    status = pinata_keys_revoke(admin, pinata_key_result_api_key(key), &err);
    report("revokeApiKey", status, err);
    if (status != PINATA_OK) {
        ok = 0;
    }
    if (limited != NULL) {
        err = NULL;
        message = NULL;
        status = pinata_test_auth(limited, &message, &err);
        report("testAuthentication with the revoked key", status, err);
        pinata_string_free(message);
        if (status != PINATA_E_FORBIDDEN) {
            ok = 0;
        }
    }

    pinata_client_free(limited);
    pinata_key_result_free(key);
    pinata_client_free(admin);
    printf(ok ? "quickstart: every step behaved as expected\n"
              : "quickstart: some step did not behave as expected\n");
    return ok ? 0 : 1;
}
