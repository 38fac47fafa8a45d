terraform {
  required_providers {
    immuta = {
      source = "immuta/immuta"
    }
  }
}

# The tenant's global segment. The token is best left to the
# IMMUTA_MARKETPLACE_TOKEN environment variable, so that it is in neither
# the configuration nor version control.
provider "immuta" {
  region = "na"
}
