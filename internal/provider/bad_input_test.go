package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// badInput is a configuration whose mistake is knowable before any write,
// and the error terraform plan must give for it (naming the attribute).
type badInput struct {
	config func(endpointer) string
	want   *regexp.Regexp
}

// notAtPlanTime lists the bad inputs that cannot be refused at plan time,
// and why; the apply reports each with a hint.
var notAtPlanTime = []struct{ input, why string }{
	{"a name another object holds (made in the app, another workspace or a killed apply)",
		"the name can be freed or taken between plan and apply, and the create journal's own object must be adopted, " +
			"not refused; the 409 comes at once with the import hint"},
	{"two resources of the configuration swapping names",
		"each rename is valid alone, only their order conflicts; the 409 names the other object and the way out"},
	{"deleting a request form a data product uses, or an agreement a form uses",
		"the use can end in the same apply (Terraform orders it); the 409 names the users"},
	{"ids known only after apply (a resource created in the same apply)",
		"checked by the apply's own plan of the resource, before its write, but not by terraform plan"},
	{"a permission the token's user lacks (403)",
		"the service decides per action and per domain"},
	{"a user or group missing from a list the service cut short (10000 entries)",
		"a missing id then proves nothing; the apply's 400 names it"},
	{"a lookup that fails (no permission to list users, a network error)",
		"left to the apply, where the service checks the same"},
	{"a rule condition that names a question or fact the form does not have",
		"the contract leaves conditions free-form (json-rules-engine facts)"},
}

func timeoutsBody(which, value string) string {
	return fmt.Sprintf("  timeouts = { %s = %q }\n", which, value)
}

