package marketplacetest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Fixture is what the Immuta governance app owns and the Marketplace API
// only reads: domains, their data sources, users, groups and attributes.
// The Marketplace objects (agreements, forms, products) refer to it; a
// fixture may also hold some of those, which a server starts with (and
// its admin reset goes back to).
type Fixture struct {
	Domains     []Domain     `json:"domains"`
	DataSources []DataSource `json:"dataSources"`
	Users       []User       `json:"users"`
	Groups      []Group      `json:"groups"`
	Attributes  []Attribute  `json:"attributes"`
	MarketplaceObjects
}

// Domain is an Immuta domain.
type Domain struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Stewards are the global user ids of the domain's data stewards. No
	// endpoint of the API serves them (the published contract has no
	// stewards endpoint); the list is kept so that fixtures stay valid and
	// tests can describe who reviews in a domain.
	Stewards []string `json:"stewards,omitempty"`
	// GenerateDataSources, if set, makes ParseFixture add generated data
	// sources to this domain, so that a fixture can hold hundreds of them
	// without listing each. ParseFixture clears it once they are added.
	GenerateDataSources *DataSourceGenerator `json:"generateDataSources,omitempty"`
}

// DataSourceGenerator describes data sources generated for a domain. The
// i-th (counting from 0) gets id FirstDataSourceID+i and a name such as
// "Orders US East 2022" (after NamePrefix, if any); platform, host,
// database, schema and table vary with i. A generator always yields the
// same data sources. Data source names are unique across a fixture, so
// two generators need different name prefixes.
type DataSourceGenerator struct {
	Count             int    `json:"count"`
	FirstDataSourceID int    `json:"firstDataSourceId"`
	NamePrefix        string `json:"namePrefix,omitempty"`
}

// DataSource is a data source registered in Immuta, in one domain.
type DataSource struct {
	DataSourceID int    `json:"dataSourceId"`
	DomainID     string `json:"domainId"`
	Name         string `json:"name"`
	Platform     string `json:"platform"`
	CreatedAt    string `json:"createdAt"`
	Prefix       string `json:"prefix"`
	Hostname     string `json:"hostname"`
	Database     string `json:"database"`
	Schema       string `json:"schema"`
	Table        string `json:"table"`
}

// User is an Immuta user.
type User struct {
	ID           int    `json:"id"`
	IAMID        string `json:"iamId"`
	GlobalUserID string `json:"globalUserId"`
	Username     string `json:"username"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	// Permissions are global Immuta permissions such as GOVERNANCE.
	Permissions []string `json:"permissions,omitempty"`
	// Authorizations are the user's attributes, attribute name to values,
	// returned as the user's "authorizations".
	Authorizations map[string][]string `json:"authorizations,omitempty"`
}

// Group is an Immuta group.
type Group struct {
	ID    int    `json:"id"`
	IAMID string `json:"iamId"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Attribute is a user attribute known to Immuta.
type Attribute struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

//go:embed fixtures/default.json
var defaultFixtureJSON []byte

// DefaultFixture returns a fresh copy of the embedded default fixture.
func DefaultFixture() *Fixture {
	f, err := ParseFixture(defaultFixtureJSON)
	if err != nil {
		panic(fmt.Sprintf("the embedded default fixture is invalid: %v", err)) // a build defect, caught by tests
	}
	return f
}

// LoadFixture reads a fixture file.
func LoadFixture(path string) (*Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := ParseFixture(data)
	if err != nil {
		return nil, fmt.Errorf("fixture %s: %w", path, err)
	}
	return f, nil
}

// ParseFixture decodes and checks a fixture. Properties the fixture types
// do not have are rejected, so that a misspelt key is not silently
// ignored; generated data sources are added; then the fixture is
// validated. Errors name the entry and the value at fault.
func ParseFixture(data []byte) (*Fixture, error) {
	var f Fixture
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, describeJSONError(data, err)
	}
	if dec.More() {
		return nil, errors.New("unexpected data after the fixture's JSON object")
	}
	if err := f.generateDataSources(); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if err := f.validateObjects(); err != nil {
		return nil, err
	}
	return &f, nil
}

// validateObjects seeds the fixture's Marketplace objects into a scratch
// server, so that a fixture is refused on load, naming the entry, where
// the API would refuse one of its objects.
func (f *Fixture) validateObjects() error {
	if f.empty() {
		return nil
	}
	bare := *f
	bare.MarketplaceObjects = MarketplaceObjects{}
	_, err := New(Options{Fixture: &bare}).SeedObjects(f.MarketplaceObjects)
	return err
}

