package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// formBlock is an immuta_request_form whose review flow is given.
func formBlock(name, label, reviewFlow string) string {
	return fmt.Sprintf(`
resource "immuta_request_form" %[1]q {
  name = %[1]q

  field {
    type     = "SHORT_ANSWER"
    label    = %[2]q
    required = true
  }

  review_flow = %[3]s
}
`, name, label, reviewFlow)
}

const delegateFlow = `{ delegate_to_data_product = true }`

// storedPolicies checks the product's policies in the emulator.
func storedPolicies(srv *marketplacetest.TestServer, check func(access, masking *marketplacetest.Policy) error) resource.TestCheckFunc {
	return checkProductStored(srv, func(p marketplacetest.DataProduct) error {
		return check(p.DataAccessPolicy, p.MaskingExceptionPolicy)
	})
}

func TestAccDataProduct_reviewFlow(t *testing.T) {
	srv := newEmulator(t)
	forms := formBlock("delegating", "Why?", delegateFlow) + formBlock("deciding", "Why?", `{ auto_approve = { reason = "Open to all" } }`)
	product := func(formRef, policy string) string {
		cfg := productConfig{Name: "Reviewed", Domains: []string{nasDomainID}, FormID: "ref:" + formRef,
			DeletionProtection: boolPtr(false), Extra: policy}
		return providerConfig(srv) + forms + cfg.block()
	}
	autoApprove := product("immuta_request_form.delegating.id", `
  review_flow = {
    auto_approve = { reason = "Sales data is open to employees", duration = 30, duration_unit = "DAYS" }
  }
`)
	stewards := product("immuta_request_form.delegating.id", fmt.Sprintf(`
  review_flow = {
    review = { stages = [{ approval_mode = "any", user_ids = [%q], permissions = ["GOVERNANCE"] }] }
  }
`, stewardSalesID))
	withRules := product("immuta_request_form.delegating.id", fmt.Sprintf(`
  data_access_policy_json = jsonencode({
    version = "1"
    rules = [{
      conditions = { all = [{ fact = "purpose", operator = "equal", value = "audit" }] }
      event      = { type = "approve", params = { comment = "Auditors need no approval" } }
    }]
    defaultEvent = { type = "review", params = { stages = [{ all = [{ type = "USER", id = %q }] }] } }
  })
  masking_exception_policy_json = jsonencode({
    version      = "1"
    rules        = []
    defaultEvent = { type = "review", params = { stages = [{ any = [{ type = "PERMISSION", permission = "GOVERNANCE" }] }] } }
  })
`, stewardSalesID))
	plainForm := product("immuta_request_form.deciding.id", "")
	sameID := statecheck.CompareValue(compare.ValuesSame())
	var id string

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			// The form is created in the same apply; the product's review
			// flow goes in its POST.
			{
				Config: autoApprove,
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("review_flow").AtMapKey("auto_approve"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"reason": knownvalue.StringExact("Sales data is open to employees"), "duration": knownvalue.Int64Exact(30), "duration_unit": knownvalue.StringExact("DAYS"),
					})),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_access_policy_json"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(productAddr, &id),
					storedPolicies(srv, func(access, masking *marketplacetest.Policy) error {
						if access == nil || access.DefaultEvent.Type != marketplacetest.EventApprove || access.DefaultEvent.Params.Duration != 30 || masking != nil {
							return fmt.Errorf("stored policies %+v, %+v", access, masking)
						}
						return nil
					}),
					func(*terraform.State) error {
						posts := requestsTo(srv.Requests(), "POST", "/api/data-product")
						if len(posts) != 1 || !json.Valid(posts[0].Body) || !containsJSONKey(posts[0].Body, "dataAccessPolicy") {
							return fmt.Errorf("the review flow did not go in the POST: %+v", posts)
						}
						return nil
					},
				),
			},
			// Another typed flow, in place.
			{
				Config: stewards,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("review_flow").AtMapKey("review").AtMapKey("stages").AtSliceIndex(0).AtMapKey("user_ids"), stringSet(stewardSalesID)),
				},
				Check: storedPolicies(srv, func(access, _ *marketplacetest.Policy) error {
					if access == nil || access.DefaultEvent.Type != marketplacetest.EventReview || len(access.DefaultEvent.Params.Stages) != 1 || len(access.DefaultEvent.Params.Stages[0].Any) != 2 {
						return fmt.Errorf("stored %+v", access)
					}
					return nil
				}),
			},
			// The JSON escape hatch, with rules, and a masking exception flow.
			{
				Config: withRules,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("review_flow"), knownvalue.Null()),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_access_policy_json"), knownvalue.NotNull()),
				},
				Check: storedPolicies(srv, func(access, masking *marketplacetest.Policy) error {
					if access == nil || len(access.Rules) != 1 || masking == nil || len(masking.DefaultEvent.Params.Stages) != 1 || masking.DefaultEvent.Params.Stages[0].Any == nil {
						return fmt.Errorf("stored %+v, %+v", access, masking)
					}
					return nil
				}),
			},
			// Import: the service spells the JSON its own way (compared as
			// text here); an import block shows the documents mean the same.
			{ResourceName: productAddr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"deletion_protection", "data_access_policy_json", "masking_exception_policy_json"}},
			{
				// An imported product is protected, as the default says.
				Config:          strings.Replace(withRules, "deletion_protection = false\n", "", 1),
				ResourceName:    productAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			// Drift: the review flow changed in the app.
			{
				PreConfig: func() {
					if err := srv.UpdateDataProduct(id, func(p *marketplacetest.DataProduct) {
						p.DataAccessPolicy.Rules = nil
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: withRules,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				Check: storedPolicies(srv, func(access, _ *marketplacetest.Policy) error {
					if access == nil || len(access.Rules) != 1 {
						return fmt.Errorf("the drift was not corrected: %+v", access)
					}
					return nil
				}),
			},
			// Moving to a form that decides itself drops the product's flow.
			{
				Config: plainForm,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("masking_exception_policy_json"), knownvalue.Null()),
				},
				Check: storedPolicies(srv, func(access, masking *marketplacetest.Policy) error {
					if access != nil || masking != nil {
						return fmt.Errorf("the product kept its policies: %+v, %+v", access, masking)
					}
					return nil
				}),
			},
		},
	})
}

