package provider

// The typed review flow: the schema, its validation, and the conversion
// between it and the review-flow policy document (a request form's
// "policy", a data product's "dataAccessPolicy"). The typed form covers
// what the Marketplace app offers; a document it cannot express exactly
// (rules, another version, unknown properties) is left to the JSON escape
// hatch.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// reviewFlow is a typed review flow, free of Terraform types. Exactly one
// of AutoApprove, RequireApproval and Delegate is set.
type reviewFlow struct {
	AutoApprove     *autoApproval
	RequireApproval *stewardApproval
	Delegate        bool
}

// autoApproval approves every request; with a Duration the access
// expires after it.
type autoApproval struct {
	Reason       string
	Duration     int64 // 0: access never expires
	DurationUnit string
}

// stewardApproval asks data stewards to decide. The lists are sorted.
type stewardApproval struct {
	Mode              string
	UserIDs           []string
	GroupIDs          []string
	Attributes        []attributeValue
	Permissions       []string
	DomainPermissions []string
}

// attributeValue is an Immuta user attribute and one of its values.
type attributeValue struct {
	Name  string
	Value string
}

// policy renders the flow as a policy document without rules.
func (rf reviewFlow) policy() marketplace.Policy {
	p := marketplace.Policy{Version: marketplace.PolicyVersion, Rules: []marketplace.PolicyRule{}}
	switch {
	case rf.AutoApprove != nil:
		a := rf.AutoApprove
		params := &marketplace.EventParams{Comment: a.Reason}
		if a.Duration > 0 {
			params.Duration, params.DurationUnit = a.Duration, a.DurationUnit
		}
		p.DefaultEvent = marketplace.PolicyEvent{Type: marketplace.EventApprove, Params: params}
	case rf.RequireApproval != nil:
		s := rf.RequireApproval
		var approvers []marketplace.Approver
		add := func(typ string, ids []string) {
			for _, id := range ids {
				approvers = append(approvers, marketplace.Approver{Type: typ, ID: id})
			}
		}
		add(marketplace.ApproverUser, s.UserIDs)
		add(marketplace.ApproverGroup, s.GroupIDs)
		for _, a := range s.Attributes {
			approvers = append(approvers, marketplace.Approver{Type: marketplace.ApproverAttribute, ID: a.Name + ":" + a.Value})
		}
		add(marketplace.ApproverPermission, s.Permissions)
		add(marketplace.ApproverDomainPermission, s.DomainPermissions)
		p.DefaultEvent = marketplace.PolicyEvent{Type: marketplace.EventRequestApproval,
			Params: &marketplace.EventParams{Approvers: approvers, ApprovalMode: s.Mode}}
	case rf.Delegate:
		p.DefaultEvent = marketplace.PolicyEvent{Type: marketplace.EventDelegate}
	}
	return p
}

// policyJSON renders the flow as a policy document.
func (rf reviewFlow) policyJSON() json.RawMessage {
	data, err := json.Marshal(rf.policy())
	if err != nil { // the document holds only strings and numbers
		return json.RawMessage("{}")
	}
	return data
}

