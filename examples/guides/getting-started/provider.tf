terraform {
  required_version = ">= 1.5"

  required_providers {
    immuta = {
      source  = "immuta/immuta"
      version = "~> 0.1"
    }
  }
}

# The token comes from IMMUTA_MARKETPLACE_TOKEN.
provider "immuta" {
  region = "na"
}
