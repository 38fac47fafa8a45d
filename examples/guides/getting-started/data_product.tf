resource "immuta_data_product" "sales" {
  name        = "North American Sales"
  description = "Online and in-store sales of 2024, one row per order line."

  domain_ids                  = [data.immuta_domain.sales.id]
  data_source_ids             = data.immuta_domain_data_sources.public_sales.ids
  data_access_request_form_id = immuta_request_form.sales_access.id
  subject_matter_expert_id    = data.immuta_user.sales_steward.global_user_id
}

output "data_product_id" {
  value = immuta_data_product.sales.id
}
