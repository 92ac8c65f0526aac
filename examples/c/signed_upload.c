/* libpinata C example: the native-app pattern of the v3 Files API.
 *
 *   1. The backend (which holds the JWT) signs an upload URL: private network, valid
 *      five minutes, text files up to 1 MB, with a name and keyvalues it chooses.
 *   2. The app uploads with ONLY that URL: no client, no credentials.
 *   3. The backend lists the private file and makes a download link for it.
 *
 *   PINATA_JWT=<JWT> [PINATA_API_URL=http://127.0.0.1:PORT] [PINATA_GATEWAY_URL=https://NAME.mypinata.cloud] ./signed_upload
 *
 * Against the emulator, PINATA_API_URL serves the API, uploads and the gateway. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pinata.h"

static int fail(const char *what, pinata_status status, pinata_error *err) {
    fprintf(stderr, "%s failed: %s", what, pinata_status_str(status));
    if (err != NULL) {
        /* Never shows the signed URL or the JWT: the library keeps them out. */
        fprintf(stderr, ": %s", pinata_error_message(err));
        pinata_error_free(err);
    }
    fprintf(stderr, "\n");
    return 1;
}

/* The app's side: it knows nothing but the signed URL. */
static int app_upload(const char *signed_url, char *cid_out, size_t cid_len) {
    static const char note[] = "written by the app, uploaded without credentials\n";
    pinata_upload_result *result = NULL;
    pinata_error *err = NULL;
    pinata_status st = pinata_upload_bytes_signed(NULL, signed_url, (const uint8_t *)note,
                                                  sizeof note - 1, "note.txt", NULL, &result, &err);
    if (st != PINATA_OK) {
        return fail("app: upload with the signed URL", st, err);
    }
    snprintf(cid_out, cid_len, "%s", pinata_upload_result_cid(result));
    printf("app: uploaded %s (CID check: %s)\n", cid_out,
           pinata_upload_result_cid_check(result) == PINATA_CID_VERIFIED ? "verified" : "not verified");
    pinata_upload_result_free(result);
    return 0;
}

int main(void) {
    const char *jwt = getenv("PINATA_JWT");
    const char *api = getenv("PINATA_API_URL");
    const char *gateway = getenv("PINATA_GATEWAY_URL");
    pinata_client *backend = NULL;
    pinata_sign_options *sign = NULL;
    pinata_files_query *query = NULL;
    pinata_files_list_iter *iter = NULL;
    const pinata_file_row *row = NULL;
    pinata_error *err = NULL;
    pinata_status st;
    char *signed_url = NULL, *link = NULL;
    char cid[128] = "";
    int rc = 1;

    if (jwt == NULL || jwt[0] == '\0') {
        fprintf(stderr, "set PINATA_JWT (and PINATA_API_URL for the emulator)\n");
        return 2;
    }
    if (gateway == NULL || gateway[0] == '\0') {
        gateway = api;
    }
    if (gateway == NULL || gateway[0] == '\0') {
        fprintf(stderr, "set PINATA_GATEWAY_URL to your gateway (https://NAME.mypinata.cloud)\n");
        return 2;
    }
    if ((st = pinata_client_new_jwt(jwt, &backend, &err)) != PINATA_OK) {
        return fail("backend: client", st, err);
    }
    if (api != NULL && api[0] != '\0' &&
        ((st = pinata_client_set_base_url(backend, api, &err)) != PINATA_OK ||
         (st = pinata_client_set_upload_url(backend, api, &err)) != PINATA_OK)) {
        rc = fail("backend: set the service URLs", st, err);
        goto done;
    }

    /* 1. The backend signs. */
    if ((st = pinata_sign_options_new(&sign, &err)) != PINATA_OK ||
        (st = pinata_sign_options_set_expires(sign, 300, &err)) != PINATA_OK ||
        (st = pinata_sign_options_set_network(sign, PINATA_NETWORK_PRIVATE, &err)) != PINATA_OK ||
        (st = pinata_sign_options_set_max_file_size(sign, 1000000, &err)) != PINATA_OK ||
        (st = pinata_sign_options_add_mime_type(sign, "text/plain", &err)) != PINATA_OK ||
        (st = pinata_sign_options_set_name(sign, "app note", &err)) != PINATA_OK ||
        (st = pinata_sign_options_set_keyvalue(sign, "source", "app", &err)) != PINATA_OK ||
        (st = pinata_sign_upload_url(backend, sign, &signed_url, &err)) != PINATA_OK) {
        rc = fail("backend: sign an upload URL", st, err);
        goto done;
    }
    printf("backend: signed an upload URL (valid 300 s; not printed: it is a credential)\n");

    /* 2. The app uploads with the URL alone. */
    if (app_upload(signed_url, cid, sizeof cid) != 0) {
        goto done;
    }

    /* 3. The backend finds the private file and links to it. */
    if ((st = pinata_files_query_new(&query, &err)) != PINATA_OK ||
        (st = pinata_files_query_add_keyvalue(query, "source", "app", &err)) != PINATA_OK ||
        (st = pinata_files_list_iter_new(backend, PINATA_NETWORK_PRIVATE, query, &iter, &err)) != PINATA_OK) {
        rc = fail("backend: list private files", st, err);
        goto done;
    }
    while ((st = pinata_files_list_iter_next(iter, &row, &err)) == PINATA_OK && row != NULL) {
        printf("backend: private file %s  %s  %llu B  %s\n", pinata_file_row_id(row),
               pinata_file_row_cid(row), (unsigned long long)pinata_file_row_size(row),
               pinata_file_row_name(row) ? pinata_file_row_name(row) : "");
    }
    if (st != PINATA_OK) {
        rc = fail("backend: list private files", st, err);
        goto done;
    }
    if ((st = pinata_files_download_link(backend, gateway, cid, 60, &link, &err)) != PINATA_OK) {
        rc = fail("backend: download link", st, err);
        goto done;
    }
    printf("backend: download link, valid 60 s:\n  %s\n", link);
    rc = 0;

done:
    pinata_string_free(link);
    pinata_files_list_iter_free(iter);
    pinata_files_query_free(query);
    pinata_string_free(signed_url);
    pinata_sign_options_free(sign);
    pinata_client_free(backend);
    return rc;
}
