package marketplace_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

func newEmulatorClient(t *testing.T) (*marketplace.Client, *marketplacetest.TestServer) {
	t.Helper()
	srv := marketplacetest.NewTestServer(t, marketplacetest.Options{})
	c, err := marketplace.New(marketplace.Config{BaseURL: srv.Endpoint(), Token: srv.Token(), MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func TestRequestForms(t *testing.T) {
	ctx := context.Background()
	c, srv := newEmulatorClient(t)
	agreement, err := srv.SeedDataUseAgreement("Terms", "Be nice.")
	if err != nil {
		t.Fatal(err)
	}
	policy := json.RawMessage(`{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"ok"}}}`)
	in := marketplace.RequestFormInput{
		ID:   "6c0e5f2a-3b1d-4e8f-9a7c-5d2b1e0f3a44",
		Name: "Sales access",
		Fields: []marketplace.RequestFormField{
			{ID: "0d7f4b8e-1c2a-4e3b-9f5d-6a7b8c9d0e1f", Type: marketplace.FieldShortAnswer, Label: "Purpose", Required: true},
			{ID: "1e8a5c9f-2d3b-4f4c-8a6e-7b8c9d0e1f2a", Type: marketplace.FieldDropdown, Label: "Team", Options: []marketplace.FieldOption{{Value: "A"}, {Value: "B"}}},
		},
		Policy:              policy,
		DataUseAgreementIDs: []string{agreement.ID},
	}
	created, err := c.CreateRequestForm(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != in.ID || len(created.Fields) != 2 || created.Fields[0].ID != in.Fields[0].ID || created.Version == "" {
		t.Fatalf("created %+v", created)
	}
	if len(created.DataUseAgreements) != 1 || created.DataUseAgreements[0].Name != "Terms" {
		t.Errorf("agreements %+v", created.DataUseAgreements)
	}
	if _, err := c.CreateRequestForm(ctx, in); !errors.Is(err, marketplace.ErrConflict) {
		t.Errorf("repeated create: %v, want a conflict", err)
	}

	got, err := c.GetRequestForm(ctx, in.ID)
	if err != nil || got.Name != "Sales access" || string(got.Policy) == "" {
		t.Fatalf("get: %+v, %v", got, err)
	}

	in.Fields[0], in.Fields[1] = created.Fields[1], created.Fields[0]
	in.Policy = json.RawMessage(`{"rules":[],"defaultEvent":{"type":"dataProductPolicy"}}`)
	updated, err := c.UpdateRequestForm(ctx, in.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Fields[0].ID != created.Fields[1].ID || updated.Version == created.Version {
		t.Errorf("updated %+v", updated)
	}
	old, err := c.GetRequestFormVersion(ctx, created.Version)
	if err != nil || old.Fields[0].Label != "Purpose" {
		t.Errorf("old version: %+v, %v", old, err)
	}

	srv.SetMaxPageSize(1) // the list has two pages: this form and the Standard Request Form
	all, err := c.ListRequestForms(ctx, marketplace.ListRequestFormsOptions{})
	if err != nil || len(all) != 2 {
		t.Fatalf("list: %d forms, %v", len(all), err)
	}
	exact, err := c.ListRequestForms(ctx, marketplace.ListRequestFormsOptions{Name: "Sales access", ExactMatch: true})
	if err != nil || len(exact) != 1 || exact[0].ID != in.ID {
		t.Errorf("exact list: %+v, %v", exact, err)
	}
	products, err := c.ListRequestFormDataProducts(ctx, in.ID)
	if err != nil || len(products) != 0 {
		t.Errorf("data products: %+v, %v", products, err)
	}
	std, err := c.GetRequestForm(ctx, marketplacetest.StandardRequestFormID)
	if err != nil || std.Name != marketplacetest.StandardRequestFormName {
		t.Errorf("standard form: %+v, %v", std, err)
	}

	if err := c.DeleteRequestForm(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetRequestForm(ctx, in.ID); !errors.Is(err, marketplace.ErrNotFound) {
		t.Errorf("get after delete: %v, want not found", err)
	}
	if err := c.DeleteRequestForm(ctx, in.ID); !errors.Is(err, marketplace.ErrNotFound) {
		t.Errorf("second delete: %v, want not found", err)
	}
}

// The list sends the contract's filter and sort parameters (never
// "name"), and a delete answered 204 succeeds.
func TestRequestFormWire(t *testing.T) {
	var queries []url.Values
	var deleted bool
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			queries = append(queries, r.URL.Query())
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"data":[],"meta":{"totalCount":0,"pageCount":0,"currentPage":1,"totalPages":0}}`))
		case http.MethodDelete:
			deleted = true
			w.WriteHeader(http.StatusNoContent)
		default:
			http.Error(w, "unexpected", http.StatusMethodNotAllowed)
		}
	}))
	defer ts.Close()
	c, err := marketplace.New(marketplace.Config{BaseURL: ts.URL, Token: "t", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.ListRequestForms(ctx, marketplace.ListRequestFormsOptions{Name: "Sales", ExactMatch: true}); err != nil {
		t.Fatal(err)
	}
	if len(queries) != 1 {
		t.Fatalf("%d list requests", len(queries))
	}
	q := queries[0]
	if q.Get("nameFilter") != "Sales" || q.Get("exactMatch") != "true" || q.Get("sortBy") != "name" || q.Get("sortOrder") != "asc" || q.Has("name") {
		t.Errorf("list query %v", q)
	}
	if err := c.DeleteRequestForm(ctx, "6c0e5f2a-3b1d-4e8f-9a7c-5d2b1e0f3a44"); err != nil || !deleted {
		t.Errorf("delete: %v (sent: %t)", err, deleted)
	}
}

// Approvers are written with the properties of their type only; a
// GROUP's id is a number.
func TestApproverJSON(t *testing.T) {
	id := int64(12)
	stage := marketplace.Stage{Any: []marketplace.Approver{
		{Type: marketplace.ApproverUser, UserID: "u1", Name: "ignored"},
		{Type: marketplace.ApproverGroup, GroupID: &id, Name: "Approvers"},
		{Type: marketplace.ApproverGroup, Name: "By name", IAMID: "okta"},
		{Type: marketplace.ApproverPermission, Permission: "GOVERNANCE"},
		{Type: marketplace.ApproverDomainPermission, Permission: "Manage Data Products", DomainID: "d1"},
		{Type: marketplace.ApproverAttribute, Key: "Department", Value: "Sales"},
		{Type: marketplace.ApproverCatalogPermission},
	}}
	data, err := json.Marshal(marketplace.Policy{DefaultEvent: marketplace.PolicyEvent{
		Type: marketplace.EventReview, Params: &marketplace.EventParams{Stages: []marketplace.Stage{stage}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[` +
		`{"type":"USER","id":"u1"},{"type":"GROUP","id":12,"name":"Approvers"},{"type":"GROUP","iamId":"okta","name":"By name"},` +
		`{"type":"PERMISSION","permission":"GOVERNANCE"},{"type":"DOMAIN PERMISSION","permission":"Manage Data Products","domainId":"d1"},` +
		`{"type":"ATTRIBUTE","key":"Department","value":"Sales"},{"type":"CATALOG PERMISSION"}]}]}}}`
	if string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
	var back marketplace.Policy
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	got := back.DefaultEvent.Params.Stages[0]
	if got.Mode() != marketplace.StageAny || *got.Any[1].GroupID != 12 || got.Any[0].UserID != "u1" || got.Any[5].Key != "Department" {
		t.Errorf("read back %+v", got)
	}
}
