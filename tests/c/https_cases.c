/* HTTPS failure cases and proxies, against the servers tests/tls_front.sh starts
 * (start_tls_cases): each certificate problem gives PINATA_E_TLS with a message naming
 * it, a stalled handshake gives PINATA_E_TIMEOUT, and proxies are honoured from the
 * environment, set explicitly, or turned off, with their credentials never in a
 * message. Run by tests/c/run.sh with PINATA_TEST_FRONT=tls (valgrind and ASan),
 * against either build: the messages carry the reason in the words of the build's TLS
 * stack (OpenSSL for the system libcurl, rustls for the bundled flavour). */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include "check.h"

/* Connect timeouts: one that a TLS handshake under valgrind survives (rustls with
 * aws-lc takes seconds there), and a short one for the stalled handshake, which only
 * the timeout ends. */
enum { CONNECT_TIMEOUT_MS = 20000, STALL_TIMEOUT_MS = 1500 };

/* A client of `url` with the seeded JWT, no retries, the given connect timeout; `ca`
 * may be NULL (the system store). */
static pinata_client *client_with_timeout(const char *url, const char *ca, uint64_t connect_timeout_ms) {
    pinata_client *c = NULL;
    CHECK_STATUS(PINATA_OK, pinata_client_new_jwt(test_env("PINATA_TEST_JWT"), &c, NULL));
    CHECK_STATUS(PINATA_OK, pinata_client_set_base_url(c, url, NULL));
    if (ca != NULL) {
        CHECK_STATUS(PINATA_OK, pinata_client_set_ca_bundle(c, ca, NULL));
    }
    {
        /* The pass's HTTP version, as test_configure sets it. */
        const char *v = getenv("PINATA_TEST_HTTP_VERSION");
        if (v != NULL && v[0] != '\0') {
            CHECK_STATUS(PINATA_OK, pinata_client_set_http_version(
                                        c, strcmp(v, "1.1") == 0 ? PINATA_HTTP_VERSION_1_1 : PINATA_HTTP_VERSION_2,
                                        NULL));
        }
    }
    CHECK_STATUS(PINATA_OK, pinata_client_set_retry_policy(c, 0, 10000, NULL));
    CHECK_STATUS(PINATA_OK, pinata_client_set_connect_timeout_ms(c, connect_timeout_ms, NULL));
    CHECK_STATUS(PINATA_OK, pinata_client_set_request_timeout_ms(c, 60000, NULL));
    return c;
}

static pinata_client *client_for(const char *url, const char *ca) {
    return client_with_timeout(url, ca, CONNECT_TIMEOUT_MS);
}

/* Calls testAuthentication; checks the status, that the message contains every
 * `needles` entry (case-sensitive; NULL ends the list) and none of `secrets`. */
static void expect(const char *what, pinata_client *c, pinata_status want, const char *const *needles,
                   const char *const *secrets) {
    pinata_error *err = NULL;
    char *message = NULL;
    pinata_status got = pinata_test_auth(c, &message, &err);
    const char *text = err ? pinata_error_message(err) : "";
    if (getenv("PINATA_TEST_VERBOSE") != NULL) {
        fprintf(stderr, "  %-40s -> %s: %s\n", what, pinata_status_str(got), text);
    }
    if (got != want) {
        fprintf(stderr, "%s: got %s, wanted %s: %s\n", what, pinata_status_str(got), pinata_status_str(want),
                text);
    }
    CHECK(got == want);
    if (want != PINATA_OK) {
        CHECK(err != NULL && pinata_error_status(err) == want);
        CHECK(err != NULL && pinata_error_http_status(err) == 0);
        for (; needles != NULL && *needles != NULL; needles++) {
            if (strstr(text, *needles) == NULL) {
                fprintf(stderr, "%s: the message \"%s\" does not say \"%s\"\n", what, text, *needles);
            }
            CHECK(strstr(text, *needles) != NULL);
        }
    } else {
        CHECK(err == NULL && message != NULL);
    }
    for (; secrets != NULL && *secrets != NULL; secrets++) {
        CHECK(strstr(text, *secrets) == NULL);
    }
    pinata_string_free(message);
    pinata_error_free(err);
}

/* The TLS stack behind the library under test. The system build links the system's
 * libcurl, whose curl_version() is then visible in this process and names its TLS
 * library; the bundled build exports nothing but pinata_* symbols, and its libcurl
 * uses rustls (Cargo feature `bundled`). */
enum tls_stack { STACK_OPENSSL, STACK_RUSTLS };

