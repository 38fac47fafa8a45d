package marketplacetest

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// Limits on webhooks (the documentation gives none; these are the
// emulator's documented choice).
const (
	MaxWebhookURLLength        = 2048
	MaxWebhookSigningKeyLength = 1024
)

// ForbiddenMessage is NestJS's answer when a guard refuses the caller.
const ForbiddenMessage = "Forbidden resource"

// PermissionApplicationAdmin is the permission that lets a user manage
// webhooks.
const PermissionApplicationAdmin = "APPLICATION_ADMIN"

// Webhook is the stored form of a webhook. SigningKey is never returned
// by the API (which says only whether one is set); tests read it here.
type Webhook struct {
	ID         string
	URL        string
	VerifyTLS  bool
	SigningKey string
	Suppressed bool
	// History holds the deliveries sent to the webhook, oldest first.
	History []WebhookDelivery
}

// MarshalJSON renders the webhook as the API returns it.
func (h Webhook) MarshalJSON() ([]byte, error) {
	return json.Marshal(webhookView{
		ID: h.ID, URL: h.URL, VerifyTLS: h.VerifyTLS, SigningKey: h.SigningKey != "", Suppressed: h.Suppressed,
	})
}

type webhookView struct {
	ID         string `json:"id"`
	URL        string `json:"url"`
	VerifyTLS  bool   `json:"verifyTls"`
	SigningKey bool   `json:"signingKey"`
	Suppressed bool   `json:"suppressed"`
}

// WebhookDelivery is one entry of a webhook's history.
type WebhookDelivery struct {
	WebhookID      string `json:"webhookId"`
	DeliveryID     string `json:"deliveryId"`
	Status         string `json:"status"`
	HTTPStatusCode int    `json:"httpStatusCode"`
	CreatedAt      string `json:"createdAt"`
	Message        string `json:"message"`
}

// WebhookTestResult is the answer to a test delivery.
type WebhookTestResult struct {
	Status         string `json:"status"`
	HTTPStatusCode int    `json:"httpStatusCode"`
	ErrorMessage   string `json:"errorMessage,omitempty"`
}

// webhookBody is the body of POST and PUT (CreateWebhook and
// UpdateWebhook have the same properties).
type webhookBody struct {
	URL        *string `json:"url"`
	VerifyTLS  *bool   `json:"verifyTls"`
	SigningKey *string `json:"signingKey"`
}

func (s *Server) routeWebhooks() {
	s.webhooks = map[string]*Webhook{}
	s.handle("GET /api/notification/webhook", s.adminOnly(s.listWebhooks))
	s.handle("POST /api/notification/webhook", s.adminOnly(s.createWebhook))
	s.handle("POST /api/notification/webhook/test", s.adminOnly(s.testWebhookConfig))
	s.handle("GET /api/notification/webhook/{id}", s.adminOnly(s.getWebhook))
	s.handle("PUT /api/notification/webhook/{id}", s.adminOnly(s.updateWebhook))
	s.handle("DELETE /api/notification/webhook/{id}", s.adminOnly(s.deleteWebhook))
	s.handle("GET /api/notification/webhook/{id}/history", s.adminOnly(s.webhookHistory))
	s.handle("POST /api/notification/webhook/{id}/test", s.adminOnly(s.testWebhook))
}

// adminOnly answers 403 unless the caller is an application admin: only
// APPLICATION_ADMIN may configure webhooks.
func (s *Server) adminOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !slices.Contains(s.caller.Permissions, PermissionApplicationAdmin) {
			writeError(w, http.StatusForbidden, ForbiddenMessage)
			return
		}
		h(w, r)
	}
}

// checkWebhook validates a body; url is required on create only.
func checkWebhook(in webhookBody, create bool) checks {
	var msgs checks
	if in.URL == nil {
		if create {
			msgs.add("url must be a URL address")
			msgs.add("url should not be empty")
		}
	} else if msg := webhookURLProblem(*in.URL); msg != "" {
		msgs.add("%s", msg)
	}
	if in.SigningKey != nil && len([]rune(*in.SigningKey)) > MaxWebhookSigningKeyLength {
		msgs.add("signingKey must be shorter than or equal to %d characters", MaxWebhookSigningKeyLength)
	}
	return msgs
}