// reviewFlowFromPolicy reads a policy document into the typed form. It
// reports false when the typed form cannot express the document exactly:
// it has rules, another version, an event or property the typed form does
// not know, repeated approvers, or (unless allowDelegate) delegates.
func reviewFlowFromPolicy(raw []byte, allowDelegate bool) (reviewFlow, bool) {
	var p marketplace.Policy
	if err := json.Unmarshal(raw, &p); err != nil {
		return reviewFlow{}, false
	}
	if p.Version != marketplace.PolicyVersion || len(p.Rules) > 0 {
		return reviewFlow{}, false
	}
	var rf reviewFlow
	ev := p.DefaultEvent
	switch ev.Type {
	case marketplace.EventApprove:
		if ev.Params == nil {
			return reviewFlow{}, false
		}
		rf.AutoApprove = &autoApproval{Reason: ev.Params.Comment, Duration: ev.Params.Duration, DurationUnit: ev.Params.DurationUnit}
	case marketplace.EventRequestApproval:
		if ev.Params == nil {
			return reviewFlow{}, false
		}
		s := &stewardApproval{Mode: ev.Params.ApprovalMode}
		for _, a := range ev.Params.Approvers {
			switch a.Type {
			case marketplace.ApproverUser:
				s.UserIDs = append(s.UserIDs, a.ID)
			case marketplace.ApproverGroup:
				s.GroupIDs = append(s.GroupIDs, a.ID)
			case marketplace.ApproverAttribute:
				name, value, ok := strings.Cut(a.ID, ":")
				if !ok {
					return reviewFlow{}, false
				}
				s.Attributes = append(s.Attributes, attributeValue{Name: name, Value: value})
			case marketplace.ApproverPermission:
				s.Permissions = append(s.Permissions, a.ID)
			case marketplace.ApproverDomainPermission:
				s.DomainPermissions = append(s.DomainPermissions, a.ID)
			default:
				return reviewFlow{}, false
			}
		}
		s.sort()
		if s.hasRepeats() {
			return reviewFlow{}, false // a set cannot hold them
		}
		rf.RequireApproval = s
	case marketplace.EventDelegate:
		if !allowDelegate {
			return reviewFlow{}, false
		}
		rf.Delegate = true
	default:
		return reviewFlow{}, false
	}
	// The typed form is exact only if it renders the same document.
	if !policiesEquivalent(raw, rf.policyJSON(), true) {
		return reviewFlow{}, false
	}
	return rf, true
}

// hasRepeats reports whether a sorted approval names a source twice.
func (s *stewardApproval) hasRepeats() bool {
	for _, list := range [][]string{s.UserIDs, s.GroupIDs, s.Permissions, s.DomainPermissions} {
		if len(slices.Compact(slices.Clone(list))) != len(list) {
			return true
		}
	}
	return len(slices.Compact(slices.Clone(s.Attributes))) != len(s.Attributes)
}

func (s *stewardApproval) sort() {
	slices.Sort(s.UserIDs)
	slices.Sort(s.GroupIDs)
	slices.Sort(s.Permissions)
	slices.Sort(s.DomainPermissions)
	sort.Slice(s.Attributes, func(i, j int) bool {
		if s.Attributes[i].Name != s.Attributes[j].Name {
			return s.Attributes[i].Name < s.Attributes[j].Name
		}
		return s.Attributes[i].Value < s.Attributes[j].Value
	})
}

// policiesEquivalent compares two policy documents by meaning: key order,
// white space and number spelling do not matter, nor does a missing
// "rules" (the service fills in []). With approversAsSet, the order of the
// default event's approvers does not matter either (the typed form holds
// them as sets). Anything that is not JSON is equivalent to nothing.
func policiesEquivalent(a, b []byte, approversAsSet bool) bool {
	ca, okA := canonicalPolicy(a, approversAsSet)
	cb, okB := canonicalPolicy(b, approversAsSet)
	return okA && okB && reflect.DeepEqual(ca, cb)
}

func canonicalPolicy(raw []byte, approversAsSet bool) (any, bool) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&doc); err != nil || dec.More() {
		return nil, false
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return doc, true
	}
	if _, has := obj["rules"]; !has {
		obj["rules"] = []any{}
	}
	if !approversAsSet {
		return obj, true
	}
	if ev, ok := obj["defaultEvent"].(map[string]any); ok {
		if params, ok := ev["params"].(map[string]any); ok {
			if list, ok := params["approvers"].([]any); ok {
				sort.SliceStable(list, func(i, j int) bool {
					ki, _ := json.Marshal(list[i])
					kj, _ := json.Marshal(list[j])
					return string(ki) < string(kj)
				})
			}
		}
	}
	return obj, true
}

