package marketplacetest

import (
	"net/http/httptest"
	"os"
)

// Cleaner is the part of testing.TB that NewTestServer needs.
type Cleaner interface {
	Helper()
	Cleanup(func())
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// TestServer is a Server listening on a loopback port.
type TestServer struct {
	*Server
	HTTP *httptest.Server
}

// Endpoint is the base URL to give a client: the listener's URL plus
// BasePath.
func (t *TestServer) Endpoint() string { return t.HTTP.URL + BasePath }

// NewTestServer starts a Server on a free loopback port and stops it when
// the test ends.
//
// When opts.OpenAPI is nil and the environment variable MARKETPLACE_OPENAPI
// names the service's OpenAPI document, the contract check is on: the
// test fails with one error per violation when it ends. A document that
// cannot be read fails the test at once.
func NewTestServer(tb Cleaner, opts Options) *TestServer {
	tb.Helper()
	if opts.OpenAPI == nil {
		if path := os.Getenv(OpenAPIEnv); path != "" {
			c, err := LoadContract(path)
			if err != nil {
				tb.Fatalf("contract check (%s=%s): %v", OpenAPIEnv, path, err)
				return nil
			}
			opts.OpenAPI = c
		}
	}
	s := New(opts)
	ts := &TestServer{Server: s, HTTP: httptest.NewServer(s)}
	if opts.OpenAPI != nil {
		// Registered before the listener's Close, so it runs after it,
		// once every exchange is over.
		tb.Cleanup(func() {
			for _, v := range s.ContractViolations() {
				if v.Route == "" {
					tb.Errorf("contract violation: %s", v)
					continue
				}
				// The route groups violations of one operation.
				tb.Errorf("contract violation: %s (contract route %s %s)", v, v.Method, v.Route)
			}
		})
	}
	tb.Cleanup(ts.HTTP.Close)
	return ts
}