// seedFixtureObjects creates the fixture's Marketplace objects and
// remembers the resulting state for ResetState.
func (s *Server) seedFixtureObjects() {
	if !s.fixture.empty() {
		if _, err := s.SeedObjects(s.fixture.MarketplaceObjects); err != nil {
			panic(fmt.Sprintf("marketplacetest: the fixture's objects are invalid: %v", err)) // ParseFixture refuses such fixtures
		}
	}
	state, err := s.exportState()
	if err != nil {
		panic(fmt.Sprintf("marketplacetest: encoding the initial state: %v", err))
	}
	s.initialState = state
}

// describeJSONError adds the line and column to a JSON syntax or type
// error.
func describeJSONError(data []byte, err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		line, col := lineAndColumn(data, syntax.Offset)
		return fmt.Errorf("invalid JSON at line %d, column %d: %w", line, col, err)
	case errors.As(err, &typeErr):
		line, col := lineAndColumn(data, typeErr.Offset)
		return fmt.Errorf("line %d, column %d: %s must be %s, not a JSON %s", line, col, typeErr.Field, describeKind(typeErr.Type), typeErr.Value)
	case errors.Is(err, io.EOF):
		return errors.New("the fixture is empty; it must be a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, _ := lineAndColumn(data, int64(len(data)))
		return fmt.Errorf("invalid JSON: the file ends at line %d inside an object or list that is not closed", line)
	}
	return err // for example `json: unknown field "datasources"`
}

func lineAndColumn(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}

// MaxGeneratedDataSources bounds DataSourceGenerator.Count.
const MaxGeneratedDataSources = 10000

var (
	generatedSubjects = []string{"Orders", "Customers", "Returns", "Shipments", "Payments",
		"Web Clicks", "Loyalty Points", "Support Tickets", "Subscriptions", "Refunds"}
	generatedRegions = []string{"US East", "US West", "Canada", "Mexico", "UK",
		"Germany", "France", "Japan", "Australia", "Brazil"}
	generatedPlatforms = []struct{ platform, hostname, database string }{
		{"Snowflake", "acme.snowflakecomputing.com", "lake_db"},
		{"Databricks", "acme.cloud.databricks.com", "lake"},
		{"Redshift", "acme-lake.redshift.amazonaws.com", "lake"},
		{"BigQuery", "bigquery.googleapis.com", "acme-lake"},
		{"Starburst (Trino)", "starburst.acme.com", "iceberg"},
		{"PostgreSQL", "lake-pg.internal.acme.com", "lake"},
		{"Amazon S3", "s3.us-east-1.amazonaws.com", ""},
	}
)

// generateDataSources adds each domain's generated data sources, after the
// listed ones, and clears the generators.
func (f *Fixture) generateDataSources() error {
	for i := range f.Domains {
		d := &f.Domains[i]
		g := d.GenerateDataSources
		if g == nil {
			continue
		}
		if g.Count < 1 || g.Count > MaxGeneratedDataSources {
			return fmt.Errorf("domain %q: generateDataSources.count %d is not between 1 and %d", d.Name, g.Count, MaxGeneratedDataSources)
		}
		if g.FirstDataSourceID < 1 {
			return fmt.Errorf("domain %q: generateDataSources.firstDataSourceId %d is not a positive integer", d.Name, g.FirstDataSourceID)
		}
		for n := range g.Count {
			ds := generatedDataSource(d.ID, g.FirstDataSourceID+n, n)
			ds.Name = g.NamePrefix + ds.Name
			f.DataSources = append(f.DataSources, ds)
		}
		d.GenerateDataSources = nil
	}
	return nil
}

// generatedDataSource is the n-th generated data source of a domain.
func generatedDataSource(domainID string, id, n int) DataSource {
	subject := generatedSubjects[n%len(generatedSubjects)]
	region := generatedRegions[(n/len(generatedSubjects))%len(generatedRegions)]
	combos := len(generatedSubjects) * len(generatedRegions)
	year := 2022 + (n/combos)%3
	name := fmt.Sprintf("%s %s %d", subject, region, year)
	table := fmt.Sprintf("%s_%d", slug(subject), year)
	if part := n / (combos * 3); part > 0 {
		name += fmt.Sprintf(" Part %d", part+1)
		table += fmt.Sprintf("_p%d", part+1)
	}
	p := generatedPlatforms[n%len(generatedPlatforms)]
	ds := DataSource{
		DataSourceID: id, DomainID: domainID, Name: name, Platform: p.platform,
		CreatedAt: time.Date(2023, 1, 1, 6, 0, 0, 0, time.UTC).AddDate(0, 0, n).Format(timestampLayout),
		Hostname:  p.hostname, Database: p.database, Schema: slug(region), Table: table,
	}
	if p.platform == "Amazon S3" {
		ds.Prefix = fmt.Sprintf("s3://acme-lake/%s/%s/", slug(region), table)
		ds.Schema, ds.Table = "", ""
	}
	return ds
}

