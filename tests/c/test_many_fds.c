/* A program with more than 1024 descriptors open: every socket libcurl opens then has a
 * number past select()'s FD_SETSIZE, so a libcurl built to wait with select() fails
 * ("bad argument") where one that waits with poll() works. The bundled flavour's
 * libcurl is built with poll() (Makefile: BUNDLED_CARGO); this test runs against both
 * flavours (tests/c/run.sh, and tests/bundled.sh with the bundled library), under
 * valgrind and ASan. A call, a JSON pin and a streamed file upload must all succeed. */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#include "check.h"

#define PAST_FD_SETSIZE 1100

int main(void) {
    static int fds[PAST_FD_SETSIZE];
    struct rlimit lim;
    pinata_client *client = test_client();
    pinata_pin_result *r = NULL;
    char *message = NULL;
    int n = 0, highest = -1, i;
    FILE *f;

    /* Room for the descriptors (the soft limit is often 1024; the hard one higher). */
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < PAST_FD_SETSIZE + 64) {
        lim.rlim_cur = lim.rlim_max < 4096 ? lim.rlim_max : 4096;
        setrlimit(RLIMIT_NOFILE, &lim);
    }
    f = fopen("many_fds.bin", "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        for (i = 0; i < 300000; i++) {
            fputc(i * 7 % 251, f);
        }
        fclose(f);
    }
    while (n < PAST_FD_SETSIZE && highest < PAST_FD_SETSIZE - 1) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd < 0) {
            break;
        }
        fds[n++] = fd;
        highest = fd > highest ? fd : highest;
    }
    /* The environment must allow the test; otherwise it fails, it does not skip. */
    if (highest < PAST_FD_SETSIZE - 1) {
        fprintf(stderr, "could only open descriptors up to %d (RLIMIT_NOFILE)\n", highest);
    }
    CHECK(highest >= PAST_FD_SETSIZE - 1);

    CHECK_ERR(PINATA_OK, pinata_test_auth(client, &message, &err));
    CHECK(message != NULL);
    pinata_string_free(message);
    CHECK_ERR(PINATA_OK, pinata_pin_json(client, "{\"many\":\"descriptors\"}", NULL, &r, &err));
    CHECK(r != NULL && pinata_pin_result_cid(r) != NULL);
    pinata_pin_result_free(r);
    r = NULL;
    CHECK_ERR(PINATA_OK, pinata_pin_file(client, "many_fds.bin", NULL, &r, &err));
    CHECK(r != NULL && pinata_pin_result_cid(r) != NULL);
    pinata_pin_result_free(r);

    for (i = 0; i < n; i++) {
        close(fds[i]);
    }
    remove("many_fds.bin");
    pinata_client_free(client);
    return check_finish("test_many_fds");
}
