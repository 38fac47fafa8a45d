package provider

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// deletable describes, for each resource, how a test makes one object and
// finds it in the emulator.
type deletable struct {
	kind   string // as the service names it in messages
	addr   string
	path   string // the DELETE route, after BasePath, with {id}
	config func(t *testing.T, srv *marketplacetest.TestServer) string
	exists func(srv *marketplacetest.TestServer, id string) bool
}

var deletables = []deletable{
	{
		kind: "Data use agreement", addr: agreementAddr, path: "/api/data-use-agreement/{id}",
		config: func(_ *testing.T, srv *marketplacetest.TestServer) string {
			return agreementConfig(srv, randomName("terms"), "Terms.")
		},
		exists: func(srv *marketplacetest.TestServer, id string) bool {
			return slices.ContainsFunc(srv.DataUseAgreements(), func(a marketplacetest.DataUseAgreement) bool { return a.ID == id })
		},
	},
	{
		kind: "Request form", addr: formAddr, path: "/api/request-form/{id}",
		config: func(_ *testing.T, srv *marketplacetest.TestServer) string {
			return formConfig(srv, `  name = "`+randomName("form")+`"`+fieldPurpose+flowAutoApprove)
		},
		exists: func(srv *marketplacetest.TestServer, id string) bool {
			return slices.ContainsFunc(srv.RequestForms(), func(f marketplacetest.RequestForm) bool { return f.ID == id })
		},
	},
	{
		kind: "Data product", addr: productAddr, path: "/api/data-product/{id}",
		config: func(t *testing.T, srv *marketplacetest.TestServer) string {
			form := seedRequestForm(t, srv, false)
			return productConfig{Name: randomName("dp"), Domains: []string{nasDomainID}, FormID: form, DeletionProtection: boolPtr(false)}.config(srv)
		},
		exists: func(srv *marketplacetest.TestServer, id string) bool {
			return slices.ContainsFunc(srv.DataProducts(), func(p marketplacetest.DataProduct) bool { return p.ID == id })
		},
	},
}

// TestAccDelete_answers checks how each resource's Delete takes the
// answers a DELETE can get. The answers come from injected faults, so the
// object stays in the emulator and shows whether the provider asked.
//   - 404 for the object: it is gone already, which is what a delete wants.
//   - 404 "Cannot DELETE ..." or 405: the service has no DELETE route; the
//     object is left in the Marketplace with a warning (see deleteGone) and
//     Terraform forgets it.
//   - Any other error: the destroy fails and the object stays in state.
func TestAccDelete_answers(t *testing.T) {
	for _, d := range deletables {
		for _, answer := range []struct {
			name   string
			fault  func(id string) marketplacetest.Fault
			refuse bool
		}{
			{name: "already_deleted", fault: func(id string) marketplacetest.Fault {
				return jsonFault(http.StatusNotFound, fmt.Sprintf("%s %s not found.", d.kind, id), "Not Found")
			}},
			{name: "no_delete_route", fault: func(id string) marketplacetest.Fault {
				route := marketplacetest.BasePath + strings.Replace(d.path, "{id}", id, 1)
				return jsonFault(http.StatusNotFound, "Cannot DELETE "+route, "Not Found")
			}},
			{name: "method_not_allowed", fault: func(string) marketplacetest.Fault {
				return marketplacetest.Fault{Status: http.StatusMethodNotAllowed}
			}},
			{name: "forbidden", refuse: true, fault: func(string) marketplacetest.Fault {
				return jsonFault(http.StatusForbidden, "Forbidden resource", "Forbidden")
			}},
		} {
			t.Run(d.addr+"/"+answer.name, func(t *testing.T) {
				srv := requireEmulator(t, "injects faults, reads the request log")
				config := d.config(t, srv)
				var id string
				destroy := resource.TestStep{
					PreConfig: func() {
						f := answer.fault(id)
						f.Method, f.Path = http.MethodDelete, d.path
						if _, err := srv.InjectFault(f); err != nil {
							t.Fatal(err)
						}
					},
					Config: providerConfig(srv),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(d.addr, plancheck.ResourceActionDestroy)},
					},
					Check: func(s *terraform.State) error {
						if _, ok := s.RootModule().Resources[d.addr]; ok {
							return fmt.Errorf("%s is still in state", d.addr)
						}
						if len(requestsTo(srv.Requests(), http.MethodDelete, strings.Replace(d.path, "{id}", id, 1))) != 1 {
							return fmt.Errorf("want one DELETE of %s", id)
						}
						if !d.exists(srv, id) {
							return fmt.Errorf("the object %s is gone from the emulator, so the DELETE was not answered by the fault", id)
						}
						return nil
					},
				}
				steps := []resource.TestStep{{Config: config, Check: captureID(d.addr, &id)}}
				if answer.refuse {
					destroy.ExpectError = errorPattern("Unable to Delete", "HTTP 403 Forbidden: Forbidden resource")
					destroy.Check = nil
					steps = append(steps, destroy, resource.TestStep{
						// Still in state: once the service allows it, the
						// destroy deletes it.
						PreConfig: srv.ClearFaults,
						Config:    providerConfig(srv),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(d.addr, plancheck.ResourceActionDestroy)},
						},
						Check: func(*terraform.State) error {
							if d.exists(srv, id) {
								return fmt.Errorf("%s still exists after the second destroy", id)
							}
							return nil
						},
					})
				} else {
					steps = append(steps, destroy)
				}
				resource.ParallelTest(t, resource.TestCase{
					PreCheck:                 func() { testAccPreCheck(t) },
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps:                    steps,
				})
			})
		}
	}
}

