package marketplacetest

import (
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

// objectRef is the short form used by "which objects use this" answers.
type objectRef struct {
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
		writeError(w, http.StatusConflict, "Data use agreement with name already exists.")
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
	if msgs := checkAgreement(in.Name, in.Body); len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.lookupAgreement(w, r)
	if a == nil {
		return
	}
	if s.agreementNameTaken(*in.Name, a.ID) {
		writeError(w, http.StatusConflict, "Data use agreement with name already exists.")
		return
	}
	a.Name, a.Body = *in.Name, *in.Body
	a.UpdatedBy, a.UpdatedAt = s.callerRef(), s.timestamp()
	writeJSON(w, http.StatusOK, a)
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
func (s *Server) requestFormsUsingAgreement(id string) []objectRef {
	out := []objectRef{}
	for _, referrers := range s.agreementReferrers {
		out = append(out, referrers(id)...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (s *Server) listAgreements(w http.ResponseWriter, r *http.Request) {
	p, msgs := s.parsePaging(r, 10)
	exact := parseBool(r, "exactMatch", &msgs)
	desc := parseSort(r, &msgs)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	name := r.URL.Query().Get("name")
	s.mu.Lock()
	var items []DataUseAgreement
	for _, a := range s.dataUseAgreements {
		if nameMatches(a.Name, name, exact) {
			items = append(items, *a)
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