// canonicalJSON renders a JSON document as Terraform's jsonencode()
// does (sorted keys, no white space), so that a configuration written
// with jsonencode() matches what an import reads. Anything that is not
// JSON is returned as it is.
func canonicalJSON(raw []byte) string {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return string(raw)
	}
	out, err := json.Marshal(plainNumbers(doc))
	if err != nil {
		return string(raw)
	}
	return string(out)
}

// plainNumbers rewrites every number as jsonencode() writes it: in
// decimal, without exponent or trailing zeros (1.50 is 1.5, 1e3 is 1000).
func plainNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = plainNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = plainNumbers(e)
		}
	case json.Number:
		if f, ok := new(big.Float).SetPrec(512).SetString(x.String()); ok {
			return json.Number(f.Text('f', -1))
		}
	}
	return v
}

// policyToAttributes renders a policy document as a resource's
// review_flow and JSON attributes: in the JSON attribute when priorJSON
// (its value in the plan or prior state) is set, since the user chose
// it, keeping priorJSON's text when the document means the same; else
// in review_flow when the typed form expresses it exactly; else in the
// JSON attribute, as jsonencode() would write it.
func policyToAttributes(raw []byte, allowDelegate bool, priorJSON jsontypes.Normalized) (types.Object, jsontypes.Normalized, diag.Diagnostics) {
	userJSON := !priorJSON.IsNull() && !priorJSON.IsUnknown()
	if rf, typed := reviewFlowFromPolicy(raw, allowDelegate); typed && !userJSON {
		flow, diags := reviewFlowObject(&rf, allowDelegate)
		return flow, jsontypes.NewNormalizedNull(), diags
	}
	flow, diags := reviewFlowObject(nil, allowDelegate)
	if userJSON && policiesEquivalent([]byte(priorJSON.ValueString()), raw, false) {
		return flow, priorJSON, diags
	}
	return flow, jsontypes.NewNormalizedValue(canonicalJSON(raw)), diags
}

// policyToDataSourceAttributes renders a policy document for a data
// source: always as JSON, and also as review_flow when the typed form
// expresses it exactly.
func policyToDataSourceAttributes(raw []byte, allowDelegate bool) (types.Object, jsontypes.Normalized, diag.Diagnostics) {
	var rfp *reviewFlow
	if rf, typed := reviewFlowFromPolicy(raw, allowDelegate); typed {
		rfp = &rf
	}
	flow, diags := reviewFlowObject(rfp, allowDelegate)
	return flow, jsontypes.NewNormalizedValue(canonicalJSON(raw)), diags
}

// policyFromAttributes builds the policy document from a known plan:
// the JSON attribute when it is set, else the typed review flow.
func policyFromAttributes(ctx context.Context, flow types.Object, policyJSON jsontypes.Normalized) (json.RawMessage, diag.Diagnostics) {
	if !policyJSON.IsNull() && !policyJSON.IsUnknown() {
		return json.RawMessage(policyJSON.ValueString()), nil
	}
	if flow.IsNull() || flow.IsUnknown() {
		var diags diag.Diagnostics
		diags.AddError("Missing Review Flow", "Neither the typed review flow nor the policy JSON is set. This is a bug in the provider, please report it.")
		return nil, diags
	}
	rf, diags := reviewFlowFromObject(ctx, flow)
	return rf.policyJSON(), diags
}

// ---- Terraform schema and values ----

// reviewFlowOptions say where a review flow is used.
type reviewFlowOptions struct {
	// AllowDelegate offers delegate_to_data_product (request forms only).
	AllowDelegate bool
	// JSONAttribute names the sibling escape-hatch attribute, for the
	// descriptions.
	JSONAttribute string
}

var (
	lowerUUIDPattern  = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	groupIDPattern    = regexp.MustCompile(`^[0-9]+$`)
	permissionPattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	attributeNameRule = regexp.MustCompile(`^[^:]*$`)
)

