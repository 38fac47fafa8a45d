package marketplacetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// Request form field types: the Marketplace UI's answer formats.
const (
	FieldText           = "TEXT"
	FieldDropdown       = "DROPDOWN"
	FieldCheckbox       = "CHECKBOX"
	FieldAccessDuration = "ACCESS_DURATION"
)

// FieldTypes lists every field type.
var FieldTypes = []string{FieldText, FieldDropdown, FieldCheckbox, FieldAccessDuration}

// AccessDurationOptions are the choices the service fills into an
// ACCESS_DURATION field.
var AccessDurationOptions = []string{"1 DAYS", "7 DAYS", "30 DAYS", "90 DAYS", "1 YEARS"}

// Limits on request forms (the documentation gives none; these are the
// emulator's documented choice, mirrored by the provider).
const (
	MaxRequestFormNameLength = 255
	MaxFieldLabelLength      = 1000
	MaxFieldOptionLength     = 255
)

// The built-in Standard Request Form. Its id is a cuid, as objects the
// service creates itself have.
const (
	StandardRequestFormID      = "cl9x0standardform00000001"
	StandardRequestFormName    = "Standard Request Form"
	standardRequestFormFieldID = "5f0c6f9e-2d7e-4b8a-9a57-0b6c2f1d7a11"
	standardRequestFormVersion = "0d6b3c57-8f0e-4a43-b3f4-6e1f5c2b9d70"
)

// FieldOption is one choice of a DROPDOWN, CHECKBOX or ACCESS_DURATION
// field.
type FieldOption struct {
	Value string `json:"value"`
}

