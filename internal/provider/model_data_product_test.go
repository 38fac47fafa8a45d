package provider

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

func TestDataProductFromAPI(t *testing.T) {
	ctx := context.Background()
	empty := ""
	p := &marketplace.DataProduct{
		ID: "0B6C3F52-8F0E-4A57-9A53-4F2F1E7B2C11", Name: "Sales", Description: &empty,
		Domains:   []string{"1AEBD69E-0AC6-51D7-94E0-6580689D4380"},
		Metadata:  &marketplace.DataProductMetadata{SubjectMatterExpert: &marketplace.SubjectMatterExpert{ID: "FA925E85-757E-54C1-8486-9BFA3CBCD758"}},
		Suspended: true, CreatedAt: "c", CreatedBy: "u", UpdatedAt: "a", Status: "NONE",
		SourceTypes: []string{"Snowflake", "Databricks", "Snowflake"},
	}
	forms := []marketplace.DataProductRequestForm{
		{RequestForm: marketplace.RequestForm{ID: "7EE75237-D754-41F9-B967-B6CB042485F7"}, RequestType: marketplace.RequestTypeMaskingException},
		{RequestForm: marketplace.RequestForm{ID: "cl9x0standardform00000001"}, RequestType: marketplace.RequestTypeDataAccess},
	}
	var m dataProductFields
	if diags := m.fromAPI(ctx, productReads{Product: p, DataSourceIDs: []string{"102", "101"}, Forms: forms}); diags.HasError() {
		t.Fatal(diags)
	}
	if m.ID.ValueString() != "0b6c3f52-8f0e-4a57-9a53-4f2f1e7b2c11" || !m.Description.IsNull() || !m.Suspended.ValueBool() ||
		m.SubjectMatterExpertID.ValueString() != "fa925e85-757e-54c1-8486-9bfa3cbcd758" || m.Status.ValueString() != "NONE" ||
		m.DataAccessRequestFormID.ValueString() != "cl9x0standardform00000001" ||
		m.MaskingExceptionRequestFormID.ValueString() != "7ee75237-d754-41f9-b967-b6cb042485f7" {
		t.Errorf("converted %+v", m)
	}
	domains, _ := setElements(ctx, m.DomainIDs)
	sources, _ := setElements(ctx, m.DataSourceIDs)
	platforms, _ := setElements(ctx, m.SourceTypes)
	if !slices.Equal(domains, []string{"1aebd69e-0ac6-51d7-94e0-6580689d4380"}) || !slices.Equal(sources, []string{"101", "102"}) ||
		!slices.Equal(platforms, []string{"Databricks", "Snowflake"}) {
		t.Errorf("sets %v %v %v", domains, sources, platforms)
	}
	// No expert, no description, no forms listed: nulls.
	p.Metadata, p.Description = nil, nil
	_ = m.fromAPI(ctx, productReads{Product: p})
	if !m.SubjectMatterExpertID.IsNull() || !m.Description.IsNull() || m.DataSourceIDs.IsNull() || !m.DataAccessRequestFormID.IsNull() {
		t.Errorf("absent values: %+v", m)
	}
}

func TestDataProductCreateInput(t *testing.T) {
	ctx := context.Background()
	m := dataProductFields{
		Name: types.StringValue("Sales"), Description: types.StringNull(),
		DomainIDs:                     types.SetValueMust(types.StringType, []attr.Value{types.StringValue("d2"), types.StringValue("d1")}),
		DataSourceIDs:                 types.SetValueMust(types.StringType, nil),
		DataAccessRequestFormID:       types.StringValue("f"),
		MaskingExceptionRequestFormID: types.StringUnknown(),
		SubjectMatterExpertID:         types.StringNull(),
	}
	in, diags := m.toCreateInput(ctx, "id")
	if diags.HasError() {
		t.Fatal(diags)
	}
	// dataSources is always sent; a form not known is left to the service.
	body, _ := json.Marshal(in)
	if want := `{"id":"id","name":"Sales","metadata":null,"domains":["d1","d2"],"dataSources":[],"dataAccessRequestFormId":"f"}`; string(body) != want {
		t.Errorf("body %s, want %s", body, want)
	}
	m.SubjectMatterExpertID = types.StringValue("u")
	m.Description = types.StringValue("d")
	m.MaskingExceptionRequestFormID = types.StringValue("g")
	m.DataSourceIDs = types.SetValueMust(types.StringType, []attr.Value{types.StringValue("101"), types.StringValue("9")})
	in, _ = m.toCreateInput(ctx, "id")
	body, _ = json.Marshal(in)
	if want := `{"id":"id","name":"Sales","description":"d","metadata":{"subjectMatterExpert":{"id":"u"}},"domains":["d1","d2"],` +
		`"dataSources":[{"sourceId":"9"},{"sourceId":"101"}],"dataAccessRequestFormId":"f","maskingExceptionRequestFormId":"g"}`; string(body) != want {
		t.Errorf("body %s, want %s", body, want)
	}
}

func nullProductFlows() dataProductReviewFlowFields {
	return dataProductReviewFlowFields{
		DataAccessReviewFlow: productFlowNull(), DataAccessReviewFlowJSON: jsontypes.NewNormalizedNull(),
		MaskingExceptionReviewFlow: productFlowNull(), MaskingExceptionReviewFlowJSON: jsontypes.NewNormalizedNull(),
	}
}

