package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

const formAddr = "immuta_request_form.test"

// Fixture ids used by the tests (see marketplacetest/fixtures/default.json).
const (
	governorID = "44509dec-9b50-50fd-af68-e366e731fcf4"
	stewardID  = "fa925e85-757e-54c1-8486-9bfa3cbcd758"
)

// formConfig is a provider block plus an immuta_request_form "test" with
// the given body, and any extra configuration.
func formConfig(srv *marketplacetest.TestServer, body string, extra ...string) string {
	return providerConfig(srv) + strings.Join(extra, "\n") + `
resource "immuta_request_form" "test" {
` + body + `
}
`
}

const (
	fieldPurpose = `
  field {
    type     = "TEXT"
    label    = "Purpose"
    required = true
  }`
	fieldTeam = `
  field {
    type    = "DROPDOWN"
    label   = "Team"
    options = ["Sales", "Marketing"]
  }`
	fieldDuration = `
  field {
    type  = "ACCESS_DURATION"
    label = "How long do you need access?"
  }`
	flowAutoApprove = `
  review_flow = {
    auto_approve = {
      reason = "Open to every employee."
    }
  }`
)

// fieldIDs reads the question ids of a resource in state, by label.
func fieldIDs(s *terraform.State, addr string) (map[string]string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return nil, fmt.Errorf("%s is not in state", addr)
	}
	n, err := strconv.Atoi(rs.Primary.Attributes["field.#"])
	if err != nil {
		return nil, fmt.Errorf("%s has no field list", addr)
	}
	out := map[string]string{}
	for i := range n {
		out[rs.Primary.Attributes[fmt.Sprintf("field.%d.label", i)]] = rs.Primary.Attributes[fmt.Sprintf("field.%d.id", i)]
	}
	return out, nil
}

// captureFieldIDs saves the question ids by label.
func captureFieldIDs(addr string, into map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ids, err := fieldIDs(s, addr)
		if err != nil {
			return err
		}
		for label, id := range ids {
			if !uuidRegexp.MatchString(id) {
				return fmt.Errorf("question %q has id %q", label, id)
			}
			into[label] = id
		}
		return nil
	}
}

// checkFieldIDsKept checks that each question captured earlier still has
// its id, wherever it now is.
func checkFieldIDsKept(addr string, want map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ids, err := fieldIDs(s, addr)
		if err != nil {
			return err
		}
		for label, id := range want {
			if got, ok := ids[label]; ok && got != id {
				return fmt.Errorf("question %q has id %s, had %s", label, got, id)
			}
		}
		return nil
	}
}

// reorderStep applies config, which only reorders the questions, to
// labels in that order: an update in place in which every id is known in
// the plan and stays with its question, in state and in the service.
func reorderStep(srv *marketplacetest.TestServer, config string, ids map[string]string, labels ...string) resource.TestStep {
	planned := []plancheck.PlanCheck{plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionUpdate)}
	for i := range labels {
		planned = append(planned, plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(i).AtMapKey("id"), knownvalue.NotNull()))
	}
	return resource.TestStep{
		Config:           config,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: planned},
		Check: resource.ComposeAggregateTestCheckFunc(
			checkFieldIDsKept(formAddr, ids),
			checkStoredLabels(srv, labels...),
			checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
				for _, fld := range f.Fields {
					if want := ids[fld.Label]; fld.ID != want {
						return fmt.Errorf("stored question %q has id %s, had %s", fld.Label, fld.ID, want)
					}
				}
				return nil
			}),
		),
	}
}

// storedForm returns the one form the emulator holds besides the
// Standard Request Form.
func storedForm(srv *marketplacetest.TestServer) (marketplacetest.RequestForm, error) {
	var mine []marketplacetest.RequestForm
	for _, f := range srv.RequestForms() {
		if f.ID != marketplacetest.StandardRequestFormID {
			mine = append(mine, f)
		}
	}
	if len(mine) != 1 {
		return marketplacetest.RequestForm{}, fmt.Errorf("the emulator holds %d request forms, want 1", len(mine))
	}
	return mine[0], nil
}

// checkStoredForm runs check on the form the emulator holds.
func checkStoredForm(srv *marketplacetest.TestServer, check func(marketplacetest.RequestForm) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		f, err := storedForm(srv)
		if err != nil {
			return err
		}
		return check(f)
	}
}

// checkStoredLabels checks the order of the stored questions.
func checkStoredLabels(srv *marketplacetest.TestServer, labels ...string) resource.TestCheckFunc {
	return checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
		var got []string
		for _, fld := range f.Fields {
			got = append(got, fld.Label)
		}
		if strings.Join(got, "|") != strings.Join(labels, "|") {
			return fmt.Errorf("the stored questions are %q, want %q", got, labels)
		}
		return nil
	})
}

// checkNoForms is a CheckDestroy: only the Standard Request Form is left.
func checkNoForms(srv *marketplacetest.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if all := srv.RequestForms(); len(all) != 1 || all[0].ID != marketplacetest.StandardRequestFormID {
			return fmt.Errorf("the emulator still holds %d request forms after destroy", len(all)-1)
		}
		return nil
	}
}

