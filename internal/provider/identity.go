package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// idIdentityModel is the identity of every object the provider manages:
// its id, which never changes (a rename keeps it).
type idIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

// idIdentitySchema is the identity schema of a resource whose objects
// are known by their id.
func idIdentitySchema(kind string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       fmt.Sprintf("The %s's id, a UUID.", kind),
				RequiredForImport: true,
			},
		},
	}
}

// setIDIdentity records id as a resource's identity. Identity is nil
// when the resource has none to set (it is always offered to Terraform
// 1.12 and later, and ignored before).
func setIDIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, idIdentityModel{ID: types.StringValue(id)})
}

// resolveImport returns the id an import names: from the import block's
// identity (Terraform 1.12 and later), or from the import ID, an id or a
// name (see resolveImportID).
func resolveImport(ctx context.Context, req resource.ImportStateRequest, kind string,
	findByName func(ctx context.Context, name string) ([]marketplace.ObjectRef, error),
) (string, diag.Diagnostics) {
	if req.ID != "" || req.Identity == nil {
		return resolveImportID(ctx, req.ID, kind, findByName)
	}
	var identity idIdentityModel
	diags := req.Identity.Get(ctx, &identity)
	if diags.HasError() {
		return "", diags
	}
	id := strings.TrimSpace(identity.ID.ValueString())
	if !isUUID(id) {
		diags.AddAttributeError(path.Root("id"), "Invalid Import Identity",
			fmt.Sprintf("The identity of a %s is its id, a UUID; got %q. To import by name, use an import ID of the form %q instead.",
				kind, id, importNamePrefix+"<name>"))
		return "", diags
	}
	return strings.ToLower(id), diags
}

// importByID starts an imported resource's state and identity from its
// id; Read fills in the rest.
func importByID(ctx context.Context, id string, resp *resource.ImportStateResponse) {
	ctx = tflog.SetField(ctx, logFieldID, id) // the kind is set by ImportState
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
}
