// Command pinata is a command-line client for the Pinata IPFS pinning service, built
// on the Go binding of libpinata.
//
//	pinata [global flags] COMMAND [flags] [args]
//
// Credentials come from --jwt, or --api-key with --api-secret, or the environment
// (PINATA_JWT, or PINATA_API_KEY with PINATA_API_SECRET); --api-url (or
// PINATA_API_URL) points it at another server, such as the local emulator;
// --ca-bundle (PINATA_CA_BUNDLE) and --http-version (PINATA_HTTP_VERSION) set how it
// reaches that server over HTTPS.
// Secrets are never printed, except the new key's, once, by `keys create`.
//
// Exit status: 0 on success, 2 for a usage error, 10 + the library's status for a
// failed call (11 invalid argument, 12 I/O, 13 network, 14 timeout, 15 cancelled,
// 16 unauthorized, 17 forbidden, 18 not found, 19 rate limited, 20 bad request,
// 21 server, 22 protocol, 23 integrity, 24 internal), 1 for anything else.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// Exit statuses besides 10 + pinata.Status.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitLibrary = 10
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// app is one run of the command: its streams, environment and global flags.
type app struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	stderrIsTTY    bool

	jwt, apiKey, apiSecret, apiURL string
	timeout                        time.Duration
	uploadURL                      string // v3 upload host (files_cmd.go)
	caBundle, httpVersion          string
}

type command struct {
	name    string
	args    string
	summary string
	run     func(ctx context.Context, a *app, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"auth", "", "check the credentials", cmdAuth},
		{"upload", "PATH", "pin a file or a directory", cmdUpload},
		{"pin-cid", "CID", "ask Pinata to pin an existing CID", cmdPinCID},
		{"jobs", "", "list pin-by-CID jobs", cmdJobs},
		{"list", "", "list pins", cmdList},
		{"unpin", "CID", "unpin a CID", cmdUnpin},
		{"keys", "create NAME | list | revoke KEY", "manage API keys", cmdKeys},
		{"groups", "create|list|get|update|rm|add|remove", "manage groups (v3 per network, or --legacy)", cmdGroups},
		{"cid", "PATH", "compute the CID of a file or directory locally", cmdCID},
		{"get", "CID -o PATH", "download a CID from a gateway, verified", cmdGet},
		{"usage", "", "show the account's pinned data totals", cmdUsage},
		{"psa", "add|ls|get|replace|rm|wait ...", "IPFS Pinning Service API (Pinata or --endpoint)", cmdPSA},
		{"version", "", "show the versions", cmdVersion},
		{"files", "ls|get|update|rm|pin|queue|cancel|wait", "v3 files (--network public|private) and the v3 pin-by-CID queue", cmdFiles},
		{"sign", "", "create a signed upload URL (v3)", cmdSign},
		{"download-link", "CID", "create a download link for a private file (v3)", cmdDownloadLink},
	}
}

// globalFlags registers the flags every command accepts, before or after its name.
func (a *app) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&a.jwt, "jwt", a.jwt, "JWT to authenticate with (default $PINATA_JWT)")
	fs.StringVar(&a.apiKey, "api-key", a.apiKey, "API key, with --api-secret (default $PINATA_API_KEY)")
	fs.StringVar(&a.apiSecret, "api-secret", a.apiSecret, "API secret, with --api-key (default $PINATA_API_SECRET)")
	fs.StringVar(&a.apiURL, "api-url", a.apiURL, "API base URL (default $PINATA_API_URL, else https://api.pinata.cloud)")
	fs.DurationVar(&a.timeout, "timeout", a.timeout, "give up after this long (0: no limit)")
	fs.StringVar(&a.uploadURL, "upload-url", a.uploadURL, "v3 upload host (default $PINATA_UPLOAD_URL, else the API URL when one is set, else https://uploads.pinata.cloud)")
	fs.StringVar(&a.caBundle, "ca-bundle", a.caBundle, "PEM file of the CAs to trust instead of the system's (default $PINATA_CA_BUNDLE)")
	fs.StringVar(&a.httpVersion, "http-version", a.httpVersion, "HTTP version: auto, 1.1 or 2 (default $PINATA_HTTP_VERSION, else auto)")
}

func (a *app) usage() {
	w := a.stderr
	fmt.Fprintln(w, "usage: pinata [global flags] COMMAND [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %-32s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nglobal flags (also accepted after the command):")
	fs := flag.NewFlagSet("pinata", flag.ContinueOnError)
	fs.SetOutput(w)
	(&app{}).globalFlags(fs)
	fs.PrintDefaults()
	fmt.Fprintln(w, "\nRun `pinata COMMAND -h` for a command's flags. Exit status: 0 ok, 2 usage,")
	fmt.Fprintln(w, "10 + the library status on a failed call, 1 otherwise.")
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdout: stdout, stderr: stderr, getenv: getenv}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			a.stderrIsTTY = true
		}
	}
	fs := flag.NewFlagSet("pinata", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	a.globalFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.usage()
			return exitOK
		}
		fmt.Fprintln(stderr, "pinata:", err)
		a.usage()
		return exitUsage
	}
	if fs.NArg() == 0 {
		a.usage()
		return exitUsage
	}
	name, rest := fs.Arg(0), fs.Args()[1:]
	if name == "help" {
		a.usage()
		return exitOK
	}
	var cmd *command
	for i := range commands {
		if commands[i].name == name {
			cmd = &commands[i]
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "pinata: unknown command %q\n", name)
		a.usage()
		return exitUsage
	}
	return a.exit(cmd.run(ctx, a, rest))
}

