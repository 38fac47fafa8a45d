package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// importNamePrefix forces a lookup by name, for names that look like ids.
const importNamePrefix = "name:"

// resolveImportID turns an import ID into the object's id. A UUID is used
// as it is (unless prefixed with "name:"); anything else is an exact name,
// looked up with findByName. No match or several matches is an error that
// says which.
func resolveImportID(ctx context.Context, raw, kind string,
	findByName func(ctx context.Context, name string) ([]marketplace.ObjectRef, error),
) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	raw = strings.TrimSpace(raw)
	name, byName := strings.CutPrefix(raw, importNamePrefix)
	if !byName {
		if isUUID(raw) {
			return strings.ToLower(raw), nil
		}
		name = raw
	}
	if name == "" {
		diags.AddError("Invalid Import ID",
			fmt.Sprintf("Import a %s by its id (a UUID) or by its exact name, as %q or %q.", kind, "<id>", importNamePrefix+"<name>"))
		return "", diags
	}
	found, err := findByName(ctx, name)
	if err != nil {
		addAPIError(&diags, "Unable to Import "+titleCase(kind), fmt.Sprintf("Looking up the %s named %q", kind, name), err)
		return "", diags
	}
	switch len(found) {
	case 1:
		return found[0].ID, nil
	case 0:
		diags.AddError("Cannot Import Non-Existent Object",
			fmt.Sprintf("No %s is named exactly %q. Names are case-sensitive; import by id (a UUID) if the name is unknown.", kind, name))
	default:
		ids := make([]string, len(found))
		for i, f := range found {
			ids[i] = f.ID
		}
		diags.AddError("Ambiguous Import Name",
			fmt.Sprintf("%d objects of kind %s are named %q (ids %s). Import one of them by id.", len(found), kind, name, strings.Join(ids, ", ")))
	}
	return "", diags
}
