package marketplace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

const (
	testSalesDomain     = "1aebd69e-0ac6-51d7-94e0-6580689d4380" // data sources 101-105
	testMarketingDomain = "d4140859-4616-5a2e-a3c9-606e8147bc53" // data sources 106-108
	testSteward         = "fa925e85-757e-54c1-8486-9bfa3cbcd758"
)

func TestDataProductRoundTrip(t *testing.T) {
	c, srv := newEmulatorClient(t)
	ctx := context.Background()
	form := testRequestForm(t, srv)
	id := "0b6c3f52-8f0e-4a57-9a53-4f2f1e7b2c11"
	desc := "All sales"
	name := "Sales / EU (2024)"
	created, err := c.CreateDataProduct(ctx, DataProductInput{
		ID: id, Name: name, Description: &desc,
		Metadata:                &DataProductMetadata{SubjectMatterExpert: &SubjectMatterExpert{ID: testSteward}},
		Domains:                 []string{testSalesDomain},
		DataSources:             []DataSourceRef{{SourceID: "101"}, {SourceID: "104"}},
		DataAccessRequestFormID: form,
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != id || created.Status != "NONE" || created.SubjectMatterExpertID() != testSteward ||
		created.Stats.DataSourceCount != 2 || !slices.Equal(created.SourceTypes, []string{"Databricks", "Snowflake"}) {
		t.Errorf("created %+v", created)
	}
	for _, raw := range []json.RawMessage{created.DataAccessPolicy, created.MaskingExceptionPolicy} {
		if !jsonSame(t, raw, DefaultProductReviewFlow) {
			t.Errorf("a product created without flows has %s, want the default", raw)
		}
	}
	forms, err := c.GetDataProductRequestForms(ctx, id)
	if err != nil || len(forms) != 2 {
		t.Fatalf("forms %+v, %v", forms, err)
	}
	if f := RequestFormFor(forms, RequestTypeDataAccess); f == nil || f.ID != form || len(f.Fields) != 1 {
		t.Errorf("data access form %+v", f)
	}
	if f := RequestFormFor(forms, RequestTypeMaskingException); f == nil || f.Name != StandardRequestFormName {
		t.Errorf("masking exception form %+v, want the Standard Request Form", f)
	}
	// Without data sources, the create still sends dataSources: [].
	if _, err := c.CreateDataProduct(ctx, DataProductInput{ID: id, Name: "Other", Domains: []string{testSalesDomain}}); !errors.Is(err, ErrConflict) {
		t.Errorf("repeated id: %v", err)
	}
	byName, err := c.GetDataProductByName(ctx, name)
	if err != nil || byName.ID != id {
		t.Fatalf("by name: %+v, %v", byName, err)
	}
	if _, err := c.GetDataProductByName(ctx, "Sales"); !errors.Is(err, ErrNotFound) {
		t.Errorf("by unknown name: %v", err)
	}

	// A partial update: clear the description and the expert, suspend,
	// set a flow and the masking exception form.
	suspended := true
	flow := json.RawMessage(`{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"ok"}}}`)
	updated, err := c.UpdateDataProduct(ctx, id, DataProductUpdate{
		Description: PatchNull[string](), Metadata: PatchNull[DataProductMetadata](), Suspended: &suspended,
		MaskingExceptionRequestFormID: &form, MaskingExceptionReviewFlow: flow,
	})
	if err != nil {
		t.Fatal(err)
	}
	if updated.Description != nil || updated.SubjectMatterExpertID() != "" || !updated.Suspended || updated.Name != name ||
		!jsonSame(t, updated.MaskingExceptionPolicy, string(flow)) || !jsonSame(t, updated.DataAccessPolicy, DefaultProductReviewFlow) {
		t.Errorf("updated %+v", updated)
	}
	if forms, _ := c.GetDataProductRequestForms(ctx, id); RequestFormFor(forms, RequestTypeMaskingException).ID != form {
		t.Errorf("forms after the update %+v", forms)
	}

	// Data sources: replace, and read back in one call.
	if _, err := c.UpdateDataProduct(ctx, id, DataProductUpdate{Domains: []string{testSalesDomain, testMarketingDomain}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetDataProductDataSources(ctx, id, []string{"106", "102", "107"}); err != nil {
		t.Fatal(err)
	}
	ids, err := c.ListDataProductDataSourceIDs(ctx, id)
	if err != nil || !slices.Equal(ids, []string{"102", "106", "107"}) {
		t.Errorf("ids %v, %v", ids, err)
	}
	// A data source outside the domains is a 400 naming it.
	_, err = c.SetDataProductDataSources(ctx, id, []string{"109"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "Data source 109") {
		t.Errorf("outside the domains: %v", err)
	}

	if err := c.DeleteDataProduct(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetDataProduct(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
}

func TestListDataProductsFollowsTokens(t *testing.T) {
	c, srv := newEmulatorClient(t)
	srv.SetMaxPageSize(3)
	form := testRequestForm(t, srv)
	for i := range 8 {
		if _, err := srv.SeedDataProduct(marketplacetest.DataProduct{Name: fmt.Sprintf("P%d", i), Domains: []string{testSalesDomain}, DataAccessRequestFormID: form}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := c.ListDataProducts(context.Background(), ListDataProductsOptions{})
	if err != nil || len(all) != 8 {
		t.Fatalf("listed %d, %v", len(all), err)
	}
	if got := len(srv.Requests()); got != 3 {
		t.Errorf("%d requests for 8 products in pages of 3, want 3", got)
	}
	for _, r := range srv.Requests() {
		if q, _ := url.ParseQuery(r.Query); q.Get("sortBy") != "name" || q.Get("sortOrder") != "asc" || q.Has("name") || q.Get("limit") != "100" {
			t.Errorf("list query %v", q)
		}
	}
	filtered, err := c.ListDataProducts(context.Background(), ListDataProductsOptions{NameFilter: "p1", Descending: true})
	if err != nil || len(filtered) != 1 || filtered[0].Name != "P1" {
		t.Errorf("filtered %+v, %v", filtered, err)
	}
}

func jsonSame(t *testing.T, raw json.RawMessage, want string) bool {
	t.Helper()
	var a, b any
	if json.Unmarshal(raw, &a) != nil || json.Unmarshal([]byte(want), &b) != nil {
		return false
	}
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestDataProductUpdateBody(t *testing.T) {
	name := "N"
	cases := map[string]struct {
		in   DataProductUpdate
		want string
	}{
		"empty":         {DataProductUpdate{}, `{}`},
		"name only":     {DataProductUpdate{Name: &name}, `{"name":"N"}`},
		"clear":         {DataProductUpdate{Description: PatchNull[string]()}, `{"description":null}`},
		"set":           {DataProductUpdate{Description: PatchValue("d"), Metadata: PatchValue(DataProductMetadata{SubjectMatterExpert: &SubjectMatterExpert{ID: "u"}})}, `{"description":"d","metadata":{"subjectMatterExpert":{"id":"u"}}}`},
		"pointer nil":   {DataProductUpdate{Description: PatchPointer[string](nil)}, `{"description":null}`},
		"flows":         {DataProductUpdate{DataAccessReviewFlow: json.RawMessage(`{"rules":[]}`), MaskingExceptionReviewFlow: json.RawMessage(`{}`)}, `{"dataAccessReviewFlow":{"rules":[]},"maskingExceptionReviewFlow":{}}`},
		"forms":         {DataProductUpdate{DataAccessRequestFormID: &name, MaskingExceptionRequestFormID: &name}, `{"dataAccessRequestFormId":"N","maskingExceptionRequestFormId":"N"}`},
		"resume":        {DataProductUpdate{Suspended: new(bool)}, `{"suspended":false}`},
		"domains empty": {DataProductUpdate{Domains: []string{}}, `{}`},
	}
	for name, c := range cases {
		got, err := json.Marshal(c.in)
		if err != nil || string(got) != c.want {
			t.Errorf("%s: %s, %v; want %s", name, got, err, c.want)
		}
	}
	if !(DataProductUpdate{}).IsEmpty() || (DataProductUpdate{Suspended: new(bool)}).IsEmpty() || (DataProductUpdate{MaskingExceptionReviewFlow: json.RawMessage(`{}`)}).IsEmpty() {
		t.Error("IsEmpty")
	}
}

// testRequestForm returns the id of a request form products can use.
func testRequestForm(t *testing.T, srv *marketplacetest.TestServer) string {
	t.Helper()
	f, err := srv.SeedRequestForm(marketplacetest.RequestForm{
		Name:   "Products' form",
		Fields: []marketplacetest.FormField{{Type: marketplacetest.FieldShortAnswer, Label: "Why?", Required: true}},
		Policy: marketplacetest.Policy{Version: "1", DefaultEvent: marketplacetest.PolicyEvent{
			Type: marketplacetest.EventApprove, Params: &marketplacetest.EventParams{Comment: "Approved."},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return f.ID
}
