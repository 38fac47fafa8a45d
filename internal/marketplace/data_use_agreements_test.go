package marketplace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
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
	all, err := c.ListDataUseAgreements(context.Background(), ListDataUseAgreementsOptions{NameFilter: "agreement"})
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
	q, _ := url.ParseQuery(srv.Requests()[1].Query)
	want := url.Values{"nameFilter": {"agreement"}, "sortBy": {"name"}, "sortOrder": {"asc"}, "offset": {"2"}, "limit": {"100"}}
	if !reflect.DeepEqual(q, want) {
		t.Errorf("second page asked with %v, want %v", q, want)
	}
	exact, err := c.ListDataUseAgreements(context.Background(), ListDataUseAgreementsOptions{NameFilter: "Agreement 3", ExactMatch: true})
	if err != nil || len(exact) != 1 || exact[0].Name != "Agreement 3" {
		t.Errorf("exact match: %+v, %v", exact, err)
	}
	srv.ResetRequests()
	newest, err := c.ListDataUseAgreements(context.Background(), ListDataUseAgreementsOptions{SortBy: "createdAt", SortOrder: "desc"})
	if err != nil || len(newest) != 8 || newest[0].Name != "Other" {
		t.Errorf("newest first: %+v, %v", newest, err)
	}
	if q := srv.Requests()[0].Query; !strings.Contains(q, "sortBy=createdAt") || !strings.Contains(q, "sortOrder=desc") || strings.Contains(q, "nameFilter") {
		t.Errorf("query %q", q)
	}
}

// The contract's answers: POST 201, PUT 201, DELETE 204 without a body,
// and 409 with its message for a name in use.
func TestDataUseAgreementContractAnswers(t *testing.T) {
	const agreement = `{"id":"0b6c3f52-8f0e-4a57-9a53-4f2f1e7b2c11","name":"Terms","body":"b",` +
		`"createdBy":{"globalUserId":"fa925e85-757e-54c1-8486-9bfa3cbcd758","name":"A"},"createdAt":"2026-01-02T03:04:05.006Z",` +
		`"updatedBy":{"globalUserId":"fa925e85-757e-54c1-8486-9bfa3cbcd758","name":"A"},"updatedAt":"2026-01-02T03:04:05.006Z"}`
	const conflict = `{"message":"There is already a data use agreement with this name.","error":"Conflict","statusCode":409}`
	var bodies []string
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		bodies = append(bodies, r.Method+" "+string(data))
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == "DELETE":
			w.WriteHeader(http.StatusNoContent)
		case strings.Contains(string(data), "Taken"):
			w.WriteHeader(http.StatusConflict)
			fmt.Fprint(w, conflict)
		default:
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, agreement)
		}
	})
	ctx := context.Background()
	id := "0b6c3f52-8f0e-4a57-9a53-4f2f1e7b2c11"
	if a, err := c.CreateDataUseAgreement(ctx, DataUseAgreementInput{ID: id, Name: "Terms", Body: "b"}); err != nil || a.CreatedBy.Name != "A" {
		t.Errorf("create: %+v %v", a, err)
	}
	if a, err := c.UpdateDataUseAgreement(ctx, id, DataUseAgreementInput{ID: id, Name: "Terms", Body: "b"}); err != nil || a.ID != id {
		t.Errorf("update answered 201: %+v %v", a, err)
	}
	if err := c.DeleteDataUseAgreement(ctx, id); err != nil {
		t.Errorf("delete answered 204: %v", err)
	}
	for _, call := range []func() error{
		func() error {
			_, err := c.CreateDataUseAgreement(ctx, DataUseAgreementInput{Name: "Taken", Body: "b"})
			return err
		},
		func() error {
			_, err := c.UpdateDataUseAgreement(ctx, id, DataUseAgreementInput{Name: "Taken", Body: "b"})
			return err
		},
	} {
		err := call()
		if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "HTTP 409 Conflict: There is already a data use agreement with this name.") {
			t.Errorf("name in use: %v", err)
		}
	}
	// The update body carries no id: UpdateDataUseAgreement takes name and
	// body only.
	if bodies[1] != `PUT {"name":"Terms","body":"b"}` {
		t.Errorf("update sent %s", bodies[1])
	}
}
