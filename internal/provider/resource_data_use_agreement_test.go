package provider

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
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

const agreementAddr = "immuta_data_use_agreement.test"

func agreementConfig(srv endpointer, name, body string) string {
	return providerConfig(srv) + fmt.Sprintf(`
resource "immuta_data_use_agreement" "test" {
  name = %q
  body = %q
}
`, name, body)
}

// checkAgreementStored checks the emulator holds exactly one agreement,
// with this name and body.
func checkAgreementStored(srv *marketplacetest.TestServer, name, body string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		all := srv.DataUseAgreements()
		if len(all) != 1 {
			return fmt.Errorf("the emulator holds %d agreements, want 1", len(all))
		}
		if all[0].Name != name || all[0].Body != body {
			return fmt.Errorf("the emulator holds %q / %q, want %q / %q", all[0].Name, all[0].Body, name, body)
		}
		return nil
	}
}

func TestAccDataUseAgreement_lifecycle(t *testing.T) {
	acc := newAccTarget(t)
	name := randomName("dua")
	renamed := name + "-renamed"
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	// In process the emulator also holds nothing else.
	stored := func(name, body string) resource.TestCheckFunc {
		return resource.ComposeAggregateTestCheckFunc(acc.checkAgreementStored(name, body),
			acc.emulatorCheck(func(srv *marketplacetest.TestServer) error { return checkAgreementStored(srv, name, body)(nil) }))
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(acc.checkAgreementsDestroyed(),
			acc.emulatorCheck(func(srv *marketplacetest.TestServer) error {
				if n := len(srv.DataUseAgreements()); n != 0 {
					return fmt.Errorf("the emulator still holds %d agreements after destroy", n)
				}
				return nil
			})),
		Steps: []resource.TestStep{
			// Create.
			{
				Config: agreementConfig(acc, name, "Use for analytics only."),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(agreementAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(agreementAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(agreementAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidRegexp)),
					statecheck.ExpectKnownValue(agreementAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(agreementAddr, tfjsonpath.New("body"), knownvalue.StringExact("Use for analytics only.")),
					statecheck.ExpectKnownValue(agreementAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT`))),
					statecheck.ExpectKnownValue(agreementAddr, tfjsonpath.New("created_by"), knownvalue.StringRegexp(uuidRegexp)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(agreementAddr, &id),
					stored(name, "Use for analytics only."),
					acc.emulatorCheck(func(srv *marketplacetest.TestServer) error {
						// The provider identifies itself and Terraform to the service.
						for _, r := range srv.Requests() {
							ua := r.UserAgent
							if ua == testClientUserAgent {
								continue
							}
							if !strings.HasPrefix(ua, "terraform-provider-immuta/test ") || !strings.Contains(ua, "Terraform/") {
								return fmt.Errorf("request %s %s has User-Agent %q", r.Method, r.Path, ua)
							}
						}
						return nil
					}),
				),
			},
			// Update in place: the id stays, created_* stay, updated_at moves.
			{
				Config: agreementConfig(acc, renamed, "Use for analytics and reporting only."),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(agreementAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(agreementAddr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
						plancheck.ExpectUnknownValue(agreementAddr, tfjsonpath.New("updated_at")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(agreementAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(agreementAddr, tfjsonpath.New("name"), knownvalue.StringExact(renamed)),
				},
				Check: stored(renamed, "Use for analytics and reporting only."),
			},
			// Import by id, by "name:<name>" and by plain name.
			{ResourceName: agreementAddr, ImportState: true, ImportStateVerify: true},
			{ResourceName: agreementAddr, ImportState: true, ImportStateVerify: true, ImportStateId: "name:" + renamed},
			{ResourceName: agreementAddr, ImportState: true, ImportStateVerify: true, ImportStateId: renamed},
			// An import block plans no change.
			{
				Config:          agreementConfig(acc, renamed, "Use for analytics and reporting only."),
				ResourceName:    agreementAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			// Drift: an edit in the UI shows as an update back to the configuration.
			{
				PreConfig: func() {
					if _, err := acc.api.UpdateDataUseAgreement(context.Background(), id, marketplace.DataUseAgreementInput{
						Name: renamed, Body: "Edited in the Marketplace app.",
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: agreementConfig(acc, renamed, "Use for analytics and reporting only."),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(agreementAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(agreementAddr, tfjsonpath.New("body"), knownvalue.StringExact("Use for analytics and reporting only.")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(agreementAddr, tfjsonpath.New("id"))},
				Check:             stored(renamed, "Use for analytics and reporting only."),
			},
			// Disappears: a delete in the UI plans a create.
			{
				PreConfig: func() {
					if err := acc.api.DeleteDataUseAgreement(context.Background(), id); err != nil {
						t.Fatal(err)
					}
				},
				Config: agreementConfig(acc, renamed, "Use for analytics and reporting only."),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(agreementAddr, plancheck.ResourceActionCreate)},
				},
				Check: stored(renamed, "Use for analytics and reporting only."),
			},
		},
	})
}

func TestAccDataUseAgreement_nameConflict(t *testing.T) {
	acc := newAccTarget(t)
	shared := randomName("shared")
	existing := acc.seedAgreement(t, shared, "Made in the UI.")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: agreementConfig(acc, shared, "Made by Terraform."),
				ExpectError: errorPattern("HTTP 409 Conflict: There is already a data use agreement with this name.",
					existing.ID, "terraform import"),
			},
			{
				// Nothing was created or changed, and the state holds nothing.
				Config: providerConfig(acc),
				Check: resource.ComposeAggregateTestCheckFunc(acc.checkAgreementUnchanged(existing),
					acc.emulatorCheck(func(srv *marketplacetest.TestServer) error {
						all := srv.DataUseAgreements()
						if len(all) != 1 || all[0].ID != existing.ID || all[0].Body != "Made in the UI." {
							return fmt.Errorf("the emulator holds %+v, want only the seeded agreement unchanged", all)
						}
						return nil
					})),
			},
		},
	})
}

// A rename to a name another agreement holds is the contract's 409 on
// PUT; the error names the holder, the state keeps the old name, and
// choosing a free name afterwards converges.
func TestAccDataUseAgreement_renameConflict(t *testing.T) {
	acc := newAccTarget(t)
	shared := randomName("shared")
	existing := acc.seedAgreement(t, shared, "Made in the UI.")
	name := randomName("dua")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: agreementConfig(acc, name, "Mine.")},
			{
				Config: agreementConfig(acc, shared, "Mine."),
				ExpectError: errorPattern("Unable to Update Data Use Agreement",
					"HTTP 409 Conflict: There is already a data use agreement with this name.",
					"Data use agreement "+existing.ID+` is already named "`+shared+`"; names are unique`),
			},
			{
				Config: agreementConfig(acc, name+"-2", "Mine."),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agreementAddr, tfjsonpath.New("name"), knownvalue.StringExact(name+"-2")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(acc.checkAgreementUnchanged(existing), acc.emulatorCheck(func(srv *marketplacetest.TestServer) error {
					// Every PUT was answered 201, as the contract declares.
					// The hint looked the name up with the contract's filters.
					lists := 0
					for _, r := range srv.Requests() {
						if r.Method != "GET" || r.Path != marketplacetest.BasePath+"/api/data-use-agreement" {
							continue
						}
						lists++
						q, _ := url.ParseQuery(r.Query)
						if q.Get("nameFilter") != shared || q.Get("exactMatch") != "true" || q.Has("name") {
							return fmt.Errorf("agreement list with query %q", r.Query)
						}
					}
					if lists == 0 {
						return fmt.Errorf("the conflict hint did not look the name up")
					}
					puts := requestsTo(srv.Requests(), "PUT", "/api/data-use-agreement/")
					if len(puts) < 2 {
						return fmt.Errorf("%d PUTs, want the refused rename and the rename", len(puts))
					}
					for _, r := range puts {
						if r.Status != 201 && r.Status != 409 {
							return fmt.Errorf("PUT answered %d", r.Status)
						}
					}
					return nil
				})),
			},
			{
				Config: agreementConfig(acc, name+"-2", "Mine."),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccDataUseAgreement_importErrors(t *testing.T) {
	acc := newAccTarget(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:        agreementConfig(acc, randomName("dua"), "y"),
				ResourceName:  agreementAddr,
				ImportState:   true,
				ImportStateId: "123e4567-e89b-12d3-a456-426614174000",
				ExpectError:   errorPattern("Cannot import non-existent remote object"),
			},
			{
				Config:        agreementConfig(acc, randomName("dua"), "y"),
				ResourceName:  agreementAddr,
				ImportState:   true,
				ImportStateId: "name:No such agreement",
				ExpectError:   errorPattern(`No data use agreement is named exactly "No such agreement"`),
			},
		},
	})
}

// agreementBadInputs are agreements refused at plan time (see
// TestAccBadInput_refusedAtPlanTime).
func agreementBadInputs() []badInput {
	cases := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"", "text", errorPattern("Attribute name string length must be between 1 and 255")},
		{"   ", "text", errorPattern("Attribute name must not be blank")},
		{strings.Repeat("n", 256), "text", errorPattern("Attribute name string length must be between 1 and 255")},
		{"ok", "", errorPattern("Attribute body string length must be between 1 and 100000")},
	}
	out := make([]badInput, 0, len(cases))
	for _, c := range cases {
		out = append(out, badInput{config: func(srv endpointer) string { return agreementConfig(srv, c.name, c.body) }, want: c.want})
	}
	return out
}

func TestAccDataUseAgreement_createSurvivesFaults(t *testing.T) {
	cases := map[string]marketplacetest.Fault{
		// The write lands but the answer is lost; the retried POST meets 409.
		"connection dropped after commit": {Method: "POST", Path: "/api/data-use-agreement", DropAfterCommit: true, Times: 1},
		// The write lands but a gateway answers 502 to it and to every retry.
		"gateway error after commit": {Method: "POST", Path: "/api/data-use-agreement", FailAfterCommit: true, Status: 502},
		// Rate limited twice, then accepted.
		"rate limited": {Method: "POST", Path: "/api/data-use-agreement", Status: 429, RetryAfter: "0", Times: 2},
	}
	for name, fault := range cases {
		t.Run(name, func(t *testing.T) {
			srv := requireEmulator(t, "injects faults, reads the emulator's objects")
			if _, err := srv.InjectFault(fault); err != nil {
				t.Fatal(err)
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: agreementConfig(srv, "Faulty network", "text"),
					Check: resource.ComposeAggregateTestCheckFunc(
						checkAgreementStored(srv, "Faulty network", "text"),
						func(s *terraform.State) error {
							if got, want := s.RootModule().Resources[agreementAddr].Primary.ID, srv.DataUseAgreements()[0].ID; got != want {
								return fmt.Errorf("state holds %s, the emulator %s", got, want)
							}
							return nil
						},
					),
				}},
			})
		})
	}
}

func TestAccDataUseAgreement_readAfterWriteLag(t *testing.T) {
	srv := requireEmulator(t, "sets a read-after-write lag, reads the request log, reads the emulator's objects")
	srv.SetReadAfterWriteLag(4 * time.Second) // long enough to outlast a slow apply on a busy machine
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() { testAccPreCheck(t) },
		// The provider waits out a 404 for up to a minute after its own write.
		ProtoV6ProviderFactories: providerFactories(time.Minute),
		Steps: []resource.TestStep{{
			// The harness refreshes and plans right after the apply, inside the
			// lag: the agreement must stay in state and the plan stay empty.
			Config: agreementConfig(srv, "Lagging", "text"),
			Check:  checkAgreementStored(srv, "Lagging", "text"),
		}},
	})
	var lagged int
	for _, r := range requestsTo(srv.Requests(), "GET", "/api/data-use-agreement/") {
		if r.Status == 404 {
			lagged++
		}
	}
	if lagged == 0 {
		t.Error("no GET met the lag; the test did not exercise it")
	}
}

func TestAccDataUseAgreement_createOutcomeUnknownIsTracked(t *testing.T) {
	srv := requireEmulator(t, "injects faults, reads the emulator's objects")
	// Every create is committed and then answered 502, and every read fails:
	// the provider cannot tell whether its create happened.
	if _, err := srv.InjectFault(marketplacetest.Fault{Method: "POST", FailAfterCommit: true, Status: 502}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.InjectFault(marketplacetest.Fault{Method: "GET", Status: 500}); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      agreementConfig(srv, "Unknown outcome", "text"),
				ExpectError: errorPattern("HTTP 502 Bad Gateway", "may have been created with id", "keeps that id in state"),
			},
			{
				// The id was kept: once the service recovers, Terraform replaces the
				// tainted agreement instead of creating a second one beside it.
				PreConfig: srv.ClearFaults,
				Config:    agreementConfig(srv, "Unknown outcome", "text"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(agreementAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: checkAgreementStored(srv, "Unknown outcome", "text"),
			},
		},
	})
}

func TestAccDataUseAgreement_timeout(t *testing.T) {
	srv := requireEmulator(t, "injects faults, reads the emulator's objects")
	if _, err := srv.InjectFault(marketplacetest.Fault{Method: "POST", Latency: marketplacetest.Duration(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + `
resource "immuta_data_use_agreement" "test" {
  name = "Slow"
  body = "text"
  timeouts = {
    create = "1s"
  }
}
`,
				ExpectError: errorPattern("context deadline exceeded", "Raise the resource's timeouts"),
			},
			{
				PreConfig: srv.ClearFaults,
				Config:    agreementConfig(srv, "Slow", "text"),
				Check:     checkAgreementStored(srv, "Slow", "text"),
			},
		},
	})
}
