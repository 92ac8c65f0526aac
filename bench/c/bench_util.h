/*
 * Shared by the C contenders of bench/run.sh (curl_bench.c, pinata_bench.c): the clock,
 * and the JSON-pin run that splits N pins over worker threads and reports them.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One worker's share of the pins: numbers first .. first + count - 1. The worker sets
 * `failed` when a pin fails; `ctx` is the program's own shared context. */
struct json_job {
    const void *ctx;
    int first, count, thread, failed;
};

/* Makes `n` pins with `worker` on `threads` threads (on this thread when there is one),
 * then prints {"secs":S,"n":N,"threads":T}. Returns the exit status: 0, or 1 when a pin
 * failed. */
static int json_bench(void *(*worker)(void *), const void *ctx, int n, int threads) {
    if (threads < 1) threads = 1;
    struct json_job *jobs = calloc((size_t)threads, sizeof *jobs);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    if (!jobs || !tids) {
        fprintf(stderr, "json_bench: out of memory\n");
        free(jobs);
        free(tids);
        return 1;
    }
    int per = n / threads, extra = n % threads, first = 0;
    for (int t = 0; t < threads; t++) {
        jobs[t] = (struct json_job){ctx, first, per + (t < extra), t, 0};
        first += jobs[t].count;
    }
    double t0 = now();
    if (threads == 1) {
        worker(&jobs[0]);
    } else {
        for (int t = 0; t < threads; t++) pthread_create(&tids[t], NULL, worker, &jobs[t]);
        for (int t = 0; t < threads; t++) pthread_join(tids[t], NULL);
    }
    double t1 = now();
    int failed = 0;
    for (int t = 0; t < threads; t++) failed |= jobs[t].failed;
    free(jobs);
    free(tids);
    if (failed) return 1;
    printf("{\"secs\":%.6f,\"n\":%d,\"threads\":%d}\n", t1 - t0, n, threads);
    return 0;
}

#endif
