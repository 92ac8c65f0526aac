/* A tiny test harness for the C test programs: CHECK macros that count, and a final
 * "N passed, N failed" line. The emulator's address and seeded credentials come from
 * the environment set by tests/c/run.sh. */
#ifndef PINATA_CHECK_H
#define PINATA_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "pinata.h"

static int check_passed = 0;
static int check_failed = 0;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (cond) {                                                              \
            check_passed++;                                                      \
        } else {                                                                 \
            check_failed++;                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,     \
                    #cond);                                                      \
        }                                                                        \
    } while (0)

/* Runs a call that must return `want`; on a mismatch prints the error's message. Frees
 * the error object either way, so a test never leaks one. */
#define CHECK_STATUS(want, call)                                                 \
    do {                                                                         \
        pinata_error *check_err_ = NULL;                                         \
        pinata_status check_got_ = (call);                                       \
        (void)check_err_;                                                        \
        if (check_got_ == (want)) {                                              \
            check_passed++;                                                      \
        } else {                                                                 \
            check_failed++;                                                      \
            fprintf(stderr, "%s:%d: %s returned %s, wanted %s\n", __FILE__,      \
                    __LINE__, #call, pinata_status_str(check_got_),              \
                    pinata_status_str(want));                                    \
        }                                                                        \
    } while (0)

/* Like CHECK_STATUS, for calls whose last argument is `&ERR`: the error object is
 * checked to carry the same status and a non-empty message, then freed. */
#define CHECK_ERR(want, call_with_err)                                           \
    do {                                                                         \
        pinata_error *err = NULL;                                                \
        pinata_status check_got_ = (call_with_err);                              \
        if (check_got_ == (want)) {                                              \
            check_passed++;                                                      \
        } else {                                                                 \
            check_failed++;                                                      \
            fprintf(stderr, "%s:%d: %s returned %s, wanted %s: %s\n", __FILE__,  \
                    __LINE__, #call_with_err, pinata_status_str(check_got_),     \
                    pinata_status_str(want),                                     \
                    err ? pinata_error_message(err) : "(no error object)");      \
        }                                                                        \
        if ((want) != PINATA_OK) {                                               \
            CHECK(err != NULL);                                                  \
            CHECK(pinata_error_status(err) == (want));                           \
            CHECK(pinata_error_message(err) != NULL &&                           \
                  pinata_error_message(err)[0] != '\0');                         \
        } else {                                                                 \
            CHECK(err == NULL);                                                  \
        }                                                                        \
        pinata_error_free(err);                                                  \
    } while (0)

static inline const char *test_env(const char *name) {
    const char *v = getenv(name);
    if (v == NULL || v[0] == '\0') {
        fprintf(stderr, "missing environment variable %s (run through tests/c/run.sh)\n", name);
        exit(2);
    }
    return v;
}

/* The path of tests/c/fixtures/`name` (this header sits in tests/c, so its own path
 * names the directory wherever the suite was built from). */
static inline void test_fixture_path(char *out, size_t size, const char *name) {
    const char *dir_end = strrchr(__FILE__, '/');
    snprintf(out, size, "%.*s/fixtures/%s", dir_end ? (int)(dir_end - __FILE__) : 1,
             dir_end ? __FILE__ : ".", name);
}

/* Points a client at the server under test: PINATA_TEST_URL, and when the suite runs
 * over HTTPS through the TLS front (tests/tls_front.sh), the CA bundle PINATA_TEST_CA
 * and the HTTP version PINATA_TEST_HTTP_VERSION ("1.1" or "2"; unset: the library's
 * choice). Returns PINATA_OK or the first failure. */
static inline pinata_status test_configure(pinata_client *client) {
    const char *ca = getenv("PINATA_TEST_CA");
    const char *version = getenv("PINATA_TEST_HTTP_VERSION");
    pinata_status s = pinata_client_set_base_url(client, test_env("PINATA_TEST_URL"), NULL);
    if (s == PINATA_OK && ca != NULL && ca[0] != '\0') {
        s = pinata_client_set_ca_bundle(client, ca, NULL);
    }
    if (s == PINATA_OK && ca != NULL && ca[0] != '\0') {
        /* Through the TLS front: the bundled build's handshake (aws-lc) under valgrind
         * took over the default 10 s on a loaded machine. Tests of timeouts set theirs. */
        s = pinata_client_set_connect_timeout_ms(client, 60000, NULL);
    }
    if (s == PINATA_OK && version != NULL && version[0] != '\0') {
        s = pinata_client_set_http_version(
            client, strcmp(version, "1.1") == 0 ? PINATA_HTTP_VERSION_1_1 : PINATA_HTTP_VERSION_2,
            NULL);
    }
    return s;
}

/* A client for the emulator's seeded admin key. */
static inline pinata_client *test_client(void) {
    pinata_client *client = NULL;
    if (pinata_client_new_jwt(test_env("PINATA_TEST_JWT"), &client, NULL) != PINATA_OK ||
        test_configure(client) != PINATA_OK) {
        fprintf(stderr, "cannot make a test client\n");
        exit(2);
    }
    return client;
}

