// Package marketplace is a client for the Immuta Marketplace REST API.
//
// It handles authentication (a personal access token sent as a Bearer
// token), the base URL of each region, the User-Agent, retries with backoff
// on rate limits and server errors, typed errors and pagination. It knows
// nothing of Terraform: the provider wraps it.
package marketplace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Regions maps each Immuta SaaS global segment to its Marketplace base URL.
var Regions = map[string]string{
	"na": "https://na.api.immutacloud.com/marketplace",
	"eu": "https://eu.api.immutacloud.com/marketplace",
	"ap": "https://ap.api.immutacloud.com/marketplace",
}

// Defaults used when Config leaves a value zero.
const (
	DefaultMaxRetries     = 5
	DefaultMinRetryWait   = 500 * time.Millisecond
	DefaultMaxRetryWait   = 30 * time.Second
	DefaultRequestTimeout = 60 * time.Second
	// DefaultConsistencyWindow bounds how long a new object may stay
	// invisible to reads.
	DefaultConsistencyWindow = 15 * time.Second

	// maxResponseBytes bounds how much of a response body is read.
	maxResponseBytes = 16 << 20
)

// Logger receives the client's debug output. Every call carries the
// request's context so that callers can attach their own fields.
// The Authorization header is never passed to a Logger.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// LevelLogger is a Logger that can tell whether anyone listens at debug
// level. When DebugEnabled is false, the client builds no debug lines at
// all: no header rendering, no body copies.
type LevelLogger interface {
	Logger
	DebugEnabled(ctx context.Context) bool
}

// DefaultMaxIdleConnsPerHost is how many idle connections to the service
// the default transport keeps: enough for Terraform's default parallelism
// (10) with room, so that a refresh of many objects reuses connections
// instead of opening one per request.
const DefaultMaxIdleConnsPerHost = 32

// newDefaultTransport is a copy of http.DefaultTransport that keeps
// enough idle connections for Terraform's parallelism.
func newDefaultTransport() http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t = t.Clone()
	t.MaxIdleConns = max(t.MaxIdleConns, DefaultMaxIdleConnsPerHost)
	t.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
	return t
}

// Config configures a Client.
type Config struct {
	// BaseURL is the Marketplace base URL, for example
	// https://na.api.immutacloud.com/marketplace. Plain http is accepted
	// only for loopback hosts.
	BaseURL string
	// Token is the Marketplace personal access token.
	Token string
	// UserAgent is sent with every request.
	UserAgent string
	// MaxRetries is how many times a request is retried after a 429, a
	// 5xx or a network error. Zero means DefaultMaxRetries; a negative
	// value disables retries.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff used
	// when the server sends no Retry-After header.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// RequestTimeout bounds each attempt of a request.
	RequestTimeout time.Duration
	// Transport, if set, replaces the default: a copy of
	// http.DefaultTransport keeping DefaultMaxIdleConnsPerHost idle
	// connections.
	Transport http.RoundTripper
	// Logger, if set, receives a line for every attempt and retry.
	Logger Logger
	// ConsistencyWindow is how long after a write the service may still
	// answer a GET of the object with 404 (read-after-write lag). Zero
	// means DefaultConsistencyWindow; a negative value means none.
	ConsistencyWindow time.Duration
}

// Client calls the Marketplace API. It is safe for concurrent use.
type Client struct {
	baseURL    string
	token      string
	userAgent  string
	maxRetries int
	http       *retryablehttp.Client
	logger     Logger
	window     time.Duration
	redact     redactor
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	base, err := ValidateBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("a Marketplace personal access token is required")
	}
	cfg = cfg.withDefaults()
	c := &Client{
		baseURL:    strings.TrimRight(base.String(), "/"),
		token:      cfg.Token,
		userAgent:  cfg.UserAgent,
		maxRetries: cfg.MaxRetries,
		logger:     cfg.Logger,
		window:     cfg.ConsistencyWindow,
		redact:     redactor{secret: cfg.Token},
	}
	c.http = c.newRetryingClient(cfg)
	return c, nil
}

// withDefaults fills in the values cfg leaves zero, and turns the
// negative values that mean "none" into zero.
func (cfg Config) withDefaults() Config {
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultMinRetryWait
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultMaxRetryWait
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.Transport == nil {
		cfg.Transport = newDefaultTransport()
	}
	switch {
	case cfg.ConsistencyWindow == 0:
		cfg.ConsistencyWindow = DefaultConsistencyWindow
	case cfg.ConsistencyWindow < 0:
		cfg.ConsistencyWindow = 0
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "terraform-provider-immuta"
	}
	return cfg
}

// newRetryingClient is the HTTP client of c: retries with backoff, every
// attempt logged (redacted), redirects refused.
func (c *Client) newRetryingClient(cfg Config) *retryablehttp.Client {
	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{
		Transport:     &loggingTransport{next: cfg.Transport, logger: cfg.Logger, redact: c.redact},
		Timeout:       cfg.RequestTimeout,
		CheckRedirect: checkRedirect,
	}
	rc.Logger = nil // the logging transport and RequestLogHook do the logging
	rc.RetryMax = cfg.MaxRetries
	rc.RetryWaitMin = cfg.RetryWaitMin
	rc.RetryWaitMax = cfg.RetryWaitMax
	rc.CheckRetry = checkRetry
	rc.Backoff = backoff
	rc.ErrorHandler = func(resp *http.Response, err error, attempts int) (*http.Response, error) {
		return resp, &retriesExhaustedError{attempts: attempts, err: err}
	}
	rc.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, retry int) {
		if retry > 0 && c.logger != nil {
			c.logger.Warn(req.Context(), "retrying Marketplace API request", map[string]any{
				"method": req.Method, "path": req.URL.Path, "retry": retry,
			})
		}
	}
	return rc
}

