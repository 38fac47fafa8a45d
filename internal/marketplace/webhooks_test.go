package marketplace

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// newWebhookClient returns a client for a fresh emulator whose caller is
// an application admin (only they may configure webhooks).
func newWebhookClient(t *testing.T) (*Client, *marketplacetest.TestServer) {
	t.Helper()
	var admin string
	for _, u := range marketplacetest.DefaultFixture().Users {
		if slices.Contains(u.Permissions, marketplacetest.PermissionApplicationAdmin) {
			admin = u.GlobalUserID
		}
	}
	srv := marketplacetest.NewTestServer(t, marketplacetest.Options{CallerGlobalUserID: admin})
	c, err := New(Config{BaseURL: srv.Endpoint(), Token: srv.Token()})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func TestWebhookRoundTrip(t *testing.T) {
	c, srv := newWebhookClient(t)
	ctx := context.Background()
	key := "first-signing-key"
	created, err := c.CreateWebhook(ctx, WebhookInput{URL: "https://hooks.example.com/a", VerifyTLS: true, SigningKey: &key})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || !created.SigningKey || !created.TLSVerified() || created.Suppressed {
		t.Errorf("created %+v", created)
	}
	if h, _ := srv.Webhook(created.ID); h.SigningKey != key {
		t.Errorf("stored key %q", h.SigningKey)
	}
	// No key in the input keeps the stored one.
	updated, err := c.UpdateWebhook(ctx, created.ID, WebhookInput{URL: "https://hooks.example.com/b", VerifyTLS: false})
	if err != nil {
		t.Fatal(err)
	}
	if updated.URL != "https://hooks.example.com/b" || updated.TLSVerified() || !updated.SigningKey {
		t.Errorf("updated %+v", updated)
	}
	if h, _ := srv.Webhook(created.ID); h.SigningKey != key {
		t.Errorf("an update without a key changed it to %q", h.SigningKey)
	}
	all, err := c.ListWebhooks(ctx)
	if err != nil || len(all) != 1 || all[0].ID != created.ID {
		t.Errorf("list %+v, %v", all, err)
	}
	res, err := c.TestWebhook(ctx, created.ID)
	if err != nil || res.Status != WebhookTestSuccess || res.HTTPStatusCode != 200 {
		t.Errorf("test %+v, %v", res, err)
	}
	history, err := c.WebhookHistory(ctx, created.ID)
	if err != nil || len(history) != 1 || history[0].WebhookID != created.ID {
		t.Errorf("history %+v, %v", history, err)
	}
	res, err = c.TestWebhookConfig(ctx, WebhookInput{URL: "http://127.0.0.1:9/x", VerifyTLS: true})
	if err != nil || res.Status != WebhookTestFailed {
		t.Errorf("config test %+v, %v", res, err)
	}
	if err := c.DeleteWebhook(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetWebhook(ctx, created.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
}

// The signing key a request carries never reaches a log line or an error.
func TestWebhookSigningKeyRedacted(t *testing.T) {
	key := "k3y-" + strings.Repeat("x", 12)
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		// A service that echoes the request in its error.
		_, _ = w.Write([]byte(`{"message":"bad body {\"signingKey\":\"` + key + `\"}","statusCode":400}`))
	}))
	defer srv.Close()
	logger := &recordingLogger{}
	c, err := New(Config{BaseURL: srv.URL, Token: "token-of-some-length", Logger: logger, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateWebhook(context.Background(), WebhookInput{URL: "https://x.example.com", SigningKey: &key})
	if err == nil || strings.Contains(err.Error(), key) {
		t.Errorf("error %v", err)
	}
	body = strings.Join(logger.lines, "\n")
	if !strings.Contains(body, `"signingKey":"[REDACTED]"`) || strings.Contains(body, key) {
		t.Errorf("logs: %s", body)
	}
}

func TestWebhookTestResultNumericStatus(t *testing.T) {
	var r WebhookTestResult
	if err := r.UnmarshalJSON([]byte(`{"status":2,"httpStatusCode":500,"errorMessage":"boom"}`)); err != nil {
		t.Fatal(err)
	}
	if r.Status != WebhookTestFailed || r.HTTPStatusCode != 500 || r.ErrorMessage != "boom" {
		t.Errorf("%+v", r)
	}
}

func TestValidateWebhookURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://hooks.example.com/x": true,
		"http://localhost:8080/x":     true,
		"http://127.0.0.1/x":          true,
		"http://[::1]:9/x":            true,
		"http://hooks.example.com/x":  false,
		"ftp://example.com":           false,
		"not a url":                   false,
		"":                            false,
		"https://":                    false,
		"https://u:p@example.com/x":   false,
	} {
		if err := ValidateWebhookURL(raw); (err == nil) != ok {
			t.Errorf("ValidateWebhookURL(%q) = %v", raw, err)
		}
	}
}