func TestAccRequestForm_lifecycle(t *testing.T) {
	srv := newEmulator(t)
	name := randomName("form")
	renamed := name + "-renamed"
	sameID := statecheck.CompareValue(compare.ValuesSame())
	ids := map[string]string{}
	var id string
	agreement := `
resource "immuta_data_use_agreement" "terms" {
  name = "` + name + ` terms"
  body = "Use for analytics only."
}
`
	stewards := `
  review_flow = {
    require_approval = {
      approval_mode = "ANY"
      user_ids      = ["` + stewardID + `"]
      group_ids     = ["1"]
    }
  }
  data_use_agreement_ids = [immuta_data_use_agreement.terms.id]`
	step2 := formConfig(srv, `  name = "`+renamed+`"`+fieldTeam+fieldPurpose+fieldDuration+stewards, agreement)
	reordered := formConfig(srv, `  name = "`+renamed+`"`+fieldPurpose+fieldTeam+fieldDuration+stewards, agreement)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoForms(srv),
		Steps: []resource.TestStep{
			// Create.
			{
				Config: formConfig(srv, `  name = "`+name+`"`+fieldPurpose+fieldTeam+flowAutoApprove, agreement),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionCreate),
						// required defaults to false where it is not set.
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(1).AtMapKey("required"), knownvalue.Bool(false)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(formAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidRegexp)),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("version"), knownvalue.StringRegexp(uuidRegexp)),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("policy_json"), knownvalue.Null()),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("data_use_agreement_ids"), knownvalue.SetExact(nil)),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(1).AtMapKey("options"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("Sales"), knownvalue.StringExact("Marketing")})),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("created_by"), knownvalue.StringExact(governorID)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(formAddr, &id),
					captureFieldIDs(formAddr, ids),
					checkStoredLabels(srv, "Purpose", "Team"),
					checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
						if f.Policy.DefaultEvent.Type != "approve" || f.Policy.DefaultEvent.Params.Comment != "Open to every employee." {
							return fmt.Errorf("stored policy %+v", f.Policy)
						}
						return nil
					}),
				),
			},
			// Update in place: rename, reorder the questions, add one, ask
			// stewards, include an agreement. Ids stay.
			{
				Config: step2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
						plancheck.ExpectUnknownValue(formAddr, tfjsonpath.New("version")),
						// The reordered questions keep their ids in the plan already;
						// the new one gets its id from the service.
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(0).AtMapKey("id"), knownvalue.NotNull()),
						plancheck.ExpectUnknownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(2).AtMapKey("id")),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(2).AtMapKey("required"), knownvalue.Bool(true)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(formAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("name"), knownvalue.StringExact(renamed)),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(0).AtMapKey("label"), knownvalue.StringExact("Team")),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(0).AtMapKey("options"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(1).AtMapKey("required"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(1).AtMapKey("options"), knownvalue.Null()),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(2).AtMapKey("options"), knownvalue.Null()),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("data_use_agreement_ids"), knownvalue.SetSizeExact(1)),
					statecheck.CompareValuePairs(formAddr, tfjsonpath.New("data_use_agreement_ids").AtSliceIndex(0),
						"immuta_data_use_agreement.terms", tfjsonpath.New("id"), compareSame),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkFieldIDsKept(formAddr, ids),
					checkStoredLabels(srv, "Team", "Purpose", "How long do you need access?"),
					checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
						if f.Fields[0].ID != ids["Team"] || f.Fields[1].ID != ids["Purpose"] || !f.Fields[1].Required {
							return fmt.Errorf("stored questions %+v, want Team then Purpose with their ids", f.Fields)
						}
						p := f.Policy.DefaultEvent
						if p.Type != "requestApproval" || p.Params.ApprovalMode != "ANY" || len(p.Params.Approvers) != 2 {
							return fmt.Errorf("stored policy %+v", p)
						}
						return nil
					}),
					captureFieldIDs(formAddr, ids),
				),
			},
			// Reordering alone is an update that keeps every question's id,
			// in the plan already, and back again.
			reorderStep(srv, reordered, ids, "Purpose", "Team", "How long do you need access?"),
			reorderStep(srv, step2, ids, "Team", "Purpose", "How long do you need access?"),
			// Import by id, by "name:<name>" and by plain name; an import block plans no change.
			{ResourceName: formAddr, ImportState: true, ImportStateVerify: true},
			{ResourceName: formAddr, ImportState: true, ImportStateVerify: true, ImportStateId: "name:" + renamed},
			{ResourceName: formAddr, ImportState: true, ImportStateVerify: true, ImportStateId: renamed},
			{Config: step2, ResourceName: formAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
			// Drift in the review flow: an edit in the app shows as an update back.
			{
				PreConfig: func() {
					if err := srv.UpdateRequestForm(id, func(f *marketplacetest.RequestForm) {
						f.Policy.DefaultEvent.Params.ApprovalMode = marketplacetest.ApprovalModeAll
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: step2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("review_flow").AtMapKey("require_approval").AtMapKey("approval_mode"), knownvalue.StringExact("ANY")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(formAddr, tfjsonpath.New("id"))},
				Check: checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
					if m := f.Policy.DefaultEvent.Params.ApprovalMode; m != "ANY" {
						return fmt.Errorf("stored approval mode %s, want ANY", m)
					}
					return nil
				}),
			},
			// Drift in a question (and a rule added in the app, which the
			// typed review flow cannot hold): both are put back.
			{
				PreConfig: func() {
					if err := srv.UpdateRequestForm(id, func(f *marketplacetest.RequestForm) {
						f.Fields[1].Required = false
						f.Fields[0].Options = f.Fields[0].Options[:1]
						f.Policy.Rules = append(f.Policy.Rules, marketplacetest.PolicyRule{
							Conditions: marketplacetest.PolicyConditions{All: &[]marketplacetest.PolicyCondition{{Fact: "answers.Team", Operator: "equal", Value: "Sales"}}},
							Event:      marketplacetest.PolicyEvent{Type: "approve", Params: &marketplacetest.EventParams{Comment: "Sales may."}},
						})
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: step2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(1).AtMapKey("required"), knownvalue.Bool(true)),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(0).AtMapKey("options"), knownvalue.ListSizeExact(2)),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("policy_json"), knownvalue.Null()),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkFieldIDsKept(formAddr, ids),
					checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
						if len(f.Policy.Rules) != 0 || !f.Fields[1].Required || len(f.Fields[0].Options) != 2 {
							return fmt.Errorf("stored form not restored: %+v", f)
						}
						return nil
					}),
				),
			},
			// A question deleted in the app is asked again: it comes back
			// as a new question (the service gives it a new id), and the
			// others keep theirs.
			{
				PreConfig: func() {
					if err := srv.UpdateRequestForm(id, func(f *marketplacetest.RequestForm) {
						f.Fields = append(f.Fields[:1:1], f.Fields[2:]...)
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: step2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(0).AtMapKey("id"), knownvalue.NotNull()),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(2).AtMapKey("id"), knownvalue.NotNull()),
						plancheck.ExpectUnknownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(1).AtMapKey("id")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStoredLabels(srv, "Team", "Purpose", "How long do you need access?"),
					checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
						if f.Fields[0].ID != ids["Team"] || f.Fields[2].ID != ids["How long do you need access?"] {
							return fmt.Errorf("the kept questions lost their ids: %+v", f.Fields)
						}
						if f.Fields[1].ID == ids["Purpose"] || !uuidRegexp.MatchString(f.Fields[1].ID) {
							return fmt.Errorf("the question asked again has id %q, want a new one", f.Fields[1].ID)
						}
						return nil
					}),
				),
			},
			// Disappears: a delete in the app plans a create.
			{
				PreConfig: func() {
					if err := srv.DeleteRequestForm(id); err != nil {
						t.Fatal(err)
					}
				},
				Config: step2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionCreate)},
				},
				Check: checkStoredLabels(srv, "Team", "Purpose", "How long do you need access?"),
			},
		},
	})
}

