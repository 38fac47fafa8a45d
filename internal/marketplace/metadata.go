package marketplace

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
)

// Domain is an Immuta domain: a group of data sources that data products
// are built from.
type Domain struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// DataSource is a data source registered in Immuta, as a domain lists it.
// Prefix, Hostname, Database, Schema and Table are nullable in the
// contract; null reads as "".
type DataSource struct {
	// DataSourceID is an integer in the metadata API; the data product API
	// takes it as a string (dataSources[].sourceId).
	DataSourceID int64  `json:"dataSourceId"`
	Name         string `json:"name"`
	Platform     string `json:"platform"`
	CreatedAt    string `json:"createdAt"`
	Prefix       string `json:"prefix"`
	Hostname     string `json:"hostname"`
	Database     string `json:"database"`
	Schema       string `json:"schema"`
	Table        string `json:"table"`
}

// User is an Immuta user. ID is the user's number in its identity manager
// (IAMID); GlobalUserID identifies the user across the tenant. Email is
// nullable; null reads as "".
type User struct {
	ID             int64               `json:"id"`
	IAMID          string              `json:"iamId"`
	GlobalUserID   string              `json:"globalUserId"`
	Username       string              `json:"username"`
	Name           string              `json:"name"`
	Email          string              `json:"email"`
	Authorizations map[string][]string `json:"authorizations,omitempty"`
}

