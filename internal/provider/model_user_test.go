package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

func TestUserFromAPI(t *testing.T) {
	got := userFromAPI(marketplace.User{ID: 14, IAMID: "okta", GlobalUserID: "C5D1762F-E2D2-548F-9174-0AE407350854",
		Username: "jordan.lee@example.com", Name: "Jordan Lee", Email: "Jordan.Lee@example.com"})
	want := userModel{
		GlobalUserID: types.StringValue("c5d1762f-e2d2-548f-9174-0ae407350854"),
		UserID:       types.Int64Value(14),
		IAMID:        types.StringValue("okta"),
		Username:     types.StringValue("jordan.lee@example.com"),
		Name:         types.StringValue("Jordan Lee"),
		Email:        types.StringValue("Jordan.Lee@example.com"), // as stored
	}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestFilterUsers(t *testing.T) {
	all := []marketplace.User{
		{GlobalUserID: "g3", IAMID: "okta", Username: "jordan.lee@example.com", Name: "Jordan Lee", Email: "Jordan.Lee@example.com"},
		{GlobalUserID: "g2", IAMID: "bim", Username: "jlee", Name: "Jordan Lee", Email: "jordan.lee@example.com"},
		{GlobalUserID: "g1", IAMID: "ldap", Username: "jlee", Name: "Jamie Lee", Email: "jamie.lee@example.com"},
		{GlobalUserID: "G4", IAMID: "bim", Username: "ada", Name: "Ada", Email: "ada@example.com"},
	}
	ids := func(f userFilter) string {
		var out []string
		for _, u := range filterUsers(all, f) {
			out = append(out, u.GlobalUserID)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		filter userFilter
		want   string
	}{
		{userFilter{}, "G4,g1,g2,g3"}, // by name, then username
		{userFilter{Username: "jlee"}, "g1,g2"},
		{userFilter{Username: "JLEE"}, ""},
		{userFilter{Username: "jlee", IAMID: "bim"}, "g2"},
		{userFilter{Email: "JORDAN.LEE@EXAMPLE.COM"}, "g2,g3"},
		{userFilter{Email: "jordan.lee@example.com", IAMID: "okta"}, "g3"},
		{userFilter{GlobalUserID: "g4"}, "G4"},
		{userFilter{Name: "Jordan Lee"}, "g2,g3"},
		{userFilter{Name: "jordan lee"}, ""},
	} {
		if got := ids(tc.filter); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.filter, got, tc.want)
		}
	}
	if filterUsers(nil, userFilter{}) == nil {
		t.Error("no users must be an empty list, not nil")
	}
	got := describeUsers(all[:1])
	if got != `"Jordan Lee" (username "jordan.lee@example.com" in identity manager "okta", global user id g3)` {
		t.Errorf("describeUsers: %s", got)
	}
}
