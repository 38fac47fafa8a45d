package marketplacetest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultFixture(t *testing.T) {
	f := DefaultFixture()
	// Entries other code relies on, by name and id.
	for name, id := range map[string]string{
		"North American Sales": salesDomainID,
		"Marketing":            "d4140859-4616-5a2e-a3c9-606e8147bc53",
		"Finance":              "52137b16-6081-5f38-ad3a-8a0e6f2132ba",
		"Enterprise Data Lake": lakeDomainID,
		"Research Sandbox":     emptyDomainID,
	} {
		if d, ok := f.DomainByName(name); !ok || d.ID != id {
			t.Errorf("domain %q: got %+v", name, d)
		}
	}
	if ds, ok := f.DataSource(101); !ok || ds.Name != "Web Sales 2024" || ds.DomainID != salesDomainID {
		t.Errorf("data source 101: %+v", ds)
	}
	if u := f.Users[0]; u.Username != "governor" || u.GlobalUserID != "44509dec-9b50-50fd-af68-e366e731fcf4" {
		t.Errorf("the caller changed: %+v", u)
	}
	if n := len(f.DataSourcesInDomain(lakeDomainID)); n != 300 {
		t.Errorf("the large domain has %d data sources, want 300", n)
	}
	if n := len(f.DataSourcesInDomain(emptyDomainID)); n != 0 {
		t.Errorf("the empty domain has %d data sources", n)
	}
	platforms := map[string]bool{}
	for _, ds := range f.DataSources {
		platforms[ds.Platform] = true
	}
	for _, p := range []string{"Snowflake", "Databricks", "Redshift", "BigQuery", "Starburst (Trino)", "PostgreSQL", "Amazon S3"} {
		if !platforms[p] {
			t.Errorf("no data source on %s", p)
		}
	}
	jordans := 0
	for _, u := range f.Users {
		if u.Name == "Jordan Lee" {
			jordans++
		}
	}
	if jordans != 2 {
		t.Errorf("%d users named Jordan Lee, want 2 (for ambiguous lookups)", jordans)
	}
	if !reflect.DeepEqual(DefaultFixture(), f) {
		t.Error("DefaultFixture is not the same twice")
	}
}

func TestGeneratedDataSourcesAreStable(t *testing.T) {
	f := DefaultFixture()
	lake := f.DataSourcesInDomain(lakeDomainID)
	first, last := lake[0], lake[len(lake)-1]
	if first.DataSourceID != 1001 || first.Name != "Orders US East 2022" || first.Platform != "Snowflake" ||
		first.Schema != "us_east" || first.Table != "orders_2022" || first.CreatedAt != "2023-01-01T06:00:00.000Z" {
		t.Errorf("first generated: %+v", first)
	}
	if last.DataSourceID != 1300 || last.Name != "Refunds Brazil 2024" {
		t.Errorf("last generated: %+v", last)
	}
	for _, ds := range lake {
		if ds.Platform == "Amazon S3" && (ds.Prefix == "" || ds.Table != "") {
			t.Errorf("S3 data source %+v: want a prefix and no table", ds)
		}
	}
	// Past 300, names stay unique.
	g := Fixture{
		Domains: []Domain{{ID: lakeDomainID, Name: "Big", GenerateDataSources: &DataSourceGenerator{Count: 601, FirstDataSourceID: 1}}},
		Users:   DefaultFixture().Users[:1],
	}
	g.Domains = append(g.Domains, Domain{ID: emptyDomainID, Name: "Other", GenerateDataSources: &DataSourceGenerator{Count: 1, FirstDataSourceID: 5000, NamePrefix: "Other "}})
	if err := g.generateDataSources(); err != nil {
		t.Fatal(err)
	}
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	if g.DataSources[600].Name != "Orders US East 2022 Part 3" || g.Domains[0].GenerateDataSources != nil {
		t.Errorf("601st: %+v", g.DataSources[600])
	}
	if other := g.DataSources[601]; other.Name != "Other Orders US East 2022" || other.DomainID != emptyDomainID {
		t.Errorf("a second generator with a prefix: %+v", other)
	}
}

