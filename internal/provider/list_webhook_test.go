package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

func TestAccWebhook_identity(t *testing.T) {
	acc := newWebhookTarget(t)
	testIdentityImport(t, "immuta_webhook.test", providerConfig(acc)+`
resource "immuta_webhook" "test" {
  url = "https://hooks.example.com/`+randomName("identity")+`"
}
`, "")
}

// seedWebhooks makes webhooks as an application admin would in the app.
func seedWebhooks(t *testing.T, srv *marketplacetest.TestServer, urls ...string) []string {
	t.Helper()
	var ids []string
	for _, u := range urls {
		h, err := srv.SeedWebhook(marketplacetest.Webhook{URL: u, SigningKey: "made-in-the-app"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, h.ID)
	}
	return ids
}

// TestAccWebhookList lists webhooks, all of them and by part of the URL.
func TestAccWebhookList(t *testing.T) {
	srv := newWebhookEmulator(t, "seeds objects")
	ids := seedWebhooks(t, srv, "https://hooks.example.com/sales", "https://hooks.example.com/finance", "https://chat.example.org/marketplace")
	finance := map[string]knownvalue.Check{"id": knownvalue.StringExact(ids[1])}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   queryVersion,
		Steps: []resource.TestStep{
			{Config: providerConfig(srv)},
			{
				Query: true,
				// The provider block is the earlier step's.
				Config: `
list "immuta_webhook" "all" {
  provider = immuta
}

list "immuta_webhook" "finance" {
  provider         = immuta
  include_resource = true
  config {
    url_contains = "/finance"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("immuta_webhook.all", 3),
					querycheck.ExpectLength("immuta_webhook.finance", 1),
					querycheck.ExpectIdentity("immuta_webhook.finance", finance),
					querycheck.ExpectResourceDisplayName("immuta_webhook.finance", queryfilter.ByResourceIdentity(finance),
						knownvalue.StringExact("https://hooks.example.com/finance")),
					querycheck.ExpectResourceKnownValues("immuta_webhook.finance", queryfilter.ByResourceIdentity(finance),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("url"), KnownValue: knownvalue.StringExact("https://hooks.example.com/finance")},
							{Path: tfjsonpath.New("signing_key_wo"), KnownValue: knownvalue.Null()},
						}),
				},
			},
		},
	})
}

// TestAccQueryAdoptWebhooks adopts webhooks made in the app with
// terraform query: the generated configuration sets no signing key, and
// plans clean.
func TestAccQueryAdoptWebhooks(t *testing.T) {
	testAccPreCheck(t)
	r := newCLIRunner(t, providerFactories(0)["immuta"])
	r.skipBelowCLI(tfversion.Version1_14_0)
	srv := newWebhookEmulator(t, "seeds objects")
	seedWebhooks(t, srv, "https://hooks.example.com/a?x=1&y=${2}", "https://hooks.example.com/b")
	adoptWithQuery(t, r, srv, `
list "immuta_webhook" "all" {
  provider         = immuta
  include_resource = true
}
`, 2)
}
