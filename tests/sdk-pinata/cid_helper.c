/* Prints the CID libpinata computes locally for a file: cid_helper PATH VERSION.
 * The SDK suite (tests/sdk-pinata) compares the CIDs Pinata's npm SDK gets from the
 * emulator with these. */
#include <stdio.h>
#include <stdlib.h>
#include "pinata.h"

int main(int argc, char **argv) {
    char *cid = NULL;
    pinata_error *err = NULL;
    if (argc != 3) {
        fprintf(stderr, "usage: cid_helper PATH VERSION\n");
        return 2;
    }
    if (pinata_cid_of_path(argv[1], atoi(argv[2]), &cid, &err) != PINATA_OK) {
        fprintf(stderr, "cid_helper: %s\n", pinata_error_message(err));
        pinata_error_free(err);
        return 1;
    }
    printf("%s\n", cid);
    pinata_string_free(cid);
    return 0;
}
