package marketplacetest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// persistedServer serves s through Persist, checked against the contract
// when MARKETPLACE_OPENAPI is set.
func persistedServer(t *testing.T, opts Options, path string) *TestServer {
	t.Helper()
	ts := NewTestServer(t, opts)
	if _, err := ts.LoadState(path); err != nil {
		t.Fatal(err)
	}
	ts.HTTP.Config.Handler = ts.Persist(path, func(err error) { t.Errorf("save: %v", err) })
	return ts
}

func httpCall(t *testing.T, ts *TestServer, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, ts.HTTP.URL+BasePath+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ts.Token())
	req.Header.Set("Content-Type", "application/json")
	resp, err := ts.HTTP.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(raw)
}

// A restart from the state file keeps every object: agreements, forms
// with every version, products with their data sources, as the API
// serves them.
func TestStateSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	a := persistedServer(t, Options{}, path)
	must := func(want int, method, p, body string) string {
		t.Helper()
		status, out := httpCall(t, a, method, p, body)
		if status != want {
			t.Fatalf("%s %s: %d %s", method, p, status, out)
		}
		return out
	}
	d := a.Fixture().Domains[0]
	sources := a.Fixture().DataSourcesInDomain(d.ID)
	// Saved with the first write below.
	if _, err := a.SeedWebhook(Webhook{URL: "https://hooks.example.com/m", VerifyTLS: true, SigningKey: "k", History: []WebhookDelivery{{Status: "SUCCESS", HTTPStatusCode: 200}}}); err != nil {
		t.Fatal(err)
	}
	must(http.StatusCreated, http.MethodPost, "/api/data-use-agreement", `{"id":"`+seedAgreementID+`","name":"Terms","body":"b"}`)
	form := `{"id":"` + seedFormID + `","name":"Form","fields":[{"id":"41111111-2222-4333-8444-555555555555","type":"SHORT_ANSWER","label":"Why?"}],` +
		`"policy":{"rules":[],"defaultEvent":{"type":"dataProductPolicy"}},"dataUseAgreementIds":["` + seedAgreementID + `"]}`
	must(http.StatusCreated, http.MethodPost, "/api/request-form", form)
	must(http.StatusCreated, http.MethodPut, "/api/request-form/"+seedFormID, strings.Replace(form, `"Form"`, `"Form v2"`, 1))
	must(http.StatusCreated, http.MethodPost, "/api/data-product", `{"id":"`+seedProductID+`","name":"Product","description":"d","metadata":{"subjectMatterExpert":{"id":"`+a.Fixture().Users[0].GlobalUserID+`"}},`+
		`"domains":["`+d.ID+`"],"dataSources":[{"sourceId":"`+itoa(sources[0].DataSourceID)+`"}],"dataAccessRequestFormId":"`+seedFormID+`",`+
		`"dataAccessReviewFlow":{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"ok"}}}}`)
	must(http.StatusOK, http.MethodPut, "/api/data-product/"+seedProductID+"/datasources", `{"dataSources":[{"sourceId":"`+itoa(sources[0].DataSourceID)+`"},{"sourceId":"`+itoa(sources[1].DataSourceID)+`"}]}`)
	must(http.StatusOK, http.MethodPut, "/api/data-product/"+seedProductID, `{"suspended":true}`)
	// A second agreement, created and deleted, must be gone after the restart too.
	must(http.StatusCreated, http.MethodPost, "/api/data-use-agreement", `{"id":"51111111-2222-4333-8444-555555555555","name":"Gone","body":"b"}`)
	must(http.StatusNoContent, http.MethodDelete, "/api/data-use-agreement/51111111-2222-4333-8444-555555555555", "")

	reads := []string{
		"/api/data-use-agreement", "/api/request-form", "/api/request-form/" + seedFormID, "/api/data-product",
		"/api/data-product/" + seedProductID, "/api/data-product/" + seedProductID + "/datasources/all",
		"/api/data-product/" + seedProductID + "/request-forms",
	}
	want := map[string]string{}
	for _, p := range reads {
		want[p] = must(http.StatusOK, http.MethodGet, p, "")
	}
	forms := a.RequestForms()

	b := persistedServer(t, Options{}, path)
	for _, p := range reads {
		if status, got := httpCall(t, b, http.MethodGet, p, ""); status != http.StatusOK || got != want[p] {
			t.Errorf("GET %s after the restart: %d\n%s\nwant\n%s", p, status, got, want[p])
		}
	}
	if !reflect.DeepEqual(b.Webhooks(), a.Webhooks()) || len(b.Webhooks()) != 1 {
		t.Errorf("webhooks after the restart: %+v, want %+v", b.Webhooks(), a.Webhooks())
	}
	if !reflect.DeepEqual(b.DataUseAgreements(), a.DataUseAgreements()) || !reflect.DeepEqual(b.RequestForms(), forms) || !reflect.DeepEqual(b.DataProducts(), a.DataProducts()) {
		t.Errorf("the restarted server's objects differ:\n%+v\n%+v", b.DataProducts(), a.DataProducts())
	}
	a.mu.Lock()
	n := len(a.requestFormVersions)
	for v, f := range a.requestFormVersions {
		if got, ok := b.RequestFormVersion(v); !ok || !reflect.DeepEqual(got, f.clone()) {
			t.Errorf("version %s after the restart: %+v, want %+v", v, got, f)
		}
	}
	a.mu.Unlock()
	if n != 3 { // the Standard Request Form's, and the form's two
		t.Errorf("%d versions, want 3", n)
	}
}

