package marketplacetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const (
	salesDomainID = "1aebd69e-0ac6-51d7-94e0-6580689d4380" // North American Sales
	lakeDomainID  = "695134ec-9d06-5aa3-a772-f27c1c9e5173" // Enterprise Data Lake, 300 data sources
	emptyDomainID = "70bda943-29e6-549e-b419-35d6885a867e" // Research Sandbox, no data sources
)

// getJSON sends an authenticated GET and decodes the answer into out.
func getJSON(t *testing.T, s *Server, path string, out any) int {
	t.Helper()
	code, _, raw := call(t, s, "GET", path, DefaultToken, "")
	if code == 200 && out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, raw)
		}
	}
	return code
}

// wantError checks a NestJS error answer and that its message mentions want.
func wantError(t *testing.T, s *Server, path string, status int, want string) {
	t.Helper()
	code, out, raw := call(t, s, "GET", path, DefaultToken, "")
	if code != status || !strings.Contains(string(raw), want) || out["statusCode"] != float64(status) {
		t.Errorf("GET %s: got %d %s, want %d with %q", path, code, raw, status, want)
	}
}

type dataSourcePage struct {
	Data []dataSourceBody `json:"data"`
	Meta offsetMeta       `json:"meta"`
}

func TestListDomains(t *testing.T) {
	s := New(Options{})
	var got struct {
		Domains []map[string]string `json:"domains"`
	}
	if code := getJSON(t, s, "/api/metadata/domain", &got); code != 200 {
		t.Fatalf("status %d", code)
	}
	if len(got.Domains) != len(s.Fixture().Domains) {
		t.Fatalf("listed %d domains, the fixture has %d", len(got.Domains), len(s.Fixture().Domains))
	}
	for i, d := range got.Domains {
		if len(d) != 3 || d["id"] == "" || d["name"] == "" {
			t.Errorf("domain %v: want exactly id, name, description", d)
		}
		if i > 0 && got.Domains[i-1]["name"] > d["name"] {
			t.Errorf("not sorted by name: %v before %v", got.Domains[i-1]["name"], d["name"])
		}
	}
	wantError(t, s, "/api/metadata/domain?name=Sales", 400, "property name should not exist")
}

func TestGetDomain(t *testing.T) {
	s := New(Options{})
	var d domainBody
	if code := getJSON(t, s, "/api/metadata/domain/"+strings.ToUpper(salesDomainID), &d); code != 200 {
		t.Fatalf("status %d", code)
	}
	if d.ID != salesDomainID || d.Name != "North American Sales" || d.Description == "" {
		t.Errorf("got %+v", d)
	}
	wantError(t, s, "/api/metadata/domain/not-a-uuid", 400, uuidPathError)
	wantError(t, s, "/api/metadata/domain/123e4567-e89b-12d3-a456-426614174000", 404, "Domain 123e4567-e89b-12d3-a456-426614174000 not found.")
	wantError(t, s, "/api/metadata/domain/not-a-uuid/datasources", 400, uuidPathError)
	wantError(t, s, "/api/metadata/domain/123e4567-e89b-12d3-a456-426614174000/datasources", 404, "not found")
	wantError(t, s, "/api/metadata/domain/"+salesDomainID+"?limit=1", 400, "property limit should not exist")
}

// The stewards endpoint is not in the contract: it is an unknown route,
// for any domain id.
func TestDomainStewardsNotServed(t *testing.T) {
	s := New(Options{})
	for _, id := range []string{salesDomainID, "not-a-uuid"} {
		p := "/api/metadata/domain/" + id + "/stewards"
		wantError(t, s, p, 404, "Cannot GET "+BasePath+p)
	}
}

// Data sources have exactly the contract's properties; the location
// properties are null where the data source has none.
func TestDomainDataSourceShape(t *testing.T) {
	s := New(Options{})
	var page struct {
		Data []map[string]any `json:"data"`
		Meta map[string]any   `json:"meta"`
	}
	getJSON(t, s, "/api/metadata/domain/"+lakeDomainID+"/datasources?limit=100", &page)
	var s3, table bool
	for _, ds := range page.Data {
		if len(ds) != 9 {
			t.Fatalf("data source %v: want dataSourceId, name, platform, createdAt, prefix, hostname, database, schema, table", ds)
		}
		if _, ok := ds["dataSourceId"].(float64); !ok {
			t.Errorf("dataSourceId %v is not a number", ds["dataSourceId"])
		}
		if ds["prefix"] == nil && ds["table"] != nil {
			table = true
		}
		if ds["prefix"] != nil && ds["database"] == nil {
			s3 = true
		}
	}
	if !s3 || !table {
		t.Errorf("want both object-store (prefix, no database) and table data sources; got s3 %v, table %v", s3, table)
	}
	for _, k := range []string{"offset", "limit", "totalCount", "pageCount", "currentPage", "totalPages"} {
		if _, ok := page.Meta[k].(float64); !ok {
			t.Errorf("meta.%s missing in %v", k, page.Meta)
		}
	}
}

