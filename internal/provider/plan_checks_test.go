package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// Concurrent lookups of the same list share one request, and later ones
// are answered from the cache.
func TestLookupCache_oneRequestForConcurrentLookups(t *testing.T) {
	srv := requireEmulator(t, "reads the request log")
	client, err := marketplace.New(marketplace.Config{BaseURL: srv.Endpoint(), Token: srv.Token()})
	if err != nil {
		t.Fatal(err)
	}
	registerLookupCache(client)
	l := lookupsFor(client)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			users, err := l.users(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			if found, certain := users.has(governorID); !found || !certain {
				t.Errorf("governor not found: %v %v", found, certain)
			}
		}()
	}
	wg.Wait()
	if _, err := l.users(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(requestsTo(srv.Requests(), "GET", "/api/metadata/users")); n != 1 {
		t.Errorf("GET /api/metadata/users was sent %d times, want 1", n)
	}
	// An agreement this process created is not asked about.
	l.recordCreated(unknownUUID)
	if found, err := exists(context.Background(), l, "data use agreement", unknownUUID, client.GetDataUseAgreement); err != nil || !found {
		t.Errorf("an agreement this process created: found %v, %v", found, err)
	}
	if n := len(requestsTo(srv.Requests(), "GET", "/api/data-use-agreement")); n != 0 {
		t.Errorf("the agreement this process created was looked up %d times", n)
	}
}

// Several resources naming users, groups and attributes cost one request
// per list and per terraform command, not one per resource.
func TestAccPlanChecks_lookupsOncePerProcess(t *testing.T) {
	srv := requireEmulator(t, "reads the request log")
	var b strings.Builder
	b.WriteString(providerConfig(srv))
	const forms = 5
	for i := range forms {
		fmt.Fprintf(&b, `
resource "immuta_request_form" "f%[1]d" {
  name = "Form %[1]d"
  field {
    type  = "SHORT_ANSWER"
    label = "Purpose"
  }
  review_flow = {
    review = {
      stages = [{
        approval_mode = "any"
        user_ids      = [%[2]q]
        groups        = [{ name = "Data Stewards" }]
        attributes    = [{ key = "Department", value = "Sales" }]
      }]
    }
  }
}
`, i, stewardID)
	}
	fmt.Fprintf(&b, `
resource "immuta_data_product" "p" {
  name                     = "Product"
  domain_ids               = [%q]
  subject_matter_expert_id = %q
}
`, nasDomainID, governorID)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: b.String(), PlanOnly: true, ExpectNonEmptyPlan: true}},
	})
	reqs := srv.Requests()
	users := len(requestsTo(reqs, "GET", "/api/metadata/users"))
	groups := len(requestsTo(reqs, "GET", "/api/metadata/groups"))
	attributes := len(requestsTo(reqs, "GET", "/api/metadata/attributes"))
	// A plan-only step runs terraform plan twice (with and without a
	// refresh), each a provider process of its own.
	for what, n := range map[string]int{"users": users, "groups": groups, "attributes": attributes} {
		if n < 1 || n > 2 {
			t.Errorf("GET /api/metadata/%s was sent %d times for %d resources, want once per terraform plan", what, n, forms+1)
		}
	}
}

// A request form whose name another form holds fails at once, without
// waiting out the read-after-write window for its own id.
func TestAccRequestForm_nameConflictIsFast(t *testing.T) {
	srv := requireEmulator(t, "reads the request log, seeds objects")
	taken, err := srv.SeedRequestForm(uiForm(mustSeedAgreement(t, srv)))
	if err != nil {
		t.Fatal(err)
	}
	var started time.Time
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: providerFactories(15 * time.Second),
		Steps: []resource.TestStep{{
			PreConfig:   func() { started = time.Now() },
			Config:      formConfig(srv, fmt.Sprintf("  name = %q\n", taken.Name)+fieldPurpose+flowAutoApprove),
			ExpectError: errorPattern("HTTP 409", "already exists (id "+taken.ID+")", "terraform import"),
		}},
	})
	if elapsed := time.Since(started); elapsed > 5*time.Second {
		t.Errorf("the name conflict took %s to report, want well under the 15s window", elapsed)
	}
	for _, r := range requestsTo(srv.Requests(), "GET", "/api/request-form/") {
		if !strings.HasSuffix(r.Path, taken.ID) {
			t.Errorf("the create polled %s, want no poll of its own id", r.Path)
		}
	}
}

