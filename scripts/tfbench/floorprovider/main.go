// Command floorprovider is the do-nothing provider tfbench measures as the
// floor of the plugin protocol: it serves every resource and data source
// of the real provider with exactly its schema (read from the real
// provider at start, so the two never drift), validators, defaults and
// plan modifiers included, but its CRUD only copies the plan to the state
// and calls no API. Under tfbench -profile it writes the same profiles
// as profprovider. What the real provider costs beyond it is its own
// work; what it costs beyond terraform_data is the plugin protocol and
// the framework.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/immuta/terraform-provider-immuta/internal/provider"
	"github.com/immuta/terraform-provider-immuta/scripts/tfbench/internal/profiling"
)

func main() {
	// Logging as the real provider's main does, so that the floor pays
	// the same log work.
	provider.QuietLogsWhenUnread()
	stop, err := profiling.Start()
	if err != nil {
		log.Fatal(err)
	}
	err = providerserver.Serve(context.Background(), newFloor(provider.New("floor")), providerserver.ServeOpts{
		Address:         "registry.terraform.io/immuta/immuta",
		ProtocolVersion: 6,
	})
	stop()
	if err != nil {
		log.Fatal(err)
	}
}
