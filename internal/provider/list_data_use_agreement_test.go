package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccDataUseAgreement_identity(t *testing.T) {
	acc := newAccTarget(t)
	testIdentityImport(t, "immuta_data_use_agreement.test", providerConfig(acc)+`
resource "immuta_data_use_agreement" "test" {
  name = "`+randomName("identity")+`"
  body = "Terms."
}
`, "")
}

// TestAccDataUseAgreementList lists agreements made in the app, all of
// them, by a substring of the name and by the exact name.
func TestAccDataUseAgreementList(t *testing.T) {
	srv := requireEmulator(t, "seeds objects")
	alpha, err := srv.SeedDataUseAgreement("Alpha terms", "Alpha body.")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"alpha TERMS, extended", "Beta"} {
		if _, err := srv.SeedDataUseAgreement(name, "Body of "+name+"."); err != nil {
			t.Fatal(err)
		}
	}
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
list "immuta_data_use_agreement" "all" {
  provider = immuta
}

list "immuta_data_use_agreement" "alpha" {
  provider         = immuta
  include_resource = true
  config {
    name = "alpha terms"
  }
}

list "immuta_data_use_agreement" "exact" {
  provider = immuta
  config {
    exact_name = "Alpha terms"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("immuta_data_use_agreement.all", 3),
					querycheck.ExpectLength("immuta_data_use_agreement.alpha", 2),
					querycheck.ExpectLength("immuta_data_use_agreement.exact", 1),
					querycheck.ExpectIdentity("immuta_data_use_agreement.exact", map[string]knownvalue.Check{"id": knownvalue.StringExact(alpha.ID)}),
					querycheck.ExpectResourceDisplayName("immuta_data_use_agreement.exact",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(alpha.ID)}), knownvalue.StringExact("Alpha terms")),
					querycheck.ExpectResourceKnownValues("immuta_data_use_agreement.alpha",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(alpha.ID)}),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("Alpha terms")},
							{Path: tfjsonpath.New("body"), KnownValue: knownvalue.StringExact("Alpha body.")},
						}),
				},
			},
		},
	})
}