// policyOf returns a stored form's policy as JSON.
func policyOf(f marketplacetest.RequestForm) string {
	data, _ := json.Marshal(f.Policy)
	return string(data)
}

func TestAccRequestForm_reviewFlowVariants(t *testing.T) {
	srv := newEmulator(t)
	name := randomName("form")
	variants := []struct {
		name, flow string
		stored     string // the policy the emulator must hold
	}{
		{"auto approve", flowAutoApprove,
			`{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"Open to every employee."}}}`},
		{"auto approve with expiry", `
  review_flow = {
    auto_approve = {
      reason        = "Short-lived access for everyone."
      duration      = 90
      duration_unit = "DAYS"
    }
  }`, `{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"Short-lived access for everyone.","duration":90,"durationUnit":"DAYS"}}}`},
		{"all stewards of every kind", `
  review_flow = {
    require_approval = {
      approval_mode      = "ALL"
      user_ids           = ["` + stewardID + `", "` + governorID + `"]
      group_ids          = ["1"]
      attributes         = [{ name = "Department", value = "Sales" }]
      permissions        = ["GOVERNANCE"]
      domain_permissions = ["MANAGE_DATA_PRODUCTS"]
    }
  }`, ""},
		{"any steward", `
  review_flow = {
    require_approval = {
      approval_mode = "ANY"
      group_ids     = ["2", "1"]
    }
  }`, ""},
		{"delegate", `
  review_flow = {
    delegate_to_data_product = true
  }`, `{"version":"1","rules":[],"defaultEvent":{"type":"delegate"}}`},
		{"rules in policy_json", `
  policy_json = jsonencode({
    version = "1"
    rules = [{
      conditions = { any = [{ fact = "answers.Purpose", operator = "equal", value = "audit" }] }
      event      = { type = "approve", params = { comment = "Audits are approved." } }
    }]
    defaultEvent = { type = "requestApproval", params = { approvalMode = "ANY", approvers = [{ type = "PERMISSION", id = "GOVERNANCE" }] } }
  })`, ""},
	}
	var steps []resource.TestStep
	for _, v := range variants {
		config := formConfig(srv, `  name = "`+name+`"`+fieldPurpose+v.flow)
		importStep := resource.TestStep{ResourceName: formAddr, ImportState: true, ImportStateVerify: true}
		if strings.Contains(v.flow, "policy_json") {
			// The imported document is the service's, rendered as
			// jsonencode() renders it.
			importStep.ImportStateCheck = func(states []*terraform.InstanceState) error {
				f, err := storedForm(srv)
				if err != nil {
					return err
				}
				if len(states) != 1 || !policiesEquivalent([]byte(states[0].Attributes["policy_json"]), []byte(policyOf(f)), false) {
					return fmt.Errorf("imported policy_json %q, stored %s", states[0].Attributes["policy_json"], policyOf(f))
				}
				return nil
			}
		}
		steps = append(steps,
			// Each variant is an update of the same form, and its plan after
			// apply is empty (the harness checks it).
			resource.TestStep{
				Config: config,
				Check: checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
					if v.stored != "" && policyOf(f) != v.stored {
						return fmt.Errorf("%s: stored policy %s, want %s", v.name, policyOf(f), v.stored)
					}
					return nil
				}),
			},
			// Imported, it reads back the same way.
			importStep,
			resource.TestStep{Config: config, ResourceName: formAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoForms(srv),
		Steps:                    steps,
	})
}

