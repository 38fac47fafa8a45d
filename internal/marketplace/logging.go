package marketplace

import (
	"bytes"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
)

// maxLoggedBody bounds how much of a body goes into a debug line.
const maxLoggedBody = 4096

// redacted replaces the value of every secret header in logs.
const redacted = "[REDACTED]"

// secretHeaders are never logged with their values.
var secretHeaders = map[string]bool{
	"Authorization": true,
	"Cookie":        true,
	"Set-Cookie":    true,
}

// loggingTransport logs each attempt of each request, with the request's
// context, and with secret headers redacted.
type loggingTransport struct {
	next   http.RoundTripper
	logger Logger
	redact redactor
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.logger == nil {
		return t.next.RoundTrip(req)
	}
	ctx := req.Context()
	if l, ok := t.logger.(LevelLogger); ok && !l.DebugEnabled(ctx) {
		// Nobody reads these lines: skip rendering headers and copying
		// bodies, which cost more than the request itself.
		return t.next.RoundTrip(req)
	}
	red := t.redact.forContext(ctx)
	fields := map[string]any{
		"method":          req.Method,
		"url":             red.text(req.URL.String()),
		"request_headers": red.text(RedactHeaders(req.Header)),
	}
	if req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			fields["request_body"] = red.text(readForLog(body))
		}
	}
	t.logger.Debug(ctx, "Marketplace API request", fields)

	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	out := map[string]any{
		"method":      req.Method,
		"url":         red.text(req.URL.String()),
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if err != nil {
		out["error"] = red.text(err.Error())
		t.logger.Debug(ctx, "Marketplace API request failed", out)
		return resp, err
	}
	out["status"] = resp.StatusCode
	out["response_headers"] = red.text(RedactHeaders(resp.Header))
	// Read the body for the log and hand an identical copy on.
	data, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	if readErr == nil {
		out["response_body"] = red.text(truncate(string(data)))
	}
	t.logger.Debug(ctx, "Marketplace API response", out)
	return resp, nil
}

// RedactHeaders renders headers as one string with every secret value
// replaced, for logging.
func RedactHeaders(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := strings.Join(h.Values(k), ", ")
		if secretHeaders[http.CanonicalHeaderKey(k)] {
			v = redacted
		}
		parts = append(parts, k+": "+v)
	}
	return strings.Join(parts, "; ")
}

func readForLog(r io.ReadCloser) string {
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, maxLoggedBody+1))
	if err != nil {
		return ""
	}
	return truncate(string(data))
}

func truncate(s string) string {
	if len(s) > maxLoggedBody {
		return s[:maxLoggedBody] + "…(truncated)"
	}
	return s
}
