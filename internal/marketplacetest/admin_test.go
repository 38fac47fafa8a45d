package marketplacetest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// adminCall sends one request to the admin API of a running server.
func adminCall(t *testing.T, ts *TestServer, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, ts.HTTP.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := ts.HTTP.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: %d, not JSON: %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

const (
	seedAgreementID = "11111111-2222-4333-8444-555555555555"
	seedFormID      = "21111111-2222-4333-8444-555555555555"
	seedProductID   = "31111111-2222-4333-8444-555555555555"
)

// seedBody is a seed of one of each object, referring to each other.
func seedBody(s *Server) string {
	d := s.Fixture().Domains[0]
	ds := s.Fixture().DataSourcesInDomain(d.ID)[0]
	return `{
	"dataUseAgreements": [{"id": "` + seedAgreementID + `", "name": "Seeded terms", "body": "Be careful."}],
	"requestForms": [{"id": "` + seedFormID + `", "name": "Seeded form",
		"fields": [{"id": "41111111-2222-4333-8444-555555555555", "type": "SHORT_ANSWER", "label": "Why?"}],
		"policy": {"rules": [], "defaultEvent": {"type": "approve", "params": {}}},
		"dataUseAgreementIds": ["` + seedAgreementID + `"]}],
	"dataProducts": [{"id": "` + seedProductID + `", "name": "Seeded product", "metadata": null,
		"domains": ["` + d.ID + `"], "dataSources": [{"sourceId": "` + itoa(ds.DataSourceID) + `"}],
		"dataAccessRequestFormId": "` + seedFormID + `"}]
}`
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// The admin API needs its own token, seeds objects the Marketplace API
// then serves (as the contract describes them), refuses a bad seed
// whole, and resets to the fixture.
func TestAdminSeedAndReset(t *testing.T) {
	ts := NewTestServer(t, Options{AdminToken: "admin-secret"})
	body := seedBody(ts.Server)
	for name, token := range map[string]string{"no token": "", "the API token": ts.Token(), "a wrong token": "nope"} {
		status, out := adminCall(t, ts, http.MethodPost, AdminPath+"/seed", token, body)
		if status != http.StatusUnauthorized || !strings.Contains(fmt.Sprint(out["message"]), "admin token") {
			t.Errorf("seed with %s: %d %v, want 401 naming the admin token", name, status, out)
		}
	}
	if status, _, _ := call(t, ts.Server, http.MethodGet, "/api/data-use-agreement", "admin-secret", ""); status != http.StatusUnauthorized {
		t.Errorf("the admin token on the Marketplace API: %d, want 401", status)
	}
	if n := len(ts.DataUseAgreements()); n != 0 {
		t.Fatalf("refused seeds stored %d agreements", n)
	}

	status, out := adminCall(t, ts, http.MethodPost, AdminPath+"/seed", "admin-secret", body)
	if status != http.StatusCreated {
		t.Fatalf("seed: %d %v", status, out)
	}
	if got, _ := json.Marshal(out["dataProducts"]); string(got) != `[{"id":"`+seedProductID+`","name":"Seeded product"}]` {
		t.Errorf("seed answered products %s, want %s", got, seedProductID)
	}
	for _, path := range []string{"/api/data-use-agreement/" + seedAgreementID, "/api/request-form/" + seedFormID, "/api/data-product/" + seedProductID, "/api/data-product/" + seedProductID + "/request-forms"} {
		if status, _, raw := call(t, ts.Server, http.MethodGet, path, ts.Token(), ""); status != http.StatusOK {
			t.Errorf("GET %s after the seed: %d %s", path, status, raw)
		}
	}
	if f, ok := ts.RequestForm(seedFormID); !ok || !f.Fields[0].Required {
		t.Errorf("a seeded field without required: %+v, want required true as the API defaults it", f)
	}

	// A seed of which one entry fails changes nothing.
	bad := `{"dataUseAgreements":[{"name":"Fine","body":"b"}],"dataProducts":[{"name":"Broken","metadata":null,"domains":["` + ts.Fixture().Domains[0].ID + `"],"dataSources":[],"dataAccessRequestFormId":"91111111-2222-4333-8444-555555555555"}]}`
	status, out = adminCall(t, ts, http.MethodPost, AdminPath+"/seed", "admin-secret", bad)
	if want := `dataProducts[0] ("Broken"): Request form 91111111-2222-4333-8444-555555555555 not found.`; status != http.StatusBadRequest || out["message"] != want {
		t.Errorf("bad seed: %d %v, want 400 %q", status, out, want)
	}
	if n := len(ts.DataUseAgreements()); n != 1 {
		t.Errorf("after a refused seed there are %d agreements, want the 1 seeded before", n)
	}
	status, out = adminCall(t, ts, http.MethodPost, AdminPath+"/seed", "admin-secret", `{"domains":[]}`)
	if msgs, _ := out["message"].([]any); status != http.StatusBadRequest || len(msgs) != 1 || !strings.Contains(fmt.Sprint(msgs[0]), "property domains should not exist") {
		t.Errorf("seed of domains: %d %v", status, out)
	}
	if status, out := adminCall(t, ts, http.MethodGet, AdminPath+"/seed", "admin-secret", ""); status != http.StatusNotFound || out["message"] != "Cannot GET /_emulator/seed" {
		t.Errorf("GET seed: %d %v", status, out)
	}

	status, out = adminCall(t, ts, http.MethodPost, AdminPath+"/reset", "admin-secret", "")
	if status != http.StatusOK || out["status"] != "reset" {
		t.Fatalf("reset: %d %v", status, out)
	}
	if n, m, p := len(ts.DataUseAgreements()), len(ts.RequestForms()), len(ts.DataProducts()); n != 0 || m != 1 || p != 0 {
		t.Errorf("after reset: %d agreements, %d forms, %d products; want 0, the Standard Request Form, 0", n, m, p)
	}
	if status, _, _ := call(t, ts.Server, http.MethodGet, "/api/request-form/"+StandardRequestFormID, ts.Token(), ""); status != http.StatusOK {
		t.Errorf("the Standard Request Form after reset: %d", status)
	}
}

// Without an admin token the admin API is off, and says so.
func TestAdminOff(t *testing.T) {
	ts := NewTestServer(t, Options{})
	status, out := adminCall(t, ts, http.MethodPost, AdminPath+"/reset", ts.Token(), "")
	if status != http.StatusNotFound || !strings.Contains(fmt.Sprint(out["message"]), "-admin-token") {
		t.Errorf("reset without an admin token configured: %d %v", status, out)
	}
}

// A fixture's objects are there from the start, and a reset brings them
// back with the same ids.
func TestFixtureObjects(t *testing.T) {
	f, err := LoadFixture(filepath.Join("..", "..", "examples", "emulator", "fixture.json"))
	if err != nil {
		t.Fatal(err)
	}
	ts := NewTestServer(t, Options{Fixture: f, AdminToken: "admin-secret"})
	if n, m, p := len(ts.DataUseAgreements()), len(ts.RequestForms()), len(ts.DataProducts()); n != len(f.DataUseAgreements) || m != len(f.RequestForms)+1 || p != len(f.DataProducts) {
		t.Fatalf("the example fixture gave %d agreements, %d forms, %d products", n, m, p)
	}
	before := ts.DataProducts()
	for _, p := range before {
		if status, _, raw := call(t, ts.Server, http.MethodGet, "/api/data-product/"+p.ID+"/request-forms", ts.Token(), ""); status != http.StatusOK {
			t.Errorf("product %q: %d %s", p.Name, status, raw)
		}
		if status, _, raw := call(t, ts.Server, http.MethodDelete, "/api/data-product/"+p.ID, ts.Token(), ""); status != http.StatusOK {
			t.Errorf("delete %q: %d %s", p.Name, status, raw)
		}
	}
	if status, out := adminCall(t, ts, http.MethodPost, AdminPath+"/reset", "admin-secret", ""); status != http.StatusOK {
		t.Fatalf("reset: %d %v", status, out)
	}
	after := ts.DataProducts()
	if len(after) != len(before) || after[0].ID != before[0].ID || after[0].CreatedAt != before[0].CreatedAt {
		t.Errorf("after reset: %+v, want %+v", after, before)
	}
}

// A fixture whose objects the API would refuse is refused on load, with
// the entry named.
func TestFixtureObjectsRejected(t *testing.T) {
	base := `"users":[{"id":1,"iamId":"bim","globalUserId":"44509dec-9b50-50fd-af68-e366e731fcf4","username":"u","name":"U","email":"u@example.com"}],` +
		`"domains":[{"id":"1aebd69e-0ac6-51d7-94e0-6580689d4380","name":"Sales"}]`
	for name, tc := range map[string]struct{ objects, want string }{
		"blank body":   {`"dataUseAgreements":[{"name":"Terms","body":" "}]`, `dataUseAgreements[0] ("Terms"): body should not be empty`},
		"unknown key":  {`"dataUseAgreements":[{"name":"Terms","body":"b","colour":"red"}]`, `dataUseAgreements[0] ("Terms"): property colour should not exist`},
		"two names":    {`"dataUseAgreements":[{"name":"T","body":"b"},{"name":"T","body":"c"}]`, `dataUseAgreements[1] ("T"): There is already a data use agreement with this name.`},
		"no agreement": {`"requestForms":[{"name":"F","fields":[{"id":"41111111-2222-4333-8444-555555555555","type":"SHORT_ANSWER","label":"Why?"}],"policy":{"rules":[],"defaultEvent":{"type":"approve","params":{}}},"dataUseAgreementIds":["11111111-2222-4333-8444-555555555555"]}]`, `requestForms[0] ("F"): dataUseAgreementIds.0: data use agreement 11111111-2222-4333-8444-555555555555 not found`},
		"no domain":    {`"dataProducts":[{"name":"P","metadata":null,"domains":["21111111-2222-4333-8444-555555555555"],"dataSources":[]}]`, `dataProducts[0] ("P"): Domain 21111111-2222-4333-8444-555555555555 not found.`},
		"no name":      {`"dataProducts":[{"metadata":null,"domains":[],"dataSources":[]}]`, `dataProducts[0]: name should not be empty`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseFixture([]byte(`{` + base + `,` + tc.objects + `}`))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
