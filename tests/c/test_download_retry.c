/* Downloads under the client's retry policy and against a gateway that repeats blocks
 * without end: a 503 and a 429 (Retry-After) before any byte are retried, a CAR that
 * breaks off mid-body is requested again and completes byte-identical (the request
 * counts prove each retry happened once); a gateway that re-sends the root forever ends
 * in PINATA_E_PROTOCOL with nothing left behind. Runs under valgrind and ASan. */
#include <dirent.h>
#include <sys/stat.h>
#include "check.h"

#define SIZE 1000000
static unsigned char data[SIZE];

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

static int same_file(const char *path) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    size_t got;
    int same;
    if (f == NULL) {
        return 0;
    }
    buf = malloc(SIZE + 1);
    got = fread(buf, 1, SIZE + 1, f);
    fclose(f);
    same = got == SIZE && memcmp(buf, data, SIZE) == 0;
    free(buf);
    return same;
}

/* This test's own directory: tests/c/run.sh runs every program, under valgrind and
 * then ASan, in one scratch directory, where test_download.c leaves its `dl`. */
#define DL "dl-retry"

static pinata_download_options *car_only(void) {
    pinata_download_options *o = NULL;
    CHECK_ERR(PINATA_OK, pinata_download_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_download_options_set_method(o, PINATA_DOWNLOAD_CAR, &err));
    return o;
}

/* Downloads `cid` as a CAR and returns how many requests it took. */
static long fetch(pinata_client *client, const char *cid) {
    pinata_download_options *o = car_only();
    long before = test_requests_total(), after;
    CHECK(before >= 0);
    CHECK_ERR(PINATA_OK, pinata_download_cid(client, cid, DL "/out", o, NULL, &err));
    after = test_requests_total();
    CHECK(same_file(DL "/out"));
    CHECK(entries(DL) == 1);
    remove(DL "/out");
    pinata_download_options_free(o);
    return after - before;
}

int main(void) {
    pinata_client *client = test_client();
    pinata_pin_result *r = NULL;
    pinata_download_options *o;
    char cid[128] = "";
    size_t i;
    FILE *f;

    for (i = 0; i < SIZE; i++) {
        data[i] = (unsigned char)(i * 7 + i / 251);
    }
    f = fopen("retry.bin", "wb");
    CHECK(f != NULL && fwrite(data, 1, SIZE, f) == SIZE);
    if (f != NULL) {
        fclose(f);
    }
    /* Left by an earlier run of this program in the same directory (the other mode). */
    CHECK(system("rm -rf " DL) == 0);
    CHECK(mkdir(DL, 0755) == 0);
    CHECK_ERR(PINATA_OK, pinata_client_set_gateway(client, test_env("PINATA_TEST_URL"), NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_file(client, "retry.bin", NULL, &r, &err));
    if (r != NULL) {
        snprintf(cid, sizeof cid, "%s", pinata_pin_result_cid(r));
    }
    pinata_pin_result_free(r);

    /* Nothing goes wrong: one request. */
    CHECK(fetch(client, cid) == 1);
    /* A 503 before any byte: retried once. */
    CHECK(test_hook("POST", "/__emulator/faults",
                    "{\"path\":\"/ipfs/*\",\"kind\":\"status\",\"status\":503,\"times\":1}") == 0);
    CHECK(fetch(client, cid) == 2);
    /* A 429 with Retry-After: retried after it. */
    CHECK(test_hook("POST", "/__emulator/faults",
                    "{\"path\":\"/ipfs/*\",\"kind\":\"status\",\"status\":429,\"retry_after\":1,"
                    "\"times\":1}") == 0);
    CHECK(fetch(client, cid) == 2);
    /* The CAR breaks off after half its blocks: requested again, the verified half kept. */
    CHECK(test_hook("POST", "/__emulator/gateway/fault", "{\"kind\":\"drop_once\"}") == 0);
    CHECK(fetch(client, cid) == 2);

    /* The root again and again, forever: a clear error, nothing left behind. */
    CHECK(test_hook("POST", "/__emulator/gateway/fault", "{\"kind\":\"dups_forever\"}") == 0);
    o = car_only();
    CHECK_ERR(PINATA_OK, pinata_download_options_set_max_spill(o, 100000, &err));
    CHECK_ERR(PINATA_E_PROTOCOL, pinata_download_cid(client, cid, DL "/out", o, NULL, &err));
    CHECK(entries(DL) == 0);
    pinata_download_options_free(o);
    CHECK(test_hook("POST", "/__emulator/gateway/fault", "{\"kind\":\"none\"}") == 0);

    pinata_client_free(client);
    return check_finish("test_download_retry");
}
