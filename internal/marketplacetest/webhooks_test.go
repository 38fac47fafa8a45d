package marketplacetest

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// callWebhook is call with a JSON content type on bodies.
func callWebhook(t *testing.T, s *Server, method, path, body string) (int, map[string]any, []byte) {
	t.Helper()
	req := httptest.NewRequestWithContext(context.Background(), method, BasePath+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	raw := rec.Body.Bytes()
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return rec.Code, out, raw
}

// appAdminID is the default fixture's application admin, the only kind
// of user that may configure webhooks.
func appAdminID(t *testing.T) string {
	t.Helper()
	for _, u := range DefaultFixture().Users {
		if slices.Contains(u.Permissions, PermissionApplicationAdmin) {
			return u.GlobalUserID
		}
	}
	t.Fatal("the default fixture has no application admin")
	return ""
}

func newWebhookServer(t *testing.T) *Server {
	t.Helper()
	return NewTestServer(t, Options{CallerGlobalUserID: appAdminID(t)}).Server
}

func TestWebhookLifecycle(t *testing.T) {
	s := newWebhookServer(t)
	code, out, raw := callWebhook(t, s, "POST", "/api/notification/webhook",
		`{"url":"https://hooks.example.com/immuta","signingKey":"s3cret"}`)
	if code != 200 {
		t.Fatalf("create: %d %s", code, raw)
	}
	id, _ := out["id"].(string)
	if !isUUID(id) || out["verifyTls"] != true || out["signingKey"] != true || out["suppressed"] != false {
		t.Errorf("create answered %s", raw)
	}
	if strings.Contains(string(raw), "s3cret") {
		t.Errorf("the answer shows the signing key: %s", raw)
	}
	stored, ok := s.Webhook(id)
	if !ok || stored.SigningKey != "s3cret" {
		t.Fatalf("stored %+v", stored)
	}

	// An update without signingKey keeps the key.
	code, out, raw = callWebhook(t, s, "PUT", "/api/notification/webhook/"+id,
		`{"url":"https://hooks.example.com/v2","verifyTls":false}`)
	if code != 200 || out["url"] != "https://hooks.example.com/v2" || out["verifyTls"] != false || out["signingKey"] != true {
		t.Fatalf("update: %d %s", code, raw)
	}
	if h, _ := s.Webhook(id); h.SigningKey != "s3cret" {
		t.Errorf("an update without signingKey changed the key to %q", h.SigningKey)
	}
	// An empty key removes it.
	if code, out, raw = callWebhook(t, s, "PUT", "/api/notification/webhook/"+id, `{"signingKey":""}`); code != 200 || out["signingKey"] != false {
		t.Errorf("clear key: %d %s", code, raw)
	}

	code, _, raw = callWebhook(t, s, "GET", "/api/notification/webhook", "")
	if code != 200 || !strings.HasPrefix(string(raw), "[") || !strings.Contains(string(raw), id) {
		t.Errorf("list: %d %s", code, raw)
	}

	code, out, raw = callWebhook(t, s, "POST", "/api/notification/webhook/"+id+"/test", "")
	if code != 200 || out["status"] != "SUCCESS" || out["httpStatusCode"] != float64(200) {
		t.Errorf("test: %d %s", code, raw)
	}
	code, out, raw = callWebhook(t, s, "GET", "/api/notification/webhook/"+id+"/history?limit=5", "")
	data, _ := out["data"].([]any)
	if code != 200 || len(data) != 1 {
		t.Errorf("history: %d %s", code, raw)
	}

	code, out, raw = callWebhook(t, s, "POST", "/api/notification/webhook/test", `{"url":"http://localhost:8080/hook"}`)
	if code != 200 || out["status"] != "FAILED" {
		t.Errorf("config test: %d %s", code, raw)
	}

	if code, _, raw = callWebhook(t, s, "DELETE", "/api/notification/webhook/"+id, ""); code != 204 || len(raw) != 0 {
		t.Errorf("delete: %d %s", code, raw)
	}
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		body := ""
		if m == "PUT" {
			body = `{"url":"https://x.example.com"}`
		}
		if code, out, raw = callWebhook(t, s, m, "/api/notification/webhook/"+id, body); code != 404 || !strings.Contains(messages(out), "not found") {
			t.Errorf("%s after delete: %d %s", m, code, raw)
		}
	}
	if code, out, _ = callWebhook(t, s, "GET", "/api/notification/webhook/nope", ""); code != 400 || messages(out) != uuidPathError {
		t.Errorf("non-UUID id: %d %v", code, out)
	}
}

