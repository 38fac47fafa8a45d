package provider

import (
	"context"
	"fmt"
	"net/http"
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
	// seed makes an object through the emulator's Go API, as someone using
	// the Marketplace app would (with whatever it refers to), and returns
	// the object's id and name. Choose unusual values: the generated
	// configuration must reproduce them exactly.
	seed func(t *testing.T, srv *marketplacetest.TestServer) (id, name string)
	// stillExists reports whether the emulator still holds the object.
	stillExists func(srv *marketplacetest.TestServer, id string) bool
	// unprotect, if set, rewrites the generated configuration so that the
	// object may be destroyed when the test ends (deletion protection).
	unprotect func(generated string) string
}

// adoptionCases lists every resource type that can be adopted. A new
// resource type adds its entry here.
var adoptionCases = []adoptionCase{
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
}

// TestAccAdoptWithGeneratedConfig follows the guide "Source-controlling an
// existing Marketplace" for every resource type: with an object made
// outside Terraform and a configuration of import blocks only,
// `terraform plan -generate-config-out` writes a configuration that
// validates, imports the object without changing it, and plans clean
// afterwards. It runs for an import by id and by "name:<name>".
func TestAccAdoptWithGeneratedConfig(t *testing.T) {
	for _, c := range adoptionCases {
		for _, by := range []string{"id", "name"} {
			t.Run(c.resourceType+"/by_"+by, func(t *testing.T) {
				t.Parallel()
				testAdoptWithGeneratedConfig(t, c, by)
			})
		}
	}
}

func testAdoptWithGeneratedConfig(t *testing.T, c adoptionCase, by string) {
	srv := newEmulator(t)
	id, name := c.seed(t, srv)
	importID := id
	if by == "name" {
		importID = importNamePrefix + name
	}
	addr := c.resourceType + ".adopted"
	importBlock := fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", addr, importID)
	versionChecks := []tfversion.TerraformVersionCheck{
		tfversion.SkipBelow(tfversion.Version1_5_0), // import blocks and -generate-config-out
	}

	// Steps 1-3 of the guide: import blocks alone, then
	// `terraform plan -generate-config-out=generated.tf`. The harness fails
	// unless the plan imports the object with no change.
	var generated string
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
				captureGeneratedConfig(addr, &generated),
			}},
		}},
	})
	if t.Failed() {
		return
	}
	t.Logf("generated configuration:\n%s", generated)

	// Steps 4-6: the generated configuration, committed as it is, passes
	// validation, applies as an import that changes nothing in the
	// Marketplace, and the next plan is empty (the harness checks that
	// after every apply).
	steps := []resource.TestStep{{
		Config: providerConfig(srv) + importBlock + generated,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
		}},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
		},
		Check: checkNoWrites(srv),
	}}
	if c.unprotect != nil {
		steps = append(steps, resource.TestStep{Config: providerConfig(srv) + c.unprotect(generated)})
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

// captureGeneratedConfig copies the configuration Terraform generated for
// addr out of the plan, failing when there is none.
func captureGeneratedConfig(addr string, into *string) plancheck.PlanCheck {
	return generatedConfigCheck{addr: addr, into: into}
}

type generatedConfigCheck struct {
	addr string
	into *string
}

func (c generatedConfigCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr || rc.Change == nil {
			continue
		}
		if rc.Change.GeneratedConfig == "" {
			resp.Error = fmt.Errorf("%s: Terraform generated no configuration", c.addr)
			return
		}
		*c.into = rc.Change.GeneratedConfig
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", c.addr)
}

// checkNoWrites fails when the emulator has received any request that
// could change something.
func checkNoWrites(srv *marketplacetest.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range srv.Requests() {
			if r.Method != http.MethodGet {
				return fmt.Errorf("adopting the object sent %s %s; an import must only read", r.Method, r.Path)
			}
		}
		return nil
	}
}
