package marketplacetest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The request log has one JSON line per request, with exactly the
// documented fields, and never a header but the User-Agent, nor a body.
func TestLogRequests(t *testing.T) {
	s := New(Options{Token: "secret-token", AdminToken: "secret-admin"})
	var out syncBuffer
	srv := httptest.NewServer(LogRequests(s, &out))
	defer srv.Close()
	send := func(method, path, token, body string) {
		req, err := http.NewRequestWithContext(context.Background(), method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		req.Header.Set("User-Agent", "log-test/1.0")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	send(http.MethodPost, BasePath+"/api/data-use-agreement", "secret-token", `{"name":"Private name","body":"private body"}`)
	send(http.MethodGet, BasePath+"/api/data-use-agreement?nameFilter=Priv&limit=5", "secret-token", "")
	send(http.MethodGet, BasePath+"/api/data-use-agreement", "wrong-token", "")
	send(http.MethodGet, BasePath+"/health", "", "")
	send(http.MethodPost, AdminPath+"/reset", "secret-admin", "")

	text := out.String()
	for _, secret := range []string{"secret-token", "secret-admin", "Bearer", "private body", "Private name"} {
		if strings.Contains(text, secret) {
			t.Errorf("the log holds %q:\n%s", secret, text)
		}
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	want := []struct {
		method, path, query string
		status              int
	}{
		{"POST", "/marketplace/api/data-use-agreement", "", 201},
		{"GET", "/marketplace/api/data-use-agreement", "nameFilter=Priv&limit=5", 200},
		{"GET", "/marketplace/api/data-use-agreement", "", 401},
		{"GET", "/marketplace/health", "", 200},
		{"POST", "/_emulator/reset", "", 200},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), text)
	}
	for i, line := range lines {
		var fields map[string]any
		if err := json.Unmarshal([]byte(line), &fields); err != nil {
			t.Fatalf("line %d is not JSON: %s", i, line)
		}
		if len(fields) != 7 {
			t.Errorf("line %d has %d fields, want time, method, path, query, status, duration_ms, user_agent: %s", i, len(fields), line)
		}
		var got requestLogLine
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatal(err)
		}
		w := want[i]
		if got.Method != w.method || got.Path != w.path || got.Query != w.query || got.Status != w.status || got.UserAgent != "log-test/1.0" || got.DurationMS < 0 || !strings.HasSuffix(got.Time, "Z") {
			t.Errorf("line %d: %s, want %+v", i, line, w)
		}
	}
}

// A dropped connection is logged with status 0.
func TestLogRequestsDroppedConnection(t *testing.T) {
	s := New(Options{Faults: []Fault{{Method: http.MethodPost, Path: "/api/data-use-agreement", DropAfterCommit: true}}})
	var out syncBuffer
	srv := httptest.NewServer(LogRequests(s, &out))
	defer srv.Close()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+BasePath+"/api/data-use-agreement", strings.NewReader(`{"name":"n","body":"b"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Token())
	if resp, err := srv.Client().Do(req); err == nil {
		_ = resp.Body.Close()
		t.Fatal("the connection was not dropped")
	}
	if text := out.String(); !strings.Contains(text, `"status":0`) || strings.Count(text, "\n") != 1 {
		t.Errorf("log: %s", text)
	}
}
