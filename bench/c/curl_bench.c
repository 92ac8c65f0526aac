/*
 * Raw libcurl: the floor of any libcurl-based client, for bench/run.sh.
 *
 *   curl_bench auth   URL JWT N [UA]        N sequential GETs of /data/testAuthentication on
 *                                           ONE reused easy handle; with UA, the header list is
 *                                           libpinata's: credentials and "User-Agent: UA"
 *   curl_bench upload URL JWT FILE [BUF]    one pinFileToIPFS: curl_mime with the file streamed
 *                                           from disk (curl_mime_filedata), upload buffer BUF
 *                                           bytes (default 2 MiB, like libpinata), no Expect
 *   curl_bench json   URL JWT N THREADS     N pinJSONToIPFS POSTs over THREADS threads, one easy
 *                                           handle per thread (an easy handle is single-thread)
 *   curl_bench multi  URL JWT DIR K         one pinFileToIPFS per regular file of DIR (sorted), K
 *                                           in flight on one curl multi handle (one thread), each
 *                                           file streamed with curl_mime_filedata; easy handles
 *                                           reused, so are the connections
 *
 * Over https:// (bench/tls.sh), BENCH_CA names the CA bundle and BENCH_HTTP_VERSION
 * ("1.1" or "2") the HTTP version; unset, libcurl's defaults.
 *
 * Prints one JSON line {"secs":S,"n":N[,...]}; exits non-zero on any failure (transport error
 * or HTTP status other than 200). Responses are collected into memory, as a client would.
 */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

/* A new easy handle with BENCH_CA and BENCH_HTTP_VERSION applied. */
static CURL *bench_easy(void) {
    CURL *e = curl_easy_init();
    const char *ca = getenv("BENCH_CA"), *v = getenv("BENCH_HTTP_VERSION");
    if (ca != NULL && ca[0] != '\0') curl_easy_setopt(e, CURLOPT_CAINFO, ca);
    if (v != NULL && v[0] != '\0')
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
                         strcmp(v, "1.1") == 0 ? (long)CURL_HTTP_VERSION_1_1 : (long)CURL_HTTP_VERSION_2TLS);
    return e;
}

struct buf {
    char *p;
    size_t len, cap;
};

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud) {
    struct buf *b = ud;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) return 0;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = 0;
    return n;
}

static struct curl_slist *auth_headers(const char *jwt, int json) {
    char h[4096];
    snprintf(h, sizeof h, "Authorization: Bearer %s", jwt);
    struct curl_slist *l = curl_slist_append(NULL, h);
    l = curl_slist_append(l, "Expect:");
    if (json) l = curl_slist_append(l, "Content-Type: application/json");
    return l;
}

static int perform(CURL *e, struct buf *b, const char *what) {
    b->len = 0;
    CURLcode rc = curl_easy_perform(e);
    long code = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
    if (rc != CURLE_OK || code != 200) {
        fprintf(stderr, "curl_bench: %s: %s, HTTP %ld: %.*s\n", what, curl_easy_strerror(rc), code,
                (int)(b->len > 300 ? 300 : b->len), b->p ? b->p : "");
        return -1;
    }
    return 0;
}

/* What every JSON worker shares (struct json_job's ctx). */
struct json_ctx {
    const char *url, *jwt;
};

