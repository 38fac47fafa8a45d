package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

func TestAccDataProduct_identity(t *testing.T) {
	acc := newAccTarget(t)
	cfg := productConfig{Name: randomName("identity"), Domains: []string{acc.facts.DomainID}, Sources: []string{acc.facts.DataSourceID}, DeletionProtection: boolPtr(false)}
	// An imported product is protected, as the default configuration says.
	testIdentityImport(t, productAddr, cfg.config(acc), withDeletionProtection(cfg, nil).config(acc))
}

// TestAccDataProductList lists products by a substring of the name and
// by domain, following the service's pages to the end.
func TestAccDataProductList(t *testing.T) {
	srv := requireEmulator(t, "seeds objects")
	const products = 120 // more than one page of 100
	var firstFinance string
	for i := range products {
		domain := nasDomainID
		if i%3 == 0 {
			domain = financeDomainID
		}
		p, err := srv.SeedDataProduct(marketplacetest.DataProduct{Name: fmt.Sprintf("Listed %02d", i), Domains: []string{domain}})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			firstFinance = p.ID
		}
	}
	finance := map[string]knownvalue.Check{"id": knownvalue.StringExact(firstFinance)}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   queryVersion,
		Steps: []resource.TestStep{
			{Config: providerConfig(srv)},
			{
				Query: true,
				// The provider block is the earlier step's.
				Config: fmt.Sprintf(`
list "immuta_data_product" "all" {
  provider = immuta
  limit    = 1000 # Terraform's default is 100
}

list "immuta_data_product" "finance" {
  provider = immuta
  config {
    domain_id = %q
  }
}

list "immuta_data_product" "one" {
  provider         = immuta
  include_resource = true
  config {
    name      = "listed 00"
    domain_id = %[1]q
  }
}
`, financeDomainID),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("immuta_data_product.all", products),
					querycheck.ExpectLength("immuta_data_product.finance", products/3),
					querycheck.ExpectLength("immuta_data_product.one", 1),
					querycheck.ExpectIdentity("immuta_data_product.one", finance),
					querycheck.ExpectResourceDisplayName("immuta_data_product.one", queryfilter.ByResourceIdentity(finance), knownvalue.StringExact("Listed 00")),
					querycheck.ExpectResourceKnownValues("immuta_data_product.one", queryfilter.ByResourceIdentity(finance),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("domain_ids"), KnownValue: stringSet(financeDomainID)},
							{Path: tfjsonpath.New("deletion_protection"), KnownValue: knownvalue.Bool(true)},
						}),
				},
			},
		},
	})
}
