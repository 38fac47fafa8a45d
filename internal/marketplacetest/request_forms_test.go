package marketplacetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// call sends one authenticated request, decodes a 2xx JSON answer into
// out (when not nil), and returns the status and the error message(s).
func callJSON(t *testing.T, ts *TestServer, method, path string, body, out any) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, ts.Endpoint()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ts.Token())
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		var e struct {
			Message json.RawMessage `json:"message"`
		}
		_ = json.Unmarshal(data, &e)
		var one string
		if json.Unmarshal(e.Message, &one) == nil {
			return resp.StatusCode, one
		}
		var many []string
		_ = json.Unmarshal(e.Message, &many)
		return resp.StatusCode, strings.Join(many, "; ")
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
	return resp.StatusCode, ""
}

// formJSON decodes a request form as the API returns it.
type formJSON struct {
	ID                string             `json:"id"`
	Name              string             `json:"name"`
	Fields            []FormField        `json:"fields"`
	Policy            json.RawMessage    `json:"policy"`
	DataUseAgreements []agreementSummary `json:"dataUseAgreements"`
	Version           string             `json:"version"`
	AssociatedDomains *[]string          `json:"associatedDomains"`
}

type formPage struct {
	Data []formJSON `json:"data"`
}

func approvePolicy(comment string) map[string]any {
	return map[string]any{
		"rules":        []any{},
		"defaultEvent": map[string]any{"type": "approve", "params": map[string]any{"comment": comment}},
	}
}

// textField is a SHORT_ANSWER field with a new id.
func textField(label string) map[string]any {
	return map[string]any{"id": uuid.NewString(), "type": "SHORT_ANSWER", "label": label, "required": true}
}

