package provider

import (
	"context"
	"slices"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// requestFormFields are the attributes the request form resource and data
// source share. Conversions to and from the API live here and nowhere
// else.
type requestFormFields struct {
	ID                  types.String         `tfsdk:"id"`
	Name                types.String         `tfsdk:"name"`
	Fields              types.List           `tfsdk:"field"`
	ReviewFlow          types.Object         `tfsdk:"review_flow"`
	PolicyJSON          jsontypes.Normalized `tfsdk:"policy_json"`
	DataUseAgreementIDs types.Set            `tfsdk:"data_use_agreement_ids"`
	Version             types.String         `tfsdk:"version"`
	CreatedAt           types.String         `tfsdk:"created_at"`
	CreatedBy           types.String         `tfsdk:"created_by"`
	UpdatedAt           types.String         `tfsdk:"updated_at"`
	UpdatedBy           types.String         `tfsdk:"updated_by"`
}

// formFieldModel is one element of the field list.
type formFieldModel struct {
	ID       types.String `tfsdk:"id"`
	Type     types.String `tfsdk:"type"`
	Label    types.String `tfsdk:"label"`
	Required types.Bool   `tfsdk:"required"`
	Options  types.List   `tfsdk:"options"`
}

var formFieldAttrTypes = map[string]attr.Type{
	"id": types.StringType, "type": types.StringType, "label": types.StringType,
	"required": types.BoolType, "options": types.ListType{ElemType: types.StringType},
}

// formFieldsType is the type of the field list.
var formFieldsType = types.ObjectType{AttrTypes: formFieldAttrTypes}

// requestFormReadMode says how fromAPI renders the policy.
type requestFormReadMode struct {
	// dataSource sets both review_flow (when typed) and policy_json.
	dataSource bool
	// priorJSON is the policy_json in the plan or prior state. When it is
	// set, the policy is read into policy_json (the user chose it), and
	// the prior text is kept when the service's document means the same.
	priorJSON jsontypes.Normalized
}

// fromAPI sets every attribute from the service's answer.
func (m *requestFormFields) fromAPI(f *marketplace.RequestForm, mode requestFormReadMode) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(f.ID)
	m.Name = types.StringValue(f.Name)

	fields := make([]formFieldModel, len(f.Fields))
	for i, fld := range f.Fields {
		fields[i] = formFieldModel{
			ID: types.StringValue(fld.ID), Type: types.StringValue(fld.Type), Label: types.StringValue(fld.Label),
			Required: types.BoolValue(fld.Required), Options: types.ListNull(types.StringType),
		}
		if marketplace.HasOptions(fld.Type) {
			values := make([]string, len(fld.Options))
			for j, o := range fld.Options {
				values[j] = o.Value
			}
			list, d := types.ListValueFrom(context.Background(), types.StringType, values)
			diags.Append(d...)
			fields[i].Options = list
		}
	}
	list, d := types.ListValueFrom(context.Background(), formFieldsType, fields)
	diags.Append(d...)
	m.Fields = list

	if mode.dataSource {
		m.ReviewFlow, m.PolicyJSON, d = policyToDataSourceAttributes(f.Policy, requestFormFlow)
	} else {
		m.ReviewFlow, m.PolicyJSON, d = policyToAttributes(f.Policy, requestFormFlow, mode.priorJSON)
	}
	diags.Append(d...)

	ids := make([]string, len(f.DataUseAgreements))
	for i, a := range f.DataUseAgreements {
		ids[i] = a.ID
	}
	set, d := types.SetValueFrom(context.Background(), types.StringType, ids)
	diags.Append(d...)
	m.DataUseAgreementIDs = set

	m.Version = types.StringValue(f.Version)
	m.CreatedAt = types.StringValue(f.CreatedAt)
	m.CreatedBy = types.StringValue(userRefID(f.CreatedBy))
	m.UpdatedAt = types.StringValue(f.UpdatedAt)
	m.UpdatedBy = types.StringValue(userRefID(f.UpdatedBy))
	return diags
}

// toInput builds the create or update body from a plan whose values are
// known. Fields that are new have unknown ids: each gets a new UUID
// here, since the service requires every field's id.
func (m *requestFormFields) toInput(ctx context.Context) (marketplace.RequestFormInput, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := marketplace.RequestFormInput{ID: m.ID.ValueString(), Name: m.Name.ValueString()}

	var fields []formFieldModel
	diags.Append(m.Fields.ElementsAs(ctx, &fields, false)...)
	for _, f := range fields {
		field := marketplace.RequestFormField{
			ID: f.ID.ValueString(), Type: f.Type.ValueString(), Label: f.Label.ValueString(), Required: f.Required.ValueBool(),
		}
		if f.ID.IsUnknown() || f.ID.IsNull() {
			field.ID = uuid.NewString()
		}
		if field.Type == marketplace.FieldAccessDuration && (f.Label.IsNull() || f.Label.IsUnknown()) {
			field.Label = marketplace.AccessDurationLabel
		}
		if !f.Options.IsNull() && !f.Options.IsUnknown() {
			var values []string
			diags.Append(f.Options.ElementsAs(ctx, &values, false)...)
			for _, v := range values {
				field.Options = append(field.Options, marketplace.FieldOption{Value: v})
			}
		}
		in.Fields = append(in.Fields, field)
	}

	policy, d := policyFromAttributes(ctx, m.ReviewFlow, m.PolicyJSON)
	diags.Append(d...)
	in.Policy = policy

	if !m.DataUseAgreementIDs.IsNull() && !m.DataUseAgreementIDs.IsUnknown() {
		diags.Append(m.DataUseAgreementIDs.ElementsAs(ctx, &in.DataUseAgreementIDs, false)...)
		slices.Sort(in.DataUseAgreementIDs)
	}
	return in, diags
}
