package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

func TestAccRequestFormDataSource(t *testing.T) {
	srv := requireEmulator(t, "seeds objects")
	agreementID := mustSeedAgreement(t, srv)
	seeded, err := srv.SeedRequestForm(uiForm(agreementID))
	if err != nil {
		t.Fatal(err)
	}
	longer := uiForm(agreementID)
	longer.Name = "Made in the app (copy)"
	longer.Policy.Rules = []marketplacetest.PolicyRule{{
		Conditions: json.RawMessage(`{"all":[{"fact":"answers.Why?","operator":"equal","value":"audit"}]}`),
		Event:      marketplacetest.PolicyEvent{Type: marketplacetest.EventApprove, Params: &marketplacetest.EventParams{Comment: "Audits."}},
	}}
	withRules, err := srv.SeedRequestForm(longer)
	if err != nil {
		t.Fatal(err)
	}
	const byName, byID, std, rules, sameRun = "data.immuta_request_form.by_name", "data.immuta_request_form.by_id",
		"data.immuta_request_form.standard", "data.immuta_request_form.rules", "data.immuta_request_form.same_run"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// By exact name ("Made in the app" must not match its longer
				// namesake), by id, the built-in form by its id, and one made
				// in the same configuration.
				Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_request_form" "by_name" {
  name = "Made in the app"
}

data "immuta_request_form" "by_id" {
  id = %q
}

data "immuta_request_form" "standard" {
  id = %q
}

data "immuta_request_form" "rules" {
  name = %q
}

resource "immuta_request_form" "new" {
  name = "Made here"
  field {
    type  = "SHORT_ANSWER"
    label = "Why?"
  }
  review_flow = {
    delegate_to_data_product = true
  }
}

data "immuta_request_form" "same_run" {
  name = immuta_request_form.new.name
}
`, seeded.ID, marketplacetest.StandardRequestFormID, withRules.Name),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("id"), knownvalue.StringExact(seeded.ID)),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("field"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id": knownvalue.StringExact(seeded.Fields[0].ID), "type": knownvalue.StringExact("ACCESS_DURATION"),
							"label": knownvalue.StringExact(marketplace.AccessDurationLabel), "required": knownvalue.Bool(true),
							"options": knownvalue.Null(),
						}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id": knownvalue.StringExact(seeded.Fields[1].ID), "type": knownvalue.StringExact("CHECKBOXES"),
							"label": knownvalue.StringExact("Which regions?"), "required": knownvalue.Bool(false),
							"options": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("EU"), knownvalue.StringExact("US")}),
						}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id": knownvalue.StringExact(seeded.Fields[2].ID), "type": knownvalue.StringExact("SHORT_ANSWER"),
							"label": knownvalue.StringExact("Why?"), "required": knownvalue.Bool(true),
							"options": knownvalue.Null(),
						}),
					})),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("review_flow").AtMapKey("review").AtMapKey("stages"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"approval_mode": knownvalue.StringExact("all"),
							"attributes": knownvalue.SetExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
								"key": knownvalue.StringExact("Clearance"), "value": knownvalue.StringExact("Confidential"),
							})}),
							"domain_permissions": knownvalue.SetExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
								"permission": knownvalue.StringExact("Manage Data Products"), "domain_id": knownvalue.Null(),
							})}),
							"user_ids": knownvalue.Null(), "groups": knownvalue.Null(), "permissions": knownvalue.Null(), "catalog_permission": knownvalue.Null(),
						}),
					})),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("policy_json"), knownvalue.StringRegexp(regexp.MustCompile(`"type":"review"`))),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("data_use_agreement_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(agreementID)})),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("version"), knownvalue.StringExact(seeded.Version)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("name"), knownvalue.StringExact("Made in the app")),
					statecheck.ExpectKnownValue(std, tfjsonpath.New("name"), knownvalue.StringExact(marketplacetest.StandardRequestFormName)),
					statecheck.ExpectKnownValue(std, tfjsonpath.New("review_flow").AtMapKey("auto_approve").AtMapKey("reason"), knownvalue.NotNull()),
					// Rules: no typed form, only JSON.
					statecheck.ExpectKnownValue(rules, tfjsonpath.New("review_flow"), knownvalue.Null()),
					statecheck.ExpectKnownValue(rules, tfjsonpath.New("policy_json"), knownvalue.StringRegexp(regexp.MustCompile(`"answers.Why\?"`))),
					statecheck.ExpectKnownValue(sameRun, tfjsonpath.New("review_flow").AtMapKey("delegate_to_data_product"), knownvalue.Bool(true)),
					statecheck.CompareValuePairs(sameRun, tfjsonpath.New("id"), "immuta_request_form.new", tfjsonpath.New("id"), compareSame),
				},
			},
		},
	})
}

func TestAccRequestFormDataSource_errors(t *testing.T) {
	srv := requireEmulator(t, "seeds objects")
	if _, err := srv.SeedRequestForm(uiForm(mustSeedAgreement(t, srv))); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + `
data "immuta_request_form" "missing" {
  name = "made in the app"
}
`,
				ExpectError: errorPattern(`No request form is named exactly "made in the app"`),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_request_form" "missing" {
  id = "123e4567-e89b-12d3-a456-426614174000"
}
`,
				ExpectError: errorPattern("HTTP 404", "Request form 123e4567-e89b-12d3-a456-426614174000 not found."),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_request_form" "both" {
  id   = "123e4567-e89b-12d3-a456-426614174000"
  name = "x"
}
`,
				ExpectError: errorPattern("Invalid Attribute Combination"),
			},
			{
				Config: providerConfig(srv) + `
data "immuta_request_form" "bad" {
  id = "Standard Request Form"
}
`,
				ExpectError: errorPattern("must be a lower-case UUID"),
			},
			// The last configuration is also what the harness destroys with.
			{Config: providerConfig(srv)},
		},
	})
}

// The service makes names unique, so an ambiguous name cannot be set up
// in the emulator; the lookup's answer to one is checked here.
func TestPickRequestFormByName(t *testing.T) {
	id, diags := pickRequestFormByName([]marketplace.ObjectRef{{ID: "a", Name: "X"}}, "X")
	if id != "a" || diags.HasError() {
		t.Errorf("one match: %q, %v", id, diags)
	}
	_, diags = pickRequestFormByName([]marketplace.ObjectRef{{ID: "a", Name: "X"}, {ID: "b", Name: "X"}}, "X")
	if !diags.HasError() || !regexp.MustCompile(`2 objects of kind request form are named "X": "X" \(a\), "X" \(b\)`).MatchString(diags[0].Detail()) {
		t.Errorf("two matches: %v", diags)
	}
	_, diags = pickRequestFormByName(nil, "X")
	if !diags.HasError() || diags[0].Summary() != "Request Form Not Found" {
		t.Errorf("no match: %v", diags)
	}
}
