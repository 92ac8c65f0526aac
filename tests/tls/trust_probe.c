/* One testAuthentication call over HTTPS, for tests/tls/trust.sh.
 *
 *   trust_probe URL [CA_BUNDLE]
 *
 * Prints one line, "OK <server message>" or "<status name> <error message>", and exits
 * 0 when the call returned (success or error) as the library's contract says. */
#include <stdio.h>
#include <stdlib.h>

#include "pinata.h"

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s URL [CA_BUNDLE]\n", argv[0]);
        return 2;
    }
    pinata_client *client = NULL;
    pinata_error *err = NULL;
    char *message = NULL;
    pinata_status st = pinata_client_new_jwt("test.jwt.value", &client, &err);
    if (st == PINATA_OK) {
        st = pinata_client_set_base_url(client, argv[1], &err);
    }
    if (st == PINATA_OK) {
        /* No retries: a refused certificate is final, and the probe stays quick. */
        st = pinata_client_set_retry_policy(client, 0, 30000, &err);
    }
    if (st == PINATA_OK && argc == 3) {
        st = pinata_client_set_ca_bundle(client, argv[2], &err);
    }
    if (st == PINATA_OK) {
        st = pinata_test_auth(client, &message, &err);
    }
    if (st == PINATA_OK) {
        printf("OK %s\n", message);
    } else {
        printf("%s %s\n", pinata_status_str(st), err ? pinata_error_message(err) : "(no error object)");
    }
    pinata_string_free(message);
    pinata_error_free(err);
    pinata_client_free(client);
    return 0;
}
