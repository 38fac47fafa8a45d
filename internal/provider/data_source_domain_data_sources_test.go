package provider

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// fixtureSourceIDs are the ids, as strings, of a domain's data sources
// that keep says to.
func fixtureSourceIDs(srv *marketplacetest.TestServer, domainID string, keep func(marketplacetest.DataSource) bool) []knownvalue.Check {
	var out []knownvalue.Check
	for _, ds := range srv.Fixture().DataSourcesInDomain(domainID) {
		if keep(ds) {
			out = append(out, knownvalue.StringExact(strconv.Itoa(ds.DataSourceID)))
		}
	}
	return out
}

// A domain of 300 data sources is read to the end: three pages of 100.
func TestAccDomainDataSourcesDataSource_largeDomain(t *testing.T) {
	srv := requireEmulator(t, "reads the request log, reads the emulator's fixture")
	all := fixtureSourceIDs(srv, lakeDomainID, func(marketplacetest.DataSource) bool { return true })
	snowflake := fixtureSourceIDs(srv, lakeDomainID, func(ds marketplacetest.DataSource) bool { return ds.Platform == "Snowflake" })
	usEast := fixtureSourceIDs(srv, lakeDomainID, func(ds marketplacetest.DataSource) bool { return ds.Schema == "us_east" })
	if len(all) != 300 || len(snowflake) < 2 || len(usEast) < 2 {
		t.Fatalf("the fixture changed: %d, %d, %d", len(all), len(snowflake), len(usEast))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: srv.ResetRequests,
			Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_domain_data_sources" "all" {
  domain_id = %[1]q
}

data "immuta_domain_data_sources" "snowflake" {
  domain_id = %[1]q
  platform  = "snowflake"
}

data "immuta_domain_data_sources" "us_east" {
  domain_id = %[1]q
  schema    = "US_EAST"
}

# The last data source by name. The name goes to the service as the
# search, then must match exactly.
data "immuta_domain_data_sources" "last" {
  domain_id = %[1]q
  name      = "Web Clicks US West 2024"
}
`, lakeDomainID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.all", tfjsonpath.New("data_sources"), knownvalue.ListSizeExact(300)),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.all", tfjsonpath.New("ids"), knownvalue.SetExact(all)),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.snowflake", tfjsonpath.New("ids"), knownvalue.SetExact(snowflake)),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.us_east", tfjsonpath.New("ids"), knownvalue.SetExact(usEast)),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.last", tfjsonpath.New("data_sources"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":         knownvalue.StringExact("1216"),
						"name":       knownvalue.StringExact("Web Clicks US West 2024"),
						"platform":   knownvalue.StringExact("PostgreSQL"),
						"created_at": knownvalue.StringExact("2023-08-04T06:00:00.000Z"),
						"prefix":     knownvalue.StringExact(""),
						"hostname":   knownvalue.StringExact("lake-pg.internal.acme.com"),
						"database":   knownvalue.StringExact("lake"),
						"schema":     knownvalue.StringExact("us_west"),
						"table":      knownvalue.StringExact("web_clicks_2024"),
					}),
				})),
			},
			Check: func(*terraform.State) error {
				// Each read without a name pages through all 300: at least
				// three requests each, and never a page past the end.
				reqs := metadataRequests(srv, "/api/metadata/domain/"+lakeDomainID+"/datasources")
				if len(reqs) < 9 {
					return fmt.Errorf("%d data source requests; the reads did not follow pagination", len(reqs))
				}
				for _, r := range reqs {
					if strings.Contains(r.Query, "offset=300") {
						return fmt.Errorf("a request went past the end: %s", r.Query)
					}
				}
				return nil
			},
		}},
	})
}

func TestAccDomainDataSourcesDataSource_filters(t *testing.T) {
	srv := requireEmulator(t, "sets the page size, reads the request log")
	srv.SetMaxPageSize(2) // five data sources in North American Sales: three pages
	ds := func(id, name string) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id), "name": knownvalue.StringExact(name)})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_domain_data_sources" "all" {
  domain_id = %[1]q
}

# Exact and case-sensitive: "Web Sales 2024" only.
data "immuta_domain_data_sources" "by_name" {
  domain_id = %[1]q
  name      = "Web Sales 2024"
}

data "immuta_domain_data_sources" "wrong_case" {
  domain_id = %[1]q
  name      = "web sales 2024"
}

# The service's search: a substring of the name, database, schema or table.
data "immuta_domain_data_sources" "search" {
  domain_id   = %[1]q
  search_text = "2024"
}

data "immuta_domain_data_sources" "databricks" {
  domain_id = %[1]q
  platform  = "DATABRICKS"
}

data "immuta_domain_data_sources" "combined" {
  domain_id = %[1]q
  platform  = "Snowflake"
  database  = "sales_db"
  schema    = "public"
  table     = "store_sales_2024"
}

data "immuta_domain_data_sources" "none" {
  domain_id = %[1]q
  platform  = "Oracle"
}

data "immuta_domain_data_sources" "empty_domain" {
  domain_id = %[2]q
}

# By id: 106 belongs to another domain and is left out.
data "immuta_domain_data_sources" "picked" {
  domain_id       = %[1]q
  data_source_ids = ["105", "101", "106"]
}

data "immuta_domain_data_sources" "picked_snowflake" {
  domain_id       = %[1]q
  data_source_ids = ["101", "104"]
  platform        = "snowflake"
}
`, nasDomainID, emptyDomainID),
			ConfigStateChecks: []statecheck.StateCheck{
				// Sorted by name.
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.all", tfjsonpath.New("data_sources"), knownvalue.ListExact([]knownvalue.Check{
					ds("103", "Customer Accounts"), ds("104", "November 2023 Online"), ds("105", "Sales Territories"),
					ds("102", "Store Sales 2024"), ds("101", "Web Sales 2024"),
				})),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.by_name", tfjsonpath.New("data_sources"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":         knownvalue.StringExact("101"),
						"name":       knownvalue.StringExact("Web Sales 2024"),
						"platform":   knownvalue.StringExact("Snowflake"),
						"created_at": knownvalue.StringExact("2025-02-11T09:30:00.000Z"),
						"prefix":     knownvalue.StringExact(""),
						"hostname":   knownvalue.StringExact("acme.snowflakecomputing.com"),
						"database":   knownvalue.StringExact("sales_db"),
						"schema":     knownvalue.StringExact("public"),
						"table":      knownvalue.StringExact("web_sales_2024"),
					}),
				})),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.by_name", tfjsonpath.New("ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("101")})),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.wrong_case", tfjsonpath.New("data_sources"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.search", tfjsonpath.New("ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("101"), knownvalue.StringExact("102")})),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.databricks", tfjsonpath.New("data_sources"),
					knownvalue.ListExact([]knownvalue.Check{ds("104", "November 2023 Online")})),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.combined", tfjsonpath.New("ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("102")})),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.none", tfjsonpath.New("data_sources"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.none", tfjsonpath.New("ids"), knownvalue.SetSizeExact(0)),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.empty_domain", tfjsonpath.New("ids"), knownvalue.SetSizeExact(0)),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.picked", tfjsonpath.New("data_sources"),
					knownvalue.ListExact([]knownvalue.Check{ds("105", "Sales Territories"), ds("101", "Web Sales 2024")})),
				statecheck.ExpectKnownValue("data.immuta_domain_data_sources.picked_snowflake", tfjsonpath.New("ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("101")})),
			},
			Check: func(*terraform.State) error {
				// The ids go to the service as its dataSourceIds filter.
				for _, r := range metadataRequests(srv, "/api/metadata/domain/"+nasDomainID+"/datasources") {
					q, _ := url.ParseQuery(r.Query)
					if q.Has("ids") || (len(q["dataSourceIds"]) > 0 && !slices.Equal(q["dataSourceIds"], []string{"101", "105", "106"}) &&
						!slices.Equal(q["dataSourceIds"], []string{"101", "104"})) {
						return fmt.Errorf("data source request with query %q", r.Query)
					}
				}
				return nil
			},
		}},
	})
}

