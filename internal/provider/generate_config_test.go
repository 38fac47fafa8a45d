package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// adoptionCase is one resource type in TestAccAdoptWithGeneratedConfig.
type adoptionCase struct {
	// resourceType is the Terraform type, such as immuta_data_use_agreement.
	resourceType string
	// variant tells apart cases of the same type ("" for the only one).
	variant string
	// seed makes an object through the emulator's Go API, as someone using
	// the Marketplace app would (with whatever it refers to), and returns
	// the object's id and name. Choose unusual values: the generated
	// configuration must reproduce them exactly.
	seed func(t *testing.T, srv *marketplacetest.TestServer) (id, name string)
	// stillExists reports whether the emulator still holds the object.
	stillExists func(srv *marketplacetest.TestServer, id string) bool
	// emulator, if set, starts the emulator instead of requireEmulator
	// (for objects only some callers may manage).
	emulator func(t *testing.T, reason string) *marketplacetest.TestServer
	// unprotect, if set, rewrites the generated configuration so that the
	// object may be destroyed when the test ends (deletion protection).
	unprotect func(generated string) string
}

// adoptionCases lists every resource type that can be adopted. A new
// resource type adds its entry here.
var adoptionCases = []adoptionCase{
	{
		// Webhooks have no name: "name" is the URL, imported as "url:<url>".
		resourceType: "immuta_webhook",
		emulator:     newWebhookEmulator,
		seed: func(t *testing.T, srv *marketplacetest.TestServer) (string, string) {
			t.Helper()
			h, err := srv.SeedWebhook(marketplacetest.Webhook{
				URL: "https://hooks.example.com/" + randomName("adopted") + "?source=marketplace&v=2", SigningKey: "made-in-the-app",
			})
			if err != nil {
				t.Fatal(err)
			}
			return h.ID, h.URL
		},
		stillExists: func(srv *marketplacetest.TestServer, id string) bool {
			_, ok := srv.Webhook(id)
			return ok
		},
	},
	{
		resourceType: "immuta_data_use_agreement",
		seed: func(t *testing.T, srv *marketplacetest.TestServer) (string, string) {
			t.Helper()
			a, err := srv.SeedDataUseAgreement(randomName("adopted")+" / Q3 (draft)",
				"Made in the Marketplace app.\n\n  Indented line, \"quotes\", ${not_interpolated} and %{percent}.\n")
			if err != nil {
				t.Fatal(err)
			}
			return a.ID, a.Name
		},
		stillExists: func(srv *marketplacetest.TestServer, id string) bool {
			_, ok := srv.DataUseAgreement(id)
			return ok
		},
	},
	{
		resourceType: "immuta_request_form",
		variant:      "review_flow",
		seed: func(t *testing.T, srv *marketplacetest.TestServer) (string, string) {
			t.Helper()
			group := 12
			f := appRequestForm(t, srv, marketplacetest.Policy{Version: "1", DefaultEvent: marketplacetest.PolicyEvent{
				Type: marketplacetest.EventReview, Params: &marketplacetest.EventParams{Stages: []marketplacetest.Stage{
					{Any: []marketplacetest.Approver{
						{Type: marketplacetest.ApproverUser, UserID: analystID},
						{Type: marketplacetest.ApproverGroup, GroupID: &group, Name: "Marketplace Approvers"},
						{Type: marketplacetest.ApproverGroup, Name: "Finance"},
						{Type: marketplacetest.ApproverAttribute, Key: "Cost Center", Value: "CC-2040"},
					}},
					{All: []marketplacetest.Approver{
						{Type: marketplacetest.ApproverPermission, Permission: "GOVERNANCE"},
						{Type: marketplacetest.ApproverDomainPermission, Permission: "Manage Data Products"},
						{Type: marketplacetest.ApproverDomainPermission, Permission: "Audit Activity", DomainID: financeDomainID},
						{Type: marketplacetest.ApproverCatalogPermission},
					}},
				}},
			}})
			return f.ID, f.Name
		},
		stillExists: requestFormExists,
	},
	{
		// Rules that decide by the answers: only policy_json can say them.
		resourceType: "immuta_request_form",
		variant:      "policy_json",
		seed: func(t *testing.T, srv *marketplacetest.TestServer) (string, string) {
			t.Helper()
			f := appRequestForm(t, srv, marketplacetest.Policy{
				Version: "1",
				Rules: []marketplacetest.PolicyRule{{
					Conditions: json.RawMessage(`{"all":[{"fact":"answers.Purpose (\"why\")","operator":"contains","value":"audit"},` +
						`{"fact":"answers.Region","operator":"equal","value":"EU"}]}`),
					Event: marketplacetest.PolicyEvent{Type: marketplacetest.EventApprove, Params: &marketplacetest.EventParams{
						Comment: "Audits in the EU: ${approved} for 90 days.", Duration: 90, DurationUnit: "DAYS",
					}},
				}},
				DefaultEvent: marketplacetest.PolicyEvent{Type: marketplacetest.EventReview, Params: &marketplacetest.EventParams{
					Stages: []marketplacetest.Stage{{All: []marketplacetest.Approver{{Type: marketplacetest.ApproverAttribute, Key: "Clearance", Value: "Restricted"}}}},
				}},
			})
			return f.ID, f.Name
		},
		stillExists: requestFormExists,
	},
	{
		// The least a form can be: one question, no agreements, and the
		// review flow left to each data product.
		resourceType: "immuta_request_form",
		variant:      "minimal",
		seed: func(t *testing.T, srv *marketplacetest.TestServer) (string, string) {
			t.Helper()
			f, err := srv.SeedRequestForm(marketplacetest.RequestForm{
				Name:   randomName("delegating"),
				Fields: []marketplacetest.FormField{{Type: marketplacetest.FieldShortAnswer, Label: "Why?"}},
				Policy: marketplacetest.Policy{DefaultEvent: marketplacetest.PolicyEvent{Type: marketplacetest.EventDataProductPolicy}},
			})
			if err != nil {
				t.Fatal(err)
			}
			return f.ID, f.Name
		},
		stillExists: requestFormExists,
	},
	{
		resourceType: "immuta_data_product",
		variant:      "form_decides",
		seed: func(t *testing.T, srv *marketplacetest.TestServer) (string, string) {
			t.Helper()
			form := appRequestForm(t, srv, marketplacetest.Policy{Version: "1", DefaultEvent: marketplacetest.PolicyEvent{
				Type: marketplacetest.EventApprove, Params: &marketplacetest.EventParams{Comment: "Open to all."},
			}})
			description := "Bookings and campaigns.\n\nAsk \"Alex\" before joining ${tables} or %{ loops }.\n"
			p, err := srv.SeedDataProduct(marketplacetest.DataProduct{
				Name:                    randomName("adopted") + " (NA) / Q3_draft",
				Description:             &description,
				Domains:                 []string{nasDomainID, marketingDomainID},
				DataSourceIDs:           []int{101, 103, 106},
				DataAccessRequestFormID: form.ID,
				SubjectMatterExpert:     analystID,
				Suspended:               true,
			})
			if err != nil {
				t.Fatal(err)
			}
			return p.ID, p.Name
		},
		stillExists: dataProductExists,
		unprotect:   unprotectDataProduct,
	},
	{
		// A form that delegates the review flow, for both request types:
		// the product has its own flows, both of which the typed form says.
		resourceType: "immuta_data_product",
		variant:      "own_review_flow",
		seed: func(t *testing.T, srv *marketplacetest.TestServer) (string, string) {
			t.Helper()
			form := appRequestForm(t, srv, marketplacetest.Policy{Version: "1", DefaultEvent: marketplacetest.PolicyEvent{
				Type: marketplacetest.EventDataProductPolicy,
			}})
			p, err := srv.SeedDataProduct(marketplacetest.DataProduct{
				Name:                          randomName("adopted"),
				Domains:                       []string{financeDomainID},
				DataAccessRequestFormID:       form.ID,
				MaskingExceptionRequestFormID: form.ID,
				DataAccessReviewFlow: json.RawMessage(`{"rules":[],"defaultEvent":{"type":"approve","params":` +
					`{"comment":"Finance reads.","duration":2,"durationUnit":"WEEKS"}}}`),
				MaskingExceptionReviewFlow: json.RawMessage(`{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[` +
					`{"all":[{"type":"USER","id":"` + analystID + `"}]},{"any":[{"type":"PERMISSION","permission":"GOVERNANCE"}]}]}}}`),
			})
			if err != nil {
				t.Fatal(err)
			}
			return p.ID, p.Name
		},
		stillExists: dataProductExists,
		unprotect:   unprotectDataProduct,
	},
	{
		// Two forms, one per request type, and a flow set for a form that
		// decides itself (stored, inactive) comes back in the config too.
		resourceType: "immuta_data_product",
		variant:      "two_forms",
		seed: func(t *testing.T, srv *marketplacetest.TestServer) (string, string) {
			t.Helper()
			access := appRequestForm(t, srv, marketplacetest.Policy{Version: "1", DefaultEvent: marketplacetest.PolicyEvent{
				Type: marketplacetest.EventApprove, Params: &marketplacetest.EventParams{Comment: "Open to all."},
			}})
			p, err := srv.SeedDataProduct(marketplacetest.DataProduct{
				Name:                          randomName("adopted") + " Ünïcode 東京",
				Domains:                       []string{nasDomainID},
				DataAccessRequestFormID:       access.ID,
				MaskingExceptionRequestFormID: marketplacetest.StandardRequestFormID,
				DataAccessReviewFlow: json.RawMessage(`{"rules":[{"conditions":{"all":[]},"event":{"type":"deny","params":{"comment":"No."}}}],` +
					`"defaultEvent":{"type":"approve","params":{}}}`),
			})
			if err != nil {
				t.Fatal(err)
			}
			return p.ID, p.Name
		},
		stillExists: dataProductExists,
		unprotect:   unprotectDataProduct,
	},
	{
		// The least a product can be: the service's default forms and flows.
		resourceType: "immuta_data_product",
		variant:      "standard_form",
		seed: func(t *testing.T, srv *marketplacetest.TestServer) (string, string) {
			t.Helper()
			p, err := srv.SeedDataProduct(marketplacetest.DataProduct{Name: randomName("adopted"), Domains: []string{nasDomainID}})
			if err != nil {
				t.Fatal(err)
			}
			return p.ID, p.Name
		},
		stillExists: dataProductExists,
		unprotect:   unprotectDataProduct,
	},
}

