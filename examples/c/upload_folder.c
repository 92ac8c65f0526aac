/* libpinata C example: a native app syncing a folder pins every file in it as its own
 * pin, 8 at once, with one progress line per file and one outcome per file (a failing
 * file does not stop the others). With --v3 each file becomes a private v3 file
 * instead.
 *
 *   PINATA_JWT=<JWT> [PINATA_API_URL=http://127.0.0.1:PORT] ./upload_folder [--v3] [DIR]
 *
 * Without DIR it writes a folder of five small files itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "pinata.h"

static int fail(const char *what, pinata_status status, pinata_error *err) {
    fprintf(stderr, "%s failed: %s", what, pinata_status_str(status));
    if (err != NULL) {
        fprintf(stderr, ": %s", pinata_error_message(err));
        pinata_error_free(err);
    }
    fprintf(stderr, "\n");
    return 1;
}

/* Called on this thread after every file and at least every 100 ms; 0 goes on. */
static int32_t on_progress(size_t files_done, size_t files_total, uint64_t bytes_sent,
                           uint64_t bytes_total, void *userdata) {
    size_t *last = userdata;
    if (files_done != *last) {
        *last = files_done;
        printf("progress: %zu of %zu files, %llu of %llu bytes\n", files_done, files_total,
               (unsigned long long)bytes_sent, (unsigned long long)bytes_total);
    }
    return 0;
}

/* A folder of five small "photos" (the example's own data). */
static int write_folder(const char *dir) {
    int i;
    mkdir(dir, 0755);
    for (i = 0; i < 5; i++) {
        char path[256];
        FILE *f;
        snprintf(path, sizeof path, "%s/photo-%d.txt", dir, i);
        if ((f = fopen(path, "w")) == NULL) {
            perror(path);
            return 1;
        }
        fprintf(f, "photo %d of the libpinata folder example\n", i);
        fclose(f);
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *jwt = getenv("PINATA_JWT");
    const char *url = getenv("PINATA_API_URL");
    int v3 = argc > 1 && strcmp(argv[1], "--v3") == 0;
    const char *dir = argc > 1 + v3 ? argv[1 + v3] : "pinata-folder-example";
    pinata_client *client = NULL;
    pinata_pin_batch *batch = NULL;
    pinata_error *err = NULL;
    pinata_status st;
    size_t added = 0, i, last = 0;
    int rc = 0;

    if (jwt == NULL || jwt[0] == '\0') {
        fprintf(stderr, "set PINATA_JWT (and PINATA_API_URL for the emulator)\n");
        return 2;
    }
    if (argc <= 1 + v3 && write_folder(dir) != 0) {
        return 1;
    }
    if ((st = pinata_client_new_jwt(jwt, &client, &err)) != PINATA_OK ||
        (url != NULL && url[0] != '\0' &&
         ((st = pinata_client_set_base_url(client, url, &err)) != PINATA_OK ||
          (st = pinata_client_set_upload_url(client, url, &err)) != PINATA_OK))) {
        rc = fail("creating the client", st, err);
        goto done;
    }
    if ((st = pinata_pin_batch_new(client, &batch, &err)) != PINATA_OK ||
        (st = pinata_pin_batch_add_dir(batch, dir, &added, &err)) != PINATA_OK ||
        (st = pinata_pin_batch_set_progress(batch, on_progress, &last, &err)) != PINATA_OK) {
        rc = fail("preparing the batch", st, err);
        goto done;
    }
    printf("%zu files in %s\n", added, dir);

    /* NULL options: each file named after itself, its CID checked locally. */
    st = v3 ? pinata_pin_batch_run_v3(batch, NULL, &err) : pinata_pin_batch_run(batch, NULL, &err);
    if (st != PINATA_OK) {
        /* The batch's error counts the failures; each file's own is below. */
        rc = fail("the batch", st, err);
    }
    for (i = 0; i < pinata_pin_batch_len(batch); i++) {
        const pinata_pin_result *pin = pinata_pin_batch_result(batch, i);
        const pinata_upload_result *file = pinata_pin_batch_upload_result(batch, i);
        const pinata_error *e = pinata_pin_batch_error(batch, i);
        if (pin != NULL) {
            printf("pinned %s  %s\n", pinata_pin_result_cid(pin), pinata_pin_batch_path(batch, i));
        } else if (file != NULL) {
            printf("uploaded %s  %s\n", pinata_upload_result_cid(file),
                   pinata_pin_batch_path(batch, i));
        } else if (e != NULL) {
            printf("failed %s: %s\n", pinata_pin_batch_path(batch, i), pinata_error_message(e));
        }
    }

done:
    pinata_pin_batch_free(batch);
    pinata_client_free(client);
    return rc;
}
