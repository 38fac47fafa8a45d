package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// consistencyCase is one resource type the consistency tests run over.
type consistencyCase struct {
	// config declares one resource at addr.
	config func(t *testing.T, srv *marketplacetest.TestServer) string
	addr   string
	// path is the API collection of the object, such as
	// "/api/data-use-agreement".
	path string
	// count is how many objects of the type the emulator holds.
	count func(srv *marketplacetest.TestServer) int
	// deleteError is the summary of a failed delete.
	deleteError string
}

func consistencyCases() map[string]consistencyCase {
	return map[string]consistencyCase{
		"data use agreement": {
			config: func(_ *testing.T, srv *marketplacetest.TestServer) string {
				return agreementConfig(srv, "In the dark", "text")
			},
			addr:        agreementAddr,
			path:        "/api/data-use-agreement",
			count:       func(srv *marketplacetest.TestServer) int { return len(srv.DataUseAgreements()) },
			deleteError: "Unable to Delete Data Use Agreement",
		},
		"request form": {
			config: func(_ *testing.T, srv *marketplacetest.TestServer) string {
				return formConfig(srv, `  name = "In the dark"`+fieldPurpose+flowAutoApprove)
			},
			addr: formAddr,
			path: "/api/request-form",
			count: func(srv *marketplacetest.TestServer) int {
				return len(srv.RequestForms()) - 1 // the Standard Request Form
			},
			deleteError: "Unable to Delete Request Form",
		},
		"data product": {
			config: func(t *testing.T, srv *marketplacetest.TestServer) string {
				form, ok := srv.RequestForm(consistencyFormID)
				if !ok {
					seeded, err := srv.SeedRequestForm(marketplacetest.RequestForm{
						ID: consistencyFormID, Name: "Form in the dark",
						Fields: []marketplacetest.FormField{{Type: marketplacetest.FieldShortAnswer, Label: "Why?", Required: true}},
						Policy: marketplacetest.Policy{Version: "1", DefaultEvent: marketplacetest.PolicyEvent{
							Type: marketplacetest.EventApprove, Params: &marketplacetest.EventParams{Comment: "Approved."},
						}},
					})
					if err != nil {
						t.Fatal(err)
					}
					form = seeded
				}
				return productConfig{Name: "In the dark", Domains: []string{nasDomainID}, Sources: []string{"101"},
					FormID: form.ID, DeletionProtection: boolPtr(false)}.config(srv)
			},
			addr:        productAddr,
			path:        "/api/data-product",
			count:       func(srv *marketplacetest.TestServer) int { return len(srv.DataProducts()) },
			deleteError: "Unable to Delete Data Product",
		},
	}
}

// consistencyFormID is the request form the data product case uses.
const consistencyFormID = "0b0f3f0e-8d55-4a57-9d0a-6d1c3c0f5e11"

// A delete that fails after the service carried it out leaves the object
// in state; the next refresh meets 404 and must drop it at once instead
// of taking the 404 for read-after-write lag and waiting out the whole
// consistency window.
func TestAccConsistency_failedDeleteIsNotMistakenForLag(t *testing.T) {
	for name, c := range consistencyCases() {
		t.Run(name, func(t *testing.T) {
			srv := requireEmulator(t, "injects faults, reads the request log")
			config := c.config(t, srv)
			var id string
			var started time.Time
			resource.ParallelTest(t, resource.TestCase{
				PreCheck: func() { testAccPreCheck(t) },
				// A 404 within a minute of this provider's own write is waited out.
				ProtoV6ProviderFactories: providerFactories(time.Minute),
				Steps: []resource.TestStep{
					{
						Config: config,
						Check:  captureID(c.addr, &id),
					},
					{
						// Every DELETE is carried out, then answered 502.
						PreConfig: func() {
							if _, err := srv.InjectFault(marketplacetest.Fault{Method: "DELETE", FailAfterCommit: true, Status: 502}); err != nil {
								t.Fatal(err)
							}
						},
						Config:      config,
						Destroy:     true,
						ExpectError: errorPattern(c.deleteError, "HTTP 502 Bad Gateway"),
					},
					{
						// The object is gone; the refresh drops it after one GET
						// and the apply creates it again.
						PreConfig: func() {
							srv.ClearFaults()
							srv.ResetRequests()
							if n := c.count(srv); n != 0 {
								t.Fatalf("the emulator holds %d objects: the failed DELETE was not carried out", n)
							}
							started = time.Now()
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(c.addr, plancheck.ResourceActionCreate)},
						},
						Check: func(*terraform.State) error {
							if n := c.count(srv); n != 1 {
								return fmt.Errorf("the emulator holds %d objects, want 1", n)
							}
							if gets := requestsTo(srv.Requests(), "GET", c.path+"/"+id); len(gets) != 1 {
								return fmt.Errorf("the refresh asked for the deleted object %d times, want once", len(gets))
							}
							if took := time.Since(started); took > 20*time.Second {
								return fmt.Errorf("the refresh and apply took %s: the 404 was waited out", took)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// A create that fails without telling whether it happened keeps its id
// in state. If the object did get made but is not visible yet, the next
// refresh must wait out the lag rather than forget the id: otherwise the
// object is orphaned and the next create collides with its name.
func TestAccConsistency_createOutcomeUnknownSurvivesLag(t *testing.T) {
	for name, c := range consistencyCases() {
		t.Run(name, func(t *testing.T) {
			srv := requireEmulator(t, "injects faults, sets a read-after-write lag, reads the request log")
			config := c.config(t, srv)
			srv.SetReadAfterWriteLag(5 * time.Second)
			var removeFaults []func()
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: providerFactories(time.Minute),
				Steps: []resource.TestStep{
					{
						// The create is carried out but answered 502, every time,
						// and every GET of the object fails: the outcome is unknown.
						PreConfig: func() {
							for _, f := range []marketplacetest.Fault{
								{Method: "POST", Path: c.path, FailAfterCommit: true, Status: 502},
								{Method: "GET", Path: c.path + "/{id}", Status: 500},
							} {
								remove, err := srv.InjectFault(f)
								if err != nil {
									t.Fatal(err)
								}
								removeFaults = append(removeFaults, remove)
							}
						},
						Config:      config,
						ExpectError: errorPattern("HTTP 502 Bad Gateway", "may have been created with id"),
					},
					{
						// The service recovers while the object is still
						// invisible: the refresh waits for it, and the tainted
						// object is replaced, leaving exactly one.
						PreConfig: func() {
							for _, remove := range removeFaults {
								remove()
							}
							srv.ResetRequests()
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(c.addr, plancheck.ResourceActionDestroyBeforeCreate)},
						},
						Check: func(*terraform.State) error {
							if n := c.count(srv); n != 1 {
								return fmt.Errorf("the emulator holds %d objects, want 1", n)
							}
							for _, r := range requestsTo(srv.Requests(), "GET", c.path+"/") {
								if r.Status == 404 {
									return nil
								}
							}
							return fmt.Errorf("no GET met the lag; the test did not exercise it")
						},
					},
				},
			})
		})
	}
}
