package marketplacetest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// stateFormat is the version of the state file's layout.
const stateFormat = 1

// savedState is every Marketplace object of a Server: what -state saves,
// and what the admin reset restores. Lists are sorted by id, so that the
// same state always encodes to the same bytes.
type savedState struct {
	Format              int                `json:"format"`
	DataUseAgreements   []DataUseAgreement `json:"dataUseAgreements"`
	RequestForms        []savedRequestForm `json:"requestForms"`
	RequestFormVersions []savedRequestForm `json:"requestFormVersions"`
	DataProducts        []DataProduct      `json:"dataProducts"`
	// Webhooks include their signing keys: the file is written 0600.
	Webhooks []savedWebhook `json:"webhooks"`
}

// savedWebhook is a Webhook with its signing key, which the API's
// rendering (Webhook.MarshalJSON) leaves out.
type savedWebhook struct {
	ID         string            `json:"id"`
	URL        string            `json:"url"`
	VerifyTLS  bool              `json:"verifyTls"`
	SigningKey string            `json:"signingKey"`
	Suppressed bool              `json:"suppressed"`
	History    []WebhookDelivery `json:"history"`
}

// savedRequestForm is a RequestForm with its policy in the API's JSON,
// which is checked again when the state is loaded.
type savedRequestForm struct {
	ID                  string          `json:"id"`
	Name                string          `json:"name"`
	Fields              []FormField     `json:"fields"`
	Policy              json.RawMessage `json:"policy"`
	DataUseAgreementIDs []string        `json:"dataUseAgreementIds"`
	CreatedBy           UserRef         `json:"createdBy"`
	CreatedAt           string          `json:"createdAt"`
	UpdatedBy           UserRef         `json:"updatedBy"`
	UpdatedAt           string          `json:"updatedAt"`
	Version             string          `json:"version"`
}

func saveRequestForm(f *RequestForm) (savedRequestForm, error) {
	policy, err := json.Marshal(f.Policy)
	if err != nil {
		return savedRequestForm{}, err
	}
	c := f.clone()
	return savedRequestForm{
		ID: c.ID, Name: c.Name, Fields: c.Fields, Policy: policy, DataUseAgreementIDs: c.DataUseAgreementIDs,
		CreatedBy: c.CreatedBy, CreatedAt: c.CreatedAt, UpdatedBy: c.UpdatedBy, UpdatedAt: c.UpdatedAt, Version: c.Version,
	}, nil
}

