package marketplacetest

import (
	"fmt"
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
	for _, dup := range []string{`{"id":"` + lower + `","name":"Other","body":"x"}`, `{"name":"Terms","body":"x"}`} {
		if code, out, _ := call(t, s, "POST", "/api/data-use-agreement", DefaultToken, dup); code != 409 || out["error"] != "Conflict" {
			t.Errorf("duplicate %s: %d %v", dup, code, out)
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
	if code != 200 || out["name"] != "Terms 2" || out["createdAt"] != "2026-01-02T03:04:05.006Z" || out["updatedAt"] != "2026-01-02T03:05:05.006Z" {
		t.Errorf("update: %d %s", code, raw)
	}
	if code, _, _ := call(t, s, "PUT", "/api/data-use-agreement/"+lower, DefaultToken, `{"id":"`+lower+`","name":"x","body":"y"}`); code != 400 {
		t.Errorf("PUT with id got %d; PUT takes name and body only", code)
	}
	if code, _, _ := call(t, s, "DELETE", "/api/data-use-agreement/"+lower, DefaultToken, ""); code != 204 {
		t.Errorf("delete got %d", code)
	}
	if code, _, _ := call(t, s, "DELETE", "/api/data-use-agreement/"+lower, DefaultToken, ""); code != 404 {
		t.Errorf("second delete got %d", code)
	}
}

func TestListAgreements(t *testing.T) {
	s := New(Options{})
	for _, n := range []string{"Sales terms", "Research", "sales EU terms", "HR"} {
		if _, err := s.SeedDataUseAgreement(n, "b"); err != nil {
			t.Fatal(err)
		}
	}
	code, out, raw := call(t, s, "GET", "/api/data-use-agreement?name=sales&limit=1&offset=1", DefaultToken, "")
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
	_, out, _ = call(t, s, "GET", "/api/data-use-agreement?name=Sales%20terms&exactMatch=true", DefaultToken, "")
	if data, _ := out["data"].([]any); len(data) != 1 {
		t.Errorf("exact match returned %v", out["data"])
	}
	_, out, _ = call(t, s, "GET", "/api/data-use-agreement?sortOrder=desc", DefaultToken, "")
	data, _ = out["data"].([]any)
	if first, _ := data[0].(map[string]any); len(data) != 4 || first["name"] != "sales EU terms" {
		t.Errorf("desc order: %v", out["data"])
	}
	for _, q := range []string{"limit=0", "offset=-1", "limit=x", "exactMatch=yes", "sortBy=createdAt", "sortOrder=up"} {
		if code, _, _ := call(t, s, "GET", "/api/data-use-agreement?"+q, DefaultToken, ""); code != 400 {
			t.Errorf("?%s got %d", q, code)
		}
	}
	s.SetMaxPageSize(3)
	_, out, _ = call(t, s, "GET", "/api/data-use-agreement?limit=100", DefaultToken, "")
	if meta, _ := out["meta"].(map[string]any); meta["limit"] != float64(3) {
		t.Errorf("limit not clamped: %v", out["meta"])
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
