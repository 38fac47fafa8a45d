package provider

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Policy documents the typed form expresses, as the service returns them.
var typedPolicies = map[string]string{
	"auto approve": `{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"Open data."}}}`,
	"auto approve with expiry": `{"version":"1","rules":[],"defaultEvent":{"type":"approve",
		"params":{"comment":"Short-lived.","duration":30,"durationUnit":"DAYS"}}}`,
	"auto deny": `{"rules":[],"defaultEvent":{"type":"deny","params":{"comment":"Closed."}}}`,
	"review": `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[
		{"all":[{"type":"GROUP","id":1,"name":"Data Stewards"},{"type":"USER","id":"44509dec-9b50-50fd-af68-e366e731fcf4"},{"type":"GROUP","name":"Finance"}]},
		{"any":[{"type":"ATTRIBUTE","key":"Department","value":"Sales"},{"type":"PERMISSION","permission":"GOVERNANCE"},
			{"type":"DOMAIN PERMISSION","permission":"Manage Data Products"},{"type":"CATALOG PERMISSION"},
			{"type":"DOMAIN PERMISSION","permission":"Audit Activity","domainId":"52137b16-6081-5f38-ad3a-8a0e6f2132ba"}]}]}}}`,
	"delegate": `{"rules":[],"defaultEvent":{"type":"dataProductPolicy"}}`,
}