func jsonFault(status int, message, errorName string) marketplacetest.Fault {
	return marketplacetest.Fault{
		Status:      status,
		Body:        fmt.Sprintf(`{"message":%q,"error":%q,"statusCode":%d}`, message, errorName, status),
		ContentType: "application/json",
	}
}

// TestDeleteGone checks which failed deletes count as done, and that a
// missing route leaves a warning saying the object still exists.
func TestDeleteGone(t *testing.T) {
	const id = "4f1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
	for _, c := range []struct {
		name    string
		err     error
		gone    bool
		warning string
	}{
		{"object not found", &marketplace.APIError{Method: "DELETE", StatusCode: 404, Message: "Data product " + id + " not found."}, true, ""},
		{"no route", &marketplace.APIError{Method: "DELETE", StatusCode: 404, Message: "Cannot DELETE /marketplace/api/data-product/" + id}, true, "The Data Product Was Not Deleted"},
		{"method not allowed", &marketplace.APIError{Method: "DELETE", StatusCode: 405}, true, "The Data Product Was Not Deleted"},
		{"forbidden", &marketplace.APIError{Method: "DELETE", StatusCode: 403, Message: "Forbidden resource"}, false, ""},
		{"conflict", fmt.Errorf("wrapped: %w", &marketplace.APIError{Method: "DELETE", StatusCode: 409, Message: "In use."}), false, ""},
		{"no response", &marketplace.TransportError{Method: "DELETE", Err: fmt.Errorf("connection reset")}, false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var diags diag.Diagnostics
			if got := deleteGone(context.Background(), &diags, "data product", id, c.err); got != c.gone {
				t.Errorf("deleteGone = %v, want %v", got, c.gone)
			}
			if diags.HasError() {
				t.Errorf("deleteGone added errors: %v", diags)
			}
			warnings := diags.Warnings()
			if c.warning == "" {
				if len(warnings) != 0 {
					t.Errorf("unexpected warnings %v", warnings)
				}
				return
			}
			if len(warnings) != 1 || warnings[0].Summary() != c.warning ||
				!strings.Contains(warnings[0].Detail(), id) || !strings.Contains(warnings[0].Detail(), "still exists in the Marketplace") {
				t.Errorf("warnings %v, want one %q naming %s", warnings, c.warning, id)
			}
		})
	}
}
