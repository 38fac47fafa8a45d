package marketplacetest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// OpenAPIEnv names the environment variable that points NewTestServer
// (and the marketplace-emulator command) at the service's OpenAPI
// document, which turns the contract check on.
const OpenAPIEnv = "MARKETPLACE_OPENAPI"

// Contract is the service's OpenAPI document, loaded and prepared for
// checking exchanges against it. It is safe for concurrent use.
type Contract struct {
	path    string
	doc     *openapi3.T
	router  routers.Router
	formats []openapi3.SchemaValidationOption
}

var contracts struct {
	mu     sync.Mutex
	byPath map[string]*Contract
}

// LoadContract reads the OpenAPI document at path. The document is read
// once per process: later calls with the same path share the result.
func LoadContract(path string) (*Contract, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	contracts.mu.Lock()
	defer contracts.mu.Unlock()
	if c, ok := contracts.byPath[abs]; ok {
		return c, nil
	}
	c, err := loadContract(abs)
	if err != nil {
		return nil, fmt.Errorf("OpenAPI document %s: %w", path, err)
	}
	if contracts.byPath == nil {
		contracts.byPath = map[string]*Contract{}
	}
	contracts.byPath[abs] = c
	return c, nil
}

func loadContract(path string) (*Contract, error) {
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		return nil, err
	}
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		return nil, errors.New("the document has no paths")
	}
	relaxStringOneOfs(doc)
	// The document's server is the real service's URL with a region
	// variable; routing on the path under BasePath is all that matters
	// here, whatever host the emulator listens on.
	doc.Servers = openapi3.Servers{{URL: BasePath}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &Contract{
		path:   path,
		doc:    doc,
		router: router,
		// kin-openapi checks date-time itself but ignores formats it does
		// not know, which would let any string pass as a uuid or a cuid.
		// They go with each check rather than into kin-openapi's global
		// registry, which would change it for the whole process.
		formats: []openapi3.SchemaValidationOption{
			openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562)),
			openapi3.WithStringFormatValidator("cuid", openapi3.NewRegexpFormatValidator(contractCUIDPattern)),
		},
	}, nil
}

// contractCUIDPattern accepts the cuids the service and the emulator
// generate ("c" and 24 more) and the other lengths cuid libraries make.
const contractCUIDPattern = `^c[a-z0-9]{20,32}$`

// Path is the file the contract was read from.
func (c *Contract) Path() string { return c.path }

// relaxStringOneOfs turns every oneOf whose alternatives are all plain
// string schemas into an anyOf. The document is generated from code that
// writes "a cuid or a uuid", "a date-time or a date-time" or "a name or
// an empty string" as oneOf; a value that fits both alternatives (any
// date-time, the empty string) can then never pass oneOf's "exactly
// one", although the service means "either". Nothing else is relaxed.
func relaxStringOneOfs(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if len(s.OneOf) > 0 && allPlainStrings(s.OneOf) {
			s.AnyOf = append(s.AnyOf, s.OneOf...)
			s.OneOf = nil
		}
		for _, list := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf} {
			for _, r := range list {
				walk(r)
			}
		}
		walk(s.Not)
		walk(s.Items)
		for _, p := range s.Properties {
			walk(p)
		}
		if s.AdditionalProperties.Schema != nil {
			walk(s.AdditionalProperties.Schema)
		}
	}
	walkContent := func(content openapi3.Content) {
		for _, mt := range content {
			walk(mt.Schema)
		}
	}
	walkParameters := func(params openapi3.Parameters) {
		for _, p := range params {
			if p.Value != nil {
				walk(p.Value.Schema)
				walkContent(p.Value.Content)
			}
		}
	}
	if doc.Components != nil {
		for _, s := range doc.Components.Schemas {
			walk(s)
		}
	}
	for _, item := range doc.Paths.Map() {
		walkParameters(item.Parameters)
		for _, op := range item.Operations() {
			walkParameters(op.Parameters)
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				walkContent(op.RequestBody.Value.Content)
			}
			for _, resp := range op.Responses.Map() {
				if resp.Value != nil {
					walkContent(resp.Value.Content)
				}
			}
		}
	}
}

