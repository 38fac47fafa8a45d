package provider

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Policy documents the typed form expresses, as the service returns them.
var typedPolicies = map[string]string{
	"auto approve": `{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"Open data."}}}`,
	"auto approve with expiry": `{"version":"1","rules":[],"defaultEvent":{"type":"approve",
		"params":{"comment":"Short-lived.","duration":30,"durationUnit":"DAYS"}}}`,
	"stewards": `{"version":"1","rules":[],"defaultEvent":{"type":"requestApproval","params":{"approvalMode":"ALL","approvers":[
		{"type":"GROUP","id":"1"},{"type":"USER","id":"44509dec-9b50-50fd-af68-e366e731fcf4"},
		{"type":"ATTRIBUTE","id":"Department:Sales"},{"type":"PERMISSION","id":"GOVERNANCE"},
		{"type":"DOMAIN_PERMISSION","id":"MANAGE_DATA_PRODUCTS"}]}}}`,
	"delegate": `{"version":"1","rules":[],"defaultEvent":{"type":"delegate"}}`,
}

// Policy documents only policy_json can hold.
var untypedPolicies = map[string]string{
	"rules": `{"version":"1","rules":[{"conditions":{"all":[{"fact":"answers.team","operator":"equal","value":"A"}]},
		"event":{"type":"approve","params":{"comment":"Team A."}}}],"defaultEvent":{"type":"approve","params":{"comment":"x"}}}`,
	"other version":         `{"version":"2","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"x"}}}`,
	"unknown property":      `{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"x","notify":true}}}`,
	"unknown event":         `{"version":"1","rules":[],"defaultEvent":{"type":"deny","params":{"comment":"x"}}}`,
	"unit without length":   `{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"x","durationUnit":"DAYS"}}}`,
	"repeated approver":     `{"version":"1","rules":[],"defaultEvent":{"type":"requestApproval","params":{"approvalMode":"ANY","approvers":[{"type":"GROUP","id":"1"},{"type":"GROUP","id":"1"}]}}}`,
	"unknown approver":      `{"version":"1","rules":[],"defaultEvent":{"type":"requestApproval","params":{"approvalMode":"ANY","approvers":[{"type":"ROLE","id":"x"}]}}}`,
	"attribute without :":   `{"version":"1","rules":[],"defaultEvent":{"type":"requestApproval","params":{"approvalMode":"ANY","approvers":[{"type":"ATTRIBUTE","id":"x"}]}}}`,
	"approver display name": `{"version":"1","rules":[],"defaultEvent":{"type":"requestApproval","params":{"approvalMode":"ANY","approvers":[{"type":"GROUP","id":"1","displayName":"G"}]}}}`,
	"not an object":         `[1,2]`,
	"not JSON":              `{"version":`,
}

func TestReviewFlowFromPolicy(t *testing.T) {
	for name, doc := range typedPolicies {
		t.Run(name, func(t *testing.T) {
			rf, ok := reviewFlowFromPolicy([]byte(doc), true)
			if !ok {
				t.Fatal("the typed form should express this policy")
			}
			if !policiesEquivalent([]byte(doc), rf.policyJSON(), true) {
				t.Errorf("renders %s", rf.policyJSON())
			}
		})
	}
	for name, doc := range untypedPolicies {
		t.Run(name, func(t *testing.T) {
			if rf, ok := reviewFlowFromPolicy([]byte(doc), true); ok {
				t.Errorf("the typed form claims to express it: %+v", rf)
			}
		})
	}
	if _, ok := reviewFlowFromPolicy([]byte(typedPolicies["delegate"]), false); ok {
		t.Error("delegation was accepted where it is not allowed")
	}
	rf, _ := reviewFlowFromPolicy([]byte(typedPolicies["stewards"]), true)
	want := stewardApproval{
		Mode: "ALL", UserIDs: []string{"44509dec-9b50-50fd-af68-e366e731fcf4"}, GroupIDs: []string{"1"},
		Attributes:  []attributeValue{{Name: "Department", Value: "Sales"}},
		Permissions: []string{"GOVERNANCE"}, DomainPermissions: []string{"MANAGE_DATA_PRODUCTS"},
	}
	if rf.RequireApproval == nil || !reflect.DeepEqual(*rf.RequireApproval, want) {
		t.Errorf("stewards read as %+v", rf.RequireApproval)
	}
}

func TestPoliciesEquivalent(t *testing.T) {
	a := `{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"x","duration":3,"durationUnit":"DAYS"}}}`
	same := []string{
		"{\n  \"defaultEvent\": {\"params\": {\"durationUnit\": \"DAYS\", \"duration\": 3.0, \"comment\": \"x\"}, \"type\": \"approve\"},\n  \"version\": \"1\"\n}",
		`{"rules":[],"version":"1","defaultEvent":{"params":{"comment":"x","durationUnit":"DAYS","duration":3},"type":"approve"}}`,
	}
	for _, b := range same {
		if !policiesEquivalent([]byte(a), []byte(b), false) {
			t.Errorf("%s and %s should be equivalent", a, b)
		}
	}
	different := []string{
		`{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"y","duration":3,"durationUnit":"DAYS"}}}`,
		`{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"x","duration":4,"durationUnit":"DAYS"}}}`,
		`{"version":"1","rules":[{}],"defaultEvent":{"type":"approve","params":{"comment":"x","duration":3,"durationUnit":"DAYS"}}}`,
		`not json`,
	}
	for _, b := range different {
		if policiesEquivalent([]byte(a), []byte(b), false) {
			t.Errorf("%s and %s should differ", a, b)
		}
	}
	x := `{"defaultEvent":{"type":"requestApproval","params":{"approvalMode":"ANY","approvers":[{"type":"USER","id":"a"},{"type":"GROUP","id":"1"}]}}}`
	y := `{"defaultEvent":{"type":"requestApproval","params":{"approvalMode":"ANY","approvers":[{"type":"GROUP","id":"1"},{"type":"USER","id":"a"}]}}}`
	if !policiesEquivalent([]byte(x), []byte(y), true) || policiesEquivalent([]byte(x), []byte(y), false) {
		t.Error("approver order should matter only when approvers are not a set")
	}
}

