package provider

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The documentation examples of the metadata data sources run as they
// are against the emulator's default fixture, and find what they say.
func TestAccMetadataDataSourceExamples(t *testing.T) {
	srv := newEmulator(t)
	var steps []resource.TestStep
	for _, example := range []struct {
		dataSource, output string
		want               knownvalue.Check
	}{
		{"immuta_domain", "sales_domain_id", knownvalue.StringExact(nasDomainID)},
		{"immuta_domains", "sales_domain_ids", knownvalue.SetSizeExact(3)},
		{"immuta_domain_data_sources", "web_sales_id", knownvalue.StringExact("101")},
		{"immuta_domain_stewards", "eligible_stewards", knownvalue.MapSizeExact(4)},
		{"immuta_user", "steward_global_user_id", knownvalue.StringExact(stewardSalesID)},
		{"immuta_users", "eu_global_user_ids", knownvalue.SetSizeExact(3)},
		{"immuta_groups", "analyst_group_ids", knownvalue.SetSizeExact(3)},
	} {
		config, err := os.ReadFile(filepath.Join("..", "..", "examples", "data-sources", example.dataSource, "data-source.tf"))
		if err != nil {
			t.Fatal(err)
		}
		steps = append(steps, resource.TestStep{
			Config:            providerConfig(srv) + string(config),
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue(example.output, example.want)},
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