func slug(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "_")) }

// Validate checks that names are present, ids well formed and unique, and
// references resolve: every data source names a domain of the fixture and
// every steward and authorization a user and an attribute.
func (f *Fixture) Validate() error {
	if len(f.Users) == 0 {
		return fmt.Errorf("a fixture needs at least one user (the caller)")
	}
	domains, err := f.validateDomains()
	if err != nil {
		return err
	}
	if err := f.validateDataSources(domains); err != nil {
		return err
	}
	users, err := f.validateUsers()
	if err != nil {
		return err
	}
	if err := f.validateStewards(users); err != nil {
		return err
	}
	if err := f.validateGroups(); err != nil {
		return err
	}
	return f.validateAttributes()
}

// validateDomains checks the domains' names and ids, and returns the set
// of their ids, lower-cased.
func (f *Fixture) validateDomains() (map[string]bool, error) {
	domains := map[string]bool{}
	for _, d := range f.Domains {
		if strings.TrimSpace(d.Name) == "" {
			return nil, fmt.Errorf("domain %q has no name", d.ID)
		}
		if !isUUID(d.ID) {
			return nil, fmt.Errorf("domain %q: id %q is not a UUID", d.Name, d.ID)
		}
		if domains[strings.ToLower(d.ID)] {
			return nil, fmt.Errorf("domain id %s appears twice", d.ID)
		}
		domains[strings.ToLower(d.ID)] = true
	}
	return domains, nil
}

// validateDataSources checks the data sources' ids, names, platforms and
// timestamps, and that each is in one of domains.
func (f *Fixture) validateDataSources(domains map[string]bool) error {
	sources := map[int]bool{}
	sourceNames := map[string]int{}
	for _, ds := range f.DataSources {
		if ds.DataSourceID <= 0 {
			return fmt.Errorf("data source %q: dataSourceId must be a positive integer", ds.Name)
		}
		if sources[ds.DataSourceID] {
			return fmt.Errorf("data source id %d appears twice", ds.DataSourceID)
		}
		sources[ds.DataSourceID] = true
		if strings.TrimSpace(ds.Name) == "" {
			return fmt.Errorf("data source %d has no name", ds.DataSourceID)
		}
		// Immuta data source names are unique across the tenant.
		if other, dup := sourceNames[ds.Name]; dup {
			return fmt.Errorf("data sources %d and %d are both named %q", other, ds.DataSourceID, ds.Name)
		}
		sourceNames[ds.Name] = ds.DataSourceID
		if !domains[strings.ToLower(ds.DomainID)] {
			return fmt.Errorf("data source %d (%q): domain %q is not in the fixture", ds.DataSourceID, ds.Name, ds.DomainID)
		}
		if strings.TrimSpace(ds.Platform) == "" {
			return fmt.Errorf("data source %d (%q) has no platform", ds.DataSourceID, ds.Name)
		}
		if ds.CreatedAt != "" {
			if _, err := time.Parse(time.RFC3339, ds.CreatedAt); err != nil {
				return fmt.Errorf("data source %d (%q): createdAt %q is not an RFC 3339 timestamp", ds.DataSourceID, ds.Name, ds.CreatedAt)
			}
		}
	}
	return nil
}

// validateUsers checks the users' ids and names, and returns the set of
// their global ids, lower-cased.
func (f *Fixture) validateUsers() (map[string]bool, error) {
	users := map[string]bool{}
	userIDs := map[int]bool{}
	usernames := map[string]bool{}
	for _, u := range f.Users {
		if !isUUID(u.GlobalUserID) {
			return nil, fmt.Errorf("user %q: globalUserId %q is not a UUID", u.Username, u.GlobalUserID)
		}
		if users[strings.ToLower(u.GlobalUserID)] {
			return nil, fmt.Errorf("user globalUserId %s appears twice", u.GlobalUserID)
		}
		users[strings.ToLower(u.GlobalUserID)] = true
		if userIDs[u.ID] {
			return nil, fmt.Errorf("user id %d appears twice", u.ID)
		}
		userIDs[u.ID] = true
		if strings.TrimSpace(u.Username) == "" || strings.TrimSpace(u.IAMID) == "" {
			return nil, fmt.Errorf("user %s needs a username and an iamId", u.GlobalUserID)
		}
		// A username is unique within its identity manager only.
		key := u.IAMID + "\x00" + u.Username
		if usernames[key] {
			return nil, fmt.Errorf("username %q appears twice in identity manager %q", u.Username, u.IAMID)
		}
		usernames[key] = true
	}
	return users, nil
}