// allPlainStrings reports whether every schema is a string schema with
// no composition of its own.
func allPlainStrings(refs openapi3.SchemaRefs) bool {
	for _, r := range refs {
		s := r.Value
		if s == nil || s.Type == nil || !s.Type.Is(openapi3.TypeString) ||
			len(s.OneOf)+len(s.AnyOf)+len(s.AllOf) > 0 || s.Not != nil {
			return false
		}
	}
	return true
}

// ViolationKind says which half of an exchange broke the contract.
type ViolationKind string

// The kinds of Violation.
const (
	ViolationRequest  ViolationKind = "request"
	ViolationResponse ViolationKind = "response"
)

// Violation is one exchange that does not keep to the contract.
type Violation struct {
	Method string
	// Path is the request's path (including BasePath) and query.
	Path string
	// Route is the contract's path template ("/api/data-product/{id}"),
	// empty for an undocumented operation.
	Route string
	// Status is the status the client got; 0 for a dropped connection.
	Status    int
	Kind      ViolationKind
	Complaint string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s -> %d: %s: %s", v.Method, v.Path, v.Status, v.Kind, v.Complaint)
}

// CheckOptions configure a ContractCheck.
type CheckOptions struct {
	// StrictRequests makes every request the contract forbids a
	// violation, even one the handler rightly rejected with a 4xx: the
	// provider must never send one.
	StrictRequests bool
	// OnViolation, if set, is called with each violation as it is found.
	OnViolation func(Violation)
}

// ContractCheck is an http.Handler that serves through another handler
// and checks every exchange under BasePath against a Contract.
type ContractCheck struct {
	contract *Contract
	next     http.Handler
	opts     CheckOptions

	mu         sync.Mutex
	violations []Violation
	rejected   []Violation
}

// Check wraps next so that every exchange it serves under BasePath is
// checked against the contract.
func (c *Contract) Check(next http.Handler, opts CheckOptions) *ContractCheck {
	return &ContractCheck{contract: c, next: next, opts: opts}
}

// Violations returns the violations found so far.
func (k *ContractCheck) Violations() []Violation {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.violations)
}

// Rejected returns the requests the contract forbids that were answered
// with an error status, and so are not violations (unless
// StrictRequests, which makes them violations instead).
func (k *ContractCheck) Rejected() []Violation {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.rejected)
}

// Reset forgets the violations and rejected requests found so far.
func (k *ContractCheck) Reset() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.violations, k.rejected = nil, nil
}

func (k *ContractCheck) record(v Violation, rejected bool) {
	k.mu.Lock()
	if rejected {
		k.rejected = append(k.rejected, v)
	} else {
		k.violations = append(k.violations, v)
	}
	k.mu.Unlock()
	if !rejected && k.opts.OnViolation != nil {
		k.opts.OnViolation(v)
	}
}

// exchangeKey keys the request context's *exchangeNote.
type exchangeKey struct{}

// exchangeNote is how the handler tells the check that its answer is an
// injected fault, which no contract describes.
type exchangeNote struct {
	mu    sync.Mutex
	fault bool
}

// markInjectedFault tells a surrounding ContractCheck, if any, that the
// answer to r is an injected fault.
func markInjectedFault(r *http.Request) {
	if n, ok := r.Context().Value(exchangeKey{}).(*exchangeNote); ok {
		n.mu.Lock()
		n.fault = true
		n.mu.Unlock()
	}
}

func (n *exchangeNote) injected() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.fault
}

