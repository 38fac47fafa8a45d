// Command marketplace-emulator serves a local, in-memory Immuta
// Marketplace API, for running Terraform configurations and tests offline.
//
// It prints the endpoint to give the provider (its listen address plus
// /marketplace) and serves until interrupted.
//
// With -openapi (or MARKETPLACE_OPENAPI set) it checks every exchange
// against the service's OpenAPI document, prints each violation to stderr
// as a line starting "contract violation:", and on shutdown prints how
// many there were and exits with status 1 when there was any.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	err := run(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return // -h printed the usage; asking for it is no failure
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "marketplace-emulator:", err)
		os.Exit(1)
	}
}

// flags are the command's settings, as given on its command line.
type flags struct {
	addr, token, fixture, endpointFile, faults string
	faultSeed                                  uint64
	readLag                                    time.Duration
	timeouts                                   marketplacetest.ServerTimeouts
	openAPI                                    string
	strictRequests                             bool
	stateFile, requestLog, adminToken          string
	showVersion                                bool
}

func run(args []string) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	if cfg.showVersion {
		fmt.Println("marketplace-emulator", version)
		return nil
	}

	opts, err := cfg.options()
	if err != nil {
		return err
	}
	// The state is loaded before anything listens, so that an unusable
	// file stops the command at once.
	emulator := marketplacetest.New(opts)
	var handler http.Handler = emulator
	if cfg.stateFile != "" {
		if handler, err = persistState(emulator, cfg.stateFile); err != nil {
			return err
		}
	}
	if cfg.requestLog != "" {
		var closeLog func()
		if handler, closeLog, err = logRequests(handler, cfg.requestLog); err != nil {
			return err
		}
		defer closeLog()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := listen(ctx, cfg.addr, cfg.endpointFile, opts)
	if err != nil {
		return err
	}
	if err := serve(ctx, marketplacetest.NewHTTPServer(handler, cfg.timeouts), ln); err != nil {
		return err
	}
	if opts.OpenAPI != nil {
		return contractSummary(len(emulator.ContractViolations()), opts.OpenAPI.Path())
	}
	return nil
}

// parseFlags reads the command line; -h gives flag.ErrHelp.
func parseFlags(args []string) (flags, error) {
	var cfg flags
	fs := flag.NewFlagSet("marketplace-emulator", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "listen address; port 0 picks a free port")
	fs.StringVar(&cfg.token, "token", marketplacetest.DefaultToken, "the personal access token the emulator accepts")
	fs.StringVar(&cfg.fixture, "fixture", "", "JSON file of domains, data sources, users and groups (default: the embedded fixture)")
	fs.StringVar(&cfg.endpointFile, "endpoint-file", "", "write the endpoint URL to this file once listening")
	fs.StringVar(&cfg.faults, "faults", "", "JSON file with a list of faults to inject (429s, 5xx, latency, dropped connections)")
	fs.Uint64Var(&cfg.faultSeed, "fault-seed", 0, "seed for which requests probabilistic faults hit (0: random)")
	fs.DurationVar(&cfg.readLag, "read-lag", 0, "hide new objects from GET for this long after their create (read-after-write lag)")
	cfg.timeouts = marketplacetest.DefaultServerTimeouts
	fs.DurationVar(&cfg.timeouts.Read, "read-timeout", cfg.timeouts.Read, "close a connection whose request (body included) takes longer than this to arrive")
	fs.DurationVar(&cfg.timeouts.Write, "write-timeout", cfg.timeouts.Write, "close a connection whose response is not written this long after its request (must exceed injected latency)")
	fs.DurationVar(&cfg.timeouts.Idle, "idle-timeout", cfg.timeouts.Idle, "close a keep-alive connection idle for this long")
	fs.StringVar(&cfg.openAPI, "openapi", os.Getenv(marketplacetest.OpenAPIEnv), "the service's OpenAPI document: check every exchange against it, print each violation, and exit 1 on shutdown when there was any (default $"+marketplacetest.OpenAPIEnv+")")
	fs.BoolVar(&cfg.strictRequests, "openapi-strict-requests", true, "with -openapi, a request the contract forbids is a violation even when the emulator rejects it (the client must never send one); false counts only those the emulator accepts")
	fs.StringVar(&cfg.stateFile, "state", "", "keep every Marketplace object in this file: loaded at start (a missing file starts from the fixture), saved atomically after each write")
	fs.StringVar(&cfg.requestLog, "log", "", "append a JSON line per request (time, method, path, query, status, duration_ms, user_agent; never headers or bodies) to this file, or to stderr with -")
	fs.StringVar(&cfg.adminToken, "admin-token", "", "turn on the admin API under /_emulator (reset, seed) for requests with this token, which must differ from -token (default: off)")
	fs.BoolVar(&cfg.showVersion, "version", false, "print the version and exit")
	err := fs.Parse(args)
	return cfg, err
}

