/*
 * bench/tus.sh's client: one upload of FILE to the server at URL (JWT), as
 *   tus_bench URL JWT FILE multipart
 *   tus_bench URL JWT FILE tus CHUNK_BYTES JOURNAL_DIR [STOP_AT_BYTES]
 * and prints {"secs":S,"bytes":N,"resumed_from":R}. With STOP_AT_BYTES the TUS upload
 * is cancelled (progress callback) once that many bytes went out, and exits 3 with the
 * journal kept: the next run resumes. The CID check is on, as users run it.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pinata.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int stop_at(uint64_t sent, uint64_t total, void *userdata) {
    (void)total;
    return sent >= *(uint64_t *)userdata;
}

static int fail(const char *what, pinata_error *err) {
    fprintf(stderr, "tus_bench: %s: %s\n", what, err ? pinata_error_message(err) : "?");
    pinata_error_free(err);
    return 1;
}

int main(int argc, char **argv) {
    pinata_client *c = NULL;
    pinata_error *err = NULL;
    double t0;
    if (argc < 5) {
        fprintf(stderr, "usage: see the comment at the top of bench/c/tus_bench.c\n");
        return 2;
    }
    if (pinata_client_new_jwt(argv[2], &c, &err) != PINATA_OK ||
        pinata_client_set_base_url(c, argv[1], &err) != PINATA_OK ||
        pinata_client_set_upload_url(c, argv[1], &err) != PINATA_OK) {
        return fail("client", err);
    }
    if (strcmp(argv[4], "multipart") == 0) {
        pinata_upload_options *o = NULL;
        pinata_upload_result *r = NULL;
        pinata_upload_options_new(&o, NULL);
        /* pinata_upload_file would take TUS above 90 MiB: this leg measures multipart. */
        if (pinata_upload_options_set_upload_path(o, PINATA_UPLOAD_PATH_MULTIPART, &err) != PINATA_OK) {
            return fail("options", err);
        }
        t0 = now();
        if (pinata_upload_file(c, argv[3], o, &r, &err) != PINATA_OK) {
            return fail("multipart upload", err);
        }
        printf("{\"secs\":%.3f,\"resumed_from\":0}\n", now() - t0);
        pinata_upload_result_free(r);
        pinata_upload_options_free(o);
    } else {
        pinata_upload_resumable_options *o = NULL;
        pinata_upload_resumable_result *r = NULL;
        uint64_t stop = argc > 7 ? strtoull(argv[7], NULL, 10) : 0;
        if (argc < 7) {
            fprintf(stderr, "tus_bench: tus needs CHUNK_BYTES and JOURNAL_DIR\n");
            return 2;
        }
        pinata_upload_resumable_options_new(&o, NULL);
        if (pinata_upload_resumable_options_set_chunk_size(o, strtoull(argv[5], NULL, 10), &err) != PINATA_OK ||
            pinata_upload_resumable_options_set_journal_dir(o, argv[6], &err) != PINATA_OK) {
            return fail("options", err);
        }
        if (stop > 0) {
            pinata_upload_resumable_options_set_progress(o, stop_at, &stop, NULL);
        }
        t0 = now();
        pinata_status st = pinata_upload_resumable(c, argv[3], o, &r, &err);
        if (st == PINATA_E_CANCELLED && stop > 0) {
            printf("{\"secs\":%.3f,\"stopped\":true}\n", now() - t0);
            pinata_error_free(err);
            pinata_upload_resumable_options_free(o);
            pinata_client_free(c);
            return 3;
        }
        if (st != PINATA_OK) {
            return fail("tus upload", err);
        }
        printf("{\"secs\":%.3f,\"resumed_from\":%llu}\n", now() - t0,
               (unsigned long long)pinata_upload_resumable_result_resumed_from(r));
        pinata_upload_resumable_result_free(r);
        pinata_upload_resumable_options_free(o);
    }
    pinata_client_free(c);
    return 0;
}