// ServeHTTP serves r through the wrapped handler, buffering the answer
// so that it can be checked before the client gets it.
func (k *ContractCheck) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != BasePath && !strings.HasPrefix(r.URL.Path, BasePath+"/") {
		k.next.ServeHTTP(w, r)
		return
	}
	body, complete := peekBody(r)
	if !complete {
		// Too large or unreadable: the handler answers that itself.
		k.next.ServeHTTP(w, r)
		return
	}
	note := &exchangeNote{}
	r = r.WithContext(context.WithValue(r.Context(), exchangeKey{}, note))
	buf := &bufferedResponse{w: w}
	k.next.ServeHTTP(buf, r)
	if buf.hijacked {
		return // a dropped connection: nobody got an answer to check
	}
	status := buf.statusCode()
	if r.Context().Err() == nil && !note.injected() {
		k.check(r, body, status, w.Header(), buf.body)
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.body)
}

// peekBody reads r's body, up to what the emulator accepts, and puts it
// back for the handler. complete is false when the body could not be
// read whole.
func peekBody(r *http.Request) (body []byte, complete bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, true
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	rest := r.Body
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(data), rest), rest}
	return data, err == nil && len(data) <= maxBodyBytes
}

func readCloser(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

// check checks one exchange; r's body has been read into body.
func (k *ContractCheck) check(r *http.Request, body []byte, status int, header http.Header, respBody []byte) {
	v := Violation{Method: r.Method, Path: r.URL.RequestURI(), Status: status}

	// Route on a copy: the router and the validators may read the body
	// and the URL, and must not change what the handler saw.
	req := r.Clone(context.Background())
	req.Body = readCloser(body)
	req.ContentLength = int64(len(body))
	route, pathParams, err := k.contract.router.FindRoute(req)
	if err != nil {
		if status == http.StatusNotFound {
			return // the service's own answer to a route it does not have
		}
		v.Kind, v.Complaint = ViolationRequest, "undocumented operation (the contract has no "+r.Method+" "+strings.TrimPrefix(r.URL.Path, BasePath)+")"
		k.record(v, false)
		return
	}
	v.Route = route.Path

	opts := &openapi3filter.Options{
		MultiError:                        true,
		SkipSettingDefaults:               true,
		RejectWhenRequestBodyNotSpecified: true,
		AuthenticationFunc:                openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions:           k.contract.formats,
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: opts}
	var complaints []string
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		complaints = append(complaints, complain(err)...)
	}
	complaints = append(complaints, undeclaredQueryParameters(route, req)...)
	if len(complaints) > 0 {
		v.Kind = ViolationRequest
		v.Complaint = joinComplaints(complaints)
		switch {
		case status >= 200 && status < 300:
			v.Complaint = "accepted a request the contract forbids: " + v.Complaint
			k.record(v, false)
		case k.opts.StrictRequests:
			k.record(v, false)
		default:
			k.record(v, true)
		}
	}

	if complaint := k.checkResponse(in, route, status, header, respBody); complaint != "" {
		v.Kind, v.Complaint = ViolationResponse, complaint
		k.record(v, false)
	}
}

// checkResponse returns what is wrong with the response, or "".
func (k *ContractCheck) checkResponse(in *openapi3filter.RequestValidationInput, route *routers.Route, status int, header http.Header, body []byte) string {
	success := status >= 200 && status < 300
	responses := route.Operation.Responses
	declared := responses.Status(status)
	if declared == nil {
		declared = responses.Default()
	}
	if declared == nil {
		if !success {
			return "" // the contract describes no error answers
		}
		return fmt.Sprintf("status %d is not declared (the contract declares %s)", status, declaredStatuses(responses))
	}
	if declared.Value == nil || len(declared.Value.Content) == 0 {
		if success && len(body) > 0 {
			return fmt.Sprintf("status %d is declared without a body, but the response has one", status)
		}
		return ""
	}
	err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Body:                   readCloser(body),
		Options:                in.Options,
	})
	if err != nil {
		return joinComplaints(complain(err))
	}
	return ""
}

