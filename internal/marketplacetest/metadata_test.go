package marketplacetest

import (
	"encoding/json"
	"fmt"
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
	for _, sub := range []string{"/datasources", "/stewards"} {
		wantError(t, s, "/api/metadata/domain/not-a-uuid"+sub, 400, uuidPathError)
		wantError(t, s, "/api/metadata/domain/123e4567-e89b-12d3-a456-426614174000"+sub, 404, "not found")
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
		"searchText=2024":          "Store Sales 2024,Web Sales 2024", // name and table
		"searchText=SALES_LAKE":    "November 2023 Online",            // database, any case
		"searchText=CRM":           "Customer Accounts",               // schema
		"searchText=territories":   "Sales Territories",               // name and table
		"searchText=nothing":       "",
		"ids=101&ids=105&ids=106":  "Sales Territories,Web Sales 2024", // 106 is in Marketing
		"ids=101&searchText=store": "",
		"ids=999":                  "",
	} {
		if got := strings.Join(names(query), ","); got != want {
			t.Errorf("%s: got %q, want %q", query, got, want)
		}
	}
	base := "/api/metadata/domain/" + salesDomainID + "/datasources?"
	wantError(t, s, base+"ids=101,102", 400, "each value in ids must be an integer number")
	wantError(t, s, base+"ids=0", 400, "each value in ids must not be less than 1")
	wantError(t, s, base+"limit=0", 400, "limit must not be less than 1")
	wantError(t, s, base+"offset=-1", 400, "offset must not be less than 0")
	wantError(t, s, base+"search=x", 400, "property search should not exist")
	wantError(t, s, base+"searchText=a&searchText=b", 400, "searchText must be a string")
}

func TestListDomainStewards(t *testing.T) {
	s := New(Options{})
	var got struct {
		Users []map[string]any `json:"users"`
	}
	getJSON(t, s, "/api/metadata/domain/"+salesDomainID+"/stewards", &got)
	var usernames []string
	for _, u := range got.Users {
		if _, leaked := u["permissions"]; leaked || len(u) != 6 {
			t.Errorf("user %v: want exactly id, iamId, globalUserId, username, name, email", u)
		}
		usernames = append(usernames, fmt.Sprint(u["username"]))
	}
	// The listed steward, the two governors and the application admin,
	// sorted by name; not the user admin.
	want := "app.admin,governor,ops.governor,steward.sales"
	if strings.Join(usernames, ",") != want {
		t.Errorf("stewards %v, want %s", usernames, want)
	}
	getJSON(t, s, "/api/metadata/domain/"+emptyDomainID+"/stewards", &got)
	if len(got.Users) != 3 {
		t.Errorf("a domain without listed stewards has %d, want the 3 governors and admins", len(got.Users))
	}
}

func TestListUsersPagesWithoutMeta(t *testing.T) {
	s := New(Options{MaxPageSize: 4})
	var all []userBody
	for offset := 0; ; offset += 4 {
		var page map[string]json.RawMessage
		getJSON(t, s, "/api/metadata/users?limit=100&offset="+strconv.Itoa(offset), &page)
		if _, hasMeta := page["meta"]; hasMeta || len(page) != 1 {
			t.Fatalf("want only a users list, got keys %v", page)
		}
		var users []userBody
		if err := json.Unmarshal(page["users"], &users); err != nil || users == nil {
			t.Fatalf("users %s: %v", page["users"], err)
		}
		all = append(all, users...)
		if len(users) < 4 {
			break
		}
	}
	if len(all) != len(s.Fixture().Users) {
		t.Fatalf("paged through %d users, the fixture has %d", len(all), len(s.Fixture().Users))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].Name > all[i].Name {
			t.Errorf("not sorted by name: %q before %q", all[i-1].Name, all[i].Name)
		}
	}
	var found struct{ Users []userBody }
	getJSON(t, s, "/api/metadata/users?searchText=JORDAN.LEE", &found) // email and username, any case
	if len(found.Users) != 2 || found.Users[0].Name != "Jordan Lee" || found.Users[1].Name != "Jordan Lee" {
		t.Errorf("searchText=JORDAN.LEE found %+v", found.Users)
	}
	wantError(t, s, "/api/metadata/users?size=10", 400, "property size should not exist")
	wantError(t, s, "/api/metadata/users?limit=x", 400, "limit must be an integer number")
}

func TestListGroupsAndAttributes(t *testing.T) {
	s := New(Options{})
	var groups struct{ Groups []Group }
	getJSON(t, s, "/api/metadata/groups?searchText=analysts", &groups)
	var names []string
	for _, g := range groups.Groups {
		names = append(names, g.Name+"/"+g.IAMID)
	}
	if strings.Join(names, ",") != "Analysts/bim,Analysts/okta,Sales Analysts/bim" {
		t.Errorf("groups %v", names)
	}
	getJSON(t, s, "/api/metadata/groups?limit=2&offset=2", &groups)
	if len(groups.Groups) != 2 {
		t.Errorf("limit 2 gave %d", len(groups.Groups))
	}
	var attrs struct{ Attributes []Attribute }
	getJSON(t, s, "/api/metadata/attributes?searchText=department", &attrs)
	if len(attrs.Attributes) != 6 || attrs.Attributes[0] != (Attribute{Type: "Department", Value: "Engineering"}) {
		t.Errorf("attributes %v", attrs.Attributes)
	}
	wantError(t, s, "/api/metadata/attributes?limit=5", 400, "property limit should not exist")
}