func TestRequestFormLifecycle(t *testing.T) {
	ts := NewTestServer(t, Options{})
	agreement, err := ts.SeedDataUseAgreement("Terms", "Be nice.")
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{uuid.NewString(), uuid.NewString(), uuid.NewString()}
	var form formJSON
	status, msg := callJSON(t, ts, "POST", "/api/request-form", map[string]any{
		"id":   "0F2B7C52-7E0A-4D3C-9F61-2B8D0C1E3A45",
		"name": "Sales form",
		"fields": []any{
			map[string]any{"id": ids[0], "type": "SHORT_ANSWER", "label": "Purpose"},
			map[string]any{"id": ids[1], "type": "DROPDOWN", "label": "Team", "required": false, "options": []any{map[string]any{"value": "A"}, map[string]any{"value": "B"}}},
			map[string]any{"id": ids[2], "type": "ACCESS_DURATION", "label": AccessDurationLabel, "required": true},
		},
		// Key order and spacing are the server's on the way back.
		"policy":              map[string]any{"defaultEvent": map[string]any{"params": map[string]any{"durationUnit": "DAYS", "duration": 30, "comment": "ok"}, "type": "approve"}, "version": "1", "rules": []any{}},
		"dataUseAgreementIds": []any{agreement.ID},
	}, &form)
	if status != http.StatusCreated {
		t.Fatalf("POST: %d %s", status, msg)
	}
	if form.ID != "0f2b7c52-7e0a-4d3c-9f61-2b8d0c1e3a45" {
		t.Errorf("id %v, want the client's id in lower case", form.ID)
	}
	fields := form.Fields
	for i, f := range fields {
		if f.ID != ids[i] {
			t.Errorf("field %d id %v, want %v as sent", i, f.ID, ids[i])
		}
	}
	if !fields[0].Required || fields[1].Required {
		t.Errorf("required %v, %v: want the default true and false as sent", fields[0].Required, fields[1].Required)
	}
	if fields[0].Options != nil || fields[2].Options != nil {
		t.Errorf("options on SHORT_ANSWER or ACCESS_DURATION: %+v", fields)
	}
	if want := `{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"ok","duration":30,"durationUnit":"DAYS"}}}`; string(form.Policy) != want {
		t.Errorf("policy %s, want %s", form.Policy, want)
	}
	if len(form.DataUseAgreements) != 1 || form.DataUseAgreements[0].Body != "Be nice." {
		t.Errorf("dataUseAgreements %v", form.DataUseAgreements)
	}
	if form.AssociatedDomains != nil {
		t.Errorf("POST answered associatedDomains %v", *form.AssociatedDomains)
	}
	if !isCUID(form.Version) {
		t.Errorf("version %q is not a cuid", form.Version)
	}
	id, v1 := form.ID, form.Version

	// PUT with the fields reordered keeps their ids; a new field keeps
	// the id it is sent with. PUT answers 201.
	review := map[string]any{"rules": []any{}, "defaultEvent": map[string]any{"type": "review", "params": map[string]any{"stages": []any{
		map[string]any{"all": []any{map[string]any{"type": "PERMISSION", "permission": "GOVERNANCE"}}},
		map[string]any{"any": []any{map[string]any{"type": "CATALOG PERMISSION"}, map[string]any{"type": "GROUP", "id": 1, "name": "Data Stewards"}}},
	}}}}
	manager := textField("Manager")
	var updated formJSON
	status, msg = callJSON(t, ts, "PUT", "/api/request-form/"+id, map[string]any{
		"name": "Sales form",
		"fields": []any{
			map[string]any{"id": ids[1], "type": "CHECKBOXES", "label": "Team", "required": true, "options": []any{map[string]any{"value": "B"}}},
			map[string]any{"id": ids[0], "type": "SHORT_ANSWER", "label": "Purpose", "required": true},
			manager,
		},
		"policy": review,
	}, &updated)
	if status != http.StatusCreated {
		t.Fatalf("PUT: %d %s", status, msg)
	}
	if updated.Fields[1].ID != ids[0] || updated.Fields[0].ID != ids[1] || updated.Fields[2].ID != manager["id"] {
		t.Errorf("field ids moved: %+v", updated.Fields)
	}
	if want := `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"all":[{"permission":"GOVERNANCE","type":"PERMISSION"}]},{"any":[{"type":"CATALOG PERMISSION"},{"id":1,"name":"Data Stewards","type":"GROUP"}]}]}}}`; string(updated.Policy) != want {
		t.Errorf("policy %s, want %s", updated.Policy, want)
	}
	if updated.Version == v1 || !isCUID(updated.Version) {
		t.Errorf("version %q after PUT, was %q", updated.Version, v1)
	}
	if len(updated.DataUseAgreements) != 0 {
		t.Errorf("agreements %v after PUT without ids", updated.DataUseAgreements)
	}

	// The old version is kept.
	var old formJSON
	status, _ = callJSON(t, ts, "GET", "/api/request-form/version/"+v1, nil, &old)
	if status != http.StatusOK || len(old.Fields) != 3 || old.Fields[0].Label != "Purpose" {
		t.Errorf("GET version: %d %+v", status, old)
	}
	if status, _ := callJSON(t, ts, "GET", "/api/request-form/version/"+updated.Version, nil, nil); status != http.StatusOK {
		t.Errorf("GET current version: %d", status)
	}
	if status, _ := callJSON(t, ts, "GET", "/api/request-form/version/"+newFormVersion(), nil, nil); status != http.StatusNotFound {
		t.Errorf("GET unknown version: %d", status)
	}

	// The list carries associatedDomains, filters by nameFilter and sorts.
	var list formPage
	status, _ = callJSON(t, ts, "GET", "/api/request-form?nameFilter=Sales%20form&exactMatch=true", nil, &list)
	if status != http.StatusOK || len(list.Data) != 1 || list.Data[0].AssociatedDomains == nil {
		t.Errorf("list: %d %+v", status, list)
	}
	list = formPage{}
	status, _ = callJSON(t, ts, "GET", "/api/request-form?nameFilter=form&sortBy=createdAt&sortOrder=desc", nil, &list)
	if status != http.StatusOK || len(list.Data) != 2 || list.Data[0].ID != id {
		t.Errorf("substring list, newest first: %d %+v (want the form, then the Standard Request Form)", status, list.Data)
	}
	if status, msg := callJSON(t, ts, "GET", "/api/request-form?sortBy=version", nil, nil); status != http.StatusBadRequest || !strings.Contains(msg, "sortBy must be one of the following values: name, createdAt, updatedAt") {
		t.Errorf("bad sortBy: %d %s", status, msg)
	}

	var products []ObjectRef
	status, _ = callJSON(t, ts, "GET", "/api/request-form/"+id+"/data-products", nil, &products)
	if status != http.StatusOK || products == nil || len(products) != 0 {
		t.Errorf("data-products: %d %v", status, products)
	}
	if status, _ := callJSON(t, ts, "DELETE", "/api/request-form/"+id, nil, nil); status != http.StatusNoContent {
		t.Errorf("DELETE: %d", status)
	}
	if status, _ := callJSON(t, ts, "GET", "/api/request-form/"+id, nil, nil); status != http.StatusNotFound {
		t.Errorf("GET after DELETE: %d", status)
	}
	if status, _ := callJSON(t, ts, "DELETE", "/api/request-form/"+id, nil, nil); status != http.StatusNotFound {
		t.Errorf("second DELETE: %d, want 404", status)
	}
}

