// Command profprovider is the real provider, served as main.go serves it,
// with the profiles of package profiling written when TFBENCH_PROFILE_DIR
// is set. tfbench -profile builds it in place of the provider.
package main

import (
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/immuta/terraform-provider-immuta/internal/ctxrelease"
	"github.com/immuta/terraform-provider-immuta/internal/provider"
	"github.com/immuta/terraform-provider-immuta/scripts/tfbench/internal/profiling"
)

func main() {
	provider.QuietLogsWhenUnread()
	stop, err := profiling.Start()
	if err != nil {
		log.Fatal(err)
	}
	err = tf6server.Serve("registry.terraform.io/immuta/immuta", ctxrelease.ProviderServer(provider.New("dev")()))
	stop()
	if err != nil {
		log.Fatal(err)
	}
}
