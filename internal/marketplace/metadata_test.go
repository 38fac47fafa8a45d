package marketplace

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(err.Error(), "uuid is expected") {
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
	// ids go as repeated dataSourceIds parameters, each id once.
	q, _ := url.ParseQuery(srv.Requests()[0].Query)
	if !slices.Equal(q["dataSourceIds"], []string{"101", "103", "105", "106"}) || q.Has("ids") {
		t.Errorf("ids sent as %v", q)
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

// The stewards endpoint is not in the published API: the emulator does
// not serve it, and the error says the route is missing.
func TestListDomainStewardsRouteMissing(t *testing.T) {
	c, _ := newEmulatorClient(t)
	_, err := c.ListDomainStewards(context.Background(), nasDomainID)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !apiErr.IsRouteMissing() || !strings.Contains(err.Error(), "Cannot GET /marketplace/api/metadata/domain/"+nasDomainID+"/stewards") {
		t.Fatalf("got %v, want a missing route", err)
	}
	// An older deployment that still serves it is read as before.
	c = newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"users":[{"id":1,"iamId":"bim","globalUserId":"fa925e85-757e-54c1-8486-9bfa3cbcd758","username":"s","name":"S","email":null}]}`)
	})
	users, err := c.ListDomainStewards(context.Background(), nasDomainID)
	if err != nil || len(users) != 1 || users[0].Username != "s" || users[0].Email != "" {
		t.Errorf("got %+v, %v", users, err)
	}
}

func TestListUsersAndGroups(t *testing.T) {
	c, srv := newEmulatorClient(t)
	// The page size of paged lists does not apply: users and groups are
	// one request each.
	srv.SetMaxPageSize(2)
	ctx := context.Background()
	users, truncated, err := c.ListUsers(ctx, ListUsersOptions{})
	if err != nil || truncated {
		t.Fatal(err, truncated)
	}
	if len(users) != len(srv.Fixture().Users) {
		t.Fatalf("listed %d users, the fixture has %d", len(users), len(srv.Fixture().Users))
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Query != "limit=10000" {
		t.Errorf("requests %+v", reqs)
	}
	last := users[len(users)-1]
	if last.GlobalUserID == "" || last.IAMID == "" || last.Username == "" || last.ID == 0 {
		t.Errorf("last user %+v", last)
	}
	srv.ResetRequests()
	jordans, _, err := c.ListUsers(ctx, ListUsersOptions{Filter: "Jordan Lee"})
	if err != nil || len(jordans) != 2 {
		t.Errorf("searching Jordan Lee: %v %v", jordans, err)
	}
	if q, _ := url.ParseQuery(srv.Requests()[0].Query); q.Get("filter") != "Jordan Lee" || q.Has("searchText") || q.Has("offset") {
		t.Errorf("query %v", q)
	}
	srv.ResetRequests()
	byID, _, err := c.ListUsers(ctx, ListUsersOptions{GlobalUserIDs: []string{jordans[0].GlobalUserID, jordans[1].GlobalUserID}})
	if err != nil || len(byID) != 2 {
		t.Errorf("by global user id: %v %v", byID, err)
	}
	if q, _ := url.ParseQuery(srv.Requests()[0].Query); len(q["globalUserId"]) != 2 {
		t.Errorf("query %v", q)
	}

	srv.ResetRequests()
	groups, truncated, err := c.ListGroups(ctx, ListGroupsOptions{})
	if err != nil || truncated || len(groups) != len(srv.Fixture().Groups) || countRequests(srv, "/metadata/groups") != 1 {
		t.Errorf("listed %d groups in %d requests (%v, %v)", len(groups), countRequests(srv, "/metadata/groups"), truncated, err)
	}
	srv.ResetRequests()
	analysts, _, err := c.ListGroups(ctx, ListGroupsOptions{Filter: "analysts"})
	if err != nil || len(analysts) != 3 {
		t.Errorf("searching analysts: %v %v", analysts, err)
	}
	if q := srv.Requests()[0].Query; q != "filter=analysts&limit=10000" {
		t.Errorf("query %q", q)
	}
}

// An answer of exactly the limit may be cut short; the list has no pages
// to read on, so the client says so and makes no second request.
func TestListUsersAndGroupsTruncated(t *testing.T) {
	for _, n := range []int{MetadataListLimit - 1, MetadataListLimit} {
		requests := 0
		c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			requests++
			field := "users"
			if strings.HasSuffix(r.URL.Path, "/groups") {
				field = "groups"
			}
			items := make([]string, n)
			for i := range items {
				items[i] = fmt.Sprintf(`{"id":%d,"iamId":null,"globalUserId":"u%d","username":"u","name":"n","email":null}`, i, i)
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{%q:[%s]}`, field, strings.Join(items, ","))
		})
		users, truncated, err := c.ListUsers(context.Background(), ListUsersOptions{})
		if err != nil || len(users) != n || truncated != (n == MetadataListLimit) {
			t.Errorf("%d users: truncated %v, %v", len(users), truncated, err)
		}
		groups, truncated, err := c.ListGroups(context.Background(), ListGroupsOptions{})
		if err != nil || len(groups) != n || truncated != (n == MetadataListLimit) || groups[0].IAMID != "" {
			t.Errorf("%d groups: truncated %v, %v", len(groups), truncated, err)
		}
		if requests != 2 {
			t.Errorf("%d requests, want 2", requests)
		}
	}
}

func TestListUsersMalformedAnswers(t *testing.T) {
	for answer, want := range map[string]string{
		`{"data":[]}`:  `the response has no "users" list`,
		`{"users":{}}`: "could not be decoded",
	} {
		c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, answer)
		})
		if _, _, err := c.ListUsers(context.Background(), ListUsersOptions{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", answer, err, want)
		}
	}
}

func TestListAttributes(t *testing.T) {
	c, srv := newEmulatorClient(t)
	ctx := context.Background()
	all, err := c.ListAttributes(ctx, ListAttributesOptions{})
	if err != nil || len(all) != 18 {
		t.Fatalf("%d attributes: %v", len(all), err)
	}
	regions, err := c.ListAttributes(ctx, ListAttributesOptions{Search: "region"})
	if err != nil || len(regions) != 3 || regions[0] != (Attribute{Type: "Region", Value: "APAC"}) {
		t.Errorf("regions %v %v", regions, err)
	}
	srv.ResetRequests()
	typed, err := c.ListAttributes(ctx, ListAttributesOptions{Type: "Region", Search: "america"})
	if err != nil || len(typed) != 1 || typed[0].Value != "North America" {
		t.Errorf("typed %v %v", typed, err)
	}
	if q := srv.Requests()[0].Query; q != "search=america&type=Region" {
		t.Errorf("query %q", q)
	}
}
