package marketplacetest

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

func messages(out map[string]any) string {
	switch m := out["message"].(type) {
	case []any:
		parts := make([]string, len(m))
		for i, p := range m {
			parts[i] = fmt.Sprint(p)
		}
		return strings.Join(parts, "|")
	default:
		return fmt.Sprint(m)
	}
}

func TestCreateAgreementValidation(t *testing.T) {
	s := New(Options{})
	cases := []struct {
		body, want string
	}{
		{`{}`, "name should not be empty|name must be a string|body should not be empty|body must be a string"},
		{`{"name":" ","body":"b"}`, "name should not be empty"},
		{`{"name":"` + strings.Repeat("n", 256) + `","body":"b"}`, "name must be shorter than or equal to 255 characters"},
		{`{"name":"n","body":"b","id":"nope"}`, "id must be a UUID"},
		{`{"name":"n","body":"b","extra":1}`, "property extra should not exist"},
		{`{"name":1,"body":"b"}`, "name must be a string"},
		{`[1]`, "request body must be a JSON object"},
		{`{"name":`, "Unexpected token in JSON"},
	}
	for _, c := range cases {
		code, out, raw := call(t, s, "POST", "/api/data-use-agreement", DefaultToken, c.body)
		if code != 400 || !strings.Contains(messages(out), c.want) || out["error"] != "Bad Request" {
			t.Errorf("POST %s: got %d %s, want 400 with %q", c.body, code, raw, c.want)
		}
	}
	if n := len(s.DataUseAgreements()); n != 0 {
		t.Errorf("invalid creates stored %d agreements", n)
	}
}

func TestAgreementLifecycle(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	s := New(Options{Now: func() time.Time { return now }})
	id := "0B6C3F52-8F0E-4A57-9A53-4F2F1E7B2C11"
	code, out, raw := call(t, s, "POST", "/api/data-use-agreement", DefaultToken, `{"id":"`+id+`","name":"Terms","body":"text"}`)
	if code != 201 {
		t.Fatalf("create: %d %s", code, raw)
	}
	lower := strings.ToLower(id)
	if out["id"] != lower || out["createdAt"] != "2026-01-02T03:04:05.006Z" {
		t.Errorf("create answered %s", raw)
	}
	by, _ := out["createdBy"].(map[string]any)
	if by["globalUserId"] != DefaultFixture().Users[0].GlobalUserID {
		t.Errorf("createdBy %v", by)
	}
	for dup, want := range map[string]string{
		`{"id":"` + lower + `","name":"Other","body":"x"}`: "Data use agreement with id already exists.",
		`{"name":"Terms","body":"x"}`:                      "There is already a data use agreement with this name.",
	} {
		if code, out, _ := call(t, s, "POST", "/api/data-use-agreement", DefaultToken, dup); code != 409 || out["error"] != "Conflict" || out["message"] != want {
			t.Errorf("duplicate %s: %d %v, want 409 %q", dup, code, out, want)
		}
	}
	// Names are unique on PUT too, case-sensitively; an agreement keeps
	// its own name.
	other, err := s.SeedDataUseAgreement("Other terms", "b")
	if err != nil {
		t.Fatal(err)
	}
	if code, out, _ := call(t, s, "PUT", "/api/data-use-agreement/"+other.ID, DefaultToken, `{"name":"Terms","body":"x"}`); code != 409 || out["message"] != AgreementNameConflict {
		t.Errorf("rename to a taken name: %d %v", code, out)
	}
	for _, body := range []string{`{"name":"terms","body":"x"}`, `{"name":"Other terms","body":"y"}`} {
		if code, _, raw := call(t, s, "PUT", "/api/data-use-agreement/"+other.ID, DefaultToken, body); code != 201 {
			t.Errorf("PUT %s: %d %s", body, code, raw)
		}
	}
	if code, _, _ := call(t, s, "GET", "/api/data-use-agreement/not-a-uuid", DefaultToken, ""); code != 400 {
		t.Errorf("malformed id got %d", code)
	}
	if code, _, _ := call(t, s, "GET", "/api/data-use-agreement/123e4567-e89b-12d3-a456-426614174000", DefaultToken, ""); code != 404 {
		t.Errorf("unknown id got %d", code)
	}
	now = now.Add(time.Minute)
	code, out, raw = call(t, s, "PUT", "/api/data-use-agreement/"+lower, DefaultToken, `{"name":"Terms 2","body":"new"}`)
	if code != 201 || out["name"] != "Terms 2" || out["createdAt"] != "2026-01-02T03:04:05.006Z" || out["updatedAt"] != "2026-01-02T03:05:05.006Z" {
		t.Errorf("update: %d %s", code, raw)
	}
	if code, _, _ := call(t, s, "PUT", "/api/data-use-agreement/"+lower, DefaultToken, `{"id":"`+lower+`","name":"x","body":"y"}`); code != 400 {
		t.Errorf("PUT with id got %d; PUT takes name and body only", code)
	}
	// Either property alone is an update; the other is kept.
	if code, out, raw := call(t, s, "PUT", "/api/data-use-agreement/"+lower, DefaultToken, `{"body":"newer"}`); code != 201 || out["name"] != "Terms 2" || out["body"] != "newer" {
		t.Errorf("body-only update: %d %s", code, raw)
	}
	if code, out, _ := call(t, s, "PUT", "/api/data-use-agreement/"+lower, DefaultToken, `{"name":" "}`); code != 400 || messages(out) != "name should not be empty" {
		t.Errorf("blank name: %d %v", code, out)
	}
	if code, _, raw := call(t, s, "DELETE", "/api/data-use-agreement/"+lower, DefaultToken, ""); code != 204 || len(raw) != 0 {
		t.Errorf("delete got %d %q, want 204 without a body", code, raw)
	}
	if code, _, _ := call(t, s, "DELETE", "/api/data-use-agreement/"+lower, DefaultToken, ""); code != 404 {
		t.Errorf("second delete got %d", code)
	}
}

