package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// echoingService answers every request the way a careless gateway does:
// with an error whose body repeats the Authorization header, as JSON for
// writes and as an HTML page for reads.
func echoingService(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if r.Method == http.MethodGet {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "<html><body><h1>Bad Request</h1><p>invalid credentials: %s</p></body></html>", auth)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"message":"invalid credentials: %s","error":"Bad Request","statusCode":400}`, auth)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// testEchoedTokenNeverLeaks points the provider at a service that echoes
// the token in its error bodies, in JSON and in HTML, and checks the
// errors. TestAccProvider_tokenNeverLeaks runs it and then checks the
// trace log: the provider's log sink is set up once per test process, so
// one test owns the log file.
func testEchoedTokenNeverLeaks(t *testing.T, canary string) {
	srv := echoingService(t)
	t.Setenv(EnvToken, canary)
	t.Setenv(EnvEndpoint, srv.URL+"/marketplace")
	noToken := func(err error) error {
		if err != nil && strings.Contains(err.Error(), canary) {
			return fmt.Errorf("the error shows the token: %w", err)
		}
		return err
	}
	for _, tc := range []struct{ name, config, want string }{
		{"json body of a create", `
provider "immuta" {}

resource "immuta_data_use_agreement" "test" {
  name = "Canary"
  body = "text"
}
`, `HTTP 400 Bad Request: invalid credentials: Bearer [REDACTED]`},
		{"html body of a read", `
provider "immuta" {}

data "immuta_domains" "all" {}
`, `invalid credentials: Bearer [REDACTED]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: tc.config, ExpectError: errorPattern(tc.want)}},
				ErrorCheck:               noToken,
			})
		})
	}
}

// TestAccProvider_refusesRedirectToAnotherOrigin checks that an endpoint
// redirecting to another port gets a clear error, and that the other
// port never sees the token.
func TestAccProvider_refusesRedirectToAnotherOrigin(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		elsewhere.Add(1)
		_, _ = io.WriteString(w, `{"domains":[]}`)
	}))
	t.Cleanup(other.Close)
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirecting.Close)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "immuta" {
  endpoint = %q
  token    = "t"
}

data "immuta_domains" "all" {}
`, redirecting.URL+"/marketplace"),
			ExpectError: errorPattern("redirected the request to "+other.URL, "another origin", "configured endpoint"),
		}},
	})
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the other origin received %d requests", n)
	}
}