// lowerUUIDValidator checks a UUID in the lower-case form the service
// stores, so that a value never differs from what is read back.
func lowerUUIDValidator() validator.String {
	return stringvalidator.RegexMatches(lowerUUIDPattern, "must be a lower-case UUID such as 123e4567-e89b-12d3-a456-426614174000")
}

var (
	autoApproveAttrTypes = map[string]attr.Type{
		"reason": types.StringType, "duration": types.Int64Type, "duration_unit": types.StringType,
	}
	approverAttributeAttrTypes = map[string]attr.Type{"name": types.StringType, "value": types.StringType}
	requireApprovalAttrTypes   = map[string]attr.Type{
		"approval_mode":      types.StringType,
		"user_ids":           types.SetType{ElemType: types.StringType},
		"group_ids":          types.SetType{ElemType: types.StringType},
		"attributes":         types.SetType{ElemType: types.ObjectType{AttrTypes: approverAttributeAttrTypes}},
		"permissions":        types.SetType{ElemType: types.StringType},
		"domain_permissions": types.SetType{ElemType: types.StringType},
	}
)

// reviewFlowAttrTypes is the object type of a review_flow attribute.
func reviewFlowAttrTypes(allowDelegate bool) map[string]attr.Type {
	t := map[string]attr.Type{
		"auto_approve":     types.ObjectType{AttrTypes: autoApproveAttrTypes},
		"require_approval": types.ObjectType{AttrTypes: requireApprovalAttrTypes},
	}
	if allowDelegate {
		t["delegate_to_data_product"] = types.BoolType
	}
	return t
}

// Descriptions shared by the resource and data source schemas.
const (
	autoApproveDescription = "Approve every request automatically, once the requester has accepted the data use agreements " +
		"and answered the required questions (the app's \"Auto approve\" and \"Auto approve with expiration\")."
	reasonDescription         = "Why requesters need no approval. Shown to requesters and recorded with each approval."
	durationDescription       = "How long access lasts before it expires, in `duration_unit`s (at least 1). Omit both `duration` and `duration_unit` for access that never expires."
	durationUnitDescription   = "The unit of `duration`: `HOURS`, `DAYS`, `WEEKS`, `MONTHS` or `YEARS`."
	requireApprovalDesc       = "Requests need the approval of data stewards (the app's \"Yes\" to \"require approval\"). Name the stewards by at least one source below."
	approvalModeDescription   = "`ALL`: a steward of every source listed must make a determination; if any denies, the request is denied, and temporary approvals grant the shortest duration given. `ANY`: one determination by a steward of any source decides."
	userIDsDescription        = "Stewards by user: global user ids (lower-case UUIDs), for example from the `immuta_user` data source."
	groupIDsDescription       = "Stewards by group: Immuta group ids, as strings (for example `\"12\"`)."
	attributesDescription     = "Stewards by user attribute: users holding the attribute `name` with the value `value`."
	permissionsDescription    = "Stewards by global Immuta permission, for example `GOVERNANCE`."
	domainPermissionsDesc     = "Stewards by domain permission, for example `MANAGE_DATA_PRODUCTS`: the steward must hold it in the data product's domain."
	delegateDescription       = "Set to `true` to let each data product that uses this form configure its own review flow (the app's \"Delegate to data product\"). `false` is not allowed: set another option instead."
	attributeNameDescription  = "The attribute's name (it cannot contain `:`)."
	attributeValueDescription = "The attribute's value."
)

func reviewFlowDescription(opts reviewFlowOptions) string {
	choices := "`auto_approve` or `require_approval`"
	if opts.AllowDelegate {
		choices = "`auto_approve`, `require_approval` or `delegate_to_data_product`"
	}
	return fmt.Sprintf("How requests are decided: set exactly one of %s. The provider turns it into the review-flow policy "+
		"document. For rules the typed form cannot say (conditions on the requester's answers), use `%s` instead. "+
		"When reading, a policy the typed form expresses exactly is shown here, otherwise in `%s`.", choices, opts.JSONAttribute, opts.JSONAttribute)
}

