package marketplacetest

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Request form field types: the Marketplace UI's answer formats.
const (
	FieldShortAnswer    = "SHORT_ANSWER"
	FieldDropdown       = "DROPDOWN"
	FieldCheckboxes     = "CHECKBOXES"
	FieldAccessDuration = "ACCESS_DURATION"
)

// AccessDurationLabel is the only label an ACCESS_DURATION field may
// have.
const AccessDurationLabel = "How long do you need access to this data?"

// FieldTypes lists every field type.
var FieldTypes = []string{FieldDropdown, FieldCheckboxes, FieldShortAnswer, FieldAccessDuration}

// hasOptions reports whether a field type lists choices.
func hasOptions(fieldType string) bool {
	return fieldType == FieldDropdown || fieldType == FieldCheckboxes
}

// Limits on request forms (the documentation gives none; these are the
// emulator's documented choice, mirrored by the provider).
const (
	MaxRequestFormNameLength = 255
	MaxFieldLabelLength      = 1000
	MaxFieldOptionLength     = 255
)

// The built-in Standard Request Form. Request form ids are UUIDs, so it
// has a fixed one.
const (
	StandardRequestFormID      = "00000000-0000-4000-8000-00000000f0a1"
	StandardRequestFormName    = "Standard Request Form"
	standardRequestFormFieldID = "5f0c6f9e-2d7e-4b8a-9a57-0b6c2f1d7a11"
	standardRequestFormVersion = "cl9x0standardform00000001"
)

// FieldOption is one choice of a DROPDOWN or CHECKBOXES field.
type FieldOption struct {
	Value string `json:"value"`
}

// FormField is one question of a request form. Options is rendered for
// DROPDOWN and CHECKBOXES only (they always have some).
type FormField struct {
	ID       string        `json:"id"`
	Type     string        `json:"type"`
	Label    string        `json:"label"`
	Required bool          `json:"required"`
	Options  []FieldOption `json:"options,omitempty"`
}

// newFormVersion returns a new cuid for a request form version.
func newFormVersion() string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := []byte{'c'}
	for len(b) < 25 {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		b = append(b, alphabet[n.Int64()])
	}
	return string(b)
}

// RequestForm is the stored form of a request form. The API renders it
// with the agreements embedded (see requestFormView).
type RequestForm struct {
	ID                  string
	Name                string
	Fields              []FormField
	Policy              Policy
	DataUseAgreementIDs []string
	CreatedBy           UserRef
	CreatedAt           string
	UpdatedBy           UserRef
	UpdatedAt           string
	Version             string
}

func (f RequestForm) clone() RequestForm {
	out := f
	out.Fields = make([]FormField, len(f.Fields))
	for i, fld := range f.Fields {
		fld.Options = slices.Clone(fld.Options)
		out.Fields[i] = fld
	}
	out.Policy = f.Policy.clone()
	out.DataUseAgreementIDs = slices.Clone(f.DataUseAgreementIDs)
	return out
}

// agreementSummary is an agreement as embedded in a request form.
type agreementSummary struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Body string `json:"body"`
}

// requestFormView is a request form as the API returns it.
type requestFormView struct {
	ID                string             `json:"id"`
	Name              string             `json:"name"`
	Fields            []FormField        `json:"fields"`
	Policy            Policy             `json:"policy"`
	DataUseAgreements []agreementSummary `json:"dataUseAgreements"`
	CreatedBy         UserRef            `json:"createdBy"`
	CreatedAt         string             `json:"createdAt"`
	UpdatedBy         UserRef            `json:"updatedBy"`
	UpdatedAt         string             `json:"updatedAt"`
	Version           string             `json:"version"`
	AssociatedDomains *[]string          `json:"associatedDomains,omitempty"`
}

