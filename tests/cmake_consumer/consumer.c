/* The C consumer of an installed libpinata: checks the header and library versions
 * agree, then authenticates against PINATA_API_URL with PINATA_JWT (the emulator in
 * tests/install_check.sh). Prints one line; exits 0 only if both steps succeed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pinata.h>

int main(void) {
    char header_version[32];
    pinata_client *client = NULL;
    pinata_error *err = NULL;
    char *message = NULL;
    pinata_status st;

    snprintf(header_version, sizeof header_version, "%d.%d.%d", PINATA_VERSION_MAJOR,
             PINATA_VERSION_MINOR, PINATA_VERSION_PATCH);
    if (strcmp(header_version, pinata_version()) != 0) {
        fprintf(stderr, "header %s, library %s\n", header_version, pinata_version());
        return 1;
    }
    st = pinata_client_new_jwt(getenv("PINATA_JWT"), &client, &err);
    if (st == PINATA_OK) {
        st = pinata_client_set_base_url(client, getenv("PINATA_API_URL"), &err);
    }
    if (st == PINATA_OK) {
        st = pinata_test_auth(client, &message, &err);
    }
    if (st != PINATA_OK) {
        fprintf(stderr, "%s: %s\n", pinata_status_str(st), err ? pinata_error_message(err) : "");
        pinata_error_free(err);
        pinata_client_free(client);
        return 1;
    }
    printf("C consumer, libpinata %s: %s\n", pinata_version(), message);
    pinata_string_free(message);
    pinata_client_free(client);
    return 0;
}