func TestReviewFlowObjectRoundTrip(t *testing.T) {
	ctx := context.Background()
	for name, doc := range typedPolicies {
		t.Run(name, func(t *testing.T) {
			rf, ok := reviewFlowFromPolicy([]byte(doc), true)
			if !ok {
				t.Fatal("not typed")
			}
			obj, diags := reviewFlowObject(&rf, true)
			if diags.HasError() {
				t.Fatal(diags)
			}
			back, diags := reviewFlowFromObject(ctx, obj)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if !reflect.DeepEqual(rf, back) {
				t.Errorf("round trip gave %+v, want %+v", back, rf)
			}
		})
	}
	// Without delegation the object has no delegate attribute.
	rf, _ := reviewFlowFromPolicy([]byte(typedPolicies["auto approve"]), false)
	obj, diags := reviewFlowObject(&rf, false)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if _, has := obj.Attributes()["delegate_to_data_product"]; has {
		t.Error("delegate_to_data_product is offered where delegation is not allowed")
	}
	if null, _ := reviewFlowObject(nil, true); !null.IsNull() {
		t.Error("no flow should be null")
	}
}

func TestReviewFlowValidators(t *testing.T) {
	ctx := context.Background()
	flow := func(t *testing.T, doc string) types.Object {
		t.Helper()
		rf, ok := reviewFlowFromPolicy([]byte(doc), true)
		if !ok {
			t.Fatal("not typed")
		}
		obj, diags := reviewFlowObject(&rf, true)
		if diags.HasError() {
			t.Fatal(diags)
		}
		return obj
	}
	run := func(v validator.Object, obj types.Object) bool {
		resp := &validator.ObjectResponse{}
		v.ValidateObject(ctx, validator.ObjectRequest{Path: path.Root("review_flow"), ConfigValue: obj}, resp)
		return resp.Diagnostics.HasError()
	}
	choice := reviewFlowChoiceValidator{allowDelegate: true}
	if run(choice, flow(t, typedPolicies["auto approve"])) {
		t.Error("one choice was rejected")
	}
	attrs := flow(t, typedPolicies["auto approve"]).Attributes()
	attrs["delegate_to_data_product"] = types.BoolValue(true)
	if !run(choice, types.ObjectValueMust(reviewFlowAttrTypes(true), attrs)) {
		t.Error("two choices were accepted")
	}
	attrs = flow(t, typedPolicies["delegate"]).Attributes()
	attrs["delegate_to_data_product"] = types.BoolValue(false)
	if !run(choice, types.ObjectValueMust(reviewFlowAttrTypes(true), attrs)) {
		t.Error("delegate_to_data_product = false was accepted")
	}
	attrs["delegate_to_data_product"] = types.BoolUnknown()
	if run(choice, types.ObjectValueMust(reviewFlowAttrTypes(true), attrs)) {
		t.Error("an unknown value was rejected")
	}

	empty := types.ObjectValueMust(requireApprovalAttrTypes, map[string]attr.Value{
		"approval_mode": types.StringValue("ANY"), "user_ids": types.SetNull(types.StringType),
		"group_ids": types.SetNull(types.StringType), "attributes": types.SetNull(types.ObjectType{AttrTypes: approverAttributeAttrTypes}),
		"permissions": types.SetNull(types.StringType), "domain_permissions": types.SetNull(types.StringType),
	})
	if !run(approverSourcesValidator{}, empty) {
		t.Error("require_approval without stewards was accepted")
	}
	some := empty.Attributes()
	some["group_ids"] = types.SetUnknown(types.StringType)
	if run(approverSourcesValidator{}, types.ObjectValueMust(requireApprovalAttrTypes, some)) {
		t.Error("unknown stewards were rejected")
	}
}

// FuzzReviewFlowFromPolicy checks, for any document, that reading never
// panics, and that a document read into the typed form is rendered back
// into an equivalent one (so the typed form never silently changes a
// policy), and is stable when read again.
func FuzzReviewFlowFromPolicy(f *testing.F) {
	for _, doc := range typedPolicies {
		f.Add([]byte(doc), true)
	}
	for _, doc := range untypedPolicies {
		f.Add([]byte(doc), false)
	}
	f.Fuzz(func(t *testing.T, doc []byte, allowDelegate bool) {
		rf, ok := reviewFlowFromPolicy(doc, allowDelegate)
		if !ok {
			return
		}
		out := rf.policyJSON()
		if !policiesEquivalent(doc, out, true) {
			t.Fatalf("%s reads as %+v, which renders %s", doc, rf, out)
		}
		again, ok := reviewFlowFromPolicy(out, allowDelegate)
		if !ok || !reflect.DeepEqual(again, rf) {
			t.Fatalf("%s does not read back: %+v, %v", out, again, ok)
		}
		if _, diags := reviewFlowObject(&rf, allowDelegate); diags.HasError() {
			t.Fatalf("%+v cannot be a Terraform value: %v", rf, diags)
		}
		var p map[string]any
		if err := json.Unmarshal(out, &p); err != nil {
			t.Fatal(err)
		}
	})
}