// exportState encodes every Marketplace object.
func (s *Server) exportState() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := savedState{Format: stateFormat}
	for _, a := range s.dataUseAgreements {
		st.DataUseAgreements = append(st.DataUseAgreements, *a)
	}
	for _, f := range s.requestForms {
		sf, err := saveRequestForm(f)
		if err != nil {
			return nil, err
		}
		st.RequestForms = append(st.RequestForms, sf)
	}
	for _, f := range s.requestFormVersions {
		sf, err := saveRequestForm(&f)
		if err != nil {
			return nil, err
		}
		st.RequestFormVersions = append(st.RequestFormVersions, sf)
	}
	for _, p := range s.dataProducts {
		st.DataProducts = append(st.DataProducts, p.clone())
	}
	for _, h := range s.webhooks {
		c := h.clone()
		st.Webhooks = append(st.Webhooks, savedWebhook(c))
	}
	slices.SortFunc(st.DataUseAgreements, func(a, b DataUseAgreement) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(st.RequestForms, func(a, b savedRequestForm) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(st.RequestFormVersions, func(a, b savedRequestForm) int { return strings.Compare(a.Version, b.Version) })
	slices.SortFunc(st.DataProducts, func(a, b DataProduct) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(st.Webhooks, func(a, b savedWebhook) int { return strings.Compare(a.ID, b.ID) })
	return json.Marshal(st)
}

// importState replaces every Marketplace object with those of an
// encoded state, after checking it against the fixture: a state that
// does not decode, or refers to domains, data sources, users, groups or
// objects that do not exist, is refused and changes nothing.
func (s *Server) importState(data []byte) error {
	st, err := decodeState(data)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	agreements, err := loadAgreements(st.DataUseAgreements)
	if err != nil {
		return err
	}
	forms, versions, err := s.loadRequestForms(st.RequestForms, st.RequestFormVersions, agreements)
	if err != nil {
		return err
	}
	products, err := loadProducts(st.DataProducts)
	if err != nil {
		return err
	}
	webhooks, err := loadWebhooks(st.Webhooks)
	if err != nil {
		return err
	}
	oldAgreements, oldForms, oldVersions, oldProducts := s.dataUseAgreements, s.requestForms, s.requestFormVersions, s.dataProducts
	s.dataUseAgreements, s.requestForms, s.requestFormVersions, s.dataProducts = agreements, forms, versions, products
	// Products are checked as the Go API checks them, against the new
	// forms; the old state comes back when one fails.
	for _, p := range products {
		draft := p.clone()
		if err := s.checkStoredProduct(&draft, p.ID); err != nil {
			s.dataUseAgreements, s.requestForms, s.requestFormVersions, s.dataProducts = oldAgreements, oldForms, oldVersions, oldProducts
			return fmt.Errorf("data product %s (%q): %w", p.ID, p.Name, err)
		}
	}
	s.webhooks = webhooks
	s.faults.mu.Lock()
	clear(s.faults.lagSeen)
	s.faults.mu.Unlock()
	return nil
}

// decodeState decodes a state file strictly and checks its format.
func decodeState(data []byte) (savedState, error) {
	var st savedState
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return st, describeJSONError(data, err)
	}
	if dec.More() {
		return st, errors.New("unexpected data after the state's JSON object")
	}
	if st.Format != stateFormat {
		return st, fmt.Errorf("format %d is not %d, the only one this emulator reads", st.Format, stateFormat)
	}
	return st, nil
}

// loadAgreements indexes the saved data use agreements by id.
func loadAgreements(saved []DataUseAgreement) (map[string]*DataUseAgreement, error) {
	agreements := map[string]*DataUseAgreement{}
	for _, a := range saved {
		if !isUUID(a.ID) || agreements[a.ID] != nil {
			return nil, fmt.Errorf("data use agreement %q: id %q is not a UUID or appears twice", a.Name, a.ID)
		}
		agreements[a.ID] = &a
	}
	return agreements, nil
}

// loadRequestForms checks the saved request forms and their versions,
// and indexes the forms by id and the versions by version.
func (s *Server) loadRequestForms(saved, savedVersions []savedRequestForm, agreements map[string]*DataUseAgreement) (map[string]*RequestForm, map[string]RequestForm, error) {
	forms := map[string]*RequestForm{}
	for _, sf := range saved {
		f, err := s.loadRequestForm(sf, agreements)
		if err != nil {
			return nil, nil, err
		}
		if forms[f.ID] != nil {
			return nil, nil, fmt.Errorf("request form id %s appears twice", f.ID)
		}
		forms[f.ID] = &f
	}
	if forms[StandardRequestFormID] == nil {
		return nil, nil, errors.New("the Standard Request Form is missing")
	}
	versions := map[string]RequestForm{}
	for _, sf := range savedVersions {
		f, err := s.loadRequestForm(sf, agreements)
		if err != nil {
			return nil, nil, err
		}
		versions[f.Version] = f
	}
	for _, f := range forms {
		if _, ok := versions[f.Version]; !ok {
			return nil, nil, fmt.Errorf("request form %s (%q): its version %s is not among the versions", f.ID, f.Name, f.Version)
		}
	}
	return forms, versions, nil
}

// loadRequestForm checks one saved request form (or version): its policy
// as the API checks it, and its data use agreements among agreements.
func (s *Server) loadRequestForm(sf savedRequestForm, agreements map[string]*DataUseAgreement) (RequestForm, error) {
	var msgs checks
	policy := s.checkPolicy(sf.Policy, "policy", policyOptions{requestForm: true}, &msgs)
	for _, id := range sf.DataUseAgreementIDs {
		if agreements[id] == nil {
			msgs.add("data use agreement %s not found", id)
		}
	}
	if sf.ID == "" || sf.Version == "" || len(sf.Fields) == 0 {
		msgs.add("a request form needs an id, a version and fields")
	}
	if len(msgs) > 0 {
		return RequestForm{}, fmt.Errorf("request form %s (%q, version %s): %s", sf.ID, sf.Name, sf.Version, strings.Join(msgs, "; "))
	}
	f := RequestForm{
		ID: sf.ID, Name: sf.Name, Fields: sf.Fields, Policy: policy, DataUseAgreementIDs: sf.DataUseAgreementIDs,
		CreatedBy: sf.CreatedBy, CreatedAt: sf.CreatedAt, UpdatedBy: sf.UpdatedBy, UpdatedAt: sf.UpdatedAt, Version: sf.Version,
	}
	if f.DataUseAgreementIDs == nil {
		f.DataUseAgreementIDs = []string{}
	}
	return f, nil
}

// loadProducts indexes the saved data products by id; importState checks
// them against the new forms.
func loadProducts(saved []DataProduct) (map[string]*DataProduct, error) {
	products := map[string]*DataProduct{}
	for _, p := range saved {
		if !isUUID(p.ID) || products[p.ID] != nil {
			return nil, fmt.Errorf("data product %q: id %q is not a UUID or appears twice", p.Name, p.ID)
		}
		// A flow never set was saved as null; it is nil in memory.
		if isJSONNull(p.DataAccessReviewFlow) {
			p.DataAccessReviewFlow = nil
		}
		if isJSONNull(p.MaskingExceptionReviewFlow) {
			p.MaskingExceptionReviewFlow = nil
		}
		products[p.ID] = &p
	}
	return products, nil
}

// loadWebhooks indexes the saved webhooks by id.
func loadWebhooks(saved []savedWebhook) (map[string]*Webhook, error) {
	webhooks := map[string]*Webhook{}
	for _, sh := range saved {
		if !isUUID(sh.ID) || webhooks[sh.ID] != nil {
			return nil, fmt.Errorf("webhook %q: id %q is not a UUID or appears twice", sh.URL, sh.ID)
		}
		h := Webhook(sh)
		webhooks[h.ID] = &h
	}
	return webhooks, nil
}

// LoadState replaces the server's Marketplace objects with those saved in
// a state file (see SaveState). A missing file is no error and changes
// nothing (loaded is false): the server keeps its fixture's objects. A
// file that cannot be read, is corrupt, or does not fit the fixture is an
// error, and changes nothing.
func (s *Server) LoadState(path string) (loaded bool, err error) {
	removeStaleTemps(path)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := s.importState(data); err != nil {
		return false, fmt.Errorf("state file %s is unusable (move it away to start afresh): %w", path, err)
	}
	return true, nil
}

// SaveState writes every Marketplace object (agreements, request forms
// with all their versions, data products with their data sources,
// webhooks with their signing keys and delivery history) to
// path, atomically: to a temporary file in the same directory, synced,
// then renamed over path, so that path holds the old state or the new,
// never a part of one, whenever the process dies.
func (s *Server) SaveState(path string) error {
	data, err := s.exportState()
	if err != nil {
		return err
	}
	return writeFileAtomic(path, data)
}

func writeFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// The rename is durable once the directory is synced too.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// removeStaleTemps removes the temporary files of saves that a killed
// process left behind.
func removeStaleTemps(path string) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "."+base+".*.tmp"))
	for _, m := range matches {
		_ = os.Remove(m)
	}
}

