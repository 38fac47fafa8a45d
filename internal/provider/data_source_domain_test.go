package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

func TestAccDomainDataSource(t *testing.T) {
	srv := requireEmulator(t, "asserts the default fixture's domains")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// "Sales" must not match "Sales EU" or "North American Sales".
			Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_domain" "by_name" {
  name = "Sales"
}

data "immuta_domain" "by_id" {
  id = %q
}

data "immuta_domain" "by_upper_case_id" {
  id = %q
}
`, salesEUDomainID, strings.ToUpper(nasDomainID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.immuta_domain.by_name", tfjsonpath.New("id"), knownvalue.StringExact(salesDomainID)),
				statecheck.ExpectKnownValue("data.immuta_domain.by_name", tfjsonpath.New("description"),
					knownvalue.StringExact("Company-wide bookings, pipeline and quota data")),
				statecheck.ExpectKnownValue("data.immuta_domain.by_id", tfjsonpath.New("name"), knownvalue.StringExact("Sales EU")),
				statecheck.ExpectKnownValue("data.immuta_domain.by_upper_case_id", tfjsonpath.New("name"), knownvalue.StringExact("North American Sales")),
			},
		}},
	})
}

func TestAccDomainDataSource_errors(t *testing.T) {
	// Immuta keeps domain names unique, but the provider must not pick one
	// of two namesakes should it ever meet them.
	f := marketplacetest.DefaultFixture()
	f.Domains = append(f.Domains, marketplacetest.Domain{ID: "0d3c2b1a-9f8e-4d7c-8b6a-5f4e3d2c1b0a", Name: "Marketing", Description: "A namesake"})
	srv := newEmulatorWithFixture(t, "reads the request log, reads the emulator's fixture", f)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + `
data "immuta_domain" "x" {
  name = "sales"
}
`,
				// Case matters; the error says what was searched and offers the near misses.
				ExpectError: errorPattern(`No domain is named exactly "sales" (names are case-sensitive); 12 domains were searched.`,
					`Domains whose names contain it: "North American Sales" (`+nasDomainID+`), "Sales" (`+salesDomainID+`), "Sales EU"`),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_domain" "x" {
  name = "Marketing"
}
`,
				ExpectError: errorPattern(`2 domains are named "Marketing":`, "0d3c2b1a-9f8e-4d7c-8b6a-5f4e3d2c1b0a", "d4140859-4616-5a2e-a3c9-606e8147bc53", "Look the domain up by id"),
			},
			{
				Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_domain" "x" {
  id = %q
}
`, unknownUUID),
				ExpectError: errorPattern("Domain Not Found", "No domain has id "+unknownUUID),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_domain" "x" {
  id = "domain-42"
}
`,
				ExpectError: errorPattern(`Attribute id must be a UUID`),
			},
			{
				Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_domain" "x" {
  id   = %q
  name = "Sales"
}
`, salesDomainID),
				ExpectError: errorPattern("Invalid Attribute Combination"),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_domain" "x" {}
`,
				ExpectError: errorPattern("Missing Attribute Configuration", "Exactly one of these attributes must be configured: [id,name]"),
			},
			// The last configuration is also what the harness destroys with.
			{Config: providerConfig(srv)},
		},
	})
	noRequestMentions(t, srv, "domain-42")
}
