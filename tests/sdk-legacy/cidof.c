/* cidof VERSION PATH: prints the CID libpinata computes for a file or directory (the
 * suite compares the SDKs' answers with it). Exit status 1 with the error on failure. */
#include <stdio.h>
#include <stdlib.h>
#include "pinata.h"

int main(int argc, char **argv) {
    char *cid = NULL;
    pinata_error *err = NULL;
    if (argc != 3) {
        fprintf(stderr, "usage: cidof VERSION PATH\n");
        return 2;
    }
    if (pinata_cid_of_path(argv[2], atoi(argv[1]), &cid, &err) != PINATA_OK) {
        fprintf(stderr, "cidof: %s\n", pinata_error_message(err));
        pinata_error_free(err);
        return 1;
    }
    printf("%s\n", cid);
    pinata_string_free(cid);
    return 0;
}
