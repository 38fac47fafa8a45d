package marketplacetest

import "net/http/httptest"

// Cleaner is the part of testing.TB that NewTestServer needs.
type Cleaner interface {
	Helper()
	Cleanup(func())
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
func NewTestServer(tb Cleaner, opts Options) *TestServer {
	tb.Helper()
	s := New(opts)
	ts := &TestServer{Server: s, HTTP: httptest.NewServer(s)}
	tb.Cleanup(ts.HTTP.Close)
	return ts
}
