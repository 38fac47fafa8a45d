package marketplace

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

const (
	nasDomainID   = "1aebd69e-0ac6-51d7-94e0-6580689d4380" // North American Sales
	lakeDomainID  = "695134ec-9d06-5aa3-a772-f27c1c9e5173" // Enterprise Data Lake, 300 data sources
	emptyDomainID = "70bda943-29e6-549e-b419-35d6885a867e" // Research Sandbox
)

// pagedEmulatorClient is an emulator client whose pages hold two items.
func pagedEmulatorClient(t *testing.T) (*Client, *marketplacetest.TestServer) {
	t.Helper()
	c, srv := newEmulatorClient(t)
	srv.SetMaxPageSize(2)
	return c, srv
}

// countRequests counts logged GETs whose path ends with suffix.
func countRequests(srv *marketplacetest.TestServer, suffix string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == "GET" && strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

func TestListDomainsAndGetDomain(t *testing.T) {
	c, srv := newEmulatorClient(t)
	ctx := context.Background()
	domains, err := c.ListDomains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(domains) != len(srv.Fixture().Domains) {
		t.Fatalf("listed %d domains, the fixture has %d", len(domains), len(srv.Fixture().Domains))
	}
	d, err := c.GetDomain(ctx, nasDomainID)
	if err != nil {
		t.Fatal(err)
	}
	if *d != (Domain{ID: nasDomainID, Name: "North American Sales", Description: "A collection of data sources relevant to North American sales"}) {
		t.Errorf("got %+v", d)
	}
	_, err = c.GetDomain(ctx, "123e4567-e89b-12d3-a456-426614174000")
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown domain: %v", err)
	}
	_, err = c.GetDomain(ctx, "sales")
	if StatusCode(err) != http.StatusBadRequest || !strings.Contains(err.Error(), "uuid is expected") {
		t.Errorf("malformed id: %v", err)
	}
}

func TestListDomainDataSourcesFollowsPagination(t *testing.T) {
	c, srv := newEmulatorClient(t)
	ctx := context.Background()
	// 300 data sources: three pages of the default 100.
	all, err := c.ListDomainDataSources(ctx, lakeDomainID, ListDomainDataSourcesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 300 || countRequests(srv, "/datasources") != 3 {
		t.Fatalf("listed %d data sources in %d requests, want 300 in 3", len(all), countRequests(srv, "/datasources"))
	}
	ids := map[int64]bool{}
	for _, ds := range all {
		ids[ds.DataSourceID] = true
	}
	if len(ids) != 300 || !ids[1001] || !ids[1300] {
		t.Errorf("ids are not the 300 distinct ones: %d", len(ids))
	}

	// Pages of two, with a search.
	srv.SetMaxPageSize(2)
	srv.ResetRequests()
	found, err := c.ListDomainDataSources(ctx, nasDomainID, ListDomainDataSourcesOptions{SearchText: "sales"})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 5 || countRequests(srv, "/datasources") != 3 {
		t.Errorf("found %d in %d requests, want 5 in 3", len(found), countRequests(srv, "/datasources"))
	}
	if q := srv.Requests()[0].Query; !strings.Contains(q, "searchText=sales") || !strings.Contains(q, "limit=100") {
		t.Errorf("query %q", q)
	}

	empty, err := c.ListDomainDataSources(ctx, emptyDomainID, ListDomainDataSourcesOptions{})
	if err != nil || len(empty) != 0 {
		t.Errorf("empty domain: %v %v", empty, err)
	}
	_, err = c.ListDomainDataSources(ctx, "123e4567-e89b-12d3-a456-426614174000", ListDomainDataSourcesOptions{})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown domain: %v", err)
	}
}

