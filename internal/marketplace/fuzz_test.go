package marketplace

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzErrorDecoding feeds arbitrary error bodies to the error decoder: it
// must never panic, and always produce a message and the status.
func FuzzErrorDecoding(f *testing.F) {
	for _, seed := range []string{
		`{"message":"Not authenticated.","error":"Unauthorized","statusCode":401}`,
		`{"message":["a","b"],"error":"Bad Request","statusCode":400}`,
		`{"message":{"nested":true}}`, `{"message":null,"error":null}`,
		`<html><body>502</body></html>`, ``, `null`, `[]`, `{"error":"Conflict"}`,
	} {
		f.Add(seed, "application/json")
		f.Add(seed, "text/html")
	}
	f.Fuzz(func(t *testing.T, body, contentType string) {
		resp := &http.Response{StatusCode: 418, Header: http.Header{"Content-Type": {contentType}}, Body: http.NoBody}
		defer resp.Body.Close()
		err := newAPIError("GET", "/api/x", resp, []byte(body), 1)
		if err.StatusCode != 418 || err.Message == "" {
			t.Fatalf("decoded %q into %+v", body, err)
		}
		if msg := err.Error(); !strings.Contains(msg, "GET /api/x: HTTP 418") {
			t.Fatalf("error text %q", msg)
		}
	})
}
