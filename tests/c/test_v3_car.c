/* CAR uploads of the v3 API (`pinata_upload_options_set_car`): a CARv1 built here from
 * the library's own CIDs (one raw block) is imported by the emulator, whose root is the
 * file's CID, checked against the CAR header's root, and whose blocks the gateway then
 * serves (a verified download). Refused: data that is not a CARv1 with one root
 * (locally, nothing sent), and by the emulator a block that does not match its CID, a
 * truncated CAR, a CAR without its root block; a refused CAR leaves nothing on the
 * gateway. A service answering another CID is PINATA_E_INTEGRITY. A multi-block CAR
 * made by a tool nobody here wrote (npm @ipld/car + ipfs-unixfs-importer,
 * tests/sdk-pinata/make_car.mjs; committed in tests/c/fixtures) is imported too, and
 * its root must equal libpinata's CID of the same bytes. Runs under valgrind and ASan
 * (tests/c/run.sh). */
#include <time.h>
#include <unistd.h>
#include "check.h"

static pinata_client *car_client(void) {
    pinata_client *c = test_client();
    CHECK_STATUS(PINATA_OK, pinata_client_set_upload_url(c, test_env("PINATA_TEST_URL"), NULL));
    CHECK_STATUS(PINATA_OK, pinata_client_set_gateway(c, test_env("PINATA_TEST_URL"), NULL, NULL));
    return c;
}

/* Decodes a base32 CIDv1 text ("b…", RFC 4648 lowercase, no padding) into `out`. */
static size_t cid_binary(const char *text, uint8_t *out, size_t cap) {
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    const char *p;
    if (text[0] != 'b') {
        return 0;
    }
    for (p = text + 1; *p; p++) {
        int v;
        if (*p >= 'a' && *p <= 'z') {
            v = *p - 'a';
        } else if (*p >= '2' && *p <= '7') {
            v = *p - '2' + 26;
        } else {
            return 0;
        }
        acc = (acc << 5) | (uint32_t)v;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            if (n == cap) {
                return 0;
            }
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    return n;
}

static size_t put_varint(uint8_t *out, size_t v) {
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

/* A CARv1 into `out`: header {"roots":[root…], "version":1}, then one section per
 * (cid, data). Returns its length. */
static size_t make_car(uint8_t *out, const uint8_t *const *roots, const size_t *root_lens, int nroots,
                       const uint8_t *const *cids, const size_t *cid_lens, const uint8_t *const *data,
                       const size_t *data_lens, int nblocks) {
    uint8_t h[512];
    size_t hn = 0, n = 0;
    int i;
    h[hn++] = 0xa2;
    h[hn++] = 0x65;
    memcpy(h + hn, "roots", 5);
    hn += 5;
    h[hn++] = (uint8_t)(0x80 + nroots);
    for (i = 0; i < nroots; i++) {
        h[hn++] = 0xd8;
        h[hn++] = 0x2a;
        h[hn++] = 0x58;
        h[hn++] = (uint8_t)(root_lens[i] + 1);
        h[hn++] = 0x00;
        memcpy(h + hn, roots[i], root_lens[i]);
        hn += root_lens[i];
    }
    h[hn++] = 0x67;
    memcpy(h + hn, "version", 7);
    hn += 7;
    h[hn++] = 0x01;
    n += put_varint(out + n, hn);
    memcpy(out + n, h, hn);
    n += hn;
    for (i = 0; i < nblocks; i++) {
        n += put_varint(out + n, cid_lens[i] + data_lens[i]);
        memcpy(out + n, cids[i], cid_lens[i]);
        n += cid_lens[i];
        memcpy(out + n, data[i], data_lens[i]);
        n += data_lens[i];
    }
    return n;
}

/* The CIDv1 text and binary of `data` (one raw block when under 256 KiB). */
static char *raw_cid(const char *data, uint8_t *bin, size_t *bin_len) {
    char *cid = NULL;
    CHECK_STATUS(PINATA_OK, pinata_cid_of_bytes((const uint8_t *)data, strlen(data), 1, &cid, NULL));
    *bin_len = cid ? cid_binary(cid, bin, 64) : 0;
    CHECK(*bin_len == 36);
    return cid;
}

/* A one-block CAR of `data` whose header names `root` (the block's own CID if NULL). */
static size_t one_block_car(uint8_t *out, const char *data, const uint8_t *root, size_t root_len,
                            char **cid_out) {
    uint8_t bin[64];
    size_t bin_len = 0;
    char *cid = raw_cid(data, bin, &bin_len);
    const uint8_t *roots[1];
    size_t root_lens[1];
    const uint8_t *cids[1] = {bin};
    size_t cid_lens[1];
    const uint8_t *blocks[1] = {(const uint8_t *)data};
    size_t lens[1];
    roots[0] = root ? root : bin;
    root_lens[0] = root ? root_len : bin_len;
    cid_lens[0] = bin_len;
    lens[0] = strlen(data);
    *cid_out = cid;
    return make_car(out, roots, root_lens, 1, cids, cid_lens, blocks, lens, 1);
}

static void write_bytes(const char *path, const uint8_t *data, size_t len) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK(fwrite(data, 1, len, f) == len);
        fclose(f);
    }
}

