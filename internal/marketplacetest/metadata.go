package marketplacetest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Defaults of the metadata lists (the contract's: 10 for a domain's data
// sources, 100 for users and groups).
const (
	defaultDataSourcePageSize = 10
	defaultUserListLimit      = 100
)

// domainBody is a domain as the API returns it (without the fixture's
// steward list).
type domainBody struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// dataSourceBody is a data source as the API returns it (without the
// fixture's domain id). The location fields are nullable: null where the
// fixture has none.
type dataSourceBody struct {
	DataSourceID int     `json:"dataSourceId"`
	Name         string  `json:"name"`
	Platform     string  `json:"platform"`
	CreatedAt    string  `json:"createdAt"`
	Prefix       *string `json:"prefix"`
	Hostname     *string `json:"hostname"`
	Database     *string `json:"database"`
	Schema       *string `json:"schema"`
	Table        *string `json:"table"`
}

// userBody is a user as the API returns it (without permissions).
type userBody struct {
	ID             int                 `json:"id"`
	IAMID          string              `json:"iamId"`
	GlobalUserID   string              `json:"globalUserId"`
	Username       string              `json:"username"`
	Name           string              `json:"name"`
	Email          *string             `json:"email"`
	Authorizations map[string][]string `json:"authorizations"`
}

// groupBody is a group as the API returns it: iamId and email are
// required but nullable.
type groupBody struct {
	ID    int     `json:"id"`
	IAMID *string `json:"iamId"`
	Name  string  `json:"name"`
	Email *string `json:"email"`
}

// nullIfEmpty renders an empty fixture string as JSON null.
func nullIfEmpty(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

func (s *Server) routeMetadata() {
	s.handle("GET /api/metadata/domain", s.listDomains)
	s.handle("GET /api/metadata/domain/{id}", s.getDomain)
	s.handle("GET /api/metadata/domain/{id}/datasources", s.listDomainDataSources)
	s.handle("GET /api/metadata/users", s.listUsers)
	s.handle("GET /api/metadata/groups", s.listGroups)
	s.handle("GET /api/metadata/attributes", s.listAttributes)
}

// checkQuery rejects query parameters an endpoint does not take, as
// NestJS's whitelist validation of a query DTO does.
func checkQuery(r *http.Request, allowed ...string) checks {
	var msgs checks
	keys := make([]string, 0, len(r.URL.Query()))
	for k := range r.URL.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			msgs.add("property %s should not exist", k)
		}
	}
	return msgs
}

// singleParam reads a string query parameter that may appear at most
// once.
func singleParam(r *http.Request, name string, msgs *checks) string {
	vs := r.URL.Query()[name]
	if len(vs) > 1 {
		msgs.add("%s must be a string", name)
		return ""
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// containsFold reports whether any of the fields contains text, ignoring
// case. Empty text matches everything.
func containsFold(text string, fields ...string) bool {
	if text == "" {
		return true
	}
	text = strings.ToLower(text)
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), text) {
			return true
		}
	}
	return false
}

func (s *Server) listDomains(w http.ResponseWriter, r *http.Request) {
	if msgs := checkQuery(r); len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	out := make([]domainBody, 0, len(s.fixture.Domains))
	for _, d := range s.fixture.Domains {
		out = append(out, toDomainBody(d))
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b domainBody) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	writeJSON(w, http.StatusOK, map[string]any{"domains": out})
}

func toDomainBody(d Domain) domainBody {
	return domainBody{ID: strings.ToLower(d.ID), Name: d.Name, Description: d.Description}
}

// lookupDomain answers 400 or 404 itself when it returns false. The caller
// holds s.mu.
func (s *Server) lookupDomain(w http.ResponseWriter, r *http.Request) (Domain, bool) {
	id := r.PathValue("id")
	if !isUUID(id) {
		writeError(w, http.StatusBadRequest, uuidPathError)
		return Domain{}, false
	}
	for _, d := range s.fixture.Domains {
		if strings.EqualFold(d.ID, id) {
			return d, true
		}
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("Domain %s not found.", id))
	return Domain{}, false
}

func (s *Server) getDomain(w http.ResponseWriter, r *http.Request) {
	if msgs := checkQuery(r); len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	d, ok := s.lookupDomain(w, r)
	s.mu.Unlock()
	if ok {
		writeJSON(w, http.StatusOK, toDomainBody(d))
	}
}

// parseDataSourceIDs reads the repeated dataSourceIds query parameter:
// each value one positive integer.
func parseDataSourceIDs(r *http.Request, msgs *checks) map[int]bool {
	vs, ok := r.URL.Query()["dataSourceIds"]
	if !ok {
		return nil
	}
	ids := map[int]bool{}
	for _, v := range vs {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			msgs.add("each value in dataSourceIds must be an integer number")
			return nil
		case n < 1:
			msgs.add("each value in dataSourceIds must not be less than 1")
			return nil
		}
		ids[n] = true
	}
	return ids
}

