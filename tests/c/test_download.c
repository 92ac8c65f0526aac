/* Verified downloads as a C program uses them: files and directories pinned on the
 * emulator come back byte-identical through the CAR, raw-block and plain paths, to a
 * path and into memory; every lie of the emulator's gateway (a flipped byte, another
 * block's bytes, a missing block, a truncated CAR, hostile block order, lying plain
 * bytes, a DAG built to make the walk run without end) ends in a clear status with
 * nothing left at the destination; repeated chunks and a directory's later files are
 * not spilled; the gateway token rule; bad input (NULL, bad CIDs, unwritable
 * destinations, the memory cap). Runs under valgrind and ASan (tests/c/run.sh). */
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

#define BIG_SIZE 1000000

static unsigned char big[BIG_SIZE];

static void write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK(fwrite(data, 1, len, f) == len);
        fclose(f);
    }
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

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* Entries of directory `dir` (besides . and ..). */
static int entries(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (d == NULL) {
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            n++;
        }
    }
    closedir(d);
    return n;
}

static char *pin(pinata_client *client, const char *path, int version) {
    pinata_pin_options *o = NULL;
    pinata_pin_result *r = NULL;
    char *cid = NULL;
    CHECK_ERR(PINATA_OK, pinata_pin_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_cid_version(o, version, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_file(client, path, o, &r, &err));
    if (r != NULL) {
        cid = malloc(strlen(pinata_pin_result_cid(r)) + 1);
        strcpy(cid, pinata_pin_result_cid(r));
    }
    pinata_pin_result_free(r);
    pinata_pin_options_free(o);
    return cid;
}

static pinata_download_options *opts_with(int method) {
    pinata_download_options *o = NULL;
    CHECK_ERR(PINATA_OK, pinata_download_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_download_options_set_method(o, method, &err));
    return o;
}

/* Downloads `cid` to "dl/out" with `method` and checks the bytes and the result. */
static void download_file(pinata_client *client, const char *cid, int method, const void *data,
                          size_t len, int want_method, int want_verified) {
    pinata_download_options *o = opts_with(method);
    pinata_download_result *r = NULL;
    CHECK_ERR(PINATA_OK, pinata_download_cid(client, cid, "dl/out", o, &r, &err));
    CHECK(same_file("dl/out", data, len));
    CHECK(pinata_download_result_bytes(r) == len);
    CHECK(pinata_download_result_files(r) == 1);
    CHECK(!pinata_download_result_is_dir(r));
    CHECK(pinata_download_result_method(r) == want_method);
    CHECK(pinata_download_result_verified(r) == want_verified);
    CHECK(pinata_download_result_data(r, NULL) == NULL);
    CHECK(entries("dl") == 1);
    pinata_download_result_free(r);
    pinata_download_options_free(o);
    remove("dl/out");
}

static int progress_calls = 0;
static int count_progress(uint64_t got, uint64_t total, void *userdata) {
    (void)got;
    (void)total;
    (void)userdata;
    progress_calls++;
    return 0;
}
static int stop_progress(uint64_t got, uint64_t total, void *userdata) {
    (void)got;
    (void)total;
    (void)userdata;
    return 1;
}

static void test_files(pinata_client *client) {
    size_t i;
    char *v0, *v1, *hello, *empty;
    pinata_download_options *o;
    pinata_download_result *r = NULL;
    const uint8_t *data;
    size_t len = 99;

    for (i = 0; i < BIG_SIZE; i++) {
        big[i] = (unsigned char)((i * 2654435761u) >> 13);
    }
    write_file("big.bin", big, BIG_SIZE);
    write_file("hello.txt", "Hello World!", 12);
    write_file("empty.txt", "", 0);
    v0 = pin(client, "big.bin", 0);
    v1 = pin(client, "big.bin", 1);
    hello = pin(client, "hello.txt", 1);
    empty = pin(client, "empty.txt", 0);
    CHECK(v0 != NULL && strncmp(v0, "Qm", 2) == 0);
    CHECK(v1 != NULL && strncmp(v1, "bafybei", 7) == 0);
    CHECK(hello != NULL && strcmp(hello, "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne") == 0);
    mkdir("dl", 0755);
    if (v0 == NULL || v1 == NULL || hello == NULL || empty == NULL) {
        return;
    }

    /* Each path, CIDv0 and v1. */
    download_file(client, v0, PINATA_DOWNLOAD_AUTO, big, BIG_SIZE, PINATA_DOWNLOAD_CAR,
                  PINATA_DOWNLOAD_VERIFIED_BLOCKS);
    download_file(client, v1, PINATA_DOWNLOAD_CAR, big, BIG_SIZE, PINATA_DOWNLOAD_CAR,
                  PINATA_DOWNLOAD_VERIFIED_BLOCKS);
    download_file(client, v1, PINATA_DOWNLOAD_RAW, big, BIG_SIZE, PINATA_DOWNLOAD_RAW,
                  PINATA_DOWNLOAD_VERIFIED_BLOCKS);
    download_file(client, v0, PINATA_DOWNLOAD_PLAIN, big, BIG_SIZE, PINATA_DOWNLOAD_PLAIN,
                  PINATA_DOWNLOAD_VERIFIED_RECOMPUTED);
    download_file(client, v1, PINATA_DOWNLOAD_PLAIN, big, BIG_SIZE, PINATA_DOWNLOAD_PLAIN,
                  PINATA_DOWNLOAD_VERIFIED_RECOMPUTED);
    download_file(client, hello, PINATA_DOWNLOAD_AUTO, "Hello World!", 12, PINATA_DOWNLOAD_CAR,
                  PINATA_DOWNLOAD_VERIFIED_BLOCKS);
    download_file(client, empty, PINATA_DOWNLOAD_AUTO, "", 0, PINATA_DOWNLOAD_CAR,
                  PINATA_DOWNLOAD_VERIFIED_BLOCKS);
    /* An existing file at the destination is replaced. */
    write_file("dl/out", "old", 3);
    download_file(client, hello, PINATA_DOWNLOAD_RAW, "Hello World!", 12, PINATA_DOWNLOAD_RAW,
                  PINATA_DOWNLOAD_VERIFIED_BLOCKS);
    /* Identity CIDs carry their bytes: nothing is fetched. */
    download_file(client, "bafkqaedknncdsodknncdsnzvnbvuioak", PINATA_DOWNLOAD_AUTO,
                  "jkD98jkD975hkD8\n", 16, PINATA_DOWNLOAD_AUTO, PINATA_DOWNLOAD_VERIFIED_BLOCKS);

    /* Progress reports, and a progress callback that stops the download. */
    o = opts_with(PINATA_DOWNLOAD_AUTO);
    CHECK_ERR(PINATA_OK, pinata_download_options_set_progress(o, count_progress, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_download_cid(client, v1, "dl/out", o, NULL, &err));
    CHECK(progress_calls > 0);
    remove("dl/out");
    CHECK_ERR(PINATA_OK, pinata_download_options_set_progress(o, stop_progress, NULL, &err));
    CHECK_ERR(PINATA_E_CANCELLED, pinata_download_cid(client, v1, "dl/out", o, NULL, &err));
    CHECK(entries("dl") == 0);
    pinata_download_options_free(o);

    /* A raised cancel flag stops it before anything is written. */
    {
        pinata_cancel *c = NULL;
        CHECK_ERR(PINATA_OK, pinata_cancel_new(&c, &err));
        o = opts_with(PINATA_DOWNLOAD_AUTO);
        CHECK_ERR(PINATA_OK, pinata_download_options_set_cancel(o, c, &err));
        pinata_cancel_request(c);
        CHECK_ERR(PINATA_E_CANCELLED, pinata_download_cid(client, v1, "dl/out", o, NULL, &err));
        CHECK(entries("dl") == 0);
        pinata_download_options_free(o);
        pinata_cancel_free(c);
    }

    /* Into memory, with a cap. */
    CHECK_ERR(PINATA_OK, pinata_download_cid_to_memory(client, v0, BIG_SIZE, NULL, &r, &err));
    data = pinata_download_result_data(r, &len);
    CHECK(data != NULL && len == BIG_SIZE && memcmp(data, big, BIG_SIZE) == 0);
    pinata_download_result_free(r);
    r = NULL;
    CHECK_ERR(PINATA_OK, pinata_download_cid_to_memory(client, empty, 0, NULL, &r, &err));
    len = 99;
    CHECK(pinata_download_result_data(r, &len) != NULL && len == 0);
    pinata_download_result_free(r);
    r = NULL;
    CHECK_ERR(PINATA_E_PROTOCOL, pinata_download_cid_to_memory(client, v1, BIG_SIZE - 1, NULL, &r, &err));
    CHECK(r == NULL);
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_cid_to_memory(client, v1, 10, NULL, NULL, &err));

    /* A download URL (a signed link): verified against the CID, its query never shown. */
    {
        char url[512];
        snprintf(url, sizeof url, "%s/ipfs/%s?X-Signature=secret-sig-4711",
                 test_env("PINATA_TEST_URL"), hello);
        CHECK_ERR(PINATA_OK, pinata_download_url(client, url, hello, "dl/out", NULL, NULL, &err));
        CHECK(same_file("dl/out", "Hello World!", 12));
        remove("dl/out");
        {
            pinata_error *e = NULL;
            CHECK(pinata_download_url(client, url, v1, "dl/out", NULL, NULL, &e) == PINATA_E_INTEGRITY);
            CHECK(e != NULL && strstr(pinata_error_message(e), "secret-sig-4711") == NULL);
            pinata_error_free(e);
        }
        CHECK(entries("dl") == 0);
    }
    free(v0);
    free(v1);
    free(hello);
    free(empty);
}

/* Uploads a fixture CAR of tests/c/fixtures as public v3 content; NULL on failure. */
static pinata_upload_result *upload_fixture_car(pinata_client *client, const char *name) {
    char car_path[4096];
    pinata_upload_options *u = NULL;
    pinata_upload_result *r = NULL;
    test_fixture_path(car_path, sizeof car_path, name);
    CHECK_ERR(PINATA_OK, pinata_upload_options_new(&u, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_network(u, PINATA_NETWORK_PUBLIC, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_car(u, true, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_file(client, car_path, u, &r, &err));
    pinata_upload_options_free(u);
    return r;
}

/* Expects PINATA_E_PROTOCOL from downloading `cid` to "dl/out" with `o`, a message
 * holding `needle`, and nothing left in "dl". */
static void expect_refused(pinata_client *client, const char *cid, pinata_download_options *o,
                           const char *needle) {
    pinata_download_result *d = NULL;
    pinata_error *e = NULL;
    CHECK(pinata_download_cid(client, cid, "dl/out", o, &d, &e) == PINATA_E_PROTOCOL);
    CHECK(e != NULL && strstr(pinata_error_message(e), needle) != NULL);
    CHECK(d == NULL);
    CHECK(entries("dl") == 0);
    pinata_error_free(e);
}

static void test_directories(pinata_client *client) {
    char *v0, *v1;
    pinata_download_result *r = NULL;
    pinata_upload_result *hollow;
    mkdir("site", 0755);
    mkdir("site/css", 0755);
    write_file("site/index.html", "<h1>hi</h1>\n", 12);
    write_file("site/css/a.css", big, 300000);
    write_file("site/empty", "", 0);
    v0 = pin(client, "site", 0);
    v1 = pin(client, "site", 1);
    if (v0 == NULL || v1 == NULL) {
        return;
    }
    CHECK_ERR(PINATA_OK, pinata_download_cid(client, v0, "dl/site", NULL, &r, &err));
    CHECK(pinata_download_result_is_dir(r));
    CHECK(pinata_download_result_files(r) == 3);
    CHECK(pinata_download_result_bytes(r) == 300012);
    CHECK(same_file("dl/site/index.html", "<h1>hi</h1>\n", 12));
    CHECK(same_file("dl/site/css/a.css", big, 300000));
    CHECK(same_file("dl/site/empty", "", 0));
    pinata_download_result_free(r);
    r = NULL;
    {
        pinata_download_options *o = opts_with(PINATA_DOWNLOAD_RAW);
        CHECK_ERR(PINATA_OK, pinata_download_cid(client, v1, "dl/site1", o, NULL, &err));
        CHECK(same_file("dl/site1/css/a.css", big, 300000));
        CHECK(entries("dl/site1") == 3);
        pinata_download_options_free(o);
    }
    /* An existing directory is not replaced; nothing of the download stays. */
    CHECK_ERR(PINATA_E_IO, pinata_download_cid(client, v1, "dl/site", NULL, NULL, &err));
    CHECK(entries("dl") == 2);
    /* A directory does not go into memory. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_cid_to_memory(client, v0, 1 << 20, NULL, &r, &err));
    CHECK(r == NULL);
    CHECK(system("rm -rf dl/site dl/site1") == 0);
    free(v0);
    free(v1);

    /* Two empty directories share one CID, which the CAR holds once: both are made
     * (tests/c/fixtures/make_hollow_dir.py; a legacy upload drops empty directories). */
    hollow = upload_fixture_car(client, "hollow-dir.car");
    if (hollow != NULL) {
        CHECK_ERR(PINATA_OK, pinata_download_cid(client, pinata_upload_result_cid(hollow), "dl/hollow",
                                                 NULL, &r, &err));
        CHECK(pinata_download_result_files(r) == 1);
        CHECK(entries("dl/hollow/a") == 0 && entries("dl/hollow/b") == 0);
        CHECK(same_file("dl/hollow/c", "c", 1));
        pinata_download_result_free(r);
        CHECK(system("rm -rf dl/hollow") == 0);
        pinata_upload_result_free(hollow);
    }
}

static void set_fault(const char *kind, const char *cid, int block) {
    char json[512];
    if (cid != NULL) {
        snprintf(json, sizeof json, "{\"kind\":\"%s\",\"cid\":\"%s\",\"block\":%d}", kind, cid, block);
    } else {
        snprintf(json, sizeof json, "{\"kind\":\"%s\"}", kind);
    }
    CHECK(test_hook("POST", "/__emulator/gateway/fault", json) == 0);
}

static void test_lies(pinata_client *client) {
    char *v1, *v0;
    const char *kinds[] = {"flip", "swap", "missing"};
    int methods[] = {PINATA_DOWNLOAD_CAR, PINATA_DOWNLOAD_RAW};
    size_t k, m;
    v1 = pin(client, "big.bin", 1);
    v0 = pin(client, "big.bin", 0);
    if (v1 == NULL || v0 == NULL) {
        return;
    }
    for (k = 0; k < 3; k++) {
        for (m = 0; m < 2; m++) {
            pinata_download_options *o = opts_with(methods[m]);
            pinata_error *e = NULL;
            pinata_status want = PINATA_E_INTEGRITY;
            /* A raw block the gateway does not have is its 404. */
            if (strcmp(kinds[k], "missing") == 0 && methods[m] == PINATA_DOWNLOAD_RAW) {
                want = PINATA_E_NOT_FOUND;
            }
            set_fault(kinds[k], v1, 2);
            CHECK(pinata_download_cid(client, v1, "dl/out", o, NULL, &e) == want);
            CHECK(e != NULL && pinata_error_status(e) == want);
            /* The message names the block (the fault's block is a raw leaf: bafkrei…). */
            if (want == PINATA_E_INTEGRITY) {
                CHECK(e != NULL && strstr(pinata_error_message(e), "bafkrei") != NULL);
            }
            pinata_error_free(e);
            CHECK(!exists("dl/out"));
            CHECK(entries("dl") == 0);
            pinata_download_options_free(o);
        }
    }
    /* The root block lies. */
    set_fault("flip", v0, 0);
    CHECK_ERR(PINATA_E_INTEGRITY, pinata_download_cid(client, v0, "dl/out", NULL, NULL, &err));
    CHECK(entries("dl") == 0);
    /* A truncated CAR. */
    set_fault("truncate", v1, 3);
    CHECK_ERR(PINATA_E_PROTOCOL, pinata_download_cid(client, v1, "dl/out", NULL, NULL, &err));
    CHECK(entries("dl") == 0);
    /* Blocks in a hostile order (leaves first, root last): spilled, verified, written in
     * order; with too little spill space, a clear error and nothing left. */
    set_fault("reverse", NULL, 0);
    download_file(client, v0, PINATA_DOWNLOAD_AUTO, big, BIG_SIZE, PINATA_DOWNLOAD_CAR,
                  PINATA_DOWNLOAD_VERIFIED_BLOCKS);
    {
        pinata_download_options *o = opts_with(PINATA_DOWNLOAD_CAR);
        CHECK_ERR(PINATA_OK, pinata_download_options_set_max_spill(o, 100000, &err));
        CHECK_ERR(PINATA_E_PROTOCOL, pinata_download_cid(client, v0, "dl/out", o, NULL, &err));
        CHECK(entries("dl") == 0);
        pinata_download_options_free(o);
    }
    /* No CARs: raw blocks. Nothing trustless: plain bytes, the CID recomputed. */
    set_fault("no_car", NULL, 0);
    download_file(client, v1, PINATA_DOWNLOAD_AUTO, big, BIG_SIZE, PINATA_DOWNLOAD_RAW,
                  PINATA_DOWNLOAD_VERIFIED_BLOCKS);
    set_fault("plain_only", NULL, 0);
    download_file(client, v1, PINATA_DOWNLOAD_AUTO, big, BIG_SIZE, PINATA_DOWNLOAD_PLAIN,
                  PINATA_DOWNLOAD_VERIFIED_RECOMPUTED);
    {
        /* Only a CAR will do, and the gateway serves none: a clear error. */
        pinata_download_options *o = opts_with(PINATA_DOWNLOAD_CAR);
        CHECK_ERR(PINATA_E_PROTOCOL, pinata_download_cid(client, v1, "dl/out", o, NULL, &err));
        pinata_download_options_free(o);
    }
    set_fault("plain_lie", NULL, 0);
    CHECK_ERR(PINATA_E_INTEGRITY, pinata_download_cid(client, v1, "dl/out", NULL, NULL, &err));
    CHECK(entries("dl") == 0);
    set_fault("none", NULL, 0);
    download_file(client, v1, PINATA_DOWNLOAD_AUTO, big, BIG_SIZE, PINATA_DOWNLOAD_CAR,
                  PINATA_DOWNLOAD_VERIFIED_BLOCKS);
    free(v1);
    free(v0);
}

static void test_token(pinata_client *client) {
    char *hello = pin(client, "hello.txt", 1);
    pinata_error *e = NULL;
    if (hello == NULL) {
        return;
    }
    CHECK(test_hook("POST", "/__emulator/gateway/token", "{\"token\":\"gw-token-0815\"}") == 0);
    CHECK_ERR(PINATA_E_UNAUTHORIZED, pinata_download_cid(client, hello, "dl/out", NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_gateway(client, test_env("PINATA_TEST_URL"), "wrong-token-1", &err));
    CHECK(pinata_download_cid(client, hello, "dl/out", NULL, NULL, &e) == PINATA_E_FORBIDDEN);
    CHECK(e != NULL && strstr(pinata_error_message(e), "wrong-token-1") == NULL);
    pinata_error_free(e);
    CHECK(entries("dl") == 0);
    CHECK_ERR(PINATA_OK, pinata_client_set_gateway(client, test_env("PINATA_TEST_URL"), "gw-token-0815", &err));
    CHECK_ERR(PINATA_OK, pinata_download_cid(client, hello, "dl/out", NULL, NULL, &err));
    CHECK(same_file("dl/out", "Hello World!", 12));
    remove("dl/out");
    CHECK(test_hook("POST", "/__emulator/gateway/token", "{\"token\":null}") == 0);
    CHECK_ERR(PINATA_OK, pinata_client_set_gateway(client, test_env("PINATA_TEST_URL"), NULL, &err));
    /* v3 uploads (the CAR fixtures among them) go to the emulator too. */
    CHECK_ERR(PINATA_OK, pinata_client_set_upload_url(client, test_env("PINATA_TEST_URL"), &err));
    free(hello);
}

/* A public v3 upload (one store, as on Pinata) is served by the gateway too (a
 * private one is not: tests/c/test_v3_private.c). */
static void test_v3_upload(pinata_client *client) {
    pinata_upload_result *u = NULL;
    pinata_download_result *r = NULL;
    pinata_upload_options *o = NULL;
    const uint8_t *data;
    size_t len = 0;
    CHECK_ERR(PINATA_OK, pinata_upload_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_options_set_network(o, PINATA_NETWORK_PUBLIC, &err));
    CHECK_ERR(PINATA_OK, pinata_upload_bytes(client, big, 400000, "v3.bin", o, &u, &err));
    pinata_upload_options_free(o);
    if (u == NULL) {
        return;
    }
    CHECK_ERR(PINATA_OK, pinata_download_cid_to_memory(client, pinata_upload_result_cid(u), 400000,
                                                       NULL, &r, &err));
    data = pinata_download_result_data(r, &len);
    CHECK(data != NULL && len == 400000 && memcmp(data, big, 400000) == 0);
    CHECK(pinata_download_result_method(r) == PINATA_DOWNLOAD_CAR);
    pinata_download_result_free(r);
    pinata_upload_result_free(u);
}

/* Content that repeats a chunk before others (a file starting with 512 KiB of zeros: two
 * identical 256 KiB chunks, then 200,000 other bytes), and a directory whose second
 * file comes after the first has ended: the CAR sends each block once, depth first, and
 * the walk takes every block as it comes. A spill limit of 100,000 bytes, under one
 * chunk, proves that none of them is spilled. */
static void test_repeats_are_not_spilled(pinata_client *client) {
    static unsigned char zeros_first[724288];
    pinata_download_options *o = opts_with(PINATA_DOWNLOAD_CAR);
    char *file, *dir;
    memcpy(zeros_first + 524288, big, sizeof zeros_first - 524288);
    write_file("zeros.bin", zeros_first, sizeof zeros_first);
    mkdir("two", 0755);
    write_file("two/a.bin", big, 300000);
    write_file("two/b.bin", zeros_first, sizeof zeros_first);
    file = pin(client, "zeros.bin", 1);
    dir = pin(client, "two", 1);
    CHECK_ERR(PINATA_OK, pinata_download_options_set_max_spill(o, 100000, &err));
    if (file != NULL && dir != NULL) {
        CHECK_ERR(PINATA_OK, pinata_download_cid(client, file, "dl/out", o, NULL, &err));
        CHECK(same_file("dl/out", zeros_first, sizeof zeros_first));
        CHECK_ERR(PINATA_OK, pinata_download_cid(client, dir, "dl/two", o, NULL, &err));
        CHECK(same_file("dl/two/a.bin", big, 300000));
        CHECK(same_file("dl/two/b.bin", zeros_first, sizeof zeros_first));
        CHECK(system("rm -rf dl/out dl/two") == 0);
    }
    pinata_download_options_free(o);
    free(file);
    free(dir);
}

/* A DAG built to make a walk run without end (tests/c/fixtures/make_dag_bomb.py): about
 * 5 KB of blocks, 40 file nodes each linking twice to the next, down to an empty leaf,
 * 2^40 references and no content. The emulator imports it as a CAR upload and its
 * gateway sends each block once. Every verified method, and AUTO (which must not fall
 * back to plain bytes), stops with PINATA_E_PROTOCOL and leaves nothing; to memory too.
 * Plain bytes, asked for, end short and are refused. */
static void test_dag_bomb(pinata_client *client) {
    const int methods[] = {PINATA_DOWNLOAD_CAR, PINATA_DOWNLOAD_RAW, PINATA_DOWNLOAD_AUTO};
    pinata_upload_result *r = upload_fixture_car(client, "dag-bomb.car");
    size_t m;
    if (r == NULL) {
        return;
    }
    for (m = 0; m < sizeof methods / sizeof methods[0]; m++) {
        pinata_download_options *o = opts_with(methods[m]);
        pinata_download_result *d = NULL;
        pinata_error *e = NULL;
        expect_refused(client, pinata_upload_result_cid(r), o, "again and again");
        CHECK(pinata_download_cid_to_memory(client, pinata_upload_result_cid(r), 1 << 20, o, &d,
                                            &e) == PINATA_E_PROTOCOL);
        CHECK(e != NULL && strstr(pinata_error_message(e), "again and again") != NULL);
        CHECK(d == NULL);
        pinata_error_free(e);
        pinata_download_options_free(o);
    }
    /* Plain bytes: the emulator's answer ends after 65,536 nodes without a byte (it
     * used to spin for ever), and no bytes do not hash to the CID. */
    {
        pinata_download_options *o = opts_with(PINATA_DOWNLOAD_PLAIN);
        CHECK_ERR(PINATA_E_INTEGRITY,
                  pinata_download_cid(client, pinata_upload_result_cid(r), "dl/out", o, NULL, &err));
        CHECK(entries("dl") == 0);
        pinata_download_options_free(o);
    }
    pinata_upload_result_free(r);
}

/* The caps on content: a real file of 2^40 bytes (tests/c/fixtures/byte-bomb.car, 6 KB
 * of valid blocks) is refused by every method, to a path and into memory, with nothing
 * left; a file and a directory that meet their caps exactly come back whole, one byte
 * or one entry less is refused (through a download URL too); 0 removes a cap. */
static void test_caps(pinata_client *client) {
    const int methods[] = {PINATA_DOWNLOAD_CAR, PINATA_DOWNLOAD_RAW, PINATA_DOWNLOAD_PLAIN,
                           PINATA_DOWNLOAD_AUTO};
    pinata_upload_result *bomb = upload_fixture_car(client, "byte-bomb.car");
    pinata_download_result *d = NULL;
    char *file = pin(client, "big.bin", 1);
    char *site;
    size_t m;
    pinata_download_options *o;

    if (bomb != NULL) {
        for (m = 0; m < sizeof methods / sizeof methods[0]; m++) {
            pinata_error *e = NULL;
            o = opts_with(methods[m]);
            /* Plain bytes come from 2^16 one-byte leaves before the cap: kept small, quick. */
            CHECK_ERR(PINATA_OK, pinata_download_options_set_max_bytes(o, 1 << 16, &err));
            expect_refused(client, pinata_upload_result_cid(bomb), o, "cap of 65536 bytes");
            /* Into memory, the smaller of the two caps holds. */
            CHECK(pinata_download_cid_to_memory(client, pinata_upload_result_cid(bomb), 1 << 30, o,
                                                &d, &e) == PINATA_E_PROTOCOL);
            CHECK(e != NULL && strstr(pinata_error_message(e), "cap of 65536 bytes") != NULL);
            CHECK(d == NULL);
            pinata_error_free(e);
            pinata_download_options_free(o);
        }
        pinata_upload_result_free(bomb);
    }

    /* A file: a cap it meets exactly, then one byte less; 0 removes the cap. */
    o = opts_with(PINATA_DOWNLOAD_CAR);
    if (file != NULL) {
        CHECK_ERR(PINATA_OK, pinata_download_options_set_max_bytes(o, BIG_SIZE, &err));
        CHECK_ERR(PINATA_OK, pinata_download_cid(client, file, "dl/out", o, &d, &err));
        CHECK(same_file("dl/out", big, BIG_SIZE));
        CHECK(pinata_download_result_bytes(d) == BIG_SIZE);
        pinata_download_result_free(d);
        d = NULL;
        CHECK(unlink("dl/out") == 0);
        CHECK_ERR(PINATA_OK, pinata_download_options_set_max_bytes(o, BIG_SIZE - 1, &err));
        expect_refused(client, file, o, "cap of 999999 bytes");
        {
            /* A download URL keeps to the cap too. */
            char url[512];
            pinata_error *e = NULL;
            snprintf(url, sizeof url, "%s/ipfs/%s", test_env("PINATA_TEST_URL"), file);
            CHECK(pinata_download_url(client, url, file, "dl/out", o, NULL, &e) == PINATA_E_PROTOCOL);
            CHECK(e != NULL && strstr(pinata_error_message(e), "cap of 999999 bytes") != NULL);
            CHECK(entries("dl") == 0);
            pinata_error_free(e);
        }
        CHECK_ERR(PINATA_OK, pinata_download_options_set_max_bytes(o, 0, &err));
        CHECK_ERR(PINATA_OK, pinata_download_options_set_max_entries(o, 1, &err));
        CHECK_ERR(PINATA_OK, pinata_download_cid(client, file, "dl/out", o, NULL, &err));
        CHECK(same_file("dl/out", big, BIG_SIZE));
        CHECK(unlink("dl/out") == 0);
    }

    /* test_directories' site: the root, css/ and 3 files are 5 entries, 300012 bytes. */
    site = pin(client, "site", 1);
    if (site != NULL) {
        CHECK_ERR(PINATA_OK, pinata_download_options_set_max_entries(o, 4, &err));
        expect_refused(client, site, o, "cap of 4 files and directories");
        CHECK_ERR(PINATA_OK, pinata_download_options_set_max_entries(o, 0, &err));
        CHECK_ERR(PINATA_OK, pinata_download_options_set_max_bytes(o, 300011, &err));
        expect_refused(client, site, o, "cap of 300011 bytes");
        CHECK_ERR(PINATA_OK, pinata_download_options_set_max_entries(o, 5, &err));
        CHECK_ERR(PINATA_OK, pinata_download_options_set_max_bytes(o, 300012, &err));
        CHECK_ERR(PINATA_OK, pinata_download_cid(client, site, "dl/out", o, &d, &err));
        CHECK(pinata_download_result_files(d) == 3);
        CHECK(same_file("dl/out/css/a.css", big, 300000));
        pinata_download_result_free(d);
        CHECK(system("rm -rf dl/out") == 0);
    }
    pinata_download_options_free(o);
    free(file);
    free(site);
}

static void test_bad_input(pinata_client *client) {
    pinata_download_options *o = NULL;
    pinata_download_result *r = NULL;
    const char *hello = "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne";
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_options_new(NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_download_options_new(&o, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_options_set_method(NULL, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_options_set_method(o, 9, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_options_set_accept_unverifiable(NULL, true, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_options_set_max_spill(NULL, 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_options_set_max_bytes(NULL, 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_options_set_max_entries(NULL, 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_options_set_progress(NULL, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_options_set_cancel(NULL, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_download_options_set_cancel(o, NULL, &err));

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_gateway(NULL, "x.mypinata.cloud", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_gateway(client, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_gateway(client, "ftp://x", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_gateway(client, "http://example.com", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_gateway(client, "x.mypinata.cloud", "a b", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_gateway(client, "x.mypinata.cloud", "", &err));

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_cid(NULL, hello, "dl/out", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_cid(client, NULL, "dl/out", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_cid(client, hello, NULL, o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_cid(client, "not-a-cid", "dl/out", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_cid(client, "\xff", "dl/out", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_cid(client, hello, "dl/", o, &r, &err));
    /* sha2-512: valid, but not verifiable here. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT,
              pinata_download_cid(client,
                                  "bafkrgqbqt3gerhas23vuzrapkdeqf4vu2dwxp3srdj6hvg6nhsug2tgyn6mj3u23yx7utftq3i2ckw2fwdh5qmhid5qf3t35yvkc5e5ottlw6",
                                  "dl/out", o, &r, &err));
    CHECK_ERR(PINATA_E_IO, pinata_download_cid(client, hello, "no-such-dir/out", o, &r, &err));
    CHECK_ERR(PINATA_E_IO, pinata_download_cid(client, hello, "hello.txt/out", o, &r, &err));
    /* A CID the gateway does not have. */
    CHECK_ERR(PINATA_E_NOT_FOUND,
              pinata_download_cid(client, "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
                                  "dl/out", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_cid_to_memory(NULL, hello, 1, o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_url(client, NULL, hello, "dl/out", o, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_download_url(client, "ftp://h/x", hello, "dl/out", o, &r, &err));
    CHECK(r == NULL);
    CHECK(entries("dl") == 0);

    CHECK(pinata_download_result_bytes(NULL) == 0);
    CHECK(pinata_download_result_files(NULL) == 0);
    CHECK(pinata_download_result_blocks(NULL) == 0);
    CHECK(!pinata_download_result_is_dir(NULL));
    CHECK(pinata_download_result_method(NULL) == PINATA_DOWNLOAD_AUTO);
    CHECK(pinata_download_result_verified(NULL) == 0);
    CHECK(pinata_download_result_data(NULL, NULL) == NULL);
    pinata_download_result_free(NULL);
    pinata_download_options_free(NULL);
    pinata_download_options_free(o);
}

int main(void) {
    pinata_client *client = test_client();
    CHECK_ERR(PINATA_OK, pinata_client_set_gateway(client, test_env("PINATA_TEST_URL"), NULL, &err));
    /* v3 uploads (the CAR fixtures among them) go to the emulator too. */
    CHECK_ERR(PINATA_OK, pinata_client_set_upload_url(client, test_env("PINATA_TEST_URL"), &err));
    test_files(client);
    test_directories(client);
    test_lies(client);
    test_token(client);
    test_v3_upload(client);
    test_repeats_are_not_spilled(client);
    test_dag_bomb(client);
    test_caps(client);
    test_bad_input(client);
    pinata_client_free(client);
    return check_finish("test_download");
}
