# Build the product from what the Immuta governance app owns: a domain,
# its data sources, and a subject matter expert.
data "immuta_domain" "sales" {
  name = "North American Sales"
}

data "immuta_domain_data_sources" "sales_snowflake" {
  domain_id = data.immuta_domain.sales.id
  platform  = "Snowflake"
}

data "immuta_user" "steward" {
  username = "steward.sales"
}

# The form requesters fill in (here the built-in one every tenant has).
data "immuta_request_form" "standard" {
  name = "Standard Request Form"
}

resource "immuta_data_product" "sales" {
  name                     = "North American Sales"
  description              = "Orders, customers and territories of the North American sales teams."
  domain_ids               = [data.immuta_domain.sales.id]
  data_source_ids          = data.immuta_domain_data_sources.sales_snowflake.ids
  request_form_id          = data.immuta_request_form.standard.id
  subject_matter_expert_id = data.immuta_user.steward.global_user_id

  # Deleting a product revokes every access granted through it and cannot
  # be undone, so Terraform refuses to destroy it while this is true (the
  # default). To cut access in a way that can be undone, suspend it:
  # suspended = true
  deletion_protection = true
}