// reviewFlowResourceAttribute is the review_flow attribute of a resource.
func reviewFlowResourceAttribute(opts reviewFlowOptions) schema.SingleNestedAttribute {
	stringSet := func(desc string, elem ...validator.String) schema.SetAttribute {
		return schema.SetAttribute{
			MarkdownDescription: desc, ElementType: types.StringType, Optional: true,
			Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(elem...)},
		}
	}
	attrs := map[string]schema.Attribute{
		"auto_approve": schema.SingleNestedAttribute{
			MarkdownDescription: autoApproveDescription,
			Optional:            true,
			Attributes: map[string]schema.Attribute{
				"reason": schema.StringAttribute{
					MarkdownDescription: reasonDescription, Required: true,
					Validators: []validator.String{notBlankValidator()},
				},
				"duration": schema.Int64Attribute{
					MarkdownDescription: durationDescription, Optional: true,
					Validators: []validator.Int64{
						int64validator.AtLeast(1),
						int64validator.AlsoRequires(path.MatchRelative().AtParent().AtName("duration_unit")),
					},
				},
				"duration_unit": schema.StringAttribute{
					MarkdownDescription: durationUnitDescription, Optional: true,
					Validators: []validator.String{
						stringvalidator.OneOf(marketplace.DurationUnits...),
						stringvalidator.AlsoRequires(path.MatchRelative().AtParent().AtName("duration")),
					},
				},
			},
		},
		"require_approval": schema.SingleNestedAttribute{
			MarkdownDescription: requireApprovalDesc,
			Optional:            true,
			Validators:          []validator.Object{approverSourcesValidator{}},
			Attributes: map[string]schema.Attribute{
				"approval_mode": schema.StringAttribute{
					MarkdownDescription: approvalModeDescription, Required: true,
					Validators: []validator.String{stringvalidator.OneOf(marketplace.ApprovalModeAll, marketplace.ApprovalModeAny)},
				},
				"user_ids": stringSet(userIDsDescription, lowerUUIDValidator()),
				"group_ids": stringSet(groupIDsDescription,
					stringvalidator.RegexMatches(groupIDPattern, "must be an Immuta group id, digits only")),
				"attributes": schema.SetNestedAttribute{
					MarkdownDescription: attributesDescription, Optional: true,
					Validators: []validator.Set{setvalidator.SizeAtLeast(1)},
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
						"name": schema.StringAttribute{MarkdownDescription: attributeNameDescription, Required: true,
							Validators: []validator.String{notBlankValidator(),
								stringvalidator.RegexMatches(attributeNameRule, "must not contain \":\"")}},
						"value": schema.StringAttribute{MarkdownDescription: attributeValueDescription, Required: true,
							Validators: []validator.String{notBlankValidator()}},
					}},
				},
				"permissions": stringSet(permissionsDescription,
					stringvalidator.RegexMatches(permissionPattern, "must be an Immuta permission name such as GOVERNANCE")),
				"domain_permissions": stringSet(domainPermissionsDesc,
					stringvalidator.RegexMatches(permissionPattern, "must be a domain permission name such as MANAGE_DATA_PRODUCTS")),
			},
		},
	}
	if opts.AllowDelegate {
		attrs["delegate_to_data_product"] = schema.BoolAttribute{MarkdownDescription: delegateDescription, Optional: true}
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: reviewFlowDescription(opts),
		Optional:            true,
		Attributes:          attrs,
		Validators:          []validator.Object{reviewFlowChoiceValidator{allowDelegate: opts.AllowDelegate}},
	}
}

