package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// Deletion: what a failed delete means, and the data product's deletion
// protection.
//
// A delete that meets 404 has nothing left to do: the object is gone. A
// service without the DELETE endpoint gets a warning, and the object
// leaves state (it still exists in the Marketplace). Deleting a data
// product revokes every access granted through it, so deletion_protection
// (on by default, a Terraform setting never sent to the service) refuses
// it both at plan time (ModifyPlan) and at apply time (Delete).

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
		tflog.Info(ctx, "Object already deleted")
		return true
	}
	return false
}

// deleteObject deletes the object id of kind with del, and returns nil
// once it is gone: deleted now, or already (see deleteGone); otherwise
// del's error, for the caller to report. The write time is forgotten
// first (see forgetWritten), and the create journal (nil for a kind never
// journaled) settled once the object is gone.
func deleteObject(ctx context.Context, resp *resource.DeleteResponse, journal *createJournal, kind, id string,
	del func(context.Context, string) error,
) error {
	resp.Diagnostics.Append(forgetWritten(ctx, resp.Private)...)
	err := del(ctx, id)
	if err == nil || deleteGone(ctx, &resp.Diagnostics, kind, id, err) {
		journal.settle(ctx, id)
		return nil
	}
	return err
}

// deletionRevokesAccess says what deleting a data product does, for the
// deletion_protection error and documentation.
const deletionRevokesAccess = "Deleting a data product revokes every access granted through it, and every masking " +
	"exception granted through it, and cannot be undone."

// deletionProtectedMessage explains why a protected product is not
// destroyed, and how to destroy it.
func deletionProtectedMessage(name, id string) string {
	return fmt.Sprintf("Terraform will not destroy data product %q (%s) because its deletion_protection is true. %s\n\n"+
		"To delete it, set deletion_protection = false, run terraform apply, then destroy it. To revoke access in a way "+
		"that can be resumed instead, set suspended = true.", name, id, deletionRevokesAccess)
}