func TestRequestFormConflictsAndReferences(t *testing.T) {
	ts := NewTestServer(t, Options{})
	agreement, err := ts.SeedDataUseAgreement("Terms", "Be nice.")
	if err != nil {
		t.Fatal(err)
	}
	const formID = "0f2b7c52-7e0a-4d3c-9f61-2b8d0c1e3a45"
	body := map[string]any{
		"id": formID, "name": "Form", "fields": []any{textField("Q")},
		"policy": approvePolicy("ok"), "dataUseAgreementIds": []any{agreement.ID},
	}
	if status, msg := callJSON(t, ts, "POST", "/api/request-form", body, nil); status != http.StatusCreated {
		t.Fatalf("POST: %d %s", status, msg)
	}
	status, msg := callJSON(t, ts, "POST", "/api/request-form", body, nil)
	if status != http.StatusConflict || msg != "Request form with id already exists." {
		t.Errorf("repeated POST: %d %s", status, msg)
	}
	delete(body, "id")
	status, msg = callJSON(t, ts, "POST", "/api/request-form", body, nil)
	if status != http.StatusConflict || msg != "Request form with name already exists." {
		t.Errorf("duplicate name: %d %s", status, msg)
	}
	body["name"] = "form" // names are case-sensitive
	if status, msg := callJSON(t, ts, "POST", "/api/request-form", body, nil); status != http.StatusCreated {
		t.Errorf("POST with another case: %d %s", status, msg)
	}
	body["name"] = "Form"
	status, msg = callJSON(t, ts, "PUT", "/api/request-form/"+StandardRequestFormID, body, nil)
	if status != http.StatusBadRequest {
		t.Errorf("PUT the standard form: %d %s", status, msg)
	}

	// The agreement is in use.
	status, msg = callJSON(t, ts, "DELETE", "/api/data-use-agreement/"+agreement.ID, nil, nil)
	if status != http.StatusConflict || !strings.Contains(msg, "in use by 2 request form(s)") {
		t.Errorf("DELETE agreement in use: %d %s", status, msg)
	}
	var refs []ObjectRef
	status, _ = callJSON(t, ts, "GET", "/api/data-use-agreement/"+agreement.ID+"/request-forms", nil, &refs)
	if status != http.StatusOK || len(refs) != 2 || refs[0].Name != "Form" {
		t.Errorf("agreement's forms: %d %v", status, refs)
	}

	// A form in use by a data product cannot be deleted.
	ts.mu.Lock()
	ts.formReferrers = append(ts.formReferrers, func(id string) []ObjectRef {
		if id == formID {
			return []ObjectRef{{ID: "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", Name: "Sales"}}
		}
		return nil
	})
	ts.formDomains = append(ts.formDomains, func(string) []string { return []string{"d1", "d1"} })
	ts.mu.Unlock()
	status, msg = callJSON(t, ts, "DELETE", "/api/request-form/"+formID, nil, nil)
	if status != http.StatusConflict || msg != "Request form is in use by 1 data product(s) and cannot be deleted." {
		t.Errorf("DELETE form in use: %d %s", status, msg)
	}
	var linked []linkedDataProduct
	status, _ = callJSON(t, ts, "GET", "/api/request-form/"+formID+"/data-products", nil, &linked)
	if status != http.StatusOK || len(linked) != 1 || linked[0].Name != "Sales" || len(linked[0].RequestTypes) != 1 || linked[0].RequestTypes[0] != "DATA_ACCESS" {
		t.Errorf("form's data products: %d %v", status, linked)
	}
	var list formPage
	callJSON(t, ts, "GET", "/api/request-form?nameFilter=Form&exactMatch=true", nil, &list)
	if len(list.Data) != 1 || list.Data[0].AssociatedDomains == nil || len(*list.Data[0].AssociatedDomains) != 1 {
		t.Errorf("list %+v, want one form with one associated domain", list)
	}
	ts.mu.Lock()
	exists, delegates := ts.requestFormStatus(strings.ToUpper(formID))
	ts.mu.Unlock()
	if !exists || delegates {
		t.Errorf("requestFormStatus = %v, %v", exists, delegates)
	}
}

