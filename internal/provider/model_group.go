package provider

import (
	"cmp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// groupModel is an Immuta group in the list of immuta_groups.
// Conversions from the API live here.
type groupModel struct {
	ID    types.Int64  `tfsdk:"id"`
	IAMID types.String `tfsdk:"iam_id"`
	Name  types.String `tfsdk:"name"`
	Email types.String `tfsdk:"email"`
}

func groupFromAPI(g marketplace.Group) groupModel {
	return groupModel{
		ID:    types.Int64Value(g.ID),
		IAMID: types.StringValue(g.IAMID),
		Name:  types.StringValue(g.Name),
		Email: types.StringValue(g.Email),
	}
}

// groupListAttributes describe one group of a computed list.
func groupListAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":     schema.Int64Attribute{MarkdownDescription: "The group's id.", Computed: true},
		"iam_id": schema.StringAttribute{MarkdownDescription: "The id of the identity manager the group comes from, such as `bim` or `okta`.", Computed: true},
		"name":   schema.StringAttribute{MarkdownDescription: "The group's name.", Computed: true},
		"email":  schema.StringAttribute{MarkdownDescription: "The group's email address.", Computed: true},
	}
}

// groupFilter selects groups on the provider's side. Empty fields match
// everything.
type groupFilter struct {
	// Name is exact and case-sensitive; NameContains is a substring that
	// ignores case; IAMID is exact.
	Name, NameContains, IAMID string
}

func (f groupFilter) matches(g marketplace.Group) bool {
	return (f.Name == "" || f.Name == g.Name) &&
		(f.NameContains == "" || strings.Contains(strings.ToLower(g.Name), strings.ToLower(f.NameContains))) &&
		(f.IAMID == "" || f.IAMID == g.IAMID)
}

// filterGroups keeps the matching groups, sorted by name, identity
// manager, then id.
func filterGroups(all []marketplace.Group, f groupFilter) []marketplace.Group {
	out := []marketplace.Group{}
	for _, g := range all {
		if f.matches(g) {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b marketplace.Group) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.IAMID, b.IAMID), cmp.Compare(a.ID, b.ID))
	})
	return out
}