// requestFormBody is the body of POST and PUT; its parts are checked by
// parseRequestForm.
type requestFormBody struct {
	ID                  *string         `json:"id"`
	Name                *string         `json:"name"`
	Fields              json.RawMessage `json:"fields"`
	Policy              json.RawMessage `json:"policy"`
	DataUseAgreementIDs json.RawMessage `json:"dataUseAgreementIds"`
}

func (s *Server) routeRequestForms() {
	s.handle("POST /api/request-form", s.createRequestForm)
	s.handle("GET /api/request-form", s.listRequestForms)
	s.handle("GET /api/request-form/{id}", s.getRequestForm)
	// One pattern serves version/{version} and {id}/data-products, which
	// ServeMux would otherwise reject as overlapping.
	s.handle("GET /api/request-form/{a}/{b}", s.getRequestFormSub)
	s.handle("PUT /api/request-form/{id}", s.updateRequestForm)
	s.handle("DELETE /api/request-form/{id}", s.deleteRequestForm)
	s.agreementReferrers = append(s.agreementReferrers, s.requestFormsWithAgreement)
	s.addStandardRequestForm()
}

// addStandardRequestForm stores the built-in form every tenant has. The
// tenant was provisioned before anyone could call it, so the form is
// stamped a day before the server starts: sorting by createdAt then puts
// it behind every form a caller makes, even one made in the same
// millisecond as the server started.
func (s *Server) addStandardRequestForm() {
	now := s.now().Add(-24 * time.Hour).UTC().Format(timestampLayout)
	f := RequestForm{
		ID:   StandardRequestFormID,
		Name: StandardRequestFormName,
		Fields: []FormField{{
			ID: standardRequestFormFieldID, Type: FieldShortAnswer, Label: "Why do you need access to this data?", Required: true,
		}},
		Policy: Policy{Rules: []PolicyRule{}, DefaultEvent: PolicyEvent{
			Type: EventApprove, Params: &EventParams{Comment: "Access is granted automatically with the Standard Request Form."},
		}},
		DataUseAgreementIDs: []string{},
		CreatedBy:           s.callerRef(), CreatedAt: now, UpdatedBy: s.callerRef(), UpdatedAt: now,
		Version: standardRequestFormVersion,
	}
	s.requestForms[f.ID] = &f
	s.requestFormVersions[f.Version] = f.clone()
}

// parseRequestForm checks a create or update body. exceptID is the form
// being updated (its own name and id do not conflict), or "". The
// caller holds s.mu (agreements are looked up).
func (s *Server) parseRequestForm(in requestFormBody) (RequestForm, checks) {
	var f RequestForm
	var msgs checks
	msgs.requiredString("name", in.Name, MaxRequestFormNameLength)
	if in.Name != nil {
		f.Name = *in.Name
	}
	if in.ID != nil && !isUUID(*in.ID) {
		msgs.add("id must be a UUID")
	}
	f.Fields = s.checkFields(in.Fields, &msgs)
	if isJSONNull(in.Policy) {
		msgs.add("policy should not be empty")
	} else {
		f.Policy = s.checkPolicy(in.Policy, "policy", policyOptions{requestForm: true}, &msgs)
	}
	f.DataUseAgreementIDs = []string{}
	if !isJSONNull(in.DataUseAgreementIDs) {
		var ids []json.RawMessage
		if err := json.Unmarshal(in.DataUseAgreementIDs, &ids); err != nil {
			msgs.add("dataUseAgreementIds must be an array")
		}
		seen := map[string]bool{}
		for i, raw := range ids {
			var id string
			if err := json.Unmarshal(raw, &id); err != nil || !isUUID(id) {
				msgs.add("each value in dataUseAgreementIds must be a UUID (dataUseAgreementIds.%d)", i)
				continue
			}
			id = strings.ToLower(id)
			switch {
			case seen[id]:
				msgs.add("dataUseAgreementIds.%d: %s appears twice; all dataUseAgreementIds's elements must be unique", i, id)
			case s.dataUseAgreements[id] == nil:
				msgs.add("dataUseAgreementIds.%d: data use agreement %s not found", i, id)
			}
			seen[id] = true
			f.DataUseAgreementIDs = append(f.DataUseAgreementIDs, id)
		}
	}
	return f, msgs
}