// Looked-up ids feed the rest of a configuration: a domain found by name
// gives its data sources, whose ids (strings, as a data product's
// data_source_ids takes them) drive further lookups and outputs.
func TestAccDomainDataSourcesDataSource_feedsConfiguration(t *testing.T) {
	srv := requireEmulator(t, "reads the emulator's fixture")
	euSources := fixtureSourceIDs(srv, salesEUDomainID, func(marketplacetest.DataSource) bool { return true })
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + `
data "immuta_domain" "eu" {
  name = "Sales EU"
}

data "immuta_domain_data_sources" "eu" {
  domain_id = data.immuta_domain.eu.id
}

# One lookup per data source, by name.
data "immuta_domain_data_sources" "each" {
  count     = length(data.immuta_domain_data_sources.eu.data_sources)
  domain_id = data.immuta_domain.eu.id
  name      = data.immuta_domain_data_sources.eu.data_sources[count.index].name
}

# What a data product would be given.
resource "terraform_data" "product_inputs" {
  input = {
    domain_ids      = toset([data.immuta_domain.eu.id])
    data_source_ids = data.immuta_domain_data_sources.eu.ids
  }
}

output "data_source_ids" {
  value = terraform_data.product_inputs.output.data_source_ids
}

output "platform_by_id" {
  value = { for lookup in data.immuta_domain_data_sources.each : one(lookup.ids) => one(lookup.data_sources).platform }
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("data_source_ids", knownvalue.SetExact(euSources)),
				statecheck.ExpectKnownOutputValue("platform_by_id", knownvalue.MapExact(map[string]knownvalue.Check{
					"116": knownvalue.StringExact("Snowflake"),
					"117": knownvalue.StringExact("Snowflake"),
					"118": knownvalue.StringExact("PostgreSQL"),
					"119": knownvalue.StringExact("Amazon S3"),
				})),
			},
		}},
	})
}

func TestAccDomainDataSourcesDataSource_errors(t *testing.T) {
	acc := newAccTarget(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(acc) + fmt.Sprintf(`
data "immuta_domain_data_sources" "x" {
  domain_id = %q
}
`, unknownUUID),
				ExpectError: errorPattern("Domain Not Found", "No domain has id "+unknownUUID),
			},
			{
				Config: providerConfig(acc) + `
data "immuta_domain_data_sources" "x" {
  domain_id = "sales-domain"
}
`,
				ExpectError: errorPattern("Attribute domain_id must be a UUID"),
			},
			{
				Config: providerConfig(acc) + fmt.Sprintf(`
data "immuta_domain_data_sources" "x" {
  domain_id = %q
  table     = ""
}
`, acc.facts.DomainID),
				ExpectError: errorPattern("Attribute table must not be blank"),
			},
			{
				Config: providerConfig(acc) + fmt.Sprintf(`
data "immuta_domain_data_sources" "x" {
  domain_id       = %q
  data_source_ids = ["101", "sales-1"]
}
`, acc.facts.DomainID),
				ExpectError: errorPattern("data_source_ids", "must be a data source id: a positive integer written as a string"),
			},
			{
				Config: providerConfig(acc) + fmt.Sprintf(`
data "immuta_domain_data_sources" "x" {
  domain_id       = %q
  data_source_ids = []
}
`, acc.facts.DomainID),
				ExpectError: errorPattern("data_source_ids", "at least 1"),
			},
			{
				Config: providerConfig(acc) + `
data "immuta_domain_data_sources" "x" {}
`,
				ExpectError: errorPattern(`The argument "domain_id" is required`),
			},
			{Config: providerConfig(acc)},
		},
	})
	if acc.srv != nil {
		noRequestMentions(t, acc.srv, "sales-domain")
		if n := len(metadataRequests(acc.srv, "/api/metadata/domain/"+acc.facts.DomainID)); n != 0 {
			t.Errorf("%d requests for a configuration refused at plan time", n)
		}
	}
}