// ValidateBaseURL parses a Marketplace base URL. It must be https, except
// that plain http is allowed for loopback hosts (a local emulator), so that
// a token is never sent in clear text over a network.
func ValidateBaseURL(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("the Marketplace base URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("the Marketplace base URL %q is not a valid URL: %w", raw, err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("the Marketplace base URL %q has no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("the Marketplace base URL %q must not have a query or fragment", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("the Marketplace base URL %q uses plain http on a host that is not loopback; use https so the token is not sent in clear text (plain http is allowed only for localhost, 127.0.0.0/8 and ::1)", raw)
		}
	default:
		return nil, fmt.Errorf("the Marketplace base URL %q must use https", raw)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ConsistencyWindow is how long a GET may miss an object after a write.
func (c *Client) ConsistencyWindow() time.Duration { return c.window }

// BaseURL returns the base URL requests are sent to.
func (c *Client) BaseURL() string { return c.baseURL }

// apiPath joins escaped path segments under /api.
func apiPath(segments ...string) string {
	var b strings.Builder
	b.WriteString("/api")
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// do sends one API request and decodes a 2xx JSON response into out (if
// out is not nil). Any other outcome is returned as an *APIError, or as a
// transport error wrapped with the method and path.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	red := c.redact.forContext(ctx)
	req, err := c.newRequest(ctx, method, path, query, body)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	var refused *RedirectRefusedError
	if errors.As(err, &refused) {
		if resp != nil {
			_ = resp.Body.Close()
		}
		return red.error(fmt.Errorf("%s %s: %w", method, path, refused))
	}
	attempts := 1
	var exhausted *retriesExhaustedError
	if errors.As(err, &exhausted) {
		attempts = exhausted.attempts
		if resp != nil {
			err = nil // the last response is reported below as an APIError
		} else {
			err = exhausted.err
		}
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("%s %s: %w", method, path, ctxErr)
		}
		return &TransportError{Method: method, Path: path, Attempts: attempts, Err: red.error(err)}
	}
	defer resp.Body.Close()
	return decodeResponse(red, method, path, resp, attempts, out)
}

// newRequest builds an authenticated request with body as JSON.
func (c *Client) newRequest(ctx context.Context, method, path string, query url.Values, body any) (*retryablehttp.Request, error) {
	target := c.baseURL + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("encoding %s %s request: %w", method, path, err)
		}
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, target, payload)
	if err != nil {
		return nil, fmt.Errorf("building %s %s request: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// decodeResponse reads a response: a 2xx JSON body into out (if out is
// not nil), anything else as an *APIError.
func decodeResponse(red redactor, method, path string, resp *http.Response, attempts int, out any) error {
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return &TransportError{Method: method, Path: path, Attempts: attempts, Err: red.error(fmt.Errorf("reading response: %w", err))}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return red.apiError(newAPIError(method, path, resp, data, attempts))
	}
	if out == nil {
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return &APIError{Method: method, Path: path, StatusCode: resp.StatusCode, Attempts: attempts,
			Message: "the service returned an empty response body where a JSON object was expected"}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return red.apiError(&APIError{Method: method, Path: path, StatusCode: resp.StatusCode, Attempts: attempts,
			Message: fmt.Sprintf("the service returned a response that could not be decoded (%v): %s", err, summarize(resp.Header.Get("Content-Type"), data))})
	}
	return nil
}

// retriesExhaustedError carries the number of attempts out of retryablehttp.
type retriesExhaustedError struct {
	attempts int
	err      error
}

func (e *retriesExhaustedError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("giving up after %d attempts", e.attempts)
	}
	return fmt.Sprintf("giving up after %d attempts: %v", e.attempts, e.err)
}

func (e *retriesExhaustedError) Unwrap() error { return e.err }

// checkRetry retries network errors, 429 and 5xx (except 501), for every
// method. Retrying a POST is safe because every create sends a
// client-chosen id: a repeated POST cannot create a second object.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	var refused *RedirectRefusedError
	if errors.As(err, &refused) {
		return false, nil // a refused redirect is refused again on every attempt
	}
	if err != nil {
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true, nil
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return true, nil
	}
	return false, nil
}

// backoff honours Retry-After (seconds or an HTTP date) on any response,
// and otherwise waits an exponentially growing, fully jittered delay.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return d
		}
	}
	ceiling := minWait << min(attempt, 20)
	if ceiling <= 0 || ceiling > maxWait {
		ceiling = maxWait
	}
	// Full jitter between minWait/2 and the ceiling keeps parallel
	// operations from retrying in lock step.
	lo := minWait / 2
	if ceiling <= lo {
		return ceiling
	}
	return lo + rand.N(ceiling-lo) // jitter needs no cryptographic randomness
}

// retryAfter parses a Retry-After header value: a number of seconds or an
// HTTP date. A date in the past means no wait.
func retryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	var seconds int64
	if _, err := fmt.Sscanf(value, "%d", &seconds); err == nil && fmt.Sprint(seconds) == value {
		if seconds < 0 {
			return 0, false
		}
		return time.Duration(seconds) * time.Second, true
	}
	when, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	if d := when.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}
