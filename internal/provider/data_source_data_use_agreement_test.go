package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccDataUseAgreementDataSource(t *testing.T) {
	acc := newAccTarget(t)
	base := randomName("dua") + " Default Data Use Agreement"
	seeded := acc.seedAgreement(t, base, "I will use this data responsibly.")
	acc.seedAgreement(t, base+" (EU)", "GDPR applies.")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// By exact name: "Default Data Use Agreement" must not match its
				// longer namesake; by id; and one made in the same configuration.
				Config: providerConfig(acc) + fmt.Sprintf(`
data "immuta_data_use_agreement" "by_name" {
  name = %q
}

data "immuta_data_use_agreement" "by_id" {
  id = %q
}

resource "immuta_data_use_agreement" "new" {
  name = %q
  body = "Same run."
}

data "immuta_data_use_agreement" "same_run" {
  name = immuta_data_use_agreement.new.name
}
`, base, seeded.ID, randomName("dua")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.immuta_data_use_agreement.by_name", tfjsonpath.New("id"), knownvalue.StringExact(seeded.ID)),
					statecheck.ExpectKnownValue("data.immuta_data_use_agreement.by_name", tfjsonpath.New("body"), knownvalue.StringExact("I will use this data responsibly.")),
					statecheck.ExpectKnownValue("data.immuta_data_use_agreement.by_id", tfjsonpath.New("name"), knownvalue.StringExact(base)),
					statecheck.ExpectKnownValue("data.immuta_data_use_agreement.by_id", tfjsonpath.New("created_by"), knownvalue.StringExact(seeded.CreatedBy.GlobalUserID)),
					statecheck.CompareValuePairs("data.immuta_data_use_agreement.same_run", tfjsonpath.New("id"),
						"immuta_data_use_agreement.new", tfjsonpath.New("id"), compareSame),
				},
			},
		},
	})
}

func TestAccDataUseAgreementDataSource_errors(t *testing.T) {
	acc := newAccTarget(t)
	name := randomName("dua") + " Default Data Use Agreement"
	acc.seedAgreement(t, name, "I will use this data responsibly.")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(acc) + fmt.Sprintf(`
data "immuta_data_use_agreement" "missing" {
  name = %q
}
`, strings.ToLower(name)),
				ExpectError: errorPattern(`No data use agreement is named exactly "` + strings.ToLower(name) + `"`),
			},
			{
				Config: providerConfig(acc) + `
data "immuta_data_use_agreement" "both" {
  id   = "123e4567-e89b-12d3-a456-426614174000"
  name = "x"
}
`,
				ExpectError: errorPattern("Invalid Attribute Combination"),
			},
			{
				Config: providerConfig(acc) + `
data "immuta_data_use_agreement" "bad" {
  id = "not-a-uuid"
}
`,
				ExpectError: errorPattern("must be a UUID"),
			},
			// The last configuration is also what the harness destroys with.
			{Config: providerConfig(acc)},
		},
	})
}