// appRequestForm seeds a request form as the Marketplace app makes one:
// every kind of question, two agreements, and the given review flow.
func appRequestForm(t *testing.T, srv *marketplacetest.TestServer, policy marketplacetest.Policy) marketplacetest.RequestForm {
	t.Helper()
	var agreementIDs []string
	for _, name := range []string{"Internal use", "No export"} {
		a, err := srv.SeedDataUseAgreement(randomName(name), "Terms for "+name+".")
		if err != nil {
			t.Fatal(err)
		}
		agreementIDs = append(agreementIDs, a.ID)
	}
	f, err := srv.SeedRequestForm(marketplacetest.RequestForm{
		Name: randomName("adopted form") + ` "EU" / ${region}`,
		Fields: []marketplacetest.FormField{
			{Type: marketplacetest.FieldShortAnswer, Label: `Purpose ("why")`, Required: true},
			{Type: marketplacetest.FieldDropdown, Label: "Region", Required: true, Options: []marketplacetest.FieldOption{{Value: "US"}, {Value: "EU"}, {Value: "%{ other }"}}},
			{Type: marketplacetest.FieldCheckboxes, Label: "Which tables?", Options: []marketplacetest.FieldOption{{Value: "orders"}, {Value: "customers"}}},
			{Type: marketplacetest.FieldAccessDuration, Required: true},
		},
		Policy:              policy,
		DataUseAgreementIDs: agreementIDs,
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func requestFormExists(srv *marketplacetest.TestServer, id string) bool {
	_, ok := srv.RequestForm(id)
	return ok
}

func dataProductExists(srv *marketplacetest.TestServer, id string) bool {
	_, ok := srv.DataProduct(id)
	return ok
}

// unprotectDataProduct turns off the deletion protection that the
// generated configuration keeps, so that the test can destroy the product.
func unprotectDataProduct(generated string) string {
	return deletionProtectionLine.ReplaceAllString(generated, "${1}false")
}

var deletionProtectionLine = regexp.MustCompile(`(?m)^(\s*deletion_protection\s*=\s*)true$`)

// TestAccAdoptWithGeneratedConfig follows the guide "Source-controlling an
// existing Marketplace" for every resource type: with an object made
// outside Terraform and a configuration of import blocks only,
// `terraform plan -generate-config-out` writes a configuration that
// validates, imports the object without changing it, and plans clean
// afterwards. It runs for an import by id and by "name:<name>".
func TestAccAdoptWithGeneratedConfig(t *testing.T) {
	for _, c := range adoptionCases {
		prefix := c.resourceType
		if c.variant != "" {
			prefix += "/" + c.variant
		}
		for _, by := range []string{"id", "name"} {
			t.Run(prefix+"/by_"+by, func(t *testing.T) {
				t.Parallel()
				testAdoptWithGeneratedConfig(t, c, by)
			})
		}
	}
}

func testAdoptWithGeneratedConfig(t *testing.T, c adoptionCase, by string) {
	newServer := requireEmulator
	if c.emulator != nil {
		newServer = c.emulator
	}
	srv := newServer(t, "seeds objects, reads the emulator's objects")
	id, name := c.seed(t, srv)
	importID := id
	if by == "name" {
		importID = importLookupPrefix(c.resourceType) + name
	}
	addr := c.resourceType + ".adopted"
	importBlock := fmt.Sprintf("\nimport {\n  to = %s\n  id = %s\n}\n", addr, hclQuote(importID))
	versionChecks := []tfversion.TerraformVersionCheck{
		tfversion.SkipBelow(tfversion.Version1_5_0), // import blocks and -generate-config-out
	}

	// Steps 1-3 of the guide: import blocks alone, then
	// `terraform plan -generate-config-out=generated.tf`. The harness fails
	// unless the plan imports the object with no change.
	generated := map[string]string{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   versionChecks,
		Steps: []resource.TestStep{{
			Config:                 providerConfig(srv) + importBlock,
			ResourceName:           addr,
			ImportStateId:          importID,
			ImportState:            true,
			ImportStateKind:        resource.ImportBlockWithID,
			ImportStateConfigExact: true,
			GenerateConfig:         true,
			ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
				captureGeneratedConfig(generated, addr),
			}},
		}},
	})
	if t.Failed() {
		return
	}
	t.Logf("generated configuration:\n%s", generated[addr])

	// Step 4: the generated configuration, committed as it is, passes
	// validation, applies as an import that changes nothing in the
	// Marketplace, and the next plan is empty (the harness checks that
	// after every apply).
	steps := []resource.TestStep{{
		Config: providerConfig(srv) + importBlock + generated[addr],
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
		}},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
		},
		Check: checkNoWrites(srv),
	}}
	if c.unprotect != nil {
		steps = append(steps, resource.TestStep{Config: providerConfig(srv) + c.unprotect(generated[addr])})
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   versionChecks,
		CheckDestroy: func(*terraform.State) error {
			if c.stillExists(srv, id) {
				return fmt.Errorf("%s %s still exists after destroy", c.resourceType, id)
			}
			return nil
		},
		Steps: steps,
	})
}

