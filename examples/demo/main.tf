# The demo configuration that `make demo` applies against the local
# Marketplace emulator. The provider reads its endpoint and token from
# IMMUTA_MARKETPLACE_ENDPOINT and IMMUTA_MARKETPLACE_TOKEN.

terraform {
  required_providers {
    immuta = {
      source = "immuta/immuta"
    }
  }
}

provider "immuta" {}

resource "immuta_data_use_agreement" "analytics" {
  name = "Analytics Use Only"
  body = <<-EOT
    I will use this data for internal analytics only, will not share it
    outside the company, and will delete local copies within 30 days.
  EOT
}

output "data_use_agreement_id" {
  value = immuta_data_use_agreement.analytics.id
}
