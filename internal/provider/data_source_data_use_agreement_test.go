package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccDataUseAgreementDataSource(t *testing.T) {
	srv := requireEmulator(t, "seeds objects")
	seeded, err := srv.SeedDataUseAgreement("Default Data Use Agreement", "I will use this data responsibly.")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.SeedDataUseAgreement("Default Data Use Agreement (EU)", "GDPR applies."); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// By exact name: "Default Data Use Agreement" must not match its
				// longer namesake; by id; and one made in the same configuration.
				Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_data_use_agreement" "by_name" {
  name = "Default Data Use Agreement"
}

data "immuta_data_use_agreement" "by_id" {
  id = %q
}

resource "immuta_data_use_agreement" "new" {
  name = "Made here"
  body = "Same run."
}

data "immuta_data_use_agreement" "same_run" {
  name = immuta_data_use_agreement.new.name
}
`, seeded.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.immuta_data_use_agreement.by_name", tfjsonpath.New("id"), knownvalue.StringExact(seeded.ID)),
					statecheck.ExpectKnownValue("data.immuta_data_use_agreement.by_name", tfjsonpath.New("body"), knownvalue.StringExact("I will use this data responsibly.")),
					statecheck.ExpectKnownValue("data.immuta_data_use_agreement.by_id", tfjsonpath.New("name"), knownvalue.StringExact("Default Data Use Agreement")),
					statecheck.ExpectKnownValue("data.immuta_data_use_agreement.by_id", tfjsonpath.New("created_by"), knownvalue.StringExact(seeded.CreatedBy.GlobalUserID)),
					statecheck.CompareValuePairs("data.immuta_data_use_agreement.same_run", tfjsonpath.New("id"),
						"immuta_data_use_agreement.new", tfjsonpath.New("id"), compareSame),
				},
			},
		},
	})
}

func TestAccDataUseAgreementDataSource_errors(t *testing.T) {
	srv := requireEmulator(t, "seeds objects")
	if _, err := srv.SeedDataUseAgreement("Default Data Use Agreement", "I will use this data responsibly."); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + `
data "immuta_data_use_agreement" "missing" {
  name = "default data use agreement"
}
`,
				ExpectError: errorPattern(`No data use agreement is named exactly "default data use agreement"`),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_data_use_agreement" "both" {
  id   = "123e4567-e89b-12d3-a456-426614174000"
  name = "x"
}
`,
				ExpectError: errorPattern("Invalid Attribute Combination"),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_data_use_agreement" "bad" {
  id = "not-a-uuid"
}
`,
				ExpectError: errorPattern("must be a UUID"),
			},
			// The last configuration is also what the harness destroys with.
			{Config: providerConfig(srv)},
		},
	})
}
