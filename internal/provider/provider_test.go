package provider

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// TestAccProvider_tokenNeverLeaks runs a full lifecycle with trace logging
// and a canary token, then looks for the token in the logs, the state and
// an error. It sets environment variables, so it cannot run in parallel.
func TestAccProvider_tokenNeverLeaks(t *testing.T) {
	canary := "canary-" + acctest.RandString(24)
	srv := requireEmulatorWith(t, "serves a canary token, reads the emulator's objects", marketplacetest.Options{Token: canary})
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv(EnvToken, canary)
	t.Setenv(EnvEndpoint, srv.Endpoint())

	config := `
provider "immuta" {}

resource "immuta_data_use_agreement" "test" {
  name = "Canary"
  body = "text"
}
`
	noCanaryInState := func(s *terraform.State) error {
		for addr, rs := range s.RootModule().Resources {
			for k, v := range rs.Primary.Attributes {
				if strings.Contains(v, canary) {
					return fmt.Errorf("%s.%s holds the token", addr, k)
				}
			}
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: noCanaryInState},
			{ResourceName: agreementAddr, ImportState: true, ImportStateVerify: true},
			{Config: config + "\n# updated\n", Check: noCanaryInState},
		},
	})
	// A failing call (a 401 from a wrong token) must not echo the token
	// either. It comes from the environment, as a configuration literal
	// would be in Terraform's own logs of the configuration.
	wrong := "canary-" + acctest.RandString(24)
	t.Setenv(EnvToken, wrong)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
provider "immuta" {}

data "immuta_data_use_agreement" "x" {
  name = "Canary"
}
`,
			ExpectError: errorPattern("HTTP 401 Unauthorized: Not authenticated.", "token", "region"),
		}},
		ErrorCheck: func(err error) error {
			if err != nil && strings.Contains(err.Error(), wrong) {
				return fmt.Errorf("the error shows the token: %w", err)
			}
			return err
		},
	})

	// A service that echoes the token in an error body must not get it
	// shown either.
	echoed := "canary-" + acctest.RandString(24)
	testEchoedTokenNeverLeaks(t, echoed)

	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	// The log really holds the provider's own lines, so the check means something.
	for _, want := range []string{"Marketplace API request", "Authorization: [REDACTED]", "Marketplace API response"} {
		if !strings.Contains(string(logs), want) {
			t.Fatalf("the trace log lacks %q; the test did not capture provider logs", want)
		}
	}
	for _, token := range []string{canary, wrong, echoed} {
		if strings.Contains(string(logs), token) {
			t.Errorf("a token appears in the trace log %s", logPath)
		}
	}
	// And the requests did carry it: the emulator accepted them.
	if len(srv.DataUseAgreements()) != 0 {
		t.Error("the agreement was not destroyed")
	}
}

func TestAccProvider_configurationErrors(t *testing.T) {
	srv := requireEmulator(t, "the environment's token would stand in for the missing one")
	data := `
data "immuta_data_use_agreement" "x" {
  name = "x"
}
`
	cases := []struct {
		config string
		want   *regexp.Regexp
	}{
		{`provider "immuta" {
  endpoint = "http://example.com/marketplace"
  token    = "t"
}`, errorPattern("plain http on a host that is not loopback")},
		{`provider "immuta" {
  region = "us"
  token  = "t"
}`, errorPattern(`Attribute region value must be one of: ["na" "eu" "ap"]`)},
		{fmt.Sprintf(`provider "immuta" {
  region   = "na"
  endpoint = %q
  token    = "t"
}`, srv.Endpoint()), errorPattern("Invalid Attribute Combination", "region", "endpoint")},
		{fmt.Sprintf(`provider "immuta" {
  endpoint        = %q
  token           = "t"
  request_timeout = "soon"
}`, srv.Endpoint()), errorPattern(`"soon" is not a positive duration`)},
		{fmt.Sprintf(`provider "immuta" {
  endpoint    = %q
  token       = "t"
  max_retries = 50
}`, srv.Endpoint()), errorPattern("max_retries value must be between 0 and 20")},
		{fmt.Sprintf(`provider "immuta" {
  endpoint = %q
}`, srv.Endpoint()), errorPattern("Missing Marketplace Token", EnvToken)},
	}
	steps := make([]resource.TestStep, 0, len(cases)+1)
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: c.config + data, ExpectError: c.want})
	}
	steps = append(steps, resource.TestStep{Config: providerConfig(srv)})
	resource.Test(t, resource.TestCase{
		PreCheck: func() {
			testAccPreCheck(t)
			// The missing-token case must not pick a token up from the environment.
			t.Setenv(EnvToken, "")
			t.Setenv(EnvEndpoint, "")
			t.Setenv(EnvRegion, "")
		},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
}

func TestAccProvider_environmentAndPrecedence(t *testing.T) {
	srv := requireEmulator(t, "seeds objects")
	if _, err := srv.SeedDataUseAgreement("Seeded", "text"); err != nil {
		t.Fatal(err)
	}
	lookup := `
