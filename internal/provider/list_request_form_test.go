package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

func TestAccRequestForm_identity(t *testing.T) {
	acc := newAccTarget(t)
	testIdentityImport(t, formAddr, formConfig(acc, `  name = "`+randomName("identity")+`"`+fieldPurpose+flowAutoApprove), "")
}

// TestAccRequestFormList lists the forms made in the app, but never the
// built-in Standard Request Form, which cannot be managed.
func TestAccRequestFormList(t *testing.T) {
	srv := requireEmulator(t, "seeds objects")
	var ids []string
	for _, name := range []string{"Sales access", "Finance access"} {
		f, err := srv.SeedRequestForm(marketplacetest.RequestForm{
			Name:   name,
			Fields: []marketplacetest.FormField{{Type: marketplacetest.FieldShortAnswer, Label: "Why?"}},
			Policy: marketplacetest.Policy{Version: "1", DefaultEvent: marketplacetest.PolicyEvent{
				Type: marketplacetest.EventApprove, Params: &marketplacetest.EventParams{Comment: "Open."},
			}},
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, f.ID)
	}
	sales := map[string]knownvalue.Check{"id": knownvalue.StringExact(ids[0])}
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
list "immuta_request_form" "all" {
  provider = immuta
}

list "immuta_request_form" "sales" {
  provider         = immuta
  include_resource = true
  config {
    name = "SALES"
  }
}

list "immuta_request_form" "standard" {
  provider = immuta
  config {
    exact_name = "` + marketplace.StandardRequestFormName + `"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("immuta_request_form.all", 2),
					querycheck.ExpectLength("immuta_request_form.sales", 1),
					querycheck.ExpectLength("immuta_request_form.standard", 0),
					querycheck.ExpectIdentity("immuta_request_form.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(ids[1])}),
					querycheck.ExpectResourceDisplayName("immuta_request_form.sales", queryfilter.ByResourceIdentity(sales), knownvalue.StringExact("Sales access")),
					querycheck.ExpectResourceKnownValues("immuta_request_form.sales", queryfilter.ByResourceIdentity(sales),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("Sales access")},
							{Path: tfjsonpath.New("field").AtSliceIndex(0).AtMapKey("label"), KnownValue: knownvalue.StringExact("Why?")},
							{Path: tfjsonpath.New("review_flow").AtMapKey("auto_approve").AtMapKey("reason"), KnownValue: knownvalue.StringExact("Open.")},
						}),
				},
			},
		},
	})
}