func containsJSONKey(body []byte, key string) bool {
	var obj map[string]json.RawMessage
	return json.Unmarshal(body, &obj) == nil && obj[key] != nil
}

func TestAccDataProduct_reviewFlowMustSuitForm(t *testing.T) {
	srv := newEmulator(t)
	delegating := seedRequestForm(t, srv, true)
	deciding := seedRequestForm(t, srv, false)
	flow := `
  review_flow = {
    auto_approve = { reason = "Open" }
  }
`
	cases := []struct {
		formID, extra string
		want          string
	}{
		{deciding, flow, "Request Form Decides Requests Itself"},
		{deciding, "  masking_exception_policy_json = jsonencode({ rules = [], defaultEvent = { type = \"approve\", params = { comment = \"ok\" } } })\n", "masking_exception_policy_json"},
		{delegating, "", "Data Product Needs a Review Flow"},
		{unknownUUID, "", "No request form has the id " + unknownUUID},
	}
	steps := make([]resource.TestStep, 0, len(cases)+1)
	for _, c := range cases {
		cfg := productConfig{Name: "p", Domains: []string{nasDomainID}, FormID: c.formID, DeletionProtection: boolPtr(false), Extra: c.extra}
		steps = append(steps, resource.TestStep{Config: cfg.config(srv), PlanOnly: true, ExpectError: errorPattern(c.want)})
	}
	// Both the typed flow and the JSON: a plan-time conflict.
	both := productConfig{Name: "p", Domains: []string{nasDomainID}, FormID: delegating, DeletionProtection: boolPtr(false),
		Extra: flow + "  data_access_policy_json = jsonencode({ version = \"1\", defaultEvent = { type = \"approve\", params = { comment = \"ok\" } } })\n"}
	steps = append(steps, resource.TestStep{Config: both.config(srv), PlanOnly: true, ExpectError: errorPattern("Invalid Attribute Combination")})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
	if posts := requestsTo(srv.Requests(), "POST", "/api/data-product"); len(posts) != 0 {
		t.Errorf("%d POSTs for configurations refused at plan time", len(posts))
	}
}

// A request form that a data product still uses cannot be deleted; the
// error names the product.
func TestAccDataProduct_requestFormInUse(t *testing.T) {
	srv := newEmulator(t)
	form := formBlock("used", "Why?", `{ auto_approve = { reason = "Open" } }`)
	var formID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + form,
				Check: resource.TestCheckResourceAttrWith("immuta_request_form.used", "id", func(v string) error {
					formID = v
					return nil
				}),
			},
			{
				// A product published in the app uses the form.
				PreConfig: func() {
					if _, err := srv.SeedDataProduct(marketplacetest.DataProduct{Name: "Published in the app", Domains: []string{nasDomainID}, RequestFormID: formID}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      providerConfig(srv),
				ExpectError: errorPattern("HTTP 409 Conflict", `still used by data product "Published in the app"`, "another request_form_id"),
			},
			{
				// Once the product is gone, the form can go.
				PreConfig: func() {
					for _, p := range srv.DataProducts() {
						if err := srv.DeleteDataProduct(p.ID); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config: providerConfig(srv),
				Check: func(*terraform.State) error {
					if _, ok := srv.RequestForm(formID); ok {
						return fmt.Errorf("request form %s still exists", formID)
					}
					return nil
				},
			},
		},
	})
}
