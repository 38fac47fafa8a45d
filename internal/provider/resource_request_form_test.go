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
func formConfig(srv endpointer, body string, extra ...string) string {
	return providerConfig(srv) + strings.Join(extra, "\n") + `
resource "immuta_request_form" "test" {
` + body + `
}
`
}

const (
	fieldPurpose = `
  field {
    type     = "SHORT_ANSWER"
    label    = "Purpose"
    required = true
  }`
	fieldTeam = `
  field {
    type     = "DROPDOWN"
    label    = "Team"
    required = false
    options  = ["Sales", "Marketing"]
  }`
	fieldDuration = `
  field {
    type = "ACCESS_DURATION"
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
	srv := requireEmulator(t, "edits objects out of band, reads the emulator's objects")
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
    review = {
      stages = [{
        approval_mode = "any"
        user_ids      = ["` + stewardID + `"]
        groups        = [{ name = "Data Stewards", id = 1 }]
      }]
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
						// required is false where it says so, and ids are chosen at apply.
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(1).AtMapKey("required"), knownvalue.Bool(false)),
						plancheck.ExpectUnknownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(0).AtMapKey("id")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(formAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidRegexp)),
					statecheck.ExpectKnownValue(formAddr, tfjsonpath.New("version"), knownvalue.StringRegexp(cuidPattern)),
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
						// the new one gets its id at apply. An ACCESS_DURATION
						// question has its fixed label and is required.
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(0).AtMapKey("id"), knownvalue.NotNull()),
						plancheck.ExpectUnknownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(2).AtMapKey("id")),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(2).AtMapKey("required"), knownvalue.Bool(true)),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(2).AtMapKey("label"), knownvalue.StringExact(marketplace.AccessDurationLabel)),
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
					checkStoredLabels(srv, "Team", "Purpose", marketplace.AccessDurationLabel),
					checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
						if f.Fields[0].ID != ids["Team"] || f.Fields[1].ID != ids["Purpose"] || !f.Fields[1].Required {
							return fmt.Errorf("stored questions %+v, want Team then Purpose with their ids", f.Fields)
						}
						p := f.Policy.DefaultEvent
						if p.Type != marketplacetest.EventReview || len(p.Params.Stages) != 1 || len(p.Params.Stages[0].Any) != 2 {
							return fmt.Errorf("stored policy %s", policyOf(f))
						}
						return nil
					}),
					captureFieldIDs(formAddr, ids),
				),
			},
			// Reordering alone is an update that keeps every question's id,
			// in the plan already, and back again.
			reorderStep(srv, reordered, ids, "Purpose", "Team", marketplace.AccessDurationLabel),
			reorderStep(srv, step2, ids, "Team", "Purpose", marketplace.AccessDurationLabel),
			// Import by id, by "name:<name>" and by plain name; an import block plans no change.
			{ResourceName: formAddr, ImportState: true, ImportStateVerify: true},
			{ResourceName: formAddr, ImportState: true, ImportStateVerify: true, ImportStateId: "name:" + renamed},
			{ResourceName: formAddr, ImportState: true, ImportStateVerify: true, ImportStateId: renamed},
			{Config: step2, ResourceName: formAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
			// Drift in the review flow: an edit in the app shows as an update back.
			{
				PreConfig: func() {
					if err := srv.UpdateRequestForm(id, func(f *marketplacetest.RequestForm) {
						st := &f.Policy.DefaultEvent.Params.Stages[0]
						st.All, st.Any = st.Any, nil
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: step2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("review_flow").AtMapKey("review").AtMapKey("stages").AtSliceIndex(0).AtMapKey("approval_mode"), knownvalue.StringExact("any")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(formAddr, tfjsonpath.New("id"))},
				Check: checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
					if st := f.Policy.DefaultEvent.Params.Stages[0]; st.Any == nil {
						return fmt.Errorf("stored stage %+v, want an any stage", st)
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
							Conditions: json.RawMessage(`{"all":[{"fact":"answers.Team","operator":"equal","value":"Sales"}]}`),
							Event:      marketplacetest.PolicyEvent{Type: marketplacetest.EventApprove, Params: &marketplacetest.EventParams{Comment: "Sales may."}},
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
			// as a new question (with a new id), and the
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
					checkStoredLabels(srv, "Team", "Purpose", marketplace.AccessDurationLabel),
					checkStoredForm(srv, func(f marketplacetest.RequestForm) error {
						if f.Fields[0].ID != ids["Team"] || f.Fields[2].ID != ids[marketplace.AccessDurationLabel] {
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
				Check: checkStoredLabels(srv, "Team", "Purpose", marketplace.AccessDurationLabel),
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
	srv := requireEmulator(t, "reads the emulator's objects")
	name := randomName("form")
	variants := []struct {
		name, flow string
		stored     string // the policy the emulator must hold, when set
		check      func(marketplacetest.Policy) error
	}{
		{"auto approve", flowAutoApprove,
			`{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"Open to every employee."}}}`, nil},
		{"auto approve with expiry", `
  review_flow = {
    auto_approve = {
      reason        = "Short-lived access for everyone."
      duration      = 90
      duration_unit = "DAYS"
    }
  }`, `{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"Short-lived access for everyone.","duration":90,"durationUnit":"DAYS"}}}`, nil},
		{"auto deny", `
  review_flow = {
    auto_deny = {
      reason = "Closed during the audit."
    }
  }`, `{"rules":[],"defaultEvent":{"type":"deny","params":{"comment":"Closed during the audit."}}}`, nil},
		{"two stages with every approver kind", `
  review_flow = {
    review = {
      stages = [
        {
          approval_mode = "all"
          user_ids      = ["` + stewardID + `", "` + governorID + `"]
          groups        = [{ name = "Data Stewards", id = 1 }, { name = "Finance" }]
        },
        {
          approval_mode      = "any"
          permissions        = ["GOVERNANCE", "AUDIT"]
          domain_permissions = [{ permission = "Manage Data Products" }, { permission = "Audit Activity", domain_id = "` + financeDomainID + `" }]
          attributes         = [{ key = "Department", value = "Sales" }]
          catalog_permission = true
        },
      ]
    }
  }`, "", func(p marketplacetest.Policy) error {
			st := p.DefaultEvent.Params.Stages
			if p.DefaultEvent.Type != marketplacetest.EventReview || len(st) != 2 || len(st[0].All) != 4 || len(st[1].Any) != 6 {
				return fmt.Errorf("stages %+v", st)
			}
			if g := st[0].All[2]; g.Type != marketplacetest.ApproverGroup || g.Name != "Data Stewards" || g.GroupID == nil || *g.GroupID != 1 {
				return fmt.Errorf("group approver %+v", g)
			}
			if c := st[1].Any[5]; c.Type != marketplacetest.ApproverCatalogPermission {
				return fmt.Errorf("last approver %+v, want the catalog permission", c)
			}
			return nil
		}},
		{"one stage, any of two groups", `
  review_flow = {
    review = {
      stages = [{
        approval_mode = "any"
        groups        = [{ name = "Sales Analysts", id = 2 }, { name = "Data Stewards", id = 1 }]
      }]
    }
  }`, `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[{"id":1,"name":"Data Stewards","type":"GROUP"},{"id":2,"name":"Sales Analysts","type":"GROUP"}]}]}}}`, nil},
		{"delegate", `
  review_flow = {
    delegate_to_data_product = true
  }`, `{"rules":[],"defaultEvent":{"type":"dataProductPolicy"}}`, nil},
		{"rules in policy_json", `
  policy_json = jsonencode({
    rules = [{
      conditions = { any = [{ fact = "answers.Purpose", operator = "equal", value = "audit" }] }
      event      = { type = "approve", params = { comment = "Audits are approved." } }
    }, {
      conditions = { not = { fact = "answers.Purpose", operator = "equal", value = "" } }
      event      = { type = "dataProductPolicy" }
    }]
    defaultEvent = { type = "review", params = { stages = [{ any = [{ type = "USER", id = "` + stewardID + `", displayName = "Steward" }] }] } }
  })`, "", func(p marketplacetest.Policy) error {
			if len(p.Rules) != 2 || p.DefaultEvent.Params.Stages[0].Any[0].DisplayName != "Steward" {
				return fmt.Errorf("stored %+v", p)
			}
			return nil
		}},
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
					if v.check != nil {
						return v.check(f.Policy)
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
	srv := requireEmulator(t, "edits objects out of band, reads the emulator's objects")
	name := randomName("form")
	var id string
	// Key order and spacing differ from the service's; heredoc JSON, not jsonencode.
	policy := func(comment string) string {
		return `
  policy_json = <<-EOT
    {
      "defaultEvent": {"params": {"comment": "` + comment + `", "durationUnit": "WEEKS", "duration": 2}, "type": "approve"},
      "rules": [],
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
			{Type: marketplacetest.FieldAccessDuration, Required: true},
			{Type: marketplacetest.FieldCheckboxes, Label: "Which regions?", Options: []marketplacetest.FieldOption{{Value: "EU"}, {Value: "US"}}},
			{Type: marketplacetest.FieldShortAnswer, Label: "Why?", Required: true},
		},
		Policy: marketplacetest.Policy{Version: "1", DefaultEvent: marketplacetest.PolicyEvent{
			Type: marketplacetest.EventReview, Params: &marketplacetest.EventParams{Stages: []marketplacetest.Stage{{
				All: []marketplacetest.Approver{
					{Type: marketplacetest.ApproverAttribute, Key: "Clearance", Value: "Confidential"},
					{Type: marketplacetest.ApproverDomainPermission, Permission: "Manage Data Products"},
				},
			}}},
		}},
		DataUseAgreementIDs: []string{agreementID},
	}
}

