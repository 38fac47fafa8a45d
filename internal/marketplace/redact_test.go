package marketplace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// otherToken is a credential the client does not know; it is hidden too
// because it is shaped like one.
const otherToken = "eyJhbGciOiJIUzI1NiJ9.c29tZW9uZQ.c2lnbmF0dXJl"

func TestClientScrubsEchoedTokenFromErrorsAndLogs(t *testing.T) {
	bodies := []struct {
		name, contentType, body string
	}{
		{"json message", "application/json", `{"message":"invalid credentials: Bearer ` + testToken + `","error":"Bad Request","statusCode":400}`},
		{"json list", "application/json", `{"message":["token ` + testToken + ` rejected","Bearer ` + otherToken + `"],"error":"Bad Request","statusCode":400}`},
		{"json error text", "application/json", `{"message":"","error":"` + testToken + `","statusCode":400}`},
		{"html page", "text/html", `<html><body><h1>400</h1><p>invalid credentials: Bearer ` + testToken + `</p></body></html>`},
		{"plain text", "text/plain", `authorization=bearer ` + otherToken},
		{"undecodable success", "application/json", `{"id": "` + testToken},
	}
	for _, tc := range bodies {
		t.Run(tc.name, func(t *testing.T) {
			logger := &recordingLogger{}
			c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.Header().Set("WWW-Authenticate", "Bearer "+testToken)
				status := http.StatusBadRequest
				if tc.name == "undecodable success" {
					status = http.StatusOK
				}
				w.WriteHeader(status)
				_, _ = io.WriteString(w, tc.body)
			}, func(cfg *Config) { cfg.Logger = logger })
			_, err := c.GetDataUseAgreement(context.Background(), "a")
			if err == nil {
				t.Fatal("expected an error")
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("want an *APIError, got %T: %v", err, err)
			}
			text := fmt.Sprintf("%v %+v", err, *apiErr)
			for _, secret := range []string{testToken, otherToken} {
				if strings.Contains(text, secret) {
					t.Errorf("the error shows a token: %s", text)
				}
				if all := strings.Join(logger.lines, "\n"); strings.Contains(all, secret) {
					t.Errorf("the log shows a token:\n%s", all)
				}
			}
			if !strings.Contains(text, redacted) {
				t.Errorf("the error does not say where the token was: %s", text)
			}
		})
	}
}

func TestClientRefusesRedirectToAnotherOrigin(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.Errorf("the other origin received an Authorization header")
		}
		_, _ = io.WriteString(w, `{"id":"a","name":"n","body":"b"}`)
	}))
	t.Cleanup(other.Close)
	var calls atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	_, err := c.GetDataUseAgreement(context.Background(), "a")
	var refused *RedirectRefusedError
	if !errors.As(err, &refused) {
		t.Fatalf("want a refused redirect, got %v", err)
	}
	for _, want := range []string{other.URL + "/marketplace/api/data-use-agreement/a", "another origin", "GET /api/data-use-agreement/a"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error lacks %q: %v", want, err)
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the other origin received %d requests", n)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("a refused redirect is not retried: %d requests", n)
	}
}

func TestClientFollowsRedirectWithinItsOrigin(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("request to %s lacks the token", r.URL.Path)
		}
		if strings.HasSuffix(r.URL.Path, "/old") {
			http.Redirect(w, r, strings.TrimSuffix(r.URL.Path, "/old")+"/new", http.StatusPermanentRedirect)
			return
		}
		_, _ = io.WriteString(w, `{"id":"new","name":"n","body":"b"}`)
	})
	got, err := c.GetDataUseAgreement(context.Background(), "old")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "new" {
		t.Errorf("got %+v", got)
	}
}

func TestSameOrigin(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"https://na.api.immutacloud.com/marketplace", "https://NA.api.immutacloud.com:443/x", true},
		{"https://na.api.immutacloud.com/marketplace", "http://na.api.immutacloud.com/marketplace", false},
		{"https://na.api.immutacloud.com/marketplace", "https://eu.api.immutacloud.com/marketplace", false},
		{"http://127.0.0.1:8080/marketplace", "http://127.0.0.1:8081/marketplace", false},
		{"http://localhost/marketplace", "http://localhost:80/y", true},
	}
	for _, tc := range cases {
		a, b := mustParse(t, tc.a), mustParse(t, tc.b)
		if got := sameOrigin(a, b); got != tc.want {
			t.Errorf("sameOrigin(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestRedactorHidesBearerCredentials(t *testing.T) {
	r := redactor{secret: testToken}
	for in, want := range map[string]string{
		"Authorization: Bearer abc.def-ghi":  "Authorization: Bearer [REDACTED]",
		"bearer=abc":                         "Bearer [REDACTED]",
		"the token " + testToken + " is bad": "the token [REDACTED] is bad",
		"no secret here":                     "no secret here",
	} {
		if got := r.text(in); got != want {
			t.Errorf("text(%q) = %q, want %q", in, got, want)
		}
	}
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