// Group is an Immuta group. IAMID and Email are nullable; null reads as "".
type Group struct {
	ID    int64  `json:"id"`
	IAMID string `json:"iamId"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Attribute is a user attribute known to Immuta.
type Attribute struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// maxIDsPerRequest bounds how many ids one data source request filters
// by, to keep URLs short.
const maxIDsPerRequest = 100

// ListDomains returns every domain the service offers for data products.
// The endpoint takes no filter and is not paged.
func (c *Client) ListDomains(ctx context.Context) ([]Domain, error) {
	var out struct {
		Domains []Domain `json:"domains"`
	}
	if err := c.do(ctx, "GET", apiPath("metadata", "domain"), nil, nil, &out); err != nil {
		return nil, err
	}
	return out.Domains, nil
}

// GetDomain reads a domain by id.
func (c *Client) GetDomain(ctx context.Context, id string) (*Domain, error) {
	var out Domain
	if err := c.do(ctx, "GET", apiPath("metadata", "domain", id), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListDomainDataSourcesOptions filters a domain's data sources.
type ListDomainDataSourcesOptions struct {
	// SearchText is the service's search (searchText): a case-insensitive
	// substring of the name (the emulator also matches database, schema
	// and table).
	SearchText string
	// IDs, if not empty, keeps only these data sources (dataSourceIds).
	IDs []int64
}

// ListDomainDataSources returns a domain's data sources that match,
// following pagination to the end.
func (c *Client) ListDomainDataSources(ctx context.Context, domainID string, opts ListDomainDataSourcesOptions) ([]DataSource, error) {
	path := apiPath("metadata", "domain", domainID, "datasources")
	q := url.Values{}
	if opts.SearchText != "" {
		q.Set("searchText", opts.SearchText)
	}
	if len(opts.IDs) == 0 {
		return listOffset[DataSource](ctx, c, path, q)
	}
	// Several requests of at most maxIDsPerRequest ids each, merged.
	ids := slices.Clone(opts.IDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var all []DataSource
	for chunk := range slices.Chunk(ids, maxIDsPerRequest) {
		cq := cloneValues(q)
		for _, id := range chunk {
			cq.Add("dataSourceIds", strconv.FormatInt(id, 10))
		}
		part, err := listOffset[DataSource](ctx, c, path, cq)
		if err != nil {
			return nil, err
		}
		all = append(all, part...)
	}
	slices.SortFunc(all, func(a, b DataSource) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.DataSourceID, b.DataSourceID))
	})
	return all, nil
}

// ListDomainStewards reads GET /api/metadata/domain/{id}/stewards, which
// the published API does not have (older deployments served it). Where
// the endpoint is missing the error's IsRouteMissing is true.
func (c *Client) ListDomainStewards(ctx context.Context, domainID string) ([]User, error) {
	var out struct {
		Users []User `json:"users"`
	}
	if err := c.do(ctx, "GET", apiPath("metadata", "domain", domainID, "stewards"), nil, nil, &out); err != nil {
		return nil, err
	}
	return out.Users, nil
}

// MetadataListLimit is the limit the client asks for when listing users or
// groups. Those lists are not paged (there is no offset or cursor), so
// one request with a large limit is all there is; an answer of exactly
// this many items may have been cut short.
const MetadataListLimit = 10000

// ListUsersOptions filters users.
type ListUsersOptions struct {
	// Filter is the service's search (filter); the emulator matches a
	// case-insensitive substring of the username, name or email.
	Filter string
	// GlobalUserIDs, if not empty, keeps only these users (globalUserId).
	GlobalUserIDs []string
}

// ListUsers returns the users that match, in one request of
// MetadataListLimit. truncated is true when the answer holds exactly that
// many users, so that more may exist.
func (c *Client) ListUsers(ctx context.Context, opts ListUsersOptions) (users []User, truncated bool, err error) {
	q := url.Values{"limit": {strconv.Itoa(MetadataListLimit)}}
	if opts.Filter != "" {
		q.Set("filter", opts.Filter)
	}
	for _, id := range opts.GlobalUserIDs {
		q.Add("globalUserId", id)
	}
	var out struct {
		Users *[]User `json:"users"`
	}
	path := apiPath("metadata", "users")
	if err := c.do(ctx, "GET", path, q, nil, &out); err != nil {
		return nil, false, err
	}
	if out.Users == nil {
		return nil, false, fmt.Errorf("GET %s: the response has no \"users\" list", path)
	}
	return *out.Users, len(*out.Users) >= MetadataListLimit, nil
}

// ListGroupsOptions filters groups.
type ListGroupsOptions struct {
	// Filter is the service's search (filter); the emulator matches a
	// case-insensitive substring of the name.
	Filter string
}

// ListGroups returns the groups that match, in one request of
// MetadataListLimit. truncated is true when the answer holds exactly that
// many groups, so that more may exist.
func (c *Client) ListGroups(ctx context.Context, opts ListGroupsOptions) (groups []Group, truncated bool, err error) {
	q := url.Values{"limit": {strconv.Itoa(MetadataListLimit)}}
	if opts.Filter != "" {
		q.Set("filter", opts.Filter)
	}
	var out struct {
		Groups *[]Group `json:"groups"`
	}
	path := apiPath("metadata", "groups")
	if err := c.do(ctx, "GET", path, q, nil, &out); err != nil {
		return nil, false, err
	}
	if out.Groups == nil {
		return nil, false, fmt.Errorf("GET %s: the response has no \"groups\" list", path)
	}
	return *out.Groups, len(*out.Groups) >= MetadataListLimit, nil
}

// ListAttributesOptions filters attributes.
type ListAttributesOptions struct {
	// Search is the service's search (search); the emulator matches a
	// case-insensitive substring of the attribute's type or value.
	Search string
	// Type keeps only attributes of this type (name).
	Type string
}

// ListAttributes returns every attribute that matches. The endpoint is
// not paged.
func (c *Client) ListAttributes(ctx context.Context, opts ListAttributesOptions) ([]Attribute, error) {
	q := url.Values{}
	if opts.Search != "" {
		q.Set("search", opts.Search)
	}
	if opts.Type != "" {
		q.Set("type", opts.Type)
	}
	var out struct {
		Attributes []Attribute `json:"attributes"`
	}
	if err := c.do(ctx, "GET", apiPath("metadata", "attributes"), q, nil, &out); err != nil {
		return nil, err
	}
	return out.Attributes, nil
}