func TestStandardRequestForm(t *testing.T) {
	ts := NewTestServer(t, Options{})
	if !isUUID(StandardRequestFormID) {
		t.Fatalf("%s is not a UUID", StandardRequestFormID)
	}
	var form formJSON
	status, msg := callJSON(t, ts, "GET", "/api/request-form/"+StandardRequestFormID, nil, &form)
	if status != http.StatusOK || form.Name != StandardRequestFormName || !isCUID(form.Version) {
		t.Fatalf("GET: %d %s %+v", status, msg, form)
	}
	if len(form.Fields) != 1 || form.Fields[0].Type != FieldShortAnswer {
		t.Errorf("fields %+v", form.Fields)
	}
	body := map[string]any{"name": "Mine", "fields": []any{textField("Q")}, "policy": approvePolicy("ok")}
	status, msg = callJSON(t, ts, "PUT", "/api/request-form/"+StandardRequestFormID, body, nil)
	if status != http.StatusBadRequest || msg != "The Standard Request Form cannot be edited." {
		t.Errorf("PUT: %d %s", status, msg)
	}
	status, msg = callJSON(t, ts, "DELETE", "/api/request-form/"+StandardRequestFormID, nil, nil)
	if status != http.StatusBadRequest || msg != "The Standard Request Form cannot be deleted." {
		t.Errorf("DELETE: %d %s", status, msg)
	}
	body["name"] = StandardRequestFormName
	if status, _ := callJSON(t, ts, "POST", "/api/request-form", body, nil); status != http.StatusConflict {
		t.Errorf("POST with the standard name: %d", status)
	}
	for _, id := range []string{"not-an-id", "12345"} {
		status, msg := callJSON(t, ts, "GET", "/api/request-form/"+id, nil, nil)
		if status != http.StatusBadRequest || msg != uuidPathError {
			t.Errorf("GET %s: %d %s", id, status, msg)
		}
	}
	if status, _ := callJSON(t, ts, "GET", "/api/request-form/"+StandardRequestFormID+"/other", nil, nil); status != http.StatusNotFound {
		t.Errorf("GET an unknown sub-route: %d", status)
	}
	if err := ts.DeleteRequestForm(StandardRequestFormID); err == nil {
		t.Error("the Go API deleted the Standard Request Form")
	}
}

