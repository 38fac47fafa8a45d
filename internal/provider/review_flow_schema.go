package provider

// The review_flow attribute: its schema, its plan-time validation, and
// the conversion between its Terraform value and the typed reviewFlow.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
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

// policyToAttributes renders a policy document as a resource's
// review_flow and JSON attributes: in the JSON attribute when priorJSON
// (its value in the plan or prior state) is set, since the user chose
// it, keeping priorJSON's text when the document means the same; else
// in review_flow when the typed form expresses it exactly; else in the
// JSON attribute, as jsonencode() would write it. requestForm says the
// document is a request form's (false: a data product's own flow).
func policyToAttributes(raw []byte, requestForm bool, priorJSON jsontypes.Normalized) (types.Object, jsontypes.Normalized, diag.Diagnostics) {
	userJSON := !priorJSON.IsNull() && !priorJSON.IsUnknown()
	if rf, typed := reviewFlowFromPolicy(raw, requestForm); typed && !userJSON {
		flow, diags := reviewFlowObject(&rf, requestForm)
		return flow, jsontypes.NewNormalizedNull(), diags
	}
	flow, diags := reviewFlowObject(nil, requestForm)
	if userJSON && policiesEquivalent([]byte(priorJSON.ValueString()), raw, policyComparePlain) {
		return flow, priorJSON, diags
	}
	return flow, jsontypes.NewNormalizedValue(canonicalJSON(raw)), diags
}

