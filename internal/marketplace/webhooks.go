package marketplace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Webhook is an endpoint the Marketplace posts notifications to. The
// signing key is write-only: the service says only whether one is set.
type Webhook struct {
	ID         string `json:"id"`
	URL        string `json:"url"`
	VerifyTLS  *bool  `json:"verifyTls,omitempty"`
	SigningKey bool   `json:"signingKey"`
	Suppressed bool   `json:"suppressed"`
}

// TLSVerified reports whether the service checks the endpoint's
// certificate (the contract's default when the answer leaves it out).
func (w *Webhook) TLSVerified() bool { return w.VerifyTLS == nil || *w.VerifyTLS }

// WebhookInput is the body of a create or an update. A nil SigningKey is
// left out, so that an update keeps the stored key.
type WebhookInput struct {
	URL        string  `json:"url"`
	VerifyTLS  bool    `json:"verifyTls"`
	SigningKey *string `json:"signingKey,omitempty"`
}

// Status values of a WebhookTestResult.
const (
	WebhookTestUnspecified = "UNSPECIFIED"
	WebhookTestSuccess     = "SUCCESS"
	WebhookTestFailed      = "FAILED"
)

// WebhookTestResult is the outcome of a test delivery.
type WebhookTestResult struct {
	// Status is SUCCESS, FAILED or UNSPECIFIED. The contract also allows
	// the enum's numbers (0, 1, 2); they are converted to these names.
	Status         string  `json:"-"`
	HTTPStatusCode float64 `json:"httpStatusCode"`
	ErrorMessage   string  `json:"errorMessage,omitempty"`
}

// UnmarshalJSON accepts the status as a name or as the enum's number.
func (r *WebhookTestResult) UnmarshalJSON(data []byte) error {
	type plain WebhookTestResult
	var raw struct {
		plain
		Status any `json:"status"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*r = WebhookTestResult(raw.plain)
	switch s := raw.Status.(type) {
	case string:
		r.Status = s
	case float64:
		r.Status = [...]string{WebhookTestUnspecified, WebhookTestSuccess, WebhookTestFailed}[min(max(int(s), 0), 2)]
	}
	return nil
}

// WebhookDelivery is one entry of a webhook's delivery history.
type WebhookDelivery struct {
	WebhookID      string  `json:"webhookId"`
	DeliveryID     string  `json:"deliveryId"`
	Status         string  `json:"status"`
	HTTPStatusCode float64 `json:"httpStatusCode"`
	CreatedAt      string  `json:"createdAt"`
	Message        string  `json:"message"`
}

// withSigningKey hides in's signing key in the request's logs and errors,
// wherever it appears.
func withSigningKey(ctx context.Context, in WebhookInput) context.Context {
	if in.SigningKey == nil || *in.SigningKey == "" {
		return ctx
	}
	return withRequestSecret(ctx, *in.SigningKey)
}

// CreateWebhook creates a webhook. The service chooses its id.
func (c *Client) CreateWebhook(ctx context.Context, in WebhookInput) (*Webhook, error) {
	var out Webhook
	if err := c.do(withSigningKey(ctx, in), "POST", apiPath("notification", "webhook"), nil, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetWebhook reads a webhook by id.
func (c *Client) GetWebhook(ctx context.Context, id string) (*Webhook, error) {
	var out Webhook
	if err := c.do(ctx, "GET", apiPath("notification", "webhook", id), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListWebhooks returns every webhook; the endpoint is not paged.
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	var out []Webhook
	if err := c.do(ctx, "GET", apiPath("notification", "webhook"), nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateWebhook changes a webhook's URL and TLS check, and its signing
// key when in.SigningKey is set.
func (c *Client) UpdateWebhook(ctx context.Context, id string, in WebhookInput) (*Webhook, error) {
	var out Webhook
	if err := c.do(withSigningKey(ctx, in), "PUT", apiPath("notification", "webhook", id), nil, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteWebhook deletes a webhook.
func (c *Client) DeleteWebhook(ctx context.Context, id string) error {
	return c.do(ctx, "DELETE", apiPath("notification", "webhook", id), nil, nil, nil)
}

// TestWebhook asks the service to send a test delivery to a webhook.
func (c *Client) TestWebhook(ctx context.Context, id string) (*WebhookTestResult, error) {
	var out WebhookTestResult
	if err := c.do(ctx, "POST", apiPath("notification", "webhook", id, "test"), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// TestWebhookConfig asks the service to send a test delivery to a
// configuration that is not saved.
func (c *Client) TestWebhookConfig(ctx context.Context, in WebhookInput) (*WebhookTestResult, error) {
	var out WebhookTestResult
	if err := c.do(withSigningKey(ctx, in), "POST", apiPath("notification", "webhook", "test"), nil, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// WebhookHistory returns a webhook's deliveries, following pagination to
// the end.
func (c *Client) WebhookHistory(ctx context.Context, id string) ([]WebhookDelivery, error) {
	return listOffset[WebhookDelivery](ctx, c, apiPath("notification", "webhook", id, "history"), url.Values{})
}

// ValidateWebhookURL checks a webhook's URL: an absolute https URL, or
// plain http for a loopback host only (as for the client's base URL), so
// that notifications and their signatures do not cross a network in clear
// text.
func ValidateWebhookURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return errors.New("the webhook URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("the webhook URL %q is not a valid URL: %w", raw, err)
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("the webhook URL %q is not an absolute URL with a host", raw)
	}
	if u.User != nil {
		return fmt.Errorf("the webhook URL %q must not carry credentials; use a signing key to authenticate deliveries", u.Redacted())
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return fmt.Errorf("the webhook URL %q uses plain http on a host that is not loopback; use https (plain http is allowed only for localhost, 127.0.0.0/8 and ::1)", raw)
		}
	default:
		return fmt.Errorf("the webhook URL %q must use https", raw)
	}
	return nil
}
