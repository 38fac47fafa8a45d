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

// storedFlows checks the product's own review flows in the emulator (nil
// for the service's default).
func storedFlows(srv *marketplacetest.TestServer, check func(access, masking json.RawMessage) error) resource.TestCheckFunc {
	return checkProductStored(srv, func(p marketplacetest.DataProduct) error {
		return check(p.DataAccessReviewFlow, p.MaskingExceptionReviewFlow)
	})
}

// flowEvent is a stored flow's default event type and its number of rules.
func flowEvent(raw json.RawMessage) (string, int) {
	var p struct {
		Rules        []json.RawMessage `json:"rules"`
		DefaultEvent struct {
			Type string `json:"type"`
		} `json:"defaultEvent"`
	}
	_ = json.Unmarshal(raw, &p)
	return p.DefaultEvent.Type, len(p.Rules)
}

// isDefaultFlow reports whether a stored flow is the service's default:
// never set, or set to the default document.
func isDefaultFlow(raw json.RawMessage) bool {
	return raw == nil || policiesEquivalent(raw, []byte(marketplacetest.DefaultProductReviewFlow), false)
}

// checkBodies checks that every data product POST and PUT body uses the
// contract's current names only.
func checkBodies(srv *marketplacetest.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, method := range []string{"POST", "PUT"} {
			for _, r := range requestsTo(srv.Requests(), method, "/api/data-product") {
				for _, key := range []string{"requestFormId", "dataAccessPolicy", "maskingExceptionPolicy"} {
					if containsJSONKey(r.Body, key) {
						return fmt.Errorf("%s %s sent the deprecated %s: %s", method, r.Path, key, r.Body)
					}
				}
			}
		}
		return nil
	}
}

