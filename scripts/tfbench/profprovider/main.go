// Command profprovider is the real provider, served as main.go serves it,
// with the profiles of package profiling written when TFBENCH_PROFILE_DIR
// is set. tfbench -profile builds it in place of the provider.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/immuta/terraform-provider-immuta/internal/provider"
	"github.com/immuta/terraform-provider-immuta/scripts/tfbench/internal/profiling"
)

func main() {
	provider.QuietLogsWhenUnread()
	stop, err := profiling.Start()
	if err != nil {
		log.Fatal(err)
	}
	err = providerserver.Serve(context.Background(), provider.New("dev"), providerserver.ServeOpts{
		Address:         "registry.terraform.io/immuta/immuta",
		ProtocolVersion: 6,
	})
	stop()
	if err != nil {
		log.Fatal(err)
	}
}
