package marketplacetest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// call sends one request to s and decodes the JSON answer (if any).
func call(t *testing.T, s *Server, method, path, token, body string) (int, map[string]any, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequestWithContext(context.Background(), method, BasePath+path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	raw := rec.Body.Bytes()
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return rec.Code, out, raw
}

func TestAuthentication(t *testing.T) {
	s := New(Options{Token: "right"})
	for name, header := range map[string]string{"missing": "", "wrong": "Bearer wrong", "not bearer": "Basic right", "empty bearer": "Bearer "} {
		t.Run(name, func(t *testing.T) {
			req := httptest.NewRequestWithContext(context.Background(), "GET", BasePath+"/api/data-use-agreement", nil)
			if header != "" {
				req.Header.Set("Authorization", header)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			want := `{"message":"Not authenticated.","error":"Unauthorized","statusCode":401}`
			if rec.Code != 401 || strings.TrimSpace(rec.Body.String()) != want {
				t.Errorf("got %d %s, want 401 %s", rec.Code, rec.Body.String(), want)
			}
		})
	}
	if code, _, _ := call(t, s, "GET", "/api/data-use-agreement", "right", ""); code != 200 {
		t.Errorf("the right token got %d", code)
	}
}

func TestUnknownRoutesAnswerLikeNestJS(t *testing.T) {
	s := New(Options{})
	code, out, _ := call(t, s, "PATCH", "/api/data-use-agreement/x", DefaultToken, "")
	if code != 404 || out["message"] != "Cannot PATCH /marketplace/api/data-use-agreement/x" || out["error"] != "Not Found" {
		t.Errorf("got %d %v", code, out)
	}
	code, _, _ = call(t, s, "GET", "/api/nothing-here", DefaultToken, "")
	if code != 404 {
		t.Errorf("unknown path got %d", code)
	}
}

func TestRequestLog(t *testing.T) {
	s := New(Options{})
	call(t, s, "POST", "/api/data-use-agreement", DefaultToken, `{"name":"a","body":"b"}`)
	call(t, s, "GET", "/api/data-use-agreement?name=a", "", "")
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("logged %d requests", len(reqs))
	}
	if reqs[0].Method != "POST" || reqs[0].Status != 201 || string(reqs[0].Body) != `{"name":"a","body":"b"}` {
		t.Errorf("first %+v", reqs[0])
	}
	if reqs[1].Query != "name=a" || reqs[1].Status != 401 {
		t.Errorf("second %+v", reqs[1])
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 {
		t.Error("ResetRequests kept entries")
	}
}

func TestBodyLimit(t *testing.T) {
	s := New(Options{})
	big := `{"name":"a","body":"` + strings.Repeat("x", maxBodyBytes) + `"}`
	if code, _, _ := call(t, s, "POST", "/api/data-use-agreement", DefaultToken, big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("got %d", code)
	}
}

func TestDefaultFixtureIsValid(t *testing.T) {
	f := DefaultFixture()
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(f.Domains) == 0 || len(f.DataSources) == 0 || len(f.Groups) == 0 {
		t.Errorf("the default fixture is thin: %d domains, %d data sources, %d groups", len(f.Domains), len(f.DataSources), len(f.Groups))
	}
	for _, ds := range f.DataSources {
		if _, ok := f.Domain(ds.DomainID); !ok {
			t.Errorf("data source %d names domain %s, which is missing", ds.DataSourceID, ds.DomainID)
		}
	}
}

func TestFixtureValidation(t *testing.T) {
	cases := map[string]string{
		"no users":        `{"users":[]}`,
		"bad domain id":   `{"users":[{"globalUserId":"123e4567-e89b-12d3-a456-426614174000"}],"domains":[{"id":"x"}]}`,
		"orphan source":   `{"users":[{"globalUserId":"123e4567-e89b-12d3-a456-426614174000"}],"dataSources":[{"dataSourceId":1,"domainId":"123e4567-e89b-12d3-a456-426614174001"}]}`,
		"not json":        `{`,
		"bad user id":     `{"users":[{"globalUserId":"nope"}]}`,
		"unknown steward": `{"users":[{"globalUserId":"123e4567-e89b-12d3-a456-426614174000"}],"domains":[{"id":"123e4567-e89b-12d3-a456-426614174001","stewards":["123e4567-e89b-12d3-a456-426614174009"]}]}`,
	}
	for name, data := range cases {
		if _, err := ParseFixture([]byte(data)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