static pinata_upload_options *car_options(void) {
    pinata_upload_options *o = NULL;
    CHECK_STATUS(PINATA_OK, pinata_upload_options_new(&o, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_network(o, PINATA_NETWORK_PUBLIC, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_car(o, true, NULL));
    return o;
}

/* Expects the emulator to refuse `car` with 400 and a message containing `why`. */
static void refused(pinata_client *c, const uint8_t *car, size_t len, const char *why) {
    pinata_upload_options *o = car_options();
    pinata_upload_result *r = NULL;
    pinata_error *e = NULL;
    CHECK(pinata_upload_bytes(c, car, len, "bad.car", o, &r, &e) == PINATA_E_BAD_REQUEST);
    CHECK(r == NULL);
    CHECK(e != NULL && pinata_error_http_status(e) == 400);
    CHECK(e != NULL && strstr(pinata_error_message(e), why) != NULL);
    if (e != NULL && strstr(pinata_error_message(e), why) == NULL) {
        fprintf(stderr, "  message: %s\n", pinata_error_message(e));
    }
    pinata_error_free(e);
    pinata_upload_options_free(o);
}

/* Whether the gateway serves `cid` with exactly `data`. */
static int served(pinata_client *c, const char *cid, const char *data) {
    pinata_download_result *d = NULL;
    const uint8_t *got;
    size_t len = 0;
    int same;
    if (pinata_download_cid_to_memory(c, cid, 1 << 20, NULL, &d, NULL) != PINATA_OK) {
        return 0;
    }
    got = pinata_download_result_data(d, &len);
    same = got != NULL && len == strlen(data) && memcmp(got, data, len) == 0;
    pinata_download_result_free(d);
    return same;
}

static void test_import(pinata_client *c) {
    static uint8_t car[4096];
    char data[128];
    char *cid = NULL;
    size_t len;
    /* Unique per run: the emulator's content store outlives its reset hook. */
    snprintf(data, sizeof data, "a CAR made by test_v3_car.c, pid %ld at %ld\n", (long)getpid(),
             (long)time(NULL));
    len = one_block_car(car, data, NULL, 0, &cid);
    pinata_upload_options *o = car_options();
    pinata_upload_result *r = NULL;
    const pinata_file_row *row;

    CHECK(!served(c, cid, data));
    CHECK_ERR(PINATA_OK, pinata_upload_bytes(c, car, len, "one.car", o, &r, &err));
    CHECK(r != NULL && strcmp(pinata_upload_result_cid(r), cid) == 0);
    CHECK(r != NULL && pinata_upload_result_cid_check(r) == PINATA_CID_VERIFIED);
    CHECK(r != NULL && pinata_upload_result_local_cid(r) != NULL &&
          strcmp(pinata_upload_result_local_cid(r), cid) == 0);
    row = pinata_upload_result_file(r);
    CHECK(row != NULL && pinata_file_row_size(row) == strlen(data));
    CHECK(row != NULL && strcmp(pinata_file_row_name(row), "one.car") == 0);
    CHECK(row != NULL && !pinata_file_row_is_duplicate(row));
    pinata_upload_result_free(r);
    r = NULL;
    /* Its blocks are on the gateway: a verified download of the root. */
    CHECK(served(c, cid, data));

    /* From disk, the same CAR: the same root, now a duplicate. */
    write_bytes("one.car", car, len);
    CHECK_ERR(PINATA_OK, pinata_upload_file(c, "one.car", o, &r, &err));
    CHECK(r != NULL && strcmp(pinata_upload_result_cid(r), cid) == 0);
    CHECK(r != NULL && pinata_upload_result_cid_check(r) == PINATA_CID_VERIFIED);
    CHECK(r != NULL && pinata_file_row_is_duplicate(pinata_upload_result_file(r)));
    pinata_upload_result_free(r);
    r = NULL;

    /* Through a signed upload URL (no credentials): the same import and check. */
    {
        pinata_sign_options *s = NULL;
        char *url = NULL;
        CHECK_STATUS(PINATA_OK, pinata_sign_options_new(&s, NULL));
        CHECK_STATUS(PINATA_OK, pinata_sign_options_set_network(s, PINATA_NETWORK_PUBLIC, NULL));
        CHECK_ERR(PINATA_OK, pinata_sign_upload_url(c, s, &url, &err));
        pinata_sign_options_free(s);
        if (url != NULL) {
            CHECK_ERR(PINATA_OK, pinata_upload_bytes_signed(NULL, url, car, len, "signed.car", o, &r, &err));
            CHECK(r != NULL && strcmp(pinata_upload_result_cid(r), cid) == 0);
            CHECK(r != NULL && pinata_upload_result_cid_check(r) == PINATA_CID_VERIFIED);
            pinata_upload_result_free(r);
            r = NULL;
            car[len - 1] ^= 0x01;
            CHECK_ERR(PINATA_E_BAD_REQUEST, pinata_upload_bytes_signed(NULL, url, car, len, "bad.car", o, &r, &err));
            car[len - 1] ^= 0x01;
        }
        pinata_string_free(url);
    }

    /* Without the car option the same bytes are an ordinary file with another CID. */
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_car(o, false, NULL));
    CHECK_ERR(PINATA_OK, pinata_upload_bytes(c, car, len, "plain.car", o, &r, &err));
    CHECK(r != NULL && strcmp(pinata_upload_result_cid(r), cid) != 0);
    CHECK(r != NULL && pinata_upload_result_cid_check(r) == PINATA_CID_VERIFIED);
    pinata_upload_result_free(r);
    remove("one.car");
    pinata_upload_options_free(o);
    pinata_string_free(cid);
}

static void test_refused_locally(pinata_client *c) {
    static uint8_t car[4096];
    uint8_t a[64], b[64];
    size_t alen = 0, blen = 0, len;
    char *ca = raw_cid("root a", a, &alen);
    char *cb = raw_cid("root b", b, &blen);
    const uint8_t *roots[2] = {a, b};
    size_t root_lens[2];
    pinata_upload_options *o = car_options();
    pinata_upload_result *r = NULL;
    pinata_error *e = NULL;
    root_lens[0] = alen;
    root_lens[1] = blen;

    /* Not a CAR at all: refused before anything is sent. */
    CHECK(pinata_upload_bytes(c, (const uint8_t *)"hello world", 11, "x.car", o, &r, &e) ==
          PINATA_E_INVALID_ARGUMENT);
    CHECK(e != NULL && strstr(pinata_error_message(e), "not a CARv1") != NULL);
    pinata_error_free(e);
    e = NULL;
    /* Two roots (Pinata imports single-root CARs). */
    len = make_car(car, roots, root_lens, 2, NULL, NULL, NULL, NULL, 0);
    CHECK(pinata_upload_bytes(c, car, len, "x.car", o, &r, &e) == PINATA_E_INVALID_ARGUMENT);
    CHECK(e != NULL && strstr(pinata_error_message(e), "2 roots") != NULL);
    pinata_error_free(e);
    e = NULL;
    /* A header cut short, a CARv2 version, JSON, a missing file. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_bytes(c, car, 5, "x.car", o, &r, &err));
    car[len - 1] = 0x02;
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_bytes(c, car, len, "x.car", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_json(c, "{\"a\":1}", o, &r, &err));
    CHECK_ERR(PINATA_E_IO, pinata_upload_file(c, "no-such.car", o, &r, &err));
    /* The private network takes no CAR. */
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_network(o, PINATA_NETWORK_PRIVATE, NULL));
    len = make_car(car, roots, root_lens, 1, NULL, NULL, NULL, NULL, 0);
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_upload_bytes(c, car, len, "x.car", o, &r, &err));
    CHECK(r == NULL);
    pinata_upload_options_free(o);
    pinata_string_free(ca);
    pinata_string_free(cb);
}

