data "immuta_domain" "sales" {
  name = "North American Sales"
}

# Every data source of the domain, however many pages that takes.
data "immuta_domain_data_sources" "sales" {
  domain_id = data.immuta_domain.sales.id
}

# The Snowflake tables of one schema.
data "immuta_domain_data_sources" "crm" {
  domain_id = data.immuta_domain.sales.id
  platform  = "Snowflake"
  schema    = "crm"
}

# One data source by its exact name.
data "immuta_domain_data_sources" "web_sales" {
  domain_id = data.immuta_domain.sales.id
  name      = "Web Sales 2024"
}

# Some data sources by id (ids of other domains are left out).
variable "picked_data_source_ids" {
  description = "Data source ids, as strings (the default is two of the domain's data sources in the emulator's sample data)."
  type        = set(string)
  default     = ["101", "103"]
}

data "immuta_domain_data_sources" "picked" {
  domain_id       = data.immuta_domain.sales.id
  data_source_ids = var.picked_data_source_ids
}

# `ids` is a set of strings, the form a data product's data_source_ids
# takes:
#
# resource "immuta_data_product" "sales" {
#   ...
#   domain_ids      = [data.immuta_domain.sales.id]
#   data_source_ids = data.immuta_domain_data_sources.crm.ids
# }

output "crm_tables" {
  value = { for ds in data.immuta_domain_data_sources.crm.data_sources : ds.id => "${ds.database}.${ds.schema}.${ds.table}" }
}

output "picked_names" {
  value = [for ds in data.immuta_domain_data_sources.picked.data_sources : ds.name]
}

output "web_sales_id" {
  value = one(data.immuta_domain_data_sources.web_sales.ids)
}