// A missing state file is a fresh start; a corrupt one, or one that does
// not fit the fixture, is refused and changes nothing.
func TestLoadStateRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	s := New(Options{})
	if loaded, err := s.LoadState(filepath.Join(dir, "missing.json")); loaded || err != nil {
		t.Errorf("missing file: %t, %v", loaded, err)
	}
	if _, err := s.SeedDataUseAgreement("Kept", "b"); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.json")
	if err := s.SaveState(good); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	other := DefaultFixture()
	other.Domains[0].ID = "61111111-2222-4333-8444-555555555555"
	for name, tc := range map[string]struct {
		content string
		opts    Options
		want    string
	}{
		"truncated":     {string(data[:len(data)/2]), Options{}, "invalid JSON"},
		"empty":         {"", Options{}, "empty"},
		"unknown field": {strings.Replace(string(data), `"format"`, `"colour":1,"format"`, 1), Options{}, `unknown field "colour"`},
		"other format":  {strings.Replace(string(data), `"format":1`, `"format":9`, 1), Options{}, "format 9"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".json")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			s := New(tc.opts)
			_, err := s.LoadState(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("got %v, want an error naming the file and containing %q", err, tc.want)
			}
			if n := len(s.DataUseAgreements()); n != 0 {
				t.Errorf("a refused state left %d agreements", n)
			}
		})
	}
	t.Run("another fixture", func(t *testing.T) {
		seeded := New(Options{})
		d := seeded.Fixture().Domains[0]
		if _, err := seeded.SeedDataProduct(DataProduct{Name: "P", Domains: []string{d.ID}}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "product.json")
		if err := seeded.SaveState(path); err != nil {
			t.Fatal(err)
		}
		_, err := New(Options{Fixture: other}).LoadState(path)
		if err == nil || !strings.Contains(err.Error(), `data product`) || !strings.Contains(err.Error(), d.ID) {
			t.Errorf("got %v, want the product and its missing domain named", err)
		}
	})
}

// stateWriterEnv makes the test binary a child that saves a growing
// state to a file in a loop, until it is killed.
const stateWriterEnv = "MARKETPLACETEST_STATE_WRITER"

func TestMain(m *testing.M) {
	if path := os.Getenv(stateWriterEnv); path != "" {
		writeStateForever(path)
	}
	os.Exit(m.Run())
}

func writeStateForever(path string) {
	s := New(Options{})
	if _, err := s.LoadState(path); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	body := strings.Repeat("x", 64<<10) // slow enough writes for a kill to land mid-write
	for i := len(s.DataUseAgreements()); ; i++ {
		if _, err := s.SeedDataUseAgreement(fmt.Sprintf("agreement %06d", i), body); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if err := s.SaveState(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}

// A process killed with SIGKILL while it saves leaves the old state or
// the new, never a corrupt file: each round a child saves in a loop and
// is killed at a random moment, and the file must load and hold at least
// what the round before found.
func TestStateSurvivesKill9(t *testing.T) {
	if os.Getenv(stateWriterEnv) != "" {
		t.Skip("the child")
	}
	path := filepath.Join(t.TempDir(), "state.json")
	prev := 0
	for round := range 8 {
		cmd := exec.CommandContext(context.Background(), os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), stateWriterEnv+"="+path)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The first round waits for a first save; then the kill lands at
		// a different moment of the loop each round.
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if _, err := os.Stat(path); err == nil {
				break
			}
		}
		time.Sleep(time.Duration(100+37*round) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: the child did not die of SIGKILL: %v\n%s", round, err, stderr.String())
		}
		s := New(Options{})
		loaded, err := s.LoadState(path)
		if err != nil || !loaded {
			t.Fatalf("round %d: after kill -9 the state file does not load (%t): %v", round, loaded, err)
		}
		n := len(s.DataUseAgreements())
		t.Logf("round %d: %d agreements", round, n)
		if n < prev || n == 0 {
			t.Fatalf("round %d: %d agreements, the round before found %d", round, n, prev)
		}
		prev = n
		if temps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*.tmp")); len(temps) > 0 {
			t.Errorf("round %d: temporary files left after a load: %v", round, temps)
		}
	}
}

// A write whose connection a fault drops after the commit is saved before
// the drop.
func TestPersistSavesBeforeADroppedConnection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	ts := persistedServer(t, Options{Faults: []Fault{{Method: http.MethodPost, Path: "/api/data-use-agreement", DropAfterCommit: true}}}, path)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, ts.HTTP.URL+BasePath+"/api/data-use-agreement", strings.NewReader(`{"id":"`+seedAgreementID+`","name":"Dropped","body":"b"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ts.Token())
	if resp, err := ts.HTTP.Client().Do(req); err == nil {
		_ = resp.Body.Close()
		t.Fatal("the connection was not dropped")
	}
	s := New(Options{})
	if _, err := s.LoadState(path); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.DataUseAgreement(seedAgreementID); !ok {
		t.Error("the committed agreement is not in the state file")
	}
}
