/* Prints libpinata's local CID of a file (kubo defaults): cid_helper PATH VERSION. */
#include <stdio.h>
#include <stdlib.h>
#include "pinata.h"

int main(int argc, char **argv) {
    char *cid = NULL;
    pinata_error *err = NULL;
    if (argc != 3) {
        fprintf(stderr, "usage: cid_helper PATH 0|1\n");
        return 2;
    }
    if (pinata_cid_of_path(argv[1], atoi(argv[2]), &cid, &err) != PINATA_OK) {
        fprintf(stderr, "cid_helper: %s\n", pinata_error_message(err));
        pinata_error_free(err);
        return 1;
    }
    puts(cid);
    pinata_string_free(cid);
    return 0;
}