func declaredStatuses(responses *openapi3.Responses) string {
	var codes []string
	for code := range responses.Map() {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	if len(codes) == 0 {
		return "none"
	}
	return strings.Join(codes, ", ")
}

// undeclaredQueryParameters names the query parameters the operation
// does not declare. kin-openapi lets them pass, but the service ignores
// them, so a client sending one does not get what it asked for.
func undeclaredQueryParameters(route *routers.Route, r *http.Request) []string {
	var out []string
	for name := range r.URL.Query() {
		if route.Operation.Parameters.GetByInAndName(openapi3.ParameterInQuery, name) != nil ||
			route.PathItem.Parameters.GetByInAndName(openapi3.ParameterInQuery, name) != nil {
			continue
		}
		out = append(out, fmt.Sprintf("query parameter %q is not in the contract", name))
	}
	slices.Sort(out)
	return out
}

// maxComplaints caps how many complaints one violation lists.
const maxComplaints = 4

func joinComplaints(list []string) string {
	list = slices.Compact(list)
	if len(list) > maxComplaints {
		list = append(list[:maxComplaints], fmt.Sprintf("and %d more", len(list)-maxComplaints))
	}
	return strings.Join(list, "; ")
}

// complain turns a kin-openapi error into short complaints: where in the
// request or response, and why, without the schema and value dumps its
// messages carry.
func complain(err error) []string {
	// Each level of kin-openapi's error tree is taken apart in turn; a
	// MultiError would answer errors.As for its first element only.
	switch e := err.(type) { //nolint:errorlint // the error itself, not one it wraps
	case openapi3.MultiError:
		var out []string
		for _, inner := range e {
			out = append(out, complain(inner)...)
		}
		return out
	case *openapi3filter.RequestError:
		where := "body"
		if p := e.Parameter; p != nil {
			where = fmt.Sprintf("%s parameter %q", p.In, p.Name)
		}
		return prefixed(where, e.Reason, e.Err)
	case *openapi3filter.ResponseError:
		return prefixed("body", e.Reason, e.Err)
	}
	var schemaErr *openapi3.SchemaError
	if errors.As(err, &schemaErr) {
		return []string{schemaComplaint(schemaErr, nil)}
	}
	return []string{err.Error()}
}

// prefixed names where the complaints of err are. reason, kin-openapi's
// summary ("doesn't match schema"), is kept only when err is no schema
// error, which would say more precisely what is wrong.
func prefixed(where, reason string, err error) []string {
	if err == nil {
		return []string{where + ": " + reason}
	}
	var schemaErr *openapi3.SchemaError
	keepReason := reason != "" && !errors.As(err, &schemaErr)
	inner := complain(err)
	for i, c := range inner {
		if keepReason {
			c = reason + ": " + c
		}
		inner[i] = where + " " + c
	}
	return inner
}

// schemaComplaint is "at /pointer: reason". For a failed oneOf it gives
// the complaints of the alternatives that came closest (failed deepest),
// which are usually the ones the value was meant to be.
func schemaComplaint(e *openapi3.SchemaError, outer []string) string {
	path := e.JSONPointer()
	if !hasPrefix(path, outer) {
		path = append(slices.Clone(outer), path...)
	}
	if e.SchemaField == "oneOf" && e.Origin != nil {
		var alternatives openapi3.MultiError
		if errors.As(e.Origin, &alternatives) {
			if c := closestAlternatives(e, alternatives, path); c != "" {
				return c
			}
		}
	}
	return "at /" + strings.Join(path, "/") + ": " + schemaReason(e)
}

// schemaReason is kin-openapi's reason, without the regular expressions
// behind formats, and naming the alternatives of a failed anyOf of
// strings (an id that is neither a cuid nor a uuid).
func schemaReason(e *openapi3.SchemaError) string {
	switch {
	case e.SchemaField == "format" && e.Schema != nil:
		return fmt.Sprintf("%s is not a %s", shortValue(e.Value), e.Schema.Format)
	case e.SchemaField == "anyOf" && e.Schema != nil && allPlainStrings(e.Schema.AnyOf):
		var kinds []string
		for _, alt := range e.Schema.AnyOf {
			switch {
			case alt.Value.Format != "":
				kinds = append(kinds, alt.Value.Format)
			case alt.Value.Pattern != "":
				kinds = append(kinds, "a match of "+alt.Value.Pattern)
			default:
				kinds = append(kinds, "a string")
			}
		}
		return fmt.Sprintf("%s is not a %s", shortValue(e.Value), strings.Join(slices.Compact(kinds), " or a "))
	case e.Reason != "":
		return e.Reason
	}
	return "does not match the schema's " + e.SchemaField
}

// shortValue renders a value for a complaint, cut to a readable length.
func shortValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}

