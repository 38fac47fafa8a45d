package marketplace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testToken = "secret-token-value"

// newTestClient returns a client for an httptest server with fast retries.
func newTestClient(t *testing.T, h http.HandlerFunc, mods ...func(*Config)) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := Config{
		BaseURL:      srv.URL + "/marketplace",
		Token:        testToken,
		UserAgent:    "test-agent/1.0",
		MaxRetries:   3,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
	}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writeNest(w http.ResponseWriter, status int, message any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"message":%s,"error":%q,"statusCode":%d}`, message, http.StatusText(status), status)
}

func TestClientSendsHeadersAndBody(t *testing.T) {
	var got *http.Request
	var body string
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":"a","name":"n","body":"b","createdBy":{"globalUserId":"u","name":"U"}}`)
	})
	a, err := c.CreateDataUseAgreement(context.Background(), DataUseAgreementInput{ID: "a", Name: "n", Body: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "a" || a.CreatedBy == nil || a.CreatedBy.GlobalUserID != "u" {
		t.Errorf("decoded %+v", a)
	}
	if got.Method != "POST" || got.URL.Path != "/marketplace/api/data-use-agreement" {
		t.Errorf("request %s %s", got.Method, got.URL.Path)
	}
	if h := got.Header.Get("Authorization"); h != "Bearer "+testToken {
		t.Errorf("Authorization %q", h)
	}
	if h := got.Header.Get("User-Agent"); h != "test-agent/1.0" {
		t.Errorf("User-Agent %q", h)
	}
	if h := got.Header.Get("Content-Type"); h != "application/json" {
		t.Errorf("Content-Type %q", h)
	}
	if body != `{"id":"a","name":"n","body":"b"}` {
		t.Errorf("body %s", body)
	}
}

func TestClientEscapesPathSegments(t *testing.T) {
	var raw string
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		raw = r.URL.EscapedPath()
		_, _ = io.WriteString(w, `{"id":"x"}`)
	})
	if _, err := c.GetDataUseAgreement(context.Background(), "a/b c"); err != nil {
		t.Fatal(err)
	}
	if raw != "/marketplace/api/data-use-agreement/a%2Fb%20c" {
		t.Errorf("escaped path %q", raw)
	}
}

func TestClientMapsErrors(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		message   string
		is        error
		wantInErr string
	}{
		{"unauthorized", 401, `"Not authenticated."`, nil, "HTTP 401 Unauthorized: Not authenticated."},
		{"not found", 404, `"Data use agreement x not found."`, ErrNotFound, "HTTP 404 Not Found: Data use agreement x not found."},
		{"conflict", 409, `"Data use agreement with name already exists."`, ErrConflict, "HTTP 409 Conflict: Data use agreement with name already exists."},
		{"validation list", 400, `["name should not be empty","body must be a string"]`, nil, "name should not be empty; body must be a string"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
				calls.Add(1)
				writeNest(w, tc.status, tc.message)
			})
			_, err := c.GetDataUseAgreement(context.Background(), "x")
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v is not an *APIError", err)
			}
			if apiErr.StatusCode != tc.status {
				t.Errorf("status %d", apiErr.StatusCode)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v, %v) is false", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.wantInErr) || !strings.Contains(err.Error(), "GET /api/data-use-agreement/x") {
				t.Errorf("error %q does not contain %q and the method and path", err, tc.wantInErr)
			}
			if calls.Load() != 1 {
				t.Errorf("a %d was sent %d times; client errors are not retried", tc.status, calls.Load())
			}
		})
	}
}

func TestClientRetriesRateLimitHonouringRetryAfter(t *testing.T) {
	var calls atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) <= 2 {
			w.Header().Set("Retry-After", "0")
			writeNest(w, http.StatusTooManyRequests, `"ThrottlerException: Too Many Requests"`)
			return
		}
		_, _ = io.WriteString(w, `{"id":"x","name":"n","body":"b"}`)
	})
	if _, err := c.GetDataUseAgreement(context.Background(), "x"); err != nil {
		t.Fatalf("expected success after two 429s: %v", err)
	}
	if calls.Load() != 3 {
		t.Errorf("sent %d requests, want 3", calls.Load())
	}
}

func TestClientRetriesServerErrorsThenReportsAttempts(t *testing.T) {
	var calls atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_, _ = io.ReadAll(r.Body)
		writeNest(w, http.StatusServiceUnavailable, `"Service Unavailable"`)
	}, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.CreateDataUseAgreement(context.Background(), DataUseAgreementInput{Name: "n", Body: "b"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("error %v, want a 503 APIError", err)
	}
	if calls.Load() != 3 || apiErr.Attempts != 3 {
		t.Errorf("sent %d requests, error says %d attempts; want 3", calls.Load(), apiErr.Attempts)
	}
	if !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("error %q does not say how many attempts", err)
	}
}

func TestClientRetryRecoversFromServerError(t *testing.T) {
	var calls atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		switch calls.Add(1) {
		case 1:
			writeNest(w, http.StatusBadGateway, `"Bad Gateway"`)
		case 2:
			writeNest(w, http.StatusInternalServerError, `"Internal server error"`)
		default:
			_, _ = io.WriteString(w, `{"id":"x"}`)
		}
	})
	if _, err := c.GetDataUseAgreement(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 {
		t.Errorf("sent %d requests, want 3", calls.Load())
	}
}

func TestClientRetriesDisabled(t *testing.T) {
	var calls atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		writeNest(w, http.StatusServiceUnavailable, `"down"`)
	}, func(cfg *Config) { cfg.MaxRetries = -1 })
	if _, err := c.GetDataUseAgreement(context.Background(), "x"); err == nil {
		t.Fatal("expected an error")
	}
	if calls.Load() != 1 {
		t.Errorf("sent %d requests with retries disabled", calls.Load())
	}
}

