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

# Data access requests use the built-in form every tenant has, which
# decides requests itself.
data "immuta_request_form" "standard" {
  name = "Standard Request Form"
}

# Masking exception requests use a form that leaves the decision to each
# data product's own review flow.
resource "immuta_request_form" "unmasking" {
  name = "Unmasking requests"

  field {
    type  = "SHORT_ANSWER"
    label = "Which columns do you need unmasked, and why?"
  }

  review_flow = {
    delegate_to_data_product = true
  }
}

resource "immuta_data_product" "sales" {
  name                     = "North American Sales"
  description              = "Orders, customers and territories of the North American sales teams."
  domain_ids               = [data.immuta_domain.sales.id]
  data_source_ids          = data.immuta_domain_data_sources.sales_snowflake.ids
  subject_matter_expert_id = data.immuta_user.steward.global_user_id

  data_access_request_form_id       = data.immuta_request_form.standard.id
  masking_exception_request_form_id = immuta_request_form.unmasking.id

  # The product's own flow for masking exception requests: its expert
  # reviews first, then anyone with the GOVERNANCE permission. Left out,
  # the service's default applies (a review by GOVERNANCE or the domain's
  # "Manage Data Products" permission).
  masking_exception_review_flow = {
    review = {
      stages = [
        { approval_mode = "all", user_ids = [data.immuta_user.steward.global_user_id] },
        { approval_mode = "any", permissions = ["GOVERNANCE"] },
      ]
    }
  }

  # Deleting a product revokes every access granted through it and cannot
  # be undone, so Terraform refuses to destroy it while this is true (the
  # default). To cut access in a way that can be undone, suspend it:
  # suspended = true
  deletion_protection = true
}
