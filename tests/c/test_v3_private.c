/* Private files and their download links, end to end: a private upload comes back
 * byte-identical through a signed link to the emulator's private path /files/{cid}
 * (verified over the CAR, and with a small file too); an expired or tampered link is
 * refused with PINATA_E_FORBIDDEN and the link never appears in the error message; the
 * public gateway /ipfs/{cid} refuses a CID held only as a private file
 * (PINATA_E_NOT_FOUND) while it serves the same bytes once they are also public. Runs
 * under valgrind and ASan (tests/c/run.sh). */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>
#include "check.h"

#define BIG_SIZE 700000

static unsigned char big[BIG_SIZE];

static pinata_client *v3_client(void) {
    pinata_client *c = test_client();
    CHECK_STATUS(PINATA_OK, pinata_client_set_upload_url(c, test_env("PINATA_TEST_URL"), NULL));
    return c;
}

/* Uploads `data` to `network`; copies its CID into `cid`. */
static void upload(pinata_client *c, int32_t network, const void *data, size_t len,
                   char *cid, size_t cid_size) {
    pinata_upload_options *o = NULL;
    pinata_upload_result *r = NULL;
    cid[0] = '\0';
    CHECK_STATUS(PINATA_OK, pinata_upload_options_new(&o, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_network(o, network, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_bytes(c, (const uint8_t *)data, len, "private.bin", o, &r, NULL));
    if (r != NULL) {
        snprintf(cid, cid_size, "%s", pinata_upload_result_cid(r));
    }
    pinata_upload_result_free(r);
    pinata_upload_options_free(o);
}

/* Whether the file at `path` holds exactly `len` bytes equal to `data`. */
static int same_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    size_t got;
    int same;
    if (f == NULL) {
        return 0;
    }
    buf = malloc(len + 1);
    got = fread(buf, 1, len + 1, f);
    fclose(f);
    same = got == len && (len == 0 || memcmp(buf, data, len) == 0);
    free(buf);
    return same;
}

/* Downloads through `link` to `dest`, expecting `want`; on failure, checks that the
 * message names neither the signature nor the link. */
static void download_expect(pinata_client *c, const char *link, const char *cid,
                            const char *dest, pinata_status want) {
    pinata_download_result *r = NULL;
    pinata_error *e = NULL;
    pinata_status s = pinata_download_url(c, link, cid, dest, NULL, &r, &e);
    CHECK(s == want);
    if (s != want) {
        fprintf(stderr, "  got %s: %s\n", pinata_status_str(s), e ? pinata_error_message(e) : "");
    }
    if (want == PINATA_OK) {
        CHECK(e == NULL && r != NULL);
        CHECK(r != NULL && pinata_download_result_verified(r) != 0);
    } else {
        const char *sig = strstr(link, "X-Signature=");
        CHECK(e != NULL && r == NULL);
        CHECK(e != NULL && pinata_error_http_status(e) == 403);
        CHECK(e != NULL && strstr(pinata_error_message(e), "X-Signature") == NULL);
        CHECK(e != NULL && sig != NULL && strstr(pinata_error_message(e), sig + 12) == NULL);
        CHECK(e != NULL && strstr(pinata_error_message(e), "/files/") == NULL);
        CHECK(access(dest, F_OK) != 0);
    }
    pinata_download_result_free(r);
    pinata_error_free(e);
}

static void test_download_through_links(pinata_client *c, const char *work) {
    char cid[128], small_cid[128], dest[1024];
    char *link = NULL;
    size_t i;
    for (i = 0; i < BIG_SIZE; i++) {
        big[i] = (unsigned char)(i * 131 + 7 + i / 4099);
    }
    upload(c, PINATA_NETWORK_PRIVATE, big, BIG_SIZE, cid, sizeof cid);
    snprintf(dest, sizeof dest, "%s/big.out", work);
    CHECK_ERR(PINATA_OK, pinata_files_download_link(c, test_env("PINATA_TEST_URL"), cid, 60, &link, &err));
    CHECK(link != NULL);
    if (link != NULL) {
        /* A multi-block file comes back whole and verified. */
        download_expect(c, link, cid, dest, PINATA_OK);
        CHECK(same_file(dest, big, BIG_SIZE));
        unlink(dest);
        /* A link whose signature was changed is refused. */
        {
            char *tampered = strdup(link);
            char *sig = strstr(tampered, "X-Signature=");
            CHECK(sig != NULL);
            if (sig != NULL) {
                sig += 12;
                *sig = *sig == '0' ? '1' : '0';
                download_expect(c, tampered, cid, dest, PINATA_E_FORBIDDEN);
            }
            free(tampered);
        }
        /* The link of one file does not open another: verified against the CID it
         * was made for, and another CID in the path breaks the signature. */
        {
            char other[128];
            char *swapped;
            const char *at = strstr(link, cid);
            upload(c, PINATA_NETWORK_PRIVATE, "another private file", 20, other, sizeof other);
            CHECK(at != NULL && strlen(other) == strlen(cid));
            if (at != NULL && strlen(other) == strlen(cid)) {
                swapped = strdup(link);
                memcpy(swapped + (at - link), other, strlen(other));
                download_expect(c, swapped, other, dest, PINATA_E_FORBIDDEN);
                free(swapped);
            }
        }
    }
    pinata_string_free(link);
    link = NULL;
    /* A small (one-block) file, and an expired link to it. */
    upload(c, PINATA_NETWORK_PRIVATE, "small private bytes", 19, small_cid, sizeof small_cid);
    snprintf(dest, sizeof dest, "%s/small.out", work);
    CHECK_ERR(PINATA_OK, pinata_files_download_link(c, test_env("PINATA_TEST_URL"), small_cid, 1, &link, &err));
    CHECK(link != NULL);
    if (link != NULL) {
        download_expect(c, link, small_cid, dest, PINATA_OK);
        CHECK(same_file(dest, "small private bytes", 19));
        unlink(dest);
        sleep(3); /* past the link's one second (the emulator compares unix seconds) */
        download_expect(c, link, small_cid, dest, PINATA_E_FORBIDDEN);
    }
    pinata_string_free(link);
}

static void test_public_gateway_refuses_private(pinata_client *c) {
    static const char only_private[] = "bytes that exist only as a private file";
    static const char both[] = "bytes uploaded privately and publicly";
    char cid[128], pub_cid[128];
    pinata_download_result *r = NULL;
    pinata_error *e = NULL;
    size_t len = 0;
    CHECK_STATUS(PINATA_OK, pinata_client_set_gateway(c, test_env("PINATA_TEST_URL"), NULL, NULL));
    upload(c, PINATA_NETWORK_PRIVATE, only_private, sizeof only_private - 1, cid, sizeof cid);
    CHECK(pinata_download_cid_to_memory(c, cid, 1 << 20, NULL, &r, &e) == PINATA_E_NOT_FOUND);
    CHECK(r == NULL && e != NULL && pinata_error_http_status(e) == 404);
    pinata_download_result_free(r);
    r = NULL;
    pinata_error_free(e);
    e = NULL;
    /* Once the same bytes are also public, the gateway serves them. */
    upload(c, PINATA_NETWORK_PRIVATE, both, sizeof both - 1, cid, sizeof cid);
    CHECK(pinata_download_cid_to_memory(c, cid, 1 << 20, NULL, &r, &e) == PINATA_E_NOT_FOUND);
    pinata_download_result_free(r);
    r = NULL;
    pinata_error_free(e);
    e = NULL;
    upload(c, PINATA_NETWORK_PUBLIC, both, sizeof both - 1, pub_cid, sizeof pub_cid);
    CHECK(strcmp(cid, pub_cid) == 0);
    CHECK_ERR(PINATA_OK, pinata_download_cid_to_memory(c, cid, 1 << 20, NULL, &r, &err));
    CHECK(r != NULL && pinata_download_result_data(r, &len) != NULL && len == sizeof both - 1 &&
          memcmp(pinata_download_result_data(r, NULL), both, len) == 0);
    pinata_download_result_free(r);
}

int main(void) {
    char work[] = "/tmp/pinata-v3-private-XXXXXX";
    pinata_client *c;
    CHECK(mkdtemp(work) != NULL);
    c = v3_client();
    test_download_through_links(c, work);
    test_public_gateway_refuses_private(c);
    pinata_client_free(c);
    rmdir(work);
    return check_finish("test_v3_private");
}
