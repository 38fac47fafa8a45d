package marketplace

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// ErrNotFound matches (with errors.Is) an APIError whose status is 404.
var ErrNotFound = errors.New("not found")

// ErrConflict matches (with errors.Is) an APIError whose status is 409.
var ErrConflict = errors.New("conflict")

// APIError is a response from the Marketplace API with a non-2xx status,
// or a 2xx response that could not be decoded.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	// Message is the service's message. Validation errors may carry
	// several messages; they are joined with "; ".
	Message string
	// RequestID is the request identifier the service sent, if any.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" " + text)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request id %s]", e.RequestID)
	}
	return b.String()
}

// Is lets errors.Is match ErrNotFound and ErrConflict by status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	}
	return false
}

// IsRouteMissing reports whether a 404 or 405 means the service has no
// such endpoint (rather than no such object). NestJS answers an unknown
// route with the message "Cannot <METHOD> <path>".
func (e *APIError) IsRouteMissing() bool {
	if e.StatusCode == http.StatusMethodNotAllowed {
		return true
	}
	return e.StatusCode == http.StatusNotFound && strings.HasPrefix(e.Message, "Cannot "+e.Method+" ")
}

// TransportError is a request that got no HTTP response: a refused
// connection, a reset, a timeout.
type TransportError struct {
	Method   string
	Path     string
	Attempts int
	Err      error
}

func (e *TransportError) Error() string {
	if e.Attempts > 1 {
		return fmt.Sprintf("%s %s: no response after %d attempts: %v", e.Method, e.Path, e.Attempts, e.Err)
	}
	return fmt.Sprintf("%s %s: no response: %v", e.Method, e.Path, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// errorBody is the NestJS error shape the Marketplace API uses:
// {"message": "..." | ["...", ...], "error": "Conflict", "statusCode": 409}.
type errorBody struct {
	Message    json.RawMessage `json:"message"`
	Error      string          `json:"error"`
	StatusCode int             `json:"statusCode"`
}

func newAPIError(method, path string, resp *http.Response, body []byte, attempts int) *APIError {
	e := &APIError{
		Method:     method,
		Path:       path,
		StatusCode: resp.StatusCode,
		RequestID:  firstHeader(resp.Header, "X-Request-Id", "X-Amzn-Requestid", "X-Amzn-Trace-Id"),
		Attempts:   attempts,
	}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		message := decodeMessage(eb.Message)
		if message == "" {
			message = eb.Error
		}
		if message != "" {
			e.Message = message
			return e
		}
	}
	e.Message = summarize(resp.Header.Get("Content-Type"), body)
	return e
}

// decodeMessage accepts a string, an array of strings, or anything else.
func decodeMessage(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, "; ")
	}
	return string(raw)
}

var (
	tagPattern   = regexp.MustCompile(`<[^>]*>`)
	spacePattern = regexp.MustCompile(`\s+`)
)

// summarize turns a body that is not the NestJS error shape (an HTML error
// page from a proxy, plain text, nothing) into one short line.
func summarize(contentType string, body []byte) string {
	text := string(body)
	if strings.Contains(contentType, "html") || strings.HasPrefix(strings.TrimSpace(text), "<") {
		text = tagPattern.ReplaceAllString(text, " ")
	}
	text = strings.TrimSpace(spacePattern.ReplaceAllString(text, " "))
	if text == "" {
		return "the service returned no error message"
	}
	const limit = 300
	if len(text) > limit {
		text = text[:limit] + "…"
	}
	if contentType == "" {
		return "unexpected response: " + text
	}
	return fmt.Sprintf("unexpected %s response: %s", contentType, text)
}

func firstHeader(h http.Header, names ...string) string {
	for _, n := range names {
		if v := h.Get(n); v != "" {
			return v
		}
	}
	return ""
}
