package marketplace_test

import (
	"context"
	"encoding/json"
	"errors"
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
	policy := json.RawMessage(`{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"ok"}}}`)
	in := marketplace.RequestFormInput{
		ID:   "6c0e5f2a-3b1d-4e8f-9a7c-5d2b1e0f3a44",
		Name: "Sales access",
		Fields: []marketplace.RequestFormField{
			{Type: marketplace.FieldText, Label: "Purpose", Required: true},
			{Type: marketplace.FieldDropdown, Label: "Team", Options: []marketplace.FieldOption{{Value: "A"}, {Value: "B"}}},
		},
		Policy:              policy,
		DataUseAgreementIDs: []string{agreement.ID},
	}
	created, err := c.CreateRequestForm(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != in.ID || len(created.Fields) != 2 || created.Fields[0].ID == "" || created.Version == "" {
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
	in.Policy = json.RawMessage(`{"version":"1","rules":[],"defaultEvent":{"type":"delegate"}}`)
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
