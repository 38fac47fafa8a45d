package provider

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// TestAccLogFields_followOneObject runs a data use agreement's create,
// refresh and destroy with debug logging to a file, then checks the log
// convention: the client's request lines of each operation carry the
// object's kind and id (immuta_kind, immuta_id), so that one search for
// immuta_id=<id> follows the object. It sets environment variables, so it
// cannot run in parallel.
func TestAccLogFields_followOneObject(t *testing.T) {
	srv := marketplacetest.NewTestServer(t, marketplacetest.Options{StrictContractRequests: true})
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "DEBUG")
	t.Setenv("TF_ACC_LOG", "DEBUG")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"immuta": providerserver.NewProtocol6WithError(New("test",
				WithRetryWait(5*time.Millisecond, 50*time.Millisecond),
				WithConsistencyWindow(-1),
				WithCreateJournal(filepath.Join(t.TempDir(), "journal.json")))()),
		},
		Steps: []resource.TestStep{{Config: fmt.Sprintf(`
provider "immuta" {
  endpoint = %q
  token    = %q
}

resource "immuta_data_use_agreement" "logged" {
  name = "Log Fields"
  body = "text"
}
`, srv.Endpoint(), srv.Token())}},
	})

	// The destroy's DELETE names the id in its path.
	deletes := logLinesWith(t, logPath, "Marketplace API request", "method=DELETE", "/api/data-use-agreement/")
	if len(deletes) == 0 {
		t.Fatal("no DELETE request line in the log")
	}
	_, rest, _ := strings.Cut(deletes[0], "/api/data-use-agreement/")
	id, _, _ := strings.Cut(rest, " ")
	requests := logLinesWith(t, logPath, "Marketplace API request", logFieldID+"="+id, logFieldKind+"="+kindDataUseAgreement)
	for _, want := range []struct{ rpc, method string }{
		{"ApplyResourceChange", "method=POST"}, // the create
		{"ReadResource", "method=GET"},         // a refresh
		{"ApplyResourceChange", "method=DELETE"},
	} {
		found := false
		for _, line := range requests {
			found = found || strings.Contains(line, "tf_rpc="+want.rpc) && strings.Contains(line, want.method)
		}
		if !found {
			t.Errorf("no %s request line of %s with %s=%s and %s=%s; the request lines with both:\n%s", want.method, want.rpc,
				logFieldKind, kindDataUseAgreement, logFieldID, id, strings.Join(requests, "\n"))
		}
	}
}

// logLinesWith returns the lines of the log file that contain every one
// of parts.
func logLinesWith(t *testing.T, path string, parts ...string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 0, 1<<20), 16<<20)
lines:
	for scanner.Scan() {
		line := scanner.Text()
		for _, p := range parts {
			if !strings.Contains(line, p) {
				continue lines
			}
		}
		out = append(out, line)
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