/* The curl(1) options that reach PINATA_TEST_URL: the test CA when there is one. */
static inline const char *test_curl_opts(void) {
    static char opts[1200];
    const char *ca = getenv("PINATA_TEST_CA");
    if (ca == NULL || ca[0] == '\0') {
        return "";
    }
    snprintf(opts, sizeof opts, "--cacert '%s'", ca);
    return opts;
}

/* Sends all of `data`, or returns 0; a peer that closed gives an error, not SIGPIPE. */
static inline int test_send_all(int fd, const char *data, size_t len) {
#ifdef MSG_NOSIGNAL
    const int flags = MSG_NOSIGNAL;
#else
    const int flags = 0;
#endif
    while (len > 0) {
        ssize_t sent = send(fd, data, len, flags);
        if (sent <= 0) {
            return 0;
        }
        data += sent;
        len -= (size_t)sent;
    }
    return 1;
}

/* An emulator hook: one HTTP/1.1 exchange with the emulator itself (not the TLS front:
 * hooks are the test's controls, not what it tests) over a plain socket, with no child
 * process, since a fork under valgrind costs tens of milliseconds and the fault matrix
 * makes four hook calls per cell. Returns the HTTP status, or -1 when the emulator
 * cannot be reached or its address is not http://IPV4:PORT (tests/emulator.sh gives
 * http://127.0.0.1:PORT); with `answer`, *answer receives the whole response, headers
 * included, NUL-terminated (the caller frees it). */
static inline int test_hook_exchange(const char *method, const char *path, const char *json,
                                     char **answer) {
    const char *url = getenv("PINATA_TEST_EMULATOR_URL");
    char host[64], head[1024];
    unsigned port = 0;
    size_t body_len = json ? strlen(json) : 0, len = 0, cap = 4096;
    struct sockaddr_in addr;
    char *buf;
    int fd, status = -1, n;
    if (url == NULL || url[0] == '\0') {
        url = test_env("PINATA_TEST_URL");
    }
    if (sscanf(url, "http://%63[0-9.]:%u", host, &port) != 2 || port == 0 || port > 65535) {
        fprintf(stderr, "emulator hooks need an http://IPV4:PORT address, not %s\n", url);
        return -1;
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "emulator hooks need an http://IPV4:PORT address, not %s\n", url);
        return -1;
    }
    n = snprintf(head, sizeof head,
                 "%s %s HTTP/1.1\r\nHost: %s:%u\r\nConnection: close\r\n"
                 "Content-Type: application/json\r\nContent-Length: %lu\r\n\r\n",
                 method, path, host, port, (unsigned long)body_len);
    if (n < 0 || (size_t)n >= sizeof head || (buf = malloc(cap)) == NULL) {
        return -1;
    }
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0) {
        /* A hook that does not answer within a minute fails instead of hanging the test. */
        struct timeval limit = {60, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    }
    if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
        test_send_all(fd, head, (size_t)n) && test_send_all(fd, json, body_len)) {
        ssize_t got;
        /* Connection: close: the answer ends where the stream does. */
        while ((got = read(fd, buf + len, cap - len - 1)) > 0) {
            len += (size_t)got;
            if (cap - len == 1) {
                char *bigger = realloc(buf, cap * 2);
                if (bigger == NULL) {
                    len = 0;
                    break;
                }
                buf = bigger;
                cap *= 2;
            }
        }
        buf[len] = '\0';
        if (got == 0 && sscanf(buf, "HTTP/1.%*d %d", &status) != 1) {
            status = -1;
        }
    }
    if (fd >= 0) {
        close(fd);
    }
    if (answer != NULL && status > 0) {
        *answer = buf;
    } else {
        free(buf);
    }
    return status;
}

/* Calls an emulator hook; 0 when it answered 2xx (as `curl -f` would). */
static inline int test_hook(const char *method, const char *path, const char *json) {
    int status = test_hook_exchange(method, path, json, NULL);
    return status >= 200 && status < 300 ? 0 : 1;
}

/* Requests the emulator has counted on its API paths so far (hook calls are not
 * counted), or -1 when the stats hook cannot be read: a caller CHECKs for that, so a
 * broken hook fails the test instead of skipping the count. */
static inline long test_requests_total(void) {
    static const char key[] = "\"requests_total\":";
    char *buf = NULL, *hit, *end;
    long v = -1;
    if (test_hook_exchange("GET", "/__emulator/stats", NULL, &buf) == 200 &&
        (hit = strstr(buf, key)) != NULL) {
        v = strtol(hit + sizeof key - 1, &end, 10);
        if (end == hit + sizeof key - 1) {
            v = -1;
        }
    }
    free(buf);
    return v;
}

/* The account's active pin count as the service reports it (userPinnedDataTotal), or
 * -1 when the call fails. One counted request: call it outside a request-count check. */
static inline long test_pin_count(const pinata_client *client) {
    uint64_t n = 0;
    return pinata_usage(client, &n, NULL, NULL, NULL) == PINATA_OK ? (long)n : -1;
}

static inline int check_finish(const char *name) {
    printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}

#endif