static void *json_worker(void *arg) {
    struct json_job *j = arg;
    const struct json_ctx *ctx = j->ctx;
    char url[2048], body[512];
    snprintf(url, sizeof url, "%s/pinning/pinJSONToIPFS", ctx->url);
    CURL *e = bench_easy();
    struct buf b = {0};
    struct curl_slist *h = auth_headers(ctx->jwt, 1);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
    for (int i = j->first; i < j->first + j->count; i++) {
        snprintf(body, sizeof body,
                 "{\"pinataContent\":{\"bench\":\"libcurl\",\"thread\":%d,\"i\":%d,\"text\":\"a small "
                 "JSON document\"},\"pinataMetadata\":{\"name\":\"json\"}}",
                 j->thread, i);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
        if (perform(e, &b, "pinJSONToIPFS") != 0) {
            j->failed = 1;
            break;
        }
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(e);
    free(b.p);
    return NULL;
}


static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of DIR (not hidden), sorted; *n_out gets their count. */
static char **list_dir(const char *dir, int *n_out) {
    DIR *d = opendir(dir);
    struct dirent *de;
    char **v = NULL;
    int n = 0, cap = 0;
    if (!d) return NULL;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        if (len > 4096) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            v = realloc(v, (size_t)cap * sizeof *v);
        }
        v[n] = malloc(len);
        snprintf(v[n], len, "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(d);
    qsort(v, (size_t)n, sizeof *v, cmp_str);
    *n_out = n;
    return v;
}

/* One transfer slot of the multi loop. */
struct slot {
    CURL *e;
    curl_mime *mime;
    struct buf b;
};

static void slot_start(struct slot *s, CURLM *m, const char *path) {
    if (s->mime) curl_mime_free(s->mime);
    s->mime = curl_mime_init(s->e);
    curl_mimepart *part = curl_mime_addpart(s->mime);
    curl_mime_name(part, "file");
    curl_mime_filedata(part, path);
    curl_easy_setopt(s->e, CURLOPT_MIMEPOST, s->mime);
    s->b.len = 0;
    curl_multi_add_handle(m, s->e);
}

static int multi_bench(const char *base, const char *jwt, const char *dir, int k) {
    char url[2048];
    int n = 0, next = 0, done = 0, failed = 0, running = 0;
    char **files = list_dir(dir, &n);
    if (!files || n == 0 || k < 1) {
        fprintf(stderr, "curl_bench: no files in %s\n", dir);
        return 1;
    }
    snprintf(url, sizeof url, "%s/pinning/pinFileToIPFS", base);
    struct curl_slist *h = auth_headers(jwt, 0);
    CURLM *m = curl_multi_init();
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)k);
    struct slot *slots = calloc((size_t)k, sizeof *slots);
    for (int i = 0; i < k; i++) {
        slots[i].e = bench_easy();
        curl_easy_setopt(slots[i].e, CURLOPT_URL, url);
        curl_easy_setopt(slots[i].e, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(slots[i].e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(slots[i].e, CURLOPT_WRITEFUNCTION, on_write);
        curl_easy_setopt(slots[i].e, CURLOPT_WRITEDATA, &slots[i].b);
        curl_easy_setopt(slots[i].e, CURLOPT_PRIVATE, &slots[i]);
    }
    double t0 = now();
    for (int i = 0; i < k && next < n; i++) slot_start(&slots[i], m, files[next++]);
    while (done < n) {
        curl_multi_perform(m, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE) continue;
            struct slot *s = NULL;
            long code = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
            if (msg->data.result != CURLE_OK || code != 200) {
                fprintf(stderr, "curl_bench: multi: %s, HTTP %ld\n", curl_easy_strerror(msg->data.result), code);
                failed++;
            }
            curl_multi_remove_handle(m, s->e);
            done++;
            if (next < n) slot_start(s, m, files[next++]);
        }
        if (done < n) curl_multi_poll(m, NULL, 0, 1000, NULL);
    }
    double t1 = now();
    printf("{\"secs\":%.6f,\"n\":%d,\"in_flight\":%d}\n", t1 - t0, n, k);
    for (int i = 0; i < k; i++) {
        curl_easy_cleanup(slots[i].e);
        if (slots[i].mime) curl_mime_free(slots[i].mime);
        free(slots[i].b.p);
    }
    free(slots);
    curl_multi_cleanup(m);
    curl_slist_free_all(h);
    for (int i = 0; i < n; i++) free(files[i]);
    free(files);
    return failed ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: see the comment at the top of curl_bench.c\n");
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *mode = argv[1], *base = argv[2], *jwt = argv[3];
    char url[2048];
    struct buf b = {0};

    if (strcmp(mode, "auth") == 0) {
        int n = atoi(argv[4]);
        snprintf(url, sizeof url, "%s/data/testAuthentication", base);
        CURL *e = bench_easy();
        struct curl_slist *h;
        if (argc > 5) {
            /* Exactly libpinata's header list for a GET: credentials, then User-Agent. */
            char line[4096];
            snprintf(line, sizeof line, "Authorization: Bearer %s", jwt);
            h = curl_slist_append(NULL, line);
            snprintf(line, sizeof line, "User-Agent: %s", argv[5]);
            h = curl_slist_append(h, line);
        } else {
            h = auth_headers(jwt, 0);
        }
        curl_easy_setopt(e, CURLOPT_URL, url);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
        double t0 = now();
        for (int i = 0; i < n; i++)
            if (perform(e, &b, "testAuthentication") != 0) return 1;
        double t1 = now();
        printf("{\"secs\":%.6f,\"n\":%d}\n", t1 - t0, n);
        curl_slist_free_all(h);
        curl_easy_cleanup(e);
        return 0;
    }
    if (strcmp(mode, "upload") == 0) {
        long bufsize = argc > 5 ? atol(argv[5]) : 2L * 1024 * 1024;
        snprintf(url, sizeof url, "%s/pinning/pinFileToIPFS", base);
        CURL *e = bench_easy();
        struct curl_slist *h = auth_headers(jwt, 0);
        curl_mime *mime = curl_mime_init(e);
        curl_mimepart *part = curl_mime_addpart(mime);
        curl_mime_name(part, "file");
        if (curl_mime_filedata(part, argv[4]) != CURLE_OK) {
            fprintf(stderr, "curl_bench: cannot open %s\n", argv[4]);
            return 1;
        }
        curl_easy_setopt(e, CURLOPT_URL, url);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_MIMEPOST, mime);
        curl_easy_setopt(e, CURLOPT_UPLOAD_BUFFERSIZE, bufsize);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
        double t0 = now();
        if (perform(e, &b, "pinFileToIPFS") != 0) return 1;
        double t1 = now();
        /* The answer's IpfsHash, for the record. */
        char cid[128] = "";
        const char *k = b.p ? strstr(b.p, "\"IpfsHash\":\"") : NULL;
        if (k) sscanf(k + 12, "%127[^\"]", cid);
        printf("{\"secs\":%.6f,\"n\":1,\"cid\":\"%s\"}\n", t1 - t0, cid);
        curl_mime_free(mime);
        curl_slist_free_all(h);
        curl_easy_cleanup(e);
        return 0;
    }
    if (strcmp(mode, "multi") == 0 && argc == 6) {
        return multi_bench(base, jwt, argv[4], atoi(argv[5]));
    }
    if (strcmp(mode, "json") == 0 && argc == 6) {
        struct json_ctx ctx = {base, jwt};
        return json_bench(json_worker, &ctx, atoi(argv[4]), atoi(argv[5]));
    }
    fprintf(stderr, "curl_bench: bad arguments\n");
    return 2;
}