func TestAccRequestForm_importFromApp(t *testing.T) {
	srv := requireEmulator(t, "seeds objects")
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
    type = "ACCESS_DURATION"
  }
  field {
    type     = "CHECKBOXES"
    label    = "Which regions?"
    required = false
    options  = ["EU", "US"]
  }
  field {
    type  = "SHORT_ANSWER"
    label = "Why?"
  }
  review_flow = {
    review = {
      stages = [{
        approval_mode      = "all"
        attributes         = [{ key = "Clearance", value = "Confidential" }]
        domain_permissions = [{ permission = "Manage Data Products" }]
      }]
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
// cannot be imported, by its id or by name: the error points to the
// data source.
func TestAccRequestForm_importStandardFormRefused(t *testing.T) {
	srv := requireEmulator(t, "reads the request log")
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
	srv := requireEmulator(t, "seeds objects, reads the emulator's objects")
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

// An agreement a form uses cannot be deleted, and the error names the form.
func TestAccRequestForm_agreementInUse(t *testing.T) {
	srv := requireEmulator(t, "seeds objects, edits objects out of band, reads the emulator's objects")
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

// requestFormBadInputs are request forms refused at plan time (see
// TestAccBadInput_refusedAtPlanTime).
func requestFormBadInputs() []badInput {
	name := `  name = "Invalid"`
	field := func(body string) string { return name + "\n  field {\n" + body + "\n  }" + flowAutoApprove }
	flow := func(body string) string { return name + fieldPurpose + "\n  review_flow = {\n" + body + "\n  }" }
	stage := func(body string) string {
		return flow("    review = {\n      stages = [{\n" + body + "\n      }]\n    }")
	}
	policy := func(doc string) string { return name + fieldPurpose + "\n  policy_json = jsonencode(" + doc + ")" }
	cases := []struct {
		body string
		want *regexp.Regexp
	}{
		// Questions.
		{field(`    type  = "RADIO"
    label = "Q"`), errorPattern("Attribute field[0].type value must be one of")},
		{field(`    type  = "TEXT"
    label = "Q"`), errorPattern("Attribute field[0].type value must be one of", "SHORT_ANSWER")},
		{field(`    type    = "CHECKBOX"
    label   = "Q"
    options = ["a"]`), errorPattern("Attribute field[0].type value must be one of", "CHECKBOXES")},
		{field(`    type    = "SHORT_ANSWER"
    label   = "Q"
    options = ["a"]`), errorPattern("Attribute field[0].options cannot be set for a SHORT_ANSWER question")},
		{field(`    type  = "DROPDOWN"
    label = "Q"`), errorPattern("Attribute field[0].options is required for a DROPDOWN question")},
		{field(`    type  = "CHECKBOXES"
    label = "Q"`), errorPattern("Attribute field[0].options is required for a CHECKBOXES question")},
		{field(`    type    = "CHECKBOXES"
    label   = "Q"
    options = []`), errorPattern("Attribute field[0].options list must contain at least 1 elements")},
		{field(`    type    = "DROPDOWN"
    label   = "Q"
    options = ["a", "a"]`), errorPattern("Duplicate List Value", "options", "duplicate values")},
		{field(`    type = "SHORT_ANSWER"`), errorPattern("Attribute field[0].label is required for a SHORT_ANSWER question")},
		{name + fieldPurpose + `
  field {
    type  = "SHORT_ANSWER"
    label = "purpose"
  }` + flowAutoApprove, errorPattern(`Attribute field[1].label: the label "purpose" is already used by field[0]`)},
		{field(`    type     = "ACCESS_DURATION"
    required = false`), errorPattern("Attribute field[0].required cannot be false for an ACCESS_DURATION question")},
		{field(`    type  = "ACCESS_DURATION"
    label = "How long?"`), errorPattern("Attribute field[0].label of an ACCESS_DURATION question can only be", "How long do you need access to this data")},
		{field(`    type    = "ACCESS_DURATION"
    options = ["1 DAYS"]`), errorPattern("Attribute field[0].options cannot be set for a ACCESS_DURATION question")},
		{name + fieldDuration + fieldDuration + flowAutoApprove, errorPattern("Attribute field[1].type: field[0] is already the form's ACCESS_DURATION question")},
		{field(`    type  = "SHORT_ANSWER"
    label = "  "`), errorPattern("Attribute field[0].label must not be blank")},
		{name + flowAutoApprove, errorPattern("field", "required")},
		// The choice of review flow.
		{name + fieldPurpose + flowAutoApprove + `
  policy_json = jsonencode({ rules = [], defaultEvent = { type = "dataProductPolicy" } })`, errorPattern("Invalid Attribute Combination", "review_flow", "policy_json")},
		{name + fieldPurpose, errorPattern("Exactly one of these attributes must be configured: [review_flow,policy_json]")},
		{flow(`    auto_approve = { reason = "x", duration = 2, duration_unit = "SECONDS" }`), errorPattern("Attribute review_flow.auto_approve.duration_unit value must be one of")},
		{flow(`    auto_approve = { reason = "x", duration = 2 }`), errorPattern("review_flow.auto_approve.duration_unit", "must be specified")},
		{flow(`    auto_approve = { reason = "x", duration_unit = "DAYS" }`), errorPattern("review_flow.auto_approve.duration", "must be specified")},
		{flow(`    auto_approve = { reason = "x", duration = 0, duration_unit = "DAYS" }`), errorPattern("Attribute review_flow.auto_approve.duration value must be at least 1")},
		{flow(`    auto_approve = { reason = "" }`), errorPattern("Attribute review_flow.auto_approve.reason must not be blank")},
		{flow(`    auto_deny = { reason = " " }`), errorPattern("Attribute review_flow.auto_deny.reason must not be blank")},
		{flow(``), errorPattern("Attribute review_flow must set exactly one of auto_approve, auto_deny, review, delegate_to_data_product; it sets 0")},
		{flow(`    delegate_to_data_product = false`), errorPattern("Attribute review_flow.delegate_to_data_product can only be true")},
		{flow(`    delegate_to_data_product = true
    auto_approve             = { reason = "x" }`), errorPattern("it sets 2")},
		{flow(`    auto_deny    = { reason = "No." }
    auto_approve = { reason = "Yes." }`), errorPattern("it sets 2")},
		// Review stages and approvers.
		{flow(`    review = { stages = [] }`), errorPattern("Attribute review_flow.review.stages list must contain at least 1 elements")},
		{stage(`        approval_mode = "all"`), errorPattern(`Attribute review_flow.review.stages[0] names no approvers`)},
		{stage(`        approval_mode = "ALL"
        permissions   = ["GOVERNANCE"]`), errorPattern(`Attribute review_flow.review.stages[0].approval_mode value must be one of`)},
		{stage(`        approval_mode = "some"
        permissions   = ["GOVERNANCE"]`), errorPattern(`Attribute review_flow.review.stages[0].approval_mode value must be one of`)},
		{stage(`        permissions = ["GOVERNANCE"]`), errorPattern(`approval_mode`, `is required`)},
		{stage(`        approval_mode = "any"
        permissions   = ["ROOT"]`), errorPattern(`review_flow.review.stages[0].permissions`, `value must be one of`)},
		{stage(`        approval_mode      = "any"
        domain_permissions = [{ permission = "MANAGE_DATA_PRODUCTS" }]`), errorPattern(`review_flow.review.stages[0].domain_permissions`, `permission value must be one of`, `Manage Data Products`)},
		{stage(`        approval_mode      = "any"
        domain_permissions = [{ permission = "Manage Policies", domain_id = "Sales" }]`), errorPattern(`review_flow.review.stages[0].domain_permissions`, `must be a lower-case UUID`)},
		{stage(`        approval_mode = "any"
        user_ids      = ["not-a-uuid"]`), errorPattern(`review_flow.review.stages[0].user_ids`, `must be a lower-case UUID`)},
		{stage(`        approval_mode = "any"
        user_ids      = []`), errorPattern(`Attribute review_flow.review.stages[0].user_ids set must contain at least 1 elements`)},
		{stage(`        approval_mode = "any"
        groups        = [{ id = 1 }]`), errorPattern(`attribute "review_flow"`, `attribute "groups"`, `attribute "name" is required`)},
		{stage(`        approval_mode = "any"
        groups        = [{ name = "Data Stewards", id = -1 }]`), errorPattern(`review_flow.review.stages[0].groups`, `value must be at least 0`)},
		{stage(`        approval_mode = "any"
        attributes    = [{ key = "Department", value = "" }]`), errorPattern(`review_flow.review.stages[0].attributes`, `must not be blank`)},
		{stage(`        approval_mode      = "any"
        catalog_permission = false`), errorPattern(`Attribute review_flow.review.stages[0].catalog_permission can only be true`)},
		{name + fieldPurpose + flowAutoApprove + `
  data_use_agreement_ids = ["not-a-uuid"]`, errorPattern("data_use_agreement_ids", "must be a lower-case UUID")},
		// The policy document.
		{policy(`{ version = "1" }`), errorPattern(`Attribute policy_json is not a valid review-flow policy document`, `"rules" is required`, `"defaultEvent" is required`)},
		{policy(`{ rules = [], defaultEvent = { type = "requestApproval", params = {} } }`), errorPattern(`defaultEvent.type "requestApproval" must be one of "approve", "deny", "review", "dataProductPolicy"`)},
		{policy(`{ rules = [], defaultEvent = { type = "delegate" } }`), errorPattern(`defaultEvent.type "delegate" must be one of`)},
		{policy(`{ rules = [], defaultEvent = { type = "approve" } }`), errorPattern(`defaultEvent.params is required for a approve event`)},
		{policy(`{ rules = [], defaultEvent = { type = "approve", params = { duration = 0, durationUnit = "SECONDS", approvers = [] } } }`),
			errorPattern(`defaultEvent.params.approvers is not allowed`, `defaultEvent.params.duration must be at least 1`, `defaultEvent.params.durationUnit must be one of "HOURS"`)},
		{policy(`{ rules = [], defaultEvent = { type = "review", params = { stages = [{ all = [] }, { all = [{ type = "CATALOG PERMISSION" }], any = [{ type = "CATALOG PERMISSION" }] }] } } }`),
			errorPattern(`defaultEvent.params.stages[0].all must be an array of at least 1 approver`, `defaultEvent.params.stages[1] must have exactly one of "all" and "any"`)},
		{policy(`{ rules = [], defaultEvent = { type = "review", params = { stages = [{ any = [{ type = "DOMAIN_PERMISSION", id = "MANAGE_DATA_PRODUCTS" }, { type = "DOMAIN PERMISSION", permission = "MANAGE_DATA_PRODUCTS" }, { type = "GROUP", id = "1" }, { type = "USER" }, { type = "ATTRIBUTE", key = "a" }, { type = "PERMISSION", permission = "ROOT" }] }] } } }`),
			errorPattern(`stages[0].any[0].type must be one of "USER", "GROUP", "PERMISSION", "DOMAIN PERMISSION", "ATTRIBUTE", "CATALOG PERMISSION"`,
				`stages[0].any[1].permission must be one of "Manage Policies"`, `stages[0].any[2].name is required`, `stages[0].any[3].id is required`, `(and 2 more)`)},
		{policy(`{ rules = [{ conditions = { all = [], any = [] }, event = { type = "deny", params = {} } }, { conditions = { all = [] } }], defaultEvent = { type = "dataProductPolicy" } }`),
			errorPattern(`rules[0].conditions must have exactly one property, all, any or not`, `rules[1].event is required`)},
		{name + fieldPurpose + `
  policy_json = "{not json"`, errorPattern("policy_json", "JSON")},
		{`  name = ""` + fieldPurpose + flowAutoApprove, errorPattern("Attribute name string length must be between 1 and 255")},
	}
	out := make([]badInput, 0, len(cases))
	for _, c := range cases {
		out = append(out, badInput{config: func(srv endpointer) string { return formConfig(srv, c.body) }, want: c.want})
	}
	return out
}

// Values known only after apply pass validation, and the rules are still
// enforced once they are known.
func TestAccRequestForm_unknownValues(t *testing.T) {
	acc := newAccTarget(t)
	name, terms := randomName("form"), randomName("terms")
	config := func(label2 string) string {
		return formConfig(acc, `  name = "`+name+`"
  field {
    type  = "SHORT_ANSWER"
    label = immuta_data_use_agreement.terms.name
  }
  field {
    type  = "SHORT_ANSWER"
    label = "`+label2+`"
  }
  review_flow = {
    auto_approve = { reason = immuta_data_use_agreement.terms.body }
  }
  data_use_agreement_ids = [immuta_data_use_agreement.terms.id]`, `
resource "immuta_data_use_agreement" "terms" {
  name = "`+terms+`"
  body = "Accepted terms."
}
`)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeAggregateTestCheckFunc(acc.checkFormsDestroyed(), acc.checkAgreementsDestroyed()),
		Steps: []resource.TestStep{
			{Config: config("Other")},
			{Config: config(strings.ToLower(terms)), PlanOnly: true, ExpectError: errorPattern(`the label "` + strings.ToLower(terms) + `" is already used by field[0]`)},
		},
	})
}

func TestRequestFormInUseHint(t *testing.T) {
	one := requestFormInUseHint([]marketplace.LinkedDataProduct{{ObjectRef: marketplace.ObjectRef{ID: "p1", Name: "Sales 360"}}}, nil)
	if !strings.Contains(one, `data product "Sales 360" (p1)`) {
		t.Errorf("one product: %s", one)
	}
	two := requestFormInUseHint([]marketplace.LinkedDataProduct{{ObjectRef: marketplace.ObjectRef{ID: "p1", Name: "A"}}, {ObjectRef: marketplace.ObjectRef{ID: "p2", Name: "B"}}}, nil)
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
	prior := []formFieldModel{field("id-a", "SHORT_ANSWER", "A"), field("id-b", "DROPDOWN", "B"), field("id-c", "SHORT_ANSWER", "C"),
		field("id-d", "ACCESS_DURATION", marketplace.AccessDurationLabel)}
	planned := []formFieldModel{field("", "DROPDOWN", "B"), field("", "SHORT_ANSWER", "new"), field("", "SHORT_ANSWER", "a"), field("", "SHORT_ANSWER", "C"),
		field("", "ACCESS_DURATION", "")}
	planned[4].Label = types.StringUnknown() // computed: not configured
	configured := []formFieldModel{
		{Required: types.BoolNull(), Label: types.StringValue("B")}, {Required: types.BoolNull(), Label: types.StringValue("new")},
		{Required: types.BoolNull(), Label: types.StringValue("a")}, {Required: types.BoolValue(false), Label: types.StringValue("C")},
		{Required: types.BoolNull(), Label: types.StringNull()},
	}
	planned[3].Required = types.BoolValue(false)
	carryFieldIDs(planned, configured, prior)
	wantIDs := []string{"id-b", "", "id-a", "id-c", "id-d"}
	for i, want := range wantIDs {
		got := planned[i].ID
		if (want == "" && !got.IsUnknown()) || (want != "" && got.ValueString() != want) {
			t.Errorf("planned[%d].id = %v, want %q", i, got, want)
		}
	}
	wantRequired := []bool{true, true, true, false, true}
	for i, want := range wantRequired {
		if planned[i].Required.IsUnknown() || planned[i].Required.ValueBool() != want {
			t.Errorf("planned[%d].required = %v, want %v", i, planned[i].Required, want)
		}
	}
	if planned[4].Label.ValueString() != marketplace.AccessDurationLabel {
		t.Errorf("the ACCESS_DURATION question's label is planned as %v, want the fixed one", planned[4].Label)
	}
}

// Removing `required = false` from a question plans it back to its
// default, true, as an update.
func TestAccRequestForm_requiredDefault(t *testing.T) {
	acc := newAccTarget(t)
	name := randomName("form")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acc.checkFormsDestroyed(),
		Steps: []resource.TestStep{
			{Config: formConfig(acc, `  name = "`+name+`"`+fieldTeam+flowAutoApprove)},
			{
				Config: formConfig(acc, `  name = "`+name+`"
  field {
    type    = "DROPDOWN"
    label   = "Team"
    options = ["Sales", "Marketing"]
  }`+flowAutoApprove),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(formAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(formAddr, tfjsonpath.New("field").AtSliceIndex(0).AtMapKey("required"), knownvalue.Bool(true)),
						plancheck.ExpectUnknownValue(formAddr, tfjsonpath.New("version")),
					},
				},
				Check: acc.checkFormStored(func(f *marketplace.RequestForm) error {
					if !f.Fields[0].Required {
						return errors.New("the stored question is still optional")
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
	srv := requireEmulator(t, "injects faults, reads the request log, reads the emulator's objects")
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
	srv := requireEmulator(t, "reads the emulator's objects")
	var config strings.Builder
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "resources", "immuta_request_form", "resource*.tf"))
	if err != nil || len(files) < 6 {
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
	const placeholder = "var.sales_form_id"
	if !strings.Contains(string(lookup), placeholder) {
		t.Fatalf("the data source example no longer looks a form up by the id in %s", placeholder)
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
				statecheck.ExpectKnownValue("immuta_request_form.sales", flow("review").AtMapKey("stages").AtSliceIndex(0).AtMapKey("approval_mode"), knownvalue.StringExact("any")),
				statecheck.ExpectKnownValue("immuta_request_form.sales", flow("review").AtMapKey("stages").AtSliceIndex(1).AtMapKey("approval_mode"), knownvalue.StringExact("all")),
				statecheck.ExpectKnownValue("immuta_request_form.sales", tfjsonpath.New("field").AtSliceIndex(3).AtMapKey("label"), knownvalue.StringExact(marketplace.AccessDurationLabel)),
				statecheck.ExpectKnownValue("immuta_request_form.closed", flow("auto_deny").AtMapKey("reason"), knownvalue.NotNull()),
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
				statecheck.ExpectKnownOutputValue("sales_form_policy", knownvalue.StringRegexp(regexp.MustCompile(`"type":"review"`))),
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