func TestListDomainDataSourcesPages(t *testing.T) {
	s := New(Options{})
	var first dataSourcePage
	if code := getJSON(t, s, "/api/metadata/domain/"+lakeDomainID+"/datasources", &first); code != 200 {
		t.Fatalf("status %d", code)
	}
	if len(first.Data) != 10 || first.Meta.Limit != 10 || first.Meta.TotalCount != 300 || first.Meta.TotalPages != 30 {
		t.Errorf("default page: %d items, meta %+v", len(first.Data), first.Meta)
	}
	// Limits above the maximum page size are clamped; walking the pages
	// yields every data source once, in name order.
	seen := map[int]bool{}
	last := ""
	for offset := 0; offset < 300; offset += 100 {
		var page dataSourcePage
		getJSON(t, s, "/api/metadata/domain/"+lakeDomainID+"/datasources?limit=500&offset="+strconv.Itoa(offset), &page)
		if page.Meta.Limit != 100 || len(page.Data) != 100 || page.Meta.CurrentPage != offset/100+1 {
			t.Fatalf("offset %d: %d items, meta %+v", offset, len(page.Data), page.Meta)
		}
		for _, ds := range page.Data {
			if seen[ds.DataSourceID] || ds.Name < last {
				t.Fatalf("data source %d %q repeated or out of order", ds.DataSourceID, ds.Name)
			}
			seen[ds.DataSourceID], last = true, ds.Name
		}
	}
	var past dataSourcePage
	getJSON(t, s, "/api/metadata/domain/"+lakeDomainID+"/datasources?offset=300", &past)
	if past.Data == nil || len(past.Data) != 0 || past.Meta.TotalCount != 300 {
		t.Errorf("past the end: %+v", past)
	}
	var empty dataSourcePage
	getJSON(t, s, "/api/metadata/domain/"+emptyDomainID+"/datasources", &empty)
	if empty.Data == nil || len(empty.Data) != 0 || empty.Meta.TotalCount != 0 {
		t.Errorf("empty domain: %+v", empty)
	}
}

func TestListDomainDataSourcesFilters(t *testing.T) {
	s := New(Options{})
	names := func(query string) []string {
		t.Helper()
		var page dataSourcePage
		if code := getJSON(t, s, "/api/metadata/domain/"+salesDomainID+"/datasources?limit=100&"+query, &page); code != 200 {
			t.Fatalf("%s: status %d", query, code)
		}
		out := []string{}
		for _, ds := range page.Data {
			out = append(out, ds.Name)
		}
		return out
	}
	for query, want := range map[string]string{
		"searchText=2024":        "Store Sales 2024,Web Sales 2024", // name and table
		"searchText=SALES_LAKE":  "November 2023 Online",            // database, any case
		"searchText=CRM":         "Customer Accounts",               // schema
		"searchText=territories": "Sales Territories",               // name and table
		"searchText=nothing":     "",
		"dataSourceIds=101&dataSourceIds=105&dataSourceIds=106": "Sales Territories,Web Sales 2024", // 106 is in Marketing
		"dataSourceIds=101&searchText=store":                    "",
		"dataSourceIds=999":                                     "",
	} {
		if got := strings.Join(names(query), ","); got != want {
			t.Errorf("%s: got %q, want %q", query, got, want)
		}
	}
	base := "/api/metadata/domain/" + salesDomainID + "/datasources?"
	wantError(t, s, base+"dataSourceIds=101,102", 400, "each value in dataSourceIds must be an integer number")
	wantError(t, s, base+"dataSourceIds=0", 400, "each value in dataSourceIds must not be less than 1")
	wantError(t, s, base+"ids=101", 400, "property ids should not exist")
	wantError(t, s, base+"limit=0", 400, "limit must not be less than 1")
	wantError(t, s, base+"offset=-1", 400, "offset must not be less than 0")
	wantError(t, s, base+"search=x", 400, "property search should not exist")
	wantError(t, s, base+"searchText=a&searchText=b", 400, "searchText must be a string")
}

