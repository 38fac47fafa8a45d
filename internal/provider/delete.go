package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// Deletion: what a failed delete means, and the data product's deletion
// protection.

// deleteGone reports whether a failed delete means the object is gone
// from Terraform's point of view: a 404 for the object (deleted already),
// or a service without that DELETE endpoint, which gets a warning that the
// object still exists in the Marketplace.
func deleteGone(ctx context.Context, diags *diag.Diagnostics, kind, id string, err error) bool {
	var apiErr *marketplace.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	if apiErr.IsRouteMissing() {
		diags.AddWarning(fmt.Sprintf("The %s Was Not Deleted", titleCase(kind)),
			fmt.Sprintf("The Marketplace API offers no way to delete a %s (%s). Terraform no longer manages %s, "+
				"but it still exists in the Marketplace; delete it in the Marketplace app if it is no longer needed.",
				kind, apiErr.Error(), id))
		return true
	}
	if apiErr.StatusCode == http.StatusNotFound {
		tflog.Info(ctx, "Object already deleted", map[string]any{"kind": kind, "id": id})
		return true
	}
	return false
}
