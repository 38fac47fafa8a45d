# The data products of one domain whose name contains "revenue"
# (case-insensitive). The domain's id is what `data "immuta_domain"`
# returns in a configuration.
list "immuta_data_product" "finance_revenue" {
  provider = immuta
  limit    = 1000
  config {
    name      = "revenue"
    domain_id = "52137b16-6081-5f38-ad3a-8a0e6f2132ba"
  }
}
