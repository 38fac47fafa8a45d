package marketplacetest

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// answer is what sendAgreements got back.
type answer struct {
	status int
	header http.Header
	body   string
}

// sendAgreements makes a real HTTP request to the agreements collection.
func sendAgreements(t *testing.T, ts *TestServer, method, body string) (answer, error) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, ts.Endpoint()+"/api/data-use-agreement", r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ts.Token())
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := ts.HTTP.Client().Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(data)}, nil
}

func TestFaultStatusWithRetryAfterAndTimes(t *testing.T) {
	ts := NewTestServer(t, Options{})
	remove, err := ts.InjectFault(Fault{Method: "GET", Path: "/api/data-use-agreement", Status: 429, RetryAfter: "2", Times: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		a, err := sendAgreements(t, ts, "GET", "")
		if err != nil {
			t.Fatal(err)
		}
		if a.status != 429 || a.header.Get("Retry-After") != "2" || !strings.Contains(a.body, "Too Many Requests") {
			t.Errorf("request %d: %d %q %s", i, a.status, a.header.Get("Retry-After"), a.body)
		}
	}
	if a, _ := sendAgreements(t, ts, "GET", ""); a.status != 200 {
		t.Errorf("the third request got %d; the fault was capped at 2", a.status)
	}
	// A fault on GET does not touch POST.
	remove()
	if _, err := ts.InjectFault(Fault{Method: "GET", Status: 503}); err != nil {
		t.Fatal(err)
	}
	if a, _ := sendAgreements(t, ts, "POST", `{"name":"n","body":"b"}`); a.status != 201 {
		t.Errorf("POST got %d", a.status)
	}
	ts.ClearFaults()
	if a, _ := sendAgreements(t, ts, "GET", ""); a.status != 200 {
		t.Errorf("after ClearFaults got %d", a.status)
	}
}

func TestFaultPathPattern(t *testing.T) {
	f := Fault{Path: "/api/request-form/{id}/data-products", Status: 500}
	for path, want := range map[string]bool{
		"/api/request-form/abc/data-products": true,
		"/api/request-form/abc":               false,
		"/api/request-form/abc/other":         false,
		"/api/data-product/abc/data-products": false,
	} {
		r, _ := http.NewRequestWithContext(context.Background(), "GET", "http://x"+BasePath+path, nil)
		if got := f.matches(r); got != want {
			t.Errorf("%s: matches = %v, want %v", path, got, want)
		}
	}
}

func TestFaultProbabilityIsSeeded(t *testing.T) {
	count := func() int {
		s := New(Options{FaultSeed: 42, Faults: []Fault{{Probability: 0.3, Status: 500}}})
		n := 0
		for range 200 {
			code, _, _ := call(t, s, "GET", "/api/data-use-agreement", DefaultToken, "")
			if code == 500 {
				n++
			}
		}
		return n
	}
	a, b := count(), count()
	if a != b {
		t.Errorf("the same seed hit %d and %d requests", a, b)
	}
	if a < 30 || a > 90 {
		t.Errorf("a 30%% fault hit %d of 200 requests", a)
	}
}

func TestFaultDropAfterCommit(t *testing.T) {
	ts := NewTestServer(t, Options{})
	if _, err := ts.InjectFault(Fault{Method: "POST", DropAfterCommit: true, Times: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := sendAgreements(t, ts, "POST", `{"name":"n","body":"b"}`); err == nil {
		t.Fatal("the client got an answer from a dropped connection")
	}
	if n := len(ts.DataUseAgreements()); n != 1 {
		t.Errorf("the write was not committed: %d agreements", n)
	}
	reqs := ts.Requests()
	if last := reqs[len(reqs)-1]; last.Status != 0 {
		t.Errorf("a dropped request is logged with status %d, want 0", last.Status)
	}
}

func TestFaultFailAfterCommit(t *testing.T) {
	ts := NewTestServer(t, Options{})
	if _, err := ts.InjectFault(Fault{Method: "POST", FailAfterCommit: true, Status: 502, Body: "<h1>Bad Gateway</h1>"}); err != nil {
		t.Fatal(err)
	}
	a, err := sendAgreements(t, ts, "POST", `{"name":"n","body":"b"}`)
	if err != nil || a.status != 502 || a.body != "<h1>Bad Gateway</h1>" || a.header.Get("Content-Type") != "text/html" {
		t.Fatalf("got %+v %v", a, err)
	}
	if n := len(ts.DataUseAgreements()); n != 1 {
		t.Errorf("the write was not committed: %d agreements", n)
	}
}

func TestFaultLatencyHonoursCancellation(t *testing.T) {
	ts := NewTestServer(t, Options{Faults: []Fault{{Latency: Duration(time.Hour)}}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.Endpoint()+"/api/data-use-agreement", nil)
	req.Header.Set("Authorization", "Bearer "+ts.Token())
	resp, err := ts.HTTP.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("a request delayed an hour answered")
	}
}

func TestReadAfterWriteLag(t *testing.T) {
	s := New(Options{ReadAfterWriteLag: time.Hour})
	code, out, _ := call(t, s, "POST", "/api/data-use-agreement", DefaultToken, `{"name":"n","body":"b"}`)
	if code != 201 {
		t.Fatal(code)
	}
	id, _ := out["id"].(string)
	if code, _, _ := call(t, s, "GET", "/api/data-use-agreement/"+id, DefaultToken, ""); code != 404 {
		t.Errorf("a GET inside the lag got %d, want 404", code)
	}
	if code, _, _ := call(t, s, "PUT", "/api/data-use-agreement/"+id, DefaultToken, `{"name":"n","body":"c"}`); code != 200 {
		t.Errorf("a PUT inside the lag got %d; only GET lags", code)
	}
	s.SetReadAfterWriteLag(0)
	if code, _, _ := call(t, s, "GET", "/api/data-use-agreement/"+id, DefaultToken, ""); code != 200 {
		t.Errorf("after turning the lag off, GET got %d", code)
	}
}

func TestLoadFaults(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, []byte(`[{"method":"POST","probability":0.2,"status":503,"retryAfter":"1"},{"latency":"150ms"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	faults, err := LoadFaults(good)
	if err != nil || len(faults) != 2 || time.Duration(faults[1].Latency) != 150*time.Millisecond {
		t.Fatalf("%+v %v", faults, err)
	}
	for name, data := range map[string]string{
		"noop":      `[{"method":"GET"}]`,
		"prob":      `[{"status":500,"probability":2}]`,
		"unknown":   `[{"stauts":500}]`,
		"not array": `{"status":500}`,
		"ok status": `[{"status":200}]`,
	} {
		p := filepath.Join(dir, name+".json")
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadFaults(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The example the README points to loads, with every kind of fault.
func TestLoadFaultsExample(t *testing.T) {
	faults, err := LoadFaults(filepath.Join("..", "..", "examples", "emulator", "faults.json"))
	if err != nil {
		t.Fatal(err)
	}
	var status, drop, fail, latency bool
	for _, f := range faults {
		status = status || (f.Status != 0 && !f.FailAfterCommit)
		drop = drop || f.DropAfterCommit
		fail = fail || f.FailAfterCommit
		latency = latency || f.Latency > 0
	}
	if !status || !drop || !fail || !latency {
		t.Errorf("the example lacks a kind of fault: status %v, drop %v, fail after commit %v, latency %v", status, drop, fail, latency)
	}
}