func TestDataProductReviewFlowsFromAPI(t *testing.T) {
	ctx := context.Background()
	typed := json.RawMessage(`{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"ok"}}}`)
	withRules := json.RawMessage(`{"rules":[{"conditions":{"all":[]},"event":{"type":"deny","params":{"comment":"x"}}}],"defaultEvent":{"type":"approve","params":{"comment":"ok"}}}`)
	standard := json.RawMessage(marketplace.DefaultProductReviewFlow)
	null := nullProductFlows()

	var m dataProductReviewFlowFields
	// The default, left out of the configuration, reads as null; a typed
	// flow is read into the typed attribute.
	_ = m.reviewFlowsFromAPI(&marketplace.DataProduct{DataAccessPolicy: typed, MaskingExceptionPolicy: standard}, null, false)
	if m.DataAccessReviewFlow.IsNull() || !m.DataAccessReviewFlowJSON.IsNull() || !m.MaskingExceptionReviewFlow.IsNull() || !m.MaskingExceptionReviewFlowJSON.IsNull() {
		t.Errorf("typed and default: %+v", m)
	}
	flows := m.flows()
	if doc, _ := flows[0].document(ctx); !policiesEquivalent(doc, typed, false) {
		t.Errorf("round trip: %s", doc)
	}
	// A flow left out is sent as the default, which restores it.
	if doc, _ := flows[1].document(ctx); !policiesEquivalent(doc, standard, false) {
		t.Errorf("left out: %s", doc)
	}
	if access, masking, _ := m.createFlows(ctx); access == nil || masking != nil {
		t.Errorf("create sends %s, %s", access, masking)
	}
	// The default, when the configuration states it, is shown.
	prior := null
	prior.MaskingExceptionReviewFlowJSON = jsontypes.NewNormalizedValue(string(standard))
	_ = m.reviewFlowsFromAPI(&marketplace.DataProduct{DataAccessPolicy: typed, MaskingExceptionPolicy: standard}, prior, false)
	if m.MaskingExceptionReviewFlowJSON.ValueString() != string(standard) {
		t.Errorf("stated default: %+v", m)
	}
	// The user's JSON text is kept when it means the same.
	prior = null
	prior.DataAccessReviewFlowJSON = jsontypes.NewNormalizedValue(`{"defaultEvent": {"params": {"comment": "ok"}, "type": "approve"}, "rules": []}`)
	_ = m.reviewFlowsFromAPI(&marketplace.DataProduct{DataAccessPolicy: typed, MaskingExceptionPolicy: standard}, prior, false)
	if !m.DataAccessReviewFlow.IsNull() || m.DataAccessReviewFlowJSON.ValueString() != prior.DataAccessReviewFlowJSON.ValueString() {
		t.Errorf("user JSON: %+v", m)
	}
	// A flow with rules can only be JSON, written as jsonencode would.
	_ = m.reviewFlowsFromAPI(&marketplace.DataProduct{DataAccessPolicy: withRules, MaskingExceptionPolicy: typed}, null, false)
	if !m.DataAccessReviewFlow.IsNull() || m.DataAccessReviewFlowJSON.IsNull() || m.MaskingExceptionReviewFlow.IsNull() {
		t.Errorf("rules: %+v", m)
	}
	// The data source shows the service's document, the default included.
	_ = m.reviewFlowsFromAPI(&marketplace.DataProduct{DataAccessPolicy: typed}, dataProductReviewFlowFields{}, true)
	if m.DataAccessReviewFlow.IsNull() || m.DataAccessReviewFlowJSON.IsNull() || !policiesEquivalent([]byte(m.MaskingExceptionReviewFlowJSON.ValueString()), standard, false) {
		t.Errorf("data source: %+v", m)
	}
}

func TestFormDelegates(t *testing.T) {
	for policy, want := range map[string]bool{
		`{"rules":[],"defaultEvent":{"type":"dataProductPolicy"}}`:                                                              true,
		`{"rules":[{"conditions":{"all":[]},"event":{"type":"dataProductPolicy"}}],"defaultEvent":{"type":"deny","params":{}}}`: true,
		`{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"ok"}}}`:                                              false,
		`not json`: false,
	} {
		if got := formDelegates(&marketplace.RequestForm{Policy: json.RawMessage(policy)}); got != want {
			t.Errorf("formDelegates(%s) = %t", policy, got)
		}
	}
}

func TestFormAgreements(t *testing.T) {
	forms := []marketplace.DataProductRequestForm{
		{RequestForm: marketplace.RequestForm{DataUseAgreements: []marketplace.AgreementSummary{{ID: "2", Name: "b"}, {ID: "1", Name: "a"}}}},
		{RequestForm: marketplace.RequestForm{DataUseAgreements: []marketplace.AgreementSummary{{ID: "1", Name: "a"}}}},
	}
	if got := formAgreements(forms); len(got) != 2 || got[0].ID != "1" || got[1].ID != "2" {
		t.Errorf("agreements %+v", got)
	}
	if got := formAgreements(nil); got == nil {
		t.Error("no agreements: nil, want empty")
	}
}

func TestDataSourceIDOrderAndUnion(t *testing.T) {
	ids := []string{"110", "9", "101", "x"}
	sortDataSourceIDs(ids)
	if !slices.Equal(ids, []string{"9", "101", "110", "x"}) {
		t.Errorf("sorted %v", ids)
	}
	if got := union([]string{"a", "c"}, []string{"b", "c"}); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("union %v", got)
	}
	if got := sortedDataSourceIDs(nil); got == nil || len(got) != 0 {
		t.Errorf("no ids: %#v", got)
	}
}
