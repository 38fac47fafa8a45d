package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// adoptAllQuery lists everything the provider can manage, as the guide
// "Source-controlling an existing Marketplace" does.
const adoptAllQuery = `
list "immuta_data_use_agreement" "all" {
  provider         = immuta
  include_resource = true
  limit            = 1000
}

list "immuta_request_form" "all" {
  provider         = immuta
  include_resource = true
  limit            = 1000
}

list "immuta_data_product" "all" {
  provider         = immuta
  include_resource = true
  limit            = 1000
}
`

// skipBelowCLI skips a test whose terraform CLI is older than minimum.
func (r *cliRunner) skipBelowCLI(minimum *version.Version) {
	r.t.Helper()
	out := r.mustRun("version", "-json")
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		r.t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	got, err := version.NewVersion(v.Version)
	if err != nil {
		r.t.Fatal(err)
	}
	if got.LessThan(minimum) {
		r.t.Skipf("Terraform %s is older than %s, which this test needs", got, minimum)
	}
}

// writeFile writes a file into the working directory.
func (r *cliRunner) writeFile(name, content string) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, name), []byte(content), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// seedMarketplace fills an emulator as people using the Marketplace app
// would: agreements, forms that include them, and products that use the
// forms, some in several domains, some suspended.
func seedMarketplace(t *testing.T, srv *marketplacetest.TestServer, agreements, forms, products int) {
	t.Helper()
	var agreementIDs []string
	for i := range agreements {
		a, err := srv.SeedDataUseAgreement(fmt.Sprintf("Agreement %02d", i), fmt.Sprintf("Terms number %d.\n\nUse with care.\n", i))
		if err != nil {
			t.Fatal(err)
		}
		agreementIDs = append(agreementIDs, a.ID)
	}
	var formIDs []string
	for i := range forms {
		f, err := srv.SeedRequestForm(marketplacetest.RequestForm{
			Name: fmt.Sprintf("Form %02d", i),
			Fields: []marketplacetest.FormField{
				{Type: marketplacetest.FieldShortAnswer, Label: "Purpose", Required: true},
				{Type: marketplacetest.FieldDropdown, Label: "Region", Options: []marketplacetest.FieldOption{{Value: "US"}, {Value: "EU"}}},
			},
			Policy: marketplacetest.Policy{Version: "1", DefaultEvent: marketplacetest.PolicyEvent{
				Type: marketplacetest.EventApprove, Params: &marketplacetest.EventParams{Comment: fmt.Sprintf("Approved by form %d.", i)},
			}},
			DataUseAgreementIDs: []string{agreementIDs[i%agreements], agreementIDs[(i+forms)%agreements]},
		})
		if err != nil {
			t.Fatal(err)
		}
		formIDs = append(formIDs, f.ID)
	}
	domains := [][]string{{nasDomainID}, {financeDomainID}, {nasDomainID, marketingDomainID}}
	for i := range products {
		p := marketplacetest.DataProduct{
			Name:      fmt.Sprintf("Product %02d", i),
			Domains:   domains[i%len(domains)],
			Suspended: i%7 == 0,
		}
		if i%2 == 0 {
			p.DataAccessRequestFormID = formIDs[i%forms]
		}
		if _, err := srv.SeedDataProduct(p); err != nil {
			t.Fatal(err)
		}
	}
}

var planSummary = regexp.MustCompile(`Plan: (\d+) to import, (\d+) to add, (\d+) to change, (\d+) to destroy\.`)

// TestAccQueryAdoptWholeMarketplace adopts a whole Marketplace made in the
// app, as the guide does with Terraform 1.14 and later: in an empty
// directory, `terraform query -generate-config-out` writes import and
// resource blocks for every object, `terraform plan` imports all of them
// and changes nothing, and after the apply the next plan is empty.
func TestAccQueryAdoptWholeMarketplace(t *testing.T) {
	testAccPreCheck(t)
	const agreements, forms, products = 30, 20, 50
	r := newCLIRunner(t, providerFactories(0)["immuta"])
	r.skipBelowCLI(tfversion.Version1_14_0)
	srv := requireEmulator(t, "seeds objects")
	seedMarketplace(t, srv, agreements, forms, products)

	adoptWithQuery(t, r, srv, adoptAllQuery, agreements+forms+products)
	if t.Failed() {
		return
	}
	generated, err := os.ReadFile(filepath.Join(r.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(generated), "Standard Request Form") {
		t.Error("generated.tf adopts the Standard Request Form, which cannot be managed")
	}
}

// adoptWithQuery runs query in an empty working directory with
// -generate-config-out, then checks that the plan imports want objects
// and changes nothing, that applying it writes nothing, and that the next
// plan is empty.
func adoptWithQuery(t *testing.T, r *cliRunner, srv *marketplacetest.TestServer, query string, want int) {
	t.Helper()
	r.writeConfig(providerConfig(srv))
	r.writeFile("adopt.tfquery.hcl", query)
	r.mustRun("init", "-input=false")
	r.mustRun("query", "-no-color", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(r.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(generated), "\nimport {"); n != want {
		t.Errorf("generated.tf has %d import blocks, want %d", n, want)
	}
	out := r.mustRun("plan", "-input=false", "-no-color", "-out=adopt.tfplan")
	m := planSummary.FindStringSubmatch(out)
	if m == nil || fmt.Sprint(m[1:]) != fmt.Sprint([]string{fmt.Sprint(want), "0", "0", "0"}) {
		t.Fatalf("plan after terraform query: want %d to import, 0 to add, 0 to change, 0 to destroy; got:\n%s\n\ngenerated.tf:\n%s", want, out, generated)
	}
	t.Logf("%s", m[0])
	srv.ResetRequests()
	r.mustRun("apply", "-input=false", "adopt.tfplan")
	if err := checkNoWrites(srv)(nil); err != nil {
		t.Errorf("applying the adoption: %v", err)
	}
	out, code := r.run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 0 {
		t.Fatalf("the plan after adopting is not empty (exit %d):\n%s", code, out)
	}
}
