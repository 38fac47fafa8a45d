package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccUsersDataSource(t *testing.T) {
	srv := newEmulator(t)
	srv.SetMaxPageSize(2) // 21 users: eleven pages
	all := len(srv.Fixture().Users)
	user := func(id, username, name string) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"global_user_id": knownvalue.StringExact(id), "username": knownvalue.StringExact(username), "name": knownvalue.StringExact(name),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: srv.ResetRequests,
			Config: providerConfig(srv) + `
data "immuta_users" "all" {}

# Display names need not be unique.
data "immuta_users" "jordan_lee" {
  name = "Jordan Lee"
}

data "immuta_users" "eu_addresses" {
  search_text = "@EXAMPLE.EU"
}

data "immuta_users" "ldap" {
  iam_id = "ldap"
}

data "immuta_users" "nobody" {
  name = "Nobody Here"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.immuta_users.all", tfjsonpath.New("users"), knownvalue.ListSizeExact(all)),
				statecheck.ExpectKnownValue("data.immuta_users.all", tfjsonpath.New("global_user_ids"), knownvalue.SetSizeExact(all)),
				statecheck.ExpectKnownValue("data.immuta_users.jordan_lee", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"global_user_id": knownvalue.StringExact(jordanLeeBimID),
						"user_id":        knownvalue.Int64Exact(13),
						"iam_id":         knownvalue.StringExact("bim"),
						"username":       knownvalue.StringExact("jlee"),
						"name":           knownvalue.StringExact("Jordan Lee"),
						"email":          knownvalue.StringExact("jordan.lee@example.com"),
					}),
					user(jordanLeeOktaID, "jordan.lee@example.com", "Jordan Lee"),
				})),
				statecheck.ExpectKnownValue("data.immuta_users.eu_addresses", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
					user("bc028e9f-96f1-5a0a-932e-969cde7a3198", "hannah.schulz@example.com", "Hannah Schulz"),
					user("c84a8695-f362-57eb-8e2f-f1db0dd35f62", "steward.eu", "Lukas Schmidt"),
					user("8a428d56-1174-5374-b69e-9b64e33b03f9", "sofia.rossi@example.com", "Sofia Rossi"),
				})),
				statecheck.ExpectKnownValue("data.immuta_users.ldap", tfjsonpath.New("global_user_ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(jamieLeeID)})),
				statecheck.ExpectKnownValue("data.immuta_users.nobody", tfjsonpath.New("users"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.immuta_users.nobody", tfjsonpath.New("global_user_ids"), knownvalue.SetSizeExact(0)),
			},
			Check: func(*terraform.State) error {
				if n := len(metadataRequests(srv, "/api/metadata/users")); n < 11 {
					return fmt.Errorf("%d user requests; listing 21 users in pages of 2 takes 11", n)
				}
				return nil
			},
		}},
	})
}
