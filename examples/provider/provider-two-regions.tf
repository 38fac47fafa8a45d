# One configuration, two tenants: a North American and a European one.
# A token belongs to one tenant, so each instance gets its own.
provider "immuta" {
  alias  = "na"
  region = "na"
  token  = var.na_marketplace_token
}

provider "immuta" {
  alias  = "eu"
  region = "eu"
  token  = var.eu_marketplace_token
}

variable "na_marketplace_token" {
  type      = string
  sensitive = true
}

variable "eu_marketplace_token" {
  type      = string
  sensitive = true
}

# Each resource names the instance it belongs to.
resource "immuta_data_use_agreement" "analytics_na" {
  provider = immuta.na
  name     = "Analytics Use Only"
  body     = "I will use this data for internal analytics only."
}

resource "immuta_data_use_agreement" "analytics_eu" {
  provider = immuta.eu
  name     = "Analytics Use Only"
  body     = "I will use this data for internal analytics only, and process it in the EU only."
}
