package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

func TestDomainFromAPI(t *testing.T) {
	got := domainFromAPI(marketplace.Domain{ID: "F65A50A9-1735-5BB0-B58A-4C5F036FC847", Name: "Sales", Description: ""})
	want := domainModel{
		ID:          types.StringValue("f65a50a9-1735-5bb0-b58a-4c5f036fc847"),
		Name:        types.StringValue("Sales"),
		Description: types.StringValue(""), // empty, not null
	}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestFilterAndSortDomains(t *testing.T) {
	domains := []marketplace.Domain{
		{ID: "3", Name: "Sales EU"}, {ID: "2", Name: "Sales"}, {ID: "1", Name: "North American Sales"}, {ID: "4", Name: "Finance"}, {ID: "0", Name: "Sales"},
	}
	names := func(ds []marketplace.Domain) string {
		s := ""
		for _, d := range ds {
			s += d.Name + "/" + d.ID + ";"
		}
		return s
	}
	for _, tc := range []struct{ name, contains, want string }{
		{"", "", "Finance/4;North American Sales/1;Sales/0;Sales/2;Sales EU/3;"},
		{"Sales", "", "Sales/0;Sales/2;"},
		{"sales", "", ""},
		{"", "sAlEs", "North American Sales/1;Sales/0;Sales/2;Sales EU/3;"},
		{"Sales EU", "eu", "Sales EU/3;"},
		{"Finance", "sales", ""},
	} {
		got := filterDomains(domains, tc.name, tc.contains)
		sortDomains(got)
		if names(got) != tc.want {
			t.Errorf("name %q, contains %q: got %s, want %s", tc.name, tc.contains, names(got), tc.want)
		}
		if got == nil {
			t.Errorf("name %q, contains %q: nil, want an empty list", tc.name, tc.contains)
		}
	}
	if s := describeDomains(domains[:2]); s != `"Sales EU" (3), "Sales" (2)` {
		t.Errorf("describeDomains: %s", s)
	}
}

func TestSetStringsIsEmptyNotNull(t *testing.T) {
	var set types.Set
	if diags := setStrings(context.Background(), &set, []string{}); diags.HasError() {
		t.Fatal(diags)
	}
	if set.IsNull() || len(set.Elements()) != 0 {
		t.Errorf("got %v, want an empty set", set)
	}
	if diags := setStrings(context.Background(), &set, []string{"b", "a"}); diags.HasError() || len(set.Elements()) != 2 {
		t.Errorf("got %v %v", set, diags)
	}
}
