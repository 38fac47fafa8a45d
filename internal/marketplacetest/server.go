package marketplacetest

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// BasePath is where the API is served, as on the real service
// (https://na.api.immutacloud.com/marketplace).
const BasePath = "/marketplace"

// DefaultToken is the token a Server accepts when Options.Token is empty.
const DefaultToken = "emulator-token"

// DefaultMaxPageSize is the largest page an offset- or token-paged list
// returns; larger limits are clamped to it.
const DefaultMaxPageSize = 100

// Options configure a Server.
type Options struct {
	// Token is the only personal access token the server accepts.
	Token string
	// Fixture holds what the Immuta governance app owns (domains, data
	// sources, users, groups). Nil means DefaultFixture().
	Fixture *Fixture
	// CallerGlobalUserID is the user the token acts as; it is recorded as
	// createdBy/updatedBy. Empty means the fixture's first user.
	CallerGlobalUserID string
	// MaxPageSize clamps the page size of list calls. Zero means
	// DefaultMaxPageSize.
	MaxPageSize int
	// Now returns the current time. Nil means time.Now.
	Now func() time.Time
	// Faults are injected from the start (see InjectFault).
	Faults []Fault
	// FaultSeed seeds the choice of which requests a probabilistic fault
	// hits; zero picks a random seed.
	FaultSeed uint64
	// ReadAfterWriteLag hides new objects from GET for this long.
	ReadAfterWriteLag time.Duration
	// RequestLogLimit bounds how many requests the log keeps (the newest);
	// zero means DefaultRequestLogLimit.
	RequestLogLimit int

	// OpenAPI, if set, checks every exchange against the service's
	// OpenAPI document (see "Contract check" in the package
	// documentation); ContractViolations reports what broke it.
	OpenAPI *Contract
	// StrictContractRequests makes every request the contract forbids a
	// violation, even one the emulator rightly rejected.
	StrictContractRequests bool
	// OnContractViolation, if set, is called with each violation as it
	// is found.
	OnContractViolation func(Violation)

	// AdminToken turns on the admin API under AdminPath (reset, seed)
	// for requests with this token; empty leaves it off. It must not be
	// the API token.
	AdminToken string
}

// Server is an in-memory Immuta Marketplace API. It implements
// http.Handler; serve it under any host, the API lives under BasePath.
type Server struct {
	mu       sync.Mutex
	token    string
	fixture  *Fixture
	caller   User
	maxPage  int
	now      func() time.Time
	mux      *http.ServeMux
	requests requestLog
	faults   faultState

	dataUseAgreements map[string]*DataUseAgreement
	// agreementReferrers list, for an agreement id, the request forms
	// that include it. They run with s.mu held.
	agreementReferrers []func(agreementID string) []ObjectRef

	requestForms map[string]*RequestForm
	// requestFormVersions holds a snapshot of every version of every form.
	requestFormVersions map[string]RequestForm
	// formReferrers list, for a form id, the data products that use it;
	// formDomains list those products' domain ids. They run with s.mu held.
	formReferrers []func(formID string) []ObjectRef
	formDomains   []func(formID string) []string

	dataProducts map[string]*DataProduct

	webhooks map[string]*Webhook

	// contract checks exchanges when Options.OpenAPI is set; it serves
	// through serve.
	contract *ContractCheck

	// adminToken guards the admin API ("" turns it off); initialState is
	// the state New made, which its reset restores.
	adminToken   string
	initialState []byte
}

// Request is one request the server received, for tests to inspect. Of
// the headers it keeps only the User-Agent, so that no token is ever held
// in the log, and at most MaxLoggedBody bytes of the body.
type Request struct {
	Method string
	// Path is the escaped path, including BasePath.
	Path      string
	Query     string
	UserAgent string
	// Body is the request body, cut at MaxLoggedBody bytes; the body of
	// a request without a valid token is not read, and not logged.
	Body []byte
	// BodyTruncated is set when Body was cut.
	BodyTruncated bool
	// Status is the status the server answered with.
	Status int
}

