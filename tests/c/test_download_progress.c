/* Download progress has a total: the emulator's CARs and plain answers come without a
 * Content-Length, so the total is the file's UnixFS size, known once the root block is
 * verified; raw blocks (one request each) report against it from the second request
 * on, and so does a CAR requested again after it broke off. Every report with a total
 * has that total and never more bytes than it, and the last report of a finished
 * download is (size, size). A directory states no size: its
 * reports have total 0 until the last, (bytes, bytes). Runs under valgrind and ASan. */
#include <sys/stat.h>
#include "check.h"

#define SIZE 1000000
/* This test's own directories: tests/c/run.sh runs every program, under valgrind and
 * then ASan, in one scratch directory (test_download.c leaves `dl` and `site` there). */
#define DL "dl-progress"
#define SITE "site-progress"
static unsigned char data[SIZE];

struct record {
    int calls;
    /* Reports with a non-zero total below it: progress during the transfer. */
    int partial;
    /* Reports whose total is neither 0 nor `want`, or whose bytes exceed the total. */
    int wrong;
    /* Reports whose bytes went back while a total was known. */
    int backwards;
    uint64_t want, last_got, last_total;
};

static int record(uint64_t got, uint64_t total, void *userdata) {
    struct record *r = userdata;
    if (total != 0) {
        if (total != r->want || got > total) {
            r->wrong++;
        }
        if (r->last_total != 0 && got < r->last_got) {
            r->backwards++;
        }
        if (got < total) {
            r->partial++;
        }
    }
    r->calls++;
    r->last_got = got;
    r->last_total = total;
    return 0;
}

/* Downloads `cid` to dl/out with `method`, recording progress against `want`. */
static struct record fetch(pinata_client *client, const char *cid, int method, uint64_t want) {
    pinata_download_options *o = NULL;
    struct record r;
    memset(&r, 0, sizeof r);
    r.want = want;
    CHECK_ERR(PINATA_OK, pinata_download_options_new(&o, &err));
    CHECK_ERR(PINATA_OK, pinata_download_options_set_method(o, method, &err));
    CHECK_ERR(PINATA_OK, pinata_download_options_set_progress(o, record, &r, &err));
    CHECK_ERR(PINATA_OK, pinata_download_cid(client, cid, DL "/out", o, NULL, &err));
    pinata_download_options_free(o);
    CHECK(system("rm -rf " DL "/out") == 0);
    return r;
}

/* A finished file download: reports only against its size, ending full. */
static void check_file(struct record r, const char *what) {
    if (r.wrong != 0 || r.backwards != 0 || r.last_got != SIZE || r.last_total != SIZE) {
        fprintf(stderr, "%s: %d calls, %d wrong, %d backwards, last %llu of %llu\n", what,
                r.calls, r.wrong, r.backwards, (unsigned long long)r.last_got,
                (unsigned long long)r.last_total);
    }
    CHECK(r.calls > 0);
    CHECK(r.wrong == 0);
    CHECK(r.backwards == 0);
    CHECK(r.last_got == SIZE);
    CHECK(r.last_total == SIZE);
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
        if (cid != NULL) {
            strcpy(cid, pinata_pin_result_cid(r));
        }
    }
    pinata_pin_result_free(r);
    pinata_pin_options_free(o);
    return cid;
}

int main(void) {
    pinata_client *client = test_client();
    char *v0, *v1, *dir;
    struct record r;
    size_t i;
    FILE *f;

    for (i = 0; i < SIZE; i++) {
        data[i] = (unsigned char)((i * 2654435761u) >> 11);
    }
    CHECK(system("rm -rf " DL " " SITE) == 0);
    CHECK(mkdir(SITE, 0755) == 0);
    f = fopen(SITE "/big.bin", "wb");
    CHECK(f != NULL && fwrite(data, 1, SIZE, f) == SIZE);
    if (f != NULL) {
        fclose(f);
    }
    f = fopen(SITE "/small.txt", "wb");
    CHECK(f != NULL && fwrite("small", 1, 5, f) == 5);
    if (f != NULL) {
        fclose(f);
    }
    CHECK(mkdir(DL, 0755) == 0);
    CHECK_ERR(PINATA_OK, pinata_client_set_gateway(client, test_env("PINATA_TEST_URL"), NULL, &err));
    v0 = pin(client, SITE "/big.bin", 0);
    v1 = pin(client, SITE "/big.bin", 1);
    dir = pin(client, SITE, 1);
    if (v0 == NULL || v1 == NULL || dir == NULL) {
        return check_finish("test_download_progress");
    }

    /* CARs without a Content-Length: the root's UnixFS size (dag-pb and raw leaves). */
    check_file(fetch(client, v0, PINATA_DOWNLOAD_CAR, SIZE), "CAR v0");
    check_file(fetch(client, v1, PINATA_DOWNLOAD_CAR, SIZE), "CAR v1");

    /* A CAR that breaks off after half its blocks is requested again: the second answer
     * reports against the size the first one's root block stated, from its first
     * report on (deterministic, unlike reports within one fast answer). */
    CHECK(test_hook("POST", "/__emulator/gateway/fault", "{\"kind\":\"drop_once\"}") == 0);
    r = fetch(client, v0, PINATA_DOWNLOAD_CAR, SIZE);
    check_file(r, "CAR broken once");
    CHECK(r.partial > 0);

    /* Raw blocks: every request after the root's reports the size, with the bytes so
     * far below it (a block's own Content-Length is never taken for the total). */
    r = fetch(client, v0, PINATA_DOWNLOAD_RAW, SIZE);
    check_file(r, "raw v0");
    CHECK(r.partial > 0);
    r = fetch(client, v1, PINATA_DOWNLOAD_RAW, SIZE);
    check_file(r, "raw v1");
    CHECK(r.partial > 0);

    /* Plain bytes of unknown length: no total until the last report. */
    check_file(fetch(client, v1, PINATA_DOWNLOAD_PLAIN, SIZE), "plain");

    /* A directory: total 0 throughout, then (bytes, bytes) at the end. */
    r = fetch(client, dir, PINATA_DOWNLOAD_CAR, SIZE + 5);
    CHECK(r.calls > 0);
    CHECK(r.wrong == 0);
    CHECK(r.partial == 0);
    CHECK(r.last_got == SIZE + 5 && r.last_total == SIZE + 5);

    free(v0);
    free(v1);
    free(dir);
    pinata_client_free(client);
    return check_finish("test_download_progress");
}
