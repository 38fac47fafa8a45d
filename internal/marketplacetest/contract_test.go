package marketplacetest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// contractForTest loads the service's OpenAPI document, from
// MARKETPLACE_OPENAPI or from beside the repository; the test is skipped
// when there is none (the document is not part of the repository).
func contractForTest(t *testing.T) *Contract {
	t.Helper()
	path := os.Getenv(OpenAPIEnv)
	if path == "" {
		path = filepath.Join("..", "..", "..", "shared", "reference", "openapi", "marketplace-openapi.yml")
		if _, err := os.Stat(path); err != nil {
			t.Skipf("contract check skipped: %s is unset and %s does not exist", OpenAPIEnv, path)
		}
	}
	c, err := LoadContract(path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The contract check is on for the whole suite only when
// MARKETPLACE_OPENAPI is set; this says so in the test output.
func TestContractCheckIsOn(t *testing.T) {
	path := os.Getenv(OpenAPIEnv)
	if path == "" {
		t.Skipf("contract check skipped: %s is unset", OpenAPIEnv)
	}
	if _, err := LoadContract(path); err != nil {
		t.Fatal(err)
	}
	t.Logf("contract check on: %s", path)
}

const (
	testFormID    = "0f2b7c52-7e0a-4d3c-9f61-2b8d0c1e3a45"
	testFieldID   = "5b0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d"
	testUserID    = "44509dec-9b50-50fd-af68-e366e731fcf4"
	testVersion   = "cl9ebqhxk00003b600tymydho"
	testTimestamp = "2026-01-02T03:04:05.000Z"
)

// A request form as the contract describes it.
const validRequestFormJSON = `{"id":"` + testFormID + `","name":"Sales form",` +
	`"fields":[{"id":"` + testFieldID + `","type":"SHORT_ANSWER","label":"Purpose","required":true}],` +
	`"policy":{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"ok"}}},` +
	`"dataUseAgreements":[],` +
	`"createdBy":{"globalUserId":"` + testUserID + `","name":"U"},"createdAt":"` + testTimestamp + `",` +
	`"updatedBy":{"globalUserId":"` + testUserID + `","name":"U"},"updatedAt":"` + testTimestamp + `",` +
	`"version":"` + testVersion + `"}`

func createFormBody(fieldType string) string {
	return `{"name":"Sales form","fields":[{"id":"` + testFieldID + `","type":"` + fieldType + `","label":"Purpose","required":true}],` +
		`"policy":{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"ok"}}}}`
}

// answering is a handler that answers every request with status and body.
func answering(status int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if body != "" {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
}

// exchange sends one request through h and returns the status.
func exchange(t *testing.T, h http.Handler, method, path, body string) int {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func wantOneViolation(t *testing.T, got []Violation, kind ViolationKind, wantIn ...string) {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("got %d violations %v, want one", len(got), got)
	}
	if got[0].Kind != kind {
		t.Errorf("got kind %s, want %s: %s", got[0].Kind, kind, got[0])
	}
	for _, w := range wantIn {
		if !strings.Contains(got[0].String(), w) {
			t.Errorf("violation %q does not mention %q", got[0], w)
		}
	}
}

func TestContractCatchesRequestTheHandlerAccepts(t *testing.T) {
	c := contractForTest(t)
	check := c.Check(answering(http.StatusCreated, validRequestFormJSON), CheckOptions{})

	if status := exchange(t, check, "POST", "/marketplace/api/request-form", createFormBody("SHORT_ANSWER")); status != http.StatusCreated {
		t.Fatalf("status %d, want the handler's 201", status)
	}
	if v := check.Violations(); len(v) != 0 {
		t.Fatalf("a request and response as the contract describes them: %v", v)
	}

	exchange(t, check, "POST", "/marketplace/api/request-form", createFormBody("TEXT"))
	wantOneViolation(t, check.Violations(), ViolationRequest,
		"POST /marketplace/api/request-form -> 201: request: accepted a request the contract forbids", "fields/0/type", "SHORT_ANSWER")
}

func TestContractRecordsRequestTheEmulatorRejects(t *testing.T) {
	c := contractForTest(t)
	// A field type neither the contract nor the emulator knows.
	body := createFormBody("RADIO")

	lenient := New(Options{OpenAPI: c})
	if status := exchange(t, lenient, "POST", "/marketplace/api/request-form", body); status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", status)
	}
	if v := lenient.ContractViolations(); len(v) != 0 {
		t.Errorf("a request the emulator rejected is no violation: %v", v)
	}
	wantOneViolation(t, lenient.ContractRejections(), ViolationRequest, "-> 400: request:", "fields/0/type")

	var seen []Violation
	strict := New(Options{OpenAPI: c, StrictContractRequests: true, OnContractViolation: func(v Violation) { seen = append(seen, v) }})
	exchange(t, strict, "POST", "/marketplace/api/request-form", body)
	wantOneViolation(t, strict.ContractViolations(), ViolationRequest, "-> 400: request:", "fields/0/type")
	if len(seen) != 1 {
		t.Errorf("OnContractViolation saw %v, want the violation", seen)
	}
	strict.ResetContractViolations()
	if v := strict.ContractViolations(); len(v) != 0 {
		t.Errorf("after reset: %v", v)
	}
}

func TestContractCatchesResponseViolations(t *testing.T) {
	c := contractForTest(t)
	for name, tc := range map[string]struct {
		status int
		body   string
		want   []string
	}{
		"missing required property": {http.StatusCreated, strings.Replace(validRequestFormJSON, `"name":"Sales form",`, "", 1), []string{"-> 201: response:", `"name"`}},
		"undeclared success status": {http.StatusOK, validRequestFormJSON, []string{"-> 200: response:", "status 200 is not declared", "201"}},
		"not a date-time":           {http.StatusCreated, strings.Replace(validRequestFormJSON, testTimestamp, "yesterday", 1), []string{"createdAt"}},
		"not a uuid":                {http.StatusCreated, strings.Replace(validRequestFormJSON, testFormID, "form-1", 1), []string{"/id", `"form-1" is not a uuid`}},
		"not a cuid":                {http.StatusCreated, strings.Replace(validRequestFormJSON, testVersion, "v1", 1), []string{"/version", `"v1" is not a cuid`}},
	} {
		t.Run(name, func(t *testing.T) {
			check := c.Check(answering(tc.status, tc.body), CheckOptions{})
			exchange(t, check, "POST", "/marketplace/api/request-form", createFormBody("SHORT_ANSWER"))
			wantOneViolation(t, check.Violations(), ViolationResponse, tc.want...)
		})
	}
}

// A declared 204 has no body; an undeclared error status is not checked.
func TestContractNoContentAndErrors(t *testing.T) {
	c := contractForTest(t)
	path := "/marketplace/api/request-form/" + testFormID

	check := c.Check(answering(http.StatusNoContent, ""), CheckOptions{})
	exchange(t, check, "DELETE", path, "")
	if v := check.Violations(); len(v) != 0 {
		t.Errorf("204 without a body: %v", v)
	}

	check = c.Check(answering(http.StatusNoContent, `{"id":"x"}`), CheckOptions{})
	exchange(t, check, "DELETE", path, "")
	wantOneViolation(t, check.Violations(), ViolationResponse, "without a body")

	check = c.Check(answering(http.StatusConflict, `{"message":"in use","error":"Conflict","statusCode":409}`), CheckOptions{})
	exchange(t, check, "DELETE", path, "")
	if v := check.Violations(); len(v) != 0 {
		t.Errorf("an undeclared error status: %v", v)
	}
}

func TestContractUndocumentedRoutes(t *testing.T) {
	c := contractForTest(t)
	path := "/marketplace/api/metadata/domain/" + testFormID + "/stewards"

	check := c.Check(answering(http.StatusNotFound, `{"message":"Cannot GET","error":"Not Found","statusCode":404}`), CheckOptions{})
	exchange(t, check, "GET", path, "")
	if v := check.Violations(); len(v) != 0 {
		t.Errorf("an unknown route answered 404: %v", v)
	}

	check = c.Check(answering(http.StatusOK, `[]`), CheckOptions{})
	exchange(t, check, "GET", path, "")
	wantOneViolation(t, check.Violations(), ViolationRequest, "GET "+path+" -> 200: request: undocumented operation")

	// Outside BasePath nothing is checked.
	exchange(t, check, "GET", "/elsewhere", "")
	if v := check.Violations(); len(v) != 1 {
		t.Errorf("outside %s: %v", BasePath, v)
	}
}

func TestContractUndeclaredQueryParameter(t *testing.T) {
	c := contractForTest(t)
	page := `{"count":0,"hits":[]}`
	check := c.Check(answering(http.StatusOK, page), CheckOptions{})
	exchange(t, check, "GET", "/marketplace/api/request-form?name=x", "")
	got := check.Violations()
	if len(got) == 0 || !strings.Contains(got[0].String(), `query parameter "name" is not in the contract`) {
		t.Errorf("got %v, want the undeclared query parameter named", got)
	}
}

// The document writes createdAt as oneOf [date-time, date-time]; read
// strictly, no date-time could pass.
func TestContractStringOneOfIsAnyOf(t *testing.T) {
	c := contractForTest(t)
	schema := c.doc.Components.Schemas["RequestForm"].Value.Properties["createdAt"].Value
	if len(schema.OneOf) != 0 || len(schema.AnyOf) != 2 {
		t.Fatalf("createdAt: oneOf %d, anyOf %d; want the oneOf turned into an anyOf", len(schema.OneOf), len(schema.AnyOf))
	}
	if err := schema.VisitJSON(testTimestamp, c.formats...); err != nil {
		t.Errorf("a date-time: %v", err)
	}
	if err := schema.VisitJSON("2026-13-02T03:04:05Z", c.formats...); err == nil {
		t.Error("month 13 passed as a date-time")
	}
	// A oneOf of objects stays a oneOf.
	fields := c.doc.Components.Schemas["RequestForm"].Value.Properties["fields"].Value.Items.Value
	if len(fields.OneOf) == 0 {
		t.Error("the fields' oneOf of objects was relaxed")
	}
}

func TestLoadContractErrors(t *testing.T) {
	if _, err := LoadContract(filepath.Join(t.TempDir(), "missing.yml")); err == nil || !strings.Contains(err.Error(), "missing.yml") {
		t.Errorf("got %v, want an error naming the file", err)
	}
	empty := filepath.Join(t.TempDir(), "empty.yml")
	if err := os.WriteFile(empty, []byte("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadContract(empty); err == nil {
		t.Error("a document without paths loaded")
	}
}

// NewTestServer turns the check on from the environment, fails at once
// on a document it cannot read, and fails the test once per violation.
func TestNewTestServerContractFromEnv(t *testing.T) {
	c := contractForTest(t)
	t.Setenv(OpenAPIEnv, filepath.Join(t.TempDir(), "missing.yml"))
	tb := &recordingTB{}
	func() {
		defer tb.cleanup()
		NewTestServer(tb, Options{})
	}()
	if len(tb.fatals) != 1 || !strings.Contains(tb.fatals[0], "missing.yml") {
		t.Errorf("fatals %v, want one naming the file", tb.fatals)
	}

	t.Setenv(OpenAPIEnv, c.Path())
	tb = &recordingTB{}
	func() {
		defer tb.cleanup()
		ts := NewTestServer(tb, Options{StrictContractRequests: true})
		if status, _ := callJSON(t, ts, "GET", "/api/metadata/domain?bogus=1", nil, nil); status != http.StatusBadRequest {
			t.Fatalf("GET: %d, want 400", status)
		}
	}()
	if len(tb.errors) == 0 || !strings.Contains(strings.Join(tb.errors, "\n"), `query parameter "bogus" is not in the contract`) {
		t.Errorf("errors %v, want the violation reported", tb.errors)
	}
}

// recordingTB is a Cleaner that records instead of failing.
type recordingTB struct {
	cleanups       []func()
	errors, fatals []string
}

func (r *recordingTB) Helper()          {}
func (r *recordingTB) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Fatalf(format string, args ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}
func (r *recordingTB) cleanup() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func BenchmarkContractCheck(b *testing.B) {
	path := os.Getenv(OpenAPIEnv)
	if path == "" {
		b.Skipf("%s is unset", OpenAPIEnv)
	}
	c, err := LoadContract(path)
	if err != nil {
		b.Fatal(err)
	}
	check := c.Check(answering(http.StatusCreated, validRequestFormJSON), CheckOptions{})
	body := createFormBody("SHORT_ANSWER")
	for b.Loop() {
		req := httptest.NewRequestWithContext(b.Context(), "POST", "/marketplace/api/request-form", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		check.ServeHTTP(httptest.NewRecorder(), req)
	}
}
