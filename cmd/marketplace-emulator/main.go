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

func run(args []string) error {
	fs := flag.NewFlagSet("marketplace-emulator", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address; port 0 picks a free port")
	token := fs.String("token", marketplacetest.DefaultToken, "the personal access token the emulator accepts")
	fixture := fs.String("fixture", "", "JSON file of domains, data sources, users and groups (default: the embedded fixture)")
	endpointFile := fs.String("endpoint-file", "", "write the endpoint URL to this file once listening")
	faults := fs.String("faults", "", "JSON file with a list of faults to inject (429s, 5xx, latency, dropped connections)")
	faultSeed := fs.Uint64("fault-seed", 0, "seed for which requests probabilistic faults hit (0: random)")
	readLag := fs.Duration("read-lag", 0, "hide new objects from GET for this long after their create (read-after-write lag)")
	timeouts := marketplacetest.DefaultServerTimeouts
	fs.DurationVar(&timeouts.Read, "read-timeout", timeouts.Read, "close a connection whose request (body included) takes longer than this to arrive")
	fs.DurationVar(&timeouts.Write, "write-timeout", timeouts.Write, "close a connection whose response is not written this long after its request (must exceed injected latency)")
	fs.DurationVar(&timeouts.Idle, "idle-timeout", timeouts.Idle, "close a keep-alive connection idle for this long")
	openAPI := fs.String("openapi", os.Getenv(marketplacetest.OpenAPIEnv), "the service's OpenAPI document: check every exchange against it, print each violation, and exit 1 on shutdown when there was any (default $"+marketplacetest.OpenAPIEnv+")")
	strictRequests := fs.Bool("openapi-strict-requests", true, "with -openapi, a request the contract forbids is a violation even when the emulator rejects it (the client must never send one); false counts only those the emulator accepts")
	stateFile := fs.String("state", "", "keep every Marketplace object in this file: loaded at start (a missing file starts from the fixture), saved atomically after each write")
	requestLog := fs.String("log", "", "append a JSON line per request (time, method, path, query, status, duration_ms, user_agent; never headers or bodies) to this file, or to stderr with -")
	adminToken := fs.String("admin-token", "", "turn on the admin API under /_emulator (reset, seed) for requests with this token, which must differ from -token (default: off)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *showVersion {
		fmt.Println("marketplace-emulator", version)
		return nil
	}

	if *adminToken != "" && *adminToken == *token {
		return errors.New("-admin-token must differ from -token: the admin API's token must never be the API's")
	}
	opts := marketplacetest.Options{Token: *token, FaultSeed: *faultSeed, ReadAfterWriteLag: *readLag, AdminToken: *adminToken}
	if *openAPI != "" {
		c, err := marketplacetest.LoadContract(*openAPI)
		if err != nil {
			return fmt.Errorf("contract check: %w", err)
		}
		opts.OpenAPI = c
		opts.StrictContractRequests = *strictRequests
		opts.OnContractViolation = func(v marketplacetest.Violation) {
			fmt.Fprintln(os.Stderr, "contract violation:", v)
		}
	}
	if *faults != "" {
		f, err := marketplacetest.LoadFaults(*faults)
		if err != nil {
			return err
		}
		opts.Faults = f
	}
	if *fixture != "" {
		f, err := marketplacetest.LoadFixture(*fixture)
		if err != nil {
			return err
		}
		opts.Fixture = f
	}

	// The state is loaded before anything listens, so that an unusable
	// file stops the command at once.
	emulator := marketplacetest.New(opts)
	var handler http.Handler = emulator
	if *stateFile != "" {
		loaded, err := emulator.LoadState(*stateFile)
		if err != nil {
			return err
		}
		if !loaded {
			// Saved at once, so that an unwritable path is found now.
			if err := emulator.SaveState(*stateFile); err != nil {
				return fmt.Errorf("state file: %w", err)
			}
		}
		log.Printf("state file %s (loaded: %t); saved after every write", *stateFile, loaded)
		handler = emulator.Persist(*stateFile, func(err error) { log.Printf("error: %v", err) })
	}

	if *requestLog != "" {
		out := os.Stderr
		if *requestLog != "-" {
			f, err := os.OpenFile(*requestLog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
			if err != nil {
				return fmt.Errorf("request log: %w", err)
			}
			defer func() { _ = f.Close() }()
			out = f
		}
		handler = marketplacetest.LogRequests(handler, out)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", *addr)
	if err != nil {
		return err
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		log.Printf("warning: listening on %s, which is reachable from other hosts", ln.Addr())
	}
	endpoint := "http://" + ln.Addr().String() + marketplacetest.BasePath
	if *endpointFile != "" {
		if err := os.WriteFile(*endpointFile, []byte(endpoint+"\n"), 0o600); err != nil {
			return err
		}
	}
	log.Printf("Immuta Marketplace emulator listening; endpoint %s", endpoint)
	if opts.AdminToken != "" {
		log.Printf("admin API on: http://%s%s/reset and /seed", ln.Addr(), marketplacetest.AdminPath)
	}
	if opts.OpenAPI != nil {
		log.Printf("contract check on: %s (strict requests: %t)", opts.OpenAPI.Path(), opts.StrictContractRequests)
	}

	srv := marketplacetest.NewHTTPServer(handler, timeouts)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = srv.Shutdown(shutdownCtx)
	}
	if err != nil {
		return err
	}
	if opts.OpenAPI != nil {
		return contractSummary(len(emulator.ContractViolations()), opts.OpenAPI.Path())
	}
	return nil
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