static enum tls_stack tls_stack(void) {
    typedef const char *(*version_fn)(void);
    void *symbol = dlsym(RTLD_DEFAULT, "curl_version");
    version_fn curl_version;
    const char *v;
    if (symbol == NULL) {
        return STACK_RUSTLS;
    }
    memcpy(&curl_version, &symbol, sizeof curl_version); /* ISO C has no cast for this */
    v = curl_version();
    if (strstr(v, "OpenSSL/") != NULL) {
        return STACK_OPENSSL;
    }
    if (strstr(v, "rustls") != NULL) {
        return STACK_RUSTLS;
    }
    fprintf(stderr, "https_cases: no expected wording for the TLS stack of %s\n", v);
    exit(1);
}

/* One certificate case: the server (the environment variable naming its URL), the CA
 * bundle (an environment variable, or NULL for the system store), the status, and the
 * words the message must hold: `common` from libpinata, then the TLS stack's reason. */
struct tls_case {
    const char *what;
    const char *url_env;
    const char *ca_env;
    pinata_status want;
    const char *common;
    const char *openssl;
    const char *rustls;
};

static const struct tls_case tls_cases[] = {
    /* Unknown CA: the system store does not know the test CA. */
    {"system store", "PINATA_TEST_URL", NULL, PINATA_E_TLS, "certificate was not accepted",
     "unable to get local issuer certificate", "invalid peer certificate: UnknownIssuer"},
    /* Another CA with the same subject name: rustls finds it as the issuer and then the
     * signature does not verify. */
    {"other CA", "PINATA_TEST_URL", "PINATA_TEST_OTHER_CA", PINATA_E_TLS, "certificate was not accepted",
     "unable to get local issuer certificate", "invalid peer certificate: BadSignature"},
    /* Hostname mismatch: the certificate names 127.0.0.1, not localhost. */
    {"name mismatch", "PINATA_TEST_TLS_MISMATCH_URL", "PINATA_TEST_CA", PINATA_E_TLS,
     "certificate was not accepted", "target host name 'localhost'", "invalid peer certificate: NotValidForName"},
    /* Expired certificate, from the trusted CA. */
    {"expired", "PINATA_TEST_TLS_EXPIRED_URL", "PINATA_TEST_CA", PINATA_E_TLS, "certificate was not accepted",
     "certificate has expired", "invalid peer certificate: Expired"},
    /* A CA bundle that is not PEM: accepted as a path (it exists), refused at use. */
    {"CA bundle not PEM", "PINATA_TEST_URL", "PINATA_TEST_NOT_PEM", PINATA_E_TLS, "CA bundle could not be loaded",
     "error setting certificate file", "failed to load trusted certificates"},
    /* A server that speaks plain HTTP on the TLS port. */
    {"plain HTTP on the TLS port", "PINATA_TEST_TLS_PLAIN_URL", "PINATA_TEST_CA", PINATA_E_TLS,
     "TLS handshake failed", "wrong version number", "received corrupt message"},
};

static void certificates(void) {
    const enum tls_stack stack = tls_stack();
    const char *ca = test_env("PINATA_TEST_CA");
    pinata_client *c;
    size_t i;

    /* The control: the front with its CA works. */
    c = client_for(test_env("PINATA_TEST_URL"), ca);
    expect("trusted CA", c, PINATA_OK, NULL, NULL);
    pinata_client_free(c);

    for (i = 0; i < sizeof tls_cases / sizeof tls_cases[0]; i++) {
        const struct tls_case *t = &tls_cases[i];
        const char *const n[] = {t->common, stack == STACK_OPENSSL ? t->openssl : t->rustls, NULL};
        c = client_for(test_env(t->url_env), t->ca_env != NULL ? test_env(t->ca_env) : NULL);
        expect(t->what, c, t->want, n, NULL);
        pinata_client_free(c);
    }

    /* A handshake that stalls: the connect timeout covers the TLS handshake. */
    {
        static const char *const n[] = {"timed out", NULL};
        c = client_with_timeout(test_env("PINATA_TEST_TLS_STALL_URL"), ca, STALL_TIMEOUT_MS);
        expect("stalled handshake", c, PINATA_E_TIMEOUT, n, NULL);
        pinata_client_free(c);
    }
}

/* The requests nginx logged (TLS_FRONT_LOG: "PROTOCOL METHOD URI AGENT") for `uri`
 * with protocol `protocol` (NULL: any), or -1 when the log cannot be read. */
static long logged(const char *protocol, const char *uri) {
    char line[2048];
    long n = 0;
    FILE *f = fopen(test_env("TLS_FRONT_LOG"), "r");
    if (f == NULL) {
        return -1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        const char *sp = strchr(line, ' ');
        const char *u = sp != NULL ? strchr(sp + 1, ' ') : NULL;
        if (u == NULL || strncmp(u + 1, uri, strlen(uri)) != 0 || u[1 + strlen(uri)] != ' ') {
            continue;
        }
        if (protocol == NULL || (strncmp(line, protocol, strlen(protocol)) == 0 && line[strlen(protocol)] == ' ')) {
            n++;
        }
    }
    fclose(f);
    return n;
}