func TestListDomainDataSourcesByIDs(t *testing.T) {
	c, srv := pagedEmulatorClient(t)
	ctx := context.Background()
	got, err := c.ListDomainDataSources(ctx, nasDomainID, ListDomainDataSourcesOptions{IDs: []int64{105, 101, 101, 106, 103}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ds := range got {
		names = append(names, ds.Name)
	}
	// 106 belongs to another domain; results are sorted by name.
	if strings.Join(names, ",") != "Customer Accounts,Sales Territories,Web Sales 2024" {
		t.Errorf("got %v", names)
	}
	// ids go as repeated parameters, each id once.
	q, _ := url.ParseQuery(srv.Requests()[0].Query)
	if !slices.Equal(q["ids"], []string{"101", "103", "105", "106"}) {
		t.Errorf("ids sent as %v", q["ids"])
	}

	// Many ids are split over several requests.
	srv.SetMaxPageSize(100)
	srv.ResetRequests()
	var many []int64
	for id := int64(1001); id <= 1250; id++ {
		many = append(many, id)
	}
	got, err = c.ListDomainDataSources(ctx, lakeDomainID, ListDomainDataSourcesOptions{IDs: many})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 || countRequests(srv, "/datasources") != 3 {
		t.Errorf("got %d in %d requests, want 250 in 3", len(got), countRequests(srv, "/datasources"))
	}
	if !slices.IsSortedFunc(got, func(a, b DataSource) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("merged results are not sorted by name")
	}
}

func TestListDomainStewards(t *testing.T) {
	c, _ := newEmulatorClient(t)
	got, err := c.ListDomainStewards(context.Background(), nasDomainID)
	if err != nil {
		t.Fatal(err)
	}
	var usernames []string
	for _, u := range got {
		usernames = append(usernames, u.Username)
	}
	if strings.Join(usernames, ",") != "app.admin,governor,ops.governor,steward.sales" {
		t.Errorf("stewards %v", usernames)
	}
	_, err = c.ListDomainStewards(context.Background(), "123e4567-e89b-12d3-a456-426614174000")
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown domain: %v", err)
	}
}

func TestListUsersAndGroupsFollowPagination(t *testing.T) {
	c, srv := pagedEmulatorClient(t)
	ctx := context.Background()
	users, err := c.ListUsers(ctx, ListUsersOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != len(srv.Fixture().Users) {
		t.Fatalf("listed %d users, the fixture has %d", len(users), len(srv.Fixture().Users))
	}
	// 21 users in pages of 2: ten full pages and a short one.
	if n := countRequests(srv, "/metadata/users"); n != 11 {
		t.Errorf("%d requests, want 11", n)
	}
	last := users[len(users)-1]
	if last.GlobalUserID == "" || last.IAMID == "" || last.Username == "" || last.ID == 0 {
		t.Errorf("last user %+v", last)
	}
	jordans, err := c.ListUsers(ctx, ListUsersOptions{SearchText: "Jordan Lee"})
	if err != nil || len(jordans) != 2 {
		t.Errorf("searching Jordan Lee: %v %v", jordans, err)
	}

	srv.ResetRequests()
	groups, err := c.ListGroups(ctx, ListGroupsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// 14 groups in pages of 2: seven full pages, then an empty one.
	if len(groups) != len(srv.Fixture().Groups) || countRequests(srv, "/metadata/groups") != 8 {
		t.Errorf("listed %d groups in %d requests", len(groups), countRequests(srv, "/metadata/groups"))
	}
	analysts, err := c.ListGroups(ctx, ListGroupsOptions{SearchText: "analysts"})
	if err != nil || len(analysts) != 3 {
		t.Errorf("searching analysts: %v %v", analysts, err)
	}

	// With the default page size, a short first page is confirmed once.
	srv.SetMaxPageSize(100)
	srv.ResetRequests()
	if _, err := c.ListUsers(ctx, ListUsersOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := countRequests(srv, "/metadata/users"); n != 2 {
		t.Errorf("%d requests for one short page, want 2", n)
	}
}

func TestListAttributes(t *testing.T) {
	c, _ := newEmulatorClient(t)
	all, err := c.ListAttributes(context.Background(), "")
	if err != nil || len(all) != 18 {
		t.Fatalf("%d attributes: %v", len(all), err)
	}
	regions, err := c.ListAttributes(context.Background(), "region")
	if err != nil || len(regions) != 3 || regions[0] != (Attribute{Type: "Region", Value: "APAC"}) {
		t.Errorf("regions %v %v", regions, err)
	}
}

// A service that ignores offset and limit must not make the loop run on.
func TestListUntilShortPageGuards(t *testing.T) {
	users := func(from, n int) string {
		parts := make([]string, n)
		for i := range n {
			parts[i] = fmt.Sprintf(`{"id":%d,"globalUserId":"u%d"}`, from+i, from+i)
		}
		return `{"users":[` + strings.Join(parts, ",") + `]}`
	}
	for name, tc := range map[string]struct {
		answer   func(offset int) string
		want     int
		wantErr  string
		requests int
	}{
		"ignores offset, small list": {answer: func(int) string { return users(0, 3) }, want: 3, requests: 2},
		"ignores offset, full pages": {answer: func(int) string { return users(0, 100) }, wantErr: "does not appear to page", requests: 2},
		"list shifted by one": {answer: func(offset int) string {
			// Users 1 to 5; after the first page, user 0 is added in
			// front, so the second page repeats user 2.
			if offset == 0 {
				return users(1, 2)
			}
			return users(offset, max(0, min(2, 6-offset)))
		}, want: 5, requests: 4},
		"no users key": {answer: func(int) string { return `{"data":[]}` }, wantErr: `the response has no "users" list`, requests: 1},
		"not a list":   {answer: func(int) string { return `{"users":{}}` }, wantErr: `decoding "users"`, requests: 1},
	} {
		t.Run(name, func(t *testing.T) {
			requests := 0
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				requests++
				offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
				if requests > 10 {
					w.WriteHeader(http.StatusTeapot)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, tc.answer(offset))
			})
			got, err := c.ListUsers(context.Background(), ListUsersOptions{})
			switch {
			case tc.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("got %v, want an error containing %q", err, tc.wantErr)
				}
			case err != nil:
				t.Errorf("got %v", err)
			case len(got) != tc.want:
				t.Errorf("got %d users, want %d", len(got), tc.want)
			}
			if requests != tc.requests {
				t.Errorf("%d requests, want %d", requests, tc.requests)
			}
		})
	}
}