func TestParseFixtureRejectsBadFixtures(t *testing.T) {
	user := `{"id":1,"iamId":"bim","globalUserId":"44509dec-9b50-50fd-af68-e366e731fcf4","username":"u","name":"U","email":"u@example.com"}`
	domain := `{"id":"1aebd69e-0ac6-51d7-94e0-6580689d4380","name":"D","description":""}`
	source := func(id, name, domainID string) string {
		return `{"dataSourceId":` + id + `,"domainId":"` + domainID + `","name":"` + name + `","platform":"Snowflake","createdAt":"2025-01-01T00:00:00.000Z","prefix":"","hostname":"h","database":"d","schema":"s","table":"t"}`
	}
	for name, tc := range map[string]struct{ json, want string }{
		"empty":                {``, "the fixture is empty"},
		"syntax":               {"{\n  \"users\": [\n    {\"id\": 1,,}\n  ]\n}", "invalid JSON at line 3, column 14: invalid character ','"},
		"wrong type":           {`{"users": [{"id": "one"}]}`, `line 1, column 23: users.id must be a number, not a JSON string`},
		"unknown key":          {`{"dataSource": []}`, `unknown field "dataSource"`},
		"trailing data":        {`{"users": [` + user + `]} {}`, "unexpected data after"},
		"no users":             {`{}`, "at least one user"},
		"domain id":            {`{"domains":[{"id":"sales","name":"Sales"}],"users":[` + user + `]}`, `domain "Sales": id "sales" is not a UUID`},
		"domain name":          {`{"domains":[{"id":"1aebd69e-0ac6-51d7-94e0-6580689d4380","name":" "}],"users":[` + user + `]}`, "has no name"},
		"domain twice":         {`{"domains":[` + domain + `,` + domain + `],"users":[` + user + `]}`, "appears twice"},
		"dangling":             {`{"dataSources":[` + source("1", "A", "1aebd69e-0ac6-51d7-94e0-6580689d4380") + `],"users":[` + user + `]}`, `data source 1 ("A"): domain "1aebd69e-0ac6-51d7-94e0-6580689d4380" is not in the fixture`},
		"source twice":         {`{"domains":[` + domain + `],"dataSources":[` + source("1", "A", "1aebd69e-0ac6-51d7-94e0-6580689d4380") + `,` + source("1", "B", "1aebd69e-0ac6-51d7-94e0-6580689d4380") + `],"users":[` + user + `]}`, "data source id 1 appears twice"},
		"source name":          {`{"domains":[` + domain + `],"dataSources":[` + source("1", "A", "1aebd69e-0ac6-51d7-94e0-6580689d4380") + `,` + source("2", "A", "1aebd69e-0ac6-51d7-94e0-6580689d4380") + `],"users":[` + user + `]}`, `data sources 1 and 2 are both named "A"`},
		"steward":              {`{"domains":[{"id":"1aebd69e-0ac6-51d7-94e0-6580689d4380","name":"D","stewards":["13a62994-63dd-567a-a95a-3fa42926e4e2"]}],"users":[` + user + `]}`, `steward "13a62994-63dd-567a-a95a-3fa42926e4e2" is not a user`},
		"user twice":           {`{"users":[` + user + `,` + strings.Replace(user, `"id":1`, `"id":2`, 1) + `]}`, "appears twice"},
		"username twice":       {`{"users":[` + user + `,` + strings.Replace(strings.Replace(user, `"id":1`, `"id":2`, 1), "44509dec", "54509dec", 1) + `]}`, `username "u" appears twice in identity manager "bim"`},
		"generator":            {`{"domains":[{"id":"1aebd69e-0ac6-51d7-94e0-6580689d4380","name":"D","generateDataSources":{"count":0,"firstDataSourceId":1}}],"users":[` + user + `]}`, "generateDataSources.count 0 is not between 1 and 10000"},
		"generated name clash": {`{"domains":[{"id":"1aebd69e-0ac6-51d7-94e0-6580689d4380","name":"D","generateDataSources":{"count":2,"firstDataSourceId":1}},{"id":"2aebd69e-0ac6-51d7-94e0-6580689d4380","name":"E","generateDataSources":{"count":2,"firstDataSourceId":11}}],"users":[` + user + `]}`, `data sources 1 and 11 are both named "Orders US East 2022"`},
		"generated id clash":   {`{"domains":[{"id":"1aebd69e-0ac6-51d7-94e0-6580689d4380","name":"D","generateDataSources":{"count":2,"firstDataSourceId":1}}],"dataSources":[` + source("2", "A", "1aebd69e-0ac6-51d7-94e0-6580689d4380") + `],"users":[` + user + `]}`, "data source id 2 appears twice"},
		"created at":           {`{"domains":[` + domain + `],"dataSources":[` + strings.Replace(source("1", "A", "1aebd69e-0ac6-51d7-94e0-6580689d4380"), "2025-01-01T00:00:00.000Z", "yesterday", 1) + `],"users":[` + user + `]}`, `createdAt "yesterday" is not an RFC 3339 timestamp`},
		"attribute":            {`{"users":[` + user + `],"attributes":[{"type":"Department","value":""}]}`, "attribute 0 needs a type and a value"},
		"authorization":        {`{"users":[` + strings.Replace(user, `"id":1`, `"id":1,"authorizations":{"Department":["Sales"]}`, 1) + `],"attributes":[{"type":"Department","value":"Finance"}]}`, `user "u": authorization Department=Sales is not an attribute of the fixture`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseFixture([]byte(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestLoadFixtureNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(path, []byte(`{"users": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFixture(path)
	if err == nil || !strings.Contains(err.Error(), "fixture "+path+": a fixture needs at least one user") {
		t.Errorf("got %v", err)
	}
}

// The example fixture users start from must load, and serve its
// generated data sources.
func TestExampleFixtureLoads(t *testing.T) {
	f, err := LoadFixture(filepath.Join("..", "..", "examples", "emulator", "fixture.json"))
	if err != nil {
		t.Fatal(err)
	}
	d, ok := f.DomainByName("Commercial")
	if !ok || len(f.DataSourcesInDomain(d.ID)) != 150 {
		t.Errorf("the Commercial domain should hold 150 generated data sources")
	}
	s := New(Options{Fixture: f})
	var got dataSourcePage
	getJSON(t, s, "/api/metadata/domain/"+d.ID+"/datasources", &got)
	if got.Meta.TotalCount != 150 {
		t.Errorf("served %+v", got.Meta)
	}
}
