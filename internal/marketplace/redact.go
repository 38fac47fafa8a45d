package marketplace

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// bearerPattern matches a bearer credential however a service spells it
// ("Bearer x", "bearer: x"), so that a token the client does not know (a
// previous one, another user's) is hidden too.
var bearerPattern = regexp.MustCompile(`(?i)\bbearer[\s:=]+[A-Za-z0-9\-._~+/]+=*`)

// redactor hides the client's token, and anything shaped like a bearer
// credential, in text that leaves the client: error messages and log
// fields. Services sometimes echo the Authorization header in an error
// body, and an error message ends up on the terminal and in TF_LOG files.
type redactor struct {
	secret string
	// extra are secrets of one request (a webhook's signing key).
	extra []string
}

type requestSecretsKey struct{}

// withRequestSecret marks secret as one the requests made with ctx carry,
// so that their logs and errors hide it.
func withRequestSecret(ctx context.Context, secret string) context.Context {
	prev, _ := ctx.Value(requestSecretsKey{}).([]string)
	return context.WithValue(ctx, requestSecretsKey{}, append(slices.Clone(prev), secret))
}

// forContext adds the secrets of the request made with ctx.
func (r redactor) forContext(ctx context.Context) redactor {
	if extra, ok := ctx.Value(requestSecretsKey{}).([]string); ok {
		r.extra = extra
	}
	return r
}

// minSecretLength is the shortest token replaced wherever it appears: a
// shorter one (a test's "t") would mangle ordinary words, and no real
// personal access token is that short.
const minSecretLength = 8

// secretPropertyPattern matches a JSON property whose string value is a
// secret the client sends (a webhook's signing key), so that request
// bodies can be logged without it. The service answers with a boolean
// there, which is kept.
var secretPropertyPattern = regexp.MustCompile(`"signingKey"\s*:\s*"(?:[^"\\]|\\.)*"`)

func (r redactor) text(s string) string {
	if len(r.secret) >= minSecretLength {
		s = strings.ReplaceAll(s, r.secret, redacted)
	}
	for _, secret := range r.extra {
		if len(secret) >= minSecretLength {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	s = secretPropertyPattern.ReplaceAllString(s, `"signingKey":"`+redacted+`"`)
	return bearerPattern.ReplaceAllString(s, "Bearer "+redacted)
}

// apiError scrubs every field of e that can carry the service's words.
func (r redactor) apiError(e *APIError) *APIError {
	e.Message = r.text(e.Message)
	e.RequestID = r.text(e.RequestID)
	return e
}

// error wraps err so that its message is scrubbed; errors.Is and
// errors.As still see err.
func (r redactor) error(err error) error {
	if err == nil {
		return nil
	}
	return &redactedError{msg: r.text(err.Error()), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// RedirectRefusedError is a redirect to another origin (scheme, host or
// port), which the client refuses: following it would send the token to
// a server the user did not configure, and an https → http redirect would
// send it in clear text.
type RedirectRefusedError struct {
	From *url.URL
	To   *url.URL
}

func (e *RedirectRefusedError) Error() string {
	return fmt.Sprintf("the service redirected the request to %s, another origin than the configured endpoint %s; "+
		"the client does not follow such redirects, so that the token is only ever sent to the configured endpoint. "+
		"If the Marketplace moved, configure its new address as the endpoint",
		e.To.Redacted(), (&url.URL{Scheme: e.From.Scheme, Host: e.From.Host}).String())
}

// checkRedirect follows a redirect only within the origin of the first
// request, and at most 10 times, as net/http does by default.
func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	if !sameOrigin(first, req.URL) {
		return &RedirectRefusedError{From: first, To: req.URL}
	}
	if len(via) >= 10 {
		return fmt.Errorf("stopped after %d redirects", len(via))
	}
	return nil
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) &&
		effectivePort(a) == effectivePort(b)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}
