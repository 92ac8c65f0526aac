/* download_bench GATEWAY_URL CID DEST: one verified CAR download with libpinata
 * (pinata_download_cid, PINATA_DOWNLOAD_CAR), then one JSON line with the bytes, the
 * seconds and this process's peak RSS. Used by bench/download.sh. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include "pinata.h"

int main(int argc, char **argv) {
    pinata_client *client = NULL;
    pinata_download_options *opts = NULL;
    pinata_download_result *result = NULL;
    pinata_error *err = NULL;
    struct timespec t0, t1;
    struct rusage ru;
    pinata_status st;
    if (argc != 4) {
        fprintf(stderr, "usage: download_bench GATEWAY_URL CID DEST\n");
        return 2;
    }
    st = pinata_client_new_jwt("unused.jwt.value", &client, &err);
    if (st == PINATA_OK) st = pinata_client_set_gateway(client, argv[1], NULL, &err);
    if (st == PINATA_OK) st = pinata_download_options_new(&opts, &err);
    if (st == PINATA_OK) st = pinata_download_options_set_method(opts, PINATA_DOWNLOAD_CAR, &err);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (st == PINATA_OK) st = pinata_download_cid(client, argv[2], argv[3], opts, &result, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (st != PINATA_OK) {
        fprintf(stderr, "download failed: %s: %s\n", pinata_status_str(st), pinata_error_message(err));
        return 1;
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("{\"bytes\":%llu,\"seconds\":%.6f,\"max_rss_kib\":%ld}\n",
           (unsigned long long)pinata_download_result_bytes(result),
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, ru.ru_maxrss);
    pinata_download_result_free(result);
    pinata_download_options_free(opts);
    pinata_client_free(client);
    pinata_error_free(err);
    return 0;
}
