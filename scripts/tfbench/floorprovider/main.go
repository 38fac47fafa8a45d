// Command floorprovider is the do-nothing provider tfbench measures as the
// floor of the plugin protocol: it serves every resource and data source
// of the real provider with exactly its schema (read from the real
// provider at start, so the two never drift), validators, defaults and
// plan modifiers included, but its CRUD only copies the plan to the state
// and calls no API. What the real provider costs beyond it is its own
// work; what it costs beyond terraform_data is the plugin protocol and
// the framework. Under tfbench -profile it writes the same profiles as
// profprovider.
//
// It is served, as the real provider is, through package ctxrelease,
// which releases each request's context when the request returns; with
// TFBENCH_KEEP_CONTEXTS set it is served bare, to measure what that saves.
package main

import (
	"context"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/immuta/terraform-provider-immuta/internal/ctxrelease"
	"github.com/immuta/terraform-provider-immuta/internal/provider"
	"github.com/immuta/terraform-provider-immuta/scripts/tfbench/internal/profiling"
)

const address = "registry.terraform.io/immuta/immuta"

func main() {
	// Logging as the real provider's main does, so that the floor pays
	// the same log work.
	provider.QuietLogsWhenUnread()
	stop, err := profiling.Start()
	if err != nil {
		log.Fatal(err)
	}
	floor := newFloor(provider.New("floor"))
	if os.Getenv("TFBENCH_KEEP_CONTEXTS") != "" {
		err = providerserver.Serve(context.Background(), floor, providerserver.ServeOpts{Address: address, ProtocolVersion: 6})
	} else {
		err = tf6server.Serve(address, ctxrelease.ProviderServer(floor()))
	}
	stop()
	if err != nil {
		log.Fatal(err)
	}
}