func TestAccDataProduct_reviewFlows(t *testing.T) {
	srv := requireEmulator(t, "reads the request log, edits objects out of band, reads the emulator's objects")
	forms := formBlock("delegating", "Why?", delegateFlow) + formBlock("deciding", "Why?", `{ auto_approve = { reason = "Open to all" } }`)
	product := func(accessForm, flows string) string {
		cfg := productConfig{Name: "Reviewed", Domains: []string{nasDomainID}, FormID: "ref:" + accessForm,
			MaskingFormID: "ref:immuta_request_form.delegating.id", DeletionProtection: boolPtr(false), Extra: flows}
		return providerConfig(srv) + forms + cfg.block()
	}
	const delegating, deciding = "immuta_request_form.delegating.id", "immuta_request_form.deciding.id"
	typed := product(delegating, fmt.Sprintf(`
  data_access_review_flow = {
    auto_approve = { reason = "Sales data is open to employees", duration = 30, duration_unit = "DAYS" }
  }
  masking_exception_review_flow = {
    review = { stages = [
      { approval_mode = "all", user_ids = [%q] },
      { approval_mode = "any", permissions = ["GOVERNANCE"], domain_permissions = [{ permission = "Manage Data Products" }] },
    ] }
  }
`, stewardSalesID))
	withRules := product(delegating, fmt.Sprintf(`
  data_access_review_flow = {
    review = { stages = [{ approval_mode = "any", user_ids = [%q], permissions = ["GOVERNANCE"] }] }
  }
  masking_exception_review_flow_json = jsonencode({
    rules = [{
      conditions = { all = [{ fact = "purpose", operator = "equal", value = "audit" }] }
      event      = { type = "deny", params = { comment = "Auditors see masked data" } }
    }]
    defaultEvent = { type = "review", params = { stages = [{ any = [{ type = "PERMISSION", permission = "GOVERNANCE" }] }] } }
  })
`, stewardSalesID))
	noFlows := product(delegating, "")
	otherForm := product(deciding, "")
	sameID := statecheck.CompareValue(compare.ValuesSame())
	var id string

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			// The forms are created in the same apply; both flows go in the
			// product's POST, under their current names.
			{
				Config: typed,
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_access_review_flow").AtMapKey("auto_approve"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"reason": knownvalue.StringExact("Sales data is open to employees"), "duration": knownvalue.Int64Exact(30), "duration_unit": knownvalue.StringExact("DAYS"),
					})),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("masking_exception_review_flow").AtMapKey("review").AtMapKey("stages"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_access_review_flow_json"), knownvalue.Null()),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("masking_exception_review_flow_json"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(productAddr, &id),
					storedFlows(srv, func(access, masking json.RawMessage) error {
						if ev, _ := flowEvent(access); ev != "approve" {
							return fmt.Errorf("stored data access flow %s", access)
						}
						if ev, _ := flowEvent(masking); ev != "review" {
							return fmt.Errorf("stored masking exception flow %s", masking)
						}
						return nil
					}),
					func(*terraform.State) error {
						posts := requestsTo(srv.Requests(), "POST", "/api/data-product")
						if len(posts) != 1 || !containsJSONKey(posts[0].Body, "dataAccessReviewFlow") || !containsJSONKey(posts[0].Body, "maskingExceptionReviewFlow") {
							return fmt.Errorf("the review flows did not go in the POST: %+v", posts)
						}
						return nil
					},
					checkBodies(srv),
				),
			},
			// Other flows, in place: typed review, JSON with rules.
			{
				Config: withRules,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_access_review_flow").AtMapKey("review").AtMapKey("stages").AtSliceIndex(0).AtMapKey("user_ids"), stringSet(stewardSalesID)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("masking_exception_review_flow"), knownvalue.Null()),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("masking_exception_review_flow_json"), knownvalue.NotNull()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					storedFlows(srv, func(access, masking json.RawMessage) error {
						if ev, _ := flowEvent(access); ev != "review" {
							return fmt.Errorf("stored data access flow %s", access)
						}
						if ev, rules := flowEvent(masking); ev != "review" || rules != 1 {
							return fmt.Errorf("stored masking exception flow %s", masking)
						}
						return nil
					}),
					checkBodies(srv),
				),
			},
			// Import: the service spells the JSON its own way (compared as
			// text here); an import block shows the documents mean the same.
			{ResourceName: productAddr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"deletion_protection", "masking_exception_review_flow_json"}},
			{
				// An imported product is protected, as the default says.
				Config:          strings.Replace(withRules, "deletion_protection = false\n", "", 1),
				ResourceName:    productAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			// Drift: a flow changed in the app shows, and the apply restores it.
			{
				PreConfig: func() {
					if err := srv.UpdateDataProduct(id, func(p *marketplacetest.DataProduct) {
						p.MaskingExceptionReviewFlow = json.RawMessage(`{"rules":[],"defaultEvent":{"type":"approve","params":{}}}`)
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: withRules,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				Check: storedFlows(srv, func(_, masking json.RawMessage) error {
					if _, rules := flowEvent(masking); rules != 1 {
						return fmt.Errorf("the drift was not corrected: %s", masking)
					}
					return nil
				}),
			},
			// The flows left out: the default is sent back, and reads as
			// null (the automatic second plan is empty).
			{
				PreConfig: srv.ResetRequests,
				Config:    noFlows,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_access_review_flow"), knownvalue.Null()),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("masking_exception_review_flow_json"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					storedFlows(srv, func(access, masking json.RawMessage) error {
						if !isDefaultFlow(access) || !isDefaultFlow(masking) {
							return fmt.Errorf("stored %s, %s; want the default", access, masking)
						}
						return nil
					}),
					checkBodies(srv),
				),
			},
			// Drift from the default: a flow set in the app shows, and the
			// apply puts the default back.
			{
				PreConfig: func() {
					if err := srv.UpdateDataProduct(id, func(p *marketplacetest.DataProduct) {
						p.DataAccessReviewFlow = json.RawMessage(`{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"Set in the app"}}}`)
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: noFlows,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_access_review_flow"), knownvalue.Null()),
					},
				},
				Check: storedFlows(srv, func(access, _ json.RawMessage) error {
					if !isDefaultFlow(access) {
						return fmt.Errorf("the default was not restored: %s", access)
					}
					return nil
				}),
			},
			// Another form for data access requests: in place, same id.
			{
				Config: otherForm,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.CompareValuePairs(productAddr, tfjsonpath.New("data_access_request_form_id"),
						"immuta_request_form.deciding", tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.CompareValuePairs(productAddr, tfjsonpath.New("masking_exception_request_form_id"),
						"immuta_request_form.delegating", tfjsonpath.New("id"), compare.ValuesSame()),
				},
			},
		},
	})
}

