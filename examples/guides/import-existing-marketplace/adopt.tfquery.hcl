# Everything Terraform can manage in the Marketplace. Terraform returns at
# most `limit` results per list block (100 unless set).
list "immuta_data_use_agreement" "all" {
  provider         = immuta
  include_resource = true
  limit            = 1000
}

# The built-in Standard Request Form is not listed: it cannot be managed.
list "immuta_request_form" "all" {
  provider         = immuta
  include_resource = true
  limit            = 1000
}

list "immuta_data_product" "all" {
  provider         = immuta
  include_resource = true
  limit            = 1000
}
