terraform {
  required_version = ">= 1.5"

  required_providers {
    immuta = {
      source  = "immuta/immuta"
      version = "~> 0.1"
    }
  }
}

# Region and token come from IMMUTA_MARKETPLACE_REGION and
# IMMUTA_MARKETPLACE_TOKEN.
provider "immuta" {}
