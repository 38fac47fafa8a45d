package marketplace

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// newEmulatorClient returns a client for a fresh emulator.
func newEmulatorClient(tb testing.TB) (*Client, *marketplacetest.TestServer) {
	tb.Helper()
	srv := marketplacetest.NewTestServer(tb, marketplacetest.Options{})
	c, err := New(Config{BaseURL: srv.Endpoint(), Token: srv.Token()})
	if err != nil {
		tb.Fatal(err)
	}
	return c, srv
}

func TestDataUseAgreementRoundTrip(t *testing.T) {
	c, srv := newEmulatorClient(t)
	ctx := context.Background()
	id := "0b6c3f52-8f0e-4a57-9a53-4f2f1e7b2c11"
	created, err := c.CreateDataUseAgreement(ctx, DataUseAgreementInput{ID: id, Name: "Terms", Body: "Be nice."})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != id || created.CreatedAt == "" || created.CreatedBy == nil || created.CreatedBy.GlobalUserID == "" {
		t.Errorf("created %+v", created)
	}
	// The same client-chosen id again is a conflict, not a second object.
	if _, err := c.CreateDataUseAgreement(ctx, DataUseAgreementInput{ID: id, Name: "Other", Body: "x"}); !errors.Is(err, ErrConflict) {
		t.Errorf("repeated id: %v", err)
	}
	updated, err := c.UpdateDataUseAgreement(ctx, id, DataUseAgreementInput{Name: "Terms v2", Body: "Be kind."})
	if err != nil {
		t.Fatal(err)
	}
	if updated.Name != "Terms v2" || updated.CreatedAt != created.CreatedAt {
		t.Errorf("updated %+v", updated)
	}
	got, err := c.GetDataUseAgreement(ctx, id)
	if err != nil || got.Body != "Be kind." {
		t.Fatalf("got %+v, %v", got, err)
	}
	forms, err := c.ListDataUseAgreementRequestForms(ctx, id)
	if err != nil || len(forms) != 0 {
		t.Errorf("forms %+v, %v", forms, err)
	}
	if err := c.DeleteDataUseAgreement(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetDataUseAgreement(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if err := c.DeleteDataUseAgreement(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if n := len(srv.DataUseAgreements()); n != 0 {
		t.Errorf("the emulator holds %d agreements", n)
	}
}

func TestListDataUseAgreementsFollowsPagination(t *testing.T) {
	c, srv := newEmulatorClient(t)
	srv.SetMaxPageSize(2)
	for i := range 7 {
		if _, err := srv.SeedDataUseAgreement(fmt.Sprintf("Agreement %d", i), "text"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.SeedDataUseAgreement("Other", "text"); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	all, err := c.ListDataUseAgreements(context.Background(), ListDataUseAgreementsOptions{Name: "agreement"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 7 {
		t.Fatalf("listed %d agreements, want 7", len(all))
	}
	for i, a := range all {
		if want := fmt.Sprintf("Agreement %d", i); a.Name != want {
			t.Errorf("item %d is %q, want %q", i, a.Name, want)
		}
	}
	if n := len(srv.Requests()); n != 4 {
		t.Errorf("made %d requests for 7 items in pages of 2, want 4", n)
	}
	exact, err := c.ListDataUseAgreements(context.Background(), ListDataUseAgreementsOptions{Name: "Agreement 3", ExactMatch: true})
	if err != nil || len(exact) != 1 || exact[0].Name != "Agreement 3" {
		t.Errorf("exact match: %+v, %v", exact, err)
	}
}
