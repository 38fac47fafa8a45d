package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

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

const (
	productAddr       = "immuta_data_product.test"
	marketingDomainID = "d4140859-4616-5a2e-a3c9-606e8147bc53" // Marketing: data sources 106-108
	financeDomainID   = "52137b16-6081-5f38-ad3a-8a0e6f2132ba" // Finance: data sources 109-111
	analystID         = "13a62994-63dd-567a-a95a-3fa42926e4e2" // Alex Kim
)

// productConfig is an immuta_data_product block; zero fields are left
// out of the configuration.
type productConfig struct {
	Name        string
	Description string
	Domains     []string
	Sources     []string
	// FormID and MaskingFormID are the data access and masking exception
	// request forms.
	FormID             string
	MaskingFormID      string
	SME                string
	Suspended          *bool
	DeletionProtection *bool
	// Extra is appended inside the block.
	Extra string
}

func (c productConfig) block() string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"immuta_data_product\" \"test\" {\n  name            = %q\n", c.Name)
	if c.Description != "" {
		fmt.Fprintf(&b, "  description     = %q\n", c.Description)
	}
	fmt.Fprintf(&b, "  domain_ids      = %s\n", hclStrings(c.Domains))
	if c.Sources != nil {
		fmt.Fprintf(&b, "  data_source_ids = %s\n", hclStrings(c.Sources))
	}
	if c.FormID != "" {
		fmt.Fprintf(&b, "  data_access_request_form_id = %s\n", hclValue(c.FormID))
	}
	if c.MaskingFormID != "" {
		fmt.Fprintf(&b, "  masking_exception_request_form_id = %s\n", hclValue(c.MaskingFormID))
	}
	if c.SME != "" {
		fmt.Fprintf(&b, "  subject_matter_expert_id = %q\n", c.SME)
	}
	if c.Suspended != nil {
		fmt.Fprintf(&b, "  suspended = %t\n", *c.Suspended)
	}
	if c.DeletionProtection != nil {
		fmt.Fprintf(&b, "  deletion_protection = %t\n", *c.DeletionProtection)
	}
	b.WriteString(c.Extra)
	b.WriteString("}\n")
	return b.String()
}

func (c productConfig) config(srv endpointer) string {
	return providerConfig(srv) + c.block()
}

// hclStrings renders a list of strings; an element that is an expression
// (it starts with "ref:") is written bare.
func hclStrings(values []string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = hclValue(v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func hclValue(v string) string {
	if expr, ok := strings.CutPrefix(v, "ref:"); ok {
		return expr
	}
	return strconv.Quote(v)
}

// checkProductsDestroyed is a CheckDestroy: the emulator holds no product.
func checkProductsDestroyed(srv *marketplacetest.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if all := srv.DataProducts(); len(all) != 0 {
			return fmt.Errorf("the emulator still holds %d data products after destroy: %+v", len(all), all)
		}
		return nil
	}
}

// checkProductStored checks the emulator's copy of the product in state.
func checkProductStored(srv *marketplacetest.TestServer, check func(marketplacetest.DataProduct) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[productAddr]
		if !ok {
			return fmt.Errorf("%s is not in state", productAddr)
		}
		p, ok := srv.DataProduct(rs.Primary.ID)
		if !ok {
			return fmt.Errorf("the emulator holds no data product %s", rs.Primary.ID)
		}
		return check(p)
	}
}

func expectSources(want ...int) func(marketplacetest.DataProduct) error {
	return func(p marketplacetest.DataProduct) error {
		if !slices.Equal(p.DataSourceIDs, want) {
			return fmt.Errorf("the product has data sources %v, want %v", p.DataSourceIDs, want)
		}
		return nil
	}
}