// FormField is one question of a request form.
type FormField struct {
	ID       string        `json:"id"`
	Type     string        `json:"type"`
	Label    string        `json:"label"`
	Required bool          `json:"required"`
	Options  []FieldOption `json:"options"`
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
		if fld.Options == nil {
			fld.Options = []FieldOption{}
		}
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

// addStandardRequestForm stores the built-in form every tenant has.
func (s *Server) addStandardRequestForm() {
	now := s.timestamp()
	f := RequestForm{
		ID:   StandardRequestFormID,
		Name: StandardRequestFormName,
		Fields: []FormField{{
			ID: standardRequestFormFieldID, Type: FieldText, Label: "Why do you need access to this data?",
			Required: true, Options: []FieldOption{},
		}},
		Policy: Policy{Version: "1", Rules: []PolicyRule{}, DefaultEvent: PolicyEvent{
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
		f.Policy = s.checkPolicy(in.Policy, "policy", policyOptions{allowDelegate: true}, &msgs)
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
	labels := map[string]int{}
	ids := map[string]int{}
	accessDurations := 0
	for i, item := range items {
		at := fmt.Sprintf("fields.%d", i)
		obj := jsonObject(item, at, msgs, "id", "type", "label", "required", "options")
		if obj == nil {
			continue
		}
		var fld FormField
		if id, ok := jsonString(obj, "id", at+".id", false, msgs); ok {
			if !isUUID(id) {
				msgs.add("%s.id must be a UUID", at)
			} else {
				fld.ID = strings.ToLower(id)
				if j, dup := ids[fld.ID]; dup {
					msgs.add("%s.id %s is already the id of fields.%d", at, fld.ID, j)
				}
				ids[fld.ID] = i
			}
		}
		if typ, ok := jsonString(obj, "type", at+".type", true, msgs); ok {
			if !slices.Contains(FieldTypes, typ) {
				msgs.add("%s.type must be one of the following values: %s", at, strings.Join(FieldTypes, ", "))
			}
			fld.Type = typ
		}
		if label, ok := jsonString(obj, "label", at+".label", true, msgs); ok {
			switch {
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
			fld.Label = label
		}
		if !present(obj, "required") {
			msgs.add("%s.required must be a boolean value", at)
		} else if err := json.Unmarshal(obj["required"], &fld.Required); err != nil {
			msgs.add("%s.required must be a boolean value", at)
		}
		options, hasOptions := jsonArray(obj, "options", at+".options", msgs)
		fld.Options = []FieldOption{}
		switch fld.Type {
		case FieldText:
			if len(options) > 0 {
				msgs.add("%s.options must be empty for a %s field", at, FieldText)
			}
		case FieldAccessDuration:
			accessDurations++
			if len(options) > 0 {
				msgs.add("%s.options must be empty for an %s field: the service sets them", at, FieldAccessDuration)
			}
			if present(obj, "required") && !fld.Required {
				msgs.add("%s.required must be true for an %s field", at, FieldAccessDuration)
			}
			for _, v := range AccessDurationOptions {
				fld.Options = append(fld.Options, FieldOption{Value: v})
			}
		case FieldDropdown, FieldCheckbox:
			if !hasOptions || len(options) == 0 {
				msgs.add("%s.options must contain at least 1 elements for a %s field", at, fld.Type)
			}
			values := map[string]bool{}
			for j, raw := range options {
				oat := fmt.Sprintf("%s.options.%d", at, j)
				opt := jsonObject(raw, oat, msgs, "value")
				if opt == nil {
					continue
				}
				v, ok := jsonString(opt, "value", oat+".value", true, msgs)
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
				fld.Options = append(fld.Options, FieldOption{Value: v})
			}
		}
		out = append(out, fld)
	}
	if accessDurations > 1 {
		msgs.add("fields must contain at most one %s field", FieldAccessDuration)
	}
	return out
}

// unknownFieldIDs lists, as validation messages, the fields of an update
// whose id is not the id of one of the form's current fields: an id names
// an existing question, and a new question comes without one.
func unknownFieldIDs(fields, current []FormField) []string {
	var msgs []string
	for i, fld := range fields {
		if fld.ID != "" && !slices.ContainsFunc(current, func(c FormField) bool { return c.ID == fld.ID }) {
			msgs = append(msgs, fmt.Sprintf("fields.%d.id %s is not the id of a field of this form", i, fld.ID))
		}
	}
	return msgs
}

// assignFieldIDs gives every field without an id a new one.
func assignFieldIDs(fields []FormField) {
	for i := range fields {
		if fields[i].ID == "" {
			fields[i].ID = uuid.NewString()
		}
	}
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
	assignFieldIDs(f.Fields)
	now := s.timestamp()
	f.CreatedBy, f.CreatedAt, f.UpdatedBy, f.UpdatedAt = s.callerRef(), now, s.callerRef(), now
	f.Version = uuid.NewString()
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
	if !isUUID(version) {
		writeError(w, http.StatusBadRequest, uuidPathError)
		return
	}
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
		writeJSON(w, http.StatusOK, s.dataProductsUsingForm(f.ID))
	}
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
	if msgs := unknownFieldIDs(f.Fields, stored.Fields); len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	assignFieldIDs(f.Fields)
	stored.Name, stored.Fields, stored.Policy, stored.DataUseAgreementIDs = f.Name, f.Fields, f.Policy, f.DataUseAgreementIDs
	s.bumpRequestForm(stored)
	writeJSON(w, http.StatusOK, s.view(stored, false))
}

// bumpRequestForm records a change: a new version, whose snapshot is
// kept, and updatedBy/updatedAt. The caller holds s.mu.
func (s *Server) bumpRequestForm(f *RequestForm) {
	f.UpdatedBy, f.UpdatedAt = s.callerRef(), s.timestamp()
	f.Version = uuid.NewString()
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
func (s *Server) dataProductsUsingForm(id string) []objectRef {
	out := []objectRef{}
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
func (s *Server) requestFormsWithAgreement(agreementID string) []objectRef {
	var out []objectRef
	for _, f := range s.requestForms {
		if slices.Contains(f.DataUseAgreementIDs, agreementID) {
			out = append(out, objectRef{ID: f.ID, Name: f.Name})
		}
	}
	return out
}

func (s *Server) listRequestForms(w http.ResponseWriter, r *http.Request) {
	p, msgs := s.parsePaging(r, 10)
	exact := parseBool(r, "exactMatch", &msgs)
	desc := parseSort(r, &msgs)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	name := r.URL.Query().Get("name")
	s.mu.Lock()
	var items []requestFormView
	for _, f := range s.requestForms {
		if nameMatches(f.Name, name, exact) {
			items = append(items, s.view(f, true))
		}
	}
	s.mu.Unlock()
	sort.Slice(items, func(i, j int) bool {
		if items[i].Name == items[j].Name {
			return items[i].ID < items[j].ID
		}
		return (items[i].Name < items[j].Name) != desc
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
	return true, f.Policy.Delegates()
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
// when empty; DataUseAgreementIDs must exist.
func (s *Server) SeedRequestForm(f RequestForm) (RequestForm, error) {
	fields := make([]map[string]any, len(f.Fields))
	for i, fld := range f.Fields {
		fields[i] = map[string]any{"type": fld.Type, "label": fld.Label, "required": fld.Required}
		if fld.ID != "" {
			fields[i]["id"] = fld.ID
		}
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
