package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// groupFlags are the flags every `groups` subcommand takes: which API (v3 groups of
// a network, or --legacy CID groups) and the output form.
type groupFlags struct {
	network string
	legacy  bool
	asJSON  bool
}

func (g *groupFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&g.network, "network", "public", "v3 network: public or private")
	fs.BoolVar(&g.legacy, "legacy", false, "legacy CID-based groups (/groups) instead of v3 groups")
	fs.BoolVar(&g.asJSON, "json", false, "print JSON")
}

func (g *groupFlags) net() (pinata.Network, error) {
	n, err := pinata.ParseNetwork(g.network)
	if err != nil {
		return 0, usagef("--network must be public or private, not %q", g.network)
	}
	return n, nil
}

func groupsUsage(a *app) {
	w := a.stderr
	fmt.Fprintln(w, "usage: pinata groups create NAME [--public] [--network public|private | --legacy] [--json]")
	fmt.Fprintln(w, "       pinata groups list [--name TEXT] [--public-only | --non-public-only] [--network N | --legacy] [--json]")
	fmt.Fprintln(w, "       pinata groups get ID [--network N | --legacy] [--json]")
	fmt.Fprintln(w, "       pinata groups update ID [--name NAME] [--public true|false] [--network N | --legacy] [--json]")
	fmt.Fprintln(w, "       pinata groups rm ID [--network N | --legacy]")
	fmt.Fprintln(w, "       pinata groups add ID FILE_ID... [--network N]     (--legacy: CIDs)")
	fmt.Fprintln(w, "       pinata groups remove ID FILE_ID... [--network N]  (--legacy: CIDs)")
}

func cmdGroups(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		groupsUsage(a)
		return usagef("groups needs a subcommand: create, list, get, update, rm, add or remove")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "create":
		return cmdGroupsCreate(ctx, a, rest)
	case "list", "ls":
		return cmdGroupsList(ctx, a, rest)
	case "get":
		return cmdGroupsGet(ctx, a, rest)
	case "update":
		return cmdGroupsUpdate(ctx, a, rest)
	case "rm", "delete":
		return cmdGroupsDelete(ctx, a, rest)
	case "add", "remove":
		return cmdGroupsMembers(ctx, a, rest, sub == "add")
	case "-h", "-help", "--help", "help":
		groupsUsage(a)
		return flag.ErrHelp
	}
	groupsUsage(a)
	return usagef("unknown groups subcommand %q", sub)
}

func (a *app) printGroup(g pinata.Group, asJSON bool) error {
	if asJSON {
		return a.printJSON(map[string]any{"id": g.ID, "name": g.Name, "is_public": g.IsPublic, "created_at": optTime(g.CreatedAt)})
	}
	fmt.Fprintf(a.stdout, "%s\t%s\tpublic=%t\t%s\n", g.ID, g.Name, g.IsPublic, date(g.CreatedAt))
	return nil
}

func (a *app) printPinGroup(g pinata.PinGroup, asJSON bool) error {
	if asJSON {
		return a.printJSON(map[string]any{"id": g.ID, "name": g.Name, "created_at": optTime(g.CreatedAt), "updated_at": optTime(g.UpdatedAt)})
	}
	fmt.Fprintf(a.stdout, "%s\t%s\t%s\n", g.ID, g.Name, date(g.CreatedAt))
	return nil
}

func cmdGroupsCreate(ctx context.Context, a *app, args []string) error {
	fs := a.flags("groups create", "NAME")
	var gf groupFlags
	gf.register(fs)
	public := fs.Bool("public", false, "v3: the group's files are public on the gateway")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	net, err := gf.net()
	if err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	if gf.legacy {
		g, err := c.CreatePinGroup(ctx, pos[0])
		if err != nil {
			return err
		}
		return a.printPinGroup(g, gf.asJSON)
	}
	g, err := c.CreateGroup(ctx, net, pos[0], *public)
	if err != nil {
		return err
	}
	return a.printGroup(g, gf.asJSON)
}

