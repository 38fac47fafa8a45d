// Command marketplace-emulator serves a local, in-memory Immuta
// Marketplace API, for running Terraform configurations and tests offline.
//
// It prints the endpoint to give the provider (its listen address plus
// /marketplace) and serves until interrupted.
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
	if err := fs.Parse(args); err != nil {
		return err
	}

	opts := marketplacetest.Options{Token: *token, FaultSeed: *faultSeed, ReadAfterWriteLag: *readLag}
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

	srv := marketplacetest.NewHTTPServer(marketplacetest.New(opts), timeouts)
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