// exit reports err and maps it to the exit status.
func (a *app) exit(err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(a.stderr, "pinata:", ue.msg)
		return exitUsage
	}
	fmt.Fprintln(a.stderr, "pinata:", strings.TrimPrefix(err.Error(), "pinata: "))
	var pe *pinata.Error
	if errors.As(err, &pe) {
		return exitLibrary + int(pe.Status)
	}
	return exitFailure
}

// flags makes a command's flag set, with the global flags registered too.
func (a *app) flags(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("pinata "+name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	a.globalFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(a.stderr, "usage: pinata %s [flags] %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags and positional arguments in any order ("--" ends the flags)
// and checks the number of positional arguments.
func parse(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	var tail []string
	for i, arg := range args {
		if arg == "--" {
			args, tail = args[:i], args[i+1:]
			break
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	pos = append(pos, tail...)
	if len(pos) < minPos || len(pos) > maxPos {
		fs.Usage()
		name := strings.TrimPrefix(fs.Name(), "pinata ")
		if maxPos == 0 {
			return nil, usagef("%s takes no arguments", name)
		}
		return nil, usagef("%s takes exactly %d argument(s), got %d", name, minPos, len(pos))
	}
	return pos, nil
}

// client makes a client from the flags or the environment.
func (a *app) client() (*pinata.Client, error) {
	var opts []pinata.Option
	url := a.flagOrEnv(a.apiURL, "PINATA_API_URL")
	if url != "" {
		opts = append(opts, pinata.WithBaseURL(url))
	}
	if u := a.v3UploadURL(url); u != "" {
		opts = append(opts, pinata.WithUploadURL(u))
	}
	tlsOpts, err := a.tlsOptions()
	if err != nil {
		return nil, err
	}
	opts = append(opts, tlsOpts...)
	switch {
	case a.jwt != "" && (a.apiKey != "" || a.apiSecret != ""):
		return nil, usagef("use either --jwt or --api-key with --api-secret, not both")
	case a.jwt != "":
		return pinata.NewClientJWT(a.jwt, opts...)
	case a.apiKey != "" || a.apiSecret != "":
		if a.apiKey == "" || a.apiSecret == "" {
			return nil, usagef("--api-key and --api-secret go together")
		}
		return pinata.NewClientKeys(a.apiKey, a.apiSecret, opts...)
	case a.getenv("PINATA_JWT") != "":
		return pinata.NewClientJWT(a.getenv("PINATA_JWT"), opts...)
	case a.getenv("PINATA_API_KEY") != "" && a.getenv("PINATA_API_SECRET") != "":
		return pinata.NewClientKeys(a.getenv("PINATA_API_KEY"), a.getenv("PINATA_API_SECRET"), opts...)
	}
	return nil, usagef("no credentials: set PINATA_JWT, or use --jwt, or --api-key with --api-secret")
}

// tlsOptions are the client options of --ca-bundle and --http-version (or their
// environment variables).
func (a *app) tlsOptions() ([]pinata.Option, error) {
	var opts []pinata.Option
	if ca := a.flagOrEnv(a.caBundle, "PINATA_CA_BUNDLE"); ca != "" {
		opts = append(opts, pinata.WithCABundle(ca))
	}
	version := a.flagOrEnv(a.httpVersion, "PINATA_HTTP_VERSION")
	switch version {
	case "", "auto":
	case "1.1":
		opts = append(opts, pinata.WithHTTPVersion(pinata.HTTP1_1))
	case "2":
		opts = append(opts, pinata.WithHTTPVersion(pinata.HTTP2))
	default:
		return nil, usagef("--http-version must be auto, 1.1 or 2, not %q", version)
	}
	return opts, nil
}

// flagOrEnv is a flag's value, or when it is empty the environment variable's.
func (a *app) flagOrEnv(flagValue, variable string) string {
	if flagValue != "" {
		return flagValue
	}
	return a.getenv(variable)
}

// withTimeout applies --timeout to ctx.
func (a *app) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if a.timeout > 0 {
		return context.WithTimeout(ctx, a.timeout)
	}
	return context.WithCancel(ctx)
}

// connect parses nothing more: it makes the client and the call context.
func (a *app) connect(ctx context.Context) (*pinata.Client, context.Context, func(), error) {
	c, err := a.client()
	if err != nil {
		return nil, nil, nil, err
	}
	cctx, cancel := a.withTimeout(ctx)
	return c, cctx, func() { cancel(); c.Close() }, nil
}