func cmdGroupsList(ctx context.Context, a *app, args []string) error {
	fs := a.flags("groups list", "")
	var gf groupFlags
	gf.register(fs)
	name := fs.String("name", "", "only groups whose name contains this")
	publicOnly := fs.Bool("public-only", false, "v3: only public groups")
	nonPublicOnly := fs.Bool("non-public-only", false, "v3: only groups that are not public")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	net, err := gf.net()
	if err != nil {
		return err
	}
	if *publicOnly && *nonPublicOnly {
		return usagef("--public-only and --non-public-only exclude each other")
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	var rows []map[string]any
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	if gf.legacy {
		if !gf.asJSON {
			fmt.Fprintln(tw, "ID\tNAME\tCREATED")
		}
		for g, err := range c.PinGroups(ctx, &pinata.PinGroupQuery{NameContains: *name, PageSize: 100}) {
			if err != nil {
				return err
			}
			rows = append(rows, map[string]any{"id": g.ID, "name": g.Name, "created_at": optTime(g.CreatedAt)})
			fmt.Fprintf(tw, "%s\t%s\t%s\n", g.ID, g.Name, date(g.CreatedAt))
		}
	} else {
		q := &pinata.GroupQuery{Name: *name, PageSize: 100}
		if *publicOnly {
			q.IsPublic = pinata.Bool(true)
		}
		if *nonPublicOnly {
			q.IsPublic = pinata.Bool(false)
		}
		if !gf.asJSON {
			fmt.Fprintln(tw, "ID\tNAME\tPUBLIC\tCREATED")
		}
		for g, err := range c.Groups(ctx, net, q) {
			if err != nil {
				return err
			}
			rows = append(rows, map[string]any{"id": g.ID, "name": g.Name, "is_public": g.IsPublic, "created_at": optTime(g.CreatedAt)})
			fmt.Fprintf(tw, "%s\t%s\t%t\t%s\n", g.ID, g.Name, g.IsPublic, date(g.CreatedAt))
		}
	}
	if gf.asJSON {
		if rows == nil {
			rows = []map[string]any{}
		}
		return a.printJSON(rows)
	}
	return tw.Flush()
}

func cmdGroupsGet(ctx context.Context, a *app, args []string) error {
	fs := a.flags("groups get", "ID")
	var gf groupFlags
	gf.register(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	net, err := gf.net()
	if err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	if gf.legacy {
		g, err := c.GetPinGroup(ctx, pos[0])
		if err != nil {
			return err
		}
		return a.printPinGroup(g, gf.asJSON)
	}
	g, err := c.GetGroup(ctx, net, pos[0])
	if err != nil {
		return err
	}
	return a.printGroup(g, gf.asJSON)
}

func cmdGroupsUpdate(ctx context.Context, a *app, args []string) error {
	fs := a.flags("groups update", "ID")
	var gf groupFlags
	gf.register(fs)
	name := fs.String("name", "", "the new name")
	var public *bool
	fs.Func("public", "v3: true or false", func(s string) error {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		public = &b
		return nil
	})
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	net, err := gf.net()
	if err != nil {
		return err
	}
	if *name == "" && public == nil {
		return usagef("give --name or --public")
	}
	if gf.legacy && (public != nil || *name == "") {
		return usagef("a legacy group has only a name: give --name")
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	if gf.legacy {
		g, err := c.RenamePinGroup(ctx, pos[0], *name)
		if err != nil {
			return err
		}
		return a.printPinGroup(g, gf.asJSON)
	}
	u := pinata.GroupUpdate{IsPublic: public}
	if *name != "" {
		u.Name = name
	}
	g, err := c.UpdateGroup(ctx, net, pos[0], u)
	if err != nil {
		return err
	}
	return a.printGroup(g, gf.asJSON)
}

func cmdGroupsDelete(ctx context.Context, a *app, args []string) error {
	fs := a.flags("groups rm", "ID")
	var gf groupFlags
	gf.register(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	net, err := gf.net()
	if err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	if gf.legacy {
		return c.DeletePinGroup(ctx, pos[0])
	}
	return c.DeleteGroup(ctx, net, pos[0])
}

// cmdGroupsMembers adds or removes v3 files (by id) or, with --legacy, CIDs.
func cmdGroupsMembers(ctx context.Context, a *app, args []string, add bool) error {
	verb := "remove"
	if add {
		verb = "add"
	}
	fs := a.flags("groups "+verb, "ID FILE_ID...")
	var gf groupFlags
	gf.register(fs)
	pos, err := parse(fs, args, 2, 1<<20)
	if err != nil {
		return err
	}
	net, err := gf.net()
	if err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	id, members := pos[0], pos[1:]
	if gf.legacy {
		if add {
			return c.AddPinGroupCIDs(ctx, id, members...)
		}
		return c.RemovePinGroupCIDs(ctx, id, members...)
	}
	for _, f := range members {
		if add {
			err = c.AddFileToGroup(ctx, net, id, f)
		} else {
			err = c.RemoveFileFromGroup(ctx, net, id, f)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", verb, f, err)
		}
	}
	return nil
}
