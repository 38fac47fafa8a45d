# The demo configuration that `make demo` applies against the local
# Marketplace emulator. The provider reads its endpoint and token from
# IMMUTA_MARKETPLACE_ENDPOINT and IMMUTA_MARKETPLACE_TOKEN.
#
# It publishes a data product: the Snowflake tables of the North American
# Sales domain, with a request form whose requests a sales steward
# approves, and a data use agreement requesters accept.

terraform {
  required_providers {
    immuta = {
      source = "immuta/immuta"
    }
  }
}

provider "immuta" {}

# What the Immuta governance app owns, looked up by name.
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

resource "immuta_data_use_agreement" "analytics" {
  name = "Analytics Use Only"
  body = <<-EOT
    I will use this data for internal analytics only, will not share it
    outside the company, and will delete local copies within 30 days.
  EOT
}

resource "immuta_request_form" "sales" {
  name = "Sales Data Access"

  field {
    type     = "SHORT_ANSWER"
    label    = "What will you use the data for?"
    required = true
  }

  field {
    type    = "DROPDOWN"
    label   = "Which team are you on?"
    options = ["Sales", "Marketing", "Finance"]
  }

  review_flow = {
    review = {
      stages = [{
        approval_mode = "any"
        user_ids      = [data.immuta_user.steward.global_user_id]
      }]
    }
  }

  data_use_agreement_ids = [immuta_data_use_agreement.analytics.id]
}

resource "immuta_data_product" "sales" {
  name                        = "North American Sales"
  description                 = "Orders, store sales and customer accounts of the North American sales teams."
  domain_ids                  = [data.immuta_domain.sales.id]
  data_source_ids             = data.immuta_domain_data_sources.sales_snowflake.ids
  data_access_request_form_id = immuta_request_form.sales.id
  subject_matter_expert_id    = data.immuta_user.steward.global_user_id

  # Deleting a data product revokes every access granted through it, so
  # products are protected by default. The demo destroys what it made.
  deletion_protection = false
}

output "data_product_id" {
  value = immuta_data_product.sales.id
}

output "data_product_source_types" {
  value = immuta_data_product.sales.source_types
}

output "request_form_id" {
  value = immuta_request_form.sales.id
}

output "data_use_agreement_id" {
  value = immuta_data_use_agreement.analytics.id
}