func (s *Server) listDomainDataSources(w http.ResponseWriter, r *http.Request) {
	msgs := checkQuery(r, "offset", "limit", "searchText", "dataSourceIds")
	p, pagingMsgs := s.parsePaging(r, defaultDataSourcePageSize)
	msgs = append(msgs, pagingMsgs...)
	search := singleParam(r, "searchText", &msgs)
	ids := parseDataSourceIDs(r, &msgs)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	d, ok := s.lookupDomain(w, r)
	var items []dataSourceBody
	if ok {
		for _, ds := range s.fixture.DataSources {
			if !strings.EqualFold(ds.DomainID, d.ID) {
				continue
			}
			if ids != nil && !ids[ds.DataSourceID] {
				continue
			}
			if !containsFold(search, ds.Name, ds.Database, ds.Schema, ds.Table) {
				continue
			}
			items = append(items, toDataSourceBody(ds))
		}
	}
	s.mu.Unlock()
	if !ok {
		return
	}
	slices.SortFunc(items, func(a, b dataSourceBody) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.DataSourceID, b.DataSourceID))
	})
	page, meta := offsetPage(items, p)
	writeJSON(w, http.StatusOK, map[string]any{"data": page, "meta": meta})
}

func toDataSourceBody(ds DataSource) dataSourceBody {
	return dataSourceBody{
		DataSourceID: ds.DataSourceID, Name: ds.Name, Platform: ds.Platform, CreatedAt: ds.CreatedAt,
		Prefix: nullIfEmpty(ds.Prefix), Hostname: nullIfEmpty(ds.Hostname), Database: nullIfEmpty(ds.Database),
		Schema: nullIfEmpty(ds.Schema), Table: nullIfEmpty(ds.Table),
	}
}

func toUserBody(u User) userBody {
	auth := u.Authorizations
	if auth == nil {
		auth = map[string][]string{}
	}
	return userBody{ID: u.ID, IAMID: u.IAMID, GlobalUserID: strings.ToLower(u.GlobalUserID),
		Username: u.Username, Name: u.Name, Email: nullIfEmpty(u.Email), Authorizations: auth}
}

func sortUsers(users []userBody) {
	slices.SortFunc(users, func(a, b userBody) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.GlobalUserID, b.GlobalUserID))
	})
}

// parseListLimit reads the limit of the unpaged user and group lists:
// at least 1, default 100. The contract gives no maximum, so none is
// applied (the maximum page size of paged lists does not apply either).
func parseListLimit(r *http.Request, msgs *checks) int {
	vs := r.URL.Query()["limit"]
	switch {
	case len(vs) == 0:
		return defaultUserListLimit
	case len(vs) > 1:
		msgs.add("limit must be a number conforming to the specified constraints")
		return 0
	}
	n, err := strconv.Atoi(vs[0])
	switch {
	case err != nil:
		msgs.add("limit must be an integer number")
	case n < 1:
		msgs.add("limit must not be less than 1")
	}
	return n
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	msgs := checkQuery(r, "limit", "filter", "globalUserId")
	limit := parseListLimit(r, &msgs)
	filter := singleParam(r, "filter", &msgs)
	var wanted []string
	for _, id := range r.URL.Query()["globalUserId"] {
		if !isUUID(id) {
			msgs.add("each value in globalUserId must be a UUID")
			break
		}
		wanted = append(wanted, strings.ToLower(id))
	}
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	items := []userBody{}
	for _, u := range s.fixture.Users {
		if wanted != nil && !slices.Contains(wanted, strings.ToLower(u.GlobalUserID)) {
			continue
		}
		if containsFold(filter, u.Username, u.Name, u.Email) {
			items = append(items, toUserBody(u))
		}
	}
	s.mu.Unlock()
	sortUsers(items)
	writeJSON(w, http.StatusOK, map[string]any{"users": items[:min(limit, len(items))]})
}

func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) {
	msgs := checkQuery(r, "limit", "filter")
	limit := parseListLimit(r, &msgs)
	filter := singleParam(r, "filter", &msgs)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	var items []Group
	for _, g := range s.fixture.Groups {
		if containsFold(filter, g.Name) {
			items = append(items, g)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(items, func(a, b Group) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	out := []groupBody{}
	for _, g := range items[:min(limit, len(items))] {
		out = append(out, groupBody{ID: g.ID, IAMID: nullIfEmpty(g.IAMID), Name: g.Name, Email: nullIfEmpty(g.Email)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"groups": out})
}

func (s *Server) listAttributes(w http.ResponseWriter, r *http.Request) {
	msgs := checkQuery(r, "search", "type")
	search := singleParam(r, "search", &msgs)
	typ := singleParam(r, "type", &msgs)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	items := []Attribute{}
	for _, a := range s.fixture.Attributes {
		if (typ == "" || a.Type == typ) && containsFold(search, a.Type, a.Value) {
			items = append(items, a)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(items, func(a, b Attribute) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Value, b.Value))
	})
	writeJSON(w, http.StatusOK, map[string]any{"attributes": items})
}