static void test_refused_by_emulator(pinata_client *c) {
    static uint8_t car[4096];
    const char *data = "a block that will be tampered with\n";
    char *cid = NULL, *other = NULL;
    uint8_t bin[64];
    size_t bin_len = 0;
    size_t len = one_block_car(car, data, NULL, 0, &cid);

    /* One byte of the block flipped: it no longer matches its CID. */
    car[len - 2] ^= 0x01;
    refused(c, car, len, "does not match its CID");
    /* Nothing of the refused CAR reached the gateway. */
    CHECK(!served(c, cid, data));
    car[len - 2] ^= 0x01;
    /* Cut inside the block's section. */
    refused(c, car, len - 3, "truncated");
    CHECK(!served(c, cid, data));
    /* The header names a root the CAR does not contain. */
    other = raw_cid("some other root\n", bin, &bin_len);
    pinata_string_free(cid);
    len = one_block_car(car, data, bin, bin_len, &cid);
    refused(c, car, len, "does not contain its root");
    CHECK(!served(c, cid, data));
    pinata_string_free(cid);
    pinata_string_free(other);
}

static void test_lying_service(pinata_client *c) {
    static uint8_t car[4096];
    const char *data = "the service will lie about this CAR\n";
    char *cid = NULL;
    char fault[1024];
    size_t len = one_block_car(car, data, NULL, 0, &cid);
    pinata_upload_options *o = car_options();
    pinata_upload_result *r = NULL;
    pinata_error *e = NULL;
    snprintf(fault, sizeof fault,
             "{\"path\":\"/v3/files\",\"method\":\"POST\",\"kind\":\"status\",\"status\":200,\"times\":2,"
             "\"body\":{\"data\":{\"id\":\"f-lie\",\"name\":\"lie.car\",\"cid\":"
             "\"bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne\",\"size\":12,"
             "\"number_of_files\":1,\"mime_type\":\"text/plain\",\"keyvalues\":{},"
             "\"created_at\":\"2026-01-01T00:00:00Z\",\"is_duplicate\":false}}}");
    CHECK(test_hook("POST", "/__emulator/faults", fault) == 0);
    CHECK(pinata_upload_bytes(c, car, len, "lie.car", o, &r, &e) == PINATA_E_INTEGRITY);
    CHECK(e != NULL && strstr(pinata_error_message(e), cid) != NULL);
    CHECK(r == NULL);
    pinata_error_free(e);
    /* With the check off the same answer is taken as it is. */
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_verify_cid(o, false, NULL));
    CHECK_ERR(PINATA_OK, pinata_upload_bytes(c, car, len, "lie.car", o, &r, &err));
    CHECK(r != NULL && pinata_upload_result_cid_check(r) == PINATA_CID_NOT_CHECKED);
    CHECK(r != NULL && pinata_upload_result_local_cid(r) == NULL);
    pinata_upload_result_free(r);
    CHECK(test_hook("DELETE", "/__emulator/faults", NULL) == 0);
    pinata_upload_options_free(o);
    pinata_string_free(cid);
}

