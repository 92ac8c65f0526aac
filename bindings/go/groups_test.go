package pinata_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

func collect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func TestPinGroups(t *testing.T) {
	reset(t)
	ctx := ctxT(t)
	c := newClient(t)
	r, err := c.PinBytes(ctx, []byte("grouped"), "g.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := c.CreatePinGroup(ctx, "album")
	if err != nil {
		t.Fatal(err)
	}
	if g.ID == "" || g.Name != "album" || g.CreatedAt.IsZero() || g.UserID == "" {
		t.Errorf("created: %+v", g)
	}
	if got, err := c.GetPinGroup(ctx, g.ID); err != nil || got.ID != g.ID {
		t.Errorf("get: %+v %v", got, err)
	}
	if got, err := c.RenamePinGroup(ctx, g.ID, "album-2"); err != nil || got.Name != "album-2" {
		t.Errorf("rename: %+v %v", got, err)
	}
	if err := c.AddPinGroupCIDs(ctx, g.ID, r.CID); err != nil {
		t.Fatal(err)
	}
	if rows := collect(t, c.PinList(ctx, &pinata.PinListQuery{GroupID: g.ID})); len(rows) != 1 || rows[0].CID != r.CID {
		t.Errorf("pins in the group: %+v", rows)
	}
	if err := c.RemovePinGroupCIDs(ctx, g.ID, r.CID); err != nil {
		t.Fatal(err)
	}
	if rows := collect(t, c.PinList(ctx, &pinata.PinListQuery{GroupID: g.ID})); len(rows) != 0 {
		t.Errorf("pins after removal: %+v", rows)
	}
	for i := range 4 {
		if _, err := c.CreatePinGroup(ctx, fmt.Sprintf("batch-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	all := collect(t, c.PinGroups(ctx, &pinata.PinGroupQuery{PageSize: 2}))
	if len(all) != 5 || all[0].Name != "batch-3" || all[4].ID != g.ID {
		t.Errorf("list: %+v", all)
	}
	if got := collect(t, c.PinGroups(ctx, &pinata.PinGroupQuery{NameContains: "ALBUM"})); len(got) != 1 {
		t.Errorf("name filter: %+v", got)
	}
	if got := collect(t, c.PinGroups(ctx, &pinata.PinGroupQuery{Offset: 3})); len(got) != 2 {
		t.Errorf("offset: %+v", got)
	}
	if err := c.DeletePinGroup(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPinGroup(ctx, g.ID); !errors.Is(err, pinata.ErrNotFound) {
		t.Errorf("deleted group: %v", err)
	}
	// Bad input never reaches the server.
	before := requestsTotal(t)
	if err := c.AddPinGroupCIDs(ctx, g.ID); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("no CIDs: %v", err)
	}
	if err := c.AddPinGroupCIDs(ctx, g.ID, "not-a-cid"); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("bad CID: %v", err)
	}
	if _, err := c.CreatePinGroup(ctx, "a\x00b"); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("NUL in a name: %v", err)
	}
	if _, err := c.CreatePinGroup(ctx, "a\r\nb"); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("CR/LF in a name: %v", err)
	}
	for _, err := range c.PinGroups(ctx, &pinata.PinGroupQuery{PageSize: 1001}) {
		if !errors.Is(err, pinata.ErrInvalidArgument) {
			t.Errorf("page size 1001: %v", err)
		}
	}
	if after := requestsTotal(t); after != before {
		t.Errorf("bad input made %v requests", after-before)
	}
}

func TestV3Groups(t *testing.T) {
	reset(t)
	ctx := ctxT(t)
	c := newClient(t)
	g, err := c.CreateGroup(ctx, pinata.NetworkPrivate, "vault", false)
	if err != nil {
		t.Fatal(err)
	}
	if g.ID == "" || g.Name != "vault" || g.IsPublic || g.CreatedAt.IsZero() {
		t.Errorf("created: %+v", g)
	}
	if _, err := c.GetGroup(ctx, pinata.NetworkPublic, g.ID); !errors.Is(err, pinata.ErrNotFound) {
		t.Errorf("a private group on the public network: %v", err)
	}
	name, pub := "vault-2", true
	got, err := c.UpdateGroup(ctx, pinata.NetworkPrivate, g.ID, pinata.GroupUpdate{Name: &name, IsPublic: &pub})
	if err != nil || got.Name != "vault-2" || !got.IsPublic {
		t.Errorf("update: %+v %v", got, err)
	}
	if _, err := c.UpdateGroup(ctx, pinata.NetworkPrivate, g.ID, pinata.GroupUpdate{}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("empty update: %v", err)
	}
	for i := range 6 {
		if _, err := c.CreateGroup(ctx, pinata.NetworkPrivate, fmt.Sprintf("set-%d", i), i%2 == 0); err != nil {
			t.Fatal(err)
		}
	}
	before := requestsTotal(t)
	all := collect(t, c.Groups(ctx, pinata.NetworkPrivate, &pinata.GroupQuery{PageSize: 3}))
	if len(all) != 7 || all[0].Name != "set-5" || all[6].ID != g.ID {
		t.Errorf("list: %+v", all)
	}
	if n := requestsTotal(t) - before; n != 3 {
		t.Errorf("7 groups in pages of 3 took %v requests, want 3", n)
	}
	yes := true
	if got := collect(t, c.Groups(ctx, pinata.NetworkPrivate, &pinata.GroupQuery{IsPublic: &yes})); len(got) != 4 {
		t.Errorf("public ones: %+v", got)
	}
	if got := collect(t, c.Groups(ctx, pinata.NetworkPrivate, &pinata.GroupQuery{Name: "vault"})); len(got) != 1 {
		t.Errorf("name filter: %+v", got)
	}
	if got := collect(t, c.Groups(ctx, pinata.NetworkPublic, nil)); len(got) != 0 {
		t.Errorf("public network: %+v", got)
	}
	// Breaking out of the range frees everything; a cancelled context stops the walk.
	for range c.Groups(ctx, pinata.NetworkPrivate, nil) {
		break
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	for _, err := range c.Groups(cctx, pinata.NetworkPrivate, nil) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled: %v", err)
		}
	}
	// Members: a legacy pin is a public v3 file whose id is the pin row's id.
	r, err := c.PinBytes(ctx, []byte("member"), "m.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	var fileID string
	for row, err := range c.PinList(ctx, &pinata.PinListQuery{CID: r.CID}) {
		if err != nil {
			t.Fatal(err)
		}
		fileID = row.ID
	}
	pg, err := c.CreateGroup(ctx, pinata.NetworkPublic, "members", true)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddFileToGroup(ctx, pinata.NetworkPublic, pg.ID, fileID); err != nil {
		t.Fatal(err)
	}
	if rows := collect(t, c.PinList(ctx, &pinata.PinListQuery{GroupID: pg.ID})); len(rows) != 1 || rows[0].ID != fileID {
		t.Errorf("after AddFileToGroup: %+v", rows)
	}
	if err := c.RemoveFileFromGroup(ctx, pinata.NetworkPublic, pg.ID, fileID); err != nil {
		t.Fatal(err)
	}
	if rows := collect(t, c.PinList(ctx, &pinata.PinListQuery{GroupID: pg.ID})); len(rows) != 0 {
		t.Errorf("after RemoveFileFromGroup: %+v", rows)
	}
	if err := c.AddFileToGroup(ctx, pinata.NetworkPublic, pg.ID, "no-such-file"); !errors.Is(err, pinata.ErrNotFound) {
		t.Errorf("unknown file: %v", err)
	}
	if err := c.AddFileToGroup(ctx, pinata.NetworkPrivate, pg.ID, fileID); !errors.Is(err, pinata.ErrNotFound) {
		t.Errorf("a public group on the private network: %v", err)
	}
	if err := c.DeleteGroup(ctx, pinata.NetworkPrivate, g.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteGroup(ctx, pinata.NetworkPrivate, g.ID); !errors.Is(err, pinata.ErrNotFound) {
		t.Errorf("deleted twice: %v", err)
	}
	if _, err := c.CreateGroup(ctx, pinata.Network(5), "x", false); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("network 5: %v", err)
	}
	if err := c.AddFileToGroup(ctx, pinata.NetworkPublic, "g", ""); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("empty file id: %v", err)
	}
	if n, err := pinata.ParseNetwork("private"); err != nil || n != pinata.NetworkPrivate || n.String() != "private" {
		t.Errorf("ParseNetwork: %v %v", n, err)
	}
	if _, err := pinata.ParseNetwork("both"); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("ParseNetwork(both): %v", err)
	}
}