// checkFields validates a request form's fields: a non-empty list with
// unique ids and labels and at most one ACCESS_DURATION field.
func (s *Server) checkFields(raw json.RawMessage, msgs *checks) []FormField {
	var items []json.RawMessage
	if isJSONNull(raw) {
		msgs.add("fields should not be empty")
		msgs.add("fields must be an array")
		return nil
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		msgs.add("fields must be an array")
		return nil
	}
	if len(items) == 0 {
		msgs.add("fields must contain at least 1 elements")
	}
	var out []FormField
	seen := fieldsSeen{labels: map[string]int{}, ids: map[string]int{}}
	accessDurations := 0
	for i, item := range items {
		fld, ok := checkField(item, i, seen, msgs)
		if !ok {
			continue
		}
		if fld.Type == FieldAccessDuration {
			accessDurations++
		}
		out = append(out, fld)
	}
	if accessDurations > 1 {
		msgs.add("fields must contain at most one %s field", FieldAccessDuration)
	}
	return out
}

// fieldsSeen maps the ids and lower-cased labels of a form's fields so
// far to the index of the field that has them.
type fieldsSeen struct {
	labels, ids map[string]int
}

// checkField validates fields.i; it is false when the field has no type
// to read it by.
func checkField(item json.RawMessage, i int, seen fieldsSeen, msgs *checks) (FormField, bool) {
	at := fmt.Sprintf("fields.%d", i)
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(item, &probe); err != nil || probe == nil {
		msgs.add("%s must be an object", at)
		return FormField{}, false
	}
	// The type is the discriminator: it decides which properties exist.
	typ, ok := jsonEnum(probe, "type", at+".type", FieldTypes, msgs)
	if !ok {
		return FormField{}, false
	}
	allowed := []string{"id", "type", "label", "required"}
	if hasOptions(typ) {
		allowed = append(allowed, "options")
	}
	obj := jsonObject(item, at, msgs, allowed...)
	fld := FormField{Type: typ}
	if id, ok := jsonString(obj, "id", at+".id", msgs); ok {
		fld.ID = checkFieldID(id, at, i, seen.ids, msgs)
	}
	if label, ok := jsonString(obj, "label", at+".label", msgs); ok {
		checkFieldLabel(label, typ, at, i, seen.labels, msgs)
		fld.Label = label
	}
	fld.Required = checkFieldRequired(obj, typ, at, msgs)
	if hasOptions(typ) {
		fld.Options = checkFieldOptions(obj, at, msgs)
	}
	return fld, true
}

// checkFieldID validates a field's id, which must be a UUID that no
// other field has, and returns it lower-cased ("" when not a UUID).
func checkFieldID(id, at string, i int, ids map[string]int, msgs *checks) string {
	if !isUUID(id) {
		msgs.add("%s.id must be a UUID", at)
		return ""
	}
	id = strings.ToLower(id)
	if j, dup := ids[id]; dup {
		msgs.add("%s.id %s is already the id of fields.%d", at, id, j)
	}
	ids[id] = i
	return id
}

// checkFieldLabel validates a field's label, which no other field may
// have in any case.
func checkFieldLabel(label, typ, at string, i int, labels map[string]int, msgs *checks) {
	switch {
	case typ == FieldAccessDuration && label != AccessDurationLabel:
		msgs.add("%s.label must be one of the following values: %s", at, AccessDurationLabel)
	case strings.TrimSpace(label) == "":
		msgs.add("%s.label should not be empty", at)
	case len([]rune(label)) > MaxFieldLabelLength:
		msgs.add("%s.label must be shorter than or equal to %d characters", at, MaxFieldLabelLength)
	default:
		key := strings.ToLower(label)
		if j, dup := labels[key]; dup {
			msgs.add("%s.label %q is already the label of fields.%d; labels must be unique", at, label, j)
		}
		labels[key] = i
	}
}

