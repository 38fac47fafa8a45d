package provider

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// domainDataSourceModel is an Immuta data source as a domain lists it,
// in immuta_domain_data_sources. Conversions from the API live here.
type domainDataSourceModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	Platform  types.String `tfsdk:"platform"`
	CreatedAt types.String `tfsdk:"created_at"`
	Prefix    types.String `tfsdk:"prefix"`
	Hostname  types.String `tfsdk:"hostname"`
	Database  types.String `tfsdk:"database"`
	Schema    types.String `tfsdk:"schema"`
	Table     types.String `tfsdk:"table"`
}

// dataSourceID renders a data source id as the data product API takes it
// (dataSources[].sourceId is a string; the metadata API's is a number).
func dataSourceID(id int64) string { return strconv.FormatInt(id, 10) }

func domainDataSourceFromAPI(ds marketplace.DataSource) domainDataSourceModel {
	return domainDataSourceModel{
		ID:        types.StringValue(dataSourceID(ds.DataSourceID)),
		Name:      types.StringValue(ds.Name),
		Platform:  types.StringValue(ds.Platform),
		CreatedAt: types.StringValue(ds.CreatedAt),
		Prefix:    types.StringValue(ds.Prefix),
		Hostname:  types.StringValue(ds.Hostname),
		Database:  types.StringValue(ds.Database),
		Schema:    types.StringValue(ds.Schema),
		Table:     types.StringValue(ds.Table),
	}
}

// domainDataSourceListAttributes describe one data source of a computed list.
func domainDataSourceListAttributes() map[string]schema.Attribute {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	return map[string]schema.Attribute{
		"id":         computed("The data source's id, as a string: the form `immuta_data_product.data_source_ids` takes."),
		"name":       computed("The data source's name in Immuta."),
		"platform":   computed("The platform it lives on, such as `Snowflake`, `Databricks` or `Redshift`."),
		"created_at": computed("When it was registered in Immuta (RFC 3339)."),
		"prefix":     computed("The object prefix, for object-store data sources such as Amazon S3; empty otherwise."),
		"hostname":   computed("The host of the platform's connection."),
		"database":   computed("The database (or catalog, or project) of the table."),
		"schema":     computed("The schema (or dataset) of the table."),
		"table":      computed("The table or view."),
	}
}

// dataSourceFilter is what immuta_domain_data_sources filters by on the
// provider's side. Empty fields match everything.
type dataSourceFilter struct {
	// Name is exact and case-sensitive.
	Name string
	// Platform, Database, Schema and Table are exact but ignore case, as
	// SQL identifiers usually do.
	Platform, Database, Schema, Table string
}

func (f dataSourceFilter) matches(ds marketplace.DataSource) bool {
	equalFold := func(want, got string) bool { return want == "" || strings.EqualFold(want, got) }
	return (f.Name == "" || f.Name == ds.Name) &&
		equalFold(f.Platform, ds.Platform) && equalFold(f.Database, ds.Database) &&
		equalFold(f.Schema, ds.Schema) && equalFold(f.Table, ds.Table)
}

// filterDataSources keeps the matching data sources, sorted by name, then id.
func filterDataSources(all []marketplace.DataSource, f dataSourceFilter) []marketplace.DataSource {
	out := []marketplace.DataSource{}
	for _, ds := range all {
		if f.matches(ds) {
			out = append(out, ds)
		}
	}
	slices.SortFunc(out, func(a, b marketplace.DataSource) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.DataSourceID, b.DataSourceID))
	})
	return out
}