// Policy documents only the JSON attribute can hold.
var untypedPolicies = map[string]string{
	"rules": `{"rules":[{"conditions":{"all":[{"fact":"answers.team","operator":"equal","value":"A"}]},
		"event":{"type":"approve","params":{"comment":"Team A."}}}],"defaultEvent":{"type":"approve","params":{"comment":"x"}}}`,
	"unknown property":      `{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"x","notify":true}}}`,
	"no comment":            `{"rules":[],"defaultEvent":{"type":"approve","params":{}}}`,
	"deny without comment":  `{"rules":[],"defaultEvent":{"type":"deny","params":{}}}`,
	"unknown event":         `{"rules":[],"defaultEvent":{"type":"escalate","params":{"comment":"x"}}}`,
	"old event":             `{"rules":[],"defaultEvent":{"type":"requestApproval","params":{"approvalMode":"ANY","approvers":[{"type":"GROUP","id":"1"}]}}}`,
	"unit without length":   `{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"x","durationUnit":"DAYS"}}}`,
	"no stages":             `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[]}}}`,
	"empty stage":           `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"all":[]}]}}}`,
	"both modes":            `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"all":[{"type":"CATALOG PERMISSION"}],"any":[{"type":"CATALOG PERMISSION"}]}]}}}`,
	"repeated approver":     `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[{"type":"GROUP","id":1,"name":"G"},{"type":"GROUP","id":1,"name":"G"}]}]}}}`,
	"repeated catalog":      `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[{"type":"CATALOG PERMISSION"},{"type":"CATALOG PERMISSION"}]}]}}}`,
	"unknown approver":      `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[{"type":"ROLE","id":"x"}]}]}}}`,
	"user display name":     `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[{"type":"USER","id":"a","displayName":"A"}]}]}}}`,
	"group iamId":           `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[{"type":"GROUP","name":"G","iamId":"bim"}]}]}}}`,
	"stage property":        `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[{"type":"CATALOG PERMISSION"}],"note":"x"}]}}}`,
	"group id as a string":  `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[{"type":"GROUP","id":"1","name":"G"}]}]}}}`,
	"delegate with params":  `{"rules":[],"defaultEvent":{"type":"dataProductPolicy","params":{}}}`,
	"not an object":         `[1,2]`,
	"not JSON":              `{"rules":`,
	"extra top-level field": `{"rules":[],"defaultEvent":{"type":"dataProductPolicy"},"x":1}`,
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
			if strings.Contains(string(rf.policyJSON()), "version") {
				t.Errorf("the typed form wrote a version: %s", rf.policyJSON())
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
	for _, name := range []string{"delegate", "auto deny"} {
		if _, ok := reviewFlowFromPolicy([]byte(typedPolicies[name]), false); ok {
			t.Errorf("%s was accepted for a data product", name)
		}
	}
	rf, _ := reviewFlowFromPolicy([]byte(typedPolicies["review"]), true)
	one := int64(1)
	want := review{Stages: []reviewStage{
		{Mode: "all", UserIDs: []string{"44509dec-9b50-50fd-af68-e366e731fcf4"},
			Groups: []groupApprover{{Name: "Data Stewards", ID: &one}, {Name: "Finance"}}},
		{Mode: "any", Permissions: []string{"GOVERNANCE"}, Attributes: []attributeValue{{Key: "Department", Value: "Sales"}},
			DomainPermissions: []domainPermission{{Permission: "Audit Activity", DomainID: "52137b16-6081-5f38-ad3a-8a0e6f2132ba"}, {Permission: "Manage Data Products"}},
			CatalogPermission: true},
	}}
	if rf.Review == nil || !reflect.DeepEqual(*rf.Review, want) {
		t.Errorf("review read as %+v", rf.Review)
	}
}

func TestPoliciesEquivalent(t *testing.T) {
	a := `{"version":"1","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"x","duration":3,"durationUnit":"DAYS"}}}`
	same := []string{
		"{\n  \"defaultEvent\": {\"params\": {\"durationUnit\": \"DAYS\", \"duration\": 3.0, \"comment\": \"x\"}, \"type\": \"approve\"},\n  \"version\": \"1\"\n}",
		`{"rules":[],"version":"1","defaultEvent":{"params":{"comment":"x","durationUnit":"DAYS","duration":3},"type":"approve"}}`,
		// A version only one side has (filled in by the service) does not matter.
		`{"rules":[],"defaultEvent":{"params":{"comment":"x","durationUnit":"DAYS","duration":3},"type":"approve"}}`,
	}
	for _, b := range same {
		if !policiesEquivalent([]byte(a), []byte(b), false) {
			t.Errorf("%s and %s should be equivalent", a, b)
		}
	}
	different := []string{
		`{"version":"2","rules":[],"defaultEvent":{"type":"approve","params":{"comment":"x","duration":3,"durationUnit":"DAYS"}}}`,
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
	x := `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[{"type":"USER","id":"a"},{"type":"GROUP","name":"G"}]}]}}}`
	y := `{"version":"7","rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[{"type":"GROUP","name":"G"},{"type":"USER","id":"a"}]}]}}}`
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
	// A data product's flow has neither auto_deny nor delegate_to_data_product.
	rf, _ := reviewFlowFromPolicy([]byte(typedPolicies["auto approve"]), false)
	obj, diags := reviewFlowObject(&rf, false)
	if diags.HasError() {
		t.Fatal(diags)
	}
	for _, name := range []string{"delegate_to_data_product", "auto_deny"} {
		if _, has := obj.Attributes()[name]; has {
			t.Errorf("%s is offered for a data product", name)
		}
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
	choice := reviewFlowChoiceValidator{requestForm: true}
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

	stage := func(change func(map[string]attr.Value)) types.Object {
		values := map[string]attr.Value{"approval_mode": types.StringValue("any")}
		for name, typ := range stageAttrTypes {
			if name == "approval_mode" {
				continue
			}
			if st, ok := typ.(types.SetType); ok {
				values[name] = types.SetNull(st.ElemType)
			} else {
				values[name] = types.BoolNull()
			}
		}
		change(values)
		return types.ObjectValueMust(stageAttrTypes, values)
	}
	if !run(stageApproversValidator{}, stage(func(map[string]attr.Value) {})) {
		t.Error("a stage without approvers was accepted")
	}
	if !run(stageApproversValidator{}, stage(func(v map[string]attr.Value) { v["catalog_permission"] = types.BoolValue(false) })) {
		t.Error("catalog_permission = false was accepted")
	}
	if run(stageApproversValidator{}, stage(func(v map[string]attr.Value) { v["catalog_permission"] = types.BoolValue(true) })) {
		t.Error("a catalog permission stage was rejected")
	}
	if run(stageApproversValidator{}, stage(func(v map[string]attr.Value) {
		v["groups"] = types.SetUnknown(types.ObjectType{AttrTypes: groupApproverAttrTypes})
	})) {
		t.Error("unknown approvers were rejected")
	}
}

func TestCheckPolicyDocument(t *testing.T) {
	for name, doc := range typedPolicies {
		if problems := checkPolicyDocument([]byte(doc), true); len(problems) > 0 {
			t.Errorf("%s: %v", name, problems)
		}
	}
	if problems := checkPolicyDocument([]byte(untypedPolicies["rules"]), false); len(problems) > 0 {
		t.Errorf("rules for a data product: %v", problems)
	}
	cases := map[string]struct {
		doc         string
		requestForm bool
		want        string
	}{
		"data product delegates": {typedPolicies["delegate"], false, `defaultEvent.type "dataProductPolicy" must be one of "approve", "review"`},
		"data product denies":    {typedPolicies["auto deny"], false, `defaultEvent.type "deny" must be one of`},
		"old event":              {untypedPolicies["old event"], true, `defaultEvent.type "requestApproval" must be one of`},
		"approve params":         {untypedPolicies["unknown property"], true, `defaultEvent.params.notify is not allowed`},
		"duration":               {`{"rules":[],"defaultEvent":{"type":"approve","params":{"duration":0.5}}}`, true, "defaultEvent.params.duration must be at least 1"},
		"duration type":          {`{"rules":[],"defaultEvent":{"type":"approve","params":{"duration":"2"}}}`, true, "defaultEvent.params.duration must be a number"},
		"both modes":             {untypedPolicies["both modes"], true, `stages[0] must have exactly one of "all" and "any"`},
		"empty stage":            {untypedPolicies["empty stage"], true, "stages[0].all must be an array of at least 1 approver"},
		"group id":               {untypedPolicies["group id as a string"], true, "stages[0].any[0].id must be a number"},
		"unknown approver":       {untypedPolicies["unknown approver"], true, "stages[0].any[0].type must be one of"},
		"rule event":             {`{"rules":[{"conditions":{"not":{}}}],"defaultEvent":{"type":"dataProductPolicy"}}`, true, "rules[0].event is required"},
		"conditions":             {`{"rules":[{"conditions":{"some":[]},"event":{"type":"dataProductPolicy"}}],"defaultEvent":{"type":"dataProductPolicy"}}`, true, "rules[0].conditions must have exactly one property"},
		"version":                {`{"version":1,"rules":[],"defaultEvent":{"type":"dataProductPolicy"}}`, true, `"version" must be a string`},
		"not an object":          {`[]`, true, "must be a JSON object"},
	}
	for name, c := range cases {
		problems := strings.Join(checkPolicyDocument([]byte(c.doc), c.requestForm), "; ")
		if !strings.Contains(problems, c.want) {
			t.Errorf("%s: %q, want %q", name, problems, c.want)
		}
	}
}

// FuzzReviewFlowFromPolicy checks, for any document, that reading never
// panics, and that a document read into the typed form is rendered back
// into an equivalent one (so the typed form never silently changes a
// policy), is stable when read again, and passes the plan-time check.
func FuzzReviewFlowFromPolicy(f *testing.F) {
	for _, doc := range typedPolicies {
		f.Add([]byte(doc), true)
	}
	for _, doc := range untypedPolicies {
		f.Add([]byte(doc), false)
	}
	f.Fuzz(func(t *testing.T, doc []byte, requestForm bool) {
		_ = checkPolicyDocument(doc, requestForm)
		rf, ok := reviewFlowFromPolicy(doc, requestForm)
		if !ok {
			return
		}
		out := rf.policyJSON()
		if !policiesEquivalent(doc, out, true) {
			t.Fatalf("%s reads as %+v, which renders %s", doc, rf, out)
		}
		again, ok := reviewFlowFromPolicy(out, requestForm)
		if !ok || !reflect.DeepEqual(again, rf) {
			t.Fatalf("%s does not read back: %+v, %v", out, again, ok)
		}
		if problems := checkPolicyDocument(out, requestForm); len(problems) > 0 {
			t.Fatalf("%s fails the plan-time check: %v", out, problems)
		}
		if _, diags := reviewFlowObject(&rf, requestForm); diags.HasError() {
			t.Fatalf("%+v cannot be a Terraform value: %v", rf, diags)
		}
		var p map[string]any
		if err := json.Unmarshal(out, &p); err != nil {
			t.Fatal(err)
		}
	})
}