// checkFieldRequired validates and returns a field's required.
func checkFieldRequired(obj map[string]json.RawMessage, typ, at string, msgs *checks) bool {
	// required defaults to true, except for ACCESS_DURATION, which
	// must say true.
	required := true
	switch {
	case present(obj, "required"):
		if err := json.Unmarshal(obj["required"], &required); err != nil {
			msgs.add("%s.required must be a boolean value", at)
		} else if typ == FieldAccessDuration && !required {
			msgs.add("%s.required must be one of the following values: true", at)
		}
	case typ == FieldAccessDuration:
		msgs.add("%s.required must be one of the following values: true", at)
	}
	return required
}

// checkFieldOptions validates a DROPDOWN or CHECKBOXES field's options: a
// non-empty list of distinct values.
func checkFieldOptions(obj map[string]json.RawMessage, at string, msgs *checks) []FieldOption {
	options, hasList := jsonArray(obj, "options", at+".options", msgs)
	if !hasList && !present(obj, "options") {
		msgs.add("%s.options must be an array", at)
	}
	if hasList && len(options) == 0 {
		msgs.add("%s.options must contain at least 1 elements", at)
	}
	var out []FieldOption
	values := map[string]bool{}
	for j, raw := range options {
		oat := fmt.Sprintf("%s.options.%d", at, j)
		opt := jsonObject(raw, oat, msgs, "value")
		if opt == nil {
			continue
		}
		v, ok := jsonString(opt, "value", oat+".value", msgs)
		if !ok {
			continue
		}
		switch {
		case strings.TrimSpace(v) == "":
			msgs.add("%s.value should not be empty", oat)
		case len([]rune(v)) > MaxFieldOptionLength:
			msgs.add("%s.value must be shorter than or equal to %d characters", oat, MaxFieldOptionLength)
		case values[v]:
			msgs.add("%s.value %q appears twice; option values must be unique", oat, v)
		}
		values[v] = true
		out = append(out, FieldOption{Value: v})
	}
	return out
}

func (s *Server) requestFormNameTaken(name, exceptID string) bool {
	for id, f := range s.requestForms {
		if id != exceptID && f.Name == name {
			return true
		}
	}
	return false
}

// view renders a form. The caller holds s.mu.
func (s *Server) view(f *RequestForm, withDomains bool) requestFormView {
	c := f.clone()
	v := requestFormView{
		ID: c.ID, Name: c.Name, Fields: c.Fields, Policy: c.Policy,
		DataUseAgreements: []agreementSummary{},
		CreatedBy:         c.CreatedBy, CreatedAt: c.CreatedAt, UpdatedBy: c.UpdatedBy, UpdatedAt: c.UpdatedAt,
		Version: c.Version,
	}
	for _, id := range c.DataUseAgreementIDs {
		if a := s.dataUseAgreements[id]; a != nil { // one deleted out of band is left out
			v.DataUseAgreements = append(v.DataUseAgreements, agreementSummary{ID: a.ID, Name: a.Name, Body: a.Body})
		}
	}
	if withDomains {
		domains := s.requestFormDomains(c.ID)
		v.AssociatedDomains = &domains
	}
	return v
}

// lookupRequestForm answers 400 or 404 itself when it returns nil. The
// caller holds s.mu.
func (s *Server) lookupRequestForm(w http.ResponseWriter, id string) *RequestForm {
	if !isUUID(id) && !isCUID(id) {
		writeError(w, http.StatusBadRequest, uuidPathError)
		return nil
	}
	f, ok := s.requestForms[strings.ToLower(id)]
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Request form %s not found.", id))
		return nil
	}
	return f
}