func TestAccRequestForm_policyJSON(t *testing.T) {
	srv := newEmulator(t)
	name := randomName("form")
	var id string
	// Key order and spacing differ from the service's; heredoc JSON, not jsonencode.
	policy := func(comment string) string {
		return `
  policy_json = <<-EOT
    {
      "defaultEvent": {"params": {"comment": "` + comment + `", "durationUnit": "WEEKS", "duration": 2}, "type": "approve"},
      "version": "1"
    }
  EOT`
	}
	config := formConfig(srv, `  name = "`+name+`"`+fieldPurpose+policy("Fine."))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoForms(srv),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					// Kept as policy_json (the user's choice), even though the typed form could say it.
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("review_flow"), knownvalue.Null()),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("policy_json"), knownvalue.StringRegexp(regexp.MustCompile(`"defaultEvent"`))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(formAddr, &id),
					checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
						if want := `{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"Fine.","duration":2,"durationUnit":"WEEKS"}}}`; policyOf(f) != want {
							return fmt.Errorf("stored policy %s, want %s", policyOf(f), want)
						}
						return nil
					}),
				),
			},
			// The same document plans no change, however it is written.
			{Config: config, PlanOnly: true},
			// A real change is an update.
			{
				Config: formConfig(srv, `  name = "`+name+`"`+fieldPurpose+policy("Still fine.")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionUpdate)},
				},
				Check: checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
					if c := f.Policy.DefaultEvent.Params.Comment; c != "Still fine." {
						return fmt.Errorf("stored comment %q", c)
					}
					return nil
				}),
			},
			// An edit in the app is detected and put back.
			{
				PreConfig: func() {
					if err := srv.UpdateRequestForm(id, func(f *marketplacetest.RequestForm) {
						f.Policy.DefaultEvent.Params.Duration = 3
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: formConfig(srv, `  name = "`+name+`"`+fieldPurpose+policy("Still fine.")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionUpdate)},
				},
				Check: checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
					if d := f.Policy.DefaultEvent.Params.Duration; d != 2 {
						return fmt.Errorf("stored duration %d, want 2", d)
					}
					return nil
				}),
			},
			// Switching to the typed form is an update too, and reads back typed.
			{
				Config: formConfig(srv, `  name = "`+name+`"`+fieldPurpose+flowAutoApprove),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("policy_json"), knownvalue.Null()),
				},
			},
		},
	})
}

// uiForm is a form as someone would make it in the Marketplace app.
func uiForm(agreementID string) marketplacetest.RequestForm {
	return marketplacetest.RequestForm{
		Name: "Made in the app",
		Fields: []marketplacetest.FormField{
			{Type: marketplacetest.FieldAccessDuration, Label: "How long?", Required: true},
			{Type: marketplacetest.FieldCheckbox, Label: "Which regions?", Options: []marketplacetest.FieldOption{{Value: "EU"}, {Value: "US"}}},
			{Type: marketplacetest.FieldText, Label: "Why?", Required: true},
		},
		Policy: marketplacetest.Policy{Version: "1", DefaultEvent: marketplacetest.PolicyEvent{
			Type: marketplacetest.EventRequestApproval, Params: &marketplacetest.EventParams{
				ApprovalMode: marketplacetest.ApprovalModeAll,
				Approvers: []marketplacetest.Approver{
					{Type: marketplacetest.ApproverAttribute, ID: "Clearance:Confidential"},
					{Type: marketplacetest.ApproverDomainPermission, ID: "MANAGE_DATA_PRODUCTS"},
				},
			},
		}},
		DataUseAgreementIDs: []string{agreementID},
	}
}