/* The bytes tests/sdk-pinata/make_car.mjs imports into tests/c/fixtures/v3-car-300k.car:
 * byte i is the top byte of i * 2654435761 (mod 2^32). */
#define FIXTURE_SIZE 300000

static void fixture_bytes(uint8_t *out) {
    uint32_t i;
    for (i = 0; i < FIXTURE_SIZE; i++) {
        out[i] = (uint8_t)((uint32_t)(i * 2654435761u) >> 24);
    }
}

/* A CAR made by a tool nobody here wrote (npm @ipld/car + ipfs-unixfs-importer, see
 * tests/sdk-pinata/make_car.mjs) from those bytes: three blocks (two raw leaves, a
 * dag-pb root). Its root must be libpinata's own CIDv1 of the bytes, and the gateway
 * must then serve them, verified block by block. */
static void test_fixture(pinata_client *c) {
    static uint8_t bytes[FIXTURE_SIZE];
    char car_path[4096];
    pinata_upload_options *o = car_options();
    pinata_upload_result *r = NULL;
    pinata_download_result *d = NULL;
    char *local = NULL;
    const uint8_t *got;
    size_t len = 0;
    test_fixture_path(car_path, sizeof car_path, "v3-car-300k.car");
    fixture_bytes(bytes);
    CHECK_STATUS(PINATA_OK, pinata_cid_of_bytes(bytes, FIXTURE_SIZE, 1, &local, NULL));
    CHECK_ERR(PINATA_OK, pinata_upload_file(c, car_path, o, &r, &err));
    CHECK(r != NULL && local != NULL && strcmp(pinata_upload_result_cid(r), local) == 0);
    CHECK(r != NULL && pinata_upload_result_cid_check(r) == PINATA_CID_VERIFIED);
    CHECK(r != NULL && pinata_file_row_size(pinata_upload_result_file(r)) > FIXTURE_SIZE);
    if (local != NULL) {
        CHECK_ERR(PINATA_OK, pinata_download_cid_to_memory(c, local, 1 << 20, NULL, &d, &err));
        got = pinata_download_result_data(d, &len);
        CHECK(got != NULL && len == FIXTURE_SIZE && memcmp(got, bytes, FIXTURE_SIZE) == 0);
    }
    pinata_download_result_free(d);
    pinata_upload_result_free(r);
    pinata_string_free(local);
    pinata_upload_options_free(o);
}

int main(void) {
    pinata_client *c = car_client();
    test_import(c);
    test_refused_locally(c);
    test_refused_by_emulator(c);
    test_lying_service(c);
    test_fixture(c);
    pinata_client_free(c);
    return check_finish("test_v3_car");
}