// Bounds of the request log: it keeps the newest requests, at most
// DefaultRequestLogLimit of them and DefaultRequestLogBytes of bodies, so
// that an emulator serving a long CI run keeps a flat memory profile.
const (
	DefaultRequestLogLimit = 10000
	DefaultRequestLogBytes = 8 << 20
	MaxLoggedBody          = 16 << 10
)

// New returns a Server with its state empty but for the fixture.
func New(opts Options) *Server {
	s := &Server{
		token:               opts.Token,
		fixture:             opts.Fixture,
		maxPage:             opts.MaxPageSize,
		now:                 opts.Now,
		dataUseAgreements:   map[string]*DataUseAgreement{},
		requestForms:        map[string]*RequestForm{},
		requestFormVersions: map[string]RequestForm{},
		dataProducts:        map[string]*DataProduct{},
		requests:            requestLog{limit: opts.RequestLogLimit, byteLimit: DefaultRequestLogBytes},
	}
	if s.requests.limit <= 0 {
		s.requests.limit = DefaultRequestLogLimit
	}
	if s.token == "" {
		s.token = DefaultToken
	}
	if s.fixture == nil {
		s.fixture = DefaultFixture()
	}
	if s.maxPage <= 0 {
		s.maxPage = DefaultMaxPageSize
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.caller = s.fixture.callerUser(opts.CallerGlobalUserID)
	seed := opts.FaultSeed
	if seed == 0 {
		seed = rand.Uint64()
	}
	// Fault choice needs no cryptographic randomness, only a seed that
	// can repeat a run.
	s.faults.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s.faults.lagSeen = map[string]time.Time{}
	s.faults.lag = Duration(opts.ReadAfterWriteLag)
	for _, f := range opts.Faults {
		if _, err := s.InjectFault(f); err != nil {
			panic(fmt.Sprintf("marketplacetest: invalid fault %+v: %v", f, err))
		}
	}
	s.mux = http.NewServeMux()
	s.routeDataUseAgreements()
	s.routeMetadata()
	s.routeRequestForms()
	s.routeDataProducts()
	s.routeWebhooks()
	s.adminToken = opts.AdminToken
	if s.adminToken != "" && s.adminToken == s.token {
		panic("marketplacetest: the admin token must not be the API token")
	}
	s.seedFixtureObjects()
	if opts.OpenAPI != nil {
		s.contract = opts.OpenAPI.Check(http.HandlerFunc(s.serve), CheckOptions{
			StrictRequests: opts.StrictContractRequests,
			OnViolation:    opts.OnContractViolation,
		})
	}
	return s
}

// ContractViolations returns the exchanges that broke the contract so
// far; nil when the contract check is off.
func (s *Server) ContractViolations() []Violation {
	if s.contract == nil {
		return nil
	}
	return s.contract.Violations()
}

// ContractRejections returns the requests the contract forbids that the
// emulator rightly rejected (with StrictContractRequests they are
// violations instead).
func (s *Server) ContractRejections() []Violation {
	if s.contract == nil {
		return nil
	}
	return s.contract.Rejected()
}

// ResetContractViolations forgets the violations and rejections so far.
func (s *Server) ResetContractViolations() {
	if s.contract != nil {
		s.contract.Reset()
	}
}

// Token returns the token the server accepts.
func (s *Server) Token() string { return s.token }

// Fixture returns the fixture the server was built with. Tests may read
// it; changing it while the server runs is not supported.
func (s *Server) Fixture() *Fixture { return s.fixture }

// SetMaxPageSize changes the page size limit, to force pagination.
func (s *Server) SetMaxPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= 0 {
		n = DefaultMaxPageSize
	}
	s.maxPage = n
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests.entries)
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests.reset()
}

// handle registers a handler for "METHOD /api/..." under BasePath.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.mux.HandleFunc(method+" "+BasePath+path, h)
}

// ServeHTTP authenticates the request, routes it, and logs it; with the
// contract check on, it checks the exchange too.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveAdmin(w, r) {
		return
	}
	if s.contract != nil {
		s.contract.ServeHTTP(w, r)
		return
	}
	s.serve(w, r)
}

