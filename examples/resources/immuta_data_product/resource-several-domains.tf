# A product built from the data sources of several domains: each data
# source must belong to one of domain_ids.
data "immuta_domain" "sales_us" {
  name = "Sales"
}

data "immuta_domain" "sales_eu" {
  name = "Sales EU"
}

data "immuta_domain_data_sources" "opportunities" {
  domain_id = data.immuta_domain.sales_us.id
  name      = "Opportunities"
}

data "immuta_domain_data_sources" "eu_orders" {
  domain_id = data.immuta_domain.sales_eu.id
  schema    = "orders"
}

resource "immuta_data_product" "global_pipeline" {
  name        = "Global Sales Pipeline"
  description = "US opportunities and EU orders, side by side."
  domain_ids  = [data.immuta_domain.sales_us.id, data.immuta_domain.sales_eu.id]
  data_source_ids = setunion(
    data.immuta_domain_data_sources.opportunities.ids,
    data.immuta_domain_data_sources.eu_orders.ids,
  )
}