// policyToDataSourceAttributes renders a policy document for a data
// source: always as JSON, and also as review_flow when the typed form
// expresses it exactly.
func policyToDataSourceAttributes(raw []byte, requestForm bool) (types.Object, jsontypes.Normalized, diag.Diagnostics) {
	var rfp *reviewFlow
	if rf, typed := reviewFlowFromPolicy(raw, requestForm); typed {
		rfp = &rf
	}
	flow, diags := reviewFlowObject(rfp, requestForm)
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

// reviewFlowOptions say where a review flow is used.
type reviewFlowOptions struct {
	// RequestForm offers auto_deny and delegate_to_data_product; a data
	// product's own flow has neither.
	RequestForm bool
	// JSONAttribute names the sibling escape-hatch attribute, for the
	// descriptions.
	JSONAttribute string
}

// lowerUUIDValidator checks a UUID in the lower-case form the service
// stores, so that a value never differs from what is read back.
func lowerUUIDValidator() validator.String {
	return stringvalidator.RegexMatches(lowerCaseUUIDPattern, "must be a lower-case UUID such as 123e4567-e89b-12d3-a456-426614174000")
}

var (
	autoApproveAttrTypes = map[string]attr.Type{
		"reason": types.StringType, "duration": types.Int64Type, "duration_unit": types.StringType,
	}
	autoDenyAttrTypes          = map[string]attr.Type{"reason": types.StringType}
	groupApproverAttrTypes     = map[string]attr.Type{"name": types.StringType, "id": types.Int64Type}
	domainPermissionAttrTypes  = map[string]attr.Type{"permission": types.StringType, "domain_id": types.StringType}
	attributeApproverAttrTypes = map[string]attr.Type{"key": types.StringType, "value": types.StringType}
	stageAttrTypes             = map[string]attr.Type{
		"approval_mode":      types.StringType,
		"user_ids":           types.SetType{ElemType: types.StringType},
		"groups":             types.SetType{ElemType: types.ObjectType{AttrTypes: groupApproverAttrTypes}},
		"permissions":        types.SetType{ElemType: types.StringType},
		"domain_permissions": types.SetType{ElemType: types.ObjectType{AttrTypes: domainPermissionAttrTypes}},
		"attributes":         types.SetType{ElemType: types.ObjectType{AttrTypes: attributeApproverAttrTypes}},
		"catalog_permission": types.BoolType,
	}
	reviewAttrTypes = map[string]attr.Type{
		"stages": types.ListType{ElemType: types.ObjectType{AttrTypes: stageAttrTypes}},
	}
)

// stageApproverAttributes are a stage's approver sets; at least one must
// be set.
var stageApproverAttributes = []string{"user_ids", "groups", "permissions", "domain_permissions", "attributes", "catalog_permission"}

// reviewFlowAttrTypes is the object type of a review_flow attribute.
func reviewFlowAttrTypes(requestForm bool) map[string]attr.Type {
	t := map[string]attr.Type{
		"auto_approve": types.ObjectType{AttrTypes: autoApproveAttrTypes},
		"review":       types.ObjectType{AttrTypes: reviewAttrTypes},
	}
	if requestForm {
		t["auto_deny"] = types.ObjectType{AttrTypes: autoDenyAttrTypes}
		t["delegate_to_data_product"] = types.BoolType
	}
	return t
}

// reviewFlowChoices are the attributes of review_flow of which exactly
// one is set.
func reviewFlowChoices(requestForm bool) []string {
	if requestForm {
		return []string{"auto_approve", "auto_deny", "review", "delegate_to_data_product"}
	}
	return []string{"auto_approve", "review"}
}

// Descriptions shared by the resource and data source schemas.
const (
	autoApproveDescription = "Approve every request automatically, once the requester has accepted the data use agreements " +
		"and answered the required questions (the app's \"Auto approve\" and \"Auto approve with expiration\")."
	reasonDescription       = "Why requesters need no approval. Shown to requesters and recorded with each approval."
	durationDescription     = "How long access lasts before it expires, in `duration_unit`s (at least 1). Omit both `duration` and `duration_unit` for access that never expires."
	durationUnitDescription = "The unit of `duration`: `HOURS`, `DAYS`, `WEEKS`, `MONTHS` or `YEARS`."
	autoDenyDescription     = "Deny every request automatically."
	denyReasonDescription   = "Why requests are denied. Shown to requesters."
	reviewDescription       = "Requests need the decision of approvers, in one or more stages: a request moves to the next stage " +
		"once its stage approves it, and is denied as soon as a stage denies it."
	stagesDescription = "The stages, in order; at least one. Each stage names at least one approver, by any of the sets below."
	modeDescription   = "`all`: every approver of the stage must approve. `any`: one approver of the stage decides."
	userIDsDesc       = "Approvers by user: global user ids (lower-case UUIDs), for example from the `immuta_user` data source."
	groupsDesc        = "Approvers by group: the members of each group, named by `name` and, optionally, the Immuta group `id`."
	groupNameDesc     = "The group's name."
	groupIDDesc       = "The group's Immuta id (a number). Optional."
	permissionsDesc   = "Approvers by global Immuta permission: `GOVERNANCE`, `USER_ADMIN` or `AUDIT`."
	domainPermsDesc   = "Approvers by domain permission: users who hold `permission` in the data product's domain, or in `domain_id`'s domain."
	domainPermDesc    = "The domain permission, spelled as the Marketplace spells it: `Manage Policies`, `Audit Activity`, `Manage Data Products` or `Manage Identifiers`."
	domainIDDesc      = "The domain (a lower-case UUID) in which the permission counts. Optional: by default, the data product's domain."
	attributesDesc    = "Approvers by user attribute: users holding the attribute `key` with the value `value`."
	attributeKeyDesc  = "The attribute's name."
	attributeValDesc  = "The attribute's value."
	catalogPermDesc   = "Set to `true` to make users with the catalog permission approvers. `false` is not allowed: leave it out."
	delegateDesc      = "Set to `true` to let each data product that uses this form decide with its own review flow (the app's " +
		"\"Delegate to data product\"). `false` is not allowed: set another option instead."
)

func reviewFlowDescription(opts reviewFlowOptions) string {
	choices := "`auto_approve` or `review`"
	if opts.RequestForm {
		choices = "`auto_approve`, `auto_deny`, `review` or `delegate_to_data_product`"
	}
	return fmt.Sprintf("How requests are decided: set exactly one of %s. The provider turns it into the review-flow policy "+
		"document. For rules the typed form cannot say (conditions on the requester's answers), use `%s` instead. "+
		"When reading, a policy the typed form expresses exactly is shown here, otherwise in `%s`.", choices, opts.JSONAttribute, opts.JSONAttribute)
}

// reviewFlowResourceAttribute is the review_flow attribute of a resource.
func reviewFlowResourceAttribute(opts reviewFlowOptions) schema.SingleNestedAttribute { //nolint:funlen // schema definition
	reason := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Required: true, Validators: []validator.String{notBlankValidator()}}
	}
	stage := schema.NestedAttributeObject{
		Validators: []validator.Object{stageApproversValidator{}},
		Attributes: map[string]schema.Attribute{
			"approval_mode": schema.StringAttribute{
				MarkdownDescription: modeDescription, Required: true,
				Validators: []validator.String{stringvalidator.OneOf(marketplace.StageAll, marketplace.StageAny)},
			},
			"user_ids": schema.SetAttribute{
				MarkdownDescription: userIDsDesc, ElementType: types.StringType, Optional: true,
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(lowerUUIDValidator())},
			},
			"groups": schema.SetNestedAttribute{
				MarkdownDescription: groupsDesc, Optional: true,
				Validators: []validator.Set{setvalidator.SizeAtLeast(1)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name": schema.StringAttribute{MarkdownDescription: groupNameDesc, Required: true, Validators: []validator.String{notBlankValidator()}},
					"id":   schema.Int64Attribute{MarkdownDescription: groupIDDesc, Optional: true, Validators: []validator.Int64{int64validator.AtLeast(0)}},
				}},
			},
			"permissions": schema.SetAttribute{
				MarkdownDescription: permissionsDesc, ElementType: types.StringType, Optional: true,
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(stringvalidator.OneOf(marketplace.GlobalPermissions...))},
			},
			"domain_permissions": schema.SetNestedAttribute{
				MarkdownDescription: domainPermsDesc, Optional: true,
				Validators: []validator.Set{setvalidator.SizeAtLeast(1)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"permission": schema.StringAttribute{MarkdownDescription: domainPermDesc, Required: true,
						Validators: []validator.String{stringvalidator.OneOf(marketplace.DomainPermissions...)}},
					"domain_id": schema.StringAttribute{MarkdownDescription: domainIDDesc, Optional: true,
						Validators: []validator.String{lowerUUIDValidator()}},
				}},
			},
			"attributes": schema.SetNestedAttribute{
				MarkdownDescription: attributesDesc, Optional: true,
				Validators: []validator.Set{setvalidator.SizeAtLeast(1)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"key":   schema.StringAttribute{MarkdownDescription: attributeKeyDesc, Required: true, Validators: []validator.String{notBlankValidator()}},
					"value": schema.StringAttribute{MarkdownDescription: attributeValDesc, Required: true, Validators: []validator.String{notBlankValidator()}},
				}},
			},
			"catalog_permission": schema.BoolAttribute{MarkdownDescription: catalogPermDesc, Optional: true},
		},
	}
	attrs := map[string]schema.Attribute{
		"auto_approve": schema.SingleNestedAttribute{
			MarkdownDescription: autoApproveDescription,
			Optional:            true,
			Attributes: map[string]schema.Attribute{
				"reason": reason(reasonDescription),
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
		"review": schema.SingleNestedAttribute{
			MarkdownDescription: reviewDescription,
			Optional:            true,
			Attributes: map[string]schema.Attribute{
				"stages": schema.ListNestedAttribute{
					MarkdownDescription: stagesDescription, Required: true,
					Validators:   []validator.List{listvalidator.SizeAtLeast(1)},
					NestedObject: stage,
				},
			},
		},
	}
	if opts.RequestForm {
		attrs["auto_deny"] = schema.SingleNestedAttribute{
			MarkdownDescription: autoDenyDescription,
			Optional:            true,
			Attributes:          map[string]schema.Attribute{"reason": reason(denyReasonDescription)},
		}
		attrs["delegate_to_data_product"] = schema.BoolAttribute{MarkdownDescription: delegateDesc, Optional: true}
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: reviewFlowDescription(opts),
		Optional:            true,
		Attributes:          attrs,
		Validators:          []validator.Object{reviewFlowChoiceValidator{requestForm: opts.RequestForm}},
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
	objects := func(desc string, attrs map[string]dsschema.Attribute) dsschema.SetNestedAttribute {
		return dsschema.SetNestedAttribute{MarkdownDescription: desc, Computed: true, NestedObject: dsschema.NestedAttributeObject{Attributes: attrs}}
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
		"review": dsschema.SingleNestedAttribute{
			MarkdownDescription: reviewDescription, Computed: true,
			Attributes: map[string]dsschema.Attribute{
				"stages": dsschema.ListNestedAttribute{
					MarkdownDescription: stagesDescription, Computed: true,
					NestedObject: dsschema.NestedAttributeObject{Attributes: map[string]dsschema.Attribute{
						"approval_mode": str(modeDescription),
						"user_ids":      set(userIDsDesc),
						"groups": objects(groupsDesc, map[string]dsschema.Attribute{
							"name": str(groupNameDesc), "id": dsschema.Int64Attribute{MarkdownDescription: groupIDDesc, Computed: true},
						}),
						"permissions": set(permissionsDesc),
						"domain_permissions": objects(domainPermsDesc, map[string]dsschema.Attribute{
							"permission": str(domainPermDesc), "domain_id": str(domainIDDesc),
						}),
						"attributes": objects(attributesDesc, map[string]dsschema.Attribute{
							"key": str(attributeKeyDesc), "value": str(attributeValDesc),
						}),
						"catalog_permission": dsschema.BoolAttribute{MarkdownDescription: catalogPermDesc, Computed: true},
					}},
				},
			},
		},
	}
	if opts.RequestForm {
		attrs["auto_deny"] = dsschema.SingleNestedAttribute{
			MarkdownDescription: autoDenyDescription, Computed: true,
			Attributes: map[string]dsschema.Attribute{"reason": str(denyReasonDescription)},
		}
		attrs["delegate_to_data_product"] = dsschema.BoolAttribute{MarkdownDescription: delegateDesc, Computed: true}
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

type autoDenyModel struct {
	Reason types.String `tfsdk:"reason"`
}

type reviewModel struct {
	Stages types.List `tfsdk:"stages"`
}

type stageModel struct {
	ApprovalMode      types.String `tfsdk:"approval_mode"`
	UserIDs           types.Set    `tfsdk:"user_ids"`
	Groups            types.Set    `tfsdk:"groups"`
	Permissions       types.Set    `tfsdk:"permissions"`
	DomainPermissions types.Set    `tfsdk:"domain_permissions"`
	Attributes        types.Set    `tfsdk:"attributes"`
	CatalogPermission types.Bool   `tfsdk:"catalog_permission"`
}

type groupApproverModel struct {
	Name types.String `tfsdk:"name"`
	ID   types.Int64  `tfsdk:"id"`
}

type domainPermissionModel struct {
	Permission types.String `tfsdk:"permission"`
	DomainID   types.String `tfsdk:"domain_id"`
}

type attributeApproverModel struct {
	Key   types.String `tfsdk:"key"`
	Value types.String `tfsdk:"value"`
}

// reviewFlowObject renders a flow as a review_flow value; nil is null.
func reviewFlowObject(rf *reviewFlow, requestForm bool) (types.Object, diag.Diagnostics) {
	attrTypes := reviewFlowAttrTypes(requestForm)
	if rf == nil {
		return types.ObjectNull(attrTypes), nil
	}
	ctx := context.Background()
	var diags diag.Diagnostics
	values := map[string]attr.Value{
		"auto_approve": types.ObjectNull(autoApproveAttrTypes),
		"review":       types.ObjectNull(reviewAttrTypes),
	}
	if requestForm {
		values["auto_deny"] = types.ObjectNull(autoDenyAttrTypes)
		values["delegate_to_data_product"] = types.BoolNull()
	}
	switch {
	case rf.AutoApprove != nil:
		a := rf.AutoApprove
		m := autoApproveModel{Reason: types.StringValue(a.Reason), Duration: types.Int64Null(), DurationUnit: types.StringNull()}
		if a.Duration > 0 {
			m.Duration, m.DurationUnit = types.Int64Value(a.Duration), types.StringValue(a.DurationUnit)
		}
		obj, d := types.ObjectValueFrom(ctx, autoApproveAttrTypes, m)
		diags.Append(d...)
		values["auto_approve"] = obj
	case rf.AutoDeny != nil && requestForm:
		obj, d := types.ObjectValueFrom(ctx, autoDenyAttrTypes, autoDenyModel{Reason: types.StringValue(rf.AutoDeny.Reason)})
		diags.Append(d...)
		values["auto_deny"] = obj
	case rf.Review != nil:
		stages := make([]stageModel, len(rf.Review.Stages))
		for i, s := range rf.Review.Stages {
			stages[i] = stageValue(s, &diags)
		}
		list, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: stageAttrTypes}, stages)
		diags.Append(d...)
		obj, d := types.ObjectValueFrom(ctx, reviewAttrTypes, reviewModel{Stages: list})
		diags.Append(d...)
		values["review"] = obj
	case rf.Delegate && requestForm:
		values["delegate_to_data_product"] = types.BoolValue(true)
	}
	obj, d := types.ObjectValue(attrTypes, values)
	diags.Append(d...)
	return obj, diags
}

// stageValue renders a stage; empty sets are null and catalog_permission
// false is null (the schema admits neither, so that a value round-trips).
func stageValue(s reviewStage, diags *diag.Diagnostics) stageModel {
	ctx := context.Background()
	m := stageModel{
		ApprovalMode:      types.StringValue(s.Mode),
		UserIDs:           stringSetOrNull(s.UserIDs, diags),
		Groups:            types.SetNull(types.ObjectType{AttrTypes: groupApproverAttrTypes}),
		Permissions:       stringSetOrNull(s.Permissions, diags),
		DomainPermissions: types.SetNull(types.ObjectType{AttrTypes: domainPermissionAttrTypes}),
		Attributes:        types.SetNull(types.ObjectType{AttrTypes: attributeApproverAttrTypes}),
		CatalogPermission: types.BoolNull(),
	}
	if s.CatalogPermission {
		m.CatalogPermission = types.BoolValue(true)
	}
	if len(s.Groups) > 0 {
		list := make([]groupApproverModel, len(s.Groups))
		for i, g := range s.Groups {
			list[i] = groupApproverModel{Name: types.StringValue(g.Name), ID: types.Int64PointerValue(g.ID)}
		}
		set, d := types.SetValueFrom(ctx, types.ObjectType{AttrTypes: groupApproverAttrTypes}, list)
		diags.Append(d...)
		m.Groups = set
	}
	if len(s.DomainPermissions) > 0 {
		list := make([]domainPermissionModel, len(s.DomainPermissions))
		for i, p := range s.DomainPermissions {
			list[i] = domainPermissionModel{Permission: types.StringValue(p.Permission), DomainID: types.StringNull()}
			if p.DomainID != "" {
				list[i].DomainID = types.StringValue(p.DomainID)
			}
		}
		set, d := types.SetValueFrom(ctx, types.ObjectType{AttrTypes: domainPermissionAttrTypes}, list)
		diags.Append(d...)
		m.DomainPermissions = set
	}
	if len(s.Attributes) > 0 {
		list := make([]attributeApproverModel, len(s.Attributes))
		for i, a := range s.Attributes {
			list[i] = attributeApproverModel{Key: types.StringValue(a.Key), Value: types.StringValue(a.Value)}
		}
		set, d := types.SetValueFrom(ctx, types.ObjectType{AttrTypes: attributeApproverAttrTypes}, list)
		diags.Append(d...)
		m.Attributes = set
	}
	return m
}

// reviewFlowFromObject reads a known review_flow value. The caller
// checks that it is neither null nor unknown.
func reviewFlowFromObject(ctx context.Context, obj types.Object) (reviewFlow, diag.Diagnostics) {
	var diags diag.Diagnostics
	var rf reviewFlow
	attrs := obj.Attributes()
	if v, ok := attrs["auto_approve"].(types.Object); ok && known(v) {
		var m autoApproveModel
		diags.Append(v.As(ctx, &m, basetypes.ObjectAsOptions{})...)
		rf.AutoApprove = &autoApproval{Reason: m.Reason.ValueString()}
		if !m.Duration.IsNull() {
			rf.AutoApprove.Duration, rf.AutoApprove.DurationUnit = m.Duration.ValueInt64(), m.DurationUnit.ValueString()
		}
	}
	if v, ok := attrs["auto_deny"].(types.Object); ok && known(v) {
		var m autoDenyModel
		diags.Append(v.As(ctx, &m, basetypes.ObjectAsOptions{})...)
		rf.AutoDeny = &autoDenial{Reason: m.Reason.ValueString()}
	}
	if v, ok := attrs["review"].(types.Object); ok && known(v) {
		var m reviewModel
		diags.Append(v.As(ctx, &m, basetypes.ObjectAsOptions{})...)
		var stages []stageModel
		if known(m.Stages) {
			diags.Append(m.Stages.ElementsAs(ctx, &stages, false)...)
		}
		rf.Review = &review{}
		for _, sm := range stages {
			rf.Review.Stages = append(rf.Review.Stages, stageFromModel(ctx, sm, &diags))
		}
	}
	if v, ok := attrs["delegate_to_data_product"].(types.Bool); ok && v.ValueBool() {
		rf.Delegate = true
	}
	return rf, diags
}

func stageFromModel(ctx context.Context, m stageModel, diags *diag.Diagnostics) reviewStage {
	s := reviewStage{Mode: m.ApprovalMode.ValueString(), CatalogPermission: m.CatalogPermission.ValueBool()}
	if known(m.UserIDs) {
		diags.Append(m.UserIDs.ElementsAs(ctx, &s.UserIDs, false)...)
	}
	if known(m.Permissions) {
		diags.Append(m.Permissions.ElementsAs(ctx, &s.Permissions, false)...)
	}
	if known(m.Groups) {
		var list []groupApproverModel
		diags.Append(m.Groups.ElementsAs(ctx, &list, false)...)
		for _, g := range list {
			s.Groups = append(s.Groups, groupApprover{Name: g.Name.ValueString(), ID: g.ID.ValueInt64Pointer()})
		}
	}
	if known(m.DomainPermissions) {
		var list []domainPermissionModel
		diags.Append(m.DomainPermissions.ElementsAs(ctx, &list, false)...)
		for _, p := range list {
			s.DomainPermissions = append(s.DomainPermissions, domainPermission{Permission: p.Permission.ValueString(), DomainID: p.DomainID.ValueString()})
		}
	}
	if known(m.Attributes) {
		var list []attributeApproverModel
		diags.Append(m.Attributes.ElementsAs(ctx, &list, false)...)
		for _, a := range list {
			s.Attributes = append(s.Attributes, attributeValue{Key: a.Key.ValueString(), Value: a.Value.ValueString()})
		}
	}
	s.sort()
	return s
}

// reviewFlowChoiceValidator checks that exactly one way of deciding is
// set, and that delegate_to_data_product is not false.
type reviewFlowChoiceValidator struct{ requestForm bool }

func (v reviewFlowChoiceValidator) Description(context.Context) string {
	return "exactly one of " + strings.Join(reviewFlowChoices(v.requestForm), ", ") + " must be set"
}

func (v reviewFlowChoiceValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v reviewFlowChoiceValidator) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	names := reviewFlowChoices(v.requestForm)
	attrs := req.ConfigValue.Attributes()
	if d, ok := attrs["delegate_to_data_product"].(types.Bool); ok && !d.IsNull() && !d.IsUnknown() && !d.ValueBool() {
		resp.Diagnostics.AddAttributeError(req.Path.AtName("delegate_to_data_product"), "Invalid Review Flow",
			fmt.Sprintf("Attribute %s.delegate_to_data_product can only be true. To decide in this form instead, set "+
				"auto_approve, auto_deny or review and remove delegate_to_data_product.", req.Path))
		return
	}
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
	if len(set) != 1 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Review Flow",
			fmt.Sprintf("Attribute %s must set exactly one of %s; it sets %d.", req.Path, strings.Join(names, ", "), len(set)))
	}
}

// stageApproversValidator checks that a review stage names at least one
// approver, and that catalog_permission is not false.
type stageApproversValidator struct{}

func (stageApproversValidator) Description(context.Context) string {
	return "at least one of " + strings.Join(stageApproverAttributes, ", ") + " must be set"
}

func (v stageApproversValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (stageApproversValidator) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	attrs := req.ConfigValue.Attributes()
	if c, ok := attrs["catalog_permission"].(types.Bool); ok && known(c) && !c.ValueBool() {
		resp.Diagnostics.AddAttributeError(req.Path.AtName("catalog_permission"), "Invalid Approver",
			fmt.Sprintf("Attribute %s.catalog_permission can only be true; leave it out for no catalog permission approver.", req.Path))
		return
	}
	for _, name := range stageApproverAttributes {
		value := attrs[name]
		if value == nil || value.IsUnknown() || !value.IsNull() {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(req.Path, "No Approvers",
		fmt.Sprintf("Attribute %s names no approvers: set at least one of %s.", req.Path, strings.Join(stageApproverAttributes, ", ")))
}
