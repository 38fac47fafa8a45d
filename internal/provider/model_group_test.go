package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

func TestGroupFromAPI(t *testing.T) {
	got := groupFromAPI(marketplace.Group{ID: 5, IAMID: "okta", Name: "Analysts", Email: "analysts-okta@example.com"})
	want := groupModel{ID: types.Int64Value(5), IAMID: types.StringValue("okta"), Name: types.StringValue("Analysts"),
		Email: types.StringValue("analysts-okta@example.com")}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestFilterGroups(t *testing.T) {
	all := []marketplace.Group{
		{ID: 5, IAMID: "okta", Name: "Analysts"}, {ID: 2, IAMID: "bim", Name: "Sales Analysts"},
		{ID: 4, IAMID: "bim", Name: "Analysts"}, {ID: 9, IAMID: "bim", Name: "Finance"},
	}
	ids := func(f groupFilter) []int64 {
		out := []int64{}
		for _, g := range filterGroups(all, f) {
			out = append(out, g.ID)
		}
		return out
	}
	for _, tc := range []struct {
		filter groupFilter
		want   []int64
	}{
		{groupFilter{}, []int64{4, 5, 9, 2}}, // by name, then identity manager
		{groupFilter{Name: "Analysts"}, []int64{4, 5}},
		{groupFilter{Name: "analysts"}, []int64{}},
		{groupFilter{NameContains: "ANALYSTS"}, []int64{4, 5, 2}},
		{groupFilter{Name: "Analysts", IAMID: "okta"}, []int64{5}},
		{groupFilter{NameContains: "analysts", IAMID: "ldap"}, []int64{}},
	} {
		got := ids(tc.filter)
		if len(got) != len(tc.want) {
			t.Errorf("%+v: got %v, want %v", tc.filter, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%+v: got %v, want %v", tc.filter, got, tc.want)
			}
		}
	}
}