func TestRequestFormValidation(t *testing.T) {
	ts := NewTestServer(t, Options{})
	field := func(typ, label string, extra ...any) map[string]any {
		f := map[string]any{"id": uuid.NewString(), "type": typ, "label": label}
		for i := 0; i+1 < len(extra); i += 2 {
			f[fmt.Sprint(extra[i])] = extra[i+1]
		}
		return f
	}
	opt := func(v string) map[string]any { return map[string]any{"value": v} }
	dropdown := func(options ...any) map[string]any { return field("DROPDOWN", "Pick", "options", options) }
	duration := func(extra ...any) map[string]any { return field("ACCESS_DURATION", AccessDurationLabel, extra...) }
	event := func(typ string, params map[string]any) map[string]any {
		e := map[string]any{"type": typ}
		if params != nil {
			e["params"] = params
		}
		return e
	}
	policyWith := func(defaultEvent any) map[string]any {
		return map[string]any{"rules": []any{}, "defaultEvent": defaultEvent}
	}
	stage := func(mode string, approvers ...any) map[string]any {
		return map[string]any{mode: append([]any{}, approvers...)}
	}
	reviewBy := func(approvers ...any) map[string]any {
		return policyWith(event("review", map[string]any{"stages": []any{stage("any", approvers...)}}))
	}
	ap := func(typ string, kv ...any) map[string]any {
		a := map[string]any{"type": typ}
		for i := 0; i+1 < len(kv); i += 2 {
			a[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return a
	}
	rule := map[string]any{
		"conditions": map[string]any{"all": []any{map[string]any{"fact": "answers.Team", "operator": "equal", "value": "A"}}},
		"event":      event("approve", map[string]any{"comment": "team A"}),
	}
	q := []any{textField("Q")}

	cases := []struct {
		name   string
		fields []any
		policy any
		extra  map[string]any
		want   string // "" means accepted
	}{
		{"missing fields", nil, approvePolicy("ok"), nil, "fields should not be empty"},
		{"no fields", []any{}, approvePolicy("ok"), nil, "fields must contain at least 1 elements"},
		{"old TEXT type", []any{field("TEXT", "Q")}, approvePolicy("ok"), nil, "fields.0.type must be one of the following values: DROPDOWN, CHECKBOXES, SHORT_ANSWER, ACCESS_DURATION"},
		{"old CHECKBOX type", []any{field("CHECKBOX", "Q", "options", []any{opt("a")})}, approvePolicy("ok"), nil, "fields.0.type must be one of the following values"},
		{"options on SHORT_ANSWER", []any{field("SHORT_ANSWER", "Q", "options", []any{opt("a")})}, approvePolicy("ok"), nil, "property fields.0.options should not exist"},
		{"dropdown without options", []any{field("DROPDOWN", "Q")}, approvePolicy("ok"), nil, "fields.0.options must be an array"},
		{"checkboxes with no options", []any{field("CHECKBOXES", "Q", "options", []any{})}, approvePolicy("ok"), nil, "fields.0.options must contain at least 1 elements"},
		{"option without value", []any{dropdown(map[string]any{})}, approvePolicy("ok"), nil, "fields.0.options.0.value must be a string"},
		{"duplicate option", []any{dropdown(opt("a"), opt("a"))}, approvePolicy("ok"), nil, `fields.0.options.1.value "a" appears twice`},
		{"blank option", []any{dropdown(opt(" "))}, approvePolicy("ok"), nil, "fields.0.options.0.value should not be empty"},
		{"duplicate label", []any{textField("Q"), textField("q")}, approvePolicy("ok"), nil, `fields.1.label "q" is already the label of fields.0`},
		{"blank label", []any{textField("  ")}, approvePolicy("ok"), nil, "fields.0.label should not be empty"},
		{"missing label", []any{map[string]any{"id": uuid.NewString(), "type": "SHORT_ANSWER"}}, approvePolicy("ok"), nil, "fields.0.label must be a string"},
		{"required not a boolean", []any{field("SHORT_ANSWER", "Q", "required", "yes")}, approvePolicy("ok"), nil, "fields.0.required must be a boolean value"},
		{"unknown field property", []any{field("SHORT_ANSWER", "Q", "hint", "x")}, approvePolicy("ok"), nil, "property fields.0.hint should not exist"},
		{"access duration options", []any{duration("required", true, "options", []any{opt("1 DAYS")})}, approvePolicy("ok"), nil, "property fields.0.options should not exist"},
		{"access duration optional", []any{duration("required", false)}, approvePolicy("ok"), nil, "fields.0.required must be one of the following values: true"},
		{"access duration required omitted", []any{duration()}, approvePolicy("ok"), nil, "fields.0.required must be one of the following values: true"},
		{"access duration label", []any{field("ACCESS_DURATION", "How long?", "required", true)}, approvePolicy("ok"), nil, "fields.0.label must be one of the following values: " + AccessDurationLabel},
		{"two access durations", []any{duration("required", true), duration("required", true)}, approvePolicy("ok"), nil, "at most one ACCESS_DURATION"},
		{"field id missing", []any{map[string]any{"type": "SHORT_ANSWER", "label": "Q"}}, approvePolicy("ok"), nil, "fields.0.id must be a string"},
		{"field id not a UUID", []any{field("SHORT_ANSWER", "Q", "id", "x")}, approvePolicy("ok"), nil, "fields.0.id must be a UUID"},
		{"repeated field id", []any{
			field("SHORT_ANSWER", "Q", "id", "123e4567-e89b-12d3-a456-426614174000"),
			field("SHORT_ANSWER", "R", "id", "123e4567-e89b-12d3-a456-426614174000"),
		}, approvePolicy("ok"), nil, "fields.1.id 123e4567-e89b-12d3-a456-426614174000 is already the id of fields.0"},
		{"missing policy", q, nil, nil, "policy should not be empty"},
		{"missing rules", q, map[string]any{"defaultEvent": event("dataProductPolicy", nil)}, nil, "policy.rules should not be empty"},
		{"missing defaultEvent", q, map[string]any{"rules": []any{}}, nil, "policy.defaultEvent should not be empty"},
		{"unknown policy property", q, map[string]any{"rules": []any{}, "defaultEvent": event("dataProductPolicy", nil), "x": 1}, nil, "property policy.x should not exist"},
		{"approve without params", q, policyWith(event("approve", nil)), nil, "policy.defaultEvent.params should not be empty"},
		{"unknown approve param", q, policyWith(event("approve", map[string]any{"approvers": []any{}})), nil, "property policy.defaultEvent.params.approvers should not exist"},
		{"duration without unit", q, policyWith(event("approve", map[string]any{"duration": 3})), nil, "must be given together"},
		{"zero duration", q, policyWith(event("approve", map[string]any{"duration": 0, "durationUnit": "DAYS"})), nil, "duration must not be less than 1"},
		{"fractional duration", q, policyWith(event("approve", map[string]any{"duration": 1.5, "durationUnit": "DAYS"})), nil, "duration must be an integer number"},
		{"bad duration unit", q, policyWith(event("approve", map[string]any{"duration": 1, "durationUnit": "SECONDS"})), nil, "durationUnit must be one of the following values: HOURS, DAYS, WEEKS, MONTHS, YEARS"},
		{"old requestApproval event", q, policyWith(event("requestApproval", map[string]any{})), nil, "policy.defaultEvent.type must be one of the following values: approve, deny, review, dataProductPolicy"},
		{"old delegate event", q, policyWith(event("delegate", nil)), nil, "policy.defaultEvent.type must be one of the following values"},
		{"deny without params", q, policyWith(event("deny", nil)), nil, "policy.defaultEvent.params should not be empty"},
		{"review without stages", q, policyWith(event("review", map[string]any{})), nil, "policy.defaultEvent.params.stages should not be empty"},
		{"empty stage", q, policyWith(event("review", map[string]any{"stages": []any{stage("all")}})), nil, "policy.defaultEvent.params.stages.0.all must contain at least 1 elements"},
		{"stage with both modes", q, policyWith(event("review", map[string]any{"stages": []any{map[string]any{"all": []any{ap("CATALOG PERMISSION")}, "any": []any{ap("CATALOG PERMISSION")}}}})), nil, "stages.0 must have exactly one of all and any"},
		{"old stage key", q, policyWith(event("review", map[string]any{"stages": []any{map[string]any{"ALL": []any{ap("CATALOG PERMISSION")}}}})), nil, "property policy.defaultEvent.params.stages.0.ALL should not exist"},
		{"unknown user", q, reviewBy(ap("USER", "id", "123e4567-e89b-12d3-a456-426614174000")), nil, `user "123e4567-e89b-12d3-a456-426614174000" not found`},
		{"user without id", q, reviewBy(ap("USER")), nil, "stages.0.any.0.id must be a string"},
		{"group without name", q, reviewBy(ap("GROUP", "id", 1)), nil, "stages.0.any.0.name must be a string"},
		{"group id a string", q, reviewBy(ap("GROUP", "id", "1", "name", "Data Stewards")), nil, "stages.0.any.0.id must be a number"},
		{"unknown group", q, reviewBy(ap("GROUP", "id", 999, "name", "Nobody")), nil, "group 999 not found"},
		{"group name mismatch", q, reviewBy(ap("GROUP", "id", 1, "name", "Finance")), nil, `name "Finance" is not the name of group 1`},
		{"unknown attribute", q, reviewBy(ap("ATTRIBUTE", "key", "Department", "value", "Nope")), nil, `attribute "Department" with value "Nope" not found`},
		{"old attribute id", q, reviewBy(ap("ATTRIBUTE", "id", "Department:Sales")), nil, "property policy.defaultEvent.params.stages.0.any.0.id should not exist"},
		{"unknown permission", q, reviewBy(ap("PERMISSION", "permission", "ROOT")), nil, "stages.0.any.0.permission must be one of the following values: GOVERNANCE, USER_ADMIN, AUDIT"},
		{"domain permission spelling", q, reviewBy(ap("DOMAIN PERMISSION", "permission", "MANAGE_DATA_PRODUCTS")), nil, "permission must be one of the following values: Manage Policies, Audit Activity, Manage Data Products, Manage Identifiers"},
		{"old DOMAIN_PERMISSION type", q, reviewBy(ap("DOMAIN_PERMISSION", "permission", "Manage Data Products")), nil, "stages.0.any.0.type must be one of the following values"},
		{"unknown domain", q, reviewBy(ap("DOMAIN PERMISSION", "permission", "Manage Policies", "domainId", "123e4567-e89b-12d3-a456-426614174000")), nil, "domain \"123e4567-e89b-12d3-a456-426614174000\" not found"},
		{"catalog permission with id", q, reviewBy(ap("CATALOG PERMISSION", "id", "x")), nil, "property policy.defaultEvent.params.stages.0.any.0.id should not exist"},
		{"data product policy with params", q, policyWith(map[string]any{"type": "dataProductPolicy", "params": map[string]any{}}), nil, "property policy.defaultEvent.params should not exist"},
		{"rule without event", q, map[string]any{"rules": []any{map[string]any{"conditions": map[string]any{"any": []any{}}}}, "defaultEvent": event("dataProductPolicy", nil)}, nil, "policy.rules.0.event should not be empty"},
		{"two condition keys", q, map[string]any{"rules": []any{map[string]any{"conditions": map[string]any{"any": []any{}, "all": []any{}}, "event": event("deny", map[string]any{})}}, "defaultEvent": event("dataProductPolicy", nil)}, nil, "must have exactly one of all, any and not"},
		{"unknown agreement", q, approvePolicy("ok"), map[string]any{"dataUseAgreementIds": []any{"123e4567-e89b-12d3-a456-426614174000"}}, "data use agreement 123e4567-e89b-12d3-a456-426614174000 not found"},
		{"agreement id not a UUID", q, approvePolicy("ok"), map[string]any{"dataUseAgreementIds": []any{"x"}}, "dataUseAgreementIds must be a UUID"},
		{"unknown property", q, approvePolicy("ok"), map[string]any{"owner": "me"}, "property owner should not exist"},
		// Accepted: every field type, every approver kind, every event.
		{"every field type", []any{textField("Q"), dropdown(opt("a")), field("CHECKBOXES", "Many", "options", []any{opt("x"), opt("y")}, "required", false), duration("required", true)}, approvePolicy("ok"), nil, ""},
		{"every approver kind", q, policyWith(event("review", map[string]any{"stages": []any{
			stage("all", ap("USER", "id", "44509dec-9b50-50fd-af68-e366e731fcf4", "displayName", "Someone"), ap("GROUP", "id", 1, "name", "Data Stewards", "iamId", "bim"), ap("GROUP", "name", "Finance")),
			stage("any", ap("PERMISSION", "permission", "GOVERNANCE"), ap("DOMAIN PERMISSION", "permission", "Manage Data Products"),
				ap("DOMAIN PERMISSION", "permission", "Audit Activity", "domainId", "1aebd69e-0ac6-51d7-94e0-6580689d4380"),
				ap("ATTRIBUTE", "key", "Department", "value", "Sales"), ap("CATALOG PERMISSION")),
		}})), nil, ""},
		{"rules and deny", []any{dropdown(opt("A"), opt("B"))}, map[string]any{"version": "2", "rules": []any{rule, map[string]any{"conditions": map[string]any{"not": map[string]any{"fact": "x"}}, "event": event("dataProductPolicy", nil)}}, "defaultEvent": event("deny", map[string]any{"comment": "no"})}, nil, ""},
		{"data product policy", q, policyWith(event("dataProductPolicy", nil)), nil, ""},
		{"approve without comment", q, policyWith(event("approve", map[string]any{})), nil, ""},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := map[string]any{"name": "Form " + strings.Repeat("x", i)}
			if c.fields != nil {
				body["fields"] = c.fields
			}
			if c.policy != nil {
				body["policy"] = c.policy
			}
			for k, v := range c.extra {
				body[k] = v
			}
			status, msg := callJSON(t, ts, "POST", "/api/request-form", body, nil)
			if c.want == "" {
				if status != http.StatusCreated {
					t.Fatalf("%d %s, want 201", status, msg)
				}
				return
			}
			if status != http.StatusBadRequest || !strings.Contains(msg, c.want) {
				t.Errorf("%d %q, want 400 with %q", status, msg, c.want)
			}
		})
	}
}

