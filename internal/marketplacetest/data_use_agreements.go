package marketplacetest

import (
	"cmp"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// Limits on data use agreements (the documentation gives none; these are
// the emulator's documented choice, mirrored by the provider).
const (
	MaxAgreementNameLength = 255
	MaxAgreementBodyLength = 100000
)

// AgreementNameConflict is the documented 409 answer to a create or an
// update that would give two agreements the same name.
const AgreementNameConflict = "There is already a data use agreement with this name."

// UserRef names the user who created or last changed an object.
type UserRef struct {
	GlobalUserID string `json:"globalUserId"`
	Name         string `json:"name"`
}

// DataUseAgreement is the stored form of an agreement, as the API returns it.
type DataUseAgreement struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Body      string  `json:"body"`
	CreatedBy UserRef `json:"createdBy"`
	CreatedAt string  `json:"createdAt"`
	UpdatedBy UserRef `json:"updatedBy"`
	UpdatedAt string  `json:"updatedAt"`
}

type agreementCreateBody struct {
	ID   *string `json:"id"`
	Name *string `json:"name"`
	Body *string `json:"body"`
}

type agreementUpdateBody struct {
	Name *string `json:"name"`
	Body *string `json:"body"`
}

// ObjectRef is the short form of an object that "which objects use this"
// answers and SeedObjects give.
type ObjectRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// RequestTypes, for a data product that uses a request form, are the
	// request types it uses the form for (LinkedDataProducts).
	RequestTypes []string `json:"requestTypes,omitempty"`
}

func (s *Server) routeDataUseAgreements() {
	s.handle("POST /api/data-use-agreement", s.createAgreement)
	s.handle("GET /api/data-use-agreement", s.listAgreements)
	s.handle("GET /api/data-use-agreement/{id}", s.getAgreement)
	s.handle("PUT /api/data-use-agreement/{id}", s.updateAgreement)
	s.handle("DELETE /api/data-use-agreement/{id}", s.deleteAgreement)
	s.handle("GET /api/data-use-agreement/{id}/request-forms", s.agreementRequestForms)
}

func checkAgreement(name, body *string) checks {
	var msgs checks
	msgs.requiredString("name", name, MaxAgreementNameLength)
	msgs.requiredString("body", body, MaxAgreementBodyLength)
	return msgs
}

func (s *Server) createAgreement(w http.ResponseWriter, r *http.Request) {
	var in agreementCreateBody
	if msgs := decodeBody(r, &in); msgs != nil {
		writeValidation(w, msgs)
		return
	}
	msgs := checkAgreement(in.Name, in.Body)
	if in.ID != nil && !isUUID(*in.ID) {
		msgs.add("id must be a UUID")
	}
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := uuid.NewString()
	if in.ID != nil {
		id = strings.ToLower(*in.ID)
	}
	if _, ok := s.dataUseAgreements[id]; ok {
		writeError(w, http.StatusConflict, "Data use agreement with id already exists.")
		return
	}
	if s.agreementNameTaken(*in.Name, "") {
		writeError(w, http.StatusConflict, AgreementNameConflict)
		return
	}
	now := s.timestamp()
	a := &DataUseAgreement{
		ID: id, Name: *in.Name, Body: *in.Body,
		CreatedBy: s.callerRef(), CreatedAt: now, UpdatedBy: s.callerRef(), UpdatedAt: now,
	}
	s.dataUseAgreements[id] = a
	s.noteCreated(id)
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) agreementNameTaken(name, exceptID string) bool {
	for id, a := range s.dataUseAgreements {
		if id != exceptID && a.Name == name {
			return true
		}
	}
	return false
}

// lookupAgreement answers 400 or 404 itself when it returns nil. The
// caller holds s.mu.
func (s *Server) lookupAgreement(w http.ResponseWriter, r *http.Request) *DataUseAgreement {
	id := r.PathValue("id")
	if !isUUID(id) {
		writeError(w, http.StatusBadRequest, uuidPathError)
		return nil
	}
	a, ok := s.dataUseAgreements[strings.ToLower(id)]
	if !ok || (r.Method == http.MethodGet && s.hiddenByLag(a.ID)) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Data use agreement %s not found.", id))
		return nil
	}
	return a
}

func (s *Server) getAgreement(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.lookupAgreement(w, r); a != nil {
		writeJSON(w, http.StatusOK, a)
	}
}

func (s *Server) updateAgreement(w http.ResponseWriter, r *http.Request) {
	var in agreementUpdateBody
	if msgs := decodeBody(r, &in); msgs != nil {
		writeValidation(w, msgs)
		return
	}
	// Both properties are optional (UpdateDataUseAgreement requires
	// neither); one that is given must be valid.
	var msgs checks
	if in.Name != nil {
		msgs.requiredString("name", in.Name, MaxAgreementNameLength)
	}
	if in.Body != nil {
		msgs.requiredString("body", in.Body, MaxAgreementBodyLength)
	}
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.lookupAgreement(w, r)
	if a == nil {
		return
	}
	if in.Name != nil && s.agreementNameTaken(*in.Name, a.ID) {
		writeError(w, http.StatusConflict, AgreementNameConflict)
		return
	}
	if in.Name != nil {
		a.Name = *in.Name
	}
	if in.Body != nil {
		a.Body = *in.Body
	}
	a.UpdatedBy, a.UpdatedAt = s.callerRef(), s.timestamp()
	// 201, as the contract declares for this PUT.
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) deleteAgreement(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.lookupAgreement(w, r)
	if a == nil {
		return
	}
	if users := s.requestFormsUsingAgreement(a.ID); len(users) > 0 {
		writeError(w, http.StatusConflict, fmt.Sprintf(
			"Data use agreement is in use by %d request form(s) and cannot be deleted.", len(users)))
		return
	}
	delete(s.dataUseAgreements, a.ID)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) agreementRequestForms(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.lookupAgreement(w, r); a != nil {
		writeJSON(w, http.StatusOK, s.requestFormsUsingAgreement(a.ID))
	}
}