// newBadInputs are the cases that the plan-time lookups, the policy
// document's unknown properties and the timeouts check added.
func newBadInputs() []badInput {
	name := `  name = "Invalid"`
	form := func(body string) func(endpointer) string {
		return func(srv endpointer) string { return formConfig(srv, name+fieldPurpose+"\n"+body) }
	}
	stage := func(body string) func(endpointer) string {
		return form("  review_flow = {\n    review = {\n      stages = [{\n        approval_mode = \"any\"\n" + body + "\n      }]\n    }\n  }")
	}
	policy := func(doc string) func(endpointer) string {
		return form("  policy_json = jsonencode(" + doc + ")")
	}
	review := func(approver string) string {
		return `{ rules = [], defaultEvent = { type = "review", params = { stages = [{ any = [` + approver + `] }] } } }`
	}
	product := func(change func(*productConfig)) func(endpointer) string {
		cfg := productConfig{Name: "ok", Domains: []string{nasDomainID}, DeletionProtection: boolPtr(false)}
		change(&cfg)
		return cfg.config
	}
	agreement := func(extra string) func(endpointer) string {
		return func(srv endpointer) string {
			return providerConfig(srv) + "resource \"immuta_data_use_agreement\" \"test\" {\n  name = \"ok\"\n  body = \"text\"\n" + extra + "}\n"
		}
	}
	dataSource := func(body string) func(endpointer) string {
		return func(srv endpointer) string { return providerConfig(srv) + body }
	}
	return []badInput{
		// Users, groups, attributes and agreements that do not exist.
		{stage(`        user_ids = ["` + unknownUUID + `"]`), errorPattern("Unknown User", "review_flow.review.stages[0].user_ids", unknownUUID)},
		{stage(`        user_ids = ["` + governorID + `", "` + unknownUUID + `"]`), errorPattern("Unknown User", unknownUUID)},
		{stage(`        groups = [{ name = "No Such Group" }]`), errorPattern("Unknown Group", "review_flow.review.stages[0].groups", `"No Such Group"`)},
		{stage(`        groups = [{ name = "Data Stewards", id = 2 }]`), errorPattern("Unknown Group", `named "Data Stewards" with the id 2`)},
		{stage(`        attributes = [{ key = "Department", value = "Astrology" }]`), errorPattern("Unknown Attribute", "stages[0].attributes", `"Department"`, `"Astrology"`)},
		{stage(`        attributes = [{ key = "Shoe Size", value = "42" }]`), errorPattern("Unknown Attribute", `"Shoe Size"`)},
		{policy(review(`{ type = "USER", id = "` + unknownUUID + `" }`)), errorPattern("Unknown User", "policy_json", "defaultEvent.params.stages[0].any[0]")},
		{policy(review(`{ type = "GROUP", name = "Nobody" }`)), errorPattern("Unknown Group", "policy_json", `"Nobody"`)},
		{policy(review(`{ type = "ATTRIBUTE", key = "Region", value = "Atlantis" }`)), errorPattern("Unknown Attribute", "policy_json", `"Atlantis"`)},
		{policy(`{ rules = [{ conditions = { all = [] }, event = { type = "review", params = { stages = [{ all = [{ type = "USER", id = "` + unknownUUID + `" }] }] } } }], defaultEvent = { type = "deny", params = {} } }`),
			errorPattern("Unknown User", "rules[0].event.params.stages[0].all[0]")},
		{form(flowAutoApprove + "\n  data_use_agreement_ids = [\"" + unknownUUID + "\"]"), errorPattern("Unknown Data Use Agreement", "data_use_agreement_ids", unknownUUID)},
		// Properties the policy document does not have.
		{policy(`{ rules = [], defaultEvent = { type = "deny", params = {} }, owner = "me" }`), errorPattern(`the document has an unknown property "owner"`)},
		{policy(`{ rules = [], defaultEvent = { type = "deny", params = {}, priority = 1 } }`), errorPattern(`defaultEvent has an unknown property "priority"`)},
		{policy(`{ rules = [], defaultEvent = { type = "deny", params = { reason = "No." } } }`), errorPattern(`defaultEvent.params has an unknown property "reason"`)},
		{policy(`{ rules = [], defaultEvent = { type = "review", params = { stages = [{ any = [{ type = "PERMISSION", permission = "GOVERNANCE" }], name = "first" }] } } }`),
			errorPattern(`stages[0] has an unknown property "name"`)},
		{policy(review(`{ type = "USER", id = "` + governorID + `", email = "g@example.com" }`)), errorPattern(`any[0] has an unknown property "email"`)},
		{policy(`{ rules = [], defaultEvent = { type = "review", params = { stages = [], escalate = true } } }`), errorPattern(`defaultEvent.params has an unknown property "escalate"`)},
		{policy(`{ rules = [{ conditions = { all = [] }, event = { type = "deny", params = {} }, priority = 1 }], defaultEvent = { type = "deny", params = {} } }`),
			errorPattern(`rules[0] has an unknown property "priority"`)},
		{policy(`{ rules = [], defaultEvent = { type = "dataProductPolicy", params = {} } }`), errorPattern(`defaultEvent has an unknown property "params"`)},
		{policy(`{ rules = [], defaultEvent = { type = "approve", params = { durationUnit = "MINUTES", duration = 5 } } }`), errorPattern(`durationUnit must be one of "HOURS"`)},
		// Timeouts.
		{form(flowAutoApprove + "\n" + timeoutsBody("create", "0s")), errorPattern("timeouts.create", "not a positive duration")},
		{form(flowAutoApprove + "\n" + timeoutsBody("update", "-1m")), errorPattern("timeouts.update", "not a positive duration")},
		{form(flowAutoApprove + "\n" + timeoutsBody("delete", "soon")), errorPattern("timeouts.delete")},
		{agreement(timeoutsBody("create", "0")), errorPattern("timeouts.create", "not a positive duration")},
		{agreement(timeoutsBody("delete", "10")), errorPattern("timeouts.delete")},
		{product(func(c *productConfig) { c.Extra = timeoutsBody("create", "-5s") }), errorPattern("timeouts.create", "not a positive duration")},
		{product(func(c *productConfig) { c.Extra = timeoutsBody("update", "1 hour") }), errorPattern("timeouts.update")},
		// Data products: references and their own review flows.
		{product(func(c *productConfig) { c.SME = unknownUUID }), errorPattern("Unknown User", "subject_matter_expert_id", unknownUUID)},
		{product(func(c *productConfig) { c.Domains = []string{unknownUUID} }), errorPattern("Unknown Domain", unknownUUID)},
		{product(func(c *productConfig) { c.FormID = unknownUUID }), errorPattern("data_access_request_form_id", "No request form has the id "+unknownUUID)},
		{product(func(c *productConfig) {
			c.Extra = "  data_access_review_flow = { review = { stages = [{ approval_mode = \"all\", user_ids = [\"" + unknownUUID + "\"] }] } }\n"
		}), errorPattern("Unknown User", "data_access_review_flow.review.stages[0].user_ids")},
		{product(func(c *productConfig) {
			c.Extra = "  masking_exception_review_flow = { review = { stages = [{ approval_mode = \"any\", attributes = [{ key = \"Clearance\", value = \"Cosmic\" }] }] } }\n"
		}), errorPattern("Unknown Attribute", "masking_exception_review_flow.review.stages[0].attributes")},
		{product(func(c *productConfig) {
			c.Extra = "  data_access_review_flow_json = jsonencode(" + review(`{ type = "GROUP", name = "Ghosts" }`) + ")\n"
		}), errorPattern("Unknown Group", "data_access_review_flow_json", `"Ghosts"`)},
		{product(func(c *productConfig) {
			c.Extra = "  data_access_review_flow_json = jsonencode({ rules = [{ conditions = { all = [] }, event = { type = \"dataProductPolicy\" } }], defaultEvent = { type = \"approve\", params = {} } })\n"
		}), errorPattern("data_access_review_flow_json", `rules[0].event.type "dataProductPolicy" must be one of "approve", "deny", "review"`)},
		{product(func(c *productConfig) {
			c.Extra = "  masking_exception_review_flow_json = jsonencode({ rules = [], defaultEvent = { type = \"dataProductPolicy\" } })\n"
		}), errorPattern("masking_exception_review_flow_json", `defaultEvent.type "dataProductPolicy" must be one of "approve", "review"`)},
		{product(func(c *productConfig) {
			c.Extra = "  data_access_review_flow_json = jsonencode({ rules = [], defaultEvent = { type = \"deny\", params = {} } })\n"
		}), errorPattern("data_access_review_flow_json", `defaultEvent.type "deny" must be one of "approve", "review"`)},
		{product(func(c *productConfig) {
			c.Extra = "  data_access_review_flow = { auto_deny = { reason = \"No.\" } }\n"
		}), errorPattern("auto_deny")},
		{product(func(c *productConfig) {
			c.Extra = "  data_access_review_flow = { delegate_to_data_product = true }\n"
		}), errorPattern("delegate_to_data_product")},
		// Data sources: the selectors.
		{dataSource("data \"immuta_data_use_agreement\" \"x\" {}\n"), errorPattern("Exactly one of these attributes must be configured: [id,name]")},
		{dataSource("data \"immuta_request_form\" \"x\" {\n  id   = \"" + unknownUUID + "\"\n  name = \"x\"\n}\n"), errorPattern("Invalid Attribute Combination")},
		{dataSource("data \"immuta_data_product\" \"x\" {}\n"), errorPattern("Exactly one of these attributes must be configured: [id,name]")},
		{dataSource("data \"immuta_domain\" \"x\" {}\n"), errorPattern("Exactly one of these attributes must be configured: [id,name]")},
	}
}

// TestAccBadInput_refusedAtPlanTime runs every bad input of the three
// resources and the data sources through terraform plan: each fails,
// naming the attribute, and the service sees no write at all (plan-time
// lookups are reads).
func TestAccBadInput_refusedAtPlanTime(t *testing.T) {
	srv := requireEmulator(t, "reads the request log")
	var cases []badInput
	for _, group := range [][]badInput{requestFormBadInputs(), agreementBadInputs(), productBadInputs(), newBadInputs()} {
		cases = append(cases, group...)
	}
	if len(cases) < 95 {
		t.Fatalf("the matrix has %d bad inputs, want at least 95", len(cases))
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: c.config(srv), PlanOnly: true, ExpectError: c.want})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("a bad input reached the service with a write: %s %s", r.Method, r.Path)
		}
	}
	t.Logf("%d bad inputs refused at plan time; %d kinds left to the apply", len(cases), len(notAtPlanTime))
}