func (s *Server) createRequestForm(w http.ResponseWriter, r *http.Request) {
	var in requestFormBody
	if msgs := decodeBody(r, &in); msgs != nil {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, msgs := s.parseRequestForm(in)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	f.ID = uuid.NewString()
	if in.ID != nil {
		f.ID = strings.ToLower(*in.ID)
	}
	if _, ok := s.requestForms[f.ID]; ok {
		writeError(w, http.StatusConflict, "Request form with id already exists.")
		return
	}
	if s.requestFormNameTaken(f.Name, "") {
		writeError(w, http.StatusConflict, "Request form with name already exists.")
		return
	}
	s.storeNewRequestForm(&f)
	s.noteCreated(f.ID)
	writeJSON(w, http.StatusCreated, s.view(&f, false))
}

// storeNewRequestForm completes and stores a checked new form. The caller
// holds s.mu.
func (s *Server) storeNewRequestForm(f *RequestForm) {
	now := s.timestamp()
	f.CreatedBy, f.CreatedAt, f.UpdatedBy, f.UpdatedAt = s.callerRef(), now, s.callerRef(), now
	f.Version = newFormVersion()
	s.requestForms[f.ID] = f
	s.requestFormVersions[f.Version] = f.clone()
}

func (s *Server) getRequestForm(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("id")
	f := s.lookupRequestForm(w, id)
	if f == nil {
		return
	}
	if s.hiddenByLag(f.ID) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Request form %s not found.", id))
		return
	}
	writeJSON(w, http.StatusOK, s.view(f, false))
}

func (s *Server) getRequestFormSub(w http.ResponseWriter, r *http.Request) {
	a, b := r.PathValue("a"), r.PathValue("b")
	switch {
	case a == "version":
		s.getRequestFormVersion(w, b)
	case b == "data-products":
		s.requestFormDataProducts(w, a)
	default:
		writeNotFoundRoute(w, r)
	}
}

func (s *Server) getRequestFormVersion(w http.ResponseWriter, version string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.requestFormVersions[strings.ToLower(version)]
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Request form version %s not found.", version))
		return
	}
	writeJSON(w, http.StatusOK, s.view(&f, false))
}

