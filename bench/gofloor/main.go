// What any Go client can reach against bench/server, for issue 17 §2's Go rows: the
// floors the Go binding is measured against, besides raw libcurl from C.
//
//	gofloor curl-netpoll URL JWT N [G]   libcurl's multi socket interface, one multi
//	                                      handle and epoll set per goroutine, waited on
//	                                      in Go's netpoller (no blocking cgo call)
//	gofloor curl-blocking URL JWT N [G]  the same easy handles, curl_easy_perform in a
//	                                      blocking cgo call (what a plain binding does)
//	gofloor net-http URL JWT N [G]       Go's own net/http client
//
// mode auth: N GET /data/testAuthentication; mode json (append "-json" to the name):
// N POST /pinning/pinJSONToIPFS of a ~100-byte document; G goroutines (default 1)
// share the N calls. Prints {"secs":S,"n":N}; exits non-zero on any failure.
package main

/*
#cgo LDFLAGS: -lcurl
#include <curl/curl.h>
#include <sys/epoll.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	CURL *easy;
	CURLM *multi;
	int epfd;
	long timeout_ms;
	int done;
	CURLcode result;
	struct curl_slist *headers;
} conn;

static size_t discard(char *p, size_t s, size_t n, void *u) { (void)p; (void)u; return s * n; }

static int on_socket(CURL *e, curl_socket_t s, int what, void *u, void *sp) {
	conn *c = u;
	struct epoll_event ev;
	(void)e; (void)sp;
	memset(&ev, 0, sizeof ev);
	ev.data.fd = s;
	if (what == CURL_POLL_REMOVE) {
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, s, &ev);
		return 0;
	}
	ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);
	if (epoll_ctl(c->epfd, EPOLL_CTL_MOD, s, &ev) != 0) epoll_ctl(c->epfd, EPOLL_CTL_ADD, s, &ev);
	return 0;
}

static int on_timer(CURLM *m, long t, void *u) { (void)m; ((conn *)u)->timeout_ms = t; return 0; }

static conn *conn_new(const char *url, const char *auth, const char *json) {
	conn *c = calloc(1, sizeof *c);
	c->easy = curl_easy_init();
	c->multi = curl_multi_init();
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	fcntl(c->epfd, F_SETFL, O_NONBLOCK);
	c->headers = curl_slist_append(NULL, auth);
	if (json) {
		c->headers = curl_slist_append(c->headers, "Content-Type: application/json");
		curl_easy_setopt(c->easy, CURLOPT_COPYPOSTFIELDS, json);
	}
	curl_easy_setopt(c->easy, CURLOPT_URL, url);
	curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->headers);
	curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, discard);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
	return c;
}

static long status_of(conn *c, CURLcode rc) {
	long code = 0;
	curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &code);
	return rc ? -(long)rc : code;
}

static long perform_blocking(conn *c) { return status_of(c, curl_easy_perform(c->easy)); }

static void collect(conn *c) {
	CURLMsg *m;
	int queued;
	while ((m = curl_multi_info_read(c->multi, &queued)))
		if (m->msg == CURLMSG_DONE) { c->done = 1; c->result = m->data.result; }
}

// Starts a transfer and moves it as far as it goes; 1 when already done.
static int start(conn *c) {
	int running;
	c->done = 0;
	c->timeout_ms = -1;
	curl_multi_add_handle(c->multi, c->easy);
	curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	collect(c);
	return c->done;
}

// Handles every ready socket (draining the epoll set) and a due timer; 1 when done,
// else c->timeout_ms is libcurl's next timer (-1: none).
static int step(conn *c, int timer_due) {
	int running, n;
	struct epoll_event ev[8];
	if (timer_due) curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	while (!c->done && (n = epoll_wait(c->epfd, ev, 8, 0)) > 0) {
		for (int i = 0; i < n; i++) {
			int f = (ev[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
			        (ev[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
			        (ev[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
			curl_multi_socket_action(c->multi, ev[i].data.fd, f, &running);
		}
		collect(c);
	}
	if (!c->done && c->timeout_ms == 0) {
		curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
		collect(c);
	}
	return c->done;
}

static long finish(conn *c) {
	curl_multi_remove_handle(c->multi, c->easy);
	return status_of(c, c->result);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const doc = `{"pinataContent":{"bench":"go","text":"a small JSON document"},"pinataMetadata":{"name":"json"}}`

// curlConn is one goroutine's libcurl handles and its epoll set in the netpoller.
type curlConn struct {
	c  *C.conn
	f  *os.File
	rc syscall.RawConn
}

func newCurlConn(url, jwt string, json bool) *curlConn {
	cu, ca := C.CString(url), C.CString("Authorization: Bearer "+jwt)
	var cj *C.char
	if json {
		cj = C.CString(doc)
	}
	c := C.conn_new(cu, ca, cj)
	fd, err := syscall.Dup(int(c.epfd))
	if err != nil {
		die(err)
	}
	f := os.NewFile(uintptr(fd), "curl-epoll")
	rc, err := f.SyscallConn()
	if err != nil {
		die(err)
	}
	return &curlConn{c: c, f: f, rc: rc}
}

func (k *curlConn) netpoll() int64 {
	if C.start(k.c) == 0 {
		due := C.int(0)
		for {
			err := k.rc.Read(func(uintptr) bool {
				done := C.step(k.c, due) != 0
				due = 0
				if !done && k.c.timeout_ms > 0 {
					_ = k.f.SetReadDeadline(time.Now().Add(time.Duration(k.c.timeout_ms) * time.Millisecond))
				}
				return done
			})
			if err == nil {
				break
			}
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				die(err)
			}
			due = 1
			_ = k.f.SetReadDeadline(time.Time{})
		}
	}
	return int64(C.finish(k.c))
}

func die(err error) {
	fmt.Fprintln(os.Stderr, "gofloor:", err)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 5 {
		fmt.Fprintln(os.Stderr, "usage: gofloor curl-netpoll|curl-blocking|net-http[-json] URL JWT N [G]")
		os.Exit(2)
	}
	mode, base, jwt := os.Args[1], os.Args[2], os.Args[3]
	n, _ := strconv.Atoi(os.Args[4])
	workers := 1
	if len(os.Args) > 5 {
		workers, _ = strconv.Atoi(os.Args[5])
	}
	json := strings.HasSuffix(mode, "-json")
	mode = strings.TrimSuffix(mode, "-json")
	url := base + "/data/testAuthentication"
	if json {
		url = base + "/pinning/pinJSONToIPFS"
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	call := func(k *curlConn) int64 {
		switch mode {
		case "curl-netpoll":
			return k.netpoll()
		case "curl-blocking":
			return int64(C.perform_blocking(k.c))
		}
		method, body := "GET", io.Reader(nil)
		if json {
			method, body = "POST", strings.NewReader(doc)
		}
		req, _ := http.NewRequest(method, url, body)
		req.Header.Set("Authorization", "Bearer "+jwt)
		if json {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := hc.Do(req)
		if err != nil {
			die(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return int64(resp.StatusCode)
	}
	if mode != "curl-netpoll" && mode != "curl-blocking" && mode != "net-http" {
		die(fmt.Errorf("unknown mode %q", os.Args[1]))
	}
	conns := make([]*curlConn, workers)
	for i := range conns {
		if mode != "net-http" {
			conns[i] = newCurlConn(url, jwt, json)
		}
		// One call per connection before the clock starts, as the other contenders do.
		if code := call(conns[i]); code != 200 {
			die(fmt.Errorf("warm-up answered %d", code))
		}
	}
	t0 := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		count := n / workers
		if w < n%workers {
			count++
		}
		wg.Add(1)
		go func(k *curlConn, count int) {
			defer wg.Done()
			for i := 0; i < count; i++ {
				if code := call(k); code != 200 {
					die(fmt.Errorf("answered %d", code))
				}
			}
		}(conns[w], count)
	}
	wg.Wait()
	fmt.Printf("{\"secs\":%.6f,\"n\":%d}\n", time.Since(t0).Seconds(), n)
}
