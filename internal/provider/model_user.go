package provider

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// userModel is an Immuta user in the lists of immuta_users and
// immuta_domain_stewards. Conversions from the API live here.
type userModel struct {
	GlobalUserID types.String `tfsdk:"global_user_id"`
	UserID       types.Int64  `tfsdk:"user_id"`
	IAMID        types.String `tfsdk:"iam_id"`
	Username     types.String `tfsdk:"username"`
	Name         types.String `tfsdk:"name"`
	Email        types.String `tfsdk:"email"`
}

func userFromAPI(u marketplace.User) userModel {
	return userModel{
		GlobalUserID: types.StringValue(strings.ToLower(u.GlobalUserID)),
		UserID:       types.Int64Value(u.ID),
		IAMID:        types.StringValue(u.IAMID),
		Username:     types.StringValue(u.Username),
		Name:         types.StringValue(u.Name),
		Email:        types.StringValue(u.Email),
	}
}

// Descriptions shared by the user data sources.
const (
	globalUserIDDescription = "The user's global user id, a UUID: how the Marketplace identifies a user across identity managers " +
		"(for example in `created_by`)."
	userIDDescription   = "The user's number in its identity manager."
	userIAMDescription  = "The id of the identity manager the user comes from, such as `bim` (Immuta's built-in one) or `okta`."
	userNameDescription = "The user's display name."
)

// userListAttributes describe one user of a computed list.
func userListAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"global_user_id": schema.StringAttribute{MarkdownDescription: globalUserIDDescription, Computed: true},
		"user_id":        schema.Int64Attribute{MarkdownDescription: userIDDescription, Computed: true},
		"iam_id":         schema.StringAttribute{MarkdownDescription: userIAMDescription, Computed: true},
		"username":       schema.StringAttribute{MarkdownDescription: "The user's username in its identity manager.", Computed: true},
		"name":           schema.StringAttribute{MarkdownDescription: userNameDescription, Computed: true},
		"email":          schema.StringAttribute{MarkdownDescription: "The user's email address.", Computed: true},
	}
}

// sortUsers orders users by name, username, identity manager, then
// global user id.
func sortUsers(users []marketplace.User) {
	slices.SortFunc(users, func(a, b marketplace.User) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Username, b.Username),
			cmp.Compare(a.IAMID, b.IAMID), cmp.Compare(strings.ToLower(a.GlobalUserID), strings.ToLower(b.GlobalUserID)))
	})
}

// userFilter selects users on the provider's side. Empty fields match
// everything.
type userFilter struct {
	// Username and Name are exact and case-sensitive.
	Username string
	Name     string
	// Email and GlobalUserID ignore case.
	Email        string
	GlobalUserID string
	// IAMID is exact.
	IAMID string
}

func (f userFilter) matches(u marketplace.User) bool {
	return (f.Username == "" || f.Username == u.Username) &&
		(f.Name == "" || f.Name == u.Name) &&
		(f.Email == "" || strings.EqualFold(f.Email, u.Email)) &&
		(f.GlobalUserID == "" || strings.EqualFold(f.GlobalUserID, u.GlobalUserID)) &&
		(f.IAMID == "" || f.IAMID == u.IAMID)
}

// filterUsers keeps the matching users, sorted.
func filterUsers(all []marketplace.User, f userFilter) []marketplace.User {
	out := []marketplace.User{}
	for _, u := range all {
		if f.matches(u) {
			out = append(out, u)
		}
	}
	sortUsers(out)
	return out
}

// addTruncationWarning says that a user or group list may be incomplete:
// the service answered with as many items as the provider asked for, and
// those lists have no further pages to read.
func addTruncationWarning(diags *diag.Diagnostics, kind, narrow string) {
	diags.AddWarning(fmt.Sprintf("The List of %s May Be Incomplete", titleCase(kind)),
		fmt.Sprintf("The Marketplace answered with %d %s, the most the provider asks for in one request. The %s list is "+
			"not paged, so any further %s cannot be read and are missing here. %s", marketplace.MetadataListLimit, kind, kind, kind, narrow))
}

// describeUsers lists users for diagnostics, with what tells them apart.
func describeUsers(users []marketplace.User) string {
	parts := make([]string, len(users))
	for i, u := range users {
		parts[i] = fmt.Sprintf("%q (username %q in identity manager %q, global user id %s)", u.Name, u.Username, u.IAMID, strings.ToLower(u.GlobalUserID))
	}
	return strings.Join(parts, ", ")
}