data "immuta_data_use_agreement" "x" {
  name = "Seeded"
}
`
	t.Setenv(EnvEndpoint, srv.Endpoint())
	t.Setenv(EnvToken, srv.Token())
	t.Setenv(EnvRegion, "")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// Environment variables alone are enough.
			{
				Config: `provider "immuta" {}` + lookup,
				Check:  resource.TestCheckResourceAttr("data.immuta_data_use_agreement.x", "body", "text"),
			},
			// An argument beats its environment variable: a wrong token in the
			// configuration fails even though the environment holds the right one.
			{
				Config:      `provider "immuta" { token = "wrong" }` + lookup,
				ExpectError: errorPattern("HTTP 401 Unauthorized"),
			},
			// An endpoint argument beats the environment's endpoint.
			{
				Config:      `provider "immuta" { endpoint = "https://127.0.0.1:1/marketplace" }` + lookup,
				ExpectError: errorPattern("GET /api/data-use-agreement"),
			},
		},
	})
}

func TestAccProvider_aliasesForTwoTenants(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	na := requireEmulator(t, "reads the request log, reads the emulator's objects")
	eu := requireEmulatorWith(t, "reads the request log, reads the emulator's objects", marketplacetest.Options{Token: "eu-token"})
	r := newBinaryCLIRunner(t)
	r.writeConfig(fmt.Sprintf(`
provider "immuta" {
  endpoint = %q
  token    = %q
}

provider "immuta" {
  alias    = "eu"
  endpoint = %q
  token    = %q
}

resource "immuta_data_use_agreement" "na" {
  name = "North America terms"
  body = "text"
}

resource "immuta_data_use_agreement" "eu" {
  provider = immuta.eu
  name     = "European terms"
  body     = "GDPR applies."
}
`, na.Endpoint(), na.Token(), eu.Endpoint(), eu.Token()))
	r.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	for srv, want := range map[*marketplacetest.TestServer]string{na: "North America terms", eu: "European terms"} {
		all := srv.DataUseAgreements()
		if len(all) != 1 || all[0].Name != want {
			t.Errorf("the emulator at %s holds %+v, want only %q", srv.Endpoint(), all, want)
		}
		// Each emulator accepts only its own token: a request with the
		// other tenant's would be logged as a 401.
		for _, req := range srv.Requests() {
			if req.Status == http.StatusUnauthorized {
				t.Errorf("the emulator at %s got a request with another tenant's token: %s %s", srv.Endpoint(), req.Method, req.Path)
			}
		}
	}
	if out, code := r.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after apply exited %d:\n%s", code, out)
	}
	r.mustRun("destroy", "-auto-approve", "-input=false", "-no-color")
	if len(na.DataUseAgreements())+len(eu.DataUseAgreements()) != 0 {
		t.Error("destroy left agreements behind")
	}
}

// TestResolveBaseURLWarnings checks the two warnings that explain a
// configuration calling somewhere the user did not mean: a region
// argument that silently beats an endpoint from the environment, and an
// endpoint without the /marketplace path. (A plan would call the real
// service, which tests must not.)
func TestResolveBaseURLWarnings(t *testing.T) {
	const emulator = "http://127.0.0.1:18080/marketplace"
	cases := []struct {
		name     string
		cfg      providerModel
		env      string
		wantURL  string
		warnings []string
	}{
		{"region beats env endpoint", providerModel{Region: types.StringValue("eu")}, emulator,
			"https://eu.api.immutacloud.com/marketplace",
			[]string{"Region Argument Overrides the Endpoint Variable", "ignores " + EnvEndpoint + "=" + emulator, "remove region"}},
		{"endpoint without /marketplace", providerModel{Endpoint: types.StringValue("http://127.0.0.1:18080")}, "",
			"http://127.0.0.1:18080", []string{"Endpoint Without /marketplace", `404 "Cannot GET /api/..."`}},
		{"env endpoint without /marketplace", providerModel{}, "http://127.0.0.1:18080/",
			"http://127.0.0.1:18080/", []string{"the environment variable " + EnvEndpoint}},
		{"no warning", providerModel{Endpoint: types.StringValue(emulator)}, "", emulator, nil},
		{"region alone", providerModel{Region: types.StringValue("na")}, "", "https://na.api.immutacloud.com/marketplace", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvEndpoint, tc.env)
			t.Setenv(EnvRegion, "")
			var resp provider.ConfigureResponse
			got, ok := (&immutaProvider{}).resolveBaseURL(tc.cfg, &resp)
			if !ok || got != tc.wantURL {
				t.Fatalf("got %q, %v; want %q", got, ok, tc.wantURL)
			}
			var text []string
			for _, d := range resp.Diagnostics.Warnings() {
				text = append(text, d.Summary()+": "+d.Detail())
			}
			all := strings.Join(text, "\n")
			if len(tc.warnings) == 0 && len(text) != 0 {
				t.Errorf("unexpected warnings: %s", all)
			}
			for _, want := range tc.warnings {
				if !strings.Contains(all, want) {
					t.Errorf("the warnings lack %q: %s", want, all)
				}
			}
		})
	}
}
