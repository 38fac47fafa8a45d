package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// The published API has no stewards endpoint, and neither has the
// emulator: reading the data source says so, and what to use instead.
func TestAccDomainStewardsDataSource_endpointMissing(t *testing.T) {
	acc := newAccTarget(t)
	config := providerConfig(acc) + fmt.Sprintf(`
data "immuta_domain_stewards" "x" {
  domain_id = %q
}
`, acc.facts.DomainID)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ExpectError: errorPattern("Domain Stewards Endpoint Not Available",
					"This Marketplace does not offer GET /api/metadata/domain/{id}/stewards",
					"HTTP 404 Not Found: Cannot GET",
					"removed from the published Marketplace API",
					"review_flow approvers of immuta_request_form and immuta_data_product",
					"immuta_user, immuta_users and immuta_groups"),
			},
			{Config: providerConfig(acc)},
		},
	})
}

// A service that answers 405 for the route says the same.
func TestAccDomainStewardsDataSource_methodNotAllowed(t *testing.T) {
	srv := olderDeployment(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = io.WriteString(w, `{"message":"Method Not Allowed","statusCode":405}`)
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: srv.config + fmt.Sprintf(`
data "immuta_domain_stewards" "x" {
  domain_id = %q
}
`, nasDomainID),
			ExpectError: errorPattern("Domain Stewards Endpoint Not Available", "HTTP 405", "review_flow"),
		}},
	})
}

// An older deployment that still serves the endpoint is read as before,
// with the deprecation warning.
func TestAccDomainStewardsDataSource_olderDeployment(t *testing.T) {
	const answer = `{"users":[` +
		`{"id":2,"iamId":"bim","globalUserId":"FA925E85-757E-54C1-8486-9BFA3CBCD758","username":"steward.sales","name":"Sam Steward","email":null},` +
		`{"id":1,"iamId":"bim","globalUserId":"44509dec-9b50-50fd-af68-e366e731fcf4","username":"governor","name":"Grace Hopper","email":"grace@example.com"}]}`
	srv := olderDeployment(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !strings.Contains(r.URL.Path, nasDomainID) {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"message":"Domain not found.","error":"Not Found","statusCode":404}`)
			return
		}
		_, _ = io.WriteString(w, answer)
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: srv.config + fmt.Sprintf(`
data "immuta_domain_stewards" "sales" {
  domain_id = %q
}
`, nasDomainID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.immuta_domain_stewards.sales", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"username": knownvalue.StringExact("governor"), "email": knownvalue.StringExact("grace@example.com")}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"username": knownvalue.StringExact("steward.sales"), "email": knownvalue.StringExact(""),
							"global_user_id": knownvalue.StringExact("fa925e85-757e-54c1-8486-9bfa3cbcd758")}),
					})),
					statecheck.ExpectKnownValue("data.immuta_domain_stewards.sales", tfjsonpath.New("global_user_ids"), knownvalue.SetSizeExact(2)),
				},
			},
			{
				Config: srv.config + fmt.Sprintf(`
data "immuta_domain_stewards" "x" {
  domain_id = %q
}
`, unknownUUID),
				ExpectError: errorPattern("Domain Not Found", "No domain has id "+unknownUUID),
			},
		},
	})
}

func TestAccDomainStewardsDataSource_badInput(t *testing.T) {
	acc := newAccTarget(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(acc) + `
data "immuta_domain_stewards" "x" {
  domain_id = "finance"
}
`,
				ExpectError: errorPattern("Attribute domain_id must be a UUID"),
			},
			{Config: providerConfig(acc)},
		},
	})
	if acc.srv != nil {
		noRequestMentions(t, acc.srv, "/finance")
	}
}

// deployment is an emulator behind a server that answers the stewards
// route itself, as a deployment older than the published API may.
type deployment struct {
	config string
}

func olderDeployment(t *testing.T, stewards http.HandlerFunc) deployment {
	t.Helper()
	emulator := marketplacetest.New(marketplacetest.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/stewards") && strings.HasPrefix(r.URL.Path, marketplacetest.BasePath+"/api/metadata/domain/") {
			stewards(w, r)
			return
		}
		emulator.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return deployment{config: fmt.Sprintf(`
provider "immuta" {
  endpoint = %q
  token    = %q
}
`, srv.URL+marketplacetest.BasePath, emulator.Token())}
}
