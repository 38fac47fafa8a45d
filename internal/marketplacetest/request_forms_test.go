package marketplacetest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
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
		"version": "1", "rules": []any{},
		"defaultEvent": map[string]any{"type": "approve", "params": map[string]any{"comment": comment}},
	}
}

func textField(label string) map[string]any {
	return map[string]any{"type": "TEXT", "label": label, "required": true}
}

func TestRequestFormLifecycle(t *testing.T) {
	ts := NewTestServer(t, Options{})
	agreement, err := ts.SeedDataUseAgreement("Terms", "Be nice.")
	if err != nil {
		t.Fatal(err)
	}
	var form formJSON
	status, msg := callJSON(t, ts, "POST", "/api/request-form", map[string]any{
		"id":   "0F2B7C52-7E0A-4D3C-9F61-2B8D0C1E3A45",
		"name": "Sales form",
		"fields": []any{
			textField("Purpose"),
			map[string]any{"type": "DROPDOWN", "label": "Team", "required": false, "options": []any{map[string]any{"value": "A"}, map[string]any{"value": "B"}}},
			map[string]any{"type": "ACCESS_DURATION", "label": "How long", "required": true},
		},
		// Key order and spacing are the server's on the way back.
		"policy":              map[string]any{"defaultEvent": map[string]any{"params": map[string]any{"durationUnit": "DAYS", "duration": 30, "comment": "ok"}, "type": "approve"}, "version": "1"},
		"dataUseAgreementIds": []any{agreement.ID},
	}, &form)
	if status != http.StatusCreated {
		t.Fatalf("POST: %d %s", status, msg)
	}
	if form.ID != "0f2b7c52-7e0a-4d3c-9f61-2b8d0c1e3a45" {
		t.Errorf("id %v, want the client's id in lower case", form.ID)
	}
	fields := form.Fields
	if !isUUID(fields[0].ID) {
		t.Errorf("field id %v is not a UUID", fields[0].ID)
	}
	if fields[0].Options == nil || len(fields[0].Options) != 0 {
		t.Errorf("TEXT options %v, want []", fields[0].Options)
	}
	if len(fields[2].Options) != len(AccessDurationOptions) {
		t.Errorf("ACCESS_DURATION options %v, want the service's", fields[2].Options)
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
	id, v1 := form.ID, form.Version

	// PUT with the fields reordered keeps their ids; a new field gets one.
	var updated formJSON
	status, msg = callJSON(t, ts, "PUT", "/api/request-form/"+id, map[string]any{
		"name": "Sales form",
		"fields": []any{
			map[string]any{"id": fields[1].ID, "type": "DROPDOWN", "label": "Team", "required": true, "options": []any{map[string]any{"value": "B"}}},
			map[string]any{"id": fields[0].ID, "type": "TEXT", "label": "Purpose", "required": true},
			textField("Manager"),
		},
		"policy": map[string]any{"version": "1", "rules": []any{}, "defaultEvent": map[string]any{"type": "delegate"}},
	}, &updated)
	if status != http.StatusOK {
		t.Fatalf("PUT: %d %s", status, msg)
	}
	if updated.Fields[1].ID != fields[0].ID || updated.Fields[0].ID != fields[1].ID {
		t.Errorf("field ids moved: %+v", updated.Fields)
	}
	if !isUUID(updated.Fields[2].ID) {
		t.Errorf("new field has no id: %+v", updated.Fields[2])
	}
	if updated.Version == v1 || !isUUID(updated.Version) {
		t.Errorf("version %q after PUT, was %q", updated.Version, v1)
	}
	if len(updated.DataUseAgreements) != 0 {
		t.Errorf("agreements %v after PUT without ids", updated.DataUseAgreements)
	}

	// A field id that is not one of the form's fields is refused, and the
	// form is left as it was.
	stranger := "0b9f3c1e-6a2d-4e7f-8c5b-1d2e3f4a5b6c"
	status, msg = callJSON(t, ts, "PUT", "/api/request-form/"+id, map[string]any{
		"name":   "Sales form",
		"fields": []any{map[string]any{"id": stranger, "type": "TEXT", "label": "Purpose", "required": true}},
		"policy": map[string]any{"version": "1", "rules": []any{}, "defaultEvent": map[string]any{"type": "delegate"}},
	}, nil)
	if want := "fields.0.id " + stranger + " is not the id of a field of this form"; status != http.StatusBadRequest || !strings.Contains(msg, want) {
		t.Errorf("PUT with an unknown field id: %d %s, want 400 %q", status, msg, want)
	}
	var unchanged formJSON
	if status, _ := callJSON(t, ts, "GET", "/api/request-form/"+id, nil, &unchanged); status != http.StatusOK ||
		unchanged.Version != updated.Version || len(unchanged.Fields) != 3 {
		t.Errorf("after the refused PUT: %d %+v, want version %s with 3 fields", status, unchanged, updated.Version)
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
	if status, _ := callJSON(t, ts, "GET", "/api/request-form/version/123e4567-e89b-12d3-a456-426614174000", nil, nil); status != http.StatusNotFound {
		t.Errorf("GET unknown version: %d", status)
	}
	if status, _ := callJSON(t, ts, "GET", "/api/request-form/version/v1", nil, nil); status != http.StatusBadRequest {
		t.Errorf("GET a version that is not a UUID: %d", status)
	}

	// The list carries associatedDomains and filters by name.
	var list formPage
	status, _ = callJSON(t, ts, "GET", "/api/request-form?name=Sales%20form&exactMatch=true", nil, &list)
	if status != http.StatusOK || len(list.Data) != 1 || list.Data[0].AssociatedDomains == nil {
		t.Errorf("list: %d %+v", status, list)
	}
	list = formPage{}
	status, _ = callJSON(t, ts, "GET", "/api/request-form?name=form", nil, &list)
	if status != http.StatusOK || len(list.Data) != 2 {
		t.Errorf("substring list: %d, %d items (want the form and the Standard Request Form)", status, len(list.Data))
	}

	var products []objectRef
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
	var refs []objectRef
	status, _ = callJSON(t, ts, "GET", "/api/data-use-agreement/"+agreement.ID+"/request-forms", nil, &refs)
	if status != http.StatusOK || len(refs) != 2 || refs[0].Name != "Form" {
		t.Errorf("agreement's forms: %d %v", status, refs)
	}

	// A form in use by a data product cannot be deleted.
	ts.mu.Lock()
	ts.formReferrers = append(ts.formReferrers, func(id string) []objectRef {
		if id == formID {
			return []objectRef{{ID: "p1", Name: "Sales"}}
		}
		return nil
	})
	ts.formDomains = append(ts.formDomains, func(string) []string { return []string{"d1", "d1"} })
	ts.mu.Unlock()
	status, msg = callJSON(t, ts, "DELETE", "/api/request-form/"+formID, nil, nil)
	if status != http.StatusConflict || msg != "Request form is in use by 1 data product(s) and cannot be deleted." {
		t.Errorf("DELETE form in use: %d %s", status, msg)
	}
	refs = nil
	status, _ = callJSON(t, ts, "GET", "/api/request-form/"+formID+"/data-products", nil, &refs)
	if status != http.StatusOK || len(refs) != 1 || refs[0].Name != "Sales" {
		t.Errorf("form's data products: %d %v", status, refs)
	}
	var list formPage
	callJSON(t, ts, "GET", "/api/request-form?name=Form&exactMatch=true", nil, &list)
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
	if !isCUID(StandardRequestFormID) {
		t.Fatalf("%s is not a cuid", StandardRequestFormID)
	}
	var form formJSON
	status, msg := callJSON(t, ts, "GET", "/api/request-form/"+StandardRequestFormID, nil, &form)
	if status != http.StatusOK || form.Name != StandardRequestFormName {
		t.Fatalf("GET: %d %s %+v", status, msg, form)
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
	for _, id := range []string{"not-an-id", "12345", "C9X0STANDARDFORM00000001"} {
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
	dropdown := func(options ...any) map[string]any {
		return map[string]any{"type": "DROPDOWN", "label": "Pick", "required": true, "options": options}
	}
	opt := func(v string) map[string]any { return map[string]any{"value": v} }
	event := func(typ string, params map[string]any) map[string]any {
		e := map[string]any{"type": typ}
		if params != nil {
			e["params"] = params
		}
		return e
	}
	policyWith := func(defaultEvent any) map[string]any {
		return map[string]any{"version": "1", "rules": []any{}, "defaultEvent": defaultEvent}
	}
	approvers := func(list ...any) map[string]any {
		return map[string]any{"approvers": list, "approvalMode": "ANY"}
	}
	approver := func(typ, id string) map[string]any { return map[string]any{"type": typ, "id": id} }
	rule := map[string]any{
		"conditions": map[string]any{"all": []any{map[string]any{"fact": "answers.Team", "operator": "equal", "value": "A"}}},
		"event":      event("approve", map[string]any{"comment": "team A"}),
	}

	cases := []struct {
		name   string
		fields []any
		policy any
		extra  map[string]any
		want   string // "" means accepted
	}{
		{"missing fields", nil, approvePolicy("ok"), nil, "fields should not be empty"},
		{"no fields", []any{}, approvePolicy("ok"), nil, "fields must contain at least 1 elements"},
		{"bad type", []any{map[string]any{"type": "RADIO", "label": "Q", "required": true}}, approvePolicy("ok"), nil, "fields.0.type must be one of the following values"},
		{"options on TEXT", []any{map[string]any{"type": "TEXT", "label": "Q", "required": true, "options": []any{opt("a")}}}, approvePolicy("ok"), nil, "fields.0.options must be empty for a TEXT field"},
		{"dropdown without options", []any{dropdown()}, approvePolicy("ok"), nil, "fields.0.options must contain at least 1 elements"},
		{"duplicate option", []any{dropdown(opt("a"), opt("a"))}, approvePolicy("ok"), nil, `fields.0.options.1.value "a" appears twice`},
		{"blank option", []any{dropdown(opt(" "))}, approvePolicy("ok"), nil, "fields.0.options.0.value should not be empty"},
		{"duplicate label", []any{textField("Q"), textField("q")}, approvePolicy("ok"), nil, `fields.1.label "q" is already the label of fields.0`},
		{"blank label", []any{textField("  ")}, approvePolicy("ok"), nil, "fields.0.label should not be empty"},
		{"missing required", []any{map[string]any{"type": "TEXT", "label": "Q"}}, approvePolicy("ok"), nil, "fields.0.required must be a boolean value"},
		{"unknown field property", []any{map[string]any{"type": "TEXT", "label": "Q", "required": true, "hint": "x"}}, approvePolicy("ok"), nil, "property fields.0.hint should not exist"},
		{"access duration options", []any{map[string]any{"type": "ACCESS_DURATION", "label": "Q", "required": true, "options": []any{opt("1 DAYS")}}}, approvePolicy("ok"), nil, "fields.0.options must be empty for an ACCESS_DURATION field"},
		{"access duration optional", []any{map[string]any{"type": "ACCESS_DURATION", "label": "Q", "required": false}}, approvePolicy("ok"), nil, "fields.0.required must be true"},
		{"two access durations", []any{map[string]any{"type": "ACCESS_DURATION", "label": "Q", "required": true}, map[string]any{"type": "ACCESS_DURATION", "label": "R", "required": true}}, approvePolicy("ok"), nil, "at most one ACCESS_DURATION"},
		{"field id not a UUID", []any{map[string]any{"id": "x", "type": "TEXT", "label": "Q", "required": true}}, approvePolicy("ok"), nil, "fields.0.id must be a UUID"},
		{"repeated field id", []any{
			map[string]any{"id": "123e4567-e89b-12d3-a456-426614174000", "type": "TEXT", "label": "Q", "required": true},
			map[string]any{"id": "123e4567-e89b-12d3-a456-426614174000", "type": "TEXT", "label": "R", "required": true},
		}, approvePolicy("ok"), nil, "fields.1.id 123e4567-e89b-12d3-a456-426614174000 is already the id of fields.0"},
		{"missing policy", []any{textField("Q")}, nil, nil, "policy should not be empty"},
		{"missing version", []any{textField("Q")}, map[string]any{"rules": []any{}, "defaultEvent": event("delegate", nil)}, nil, "policy.version should not be empty"},
		{"missing defaultEvent", []any{textField("Q")}, map[string]any{"version": "1"}, nil, "policy.defaultEvent should not be empty"},
		{"unknown policy property", []any{textField("Q")}, map[string]any{"version": "1", "defaultEvent": event("delegate", nil), "x": 1}, nil, "property policy.x should not exist"},
		{"blank comment", []any{textField("Q")}, approvePolicy(" "), nil, "policy.defaultEvent.params.comment should not be empty"},
		{"duration without unit", []any{textField("Q")}, policyWith(event("approve", map[string]any{"comment": "ok", "duration": 3})), nil, "must be given together"},
		{"zero duration", []any{textField("Q")}, policyWith(event("approve", map[string]any{"comment": "ok", "duration": 0, "durationUnit": "DAYS"})), nil, "duration must not be less than 1"},
		{"fractional duration", []any{textField("Q")}, policyWith(event("approve", map[string]any{"comment": "ok", "duration": 1.5, "durationUnit": "DAYS"})), nil, "duration must be an integer number"},
		{"bad duration unit", []any{textField("Q")}, policyWith(event("approve", map[string]any{"comment": "ok", "duration": 1, "durationUnit": "SECONDS"})), nil, "durationUnit must be one of the following values: HOURS, DAYS, WEEKS, MONTHS, YEARS"},
		{"unknown event", []any{textField("Q")}, policyWith(event("deny", nil)), nil, "policy.defaultEvent.type must be one of the following values: approve, requestApproval, delegate"},
		{"no approvers", []any{textField("Q")}, policyWith(event("requestApproval", approvers())), nil, "approvers must contain at least 1 elements"},
		{"bad approval mode", []any{textField("Q")}, policyWith(event("requestApproval", map[string]any{"approvers": []any{approver("PERMISSION", "GOVERNANCE")}, "approvalMode": "SOME"})), nil, "approvalMode must be one of the following values: ALL, ANY"},
		{"unknown user", []any{textField("Q")}, policyWith(event("requestApproval", approvers(approver("USER", "123e4567-e89b-12d3-a456-426614174000")))), nil, `user "123e4567-e89b-12d3-a456-426614174000" not found`},
		{"unknown group", []any{textField("Q")}, policyWith(event("requestApproval", approvers(approver("GROUP", "999")))), nil, `group "999" not found`},
		{"unknown attribute", []any{textField("Q")}, policyWith(event("requestApproval", approvers(approver("ATTRIBUTE", "Department:Nope")))), nil, `attribute "Department:Nope" not found`},
		{"unknown permission", []any{textField("Q")}, policyWith(event("requestApproval", approvers(approver("PERMISSION", "ROOT")))), nil, "approvers.0.id must be one of the following values"},
		{"repeated approver", []any{textField("Q")}, policyWith(event("requestApproval", approvers(approver("PERMISSION", "GOVERNANCE"), approver("PERMISSION", "GOVERNANCE")))), nil, "approvers.1 is a duplicate"},
		{"approver type", []any{textField("Q")}, policyWith(event("requestApproval", approvers(approver("ROLE", "x")))), nil, "approvers.0.type must be one of the following values"},
		{"delegate with rules", []any{textField("Q")}, map[string]any{"version": "1", "rules": []any{rule}, "defaultEvent": event("delegate", nil)}, nil, "policy.rules must be empty when the default event is delegate"},
		{"delegate with params", []any{textField("Q")}, policyWith(map[string]any{"type": "delegate", "params": map[string]any{}}), nil, "property policy.defaultEvent.params should not exist"},
		{"delegate in a rule", []any{textField("Q")}, map[string]any{"version": "1", "rules": []any{map[string]any{"conditions": map[string]any{"any": []any{}}, "event": event("delegate", nil)}}, "defaultEvent": event("approve", map[string]any{"comment": "ok"})}, nil, "policy.rules.0.event.type must be one of the following values: approve, requestApproval"},
		{"both all and any", []any{textField("Q")}, map[string]any{"version": "1", "rules": []any{map[string]any{"conditions": map[string]any{"any": []any{}, "all": []any{}}, "event": event("approve", map[string]any{"comment": "ok"})}}, "defaultEvent": event("approve", map[string]any{"comment": "ok"})}, nil, "must have either all or any, not both"},
		{"condition without fact", []any{textField("Q")}, map[string]any{"version": "1", "rules": []any{map[string]any{"conditions": map[string]any{"all": []any{map[string]any{"operator": "equal", "value": 1}}}, "event": event("approve", map[string]any{"comment": "ok"})}}, "defaultEvent": event("approve", map[string]any{"comment": "ok"})}, nil, "policy.rules.0.conditions.all.0.fact should not be empty"},
		{"unknown agreement", []any{textField("Q")}, approvePolicy("ok"), map[string]any{"dataUseAgreementIds": []any{"123e4567-e89b-12d3-a456-426614174000"}}, "data use agreement 123e4567-e89b-12d3-a456-426614174000 not found"},
		{"agreement id not a UUID", []any{textField("Q")}, approvePolicy("ok"), map[string]any{"dataUseAgreementIds": []any{"x"}}, "dataUseAgreementIds must be a UUID"},
		{"unknown property", []any{textField("Q")}, approvePolicy("ok"), map[string]any{"owner": "me"}, "property owner should not exist"},
		// Accepted: every approver kind, a rule, a delegate.
		{"all approver kinds", []any{textField("Q")}, policyWith(event("requestApproval", map[string]any{"approvalMode": "ALL", "approvers": []any{
			approver("USER", "44509dec-9b50-50fd-af68-e366e731fcf4"), approver("GROUP", "1"), approver("ATTRIBUTE", "Department:Sales"),
			approver("PERMISSION", "GOVERNANCE"), approver("DOMAIN_PERMISSION", "MANAGE_DATA_PRODUCTS"),
		}})), nil, ""},
		{"rules", []any{dropdown(opt("A"), opt("B"))}, map[string]any{"version": "1", "rules": []any{rule}, "defaultEvent": event("requestApproval", approvers(approver("GROUP", "2")))}, nil, ""},
		{"delegate", []any{textField("Q")}, map[string]any{"version": "1", "defaultEvent": event("delegate", nil)}, nil, ""},
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
		Fields: []FormField{{Type: FieldText, Label: "Q", Required: true}},
		Policy: Policy{Version: "1", DefaultEvent: PolicyEvent{Type: EventDelegate}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !isUUID(f.ID) || !isUUID(f.Fields[0].ID) || !isUUID(f.Version) {
		t.Fatalf("seeded form lacks ids: %+v", f)
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
	if status, _ := callJSON(t, ts, "GET", "/api/request-form?name=Lagging", nil, &page); status != http.StatusOK || len(page.Data) != 1 {
		t.Errorf("list inside the lag: %d, %d forms, want 200 and 1", status, len(page.Data))
	}
	if status, msg := callJSON(t, ts, "PUT", "/api/request-form/"+id, map[string]any{
		"name": "Lagging", "fields": []any{textField("Purpose")}, "policy": approvePolicy("still ok"),
	}, nil); status != http.StatusOK {
		t.Errorf("PUT inside the lag: %d %s, want 200", status, msg)
	}
	ts.SetReadAfterWriteLag(0)
	if status, _ := callJSON(t, ts, "GET", "/api/request-form/"+id, nil, nil); status != http.StatusOK {
		t.Errorf("GET by id after the lag: %d, want 200", status)
	}
}
