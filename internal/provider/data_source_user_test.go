package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// Users of the default fixture the metadata tests use.
const (
	jordanLeeBimID  = "d8d89b78-c0d2-55fa-990e-a2d67049613e" // Jordan Lee, username jlee in bim
	jordanLeeOktaID = "c5d1762f-e2d2-548f-9174-0ae407350854" // Jordan Lee in okta, same email
	jamieLeeID      = "2a666883-b124-51a3-b39b-99cda583fb99" // Jamie Lee, username jlee in ldap
	stewardSalesID  = "fa925e85-757e-54c1-8486-9bfa3cbcd758" // Samuel Okafor
)

func TestAccUserDataSource(t *testing.T) {
	srv := requireEmulator(t, "sets the page size, reads the request log, reads the emulator's fixture")
	srv.SetMaxPageSize(2) // the page size of paged lists; users are not paged
	users := srv.Fixture().Users
	last := users[len(users)-1]
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_user" "by_username" {
  username = "steward.sales"
}

# Email ignores case; iam_id picks one of the two Jordan Lees.
data "immuta_user" "by_email" {
  email  = "JORDAN.LEE@example.com"
  iam_id = "okta"
}

data "immuta_user" "by_username_and_iam" {
  username = "jlee"
  iam_id   = "ldap"
}

# Asked for by id (the service's globalUserId filter).
data "immuta_user" "by_global_id" {
  global_user_id = %q
}
`, last.GlobalUserID),
			Check: func(*terraform.State) error {
				for _, r := range metadataRequests(srv, "/api/metadata/users") {
					if q, _ := url.ParseQuery(r.Query); q.Has("globalUserId") && !slices.Equal(q["globalUserId"], []string{last.GlobalUserID}) {
						return fmt.Errorf("user request with query %q", r.Query)
					}
				}
				for _, r := range metadataRequests(srv, "/api/metadata/users") {
					if strings.Contains(r.Query, "globalUserId=") {
						return nil
					}
				}
				return fmt.Errorf("no user request asked for the global user id")
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.immuta_user.by_username", tfjsonpath.New("global_user_id"), knownvalue.StringExact(stewardSalesID)),
				statecheck.ExpectKnownValue("data.immuta_user.by_username", tfjsonpath.New("name"), knownvalue.StringExact("Samuel Okafor")),
				statecheck.ExpectKnownValue("data.immuta_user.by_username", tfjsonpath.New("email"), knownvalue.StringExact("samuel.okafor@example.com")),
				statecheck.ExpectKnownValue("data.immuta_user.by_username", tfjsonpath.New("user_id"), knownvalue.Int64Exact(3)),
				statecheck.ExpectKnownValue("data.immuta_user.by_username", tfjsonpath.New("iam_id"), knownvalue.StringExact("bim")),
				statecheck.ExpectKnownValue("data.immuta_user.by_email", tfjsonpath.New("global_user_id"), knownvalue.StringExact(jordanLeeOktaID)),
				statecheck.ExpectKnownValue("data.immuta_user.by_email", tfjsonpath.New("username"), knownvalue.StringExact("jordan.lee@example.com")),
				statecheck.ExpectKnownValue("data.immuta_user.by_username_and_iam", tfjsonpath.New("global_user_id"), knownvalue.StringExact(jamieLeeID)),
				statecheck.ExpectKnownValue("data.immuta_user.by_username_and_iam", tfjsonpath.New("name"), knownvalue.StringExact("Jamie Lee")),
				statecheck.ExpectKnownValue("data.immuta_user.by_global_id", tfjsonpath.New("username"), knownvalue.StringExact(last.Username)),
				statecheck.ExpectKnownValue("data.immuta_user.by_global_id", tfjsonpath.New("name"), knownvalue.StringExact(last.Name)),
				statecheck.ExpectKnownValue("data.immuta_user.by_global_id", tfjsonpath.New("global_user_id"), knownvalue.StringExact(last.GlobalUserID)),
			},
		}},
	})
}

func TestAccUserDataSource_errors(t *testing.T) {
	srv := requireEmulator(t, "reads the request log")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + `
data "immuta_user" "x" {
  username = "Steward.Sales"
}
`,
				ExpectError: errorPattern("User Not Found", `No user has username "Steward.Sales" (case-sensitive).`),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_user" "x" {
  username = "steward.sales"
  iam_id   = "okta"
}
`,
				ExpectError: errorPattern(`No user has username "steward.sales" (case-sensitive) in identity manager "okta".`),
			},
			{
				// Two users named Jordan Lee share an email in two identity managers.
				Config: providerConfig(srv) + `
data "immuta_user" "x" {
  email = "jordan.lee@example.com"
}
`,
				ExpectError: errorPattern("Several Users Match", `2 users have email "jordan.lee@example.com" (ignoring case):`,
					`"Jordan Lee" (username "jlee" in identity manager "bim", global user id `+jordanLeeBimID+`)`,
					`"Jordan Lee" (username "jordan.lee@example.com" in identity manager "okta", global user id `+jordanLeeOktaID+`)`,
					"Set iam_id"),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_user" "x" {
  username = "jlee"
}
`,
				ExpectError: errorPattern(`2 users have username "jlee"`, jamieLeeID, jordanLeeBimID),
			},
			{
				Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_user" "x" {
  global_user_id = %q
}
`, unknownUUID),
				ExpectError: errorPattern("No user has global user id " + unknownUUID + "."),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_user" "x" {
  username = "jlee"
  email    = "jordan.lee@example.com"
}
`,
				ExpectError: errorPattern("Invalid Attribute Combination"),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_user" "x" {
  iam_id = "bim"
}
`,
				ExpectError: errorPattern("Exactly one of these attributes must be configured: [username,email,global_user_id]"),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_user" "x" {
  email = "not-an-address"
}
`,
				ExpectError: errorPattern("Attribute email must be an email address"),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_user" "x" {
  global_user_id = "user-7"
}
`,
				ExpectError: errorPattern("Attribute global_user_id must be a UUID"),
			},
			{Config: providerConfig(srv)},
		},
	})
	noRequestMentions(t, srv, "not-an-address")
}

// Should the service's search not cover usernames, the lookup still finds
// the user by reading the full list.
func TestAccUserDataSource_searchMissesFallsBackToFullList(t *testing.T) {
	emulator := marketplacetest.New(marketplacetest.Options{})
	var searchesAnswered atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/api/metadata/users") && r.URL.Query().Get("filter") != "" {
			searchesAnswered.Add(1)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"users":[]}`)
			return
		}
		emulator.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "immuta" {
  endpoint = %q
  token    = %q
}

data "immuta_user" "x" {
  username = "steward.finance"
}
`, srv.URL+marketplacetest.BasePath, emulator.Token()),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.immuta_user.x", tfjsonpath.New("name"), knownvalue.StringExact("Fatima Al-Sayed")),
			},
		}},
	})
	if searchesAnswered.Load() == 0 {
		t.Error("the provider never searched, so the fallback was not exercised")
	}
}