func TestClientSummarizesNonJSONErrors(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1>\n<p>upstream\n timed out</p></body></html>")
	}, func(cfg *Config) { cfg.MaxRetries = -1 })
	_, err := c.GetDataUseAgreement(context.Background(), "x")
	if err == nil || !strings.Contains(err.Error(), "HTTP 502 Bad Gateway: unexpected text/html response: 502 Bad Gateway upstream timed out") {
		t.Errorf("error %v", err)
	}
}

func TestClientRejectsUndecodableSuccess(t *testing.T) {
	for name, body := range map[string]string{"empty": "", "not json": "<html>ok</html>", "truncated": `{"id":`} {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, body)
			})
			_, err := c.GetDataUseAgreement(context.Background(), "x")
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 200 {
				t.Fatalf("error %v, want an APIError with status 200", err)
			}
		})
	}
}

func TestClientHonoursCancellationWhileWaiting(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		writeNest(w, http.StatusTooManyRequests, `"slow down"`)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.GetDataUseAgreement(ctx, "x")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the context's deadline", err)
	}
}

func TestClientTransportError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	c, err := New(Config{BaseURL: url, Token: testToken, MaxRetries: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetDataUseAgreement(context.Background(), "x")
	var te *TransportError
	if !errors.As(err, &te) || te.Attempts != 2 {
		t.Fatalf("error %v, want a TransportError after 2 attempts", err)
	}
}

func TestBackoff(t *testing.T) {
	now := time.Now()
	seven := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"7"}}, Body: http.NoBody}
	defer seven.Body.Close()
	if d := backoff(time.Second, time.Minute, 0, seven); d != 7*time.Second {
		t.Errorf("Retry-After: 7 gave %s", d)
	}
	date := now.Add(90 * time.Second).UTC().Format(http.TimeFormat)
	dated := &http.Response{StatusCode: 503, Header: http.Header{"Retry-After": {date}}, Body: http.NoBody}
	defer dated.Body.Close()
	if d := backoff(time.Second, time.Minute, 0, dated); d < 80*time.Second || d > 91*time.Second {
		t.Errorf("Retry-After: %s gave %s", date, d)
	}
	if d, ok := retryAfter(now.Add(-time.Hour).UTC().Format(http.TimeFormat), now); !ok || d != 0 {
		t.Errorf("a past date gave %s, %v", d, ok)
	}
	for _, bad := range []string{"", "soon", "-3", "1.5"} {
		if _, ok := retryAfter(bad, now); ok {
			t.Errorf("retryAfter(%q) parsed", bad)
		}
	}
	for attempt := range 10 {
		d := backoff(100*time.Millisecond, 2*time.Second, attempt, &http.Response{StatusCode: 503, Header: http.Header{}, Body: http.NoBody})
		ceiling := min(100*time.Millisecond<<attempt, 2*time.Second)
		if d < 50*time.Millisecond || d > ceiling {
			t.Errorf("attempt %d waited %s, want within [50ms, %s]", attempt, d, ceiling)
		}
	}
}

func TestValidateBaseURL(t *testing.T) {
	ok := []string{
		"https://na.api.immutacloud.com/marketplace",
		"http://127.0.0.1:8080/marketplace",
		"http://localhost:1/marketplace",
		"http://[::1]:8080/marketplace",
		"http://127.5.6.7/marketplace",
	}
	for _, u := range ok {
		if _, err := ValidateBaseURL(u); err != nil {
			t.Errorf("ValidateBaseURL(%q): %v", u, err)
		}
	}
	bad := map[string]string{
		"http://na.api.immutacloud.com/marketplace": "not loopback",
		"http://10.0.0.5/marketplace":               "not loopback",
		"ftp://example.com":                         "must use https",
		"":                                          "empty",
		"https:///marketplace":                      "no host",
		"https://x.example.com/m?x=1":               "query",
	}
	for u, want := range bad {
		if _, err := ValidateBaseURL(u); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateBaseURL(%q) = %v, want an error containing %q", u, err, want)
		}
	}
	if _, err := New(Config{BaseURL: "https://x.example.com", Token: " "}); err == nil {
		t.Error("New accepted a blank token")
	}
}

// recordingLogger keeps every line for inspection.
type recordingLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *recordingLogger) add(msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%s %v", msg, fields))
}

func (l *recordingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.add(msg, fields)
}
func (l *recordingLogger) Warn(_ context.Context, msg string, fields map[string]any) {
	l.add(msg, fields)
}

func TestClientLogsWithoutTheToken(t *testing.T) {
	logger := &recordingLogger{}
	var calls atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			writeNest(w, http.StatusServiceUnavailable, `"busy"`)
			return
		}
		_, _ = io.WriteString(w, `{"id":"x","name":"n","body":"b"}`)
	}, func(cfg *Config) { cfg.Logger = logger })
	if _, err := c.UpdateDataUseAgreement(context.Background(), "x", DataUseAgreementInput{Name: "n", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(logger.lines, "\n")
	if strings.Contains(all, testToken) {
		t.Fatalf("the token appears in the log:\n%s", all)
	}
	for _, want := range []string{"Authorization: [REDACTED]", "Marketplace API request", "retrying Marketplace API request", `{"name":"n","body":"b"}`, "status:200"} {
		if !strings.Contains(all, want) {
			t.Errorf("the log lacks %q:\n%s", want, all)
		}
	}
}
