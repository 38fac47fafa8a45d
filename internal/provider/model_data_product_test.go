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
		Domains: []string{"1AEBD69E-0AC6-51D7-94E0-6580689D4380"}, RequestFormID: "00000000-0000-4000-8000-00000000f0a1",
		Metadata:  &marketplace.DataProductMetadata{SubjectMatterExpert: &marketplace.SubjectMatterExpert{ID: "FA925E85-757E-54C1-8486-9BFA3CBCD758"}},
		Suspended: true, CreatedAt: "c", CreatedBy: "u", UpdatedAt: "a", Status: "NONE",
		SourceTypes: []string{"Snowflake", "Databricks", "Snowflake"},
	}
	var m dataProductFields
	if diags := m.fromAPI(ctx, p, []string{"102", "101"}); diags.HasError() {
		t.Fatal(diags)
	}
	if m.ID.ValueString() != "0b6c3f52-8f0e-4a57-9a53-4f2f1e7b2c11" || !m.Description.IsNull() || !m.Suspended.ValueBool() ||
		m.SubjectMatterExpertID.ValueString() != "fa925e85-757e-54c1-8486-9bfa3cbcd758" || m.Status.ValueString() != "NONE" {
		t.Errorf("converted %+v", m)
	}
	domains, _ := setElements(ctx, m.DomainIDs)
	sources, _ := setElements(ctx, m.DataSourceIDs)
	platforms, _ := setElements(ctx, m.SourceTypes)
	if !slices.Equal(domains, []string{"1aebd69e-0ac6-51d7-94e0-6580689d4380"}) || !slices.Equal(sources, []string{"101", "102"}) ||
		!slices.Equal(platforms, []string{"Databricks", "Snowflake"}) {
		t.Errorf("sets %v %v %v", domains, sources, platforms)
	}
	// No expert, no description: nulls.
	p.Metadata, p.Description = nil, nil
	_ = m.fromAPI(ctx, p, nil)
	if !m.SubjectMatterExpertID.IsNull() || !m.Description.IsNull() || m.DataSourceIDs.IsNull() {
		t.Errorf("absent values: %+v", m)
	}
}

func TestDataProductCreateInput(t *testing.T) {
	ctx := context.Background()
	m := dataProductFields{
		Name: types.StringValue("Sales"), Description: types.StringNull(),
		DomainIDs:     types.SetValueMust(types.StringType, []attr.Value{types.StringValue("d2"), types.StringValue("d1")}),
		DataSourceIDs: types.SetValueMust(types.StringType, nil),
		RequestFormID: types.StringValue("f"), SubjectMatterExpertID: types.StringNull(),
	}
	in, diags := m.toCreateInput(ctx, "id")
	if diags.HasError() {
		t.Fatal(diags)
	}
	body, _ := json.Marshal(in)
	if want := `{"id":"id","name":"Sales","metadata":null,"domains":["d1","d2"],"requestFormId":"f"}`; string(body) != want {
		t.Errorf("body %s, want %s", body, want)
	}
	m.SubjectMatterExpertID = types.StringValue("u")
	m.Description = types.StringValue("d")
	m.DataSourceIDs = types.SetValueMust(types.StringType, []attr.Value{types.StringValue("101")})
	in, _ = m.toCreateInput(ctx, "id")
	body, _ = json.Marshal(in)
	if want := `{"id":"id","name":"Sales","description":"d","metadata":{"subjectMatterExpert":{"id":"u"}},"domains":["d1","d2"],"dataSources":[{"sourceId":"101"}],"requestFormId":"f"}`; string(body) != want {
		t.Errorf("body %s, want %s", body, want)
	}
}

func TestDataProductPoliciesFromAPI(t *testing.T) {
	ctx := context.Background()
	typed := json.RawMessage(`{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"ok"}}}`)
	withRules := json.RawMessage(`{"version":"1","rules":[{"conditions":{"all":[]},"event":{"type":"approve","params":{"comment":"x"}}}],"defaultEvent":{"type":"approve","params":{"comment":"ok"}}}`)
	null := dataProductPolicyFields{DataAccessPolicyJSON: jsontypes.NewNormalizedNull(), MaskingExceptionPolicyJSON: jsontypes.NewNormalizedNull()}
	null.ReviewFlow, _ = reviewFlowObject(nil, false)

	var m dataProductPolicyFields
	// A document the typed form says exactly is read into review_flow...
	_ = m.policiesFromAPI(&marketplace.DataProduct{DataAccessPolicy: typed, MaskingExceptionPolicy: json.RawMessage("null")}, null, false)
	if m.ReviewFlow.IsNull() || !m.DataAccessPolicyJSON.IsNull() || !m.MaskingExceptionPolicyJSON.IsNull() {
		t.Errorf("typed: %+v", m)
	}
	access, masking, _ := m.policies(ctx)
	if !policiesEquivalent(access, typed, false) || masking != nil {
		t.Errorf("round trip: %s, %s", access, masking)
	}
	// ...unless the user wrote JSON, whose text is kept when it means the same.
	prior := null
	prior.DataAccessPolicyJSON = jsontypes.NewNormalizedValue(`{"defaultEvent": {"params": {"comment": "ok"}, "type": "approve"}, "version": "1"}`)
	_ = m.policiesFromAPI(&marketplace.DataProduct{DataAccessPolicy: typed}, prior, false)
	if !m.ReviewFlow.IsNull() || m.DataAccessPolicyJSON.ValueString() != prior.DataAccessPolicyJSON.ValueString() {
		t.Errorf("user JSON: %+v", m)
	}
	// A document with rules can only be JSON, written as jsonencode would.
	_ = m.policiesFromAPI(&marketplace.DataProduct{DataAccessPolicy: withRules, MaskingExceptionPolicy: typed}, null, false)
	if !m.ReviewFlow.IsNull() || m.DataAccessPolicyJSON.IsNull() || m.MaskingExceptionPolicyJSON.ValueString() != canonicalJSON(typed) {
		t.Errorf("rules: %+v", m)
	}
	// The data source shows both forms.
	_ = m.policiesFromAPI(&marketplace.DataProduct{DataAccessPolicy: typed}, dataProductPolicyFields{}, true)
	if m.ReviewFlow.IsNull() || m.DataAccessPolicyJSON.IsNull() {
		t.Errorf("data source: %+v", m)
	}
}

func TestFormDelegates(t *testing.T) {
	for policy, want := range map[string]bool{
		`{"rules":[],"defaultEvent":{"type":"dataProductPolicy"}}`:                               true,
		`{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"ok"}}}`: false,
		`not json`: false,
	} {
		if got := formDelegates(&marketplace.RequestForm{Policy: json.RawMessage(policy)}); got != want {
			t.Errorf("formDelegates(%s) = %t", policy, got)
		}
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
