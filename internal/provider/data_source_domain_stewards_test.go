package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccDomainStewardsDataSource(t *testing.T) {
	srv := newEmulator(t)
	steward := func(username, name string) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{"username": knownvalue.StringExact(username), "name": knownvalue.StringExact(name)})
	}
	// Governors (GOVERNANCE) and admins (APPLICATION_ADMIN) are eligible in
	// every domain; a user admin is not.
	governorsAndAdmins := []knownvalue.Check{
		steward("app.admin", "Avery Chen"), steward("governor", "Grace Hopper"), steward("ops.governor", "Morgan Reyes"),
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_domain" "supply" {
  name = "Supply Chain"
}

data "immuta_domain_stewards" "supply" {
  domain_id = data.immuta_domain.supply.id
}

data "immuta_domain_stewards" "sandbox" {
  domain_id = %q
}

# A steward's details, looked up by the id the stewards list gives.
data "immuta_user" "first_supply_steward" {
  global_user_id = data.immuta_domain_stewards.supply.users[0].global_user_id
}
`, emptyDomainID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.immuta_domain_stewards.supply", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
					governorsAndAdmins[0], governorsAndAdmins[1], steward("jlee", "Jordan Lee"), steward("steward.supply", "Mei Tanaka"), governorsAndAdmins[2],
				})),
				statecheck.ExpectKnownValue("data.immuta_domain_stewards.supply", tfjsonpath.New("global_user_ids"), knownvalue.SetSizeExact(5)),
				statecheck.ExpectKnownValue("data.immuta_domain_stewards.sandbox", tfjsonpath.New("users"), knownvalue.ListExact(governorsAndAdmins)),
				statecheck.ExpectKnownValue("data.immuta_user.first_supply_steward", tfjsonpath.New("username"), knownvalue.StringExact("app.admin")),
			},
		}},
	})
}

func TestAccDomainStewardsDataSource_errors(t *testing.T) {
	srv := newEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_domain_stewards" "x" {
  domain_id = %q
}
`, unknownUUID),
				ExpectError: errorPattern("Domain Not Found", "No domain has id "+unknownUUID),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_domain_stewards" "x" {
  domain_id = "finance"
}
`,
				ExpectError: errorPattern("Attribute domain_id must be a UUID"),
			},
			{Config: providerConfig(srv)},
		},
	})
	noRequestMentions(t, srv, "/finance")
}
