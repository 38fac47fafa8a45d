package marketplace

import (
	"cmp"
	"context"
	"encoding/json"
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
// (IAMID); GlobalUserID identifies the user across the tenant.
type User struct {
	ID           int64  `json:"id"`
	IAMID        string `json:"iamId"`
	GlobalUserID string `json:"globalUserId"`
	Username     string `json:"username"`
	Name         string `json:"name"`
	Email        string `json:"email"`
}

// Group is an Immuta group.
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
	// SearchText is the service's search: a case-insensitive substring
	// of the name (the emulator also matches database, schema and table).
	SearchText string
	// IDs, if not empty, keeps only these data sources.
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
			cq.Add("ids", strconv.FormatInt(id, 10))
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

// ListDomainStewards returns the users eligible as data stewards of a
// domain, governors and admins included. The endpoint is not paged.
func (c *Client) ListDomainStewards(ctx context.Context, domainID string) ([]User, error) {
	var out struct {
		Users []User `json:"users"`
	}
	if err := c.do(ctx, "GET", apiPath("metadata", "domain", domainID, "stewards"), nil, nil, &out); err != nil {
		return nil, err
	}
	return out.Users, nil
}

// ListUsersOptions filters users.
type ListUsersOptions struct {
	// SearchText is a case-insensitive substring of the username, name or
	// email.
	SearchText string
}

// ListUsers returns every user that matches, following pagination to the
// end.
func (c *Client) ListUsers(ctx context.Context, opts ListUsersOptions) ([]User, error) {
	q := url.Values{}
	if opts.SearchText != "" {
		q.Set("searchText", opts.SearchText)
	}
	return listUntilShortPage(ctx, c, apiPath("metadata", "users"), q, "users",
		func(u User) string { return u.GlobalUserID })
}

// ListGroupsOptions filters groups.
type ListGroupsOptions struct {
	// SearchText is a case-insensitive substring of the name.
	SearchText string
}

// ListGroups returns every group that matches, following pagination to
// the end.
func (c *Client) ListGroups(ctx context.Context, opts ListGroupsOptions) ([]Group, error) {
	q := url.Values{}
	if opts.SearchText != "" {
		q.Set("searchText", opts.SearchText)
	}
	return listUntilShortPage(ctx, c, apiPath("metadata", "groups"), q, "groups",
		func(g Group) string { return strconv.FormatInt(g.ID, 10) })
}

// ListAttributes returns every attribute whose type or value contains
// searchText (all of them when it is empty). The endpoint is not paged.
func (c *Client) ListAttributes(ctx context.Context, searchText string) ([]Attribute, error) {
	q := url.Values{}
	if searchText != "" {
		q.Set("searchText", searchText)
	}
	var out struct {
		Attributes []Attribute `json:"attributes"`
	}
	if err := c.do(ctx, "GET", apiPath("metadata", "attributes"), q, nil, &out); err != nil {
		return nil, err
	}
	return out.Attributes, nil
}

// listUntilShortPage fetches every page of an offset/limit list whose
// answer is {"<field>": [...]} with no meta block, so the end is only
// visible as a short or empty page. The service may clamp the limit
// without saying so; a first page shorter than the limit asked for is
// therefore confirmed by one more request, and afterwards a page shorter
// than the pages before it is the end. key identifies an item: items seen
// before (the list shifted between requests) are skipped, and a page of
// nothing new means the service ignores offset, which ends the loop when
// everything fitted on one page and is an error otherwise, rather than a
// loop without end.
func listUntilShortPage[T any](ctx context.Context, c *Client, path string, query url.Values, field string, key func(T) string) ([]T, error) {
	var all []T
	seen := map[string]bool{}
	offset := 0
	pageSize := 0 // the largest page the service has returned
	for range maxPages {
		q := cloneValues(query)
		q.Set("offset", strconv.Itoa(offset))
		q.Set("limit", strconv.Itoa(DefaultPageSize))
		var body map[string]json.RawMessage
		if err := c.do(ctx, "GET", path, q, nil, &body); err != nil {
			return nil, err
		}
		raw, ok := body[field]
		if !ok {
			return nil, fmt.Errorf("GET %s: the response has no %q list", path, field)
		}
		var page []T
		if err := json.Unmarshal(raw, &page); err != nil {
			return nil, fmt.Errorf("GET %s: decoding %q: %w", path, field, err)
		}
		if len(page) == 0 {
			return all, nil
		}
		fresh := 0
		for _, item := range page {
			if k := key(item); !seen[k] {
				seen[k] = true
				all = append(all, item)
				fresh++
			}
		}
		if fresh == 0 {
			if pageSize < DefaultPageSize {
				return all, nil
			}
			return nil, fmt.Errorf("GET %s: the service returned the same %s again at offset %d; it does not appear to page, so the list would be incomplete", path, field, offset)
		}
		offset += len(page)
		if len(page) < DefaultPageSize && pageSize > 0 && len(page) < pageSize {
			return all, nil
		}
		pageSize = max(pageSize, len(page))
	}
	return nil, fmt.Errorf("GET %s: pagination did not end after %d pages", path, maxPages)
}
