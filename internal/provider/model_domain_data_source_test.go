package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

func TestDomainDataSourceFromAPI(t *testing.T) {
	got := domainDataSourceFromAPI(marketplace.DataSource{
		DataSourceID: 9007199254740993, Name: "EU Web Sales Raw", Platform: "Amazon S3", CreatedAt: "2024-11-08T08:00:00.000Z",
		Prefix: "s3://acme-eu-landing/sales/web/", Hostname: "s3.eu-central-1.amazonaws.com",
	})
	want := domainDataSourceModel{
		// Ids beyond float64 precision survive: they are never floats.
		ID:        types.StringValue("9007199254740993"),
		Name:      types.StringValue("EU Web Sales Raw"),
		Platform:  types.StringValue("Amazon S3"),
		CreatedAt: types.StringValue("2024-11-08T08:00:00.000Z"),
		Prefix:    types.StringValue("s3://acme-eu-landing/sales/web/"),
		Hostname:  types.StringValue("s3.eu-central-1.amazonaws.com"),
		Database:  types.StringValue(""),
		Schema:    types.StringValue(""),
		Table:     types.StringValue(""),
	}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestFilterDataSources(t *testing.T) {
	all := []marketplace.DataSource{
		{DataSourceID: 3, Name: "Web Sales", Platform: "Snowflake", Database: "SALES_DB", Schema: "PUBLIC", Table: "WEB_SALES"},
		{DataSourceID: 2, Name: "Store Sales", Platform: "Snowflake", Database: "SALES_DB", Schema: "PUBLIC", Table: "STORE_SALES"},
		{DataSourceID: 1, Name: "Orders", Platform: "Databricks", Database: "lake", Schema: "sales", Table: "orders"},
		{DataSourceID: 10, Name: "Archive", Platform: "Amazon S3", Prefix: "s3://archive/"},
	}
	ids := func(f dataSourceFilter) []int64 {
		out := []int64{}
		for _, ds := range filterDataSources(all, f) {
			out = append(out, ds.DataSourceID)
		}
		return out
	}
	for name, tc := range map[string]struct {
		filter dataSourceFilter
		want   []int64
	}{
		"none, sorted by name":   {dataSourceFilter{}, []int64{10, 1, 2, 3}},
		"name is case-sensitive": {dataSourceFilter{Name: "web sales"}, []int64{}},
		"exact name":             {dataSourceFilter{Name: "Web Sales"}, []int64{3}},
		"platform ignores case":  {dataSourceFilter{Platform: "SNOWFLAKE"}, []int64{2, 3}},
		"schema and table":       {dataSourceFilter{Schema: "public", Table: "store_sales"}, []int64{2}},
		"database is exact":      {dataSourceFilter{Database: "sales"}, []int64{}},
		"all must match":         {dataSourceFilter{Platform: "Databricks", Schema: "public"}, []int64{}},
		"platform with a space":  {dataSourceFilter{Platform: "amazon s3"}, []int64{10}},
	} {
		got := ids(tc.filter)
		if len(got) != len(tc.want) {
			t.Errorf("%s: got %v, want %v", name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: got %v, want %v", name, got, tc.want)
			}
		}
	}
}