// validateStewards checks that every domain steward is one of users.
func (f *Fixture) validateStewards(users map[string]bool) error {
	for _, d := range f.Domains {
		for _, s := range d.Stewards {
			if !users[strings.ToLower(s)] {
				return fmt.Errorf("domain %q: steward %q is not a user of the fixture", d.Name, s)
			}
		}
	}
	return nil
}

// validateGroups checks the groups' ids and names.
func (f *Fixture) validateGroups() error {
	groups := map[int]bool{}
	groupNames := map[string]bool{}
	for _, g := range f.Groups {
		if groups[g.ID] {
			return fmt.Errorf("group id %d appears twice", g.ID)
		}
		groups[g.ID] = true
		if strings.TrimSpace(g.Name) == "" || strings.TrimSpace(g.IAMID) == "" {
			return fmt.Errorf("group %d needs a name and an iamId", g.ID)
		}
		key := g.IAMID + "\x00" + g.Name
		if groupNames[key] {
			return fmt.Errorf("group name %q appears twice in identity manager %q", g.Name, g.IAMID)
		}
		groupNames[key] = true
	}
	return nil
}

// validateAttributes checks the attributes and the users' authorizations.
func (f *Fixture) validateAttributes() error {
	for i, a := range f.Attributes {
		if strings.TrimSpace(a.Type) == "" || strings.TrimSpace(a.Value) == "" {
			return fmt.Errorf("attribute %d needs a type and a value", i)
		}
	}
	// A user's authorizations are attributes the fixture lists.
	attributes := map[Attribute]bool{}
	for _, a := range f.Attributes {
		attributes[a] = true
	}
	for _, u := range f.Users {
		for typ, values := range u.Authorizations {
			for _, v := range values {
				if !attributes[Attribute{Type: typ, Value: v}] {
					return fmt.Errorf("user %q: authorization %s=%s is not an attribute of the fixture", u.Username, typ, v)
				}
			}
		}
	}
	return nil
}

// callerUser picks the user a token acts as.
func (f *Fixture) callerUser(globalUserID string) User {
	for _, u := range f.Users {
		if u.GlobalUserID == globalUserID {
			return u
		}
	}
	return f.Users[0]
}

// Domain returns the domain with an id.
func (f *Fixture) Domain(id string) (Domain, bool) {
	for _, d := range f.Domains {
		if d.ID == id {
			return d, true
		}
	}
	return Domain{}, false
}

// DomainByName returns the first domain with a name.
func (f *Fixture) DomainByName(name string) (Domain, bool) {
	for _, d := range f.Domains {
		if d.Name == name {
			return d, true
		}
	}
	return Domain{}, false
}

// DataSource returns the data source with an id.
func (f *Fixture) DataSource(id int) (DataSource, bool) {
	for _, ds := range f.DataSources {
		if ds.DataSourceID == id {
			return ds, true
		}
	}
	return DataSource{}, false
}

// DataSourcesInDomain returns a domain's data sources in fixture order.
func (f *Fixture) DataSourcesInDomain(domainID string) []DataSource {
	var out []DataSource
	for _, ds := range f.DataSources {
		if ds.DomainID == domainID {
			out = append(out, ds)
		}
	}
	return out
}

// User returns the user with a global user id.
func (f *Fixture) User(globalUserID string) (User, bool) {
	for _, u := range f.Users {
		if u.GlobalUserID == globalUserID {
			return u, true
		}
	}
	return User{}, false
}

// UserByUsername returns the user with a username.
func (f *Fixture) UserByUsername(username string) (User, bool) {
	for _, u := range f.Users {
		if u.Username == username {
			return u, true
		}
	}
	return User{}, false
}

// Group returns the group with an id.
func (f *Fixture) Group(id int) (Group, bool) {
	for _, g := range f.Groups {
		if g.ID == id {
			return g, true
		}
	}
	return Group{}, false
}

// GroupByName returns the first group with a name.
func (f *Fixture) GroupByName(name string) (Group, bool) {
	for _, g := range f.Groups {
		if g.Name == name {
			return g, true
		}
	}
	return Group{}, false
}
