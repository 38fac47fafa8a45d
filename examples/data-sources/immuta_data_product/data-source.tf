# A product published in the Marketplace app, by its exact name...
data "immuta_data_product" "sales" {
  name = "North American Sales"
}

# ...or by id (00000000-0000-0000-0000-000000000000 stands for your
# product's id).
# data "immuta_data_product" "sales" {
#   id = "00000000-0000-0000-0000-000000000000"
# }

output "sales_data_source_ids" {
  value = data.immuta_data_product.sales.data_source_ids
}

output "sales_pending_requests" {
  value = data.immuta_data_product.sales.stats.pending_request_count
}

# The forms of each request type, and the product's own review flow for
# masking exception requests (the service's default when none was set).
output "sales_request_forms" {
  value = {
    data_access       = data.immuta_data_product.sales.data_access_request_form_id
    masking_exception = data.immuta_data_product.sales.masking_exception_request_form_id
  }
}

output "sales_masking_exception_review_flow" {
  value = jsondecode(data.immuta_data_product.sales.masking_exception_review_flow_json)
}