func TestListAgreements(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := New(Options{Now: func() time.Time { now = now.Add(time.Second); return now }})
	for _, n := range []string{"Sales terms", "Research", "sales EU terms", "HR"} {
		if _, err := s.SeedDataUseAgreement(n, "b"); err != nil {
			t.Fatal(err)
		}
	}
	names := func(query string) string {
		t.Helper()
		code, out, raw := call(t, s, "GET", "/api/data-use-agreement?"+query, DefaultToken, "")
		if code != 200 {
			t.Fatalf("?%s: %d %s", query, code, raw)
		}
		data, _ := out["data"].([]any)
		var got []string
		for _, d := range data {
			a, _ := d.(map[string]any)
			got = append(got, fmt.Sprint(a["name"]))
		}
		return strings.Join(got, ",")
	}
	code, out, raw := call(t, s, "GET", "/api/data-use-agreement?nameFilter=sales&limit=1&offset=1", DefaultToken, "")
	if code != 200 {
		t.Fatalf("%d %s", code, raw)
	}
	data, _ := out["data"].([]any)
	meta, _ := out["meta"].(map[string]any)
	if len(data) != 1 || meta["totalCount"] != float64(2) || meta["totalPages"] != float64(2) || meta["currentPage"] != float64(2) {
		t.Errorf("page: %s", raw)
	}
	if first, _ := data[0].(map[string]any); first["name"] != "sales EU terms" {
		t.Errorf("sorted page 2 is %v", first["name"])
	}
	for query, want := range map[string]string{
		"nameFilter=Sales%20terms&exactMatch=true": "Sales terms",
		"nameFilter=sales%20terms&exactMatch=true": "",
		"nameFilter=TERMS":                         "Sales terms,sales EU terms",
		"sortOrder=desc":                           "sales EU terms,Sales terms,Research,HR",
		"sortBy=createdAt":                         "Sales terms,Research,sales EU terms,HR",
		"sortBy=createdAt&sortOrder=desc":          "HR,sales EU terms,Research,Sales terms",
		"sortBy=name&sortOrder=asc":                "HR,Research,Sales terms,sales EU terms",
	} {
		if got := names(query); got != want {
			t.Errorf("?%s: %s, want %s", query, got, want)
		}
	}
	if err := s.UpdateDataUseAgreement(s.DataUseAgreements()[1].ID, func(*DataUseAgreement) {}); err != nil { // Research
		t.Fatal(err)
	}
	if got := names("sortBy=updatedAt&sortOrder=desc"); !strings.HasPrefix(got, "Research,") {
		t.Errorf("latest update first: %s", got)
	}
	for q, want := range map[string]string{
		"limit=0":          "limit must not be less than 1",
		"offset=-1":        "offset must not be less than 0",
		"limit=x":          "limit must be an integer number",
		"exactMatch=yes":   "exactMatch must be a boolean value",
		"sortBy=id":        "sortBy must be one of the following values: name, createdAt, updatedAt",
		"sortOrder=up":     "sortOrder must be one of the following values: asc, desc",
		"name=Sales":       "property name should not exist",
		"searchText=Sales": "property searchText should not exist",
	} {
		if code, out, _ := call(t, s, "GET", "/api/data-use-agreement?"+q, DefaultToken, ""); code != 400 || messages(out) != want {
			t.Errorf("?%s got %d %v, want 400 %q", q, code, out, want)
		}
	}
	s.SetMaxPageSize(3)
	_, out, _ = call(t, s, "GET", "/api/data-use-agreement?limit=100", DefaultToken, "")
	if meta, _ := out["meta"].(map[string]any); meta["limit"] != float64(3) {
		t.Errorf("limit not clamped: %v", out["meta"])
	}
}

