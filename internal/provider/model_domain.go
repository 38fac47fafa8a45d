package provider

import (
	"cmp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// domainModel is an Immuta domain, in immuta_domain and in the list of
// immuta_domains. Conversions from the API live here.
type domainModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
}

func domainFromAPI(d marketplace.Domain) domainModel {
	return domainModel{
		ID:          types.StringValue(strings.ToLower(d.ID)),
		Name:        types.StringValue(d.Name),
		Description: types.StringValue(d.Description),
	}
}

// domainListAttributes describe one domain of a computed list.
func domainListAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":          schema.StringAttribute{MarkdownDescription: "The domain's id, a UUID.", Computed: true},
		"name":        schema.StringAttribute{MarkdownDescription: "The domain's name.", Computed: true},
		"description": schema.StringAttribute{MarkdownDescription: "The domain's description.", Computed: true},
	}
}

// sortDomains orders domains by name, then id.
func sortDomains(domains []marketplace.Domain) {
	slices.SortFunc(domains, func(a, b marketplace.Domain) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
}

// filterDomains keeps the domains named exactly name (case-sensitive) and
// whose name contains nameContains (case-insensitive); an empty filter
// keeps everything.
func filterDomains(domains []marketplace.Domain, name, nameContains string) []marketplace.Domain {
	out := []marketplace.Domain{}
	for _, d := range domains {
		if name != "" && d.Name != name {
			continue
		}
		if nameContains != "" && !strings.Contains(strings.ToLower(d.Name), strings.ToLower(nameContains)) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// describeDomains lists domains as `"name" (id)` for diagnostics.
func describeDomains(domains []marketplace.Domain) string {
	parts := make([]string, len(domains))
	for i, d := range domains {
		parts[i] = `"` + d.Name + `" (` + d.ID + `)`
	}
	return strings.Join(parts, ", ")
}