func TestAccRequestForm_importFromApp(t *testing.T) {
	srv := newEmulator(t)
	agreement, err := srv.SeedDataUseAgreement("App terms", "Made in the app.")
	if err != nil {
		t.Fatal(err)
	}
	seeded, err := srv.SeedRequestForm(uiForm(agreement.ID))
	if err != nil {
		t.Fatal(err)
	}
	// The configuration written in the form the import produces.
	config := formConfig(srv, `  name = "Made in the app"
  field {
    type  = "ACCESS_DURATION"
    label = "How long?"
  }
  field {
    type    = "CHECKBOX"
    label   = "Which regions?"
    options = ["EU", "US"]
  }
  field {
    type     = "TEXT"
    label    = "Why?"
    required = true
  }
  review_flow = {
    require_approval = {
      approval_mode      = "ALL"
      attributes         = [{ name = "Clearance", value = "Confidential" }]
      domain_permissions = ["MANAGE_DATA_PRODUCTS"]
    }
  }
  data_use_agreement_ids = ["`+agreement.ID+`"]`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// An import block with that configuration plans no change.
			{
				Config: config, ResourceName: formAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportStateId: seeded.ID,
			},
			// terraform import by name finds it, and keeps it for the next steps.
			{
				Config:             config,
				ResourceName:       formAddr,
				ImportState:        true,
				ImportStateId:      "Made in the app",
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["id"] != seeded.ID || states[0].Attributes["field.0.id"] != seeded.Fields[0].ID {
						return fmt.Errorf("imported %+v", states)
					}
					return nil
				},
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// The built-in Standard Request Form cannot be changed or deleted, so it
// cannot be imported, by its cuid or by name: the error points to the
// data source.
func TestAccRequestForm_importStandardFormRefused(t *testing.T) {
	srv := newEmulator(t)
	config := formConfig(srv, `  name = "Standard Request Form"`+fieldPurpose+flowAutoApprove)
	refused := errorPattern("Cannot Import the Standard Request Form", marketplacetest.StandardRequestFormID,
		`data "immuta_request_form" "standard"`, "request_form_id = data.immuta_request_form.standard.id")
	step := func(id string, kind resource.ImportStateKind) resource.TestStep {
		return resource.TestStep{
			Config: config, ResourceName: formAddr, ImportState: true, ImportStateKind: kind, ImportStateId: id,
			ExpectError: refused,
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// An import block only works as the first step (the harness
			// copies the state of the steps before).
			step(marketplacetest.StandardRequestFormName, resource.ImportBlockWithID),
			step(marketplacetest.StandardRequestFormID, resource.ImportCommandWithID),
			step("name:"+marketplacetest.StandardRequestFormName, resource.ImportCommandWithID),
			{
				Config: providerConfig(srv),
				Check:  checkNoWrites(srv),
			},
		},
	})
}

func TestAccRequestForm_nameConflict(t *testing.T) {
	srv := newEmulator(t)
	existing, err := srv.SeedRequestForm(uiForm(mustSeedAgreement(t, srv)))
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      formConfig(srv, `  name = "Made in the app"`+fieldPurpose+flowAutoApprove),
				ExpectError: errorPattern("HTTP 409 Conflict: Request form with name already exists.", existing.ID, "terraform import"),
			},
			{
				Config: providerConfig(srv),
				Check: func(*terraform.State) error {
					f, err := storedForm(srv)
					if err != nil {
						return err
					}
					if f.ID != existing.ID {
						return fmt.Errorf("the emulator holds %+v, want only the seeded form", f)
					}
					return nil
				},
			},
		},
	})
}

func mustSeedAgreement(t *testing.T, srv *marketplacetest.TestServer) string {
	t.Helper()
	a, err := srv.SeedDataUseAgreement(randomName("terms"), "Terms.")
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// An agreement a form uses cannot be deleted, and the error names the form.
func TestAccRequestForm_agreementInUse(t *testing.T) {
	srv := newEmulator(t)
	agreement := `
resource "immuta_data_use_agreement" "terms" {
  name = "Shared terms"
  body = "Be nice."
}
`
	var agreementID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + agreement,
				Check:  captureID("immuta_data_use_agreement.terms", &agreementID),
			},
			{
				// Someone includes the agreement in a form made in the app.
				PreConfig: func() {
					f := uiForm(agreementID)
					f.Name = "other"
					if _, err := srv.SeedRequestForm(f); err != nil {
						t.Fatal(err)
					}
				},
				Config:      providerConfig(srv),
				ExpectError: errorPattern("HTTP 409", "in use by request form", `"other"`),
			},
			{
				// Once the form lets go, the agreement can be deleted.
				PreConfig: func() {
					for _, f := range srv.RequestForms() {
						if f.Name == "other" {
							if err := srv.DeleteRequestForm(f.ID); err != nil {
								t.Fatal(err)
							}
						}
					}
				},
				Config: providerConfig(srv),
			},
		},
	})
}