// reviewFlowDataSourceAttribute is the read-only review_flow attribute of
// a data source.
func reviewFlowDataSourceAttribute(opts reviewFlowOptions) dsschema.SingleNestedAttribute {
	str := func(desc string) dsschema.StringAttribute {
		return dsschema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	set := func(desc string) dsschema.SetAttribute {
		return dsschema.SetAttribute{MarkdownDescription: desc, Computed: true, ElementType: types.StringType}
	}
	attrs := map[string]dsschema.Attribute{
		"auto_approve": dsschema.SingleNestedAttribute{
			MarkdownDescription: autoApproveDescription, Computed: true,
			Attributes: map[string]dsschema.Attribute{
				"reason":        str(reasonDescription),
				"duration":      dsschema.Int64Attribute{MarkdownDescription: durationDescription, Computed: true},
				"duration_unit": str(durationUnitDescription),
			},
		},
		"require_approval": dsschema.SingleNestedAttribute{
			MarkdownDescription: requireApprovalDesc, Computed: true,
			Attributes: map[string]dsschema.Attribute{
				"approval_mode": str(approvalModeDescription),
				"user_ids":      set(userIDsDescription),
				"group_ids":     set(groupIDsDescription),
				"attributes": dsschema.SetNestedAttribute{
					MarkdownDescription: attributesDescription, Computed: true,
					NestedObject: dsschema.NestedAttributeObject{Attributes: map[string]dsschema.Attribute{
						"name": str(attributeNameDescription), "value": str(attributeValueDescription),
					}},
				},
				"permissions":        set(permissionsDescription),
				"domain_permissions": set(domainPermissionsDesc),
			},
		},
	}
	if opts.AllowDelegate {
		attrs["delegate_to_data_product"] = dsschema.BoolAttribute{MarkdownDescription: delegateDescription, Computed: true}
	}
	return dsschema.SingleNestedAttribute{
		MarkdownDescription: "How requests are decided, when the policy is one the typed form expresses exactly; otherwise null " +
			"and the policy is only in `" + opts.JSONAttribute + "`.",
		Computed:   true,
		Attributes: attrs,
	}
}

type autoApproveModel struct {
	Reason       types.String `tfsdk:"reason"`
	Duration     types.Int64  `tfsdk:"duration"`
	DurationUnit types.String `tfsdk:"duration_unit"`
}

type requireApprovalModel struct {
	ApprovalMode      types.String `tfsdk:"approval_mode"`
	UserIDs           types.Set    `tfsdk:"user_ids"`
	GroupIDs          types.Set    `tfsdk:"group_ids"`
	Attributes        types.Set    `tfsdk:"attributes"`
	Permissions       types.Set    `tfsdk:"permissions"`
	DomainPermissions types.Set    `tfsdk:"domain_permissions"`
}

type approverAttributeModel struct {
	Name  types.String `tfsdk:"name"`
	Value types.String `tfsdk:"value"`
}

// reviewFlowObject renders a flow as a review_flow value; nil is null.
func reviewFlowObject(rf *reviewFlow, allowDelegate bool) (types.Object, diag.Diagnostics) {
	attrTypes := reviewFlowAttrTypes(allowDelegate)
	if rf == nil {
		return types.ObjectNull(attrTypes), nil
	}
	var diags diag.Diagnostics
	values := map[string]attr.Value{
		"auto_approve":     types.ObjectNull(autoApproveAttrTypes),
		"require_approval": types.ObjectNull(requireApprovalAttrTypes),
	}
	if allowDelegate {
		values["delegate_to_data_product"] = types.BoolNull()
	}
	switch {
	case rf.AutoApprove != nil:
		a := rf.AutoApprove
		m := autoApproveModel{Reason: types.StringValue(a.Reason), Duration: types.Int64Null(), DurationUnit: types.StringNull()}
		if a.Duration > 0 {
			m.Duration, m.DurationUnit = types.Int64Value(a.Duration), types.StringValue(a.DurationUnit)
		}
		obj, d := types.ObjectValueFrom(context.Background(), autoApproveAttrTypes, m)
		diags.Append(d...)
		values["auto_approve"] = obj
	case rf.RequireApproval != nil:
		s := rf.RequireApproval
		m := requireApprovalModel{
			ApprovalMode:      types.StringValue(s.Mode),
			UserIDs:           stringSetOrNull(s.UserIDs, &diags),
			GroupIDs:          stringSetOrNull(s.GroupIDs, &diags),
			Attributes:        types.SetNull(types.ObjectType{AttrTypes: approverAttributeAttrTypes}),
			Permissions:       stringSetOrNull(s.Permissions, &diags),
			DomainPermissions: stringSetOrNull(s.DomainPermissions, &diags),
		}
		if len(s.Attributes) > 0 {
			list := make([]approverAttributeModel, len(s.Attributes))
			for i, a := range s.Attributes {
				list[i] = approverAttributeModel{Name: types.StringValue(a.Name), Value: types.StringValue(a.Value)}
			}
			set, d := types.SetValueFrom(context.Background(), types.ObjectType{AttrTypes: approverAttributeAttrTypes}, list)
			diags.Append(d...)
			m.Attributes = set
		}
		obj, d := types.ObjectValueFrom(context.Background(), requireApprovalAttrTypes, m)
		diags.Append(d...)
		values["require_approval"] = obj
	case rf.Delegate && allowDelegate:
		values["delegate_to_data_product"] = types.BoolValue(true)
	}
	obj, d := types.ObjectValue(attrTypes, values)
	diags.Append(d...)
	return obj, diags
}

// stringSetOrNull renders a list as a set, or null when it is empty (the
// schema does not admit empty sets, so that a value round-trips).
func stringSetOrNull(values []string, diags *diag.Diagnostics) types.Set {
	if len(values) == 0 {
		return types.SetNull(types.StringType)
	}
	set, d := types.SetValueFrom(context.Background(), types.StringType, values)
	diags.Append(d...)
	return set
}

// reviewFlowFromObject reads a known review_flow value. The caller
// checks that it is neither null nor unknown.
func reviewFlowFromObject(ctx context.Context, obj types.Object) (reviewFlow, diag.Diagnostics) {
	var diags diag.Diagnostics
	var rf reviewFlow
	attrs := obj.Attributes()
	if v, ok := attrs["auto_approve"].(types.Object); ok && !v.IsNull() && !v.IsUnknown() {
		var m autoApproveModel
		diags.Append(v.As(ctx, &m, basetypes.ObjectAsOptions{})...)
		rf.AutoApprove = &autoApproval{Reason: m.Reason.ValueString()}
		if !m.Duration.IsNull() {
			rf.AutoApprove.Duration, rf.AutoApprove.DurationUnit = m.Duration.ValueInt64(), m.DurationUnit.ValueString()
		}
	}
	if v, ok := attrs["require_approval"].(types.Object); ok && !v.IsNull() && !v.IsUnknown() {
		var m requireApprovalModel
		diags.Append(v.As(ctx, &m, basetypes.ObjectAsOptions{})...)
		s := &stewardApproval{Mode: m.ApprovalMode.ValueString()}
		for _, pair := range []struct {
			set types.Set
			dst *[]string
		}{{m.UserIDs, &s.UserIDs}, {m.GroupIDs, &s.GroupIDs}, {m.Permissions, &s.Permissions}, {m.DomainPermissions, &s.DomainPermissions}} {
			if !pair.set.IsNull() && !pair.set.IsUnknown() {
				diags.Append(pair.set.ElementsAs(ctx, pair.dst, false)...)
			}
		}
		if !m.Attributes.IsNull() && !m.Attributes.IsUnknown() {
			var list []approverAttributeModel
			diags.Append(m.Attributes.ElementsAs(ctx, &list, false)...)
			for _, a := range list {
				s.Attributes = append(s.Attributes, attributeValue{Name: a.Name.ValueString(), Value: a.Value.ValueString()})
			}
		}
		s.sort()
		rf.RequireApproval = s
	}
	if v, ok := attrs["delegate_to_data_product"].(types.Bool); ok && v.ValueBool() {
		rf.Delegate = true
	}
	return rf, diags
}

// reviewFlowChoiceValidator checks that exactly one way of deciding is
// set, and that delegate_to_data_product is not false.
type reviewFlowChoiceValidator struct{ allowDelegate bool }

func (v reviewFlowChoiceValidator) Description(context.Context) string {
	if v.allowDelegate {
		return "exactly one of auto_approve, require_approval and delegate_to_data_product must be set"
	}
	return "exactly one of auto_approve and require_approval must be set"
}

func (v reviewFlowChoiceValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v reviewFlowChoiceValidator) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	names := []string{"auto_approve", "require_approval"}
	if v.allowDelegate {
		names = append(names, "delegate_to_data_product")
	}
	attrs := req.ConfigValue.Attributes()
	var set []string
	for _, name := range names {
		value := attrs[name]
		if value == nil || value.IsUnknown() {
			return
		}
		if !value.IsNull() {
			set = append(set, name)
		}
	}
	if d, ok := attrs["delegate_to_data_product"].(types.Bool); ok && !d.IsNull() && !d.IsUnknown() && !d.ValueBool() {
		resp.Diagnostics.AddAttributeError(req.Path.AtName("delegate_to_data_product"), "Invalid Review Flow",
			fmt.Sprintf("Attribute %s.delegate_to_data_product can only be true. To decide in this form instead, set "+
				"auto_approve or require_approval and remove delegate_to_data_product.", req.Path))
		return
	}
	if len(set) != 1 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Review Flow",
			fmt.Sprintf("Attribute %s must set exactly one of %s; it sets %d.", req.Path, strings.Join(names, ", "), len(set)))
	}
}

