# Configure the provider for your tenant's global segment. The token is
# best left to the IMMUTA_MARKETPLACE_TOKEN environment variable.
provider "immuta" {
  region = "na"
}

# Point a second, aliased instance at another region's tenant.
provider "immuta" {
  alias  = "eu"
  region = "eu"
  token  = var.eu_marketplace_token
}

variable "eu_marketplace_token" {
  type      = string
  sensitive = true
}

# Or use the local Marketplace emulator (see `marketplace-emulator -h`).
# provider "immuta" {
#   endpoint = "http://127.0.0.1:8080/marketplace"
#   token    = "emulator-token"
# }