func TestAccRequestForm_invalidInput(t *testing.T) {
	srv := newEmulator(t)
	name := `  name = "Invalid"`
	cases := []struct {
		body string
		want *regexp.Regexp
	}{
		{name + `
  field {
    type  = "RADIO"
    label = "Q"
  }` + flowAutoApprove, errorPattern("Attribute field[0].type value must be one of")},
		{name + `
  field {
    type    = "TEXT"
    label   = "Q"
    options = ["a"]
  }` + flowAutoApprove, errorPattern("Attribute field[0].options cannot be set for a TEXT question")},
		{name + `
  field {
    type  = "DROPDOWN"
    label = "Q"
  }` + flowAutoApprove, errorPattern("Attribute field[0].options is required for a DROPDOWN question")},
		{name + `
  field {
    type    = "CHECKBOX"
    label   = "Q"
    options = []
  }` + flowAutoApprove, errorPattern("Attribute field[0].options list must contain at least 1 elements")},
		{name + `
  field {
    type    = "DROPDOWN"
    label   = "Q"
    options = ["a", "a"]
  }` + flowAutoApprove, errorPattern("Duplicate List Value", "options", "duplicate values")},
		{name + fieldPurpose + `
  field {
    type  = "TEXT"
    label = "purpose"
  }` + flowAutoApprove, errorPattern(`Attribute field[1].label: the label "purpose" is already used by field[0]`)},
		{name + `
  field {
    type     = "ACCESS_DURATION"
    label    = "Q"
    required = false
  }` + flowAutoApprove, errorPattern("Attribute field[0].required cannot be false for an ACCESS_DURATION question")},
		{name + `
  field {
    type    = "ACCESS_DURATION"
    label   = "Q"
    options = ["1 DAYS"]
  }` + flowAutoApprove, errorPattern("Attribute field[0].options cannot be set for a ACCESS_DURATION question")},
		{name + fieldDuration + `
  field {
    type  = "ACCESS_DURATION"
    label = "Again"
  }` + flowAutoApprove, errorPattern("Attribute field[1].type: field[0] is already the form's ACCESS_DURATION question")},
		{name + `
  field {
    type  = "TEXT"
    label = "  "
  }` + flowAutoApprove, errorPattern("Attribute field[0].label must not be blank")},
		{name + flowAutoApprove, errorPattern("field", "required")},
		{name + fieldPurpose + flowAutoApprove + `
  policy_json = jsonencode({ version = "1", defaultEvent = { type = "delegate" } })`, errorPattern("Invalid Attribute Combination", "review_flow", "policy_json")},
		{name + fieldPurpose, errorPattern("Exactly one of these attributes must be configured: [review_flow,policy_json]")},
		{name + fieldPurpose + `
  review_flow = {
    auto_approve = {
      reason        = "x"
      duration      = 2
      duration_unit = "SECONDS"
    }
  }`, errorPattern("Attribute review_flow.auto_approve.duration_unit value must be one of")},
		{name + fieldPurpose + `
  review_flow = {
    auto_approve = {
      reason   = "x"
      duration = 2
    }
  }`, errorPattern("review_flow.auto_approve.duration_unit", "must be specified")},
		{name + fieldPurpose + `
  review_flow = {
    auto_approve = {
      reason        = "x"
      duration      = 0
      duration_unit = "DAYS"
    }
  }`, errorPattern("Attribute review_flow.auto_approve.duration value must be at least 1")},
		{name + fieldPurpose + `
  review_flow = {
    auto_approve = {
      reason = ""
    }
  }`, errorPattern("Attribute review_flow.auto_approve.reason must not be blank")},
		{name + fieldPurpose + `
  review_flow = {}`, errorPattern("Attribute review_flow must set exactly one of auto_approve, require_approval, delegate_to_data_product; it sets 0")},
		{name + fieldPurpose + `
  review_flow = {
    delegate_to_data_product = false
  }`, errorPattern("Attribute review_flow.delegate_to_data_product can only be true")},
		{name + fieldPurpose + `
  review_flow = {
    delegate_to_data_product = true
    auto_approve             = { reason = "x" }
  }`, errorPattern("it sets 2")},
		{name + fieldPurpose + `
  review_flow = {
    require_approval = {
      approval_mode = "SOME"
      group_ids     = ["1"]
    }
  }`, errorPattern("Attribute review_flow.require_approval.approval_mode value must be one of")},
		{name + fieldPurpose + `
  review_flow = {
    require_approval = {
      approval_mode = "ALL"
    }
  }`, errorPattern("Attribute review_flow.require_approval names no data stewards")},
		{name + fieldPurpose + `
  review_flow = {
    require_approval = {
      approval_mode = "ALL"
      user_ids      = ["not-a-uuid"]
    }
  }`, errorPattern("review_flow.require_approval.user_ids", "must be a lower-case UUID")},
		{name + fieldPurpose + `
  review_flow = {
    require_approval = {
      approval_mode = "ALL"
      group_ids     = ["Data Stewards"]
    }
  }`, errorPattern("review_flow.require_approval.group_ids", "must be an Immuta group id")},
		{name + fieldPurpose + `
  review_flow = {
    require_approval = {
      approval_mode = "ALL"
      attributes    = [{ name = "a:b", value = "c" }]
    }
  }`, errorPattern("review_flow.require_approval.attributes", "must not contain")},
		{name + fieldPurpose + flowAutoApprove + `
  data_use_agreement_ids = ["not-a-uuid"]`, errorPattern("data_use_agreement_ids", "must be a lower-case UUID")},
		{name + fieldPurpose + `
  policy_json = jsonencode({ version = "1" })`, errorPattern(`Attribute policy_json must be a JSON object`, `"defaultEvent" is missing`)},
		{name + fieldPurpose + `
  policy_json = "{not json"`, errorPattern("policy_json", "JSON")},
		{`  name = ""` + fieldPurpose + flowAutoApprove, errorPattern("Attribute name string length must be between 1 and 255")},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: formConfig(srv, c.body), PlanOnly: true, ExpectError: c.want})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
	// Bad input is caught at plan time: the service never saw a request.
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the emulator received %d requests for invalid configurations, want 0", n)
	}
}