func containsJSONKey(body []byte, key string) bool {
	var obj map[string]json.RawMessage
	return json.Unmarshal(body, &obj) == nil && obj[key] != nil
}

// Plan-time checks of forms and flows: an unknown form is an error naming
// the attribute; a flow its form will not use, and a delegating form
// without a flow, are warnings naming the attribute.
func TestAccDataProduct_reviewFlowPlanChecks(t *testing.T) {
	srv := requireEmulator(t, "reads the request log, seeds objects")
	delegating := seedRequestForm(t, srv, true)
	deciding := seedRequestForm(t, srv, false)
	flow := `
  data_access_review_flow = {
    auto_approve = { reason = "Open" }
  }
`
	cases := []struct {
		formID, maskingFormID, extra string
		want                         string
	}{
		{unknownUUID, "", "", "No request form has the id " + unknownUUID},
		{deciding, unknownUUID, "", "masking_exception_request_form_id"},
	}
	steps := make([]resource.TestStep, 0, len(cases)+2)
	for _, c := range cases {
		cfg := productConfig{Name: "p", Domains: []string{nasDomainID}, FormID: c.formID, MaskingFormID: c.maskingFormID, DeletionProtection: boolPtr(false), Extra: c.extra}
		steps = append(steps, resource.TestStep{Config: cfg.config(srv), PlanOnly: true, ExpectError: errorPattern(c.want)})
	}
	// Both the typed flow and the JSON: a plan-time conflict.
	both := productConfig{Name: "p", Domains: []string{nasDomainID}, FormID: delegating, DeletionProtection: boolPtr(false),
		Extra: flow + "  data_access_review_flow_json = jsonencode({ rules = [], defaultEvent = { type = \"approve\", params = {} } })\n"}
	steps = append(steps, resource.TestStep{Config: both.config(srv), PlanOnly: true, ExpectError: errorPattern("Invalid Attribute Combination")})
	// A product's flow may not deny by default.
	denies := productConfig{Name: "p", Domains: []string{nasDomainID}, FormID: delegating, DeletionProtection: boolPtr(false),
		Extra: "  masking_exception_review_flow_json = jsonencode({ rules = [], defaultEvent = { type = \"deny\", params = {} } })\n"}
	steps = append(steps, resource.TestStep{Config: denies.config(srv), PlanOnly: true, ExpectError: errorPattern("masking_exception_review_flow_json")})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
	if posts := requestsTo(srv.Requests(), "POST", "/api/data-product"); len(posts) != 0 {
		t.Errorf("%d POSTs for configurations refused at plan time", len(posts))
	}

	// Warnings, as the CLI prints them; the plans succeed.
	r := newCLIRunner(t, providerFactories(0)["immuta"])
	for _, c := range []struct {
		formID, extra string
		want          []string
	}{
		{deciding, flow, []string{"Review Flow Has No Effect", "data_access_review_flow", "stored"}},
		{delegating, "", []string{"Default Review Flow Applies", "data_access_review_flow", "GOVERNANCE"}},
	} {
		cfg := productConfig{Name: "p", Domains: []string{nasDomainID}, FormID: c.formID, MaskingFormID: deciding, DeletionProtection: boolPtr(false), Extra: c.extra}
		r.writeConfig(cfg.config(srv))
		out := r.mustRun("plan", "-no-color", "-input=false")
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("plan with form %s and %q: output lacks %q:\n%s", c.formID, c.extra, w, out)
			}
		}
	}
}

// A request form that a data product still uses cannot be deleted; the
// error names the product.
func TestAccDataProduct_requestFormInUse(t *testing.T) {
	srv := requireEmulator(t, "seeds objects, edits objects out of band, reads the emulator's objects")
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
					if _, err := srv.SeedDataProduct(marketplacetest.DataProduct{Name: "Published in the app", Domains: []string{nasDomainID}, DataAccessRequestFormID: formID}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      providerConfig(srv),
				ExpectError: errorPattern("HTTP 409 Conflict", `still used by data product "Published in the app"`, "another"),
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
