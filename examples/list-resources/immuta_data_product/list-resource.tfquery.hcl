# The data products of one domain whose name contains "revenue"
# (case-insensitive). In a configuration, `data "immuta_domain"` returns
# the domain's id.
variable "finance_domain_id" {
  description = "The Finance domain's id (the default is its id in the emulator's sample data)."
  type        = string
  default     = "52137b16-6081-5f38-ad3a-8a0e6f2132ba"
}

list "immuta_data_product" "finance_revenue" {
  provider = immuta
  limit    = 1000
  config {
    name      = "revenue"
    domain_id = var.finance_domain_id
  }
}