func TestWebhookValidation(t *testing.T) {
	s := New(Options{CallerGlobalUserID: appAdminID(t)})
	cases := []struct{ body, want string }{
		{`{}`, "url must be a URL address|url should not be empty"},
		{`{"url":""}`, "url should not be empty"},
		{`{"url":"not a url"}`, "url must be a URL address"},
		{`{"url":"ftp://example.com/x"}`, "url must be a URL address"},
		{`{"url":"https://"}`, "url must be a URL address"},
		{`{"url":1}`, "url must be a string"},
		{`{"url":"https://example.com","verifyTls":"yes"}`, "verifyTls must be a boolean value"},
		{`{"url":"https://example.com","suppressed":true}`, "property suppressed should not exist"},
		{`{"url":"https://example.com","id":"0b6c3f52-8f0e-4a57-9a53-4f2f1e7b2c11"}`, "property id should not exist"},
		{`{"url":"https://example.com","signingKey":"` + strings.Repeat("k", MaxWebhookSigningKeyLength+1) + `"}`, "signingKey must be shorter"},
	}
	for _, c := range cases {
		code, out, raw := callWebhook(t, s, "POST", "/api/notification/webhook", c.body)
		if code != 400 || !strings.Contains(messages(out), c.want) {
			t.Errorf("POST %.80s: got %d %s, want 400 with %q", c.body, code, raw, c.want)
		}
	}
	if code, out, raw := callWebhook(t, s, "GET", "/api/notification/webhook?limit=1", ""); code != 400 || messages(out) != "property limit should not exist" {
		t.Errorf("list with a query: %d %s", code, raw)
	}
	// Without a JSON content type the body is not read, as with Express.
	if code, out, raw := call(t, s, "POST", "/api/notification/webhook", DefaultToken, `{"url":"https://example.com"}`); code != 400 || !strings.Contains(messages(out), "url should not be empty") {
		t.Errorf("a body without a content type: %d %s", code, raw)
	}
	if n := len(s.Webhooks()); n != 0 {
		t.Errorf("invalid creates stored %d webhooks", n)
	}
}

func TestWebhooksNeedApplicationAdmin(t *testing.T) {
	s := New(Options{}) // the default caller is a governor, not an admin
	h, err := s.SeedWebhook(Webhook{URL: "https://example.com/hook"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][3]string{
		{"GET", "/api/notification/webhook", ""},
		{"POST", "/api/notification/webhook", `{"url":"https://example.com"}`},
		{"GET", "/api/notification/webhook/" + h.ID, ""},
		{"PUT", "/api/notification/webhook/" + h.ID, `{"url":"https://example.com"}`},
		{"DELETE", "/api/notification/webhook/" + h.ID, ""},
		{"POST", "/api/notification/webhook/" + h.ID + "/test", ""},
	} {
		if code, out, raw := callWebhook(t, s, c[0], c[1], c[2]); code != 403 || messages(out) != ForbiddenMessage {
			t.Errorf("%s %s: %d %s, want 403", c[0], c[1], code, raw)
		}
	}
}

func TestWebhookGoAPI(t *testing.T) {
	s := New(Options{})
	h, err := s.SeedWebhook(Webhook{URL: "https://example.com/hook", VerifyTLS: true, SigningKey: "k1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SeedWebhook(Webhook{URL: "not a url"}); err == nil {
		t.Error("seeded a webhook with a bad URL")
	}
	if err := s.UpdateWebhook(h.ID, func(w *Webhook) { w.SigningKey, w.Suppressed = "k2", true }); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Webhook(h.ID); got.SigningKey != "k2" || !got.Suppressed {
		t.Errorf("after update: %+v", got)
	}
	if err := s.DeleteWebhook(h.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteWebhook(h.ID); err == nil {
		t.Error("deleted a webhook twice")
	}
}
