package marketplacetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// Fault makes the emulator misbehave for matching requests, as the real
// service and the networks in front of it sometimes do.
type Fault struct {
	// Method matches the request method; empty matches any.
	Method string `json:"method,omitempty"`
	// Path matches the path after BasePath by prefix (for example
	// "/api/data-product"); empty matches any. A "{id}" segment matches
	// any single segment ("/api/request-form/{id}/data-products").
	Path string `json:"path,omitempty"`
	// Probability is the fraction of matching requests affected, from 0
	// to 1. Zero means every matching request (up to Times).
	Probability float64 `json:"probability,omitempty"`
	// Times caps how many requests the fault affects; 0 is no cap.
	Times int `json:"times,omitempty"`

	// Status, if set, answers with this status instead of handling the
	// request, so nothing is changed (a 429, or a 5xx from a gateway).
	Status int `json:"status,omitempty"`
	// RetryAfter is sent as the Retry-After header with Status.
	RetryAfter string `json:"retryAfter,omitempty"`
	// Body replaces the NestJS error body sent with Status; ContentType
	// goes with it (default text/html).
	Body        string `json:"body,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	// Latency delays the request before it is handled.
	Latency Duration `json:"latency,omitempty"`
	// DropAfterCommit handles the request (so a write takes effect), then
	// closes the connection without answering: the client cannot know
	// whether its write happened.
	DropAfterCommit bool `json:"dropAfterCommit,omitempty"`
	// FailAfterCommit handles the request (so a write takes effect), then
	// answers Status (default 500) instead of the real answer.
	FailAfterCommit bool `json:"failAfterCommit,omitempty"`
}

// Duration is a time.Duration that reads and writes as "1.5s" in JSON.
type Duration time.Duration

// UnmarshalJSON accepts a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is a string such as \"250ms\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (f Fault) matches(r *http.Request) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	if f.Path == "" {
		return true
	}
	// Segment by segment, "{id}" matching any one segment; the request
	// may go deeper than the pattern.
	want := strings.Split(strings.Trim(f.Path, "/"), "/")
	got := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, BasePath), "/"), "/")
	if len(got) < len(want) {
		return false
	}
	for i, w := range want {
		if w != "{id}" && w != got[i] {
			return false
		}
	}
	return true
}

// LoadFaults reads a JSON array of Fault from a file.
func LoadFaults(path string) ([]Fault, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var faults []Fault
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&faults); err != nil {
		return nil, fmt.Errorf("faults file %s: %w", path, err)
	}
	for i, f := range faults {
		if err := f.validate(); err != nil {
			return nil, fmt.Errorf("faults file %s, fault %d: %w", path, i, err)
		}
	}
	return faults, nil
}

func (f Fault) validate() error {
	switch {
	case f.Probability < 0 || f.Probability > 1:
		return fmt.Errorf("probability %v is not between 0 and 1", f.Probability)
	case f.Times < 0:
		return fmt.Errorf("times %d is negative", f.Times)
	case f.Status != 0 && (f.Status < 400 || f.Status > 599):
		return fmt.Errorf("status %d is not an error status", f.Status)
	case f.DropAfterCommit && f.FailAfterCommit:
		return fmt.Errorf("dropAfterCommit and failAfterCommit exclude each other")
	case f.Status == 0 && f.Latency == 0 && !f.DropAfterCommit && !f.FailAfterCommit:
		return fmt.Errorf("the fault does nothing: set status, latency, dropAfterCommit or failAfterCommit")
	}
	return nil
}

// faultState is the set of injected faults and the read-after-write lag.
type faultState struct {
	mu     sync.Mutex
	faults []*activeFault
	rng    *rand.Rand
	nextID int

	// lag hides an object from GET for a while after its create.
	lag     Duration
	lagSeen map[string]time.Time
}

type activeFault struct {
	id int
	Fault
	used int
}

// InjectFault adds a fault and returns a function that removes it.
// Faults are tried in the order they were added; the first that fires
// decides the outcome of a request.
func (s *Server) InjectFault(f Fault) (remove func(), err error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.nextID++
	id := s.faults.nextID
	s.faults.faults = append(s.faults.faults, &activeFault{id: id, Fault: f})
	return func() {
		s.faults.mu.Lock()
		defer s.faults.mu.Unlock()
		for i, af := range s.faults.faults {
			if af.id == id {
				s.faults.faults = append(s.faults.faults[:i], s.faults.faults[i+1:]...)
				return
			}
		}
	}, nil
}

// ClearFaults removes every fault and the read-after-write lag.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = nil
	s.faults.lag = 0
}

// SetReadAfterWriteLag makes an object invisible to GET of its id (404)
// for d after it is created, as an eventually consistent store would.
// Zero turns the lag off.
func (s *Server) SetReadAfterWriteLag(d time.Duration) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.lag = Duration(d)
}

// pick returns the fault that fires for r, if any.
func (s *Server) pickFault(r *http.Request) *Fault {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	for _, af := range s.faults.faults {
		if !af.matches(r) || (af.Times > 0 && af.used >= af.Times) {
			continue
		}
		if af.Probability > 0 && s.faults.rng.Float64() >= af.Probability {
			continue
		}
		af.used++
		f := af.Fault
		return &f
	}
	return nil
}

// noteCreated starts the read-after-write lag of a new object.
func (s *Server) noteCreated(id string) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if s.faults.lag > 0 {
		s.faults.lagSeen[id] = time.Now().Add(time.Duration(s.faults.lag))
	}
}

// hiddenByLag reports whether a GET of id falls in its lag window.
func (s *Server) hiddenByLag(id string) bool {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	until, ok := s.faults.lagSeen[id]
	if !ok {
		return false
	}
	if s.faults.lag == 0 { // the lag was turned off: everything is visible
		delete(s.faults.lagSeen, id)
		return false
	}
	if time.Now().Before(until) {
		return true
	}
	delete(s.faults.lagSeen, id)
	return false
}

// serveWithFault applies a fault around the real handler.
func (s *Server) serveWithFault(w http.ResponseWriter, r *http.Request, f *Fault, handle func(http.ResponseWriter, *http.Request)) {
	if f.Latency > 0 {
		select {
		case <-time.After(time.Duration(f.Latency)):
		case <-r.Context().Done():
			markInjectedFault(r)
			return
		}
	}
	if f.DropAfterCommit || f.FailAfterCommit || f.Status != 0 {
		markInjectedFault(r)
	}
	switch {
	case f.DropAfterCommit:
		handle(&discardWriter{header: http.Header{}}, r)
		dropConnection(w)
	case f.FailAfterCommit:
		handle(&discardWriter{header: http.Header{}}, r)
		writeFaultStatus(w, f, http.StatusInternalServerError)
	case f.Status != 0:
		writeFaultStatus(w, f, f.Status)
	default:
		handle(w, r)
	}
}

func writeFaultStatus(w http.ResponseWriter, f *Fault, fallback int) {
	status := f.Status
	if status == 0 {
		status = fallback
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Body != "" {
		ct := f.ContentType
		if ct == "" {
			ct = "text/html"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(f.Body))
		return
	}
	message := http.StatusText(status)
	if status == http.StatusTooManyRequests {
		message = "ThrottlerException: Too Many Requests"
	}
	writeError(w, status, message)
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// Without a hijackable connection (an HTTP/2 stream, a recorder),
	// abort the handler, which net/http turns into a broken response.
	panic(http.ErrAbortHandler)
}

// discardWriter takes a handler's answer and throws it away.
type discardWriter struct {
	header http.Header
	status int
}

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(code int)        { d.status = code }