func closestAlternatives(oneOf *openapi3.SchemaError, alternatives openapi3.MultiError, path []string) string {
	if c, ok := taggedAlternative(oneOf, alternatives, path); ok {
		return c
	}
	var best *openapi3.SchemaError
	for _, alt := range alternatives {
		var s *openapi3.SchemaError
		if errors.As(alt, &s) && (best == nil || len(s.JSONPointer()) > len(best.JSONPointer())) {
			best = s
		}
	}
	if best == nil {
		return ""
	}
	return schemaComplaint(best, path)
}

// taggedAlternative handles a oneOf of objects told apart by a tag, a
// property every alternative restricts to an enum ("type": "approve",
// "deny", ...): the complaint is that of the alternative the value's tag
// names, or, when it names none, that the tag is not one of them all.
func taggedAlternative(oneOf *openapi3.SchemaError, alternatives openapi3.MultiError, path []string) (string, bool) {
	value, ok := oneOf.Value.(map[string]any)
	schemas := oneOf.Schema.OneOf
	if !ok || len(schemas) != len(alternatives) {
		return "", false
	}
	tag, ok := tagProperty(oneOf.Schema)
	if !ok {
		return "", false
	}
	var allowed []any
	for i, alt := range schemas {
		enum := alt.Value.Properties[tag].Value.Enum
		allowed = append(allowed, enum...)
		if slices.ContainsFunc(enum, func(v any) bool { return reflect.DeepEqual(v, value[tag]) }) {
			var s *openapi3.SchemaError
			if errors.As(alternatives[i], &s) {
				return schemaComplaint(s, path), true
			}
			return "", false
		}
	}
	values, _ := json.Marshal(allowed)
	return "at /" + strings.Join(append(slices.Clone(path), tag), "/") + ": value is not one of the allowed values " + string(values), true
}

// tagProperty finds the tag of a oneOf: a property that every
// alternative restricts to an enum, the discriminator if it is one.
func tagProperty(schema *openapi3.Schema) (string, bool) {
	var names []string
	if d := schema.Discriminator; d != nil {
		names = append(names, d.PropertyName)
	}
	if len(schema.OneOf) > 0 && schema.OneOf[0].Value != nil {
		names = append(names, slices.Sorted(maps.Keys(schema.OneOf[0].Value.Properties))...)
	}
	for _, name := range names {
		tagged := true
		for _, alt := range schema.OneOf {
			if alt.Value == nil {
				return "", false
			}
			p := alt.Value.Properties[name]
			if p == nil || p.Value == nil || len(p.Value.Enum) == 0 {
				tagged = false
				break
			}
		}
		if tagged {
			return name, true
		}
	}
	return "", false
}

func hasPrefix(s, prefix []string) bool {
	return len(s) >= len(prefix) && slices.Equal(s[:len(prefix)], prefix)
}

// bufferedResponse holds a handler's answer until it has been checked.
// Headers go straight to the real writer, which sends nothing before
// WriteHeader.
type bufferedResponse struct {
	w        http.ResponseWriter
	status   int
	body     []byte
	hijacked bool
}

func (b *bufferedResponse) Header() http.Header { return b.w.Header() }

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	b.body = append(b.body, p...)
	return len(p), nil
}

func (b *bufferedResponse) statusCode() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}

// Hijack hands the connection to a fault that drops it.
func (b *bufferedResponse) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := b.w.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the connection cannot be hijacked")
	}
	b.hijacked = true
	return hj.Hijack()
}