// Values known only after apply pass validation, and the rules are still
// enforced once they are known.
func TestAccRequestForm_unknownValues(t *testing.T) {
	srv := newEmulator(t)
	config := func(label2 string) string {
		return formConfig(srv, `  name = "Wired"
  field {
    type  = "TEXT"
    label = immuta_data_use_agreement.terms.name
  }
  field {
    type  = "TEXT"
    label = "`+label2+`"
  }
  review_flow = {
    auto_approve = { reason = immuta_data_use_agreement.terms.body }
  }
  data_use_agreement_ids = [immuta_data_use_agreement.terms.id]`, `
resource "immuta_data_use_agreement" "terms" {
  name = "Terms"
  body = "Accepted terms."
}
`)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoForms(srv),
		Steps: []resource.TestStep{
			{Config: config("Other")},
			{Config: config("terms"), PlanOnly: true, ExpectError: errorPattern(`the label "terms" is already used by field[0]`)},
		},
	})
}

func TestRequestFormInUseHint(t *testing.T) {
	one := requestFormInUseHint([]marketplace.ObjectRef{{ID: "p1", Name: "Sales 360"}}, nil)
	if !strings.Contains(one, `data product "Sales 360" (p1)`) {
		t.Errorf("one product: %s", one)
	}
	two := requestFormInUseHint([]marketplace.ObjectRef{{ID: "p1", Name: "A"}, {ID: "p2", Name: "B"}}, nil)
	if !strings.Contains(two, `data products "A" (p1), "B" (p2)`) {
		t.Errorf("two products: %s", two)
	}
	for _, hint := range []string{requestFormInUseHint(nil, errors.New("boom")), requestFormInUseHint(nil, nil)} {
		if !strings.Contains(hint, "still used by a data product") {
			t.Errorf("unknown products: %s", hint)
		}
	}
}

func TestCarryFieldIDs(t *testing.T) {
	field := func(id, typ, label string) formFieldModel {
		f := formFieldModel{Type: types.StringValue(typ), Label: types.StringValue(label), Required: types.BoolUnknown(), Options: types.ListNull(types.StringType)}
		f.ID = types.StringUnknown()
		if id != "" {
			f.ID = types.StringValue(id)
		}
		return f
	}
	prior := []formFieldModel{field("id-a", "TEXT", "A"), field("id-b", "DROPDOWN", "B"), field("id-c", "TEXT", "C")}
	planned := []formFieldModel{field("", "DROPDOWN", "B"), field("", "TEXT", "new"), field("", "ACCESS_DURATION", "a"), field("", "TEXT", "C")}
	configured := []formFieldModel{
		{Required: types.BoolNull()}, {Required: types.BoolNull()}, {Required: types.BoolNull()}, {Required: types.BoolValue(true)},
	}
	planned[3].Required = types.BoolValue(true)
	carryFieldIDs(planned, configured, prior)
	wantIDs := []string{"id-b", "", "id-a", "id-c"}
	for i, want := range wantIDs {
		got := planned[i].ID
		if (want == "" && !got.IsUnknown()) || (want != "" && got.ValueString() != want) {
			t.Errorf("planned[%d].id = %v, want %q", i, got, want)
		}
	}
	wantRequired := []bool{false, false, true, true}
	for i, want := range wantRequired {
		if planned[i].Required.IsUnknown() || planned[i].Required.ValueBool() != want {
			t.Errorf("planned[%d].required = %v, want %v", i, planned[i].Required, want)
		}
	}
}

// Removing `required = true` from a question plans it back to its
// default, false, as an update.
func TestAccRequestForm_requiredDefault(t *testing.T) {
	srv := newEmulator(t)
	name := randomName("form")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoForms(srv),
		Steps: []resource.TestStep{
			{Config: formConfig(srv, `  name = "`+name+`"`+fieldPurpose+flowAutoApprove)},
			{
				Config: formConfig(srv, `  name = "`+name+`"
  field {
    type  = "TEXT"
    label = "Purpose"
  }`+flowAutoApprove),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(0).AtMapKey("required"), knownvalue.Bool(false)),
						plancheck.ExpectUnknownValue(formAddr, tfjsonpath.New("version")),
					},
				},
				Check: checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
					if f.Fields[0].Required {
						return errors.New("the stored question is still required")
					}
					return nil
				}),
			},
		},
	})
}