// approverSourcesValidator checks that require_approval names at least
// one source of stewards.
type approverSourcesValidator struct{}

func (approverSourcesValidator) Description(context.Context) string {
	return "at least one of user_ids, group_ids, attributes, permissions and domain_permissions must be set"
}

func (v approverSourcesValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (approverSourcesValidator) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	attrs := req.ConfigValue.Attributes()
	for _, name := range []string{"user_ids", "group_ids", "attributes", "permissions", "domain_permissions"} {
		value := attrs[name]
		if value == nil || value.IsUnknown() || !value.IsNull() {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(req.Path, "No Data Stewards",
		fmt.Sprintf("Attribute %s names no data stewards: set at least one of user_ids, group_ids, attributes, "+
			"permissions or domain_permissions.", req.Path))
}

// policyDocumentValidator checks the outline of a policy document at plan
// time: an object with a version string and a defaultEvent object, and
// rules, if present, an array. The service checks the rest.
type policyDocumentValidator struct{}

func (policyDocumentValidator) Description(context.Context) string {
	return `must be a JSON object with "version" (a string), "defaultEvent" (an object) and optionally "rules" (an array)`
}

func (v policyDocumentValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v policyDocumentValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var doc struct {
		Version      *string          `json:"version"`
		Rules        *json.RawMessage `json:"rules"`
		DefaultEvent *json.RawMessage `json:"defaultEvent"`
	}
	problem := ""
	if err := json.Unmarshal([]byte(req.ConfigValue.ValueString()), &doc); err != nil {
		problem = "it is not a JSON object of that shape (" + err.Error() + ")"
	} else {
		var rules []json.RawMessage
		var event map[string]json.RawMessage
		switch {
		case doc.Version == nil:
			problem = `"version" is missing`
		case doc.DefaultEvent == nil || json.Unmarshal(*doc.DefaultEvent, &event) != nil || event == nil:
			problem = `"defaultEvent" is missing or not an object`
		case doc.Rules != nil && json.Unmarshal(*doc.Rules, &rules) != nil:
			problem = `"rules" is not an array`
		}
	}
	if problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Policy Document",
			fmt.Sprintf("Attribute %s %s: %s.", req.Path, v.Description(ctx), problem))
	}
}