func (s *Server) requestFormDataProducts(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.lookupRequestForm(w, id); f != nil {
		out := []linkedDataProduct{}
		for _, p := range s.dataProductsUsingForm(f.ID) {
			types := p.RequestTypes
			if types == nil {
				types = []string{requestTypeDataAccess}
			}
			out = append(out, linkedDataProduct{ID: p.ID, Name: p.Name, RequestTypes: types})
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// requestTypeDataAccess is the request type a data product's form serves.
const requestTypeDataAccess = "DATA_ACCESS"

// linkedDataProduct is a data product as GET {id}/data-products lists it.
type linkedDataProduct struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	RequestTypes []string `json:"requestTypes"`
}

func (s *Server) updateRequestForm(w http.ResponseWriter, r *http.Request) {
	var in requestFormBody
	if msgs := decodeBody(r, &in); msgs != nil {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, msgs := s.parseRequestForm(in)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	stored := s.lookupRequestForm(w, r.PathValue("id"))
	if stored == nil {
		return
	}
	if in.ID != nil && !strings.EqualFold(*in.ID, stored.ID) {
		writeValidation(w, []string{"id must match the id in the path"})
		return
	}
	if stored.ID == StandardRequestFormID {
		writeError(w, http.StatusBadRequest, "The Standard Request Form cannot be edited.")
		return
	}
	if s.requestFormNameTaken(f.Name, stored.ID) {
		writeError(w, http.StatusConflict, "Request form with name already exists.")
		return
	}
	stored.Name, stored.Fields, stored.Policy, stored.DataUseAgreementIDs = f.Name, f.Fields, f.Policy, f.DataUseAgreementIDs
	s.bumpRequestForm(stored)
	writeJSON(w, http.StatusCreated, s.view(stored, false))
}

// bumpRequestForm records a change: a new version, whose snapshot is
// kept, and updatedBy/updatedAt. The caller holds s.mu.
func (s *Server) bumpRequestForm(f *RequestForm) {
	f.UpdatedBy, f.UpdatedAt = s.callerRef(), s.timestamp()
	f.Version = newFormVersion()
	s.requestFormVersions[f.Version] = f.clone()
}

func (s *Server) deleteRequestForm(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.lookupRequestForm(w, r.PathValue("id"))
	if f == nil {
		return
	}
	if f.ID == StandardRequestFormID {
		writeError(w, http.StatusBadRequest, "The Standard Request Form cannot be deleted.")
		return
	}
	if users := s.dataProductsUsingForm(f.ID); len(users) > 0 {
		writeError(w, http.StatusConflict, fmt.Sprintf(
			"Request form is in use by %d data product(s) and cannot be deleted.", len(users)))
		return
	}
	delete(s.requestForms, f.ID)
	w.WriteHeader(http.StatusNoContent)
}

// dataProductsUsingForm lists the data products that use a form, sorted
// by name. The caller holds s.mu.
func (s *Server) dataProductsUsingForm(id string) []ObjectRef {
	out := []ObjectRef{}
	for _, referrers := range s.formReferrers {
		out = append(out, referrers(id)...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// requestFormDomains lists the domains of the data products that use a
// form, sorted and without repeats. The caller holds s.mu.
func (s *Server) requestFormDomains(id string) []string {
	out := []string{}
	for _, domains := range s.formDomains {
		out = append(out, domains(id)...)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// requestFormsWithAgreement lists the forms that include an agreement;
// it is registered as an agreement referrer. The caller holds s.mu.
func (s *Server) requestFormsWithAgreement(agreementID string) []ObjectRef {
	var out []ObjectRef
	for _, f := range s.requestForms {
		if slices.Contains(f.DataUseAgreementIDs, agreementID) {
			out = append(out, ObjectRef{ID: f.ID, Name: f.Name})
		}
	}
	return out
}

func (s *Server) listRequestForms(w http.ResponseWriter, r *http.Request) {
	p, msgs := s.parsePaging(r, 10)
	exact := parseBool(r, "exactMatch", &msgs)
	q := r.URL.Query()
	sortBy := q.Get("sortBy")
	switch sortBy {
	case "":
		sortBy = "name"
	case "name", "createdAt", "updatedAt":
	default:
		msgs.add("sortBy must be one of the following values: name, createdAt, updatedAt")
	}
	desc := false
	switch q.Get("sortOrder") {
	case "", "asc":
	case "desc":
		desc = true
	default:
		msgs.add("sortOrder must be one of the following values: asc, desc")
	}
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	name := q.Get("nameFilter")
	s.mu.Lock()
	var items []requestFormView
	for _, f := range s.requestForms {
		if nameMatches(f.Name, name, exact) {
			items = append(items, s.view(f, true))
		}
	}
	s.mu.Unlock()
	key := func(v requestFormView) string {
		switch sortBy {
		case "createdAt":
			return v.CreatedAt
		case "updatedAt":
			return v.UpdatedAt
		}
		return v.Name
	}
	sort.Slice(items, func(i, j int) bool {
		if ki, kj := key(items[i]), key(items[j]); ki != kj {
			return (ki < kj) != desc
		}
		return items[i].ID < items[j].ID
	})
	page, meta := offsetPage(items, p)
	writeJSON(w, http.StatusOK, map[string]any{"data": page, "meta": meta})
}

// requestFormStatus tells the data product endpoints about a form: whether
// it exists and whether its policy delegates the review flow to each data
// product. The caller holds s.mu.
func (s *Server) requestFormStatus(id string) (exists, delegates bool) {
	f, ok := s.requestForms[strings.ToLower(id)]
	if !ok {
		return false, false
	}
	return true, f.Policy.DelegatesToDataProduct()
}

// RequestForms returns every stored request form, including the built-in
// Standard Request Form, sorted by name.
func (s *Server) RequestForms() []RequestForm {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RequestForm, 0, len(s.requestForms))
	for _, f := range s.requestForms {
		out = append(out, f.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// RequestForm returns the stored request form with an id.
func (s *Server) RequestForm(id string) (RequestForm, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.requestForms[strings.ToLower(id)]
	if !ok {
		return RequestForm{}, false
	}
	return f.clone(), true
}

// RequestFormVersion returns a form as it was at a version.
func (s *Server) RequestFormVersion(version string) (RequestForm, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.requestFormVersions[strings.ToLower(version)]
	if !ok {
		return RequestForm{}, false
	}
	return f.clone(), true
}

// SeedRequestForm stores a request form as if someone had made it in the
// Marketplace app, and returns it. It is checked as a POST would be: f
// needs Name, Fields and Policy; ID (a UUID) and field ids are assigned
// when empty; DataUseAgreementIDs must exist. An ACCESS_DURATION field
// without a label gets the fixed one.
func (s *Server) SeedRequestForm(f RequestForm) (RequestForm, error) {
	fields := make([]map[string]any, len(f.Fields))
	for i, fld := range f.Fields {
		if fld.ID == "" {
			fld.ID = uuid.NewString()
		}
		if fld.Type == FieldAccessDuration && fld.Label == "" {
			fld.Label = AccessDurationLabel
		}
		fields[i] = map[string]any{"id": fld.ID, "type": fld.Type, "label": fld.Label, "required": fld.Required}
		if len(fld.Options) > 0 {
			fields[i]["options"] = fld.Options
		}
	}
	body, err := json.Marshal(map[string]any{
		"name": f.Name, "fields": fields, "policy": f.Policy, "dataUseAgreementIds": f.DataUseAgreementIDs,
	})
	if err != nil {
		return RequestForm{}, err
	}
	var in requestFormBody
	if msgs := decodeJSONObject(body, &in); msgs != nil {
		return RequestForm{}, errors.New(strings.Join(msgs, "; "))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	parsed, msgs := s.parseRequestForm(in)
	if len(msgs) > 0 {
		return RequestForm{}, fmt.Errorf("invalid request form: %s", strings.Join(msgs, "; "))
	}
	parsed.ID = strings.ToLower(f.ID)
	if parsed.ID == "" {
		parsed.ID = uuid.NewString()
	}
	if _, ok := s.requestForms[parsed.ID]; ok {
		return RequestForm{}, fmt.Errorf("a request form with id %s exists", parsed.ID)
	}
	if s.requestFormNameTaken(parsed.Name, "") {
		return RequestForm{}, fmt.Errorf("a request form named %q exists", parsed.Name)
	}
	s.storeNewRequestForm(&parsed)
	return parsed.clone(), nil
}

// UpdateRequestForm changes a stored request form out of band, as an edit
// in the UI would, without checks, and gives it a new version and
// updatedAt.
func (s *Server) UpdateRequestForm(id string, change func(*RequestForm)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.requestForms[strings.ToLower(id)]
	if !ok {
		return fmt.Errorf("no request form %s", id)
	}
	change(f)
	f.ID = strings.ToLower(id)
	s.bumpRequestForm(f)
	return nil
}

// DeleteRequestForm removes a stored request form out of band, whether
// or not a data product uses it. The Standard Request Form cannot be
// removed.
func (s *Server) DeleteRequestForm(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	id = strings.ToLower(id)
	if id == StandardRequestFormID {
		return errors.New("the Standard Request Form cannot be deleted")
	}
	if _, ok := s.requestForms[id]; !ok {
		return fmt.Errorf("no request form %s", id)
	}
	delete(s.requestForms, id)
	return nil
}