/* Waits (at most about 10 s) until nginx has logged `want` requests for `uri`: it
 * writes a line once the response is sent, which may be just after the client has it. */
static void await_logged(const char *uri, long want) {
    int i;
    for (i = 0; i < 200 && logged(NULL, uri) < want; i++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* One client whose HTTP version changes between calls: the calls after the change must
 * use the new version, although the client's pooled handle and its open connection
 * were made with the other one (the pool must reconfigure the handle and must not
 * reuse a connection of the wrong version). The requests go under `prefix`, a path
 * the emulator does not serve (404), so nginx's log tells them from the suites'
 * requests (tls_front_protocols leaves them out). */
static void version_switch(const char *prefix, int32_t first, const char *first_logged, int32_t then,
                           const char *then_logged) {
    char url[512], auth_uri[256], usage_uri[256];
    pinata_error *err = NULL;
    char *message = NULL;
    uint64_t pins = 0, size = 0, replicated = 0;
    long auth_before, usage_before, auth_first, usage_then;
    int i;
    pinata_client *c = client_for(test_env("PINATA_TEST_URL"), test_env("PINATA_TEST_CA"));
    snprintf(url, sizeof url, "%s/%s", test_env("PINATA_TEST_URL"), prefix);
    snprintf(auth_uri, sizeof auth_uri, "/%s/data/testAuthentication", prefix);
    snprintf(usage_uri, sizeof usage_uri, "/%s/data/userPinnedDataTotal", prefix);
    /* The log is the front's: run.sh's valgrind and ASan runs share it. */
    auth_before = logged(NULL, auth_uri);
    usage_before = logged(NULL, usage_uri);
    auth_first = logged(first_logged, auth_uri);
    usage_then = logged(then_logged, usage_uri);
    CHECK(auth_before >= 0 && usage_before >= 0);
    CHECK_ERR(PINATA_OK, pinata_client_set_base_url(c, url, &err));
    CHECK_ERR(PINATA_OK, pinata_client_set_http_version(c, first, &err));
    CHECK(pinata_test_auth(c, &message, &err) == PINATA_E_NOT_FOUND);
    CHECK(err != NULL && pinata_error_http_status(err) == 404);
    pinata_error_free(err);
    err = NULL;
    CHECK_ERR(PINATA_OK, pinata_client_set_http_version(c, then, &err));
    for (i = 0; i < 2; i++) {
        CHECK(pinata_usage(c, &pins, &size, &replicated, &err) == PINATA_E_NOT_FOUND);
        CHECK(err != NULL && pinata_error_http_status(err) == 404);
        pinata_error_free(err);
        err = NULL;
    }
    pinata_client_free(c);
    await_logged(auth_uri, auth_before + 1);
    await_logged(usage_uri, usage_before + 2);
    auth_first = logged(first_logged, auth_uri) - auth_first;
    usage_then = logged(then_logged, usage_uri) - usage_then;
    if (auth_first != 1 || usage_then != 2) {
        fprintf(stderr, "%s: %ld of 1 call logged %s, %ld of 2 calls after the switch logged %s\n", prefix,
                auth_first, first_logged, usage_then, then_logged);
    }
    CHECK(auth_first == 1);
    CHECK(logged(NULL, auth_uri) - auth_before == 1);
    CHECK(usage_then == 2);
    CHECK(logged(NULL, usage_uri) - usage_before == 2);
}

static void versions(void) {
    version_switch("version-switch-1to2", PINATA_HTTP_VERSION_1_1, "HTTP/1.1", PINATA_HTTP_VERSION_2, "HTTP/2.0");
    version_switch("version-switch-2to1", PINATA_HTTP_VERSION_2, "HTTP/2.0", PINATA_HTTP_VERSION_1_1, "HTTP/1.1");
}

/* The CONNECT tunnels the open proxy has opened so far (from its log), or -1. */
static long tunnels(void) {
    char line[1024];
    long n = 0;
    FILE *f = fopen(test_env("TLS_FRONT_PROXY_LOG"), "r");
    if (f == NULL) {
        return -1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        if (strstr(line, "Request (file descriptor") != NULL && strstr(line, ": CONNECT ") != NULL) {
            n++;
        }
    }
    fclose(f);
    return n;
}

static void proxies(void) {
    const char *ca = test_env("PINATA_TEST_CA");
    const char *user = test_env("PINATA_TEST_PROXY_USER");
    const char *password = test_env("PINATA_TEST_PROXY_PASSWORD");
    const char *const secrets[] = {password, user, NULL};
    char url[512];
    const char *auth = test_env("PINATA_TEST_PROXY_AUTH_URL");
    pinata_client *c;

    long before = tunnels();

    /* Explicit proxy: HTTPS through a CONNECT tunnel (the proxy's log counts it). */
    CHECK(before >= 0);
    c = client_for(test_env("PINATA_TEST_URL"), ca);
    CHECK_ERR(PINATA_OK, pinata_client_set_proxy(c, test_env("PINATA_TEST_PROXY_URL"), &err));
    expect("open proxy", c, PINATA_OK, NULL, NULL);
    pinata_client_free(c);
    CHECK(tunnels() == before + 1);

    /* A proxy demanding credentials: right ones work, wrong ones give 407, and neither
     * the user nor the password ever appears in a message. */
    snprintf(url, sizeof url, "http://%s:%s@%s", user, password, auth + strlen("http://"));
    c = client_for(test_env("PINATA_TEST_URL"), ca);
    CHECK_ERR(PINATA_OK, pinata_client_set_proxy(c, url, &err));
    expect("proxy with credentials", c, PINATA_OK, NULL, secrets);
    pinata_client_free(c);
    {
        static const char *const n[] = {"proxy refused", "check the proxy credentials", NULL};
        c = client_for(test_env("PINATA_TEST_URL"), ca);
        CHECK_ERR(PINATA_OK, pinata_client_set_proxy(c, auth, &err));
        expect("proxy without credentials", c, PINATA_E_NETWORK, n, secrets);
        pinata_client_free(c);
        snprintf(url, sizeof url, "http://%s:wrong-%s@%s", user, password, auth + strlen("http://"));
        c = client_for(test_env("PINATA_TEST_URL"), ca);
        CHECK_ERR(PINATA_OK, pinata_client_set_proxy(c, url, &err));
        expect("proxy with wrong credentials", c, PINATA_E_NETWORK, n, secrets);
        pinata_client_free(c);
    }
    /* A malformed proxy URL is refused without repeating it. */
    {
        pinata_error *err = NULL;
        snprintf(url, sizeof url, "ftp://%s:%s@127.0.0.1:1", user, password);
        c = client_for(test_env("PINATA_TEST_URL"), ca);
        CHECK(pinata_client_set_proxy(c, url, &err) == PINATA_E_INVALID_ARGUMENT);
        CHECK(err != NULL && strstr(pinata_error_message(err), password) == NULL);
        pinata_error_free(err);
        CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_client_set_proxy(NULL, "", &err));
        pinata_client_free(c);
    }
    /* A proxy that refuses the tunnel: 403, not retried. */
    {
        static const char *const n[] = {"proxy refused", "403", NULL};
        c = client_for(test_env("PINATA_TEST_URL"), ca);
        CHECK_ERR(PINATA_OK, pinata_client_set_retry_policy(c, 3, 10000, &err));
        CHECK_ERR(PINATA_OK, pinata_client_set_proxy(c, test_env("PINATA_TEST_PROXY_DENY_URL"), &err));
        expect("refusing proxy", c, PINATA_E_NETWORK, n, NULL);
        pinata_client_free(c);
    }
    /* The environment: honoured by default, ignored with "", and NULL restores it. */
    {
        static const char *const n[] = {"proxy refused", "403", NULL};
        CHECK(setenv("https_proxy", test_env("PINATA_TEST_PROXY_DENY_URL"), 1) == 0);
        c = client_for(test_env("PINATA_TEST_URL"), ca);
        expect("https_proxy from the environment", c, PINATA_E_NETWORK, n, NULL);
        CHECK_ERR(PINATA_OK, pinata_client_set_proxy(c, "", &err));
        expect("no proxy despite the environment", c, PINATA_OK, NULL, NULL);
        before = tunnels();
        CHECK_ERR(PINATA_OK, pinata_client_set_proxy(c, test_env("PINATA_TEST_PROXY_URL"), &err));
        expect("explicit proxy over the environment", c, PINATA_OK, NULL, NULL);
        CHECK(tunnels() == before + 1);
        CHECK_ERR(PINATA_OK, pinata_client_set_proxy(c, NULL, &err));
        expect("environment again", c, PINATA_E_NETWORK, n, NULL);
        /* no_proxy applies to the environment's proxy. */
        CHECK(setenv("no_proxy", "127.0.0.1", 1) == 0);
        expect("no_proxy", c, PINATA_OK, NULL, NULL);
        CHECK(unsetenv("no_proxy") == 0);
        CHECK(unsetenv("https_proxy") == 0);
        pinata_client_free(c);
    }
}

int main(void) {
    certificates();
    proxies();
    versions();
    return check_finish("https_cases");
}
