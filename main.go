// Command terraform-provider-immuta is the Terraform provider for the
// Immuta Marketplace.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/immuta/terraform-provider-immuta/internal/ctxrelease"
	"github.com/immuta/terraform-provider-immuta/internal/provider"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug, showVersion bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.BoolVar(&showVersion, "version", false, "print the provider's version and exit")
	flag.Parse()
	if showVersion {
		fmt.Println("terraform-provider-immuta", version)
		return
	}

	if !debug {
		// Under -debug the lines go straight to this process's output,
		// where a developer reads them.
		provider.QuietLogsWhenUnread()
	}
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// Served through ctxrelease, so that memory does not grow with every
	// request of a large plan (see that package).
	err := tf6server.Serve("registry.terraform.io/immuta/immuta", ctxrelease.ProviderServer(provider.New(version)()), opts...)
	// Terraform stops the provider gracefully when its run ends; what the
	// refreshes settled is written then at the latest.
	provider.FlushCreateJournals()
	if err != nil {
		log.Fatal(err)
	}
}
