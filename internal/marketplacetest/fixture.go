package marketplacetest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
)

// Fixture is what the Immuta governance app owns and the Marketplace API
// only reads: domains, their data sources, users, groups and attributes.
// The Marketplace objects (agreements, forms, products) refer to it.
type Fixture struct {
	Domains     []Domain     `json:"domains"`
	DataSources []DataSource `json:"dataSources"`
	Users       []User       `json:"users"`
	Groups      []Group      `json:"groups"`
	Attributes  []Attribute  `json:"attributes"`
}

// Domain is an Immuta domain.
type Domain struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Stewards are the global user ids of users eligible as data stewards
	// in this domain (besides governors and admins, who always are).
	Stewards []string `json:"stewards,omitempty"`
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

// ParseFixture decodes and checks a fixture.
func ParseFixture(data []byte) (*Fixture, error) {
	var f Fixture
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Validate checks that ids are well formed and unique and that every data
// source names a domain of the fixture.
func (f *Fixture) Validate() error {
	if len(f.Users) == 0 {
		return fmt.Errorf("a fixture needs at least one user (the caller)")
	}
	domains := map[string]bool{}
	for _, d := range f.Domains {
		if !isUUID(d.ID) {
			return fmt.Errorf("domain %q: id %q is not a UUID", d.Name, d.ID)
		}
		if domains[d.ID] {
			return fmt.Errorf("domain id %s appears twice", d.ID)
		}
		domains[d.ID] = true
	}
	sources := map[int]bool{}
	for _, ds := range f.DataSources {
		if ds.DataSourceID <= 0 {
			return fmt.Errorf("data source %q: dataSourceId must be a positive integer", ds.Name)
		}
		if sources[ds.DataSourceID] {
			return fmt.Errorf("data source id %d appears twice", ds.DataSourceID)
		}
		sources[ds.DataSourceID] = true
		if !domains[ds.DomainID] {
			return fmt.Errorf("data source %d (%q): domain %q is not in the fixture", ds.DataSourceID, ds.Name, ds.DomainID)
		}
	}
	users := map[string]bool{}
	for _, u := range f.Users {
		if !isUUID(u.GlobalUserID) {
			return fmt.Errorf("user %q: globalUserId %q is not a UUID", u.Username, u.GlobalUserID)
		}
		if users[u.GlobalUserID] {
			return fmt.Errorf("user globalUserId %s appears twice", u.GlobalUserID)
		}
		users[u.GlobalUserID] = true
	}
	for _, d := range f.Domains {
		for _, s := range d.Stewards {
			if !users[s] {
				return fmt.Errorf("domain %q: steward %q is not a user of the fixture", d.Name, s)
			}
		}
	}
	groups := map[int]bool{}
	for _, g := range f.Groups {
		if groups[g.ID] {
			return fmt.Errorf("group id %d appears twice", g.ID)
		}
		groups[g.ID] = true
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
