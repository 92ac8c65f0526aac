// boxo-gateway imports files and directories with boxo's own UnixFS importer (kubo's
// code: balanced layout, 256 KiB chunks, 174 links, HAMT above 256 KiB) into an
// in-memory blockstore and serves it with boxo's gateway handler (the gateway kubo
// runs): trustless CAR and raw-block responses, so that libpinata's downloads are
// checked against content and a server that libpinata did not write.
//
//	boxo-gateway [-listen 127.0.0.1:0] NAME=PATH:v0|v1 ...
//
// Prints one JSON line, {"url":…,"roots":{NAME:CID,…}}, then serves until killed.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ipfs/boxo/blockservice"
	"github.com/ipfs/boxo/blockstore"
	chunker "github.com/ipfs/boxo/chunker"
	"github.com/ipfs/boxo/exchange/offline"
	"github.com/ipfs/boxo/gateway"
	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs/importer/balanced"
	"github.com/ipfs/boxo/ipld/unixfs/importer/helpers"
	uio "github.com/ipfs/boxo/ipld/unixfs/io"
	cid "github.com/ipfs/go-cid"
	ds "github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	ipld "github.com/ipfs/go-ipld-format"
	"github.com/prometheus/client_golang/prometheus"
)

type importer struct {
	dag ipld.DAGService
	v1  bool
}

func (im importer) prefix() cid.Builder {
	if im.v1 {
		return merkledag.V1CidPrefix()
	}
	return merkledag.V0CidPrefix()
}

// file imports one file as `ipfs add` (or `ipfs add --cid-version=1`) does.
func (im importer) file(path string) (ipld.Node, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	params := helpers.DagBuilderParams{
		Maxlinks:   helpers.DefaultLinksPerBlock,
		RawLeaves:  im.v1,
		CidBuilder: im.prefix(),
		Dagserv:    im.dag,
	}
	db, err := params.New(chunker.NewSizeSplitter(bytes.NewReader(data), chunker.DefaultBlockSize))
	if err != nil {
		return nil, err
	}
	return balanced.Layout(db)
}

// dir imports a directory tree, switching to a HAMT as kubo does.
func (im importer) dir(path string) (ipld.Node, error) {
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	d, err := uio.NewDirectory(im.dag)
	if err != nil {
		return nil, err
	}
	d.SetCidBuilder(im.prefix())
	for _, e := range entries {
		child, err := im.any(filepath.Join(path, e.Name()))
		if err != nil {
			return nil, err
		}
		if err := d.AddChild(context.Background(), e.Name(), child); err != nil {
			return nil, err
		}
	}
	n, err := d.GetNode()
	if err != nil {
		return nil, err
	}
	return n, im.dag.Add(context.Background(), n)
}

func (im importer) any(path string) (ipld.Node, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return im.dir(path)
	}
	return im.file(path)
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to serve on")
	flag.Parse()

	bs := blockstore.NewBlockstore(dssync.MutexWrap(ds.NewMapDatastore()))
	bsvc := blockservice.New(bs, offline.Exchange(bs))
	dag := merkledag.NewDAGService(bsvc)

	roots := map[string]string{}
	for _, arg := range flag.Args() {
		name, spec, ok := strings.Cut(arg, "=")
		path, mode, ok2 := strings.Cut(spec, ":")
		if !ok || !ok2 || (mode != "v0" && mode != "v1") {
			fmt.Fprintf(os.Stderr, "bad argument %q (want NAME=PATH:v0|v1)\n", arg)
			os.Exit(2)
		}
		n, err := importer{dag: dag, v1: mode == "v1"}.any(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "import %s: %v\n", path, err)
			os.Exit(1)
		}
		roots[name] = n.Cid().String()
	}

	backend, err := gateway.NewBlocksBackend(bsvc)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	conf := gateway.Config{
		DeserializedResponses: true,
		MetricsRegistry:       prometheus.NewRegistry(),
	}
	mux := http.NewServeMux()
	mux.Handle("/ipfs/", gateway.NewHandler(conf, backend))

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	line, _ := json.Marshal(map[string]any{"url": "http://" + ln.Addr().String(), "roots": roots})
	fmt.Println(string(line))
	os.Stdout.Sync()
	if err := http.Serve(ln, mux); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