// A data product naming a request form this process did not create
// fails at once: only a form created in the same apply may be invisible.
func TestAccDataProduct_unknownFormFailsAtOnce(t *testing.T) {
	acc := newAccTarget(t)
	cfg := productConfig{Name: randomName("dp"), Domains: []string{acc.facts.DomainID}, FormID: unknownUUID, DeletionProtection: boolPtr(false)}
	var started time.Time
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: providerFactories(15 * time.Second),
		Steps: []resource.TestStep{{
			PreConfig:   func() { started = time.Now() },
			Config:      cfg.config(acc),
			PlanOnly:    true,
			ExpectError: errorPattern("Unknown Request Form", "No request form has the id "+unknownUUID),
		}},
	})
	if elapsed := time.Since(started); elapsed > 5*time.Second {
		t.Errorf("the unknown form took %s to report, want well under the 15s window", elapsed)
	}
}

// Two agreements swapping names never converge: the error names the
// other agreement and the way out.
func TestAccDataUseAgreement_swapNamesHint(t *testing.T) {
	acc := newAccTarget(t)
	swapA, swapB := randomName("swap")+" A", randomName("swap")+" B"
	config := func(a, b string) string {
		return providerConfig(acc) + fmt.Sprintf(`
resource "immuta_data_use_agreement" "a" {
  name = %q
  body = "A"
}

resource "immuta_data_use_agreement" "b" {
  name = %q
  body = "B"
}
`, a, b)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(swapA, swapB)},
			{Config: config(swapB, swapA), ExpectError: errorPattern("two resources swap names", "temporary name", "separate apply")},
			{Config: config(swapA, swapB)},
		},
	})
}

// A conflict with an object this configuration manages never suggests
// importing it.
func TestManagedConflictHint(t *testing.T) {
	l := &lookupCache{results: map[string]any{}, created: map[string]bool{}, managed: map[string]managedObject{}}
	if h := managedConflictHint(l, "data use agreement", "B", "", "", []string{"x"}); h != "" {
		t.Errorf("an unmanaged holder: %q, want none", h)
	}
	// Renamed to "B" outside Terraform, planned back to "A".
	l.recordManaged("data use agreement", "x", "B", "A")
	h := managedConflictHint(l, "data use agreement", "B", "", "", []string{"x"})
	if !strings.Contains(h, "Nothing needs importing") || strings.Contains(h, "terraform import") {
		t.Errorf("an object renamed outside Terraform: %q", h)
	}
	// Two resources swapping names.
	h = managedConflictHint(l, "data use agreement", "B", "y", "A", []string{"x"})
	if !strings.Contains(h, "swap names") || !strings.Contains(h, "temporary name") {
		t.Errorf("a swap: %q", h)
	}
	// Held by another resource of the configuration, which keeps its name.
	l.recordManaged("data use agreement", "z", "C", "C")
	h = managedConflictHint(l, "data use agreement", "C", "", "", []string{"z"})
	if !strings.Contains(h, "already managed by this configuration") || strings.Contains(h, "import ") {
		t.Errorf("a name another resource holds: %q", h)
	}
}

// A create that runs out of time before it sends anything fails without
// leaving anything in state: the next apply plans a plain create.
func TestAccDataUseAgreement_failedCreateSentNothingLeavesNoState(t *testing.T) {
	srv := requireEmulator(t, "reads the request log, reads the emulator's objects")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + `
resource "immuta_data_use_agreement" "test" {
  name     = "Nothing sent"
  body     = "text"
  timeouts = { create = "1ns" }
}
`,
				ExpectError: errorPattern("Unable to Create Data Use Agreement", "context deadline exceeded"),
			},
			{
				PreConfig: func() {
					for _, r := range srv.Requests() {
						if r.Method != "GET" {
							t.Errorf("the timed-out create sent %s %s", r.Method, r.Path)
						}
					}
				},
				Config: agreementConfig(srv, "Nothing sent", "text"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("immuta_data_use_agreement.test", plancheck.ResourceActionCreate)},
				},
				Check: checkAgreementStored(srv, "Nothing sent", "text"),
			},
		},
	})
}

// Every timeout states its default in the schema, and so in the docs.
func TestTimeoutsAttribute_statesDefault(t *testing.T) {
	attr, ok := timeoutsAttribute(context.Background(), timeouts.Opts{Create: true, Update: true, Delete: true}).(schema.SingleNestedAttribute)
	if !ok {
		t.Fatal("timeouts is not a single nested attribute")
	}
	for _, name := range []string{"create", "update", "delete"} {
		a, ok := attr.Attributes[name].(schema.StringAttribute)
		if !ok {
			t.Fatalf("%s: not a string attribute", name)
		}
		if !strings.HasSuffix(a.Description, `Defaults to "10m".`) {
			t.Errorf("%s: description %q does not state the default", name, a.Description)
		}
	}
}
