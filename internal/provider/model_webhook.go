package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// webhookFields are the attributes the webhook resource and data source
// share. Conversions from the API live here and nowhere else.
type webhookFields struct {
	ID            types.String `tfsdk:"id"`
	URL           types.String `tfsdk:"url"`
	VerifyTLS     types.Bool   `tfsdk:"verify_tls"`
	SigningKeySet types.Bool   `tfsdk:"signing_key_set"`
	Suppressed    types.Bool   `tfsdk:"suppressed"`
}

// fromAPI sets every attribute from the service's answer.
func (m *webhookFields) fromAPI(h *marketplace.Webhook) {
	m.ID = types.StringValue(h.ID)
	m.URL = types.StringValue(h.URL)
	m.VerifyTLS = types.BoolValue(h.TLSVerified())
	m.SigningKeySet = types.BoolValue(h.SigningKey)
	m.Suppressed = types.BoolValue(h.Suppressed)
}

// webhookURLValidator checks a webhook URL with the client's own rules.
type webhookURLValidator struct{}

func (webhookURLValidator) Description(context.Context) string {
	return "must be an https URL, or an http URL on a loopback host"
}

func (v webhookURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (webhookURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := marketplace.ValidateWebhookURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Webhook URL", err.Error())
	}
}
