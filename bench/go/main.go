// The Go binding (bindings/go, cgo over libpinata.a) as a bench/run.sh contender.
//
//	gobench auth   URL JWT N
//	gobench upload URL JWT FILE off|v0|v1
//	gobench json   URL JWT N GOROUTINES   (one shared Client; verification off)
//
// Prints one JSON line {"secs":S,"n":N,...}; exits non-zero on any failure. Built by
// run.sh with -tags pinata_repo_release (links target/release/libpinata.a statically).
// BENCH_CPUPROFILE=FILE writes a pprof CPU profile of the run, BENCH_BLOCKPROFILE=FILE
// a profile of where goroutines waited (blocking and mutex contention).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

func die(what string, err error) {
	fmt.Fprintf(os.Stderr, "gobench: %s: %v\n", what, err)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 5 {
		fmt.Fprintln(os.Stderr, "usage: gobench auth|upload|json URL JWT ...")
		os.Exit(2)
	}
	mode, url, jwt := os.Args[1], os.Args[2], os.Args[3]
	c, err := pinata.NewClientJWT(jwt, pinata.WithBaseURL(url))
	if err != nil {
		die("NewClientJWT", err)
	}
	defer c.Close()
	if f := os.Getenv("BENCH_CPUPROFILE"); f != "" {
		out, err := os.Create(f)
		if err != nil {
			die("BENCH_CPUPROFILE", err)
		}
		if err := pprof.StartCPUProfile(out); err != nil {
			die("StartCPUProfile", err)
		}
		defer pprof.StopCPUProfile()
	}
	if f := os.Getenv("BENCH_BLOCKPROFILE"); f != "" {
		runtime.SetBlockProfileRate(1)
		runtime.SetMutexProfileFraction(1)
		defer func() {
			out, err := os.Create(f)
			if err != nil {
				die("BENCH_BLOCKPROFILE", err)
			}
			_ = pprof.Lookup("block").WriteTo(out, 0)
			_ = out.Close()
			if m, err := os.Create(f + ".mutex"); err == nil {
				_ = pprof.Lookup("mutex").WriteTo(m, 0)
				_ = m.Close()
			}
		}()
	}
	ctx := context.Background()
	switch mode {
	case "auth":
		n, _ := strconv.Atoi(os.Args[4])
		t0 := time.Now()
		for i := 0; i < n; i++ {
			if _, err := c.TestAuth(ctx); err != nil {
				die("TestAuth", err)
			}
		}
		fmt.Printf("{\"secs\":%.6f,\"n\":%d}\n", time.Since(t0).Seconds(), n)
	case "upload":
		opts := &pinata.PinOptions{}
		switch os.Args[5] {
		case "off":
			opts.VerifyCID = pinata.Bool(false)
		case "v0":
			opts.CIDVersion = pinata.Int(0)
		case "v1":
			opts.CIDVersion = pinata.Int(1)
		}
		t0 := time.Now()
		res, err := c.PinFile(ctx, os.Args[4], opts)
		if err != nil {
			die("PinFile", err)
		}
		fmt.Printf("{\"secs\":%.6f,\"n\":1,\"cid\":%q,\"cid_check\":%q}\n", time.Since(t0).Seconds(), res.CID, res.CIDCheck.String())
	case "json":
		n, _ := strconv.Atoi(os.Args[4])
		workers, _ := strconv.Atoi(os.Args[5])
		if workers < 1 {
			workers = 1
		}
		opts := &pinata.PinOptions{VerifyCID: pinata.Bool(false)}
		var wg sync.WaitGroup
		var mu sync.Mutex
		var firstErr error
		t0 := time.Now()
		for w := 0; w < workers; w++ {
			count := n / workers
			if w < n%workers {
				count++
			}
			wg.Add(1)
			go func(w, count int) {
				defer wg.Done()
				// Each document formatted as curl_bench formats its own (json.RawMessage
				// goes as written): the row measures the binding, not encoding/json's
				// reflection over a map (bench/NOTES.md, "Performance round five").
				var buf []byte
				for i := 0; i < count; i++ {
					buf = append(buf[:0], `{"bench":"go","thread":`...)
					buf = strconv.AppendInt(buf, int64(w), 10)
					buf = append(buf, `,"i":`...)
					buf = strconv.AppendInt(buf, int64(i), 10)
					buf = append(buf, `,"text":"a small JSON document"}`...)
					if _, err := c.PinJSON(ctx, json.RawMessage(buf), opts); err != nil {
						mu.Lock()
						if firstErr == nil {
							firstErr = err
						}
						mu.Unlock()
						return
					}
				}
			}(w, count)
		}
		wg.Wait()
		if firstErr != nil {
			die("PinJSON", firstErr)
		}
		fmt.Printf("{\"secs\":%.6f,\"n\":%d,\"threads\":%d}\n", time.Since(t0).Seconds(), n, workers)
	default:
		fmt.Fprintln(os.Stderr, "gobench: unknown mode", mode)
		os.Exit(2)
	}
}