// Every agreement answer has exactly the contract's properties.
func TestAgreementResponseShape(t *testing.T) {
	s := New(Options{})
	_, created, _ := call(t, s, "POST", "/api/data-use-agreement", DefaultToken, `{"name":"n","body":"b"}`)
	_, listed, _ := call(t, s, "GET", "/api/data-use-agreement", DefaultToken, "")
	data, _ := listed["data"].([]any)
	item, _ := data[0].(map[string]any)
	for _, a := range []map[string]any{created, item} {
		var keys []string
		for k := range a {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if strings.Join(keys, ",") != "body,createdAt,createdBy,id,name,updatedAt,updatedBy" {
			t.Errorf("keys %v", keys)
		}
		for _, by := range []string{"createdBy", "updatedBy"} {
			ref, _ := a[by].(map[string]any)
			if len(ref) != 2 || !isUUID(fmt.Sprint(ref["globalUserId"])) || ref["name"] == "" {
				t.Errorf("%s %v", by, ref)
			}
		}
	}
	id := fmt.Sprint(created["id"])
	code, _, raw := call(t, s, "GET", "/api/data-use-agreement/"+id+"/request-forms", DefaultToken, "")
	if code != 200 || string(raw) != "[]\n" {
		t.Errorf("request forms: %d %s", code, raw)
	}
}

func TestAgreementOutOfBandAPI(t *testing.T) {
	s := New(Options{})
	a, err := s.SeedDataUseAgreement("Seeded", "b")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SeedDataUseAgreement("Seeded", "c"); err == nil {
		t.Error("seeding a duplicate name succeeded")
	}
	if err := s.UpdateDataUseAgreement(a.ID, func(x *DataUseAgreement) { x.Body = "changed"; x.ID = "ignored" }); err != nil {
		t.Fatal(err)
	}
	got, ok := s.DataUseAgreement(a.ID)
	if !ok || got.Body != "changed" || got.ID != a.ID {
		t.Errorf("after update: %+v", got)
	}
	if err := s.DeleteDataUseAgreement(a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDataUseAgreement(a.ID); err == nil {
		t.Error("deleting twice succeeded")
	}
}
