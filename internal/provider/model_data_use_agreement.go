package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// dataUseAgreementFields are the attributes the data use agreement
// resource and data source share. Conversions to and from the API live
// here and nowhere else.
type dataUseAgreementFields struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	Body      types.String `tfsdk:"body"`
	CreatedAt types.String `tfsdk:"created_at"`
	CreatedBy types.String `tfsdk:"created_by"`
	UpdatedAt types.String `tfsdk:"updated_at"`
	UpdatedBy types.String `tfsdk:"updated_by"`
}

// fromAPI sets every attribute from the service's answer.
func (m *dataUseAgreementFields) fromAPI(a *marketplace.DataUseAgreement) {
	m.ID = types.StringValue(a.ID)
	m.Name = types.StringValue(a.Name)
	m.Body = types.StringValue(a.Body)
	m.CreatedAt = types.StringValue(a.CreatedAt)
	m.CreatedBy = types.StringValue(userRefID(a.CreatedBy))
	m.UpdatedAt = types.StringValue(a.UpdatedAt)
	m.UpdatedBy = types.StringValue(userRefID(a.UpdatedBy))
}

// toInput builds the create or update body.
func (m *dataUseAgreementFields) toInput() marketplace.DataUseAgreementInput {
	return marketplace.DataUseAgreementInput{
		ID:   m.ID.ValueString(),
		Name: m.Name.ValueString(),
		Body: m.Body.ValueString(),
	}
}

func userRefID(u *marketplace.UserRef) string {
	if u == nil {
		return ""
	}
	return u.GlobalUserID
}
