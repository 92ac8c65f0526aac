/* libpinata C example: authenticate, pin a file with metadata, list pins, unpin.
 * The same steps as examples/cpp, examples/go and examples/swift.
 *
 *   PINATA_JWT=<JWT> [PINATA_API_URL=http://127.0.0.1:PORT] ./pin_file [FILE]
 *
 * Without FILE it pins a small file it writes itself. */
#include <stdio.h>
#include <stdlib.h>
#include "pinata.h"

/* Prints why a call failed and frees the error; returns 1 for the exit code. The
 * message already names the HTTP status and Pinata's reason when there are any. */
static int fail(const char *what, pinata_status status, pinata_error *err) {
    fprintf(stderr, "%s failed: %s", what, pinata_status_str(status));
    if (err != NULL) {
        fprintf(stderr, ": %s", pinata_error_message(err));
        pinata_error_free(err);
    }
    fprintf(stderr, "\n");
    return 1;
}

int main(int argc, char **argv) {
    const char *jwt = getenv("PINATA_JWT");
    const char *url = getenv("PINATA_API_URL");
    const char *path = argc > 1 ? argv[1] : "pinata-c-example.txt";
    pinata_client *client = NULL;
    pinata_pin_options *options = NULL;
    pinata_pin_result *pin = NULL;
    pinata_pin_list_query *query = NULL;
    pinata_pin_list_iter *iter = NULL;
    const pinata_pin_row *row = NULL;
    pinata_error *err = NULL;
    pinata_status st;
    char *message = NULL;
    int rc = 0;

    if (jwt == NULL || jwt[0] == '\0') {
        fprintf(stderr, "set PINATA_JWT (and PINATA_API_URL for the emulator)\n");
        return 2;
    }
    if (argc <= 1) {
        FILE *f = fopen(path, "w");
        if (f == NULL) {
            perror(path);
            return 1;
        }
        fputs("Hello from the libpinata C example!\n", f);
        fclose(f);
    }

    if ((st = pinata_client_new_jwt(jwt, &client, &err)) != PINATA_OK ||
        (url != NULL && url[0] != '\0' &&
         (st = pinata_client_set_base_url(client, url, &err)) != PINATA_OK)) {
        rc = fail("creating the client", st, err);
        goto done;
    }

    if ((st = pinata_test_auth(client, &message, &err)) != PINATA_OK) {
        rc = fail("testAuthentication", st, err);
        goto done;
    }
    printf("1. Authenticate: %s\n", message);
    pinata_string_free(message);

    /* Options: a name, two keyvalues, CIDv1. The CID is checked locally as it uploads. */
    pinata_pin_options_new(&options, NULL);
    pinata_pin_options_set_name(options, "c-example.txt", NULL);
    pinata_pin_options_set_keyvalue_string(options, "example", "c", NULL);
    pinata_pin_options_set_keyvalue_number(options, "revision", 1, NULL);
    pinata_pin_options_set_cid_version(options, 1, NULL);
    if ((st = pinata_pin_file(client, path, options, &pin, &err)) != PINATA_OK) {
        rc = fail("pinFileToIPFS", st, err);
        goto done;
    }
    printf("2. Pinned %s (%llu bytes, %s)\n", pinata_pin_result_cid(pin),
           (unsigned long long)pinata_pin_result_size(pin),
           pinata_pin_result_cid_check(pin) == PINATA_CID_VERIFIED ? "CID verified locally"
                                                                  : "CID not verified");

    printf("3. Pins tagged example=c:\n");
    pinata_pin_list_query_new(&query, NULL);
    pinata_pin_list_query_set_status(query, PINATA_PIN_STATUS_PINNED, NULL);
    pinata_pin_list_query_add_keyvalue_string(query, "example", PINATA_OP_EQ, "c", NULL, NULL);
    if ((st = pinata_pin_list_iter_new(client, query, &iter, &err)) != PINATA_OK) {
        rc = fail("pinList", st, err);
        goto done;
    }
    while ((st = pinata_pin_list_iter_next(iter, &row, &err)) == PINATA_OK && row != NULL) {
        printf("   %s  %s  %s\n", pinata_pin_row_cid(row),
               pinata_pin_row_name(row) ? pinata_pin_row_name(row) : "(no name)",
               pinata_pin_row_keyvalues_json(row));
    }
    if (st != PINATA_OK) {
        rc = fail("pinList", st, err);
        goto done;
    }

    if ((st = pinata_unpin(client, pinata_pin_result_cid(pin), &err)) != PINATA_OK) {
        rc = fail("unpin", st, err);
        goto done;
    }
    printf("4. Unpinned %s\n", pinata_pin_result_cid(pin));

done:
    pinata_pin_list_iter_free(iter);
    pinata_pin_list_query_free(query);
    pinata_pin_result_free(pin);
    pinata_pin_options_free(options);
    pinata_client_free(client);
    if (argc <= 1) {
        remove(path);
    }
    return rc;
}