func TestAccDataProduct_lifecycle(t *testing.T) {
	srv := requireEmulator(t, "reads the request log, seeds objects, edits objects out of band, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	name := randomName("dp")
	renamed := name + " (renamed)"
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	base := productConfig{
		Name: name, Description: "Sales in North America", Domains: []string{nasDomainID},
		Sources: []string{"101", "102"}, FormID: form, SME: stewardSalesID, DeletionProtection: boolPtr(false),
	}
	// Renamed, new description and expert, one data source swapped, a
	// second domain with one of its data sources.
	changed := base
	changed.Name, changed.Description, changed.SME = renamed, "Sales and campaigns", analystID
	changed.Domains = []string{marketingDomainID, nasDomainID}
	changed.Sources = []string{"106", "103", "101"}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			// Create.
			{
				Config: base.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidRegexp)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("description"), knownvalue.StringExact("Sales in North America")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("domain_ids"), stringSet(nasDomainID)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_source_ids"), stringSet("101", "102")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_access_request_form_id"), knownvalue.StringExact(form)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("subject_matter_expert_id"), knownvalue.StringExact(stewardSalesID)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("suspended"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("status"), knownvalue.StringExact("NONE")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("source_types"), stringSet("Snowflake")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT`))),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("created_by"), knownvalue.StringRegexp(uuidRegexp)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(productAddr, &id),
					checkProductStored(srv, expectSources(101, 102)),
					func(*terraform.State) error {
						// Everything went in one POST, with the provider's id.
						posts := requestsTo(srv.Requests(), "POST", "/api/data-product")
						if len(posts) != 1 || !strings.Contains(string(posts[0].Body), `"id":"`+id+`"`) ||
							!strings.Contains(string(posts[0].Body), `"dataSources":[{"sourceId":"101"},{"sourceId":"102"}]`) {
							return fmt.Errorf("want one POST with the id and the data sources, got %+v", posts)
						}
						if puts := requestsTo(srv.Requests(), "PUT", "/api/data-product"); len(puts) != 0 {
							return fmt.Errorf("the create sent %d PUTs", len(puts))
						}
						return nil
					},
				),
			},
			// Update in place: renamed, another domain, data sources swapped.
			{
				PreConfig: srv.ResetRequests,
				Config:    changed.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(productAddr, tfjsonpath.New("source_types")),
						plancheck.ExpectKnownValue(productAddr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("name"), knownvalue.StringExact(renamed)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("domain_ids"), stringSet(nasDomainID, marketingDomainID)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_source_ids"), stringSet("101", "103", "106")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("source_types"), stringSet("Databricks", "Snowflake")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkProductStored(srv, func(p marketplacetest.DataProduct) error {
						if p.Name != renamed || p.Description == nil || *p.Description != "Sales and campaigns" || p.SubjectMatterExpert != analystID {
							return fmt.Errorf("stored %+v", p)
						}
						return expectSources(101, 103, 106)(p)
					}),
					func(*terraform.State) error {
						// The domain goes in before the data source that needs it.
						var calls []string
						for _, r := range requestsTo(srv.Requests(), "PUT", "/api/data-product/") {
							calls = append(calls, strings.TrimPrefix(r.Path, marketplacetest.BasePath+"/api/data-product/"+id))
						}
						if want := []string{"", "/datasources"}; !slices.Equal(calls, want) {
							return fmt.Errorf("PUTs %q, want %q", calls, want)
						}
						return nil
					},
				),
			},
			// Import by id, by "name:<name>" and by plain name.
			{ResourceName: productAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"deletion_protection"}},
			{ResourceName: productAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"deletion_protection"}, ImportStateId: "name:" + renamed},
			{ResourceName: productAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"deletion_protection"}, ImportStateId: renamed},
			// An import block plans no change (an imported product is
			// protected, as the default configuration says).
			{
				Config:          withDeletionProtection(changed, nil).config(srv),
				ResourceName:    productAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			// Drift: each change made in the Marketplace app shows up.
			driftStep(t, srv, &id, changed, "renamed in the app", func(p *marketplacetest.DataProduct) { p.Name = "Renamed in the app" },
				plancheck.ExpectKnownValue(productAddr, tfjsonpath.New("name"), knownvalue.StringExact(renamed))),
			driftStep(t, srv, &id, changed, "description edited", func(p *marketplacetest.DataProduct) { p.Description = nil },
				plancheck.ExpectKnownValue(productAddr, tfjsonpath.New("description"), knownvalue.StringExact("Sales and campaigns"))),
			driftStep(t, srv, &id, changed, "a data source added", func(p *marketplacetest.DataProduct) { p.DataSourceIDs = append(p.DataSourceIDs, 104) },
				plancheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_source_ids"), stringSet("101", "103", "106"))),
			driftStep(t, srv, &id, changed, "a data source removed", func(p *marketplacetest.DataProduct) {
				p.DataSourceIDs = slices.DeleteFunc(p.DataSourceIDs, func(ds int) bool { return ds == 103 })
			}, plancheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_source_ids"), stringSet("101", "103", "106"))),
			driftStep(t, srv, &id, changed, "suspended", func(p *marketplacetest.DataProduct) { p.Suspended = true },
				plancheck.ExpectKnownValue(productAddr, tfjsonpath.New("suspended"), knownvalue.Bool(false))),
			// Disappears: a delete in the app plans a create.
			{
				PreConfig: func() {
					if err := srv.DeleteDataProduct(id); err != nil {
						t.Fatal(err)
					}
				},
				Config: changed.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionCreate)},
				},
				Check: checkProductStored(srv, expectSources(101, 103, 106)),
			},
		},
	})
}

func withDeletionProtection(c productConfig, v *bool) productConfig {
	c.DeletionProtection = v
	return c
}

// driftStep changes the product out of band, expects the plan to put it
// back in place, and checks the apply does.
func driftStep(t *testing.T, srv *marketplacetest.TestServer, id *string, cfg productConfig, what string,
	change func(*marketplacetest.DataProduct), check plancheck.PlanCheck,
) resource.TestStep {
	wantSources := make([]int, 0, len(cfg.Sources))
	for _, s := range cfg.Sources {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("drift (%s): data source %q is not a number", what, s)
		}
		wantSources = append(wantSources, n)
	}
	slices.Sort(wantSources)
	return resource.TestStep{
		PreConfig: func() {
			before, _ := srv.DataProduct(*id)
			if err := srv.UpdateDataProduct(*id, change); err != nil {
				t.Fatalf("drift (%s): %v", what, err)
			}
			after, _ := srv.DataProduct(*id)
			before.UpdatedAt, after.UpdatedAt = "", ""
			if reflect.DeepEqual(before, after) {
				t.Fatalf("drift (%s) changed nothing", what)
			}
		},
		Config: cfg.config(srv),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate), check},
		},
		Check: checkProductStored(srv, func(p marketplacetest.DataProduct) error {
			if p.ID != *id || p.Name != cfg.Name || p.Suspended || p.Description == nil || *p.Description != cfg.Description {
				return fmt.Errorf("after correcting drift (%s) the emulator holds %+v", what, p)
			}
			return expectSources(wantSources...)(p)
		}),
	}
}

func TestAccDataProduct_suspendAndResume(t *testing.T) {
	acc := newAccTarget(t)
	form := acc.seedRequestForm(t, false)
	cfg := productConfig{Name: randomName("dp"), Domains: []string{acc.facts.DomainID}, FormID: form, DeletionProtection: boolPtr(false)}
	suspended := cfg
	suspended.Suspended = boolPtr(true)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	isSuspended := func(want bool) resource.TestCheckFunc {
		return acc.checkProductStored(func(p *marketplace.DataProduct) error {
			if p.Suspended != want {
				return fmt.Errorf("suspended is %t, want %t", p.Suspended, want)
			}
			return nil
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acc.checkProductsDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: cfg.config(acc),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("suspended"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_source_ids"), knownvalue.SetExact(nil)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("source_types"), knownvalue.SetExact(nil)),
				},
				Check: isSuspended(false),
			},
			{
				Config: suspended.config(acc),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate),
						// The data sources do not change, so neither do their platforms.
						plancheck.ExpectKnownValue(productAddr, tfjsonpath.New("source_types"), knownvalue.SetExact(nil)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("suspended"), knownvalue.Bool(true)),
				},
				Check: isSuspended(true),
			},
			{
				Config: cfg.config(acc),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("suspended"), knownvalue.Bool(false)),
				},
				Check: isSuspended(false),
			},
		},
	})
}

func TestAccDataProduct_createSuspended(t *testing.T) {
	acc := newAccTarget(t)
	form := acc.seedRequestForm(t, false)
	cfg := productConfig{Name: randomName("dp"), Domains: []string{acc.facts.DomainID}, Sources: []string{acc.facts.DataSourceID}, FormID: form,
		Suspended: boolPtr(true), DeletionProtection: boolPtr(false)}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acc.checkProductsDestroyed(),
		Steps: []resource.TestStep{{
			Config: cfg.config(acc),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("suspended"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("source_types"), stringSet(acc.facts.DataSourcePlatform)),
			},
			Check: acc.checkProductStored(func(p *marketplace.DataProduct) error {
				if !p.Suspended {
					return fmt.Errorf("the product is not suspended")
				}
				return nil
			}),
		}},
	})
}

// A create whose suspension fails removes the product again, so nothing
// stays published unsuspended against the configuration.
func TestAccDataProduct_suspendFailureUndoesCreate(t *testing.T) {
	srv := requireEmulator(t, "injects faults, seeds objects, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	if _, err := srv.InjectFault(marketplacetest.Fault{Method: "PUT", Path: "/api/data-product/{id}", Status: 403}); err != nil {
		t.Fatal(err)
	}
	cfg := productConfig{Name: randomName("dp"), Domains: []string{nasDomainID}, FormID: form, Suspended: boolPtr(true), DeletionProtection: boolPtr(false)}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      cfg.config(srv),
				ExpectError: errorPattern("Unable to Suspend New Data Product", "HTTP 403", "was deleted again", "Apply again"),
			},
			{
				PreConfig: func() {
					if n := len(srv.DataProducts()); n != 0 {
						t.Errorf("the emulator holds %d products after the failed create, want 0", n)
					}
					srv.ClearFaults()
				},
				Config: cfg.config(srv),
				Check: checkProductStored(srv, func(p marketplacetest.DataProduct) error {
					if !p.Suspended {
						return fmt.Errorf("the product is not suspended")
					}
					return nil
				}),
			},
		},
	})
}

// When the product can be neither suspended nor deleted, it stays in
// state, tainted, and the next apply replaces it.
func TestAccDataProduct_suspendAndDeleteFailureKeepsID(t *testing.T) {
	srv := requireEmulator(t, "injects faults, seeds objects, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	for _, f := range []marketplacetest.Fault{
		{Method: "PUT", Path: "/api/data-product/{id}", Status: 403},
		{Method: "DELETE", Path: "/api/data-product/{id}", Status: 403},
	} {
		if _, err := srv.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	cfg := productConfig{Name: randomName("dp"), Domains: []string{nasDomainID}, FormID: form, Suspended: boolPtr(true), DeletionProtection: boolPtr(false)}
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config:      cfg.config(srv),
				ExpectError: errorPattern("Unable to Suspend New Data Product", "Unable to Remove Unsuspended Data Product", "keeps it in state"),
			},
			{
				PreConfig: func() {
					all := srv.DataProducts()
					if len(all) != 1 {
						t.Fatalf("the emulator holds %d products, want the one that could not be removed", len(all))
					}
					firstID = all[0].ID
					srv.ClearFaults()
				},
				Config: cfg.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: checkProductStored(srv, func(p marketplacetest.DataProduct) error {
					if p.ID == firstID || !p.Suspended || len(srv.DataProducts()) != 1 {
						return fmt.Errorf("want the tainted product replaced by a suspended one, got %+v", srv.DataProducts())
					}
					return nil
				}),
			},
		},
	})
}

// The same with deletion_protection left at its default: the product
// that could be neither suspended nor deleted never matched the
// configuration, so its protection must not block its own replacement,
// while the replacement is protected as configured.
func TestAccDataProduct_unremovableProductIsReplacedDespiteDefaultProtection(t *testing.T) {
	srv := requireEmulator(t, "injects faults, seeds objects, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	for _, f := range []marketplacetest.Fault{
		{Method: "PUT", Path: "/api/data-product/{id}", Status: 403},
		{Method: "DELETE", Path: "/api/data-product/{id}", Status: 403},
	} {
		if _, err := srv.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	cfg := productConfig{Name: randomName("dp"), Domains: []string{nasDomainID}, FormID: form, Suspended: boolPtr(true)}
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config: cfg.config(srv),
				ExpectError: errorPattern("Unable to Suspend New Data Product", "Unable to Remove Unsuspended Data Product",
					"keeps it in state", "the next apply replaces it", "its deletion_protection is off"),
			},
			{
				PreConfig: func() {
					all := srv.DataProducts()
					if len(all) != 1 {
						t.Fatalf("the emulator holds %d products, want the one that could not be removed", len(all))
					}
					firstID = all[0].ID
					srv.ClearFaults()
				},
				Config: cfg.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionDestroyBeforeCreate),
						expectPriorValue(productAddr, "deletion_protection", false),
						plancheck.ExpectKnownValue(productAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				},
				Check: checkProductStored(srv, func(p marketplacetest.DataProduct) error {
					if p.ID == firstID || !p.Suspended || len(srv.DataProducts()) != 1 {
						return fmt.Errorf("want the tainted product replaced by a suspended one, got %+v", srv.DataProducts())
					}
					return nil
				}),
			},
			// The replacement is protected: turn that off so that the test
			// can clean up.
			{Config: withDeletionProtection(cfg, boolPtr(false)).config(srv)},
		},
	})
}

// A create whose outcome is unknown (the product was made, but the answer
// was lost and it cannot be read back) keeps its id in state. With
// deletion_protection at its default, the next apply must still replace
// it, leaving one product, protected as configured.
func TestAccDataProduct_createOutcomeUnknownIsReplacedDespiteDefaultProtection(t *testing.T) {
	srv := requireEmulator(t, "injects faults, seeds objects, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	for _, f := range []marketplacetest.Fault{
		{Method: "POST", Path: "/api/data-product", DropAfterCommit: true},
		{Method: "GET", Path: "/api/data-product/{id}", Status: 500},
	} {
		if _, err := srv.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	cfg := productConfig{Name: randomName("dp"), Domains: []string{nasDomainID}, Sources: []string{"101"}, FormID: form}
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config: cfg.config(srv),
				ExpectError: errorPattern("Unable to Create Data Product", "may have been created with id", "keeps that id in state",
					"Its deletion_protection is off in state"),
			},
			{
				PreConfig: func() {
					all := srv.DataProducts()
					if len(all) != 1 {
						t.Fatalf("the emulator holds %d products, want the one whose create was not answered", len(all))
					}
					firstID = all[0].ID
					srv.ClearFaults()
				},
				Config: cfg.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionDestroyBeforeCreate),
						expectPriorValue(productAddr, "deletion_protection", false),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				},
				Check: checkProductStored(srv, func(p marketplacetest.DataProduct) error {
					if all := srv.DataProducts(); p.ID == firstID || len(all) != 1 {
						return fmt.Errorf("want the tracked product %s replaced by one other, got %+v", firstID, all)
					}
					return expectSources(101)(p)
				}),
			},
			{Config: withDeletionProtection(cfg, boolPtr(false)).config(srv)},
		},
	})
}

// A create that outlives its timeout fails naming the timeout, and keeps
// the id it chose in state: the next apply checks that id, finds that
// nothing was made, and creates the product once.
func TestAccDataProduct_timeout(t *testing.T) {
	srv := requireEmulator(t, "injects faults, reads the request log, seeds objects, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	if _, err := srv.InjectFault(marketplacetest.Fault{Method: "POST", Path: "/api/data-product", Latency: marketplacetest.Duration(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	cfg := productConfig{Name: "Slow", Domains: []string{nasDomainID}, FormID: form, DeletionProtection: boolPtr(false)}
	slow := cfg
	slow.Extra = "  timeouts = {\n    create = \"1s\"\n  }\n"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config: slow.config(srv),
				ExpectError: errorPattern("Unable to Create Data Product", "context deadline exceeded", "may have been created with id",
					"Raise the resource's timeouts"),
			},
			{
				PreConfig: func() {
					if n := len(srv.DataProducts()); n != 0 {
						t.Fatalf("the emulator holds %d products after the timed-out create, want 0", n)
					}
					srv.ClearFaults()
				},
				Config: cfg.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// The tracked id was read, found missing and dropped.
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionCreate)},
				},
				Check: func(*terraform.State) error {
					posts := requestsTo(srv.Requests(), "POST", "/api/data-product")
					all := srv.DataProducts()
					if len(posts) != 2 || len(all) != 1 {
						return fmt.Errorf("want the timed-out POST, one more and one product; got %d POSTs and %+v", len(posts), all)
					}
					var timedOut struct{ ID string }
					if err := json.Unmarshal(posts[0].Body, &timedOut); err != nil || timedOut.ID == "" || timedOut.ID == all[0].ID {
						return fmt.Errorf("the timed-out POST sent %s; the product is %s", posts[0].Body, all[0].ID)
					}
					if len(requestsTo(srv.Requests(), "GET", "/api/data-product/"+timedOut.ID)) == 0 {
						return fmt.Errorf("the refresh never asked for %s: the timed-out create's id was not tracked", timedOut.ID)
					}
					return nil
				},
			},
		},
	})
}

func TestAccDataProduct_dataSources(t *testing.T) {
	srv := requireEmulator(t, "reads the request log, seeds objects, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	cfg := productConfig{Name: randomName("dp"), Domains: []string{nasDomainID}, Sources: []string{"103", "101"}, FormID: form, DeletionProtection: boolPtr(false)}
	reordered := cfg
	reordered.Sources = []string{"101", "103"}
	added := cfg
	added.Sources = []string{"104", "101", "103"}
	removed := cfg
	removed.Sources = []string{"104"}
	none := cfg
	none.Sources = nil
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config:            cfg.config(srv),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(productAddr, tfjsonpath.New("id"))},
				Check:             checkProductStored(srv, expectSources(101, 103)),
			},
			// Order in the configuration never matters.
			{
				Config: reordered.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			// Adding one: only the data sources call, in place.
			{
				PreConfig: srv.ResetRequests,
				Config:    added.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("source_types"), stringSet("Databricks", "Snowflake")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkProductStored(srv, expectSources(101, 103, 104)),
					func(*terraform.State) error {
						puts := requestsTo(srv.Requests(), "PUT", "/api/data-product/")
						if len(puts) != 1 || !strings.HasSuffix(puts[0].Path, "/datasources") ||
							string(puts[0].Body) != `{"dataSources":[{"sourceId":"101"},{"sourceId":"103"},{"sourceId":"104"}]}` {
							return fmt.Errorf("want one PUT of the data sources, got %+v", puts)
						}
						return nil
					},
				),
			},
			// Removing two.
			{
				Config: removed.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(productAddr, tfjsonpath.New("id"))},
				Check:             checkProductStored(srv, expectSources(104)),
			},
			// Leaving the attribute out means no data sources.
			{
				Config: none.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_source_ids"), knownvalue.SetExact(nil)),
				},
				Check: checkProductStored(srv, expectSources()),
			},
		},
	})
}

// Moving a product to another domain in one apply keeps the data sources
// within the domains at every step.
func TestAccDataProduct_moveDomain(t *testing.T) {
	srv := requireEmulator(t, "reads the request log, seeds objects, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	cfg := productConfig{Name: randomName("dp"), Domains: []string{nasDomainID}, Sources: []string{"101"}, FormID: form, DeletionProtection: boolPtr(false)}
	moved := cfg
	moved.Domains, moved.Sources = []string{financeDomainID}, []string{"109", "110"}
	sameID := statecheck.CompareValue(compareSame)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg.config(srv), ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(productAddr, tfjsonpath.New("id"))}},
			{
				PreConfig: srv.ResetRequests,
				Config:    moved.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(productAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("domain_ids"), stringSet(financeDomainID)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("source_types"), stringSet("Redshift")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkProductStored(srv, expectSources(109, 110)),
					func(*terraform.State) error {
						var bodies []string
						for _, r := range requestsTo(srv.Requests(), "PUT", "/api/data-product/") {
							bodies = append(bodies, string(r.Body))
						}
						want := []string{
							fmt.Sprintf(`{"domains":[%q,%q]}`, nasDomainID, financeDomainID),
							`{"dataSources":[{"sourceId":"109"},{"sourceId":"110"}]}`,
							fmt.Sprintf(`{"domains":[%q]}`, financeDomainID),
						}
						if !slices.Equal(bodies, want) {
							return fmt.Errorf("PUT bodies\n%q\nwant\n%q", bodies, want)
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccDataProduct_dataSourceOutsideDomains(t *testing.T) {
	srv := requireEmulator(t, "injects faults, reads the request log, seeds objects, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	cfg := productConfig{Name: randomName("dp"), Domains: []string{nasDomainID}, Sources: []string{"101", "106"}, FormID: form, DeletionProtection: boolPtr(false)}
	// A domain known only at apply time is checked when the apply plans.
	applyTime := cfg
	applyTime.Domains = []string{"ref:terraform_data.domain.output"}
	domainAtApply := providerConfig(srv) + fmt.Sprintf(`
resource "terraform_data" "domain" {
  input = %q
}
`, nasDomainID) + applyTime.block()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config:      cfg.config(srv),
				PlanOnly:    true,
				ExpectError: errorPattern("data_source_ids", "Data source 106 is not in any of the product's domains", nasDomainID),
			},
			{
				Config:      domainAtApply,
				ExpectError: errorPattern("data_source_ids", "Data source 106 is not in any of the product's domains", nasDomainID),
			},
			// When the metadata lookup is not allowed, the service's own
			// 400 names the data source.
			{
				PreConfig: func() {
					if _, err := srv.InjectFault(marketplacetest.Fault{Method: "GET", Path: "/api/metadata", Status: 403}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      cfg.config(srv),
				ExpectError: errorPattern("HTTP 400 Bad Request", `Data source 106 ("Campaign Performance") belongs to domain "Marketing"`),
			},
		},
	})
	if posts := requestsTo(srv.Requests(), "POST", "/api/data-product"); len(posts) != 1 {
		t.Errorf("%d POSTs, want only the one made without the plan-time check", len(posts))
	}
}

// A domain id that names no domain is refused at plan time, by the same
// metadata lookup that checks the data sources, before anything is sent.
func TestAccDataProduct_unknownDomain(t *testing.T) {
	srv := requireEmulator(t, "reads the request log, seeds objects, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	cfg := productConfig{Name: randomName("dp"), Domains: []string{nasDomainID, unknownUUID}, Sources: []string{"101"}, FormID: form,
		DeletionProtection: boolPtr(false)}
	// Without data sources the domains are still looked up.
	noSources := cfg
	noSources.Sources = nil
	refused := errorPattern("Unknown Domain", "domain_ids", "No domain has the id "+unknownUUID, "data.immuta_domain")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg.config(srv), PlanOnly: true, ExpectError: refused},
			{Config: noSources.config(srv), PlanOnly: true, ExpectError: refused},
		},
	})
	if looked := metadataRequests(srv, "/api/metadata/domain/"+unknownUUID); len(looked) == 0 {
		t.Error("the plan never looked the unknown domain up; the test did not exercise the plan-time check")
	}
	for _, r := range srv.Requests() {
		if r.Method != "GET" {
			t.Errorf("the refused plan sent %s %s", r.Method, r.Path)
		}
	}
}

// productBadInputs are data products refused at plan time (see
// TestAccBadInput_refusedAtPlanTime).
func productBadInputs() []badInput {
	valid := productConfig{Name: "ok", Domains: []string{nasDomainID}, FormID: unknownUUID}
	cases := []struct {
		change func(*productConfig)
		want   *regexp.Regexp
	}{
		{func(c *productConfig) { c.Name = "Sales.2024" }, errorPattern("Attribute name may contain only letters, marks, digits, white space")},
		{func(c *productConfig) { c.Name = "Sales 🙂" }, errorPattern("Attribute name may contain only letters, marks, digits, white space")},
		{func(c *productConfig) { c.Name = strings.Repeat("ü", 256) }, errorPattern("Attribute name UTF-8 character count must be between 1 and 255")},
		{func(c *productConfig) { c.Name = "   " }, errorPattern("Attribute name must not be blank")},
		{func(c *productConfig) { c.Domains = []string{} }, errorPattern("Attribute domain_ids set must contain at least 1 elements")},
		{func(c *productConfig) { c.Domains = []string{"sales"} }, errorPattern("domain_ids", "must be a domain id")},
		{func(c *productConfig) { c.Domains = []string{strings.ToUpper(nasDomainID)} }, errorPattern("domain_ids", "a UUID in lower case")},
		{func(c *productConfig) { c.Sources = []string{"Web Sales"} }, errorPattern("data_source_ids", "must be a data source id")},
		{func(c *productConfig) { c.FormID = "standard" }, errorPattern("Attribute data_access_request_form_id must be a request form id")},
		{func(c *productConfig) { c.MaskingFormID = strings.ToUpper(unknownUUID) }, errorPattern("Attribute masking_exception_request_form_id must be a request form id")},
		{func(c *productConfig) { c.Extra = "  data_access_review_flow_json = jsonencode({ rules = [] })\n" }, errorPattern("data_access_review_flow_json")},
		{func(c *productConfig) { c.SME = "steward.sales" }, errorPattern("Attribute subject_matter_expert_id must be a global user id")},
		{func(c *productConfig) { c.Extra = "  description = \"\"\n" }, errorPattern("Attribute description string length must be at least 1")},
	}
	out := make([]badInput, 0, len(cases))
	for _, c := range cases {
		cfg := valid
		c.change(&cfg)
		out = append(out, badInput{config: cfg.config, want: c.want})
	}
	return out
}

func TestAccDataProduct_deletionProtection(t *testing.T) {
	srv := requireEmulator(t, "reads the request log, seeds objects, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	protected := productConfig{Name: randomName("dp"), Domains: []string{nasDomainID}, FormID: form}
	unprotected := withDeletionProtection(protected, boolPtr(false))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config: protected.config(srv),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				},
			},
			// Destroying it, or removing it from the configuration, fails
			// and says why and what to do.
			{
				Config:  protected.config(srv),
				Destroy: true,
				ExpectError: errorPattern("Data Product Is Protected From Deletion", "deletion_protection is true",
					"revokes every access granted through it", "masking exception", "cannot be undone",
					"set deletion_protection = false, run terraform apply, then destroy", "suspended = true"),
			},
			{
				Config:      providerConfig(srv),
				ExpectError: errorPattern("Data Product Is Protected From Deletion"),
			},
			// Turning the protection off calls nothing.
			{
				PreConfig: func() {
					if n := len(srv.DataProducts()); n != 1 {
						t.Errorf("the emulator holds %d products, want the protected one", n)
					}
					srv.ResetRequests()
				},
				Config: unprotected.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(productAddr, tfjsonpath.New("updated_at"), knownvalue.NotNull()),
					},
				},
				Check: func(*terraform.State) error {
					for _, r := range srv.Requests() {
						if r.Method != "GET" {
							return fmt.Errorf("turning deletion_protection off sent %s %s", r.Method, r.Path)
						}
					}
					return nil
				},
			},
		},
	})
}

func TestAccDataProduct_nameConflict(t *testing.T) {
	acc := newAccTarget(t)
	form := acc.seedRequestForm(t, false)
	shared := randomName("shared")
	existing := acc.seedDataProduct(t, shared, form)
	cfg := productConfig{Name: shared, Domains: []string{acc.facts.DomainID}, FormID: form, DeletionProtection: boolPtr(false)}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      cfg.config(acc),
				ExpectError: errorPattern("HTTP 409 Conflict: Data Product name in use.", existing.ID, "terraform import"),
			},
			{
				Config: providerConfig(acc),
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						found, err := acc.api.ListDataProducts(context.Background(), marketplace.ListDataProductsOptions{NameFilter: shared})
						if err != nil {
							return err
						}
						if len(found) != 1 || found[0].ID != existing.ID {
							return fmt.Errorf("the service holds %+v named %q, want only the seeded product", found, shared)
						}
						return nil
					},
					acc.emulatorCheck(func(srv *marketplacetest.TestServer) error {
						if all := srv.DataProducts(); len(all) != 1 || all[0].ID != existing.ID {
							return fmt.Errorf("the emulator holds %+v, want only the seeded product", all)
						}
						return nil
					})),
			},
		},
	})
}

func TestAccDataProduct_importErrors(t *testing.T) {
	acc := newAccTarget(t)
	cfg := productConfig{Name: randomName("dp"), Domains: []string{acc.facts.DomainID}, FormID: unknownUUID}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:        cfg.config(acc),
				ResourceName:  productAddr,
				ImportState:   true,
				ImportStateId: unknownUUID,
				ExpectError:   errorPattern("Cannot import non-existent remote object"),
			},
			{
				Config:        cfg.config(acc),
				ResourceName:  productAddr,
				ImportState:   true,
				ImportStateId: "name:No such product",
				ExpectError:   errorPattern(`No data product is named exactly "No such product"`),
			},
		},
	})
}

func TestAccDataProduct_createSurvivesFaults(t *testing.T) {
	cases := map[string]marketplacetest.Fault{
		"connection dropped after commit": {Method: "POST", Path: "/api/data-product", DropAfterCommit: true, Times: 1},
		"gateway error after commit":      {Method: "POST", Path: "/api/data-product", FailAfterCommit: true, Status: 502},
	}
	for name, fault := range cases {
		t.Run(name, func(t *testing.T) {
			srv := requireEmulator(t, "injects faults, seeds objects, reads the emulator's objects")
			form := seedRequestForm(t, srv, false)
			if _, err := srv.InjectFault(fault); err != nil {
				t.Fatal(err)
			}
			cfg := productConfig{Name: "Faulty network", Domains: []string{nasDomainID}, Sources: []string{"101"}, FormID: form, DeletionProtection: boolPtr(false)}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             checkProductsDestroyed(srv),
				Steps: []resource.TestStep{{
					Config: cfg.config(srv),
					Check: resource.ComposeAggregateTestCheckFunc(
						checkProductStored(srv, expectSources(101)),
						func(*terraform.State) error {
							if n := len(srv.DataProducts()); n != 1 {
								return fmt.Errorf("the emulator holds %d products", n)
							}
							return nil
						},
					),
				}},
			})
		})
	}
}

func TestAccDataProduct_readAfterWriteLag(t *testing.T) {
	srv := requireEmulator(t, "sets a read-after-write lag, reads the request log, seeds objects, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	srv.SetReadAfterWriteLag(1500 * time.Millisecond)
	cfg := productConfig{Name: "Lagging", Domains: []string{nasDomainID}, Sources: []string{"102"}, FormID: form, DeletionProtection: boolPtr(false)}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: providerFactories(time.Minute),
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{{
			Config: cfg.config(srv),
			Check:  checkProductStored(srv, expectSources(102)),
		}},
	})
	var lagged int
	for _, r := range requestsTo(srv.Requests(), "GET", "/api/data-product/") {
		if r.Status == 404 {
			lagged++
		}
	}
	if lagged == 0 {
		t.Error("no GET met the lag; the test did not exercise it")
	}
}

// A request form and a product that uses it, created in one apply: the
// product's final plan reads the form moments after its create, while
// the form may still be invisible, and must wait for it rather than call
// it unknown.
func TestAccDataProduct_newFormUnderReadAfterWriteLag(t *testing.T) {
	srv := requireEmulator(t, "sets a read-after-write lag, reads the request log, reads the emulator's objects")
	srv.SetReadAfterWriteLag(1500 * time.Millisecond)
	cfg := productConfig{Name: "Lagging form", Domains: []string{nasDomainID}, FormID: "ref:immuta_request_form.deciding.id",
		DeletionProtection: boolPtr(false)}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: providerFactories(time.Minute),
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + formBlock("deciding", "Purpose", `{ auto_approve = { reason = "Open to all" } }`) + cfg.block(),
			Check: checkProductStored(srv, func(p marketplacetest.DataProduct) error {
				if f, ok := srv.RequestForm(p.DataAccessRequestFormID); !ok || f.Name != "deciding" {
					return fmt.Errorf("the product uses form %s, not the new one", p.DataAccessRequestFormID)
				}
				return nil
			}),
		}},
	})
	var lagged int
	for _, r := range requestsTo(srv.Requests(), "GET", "/api/request-form/") {
		if r.Status == 404 {
			lagged++
		}
	}
	if lagged == 0 {
		t.Error("no GET of the form met the lag; the test did not exercise it")
	}
}

// The resource's documentation example applies as it is (but for its
// deletion protection, so that the test can clean up).
func TestAccDataProduct_example(t *testing.T) {
	srv := requireEmulator(t, "reads the emulator's objects")
	example, err := os.ReadFile(filepath.Join("..", "..", "examples", "resources", "immuta_data_product", "resource.tf"))
	if err != nil {
		t.Fatal(err)
	}
	config := strings.Replace(string(example), "deletion_protection = true", "deletion_protection = false", 1)
	if config == string(example) {
		t.Fatal("the example no longer sets deletion_protection = true")
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("immuta_data_product.sales", tfjsonpath.New("data_source_ids"), stringSet("101", "102", "103")),
				statecheck.ExpectKnownValue("immuta_data_product.sales", tfjsonpath.New("data_access_request_form_id"), knownvalue.StringExact(marketplacetest.StandardRequestFormID)),
				statecheck.CompareValuePairs("immuta_data_product.sales", tfjsonpath.New("masking_exception_request_form_id"),
					"immuta_request_form.unmasking", tfjsonpath.New("id"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("immuta_data_product.sales", tfjsonpath.New("masking_exception_review_flow").AtMapKey("review").AtMapKey("stages"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue("immuta_data_product.sales", tfjsonpath.New("data_access_review_flow"), knownvalue.Null()),
				statecheck.ExpectKnownValue("immuta_data_product.sales", tfjsonpath.New("subject_matter_expert_id"), knownvalue.StringExact(stewardSalesID)),
			},
		}},
	})
}

// An update that fails part-way records what was done: the next plan
// shows only what is left.
func TestAccDataProduct_partialUpdateFailure(t *testing.T) {
	srv := requireEmulator(t, "injects faults, reads the request log, seeds objects, reads the emulator's objects")
	form := seedRequestForm(t, srv, false)
	cfg := productConfig{Name: "Before", Domains: []string{nasDomainID}, Sources: []string{"101"}, FormID: form, DeletionProtection: boolPtr(false)}
	changed := cfg
	changed.Name, changed.Domains, changed.Sources = "After", []string{nasDomainID, marketingDomainID}, []string{"101", "106"}
	var remove func()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg.config(srv)},
			{
				PreConfig: func() {
					var err error
					if remove, err = srv.InjectFault(marketplacetest.Fault{Method: "PUT", Path: "/api/data-product/{id}/datasources", Status: 403}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      changed.config(srv),
				ExpectError: errorPattern("Replacing the data sources of data product", "HTTP 403"),
			},
			{
				PreConfig: func() {
					remove()
					srv.ResetRequests()
				},
				Config: changed.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkProductStored(srv, expectSources(101, 106)),
					func(*terraform.State) error {
						// The rename and the new domain were recorded after the
						// failure: only the data sources are left to send.
						puts := requestsTo(srv.Requests(), "PUT", "/api/data-product/")
						if len(puts) != 1 || !strings.HasSuffix(puts[0].Path, "/datasources") {
							return fmt.Errorf("want only the data sources PUT, got %+v", puts)
						}
						return nil
					},
				),
			},
		},
	})
}

// Names may use any script's letters, marks and digits, as the contract
// says; the plan-time check and the service agree on them.
func TestAccDataProduct_unicodeName(t *testing.T) {
	srv := requireEmulator(t, "reads the request log, reads the emulator's objects")
	// Latin with accents, CJK, Devanagari with its combining marks, Arabic
	// digits, and every allowed punctuation mark.
	name := "Ventes Amérique du Nord / 東京 (हिन्दी) ٢٠٢٤ a-b_c\\d"
	cfg := productConfig{Name: name, Domains: []string{nasDomainID}, DeletionProtection: boolPtr(false)}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config: cfg.config(srv),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					// Left out, both forms are the service's default.
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_access_request_form_id"), knownvalue.StringExact(marketplacetest.StandardRequestFormID)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("masking_exception_request_form_id"), knownvalue.StringExact(marketplacetest.StandardRequestFormID)),
				},
				Check: func(*terraform.State) error {
					// The create sends dataSources, [] for none.
					posts := requestsTo(srv.Requests(), "POST", "/api/data-product")
					if len(posts) != 1 || !strings.Contains(string(posts[0].Body), `"dataSources":[]`) {
						return fmt.Errorf("want one POST with dataSources [], got %+v", posts)
					}
					return nil
				},
			},
			{ResourceName: productAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"deletion_protection"}, ImportStateId: "name:" + name},
		},
	})
}

// An update that leaves the request forms as they are does not read them
// back: the plan knows both.
func TestAccDataProduct_updateKeepsKnownForms(t *testing.T) {
	srv := requireEmulator(t, "reads the request log")
	form := seedRequestForm(t, srv, false)
	cfg := productConfig{Name: randomName("Forms kept"), Domains: []string{nasDomainID}, Sources: []string{"102"}, FormID: form, DeletionProtection: boolPtr(false)}
	changed := cfg
	changed.Description = "Now described"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg.config(srv)},
			{
				PreConfig: srv.ResetRequests,
				Config:    changed.config(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(productAddr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					var puts, formReads int
					for _, r := range srv.Requests() {
						switch {
						case r.Method == "PUT" && strings.HasPrefix(r.Path, marketplacetest.BasePath+"/api/data-product/"):
							puts++
						case r.Method == "GET" && strings.HasSuffix(r.Path, "/request-forms") && puts > 0:
							formReads++
						}
					}
					if puts != 1 || formReads != 0 {
						return fmt.Errorf("the update made %d PUTs and then %d reads of the forms, want 1 and 0", puts, formReads)
					}
					return nil
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("data_access_request_form_id"), knownvalue.StringExact(form)),
					statecheck.ExpectKnownValue(productAddr, tfjsonpath.New("masking_exception_request_form_id"), knownvalue.NotNull()),
				},
			},
		},
	})
}
