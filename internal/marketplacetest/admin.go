package marketplacetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// AdminPath is where the admin API is served, outside BasePath so that it
// can never be mistaken for, or collide with, the Marketplace API.
const AdminPath = "/_emulator"

// MarketplaceObjects are agreements, request forms and data products to
// seed, each in the shape its create endpoint takes (the body of POST
// /api/data-use-agreement, /api/request-form or /api/data-product), with
// ids so that they can refer to each other. A Fixture carries them, and
// the admin API's seed takes them.
type MarketplaceObjects struct {
	DataUseAgreements []json.RawMessage `json:"dataUseAgreements,omitempty"`
	RequestForms      []json.RawMessage `json:"requestForms,omitempty"`
	DataProducts      []json.RawMessage `json:"dataProducts,omitempty"`
}

func (o MarketplaceObjects) empty() bool {
	return len(o.DataUseAgreements) == 0 && len(o.RequestForms) == 0 && len(o.DataProducts) == 0
}

// seedKind is one kind of seeded object: where its create endpoint is,
// and how to remove one again.
type seedKind struct {
	list   string // the property of MarketplaceObjects
	path   string
	remove func(s *Server, id string)
}

var seedKinds = []seedKind{
	{"dataUseAgreements", "/api/data-use-agreement", func(s *Server, id string) { _ = s.DeleteDataUseAgreement(id) }},
	{"requestForms", "/api/request-form", func(s *Server, id string) {
		_ = s.DeleteRequestForm(id)
		s.mu.Lock()
		defer s.mu.Unlock()
		for v, f := range s.requestFormVersions {
			if f.ID == id {
				delete(s.requestFormVersions, v)
			}
		}
	}},
	{"dataProducts", "/api/data-product", func(s *Server, id string) { _ = s.DeleteDataProduct(id) }},
}

// SeedObjects creates the objects, agreements first, then forms, then
// products, each through its create endpoint's own decoding and checks
// (as if the caller had POSTed it), so that a seed is refused exactly
// where the API would refuse it. It is all or nothing: on the first
// refusal the objects it created are removed again, and the error names
// the entry ("requestForms[1] (\"Access form\"): ..."). Seeded objects are
// visible at once, whatever the read-after-write lag. It returns the
// created objects' ids and names by kind.
func (s *Server) SeedObjects(objs MarketplaceObjects) (map[string][]ObjectRef, error) {
	lists := [][]json.RawMessage{objs.DataUseAgreements, objs.RequestForms, objs.DataProducts}
	created := map[string][]ObjectRef{}
	type done struct {
		kind seedKind
		id   string
	}
	var made []done
	for k, kind := range seedKinds {
		created[kind.list] = []ObjectRef{}
		for i, raw := range lists[k] {
			ref, err := s.createThroughAPI(kind.path, raw)
			if err != nil {
				for j := len(made) - 1; j >= 0; j-- {
					made[j].kind.remove(s, made[j].id)
				}
				return nil, fmt.Errorf("%s: %w", entryName(kind.list, i, raw), err)
			}
			made = append(made, done{kind, ref.ID})
			created[kind.list] = append(created[kind.list], ref)
		}
	}
	s.faults.mu.Lock()
	for _, d := range made {
		delete(s.faults.lagSeen, d.id)
	}
	s.faults.mu.Unlock()
	return created, nil
}

// entryName names a seed entry by its place and, when it has one, its
// name.
func entryName(list string, i int, raw json.RawMessage) string {
	var named struct {
		Name any `json:"name"`
	}
	_ = json.Unmarshal(raw, &named)
	if name, ok := named.Name.(string); ok && name != "" {
		return fmt.Sprintf("%s[%d] (%q)", list, i, name)
	}
	return fmt.Sprintf("%s[%d]", list, i)
}

// createThroughAPI runs one create through its endpoint's handler, as the
// token's user, without faults, logging or the contract check.
func (s *Server) createThroughAPI(path string, body json.RawMessage) (ObjectRef, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, BasePath+path, bytes.NewReader(body))
	if err != nil {
		return ObjectRef{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	rec := &bufferedWriter{header: http.Header{}, status: http.StatusOK}
	s.mux.ServeHTTP(rec, req)
	if rec.status != http.StatusCreated {
		var e errorBody
		if json.Unmarshal(rec.body.Bytes(), &e) != nil {
			return ObjectRef{}, fmt.Errorf("refused with status %d", rec.status)
		}
		switch m := e.Message.(type) {
		case []any:
			parts := make([]string, len(m))
			for i, p := range m {
				parts[i] = fmt.Sprint(p)
			}
			return ObjectRef{}, errors.New(strings.Join(parts, "; "))
		default:
			return ObjectRef{}, fmt.Errorf("%v", m)
		}
	}
	var ref ObjectRef
	if err := json.Unmarshal(rec.body.Bytes(), &ref); err != nil {
		return ObjectRef{}, err
	}
	return ref, nil
}

// ResetState puts the Marketplace objects back as New made them: the
// Standard Request Form and the fixture's objects, with the same ids and
// timestamps.
func (s *Server) ResetState() error {
	return s.importState(s.initialState)
}

// serveAdmin serves the admin API and reports whether r was for it.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != AdminPath && !strings.HasPrefix(r.URL.Path, AdminPath+"/") {
		return false
	}
	if s.adminToken == "" {
		writeError(w, http.StatusNotFound, "The admin API is off: start the emulator with an admin token (-admin-token) to use "+AdminPath+".")
		return true
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token != s.adminToken {
		writeError(w, http.StatusUnauthorized, "The admin API needs \"Authorization: Bearer <admin token>\" with the emulator's admin token (not its API token).")
		return true
	}
	body, err := readBody(r)
	if errors.Is(err, errBodyTooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, "request entity too large")
		return true
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "request body could not be read")
		return true
	}
	switch r.Method + " " + r.URL.Path {
	case "POST " + AdminPath + "/reset":
		if err := s.ResetState(); err != nil {
			writeError(w, http.StatusInternalServerError, "reset failed: "+err.Error())
			return true
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
	case "POST " + AdminPath + "/seed":
		var objs MarketplaceObjects
		if msgs := decodeJSONObject(body, &objs); msgs != nil {
			for i, m := range msgs {
				if strings.HasPrefix(m, "property ") {
					msgs[i] = m + " (a seed takes dataUseAgreements, requestForms and dataProducts; domains, data sources, users and groups come from the fixture)"
				}
			}
			writeValidation(w, msgs)
			return true
		}
		created, err := s.SeedObjects(objs)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return true
		}
		writeJSON(w, http.StatusCreated, created)
	default:
		writeNotFoundRoute(w, r)
	}
	return true
}
