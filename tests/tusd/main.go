// A TUS server for libpinata's interoperability test: tusd v2's own handler (the
// reference TUS implementation, github.com/tus/tusd/v2) with its file store, embedded
// as tusd's documentation shows (the cmd/tusd binary pulls cloud SDKs). Its pre-finish
// callback adds `Upload-Cid`, computed by libpinata's cid_helper over the stored file,
// as Pinata's upload host answers the last PATCH.
//
// Usage: tusd-server -dir STORE -cid-helper PATH. Prints {"url": "http://127.0.0.1:PORT"}
// once listening on a free loopback port; uploads go to {url}/v3/files.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"

	"github.com/tus/tusd/v2/pkg/filestore"
	tusd "github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
)

func main() {
	dir := flag.String("dir", "", "directory of the file store")
	helper := flag.String("cid-helper", "", "libpinata's cid_helper (PATH VERSION -> CID)")
	flag.Parse()
	if *dir == "" || *helper == "" {
		log.Fatal("usage: tusd-server -dir STORE -cid-helper PATH")
	}
	store := filestore.New(*dir)
	locker := memorylocker.New()
	composer := tusd.NewStoreComposer()
	store.UseIn(composer)
	locker.UseIn(composer)
	handler, err := tusd.NewHandler(tusd.Config{
		BasePath:      "/v3/files/",
		StoreComposer: composer,
		PreFinishResponseCallback: func(hook tusd.HookEvent) (tusd.HTTPResponse, error) {
			out, err := exec.Command(*helper, hook.Upload.Storage["Path"], "1").Output()
			if err != nil {
				return tusd.HTTPResponse{}, fmt.Errorf("cid_helper: %w", err)
			}
			cid := strings.TrimSpace(string(out))
			return tusd.HTTPResponse{Header: tusd.HTTPHeader{"Upload-Cid": cid}}, nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	inner := http.StripPrefix("/v3/files/", handler)
	mux := http.NewServeMux()
	mux.HandleFunc("/v3/files", func(w http.ResponseWriter, r *http.Request) {
		// The creation URL without its trailing slash, as clients write it.
		r.URL.Path = "/v3/files/"
		inner.ServeHTTP(w, r)
	})
	mux.Handle("/v3/files/", inner)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	line, _ := json.Marshal(map[string]string{"url": "http://" + ln.Addr().String()})
	fmt.Println(string(line))
	os.Stdout.Sync()
	log.Fatal(http.Serve(ln, mux))
}