// requestFormsUsingAgreement lists the request forms that include an
// agreement, sorted by name. The caller holds s.mu.
func (s *Server) requestFormsUsingAgreement(id string) []ObjectRef {
	out := []ObjectRef{}
	for _, referrers := range s.agreementReferrers {
		out = append(out, referrers(id)...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (s *Server) listAgreements(w http.ResponseWriter, r *http.Request) {
	msgs := checkQuery(r, "offset", "limit", "sortOrder", "sortBy", "nameFilter", "exactMatch")
	p, pagingMsgs := s.parsePaging(r, 10)
	msgs = append(msgs, pagingMsgs...)
	exact := parseBool(r, "exactMatch", &msgs)
	desc, sortBy := parseAgreementSort(r, &msgs)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	name := r.URL.Query().Get("nameFilter")
	s.mu.Lock()
	var items []DataUseAgreement
	for _, a := range s.dataUseAgreements {
		if nameMatches(a.Name, name, exact) {
			items = append(items, *a)
		}
	}
	s.mu.Unlock()
	key := func(a DataUseAgreement) string {
		switch sortBy {
		case "createdAt":
			return a.CreatedAt
		case "updatedAt":
			return a.UpdatedAt
		}
		return a.Name
	}
	// Ties (equal timestamps) fall back to name, then id, in the same
	// direction, so that pages never overlap.
	sort.Slice(items, func(i, j int) bool {
		a, b := items[i], items[j]
		c := cmp.Or(cmp.Compare(key(a), key(b)), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
		if desc {
			return c > 0
		}
		return c < 0
	})
	page, meta := offsetPage(items, p)
	writeJSON(w, http.StatusOK, map[string]any{"data": page, "meta": meta})
}

// parseAgreementSort reads sortOrder (asc or desc) and sortBy (name,
// createdAt or updatedAt), the list's documented choices.
func parseAgreementSort(r *http.Request, msgs *checks) (desc bool, sortBy string) {
	q := r.URL.Query()
	sortBy = q.Get("sortBy")
	switch sortBy {
	case "":
		sortBy = "name"
	case "name", "createdAt", "updatedAt":
	default:
		msgs.add("sortBy must be one of the following values: name, createdAt, updatedAt")
	}
	switch q.Get("sortOrder") {
	case "", "asc":
	case "desc":
		desc = true
	default:
		msgs.add("sortOrder must be one of the following values: asc, desc")
	}
	return desc, sortBy
}

// DataUseAgreements returns every stored agreement, sorted by name.
func (s *Server) DataUseAgreements() []DataUseAgreement {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]DataUseAgreement, 0, len(s.dataUseAgreements))
	for _, a := range s.dataUseAgreements {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// DataUseAgreement returns the stored agreement with an id.
func (s *Server) DataUseAgreement(id string) (DataUseAgreement, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.dataUseAgreements[id]
	if !ok {
		return DataUseAgreement{}, false
	}
	return *a, true
}

// SeedDataUseAgreement stores an agreement as if someone had created it in
// the Marketplace UI, and returns it.
func (s *Server) SeedDataUseAgreement(name, body string) (DataUseAgreement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.agreementNameTaken(name, "") {
		return DataUseAgreement{}, fmt.Errorf("a data use agreement named %q exists", name)
	}
	now := s.timestamp()
	a := &DataUseAgreement{
		ID: uuid.NewString(), Name: name, Body: body,
		CreatedBy: s.callerRef(), CreatedAt: now, UpdatedBy: s.callerRef(), UpdatedAt: now,
	}
	s.dataUseAgreements[a.ID] = a
	return *a, nil
}

// UpdateDataUseAgreement changes a stored agreement out of band, as an
// edit in the UI would, and bumps its updatedAt.
func (s *Server) UpdateDataUseAgreement(id string, change func(*DataUseAgreement)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.dataUseAgreements[id]
	if !ok {
		return fmt.Errorf("no data use agreement %s", id)
	}
	change(a)
	a.ID = id
	a.UpdatedBy, a.UpdatedAt = s.callerRef(), s.timestamp()
	return nil
}

// DeleteDataUseAgreement removes a stored agreement out of band, whether
// or not a request form uses it.
func (s *Server) DeleteDataUseAgreement(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.dataUseAgreements[id]; !ok {
		return fmt.Errorf("no data use agreement %s", id)
	}
	delete(s.dataUseAgreements, id)
	return nil
}
