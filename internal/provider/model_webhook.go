package provider

import (
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

// toInput builds the body of a create or an update. key is the signing
// key to send, or nil to leave it as it is.
func (m *webhookFields) toInput(key *string) marketplace.WebhookInput {
	return marketplace.WebhookInput{URL: m.URL.ValueString(), VerifyTLS: m.VerifyTLS.ValueBool(), SigningKey: key}
}