func TestListUsers(t *testing.T) {
	s := New(Options{MaxPageSize: 4})
	var all struct {
		Users []map[string]any `json:"users"`
	}
	var raw map[string]json.RawMessage
	getJSON(t, s, "/api/metadata/users", &raw)
	if len(raw) != 1 || raw["users"] == nil {
		t.Fatalf("want only a users list, got keys %v", raw)
	}
	// The maximum page size of paged lists does not apply: the default
	// limit is 100, and the fixture has fewer users.
	getJSON(t, s, "/api/metadata/users", &all)
	if len(all.Users) != len(s.Fixture().Users) {
		t.Fatalf("listed %d users, the fixture has %d", len(all.Users), len(s.Fixture().Users))
	}
	for i, u := range all.Users {
		if _, leaked := u["permissions"]; leaked || len(u) != 7 {
			t.Errorf("user %v: want exactly id, iamId, globalUserId, username, name, email, authorizations", u)
		}
		if _, ok := u["id"].(float64); !ok || !isUUID(fmt.Sprint(u["globalUserId"])) {
			t.Errorf("user %v: id a number, globalUserId a UUID", u)
		}
		if _, ok := u["authorizations"].(map[string]any); !ok {
			t.Errorf("authorizations %v is not an object", u["authorizations"])
		}
		if i > 0 && fmt.Sprint(all.Users[i-1]["name"]) > fmt.Sprint(u["name"]) {
			t.Errorf("not sorted by name: %v before %v", all.Users[i-1]["name"], u["name"])
		}
	}
	var sales struct{ Users []userBody }
	getJSON(t, s, "/api/metadata/users?filter=steward.sales", &sales)
	if len(sales.Users) != 1 || !reflect.DeepEqual(sales.Users[0].Authorizations, map[string][]string{"Department": {"Sales"}, "Region": {"North America"}}) {
		t.Errorf("the fixture user's authorizations: %+v", sales.Users)
	}
	names := func(query string) []string {
		t.Helper()
		var got struct{ Users []userBody }
		if code := getJSON(t, s, "/api/metadata/users?"+query, &got); code != 200 {
			t.Fatalf("?%s: %d", query, code)
		}
		var out []string
		for _, u := range got.Users {
			out = append(out, u.Username)
		}
		return out
	}
	if got := names("filter=JORDAN.LEE"); len(got) != 2 { // email and username, any case
		t.Errorf("filter=JORDAN.LEE found %v", got)
	}
	if got := names("limit=3"); len(got) != 3 {
		t.Errorf("limit=3 gave %v", got)
	}
	if got := names("limit=1000"); len(got) != len(s.Fixture().Users) {
		t.Errorf("limit=1000 gave %d", len(got))
	}
	u0, u1 := s.Fixture().Users[0], s.Fixture().Users[1]
	if got := names("globalUserId=" + strings.ToUpper(u0.GlobalUserID) + "&globalUserId=" + u1.GlobalUserID); len(got) != 2 {
		t.Errorf("by global user id: %v", got)
	}
	if got := names("globalUserId=" + u0.GlobalUserID + "&filter=nobody"); len(got) != 0 {
		t.Errorf("filters combine: %v", got)
	}
	wantError(t, s, "/api/metadata/users?offset=4", 400, "property offset should not exist")
	wantError(t, s, "/api/metadata/users?searchText=a", 400, "property searchText should not exist")
	wantError(t, s, "/api/metadata/users?limit=x", 400, "limit must be an integer number")
	wantError(t, s, "/api/metadata/users?limit=0", 400, "limit must not be less than 1")
	wantError(t, s, "/api/metadata/users?globalUserId=bob", 400, "each value in globalUserId must be a UUID")
	wantError(t, s, "/api/metadata/users?filter=a&filter=b", 400, "filter must be a string")
}

func TestListGroupsAndAttributes(t *testing.T) {
	s := New(Options{})
	var groups struct{ Groups []map[string]any }
	getJSON(t, s, "/api/metadata/groups?filter=analysts", &groups)
	var names []string
	for _, g := range groups.Groups {
		names = append(names, fmt.Sprint(g["name"], "/", g["iamId"]))
		if len(g) != 4 {
			t.Errorf("group %v: want exactly id, iamId, name, email (nullable, never left out)", g)
		}
	}
	if strings.Join(names, ",") != "Analysts/bim,Analysts/okta,Sales Analysts/bim" {
		t.Errorf("groups %v", names)
	}
	getJSON(t, s, "/api/metadata/groups?limit=2", &groups)
	if len(groups.Groups) != 2 {
		t.Errorf("limit 2 gave %d", len(groups.Groups))
	}
	wantError(t, s, "/api/metadata/groups?offset=2", 400, "property offset should not exist")
	wantError(t, s, "/api/metadata/groups?searchText=a", 400, "property searchText should not exist")

	var attrs struct{ Attributes []Attribute }
	getJSON(t, s, "/api/metadata/attributes?search=department", &attrs)
	if len(attrs.Attributes) != 6 || attrs.Attributes[0] != (Attribute{Type: "Department", Value: "Engineering"}) {
		t.Errorf("attributes %v", attrs.Attributes)
	}
	getJSON(t, s, "/api/metadata/attributes?type=Department&search=ENG", &attrs)
	if len(attrs.Attributes) != 1 || attrs.Attributes[0].Value != "Engineering" {
		t.Errorf("typed attributes %v", attrs.Attributes)
	}
	getJSON(t, s, "/api/metadata/attributes?type=department", &attrs)
	if len(attrs.Attributes) != 0 {
		t.Errorf("type is exact: %v", attrs.Attributes)
	}
	wantError(t, s, "/api/metadata/attributes?limit=5", 400, "property limit should not exist")
	wantError(t, s, "/api/metadata/attributes?searchText=a", 400, "property searchText should not exist")
}
