package provider

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// testAccProtoV6ProviderFactories serve the provider in-process, with
// short retry waits so that fault tests stay quick, and no wait for
// read-after-write lag, so that a 404 right after a create means the
// object was deleted (as the "disappears" steps do).
var testAccProtoV6ProviderFactories = providerFactories(-1)

// providerFactories serve the provider with a read-after-write window.
func providerFactories(consistencyWindow time.Duration) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"immuta": providerserver.NewProtocol6WithError(New("test",
			WithRetryWait(5*time.Millisecond, 50*time.Millisecond),
			WithConsistencyWindow(consistencyWindow))()),
	}
}

// testAccPreCheck fails early when the acceptance test environment is
// incomplete. The emulator needs nothing, but Terraform must be found.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		if _, err := exec.LookPath("terraform"); err != nil {
			t.Fatal("acceptance tests need the terraform CLI on PATH or TF_ACC_TERRAFORM_PATH; `make test` installs one")
		}
	}
}

// newEmulator starts an emulator for one test.
func newEmulator(t *testing.T) *marketplacetest.TestServer {
	t.Helper()
	return marketplacetest.NewTestServer(t, marketplacetest.Options{})
}

// providerConfig points the provider at an emulator.
func providerConfig(srv *marketplacetest.TestServer) string {
	return fmt.Sprintf(`
provider "immuta" {
  endpoint = %q
  token    = %q
}
`, srv.Endpoint(), srv.Token())
}

// randomName returns a unique, valid object name for a test.
func randomName(prefix string) string {
	return acctest.RandomWithPrefix("tf-acc-" + prefix)
}

// uuidRegexp matches a canonical UUID.
// compareSame asserts two values are equal.
var compareSame = compare.ValuesSame()

var uuidRegexp = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// errorPattern matches a diagnostic that contains each part, in order.
// Terraform wraps long lines, so any space in a part matches any run of
// white space.
func errorPattern(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

// requestsTo filters the request log by method and path prefix (after
// the base path).
func requestsTo(reqs []marketplacetest.Request, method, pathPrefix string) []marketplacetest.Request {
	var out []marketplacetest.Request
	for _, r := range reqs {
		if r.Method == method && strings.HasPrefix(r.Path, marketplacetest.BasePath+pathPrefix) {
			out = append(out, r)
		}
	}
	return out
}
