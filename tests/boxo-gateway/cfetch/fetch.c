/* fetch GATEWAY_URL CID car|raw|auto DEST: downloads CID with libpinata's verified
 * download through the given method; prints the error and exits 1 on failure. Used by
 * tests/retrieval.sh against boxo's gateway. */
#include <stdio.h>
#include <string.h>
#include "pinata.h"

int main(int argc, char **argv) {
    pinata_client *client = NULL;
    pinata_download_options *opts = NULL;
    pinata_download_result *result = NULL;
    pinata_error *err = NULL;
    int method, want;
    pinata_status st;
    if (argc != 5) {
        fprintf(stderr, "usage: fetch GATEWAY_URL CID car|raw|auto DEST\n");
        return 2;
    }
    method = strcmp(argv[3], "car") == 0   ? PINATA_DOWNLOAD_CAR
             : strcmp(argv[3], "raw") == 0 ? PINATA_DOWNLOAD_RAW
                                           : PINATA_DOWNLOAD_AUTO;
    /* No API credentials are needed for a gateway; any well-formed JWT will do. */
    st = pinata_client_new_jwt("unused.jwt.value", &client, &err);
    if (st == PINATA_OK) st = pinata_client_set_gateway(client, argv[1], NULL, &err);
    if (st == PINATA_OK) st = pinata_download_options_new(&opts, &err);
    if (st == PINATA_OK) st = pinata_download_options_set_method(opts, method, &err);
    if (st == PINATA_OK) st = pinata_download_cid(client, argv[2], argv[4], opts, &result, &err);
    if (st != PINATA_OK) {
        fprintf(stderr, "fetch %s (%s): %s: %s\n", argv[2], argv[3], pinata_status_str(st),
                err ? pinata_error_message(err) : "");
    } else {
        /* The method asked for is the one that delivered, every block verified. */
        want = method == PINATA_DOWNLOAD_AUTO ? PINATA_DOWNLOAD_CAR : method;
        if (pinata_download_result_method(result) != want ||
            pinata_download_result_verified(result) != PINATA_DOWNLOAD_VERIFIED_BLOCKS) {
            fprintf(stderr, "fetch %s: delivered by method %d, verified %d\n", argv[2],
                    pinata_download_result_method(result), pinata_download_result_verified(result));
            st = PINATA_E_INTERNAL;
        }
    }
    pinata_error_free(err);
    pinata_download_result_free(result);
    pinata_download_options_free(opts);
    pinata_client_free(client);
    return st == PINATA_OK ? 0 : 1;
}