// webhookURLProblem says what is wrong with a webhook URL, or "".
func webhookURLProblem(raw string) string {
	if strings.TrimSpace(raw) == "" {
		return "url should not be empty"
	}
	if len(raw) > MaxWebhookURLLength {
		return fmt.Sprintf("url must be shorter than or equal to %d characters", MaxWebhookURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || strings.ContainsAny(raw, " \t\r\n") {
		return "url must be a URL address"
	}
	return ""
}

func (s *Server) decodeWebhook(w http.ResponseWriter, r *http.Request, create bool) (webhookBody, bool) {
	var in webhookBody
	msgs := checkQuery(r)
	if len(msgs) == 0 {
		if isJSONContent(r) {
			msgs = decodeBody(r, &in)
		} else {
			// Express parses only JSON bodies: any other is no body at all.
			msgs = decodeJSONObject(nil, &in)
		}
	}
	if len(msgs) == 0 {
		msgs = checkWebhook(in, create)
	}
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return in, false
	}
	return in, true
}

// isJSONContent reports whether the request says its body is JSON.
func isJSONContent(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) {
	in, ok := s.decodeWebhook(w, r, true)
	if !ok {
		return
	}
	h := &Webhook{ID: uuid.NewString(), URL: *in.URL, VerifyTLS: true}
	if in.VerifyTLS != nil {
		h.VerifyTLS = *in.VerifyTLS
	}
	if in.SigningKey != nil {
		h.SigningKey = *in.SigningKey
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhooks[h.ID] = h
	s.noteCreated(h.ID)
	writeJSON(w, http.StatusOK, h)
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	if msgs := checkQuery(r); len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	writeJSON(w, http.StatusOK, s.Webhooks())
}

// lookupWebhook answers 400 or 404 itself when it returns nil. The caller
// holds s.mu.
func (s *Server) lookupWebhook(w http.ResponseWriter, r *http.Request, query ...string) *Webhook {
	if msgs := checkQuery(r, query...); len(msgs) > 0 {
		writeValidation(w, msgs)
		return nil
	}
	id := r.PathValue("id")
	if !isUUID(id) {
		writeError(w, http.StatusBadRequest, uuidPathError)
		return nil
	}
	h, ok := s.webhooks[strings.ToLower(id)]
	if !ok || (r.Method == http.MethodGet && s.hiddenByLag(h.ID)) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Webhook %s not found.", id))
		return nil
	}
	return h
}

func (s *Server) getWebhook(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.lookupWebhook(w, r); h != nil {
		writeJSON(w, http.StatusOK, h)
	}
}

func (s *Server) updateWebhook(w http.ResponseWriter, r *http.Request) {
	in, ok := s.decodeWebhook(w, r, false)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.lookupWebhook(w, r)
	if h == nil {
		return
	}
	if in.URL != nil {
		h.URL = *in.URL
	}
	if in.VerifyTLS != nil {
		h.VerifyTLS = *in.VerifyTLS
	}
	if in.SigningKey != nil {
		h.SigningKey = *in.SigningKey
	}
	writeJSON(w, http.StatusOK, h)
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.lookupWebhook(w, r); h != nil {
		delete(s.webhooks, h.ID)
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) webhookHistory(w http.ResponseWriter, r *http.Request) {
	p, msgs := s.parsePaging(r, 10)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.lookupWebhook(w, r, "offset", "limit")
	if h == nil {
		return
	}
	// Newest first, as a delivery log reads.
	items := slices.Clone(h.History)
	slices.Reverse(items)
	page, meta := offsetPage(items, p)
	writeJSON(w, http.StatusOK, map[string]any{"data": page, "meta": meta})
}

// deliveryResult is what a test delivery to rawURL answers. The emulator
// never sends a request: https succeeds, plain http fails.
func deliveryResult(rawURL string) WebhookTestResult {
	if strings.HasPrefix(strings.ToLower(rawURL), "https://") {
		return WebhookTestResult{Status: "SUCCESS", HTTPStatusCode: http.StatusOK}
	}
	return WebhookTestResult{Status: "FAILED", HTTPStatusCode: 0,
		ErrorMessage: "The emulator delivers to https URLs only."}
}

func (s *Server) testWebhook(w http.ResponseWriter, r *http.Request) {
	if msgs := decodeBody(r, &struct{}{}); len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.lookupWebhook(w, r)
	if h == nil {
		return
	}
	res := deliveryResult(h.URL)
	message := "Test delivery succeeded."
	if res.ErrorMessage != "" {
		message = res.ErrorMessage
	}
	h.History = append(h.History, WebhookDelivery{
		WebhookID: h.ID, DeliveryID: uuid.NewString(), Status: res.Status,
		HTTPStatusCode: res.HTTPStatusCode, CreatedAt: s.timestamp(), Message: message,
	})
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) testWebhookConfig(w http.ResponseWriter, r *http.Request) {
	in, ok := s.decodeWebhook(w, r, true)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, deliveryResult(*in.URL))
}

// Webhooks returns every stored webhook, sorted by URL, then id.
func (s *Server) Webhooks() []Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Webhook, 0, len(s.webhooks))
	for _, h := range s.webhooks {
		out = append(out, h.clone())
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].URL == out[j].URL {
			return out[i].ID < out[j].ID
		}
		return out[i].URL < out[j].URL
	})
	return out
}

func (h *Webhook) clone() Webhook {
	c := *h
	c.History = slices.Clone(h.History)
	return c
}

// Webhook returns the stored webhook with an id, signing key included.
func (s *Server) Webhook(id string) (Webhook, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.webhooks[id]
	if !ok {
		return Webhook{}, false
	}
	return h.clone(), true
}

// SeedWebhook stores a webhook as if an admin had made it in the
// Marketplace app, and returns it. An empty ID gets a new UUID; the
// caller's permissions are not checked.
func (s *Server) SeedWebhook(h Webhook) (Webhook, error) {
	if msg := webhookURLProblem(h.URL); msg != "" {
		return Webhook{}, fmt.Errorf("%s", msg)
	}
	if h.ID == "" {
		h.ID = uuid.NewString()
	}
	if !isUUID(h.ID) {
		return Webhook{}, fmt.Errorf("webhook id %q is not a UUID", h.ID)
	}
	h.ID = strings.ToLower(h.ID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.webhooks[h.ID]; ok {
		return Webhook{}, fmt.Errorf("a webhook %s exists", h.ID)
	}
	stored := h.clone()
	s.webhooks[h.ID] = &stored
	return stored.clone(), nil
}

// UpdateWebhook changes a stored webhook out of band, as an admin editing
// it in the app (or the service suppressing it) would.
func (s *Server) UpdateWebhook(id string, change func(*Webhook)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.webhooks[id]
	if !ok {
		return fmt.Errorf("no webhook %s", id)
	}
	change(h)
	h.ID = id
	return nil
}

// DeleteWebhook removes a stored webhook out of band.
func (s *Server) DeleteWebhook(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.webhooks[id]; !ok {
		return fmt.Errorf("no webhook %s", id)
	}
	delete(s.webhooks, id)
	return nil
}
