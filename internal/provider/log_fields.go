package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// The log fields that name the object an operation is about. Every CRUD
// method of a resource (and ImportState), and the Read of a data source
// that names one object, sets them on its context first, so that every
// line the operation writes, the client's request and response lines
// included (they log with the same context), carries them: one search for
// immuta_id=<id> in a TF_LOG file follows one object.
const (
	// logFieldKind is the object's Terraform type, such as
	// immuta_data_product (the same for a resource and a data source).
	logFieldKind = "immuta_kind"
	// logFieldID is the object's id, once it is known.
	logFieldID = "immuta_id"
)

// The kinds, as logFieldKind holds them.
const (
	kindDataProduct      = "immuta_data_product"
	kindRequestForm      = "immuta_request_form"
	kindDataUseAgreement = "immuta_data_use_agreement"
	kindWebhook          = "immuta_webhook"
	kindDomain           = "immuta_domain" // a data source only
)

// logObject sets the log fields for the object of kind with id ("" while
// the id is not known yet: only the kind is set).
func logObject(ctx context.Context, kind, id string) context.Context {
	ctx = tflog.SetField(ctx, logFieldKind, kind)
	if id != "" {
		ctx = tflog.SetField(ctx, logFieldID, id)
	}
	return ctx
}
