package marketplacetest

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequestDecoding sends arbitrary bodies to the create and update
// endpoints: the emulator must answer with a client error or a success,
// never panic or fail with a 5xx, and only store valid agreements.
func FuzzRequestDecoding(f *testing.F) {
	for _, seed := range []string{
		`{"name":"n","body":"b"}`,
		`{"id":"123e4567-e89b-12d3-a456-426614174000","name":"n","body":"b"}`,
		`{"name":null,"body":[1,2]}`,
		`{"name":"n","body":"b","extra":{}}`,
		`[]`, `null`, `"x"`, `{`, ``, `{"name":"\u0000","body":" "}`,
		`{"name":"n","name":"m","body":"b"}`,
	} {
		f.Add("POST", seed)
		f.Add("PUT", seed)
	}
	f.Fuzz(func(t *testing.T, method, body string) {
		s := New(Options{})
		a, err := s.SeedDataUseAgreement("existing", "text")
		if err != nil {
			t.Fatal(err)
		}
		path := BasePath + "/api/data-use-agreement"
		if method != "POST" {
			method = "PUT"
			path += "/" + a.ID
		}
		req := httptest.NewRequestWithContext(context.Background(), method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+DefaultToken)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 201, 400, 409, 413:
		default:
			t.Fatalf("%s %q answered %d: %s", method, body, rec.Code, rec.Body.String())
		}
		for _, stored := range s.DataUseAgreements() {
			if strings.TrimSpace(stored.Name) == "" || strings.TrimSpace(stored.Body) == "" || !isUUID(stored.ID) {
				t.Fatalf("%s %q stored an invalid agreement %+v", method, body, stored)
			}
		}
	})
}
