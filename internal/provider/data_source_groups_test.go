package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccGroupsDataSource(t *testing.T) {
	srv := requireEmulator(t, "sets the page size, reads the emulator's fixture")
	srv.SetMaxPageSize(2) // 14 groups: seven pages
	all := len(srv.Fixture().Groups)
	group := func(id int64, iam, name string) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"id": knownvalue.Int64Exact(id), "iam_id": knownvalue.StringExact(iam), "name": knownvalue.StringExact(name),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + `
data "immuta_groups" "all" {}

# Exact: not "Sales Analysts"; two identity managers have an "Analysts".
data "immuta_groups" "analysts" {
  name = "Analysts"
}

data "immuta_groups" "okta_analysts" {
  name   = "Analysts"
  iam_id = "okta"
}

# Partial, ignoring case.
data "immuta_groups" "any_analysts" {
  name_contains = "ANALYSTS"
}

data "immuta_groups" "wrong_case" {
  name = "analysts"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.immuta_groups.all", tfjsonpath.New("groups"), knownvalue.ListSizeExact(all)),
				statecheck.ExpectKnownValue("data.immuta_groups.all", tfjsonpath.New("ids"), knownvalue.SetSizeExact(all)),
				statecheck.ExpectKnownValue("data.immuta_groups.analysts", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":     knownvalue.Int64Exact(4),
						"iam_id": knownvalue.StringExact("bim"),
						"name":   knownvalue.StringExact("Analysts"),
						"email":  knownvalue.StringExact("analysts@example.com"),
					}),
					group(5, "okta", "Analysts"),
				})),
				statecheck.ExpectKnownValue("data.immuta_groups.okta_analysts", tfjsonpath.New("ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(5)})),
				statecheck.ExpectKnownValue("data.immuta_groups.any_analysts", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
					group(4, "bim", "Analysts"), group(5, "okta", "Analysts"), group(2, "bim", "Sales Analysts"),
				})),
				statecheck.ExpectKnownValue("data.immuta_groups.wrong_case", tfjsonpath.New("groups"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.immuta_groups.wrong_case", tfjsonpath.New("ids"), knownvalue.SetSizeExact(0)),
			},
		}},
	})
}

func TestAccGroupsDataSource_blankFilter(t *testing.T) {
	acc := newAccTarget(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(acc) + `
data "immuta_groups" "x" {
  iam_id = ""
}
`,
				ExpectError: errorPattern("Attribute iam_id must not be blank"),
			},
			{Config: providerConfig(acc)},
		},
	})
	if acc.srv != nil {
		if n := len(metadataRequests(acc.srv, "/api/metadata/groups")); n != 0 {
			t.Errorf("%d requests reached the API; the blank filter should be refused at plan time", n)
		}
	}
}