// hclQuote writes s as an HCL string literal, in which "${" and "%{"
// would otherwise start a template.
func hclQuote(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

// captureGeneratedConfig copies the configuration Terraform generated for
// each of addrs out of the plan, failing when one has none.
func captureGeneratedConfig(into map[string]string, addrs ...string) plancheck.PlanCheck {
	return generatedConfigCheck{addrs: addrs, into: into}
}

type generatedConfigCheck struct {
	addrs []string
	into  map[string]string
}

func (c generatedConfigCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	generated := map[string]string{}
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change != nil {
			generated[rc.Address] = rc.Change.GeneratedConfig
		}
	}
	var errs []error
	for _, addr := range c.addrs {
		config, ok := generated[addr]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%s is not in the plan", addr))
		case config == "":
			errs = append(errs, fmt.Errorf("%s: Terraform generated no configuration", addr))
		default:
			c.into[addr] = config
		}
	}
	resp.Error = errors.Join(errs...)
}

// importGuideExampleID is the id the guide's imports.tf imports an
// agreement by; the test stands in the id of an agreement of its own.
const importGuideExampleID = "00000000-0000-0000-0000-000000000000"

// TestAccImportGuide runs the guide "Source-controlling an existing
// Marketplace" as written, with its own imports.tf, against a Marketplace
// whose objects were made in the app (those the getting-started guide
// makes with Terraform): the plan imports all four with no change, the
// agreement's generated block is the one the guide shows, the apply only
// reads, and the tidying of step 5 (references instead of ids, no null
// arguments, then no import blocks) keeps the plan empty.
func TestAccImportGuide(t *testing.T) {
	t.Parallel()
	srv := requireEmulator(t, "reads the request log, seeds objects, reads the emulator's objects")
	analytics, err := srv.SeedDataUseAgreement("Internal Analytics Only",
		"I will use this data for internal analytics only, will not share it\noutside the company, and will delete local copies within 30 days.\n")
	if err != nil {
		t.Fatal(err)
	}
	research, err := srv.SeedDataUseAgreement("Research Terms", "Results are published in aggregate only.\n")
	if err != nil {
		t.Fatal(err)
	}
	form, err := srv.SeedRequestForm(marketplacetest.RequestForm{
		Name: "Sales Data Access",
		Fields: []marketplacetest.FormField{
			{Type: marketplacetest.FieldShortAnswer, Label: "What will you use this data for?", Required: true},
			{Type: marketplacetest.FieldDropdown, Label: "How long do you need access?", Required: true,
				Options: []marketplacetest.FieldOption{{Value: "One week"}, {Value: "One month"}, {Value: "One quarter"}}},
		},
		Policy: marketplacetest.Policy{DefaultEvent: marketplacetest.PolicyEvent{
			Type: marketplacetest.EventReview, Params: &marketplacetest.EventParams{
				Stages: []marketplacetest.Stage{{Any: []marketplacetest.Approver{{Type: marketplacetest.ApproverUser, UserID: stewardID}}}},
			},
		}},
		DataUseAgreementIDs: []string{analytics.ID, research.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	description := "Online and in-store sales of 2024, one row per order line."
	product, err := srv.SeedDataProduct(marketplacetest.DataProduct{
		Name: "North American Sales", Description: &description, Domains: []string{nasDomainID},
		DataSourceIDs: []int{101, 102}, DataAccessRequestFormID: form.ID, SubjectMatterExpert: stewardID,
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{
		"immuta_data_use_agreement.internal_analytics": analytics.ID,
		"immuta_data_use_agreement.research_terms":     research.ID,
		"immuta_request_form.sales_access":             form.ID,
		"immuta_data_product.sales":                    product.ID,
	}
	addrs := make([]string, 0, len(ids))
	for addr := range ids {
		addrs = append(addrs, addr)
	}
	sort.Strings(addrs)

	guideDir := filepath.Join(docsRepoRoot, "examples", "guides", "import-existing-marketplace")
	importsFile, err := os.ReadFile(filepath.Join(guideDir, "imports.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(importsFile), importGuideExampleID) {
		t.Fatalf("imports.tf no longer imports by the id %s; update this test", importGuideExampleID)
	}
	imports := strings.ReplaceAll(string(importsFile), importGuideExampleID, research.ID)
	versionChecks := []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)}

	// Steps 2 and 3: the import blocks alone, and -generate-config-out.
	generated := map[string]string{}
	importChecks := []plancheck.PlanCheck{captureGeneratedConfig(generated, addrs...)}
	for _, addr := range addrs {
		importChecks = append(importChecks, plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop))
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   versionChecks,
		Steps: []resource.TestStep{{
			Config:                 providerConfig(srv) + imports,
			ResourceName:           "immuta_data_product.sales",
			ImportStateId:          product.ID,
			ImportState:            true,
			ImportStateKind:        resource.ImportBlockWithID,
			ImportStateConfigExact: true,
			GenerateConfig:         true,
			ImportPlanChecks:       resource.ImportPlanChecks{PreApply: importChecks},
		}},
	})
	if t.Failed() {
		return
	}
	all := make([]string, 0, len(addrs))
	for _, addr := range addrs {
		all = append(all, generated[addr])
	}
	asGenerated := strings.Join(all, "\n")
	t.Logf("generated configuration:\n%s", asGenerated)

	// The guide shows the agreement's generated block as it is.
	template, err := os.ReadFile(filepath.Join(docsRepoRoot, "templates", "guides", "import-existing-marketplace.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	shown := regexp.MustCompile("(?s)```terraform\n# __generated__ by Terraform from \"name:Internal Analytics Only\"\n(.*?)```").FindSubmatch(template)
	if shown == nil {
		t.Fatal("the guide no longer shows the generated block of immuta_data_use_agreement.internal_analytics; update this test")
	}
	if got := generated["immuta_data_use_agreement.internal_analytics"]; strings.TrimSpace(string(shown[1])) != strings.TrimSpace(got) {
		t.Errorf("the guide shows the generated block\n%s\nbut Terraform generates\n%s", shown[1], got)
	}

	// Step 5: ids of objects in the configuration become references, and
	// arguments set to null go.
	tidied := nullArgument.ReplaceAllString(asGenerated, "")
	for addr, id := range ids {
		tidied = strings.ReplaceAll(tidied, strconv.Quote(id), addr+".id")
	}
	stateChecks := make([]statecheck.StateCheck, 0, len(ids))
	for addr, id := range ids {
		stateChecks = append(stateChecks, statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(id)))
	}
	emptyPlan := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   versionChecks,
		CheckDestroy: func(*terraform.State) error {
			if n := len(srv.DataUseAgreements()) + len(srv.DataProducts()); n != 0 {
				return fmt.Errorf("%d agreements and products are left after destroy", n)
			}
			if len(srv.RequestForms()) != 1 { // the Standard Request Form
				return fmt.Errorf("request forms are left after destroy: %+v", srv.RequestForms())
			}
			return nil
		},
		Steps: []resource.TestStep{
			// Step 4: the apply imports and only reads.
			{
				Config:            providerConfig(srv) + imports + asGenerated,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: importChecks[1:]},
				ConfigStateChecks: stateChecks,
				Check:             checkNoWrites(srv),
			},
			{Config: providerConfig(srv) + imports + tidied, ConfigPlanChecks: emptyPlan, Check: checkNoWrites(srv)},
			{Config: providerConfig(srv) + tidied, ConfigPlanChecks: emptyPlan, Check: checkNoWrites(srv)},
			// Deleting the product takes turning its protection off first.
			{Config: providerConfig(srv) + unprotectDataProduct(tidied)},
		},
	})
}

// nullArgument matches a line that sets an argument to null.
var nullArgument = regexp.MustCompile(`(?m)^[ \t]*\w+[ \t]*=[ \t]*null[ \t]*\n`)