// options turns the flags into the emulator's options, loading the files
// they name (contract, faults, fixture).
func (cfg flags) options() (marketplacetest.Options, error) {
	if cfg.adminToken != "" && cfg.adminToken == cfg.token {
		return marketplacetest.Options{}, errors.New("-admin-token must differ from -token: the admin API's token must never be the API's")
	}
	opts := marketplacetest.Options{Token: cfg.token, FaultSeed: cfg.faultSeed, ReadAfterWriteLag: cfg.readLag, AdminToken: cfg.adminToken}
	if cfg.openAPI != "" {
		c, err := marketplacetest.LoadContract(cfg.openAPI)
		if err != nil {
			return opts, fmt.Errorf("contract check: %w", err)
		}
		opts.OpenAPI = c
		opts.StrictContractRequests = cfg.strictRequests
		opts.OnContractViolation = func(v marketplacetest.Violation) {
			fmt.Fprintln(os.Stderr, "contract violation:", v)
		}
	}
	if cfg.faults != "" {
		f, err := marketplacetest.LoadFaults(cfg.faults)
		if err != nil {
			return opts, err
		}
		opts.Faults = f
	}
	if cfg.fixture != "" {
		f, err := marketplacetest.LoadFixture(cfg.fixture)
		if err != nil {
			return opts, err
		}
		opts.Fixture = f
	}
	return opts, nil
}

// persistState loads the emulator's objects from the state file (or writes
// the file when there is none) and gives the handler that saves them after
// every write.
func persistState(emulator *marketplacetest.Server, path string) (http.Handler, error) {
	loaded, err := emulator.LoadState(path)
	if err != nil {
		return nil, err
	}
	if !loaded {
		// Saved at once, so that an unwritable path is found now.
		if err := emulator.SaveState(path); err != nil {
			return nil, fmt.Errorf("state file: %w", err)
		}
	}
	log.Printf("state file %s (loaded: %t); saved after every write", path, loaded)
	return emulator.Persist(path, func(err error) { log.Printf("error: %v", err) }), nil
}

// logRequests wraps the handler to log each request to the file at path,
// or to stderr for "-"; the caller closes the log when done.
func logRequests(handler http.Handler, path string) (http.Handler, func(), error) {
	out := os.Stderr
	closeLog := func() {}
	if path != "-" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			return nil, nil, fmt.Errorf("request log: %w", err)
		}
		closeLog = func() { _ = f.Close() }
		out = f
	}
	return marketplacetest.LogRequests(handler, out), closeLog, nil
}

// listen opens the listening socket, writes the endpoint to endpointFile
// when one is given, and logs where the emulator and its checks are.
func listen(ctx context.Context, addr, endpointFile string, opts marketplacetest.Options) (net.Listener, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		log.Printf("warning: listening on %s, which is reachable from other hosts", ln.Addr())
	}
	endpoint := "http://" + ln.Addr().String() + marketplacetest.BasePath
	if endpointFile != "" {
		if err := os.WriteFile(endpointFile, []byte(endpoint+"\n"), 0o600); err != nil {
			return nil, err
		}
	}
	log.Printf("Immuta Marketplace emulator listening; endpoint %s", endpoint)
	if opts.AdminToken != "" {
		log.Printf("admin API on: http://%s%s/reset and /seed", ln.Addr(), marketplacetest.AdminPath)
	}
	if opts.OpenAPI != nil {
		log.Printf("contract check on: %s (strict requests: %t)", opts.OpenAPI.Path(), opts.StrictContractRequests)
	}
	return ln, nil
}

// serve serves on ln until the server fails or ctx ends (an interrupt),
// then shuts the server down.
func serve(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdownCtx)
	}
}

// contractSummary says how the contract check went; any violation is an
// error, so that a script running the emulator fails.
func contractSummary(violations int, path string) error {
	if violations == 0 {
		log.Printf("contract check: no violations of %s", path)
		return nil
	}
	return fmt.Errorf("contract check: %d contract violation(s) of %s (each printed above as \"contract violation: ...\")", violations, path)
}
