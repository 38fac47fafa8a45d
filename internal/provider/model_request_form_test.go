package provider

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

func apiForm(policy string) *marketplace.RequestForm {
	return &marketplace.RequestForm{
		ID:   "6c0e5f2a-3b1d-4e8f-9a7c-5d2b1e0f3a44",
		Name: "Form",
		Fields: []marketplace.RequestFormField{
			{ID: "11111111-1111-4111-8111-111111111111", Type: "ACCESS_DURATION", Label: marketplace.AccessDurationLabel, Required: true},
			{ID: "22222222-2222-4222-8222-222222222222", Type: "CHECKBOXES", Label: "Team", Options: []marketplace.FieldOption{{Value: "B"}, {Value: "A"}}},
			{ID: "33333333-3333-4333-8333-333333333333", Type: "SHORT_ANSWER", Label: "Why?", Required: true},
		},
		Policy: json.RawMessage(policy),
		DataUseAgreements: []marketplace.AgreementSummary{
			{ID: "bbbbbbbb-2222-4222-8222-222222222222"}, {ID: "aaaaaaaa-1111-4111-8111-111111111111"},
		},
		CreatedBy: &marketplace.UserRef{GlobalUserID: governorID}, CreatedAt: "2025-01-01T00:00:00.000Z",
		UpdatedBy: &marketplace.UserRef{GlobalUserID: governorID}, UpdatedAt: "2025-01-02T00:00:00.000Z",
		Version: "cl9x0aaaabbbbccccddddeeee",
	}
}

// A form read from the service and written back sends what was read.
func TestRequestFormModelRoundTrip(t *testing.T) {
	ctx := context.Background()
	for name, policy := range map[string]string{"typed": typedPolicies["review"], "rules": untypedPolicies["rules"]} {
		t.Run(name, func(t *testing.T) {
			f := apiForm(policy)
			var m requestFormFields
			if diags := m.fromAPI(f, requestFormReadMode{}); diags.HasError() {
				t.Fatal(diags)
			}
			if typed := !m.ReviewFlow.IsNull(); typed != (name == "typed") || typed == !m.PolicyJSON.IsNull() {
				t.Fatalf("review_flow %v, policy_json %v", m.ReviewFlow, m.PolicyJSON)
			}
			in, diags := m.toInput(ctx)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if in.ID != f.ID || in.Name != f.Name || len(in.Fields) != 3 {
				t.Fatalf("input %+v", in)
			}
			// Every question goes back as it came, with its id.
			if !reflect.DeepEqual(in.Fields, f.Fields) {
				t.Errorf("fields %+v, want %+v", in.Fields, f.Fields)
			}
			if !policiesEquivalent(in.Policy, f.Policy, true) {
				t.Errorf("policy %s, want %s", in.Policy, f.Policy)
			}
			if want := []string{"aaaaaaaa-1111-4111-8111-111111111111", "bbbbbbbb-2222-4222-8222-222222222222"}; !reflect.DeepEqual(in.DataUseAgreementIDs, want) {
				t.Errorf("agreement ids %v", in.DataUseAgreementIDs)
			}
		})
	}
}

func TestPolicyToAttributes(t *testing.T) {
	typed := []byte(typedPolicies["auto approve"])

	// Nothing chosen before (an import): typed when it can be.
	flow, doc, diags := policyToAttributes(typed, true, jsontypes.NewNormalizedNull())
	if diags.HasError() || flow.IsNull() || !doc.IsNull() {
		t.Errorf("import of a typed policy: %v, %v", flow, doc)
	}
	// The user chose JSON: JSON, in the user's own text when it means the same.
	mine := jsontypes.NewNormalizedValue("{\n \"defaultEvent\": {\"params\": {\"comment\": \"Open data.\"}, \"type\": \"approve\"},\n \"rules\": []\n}")
	flow, doc, _ = policyToAttributes(typed, true, mine)
	if !flow.IsNull() || doc.ValueString() != mine.ValueString() {
		t.Errorf("JSON chosen: %v, %q", flow, doc.ValueString())
	}
	// ...and the service's, as jsonencode() writes it, when it differs.
	changed := []byte(`{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"Changed."}}}`)
	_, doc, _ = policyToAttributes(changed, true, mine)
	if want := `{"defaultEvent":{"params":{"comment":"Changed."},"type":"approve"},"rules":[]}`; doc.ValueString() != want {
		t.Errorf("changed: %s, want %s", doc.ValueString(), want)
	}
	// Delegation in a data product's flow is JSON.
	flow, doc, _ = policyToAttributes([]byte(typedPolicies["delegate"]), false, jsontypes.NewNormalizedNull())
	if !flow.IsNull() || doc.IsNull() {
		t.Errorf("delegate without delegation: %v, %v", flow, doc)
	}
	// A data source has both.
	flow, doc, _ = policyToDataSourceAttributes(typed, true)
	if flow.IsNull() || doc.IsNull() {
		t.Errorf("data source: %v, %v", flow, doc)
	}
}

func TestCanonicalJSON(t *testing.T) {
	cases := map[string]string{
		`{ "b": 1.50, "a": [ {"y": "<x>", "x": null} ], "c": 1e3, "d": -0.25 }`: `{"a":[{"x":null,"y":"\u003cx\u003e"}],"b":1.5,"c":1000,"d":-0.25}`,
		`not json`: `not json`,
	}
	for in, want := range cases {
		if got := canonicalJSON([]byte(in)); got != want {
			t.Errorf("canonicalJSON(%s) = %s, want %s", in, got, want)
		}
	}
}
