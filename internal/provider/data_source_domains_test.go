package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccDomainsDataSource(t *testing.T) {
	srv := requireEmulator(t, "reads the emulator's fixture")
	all := len(srv.Fixture().Domains)
	domain := func(id, name string) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id), "name": knownvalue.StringExact(name)})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + `
data "immuta_domains" "all" {}

# Exact: only "Sales", not "Sales EU" or "North American Sales".
data "immuta_domains" "exact" {
  name = "Sales"
}

# Partial, ignoring case: all three.
data "immuta_domains" "partial" {
  name_contains = "SALES"
}

data "immuta_domains" "both" {
  name          = "Sales EU"
  name_contains = "eu"
}

# Exact names are case-sensitive: no match is an empty list.
data "immuta_domains" "wrong_case" {
  name = "sales"
}

data "immuta_domains" "none" {
  name_contains = "Astrophysics"
}

output "sales_domain_ids" {
  value = data.immuta_domains.partial.ids
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.immuta_domains.all", tfjsonpath.New("domains"), knownvalue.ListSizeExact(all)),
				statecheck.ExpectKnownValue("data.immuta_domains.all", tfjsonpath.New("ids"), knownvalue.SetSizeExact(all)),
				// Sorted by name.
				statecheck.ExpectKnownValue("data.immuta_domains.all", tfjsonpath.New("domains").AtSliceIndex(0), domain(lakeDomainID, "Enterprise Data Lake")),
				statecheck.ExpectKnownValue("data.immuta_domains.exact", tfjsonpath.New("domains"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":          knownvalue.StringExact(salesDomainID),
						"name":        knownvalue.StringExact("Sales"),
						"description": knownvalue.StringExact("Company-wide bookings, pipeline and quota data"),
					}),
				})),
				statecheck.ExpectKnownValue("data.immuta_domains.partial", tfjsonpath.New("domains"), knownvalue.ListExact([]knownvalue.Check{
					domain(nasDomainID, "North American Sales"), domain(salesDomainID, "Sales"), domain(salesEUDomainID, "Sales EU"),
				})),
				statecheck.ExpectKnownValue("data.immuta_domains.both", tfjsonpath.New("ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(salesEUDomainID)})),
				statecheck.ExpectKnownValue("data.immuta_domains.wrong_case", tfjsonpath.New("domains"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.immuta_domains.none", tfjsonpath.New("domains"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.immuta_domains.none", tfjsonpath.New("ids"), knownvalue.SetSizeExact(0)),
				statecheck.ExpectKnownOutputValue("sales_domain_ids", knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact(nasDomainID), knownvalue.StringExact(salesDomainID), knownvalue.StringExact(salesEUDomainID),
				})),
			},
		}},
	})
}

func TestAccDomainsDataSource_blankFilter(t *testing.T) {
	acc := newAccTarget(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(acc) + `
data "immuta_domains" "x" {
  name_contains = "  "
}
`,
				ExpectError: errorPattern("Attribute name_contains must not be blank"),
			},
			{Config: providerConfig(acc)},
		},
	})
	if acc.srv != nil {
		if n := len(metadataRequests(acc.srv, "/api/metadata/domain")); n != 0 {
			t.Errorf("%d requests reached the API; the blank filter should be refused at plan time", n)
		}
	}
}