func TestRequestFormGoAPI(t *testing.T) {
	ts := NewTestServer(t, Options{})
	f, err := ts.SeedRequestForm(RequestForm{
		Name:   "Seeded",
		Fields: []FormField{{Type: FieldShortAnswer, Label: "Q", Required: true}, {Type: FieldAccessDuration, Required: true}},
		Policy: Policy{DefaultEvent: PolicyEvent{Type: EventDataProductPolicy}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !isUUID(f.ID) || !isUUID(f.Fields[0].ID) || !isCUID(f.Version) || f.Fields[1].Label != AccessDurationLabel {
		t.Fatalf("seeded form lacks ids or the fixed label: %+v", f)
	}
	if _, err := ts.SeedRequestForm(RequestForm{Name: "Bad", Fields: []FormField{{Type: "RADIO", Label: "Q"}}}); err == nil {
		t.Error("an invalid form was seeded")
	}
	ts.mu.Lock()
	exists, delegates := ts.requestFormStatus(f.ID)
	ts.mu.Unlock()
	if !exists || !delegates {
		t.Errorf("requestFormStatus = %v, %v, want true, true", exists, delegates)
	}
	if err := ts.UpdateRequestForm(f.ID, func(rf *RequestForm) { rf.Fields[0].Label = "Changed" }); err != nil {
		t.Fatal(err)
	}
	got, ok := ts.RequestForm(f.ID)
	if !ok || got.Fields[0].Label != "Changed" || got.Version == f.Version {
		t.Errorf("after Update: %+v", got)
	}
	if old, ok := ts.RequestFormVersion(f.Version); !ok || old.Fields[0].Label != "Q" {
		t.Errorf("old version: %+v", old)
	}
	if n := len(ts.RequestForms()); n != 2 {
		t.Errorf("%d forms, want the seeded one and the Standard Request Form", n)
	}
	if err := ts.DeleteRequestForm(f.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := ts.RequestForm(f.ID); ok {
		t.Error("the form is still there")
	}
}

func TestRequestFormReadAfterWriteLag(t *testing.T) {
	ts := NewTestServer(t, Options{})
	ts.SetReadAfterWriteLag(time.Hour)
	const id = "5d0c8a8e-2f3b-4c1d-9e7a-6b5f4a3c2d1e"
	var form formJSON
	if status, msg := callJSON(t, ts, "POST", "/api/request-form", map[string]any{
		"id": id, "name": "Lagging", "fields": []any{textField("Purpose")}, "policy": approvePolicy("ok"),
	}, &form); status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, msg)
	}
	if status, _ := callJSON(t, ts, "GET", "/api/request-form/"+id, nil, nil); status != http.StatusNotFound {
		t.Errorf("GET by id inside the lag: %d, want 404", status)
	}
	// The other endpoints see the new form at once.
	if status, _ := callJSON(t, ts, "GET", "/api/request-form/version/"+form.Version, nil, nil); status != http.StatusOK {
		t.Errorf("GET of its version inside the lag: %d, want 200", status)
	}
	var page formPage
	if status, _ := callJSON(t, ts, "GET", "/api/request-form?nameFilter=Lagging", nil, &page); status != http.StatusOK || len(page.Data) != 1 {
		t.Errorf("list inside the lag: %d, %d forms, want 200 and 1", status, len(page.Data))
	}
	if status, msg := callJSON(t, ts, "PUT", "/api/request-form/"+id, map[string]any{
		"name": "Lagging", "fields": []any{textField("Purpose")}, "policy": approvePolicy("still ok"),
	}, nil); status != http.StatusCreated {
		t.Errorf("PUT inside the lag: %d %s, want 201", status, msg)
	}
	ts.SetReadAfterWriteLag(0)
	if status, _ := callJSON(t, ts, "GET", "/api/request-form/"+id, nil, nil); status != http.StatusOK {
		t.Errorf("GET by id after the lag: %d, want 200", status)
	}
}