// A create or update that runs out of time says so and how to give it
// more; the timed-out create's id is tracked, and the next apply
// converges without a duplicate.
func TestAccRequestForm_timeout(t *testing.T) {
	srv := newEmulator(t)
	name := randomName("form")
	withTimeouts := func(body, timeouts string) string {
		return formConfig(srv, `  name = "`+name+`"`+body+flowAutoApprove+"\n  timeouts = {\n    "+timeouts+"\n  }")
	}
	if _, err := srv.InjectFault(marketplacetest.Fault{Method: "POST", Path: "/api/request-form", Latency: marketplacetest.Duration(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	var timedOut string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoForms(srv),
		Steps: []resource.TestStep{
			{
				Config: withTimeouts(fieldPurpose, `create = "1s"`),
				ExpectError: errorPattern("Unable to Create Request Form", "context deadline exceeded", "may have been created with id",
					"Raise the resource's timeouts"),
			},
			{
				PreConfig: func() {
					posts := requestsTo(srv.Requests(), "POST", "/api/request-form")
					var body struct{ ID string }
					if len(posts) != 1 || json.Unmarshal(posts[0].Body, &body) != nil || body.ID == "" {
						t.Fatalf("want one POST with a client-chosen id before the timeout, got %+v", posts)
					}
					timedOut = body.ID
					if _, err := storedForm(srv); err == nil {
						t.Fatal("the emulator holds a form after the timed-out create")
					}
					srv.ClearFaults()
				},
				Config: withTimeouts(fieldPurpose, `create = "1s"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// The tracked id was read, found missing and dropped.
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionCreate)},
				},
				Check: func(*terraform.State) error {
					if len(requestsTo(srv.Requests(), "GET", "/api/request-form/"+timedOut)) == 0 {
						return fmt.Errorf("the refresh never asked for %s: the timed-out create's id was not tracked", timedOut)
					}
					f, err := storedForm(srv)
					if err != nil {
						return err
					}
					if f.ID == timedOut {
						return fmt.Errorf("the form has the timed-out create's id %s", f.ID)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					if _, err := srv.InjectFault(marketplacetest.Fault{Method: "PUT", Path: "/api/request-form/{id}", Latency: marketplacetest.Duration(time.Minute)}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      withTimeouts(fieldPurpose+fieldTeam, `update = "1s"`),
				ExpectError: errorPattern("Unable to Update Request Form", "context deadline exceeded", "Raise the resource's timeouts"),
			},
			{
				PreConfig: func() {
					if err := checkStoredLabels(srv, "Purpose")(nil); err != nil {
						t.Fatalf("after the timed-out update: %v", err)
					}
					srv.ClearFaults()
				},
				Config: withTimeouts(fieldPurpose+fieldTeam, `update = "1s"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionUpdate)},
				},
				Check: checkStoredLabels(srv, "Purpose", "Team"),
			},
		},
	})
}

// TestAccRequestForm_examples applies every request form example of the
// documentation together with the data source's example (its placeholder
// id standing for the example form's): each review-flow variant applies,
// reads back as written, and plans clean.
func TestAccRequestForm_examples(t *testing.T) {
	srv := newEmulator(t)
	var config strings.Builder
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "resources", "immuta_request_form", "resource*.tf"))
	if err != nil || len(files) < 5 {
		t.Fatalf("want the request form examples, found %v (%v)", files, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		config.Write(data)
	}
	lookup, err := os.ReadFile(filepath.Join("..", "..", "examples", "data-sources", "immuta_request_form", "data-source.tf"))
	if err != nil {
		t.Fatal(err)
	}
	const placeholder = `"6c0e5f2a-3b1d-4e8f-9a7c-5d2b1e0f3a44"`
	if !strings.Contains(string(lookup), placeholder) {
		t.Fatalf("the data source example no longer looks a form up by the id %s", placeholder)
	}
	config.WriteString(strings.Replace(string(lookup), placeholder, "immuta_request_form.sales.id", 1))

	flow := func(name string) tfjsonpath.Path { return tfjsonpath.New("review_flow").AtMapKey(name) }
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoForms(srv),
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + config.String(),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("immuta_request_form.sales", flow("require_approval").AtMapKey("approval_mode"), knownvalue.StringExact("ALL")),
				statecheck.ExpectKnownValue("immuta_request_form.sales", tfjsonpath.New("field"), knownvalue.ListSizeExact(4)),
				statecheck.ExpectKnownValue("immuta_request_form.sales", tfjsonpath.New("data_use_agreement_ids"), knownvalue.SetSizeExact(1)),
				statecheck.ExpectKnownValue("immuta_request_form.open_data", flow("auto_approve").AtMapKey("duration"), knownvalue.Null()),
				statecheck.ExpectKnownValue("immuta_request_form.short_lived", flow("auto_approve").AtMapKey("duration_unit"), knownvalue.StringExact("DAYS")),
				statecheck.ExpectKnownValue("immuta_request_form.delegated", flow("delegate_to_data_product"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("immuta_request_form.by_team", tfjsonpath.New("review_flow"), knownvalue.Null()),
				statecheck.ExpectKnownValue("immuta_request_form.by_team", tfjsonpath.New("policy_json"), knownvalue.NotNull()),
				statecheck.ExpectKnownOutputValue("standard_form_questions", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("Why do you need access to this data?"),
				})),
				statecheck.ExpectKnownOutputValue("sales_form_policy", knownvalue.StringRegexp(regexp.MustCompile(`"approvalMode":"ALL"`))),
			},
			Check: func(*terraform.State) error {
				if n := len(srv.RequestForms()) - 1; n != len(files) {
					return fmt.Errorf("the emulator holds %d request forms besides the standard one, want %d", n, len(files))
				}
				return nil
			},
		}},
	})
}