// Persist returns a handler that serves s and saves its state to path
// after every request that may have changed it (any method but GET and
// HEAD), before the response is sent: a client that has its answer finds
// the change in the file even if the process is killed the moment after.
// A save that fails is reported to onError and answered 500, since the
// change would not outlive a restart. Saves are serialised, and a state
// that did not change is not written again.
func (s *Server) Persist(path string, onError func(error)) http.Handler {
	p := &persister{s: s, path: path, onError: onError}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			s.ServeHTTP(w, r)
			return
		}
		bw := &bufferedWriter{ResponseWriter: w, header: http.Header{}, status: http.StatusOK, beforeHijack: func() { _ = p.save() }}
		s.ServeHTTP(bw, r)
		if bw.hijacked {
			return
		}
		if err := p.save(); err != nil {
			writeError(w, http.StatusInternalServerError, "the emulator could not save its state: "+err.Error())
			return
		}
		bw.flush()
	})
}

type persister struct {
	s       *Server
	path    string
	onError func(error)
	mu      sync.Mutex
	last    []byte
}

func (p *persister) save() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	data, err := p.s.exportState()
	if err == nil && bytes.Equal(data, p.last) {
		return nil
	}
	if err == nil {
		err = writeFileAtomic(p.path, data)
	}
	if err != nil {
		if p.onError != nil {
			p.onError(fmt.Errorf("saving the state to %s: %w", p.path, err))
		}
		return err
	}
	p.last = data
	return nil
}

// bufferedWriter holds a response until the state is saved.
type bufferedWriter struct {
	http.ResponseWriter
	header       http.Header
	status       int
	body         bytes.Buffer
	hijacked     bool
	beforeHijack func()
}

func (b *bufferedWriter) Header() http.Header         { return b.header }
func (b *bufferedWriter) WriteHeader(code int)        { b.status = code }
func (b *bufferedWriter) Write(p []byte) (int, error) { return b.body.Write(p) }

func (b *bufferedWriter) flush() {
	for k, v := range b.header {
		b.ResponseWriter.Header()[k] = v
	}
	b.ResponseWriter.WriteHeader(b.status)
	_, _ = b.ResponseWriter.Write(b.body.Bytes())
}

// Hijack lets a fault drop the connection, after the committed write is
// saved.
func (b *bufferedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := b.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the connection cannot be hijacked")
	}
	b.beforeHijack()
	b.hijacked = true
	return hj.Hijack()
}
