package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The documentation examples of the metadata data sources run as they
// are against the emulator's default fixture, and find what they say.
func TestAccMetadataDataSourceExamples(t *testing.T) {
	srv := requireEmulator(t, "the examples name the default fixture's objects")
	var steps []resource.TestStep
	for _, example := range []struct {
		dataSource, output string
		want               knownvalue.Check
		wantErr            *regexp.Regexp
	}{
		{"immuta_domain", "sales_domain_id", knownvalue.StringExact(nasDomainID), nil},
		{"immuta_domains", "sales_domain_ids", knownvalue.SetSizeExact(3), nil},
		{"immuta_domain_data_sources", "web_sales_id", knownvalue.StringExact("101"), nil},
		{"immuta_domain_data_sources", "picked_names", knownvalue.ListExact([]knownvalue.Check{
			knownvalue.StringExact("Customer Accounts"), knownvalue.StringExact("Web Sales 2024"),
		}), nil},
		// The published API has no stewards endpoint, and the emulator
		// serves none: the example documents the error.
		{"immuta_domain_stewards", "", nil, errorPattern("Domain Stewards Endpoint Not Available", "review_flow")},
		{"immuta_user", "steward_global_user_id", knownvalue.StringExact(stewardSalesID), nil},
		{"immuta_users", "eu_global_user_ids", knownvalue.SetSizeExact(3), nil},
		{"immuta_groups", "analyst_group_ids", knownvalue.SetSizeExact(3), nil},
	} {
		config, err := os.ReadFile(filepath.Join("..", "..", "examples", "data-sources", example.dataSource, "data-source.tf"))
		if err != nil {
			t.Fatal(err)
		}
		step := resource.TestStep{Config: providerConfig(srv) + string(config), ExpectError: example.wantErr}
		if example.wantErr == nil {
			step.ConfigStateChecks = []statecheck.StateCheck{statecheck.ExpectKnownOutputValue(example.output, example.want)}
		}
		steps = append(steps, step)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
