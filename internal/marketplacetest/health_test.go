package marketplacetest

import (
	"net/http"
	"testing"
)

// The health endpoints answer without a token, exactly as the contract
// declares (checked when MARKETPLACE_OPENAPI is set); other methods,
// paths and parameters get the usual answers.
func TestHealthWithoutToken(t *testing.T) {
	ts := NewTestServer(t, Options{})
	for _, path := range []string{"/health", "/health/live", "/health/ready"} {
		status, _, raw := call(t, ts.Server, http.MethodGet, path, "", "")
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, status, raw)
		}
		want := `{"status":"ok","info":{"database":{"status":"up"}},"error":{},"details":{"database":{"status":"up"}}}` + "\n"
		if string(raw) != want {
			t.Errorf("GET %s: got %s, want %s", path, raw, want)
		}
	}
	if status, body, _ := call(t, ts.Server, http.MethodPost, "/health", ts.Token(), ""); status != http.StatusNotFound || body["message"] != "Cannot POST /marketplace/health" {
		t.Errorf("POST /health: %d %v, want 404", status, body)
	}
	if status, _, _ := call(t, ts.Server, http.MethodGet, "/health/other", ts.Token(), ""); status != http.StatusNotFound {
		t.Errorf("GET /health/other: %d, want 404", status)
	}
	if status, body, _ := call(t, ts.Server, http.MethodGet, "/health?verbose=1", "", ""); status != http.StatusBadRequest {
		t.Errorf("GET /health?verbose=1: %d %v, want 400", status, body)
	}
}