// serve is ServeHTTP without the contract check. The token is checked
// before the body is read, so that a caller without one costs no more
// than its headers.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	var body []byte
	var logOnce sync.Once
	logRequest := func() {
		logOnce.Do(func() {
			entry := Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, UserAgent: r.UserAgent(), Status: rec.status}
			entry.Body, entry.BodyTruncated = body, len(body) > MaxLoggedBody
			if entry.BodyTruncated {
				entry.Body = slices.Clone(body[:MaxLoggedBody])
			}
			s.mu.Lock()
			s.requests.add(entry)
			s.mu.Unlock()
		})
	}
	// A dropped connection is logged before it closes, so that a client
	// seeing the drop also finds the request in the log.
	rec.beforeHijack = logRequest
	defer logRequest()
	if !strings.HasPrefix(r.URL.Path, BasePath+"/") {
		writeNotFoundRoute(rec, r)
		return
	}
	if s.serveHealth(rec, r) {
		return
	}
	if !s.authorized(r) {
		// The exact body the service sends for a missing or wrong token,
		// and for a token of another region.
		writeError(rec, http.StatusUnauthorized, "Not authenticated.")
		return
	}
	var err error
	body, err = readBody(r)
	if errors.Is(err, errBodyTooLarge) {
		writeError(rec, http.StatusRequestEntityTooLarge, "request entity too large")
		return
	}
	if err != nil {
		writeError(rec, http.StatusBadRequest, "request body could not be read")
		return
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		writeNotFoundRoute(rec, r)
		return
	}
	if f := s.pickFault(r); f != nil {
		s.serveWithFault(rec, r, f, s.mux.ServeHTTP)
		return
	}
	s.mux.ServeHTTP(rec, r)
}

// requestLog keeps the newest requests within a count and a byte budget.
type requestLog struct {
	entries   []Request
	bytes     int
	limit     int
	byteLimit int
}

func (l *requestLog) add(r Request) {
	l.entries = append(l.entries, r)
	l.bytes += len(r.Body)
	if len(l.entries) <= l.limit && l.bytes <= l.byteLimit {
		return
	}
	// Trim to three quarters of both bounds at once, so that the copy
	// below happens once every many requests, not on each.
	drop := 0
	for drop < len(l.entries)-1 && (len(l.entries)-drop > l.limit*3/4 || l.bytes > l.byteLimit*3/4) {
		l.bytes -= len(l.entries[drop].Body)
		drop++
	}
	// A fresh array lets the dropped requests' bodies be collected.
	l.entries = append(make([]Request, 0, l.limit), l.entries[drop:]...)
}

func (l *requestLog) reset() {
	l.entries, l.bytes = nil, 0
}

func (s *Server) authorized(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") && token != "" && token == s.token
}

// timestampLayout is how the service renders times: UTC, milliseconds.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// timestamp renders the current time as the service does.
func (s *Server) timestamp() string {
	return s.now().UTC().Format(timestampLayout)
}

// callerRef is the caller as createdBy/updatedBy.
func (s *Server) callerRef() UserRef {
	return UserRef{GlobalUserID: s.caller.GlobalUserID, Name: s.caller.Name}
}

type statusRecorder struct {
	http.ResponseWriter
	status       int
	beforeHijack func()
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Hijack lets a fault drop the connection; the log records status 0.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the connection cannot be hijacked")
	}
	r.status = 0
	if r.beforeHijack != nil {
		r.beforeHijack()
	}
	return hj.Hijack()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers in the NestJS error shape. message is a string, or a
// list of strings for validation errors.
func writeError(w http.ResponseWriter, status int, message any) {
	writeJSON(w, status, errorBody{Message: message, Error: http.StatusText(status), StatusCode: status})
}

// errorBody is the NestJS error shape, fields in the service's order.
type errorBody struct {
	Message    any    `json:"message"`
	Error      string `json:"error"`
	StatusCode int    `json:"statusCode"`
}

// writeValidation answers 400 with every validation message, as NestJS's
// ValidationPipe does.
func writeValidation(w http.ResponseWriter, messages []string) {
	writeError(w, http.StatusBadRequest, messages)
}

// writeNotFoundRoute is NestJS's answer to a route it does not have.
func writeNotFoundRoute(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "Cannot "+r.Method+" "+r.URL.Path)
}
